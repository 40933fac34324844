#!/usr/bin/env bash
# What `dates_from_git` adds to a fresh build of a site with a long history:
# 1,000 notices × 30 issues and 1,000 commits by default (see
# bench/git_history.py for what the commits change and the knobs).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin gongkai --example synth
exec python3 bench/git_history.py "$@"

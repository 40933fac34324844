#!/usr/bin/env bash
# What a reader's browser fetches and waits for when searching the
# synthetic portal of 10,000 notices × 30 issues (generated, never
# committed), served over plain HTTP without compression: headless
# Chromium, measured through the DevTools protocol (examples/searchbench.rs).
# Targets (issue #18): ≤ 300 KB transferred for the first results of a
# two-character query, ≤ 100 ms from keystroke to results once fetched.
set -euo pipefail
cd "$(dirname "$0")/.."
notices=${1:-10000}
issues=${2:-30}
port=${PORT:-8631}
site=bench/sites/synth-${notices}x${issues}-1
command -v chromium >/dev/null || { echo "needs chromium (apt-get install chromium)" >&2; exit 1; }
cargo build --release -q
cargo build --release -q --example synth --example searchbench
./target/release/examples/synth --notices "$notices" --issues "$issues" --seed 1 --out "$site"
./target/release/gongkai --root "$site" build
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site/public" >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 1
# Two characters from every kind of list: in every document (整改), in
# titles (北塘), in one issue in twenty-five (号源, 医保, 审计, 合同), in
# bodies only (院长, 谈话); then one character and longer words.
./target/release/examples/searchbench --url "http://127.0.0.1:$port/search/index.html" \
  整改 北塘 号源 医保 审计 合同 院长 谈话 院 三重一大 号源管理 "医保 合同"

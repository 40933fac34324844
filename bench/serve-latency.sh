#!/usr/bin/env bash
# Edit-to-reload latency of `gongkai serve` on the example portal and on a
# synthetic site of 1,000 notices × 30 issues (generated, never committed).
set -euo pipefail
cd "$(dirname "$0")/.."
notices=${1:-1000}
issues=${2:-30}
site=bench/sites/synth-${notices}x${issues}-1
cargo run --release -q --example synth -- --notices "$notices" --issues "$issues" --seed 1 --out "$site"
cargo bench -q --bench serve_latency -- . "$site"

#!/usr/bin/env bash
# The aggregate portal at scale: N synthetic units (30 notices × 30 issues
# each) read from local folders. Prints wall time and peak memory of a
# first build (no cache, no output) and of a second one.
#
#   bash bench/aggregate.sh 2000
set -euo pipefail
units=${1:-2000}
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin gongkai --example units
out=${BENCH_DIR:-bench/sites}/units-$units
rm -rf "$out"
./target/release/examples/units --units "$units" --notices 30 --issues 30 --out "$out" >/dev/null
for run in first second; do
  /usr/bin/time -f "$run build: %e s, %M KB peak" ./target/release/gongkai build --root "$out/aggregate" >/dev/null
done

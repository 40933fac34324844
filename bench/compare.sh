#!/usr/bin/env bash
# gongkai against Hugo on the same synthetic content.
#
#   bench/compare.sh                 # 100, 1,000 and 10,000 notices × 30 issues, 5 runs
#   RUNS=7 bench/compare.sh 1000     # one size, more runs
#   DISK_SIZES="100 1000 10000" bench/compare.sh   # the disk table at every size
#
# For each size: the synthetic site (examples/synth.rs, seed 1) is written,
# converted into a Hugo site with an equivalent theme (written by
# bench/compare.py: the same pages, listings, feeds, sitemap and search
# index), and both are built RUNS times, interleaved, each run into an empty
# output folder. Printed: median wall time, CPU time (user + system) and peak
# RSS, the ratio gongkai / Hugo, and the floor (the time to merely write
# gongkai's output files on one thread). One table with sources and output
# on tmpfs (/dev/shm), one on disk (bench/sites/; 100 and 1,000 notices
# unless DISK_SIZES says otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hugo >/dev/null; then
    apt-get install -y hugo >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y hugo >/dev/null; }
fi
cargo build --release --quiet --bin gongkai --example synth --example floor
exec python3 bench/compare.py "$@"

#!/usr/bin/env bash
# make bench: builds in release, starts a private redis-server, runs the benchmarks and writes bench/results.md.
# BENCH_MESSAGES (default 5000), BENCH_RUNS (3) and BENCH_CHANGES (200) size the runs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

scripts/install-deps.sh
swift build -c release --product mailpulse-bench
start_private_redis
"$(swift build -c release --show-bin-path)/mailpulse-bench"

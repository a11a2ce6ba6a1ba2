#!/usr/bin/env bash
# make bench: builds in release, starts a private redis-server, runs the benchmarks and writes bench/results.md.
# BENCH_MESSAGES (default 5000), BENCH_RUNS (3) and BENCH_CHANGES (200) size the runs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

scripts/install-deps.sh

work=$(mktemp -d)
REDIS_PID=""
cleanup() {
    if [ -n "$REDIS_PID" ]; then
        kill "$REDIS_PID" 2>/dev/null || true
        wait "$REDIS_PID" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

swift build -c release --product mailpulse-bench
port=$(free_port)
start_redis "$port" "$work/redis"
REDIS_URL="redis://127.0.0.1:$port/0" "$(swift build -c release --show-bin-path)/mailpulse-bench"

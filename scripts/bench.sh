#!/usr/bin/env bash
# make bench: builds in release, starts a private redis-server, runs the benchmarks and writes bench/results.md.
# BENCH_RUNS (3), BENCH_MESSAGES (50000), BENCH_CHANGES (1000), BENCH_INTAKE_SECONDS (5), BENCH_MAILBOXES (100),
# BENCH_POLL_SECONDS (150), BENCH_ACCOUNTS (1000), BENCH_IMAP_MESSAGES (10000) and BENCH_IMAP_CHANGES (100) size the
# runs; BENCH_ONLY=sync,changes,… picks benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

scripts/install-deps.sh --bench
# The scale benchmark runs the service and graph-sim as processes of their own.
swift build -c release
start_private_redis
"$(swift build -c release --show-bin-path)/mailpulse-bench"

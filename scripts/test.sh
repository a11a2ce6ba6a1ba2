#!/usr/bin/env bash
# make test: installs what the tests need, starts a private redis-server on a free port, runs the whole
# suite against it, and stops what it started. Exits non-zero on any failure.
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

port=$(free_port)
start_redis "$port" "$work/redis"
export REDIS_URL="redis://127.0.0.1:$port/0"
echo "mailpulse: private redis-server on $REDIS_URL"

swift format lint --strict --recursive Sources Tests Package.swift
swift build --build-tests
swift test --skip-build

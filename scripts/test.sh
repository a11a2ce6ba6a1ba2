#!/usr/bin/env bash
# make test: installs what the tests need, starts a private redis-server on a free port, runs the whole
# suite against it, and stops what it started. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

scripts/install-deps.sh
start_private_redis

swift format lint --strict --recursive Sources Tests Package.swift
swift build --build-tests
swift test --skip-build

#!/usr/bin/env bash
# make test: installs what the tests need, starts a private redis-server on a free port, runs the whole
# suite against it (Swift tests, then the browser tests), and stops what it started. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

scripts/install-deps.sh --test
start_private_redis

swift format lint --strict --recursive Sources Tests Package.swift
# The container files: the Dockerfiles pass hadolint and the compose file is valid (no Docker engine is needed).
hadolint Dockerfile tunnel/Dockerfile
TOKEN_KEY=placeholder docker-compose --file docker-compose.yml config --quiet
# The Kubernetes manifests against the API's schemas, offline.
scripts/validate-kubernetes.sh
swift build --build-tests
# A crash prints the crashed thread alone: a backtrace of every thread of the test process takes the
# backtracer longer than CI waits.
SWIFT_BACKTRACE=enable=yes,interactive=no,threads=crashed,images=mentioned swift test --skip-build
# The system as processes (graph-sim, `mailpulse serve`): the pages in headless Chromium (writes docs/screenshots/),
# and the HTTP API against Web/openapi.yaml with schemathesis.
python3 -m pytest --quiet -p no:cacheprovider Tests/System

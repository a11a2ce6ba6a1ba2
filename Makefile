.PHONY: run test bench build lint format

## Install what is missing, build, start Redis if needed, and serve on http://127.0.0.1:8080.
run:
	@scripts/run.sh

## Install what the tests need, start a private redis-server, and run the whole suite.
test:
	@scripts/test.sh

## Build in release and measure the sync engine against graph-sim; writes bench/results.md.
bench:
	@scripts/bench.sh

build:
	@scripts/install-deps.sh
	swift build

lint:
	swift format lint --strict --recursive Sources Tests Package.swift

format:
	swift format --in-place --recursive Sources Tests Package.swift

#!/usr/bin/env bash
# Installs the system packages Mailpulse builds, runs and tests with, when they are missing.
# Uses apt-get (through sudo when not root); says plainly what to do when it cannot.
set -euo pipefail

packages=(curl redis-server libhiredis-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev)

if ! command -v swift >/dev/null 2>&1; then
    echo "mailpulse: the Swift toolchain (6.2 or later) is not on PATH; install it from swift.org first." >&2
    exit 1
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "mailpulse: missing ${missing[*]}, and this system has no apt-get: install them with its package manager." >&2
    exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    echo "mailpulse: missing ${missing[*]}; run as root or install sudo, or install them yourself: apt-get install ${missing[*]}" >&2
    exit 1
fi

echo "mailpulse: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

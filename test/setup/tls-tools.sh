#!/usr/bin/env bash
# Installs what the TLS integration tests and the TLS bench compare against: nginx (a real TLS
# server), testssl.sh and sslscan (Debian packages). Idempotent: does nothing when all are there.
# Skips when not root or without apt-get (the tests that need a tool then skip, saying why).
set -eu
. "$(dirname "$0")/lib/apt-install.sh"
need=()
command -v nginx >/dev/null 2>&1 || need+=(nginx-light)
command -v testssl >/dev/null 2>&1 || command -v testssl.sh >/dev/null 2>&1 || need+=(testssl.sh)
command -v sslscan >/dev/null 2>&1 || need+=(sslscan)
[ ${#need[@]} -eq 0 ] && { echo "tls tools present"; exit 0; }
apt_install "${need[@]}"

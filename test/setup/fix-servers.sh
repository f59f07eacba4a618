#!/usr/bin/env bash
# Installs the servers whose fixes test/real-fix-verification.test.ts verifies besides those of
# real-servers.sh: lighttpd with mod_openssl, and squid (Debian packages). Idempotent: does nothing
# when they are there. Skips when not root or without apt-get (those cases then skip, saying why).
# No service is started by the install: the tests run their own instances on loopback ports.
set -eu
. "$(dirname "$0")/lib/apt-install.sh"
need=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }
have lighttpd || need+=(lighttpd)
[ -e /usr/lib/lighttpd/mod_openssl.so ] || need+=(lighttpd-mod-openssl)
have squid || need+=(squid)
[ ${#need[@]} -eq 0 ] && { echo "lighttpd (mod_openssl) and squid present"; exit 0; }
apt_install "${need[@]}"

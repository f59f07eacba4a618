#!/usr/bin/env bash
# Installs the real HTTP/2 servers the protocol-mismatch integration tests (test/real-*.test.ts)
# diagnose: nginx, apache2 (mod_http2), haproxy, nghttpd (nghttp2-server), h2o and caddy (Debian
# packages). Idempotent: does nothing when all are there. Skips when not root or without apt-get
# (the tests that need a server then skip, saying why; under CI=true run-all.sh fails instead).
# No service is started by the install: the tests run their own instances on loopback ports.
set -eu
. "$(dirname "$0")/lib/apt-install.sh"
need=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }
have nginx || need+=(nginx-light)
have apache2 || need+=(apache2)
have haproxy || need+=(haproxy)
have nghttpd || need+=(nghttp2-server)
have h2o || need+=(h2o)
have caddy || need+=(caddy)
[ ${#need[@]} -eq 0 ] && { echo "real servers present"; exit 0; }
apt_install "${need[@]}"

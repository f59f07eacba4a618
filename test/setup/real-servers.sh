#!/usr/bin/env bash
# Installs the real HTTP/2 servers the protocol-mismatch integration tests (test/real-*.test.ts)
# diagnose: nginx, apache2 (mod_http2), haproxy, nghttpd (nghttp2-server), h2o and caddy (Debian
# packages). Idempotent: does nothing when all are there. Skips when not root or without apt-get
# (the tests that need a server then skip, saying why; under CI=true run-all.sh fails instead).
# No service is started by the install: the tests run their own instances on loopback ports.
set -eu
need=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }
have nginx || need+=(nginx-light)
have apache2 || need+=(apache2)
have haproxy || need+=(haproxy)
have nghttpd || need+=(nghttp2-server)
have h2o || need+=(h2o)
have caddy || need+=(caddy)
[ ${#need[@]} -eq 0 ] && { echo "real servers present"; exit 0; }
[ "$(id -u)" = "0" ] || { echo "not root: cannot install ${need[*]}"; exit 1; }
command -v apt-get >/dev/null 2>&1 || { echo "no apt-get: cannot install ${need[*]}"; exit 1; }
export DEBIAN_FRONTEND=noninteractive
# Debian packages start their service after install (apache2 and caddy on :80, haproxy, h2o);
# keep them from doing so.
had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
[ $had_policy = 0 ] && printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
trap '[ $had_policy = 0 ] && rm -f /usr/sbin/policy-rc.d' EXIT
apt=(apt-get -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends)
"${apt[@]}" install "${need[@]}" >/dev/null 2>&1 || { apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null 2>&1; "${apt[@]}" install "${need[@]}" >/dev/null; }
echo "installed ${need[*]}"

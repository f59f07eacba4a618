#!/usr/bin/env bash
# Installs what the TLS integration tests and the TLS bench compare against: nginx (a real TLS
# server), testssl.sh and sslscan (Debian packages). Idempotent: does nothing when all are there.
# Skips when not root or without apt-get (the tests that need a tool then skip, saying why).
set -eu
need=()
command -v nginx >/dev/null 2>&1 || need+=(nginx-light)
command -v testssl >/dev/null 2>&1 || command -v testssl.sh >/dev/null 2>&1 || need+=(testssl.sh)
command -v sslscan >/dev/null 2>&1 || need+=(sslscan)
[ ${#need[@]} -eq 0 ] && { echo "tls tools present"; exit 0; }
[ "$(id -u)" = "0" ] || { echo "not root: cannot install ${need[*]}"; exit 1; }
command -v apt-get >/dev/null 2>&1 || { echo "no apt-get: cannot install ${need[*]}"; exit 1; }
export DEBIAN_FRONTEND=noninteractive
# The Debian nginx package starts a server on :80 after install; keep it from doing so.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d.h2doctor
had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
[ $had_policy = 0 ] && cp /usr/sbin/policy-rc.d.h2doctor /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
trap '[ $had_policy = 0 ] && rm -f /usr/sbin/policy-rc.d; rm -f /usr/sbin/policy-rc.d.h2doctor' EXIT
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1; apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
echo "installed ${need[*]}"

#!/usr/bin/env bash
# Installs what the upgrade/proxy integration tests run against: tinyproxy (a real CONNECT proxy)
# and nginx (a real reverse proxy for WebSocket upgrades), Debian packages. Idempotent: does nothing
# when both are there. Skips when not root or without apt-get (those tests then skip, saying why).
# Neither service is started by the install: the tests run their own instances on loopback ports.
set -eu
need=()
command -v tinyproxy >/dev/null 2>&1 || [ -x /usr/bin/tinyproxy ] || need+=(tinyproxy)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
[ ${#need[@]} -eq 0 ] && { echo "tinyproxy and nginx present"; exit 0; }
[ "$(id -u)" = "0" ] || { echo "not root: cannot install ${need[*]}"; exit 1; }
command -v apt-get >/dev/null 2>&1 || { echo "no apt-get: cannot install ${need[*]}"; exit 1; }
export DEBIAN_FRONTEND=noninteractive
# Debian packages start their service after install; keep them from doing so.
had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
[ $had_policy = 0 ] && printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
trap '[ $had_policy = 0 ] && rm -f /usr/sbin/policy-rc.d' EXIT
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1; apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
echo "installed ${need[*]}"

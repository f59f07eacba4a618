#!/usr/bin/env bash
# Installs what the upgrade/proxy integration tests run against: tinyproxy (a real CONNECT proxy)
# and nginx (a real reverse proxy for WebSocket upgrades), Debian packages. Idempotent: does nothing
# when both are there. Skips when not root or without apt-get (those tests then skip, saying why).
# Neither service is started by the install: the tests run their own instances on loopback ports.
set -eu
. "$(dirname "$0")/lib/apt-install.sh"
need=()
command -v tinyproxy >/dev/null 2>&1 || [ -x /usr/bin/tinyproxy ] || need+=(tinyproxy)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
[ ${#need[@]} -eq 0 ] && { echo "tinyproxy and nginx present"; exit 0; }
apt_install "${need[@]}"

#!/usr/bin/env bash
# Installs Redis (Debian redis-server) for the distributed fleet-scan tests (test/scan-queue.test.ts):
# the BullMQ queue behind `h2doctor scan --queue` and `h2doctor worker`. No service is started by
# the install: the tests run their own redis-server on a loopback port and stop it.
set -eu
. "$(dirname "$0")/lib/apt-install.sh"
command -v redis-server >/dev/null 2>&1 && { echo "redis-server present"; exit 0; }
apt_install redis-server

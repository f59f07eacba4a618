#!/usr/bin/env bash
# Installs what the watch / exporter / HTML-report tests use (Debian packages): prometheus (a real
# Prometheus scrapes `h2doctor exporter` in test/exporter-prometheus.test.ts), chromium (headless, opens
# the --html reports in test/html-chromium.test.ts) dnsmasq and dig (two loopback resolvers that disagree,
# test/dns-servers.test.ts). Idempotent: does nothing when all are there. No service is started by the
# install: each test runs its own instance on a loopback port with its own config and temp directory.
set -eu
. "$(dirname "$0")/lib/apt-install.sh"
need=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }
have prometheus || need+=(prometheus)
have chromium || need+=(chromium)
have dnsmasq || need+=(dnsmasq-base)
have dig || need+=(bind9-dnsutils)
[ ${#need[@]} -eq 0 ] && { echo "prometheus, chromium, dnsmasq, dig present"; exit 0; }
apt_install "${need[@]}"

#!/usr/bin/env bash
# Test set-up for test/survey-servers.test.ts: the openssl command line (the TLS 1.3 groups and ALPN
# ground truth, `openssl s_client`). The servers come from real-servers.sh, sslscan from tls-tools.sh.
set -eu
. "$(dirname "$0")/lib/apt-install.sh"
command -v openssl >/dev/null 2>&1 && { echo "openssl present"; exit 0; }
apt_install openssl

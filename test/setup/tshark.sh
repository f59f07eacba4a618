#!/usr/bin/env bash
# Installs tshark (Debian package), which the trace test uses to open the pcapng that
# `h2doctor trace --pcap` writes and check that it decrypts to the traced HTTP/2 frames.
# Idempotent: does nothing when tshark is there. Skips when not root or without apt-get (the
# test that needs it then skips, saying why).
set -eu
. "$(dirname "$0")/lib/apt-install.sh"
command -v tshark >/dev/null 2>&1 && { echo "tshark present"; exit 0; }
# No setuid dumpcap: the trace never captures, it only writes files for tshark to read.
[ "$(id -u)" = "0" ] && echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections
apt_install tshark

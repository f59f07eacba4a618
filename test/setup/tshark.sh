#!/usr/bin/env bash
# Installs tshark (Debian package), which the trace test uses to open the pcapng that
# `h2doctor trace --pcap` writes and check that it decrypts to the traced HTTP/2 frames.
# Idempotent: does nothing when tshark is there. Skips when not root or without apt-get (the
# test that needs it then skips, saying why).
set -eu
command -v tshark >/dev/null 2>&1 && { echo "tshark present"; exit 0; }
[ "$(id -u)" = "0" ] || { echo "not root: cannot install tshark"; exit 1; }
command -v apt-get >/dev/null 2>&1 || { echo "no apt-get: cannot install tshark"; exit 1; }
export DEBIAN_FRONTEND=noninteractive
# No setuid dumpcap: the trace never captures, it only writes files for tshark to read.
echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections
apt=(apt-get -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends)
"${apt[@]}" install tshark >/dev/null 2>&1 || { apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null 2>&1; "${apt[@]}" install tshark >/dev/null; }
echo "installed tshark"

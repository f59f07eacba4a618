#!/usr/bin/env bash
# Installs the real clients the client-simulation tests compare their profiles with (and that
# scripts/capture-clients.mjs captures): curl, openssl, wget and gnutls-cli (GnuTLS), tstclnt (NSS),
# Go, Java 17, Python 3 and its grpcio, grpc-go (Debian sources, built offline), Chromium (grpc-js comes from npm). Idempotent: does nothing when all are there.
set -eu
. "$(dirname "$0")/lib/apt-install.sh"
need=()
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v wget >/dev/null 2>&1 || need+=(wget)
command -v gnutls-cli >/dev/null 2>&1 || need+=(gnutls-bin)
command -v tstclnt >/dev/null 2>&1 || need+=(libnss3-tools)
command -v go >/dev/null 2>&1 || need+=(golang-go)
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
[ -x /usr/bin/python3 ] || need+=(python3)
/usr/bin/python3 -c "import grpc" >/dev/null 2>&1 || need+=(python3-grpcio)
[ -d /usr/share/gocode/src/google.golang.org/grpc ] || need+=(golang-google-grpc-dev)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ ${#need[@]} -eq 0 ] && { echo "client-simulation clients present"; exit 0; }
apt_install "${need[@]}"

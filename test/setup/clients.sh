#!/usr/bin/env bash
# Installs the real clients corpus/record.sh runs against the lab and the real servers to record
# corpus/clients.json (what each client prints for each failure): curl, openssl, gnutls-cli, wget,
# nghttp (nghttp2-client), Go with golang.org/x/net (built offline from /usr/share/gocode), Java 17
# with OkHttp, Python's requests/httpx/aiohttp/websockets/grpcio for /usr/bin/python3, Chromium and
# certutil (to trust the lab CA in Chromium's NSS db); and the servers corpus/real-servers.mjs uses
# that test/setup/real-servers.sh does not install (squid, tinyproxy, lighttpd with TLS). Tests only read the checked-in data file, so
# they do not need these; the recording does. Idempotent; skips when not root or without apt-get.
set -eu
. "$(dirname "$0")/lib/apt-install.sh"
need=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }
pyhas() { /usr/bin/python3 -c "import $1" >/dev/null 2>&1; }
have curl || need+=(curl)
have openssl || need+=(openssl)
have gnutls-cli || need+=(gnutls-bin)
have wget || need+=(wget)
have nghttp || need+=(nghttp2-client)
have go || need+=(golang-go)
[ -d /usr/share/gocode/src/golang.org/x/net/http2 ] || need+=(golang-golang-x-net-dev)
# grpc-go for corpus/clients/grpc-go (axios and @grpc/grpc-js come from npm in record.sh's scratch folder).
[ -d /usr/share/gocode/src/google.golang.org/grpc ] || need+=(golang-google-grpc-dev)
have javac || need+=(openjdk-17-jdk-headless)
[ -e /usr/share/java/okhttp.jar ] || need+=(libokhttp-java)
have chromium || need+=(chromium)
have certutil || need+=(libnss3-tools)
# The real servers corpus/real-servers.mjs configures to fail (besides test/setup/real-servers.sh's).
have squid || need+=(squid)
have tinyproxy || need+=(tinyproxy)
have lighttpd || need+=(lighttpd)
[ -e /usr/lib/lighttpd/mod_openssl.so ] || need+=(lighttpd-mod-openssl)
pyhas requests || need+=(python3-requests)
pyhas httpx || need+=(python3-httpx)
pyhas aiohttp || need+=(python3-aiohttp)
pyhas websockets || need+=(python3-websockets)
pyhas grpc || need+=(python3-grpcio)
[ ${#need[@]} -eq 0 ] && { echo "real clients present"; exit 0; }
apt_install "${need[@]}"

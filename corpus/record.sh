#!/usr/bin/env bash
# Re-records corpus/clients.json: every installed real client against every lab and real-server
# failure scenario, on loopback. Slow (minutes); tests only read the checked-in data file.
#   bash corpus/record.sh                       # everything
#   bash corpus/record.sh --clients curl,wget   # some clients (their records are replaced: --merge)
#   CORPUS_REAL=0 bash corpus/record.sh         # the embedded lab only
# Needs the clients of test/setup/clients.sh. Go and Java clients are built offline here.
set -eu
cd "$(dirname "$0")/.."
export H13_CORPUS_BUILD="${H13_CORPUS_BUILD:-/tmp/h2doctor-corpus-build}"
mkdir -p "$H13_CORPUS_BUILD/java"
npm run build >/dev/null
( cd corpus/clients/go && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOCACHE="$H13_CORPUS_BUILD/gocache" \
    timeout 300 go build -o "$H13_CORPUS_BUILD/go-client" . )
timeout 120 javac -d "$H13_CORPUS_BUILD/java" -cp /usr/share/java/okhttp.jar:/usr/share/java/okio.jar corpus/clients/java/Client.java
exec timeout 3000 node dist/h2doctor.cjs lab --serve -- node corpus/record.mjs "$@"

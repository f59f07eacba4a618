#!/usr/bin/env bash
# Re-records corpus/clients.json: every installed real client against every lab and real-server
# failure scenario, on loopback. Slow (minutes); tests only read the checked-in data file.
#   bash corpus/record.sh                       # everything
#   bash corpus/record.sh --clients curl,wget   # some clients (their records are replaced: --merge)
#   CORPUS_REAL=0 bash corpus/record.sh         # the embedded lab only
# Needs the clients of test/setup/clients.sh (Go, grpc-go and Java clients are built offline here;
# axios and @grpc/grpc-js are installed from npm into a scratch folder, never into the repo).
set -eu
cd "$(dirname "$0")/.."
export H13_CORPUS_BUILD="${H13_CORPUS_BUILD:-/tmp/h2doctor-corpus-build}"
mkdir -p "$H13_CORPUS_BUILD/java"
npm run build >/dev/null
( cd corpus/clients/go && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOCACHE="$H13_CORPUS_BUILD/gocache" \
    timeout 300 go build -o "$H13_CORPUS_BUILD/go-client" . )
( cd corpus/clients/grpc-go && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOCACHE="$H13_CORPUS_BUILD/gocache" \
    timeout 600 go build -o "$H13_CORPUS_BUILD/grpc-go-client" . )
timeout 120 javac -d "$H13_CORPUS_BUILD/java" -cp /usr/share/java/okhttp.jar:/usr/share/java/okio.jar corpus/clients/java/Client.java
# axios and @grpc/grpc-js are recorded, not used by h2doctor: a scratch folder, outside the repo.
export H13_CORPUS_NPM="${H13_CORPUS_NPM:-$H13_CORPUS_BUILD/npm}"
if [ ! -d "$H13_CORPUS_NPM/node_modules/axios" ] || [ ! -d "$H13_CORPUS_NPM/node_modules/@grpc/grpc-js" ]; then
  mkdir -p "$H13_CORPUS_NPM"
  ( cd "$H13_CORPUS_NPM"
    [ -f package.json ] || echo '{"private":true}' > package.json
    timeout 300 npm install --no-audit --no-fund --silent axios@1 @grpc/grpc-js@1 )
fi
exec timeout 3000 node dist/h2doctor.cjs lab --serve -- node corpus/record.mjs "$@"

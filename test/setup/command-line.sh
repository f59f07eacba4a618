#!/usr/bin/env bash
# Installs what the command-line tests use: man (renders docs/h2doctor.1), script from util-linux
# (a pty at 80 and 120 columns), bash (completion), openssl (client certificates), curl and nginx
# (the mutual-TLS ground truth). Idempotent: does nothing when all are there.
set -eu
. "$(dirname "$0")/lib/apt-install.sh"
need=()
command -v man >/dev/null 2>&1 || need+=(man-db)
command -v groff >/dev/null 2>&1 || command -v nroff >/dev/null 2>&1 || need+=(groff-base)
command -v script >/dev/null 2>&1 || need+=(bsdutils)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v nginx >/dev/null 2>&1 || need+=(nginx-light)
[ ${#need[@]} -eq 0 ] && { echo "command-line tools present"; exit 0; }
apt_install "${need[@]}"

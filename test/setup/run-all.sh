#!/usr/bin/env bash
# Test set-up: installs the real servers and tools the integration tests use (Debian packages).
# Runs every test/setup/*.sh except itself. Idempotent and quiet; prints one line per script.
# Set H2DOCTOR_SKIP_SETUP=1 to skip (the tests that need a missing tool then skip, saying why).
# Under CI (CI=true) a failed install fails the run: there the integration tests must run.
set -u
[ "${H2DOCTOR_SKIP_SETUP:-}" = "1" ] && { echo "test set-up: skipped (H2DOCTOR_SKIP_SETUP=1)"; exit 0; }
here="$(cd "$(dirname "$0")" && pwd)"
failed=0
for s in "$here"/*.sh; do
  [ "$(basename "$s")" = "run-all.sh" ] && continue
  if bash "$s" >/tmp/h2doctor-setup-$(basename "$s").log 2>&1; then
    echo "test set-up: $(basename "$s") ok"
  else
    echo "test set-up: $(basename "$s") failed (see /tmp/h2doctor-setup-$(basename "$s").log); tests that need it will skip"
    tail -5 "/tmp/h2doctor-setup-$(basename "$s").log" | sed 's/^/  | /'
    failed=1
  fi
done
if [ "$failed" = 1 ] && [ "${CI:-}" = "true" ]; then
  echo "test set-up: failed under CI, where the integration tests must run"
  exit 1
fi
exit 0

# Sourced by test/setup/*.sh (run-all.sh runs only test/setup/*.sh, not this folder).
# apt_install PKG…: installs Debian packages quietly and noninteractively, waiting up to 10 min for
# the dpkg lock; `apt-get update` only when the first try fails. Fails (exit 1, one line saying why)
# when not root or without apt-get, so the tests that need a package skip, saying why.
# While it runs, a policy-rc.d keeps the packages from starting their service (nginx, apache2 and
# caddy on :80, haproxy, h2o): the tests run their own instances on loopback ports. An existing
# policy-rc.d is left as it is; ours is removed on exit.
apt_install() {
  [ "$(id -u)" = "0" ] || { echo "not root: cannot install $*"; exit 1; }
  command -v apt-get >/dev/null 2>&1 || { echo "no apt-get: cannot install $*"; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  local apt=(apt-get -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends)
  "${apt[@]}" install "$@" >/dev/null 2>&1 || {
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null 2>&1
    "${apt[@]}" install "$@" >/dev/null
  }
  echo "installed $*"
}

#!/bin/sh
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Driver of the tests against a real node (meson test suite 'chain').
#   anvil.sh NPM_DIR PROGRAM [ARGS...]
# Installs anvil (@foundry-rs/anvil-linux-amd64@1.5.1) into NPM_DIR once
# (npm install --prefix NPM_DIR), then runs PROGRAM with LP_TEST_ANVIL set
# to the anvil binary. Exits 77 (meson: SKIP) with the reason only when npm
# is missing or the npm registry cannot be reached; any other failure to
# install fails; otherwise PROGRAM's verdict.
set -u

npm_dir=$1
shift
case $npm_dir in
  /*) ;;
  *) npm_dir="$(pwd)/$npm_dir" ;;
esac
version=1.5.1
anvil="$npm_dir/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"

skip () {
  echo "SKIP: $*"
  exit 77
}

have_anvil () {
  [ -x "$anvil" ] && "$anvil" --version 2>/dev/null | grep -q "Version: $version"
}

if ! have_anvil; then
  [ "$(uname -m)" = x86_64 ] || skip "anvil from npm is built for x86_64 only"
  command -v npm >/dev/null 2>&1 || skip "npm is not installed (apt-get install npm)"
  mkdir -p "$npm_dir" || exit 1
  echo "installing anvil $version into $npm_dir"
  # few, short retries: an offline machine should skip quickly
  if ! npm install --no-audit --no-fund --prefix "$npm_dir" \
        --fetch-retries=1 --fetch-retry-mintimeout=2000 \
        --fetch-retry-maxtimeout=10000 --fetch-timeout=60000 \
        "@foundry-rs/anvil-linux-amd64@$version" >"$npm_dir/install.log" 2>&1; then
    echo "npm output:"
    tail -n 15 "$npm_dir/install.log"
    if grep -q -E 'ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|network request .* failed' \
        "$npm_dir/install.log"; then
      skip "the npm registry cannot be reached, so anvil cannot be installed"
    fi
    echo "FAIL: npm could not install anvil $version (see the output above)"
    exit 1
  fi
  if ! have_anvil; then
    echo "FAIL: npm ran but $anvil is not anvil $version"
    exit 1
  fi
fi

LP_TEST_ANVIL=$anvil
export LP_TEST_ANVIL
exec "$@"

#!/bin/sh
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Driver of the ethers cross-check (meson test suite 'crosscheck').
#   crosscheck.sh HELPER LPCTL NPM_DIR SCRIPT
# Installs ethers@6 into NPM_DIR once (npm install --prefix NPM_DIR), then
# runs SCRIPT (crosscheck.mjs). Exits 77 (meson: SKIP) with the reason when
# node or npm is missing or the npm registry cannot be reached; otherwise
# the script's verdict: 0 when ethers agrees on every input, 1 with a diff.
set -u

helper=$1
lpctl=$2
npm_dir=$3
script=$4

# meson passes build paths relative to the build directory
absolute () {
  case $1 in
    /*) echo "$1" ;;
    *) echo "$(pwd)/$1" ;;
  esac
}
helper=$(absolute "$helper")
lpctl=$(absolute "$lpctl")
npm_dir=$(absolute "$npm_dir")

skip () {
  echo "SKIP: $*"
  exit 77
}

command -v node >/dev/null 2>&1 || skip "node is not installed (apt-get install nodejs npm)"

have_ethers () {
  node -e "process.exit(require(process.argv[1]).version.startsWith('6.') ? 0 : 1)" \
    "$npm_dir/node_modules/ethers/package.json" 2>/dev/null
}

if ! have_ethers; then
  command -v npm >/dev/null 2>&1 || skip "npm is not installed (apt-get install npm)"
  mkdir -p "$npm_dir" || exit 1
  echo "installing ethers@6 into $npm_dir"
  # few, short retries: an offline machine should skip quickly
  if ! npm install --no-audit --no-fund --prefix "$npm_dir" \
        --fetch-retries=1 --fetch-retry-mintimeout=2000 \
        --fetch-retry-maxtimeout=10000 --fetch-timeout=60000 \
        ethers@6 >"$npm_dir/install.log" 2>&1; then
    echo "npm output:"
    tail -n 15 "$npm_dir/install.log"
    # Only an unreachable registry is a reason to skip; any other failure
    # to install is a broken test setup and fails.
    if grep -q -E 'ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|network request .* failed' \
        "$npm_dir/install.log"; then
      skip "the npm registry cannot be reached, so ethers@6 cannot be installed"
    fi
    echo "FAIL: npm could not install ethers@6 (see the output above)"
    exit 1
  fi
  if ! have_ethers; then
    echo "FAIL: npm ran but ethers@6 is not in $npm_dir/node_modules"
    exit 1
  fi
fi

exec node "$script" --helper "$helper" --lpctl "$lpctl" --npm-dir "$npm_dir"

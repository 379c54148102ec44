#!/bin/sh
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Driver of the ethers cross-check (meson test suite 'crosscheck').
#   crosscheck.sh HELPER LPCTL NPM_DIR SCRIPT
# Installs the pinned npm packages (pipelines/lib/npm-tools.sh, ethers among
# them) into NPM_DIR once, then runs SCRIPT (crosscheck.mjs). Exits 77 (meson: SKIP) with the reason when
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

# shellcheck source=pipelines/lib/npm-tools.sh
. "$(dirname "$0")/../../../../pipelines/lib/npm-tools.sh"
rc=0
lp_npm_install "$npm_dir" "$LP_NPM_ETHERS" || rc=$?
[ $rc -ne 77 ] || skip "$LP_NPM_ETHERS cannot be installed (the reason is above)"
if [ $rc -ne 0 ]; then
  echo "FAIL: npm could not install $LP_NPM_ETHERS (see the output above)"
  exit 1
fi

exec node "$script" --helper "$helper" --lpctl "$lpctl" --npm-dir "$npm_dir"

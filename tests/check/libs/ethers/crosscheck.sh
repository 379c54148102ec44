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

# shellcheck source=pipelines/lib/npm-tools.sh
. "$(dirname "$0")/../../../../pipelines/lib/npm-tools.sh"
lp_npm_require "$npm_dir" "$LP_NPM_ETHERS"

exec node "$script" --helper "$helper" --lpctl "$lpctl" --npm-dir "$npm_dir"

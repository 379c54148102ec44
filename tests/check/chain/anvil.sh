#!/bin/sh
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Driver of the tests against a real node (meson test suite 'chain').
#   anvil.sh NPM_DIR PROGRAM [ARGS...]
# Installs the pinned npm packages (pipelines/lib/npm-tools.sh, anvil among
# them) into NPM_DIR once, then runs PROGRAM with LP_TEST_ANVIL set
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
# shellcheck source=pipelines/lib/npm-tools.sh
. "$(dirname "$0")/../../../pipelines/lib/npm-tools.sh"

skip () {
  echo "SKIP: $*"
  exit 77
}

[ "$(uname -m)" = x86_64 ] || skip "anvil from npm is built for x86_64 only"
lp_npm_require "$npm_dir" "$LP_NPM_ANVIL"
anvil=$(lp_npm_anvil "$npm_dir")

LP_TEST_ANVIL=$anvil
export LP_TEST_ANVIL
exec "$@"

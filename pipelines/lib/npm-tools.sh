# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The npm packages the local chain is built from (sourced, not run; works
# under sh and bash): an EVM node (anvil), Livepeer's compiled contracts
# and ethers, each pinned, installed into a prefix only when missing.
#
#   lp_npm_install PREFIX [PACKAGE@VERSION...]
#     installs the packages (default: all of LP_NPM_PACKAGES) into PREFIX
#     (npm install --prefix PREFIX) unless each is already there at its
#     pinned version. Returns 0 when they are all there, 77 when npm or the
#     registry cannot be reached (meson's "skipped"), 1 on any other
#     failure, with the reason on stderr (and npm's output in
#     PREFIX/install.log).
#   lp_npm_require PREFIX [PACKAGE@VERSION...]
#     lp_npm_install for a test: exits 77 (SKIP) with the reason when npm or
#     the registry cannot be reached, 1 (FAIL) when the install fails
#     otherwise; returns when the packages are there.
#   lp_npm_default_prefix
#     prints ${XDG_CACHE_HOME:-$HOME/.cache}/gst-livepeer/npm
#   lp_npm_anvil PREFIX
#     prints the path of the anvil binary in PREFIX

# Pinned: a new version of any of them is a change to review (anvil's
# JSON-RPC, the contracts' bytecode and ABI, ethers' API).
LP_NPM_ANVIL="@foundry-rs/anvil-linux-amd64@1.5.1"
LP_NPM_CONTRACTS="@livepeer/sdk@1.0.1-alpha.10"
LP_NPM_ETHERS="ethers@6.17.0"
LP_NPM_PACKAGES="$LP_NPM_ANVIL $LP_NPM_CONTRACTS $LP_NPM_ETHERS"

lp_npm_default_prefix() {
  echo "${XDG_CACHE_HOME:-$HOME/.cache}/gst-livepeer/npm"
}

lp_npm_anvil() {
  echo "$1/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"
}

# True when PACKAGE@VERSION is installed in PREFIX at exactly VERSION.
lp_npm_has() {   # PREFIX PACKAGE@VERSION
  _lp_name=${2%@*}
  _lp_version=${2##*@}
  [ -f "$1/node_modules/$_lp_name/package.json" ] || return 1
  node -e 'process.exit(require(process.argv[1]).version === process.argv[2] ? 0 : 1)' \
    "$1/node_modules/$_lp_name/package.json" "$_lp_version" 2>/dev/null
}

lp_npm_install() {   # PREFIX [PACKAGE@VERSION...]
  # absolute: lp_npm_has require()s under it, and node resolves a relative
  # path against its own module, not the working directory
  case $1 in
    /*) _lp_prefix=$1 ;;
    *) _lp_prefix=$PWD/$1 ;;
  esac
  shift
  [ $# -gt 0 ] || set -- $LP_NPM_PACKAGES
  if ! command -v node >/dev/null 2>&1; then
    echo "node is not installed (Debian: apt-get install nodejs npm)" >&2
    return 77
  fi
  _lp_missing=
  for _lp_pkg in "$@"; do
    lp_npm_has "$_lp_prefix" "$_lp_pkg" || _lp_missing="$_lp_missing $_lp_pkg"
  done
  [ -n "$_lp_missing" ] || return 0
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is not installed (Debian: apt-get install npm)" >&2
    return 77
  fi
  mkdir -p "$_lp_prefix" || return 1
  echo "installing$_lp_missing into $_lp_prefix" >&2
  # Everything named at once (a second `npm install --prefix` with other
  # names would prune the first ones); few, short retries: an offline
  # machine should give up quickly.
  # shellcheck disable=SC2086
  if ! npm install --no-audit --no-fund --save-exact --prefix "$_lp_prefix" \
      --fetch-retries=1 --fetch-retry-mintimeout=2000 \
      --fetch-retry-maxtimeout=10000 --fetch-timeout=60000 \
      $LP_NPM_PACKAGES >"$_lp_prefix/install.log" 2>&1; then
    tail -n 15 "$_lp_prefix/install.log" >&2
    # Only an unreachable registry is a reason to skip; any other failure
    # to install is a broken setup.
    if grep -q -E 'ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|network request .* failed' \
        "$_lp_prefix/install.log"; then
      echo "the npm registry cannot be reached, so$_lp_missing cannot be installed" >&2
      return 77
    fi
    echo "npm could not install$_lp_missing (log: $_lp_prefix/install.log)" >&2
    return 1
  fi
  for _lp_pkg in "$@"; do
    if ! lp_npm_has "$_lp_prefix" "$_lp_pkg"; then
      echo "npm ran but $_lp_pkg is not in $_lp_prefix/node_modules" >&2
      return 1
    fi
  done
  return 0
}

lp_npm_require() {   # PREFIX [PACKAGE@VERSION...]
  _lp_rc=0
  lp_npm_install "$@" || _lp_rc=$?
  if [ $_lp_rc -eq 77 ]; then
    echo "SKIP: the npm packages cannot be installed (the reason is above)"
    exit 77
  fi
  if [ $_lp_rc -ne 0 ]; then
    echo "FAIL: npm could not install the packages into $1 (see the output above)"
    exit 1
  fi
}

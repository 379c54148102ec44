# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What the chain benchmarks (bench/chain.sh, bench/chain-segment.sh) share,
# sourced from the source tree's root: the build, the npm packages, and a
# devnet chain (pipelines/chain-devnet.sh) in a temporary directory,
# stopped and removed on exit, with an orchestrator and a broadcaster set
# up through lpctl.
# shellcheck shell=bash

bench_src=$PWD
bench_build=$bench_src/build
bench_npm_dir=$bench_build/chain-npm
bench_lpctl=$bench_build/tools/lpctl
# shellcheck source=pipelines/lib/npm-tools.sh
. "$bench_src/pipelines/lib/npm-tools.sh"

bench_work=$(mktemp -d "${TMPDIR:-/tmp}/lp-bench-chain-XXXXXX")
bench_chain_cleanup() {
  [ ! -f "$bench_work/devnet/anvil.pid" ] ||
    bash "$bench_src/pipelines/chain-devnet.sh" --stop "$bench_work/devnet" >/dev/null 2>&1 || true
  rm -rf "$bench_work"
}
trap bench_chain_cleanup EXIT

# Builds ./build and installs the npm packages; exits 77 when the npm
# registry cannot be reached.
bench_chain_prepare() {
  local rc=0
  bash scripts/build.sh >/dev/null
  lp_npm_install "$bench_npm_dir" || rc=$?
  [ $rc -ne 77 ] || { echo "the npm registry cannot be reached: no chain"; exit 77; }
  [ $rc -eq 0 ] || { echo "the npm packages cannot be installed" >&2; exit 1; }
}

# bench_chain_devnet ROUND_LENGTH DEPOSIT RESERVE [ARG...]: the devnet
# (chain-devnet.sh with ARG..., e.g. --zero-gas-price) with two
# accounts; sets chain (chain.json), ledger (the URI, with a queue in the
# work directory), O and okey (the orchestrator: 1000 LPT self-bonded,
# registered, active), B and bkey (the broadcaster: DEPOSIT and RESERVE
# in the TicketBroker); one round ahead, initialized.
bench_chain_devnet() {
  local rpc controller round_length=$1 deposit=$2 reserve=$3
  shift 3
  bash "$bench_src/pipelines/chain-devnet.sh" --dir "$bench_work/devnet" \
    --npm-dir "$bench_npm_dir" --accounts 2 --eth 10000e18 --round-length "$round_length" "$@" \
    >"$bench_work/devnet.log" 2>&1 || { tail -n 20 "$bench_work/devnet.log" >&2; exit 1; }
  chain=$bench_work/devnet/chain.json
  # shellcheck disable=SC2034 # O, B: for the caller
  read -r rpc controller O okey B bkey < <(node -e 'const c = require(process.argv[1]);
    const [o, b] = c.accounts;
    console.log(c.rpc, c.controller, o.address, o.key_file, b.address, b.key_file);' "$chain")
  ledger="$rpc?controller=$controller&queue=$bench_work/queue.db"
  case " $* " in
    *" --zero-gas-price "*) ledger="$ledger&priority-fee-gwei=0" ;;
  esac
  bench_ctl bond --from "$okey" --to "$O" --amount 1000e18 >/dev/null
  bench_ctl register --from "$okey" --reward-cut 10% --fee-share 50% >/dev/null
  bench_ctl deposit --from "$bkey" --deposit "$deposit" --reserve "$reserve" >/dev/null
  bench_ctl advance --rounds 1 --init --from "$bkey" >/dev/null
}

bench_ctl() { "$bench_lpctl" --ledger "$ledger" "$@"; }

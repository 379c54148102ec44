#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# chain/differential: the embedded ledger against Livepeer's compiled
# contracts. Starts a devnet (pipelines/chain-devnet.sh: anvil with the
# contracts), makes an embedded ledger of its genesis, and runs one seeded
# random scenario on both (differential.mjs), which compares every
# quantity after every step. Installs the pinned npm packages into
# BUILD_DIR/chain-npm on first use; SKIP (77) only when the npm registry
# cannot be reached.
#
# Usage: differential.sh BUILD_DIR SOURCE_DIR [--seed S] [--steps N]
#          [--runs R] [--verbose]
# --runs R runs R scenarios with seeds S, S+1, ... each on a fresh devnet.
# The environment can say the same (LP_DIFF_SEED, LP_DIFF_STEPS,
# LP_DIFF_RUNS), for `meson test chain/differential` with more seeds.
set -euo pipefail

build=$(cd "${1:?usage: differential.sh BUILD_DIR SOURCE_DIR [options]}" && pwd)
src=$(cd "${2:?usage: differential.sh BUILD_DIR SOURCE_DIR [options]}" && pwd)
shift 2
# CI's scenario: a fixed seed, so that a failure is a change in the code,
# not in the draw
seed=${LP_DIFF_SEED:-20260101}
steps=${LP_DIFF_STEPS:-300}
runs=${LP_DIFF_RUNS:-1}
verbose=()
while [ $# -gt 0 ]; do
  case $1 in
    --seed) seed=${2:?--seed needs a value}; shift 2 ;;
    --steps) steps=${2:?--steps needs a value}; shift 2 ;;
    --runs) runs=${2:?--runs needs a value}; shift 2 ;;
    --verbose) verbose=(--verbose); shift ;;
    *) echo "differential.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

# shellcheck source=tests/check/chain/lib.sh
source "$src/tests/check/chain/lib.sh"
chain_test_begin chain-diff
chain_test_devnet "$work/devnet"
lpctl=$build/tools/lpctl
script=$src/pipelines/chain-devnet.sh

stop_devnet() {
  if [ -f "$work/devnet/anvil.pid" ]; then
    bash "$script" --stop "$work/devnet" >/dev/null 2>&1 || true
  fi
}

chain_npm_install

# One scenario on a fresh devnet and a fresh ledger. The devnet: 9
# accounts (a driver of the block clock, 3 orchestrators, 3 delegators, 2
# broadcasters), short rounds so that a scenario crosses many, an
# unbonding and an unlock period of a few rounds so that locks come due,
# and an active set of 2 so that orchestrators join, leave and evict.
# (differential.mjs upgrades the RoundsManager to Livepeer's
# AdjustableRoundsManager: its block number moves only when the scenario
# says, not with each transaction, so that both sides run each step in the
# same block.)
run_one() {   # SEED
  local start=$SECONDS
  stop_devnet
  rm -rf "$work/devnet" "$work/ledger.db" "$work/keys"
  mkdir -p "$work/keys"
  lp_take_port port
  bash "$script" --dir "$work/devnet" --port "$port" --npm-dir "$npm_dir" \
    --accounts 9 --round-length 20 --unbonding-period 3 \
    --unlock-period 2 --num-active 2 --inflation 10000000 \
    >"$work/devnet.log" 2>&1 || { cat "$work/devnet.log" >&2; die "chain-devnet.sh failed"; }
  "$lpctl" --ledger "$work/ledger.db" init --genesis "$work/devnet/genesis.json" >/dev/null ||
    die "lpctl init --genesis failed"
  node "$src/tests/check/chain/differential.mjs" --npm-dir "$npm_dir" \
    --chain "$work/devnet/chain.json" --lpctl "$lpctl" --ledger "$work/ledger.db" \
    --keys "$work/keys" --seed "$1" --steps "$steps" ${verbose[@]+"${verbose[@]}"} ||
    die "the embedded ledger and the contracts differ (above; seed $1)"
  echo "seed $1: $((SECONDS - start)) s"
}

for ((i = 0; i < runs; i++)); do
  run_one $((seed + i))
done
echo "PASS: $runs scenario(s) of $steps steps, seeds $seed..$((seed + runs - 1)), equal to the wei"

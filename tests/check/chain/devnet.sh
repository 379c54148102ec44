#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# chain/devnet: pipelines/chain-devnet.sh on a free port, checked with
# ethers against Livepeer's contracts (devnet-check.mjs: registry,
# parameters, balances, the embedded ledger's genesis starting equal,
# bond / transcoder / deposit / round / reward / winning ticket / fees and
# stake withdrawn), and the same checks failing once the deployment is
# made wrong (round length, registry); then --stop stops anvil; --help, a
# bad argument and a bad parameter fail clearly, and a failed deployment
# leaves no anvil behind. Installs the pinned npm packages into BUILD_DIR/chain-npm on
# first use; SKIP (77) only when the npm registry cannot be reached.
# Usage: devnet.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build=$(cd "${1:?usage: devnet.sh BUILD_DIR SOURCE_DIR}" && pwd)
src=$(cd "${2:?usage: devnet.sh BUILD_DIR SOURCE_DIR}" && pwd)
# shellcheck source=tests/check/chain/lib.sh
source "$src/tests/check/chain/lib.sh"
chain_test_begin chain-devnet
chain_test_devnet "$work/devnet"
script=$src/pipelines/chain-devnet.sh

chain_npm_install

out=$(bash "$script" --help) || die "--help failed"
grep -q '^Usage: pipelines/chain-devnet.sh' <<<"$out" || die "--help prints no usage"
if out=$(bash "$script" --bogus 2>&1); then die "a bad argument was accepted"; fi
grep -q "unknown argument '--bogus'" <<<"$out" || die "a bad argument: unclear error: $out"

# (no --port: the script takes a free one)
if out=$(bash "$script" --dir "$work/bad" --npm-dir "$npm_dir" \
    --inflation 2000000000 2>&1); then
  die "an inflation over 1e9 was accepted"
fi
grep -q "inflation is over 1e9" <<<"$out" || die "--inflation 2000000000: unclear error: $out"
[[ $out =~ anvil\ on\ http://127\.0\.0\.1:([0-9]+) ]] ||
  die "anvil did not start before the deployment: $out"
bad_port=${BASH_REMATCH[1]}
[ ! -f "$work/bad/anvil.pid" ] || ! kill -0 "$(cat "$work/bad/anvil.pid")" 2>/dev/null ||
  die "a failed deployment left anvil running"
! (exec 3<>"/dev/tcp/127.0.0.1/$bad_port") 2>/dev/null ||
  die "a failed deployment left anvil on port $bad_port"

port=
lp_take_port port
start=$SECONDS
bash "$script" --dir "$work/devnet" --port "$port" --npm-dir "$npm_dir" --accounts 3 \
  --round-length 30 || die "chain-devnet.sh failed"
echo "devnet started and deployed in $((SECONDS - start)) s"
pid=$(cat "$work/devnet/anvil.pid")
kill -0 "$pid" 2>/dev/null || die "anvil does not run in the background"

node "$src/tests/check/chain/devnet-check.mjs" "$work/devnet" "$npm_dir" \
  "$build/tools/lpctl" || die "the devnet does not work (above)"

# The checks fail on a wrong deployment: the owner sets another round
# length, then registers the TicketBroker as the BondingManager.
expect_broken() {   # WHAT MESSAGE
  local out
  if out=$(node "$src/tests/check/chain/devnet-check.mjs" --break "$1" "$work/devnet" \
      "$npm_dir" 2>&1); then
    die "devnet-check passed on a deployment with a broken $1: $out"
  fi
  grep -qF "$2" <<<"$out" || die "a broken $1: devnet-check failed for another reason: $out"
  echo "a broken $1 is caught: $out"
}
expect_broken round-length "roundLength: 31 (expected 30)"
expect_broken registry 'Controller.getContract(keccak256("BondingManager"))'

bash "$script" --stop "$work/devnet" || die "--stop failed"
for ((i = 0; i < 50; i++)); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
! kill -0 "$pid" 2>/dev/null || die "anvil (pid $pid) still runs after --stop"
! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || die "port $port still answers after --stop"
echo "PASS: chain-devnet deployed, checked and stopped in $((SECONDS - start)) s"

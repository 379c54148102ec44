#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What redeeming on a chain costs (bench/README.md, "chain.sh"): on the
# devnet (pipelines/chain-devnet.sh: anvil, automine, Livepeer's
# contracts), TICKETS always-winning tickets redeemed through lpctl (our
# core's chain ledger: one redeemWinningTicket transaction each, its
# receipt awaited) for redemptions per second; the same through ethers
# alone for comparison; and the gas of one redemption against a ticket's
# share of batchRedeemWinningTickets, read from the receipts.
# Usage: bash bench/chain.sh [TICKETS] [BATCH_SIZE...]   (defaults 200; 10 50)
set -euo pipefail
cd "$(dirname "$0")/.."
tickets=${1:-200}
shift || true
batches=("$@")
[ ${#batches[@]} -gt 0 ] || batches=(10 50)
src=$PWD
build=$src/build
npm_dir=$build/chain-npm
lpctl=$build/tools/lpctl
redeem_js=$src/bench/lib/chain-redeem.mjs
# shellcheck source=pipelines/lib/npm-tools.sh
. "$src/pipelines/lib/npm-tools.sh"

bash scripts/build.sh >/dev/null
rc=0
lp_npm_install "$npm_dir" || rc=$?
[ $rc -ne 77 ] || { echo "bench/chain.sh: the npm registry cannot be reached"; exit 77; }
[ $rc -eq 0 ] || { echo "bench/chain.sh: the npm packages cannot be installed" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/lp-bench-chain-XXXXXX")
cleanup() {
  [ ! -f "$work/devnet/anvil.pid" ] ||
    bash pipelines/chain-devnet.sh --stop "$work/devnet" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

bash pipelines/chain-devnet.sh --dir "$work/devnet" --npm-dir "$npm_dir" --accounts 2 \
  --eth 10000e18 --round-length 1000 >"$work/devnet.log" 2>&1 ||
  { tail -n 20 "$work/devnet.log" >&2; exit 1; }
chain=$work/devnet/chain.json
read -r rpc controller O okey _ bkey < <(node -e 'const c = require(process.argv[1]);
  const [o, b] = c.accounts;
  console.log(c.rpc, c.controller, o.address, o.key_file, b.address, b.key_file);' "$chain")
L="$rpc?controller=$controller&queue=$work/queue.db"
ctl() { "$lpctl" --ledger "$L" "$@"; }
ctl bond --from "$okey" --to "$O" --amount 1000e18 >/dev/null
ctl register --from "$okey" --reward-cut 10% --fee-share 50% >/dev/null
ctl deposit --from "$bkey" --deposit 5000e18 --reserve 1e18 >/dev/null
ctl advance --rounds 1 --init --from "$bkey" >/dev/null

now() { date +%s.%N; }
block() { ctl status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["block"])'; }

# 1. through lpctl: one process, TICKETS tickets of one payment
rand=123456789
node "$redeem_js" "$npm_dir" "$chain" params 1 0 1e15 "$rand" >"$work/params.json"
"$lpctl" payment make --key-file "$bkey" --params "$work/params.json" \
  --nonces "1-$tickets" | tail -n 1 >"$work/payment.b64"
first=$(( $(block) + 1 ))
t0=$(now)
ctl redeem - --recipient-rand "$rand" --from "$okey" --json <"$work/payment.b64" >"$work/redeem.json"
t1=$(now)
last=$(block)
redeemed=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["redeemed"])' "$work/redeem.json")
[ "$redeemed" -eq "$tickets" ] || { echo "only $redeemed of $tickets tickets redeemed" >&2; exit 1; }
node "$redeem_js" "$npm_dir" "$chain" receipts "$first" "$last" >"$work/core-gas.json"

# 2. through ethers alone, then batches
node "$redeem_js" "$npm_dir" "$chain" ethers 1 0 1e15 "$tickets" "${batches[@]}" >"$work/ethers.json"

python3 - "$tickets" "$t0" "$t1" "$work/core-gas.json" "$work/ethers.json" <<'EOF'
import json, statistics, sys
n, t0, t1 = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
core = json.load(open(sys.argv[4]))
eth = json.load(open(sys.argv[5]))
if core["redemptions"] != n:
    sys.exit(f"{core['redemptions']} redeemWinningTicket receipts, expected {n}")
wall = t1 - t0
print(f"lpctl redeem, {n} tickets one transaction each: {wall:.2f} s, "
      f"{n / wall:.1f} redemptions/s ({1000 * wall / n:.1f} ms each, the process's start included)")
print(f"ethers, {n} tickets one transaction each (receipt awaited): "
      f"{eth['singles_per_second']:.1f} redemptions/s")
def gas_line(what, gas):
    rest = gas[1:] or gas
    print(f"{what}: first {gas[0]}, then median {int(statistics.median(rest))} "
          f"(min {min(rest)}, max {max(rest)})")
gas_line("gas per redeemWinningTicket, our core", core["gas"])
gas_line("gas per redeemWinningTicket, ethers", eth["singles"])
single = statistics.median(eth["singles"][1:] or eth["singles"])
for b in eth["batches"]:
    print(f"gas per ticket in batchRedeemWinningTickets of {b['size']}: {b['per_ticket']:.0f} "
          f"(batch {b['gas']}; {100 * b['per_ticket'] / single:.1f} % of a single redemption)")
EOF

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
# shellcheck source=bench/lib/chain.sh
. bench/lib/chain.sh
redeem_js=$bench_src/bench/lib/chain-redeem.mjs
npm_dir=$bench_npm_dir
lpctl=$bench_lpctl
work=$bench_work

bench_chain_prepare
# rounds of 1000 blocks: every redemption mines one, and all of them must
# fall in the initialized round
bench_chain_devnet 1000 5000e18 1e18
ctl() { bench_ctl "$@"; }

now() { date +%s.%N; }
block() { ctl status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["block"])'; }

# 1. through lpctl: one process, TICKETS tickets of one payment
rand=123456789
node "$redeem_js" "$npm_dir" "$chain" params 1 0 1e15 "$rand" >"$work/params.json"
"$lpctl" payment make --key-file "$bkey" --params "$work/params.json" \
  --nonces "1-$tickets" | tail -n 1 >"$work/payment.b64"
first=$(( $(block) + 1 ))
rpc_log=$work/devnet/anvil.log
from=$(($(wc -l <"$rpc_log") + 1))
t0=$(now)
ctl redeem - --recipient-rand "$rand" --from "$okey" --json <"$work/payment.b64" >"$work/redeem.json"
t1=$(now)
# anvil logs each JSON-RPC method it serves, one a line
tail -n +"$from" "$rpc_log" | grep -o -E '^(eth|net|web3|anvil)_[A-Za-z]+' |
  sort | uniq -c | sort -rn | awk -v n="$tickets" '
    { total += $1; list = list sprintf("%s %d, ", $2, $1) }
    END { printf "lpctl redeem sent %d JSON-RPC requests, %.1f per ticket: %s\n", total, total / n, list }'
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

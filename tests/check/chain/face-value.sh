#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# chain/face-value: lporchestrator sizes a ticket's face value on a chain
# as go-livepeer does. On pipelines/chain-devnet.sh (anvil's own gas
# price, 1 gwei), an orchestrator and a broadcaster with 1 ETH of deposit
# and reserve; a short livepeersink stream (the first one finding the
# orchestrator in the chain's active set and ServiceRegistry) asks for
# ticket parameters:
#   - face value = min(redeem-gas x gasPrice x 100, the sender's max
#     float), with gasPrice the node's eth_gasPrice and the max float the
#     reserve over the active set's size, both read with ethers;
#   - redeem-gas=350000 (L1's) sizes it so as well;
#   - max-face-value below the cost of a redemption is refused
#     ("insufficient sender reserve ... does not cover a redemption
#     transaction"), as go-livepeer's.
# The face value is read from lporchestrator's DEBUG log.
# Installs the pinned npm packages into BUILD_DIR/chain-npm on first use;
# SKIP (77) only when the npm registry cannot be reached.
# Usage: face-value.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build=$(cd "${1:?usage: face-value.sh BUILD_DIR SOURCE_DIR}" && pwd)
src=$(cd "${2:?usage: face-value.sh BUILD_DIR SOURCE_DIR}" && pwd)
# shellcheck source=tests/check/chain/lib.sh
source "$src/tests/check/chain/lib.sh"
chain_orchestrator_test_begin face-value

bash "$src/pipelines/chain-devnet.sh" --dir "$devnet" --npm-dir "$npm_dir" \
  --accounts 2 --round-length 100 >"$work/devnet.log" 2>&1 ||
  die "chain-devnet.sh failed: $(tail -n 20 "$work/devnet.log")"
cd "$work"
read -r rpc controller o_key b_key < <(python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))
print(c["rpc"], c["controller"], c["accounts"][0]["key_file"], c["accounts"][1]["key_file"])' \
  "$devnet/chain.json")
ledger="$rpc?controller=$controller&queue=$work/queue.db"
lp() {
  "$LPCTL" --ledger "$ledger" "$@" >>"$work/lpctl.log" 2>&1 || die "lpctl $* failed: $(tail -n 5 "$work/lpctl.log")"
}
o=$("$LPCTL" account address "$o_key" | tail -n 1)
b=$("$LPCTL" account address "$b_key" | tail -n 1)
lp_take_port port
lp bond --from "$o_key" --to "$o" --amount 1000e18
lp register --from "$o_key" --reward-cut 10% --fee-share 50% --service-uri "http://127.0.0.1:$port"
lp deposit --from "$b_key" --deposit 1e18 --reserve 1e18
lp advance --rounds 1 --init --from "$o_key"

# the independent reads: the node's gas price, the broadcaster's reserve,
# the active set's size (ethers)
read -r gas_price reserve n_active < <(node -e '
const { createRequire } = require("node:module");
const ethers = createRequire(process.argv[1] + "/node_modules/x.js")("ethers");
const c = require(process.argv[2]);
const p = new ethers.JsonRpcProvider(c.rpc);
const at = async (name, abi) => new ethers.Contract(await new ethers.Contract(c.controller,
  ["function getContract(bytes32) view returns (address)"], p).getContract(ethers.id(name)), abi, p);
(async () => {
  const gas = BigInt(await p.send("eth_gasPrice", []));
  const tb = await at("TicketBroker", ["function getSenderInfo(address) view returns ((uint256,uint256),(uint256,uint256))"]);
  const bm = await at("BondingManager", ["function getTranscoderPoolSize() view returns (uint256)"]);
  const info = await tb.getSenderInfo(process.argv[3]);
  console.log(gas.toString(), info[1][0].toString(), (await bm.getTranscoderPoolSize()).toString());
  process.exit(0);
})();' "$npm_dir" "$devnet/chain.json" "$b") || die "the ethers reads failed"
[ "$gas_price" != 0 ] || die "the devnet's gas price is 0: nothing to size"
echo "gas price $gas_price wei, reserve $reserve wei, $n_active active"

# stream NAME ORCHESTRATOR-PROPERTIES...: an orchestrator with them, and 2 s
# of video through livepeersink; their logs in NAME-o.log and NAME-b.log.
# livepeersink is given the orchestrator's URI, except with
# LP_FROM_CHAIN=1: it then takes the active set and the service URIs from
# the chain (BondingManager, ServiceRegistry).
stream() {
  local name=$1 i pool=("orchestrators=http://127.0.0.1:$port")
  shift
  [ "${LP_FROM_CHAIN:-0}" = 0 ] || pool=()
  GST_DEBUG="*:1,lporchestrator:5" GST_DEBUG_NO_COLOR=1 gst-launch-1.0 lporchestrator \
    "port=$port" "key-file=$o_key" "ledger=$ledger" price-per-unit=1000 "$@" \
    >"$name-o.log" 2>&1 &
  orchestrator_pid=$!
  for ((i = 0; i < 100; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$orchestrator_pid" 2>/dev/null || die "lporchestrator $* exited: $(tail -n 5 "$name-o.log")"
    sleep 0.2
  done
  timeout 120 gst-launch-1.0 -m -e videotestsrc num-buffers=60 \
    ! video/x-raw,width=640,height=360,framerate=30/1 \
    ! livepeersink ${pool[@]+"${pool[@]}"} "key-file=$b_key" \
    "ledger=$ledger" profiles=P240p30fps16x9 "location=$work/hls-$name" \
    >"$name-b.log" 2>&1 || true
  kill -INT "$orchestrator_pid"
  wait "$orchestrator_pid" || true
  orchestrator_pid=
}

# face_value NAME: the face value of the first ticket parameters NAME's
# orchestrator made
face_value() {
  sed -n 's/.*ticket parameters: face value \([0-9]*\) wei (gas price \([0-9]*\) wei.*/\1 \2/p' "$1-o.log" | head -n 1
}

min() { python3 -c 'import sys; print(min(int(a) for a in sys.argv[1:]))' "$@"; }

# ---- default redeem-gas (L2's 1 200 000) ---------------------------------
# (the broadcaster finds the orchestrator on the chain)
LP_FROM_CHAIN=1 stream l2
read -r face gas < <(face_value l2) || die "no ticket parameters in l2-o.log: $(tail -n 5 l2-o.log)"
[ "$gas" = "$gas_price" ] || die "sized with gas price $gas, the node says $gas_price"
want=$(min "$((1200000 * gas_price * 100))" "$((reserve / n_active))")
[ "$face" = "$want" ] || die "face value $face, want min(1200000 x $gas_price x 100, $reserve / $n_active) = $want"
grep -q "livepeersink-segment, .*orchestrator=(string)http://127.0.0.1:$port," l2-b.log ||
  die "no segment went to the orchestrator the chain lists, with the L2 face value: $(grep -m3 ERROR l2-b.log)"
echo "redeem-gas 1200000: face value $face wei"

# ---- L1's 350 000 --------------------------------------------------------
stream l1 redeem-gas=350000
read -r face gas < <(face_value l1) || die "no ticket parameters in l1-o.log"
want=$(min "$((350000 * gas_price * 100))" "$((reserve / n_active))")
[ "$face" = "$want" ] || die "redeem-gas=350000: face value $face, want $want"
echo "redeem-gas 350000: face value $face wei"

# ---- a cap below the cost of a redemption is refused ---------------------
cap=$((1200000 * gas_price - 1))
stream capped "max-face-value=$cap"
grep -q "insufficient sender reserve: faceValue=$cap does not cover a redemption transaction" capped-b.log ||
  die "max-face-value $cap (below a redemption's $((1200000 * gas_price)) wei) was not refused: $(grep -m3 'ERROR\|insufficient' capped-b.log)"
echo "max-face-value $cap: refused"
echo "PASS"

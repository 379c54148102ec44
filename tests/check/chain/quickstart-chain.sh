#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# chain/quickstart-chain: the README demo on a chain.
# `pipelines/quickstart.sh --chain --seconds 10` (anvil with Livepeer's
# contracts, two lporchestrator and a livepeersink on it), then:
#   - every rendition has as many segments as the source, and ends;
#   - tickets were won, and each is redeemed: the TicketBroker's
#     WinningTicketRedeemed events, read with ethers, count as many as the
#     orchestrators' logs say they won; nothing is left in the queue;
#   - both orchestrators called reward in the round the script moved to
#     (BondingManager.getTranscoder's lastRewardRound, read with ethers)
#     and the Minter minted in it;
#   - the orchestrators' request path read the chain once, the
#     broadcaster's deposit when it first came, and nothing per segment
#     (lporchestrator's INFO log names each such read; the rest comes
#     from the view its ledger worker keeps, ext/livepeer/lporchview.c);
#     they read the node's gas price (0 on this devnet: --zero-gas-price).
# Installs the pinned npm packages into BUILD_DIR/chain-npm on first use;
# SKIP (77) only when the npm registry cannot be reached.
# Usage: quickstart-chain.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build=$(cd "${1:?usage: quickstart-chain.sh BUILD_DIR SOURCE_DIR}" && pwd)
src=$(cd "${2:?usage: quickstart-chain.sh BUILD_DIR SOURCE_DIR}" && pwd)
# shellcheck source=tests/check/chain/lib.sh
source "$src/tests/check/chain/lib.sh"
chain_test_begin quickstart-chain
qs=$work/quickstart
chain_test_devnet "$qs/chain"
seconds=10
start=$SECONDS

chain_npm_install

lp_take_port p1
lp_take_port p2
rc=0
# lporchestrator's INFO log says each ledger read its request path made
LP_BUILD_DIR=$build GST_DEBUG="*:1,lporchestrator:4,lpbroadcaster:4" GST_DEBUG_NO_COLOR=1 \
  bash "$src/pipelines/quickstart.sh" \
  --chain --keep-chain --npm-dir "$npm_dir" --seconds $seconds \
  --dir "$qs" --ports "$p1,$p2" >"$work/out.txt" 2>&1 || rc=$?
cat "$work/out.txt"
[ $rc -ne 77 ] || { echo "SKIP: no local chain (npm registry out of reach)"; exit 77; }
[ $rc -eq 0 ] || die "quickstart.sh --chain failed (exit status $rc)"
out=$(cat "$work/out.txt")
echo "quickstart --chain took $((SECONDS - start)) s"

# ---- segments of every rendition ----------------------------------------
source_segments=$(grep -c '^[^#]' "$qs/hls/source/index.m3u8" 2>/dev/null || true)
[ "${source_segments:-0}" -ge $((seconds / 2)) ] ||
  die "the source playlist has ${source_segments:-no} segments for $seconds s"
renditions=0
for r in "$qs"/hls/*/index.m3u8; do
  [ "$(grep -c '^[^#]' "$r")" -eq "$source_segments" ] ||
    die "$r has $(grep -c '^[^#]' "$r") segments, the source $source_segments"
  grep -q '^#EXT-X-ENDLIST' "$r" || die "$r does not end"
  renditions=$((renditions + 1))
done
[ $renditions -eq 3 ] || die "$renditions playlists, not the source and two renditions"

# ---- tickets: won, redeemed on chain, none queued ------------------------
won=$(cat "$qs"/o1.log "$qs"/o2.log | grep -c 'lporchestrator-ticket-won' || true)
redeemed_ok=$(cat "$qs"/o1.log "$qs"/o2.log |
  grep 'lporchestrator-ticket-redeemed' | grep -c 'success=(boolean)true' || true)
[ "$won" -gt 0 ] || die "no ticket won"
[ "$redeemed_ok" -eq "$won" ] || die "$won tickets won, $redeemed_ok redeemed"
grep -q "$won won, $won redeemed on the ledger (lpctl tickets: $won), 0 refused, 0 still queued" <<<"$out" ||
  die "the summary's tickets line disagrees: $(grep '^  tickets' <<<"$out")"

read_chain() {   # ARGS...: chain-read.mjs, one value a line
  node "$src/tests/check/chain/chain-read.mjs" "$npm_dir" "$qs/chain/chain.json" "$@" ||
    die "the ethers read '$*' failed"
}
events=$(chain_redeemed_events "$qs/chain/chain.json")
[ "$events" -eq "$won" ] || die "the TicketBroker has $events WinningTicketRedeemed events, the orchestrators won $won"
queued=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["count"])' "$qs/tickets-queued.json")
[ "$queued" -eq 0 ] || die "$queued tickets still queued"

# ---- rewards in the new round -------------------------------------------
round=$(read_chain view RoundsManager "function currentRound() view returns (uint256)")
start_round=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["round"])' "$qs/status-start.json")
[ "$round" -eq $((start_round + 1)) ] || die "round $round at the end, $start_round at the start"
for o in o1 o2; do
  address=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["address"])' "$qs/$o-end.json")
  last=$(read_chain view BondingManager "function getTranscoder(address) view returns (uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256)" "$address" | head -n 1)
  [ "$last" -eq "$round" ] || die "$o's last reward round is $last, not $round"
done
minted=$(read_chain view Minter "function currentMintedTokens() view returns (uint256)")
[ "$minted" != 0 ] || die "the Minter minted nothing in round $round"

# ---- the segment path asked the chain nothing once warm ------------------
# Each orchestrator reads the broadcaster's deposit and reserve once, when
# it first sees it (its discovery); everything else the request path needs
# comes from the view its ledger worker refreshes.
gas_price=$(node -e 'const { createRequire } = require("node:module");
  const ethers = createRequire(process.argv[1] + "/node_modules/x.js")("ethers");
  const c = require(process.argv[2]);
  new ethers.JsonRpcProvider(c.rpc).send("eth_gasPrice", [])
    .then((p) => { console.log(BigInt(p).toString()); process.exit(0); });' \
  "$npm_dir" "$qs/chain/chain.json") || die "ethers could not read the gas price"
for o in o1 o2; do
  reads=$(grep -c 'ledger read on the request path' "$qs/$o.log" || true)
  first=$(grep -c 'ledger read on the request path: sender info of .* (first seen)' "$qs/$o.log" || true)
  [ "$reads" -le 1 ] && [ "$reads" -eq "$first" ] ||
    die "$o's request path read the chain $reads times: $(grep 'ledger read on the request path' "$qs/$o.log" | cut -c1-300)"
  grep -q "gas price $gas_price wei" "$qs/$o.log" ||
    die "$o did not size face values with the node's gas price, $gas_price wei: $(grep 'gas price' "$qs/$o.log" | cut -c1-300)"
done

# livepeersink's segments read the deposit and reserve from its watcher's
# copy (read before the first segment)
if grep -q 'sender info read on the segment path' "$qs/broadcaster.log"; then
  die "livepeersink read its sender info on a segment's path: $(grep -m1 'sender info read on the segment path' "$qs/broadcaster.log")"
fi

echo "PASS: $source_segments segments x 3 playlists, $won tickets won and redeemed on chain, rewards in round $round ($minted wei minted), $((SECONDS - start)) s"

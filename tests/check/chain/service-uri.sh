#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# chain/service-uri: lporchestrator registers its own service URI on a
# chain (register-service-uri=true). On pipelines/chain-devnet.sh (rounds
# of 100 blocks, the last half locked), an orchestrator is registered
# with `lpctl register` at a URI where nothing listens; the chain is then
# moved into the round's lock period, where a change of its reward cut is
# refused (BondingManager.transcoder reverts). Then:
#   - lporchestrator started on another port with register-service-uri=true
#     posts lporchestrator-service-uri, and the ServiceRegistry, read with
#     ethers, gives its new URI, with its reward cut and fee share kept
#     (BondingManager.getTranscoder), all within the locked round;
#   - a livepeersink given only the chain finds it there: its segments go
#     to the new URI;
#   - an lporchestrator whose address is not registered says so on the bus
#     (a warning naming the reason) and the ServiceRegistry has no URI for
#     it.
# Installs the pinned npm packages into BUILD_DIR/chain-npm on first use;
# SKIP (77) only when the npm registry cannot be reached.
# Usage: service-uri.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build=$(cd "${1:?usage: service-uri.sh BUILD_DIR SOURCE_DIR}" && pwd)
src=$(cd "${2:?usage: service-uri.sh BUILD_DIR SOURCE_DIR}" && pwd)
# shellcheck source=tests/check/chain/lib.sh
source "$src/tests/check/chain/lib.sh"
chain_orchestrator_test_begin service-uri

bash "$src/pipelines/chain-devnet.sh" --dir "$devnet" --npm-dir "$npm_dir" \
  --accounts 3 --round-length 100 --round-lock-amount 500000 >"$work/devnet.log" 2>&1 ||
  die "chain-devnet.sh failed: $(tail -n 20 "$work/devnet.log")"
cd "$work"
read -r rpc controller o_key b_key u_key < <(python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))
print(c["rpc"], c["controller"], *(a["key_file"] for a in c["accounts"][:3]))' \
  "$devnet/chain.json")
ledger="$rpc?controller=$controller&queue=$work/queue.db"
lp() {
  "$LPCTL" --ledger "$ledger" "$@" >>"$work/lpctl.log" 2>&1 || die "lpctl $* failed: $(tail -n 5 "$work/lpctl.log")"
}
o=$("$LPCTL" account address "$o_key" | tail -n 1)
u=$("$LPCTL" account address "$u_key" | tail -n 1)
lp_take_port old_port
lp_take_port port
lp_take_port u_port
old_uri=http://127.0.0.1:$old_port
new_uri=http://127.0.0.1:$port
lp bond --from "$o_key" --to "$o" --amount 1000e18
lp register --from "$o_key" --reward-cut 10% --fee-share 50% --service-uri "$old_uri"
lp deposit --from "$b_key" --deposit 1e18 --reserve 1e18
lp advance --rounds 1 --init --from "$o_key"
lp advance --blocks 60

read_chain() {   # ARGS...: chain-read.mjs, one value a line
  node "$src/tests/check/chain/chain-read.mjs" "$npm_dir" "$devnet/chain.json" "$@" ||
    die "the ethers read '$*' failed"
}
registered_uri() {   # ADDRESS
  read_chain view ServiceRegistry "function getServiceURI(address) view returns (string)" "$1"
}
rates() {   # ADDRESS: "REWARD_CUT FEE_SHARE"
  read_chain view BondingManager "function getTranscoder(address) view returns (uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256)" "$1" |
    sed -n '2,3p' | paste -sd' '
}
locked() {
  read_chain view RoundsManager "function currentRoundLocked() view returns (bool)"
}
round() {
  read_chain view RoundsManager "function currentRound() view returns (uint256)"
}

[ "$(registered_uri "$o")" = "$old_uri" ] || die "lpctl register did not set $old_uri: $(registered_uri "$o")"
[ "$(locked)" = true ] || die "the round is not locked after 60 of its 100 blocks"
start_round=$(round)
# the reason a plain re-registration cannot update the URI here
if "$LPCTL" --ledger "$ledger" register --from "$o_key" --reward-cut 20% --fee-share 50% \
    --service-uri "$new_uri" >"$work/register-locked.log" 2>&1; then
  die "a reward cut change was accepted in a locked round"
fi
grep -qi 'lock' "$work/register-locked.log" ||
  die "the locked round's refusal does not say so: $(cat "$work/register-locked.log")"

# start_orchestrator NAME KEY PORT: lporchestrator with register-service-uri,
# its bus messages in NAME.log
start_orchestrator() {
  local i
  GST_DEBUG="*:1,lporchestrator:4" GST_DEBUG_NO_COLOR=1 gst-launch-1.0 -m lporchestrator \
    "port=$3" "key-file=$2" "ledger=$ledger" price-per-unit=1000 \
    register-service-uri=true >"$1.log" 2>&1 &
  orchestrator_pid=$!
  for ((i = 0; i < 100; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$3") 2>/dev/null && return 0
    kill -0 "$orchestrator_pid" 2>/dev/null || die "lporchestrator $1 exited: $(tail -n 5 "$1.log")"
    sleep 0.2
  done
  die "lporchestrator $1 does not listen on $3: $(tail -n 5 "$1.log")"
}
stop_orchestrator() {
  kill -INT "$orchestrator_pid"
  wait "$orchestrator_pid" || true
  orchestrator_pid=
}
wait_for() {   # FILE PATTERN SECONDS
  local i
  for ((i = 0; i < $3 * 5; i++)); do
    grep -q "$2" "$1" && return 0
    sleep 0.2
  done
  return 1
}

# ---- the registered orchestrator sets its URI, in the locked round -------
start_orchestrator o "$o_key" "$port"
wait_for o.log 'lporchestrator-service-uri' 60 ||
  die "no lporchestrator-service-uri message within 60 s: $(grep -m3 'WARNING\|ERROR' o.log | cut -c1-300)"
grep 'lporchestrator-service-uri' o.log | grep -qF "service-uri=(string)$new_uri" ||
  die "the message does not name $new_uri: $(grep 'lporchestrator-service-uri' o.log)"
grep 'lporchestrator-service-uri' o.log | grep -qF "previous-uri=(string)$old_uri" ||
  die "the message does not name the previous $old_uri: $(grep 'lporchestrator-service-uri' o.log)"
[ "$(registered_uri "$o")" = "$new_uri" ] ||
  die "the ServiceRegistry gives $(registered_uri "$o") for $o, not $new_uri"
[ "$(rates "$o")" = "100000 500000" ] || die "the reward cut and fee share changed: $(rates "$o")"
[ "$(round)" = "$start_round" ] && [ "$(locked)" = true ] ||
  die "the round moved or unlocked before the check (round $(round), locked $(locked))"
echo "service URI $old_uri -> $new_uri in locked round $start_round, rates kept"

# ---- a broadcaster given only the chain finds it there -------------------
timeout 120 gst-launch-1.0 -m -e videotestsrc num-buffers=60 \
  ! video/x-raw,width=640,height=360,framerate=30/1 \
  ! livepeersink "key-file=$b_key" "ledger=$ledger" profiles=P240p30fps16x9 \
  "location=$work/hls" >b.log 2>&1 || true
grep -q "livepeersink-segment, .*orchestrator=(string)$new_uri," b.log ||
  die "no segment went to $new_uri, the URI the chain lists: $(grep -m3 'ERROR\|WARN' b.log | cut -c1-300)"
stop_orchestrator
echo "livepeersink found it at $new_uri"

# ---- an address that is not registered is refused, clearly --------------
start_orchestrator u "$u_key" "$u_port"
wait_for u.log 'Could not register the service URI' 60 ||
  die "no warning for an unregistered address within 60 s: $(grep -m3 'WARNING\|ERROR' u.log | cut -c1-300)"
grep 'Could not register the service URI' u.log | grep -q 'not a registered orchestrator' ||
  die "the warning does not say why: $(grep 'Could not register the service URI' u.log | cut -c1-400)"
stop_orchestrator
[ -z "$(registered_uri "$u")" ] || die "$u, not registered, has a URI: $(registered_uri "$u")"
echo "PASS: $o moved to $new_uri in a locked round and was found there; $u refused (not registered)"

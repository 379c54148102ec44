#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# chain/node-restart: the chain's node restarts in the middle of a stream.
# `pipelines/quickstart.sh --chain --seconds 40` runs (the source is not
# live: 40 s of video, long enough to outlast the outage below now that
# segments go faster than real time); once the source has
# two segments, anvil is stopped (SIGTERM: it saves its state, which
# chain-devnet.sh has it keep in DIR/state.json), stays down for 8 s
# (connections refused), and is started again with the same command line,
# on the same port, from that state. Then:
#   - the restarted node went on from the saved chain (its head is not
#     behind the one read before the stop);
#   - segments went on while the node was down, and every rendition has
#     as many segments as the source (nothing lost, no failover);
#   - each orchestrator said so once on the bus, as a warning whose debug
#     text names the node;
#   - every ticket won was redeemed once the node was back, exactly once:
#     as many tickets in the TicketBroker's WinningTicketRedeemed events
#     (read with ethers) as were won, none with two events, none left
#     queued.
# Installs the pinned npm packages into BUILD_DIR/chain-npm on first use;
# SKIP (77) only when the npm registry cannot be reached.
# Usage: node-restart.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build=$(cd "${1:?usage: node-restart.sh BUILD_DIR SOURCE_DIR}" && pwd)
src=$(cd "${2:?usage: node-restart.sh BUILD_DIR SOURCE_DIR}" && pwd)
# shellcheck source=tests/check/chain/lib.sh
source "$src/tests/check/chain/lib.sh"
chain_test_begin node-restart
qs=$work/quickstart
chain_test_devnet "$qs/chain"
seconds=40
down=8
anvil_pid=

chain_npm_install


block_number() {   # RPC_URL: the node's head, or nothing when it does not answer
  local answer hex
  answer=$(curl -s --max-time 2 -H 'Content-Type: application/json' \
    -d '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}' "$1") || return 0
  hex=$(sed -n 's/.*"result":"\(0x[0-9a-f]*\)".*/\1/p' <<<"$answer")
  [ -z "$hex" ] || echo $((hex))
}

# Stops anvil as an operator would (SIGTERM), waits out the outage, and
# starts it again with the command line it had.
restart_node() {
  local rpc argv=() i
  rpc=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rpc"])' "$qs/chain/chain.json")
  anvil_pid=$(cat "$qs/chain/anvil.pid")
  mapfile -d '' argv <"/proc/$anvil_pid/cmdline"
  printf '%s\n' "${argv[@]}" | grep -qx -- --state ||
    die "anvil runs without --state: $(tr '\0' ' ' <"/proc/$anvil_pid/cmdline")"
  head_before=$(block_number "$rpc")
  before=$(chain_source_segments)
  kill -TERM "$anvil_pid"
  for ((i = 0; i < 200; i++)); do
    kill -0 "$anvil_pid" 2>/dev/null || break
    sleep 0.1
  done
  ! kill -0 "$anvil_pid" 2>/dev/null || die "anvil (pid $anvil_pid) did not stop on SIGTERM"
  echo "node stopped at block $head_before, $before source segments"
  sleep $down
  during=$(chain_source_segments)
  setsid "${argv[@]}" >"$qs/chain/anvil-restarted.log" 2>&1 </dev/null &
  anvil_pid=$!
  echo "$anvil_pid" >"$qs/chain/anvil.pid"
  for ((i = 0; i < 200; i++)); do
    head_after=$(block_number "$rpc")
    [ -z "$head_after" ] || break
    kill -0 "$anvil_pid" 2>/dev/null ||
      die "the restarted anvil exited: $(tail -n 5 "$qs/chain/anvil-restarted.log")"
    sleep 0.1
  done
  [ -n "$head_after" ] || die "the restarted anvil does not answer on $rpc"
  echo "node restarted after $down s (pid $anvil_pid) at block $head_after, $during source segments"
}

chain_quickstart_begin "$seconds"
restarted=0
if kill -0 $quickstart 2>/dev/null; then
  restart_node
  restarted=1
fi
rc=0
wait $quickstart || rc=$?
cat "$work/out.txt"
[ $rc -ne 77 ] || skip "no local chain (npm registry out of reach)"
[ $rc -eq 0 ] || die "quickstart.sh --chain failed (exit status $rc)"
[ $restarted -eq 1 ] || die "the stream ended before the node could be restarted"
out=$(cat "$work/out.txt")
rpc=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rpc"])' "$qs/chain/chain.json")

# ---- the node went on from its saved state -------------------------------
[ "$head_after" -ge "$head_before" ] ||
  die "the restarted node is at block $head_after, behind the $head_before it had: its state was not restored"

# ---- segments went on, nothing lost --------------------------------------
[ "$during" -gt "$before" ] ||
  die "no segment while the node was down ($before before, $during after $down s)"
chain_check_stream_whole "$qs" "$out"

# ---- a clear message, once per orchestrator -------------------------------
chain_check_warned_once "$qs"
for o in o1 o2; do
  grep 'The ledger cannot be read' -A3 "$qs/$o.log" | grep -qF "$rpc" ||
    die "$o's warning does not name the node $rpc: $(grep -A3 'The ledger cannot be read' "$qs/$o.log" | cut -c1-400)"
done

# ---- every winning ticket redeemed exactly once after the restart ---------
chain_check_tickets_redeemed "$qs" "$out"
redeemed=$(chain_redeemed_tickets "$qs/chain/chain.json")
read -r tickets most <<<"$(echo $redeemed)"
[ "$tickets" -eq "$won" ] || die "the events redeem $tickets distinct tickets, $won were won"
[ "$most" -eq 1 ] || die "a ticket has $most WinningTicketRedeemed events"
echo "PASS: $total segments, $before before and $during after the node was down $down s; blocks $head_before -> $head_after; $won tickets won, each redeemed once"

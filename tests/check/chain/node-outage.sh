#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# chain/node-outage: the chain's node stops answering in the middle of a
# stream. `pipelines/quickstart.sh --chain --seconds 30` runs; once the
# source has two segments, anvil is frozen (SIGSTOP) for 14 s, longer than
# the chain ledger's 10 s request deadline, then resumed. Then:
#   - segments went on while the node was silent, and every rendition has
#     as many segments as the source (nothing lost, no failover);
#   - each orchestrator said so once on the bus, as a warning whose debug
#     text names the node and the missed deadline;
#   - every ticket won was redeemed once the node answered again
#     (WinningTicketRedeemed events read with ethers), none left queued.
# Installs the pinned npm packages into BUILD_DIR/chain-npm on first use;
# SKIP (77) only when the npm registry cannot be reached.
# Usage: node-outage.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build=$(cd "${1:?usage: node-outage.sh BUILD_DIR SOURCE_DIR}" && pwd)
src=$(cd "${2:?usage: node-outage.sh BUILD_DIR SOURCE_DIR}" && pwd)
# shellcheck source=tests/check/chain/lib.sh
source "$src/tests/check/chain/lib.sh"
chain_test_begin node-outage
qs=$work/quickstart
chain_test_devnet "$qs/chain"
seconds=30
outage=14
anvil_pid=

# a frozen anvil is thawed before the devnet is stopped
chain_test_on_exit() {
  [ -z "$anvil_pid" ] || kill -CONT "$anvil_pid" 2>/dev/null || true
}

chain_npm_install


chain_quickstart_begin "$seconds"
if kill -0 $quickstart 2>/dev/null; then
  anvil_pid=$(cat "$qs/chain/anvil.pid")
  before=$(chain_source_segments)
  kill -STOP "$anvil_pid"
  echo "node frozen at $before source segments"
  sleep $outage
  during=$(chain_source_segments)
  kill -CONT "$anvil_pid"
  echo "node resumed after $outage s at $during source segments"
fi
rc=0
wait $quickstart || rc=$?
cat "$work/out.txt"
[ $rc -ne 77 ] || { echo "SKIP: no local chain (npm registry out of reach)"; exit 77; }
[ $rc -eq 0 ] || die "quickstart.sh --chain failed (exit status $rc)"
[ -n "$anvil_pid" ] || die "the stream ended before the node could be frozen"
out=$(cat "$work/out.txt")

# ---- segments went on, nothing lost --------------------------------------
[ "$during" -gt "$before" ] ||
  die "no segment while the node was frozen ($before before, $during after $outage s)"
chain_check_stream_whole "$qs" "$out"

# ---- a clear message, once per orchestrator -------------------------------
chain_check_warned_once "$qs"
for o in o1 o2; do
  grep -q 'no answer within 10.0 s' "$qs/$o.log" ||
    die "$o's warning does not say what the node failed to do"
done

# ---- every winning ticket redeemed after the outage -----------------------
chain_check_tickets_redeemed "$qs" "$out"
echo "PASS: $total segments, $before before and $during after a $outage s outage; $won tickets won and redeemed"

# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What the chain tests' scripts (tests/check/chain/*.sh) share, sourced
# after they set `build` and `src` (their BUILD_DIR and SOURCE_DIR):
#
#   chain_test_begin NAME   a work directory ($work, removed at exit, kept
#                           after a failure) and the exit trap, which
#                           calls chain_test_on_exit when the script
#                           defines it, then stops the devnets that
#                           chain_test_devnet named
#   chain_orchestrator_test_begin NAME
#                           chain_test_begin NAME with a devnet at
#                           $work/devnet ($devnet), $LPCTL, the build's
#                           environment, the npm packages, and an exit
#                           that stops $orchestrator_pid
#   chain_test_devnet DIR   a devnet directory (chain-devnet.sh --dir) for
#                           the exit trap to stop
#   chain_npm_install       the pinned npm packages into $npm_dir
#                           (BUILD_DIR/chain-npm); SKIP (77) only when the
#                           registry cannot be reached, any other failure
#                           fails
#   die MESSAGE / skip MESSAGE
#   chain_quickstart_begin SECONDS
#                           pipelines/quickstart.sh --chain --keep-chain
#                           streaming SECONDS into $qs, in the background
#                           ($quickstart, its output in $work/out.txt); returns
#                           once the source has 2 segments or quickstart
#                           ended (then `kill -0 $quickstart` fails)
#   chain_source_segments   the source segments written so far
#   chain_use_build         the build's plugins, libraries and tools in the
#                           environment, as `meson devenv` sets them
#   chain_stop_orchestrator stops $orchestrator_pid (SIGINT) when it is set;
#                           for a chain_test_on_exit
#   chain_redeemed_events CHAIN_JSON
#                           the TicketBroker's WinningTicketRedeemed events
#                           on the chain, counted by ethers (chain-read.mjs)
#   chain_redeemed_tickets CHAIN_JSON
#                           how many tickets those events redeem, each
#                           ticket once (its sender, recipient, sender
#                           nonce and recipientRand), then the most events
#                           one ticket has
#   chain_check_stream_whole QS OUT
#                           quickstart's stream in QS lost nothing: every
#                           variant has the source's segments and ends, and
#                           the summary (OUT) says so; sets $total
#   chain_check_warned_once QS
#                           each orchestrator (o1, o2) warned exactly once
#                           that the ledger cannot be read
#   chain_check_tickets_redeemed QS OUT
#                           every ticket won was redeemed and none is
#                           queued (the summary), with as many
#                           WinningTicketRedeemed events; sets $won
#
# Also sources pipelines/lib/npm-tools.sh and pipelines/lib/ports.sh
# (lp_take_port).

# shellcheck source=pipelines/lib/npm-tools.sh
source "$src/pipelines/lib/npm-tools.sh"
# shellcheck source=pipelines/lib/ports.sh
source "$src/pipelines/lib/ports.sh"

npm_dir=$build/chain-npm
chain_devnets=()

WINNING_TICKET_REDEEMED="event WinningTicketRedeemed(address indexed sender, address indexed recipient, uint256 faceValue, uint256 winProb, uint256 senderNonce, uint256 recipientRand, bytes auxData)"

die() {
  echo "FAIL: $*" >&2
  keep=1
  exit 1
}

skip() {
  echo "SKIP: $*"
  exit 77
}

chain_test_cleanup() {
  local d
  if declare -F chain_test_on_exit >/dev/null; then
    chain_test_on_exit || true
  fi
  for d in ${chain_devnets[@]+"${chain_devnets[@]}"}; do
    if [ -f "$d/anvil.pid" ]; then
      bash "$src/pipelines/chain-devnet.sh" --stop "$d" >/dev/null 2>&1 || true
    fi
  done
  if [ -z "${work:-}" ]; then
    return 0
  elif [ "${keep:-0}" = 1 ]; then
    echo "work directory kept: $work"
  else
    rm -rf "$work"
  fi
}

chain_test_begin() {   # NAME
  work=$(mktemp -d "${TMPDIR:-/tmp}/lp-$1-XXXXXX")
  trap chain_test_cleanup EXIT
}

chain_test_devnet() {   # DIR
  chain_devnets+=("$1")
}

chain_npm_install() {
  local rc=0
  lp_npm_install "$npm_dir" || rc=$?
  [ $rc -ne 77 ] || skip "the npm packages cannot be installed"
  [ $rc -eq 0 ] || die "the npm packages cannot be installed into $npm_dir"
}

chain_redeemed_events() {   # CHAIN_JSON
  node "$src/tests/check/chain/chain-read.mjs" "$npm_dir" "$1" \
    events TicketBroker "$WINNING_TICKET_REDEEMED" ||
    die "the ethers read of the TicketBroker's events failed"
}

chain_redeemed_tickets() {   # CHAIN_JSON
  node "$src/tests/check/chain/chain-read.mjs" "$npm_dir" "$1" \
    tickets TicketBroker "$WINNING_TICKET_REDEEMED" ||
    die "the ethers read of the TicketBroker's events failed"
}

chain_check_stream_whole () {
  local qs=$1 out=$2 r
  total=$(grep -c '^[^#]' "$qs/hls/source/index.m3u8")
  for r in "$qs"/hls/*/index.m3u8; do
    [ "$(grep -c '^[^#]' "$r")" -eq "$total" ] ||
      die "$r has $(grep -c '^[^#]' "$r") segments, the source $total"
    grep -q '^#EXT-X-ENDLIST' "$r" || die "$r does not end"
  done
  grep -q "$total transcoded, 0 lost, 0 failovers" <<<"$out" ||
    die "the summary's segments line: $(grep '^  segments' <<<"$out")"
}

chain_check_warned_once () {
  local qs=$1 o n
  for o in o1 o2; do
    n=$(grep -c 'The ledger cannot be read' "$qs/$o.log" || true)
    [ "$n" -eq 1 ] || die "$o warned $n times about the ledger (expected once)"
  done
}

chain_check_tickets_redeemed () {
  local qs=$1 out=$2 events
  won=$(cat "$qs"/o1.log "$qs"/o2.log | grep -c 'lporchestrator-ticket-won' || true)
  [ "$won" -gt 0 ] || die "no ticket won"
  grep -q "$won won, $won redeemed on the ledger (lpctl tickets: $won), 0 refused, 0 still queued" <<<"$out" ||
    die "the summary's tickets line: $(grep '^  tickets' <<<"$out")"
  events=$(chain_redeemed_events "$qs/chain/chain.json")
  [ "$events" -eq "$won" ] || die "$events WinningTicketRedeemed events, $won tickets won"
}

chain_use_build () {
  local dump
  dump=$(meson devenv -C "$build" --dump) || die "meson devenv -C $build --dump failed"
  set +u
  eval "$dump"
  set -u
}

chain_stop_orchestrator () {
  if [ -n "${orchestrator_pid:-}" ]; then
    kill -INT "$orchestrator_pid" 2>/dev/null || true
    wait "$orchestrator_pid" 2>/dev/null || true
  fi
}

chain_source_segments () { ls "$qs"/hls/source/*.ts 2>/dev/null | wc -l; }

chain_quickstart_begin () {
  local seconds=$1 deadline
  lp_take_port p1
  lp_take_port p2
  LP_BUILD_DIR=$build bash "$src/pipelines/quickstart.sh" \
    --chain --keep-chain --npm-dir "$npm_dir" --seconds "$seconds" \
    --dir "$qs" --ports "$p1,$p2" >"$work/out.txt" 2>&1 &
  quickstart=$!
  deadline=$((SECONDS + 240))
  until [ "$(chain_source_segments)" -ge 2 ]; do
    kill -0 $quickstart 2>/dev/null || break
    [ $SECONDS -lt $deadline ] || die "no two source segments within 240 s"
    sleep 0.1
  done
}

chain_orchestrator_test_begin () {
  chain_test_begin "$1"
  devnet=$work/devnet
  chain_test_devnet "$devnet"
  LPCTL=$build/tools/lpctl
  orchestrator_pid=
  chain_test_on_exit () { chain_stop_orchestrator; }
  chain_use_build
  chain_npm_install
}

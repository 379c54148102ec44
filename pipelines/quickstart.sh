#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A whole Livepeer network on this machine, from one command: a devnet
# ledger (embedded SQLite, 1 s blocks, 100-block rounds), two orchestrators
# with stake and a delegator, a funded broadcaster, two `lporchestrator`
# services, and a broadcaster pipeline (videotestsrc ! livepeersink) that
# pays them with tickets and writes HLS. Then blocks and a round go by so
# that the winning tickets are redeemed and rewards minted, and a summary
# says what happened, every number read from the run's outputs.
#
# With --chain the ledger is a chain instead: pipelines/chain-devnet.sh
# (anvil with Livepeer's contracts), its funded accounts for the
# orchestrators, the delegator and the broadcaster, and the same setup,
# stream, redemptions and rewards through the contracts.
set -euo pipefail
LP_NAME=quickstart
# shellcheck source=pipelines/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<EOF
Usage: pipelines/quickstart.sh [--seconds N] [--dir DIR] [--ports P1,P2] [--build DIR]
                               [--chain [--npm-dir DIR] [--keep-chain]]

Runs a local Livepeer network and streams N seconds of a moving 1280x720@30
test pattern through it into HLS, then prints a summary (segments per
rendition, tickets sent/won/redeemed, fees, rewards) and how to play it.

  --seconds N     seconds of video (default 20; env LP_QUICKSTART_SECONDS)
  --dir DIR       work directory: keys, devnet.db, logs, hls/ (default
                  out/quickstart in the source tree; env LP_QUICKSTART_DIR);
                  remade on each run
  --ports P1,P2   the orchestrators' ports on 127.0.0.1 (default: the first
                  two free ones from 18935 on; env LP_QUICKSTART_PORTS)
  --build DIR     the meson build directory (default build/ in the source
                  tree; env LP_BUILD_DIR)
  --chain         the ledger is a local chain (pipelines/chain-devnet.sh:
                  anvil and Livepeer's contracts from npm, in DIR/chain,
                  stopped at exit) instead of an embedded devnet.db
  --npm-dir DIR   with --chain: where its npm packages are (installed when
                  missing; default as chain-devnet.sh: env LP_NPM_DIR, else
                  ~/.cache/gst-livepeer/npm)
  --keep-chain    with --chain: leave the chain running at the end, to
                  look at it (stop it with pipelines/chain-devnet.sh --stop
                  DIR/chain)
EOF
}

seconds=${LP_QUICKSTART_SECONDS:-20}
dir=${LP_QUICKSTART_DIR:-$lp_root/out/quickstart}
ports=${LP_QUICKSTART_PORTS:-}
chain=0
keep_chain=0
npm_dir=${LP_NPM_DIR:-}
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=${2:?--seconds needs a value}; shift 2 ;;
    --dir) dir=${2:?--dir needs a value}; shift 2 ;;
    --ports) ports=${2:?--ports needs a value}; shift 2 ;;
    --build) LP_BUILD_DIR=${2:?--build needs a value}; shift 2 ;;
    --chain) chain=1; shift ;;
    --npm-dir) npm_dir=${2:?--npm-dir needs a value}; shift 2 ;;
    --keep-chain) keep_chain=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; lp_die "unknown argument '$1'" ;;
  esac
done
lp_need_uint --seconds "$seconds" 1
if [ -z "$ports" ]; then
  # the first two free ports from 18935 on
  port1=
  for ((p = 18935; p < 19035; p++)); do
    lp_port_answers "$p" && continue
    if [ -z "$port1" ]; then port1=$p; else port2=$p; break; fi
  done
  [ -n "${port2:-}" ] || lp_die "no two free ports in 18935-19034: give --ports"
else
  IFS=, read -r port1 port2 extra <<<"$ports"
  [ -n "${port2:-}" ] && [ -z "${extra:-}" ] || lp_die "--ports takes two ports, e.g. 18935,18936"
  [ "$port1" != "$port2" ] || lp_die "--ports: the two ports must differ"
  lp_need_free_port "$port1" "orchestrator o1"
  lp_need_free_port "$port2" "orchestrator o2"
fi

lp_use_build
lp_need_elements lporchestrator livepeersink videotestsrc
dir=$(lp_abspath "$dir")
[ -z "$npm_dir" ] || npm_dir=$(lp_abspath "$npm_dir")
lp_fresh_dir "$dir"
cd "$dir"
LP_SETUP_LOG=$dir/setup.log

# What the orchestrators charge, in wei per output pixel, and a cap on the
# face value of their tickets. lporchestrator raises its ticket EV above
# the 8e9 wei default so that the costliest segment it accepts
# (max-pixel-rate x max-segment-duration) fits in one payment: about
# 2.6e10 wei at these prices, so with this cap most tickets win and a
# short stream shows redemptions (uncapped, the face value is 100 x EV and
# wins 1 in 100).
price1=1000
price2=1200
face=32000000000

stake1=1000 stake2=3000 delegated=500   # LPT
who="orchestrators o1 ($stake1 LPT + $delegated LPT delegated) and o2 ($stake2 LPT), a broadcaster with 1 ETH deposit + 1 ETH reserve"
orchestrators=("o1:$port1:${stake1}e18" "o2:$port2:${stake2}e18")
if [ $chain -eq 1 ]; then
  # anvil mines a block per transaction and on request only: blocks, and
  # so rounds, move when something is sent or `lpctl advance` mines
  lp_say "starting a local chain in $(lp_showpath "$dir")/chain (anvil + Livepeer's contracts) ..."
  # Gas at price 0, as the embedded ledger's: the orchestrators size a
  # ticket's face value as go-livepeer does, 100 x the cost of redeeming
  # it (redeem-gas x the node's gas price), at least 100 x the ticket EV.
  # At anvil's usual 1 gwei that is 0.12 ETH, a ticket in some 10^5 would
  # win, and max-face-value below the redemption's cost is refused: no
  # ticket of a short demo would win.
  LP_CHAIN_DEVNET_ARGS=(--zero-gas-price)
  lp_chain_devnet "$dir/chain" "$npm_dir" o1 o2 delegator broadcaster
  LP_LEDGER="$LP_LEDGER&priority-fee-gwei=0"
  ledger=$LP_LEDGER
  lp_say "chain ledger $ledger: $who"
  LP_DEVNET_PAYER=o1.key LP_DEVNET_DELEGATE=${delegated}e18 lp_devnet_stake "${orchestrators[@]}"
else
  ledger=devnet.db
  lp_say "devnet ledger in $(lp_showpath "$dir")/devnet.db: $who"
  LP_DEVNET_DELEGATE=${delegated}e18 lp_devnet "${orchestrators[@]}"
fi
lp_ctl status --json >status-start.json
lp_ctl account balance --of broadcaster.key --json >broadcaster-start.json

for o in 1 2; do
  port_var=port$o price_var=price$o
  lp_start "o$o" "$dir/o$o.log" gst-launch-1.0 -m lporchestrator \
    "port=${!port_var}" "key-file=o$o.key" "ledger=$ledger" \
    "price-per-unit=${!price_var}" "max-face-value=$face" \
    auto-reward=true auto-initialize-round=true
done
lp_wait_port o1 "$port1"
lp_wait_port o2 "$port2"
lp_say "orchestrators serving: o1 http://127.0.0.1:$port1 ($price1 wei/pixel), o2 http://127.0.0.1:$port2 ($price2 wei/pixel)"

lp_say "broadcasting $seconds s of 1280x720@30 to them (renditions P360p30fps16x9, P240p30fps16x9) ..."
start=$SECONDS
lp_broadcast "$dir/broadcaster.log" "$dir/hls" \
  "http://127.0.0.1:$port1,http://127.0.0.1:$port2" broadcaster.key "$ledger" \
  videotestsrc "num-buffers=$((seconds * 30))" pattern=ball \
  '!' video/x-raw,width=1280,height=720,framerate=30/1
echo $((SECONDS - start)) >broadcast-seconds

# Winning tickets are queued on the ledger before each answer; an
# orchestrator redeems one once the block its parameters expire at is
# reached. Blocks follow the clock (1 s): move them there at once.
block=$(lp_ctl status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["block"])')
expire=$(lp_ctl tickets --queued --json | python3 -c '
import json, sys
t = json.load(sys.stdin)["tickets"]
print(max((x["params_expiration_block"] for x in t), default=0))')
if [ "$expire" -gt "$block" ]; then
  lp_say "advancing $((expire - block)) blocks to $expire, where the last winning ticket's parameters expire"
  lp_ctl advance --blocks $((expire - block)) >/dev/null
fi
deadline=$((SECONDS + 30))
while :; do
  queued=$(lp_ctl tickets --queued --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')
  [ "$queued" -eq 0 ] && break
  [ "$SECONDS" -lt "$deadline" ] || { lp_say "warning: $queued tickets still queued after 30 s"; break; }
  sleep 0.2
done

# A new round: the orchestrators initialize it and call reward (their
# auto-initialize-round and auto-reward).
round=$(( $(lp_ctl status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["round"])') + 1 ))
lp_say "advancing to round $round: the orchestrators initialize it and mint their rewards"
lp_ctl advance --rounds 1 >/dev/null
deadline=$((SECONDS + 30))
for o in o1 o2; do
  until grep -q "lporchestrator-reward, round=(guint64)$round," "$dir/$o.log"; do
    [ "$SECONDS" -lt "$deadline" ] || { lp_say "warning: $o minted no reward in round $round within 30 s"; break; }
    sleep 0.2
  done
done

lp_stop o1
lp_stop o2
lp_ctl status --json >status-end.json
lp_ctl tickets --json >tickets.json
lp_ctl tickets --queued --json >tickets-queued.json
lp_ctl account balance --of broadcaster.key --json >broadcaster-end.json
for k in o1 o2 delegator; do lp_ctl account balance --of "$k.key" --json >"$k-end.json"; done

if [ $chain -eq 1 ] && [ $keep_chain -eq 1 ]; then
  lp_chain_dir=   # not stopped at exit
  lp_say "the chain keeps running: $ledger (stop it with pipelines/chain-devnet.sh --stop $(lp_showpath "$dir/chain"))"
fi
interrupted=()
[ "$lp_broadcast_interrupted" -eq 0 ] || interrupted=(--interrupted)
lp_python quickstart "$dir" --seconds "$seconds" ${interrupted[@]+"${interrupted[@]}"} \
  --show-hls "$(lp_showpath "$dir/hls")" \
  --orchestrator "o1,http://127.0.0.1:$port1,$price1,$dir/o1.log" \
  --orchestrator "o2,http://127.0.0.1:$port2,$price2,$dir/o2.log"

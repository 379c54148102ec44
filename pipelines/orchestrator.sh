#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# One Livepeer orchestrator (`lporchestrator`) over a devnet ledger, serving
# until interrupted (or for --seconds N); on the way out, what it did.
set -euo pipefail
LP_NAME=orchestrator
# shellcheck source=pipelines/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<EOF
Usage: pipelines/orchestrator.sh [--port N] [--price WEI] [--face-value WEI]
                                 [--dir DIR] [--seconds N] [--build DIR]

Serves transcoding on http://127.0.0.1:PORT for tickets until interrupted
(Ctrl-C) or for N seconds, then prints what it served, won and minted.

Its devnet ledger is DIR/devnet.db, made on first use (1 s blocks, 100-block
rounds): DIR/orchestrator.key with 1000 LPT self-bonded and registered at
the port, and DIR/broadcaster.key with 10 ETH, a 1 ETH deposit and 1 ETH
reserve for a broadcaster to pay with. A later run reuses them (and
registers the new port). Broadcast to it with, e.g.:
  pipelines/broadcast-file.sh --orchestrator http://127.0.0.1:PORT \\
      --ledger DIR/devnet.db --key DIR/broadcaster.key

  --port N         TCP port on 127.0.0.1 (default 8935; env LP_ORCHESTRATOR_PORT)
  --price WEI      wei per output pixel (default 1000; 0: free)
  --face-value WEI the tickets' face value cap (default 32000000000, 4 x the
                   8e9 wei ticket EV: 1 ticket in 4 wins; 0: lporchestrator's
                   default, 100 x EV)
  --dir DIR        the ledger and keys (default out/orchestrator in the source
                   tree; env LP_ORCHESTRATOR_DIR)
  --seconds N      stop after N seconds (env LP_ORCHESTRATOR_SECONDS; default:
                   serve until interrupted)
  --build DIR      the meson build directory (default build/; env LP_BUILD_DIR)
EOF
}

port=${LP_ORCHESTRATOR_PORT:-8935}
price=1000
face=32000000000
dir=${LP_ORCHESTRATOR_DIR:-$lp_root/out/orchestrator}
seconds=${LP_ORCHESTRATOR_SECONDS:-}
while [ $# -gt 0 ]; do
  case $1 in
    --port) port=${2:?--port needs a value}; shift 2 ;;
    --price) price=${2:?--price needs a value}; shift 2 ;;
    --face-value) face=${2:?--face-value needs a value}; shift 2 ;;
    --dir) dir=${2:?--dir needs a value}; shift 2 ;;
    --seconds) seconds=${2:?--seconds needs a value}; shift 2 ;;
    --build) LP_BUILD_DIR=${2:?--build needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; lp_die "unknown argument '$1'" ;;
  esac
done
lp_need_uint --price "$price"
lp_need_uint --face-value "$face"
[ -z "$seconds" ] || lp_need_uint --seconds "$seconds" 1
lp_need_free_port "$port" "the orchestrator"

lp_use_build
lp_need_elements lporchestrator
dir=$(lp_abspath "$dir")
uri=http://127.0.0.1:$port
if [ -f "$dir/devnet.db" ] && [ -f "$dir/orchestrator.key" ] && [ -f "$dir/.lp-work-dir" ]; then
  cd "$dir"
  LP_SETUP_LOG=$dir/setup.log
  lp_say "reusing the devnet ledger $(lp_showpath "$dir")/devnet.db"
  registered=$(lp_ctl account balance --of orchestrator.key --json |
    python3 -c 'import json,sys; print((json.load(sys.stdin).get("orchestrator") or {}).get("service_uri", ""))')
  if [ "$registered" != "$uri" ]; then
    # the service URI only matters to broadcasters that discover
    # orchestrators on the ledger (livepeersink without orchestrators=)
    "$LPCTL" register --from orchestrator.key --reward-cut 10% --fee-share 50% \
      --service-uri "$uri" >>"$LP_SETUP_LOG" 2>&1 ||
      lp_say "warning: could not register $uri on the ledger now (still $registered): see $(lp_showpath "$LP_SETUP_LOG")"
  fi
else
  lp_fresh_dir "$dir"
  cd "$dir"
  LP_SETUP_LOG=$dir/setup.log
  lp_say "devnet ledger $(lp_showpath "$dir")/devnet.db: orchestrator.key (1000 LPT bonded), broadcaster.key (1 ETH deposit + 1 ETH reserve)"
  lp_devnet "orchestrator:$port:1000e18"
fi

props=("port=$port" key-file=orchestrator.key ledger=devnet.db
  "price-per-unit=$price" auto-reward=true auto-initialize-round=true)
[ "$face" -eq 0 ] || props+=("max-face-value=$face")
log=$dir/orchestrator.log
lp_start orchestrator "$log" gst-launch-1.0 -m lporchestrator "${props[@]}"
lp_wait_port orchestrator "$port"
pid=$(lp_pid_of orchestrator)
lp_say "serving on $uri ($price wei/pixel) as $(lp_address orchestrator.key)${seconds:+ for $seconds s}; Ctrl-C stops it (log: $(lp_showpath "$log"))"
lp_say "broadcast to it: $(lp_showpath "$lp_root/pipelines/broadcast-file.sh") --orchestrator $uri --ledger $(lp_showpath "$dir")/devnet.db --key $(lp_showpath "$dir")/broadcaster.key"

# Ctrl-C or SIGTERM here is the normal way to stop: stop the service, then
# report, and exit 0
interrupted=0
trap 'interrupted=1' INT TERM
timer=
if [ -n "$seconds" ]; then
  sleep "$seconds" &
  timer=$!
  wait -n "$pid" "$timer" || true
else
  wait "$pid" || true
fi
if [ -n "$timer" ]; then kill "$timer" 2>/dev/null || true; wait "$timer" 2>/dev/null || true; fi
if [ $interrupted -eq 0 ] && ! kill -0 "$pid" 2>/dev/null; then
  tail -n 15 "$log" >&2
  lp_die "the orchestrator stopped by itself (log: $log)"
fi
lp_stop orchestrator
if grep -q '^ERROR: ' "$log"; then
  grep -A3 '^ERROR: ' "$log" >&2
  lp_die "the orchestrator posted an error (log: $log)"
fi
lp_python orchestrator "$log"

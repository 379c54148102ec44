#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Soak under hostile traffic: STREAMS live streams (320x180@30 test
# pattern, encoded by livepeersink itself, one P144p rendition each) paid
# with tickets to two lporchestrator nodes on one devnet ledger for SECONDS,
# while bench/lib/hostile.py sends both orchestrators (service and metrics
# ports) garbage, oversize header blocks and bodies, Expect: 100-continue
# with a 1 TB length, slowloris connections and connection churn.
#
# Every 10 s it samples each process's open descriptors and RSS
# (bench/out/soak/monitor.tsv). At the end the streams get EOS, the
# winning tickets' parameters are let expire so that they are redeemed, and
# it checks:
#   - no segment lost, every stream's segments written;
#   - descriptors and RSS flat: from half time (the first half warms up:
#     sessions are made and given way, the allocator's arenas grow) to the
#     end, at most 16 more descriptors and 10 % + 16 MiB more RSS; a leak
#     grows on (the table also shows the samples after the first minute);
#   - winning tickets = redeemed tickets, none still queued;
#   - lpctl audit passes (storage and every invariant).
# Prints a table (bench/lib/soak-report.py, which can be run again on
# bench/out/soak) and exits 1 if any check fails.
#
# Usage: bench/soak.sh [SECONDS [STREAMS]]   (defaults 600 and 8; builds
#        ./build first). Not part of the test suite: 10 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
LP_NAME=soak
# shellcheck source=pipelines/lib/common.sh
. pipelines/lib/common.sh
seconds=${1:-600}
streams=${2:-8}
lp_need_uint SECONDS "$seconds" 30
lp_need_uint STREAMS "$streams" 1
bash scripts/build.sh >/dev/null
lp_use_build
lp_need_elements lporchestrator livepeersink videotestsrc x264enc
dir=$lp_root/bench/out/soak
lp_fresh_dir "$dir"
cd "$dir"
LP_SETUP_LOG=$dir/setup.log

lp_take_port p1; lp_take_port p2; lp_take_port m1; lp_take_port m2

lp_say "devnet, orchestrators o1 :$p1 (metrics :$m1) and o2 :$p2 (metrics :$m2)"
lp_devnet "o1:$p1:1000e18" "o2:$p2:1000e18"
for o in 1 2; do
  port_var=p$o metrics_var=m$o
  # a face value of 4 x the default ticket EV (8e9 wei), so that about 1
  # ticket in 4 wins: at 1000 wei/pixel a 2 s P144p segment costs about
  # 2.2e9 wei, and 8 streams for 10 minutes win about 160 tickets
  lp_start "o$o" "$dir/o$o.log" gst-launch-1.0 -m lporchestrator \
    "port=${!port_var}" "metrics-port=${!metrics_var}" "key-file=o$o.key" \
    ledger=devnet.db price-per-unit=1000 max-face-value=32000000000 \
    auto-reward=true auto-initialize-round=true
done
lp_wait_port o1 "$p1"
lp_wait_port o2 "$p2"

lp_say "hostile client on all four ports for $seconds s"
python3 "$lp_root/bench/lib/hostile.py" "$seconds" "$p1" "$p2" "$m1" "$m2" \
  >hostile.log 2>&1 &
hostile_pid=$!
lp_pids+=("$hostile_pid")
lp_names+=(hostile)
lp_logs+=("$dir/hostile.log")

lp_say "$streams live streams for $seconds s"
for i in $(seq "$streams"); do
  lp_start "s$i" "$dir/s$i.log" gst-launch-1.0 -m -e videotestsrc \
    is-live=true pattern=ball '!' \
    video/x-raw,width=320,height=180,framerate=30/1 '!' livepeersink \
    "orchestrators=http://127.0.0.1:$p1,http://127.0.0.1:$p2" \
    key-file=broadcaster.key ledger=devnet.db profiles=P144p30fps16x9 \
    "location=$dir/hls-$i" playlist-length=0 max-files=0
done

# process name, pid, descriptors, RSS (KiB), every 10 s
sample () {
  local t=$1 name pid fds rss
  for name in o1 o2 $(seq -f 's%g' "$streams"); do
    pid=$(lp_pid_of "$name")
    # setsid's child is gst-launch-1.0 itself (exec), so the pid is its own
    fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
    printf '%s\t%s\t%s\t%s\n' "$t" "$name" "$fds" "${rss:-0}"
  done
}
printf 'seconds\tprocess\tfds\trss_kib\n' >monitor.tsv
start=$SECONDS
while [ $((SECONDS - start)) -lt "$seconds" ]; do
  sample $((SECONDS - start)) >>monitor.tsv
  sleep 10
done
sample $((SECONDS - start)) >>monitor.tsv

lp_say "EOS to the streams"
for i in $(seq "$streams"); do
  kill -INT "$(lp_pid_of "s$i")" 2>/dev/null || true
done
for i in $(seq "$streams"); do
  pid=$(lp_pid_of "s$i")
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  lp_stop_pid "$pid"
done
wait "$hostile_pid" 2>/dev/null || true

# winning tickets are redeemed once their parameters expire (quickstart.sh
# does the same)
block=$(lp_ctl status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["block"])')
expire=$(lp_ctl tickets --queued --json | python3 -c '
import json, sys
t = json.load(sys.stdin)["tickets"]
print(max((x["params_expiration_block"] for x in t), default=0))')
[ "$expire" -le "$block" ] || lp_ctl advance --blocks $((expire - block)) >/dev/null
deadline=$((SECONDS + 60))
while [ "$(lp_ctl tickets --queued --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')" -gt 0 ] &&
  [ "$SECONDS" -lt "$deadline" ]; do
  sleep 0.5
done
lp_stop o1
lp_stop o2
lp_ctl tickets --json >tickets.json
lp_ctl tickets --queued --json >tickets-queued.json
audit=ok
"$LPCTL" audit >audit.txt 2>&1 || audit=FAILED

python3 "$lp_root/bench/lib/soak-report.py" "$dir" "$streams" "$seconds" "$audit"

#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The same ladder two ways, in one run: locally through lptranscodebin, and
# remotely through livepeersink -> lporchestrator on loopback in
# go-livepeer's protobuf dialect (gRPC discovery, signed segments, tickets
# at 1000 wei/pixel, a TranscodeResult whose renditions are downloaded by
# URL, result signature and, with verify=pixels, decoding every rendition
# to check its pixel count). Both read the same pre-encoded H.264 file and run as fast
# as they can; both sides of the network run on this machine, so the
# remote run also pays for the orchestrator's per-segment pipeline restart
# and the broadcaster's checks on the same cores.
#
# Each runs twice: "fast" (the file as fast as the pipeline takes it: a
# throughput comparison, where the orchestrator's one-segment-at-a-time
# session and its encoder restart per segment show) and "live" (the file
# played at its own rate, as a broadcaster is fed). Prints the wall times,
# their ratio (target <= 1.05), the mean livepeersink round trip per
# segment and the wall time the network adds per segment.
#
# Usage: bench/remote.sh [SECONDS] [PROFILES] [VERIFY...]
#        (defaults 20, P360p30fps16x9,P240p30fps16x9, "signature pixels";
#        builds ./build first)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
profiles=${2:-P360p30fps16x9,P240p30fps16x9}
shift 2 2>/dev/null || shift $#
verifies=("${@:-signature}")
[ $# -gt 0 ] || verifies=(signature pixels)
out=$PWD/bench/out/remote
rm -rf "$out" && mkdir -p "$out"
# shellcheck source=bench/lib/loopback.sh
. bench/lib/loopback.sh
bench_use_build "$out"

# the input: 720p30 H.264, a keyframe every 2 s, in MPEG-TS
frames=$((seconds * 30))
gst-launch-1.0 -q videotestsrc num-buffers=$frames pattern=ball \
  '!' video/x-raw,width=1280,height=720,framerate=30/1 \
  '!' x264enc speed-preset=veryfast key-int-max=60 bframes=0 bitrate=3000 \
  option-string=scenecut=0 \
  '!' h264parse '!' mpegtsmux '!' filesink location="$out/source.ts"

# remote: a devnet, one orchestrator, the broadcaster
cd "$out"
bench_devnet
bench_orchestrator price-per-unit=1000

# pacing: "fast" reads the file as fast as the pipeline takes it; "live"
# plays it at its own rate (identity sync=true), as a camera or a live
# ingest would feed the broadcaster
IFS=, read -r -a names <<<"$profiles"
run_local () {
  local launch=(gst-launch-1.0 -q filesrc location=source.ts '!' tsdemux
    '!' h264parse "${pace[@]}" '!' lptranscodebin name=t "profiles=$profiles")
  local i
  for i in "${!names[@]}"; do
    launch+=(t.src_$i '!' h264parse '!' mpegtsmux '!' filesink
      "location=local-${names[$i]}.ts")
  done
  "${launch[@]}"
}

printf '%-5s %-10s %8s %8s %7s %9s %12s %10s\n' pace verify local_s remote_s ratio segments round_trip_ms added_ms
for mode in fast live; do
  pace=()
  [ "$mode" = fast ] || pace=('!' identity sync=true)
  start=$(now); run_local; local_wall=$(calc "$(now) - $start")
  for verify in "${verifies[@]}"; do
    rm -rf "hls-$verify"
    start=$(now)
    gst-launch-1.0 -m filesrc location=source.ts '!' tsdemux '!' h264parse \
      "${pace[@]}" '!' livepeersink "orchestrators=http://127.0.0.1:$port" \
      key-file=bcast.key ledger=devnet.db "profiles=$profiles" \
      "location=hls-$verify" playlist-length=0 "verify=$verify" \
      >"remote-$mode-$verify.log" 2>&1
    remote_wall=$(calc "$(now) - $start")
    log=remote-$mode-$verify.log
    segs=$(grep -c 'livepeersink-segment, ' "$log" || true)
    lost=$(grep -c 'livepeersink-segment-lost' "$log" || true)
    [ "$lost" = 0 ] || { echo "remote ($mode, $verify): $lost segments lost" >&2; exit 1; }
    rtt=$(sed -n 's/.*livepeersink-segment, .*latency=(guint64)\([0-9]*\).*/\1/p' \
      "$log" | awk '{s += $1} END {if (NR) printf "%.0f", s / NR / 1e6}')
    ratio=$(calc "$remote_wall / $local_wall")
    # what the network adds to each segment, on average
    added=$(awk "BEGIN { printf \"%.0f\", ($remote_wall - $local_wall) * 1000 / $segs }")
    printf '%-5s %-10s %8.2f %8.2f %7s %9s %12s %10s\n' "$mode" "$verify" \
      "$local_wall" "$remote_wall" "$ratio" "$segs" "$rtt" "$added"
  done
done

#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# AI and custom video jobs on loopback: one lporchestrator offering
# pipelines/capabilities.ini, livepeersink as the broadcaster, both on this
# machine, tickets at each capability's price.
#
# 1. Live video-to-video latency (job=edges, 640x360@30 from a live
#    videotestsrc, SECONDS s) at segment durations of 2000, 1000 and 500 ms:
#    a segment's first frame waits for the segment to be cut (its duration),
#    then the round trip (upload, the job, the answer; livepeersink's
#    `latency`), so the first output frame of a segment comes
#    duration + round trip after its first input frame. Prints the round
#    trip and that end-to-end latency, median and worst.
# 2. Detection throughput (job=face-detection on 640x480@30, SECONDS s, read
#    as fast as it goes): frames analysed per second of the orchestrator's
#    job time (lporchestrator-job `job-time`, which includes building each
#    segment's pipeline and loading the cascade), and per second of wall
#    time end to end.
#
# Usage: bench/ai.sh [SECONDS]     (default 20; builds ./build first)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
out=$PWD/bench/out/ai
rm -rf "$out" && mkdir -p "$out"
# shellcheck source=bench/lib/loopback.sh
. bench/lib/loopback.sh
bench_use_build "$out"
for e in facedetect edgetv; do
  gst-inspect-1.0 --exists "$e" || { echo "bench/ai: $e missing (gstreamer1.0-opencv, -plugins-good)" >&2; exit 2; }
done

cd "$out"
bench_devnet
bench_orchestrator "capabilities=$OLDPWD/pipelines/capabilities.ini"

# median and maximum of a column of numbers
stats () { sort -n | awk '{a[NR] = $1} END {if (NR) printf "%.0f %.0f\n", a[int((NR + 1) / 2)], a[NR]}'; }

echo "live video-to-video (job=edges, 640x360@30 live, ${seconds} s)"
printf '%-12s %9s %15s %15s %15s\n' segment_ms segments round_trip_ms e2e_median_ms e2e_worst_ms
for ms in 2000 1000 500; do
  # the last stream's sessions end (/endSession) when their last segment
  # is answered; the orchestrator frees them within its 200 ms poll, and
  # a capability of capacity 2 has room for one stream (max-in-flight=2)
  sleep 1
  log=v2v-$ms.log
  gst-launch-1.0 -m videotestsrc is-live=true num-buffers=$((seconds * 30)) \
    pattern=ball '!' video/x-raw,width=640,height=360,framerate=30/1 \
    '!' livepeersink "orchestrators=http://127.0.0.1:$port" key-file=bcast.key \
    ledger=devnet.db job=edges model=effectv-edgetv "segment-duration=$ms" \
    "location=v2v-$ms" playlist-length=0 >"$log" 2>&1
  lost=$(grep -c 'livepeersink-segment-lost' "$log" || true)
  [ "$lost" = 0 ] || { echo "bench/ai: v2v at $ms ms: $lost segments lost" >&2; exit 1; }
  sed -n 's/.*livepeersink-segment, .*latency=(guint64)\([0-9]*\).*/\1/p' "$log" |
    awk '{print $1 / 1e6}' >"rtt-$ms.txt"
  segs=$(wc -l <"rtt-$ms.txt")
  read -r rtt_med rtt_max < <(stats <"rtt-$ms.txt")
  read -r e2e_med e2e_max < <(awk -v d="$ms" '{print $1 + d}' "rtt-$ms.txt" | stats)
  printf '%-12s %9s %15s %15s %15s\n' "$ms" "$segs" "$rtt_med (max $rtt_max)" "$e2e_med" "$e2e_max"
done

echo
echo "face detection (job=face-detection, 640x480@30 file, ${seconds} s, as fast as it goes)"
gst-launch-1.0 -q videotestsrc num-buffers=$((seconds * 30)) pattern=smpte \
  '!' video/x-raw,width=640,height=480,framerate=30/1 \
  '!' x264enc speed-preset=veryfast key-int-max=60 bframes=0 \
  '!' h264parse '!' mpegtsmux '!' filesink location=detect-source.ts
: >orchestrator-jobs.txt
sleep 1
before=$(grep -c 'lporchestrator-job, ' orchestrator.log || true)
start=$(now)
gst-launch-1.0 -m filesrc location=detect-source.ts '!' livepeersink \
  "orchestrators=http://127.0.0.1:$port" key-file=bcast.key ledger=devnet.db \
  job=face-detection model=opencv-haar-frontalface location=detect \
  >detect.log 2>&1
wall=$(calc "$(now) - $start")
sleep 0.5
grep 'lporchestrator-job, ' orchestrator.log | tail -n +$((before + 1)) |
  sed -n 's/.*frames=(guint64)\([0-9]*\).*job-time=(guint64)\([0-9]*\).*/\1 \2/p' >orchestrator-jobs.txt
read -r frames job_s < <(awk '{f += $1; t += $2} END {printf "%d %.3f\n", f, t / 1e9}' orchestrator-jobs.txt)
echo "  $frames frames in $(wc -l <orchestrator-jobs.txt) segments: job time ${job_s} s" \
  "($(calc "$frames / $job_s") frames/s), end to end ${wall} s" \
  "($(calc "$frames / $wall") frames/s)"

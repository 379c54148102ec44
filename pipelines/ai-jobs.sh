#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# AI and custom video jobs on a local network: a devnet ledger, one
# lporchestrator offering the capabilities of pipelines/capabilities.ini,
# and two livepeersink broadcasts of a generated clip with a face in it:
#   1. job=face-detection (metadata): the frames the face is found in;
#   2. job=face-blur (video-to-video): an HLS rendition with the face
#      blurred.
# Each job is paid with tickets at its capability's price and unit.
set -euo pipefail
LP_NAME=ai-jobs
# shellcheck source=pipelines/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<EOF
Usage: pipelines/ai-jobs.sh [--dir DIR] [--port PORT] [--build DIR]

Starts an orchestrator with pipelines/capabilities.ini, makes a 6 s clip
(gray, a drawn face from 2 s on; ffmpeg), runs it through livepeersink
job=face-detection and job=face-blur, and prints what came back.

  --dir DIR    work directory: keys, devnet.db, logs, clip, outputs
               (default out/ai-jobs in the source tree); remade each run
  --port PORT  the orchestrator's port on 127.0.0.1 (default: the first
               free one from 18945 on)
  --build DIR  the meson build directory (default build/; env LP_BUILD_DIR)
EOF
}

dir=$lp_root/out/ai-jobs
port=
while [ $# -gt 0 ]; do
  case $1 in
    --dir) dir=${2:?--dir needs a value}; shift 2 ;;
    --port) port=${2:?--port needs a value}; shift 2 ;;
    --build) LP_BUILD_DIR=${2:?--build needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; lp_die "unknown argument '$1'" ;;
  esac
done
if [ -z "$port" ]; then
  for ((p = 18945; p < 19045; p++)); do
    lp_port_answers "$p" || { port=$p; break; }
  done
  [ -n "$port" ] || lp_die "no free port in 18945-19044: give --port"
fi
lp_need_uint --port "$port" 1
lp_need_free_port "$port" "the orchestrator"
command -v ffmpeg >/dev/null || lp_die "ffmpeg is needed to make the clip (Debian: ffmpeg)"
lp_use_build
lp_need_elements lporchestrator livepeersink facedetect faceblur
dir=$(lp_abspath "$dir")
lp_fresh_dir "$dir"
cd "$dir"
LP_SETUP_LOG=$dir/setup.log

lp_say "devnet ledger with one orchestrator and a funded broadcaster"
lp_devnet "o1:$port:1000e18"
lp_start o1 "$dir/o1.log" gst-launch-1.0 -m lporchestrator "port=$port" \
  key-file=o1.key ledger=devnet.db "capabilities=$lp_root/pipelines/capabilities.ini" \
  max-face-value=32000000000 auto-reward=true auto-initialize-round=true
lp_wait_port o1 "$port"
lp_say "orchestrator serving http://127.0.0.1:$port: $(grep -o '^\[[a-z-]*\]' "$lp_root/pipelines/capabilities.ini" | tr -d '[]' | paste -sd' ')"

# 6 s at 30 fps, 640x480: a gray field, and from 2 s on a drawn face (an
# oval, eyes, brows, nose, mouth) that the frontal-face cascade finds
face='if(lte(pow((X-160)/60,2)+pow((Y-120)/80,2),1)*gte(T,2),
  if(lte(pow((X-135)/13,2)+pow((Y-105)/6,2),1)+lte(pow((X-185)/13,2)+pow((Y-105)/6,2),1),40,
  if(between(Y,88,93)*(between(X,120,150)+between(X,170,200)),60,
  if(lte(pow((X-160)/24,2)+pow((Y-160)/7,2),1),80,
  if(lte(pow((X-160)/8,2)+pow((Y-135)/14,2),1),160,190)))),90)'
ffmpeg -v error -y -f lavfi -i "color=c=gray:s=320x240:r=30:d=6,format=gray" \
  -vf "geq=lum='${face//$'\n'/}',scale=640:480,format=yuv420p" \
  -c:v libx264 -preset veryfast -g 60 -bf 0 clip.ts || lp_die "ffmpeg could not make the clip"
lp_say "clip: $(lp_showpath "$dir")/clip.ts (6 s, 640x480, a face from 2 s on)"

uri=http://127.0.0.1:$port
lp_say "job face-detection (metadata, billed per frame) ..."
LP_SINK_PROPS=(job=face-detection model=opencv-haar-frontalface segment-duration=2000)
lp_broadcast "$dir/detect.log" "$dir/detect" "$uri" broadcaster.key devnet.db \
  filesrc location=clip.ts
lp_say "job face-blur (video to video, billed per input pixel) ..."
LP_SINK_PROPS=(job=face-blur model=opencv-faceblur segment-duration=2000)
lp_broadcast "$dir/blur.log" "$dir/blur" "$uri" broadcaster.key devnet.db \
  filesrc location=clip.ts

# The orchestrator posts a job's bus message as it answers it; stopping it
# first (SIGINT: gst-launch-1.0 prints what is still queued) puts the last
# segment's debit in its log before the summary reads it.
lp_stop o1
lp_python ai-jobs "$dir" --name "$LP_NAME"

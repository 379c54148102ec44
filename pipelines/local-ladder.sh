#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A local ABR ladder, no network: a moving 1280x720@60 test pattern through
# lptranscodebin into three Livepeer renditions (MPEG-TS files), then one
# line saying what was produced (ffprobe).
set -euo pipefail
LP_NAME=local-ladder
# shellcheck source=pipelines/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<EOF
Usage: pipelines/local-ladder.sh [--seconds N] [--dir DIR] [--build DIR]

Transcodes N seconds of videotestsrc pattern=ball at 1280x720@60 with
lptranscodebin into P720p30fps16x9, P360p30fps16x9 and P240p30fps16x9
MPEG-TS files in DIR, and prints each one's size, frame rate and frames.

  --seconds N  seconds of video (default 10; env LP_LADDER_SECONDS)
  --dir DIR    output directory (default out/demo in the source tree;
               env LP_LADDER_DIR); its .ts files are replaced
  --build DIR  the meson build directory (default build/; env LP_BUILD_DIR)
EOF
}

seconds=${LP_LADDER_SECONDS:-10}
out=${LP_LADDER_DIR:-$lp_root/out/demo}
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=${2:?--seconds needs a value}; shift 2 ;;
    --dir) out=${2:?--dir needs a value}; shift 2 ;;
    --build) LP_BUILD_DIR=${2:?--build needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; lp_die "unknown argument '$1'" ;;
  esac
done
lp_need_uint --seconds "$seconds" 1
command -v ffprobe >/dev/null || lp_die "ffprobe is needed for the summary (Debian: ffmpeg)"
lp_use_build
lp_need_elements lptranscodebin videotestsrc h264parse mpegtsmux
out=$(lp_abspath "$out")
mkdir -p "$out"
profiles=(P720p30fps16x9 P360p30fps16x9 P240p30fps16x9)
for p in "${profiles[@]}"; do rm -f "$out/$p.ts"; done

launch=(gst-launch-1.0 -m -e
  videotestsrc "num-buffers=$((seconds * 60))" pattern=ball is-live=false
  '!' video/x-raw,width=1280,height=720,framerate=60/1
  '!' lptranscodebin name=t "profiles=$(IFS=,; echo "${profiles[*]}")")
for i in "${!profiles[@]}"; do
  launch+=("t.src_$i" '!' h264parse '!' mpegtsmux '!' filesink "location=$out/${profiles[$i]}.ts")
done

log=$("${launch[@]}" 2>&1) || { echo "$log" >&2; lp_die "the ladder pipeline failed"; }
encoder=$(sed -n 's/.*lptranscodebin-encoder, encoder=(string)\([^,]*\),.*/\1/p' <<<"$log" | head -1)

summary=()
for p in "${profiles[@]}"; do
  f="$out/$p.ts"
  info=$(ffprobe -v error -select_streams v:0 -count_frames \
    -show_entries stream=width,height,nb_read_frames,r_frame_rate -of csv=p=0 "$f") ||
    lp_die "ffprobe cannot read $f"
  IFS=, read -r w h rate frames <<<"$info"
  summary+=("$p ${w}x${h} ${rate%/1}fps ${frames} frames $(du -k "$f" | cut -f1) KiB")
done
echo "$LP_NAME: $seconds s of 1280x720@60 -> $(lp_showpath "$out")/ on ${encoder:-?}: $(IFS=';'; echo "${summary[*]}" | sed 's/;/; /g')"

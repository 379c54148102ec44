#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A Livepeer broadcaster from a media file: decodes its video and sends it
# through livepeersink to running orchestrators, HLS out.
set -euo pipefail
LP_NAME=broadcast-file
# shellcheck source=pipelines/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<EOF
Usage: pipelines/broadcast-file.sh --orchestrator URI[,URI...] [--ledger FILE]
           [--key FILE] [--out DIR] [--profiles LIST] [--seconds N]
           [--build DIR] [FILE]

Decodes the video of FILE (anything GStreamer plays; audio is ignored) and
broadcasts it through livepeersink to the orchestrators, writing HLS to
DIR/master.m3u8. Without FILE, one is made first with ffmpeg: N seconds of
testsrc2 at 1280x720@30 (H.264, AAC) in DIR/../input.mp4.

  --orchestrator URI  orchestrator base URI(s), comma separated (env
                      LP_ORCHESTRATOR), e.g. http://127.0.0.1:8935 from
                      pipelines/orchestrator.sh
  --ledger FILE       the orchestrators' devnet ledger (default
                      out/orchestrator/devnet.db, what orchestrator.sh makes)
  --key FILE          the broadcaster's funded key (default
                      out/orchestrator/broadcaster.key)
  --out DIR           the HLS directory (default out/broadcast-file/hls)
  --profiles LIST     renditions (default P360p30fps16x9,P240p30fps16x9)
  --seconds N         length of the generated file (default 10)
  --build DIR         the meson build directory (default build/; env LP_BUILD_DIR)
EOF
}

orchestrators=${LP_ORCHESTRATOR:-}
ledger=$lp_root/out/orchestrator/devnet.db
key=$lp_root/out/orchestrator/broadcaster.key
out=$lp_root/out/broadcast-file/hls
seconds=10
file=
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=${2:?--seconds needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) lp_broadcaster_option "$@" || { usage >&2; lp_die "unknown option '$1'"; }; shift 2 ;;
    *) [ -z "$file" ] || lp_die "one FILE only"; file=$1; shift ;;
  esac
done
[ -n "$orchestrators" ] || { usage >&2; lp_die "--orchestrator URI is needed (a running pipelines/orchestrator.sh)"; }
lp_need_uint --seconds "$seconds" 1
lp_broadcaster_files

lp_use_build
lp_need_elements livepeersink decodebin videoconvert
work=$(dirname "$out")
mkdir -p "$work"
lp_fresh_hls "$out"

if [ -z "$file" ]; then
  command -v ffmpeg >/dev/null || lp_die "no FILE given and ffmpeg is missing to make one (Debian: ffmpeg)"
  file=$work/input.mp4
  lp_say "making $(lp_showpath "$file"): $seconds s of testsrc2 1280x720@30 with a tone"
  ffmpeg -v error -y -f lavfi -i testsrc2=size=1280x720:rate=30 -f lavfi -i sine=frequency=440 \
    -t "$seconds" -c:v libx264 -preset veryfast -pix_fmt yuv420p -g 60 -c:a aac -shortest "$file" ||
    lp_die "ffmpeg could not make $file"
else
  file=$(lp_abspath "$file")
  [ -f "$file" ] || lp_die "no such file: $file"
fi

lp_say "broadcasting $(lp_showpath "$file") to $orchestrators -> $(lp_showpath "$out")/"
lp_broadcast "$work/broadcaster.log" "$out" "$orchestrators" "$key" "$ledger" \
  filesrc "location=$file" '!' decodebin '!' queue '!' videoconvert
lp_python broadcast "$work/broadcaster.log" "$out" --name "$LP_NAME" \
  --label "$(lp_showpath "$file")" --show-hls "$(lp_showpath "$out")"

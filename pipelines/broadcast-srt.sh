#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A Livepeer broadcaster from an SRT source: MPEG-TS with H.264 received
# with srtsrc, sent through livepeersink to running orchestrators, HLS out.
set -euo pipefail
LP_NAME=broadcast-srt
# shellcheck source=pipelines/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<EOF
Usage: pipelines/broadcast-srt.sh --orchestrator URI[,URI...] [--uri SRT_URI]
           [--ledger FILE] [--key FILE] [--out DIR] [--profiles LIST]
           [--seconds N] [--build DIR]

Receives an MPEG-TS stream carrying H.264 over SRT (srtsrc, from
gstreamer1.0-plugins-bad) and broadcasts its video through livepeersink to
the orchestrators, writing HLS to DIR/master.m3u8, until the sender ends the
stream or for N seconds. By default it listens on 127.0.0.1:7001 for a
sender (an SRT caller), e.g.:
  ffmpeg -re -i in.mp4 -c:v libx264 -g 60 -f mpegts 'srt://127.0.0.1:7001?mode=caller'
  gst-launch-1.0 videotestsrc is-live=true ! video/x-raw,format=I420 ! \\
      x264enc tune=zerolatency key-int-max=60 ! mpegtsmux ! \\
      srtsink uri='srt://127.0.0.1:7001?mode=caller'

  --orchestrator URI  orchestrator base URI(s), comma separated (env
                      LP_ORCHESTRATOR), e.g. from pipelines/orchestrator.sh
  --uri SRT_URI       srtsrc's uri (default srt://127.0.0.1:7001?mode=listener;
                      env LP_SRT_URI); use ?mode=caller to pull from a listener
  --ledger FILE       the orchestrators' devnet ledger (default
                      out/orchestrator/devnet.db)
  --key FILE          the broadcaster's funded key (default
                      out/orchestrator/broadcaster.key)
  --out DIR           the HLS directory (default out/broadcast-srt/hls)
  --profiles LIST     renditions (default P360p30fps16x9,P240p30fps16x9)
  --seconds N         stop (end of stream) after N seconds (env
                      LP_BROADCAST_SECONDS; default: when the sender ends)
  --build DIR         the meson build directory (default build/; env LP_BUILD_DIR)
EOF
}

orchestrators=${LP_ORCHESTRATOR:-}
uri=${LP_SRT_URI:-srt://127.0.0.1:7001?mode=listener}
ledger=$lp_root/out/orchestrator/devnet.db
key=$lp_root/out/orchestrator/broadcaster.key
out=$lp_root/out/broadcast-srt/hls
while [ $# -gt 0 ]; do
  case $1 in
    --uri) uri=${2:?--uri needs a value}; shift 2 ;;
    --seconds) LP_BROADCAST_SECONDS=${2:?--seconds needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) lp_broadcaster_option "$@" || { usage >&2; lp_die "unknown argument '$1'"; }; shift 2 ;;
  esac
done
[ -n "$orchestrators" ] || { usage >&2; lp_die "--orchestrator URI is needed (a running pipelines/orchestrator.sh)"; }
[ -z "${LP_BROADCAST_SECONDS:-}" ] || lp_need_uint --seconds "$LP_BROADCAST_SECONDS" 1
case $uri in srt://*) ;; *) lp_die "--uri must be an srt:// URI, not '$uri'" ;; esac
lp_broadcaster_files

lp_use_build
lp_need_elements livepeersink
lp_need_elements --skip srtsrc tsdemux h264parse
work=$(dirname "$out")
mkdir -p "$work"
lp_fresh_hls "$out"

lp_say "receiving $uri -> $orchestrators -> $(lp_showpath "$out")/ (${LP_BROADCAST_SECONDS:+$LP_BROADCAST_SECONDS s, or }until the sender ends the stream)"
lp_broadcast "$work/broadcaster.log" "$out" "$orchestrators" "$key" "$ledger" \
  srtsrc "uri=$uri" '!' tsdemux '!' h264parse
lp_python broadcast "$work/broadcaster.log" "$out" --name "$LP_NAME" \
  --label "$uri" --show-hls "$(lp_showpath "$out")"

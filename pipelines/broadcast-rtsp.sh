#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A Livepeer broadcaster from an RTSP source (a camera, an RTSP server):
# H.264 over RTP pulled with rtspsrc, sent through livepeersink to running
# orchestrators, HLS out.
set -euo pipefail
LP_NAME=broadcast-rtsp
# shellcheck source=pipelines/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<EOF
Usage: pipelines/broadcast-rtsp.sh --orchestrator URI[,URI...] --location RTSP_URL
           [--tcp] [--ledger FILE] [--key FILE] [--out DIR] [--profiles LIST]
           [--seconds N] [--build DIR]

Plays RTSP_URL (rtspsrc, from gstreamer1.0-plugins-good; its H.264 video
stream) and broadcasts it through livepeersink to the orchestrators,
writing HLS to DIR/master.m3u8, until the server ends the stream, Ctrl-C or
N seconds. Any RTSP server serving H.264 works: an IP camera, mediamtx, or
gst-rtsp-server (Debian's gir1.2-gst-rtsp-server-1.0; the test uses
tests/check/pipelines/rtsp-server.py).

  --orchestrator URI  orchestrator base URI(s), comma separated (env
                      LP_ORCHESTRATOR), e.g. from pipelines/orchestrator.sh
  --location URL      rtsp://host[:port]/path (env LP_RTSP_LOCATION)
  --tcp               RTP interleaved over the RTSP connection (default: UDP
                      first, as rtspsrc does)
  --ledger FILE       the orchestrators' devnet ledger (default
                      out/orchestrator/devnet.db)
  --key FILE          the broadcaster's funded key (default
                      out/orchestrator/broadcaster.key)
  --out DIR           the HLS directory (default out/broadcast-rtsp/hls)
  --profiles LIST     renditions (default P360p30fps16x9,P240p30fps16x9)
  --seconds N         stop (end of stream) after N seconds (env
                      LP_BROADCAST_SECONDS; default: when the server ends it)
  --build DIR         the meson build directory (default build/; env LP_BUILD_DIR)
EOF
}

orchestrators=${LP_ORCHESTRATOR:-}
location=${LP_RTSP_LOCATION:-}
protocols=()
ledger=$lp_root/out/orchestrator/devnet.db
key=$lp_root/out/orchestrator/broadcaster.key
out=$lp_root/out/broadcast-rtsp/hls
while [ $# -gt 0 ]; do
  case $1 in
    --location) location=${2:?--location needs a value}; shift 2 ;;
    --tcp) protocols=(protocols=tcp); shift ;;
    --seconds) LP_BROADCAST_SECONDS=${2:?--seconds needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) lp_broadcaster_option "$@" || { usage >&2; lp_die "unknown argument '$1'"; }; shift 2 ;;
  esac
done
[ -n "$orchestrators" ] || { usage >&2; lp_die "--orchestrator URI is needed (a running pipelines/orchestrator.sh)"; }
[ -n "$location" ] || { usage >&2; lp_die "--location rtsp://... is needed"; }
case $location in rtsp://*|rtsps://*|rtspt://*) ;; *) lp_die "--location must be an rtsp:// URL, not '$location'" ;; esac
[ -z "${LP_BROADCAST_SECONDS:-}" ] || lp_need_uint --seconds "$LP_BROADCAST_SECONDS" 1
lp_broadcaster_files

lp_use_build
lp_need_elements livepeersink
lp_need_elements --skip rtspsrc rtph264depay h264parse
lp_fresh_hls "$out"
work=$(dirname "$out")

lp_say "playing $location -> $orchestrators -> $(lp_showpath "$out")/ (${LP_BROADCAST_SECONDS:+$LP_BROADCAST_SECONDS s, or }until the server ends the stream)"
lp_broadcast "$work/broadcaster.log" "$out" "$orchestrators" "$key" "$ledger" \
  rtspsrc "location=$location" ${protocols[@]+"${protocols[@]}"} \
  '!' rtph264depay '!' h264parse
lp_python broadcast "$work/broadcaster.log" "$out" --name "$LP_NAME" \
  --label "$location" --show-hls "$(lp_showpath "$out")"

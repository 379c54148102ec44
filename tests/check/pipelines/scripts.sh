#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# pipelines/scripts: runs every pipelines/*.sh with short durations and
# checks what they produced:
#   quickstart.sh       every rendition lists as many segments as the
#                       source, #EXT-X-ENDLIST, each decodes through
#                       hlsdemux to seconds x 30 frames at its size, the
#                       summary shows tickets and fees > 0, every won
#                       ticket redeemed, rewards minted; a busy port is a
#                       clear error
#   orchestrator.sh     serves the three broadcasters below, stops on
#                       SIGTERM with its summary (segments it transcoded)
#   broadcast-file.sh   a generated 4 s file -> HLS of 120 frames
#   broadcast-srt.sh    fed by a live srtsink sender -> consistent HLS
#   broadcast-rtsp.sh   from an RTSP server (tests/check/pipelines/
#                       rtsp-server.py; skipped without GstRtspServer)
#   local-ladder.sh     three renditions of the expected frames
#   ai-jobs.sh          a face found in exactly the frames it is in;
#                       face-blur's video written as HLS
# and --help / a bad argument for each.
# Usage: scripts.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build=$(cd "${1:?usage: scripts.sh BUILD_DIR SOURCE_DIR}" && pwd)
src=$(cd "${2:?usage: scripts.sh BUILD_DIR SOURCE_DIR}" && pwd)
export LP_BUILD_DIR=$build
export GST_DEBUG=${GST_DEBUG:-*:1}
work=$(mktemp -d "${TMPDIR:-/tmp}/lp-scripts-XXXXXX")
pids=()
skips=()
started=$SECONDS

cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ "${keep_work:-0}" = 1 ]; then
    echo "scripts: work directory kept: $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  keep_work=1
  exit 1
}
step() { echo "== $* ($((SECONDS - started)) s)"; }

# lp_take_port VAR: a port nobody uses on 127.0.0.1
source "$src/pipelines/lib/ports.sh"

wait_tcp() {   # PORT PID WHAT
  local deadline=$((SECONDS + 30))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    kill -0 "$2" 2>/dev/null || fail "$3 exited before listening on $1"
    [ "$SECONDS" -lt "$deadline" ] || fail "$3 does not listen on $1 after 30 s"
    sleep 0.1
  done
}

wait_udp() {   # PORT PID WHAT
  local deadline=$((SECONDS + 30)) hex
  hex=$(printf '%04X' "$1")
  until grep -qi ":$hex " /proc/net/udp /proc/net/udp6 2>/dev/null; do
    kill -0 "$2" 2>/dev/null || fail "$3 exited before listening on UDP $1"
    [ "$SECONDS" -lt "$deadline" ] || fail "$3 does not listen on UDP $1 after 30 s"
    sleep 0.1
  done
}

# frames decoded from a playlist through uridecodebin (hlsdemux), and the
# size of the last caps: "FRAMES WxH"
decode_hls() {
  local out
  out=$(gst-launch-1.0 -v uridecodebin "uri=file://$1" '!' fakesink silent=false sync=false 2>&1) ||
    fail "$1 does not decode: $(tail -n 5 <<<"$out")"
  grep -q 'GstHLSDemux' <<<"$out" || fail "$1 was not played through hlsdemux"
  local frames w h
  frames=$(grep -c 'last-message = chain' <<<"$out" || true)
  w=$(grep 'fakesink0.GstPad:sink: caps = video/x-raw' <<<"$out" | tail -n 1 | sed -n 's/.*width=(int)\([0-9]*\).*/\1/p')
  h=$(grep 'fakesink0.GstPad:sink: caps = video/x-raw' <<<"$out" | tail -n 1 | sed -n 's/.*height=(int)\([0-9]*\).*/\1/p')
  echo "$frames ${w}x${h}"
}

# check_hls DIR [FRAMES [SLACK]]: master.m3u8 lists the source and every
# rendition; each media playlist has as many segments as the source's and
# ENDLIST; each decodes to FRAMES (or the source's count, > 0) at its
# RESOLUTION; ffprobe finds every variant's PTS continuous across segments
# and segment N starting at the same PTS in every variant, with no
# #EXT-X-DISCONTINUITY (hls-timeline.py). SLACK "live" lets a rendition differ from the source by one
# frame per segment: a live source's timestamps jitter, and converting
# them to the profile's fixed 30 fps may move a frame across the grid.
check_hls() {
  local dir=$1 expect=${2:-} slack=${3:-} master=$1/master.m3u8 line res name n
  local source_segments='' source_frames='' got frames size
  [ -f "$master" ] || fail "no $master"
  res=
  while IFS= read -r line; do
    case $line in
      '#EXT-X-STREAM-INF:'*) res=$(sed -n 's/.*RESOLUTION=\([0-9]*x[0-9]*\).*/\1/p' <<<"$line") ;;
      '#'*|'') ;;
      *)
        name=${line%/index.m3u8}
        [ -f "$dir/$line" ] || fail "$master lists $line, which does not exist"
        n=$(grep -c '^[^#]' "$dir/$line" || true)
        grep -qx '#EXT-X-ENDLIST' "$dir/$line" || fail "$dir/$line has no #EXT-X-ENDLIST"
        [ "$n" -gt 0 ] || fail "$dir/$line lists no segment"
        if [ -z "$source_segments" ]; then source_segments=$n; fi
        [ "$n" -eq "$source_segments" ] ||
          fail "$dir/$line lists $n segments, the first playlist $source_segments"
        got=$(decode_hls "$dir/$line")
        frames=${got% *}
        size=${got#* }
        if [ -z "$source_frames" ]; then source_frames=$frames; fi
        [ "$frames" -gt 0 ] || fail "$dir/$line decodes to no frame"
        [ -z "$expect" ] || [ "$frames" -eq "$expect" ] ||
          fail "$dir/$line decodes to $frames frames, expected $expect"
        if [ "$slack" = live ]; then
          [ $((frames - source_frames)) -le "$n" ] && [ $((source_frames - frames)) -le "$n" ] ||
            fail "$dir/$line decodes to $frames frames, the first playlist to $source_frames (more than one a segment apart)"
        else
          [ "$frames" -eq "$source_frames" ] ||
            fail "$dir/$line decodes to $frames frames, the first playlist to $source_frames"
        fi
        [ -z "$res" ] || [ "$size" = "$res" ] ||
          fail "$dir/$line decodes at $size, master.m3u8 says $res"
        echo "   $name: $n segments, $frames frames at $size"
        ;;
    esac
  done <"$master"
  [ -n "$source_segments" ] || fail "$master lists no playlist"
  python3 "$src/tests/check/pipelines/hls-timeline.py" "$master" ||
    fail "$master: the variants do not share one time line"
  checked_segments=$source_segments
  checked_frames=$source_frames
}

# check_usage SCRIPT: --help prints usage and exits 0; a bad argument exits
# non-zero with an error
check_usage() {
  local out rc
  out=$(bash "$src/pipelines/$1" --help) || fail "$1 --help failed"
  grep -q '^Usage: pipelines/' <<<"$out" || fail "$1 --help prints no usage"
  rc=0
  out=$(bash "$src/pipelines/$1" --no-such-option 2>&1) || rc=$?
  [ $rc -ne 0 ] && grep -q 'error: ' <<<"$out" || fail "$1 accepts --no-such-option (exit $rc)"
}

for s in quickstart.sh orchestrator.sh broadcast-file.sh broadcast-srt.sh broadcast-rtsp.sh local-ladder.sh ai-jobs.sh; do
  check_usage "$s"
done

# ---- quickstart -------------------------------------------------------
seconds=6
lp_take_port p1
lp_take_port p2
step "quickstart.sh --seconds $seconds --ports $p1,$p2"
out=$(LP_QUICKSTART_SECONDS=$seconds bash "$src/pipelines/quickstart.sh" \
  --dir "$work/quickstart" --ports "$p1,$p2" 2>&1) || { echo "$out"; fail "quickstart.sh failed"; }
echo "$out"
check_hls "$work/quickstart/hls" $((seconds * 30))
# the segments add up to the stream, each at most the 2 s target
for r in "$work"/quickstart/hls/*/index.m3u8; do
  awk -F'[:,]' -v want="$seconds" -v f="$r" '
    /^#EXTINF:/ { total += $2; if ($2 > 2.05) { print f ": a " $2 " s segment"; bad = 1 } }
    END { if (total < want - 0.1 || total > want + 0.1) { print f ": " total " s, not " want; bad = 1 }; exit bad }' "$r" ||
    fail "quickstart: the segments of $r do not add up"
done
tickets=$(sed -n 's/^  tickets *\([0-9]*\) sent.*/\1/p' <<<"$out")
[ -n "$tickets" ] && [ "$tickets" -gt 0 ] || fail "quickstart: the summary shows no tickets sent"
fees=$(sed -n 's/^  fees .*(\([0-9]*\) wei) charged.*/\1/p' <<<"$out")
[ -n "$fees" ] && [ "$fees" -gt 0 ] || fail "quickstart: the summary shows no fees"
won=$(sed -n 's/^  tickets .* \([0-9]*\) won, \([0-9]*\) redeemed.*/\1 \2/p' <<<"$out")
[ -n "$won" ] && [ "${won% *}" = "${won#* }" ] || fail "quickstart: won and redeemed tickets differ: '$won'"
grep -q ' 0 still queued' <<<"$out" || fail "quickstart: tickets are still queued"
grep -q 'rewards  .* LPT minted by [1-9]' <<<"$out" || fail "quickstart: no reward minted"
grep -q "play  *gst-play-1.0 .*/hls/master.m3u8" <<<"$out" || fail "quickstart: no play command"
echo "   tickets sent $tickets, won/redeemed $won, fees $fees wei"

# ---- one orchestrator, three broadcasters -----------------------------
lp_take_port port
step "orchestrator.sh --port $port (in the background)"
bash "$src/pipelines/orchestrator.sh" --port "$port" --dir "$work/orchestrator" \
  --seconds 300 >"$work/orchestrator.out" 2>&1 &
orch=$!
pids+=("$orch")
wait_tcp "$port" "$orch" orchestrator.sh
uri=http://127.0.0.1:$port
common=(--orchestrator "$uri" --ledger "$work/orchestrator/devnet.db"
  --key "$work/orchestrator/broadcaster.key")

rc=0
lp_take_port other
busy=$(bash "$src/pipelines/quickstart.sh" --dir "$work/busy" --ports "$port,$other" 2>&1) || rc=$?
[ $rc -ne 0 ] && grep -q "port $port .* already in use" <<<"$busy" ||
  fail "quickstart.sh on a busy port: exit $rc: $busy"

served=0
step "broadcast-file.sh --seconds 4 (generated file)"
out=$(bash "$src/pipelines/broadcast-file.sh" "${common[@]}" --out "$work/file/hls" --seconds 4 2>&1) ||
  { echo "$out"; fail "broadcast-file.sh failed"; }
echo "$out"
check_hls "$work/file/hls" 120
served=$((served + checked_segments))

step "broadcast-srt.sh fed by a live srtsink sender"
if gst-inspect-1.0 --exists srtsrc && gst-inspect-1.0 --exists srtsink && gst-inspect-1.0 --exists x264enc; then
  lp_take_port srt
  bash "$src/pipelines/broadcast-srt.sh" "${common[@]}" --out "$work/srt/hls" \
    --uri "srt://127.0.0.1:$srt?mode=listener" --seconds 60 >"$work/srt.out" 2>&1 &
  bsrt=$!
  pids+=("$bsrt")
  wait_udp "$srt" "$bsrt" broadcast-srt.sh
  # 6 s live, a keyframe every 2 s: the stream ends when the sender does
  gst-launch-1.0 -q videotestsrc is-live=true num-buffers=180 pattern=ball \
    '!' video/x-raw,width=1280,height=720,framerate=30/1,format=I420 \
    '!' x264enc tune=zerolatency key-int-max=60 speed-preset=ultrafast \
    '!' mpegtsmux '!' srtsink "uri=srt://127.0.0.1:$srt?mode=caller" >"$work/srt-sender.out" 2>&1 ||
    { cat "$work/srt-sender.out"; fail "the SRT sender failed"; }
  rc=0
  wait "$bsrt" || rc=$?
  cat "$work/srt.out"
  [ $rc -eq 0 ] || fail "broadcast-srt.sh failed (exit $rc)"
  check_hls "$work/srt/hls" "" live
  [ "$checked_frames" -ge 60 ] || fail "broadcast-srt.sh: only $checked_frames frames of 180 sent"
  served=$((served + checked_segments))
else
  skips+=("broadcast-srt.sh: srtsrc, srtsink or x264enc missing (gstreamer1.0-plugins-bad/-ugly)")
fi

step "broadcast-rtsp.sh from an RTSP server"
py=
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer" 2>/dev/null; then
    py=$candidate
    break
  fi
done
if [ -z "$py" ]; then
  skips+=("broadcast-rtsp.sh: no RTSP server to play from (GstRtspServer for Python: apt-get install python3-gi gir1.2-gst-rtsp-server-1.0)")
elif ! gst-inspect-1.0 --exists rtspsrc || ! gst-inspect-1.0 --exists x264enc; then
  skips+=("broadcast-rtsp.sh: rtspsrc or x264enc missing")
else
  lp_take_port rtsp
  "$py" "$src/tests/check/pipelines/rtsp-server.py" "$rtsp" \
    "videotestsrc is-live=true num-buffers=180 pattern=ball ! video/x-raw,width=1280,height=720,framerate=30/1,format=I420 ! x264enc tune=zerolatency key-int-max=60 speed-preset=ultrafast ! rtph264pay name=pay0 pt=96 config-interval=1" \
    >"$work/rtsp-server.out" 2>&1 &
  server=$!
  pids+=("$server")
  wait_tcp "$rtsp" "$server" rtsp-server.py
  # the server ends the stream after 180 frames (RTCP BYE: EOS)
  out=$(bash "$src/pipelines/broadcast-rtsp.sh" "${common[@]}" --out "$work/rtsp/hls" \
    --location "rtsp://127.0.0.1:$rtsp/test" --seconds 60 2>&1) ||
    { echo "$out"; cat "$work/rtsp-server.out"; fail "broadcast-rtsp.sh failed"; }
  echo "$out"
  check_hls "$work/rtsp/hls" "" live
  [ "$checked_frames" -ge 60 ] || fail "broadcast-rtsp.sh: only $checked_frames frames of 180 served"
  served=$((served + checked_segments))
fi

step "orchestrator.sh: SIGTERM"
kill -TERM "$orch"
rc=0
wait "$orch" || rc=$?
cat "$work/orchestrator.out"
[ $rc -eq 0 ] || fail "orchestrator.sh exited $rc on SIGTERM"
transcoded=$(sed -n 's/^  segments *\([0-9]*\) transcoded.*/\1/p' "$work/orchestrator.out")
[ -n "$transcoded" ] && [ "$transcoded" -ge "$served" ] ||
  fail "orchestrator.sh transcoded '${transcoded}' segments, the broadcasters wrote $served"
if grep -qas "port=$port" /proc/[0-9]*/cmdline; then
  fail "orchestrator.sh left its lporchestrator running"
fi

# ---- local ladder -----------------------------------------------------
step "local-ladder.sh --seconds 1"
out=$(bash "$src/pipelines/local-ladder.sh" --seconds 1 --dir "$work/ladder" 2>&1) ||
  { echo "$out"; fail "local-ladder.sh failed"; }
echo "$out"
for r in "P720p30fps16x9 1280x720" "P360p30fps16x9 640x360" "P240p30fps16x9 426x240"; do
  grep -q "$r 30fps 30 frames" <<<"$out" || fail "local-ladder.sh: no '$r 30fps 30 frames'"
done

# ---- AI jobs ----------------------------------------------------------
step "ai-jobs.sh"
lp_take_port ai_port
out=$(bash "$src/pipelines/ai-jobs.sh" --dir "$work/ai" --port "$ai_port" 2>&1) ||
  { echo "$out"; fail "ai-jobs.sh failed"; }
echo "$out"
# the clip has a face from 2 s to its end (6 s at 30 fps)
grep -q "detection     3 segments, 0 lost: 180 frames analysed, a face in 120 (from 2.00 s to 5.9" <<<"$out" ||
  fail "ai-jobs.sh: the face is not found in exactly frames 60-179"
grep -q "face-blur     3 segments, 0 lost; HLS: face-blur 3, source 3 (every playlist ends" <<<"$out" ||
  fail "ai-jobs.sh: face-blur did not write 3 segments"
# 180 frames at 2000 wei; 180 x 640 x 480 pixels at 2 wei; as debited
grep -q "(360000 wei) for 180 frames = the orchestrator's debits" <<<"$out" ||
  fail "ai-jobs.sh: the detection fees differ from 180 frames x 2000 wei or from the debits"
grep -q "(110592000 wei) for 55296000 input pixels = the orchestrator's debits" <<<"$out" ||
  fail "ai-jobs.sh: the face-blur fees differ from the pixels x 2 wei or from the debits"
check_hls "$work/ai/blur" 180

step "done"
for s in "${skips[@]+"${skips[@]}"}"; do
  echo "SKIPPED: $s"
done

#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# lptranscodebin vs ffmpeg on the same ladder, same input, in one run.
#
# Both decode one H.264 source once and encode the same renditions with
# libx264 at matching settings: the whole medium preset (3 B-frames: x264enc
# applies the preset and only the properties we set, as LPMS does in
# software), same bitrates and VBV (x264enc's default CBR: maxrate = bitrate,
# 600 ms buffer), GOP 2 s, bicubic libswscale scaling (ffmpeg's and LPMS's
# default; lpswscale on our side), frame rate by dropping.
# The x264 option strings both sides wrote are compared at the end.
# Prints CPU (user+sys) and wall seconds of each run, then the ratios of the
# medians, gst / ffmpeg. Target: CPU ratio <= 1.
#
# Usage: bench/ladder.sh [RUNS]      (builds ./build first if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
out=$PWD/bench/out
mkdir -p "$out"
bash scripts/build.sh >/dev/null

export GST_PLUGIN_PATH=$PWD/build/gst/transcode
export GST_REGISTRY=$out/registry.dat
gst-inspect-1.0 lptranscodebin >/dev/null   # warm the registry outside the timing

# 10 s of 1920x1080@30 moving test card, encoded well above the ladder's rates
src=$out/source-1080p30.ts
if [ ! -s "$src" ]; then
  ffmpeg -v error -y -f lavfi -i testsrc2=size=1920x1080:rate=30:duration=10 \
    -c:v libx264 -preset veryfast -b:v 12M -g 60 -bf 0 -pix_fmt yuv420p "$src"
fi

# name width height kbit/s
ladder=("P720p30fps16x9 1280 720 4000" "P360p30fps16x9 640 360 1200"
  "P240p30fps16x9 426 240 600")

gst_cmd=(gst-launch-1.0 -q filesrc "location=$src" '!' tsdemux '!' h264parse '!'
  lptranscodebin name=t encoder=x264enc)
names=()
for r in "${ladder[@]}"; do read -r name _ <<<"$r"; names+=("$name"); done
gst_cmd+=("profiles=$(IFS=,; echo "${names[*]}")")

graph="[0:v]split=${#ladder[@]}"
for i in "${!ladder[@]}"; do graph+="[s$i]"; done
ff_cmd=(ffmpeg -v error -y -i "$src")
maps=()
for i in "${!ladder[@]}"; do
  read -r name w h kbps <<<"${ladder[$i]}"
  gst_cmd+=(t.src_$i '!' mpegtsmux '!' filesink "location=$out/gst-$name.ts")
  graph+=";[s$i]fps=30,scale=$w:$h:flags=bicubic[o$i]"
  maps+=(-map "[o$i]" -c:v libx264 -preset medium -b:v "${kbps}k" -maxrate "${kbps}k"
    -bufsize "$((kbps * 6 / 10))k" -g 60 -f mpegts "$out/ffmpeg-$name.ts")
done
ff_cmd+=(-filter_complex "$graph" "${maps[@]}")

# prints "cpu wall" in seconds
measure() {
  /usr/bin/time -f "%U %S %e" -o "$out/time.txt" "$@" >/dev/null
  awk '{printf "%.2f %.2f\n", $1 + $2, $3}' "$out/time.txt"
}
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

: >"$out/gst.txt"
: >"$out/ffmpeg.txt"
for ((k = 1; k <= runs; k++)); do
  g=$(measure "${gst_cmd[@]}")
  f=$(measure "${ff_cmd[@]}")
  echo "$g" >>"$out/gst.txt"
  echo "$f" >>"$out/ffmpeg.txt"
  echo "run $k: lptranscodebin cpu/wall ${g/ /s/}s   ffmpeg ${f/ /s/}s"
done

for i in "${!ladder[@]}"; do
  read -r name _ <<<"${ladder[$i]}"
  for tool in gst ffmpeg; do
    info=$(ffprobe -v error -select_streams v:0 -count_frames -show_entries \
      stream=width,height,nb_read_frames -of csv=p=0 "$out/$tool-$name.ts" | head -1)
    printf '  %-7s %-15s %s, %s KiB\n' "$tool" "$name" "$info" \
      "$(du -k "$out/$tool-$name.ts" | cut -f1)"
  done
done

# x264 writes its settings into the stream: they must be the same
x264_options() {
  ffmpeg -v error -i "$1" -c copy -frames:v 1 -f h264 - | strings |
    grep -m1 'options:' | sed 's/.*options: //' | tr ' ' '\n' | sort
}
for r in "${ladder[@]}"; do
  read -r name _ <<<"$r"
  if ! diff <(x264_options "$out/gst-$name.ts") <(x264_options "$out/ffmpeg-$name.ts") \
      >"$out/x264-options.diff"; then
    echo "x264 settings differ for $name (gst <, ffmpeg >):"; cat "$out/x264-options.diff"
  fi
done

gc=$(cut -d' ' -f1 "$out/gst.txt" | median); gw=$(cut -d' ' -f2 "$out/gst.txt" | median)
fc=$(cut -d' ' -f1 "$out/ffmpeg.txt" | median); fw=$(cut -d' ' -f2 "$out/ffmpeg.txt" | median)
awk -v gc="$gc" -v gw="$gw" -v fc="$fc" -v fw="$fw" -v n="$runs" 'BEGIN {
  printf "ladder bench (%d runs, medians): lptranscodebin cpu %.2fs wall %.2fs; ffmpeg cpu %.2fs wall %.2fs; cpu ratio %.3f, wall ratio %.3f\n",
    n, gc, gw, fc, fw, gc / fc, gw / fw }'

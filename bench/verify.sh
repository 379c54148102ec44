#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What lpverify costs next to the transcode it checks.
#
#   bash bench/verify.sh [RUNS]        # default 5 runs of each pipeline
#   bash bench/verify.sh --instructions [NAME...]  # instructions (callgrind)
#
# Source: 10 s of 1280x720@30 ffmpeg testsrc2, encoded to H.264 in MPEG-TS
# once (bench/out/source-720p30.ts). Pipelines, all decoding the source once:
#   transcode  decode -> lptranscodebin P360p30fps16x9,P240p30fps16x9
#              (x264enc) -> mpegtsmux -> fakesink, per rendition
#   verify-10  the same, plus: the decoded source teed into lpverify's
#              reference, each rendition teed after the encoder, decoded
#              (avdec_h264 max-threads=1, as livepeersink decodes them)
#              into a lpverify sink pad; sample-interval=10
#   verify-1   the same with sample-interval=1 (every frame scored)
#   decode-renditions  transcode plus the renditions' decoding, no lpverify
#              (splits verify-10's overhead into decoding and lpverify)
# Prints CPU (user + sys) and wall seconds per run, the minimum and median
# of each, and the verification overhead (verify - transcode) / transcode
# on both. On a shared 2-core VM the CPU time of one pipeline varies by
# 20 % from run to run, more than the effect measured, so --instructions
# counts the instructions each pipeline executes instead (valgrind
# callgrind, one run each, two at a time, ~10 min): exact and repeatable,
# though an instruction of x264's SIMD code does more work than one of
# lpverify's scalar loops.
# Target: <= 10 % with the default sampling. BUILD=DIR measures another
# build directory than ./build, OUT=DIR writes elsewhere than bench/out.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=time
if [ "${1:-}" = --instructions ]; then mode=instructions; shift; fi
runs=${1:-5}
out=${OUT:-$PWD/bench/out}
mkdir -p "$out"
build=${BUILD:-$PWD/build}   # the build directory to measure
[ -f "$build/gst/verify/libgstlpverify.so" ] || ninja -C "$build" >&2

export GST_PLUGIN_PATH=$build/gst/transcode:$build/gst/verify
gst-inspect-1.0 lptranscodebin >/dev/null   # warm the registry outside the timing
gst-inspect-1.0 lpverify >/dev/null

src=$out/source-720p30.ts
if [ ! -s "$src" ]; then
  ffmpeg -v error -y -f lavfi -i testsrc2=size=1280x720:rate=30:duration=10 \
    -c:v libx264 -preset veryfast -b:v 8M -g 60 -bf 0 -pix_fmt yuv420p "$src"
fi

profiles=P360p30fps16x9,P240p30fps16x9
# generous queues: nothing may block the preroll of the other branches
Q="queue max-size-buffers=0 max-size-bytes=0 max-size-time=5000000000"
decode="filesrc location=$src ! tsdemux ! h264parse ! avdec_h264"
# the renditions' decoder: one thread, as livepeersink's (frame threads
# cost CPU time in synchronisation and gain nothing next to a transcode)
rdec="avdec_h264 max-threads=1"
transcode="lptranscodebin name=t encoder=x264enc profiles=$profiles"

pipe_transcode() {
  echo "$decode ! $transcode t.src_0 ! $Q ! mpegtsmux ! fakesink t.src_1 ! $Q ! mpegtsmux ! fakesink"
}
pipe_decode() {   # the verify pipeline's extra decoding, without lpverify
  echo "$decode ! $transcode" \
    "t.src_0 ! tee name=r0 ! $Q ! mpegtsmux ! fakesink r0. ! $Q ! $rdec ! fakesink" \
    "t.src_1 ! tee name=r1 ! $Q ! mpegtsmux ! fakesink r1. ! $Q ! $rdec ! fakesink"
}
pipe_verify() {   # sample-interval
  echo "lpverify name=v sample-interval=$1 ! fakesink" \
    "$decode ! tee name=d ! $Q ! $transcode d. ! $Q ! v.reference" \
    "t.src_0 ! tee name=r0 ! $Q ! mpegtsmux ! fakesink r0. ! $Q ! $rdec ! v.sink_0" \
    "t.src_1 ! tee name=r1 ! $Q ! mpegtsmux ! fakesink r1. ! $Q ! $rdec ! v.sink_1"
}

# runs one pipeline, prints "cpu wall"; the last final lpverify-result goes
# to $out/verify-last-<name>.txt
measure() {  # name, pipeline
  # shellcheck disable=SC2086
  /usr/bin/time -f "%U %S %e" -o "$out/time.txt" gst-launch-1.0 -m $2 \
    >"$out/verify-log.txt" 2>&1 || { tail -20 "$out/verify-log.txt" >&2; exit 1; }
  grep -a 'final=(boolean)true' "$out/verify-log.txt" | tr -d '\\' \
    >"$out/verify-last-$1.txt" || true
  awk '{printf "%.2f %.2f\n", $1 + $2, $3}' "$out/time.txt"
}
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
minimum() { sort -n | head -1; }

names=(transcode decode-renditions verify-10 verify-1)
pipeline_of() {
  case $1 in
    transcode) pipe_transcode ;;
    decode-renditions) pipe_decode ;;
    verify-10) pipe_verify 10 ;;
    verify-1) pipe_verify 1 ;;
  esac
}

# instructions executed by one pipeline (all threads), under callgrind
instructions() {  # name
  # shellcheck disable=SC2046
  valgrind --tool=callgrind --callgrind-out-file="$out/callgrind-$1.out" \
    gst-launch-1.0 -q $(pipeline_of "$1") >"$out/callgrind-$1.log" 2>&1 ||
    { tail -20 "$out/callgrind-$1.log" >&2; exit 1; }
  awk '/^(summary|totals):/ {print $2; exit}' "$out/callgrind-$1.out" \
    >"$out/instructions-$1.txt"
}

if [ $mode = instructions ]; then
  command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 2; }
  # names given: count only those and reuse the others' last counts (the
  # transcode and decode pipelines do not change with lpverify)
  todo=("$@")
  [ ${#todo[@]} -gt 0 ] || todo=("${names[@]}")
  for ((k = 0; k < ${#todo[@]}; k += 2)); do
    instructions "${todo[k]}" &
    [ $((k + 1)) -lt ${#todo[@]} ] && instructions "${todo[k + 1]}" &
    wait
  done
  base=$(cat "$out/instructions-transcode.txt")
  echo "| pipeline | instructions (10^9) | overhead vs transcode |"
  echo "| --- | --- | --- |"
  for n in "${names[@]}"; do
    # a pipeline never counted in $out (a fresh OUT=DIR): no row
    [ -s "$out/instructions-$n.txt" ] || continue
    i=$(cat "$out/instructions-$n.txt")
    awk -v i="$i" -v b="$base" -v n="$n" 'BEGIN {
      r = n == "transcode" ? "-" : sprintf("%+.1f %%", (i - b) / b * 100)
      printf "| %s | %.2f | %s |\n", n, i / 1e9, r }'
  done
  exit 0
fi

for n in "${names[@]}"; do : >"$out/verify-$n.txt"; done
for ((k = 1; k <= runs; k++)); do
  line="run $k:"
  for n in "${names[@]}"; do
    p=$(pipeline_of "$n")
    r=$(measure "$n" "$p")
    echo "$r" >>"$out/verify-$n.txt"
    line+="  $n cpu/wall ${r/ /s/}s"
  done
  echo "$line"
done

echo
echo "| pipeline | CPU s (min / median) | wall s (median) | CPU overhead vs transcode (min / median) |"
echo "| --- | --- | --- | --- |"
base_min=$(cut -d' ' -f1 "$out/verify-transcode.txt" | minimum)
base_med=$(cut -d' ' -f1 "$out/verify-transcode.txt" | median)
for n in "${names[@]}"; do
  cpu_min=$(cut -d' ' -f1 "$out/verify-$n.txt" | minimum)
  cpu_med=$(cut -d' ' -f1 "$out/verify-$n.txt" | median)
  wall=$(cut -d' ' -f2 "$out/verify-$n.txt" | median)
  ratio=$(awk -v a="$cpu_min" -v b="$base_min" -v c="$cpu_med" -v d="$base_med" \
    'BEGIN {printf "%+.1f %% / %+.1f %%", (a - b) / b * 100, (c - d) / d * 100}')
  [ "$n" = transcode ] && ratio="-"
  echo "| $n | $cpu_min / $cpu_med | $wall | $ratio |"
done

echo
for n in verify-10 verify-1; do
  f=$out/verify-last-$n.txt
  [ -s "$f" ] || { echo "$n: no final lpverify-result" >&2; continue; }
  echo "$n last run: verdict $(grep -o 'verdict=(string)[a-z]*' "$f" | head -1 | sed 's/.*)//');" \
    "per rendition (frames checked psnr-y-p5 ssim-y-p5 verdict):" \
    "$(grep -o ' frames=(guint64)[0-9]*\| checked=(guint64)[0-9]*\| psnr-y-p5=(double)[0-9.]*\| ssim-y-p5=(double)[0-9.]*\| verdict=(string)[a-z]*' "$f" \
       | sed 's/.*)//' | paste -sd' ')"
done

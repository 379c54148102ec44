#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# How many concurrent broadcaster sessions one lporchestrator holds in real
# time (bench/orchestrator.c): for N = 1, 2, 4, 8, 12, 16, ... sessions,
# each sending SEGMENTS 2 s 640x360@30 H.264 segments for PROFILES, one run
# back to back (throughput; up to N = 16) and one paced at one segment per
# 2 s (real time), each in a fresh process (so that RSS growth is that
# run's). The sweep stops at the first N that is not held in real time (or
# after MAX_N), then bisects once between the last N held and that one
# (paced only). Last, one run with payments (1 wei/pixel, ~6 tickets a
# segment) and one with MALLOC_ARENA_MAX=2, both at N = 4 and to compare
# with the free run there. Prints the summary table; the full output is in
# bench/out/orchestrator-INPUT.log.
#
# Usage: bench/orchestrator.sh [SEGMENTS] [MAX_N] [PROFILES] [INPUT]
#        (defaults 8, 32, P240p30fps16x9, continuous; builds ./build first)
# INPUT "repeat" sends the first segment every time instead of consecutive
# segments of one stream (see bench-orchestrator --help).
set -euo pipefail
cd "$(dirname "$0")/.."
segments=${1:-8}
max_n=${2:-32}
profiles=${3:-P240p30fps16x9}
input=${4:-continuous}
out=$PWD/bench/out
mkdir -p "$out"
bash scripts/build.sh >/dev/null
ninja -C build bench/bench-orchestrator >/dev/null

export GST_PLUGIN_PATH=$PWD/build/ext/livepeer:$PWD/build/gst/transcode
export GST_REGISTRY=$out/registry.dat
gst-inspect-1.0 lporchestrator >/dev/null  # warm the registry outside the timing

bench=(build/bench/bench-orchestrator --segments "$segments" --profiles "$profiles"
  --input "$input" --segment-dir "$out/orchestrator-segments")
# the input, once, in a process of its own
"${bench[@]}" --generate-only
log=$out/orchestrator-$input.log
: >"$log"
start=$(date +%s)

# This is a shared development machine: before each run, wait (up to 20 s)
# for a second in which other processes keep less than a quarter of a core
# busy. Each run reports the other processes' load during it anyway.
busy_jiffies() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
wait_quiet() {
  local i a b
  for ((i = 0; i < 20; i++)); do
    a=$(busy_jiffies); sleep 1; b=$(busy_jiffies)
    (((b - a) * 4 < $(getconf CLK_TCK))) && return
  done
  echo "(the machine is busy with other work; running anyway)"
}

run() {
  # the whole output goes to the log; shown: all but the per-session rows
  wait_quiet
  echo "## bench-orchestrator $*" >>"$log"
  "${bench[@]}" "$@" 2>&1 | tee -a "$log" | grep -v -e '^RESULT' -e '^| ' ||
    echo "(bench-orchestrator $*: a segment failed, see above)"
}
last_held() { grep '^RESULT mode=paced' "$log" | tail -1 | grep -q 'held=yes'; }

held_n=0 failed_n=0
for n in 1 2 4 8 12 16 20 24 28 32 40 48 64; do
  ((n <= max_n)) || break
  # throughput is flat beyond 16 sessions (all cores busy): spare the time
  ((n > 16)) || run --sessions "$n" --mode burst
  run --sessions "$n" --mode paced
  if last_held; then held_n=$n; else failed_n=$n; break; fi
done
if ((failed_n > held_n + 1)); then
  mid=$(((held_n + failed_n) / 2))
  run --sessions "$mid" --mode paced
  if last_held; then held_n=$mid; else failed_n=$mid; fi
fi
# payment overhead: the same burst run at N = 4 (or less), paid with tickets
pay_n=$((held_n >= 4 ? 4 : (held_n > 0 ? held_n : 1)))
run --sessions "$pay_n" --mode burst --price 1
# memory: how much of the RSS per session is glibc's per-thread malloc
# arenas (every streaming and encoder thread gets one) rather than buffers
MALLOC_ARENA_MAX=2 run --sessions "$pay_n" --mode burst

echo
echo "== summary ($(nproc) cores, $segments segments of 2 s per session, $profiles, input $input, $(($(date +%s) - start)) s)"
grep '^RESULT' "$log" | awk '
  function v(k,   i, kv) {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) return kv[2] }
    return ""
  }
  BEGIN {
    print "| N | mode | price | segments/s | RTF per session (mean, min) | held | round trip p50/p95 ms | transcode p50/p95 ms | added p50/p95 ms | of which downloads p50/p95 ms | MiB per session (growth/N; marginal) | CPU cores busy (others) | CPU s per segment |"
    print "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  }
  {
    mode = v("mode"); n = v("n") + 0
    if (v("malloc_arena_max") != "default") mode = mode ", MALLOC_ARENA_MAX=" v("malloc_arena_max")
    held = mode == "paced" ? v("held") : "-"
    # marginal: RSS at the end against the same mode with one session
    if (n == 1 && v("price") == 0 && !(mode in end1)) end1[mode] = v("mib_end")
    marginal = (n > 1 && mode in end1) ? sprintf("%.1f", (v("mib_end") - end1[mode]) / (n - 1)) : "-"
    printf "| %s | %s | %s | %s | %s, %s | %s | %s / %s | %s / %s | %s / %s | %s / %s | %s; %s | %s (%s) | %s |\n",
      n, mode, v("price"), v("seg_per_s"), v("rtf_mean"), v("rtf_min"), held,
      v("rtt_p50"), v("rtt_p95"), v("tc_p50"), v("tc_p95"), v("add_p50"), v("add_p95"),
      v("fetch_p50"), v("fetch_p95"),
      v("mib_per_session"), marginal, v("cpu_load"), v("other_load"), v("cpu_per_seg")
  }'
bad=$(grep -c '^WRONG OUTPUT' "$log" || true)
((bad == 0)) || echo "WARNING: $bad run(s) got renditions with frames that are not in the input (see $log)"
if ((failed_n > 0)); then
  echo "held in real time up to N = $held_n; not at N = $failed_n"
else
  echo "held in real time up to N = $held_n (the most tried)"
fi

#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What the chain adds to a segment (bench/README.md, "chain-segment.sh"):
# bench-orchestrator (one lporchestrator and one broadcaster session in one
# process, bench/orchestrator.c) sends the same SEGMENTS 2 s segments, one
# every 2 s as a live stream, paid with tickets (1 wei/pixel, ~6 tickets a
# segment), once with the embedded ledger (a fresh devnet.db) and once with
# the chain ledger (pipelines/chain-devnet.sh: anvil on loopback with
# Livepeer's contracts), RUNS times each, interleaved. Per run: the
# latency the orchestrator adds around the transcoder (round trip minus
# transcode time), p50 and p95 over the segments; then the medians of
# the runs and the chain's difference. Target: <= 1 ms at p50.
# Usage: bash bench/chain-segment.sh [SEGMENTS] [RUNS]   (defaults 10, 3)
set -euo pipefail
cd "$(dirname "$0")/.."
segments=${1:-10}
runs=${2:-3}
# shellcheck source=bench/lib/chain.sh
. bench/lib/chain.sh
out=$bench_src/bench/out
mkdir -p "$out"

bench_chain_prepare
ninja -C build bench/bench-orchestrator >/dev/null
export GST_PLUGIN_PATH=$bench_build/ext/livepeer:$bench_build/gst/transcode
export GST_REGISTRY=$bench_work/registry.dat
gst-inspect-1.0 lporchestrator >/dev/null   # the registry, outside the timing
# gas price 0: tickets' face value is then 100 x EV on both ledgers (at
# anvil's 1 gwei the chain's would cover a redemption, 1.2e15 wei, and
# almost none would win)
bench_chain_devnet 1000 100e18 100e18 --zero-gas-price

bench=(build/bench/bench-orchestrator --sessions 1 --segments "$segments" --mode paced
  --price 1 --profiles P240p30fps16x9 --segment-dir "$out/chain-segments")
"${bench[@]}" --generate-only
log=$out/chain-segment.log
: >"$log"
run() {   # LABEL ARGS...
  local label=$1 line
  shift
  echo "## $label: ${bench[*]} $*" >>"$log"
  "${bench[@]}" "$@" >>"$log" 2>&1 || { echo "bench-orchestrator ($label) failed: $log" >&2; exit 1; }
  line=$(grep '^RESULT' "$log" | tail -n 1)
  echo "$label $line" >>"$out/chain-segment.results"
  echo "$label: $(tr ' ' '\n' <<<"$line" | grep -E '^(add_p50|add_p95|rtt_p50|tc_p50|tickets_per_seg|failed)=' | tr '\n' ' ')"
}
: >"$out/chain-segment.results"
# anvil logs each JSON-RPC method it serves, one a line: what a run asked
rpc_log=$bench_work/devnet/anvil.log
for ((i = 1; i <= runs; i++)); do
  run embedded
  from=$(($(wc -l <"$rpc_log") + 1))
  run chain --ledger "$ledger" --orchestrator-key "$okey" --broadcaster-key "$bkey"
  tail -n +"$from" "$rpc_log" | grep -o -E '^(eth|net|web3|anvil)_[A-Za-z]+' |
    sort | uniq -c | sort -rn | awk -v n=$((segments + 1)) '
      { total += $1; list = list sprintf("%s %d, ", $2, $1) }
      END { printf "  JSON-RPC requests in that run: %d, %.0f per segment (%d with the warm-up): %s\n",
              total, total / n, n, list }'
done

python3 - "$out/chain-segment.results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, _, *fields = line.split()
    kv = dict(f.split("=", 1) for f in fields)
    rows.setdefault(label, []).append(kv)
def med(label, key):
    return statistics.median(float(r[key]) for r in rows[label])
print("| ledger | runs | added p50 ms (median of runs) | added p95 ms | round trip p50 ms | transcode p50 ms | tickets per segment |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for label in ("embedded", "chain"):
    print(f"| {label} | {len(rows[label])} | {med(label, 'add_p50'):.1f} "
          f"({', '.join(r['add_p50'] for r in rows[label])}) | {med(label, 'add_p95'):.1f} "
          f"| {med(label, 'rtt_p50'):.0f} | {med(label, 'tc_p50'):.0f} | {med(label, 'tickets_per_seg')} |")
d50 = med("chain", "add_p50") - med("embedded", "add_p50")
d95 = med("chain", "add_p95") - med("embedded", "add_p95")
print(f"the chain adds {d50:+.1f} ms at p50, {d95:+.1f} ms at p95 (target: <= 1 ms at p50)")
PY

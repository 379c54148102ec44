# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What the loopback benchmarks (remote.sh, ai.sh) share, sourced from the
# source tree's root: the build and its plugins, a devnet with one
# orchestrator and a funded broadcaster, an lporchestrator started on it
# and stopped on exit, and timing helpers.

lpctl=$PWD/build/tools/lpctl
# lp_take_port: a port below the ephemeral range that nothing uses
. "$PWD/pipelines/lib/ports.sh"
lp_take_port port

orch_pid=
cleanup () { [ -z "$orch_pid" ] || kill "$orch_pid" 2>/dev/null || true; }
trap cleanup EXIT

# Builds ./build and points GStreamer at its plugins, with a registry of its
# own in DIR ($1), warmed outside the timing.
bench_use_build () {
  bash scripts/build.sh >/dev/null
  export GST_PLUGIN_PATH=$PWD/build/ext/livepeer:$PWD/build/gst/transcode
  export GST_REGISTRY=$1/registry.dat
  gst-inspect-1.0 livepeersink >/dev/null
}

now () { date +%s.%N; }
# awk does the arithmetic (bc is not installed everywhere)
calc () { awk "BEGIN { printf \"%.3f\", $1 }"; }

# In the current directory: orch.key (1000 LPT self-bonded, registered at
# http://127.0.0.1:$port), bcast.key (10 ETH deposit, 10 ETH reserve),
# devnet.db one round ahead, initialized.
bench_devnet () {
  "$lpctl" account new --out orch.key >/dev/null
  "$lpctl" account new --out bcast.key >/dev/null
  local O B
  O=$("$lpctl" account address orch.key | tail -n 1)
  B=$("$lpctl" account address bcast.key | tail -n 1)
  "$lpctl" init --block-time 1000 --round-length 100 --fund "$O=1000e18:1e18" \
    --fund "$B=0:100e18" >/dev/null
  "$lpctl" bond --from orch.key --to "$O" --amount 1000e18 >/dev/null
  "$lpctl" register --from orch.key --reward-cut 10% --fee-share 50% \
    --service-uri "http://127.0.0.1:$port" >/dev/null
  "$lpctl" deposit --from bcast.key --deposit 10e18 --reserve 10e18 >/dev/null
  "$lpctl" advance --rounds 1 --init >/dev/null
}

# Starts lporchestrator on $port over it with the extra properties given,
# logging to orchestrator.log, and waits until it answers.
bench_orchestrator () {
  gst-launch-1.0 -m lporchestrator "port=$port" key-file=orch.key \
    ledger=devnet.db "$@" >orchestrator.log 2>&1 &
  orch_pid=$!
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
}

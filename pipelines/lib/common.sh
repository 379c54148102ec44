# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Shared by the pipelines/*.sh scripts (sourced, not run): the build's
# environment, background services that are always stopped, port checks,
# a devnet ledger with orchestrators and a funded broadcaster.
#
# The sourcing script sets LP_NAME (its name in messages) before calling
# anything here, and runs under `set -euo pipefail`.

lp_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
lp_lib=$lp_root/pipelines/lib
lp_cwd=$PWD              # where the script was started: user paths are relative to it
lp_pids=()               # background services, stopped on every exit
lp_names=()
lp_logs=()

# lp_port_in_use, lp_take_port
source "$lp_lib/ports.sh"

lp_say() { echo "${LP_NAME:-lp}: $*"; }
lp_die() { echo "${LP_NAME:-lp}: error: $*" >&2; exit 1; }
# exit status 77: meson's (and automake's) "skipped"
lp_skip() { echo "${LP_NAME:-lp}: skip: $*" >&2; exit 77; }

# an absolute path for a path the user gave (relative to where the script
# was started)
lp_abspath() {
  case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$lp_cwd/$1" ;;
  esac
}

# a path to show: relative to where the script was started when inside it
lp_showpath() {
  case $1 in
    "$lp_cwd"/*) printf '%s\n' "${1#"$lp_cwd"/}" ;;
    *) printf '%s\n' "$1" ;;
  esac
}

lp_need_uint() {   # NAME VALUE [MIN]
  [[ $2 =~ ^[0-9]+$ ]] && [ "$2" -ge "${3:-0}" ] ||
    lp_die "$1 must be an integer >= ${3:-0}, not '$2'"
}

# Uses the build in $LP_BUILD_DIR (default <repo>/build): its plugins
# (GST_PLUGIN_PATH, as `meson devenv` sets it), its libraries and lpctl.
lp_use_build() {
  local build dump
  build=$(lp_abspath "${LP_BUILD_DIR:-$lp_root/build}")
  [ -f "$build/build.ninja" ] ||
    lp_die "no build in $build: run 'bash scripts/build.sh' first (or set LP_BUILD_DIR to a build directory)"
  [ -x "$build/tools/lpctl" ] ||
    lp_die "$build/tools/lpctl is missing: run 'ninja -C $build'"
  command -v meson >/dev/null || lp_die "meson is not installed (bash scripts/setup-debian.sh)"
  command -v gst-launch-1.0 >/dev/null ||
    lp_die "gst-launch-1.0 is not installed (Debian: gstreamer1.0-tools)"
  dump=$(meson devenv -C "$build" --dump) || lp_die "meson devenv -C $build --dump failed"
  set +u   # the dump appends to variables that may be unset
  eval "$dump"
  set -u
  LP_BUILD=$build
  LPCTL=$build/tools/lpctl
}

# Fails (or skips, with --skip) unless every element factory exists.
lp_need_elements() {
  local mode=die e
  if [ "${1:-}" = --skip ]; then mode=skip; shift; fi
  for e in "$@"; do   # (--exists alone also wants the GStreamer version of the plugin)
    if ! gst-inspect-1.0 --exists --atleast-version=0.0.0 "$e" 2>/dev/null; then
      "lp_$mode" "GStreamer element '$e' is missing$(lp_element_hint "$e")"
    fi
  done
}

lp_element_hint() {
  case $1 in
    livepeersink|lporchestrator|lptranscodebin|lpverify|lpswscale)
      echo " (is the build at $LP_BUILD complete? ninja -C $LP_BUILD)" ;;
    srtsrc|srtsink|hlsdemux|mpegtsmux|tsdemux|h264parse)
      echo " (Debian: gstreamer1.0-plugins-bad)" ;;
    rtspsrc|rtph264depay|rtph264pay|souphttpsrc) echo " (Debian: gstreamer1.0-plugins-good)" ;;
    x264enc) echo " (Debian: gstreamer1.0-plugins-ugly)" ;;
    *) echo "" ;;
  esac
}

# True when something accepts TCP connections on 127.0.0.1:PORT.
lp_port_answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

lp_need_free_port() {   # PORT WHAT
  lp_need_uint port "$1" 1
  if lp_port_answers "$1"; then
    lp_die "port $1 (for $2) is already in use on 127.0.0.1: stop what listens there or choose other ports (see --help)"
  fi
}

# Starts a background service: lp_start NAME LOG COMMAND... It is stopped
# (SIGINT, then SIGKILL after 10 s) when the script exits, however it exits.
lp_start() {
  local name=$1 log=$2
  shift 2
  # own session: a Ctrl-C reaches this script only, whose cleanup stops it
  setsid "$@" >"$log" 2>&1 &
  lp_pids+=("$!")
  lp_names+=("$name")
  lp_logs+=("$log")
}

# The index of a service started with lp_start in lp_names (and lp_pids,
# lp_logs).
lp_index_of() {
  local i
  for i in "${!lp_names[@]}"; do
    if [ "${lp_names[$i]}" = "$1" ]; then echo "$i"; return 0; fi
  done
  return 1
}

# The pid, and the log, of a service started with lp_start.
lp_pid_of() {
  local i
  i=$(lp_index_of "$1") || return 1
  echo "${lp_pids[$i]}"
}

lp_log_of() {
  local i
  i=$(lp_index_of "$1") || return 1
  echo "${lp_logs[$i]}"
}

# Waits (at most TIMEOUT s) until service NAME answers on PORT; dies with
# the end of its log when it exits first or never answers.
lp_wait_port() {   # NAME PORT [TIMEOUT]
  local name=$1 port=$2 timeout=${3:-20} pid log deadline
  pid=$(lp_pid_of "$name")
  log=$(lp_log_of "$name")
  deadline=$((SECONDS + timeout))
  until lp_port_answers "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 15 "$log" >&2 || true
      lp_die "$name exited before listening on port $port (log: $log)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 15 "$log" >&2 || true
      lp_die "$name does not answer on port $port after ${timeout} s (log: $log)"
    fi
    sleep 0.1
  done
}

# Stops one service (SIGINT: gst-launch-1.0 shuts its pipeline down), and
# SIGKILL when it has not exited after 10 s.
lp_stop_pid() {
  local pid=$1 i
  kill -INT "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "${LP_NAME:-lp}: pid $pid did not stop on SIGINT, killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

lp_stop() {   # NAME
  local pid
  pid=$(lp_pid_of "$1") && lp_stop_pid "$pid"
}

lp_cleanup() {
  local pid
  for pid in "${lp_pids[@]}"; do
    kill -0 "$pid" 2>/dev/null && lp_stop_pid "$pid"
  done
  lp_pids=()
  # the chain last: the services above may still talk to it as they stop
  if [ -n "${lp_chain_dir:-}" ] && [ -f "$lp_chain_dir/anvil.pid" ]; then
    bash "$lp_root/pipelines/chain-devnet.sh" --stop "$lp_chain_dir" \
      >/dev/null 2>&1 || true
  fi
  return 0
}

# Every script: background services stop on normal exit, errors, Ctrl-C
# and SIGTERM.
trap lp_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A work directory the script owns: made fresh on each run. An existing
# non-empty directory that this script did not make is refused (never
# wiped).
lp_fresh_dir() {   # DIR
  local dir=$1 marker=$1/.lp-work-dir
  if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ] && [ ! -f "$marker" ]; then
    lp_die "$dir exists and was not made by these scripts: give another directory (see --help)"
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "made by ${LP_NAME:-pipelines} on $(date -u +%FT%TZ)" >"$marker"
}

# An HLS output directory, emptied: refused when it holds anything but a
# livepeersink output.
lp_fresh_hls() {   # DIR
  if [ -d "$1" ] && [ -n "$(ls -A "$1")" ] && [ ! -f "$1/master.m3u8" ]; then
    lp_die "$1 exists and is not an HLS output: choose another --out"
  fi
  rm -rf "$1"
  mkdir -p "$(dirname "$1")"
}

# lpctl with its output kept in the setup log; dies with it on a failure.
# On the ledger of LP_LEDGER when set (else lpctl's default, devnet.db).
lp_ctl() {
  local out ledger=()
  [ -z "${LP_LEDGER:-}" ] || ledger=(--ledger "$LP_LEDGER")
  if ! out=$("$LPCTL" ${ledger[@]+"${ledger[@]}"} "$@" 2>&1); then
    printf '%s\n' "$out" >&2
    lp_die "lpctl $* failed"
  fi
  printf '$ lpctl %s\n%s\n' "$*" "$out" >>"${LP_SETUP_LOG:-/dev/null}"
  printf '%s\n' "$out"
}

lp_address() {   # KEYFILE
  lp_ctl account address "$1" | tail -n 1
}

# A local chain (pipelines/chain-devnet.sh) in DIR, stopped when the script
# exits: lp_chain_devnet DIR NPM_DIR NAME... copies one funded account's
# key to NAME.key (in the current directory) for each NAME and sets
# LP_LEDGER to the chain's URI, with the orchestrators' redemption queue
# in queue.db here. Rounds are 100 blocks, as lp_devnet's. NPM_DIR may be
# empty (chain-devnet.sh's default). Extra chain-devnet.sh options come
# from LP_CHAIN_DEVNET_ARGS (an array). Skips (77) when the npm packages
# cannot be installed because the registry is out of reach.
lp_chain_devnet() {   # DIR NPM_DIR NAME...
  local dir=$1 npm=() rc=0 rpc controller name key
  shift
  [ -z "$1" ] || npm=(--npm-dir "$1")
  shift
  lp_chain_dir=$dir
  bash "$lp_root/pipelines/chain-devnet.sh" --dir "$dir" ${npm[@]+"${npm[@]}"} \
    --accounts $# --round-length 100 ${LP_CHAIN_DEVNET_ARGS[@]+"${LP_CHAIN_DEVNET_ARGS[@]}"} \
    >"$dir.log" 2>&1 || rc=$?
  case $rc in
    0) ;;
    77) cat "$dir.log" >&2; lp_skip "no local chain: its npm packages cannot be installed" ;;
    *) tail -n 20 "$dir.log" >&2; lp_die "pipelines/chain-devnet.sh failed (log: $dir.log)" ;;
  esac
  { read -r rpc controller
    for name in "$@"; do
      read -r key || lp_die "$dir/chain.json names fewer than $# accounts"
      cp "$key" "$name.key"
    done
  } < <(python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))
print(c["rpc"], c["controller"])
for a in c["accounts"]: print(a["key_file"])' "$dir/chain.json")
  LP_LEDGER="$rpc?controller=$controller&queue=$PWD/queue.db"
}

# A devnet ledger (devnet.db in the current directory) with:
#   orchestrators: lp_devnet_orchestrators "NAME:PORT:LPT" ... each
#   self-bonded with LPT, registered (reward cut 10 %, fee share 50 %) at
#   http://127.0.0.1:PORT; NAME.key is its key
#   a delegator (delegator.key, bonded to the first orchestrator) when
#   LP_DEVNET_DELEGATE is set to an amount
#   a broadcaster (broadcaster.key) with 10 ETH, 1 ETH deposit, 1 ETH reserve
# then one round ahead, initialized: every orchestrator is active.
# Blocks follow the wall clock (1 s each); a round is 100 blocks, so that a
# winning ticket (parameters valid 40 blocks) is redeemable before its
# creation round + 2 (a round of 40 blocks or fewer never allows it).
lp_devnet() {
  local spec name port lpt funds=()
  for spec in "$@"; do
    IFS=: read -r name port lpt <<<"$spec"
    lp_ctl account new --out "$name.key" >/dev/null
    funds+=(--fund "$(lp_address "$name.key")=$lpt:1e18")
  done
  lp_ctl account new --out broadcaster.key >/dev/null
  funds+=(--fund "$(lp_address broadcaster.key)=0:10e18")
  if [ -n "${LP_DEVNET_DELEGATE:-}" ]; then
    lp_ctl account new --out delegator.key >/dev/null
    funds+=(--fund "$(lp_address delegator.key)=$LP_DEVNET_DELEGATE:1e18")
  fi
  lp_ctl init --block-time 1000 --round-length 100 "${funds[@]}" >/dev/null
  lp_devnet_stake "$@"
}

# lp_devnet's staking on a ledger whose accounts have their LPT and ETH
# (NAME.key, delegator.key, broadcaster.key): bonds, registrations, the
# delegation, the broadcaster's deposit and reserve, then one round ahead,
# initialized. On a chain, LP_DEVNET_PAYER names the key file that pays
# the round initialization's gas.
lp_devnet_stake() {   # NAME:PORT:LPT...
  local spec name port lpt addr i=0 payer=()
  [ -z "${LP_DEVNET_PAYER:-}" ] || payer=(--from "$LP_DEVNET_PAYER")
  for spec in "$@"; do
    IFS=: read -r name port lpt <<<"$spec"
    addr=$(lp_address "$name.key")
    lp_ctl bond --from "$name.key" --to "$addr" --amount "$lpt" >/dev/null
    lp_ctl register --from "$name.key" --reward-cut 10% --fee-share 50% \
      --service-uri "http://127.0.0.1:$port" >/dev/null
    if [ $i -eq 0 ] && [ -n "${LP_DEVNET_DELEGATE:-}" ]; then
      lp_ctl bond --from delegator.key --to "$addr" --amount "$LP_DEVNET_DELEGATE" >/dev/null
    fi
    i=$((i + 1))
  done
  lp_ctl deposit --from broadcaster.key --deposit 1e18 --reserve 1e18 >/dev/null
  lp_ctl advance --rounds 1 --init ${payer[@]+"${payer[@]}"} >/dev/null
}

# The options that every broadcast-*.sh takes, for the last branch of its
# own option loop: sets orchestrators, ledger, key, out, LP_PROFILES or
# LP_BUILD_DIR from `$1 $2` (the caller shifts both); fails (status 1) when
# $1 is none of them.
lp_broadcaster_option() {
  case $1 in
    --orchestrator) orchestrators=${2:?--orchestrator needs a value} ;;
    --ledger) ledger=${2:?--ledger needs a value} ;;
    --key) key=${2:?--key needs a value} ;;
    --out) out=${2:?--out needs a value} ;;
    --profiles) LP_PROFILES=${2:?--profiles needs a value} ;;
    --build) LP_BUILD_DIR=${2:?--build needs a value} ;;
    *) return 1 ;;
  esac
}

# Makes a broadcaster's ledger, key and out absolute (relative to where the
# script was started) and checks that the ledger and key are there.
lp_broadcaster_files() {
  ledger=$(lp_abspath "$ledger")
  key=$(lp_abspath "$key")
  out=$(lp_abspath "$out")
  [ -f "$ledger" ] || lp_die "no ledger $ledger (start pipelines/orchestrator.sh, or give --ledger)"
  [ -f "$key" ] || lp_die "no key file $key (give --key)"
}

# Runs a broadcaster: lp_broadcast LOG HLS_DIR ORCHESTRATORS KEY LEDGER
# SOURCE... where SOURCE is the gst-launch-1.0 description up to (not
# including) livepeersink. Extra livepeersink properties come from
# LP_SINK_PROPS (an array). With LP_BROADCAST_SECONDS set, the pipeline
# gets EOS (as on Ctrl-C with -e) after that many seconds; so does it on
# the first Ctrl-C (or SIGTERM).
lp_broadcast() {
  local log=$1 hls=$2 orchestrators=$3 key=$4 ledger=$5 rc=0
  shift 5
  local launch=(gst-launch-1.0 -m -e "$@" '!' livepeersink
    "orchestrators=$orchestrators" "key-file=$key" "ledger=$ledger"
    "profiles=${LP_PROFILES:-P360p30fps16x9,P240p30fps16x9}"
    "location=$hls" playlist-length=0 max-files=0 ${LP_SINK_PROPS[@]+"${LP_SINK_PROPS[@]}"})
  printf '%q ' "${launch[@]}" >"$log.cmd"
  echo >>"$log.cmd"
  # In its own session (setsid): Ctrl-C reaches only this script, which
  # turns the first one into one SIGINT for gst-launch-1.0 -e, that is an
  # EOS: the segments in flight are finished and the playlists closed. A
  # second Ctrl-C exits (the cleanup stops the pipeline).
  setsid "${launch[@]}" >"$log" 2>&1 &
  lp_broadcast_pid=$!
  lp_pids+=("$lp_broadcast_pid")
  lp_broadcast_eos=0
  lp_broadcast_interrupted=0
  trap lp_broadcast_interrupt INT TERM
  local timer=
  if [ -n "${LP_BROADCAST_SECONDS:-}" ]; then
    sleep "$LP_BROADCAST_SECONDS" &
    timer=$!
    wait -n "$lp_broadcast_pid" "$timer" || true
    if kill -0 "$timer" 2>/dev/null; then
      kill "$timer" 2>/dev/null || true
    elif [ $lp_broadcast_eos -eq 0 ]; then
      lp_broadcast_eos=1
      kill -INT "$lp_broadcast_pid" 2>/dev/null || true
    fi
    wait "$timer" 2>/dev/null || true
  fi
  # a trapped signal ends `wait` early: wait again until it has exited
  # (a zombie still answers kill -0, so its status is not lost)
  while :; do
    wait "$lp_broadcast_pid" && rc=0 || rc=$?
    kill -0 "$lp_broadcast_pid" 2>/dev/null || break
  done
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if [ $rc -ne 0 ] || grep -q '^ERROR: ' "$log"; then
    grep -A3 '^ERROR\|^WARNING' "$log" | tail -n 20 >&2 || true
    lp_die "the broadcaster failed (exit status $rc; command in $log.cmd, log: $log)"
  fi
  local lost
  lost=$(grep -c 'livepeersink-segment-lost' "$log" || true)
  if [ "$lost" -gt 0 ]; then
    grep -m1 -o 'livepeersink-segment-lost.*' "$log" | sed 's/\\ / /g' | cut -c1-300 >&2
    if [ ! -f "$hls/master.m3u8" ]; then
      lp_die "every segment was lost ($lost): is the orchestrator still running? (log: $log)"
    fi
    lp_say "warning: $lost segments were lost (log: $log)"
  fi
  [ -f "$hls/master.m3u8" ] || lp_die "the broadcaster wrote no $hls/master.m3u8 (log: $log)"
}

lp_broadcast_interrupt() {
  if [ "$lp_broadcast_eos" -eq 1 ]; then
    exit 130
  fi
  lp_broadcast_eos=1
  lp_broadcast_interrupted=1
  lp_say "interrupted: ending the stream (again to abort)" >&2
  kill -INT "$lp_broadcast_pid" 2>/dev/null || true
}

lp_python() {
  command -v python3 >/dev/null || lp_die "python3 is needed for the summary (Debian: python3)"
  python3 "$lp_lib/summary.py" "$@"
}

#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A local Ethereum chain for development and tests, built from real parts:
# anvil (Foundry's EVM node) with Livepeer's compiled contracts (npm
# @livepeer/sdk) deployed as Livepeer deploys them, funded accounts with
# key files, and the embedded ledger's genesis with the same parameters
# and balances. Runs in the background (stop it with --stop DIR) or in the
# foreground.
set -euo pipefail
LP_NAME=chain-devnet
# shellcheck source=pipelines/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source=pipelines/lib/npm-tools.sh
. "$lp_lib/npm-tools.sh"

usage() {
  cat <<EOF
Usage: pipelines/chain-devnet.sh [--dir DIR] [--port P] [options]
       pipelines/chain-devnet.sh --stop DIR

Starts anvil on 127.0.0.1:P (or --host ADDR), deploys Livepeer's
contracts to it and writes
  DIR/chain.json    the RPC URL, chain id, every contract's address, the
                    parameters, the accounts (address, key file, key)
  DIR/keys/N.key    each account's key, as 'lpctl account new' writes it
  DIR/genesis.json  the same parameters and balances for the embedded
                    ledger: lpctl init --genesis DIR/genesis.json
  DIR/anvil.log, DIR/anvil.pid
  DIR/state.json    anvil's state, saved when it stops (SIGINT or
                    SIGTERM): anvil started again with the same command
                    line (/proc/PID/cmdline) goes on from there
anvil mines a block for each transaction (automine) and on demand
(evm_mine, anvil_mine); a round is --round-length blocks. Exits 77 when
node, npm or the npm registry cannot be reached to install the packages.

  --dir DIR               work directory, remade on each run (default
                          out/chain-devnet in the source tree)
  --port P                anvil's port (default: a free one, chosen as
                          lp_take_port does; chain.json's rpc names it)
  --host ADDR             the IP address anvil listens on (default
                          127.0.0.1; another host's nodes need one they
                          can reach, e.g. a LAN or namespace address)
  --accounts N            funded accounts (default 4)
  --lpt AMOUNT            LPT of each, in wei (default 10000e18)
  --eth AMOUNT            ETH of each, in wei (default 1000e18)
  --foreground            stay attached; Ctrl-C stops anvil
  --zero-gas-price        anvil suggests no minimum tip, so that its gas
                          price (eth_gasPrice) is 0 while transactions tip
                          nothing (a ledger URI with priority-fee-gwei=0):
                          the face value of tickets is then sized from the
                          ticket EV alone (default: anvil's 1 gwei tip)
  --stop DIR              stop the devnet running in DIR
  --npm-dir DIR           where the npm packages are installed (default
                          \${XDG_CACHE_HOME:-~/.cache}/gst-livepeer/npm;
                          env LP_NPM_DIR)
Parameters (units as in the contracts):
  --round-length N        blocks per round (default 50)
  --round-lock-amount N   locked end of a round, over 1e6 (default 100000)
  --unbonding-period N    rounds (default 7)
  --num-active N          active orchestrators (default 100)
  --ticket-validity-period N  rounds (default 2)
  --unlock-period N       rounds (default 2)
  --inflation N           per round, over 1e9 (default 1000000)
  --inflation-change N    over 1e9 (default 500)
  --target-bonding-rate N over 1e9 (default 500000000)
EOF
}

# Stops the anvil whose pid DIR/anvil.pid holds, if it still runs and is
# anvil (a stale pid may belong to something else by now).
stop_devnet() {   # DIR
  local pidfile=$1/anvil.pid pid
  [ -f "$pidfile" ] || lp_die "no $pidfile: is $1 a chain-devnet directory?"
  pid=$(cat "$pidfile")
  if anvil_runs "$pid"; then
    lp_stop_pid "$pid"
    lp_say "stopped anvil (pid $pid)"
  else
    lp_say "anvil (pid $pid) was not running"
  fi
  rm -f "$pidfile"
}

anvil_runs() {   # PID
  [[ $1 =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q anvil
}

dir=$lp_root/out/chain-devnet
port=
host=127.0.0.1
foreground=0
zero_gas_price=0
npm_dir=${LP_NPM_DIR:-$(lp_npm_default_prefix)}
deploy_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --dir) dir=${2:?--dir needs a value}; shift 2 ;;
    --port) port=${2:?--port needs a value}; shift 2 ;;
    --host) host=${2:?--host needs a value}; shift 2 ;;
    --accounts|--lpt|--eth)
      deploy_args+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    --round-length)
      lp_need_uint "$1" "${2:?$1 needs a value}" 1
      deploy_args+=("$1" "$2"); shift 2 ;;
    --round-lock-amount|--unbonding-period|--ticket-validity-period|\
    --unlock-period|--inflation|--inflation-change|--target-bonding-rate)
      lp_need_uint "$1" "${2:?$1 needs a value}"
      deploy_args+=("$1" "$2"); shift 2 ;;
    --num-active)
      lp_need_uint "$1" "${2:?$1 needs a value}" 1
      deploy_args+=(--num-active-transcoders "$2"); shift 2 ;;
    --foreground) foreground=1; shift ;;
    --zero-gas-price) zero_gas_price=1; shift ;;
    --npm-dir) npm_dir=${2:?--npm-dir needs a value}; shift 2 ;;
    --stop) stop_devnet "$(lp_abspath "${2:?--stop needs the devnet directory}")"; exit 0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; lp_die "unknown argument '$1'" ;;
  esac
done
# a port nothing uses, below the ephemeral range (pipelines/lib/ports.sh)
[ -n "$port" ] || lp_take_port port
lp_need_free_port "$port" anvil
if [ "$host" != 127.0.0.1 ] && (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
  lp_die "port $port (for anvil) is already in use on $host: give another --port"
fi
dir=$(lp_abspath "$dir")
npm_dir=$(lp_abspath "$npm_dir")
if [ -f "$dir/anvil.pid" ] && anvil_runs "$(cat "$dir/anvil.pid")"; then
  lp_die "a devnet runs in $dir (pid $(cat "$dir/anvil.pid")): stop it first ($0 --stop $dir)"
fi

# 77 (a test's "skipped") only when node, npm or the registry is out of
# reach, so that tests that start a devnet can pass it on
rc=0
lp_npm_install "$npm_dir" || rc=$?
case $rc in
  0) ;;
  77) lp_skip "the npm packages cannot be installed into $npm_dir (see above)" ;;
  *) lp_die "the npm packages cannot be installed into $npm_dir (see above)" ;;
esac
anvil=$(lp_npm_anvil "$npm_dir")
[ -x "$anvil" ] || lp_die "$anvil is missing or not executable"

lp_fresh_dir "$dir"
# Base fee 0: a transaction sent with a max fee of 0 costs nothing, so
# that ETH balances can move by protocol amounts only.
anvil_cmd=("$anvil" --host "$host" --port "$port" --block-base-fee-per-gas 0
  --state "$dir/state.json")
[ $zero_gas_price -eq 0 ] || anvil_cmd+=(--disable-min-priority-fee)
if [ $foreground -eq 1 ]; then
  lp_start anvil "$dir/anvil.log" "${anvil_cmd[@]}"
  anvil_pid=$(lp_pid_of anvil)
  trap 'lp_cleanup; rm -f "$dir/anvil.pid"' EXIT
else
  # not lp_start: this one outlives the script (--stop DIR ends it)
  setsid "${anvil_cmd[@]}" >"$dir/anvil.log" 2>&1 </dev/null &
  anvil_pid=$!
  # ... unless the deployment fails
  trap 'lp_stop_pid "$anvil_pid"; rm -f "$dir/anvil.pid"; lp_cleanup' EXIT
fi
echo "$anvil_pid" >"$dir/anvil.pid"
deadline=$((SECONDS + 20))
until (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; do
  kill -0 "$anvil_pid" 2>/dev/null || { tail -n 15 "$dir/anvil.log" >&2; lp_die "anvil exited (log: $dir/anvil.log)"; }
  [ $SECONDS -lt $deadline ] || lp_die "anvil does not answer on $host:$port after 20 s (log: $dir/anvil.log)"
  sleep 0.1
done

lp_say "anvil on http://$host:$port (pid $anvil_pid); deploying Livepeer's contracts ..."
if ! node "$lp_lib/chain-deploy.mjs" --npm-dir "$npm_dir" --rpc "http://$host:$port" \
    --out "$dir/chain.json" --genesis "$dir/genesis.json" --keys-dir "$dir/keys" \
    ${deploy_args[@]+"${deploy_args[@]}"} 2>"$dir/deploy.log"; then
  tail -n 15 "$dir/deploy.log" >&2
  lp_die "the deployment failed (log: $dir/deploy.log)"
fi
lp_say "deployed (log: $(lp_showpath "$dir")/deploy.log): $(lp_showpath "$dir")/chain.json, genesis.json, keys/"

if [ $foreground -eq 1 ]; then
  lp_say "anvil runs until Ctrl-C"
  wait "$anvil_pid" || true
else
  trap lp_cleanup EXIT
  lp_say "anvil runs in the background on http://$host:$port: stop it with $0 --stop $(lp_showpath "$dir")"
fi

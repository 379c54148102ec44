#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# chain/separate-hosts: two orchestrators and a broadcaster as separate
# hosts that share nothing but a chain and HTTP. Each runs in its own
# network namespace with its own state directory; the namespaces hang off
# a fourth one, "chain", which holds the switch (a bridge) and anvil with
# Livepeer's contracts (pipelines/chain-devnet.sh --host) listening on the
# switch's address:
#
#     o1 10.203.0.11 --+
#     o2 10.203.0.12 --+-- [bridge 10.203.0.1, anvil]   (namespace "chain")
#     b  10.203.0.21 --+
#
# Every namespace, address and link is made by this test, unique to the
# run, and removed on exit even on failure; nothing is added to the
# machine's own network namespace. Each host's operator bonds, registers
# or deposits with lpctl from that host; every host must see the same
# round and the others' doings, read back with ethers
# (separate-hosts.mjs), not with our own code.
# Needs root and iproute2's `ip netns` (SKIP, 77, otherwise, with the
# reason), and the pinned npm packages (installed into BUILD_DIR/chain-npm
# on first use; SKIP only when the npm registry cannot be reached).
# Usage: separate-hosts.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build=$(cd "${1:?usage: separate-hosts.sh BUILD_DIR SOURCE_DIR}" && pwd)
src=$(cd "${2:?usage: separate-hosts.sh BUILD_DIR SOURCE_DIR}" && pwd)
LP_NAME=separate-hosts
# shellcheck source=pipelines/lib/common.sh
source "$src/pipelines/lib/common.sh"
# shellcheck source=pipelines/lib/npm-tools.sh
source "$src/pipelines/lib/npm-tools.sh"
LPCTL=$build/tools/lpctl
npm_dir=$build/chain-npm
seconds=${LP_SEPARATE_HOSTS_SECONDS:-20}
start=$SECONDS

die() {
  echo "FAIL: $*" >&2
  exit 1
}
skip() {
  echo "SKIP: $*"
  exit 77
}

[ "$(id -u)" -eq 0 ] || skip "network namespaces need root (this runs as uid $(id -u))"
command -v ip >/dev/null ||
  skip "no 'ip' command (Debian: apt-get install iproute2, as scripts/setup-debian.sh does)"

# --- the network -----------------------------------------------------------

subnet=10.203.0
chain_ip=$subnet.1
declare -A host_ip=([o1]=$subnet.11 [o2]=$subnet.12 [b]=$subnet.21)
hosts=(o1 o2 b)
# names unique to this run: the pid, and a random part against a stale
# namespace left by a killed run that had the same pid
tag=lph$$r$RANDOM
while ip netns list | grep -q "^$tag-"; do tag=lph$$r$RANDOM; done
ns_chain=$tag-chain
declare -A ns=([o1]=$tag-o1 [o2]=$tag-o2 [b]=$tag-b)
namespaces=()
work=$(mktemp -d "${TMPDIR:-/tmp}/lp-separate-hosts-XXXXXX")
devnet=$work/chain

# Every process still in one of our namespaces (anvil, a node, an lpctl
# left by a failure) is ours: end them by id, then the namespaces (which
# takes their links and the bridge with them).
teardown() {
  local n pids
  lp_cleanup
  if [ -f "$devnet/anvil.pid" ]; then
    bash "$src/pipelines/chain-devnet.sh" --stop "$devnet" >/dev/null 2>&1 || true
  fi
  for n in ${namespaces[@]+"${namespaces[@]}"}; do
    pids=$(ip netns pids "$n" 2>/dev/null || true)
    [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
    ip netns del "$n" 2>/dev/null || echo "warning: could not remove namespace $n" >&2
  done
  if [ "${LP_KEEP_WORK:-0}" = 1 ]; then
    echo "work directory kept: $work"
  else
    rm -rf "$work"
  fi
}
trap teardown EXIT

add_netns() {   # NAME
  local out
  out=$(ip netns add "$1" 2>&1) || {
    [ ${#namespaces[@]} -gt 0 ] || skip "network namespaces are not available here: ip netns add: $out"
    die "ip netns add $1: $out"
  }
  namespaces+=("$1")
  ip -n "$1" link set lo up
}

# on_host HOST CMD...: CMD run on that host (its namespace; HOST may be chain)
on_host() {
  local h=$1
  shift
  if [ "$h" = chain ]; then
    ip netns exec "$ns_chain" "$@"
  else
    ip netns exec "${ns[$h]}" "$@"
  fi
}

add_netns "$ns_chain"
ip -n "$ns_chain" link add lan type bridge
ip -n "$ns_chain" addr add "$chain_ip/24" dev lan
ip -n "$ns_chain" link set lan up
for h in "${hosts[@]}"; do
  add_netns "${ns[$h]}"
  # a veth pair: "eth0" on the host, "sw-$h" on the switch
  ip -n "$ns_chain" link add name "sw-$h" type veth peer name eth0 netns "${ns[$h]}"
  ip -n "$ns_chain" link set "sw-$h" master lan up
  ip -n "${ns[$h]}" addr add "${host_ip[$h]}/24" dev eth0
  ip -n "${ns[$h]}" link set eth0 up
done
echo "network: namespaces ${namespaces[*]}, $subnet.0/24"

# --- the chain -------------------------------------------------------------

rc=0
lp_npm_install "$npm_dir" || rc=$?
[ $rc -ne 77 ] || skip "the npm packages cannot be installed"
[ $rc -eq 0 ] || die "the npm packages cannot be installed into $npm_dir"

# anvil on the chain host's address, a port of the devnet's choosing
on_host chain bash "$src/pipelines/chain-devnet.sh" --dir "$devnet" --npm-dir "$npm_dir" \
  --host "$chain_ip" --accounts 3 --round-length 200 >"$work/devnet.log" 2>&1 ||
  die "chain-devnet.sh failed: $(tail -n 20 "$work/devnet.log")"
echo "chain up at $((SECONDS - start)) s"

# chain.json: "rpc controller", then "address key_file" for o1, o2, b
declare -A addr
{
  read -r rpc controller
  for h in "${hosts[@]}"; do
    read -r a key_file
    addr[$h]=$a
    mkdir -p "$work/$h"
    cp "$key_file" "$work/$h/$h.key"
  done
} < <(node -e 'const c = require(process.argv[1]);
  console.log(c.rpc, c.controller);
  for (const a of c.accounts) console.log(a.address, a.key_file);' "$devnet/chain.json")
[ -n "${addr[b]:-}" ] || die "chain.json names fewer than 3 accounts"
[ "$rpc" = "http://$chain_ip:${rpc##*:}" ] || die "chain.json's rpc is $rpc, not on $chain_ip"
chain_port=${rpc##*:}

# ledger_of HOST: the chain ledger URI as HOST uses it (its own queue)
ledger_of() {
  echo "$rpc?controller=$controller&queue=$work/$1/queue.db"
}

# ctl HOST ARGS...: lpctl on HOST, with its own state directory; any
# failure fails the test
ctl() {
  local h=$1 out
  shift
  if ! out=$(cd "$work/$h" && on_host "$h" env XDG_STATE_HOME="$work/$h/state" \
      "$LPCTL" --ledger "$(ledger_of "$h")" "$@" 2>&1); then
    die "lpctl $* on $h failed: $out"
  fi
  printf '%s\n' "$out"
}

# The hosts reach the chain over the switch only: its address answers,
# their own loopback does not have it.
for h in "${hosts[@]}"; do
  on_host "$h" bash -c "exec 3<>/dev/tcp/$chain_ip/$chain_port" 2>/dev/null ||
    die "$h cannot reach anvil at $chain_ip:$chain_port"
  ! on_host "$h" bash -c "exec 3<>/dev/tcp/127.0.0.1/$chain_port" 2>/dev/null ||
    die "$h reaches port $chain_port on its own loopback: the namespaces are not apart"
done

# --- each operator on its own host -----------------------------------------

declare -A port
for h in o1 o2; do
  lp_take_port "port[$h]"
done
stake_o1=1000e18 stake_o2=3000e18
for h in o1 o2; do
  stake_var=stake_$h
  ctl "$h" bond --from "$h.key" --to "${addr[$h]}" --amount "${!stake_var}" >/dev/null
  ctl "$h" register --from "$h.key" --reward-cut 10% --fee-share 50% \
    --service-uri "http://${host_ip[$h]}:${port[$h]}" >/dev/null
done
ctl b deposit --from b.key --deposit 1e18 --reserve 1e18 >/dev/null
ctl b advance --rounds 1 --init --from b.key >/dev/null
echo "bonded, registered, deposited, round initialized at $((SECONDS - start)) s"

# Every host sees the same chain: the round, and the others' stake and
# deposit as they set them.
round0=
for h in "${hosts[@]}"; do
  r=$(ctl "$h" status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["round"])')
  [ -z "$round0" ] || [ "$r" = "$round0" ] || die "$h sees round $r, another host $round0"
  round0=$r
done
on_host chain node "$src/tests/check/chain/separate-hosts.mjs" "$npm_dir" "$devnet/chain.json" setup \
  --orchestrator "${addr[o1]},$stake_o1,http://${host_ip[o1]}:${port[o1]}" \
  --orchestrator "${addr[o2]},$stake_o2,http://${host_ip[o2]}:${port[o2]}" \
  --broadcaster "${addr[b]},1e18,1e18" || die "the chain does not hold what the operators did (above)"
echo "every host sees round $round0 and what the others did; checked with ethers at $((SECONDS - start)) s"

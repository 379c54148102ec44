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
# or deposits with lpctl from that host, and every host must see the same
# chain. Then o1 and o2 run lporchestrator on their addresses, each with
# its own directory and redemption queue, and the broadcaster streams 20 s
# of videotestsrc (as pipelines/quickstart.sh) into livepeersink, which
# knows the chain only: it finds the orchestrators in the active pool and
# their URIs in the ServiceRegistry. Once one orchestrator has served two
# segments it is stopped: the stream must go on, nothing lost, with the
# other; the stopped one is started again on its state after the stream.
# The stream is paid with tickets; every winning ticket (the stopped
# node's from its durable queue) is redeemed on chain and a new round
# makes both mint their rewards. The chain's side of every result
# (tickets redeemed per orchestrator, the deposit spent, the rewards) is
# read with ethers (separate-hosts.mjs), not with our own code.
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
# shellcheck source=tests/check/chain/lib.sh
source "$src/tests/check/chain/lib.sh"
LPCTL=$build/tools/lpctl
seconds=${LP_SEPARATE_HOSTS_SECONDS:-20}
start=$SECONDS

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
    # shellcheck disable=SC2086 # one pid a word
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

chain_npm_install

# anvil on the chain host's address, a port of the devnet's choosing; a
# gas price of 0, as quickstart.sh --chain: at anvil's 1 gwei a
# redemption is worth 1.2e15 wei and no ticket of a 20 s stream would win
on_host chain bash "$src/pipelines/chain-devnet.sh" --dir "$devnet" --npm-dir "$npm_dir" \
  --host "$chain_ip" --accounts 3 --round-length 200 --zero-gas-price >"$work/devnet.log" 2>&1 ||
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
  echo "$rpc?controller=$controller&queue=$work/$1/queue.db&priority-fee-gwei=0"
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

# --- the nodes -------------------------------------------------------------

LP_BUILD_DIR=$build lp_use_build
lp_need_elements lporchestrator livepeersink videotestsrc
# What they charge (wei per output pixel) and a cap on the tickets' face
# value, as pipelines/quickstart.sh: most tickets win, so a short stream
# has redemptions to check.
declare -A price=([o1]=1000 [o2]=1200)
face=32000000000

# orch_start HOST NAME: lporchestrator on HOST's address, in HOST's
# directory with its own state (XDG_STATE_HOME) and redemption queue, in
# the background as NAME (lp_start's list: stopped at exit), logging to
# NAME.log there; then waits until the broadcaster's host reaches it.
orch_start() {
  local h=$1 name=$2 deadline
  (cd "$work/$h" && exec ip netns exec "${ns[$h]}" env XDG_STATE_HOME="$work/$h/state" \
    gst-launch-1.0 -m lporchestrator "address=${host_ip[$h]}" "port=${port[$h]}" \
    "key-file=$h.key" "ledger=$(ledger_of "$h")" "price-per-unit=${price[$h]}" \
    "max-face-value=$face" auto-reward=true auto-initialize-round=true) \
    >"$work/$h/$name.log" 2>&1 &
  lp_pids+=("$!")
  lp_names+=("$name")
  lp_logs+=("$work/$h/$name.log")
  deadline=$((SECONDS + 60))
  until on_host b bash -c "exec 3<>/dev/tcp/${host_ip[$h]}/${port[$h]}" 2>/dev/null; do
    kill -0 "$(lp_pid_of "$name")" 2>/dev/null || die "$name exited: $(tail -n 15 "$work/$h/$name.log")"
    [ $SECONDS -lt $deadline ] ||
      die "$name does not answer on ${host_ip[$h]}:${port[$h]}: $(tail -n 15 "$work/$h/$name.log")"
    sleep 0.2
  done
}
# host_log HOST: everything its lporchestrator runs logged
host_log() { cat "$work/$1"/o?*.log; }
served_by() { host_log "$1" | grep -c 'lporchestrator-segment,' || true; }

orch_start o1 o1
orch_start o2 o2
echo "o1 and o2 serve on http://${host_ip[o1]}:${port[o1]} and http://${host_ip[o2]}:${port[o2]} at $((SECONDS - start)) s"

# The broadcaster knows the chain only: no orchestrators= property, so it
# takes them from the active pool and their URIs from the ServiceRegistry.
# (Its warnings go to its log: an orchestrator that does not answer
# discovery.)
hls=$work/b/hls
t0=$SECONDS
(cd "$work/b" && exec timeout 400 ip netns exec "${ns[b]}" env XDG_STATE_HOME="$work/b/state" \
  GST_DEBUG="${GST_DEBUG:-*:1},lpbroadcaster:2,livepeersink:2" \
  gst-launch-1.0 -m -e videotestsrc "num-buffers=$((seconds * 30))" pattern=ball \
  '!' video/x-raw,width=1280,height=720,framerate=30/1 \
  '!' livepeersink key-file=b.key "ledger=$(ledger_of b)" \
  profiles=P360p30fps16x9,P240p30fps16x9 "location=$hls" playlist-length=0 max-files=0) \
  >"$work/b/b.log" 2>&1 &
b_pid=$!
lp_pids+=("$b_pid")
lp_names+=(b)
lp_logs+=("$work/b/b.log")
# The broadcaster keeps an orchestrator that answers fast (go-livepeer's
# selection), so one may well do all the work: once one has served two
# segments it is stopped, and the stream must go on with the other, which
# the broadcaster knows from the chain alone. Its winning tickets wait in
# its queue until it is back.
stopped=
while [ -z "$stopped" ] && kill -0 "$b_pid" 2>/dev/null; do
  for h in o1 o2; do
    if [ "$(served_by "$h")" -ge 2 ]; then stopped=$h; break; fi
  done
  sleep 0.2
done
[ -n "$stopped" ] || die "the stream ended before an orchestrator had served 2 segments ($work/b/b.log)"
lp_stop "$stopped"
echo "stopped $stopped mid-stream at $((SECONDS - t0)) s, after $(served_by "$stopped") segments"
rc=0
wait "$b_pid" || rc=$?
if [ $rc -ne 0 ] || grep -q '^ERROR: ' "$work/b/b.log"; then
  die "the broadcaster failed (exit status $rc): $(grep -A3 '^ERROR' "$work/b/b.log" | tail -n 20)"
fi
echo "streamed $seconds s from b in $((SECONDS - t0)) s"
orch_start "$stopped" "$stopped-restarted"
echo "$stopped restarted on its state"

# --- what the stream left --------------------------------------------------

# every playlist whole: the source and both renditions, as many segments
segments=$(grep -c '^[^#]' "$hls/source/index.m3u8" 2>/dev/null || true)
[ "${segments:-0}" -ge $((seconds / 2)) ] ||
  die "the source playlist has ${segments:-no} segments for $seconds s ($work/b/b.log)"
playlists=0
for p in "$hls"/*/index.m3u8; do
  n=$(grep -c '^[^#]' "$p")
  [ "$n" -eq "$segments" ] || die "$p has $n segments, the source $segments"
  grep -q '^#EXT-X-ENDLIST' "$p" || die "$p does not end"
  playlists=$((playlists + 1))
done
[ $playlists -eq 3 ] || die "$playlists playlists, not the source and two renditions"
! grep -q 'livepeersink-segment-lost' "$work/b/b.log" ||
  die "segments were lost: $(grep -m1 -o 'livepeersink-segment-lost.*' "$work/b/b.log" | cut -c1-300)"
# both orchestrators did some of the work (the second found through the
# chain when the first stopped)
declare -A served won
for h in o1 o2; do
  served[$h]=$(served_by "$h")
  won[$h]=$(host_log "$h" | grep -c 'lporchestrator-ticket-won' || true)
  [ "${served[$h]}" -gt 0 ] || die "$h transcoded no segment: the broadcaster did not fail over to it?"
done
[ $((won[o1] + won[o2])) -gt 0 ] || die "no ticket won"
echo "$segments segments x 3 playlists; o1 transcoded ${served[o1]} and won ${won[o1]} tickets, o2 ${served[o2]} and ${won[o2]}"

# Winning tickets wait in each orchestrator's queue until the block their
# parameters expire at; anvil mines on transactions and on request only:
# mine there at once, then every queue must empty.
queued() {   # HOST: its queue's tickets, "count max_expiration_block"
  ctl "$1" tickets --queued --json | python3 -c 'import json, sys
t = json.load(sys.stdin)["tickets"]
print(len(t), max((x["params_expiration_block"] for x in t), default=0))'
}
block=$(ctl b status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["block"])')
expire=0
for h in o1 o2; do
  read -r _ e < <(queued "$h")
  [ "$e" -le "$expire" ] || expire=$e
done
[ "$expire" -le "$block" ] || ctl b advance --blocks $((expire - block)) >/dev/null
deadline=$((SECONDS + 90))
for h in o1 o2; do
  until read -r n _ < <(queued "$h") && [ "$n" -eq 0 ]; do
    [ $SECONDS -lt $deadline ] || die "$h still has $n tickets queued 90 s after their expiration block"
    sleep 0.5
  done
done
echo "every winning ticket left the queues at $((SECONDS - start)) s"

# A new round: each orchestrator initializes it or finds it initialized,
# and calls reward.
round=$((round0 + 1))
ctl b advance --rounds 1 >/dev/null
deadline=$((SECONDS + 60))
for h in o1 o2; do
  until host_log "$h" | grep -q "lporchestrator-reward, round=(guint64)$round,"; do
    [ $SECONDS -lt $deadline ] || die "$h minted no reward in round $round within 60 s: $(host_log "$h" | tail -n 5)"
    sleep 0.5
  done
done
lp_cleanup

# The chain's account of it, read with ethers: each winning ticket
# redeemed once (WinningTicketRedeemed from b to that orchestrator), the
# deposit down by their face values, a Reward for each in the new round.
on_host chain node "$src/tests/check/chain/separate-hosts.mjs" "$npm_dir" "$devnet/chain.json" outcome \
  --orchestrator "${addr[o1]}" --orchestrator "${addr[o2]}" --broadcaster "${addr[b]}" \
  >"$work/outcome.json" || die "the ethers reads failed (above)"
python3 - "$work/outcome.json" "$round" "${addr[o1]}" "${won[o1]}" "${addr[o2]}" "${won[o2]}" <<'PY' ||
import json, sys
out = json.load(open(sys.argv[1]))
round_ = int(sys.argv[2])
wrong = []
if out["round"] != round_:
    wrong.append(f"the chain is in round {out['round']}, not {round_}")
face = 0
for address, won in zip(sys.argv[3::2], sys.argv[4::2]):
    o = out["orchestrators"][address.lower()]
    if o["redeemed"] != int(won):
        wrong.append(f"{address} won {won} tickets, {o['redeemed']} WinningTicketRedeemed events")
    if o["last_reward_round"] != round_ or o["rewards"] < 1 or int(o["rewards_minted"]) <= 0:
        wrong.append(f"{address}: no reward in round {round_}: {o}")
    face += int(o["redeemed_face_value"])
spent = 2 * 10**18 - int(out["broadcaster"]["deposit"]) - int(out["broadcaster"]["reserve"])
if spent != face:
    wrong.append(f"the broadcaster's deposit and reserve fell by {spent} wei, the redeemed tickets' face values are {face}")
for w in wrong:
    print(f"FAIL: {w}", file=sys.stderr)
sys.exit(1 if wrong else 0)
PY
  die "the chain disagrees with the nodes (above; $work/outcome.json)"
echo "PASS: separate hosts, one chain: $segments segments, $((won[o1] + won[o2])) tickets won and redeemed on chain, rewards in round $round, $((SECONDS - start)) s"

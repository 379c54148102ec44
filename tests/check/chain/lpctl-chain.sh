#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# chain/lpctl-chain: the lpctl scenario of the ledger suite
# (tests/check/libs/lpctl-ledger.sh) on a chain: pipelines/chain-devnet.sh
# (anvil with Livepeer's real contracts) on a free port, driven only
# through `lpctl --ledger http://…?controller=…`, every value checked
# against an independent read of the contracts with ethers
# (chain-read.mjs) or against the TicketBroker's rules. Then the errors:
# reverts with their reasons, no key for an account, not enough ETH for
# gas, an unreachable node, what a chain cannot do.
# Installs the pinned npm packages into BUILD_DIR/chain-npm on first use;
# SKIP (77) only when the npm registry cannot be reached.
# Usage: lpctl-chain.sh BUILD_DIR SOURCE_DIR
set -euo pipefail

build=$(cd "${1:?usage: lpctl-chain.sh BUILD_DIR SOURCE_DIR}" && pwd)
src=$(cd "${2:?usage: lpctl-chain.sh BUILD_DIR SOURCE_DIR}" && pwd)
LPCTL=$build/tools/lpctl
# shellcheck source=tests/lib/lpctl-expect.sh
source "$src/tests/lib/lpctl-expect.sh"
# shellcheck source=tests/check/chain/lib.sh
source "$src/tests/check/chain/lib.sh"   # its die keeps the work directory
chain_test_begin lpctl-chain
devnet=$work/devnet
chain_test_devnet "$devnet"
script=$src/pipelines/chain-devnet.sh
start=$SECONDS

chain_test_on_exit() {
  if [ -n "${READER_PID:-}" ]; then
    kill "$READER_PID" 2>/dev/null || true
  fi
}

chain_npm_install

# anvil on a free port of the devnet's choosing (chain.json names it)
bash "$script" --dir "$devnet" --npm-dir "$npm_dir" \
  --accounts 5 --lpt 1000000e18 --eth 100e18 --round-length 100 >"$work/devnet.log" 2>&1 ||
  die "chain-devnet.sh failed: $(tail -n 20 "$work/devnet.log")"
echo "devnet up in $((SECONDS - start)) s"
cd "$work"

# chain.json: the RPC URL, the Controller and the funded accounts' keys,
# read in one go: "rpc controller", then "address key_file" per account
{
  read -r rpc controller
  for k in o d b f o2; do
    read -r address key_file
    cp "$key_file" "$k.key"
    eval "$(echo "$k" | tr '[:lower:]' '[:upper:]')=$address"
  done
} < <(node -e 'const c = require(process.argv[1]);
  console.log(c.rpc, c.controller);
  for (const a of c.accounts) console.log(a.address, a.key_file);' "$devnet/chain.json")
[ -n "${O2:-}" ] || die "chain.json names fewer than 5 accounts"
LEDGER="$rpc?controller=$controller&queue=$work/queue.db"

# The independent reader (chain-read.mjs serve): one node process for
# all the reads, since loading node and ethers takes a second or more.
coproc READER {
  exec node "$src/tests/check/chain/chain-read.mjs" "$npm_dir" \
    "$devnet/chain.json" serve 2>"$work/reader.log"
}
# fixed descriptors: command substitutions, where rd runs, keep them
exec 7>&"${READER[1]}" 8<&"${READER[0]}"
# rd_n N ARGS...: the N-th value of a read (arguments as chain-read.mjs
# takes them); a failed read fails the test
rd_n () {
  local n=$1 line='' i=0 value='' failed=''
  shift
  (IFS=$'\t'; printf '%s\n' "$*") >&7
  # the whole answer is read, even a failed one, so the next read starts
  # on its own
  while IFS= read -r line <&8; do
    [ "$line" != . ] || break
    case $line in
      !*) failed=${line#!} ;;
    esac
    i=$((i + 1))
    [ $i -ne "$n" ] || value=$line
  done
  [ "$line" = . ] || die "the ethers reader stopped: $(cat "$work/reader.log")"
  [ -z "$failed" ] || die "the ethers read '$*' failed: $failed"
  echo "$value"
}
# rd ARGS...: the first value of a read
rd () {
  rd_n 1 "$@"
}
DELEGATOR="function getDelegator(address) view returns (uint256,uint256,address,uint256,uint256,uint256,uint256)"
SENDER_INFO="function getSenderInfo(address) view returns ((uint256,uint256),(uint256,uint256))"
CURRENT_ROUND="function currentRound() view returns (uint256)"

# lp, lp_status, jget, expect_json, expect_out, expect_err: lpctl on the
# chain (tests/lib/lpctl-expect.sh, over lpctl_run)
lpctl_run () {
  "$LPCTL" --ledger "$LEDGER" "$@"
}
# same GOT EXPECTED WHAT
same () {
  [ "$1" = "$2" ] || die "$3: got '$1', expected '$2'"
}

E18=000000000000000000

# ---- what a chain cannot do --------------------------------------------------
lp_status 1 init --fund "$O=1e18"
expect_err "chain-devnet.sh" "init on a chain"
lp_status 1 propose --from o.key --description x --set unbonding-period=3
expect_err "LivepeerGovernor" "propose on a chain"
lp_status 1 proposal show 1
expect_err "LivepeerGovernor" "proposal show on a chain"
lp_status 1 evidence --from f.key --orchestrator "$O" --reason test
expect_err "Verifier" "evidence on a chain"

# ---- status ----------------------------------------------------------------------
lp status --json
same "$(jget round)" "$(rd view RoundsManager "$CURRENT_ROUND")" "round"
same "$(jget total_supply)" "$(rd view LivepeerToken "function totalSupply() view returns (uint256)")" "total supply"
expect_json round-length 100 "round length"
expect_json unbonding-period 7 "unbonding period"
expect_json unlock-period 2 "unlock period"
expect_json fee-asset eth "fee asset"
same "$(jget inflation)" "$(rd view Minter "function inflation() view returns (uint256)")" "inflation"
lp status
expect_out "LPT" "human status"

# a round initialized by the first account's key
lp_status 1 round init
expect_err "no key to send it with (give one with --from)" "round init without --from"
lp advance --rounds 1 --init --from o.key --json
expect_json round_initialized true "advance --init"
round=$(jget round)
same "$round" "$(rd view RoundsManager "$CURRENT_ROUND")" "round after advance"
lp_status 1 round init --from o.key
expect_err "round already initialized" "a second round init (the revert's reason)"

# ---- orchestrators and delegation -------------------------------------------------
lp bond --from o.key --to "$O" --amount 200000e18
lp register --from o.key --reward-cut 10% --fee-share 50% \
  --service-uri https://127.0.0.1:8935 --json
expect_json reward_cut 100000 "register O"
expect_json fee_share 500000 "register O"
same "$(rd view ServiceRegistry "function getServiceURI(address) view returns (string)" "$O")" \
  "https://127.0.0.1:8935" "O's service URI"
lp bond --from d.key --to "$O" --amount 800000e18 --json
expect_json bonded "800000$E18" "D's bond"
lp bond --from o2.key --to "$O2" --amount 500000e18
lp register --from o2.key --reward-cut 12.5% --fee-share 25%
lp account balance --of d.key --json
expect_json status pending "D before its start round"
expect_json delegate "$O" "D's delegate"
expect_json lpt "200000$E18" "D's LPT after bonding 800 000"
same "$(jget bonded)" "$(rd view BondingManager "$DELEGATOR" "$D")" "D's bonded amount"

# ---- the next round: reward -------------------------------------------------------------
lp advance --rounds 1 --init --from o.key
round=$((round + 1))
lp status --json
expect_json round "$round" "round after advance"
same "$(jget mintable)" "$(rd view Minter "function currentMintableTokens() view returns (uint256)")" "mintable"
same "$(jget current_round_total_active_stake)" "1500000$E18" "active stake"
lp status
expect_out "reward cut 10%  fee share 50%  https://127.0.0.1:8935" "human status's active set"
lp reward --from o.key --json
minted=$(jget minted)
same "$minted" "$(rd view Minter "function currentMintedTokens() view returns (uint256)")" "O's reward"
lp_status 1 reward --from o.key
expect_err "already called reward" "a second reward in one round (the revert's reason)"
lp_status 1 reward --from d.key
expect_err "reward refused: caller must be an active transcoder" "reward by a delegator (the revert's reason)"
lp account balance "$D" --json
same "$(jget pending_stake)" "$(rd view BondingManager "function pendingStake(address,uint256) view returns (uint256)" "$D" "$round")" "D's pending stake"
expect_json status bonded "D in its start round"
lp account balance "$O" --json
same "$(jget total_stake)" "$(rd view BondingManager "function transcoderTotalStake(address) view returns (uint256)" "$O")" "O's total stake"

# ---- a broadcaster's deposit and winning tickets --------------------------------------------
lp deposit --from b.key --deposit 1e18 --reserve 1e18 --json
expect_json deposit "1$E18" "B's deposit"
expect_json reserve "1$E18" "B's reserve"
same "$(rd_n 1 view TicketBroker "$SENDER_INFO" "$B")" "1$E18" "B's deposit on chain"
same "$(rd_n 3 view TicketBroker "$SENDER_INFO" "$B")" "1$E18" "B's reserve on chain"
lp tickets --json
expect_json count 0 "redeemed tickets"

hash=$(rd view RoundsManager "function blockHashForRound(uint256) view returns (bytes32)" "$round")
cat >params.json <<EOF
{"recipient": "$O", "face_value": "400000000000000000",
 "win_prob": "115792089237316195423570985008687907853269984665640564039457584007913129639935",
 "recipient_rand_hash": "0xf395757e0d74803aae4e8adb875451d99622e911b61c64e044e0bd16a16f18cd",
 "seed": "0x9f1c", "expiration_block": 100000,
 "expiration_params": {"creation_round": $round, "creation_round_block_hash": "$hash"}}
EOF
"$LPCTL" payment make --key-file b.key --params params.json --nonces 1-3 >out 2>err ||
  die "payment make: $(cat err)"
tail -n 1 out >payment.b64
lp_status 1 redeem "$(cat payment.b64)" --recipient-rand 5 --from o.key
expect_err "recipientRand" "redeem with the wrong rand (the revert's reason)"
# 3 x 0.4 ETH from a 1 ETH deposit: 0.4, 0.4, then 0.2 from the deposit and
# 0.2 from the reserve (the TicketBroker's order)
lp redeem "$(cat payment.b64)" --recipient-rand 123456789 --from o.key --json
expect_json redeemed 3 "redeem"
expect_json refused 0 "redeem"
[ "$(grep -c '"from_reserve" : "0"' out)" -eq 2 ] || die "two tickets paid from the deposit alone: $(cat out)"
grep -q '"from_reserve" : "200000000000000000"' out || die "the third ticket takes 0.2 ETH from the reserve: $(cat out)"
lp_status 1 redeem "$(cat payment.b64)" --recipient-rand 123456789 --from o.key
expect_err "refused: ticket is used" "replaying redeemed tickets (the revert's reason)"
same "$(rd_n 1 view TicketBroker "$SENDER_INFO" "$B")" 0 "B's deposit after 1.2 ETH of tickets"
same "$(rd_n 3 view TicketBroker "$SENDER_INFO" "$B")" 800000000000000000 "B's reserve after 1.2 ETH of tickets"
lp account balance "$B" --json
expect_json deposit 0 "B's deposit"
expect_json reserve 800000000000000000 "B's reserve"
lp tickets --json
expect_json count 3 "redeemed tickets"
same 3 "$(rd events TicketBroker "$WINNING_TICKET_REDEEMED")" "WinningTicketRedeemed events"
lp tickets --recipient "$O"
expect_out "paid 0.4 ETH" "human ticket list"
lp account balance "$D" --json
same "$(jget pending_fees)" "$(rd view BondingManager "function pendingFees(address,uint256) view returns (uint256)" "$D" "$round")" "D's pending fees"
d_fees=$(jget pending_fees)
[ "$d_fees" != 0 ] || die "D earned no fees from 1.2 ETH of tickets"

# ---- a batch redemption ----------------------------------------------------------------------
# 5 tickets of 0.1 ETH in one batchRedeemWinningTickets, the first already
# redeemed alone: it is refused with its reason, the other 4 are paid, and
# each costs less gas than the single redemption (the receipts, read with
# ethers)
REDEEMED_EVENT=$WINNING_TICKET_REDEEMED
USED="function usedTickets(bytes32) view returns (bool)"
lp deposit --from b.key --deposit 1e18 --reserve 0
sed 's/"400000000000000000"/"100000000000000000"/' params.json >params-batch.json
"$LPCTL" payment make --key-file b.key --params params-batch.json --nonces 4 >out 2>err ||
  die "payment make: $(cat err)"
tail -n 1 out >single.b64
"$LPCTL" payment make --key-file b.key --params params-batch.json --nonces 4-8 >out 2>err ||
  die "payment make: $(cat err)"
tail -n 1 out >batch.b64
events_before=$(rd events TicketBroker "$REDEEMED_EVENT")
lp redeem "$(cat single.b64)" --recipient-rand 123456789 --from o.key --json
expect_json redeemed 1 "the single redemption"
same "$(rd_n 1 last-tx TicketBroker "$REDEEMED_EVENT")" 1 "events of the single redemption"
single_gas=$(rd_n 2 last-tx TicketBroker "$REDEEMED_EVENT")
lp_status 1 redeem "$(cat batch.b64)" --recipient-rand 123456789 --from o.key --batch --json
expect_json redeemed 4 "the batch"
expect_json refused 1 "the batch"
expect_err "is used: it was redeemed before" "the used ticket in the batch (its reason)"
same "$(rd_n 1 last-tx TicketBroker "$REDEEMED_EVENT")" 4 "events of the batch's one transaction"
batch_gas=$(rd_n 2 last-tx TicketBroker "$REDEEMED_EVENT")
same "$(rd events TicketBroker "$REDEEMED_EVENT")" $((events_before + 5)) "WinningTicketRedeemed events after the batch"
for h in $(grep -o '"ticket_hash" : "0x[0-9a-f]*"' out | grep -o '0x[0-9a-f]*'); do
  same "$(rd view TicketBroker "$USED" "$h")" true "usedTickets($h)"
done
[ "$(grep -c '"ticket_hash"' out)" -eq 5 ] || die "the batch reports 5 tickets: $(cat out)"
[ $((batch_gas / 4)) -lt "$single_gas" ] ||
  die "a batched ticket costs $((batch_gas / 4)) gas, a single one $single_gas"
echo "gas: single redemption $single_gas, per ticket in the batch of 5 (4 redeemed) $((batch_gas / 4))"
same "$(rd_n 1 view TicketBroker "$SENDER_INFO" "$B")" 500000000000000000 "B's deposit after 0.5 ETH of tickets"
# the batch's fees raised D's share
lp account balance "$D" --json
same "$(jget pending_fees)" "$(rd view BondingManager "function pendingFees(address,uint256) view returns (uint256)" "$D" "$round")" "D's pending fees after the batch"
d_fees=$(jget pending_fees)

# ---- claiming and fees -------------------------------------------------------------------
lp claim --from d.key --json
same "$(rd_n 2 view BondingManager "$DELEGATOR" "$D")" "$d_fees" "D's fees after claiming"
same "$(rd_n 6 view BondingManager "$DELEGATOR" "$D")" "$round" "D's last claim round"
lp account balance "$O" --json
o_fees=$(jget pending_fees)
eth_before=$(rd eth "$O")
lp withdraw-fees --from o.key --json
expect_json amount "$o_fees" "O's withdrawn fees"
same "$(rd_n 2 view BondingManager "$DELEGATOR" "$O")" 0 "O's fees after withdrawing"
[ "$(rd eth "$O")" != "$eth_before" ] || die "O's ETH did not move on withdraw-fees"
lp_status 1 withdraw-fees --from o.key --amount 1
expect_err "withdrawFees refused: insufficient fees to withdraw" "withdrawing more fees than owed (the revert's reason)"

# ---- transfer -----------------------------------------------------------------------------
lp transfer --from b.key --to "$F" --amount 1000e18
same "$(rd view LivepeerToken "function balanceOf(address) view returns (uint256)" "$F")" \
  "1001000$E18" "F after the transfer"

# ---- unbonding ------------------------------------------------------------------------------
# unbonding claims D's earnings first: rebonding the lock gives back the
# stake D had pending before it
d_stake=$(rd view BondingManager "function pendingStake(address,uint256) view returns (uint256)" "$D" "$round")
lp unbond --from d.key --amount 100e18 --json
lock=$(jget lock)
expect_json withdraw_round $((round + 7)) "D's unbonding lock"
same "$(rd_n 1 view BondingManager "function getDelegatorUnbondingLock(address,uint256) view returns (uint256,uint256)" "$D" "$lock")" \
  "100$E18" "D's lock on chain"
lp rebond --from d.key --lock "$lock"
same "$(rd view BondingManager "$DELEGATOR" "$D")" "$d_stake" "D's bond after rebonding"
lp account balance "$D" --json
same "$(jget bonded)" "$d_stake" "D's bond after rebonding, as lpctl reads it"
lp unbond --from d.key --amount 100e18 --json
lock=$(jget lock)
lp_status 1 withdraw-stake --from d.key --lock "$lock"
expect_err "withdrawStake refused: withdraw round must be before or equal to the current round" "withdrawing a lock before its round (the revert's reason)"
lp advance --rounds 7 --init --from o.key
lp withdraw-stake --from d.key --lock "$lock"
same "$(rd view LivepeerToken "function balanceOf(address) view returns (uint256)" "$D")" \
  "200100$E18" "D's LPT after withdrawing its lock"

# ---- the broadcaster leaves --------------------------------------------------------------------
lp unlock --from b.key --json
wr=$(jget withdraw_round)
same "$wr" "$(rd_n 2 view TicketBroker "$SENDER_INFO" "$B")" "B's withdraw round"
lp cancel-unlock --from b.key --json
expect_json withdraw_round 0 "after cancel-unlock"
lp unlock --from b.key
lp_status 1 withdraw --from b.key
expect_err "withdraw refused: account is locked" "withdraw before the unlock period (the revert's reason)"
lp advance --rounds 2 --init --from o.key
lp withdraw --from b.key --json
expect_json withdrawn_reserve 800000000000000000 "withdrawn reserve"
same "$(rd_n 3 view TicketBroker "$SENDER_INFO" "$B")" 0 "B's reserve after withdrawing"

# ---- errors ---------------------------------------------------------------------------------------
# an account without ETH cannot pay for gas
"$LPCTL" account new --out z.key >out 2>err || die "account new: $(cat err)"
Z=$(tail -n 1 out)
lp transfer --from b.key --to "$Z" --amount 1e18
lp_status 1 transfer --from z.key --to "$F" --amount 1
expect_err "insufficient funds: account $Z has 0 wei but the transaction needs" "a transfer from an account without ETH"
expect_err "fund the account" "a transfer from an account without ETH"
# a node that does not answer, a URI without its controller
dead=''
lp_take_port dead
status=0
"$LPCTL" --ledger "http://127.0.0.1:$dead?controller=$controller" status >out 2>err || status=$?
[ $status -eq 1 ] || die "status on a dead node exited $status"
expect_err "127.0.0.1:$dead: cannot reach the Ethereum node" "the dead node's URL in the error"
status=0
"$LPCTL" --ledger "$rpc" status >out 2>err || status=$?
[ $status -eq 1 ] || die "a chain URI without controller= exited $status"
expect_err "controller=" "a chain URI without controller="

# ---- the audit ----------------------------------------------------------------------------------
lp audit
expect_out "^ok chain: node" "the audit checks the node"
lp audit --json
expect_json ok true "audit"

echo "PASS: lpctl's ledger scenario on the chain in $((SECONDS - start)) s"

#!/bin/sh
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A devnet driven only through lpctl, checked against the numbers
# docs/design/ledger.md predicts (its worked example), then deposits,
# claims, governance, unbonding and the audit.
#   lpctl-ledger.sh LPCTL
#
# Not covered here: slashing with evidence beyond the default (slashing
# off); the C suites test it.
set -eu

# shellcheck source=tests/lib/lpctl-expect.sh
. "$(dirname "$0")/../../lib/lpctl-expect.sh"
lp_expect_begin "$1" lpctl-ledger

# lpctl_run ARGS...: lpctl on the test ledger (tests/lib/lpctl-expect.sh)
lpctl_run () {
  "$LPCTL" --ledger "$work/devnet.db" "$@"
}

# status_json: the ledger's status as JSON in out
status_json () {
  lp status --json
}

E18=000000000000000000

# ---- accounts -------------------------------------------------------------
# O: the worked example's orchestrator; D: its delegator; O2, O3: the rest of
# the active stake; B: a broadcaster holding the rest of the supply; F: a
# finder and payee.
for k in o d o2 o3 b f; do
  "$LPCTL" account new --out "$k.key" >out 2>err || die "account new: $(cat err)"
  eval "$(echo "$k" | tr a-z A-Z)=$(tail -n 1 out)"
done
# shellcheck disable=SC2153
for a in "$O" "$D" "$O2" "$O3" "$B" "$F"; do
  echo "$a" | grep -q '^0x[0-9a-fA-F]\{40\}$' || die "account new printed '$a'"
done

# ---- usage errors before any ledger exists ----------------------------------
lp_status 0 --help
expect_out "init \[--genesis FILE\]" "lpctl --help"
expect_out "devnet.db" "lpctl --help names the default ledger"
for c in init status transfer deposit unlock cancel-unlock withdraw register \
    bond unbond rebond withdraw-stake withdraw-fees claim reward advance \
    propose vote execute evidence redeem tickets audit; do
  lp_status 0 "$c" --help
  expect_out "--json" "lpctl $c --help"
done
lp_status 0 round init --help
lp_status 0 proposal show --help
lp_status 0 account balance --help
expect_out "--of" "account balance --help"
lp_status 0 register --help
expect_out "--reward-cut" "register --help"
expect_out "--service-uri" "register --help"
lp_status 1 status
[ ! -s out ] || die "status without a ledger printed: $(cat out)"
lp_status 2 register --from o.key --reward-cut 10.12345% --fee-share 50%
expect_err "at most 4 decimals" "register with 5 decimals"
lp_status 2 transfer --from b.key --to "$F" --amount 1.5
expect_err "amount" "transfer of a fraction"
lp_status 2 advance --blocks 1 --rounds 1
lp_status 2 vote --from o.key --proposal 1 --support maybe

# ---- genesis ----------------------------------------------------------------
# docs/design/ledger.md's example: supply 10 000 000 LPT, treasury cut 0,
# inflation change 500, target bonding rate 500 000 000. Genesis initializes
# round 0 with nothing bonded (bonding rate 0 < target), which adds 500 to
# the inflation: from the file's 999 500 to the example's 1 000 000, so the
# example holds when round 1 (the example's round) is initialized.
cat >genesis.json <<EOF
{"params": {"inflation": 999500, "inflation-change": 500,
            "target-bonding-rate": 500000000, "treasury-cut": "0",
            "round-length": 60, "block-time-ms": 1000},
 "accounts": [{"address": "$B", "lpt": "1e18", "eth": "1e18"}]}
EOF
# --fund replaces B's genesis entry; --block-time and --round-length override
# the file's
lp init --genesis genesis.json --block-time 0 --round-length 10 \
  --fund "$O=200000e18" --fund "$D=800000e18" --fund "$O2=1500000e18" \
  --fund "$O3=1500000e18" --fund "$B=6000000e18:10e18" --json
expect_json total_supply "10000000$E18" "init"
expect_json accounts 5 "init"
lp_status 1 init --fund "$O=1e18"
expect_err "." "init on an existing ledger"

status_json
expect_json block 0 "genesis status"
expect_json round 0 "genesis status"
expect_json round_initialized true "genesis status"
expect_json inflation 1000000 "round 0 inflation"
expect_json block-time-ms 0 "genesis status"
expect_json round-length 10 "genesis status"
expect_json treasury-cut 0 "genesis status"
expect_json total_bonded 0 "genesis status"
lp_status 1 round init
expect_err "already initialized" "a second init of round 0"

# ---- orchestrators and delegation ---------------------------------------------
lp bond --from o.key --to "$O" --amount 200000e18
lp register --from o.key --reward-cut 10% --fee-share 50% \
  --service-uri https://127.0.0.1:8935 --json
expect_json reward_cut 100000 "register O"
expect_json fee_share 500000 "register O"
lp bond --from d.key --to "$O" --amount 800000e18 --json
expect_json bonded "800000$E18" "D's bond"
lp bond --from o2.key --to "$O2" --amount 1500000e18
lp register --from o2.key --reward-cut 12.5% --fee-share 250000
lp bond --from o3.key --to "$O3" --amount 1500000e18
lp register --from o3.key --reward-cut 5% --fee-share 20%

lp account balance --of d.key --json
expect_json status pending "D before its start round"
expect_json delegate "$O" "D's delegate"
expect_json lpt 0 "D's balance after bonding everything"

# ---- round 1: the worked example ----------------------------------------------
# Initializing round 1: total active 4 000 000 LPT of 10 000 000, bonding rate
# percPoints(4e6, 1e7) = 400 000 000 < 500 000 000, so inflation becomes
# 1 000 500 and mintable = 1e25 × 1 000 500 / 1e9 = 10 005 LPT.
lp advance --rounds 1 --json
expect_json block 10 "advance"
expect_json round 1 "advance"
expect_json round_initialized false "advance without --init"
# a stake change needs an initialized round
lp_status 1 bond --from d.key --to "$O" --amount 1e18
expect_err "not initialized" "bond before round init"
lp round init --json
expect_json round 1 "round init"
round1_hash=$(jget block_hash)
echo "$round1_hash" | grep -q '^0x[0-9a-f]\{64\}$' || die "round init printed block hash '$round1_hash'"
status_json
expect_json inflation 1000500 "round 1 inflation"
expect_json mintable "10005$E18" "round 1 mintable"
expect_json current_round_total_active_stake "4000000$E18" "round 1 active stake"
expect_json total_bonded "4000000$E18" "round 1 total bonded"
lp status
expect_out "10005 LPT (10005$E18 wei)" "human status"
expect_out "reward cut 10%  fee share 50%  https://127.0.0.1:8935" "human status's active set"
expect_out "reward cut 12.5%  fee share 25%" "human status's active set"

# O's share: percOf(10 005 LPT, 1 000 000, 4 000 000) = 10 005 × 250 000 000
# / 1e9 = 2 501.25 LPT
lp reward --from o.key --json
expect_json minted "2501250000000000000000" "O's reward"
lp_status 1 reward --from o.key
expect_err "." "a second reward in one round"
lp_status 1 reward --from d.key
expect_err "." "reward by a delegator"

# O keeps percOf(2 501.25, 10 %) = 250.125 LPT; delegators' rewards
# 2 251.125 LPT; CRF = 1e27 + 1e27 × 2 251.125 / 1 000 000
#   = 1 002 251 125 000 000 000 000 000 000.
# D: 800 000 × CRF / 1e27 = 801 800.9 LPT
lp account balance "$D" --json
expect_json pending_stake "801800900000000000000000" "D's pending stake"
expect_json bonded "800000$E18" "D's stored bond before claiming"
expect_json status bonded "D in round 1"
# O: 200 000 × CRF / 1e27 + 250.125 = 200 450.225 + 250.125 = 200 700.35 LPT
lp account balance --of o.key --json
expect_json pending_stake "200700350000000000000000" "O's pending stake"
lp account balance --of o.key
expect_out "200700.35 LPT (200700350000000000000000 wei)" "O's human balance"

# together 1 002 501.25 LPT: O's total stake grew by the reward
status_json
expect_json total_supply "10002501250000000000000000" "supply after the reward"
expect_json minted "2501250000000000000000" "minted this round"
lp status
expect_out "10002501.25 LPT" "human supply"
lp account balance "$O" --json
expect_json total_stake "1002501250000000000000000" "O's total stake"

# ---- a broadcaster's deposit ----------------------------------------------------
lp deposit --from b.key --deposit 1e18 --reserve 2e18 --json
expect_json deposit "1$E18" "B's deposit"
expect_json reserve "2$E18" "B's reserve"
lp account balance "$B" --json
expect_json eth "7$E18" "B's ETH after depositing 3 ETH"
expect_json deposit "1$E18" "B's deposit"
lp tickets --json
expect_json count 0 "redeemed tickets"

# ---- winning tickets redeemed -------------------------------------------------------
# O hands B ticket parameters for round 1: face value 0.4 ETH, every ticket
# wins (winProb 2^256 - 1), recipientRand 123456789 (its keccak below)
cat >params.json <<EOF
{"recipient": "$O", "face_value": "400000000000000000",
 "win_prob": "115792089237316195423570985008687907853269984665640564039457584007913129639935",
 "recipient_rand_hash": "0xf395757e0d74803aae4e8adb875451d99622e911b61c64e044e0bd16a16f18cd",
 "seed": "0x9f1c", "expiration_block": 1000,
 "expiration_params": {"creation_round": 1, "creation_round_block_hash": "$round1_hash"}}
EOF
"$LPCTL" payment make --key-file b.key --params params.json --nonces 1-3 >out 2>err ||
  die "payment make: $(cat err)"
tail -n 1 out >payment.b64
lp_status 2 redeem "$(cat payment.b64)"
expect_err "recipient-rand" "redeem without the recipient's rand"
lp_status 1 redeem "$(cat payment.b64)" --recipient-rand 5
expect_err "recipientRand" "redeem with the wrong rand"
# 3 × 0.4 ETH from a 1 ETH deposit: 0.4, 0.4, then 0.2 from the deposit and
# 0.2 from the reserve (O's allocation: 2 ETH / 3 active orchestrators)
lp redeem "$(cat payment.b64)" --recipient-rand 123456789 --json
expect_json redeemed 3 "redeem"
expect_json refused 0 "redeem"
[ "$(grep -c '"from_reserve" : "0"' out)" -eq 2 ] || die "two tickets paid from the deposit alone: $(cat out)"
grep -q '"from_reserve" : "200000000000000000"' out || die "the third ticket takes 0.2 ETH from the reserve: $(cat out)"
lp_status 1 redeem "$(cat payment.b64)" --recipient-rand 123456789
expect_err "used" "replaying redeemed tickets"
lp account balance "$B" --json
expect_json deposit 0 "B's deposit after 1.2 ETH of tickets"
expect_json reserve "1800000000000000000" "B's reserve after 1.2 ETH of tickets"
lp tickets --json
expect_json count 3 "redeemed tickets"
# fees 1.2 ETH into O's round-1 pool (total stake T = 1 000 000 LPT): fee
# share 50 % -> delegators 0.2 ETH a ticket. O called reward() in round 1
# but not in round 0, so round 0's CRF was never stored and, as the
# BondingManager does, is estimated back from round 1's. The estimate takes
# the Minter's mintable PLUS what it minted so far this round (O's own
# 2 501.25 LPT: nobody else called reward() before the tickets), with
# PreciseMathUtils (1e27) and treasury cut 0. In python3 integers, with
# pp(n, d) = n * 10**27 // d and pof(a, n, d) = a * pp(n, d) // 10**27:
#   rewards = pof(10005e18 + 2501.25e18, 1e24, 4e24)
#           = 12 506.25e18 * 250 000 000 000 000 000 000 000 000 // 1e27
#           = 3 126.5625 LPT
#   delegators' part = rewards - rewards * 100 000 // 1 000 000
#           = 3 126.5625 - 312.65625 = 2 813.90625 LPT
#   CRF_0 (estimated) = pof(1 002 251 125e18, 1e24, 1e24 + 2 813.90625e18)
#           = 999 438 797 920 040 311 567 029 587
# (not the real 1e27: mintable + minted counts O's reward twice). Each
# ticket adds pof(CRF_0, 0.2e18, 1e24) = 199 887 759 584 008 062 313 to the
# CFF, so CFF = 599 663 278 752 024 186 939 and D (800 000 LPT since round
# 0, start CRF 1e27) is owed 800 000e18 * pp(CFF, 1e27) // 1e27
#   = 0.479 730 623 001 619 349 ETH
# (the value an independent run of the compiled contracts gives; 0.48 ETH
# would be the exact share).
lp account balance "$D" --json
expect_json pending_fees "479730623001619349" "D's pending fees"

# ---- claiming -------------------------------------------------------------------
lp claim --from d.key --json
expect_json bonded "801800900000000000000000" "D's bond after claiming"
expect_json pending_stake "801800900000000000000000" "D's pending stake after claiming"
expect_json fees 479730623001619349 "D's fees after claiming"
# O: its commission 3 x 0.2 ETH, nothing for its earlier rewards (its
# active cumulative rewards were 0 when it called reward() in round 1), and
# its own 200 000 LPT's share 200 000e18 * pp(CFF, 1e27) // 1e27
#   = 0.6 + 0.119 932 655 750 404 837 = 0.719 932 655 750 404 837 ETH.
# D and O together get 1.199 663 278 752 024 186 ETH of the 1.2: the
# estimate leaves the rest in the Minter, as on chain.
lp withdraw-fees --from o.key --json
expect_json amount 719932655750404837 "O's fees"
lp account balance "$O" --json
expect_json eth 719932655750404837 "O's ETH after withdrawing its fees"
lp_status 1 withdraw-fees --from o.key --amount 1
expect_err "." "withdrawing more fees than owed"
lp account balance "$D" --json
expect_json last_claim_round 1 "D's last claim round"

# ---- transfer ---------------------------------------------------------------------
lp transfer --from b.key --to "$F" --amount 1000e18
lp account balance "$F" --json
expect_json lpt "1000$E18" "F after the transfer"
lp account balance "$B" --json
expect_json lpt "5999000$E18" "B after the transfer"

# ---- governance: unbonding period 7 -> 3 ----------------------------------------------
lp status --json
expect_json unbonding-period 7 "unbonding period before the proposal"
lp propose --from o.key --description "Shorter unbonding" \
  --set unbonding-period=3 --json
pid=$(jget proposal)
[ -n "$pid" ] || die "propose printed no id: $(cat out)"
start=$(jget start_round)
end=$(jget end_round)
# voting delay 1 round, voting period 10 rounds
[ "$start" = 2 ] || die "proposal made in round 1 starts in round $start, expected 2"
[ "$end" -ge 11 ] || die "proposal ends in round $end, expected 11 or later"
lp proposal show "$pid" --json
expect_json state pending "new proposal"
expect_json param unbonding-period "proposal's action"
expect_json value 3 "proposal's action"
lp_status 1 vote --from o.key --proposal "$pid" --support for
lp advance --rounds 1 --init
lp proposal show "$pid" --json
expect_json state active "proposal in its start round"
lp vote --from o.key --proposal "$pid" --support for
lp vote --from o2.key --proposal "$pid" --support for
lp vote --from o3.key --proposal "$pid" --support against
lp proposal show "$pid" --json
# O: 1 002 501.25, O2: 1 500 000 (for); O3: 1 500 000 (against); quorum
# 33.33 % of 4 002 501.25
expect_json votes_for "2502501250000000000000000" "tally for"
expect_json votes_against "1500000$E18" "tally against"
lp_status 1 execute "$pid"
expect_err "." "executing an active proposal"
round=2
while [ "$round" -le "$end" ]; do
  lp advance --rounds 1 --init
  round=$((round + 1))
done
lp proposal show "$pid" --json
expect_json state succeeded "proposal after its voting period"
lp execute --proposal "$pid" --json
lp proposal show "$pid"
expect_out "executed" "proposal after execute"
lp advance --rounds 1 --init
status_json
expect_json unbonding-period 3 "unbonding period after the proposal"

# ---- unbonding with the new period ---------------------------------------------------
lp unbond --from d.key --amount 1800900000000000000000 --json
lock=$(jget lock)
wround=$(jget withdraw_round)
now=$((end + 2))
[ "$wround" = $((now + 3)) ] || die "unbond in round $now: withdraw round $wround, expected $((now + 3))"
lp account balance "$D" --json
expect_json bonded "800000$E18" "D's bond after unbonding 1 800.9"
lp rebond --from d.key --lock "$lock"
lp account balance "$D" --json
expect_json bonded "801800900000000000000000" "D's bond after rebonding"
lp unbond --from d.key --amount 1800900000000000000000 --json
lock=$(jget lock)
lp_status 1 withdraw-stake --from d.key --lock "$lock"
lp advance --rounds 3 --init
lp withdraw-stake --from d.key --lock "$lock"
lp account balance "$D" --json
expect_json lpt "1800900000000000000000" "D's LPT after withdrawing its lock"

# ---- the broadcaster leaves --------------------------------------------------------------
lp unlock --from b.key --json
wr=$(jget withdraw_round)
[ "$wr" -gt 0 ] || die "unlock printed withdraw round '$wr'"
lp cancel-unlock --from b.key --json
expect_json withdraw_round 0 "after cancel-unlock"
lp unlock --from b.key
lp_status 1 withdraw --from b.key
lp advance --rounds 2 --init
lp withdraw --from b.key --json
expect_json withdrawn_deposit 0 "withdrawn deposit"
expect_json withdrawn_reserve "1800000000000000000" "withdrawn reserve"
lp account balance "$B" --json
expect_json eth "8800000000000000000" "B's ETH after withdrawing"

# ---- the invariants hold ---------------------------------------------------------------------
lp audit
expect_out '^ok storage: SQLite quick_check$' "the audit checks the storage first"
lp audit --json
expect_json ok true "audit"

# ---- the zero address takes no LPT (the token refuses it) -------------------------------------
lp account balance "$B" --json
lpt_before=$(jget lpt)
lp_status 1 transfer --from b.key --to 0x0000000000000000000000000000000000000000 --amount 1
grep -q 'zero address' err || die "transfer to the zero address: $(cat err)"
lp account balance "$B" --json
expect_json lpt "$lpt_before" "B's LPT after a refused transfer to the zero address"

# ---- a failed invariant is reported, not a crash ----------------------------------------------
# one account's LPT balance one wei higher, behind the ledger's back
cp devnet.db tampered.db
python3 - tampered.db <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
rowid, lpt = db.execute("SELECT rowid, lpt FROM accounts WHERE length(lpt) > 0 "
                        "ORDER BY rowid LIMIT 1").fetchone()
value = int.from_bytes(lpt, "big") + 1
db.execute("UPDATE accounts SET lpt = ? WHERE rowid = ?",
           (value.to_bytes(max(len(lpt), (value.bit_length() + 7) // 8), "big"), rowid))
db.commit()
PY
status=0
"$LPCTL" --ledger "$work/tampered.db" audit >out 2>err || status=$?
[ "$status" -eq 1 ] || die "audit of a tampered ledger exited $status, expected 1: $(cat err)"
grep -q '^FAILED LPT' out || die "the audit names no failed LPT invariant: $(cat out)"
status=0
"$LPCTL" --ledger "$work/tampered.db" audit --json >out 2>err || status=$?
[ "$status" -eq 1 ] || die "audit --json of a tampered ledger exited $status: $(cat err)"
expect_json ok false "audit of a tampered ledger"

# ---- a damaged file fails the audit at its storage check --------------------------------------
# the root page of the accounts' primary-key index gets an invalid page type
cp devnet.db damaged.db
python3 - damaged.db <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
db.execute("PRAGMA journal_mode=DELETE")
page_size = db.execute("PRAGMA page_size").fetchone()[0]
root = db.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index' "
                  "AND tbl_name = 'accounts'").fetchone()[0]
db.close()
with open(sys.argv[1], "r+b") as f:
    f.seek((root - 1) * page_size)
    f.write(b"\x00")
PY
status=0
"$LPCTL" --ledger "$work/damaged.db" audit >out 2>err || status=$?
[ "$status" -eq 1 ] || die "audit of a damaged ledger exited $status, expected 1: $(cat err)"
grep -q 'damaged' err || die "the audit does not say the ledger is damaged: $(cat err)"
grep -q '^FAILED storage: SQLite quick_check' out || die "no FAILED storage line: $(cat out)"

echo "PASS"

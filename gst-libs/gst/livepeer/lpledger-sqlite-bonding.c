/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * The SQLite ledger's BondingManager operations (docs/design/ledger.md,
 * "Bonding and the active set (BondingManager)" and "Rule by rule"):
 * transfer, bond, unbond (unbonding locks), rebond, withdraw stake and
 * fees, claim earnings and register as an orchestrator, the account and
 * orchestrator reads, and the vtable entries for them. The books they
 * change are in lpledger-sqlite-stake.c.
 *
 * Every function taking a Tx runs inside a transaction, the ledger's lock
 * held (lpledger-sqlite.c); the lp_sqlite_* vtable entries open it.
 */
#include "lpledger-sqlite-private.h"

#include <string.h>

/* ---- unbonding locks ---------------------------------------------------- */

static gboolean
lock_load (Tx * tx, const LpAddress * owner, guint64 id, mpz_t amount,
    gint64 * withdraw_round, gboolean * found)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx,
      "SELECT amount, withdraw_round FROM locks "
      "WHERE address = ? AND id = ?");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  lp_sqlite_bind_address (stmt, 1, owner);
  sqlite3_bind_int64 (stmt, 2, (gint64) id);
  rc = lp_sqlite_step (tx, stmt);
  if (rc < 0)
    return FALSE;
  *found = rc == 1;
  if (rc == 1) {
    lp_sqlite_column_mpz (stmt, 0, amount);
    *withdraw_round = sqlite3_column_int64 (stmt, 1);
  }
  return TRUE;
}

static gboolean
lock_delete (Tx * tx, const LpAddress * owner, guint64 id)
{
  sqlite3_stmt *stmt =
      lp_sqlite_prep (tx, "DELETE FROM locks WHERE address = ? AND id = ?");

  if (stmt == NULL)
    return FALSE;
  lp_sqlite_bind_address (stmt, 1, owner);
  sqlite3_bind_int64 (stmt, 2, (gint64) id);
  return lp_sqlite_step_done (tx, stmt);
}

static gboolean
lock_insert (Tx * tx, const LpAddress * owner, guint64 id, const mpz_t amount,
    gint64 withdraw_round)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx,
      "INSERT INTO locks (address, id, amount, "
      "withdraw_round) VALUES (?, ?, ?, ?)");

  if (stmt == NULL)
    return FALSE;
  lp_sqlite_bind_address (stmt, 1, owner);
  sqlite3_bind_int64 (stmt, 2, (gint64) id);
  if (!lp_sqlite_bind_mpz (tx, stmt, 3, amount))
    return FALSE;
  sqlite3_bind_int64 (stmt, 4, withdraw_round);
  return lp_sqlite_step_done (tx, stmt);
}

/* ---- bonding operations ------------------------------------------------- */

/* LivepeerToken.transfer() (an OpenZeppelin ERC20, which refuses the
 * zero address: tokens sent there would be gone without being burnt) */
static gboolean
do_transfer (Tx * tx, const LpAddress * from, const LpAddress * to,
    const mpz_t amount)
{
  if (lp_address_is_zero (to))
    return lp_sqlite_refuse (tx,
        "Transfer: the recipient is the zero address (the "
        "token refuses it: the LPT would be lost)");
  if (lp_address_is_zero (from))
    return lp_sqlite_refuse (tx, "Transfer: the sender is the zero address");
  return lp_sqlite_balance_debit (tx, from, ASSET_LPT, amount, "transfer")
      && lp_sqlite_balance_credit (tx, to, ASSET_LPT, amount);
}

/* bondForWithHint() with the owner as caller */
static gboolean
do_bond (Tx * tx, const LpAddress * owner, const LpAddress * to,
    const mpz_t amount)
{
  Delegator d;
  LpAddress current_delegate;
  mpz_t delegation, current_bonded;
  gboolean ok = FALSE;

  if (lp_address_is_zero (to))
    return lp_sqlite_refuse (tx, "Cannot bond to the zero address");
  if (!lp_sqlite_require_round_initialized (tx)
      || !lp_sqlite_auto_claim (tx, owner))
    return FALSE;

  lp_sqlite_delegator_init (&d);
  mpz_inits (delegation, current_bonded, NULL);
  /* no reward() required of a delegate that leaves the active set: the
   * compiled contracts predate _ensurePendingDeactivationTranscoderCalledReward */
  if (!lp_sqlite_delegator_load (tx, owner, &d))
    goto done;
  current_delegate = d.delegate;
  mpz_set (current_bonded, d.bonded);
  mpz_set (delegation, amount);

  if (lp_sqlite_delegator_status (tx, &d) == LP_DELEGATOR_UNBONDED) {
    d.start_round = (gint64) tx->round + 1;
  } else if (mpz_sgn (current_bonded) > 0
      && !lp_address_equal (&current_delegate, to)) {
    if (lp_sqlite_is_registered (&d)) {
      lp_sqlite_refuse (tx, "Registered orchestrators cannot delegate to other "
          "addresses (%s is self-bonded)", lp_sqlite_address_text (owner).text);
      goto done;
    }
    d.start_round = (gint64) tx->round + 1;
    mpz_add (delegation, delegation, current_bonded);
    if (!lp_sqlite_decrease_total_stake (tx, &current_delegate, current_bonded)
        || !lp_sqlite_checkpoint_address (tx, &current_delegate))
      goto done;
  }
  if (!lp_sqlite_ensure_initialized_factors (tx, to, (gint64) tx->round))
    goto done;
  if (mpz_sgn (delegation) == 0) {
    lp_sqlite_refuse (tx,
        "Bond: the amount to delegate must be greater than 0");
    goto done;
  }
  if (mpz_sgn (amount) > 0
      && !lp_sqlite_balance_debit (tx, owner, ASSET_LPT, amount, "bond"))
    goto done;
  d.delegate = *to;
  mpz_add (d.bonded, current_bonded, amount);
  /* the row is stored first: for a self-bond it is also the delegate's */
  if (!lp_sqlite_delegator_store (tx, &d)
      || !lp_sqlite_increase_total_stake (tx, to, delegation))
    goto done;
  ok = lp_sqlite_checkpoint_address (tx, owner)
      && (lp_address_equal (owner, to)
      || lp_sqlite_checkpoint_address (tx, to));
done:
  mpz_clears (delegation, current_bonded, NULL);
  lp_sqlite_delegator_clear (&d);
  return ok;
}

static gboolean
do_unbond (Tx * tx, const LpAddress * owner, const mpz_t amount,
    guint64 * lock_id)
{
  Delegator d;
  LpAddress current_delegate;
  Transcoder t;
  gint64 id, withdraw_round;
  gboolean ok = FALSE;

  if (!lp_sqlite_require_round_initialized (tx)
      || !lp_sqlite_auto_claim (tx, owner))
    return FALSE;
  lp_sqlite_delegator_init (&d);
  lp_sqlite_transcoder_init (&t);
  if (!lp_sqlite_delegator_load (tx, owner, &d))
    goto done;
  if (lp_sqlite_delegator_status (tx, &d) != LP_DELEGATOR_BONDED) {
    if (lp_sqlite_delegator_status (tx, &d) == LP_DELEGATOR_PENDING)
      lp_sqlite_refuse (tx,
          "Unbond: %s is not bonded yet (its bond counts from round "
          "%" G_GINT64_FORMAT ")", lp_sqlite_address_text (owner).text,
          d.start_round);
    else
      lp_sqlite_refuse (tx,
          "Unbond: %s has nothing bonded", lp_sqlite_address_text (owner).text);
    goto done;
  }
  if (mpz_sgn (amount) == 0) {
    lp_sqlite_refuse (tx, "Unbond: the amount must be greater than 0");
    goto done;
  }
  if (mpz_cmp (amount, d.bonded) > 0) {
    g_autofree gchar *bonded = lp_sqlite_amount_text (d.bonded);
    lp_sqlite_refuse (tx,
        "Unbond: the amount is greater than the bonded amount (%s "
        "wei)", bonded);
    goto done;
  }
  current_delegate = d.delegate;
  id = d.next_lock_id;
  withdraw_round = (gint64) (tx->round + tx->params.unbonding_period);
  if (!lock_insert (tx, owner, (guint64) id, amount, withdraw_round))
    goto done;
  d.next_lock_id = id + 1;
  mpz_sub (d.bonded, d.bonded, amount);
  if (mpz_sgn (d.bonded) == 0) {
    memset (&d.delegate, 0, sizeof (d.delegate));
    d.start_round = 0;
  }
  if (!lp_sqlite_delegator_store (tx, &d)
      || !lp_sqlite_transcoder_load (tx, owner, &t))
    goto done;
  if (mpz_sgn (d.bonded) == 0 && t.in_pool && !lp_sqlite_resign (tx, owner))
    goto done;
  if (!lp_sqlite_decrease_total_stake (tx, &current_delegate, amount))
    goto done;
  ok = lp_sqlite_checkpoint_address (tx, owner)
      && (lp_address_equal (owner, &current_delegate)
      || lp_sqlite_checkpoint_address (tx, &current_delegate));
  if (ok && lock_id != NULL)
    *lock_id = (guint64) id;
done:
  lp_sqlite_transcoder_clear (&t);
  lp_sqlite_delegator_clear (&d);
  return ok;
}

/* rebondWithHint() (@to NULL) and rebondFromUnbondedWithHint() */
static gboolean
do_rebond (Tx * tx, const LpAddress * owner, const LpAddress * to,
    guint64 lock_id)
{
  Delegator d;
  LpAddress delegate;
  mpz_t amount;
  gint64 withdraw_round;
  gboolean found, ok = FALSE;

  if (!lp_sqlite_require_round_initialized (tx)
      || !lp_sqlite_auto_claim (tx, owner))
    return FALSE;
  lp_sqlite_delegator_init (&d);
  mpz_init (amount);
  if (!lp_sqlite_delegator_load (tx, owner, &d))
    goto done;
  if (to == NULL
      && lp_sqlite_delegator_status (tx, &d) == LP_DELEGATOR_UNBONDED) {
    lp_sqlite_refuse (tx,
        "Rebond: %s is unbonded; name the orchestrator to rebond to",
        lp_sqlite_address_text (owner).text);
    goto done;
  }
  if (to != NULL
      && lp_sqlite_delegator_status (tx, &d) != LP_DELEGATOR_UNBONDED) {
    lp_sqlite_refuse (tx,
        "Rebond: %s is still bonded to %s; rebond without naming "
        "an orchestrator", lp_sqlite_address_text (owner).text,
        lp_sqlite_address_text (&d.delegate).text);
    goto done;
  }
  if (to != NULL) {
    if (lp_address_is_zero (to)) {
      lp_sqlite_refuse (tx, "Cannot rebond to the zero address");
      goto done;
    }
    if (!lp_sqlite_ensure_initialized_factors (tx, to, (gint64) tx->round))
      goto done;
    d.start_round = (gint64) tx->round + 1;
    d.delegate = *to;
  }
  if (!lock_load (tx, owner, lock_id, amount, &withdraw_round, &found))
    goto done;
  if (!found) {
    lp_sqlite_refuse (tx, "Rebond: %s has no unbonding lock %" G_GUINT64_FORMAT,
        lp_sqlite_address_text (owner).text, lock_id);
    goto done;
  }
  mpz_add (d.bonded, d.bonded, amount);
  delegate = d.delegate;
  if (!lock_delete (tx, owner, lock_id) || !lp_sqlite_delegator_store (tx, &d)
      || !lp_sqlite_increase_total_stake (tx, &delegate, amount))
    goto done;
  ok = lp_sqlite_checkpoint_address (tx, owner)
      && (lp_address_equal (owner, &delegate)
      || lp_sqlite_checkpoint_address (tx, &delegate));
done:
  mpz_clear (amount);
  lp_sqlite_delegator_clear (&d);
  return ok;
}

static gboolean
do_withdraw_stake (Tx * tx, const LpAddress * owner, guint64 lock_id)
{
  mpz_t amount;
  gint64 withdraw_round;
  gboolean found, ok = FALSE;

  if (!lp_sqlite_require_round_initialized (tx))
    return FALSE;
  mpz_init (amount);
  if (!lock_load (tx, owner, lock_id, amount, &withdraw_round, &found))
    goto done;
  if (!found) {
    lp_sqlite_refuse (tx,
        "Withdraw stake: %s has no unbonding lock %" G_GUINT64_FORMAT,
        lp_sqlite_address_text (owner).text, lock_id);
    goto done;
  }
  if (withdraw_round > (gint64) tx->round) {
    lp_sqlite_refuse (tx,
        "Unbonding lock %" G_GUINT64_FORMAT " is not withdrawable "
        "before round %" G_GINT64_FORMAT " (now round %" G_GUINT64_FORMAT ")",
        lock_id, withdraw_round, tx->round);
    goto done;
  }
  ok = lock_delete (tx, owner, lock_id)
      && lp_sqlite_balance_credit (tx, owner, ASSET_LPT, amount);
done:
  mpz_clear (amount);
  return ok;
}

static gboolean
do_withdraw_fees (Tx * tx, const LpAddress * owner,
    const LpAddress * recipient, const mpz_t amount)
{
  Delegator d;
  gboolean ok = FALSE;

  if (lp_address_is_zero (recipient))
    return lp_sqlite_refuse (tx,
        "Withdraw fees: the recipient is the zero address");
  if (!lp_sqlite_require_round_initialized (tx)
      || !lp_sqlite_auto_claim (tx, owner))
    return FALSE;
  lp_sqlite_delegator_init (&d);
  if (!lp_sqlite_delegator_load (tx, owner, &d))
    goto done;
  if (mpz_cmp (d.fees, amount) < 0) {
    g_autofree gchar *fees = lp_sqlite_amount_text (d.fees);
    lp_sqlite_refuse (tx, "Withdraw fees: %s has only %s wei of fees",
        lp_sqlite_address_text (owner).text, fees);
    goto done;
  }
  mpz_sub (d.fees, d.fees, amount);
  ok = lp_sqlite_delegator_store (tx, &d)
      && lp_sqlite_balance_credit (tx, recipient, lp_sqlite_fee_asset (tx),
      amount)
      && lp_sqlite_state_sub_mpz (tx, "minter-fees", amount)
      && lp_sqlite_state_add_mpz (tx, "fees-withdrawn", amount)
      && lp_sqlite_checkpoint_address (tx, owner);
done:
  lp_sqlite_delegator_clear (&d);
  return ok;
}

static gboolean
do_claim (Tx * tx, const LpAddress * owner)
{
  return lp_sqlite_require_round_initialized (tx)
      && lp_sqlite_auto_claim (tx, owner)
      && lp_sqlite_checkpoint_address (tx, owner);
}

/* Registered, in the pool, with these rates already: what is left to do is
 * the service URI alone. */
static gboolean
rates_unchanged (const Delegator * d, const Transcoder * t,
    guint64 reward_cut, guint64 fee_share)
{
  return lp_sqlite_is_registered (d) && t->in_pool
      && t->reward_cut == (gint64) reward_cut
      && t->fee_share == (gint64) fee_share;
}

/* ServiceRegistry.setServiceURI(): no round, lock or reward rule holds it
 * back; an unchanged URI writes nothing */
static gboolean
store_service_uri (Tx * tx, Transcoder * t, const gchar * service_uri)
{
  if (service_uri == NULL || g_strcmp0 (t->service_uri, service_uri) == 0)
    return TRUE;
  g_free (t->service_uri);
  t->service_uri = g_strdup (service_uri);
  return lp_sqlite_transcoder_store (tx, t);
}

/* transcoderWithHint() then the service URI, as the chain backend sends
 * them; with the rates unchanged and the orchestrator in the pool there is
 * no transcoderWithHint() to call (as go-livepeer's orchestrator config
 * skips Transcoder() then), so a URI can change in a locked round */
static gboolean
do_register (Tx * tx, const LpAddress * address, guint64 reward_cut,
    guint64 fee_share, const gchar * service_uri)
{
  Delegator d;
  Transcoder t;
  gboolean ok = FALSE;

  lp_sqlite_delegator_init (&d);
  lp_sqlite_transcoder_init (&t);
  if (!lp_sqlite_delegator_load (tx, address, &d)
      || !lp_sqlite_transcoder_load (tx, address, &t))
    goto done;
  if (rates_unchanged (&d, &t, reward_cut, fee_share)) {
    ok = store_service_uri (tx, &t, service_uri);
    goto done;
  }
  if (!lp_sqlite_require_round_initialized (tx))
    goto done;
  if (lp_sqlite_current_round_locked (tx)) {
    lp_sqlite_refuse (tx,
        "Round %" G_GUINT64_FORMAT " is locked: reward cut and "
        "fee share cannot change in the last part of a round; wait for round %"
        G_GUINT64_FORMAT, tx->round, tx->round + 1);
    goto done;
  }
  if (reward_cut > LP_LEDGER_PERC_DIVISOR || fee_share > LP_LEDGER_PERC_DIVISOR) {
    lp_sqlite_refuse (tx,
        "Reward cut and fee share are parts per million (at "
        "most 1000000)");
    goto done;
  }
  if (!lp_sqlite_is_registered (&d)) {
    lp_sqlite_refuse (tx, "Register: %s must first bond LPT to itself",
        lp_sqlite_address_text (address).text);
    goto done;
  }
  if (lp_sqlite_is_active (tx, &t)
      && t.last_reward_round != (gint64) tx->round) {
    lp_sqlite_refuse (tx,
        "Register: an active orchestrator must call reward for round "
        "%" G_GUINT64_FORMAT " before changing its reward cut or fee share",
        tx->round);
    goto done;
  }
  t.reward_cut = (gint64) reward_cut;
  t.fee_share = (gint64) fee_share;
  if (service_uri != NULL) {
    g_free (t.service_uri);
    t.service_uri = g_strdup (service_uri);
  }
  if (!lp_sqlite_transcoder_store (tx, &t))
    goto done;
  ok = t.in_pool || lp_sqlite_try_to_join_active_set (tx, address, d.delegated,
      (gint64) tx->round + 1);
done:
  lp_sqlite_transcoder_clear (&t);
  lp_sqlite_delegator_clear (&d);
  return ok;
}

/* ---- reading ------------------------------------------------------------ */

static gboolean
read_locks (Tx * tx, const LpAddress * address, GArray * locks)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx,
      "SELECT id, amount, withdraw_round FROM "
      "locks WHERE address = ? ORDER BY id");
  mpz_t amount;
  gint rc;

  if (stmt == NULL)
    return FALSE;
  mpz_init (amount);
  lp_sqlite_bind_address (stmt, 1, address);
  while ((rc = lp_sqlite_step (tx, stmt)) == 1) {
    LpUnbondingLock lock;
    lock.id = (guint64) sqlite3_column_int64 (stmt, 0);
    lp_sqlite_column_mpz (stmt, 1, amount);
    lp_sqlite_set_u256 (&lock.amount, amount);
    lock.withdraw_round = (guint64) sqlite3_column_int64 (stmt, 2);
    g_array_append_val (locks, lock);
  }
  mpz_clear (amount);
  return rc == 0;
}

/* Fills @info; on failure leaves it cleared. */
static gboolean
read_account (Tx * tx, const LpAddress * address, LpAccountInfo * info)
{
  Delegator d;
  Sender s;
  mpz_t value, stake, fees;
  gboolean ok;

  memset (info, 0, sizeof (*info));
  info->address = *address;
  info->locks = g_array_new (FALSE, TRUE, sizeof (LpUnbondingLock));
  lp_sqlite_delegator_init (&d);
  lp_sqlite_sender_init (&s);
  mpz_inits (value, stake, fees, NULL);
  ok = lp_sqlite_balance_get (tx, address, ASSET_LPT, value);
  lp_sqlite_set_u256 (&info->lpt, value);
  ok = ok && lp_sqlite_balance_get (tx, address, ASSET_ETH, value);
  lp_sqlite_set_u256 (&info->eth, value);
  ok = ok && lp_sqlite_delegator_load (tx, address, &d)
      && lp_sqlite_pending_stake_and_fees (tx, &d, (gint64) tx->round, stake,
      fees)
      && read_locks (tx, address, info->locks)
      && lp_sqlite_sender_load (tx, address, &s);
  if (ok) {
    info->status = lp_sqlite_delegator_status (tx, &d);
    lp_sqlite_set_u256 (&info->bonded, d.bonded);
    lp_sqlite_set_u256 (&info->pending_stake, stake);
    lp_sqlite_set_u256 (&info->fees, d.fees);
    lp_sqlite_set_u256 (&info->pending_fees, fees);
    info->delegate = d.delegate;
    lp_sqlite_set_u256 (&info->delegated, d.delegated);
    info->start_round = (guint64) d.start_round;
    info->last_claim_round = (guint64) d.last_claim_round;
    lp_sqlite_set_u256 (&info->deposit, s.deposit);
    lp_sqlite_set_u256 (&info->reserve, s.reserve);
    info->withdraw_round = (guint64) s.withdraw_round;
  }
  mpz_clears (value, stake, fees, NULL);
  lp_sqlite_sender_clear (&s);
  lp_sqlite_delegator_clear (&d);
  if (!ok)
    lp_account_info_clear (info);
  return ok;
}

static gboolean
read_orchestrator (Tx * tx, const LpAddress * address,
    LpLedgerOrchestrator * info)
{
  Delegator d;
  Transcoder t;
  gboolean ok;

  memset (info, 0, sizeof (*info));
  lp_sqlite_delegator_init (&d);
  lp_sqlite_transcoder_init (&t);
  ok = lp_sqlite_delegator_load (tx, address, &d)
      && lp_sqlite_transcoder_load (tx, address, &t);
  if (ok) {
    info->address = *address;
    info->registered = lp_sqlite_is_registered (&d);
    info->active = lp_sqlite_is_active (tx, &t);
    info->in_pool = t.in_pool;
    lp_sqlite_set_u256 (&info->total_stake, d.delegated);
    info->reward_cut = (guint64) t.reward_cut;
    info->fee_share = (guint64) t.fee_share;
    info->service_uri = g_strdup (t.service_uri);
    info->last_reward_round = (guint64) t.last_reward_round;
    info->activation_round = (guint64) t.activation_round;
    info->deactivation_round = t.deactivation_round;
    lp_sqlite_set_u256 (&info->cumulative_rewards, t.cumulative_rewards);
    lp_sqlite_set_u256 (&info->cumulative_fees, t.cumulative_fees);
  }
  lp_sqlite_transcoder_clear (&t);
  lp_sqlite_delegator_clear (&d);
  return ok;
}

static gboolean
read_orchestrators (Tx * tx, gboolean active_only, GArray * out)
{
  g_autoptr (GArray) addresses = g_array_new (FALSE, FALSE, sizeof (LpAddress));
  sqlite3_stmt *stmt = lp_sqlite_prep (tx, "SELECT address FROM transcoders");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = lp_sqlite_step (tx, stmt)) == 1) {
    LpAddress address;
    lp_sqlite_column_address (stmt, 0, &address);
    g_array_append_val (addresses, address);
  }
  if (rc < 0)
    return FALSE;
  for (guint i = 0; i < addresses->len; i++) {
    LpLedgerOrchestrator info;
    if (!read_orchestrator (tx, &g_array_index (addresses, LpAddress, i),
            &info))
      return FALSE;
    if ((active_only && !info.active) || (!active_only && !info.registered
            && !info.active)) {
      lp_ledger_orchestrator_clear (&info);
      continue;
    }
    g_array_append_val (out, info);
  }
  g_array_sort (out, lp_ledger_orchestrator_compare_by_stake);
  return TRUE;
}

/* ---- the interface ------------------------------------------------------ */

/* As IN_TX() for a write, with the LpUint256 @amount converted to the
 * mpz_t `value` that @body reads (every call that moves an amount). */
#define IN_WRITE_TX_WITH_AMOUNT(ledger, amount, body) \
  G_STMT_START { \
    mpz_t value; \
    Tx tx; \
    gboolean ok_; \
    if (!lp_sqlite_tx_begin (SELF (ledger), &tx, TRUE, error)) \
      return FALSE; \
    mpz_init (value); \
    lp_sqlite_mpz_from_uint256 (value, amount); \
    ok_ = (body); \
    mpz_clear (value); \
    return lp_sqlite_tx_end (&tx, ok_, error); \
  } G_STMT_END

gboolean
lp_sqlite_get_account (LpLedger * ledger, const LpAddress * address,
    LpAccountInfo * info, GError ** error)
{
  IN_TX (ledger, FALSE, read_account (&tx, address, info));
}

gboolean
lp_sqlite_get_orchestrator (LpLedger * ledger, const LpAddress * address,
    LpLedgerOrchestrator * info, GError ** error)
{
  IN_TX (ledger, FALSE, read_orchestrator (&tx, address, info));
}

GArray *
lp_sqlite_list_orchestrators (LpLedger * ledger, gboolean active_only,
    GError ** error)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (LpLedgerOrchestrator));
  Tx tx;

  g_array_set_clear_func (out, lp_ledger_orchestrator_clear_func);
  if (!lp_sqlite_tx_begin (SELF (ledger), &tx, FALSE, error)) {
    g_array_unref (out);
    return NULL;
  }
  if (!lp_sqlite_tx_end (&tx, read_orchestrators (&tx, active_only, out),
          error)) {
    g_array_unref (out);
    return NULL;
  }
  return out;
}

gboolean
lp_sqlite_transfer (LpLedger * ledger, const LpAddress * from,
    const LpAddress * to, const LpUint256 * amount, GError ** error)
{
  IN_WRITE_TX_WITH_AMOUNT (ledger, amount, do_transfer (&tx, from, to, value));
}

gboolean
lp_sqlite_register_orchestrator (LpLedger * ledger,
    const LpAddress * orchestrator, guint64 reward_cut, guint64 fee_share,
    const gchar * service_uri, GError ** error)
{
  IN_TX (ledger, TRUE, do_register (&tx, orchestrator, reward_cut, fee_share,
          service_uri));
}

gboolean
lp_sqlite_bond (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * to, const LpUint256 * amount, GError ** error)
{
  IN_WRITE_TX_WITH_AMOUNT (ledger, amount, do_bond (&tx, owner, to, value));
}

gboolean
lp_sqlite_unbond (LpLedger * ledger, const LpAddress * owner,
    const LpUint256 * amount, guint64 * lock_id, GError ** error)
{
  IN_WRITE_TX_WITH_AMOUNT (ledger, amount, do_unbond (&tx, owner, value,
          lock_id));
}

gboolean
lp_sqlite_rebond (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * to, guint64 lock_id, GError ** error)
{
  IN_TX (ledger, TRUE, do_rebond (&tx, owner, to, lock_id));
}

gboolean
lp_sqlite_withdraw_stake (LpLedger * ledger, const LpAddress * owner,
    guint64 lock_id, GError ** error)
{
  IN_TX (ledger, TRUE, do_withdraw_stake (&tx, owner, lock_id));
}

gboolean
lp_sqlite_withdraw_fees (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * recipient, const LpUint256 * amount, GError ** error)
{
  IN_WRITE_TX_WITH_AMOUNT (ledger, amount, do_withdraw_fees (&tx, owner,
          recipient, value));
}

gboolean
lp_sqlite_claim_earnings (LpLedger * ledger, const LpAddress * owner,
    GError ** error)
{
  IN_TX (ledger, TRUE, do_claim (&tx, owner));
}

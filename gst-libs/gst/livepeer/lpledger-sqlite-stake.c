/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * The SQLite ledger's BondingManager books (docs/design/ledger.md,
 * "Bonding and the active set (BondingManager)", "Earnings pools and
 * cumulative factors (LIP-36)" and "The retroactive estimate"): delegator
 * and orchestrator rows and their voting checkpoints, earnings pools and
 * their cumulative reward and fee factors, the active set (joining,
 * eviction, resignation), total stake, rewards and fees entering a pool,
 * and pending stake and fees with their claim. The operations that use
 * them are in lpledger-sqlite-bonding.c, lpledger-sqlite-rounds.c (reward)
 * and lpledger-sqlite-tickets.c (fees).
 *
 * Every function here runs inside a transaction, the ledger's lock held
 * (lpledger-sqlite.c).
 */
#include "lpledger-sqlite-private.h"

#include <string.h>

/* ---- delegators --------------------------------------------------------- */

void
lp_sqlite_delegator_init (Delegator * d)
{
  memset (d, 0, sizeof (*d));
  mpz_inits (d->bonded, d->fees, d->delegated, NULL);
}

void
lp_sqlite_delegator_clear (Delegator * d)
{
  mpz_clears (d->bonded, d->fees, d->delegated, NULL);
}

gboolean
lp_sqlite_delegator_load (Tx * tx, const LpAddress * address, Delegator * d)
{
  sqlite3_stmt *stmt;
  gint rc = lp_sqlite_row_for_address (tx,
      "SELECT bonded, fees, delegate, delegated, "
      "start_round, last_claim_round, next_lock_id FROM delegators "
      "WHERE address = ?", address, &stmt);

  d->address = *address;
  if (rc < 0)
    return FALSE;
  if (rc == 0) {
    mpz_set_ui (d->bonded, 0);
    mpz_set_ui (d->fees, 0);
    mpz_set_ui (d->delegated, 0);
    memset (&d->delegate, 0, sizeof (d->delegate));
    d->start_round = d->last_claim_round = d->next_lock_id = 0;
    return TRUE;
  }
  lp_sqlite_column_mpz (stmt, 0, d->bonded);
  lp_sqlite_column_mpz (stmt, 1, d->fees);
  lp_sqlite_column_address (stmt, 2, &d->delegate);
  lp_sqlite_column_mpz (stmt, 3, d->delegated);
  d->start_round = sqlite3_column_int64 (stmt, 4);
  d->last_claim_round = sqlite3_column_int64 (stmt, 5);
  d->next_lock_id = sqlite3_column_int64 (stmt, 6);
  return TRUE;
}

gboolean
lp_sqlite_delegator_store (Tx * tx, const Delegator * d)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx, "INSERT OR REPLACE INTO delegators "
      "(address, bonded, fees, delegate, delegated, start_round, "
      "last_claim_round, next_lock_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");

  if (stmt == NULL)
    return FALSE;
  lp_sqlite_bind_address (stmt, 1, &d->address);
  if (!lp_sqlite_bind_mpz (tx, stmt, 2, d->bonded)
      || !lp_sqlite_bind_mpz (tx, stmt, 3, d->fees))
    return FALSE;
  lp_sqlite_bind_address (stmt, 4, &d->delegate);
  if (!lp_sqlite_bind_mpz (tx, stmt, 5, d->delegated))
    return FALSE;
  sqlite3_bind_int64 (stmt, 6, d->start_round);
  sqlite3_bind_int64 (stmt, 7, d->last_claim_round);
  sqlite3_bind_int64 (stmt, 8, d->next_lock_id);
  return lp_sqlite_step_done (tx, stmt);
}

LpDelegatorStatus
lp_sqlite_delegator_status (Tx * tx, const Delegator * d)
{
  if (mpz_sgn (d->bonded) == 0)
    return LP_DELEGATOR_UNBONDED;
  if (d->start_round > (gint64) tx->round)
    return LP_DELEGATOR_PENDING;
  return LP_DELEGATOR_BONDED;
}

gboolean
lp_sqlite_is_registered (const Delegator * d)
{
  return lp_address_equal (&d->delegate, &d->address)
      && mpz_sgn (d->bonded) > 0;
}

/* The delegator row of @address: its delegated amount is its total stake. */
gboolean
lp_sqlite_delegated_amount (Tx * tx, const LpAddress * address, mpz_t out)
{
  Delegator d;
  gboolean ok;

  lp_sqlite_delegator_init (&d);
  ok = lp_sqlite_delegator_load (tx, address, &d);
  mpz_set (out, d.delegated);
  lp_sqlite_delegator_clear (&d);
  return ok;
}

/* BondingVotes: the state a delegator's stake counts with from the next
 * round on. */
static gboolean
checkpoint (Tx * tx, const Delegator * d)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx, "INSERT OR REPLACE INTO checkpoints "
      "(address, start_round, bonded, delegate, delegated, last_claim_round) "
      "VALUES (?, ?, ?, ?, ?, ?)");

  if (stmt == NULL)
    return FALSE;
  lp_sqlite_bind_address (stmt, 1, &d->address);
  sqlite3_bind_int64 (stmt, 2, (gint64) tx->round + 1);
  if (!lp_sqlite_bind_mpz (tx, stmt, 3, d->bonded))
    return FALSE;
  lp_sqlite_bind_address (stmt, 4, &d->delegate);
  if (!lp_sqlite_bind_mpz (tx, stmt, 5, d->delegated))
    return FALSE;
  sqlite3_bind_int64 (stmt, 6, d->last_claim_round);
  return lp_sqlite_step_done (tx, stmt);
}

/* Loads the delegator at @address, runs @step on it and frees it. */
static gboolean
with_delegator (Tx * tx, const LpAddress * address,
    gboolean (*step) (Tx * tx, Delegator * d))
{
  Delegator d;
  gboolean ok;

  lp_sqlite_delegator_init (&d);
  ok = lp_sqlite_delegator_load (tx, address, &d) && step (tx, &d);
  lp_sqlite_delegator_clear (&d);
  return ok;
}

/* with_delegator()'s step: checkpoint() does not change @d */
static gboolean
checkpoint_step (Tx * tx, Delegator * d)
{
  return checkpoint (tx, d);
}

gboolean
lp_sqlite_checkpoint_address (Tx * tx, const LpAddress * address)
{
  return with_delegator (tx, address, checkpoint_step);
}

/* ---- transcoders and earnings pools ------------------------------------- */

void
lp_sqlite_transcoder_init (Transcoder * t)
{
  memset (t, 0, sizeof (*t));
  mpz_inits (t->active_cumulative_rewards, t->cumulative_rewards,
      t->cumulative_fees, NULL);
}

void
lp_sqlite_transcoder_clear (Transcoder * t)
{
  mpz_clears (t->active_cumulative_rewards, t->cumulative_rewards,
      t->cumulative_fees, NULL);
  g_free (t->service_uri);
}

gboolean
lp_sqlite_transcoder_load (Tx * tx, const LpAddress * address, Transcoder * t)
{
  sqlite3_stmt *stmt;
  gint rc = lp_sqlite_row_for_address (tx,
      "SELECT last_reward_round, reward_cut, "
      "fee_share, last_active_stake_update_round, activation_round, "
      "deactivation_round, last_fee_round, active_cumulative_rewards, "
      "cumulative_rewards, cumulative_fees, in_pool, service_uri "
      "FROM transcoders WHERE address = ?", address, &stmt);

  t->address = *address;
  g_clear_pointer (&t->service_uri, g_free);
  if (rc < 0)
    return FALSE;
  if (rc == 0) {
    t->last_reward_round = t->reward_cut = t->fee_share = 0;
    t->last_active_stake_update_round = t->activation_round = 0;
    t->deactivation_round = t->last_fee_round = 0;
    mpz_set_ui (t->active_cumulative_rewards, 0);
    mpz_set_ui (t->cumulative_rewards, 0);
    mpz_set_ui (t->cumulative_fees, 0);
    t->in_pool = FALSE;
    t->service_uri = g_strdup ("");
    return TRUE;
  }
  t->last_reward_round = sqlite3_column_int64 (stmt, 0);
  t->reward_cut = sqlite3_column_int64 (stmt, 1);
  t->fee_share = sqlite3_column_int64 (stmt, 2);
  t->last_active_stake_update_round = sqlite3_column_int64 (stmt, 3);
  t->activation_round = sqlite3_column_int64 (stmt, 4);
  t->deactivation_round = sqlite3_column_int64 (stmt, 5);
  t->last_fee_round = sqlite3_column_int64 (stmt, 6);
  lp_sqlite_column_mpz (stmt, 7, t->active_cumulative_rewards);
  lp_sqlite_column_mpz (stmt, 8, t->cumulative_rewards);
  lp_sqlite_column_mpz (stmt, 9, t->cumulative_fees);
  t->in_pool = sqlite3_column_int (stmt, 10) != 0;
  t->service_uri = g_strdup ((const gchar *) sqlite3_column_text (stmt, 11));
  return TRUE;
}

gboolean
lp_sqlite_transcoder_store (Tx * tx, const Transcoder * t)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx, "INSERT OR REPLACE INTO transcoders "
      "(address, last_reward_round, reward_cut, fee_share, "
      "last_active_stake_update_round, activation_round, deactivation_round, "
      "last_fee_round, active_cumulative_rewards, cumulative_rewards, "
      "cumulative_fees, in_pool, service_uri) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

  if (stmt == NULL)
    return FALSE;
  lp_sqlite_bind_address (stmt, 1, &t->address);
  sqlite3_bind_int64 (stmt, 2, t->last_reward_round);
  sqlite3_bind_int64 (stmt, 3, t->reward_cut);
  sqlite3_bind_int64 (stmt, 4, t->fee_share);
  sqlite3_bind_int64 (stmt, 5, t->last_active_stake_update_round);
  sqlite3_bind_int64 (stmt, 6, t->activation_round);
  sqlite3_bind_int64 (stmt, 7, t->deactivation_round);
  sqlite3_bind_int64 (stmt, 8, t->last_fee_round);
  if (!lp_sqlite_bind_mpz (tx, stmt, 9, t->active_cumulative_rewards)
      || !lp_sqlite_bind_mpz (tx, stmt, 10, t->cumulative_rewards)
      || !lp_sqlite_bind_mpz (tx, stmt, 11, t->cumulative_fees))
    return FALSE;
  sqlite3_bind_int (stmt, 12, t->in_pool ? 1 : 0);
  sqlite3_bind_text (stmt, 13, t->service_uri ? t->service_uri : "", -1,
      SQLITE_TRANSIENT);
  return lp_sqlite_step_done (tx, stmt);
}

gboolean
lp_sqlite_is_active (Tx * tx, const Transcoder * t)
{
  return t->activation_round <= (gint64) tx->round
      && (gint64) tx->round < t->deactivation_round;
}

void
lp_sqlite_pool_init (Pool * p)
{
  memset (p, 0, sizeof (*p));
  mpz_inits (p->total_stake, p->crf, p->cff, p->delegator_rewards,
      p->delegator_fees, NULL);
}

void
lp_sqlite_pool_clear (Pool * p)
{
  mpz_clears (p->total_stake, p->crf, p->cff, p->delegator_rewards,
      p->delegator_fees, NULL);
}

gboolean
lp_sqlite_pool_load (Tx * tx, const LpAddress * address, gint64 round, Pool * p)
{
  sqlite3_stmt *stmt;
  gint rc = lp_sqlite_row_for_address_round (tx,
      "SELECT total_stake, reward_cut, fee_share, "
      "crf, cff, delegator_rewards, delegator_fees FROM pools "
      "WHERE address = ? AND round = ?", address, round, &stmt);

  if (rc < 0)
    return FALSE;
  if (rc == 0) {
    mpz_set_ui (p->total_stake, 0);
    mpz_set_ui (p->crf, 0);
    mpz_set_ui (p->cff, 0);
    mpz_set_ui (p->delegator_rewards, 0);
    mpz_set_ui (p->delegator_fees, 0);
    p->reward_cut = p->fee_share = 0;
    return TRUE;
  }
  lp_sqlite_column_mpz (stmt, 0, p->total_stake);
  p->reward_cut = sqlite3_column_int64 (stmt, 1);
  p->fee_share = sqlite3_column_int64 (stmt, 2);
  lp_sqlite_column_mpz (stmt, 3, p->crf);
  lp_sqlite_column_mpz (stmt, 4, p->cff);
  lp_sqlite_column_mpz (stmt, 5, p->delegator_rewards);
  lp_sqlite_column_mpz (stmt, 6, p->delegator_fees);
  return TRUE;
}

gboolean
lp_sqlite_pool_open_round (Tx * tx, const Transcoder * t, gint64 round,
    Pool * pool)
{
  Pool last_update;
  gboolean ok;

  pool->reward_cut = t->reward_cut;
  pool->fee_share = t->fee_share;
  if (t->last_active_stake_update_round >= round)
    return TRUE;
  lp_sqlite_pool_init (&last_update);
  ok = lp_sqlite_pool_load (tx, &t->address,
      t->last_active_stake_update_round, &last_update);
  if (ok)
    mpz_set (pool->total_stake, last_update.total_stake);
  lp_sqlite_pool_clear (&last_update);
  return ok;
}

gboolean
lp_sqlite_pool_store (Tx * tx, const LpAddress * address, gint64 round,
    const Pool * p)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx,
      "INSERT OR REPLACE INTO pools (address, "
      "round, total_stake, reward_cut, fee_share, crf, cff, "
      "delegator_rewards, delegator_fees) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");

  if (stmt == NULL)
    return FALSE;
  lp_sqlite_bind_address (stmt, 1, address);
  sqlite3_bind_int64 (stmt, 2, round);
  if (!lp_sqlite_bind_mpz (tx, stmt, 3, p->total_stake))
    return FALSE;
  sqlite3_bind_int64 (stmt, 4, p->reward_cut);
  sqlite3_bind_int64 (stmt, 5, p->fee_share);
  if (!lp_sqlite_bind_mpz (tx, stmt, 6, p->crf)
      || !lp_sqlite_bind_mpz (tx, stmt, 7, p->cff)
      || !lp_sqlite_bind_mpz (tx, stmt, 8, p->delegator_rewards)
      || !lp_sqlite_bind_mpz (tx, stmt, 9, p->delegator_fees))
    return FALSE;
  return lp_sqlite_step_done (tx, stmt);
}

/* EarningsPool.setStake on the pool of @round */
static gboolean
pool_set_stake (Tx * tx, const LpAddress * address, gint64 round,
    const mpz_t stake)
{
  Pool p;
  gboolean ok;

  lp_sqlite_pool_init (&p);
  ok = lp_sqlite_pool_load (tx, address, round, &p);
  if (ok) {
    mpz_set (p.total_stake, stake);
    ok = lp_sqlite_pool_store (tx, address, round, &p);
  }
  lp_sqlite_pool_clear (&p);
  return ok;
}

/* cumulativeFactorsPool(): the stored factors of @round (zero if none) */
static gboolean
cumulative_factors (Tx * tx, const LpAddress * address, gint64 round,
    mpz_t crf, mpz_t cff)
{
  Pool p;
  gboolean ok;

  lp_sqlite_pool_init (&p);
  ok = lp_sqlite_pool_load (tx, address, round, &p);
  mpz_set (crf, p.crf);
  mpz_set (cff, p.cff);
  lp_sqlite_pool_clear (&p);
  return ok;
}

/* latestCumulativeFactorsPool(): falls back on the last reward and fee
 * rounds when they precede @round */
static gboolean
latest_cumulative_factors (Tx * tx, const Transcoder * t, gint64 round,
    mpz_t crf, mpz_t cff)
{
  mpz_t unused;

  if (!cumulative_factors (tx, &t->address, round, crf, cff))
    return FALSE;
  mpz_init (unused);
  if (mpz_sgn (crf) == 0 && t->last_reward_round < round
      && !cumulative_factors (tx, &t->address, t->last_reward_round, crf,
          unused))
    goto failed;
  if (mpz_sgn (cff) == 0 && t->last_fee_round < round
      && !cumulative_factors (tx, &t->address, t->last_fee_round, unused, cff))
    goto failed;
  mpz_clear (unused);
  return TRUE;
failed:
  mpz_clear (unused);
  return FALSE;
}

/* ensureInitializedCumulativeFactorsPool() */
gboolean
lp_sqlite_ensure_initialized_factors (Tx * tx, const LpAddress * address,
    gint64 round)
{
  Transcoder t;
  Pool p, source;
  gboolean ok, changed = FALSE;

  lp_sqlite_transcoder_init (&t);
  lp_sqlite_pool_init (&p);
  lp_sqlite_pool_init (&source);
  ok = lp_sqlite_transcoder_load (tx, address, &t)
      && lp_sqlite_pool_load (tx, address, round, &p);
  if (ok && mpz_sgn (p.crf) == 0 && t.last_reward_round < round) {
    ok = lp_sqlite_pool_load (tx, address, t.last_reward_round, &source);
    mpz_set (p.crf, source.crf);
    changed = TRUE;
  }
  if (ok && mpz_sgn (p.cff) == 0 && t.last_fee_round < round) {
    ok = lp_sqlite_pool_load (tx, address, t.last_fee_round, &source);
    mpz_set (p.cff, source.cff);
    changed = TRUE;
  }
  if (ok && changed)
    ok = lp_sqlite_pool_store (tx, address, round, &p);
  lp_sqlite_pool_clear (&source);
  lp_sqlite_pool_clear (&p);
  lp_sqlite_transcoder_clear (&t);
  return ok;
}

/* ---- the active set ----------------------------------------------------- */

gboolean
lp_sqlite_pool_size (Tx * tx, guint64 * size)
{
  sqlite3_stmt *stmt =
      lp_sqlite_prep (tx, "SELECT COUNT(*) FROM transcoders WHERE in_pool = 1");

  if (stmt == NULL || lp_sqlite_step (tx, stmt) != 1)
    return stmt != NULL ? lp_sqlite_storage_error (tx,
        "counting the active set") :
        FALSE;
  *size = (guint64) sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* The pool member with the least stake (the contracts' getLast()); ties go
 * to the highest address. */
gboolean
lp_sqlite_pool_last (Tx * tx, LpAddress * address, mpz_t stake,
    gboolean * found)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx, "SELECT d.address, d.delegated FROM "
      "transcoders t JOIN delegators d ON d.address = t.address "
      "LEFT JOIN pool_order o ON o.address = t.address WHERE t.in_pool = 1 "
      "ORDER BY d.delegated ASC, COALESCE (o.seq, 0) ASC, d.address DESC "
      "LIMIT 1");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  rc = lp_sqlite_step (tx, stmt);
  if (rc < 0)
    return FALSE;
  *found = rc == 1;
  if (rc == 1) {
    lp_sqlite_column_address (stmt, 0, address);
    lp_sqlite_column_mpz (stmt, 1, stake);
  }
  return TRUE;
}

/* SortedDoublyLL.insert / updateKey without hints: the member goes before
 * every other member of the same stake, so that among equal stakes the
 * pool's last (the one evicted) is the one inserted or re-keyed longest
 * ago */
static gboolean
move_to_front_of_equals (Tx * tx, const LpAddress * address)
{
  gint64 seq = 0;
  sqlite3_stmt *stmt;

  if (!lp_sqlite_state_get_i64 (tx, "pool-order-seq", 0, &seq)
      || !lp_sqlite_state_set_i64 (tx, "pool-order-seq", seq + 1))
    return FALSE;
  stmt = lp_sqlite_prep (tx,
      "INSERT OR REPLACE INTO pool_order (address, seq) VALUES (?, ?)");
  if (stmt == NULL)
    return FALSE;
  lp_sqlite_bind_address (stmt, 1, address);
  sqlite3_bind_int64 (stmt, 2, seq + 1);
  return lp_sqlite_step (tx, stmt) >= 0;
}

gboolean
lp_sqlite_set_in_pool (Tx * tx, const LpAddress * address, gboolean in_pool,
    gint64 activation_round, gint64 deactivation_round)
{
  Transcoder t;
  gboolean ok;

  lp_sqlite_transcoder_init (&t);
  ok = lp_sqlite_transcoder_load (tx, address, &t);
  if (ok) {
    t.in_pool = in_pool;
    if (activation_round >= 0) {
      t.activation_round = activation_round;
      t.last_active_stake_update_round = activation_round;
    }
    t.deactivation_round = deactivation_round;
    ok = lp_sqlite_transcoder_store (tx, &t);
  }
  lp_sqlite_transcoder_clear (&t);
  return ok;
}

/* tryToJoinActiveSet() */
gboolean
lp_sqlite_try_to_join_active_set (Tx * tx, const LpAddress * address,
    const mpz_t total_stake, gint64 activation_round)
{
  mpz_t pending, last_stake;
  LpAddress last;
  guint64 size;
  gboolean found, ok = FALSE;

  mpz_inits (pending, last_stake, NULL);
  if (!lp_sqlite_state_get_mpz (tx, "next-round-total-active-stake", pending)
      || !lp_sqlite_pool_size (tx, &size))
    goto done;
  if (size >= tx->params.num_active) {
    if (!lp_sqlite_pool_last (tx, &last, last_stake, &found))
      goto done;
    if (!found || mpz_cmp (total_stake, last_stake) <= 0) {
      ok = TRUE;                /* not enough stake to join: not an error */
      goto done;
    }
    if (!lp_sqlite_set_in_pool (tx, &last, FALSE, -1, activation_round))
      goto done;
    mpz_sub (pending, pending, last_stake);
  }
  if (!lp_sqlite_set_in_pool (tx, address, TRUE, activation_round,
          LP_LEDGER_MAX_FUTURE_ROUND)
      || !move_to_front_of_equals (tx, address)
      || !pool_set_stake (tx, address, activation_round, total_stake))
    goto done;
  mpz_add (pending, pending, total_stake);
  ok = lp_sqlite_state_set_mpz (tx, "next-round-total-active-stake", pending);
done:
  mpz_clears (pending, last_stake, NULL);
  return ok;
}

/* resignTranscoder() */
gboolean
lp_sqlite_resign (Tx * tx, const LpAddress * address)
{
  mpz_t stake;
  gboolean ok;

  mpz_init (stake);
  ok = lp_sqlite_delegated_amount (tx, address, stake)
      && lp_sqlite_state_sub_mpz (tx, "next-round-total-active-stake", stake)
      && lp_sqlite_set_in_pool (tx, address, FALSE, -1, (gint64) tx->round + 1);
  mpz_clear (stake);
  return ok;
}

/* The pool bookkeeping shared by increase and decrease: a transcoder
 * active now or next round gets this round's stake pinned (if not yet) and
 * the next round's set. */
static gboolean
update_stake_pools (Tx * tx, Transcoder * t, const mpz_t current_stake,
    const mpz_t new_stake)
{
  gint64 round = (gint64) tx->round;

  if (t->last_active_stake_update_round < round
      && !pool_set_stake (tx, &t->address, round, current_stake))
    return FALSE;
  if (!pool_set_stake (tx, &t->address, round + 1, new_stake))
    return FALSE;
  t->last_active_stake_update_round = round + 1;
  return lp_sqlite_transcoder_store (tx, t);
}

/* What increaseTotalStake() does to the next round's total and the pools
 * once @d's stake is to move from @current_stake to @new_stake: a
 * registered delegate outside the pool tries to join the active set. */
static gboolean
raise_totals (Tx * tx, const LpAddress * delegate, const Delegator * d,
    Transcoder * t, const mpz_t amount, const mpz_t current_stake,
    const mpz_t new_stake)
{
  gboolean active_now = lp_sqlite_is_active (tx, t), in_pool = t->in_pool;

  if (in_pool) {
    if (!lp_sqlite_state_add_mpz (tx, "next-round-total-active-stake", amount)
        || !move_to_front_of_equals (tx, delegate))
      return FALSE;
  } else if (lp_sqlite_is_registered (d)) {
    if (!lp_sqlite_try_to_join_active_set (tx, delegate, new_stake,
            (gint64) tx->round + 1))
      return FALSE;
  }
  if (!active_now && !in_pool)
    return TRUE;
  /* reload: joining the set may have changed the row */
  return lp_sqlite_transcoder_load (tx, delegate, t)
      && update_stake_pools (tx, t, current_stake, new_stake);
}

/* What decreaseTotalStake() does to the next round's total and the pools
 * once @d's stake is to move from @current_stake to @new_stake. */
static gboolean
lower_totals (Tx * tx, const LpAddress * delegate, const Delegator * d,
    Transcoder * t, const mpz_t amount, const mpz_t current_stake,
    const mpz_t new_stake)
{
  if (t->in_pool
      && (!lp_sqlite_state_sub_mpz (tx, "next-round-total-active-stake",
              amount) || !move_to_front_of_equals (tx, delegate)))
    return FALSE;
  if ((lp_sqlite_is_active (tx, t) || t->in_pool)
      && !update_stake_pools (tx, t, current_stake, new_stake))
    return FALSE;
  return TRUE;
}

/* Moves @delegate's own stake by @amount, up with @increase or down (never
 * below zero), updating the totals and pools first as the BondingManager's
 * increaseTotalStake() and decreaseTotalStake() do. */
static gboolean
move_total_stake (Tx * tx, const LpAddress * delegate, const mpz_t amount,
    gboolean increase)
{
  Delegator d;
  Transcoder t;
  mpz_t current_stake, new_stake;
  gboolean ok = FALSE;

  lp_sqlite_delegator_init (&d);
  lp_sqlite_transcoder_init (&t);
  mpz_inits (current_stake, new_stake, NULL);
  if (!lp_sqlite_delegator_load (tx, delegate, &d)
      || !lp_sqlite_transcoder_load (tx, delegate, &t))
    goto done;
  mpz_set (current_stake, d.delegated);
  if (increase) {
    mpz_add (new_stake, current_stake, amount);
  } else {
    mpz_sub (new_stake, current_stake, amount);
    if (mpz_sgn (new_stake) < 0) {
      lp_sqlite_refuse (tx,
          "Arithmetic underflow: a delegate's stake would go below "
          "zero");
      goto done;
    }
  }
  if (!(increase ? raise_totals : lower_totals) (tx, delegate, &d, &t,
          amount, current_stake, new_stake))
    goto done;
  mpz_set (d.delegated, new_stake);
  ok = lp_sqlite_delegator_store (tx, &d);
done:
  mpz_clears (current_stake, new_stake, NULL);
  lp_sqlite_transcoder_clear (&t);
  lp_sqlite_delegator_clear (&d);
  return ok;
}

/* increaseTotalStake() */
gboolean
lp_sqlite_increase_total_stake (Tx * tx, const LpAddress * delegate,
    const mpz_t amount)
{
  return move_total_stake (tx, delegate, amount, TRUE);
}

/* decreaseTotalStake() */
gboolean
lp_sqlite_decrease_total_stake (Tx * tx, const LpAddress * delegate,
    const mpz_t amount)
{
  return move_total_stake (tx, delegate, amount, FALSE);
}

/* ---- earnings ----------------------------------------------------------- */

/* pendingStakeAndFees() up to @end_round */
gboolean
lp_sqlite_pending_stake_and_fees (Tx * tx, const Delegator * d,
    gint64 end_round, mpz_t stake, mpz_t fees)
{
  Transcoder t;
  mpz_t start_crf, start_cff, end_crf, end_cff, earned;
  gboolean ok = FALSE;

  mpz_set (stake, d->bonded);
  mpz_set (fees, d->fees);
  if (lp_address_is_zero (&d->delegate))
    return TRUE;

  lp_sqlite_transcoder_init (&t);
  mpz_inits (start_crf, start_cff, end_crf, end_cff, earned, NULL);
  if (!lp_sqlite_transcoder_load (tx, &d->delegate, &t))
    goto done;
  if (d->last_claim_round + 1 <= end_round) {
    if (!cumulative_factors (tx, &d->delegate, d->last_claim_round,
            start_crf, start_cff)
        || !latest_cumulative_factors (tx, &t, end_round, end_crf, end_cff))
      goto done;
    if (mpz_sgn (start_crf) == 0)
      mpz_set (start_crf, lp_sqlite_precise_divisor);
    if (mpz_sgn (end_crf) == 0)
      mpz_set (end_crf, lp_sqlite_precise_divisor);
    lp_sqlite_perc_of_fraction (stake, d->bonded, end_crf, start_crf,
        lp_sqlite_precise_divisor);
    mpz_sub (earned, end_cff, start_cff);
    if (mpz_sgn (earned) < 0) {
      lp_sqlite_refuse (tx, "Arithmetic underflow in a cumulative fee factor");
      goto done;
    }
    lp_sqlite_perc_of_fraction (earned, d->bonded, earned, start_crf,
        lp_sqlite_precise_divisor);
    mpz_add (fees, d->fees, earned);
  }
  if (lp_address_equal (&d->delegate, &d->address)) {
    mpz_add (stake, stake, t.cumulative_rewards);
    mpz_add (fees, fees, t.cumulative_fees);
  }
  ok = TRUE;
done:
  mpz_clears (start_crf, start_cff, end_crf, end_cff, earned, NULL);
  lp_sqlite_transcoder_clear (&t);
  return ok;
}

/* updateDelegatorWithEarnings() through the current round; @d is updated
 * and stored. */
static gboolean
claim_into (Tx * tx, Delegator * d)
{
  gint64 round = (gint64) tx->round;

  if (d->last_claim_round >= round)
    return TRUE;
  if (!lp_address_is_zero (&d->delegate)) {
    mpz_t stake, fees;
    gboolean ok;

    mpz_inits (stake, fees, NULL);
    ok = lp_sqlite_pending_stake_and_fees (tx, d, round, stake, fees)
        && lp_sqlite_ensure_initialized_factors (tx, &d->delegate, round);
    if (ok && lp_address_equal (&d->delegate, &d->address)) {
      Transcoder t;
      lp_sqlite_transcoder_init (&t);
      ok = lp_sqlite_transcoder_load (tx, &d->address, &t);
      mpz_set_ui (t.cumulative_rewards, 0);
      mpz_set_ui (t.cumulative_fees, 0);
      ok = ok && lp_sqlite_transcoder_store (tx, &t);
      lp_sqlite_transcoder_clear (&t);
    }
    mpz_set (d->bonded, stake);
    mpz_set (d->fees, fees);
    mpz_clears (stake, fees, NULL);
    if (!ok)
      return FALSE;
  }
  d->last_claim_round = round;
  return lp_sqlite_delegator_store (tx, d);
}

/* _autoClaimEarnings() for @address */
gboolean
lp_sqlite_auto_claim (Tx * tx, const LpAddress * address)
{
  return with_delegator (tx, address, claim_into);
}

/* ---- rewards ------------------------------------------------------------ */

/* updateTranscoderWithRewards() */
gboolean
lp_sqlite_update_transcoder_with_rewards (Tx * tx, const LpAddress * address,
    const mpz_t rewards)
{
  Transcoder t;
  Pool pool;
  mpz_t prev_crf, unused, commission, delegators_rewards, stake_rewards, step;
  gint64 round = (gint64) tx->round;
  gboolean ok = FALSE;

  lp_sqlite_transcoder_init (&t);
  lp_sqlite_pool_init (&pool);
  mpz_inits (prev_crf, unused, commission, delegators_rewards, stake_rewards,
      step, NULL);
  if (!lp_sqlite_transcoder_load (tx, address, &t)
      || !lp_sqlite_pool_load (tx, address, round, &pool)
      || !cumulative_factors (tx, address, t.last_reward_round, prev_crf,
          unused))
    goto done;
  if (mpz_sgn (pool.total_stake) == 0) {
    lp_sqlite_refuse (tx, "Reward: the orchestrator has no stake in round %"
        G_GINT64_FORMAT, round);
    goto done;
  }
  mpz_set (t.active_cumulative_rewards, t.cumulative_rewards);
  lp_sqlite_perc_of_ui (commission, rewards, (guint64) pool.reward_cut,
      lp_sqlite_perc_divisor);
  mpz_sub (delegators_rewards, rewards, commission);
  lp_sqlite_perc_of_fraction (stake_rewards, delegators_rewards,
      t.active_cumulative_rewards, pool.total_stake, lp_sqlite_precise_divisor);
  mpz_add (t.cumulative_rewards, t.cumulative_rewards, stake_rewards);
  mpz_add (t.cumulative_rewards, t.cumulative_rewards, commission);
  if (mpz_sgn (prev_crf) == 0)
    mpz_set (prev_crf, lp_sqlite_precise_divisor);
  lp_sqlite_perc_of_fraction (step, prev_crf, delegators_rewards,
      pool.total_stake, lp_sqlite_precise_divisor);
  mpz_add (pool.crf, prev_crf, step);
  mpz_set (pool.delegator_rewards, delegators_rewards);
  ok = lp_sqlite_pool_store (tx, address, round, &pool)
      && lp_sqlite_transcoder_store (tx, &t)
      && lp_sqlite_increase_total_stake (tx, address, rewards);
done:
  mpz_clears (prev_crf, unused, commission, delegators_rewards, stake_rewards,
      step, NULL);
  lp_sqlite_pool_clear (&pool);
  lp_sqlite_transcoder_clear (&t);
  return ok;
}

/* ---- fees --------------------------------------------------------------- */

/* updateTranscoderWithFees() when the orchestrator called reward() this
 * round but not last round: last round's reward factor was never stored,
 * so it is made up from this round's. The rewards it assumes come from
 * the Minter's mintable PLUS what it has minted so far this round (its
 * mintable never shrinks as it mints), so the estimate counts the rewards
 * of everyone who called reward() earlier in the round and depends on
 * their order; see docs/design/ledger.md. @pool is this round's pool
 * (its factor already includes this round's reward); @prev_crf receives
 * the estimate. */
static gboolean
estimate_previous_crf (Tx * tx, const Pool * pool, mpz_t prev_crf)
{
  mpz_t mintable, minted, total_active, rewards, treasury_cut, part;
  gboolean ok;

  mpz_inits (mintable, minted, total_active, rewards, treasury_cut, part, NULL);
  ok = lp_sqlite_round_get_mint (tx, (gint64) tx->round, mintable, minted)
      && lp_sqlite_state_get_mpz (tx, "current-round-total-active-stake",
      total_active);
  /* reward() refuses a round without active stake, so this always holds
   * once reward() was called this round */
  if (ok && mpz_sgn (total_active) > 0) {
    mpz_add (mintable, mintable, minted);
    lp_sqlite_perc_of_fraction (rewards, mintable, pool->total_stake,
        total_active, lp_sqlite_precise_divisor);
    lp_sqlite_mpz_from_uint256 (treasury_cut, &tx->params.treasury_cut);
    lp_sqlite_perc_of (part, rewards, treasury_cut, lp_sqlite_precise_divisor);
    mpz_sub (rewards, rewards, part);
    lp_sqlite_perc_of_ui (part, rewards, (guint64) pool->reward_cut,
        lp_sqlite_perc_divisor);
    mpz_sub (rewards, rewards, part);
    mpz_add (rewards, rewards, pool->total_stake);
    lp_sqlite_perc_of_fraction (prev_crf, pool->crf, pool->total_stake, rewards,
        lp_sqlite_precise_divisor);
  }
  mpz_clears (mintable, minted, total_active, rewards, treasury_cut, part,
      NULL);
  return ok;
}

/* Fees go to a registered orchestrator (bonded to itself), active or not:
 * the compiled contracts' updateTranscoderWithFees requires
 * isRegisteredTranscoder (Livepeer's later releases require an active one) */
static gboolean
require_registered_recipient (Tx * tx, const LpAddress * address)
{
  Delegator d;
  gboolean ok;

  lp_sqlite_delegator_init (&d);
  ok = lp_sqlite_delegator_load (tx, address, &d);
  if (ok && !lp_sqlite_is_registered (&d)) {
    lp_sqlite_refuse (tx, "Redeem: the recipient %s is not a registered "
        "orchestrator (it has no stake bonded to itself)",
        lp_sqlite_address_text (address).text);
    ok = FALSE;
  }
  lp_sqlite_delegator_clear (&d);
  return ok;
}

/* BondingManager.updateTranscoderWithFees() */
gboolean
lp_sqlite_update_transcoder_with_fees (Tx * tx, const LpAddress * address,
    const mpz_t fees)
{
  Transcoder t;
  Pool pool;
  mpz_t prev_crf, prev_cff, active_rewards, delegators_fees, commission,
      stake_fees, step;
  gint64 round = (gint64) tx->round;
  gboolean ok = FALSE;

  lp_sqlite_transcoder_init (&t);
  lp_sqlite_pool_init (&pool);
  mpz_inits (prev_crf, prev_cff, active_rewards, delegators_fees, commission,
      stake_fees, step, NULL);
  if (!lp_sqlite_transcoder_load (tx, address, &t)
      || !require_registered_recipient (tx, address))
    goto done;
  if (!lp_sqlite_pool_load (tx, address, round, &pool)
      || !latest_cumulative_factors (tx, &t, round - 1, prev_crf, prev_cff))
    goto done;
  mpz_set (active_rewards, t.active_cumulative_rewards);
  if (round > t.last_reward_round) {
    if (!lp_sqlite_pool_open_round (tx, &t, round, &pool))
      goto done;
    mpz_set (active_rewards, t.cumulative_rewards);
  }
  if (mpz_sgn (pool.total_stake) == 0) {
    lp_sqlite_refuse (tx, "Redeem: the recipient has no stake in round %"
        G_GINT64_FORMAT, round);
    goto done;
  }
  if (mpz_sgn (prev_crf) == 0 && t.last_reward_round == round
      && !estimate_previous_crf (tx, &pool, prev_crf))
    goto done;
  lp_sqlite_perc_of_ui (delegators_fees, fees, (guint64) pool.fee_share,
      lp_sqlite_perc_divisor);
  mpz_sub (commission, fees, delegators_fees);
  lp_sqlite_perc_of_fraction (stake_fees, delegators_fees, active_rewards,
      pool.total_stake, lp_sqlite_precise_divisor);
  mpz_add (t.cumulative_fees, t.cumulative_fees, stake_fees);
  mpz_add (t.cumulative_fees, t.cumulative_fees, commission);
  if (mpz_sgn (prev_crf) == 0)
    mpz_set (prev_crf, lp_sqlite_precise_divisor);
  lp_sqlite_perc_of_fraction (step, prev_crf, delegators_fees, pool.total_stake,
      lp_sqlite_precise_divisor);
  if (mpz_sgn (pool.cff) == 0)
    mpz_add (pool.cff, prev_cff, step);
  else
    mpz_add (pool.cff, pool.cff, step);
  mpz_add (pool.delegator_fees, pool.delegator_fees, delegators_fees);
  t.last_fee_round = round;
  ok = lp_sqlite_pool_store (tx, address, round, &pool)
      && lp_sqlite_transcoder_store (tx, &t)
      && lp_sqlite_state_add_mpz (tx, "fees-credited", fees);
done:
  mpz_clears (prev_crf, prev_cff, active_rewards, delegators_fees, commission,
      stake_fees, step, NULL);
  lp_sqlite_pool_clear (&pool);
  lp_sqlite_transcoder_clear (&t);
  return ok;
}

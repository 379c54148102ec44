/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * The SQLite ledger's audit (docs/design/ledger.md, "The audit"): the exact
 * invariants over LPT, fees, tickets and the active set, and the
 * round-by-round recomputation of every delegator's claim against the
 * cumulative factors, with the room truncation and estimated reward
 * factors allow. lp_sqlite_audit() runs the storage check
 * (lpledger-sqlite.c) first.
 *
 * Every function taking a Tx runs inside one read transaction, the
 * ledger's lock held (lpledger-sqlite.c).
 */
#include "lpledger-sqlite-private.h"

/* ---- audit -------------------------------------------------------------- */

static gboolean
sum_column (Tx * tx, const gchar * sql, mpz_t sum)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx, sql);
  mpz_t value;
  gint rc;

  if (stmt == NULL)
    return FALSE;
  mpz_set_ui (sum, 0);
  mpz_init (value);
  while ((rc = lp_sqlite_step (tx, stmt)) == 1) {
    lp_sqlite_column_mpz (stmt, 0, value);
    mpz_add (sum, sum, value);
  }
  mpz_clear (value);
  return rc == 0;
}

static gboolean
audit_line (GString * report, gboolean holds, const gchar * name,
    const mpz_t left, const mpz_t right)
{
  gchar *a = mpz_get_str (NULL, 10, left);
  gchar *b = mpz_get_str (NULL, 10, right);

  g_string_append_printf (report, "%s %s: %s %s %s\n", holds ? "ok" : "FAILED",
      name, a, holds ? "=" : "!=", b);
  free (a);
  free (b);
  return holds;
}

/* The round-by-round recomputation of one delegator's claim, and the room
 * the contracts' arithmetic leaves around it. */
typedef struct
{
  mpq_t stake;
  mpq_t fees;
  guint events;                 /* rounds that gave the pool anything */
  mpq_t fee_room;               /* room for estimated reward factors */
} Naive;

static void
naive_init (Naive * n)
{
  mpq_inits (n->stake, n->fees, n->fee_room, NULL);
  n->events = 0;
}

static void
naive_clear (Naive * n)
{
  mpq_clears (n->stake, n->fees, n->fee_room, NULL);
}

/* @a × @num / @den, exactly */
static void
mpq_scaled (mpq_t out, const mpq_t a, const mpz_t num, const mpz_t den)
{
  mpq_t ratio;

  mpq_init (ratio);
  mpq_set_num (ratio, num);
  mpq_set_den (ratio, den);
  mpq_canonicalize (ratio);
  mpq_mul (out, a, ratio);
  mpq_clear (ratio);
}

/* Fees that reach a pool after its orchestrator called reward() in a round
 * whose previous round has no reward factor are credited with a factor
 * estimated back from this round's rewards (estimate_previous_crf()), not
 * with the real one. Their share of the round's fees is off by the ratio
 * (T + R_real) / (T + R_est), T the pool's stake, R_real and R_est the
 * delegators' real and assumed rewards. The estimate takes mintable +
 * minted-so-far and the Minter never mints past mintable, so both R lie in
 * [0, T × 2 × mintable / totalActive] and the ratio is within 2 ×
 * mintable / totalActive of 1. That is the room granted to the round's
 * fees, and only in rounds where an estimate was possible: the previous
 * round's factor is zero and this round's is not. */
static void
naive_fee_room (Naive * n, const mpq_t fee_share, const mpz_t mintable,
    const mpz_t total_active)
{
  mpq_t room;
  mpz_t twice;

  if (mpz_sgn (total_active) == 0)
    return;
  mpq_init (room);
  mpz_init (twice);
  mpz_mul_2exp (twice, mintable, 1);
  mpq_scaled (room, fee_share, twice, total_active);
  mpq_add (n->fee_room, n->fee_room, room);
  mpz_clear (twice);
  mpq_clear (room);
}

/* Round by round from the delegator's last claim: its fees on the stake it
 * had before the round's reward, then the reward, as exact fractions of
 * each round's pool. */
static gboolean
naive_claim (Tx * tx, const Delegator * d, Naive * n)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx,
      "SELECT p.total_stake, p.delegator_rewards, "
      "p.delegator_fees, p.crf, q.crf, r.mintable, r.total_active_stake "
      "FROM pools p LEFT JOIN pools q ON q.address = p.address AND "
      "q.round = p.round - 1 LEFT JOIN rounds r ON r.round = p.round "
      "WHERE p.address = ? AND p.round > ? AND p.round <= ? ORDER BY p.round");
  mpz_t total, rewards, pool_fees, crf, prev_crf, mintable, active;
  mpq_t share;
  gint rc;

  if (stmt == NULL)
    return FALSE;
  mpz_inits (total, rewards, pool_fees, crf, prev_crf, mintable, active, NULL);
  mpq_init (share);
  mpq_set_z (n->stake, d->bonded);
  mpq_set_z (n->fees, d->fees);
  lp_sqlite_bind_address (stmt, 1, &d->delegate);
  sqlite3_bind_int64 (stmt, 2, d->last_claim_round);
  sqlite3_bind_int64 (stmt, 3, (gint64) tx->round);
  while ((rc = lp_sqlite_step (tx, stmt)) == 1) {
    lp_sqlite_column_mpz (stmt, 0, total);
    lp_sqlite_column_mpz (stmt, 1, rewards);
    lp_sqlite_column_mpz (stmt, 2, pool_fees);
    lp_sqlite_column_mpz (stmt, 3, crf);
    lp_sqlite_column_mpz (stmt, 4, prev_crf);
    lp_sqlite_column_mpz (stmt, 5, mintable);
    lp_sqlite_column_mpz (stmt, 6, active);
    if (mpz_sgn (total) == 0 || (mpz_sgn (rewards) == 0
            && mpz_sgn (pool_fees) == 0))
      continue;
    n->events++;
    mpq_scaled (share, n->stake, pool_fees, total);
    mpq_add (n->fees, n->fees, share);
    if (mpz_sgn (pool_fees) > 0 && mpz_sgn (prev_crf) == 0
        && mpz_sgn (crf) > 0)
      naive_fee_room (n, share, mintable, active);
    mpq_scaled (share, n->stake, rewards, total);
    mpq_add (n->stake, n->stake, share);
  }
  mpq_clear (share);
  mpz_clears (total, rewards, pool_fees, crf, prev_crf, mintable, active,
      NULL);
  return rc == 0;
}

/* How far the factors' result may be from the exact one: one wei per
 * truncating step, plus the 1e-27 relative error of each factor update,
 * plus @room. */
static void
naive_bound (mpq_t bound, const mpq_t naive, guint events, const mpq_t room)
{
  mpz_t slack;

  mpz_init (slack);
  mpz_fdiv_q (slack, mpq_numref (naive), mpq_denref (naive));
  mpz_mul_ui (slack, slack, 4 * (events + 1));
  mpz_fdiv_q (slack, slack, lp_sqlite_precise_divisor);
  mpz_add_ui (slack, slack, 2 + 2 * (gulong) events);
  mpq_set_z (bound, slack);
  mpq_add (bound, bound, room);
  mpz_clear (slack);
}

/* Checks one quantity (stake or fees) of a claim against its recomputation
 * and names it when they disagree. */
static void
audit_quantity (GString * report, const LpAddress * owner, const gchar * what,
    const mpz_t computed, const mpq_t naive, guint events, const mpq_t room,
    gboolean * holds)
{
  mpq_t diff, bound;
  mpz_t whole;
  gchar *a, *b, *c;

  mpq_inits (diff, bound, NULL);
  mpq_set_z (diff, computed);
  mpq_sub (diff, diff, naive);
  mpq_abs (diff, diff);
  naive_bound (bound, naive, events, room);
  if (mpq_cmp (diff, bound) > 0) {
    mpz_init (whole);
    a = mpz_get_str (NULL, 10, computed);
    mpz_fdiv_q (whole, mpq_numref (naive), mpq_denref (naive));
    b = mpz_get_str (NULL, 10, whole);
    mpz_fdiv_q (whole, mpq_numref (bound), mpq_denref (bound));
    c = mpz_get_str (NULL, 10, whole);
    g_string_append_printf (report, "FAILED the claim of %s: pending %s %s "
        "(factors) differs from the round-by-round recomputation (%s) by "
        "more than the %s wei that truncation and estimated reward factors "
        "allow\n", lp_sqlite_address_text (owner).text, what, a, b, c);
    free (a);
    free (b);
    free (c);
    mpz_clear (whole);
    *holds = FALSE;
  }
  mpq_clears (diff, bound, NULL);
}

static gboolean
audit_naive (Tx * tx, const Delegator * d, const mpz_t stake,
    const mpz_t fees, GString * report, gboolean * holds)
{
  Naive n;
  mpq_t none;
  gboolean ok;

  /* an orchestrator's own earnings also come through its cumulative
   * rewards and fees, which this plain recomputation leaves out */
  if (lp_address_equal (&d->delegate, &d->address))
    return TRUE;
  naive_init (&n);
  mpq_init (none);
  ok = naive_claim (tx, d, &n);
  if (ok) {
    /* the estimate changes no reward factor: stake gets no extra room */
    audit_quantity (report, &d->address, "stake", stake, n.stake, n.events,
        none, holds);
    audit_quantity (report, &d->address, "fees", fees, n.fees, n.events,
        n.fee_room, holds);
  }
  mpq_clear (none);
  naive_clear (&n);
  return ok;
}

/* Every delegator's claimable stake and fees from the cumulative factors;
 * per delegate, what its delegators may claim must fit in its stake. */
static gboolean
audit_claims (Tx * tx, GString * report, gboolean * holds)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx, "SELECT address FROM delegators "
      "WHERE delegate != zeroblob(20) ORDER BY delegate");
  g_autoptr (GArray) owners = g_array_new (FALSE, FALSE, sizeof (LpAddress));
  GHashTable *claims = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
      (GDestroyNotify) g_bytes_unref, g_free);
  mpz_t stake, fees, all_fees, minter_fees, held;
  GHashTableIter iter;
  gpointer key, value;
  gint rc;
  gboolean ok = FALSE;

  mpz_inits (stake, fees, all_fees, minter_fees, held, NULL);
  if (stmt == NULL)
    goto done;
  while ((rc = lp_sqlite_step (tx, stmt)) == 1) {
    LpAddress address;
    lp_sqlite_column_address (stmt, 0, &address);
    g_array_append_val (owners, address);
  }
  if (rc < 0)
    goto done;
  for (guint i = 0; i < owners->len; i++) {
    Delegator d;
    GBytes *delegate;
    gchar *sum;
    mpz_t total;
    lp_sqlite_delegator_init (&d);
    if (!lp_sqlite_delegator_load (tx, &g_array_index (owners, LpAddress, i),
            &d)
        || !lp_sqlite_pending_stake_and_fees (tx, &d, (gint64) tx->round, stake,
            fees)
        || !audit_naive (tx, &d, stake, fees, report, holds)) {
      lp_sqlite_delegator_clear (&d);
      goto done;
    }
    mpz_add (all_fees, all_fees, fees);
    delegate = g_bytes_new (d.delegate.bytes, LP_ADDRESS_SIZE);
    sum = g_hash_table_lookup (claims, delegate);
    mpz_init_set_str (total, sum != NULL ? sum : "0", 10);
    mpz_add (total, total, stake);
    g_hash_table_replace (claims, delegate, mpz_get_str (NULL, 10, total));
    mpz_clear (total);
    lp_sqlite_delegator_clear (&d);
  }
  g_hash_table_iter_init (&iter, claims);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    LpAddress delegate;
    mpz_t claimed;
    memcpy (delegate.bytes, g_bytes_get_data (key, NULL), LP_ADDRESS_SIZE);
    if (!lp_sqlite_delegated_amount (tx, &delegate, held))
      goto done;
    mpz_init_set_str (claimed, value, 10);
    if (mpz_cmp (claimed, held) > 0) {
      g_autofree gchar *text = g_strdup_printf ("stake owed to the "
          "delegators of %s is within its total stake",
          lp_sqlite_address_text (&delegate).text);
      audit_line (report, FALSE, text, claimed, held);
      *holds = FALSE;
    }
    mpz_clear (claimed);
  }
  g_string_append_printf (report, "%s every delegate holds the stake its %u "
      "delegators may claim, and each claim agrees with its round-by-round "
      "recomputation\n", *holds ? "ok" : "FAILED", owners->len);
  if (!lp_sqlite_state_get_mpz (tx, "minter-fees", minter_fees))
    goto done;
  if (mpz_cmp (all_fees, minter_fees) > 0) {
    audit_line (report, FALSE, "claimable fees are within the fees held",
        all_fees, minter_fees);
    *holds = FALSE;
  } else {
    g_string_append (report, "ok claimable fees are within the fees held\n");
  }
  ok = TRUE;
done:
  g_hash_table_unref (claims);
  mpz_clears (stake, fees, all_fees, minter_fees, held, NULL);
  return ok;
}

static gboolean
audit_lpt (Tx * tx, GString * report, gboolean * holds)
{
  mpz_t supply, parts, value, genesis, minted, burned, rounds_minted;
  gboolean lpt_fees = tx->params.fee_asset == LP_FEE_ASSET_LPT;
  gboolean ok;

  mpz_inits (supply, parts, value, genesis, minted, burned, rounds_minted,
      NULL);
  ok = lp_sqlite_state_get_mpz (tx, "total-supply", supply)
      && sum_column (tx, "SELECT lpt FROM accounts", parts)
      && sum_column (tx, "SELECT delegated FROM delegators", value);
  mpz_add (parts, parts, value);
  ok = ok && sum_column (tx, "SELECT amount FROM locks", value);
  mpz_add (parts, parts, value);
  ok = ok && lp_sqlite_state_get_mpz (tx, "treasury", value);
  mpz_add (parts, parts, value);
  if (lpt_fees) {
    ok = ok && sum_column (tx, "SELECT deposit FROM senders", value);
    mpz_add (parts, parts, value);
    ok = ok && sum_column (tx, "SELECT reserve FROM senders", value);
    mpz_add (parts, parts, value);
    ok = ok && lp_sqlite_state_get_mpz (tx, "minter-fees", value);
    mpz_add (parts, parts, value);
  }
  if (ok)
    *holds &= audit_line (report, mpz_cmp (parts, supply) == 0, lpt_fees ?
        "LPT: balances + bonded + unbonding + treasury + deposits + reserves "
        "+ unwithdrawn fees = total supply" :
        "LPT: balances + bonded + unbonding + treasury = total supply", parts,
        supply);
  ok = ok && lp_sqlite_state_get_mpz (tx, "genesis-supply", genesis)
      && lp_sqlite_state_get_mpz (tx, "minted-total", minted)
      && lp_sqlite_state_get_mpz (tx, "burned-total", burned)
      && sum_column (tx, "SELECT minted FROM rounds", rounds_minted);
  mpz_add (value, genesis, minted);
  mpz_sub (value, value, burned);
  if (ok) {
    *holds &= audit_line (report, mpz_cmp (value, supply) == 0,
        "LPT: genesis + minted rewards - slashed = total supply", value,
        supply);
    *holds &= audit_line (report, mpz_cmp (minted, rounds_minted) == 0,
        "LPT: minted = sum of every round's rewards", minted, rounds_minted);
  }
  mpz_clears (supply, parts, value, genesis, minted, burned, rounds_minted,
      NULL);
  return ok;
}

static gboolean
audit_fees (Tx * tx, GString * report, gboolean * holds)
{
  mpz_t held, expected, funded, withdrawn, paid, credited, tickets, fees_out,
      minter_fees, value;
  gboolean ok;

  mpz_inits (held, expected, funded, withdrawn, paid, credited, tickets,
      fees_out, minter_fees, value, NULL);
  ok = sum_column (tx, "SELECT deposit FROM senders", held)
      && sum_column (tx, "SELECT reserve FROM senders", value)
      && lp_sqlite_state_get_mpz (tx, "fees-funded", funded)
      && lp_sqlite_state_get_mpz (tx, "fees-withdrawn-by-senders", withdrawn)
      && lp_sqlite_state_get_mpz (tx, "fees-paid", paid)
      && lp_sqlite_state_get_mpz (tx, "fees-credited", credited)
      && lp_sqlite_state_get_mpz (tx, "fees-withdrawn", fees_out)
      && lp_sqlite_state_get_mpz (tx, "minter-fees", minter_fees)
      && sum_column (tx, "SELECT paid FROM tickets", tickets);
  if (!ok)
    goto done;
  mpz_add (held, held, value);
  mpz_sub (expected, funded, withdrawn);
  mpz_sub (expected, expected, paid);
  *holds &= audit_line (report, mpz_cmp (held, expected) == 0,
      "fees: deposits + reserves = funded - withdrawn - paid out", held,
      expected);
  *holds &= audit_line (report, mpz_cmp (paid, credited) == 0,
      "fees: paid out = credited to earnings pools", paid, credited);
  *holds &= audit_line (report, mpz_cmp (paid, tickets) == 0,
      "fees: paid out = sum over redeemed tickets", paid, tickets);
  mpz_sub (value, paid, fees_out);
  *holds &= audit_line (report, mpz_cmp (value, minter_fees) == 0,
      "fees: held for delegators = paid out - withdrawn by delegators", value,
      minter_fees);
  if (tx->params.fee_asset == LP_FEE_ASSET_ETH) {
    /* no ETH is ever made or destroyed */
    if (!sum_column (tx, "SELECT eth FROM accounts", value)
        || !lp_sqlite_state_get_mpz (tx, "genesis-eth", expected)) {
      ok = FALSE;
      goto done;
    }
    mpz_add (value, value, held);
    mpz_add (value, value, minter_fees);
    *holds &= audit_line (report, mpz_cmp (value, expected) == 0,
        "ETH: balances + deposits + reserves + fees held = genesis ETH",
        value, expected);
  }
done:
  mpz_clears (held, expected, funded, withdrawn, paid, credited, tickets,
      fees_out, minter_fees, value, NULL);
  return ok;
}

static gboolean
audit_structure (Tx * tx, GString * report, gboolean * holds)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx,
      "SELECT COUNT(*), COUNT(DISTINCT hash) FROM "
      "tickets");
  mpz_t count, distinct, pool_stake, next_active;
  gboolean ok;

  if (stmt == NULL || lp_sqlite_step (tx, stmt) != 1)
    return FALSE;
  mpz_inits (count, distinct, pool_stake, next_active, NULL);
  mpz_set_si (count, sqlite3_column_int64 (stmt, 0));
  mpz_set_si (distinct, sqlite3_column_int64 (stmt, 1));
  *holds &= audit_line (report, mpz_cmp (count, distinct) == 0,
      "tickets: redeemed tickets = distinct ticket hashes (none twice)", count,
      distinct);
  /* a redemption takes its ticket out of the queue and the queue turns
   * redeemed tickets away: one both queued and redeemed means one of the
   * two broke, and a worker would try to redeem it again */
  stmt = lp_sqlite_prep (tx,
      "SELECT COUNT(*) FROM queued_tickets WHERE hash IN "
      "(SELECT hash FROM tickets)");
  ok = stmt != NULL && lp_sqlite_step (tx, stmt) == 1;
  if (ok) {
    mpz_set_si (count, sqlite3_column_int64 (stmt, 0));
    mpz_set_ui (distinct, 0);
    *holds &= audit_line (report, mpz_sgn (count) == 0,
        "tickets: queued tickets that are also redeemed (none may be)", count,
        distinct);
  }
  ok = ok && sum_column (tx, "SELECT d.delegated FROM transcoders t JOIN "
      "delegators d ON d.address = t.address WHERE t.in_pool = 1", pool_stake)
      && lp_sqlite_state_get_mpz (tx, "next-round-total-active-stake",
      next_active);
  if (ok)
    *holds &= audit_line (report, mpz_cmp (pool_stake, next_active) == 0,
        "active set: next round's total active stake = its members' stake",
        pool_stake, next_active);
  mpz_clears (count, distinct, pool_stake, next_active, NULL);
  return ok;
}

static gboolean
do_audit (Tx * tx, GString * report, gboolean * holds)
{
  *holds = TRUE;
  return audit_lpt (tx, report, holds) && audit_fees (tx, report, holds)
      && audit_structure (tx, report, holds)
      && audit_claims (tx, report, holds);
}

/* ---- the interface ------------------------------------------------------ */

gboolean
lp_sqlite_audit (LpLedger * ledger, GString * report, GError ** error)
{
  Tx tx;
  gboolean holds = FALSE;

  /* invariants read through a damaged index can hold by accident */
  if (!lp_sqlite_check_storage (ledger, report, error))
    return FALSE;
  if (!lp_sqlite_tx_begin (SELF (ledger), &tx, FALSE, error))
    return FALSE;
  if (!lp_sqlite_tx_end (&tx, do_audit (&tx, report, &holds), error))
    return FALSE;
  return holds;
}

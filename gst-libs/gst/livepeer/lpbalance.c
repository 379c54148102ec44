/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:lpbalance
 * @title: LpBalances
 * @short_description: exact credit balances per (address, session)
 *
 * #LpRational holds an exact amount of wei; #LpBalances a table of them
 * keyed by (address, session id), each forgotten after
 * %LP_BALANCE_IDLE_TIMEOUT without an update (lp_balances_purge()).
 *
 * A broadcaster pays a segment in three steps (go-livepeer's accounting):
 * lp_balances_stage_update() takes the whole balance out ("reserves" it)
 * and says how many tickets to attach:
 * `ceil((max(fee, ticketEV) − existing) / ticketEV)` when the balance is
 * short, else none; lp_balances_complete_update() then puts back, per
 * outcome, the reserved balance (never sent), nothing (sent, no valid
 * result), or `existing + newCredit − pixels × price` (result received).
 *
 * Times are the caller's clock in microseconds (g_get_monotonic_time()
 * normally), so tests can age balances without waiting.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>
#include <gmp.h>

#include "lpbalance.h"

G_DEFINE_QUARK (lp-balance-error-quark, lp_balance_error);

struct _LpRational
{
  mpq_t q;
};

G_DEFINE_BOXED_TYPE (LpRational, lp_rational, lp_rational_copy,
    lp_rational_free);

static void
mpz_from_uint256 (mpz_t z, const LpUint256 * value)
{
  mpz_import (z, LP_UINT256_SIZE, 1, 1, 1, 0, value->be);
}

static void
mpz_set_u64 (mpz_t z, guint64 value)
{
  mpz_import (z, 1, 1, sizeof (value), 0, 0, &value);
}

/**
 * lp_rational_new:
 *
 * Returns: (transfer full): a new #LpRational of value 0
 */
LpRational *
lp_rational_new (void)
{
  LpRational *r = g_new (LpRational, 1);

  mpq_init (r->q);
  return r;
}

/**
 * lp_rational_new_uint256:
 * @value: (transfer none): an integer
 *
 * Returns: (transfer full): a new #LpRational equal to @value
 */
LpRational *
lp_rational_new_uint256 (const LpUint256 * value)
{
  LpRational *r;

  g_return_val_if_fail (value != NULL, NULL);

  r = lp_rational_new ();
  mpz_from_uint256 (mpq_numref (r->q), value);
  return r;
}

/**
 * lp_rational_new_uint64:
 * @num: numerator
 * @den: denominator, not 0
 *
 * Returns: (transfer full): a new #LpRational equal to @num / @den
 */
LpRational *
lp_rational_new_uint64 (guint64 num, guint64 den)
{
  LpRational *r;

  g_return_val_if_fail (den != 0, NULL);

  r = lp_rational_new ();
  mpz_set_u64 (mpq_numref (r->q), num);
  mpz_set_u64 (mpq_denref (r->q), den);
  mpq_canonicalize (r->q);
  return r;
}

/**
 * lp_rational_new_ticket_ev:
 * @face_value: (transfer none): a ticket's face value
 * @win_prob: (transfer none): its winning threshold
 *
 * Returns: (transfer full): the ticket's exact expected value,
 *     `faceValue × winProb / (2^256−1)`
 */
LpRational *
lp_rational_new_ticket_ev (const LpUint256 * face_value,
    const LpUint256 * win_prob)
{
  LpRational *r;
  mpz_t w;

  g_return_val_if_fail (face_value != NULL && win_prob != NULL, NULL);

  r = lp_rational_new ();
  mpz_init (w);
  mpz_from_uint256 (mpq_numref (r->q), face_value);
  mpz_from_uint256 (w, win_prob);
  mpz_mul (mpq_numref (r->q), mpq_numref (r->q), w);
  mpz_ui_pow_ui (mpq_denref (r->q), 2, 256);
  mpz_sub_ui (mpq_denref (r->q), mpq_denref (r->q), 1);
  mpq_canonicalize (r->q);
  mpz_clear (w);
  return r;
}

/**
 * lp_rational_new_price:
 * @price: (transfer none): a price
 * @pixels: a number of pixels
 * @error: (nullable): return location for a #GError
 *
 * Returns: (transfer full) (nullable): the fee of @pixels at @price,
 *     `pixels × pricePerUnit / pixelsPerUnit`; %NULL with
 *     %LP_BALANCE_ERROR_INVALID_PRICE when @price is invalid
 */
LpRational *
lp_rational_new_price (const LpPriceInfo * price, guint64 pixels,
    GError ** error)
{
  LpRational *r;
  mpz_t p;

  g_return_val_if_fail (price != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!lp_price_info_is_valid (price)) {
    g_set_error_literal (error, LP_BALANCE_ERROR,
        LP_BALANCE_ERROR_INVALID_PRICE, "Invalid price: 0 pixels per unit");
    return NULL;
  }
  r = lp_rational_new_uint64 (price->price_per_unit, price->pixels_per_unit);
  mpz_init (p);
  mpz_set_u64 (p, pixels);
  mpz_mul (mpq_numref (r->q), mpq_numref (r->q), p);
  mpq_canonicalize (r->q);
  mpz_clear (p);
  return r;
}

/**
 * lp_rational_copy:
 * @value: (transfer none): a rational
 *
 * Returns: (transfer full): a copy of @value
 */
LpRational *
lp_rational_copy (const LpRational * value)
{
  LpRational *r;

  g_return_val_if_fail (value != NULL, NULL);

  r = lp_rational_new ();
  mpq_set (r->q, value->q);
  return r;
}

/**
 * lp_rational_free:
 * @value: (transfer full) (nullable): a rational
 *
 * Frees @value.
 */
void
lp_rational_free (LpRational * value)
{
  if (value == NULL)
    return;
  mpq_clear (value->q);
  g_free (value);
}

/**
 * lp_rational_add:
 * @value: (transfer none): the rational to change
 * @other: (transfer none): what to add
 *
 * @value += @other.
 */
void
lp_rational_add (LpRational * value, const LpRational * other)
{
  g_return_if_fail (value != NULL && other != NULL);

  mpq_add (value->q, value->q, other->q);
}

/**
 * lp_rational_sub:
 * @value: (transfer none): the rational to change
 * @other: (transfer none): what to subtract
 *
 * @value −= @other (the result may be negative).
 */
void
lp_rational_sub (LpRational * value, const LpRational * other)
{
  g_return_if_fail (value != NULL && other != NULL);

  mpq_sub (value->q, value->q, other->q);
}

/**
 * lp_rational_mul:
 * @value: (transfer none): the rational to change
 * @other: (transfer none): the factor
 *
 * @value ×= @other.
 */
void
lp_rational_mul (LpRational * value, const LpRational * other)
{
  g_return_if_fail (value != NULL && other != NULL);

  mpq_mul (value->q, value->q, other->q);
}

/**
 * lp_rational_mul_uint64:
 * @value: (transfer none): the rational to change
 * @factor: a factor
 *
 * @value ×= @factor.
 */
void
lp_rational_mul_uint64 (LpRational * value, guint64 factor)
{
  mpz_t f;

  g_return_if_fail (value != NULL);

  mpz_init (f);
  mpz_set_u64 (f, factor);
  mpz_mul (mpq_numref (value->q), mpq_numref (value->q), f);
  mpq_canonicalize (value->q);
  mpz_clear (f);
}

/**
 * lp_rational_cmp:
 * @a: (transfer none): a rational
 * @b: (transfer none): another
 *
 * Returns: a negative number, 0 or a positive number as @a is below,
 *     equal to or above @b
 */
gint
lp_rational_cmp (const LpRational * a, const LpRational * b)
{
  g_return_val_if_fail (a != NULL && b != NULL, 0);

  return mpq_cmp (a->q, b->q);
}

/**
 * lp_rational_sign:
 * @value: (transfer none): a rational
 *
 * Returns: -1, 0 or 1
 */
gint
lp_rational_sign (const LpRational * value)
{
  g_return_val_if_fail (value != NULL, 0);

  return mpq_sgn (value->q);
}

/**
 * lp_rational_equal:
 * @a: (transfer none): a rational
 * @b: (transfer none): another
 *
 * Returns: %TRUE when @a equals @b exactly
 */
gboolean
lp_rational_equal (const LpRational * a, const LpRational * b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return mpq_equal (a->q, b->q) != 0;
}

/**
 * lp_rational_is_integer:
 * @value: (transfer none): a rational
 *
 * Returns: %TRUE when @value is a whole number of wei
 */
gboolean
lp_rational_is_integer (const LpRational * value)
{
  g_return_val_if_fail (value != NULL, FALSE);

  return mpz_cmp_ui (mpq_denref (value->q), 1) == 0;
}

/**
 * lp_rational_to_string:
 * @value: (transfer none): a rational
 *
 * Returns: (transfer full): @value exactly, in lowest terms: "num/den", or
 *     just "num" for an integer (as Go's big.Rat.RatString), for example
 *     "-3/2" or "8000000000"
 */
gchar *
lp_rational_to_string (const LpRational * value)
{
  gchar *text, *tmp;

  g_return_val_if_fail (value != NULL, NULL);

  if (lp_rational_is_integer (value)) {
    tmp = mpz_get_str (NULL, 10, mpq_numref (value->q));
  } else {
    tmp = mpq_get_str (NULL, 10, value->q);
  }
  text = g_strdup (tmp);
  /* GMP allocated it with its default allocator, which is malloc */
  free (tmp);
  return text;
}

/**
 * lp_rational_floor_to_string:
 * @value: (transfer none): a rational
 *
 * Returns: (transfer full): the largest integer not above @value, in
 *     decimal (wei), for example "-2" for −3/2
 */
gchar *
lp_rational_floor_to_string (const LpRational * value)
{
  gchar *text, *tmp;
  mpz_t f;

  g_return_val_if_fail (value != NULL, NULL);

  mpz_init (f);
  mpz_fdiv_q (f, mpq_numref (value->q), mpq_denref (value->q));
  tmp = mpz_get_str (NULL, 10, f);
  text = g_strdup (tmp);
  free (tmp);
  mpz_clear (f);
  return text;
}

/**
 * lp_tickets_needed:
 * @fee: (transfer none): the estimated fee of what is about to be sent
 * @ev: (transfer none): one ticket's expected value, above 0
 * @balance: (transfer none): the credit already held
 * @n_tickets: (out): how many tickets to send
 * @error: (nullable): return location for a #GError
 *
 * docs/design/protocol.md §4: with `minCredit = max(fee, ev)`, no ticket when
 * @balance ≥ minCredit, else `ceil((minCredit − balance) / ev)`.
 *
 * Returns: %TRUE on success; %FALSE with %LP_BALANCE_ERROR_ZERO_EV when
 *     tickets are needed but @ev is not positive, or
 *     %LP_BALANCE_ERROR_TOO_MANY_TICKETS
 */
gboolean
lp_tickets_needed (const LpRational * fee, const LpRational * ev,
    const LpRational * balance, guint * n_tickets, GError ** error)
{
  const LpRational *min_credit;
  mpq_t short_by;
  mpz_t count;
  gboolean ok = TRUE;

  g_return_val_if_fail (fee != NULL && ev != NULL && balance != NULL, FALSE);
  g_return_val_if_fail (n_tickets != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *n_tickets = 0;
  min_credit = mpq_cmp (fee->q, ev->q) >= 0 ? fee : ev;
  if (mpq_cmp (balance->q, min_credit->q) >= 0)
    return TRUE;
  if (mpq_sgn (ev->q) <= 0) {
    g_set_error_literal (error, LP_BALANCE_ERROR, LP_BALANCE_ERROR_ZERO_EV,
        "Ticket expected value is 0: tickets cannot buy credit");
    return FALSE;
  }

  mpq_init (short_by);
  mpz_init (count);
  mpq_sub (short_by, min_credit->q, balance->q);
  mpq_div (short_by, short_by, ev->q);
  mpz_cdiv_q (count, mpq_numref (short_by), mpq_denref (short_by));
  if (!mpz_fits_uint_p (count)) {
    g_set_error_literal (error, LP_BALANCE_ERROR,
        LP_BALANCE_ERROR_TOO_MANY_TICKETS,
        "The credit needed takes too many tickets");
    ok = FALSE;
  } else {
    *n_tickets = (guint) mpz_get_ui (count);
  }
  mpz_clear (count);
  mpq_clear (short_by);
  return ok;
}

/* ---- balances ---- */

struct _LpBalances
{
  GMutex lock;
  /* "0x<address hex>/<session>" -> Entry */
  GHashTable *entries;
};

typedef struct
{
  mpq_t amount;
  gint64 updated;
} Entry;

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  mpq_clear (entry->amount);
  g_free (entry);
}

static gchar *
make_key (const LpAddress * address, const gchar * session_id)
{
  static const gchar digits[] = "0123456789abcdef";
  gsize session_length = strlen (session_id);
  gchar *key = g_malloc (2 * LP_ADDRESS_SIZE + 1 + session_length + 1);
  guint i;

  for (i = 0; i < LP_ADDRESS_SIZE; i++) {
    key[2 * i] = digits[address->bytes[i] >> 4];
    key[2 * i + 1] = digits[address->bytes[i] & 0xf];
  }
  key[2 * LP_ADDRESS_SIZE] = '/';
  memcpy (key + 2 * LP_ADDRESS_SIZE + 1, session_id, session_length + 1);
  return key;
}

/* called with LOCK */
static Entry *
lookup_or_add (LpBalances * balances, const LpAddress * address,
    const gchar * session_id)
{
  gchar *key = make_key (address, session_id);
  Entry *entry = g_hash_table_lookup (balances->entries, key);

  if (entry == NULL) {
    entry = g_new0 (Entry, 1);
    mpq_init (entry->amount);
    g_hash_table_insert (balances->entries, key, entry);
  } else {
    g_free (key);
  }
  return entry;
}

/**
 * lp_balances_new:
 *
 * Returns: (transfer full): an empty balance table; free with
 *     lp_balances_free()
 */
LpBalances *
lp_balances_new (void)
{
  LpBalances *balances = g_new0 (LpBalances, 1);

  g_mutex_init (&balances->lock);
  balances->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      entry_free);
  return balances;
}

/**
 * lp_balances_free:
 * @balances: (transfer full) (nullable): a balance table
 *
 * Frees @balances. No other thread may use it any more.
 */
void
lp_balances_free (LpBalances * balances)
{
  if (balances == NULL)
    return;
  g_hash_table_unref (balances->entries);
  g_mutex_clear (&balances->lock);
  g_free (balances);
}

/**
 * lp_balances_get:
 * @balances: (transfer none): a balance table
 * @address: (transfer none): the counterpart's address
 * @session_id: the session
 *
 * MT safe.
 *
 * Returns: (transfer full): the balance (0 when there is none)
 */
LpRational *
lp_balances_get (LpBalances * balances, const LpAddress * address,
    const gchar * session_id)
{
  LpRational *r;
  Entry *entry;
  gchar *key;

  g_return_val_if_fail (balances != NULL && address != NULL, NULL);
  g_return_val_if_fail (session_id != NULL, NULL);

  r = lp_rational_new ();
  key = make_key (address, session_id);
  g_mutex_lock (&balances->lock);
  entry = g_hash_table_lookup (balances->entries, key);
  if (entry != NULL)
    mpq_set (r->q, entry->amount);
  g_mutex_unlock (&balances->lock);
  g_free (key);
  return r;
}

/**
 * lp_balances_credit:
 * @balances: (transfer none): a balance table
 * @address: (transfer none): the counterpart's address
 * @session_id: the session
 * @amount: (transfer none): what to add
 * @now: the current time (µs, the clock given to lp_balances_purge())
 *
 * Adds @amount to a balance, creating it at 0 first. MT safe.
 */
void
lp_balances_credit (LpBalances * balances, const LpAddress * address,
    const gchar * session_id, const LpRational * amount, gint64 now)
{
  Entry *entry;

  g_return_if_fail (balances != NULL && address != NULL);
  g_return_if_fail (session_id != NULL && amount != NULL);

  g_mutex_lock (&balances->lock);
  entry = lookup_or_add (balances, address, session_id);
  mpq_add (entry->amount, entry->amount, amount->q);
  entry->updated = now;
  g_mutex_unlock (&balances->lock);
}

/**
 * lp_balances_debit:
 * @balances: (transfer none): a balance table
 * @address: (transfer none): the counterpart's address
 * @session_id: the session
 * @amount: (transfer none): what to subtract
 * @now: the current time (µs)
 *
 * Subtracts @amount from a balance; it may go negative. MT safe.
 */
void
lp_balances_debit (LpBalances * balances, const LpAddress * address,
    const gchar * session_id, const LpRational * amount, gint64 now)
{
  Entry *entry;

  g_return_if_fail (balances != NULL && address != NULL);
  g_return_if_fail (session_id != NULL && amount != NULL);

  g_mutex_lock (&balances->lock);
  entry = lookup_or_add (balances, address, session_id);
  mpq_sub (entry->amount, entry->amount, amount->q);
  entry->updated = now;
  g_mutex_unlock (&balances->lock);
}

/**
 * lp_balances_reserve:
 * @balances: (transfer none): a balance table
 * @address: (transfer none): the counterpart's address
 * @session_id: the session
 * @now: the current time (µs)
 *
 * Takes a whole balance out, leaving 0, atomically. MT safe.
 *
 * Returns: (transfer full): the balance that was there
 */
LpRational *
lp_balances_reserve (LpBalances * balances, const LpAddress * address,
    const gchar * session_id, gint64 now)
{
  LpRational *r;
  Entry *entry;

  g_return_val_if_fail (balances != NULL && address != NULL, NULL);
  g_return_val_if_fail (session_id != NULL, NULL);

  r = lp_rational_new ();
  g_mutex_lock (&balances->lock);
  entry = lookup_or_add (balances, address, session_id);
  mpq_swap (r->q, entry->amount);
  mpq_set_ui (entry->amount, 0, 1);
  entry->updated = now;
  g_mutex_unlock (&balances->lock);
  return r;
}

/**
 * lp_balances_purge:
 * @balances: (transfer none): a balance table
 * @now: the current time (µs)
 * @max_idle: how long a balance lives without an update (µs), normally
 *     %LP_BALANCE_IDLE_TIMEOUT
 *
 * Forgets every balance not updated for more than @max_idle. MT safe.
 *
 * Returns: how many balances were forgotten
 */
guint
lp_balances_purge (LpBalances * balances, gint64 now, gint64 max_idle)
{
  GHashTableIter iter;
  gpointer value;
  guint removed = 0;

  g_return_val_if_fail (balances != NULL, 0);

  g_mutex_lock (&balances->lock);
  g_hash_table_iter_init (&iter, balances->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    Entry *entry = value;

    if (now - entry->updated > max_idle) {
      g_hash_table_iter_remove (&iter);
      removed++;
    }
  }
  g_mutex_unlock (&balances->lock);
  return removed;
}

/**
 * lp_balances_size:
 * @balances: (transfer none): a balance table
 *
 * MT safe.
 *
 * Returns: how many balances the table holds
 */
guint
lp_balances_size (LpBalances * balances)
{
  guint size;

  g_return_val_if_fail (balances != NULL, 0);

  g_mutex_lock (&balances->lock);
  size = g_hash_table_size (balances->entries);
  g_mutex_unlock (&balances->lock);
  return size;
}

/* ---- staged updates ---- */

struct _LpBalanceUpdate
{
  LpAddress address;
  gchar *session_id;
  LpRational *existing;
  LpRational *new_credit;
  guint num_tickets;
};

/**
 * lp_balances_stage_update:
 * @balances: (transfer none): the broadcaster's balance table
 * @address: (transfer none): the orchestrator's ticket recipient
 * @session_id: the orchestrator's session
 * @fee: (transfer none): the segment's estimated fee
 *     (lp_sender_estimate_fee())
 * @ticket_ev: (transfer none): one ticket's expected value
 * @now: the current time (µs)
 * @error: (nullable): return location for a #GError
 *
 * Reserves the whole balance (leaving 0) and computes the tickets to
 * attach (lp_tickets_needed()) and their credit, `numTickets × ticketEV`.
 * Complete with lp_balances_complete_update() whatever happens. MT safe.
 *
 * Returns: (transfer full) (nullable): the staged update; %NULL with
 *     @error (and the balance untouched) as lp_tickets_needed()
 */
LpBalanceUpdate *
lp_balances_stage_update (LpBalances * balances, const LpAddress * address,
    const gchar * session_id, const LpRational * fee,
    const LpRational * ticket_ev, gint64 now, GError ** error)
{
  LpBalanceUpdate *update;
  LpRational *existing;
  guint n;

  g_return_val_if_fail (balances != NULL && address != NULL, NULL);
  g_return_val_if_fail (session_id != NULL, NULL);
  g_return_val_if_fail (fee != NULL && ticket_ev != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  existing = lp_balances_reserve (balances, address, session_id, now);
  if (!lp_tickets_needed (fee, ticket_ev, existing, &n, error)) {
    lp_balances_credit (balances, address, session_id, existing, now);
    lp_rational_free (existing);
    return NULL;
  }
  update = g_new0 (LpBalanceUpdate, 1);
  update->address = *address;
  update->session_id = g_strdup (session_id);
  update->existing = existing;
  update->num_tickets = n;
  update->new_credit = lp_rational_copy (ticket_ev);
  lp_rational_mul_uint64 (update->new_credit, n);
  return update;
}

/**
 * lp_balance_update_get_num_tickets:
 * @update: (transfer none): a staged update
 *
 * Returns: how many tickets to attach to the segment
 */
guint
lp_balance_update_get_num_tickets (const LpBalanceUpdate * update)
{
  g_return_val_if_fail (update != NULL, 0);

  return update->num_tickets;
}

/**
 * lp_balance_update_get_existing:
 * @update: (transfer none): a staged update
 *
 * Returns: (transfer full): the balance that was reserved
 */
LpRational *
lp_balance_update_get_existing (const LpBalanceUpdate * update)
{
  g_return_val_if_fail (update != NULL, NULL);

  return lp_rational_copy (update->existing);
}

/**
 * lp_balance_update_get_new_credit:
 * @update: (transfer none): a staged update
 *
 * Returns: (transfer full): the credit the attached tickets buy
 */
LpRational *
lp_balance_update_get_new_credit (const LpBalanceUpdate * update)
{
  g_return_val_if_fail (update != NULL, NULL);

  return lp_rational_copy (update->new_credit);
}

/**
 * lp_balances_complete_update:
 * @balances: (transfer none): the table @update was staged in
 * @update: (transfer full): the staged update
 * @status: how it ended
 * @pixels: the encoded pixels of the result (only with
 *     %LP_BALANCE_UPDATE_RECEIVED_CHANGE)
 * @price: (transfer none) (nullable): the price they are charged at (only
 *     with %LP_BALANCE_UPDATE_RECEIVED_CHANGE)
 * @now: the current time (µs)
 * @error: (nullable): return location for a #GError
 *
 * Applies @update's outcome to the balance (see #LpBalanceUpdateStatus)
 * and frees @update. MT safe.
 *
 * Returns: %TRUE; %FALSE with %LP_BALANCE_ERROR_INVALID_PRICE when a
 *     received change comes with an invalid price, which is then applied
 *     as %LP_BALANCE_UPDATE_CREDIT_SPENT (no valid result)
 */
gboolean
lp_balances_complete_update (LpBalances * balances, LpBalanceUpdate * update,
    LpBalanceUpdateStatus status, guint64 pixels, const LpPriceInfo * price,
    gint64 now, GError ** error)
{
  LpRational *fee = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (balances != NULL && update != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch (status) {
    case LP_BALANCE_UPDATE_STAGED:
      lp_balances_credit (balances, &update->address, update->session_id,
          update->existing, now);
      break;
    case LP_BALANCE_UPDATE_CREDIT_SPENT:
      break;
    case LP_BALANCE_UPDATE_RECEIVED_CHANGE:
      if (price == NULL) {
        g_set_error_literal (error, LP_BALANCE_ERROR,
            LP_BALANCE_ERROR_INVALID_PRICE, "No price for the result");
        ok = FALSE;
        break;
      }
      fee = lp_rational_new_price (price, pixels, error);
      if (fee == NULL) {
        ok = FALSE;
        break;
      }
      lp_rational_add (update->existing, update->new_credit);
      lp_rational_sub (update->existing, fee);
      lp_balances_credit (balances, &update->address, update->session_id,
          update->existing, now);
      lp_rational_free (fee);
      break;
  }
  lp_balance_update_free (update);
  return ok;
}

/**
 * lp_balance_update_free:
 * @update: (transfer full) (nullable): a staged update
 *
 * Frees @update without applying it: its reserved balance is lost. Use
 * lp_balances_complete_update() instead unless the table is going away.
 */
void
lp_balance_update_free (LpBalanceUpdate * update)
{
  if (update == NULL)
    return;
  g_free (update->session_id);
  lp_rational_free (update->existing);
  lp_rational_free (update->new_credit);
  g_free (update);
}

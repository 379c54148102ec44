/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Exact wei amounts (LpRational) and credit balances per (address,
 * session) with the broadcaster's three-outcome accounting (reference
 * go-livepeer.md §4.11).
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gst/livepeer/lpticket.h>

G_BEGIN_DECLS

/* A session's balance vanishes after this long without an update (µs). */
#define LP_BALANCE_IDLE_TIMEOUT (10 * G_TIME_SPAN_MINUTE)

/**
 * LP_BALANCE_ERROR:
 *
 * Error domain of lpbalance; its codes are #LpBalanceError.
 */
#define LP_BALANCE_ERROR (lp_balance_error_quark ())
GST_LIVEPEER_API
GQuark lp_balance_error_quark (void);

/**
 * LpBalanceError:
 * @LP_BALANCE_ERROR_INVALID_PRICE: a price with 0 pixels per unit
 * @LP_BALANCE_ERROR_ZERO_EV: a ticket expected value of 0 where tickets
 *     must buy credit
 * @LP_BALANCE_ERROR_TOO_MANY_TICKETS: the credit needed takes more than
 *     %G_MAXUINT tickets
 *
 * Error codes of the %LP_BALANCE_ERROR domain.
 */
typedef enum
{
  LP_BALANCE_ERROR_INVALID_PRICE,
  LP_BALANCE_ERROR_ZERO_EV,
  LP_BALANCE_ERROR_TOO_MANY_TICKETS,
} LpBalanceError;

/* ---- exact amounts ---- */

/**
 * LpRational:
 *
 * An exact rational number of wei (GMP's mpq underneath), possibly
 * negative: balances, expected values and fees, with no rounding anywhere.
 * Opaque; heap-allocated. Print it with lp_rational_to_string() or
 * lp_rational_floor_to_string(). Not locked: one value must not be
 * changed from two threads at once.
 */
typedef struct _LpRational LpRational;

#define LP_TYPE_RATIONAL (lp_rational_get_type ())
GST_LIVEPEER_API
GType lp_rational_get_type (void);

GST_LIVEPEER_API
LpRational *lp_rational_new (void);
GST_LIVEPEER_API
LpRational *lp_rational_new_uint256 (const LpUint256 * value);
GST_LIVEPEER_API
LpRational *lp_rational_new_uint64 (guint64 num, guint64 den);
GST_LIVEPEER_API
LpRational *lp_rational_new_ticket_ev (const LpUint256 * face_value,
    const LpUint256 * win_prob);
GST_LIVEPEER_API
LpRational *lp_rational_new_price (const LpPriceInfo * price,
    guint64 pixels, GError ** error);
GST_LIVEPEER_API
LpRational *lp_rational_copy (const LpRational * value);
GST_LIVEPEER_API
void lp_rational_free (LpRational * value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpRational, lp_rational_free)

GST_LIVEPEER_API
void lp_rational_add (LpRational * value, const LpRational * other);
GST_LIVEPEER_API
void lp_rational_sub (LpRational * value, const LpRational * other);
GST_LIVEPEER_API
void lp_rational_mul (LpRational * value, const LpRational * other);
GST_LIVEPEER_API
void lp_rational_mul_uint64 (LpRational * value, guint64 factor);
GST_LIVEPEER_API
gint lp_rational_cmp (const LpRational * a, const LpRational * b);
GST_LIVEPEER_API
gint lp_rational_sign (const LpRational * value);
GST_LIVEPEER_API
gboolean lp_rational_equal (const LpRational * a, const LpRational * b);
GST_LIVEPEER_API
gchar *lp_rational_to_string (const LpRational * value);
GST_LIVEPEER_API
gchar *lp_rational_floor_to_string (const LpRational * value);
GST_LIVEPEER_API
gboolean lp_rational_is_integer (const LpRational * value);

GST_LIVEPEER_API
gboolean lp_tickets_needed (const LpRational * fee, const LpRational * ev,
    const LpRational * balance, guint * n_tickets, GError ** error);

/* ---- balances ---- */

/**
 * LpBalances:
 *
 * Credit balances keyed by (address, session id): a broadcaster keys them
 * by (orchestrator's ticket recipient, the orchestrator's session id), an
 * orchestrator by (sender, session id). Every function is MT safe: one
 * mutex guards the table and never calls out while held. Opaque.
 */
typedef struct _LpBalances LpBalances;

GST_LIVEPEER_API
LpBalances *lp_balances_new (void);
GST_LIVEPEER_API
void lp_balances_free (LpBalances * balances);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpBalances, lp_balances_free)

GST_LIVEPEER_API
LpRational *lp_balances_get (LpBalances * balances, const LpAddress * address,
    const gchar * session_id);
GST_LIVEPEER_API
void lp_balances_credit (LpBalances * balances, const LpAddress * address,
    const gchar * session_id, const LpRational * amount, gint64 now);
GST_LIVEPEER_API
void lp_balances_debit (LpBalances * balances, const LpAddress * address,
    const gchar * session_id, const LpRational * amount, gint64 now);
GST_LIVEPEER_API
LpRational *lp_balances_reserve (LpBalances * balances,
    const LpAddress * address, const gchar * session_id, gint64 now);
GST_LIVEPEER_API
guint lp_balances_purge (LpBalances * balances, gint64 now, gint64 max_idle);
GST_LIVEPEER_API
guint lp_balances_size (LpBalances * balances);

/* ---- the broadcaster's three outcomes ---- */

/**
 * LpBalanceUpdateStatus:
 * @LP_BALANCE_UPDATE_STAGED: the segment and its tickets were never sent:
 *     the reserved balance comes back, the tickets' credit is not counted
 * @LP_BALANCE_UPDATE_CREDIT_SPENT: sent, but no valid result came back:
 *     the reserved balance and the new credit are treated as spent
 * @LP_BALANCE_UPDATE_RECEIVED_CHANGE: a result came back: the balance gets
 *     the reserved balance plus the new credit minus the pixels' fee
 *
 * How a staged balance update ends (go-livepeer's BalanceUpdate status).
 */
typedef enum
{
  LP_BALANCE_UPDATE_STAGED,
  LP_BALANCE_UPDATE_CREDIT_SPENT,
  LP_BALANCE_UPDATE_RECEIVED_CHANGE,
} LpBalanceUpdateStatus;

/**
 * LpBalanceUpdate:
 *
 * One segment's pending change to a broadcaster's balance, between
 * lp_balances_stage_update() and lp_balances_complete_update(). Opaque.
 */
typedef struct _LpBalanceUpdate LpBalanceUpdate;

GST_LIVEPEER_API
LpBalanceUpdate *lp_balances_stage_update (LpBalances * balances,
    const LpAddress * address, const gchar * session_id,
    const LpRational * fee, const LpRational * ticket_ev, gint64 now,
    GError ** error);
GST_LIVEPEER_API
guint lp_balance_update_get_num_tickets (const LpBalanceUpdate * update);
GST_LIVEPEER_API
LpRational *lp_balance_update_get_existing (const LpBalanceUpdate * update);
GST_LIVEPEER_API
LpRational *lp_balance_update_get_new_credit (const LpBalanceUpdate * update);
GST_LIVEPEER_API
gboolean lp_balances_complete_update (LpBalances * balances,
    LpBalanceUpdate * update, LpBalanceUpdateStatus status, guint64 pixels,
    const LpPriceInfo * price, gint64 now, GError ** error);
GST_LIVEPEER_API
void lp_balance_update_free (LpBalanceUpdate * update);

G_END_DECLS

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:lpsender
 * @title: LpSender
 * @short_description: the broadcaster's side of ticket payments
 *
 * An orchestrator hands a broadcaster ticket parameters and a price
 * (OrchestratorInfo); lp_sender_start_session() opens a session for them,
 * keyed by their recipientRandHash. lp_sender_create_payment() checks the
 * parameters and the sender's on-chain state the way go-livepeer does
 * (lp_sender_validate_ticket_params()), takes the next nonces (1, 2, ...,
 * never reused, at most %LP_TICKET_MAX_NONCES per session) and signs the
 * tickets. A payment never carries more than
 * %LP_WIRE_MAX_TICKETS_PER_PAYMENT tickets, the most its header can carry
 * (an HTTP server refuses a larger header block).
 *
 * How many tickets a segment needs comes from lp_sender_estimate_fee() and
 * the balance (lp_balances_stage_update()).
 *
 * When a payment fails with %LP_PAYMENT_ERROR_PARAMS_EXPIRED or
 * %LP_PAYMENT_ERROR_TOO_MANY_TICKETS the caller asks the orchestrator for
 * fresh parameters and starts a new session.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpsender.h"
#include "lpwire.h"

G_DEFINE_QUARK (lp-payment-error-quark, lp_payment_error);

/**
 * lp_sender_config_init:
 * @config: (out caller-allocates): a configuration
 *
 * Fills @config with go-livepeer's defaults: max ticket EV 3e12 wei, max
 * total EV 2e13 wei, deposit multiplier 1.
 */
void
lp_sender_config_init (LpSenderConfig * config)
{
  g_return_if_fail (config != NULL);

  memset (config, 0, sizeof (*config));
  lp_uint256_parse (LP_SENDER_DEFAULT_MAX_TICKET_EV, &config->max_ticket_ev,
      NULL);
  lp_uint256_parse (LP_SENDER_DEFAULT_MAX_TOTAL_EV, &config->max_total_ev,
      NULL);
  config->deposit_multiplier = LP_SENDER_DEFAULT_DEPOSIT_MULTIPLIER;
}

/**
 * lp_sender_estimate_fee:
 * @renditions: (array length=n_renditions): the requested renditions
 * @n_renditions: how many
 * @duration_ms: the segment's duration, in milliseconds
 * @price: (transfer none): the orchestrator's price
 * @error: (nullable): return location for a #GError
 *
 * The broadcaster's fee estimate before sending a segment (docs/design/protocol.md §4):
 * `Σ width × height × ceil(fps) × ceil(duration in s) × 1.02 × price`,
 * exactly, where a rendition keeping the source rate counts
 * %LP_SENDER_PASSTHROUGH_FPS frames per second.
 *
 * Returns: (transfer full) (nullable): the estimate in wei; %NULL with
 *     %LP_PAYMENT_ERROR_INVALID_PRICE when @price is invalid
 */
LpRational *
lp_sender_estimate_fee (const LpFeeRendition * renditions,
    guint n_renditions, guint64 duration_ms, const LpPriceInfo * price,
    GError ** error)
{
  LpRational *fee, *margin;
  guint64 seconds = duration_ms / 1000 + (duration_ms % 1000 != 0);
  guint i;

  g_return_val_if_fail (renditions != NULL || n_renditions == 0, NULL);
  g_return_val_if_fail (price != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!lp_price_info_is_valid (price)) {
    g_set_error_literal (error, LP_PAYMENT_ERROR,
        LP_PAYMENT_ERROR_INVALID_PRICE, "invalid price: 0 pixels per unit");
    return NULL;
  }

  fee = lp_rational_new ();
  for (i = 0; i < n_renditions; i++) {
    const LpFeeRendition *r = &renditions[i];
    guint den = r->fps_den ? r->fps_den : 1;
    guint64 fps = r->fps_num ? (r->fps_num + (guint64) den - 1) / den :
        LP_SENDER_PASSTHROUGH_FPS;
    LpRational *pixels = lp_rational_new_uint64 (r->width, 1);

    lp_rational_mul_uint64 (pixels, r->height);
    lp_rational_mul_uint64 (pixels, fps);
    lp_rational_mul_uint64 (pixels, seconds);
    lp_rational_add (fee, pixels);
    lp_rational_free (pixels);
  }
  /* × 1.02 × pricePerUnit / pixelsPerUnit, exactly */
  margin = lp_rational_new_uint64 (102, 100);
  lp_rational_mul (fee, margin);
  lp_rational_free (margin);
  margin = lp_rational_new_uint64 (price->price_per_unit,
      price->pixels_per_unit);
  lp_rational_mul (fee, margin);
  lp_rational_free (margin);
  return fee;
}

/**
 * lp_sender_ticket_params_expired:
 * @params: (transfer none): ticket parameters
 * @last_seen_block: the last L1 block the sender saw
 *
 * The sender's view of expiry (go-livepeer): parameters are expired when
 * `expiration_block − last_seen_block ≤ 1`, one block before the
 * recipient starts refusing them, so the sender refreshes in time.
 *
 * Returns: %TRUE when expired
 */
gboolean
lp_sender_ticket_params_expired (const LpTicketParams * params,
    guint64 last_seen_block)
{
  g_return_val_if_fail (params != NULL, TRUE);

  return params->expiration_block <= last_seen_block
      || params->expiration_block - last_seen_block <=
      LP_SENDER_EXPIRY_MARGIN_BLOCKS;
}

static gchar *
u256_text (const LpUint256 * value)
{
  return lp_uint256_to_string (value);
}

/**
 * lp_sender_validate_ticket_params:
 * @config: (transfer none) (nullable): the sender's limits; %NULL for the
 *     defaults
 * @params: (transfer none) (nullable): the parameters to pay with
 * @info: (transfer none): the sender's on-chain state, now
 * @n_tickets: how many tickets the payment would carry
 * @error: (nullable): return location for a #GError
 *
 * go-livepeer's checks before creating tickets, in its order (first
 * failure wins): parameters present with an expiration block; not
 * expired (lp_sender_ticket_params_expired()); a ticket EV of 0 passes
 * here; EV below the face value; EV not above the max ticket EV; deposit
 * and reserve not unlocking soon (lp_sender_info_unlocking_soon()); a
 * reserve; a deposit; EV × @n_tickets not above the max total EV; face
 * value not above deposit ÷ deposit multiplier. Pure: MT safe.
 *
 * Returns: %TRUE when the sender may pay; %FALSE with an
 *     %LP_PAYMENT_ERROR otherwise
 */
gboolean
lp_sender_validate_ticket_params (const LpSenderConfig * config,
    const LpTicketParams * params, const LpSenderInfo * info,
    guint n_tickets, GError ** error)
{
  LpSenderConfig defaults;
  LpRational *ev = NULL, *limit = NULL, *face = NULL;
  LpUint256 multiplier, max_face;
  gboolean ok = FALSE;
  gchar *a = NULL, *b = NULL;

  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (config == NULL) {
    lp_sender_config_init (&defaults);
    config = &defaults;
  }

  if (params == NULL) {
    g_set_error_literal (error, LP_PAYMENT_ERROR,
        LP_PAYMENT_ERROR_MISSING_PARAMS, "missing ticket params");
    return FALSE;
  }
  if (params->expiration_block == 0) {
    g_set_error_literal (error, LP_PAYMENT_ERROR,
        LP_PAYMENT_ERROR_MISSING_PARAMS,
        "ticket params have no expiration block");
    return FALSE;
  }
  if (lp_sender_ticket_params_expired (params, info->last_seen_block)) {
    g_set_error (error, LP_PAYMENT_ERROR, LP_PAYMENT_ERROR_PARAMS_EXPIRED,
        "ticket params expired: expirationBlock=%" G_GUINT64_FORMAT
        " lastSeenBlock=%" G_GUINT64_FORMAT "; refresh the ticket params",
        params->expiration_block, info->last_seen_block);
    return FALSE;
  }

  ev = lp_rational_new_ticket_ev (&params->face_value, &params->win_prob);
  if (lp_rational_sign (ev) <= 0) {
    ok = TRUE;
    goto done;
  }
  face = lp_rational_new_uint256 (&params->face_value);
  if (lp_rational_cmp (ev, face) >= 0) {
    a = lp_rational_to_string (ev);
    b = u256_text (&params->face_value);
    g_set_error (error, LP_PAYMENT_ERROR, LP_PAYMENT_ERROR_FACE_VALUE_TOO_LOW,
        "ticket faceValue too low: faceValue=%s ev=%s", b, a);
    goto done;
  }
  limit = lp_rational_new_uint256 (&config->max_ticket_ev);
  if (lp_rational_cmp (ev, limit) > 0) {
    a = lp_rational_to_string (ev);
    b = u256_text (&config->max_ticket_ev);
    g_set_error (error, LP_PAYMENT_ERROR, LP_PAYMENT_ERROR_EV_TOO_HIGH,
        "ticket EV higher than max EV: ev=%s maxEV=%s", a, b);
    goto done;
  }
  if (lp_sender_info_unlocking_soon (info)) {
    g_set_error (error, LP_PAYMENT_ERROR, LP_PAYMENT_ERROR_UNLOCK_SOON,
        "deposit and reserve is set to unlock soon: withdrawRound=%"
        G_GUINT64_FORMAT " lastInitializedRound=%" G_GUINT64_FORMAT,
        info->withdraw_round, info->last_initialized_round);
    goto done;
  }
  if (lp_uint256_is_zero (&info->reserve)) {
    g_set_error_literal (error, LP_PAYMENT_ERROR, LP_PAYMENT_ERROR_NO_RESERVE,
        "no sender reserve");
    goto done;
  }
  if (lp_uint256_is_zero (&info->deposit)) {
    g_set_error_literal (error, LP_PAYMENT_ERROR, LP_PAYMENT_ERROR_NO_DEPOSIT,
        "no sender deposit");
    goto done;
  }
  lp_rational_mul_uint64 (ev, n_tickets);
  lp_rational_free (limit);
  limit = lp_rational_new_uint256 (&config->max_total_ev);
  if (lp_rational_cmp (ev, limit) > 0) {
    a = lp_rational_to_string (ev);
    b = u256_text (&config->max_total_ev);
    g_set_error (error, LP_PAYMENT_ERROR, LP_PAYMENT_ERROR_TOTAL_EV_TOO_HIGH,
        "total ticket EV higher than max total EV: totalEV=%s maxTotalEV=%s "
        "(%u tickets)", a, b, n_tickets);
    goto done;
  }
  lp_uint256_from_uint64 (MAX (config->deposit_multiplier, 1), &multiplier);
  lp_uint256_div (&info->deposit, &multiplier, &max_face, NULL);
  if (lp_uint256_cmp (&params->face_value, &max_face) > 0) {
    a = u256_text (&params->face_value);
    b = u256_text (&max_face);
    g_set_error (error, LP_PAYMENT_ERROR, LP_PAYMENT_ERROR_FACE_VALUE_TOO_HIGH,
        "ticket faceValue higher than max faceValue: faceValue=%s "
        "maxFaceValue=%s", a, b);
    goto done;
  }
  ok = TRUE;

done:
  g_free (a);
  g_free (b);
  lp_rational_free (ev);
  lp_rational_free (face);
  lp_rational_free (limit);
  return ok;
}

/* ---- LpSender ---- */

typedef struct
{
  LpTicketParams params;
  LpPriceInfo price;
  guint32 last_nonce;           /* protected by LOCK */
} Session;

struct _LpSender
{
  LpPrivateKey *key;
  LpSenderConfig config;

  GMutex lock;
  GHashTable *sessions;         /* id -> Session */
};

#define LOCK(s) g_mutex_lock (&(s)->lock)
#define UNLOCK(s) g_mutex_unlock (&(s)->lock)

/**
 * lp_sender_new:
 * @key: (transfer none): the broadcaster's key (a reference is taken)
 * @config: (transfer none) (nullable): limits; %NULL for the defaults
 *
 * Returns: (transfer full): a new sender; free with lp_sender_free()
 */
LpSender *
lp_sender_new (LpPrivateKey * key, const LpSenderConfig * config)
{
  LpSender *sender;

  g_return_val_if_fail (key != NULL, NULL);

  sender = g_new0 (LpSender, 1);
  sender->key = lp_private_key_ref (key);
  if (config != NULL)
    sender->config = *config;
  else
    lp_sender_config_init (&sender->config);
  g_mutex_init (&sender->lock);
  sender->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  return sender;
}

/**
 * lp_sender_free:
 * @sender: (transfer full) (nullable): a sender
 *
 * Frees @sender and drops its key reference. No other thread may use it.
 */
void
lp_sender_free (LpSender * sender)
{
  if (sender == NULL)
    return;
  g_hash_table_unref (sender->sessions);
  g_mutex_clear (&sender->lock);
  lp_private_key_unref (sender->key);
  g_free (sender);
}

/**
 * lp_sender_get_address:
 * @sender: (transfer none): a sender
 *
 * Returns: (transfer none): the address tickets are sent from
 */
const LpAddress *
lp_sender_get_address (LpSender * sender)
{
  g_return_val_if_fail (sender != NULL, NULL);

  return lp_private_key_get_address (sender->key);
}

/**
 * lp_sender_start_session:
 * @sender: (transfer none): a sender
 * @params: (transfer none): ticket parameters from an orchestrator
 * @price: (transfer none): the price they were advertised with; sent as
 *     every payment's expected price
 * @error: (nullable): return location for a #GError
 *
 * Opens the session of @params: the lowercase 0x-hex of their
 * recipientRandHash. Opening the same parameters again returns the same
 * session and keeps its nonces. MT safe.
 *
 * Returns: (transfer full) (nullable): the session id; %NULL with
 *     %LP_PAYMENT_ERROR_MISSING_PARAMS (no expiration block) or
 *     %LP_PAYMENT_ERROR_INVALID_PRICE
 */
gchar *
lp_sender_start_session (LpSender * sender, const LpTicketParams * params,
    const LpPriceInfo * price, GError ** error)
{
  Session *session;
  gchar *id;

  g_return_val_if_fail (sender != NULL && params != NULL, NULL);
  g_return_val_if_fail (price != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (params->expiration_block == 0) {
    g_set_error_literal (error, LP_PAYMENT_ERROR,
        LP_PAYMENT_ERROR_MISSING_PARAMS,
        "ticket params have no expiration block");
    return NULL;
  }
  if (!lp_price_info_is_valid (price)) {
    g_set_error_literal (error, LP_PAYMENT_ERROR,
        LP_PAYMENT_ERROR_INVALID_PRICE, "invalid price: 0 pixels per unit");
    return NULL;
  }

  id = lp_hex_encode (params->recipient_rand_hash, LP_KECCAK256_SIZE, TRUE);
  LOCK (sender);
  if (!g_hash_table_contains (sender->sessions, id)) {
    session = g_new0 (Session, 1);
    session->params = *params;
    session->price = *price;
    g_hash_table_insert (sender->sessions, g_strdup (id), session);
  }
  UNLOCK (sender);
  return id;
}

/**
 * lp_sender_end_session:
 * @sender: (transfer none): a sender
 * @session_id: a session id
 *
 * Forgets a session. MT safe.
 *
 * Returns: %TRUE when there was such a session
 */
gboolean
lp_sender_end_session (LpSender * sender, const gchar * session_id)
{
  gboolean removed;

  g_return_val_if_fail (sender != NULL && session_id != NULL, FALSE);

  LOCK (sender);
  removed = g_hash_table_remove (sender->sessions, session_id);
  UNLOCK (sender);
  return removed;
}

/**
 * lp_sender_purge_expired:
 * @sender: (transfer none): a sender
 * @last_seen_block: the last L1 block seen
 *
 * Forgets the sessions whose parameters are expired
 * (lp_sender_ticket_params_expired()). MT safe.
 *
 * Returns: how many sessions were forgotten
 */
guint
lp_sender_purge_expired (LpSender * sender, guint64 last_seen_block)
{
  GHashTableIter iter;
  gpointer value;
  guint removed = 0;

  g_return_val_if_fail (sender != NULL, 0);

  LOCK (sender);
  g_hash_table_iter_init (&iter, sender->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    Session *session = value;

    if (lp_sender_ticket_params_expired (&session->params, last_seen_block)) {
      g_hash_table_iter_remove (&iter);
      removed++;
    }
  }
  UNLOCK (sender);
  return removed;
}

static void
unknown_session (const gchar * session_id, GError ** error)
{
  g_set_error (error, LP_PAYMENT_ERROR, LP_PAYMENT_ERROR_UNKNOWN_SESSION,
      "no ticket session %s", session_id);
}

/**
 * lp_sender_get_ticket_ev:
 * @sender: (transfer none): a sender
 * @session_id: a session id
 * @error: (nullable): return location for a #GError
 *
 * MT safe.
 *
 * Returns: (transfer full) (nullable): the exact EV of one ticket of the
 *     session; %NULL with %LP_PAYMENT_ERROR_UNKNOWN_SESSION
 */
LpRational *
lp_sender_get_ticket_ev (LpSender * sender, const gchar * session_id,
    GError ** error)
{
  LpTicketParams params;
  Session *session;

  g_return_val_if_fail (sender != NULL && session_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  LOCK (sender);
  session = g_hash_table_lookup (sender->sessions, session_id);
  if (session != NULL)
    params = session->params;
  UNLOCK (sender);
  if (session == NULL) {
    unknown_session (session_id, error);
    return NULL;
  }
  return lp_rational_new_ticket_ev (&params.face_value, &params.win_prob);
}

/**
 * lp_sender_get_last_nonce:
 * @sender: (transfer none): a sender
 * @session_id: a session id
 *
 * MT safe.
 *
 * Returns: the last nonce used in the session (0 before the first
 *     ticket, or when there is no such session)
 */
guint32
lp_sender_get_last_nonce (LpSender * sender, const gchar * session_id)
{
  Session *session;
  guint32 nonce = 0;

  g_return_val_if_fail (sender != NULL && session_id != NULL, 0);

  LOCK (sender);
  session = g_hash_table_lookup (sender->sessions, session_id);
  if (session != NULL)
    nonce = session->last_nonce;
  UNLOCK (sender);
  return nonce;
}

/* go-livepeer has no such limit (its payments are protobuf, its servers
 * take 1 MB of headers); ours are JSON in base64, under libsoup's 64 KiB.
 * Raising the face value is the orchestrator's call (its ticket EV), and
 * a payment cannot be split across segments when one segment's fee needs
 * it whole: the sender refuses, naming what would be needed. */
static void
payment_too_large (const LpTicketParams * params, guint n_tickets,
    GError ** error)
{
  LpRational *ev = lp_rational_new_ticket_ev (&params->face_value,
      &params->win_prob);
  gchar *text = lp_rational_to_string (ev);

  g_set_error (error, LP_PAYMENT_ERROR, LP_PAYMENT_ERROR_PAYMENT_TOO_LARGE,
      "payment too large: the fee needs %u tickets at the orchestrator's "
      "ticket EV of %s wei, and one payment carries at most %u", n_tickets,
      text, LP_WIRE_MAX_TICKETS_PER_PAYMENT);
  g_free (text);
  lp_rational_free (ev);
}

/**
 * lp_sender_create_payment:
 * @sender: (transfer none): a sender
 * @session_id: the session to pay from (lp_sender_start_session())
 * @n_tickets: how many tickets to attach; 0 makes a payment without
 *     tickets (sender and expected price only)
 * @info: (transfer none): the sender's on-chain state, now
 * @error: (nullable): return location for a #GError
 *
 * Checks the session's parameters (lp_sender_validate_ticket_params()),
 * takes the next @n_tickets nonces (atomically: concurrent payments never
 * share a nonce, and a nonce taken is never handed out again, even if the
 * payment is then dropped) and signs one ticket per nonce. MT safe; the
 * signing runs outside the lock.
 *
 * Returns: (transfer full) (nullable): the payment; %NULL with an
 *     %LP_PAYMENT_ERROR: %LP_PAYMENT_ERROR_PAYMENT_TOO_LARGE when
 *     @n_tickets is over %LP_WIRE_MAX_TICKETS_PER_PAYMENT (nothing is
 *     taken: pay elsewhere, or at a higher ticket EV), a refusal of the
 *     checks, %LP_PAYMENT_ERROR_UNKNOWN_SESSION, or
 *     %LP_PAYMENT_ERROR_TOO_MANY_TICKETS when the nonces left are fewer
 *     than @n_tickets (refresh the parameters)
 */
LpPayment *
lp_sender_create_payment (LpSender * sender, const gchar * session_id,
    guint n_tickets, const LpSenderInfo * info, GError ** error)
{
  LpTicketParams params;
  LpPriceInfo price;
  LpPayment *payment;
  Session *session;
  guint32 first = 0;
  guint i;

  g_return_val_if_fail (sender != NULL && session_id != NULL, NULL);
  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  LOCK (sender);
  session = g_hash_table_lookup (sender->sessions, session_id);
  if (session == NULL) {
    UNLOCK (sender);
    unknown_session (session_id, error);
    return NULL;
  }
  params = session->params;
  price = session->price;
  if (n_tickets > LP_WIRE_MAX_TICKETS_PER_PAYMENT) {
    UNLOCK (sender);
    payment_too_large (&params, n_tickets, error);
    return NULL;
  }
  if (n_tickets > 0) {
    if (!lp_sender_validate_ticket_params (&sender->config, &params, info,
            n_tickets, error)) {
      UNLOCK (sender);
      return NULL;
    }
    if (n_tickets > LP_TICKET_MAX_NONCES
        || session->last_nonce > LP_TICKET_MAX_NONCES - n_tickets) {
      g_set_error (error, LP_PAYMENT_ERROR, LP_PAYMENT_ERROR_TOO_MANY_TICKETS,
          "too many tickets: %u more would exceed %u for ticket params %s; "
          "refresh the ticket params", n_tickets, LP_TICKET_MAX_NONCES,
          session_id);
      UNLOCK (sender);
      return NULL;
    }
    first = session->last_nonce + 1;
    session->last_nonce += n_tickets;
  }
  UNLOCK (sender);

  payment = lp_payment_new ();
  payment->sender = *lp_private_key_get_address (sender->key);
  payment->expected_price = price;
  if (n_tickets == 0)
    return payment;

  payment->has_ticket_params = TRUE;
  payment->ticket_params = params;
  payment->expiration_params = params.expiration_params;
  g_array_set_size (payment->tickets, n_tickets);
  for (i = 0; i < n_tickets; i++) {
    LpTicketSenderParams *tsp =
        &g_array_index (payment->tickets, LpTicketSenderParams, i);
    LpTicket ticket;
    GError *sign_error = NULL;

    tsp->sender_nonce = first + i;
    lp_payment_get_ticket (payment, i, &ticket);
    if (!lp_ticket_sign (&ticket, sender->key, tsp->sig, &sign_error)) {
      g_set_error (error, LP_PAYMENT_ERROR, LP_PAYMENT_ERROR_SIGNING,
          "could not sign ticket: %s", sign_error->message);
      g_error_free (sign_error);
      lp_payment_free (payment);
      return NULL;
    }
  }
  return payment;
}

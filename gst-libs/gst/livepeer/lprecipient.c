/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:lprecipient
 * @title: LpRecipient
 * @short_description: the orchestrator's side of ticket payments
 *
 * lp_recipient_ticket_params() issues ticket parameters to a sender: a
 * random seed, a face value (lp_recipient_face_value()), the winning
 * probability for the configured EV, an expiration 40 blocks ahead, and a
 * recipientRandHash committing to a recipientRand that is never stored:
 * it is re-derived from the parameters, the price and a secret
 * (lp_recipient_rand()), so a sender that alters any of them is caught.
 *
 * lp_recipient_receive_payment() checks every ticket in docs/design/protocol.md §3
 * order. The first four checks (unlock soon, recipient, sender,
 * recipientRand) are fatal: the payment is refused and nothing is
 * credited. Signature, nonce and expiry failures are not: the tickets
 * before the first failure are credited, none after, and winners are
 * still handed to the #LpRedemptionQueue. Work is then gated by
 * lp_recipient_check_balance() and paid by lp_recipient_debit().
 *
 * The caller runs lp_recipient_purge_nonces() on each new block and
 * lp_recipient_purge_balances() now and then (go-livepeer: every few
 * minutes).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lprecipient.h"

G_DEFINE_QUARK (lp-recipient-error-quark, lp_recipient_error);

/**
 * lp_recipient_error_is_fatal:
 * @error: (transfer none): an error of lp_recipient_receive_payment()
 *
 * Returns: %TRUE when @error refused the whole payment (nothing was
 *     credited); %FALSE for a per-ticket refusal after which the payment
 *     was processed, without credit from that ticket on
 */
gboolean
lp_recipient_error_is_fatal (const GError * error)
{
  g_return_val_if_fail (error != NULL, TRUE);

  if (error->domain != LP_RECIPIENT_ERROR)
    return TRUE;
  switch (error->code) {
    case LP_RECIPIENT_ERROR_INVALID_SIGNATURE:
    case LP_RECIPIENT_ERROR_NONCE_SEEN:
    case LP_RECIPIENT_ERROR_TOO_MANY_NONCES:
    case LP_RECIPIENT_ERROR_PARAMS_EXPIRED:
      return FALSE;
    default:
      return TRUE;
  }
}

/**
 * lp_recipient_config_init:
 * @config: (out caller-allocates): a configuration
 *
 * Fills @config with go-livepeer's defaults: EV 8e9 wei, face value from
 * the gas price, no face value cap, L2 redemption gas.
 */
void
lp_recipient_config_init (LpRecipientConfig * config)
{
  g_return_if_fail (config != NULL);

  memset (config, 0, sizeof (*config));
  lp_uint256_parse (LP_RECIPIENT_DEFAULT_TICKET_EV, &config->ticket_ev, NULL);
  config->redeem_gas = LP_RECIPIENT_REDEEM_GAS_L2;
}

/**
 * lp_winning_ticket_redeemability:
 * @ticket: (transfer none): a winning ticket
 * @last_seen_block: the last L1 block seen
 * @current_round: the current round
 *
 * The redemption rules both the recipient and its queue follow: too late
 * once `creationRound + 2 ≤ currentRound`; else wait until the
 * parameters' expiration block has been reached
 * (`expirationBlock ≤ lastSeenBlock`). Pure: MT safe.
 *
 * Returns: whether @ticket may be redeemed now
 */
LpRedeemability
lp_winning_ticket_redeemability (const LpWinningTicket * ticket,
    guint64 last_seen_block, guint64 current_round)
{
  guint64 round;

  g_return_val_if_fail (ticket != NULL, LP_REDEEMABILITY_TOO_LATE);

  round = ticket->ticket.expiration_params.creation_round;
  if (current_round >= LP_TICKET_VALIDITY_ROUNDS
      && round <= current_round - LP_TICKET_VALIDITY_ROUNDS)
    return LP_REDEEMABILITY_TOO_LATE;
  if (ticket->params_expiration_block > last_seen_block)
    return LP_REDEEMABILITY_WAIT;
  return LP_REDEEMABILITY_NOW;
}

/* ---- LpRecipient ---- */

/* everything recipientRand is derived from, zero-padded, so that memcmp
 * compares it */
typedef struct
{
  LpUint256 seed;
  LpAddress sender;
  LpUint256 face_value;
  LpUint256 win_prob;
  guint64 expiration_block;
  LpPriceInfo price;            /* reduced */
  LpExpirationParams expiration_params;
} RandInputs;

/* per parameter set (recipientRandHash) */
typedef struct
{
  guint64 expiration_block;
  GHashTable *nonces;           /* set of GUINT_TO_POINTER (nonce) */
  /* the inputs that derived the matching recipientRand, and it: later
   * payments with the same inputs skip the HMAC and its hash */
  RandInputs inputs;
  LpUint256 rand;
} NonceSet;

struct _LpRecipient
{
  LpAddress address;
  LpRecipientConfig config;
  LpRedemptionQueue queue;
  guint8 secret[LP_RECIPIENT_SECRET_SIZE];
  /* HMAC state keyed with the secret, copied for each derivation */
  GHmac *hmac;
  LpBalances *balances;         /* its own lock */

  GMutex lock;
  GHashTable *nonce_sets;       /* recipientRandHash (32 bytes) -> NonceSet */
  /* the EV of the last (faceValue, winProb) seen: payments of a sender
   * share their parameters, and the exact EV costs a GCD */
  LpUint256 ev_face_value;
  LpUint256 ev_win_prob;
  LpRational *ev;
};

#define LOCK(r) g_mutex_lock (&(r)->lock)
#define UNLOCK(r) g_mutex_unlock (&(r)->lock)

static guint
rand_hash_hash (gconstpointer key)
{
  guint h;

  memcpy (&h, key, sizeof (h));
  return h;
}

static gboolean
rand_hash_equal (gconstpointer a, gconstpointer b)
{
  return memcmp (a, b, LP_KECCAK256_SIZE) == 0;
}

static void
nonce_set_free (gpointer data)
{
  NonceSet *set = data;

  g_hash_table_unref (set->nonces);
  lp_crypto_wipe (&set->rand, sizeof (set->rand));
  g_free (set);
}

/**
 * lp_recipient_new_with_secret:
 * @address: (transfer none): the recipient's (orchestrator's) address
 * @secret: (array length=secret_length): the recipientRand secret,
 *     %LP_RECIPIENT_SECRET_SIZE bytes (copied; the caller wipes its copy)
 * @secret_length: %LP_RECIPIENT_SECRET_SIZE
 * @config: (transfer none) (nullable): economics; %NULL for the defaults
 * @queue: (transfer none) (nullable): where winning tickets go (copied);
 *     %NULL drops them (only for tests and free sessions)
 *
 * A recipient with a given secret: parameters it issues stay valid across
 * a restart when the secret is kept.
 *
 * Returns: (transfer full): a new recipient; free with lp_recipient_free()
 */
LpRecipient *
lp_recipient_new_with_secret (const LpAddress * address,
    const guint8 * secret, gsize secret_length,
    const LpRecipientConfig * config, const LpRedemptionQueue * queue)
{
  LpRecipient *r;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (secret != NULL, NULL);
  g_return_val_if_fail (secret_length == LP_RECIPIENT_SECRET_SIZE, NULL);
  g_return_val_if_fail (queue == NULL
      || queue->version == LP_REDEMPTION_QUEUE_VERSION, NULL);

  r = g_new0 (LpRecipient, 1);
  r->address = *address;
  if (config != NULL)
    r->config = *config;
  else
    lp_recipient_config_init (&r->config);
  if (queue != NULL)
    r->queue = *queue;
  memcpy (r->secret, secret, LP_RECIPIENT_SECRET_SIZE);
  r->hmac = g_hmac_new (G_CHECKSUM_SHA256, r->secret, sizeof (r->secret));
  r->balances = lp_balances_new ();
  g_mutex_init (&r->lock);
  r->nonce_sets = g_hash_table_new_full (rand_hash_hash, rand_hash_equal,
      g_free, nonce_set_free);
  return r;
}

/**
 * lp_recipient_new:
 * @address: (transfer none): the recipient's (orchestrator's) address
 * @config: (transfer none) (nullable): economics; %NULL for the defaults
 * @queue: (transfer none) (nullable): where winning tickets go (copied)
 * @error: (nullable): return location for a #GError
 *
 * A recipient with a fresh random secret.
 *
 * Returns: (transfer full) (nullable): a new recipient; %NULL with
 *     %LP_RECIPIENT_ERROR_FAILED when the random source fails
 */
LpRecipient *
lp_recipient_new (const LpAddress * address, const LpRecipientConfig * config,
    const LpRedemptionQueue * queue, GError ** error)
{
  guint8 secret[LP_RECIPIENT_SECRET_SIZE];
  GError *random_error = NULL;
  LpRecipient *r;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!lp_crypto_random_bytes (secret, sizeof (secret), &random_error)) {
    g_set_error (error, LP_RECIPIENT_ERROR, LP_RECIPIENT_ERROR_FAILED,
        "could not make a recipient secret: %s", random_error->message);
    g_error_free (random_error);
    return NULL;
  }
  r = lp_recipient_new_with_secret (address, secret, sizeof (secret), config,
      queue);
  lp_crypto_wipe (secret, sizeof (secret));
  return r;
}

/**
 * lp_recipient_free:
 * @recipient: (transfer full) (nullable): a recipient
 *
 * Wipes the secret and frees @recipient. No other thread may use it.
 */
void
lp_recipient_free (LpRecipient * recipient)
{
  if (recipient == NULL)
    return;
  lp_crypto_wipe (recipient->secret, sizeof (recipient->secret));
  g_hmac_unref (recipient->hmac);
  lp_rational_free (recipient->ev);
  g_hash_table_unref (recipient->nonce_sets);
  g_mutex_clear (&recipient->lock);
  lp_balances_free (recipient->balances);
  g_free (recipient);
}

/**
 * lp_recipient_get_address:
 * @recipient: (transfer none): a recipient
 *
 * Returns: (transfer none): the address tickets must be made out to
 */
const LpAddress *
lp_recipient_get_address (LpRecipient * recipient)
{
  g_return_val_if_fail (recipient != NULL, NULL);

  return &recipient->address;
}

static void
hmac_update_minbe (GHmac * hmac, const LpUint256 * value)
{
  guint8 buf[LP_UINT256_SIZE];
  gsize n = lp_uint256_minbe (value, buf);

  if (n > 0)
    g_hmac_update (hmac, buf, n);
}

static void
hmac_update_minbe64 (GHmac * hmac, guint64 value)
{
  LpUint256 v;

  lp_uint256_from_uint64 (value, &v);
  hmac_update_minbe (hmac, &v);
}

/**
 * lp_recipient_rand:
 * @recipient: (transfer none): a recipient
 * @seed: (transfer none): the parameters' seed
 * @sender: (transfer none): the sender
 * @face_value: (transfer none): the face value
 * @win_prob: (transfer none): the winning threshold
 * @expiration_block: the parameters' expiration block
 * @price: (transfer none): the price the parameters are for (reduced here)
 * @expiration_params: (transfer none): creation round and block hash
 * @recipient_rand: (out caller-allocates): the derived recipientRand
 *
 * Derives recipientRand = HMAC-SHA256(secret, minbe(seed) ‖ sender ‖
 * minbe(faceValue) ‖ minbe(winProb) ‖ minbe(expirationBlock) ‖
 * minbe(price.num) ‖ minbe(price.den) ‖ auxData), read big-endian, with
 * the price reduced (docs/design/protocol.md §3). MT safe.
 */
void
lp_recipient_rand (LpRecipient * recipient, const LpUint256 * seed,
    const LpAddress * sender, const LpUint256 * face_value,
    const LpUint256 * win_prob, guint64 expiration_block,
    const LpPriceInfo * price, const LpExpirationParams * expiration_params,
    LpUint256 * recipient_rand)
{
  guint8 aux[64];
  gsize aux_length, digest_length = LP_UINT256_SIZE;
  LpPriceInfo reduced;
  GHmac *hmac;

  g_return_if_fail (recipient != NULL && seed != NULL && sender != NULL);
  g_return_if_fail (face_value != NULL && win_prob != NULL);
  g_return_if_fail (price != NULL && expiration_params != NULL);
  g_return_if_fail (recipient_rand != NULL);

  lp_price_info_reduce (price, &reduced);
  aux_length = lp_expiration_params_aux_data (expiration_params, aux);

  hmac = g_hmac_copy (recipient->hmac);
  hmac_update_minbe (hmac, seed);
  g_hmac_update (hmac, sender->bytes, LP_ADDRESS_SIZE);
  hmac_update_minbe (hmac, face_value);
  hmac_update_minbe (hmac, win_prob);
  hmac_update_minbe64 (hmac, expiration_block);
  hmac_update_minbe64 (hmac, reduced.price_per_unit);
  hmac_update_minbe64 (hmac, reduced.pixels_per_unit);
  if (aux_length > 0)
    g_hmac_update (hmac, aux, aux_length);
  g_hmac_get_digest (hmac, recipient_rand->be, &digest_length);
  g_hmac_unref (hmac);
}

static gboolean
insufficient_reserve (GError ** error, const gchar * why,
    const LpUint256 * face_value)
{
  gchar *text = lp_uint256_to_string (face_value);

  g_set_error (error, LP_RECIPIENT_ERROR,
      LP_RECIPIENT_ERROR_INSUFFICIENT_RESERVE,
      "insufficient sender reserve: faceValue=%s %s", text, why);
  g_free (text);
  return FALSE;
}

/* Sets @error to say that a credit of @balance falls short, and by what
 * measure (@format). */
static void G_GNUC_PRINTF (3, 4)
set_insufficient_balance (GError ** error, const LpRational * balance,
    const gchar * format, ...)
{
  gchar *have = lp_rational_floor_to_string (balance);
  gchar *shortfall;
  va_list args;

  va_start (args, format);
  shortfall = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, LP_RECIPIENT_ERROR,
      LP_RECIPIENT_ERROR_INSUFFICIENT_BALANCE, "insufficient balance: %s wei, "
      "%s", have, shortfall);
  g_free (have);
  g_free (shortfall);
}

/* Every price the recipient takes must have pixels per unit: a price of 0
 * pixels per unit divides by zero. */
static gboolean
check_price (const LpPriceInfo * price, GError ** error)
{
  if (lp_price_info_is_valid (price))
    return TRUE;
  g_set_error_literal (error, LP_RECIPIENT_ERROR,
      LP_RECIPIENT_ERROR_INVALID_PRICE, "invalid price: 0 pixels per unit");
  return FALSE;
}

/**
 * lp_recipient_face_value:
 * @config: (transfer none): the recipient's economics
 * @gas_price: (transfer none) (nullable): the current gas price, in wei
 *     (%NULL: 0)
 * @max_float: (transfer none) (nullable): the most this sender can pay
 *     this recipient for a ticket (its max float, from the ledger); %NULL
 *     for no limit
 * @face_value: (out caller-allocates): the face value
 * @error: (nullable): return location for a #GError
 *
 * go-livepeer's face value: the configured one, else `txCost × 100` with
 * `txCost = redeemGas × gasPrice`, raised to `EV × 100` when below the
 * EV; then capped by @max_float and the configured max face value. Pure:
 * MT safe.
 *
 * Returns: %TRUE on success; %FALSE with
 *     %LP_RECIPIENT_ERROR_INSUFFICIENT_RESERVE when the result is below
 *     the EV, or below both the tx cost and `redeemGas × 3 gwei`
 */
gboolean
lp_recipient_face_value (const LpRecipientConfig * config,
    const LpUint256 * gas_price, const LpUint256 * max_float,
    LpUint256 * face_value, GError ** error)
{
  LpUint256 gas, zero = LP_UINT256_INIT, tx_cost, avg_cost, avg_price, m;
  LpUint256 face;

  g_return_val_if_fail (config != NULL && face_value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (gas_price == NULL)
    gas_price = &zero;
  lp_uint256_from_uint64 (config->redeem_gas, &gas);
  if (!lp_uint256_mul (&gas, gas_price, &tx_cost, NULL))
    lp_uint256_set_max (&tx_cost);

  if (!lp_uint256_is_zero (&config->face_value)) {
    face = config->face_value;
  } else {
    lp_uint256_from_uint64 (LP_RECIPIENT_TX_COST_MULTIPLIER, &m);
    if (!lp_uint256_mul (&tx_cost, &m, &face, NULL))
      lp_uint256_set_max (&face);
    if (lp_uint256_cmp (&face, &config->ticket_ev) < 0) {
      lp_uint256_from_uint64 (LP_RECIPIENT_EV_MULTIPLIER, &m);
      if (!lp_uint256_mul (&config->ticket_ev, &m, &face, NULL))
        lp_uint256_set_max (&face);
    }
  }
  if (max_float != NULL && lp_uint256_cmp (&face, max_float) > 0)
    face = *max_float;
  if (!lp_uint256_is_zero (&config->max_face_value)
      && lp_uint256_cmp (&face, &config->max_face_value) > 0)
    face = config->max_face_value;

  if (lp_uint256_cmp (&face, &config->ticket_ev) < 0)
    return insufficient_reserve (error, "is below the ticket EV", &face);
  lp_uint256_parse (LP_RECIPIENT_AVG_GAS_PRICE, &avg_price, NULL);
  if (!lp_uint256_mul (&gas, &avg_price, &avg_cost, NULL))
    lp_uint256_set_max (&avg_cost);
  if (lp_uint256_cmp (&face, &tx_cost) < 0
      && lp_uint256_cmp (&face, &avg_cost) < 0)
    return insufficient_reserve (error,
        "does not cover a redemption transaction", &face);
  *face_value = face;
  return TRUE;
}

/**
 * lp_recipient_ticket_params:
 * @recipient: (transfer none): a recipient
 * @sender: (transfer none): the sender the parameters are for
 * @price: (transfer none): the price they are for; payments must carry it
 *     as their expected price
 * @gas_price: (transfer none) (nullable): the current gas price, in wei
 * @max_float: (transfer none) (nullable): the sender's max float; %NULL
 *     for no limit
 * @last_seen_block: the last L1 block seen
 * @expiration_params: (transfer none): the last initialized round and its
 *     block hash (from the ledger)
 * @params: (out caller-allocates): the ticket parameters
 * @error: (nullable): return location for a #GError
 *
 * Issues ticket parameters: a fresh random seed, the face value
 * (lp_recipient_face_value()), the winning probability for the configured
 * EV (lp_ticket_win_prob_for_ev()), expiration at @last_seen_block + 40,
 * and the hash of the derived recipientRand. A price of 0 gives face value
 * and winning probability 0 (no payment needed). MT safe.
 *
 * Returns: %TRUE on success; %FALSE with an %LP_RECIPIENT_ERROR
 *     (%LP_RECIPIENT_ERROR_INVALID_PRICE,
 *     %LP_RECIPIENT_ERROR_INSUFFICIENT_RESERVE or
 *     %LP_RECIPIENT_ERROR_FAILED)
 */
gboolean
lp_recipient_ticket_params (LpRecipient * recipient, const LpAddress * sender,
    const LpPriceInfo * price, const LpUint256 * gas_price,
    const LpUint256 * max_float, guint64 last_seen_block,
    const LpExpirationParams * expiration_params, LpTicketParams * params,
    GError ** error)
{
  LpTicketParams p;
  LpUint256 rand;
  GError *inner = NULL;

  g_return_val_if_fail (recipient != NULL && sender != NULL, FALSE);
  g_return_val_if_fail (price != NULL && expiration_params != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_price (price, error))
    return FALSE;

  memset (&p, 0, sizeof (p));
  p.recipient = recipient->address;
  if (price->price_per_unit != 0) {
    if (!lp_recipient_face_value (&recipient->config, gas_price, max_float,
            &p.face_value, error))
      return FALSE;
    if (!lp_ticket_win_prob_for_ev (&recipient->config.ticket_ev,
            &p.face_value, &p.win_prob, &inner)) {
      g_set_error (error, LP_RECIPIENT_ERROR,
          LP_RECIPIENT_ERROR_INSUFFICIENT_RESERVE,
          "insufficient sender reserve: %s", inner->message);
      g_error_free (inner);
      return FALSE;
    }
  }
  if (!lp_crypto_random_bytes (p.seed.be, LP_UINT256_SIZE, &inner)) {
    g_set_error (error, LP_RECIPIENT_ERROR, LP_RECIPIENT_ERROR_FAILED,
        "could not make a ticket seed: %s", inner->message);
    g_error_free (inner);
    return FALSE;
  }
  p.expiration_block = last_seen_block + LP_TICKET_PARAMS_VALIDITY_BLOCKS;
  p.expiration_params = *expiration_params;
  lp_recipient_rand (recipient, &p.seed, sender, &p.face_value, &p.win_prob,
      p.expiration_block, price, expiration_params, &rand);
  lp_ticket_recipient_rand_hash (&rand, p.recipient_rand_hash);
  lp_crypto_wipe (&rand, sizeof (rand));
  *params = p;
  return TRUE;
}

/* Records @nonce for the parameter set; called with LOCK */
static gboolean
record_nonce (LpRecipient * r, const LpPayment * payment, guint32 nonce,
    GError ** error)
{
  const LpTicketParams *tp = &payment->ticket_params;
  NonceSet *set = g_hash_table_lookup (r->nonce_sets, tp->recipient_rand_hash);
  gchar sender[LP_ADDRESS_TEXT_SIZE];
  gpointer key = GUINT_TO_POINTER (nonce);

  if (set == NULL) {
    set = g_new0 (NonceSet, 1);
    set->expiration_block = tp->expiration_block;
    set->nonces = g_hash_table_new (g_direct_hash, g_direct_equal);
    g_hash_table_insert (r->nonce_sets,
        g_memdup2 (tp->recipient_rand_hash, LP_KECCAK256_SIZE), set);
  }
  if (g_hash_table_contains (set->nonces, key)) {
    lp_address_format (&payment->sender, sender);
    g_set_error (error, LP_RECIPIENT_ERROR, LP_RECIPIENT_ERROR_NONCE_SEEN,
        "invalid ticket senderNonce: already seen sender=%s nonce=%u",
        sender, nonce);
    return FALSE;
  }
  if (g_hash_table_size (set->nonces) >= LP_TICKET_MAX_NONCES) {
    lp_address_format (&payment->sender, sender);
    g_set_error (error, LP_RECIPIENT_ERROR, LP_RECIPIENT_ERROR_TOO_MANY_NONCES,
        "invalid ticket senderNonce: too many values sender=%s nonce=%u "
        "(at most %u per ticket params)", sender, nonce, LP_TICKET_MAX_NONCES);
    return FALSE;
  }
  g_hash_table_add (set->nonces, key);
  return TRUE;
}

static void
rand_inputs_init (RandInputs * in, const LpPayment * payment)
{
  const LpTicketParams *tp = &payment->ticket_params;

  memset (in, 0, sizeof (*in));
  in->seed = tp->seed;
  in->sender = payment->sender;
  in->face_value = tp->face_value;
  in->win_prob = tp->win_prob;
  in->expiration_block = tp->expiration_block;
  lp_price_info_reduce (&payment->expected_price, &in->price);
  in->expiration_params.creation_round =
      payment->expiration_params.creation_round;
  memcpy (in->expiration_params.creation_round_block_hash,
      payment->expiration_params.creation_round_block_hash, LP_KECCAK256_SIZE);
}

/* Check 4: the recipientRand derived from @payment's parameters matches
 * their recipientRandHash. A parameter set already proven by an earlier
 * payment with the very same inputs skips the derivation. */
static gboolean
check_rand (LpRecipient * r, const LpPayment * payment, LpUint256 * rand)
{
  const LpTicketParams *tp = &payment->ticket_params;
  guint8 hash[LP_KECCAK256_SIZE];
  RandInputs inputs;
  NonceSet *set;
  gboolean known = FALSE;

  rand_inputs_init (&inputs, payment);
  LOCK (r);
  set = g_hash_table_lookup (r->nonce_sets, tp->recipient_rand_hash);
  if (set != NULL && memcmp (&set->inputs, &inputs, sizeof (inputs)) == 0) {
    *rand = set->rand;
    known = TRUE;
  }
  UNLOCK (r);
  if (known)
    return TRUE;

  lp_recipient_rand (r, &tp->seed, &payment->sender, &tp->face_value,
      &tp->win_prob, tp->expiration_block, &payment->expected_price,
      &payment->expiration_params, rand);
  lp_ticket_recipient_rand_hash (rand, hash);
  if (!lp_crypto_memeq (hash, tp->recipient_rand_hash, LP_KECCAK256_SIZE))
    return FALSE;

  LOCK (r);
  set = g_hash_table_lookup (r->nonce_sets, tp->recipient_rand_hash);
  if (set == NULL) {
    set = g_new0 (NonceSet, 1);
    set->expiration_block = tp->expiration_block;
    set->nonces = g_hash_table_new (g_direct_hash, g_direct_equal);
    g_hash_table_insert (r->nonce_sets,
        g_memdup2 (tp->recipient_rand_hash, LP_KECCAK256_SIZE), set);
  }
  set->inputs = inputs;
  set->rand = *rand;
  UNLOCK (r);
  return TRUE;
}

/* The four fatal checks, shared by every ticket of @payment. */
static gboolean
check_fatal (LpRecipient * r, const LpPayment * payment,
    const LpSenderInfo * info, LpUint256 * rand, GError ** error)
{
  const LpTicketParams *tp = &payment->ticket_params;
  gchar text[LP_ADDRESS_TEXT_SIZE];

  if (lp_sender_info_unlocking_soon (info)) {
    lp_address_format (&payment->sender, text);
    g_set_error (error, LP_RECIPIENT_ERROR, LP_RECIPIENT_ERROR_UNLOCK_SOON,
        "deposit and reserve for sender %s is set to unlock soon", text);
    return FALSE;
  }
  if (!lp_address_equal (&tp->recipient, &r->address)) {
    lp_address_format (&tp->recipient, text);
    g_set_error (error, LP_RECIPIENT_ERROR,
        LP_RECIPIENT_ERROR_INVALID_RECIPIENT,
        "invalid ticket recipient %s", text);
    return FALSE;
  }
  if (lp_address_is_zero (&payment->sender)) {
    g_set_error_literal (error, LP_RECIPIENT_ERROR,
        LP_RECIPIENT_ERROR_INVALID_SENDER, "invalid ticket sender");
    return FALSE;
  }
  if (!check_rand (r, payment, rand)) {
    g_set_error_literal (error, LP_RECIPIENT_ERROR,
        LP_RECIPIENT_ERROR_INVALID_RECIPIENT_RAND,
        "invalid recipientRand for ticket recipientRandHash");
    return FALSE;
  }
  return TRUE;
}

/* the exact EV of a ticket, from the one-entry cache when it can */
static LpRational *
ticket_ev (LpRecipient * r, const LpUint256 * face_value,
    const LpUint256 * win_prob)
{
  LpRational *ev = NULL;

  LOCK (r);
  if (r->ev != NULL && lp_uint256_equal (&r->ev_face_value, face_value)
      && lp_uint256_equal (&r->ev_win_prob, win_prob))
    ev = lp_rational_copy (r->ev);
  UNLOCK (r);
  if (ev != NULL)
    return ev;

  ev = lp_rational_new_ticket_ev (face_value, win_prob);
  LOCK (r);
  lp_rational_free (r->ev);
  r->ev = lp_rational_copy (ev);
  r->ev_face_value = *face_value;
  r->ev_win_prob = *win_prob;
  UNLOCK (r);
  return ev;
}

/**
 * lp_recipient_receive_payment:
 * @recipient: (transfer none): a recipient
 * @payment: (transfer none): a payment (lpwire parses it)
 * @session_id: the session to credit
 * @info: (transfer none): the sender's on-chain state, now (from the
 *     ledger); its @last_seen_block decides expiry
 * @n_credited: (out) (optional): how many tickets were credited
 * @n_winning: (out) (optional): how many winning tickets were queued
 * @error: (nullable): return location for a #GError
 *
 * Validates every ticket of @payment in docs/design/protocol.md §3 order (first
 * failure wins): sender not unlocking soon, recipient is us, sender
 * non-zero, recipientRand (derived with the payment's expected price)
 * matches its hash — these four are fatal: nothing is credited and the
 * error is returned at once; then per ticket the signature, the nonce
 * (fresh, at most %LP_TICKET_MAX_NONCES per parameter set) and expiry —
 * after the first of these failures no further EV is credited but the
 * remaining tickets are still processed and winners kept. The EV of the
 * credited tickets goes to balance(sender, @session_id); winners go to
 * the redemption queue (outside the lock). A payment without tickets
 * succeeds and credits nothing. MT safe.
 *
 * Returns: %TRUE when every ticket was accepted; %FALSE with an
 *     %LP_RECIPIENT_ERROR (lp_recipient_error_is_fatal() tells which kind)
 */
gboolean
lp_recipient_receive_payment (LpRecipient * recipient,
    const LpPayment * payment, const gchar * session_id,
    const LpSenderInfo * info, guint * n_credited, guint * n_winning,
    GError ** error)
{
  const LpTicketParams *tp;
  GArray *winners = NULL;
  GError *first_error = NULL;
  LpUint256 rand;
  guint n, i, credited = 0;
  gboolean expired;

  g_return_val_if_fail (recipient != NULL && payment != NULL, FALSE);
  g_return_val_if_fail (session_id != NULL && info != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_credited)
    *n_credited = 0;
  if (n_winning)
    *n_winning = 0;

  n = payment->tickets != NULL ? payment->tickets->len : 0;
  if (n == 0)
    return TRUE;
  if (!payment->has_ticket_params) {
    g_set_error_literal (error, LP_RECIPIENT_ERROR,
        LP_RECIPIENT_ERROR_MISSING_PARAMS, "missing ticket params");
    return FALSE;
  }
  if (!lp_price_info_is_valid (&payment->expected_price)) {
    g_set_error_literal (error, LP_RECIPIENT_ERROR,
        LP_RECIPIENT_ERROR_INVALID_PRICE,
        "invalid expected price: 0 pixels per unit");
    return FALSE;
  }
  if (!check_fatal (recipient, payment, info, &rand, error)) {
    lp_crypto_wipe (&rand, sizeof (rand));
    return FALSE;
  }

  tp = &payment->ticket_params;
  expired = tp->expiration_block <= info->last_seen_block;
  for (i = 0; i < n; i++) {
    const LpTicketSenderParams *tsp =
        &g_array_index (payment->tickets, LpTicketSenderParams, i);
    GError *ticket_error = NULL;
    LpTicket ticket;
    gboolean ok;

    lp_payment_get_ticket (payment, i, &ticket);
    if (!lp_ticket_verify (&ticket, tsp->sig, LP_SIGNATURE_SIZE, NULL)) {
      g_set_error_literal (&ticket_error, LP_RECIPIENT_ERROR,
          LP_RECIPIENT_ERROR_INVALID_SIGNATURE, "invalid ticket signature");
    } else {
      if (lp_ticket_wins (tsp->sig, &rand, &tp->win_prob)) {
        LpWinningTicket winner;

        if (winners == NULL)
          winners = g_array_new (FALSE, FALSE, sizeof (LpWinningTicket));
        winner.ticket = ticket;
        memcpy (winner.sig, tsp->sig, LP_SIGNATURE_SIZE);
        winner.recipient_rand = rand;
        winner.params_expiration_block = tp->expiration_block;
        g_array_append_val (winners, winner);
      }
      LOCK (recipient);
      ok = record_nonce (recipient, payment, tsp->sender_nonce, &ticket_error);
      UNLOCK (recipient);
      if (ok && expired)
        g_set_error_literal (&ticket_error, LP_RECIPIENT_ERROR,
            LP_RECIPIENT_ERROR_PARAMS_EXPIRED, "TicketParams expired");
    }

    if (ticket_error != NULL) {
      if (first_error == NULL)
        first_error = ticket_error;
      else
        g_error_free (ticket_error);
    } else if (first_error == NULL) {
      credited++;
    }
  }

  if (credited > 0) {
    LpRational *ev = ticket_ev (recipient, &tp->face_value, &tp->win_prob);

    if (credited > 1)
      lp_rational_mul_uint64 (ev, credited);
    lp_balances_credit (recipient->balances, &payment->sender, session_id, ev,
        g_get_monotonic_time ());
    lp_rational_free (ev);
  }
  if (winners != NULL) {
    for (i = 0; i < winners->len; i++) {
      LpWinningTicket *w = &g_array_index (winners, LpWinningTicket, i);

      if (recipient->queue.queue_ticket != NULL)
        recipient->queue.queue_ticket (w, recipient->queue.user_data);
      lp_crypto_wipe (&w->recipient_rand, sizeof (w->recipient_rand));
    }
    if (n_winning)
      *n_winning = winners->len;
    g_array_unref (winners);
  }
  lp_crypto_wipe (&rand, sizeof (rand));
  if (n_credited)
    *n_credited = credited;
  if (first_error != NULL) {
    g_propagate_error (error, first_error);
    return FALSE;
  }
  return TRUE;
}

/**
 * lp_recipient_get_balance:
 * @recipient: (transfer none): a recipient
 * @sender: (transfer none): a sender
 * @session_id: a session
 *
 * MT safe.
 *
 * Returns: (transfer full): the session's credit (0 when none)
 */
LpRational *
lp_recipient_get_balance (LpRecipient * recipient, const LpAddress * sender,
    const gchar * session_id)
{
  g_return_val_if_fail (recipient != NULL, NULL);

  return lp_balances_get (recipient->balances, sender, session_id);
}

/**
 * lp_recipient_check_balance:
 * @recipient: (transfer none): a recipient
 * @sender: (transfer none): a sender
 * @session_id: a session
 * @price: (transfer none): the session's price
 * @error: (nullable): return location for a #GError
 *
 * Whether the session may have work done: always at price 0, else when
 * its credit is at least one ticket's EV (the configured EV). MT safe.
 *
 * Returns: %TRUE when work may start; %FALSE with
 *     %LP_RECIPIENT_ERROR_INSUFFICIENT_BALANCE or
 *     %LP_RECIPIENT_ERROR_INVALID_PRICE
 */
gboolean
lp_recipient_check_balance (LpRecipient * recipient, const LpAddress * sender,
    const gchar * session_id, const LpPriceInfo * price, GError ** error)
{
  LpRational *balance, *ev;
  gboolean ok;

  g_return_val_if_fail (recipient != NULL && sender != NULL, FALSE);
  g_return_val_if_fail (session_id != NULL && price != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_price (price, error))
    return FALSE;
  if (price->price_per_unit == 0)
    return TRUE;

  balance = lp_balances_get (recipient->balances, sender, session_id);
  ev = lp_rational_new_uint256 (&recipient->config.ticket_ev);
  ok = lp_rational_cmp (balance, ev) >= 0;
  if (!ok) {
    gchar *need = lp_uint256_to_string (&recipient->config.ticket_ev);

    set_insufficient_balance (error, balance, "need at least %s wei", need);
    g_free (need);
  }
  lp_rational_free (balance);
  lp_rational_free (ev);
  return ok;
}

/**
 * lp_recipient_debit:
 * @recipient: (transfer none): a recipient
 * @sender: (transfer none): a sender
 * @session_id: a session
 * @pixels: the encoded output pixels of the work done
 * @price: (transfer none): the session's price
 * @error: (nullable): return location for a #GError
 *
 * Charges `pixels × price` to the session's credit (it may go negative).
 * MT safe.
 *
 * Returns: %TRUE; %FALSE with %LP_RECIPIENT_ERROR_INVALID_PRICE
 */
gboolean
lp_recipient_debit (LpRecipient * recipient, const LpAddress * sender,
    const gchar * session_id, guint64 pixels, const LpPriceInfo * price,
    GError ** error)
{
  LpRational *fee;

  g_return_val_if_fail (recipient != NULL && sender != NULL, FALSE);
  g_return_val_if_fail (session_id != NULL && price != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_price (price, error))
    return FALSE;
  fee = lp_rational_new_price (price, pixels, NULL);
  lp_balances_debit (recipient->balances, sender, session_id, fee,
      g_get_monotonic_time ());
  lp_rational_free (fee);
  return TRUE;
}

/**
 * lp_recipient_reserve:
 * @recipient: (transfer none): a recipient
 * @sender: (transfer none): a sender
 * @session_id: the credit account (a session, or one key for all of a
 *     sender's sessions)
 * @pixels: the output pixels the work is estimated at
 * @price: (transfer none): the price of the work
 * @error: (nullable): return location for a #GError
 *
 * Admits work whose fee is estimated at `pixels × price`: when the credit
 * covers that fee, it is taken from the credit at once (so that work
 * admitted at the same time cannot be paid by the same credit); give it
 * back with lp_recipient_refund() once the work is done (and debited with
 * lp_recipient_debit()) or abandoned. A price of 0 admits anything. MT
 * safe: two reservations never both take the same credit.
 *
 * Returns: %TRUE when admitted; %FALSE with
 *     %LP_RECIPIENT_ERROR_INSUFFICIENT_BALANCE or
 *     %LP_RECIPIENT_ERROR_INVALID_PRICE
 */
gboolean
lp_recipient_reserve (LpRecipient * recipient, const LpAddress * sender,
    const gchar * session_id, guint64 pixels, const LpPriceInfo * price,
    GError ** error)
{
  LpRational *balance, *fee;
  gboolean ok;

  g_return_val_if_fail (recipient != NULL && sender != NULL, FALSE);
  g_return_val_if_fail (session_id != NULL && price != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_price (price, error))
    return FALSE;
  if (price->price_per_unit == 0)
    return TRUE;
  fee = lp_rational_new_price (price, pixels, NULL);
  LOCK (recipient);
  balance = lp_balances_get (recipient->balances, sender, session_id);
  ok = lp_rational_cmp (balance, fee) >= 0;
  if (ok)
    lp_balances_debit (recipient->balances, sender, session_id, fee,
        g_get_monotonic_time ());
  UNLOCK (recipient);
  if (!ok) {
    gchar *need = lp_rational_to_string (fee);

    set_insufficient_balance (error, balance, "the estimated fee of %"
        G_GUINT64_FORMAT " pixels is %s wei", pixels, need);
    g_free (need);
  }
  lp_rational_free (balance);
  lp_rational_free (fee);
  return ok;
}

/**
 * lp_recipient_refund:
 * @recipient: (transfer none): a recipient
 * @sender: (transfer none): a sender
 * @session_id: the credit account
 * @pixels: output pixels
 * @price: (transfer none): their price
 *
 * Credits back `pixels × price`: what lp_recipient_reserve() took. MT
 * safe.
 */
void
lp_recipient_refund (LpRecipient * recipient, const LpAddress * sender,
    const gchar * session_id, guint64 pixels, const LpPriceInfo * price)
{
  LpRational *fee;

  g_return_if_fail (recipient != NULL && sender != NULL);
  g_return_if_fail (session_id != NULL && price != NULL);

  if (!lp_price_info_is_valid (price) || price->price_per_unit == 0)
    return;
  fee = lp_rational_new_price (price, pixels, NULL);
  lp_balances_credit (recipient->balances, sender, session_id, fee,
      g_get_monotonic_time ());
  lp_rational_free (fee);
}

/**
 * lp_recipient_purge_nonces:
 * @recipient: (transfer none): a recipient
 * @last_seen_block: the last L1 block seen
 *
 * Forgets the nonces of parameter sets that are expired
 * (`expirationBlock ≤ last_seen_block`): their tickets are refused as
 * expired anyway. Call on each new block. MT safe.
 *
 * Returns: how many parameter sets were forgotten
 */
guint
lp_recipient_purge_nonces (LpRecipient * recipient, guint64 last_seen_block)
{
  GHashTableIter iter;
  gpointer value;
  guint removed = 0;

  g_return_val_if_fail (recipient != NULL, 0);

  LOCK (recipient);
  g_hash_table_iter_init (&iter, recipient->nonce_sets);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    NonceSet *set = value;

    if (set->expiration_block <= last_seen_block) {
      g_hash_table_iter_remove (&iter);
      removed++;
    }
  }
  UNLOCK (recipient);
  return removed;
}

/**
 * lp_recipient_purge_balances:
 * @recipient: (transfer none): a recipient
 * @now: the current g_get_monotonic_time() (tests pass a later time)
 *
 * Forgets the balances of sessions not updated for
 * %LP_BALANCE_IDLE_TIMEOUT (10 minutes). MT safe.
 *
 * Returns: how many balances were forgotten
 */
guint
lp_recipient_purge_balances (LpRecipient * recipient, gint64 now)
{
  g_return_val_if_fail (recipient != NULL, 0);

  return lp_balances_purge (recipient->balances, now, LP_BALANCE_IDLE_TIMEOUT);
}

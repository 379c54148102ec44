/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:lpticket
 * @title: LpTicket
 * @short_description: probabilistic micropayment tickets
 *
 * The ticket of Livepeer's TicketBroker (docs/design/protocol.md §3): its hash (the
 * packed encoding `keccak256(abi.encodePacked(...))`), its hash signature,
 * the winning test, and the relation between face value, winning
 * probability and expected value. Every function here is pure: no state,
 * no I/O, safe from any thread (MT safe).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gmp.h>

#include "lpticket.h"

G_DEFINE_QUARK (lp-ticket-error-quark, lp_ticket_error);

/* ---- LpPayment ---- */

/**
 * lp_payment_new:
 *
 * Creates an empty payment: no ticket parameters, no tickets, zero sender
 * and a zero (invalid) price.
 *
 * Returns: (transfer full): a new #LpPayment; free with lp_payment_free()
 */
LpPayment *
lp_payment_new (void)
{
  LpPayment *payment = g_new0 (LpPayment, 1);

  payment->tickets = g_array_new (FALSE, TRUE, sizeof (LpTicketSenderParams));
  return payment;
}

/**
 * lp_payment_copy:
 * @payment: (transfer none): a payment
 *
 * Returns: (transfer full): a deep copy of @payment
 */
LpPayment *
lp_payment_copy (const LpPayment * payment)
{
  LpPayment *copy;

  g_return_val_if_fail (payment != NULL, NULL);

  copy = g_new (LpPayment, 1);
  *copy = *payment;
  copy->tickets = g_array_new (FALSE, TRUE, sizeof (LpTicketSenderParams));
  if (payment->tickets != NULL && payment->tickets->len > 0)
    g_array_append_vals (copy->tickets, payment->tickets->data,
        payment->tickets->len);
  return copy;
}

/**
 * lp_payment_free:
 * @payment: (transfer full) (nullable): a payment
 *
 * Frees @payment and its tickets.
 */
void
lp_payment_free (LpPayment * payment)
{
  if (payment == NULL)
    return;
  if (payment->tickets != NULL)
    g_array_unref (payment->tickets);
  g_free (payment);
}

/**
 * lp_payment_get_ticket:
 * @payment: (transfer none): a payment with ticket parameters
 * @index: which ticket, below `payment->tickets->len`
 * @ticket: (out caller-allocates): the full ticket
 *
 * Assembles ticket @index of @payment from the shared parameters, the
 * sender, the shared expiration parameters and the ticket's nonce: the
 * ticket the sender signed, if the payment is honest.
 */
void
lp_payment_get_ticket (const LpPayment * payment, guint index,
    LpTicket * ticket)
{
  const LpTicketSenderParams *tsp;

  g_return_if_fail (payment != NULL && ticket != NULL);
  g_return_if_fail (payment->tickets != NULL && index < payment->tickets->len);

  tsp = &g_array_index (payment->tickets, LpTicketSenderParams, index);
  memset (ticket, 0, sizeof (*ticket));
  ticket->recipient = payment->ticket_params.recipient;
  ticket->sender = payment->sender;
  ticket->face_value = payment->ticket_params.face_value;
  ticket->win_prob = payment->ticket_params.win_prob;
  ticket->sender_nonce = tsp->sender_nonce;
  memcpy (ticket->recipient_rand_hash,
      payment->ticket_params.recipient_rand_hash, LP_KECCAK256_SIZE);
  ticket->expiration_params = payment->expiration_params;
}

/* ---- one ticket ---- */

/**
 * lp_expiration_params_is_empty:
 * @params: (transfer none): expiration parameters
 *
 * Returns: %TRUE when the creation round and its block hash are both zero,
 *     that is when tickets carry no auxData
 */
gboolean
lp_expiration_params_is_empty (const LpExpirationParams * params)
{
  guint8 acc = 0;
  guint i;

  g_return_val_if_fail (params != NULL, TRUE);

  if (params->creation_round != 0)
    return FALSE;
  for (i = 0; i < LP_KECCAK256_SIZE; i++)
    acc |= params->creation_round_block_hash[i];
  return acc == 0;
}

/**
 * lp_expiration_params_aux_data:
 * @params: (transfer none): expiration parameters
 * @aux_data: (out caller-allocates) (array fixed-size=64): the auxData
 *
 * Writes `pad32(creationRound) ‖ creationRoundBlockHash`, or nothing when
 * @params is empty (lp_expiration_params_is_empty()).
 *
 * Returns: the auxData length: 64, or 0 when empty
 */
gsize
lp_expiration_params_aux_data (const LpExpirationParams * params,
    guint8 aux_data[64])
{
  LpUint256 round;

  g_return_val_if_fail (params != NULL && aux_data != NULL, 0);

  if (lp_expiration_params_is_empty (params))
    return 0;
  lp_uint256_from_uint64 (params->creation_round, &round);
  lp_uint256_pad32 (&round, aux_data);
  memcpy (aux_data + 32, params->creation_round_block_hash, 32);
  return 64;
}

/**
 * lp_sender_info_unlocking_soon:
 * @info: (transfer none): a sender's on-chain state
 *
 * Whether the sender's deposit and reserve unlock soon: a withdraw round
 * is set and it is not after the round following the last initialized one
 * (`withdrawRound ≠ 0 && withdrawRound ≤ lastInitializedRound + 1`). Both
 * sides refuse tickets then.
 *
 * Returns: %TRUE when unlocking soon
 */
gboolean
lp_sender_info_unlocking_soon (const LpSenderInfo * info)
{
  g_return_val_if_fail (info != NULL, TRUE);

  return info->withdraw_round != 0
      && (info->last_initialized_round == G_MAXUINT64
      || info->withdraw_round <= info->last_initialized_round + 1);
}

/**
 * lp_ticket_hash:
 * @ticket: (transfer none): a ticket
 * @hash: (out caller-allocates) (array fixed-size=32): its hash
 *
 * Computes the TicketBroker's ticket hash: keccak of recipient ‖ sender ‖
 * pad32(faceValue) ‖ pad32(winProb) ‖ pad32(senderNonce) ‖
 * recipientRandHash ‖ auxData (232 bytes, or 168 without auxData).
 */
void
lp_ticket_hash (const LpTicket * ticket, guint8 hash[LP_TICKET_HASH_SIZE])
{
  guint8 packed[LP_TICKET_PACKED_SIZE];
  guint8 *p = packed;
  LpUint256 nonce;

  g_return_if_fail (ticket != NULL && hash != NULL);

  memcpy (p, ticket->recipient.bytes, LP_ADDRESS_SIZE);
  p += LP_ADDRESS_SIZE;
  memcpy (p, ticket->sender.bytes, LP_ADDRESS_SIZE);
  p += LP_ADDRESS_SIZE;
  memcpy (p, ticket->face_value.be, 32);
  p += 32;
  memcpy (p, ticket->win_prob.be, 32);
  p += 32;
  lp_uint256_from_uint64 (ticket->sender_nonce, &nonce);
  memcpy (p, nonce.be, 32);
  p += 32;
  memcpy (p, ticket->recipient_rand_hash, 32);
  p += 32;
  p += lp_expiration_params_aux_data (&ticket->expiration_params, p);
  lp_keccak256 (packed, p - packed, hash);
}

/**
 * lp_ticket_sign:
 * @ticket: (transfer none): a ticket whose sender is @key's address
 * @key: (transfer none): the sender's key
 * @sig: (out caller-allocates) (array fixed-size=65): the signature
 * @error: (nullable): return location for a #GError
 *
 * Signs the ticket hash as a hash signature (docs/design/protocol.md §1). Nothing
 * checks that @ticket's sender is @key's address: a ticket signed by
 * someone else fails verification.
 *
 * Returns: %TRUE on success; %FALSE with @error (%LP_CRYPTO_ERROR) if
 *     libsecp256k1 refuses
 */
gboolean
lp_ticket_sign (const LpTicket * ticket, const LpPrivateKey * key,
    guint8 sig[LP_SIGNATURE_SIZE], GError ** error)
{
  guint8 hash[LP_TICKET_HASH_SIZE];

  g_return_val_if_fail (ticket != NULL && key != NULL && sig != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  lp_ticket_hash (ticket, hash);
  return lp_sign_hash (key, hash, sig, error);
}

/**
 * lp_ticket_verify:
 * @ticket: (transfer none): a ticket
 * @sig: (array length=sig_length): its signature
 * @sig_length: length of @sig (65 when well formed)
 * @error: (nullable): return location for a #GError
 *
 * Checks that @sig is the ticket sender's hash signature of the ticket
 * hash (65 bytes, v 27 or 28, low s).
 *
 * Returns: %TRUE when valid; %FALSE with @error (%LP_CRYPTO_ERROR_INVALID_SIGNATURE
 *     or %LP_CRYPTO_ERROR_WRONG_SIGNER) otherwise
 */
gboolean
lp_ticket_verify (const LpTicket * ticket, const guint8 * sig,
    gsize sig_length, GError ** error)
{
  guint8 hash[LP_TICKET_HASH_SIZE];

  g_return_val_if_fail (ticket != NULL, FALSE);
  g_return_val_if_fail (sig != NULL || sig_length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  lp_ticket_hash (ticket, hash);
  return lp_verify_hash (&ticket->sender, hash, sig, sig_length, error);
}

/**
 * lp_ticket_recipient_rand_hash:
 * @recipient_rand: (transfer none): the recipient's random number
 * @hash: (out caller-allocates) (array fixed-size=32): keccak(pad32(rand))
 *
 * Computes the commitment to @recipient_rand that ticket parameters carry.
 */
void
lp_ticket_recipient_rand_hash (const LpUint256 * recipient_rand,
    guint8 hash[LP_KECCAK256_SIZE])
{
  g_return_if_fail (recipient_rand != NULL && hash != NULL);

  lp_keccak256 (recipient_rand->be, LP_UINT256_SIZE, hash);
}

/**
 * lp_ticket_wins:
 * @sig: (array fixed-size=65): the ticket's signature
 * @recipient_rand: (transfer none): the recipient's random number
 * @win_prob: (transfer none): the ticket's winning threshold
 *
 * The winning test, as on chain:
 * `uint256(keccak(sig ‖ pad32(recipientRand))) < winProb`.
 *
 * Returns: %TRUE when the ticket wins
 */
gboolean
lp_ticket_wins (const guint8 sig[LP_SIGNATURE_SIZE],
    const LpUint256 * recipient_rand, const LpUint256 * win_prob)
{
  guint8 buf[LP_SIGNATURE_SIZE + LP_UINT256_SIZE];
  LpUint256 value;

  g_return_val_if_fail (sig != NULL && recipient_rand != NULL, FALSE);
  g_return_val_if_fail (win_prob != NULL, FALSE);

  memcpy (buf, sig, LP_SIGNATURE_SIZE);
  memcpy (buf + LP_SIGNATURE_SIZE, recipient_rand->be, LP_UINT256_SIZE);
  lp_keccak256 (buf, sizeof (buf), value.be);
  return lp_uint256_cmp (&value, win_prob) < 0;
}

/**
 * lp_ticket_win_prob_for_ev:
 * @ev: (transfer none): the target expected value, in wei
 * @face_value: (transfer none): the face value, in wei
 * @win_prob: (out caller-allocates): the winning threshold
 * @error: (nullable): return location for a #GError
 *
 * Computes go-livepeer's winning probability for a target EV:
 * 0 when @face_value is 0, 2^256−1 when @face_value equals @ev, else
 * `ev × ceil((2^256−1) / faceValue)`. The resulting ticket's EV (see
 * lp_ticket_expected_value()) is at least @ev and equals it exactly when
 * @face_value divides 2^256−1; otherwise it exceeds @ev by less than
 * `ev × faceValue / (2^256−1)` wei (far below 1 wei for real values).
 *
 * Returns: %TRUE on success; %FALSE with %LP_TICKET_ERROR_EV_ABOVE_FACE_VALUE
 *     when @ev is above a non-zero @face_value, or with
 *     %LP_UINT256_ERROR_OVERFLOW when the product exceeds 2^256−1 (only
 *     possible for face values above 2^128 wei)
 */
gboolean
lp_ticket_win_prob_for_ev (const LpUint256 * ev, const LpUint256 * face_value,
    LpUint256 * win_prob, GError ** error)
{
  LpUint256 max, quotient;

  g_return_val_if_fail (ev != NULL && face_value != NULL, FALSE);
  g_return_val_if_fail (win_prob != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (lp_uint256_is_zero (face_value)) {
    lp_uint256_set_zero (win_prob);
    return TRUE;
  }
  if (lp_uint256_cmp (ev, face_value) > 0) {
    g_set_error_literal (error, LP_TICKET_ERROR,
        LP_TICKET_ERROR_EV_ABOVE_FACE_VALUE,
        "Ticket expected value is above its face value");
    return FALSE;
  }
  lp_uint256_set_max (&max);
  if (lp_uint256_equal (ev, face_value)) {
    *win_prob = max;
    return TRUE;
  }
  /* ev < faceValue: the product fits unless faceValue is astronomically
   * large (above 2^128 wei) and ev close to it */
  if (!lp_uint256_ceil_div (&max, face_value, &quotient, error)
      || !lp_uint256_mul (ev, &quotient, win_prob, error))
    return FALSE;
  return TRUE;
}

/**
 * lp_ticket_expected_value:
 * @face_value: (transfer none): the face value, in wei
 * @win_prob: (transfer none): the winning threshold
 * @ev_floor: (out caller-allocates): floor of the expected value, in wei
 * @exact: (out) (optional): whether the expected value is an integer
 *     (then @ev_floor is it exactly)
 *
 * Computes a ticket's expected value, the exact rational
 * `faceValue × winProb / (2^256−1)`, as its floor.
 */
void
lp_ticket_expected_value (const LpUint256 * face_value,
    const LpUint256 * win_prob, LpUint256 * ev_floor, gboolean * exact)
{
  mpz_t f, w, max, rem;
  gsize count;

  g_return_if_fail (face_value != NULL && win_prob != NULL);
  g_return_if_fail (ev_floor != NULL);

  mpz_inits (f, w, max, rem, NULL);
  mpz_import (f, LP_UINT256_SIZE, 1, 1, 1, 0, face_value->be);
  mpz_import (w, LP_UINT256_SIZE, 1, 1, 1, 0, win_prob->be);
  mpz_mul (f, f, w);
  mpz_ui_pow_ui (max, 2, 256);
  mpz_sub_ui (max, max, 1);
  mpz_tdiv_qr (f, rem, f, max);
  if (exact != NULL)
    *exact = mpz_sgn (rem) == 0;
  /* the quotient is at most min(faceValue, winProb): it fits */
  memset (ev_floor, 0, sizeof (*ev_floor));
  if (mpz_sgn (f) > 0) {
    count = (mpz_sizeinbase (f, 2) + 7) / 8;
    mpz_export (ev_floor->be + LP_UINT256_SIZE - count, NULL, 1, 1, 1, 0, f);
  }
  mpz_clears (f, w, max, rem, NULL);
}

/* ---- prices ---- */

/**
 * lp_price_info_is_valid:
 * @price: (transfer none): a price
 *
 * Returns: %TRUE when @price's pixels per unit is not 0
 */
gboolean
lp_price_info_is_valid (const LpPriceInfo * price)
{
  g_return_val_if_fail (price != NULL, FALSE);

  return price->pixels_per_unit != 0;
}

static guint64
gcd64 (guint64 a, guint64 b)
{
  while (b != 0) {
    guint64 t = a % b;

    a = b;
    b = t;
  }
  return a;
}

/**
 * lp_price_info_reduce:
 * @price: (transfer none): a valid price
 * @reduced: (out caller-allocates): the reduced fraction; 0 is 0/1
 *
 * Reduces @price's fraction to lowest terms, as Go's big.Rat does: the
 * form hashed into recipientRand. An invalid price (pixels per unit 0) is
 * copied unchanged.
 */
void
lp_price_info_reduce (const LpPriceInfo * price, LpPriceInfo * reduced)
{
  guint64 g;

  g_return_if_fail (price != NULL && reduced != NULL);

  if (price->pixels_per_unit == 0) {
    *reduced = *price;
    return;
  }
  if (price->price_per_unit == 0) {
    reduced->price_per_unit = 0;
    reduced->pixels_per_unit = 1;
    return;
  }
  g = gcd64 (price->price_per_unit, price->pixels_per_unit);
  reduced->price_per_unit = price->price_per_unit / g;
  reduced->pixels_per_unit = price->pixels_per_unit / g;
}

/**
 * lp_price_info_equal:
 * @a: (transfer none): a valid price
 * @b: (transfer none): another valid price
 *
 * Returns: %TRUE when @a and @b are the same price per pixel (1200/1
 *     equals 2400/2); invalid prices equal nothing
 */
gboolean
lp_price_info_equal (const LpPriceInfo * a, const LpPriceInfo * b)
{
  LpPriceInfo ra, rb;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (!lp_price_info_is_valid (a) || !lp_price_info_is_valid (b))
    return FALSE;
  lp_price_info_reduce (a, &ra);
  lp_price_info_reduce (b, &rb);
  return ra.price_per_unit == rb.price_per_unit
      && ra.pixels_per_unit == rb.pixels_per_unit;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Probabilistic micropayment tickets (docs/design/protocol.md §3): the data types every
 * payment module shares, and the pure functions over one ticket. No I/O, no
 * state: safe from any thread.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpuint256.h>

G_BEGIN_DECLS

/* Protocol constants (go-livepeer, TicketBroker) */
#define LP_TICKET_MAX_NONCES 600        /* tickets per parameter set */
#define LP_TICKET_PARAMS_VALIDITY_BLOCKS 40     /* expiration = block + 40 */
#define LP_TICKET_VALIDITY_ROUNDS 2     /* redeemable while round + 2 > now */
#define LP_TICKET_HASH_SIZE LP_KECCAK256_SIZE
#define LP_TICKET_PACKED_SIZE 232       /* with auxData; 168 without */
#define LP_TICKET_PACKED_SIZE_NO_AUX 168

/**
 * LP_TICKET_ERROR:
 *
 * Error domain of lpticket (the pure functions over one ticket); its codes
 * are #LpTicketError. Signature checks report %LP_CRYPTO_ERROR.
 */
#define LP_TICKET_ERROR (lp_ticket_error_quark ())
GST_LIVEPEER_API
GQuark lp_ticket_error_quark (void);

/**
 * LpTicketError:
 * @LP_TICKET_ERROR_EV_ABOVE_FACE_VALUE: a target expected value above the
 *     face value, which no winning probability can reach
 *
 * Error codes of the %LP_TICKET_ERROR domain.
 */
typedef enum
{
  LP_TICKET_ERROR_EV_ABOVE_FACE_VALUE,
} LpTicketError;

/**
 * LpPriceInfo:
 * @price_per_unit: wei per @pixels_per_unit pixels
 * @pixels_per_unit: pixels the price is for; never 0 in a valid price
 *
 * A price as go-livepeer's PriceInfo. Price per pixel is the rational
 * @price_per_unit / @pixels_per_unit; compare and hash it reduced.
 */
typedef struct
{
  guint64 price_per_unit;
  guint64 pixels_per_unit;
} LpPriceInfo;

/**
 * LpExpirationParams:
 * @creation_round: the round the parameters were made in
 * @creation_round_block_hash: that round's block hash
 *
 * Both zero means "no auxData" in the ticket hash.
 */
typedef struct
{
  guint64 creation_round;
  guint8 creation_round_block_hash[LP_KECCAK256_SIZE];
} LpExpirationParams;

/**
 * LpSenderInfo:
 * @deposit: the sender's TicketBroker deposit, in wei
 * @reserve: the funds remaining in the sender's reserve, in wei
 * @withdraw_round: the round its deposit and reserve unlock in; 0 when no
 *     unlock is pending
 * @last_initialized_round: the last initialized round
 * @last_seen_block: the last L1 block seen
 *
 * What the chain says about a sender, now. Both sides take it from the
 * caller (the ledger fills it): the sender before paying, the recipient
 * before crediting. A plain value type.
 */
typedef struct
{
  LpUint256 deposit;
  LpUint256 reserve;
  guint64 withdraw_round;
  guint64 last_initialized_round;
  guint64 last_seen_block;
} LpSenderInfo;

/**
 * LpTicketParams:
 * @recipient: the orchestrator's (ticket recipient's) address
 * @face_value: wei paid if a ticket wins
 * @win_prob: winning threshold out of 2^256-1
 * @recipient_rand_hash: keccak(pad32(recipientRand))
 * @seed: the recipient's seed for this parameter set
 * @expiration_block: the first block at which the parameters are expired
 * @expiration_params: creation round and its block hash
 *
 * What an orchestrator hands a sender in OrchestratorInfo.ticket_params.
 */
typedef struct
{
  LpAddress recipient;
  LpUint256 face_value;
  LpUint256 win_prob;
  guint8 recipient_rand_hash[LP_KECCAK256_SIZE];
  LpUint256 seed;
  guint64 expiration_block;
  LpExpirationParams expiration_params;
} LpTicketParams;

/**
 * LpTicket:
 * @recipient: ticket recipient
 * @sender: ticket sender (the broadcaster)
 * @face_value: wei paid if it wins
 * @win_prob: winning threshold
 * @sender_nonce: 1, 2, ... per recipient_rand_hash; at most
 *     %LP_TICKET_MAX_NONCES
 * @recipient_rand_hash: from the parameters
 * @expiration_params: creation round and block hash (the auxData)
 *
 * Exactly the fields the TicketBroker contract hashes, in its order.
 */
typedef struct
{
  LpAddress recipient;
  LpAddress sender;
  LpUint256 face_value;
  LpUint256 win_prob;
  guint32 sender_nonce;
  guint8 recipient_rand_hash[LP_KECCAK256_SIZE];
  LpExpirationParams expiration_params;
} LpTicket;

/**
 * LpTicketSenderParams:
 * @sender_nonce: the ticket's nonce
 * @sig: the sender's hash signature of the ticket hash (r ‖ s ‖ v)
 *
 * The per-ticket part of a Payment.
 */
typedef struct
{
  guint32 sender_nonce;
  guint8 sig[LP_SIGNATURE_SIZE];
} LpTicketSenderParams;

/**
 * LpPayment:
 * @has_ticket_params: whether @ticket_params is present (a payment without
 *     tickets carries only @sender and @expected_price)
 * @ticket_params: the parameters all tickets were made from
 * @sender: the broadcaster's address
 * @expiration_params: shared by all tickets
 * @tickets: (element-type LpTicketSenderParams): one entry per ticket
 * @expected_price: the price the sender believes it pays; part of the
 *     recipientRand derivation, so it must equal what the params came with
 *
 * A Payment as docs/design/protocol.md §7 / go-livepeer's net.Payment. Create with
 * lp_payment_new(), free with lp_payment_free().
 */
typedef struct
{
  gboolean has_ticket_params;
  LpTicketParams ticket_params;
  LpAddress sender;
  LpExpirationParams expiration_params;
  GArray *tickets;
  LpPriceInfo expected_price;
} LpPayment;

GST_LIVEPEER_API
LpPayment *lp_payment_new (void);
GST_LIVEPEER_API
LpPayment *lp_payment_copy (const LpPayment * payment);
GST_LIVEPEER_API
void lp_payment_free (LpPayment * payment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpPayment, lp_payment_free)

GST_LIVEPEER_API
void lp_payment_get_ticket (const LpPayment * payment, guint index,
    LpTicket * ticket);

/* --- one ticket ----------------------------------------------------------*/

GST_LIVEPEER_API
gboolean lp_expiration_params_is_empty (const LpExpirationParams * params);
GST_LIVEPEER_API
gsize lp_expiration_params_aux_data (const LpExpirationParams * params,
    guint8 aux_data[64]);
GST_LIVEPEER_API
gboolean lp_sender_info_unlocking_soon (const LpSenderInfo * info);

GST_LIVEPEER_API
void lp_ticket_hash (const LpTicket * ticket,
    guint8 hash[LP_TICKET_HASH_SIZE]);
GST_LIVEPEER_API
gboolean lp_ticket_sign (const LpTicket * ticket, const LpPrivateKey * key,
    guint8 sig[LP_SIGNATURE_SIZE], GError ** error);
GST_LIVEPEER_API
gboolean lp_ticket_verify (const LpTicket * ticket,
    const guint8 * sig, gsize sig_length, GError ** error);

GST_LIVEPEER_API
void lp_ticket_recipient_rand_hash (const LpUint256 * recipient_rand,
    guint8 hash[LP_KECCAK256_SIZE]);
GST_LIVEPEER_API
gboolean lp_ticket_wins (const guint8 sig[LP_SIGNATURE_SIZE],
    const LpUint256 * recipient_rand, const LpUint256 * win_prob);

GST_LIVEPEER_API
gboolean lp_ticket_win_prob_for_ev (const LpUint256 * ev,
    const LpUint256 * face_value, LpUint256 * win_prob, GError ** error);
GST_LIVEPEER_API
void lp_ticket_expected_value (const LpUint256 * face_value,
    const LpUint256 * win_prob, LpUint256 * ev_floor, gboolean * exact);

GST_LIVEPEER_API
gboolean lp_price_info_is_valid (const LpPriceInfo * price);
GST_LIVEPEER_API
void lp_price_info_reduce (const LpPriceInfo * price, LpPriceInfo * reduced);
GST_LIVEPEER_API
gboolean lp_price_info_equal (const LpPriceInfo * a, const LpPriceInfo * b);

G_END_DECLS

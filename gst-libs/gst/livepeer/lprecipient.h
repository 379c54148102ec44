/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The orchestrator's side of probabilistic micropayments: ticket
 * parameters per sender, validation of received tickets, seen nonces,
 * credit, and the hand-off of winning tickets to a redemption queue.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gst/livepeer/lpticket.h>
#include <gst/livepeer/lpbalance.h>

G_BEGIN_DECLS

/* go-livepeer's defaults and constants (reference §4.6) */
#define LP_RECIPIENT_DEFAULT_TICKET_EV "8000000000"     /* 8 gwei */
#define LP_RECIPIENT_REDEEM_GAS_L2 1200000
#define LP_RECIPIENT_REDEEM_GAS_L1 350000
#define LP_RECIPIENT_TX_COST_MULTIPLIER 100
#define LP_RECIPIENT_EV_MULTIPLIER 100
#define LP_RECIPIENT_AVG_GAS_PRICE "3000000000" /* 3 gwei */
#define LP_RECIPIENT_SECRET_SIZE 32

/**
 * LP_RECIPIENT_ERROR:
 *
 * Error domain of lprecipient; its codes are #LpRecipientError.
 * lp_recipient_error_is_fatal() tells which refusals end a payment.
 */
#define LP_RECIPIENT_ERROR (lp_recipient_error_quark ())
GST_LIVEPEER_API
GQuark lp_recipient_error_quark (void);

/**
 * LpRecipientError:
 * @LP_RECIPIENT_ERROR_UNLOCK_SOON: (fatal) the sender's deposit and
 *     reserve unlock soon
 * @LP_RECIPIENT_ERROR_INVALID_RECIPIENT: (fatal) the tickets are for
 *     another recipient
 * @LP_RECIPIENT_ERROR_INVALID_SENDER: (fatal) the sender is the zero
 *     address
 * @LP_RECIPIENT_ERROR_INVALID_RECIPIENT_RAND: (fatal) the parameters or
 *     the expected price differ from those the recipient issued, so the
 *     derived recipientRand does not match recipientRandHash
 * @LP_RECIPIENT_ERROR_INVALID_SIGNATURE: a ticket's signature does not
 *     recover to the sender
 * @LP_RECIPIENT_ERROR_NONCE_SEEN: a ticket's nonce was already used with
 *     these parameters
 * @LP_RECIPIENT_ERROR_TOO_MANY_NONCES: more than %LP_TICKET_MAX_NONCES
 *     nonces with these parameters
 * @LP_RECIPIENT_ERROR_PARAMS_EXPIRED: the parameters are expired
 * @LP_RECIPIENT_ERROR_MISSING_PARAMS: (fatal) tickets without ticket
 *     parameters
 * @LP_RECIPIENT_ERROR_INVALID_PRICE: (fatal) a price with 0 pixels per
 *     unit
 * @LP_RECIPIENT_ERROR_INSUFFICIENT_RESERVE: no usable face value for this
 *     sender (below the EV, or not worth a redemption transaction)
 * @LP_RECIPIENT_ERROR_INSUFFICIENT_BALANCE: the session's credit is below
 *     one ticket's EV
 * @LP_RECIPIENT_ERROR_FAILED: the system's random source failed
 *
 * Error codes of the %LP_RECIPIENT_ERROR domain; their messages read like
 * go-livepeer's.
 */
typedef enum
{
  LP_RECIPIENT_ERROR_UNLOCK_SOON,
  LP_RECIPIENT_ERROR_INVALID_RECIPIENT,
  LP_RECIPIENT_ERROR_INVALID_SENDER,
  LP_RECIPIENT_ERROR_INVALID_RECIPIENT_RAND,
  LP_RECIPIENT_ERROR_INVALID_SIGNATURE,
  LP_RECIPIENT_ERROR_NONCE_SEEN,
  LP_RECIPIENT_ERROR_TOO_MANY_NONCES,
  LP_RECIPIENT_ERROR_PARAMS_EXPIRED,
  LP_RECIPIENT_ERROR_MISSING_PARAMS,
  LP_RECIPIENT_ERROR_INVALID_PRICE,
  LP_RECIPIENT_ERROR_INSUFFICIENT_RESERVE,
  LP_RECIPIENT_ERROR_INSUFFICIENT_BALANCE,
  LP_RECIPIENT_ERROR_FAILED,
} LpRecipientError;

GST_LIVEPEER_API
gboolean lp_recipient_error_is_fatal (const GError * error);

/**
 * LpRecipientConfig:
 * @ticket_ev: the expected value of one ticket, in wei (default
 *     %LP_RECIPIENT_DEFAULT_TICKET_EV)
 * @face_value: a fixed face value, in wei; 0 (default) derives it from
 *     the gas price (tx cost × 100)
 * @max_face_value: a cap on the face value, in wei; 0 (default) is none
 * @redeem_gas: gas of one redemption (default
 *     %LP_RECIPIENT_REDEEM_GAS_L2)
 *
 * A recipient's ticket economics. lp_recipient_config_init() fills the
 * defaults.
 */
typedef struct
{
  LpUint256 ticket_ev;
  LpUint256 face_value;
  LpUint256 max_face_value;
  guint64 redeem_gas;
} LpRecipientConfig;

GST_LIVEPEER_API
void lp_recipient_config_init (LpRecipientConfig * config);

/**
 * LpWinningTicket:
 * @ticket: the ticket
 * @sig: the sender's signature of it
 * @recipient_rand: the recipient's random number, revealed on redemption
 * @params_expiration_block: the expiration block of the parameters it was
 *     made from
 *
 * Everything a TicketBroker redemption needs.
 */
typedef struct
{
  LpTicket ticket;
  guint8 sig[LP_SIGNATURE_SIZE];
  LpUint256 recipient_rand;
  guint64 params_expiration_block;
} LpWinningTicket;

/**
 * LpRedeemability:
 * @LP_REDEEMABILITY_WAIT: not yet: its parameters are not expired, so
 *     revealing recipientRand now would let the sender pick winners
 * @LP_REDEEMABILITY_NOW: redeemable now
 * @LP_REDEEMABILITY_TOO_LATE: never: its creation round is
 *     %LP_TICKET_VALIDITY_ROUNDS or more rounds old (drop it)
 *
 * Whether a queued winning ticket may be redeemed.
 */
typedef enum
{
  LP_REDEEMABILITY_WAIT,
  LP_REDEEMABILITY_NOW,
  LP_REDEEMABILITY_TOO_LATE,
} LpRedeemability;

GST_LIVEPEER_API
LpRedeemability lp_winning_ticket_redeemability (const LpWinningTicket *
    ticket, guint64 last_seen_block, guint64 current_round);

#define LP_REDEMPTION_QUEUE_VERSION 0

/**
 * LpRedemptionQueue:
 * @version: %LP_REDEMPTION_QUEUE_VERSION
 * @queue_ticket: takes one winning ticket (copy what you keep; @ticket is
 *     only valid during the call). Called from the thread that called
 *     lp_recipient_receive_payment(), with no lock of the recipient held;
 *     it must not block for long (store and return).
 * @user_data: passed to @queue_ticket
 *
 * Where a recipient hands its winning tickets (the ledger implements it).
 * The implementer's contract, as go-livepeer's queue and the contract
 * require:
 *
 * - store the ticket durably before returning; a ticket lost is money
 *   lost;
 * - redeem it only when lp_winning_ticket_redeemability() says
 *   %LP_REDEEMABILITY_NOW (after its parameters expire: recipientRand is
 *   only revealed once it cannot be reused; and while `creationRound +
 *   2 > currentRound`), and drop it when it says
 *   %LP_REDEEMABILITY_TOO_LATE;
 * - be idempotent per ticket hash (lp_ticket_hash()): the same ticket may
 *   be queued more than once (a replayed winner), and "ticket already
 *   used" on chain is final.
 *
 * A versioned listener struct: zero-fill it and set @version.
 */
typedef struct
{
  guint version;
  void (*queue_ticket) (const LpWinningTicket * ticket, gpointer user_data);
  gpointer user_data;
  /*< private >*/
  gpointer _reserved[4];
} LpRedemptionQueue;

/**
 * LpRecipient:
 *
 * An orchestrator's ticket recipient: its address, a 32-byte secret
 * (wiped on free; GLib's HMAC state keyed with it is freed but not wiped)
 * from which every recipientRand is derived, the nonces seen per parameter
 * set (with the recipientRand each set was proven with, wiped when the set
 * is purged) and the credit per (sender, session). Opaque.
 * MT safe: several HTTP handler threads may validate payments at once;
 * signatures are checked outside the lock.
 */
typedef struct _LpRecipient LpRecipient;

GST_LIVEPEER_API
LpRecipient *lp_recipient_new (const LpAddress * address,
    const LpRecipientConfig * config, const LpRedemptionQueue * queue,
    GError ** error);
GST_LIVEPEER_API
LpRecipient *lp_recipient_new_with_secret (const LpAddress * address,
    const guint8 * secret, gsize secret_length,
    const LpRecipientConfig * config, const LpRedemptionQueue * queue);
GST_LIVEPEER_API
void lp_recipient_free (LpRecipient * recipient);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpRecipient, lp_recipient_free)

GST_LIVEPEER_API
const LpAddress *lp_recipient_get_address (LpRecipient * recipient);

GST_LIVEPEER_API
void lp_recipient_rand (LpRecipient * recipient, const LpUint256 * seed,
    const LpAddress * sender, const LpUint256 * face_value,
    const LpUint256 * win_prob, guint64 expiration_block,
    const LpPriceInfo * price, const LpExpirationParams * expiration_params,
    LpUint256 * recipient_rand);

GST_LIVEPEER_API
gboolean lp_recipient_face_value (const LpRecipientConfig * config,
    const LpUint256 * gas_price, const LpUint256 * max_float,
    LpUint256 * face_value, GError ** error);
GST_LIVEPEER_API
gboolean lp_recipient_ticket_params (LpRecipient * recipient,
    const LpAddress * sender, const LpPriceInfo * price,
    const LpUint256 * gas_price, const LpUint256 * max_float,
    guint64 last_seen_block, const LpExpirationParams * expiration_params,
    LpTicketParams * params, GError ** error);

GST_LIVEPEER_API
gboolean lp_recipient_receive_payment (LpRecipient * recipient,
    const LpPayment * payment, const gchar * session_id,
    const LpSenderInfo * info, guint * n_credited, guint * n_winning,
    GError ** error);

GST_LIVEPEER_API
LpRational *lp_recipient_get_balance (LpRecipient * recipient,
    const LpAddress * sender, const gchar * session_id);
GST_LIVEPEER_API
gboolean lp_recipient_check_balance (LpRecipient * recipient,
    const LpAddress * sender, const gchar * session_id,
    const LpPriceInfo * price, GError ** error);
GST_LIVEPEER_API
gboolean lp_recipient_debit (LpRecipient * recipient,
    const LpAddress * sender, const gchar * session_id, guint64 pixels,
    const LpPriceInfo * price, GError ** error);

GST_LIVEPEER_API
gboolean lp_recipient_reserve (LpRecipient * recipient,
    const LpAddress * sender, const gchar * session_id, guint64 pixels,
    const LpPriceInfo * price, GError ** error);
GST_LIVEPEER_API
void lp_recipient_refund (LpRecipient * recipient, const LpAddress * sender,
    const gchar * session_id, guint64 pixels, const LpPriceInfo * price);

GST_LIVEPEER_API
guint lp_recipient_purge_nonces (LpRecipient * recipient,
    guint64 last_seen_block);
GST_LIVEPEER_API
guint lp_recipient_purge_balances (LpRecipient * recipient, gint64 now);

G_END_DECLS

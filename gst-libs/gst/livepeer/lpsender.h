/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The broadcaster's side of probabilistic micropayments: sessions per
 * ticket parameter set, the checks before paying, nonces, signed tickets,
 * and the fee estimate.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gst/livepeer/lpticket.h>
#include <gst/livepeer/lpbalance.h>

G_BEGIN_DECLS

/* go-livepeer's defaults */
#define LP_SENDER_DEFAULT_MAX_TICKET_EV "3000000000000"        /* 3e12 wei */
#define LP_SENDER_DEFAULT_MAX_TOTAL_EV "20000000000000"        /* 2e13 wei */
#define LP_SENDER_DEFAULT_DEPOSIT_MULTIPLIER 1
/* parameters are treated as expired this many blocks before expiration */
#define LP_SENDER_EXPIRY_MARGIN_BLOCKS 1
/* the frame rate assumed for a profile that keeps the source rate */
#define LP_SENDER_PASSTHROUGH_FPS 60

/**
 * LP_PAYMENT_ERROR:
 *
 * Error domain of lpsender: why a broadcaster refuses to pay; its codes
 * are #LpPaymentError.
 */
#define LP_PAYMENT_ERROR (lp_payment_error_quark ())
GST_LIVEPEER_API
GQuark lp_payment_error_quark (void);

/**
 * LpPaymentError:
 * @LP_PAYMENT_ERROR_MISSING_PARAMS: no ticket parameters, or an expiration
 *     block of 0
 * @LP_PAYMENT_ERROR_PARAMS_EXPIRED: the parameters expire within
 *     %LP_SENDER_EXPIRY_MARGIN_BLOCKS blocks: refresh them from the
 *     orchestrator
 * @LP_PAYMENT_ERROR_FACE_VALUE_TOO_LOW: a ticket's EV is not below its face
 *     value
 * @LP_PAYMENT_ERROR_EV_TOO_HIGH: a ticket's EV is above the maximum
 * @LP_PAYMENT_ERROR_UNLOCK_SOON: the sender's deposit and reserve unlock
 *     soon
 * @LP_PAYMENT_ERROR_NO_RESERVE: the sender has no reserve
 * @LP_PAYMENT_ERROR_NO_DEPOSIT: the sender has no deposit
 * @LP_PAYMENT_ERROR_TOTAL_EV_TOO_HIGH: the tickets' EV together is above
 *     the maximum for one payment
 * @LP_PAYMENT_ERROR_FACE_VALUE_TOO_HIGH: the face value is above the
 *     deposit divided by the deposit multiplier
 * @LP_PAYMENT_ERROR_TOO_MANY_TICKETS: the parameter set's
 *     %LP_TICKET_MAX_NONCES nonces are used up: refresh the parameters
 * @LP_PAYMENT_ERROR_UNKNOWN_SESSION: no session with that id
 * @LP_PAYMENT_ERROR_INVALID_PRICE: a price with 0 pixels per unit
 * @LP_PAYMENT_ERROR_SIGNING: the sender's key could not sign
 * @LP_PAYMENT_ERROR_PAYMENT_TOO_LARGE: more tickets than one payment can
 *     carry (%LP_WIRE_MAX_TICKETS_PER_PAYMENT): at that orchestrator's
 *     ticket EV the fee cannot be paid in one request
 *
 * Error codes of the %LP_PAYMENT_ERROR domain; their messages read like
 * go-livepeer's.
 */
typedef enum
{
  LP_PAYMENT_ERROR_MISSING_PARAMS,
  LP_PAYMENT_ERROR_PARAMS_EXPIRED,
  LP_PAYMENT_ERROR_FACE_VALUE_TOO_LOW,
  LP_PAYMENT_ERROR_EV_TOO_HIGH,
  LP_PAYMENT_ERROR_UNLOCK_SOON,
  LP_PAYMENT_ERROR_NO_RESERVE,
  LP_PAYMENT_ERROR_NO_DEPOSIT,
  LP_PAYMENT_ERROR_TOTAL_EV_TOO_HIGH,
  LP_PAYMENT_ERROR_FACE_VALUE_TOO_HIGH,
  LP_PAYMENT_ERROR_TOO_MANY_TICKETS,
  LP_PAYMENT_ERROR_UNKNOWN_SESSION,
  LP_PAYMENT_ERROR_INVALID_PRICE,
  LP_PAYMENT_ERROR_SIGNING,
  LP_PAYMENT_ERROR_PAYMENT_TOO_LARGE,
} LpPaymentError;

/**
 * LpSenderConfig:
 * @max_ticket_ev: the highest EV accepted for one ticket, in wei
 *     (default %LP_SENDER_DEFAULT_MAX_TICKET_EV)
 * @max_total_ev: the highest EV of all tickets of one payment, in wei
 *     (default %LP_SENDER_DEFAULT_MAX_TOTAL_EV)
 * @deposit_multiplier: the face value may be at most deposit ÷ this
 *     (default %LP_SENDER_DEFAULT_DEPOSIT_MULTIPLIER; 0 counts as 1)
 *
 * A sender's limits. lp_sender_config_init() fills the defaults.
 */
typedef struct
{
  LpUint256 max_ticket_ev;
  LpUint256 max_total_ev;
  guint deposit_multiplier;
} LpSenderConfig;

GST_LIVEPEER_API
void lp_sender_config_init (LpSenderConfig * config);

/**
 * LpFeeRendition:
 * @width: output width, pixels
 * @height: output height, pixels
 * @fps_num: frame rate numerator; 0 keeps the source rate, counted as
 *     %LP_SENDER_PASSTHROUGH_FPS
 * @fps_den: frame rate denominator; 0 counts as 1
 *
 * One requested rendition, as far as the fee estimate is concerned.
 */
typedef struct
{
  guint width;
  guint height;
  guint fps_num;
  guint fps_den;
} LpFeeRendition;

GST_LIVEPEER_API
LpRational *lp_sender_estimate_fee (const LpFeeRendition * renditions,
    guint n_renditions, guint64 duration_ms, const LpPriceInfo * price,
    GError ** error);

GST_LIVEPEER_API
gboolean lp_sender_ticket_params_expired (const LpTicketParams * params,
    guint64 last_seen_block);
GST_LIVEPEER_API
gboolean lp_sender_validate_ticket_params (const LpSenderConfig * config,
    const LpTicketParams * params, const LpSenderInfo * info,
    guint n_tickets, GError ** error);

/**
 * LpSender:
 *
 * A broadcaster's ticket sender: its key, its limits and one session per
 * ticket parameter set received (keyed by recipientRandHash, id = its
 * lowercase 0x-hex). Opaque. MT safe: one mutex guards the sessions and
 * is never held while signing.
 */
typedef struct _LpSender LpSender;

GST_LIVEPEER_API
LpSender *lp_sender_new (LpPrivateKey * key, const LpSenderConfig * config);
GST_LIVEPEER_API
void lp_sender_free (LpSender * sender);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpSender, lp_sender_free)

GST_LIVEPEER_API
const LpAddress *lp_sender_get_address (LpSender * sender);
GST_LIVEPEER_API
gchar *lp_sender_start_session (LpSender * sender,
    const LpTicketParams * params, const LpPriceInfo * price,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_sender_end_session (LpSender * sender, const gchar * session_id);
GST_LIVEPEER_API
guint lp_sender_purge_expired (LpSender * sender, guint64 last_seen_block);
GST_LIVEPEER_API
LpRational *lp_sender_get_ticket_ev (LpSender * sender,
    const gchar * session_id, GError ** error);
GST_LIVEPEER_API
guint32 lp_sender_get_last_nonce (LpSender * sender, const gchar * session_id);
GST_LIVEPEER_API
LpPayment *lp_sender_create_payment (LpSender * sender,
    const gchar * session_id, guint n_tickets, const LpSenderInfo * info,
    GError ** error);

G_END_DECLS

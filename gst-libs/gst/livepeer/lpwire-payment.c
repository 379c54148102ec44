/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Payment, what the Livepeer-Payment header carries
 * (docs/design/protocol.md §7): its readable JSON form, with the
 * ticket sender params (nonce and signature of each ticket). The LpPayment
 * type and its life cycle belong to lpticket; its TicketParams,
 * ExpirationParams and PriceInfo parts are read and written by
 * lpwire-discovery.c. No state, no locks: MT safe.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpwire-private.h"

/* ------------------------------------------------------------------------ */
/* object decoder                                                           */
/* ------------------------------------------------------------------------ */

static LpPayment *
decode_payment (JsonObject * obj, GError ** error)
{
  static const gchar *const known[] = { "ticket_params", "sender",
    "expiration_params", "ticket_sender_params", "expected_price", NULL
  };
  LpPayment *payment = lp_payment_new ();
  JsonObject *sub;
  JsonArray *tickets;
  guint i, n;

  if (!lp_wire_check_fields (obj, "", known, NULL, error)
      || !lp_wire_read_address (obj, "", "sender", TRUE, &payment->sender,
          error)
      || !lp_wire_read_object (obj, "", "ticket_params", FALSE, &sub, error))
    goto fail;
  if (sub != NULL) {
    if (!lp_wire_decode_ticket_params (sub, "ticket_params",
            &payment->ticket_params, error))
      goto fail;
    payment->has_ticket_params = TRUE;
  }
  if (!lp_wire_read_object (obj, "", "expiration_params", FALSE, &sub, error))
    goto fail;
  if (sub != NULL
      && !lp_wire_decode_expiration_params (sub, "expiration_params",
          &payment->expiration_params, error))
    goto fail;
  if (!lp_wire_read_object (obj, "", "expected_price", FALSE, &sub, error))
    goto fail;
  if (sub != NULL && !lp_wire_decode_price_info (sub, "expected_price",
          &payment->expected_price, error))
    goto fail;

  if (!lp_wire_read_array (obj, "", "ticket_sender_params", FALSE,
          LP_WIRE_MAX_TICKETS_PER_PAYMENT, &tickets, error))
    goto fail;
  n = tickets != NULL ? json_array_get_length (tickets) : 0;
  if (n > 0 && !payment->has_ticket_params) {
    lp_wire_field_error (error, LP_WIRE_ERROR_MISSING, "", "ticket_params",
        "missing, and the payment has tickets");
    goto fail;
  }
  for (i = 0; i < n; i++) {
    static const gchar *const tsp_known[] = { "sender_nonce", "sig", NULL };
    LpTicketSenderParams tsp = { 0, };
    gchar *path;
    JsonObject *t =
        lp_wire_array_object (tickets, i, "", "ticket_sender_params",
        &path, error);
    gint64 nonce = 0;
    gboolean ok = t != NULL
        && lp_wire_check_fields (t, path, tsp_known, NULL, error)
        && lp_wire_read_int (t, path, "sender_nonce", TRUE, 0, G_MAXUINT32,
        &nonce,
        error)
        && lp_wire_read_hex (t, path, "sig", TRUE, tsp.sig, LP_SIGNATURE_SIZE,
        error);

    g_free (path);
    if (!ok)
      goto fail;
    tsp.sender_nonce = (guint32) nonce;
    g_array_append_val (payment->tickets, tsp);
  }
  return payment;

fail:
  lp_payment_free (payment);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* public JSON API                                                          */
/* ------------------------------------------------------------------------ */

/**
 * lp_wire_payment_to_json:
 * @payment: (transfer none): a payment
 *
 * Encodes @payment as docs/design/protocol.md §7's Payment: `ticket_params` only when
 * present (its nested `expiration_params` only when not empty),
 * `expiration_params` only when not empty.
 *
 * Returns: (transfer full): the JSON text
 */
gchar *
lp_wire_payment_to_json (const LpPayment * payment)
{
  JsonBuilder *b;
  guint i;

  g_return_val_if_fail (payment != NULL, NULL);

  b = json_builder_new ();
  json_builder_begin_object (b);
  lp_wire_add_address (b, "sender", &payment->sender);
  if (payment->has_ticket_params) {
    json_builder_set_member_name (b, "ticket_params");
    lp_wire_build_ticket_params (b, &payment->ticket_params);
  }
  if (!lp_expiration_params_is_empty (&payment->expiration_params))
    lp_wire_build_expiration_params (b, "expiration_params",
        &payment->expiration_params);
  json_builder_set_member_name (b, "ticket_sender_params");
  json_builder_begin_array (b);
  for (i = 0; payment->tickets != NULL && i < payment->tickets->len; i++) {
    const LpTicketSenderParams *tsp =
        &g_array_index (payment->tickets, LpTicketSenderParams, i);

    json_builder_begin_object (b);
    lp_wire_add_int (b, "sender_nonce", tsp->sender_nonce);
    lp_wire_add_hex (b, "sig", tsp->sig, LP_SIGNATURE_SIZE);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "expected_price");
  lp_wire_build_price_info (b, &payment->expected_price);
  json_builder_end_object (b);
  return lp_wire_builder_finish (b);
}

/**
 * lp_wire_payment_from_json:
 * @data: (array length=length): JSON text
 * @length: length of @data, or -1 when NUL-terminated
 * @error: return location for a #GError, or %NULL
 *
 * Decodes a Payment. `sender` is required; `ticket_params` is required
 * when there are tickets (at most %LP_WIRE_MAX_TICKETS_PER_PAYMENT, the
 * most a header can carry); an absent `expiration_params` or
 * `expected_price` reads as zeros. Whether the tickets and price are
 * acceptable is the recipient's business.
 *
 * Returns: (transfer full) (nullable): the payment, or %NULL with
 *     %LP_WIRE_ERROR
 */
LpPayment *
lp_wire_payment_from_json (const gchar * data, gssize length, GError ** error)
{
  JsonNode *root;
  LpPayment *payment;

  root = lp_wire_parse_object (data, length, "Payment", error);
  if (root == NULL)
    return NULL;
  payment = decode_payment (json_node_get_object (root), error);
  json_node_unref (root);
  return payment;
}

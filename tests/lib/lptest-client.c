/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lptest's broadcaster: the requests a broadcaster sends an orchestrator,
 * built from the core library and sent with libsoup (a POST with the
 * Livepeer-Segment and Livepeer-Payment headers, a signed discovery
 * request, signed segment credentials, a payment of signed tickets). No
 * libcheck: lpcheck-client.c wraps these for the tests; the benches call
 * them as they are. A SoupSession passed in is used from the caller's
 * thread only.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lptest.h"

#include <string.h>

/* POSTs @body (none when NULL) to @uri; returns the status (0 on a
 * transport error, with @error set) and sets @response (the body; unref'd
 * when @response is NULL) and, when asked, @headers. With @keep_alive the
 * request is marked idempotent: libsoup opens a new connection for every
 * request that is not idempotent (a POST) unless told otherwise, while a
 * broadcaster (go-livepeer's net/http) keeps its connection to the
 * orchestrator alive. */
guint
lp_test_http_post (SoupSession * http, const gchar * uri,
    const gchar * content_type, GBytes * body, const gchar * segment_header,
    const gchar * payment_header, gboolean keep_alive, GBytes ** response,
    SoupMessageHeaders ** headers, GError ** error)
{
  SoupMessage *msg = soup_message_new (SOUP_METHOD_POST, uri);
  SoupMessageHeaders *req = soup_message_get_request_headers (msg);
  GBytes *out;
  guint status = 0;

  if (keep_alive)
    soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  if (segment_header != NULL)
    soup_message_headers_replace (req, "Livepeer-Segment", segment_header);
  if (payment_header != NULL)
    soup_message_headers_replace (req, "Livepeer-Payment", payment_header);
  out = soup_session_send_and_read (http, msg, NULL, error);
  if (out != NULL) {
    status = soup_message_get_status (msg);
    if (headers != NULL)
      *headers = soup_message_headers_ref (soup_message_get_response_headers
          (msg));
  }
  if (response != NULL)
    *response = out;
  else if (out != NULL)
    g_bytes_unref (out);
  g_object_unref (msg);
  return status;
}

/* A response body as a NUL-terminated string (for reasons). */
gchar *
lp_test_text (GBytes * bytes)
{
  gsize size;
  const gchar *data = g_bytes_get_data (bytes, &size);

  return g_strndup (data, size);
}

/* An OrchestratorRequest body for @address, signed by @signer (the
 * address's own key for a valid request); NULL when signing failed. */
GBytes *
lp_test_discovery_request (const LpAddress * address, LpPrivateKey * signer)
{
  LpOrchestratorRequest *request = lp_orchestrator_request_new ();
  gchar text[LP_ADDRESS_TEXT_SIZE], *json;

  request->address = *address;
  lp_address_format (address, text);
  if (!lp_sign_message (signer, (const guint8 *) text, strlen (text),
          request->sig, NULL)) {
    lp_orchestrator_request_free (request);
    return NULL;
  }
  json = lp_wire_orchestrator_request_to_json (request);
  lp_orchestrator_request_free (request);
  return g_bytes_new_take (json, strlen (json));
}

/* Discovery by @key at the orchestrator on 127.0.0.1:@port; returns the
 * status (0 on a transport error or when signing failed, with @error set
 * for the first) and sets @reply to the answer's body as text. */
guint
lp_test_discovery_post (SoupSession * http, guint port, LpPrivateKey * key,
    gboolean keep_alive, gchar ** reply, GError ** error)
{
  GBytes *body = lp_test_discovery_request (lp_private_key_get_address (key),
      key);
  GBytes *response = NULL;
  gchar *uri;
  guint status;

  *reply = NULL;
  if (body == NULL)
    return 0;
  uri = g_strdup_printf ("http://127.0.0.1:%u/getOrchestrator", port);
  status = lp_test_http_post (http, uri, "application/json", body, NULL,
      NULL, keep_alive, &response, NULL, error);
  if (response != NULL) {
    *reply = lp_test_text (response);
    g_bytes_unref (response);
  }
  g_free (uri);
  g_bytes_unref (body);
  return status;
}

/* Signed segment credentials for @body of stream @manifest_id, asking for
 * @profiles (const LpProfile*); the Livepeer-Segment header value, or
 * NULL when signing failed. */
gchar *
lp_test_seg_data_header (const LpOrchestratorInfo * info, LpPrivateKey * key,
    const gchar * manifest_id, guint64 seq, GBytes * body,
    GPtrArray * profiles, guint duration_ms)
{
  LpSegData *seg = lp_seg_data_new ();
  gchar *header = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (body, &size);
  guint i;

  seg->manifest_id = g_strdup (manifest_id);
  seg->seq = seq;
  lp_keccak256 (data, size, seg->hash);
  seg->duration_ms = duration_ms;
  for (i = 0; i < profiles->len; i++)
    g_ptr_array_add (seg->profiles,
        lp_profile_copy (g_ptr_array_index (profiles, i)));
  seg->auth_token = info->auth_token;
  if (lp_seg_data_sign (seg, key, NULL))
    header = lp_wire_seg_data_to_header (seg);
  lp_seg_data_free (seg);
  return header;
}

/* A payment of the tickets with nonces @first .. @first + @n - 1 under
 * @info's ticket parameters (it must have them), signed by @key; the
 * Livepeer-Payment value, or NULL when signing failed. */
gchar *
lp_test_tickets_header (const LpOrchestratorInfo * info, LpPrivateKey * key,
    guint32 first, guint n)
{
  LpPayment *payment = lp_payment_new ();
  gchar *header = NULL;
  guint i;

  payment->has_ticket_params = TRUE;
  payment->ticket_params = info->ticket_params;
  payment->expiration_params = info->ticket_params.expiration_params;
  memset (&payment->ticket_params.expiration_params, 0,
      sizeof (LpExpirationParams));
  payment->sender = *lp_private_key_get_address (key);
  payment->expected_price = info->price_info;
  for (i = 0; i < n; i++) {
    LpTicketSenderParams tsp = { 0, };
    LpTicket ticket;

    tsp.sender_nonce = first + i;
    g_array_append_val (payment->tickets, tsp);
    lp_payment_get_ticket (payment, i, &ticket);
    if (!lp_ticket_sign (&ticket, key, g_array_index (payment->tickets,
                LpTicketSenderParams, i).sig, NULL))
      goto done;
  }
  header = lp_wire_payment_to_header (payment);

done:
  lp_payment_free (payment);
  return header;
}

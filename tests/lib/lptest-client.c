/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lptest's broadcaster: the requests a go-livepeer broadcaster sends an
 * orchestrator, built from the core library: discovery and the end of a
 * session over gRPC (lph2client.h), a POST with the Livepeer-Segment and
 * Livepeer-Payment headers (base64 of protobuf) sent with libsoup, signed
 * segment credentials, a payment of signed tickets, the protobuf
 * TranscodeResult read back and its renditions fetched by URL. No
 * libcheck: lpcheck-client.c wraps these for the tests; the benches call
 * them as they are. A SoupSession passed in is used from the caller's
 * thread only.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lptest.h"

#include <gst/livepeer/lph2client.h>
#include <gst/livepeer/lpproto-messages.h>
#include <gst/livepeer/lpwire-proto.h>

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

/* The capabilities of go-livepeer's H.264 MPEG-TS transcoding job in
 * @caps, with capability job @job_id's bit added (0: none) and @model, when
 * given, as the model its constraints ask for. */
static void
add_job (LpProtoCapabilities * caps, guint32 job_id, const gchar * model)
{
  guint64 zero = 0, *word;

  if (job_id == 0)
    return;
  while (caps->bitstring->len <= job_id / 64)
    g_array_append_val (caps->bitstring, zero);
  word = &g_array_index (caps->bitstring, guint64, job_id / 64);
  *word |= G_GUINT64_CONSTANT (1) << (job_id % 64);
  if (model != NULL) {
    LpProtoCapabilityConstraints *per = lp_proto_capability_constraints_new ();

    lp_proto_capability_constraints_take_model (per, model,
        lp_proto_model_constraint_new ());
    if (caps->constraints == NULL)
      caps->constraints = lp_proto_constraints_new ();
    lp_proto_constraints_take_capability (caps->constraints, job_id, per);
  }
}

/* A serialized OrchestratorRequest for @address, signed by @signer (the
 * address's own key for a valid request), asking for capability job
 * @job_id (0: transcoding) and @model (NULL: the one offered); NULL when
 * signing failed. */
GBytes *
lp_test_discovery_request_for_job (const LpAddress * address,
    LpPrivateKey * signer, guint32 job_id, const gchar * model)
{
  g_autoptr (LpOrchestratorRequest) request = lp_orchestrator_request_new ();
  g_autoptr (LpProtoOrchestratorRequest) p = NULL;
  gchar text[LP_ADDRESS_TEXT_SIZE];

  request->address = *address;
  lp_address_format (address, text);
  if (!lp_sign_message (signer, (const guint8 *) text, strlen (text),
          request->sig, NULL))
    return NULL;
  p = lp_wire_orchestrator_request_to_proto (request);
  add_job (p->capabilities, job_id, model);
  return lp_proto_orchestrator_request_encode (p);
}

/* A serialized OrchestratorRequest for transcoding (go-livepeer's
 * broadcaster's), as lp_test_discovery_request_for_job() */
GBytes *
lp_test_discovery_request (const LpAddress * address, LpPrivateKey * signer)
{
  return lp_test_discovery_request_for_job (address, signer, 0, NULL);
}

/* gRPC net.Orchestrator/GetOrchestrator at @uri with @request (a
 * serialized OrchestratorRequest); the answer as it came, or NULL with
 * @error (LP_GRPC_ERROR with the server's status and grpc-message for a
 * refusal). */
LpProtoOrchestratorInfo *
lp_test_grpc_discover_proto (const gchar * uri, GBytes * request,
    GError ** error)
{
  g_autoptr (GBytes) answer = NULL;

  answer = lp_grpc_call (uri, "/net.Orchestrator/GetOrchestrator", request,
      NULL, NULL, error);
  if (answer == NULL)
    return NULL;
  return lp_proto_orchestrator_info_decode (g_bytes_get_data (answer, NULL),
      g_bytes_get_size (answer), error);
}

/* Discovery of @key at @uri for capability job @job_id (0: transcoding)
 * and @model (NULL: the one offered), as lp_test_grpc_discover_proto() */
LpOrchestratorInfo *
lp_test_grpc_discover_job (const gchar * uri, LpPrivateKey * key,
    guint32 job_id, const gchar * model, GError ** error)
{
  g_autoptr (LpProtoOrchestratorInfo) p = NULL;
  g_autoptr (GBytes) request = NULL;

  request = lp_test_discovery_request_for_job (lp_private_key_get_address
      (key), key, job_id, model);
  if (request == NULL) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "signing the OrchestratorRequest failed");
    return NULL;
  }
  p = lp_test_grpc_discover_proto (uri, request, error);
  return p != NULL ? lp_wire_orchestrator_info_from_proto (p, error) : NULL;
}

/* Discovery of @key at @uri for transcoding */
LpOrchestratorInfo *
lp_test_grpc_discover (const gchar * uri, LpPrivateKey * key, GError ** error)
{
  return lp_test_grpc_discover_job (uri, key, 0, NULL, error);
}

/* gRPC net.Orchestrator/EndTranscodingSession at @uri for @token */
gboolean
lp_test_grpc_end_session (const gchar * uri, const LpAuthToken * token,
    GError ** error)
{
  g_autoptr (LpProtoEndTranscodingSessionRequest) p =
      lp_proto_end_transcoding_session_request_new ();
  g_autoptr (GBytes) message = NULL, answer = NULL;

  p->auth_token = lp_wire_auth_token_to_proto (token);
  message = lp_proto_end_transcoding_session_request_encode (p);
  answer = lp_grpc_call (uri, "/net.Orchestrator/EndTranscodingSession",
      message, NULL, NULL, error);
  return answer != NULL;
}

/* @seg as a Livepeer-Segment value (base64 of go-livepeer's SegData),
 * asking for capability job @job_id (0: none) and @model (NULL: the one
 * offered) */
gchar *
lp_test_seg_data_to_header (const LpSegData * seg, guint32 job_id,
    const gchar * model)
{
  g_autoptr (LpProtoSegData) p = lp_wire_seg_data_to_proto (seg);
  g_autoptr (GBytes) bytes = NULL;
  gsize size;
  const guint8 *data;

  add_job (p->capabilities, job_id, model);
  bytes = lp_proto_seg_data_encode (p);
  data = g_bytes_get_data (bytes, &size);
  return g_base64_encode (data, size);
}

/* Signed segment credentials for @body of stream @manifest_id, asking for
 * @profiles (const LpProfile*) or, with @job_id (not 0), for that
 * capability job; the Livepeer-Segment header value, or NULL when signing
 * failed. */
gchar *
lp_test_seg_data_header_full (const LpOrchestratorInfo * info,
    LpPrivateKey * key, const gchar * manifest_id, guint64 seq, GBytes * body,
    GPtrArray * profiles, guint duration_ms, guint32 job_id,
    const gchar * model)
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
  for (i = 0; profiles != NULL && i < profiles->len; i++)
    g_ptr_array_add (seg->profiles,
        lp_profile_copy (g_ptr_array_index (profiles, i)));
  seg->auth_token = info->auth_token;
  if (lp_seg_data_sign (seg, key, NULL))
    header = lp_test_seg_data_to_header (seg, job_id, model);
  lp_seg_data_free (seg);
  return header;
}

/* As lp_test_seg_data_header_full(), for transcoding */
gchar *
lp_test_seg_data_header (const LpOrchestratorInfo * info, LpPrivateKey * key,
    const gchar * manifest_id, guint64 seq, GBytes * body,
    GPtrArray * profiles, guint duration_ms)
{
  return lp_test_seg_data_header_full (info, key, manifest_id, seq, body,
      profiles, duration_ms, 0, NULL);
}

/* A payment of the tickets with nonces @first .. @first + @n - 1 under
 * @info's ticket parameters (it must have them; @n 0: the sender alone),
 * signed by @key; the Livepeer-Payment value (base64 of go-livepeer's
 * Payment), or NULL when signing failed. */
gchar *
lp_test_tickets_header (const LpOrchestratorInfo * info, LpPrivateKey * key,
    guint32 first, guint n)
{
  LpPayment *payment = lp_payment_new ();
  gchar *header = NULL;
  guint i;

  payment->has_ticket_params = n > 0;
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
  header = lp_wire_payment_to_proto_header (payment);

done:
  lp_payment_free (payment);
  return header;
}

/* The sender's Payment without tickets: what go-livepeer's broadcaster
 * sends a free orchestrator (the segment's signer is Payment.sender) */
gchar *
lp_test_sender_header (LpPrivateKey * key)
{
  LpPayment *payment = lp_payment_new ();
  gchar *header;

  payment->sender = *lp_private_key_get_address (key);
  header = lp_wire_payment_to_proto_header (payment);
  lp_payment_free (payment);
  return header;
}

/* GETs @url (a rendition the orchestrator serves); returns the status (0
 * on a transport error, with @error set) and sets @response (the body)
 * and @content_type. */
guint
lp_test_http_get (SoupSession * http, const gchar * url, GBytes ** response,
    gchar ** content_type, GError ** error)
{
  SoupMessage *msg = soup_message_new (SOUP_METHOD_GET, url);
  GBytes *out;
  guint status = 0;

  *response = NULL;
  if (content_type != NULL)
    *content_type = NULL;
  if (msg == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "'%s' is not a URL", url);
    return 0;
  }
  out = soup_session_send_and_read (http, msg, NULL, error);
  if (out != NULL) {
    status = soup_message_get_status (msg);
    if (content_type != NULL)
      *content_type = g_strdup (soup_message_headers_get_content_type
          (soup_message_get_response_headers (msg), NULL));
  }
  *response = out;
  g_object_unref (msg);
  return status;
}

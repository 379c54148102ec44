/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lpcheck's broadcaster: requests to the LpTestNet's orchestrator from a
 * go-livepeer broadcaster built from the core library (gRPC discovery and
 * EndTranscodingSession, signed segments, tickets, in base64-of-protobuf
 * headers) over the net's HTTP session, the protobuf answers read and
 * their renditions fetched, and the orchestrator's bus messages and
 * stats. Over lptest-client.c; every failure fails the test.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpcheck.h"

#include <gst/livepeer/lph2.h>
#include <gst/livepeer/lpwire-proto.h>

/* POSTs @body to @path; returns the status and sets @response (the body)
 * and, when asked, @headers. */
guint
lp_test_post (LpTestNet * net, const gchar * path, const gchar * content_type,
    GBytes * body, const gchar * segment_header, const gchar * payment_header,
    GBytes ** response, SoupMessageHeaders ** headers)
{
  gchar *uri = g_strdup_printf ("http://127.0.0.1:%u%s", net->port, path);
  GError *error = NULL;
  GBytes *out = NULL;
  guint status;

  status = lp_test_http_post (net->http, uri, content_type, body,
      segment_header, payment_header, FALSE, &out, headers, &error);
  fail_unless (out != NULL, "POST %s: %s", uri, error ? error->message : "");
  if (response != NULL)
    *response = out;
  else
    g_bytes_unref (out);
  g_free (uri);
  return status;
}

void
fail_unless_equals_int_with_reason (gint a, gint b, const gchar * reason)
{
  fail_unless (a == b, "status %d, expected %d: %s", a, b, reason);
}

/* A serialized OrchestratorRequest for @address, signed by @signer (the
 * address's own key for a valid request). */
GBytes *
lp_test_discovery_body (const LpAddress * address, LpPrivateKey * signer)
{
  GBytes *body = lp_test_discovery_request (address, signer);

  fail_unless (body != NULL);
  return body;
}

static gchar *
net_uri (LpTestNet * net)
{
  return g_strdup_printf ("http://127.0.0.1:%u", net->port);
}

/* The gRPC status of @error (a call's error): fails the test on a
 * transport error, which is no answer */
static guint
grpc_status (GError * error, gchar ** reply)
{
  fail_unless (error->domain == LP_GRPC_ERROR, "no gRPC answer: %s",
      error->message);
  *reply = g_strdup (error->message);
  return error->code;
}

/* gRPC discovery by @key for capability job @job_id (0: transcoding) and
 * @model (NULL: the one offered); returns the gRPC status (0: OK) and sets
 * @info (NULL unless OK) and @reply (the refusal's message, "" when OK). */
guint
lp_test_discovery_job_status (LpTestNet * net, LpPrivateKey * key,
    guint32 job_id, const gchar * model, LpOrchestratorInfo ** info,
    gchar ** reply)
{
  g_autofree gchar *uri = net_uri (net);
  GError *error = NULL;
  LpOrchestratorInfo *answer;
  guint status = 0;

  answer = lp_test_grpc_discover_job (uri, key, job_id, model, &error);
  if (answer == NULL) {
    status = grpc_status (error, reply);
    g_error_free (error);
  } else {
    *reply = g_strdup ("");
  }
  if (info != NULL)
    *info = answer;
  else if (answer != NULL)
    lp_orchestrator_info_free (answer);
  return status;
}

/* gRPC discovery by @key for transcoding; returns the gRPC status (0: OK)
 * and sets @reply (the refusal's grpc-message, "" when OK). */
guint
lp_test_discovery_status (LpTestNet * net, LpPrivateKey * key, gchar ** reply)
{
  return lp_test_discovery_job_status (net, key, 0, NULL, NULL, reply);
}

/* Discovery by @key for capability job @job_id (0: transcoding): the
 * OrchestratorInfo (fails the test on an error). */
LpOrchestratorInfo *
lp_test_discover_job (LpTestNet * net, LpPrivateKey * key, guint32 job_id,
    const gchar * model)
{
  LpOrchestratorInfo *info = NULL;
  gchar *reply = NULL;
  guint status = lp_test_discovery_job_status (net, key, job_id, model,
      &info, &reply);

  fail_unless (status == 0 && info != NULL, "GetOrchestrator: status %u: %s",
      status, reply);
  g_free (reply);
  return info;
}

/* Discovery by @key: the OrchestratorInfo (fails the test on an error). */
LpOrchestratorInfo *
lp_test_discover (LpTestNet * net, LpPrivateKey * key)
{
  return lp_test_discover_job (net, key, 0, NULL);
}

/* gRPC EndTranscodingSession with @token; returns the gRPC status (0: OK)
 * and sets @reply as lp_test_discovery_status() does. */
guint
lp_test_end_session_status (LpTestNet * net, const LpAuthToken * token,
    gchar ** reply)
{
  g_autofree gchar *uri = net_uri (net);
  GError *error = NULL;
  guint status = 0;

  if (!lp_test_grpc_end_session (uri, token, &error)) {
    status = grpc_status (error, reply);
    g_error_free (error);
  } else {
    *reply = g_strdup ("");
  }
  return status;
}

/* The orchestrator element's `stats` field @field (a guint64) */
guint64
lp_test_orch_stat (GstElement * orchestrator, const gchar * field)
{
  GstStructure *stats;
  guint64 value = 0;

  g_object_get (orchestrator, "stats", &stats, NULL);
  fail_unless (gst_structure_get_uint64 (stats, field, &value), "%s", field);
  gst_structure_free (stats);
  return value;
}

/* Signed segment credentials for @body, asking for the comma-separated
 * presets @profiles (go-livepeer's SegData, base64); returns the
 * Livepeer-Segment header value. */
gchar *
lp_test_segment_header (const LpOrchestratorInfo * info, LpPrivateKey * key,
    guint64 seq, GBytes * body, const gchar * profiles)
{
  GPtrArray *presets = g_ptr_array_new ();
  gchar **names = g_strsplit (profiles, ",", -1);
  gchar *header;
  guint i;

  for (i = 0; names[i] != NULL && names[i][0] != '\0'; i++) {
    const LpProfile *preset = lp_profile_get_preset (names[i]);

    fail_unless (preset != NULL, "%s", names[i]);
    g_ptr_array_add (presets, (gpointer) preset);
  }
  header = lp_test_seg_data_header (info, key, "lp-test-stream", seq, body,
      presets, 2000);
  fail_unless (header != NULL);
  g_ptr_array_unref (presets);
  g_strfreev (names);
  return header;
}

/* The presets named (a NULL-terminated list) as LpProfile copies; fails
 * on a name that is no preset. */
GPtrArray *
lp_test_presets (const gchar * first, ...)
{
  GPtrArray *profiles = g_ptr_array_new_with_free_func ((GDestroyNotify)
      lp_profile_free);
  const gchar *name;
  va_list args;

  va_start (args, first);
  for (name = first; name != NULL; name = va_arg (args, const gchar *)) {
    const LpProfile *p = lp_profile_get_preset (name);
    fail_unless (p != NULL, "no preset %s", name);
    g_ptr_array_add (profiles, lp_profile_copy (p));
  }
  va_end (args);
  return profiles;
}

/* A payment of the tickets with nonces @first .. @first + @n - 1 under
 * @info's ticket parameters, signed by @key; the Livepeer-Payment value
 * (go-livepeer's Payment, base64). */
gchar *
lp_test_payment_header (const LpOrchestratorInfo * info, LpPrivateKey * key,
    guint32 first, guint n)
{
  gchar *header;

  fail_unless (info->has_ticket_params);
  header = lp_test_tickets_header (info, key, first, n);
  fail_unless (header != NULL);
  return header;
}

void
lp_test_result_free (LpTestResult * r)
{
  lp_transcode_result_free (r->result);
  g_ptr_array_unref (r->renditions);
  g_ptr_array_unref (r->names);
  g_ptr_array_unref (r->types);
  g_free (r);
}

/* The rendition's name in a URL the orchestrator serves it at,
 * .../stream/SESSION/NAME/SEQ.EXT: a profile's, or a capability job's */
static gchar *
name_in_url (const gchar * url)
{
  g_auto (GStrv) parts = g_strsplit (url, "/", -1);
  guint n = g_strv_length (parts);

  fail_unless (n >= 4 && g_strcmp0 (parts[n - 4], "stream") == 0,
      "not a rendition's URL: %s", url);
  return g_strdup (parts[n - 2]);
}

/* Fetches @url, which must answer 200 with a rendition (MPEG-TS) or a
 * capability job's metadata (JSON); adds it, its name and type to @r. */
static void
fetch_rendition (SoupSession * http, LpTestResult * r, const gchar * url)
{
  GError *error = NULL;
  GBytes *data = NULL;
  gchar *type = NULL, *reason;
  guint status = lp_test_http_get (http, url, &data, &type, &error);

  fail_unless (data != NULL, "GET %s: %s", url, error ? error->message : "");
  reason = lp_test_text (data);
  fail_unless (status == 200, "GET %s: %u %s", url, status, reason);
  g_free (reason);
  fail_unless (g_strcmp0 (type, "video/MP2T") == 0
      || g_strcmp0 (type, "application/json") == 0, "GET %s: %s", url, type);
  g_ptr_array_add (r->renditions, data);
  g_ptr_array_add (r->names, name_in_url (url));
  g_ptr_array_add (r->types, type);
}

/* Reads a segment's 200: go-livepeer's protobuf TranscodeResult; then
 * fetches each rendition (or capability job's output) from the URL it
 * lists, in order. */
LpTestResult *
lp_test_parse_result (SoupMessageHeaders * headers, GBytes * body)
{
  LpTestResult *r = g_new0 (LpTestResult, 1);
  const gchar *type = soup_message_headers_get_content_type (headers, NULL);
  SoupSession *http;
  GError *error = NULL;
  guint i;

  r->renditions = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  r->names = g_ptr_array_new_with_free_func (g_free);
  r->types = g_ptr_array_new_with_free_func (g_free);
  fail_unless_equals_string (type, "application/octet-stream");
  r->result = lp_wire_transcode_result_from_proto_bytes (body, &error);
  fail_unless (r->result != NULL, "TranscodeResult: %s", error ?
      error->message : "");
  if (r->result->error != NULL)
    return r;
  http = soup_session_new ();
  for (i = 0; i < r->result->segments->len; i++) {
    const LpTranscodedSegment *s = &g_array_index (r->result->segments,
        LpTranscodedSegment, i);

    fail_unless (s->url != NULL, "rendition %u has no URL", i);
    fetch_rendition (http, r, s->url);
  }
  g_object_unref (http);
  return r;
}

/* POSTs a segment; returns the status; on 200 sets @result, else @reason.
 * A NULL @payment_header sends the net's broadcaster's Payment without
 * tickets, as go-livepeer's broadcaster does to a free orchestrator (the
 * segment is signed by Payment.sender). */
guint
lp_test_send_segment (LpTestNet * net, GBytes * body,
    const gchar * segment_header, const gchar * payment_header,
    LpTestResult ** result, gchar ** reason)
{
  SoupMessageHeaders *headers = NULL;
  GBytes *response = NULL;
  g_autofree gchar *sender = NULL;
  guint status;

  if (payment_header == NULL)
    payment_header = sender = lp_test_sender_header (net->bcast);
  status = lp_test_post (net, "/segment", "video/MP2T", body, segment_header,
      payment_header, &response, &headers);
  if (status == 200 && result != NULL)
    *result = lp_test_parse_result (headers, response);
  if (reason != NULL)
    *reason = lp_test_text (response);
  soup_message_headers_unref (headers);
  g_bytes_unref (response);
  return status;
}

/* Waits (up to @timeout) for the next element message named @name from
 * the orchestrator; NULL when none came. */
GstMessage *
lp_test_wait_message (LpTestNet * net, const gchar * name,
    GstClockTime timeout)
{
  GstBus *bus = gst_element_get_bus (net->pipeline);
  GstClockTime deadline = gst_util_get_timestamp () + timeout;
  GstMessage *msg = NULL;

  while (gst_util_get_timestamp () < deadline) {
    msg = gst_bus_timed_pop_filtered (bus, deadline -
        gst_util_get_timestamp (), GST_MESSAGE_ELEMENT | GST_MESSAGE_ERROR);
    if (msg == NULL)
      break;
    fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR,
        "error on the bus");
    if (gst_message_has_name (msg, name))
      break;
    gst_message_unref (msg);
    msg = NULL;
  }
  gst_object_unref (bus);
  return msg;
}

/* POSTs a segment that must get 200; returns its result. */
LpTestResult *
lp_test_segment_ok (LpTestNet * net, GBytes * body,
    const gchar * segment_header, const gchar * payment_header)
{
  LpTestResult *result = NULL;
  gchar *reason = NULL;
  guint status = lp_test_send_segment (net, body, segment_header,
      payment_header, &result, &reason);

  fail_unless_equals_int_with_reason (status, 200, reason);
  g_free (reason);
  return result;
}

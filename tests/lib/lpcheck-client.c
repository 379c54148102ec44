/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lpcheck's broadcaster: requests to the LpTestNet's orchestrator from a
 * broadcaster built from the core library (discovery, signed segments,
 * tickets) over the net's HTTP session, the answers parsed, and the
 * orchestrator's bus messages and stats. Over lptest-client.c; every
 * failure fails the test.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpcheck.h"

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

/* An OrchestratorRequest body for @address, signed by @signer (the
 * address's own key for a valid request). */
GBytes *
lp_test_discovery_body (const LpAddress * address, LpPrivateKey * signer)
{
  GBytes *body = lp_test_discovery_request (address, signer);

  fail_unless (body != NULL);
  return body;
}

/* Discovery by @key; returns the status and sets @reply to the answer's
 * body as text. */
guint
lp_test_discovery_status (LpTestNet * net, LpPrivateKey * key,
    gchar ** reply)
{
  GBytes *body = lp_test_discovery_body (lp_private_key_get_address (key),
      key);
  GBytes *response = NULL;
  guint status = lp_test_post (net, "/getOrchestrator", "application/json",
      body, NULL, NULL, &response, NULL);

  *reply = lp_test_text (response);
  g_bytes_unref (response);
  g_bytes_unref (body);
  return status;
}

/* Discovery by @key: the OrchestratorInfo (fails the test on an error). */
LpOrchestratorInfo *
lp_test_discover (LpTestNet * net, LpPrivateKey * key)
{
  LpOrchestratorInfo *info;
  GError *error = NULL;
  gchar *reply;
  guint status = lp_test_discovery_status (net, key, &reply);

  fail_unless_equals_int_with_reason (status, 200, reply);
  info = lp_wire_orchestrator_info_from_json (reply, -1, &error);
  fail_unless (info != NULL, "%s: %s", reply, error ? error->message : "");
  g_free (reply);
  return info;
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
 * presets @profiles; returns the Livepeer-Segment header value. */
gchar *
lp_test_segment_header (const LpOrchestratorInfo * info, LpPrivateKey * key,
    guint64 seq, GBytes * body, const gchar * profiles)
{
  GPtrArray *presets = g_ptr_array_new ();
  gchar **names = g_strsplit (profiles, ",", -1);
  gchar *header;
  guint i;

  for (i = 0; names[i] != NULL; i++) {
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
 * @info's ticket parameters, signed by @key; the Livepeer-Payment value. */
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
  g_free (r);
}

/* Parses a segment's answer: multipart/mixed (result JSON, then the
 * renditions) or, after a failure, the result JSON alone. */
LpTestResult *
lp_test_parse_result (SoupMessageHeaders * headers, GBytes * body)
{
  LpTestResult *r = g_new0 (LpTestResult, 1);
  const gchar *type = soup_message_headers_get_content_type (headers, NULL);
  GError *error = NULL;
  gchar *json;

  r->renditions = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  r->names = g_ptr_array_new_with_free_func (g_free);
  fail_unless (type != NULL);
  if (g_ascii_strcasecmp (type, "application/json") == 0) {
    json = lp_test_text (body);
  } else {
    SoupMultipart *mp;
    SoupMessageHeaders *part;
    GBytes *part_body;
    gint i;

    fail_unless_equals_string (type, "multipart/mixed");
    mp = soup_multipart_new_from_message (headers, body);
    fail_unless (mp != NULL);
    fail_unless (soup_multipart_get_length (mp) >= 2);
    fail_unless (soup_multipart_get_part (mp, 0, &part, &part_body));
    fail_unless_equals_string (soup_message_headers_get_content_type (part,
            NULL), "application/json");
    json = lp_test_text (part_body);
    for (i = 1; i < soup_multipart_get_length (mp); i++) {
      fail_unless (soup_multipart_get_part (mp, i, &part, &part_body));
      {
        /* renditions and a capability job's video; its metadata is JSON */
        const gchar *part_type = soup_message_headers_get_content_type (part,
            NULL);

        fail_unless (g_strcmp0 (part_type, "video/MP2T") == 0
            || g_strcmp0 (part_type, "application/json") == 0, "%s",
            part_type);
      }
      g_ptr_array_add (r->renditions, g_bytes_ref (part_body));
      g_ptr_array_add (r->names, g_strdup (soup_message_headers_get_one (part,
                  "Rendition-Name")));
    }
    soup_multipart_free (mp);
  }
  r->result = lp_wire_transcode_result_from_json (json, -1, &error);
  fail_unless (r->result != NULL, "%s: %s", json, error ? error->message : "");
  g_free (json);
  return r;
}

/* POSTs a segment; returns the status; on 200 sets @result, else @reason. */
guint
lp_test_send_segment (LpTestNet * net, GBytes * body,
    const gchar * segment_header, const gchar * payment_header,
    LpTestResult ** result, gchar ** reason)
{
  SoupMessageHeaders *headers = NULL;
  GBytes *response = NULL;
  guint status;

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

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What the lporchestrator tests share: a devnet ledger with a registered,
 * active orchestrator and a funded broadcaster, an orchestrator element in
 * a pipeline on port 0, and a broadcaster built from the core library
 * (discovery, signed segments, tickets) speaking HTTP with libsoup.
 */
#pragma once

#include <glib/gstdio.h>
#include <string.h>
#include <libsoup/soup.h>

#include "lpcheck.h"
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpkeystore.h>
#include <gst/livepeer/lpprofile.h>
#include <gst/livepeer/lpticket.h>
#include <gst/livepeer/lpwire.h>
#include <gst/livepeer/lpledger.h>
#include <gst/livepeer/lpmpegts.h>

/* the devnet: one round is 100 blocks, blocks move only by hand */
#define LP_TEST_ROUND_LENGTH 100

typedef struct
{
  gchar *dir;
  gchar *ledger_path;
  gchar *orch_key_path;
  LpPrivateKey *orch;           /* the orchestrator */
  LpPrivateKey *bcast;          /* the broadcaster */
  LpLedger *ledger;             /* the test's own connection */
  GstElement *pipeline;
  GstElement *orchestrator;
  guint port;
  SoupSession *http;
} LpTestNet;

static inline void
lp_test_u256 (LpUint256 * value, const gchar * text)
{
  fail_unless (lp_uint256_parse (text, value, NULL), "%s", text);
}

static inline gchar *
lp_test_address (const LpAddress * address)
{
  gchar text[LP_ADDRESS_TEXT_SIZE];

  lp_address_format (address, text);
  return g_strdup (text);
}

/* A devnet ledger: the orchestrator bonded 1000 LPT to itself, registered
 * and active in the current round; the broadcaster holds @deposit and
 * @reserve (wei) in the TicketBroker. */
static inline LpTestNet *
lp_test_net_new (const gchar * deposit, const gchar * reserve)
{
  LpTestNet *net = g_new0 (LpTestNet, 1);
  LpLedgerGenesis *genesis;
  LpUint256 amount, dep, res;
  GError *error = NULL;
  gchar *json, *o, *b;

  net->dir = g_dir_make_tmp ("lp-orch-XXXXXX", NULL);
  fail_unless (net->dir != NULL);
  net->ledger_path = g_build_filename (net->dir, "devnet.db", NULL);
  net->orch_key_path = g_build_filename (net->dir, "orch.key", NULL);
  net->orch = lp_key_file_create (net->orch_key_path, &error);
  fail_unless (net->orch != NULL, "%s", error ? error->message : "");
  net->bcast = lp_private_key_generate (NULL);
  fail_unless (net->bcast != NULL);

  o = lp_test_address (lp_private_key_get_address (net->orch));
  b = lp_test_address (lp_private_key_get_address (net->bcast));
  json = g_strdup_printf ("{\"params\": {\"block-time-ms\": 0, "
      "\"round-length\": %d}, \"accounts\": ["
      "{\"address\": \"%s\", \"lpt\": \"10000e18\", \"eth\": \"0\"},"
      "{\"address\": \"%s\", \"lpt\": \"0\", \"eth\": \"100e18\"}]}",
      LP_TEST_ROUND_LENGTH, o, b);
  genesis = lp_ledger_genesis_from_json (json, &error);
  fail_unless (genesis != NULL, "%s", error ? error->message : "");
  net->ledger = lp_ledger_create (net->ledger_path, genesis, &error);
  fail_unless (net->ledger != NULL, "%s", error ? error->message : "");
  lp_ledger_genesis_free (genesis);
  g_free (json);
  g_free (o);
  g_free (b);

  lp_test_u256 (&amount, "1000e18");
  fail_unless (lp_ledger_bond (net->ledger, lp_private_key_get_address
          (net->orch), lp_private_key_get_address (net->orch), &amount,
          &error), "%s", error ? error->message : "");
  fail_unless (lp_ledger_register_orchestrator (net->ledger,
          lp_private_key_get_address (net->orch), 100000, 500000,
          "http://127.0.0.1", &error), "%s", error ? error->message : "");
  lp_test_u256 (&dep, deposit);
  lp_test_u256 (&res, reserve);
  if (!lp_uint256_is_zero (&dep) || !lp_uint256_is_zero (&res))
    fail_unless (lp_ledger_fund (net->ledger, lp_private_key_get_address
            (net->bcast), &dep, &res, &error), "%s",
        error ? error->message : "");
  /* active from the next round */
  fail_unless (lp_ledger_advance (net->ledger, LP_TEST_ROUND_LENGTH, NULL));
  fail_unless (lp_ledger_initialize_round (net->ledger, &error), "%s",
      error ? error->message : "");
  net->http = soup_session_new ();
  return net;
}

static inline void
lp_test_net_stop (LpTestNet * net)
{
  if (net->pipeline != NULL) {
    fail_unless_equals_int (gst_element_set_state (net->pipeline,
            GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);
    gst_object_unref (net->pipeline);
    net->pipeline = NULL;
    net->orchestrator = NULL;
  }
}

static inline void
lp_test_net_free (LpTestNet * net)
{
  lp_test_net_stop (net);
  g_object_unref (net->http);
  g_object_unref (net->ledger);
  lp_private_key_unref (net->orch);
  lp_private_key_unref (net->bcast);
  lp_check_remove_tree (net->dir);
  g_free (net->dir);
  g_free (net->ledger_path);
  g_free (net->orch_key_path);
  g_free (net);
}

/* Starts an orchestrator on port 0 with the net's key and ledger and the
 * given properties (NULL-terminated name/value pairs), in PLAYING. */
static inline void
lp_test_net_start (LpTestNet * net, const gchar * first_property, ...)
{
  va_list args;

  net->pipeline = gst_pipeline_new ("orchestrator");
  net->orchestrator = gst_element_factory_make ("lporchestrator", NULL);
  fail_unless (net->orchestrator != NULL);
  g_object_set (net->orchestrator, "port", 0, "key-file", net->orch_key_path,
      "ledger", net->ledger_path, NULL);
  if (first_property != NULL) {
    va_start (args, first_property);
    g_object_set_valist (G_OBJECT (net->orchestrator), first_property, args);
    va_end (args);
  }
  gst_bin_add (GST_BIN (net->pipeline), net->orchestrator);
  fail_if (gst_element_set_state (net->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  g_object_get (net->orchestrator, "current-port", &net->port, NULL);
  fail_unless (net->port != 0);
}

/* POSTs @body to @path; returns the status and sets @response (the body)
 * and, when asked, @headers. */
static inline guint
lp_test_post (LpTestNet * net, const gchar * path, const gchar * content_type,
    GBytes * body, const gchar * segment_header, const gchar * payment_header,
    GBytes ** response, SoupMessageHeaders ** headers)
{
  gchar *uri = g_strdup_printf ("http://127.0.0.1:%u%s", net->port, path);
  SoupMessage *msg = soup_message_new (SOUP_METHOD_POST, uri);
  SoupMessageHeaders *req = soup_message_get_request_headers (msg);
  GError *error = NULL;
  GBytes *out;
  guint status;

  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  if (segment_header != NULL)
    soup_message_headers_replace (req, "Livepeer-Segment", segment_header);
  if (payment_header != NULL)
    soup_message_headers_replace (req, "Livepeer-Payment", payment_header);
  out = soup_session_send_and_read (net->http, msg, NULL, &error);
  fail_unless (out != NULL, "POST %s: %s", uri, error ? error->message : "");
  status = soup_message_get_status (msg);
  if (headers != NULL)
    *headers = soup_message_headers_ref (soup_message_get_response_headers
        (msg));
  if (response != NULL)
    *response = out;
  else
    g_bytes_unref (out);
  g_object_unref (msg);
  g_free (uri);
  return status;
}

/* The response body as a NUL-terminated string (for reasons). */
static inline gchar *
lp_test_text (GBytes * bytes)
{
  gsize size;
  const gchar *data = g_bytes_get_data (bytes, &size);

  return g_strndup (data, size);
}

static inline void
fail_unless_equals_int_with_reason (gint a, gint b, const gchar * reason)
{
  fail_unless (a == b, "status %d, expected %d: %s", a, b, reason);
}

/* An OrchestratorRequest body for @address, signed by @signer (the
 * address's own key for a valid request). */
static inline GBytes *
lp_test_discovery_body (const LpAddress * address, LpPrivateKey * signer)
{
  LpOrchestratorRequest *request = lp_orchestrator_request_new ();
  gchar text[LP_ADDRESS_TEXT_SIZE], *json;

  request->address = *address;
  lp_address_format (address, text);
  fail_unless (lp_sign_message (signer, (const guint8 *) text, strlen (text),
          request->sig, NULL));
  json = lp_wire_orchestrator_request_to_json (request);
  lp_orchestrator_request_free (request);
  return g_bytes_new_take (json, strlen (json));
}

/* Discovery by @key; returns the status and sets @reply to the answer's
 * body as text. */
static inline guint
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
static inline LpOrchestratorInfo *
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

/* @frames frames of a moving @width x @height pattern at 30 fps as H.264
 * in MPEG-TS, a keyframe every @gop frames (the first frame is one). */
/* The orchestrator element's `stats` field @field (a guint64) */
static inline guint64
lp_test_orch_stat (GstElement * orchestrator, const gchar * field)
{
  GstStructure *stats;
  guint64 value = 0;

  g_object_get (orchestrator, "stats", &stats, NULL);
  fail_unless (gst_structure_get_uint64 (stats, field, &value), "%s", field);
  gst_structure_free (stats);
  return value;
}

/* Appends every buffer @sink gets, until its EOS, to @out */
static inline void
lp_test_drain_appsink (GstElement * sink, GByteArray * out)
{
  GstSample *sample;

  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) != NULL) {
    GstMapInfo map;
    GstBuffer *buffer = gst_sample_get_buffer (sample);

    gst_buffer_map (buffer, &map, GST_MAP_READ);
    g_byte_array_append (out, map.data, map.size);
    gst_buffer_unmap (buffer, &map);
    gst_sample_unref (sample);
  }
}

/* Runs the pipeline @desc into an appsink to its end: every byte it made. */
static inline GBytes *
lp_test_run_to_bytes (const gchar * desc)
{
  gchar *full = g_strdup_printf ("%s ! appsink name=sink sync=false", desc);
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (full, &error);
  GByteArray *out = g_byte_array_new ();
  GstElement *sink;

  fail_unless (pipeline != NULL, "%s: %s", full, error ? error->message : "");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  lp_test_drain_appsink (sink, out);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_free (full);
  fail_unless (out->len > 0, "%s made nothing", desc);
  return g_byte_array_free_to_bytes (out);
}

static inline GBytes *
lp_test_make_segment (guint width, guint height, guint frames, guint gop)
{
  gchar *desc = g_strdup_printf ("videotestsrc pattern=ball num-buffers=%u ! "
      "video/x-raw,format=I420,width=%u,height=%u,framerate=30/1 ! "
      "x264enc speed-preset=ultrafast key-int-max=%u bframes=0 ! "
      "h264parse ! mpegtsmux", frames, width, height, gop);
  GBytes *bytes = lp_test_run_to_bytes (desc);

  g_free (desc);
  return bytes;
}

/* What a segment's declared duration must cover: its video's PTS span,
 * in milliseconds rounded up (2000 when it has no video timestamps). */
static inline guint
lp_test_segment_duration_ms (GBytes * body)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (body, &size);
  LpMpegtsSpan span;
  guint64 ticks;

  if (!lp_mpegts_video_span (data, size, &span))
    return 2000;
  ticks = (span.end - span.start) & LP_MPEGTS_TIMESTAMP_MASK;
  return (guint) ((ticks * 1000 + LP_MPEGTS_CLOCK_RATE - 1) /
      LP_MPEGTS_CLOCK_RATE);
}

/* Signed segment credentials for @body, asking for the comma-separated
 * presets @profiles; returns the Livepeer-Segment header value. */
static inline gchar *
lp_test_segment_header (const LpOrchestratorInfo * info, LpPrivateKey * key,
    guint64 seq, GBytes * body, const gchar * profiles)
{
  LpSegData *seg = lp_seg_data_new ();
  gchar **names = g_strsplit (profiles, ",", -1);
  gchar *header;
  gsize size;
  const guint8 *data = g_bytes_get_data (body, &size);
  guint i;

  seg->manifest_id = g_strdup ("lp-test-stream");
  seg->seq = seq;
  lp_keccak256 (data, size, seg->hash);
  seg->duration_ms = 2000;
  for (i = 0; names[i] != NULL; i++) {
    const LpProfile *preset = lp_profile_get_preset (names[i]);

    fail_unless (preset != NULL, "%s", names[i]);
    g_ptr_array_add (seg->profiles, lp_profile_copy (preset));
  }
  seg->auth_token = info->auth_token;
  fail_unless (lp_seg_data_sign (seg, key, NULL));
  header = lp_wire_seg_data_to_header (seg);
  lp_seg_data_free (seg);
  g_strfreev (names);
  return header;
}

/* A payment of the tickets with nonces @first .. @first + @n - 1 under
 * @info's ticket parameters, signed by @key; the Livepeer-Payment value. */
static inline gchar *
lp_test_payment_header (const LpOrchestratorInfo * info, LpPrivateKey * key,
    guint32 first, guint n)
{
  LpPayment *payment = lp_payment_new ();
  gchar *header;
  guint i;

  fail_unless (info->has_ticket_params);
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
    fail_unless (lp_ticket_sign (&ticket, key, g_array_index
            (payment->tickets, LpTicketSenderParams, i).sig, NULL));
  }
  header = lp_wire_payment_to_header (payment);
  lp_payment_free (payment);
  return header;
}

/* What a segment's 200 carries: the result and, in order, the renditions
 * (an empty array when the result is an error). */
typedef struct
{
  LpTranscodeResult *result;
  GPtrArray *renditions;        /* GBytes* */
  GPtrArray *names;             /* the parts' Rendition-Name */
} LpTestResult;

static inline void
lp_test_result_free (LpTestResult * r)
{
  lp_transcode_result_free (r->result);
  g_ptr_array_unref (r->renditions);
  g_ptr_array_unref (r->names);
  g_free (r);
}

/* Parses a segment's answer: multipart/mixed (result JSON, then the
 * renditions) or, after a failure, the result JSON alone. */
static inline LpTestResult *
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
static inline guint
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

/* Decodes an MPEG-TS rendition: its frame count and size. */
static inline void
lp_test_decode (GBytes * ts, guint * frames, gint * width, gint * height)
{
  GstElement *pipeline = gst_parse_launch ("appsrc name=src ! tsdemux ! "
      "h264parse ! avdec_h264 ! appsink name=sink sync=false", NULL);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  GstSample *sample;
  GstCaps *caps = gst_caps_new_simple ("video/mpegts", "systemstream",
      G_TYPE_BOOLEAN, TRUE, NULL);

  g_object_set (src, "caps", caps, NULL);
  gst_caps_unref (caps);
  *frames = 0;
  *width = *height = 0;
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  gst_app_src_push_buffer (GST_APP_SRC (src),
      gst_buffer_new_wrapped_bytes (ts));
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) != NULL) {
    GstStructure *s = gst_caps_get_structure (gst_sample_get_caps (sample),
        0);

    gst_structure_get_int (s, "width", width);
    gst_structure_get_int (s, "height", height);
    (*frames)++;
    gst_sample_unref (sample);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

/* Waits (up to @timeout) for the next element message named @name from
 * the orchestrator; NULL when none came. */
static inline GstMessage *
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
static inline LpTestResult *
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

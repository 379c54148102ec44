/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * LpBroadcaster without a pipeline: the broadcaster's node logic against
 * small fake orchestrators in go-livepeer's protobuf dialect (gRPC
 * GetOrchestrator and EndTranscodingSession on an h2c port, POST /segment
 * and the renditions by URL on a SoupServer, in a thread of their own,
 * free of charge) that either echo the segment back as its one rendition
 * with a signed result, refuse every segment, or serve one session only
 * and refuse the others for capacity ("OrchestratorCapped"). A segment's outcome on success, failover to a
 * second orchestrator when the first refuses, a loss with its reasons
 * when every orchestrator refuses, a capacity refusal sent through a
 * session the stream holds, an interrupted broadcaster, and a capability
 * job asked for by id and model of an orchestrator that does not
 * advertise it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsink.h>
#include <libsoup/soup.h>
#include <gst/livepeer/lpledger.h>
#include <gst/livepeer/lpprofile.h>
#include <gst/livepeer/lph2server.h>
#include <gst/livepeer/lpwire.h>
#include <gst/livepeer/lpwire-proto.h>

#include "lpcheck.h"
#include "lpbroadcaster.h"

/* ------------------------------------------------------------------------ */
/* A fake orchestrator */

typedef enum
{
  FAKE_ECHO,                    /* every segment back as its rendition */
  FAKE_REFUSE,                  /* 500 to every segment */
  FAKE_ONE_SESSION,             /* echo in the first session sent, capped
                                 * in any other */
} FakeMode;

typedef struct
{
  FakeMode mode;
  LpPrivateKey *key;
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  SoupServer *server;           /* HTTP/1.1: segments, renditions */
  gchar *transcoder;
  LpGrpcRouter *router;
  LpH2Server *h2;
  GSocketService *h2c;          /* gRPC */
  gchar *uri;
  GMutex lock;
  GHashTable *renditions;       /* path -> GBytes* */
  guint sessions;               /* handed out by discovery */
  gchar *served;                /* FAKE_ONE_SESSION: the one it runs */
  GPtrArray *seen;              /* gchar*: each segment's session */
  guint32 asked_job;            /* a capability job's id discovery asked for */
  gchar *asked_model;           /* and the model it named */
} FakeOrch;

/* The job an OrchestratorRequest asks for, as go-livepeer's gateway asks:
 * a bit from 64 up, its model in constraints.PerCapability[id].models.
 * The fake answers for transcoding all the same, advertising no job. */
static void
fake_note_job (FakeOrch * fake, GBytes * message)
{
  g_autoptr (LpProtoOrchestratorRequest) request = NULL;
  LpProtoCapabilities *caps;
  guint32 id;

  request = lp_proto_orchestrator_request_decode (g_bytes_get_data (message,
          NULL), g_bytes_get_size (message), NULL);
  fail_unless (request != NULL && request->capabilities != NULL);
  caps = request->capabilities;
  for (id = 64; id / 64 < caps->bitstring->len; id++) {
    LpProtoCapabilityConstraints *per = NULL;
    GHashTableIter iter;
    gpointer model = NULL;

    if (!(g_array_index (caps->bitstring, guint64, id / 64) >> (id % 64) & 1))
      continue;
    if (caps->constraints != NULL)
      per = g_hash_table_lookup (caps->constraints->per_capability,
          GUINT_TO_POINTER (id));
    if (per != NULL) {
      g_hash_table_iter_init (&iter, per->models);
      g_hash_table_iter_next (&iter, &model, NULL);
    }
    g_mutex_lock (&fake->lock);
    fake->asked_job = id;
    g_free (fake->asked_model);
    fake->asked_model = g_strdup (model);
    g_mutex_unlock (&fake->lock);
  }
}

static void
fake_get_orchestrator (LpH2Request * request, GBytes * message, gpointer data)
{
  FakeOrch *fake = data;
  g_autoptr (LpOrchestratorInfo) info = lp_orchestrator_info_new ();
  g_autoptr (LpProtoOrchestratorInfo) p = NULL;
  g_autoptr (GBytes) answer = NULL;

  fake_note_job (fake, message);
  info->transcoder = g_strdup (fake->transcoder);
  info->address = *lp_private_key_get_address (fake->key);
  g_mutex_lock (&fake->lock);
  g_snprintf (info->auth_token.session_id,
      sizeof (info->auth_token.session_id), "session-%u", ++fake->sessions);
  g_mutex_unlock (&fake->lock);
  memset (info->auth_token.token, 7, sizeof (info->auth_token.token));
  info->auth_token.expiration = g_get_real_time () / G_USEC_PER_SEC + 3600;
  p = lp_wire_orchestrator_info_to_proto (info);
  answer = lp_proto_orchestrator_info_encode (p);
  lp_grpc_respond (request, answer);
}

static void
fake_end_session (LpH2Request * request, GBytes * message, gpointer data)
{
  g_autoptr (GBytes) empty = g_bytes_new (NULL, 0);

  lp_grpc_respond (request, empty);
}

static void
fake_refuse (SoupServerMessage * msg, guint status, const gchar * reason)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY,
      reason, strlen (reason));
}

/* The segment back as its only rendition, served here by URL, with a
 * protobuf result the fake signs */
static void
fake_echo (FakeOrch * fake, SoupServerMessage * msg, const LpSegData * seg,
    GBytes * body)
{
  g_autoptr (LpTranscodeResult) result = lp_transcode_result_new ();
  g_autoptr (LpProtoTranscodeResult) p = NULL;
  g_autofree gchar *path = g_strdup_printf ("/stream/%s/%" G_GUINT64_FORMAT
      ".ts", seg->auth_token.session_id, seg->seq);
  g_autofree gchar *url = g_strdup_printf ("%s%s", fake->transcoder, path);
  GBytes *bytes;

  g_mutex_lock (&fake->lock);
  g_hash_table_insert (fake->renditions, g_steal_pointer (&path),
      g_bytes_ref (body));
  g_mutex_unlock (&fake->lock);
  result->seq = seg->seq;
  lp_transcode_result_add_segment (result, url, 12345);
  fail_unless (lp_transcode_result_sign (result, fake->key, &body, 1, NULL));
  p = lp_wire_transcode_result_to_proto (result);
  bytes = lp_proto_transcode_result_encode (p);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/octet-stream",
      SOUP_MEMORY_COPY, g_bytes_get_data (bytes, NULL),
      g_bytes_get_size (bytes));
  g_bytes_unref (bytes);
}

/* go-livepeer's Livepeer-Segment: base64 of a protobuf SegData */
static LpSegData *
fake_read_segment (const gchar * header)
{
  g_autoptr (GBytes) bytes = NULL;

  bytes = header ? lp_wire_header_decode_bytes (header, "Livepeer-Segment",
      NULL) : NULL;
  return bytes != NULL ? lp_wire_seg_data_from_proto_bytes (bytes, NULL,
      NULL) : NULL;
}

static void
fake_serve_rendition (FakeOrch * fake, SoupServerMessage * msg,
    const gchar * path)
{
  GBytes *bytes;

  g_mutex_lock (&fake->lock);
  bytes = g_hash_table_lookup (fake->renditions, path);
  if (bytes != NULL)
    g_bytes_ref (bytes);
  g_mutex_unlock (&fake->lock);
  if (bytes == NULL) {
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
    return;
  }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "video/MP2T", SOUP_MEMORY_COPY,
      g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_bytes_unref (bytes);
}

static void
fake_answer_segment (FakeOrch * fake, SoupServerMessage * msg)
{
  const gchar *header = soup_message_headers_get_one
      (soup_server_message_get_request_headers (msg), "Livepeer-Segment");
  g_autoptr (LpSegData) seg = NULL;
  g_autoptr (GBytes) body = NULL;
  gboolean capped = FALSE;

  seg = fake_read_segment (header);
  if (seg == NULL) {
    fake_refuse (msg, SOUP_STATUS_BAD_REQUEST, "no Livepeer-Segment");
    return;
  }
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_mutex_lock (&fake->lock);
  g_ptr_array_add (fake->seen, g_strdup (seg->auth_token.session_id));
  if (fake->mode == FAKE_ONE_SESSION) {
    if (fake->served == NULL)
      fake->served = g_strdup (seg->auth_token.session_id);
    capped = !g_str_equal (fake->served, seg->auth_token.session_id);
  }
  g_mutex_unlock (&fake->lock);
  if (fake->mode == FAKE_REFUSE)
    fake_refuse (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "fake refuses");
  else if (capped)
    fake_refuse (msg, SOUP_STATUS_FORBIDDEN, "OrchestratorCapped: one "
        "session at a time");
  else
    fake_echo (fake, msg, seg, body);
}

static void
fake_handler (SoupServer * server, SoupServerMessage * msg, const char *path,
    GHashTable * query, gpointer user_data)
{
  FakeOrch *fake = user_data;

  if (g_str_equal (path, "/segment"))
    fake_answer_segment (fake, msg);
  else if (g_str_has_prefix (path, "/stream/"))
    fake_serve_rendition (fake, msg, path);
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static gpointer
fake_thread (gpointer data)
{
  FakeOrch *fake = data;

  g_main_context_push_thread_default (fake->context);
  g_main_loop_run (fake->loop);
  g_main_context_pop_thread_default (fake->context);
  return NULL;
}

static gboolean
fake_incoming (GSocketService * service, GSocketConnection * connection,
    GObject * source, gpointer data)
{
  lp_h2_server_accept (((FakeOrch *) data)->h2, G_IO_STREAM (connection));
  return TRUE;
}

/* gRPC on 127.0.0.1 at a free port */
static void
fake_listen_h2c (FakeOrch * fake)
{
  guint attempt, port = 0;

  fake->router = lp_grpc_router_new (64 * 1024);
  lp_grpc_router_add (fake->router, "/net.Orchestrator/GetOrchestrator",
      fake_get_orchestrator, fake);
  lp_grpc_router_add (fake->router, "/net.Orchestrator/EndTranscodingSession",
      fake_end_session, fake);
  fake->h2 = lp_h2_server_new (fake->context, NULL, lp_grpc_router_handle,
      fake->router, NULL);
  for (attempt = 0; attempt < 20 && fake->h2c == NULL; attempt++) {
    GSocketService *service = g_socket_service_new ();
    GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    GSocketAddress *address;

    port = lp_test_free_port ();
    address = g_inet_socket_address_new (loopback, port);
    if (port != 0 && g_socket_listener_add_address (G_SOCKET_LISTENER
            (service), address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
            NULL, NULL, NULL))
      fake->h2c = g_object_ref (service);
    g_object_unref (address);
    g_object_unref (loopback);
    g_object_unref (service);
  }
  fail_unless (fake->h2c != NULL, "no free port for the fake's gRPC");
  g_signal_connect (fake->h2c, "incoming", G_CALLBACK (fake_incoming), fake);
  g_socket_service_start (fake->h2c);
  fake->uri = g_strdup_printf ("http://127.0.0.1:%u", port);
}

static FakeOrch *
fake_orch_new (FakeMode mode)
{
  FakeOrch *fake = g_new0 (FakeOrch, 1);
  GError *error = NULL;
  GSList *uris;

  fake->mode = mode;
  fake->key = lp_private_key_generate (&error);
  fail_unless (fake->key != NULL, "%s", error ? error->message : "");
  g_mutex_init (&fake->lock);
  fake->seen = g_ptr_array_new_with_free_func (g_free);
  fake->renditions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) g_bytes_unref);
  fake->context = g_main_context_new ();
  fake->loop = g_main_loop_new (fake->context, FALSE);
  g_main_context_push_thread_default (fake->context);
  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->server, NULL, fake_handler, fake, NULL);
  fail_unless (soup_server_listen_local (fake->server, 0,
          SOUP_SERVER_LISTEN_IPV4_ONLY, &error), "%s",
      error ? error->message : "");
  fake_listen_h2c (fake);
  g_main_context_pop_thread_default (fake->context);
  uris = soup_server_get_uris (fake->server);
  fake->transcoder = g_strdup_printf ("http://127.0.0.1:%d",
      g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  fake->thread = g_thread_new ("fake-orchestrator", fake_thread, fake);
  return fake;
}

static gboolean
fake_quit (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
fake_orch_free (FakeOrch * fake)
{
  GSource *quit = g_idle_source_new ();

  /* from inside the loop: g_main_context_invoke() would run the quit right
   * here when the thread has not yet acquired the context, and a quit
   * before g_main_loop_run() is lost (the join would then wait forever) */
  g_source_set_callback (quit, fake_quit, fake->loop, NULL);
  g_source_attach (quit, fake->context);
  g_source_unref (quit);
  g_thread_join (fake->thread);
  g_socket_service_stop (fake->h2c);
  g_socket_listener_close (G_SOCKET_LISTENER (fake->h2c));
  g_object_unref (fake->h2c);
  lp_h2_server_free (fake->h2);
  lp_grpc_router_free (fake->router);
  soup_server_disconnect (fake->server);
  g_object_unref (fake->server);
  g_main_loop_unref (fake->loop);
  g_main_context_unref (fake->context);
  lp_private_key_unref (fake->key);
  g_ptr_array_unref (fake->seen);
  g_free (fake->served);
  g_free (fake->asked_model);
  g_hash_table_unref (fake->renditions);
  g_free (fake->transcoder);
  g_free (fake->uri);
  g_mutex_clear (&fake->lock);
  g_free (fake);
}

static guint
fake_seen (FakeOrch * fake)
{
  guint n;

  g_mutex_lock (&fake->lock);
  n = fake->seen->len;
  g_mutex_unlock (&fake->lock);
  return n;
}

/* ------------------------------------------------------------------------ */
/* The broadcaster's side */

typedef struct
{
  gchar *dir;
  LpLedger *ledger;
  LpPrivateKey *key;
  GPtrArray *profiles;
  LpBroadcastSegment segment;
  GMutex lock;
  GPtrArray *failovers;         /* gchar* "seq uri attempt: reason" */
  guint cannot_pay;
  GPtrArray *fakes;             /* FakeOrch*, freed with the fixture */
} Fixture;

/* One second of 160x90 H.264 in MPEG-TS */
static GBytes *
make_segment (void)
{
  GstElement *pipeline = gst_parse_launch ("videotestsrc num-buffers=30 ! "
      "video/x-raw,width=160,height=90,framerate=30/1 ! "
      "x264enc key-int-max=30 speed-preset=ultrafast ! h264parse ! "
      "mpegtsmux ! appsink name=sink sync=false", NULL);
  GstElement *sink;
  GByteArray *ts = g_byte_array_new ();
  GstSample *sample;

  fail_unless (pipeline != NULL);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) != NULL) {
    GstMapInfo map;
    GstBuffer *buffer = gst_sample_get_buffer (sample);

    fail_unless (gst_buffer_map (buffer, &map, GST_MAP_READ));
    g_byte_array_append (ts, map.data, map.size);
    gst_buffer_unmap (buffer, &map);
    gst_sample_unref (sample);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  fail_unless (ts->len > 0);
  return g_byte_array_free_to_bytes (ts);
}

static void
on_failover (guint64 seq, const gchar * uri, guint attempt,
    const gchar * reason, gpointer user_data)
{
  Fixture *f = user_data;

  g_mutex_lock (&f->lock);
  g_ptr_array_add (f->failovers, g_strdup_printf ("%" G_GUINT64_FORMAT
          " %s %u: %s", seq, uri, attempt, reason));
  g_mutex_unlock (&f->lock);
}

static void
on_cannot_pay (const gchar * reason, gpointer user_data)
{
  Fixture *f = user_data;

  g_mutex_lock (&f->lock);
  f->cannot_pay++;
  g_mutex_unlock (&f->lock);
}

static const LpBroadcasterListener listener = { on_failover, on_cannot_pay };

static Fixture *
fixture_new (void)
{
  Fixture *f = g_new0 (Fixture, 1);
  GError *error = NULL;
  g_autofree gchar *path = NULL;

  f->dir = g_dir_make_tmp ("lp-broadcaster-XXXXXX", NULL);
  fail_unless (f->dir != NULL);
  path = g_build_filename (f->dir, "devnet.db", NULL);
  f->ledger = lp_ledger_create (path, NULL, &error);
  fail_unless (f->ledger != NULL, "%s", error ? error->message : "");
  f->key = lp_private_key_generate (&error);
  fail_unless (f->key != NULL, "%s", error ? error->message : "");
  f->profiles = lp_profile_list_load ("P144p30fps16x9", &error);
  fail_unless (f->profiles != NULL, "%s", error ? error->message : "");
  f->segment.data = make_segment ();
  f->segment.duration_ms = 1000;
  f->segment.width = 160;
  f->segment.height = 90;
  f->segment.fps_num = 30;
  f->segment.fps_den = 1;
  f->segment.frames = 30;
  g_mutex_init (&f->lock);
  f->failovers = g_ptr_array_new_with_free_func (g_free);
  f->fakes = g_ptr_array_new_with_free_func ((GDestroyNotify)
      fake_orch_free);
  return f;
}

static FakeOrch *
fixture_add_fake (Fixture * f, FakeMode mode)
{
  FakeOrch *fake = fake_orch_new (mode);

  g_ptr_array_add (f->fakes, fake);
  return fake;
}

static void
fixture_free (Fixture * f)
{
  g_ptr_array_unref (f->fakes);
  g_bytes_unref (f->segment.data);
  g_ptr_array_unref (f->profiles);
  lp_private_key_unref (f->key);
  g_object_unref (f->ledger);
  lp_check_remove_tree (f->dir);
  g_free (f->dir);
  g_ptr_array_unref (f->failovers);
  g_mutex_clear (&f->lock);
  g_free (f);
}

/* A broadcaster over @uris (comma-separated), started: every one
 * answered discovery */
static LpBroadcaster *
broadcaster_new (Fixture * f, const gchar * uris, guint slots,
    guint max_attempts, guint32 seed)
{
  LpBroadcasterConfig config = { 0, };
  LpBroadcaster *b;
  GError *error = NULL;
  gchar *failures = NULL;

  config.orchestrators = uris;
  config.manifest_id = "broadcaster-test";
  config.max_price.pixels_per_unit = 1;
  config.slots = slots;
  config.verify = LP_BROADCAST_VERIFY_SIGNATURE;
  config.max_attempts = max_attempts;
  config.discovery_timeout_ms = 5000;
  config.segment_timeout_ms = 10000;
  config.selection_seed = seed;
  b = lp_broadcaster_new (&config, f->key, f->ledger, f->profiles,
      &listener, f);
  fail_unless_equals_int (lp_broadcaster_start (b, &failures, &error),
      strchr (uris, ',') != NULL ? 2 : 1);
  fail_unless (error == NULL);
  fail_unless_equals_string (failures, "");
  g_free (failures);
  fail_unless (lp_broadcaster_has_usable (b, NULL));
  fail_if (lp_broadcaster_must_pay (b));
  return b;
}

/* Ends the stream of @b and frees it with its @worker */
static void
broadcaster_free (LpBroadcaster * b, LpBroadcasterWorker * worker)
{
  lp_broadcaster_worker_free (worker);
  lp_broadcaster_stop (b);
  lp_broadcaster_free (b);
}

/* The orchestrator structure of @uri in the broadcaster's stats */
static GstStructure *
orch_stats (LpBroadcaster * b, const gchar * uri)
{
  GValue array = G_VALUE_INIT;
  GstStructure *found = NULL;
  guint i;

  g_value_init (&array, GST_TYPE_ARRAY);
  lp_broadcaster_add_orchestrator_stats (b, &array);
  for (i = 0; i < gst_value_array_get_size (&array); i++) {
    const GstStructure *s = gst_value_get_structure
        (gst_value_array_get_value (&array, i));

    if (g_str_equal (gst_structure_get_string (s, "uri"), uri))
      found = gst_structure_copy (s);
  }
  g_value_unset (&array);
  fail_unless (found != NULL, "no stats for %s", uri);
  return found;
}

static guint64
orch_stat (LpBroadcaster * b, const gchar * uri, const gchar * field)
{
  GstStructure *s = orch_stats (b, uri);
  guint64 value = 0;
  gboolean suspended = FALSE;

  if (g_str_equal (field, "suspended")) {
    fail_unless (gst_structure_get_boolean (s, field, &suspended));
    value = suspended;
  } else {
    fail_unless (gst_structure_get_uint64 (s, field, &value));
  }
  gst_structure_free (s);
  return value;
}

/* ------------------------------------------------------------------------ */

/* A capability job is asked for by its id and model; an orchestrator whose
 * answer does not advertise them is not used */
GST_START_TEST (test_job_not_advertised)
{
  Fixture *f = fixture_new ();
  FakeOrch *fake = fixture_add_fake (f, FAKE_ECHO);
  LpBroadcasterConfig config = { 0, };
  g_autoptr (GPtrArray) profiles = g_ptr_array_new_with_free_func
      ((GDestroyNotify) lp_profile_free);
  LpBroadcaster *b;
  GError *error = NULL;
  gchar *failures = NULL;

  config.orchestrators = fake->uri;
  config.job = "edges";
  config.model = "effectv-edgetv";
  config.job_id = 1027;
  config.job_outputs = LP_JOB_OUTPUT_VIDEO;
  config.job_unit = LP_JOB_UNIT_PIXELS;
  config.manifest_id = "broadcaster-test";
  config.max_price.pixels_per_unit = 1;
  config.slots = 1;
  config.max_attempts = 1;
  config.discovery_timeout_ms = 5000;
  b = lp_broadcaster_new (&config, f->key, f->ledger, profiles, &listener, f);
  /* the job's video output is its one rendition */
  fail_unless_equals_int (profiles->len, 1);
  fail_unless_equals_string (((LpProfile *) g_ptr_array_index (profiles,
              0))->name, "edges");
  fail_unless_equals_int (lp_broadcaster_start (b, &failures, &error), 0);
  fail_unless (error != NULL);
  fail_unless (strstr (failures, "does not advertise capability edges (id "
          "1027) with model effectv-edgetv") != NULL, "%s", failures);
  fail_unless_equals_int (fake->asked_job, 1027);
  fail_unless_equals_string (fake->asked_model, "effectv-edgetv");
  g_clear_error (&error);
  g_free (failures);
  lp_broadcaster_stop (b);
  lp_broadcaster_free (b);
  fixture_free (f);
}

GST_END_TEST;

GST_START_TEST (test_outcome_on_success)
{
  Fixture *f = fixture_new ();
  FakeOrch *fake = fixture_add_fake (f, FAKE_ECHO);
  LpBroadcaster *b = broadcaster_new (f, fake->uri, 1, 3, 0);
  LpBroadcasterWorker *worker = lp_broadcaster_worker_new (b);
  LpBroadcastOutcome out = { 0, };
  const LpRenditionInfo *ri;
  gchar *fee;

  f->segment.seq = 7;
  fail_unless (lp_broadcaster_transcode (b, worker, &f->segment, &out));
  fail_unless (out.ok);
  fail_unless (out.reason == NULL);
  fail_unless_equals_string (out.orchestrator, fake->uri);
  fail_unless_equals_int (out.attempts, 1);
  fail_unless_equals_int (out.failures, 0);
  fail_unless_equals_int (out.tickets, 0);
  fail_unless_equals_string (out.verified, "signature");
  fail_unless_equals_uint64 (out.pixels, 12345);
  fail_unless (GST_CLOCK_TIME_IS_VALID (out.latency) && out.latency > 0);
  /* a free orchestrator: no fee */
  fee = lp_rational_to_string (out.fee);
  fail_unless_equals_string (fee, "0");
  g_free (fee);
  /* the fake echoes the segment: one rendition, inspected */
  fail_unless_equals_int (out.renditions->len, 1);
  fail_unless (g_bytes_equal (g_ptr_array_index (out.renditions, 0),
          f->segment.data));
  fail_unless_equals_int (out.infos->len, 1);
  ri = &g_array_index (out.infos, LpRenditionInfo, 0);
  fail_unless_equals_int (ri->width, 160);
  fail_unless_equals_int (ri->height, 90);
  fail_unless (ri->codecs != NULL && g_str_has_prefix (ri->codecs, "avc1."));
  fail_unless_equals_int (f->failovers->len, 0);
  fail_unless_equals_uint64 (orch_stat (b, fake->uri, "segments"), 1);
  fail_unless_equals_uint64 (orch_stat (b, fake->uri, "failures"), 0);
  fail_unless_equals_int (fake_seen (fake), 1);
  lp_broadcast_outcome_clear (&out);

  broadcaster_free (b, worker);
  fixture_free (f);
}

GST_END_TEST;

/* The first orchestrator chosen refuses: the segment goes to the other,
 * the refusal reported and the refuser suspended. The seeded selection
 * picks the refuser first for some seed; each seed is a fresh stream. */
GST_START_TEST (test_failover_to_second)
{
  Fixture *f = fixture_new ();
  FakeOrch *bad = fixture_add_fake (f, FAKE_REFUSE);
  FakeOrch *good = fixture_add_fake (f, FAKE_ECHO);
  gchar *uris = g_strdup_printf ("%s,%s", bad->uri, good->uri);
  gboolean failed_over = FALSE;
  guint32 seed;

  for (seed = 1; seed <= 32 && !failed_over; seed++) {
    LpBroadcaster *b = broadcaster_new (f, uris, 1, 3, seed);
    LpBroadcasterWorker *worker = lp_broadcaster_worker_new (b);
    LpBroadcastOutcome out = { 0, };

    fail_unless (lp_broadcaster_transcode (b, worker, &f->segment, &out));
    fail_unless_equals_string (out.orchestrator, good->uri);
    if (out.attempts == 2) {
      gchar *expected = g_strdup_printf ("0 %s 1: ", bad->uri);

      failed_over = TRUE;
      fail_unless_equals_int (out.failures, 1);
      fail_unless_equals_int (f->failovers->len, 1);
      fail_unless (g_str_has_prefix (g_ptr_array_index (f->failovers, 0),
              expected), "%s", (gchar *) g_ptr_array_index (f->failovers, 0));
      fail_unless (strstr (g_ptr_array_index (f->failovers, 0),
              "fake refuses") != NULL);
      fail_unless_equals_uint64 (orch_stat (b, bad->uri, "failures"), 1);
      fail_unless_equals_uint64 (orch_stat (b, bad->uri, "suspended"), TRUE);
      fail_unless_equals_uint64 (orch_stat (b, good->uri, "segments"), 1);
      g_free (expected);
    } else {
      fail_unless_equals_int (out.attempts, 1);
      fail_unless_equals_int (f->failovers->len, 0);
    }
    lp_broadcast_outcome_clear (&out);
    broadcaster_free (b, worker);
  }
  fail_unless (failed_over, "no seed picked the refusing orchestrator first");
  g_free (uris);
  fixture_free (f);
}

GST_END_TEST;

/* Every orchestrator refuses: the segment is lost after one attempt at
 * each (a third finds nobody left), with the last refusal as its reason
 * and every one reported. */
GST_START_TEST (test_lost_when_all_fail)
{
  Fixture *f = fixture_new ();
  FakeOrch *a = fixture_add_fake (f, FAKE_REFUSE);
  FakeOrch *c = fixture_add_fake (f, FAKE_REFUSE);
  gchar *uris = g_strdup_printf ("%s,%s", a->uri, c->uri);
  LpBroadcaster *b = broadcaster_new (f, uris, 1, 3, 0);
  LpBroadcasterWorker *worker = lp_broadcaster_worker_new (b);
  LpBroadcastOutcome out = { 0, };
  const gchar *last;
  gchar *a_last = g_strdup_printf ("3 %s 2: ", a->uri);
  gchar *a_reason = g_strdup_printf ("%s: ", a->uri);
  gchar *c_reason = g_strdup_printf ("%s: ", c->uri);

  f->segment.seq = 3;
  fail_if (lp_broadcaster_transcode (b, worker, &f->segment, &out));
  fail_if (out.ok);
  fail_unless_equals_int (out.attempts, 2);
  fail_unless_equals_int (out.failures, 2);
  fail_unless (out.renditions == NULL && out.orchestrator == NULL);
  fail_unless_equals_int (f->failovers->len, 2);
  last = g_ptr_array_index (f->failovers, 1);
  fail_unless (out.reason != NULL);
  /* "URI: ... answered 500: fake refuses", of the second tried */
  fail_unless (strstr (out.reason, "fake refuses") != NULL, "%s", out.reason);
  fail_unless (g_str_has_prefix (out.reason, g_str_has_prefix (last, a_last) ?
          a_reason : c_reason), "%s / %s", out.reason, last);
  fail_unless_equals_uint64 (orch_stat (b, a->uri, "failures"), 1);
  fail_unless_equals_uint64 (orch_stat (b, c->uri, "failures"), 1);
  fail_unless_equals_int (f->cannot_pay, 0);
  lp_broadcast_outcome_clear (&out);
  g_free (a_last);
  g_free (a_reason);
  g_free (c_reason);

  broadcaster_free (b, worker);
  g_free (uris);
  fixture_free (f);
}

GST_END_TEST;

/* An orchestrator with room for one session: the second slot's own
 * session is refused for capacity, and its segment goes through the
 * session the first slot holds there, without a failover. */
GST_START_TEST (test_capped_reuses_held_session)
{
  Fixture *f = fixture_new ();
  FakeOrch *fake = fixture_add_fake (f, FAKE_ONE_SESSION);
  LpBroadcaster *b = broadcaster_new (f, fake->uri, 2, 3, 0);
  LpBroadcasterWorker *first = lp_broadcaster_worker_new (b);
  LpBroadcasterWorker *second = lp_broadcaster_worker_new (b);
  LpBroadcastOutcome out = { 0, };

  f->segment.seq = 0;
  fail_unless (lp_broadcaster_transcode (b, first, &f->segment, &out));
  lp_broadcast_outcome_clear (&out);
  memset (&out, 0, sizeof (out));
  f->segment.seq = 1;
  fail_unless (lp_broadcaster_transcode (b, second, &f->segment, &out));
  fail_unless_equals_string (out.orchestrator, fake->uri);
  fail_unless_equals_int (out.attempts, 1);
  fail_unless_equals_int (out.failures, 0);
  fail_unless_equals_int (f->failovers->len, 0);
  /* the first slot's session, the second's (refused), the first's again */
  g_mutex_lock (&fake->lock);
  fail_unless_equals_int (fake->seen->len, 3);
  fail_unless_equals_string (g_ptr_array_index (fake->seen, 0), fake->served);
  fail_if (g_str_equal (g_ptr_array_index (fake->seen, 1), fake->served));
  fail_unless_equals_string (g_ptr_array_index (fake->seen, 2), fake->served);
  g_mutex_unlock (&fake->lock);
  fail_unless_equals_uint64 (orch_stat (b, fake->uri, "segments"), 2);
  fail_unless_equals_uint64 (orch_stat (b, fake->uri, "failures"), 0);
  lp_broadcast_outcome_clear (&out);

  lp_broadcaster_worker_free (second);
  broadcaster_free (b, first);
  fixture_free (f);
}

GST_END_TEST;

/* An interrupted broadcaster sends nothing more: the segment is lost
 * untried, and nothing is reported as a failover. */
GST_START_TEST (test_interrupted)
{
  Fixture *f = fixture_new ();
  FakeOrch *fake = fixture_add_fake (f, FAKE_ECHO);
  LpBroadcaster *b = broadcaster_new (f, fake->uri, 1, 3, 0);
  LpBroadcasterWorker *worker = lp_broadcaster_worker_new (b);
  LpBroadcastOutcome out = { 0, };

  lp_broadcaster_interrupt (b);
  fail_if (lp_broadcaster_transcode (b, worker, &f->segment, &out));
  fail_unless_equals_string (out.reason, "the element stopped");
  fail_unless_equals_int (out.attempts, 0);
  fail_unless_equals_int (f->failovers->len, 0);
  fail_unless_equals_int (fake_seen (fake), 0);
  lp_broadcast_outcome_clear (&out);

  broadcaster_free (b, worker);
  fixture_free (f);
}

GST_END_TEST;

static Suite *
broadcaster_suite (void)
{
  Suite *s = suite_create ("broadcaster");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();
  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_outcome_on_success);
  tcase_add_test (tc, test_job_not_advertised);
  tcase_add_test (tc, test_failover_to_second);
  tcase_add_test (tc, test_lost_when_all_fail);
  tcase_add_test (tc, test_capped_reuses_held_session);
  tcase_add_test (tc, test_interrupted);
  return s;
}

GST_CHECK_MAIN (broadcaster);

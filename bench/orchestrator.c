/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * bench-orchestrator: how many concurrent broadcaster sessions one
 * lporchestrator serves in real time on this machine.
 *
 * In one process: a devnet ledger in a temporary directory (the
 * orchestrator bonded, registered and active; one funded broadcaster key
 * per session), an `lporchestrator` on a free port in a pipeline, and
 * SESSIONS broadcaster threads built from the core library that speak
 * go-livepeer's protobuf dialect: discovery by the gRPC call
 * net.Orchestrator/GetOrchestrator (HTTP/2 cleartext), then 2 s 640x360@30
 * H.264 MPEG-TS segments POSTed to /segment over HTTP/1.1 (libsoup, one
 * keep-alive connection per session) with Livepeer-Segment and
 * Livepeer-Payment headers (base64 of protobuf; at price 0 the payment
 * names the sender only), a protobuf TranscodeResult back and each
 * rendition fetched from the URL it lists, as go-livepeer's broadcaster
 * does.
 *
 * The input is one continuous stream (videotestsrc pattern=ball, x264enc
 * veryfast, a keyframe every 2 s) cut at its keyframes into SEGMENTS + 1
 * segments by splitmuxsink, so that each session's transcoder sees
 * continuous timestamps. Each session first sends segment 0 (warm-up: the
 * session's transcode pipeline is built then); once every session is warm
 * the timed phase starts and each session sends segments 1..SEGMENTS:
 *
 *   - burst: back to back (throughput);
 *   - paced: one segment every 2 s, as a live broadcaster does, session i
 *     starting i * 2 s / SESSIONS into the period (streams are not aligned);
 *     a segment whose answer is late delays the next one.
 *
 * Per segment: the round trip (request sent to the last rendition fully
 * fetched, what the broadcaster sees) and the orchestrator's
 * `transcode-time` (from the `lporchestrator-segment` bus message, matched
 * by session and seq); their difference is the latency the orchestrator
 * adds around the transcoder (HTTP, checks, payment, signing, fresh ticket
 * parameters, the result, the rendition downloads).
 * Memory: VmRSS of this process before the first discovery (the plugins a
 * session uses already loaded) and after the last segment (all sessions
 * alive and warm), divided by SESSIONS. CPU: this process's, and the rest
 * of the machine's (/proc/stat), over the timed phase. Every rendition's
 * frame count (its TranscodeResult pixels over the profile's size) is
 * checked against the input's 60 frames. `--input repeat` sends segment 0
 * in every request instead (the same timestamps each time).
 *
 *   bench-orchestrator [--sessions N] [--segments S] [--mode burst|paced|both]
 *       [--profiles P240p30fps16x9[,...]] [--price WEI] [--ticket-ev WEI]
 *       [--input continuous|repeat] [--encoder NAME] [--segment-dir DIR]
 *       [--generate-only]
 *       [--ledger URI --orchestrator-key FILE --broadcaster-key FILE...]
 *
 * With --ledger the orchestrator uses that ledger (a chain: bench/chain.sh
 * compares the two) and those keys instead of a fresh devnet: the
 * orchestrator's account must be an active orchestrator there and each
 * session's broadcaster (one key file per session) must have a deposit.
 *
 * Prints one table per mode and a `RESULT key=value ...` line per mode
 * (bench/orchestrator.sh collects them). Exits 1 if a segment failed.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lptest.h"

#include <gst/livepeer/lph2client.h>
#include <gst/livepeer/lpproto-messages.h>
#include <gst/livepeer/lpwire-proto.h>

#define SEGMENT_DURATION_US (2 * G_TIME_SPAN_SECOND)

static gint opt_sessions = 1;
static gint opt_segments = 10;
static gchar *opt_mode = NULL;
static gchar *opt_profiles = NULL;
static gint64 opt_price = 0;
static gint64 opt_ticket_ev = 1000000;
static gchar *opt_encoder = NULL;
static gchar *opt_segment_dir = NULL;
static gboolean opt_generate_only = FALSE;
static gchar *opt_input = NULL;
static gboolean repeat_first = FALSE;
static gchar *opt_ledger = NULL;
static gchar *opt_orch_key = NULL;
static gchar **opt_bcast_keys = NULL;

static GOptionEntry entries[] = {
  {"sessions", 'n', 0, G_OPTION_ARG_INT, &opt_sessions,
      "Concurrent broadcaster sessions (default 1)", "N"},
  {"segments", 's', 0, G_OPTION_ARG_INT, &opt_segments,
      "Timed 2 s segments per session, after one warm-up segment "
        "(default 10)", "S"},
  {"mode", 'm', 0, G_OPTION_ARG_STRING, &opt_mode,
      "burst (back to back), paced (one per 2 s) or both (default both)",
      "MODE"},
  {"profiles", 'p', 0, G_OPTION_ARG_STRING, &opt_profiles,
      "Renditions asked for, comma separated (default P240p30fps16x9)",
      "LIST"},
  {"price", 0, 0, G_OPTION_ARG_INT64, &opt_price,
      "price-per-unit in wei per pixel (default 0: free, no payment)", "WEI"},
  {"ticket-ev", 0, 0, G_OPTION_ARG_INT64, &opt_ticket_ev,
      "ticket-ev when the price is not 0 (default 1000000: ~6 tickets per "
        "240p segment at 1 wei/pixel)", "WEI"},
  {"encoder", 'e', 0, G_OPTION_ARG_STRING, &opt_encoder,
      "The orchestrator's encoder property (default auto)", "NAME"},
  {"segment-dir", 'd', 0, G_OPTION_ARG_FILENAME, &opt_segment_dir,
      "Keep the generated input segments in DIR and reuse them (default: "
        "generate into the temporary directory)", "DIR"},
  {"input", 'i', 0, G_OPTION_ARG_STRING, &opt_input,
      "continuous (default: consecutive segments of one stream) or repeat "
        "(segment 0 every time: the same timestamps in every request)",
      "INPUT"},
  {"generate-only", 0, 0, G_OPTION_ARG_NONE, &opt_generate_only,
      "Only generate the segments into --segment-dir (so that a run's RSS "
        "does not include the generator's)", NULL},
  {"ledger", 0, 0, G_OPTION_ARG_STRING, &opt_ledger,
      "Use this ledger (e.g. a chain URI) instead of a fresh devnet; needs "
        "--orchestrator-key and a --broadcaster-key per session", "URI"},
  {"orchestrator-key", 0, 0, G_OPTION_ARG_FILENAME, &opt_orch_key,
      "With --ledger: the orchestrator's key file (an active orchestrator "
        "there)", "FILE"},
  {"broadcaster-key", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_bcast_keys,
      "With --ledger: a funded broadcaster's key file, once per session",
      "FILE"},
  {NULL}
};

/* ------------------------------------------------------------------------ */
/* measurements                                                             */
/* ------------------------------------------------------------------------ */

static guint64
rss_kib (void)
{
  gchar *text = NULL, *line;
  guint64 kib = 0;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return 0;
  line = strstr (text, "VmRSS:");
  if (line != NULL)
    kib = g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
  g_free (text);
  return kib;
}

static gdouble
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
      ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* CPU seconds all processes of the machine were busy (/proc/stat) */
static gdouble
machine_busy_seconds (void)
{
  gchar *text = NULL;
  guint64 v[8] = { 0, };
  gdouble busy = 0;

  if (g_file_get_contents ("/proc/stat", &text, NULL, NULL)
      && sscanf (text, "cpu %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %"
          G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %"
          G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
          &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) == 8)
    busy = (gdouble) (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) /
        sysconf (_SC_CLK_TCK);
  g_free (text);
  return busy;
}

static gint
compare_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

/* nearest-rank percentile of @values (sorted in place) */
static gdouble
percentile (GArray * values, gdouble p)
{
  guint rank;

  if (values->len == 0)
    return NAN;
  g_array_sort (values, compare_double);
  rank = (guint) ceil (p / 100.0 * values->len);
  if (rank < 1)
    rank = 1;
  return g_array_index (values, gdouble, rank - 1);
}

/* ------------------------------------------------------------------------ */
/* the devnet and the orchestrator                                          */
/* ------------------------------------------------------------------------ */

typedef struct
{
  gchar *dir;
  gchar *ledger_path;
  gchar *orch_key_path;
  LpPrivateKey *orch;
  LpPrivateKey **bcast;         /* one per session */
  gint n_bcast;
} Net;

/* The ledger of --ledger and the accounts of the key files given with it
 * (set up beforehand: bench/chain.sh). */
static void
net_use_ledger (Net * net, gint n_bcast)
{
  GError *error = NULL;
  gint i;

  if (opt_orch_key == NULL || opt_bcast_keys == NULL
      || (gint) g_strv_length (opt_bcast_keys) < n_bcast)
    lp_test_die ("--ledger needs --orchestrator-key and a --broadcaster-key "
        "for each session", NULL);
  net->ledger_path = g_strdup (opt_ledger);
  net->orch_key_path = g_strdup (opt_orch_key);
  net->orch = lp_key_file_read (net->orch_key_path, &error);
  if (net->orch == NULL)
    lp_test_die ("--orchestrator-key", error);
  net->n_bcast = n_bcast;
  net->bcast = g_new0 (LpPrivateKey *, n_bcast);
  for (i = 0; i < n_bcast; i++) {
    net->bcast[i] = lp_key_file_read (opt_bcast_keys[i], &error);
    if (net->bcast[i] == NULL)
      lp_test_die ("--broadcaster-key", error);
  }
}

/* A devnet ledger (lptest): the orchestrator bonded to itself, registered
 * and active in round 1; every broadcaster with 1 ETH deposit and
 * reserve. Or, with --ledger, that ledger. */
static Net *
net_new (gint n_bcast)
{
  Net *net = g_new0 (Net, 1);
  LpLedger *ledger;
  GError *error = NULL;
  gint i;

  net->dir = g_dir_make_tmp ("bench-orch-XXXXXX", &error);
  if (net->dir == NULL)
    lp_test_die ("temporary directory", error);
  if (opt_ledger != NULL) {
    net_use_ledger (net, n_bcast);
    return net;
  }
  net->ledger_path = g_build_filename (net->dir, "devnet.db", NULL);
  net->orch_key_path = g_build_filename (net->dir, "orch.key", NULL);
  net->orch = lp_key_file_create (net->orch_key_path, &error);
  if (net->orch == NULL)
    lp_test_die ("orchestrator key", error);
  net->n_bcast = n_bcast;
  net->bcast = g_new0 (LpPrivateKey *, n_bcast);
  for (i = 0; i < n_bcast; i++) {
    net->bcast[i] = lp_private_key_generate (&error);
    if (net->bcast[i] == NULL)
      lp_test_die ("broadcaster key", error);
  }
  ledger = lp_test_devnet_create (net->ledger_path, net->orch, net->bcast,
      n_bcast, "1e18", "1e18", &error);
  if (ledger == NULL)
    lp_test_die ("devnet ledger", error);
  g_object_unref (ledger);
  return net;
}

static void
net_free (Net * net)
{
  gint i;

  for (i = 0; i < net->n_bcast; i++)
    lp_private_key_unref (net->bcast[i]);
  g_free (net->bcast);
  lp_private_key_unref (net->orch);
  g_free (lp_test_remove_tree (net->dir, NULL));
  g_free (net->dir);
  g_free (net->ledger_path);
  g_free (net->orch_key_path);
  g_free (net);
}

/* ------------------------------------------------------------------------ */
/* the input                                                                */
/* ------------------------------------------------------------------------ */

static gchar *
segment_path (const gchar * dir, guint i)
{
  gchar *name = g_strdup_printf ("seg-%02u.ts", i);
  gchar *path = g_build_filename (dir, name, NULL);

  g_free (name);
  return path;
}

/* @count 2 s segments of one continuous 640x360@30 H.264 stream, cut at
 * its keyframes (every 60 frames); generated into @dir unless there. */
static GPtrArray *
load_segments (const gchar * dir, guint count)
{
  GPtrArray *segments = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  gchar *last = segment_path (dir, count - 1);
  guint i;

  if (!g_file_test (last, G_FILE_TEST_EXISTS)) {
    gchar *location = g_build_filename (dir, "seg-%02d.ts", NULL);
    gchar *desc = g_strdup_printf ("videotestsrc pattern=ball "
        "num-buffers=%u ! video/x-raw,format=I420,width=640,height=360,"
        "framerate=30/1 ! x264enc speed-preset=veryfast bitrate=1000 "
        "key-int-max=60 ! h264parse ! splitmuxsink muxer=mpegtsmux "
        "max-size-time=%" G_GUINT64_FORMAT " location=\"%s\"", count * 60,
        (guint64) 2 * GST_SECOND, location);
    GError *error = NULL;
    GstElement *pipeline = gst_parse_launch (desc, &error);
    gint64 t = g_get_monotonic_time ();

    if (pipeline == NULL)
      lp_test_die ("segment generator", error);
    g_mkdir_with_parents (dir, 0755);
    if (!lp_test_run_to_eos (pipeline, &error))
      lp_test_die ("segment generator", error);
    gst_object_unref (pipeline);
    fprintf (stderr, "generated %u segments of 2 s into %s in %.1f s\n",
        count, dir, (g_get_monotonic_time () - t) / 1e6);
    g_free (desc);
    g_free (location);
  }
  g_free (last);
  for (i = 0; i < count; i++) {
    gchar *path = segment_path (dir, i), *data;
    GError *error = NULL;
    gsize size;

    if (!g_file_get_contents (path, &data, &size, &error))
      lp_test_die (path, error);
    g_ptr_array_add (segments, g_bytes_new_take (data, size));
    g_free (path);
  }
  return segments;
}

/* ------------------------------------------------------------------------ */
/* one run: SESSIONS broadcasters against a fresh orchestrator              */
/* ------------------------------------------------------------------------ */

typedef struct
{
  gint64 sent_us;               /* since the timed phase started */
  gint64 rtt_us;
  gint64 fetch_us;              /* of rtt_us, downloading the renditions */
  GstClockTime transcode;       /* GST_CLOCK_TIME_NONE: no message */
  guint tickets;
  guint64 rss_kib;              /* the process's, once answered */
  guint frames;                 /* most frames in a rendition (pixels /
                                 * the profile's size) */
} Sample;

typedef struct _Run Run;

typedef struct
{
  Run *run;
  gint index;
  LpPrivateKey *key;
  LpOrchestratorInfo *info;
  gchar *segment_uri;
  SoupSession *http;
  guint32 nonce;
  gdouble balance;              /* wei credited less wei debited, as we
                                 * reckon it */
  gdouble last_fee;
  gint64 warmup_rtt_us;
  Sample *samples;              /* opt_segments */
  gint64 end_us;
  gchar *failure;
  GThread *thread;
} Client;

struct _Run
{
  Net *net;
  GPtrArray *segments;
  GPtrArray *profiles;          /* const LpProfile* */
  gboolean paced;
  gint n;

  GstElement *pipeline;
  GstElement *orchestrator;
  guint port;
  Client *clients;

  GMutex lock;
  GCond cond;
  gint warm;                    /* clients done with their warm-up */
  gboolean go;
  gint64 t0;                    /* monotonic, start of the timed phase */
  GHashTable *transcode;        /* "session/seq" -> GstClockTime* */
  gchar *encoder;
  guint warnings;
  guint tickets_won;
  guint discovery_retries;
};

static GstBusSyncReply
on_bus_message (GstBus * bus, GstMessage * msg, gpointer data)
{
  Run *run = data;
  const GstStructure *s = gst_message_get_structure (msg);

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ELEMENT:
      if (gst_structure_has_name (s, "lporchestrator-segment")) {
        guint64 seq = 0, t = GST_CLOCK_TIME_NONE;
        GstClockTime *value = g_new (GstClockTime, 1);

        gst_structure_get_uint64 (s, "seq", &seq);
        gst_structure_get_uint64 (s, "transcode-time", &t);
        *value = t;
        g_mutex_lock (&run->lock);
        g_hash_table_replace (run->transcode, g_strdup_printf ("%s/%"
                G_GUINT64_FORMAT, gst_structure_get_string (s, "session"),
                seq), value);
        if (run->encoder == NULL)
          run->encoder = g_strdup (gst_structure_get_string (s, "encoder"));
        g_mutex_unlock (&run->lock);
      } else if (gst_structure_has_name (s, "lporchestrator-ticket-won")) {
        g_mutex_lock (&run->lock);
        run->tickets_won++;
        g_mutex_unlock (&run->lock);
      }
      break;
    case GST_MESSAGE_WARNING:
    case GST_MESSAGE_ERROR:{
      GError *error = NULL;
      gchar *debug = NULL;

      if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
        gst_message_parse_error (msg, &error, &debug);
      else
        gst_message_parse_warning (msg, &error, &debug);
      fprintf (stderr, "%s from the orchestrator: %s (%s)\n",
          GST_MESSAGE_TYPE_NAME (msg), error->message, debug ? debug : "");
      g_mutex_lock (&run->lock);
      run->warnings++;
      g_mutex_unlock (&run->lock);
      g_clear_error (&error);
      g_free (debug);
      break;
    }
    default:
      break;
  }
  return GST_BUS_DROP;
}

static void
orchestrator_start (Run * run)
{
  GstBus *bus;

  run->pipeline = lp_test_orchestrator_new ("orchestrator",
      run->net->orch_key_path, run->net->ledger_path, &run->orchestrator,
      "price-per-unit", (guint64) opt_price, "ticket-ev",
      (guint64) opt_ticket_ev, "max-sessions", MAX (run->n, 10),
      "encoder", opt_encoder, NULL);
  if (run->pipeline == NULL)
    lp_test_die ("no lporchestrator element: set GST_PLUGIN_PATH to build/ext/"
        "livepeer:build/gst/transcode (bench/orchestrator.sh does)", NULL);
  bus = gst_element_get_bus (run->pipeline);
  gst_bus_set_sync_handler (bus, on_bus_message, run, NULL);
  gst_object_unref (bus);
  if (!lp_test_orchestrator_play (run->pipeline, run->orchestrator,
          &run->port))
    lp_test_die ("the orchestrator did not start", NULL);
  if (run->port == 0)
    lp_test_die ("the orchestrator has no port", NULL);
}

static void
orchestrator_stop (Run * run)
{
  gst_element_set_state (run->pipeline, GST_STATE_NULL);
  gst_object_unref (run->pipeline);
  run->pipeline = NULL;
  run->orchestrator = NULL;
}

/* Discovery as go-livepeer's broadcaster does it: the gRPC call
 * net.Orchestrator/GetOrchestrator with a signed OrchestratorRequest (over
 * cleartext HTTP/2 on loopback). The session's OrchestratorInfo, or NULL
 * with @failure; @transport says whether the peer never answered. */
static LpOrchestratorInfo *
discover (Client * c, gchar ** failure, gboolean * transport)
{
  LpOrchestratorRequest *request = lp_orchestrator_request_new ();
  LpProtoOrchestratorRequest *p = NULL;
  LpOrchestratorInfo *info = NULL;
  LpH2ClientOptions options = { 0, };
  GBytes *message = NULL, *answer = NULL;
  GError *error = NULL;
  gchar address[LP_ADDRESS_TEXT_SIZE];
  gchar *base = g_strdup_printf ("http://127.0.0.1:%u", c->run->port);

  request->address = *lp_private_key_get_address (c->key);
  lp_address_format (&request->address, address);
  if (lp_sign_message (c->key, (const guint8 *) address, strlen (address),
          request->sig, &error))
    p = lp_wire_orchestrator_request_to_proto (request);
  if (p != NULL) {
    message = lp_proto_orchestrator_request_encode (p);
    answer = lp_grpc_call (base, "/net.Orchestrator/GetOrchestrator",
        message, &options, NULL, &error);
    /* a gRPC refusal (an LP_GRPC_ERROR) is an answer */
    *transport = answer == NULL && error != NULL
        && error->domain != LP_GRPC_ERROR;
  }
  if (answer != NULL)
    info = lp_wire_orchestrator_info_from_proto_bytes (answer, NULL, &error);
  if (info == NULL)
    *failure = g_strdup_printf ("GetOrchestrator: %s", error->message);
  g_clear_error (&error);
  g_clear_pointer (&answer, g_bytes_unref);
  g_clear_pointer (&message, g_bytes_unref);
  g_clear_pointer (&p, lp_proto_orchestrator_request_free);
  lp_orchestrator_request_free (request);
  g_free (base);
  return info;
}

/* The Livepeer-Segment value: signed segment credentials for @body, base64
 * of a protobuf SegData. */
static gchar *
segment_header (Client * c, guint64 seq, GBytes * body)
{
  LpSegData *seg = lp_seg_data_new ();
  GError *error = NULL;
  gchar *header;
  gsize size;
  const guint8 *data = g_bytes_get_data (body, &size);
  guint i;

  seg->manifest_id = g_strdup_printf ("bench-stream-%d", c->index);
  seg->seq = seq;
  lp_keccak256 (data, size, seg->hash);
  seg->duration_ms = SEGMENT_DURATION_US / 1000;
  for (i = 0; i < c->run->profiles->len; i++)
    g_ptr_array_add (seg->profiles,
        lp_profile_copy (g_ptr_array_index (c->run->profiles, i)));
  seg->auth_token = c->info->auth_token;
  if (!lp_seg_data_sign (seg, c->key, &error))
    lp_test_die ("signing a segment", error);
  header = lp_wire_seg_data_to_proto_header (seg);
  lp_seg_data_free (seg);
  return header;
}

/* Enough tickets that, once credited, the balance covers a ticket's EV
 * (the orchestrator's check) and stays above it after this segment's fee
 * (estimated from the last one): go-livepeer's broadcaster pays each
 * segment's fee up front the same way. At price 0 a Payment still names
 * the sender: in this dialect the segment's signature is checked against
 * Payment.sender. */
static gchar *
payment_header (Client * c, guint * n_tickets)
{
  gdouble ev = (gdouble) opt_ticket_ev;
  gchar *header;
  guint n;

  *n_tickets = 0;
  if (opt_price == 0 || !c->info->has_ticket_params)
    return lp_test_sender_header (c->key);
  n = c->balance >= ev + c->last_fee ? 0 :
      (guint) ceil ((ev + c->last_fee - c->balance) / ev);
  header = lp_test_tickets_header (c->info, c->key, c->nonce + 1, n);
  if (header == NULL)
    lp_test_die ("signing a ticket", NULL);
  c->nonce += n;
  c->balance += n * ev;
  *n_tickets = n;
  return header;
}

/* Reads a segment's answer: a 200 with a protobuf TranscodeResult without
 * an error and one rendition URL per profile. The result, or NULL and the
 * problem in @failure. */
static LpTranscodeResult *
read_result (Client * c, guint status, GBytes * body, gchar ** failure)
{
  LpTranscodeResult *result = NULL;
  GError *error = NULL;

  if (status != 200) {
    gchar *text = lp_test_text (body);

    *failure = g_strdup_printf ("%u: %.300s", status, text);
    g_free (text);
    return NULL;
  }
  result = lp_wire_transcode_result_from_proto_bytes (body, &error);
  if (result == NULL) {
    *failure = g_strdup_printf ("TranscodeResult: %s", error->message);
    g_error_free (error);
  } else if (result->error != NULL) {
    *failure = g_strdup_printf ("TranscodeResult error: %s", result->error);
  } else if (result->segments->len != c->run->profiles->len) {
    *failure = g_strdup_printf ("TranscodeResult with %u renditions for %u "
        "profiles", result->segments->len, c->run->profiles->len);
  }
  if (*failure != NULL)
    g_clear_pointer (&result, lp_transcode_result_free);
  return result;
}

/* Fetches every rendition from the URL the result gives (relative to the
 * transcoder), as go-livepeer's broadcaster does, and checks none is
 * empty; NULL or the problem. */
static gchar *
fetch_renditions (Client * c, const LpTranscodeResult * result)
{
  gchar *problem = NULL;
  guint i;

  for (i = 0; problem == NULL && i < result->segments->len; i++) {
    const LpTranscodedSegment *s = &g_array_index (result->segments,
        LpTranscodedSegment, i);
    gchar *url = s->url != NULL ? g_uri_resolve_relative (c->info->transcoder,
        s->url, G_URI_FLAGS_NONE, NULL) : NULL;
    SoupMessage *msg = url != NULL ? soup_message_new (SOUP_METHOD_GET, url) :
        NULL;
    GBytes *rendition = NULL;
    GError *error = NULL;

    if (msg == NULL)
      problem = g_strdup_printf ("rendition %u: no usable URL ('%s')", i,
          s->url != NULL ? s->url : "");
    else
      rendition = soup_session_send_and_read (c->http, msg, NULL, &error);
    if (problem == NULL && rendition == NULL)
      problem = g_strdup_printf ("GET %s: %s", url, error->message);
    else if (problem == NULL && soup_message_get_status (msg) != 200)
      problem = g_strdup_printf ("GET %s: %u", url,
          soup_message_get_status (msg));
    else if (problem == NULL && g_bytes_get_size (rendition) == 0)
      problem = g_strdup_printf ("GET %s: an empty rendition", url);
    g_clear_error (&error);
    g_clear_pointer (&rendition, g_bytes_unref);
    g_clear_object (&msg);
    g_free (url);
  }
  return problem;
}

/* The most frames in one rendition of a result: its pixels over the
 * profile's size (a 640x360 source fits the 16:9 presets exactly). */
static guint
rendition_frames (Client * c, const LpTranscodeResult * result)
{
  guint i, frames = 0;

  for (i = 0; i < result->segments->len && i < c->run->profiles->len; i++) {
    const LpProfile *p = g_ptr_array_index (c->run->profiles, i);
    guint64 pixels = g_array_index (result->segments, LpTranscodedSegment,
        i).pixels;

    frames = MAX (frames, (guint) ((pixels + p->width * p->height / 2) /
            (p->width * p->height)));
  }
  return frames;
}

/* Sends segment @index as @seq: POST /segment, the TranscodeResult, every
 * rendition fetched. Its round trip in µs, or -1 (@failure); @fetch_us:
 * the part of it spent downloading the renditions. */
static gint64
send_segment (Client * c, guint64 seq, guint index, guint * n_tickets,
    guint * frames, gint64 * fetch_us)
{
  GBytes *body = g_ptr_array_index (c->run->segments, index);
  gchar *seg_h = segment_header (c, seq, body);
  gchar *pay_h = payment_header (c, n_tickets);
  LpTranscodeResult *result = NULL;
  GBytes *response = NULL;
  GError *error = NULL;
  gint64 start, fetch_start = 0, rtt = -1;
  guint64 pixels = 0;
  guint status, i;

  start = g_get_monotonic_time ();
  status = lp_test_http_post (c->http, c->segment_uri, "video/MP2T", body,
      seg_h, pay_h, TRUE, &response, NULL, &error);
  g_free (seg_h);
  g_free (pay_h);
  if (status == 0) {
    c->failure = g_strdup (error->message);
    g_error_free (error);
  } else {
    result = read_result (c, status, response, &c->failure);
  }
  if (result != NULL) {
    fetch_start = g_get_monotonic_time ();
    c->failure = fetch_renditions (c, result);
  }
  if (c->failure == NULL) {
    gint64 end = g_get_monotonic_time ();

    rtt = end - start;
    if (fetch_us != NULL)
      *fetch_us = end - fetch_start;
    for (i = 0; i < result->segments->len; i++)
      pixels += g_array_index (result->segments, LpTranscodedSegment,
          i).pixels;
    if (frames != NULL)
      *frames = rendition_frames (c, result);
    c->last_fee = (gdouble) pixels * c->info->price_info.price_per_unit /
        MAX (c->info->price_info.pixels_per_unit, 1);
    c->balance -= c->last_fee;
  } else {
    gchar *f = c->failure;

    c->failure = g_strdup_printf ("segment %" G_GUINT64_FORMAT ": %s", seq, f);
    g_free (f);
  }
  g_clear_pointer (&result, lp_transcode_result_free);
  g_clear_pointer (&response, g_bytes_unref);
  return rtt;
}

static void
sleep_until (gint64 t)
{
  gint64 now = g_get_monotonic_time ();

  if (t > now)
    g_usleep (t - now);
}

static gpointer
client_thread (gpointer data)
{
  Client *c = data;
  Run *run = c->run;
  gint64 period = SEGMENT_DURATION_US, offset, t;
  guint k, i;

  c->http = soup_session_new_with_options ("timeout", 120, NULL);
  /* a connection refused or reset is retried (and counted), as a
   * broadcaster retries discovery */
  for (i = 0; i < 5; i++) {
    gboolean transport = FALSE;

    g_clear_pointer (&c->failure, g_free);
    c->info = discover (c, &c->failure, &transport);
    if (c->info != NULL || !transport)
      break;
    g_mutex_lock (&run->lock);
    run->discovery_retries++;
    g_mutex_unlock (&run->lock);
    fprintf (stderr, "session %d: %s; retrying\n", c->index, c->failure);
    g_usleep (100 * G_TIME_SPAN_MILLISECOND);
  }
  if (c->info != NULL) {
    c->segment_uri = g_strdup_printf ("%s/segment", c->info->transcoder);
    /* the first fee estimate: every rendition at its full size */
    for (i = 0; i < run->profiles->len; i++) {
      const LpProfile *p = g_ptr_array_index (run->profiles, i);

      c->last_fee += (gdouble) p->width * p->height * 2 * p->fps_num /
          MAX (p->fps_den, 1) * opt_price;
    }
    c->warmup_rtt_us = send_segment (c, 0, 0, &k, NULL, NULL);
  }

  g_mutex_lock (&run->lock);
  run->warm++;
  g_cond_broadcast (&run->cond);
  while (!run->go)
    g_cond_wait (&run->cond, &run->lock);
  g_mutex_unlock (&run->lock);

  offset = run->paced ? c->index * period / run->n : 0;
  for (k = 0; c->failure == NULL && k < (guint) opt_segments; k++) {
    Sample *s = &c->samples[k];

    if (run->paced)
      sleep_until (run->t0 + offset + k * period);
    t = g_get_monotonic_time ();
    s->sent_us = t - run->t0;
    s->rtt_us = send_segment (c, k + 1, repeat_first ? 0 : k + 1,
        &s->tickets, &s->frames, &s->fetch_us);
    s->rss_kib = rss_kib ();
  }
  c->end_us = g_get_monotonic_time () - run->t0;
  return NULL;
}

typedef struct
{
  gdouble seg_per_s;
  gdouble rtf_min, rtf_mean;
  gdouble rtt_p50, rtt_p95, rtt_max;
  gdouble add_p50, add_p95;
  gdouble fetch_p50, fetch_p95;
  gdouble tc_p50, tc_p95;
  gdouble warmup_p50;
  guint late;
  gdouble mib_per_session, mib_warm;
  gdouble mib_start, mib_end;
  gdouble cpu_load;             /* CPU seconds per wall second, timed phase */
  gdouble cpu_per_segment;
  gdouble other_load;           /* other processes' cores busy meanwhile */
  gdouble tickets_per_segment;
  guint failed;
  guint frames_off;             /* segments whose rendition has not the
                                 * input's 60 frames */
  guint frames_max;
} Summary;

static gboolean
run_mode (Net * net, GPtrArray * segments, GPtrArray * profiles,
    gboolean paced)
{
  Run run;
  Summary sum = { 0, };
  GArray *rtt = g_array_new (FALSE, FALSE, sizeof (gdouble));
  GArray *added = g_array_new (FALSE, FALSE, sizeof (gdouble));
  GArray *fetch = g_array_new (FALSE, FALSE, sizeof (gdouble));
  GArray *tc = g_array_new (FALSE, FALSE, sizeof (gdouble));
  GArray *warmup = g_array_new (FALSE, FALSE, sizeof (gdouble));
  guint64 rss0, rss_warm, rss_end;
  gdouble cpu0, cpu1, busy0, busy1, wall, rtf_sum = 0;
  gint64 t_end = 0;
  guint missing = 0, tickets = 0, done = 0;
  gint i, k;

  memset (&run, 0, sizeof (run));
  run.net = net;
  run.segments = segments;
  run.profiles = profiles;
  run.paced = paced;
  run.n = opt_sessions;
  g_mutex_init (&run.lock);
  g_cond_init (&run.cond);
  run.transcode = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  sum.rtf_min = G_MAXDOUBLE;

  orchestrator_start (&run);
  g_usleep (200 * G_TIME_SPAN_MILLISECOND);     /* its first ledger tick */
  rss0 = rss_kib ();
  run.clients = g_new0 (Client, run.n);
  for (i = 0; i < run.n; i++) {
    Client *c = &run.clients[i];

    c->run = &run;
    c->index = i;
    c->key = net->bcast[i];
    c->samples = g_new0 (Sample, opt_segments);
    c->thread = g_thread_new ("bench-session", client_thread, c);
  }
  g_mutex_lock (&run.lock);
  while (run.warm < run.n)
    g_cond_wait (&run.cond, &run.lock);
  g_mutex_unlock (&run.lock);
  rss_warm = rss_kib ();
  cpu0 = cpu_seconds ();
  busy0 = machine_busy_seconds ();
  g_mutex_lock (&run.lock);
  run.t0 = g_get_monotonic_time ();
  run.go = TRUE;
  g_cond_broadcast (&run.cond);
  g_mutex_unlock (&run.lock);
  for (i = 0; i < run.n; i++)
    g_thread_join (run.clients[i].thread);
  cpu1 = cpu_seconds ();
  busy1 = machine_busy_seconds ();
  rss_end = rss_kib ();

  printf ("\n== %s, %d session(s) x %d segments of 2 s (%s), %s, price %"
      G_GINT64_FORMAT "%s\n", paced ? "paced (one segment per 2 s)" :
      "burst (back to back)", run.n, opt_segments, repeat_first ?
      "segment 0 repeated" : "one continuous stream", opt_profiles,
      opt_price, opt_price ? " wei/pixel" : " (free)");
  printf ("| session | warm-up ms | rtt p50 ms | rtt max ms | transcode p50 "
      "ms | added p50 ms | late | RTF |\n");
  printf ("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
  for (i = 0; i < run.n; i++) {
    Client *c = &run.clients[i];
    GArray *mine = g_array_new (FALSE, FALSE, sizeof (gdouble));
    GArray *mine_tc = g_array_new (FALSE, FALSE, sizeof (gdouble));
    GArray *mine_add = g_array_new (FALSE, FALSE, sizeof (gdouble));
    gdouble total = 0, max = 0, rtf;
    guint late = 0;

    if (c->failure != NULL) {
      fprintf (stderr, "session %d failed: %s\n", i, c->failure);
      sum.failed++;
    }
    if (c->warmup_rtt_us > 0) {
      gdouble ms = c->warmup_rtt_us / 1e3;

      g_array_append_val (warmup, ms);
    }
    for (k = 0; k < opt_segments; k++) {
      Sample *s = &c->samples[k];
      gchar *key;
      GstClockTime *t;
      gdouble ms, tms, ams, fms;

      if (s->rtt_us <= 0)
        continue;
      done++;
      tickets += s->tickets;
      if (s->frames != 60)
        sum.frames_off++;
      sum.frames_max = MAX (sum.frames_max, s->frames);
      ms = s->rtt_us / 1e3;
      total += ms;
      max = MAX (max, ms);
      if (s->rtt_us > SEGMENT_DURATION_US)
        late++;
      t_end = MAX (t_end, s->sent_us + s->rtt_us);
      g_array_append_val (rtt, ms);
      g_array_append_val (mine, ms);
      fms = s->fetch_us / 1e3;
      g_array_append_val (fetch, fms);
      key = g_strdup_printf ("%s/%d", c->info->auth_token.session_id, k + 1);
      g_mutex_lock (&run.lock);
      t = g_hash_table_lookup (run.transcode, key);
      g_mutex_unlock (&run.lock);
      g_free (key);
      if (t == NULL || *t == GST_CLOCK_TIME_NONE) {
        missing++;
        continue;
      }
      tms = *t / 1e6;
      ams = ms - tms;
      g_array_append_val (tc, tms);
      g_array_append_val (added, ams);
      g_array_append_val (mine_tc, tms);
      g_array_append_val (mine_add, ams);
    }
    rtf = mine->len ? SEGMENT_DURATION_US / 1e3 / (total / mine->len) : 0;
    rtf_sum += rtf;
    sum.rtf_min = MIN (sum.rtf_min, rtf);
    sum.late += late;
    printf ("| %d | %.0f | %.0f | %.0f | %.0f | %.1f | %u | %.2f |\n", i,
        c->warmup_rtt_us / 1e3, percentile (mine, 50), max,
        percentile (mine_tc, 50), percentile (mine_add, 50), late, rtf);
    g_array_unref (mine);
    g_array_unref (mine_tc);
    g_array_unref (mine_add);
  }
  orchestrator_stop (&run);

  wall = t_end / 1e6;
  sum.seg_per_s = wall > 0 ? done / wall : 0;
  sum.rtf_mean = rtf_sum / run.n;
  sum.rtt_p50 = percentile (rtt, 50);
  sum.rtt_p95 = percentile (rtt, 95);
  sum.rtt_max = rtt->len ? g_array_index (rtt, gdouble, rtt->len - 1) : NAN;
  sum.add_p50 = percentile (added, 50);
  sum.add_p95 = percentile (added, 95);
  sum.fetch_p50 = percentile (fetch, 50);
  sum.fetch_p95 = percentile (fetch, 95);
  sum.tc_p50 = percentile (tc, 50);
  sum.tc_p95 = percentile (tc, 95);
  sum.warmup_p50 = percentile (warmup, 50);
  sum.mib_per_session = ((gdouble) rss_end - rss0) / 1024 / run.n;
  sum.mib_warm = ((gdouble) rss_warm - rss0) / 1024 / run.n;
  sum.mib_start = rss0 / 1024.0;
  sum.mib_end = rss_end / 1024.0;
  /* wall of the timed phase as the CPU clock saw it */
  sum.cpu_load = (cpu1 - cpu0) / (wall > 0 ? wall : 1);
  sum.cpu_per_segment = done ? (cpu1 - cpu0) / done : 0;
  sum.other_load = MAX (0, (busy1 - busy0) - (cpu1 - cpu0)) /
      (wall > 0 ? wall : 1);
  sum.tickets_per_segment = done ? (gdouble) tickets / done : 0;

  printf ("%u segments in %.1f s: %.2f segments/s; RTF per session mean "
      "%.2f, min %.2f; %s\n", done, wall, sum.seg_per_s, sum.rtf_mean,
      sum.rtf_min, paced ? (sum.late == 0 && sum.failed == 0 ?
          "held in real time (every round trip <= 2 s)" :
          "NOT held in real time") : "(throughput)");
  printf ("round trip p50 %.0f ms p95 %.0f ms max %.0f ms; transcode p50 "
      "%.0f ms p95 %.0f ms; added p50 %.1f ms p95 %.1f ms (of the round "
      "trip, downloading the renditions: p50 %.1f ms p95 %.1f ms); warm-up "
      "segment p50 %.0f ms\n", sum.rtt_p50, sum.rtt_p95, sum.rtt_max,
      sum.tc_p50, sum.tc_p95, sum.add_p50, sum.add_p95, sum.fetch_p50,
      sum.fetch_p95, sum.warmup_p50);
  printf ("RSS %.1f MiB before sessions, +%.1f MiB per session warm, +%.1f "
      "MiB per session at the end; CPU %.2f cores busy, %.3f CPU s per "
      "segment (other processes: %.2f cores); encoder %s", rss0 / 1024.0,
      sum.mib_warm, sum.mib_per_session, sum.cpu_load, sum.cpu_per_segment,
      sum.other_load,
      run.encoder ? run.encoder : "?");
  if (opt_price > 0)
    printf ("; %.1f tickets per segment, %u won", sum.tickets_per_segment,
        run.tickets_won);
  printf ("\n");
  if (missing > 0)
    printf ("%u segments had no lporchestrator-segment message\n", missing);
  if (run.warnings > 0)
    printf ("%u warnings or errors on the bus\n", run.warnings);
  if (sum.frames_off > 0)
    printf ("WRONG OUTPUT: %u of %u segments came back with a rendition of "
        "other than the input's 60 frames (up to %u): the orchestrator "
        "encoded (and billed) frames that are not in the input\n",
        sum.frames_off, done, sum.frames_max);
  if (run.discovery_retries > 0)
    printf ("%u discoveries retried after a transport error\n",
        run.discovery_retries);
  {
    GString *trace = g_string_new (NULL);

    for (k = 0; k < opt_segments; k++)
      if (run.clients[0].samples[k].rss_kib > 0)
        g_string_append_printf (trace, " %.0f",
            (run.clients[0].samples[k].rss_kib - (gdouble) rss0) / 1024);
    printf ("RSS growth (MiB, all sessions) after each of session 0's "
        "answers:%s\n", trace->str);
    g_string_free (trace, TRUE);
  }
  printf ("RESULT mode=%s n=%d segments=%d price=%" G_GINT64_FORMAT
      " seg_per_s=%.2f rtf_mean=%.2f rtf_min=%.2f rtt_p50=%.0f rtt_p95=%.0f "
      "rtt_max=%.0f tc_p50=%.0f tc_p95=%.0f add_p50=%.1f add_p95=%.1f "
      "fetch_p50=%.1f fetch_p95=%.1f warmup_p50=%.0f late=%u held=%s mib_per_session=%.1f mib_warm=%.1f "
      "mib_start=%.1f mib_end=%.1f "
      "cpu_load=%.2f cpu_per_seg=%.3f tickets_per_seg=%.1f failed=%u "
      "discovery_retries=%u other_load=%.2f profiles=%s malloc_arena_max=%s "
      "frames_off=%u frames_max=%u input=%s\n",
      paced ? "paced" : "burst", run.n, opt_segments, opt_price,
      sum.seg_per_s, sum.rtf_mean, sum.rtf_min, sum.rtt_p50, sum.rtt_p95,
      sum.rtt_max, sum.tc_p50, sum.tc_p95, sum.add_p50, sum.add_p95,
      sum.fetch_p50, sum.fetch_p95, sum.warmup_p50, sum.late,
      sum.late == 0 && sum.failed == 0 ? "yes" : "no", sum.mib_per_session,
      sum.mib_warm, sum.mib_start, sum.mib_end, sum.cpu_load,
      sum.cpu_per_segment, sum.tickets_per_segment, sum.failed,
      run.discovery_retries, sum.other_load, opt_profiles,
      g_getenv ("MALLOC_ARENA_MAX") ? g_getenv ("MALLOC_ARENA_MAX") :
      "default", sum.frames_off, sum.frames_max, opt_input);
  fflush (stdout);

  for (i = 0; i < run.n; i++) {
    Client *c = &run.clients[i];

    g_clear_object (&c->http);
    if (c->info != NULL)
      lp_orchestrator_info_free (c->info);
    g_free (c->segment_uri);
    g_free (c->samples);
    g_free (c->failure);
  }
  g_free (run.clients);
  g_hash_table_unref (run.transcode);
  g_free (run.encoder);
  g_mutex_clear (&run.lock);
  g_cond_clear (&run.cond);
  g_array_unref (rtt);
  g_array_unref (added);
  g_array_unref (fetch);
  g_array_unref (tc);
  g_array_unref (warmup);
  return sum.failed == 0;
}

/* The plugins next to this executable in the build tree, when
 * GST_PLUGIN_PATH does not already give them. */
static void
find_plugins (void)
{
  gchar *exe, *dir, *path;

  if (gst_registry_lookup_feature (gst_registry_get (), "lporchestrator"))
    return;
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe == NULL)
    return;
  dir = g_path_get_dirname (exe);
  path = g_build_filename (dir, "..", "ext", "livepeer", NULL);
  gst_registry_scan_path (gst_registry_get (), path);
  g_free (path);
  path = g_build_filename (dir, "..", "gst", "transcode", NULL);
  gst_registry_scan_path (gst_registry_get (), path);
  g_free (path);
  g_free (dir);
  g_free (exe);
}

/* Loads the plugins a session uses before the first RSS reading, so that
 * their libraries are not counted as the first session's memory. */
static void
prime_plugins (void)
{
  const gchar *names[] = { "appsrc", "tsdemux", "h264parse", "avdec_h264",
    "lptranscodebin", "lpswscale", "x264enc", "mpegtsmux", "appsink"
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    GstElement *e = gst_element_factory_make (names[i], NULL);

    if (e != NULL)
      gst_object_unref (gst_object_ref_sink (e));
  }
}

int
main (int argc, char **argv)
{
  GOptionContext *ctx;
  GError *error = NULL;
  GPtrArray *profiles, *segments;
  gchar **names, *segment_dir;
  gboolean ok = TRUE;
  Net *net;
  guint i;

  g_set_prgname ("bench-orchestrator");
  ctx = g_option_context_new ("- lporchestrator sessions in real time");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    lp_test_die ("options", error);
  g_option_context_free (ctx);
  if (opt_sessions < 1 || opt_segments < 1 || opt_segments > 98
      || opt_price < 0 || opt_ticket_ev < 1)
    lp_test_die ("--sessions >= 1, 1 <= --segments <= 98, --price >= 0, "
        "--ticket-ev >= 1", NULL);
  if (opt_mode == NULL)
    opt_mode = g_strdup ("both");
  if (strcmp (opt_mode, "burst") != 0 && strcmp (opt_mode, "paced") != 0
      && strcmp (opt_mode, "both") != 0)
    lp_test_die ("--mode is burst, paced or both", NULL);
  if (opt_profiles == NULL)
    opt_profiles = g_strdup ("P240p30fps16x9");
  if (opt_input == NULL)
    opt_input = g_strdup ("continuous");
  if (strcmp (opt_input, "continuous") != 0 && strcmp (opt_input, "repeat"))
    lp_test_die ("--input is continuous or repeat", NULL);
  repeat_first = strcmp (opt_input, "repeat") == 0;
  if (opt_encoder == NULL)
    opt_encoder = g_strdup ("auto");
  gst_init (&argc, &argv);
  find_plugins ();

  profiles = g_ptr_array_new ();
  names = g_strsplit (opt_profiles, ",", -1);
  for (i = 0; names[i] != NULL; i++) {
    const LpProfile *p = lp_profile_get_preset (g_strstrip (names[i]));

    if (p == NULL)
      lp_test_die (names[i], NULL);
    g_ptr_array_add (profiles, (gpointer) p);
  }
  g_strfreev (names);

  if (opt_generate_only) {
    if (opt_segment_dir == NULL)
      lp_test_die ("--generate-only needs --segment-dir", NULL);
    g_ptr_array_unref (load_segments (opt_segment_dir, opt_segments + 1));
    return 0;
  }
  net = net_new (opt_sessions);
  segment_dir = opt_segment_dir != NULL ? g_strdup (opt_segment_dir) :
      g_build_filename (net->dir, "segments", NULL);
  segments = load_segments (segment_dir, opt_segments + 1);
  prime_plugins ();

  if (strcmp (opt_mode, "paced") != 0)
    ok = run_mode (net, segments, profiles, FALSE) && ok;
  if (strcmp (opt_mode, "burst") != 0)
    ok = run_mode (net, segments, profiles, TRUE) && ok;

  g_ptr_array_unref (segments);
  g_ptr_array_unref (profiles);
  g_free (segment_dir);
  net_free (net);
  g_free (opt_mode);
  g_free (opt_profiles);
  g_free (opt_encoder);
  g_free (opt_segment_dir);
  g_free (opt_input);
  g_free (opt_ledger);
  g_free (opt_orch_key);
  g_strfreev (opt_bcast_keys);
  return ok ? 0 : 1;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What the livepeersink suite needs besides lporchclient.h: more
 * orchestrators on the devnet ledger of an LpTestNet, each in a pipeline
 * of its own on port 0; a broadcaster key file; a stream through
 * livepeersink with every message it posts collected; a state change
 * with a time limit; the HLS output read back; and a test double, an
 * HTTP proxy in front of a real orchestrator that can tamper with its
 * answers, or answer as a hostile peer would (a byte at a time, or
 * without end).
 */
#pragma once

#include "lporchclient.h"
#include <gst/livepeer/lpbalance.h>

/* ------------------------------------------------------------------------ */
/* Orchestrators */

typedef struct
{
  gchar *key_path;
  LpPrivateKey *key;
  GstElement *pipeline;         /* NULL once stopped */
  GstElement *element;
  guint port;
  gchar *uri;                   /* http://127.0.0.1:PORT */
} LpSinkOrch;

/* The net's own orchestrator key as an LpSinkOrch (not started). */
static inline LpSinkOrch *
lp_sink_orch_from_net (LpTestNet * net)
{
  LpSinkOrch *o = g_new0 (LpSinkOrch, 1);

  o->key_path = g_strdup (net->orch_key_path);
  o->key = lp_private_key_ref (net->orch);
  return o;
}

/* A second orchestrator on the net's ledger: a new key, @lpt of the first
 * orchestrator's LPT moved to it and bonded to itself, registered. It is
 * active from the next round: call lp_sink_net_next_round(). */
static inline LpSinkOrch *
lp_sink_orch_new_registered (LpTestNet * net, const gchar * name,
    const gchar * lpt)
{
  LpSinkOrch *o = g_new0 (LpSinkOrch, 1);
  gchar *file = g_strdup_printf ("%s.key", name);
  GError *error = NULL;
  LpUint256 amount;

  o->key_path = g_build_filename (net->dir, file, NULL);
  g_free (file);
  o->key = lp_key_file_create (o->key_path, &error);
  fail_unless (o->key != NULL, "%s", error ? error->message : "");
  lp_test_u256 (&amount, lpt);
  fail_unless (lp_ledger_transfer (net->ledger, lp_private_key_get_address
          (net->orch), lp_private_key_get_address (o->key), &amount, &error),
      "%s", error ? error->message : "");
  fail_unless (lp_ledger_bond (net->ledger, lp_private_key_get_address
          (o->key), lp_private_key_get_address (o->key), &amount, &error),
      "%s", error ? error->message : "");
  fail_unless (lp_ledger_register_orchestrator (net->ledger,
          lp_private_key_get_address (o->key), 100000, 500000,
          "http://127.0.0.1", &error), "%s", error ? error->message : "");
  return o;
}

static inline void
lp_sink_net_next_round (LpTestNet * net)
{
  GError *error = NULL;

  fail_unless (lp_ledger_advance (net->ledger, LP_TEST_ROUND_LENGTH, NULL));
  fail_unless (lp_ledger_initialize_round (net->ledger, &error), "%s",
      error ? error->message : "");
}

/* Starts @o on port 0 over the net's ledger, with the given properties
 * (NULL-terminated name/value pairs), in PLAYING. */
static inline void
lp_sink_orch_start (LpTestNet * net, LpSinkOrch * o,
    const gchar * first_property, ...)
{
  va_list args;

  fail_unless (o->pipeline == NULL);
  o->pipeline = gst_pipeline_new (NULL);
  o->element = gst_element_factory_make ("lporchestrator", NULL);
  fail_unless (o->element != NULL);
  g_object_set (o->element, "port", 0, "key-file", o->key_path, "ledger",
      net->ledger_path, NULL);
  if (first_property != NULL) {
    va_start (args, first_property);
    g_object_set_valist (G_OBJECT (o->element), first_property, args);
    va_end (args);
  }
  gst_bin_add (GST_BIN (o->pipeline), o->element);
  fail_if (gst_element_set_state (o->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  g_object_get (o->element, "current-port", &o->port, NULL);
  fail_unless (o->port != 0);
  g_free (o->uri);
  o->uri = g_strdup_printf ("http://127.0.0.1:%u", o->port);
}

static inline void
lp_sink_orch_stop (LpSinkOrch * o)
{
  if (o->pipeline == NULL)
    return;
  fail_unless_equals_int (gst_element_set_state (o->pipeline,
          GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (o->pipeline);
  o->pipeline = NULL;
  o->element = NULL;
}

static inline void
lp_sink_orch_free (LpSinkOrch * o)
{
  lp_sink_orch_stop (o);
  lp_private_key_unref (o->key);
  g_free (o->key_path);
  g_free (o->uri);
  g_free (o);
}

static inline guint64
lp_sink_orch_stat (LpSinkOrch * o, const gchar * field)
{
  return lp_test_orch_stat (o->element, field);
}

/* The lporchestrator-segment messages @o posted so far, waiting up to
 * @timeout until there are @expected of them (they are posted once the
 * answer is sent, so the broadcaster may be done a little before). */
static inline GPtrArray *
lp_sink_orch_segments (LpSinkOrch * o, guint expected, GstClockTime timeout)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);
  GstBus *bus = gst_element_get_bus (o->pipeline);
  GstClockTime deadline = gst_util_get_timestamp () + timeout;
  GstMessage *msg;

  for (;;) {
    GstClockTime now = gst_util_get_timestamp ();

    msg = gst_bus_timed_pop_filtered (bus, out->len >= expected ? 0 :
        (now < deadline ? deadline - now : 0), GST_MESSAGE_ELEMENT);
    if (msg == NULL)
      break;
    if (gst_message_has_name (msg, "lporchestrator-segment"))
      g_ptr_array_add (out, gst_structure_copy (gst_message_get_structure
              (msg)));
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
  return out;
}

/* One ticket's expected value at @o for the net's broadcaster, from a
 * discovery of our own (face value × winProb / 2^256). */
static inline LpRational *
lp_sink_orch_ticket_ev (LpTestNet * net, LpSinkOrch * o)
{
  LpOrchestratorInfo *info;
  LpRational *ev;

  net->port = o->port;
  info = lp_test_discover (net, net->bcast);
  net->port = 0;
  fail_unless (info->has_ticket_params);
  ev = lp_rational_new_ticket_ev (&info->ticket_params.face_value,
      &info->ticket_params.win_prob);
  lp_orchestrator_info_free (info);
  return ev;
}

/* The net's broadcaster key as a key file (mode 0600) in the net's dir. */
static inline gchar *
lp_sink_bcast_key_file (LpTestNet * net)
{
  gchar *path = g_build_filename (net->dir, "bcast.key", NULL);
  GError *error = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    fail_unless (lp_key_file_write (path, net->bcast, &error), "%s",
        error ? error->message : "");
  return path;
}

/* ------------------------------------------------------------------------ */
/* Files */

static inline gchar *
lp_sink_read_text (const gchar * path)
{
  gchar *text = NULL;
  GError *error = NULL;

  fail_unless (g_file_get_contents (path, &text, NULL, &error), "%s: %s",
      path, error ? error->message : "");
  return text;
}

/* A media playlist: the segment file names it lists, in order, and
 * whether it ends with EXT-X-ENDLIST. Every listed file must exist. */
static inline GPtrArray *
lp_sink_read_playlist (const gchar * location, const gchar * variant,
    gboolean * endlist)
{
  gchar *path = g_build_filename (location, variant, "index.m3u8", NULL);
  gchar *text = lp_sink_read_text (path);
  gchar **lines = g_strsplit (text, "\n", -1);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  guint i;

  *endlist = FALSE;
  fail_unless (g_str_has_prefix (text, "#EXTM3U"), "%s: %s", path, text);
  for (i = 0; lines[i] != NULL; i++) {
    gchar *line = g_strstrip (lines[i]);

    if (g_str_equal (line, "#EXT-X-ENDLIST"))
      *endlist = TRUE;
    else if (line[0] != '\0' && line[0] != '#') {
      gchar *file = g_build_filename (location, variant, line, NULL);

      fail_unless (g_str_has_suffix (line, ".ts"), "%s: %s", path, line);
      fail_unless (g_file_test (file, G_FILE_TEST_IS_REGULAR),
          "%s lists %s, which is not there", path, line);
      g_free (file);
      g_ptr_array_add (files, g_strdup (line));
    }
  }
  g_strfreev (lines);
  g_free (text);
  g_free (path);
  return files;
}

/* Plays @uri to its end (uridecodebin, so hlsdemux for a playlist) and
 * counts the decoded video frames; fails on an error or after @timeout. */
static inline guint
lp_sink_count_frames (const gchar * uri, GstClockTime timeout)
{
  gchar *desc = g_strdup_printf ("uridecodebin uri=%s caps=video/x-raw ! "
      "appsink name=sink sync=false", uri);
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &error);
  GstElement *sink;
  GstBus *bus;
  GstMessage *msg;
  guint frames = 0;
  GstClockTime deadline = gst_util_get_timestamp () + timeout;

  fail_unless (pipeline != NULL, "%s: %s", desc, error ? error->message : "");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  bus = gst_element_get_bus (pipeline);
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  for (;;) {
    GstSample *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
        100 * GST_MSECOND);

    if (sample != NULL) {
      frames++;
      gst_sample_unref (sample);
      continue;
    }
    if (gst_app_sink_is_eos (GST_APP_SINK (sink)))
      break;
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    if (msg != NULL) {
      gchar *debug = NULL;

      gst_message_parse_error (msg, &error, &debug);
      fail ("playing %s: %s (%s)", uri, error->message, debug);
    }
    fail_unless (gst_util_get_timestamp () < deadline, "playing %s: no EOS "
        "after %u frames", uri, frames);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_free (desc);
  return frames;
}

/* ------------------------------------------------------------------------ */
/* State changes with a time limit */

typedef struct
{
  GstElement *element;
  GstState state;
  GstStateChangeReturn ret;
  gboolean wait_async;
  gboolean done;
  GMutex lock;
  GCond cond;
} LpSinkStateJob;

static inline gpointer
lp_sink_state_thread (gpointer data)
{
  LpSinkStateJob *job = data;
  GstStateChangeReturn ret = gst_element_set_state (job->element, job->state);

  if (ret == GST_STATE_CHANGE_ASYNC && job->wait_async)
    ret = gst_element_get_state (job->element, NULL, NULL,
        GST_CLOCK_TIME_NONE);
  g_mutex_lock (&job->lock);
  job->ret = ret;
  job->done = TRUE;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->lock);
  return NULL;
}

/* gst_element_set_state (and, with @wait_async, the wait for an ASYNC
 * one to complete) in a thread of its own; fails the test when it takes
 * longer than @timeout. Returns the outcome and sets @elapsed (when
 * given). */
static inline GstStateChangeReturn
lp_sink_set_state_within_full (GstElement * element, GstState state,
    gboolean wait_async, GstClockTime timeout, GstClockTime * elapsed)
{
  LpSinkStateJob *job = g_new0 (LpSinkStateJob, 1);
  GstClockTime start = gst_util_get_timestamp ();
  gint64 deadline = g_get_monotonic_time () + timeout / GST_USECOND;
  GstStateChangeReturn ret;
  GThread *thread;

  job->element = element;
  job->state = state;
  job->wait_async = wait_async;
  g_mutex_init (&job->lock);
  g_cond_init (&job->cond);
  thread = g_thread_new ("lp-test-state", lp_sink_state_thread, job);
  g_mutex_lock (&job->lock);
  while (!job->done && g_cond_wait_until (&job->cond, &job->lock, deadline));
  if (!job->done) {
    g_mutex_unlock (&job->lock);
    /* the job and the thread are left behind: the test is over */
    fail ("the state change to %s of %s hangs (over %" GST_TIME_FORMAT ")",
        gst_element_state_get_name (state), GST_ELEMENT_NAME (element),
        GST_TIME_ARGS (timeout));
  }
  g_mutex_unlock (&job->lock);
  g_thread_join (thread);
  ret = job->ret;
  if (elapsed != NULL)
    *elapsed = gst_util_get_timestamp () - start;
  g_mutex_clear (&job->lock);
  g_cond_clear (&job->cond);
  g_free (job);
  return ret;
}

static inline GstStateChangeReturn
lp_sink_set_state_within (GstElement * element, GstState state,
    GstClockTime timeout, GstClockTime * elapsed)
{
  return lp_sink_set_state_within_full (element, state, TRUE, timeout,
      elapsed);
}

/* ------------------------------------------------------------------------ */
/* A stream through livepeersink */

typedef struct
{
  GPtrArray *segments;          /* GstStructure*: livepeersink-segment */
  GPtrArray *failovers;         /* livepeersink-failover */
  GPtrArray *lost;              /* livepeersink-segment-lost */
  GPtrArray *warnings;          /* gchar*: warning texts of the sink */
  gchar *error;                 /* the first error: message (debug) */
  gboolean eos;
  gboolean discovery_started;
  gboolean discovery_complete;
} LpSinkRun;

static inline LpSinkRun *
lp_sink_run_new (void)
{
  LpSinkRun *run = g_new0 (LpSinkRun, 1);

  run->segments = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);
  run->failovers = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);
  run->lost = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);
  run->warnings = g_ptr_array_new_with_free_func (g_free);
  return run;
}

static inline void
lp_sink_run_free (LpSinkRun * run)
{
  g_ptr_array_unref (run->segments);
  g_ptr_array_unref (run->failovers);
  g_ptr_array_unref (run->lost);
  g_ptr_array_unref (run->warnings);
  g_free (run->error);
  g_free (run);
}

/* What the run's messages say, for failure texts. */
static inline gchar *
lp_sink_run_describe (LpSinkRun * run)
{
  GString *s = g_string_new (NULL);
  guint i;

  g_string_append_printf (s, "%u segments, %u failovers, %u lost, eos %d, "
      "error: %s", run->segments->len, run->failovers->len, run->lost->len,
      run->eos, run->error ? run->error : "none");
  for (i = 0; i < run->failovers->len; i++) {
    gchar *t = gst_structure_to_string (g_ptr_array_index (run->failovers,
            i));

    g_string_append_printf (s, "\n  %s", t);
    g_free (t);
  }
  for (i = 0; i < run->lost->len; i++) {
    gchar *t = gst_structure_to_string (g_ptr_array_index (run->lost, i));

    g_string_append_printf (s, "\n  %s", t);
    g_free (t);
  }
  return g_string_free (s, FALSE);
}

/* Called for each message of the stream's bus (before it is recorded). */
typedef void (*LpSinkRunHook) (LpSinkRun * run, GstMessage * msg,
    gpointer user_data);

/* Sets @pipeline to PLAYING and records what it posts until EOS, an error
 * or @timeout (which fails the test). Leaves the pipeline in PLAYING. */
static inline void
lp_sink_run_stream (LpSinkRun * run, GstElement * pipeline,
    GstClockTime timeout, LpSinkRunHook hook, gpointer user_data)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstClockTime deadline = gst_util_get_timestamp () + timeout;

  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE, "the stream did not start");
  while (!run->eos && run->error == NULL) {
    GstClockTime now = gst_util_get_timestamp ();
    GstMessage *msg;
    const GstStructure *s;

    fail_unless (now < deadline, "the stream did not end in %"
        GST_TIME_FORMAT ": %u segments so far", GST_TIME_ARGS (timeout),
        run->segments->len);
    msg = gst_bus_timed_pop (bus, deadline - now);
    if (msg == NULL)
      continue;
    if (hook != NULL)
      hook (run, msg, user_data);
    s = gst_message_get_structure (msg);
    switch (GST_MESSAGE_TYPE (msg)) {
      case GST_MESSAGE_EOS:
        run->eos = TRUE;
        break;
      case GST_MESSAGE_ERROR:{
        GError *error = NULL;
        gchar *debug = NULL;

        gst_message_parse_error (msg, &error, &debug);
        run->error = g_strdup_printf ("%s (%s)", error->message,
            debug ? debug : "");
        g_error_free (error);
        g_free (debug);
        break;
      }
      case GST_MESSAGE_WARNING:{
        GError *error = NULL;

        gst_message_parse_warning (msg, &error, NULL);
        g_ptr_array_add (run->warnings, g_strdup (error->message));
        g_error_free (error);
        break;
      }
      case GST_MESSAGE_PROGRESS:{
        GstProgressType type;
        gchar *code = NULL, *text = NULL;

        gst_message_parse_progress (msg, &type, &code, &text);
        if (g_strcmp0 (code, "discovery") == 0) {
          run->discovery_started |= type == GST_PROGRESS_TYPE_START;
          run->discovery_complete |= type == GST_PROGRESS_TYPE_COMPLETE;
        }
        g_free (code);
        g_free (text);
        break;
      }
      case GST_MESSAGE_ELEMENT:
        if (gst_structure_has_name (s, "livepeersink-segment"))
          g_ptr_array_add (run->segments, gst_structure_copy (s));
        else if (gst_structure_has_name (s, "livepeersink-failover"))
          g_ptr_array_add (run->failovers, gst_structure_copy (s));
        else if (gst_structure_has_name (s, "livepeersink-segment-lost"))
          g_ptr_array_add (run->lost, gst_structure_copy (s));
        break;
      default:
        break;
    }
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
}

/* videotestsrc of @seconds at 320x180@30 (in real time when @live, else
 * as fast as it goes) into a livepeersink named "sink" with @sink_props
 * (gst-launch syntax). */
static inline GstElement *
lp_sink_pipeline_full (guint seconds, gboolean live, const gchar * sink_props)
{
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=%u pattern=ball "
      "is-live=%d ! video/x-raw,format=I420,width=320,height=180,"
      "framerate=30/1 ! livepeersink name=sink segment-duration=1000 %s",
      seconds * 30, live, sink_props);
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &error);

  fail_unless (pipeline != NULL, "%s: %s", desc, error ? error->message : "");
  g_free (desc);
  return pipeline;
}

static inline GstElement *
lp_sink_pipeline (guint seconds, const gchar * sink_props)
{
  return lp_sink_pipeline_full (seconds, FALSE, sink_props);
}

static inline GstElement *
lp_sink_get_sink (GstElement * pipeline)
{
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

  fail_unless (sink != NULL);
  gst_object_unref (sink);      /* the pipeline holds it */
  return sink;
}

static inline GstStructure *
lp_sink_stats (GstElement * sink)
{
  GstStructure *stats = NULL;

  g_object_get (sink, "stats", &stats, NULL);
  fail_unless (stats != NULL);
  return stats;
}

/* The stats entry of orchestrator @uri, or NULL. */
static inline const GstStructure *
lp_sink_stats_orch (const GstStructure * stats, const gchar * uri)
{
  const GValue *orchs = gst_structure_get_value (stats, "orchestrators");
  guint i;

  fail_unless (orchs != NULL && GST_VALUE_HOLDS_ARRAY (orchs));
  for (i = 0; i < gst_value_array_get_size (orchs); i++) {
    const GstStructure *o =
        gst_value_get_structure (gst_value_array_get_value (orchs, i));

    if (g_strcmp0 (gst_structure_get_string (o, "uri"), uri) == 0)
      return o;
  }
  return NULL;
}

static inline guint64
lp_sink_field_u64 (const GstStructure * s, const gchar * field)
{
  guint64 value = 0;

  fail_unless (gst_structure_get_uint64 (s, field, &value), "%s", field);
  return value;
}

static inline guint
lp_sink_field_uint (const GstStructure * s, const gchar * field)
{
  guint value = 0;

  fail_unless (gst_structure_get_uint (s, field, &value), "%s", field);
  return value;
}

static inline const gchar *
lp_sink_field_string (const GstStructure * s, const gchar * field)
{
  const gchar *value = gst_structure_get_string (s, field);

  fail_unless (value != NULL, "%s", field);
  return value;
}

/* ------------------------------------------------------------------------ */
/* The test double: a proxy in front of a real orchestrator */

typedef enum
{
  LP_TAMPER_NONE,               /* an honest proxy */
  LP_TAMPER_PIXELS,             /* one more frame of pixels reported for the
                                 * first rendition, re-signed with the real key */
  LP_TAMPER_SWAP,               /* the first two renditions (and their pixel
                                 * counts) swapped, the signature kept */
  LP_TAMPER_FOREIGN_KEY,        /* renditions kept, re-signed with another key */
  LP_TAMPER_CONTENT,            /* the first rendition replaced by one of other
                                 * content (same size and frames, so the same
                                 * pixels), re-signed with the real key */
  /* hostile: the double answers segments itself, never forwarding them */
  LP_TAMPER_TRICKLE,            /* 200, then a byte every
                                 * LP_TEST_TRICKLE_INTERVAL_MS, without end */
  LP_TAMPER_ZEROS_LENGTH,       /* 200 declaring 1 GiB, then zeros (up to
                                 * LP_TEST_ZEROS_MAX, then nothing) */
  LP_TAMPER_ZEROS_CHUNKED,      /* 200, chunked zeros (LP_TEST_ZEROS_MAX) */
} LpTamperMode;

/* a trickled answer: far below any idle timeout */
#define LP_TEST_TRICKLE_INTERVAL_MS 250
/* what a zeros answer sends at most, and in what pieces */
#define LP_TEST_ZEROS_MAX (64 * 1024 * 1024)
#define LP_TEST_ZEROS_CHUNK (256 * 1024)

typedef struct _LpTestProxy LpTestProxy;

/* Which of several proxies is the double: the first one to carry a
 * transcoded answer becomes it, and tampers with every answer after. */
typedef struct
{
  GMutex lock;
  LpTamperMode mode;
  LpTestProxy *double_;
} LpTamperElection;

struct _LpTestProxy
{
  LpTamperElection *election;
  GHashTable *substitutes;      /* "WxH@frames" -> GBytes*, proxy thread */
  guint backend_port;
  LpPrivateKey *backend_key;    /* re-signs results */
  LpPrivateKey *foreign_key;
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  SoupSession *client;
  guint port;
  gchar *uri;
  GMutex lock;
  GCond cond;
  gboolean ready;
  /* how discovery and /endSession are answered: forwarded (NONE), or as
   * a hostile peer would (TRICKLE, ZEROS_*); set before use, under lock */
  LpTamperMode discovery_answer;
  LpTamperMode end_session_answer;
  /* counts, under lock */
  guint discoveries;
  guint segments;
  guint tampered;
  guint hostile;                /* hostile answers begun */
  guint64 hostile_bytes;        /* bytes of them written to the socket */
};

static inline gboolean
lp_test_proxy_is_double (LpTestProxy * proxy, gboolean claim)
{
  gboolean is;

  g_mutex_lock (&proxy->election->lock);
  if (claim && proxy->election->double_ == NULL
      && proxy->election->mode != LP_TAMPER_NONE)
    proxy->election->double_ = proxy;
  is = proxy->election->double_ == proxy;
  g_mutex_unlock (&proxy->election->lock);
  return is;
}

/* @frames of SMPTE bars at @width x @height, 30 fps, as H.264 in MPEG-TS:
 * nothing like the ball of the source. */
static inline GBytes *
lp_test_proxy_substitute (LpTestProxy * proxy, GBytes * genuine)
{
  guint frames;
  gint width, height;
  gchar *key;
  GBytes *bytes;

  lp_test_decode (genuine, &frames, &width, &height);
  fail_unless (frames > 0);
  key = g_strdup_printf ("%dx%d@%u", width, height, frames);
  bytes = g_hash_table_lookup (proxy->substitutes, key);
  if (bytes == NULL) {
    gchar *desc = g_strdup_printf ("videotestsrc pattern=smpte "
        "num-buffers=%u ! video/x-raw,format=I420,width=%d,height=%d,"
        "framerate=30/1 ! x264enc speed-preset=ultrafast bframes=0 "
        "key-int-max=%u ! h264parse ! mpegtsmux", frames, width, height,
        frames);

    bytes = lp_test_run_to_bytes (desc);
    g_free (desc);
    g_hash_table_insert (proxy->substitutes, g_strdup (key), bytes);
  }
  g_free (key);
  return g_bytes_ref (bytes);
}

/* The answer to a segment, altered as the election's mode says; NULL when
 * it cannot be (not a transcoded answer). Sets @content_type. */
static inline GBytes *
lp_test_proxy_tamper (LpTestProxy * proxy, SoupMessageHeaders * headers,
    GBytes * body, SoupMessageHeaders * out_headers)
{
  SoupMultipart *in, *out;
  SoupMessageHeaders *part;
  GBytes *part_body, *result_bytes, *bytes;
  GPtrArray *renditions, *part_headers;
  LpTranscodeResult *result;
  GError *error = NULL;
  gchar *json;
  gsize size;
  const gchar *data;
  gint i;

  in = soup_multipart_new_from_message (headers, body);
  if (in == NULL || soup_multipart_get_length (in) < 3) {
    if (in != NULL)
      soup_multipart_free (in);
    return NULL;
  }
  soup_multipart_get_part (in, 0, &part, &part_body);
  data = g_bytes_get_data (part_body, &size);
  result = lp_wire_transcode_result_from_json (data, size, &error);
  fail_unless (result != NULL, "%s", error ? error->message : "");
  if (result->error != NULL || result->segments->len < 2) {
    lp_transcode_result_free (result);
    soup_multipart_free (in);
    return NULL;
  }
  renditions = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  part_headers = g_ptr_array_new ();
  for (i = 1; i < soup_multipart_get_length (in); i++) {
    soup_multipart_get_part (in, i, &part, &part_body);
    g_ptr_array_add (renditions, g_bytes_ref (part_body));
    g_ptr_array_add (part_headers, part);
  }
  switch (proxy->election->mode) {
    case LP_TAMPER_PIXELS:
      /* charges one frame more than it made */
      g_array_index (result->segments, LpTranscodedSegment, 0).pixels +=
          256 * 144;
      fail_unless (lp_transcode_result_sign (result, proxy->backend_key,
              (GBytes * const *) renditions->pdata, renditions->len, NULL));
      break;
    case LP_TAMPER_SWAP:{
      LpTranscodedSegment *a = &g_array_index (result->segments,
          LpTranscodedSegment, 0);
      LpTranscodedSegment *b = &g_array_index (result->segments,
          LpTranscodedSegment, 1);
      guint64 pixels = a->pixels;
      gpointer first = renditions->pdata[0];

      /* each rendition's bytes under the other's name, the pixel counts
       * following them: only the signature can tell */
      a->pixels = b->pixels;
      b->pixels = pixels;
      renditions->pdata[0] = renditions->pdata[1];
      renditions->pdata[1] = first;
      break;
    }
    case LP_TAMPER_FOREIGN_KEY:
      fail_unless (lp_transcode_result_sign (result, proxy->foreign_key,
              (GBytes * const *) renditions->pdata, renditions->len, NULL));
      break;
    case LP_TAMPER_CONTENT:{
      GBytes *other = lp_test_proxy_substitute (proxy,
          g_ptr_array_index (renditions, 0));

      g_bytes_unref (renditions->pdata[0]);
      renditions->pdata[0] = other;
      fail_unless (lp_transcode_result_sign (result, proxy->backend_key,
              (GBytes * const *) renditions->pdata, renditions->len, NULL));
      break;
    }
    default:
      g_assert_not_reached ();
  }
  out = soup_multipart_new ("multipart/mixed");
  part = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  soup_message_headers_replace (part, "Content-Type", "application/json");
  json = lp_wire_transcode_result_to_json (result);
  result_bytes = g_bytes_new_take (json, strlen (json));
  soup_multipart_append_part (out, part, result_bytes);
  g_bytes_unref (result_bytes);
  soup_message_headers_unref (part);
  for (i = 0; i < (gint) renditions->len; i++)
    soup_multipart_append_part (out, g_ptr_array_index (part_headers, i),
        g_ptr_array_index (renditions, i));
  soup_multipart_to_message (out, out_headers, &bytes);
  soup_multipart_free (out);
  soup_multipart_free (in);
  g_ptr_array_unref (part_headers);
  g_ptr_array_unref (renditions);
  lp_transcode_result_free (result);
  return bytes;
}

/* ---- hostile answers ---- */

typedef struct
{
  LpTestProxy *proxy;
  SoupServerMessage *msg;
  gboolean zeros;
  gboolean chunked;
  guint64 appended;
  GSource *timer;
} LpTestHostile;

static const gchar lp_test_zeros[LP_TEST_ZEROS_CHUNK];

static inline void
lp_test_hostile_wrote (SoupServerMessage * msg, guint size, gpointer data)
{
  LpTestHostile *h = data;

  g_mutex_lock (&h->proxy->lock);
  h->proxy->hostile_bytes += size;
  g_mutex_unlock (&h->proxy->lock);
}

/* zeros: the next piece as soon as one is out, up to LP_TEST_ZEROS_MAX */
static inline void
lp_test_hostile_append (LpTestHostile * h)
{
  SoupMessageBody *body = soup_server_message_get_response_body (h->msg);

  if (h->appended >= LP_TEST_ZEROS_MAX)
    return;
  soup_message_body_append (body, SOUP_MEMORY_STATIC, lp_test_zeros,
      LP_TEST_ZEROS_CHUNK);
  h->appended += LP_TEST_ZEROS_CHUNK;
  if (h->chunked && h->appended >= LP_TEST_ZEROS_MAX)
    soup_message_body_complete (body);
}

static inline void
lp_test_hostile_wrote_chunk (SoupServerMessage * msg, gpointer data)
{
  lp_test_hostile_append (data);
}

static inline gboolean
lp_test_hostile_trickle (gpointer data)
{
  LpTestHostile *h = data;

  soup_message_body_append (soup_server_message_get_response_body (h->msg),
      SOUP_MEMORY_STATIC, "-", 1);
  soup_server_message_unpause (h->msg);
  return G_SOURCE_CONTINUE;
}

static inline void
lp_test_hostile_finished (SoupServerMessage * msg, gpointer data)
{
  LpTestHostile *h = data;

  if (h->timer != NULL) {
    g_source_destroy (h->timer);
    g_source_unref (h->timer);
  }
  g_free (h);
}

/* Answers @msg as a hostile peer: a byte at a time (@trickle), or zeros
 * declared as 1 GiB or chunked, in @proxy's context until the client
 * goes away. */
static inline void
lp_test_hostile_answer (LpTestProxy * proxy, SoupServerMessage * msg,
    LpTamperMode mode, const gchar * content_type)
{
  LpTestHostile *h = g_new0 (LpTestHostile, 1);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  h->proxy = proxy;
  h->msg = msg;
  h->zeros = mode == LP_TAMPER_ZEROS_LENGTH || mode == LP_TAMPER_ZEROS_CHUNKED;
  h->chunked = mode != LP_TAMPER_ZEROS_LENGTH;
  g_mutex_lock (&proxy->lock);
  proxy->hostile++;
  g_mutex_unlock (&proxy->lock);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type", content_type);
  if (h->chunked)
    soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  else
    soup_message_headers_set_content_length (headers,
        G_GINT64_CONSTANT (1) << 30);
  soup_message_body_set_accumulate (body, FALSE);
  g_signal_connect (msg, "wrote-body-data",
      G_CALLBACK (lp_test_hostile_wrote), h);
  g_signal_connect (msg, "finished", G_CALLBACK (lp_test_hostile_finished),
      h);
  if (h->zeros) {
    g_signal_connect (msg, "wrote-chunk",
        G_CALLBACK (lp_test_hostile_wrote_chunk), h);
    lp_test_hostile_append (h);
    return;
  }
  soup_message_body_append (body, SOUP_MEMORY_STATIC, "-", 1);
  h->timer = g_timeout_source_new (LP_TEST_TRICKLE_INTERVAL_MS);
  g_source_set_callback (h->timer, lp_test_hostile_trickle, h, NULL);
  g_source_attach (h->timer, proxy->context);
}

/* Whether @proxy answers the request to @path itself, as a hostile peer */
static inline gboolean
lp_test_proxy_hostile (LpTestProxy * proxy, SoupServerMessage * msg,
    const gchar * path)
{
  LpTamperMode mode = proxy->election->mode, answer = LP_TAMPER_NONE;

  g_mutex_lock (&proxy->lock);
  if (g_str_equal (path, "/getOrchestrator"))
    answer = proxy->discovery_answer;
  else if (g_str_equal (path, "/endSession"))
    answer = proxy->end_session_answer;
  g_mutex_unlock (&proxy->lock);
  if (answer != LP_TAMPER_NONE) {
    lp_test_hostile_answer (proxy, msg, answer, "application/json");
    return TRUE;
  }
  if (g_str_equal (path, "/segment") && (mode == LP_TAMPER_TRICKLE
          || mode == LP_TAMPER_ZEROS_LENGTH || mode == LP_TAMPER_ZEROS_CHUNKED)
      && lp_test_proxy_is_double (proxy, TRUE)) {
    lp_test_hostile_answer (proxy, msg, mode, "multipart/mixed; "
        "boundary=lp");
    return TRUE;
  }
  return FALSE;
}

static inline void
lp_test_proxy_handle (SoupServer * server, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer user_data)
{
  static const gchar *forwarded[] = { "Livepeer-Segment", "Livepeer-Payment" };
  LpTestProxy *proxy = user_data;
  SoupMessageHeaders *req_headers =
      soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp_headers, *out_headers;
  GBytes *body;
  gchar *uri;
  SoupMessage *out;
  const gchar *type = soup_message_headers_get_one (req_headers,
      "Content-Type");
  GBytes *answer, *altered = NULL;
  GError *error = NULL;
  guint status, i;

  if (lp_test_proxy_hostile (proxy, msg, path))
    return;
  body = soup_message_body_flatten (soup_server_message_get_request_body
      (msg));
  uri = g_strdup_printf ("http://127.0.0.1:%u%s", proxy->backend_port, path);
  out = soup_message_new (soup_server_message_get_method (msg), uri);
  soup_message_set_request_body_from_bytes (out, type ? type :
      "application/octet-stream", body);
  for (i = 0; i < G_N_ELEMENTS (forwarded); i++) {
    const gchar *value = soup_message_headers_get_one (req_headers,
        forwarded[i]);

    if (value != NULL)
      soup_message_headers_replace (soup_message_get_request_headers (out),
          forwarded[i], value);
  }
  answer = soup_session_send_and_read (proxy->client, out, NULL, &error);
  if (answer == NULL) {
    soup_server_message_set_status (msg, 502, NULL);
    soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY,
        error->message, strlen (error->message));
    g_error_free (error);
    goto done;
  }
  status = soup_message_get_status (out);
  resp_headers = soup_message_get_response_headers (out);
  type = soup_message_headers_get_one (resp_headers, "Content-Type");
  out_headers = soup_server_message_get_response_headers (msg);
  if (status == 200 && g_str_equal (path, "/getOrchestrator")) {
    /* discovery: segments come to us; ticket parameters and price stay
     * the real orchestrator's, so its payments still work */
    gsize size;
    const gchar *data = g_bytes_get_data (answer, &size);
    LpOrchestratorInfo *info = lp_wire_orchestrator_info_from_json (data,
        size, &error);
    gchar *json;

    fail_unless (info != NULL, "%s", error ? error->message : "");
    g_free (info->transcoder);
    info->transcoder = g_strdup (proxy->uri);
    json = lp_wire_orchestrator_info_to_json (info);
    lp_orchestrator_info_free (info);
    altered = g_bytes_new_take (json, strlen (json));
    type = "application/json";
    g_mutex_lock (&proxy->lock);
    proxy->discoveries++;
    g_mutex_unlock (&proxy->lock);
  } else if (status == 200 && type != NULL
      && g_str_has_prefix (type, "multipart/")) {
    g_mutex_lock (&proxy->lock);
    proxy->segments++;
    g_mutex_unlock (&proxy->lock);
    if (lp_test_proxy_is_double (proxy, TRUE)) {
      altered = lp_test_proxy_tamper (proxy, resp_headers, answer,
          out_headers);
      if (altered != NULL) {
        type = soup_message_headers_get_one (out_headers, "Content-Type");
        g_mutex_lock (&proxy->lock);
        proxy->tampered++;
        g_mutex_unlock (&proxy->lock);
      }
    }
  }
  soup_server_message_set_status (msg, status, NULL);
  {
    gsize size;
    const gchar *data = g_bytes_get_data (altered ? altered : answer, &size);
    gchar *content_type = g_strdup (type ? type : "text/plain");

    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
        data, size);
    g_free (content_type);
  }
  if (altered != NULL)
    g_bytes_unref (altered);
  g_bytes_unref (answer);
done:
  g_object_unref (out);
  g_free (uri);
  g_bytes_unref (body);
}

static inline gpointer
lp_test_proxy_thread (gpointer data)
{
  LpTestProxy *proxy = data;
  GError *error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (proxy->context);
  proxy->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (proxy->server, "/getOrchestrator",
      lp_test_proxy_handle, proxy, NULL);
  soup_server_add_handler (proxy->server, "/segment", lp_test_proxy_handle,
      proxy, NULL);
  soup_server_add_handler (proxy->server, "/endSession", lp_test_proxy_handle,
      proxy, NULL);
  fail_unless (soup_server_listen_local (proxy->server, 0,
          SOUP_SERVER_LISTEN_IPV4_ONLY, &error), "%s",
      error ? error->message : "");
  uris = soup_server_get_uris (proxy->server);
  fail_unless (uris != NULL);
  /* made in this thread, the only one that uses it */
  proxy->client = soup_session_new_with_options ("timeout", 30, NULL);
  g_mutex_lock (&proxy->lock);
  proxy->port = g_uri_get_port (uris->data);
  proxy->uri = g_strdup_printf ("http://127.0.0.1:%u", proxy->port);
  proxy->ready = TRUE;
  g_cond_signal (&proxy->cond);
  g_mutex_unlock (&proxy->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (proxy->loop);

  soup_server_disconnect (proxy->server);
  while (g_main_context_iteration (proxy->context, FALSE));
  g_clear_object (&proxy->server);
  g_clear_object (&proxy->client);
  g_main_context_pop_thread_default (proxy->context);
  return NULL;
}

/* A proxy on 127.0.0.1, port 0, in front of the orchestrator on
 * @backend_port whose key is @backend_key. */
static inline LpTestProxy *
lp_test_proxy_new (LpTamperElection * election, guint backend_port,
    LpPrivateKey * backend_key)
{
  LpTestProxy *proxy = g_new0 (LpTestProxy, 1);

  proxy->election = election;
  proxy->backend_port = backend_port;
  proxy->backend_key = lp_private_key_ref (backend_key);
  proxy->foreign_key = lp_private_key_generate (NULL);
  fail_unless (proxy->foreign_key != NULL);
  proxy->substitutes = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, (GDestroyNotify) g_bytes_unref);
  g_mutex_init (&proxy->lock);
  g_cond_init (&proxy->cond);
  proxy->context = g_main_context_new ();
  proxy->loop = g_main_loop_new (proxy->context, FALSE);
  proxy->thread = g_thread_new ("lp-test-proxy", lp_test_proxy_thread, proxy);
  g_mutex_lock (&proxy->lock);
  while (!proxy->ready)
    g_cond_wait (&proxy->cond, &proxy->lock);
  g_mutex_unlock (&proxy->lock);
  return proxy;
}

static inline gboolean
lp_test_proxy_quit (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static inline void
lp_test_proxy_free (LpTestProxy * proxy)
{
  g_main_context_invoke (proxy->context, lp_test_proxy_quit, proxy->loop);
  g_thread_join (proxy->thread);
  g_main_loop_unref (proxy->loop);
  g_main_context_unref (proxy->context);
  lp_private_key_unref (proxy->backend_key);
  lp_private_key_unref (proxy->foreign_key);
  g_hash_table_unref (proxy->substitutes);
  g_mutex_clear (&proxy->lock);
  g_cond_clear (&proxy->cond);
  g_free (proxy->uri);
  g_free (proxy);
}

static inline guint
lp_test_proxy_count (LpTestProxy * proxy, const guint * field)
{
  guint value;

  g_mutex_lock (&proxy->lock);
  value = *field;
  g_mutex_unlock (&proxy->lock);
  return value;
}

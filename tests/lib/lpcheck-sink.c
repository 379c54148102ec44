/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lpcheck's livepeersink runs: a stream through livepeersink with every
 * message it posts collected (LpSinkRun), a state change with a time
 * limit (in a thread of its own, so that a hang fails the test instead of
 * blocking it), the HLS output read back, and the sink's stats. Every
 * failure fails the test.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpcheck.h"

/* ------------------------------------------------------------------------ */
/* Files */

gchar *
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
GPtrArray *
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

static gpointer
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
GstStateChangeReturn
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

GstStateChangeReturn
lp_sink_set_state_within (GstElement * element, GstState state,
    GstClockTime timeout, GstClockTime * elapsed)
{
  return lp_sink_set_state_within_full (element, state, TRUE, timeout,
      elapsed);
}

/* ------------------------------------------------------------------------ */
/* A stream through livepeersink */

LpSinkRun *
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

void
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
gchar *
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

/* Sets @pipeline to PLAYING and records what it posts until EOS, an error
 * or @timeout (which fails the test). Leaves the pipeline in PLAYING. */
void
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
GstElement *
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

GstElement *
lp_sink_pipeline (guint seconds, const gchar * sink_props)
{
  return lp_sink_pipeline_full (seconds, FALSE, sink_props);
}

GstElement *
lp_sink_get_sink (GstElement * pipeline)
{
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

  fail_unless (sink != NULL);
  gst_object_unref (sink);      /* the pipeline holds it */
  return sink;
}

GstStructure *
lp_sink_stats (GstElement * sink)
{
  GstStructure *stats = NULL;

  g_object_get (sink, "stats", &stats, NULL);
  fail_unless (stats != NULL);
  return stats;
}

/* The stats entry of orchestrator @uri, or NULL. */
const GstStructure *
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

guint64
lp_sink_field_u64 (const GstStructure * s, const gchar * field)
{
  guint64 value = 0;

  fail_unless (gst_structure_get_uint64 (s, field, &value), "%s", field);
  return value;
}

guint
lp_sink_field_uint (const GstStructure * s, const gchar * field)
{
  guint value = 0;

  fail_unless (gst_structure_get_uint (s, field, &value), "%s", field);
  return value;
}

const gchar *
lp_sink_field_string (const GstStructure * s, const gchar * field)
{
  const gchar *value = gst_structure_get_string (s, field);

  fail_unless (value != NULL, "%s", field);
  return value;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs one segment through a capability's pipeline fragment:
 *
 *   appsrc ! tsdemux ! h264parse ! avdec_h264 ! FRAGMENT ! <output>
 *
 * where <output> is `lptranscodebin profiles=OUTPUT-PROFILE ! h264parse !
 * mpegtsmux ! appsink` when the capability returns video, and `fakesink`
 * otherwise. Every element message an element of the fragment posts is
 * kept, in order, for the metadata document:
 *
 *   {"capability", "model_id", "seq", "frames", "width", "height",
 *    "duration_ms", "messages": [{"element" (its factory), "message" (the
 *    structure's name), "fields": {...}}]}
 *
 * A pipeline is built for each segment: a failure of the fragment ends that
 * segment's job and nothing else.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpjobrunner.h"

#include <gst/app/gstappsink.h>
#include <gst/livepeer/lpcapability-private.h>
#include <gst/livepeer/lpmpegts.h>
#include <gst/livepeer/lppipeline.h>
#include <gst/video/video.h>
#include <json-glib/json-glib.h>
#include <string.h>

GST_DEBUG_CATEGORY_EXTERN (gst_lp_orchestrator_debug);
#define GST_CAT_DEFAULT gst_lp_orchestrator_debug

G_DEFINE_QUARK (lp-job-runner-error-quark, lp_job_runner_error);

/* our own elements are named with this prefix: their messages are not the
 * fragment's */
#define OWN_PREFIX "lpjob-"

typedef struct
{
  GMutex lock;
  gboolean decoded;             /* the decoder has output caps */
  guint64 frames;
  guint width, height;
  GstClockTime first_pts, end_pts;
  GByteArray *video;
  JsonArray *messages;
} Run;

void
lp_job_output_free (LpJobOutput * output)
{
  if (output == NULL)
    return;
  g_clear_pointer (&output->video, g_bytes_unref);
  g_clear_pointer (&output->metadata, g_bytes_unref);
  g_free (output);
}

static gchar *
describe (const LpCapability * capability, const gchar * encoder)
{
  const gchar *input = "appsrc name=" OWN_PREFIX "src format=bytes ! "
      "tsdemux name=" OWN_PREFIX "demux ! h264parse name=" OWN_PREFIX "parse "
      "! avdec_h264 name=" OWN_PREFIX "decoder ! queue name=" OWN_PREFIX "in";

  if (capability->outputs & LP_JOB_OUTPUT_VIDEO) {
    gchar *profile = g_strescape (capability->output_profile, NULL);
    gchar *desc = g_strdup_printf ("%s ! %s ! queue name=" OWN_PREFIX "out "
        "! lptranscodebin name=" OWN_PREFIX "encode profiles=\"%s\"%s%s "
        "! h264parse name=" OWN_PREFIX "outparse ! mpegtsmux name="
        OWN_PREFIX "mux ! appsink name=" OWN_PREFIX "video sync=false",
        input, capability->pipeline, profile, encoder ? " encoder=" : "",
        encoder ? encoder : "");

    g_free (profile);
    return desc;
  }
  return g_strdup_printf ("%s ! %s ! fakesink name=" OWN_PREFIX "sink "
      "sync=false", input, capability->pipeline);
}

/**
 * lp_job_runner_check:
 * @capability: a capability with a pipeline
 * @error: return location for a %LP_JOB_RUNNER_ERROR_PIPELINE
 *
 * Builds the capability's pipeline once, without running it: its fragment
 * must parse and link, with every element it names present.
 *
 * Returns: whether it does
 */
gboolean
lp_job_runner_check (const LpCapability * capability, GError ** error)
{
  g_autofree gchar *desc = describe (capability, NULL);
  GError *local = NULL;
  GstElement *pipeline;

  pipeline = gst_parse_launch_full (desc, NULL, GST_PARSE_FLAG_FATAL_ERRORS,
      &local);
  if (pipeline == NULL) {
    g_set_error (error, LP_JOB_RUNNER_ERROR, LP_JOB_RUNNER_ERROR_PIPELINE,
        "capability %s: its pipeline \"%s\" does not build: %s",
        capability->name, capability->pipeline, local->message);
    g_error_free (local);
    return FALSE;
  }
  gst_object_unref (pipeline);
  return TRUE;
}

/* Caps out of the decoder mean the segment decodes: a failure after them
 * is the fragment's */
static GstPadProbeReturn
see_caps (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Run *run = user_data;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_CAPS) {
    g_mutex_lock (&run->lock);
    run->decoded = TRUE;
    g_mutex_unlock (&run->lock);
  }
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
count_frame (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Run *run = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime pts = GST_BUFFER_PTS (buffer);

  g_mutex_lock (&run->lock);
  run->frames++;
  if (GST_CLOCK_TIME_IS_VALID (pts)) {
    GstClockTime end = pts + (GST_BUFFER_DURATION_IS_VALID (buffer) ?
        GST_BUFFER_DURATION (buffer) : 0);

    if (!GST_CLOCK_TIME_IS_VALID (run->first_pts) || pts < run->first_pts)
      run->first_pts = pts;
    if (!GST_CLOCK_TIME_IS_VALID (run->end_pts) || end > run->end_pts)
      run->end_pts = end;
  }
  if (run->width == 0) {
    GstCaps *caps = gst_pad_get_current_caps (pad);
    GstVideoInfo vinfo;

    if (caps != NULL && gst_video_info_from_caps (&vinfo, caps)) {
      run->width = GST_VIDEO_INFO_WIDTH (&vinfo);
      run->height = GST_VIDEO_INFO_HEIGHT (&vinfo);
    }
    gst_clear_caps (&caps);
  }
  g_mutex_unlock (&run->lock);
  return GST_PAD_PROBE_OK;
}

static GstFlowReturn
take_video (GstAppSink * sink, gpointer user_data)
{
  Run *run = user_data;

  return lp_app_sink_append (sink, run->video, &run->lock) ? GST_FLOW_OK :
      GST_FLOW_EOS;
}

/* Streaming threads: keeps the fragment's element messages, in order */
static GstBusSyncReply
keep_messages (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  Run *run = user_data;
  const GstStructure *s;
  JsonObject *entry;

  if (GST_MESSAGE_TYPE (msg) != GST_MESSAGE_ELEMENT
      || GST_MESSAGE_SRC (msg) == NULL
      || g_str_has_prefix (GST_MESSAGE_SRC_NAME (msg), OWN_PREFIX)
      || (s = gst_message_get_structure (msg)) == NULL
      || g_str_has_prefix (gst_structure_get_name (s), "lptranscodebin-"))
    return GST_BUS_PASS;
  /* lptranscodebin's children are ours too */
  if (GST_IS_ELEMENT (GST_MESSAGE_SRC (msg))) {
    GstObject *parent = gst_object_get_parent (GST_MESSAGE_SRC (msg));
    gboolean ours = parent != NULL && GST_IS_ELEMENT (parent) &&
        g_str_has_prefix (GST_OBJECT_NAME (parent), OWN_PREFIX);

    gst_clear_object (&parent);
    if (ours)
      return GST_BUS_PASS;
  }
  entry = json_object_new ();
  /* the factory: instance names change with every segment's pipeline */
  json_object_set_string_member (entry, "element",
      GST_IS_ELEMENT (GST_MESSAGE_SRC (msg)) &&
      gst_element_get_factory (GST_ELEMENT (GST_MESSAGE_SRC (msg))) ?
      GST_OBJECT_NAME (gst_element_get_factory (GST_ELEMENT (GST_MESSAGE_SRC
                  (msg)))) : GST_MESSAGE_SRC_NAME (msg));
  json_object_set_string_member (entry, "message", gst_structure_get_name (s));
  json_object_set_member (entry, "fields", lp_structure_to_json_node (s));
  g_mutex_lock (&run->lock);
  json_array_add_object_element (run->messages, entry);
  g_mutex_unlock (&run->lock);
  return GST_BUS_PASS;
}

/* Waits for EOS, an error, the deadline or @cancellable */
static gboolean
wait_for_eos (GstBus * bus, const LpCapability * capability, Run * run,
    GstClockTime timeout, GCancellable * cancellable, GError ** error)
{
  g_autoptr (GstMessage) msg = NULL;

  switch (lp_pipeline_wait (bus, timeout, cancellable, 0, NULL, NULL, &msg)) {
    case LP_PIPELINE_EOS:
      return TRUE;
    case LP_PIPELINE_CANCELLED:
      g_set_error (error, LP_JOB_RUNNER_ERROR, LP_JOB_RUNNER_ERROR_CANCELLED,
          "the job was cancelled");
      return FALSE;
    case LP_PIPELINE_TIMEOUT:
      g_set_error (error, LP_JOB_RUNNER_ERROR, LP_JOB_RUNNER_ERROR_TIMEOUT,
          "capability %s took longer than %" GST_TIME_FORMAT " on the "
          "segment", capability->name, GST_TIME_ARGS (timeout));
      return FALSE;
    default:{
      g_autoptr (GError) err = NULL;
      g_autofree gchar *debug = NULL;
      const gchar *src = GST_MESSAGE_SRC_NAME (msg);
      gboolean input;

      g_mutex_lock (&run->lock);
      input = !run->decoded;
      g_mutex_unlock (&run->lock);
      gst_message_parse_error (msg, &err, &debug);
      GST_INFO ("job %s: %s: %s (%s)", capability->name, src, err->message,
          debug ? debug : "");
      if (input)
        g_set_error (error, LP_JOB_RUNNER_ERROR, LP_JOB_RUNNER_ERROR_INPUT,
            "the segment is not MPEG-TS with H.264 video that decodes: %s",
            err->message);
      else
        g_set_error (error, LP_JOB_RUNNER_ERROR, LP_JOB_RUNNER_ERROR_FAILED,
            "capability %s failed: %s: %s%s", capability->name, src,
            err->message, strstr (debug ? debug : "", "not-negotiated") ?
            " (its fragment does not take this video)" : "");
      return FALSE;
    }
  }
}

static GBytes *
metadata_document (const LpCapability * capability, guint64 seq, Run * run,
    GstClockTime duration)
{
  JsonObject *doc = json_object_new ();
  JsonNode *root = json_node_new (JSON_NODE_OBJECT);
  JsonGenerator *gen = json_generator_new ();
  gchar *text;
  gsize length;

  json_object_set_string_member (doc, "capability", capability->name);
  json_object_set_string_member (doc, "model_id", capability->model_id);
  json_object_set_int_member (doc, "seq", (gint64) seq);
  json_object_set_int_member (doc, "frames", (gint64) run->frames);
  json_object_set_int_member (doc, "width", run->width);
  json_object_set_int_member (doc, "height", run->height);
  json_object_set_int_member (doc, "duration_ms",
      GST_CLOCK_TIME_IS_VALID (duration) ? (gint64) (duration / GST_MSECOND) :
      0);
  json_object_set_array_member (doc, "messages",
      json_array_ref (run->messages));
  json_node_take_object (root, doc);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &length);
  g_object_unref (gen);
  json_node_unref (root);
  return g_bytes_new_take (text, length);
}

/* The video out keeps the segment's time line, as a transcoded
 * rendition does (see lp_mpegts_align()). Takes @video. */
static GBytes *
aligned_video (GBytes * video, GBytes * segment)
{
  LpMpegtsSpan source;
  gsize size;
  const guint8 *data = g_bytes_get_data (segment, &size);
  GBytes *aligned;

  if (!lp_mpegts_video_span (data, size, &source))
    return video;
  aligned = lp_mpegts_align (video, source.start);
  g_bytes_unref (video);
  return aligned;
}

/**
 * lp_job_runner_run:
 * @capability: the capability, with its pipeline
 * @encoder: (nullable): the encoder factory for video outputs (NULL: the
 *     best present, as lptranscodebin chooses)
 * @segment: one MPEG-TS segment with H.264 video
 * @seq: its sequence number (in the metadata)
 * @timeout: how long it may take, or %GST_CLOCK_TIME_NONE
 * @cancellable: (nullable): ends it with %LP_JOB_RUNNER_ERROR_CANCELLED
 * @error: a %LP_JOB_RUNNER_ERROR
 *
 * Runs @segment through the capability. Blocks until it is done.
 *
 * Returns: (transfer full): its outputs and units, or %NULL
 */
LpJobOutput *
lp_job_runner_run (const LpCapability * capability, const gchar * encoder,
    GBytes * segment, guint64 seq, GstClockTime timeout,
    GCancellable * cancellable, GError ** error)
{
  g_autofree gchar *desc = describe (capability, encoder);
  GstElement *pipeline, *src, *decoder, *sink;
  LpJobOutput *output = NULL;
  GError *local = NULL;
  GstClockTime duration = GST_CLOCK_TIME_NONE;
  GstBus *bus;
  GstPad *pad;
  Run run = { 0, };
  gboolean ok;

  pipeline = gst_parse_launch_full (desc, NULL, GST_PARSE_FLAG_FATAL_ERRORS,
      &local);
  if (pipeline == NULL) {
    g_set_error (error, LP_JOB_RUNNER_ERROR, LP_JOB_RUNNER_ERROR_PIPELINE,
        "capability %s: its pipeline does not build: %s", capability->name,
        local->message);
    g_error_free (local);
    return NULL;
  }
  g_mutex_init (&run.lock);
  run.first_pts = run.end_pts = GST_CLOCK_TIME_NONE;
  run.video = g_byte_array_new ();
  run.messages = json_array_new ();

  decoder = gst_bin_get_by_name (GST_BIN (pipeline), OWN_PREFIX "decoder");
  pad = gst_element_get_static_pad (decoder, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_frame, &run, NULL);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, see_caps, &run,
      NULL);
  gst_object_unref (pad);
  gst_object_unref (decoder);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), OWN_PREFIX "video");
  if (sink != NULL) {
    GstAppSinkCallbacks callbacks = { NULL, NULL, take_video, };

    gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, &run, NULL);
    gst_object_unref (sink);
  }
  bus = gst_element_get_bus (pipeline);
  gst_bus_set_sync_handler (bus, keep_messages, &run, NULL);

  src = gst_bin_get_by_name (GST_BIN (pipeline), OWN_PREFIX "src");
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

    ok = FALSE;
    if (msg != NULL) {
      g_autoptr (GError) err = NULL;

      gst_message_parse_error (msg, &err, NULL);
      g_set_error (&local, LP_JOB_RUNNER_ERROR, LP_JOB_RUNNER_ERROR_FAILED,
          "capability %s: its pipeline does not start: %s: %s",
          capability->name, GST_MESSAGE_SRC_NAME (msg), err->message);
      gst_message_unref (msg);
    } else {
      g_set_error (&local, LP_JOB_RUNNER_ERROR, LP_JOB_RUNNER_ERROR_FAILED,
          "capability %s: its pipeline does not start", capability->name);
    }
  } else {
    lp_appsrc_push_ts (src, segment);
    ok = wait_for_eos (bus, capability, &run, timeout, cancellable, &local);
  }
  gst_object_unref (src);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);

  if (ok && run.frames == 0) {
    ok = FALSE;
    if (run.decoded)
      g_set_error (&local, LP_JOB_RUNNER_ERROR, LP_JOB_RUNNER_ERROR_FAILED,
          "capability %s failed: its fragment took no frame of the segment "
          "(it does not take this video)", capability->name);
    else
      g_set_error (&local, LP_JOB_RUNNER_ERROR, LP_JOB_RUNNER_ERROR_INPUT,
          "no frame of the segment's video could be decoded");
  }
  if (ok && (capability->outputs & LP_JOB_OUTPUT_VIDEO) && run.video->len == 0) {
    ok = FALSE;
    g_set_error (&local, LP_JOB_RUNNER_ERROR, LP_JOB_RUNNER_ERROR_FAILED,
        "capability %s gave no video", capability->name);
  }
  if (!ok) {
    g_propagate_error (error, local);
    goto done;
  }

  if (GST_CLOCK_TIME_IS_VALID (run.first_pts))
    duration = run.end_pts - run.first_pts;
  output = g_new0 (LpJobOutput, 1);
  output->frames = run.frames;
  output->width = run.width;
  output->height = run.height;
  output->duration = duration;
  output->units = lp_job_units (capability->unit, run.frames, run.width,
      run.height, duration);
  if (capability->outputs & LP_JOB_OUTPUT_VIDEO)
    output->video = aligned_video (g_byte_array_free_to_bytes
        (g_steal_pointer (&run.video)), segment);
  if (capability->outputs & LP_JOB_OUTPUT_METADATA)
    output->metadata = metadata_document (capability, seq, &run, duration);

done:
  if (run.video != NULL)
    g_byte_array_unref (run.video);
  json_array_unref (run.messages);
  g_mutex_clear (&run.lock);
  return output;
}

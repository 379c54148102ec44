/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The rendition module (see lprendition.h): freeing an orchestrator's
 * #LpRendition; inspecting a received rendition (decoded or parsed frames,
 * sizes, pixels, codecs) and checking its quality against its source with
 * lpverify; muxing the source's audio into a video-only rendition. Each
 * check runs a pipeline of its own, in the caller's thread.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/app/gstappsink.h>
#include <gst/livepeer/lppipeline.h>
#include <gst/pbutils/pbutils.h>

#include "lprendition.h"
#include "lpbroadcastclient.h"

/* a 2 s rendition decodes in well under a second */
#define INSPECTION_TIMEOUT_US (30 * G_USEC_PER_SEC)

/**
 * lp_rendition_free:
 * @rendition: (nullable) (transfer full): a rendition
 */
void
lp_rendition_free (LpRendition * rendition)
{
  if (rendition == NULL)
    return;
  g_clear_pointer (&rendition->data, g_bytes_unref);
  g_free (rendition);
}

/**
 * lp_rendition_info_clear:
 * @info: a rendition's info
 *
 * Frees what @info holds.
 */
void
lp_rendition_info_clear (LpRenditionInfo * info)
{
  g_clear_pointer (&info->codecs, g_free);
}

static GstElement *
inspection_pipeline (gboolean decode, GstElement ** src, GstElement ** sink,
    GstElement ** parse, GError ** error)
{
  GstElement *pipeline = gst_parse_launch_full (decode ?
      "appsrc name=src ! tsdemux ! h264parse name=parse ! "
      "avdec_h264 max-threads=1 ! appsink name=sink sync=false" :
      "appsrc name=src ! tsdemux ! h264parse name=parse ! "
      "video/x-h264,stream-format=avc,alignment=au ! "
      "appsink name=sink sync=false",
      NULL, GST_PARSE_FLAG_FATAL_ERRORS, error);

  if (pipeline == NULL)
    return NULL;
  *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  *parse = gst_bin_get_by_name (GST_BIN (pipeline), "parse");
  return pipeline;
}

static void
count_sample (GstSample * sample, LpRenditionInfo * info)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstCaps *caps = gst_sample_get_caps (sample);
  GstStructure *s = gst_caps_get_structure (caps, 0);
  gint width = 0, height = 0;

  gst_structure_get_int (s, "width", &width);
  gst_structure_get_int (s, "height", &height);
  info->width = width;
  info->height = height;
  info->frames++;
  info->pixels += (guint64) width *height;
  if (GST_BUFFER_PTS_IS_VALID (buffer)) {
    GstClockTime end = GST_BUFFER_PTS (buffer) +
        (GST_BUFFER_DURATION_IS_VALID (buffer) ? GST_BUFFER_DURATION (buffer)
        : 0);

    if (!GST_CLOCK_TIME_IS_VALID (info->first_pts)
        || GST_BUFFER_PTS (buffer) < info->first_pts)
      info->first_pts = GST_BUFFER_PTS (buffer);
    if (!GST_CLOCK_TIME_IS_VALID (info->end_pts) || end > info->end_pts)
      info->end_pts = end;
  }
}

static gboolean
pipeline_error (GstElement * pipeline, GError ** error)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  GError *err = NULL;

  gst_object_unref (bus);
  if (msg == NULL)
    return FALSE;
  gst_message_parse_error (msg, &err, NULL);
  g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_RENDITION,
      "the rendition does not decode: %s", err->message);
  g_error_free (err);
  gst_message_unref (msg);
  return TRUE;
}

static gboolean
bus_has_error (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_peek (bus);
  gboolean found = FALSE;

  /* peek only looks at the head: scan without consuming */
  while (msg != NULL && !found) {
    found = GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR;
    gst_message_unref (msg);
    if (!found) {
      msg = gst_bus_pop (bus);
      gst_message_unref (msg);
      msg = gst_bus_peek (bus);
    }
  }
  gst_object_unref (bus);
  return found;
}

/**
 * lp_rendition_inspect:
 * @ts: (transfer none): an MPEG-TS rendition
 * @decode: decode it (count decoded frames and pixels, as go-livepeer's
 *     pixel check does) or only parse it (frames and sizes of the
 *     H.264 stream)
 * @info: (out caller-allocates): what it holds; clear it with
 *     lp_rendition_info_clear()
 * @error: (nullable): return location for a #GError
 *
 * Returns: %TRUE when the rendition holds at least one H.264 frame and
 *     decoded (or parsed) without error
 */
gboolean
lp_rendition_inspect (GBytes * ts, gboolean decode, LpRenditionInfo * info,
    GError ** error)
{
  GstElement *src = NULL, *sink = NULL, *parse = NULL;
  GstElement *pipeline;
  GstSample *sample;
  GstPad *pad;
  GstCaps *caps;
  gint64 deadline;
  gboolean ok;

  memset (info, 0, sizeof (*info));
  info->first_pts = info->end_pts = GST_CLOCK_TIME_NONE;
  pipeline = inspection_pipeline (decode, &src, &sink, &parse, error);
  if (pipeline == NULL)
    return FALSE;
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    if (!pipeline_error (pipeline, error))
      g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_RENDITION,
          "could not start the rendition decoder");
    ok = FALSE;
    goto done;
  }
  lp_appsrc_push_ts (src, ts);
  /* an error (not MPEG-TS, no video) never reaches the appsink as EOS, so
   * the bus is watched between samples */
  deadline = g_get_monotonic_time () + INSPECTION_TIMEOUT_US;
  while (!gst_app_sink_is_eos (GST_APP_SINK (sink))
      && g_get_monotonic_time () < deadline) {
    sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
        50 * GST_MSECOND);
    if (sample != NULL) {
      count_sample (sample, info);
      gst_sample_unref (sample);
    } else if (bus_has_error (pipeline)) {
      break;
    }
  }
  if (!gst_app_sink_is_eos (GST_APP_SINK (sink)) && !bus_has_error (pipeline)) {
    g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_RENDITION,
        "the rendition did not decode within %d s",
        (gint) (INSPECTION_TIMEOUT_US / G_USEC_PER_SEC));
    ok = FALSE;
    goto done;
  }
  pad = gst_element_get_static_pad (parse, "src");
  caps = gst_pad_get_current_caps (pad);
  if (caps != NULL) {
    info->codecs = gst_codec_utils_caps_get_mime_codec (caps);
    gst_caps_unref (caps);
  }
  gst_object_unref (pad);
  ok = !pipeline_error (pipeline, error);
  if (ok && info->frames == 0) {
    g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_RENDITION,
        "the rendition holds no H.264 frame");
    ok = FALSE;
  }
done:
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (parse);
  gst_object_unref (pipeline);
  if (!ok)
    lp_rendition_info_clear (info);
  return ok;
}

static GstElement *
quality_pipeline (guint n_renditions, GError ** error)
{
  /* unbounded queues: every input is one whole segment pushed at once */
  const gchar *decode = "tsdemux ! h264parse ! avdec_h264 max-threads=1 ! "
      "queue max-size-buffers=0 max-size-bytes=0 max-size-time=0";
  GString *desc = g_string_new (NULL);
  GstElement *pipeline;
  guint i;

  g_string_append_printf (desc, "lpverify name=v ! fakesink sync=false "
      "appsrc name=ref ! %s ! v.reference ", decode);
  for (i = 0; i < n_renditions; i++)
    g_string_append_printf (desc, "appsrc name=r%u ! %s ! v.sink_%u "
        "v.src_%u ! fakesink sync=false ", i, decode, i, i);
  pipeline = gst_parse_launch_full (desc->str, NULL,
      GST_PARSE_FLAG_FATAL_ERRORS, error);
  g_string_free (desc, TRUE);
  return pipeline;
}

static void
push_segment (GstElement * pipeline, const gchar * name, GBytes * ts)
{
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), name);

  lp_appsrc_push_ts (src, ts);
  gst_object_unref (src);
}

/* Keeps lpverify's final result; stops the wait at every element message,
 * so that each restarts the clock */
static gboolean
keep_final_result (GstMessage * msg, gpointer user_data)
{
  GstStructure **result = user_data;
  const GstStructure *s = gst_message_get_structure (msg);
  gboolean final = FALSE;

  if (gst_structure_has_name (s, "lpverify-result")
      && gst_structure_get_boolean (s, "final", &final) && final) {
    if (*result != NULL)
      gst_structure_free (*result);
    *result = gst_structure_copy (s);
  }
  return FALSE;
}

/* The final lpverify-result of @pipeline, run to its end: the check may
 * take as long as it keeps posting, each message within the timeout of
 * the last. */
static GstStructure *
run_quality_check (GstElement * pipeline, GError ** error)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstStructure *result = NULL;
  GstMessage *msg = NULL;
  LpPipelineEnd end;

  do
    end = lp_pipeline_wait (bus, INSPECTION_TIMEOUT_US * GST_USECOND, NULL,
        GST_MESSAGE_ELEMENT, keep_final_result, &result, &msg);
  while (end == LP_PIPELINE_STOPPED);
  gst_object_unref (bus);
  if (end == LP_PIPELINE_ERROR) {
    GError *err = NULL;

    gst_message_parse_error (msg, &err, NULL);
    g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_RENDITION,
        "quality check: %s", err->message);
    g_error_free (err);
    gst_message_unref (msg);
  }
  if (end == LP_PIPELINE_TIMEOUT && (error == NULL || *error == NULL))
    g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_RENDITION,
        "quality check did not end within %d s",
        (gint) (INSPECTION_TIMEOUT_US / G_USEC_PER_SEC));
  if (result == NULL && (error == NULL || *error == NULL))
    g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_RENDITION,
        "quality check: lpverify posted no final result");
  if (error != NULL && *error != NULL)
    g_clear_pointer (&result, gst_structure_free);
  return result;
}

/**
 * lp_rendition_check_quality:
 * @source: (transfer none): the MPEG-TS segment sent
 * @renditions: (array length=n_renditions): the renditions received, in
 *     profile order
 * @n_renditions: how many
 * @error: (nullable): return location for a #GError
 *
 * Decodes the segment and its renditions and runs `lpverify` (frames,
 * sizes, PSNR, SSIM and its other checks) over them.
 *
 * Returns: (transfer full) (nullable): lpverify's final `lpverify-result`
 *     structure (its `verdict` says whether every rendition passed);
 *     %NULL when the check could not run
 */
GstStructure *
lp_rendition_check_quality (GBytes * source, GBytes * const *renditions,
    guint n_renditions, GError ** error)
{
  GstElement *pipeline = quality_pipeline (n_renditions, error);
  GstStructure *result = NULL;
  guint i;

  if (pipeline == NULL)
    return NULL;
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    result = run_quality_check (pipeline, error);
  } else {
    push_segment (pipeline, "ref", source);
    for (i = 0; i < n_renditions; i++) {
      gchar name[16];

      g_snprintf (name, sizeof (name), "r%u", i);
      push_segment (pipeline, name, renditions[i]);
    }
    result = run_quality_check (pipeline, error);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return result;
}

static GstBuffer *
shifted (GstBuffer * buffer, GstClockTimeDiff offset)
{
  GstBuffer *copy = gst_buffer_copy (buffer);

  if (GST_BUFFER_PTS_IS_VALID (copy))
    GST_BUFFER_PTS (copy) = MAX (0, (GstClockTimeDiff) GST_BUFFER_PTS (copy)
        + offset);
  if (GST_BUFFER_DTS_IS_VALID (copy))
    GST_BUFFER_DTS (copy) = MAX (0, (GstClockTimeDiff) GST_BUFFER_DTS (copy)
        + offset);
  return copy;
}

/**
 * lp_rendition_add_audio:
 * @rendition: (transfer none): a video-only MPEG-TS rendition of @source
 * @source: the segment it was transcoded from, with its audio
 * @error: (nullable): return location for a #GError
 *
 * Muxes the source's audio into the rendition (stream copy, as a
 * go-livepeer orchestrator does), moved onto the rendition's time line:
 * the rendition's first frame is the source's first.
 *
 * Returns: (transfer full) (nullable): the rendition with audio
 */
GBytes *
lp_rendition_add_audio (GBytes * rendition, const LpSegmentData * source,
    GError ** error)
{
  g_autoptr (LpSegmentData) video = lp_segment_data_demux (rendition,
      error);
  GstClockTimeDiff offset;
  guint i;

  if (video == NULL)
    return NULL;
  offset = GST_CLOCK_DIFF (source->start, video->start);
  video->audio = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  video->audio_caps = gst_caps_ref (source->audio_caps);
  for (i = 0; i < source->audio->len; i++)
    g_ptr_array_add (video->audio, shifted (g_ptr_array_index (source->audio,
                i), offset));
  return lp_segment_data_mux (video, error);
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * livepeersink's segmenter (see lpsegmenter.h): cutting parsed access
 * units into segments, muxing one segment into MPEG-TS, and demuxing a
 * rendition's video back into access units. The segmenter is fed by one
 * streaming thread; muxing and demuxing run a pipeline of their own in
 * the caller's thread.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/livepeer/lppipeline.h>

#include "lpsegmenter.h"

/* a keyframe this close to the target still cuts (timestamps rounded to
 * the clock's precision) */
#define CUT_TOLERANCE (GST_MSECOND)
/* muxing one segment takes milliseconds */
#define MUX_TIMEOUT (10 * GST_SECOND)

struct _LpSegmenter
{
  GstClockTime target;
  GstCaps *caps;
  LpSegmentData *current;
};

/**
 * lp_segment_data_free:
 * @data: (transfer full) (nullable): a segment's access units
 */
void
lp_segment_data_free (LpSegmentData * data)
{
  if (data == NULL)
    return;
  g_ptr_array_unref (data->buffers);
  gst_clear_caps (&data->caps);
  if (data->audio != NULL)
    g_ptr_array_unref (data->audio);
  gst_clear_caps (&data->audio_caps);
  g_free (data);
}

/**
 * lp_segmenter_new:
 * @target: the shortest segment; a segment ends at the first keyframe at
 *     least this long after its start
 *
 * Returns: (transfer full): a segmenter; not thread safe (one streaming
 *     thread feeds it)
 */
LpSegmenter *
lp_segmenter_new (GstClockTime target)
{
  LpSegmenter *segmenter = g_new0 (LpSegmenter, 1);

  segmenter->target = target;
  return segmenter;
}

/**
 * lp_segmenter_free:
 * @segmenter: (transfer full): a segmenter
 */
void
lp_segmenter_free (LpSegmenter * segmenter)
{
  lp_segment_data_free (segmenter->current);
  gst_clear_caps (&segmenter->caps);
  g_free (segmenter);
}

/**
 * lp_segmenter_set_caps:
 * @segmenter: a segmenter
 * @caps: (transfer none): the stream's caps from now on
 *
 * New caps start a new segment at the next access unit.
 */
void
lp_segmenter_set_caps (LpSegmenter * segmenter, GstCaps * caps)
{
  gst_caps_replace (&segmenter->caps, caps);
}

static GstClockTime
buffer_time (GstBuffer * buffer)
{
  return GST_BUFFER_PTS_IS_VALID (buffer) ? GST_BUFFER_PTS (buffer) :
      GST_BUFFER_DTS (buffer);
}

static LpSegmentData *
segment_start (LpSegmenter * segmenter)
{
  LpSegmentData *data = g_new0 (LpSegmentData, 1);

  data->buffers = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  data->caps = segmenter->caps ? gst_caps_ref (segmenter->caps) : NULL;
  data->start = data->end = GST_CLOCK_TIME_NONE;
  return data;
}

static gboolean
should_cut (LpSegmenter * segmenter, GstBuffer * buffer)
{
  LpSegmentData *current = segmenter->current;
  GstClockTime time = buffer_time (buffer);

  if (current == NULL || current->buffers->len == 0)
    return FALSE;
  if (current->caps != segmenter->caps)
    return TRUE;
  /* a keyframe that is a whole access unit (h264parse marks the end of
   * each; what it flushes at the end of a stream, headers without a
   * picture, has no marker and stays in the segment) */
  if (GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT)
      || !GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_MARKER)
      || !GST_CLOCK_TIME_IS_VALID (time)
      || !GST_CLOCK_TIME_IS_VALID (current->start))
    return FALSE;
  return time + CUT_TOLERANCE >= current->start + segmenter->target;
}

/**
 * lp_segmenter_push:
 * @segmenter: a segmenter
 * @buffer: (transfer none): the next access unit
 *
 * Returns: (transfer full) (nullable): the segment @buffer ends (it starts
 *     the next), or %NULL
 */
LpSegmentData *
lp_segmenter_push (LpSegmenter * segmenter, GstBuffer * buffer)
{
  LpSegmentData *done = NULL;
  GstClockTime time = buffer_time (buffer);

  if (should_cut (segmenter, buffer))
    done = g_steal_pointer (&segmenter->current);
  if (segmenter->current == NULL)
    segmenter->current = segment_start (segmenter);
  g_ptr_array_add (segmenter->current->buffers, gst_buffer_ref (buffer));
  if (GST_CLOCK_TIME_IS_VALID (time)) {
    GstClockTime end = time + (GST_BUFFER_DURATION_IS_VALID (buffer) ?
        GST_BUFFER_DURATION (buffer) : 0);
    LpSegmentData *current = segmenter->current;

    if (!GST_CLOCK_TIME_IS_VALID (current->start) || time < current->start)
      current->start = time;
    if (!GST_CLOCK_TIME_IS_VALID (current->end) || end > current->end)
      current->end = end;
  }
  return done;
}

/**
 * lp_segmenter_flush:
 * @segmenter: a segmenter
 *
 * Returns: (transfer full) (nullable): the segment in progress (at the
 *     end of the stream), or %NULL when it has no access unit
 */
LpSegmentData *
lp_segmenter_flush (LpSegmenter * segmenter)
{
  LpSegmentData *done = g_steal_pointer (&segmenter->current);

  if (done != NULL && done->buffers->len == 0)
    g_clear_pointer (&done, lp_segment_data_free);
  return done;
}

static void
push_all (GstElement * pipeline, const gchar * name, GstCaps * caps,
    GPtrArray * buffers)
{
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), name);
  guint i;

  g_object_set (src, "caps", caps, "max-bytes", (guint64) 0, NULL);
  for (i = 0; i < buffers->len; i++)
    gst_app_src_push_buffer (GST_APP_SRC (src),
        gst_buffer_ref (g_ptr_array_index (buffers, i)));
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  gst_object_unref (src);
}

/**
 * lp_segment_data_mux:
 * @data: a segment's access units (and audio frames)
 * @error: (nullable): return location for a #GError
 *
 * Muxes @data into MPEG-TS with a muxer of its own (so that the segment
 * starts with PAT and PMT), timestamps as they are.
 *
 * Returns: (transfer full) (nullable): the MPEG-TS bytes
 */
GBytes *
lp_segment_data_mux (const LpSegmentData * data, GError ** error)
{
  gboolean audio = data->audio != NULL && data->audio->len > 0
      && data->audio_caps != NULL;
  GstElement *pipeline, *sink;
  GByteArray *out = g_byte_array_new ();
  GstMessage *msg;
  gboolean eos;
  GstBus *bus;

  /* time segments from 0: running time = the stream's timestamps, so
   * segments follow each other in the muxed time line */
  pipeline = gst_parse_launch_full (audio ?
      "appsrc name=src format=time ! mpegtsmux name=mux ! "
      "appsink name=sink sync=false "
      "appsrc name=audio format=time ! mux." :
      "appsrc name=src format=time ! mpegtsmux ! appsink name=sink "
      "sync=false", NULL, GST_PARSE_FLAG_FATAL_ERRORS, error);
  if (pipeline == NULL) {
    g_byte_array_unref (out);
    return NULL;
  }
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  push_all (pipeline, "src", data->caps, data->buffers);
  if (audio)
    push_all (pipeline, "audio", data->audio_caps, data->audio);
  eos = lp_app_sink_collect (GST_APP_SINK (sink), MUX_TIMEOUT, out);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  if (msg != NULL || !eos || out->len == 0) {
    GError *err = NULL;

    if (msg != NULL)
      gst_message_parse_error (msg, &err, NULL);
    g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_MUX,
        "Could not mux a segment: %s", err ? err->message : "no output");
    g_clear_error (&err);
    g_clear_pointer (&out, g_byte_array_unref);
  }
  if (msg != NULL)
    gst_message_unref (msg);
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return out ? g_byte_array_free_to_bytes (out) : NULL;
}

/**
 * lp_segment_data_demux:
 * @ts: (transfer none): MPEG-TS bytes (a rendition)
 * @error: (nullable): return location for a #GError
 *
 * The reverse of lp_segment_data_mux(), for the video: the H.264 access
 * units of @ts, timestamps as muxed.
 *
 * Returns: (transfer full) (nullable): its access units, without audio
 */
LpSegmentData *
lp_segment_data_demux (GBytes * ts, GError ** error)
{
  GstElement *pipeline = gst_parse_launch_full ("appsrc name=src ! tsdemux "
      "! h264parse ! video/x-h264,stream-format=byte-stream,alignment=au ! "
      "appsink name=sink sync=false", NULL, GST_PARSE_FLAG_FATAL_ERRORS,
      error);
  LpSegmentData *data;
  GstElement *src, *sink;
  GstSample *sample;

  if (pipeline == NULL)
    return NULL;
  data = g_new0 (LpSegmentData, 1);
  data->buffers = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  data->start = data->end = GST_CLOCK_TIME_NONE;
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  lp_appsrc_push_ts (src, ts);
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
              MUX_TIMEOUT)) != NULL) {
    GstBuffer *buffer = gst_sample_get_buffer (sample);
    GstClockTime time = buffer_time (buffer);

    if (data->caps == NULL)
      data->caps = gst_caps_ref (gst_sample_get_caps (sample));
    if (GST_CLOCK_TIME_IS_VALID (time)
        && (!GST_CLOCK_TIME_IS_VALID (data->start) || time < data->start))
      data->start = time;
    g_ptr_array_add (data->buffers, gst_buffer_ref (buffer));
    gst_sample_unref (sample);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  if (data->buffers->len == 0 || data->caps == NULL
      || !GST_CLOCK_TIME_IS_VALID (data->start)) {
    g_set_error (error, GST_STREAM_ERROR, GST_STREAM_ERROR_DEMUX,
        "the rendition holds no H.264 video");
    lp_segment_data_free (data);
    return NULL;
  }
  return data;
}

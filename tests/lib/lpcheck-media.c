/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lpcheck's media: segments made with videotestsrc and x264enc, and
 * renditions or streams decoded and counted, a pipeline waited to its end
 * with its warnings and element messages. Every failure fails the test.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpcheck.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>

/* Waits for the end of @pipeline, already started: %NULL at EOS, the
 * message at an error (transfer full). On the way, warnings are appended to
 * *@warnings (transfer full) and every element message is shown to
 * @on_element. Fails the test when neither comes within @timeout of the
 * last message. */
GstMessage *
lp_check_wait_eos (GstElement * pipeline, GstClockTime timeout,
    GList ** warnings, LpCheckElementFunc on_element, gpointer user_data)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *error = NULL;
  gboolean ended = FALSE;

  while (!ended) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, timeout,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING |
        GST_MESSAGE_ELEMENT);

    fail_unless (msg != NULL, "pipeline neither finished nor failed in time");
    switch (GST_MESSAGE_TYPE (msg)) {
      case GST_MESSAGE_ERROR:
        error = msg;
        ended = TRUE;
        break;
      case GST_MESSAGE_WARNING:
        *warnings = g_list_append (*warnings, msg);
        break;
      case GST_MESSAGE_ELEMENT:
        on_element (gst_message_get_structure (msg), user_data);
        gst_message_unref (msg);
        break;
      default:                 /* EOS */
        gst_message_unref (msg);
        ended = TRUE;
        break;
    }
  }
  gst_object_unref (bus);
  return error;
}

/* Runs the pipeline @desc into an appsink to its end: every byte it made. */
GBytes *
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

/* @frames frames of a moving @width x @height pattern at 30 fps as H.264
 * in MPEG-TS, a keyframe every @gop frames (the first frame is one). */
GBytes *
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

/* Decodes an MPEG-TS rendition: its frame count and size. */
void
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

/* Plays @uri to its end (uridecodebin, so hlsdemux for a playlist) and
 * counts the decoded video frames; fails on an error or after @timeout. */
guint
lp_test_count_frames (const gchar * uri, GstClockTime timeout)
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

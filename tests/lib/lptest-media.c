/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lptest's media: running a pipeline to its end, draining an appsink, and
 * the span a segment's video covers. No libcheck (lpcheck-media.c holds
 * the media helpers that fail a test).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lptest.h"

#include <gst/app/gstappsink.h>
#include <gst/livepeer/lpmpegts.h>

/* Sets @pipeline to PLAYING, waits (without a limit) for its EOS or
 * error, and sets it back to NULL; FALSE with @error when it did not
 * start or posted an error. */
gboolean
lp_test_run_to_eos (GstElement * pipeline, GError ** error)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  gboolean ok = TRUE;

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE,
        "could not start");
    ok = FALSE;
    goto done;
  }
  msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gst_message_parse_error (msg, error, NULL);
    ok = FALSE;
  }
  gst_message_unref (msg);

done:
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  return ok;
}

/* Appends every buffer @sink gets, until its EOS, to @out */
void
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

/* What a segment's declared duration must cover: its video's PTS span,
 * in milliseconds rounded up (2000 when it has no video timestamps). */
guint
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

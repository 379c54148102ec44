/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of lpmpegts: a segment's video span and moving its time line,
 * on packets written byte by byte from ISO/IEC 13818-1 (PES timestamps
 * and PCR bases worked out by hand, below) and on what mpegtsmux writes.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>

#include "lpcheck.h"
#include <gst/livepeer/lpmpegts.h>

#define PACKET 188
#define VIDEO_PID 0x100
#define AUDIO_PID 0x101

/* PES timestamps: 4 prefix bits ('0011' PTS before a DTS, '0001' that
 * DTS, '0010' a PTS alone), bits 32-30, marker, 29-15, marker, 14-0,
 * marker. PCR: 33-bit base, 6 reserved bits (1), 9-bit extension (0). */
static const guint8 pts_90000_with_dts[5] = { 0x31, 0x00, 0x05, 0xbf, 0x21 };
static const guint8 dts_87000[5] = { 0x11, 0x00, 0x05, 0xa7, 0xb1 };
static const guint8 pts_93000[5] = { 0x21, 0x00, 0x05, 0xd6, 0x91 };
static const guint8 pts_90000_alone[5] = { 0x21, 0x00, 0x05, 0xbf, 0x21 };
static const guint8 pcr_90000[6] = { 0x00, 0x00, 0xaf, 0xc8, 0x7e, 0x00 };
/* the same, one second (90 000 ticks) later */
static const guint8 pts_180000_with_dts[5] = { 0x31, 0x00, 0x0b, 0x7e, 0x41 };
static const guint8 dts_177000[5] = { 0x11, 0x00, 0x0b, 0x66, 0xd1 };
static const guint8 pts_183000[5] = { 0x21, 0x00, 0x0b, 0x95, 0xb1 };
static const guint8 pts_180000_alone[5] = { 0x21, 0x00, 0x0b, 0x7e, 0x41 };
static const guint8 pcr_180000[6] = { 0x00, 0x01, 0x5f, 0x90, 0x7e, 0x00 };

/* offsets of the fields in the packets below */
#define PCR_AT 6
#define VIDEO_PTS_AT (4 + 8 + 9)
#define VIDEO_DTS_AT (VIDEO_PTS_AT + 5)
#define PLAIN_PTS_AT (4 + 9)

static void
header (guint8 * p, guint pid, gboolean start, guint control)
{
  memset (p, 0xff, PACKET);
  p[0] = 0x47;
  p[1] = (start ? 0x40 : 0) | (pid >> 8);
  p[2] = pid & 0xff;
  p[3] = control << 4;
}

static void
pes_header (guint8 * p, guint8 stream_id, guint flags, guint length)
{
  p[0] = p[1] = 0;
  p[2] = 1;
  p[3] = stream_id;
  p[4] = p[5] = 0;
  p[6] = 0x80;
  p[7] = flags << 6;
  p[8] = length;
}

/* Five packets: a video keyframe (PCR, PTS 90000, DTS 87000), a PAT, an
 * audio frame (PTS 90000), a continuation of the video PES (no header),
 * the next video frame (PTS 93000). @prefix bytes before each (M2TS: 4). */
static GByteArray *
make_stream (guint prefix)
{
  GByteArray *ts = g_byte_array_new ();
  guint8 p[PACKET];
  guint8 pre[4] = { 0x12, 0x34, 0x56, 0x78 };
  guint i;

  for (i = 0; i < 5; i++) {
    switch (i) {
      case 0:                  /* adaptation field with a PCR, then payload */
        header (p, VIDEO_PID, TRUE, 3);
        p[4] = 7;
        p[5] = 0x10;
        memcpy (p + PCR_AT, pcr_90000, 6);
        pes_header (p + 12, 0xe0, 3, 10);
        memcpy (p + VIDEO_PTS_AT, pts_90000_with_dts, 5);
        memcpy (p + VIDEO_DTS_AT, dts_87000, 5);
        break;
      case 1:                  /* PAT: pointer field 0, table id 0 */
        header (p, 0, TRUE, 1);
        p[4] = 0;
        p[5] = 0;
        p[6] = 0xb0;
        p[7] = 0x0d;
        break;
      case 2:
        header (p, AUDIO_PID, TRUE, 1);
        pes_header (p + 4, 0xc0, 2, 5);
        memcpy (p + PLAIN_PTS_AT, pts_90000_alone, 5);
        break;
      case 3:                  /* payload that happens to look like a PES */
        header (p, VIDEO_PID, FALSE, 1);
        pes_header (p + 4, 0xe0, 2, 5);
        memcpy (p + PLAIN_PTS_AT, pts_180000_alone, 5);
        break;
      case 4:
        header (p, VIDEO_PID, TRUE, 1);
        pes_header (p + 4, 0xe0, 2, 5);
        memcpy (p + PLAIN_PTS_AT, pts_93000, 5);
        break;
    }
    if (prefix)
      g_byte_array_append (ts, pre, prefix);
    g_byte_array_append (ts, p, PACKET);
  }
  return ts;
}

static const guint8 *
packet_at (GByteArray * ts, guint prefix, guint index)
{
  return ts->data + index * (prefix + PACKET) + prefix;
}

static void
check_span (GByteArray * ts, guint64 start, guint64 end, guint frames)
{
  LpMpegtsSpan span;

  fail_unless (lp_mpegts_video_span (ts->data, ts->len, &span));
  fail_unless_equals_uint64 (span.start, start);
  fail_unless_equals_uint64 (span.end, end);
  fail_unless_equals_int (span.frames, frames);
}

static void
check_shift (guint prefix)
{
  GByteArray *ts = make_stream (prefix);
  GByteArray *before = g_byte_array_new ();

  g_byte_array_append (before, ts->data, ts->len);
  /* two video frames 3000 ticks apart; the continuation and the audio do
   * not count */
  check_span (ts, 90000, 96000, 2);

  /* PCR, PTS, DTS, audio PTS, next PTS: 5 moved */
  fail_unless_equals_int (lp_mpegts_shift (ts->data, ts->len, 90000), 5);
  fail_unless (memcmp (packet_at (ts, prefix, 0) + PCR_AT, pcr_180000,
          6) == 0);
  fail_unless (memcmp (packet_at (ts, prefix, 0) + VIDEO_PTS_AT,
          pts_180000_with_dts, 5) == 0);
  fail_unless (memcmp (packet_at (ts, prefix, 0) + VIDEO_DTS_AT, dts_177000,
          5) == 0);
  fail_unless (memcmp (packet_at (ts, prefix, 2) + PLAIN_PTS_AT,
          pts_180000_alone, 5) == 0);
  fail_unless (memcmp (packet_at (ts, prefix, 4) + PLAIN_PTS_AT, pts_183000,
          5) == 0);
  /* the PAT and the continuation are untouched */
  fail_unless (memcmp (packet_at (ts, prefix, 1), packet_at (before, prefix,
              1), PACKET) == 0);
  fail_unless (memcmp (packet_at (ts, prefix, 3), packet_at (before, prefix,
              3), PACKET) == 0);
  check_span (ts, 180000, 186000, 2);

  /* and back: the very same bytes */
  fail_unless_equals_int (lp_mpegts_shift (ts->data, ts->len, -90000), 5);
  fail_unless (memcmp (ts->data, before->data, ts->len) == 0);
  g_byte_array_unref (before);
  g_byte_array_unref (ts);
}

GST_START_TEST (test_span_and_shift)
{
  check_shift (0);
}

GST_END_TEST;

/* M2TS: a 4-byte time code before each packet */
GST_START_TEST (test_m2ts)
{
  check_shift (4);
}

GST_END_TEST;

/* Moving across the 33-bit wrap: the segment's first frame just before
 * it, the next one after it; the span still starts at the first */
GST_START_TEST (test_wrap)
{
  GByteArray *ts = make_stream (0);
  const guint64 top = LP_MPEGTS_TIMESTAMP_MASK + 1;
  LpMpegtsSpan span;

  lp_mpegts_shift (ts->data, ts->len, -90000 - 1500);
  fail_unless (lp_mpegts_video_span (ts->data, ts->len, &span));
  fail_unless_equals_uint64 (span.start, top - 1500);
  fail_unless_equals_uint64 (span.end, 4500);
  fail_unless_equals_int64 (lp_mpegts_diff (span.end, span.start), 6000);
  fail_unless_equals_int64 (lp_mpegts_diff (span.start, span.end), -6000);
  g_byte_array_unref (ts);
}

GST_END_TEST;

/* lp_mpegts_align() returns the same bytes when already aligned, a moved
 * copy otherwise; nothing without video is changed */
GST_START_TEST (test_align)
{
  GByteArray *ts = make_stream (0);
  GBytes *bytes = g_bytes_new (ts->data, ts->len);
  GBytes *same = lp_mpegts_align (bytes, 90000);
  GBytes *moved = lp_mpegts_align (bytes, 180000);
  GBytes *junk = g_bytes_new_static ("not a transport stream", 22);
  GBytes *junk_aligned = lp_mpegts_align (junk, 180000);
  LpMpegtsSpan span;
  gsize size;
  const guint8 *data = g_bytes_get_data (moved, &size);

  fail_unless (same == bytes);
  fail_unless (moved != bytes);
  fail_unless (lp_mpegts_video_span (data, size, &span));
  fail_unless_equals_uint64 (span.start, 180000);
  /* the original is left as it was */
  data = g_bytes_get_data (bytes, &size);
  fail_unless (lp_mpegts_video_span (data, size, &span));
  fail_unless_equals_uint64 (span.start, 90000);
  fail_unless (junk_aligned == junk);
  fail_if (lp_mpegts_video_span ((const guint8 *) "x", 1, &span));
  fail_unless_equals_int (lp_mpegts_shift (NULL, 0, 1), 0);
  g_bytes_unref (junk_aligned);
  g_bytes_unref (junk);
  g_bytes_unref (moved);
  g_bytes_unref (same);
  g_bytes_unref (bytes);
  g_byte_array_unref (ts);
}

GST_END_TEST;

static gboolean
have_elements (const gchar * const *names)
{
  for (; *names != NULL; names++) {
    GstElementFactory *factory = gst_element_factory_find (*names);

    if (factory == NULL) {
      GST_WARNING ("no %s: skipped", *names);
      return FALSE;
    }
    gst_object_unref (factory);
  }
  return TRUE;
}

/* Runs @description to EOS; its appsink "sink" gives samples to @take. */
static void
run_pipeline (const gchar * description, GBytes * input,
    void (*take) (GstSample * sample, gpointer user_data), gpointer user_data)
{
  GstElement *pipeline = gst_parse_launch (description, NULL);
  GstElement *sink, *src;
  GstSample *sample;

  fail_unless (pipeline != NULL);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  if (src != NULL) {
    gst_app_src_push_buffer (GST_APP_SRC (src),
        gst_buffer_new_wrapped_bytes (input));
    gst_app_src_end_of_stream (GST_APP_SRC (src));
    gst_object_unref (src);
  }
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) != NULL) {
    take (sample, user_data);
    gst_sample_unref (sample);
  }
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (sink)));
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

static void
append_bytes (GstSample * sample, gpointer user_data)
{
  GstMapInfo map;
  GstBuffer *buffer = gst_sample_get_buffer (sample);

  gst_buffer_map (buffer, &map, GST_MAP_READ);
  g_byte_array_append (user_data, map.data, map.size);
  gst_buffer_unmap (buffer, &map);
}

static void
count_sample (GstSample * sample, gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* What mpegtsmux writes (B-frames, so PTS out of order): 10 frames at
 * 30 fps span 10 x 3000 ticks (to the muxer's rounding); moved by 5 s they still demux to 10 frames
 * and span the same, 5 s later */
GST_START_TEST (test_mpegtsmux_output)
{
  static const gchar *const needed[] = { "x264enc", "mpegtsmux", "tsdemux",
    "h264parse", "avdec_h264", NULL
  };
  GByteArray *out = g_byte_array_new ();
  GBytes *ts, *moved;
  LpMpegtsSpan span, span_moved;
  gsize size;
  const guint8 *data;
  guint decoded = 0;

  if (!have_elements (needed))
    return;
  run_pipeline ("videotestsrc num-buffers=10 ! "
      "video/x-raw,width=64,height=48,framerate=30/1 ! "
      "x264enc bframes=2 b-adapt=false ! mpegtsmux ! appsink name=sink "
      "sync=false", NULL, append_bytes, out);
  ts = g_byte_array_free_to_bytes (out);
  data = g_bytes_get_data (ts, &size);
  fail_unless (lp_mpegts_video_span (data, size, &span));
  fail_unless_equals_int (span.frames, 10);
  /* 1/30 s is 3000 ticks, less the muxer's rounding of nanoseconds: the
   * smallest step may be 2999 */
  fail_unless (ABS (lp_mpegts_diff (span.end, span.start) - 30000) <= 10,
      "span of %" G_GINT64_FORMAT " ticks", lp_mpegts_diff (span.end,
          span.start));

  moved = lp_mpegts_align (ts, span.start + 5 * LP_MPEGTS_CLOCK_RATE);
  data = g_bytes_get_data (moved, &size);
  fail_unless (lp_mpegts_video_span (data, size, &span_moved));
  fail_unless_equals_uint64 (span_moved.start,
      span.start + 5 * LP_MPEGTS_CLOCK_RATE);
  fail_unless_equals_int64 (lp_mpegts_diff (span_moved.end, span.end),
      5 * LP_MPEGTS_CLOCK_RATE);

  /* a demuxer and decoder take the moved stream whole */
  run_pipeline ("appsrc name=src ! tsdemux ! h264parse ! avdec_h264 ! "
      "appsink name=sink sync=false", g_bytes_ref (moved), count_sample,
      &decoded);
  fail_unless_equals_int (decoded, 10);
  g_bytes_unref (moved);
  g_bytes_unref (ts);
}

GST_END_TEST;

static Suite *
mpegts_suite (void)
{
  Suite *s = suite_create ("lpmpegts");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_span_and_shift);
  tcase_add_test (tc, test_m2ts);
  tcase_add_test (tc, test_wrap);
  tcase_add_test (tc, test_align);
  tcase_add_test (tc, test_mpegtsmux_output);
  return s;
}

GST_CHECK_MAIN (mpegts);

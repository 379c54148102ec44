/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lpswscale: sizes, content, passthrough, refusal to convert formats.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpcheck.h"

#include <gst/check/gstharness.h>
#include <gst/video/video.h>

/* A frame whose luma is a horizontal ramp (0 on the left, ~255 on the
 * right) and whose chroma is flat, so scaling results are predictable. */
static GstBuffer *
make_ramp_frame (const gchar * format, gint width, gint height)
{
  GstVideoInfo info;
  GstVideoFrame frame;
  GstBuffer *buffer;
  gint x, y, p;

  gst_video_info_set_format (&info, gst_video_format_from_string (format),
      width, height);
  buffer = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&info), NULL);
  fail_unless (gst_video_frame_map (&frame, &info, buffer, GST_MAP_WRITE));
  for (y = 0; y < height; y++) {
    guint8 *row = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0) +
        y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);
    for (x = 0; x < width; x++)
      row[x] = (guint8) (x * 255 / (width - 1));
  }
  for (p = 1; p < GST_VIDEO_FRAME_N_PLANES (&frame); p++) {
    for (y = 0; y < GST_VIDEO_FRAME_COMP_HEIGHT (&frame, p); y++)
      memset ((guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, p) +
          y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, p), 128,
          GST_VIDEO_FRAME_PLANE_STRIDE (&frame, p));
  }
  gst_video_frame_unmap (&frame);
  GST_BUFFER_PTS (buffer) = 0;
  GST_BUFFER_DURATION (buffer) = GST_SECOND / 30;
  return buffer;
}

static void
check_scaled (const gchar * format, gint in_w, gint in_h, gint out_w,
    gint out_h)
{
  GstHarness *h = gst_harness_new ("lpswscale");
  gchar *in_caps = g_strdup_printf ("video/x-raw,format=%s,width=%d,"
      "height=%d,framerate=30/1", format, in_w, in_h);
  gchar *out_caps = g_strdup_printf ("video/x-raw,format=%s,width=%d,"
      "height=%d,framerate=30/1", format, out_w, out_h);
  GstVideoInfo info;
  GstVideoFrame frame;
  GstBuffer *out;
  const guint8 *row;

  gst_harness_set_caps_str (h, in_caps, out_caps);
  fail_unless_equals_int (gst_harness_push (h,
          make_ramp_frame (format, in_w, in_h)), GST_FLOW_OK);
  out = gst_harness_pull (h);
  fail_unless (out != NULL);

  gst_video_info_set_format (&info, gst_video_format_from_string (format),
      out_w, out_h);
  fail_unless (gst_buffer_get_size (out) >= GST_VIDEO_INFO_SIZE (&info));
  fail_unless (gst_video_frame_map (&frame, &info, out, GST_MAP_READ));
  /* the ramp survives: dark on the left, bright on the right, middle grey
   * in the middle, and flat chroma stays flat */
  row = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0) +
      (out_h / 2) * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);
  fail_unless (row[0] < 16, "left edge %u", row[0]);
  fail_unless (row[out_w - 1] > 239, "right edge %u", row[out_w - 1]);
  fail_unless (ABS ((gint) row[out_w / 2] - 128) < 12, "middle %u",
      row[out_w / 2]);
  if (GST_VIDEO_FRAME_N_PLANES (&frame) > 1) {
    const guint8 *chroma = GST_VIDEO_FRAME_PLANE_DATA (&frame, 1);
    fail_unless (ABS ((gint) chroma[0] - 128) <= 1, "chroma %u", chroma[0]);
  }
  gst_video_frame_unmap (&frame);
  gst_buffer_unref (out);

  g_free (in_caps);
  g_free (out_caps);
  gst_harness_teardown (h);
}

GST_START_TEST (test_scale_i420_down)
{
  check_scaled ("I420", 640, 480, 320, 240);
  check_scaled ("I420", 1280, 720, 426, 240);
}

GST_END_TEST;

GST_START_TEST (test_scale_other_formats)
{
  check_scaled ("NV12", 640, 360, 256, 144);
  check_scaled ("Y444", 320, 240, 640, 480);
  check_scaled ("Y42B", 320, 240, 160, 120);
}

GST_END_TEST;

GST_START_TEST (test_same_size_is_passthrough)
{
  GstHarness *h = gst_harness_new ("lpswscale");
  GstBuffer *in, *out;

  gst_harness_set_caps_str (h,
      "video/x-raw,format=I420,width=320,height=240,framerate=30/1",
      "video/x-raw,format=I420,width=320,height=240,framerate=30/1");
  in = make_ramp_frame ("I420", 320, 240);
  gst_buffer_ref (in);
  fail_unless_equals_int (gst_harness_push (h, in), GST_FLOW_OK);
  out = gst_harness_pull (h);
  fail_unless (out == in, "same size must not copy");
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_refuses_format_conversion)
{
  GstHarness *h = gst_harness_new ("lpswscale");

  /* a scaler, not a converter: NV12 in cannot become I420 out */
  gst_harness_set_caps_str (h,
      "video/x-raw,format=NV12,width=640,height=480,framerate=30/1",
      "video/x-raw,format=I420,width=320,height=240,framerate=30/1");
  fail_unless_equals_int (gst_harness_push (h, make_ramp_frame ("NV12", 640,
              480)), GST_FLOW_NOT_NEGOTIATED);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_method_property)
{
  GstElement *scale = gst_element_factory_make ("lpswscale", NULL);
  gint method;

  g_object_get (scale, "method", &method, NULL);
  fail_unless_equals_int (method, 2);   /* bicubic */
  gst_util_set_object_arg (G_OBJECT (scale), "method", "lanczos");
  g_object_get (scale, "method", &method, NULL);
  fail_unless_equals_int (method, 3);
  gst_object_unref (scale);
}

GST_END_TEST;

static Suite *
lpswscale_suite (void)
{
  Suite *s = suite_create ("lpswscale");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_scale_i420_down);
  tcase_add_test (tc, test_scale_other_formats);
  tcase_add_test (tc, test_same_size_is_passthrough);
  tcase_add_test (tc, test_refuses_format_conversion);
  tcase_add_test (tc, test_method_property);
  return s;
}

GST_CHECK_MAIN (lpswscale);

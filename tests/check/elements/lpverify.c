/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lpverify: honest x264 renditions at Livepeer's preset bitrates pass;
 * tampered ones (overlay, other scene, other source, frozen, shifted,
 * dropped, wrong size or rate) fail with the right reason; a missing or
 * empty reference is an error; a TranscodeResult signed by the
 * orchestrator over the encoded renditions, reporting their pixels, passes,
 * while another signer, tampered bytes or wrong pixels fail. Set
 * LPVERIFY_PRINT=1 to print the scores.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpcheck.h"

#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpwire.h>
#include <gst/video/video.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <string.h>

#define RUN_TIMEOUT (60 * GST_SECOND)

/* 640x360, 30 fps, 60 frames of moving bars: detail that x264 must work for */
#define REF_SRC "videotestsrc num-buffers=60 pattern=smpte horizontal-speed=4 " \
  "! video/x-raw,format=I420,width=640,height=360,framerate=30/1"
#define X264 "x264enc speed-preset=veryfast key-int-max=60"

typedef struct
{
  GstElement *pipeline;
  GstStructure *final;          /* the final lpverify-result */
  guint interval_results;
  GList *warnings;              /* GstMessage */
  GstMessage *error;
  guint passed_through;         /* buffers at fakesink "out" */
} Run;

static void
count_out (GstElement * sink, GstBuffer * buffer, GstPad * pad, gpointer data)
{
  Run *run = data;

  g_atomic_int_inc (&run->passed_through);
}

static void
run_start (Run * run, const gchar * desc)
{
  GError *error = NULL;
  GstElement *out;

  memset (run, 0, sizeof (*run));
  run->pipeline = gst_parse_launch (desc, &error);
  fail_unless (run->pipeline != NULL, "%s: %s", desc,
      error ? error->message : "?");
  fail_unless (error == NULL, "%s: %s", desc, error ? error->message : "");
  out = gst_bin_get_by_name (GST_BIN (run->pipeline), "out");
  if (out != NULL) {
    g_object_set (out, "signal-handoffs", TRUE, NULL);
    g_signal_connect (out, "handoff", G_CALLBACK (count_out), run);
    gst_object_unref (out);
  }
}

static void
print_result (const GstStructure * s)
{
  const GValue *renditions = gst_structure_get_value (s, "renditions");
  guint i;

  if (g_getenv ("LPVERIFY_PRINT") == NULL || renditions == NULL)
    return;
  for (i = 0; i < gst_value_array_get_size (renditions); i++) {
    const GstStructure *r =
        gst_value_get_structure (gst_value_array_get_value (renditions, i));
    gdouble pm, pp, sm, sp, sh = 0, ssh = 0, share = 0, be = 0, ad = 0, rp = 0;
    guint64 mism;

    gst_structure_get (r, "psnr-y-mean", G_TYPE_DOUBLE, &pm, "psnr-y-p5",
        G_TYPE_DOUBLE, &pp, "ssim-y-mean", G_TYPE_DOUBLE, &sm, "ssim-y-p5",
        G_TYPE_DOUBLE, &sp, "mismatched", G_TYPE_UINT64, &mism, NULL);
    gst_structure_get (r, "sharpness-mean", G_TYPE_DOUBLE, &sh,
        "structure-sharpness", G_TYPE_DOUBLE, &ssh, "noise-share-mean",
        G_TYPE_DOUBLE, &share, "block-error-p95", G_TYPE_DOUBLE, &be,
        "added-structure-mean", G_TYPE_DOUBLE, &ad, "replaced-structure-mean",
        G_TYPE_DOUBLE, &rp, NULL);
    g_printerr ("lpverify-score %s: psnr-y mean %.2f p5 %.2f, ssim-y mean "
        "%.4f p5 %.4f, mismatched %" G_GUINT64_FORMAT ", sharpness %.3f "
        "(structure %.3f, noise share %.3f), block error %.2f, added "
        "structure %.3f, replaced structure %.3f, %s %s\n",
        gst_structure_get_string (r, "pad"), pm, pp, sm, sp, mism, sh, ssh,
        share, be, ad, rp, gst_structure_get_string (r, "verdict"),
        gst_structure_get_string (r, "reason"));
  }
}

/* keeps the final lpverify-result and counts the interval ones */
static void
keep_result (const GstStructure * s, gpointer user_data)
{
  Run *run = user_data;
  gboolean final = FALSE;

  if (!gst_structure_has_name (s, "lpverify-result"))
    return;
  fail_unless (gst_structure_get_boolean (s, "final", &final));
  if (final) {
    fail_unless (run->final == NULL, "two final results");
    run->final = gst_structure_copy (s);
    print_result (s);
  } else {
    run->interval_results++;
  }
}

static void
run_wait (Run * run)
{
  fail_if (gst_element_set_state (run->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  run->error = lp_check_wait_eos (run->pipeline, RUN_TIMEOUT, &run->warnings,
      keep_result, run);
}

static void
run_clear (Run * run)
{
  gst_element_set_state (run->pipeline, GST_STATE_NULL);
  gst_object_unref (run->pipeline);
  g_list_free_full (run->warnings, (GDestroyNotify) gst_message_unref);
  gst_clear_message (&run->error);
  g_clear_pointer (&run->final, gst_structure_free);
}

static void
assert_no_error (Run * run)
{
  if (run->error != NULL) {
    GError *err = NULL;
    gchar *debug = NULL;

    gst_message_parse_error (run->error, &err, &debug);
    fail ("unexpected error: %s (%s)", err->message, debug);
  }
}

static const GstStructure *
rendition (Run * run, guint i)
{
  const GValue *renditions;

  fail_unless (run->final != NULL, "no final lpverify-result");
  renditions = gst_structure_get_value (run->final, "renditions");
  fail_unless (renditions != NULL);
  fail_unless (i < gst_value_array_get_size (renditions));
  return gst_value_get_structure (gst_value_array_get_value (renditions, i));
}

static guint64
get_u64 (const GstStructure * s, const gchar * field)
{
  guint64 v = 0;

  fail_unless (gst_structure_get_uint64 (s, field, &v), "no %s", field);
  return v;
}

static void
assert_pass (Run * run, guint i, guint64 frames)
{
  const GstStructure *r = rendition (run, i);

  fail_unless_equals_string (gst_structure_get_string (r, "verdict"), "pass");
  fail_unless_equals_string (gst_structure_get_string (r, "reason"), "");
  fail_unless_equals_int (get_u64 (r, "frames"), frames);
  fail_unless_equals_int (get_u64 (r, "mismatched"), 0);
}

/* The rendition failed for @reason, and a warning names it */
static void
assert_fail (Run * run, guint i, const gchar * reason)
{
  const GstStructure *r = rendition (run, i);
  const gchar *pad = gst_structure_get_string (r, "pad");
  gboolean warned = FALSE;
  GList *l;

  fail_unless_equals_string (gst_structure_get_string (r, "verdict"), "fail");
  fail_unless_equals_string (gst_structure_get_string (r, "reason"), reason);
  fail_unless_equals_string (gst_structure_get_string (run->final, "verdict"),
      "fail");
  for (l = run->warnings; l; l = l->next) {
    GError *err = NULL;

    gst_message_parse_warning (l->data, &err, NULL);
    if (strstr (err->message, pad) != NULL)
      warned = TRUE;
    g_error_free (err);
  }
  fail_unless (warned, "no warning names %s", pad);
}

/* One rendition of REF_SRC, @tamper (may be "") applied before scaling to
 * @w x @h and encoding at @kbps; a probe may be attached to "tamper" */
static gchar *
one_rendition (const gchar * verify_props, const gchar * pad_props,
    const gchar * tamper, gint w, gint h, gint kbps)
{
  return g_strdup_printf ("lpverify name=v %s %s "
      "! fakesink " REF_SRC " ! tee name=t ! queue ! v.reference "
      "t. ! queue ! identity name=tamper %s ! videoscale ! "
      "video/x-raw,width=%d,height=%d ! " X264 " bitrate=%d ! avdec_h264 ! "
      "v.sink_0", verify_props, pad_props, tamper, w, h, kbps);
}

/* @probe on the source pad of the identity named "tamper" */
static void
attach_tamper (Run * run, GstPadProbeCallback probe, gpointer probe_data)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (run->pipeline), "tamper");
  GstPad *pad = gst_element_get_static_pad (e, "src");

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, probe, probe_data, NULL);
  gst_object_unref (pad);
  gst_object_unref (e);
}

static void
run_one (Run * run, const gchar * verify_props, const gchar * pad_props,
    const gchar * tamper, gint w, gint h, gint kbps,
    GstPadProbeCallback probe, gpointer probe_data)
{
  gchar *desc = one_rendition (verify_props, pad_props, tamper, w, h, kbps);

  run_start (run, desc);
  g_free (desc);
  if (probe != NULL)
    attach_tamper (run, probe, probe_data);
  run_wait (run);
}

GST_START_TEST (test_honest_ladder)
{
  Run run;

  run_start (&run, "lpverify name=v ! fakesink " REF_SRC " ! tee name=t "
      "t. ! queue ! v.reference "
      "t. ! queue ! " X264 " bitrate=1200 ! avdec_h264 ! v.sink_0 "
      "t. ! queue ! videoscale ! video/x-raw,width=426,height=240 ! " X264
      " bitrate=600 ! avdec_h264 ! v.sink_1 "
      "t. ! queue ! videoscale ! video/x-raw,width=320,height=180 ! " X264
      " bitrate=400 ! avdec_h264 ! v.sink_2 "
      "v.src_1 ! fakesink name=out");
  {
    GstElement *v = gst_bin_get_by_name (GST_BIN (run.pipeline), "v");
    GstPad *p0 = gst_element_get_static_pad (v, "sink_0");
    GstPad *p1 = gst_element_get_static_pad (v, "sink_1");
    GstPad *p2 = gst_element_get_static_pad (v, "sink_2");

    g_object_set (p0, "profile", "P360p30fps16x9", NULL);
    g_object_set (p1, "profile", "P240p30fps16x9", NULL);
    g_object_set (p2, "profile", "320x180@30", NULL);
    gst_object_unref (p0);
    gst_object_unref (p1);
    gst_object_unref (p2);
    gst_object_unref (v);
  }
  run_wait (&run);
  assert_no_error (&run);
  fail_unless (run.warnings == NULL, "unexpected warning");
  fail_unless_equals_string (gst_structure_get_string (run.final, "verdict"),
      "pass");
  fail_unless_equals_int (get_u64 (run.final, "reference-frames"), 60);
  assert_pass (&run, 0, 60);
  assert_pass (&run, 1, 60);
  assert_pass (&run, 2, 60);
  fail_unless_equals_int (get_u64 (rendition (&run, 1), "pixels"),
      60 * 426 * 240);
  fail_unless_equals_int (get_u64 (rendition (&run, 0), "checked"), 6);
  fail_unless_equals_int (g_atomic_int_get (&run.passed_through), 60);
  run_clear (&run);
}

GST_END_TEST;

GST_START_TEST (test_honest_ball_all_frames)
{
  Run run;
  gchar *desc = g_strdup_printf ("lpverify name=v sample-interval=1 ! fakesink "
      "videotestsrc num-buffers=60 pattern=ball ! "
      "video/x-raw,format=I420,width=640,height=360,framerate=30/1 ! "
      "tee name=t ! queue ! v.reference t. ! queue ! videoscale ! "
      "video/x-raw,width=426,height=240 ! " X264 " bitrate=600 ! "
      "avdec_h264 ! v.sink_0");

  run_start (&run, desc);
  g_free (desc);
  run_wait (&run);
  assert_no_error (&run);
  assert_pass (&run, 0, 60);
  fail_unless_equals_int (get_u64 (rendition (&run, 0), "checked"), 60);
  run_clear (&run);
}

GST_END_TEST;

/* paints a white box over a corner of every frame after the first 10 */
static GstPadProbeReturn
paint_logo (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  guint *n = data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstMapInfo map;
  guint y;

  if ((*n)++ < 10)
    return GST_PAD_PROBE_OK;
  buf = gst_buffer_make_writable (buf);
  GST_PAD_PROBE_INFO_DATA (info) = buf;
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  /* I420 640x360: a 160x48 box in Y at (16, 16) */
  for (y = 16; y < 16 + 48; y++)
    memset (map.data + y * 640 + 16, 235, 160);
  gst_buffer_unmap (buf, &map);
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_overlay_fails)
{
  Run run;
  guint n = 0;

  run_one (&run, "", "", "", 426, 240, 600, paint_logo, &n);
  assert_no_error (&run);
  assert_fail (&run, 0, "psnr");
  run_clear (&run);
}

GST_END_TEST;

static void
run_other_source (Run * run, const gchar * source)
{
  gchar *desc = g_strdup_printf ("lpverify name=v ! fakesink " REF_SRC " ! "
      "queue ! v.reference %s ! video/x-raw,format=I420,width=426,height=240,"
      "framerate=30/1 ! " X264 " bitrate=600 ! avdec_h264 ! v.sink_0",
      source);

  run_start (run, desc);
  g_free (desc);
  run_wait (run);
}

GST_START_TEST (test_other_pattern_fails)
{
  Run run;

  run_other_source (&run, "videotestsrc num-buffers=60 pattern=ball");
  assert_no_error (&run);
  assert_fail (&run, 0, "psnr");
  run_clear (&run);
}

GST_END_TEST;

/* the same pattern, moving the other way: a stream that is not this one */
GST_START_TEST (test_other_source_fails)
{
  Run run;

  run_other_source (&run, "videotestsrc num-buffers=60 pattern=smpte "
      "horizontal-speed=-4");
  assert_no_error (&run);
  assert_fail (&run, 0, "psnr");
  run_clear (&run);
}

GST_END_TEST;

/* from frame 20 on, every frame is frame 20 again */
static GstPadProbeReturn
freeze (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  GstBuffer **frozen = data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);

  if (GST_BUFFER_PTS (buf) < 20 * GST_SECOND / 30)
    return GST_PAD_PROBE_OK;
  if (*frozen == NULL) {
    *frozen = gst_buffer_copy_deep (buf);
    return GST_PAD_PROBE_OK;
  }
  {
    GstBuffer *copy = gst_buffer_copy_deep (*frozen);

    gst_buffer_copy_into (copy, buf, GST_BUFFER_COPY_TIMESTAMPS, 0, -1);
    gst_buffer_unref (buf);
    GST_PAD_PROBE_INFO_DATA (info) = copy;
  }
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_frozen_fails)
{
  Run run;
  GstBuffer *frozen = NULL;

  run_one (&run, "min-psnr=0 min-ssim=0", "", "", 426, 240, 600, freeze,
      &frozen);
  assert_no_error (&run);
  assert_fail (&run, 0, "frames");
  fail_unless (get_u64 (rendition (&run, 0), "frozen") >= 20,
      "frozen %" G_GUINT64_FORMAT, get_u64 (rendition (&run, 0), "frozen"));
  gst_clear_buffer (&frozen);
  run_clear (&run);
}

GST_END_TEST;

static GstPadProbeReturn
shift_1s (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  GstBuffer *buf = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));

  GST_BUFFER_PTS (buf) += GST_SECOND;
  GST_BUFFER_DTS (buf) = GST_CLOCK_TIME_NONE;
  GST_PAD_PROBE_INFO_DATA (info) = buf;
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_time_shift_fails)
{
  Run run;

  run_one (&run, "", "", "", 426, 240, 600, shift_1s, NULL);
  assert_no_error (&run);
  assert_fail (&run, 0, "frames");
  /* the 30 frames after the reference's end match nothing */
  fail_unless_equals_int (get_u64 (rendition (&run, 0), "unmatched"), 30);
  run_clear (&run);
}

GST_END_TEST;

/* the same shift with quality checks alone: the content does not match */
GST_START_TEST (test_time_shift_content_fails)
{
  Run run;

  run_one (&run, "max-frame-mismatch=1000", "", "", 426, 240, 600, shift_1s,
      NULL);
  assert_no_error (&run);
  assert_fail (&run, 0, "psnr");
  run_clear (&run);
}

GST_END_TEST;

static GstPadProbeReturn
drop_every_6th (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  guint *n = data;

  return ((*n)++ % 6 == 5) ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
}

GST_START_TEST (test_dropped_frames_fail)
{
  Run run;
  guint n = 0;

  run_one (&run, "", "", "", 426, 240, 600, drop_every_6th, &n);
  assert_no_error (&run);
  assert_fail (&run, 0, "frames");
  fail_unless_equals_int (get_u64 (rendition (&run, 0), "frames"), 50);
  fail_unless_equals_int (get_u64 (rendition (&run, 0), "dropped"), 10);
  run_clear (&run);
}

GST_END_TEST;

GST_START_TEST (test_wrong_resolution_fails)
{
  Run run;

  run_one (&run, "", "sink_0::profile=P240p30fps16x9", "", 320, 180, 400,
      NULL, NULL);
  assert_no_error (&run);
  assert_fail (&run, 0, "resolution");
  run_clear (&run);
}

GST_END_TEST;

#define REF_60FPS "videotestsrc num-buffers=90 pattern=smpte " \
  "horizontal-speed=2 ! video/x-raw,format=I420,width=640,height=360," \
  "framerate=60/1"

GST_START_TEST (test_60_to_30_passes)
{
  Run run;

  run_start (&run, "lpverify name=v sink_0::profile=P240p30fps16x9 ! fakesink "
      REF_60FPS " ! tee name=t ! queue ! v.reference t. ! queue ! videorate ! "
      "videoscale ! video/x-raw,width=426,height=240,framerate=30/1 ! " X264
      " bitrate=600 ! avdec_h264 ! v.sink_0");
  run_wait (&run);
  assert_no_error (&run);
  {
    const GstStructure *r = rendition (&run, 0);

    /* videorate may repeat the last frame to fill the segment: it lands
     * half a reference frame after the reference's last one */
    fail_unless_equals_string (gst_structure_get_string (r, "verdict"),
        "pass");
    fail_unless (get_u64 (r, "frames") == 45 || get_u64 (r, "frames") == 46);
    fail_unless_equals_int (get_u64 (r, "dropped"), 0);
    fail_unless_equals_int (get_u64 (r, "duplicated"), 0);
    fail_unless (get_u64 (r, "mismatched") <= 1);
  }
  run_clear (&run);
}

GST_END_TEST;

GST_START_TEST (test_frame_rate_mismatch_fails)
{
  Run run;

  run_start (&run, "lpverify name=v sink_0::profile=426x240@60 ! fakesink "
      REF_60FPS " ! tee name=t ! queue ! v.reference t. ! queue ! videorate ! "
      "videoscale ! video/x-raw,width=426,height=240,framerate=30/1 ! " X264
      " bitrate=600 ! avdec_h264 ! v.sink_0");
  run_wait (&run);
  assert_no_error (&run);
  assert_fail (&run, 0, "frame-rate");
  run_clear (&run);
}

GST_END_TEST;

GST_START_TEST (test_fail_on_mismatch_errors)
{
  Run run;

  run_one (&run, "fail-on-mismatch=true", "sink_0::profile=P360p30fps16x9",
      "", 426, 240, 600, NULL, NULL);
  fail_unless (run.error != NULL, "no error");
  {
    GError *err = NULL;

    gst_message_parse_error (run.error, &err, NULL);
    fail_unless (strstr (err->message, "sink_0") != NULL, "%s", err->message);
    fail_unless (strstr (err->message, "640x360") != NULL, "%s",
        err->message);
    g_error_free (err);
  }
  run_clear (&run);
}

GST_END_TEST;

GST_START_TEST (test_interval_results)
{
  Run run;

  run_one (&run, "interval=20", "", "", 426, 240, 600, NULL, NULL);
  assert_no_error (&run);
  fail_unless_equals_int (run.interval_results, 3);
  assert_pass (&run, 0, 60);
  run_clear (&run);
}

GST_END_TEST;

GST_START_TEST (test_missing_reference_errors)
{
  Run run;
  GError *err = NULL;

  run_start (&run, "lpverify name=v ! fakesink videotestsrc num-buffers=30 ! "
      "video/x-raw,format=I420,width=320,height=180 ! v.sink_0");
  run_wait (&run);
  fail_unless (run.error != NULL, "no error");
  gst_message_parse_error (run.error, &err, NULL);
  fail_unless (g_error_matches (err, GST_CORE_ERROR, GST_CORE_ERROR_PAD),
      "%s", err->message);
  fail_unless (strstr (err->message, "reference") != NULL, "%s",
      err->message);
  g_error_free (err);
  run_clear (&run);
}

GST_END_TEST;

GST_START_TEST (test_empty_reference_errors)
{
  Run run;
  GError *err = NULL;

  run_start (&run, "lpverify name=v ! fakesink videotestsrc num-buffers=0 ! "
      "video/x-raw,format=I420,width=320,height=180 ! v.reference "
      "videotestsrc num-buffers=10 ! video/x-raw,format=I420,width=320,"
      "height=180 ! v.sink_0");
  run_wait (&run);
  fail_unless (run.error != NULL, "no error");
  gst_message_parse_error (run.error, &err, NULL);
  fail_unless (strstr (err->message, "ended before its first frame") != NULL,
      "%s", err->message);
  g_error_free (err);
  run_clear (&run);
}

GST_END_TEST;

GST_START_TEST (test_request_release)
{
  GstElement *v = gst_element_factory_make ("lpverify", NULL);
  GstPad *p0, *p1, *src;

  p0 = gst_element_request_pad_simple (v, "sink_%u");
  p1 = gst_element_request_pad_simple (v, "sink_%u");
  fail_unless_equals_string (GST_PAD_NAME (p0), "sink_0");
  fail_unless_equals_string (GST_PAD_NAME (p1), "sink_1");
  fail_unless_equals_string (G_OBJECT_TYPE_NAME (p0), "GstLpVerifyPad");
  src = gst_element_get_static_pad (v, "src_1");
  fail_unless (src != NULL);
  gst_object_unref (src);
  gst_element_release_request_pad (v, p1);
  gst_object_unref (p1);
  src = gst_element_get_static_pad (v, "src_1");
  fail_unless (src == NULL);
  gst_element_release_request_pad (v, p0);
  gst_object_unref (p0);
  gst_object_unref (v);
}

GST_END_TEST;

/* ---- signature and reported pixels ---- */

#define SIGNED_W 426
#define SIGNED_H 240
#define SIGNED_PIXELS ((guint64) 60 * SIGNED_W * SIGNED_H)

/* Encodes REF_SRC at 426x240 into an MPEG-TS file, as an orchestrator
 * returns a rendition; returns its bytes and sets @path (to remove) */
static GBytes *
encode_rendition (gchar ** path)
{
  GError *error = NULL;
  gchar *desc, *data = NULL;
  gsize length = 0;
  gint fd;
  Run run;

  fd = g_file_open_tmp ("lpverify-XXXXXX.ts", path, &error);
  fail_unless (fd >= 0, "%s", error ? error->message : "?");
  close (fd);
  desc = g_strdup_printf (REF_SRC " ! videoscale ! video/x-raw,width=%d,"
      "height=%d ! " X264 " bitrate=600 bframes=0 ! mpegtsmux ! "
      "filesink location=\"%s\"", SIGNED_W, SIGNED_H, *path);
  run_start (&run, desc);
  g_free (desc);
  run_wait (&run);
  assert_no_error (&run);
  run_clear (&run);
  fail_unless (g_file_get_contents (*path, &data, &length, &error), "%s",
      error ? error->message : "?");
  fail_unless (length > 0);
  return g_bytes_new_take (data, length);
}

/* A TranscodeResult for one rendition, @encoded signed by @key, reporting
 * @pixels */
static gchar *
signed_result (const LpPrivateKey * key, GBytes * encoded, guint64 pixels)
{
  LpTranscodeResult *result = lp_transcode_result_new ();
  GError *error = NULL;
  gchar *json;

  result->seq = 7;
  lp_transcode_result_add_segment (result, NULL, pixels);
  fail_unless (lp_transcode_result_sign (result, key, &encoded, 1, &error),
      "%s", error ? error->message : "?");
  json = lp_wire_transcode_result_to_json (result);
  lp_transcode_result_free (result);
  return json;
}

static LpPrivateKey *
new_key (void)
{
  GError *error = NULL;
  LpPrivateKey *key = lp_private_key_generate (&error);

  fail_unless (key != NULL, "%s", error ? error->message : "?");
  return key;
}

/* Checks the rendition in @path (decoded) against REF_SRC with the given
 * transcode-result, signer and `encoded` bytes (each may be NULL) */
static void
run_signed (Run * run, const gchar * path, const gchar * json,
    const LpPrivateKey * signer, GBytes * encoded)
{
  gchar *desc = g_strdup_printf ("lpverify name=v ! fakesink " REF_SRC " ! "
      "queue ! v.reference filesrc location=\"%s\" ! tsdemux ! h264parse ! "
      "avdec_h264 ! v.sink_0", path);
  GstElement *v;
  GstPad *pad;

  run_start (run, desc);
  g_free (desc);
  v = gst_bin_get_by_name (GST_BIN (run->pipeline), "v");
  g_object_set (v, "transcode-result", json, NULL);
  if (signer != NULL) {
    gchar *address = lp_address_to_string (lp_private_key_get_address
        (signer));

    g_object_set (v, "orchestrator-address", address, NULL);
    g_free (address);
  }
  pad = gst_element_get_static_pad (v, "sink_0");
  g_object_set (pad, "encoded", encoded, NULL);
  gst_object_unref (pad);
  gst_object_unref (v);
  run_wait (run);
}

static gboolean
get_bool (const GstStructure * s, const gchar * field)
{
  gboolean v = FALSE;

  fail_unless (gst_structure_get_boolean (s, field, &v), "no %s", field);
  return v;
}

static void
assert_error (Run * run, GQuark domain, gint code, const gchar * text)
{
  GError *err = NULL;

  fail_unless (run->error != NULL, "no error");
  gst_message_parse_error (run->error, &err, NULL);
  fail_unless (g_error_matches (err, domain, code), "%s", err->message);
  fail_unless (strstr (err->message, text) != NULL, "%s", err->message);
  g_error_free (err);
}

/* A key and a rendition it encoded, in a file: what each signature test
 * starts from */
typedef struct
{
  LpPrivateKey *key;
  gchar *path;
  GBytes *encoded;
} Signed;

static void
signed_init (Signed * sig)
{
  sig->key = new_key ();
  sig->path = NULL;
  sig->encoded = encode_rendition (&sig->path);
}

static void
signed_clear (Signed * sig)
{
  g_bytes_unref (sig->encoded);
  g_unlink (sig->path);
  g_free (sig->path);
  lp_private_key_unref (sig->key);
}

GST_START_TEST (test_signature_passes)
{
  Signed sig;
  gchar *json;
  const GstStructure *r;
  Run run;

  signed_init (&sig);
  json = signed_result (sig.key, sig.encoded, SIGNED_PIXELS);
  run_signed (&run, sig.path, json, sig.key, sig.encoded);
  assert_no_error (&run);
  fail_unless (run.warnings == NULL, "unexpected warning");
  assert_pass (&run, 0, 60);
  r = rendition (&run, 0);
  fail_unless (get_bool (r, "signature-valid"));
  fail_unless_equals_uint64 (get_u64 (r, "reported-pixels"), SIGNED_PIXELS);
  fail_unless_equals_uint64 (get_u64 (r, "pixels"), SIGNED_PIXELS);
  run_clear (&run);

  /* without a transcode-result, neither field */
  run_signed (&run, sig.path, NULL, NULL, NULL);
  assert_no_error (&run);
  assert_pass (&run, 0, 60);
  r = rendition (&run, 0);
  fail_if (gst_structure_has_field (r, "signature-valid"));
  fail_if (gst_structure_has_field (r, "reported-pixels"));
  run_clear (&run);

  g_free (json);
  signed_clear (&sig);
}

GST_END_TEST;

GST_START_TEST (test_signature_other_key_fails)
{
  LpPrivateKey *other = new_key ();
  Signed sig;
  gchar *json;
  Run run;

  signed_init (&sig);
  json = signed_result (other, sig.encoded, SIGNED_PIXELS);
  run_signed (&run, sig.path, json, sig.key, sig.encoded);
  assert_no_error (&run);
  assert_fail (&run, 0, "signature");
  fail_if (get_bool (rendition (&run, 0), "signature-valid"));
  run_clear (&run);

  g_free (json);
  signed_clear (&sig);
  lp_private_key_unref (other);
}

GST_END_TEST;

GST_START_TEST (test_signature_tampered_bytes_fail)
{
  Signed sig;
  gchar *json;
  GBytes *tampered;
  gsize n;
  guint8 *data;
  Run run;

  signed_init (&sig);
  data = g_bytes_unref_to_data (g_bytes_ref (sig.encoded), &n);
  json = signed_result (sig.key, sig.encoded, SIGNED_PIXELS);
  data[n / 2] ^= 0x01;
  tampered = g_bytes_new_take (data, n);
  run_signed (&run, sig.path, json, sig.key, tampered);
  assert_no_error (&run);
  assert_fail (&run, 0, "signature");
  fail_if (get_bool (rendition (&run, 0), "signature-valid"));
  run_clear (&run);

  g_free (json);
  g_bytes_unref (tampered);
  signed_clear (&sig);
}

GST_END_TEST;

GST_START_TEST (test_reported_pixels_fail)
{
  guint64 reported = SIGNED_PIXELS - SIGNED_W * SIGNED_H;
  Signed sig;
  gchar *json, *want;
  const GstStructure *r;
  gboolean warned = FALSE;
  GList *l;
  Run run;

  signed_init (&sig);
  json = signed_result (sig.key, sig.encoded, reported);
  run_signed (&run, sig.path, json, sig.key, sig.encoded);
  assert_no_error (&run);
  assert_fail (&run, 0, "pixels");
  r = rendition (&run, 0);
  fail_unless (get_bool (r, "signature-valid"));
  fail_unless_equals_uint64 (get_u64 (r, "reported-pixels"), reported);
  fail_unless_equals_uint64 (get_u64 (r, "pixels"), SIGNED_PIXELS);
  want = g_strdup_printf ("reported %" G_GUINT64_FORMAT " pixels, it decodes "
      "to %" G_GUINT64_FORMAT, reported, SIGNED_PIXELS);
  for (l = run.warnings; l; l = l->next) {
    GError *err = NULL;

    gst_message_parse_warning (l->data, &err, NULL);
    if (strstr (err->message, want) != NULL)
      warned = TRUE;
    g_error_free (err);
  }
  fail_unless (warned, "no warning says %s", want);
  g_free (want);
  run_clear (&run);

  g_free (json);
  signed_clear (&sig);
}

GST_END_TEST;

GST_START_TEST (test_missing_encoded_errors)
{
  Signed sig;
  gchar *json;
  Run run;

  signed_init (&sig);
  json = signed_result (sig.key, sig.encoded, SIGNED_PIXELS);
  run_signed (&run, sig.path, json, sig.key, NULL);
  assert_error (&run, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
      "sink_0");
  run_clear (&run);

  g_free (json);
  signed_clear (&sig);
}

GST_END_TEST;

/* lpverify alone going to PAUSED with these properties fails with an
 * error naming @property */
static void
assert_bad_setting (const gchar * json, const gchar * address,
    const gchar * property)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *v = gst_element_factory_make ("lpverify", NULL);
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GError *err = NULL;

  g_object_set (v, "transcode-result", json, "orchestrator-address", address,
      NULL);
  gst_bin_add (GST_BIN (pipeline), v);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no error");
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_SETTINGS), "%s", err->message);
  fail_unless (strstr (err->message, property) != NULL, "%s", err->message);
  g_error_free (err);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_START_TEST (test_malformed_result_errors)
{
  LpPrivateKey *key = new_key ();
  GBytes *bytes = g_bytes_new_static ("rendition", 9);
  gchar *json = signed_result (key, bytes, 100);
  gchar *address = lp_address_to_string (lp_private_key_get_address (key));

  assert_bad_setting ("{\"seq\": 1, \"data\": {\"segments\": [", address,
      "transcode-result");
  assert_bad_setting ("not json", address, "transcode-result");
  assert_bad_setting (json, "0x1234", "orchestrator-address");
  assert_bad_setting (json, NULL, "orchestrator-address");
  g_free (address);
  g_free (json);
  g_bytes_unref (bytes);
  lp_private_key_unref (key);
}

GST_END_TEST;

#define SNOW_SRC "videotestsrc num-buffers=60 pattern=snow ! " \
  "video/x-raw,format=I420,width=640,height=360,framerate=30/1"

/* noise: PSNR and SSIM cannot judge it at preset bitrates (an honest
 * rendition scores like a replaced source), the noise-like path does */
GST_START_TEST (test_honest_noise_passes)
{
  Run run;
  gboolean noise = FALSE;

  run_start (&run, "lpverify name=v sample-interval=1 ! fakesink " SNOW_SRC
      " ! tee name=t t. ! queue ! v.reference "
      "t. ! queue ! videoscale ! video/x-raw,width=426,height=240 ! " X264
      " bitrate=600 ! avdec_h264 ! v.sink_0 "
      "t. ! queue ! videoscale ! video/x-raw,width=256,height=144 ! " X264
      " bitrate=400 ! avdec_h264 ! v.sink_1");
  run_wait (&run);
  assert_no_error (&run);
  fail_unless (run.warnings == NULL, "an honest noise rendition failed");
  fail_unless_equals_string (gst_structure_get_string (rendition (&run, 0),
          "verdict"), "pass");
  fail_unless_equals_string (gst_structure_get_string (rendition (&run, 1),
          "verdict"), "pass");
  fail_unless_equals_int (get_u64 (rendition (&run, 1), "frames"), 60);
  fail_unless (gst_structure_get_boolean (rendition (&run, 0), "noise-like",
          &noise));
  fail_unless (noise);
  run_clear (&run);
}

GST_END_TEST;

/* ... at half the preset bitrates too: x264 then renews only a part of
 * the noise each frame (its frames changed by 1/16 of the reference's
 * and less, which counted as frozen before) and keeps less of the noise's
 * detail (a detail correlation of 0.13-0.18, under the old 0.2), but as
 * much of its coarse pattern, where a blur or an upscale keeps the coarse
 * pattern only */
GST_START_TEST (test_honest_noise_half_bitrate_passes)
{
  Run run;
  gboolean noise = FALSE;

  run_start (&run, "lpverify name=v sample-interval=1 ! fakesink " SNOW_SRC
      " ! tee name=t t. ! queue ! v.reference "
      "t. ! queue ! " X264 " bitrate=600 ! avdec_h264 ! v.sink_0 "
      "t. ! queue ! videoscale ! video/x-raw,width=426,height=240 ! " X264
      " bitrate=300 ! avdec_h264 ! v.sink_1");
  run_wait (&run);
  assert_no_error (&run);
  fail_unless (run.warnings == NULL, "an honest noise rendition failed");
  fail_unless_equals_string (gst_structure_get_string (rendition (&run, 0),
          "verdict"), "pass");
  fail_unless_equals_string (gst_structure_get_string (rendition (&run, 1),
          "verdict"), "pass");
  fail_unless (gst_structure_get_boolean (rendition (&run, 0), "noise-like",
          &noise));
  fail_unless (noise);
  run_clear (&run);
}

GST_END_TEST;

/* a 160x90 picture of the noise scaled up: its coarse pattern is there,
 * its detail is not */
GST_START_TEST (test_noise_upscaled_fails)
{
  Run run;

  run_start (&run, "lpverify name=v sample-interval=1 ! fakesink " SNOW_SRC
      " ! tee name=t t. ! queue ! v.reference "
      "t. ! queue ! videoscale ! video/x-raw,width=160,height=90 ! "
      "videoscale ! video/x-raw,width=426,height=240 ! " X264
      " bitrate=600 ! avdec_h264 ! v.sink_0");
  run_wait (&run);
  assert_no_error (&run);
  assert_fail (&run, 0, "noise-correlation");
  run_clear (&run);
}

GST_END_TEST;

/* ... while frozen noise still counts as frozen: those frames reach the
 * encoder unchanged and change by what it refines (well under 1/256 of
 * the reference's change) */
GST_START_TEST (test_noise_frozen_fails)
{
  Run run;
  GstBuffer *frozen = NULL;

  run_start (&run, "lpverify name=v sample-interval=1 ! fakesink " SNOW_SRC
      " ! tee name=t t. ! queue ! v.reference t. ! queue ! identity "
      "name=tamper ! " X264 " bitrate=1200 ! avdec_h264 ! v.sink_0");
  attach_tamper (&run, freeze, &frozen);
  run_wait (&run);
  assert_no_error (&run);
  assert_fail (&run, 0, "frames");
  fail_unless (get_u64 (rendition (&run, 0), "frozen") >= 30,
      "frozen %" G_GUINT64_FORMAT, get_u64 (rendition (&run, 0), "frozen"));
  gst_clear_buffer (&frozen);
  run_clear (&run);
}

GST_END_TEST;

GST_START_TEST (test_noise_other_content_fails)
{
  Run run;

  run_start (&run, "lpverify name=v sample-interval=1 ! fakesink " SNOW_SRC
      " ! queue ! v.reference " REF_SRC " ! videoscale ! "
      "video/x-raw,width=426,height=240 ! " X264 " bitrate=600 ! avdec_h264 "
      "! v.sink_0");
  run_wait (&run);
  assert_no_error (&run);
  assert_fail (&run, 0, "noise-correlation");
  run_clear (&run);
}

GST_END_TEST;

/* fine detail at the smallest rung: an honest P144p rendition of a zone
 * plate scores 26 dB, under the old 28 dB default */
GST_START_TEST (test_honest_zone_plate_p144_passes)
{
  Run run;

  run_start (&run, "lpverify name=v ! fakesink videotestsrc num-buffers=60 "
      "pattern=zone-plate kx2=20 ky2=20 kt=1 ! "
      "video/x-raw,format=I420,width=640,height=360,framerate=30/1 ! "
      "tee name=t t. ! queue ! v.reference t. ! queue ! videoscale ! "
      "video/x-raw,width=256,height=144 ! " X264 " bitrate=400 ! avdec_h264 "
      "! v.sink_0");
  run_wait (&run);
  assert_no_error (&run);
  assert_pass (&run, 0, 60);
  run_clear (&run);
}

GST_END_TEST;

/* a 160x90 picture scaled up to the rendition's size: right size, soft.
 * PSNR, SSIM, block error and the local structure scores are off so that
 * the sharpness check is the one seen (on some contents they pass such a
 * rendition) */
GST_START_TEST (test_upscaled_low_resolution_fails)
{
  Run run;

  run_one (&run, "sample-interval=1 min-psnr=0 min-ssim=0 "
      "max-block-error=255 max-added-structure=1e300 "
      "max-replaced-structure=2", "",
      "! videoscale ! video/x-raw,width=160,height=90", 426, 240, 600, NULL,
      NULL);
  assert_no_error (&run);
  assert_fail (&run, 0, "sharpness");
  run_clear (&run);
}

GST_END_TEST;

/* adds film grain to Y of I420 640x360: the sum of four uniform numbers
 * in [-3, 3] per pixel (a deviation of 4 levels), new every frame,
 * from a fixed seed so that every run sees the same grain */
static GstPadProbeReturn
add_grain (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  guint32 *state = data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstMapInfo map;
  gsize i;

  buf = gst_buffer_make_writable (buf);
  GST_PAD_PROBE_INFO_DATA (info) = buf;
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < 640 * 360; i++) {
    gint v = map.data[i], k;

    for (k = 0; k < 4; k++) {
      /* xorshift32 */
      *state ^= *state << 13;
      *state ^= *state >> 17;
      *state ^= *state << 5;
      v += (gint) (*state % 7) - 3;
    }
    map.data[i] = CLAMP (v, 0, 255);
  }
  gst_buffer_unmap (buf, &map);
  return GST_PAD_PROBE_OK;
}

/* SMPTE bars moving by 4 pixels a frame */
#define GRAINY_BARS "pattern=smpte horizontal-speed=4"

/* How the waves move and how strong they are */
typedef struct
{
  gint speed;                   /* half pixels a frame */
  gint gain;                    /* eighths of 20 levels either side of 128 */
  gint lead;                    /* frames ahead of the frame's time (or
                                 * behind, negative) */
} Waves;

/* paints Y of I420 640x360 with vertical triangle waves (a period of 160
 * pixels, 60 levels either side of 128) that move by half a pixel a frame
 * (or as the Waves @data says): a smooth picture moving slowly, whose
 * change from frame to frame (an MSE of about 0.6) is a small part of what
 * grain of deviation 4 gives (32), and whose gradient energy (about 2) is
 * a small part of the grain's (64) */
static GstPadProbeReturn
paint_slow_waves (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  const Waves *waves = data;
  gint t = ((gint) gst_util_uint64_scale_round (GST_BUFFER_PTS (buf), 30,
          GST_SECOND) + (waves ? waves->lead : 0)) * (waves ? waves->speed :
      1);
  gint gain = waves ? waves->gain : 3;
  GstMapInfo map;
  guint8 row[640];
  gint x, y;

  buf = gst_buffer_make_writable (buf);
  GST_PAD_PROBE_INFO_DATA (info) = buf;
  for (x = 0; x < 640; x++) {
    /* the position in half pixels within a period of 320 */
    gint q = ((2 * x - t) % 320 + 320) % 320;

    row[x] = 128 + gain * (2 * ABS (q - 160) - 160) / 8;
  }
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (y = 0; y < 360; y++)
    memcpy (map.data + y * 640, row, 640);
  gst_buffer_unmap (buf, &map);
  return GST_PAD_PROBE_OK;
}

/* videotestsrc @pattern (its properties; NULL: the slow waves, as @waves
 * says, NULL: half a pixel a frame) with
 * grain, as the reference
 * and, through identity "tamper", encoded at 640x360 and 600 kbit/s (half
 * the P360p bitrate): x264 drops most of the grain. @props: lpverify's */
static void
run_grainy (Run * run, const gchar * pattern, const Waves * waves, guint kbps,
    const gchar * props, GstPadProbeCallback tamper, gpointer tamper_data)
{
  static guint32 seed;
  GstElement *e;
  GstPad *pad;
  gchar *desc;

  seed = 2463534242u;
  desc = g_strdup_printf ("lpverify name=v sample-interval=2 %s ! fakesink "
      "videotestsrc num-buffers=30 %s ! "
      "video/x-raw,format=I420,width=640,height=360,framerate=30/1 ! "
      "identity name=grain ! tee name=t t. ! queue ! v.reference "
      "t. ! queue ! identity name=tamper ! " X264 " bitrate=%u ! "
      "avdec_h264 ! v.sink_0", props, pattern ? pattern : "pattern=black",
      kbps);
  run_start (run, desc);
  g_free (desc);
  e = gst_bin_get_by_name (GST_BIN (run->pipeline), "grain");
  pad = gst_element_get_static_pad (e, "src");
  if (pattern == NULL)
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, paint_slow_waves,
        (gpointer) waves, NULL);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, add_grain, &seed, NULL);
  gst_object_unref (pad);
  gst_object_unref (e);
  if (tamper != NULL)
    attach_tamper (run, tamper, tamper_data);
  run_wait (run);
  assert_no_error (run);
}

/* grain: the encoder removes it, so at full resolution the honest
 * rendition's SSIM-Y and sharpness are those of a failure (the verdict
 * before the structure scores); lpverify judges the structure and passes
 * it */
GST_START_TEST (test_honest_grain_passes)
{
  Run run;
  gdouble ssim = 1, structure_ssim = 0, noise = 0;

  run_grainy (&run, GRAINY_BARS, NULL, 600, "", NULL, NULL);
  fail_unless (run.warnings == NULL, "an honest grainy rendition failed");
  assert_pass (&run, 0, 30);
  fail_unless (gst_structure_get_double (rendition (&run, 0), "ssim-y-p5",
          &ssim));
  fail_unless (gst_structure_get_double (rendition (&run, 0),
          "structure-ssim-y-p5", &structure_ssim));
  fail_unless (gst_structure_get_double (rendition (&run, 0), "noise-mean",
          &noise));
  fail_unless (ssim < 0.90, "full-resolution SSIM-Y p5 %.4f: no grain?", ssim);
  fail_unless (structure_ssim >= 0.90, "structure SSIM-Y p5 %.4f",
      structure_ssim);
  fail_unless (noise > 2.0, "noise %.2f", noise);
  run_clear (&run);
}

GST_END_TEST;

/* ... and a logo over the grainy picture still fails */
GST_START_TEST (test_grain_logo_fails)
{
  Run run;
  guint n = 0;

  run_grainy (&run, GRAINY_BARS, NULL, 600, "", paint_logo, &n);
  assert_fail (&run, 0, "block-error");
  run_clear (&run);
}

GST_END_TEST;

/* slow motion under grain: the reference's change from frame to frame is
 * mostly its grain, which the honest rendition dropped, so it changes much
 * less; lpverify discounts the reference's temporal noise and does not
 * count such frames as frozen (it counted most of them before) */
GST_START_TEST (test_honest_grain_slow_not_frozen)
{
  Run run;

  run_grainy (&run, NULL, NULL, 600, "", NULL, NULL);
  fail_unless (run.warnings == NULL, "an honest grainy rendition failed");
  fail_unless_equals_int (get_u64 (rendition (&run, 0), "frozen"), 0);
  assert_pass (&run, 0, 30);
  run_clear (&run);
}

GST_END_TEST;

/* ... while a grainy rendition frozen from frame 20 on is (the grain of
 * its frozen frames is frozen too) */
GST_START_TEST (test_grain_frozen_fails)
{
  Run run;
  GstBuffer *frozen = NULL;

  run_grainy (&run, GRAINY_BARS, NULL, 600, "min-psnr=0 min-ssim=0",
      freeze, &frozen);
  assert_fail (&run, 0, "frames");
  fail_unless (get_u64 (rendition (&run, 0), "frozen") >= 7,
      "frozen %" G_GUINT64_FORMAT, get_u64 (rendition (&run, 0), "frozen"));
  gst_clear_buffer (&frozen);
  run_clear (&run);
}

GST_END_TEST;

/* paints a caption-like patch into Y of I420 640x360 every frame: w x h
 * pixels at (x, y) of vertical stripes, @stripe pixels wide, alternately
 * light and dark, like the strokes and border of white text with a black
 * border: 235 and 16 (@around 0), or @around levels above and below the
 * picture's own. Its mean is about the picture's there (mid-grey for 235
 * and 16), so the 16x16 block means barely change under it. */
typedef struct
{
  gint x, y, w, h, stripe, around;
} Stripes;

static GstPadProbeReturn
paint_stripes (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  const Stripes *s = data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstMapInfo map;
  gint x, y;

  buf = gst_buffer_make_writable (buf);
  GST_PAD_PROBE_INFO_DATA (info) = buf;
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (y = s->y; y < s->y + s->h; y++)
    for (x = 0; x < s->w; x++) {
      guint8 *p = map.data + y * 640 + s->x + x;
      gboolean dark = (x / s->stripe) % 2;

      if (s->around == 0)
        *p = dark ? 16 : 235;
      else
        *p = CLAMP (*p + (dark ? -s->around : s->around), 16, 235);
    }
  gst_buffer_unmap (buf, &map);
  return GST_PAD_PROBE_OK;
}

static gdouble
get_double (const GstStructure * s, const gchar * field)
{
  gdouble v = 0;

  fail_unless (gst_structure_get_double (s, field, &v), "no %s", field);
  return v;
}

/* a small caption over grainy slow waves (20 levels either side of
 * mid-grey): its block means stay (a block error far under
 * max-block-error) and so do PSNR and SSIM over the picture, but it adds
 * structure the reference lacks in its 16x16 windows: that fails (text
 * over wood grain or noise passed before) */
GST_START_TEST (test_grain_caption_fails)
{
  Run run;
  Waves waves = { 1, 1, 0 };
  Stripes caption = { 480, 288, 32, 16, 4, 100 };

  run_grainy (&run, NULL, &waves, 600, "", paint_stripes, &caption);
  assert_fail (&run, 0, "added-structure");
  fail_unless (get_double (rendition (&run, 0), "block-error-p95") < 16,
      "block error %.2f: the block means saw it",
      get_double (rendition (&run, 0), "block-error-p95"));
  run_clear (&run);
}

GST_END_TEST;

/* copies Y of I420 640x360 from (sx, sy) over the w x h pixels at (x, y),
 * every frame: a patch of other content as busy as the picture there */
typedef struct
{
  gint x, y, w, h, sx, sy;
} Patch;

static GstPadProbeReturn
paste_patch (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  const Patch *s = data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstMapInfo map;
  gint y;

  buf = gst_buffer_make_writable (buf);
  GST_PAD_PROBE_INFO_DATA (info) = buf;
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (y = 0; y < s->h; y++)
    memmove (map.data + (s->y + y) * 640 + s->x,
        map.data + (s->sy + y) * 640 + s->sx, s->w);
  gst_buffer_unmap (buf, &map);
  return GST_PAD_PROBE_OK;
}

/* a patch of the zone plate from elsewhere over it at 426x240: as busy
 * as what it covers, so the variance does not see it, but there the
 * rendition does not correlate with the reference: that fails (a caption
 * over the zone plate passed before). The block error is off: the zone
 * plate's block means differ from place to place by about what the
 * threshold allows (a caption over it moved them by 12-14), so whether it
 * sees a patch depends on where the patch comes from. */
GST_START_TEST (test_zone_plate_patch_fails)
{
  Run run;
  Patch patch = { 400, 240, 48, 32, 40, 20 };

  run_start (&run, "lpverify name=v max-block-error=255 ! fakesink "
      "videotestsrc num-buffers=60 pattern=zone-plate kx2=20 ky2=20 kt=1 ! "
      "video/x-raw,format=I420,width=640,height=360,framerate=30/1 ! "
      "tee name=t t. ! queue ! v.reference t. ! queue ! identity "
      "name=tamper ! videoscale ! video/x-raw,width=426,height=240 ! " X264
      " bitrate=600 ! avdec_h264 ! v.sink_0");
  attach_tamper (&run, paste_patch, &patch);
  run_wait (&run);
  assert_no_error (&run);
  assert_fail (&run, 0, "replaced-structure");
  run_clear (&run);
}

GST_END_TEST;

/* the slow waves under grain, the rendition the same waves without it (an
 * encoder that kept the structure and dropped all of the grain): at full
 * resolution nearly all the reference's gradient energy is its grain, and
 * what is left after the discount is too little to judge by (the
 * sharpness came out under min-sharpness, 0.68); lpverify judges such a
 * reference on the structure planes too and passes it */
GST_START_TEST (test_honest_noise_dominated_sharpness_passes)
{
  Run run;
  gdouble share = 0, structure = 0;

  Waves waves = { 1, 2 };

  run_grainy (&run, NULL, &waves, 600, "", paint_slow_waves, &waves);
  fail_unless (gst_structure_get_double (rendition (&run, 0),
          "noise-share-mean", &share));
  fail_unless (gst_structure_get_double (rendition (&run, 0),
          "structure-sharpness", &structure));
  fail_unless (share > 0.9, "noise share %.3f", share);
  fail_unless (structure >= 0.7, "structure sharpness %.3f", structure);
  fail_unless (run.warnings == NULL, "an honest grainy rendition failed");
  assert_pass (&run, 0, 30);
  run_clear (&run);
}

GST_END_TEST;

/* The waves as Waves @waves says, with new grain from @seed */
typedef struct
{
  Waves waves;
  guint32 seed;
} GrainyWaves;

static GstPadProbeReturn
paint_grainy_waves (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  GrainyWaves *g = data;

  paint_slow_waves (pad, info, &g->waves);
  return add_grain (pad, info, &g->seed);
}

/* waves moving 7 pixels a frame under grain: the reference's structural
 * change from frame to frame (about 100 on the change grid) is over twice
 * its temporal noise variance (about 19), so lpverify judges which reference
 * frame each rendition frame is nearest; the honest rendition is nearest
 * its own every time (the grain it carries from frame to frame must not
 * turn that) */
#define FAST_WAVES { 14, 3, 0 }

GST_START_TEST (test_honest_grain_fast_not_frozen)
{
  Run run;
  Waves waves = FAST_WAVES;

  run_grainy (&run, NULL, &waves, 600, "", NULL, NULL);
  fail_unless (run.warnings == NULL, "an honest grainy rendition failed");
  fail_unless_equals_int (get_u64 (rendition (&run, 0), "frozen"), 0);
  assert_pass (&run, 0, 30);
  run_clear (&run);
}

GST_END_TEST;

/* ... while a rendition that shows each frame one frame early, or one
 * late, fails: every frame changes as much as its reference (no frozen or
 * repeated frame) and the pictures pass min-psnr and min-ssim (structure
 * PSNR-Y p5 about 27.6 dB), but each is nearer a neighbouring reference
 * frame than its own (without that rule, none counted: 0 mismatched) */
GST_START_TEST (test_grain_frames_early_or_late_fail)
{
  gint lead;

  for (lead = -1; lead <= 1; lead += 2) {
    GrainyWaves shifted = { FAST_WAVES, 99991u };
    Waves waves = FAST_WAVES;
    gdouble psnr = 0;
    Run run;

    shifted.waves.lead = lead;
    run_grainy (&run, NULL, &waves, 600, "", paint_grainy_waves, &shifted);
    fail_unless (gst_structure_get_double (rendition (&run, 0),
            "structure-psnr-y-p5", &psnr));
    fail_unless (psnr > 25, "lead %d: structure PSNR-Y p5 %.2f", lead, psnr);
    assert_fail (&run, 0, "frames");
    fail_unless (get_u64 (rendition (&run, 0), "frozen") >= 20,
        "lead %d: frozen %" G_GUINT64_FORMAT, lead,
        get_u64 (rendition (&run, 0), "frozen"));
    run_clear (&run);
  }
}

GST_END_TEST;

static Suite *
lpverify_suite (void)
{
  Suite *s = suite_create ("lpverify");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();
  tcase_set_timeout (tc, 120);

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_request_release);
  tcase_add_test (tc, test_honest_ladder);
  tcase_add_test (tc, test_honest_ball_all_frames);
  tcase_add_test (tc, test_overlay_fails);
  tcase_add_test (tc, test_other_pattern_fails);
  tcase_add_test (tc, test_other_source_fails);
  tcase_add_test (tc, test_frozen_fails);
  tcase_add_test (tc, test_time_shift_fails);
  tcase_add_test (tc, test_time_shift_content_fails);
  tcase_add_test (tc, test_dropped_frames_fail);
  tcase_add_test (tc, test_wrong_resolution_fails);
  tcase_add_test (tc, test_honest_noise_passes);
  tcase_add_test (tc, test_honest_noise_half_bitrate_passes);
  tcase_add_test (tc, test_noise_upscaled_fails);
  tcase_add_test (tc, test_noise_frozen_fails);
  tcase_add_test (tc, test_noise_other_content_fails);
  tcase_add_test (tc, test_honest_zone_plate_p144_passes);
  tcase_add_test (tc, test_upscaled_low_resolution_fails);
  tcase_add_test (tc, test_honest_grain_passes);
  tcase_add_test (tc, test_grain_logo_fails);
  tcase_add_test (tc, test_honest_grain_slow_not_frozen);
  tcase_add_test (tc, test_grain_frozen_fails);
  tcase_add_test (tc, test_honest_noise_dominated_sharpness_passes);
  tcase_add_test (tc, test_honest_grain_fast_not_frozen);
  tcase_add_test (tc, test_grain_frames_early_or_late_fail);
  tcase_add_test (tc, test_grain_caption_fails);
  tcase_add_test (tc, test_zone_plate_patch_fails);
  tcase_add_test (tc, test_60_to_30_passes);
  tcase_add_test (tc, test_frame_rate_mismatch_fails);
  tcase_add_test (tc, test_fail_on_mismatch_errors);
  tcase_add_test (tc, test_interval_results);
  tcase_add_test (tc, test_missing_reference_errors);
  tcase_add_test (tc, test_empty_reference_errors);
  tcase_add_test (tc, test_signature_passes);
  tcase_add_test (tc, test_signature_other_key_fails);
  tcase_add_test (tc, test_signature_tampered_bytes_fail);
  tcase_add_test (tc, test_reported_pixels_fail);
  tcase_add_test (tc, test_missing_encoded_errors);
  tcase_add_test (tc, test_malformed_result_errors);
  return s;
}

GST_CHECK_MAIN (lpverify);

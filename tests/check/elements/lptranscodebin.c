/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lptranscodebin: ladder geometry, frame rates and counts (outputs decoded
 * and counted), GOP, encoder choice with fake hardware encoders, bad input.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpcheck.h"

#include <gst/base/base.h>
#include <gst/video/video.h>
#include <glib/gstdio.h>

#define RUN_TIMEOUT (60 * GST_SECOND)

/* What one decoded rendition looked like at the sink */
typedef struct
{
  guint frames;
  guint keyframes;              /* counted before decoding */
  gint width, height, fps_n, fps_d;
} Output;

typedef struct
{
  GstElement *pipeline;
  Output outputs[8];
  GList *warnings;              /* GstMessage */
  GstMessage *error;
  GstStructure *encoder_msg;
  GstStructure *ladder_msg;
} Run;

static void
count_decoded (GstElement * sink, GstBuffer * buffer, GstPad * pad,
    gpointer user_data)
{
  Output *out = user_data;
  GstCaps *caps = gst_pad_get_current_caps (pad);
  GstVideoInfo info;

  out->frames++;
  if (caps != NULL && gst_video_info_from_caps (&info, caps)) {
    out->width = GST_VIDEO_INFO_WIDTH (&info);
    out->height = GST_VIDEO_INFO_HEIGHT (&info);
    out->fps_n = GST_VIDEO_INFO_FPS_N (&info);
    out->fps_d = GST_VIDEO_INFO_FPS_D (&info);
  }
  gst_clear_caps (&caps);
}

static GstPadProbeReturn
count_keyframes (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Output *out = user_data;

  if (!GST_BUFFER_FLAG_IS_SET (GST_PAD_PROBE_INFO_BUFFER (info),
          GST_BUFFER_FLAG_DELTA_UNIT))
    out->keyframes++;
  return GST_PAD_PROBE_OK;
}

/* keeps the bin's encoder and ladder messages */
static void
keep_bin_message (const GstStructure * s, gpointer user_data)
{
  Run *run = user_data;

  if (gst_structure_has_name (s, "lptranscodebin-encoder"))
    run->encoder_msg = gst_structure_copy (s);
  else if (gst_structure_has_name (s, "lptranscodebin-ladder"))
    run->ladder_msg = gst_structure_copy (s);
}

/* Runs "SOURCE ! lptranscodebin name=t ..." with every src pad decoded and
 * counted. Returns when EOS or an error arrives. */
static void
run_ladder (Run * run, const gchar * source, const gchar * bin_props,
    guint n_outputs)
{
  GString *desc = g_string_new (NULL);
  GError *error = NULL;
  guint i;

  g_string_append_printf (desc, "%s ! lptranscodebin name=t %s", source,
      bin_props);
  for (i = 0; i < n_outputs; i++)
    g_string_append_printf (desc, " t.src_%u ! h264parse name=p%u ! "
        "avdec_h264 ! fakesink name=s%u signal-handoffs=true sync=false",
        i, i, i);

  memset (run, 0, sizeof (*run));
  run->pipeline = gst_parse_launch (desc->str, &error);
  fail_unless (run->pipeline != NULL, "%s: %s", desc->str,
      error ? error->message : "?");
  g_string_free (desc, TRUE);

  for (i = 0; i < n_outputs; i++) {
    gchar name[16];
    GstElement *e;
    GstPad *pad;

    g_snprintf (name, sizeof (name), "s%u", i);
    e = gst_bin_get_by_name (GST_BIN (run->pipeline), name);
    g_signal_connect (e, "handoff", G_CALLBACK (count_decoded),
        &run->outputs[i]);
    gst_object_unref (e);

    g_snprintf (name, sizeof (name), "p%u", i);
    e = gst_bin_get_by_name (GST_BIN (run->pipeline), name);
    pad = gst_element_get_static_pad (e, "src");
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_keyframes,
        &run->outputs[i], NULL);
    gst_object_unref (pad);
    gst_object_unref (e);
  }

  gst_element_set_state (run->pipeline, GST_STATE_PLAYING);
  run->error = lp_check_wait_eos (run->pipeline, RUN_TIMEOUT, &run->warnings,
      keep_bin_message, run);
}

static gchar *
selected_encoder (Run * run)
{
  GstElement *t = gst_bin_get_by_name (GST_BIN (run->pipeline), "t");
  gchar *name = NULL;

  g_object_get (t, "selected-encoder", &name, NULL);
  gst_object_unref (t);
  return name;
}

static void
run_clear (Run * run)
{
  gst_element_set_state (run->pipeline, GST_STATE_NULL);
  gst_object_unref (run->pipeline);
  g_list_free_full (run->warnings, (GDestroyNotify) gst_message_unref);
  gst_clear_message (&run->error);
  g_clear_pointer (&run->encoder_msg, gst_structure_free);
  g_clear_pointer (&run->ladder_msg, gst_structure_free);
}

static void
assert_output (const Output * out, gint width, gint height, gint fps_n,
    guint frames)
{
  fail_unless_equals_int (out->width, width);
  fail_unless_equals_int (out->height, height);
  fail_unless_equals_int (out->fps_n, fps_n);
  fail_unless_equals_int (out->frames, frames);
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

GST_START_TEST (test_ladder_16x9)
{
  Run run;

  run_ladder (&run, "videotestsrc num-buffers=60 pattern=ball ! "
      "video/x-raw,width=1280,height=720,framerate=30/1",
      "profiles=P720p30fps16x9,P360p30fps16x9,P240p30fps16x9", 3);
  assert_no_error (&run);
  assert_output (&run.outputs[0], 1280, 720, 30, 60);
  assert_output (&run.outputs[1], 640, 360, 30, 60);
  assert_output (&run.outputs[2], 426, 240, 30, 60);
  run_clear (&run);
}

GST_END_TEST;

GST_START_TEST (test_ladder_4x3_fits_inside_the_box)
{
  Run run;

  /* a 4:3 source keeps its shape: the box's height limits */
  run_ladder (&run, "videotestsrc num-buffers=30 pattern=ball ! "
      "video/x-raw,width=640,height=480,framerate=30/1",
      "profiles=P720p30fps16x9,P360p30fps16x9,tall:200x1000:300k", 3);
  assert_no_error (&run);
  assert_output (&run.outputs[0], 960, 720, 30, 30);
  assert_output (&run.outputs[1], 480, 360, 30, 30);
  /* a narrow box: the width limits, height follows the 4:3 shape */
  assert_output (&run.outputs[2], 200, 150, 30, 30);
  run_clear (&run);
}

GST_END_TEST;

GST_START_TEST (test_ladder_60_to_30_fps)
{
  Run run;

  run_ladder (&run, "videotestsrc num-buffers=120 pattern=ball ! "
      "video/x-raw,width=640,height=360,framerate=60/1",
      "profiles=P360p30fps16x9,keep:640x360:800k,P144p25fps16x9", 3);
  assert_no_error (&run);
  assert_output (&run.outputs[0], 640, 360, 30, 60);
  assert_output (&run.outputs[1], 640, 360, 60, 120);
  assert_output (&run.outputs[2], 256, 144, 25, 50);
  run_clear (&run);
}

GST_END_TEST;

GST_START_TEST (test_keyframe_every_gop_from_json_file)
{
  const gchar *json = "[{\"name\":\"g1\",\"width\":320,"
      "\"height\":180,\"bitrate\":300000,\"fps\":30,\"gop\":\"1.0\"},"
      "{\"name\":\"i\",\"width\":160,\"height\":90,\"bitrate\":100000,"
      "\"fps\":30,\"gop\":\"intra\"},{\"name\":\"d\",\"width\":320,"
      "\"height\":180,\"bitrate\":300000,\"fps\":30}]";
  gchar *dir = g_dir_make_tmp ("lptranscodebin-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, "ladder.json", NULL);
  gchar *arg = g_strdup_printf ("profiles=%s", path);
  Run run;

  fail_unless (g_file_set_contents (path, json, -1, NULL));
  /* 6 s at 30 fps */
  run_ladder (&run, "videotestsrc num-buffers=180 pattern=ball ! "
      "video/x-raw,width=320,height=180,framerate=30/1", arg, 3);
  assert_no_error (&run);
  fail_unless_equals_int (run.outputs[0].frames, 180);
  fail_unless_equals_int (run.outputs[0].keyframes, 6);
  fail_unless_equals_int (run.outputs[1].keyframes, 180);
  /* the default GOP is 2 s */
  fail_unless_equals_int (run.outputs[2].keyframes, 3);
  run_clear (&run);

  g_unlink (path);
  g_rmdir (dir);
  g_free (arg);
  g_free (path);
  g_free (dir);
}

GST_END_TEST;

GST_START_TEST (test_ladder_message_and_pad_profiles)
{
  GstElement *bin = gst_element_factory_make ("lptranscodebin", NULL);
  GstPad *pad;
  gchar *name = NULL;
  Run run;
  const GValue *renditions, *first;
  guint w;

  g_object_set (bin, "profiles", "a:320x240:200k,P144p30fps16x9", NULL);
  pad = gst_element_get_static_pad (bin, "src_1");
  fail_unless (pad != NULL);
  g_object_get (pad, "profile", &name, NULL);
  fail_unless_equals_string (name, "P144p30fps16x9");
  g_free (name);
  gst_object_unref (pad);

  /* new profiles replace the pads */
  g_object_set (bin, "profiles", "P360p30fps16x9", NULL);
  pad = gst_element_get_static_pad (bin, "src_1");
  fail_unless (pad == NULL);
  pad = gst_element_get_static_pad (bin, "src_0");
  g_object_get (pad, "profile", &name, NULL);
  fail_unless_equals_string (name, "P360p30fps16x9");
  g_free (name);
  gst_object_unref (pad);
  gst_object_unref (gst_object_ref_sink (bin));

  run_ladder (&run, "videotestsrc num-buffers=5 ! "
      "video/x-raw,width=320,height=240,framerate=30/1",
      "profiles=P360p30fps16x9", 1);
  assert_no_error (&run);
  fail_unless (run.encoder_msg != NULL);
  fail_unless_equals_string (gst_structure_get_string (run.encoder_msg,
          "encoder"), "x264enc");
  fail_unless_equals_string (gst_structure_get_string (run.encoder_msg,
          "memory"), "system");
  fail_unless (run.ladder_msg != NULL);
  renditions = gst_structure_get_value (run.ladder_msg, "renditions");
  fail_unless_equals_int (gst_value_array_get_size (renditions), 1);
  first = gst_value_array_get_value (renditions, 0);
  fail_unless (gst_structure_get_uint (gst_value_get_structure (first),
          "width", &w));
  fail_unless_equals_int (w, 480);
  run_clear (&run);
}

GST_END_TEST;

/* --- decode once, convert once ------------------------------------------- */

static guint
count_children_with_klass (GstBin * bin, const gchar * klass_part,
    const gchar * factory_name)
{
  GstIterator *it = gst_bin_iterate_recurse (bin);
  GValue item = G_VALUE_INIT;
  guint count = 0;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&item);
    GstElementFactory *f = gst_element_get_factory (e);

    if (f != NULL) {
      const gchar *klass = gst_element_factory_get_metadata (f,
          GST_ELEMENT_METADATA_KLASS);
      if ((klass_part && strstr (klass, klass_part))
          || (factory_name
              && g_str_equal (GST_OBJECT_NAME (f), factory_name)))
        count++;
    }
    g_value_reset (&item);
  }
  gst_iterator_free (it);
  return count;
}

GST_START_TEST (test_decodes_and_converts_once)
{
  Run run;
  GstElement *t;

  /* encoded input: decoded inside the bin, once for three renditions */
  run_ladder (&run, "videotestsrc num-buffers=30 pattern=ball ! "
      "video/x-raw,width=640,height=360,framerate=30/1 ! "
      "x264enc key-int-max=30 ! h264parse",
      "profiles=P360p30fps16x9,P240p30fps16x9,P144p30fps16x9", 3);
  assert_no_error (&run);
  assert_output (&run.outputs[2], 256, 144, 30, 30);
  t = gst_bin_get_by_name (GST_BIN (run.pipeline), "t");
  gst_element_set_state (run.pipeline, GST_STATE_PAUSED);
  fail_unless_equals_int (count_children_with_klass (GST_BIN (t),
          "Codec/Decoder", NULL), 1);
  fail_unless_equals_int (count_children_with_klass (GST_BIN (t), NULL,
          "videoconvert"), 1);
  fail_unless_equals_int (count_children_with_klass (GST_BIN (t), NULL,
          "lpswscale"), 3);
  gst_object_unref (t);
  run_clear (&run);
}

GST_END_TEST;

/* --- bad input ------------------------------------------------------------ */

static void
assert_start_fails (const gchar * property, const gchar * value,
    GQuark domain, gint code, const gchar * expected_text)
{
  GstElement *pipeline = gst_pipeline_new (NULL);
  GstElement *src = gst_element_factory_make ("videotestsrc", NULL);
  GstElement *bin = gst_element_factory_make ("lptranscodebin", NULL);
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GError *err = NULL;

  gst_bin_add_many (GST_BIN (pipeline), src, bin, NULL);
  fail_unless (gst_element_link (src, bin));
  gst_util_set_object_arg (G_OBJECT (bin), property, value);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no error for %s=%s", property, value);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (err->domain == domain && err->code == code,
      "%s=%s: unexpected error %s:%d %s", property, value,
      g_quark_to_string (err->domain), err->code, err->message);
  fail_unless (strstr (err->message, expected_text) != NULL,
      "error '%s' does not name '%s'", err->message, expected_text);
  g_error_free (err);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_START_TEST (test_bad_profiles_fail_with_settings_error)
{
  static const gchar *bad[][2] = {
    {"P720p30fps16x9,P999p30fps", "P999p30fps"},
    {"hd:1280x720:fast", "fast"},
    {"hd:1280by720:3000k", "1280by720"},
    {"hd:1280x720@0:3000k", "frame rate '0'"},
    {"hd:1x720:3000k", "1x720"},
    {"bad name:640x360:1M", "bad name"},
    {"a:640x360:1M,a:320x180:500k", "'a'"},
    {"P360p30fps16x9,,P240p30fps16x9", "empty entry"},
    {"", "empty"},
    {"[{\"name\":\"x\",\"width\":640,\"height\":360}]", "bitrate"},
    {"[{\"name\":\"x\",\"width\":640,\"height\":360,\"bitrate\":1,"
          "\"encoder\":\"VP9\"}]", "VP9"},
    {"/nonexistent/profiles.json", "profiles.json"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    assert_start_fails ("profiles", bad[i][0], GST_RESOURCE_ERROR,
        GST_RESOURCE_ERROR_SETTINGS, bad[i][1]);
  }
}

GST_END_TEST;

GST_START_TEST (test_bad_encoder)
{
  assert_start_fails ("encoder", "nosuchencoder", GST_CORE_ERROR,
      GST_CORE_ERROR_MISSING_PLUGIN, "nosuchencoder");
  assert_start_fails ("encoder", "identity", GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, "identity");
}

GST_END_TEST;

/* --- encoder choice with fake hardware encoders --------------------------- */

/* A "hardware" H.264 encoder for tests: a bin around x264enc whose metadata
 * says Codec/Encoder/Video/Hardware. With fail_at_start it refuses to start,
 * like an NVENC factory on a GPU without NVENC. */
typedef struct
{
  GstBin parent;
} FakeHwEnc;
typedef struct
{
  GstBinClass parent;
  gboolean fail_at_start;
} FakeHwEncClass;

static GstStaticPadTemplate fake_sink = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS ("video/x-raw"));
static GstStaticPadTemplate fake_src = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS ("video/x-h264"));

static GstElementClass *fake_parent_class;

static GstStateChangeReturn
fake_change_state (GstElement * element, GstStateChange transition)
{
  FakeHwEncClass *klass = (FakeHwEncClass *) G_OBJECT_GET_CLASS (element);

  if (transition == GST_STATE_CHANGE_NULL_TO_READY && klass->fail_at_start) {
    GST_ELEMENT_ERROR (element, LIBRARY, INIT, ("no encoder session"),
        ("fake hardware refuses to open"));
    return GST_STATE_CHANGE_FAILURE;
  }
  return fake_parent_class->change_state (element, transition);
}

static void
fake_class_init (gpointer g_class, gpointer class_data)
{
  GstElementClass *element_class = g_class;

  fake_parent_class = g_type_class_peek_parent (g_class);
  ((FakeHwEncClass *) g_class)->fail_at_start = GPOINTER_TO_INT (class_data);
  element_class->change_state = fake_change_state;
  gst_element_class_add_static_pad_template (element_class, &fake_sink);
  gst_element_class_add_static_pad_template (element_class, &fake_src);
  gst_element_class_set_static_metadata (element_class, "Fake HW H.264",
      "Codec/Encoder/Video/Hardware", "test encoder", "tests");
}

static void
fake_init (GTypeInstance * instance, gpointer g_class)
{
  GstBin *bin = (GstBin *) instance;
  GstElement *enc;
  GstPad *pad;

  if (((FakeHwEncClass *) g_class)->fail_at_start) {
    /* never starts: pads to link to are all it needs */
    gst_element_add_pad (GST_ELEMENT (bin),
        gst_ghost_pad_new_no_target_from_template ("sink",
            gst_static_pad_template_get (&fake_sink)));
    gst_element_add_pad (GST_ELEMENT (bin),
        gst_ghost_pad_new_no_target_from_template ("src",
            gst_static_pad_template_get (&fake_src)));
    return;
  }
  enc = gst_element_factory_make ("x264enc", NULL);
  gst_bin_add (bin, enc);
  pad = gst_element_get_static_pad (enc, "sink");
  gst_element_add_pad (GST_ELEMENT (bin), gst_ghost_pad_new ("sink", pad));
  gst_object_unref (pad);
  pad = gst_element_get_static_pad (enc, "src");
  gst_element_add_pad (GST_ELEMENT (bin), gst_ghost_pad_new ("src", pad));
  gst_object_unref (pad);
}

static void
register_fake_encoder (const gchar * name, guint rank, gboolean fail_at_start)
{
  GTypeInfo info = {
    sizeof (FakeHwEncClass), NULL, NULL, fake_class_init, NULL,
    GINT_TO_POINTER (fail_at_start), sizeof (FakeHwEnc), 0, fake_init, NULL
  };
  gchar *type_name = g_strconcat ("Test", name, NULL);
  GType type = g_type_register_static (GST_TYPE_BIN, type_name, &info, 0);

  fail_unless (gst_element_register (NULL, name, rank, type));
  g_free (type_name);
}

GST_START_TEST (test_fake_hardware_encoder_preferred)
{
  Run run;
  gchar *name;

  register_fake_encoder ("fakehwh264enc", GST_RANK_PRIMARY + 100, FALSE);
  run_ladder (&run, "videotestsrc num-buffers=20 ! "
      "video/x-raw,width=320,height=240,framerate=30/1",
      "profiles=P240p30fps16x9", 1);
  assert_no_error (&run);
  name = selected_encoder (&run);
  fail_unless_equals_string (name, "fakehwh264enc");
  g_free (name);
  fail_unless (run.encoder_msg != NULL);
  fail_unless_equals_string (gst_structure_get_string (run.encoder_msg,
          "encoder"), "fakehwh264enc");
  fail_unless (g_value_get_boolean (gst_structure_get_value (run.encoder_msg,
              "hardware")));
  fail_unless_equals_int (run.outputs[0].frames, 20);
  fail_unless (run.warnings == NULL);
  run_clear (&run);
}

GST_END_TEST;

GST_START_TEST (test_failing_hardware_encoder_falls_back)
{
  Run run;
  GError *err = NULL;
  gchar *debug = NULL, *name;

  register_fake_encoder ("brokenhwh264enc", GST_RANK_PRIMARY + 200, TRUE);
  run_ladder (&run, "videotestsrc num-buffers=20 ! "
      "video/x-raw,width=320,height=240,framerate=30/1",
      "profiles=P240p30fps16x9", 1);
  assert_no_error (&run);
  name = selected_encoder (&run);
  fail_unless_equals_string (name, "x264enc");
  g_free (name);
  fail_unless_equals_int (run.outputs[0].frames, 20);

  /* exactly one warning, naming the encoder and why it was skipped */
  fail_unless_equals_int (g_list_length (run.warnings), 1);
  gst_message_parse_warning (run.warnings->data, &err, &debug);
  fail_unless (strstr (err->message, "brokenhwh264enc") != NULL, "%s",
      err->message);
  fail_unless (strstr (debug, "no encoder session") != NULL, "%s", debug);
  g_error_free (err);
  g_free (debug);
  run_clear (&run);

  /* asked for by name, it is an error rather than a fallback */
  assert_start_fails ("encoder", "brokenhwh264enc", GST_CORE_ERROR,
      GST_CORE_ERROR_FAILED, "brokenhwh264enc");
}

GST_END_TEST;

GST_START_TEST (test_denied_encoder_never_chosen)
{
  GstElementFactory *omx = gst_element_factory_find ("avenc_h264_omx");
  Run run;
  gchar *name;

  if (omx == NULL)
    return;                     /* only some gst-libav builds register it */
  /* even ranked above everything else it is not a candidate */
  gst_plugin_feature_set_rank (GST_PLUGIN_FEATURE (omx), GST_RANK_PRIMARY * 4);
  run_ladder (&run, "videotestsrc num-buffers=5 ! "
      "video/x-raw,width=320,height=240,framerate=30/1",
      "profiles=P240p30fps16x9", 1);
  assert_no_error (&run);
  name = selected_encoder (&run);
  fail_unless_equals_string (name, "x264enc");
  fail_unless (run.warnings == NULL);
  g_free (name);
  run_clear (&run);
  gst_object_unref (omx);
}

GST_END_TEST;

GST_START_TEST (test_no_working_encoder_is_missing_plugin)
{
  static const gchar *software[] = { "x264enc", "openh264enc" };
  GstRegistry *registry = gst_registry_get ();
  guint i;

  /* this test's process only: no software encoder, and the only hardware
   * one fails to start */
  for (i = 0; i < G_N_ELEMENTS (software); i++) {
    GstPluginFeature *f = gst_registry_lookup_feature (registry, software[i]);
    if (f != NULL) {
      gst_registry_remove_feature (registry, f);
      gst_object_unref (f);
    }
  }
  register_fake_encoder ("brokenhwh264enc", GST_RANK_PRIMARY, TRUE);
  assert_start_fails ("encoder", "auto", GST_CORE_ERROR,
      GST_CORE_ERROR_MISSING_PLUGIN, "no working H.264 encoder");
}

GST_END_TEST;

GST_START_TEST (test_missing_branch_element_fails_cleanly)
{
  GstRegistry *registry = gst_registry_get ();
  GstPluginFeature *rate = gst_registry_lookup_feature (registry, "videorate");

  /* the ladder fails halfway through building a rendition: a clear error,
   * and everything made so far is released (the leaks tracer checks) */
  fail_unless (rate != NULL);
  gst_registry_remove_feature (registry, rate);
  gst_object_unref (rate);
  assert_start_fails ("profiles", "P240p30fps16x9,P144p30fps16x9",
      GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN, "videorate");
}

GST_END_TEST;

/* --- the CUDA memory path, with stand-ins for nvcodec -------------------- */

/* No GPU here, so the nvcodec factories the CUDA path names are registered
 * in-test: caps-feature changers that pass buffers through, and bins around
 * CPU elements. What is tested is the wiring: the memory path chosen with
 * the encoder, caps features end to end, one upload and convert, a scaler
 * per rendition, and a hardware decoder preferred over a higher-ranked
 * software one. */

#define CUDA_CAPS "video/x-raw(memory:CUDAMemory)"

typedef struct
{
  const gchar *sink_caps, *src_caps;    /* templates */
  const gchar *klass;
  const gchar *description;     /* bins only */
} StandIn;

static GstCaps *
feature_transform_caps (GstBaseTransform * trans, GstPadDirection direction,
    GstCaps * caps, GstCaps * filter)
{
  GstPad *other = direction == GST_PAD_SINK ? trans->srcpad : trans->sinkpad;
  GstCaps *templ = gst_pad_get_pad_template_caps (other);
  GstCaps *result = gst_caps_new_empty ();
  guint i, j;

  /* same fields, any of the features the other side's template has */
  for (i = 0; i < gst_caps_get_size (caps); i++) {
    for (j = 0; j < gst_caps_get_size (templ); j++) {
      GstStructure *s = gst_structure_copy (gst_caps_get_structure (caps, i));
      gst_structure_set_name (s, "video/x-raw");
      result = gst_caps_merge_structure_full (result, s,
          gst_caps_features_copy (gst_caps_get_features (templ, j)));
    }
  }
  gst_caps_unref (templ);
  if (filter != NULL) {
    GstCaps *tmp = gst_caps_intersect_full (filter, result,
        GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref (result);
    result = tmp;
  }
  return result;
}

static void
stand_in_add_templates (GstElementClass * element_class, const StandIn * si)
{
  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
          gst_caps_from_string (si->sink_caps)));
  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
          gst_caps_from_string (si->src_caps)));
  gst_element_class_set_static_metadata (element_class, "stand-in",
      si->klass, "test stand-in", "tests");
}

static void
feature_class_init (gpointer g_class, gpointer class_data)
{
  GST_BASE_TRANSFORM_CLASS (g_class)->transform_caps = feature_transform_caps;
  stand_in_add_templates (GST_ELEMENT_CLASS (g_class), class_data);
}

static void
feature_init (GTypeInstance * instance, gpointer g_class)
{
  /* buffers pass untouched: only the caps features change */
  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (instance), TRUE);
}

static void
bin_class_init (gpointer g_class, gpointer class_data)
{
  stand_in_add_templates (GST_ELEMENT_CLASS (g_class), class_data);
}

static void
bin_init (GTypeInstance * instance, gpointer g_class)
{
  GstPadTemplate *templ =
      gst_element_class_get_pad_template (GST_ELEMENT_CLASS (g_class), "sink");
  const StandIn *si = g_type_get_qdata (G_TYPE_FROM_CLASS (g_class),
      g_quark_from_static_string ("stand-in"));
  GstElement *inner = gst_parse_bin_from_description (si->description, TRUE,
      NULL);
  GstPad *pad;

  fail_unless (inner != NULL, "%s", si->description);
  gst_bin_add (GST_BIN (instance), inner);
  pad = gst_element_get_static_pad (inner, "sink");
  gst_element_add_pad (GST_ELEMENT (instance),
      gst_ghost_pad_new_from_template ("sink", pad, templ));
  gst_object_unref (pad);
  pad = gst_element_get_static_pad (inner, "src");
  gst_element_add_pad (GST_ELEMENT (instance),
      gst_ghost_pad_new_from_template ("src", pad,
          gst_element_class_get_pad_template (GST_ELEMENT_CLASS (g_class),
              "src")));
  gst_object_unref (pad);
}

static void
register_stand_in (const gchar * name, guint rank, const StandIn * si)
{
  gboolean is_bin = si->description != NULL;
  GTypeInfo info = {
    is_bin ? sizeof (GstBinClass) : sizeof (GstBaseTransformClass), NULL,
    NULL, is_bin ? bin_class_init : feature_class_init, NULL, si,
    is_bin ? sizeof (GstBin) : sizeof (GstBaseTransform), 0,
    is_bin ? bin_init : feature_init, NULL
  };
  gchar *type_name = g_strconcat ("TestStandIn_", name, NULL);
  GType type = g_type_register_static (is_bin ? GST_TYPE_BIN :
      GST_TYPE_BASE_TRANSFORM, type_name, &info, 0);

  g_type_set_qdata (type, g_quark_from_static_string ("stand-in"),
      (gpointer) si);
  fail_unless (gst_element_register (NULL, name, rank, type));
  g_free (type_name);
}

static const StandIn to_system = { CUDA_CAPS, "video/x-raw", "Filter", NULL };
static const StandIn to_cuda = { "video/x-raw", CUDA_CAPS, "Filter", NULL };
static const StandIn upload = { "video/x-raw; " CUDA_CAPS, CUDA_CAPS,
  "Filter/Video", NULL
};
static const StandIn convert = { CUDA_CAPS, CUDA_CAPS, "Filter/Converter/Video",
  NULL
};
static const StandIn scale = { CUDA_CAPS, CUDA_CAPS, "Filter/Converter/Video",
  "lptesttosystem ! lpswscale ! lptesttocuda"
};
static const StandIn encoder = { CUDA_CAPS, "video/x-h264",
  "Codec/Encoder/Video/Hardware", "lptesttosystem ! x264enc"
};
static const StandIn decoder = { "video/x-h264", CUDA_CAPS,
  "Codec/Decoder/Video/Hardware", "avdec_h264 ! lptesttocuda"
};

GST_START_TEST (test_cuda_path_with_stand_ins)
{
  GstElementFactory *real = gst_element_factory_find ("cudaupload");
  GstElement *t;
  Run run;

  if (real != NULL) {
    /* a machine with a GPU: the real path is there, nothing to stand in */
    gst_object_unref (real);
    return;
  }
  register_stand_in ("lptesttosystem", GST_RANK_NONE, &to_system);
  register_stand_in ("lptesttocuda", GST_RANK_NONE, &to_cuda);
  register_stand_in ("cudaupload", GST_RANK_NONE, &upload);
  register_stand_in ("cudaconvert", GST_RANK_NONE, &convert);
  register_stand_in ("cudascale", GST_RANK_NONE, &scale);
  register_stand_in ("nvh264enc", GST_RANK_NONE, &encoder);
  /* ranked below avdec_h264: only the GPU path's preference picks it */
  register_stand_in ("lptesthwh264dec", GST_RANK_MARGINAL, &decoder);

  /* I420 in: the stand-in converter passes buffers through unconverted */
  run_ladder (&run, "videotestsrc num-buffers=30 pattern=ball ! "
      "video/x-raw,format=I420,width=640,height=480,framerate=30/1 ! "
      "x264enc key-int-max=30 ! h264parse",
      "profiles=P360p30fps16x9,P240p30fps16x9", 2);
  assert_no_error (&run);
  fail_unless (run.encoder_msg != NULL);
  fail_unless_equals_string (gst_structure_get_string (run.encoder_msg,
          "encoder"), "nvh264enc");
  fail_unless_equals_string (gst_structure_get_string (run.encoder_msg,
          "memory"), "memory:CUDAMemory");
  assert_output (&run.outputs[0], 480, 360, 30, 30);
  assert_output (&run.outputs[1], 320, 240, 30, 30);

  t = gst_bin_get_by_name (GST_BIN (run.pipeline), "t");
  gst_element_set_state (run.pipeline, GST_STATE_PAUSED);
  fail_unless_equals_int (count_children_with_klass (GST_BIN (t), NULL,
          "lptesthwh264dec"), 1);
  /* the only software decoder is the one inside the stand-in */
  fail_unless_equals_int (count_children_with_klass (GST_BIN (t), NULL,
          "avdec_h264"), 1);
  fail_unless_equals_int (count_children_with_klass (GST_BIN (t), NULL,
          "cudaupload"), 1);
  fail_unless_equals_int (count_children_with_klass (GST_BIN (t), NULL,
          "cudascale"), 2);
  fail_unless_equals_int (count_children_with_klass (GST_BIN (t), NULL,
          "videoconvert"), 0);
  gst_object_unref (t);
  run_clear (&run);
}

GST_END_TEST;

static Suite *
lptranscodebin_suite (void)
{
  Suite *s = suite_create ("lptranscodebin");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();
  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_ladder_16x9);
  tcase_add_test (tc, test_ladder_4x3_fits_inside_the_box);
  tcase_add_test (tc, test_ladder_60_to_30_fps);
  tcase_add_test (tc, test_keyframe_every_gop_from_json_file);
  tcase_add_test (tc, test_ladder_message_and_pad_profiles);
  tcase_add_test (tc, test_decodes_and_converts_once);
  tcase_add_test (tc, test_bad_profiles_fail_with_settings_error);
  tcase_add_test (tc, test_bad_encoder);
  tcase_add_test (tc, test_fake_hardware_encoder_preferred);
  tcase_add_test (tc, test_failing_hardware_encoder_falls_back);
  tcase_add_test (tc, test_denied_encoder_never_chosen);
  tcase_add_test (tc, test_cuda_path_with_stand_ins);
  tcase_add_test (tc, test_no_working_encoder_is_missing_plugin);
  tcase_add_test (tc, test_missing_branch_element_fails_cleanly);
  return s;
}

GST_CHECK_MAIN (lptranscodebin);

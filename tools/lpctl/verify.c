/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * lpctl verify: renditions checked against their source with lpverify.
 * One pipeline, filesrc ! decodebin ! queue ! videoconvert ! lpverify.PAD
 * per input and a fakesink per lpverify source pad, run to EOS on the main
 * thread's bus; the verdicts come from lpverify's final "lpverify-result"
 * element message.
 *
 * Threads: decodebin's pad-added and no-more-pads run on streaming
 * threads; each touches only the linked flag of its own VerifyInput. The
 * main thread reads only an input's file and pad, set before the pipeline
 * starts.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>

#include "lpctl.h"

#include <gst/livepeer/lppipeline.h>

/* ------------------------------------------------------------------------ */
/* inputs                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct
{
  const gchar *file;
  gchar *pad;                   /* lpverify's sink pad: reference or sink_N */
  GstElement *queue;
  gboolean linked;
} VerifyInput;

#define VERIFY_INPUT_QUARK (verify_input_quark ())

static GQuark
verify_input_quark (void)
{
  return g_quark_from_static_string ("lpctl-verify-input");
}

/* decodebin's pad-added: links its first raw video pad to the queue */
static void
verify_pad_added (GstElement * decodebin, GstPad * pad, VerifyInput * in)
{
  GstCaps *caps;
  GstPad *sinkpad;
  gboolean video;

  if (in->linked)
    return;
  caps = gst_pad_get_current_caps (pad);
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  video = caps != NULL && gst_caps_get_size (caps) > 0 &&
      g_str_has_prefix (gst_structure_get_name (gst_caps_get_structure (caps,
              0)), "video/x-raw");
  if (caps != NULL)
    gst_caps_unref (caps);
  if (!video)
    return;
  sinkpad = gst_element_get_static_pad (in->queue, "sink");
  if (gst_pad_link (pad, sinkpad) == GST_PAD_LINK_OK)
    in->linked = TRUE;
  gst_object_unref (sinkpad);
}

/* decodebin's no-more-pads: an input without video is an error */
static void
verify_no_more_pads (GstElement * decodebin, VerifyInput * in)
{
  GError *error;

  if (in->linked)
    return;
  error = g_error_new_literal (GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE,
      "it has no video stream");
  gst_element_post_message (decodebin,
      gst_message_new_error (GST_OBJECT (decodebin), error, NULL));
  g_error_free (error);
}

/* The input a message comes from: the nearest of its source's ancestors
 * that is one of an input's elements */
static VerifyInput *
verify_input_of (GstObject * object)
{
  for (; object != NULL; object = GST_OBJECT_PARENT (object)) {
    VerifyInput *in = g_object_get_qdata (G_OBJECT (object),
        VERIFY_INPUT_QUARK);

    if (in != NULL)
      return in;
  }
  return NULL;
}

/* filesrc ! decodebin ! queue ! videoconvert ! lpverify.PAD; FALSE when an
 * element is missing */
static gboolean
verify_add_input (GstElement * pipeline, GstElement * verify, VerifyInput * in)
{
  GstElement *src, *dec, *conv;
  gboolean ok;

  src = gst_element_factory_make ("filesrc", NULL);
  dec = gst_element_factory_make ("decodebin", NULL);
  in->queue = gst_element_factory_make ("queue", NULL);
  conv = gst_element_factory_make ("videoconvert", NULL);
  if (src == NULL || dec == NULL || in->queue == NULL || conv == NULL) {
    g_printerr ("lpctl verify: GStreamer's filesrc, decodebin, queue or "
        "videoconvert element is missing\n");
    gst_clear_object (&src);
    gst_clear_object (&dec);
    gst_clear_object (&in->queue);
    gst_clear_object (&conv);
    return FALSE;
  }
  g_object_set (src, "location", in->file, NULL);
  /* the inputs do not share a thread: a full queue only holds its own
   * input back, so the limit is a memory bound, never a deadlock */
  g_object_set (in->queue, "max-size-buffers", 0, "max-size-bytes", 0,
      "max-size-time", (guint64) 5 * GST_SECOND, NULL);
  g_object_set_qdata (G_OBJECT (src), VERIFY_INPUT_QUARK, in);
  g_object_set_qdata (G_OBJECT (dec), VERIFY_INPUT_QUARK, in);
  g_object_set_qdata (G_OBJECT (in->queue), VERIFY_INPUT_QUARK, in);
  g_object_set_qdata (G_OBJECT (conv), VERIFY_INPUT_QUARK, in);
  gst_bin_add_many (GST_BIN (pipeline), src, dec, in->queue, conv, NULL);
  g_signal_connect (dec, "pad-added", G_CALLBACK (verify_pad_added), in);
  g_signal_connect (dec, "no-more-pads", G_CALLBACK (verify_no_more_pads),
      in);
  ok = gst_element_link (src, dec) && gst_element_link (in->queue, conv) &&
      gst_element_link_pads (conv, "src", verify, in->pad);
  if (!ok)
    g_printerr ("lpctl verify: could not link the pipeline of %s\n",
        in->file);
  return ok;
}

/* a fakesink on lpverify's source pad @name */
static gboolean
verify_add_sink (GstElement * pipeline, GstElement * verify,
    const gchar * name)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  if (sink == NULL) {
    g_printerr ("lpctl verify: GStreamer's fakesink element is missing\n");
    return FALSE;
  }
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (pipeline), sink);
  return gst_element_link_pads (verify, name, sink, "sink");
}

/* ------------------------------------------------------------------------ */
/* results                                                                  */
/* ------------------------------------------------------------------------ */

/* What cmd_verify's pipeline run keeps */
typedef struct
{
  GstElement *verify;
  VerifyInput *inputs;
  guint n_inputs;
  GstStructure *result;         /* lpverify's final result */
} VerifyRun;

/* The pipeline's messages while it runs: lpverify's final result is kept
 * and its warnings (a rendition's failures) are printed */
static gboolean
verify_on_message (GstMessage * msg, gpointer user_data)
{
  VerifyRun *run = user_data;
  GError *error = NULL;
  guint i;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ELEMENT:{
      const GstStructure *s = gst_message_get_structure (msg);
      gboolean final = FALSE;

      if (GST_MESSAGE_SRC (msg) == GST_OBJECT (run->verify) &&
          gst_structure_has_name (s, "lpverify-result") &&
          gst_structure_get_boolean (s, "final", &final) && final) {
        if (run->result != NULL)
          gst_structure_free (run->result);
        run->result = gst_structure_copy (s);
      }
      break;
    }
    case GST_MESSAGE_WARNING:{
      gchar *debug = NULL;

      /* lpverify's failures: "Rendition sink_N failed verification: ..." */
      gst_message_parse_warning (msg, &error, &debug);
      if (GST_MESSAGE_SRC (msg) == GST_OBJECT (run->verify)) {
        const gchar *text = error->message, *file = NULL;

        for (i = 1; i < run->n_inputs; i++) {
          gchar *prefix = g_strdup_printf ("Rendition %s failed ",
              run->inputs[i].pad);

          if (g_str_has_prefix (text, prefix)) {
            file = run->inputs[i].file;
            text += strlen ("Rendition ") + strlen (run->inputs[i].pad) + 1;
          }
          g_free (prefix);
          if (file != NULL)
            break;
        }
        if (file != NULL)
          g_printerr ("lpctl verify: %s: %s\n", file, text);
        else
          g_printerr ("lpctl verify: %s\n", text);
      }
      g_clear_error (&error);
      g_free (debug);
      break;
    }
    default:
      break;
  }
  return TRUE;
}

static gdouble
verify_double (const GstStructure * s, const gchar * field)
{
  gdouble d = 0.0;

  gst_structure_get_double (s, field, &d);
  return d;
}

static guint64
verify_uint64 (const GstStructure * s, const gchar * field)
{
  guint64 v = 0;

  gst_structure_get_uint64 (s, field, &v);
  return v;
}

static guint
verify_uint (const GstStructure * s, const gchar * field)
{
  guint v = 0;

  gst_structure_get_uint (s, field, &v);
  return v;
}

/* ------------------------------------------------------------------------ */
/* thresholds                                                               */
/* ------------------------------------------------------------------------ */

/* An lpverify threshold that lpctl verify takes as an option of the same
 * name: lpverify's default unless given, refused outside [min, max]. */
typedef struct
{
  const gchar *name;            /* the option and the lpverify property */
  gdouble unset;                /* the value that means "not given" */
  gdouble min, max;
  const gchar *range;           /* the usage error's words for [min, max] */
  const gchar *description;
  const gchar *arg_description;
} Threshold;

/* NAN: not given (-1 is a valid noise correlation) */
static const Threshold thresholds[] = {
  {"min-psnr", -1.0, 0.0, 100.0, "must be between 0 and 100 dB",
        "Lowest 5th-percentile PSNR-Y that passes, in dB (default 25; 0 "
        "disables the check)", "DB"},
  {"min-ssim", -1.0, 0.0, 1.0, "must be between 0 and 1",
        "Lowest 5th-percentile SSIM-Y that passes, 0..1 (default 0.90; 0 "
        "disables the check)", "X"},
  {"max-block-error", NAN, 0.0, 255.0, "must be between 0 and 255",
        "Highest 95th-percentile difference of 16x16 block means of Y "
        "that passes (default 16; 255 disables the check)", "X"},
  {"min-sharpness", NAN, 0.0, INFINITY, "must not be negative",
        "Lowest ratio of the rendition's gradient energy to the "
        "reference's that passes (default 0.7; 0 disables the check)", "X"},
  {"max-added-structure", NAN, 0.0, G_MAXDOUBLE, "must not be negative",
        "Highest mean variance a rendition may add to a 16x16 window of "
        "the source, relative to the source's (default 3.5; 1e308 "
        "disables the check)", "X"},
  {"max-replaced-structure", NAN, 0.0, 2.0, "must be between 0 and 2",
        "Highest mean of 1 less the lowest correlation of a 16x16 window "
        "with the source's that passes (default 0.4; 2 disables the "
        "check)", "X"},
  {"min-noise-correlation", NAN, -1.0, 1.0, "must be between -1 and 1",
        "For noise-like content: lowest correlation of 8x8 block means "
        "with the reference that passes, that of the Laplacians must be "
        "0.4 of it (default 0.1; -1 disables the check)", "X"},
};

#define N_THRESHOLDS G_N_ELEMENTS (thresholds)

static gboolean
threshold_given (const Threshold * t, gdouble value)
{
  return isnan (t->unset) ? !isnan (value) : value != t->unset;
}

/* The option entry of threshold @i, parsed into @value */
static GOptionEntry
threshold_entry (guint i, gdouble * value)
{
  GOptionEntry entry = { thresholds[i].name, 0, 0, G_OPTION_ARG_DOUBLE, value,
    thresholds[i].description, thresholds[i].arg_description
  };

  return entry;
}

/* A usage error for the first given value out of its range; -1 when all
 * are in range. */
static int
check_thresholds (const gchar * command, const gdouble * values)
{
  guint i;

  for (i = 0; i < N_THRESHOLDS; i++) {
    const Threshold *t = &thresholds[i];

    if (threshold_given (t, values[i])
        && (values[i] < t->min || values[i] > t->max)) {
      gchar *message = g_strdup_printf ("--%s %s", t->name, t->range);
      int ret = usage_error (command, message);

      g_free (message);
      return ret;
    }
  }
  return -1;
}

static void
set_thresholds (GstElement * verify, const gdouble * values)
{
  guint i;

  for (i = 0; i < N_THRESHOLDS; i++)
    if (threshold_given (&thresholds[i], values[i]))
      g_object_set (verify, thresholds[i].name, values[i], NULL);
}

/* ------------------------------------------------------------------------ */
/* the command                                                              */
/* ------------------------------------------------------------------------ */

int
cmd_verify (int argc, char **argv)
{
  static const gchar command[] = "verify";
  gchar **profiles = NULL;
  gdouble values[N_THRESHOLDS];
  gint max_mismatch = -1, sample_interval = -1;
  gboolean as_json = FALSE;
  const GOptionEntry first = {"profile", 'p', 0, G_OPTION_ARG_STRING_ARRAY,
    &profiles, "The profile rendition N (0 for the first) must follow: a "
        "Livepeer preset (P144p30fps16x9, P240p30fps16x9, P360p30fps16x9, "
        "P720p30fps16x9, ...) or WIDTHxHEIGHT[@FPS]; repeatable",
    "N=PROFILE"
  };
  const GOptionEntry last[] = {
    {"max-frame-mismatch", 0, 0, G_OPTION_ARG_INT, &max_mismatch,
          "Frames a rendition may have unmatched, duplicated, dropped or "
          "frozen, in all (default 2)", "N"},
    {"sample-interval", 0, 0, G_OPTION_ARG_INT, &sample_interval,
          "Compare every Nth matched frame for quality (default 10; 1 "
          "compares all)", "N"},
    {"json", 0, 0, G_OPTION_ARG_NONE, &as_json,
        "Print one JSON object instead of a table", NULL},
    {NULL}
  };
  GOptionEntry entries[1 + N_THRESHOLDS + G_N_ELEMENTS (last)];
  VerifyInput *inputs = NULL;
  guint n_inputs = 0, n_renditions, i;
  GstElement *pipeline = NULL, *verify = NULL;
  GstStructure *result = NULL;
  GstBus *bus = NULL;
  GError *error = NULL;
  gboolean done = FALSE;
  int ret;

  /* --profile, the thresholds, then the rest, as --help lists them */
  entries[0] = first;
  for (i = 0; i < N_THRESHOLDS; i++) {
    values[i] = thresholds[i].unset;
    entries[1 + i] = threshold_entry (i, &values[i]);
  }
  memcpy (&entries[1 + N_THRESHOLDS], last, sizeof (last));

  ret = parse_action (command, "SOURCE RENDITION...",
      "Checks renditions against the source they were made from with the\n"
      "lpverify element: any files GStreamer can demux and decode. Each\n"
      "rendition's frames are matched to the source's by time and compared\n"
      "with the source scaled to the rendition's size (PSNR and SSIM of Y);\n"
      "a rendition fails on missing, extra, dropped or frozen frames, on\n"
      "scores below the thresholds, or on a size or frame rate other than\n"
      "its --profile. Prints a row per rendition: its verdict, the failed\n"
      "check, frames, size and the mean and 5th-percentile scores.\n"
      "\n"
      "Exit status: 0 when every rendition passes, 1 when one fails, 2 on a\n"
      "usage error or an input that cannot be read or decoded.",
      entries, &argc, &argv);
  if (ret >= 0)
    goto done;

  if (argc < 3) {
    ret = usage_error (command, argc < 2 ? "give the SOURCE and at least "
        "one RENDITION" : "give at least one RENDITION after the SOURCE");
    goto done;
  }
  n_renditions = argc - 2;
  ret = check_thresholds (command, values);
  if (ret >= 0)
    goto done;
  if (max_mismatch < -1) {
    ret = usage_error (command, "--max-frame-mismatch must be 0 or more");
    goto done;
  }
  if (sample_interval == 0 || sample_interval < -1) {
    ret = usage_error (command, "--sample-interval must be 1 or more");
    goto done;
  }

  n_inputs = n_renditions + 1;
  inputs = g_new0 (VerifyInput, n_inputs);
  for (i = 0; i < n_inputs; i++) {
    inputs[i].file = argv[i + 1];
    inputs[i].pad = i == 0 ? g_strdup ("reference") :
        g_strdup_printf ("sink_%u", i - 1);
  }

  if (!gst_init_check (NULL, NULL, &error)) {
    g_printerr ("lpctl verify: could not initialize GStreamer: %s\n",
        error->message);
    g_error_free (error);
    ret = EXIT_USAGE;
    goto done;
  }
  verify = gst_element_factory_make ("lpverify", "v");
  if (verify == NULL) {
    g_printerr ("lpctl verify: the lpverify element is not installed "
        "(GST_PLUGIN_PATH?)\n");
    ret = EXIT_USAGE;
    goto done;
  }
  set_thresholds (verify, values);
  if (max_mismatch >= 0)
    g_object_set (verify, "max-frame-mismatch", (guint) max_mismatch, NULL);
  if (sample_interval > 0)
    g_object_set (verify, "sample-interval", (guint) sample_interval, NULL);

  pipeline = gst_pipeline_new ("lpctl-verify");
  gst_bin_add (GST_BIN (pipeline), verify);
  if (!verify_add_sink (pipeline, verify, "src")) {
    ret = EXIT_USAGE;
    goto done;
  }
  for (i = 1; i < n_inputs; i++) {
    GstPad *pad = gst_element_request_pad_simple (verify, "sink_%u");
    gchar *src_name;

    g_free (inputs[i].pad);
    inputs[i].pad = gst_pad_get_name (pad);
    gst_object_unref (pad);
    src_name = g_strdup_printf ("src_%s", inputs[i].pad + strlen ("sink_"));
    if (!verify_add_sink (pipeline, verify, src_name)) {
      g_free (src_name);
      ret = EXIT_USAGE;
      goto done;
    }
    g_free (src_name);
  }
  for (i = 0; profiles != NULL && profiles[i] != NULL; i++) {
    const gchar *eq = strchr (profiles[i], '=');
    gchar *end = NULL;
    guint64 n = 0;
    GstPad *pad;

    if (eq != NULL && eq != profiles[i] && g_ascii_isdigit (profiles[i][0]))
      n = g_ascii_strtoull (profiles[i], &end, 10);
    if (eq == NULL || end != eq || eq[1] == '\0') {
      ret = usage_error (command, "--profile takes N=PROFILE, N the "
          "rendition's number (0 for the first)");
      goto done;
    }
    if (n >= n_renditions) {
      gchar *message = g_strdup_printf ("--profile %s: there is no "
          "rendition %" G_GUINT64_FORMAT " (the first is 0)", profiles[i], n);

      ret = usage_error (command, message);
      g_free (message);
      goto done;
    }
    pad = gst_element_get_static_pad (verify, inputs[n + 1].pad);
    g_object_set (pad, "profile", eq + 1, NULL);
    gst_object_unref (pad);
  }
  for (i = 0; i < n_inputs; i++) {
    if (!verify_add_input (pipeline, verify, &inputs[i])) {
      ret = EXIT_USAGE;
      goto done;
    }
  }

  bus = gst_element_get_bus (pipeline);
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    /* the reason is an error on the bus, if any */
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 0, GST_MESSAGE_ERROR);

    if (msg != NULL) {
      VerifyInput *in = verify_input_of (GST_MESSAGE_SRC (msg));

      gst_message_parse_error (msg, &error, NULL);
      g_printerr ("lpctl verify: %s%s%s\n", in != NULL ? in->file : "",
          in != NULL ? ": " : "", error->message);
      g_clear_error (&error);
      gst_message_unref (msg);
    } else {
      g_printerr ("lpctl verify: the pipeline did not start\n");
    }
    ret = EXIT_USAGE;
    done = TRUE;
  }
  if (!done) {
    VerifyRun run = { verify, inputs, n_inputs, NULL };
    GstMessage *msg = NULL;

    if (lp_pipeline_wait (bus, GST_CLOCK_TIME_NONE, NULL,
            GST_MESSAGE_WARNING | GST_MESSAGE_ELEMENT, verify_on_message, &run,
            &msg) == LP_PIPELINE_ERROR) {
      VerifyInput *in = verify_input_of (GST_MESSAGE_SRC (msg));
      gchar *debug = NULL;

      gst_message_parse_error (msg, &error, &debug);
      if (in != NULL)
        g_printerr ("lpctl verify: %s: %s\n", in->file, error->message);
      else
        g_printerr ("lpctl verify: %s\n", error->message);
      if (debug != NULL)
        g_debug ("%s", debug);
      g_clear_error (&error);
      g_free (debug);
      gst_message_unref (msg);
      ret = EXIT_USAGE;
    }
    result = run.result;
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (ret >= 0)
    goto done;

  if (result == NULL) {
    g_printerr ("lpctl verify: lpverify posted no result\n");
    ret = EXIT_USAGE;
    goto done;
  }

  {
    const GValue *array = gst_structure_get_value (result, "renditions");
    JsonObject *obj = json_object_new ();
    JsonArray *rows = json_array_new ();
    GString *human = g_string_new (NULL);
    gboolean pass = TRUE;
    guint n = array != NULL ? gst_value_array_get_size (array) : 0;

    g_string_append_printf (human, "%-24s %-7s %-10s %7s %11s %15s %15s\n",
        "RENDITION", "VERDICT", "REASON", "FRAMES", "SIZE",
        "PSNR-Y mean/p5", "SSIM-Y mean/p5");
    for (i = 0; i < n; i++) {
      const GstStructure *r =
          gst_value_get_structure (gst_value_array_get_value (array, i));
      const gchar *pad = gst_structure_get_string (r, "pad");
      const gchar *verdict = gst_structure_get_string (r, "verdict");
      const gchar *reason = gst_structure_get_string (r, "reason");
      const gchar *file = pad;
      JsonObject *row = json_object_new ();
      gchar *size, *psnr, *ssim;
      guint j;

      for (j = 1; j < n_inputs && pad != NULL; j++) {
        if (g_str_equal (inputs[j].pad, pad))
          file = inputs[j].file;
      }
      if (file == NULL)
        file = "?";
      if (verdict == NULL)
        verdict = "fail";
      if (reason == NULL)
        reason = "";
      pass = pass && g_str_equal (verdict, "pass");

      json_object_set_string_member (row, "file", file);
      json_object_set_string_member (row, "verdict", verdict);
      json_object_set_string_member (row, "reason", reason);
      json_object_set_int_member (row, "frames", verify_uint64 (r, "frames"));
      json_object_set_int_member (row, "width", verify_uint (r, "width"));
      json_object_set_int_member (row, "height", verify_uint (r, "height"));
      json_object_set_double_member (row, "psnr_y",
          verify_double (r, "psnr-y-mean"));
      json_object_set_double_member (row, "ssim_y",
          verify_double (r, "ssim-y-mean"));
      json_object_set_double_member (row, "psnr_y_p5",
          verify_double (r, "psnr-y-p5"));
      json_object_set_double_member (row, "ssim_y_p5",
          verify_double (r, "ssim-y-p5"));
      json_object_set_int_member (row, "pixels", verify_uint64 (r, "pixels"));
      json_object_set_int_member (row, "checked",
          verify_uint64 (r, "checked"));
      json_object_set_int_member (row, "mismatched",
          verify_uint64 (r, "mismatched"));
      json_array_add_object_element (rows, row);

      size = g_strdup_printf ("%ux%u", verify_uint (r, "width"),
          verify_uint (r, "height"));
      psnr = g_strdup_printf ("%.2f/%.2f", verify_double (r, "psnr-y-mean"),
          verify_double (r, "psnr-y-p5"));
      ssim = g_strdup_printf ("%.4f/%.4f", verify_double (r, "ssim-y-mean"),
          verify_double (r, "ssim-y-p5"));
      g_string_append_printf (human, "%-24s %-7s %-10s %7" G_GUINT64_FORMAT
          " %11s %15s %15s\n", file, verdict,
          reason[0] != '\0' ? reason : "-", verify_uint64 (r, "frames"), size,
          psnr, ssim);
      g_free (size);
      g_free (psnr);
      g_free (ssim);
    }
    json_object_set_array_member (obj, "renditions", rows);
    if (n != n_renditions)
      pass = FALSE;
    emit (as_json, obj, human);
    ret = pass ? EXIT_SUCCESS : EXIT_FAILURE;
  }

done:
  if (result != NULL)
    gst_structure_free (result);
  if (bus != NULL)
    gst_object_unref (bus);
  if (pipeline != NULL)
    gst_object_unref (pipeline);
  else if (verify != NULL)
    gst_object_unref (verify);
  for (i = 0; i < n_inputs; i++)
    g_free (inputs[i].pad);
  g_free (inputs);
  g_strfreev (profiles);
  return ret;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * Encoder choice for the ladder: which H.264 encoder factory to use, how to
 * drive it, and where its frames live. Preference is data (the table below),
 * and every candidate is proven by a short encode before it is trusted: a
 * registered factory is no promise (an H100 has CUDA but no NVENC, and
 * Debian registers avenc_h264_omx on machines without OMX).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstlpencoderchoice.h"

#include <gst/livepeer/lppipeline.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (lp_encoder_choice_debug);
#define GST_CAT_DEFAULT lp_encoder_choice_debug

/* Known encoders, best first. Units and names are from the 1.22 sources. */
static const LpEncoderQuirks known_encoders[] = {
  /* NVIDIA: the legacy element is the ranked one on 1.22 */
  {"nvh264enc", TRUE, LP_MEMORY_PATH_CUDA, "bitrate", 1000, "gop-size",
      "bframes", "zerolatency", "true", NULL},
  {"nvcudah264enc", TRUE, LP_MEMORY_PATH_CUDA, "bitrate", 1000, "gop-size",
      "b-frames", "zero-reorder-delay", "true", NULL},
  {"nvautogpuh264enc", TRUE, LP_MEMORY_PATH_CUDA, "bitrate", 1000, "gop-size",
      "b-frames", "zero-reorder-delay", "true", NULL},
  /* VA */
  {"vah264enc", TRUE, LP_MEMORY_PATH_VA, "bitrate", 1000, "key-int-max",
      "b-frames", NULL, NULL, NULL},
  {"vah264lpenc", TRUE, LP_MEMORY_PATH_VA, "bitrate", 1000, "key-int-max",
      "b-frames", NULL, NULL, NULL},
  /* software */
  /* no scene-cut keyframes: every rendition keeps keyframes on the GOP
   * grid, so a ladder's renditions switch and segment at the same frames */
  {"x264enc", FALSE, LP_MEMORY_PATH_SYSTEM, "bitrate", 1000, "key-int-max",
      "bframes", "tune", "zerolatency", "option-string=scenecut=0"},
  {"openh264enc", FALSE, LP_MEMORY_PATH_SYSTEM, "bitrate", 1, "gop-size",
      NULL, NULL, NULL, "rate-control=bitrate"},
};

/* Index in known_encoders where software encoders start: unknown hardware
 * encoders are tried just before them. */
#define FIRST_SOFTWARE_ENCODER 5

/* Never chosen: registered by gst-libav on Debian, fails without OMX. */
static const gchar *const denied_encoders[] = { "avenc_h264_omx", NULL };

/* Elements each memory path needs, and how the ladder converts and scales
 * on it. The converter runs once per source, the scaler once per rendition. */
static const struct
{
  const gchar *caps_feature;
  const gchar *converter;
  const gchar *scaler;
  const gchar *const required[4];
} memory_paths[] = {
  [LP_MEMORY_PATH_SYSTEM] = {NULL, "videoconvert", "lpswscale",
      {"videoconvert", "lpswscale", NULL}},
  [LP_MEMORY_PATH_CUDA] = {"memory:CUDAMemory", "cudaupload ! cudaconvert",
      "cudascale", {"cudaupload", "cudaconvert", "cudascale", NULL}},
  [LP_MEMORY_PATH_VA] = {"memory:VAMemory", "vapostproc", "vapostproc",
      {"vapostproc", NULL}},
};

#define PROBE_TIMEOUT (10 * GST_SECOND)

/* factory name -> reason it failed ("" when it worked); lives for the
 * process, so each candidate is probed once. */
static GHashTable *probe_results;
static GMutex probe_lock;

static void
init_debug (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (lp_encoder_choice_debug, "lpencoderchoice", 0,
        "H.264 encoder choice of the Livepeer ladder");
    g_once_init_leave (&done, 1);
  }
}

void
lp_encoder_choice_free (LpEncoderChoice * choice)
{
  if (choice == NULL)
    return;
  g_free (choice->factory_name);
  g_free (choice);
}

const gchar *
lp_memory_path_caps_feature (LpMemoryPath path)
{
  return memory_paths[path].caps_feature;
}

const gchar *
lp_memory_path_converter (LpMemoryPath path)
{
  return memory_paths[path].converter;
}

const gchar *
lp_memory_path_scaler (LpMemoryPath path)
{
  return memory_paths[path].scaler;
}

static gboolean
factory_exists (const gchar * name)
{
  GstPluginFeature *feature =
      gst_registry_lookup_feature (gst_registry_get (), name);

  if (feature == NULL)
    return FALSE;
  gst_object_unref (feature);
  return TRUE;
}

static gboolean
memory_path_available (LpMemoryPath path)
{
  guint i;

  for (i = 0; memory_paths[path].required[i] != NULL; i++) {
    if (!factory_exists (memory_paths[path].required[i]))
      return FALSE;
  }
  return TRUE;
}

static const LpEncoderQuirks *
lookup_known (const gchar * factory)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (known_encoders); i++) {
    if (g_str_equal (known_encoders[i].factory, factory))
      return &known_encoders[i];
  }
  return NULL;
}

static gboolean
is_h264_encoder (GstElementFactory * factory)
{
  g_autoptr (GstCaps) h264 = gst_caps_new_empty_simple ("video/x-h264");
  const GList *l;

  if (!gst_element_factory_list_is_type (factory,
          GST_ELEMENT_FACTORY_TYPE_VIDEO_ENCODER))
    return FALSE;
  for (l = gst_element_factory_get_static_pad_templates (factory); l; l = l->next) {
    GstStaticPadTemplate *templ = l->data;
    g_autoptr (GstCaps) caps = NULL;

    if (templ->direction != GST_PAD_SRC)
      continue;
    caps = gst_static_caps_get (&templ->static_caps);
    if (gst_caps_can_intersect (caps, h264))
      return TRUE;
  }
  return FALSE;
}

/* Hardware H.264 encoders the table does not know, in rank order. Their
 * quirks are guessed from the property names they have. */
static void
append_unknown_hardware (GPtrArray * names)
{
  GList *factories, *l;

  factories = gst_element_factory_list_get_elements
      (GST_ELEMENT_FACTORY_TYPE_VIDEO_ENCODER, GST_RANK_NONE);
  for (l = factories; l != NULL; l = l->next) {
    GstElementFactory *factory = l->data;
    const gchar *name = GST_OBJECT_NAME (factory);

    if (lookup_known (name) != NULL || g_strv_contains (denied_encoders, name))
      continue;
    if (!gst_element_factory_list_is_type (factory,
            GST_ELEMENT_FACTORY_TYPE_HARDWARE) || !is_h264_encoder (factory))
      continue;
    g_ptr_array_add (names, g_strdup (name));
  }
  gst_plugin_feature_list_free (factories);
}

/**
 * lp_encoder_list_candidates:
 *
 * The encoders `encoder=auto` tries, in order: NVIDIA, VA, any other
 * hardware H.264 encoder (by rank), x264enc, openh264enc; only factories
 * present in the registry.
 *
 * Returns: (transfer full): a %NULL-terminated list of factory names
 */
gchar **
lp_encoder_list_candidates (void)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  guint i;

  init_debug ();
  for (i = 0; i < G_N_ELEMENTS (known_encoders); i++) {
    if (i == FIRST_SOFTWARE_ENCODER)
      append_unknown_hardware (names);
    if (factory_exists (known_encoders[i].factory))
      g_ptr_array_add (names, g_strdup (known_encoders[i].factory));
  }
  g_ptr_array_add (names, NULL);
  return (gchar **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static gboolean
has_property (GstElement * element, const gchar * name)
{
  return name != NULL
      && g_object_class_find_property (G_OBJECT_GET_CLASS (element),
      name) != NULL;
}

/* Guess how to drive an encoder the table does not know: GStreamer's
 * hardware encoders mostly take kbit/s and one of two GOP names. */
static void
guess_quirks (const gchar * name, LpEncoderQuirks * quirks)
{
  g_autoptr (GstElement) probe = gst_element_factory_make (name, NULL);
  static const gchar *const gop_names[] =
      { "key-int-max", "gop-size", "iframeinterval", NULL };
  static const gchar *const bframe_names[] = { "b-frames", "bframes", NULL };
  guint i;

  memset (quirks, 0, sizeof (*quirks));
  quirks->factory = name;
  quirks->hardware = TRUE;
  quirks->path = LP_MEMORY_PATH_SYSTEM;
  quirks->bitrate_divisor = 1000;
  if (probe == NULL)
    return;
  gst_object_ref_sink (probe);
  if (has_property (probe, "bitrate"))
    quirks->bitrate_property = "bitrate";
  for (i = 0; gop_names[i] != NULL && quirks->gop_property == NULL; i++) {
    if (has_property (probe, gop_names[i]))
      quirks->gop_property = gop_names[i];
  }
  for (i = 0; bframe_names[i] != NULL && quirks->bframes_property == NULL; i++) {
    if (has_property (probe, bframe_names[i]))
      quirks->bframes_property = bframe_names[i];
  }
}

/* Encode a few frames through the whole memory path; NULL when it works,
 * else why not. */
static gchar *
run_probe (const LpEncoderQuirks * quirks)
{
  const gchar *feature = memory_paths[quirks->path].caps_feature;
  g_autofree gchar *description = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) msg = NULL;
  LpPipelineEnd end = LP_PIPELINE_ERROR;
  gchar *reason = NULL;

  if (!memory_path_available (quirks->path))
    return g_strdup_printf ("the elements of its memory path (%s) are missing",
        memory_paths[quirks->path].converter);

  description = g_strdup_printf ("videotestsrc num-buffers=3 ! "
      "video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! %s ! %s ! "
      "video/x-raw%s%s%s,width=160,height=120 ! %s name=encoder ! fakesink",
      memory_paths[quirks->path].converter, memory_paths[quirks->path].scaler,
      feature ? "(" : "", feature ? feature : "", feature ? ")" : "",
      quirks->factory);
  pipeline = gst_parse_launch_full (description, NULL,
      GST_PARSE_FLAG_FATAL_ERRORS, &error);
  if (pipeline == NULL)
    return g_strdup_printf ("cannot build a test pipeline: %s", error->message);
  gst_object_ref_sink (pipeline);

  bus = gst_element_get_bus (pipeline);
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  } else {
    end = lp_pipeline_wait (bus, PROBE_TIMEOUT, NULL, 0, NULL, NULL, &msg);
  }

  if (msg != NULL) {
    g_autoptr (GError) err = NULL;
    gst_message_parse_error (msg, &err, NULL);
    reason = g_strdup_printf ("a test encode failed: %s", err->message);
  } else if (end != LP_PIPELINE_EOS) {
    reason = g_strdup ("it did not start (state change failed or it encoded "
        "nothing within 10 s)");
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return reason;
}

/* Returns NULL if the candidate works, else the (cached) reason it does not */
static gchar *
probe_candidate (const LpEncoderQuirks * quirks)
{
  const gchar *cached;
  gchar *reason;

  g_mutex_lock (&probe_lock);
  if (probe_results == NULL)
    probe_results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
        g_free);
  cached = g_hash_table_lookup (probe_results, quirks->factory);
  if (cached != NULL) {
    reason = *cached ? g_strdup (cached) : NULL;
    g_mutex_unlock (&probe_lock);
    return reason;
  }
  g_mutex_unlock (&probe_lock);

  /* Probed without the lock: two first users may both probe, which is
   * harmless, while a slow probe never blocks another element's choice. */
  reason = run_probe (quirks);
  GST_INFO ("probed %s: %s", quirks->factory, reason ? reason : "works");

  g_mutex_lock (&probe_lock);
  g_hash_table_replace (probe_results, g_strdup (quirks->factory),
      g_strdup (reason ? reason : ""));
  g_mutex_unlock (&probe_lock);
  return reason;
}

static LpEncoderChoice *
make_choice (const gchar * name)
{
  const LpEncoderQuirks *known = lookup_known (name);
  LpEncoderChoice *choice = g_new0 (LpEncoderChoice, 1);

  choice->factory_name = g_strdup (name);
  if (known != NULL)
    choice->quirks = *known;
  else
    guess_quirks (choice->factory_name, &choice->quirks);
  choice->quirks.factory = choice->factory_name;
  return choice;
}

static LpEncoderChoice *
choose_named (const gchar * wanted, GError ** error)
{
  g_autoptr (GstElementFactory) factory = gst_element_factory_find (wanted);
  g_autoptr (LpEncoderChoice) choice = NULL;
  g_autofree gchar *reason = NULL;

  if (factory == NULL) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "encoder '%s' is not installed (see gst-inspect-1.0 %s)", wanted,
        wanted);
    return NULL;
  }
  if (!is_h264_encoder (factory)) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "encoder '%s' is not an H.264 video encoder", wanted);
    return NULL;
  }
  choice = make_choice (wanted);
  reason = probe_candidate (&choice->quirks);
  if (reason != NULL) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED,
        "encoder '%s' does not work on this machine: %s", wanted, reason);
    return NULL;
  }
  return g_steal_pointer (&choice);
}

/**
 * lp_encoder_choose:
 * @wanted: "auto", or a factory name
 * @rejected: (scope call) (nullable): told of each candidate that failed
 * @user_data: for @rejected
 * @error: a %GST_CORE_ERROR / %GST_RESOURCE_ERROR when nothing works
 *
 * With "auto", tries lp_encoder_list_candidates() in order and returns the
 * first that encodes on its memory path. A named factory is used as asked or
 * not at all. Probes run once per factory per process. Blocks for the
 * length of a probe (a few frames); call it off streaming threads.
 *
 * Returns: (transfer full) (nullable): the choice
 */
LpEncoderChoice *
lp_encoder_choose (const gchar * wanted, LpEncoderRejectedFunc rejected,
    gpointer user_data, GError ** error)
{
  g_auto (GStrv) candidates = NULL;
  guint i;

  init_debug ();
  if (wanted != NULL && !g_str_equal (wanted, "auto"))
    return choose_named (wanted, error);

  candidates = lp_encoder_list_candidates ();
  for (i = 0; candidates[i] != NULL; i++) {
    g_autoptr (LpEncoderChoice) choice = make_choice (candidates[i]);
    g_autofree gchar *reason = probe_candidate (&choice->quirks);

    if (reason == NULL)
      return g_steal_pointer (&choice);
    if (rejected != NULL)
      rejected (candidates[i], reason, user_data);
  }

  g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
      "no working H.264 encoder: install x264enc (gstreamer1.0-plugins-ugly) "
      "or a hardware encoder; %u candidate(s) failed", i);
  return NULL;
}

static void
set_if_present (GstElement * encoder, const gchar * property,
    const gchar * value)
{
  if (!has_property (encoder, property))
    return;
  /* by string, so enums, flags and numbers all take the same path */
  gst_util_set_object_arg (G_OBJECT (encoder), property, value);
}

/**
 * lp_encoder_apply_settings:
 * @choice: the choice @encoder was made from
 * @encoder: a new instance of the chosen factory
 * @bitrate: target bit/s
 * @gop_frames: keyframe interval in frames (1 = intra only)
 * @no_bframes: turn B-frames off (baseline, constrained-high)
 * @low_latency: ask for the encoder's zero-latency mode
 *
 * Translates a rendition's settings into the encoder's own properties.
 * Properties the encoder lacks are skipped.
 */
void
lp_encoder_apply_settings (const LpEncoderChoice * choice,
    GstElement * encoder, guint bitrate, gint gop_frames,
    gboolean no_bframes, gboolean low_latency)
{
  const LpEncoderQuirks *q = &choice->quirks;
  gchar value[32];

  if (q->fixed_settings != NULL) {
    g_auto (GStrv) settings = g_strsplit (q->fixed_settings, " ", -1);
    guint i;
    for (i = 0; settings[i] != NULL; i++) {
      g_auto (GStrv) kv = g_strsplit (settings[i], "=", 2);
      if (kv[0] != NULL && kv[1] != NULL)
        set_if_present (encoder, kv[0], kv[1]);
    }
  }
  if (q->bitrate_property != NULL) {
    g_snprintf (value, sizeof (value), "%u",
        MAX (bitrate / q->bitrate_divisor, 1));
    set_if_present (encoder, q->bitrate_property, value);
  }
  if (q->gop_property != NULL && gop_frames > 0) {
    g_snprintf (value, sizeof (value), "%d", gop_frames);
    set_if_present (encoder, q->gop_property, value);
  }
  if (q->bframes_property != NULL && (no_bframes || low_latency))
    set_if_present (encoder, q->bframes_property, "0");
  if (q->low_latency_property != NULL && low_latency)
    set_if_present (encoder, q->low_latency_property, q->low_latency_value);
}

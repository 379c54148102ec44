/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-lptranscodebin
 * @title: lptranscodebin
 * @short_description: an adaptive-bitrate H.264 ladder on the best encoder
 *
 * lptranscodebin turns one video stream into a ladder of H.264 renditions,
 * the way a Livepeer orchestrator transcodes a segment. The source is decoded
 * once (if it is encoded) and converted once; each rendition then only scales,
 * changes frame rate and encodes.
 *
 * The `profiles` property names the renditions: Livepeer presets such as
 * `P720p30fps16x9`, custom entries `NAME:WIDTHxHEIGHT[@FPS]:BITRATE` (for
 * example `hd:1280x720@30:3000k`; no FPS keeps the source rate), inline JSON,
 * or the path of a `.json` file in go-livepeer's transcoding-options format.
 * There is one `src_%u` pad per profile, in order; each pad's `profile`
 * property holds the rendition's name. Pads appear as soon as `profiles` is
 * set.
 *
 * Geometry follows Livepeer: a rendition fits inside its profile's box,
 * keeps the source's display aspect ratio, has square pixels and even sides.
 * Each rendition has a keyframe every GOP (2 s unless the profile says
 * otherwise), counted in frames of its output rate, so renditions can be
 * cut into segments on the same grid. A rendition that keeps a source
 * without a stated frame rate (0/1) counts its GOP at 30 fps.
 *
 * With `encoder=auto` the encoder is chosen from a table: NVIDIA
 * (`nvh264enc`, `nvcudah264enc`, `nvautogpuh264enc`), then VA (`vah264enc`,
 * `vah264lpenc`), then any other hardware H.264 encoder by rank, then
 * `x264enc`, then `openh264enc`. Each candidate is proven once per process by
 * a short test encode on its memory path; one that fails is skipped with a
 * warning naming it and the reason. NVIDIA encoders keep frames in CUDA
 * memory from decode to encode (`cudaupload`, `cudaconvert`, `cudascale`),
 * VA encoders in VA surfaces (`vapostproc`); on those paths an encoded
 * source is decoded by a hardware decoder when one is present.
 *
 * ## Messages
 *
 * `lptranscodebin-encoder`, posted when the encoder is chosen (READY to
 * PAUSED):
 * - `encoder` (string): the factory name
 * - `hardware` (boolean): whether it is a hardware encoder
 * - `memory` (string): where frames live: `system`, `memory:CUDAMemory` or
 *   `memory:VAMemory`
 *
 * `lptranscodebin-ladder`, posted when the source format is known or changes:
 * - `source-width`, `source-height` (guint), `source-framerate` (fraction)
 * - `renditions` (GstValueArray of GstStructure `rendition`): one per
 *   profile, in pad order, with `name` (string), `pad` (string),
 *   `width`, `height` (guint), `framerate` (fraction), `bitrate` (guint,
 *   bit/s) and `keyframe-interval` (guint64, ns; 0 = every frame)
 *
 * ## Example launch line
 * ```
 * gst-launch-1.0 -e videotestsrc num-buffers=300 pattern=ball ! \
 *     video/x-raw,width=1280,height=720,framerate=30/1 ! \
 *     lptranscodebin name=t profiles=P720p30fps16x9,P360p30fps16x9 \
 *     t.src_0 ! h264parse ! mpegtsmux ! filesink location=720p.ts \
 *     t.src_1 ! h264parse ! mpegtsmux ! filesink location=360p.ts
 * ```
 * Encodes a 10 s test pattern into 1280x720 and 640x360 H.264 in MPEG-TS.
 *
 * Since: 0.1
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstlptranscodebin.h"
#include "gstlpencoderchoice.h"

#include <gst/livepeer/lpprofile.h>
#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>

GST_DEBUG_CATEGORY_STATIC (gst_lp_transcode_bin_debug);
#define GST_CAT_DEFAULT gst_lp_transcode_bin_debug

#define DEFAULT_PROFILES "P240p30fps16x9,P360p30fps16x9"
#define DEFAULT_ENCODER "auto"
#define DEFAULT_LOW_LATENCY FALSE

/* How much a rendition's queue holds. Below PLAYING, sinks block in preroll
 * on their first buffer, yet encoders hold 40-70 frames before their first
 * output (x264's lookahead and frame threads), and a rendition at a lower
 * rate needs proportionally more source frames for it: the tee must keep
 * feeding the other branches that far while one sink waits, or preroll never
 * completes. In PLAYING no sink waits for long, and a deep queue would only
 * let the decoder run ahead of the slowest encoder with frames nobody needs
 * yet (memory, and page faults for fresh buffers). */
#define PREROLL_QUEUE_TIME (5 * GST_SECOND)
#define PLAYING_QUEUE_FRAMES 4

/* Frame rate assumed for the GOP of a rendition that keeps a source which
 * does not state its rate (framerate 0/1). */
#define FALLBACK_FPS 30

enum
{
  PROP_0,
  PROP_PROFILES,
  PROP_ENCODER,
  PROP_SELECTED_ENCODER,
  PROP_LOW_LATENCY,
};

enum
{
  PAD_PROP_0,
  PAD_PROP_PROFILE,
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("video/x-raw(ANY); video/x-h264; video/x-h265"));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src_%u",
    GST_PAD_SRC,
    GST_PAD_SOMETIMES,
    GST_STATIC_CAPS ("video/x-h264"));

/* One rung of the ladder, alive from READY->PAUSED to PAUSED->READY. */
typedef struct
{
  LpProfile *profile;
  GstPad *srcpad;               /* the element's ghost pad (ref) */
  GstElement *queue, *rate, *scaler, *filter, *encoder, *parse, *outfilter;
  GstClockTime gop;             /* 0: every frame a keyframe */
  gboolean low_latency;
} Rendition;

struct _GstLpTranscodeBinPad
{
  GstGhostPad parent;
  gchar *profile;               /* immutable after creation */
};

struct _GstLpTranscodeBin
{
  GstBin parent;

  GstPad *sinkpad;

  /* properties, under the object lock */
  gchar *profiles_spec;
  gchar *encoder_name;
  gchar *selected_encoder;
  gboolean low_latency;

  /* the src pads, one per profile of profiles_spec; changed only in
   * set_property (NULL/READY), read in state changes */
  GPtrArray *srcpads;

  /* the built ladder: written in state changes, read by the streaming
   * thread only between them */
  LpEncoderChoice *encoder;
  GstElement *decoder, *converter, *format, *tee;
  GPtrArray *renditions;
};

G_DEFINE_TYPE (GstLpTranscodeBinPad, gst_lp_transcode_bin_pad,
    GST_TYPE_GHOST_PAD);

#define gst_lp_transcode_bin_parent_class parent_class
G_DEFINE_TYPE (GstLpTranscodeBin, gst_lp_transcode_bin, GST_TYPE_BIN);
GST_ELEMENT_REGISTER_DEFINE (lptranscodebin, "lptranscodebin", GST_RANK_NONE,
    GST_TYPE_LP_TRANSCODE_BIN);

static void gst_lp_transcode_bin_finalize (GObject * object);
static void gst_lp_transcode_bin_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_lp_transcode_bin_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_lp_transcode_bin_change_state (GstElement *
    element, GstStateChange transition);

/* --- the src pad type --------------------------------------------------- */

static void
gst_lp_transcode_bin_pad_finalize (GObject * object)
{
  GstLpTranscodeBinPad *pad = GST_LP_TRANSCODE_BIN_PAD (object);

  g_free (pad->profile);
  G_OBJECT_CLASS (gst_lp_transcode_bin_pad_parent_class)->finalize (object);
}

static void
gst_lp_transcode_bin_pad_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLpTranscodeBinPad *pad = GST_LP_TRANSCODE_BIN_PAD (object);

  switch (prop_id) {
    case PAD_PROP_PROFILE:
      g_value_set_string (value, pad->profile);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_lp_transcode_bin_pad_class_init (GstLpTranscodeBinPadClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->finalize = gst_lp_transcode_bin_pad_finalize;
  gobject_class->get_property = gst_lp_transcode_bin_pad_get_property;

  /**
   * GstLpTranscodeBinPad:profile:
   *
   * The name of the profile (rendition) this pad carries.
   */
  g_object_class_install_property (gobject_class, PAD_PROP_PROFILE,
      g_param_spec_string ("profile", "Profile",
          "Name of the profile (rendition) this pad carries", NULL,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void
gst_lp_transcode_bin_pad_init (GstLpTranscodeBinPad * pad)
{
}

/* --- class ----------------------------------------------------------------*/

static void
gst_lp_transcode_bin_class_init (GstLpTranscodeBinClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->finalize = gst_lp_transcode_bin_finalize;
  gobject_class->set_property = gst_lp_transcode_bin_set_property;
  gobject_class->get_property = gst_lp_transcode_bin_get_property;

  /**
   * GstLpTranscodeBin:profiles:
   *
   * The renditions, in pad order. Changing it replaces the src pads.
   */
  g_object_class_install_property (gobject_class, PROP_PROFILES,
      g_param_spec_string ("profiles", "Profiles",
          "Renditions, in src pad order: comma list of Livepeer presets "
          "(P720p60fps16x9 ... P144p25fps16x9) and custom entries "
          "NAME:WIDTHxHEIGHT[@FPS]:BITRATE (BITRATE in bit/s, k or M suffix; "
          "no FPS keeps the source rate), inline JSON, or a .json file in "
          "go-livepeer's transcoding-options format", DEFAULT_PROFILES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstLpTranscodeBin:encoder:
   *
   * `auto` chooses the best working H.264 encoder (see the element
   * description); a factory name forces that encoder, and the element fails
   * to start if it does not work.
   */
  g_object_class_install_property (gobject_class, PROP_ENCODER,
      g_param_spec_string ("encoder", "Encoder",
          "H.264 encoder factory to use, or \"auto\" for the best working one "
          "(NVIDIA, VA, other hardware, x264enc, openh264enc)",
          DEFAULT_ENCODER, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstLpTranscodeBin:selected-encoder:
   *
   * The encoder factory in use, or last used; %NULL until the element
   * first reaches PAUSED.
   */
  g_object_class_install_property (gobject_class, PROP_SELECTED_ENCODER,
      g_param_spec_string ("selected-encoder", "Selected encoder",
          "Factory name of the encoder in use or last used (NULL until the "
          "first PAUSED)", NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstLpTranscodeBin:low-latency:
   *
   * Ask the encoders for their zero-latency mode (no B-frames, no
   * lookahead): less delay, more bits for the same quality.
   */
  g_object_class_install_property (gobject_class, PROP_LOW_LATENCY,
      g_param_spec_boolean ("low-latency", "Low latency",
          "Use the encoders' zero-latency mode (no B-frames or lookahead)",
          DEFAULT_LOW_LATENCY, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &src_template, GST_TYPE_LP_TRANSCODE_BIN_PAD);

  gst_element_class_set_static_metadata (element_class,
      "Livepeer transcoding ladder", "Codec/Encoder/Video/Bin",
      "Decodes once and encodes an adaptive-bitrate ladder of H.264 "
      "renditions (Livepeer profiles) on the best encoder present",
      "gst-livepeer contributors");

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_lp_transcode_bin_change_state);

  gst_type_mark_as_plugin_api (GST_TYPE_LP_TRANSCODE_BIN_PAD, 0);

  GST_DEBUG_CATEGORY_INIT (gst_lp_transcode_bin_debug, "lptranscodebin", 0,
      "Livepeer transcoding ladder");
}

static void sync_src_pads (GstLpTranscodeBin * self);

static void
gst_lp_transcode_bin_init (GstLpTranscodeBin * self)
{
  GstPadTemplate *templ = gst_element_class_get_pad_template
      (GST_ELEMENT_GET_CLASS (self), "sink");

  self->sinkpad = gst_ghost_pad_new_no_target_from_template ("sink", templ);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->profiles_spec = g_strdup (DEFAULT_PROFILES);
  self->encoder_name = g_strdup (DEFAULT_ENCODER);
  self->low_latency = DEFAULT_LOW_LATENCY;
  self->srcpads = g_ptr_array_new_with_free_func (gst_object_unref);
  sync_src_pads (self);
}

static void
gst_lp_transcode_bin_finalize (GObject * object)
{
  GstLpTranscodeBin *self = GST_LP_TRANSCODE_BIN (object);

  g_free (self->profiles_spec);
  g_free (self->encoder_name);
  g_free (self->selected_encoder);
  g_ptr_array_unref (self->srcpads);
  lp_encoder_choice_free (self->encoder);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* --- pads ---------------------------------------------------------------- */

static GPtrArray *
parse_profiles (GstLpTranscodeBin * self, GError ** error)
{
  g_autofree gchar *spec = NULL;

  GST_OBJECT_LOCK (self);
  spec = g_strdup (self->profiles_spec);
  GST_OBJECT_UNLOCK (self);

  return lp_profile_list_load (spec ? spec : "", error);
}

static gboolean
pads_match_profiles (GstLpTranscodeBin * self, GPtrArray * profiles)
{
  guint i;

  if (profiles == NULL || profiles->len != self->srcpads->len)
    return FALSE;
  for (i = 0; i < profiles->len; i++) {
    const LpProfile *profile = g_ptr_array_index (profiles, i);
    GstLpTranscodeBinPad *pad = g_ptr_array_index (self->srcpads, i);
    if (!g_str_equal (profile->name, pad->profile))
      return FALSE;
  }
  return TRUE;
}

/* Give the element one src pad per valid profile. An invalid list removes
 * the pads; the state change then reports why. Called from set_property and
 * init, in NULL or READY. */
static void
sync_src_pads (GstLpTranscodeBin * self)
{
  GstPadTemplate *templ =
      gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self),
      "src_%u");
  g_autoptr (GPtrArray) profiles = parse_profiles (self, NULL);
  guint i;

  if (pads_match_profiles (self, profiles))
    return;

  for (i = 0; i < self->srcpads->len; i++)
    gst_element_remove_pad (GST_ELEMENT (self),
        g_ptr_array_index (self->srcpads, i));
  g_ptr_array_set_size (self->srcpads, 0);

  for (i = 0; profiles != NULL && i < profiles->len; i++) {
    const LpProfile *profile = g_ptr_array_index (profiles, i);
    g_autofree gchar *name = g_strdup_printf ("src_%u", i);
    GstLpTranscodeBinPad *pad = g_object_new (GST_TYPE_LP_TRANSCODE_BIN_PAD,
        "name", name, "direction", GST_PAD_SRC, "template", templ, NULL);

    pad->profile = g_strdup (profile->name);
    g_ptr_array_add (self->srcpads, gst_object_ref (pad));
    gst_pad_set_active (GST_PAD (pad), GST_STATE (self) > GST_STATE_READY);
    gst_element_add_pad (GST_ELEMENT (self), GST_PAD (pad));
  }
  if (profiles != NULL)
    gst_element_no_more_pads (GST_ELEMENT (self));
}

/* --- properties ---------------------------------------------------------- */

static gboolean
property_is_mutable_now (GstLpTranscodeBin * self, GParamSpec * pspec)
{
  GstState state;

  GST_OBJECT_LOCK (self);
  state = GST_STATE (self);
  GST_OBJECT_UNLOCK (self);
  if (state <= GST_STATE_READY)
    return TRUE;
  g_warning ("lptranscodebin: property '%s' can only be changed in the NULL "
      "or READY state", pspec->name);
  return FALSE;
}

static void
gst_lp_transcode_bin_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLpTranscodeBin *self = GST_LP_TRANSCODE_BIN (object);

  switch (prop_id) {
    case PROP_PROFILES:
      if (!property_is_mutable_now (self, pspec))
        break;
      GST_OBJECT_LOCK (self);
      g_free (self->profiles_spec);
      self->profiles_spec = g_value_dup_string (value);
      GST_OBJECT_UNLOCK (self);
      sync_src_pads (self);
      break;
    case PROP_ENCODER:
      if (!property_is_mutable_now (self, pspec))
        break;
      GST_OBJECT_LOCK (self);
      g_free (self->encoder_name);
      self->encoder_name = g_value_dup_string (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_LOW_LATENCY:
      if (!property_is_mutable_now (self, pspec))
        break;
      GST_OBJECT_LOCK (self);
      self->low_latency = g_value_get_boolean (value);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_lp_transcode_bin_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLpTranscodeBin *self = GST_LP_TRANSCODE_BIN (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_PROFILES:
      g_value_set_string (value, self->profiles_spec);
      break;
    case PROP_ENCODER:
      g_value_set_string (value, self->encoder_name);
      break;
    case PROP_SELECTED_ENCODER:
      g_value_set_string (value, self->selected_encoder);
      break;
    case PROP_LOW_LATENCY:
      g_value_set_boolean (value, self->low_latency);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* --- the source format: geometry, frame rate, GOP --------------------------*/

static void
rendition_free (Rendition * r)
{
  lp_profile_free (r->profile);
  gst_clear_object (&r->srcpad);
  g_free (r);
}

static gint
gop_frames (GstClockTime gop, gint fps_n, gint fps_d)
{
  return (gint) CLAMP (gst_util_uint64_scale_round (gop, fps_n,
          (guint64) MAX (fps_d, 1) * GST_SECOND), 1, G_MAXINT32 / 8);
}

/* Streaming thread, first caps: the output frame rate is known, so the
 * encoder can be made with a GOP in frames (encoders only take it before
 * they start). The caps event reaches it through the branch queue, after
 * this returns. */
static void
add_encoder (GstLpTranscodeBin * self, Rendition * r, gint fps_n, gint fps_d)
{
  const LpProfile *p = r->profile;
  g_autofree gchar *name = g_strdup_printf ("%s-encoder",
      GST_OBJECT_NAME (r->filter));
  GstElement *encoder = gst_element_factory_make (self->encoder->factory_name,
      name);

  if (encoder == NULL) {
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
        ("Encoder %s disappeared from the registry.",
            self->encoder->factory_name), (NULL));
    return;
  }
  lp_encoder_apply_settings (self->encoder, encoder, p->bitrate,
      r->gop == 0 ? 1 : gop_frames (r->gop, fps_n, fps_d),
      p->h264_profile == LP_H264_PROFILE_BASELINE
      || p->h264_profile == LP_H264_PROFILE_CONSTRAINED_HIGH, r->low_latency);

  gst_bin_add (GST_BIN (self), encoder);
  if (!gst_element_link_many (r->filter, encoder, r->parse, NULL)) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("Encoder %s cannot take the scaled video of rendition '%s'.",
            self->encoder->factory_name, p->name), (NULL));
    gst_bin_remove (GST_BIN (self), encoder);
    return;
  }
  r->encoder = encoder;
  gst_element_sync_state_with_parent (encoder);
}

static GstStructure *
configure_rendition (GstLpTranscodeBin * self, Rendition * r,
    const GstVideoInfo * src)
{
  const LpProfile *p = r->profile;
  const gchar *feature = lp_memory_path_caps_feature (self->encoder->quirks.path);
  gint fps_n = p->fps_num ? (gint) p->fps_num : GST_VIDEO_INFO_FPS_N (src);
  gint fps_d = p->fps_num ? (gint) p->fps_den : GST_VIDEO_INFO_FPS_D (src);
  g_autoptr (GstCaps) caps = NULL;
  guint width, height;

  lp_profile_fit (p, GST_VIDEO_INFO_WIDTH (src), GST_VIDEO_INFO_HEIGHT (src),
      GST_VIDEO_INFO_PAR_N (src), GST_VIDEO_INFO_PAR_D (src), &width, &height);

  caps = gst_caps_new_simple ("video/x-raw", "width", G_TYPE_INT, width,
      "height", G_TYPE_INT, height, "pixel-aspect-ratio", GST_TYPE_FRACTION,
      1, 1, NULL);
  if (fps_n > 0)
    gst_caps_set_simple (caps, "framerate", GST_TYPE_FRACTION, fps_n, fps_d,
        NULL);
  if (feature != NULL)
    gst_caps_set_features (caps, 0, gst_caps_features_new (feature, NULL));
  g_object_set (r->filter, "caps", caps, NULL);

  /* When decimating, duplicating is never right: videorate would otherwise
   * pad the end of the stream with one extra frame. At the source's own
   * rate drop-only is wrong instead: it drops a frame that comes a hair
   * early (MPEG-TS timestamps rounded to 90 kHz do) */
  g_object_set (r->rate, "drop-only", fps_n > 0
      && GST_VIDEO_INFO_FPS_N (src) > 0
      && gst_util_fraction_compare (fps_n, fps_d, GST_VIDEO_INFO_FPS_N (src),
          GST_VIDEO_INFO_FPS_D (src)) < 0, NULL);

  if (r->encoder == NULL)
    add_encoder (self, r, fps_n > 0 ? fps_n : FALLBACK_FPS, fps_n > 0 ? fps_d : 1);

  GST_INFO_OBJECT (self, "rendition %s: %ux%u at %d/%d fps", p->name, width,
      height, fps_n, fps_d);
  return gst_structure_new ("rendition", "name", G_TYPE_STRING, p->name,
      "pad", G_TYPE_STRING, GST_PAD_NAME (r->srcpad),
      "width", G_TYPE_UINT, width, "height", G_TYPE_UINT, height,
      "framerate", GST_TYPE_FRACTION, fps_n, fps_d,
      "bitrate", G_TYPE_UINT, p->bitrate,
      "keyframe-interval", G_TYPE_UINT64, (guint64) r->gop, NULL);
}

/* Streaming thread: the (converted) source caps reach the tee. Size every
 * rendition for them before the caps travel down the branches. */
static GstPadProbeReturn
source_caps_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstLpTranscodeBin *self = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GValue renditions = G_VALUE_INIT;
  GstStructure *s;
  GstVideoInfo src;
  GstCaps *caps;
  guint i;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;

  gst_event_parse_caps (event, &caps);
  if (!gst_video_info_from_caps (&src, caps)) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("The source format is not raw video this element can scale."),
        ("caps %" GST_PTR_FORMAT, caps));
    return GST_PAD_PROBE_DROP;
  }

  gst_value_array_init (&renditions, self->renditions->len);
  for (i = 0; i < self->renditions->len; i++) {
    GValue v = G_VALUE_INIT;
    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, configure_rendition (self,
            g_ptr_array_index (self->renditions, i), &src));
    gst_value_array_append_and_take_value (&renditions, &v);
  }

  s = gst_structure_new ("lptranscodebin-ladder",
      "source-width", G_TYPE_UINT, (guint) GST_VIDEO_INFO_WIDTH (&src),
      "source-height", G_TYPE_UINT, (guint) GST_VIDEO_INFO_HEIGHT (&src),
      "source-framerate", GST_TYPE_FRACTION, GST_VIDEO_INFO_FPS_N (&src),
      GST_VIDEO_INFO_FPS_D (&src), NULL);
  gst_structure_take_value (s, "renditions", &renditions);
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), s));
  return GST_PAD_PROBE_OK;
}

/* --- building the ladder ------------------------------------------------- */

static GstElement *
make_element (GstLpTranscodeBin * self, const gchar * factory,
    const gchar * name, GError ** error)
{
  GstElement *element = gst_element_factory_make (factory, name);

  if (element == NULL)
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "element '%s' is missing; install the GStreamer plugin that "
        "provides it", factory);
  return element;
}

static GstElement *
make_path_bin (const gchar * description, const gchar * name, GError ** error)
{
  GstElement *bin = gst_parse_bin_from_description_full (description, TRUE,
      NULL, GST_PARSE_FLAG_FATAL_ERRORS, error);

  if (bin != NULL)
    gst_object_set_name (GST_OBJECT (bin), name);
  return bin;
}

static void
decoder_pad_added (GstElement * decoder, GstPad * pad, gpointer user_data)
{
  GstLpTranscodeBin *self = user_data;
  g_autoptr (GstPad) sink = gst_element_get_static_pad (self->converter,
      "sink");
  GstPadLinkReturn ret;

  if (gst_pad_is_linked (sink)) {
    GST_WARNING_OBJECT (self, "ignoring extra decoded stream on %s",
        GST_PAD_NAME (pad));
    return;
  }
  ret = gst_pad_link (pad, sink);
  if (GST_PAD_LINK_FAILED (ret))
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("The decoded video cannot be fed to the %s path.",
            lp_memory_path_converter (self->encoder->quirks.path)),
        ("link failed: %s", gst_pad_link_get_name (ret)));
}

/* The one format every rendition is scaled and encoded in: 4:2:0 that the
 * encoder takes (hardware prefers NV12), so the source is converted once and
 * an RGB source never becomes a 4:4:4 stream players cannot decode. */
static GstCaps *
converted_format (GstLpTranscodeBin * self)
{
  g_autoptr (GstElementFactory) factory =
      gst_element_factory_find (self->encoder->factory_name);
  const gchar *feature = lp_memory_path_caps_feature (self->encoder->quirks.path);
  g_autoptr (GstCaps) preferred = gst_caps_from_string (self->encoder->
      quirks.hardware ? "video/x-raw, format=(string){ NV12, I420 }" :
      "video/x-raw, format=(string){ I420, NV12 }");
  g_autoptr (GstCaps) accepted = NULL;
  const GList *l;

  if (feature != NULL)
    gst_caps_set_features (preferred, 0, gst_caps_features_new (feature,
            NULL));
  for (l = gst_element_factory_get_static_pad_templates (factory); l;
      l = l->next) {
    GstStaticPadTemplate *templ = l->data;
    if (templ->direction == GST_PAD_SINK)
      accepted = gst_static_caps_get (&templ->static_caps);
  }
  if (accepted == NULL)
    return g_steal_pointer (&preferred);
  if (!gst_caps_can_intersect (preferred, accepted))
    return g_steal_pointer (&accepted); /* an encoder without 4:2:0 */
  return gst_caps_intersect_full (preferred, accepted,
      GST_CAPS_INTERSECT_FIRST);
}

/* On a GPU path, decode on the GPU too: hardware decoders first, in
 * decodebin's order otherwise. nvh264dec then hands CUDA memory straight
 * to the scalers. */
static GValueArray *
prefer_hardware_decoders (GstElement * decodebin, GstPad * pad,
    GstCaps * caps, GValueArray * factories, gpointer user_data)
{
  GValueArray *sorted;
  guint i, pass;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS;
  sorted = g_value_array_new (factories->n_values);
  for (pass = 0; pass < 2; pass++) {
    for (i = 0; i < factories->n_values; i++) {
      GValue *v = g_value_array_get_nth (factories, i);
      GstElementFactory *f = g_value_get_object (v);
      gboolean hardware = gst_element_factory_list_is_type (f,
          GST_ELEMENT_FACTORY_TYPE_HARDWARE);
      if (hardware == (pass == 0))
        g_value_array_append (sorted, v);
    }
  }
  G_GNUC_END_IGNORE_DEPRECATIONS;
  return sorted;
}

static gboolean
build_input (GstLpTranscodeBin * self, GError ** error)
{
  LpMemoryPath path = self->encoder->quirks.path;
  const gchar *feature = lp_memory_path_caps_feature (path);
  g_autoptr (GstCaps) raw = NULL;
  g_autoptr (GstPad) decoder_sink = NULL;
  g_autoptr (GstPad) tee_sink = NULL;

  /* decodebin passes raw video through untouched and decodes anything
   * else exactly once */
  self->decoder = make_element (self, "decodebin", "decoder", error);
  if (self->decoder == NULL)
    return FALSE;
  raw = gst_caps_from_string ("video/x-raw");
  if (feature != NULL) {
    GstCaps *gpu = gst_caps_new_empty_simple ("video/x-raw");
    gst_caps_set_features (gpu, 0, gst_caps_features_new (feature, NULL));
    raw = gst_caps_merge (gpu, g_steal_pointer (&raw));
  }
  g_object_set (self->decoder, "caps", raw, NULL);
  gst_clear_caps (&raw);
  g_signal_connect (self->decoder, "pad-added",
      G_CALLBACK (decoder_pad_added), self);
  if (path != LP_MEMORY_PATH_SYSTEM)
    g_signal_connect (self->decoder, "autoplug-sort",
        G_CALLBACK (prefer_hardware_decoders), NULL);

  if (!(self->converter = make_path_bin (lp_memory_path_converter (path),
              "converter", error))
      || !(self->format = make_element (self, "capsfilter", "format", error))
      || !(self->tee = make_element (self, "tee", "tee", error)))
    return FALSE;
  raw = converted_format (self);
  g_object_set (self->format, "caps", raw, NULL);

  gst_bin_add_many (GST_BIN (self), self->decoder, self->converter,
      self->format, self->tee, NULL);
  if (!gst_element_link_many (self->converter, self->format, self->tee, NULL)) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
        "cannot link the converter to the tee");
    return FALSE;
  }

  tee_sink = gst_element_get_static_pad (self->tee, "sink");
  gst_pad_add_probe (tee_sink, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      source_caps_probe, self, NULL);

  decoder_sink = gst_element_get_static_pad (self->decoder, "sink");
  gst_ghost_pad_set_target (GST_GHOST_PAD (self->sinkpad), decoder_sink);
  return TRUE;
}

static void
set_queue_depth (Rendition * r, gboolean playing)
{
  if (playing)
    g_object_set (r->queue, "max-size-buffers", PLAYING_QUEUE_FRAMES,
        "max-size-bytes", 0, "max-size-time", (guint64) 0, NULL);
  else
    g_object_set (r->queue, "max-size-buffers", 0, "max-size-bytes", 0,
        "max-size-time", (guint64) PREROLL_QUEUE_TIME, NULL);
}

static void
set_queue_depths (GstLpTranscodeBin * self, gboolean playing)
{
  guint i;

  for (i = 0; self->renditions != NULL && i < self->renditions->len; i++)
    set_queue_depth (g_ptr_array_index (self->renditions, i), playing);
}

static gboolean
build_rendition (GstLpTranscodeBin * self, Rendition * r, guint index,
    gboolean low_latency, GError ** error)
{
  const LpProfile *p = r->profile;
  const gchar *h264_profile = lp_h264_profile_to_caps_string (p->h264_profile);
  gint gop_ms = lp_profile_effective_gop_ms (p);
  g_autofree gchar *prefix = g_strdup_printf ("r%u-", index);
  g_autofree gchar *n = NULL;
  g_autoptr (GstCaps) out_caps = NULL;
  g_autoptr (GstPad) out = NULL;

#define NAME(what) (g_free (n), n = g_strconcat (prefix, what, NULL))
  /* stops at the first element that cannot be made; teardown_ladder()
   * drops the ones that were */
  if (!(r->queue = make_element (self, "queue", NAME ("queue"), error))
      || !(r->rate = make_element (self, "videorate", NAME ("rate"), error))
      || !(r->scaler =
          make_path_bin (lp_memory_path_scaler (self->encoder->quirks.path),
              NAME ("scaler"), error))
      || !(r->filter = make_element (self, "capsfilter", NAME ("size"),
              error))
      || !(r->parse = make_element (self, "h264parse", NAME ("parse"), error))
      || !(r->outfilter = make_element (self, "capsfilter", NAME ("profile"),
              error)))
    return FALSE;
#undef NAME
  /* output starts at the first frame, not at the segment's start: a live
   * source's first frame comes a little after it, and copies of it would
   * fill the gap (one frame more in all) */
  g_object_set (r->rate, "skip-to-first", TRUE, NULL);

  set_queue_depth (r, FALSE);
  /* SPS/PPS before every IDR, so any segment cut on a keyframe decodes */
  g_object_set (r->parse, "config-interval", -1, NULL);

  r->gop = gop_ms == LP_PROFILE_GOP_INTRA ? 0 : gop_ms * GST_MSECOND;
  r->low_latency = low_latency;

  out_caps = gst_caps_new_empty_simple ("video/x-h264");
  if (h264_profile != NULL)
    gst_caps_set_simple (out_caps, "profile", G_TYPE_STRING, h264_profile,
        NULL);
  g_object_set (r->outfilter, "caps", out_caps, NULL);

  /* the encoder joins between filter and parse once the source caps are
   * known (add_encoder) */
  gst_bin_add_many (GST_BIN (self), r->queue, r->rate, r->scaler, r->filter,
      r->parse, r->outfilter, NULL);
  if (!gst_element_link_many (self->tee, r->queue, r->rate, r->scaler,
          r->filter, NULL) || !gst_element_link (r->parse, r->outfilter)) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
        "cannot link the chain of rendition '%s' (encoder %s)", p->name,
        self->encoder->factory_name);
    return FALSE;
  }

  out = gst_element_get_static_pad (r->outfilter, "src");
  gst_ghost_pad_set_target (GST_GHOST_PAD (r->srcpad), out);
  return TRUE;
}

static void
encoder_rejected (const gchar * factory, const gchar * reason,
    gpointer user_data)
{
  GstLpTranscodeBin *self = user_data;

  GST_ELEMENT_WARNING (self, STREAM, ENCODE,
      ("Encoder %s does not work on this machine; trying the next one.",
          factory), ("%s", reason));
}

static void
post_encoder_message (GstLpTranscodeBin * self)
{
  const gchar *feature = lp_memory_path_caps_feature (self->encoder->quirks.path);
  GstStructure *s = gst_structure_new ("lptranscodebin-encoder",
      "encoder", G_TYPE_STRING, self->encoder->factory_name,
      "hardware", G_TYPE_BOOLEAN, self->encoder->quirks.hardware,
      "memory", G_TYPE_STRING, feature ? feature : "system", NULL);

  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), s));
}

static void
post_error (GstLpTranscodeBin * self, GError * error, const gchar * debug)
{
  gst_element_message_full (GST_ELEMENT (self), GST_MESSAGE_ERROR,
      error->domain, error->code, g_strdup (error->message),
      debug ? g_strdup (debug) : NULL, __FILE__, GST_FUNCTION, __LINE__);
}

static gboolean
choose_encoder (GstLpTranscodeBin * self)
{
  g_autofree gchar *wanted = NULL;
  g_autoptr (GError) error = NULL;

  GST_OBJECT_LOCK (self);
  wanted = g_strdup (self->encoder_name);
  GST_OBJECT_UNLOCK (self);

  self->encoder = lp_encoder_choose (wanted ? wanted : "auto",
      encoder_rejected, self, &error);
  if (self->encoder == NULL) {
    if (g_error_matches (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN)) {
      g_autoptr (GstCaps) h264 = gst_caps_new_empty_simple ("video/x-h264");
      gst_element_post_message (GST_ELEMENT (self),
          gst_missing_encoder_message_new (GST_ELEMENT (self), h264));
    }
    post_error (self, error, "property 'encoder'");
    return FALSE;
  }

  GST_OBJECT_LOCK (self);
  g_free (self->selected_encoder);
  self->selected_encoder = g_strdup (self->encoder->factory_name);
  GST_OBJECT_UNLOCK (self);
  g_object_notify (G_OBJECT (self), "selected-encoder");
  post_encoder_message (self);
  return TRUE;
}

static gboolean
build_ladder (GstLpTranscodeBin * self)
{
  g_autoptr (GPtrArray) profiles = NULL;
  g_autoptr (GError) error = NULL;
  gboolean low_latency;
  guint i;

  profiles = parse_profiles (self, &error);
  if (profiles == NULL)
    goto bad_profiles;
  if (!pads_match_profiles (self, profiles))
    goto pads_changed;
  if (!choose_encoder (self))
    return FALSE;
  if (!build_input (self, &error))
    goto build_failed;

  GST_OBJECT_LOCK (self);
  low_latency = self->low_latency;
  GST_OBJECT_UNLOCK (self);

  self->renditions = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rendition_free);
  for (i = 0; i < profiles->len; i++) {
    Rendition *r = g_new0 (Rendition, 1);
    r->profile = lp_profile_copy (g_ptr_array_index (profiles, i));
    r->srcpad = gst_object_ref (g_ptr_array_index (self->srcpads, i));
    g_ptr_array_add (self->renditions, r);
    if (!build_rendition (self, r, i, low_latency, &error))
      goto build_failed;
  }
  return TRUE;

bad_profiles:
  GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
      ("Invalid 'profiles' property: %s", error->message), (NULL));
  return FALSE;
pads_changed:
  GST_ELEMENT_ERROR (self, CORE, STATE_CHANGE,
      ("The 'profiles' property changed without its pads being updated."),
      (NULL));
  return FALSE;
build_failed:
  post_error (self, error, "building the ladder");
  return FALSE;
}

static void
remove_child (GstLpTranscodeBin * self, GstElement ** child)
{
  if (*child == NULL)
    return;
  gst_element_set_state (*child, GST_STATE_NULL);
  if (GST_OBJECT_PARENT (*child) == GST_OBJECT (self))
    gst_bin_remove (GST_BIN (self), *child);
  else                          /* made, but a later failure kept it out */
    gst_object_unref (gst_object_ref_sink (*child));
  *child = NULL;
}

static void
teardown_ladder (GstLpTranscodeBin * self)
{
  guint i;

  gst_ghost_pad_set_target (GST_GHOST_PAD (self->sinkpad), NULL);
  for (i = 0; self->renditions != NULL && i < self->renditions->len; i++) {
    Rendition *r = g_ptr_array_index (self->renditions, i);
    gst_ghost_pad_set_target (GST_GHOST_PAD (r->srcpad), NULL);
    remove_child (self, &r->queue);
    remove_child (self, &r->rate);
    remove_child (self, &r->scaler);
    remove_child (self, &r->filter);
    remove_child (self, &r->encoder);
    remove_child (self, &r->parse);
    remove_child (self, &r->outfilter);
  }
  g_clear_pointer (&self->renditions, g_ptr_array_unref);
  if (self->decoder != NULL)
    g_signal_handlers_disconnect_by_data (self->decoder, self);
  remove_child (self, &self->decoder);
  remove_child (self, &self->converter);
  remove_child (self, &self->format);
  remove_child (self, &self->tee);
  g_clear_pointer (&self->encoder, lp_encoder_choice_free);
}

static GstStateChangeReturn
gst_lp_transcode_bin_change_state (GstElement * element,
    GstStateChange transition)
{
  GstLpTranscodeBin *self = GST_LP_TRANSCODE_BIN (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:{
      /* report bad profiles at the first state change, not at first data */
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) profiles = parse_profiles (self, &error);
      if (profiles == NULL) {
        GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
            ("Invalid 'profiles' property: %s", error->message), (NULL));
        return GST_STATE_CHANGE_FAILURE;
      }
      break;
    }
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      if (!build_ladder (self)) {
        teardown_ladder (self);
        return GST_STATE_CHANGE_FAILURE;
      }
      break;
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      /* before the sinks go back to prerolling */
      set_queue_depths (self, FALSE);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE) {
    if (transition == GST_STATE_CHANGE_READY_TO_PAUSED)
      teardown_ladder (self);
    return ret;
  }

  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_PLAYING:
      set_queue_depths (self, TRUE);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      teardown_ladder (self);
      break;
    default:
      break;
  }
  return ret;
}

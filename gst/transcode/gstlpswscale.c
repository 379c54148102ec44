/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-lpswscale
 * @title: lpswscale
 * @short_description: scales raw video with FFmpeg's libswscale
 *
 * lpswscale resizes raw YUV video in system memory with libswscale, the
 * scaler Livepeer's own transcoder uses, so renditions are scaled the same
 * way and at the same cost. It only scales: the pixel format stays as it is
 * (convert before it, once, with videoconvert). It is what `lptranscodebin`
 * scales each rendition with on the system-memory path; on its own it works
 * like `videoscale` for the formats it lists.
 *
 * The output size comes from downstream caps; the pixel aspect ratio may
 * change freely (downstream states it).
 *
 * ## Example launch line
 * ```
 * gst-launch-1.0 videotestsrc num-buffers=30 ! video/x-raw,format=I420,width=1280,height=720 ! \
 *     lpswscale method=bicubic ! video/x-raw,width=640,height=360 ! \
 *     x264enc ! h264parse ! mpegtsmux ! filesink location=scaled.ts
 * ```
 *
 * Since: 0.1
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstlpswscale.h"

#include <libswscale/swscale.h>

GST_DEBUG_CATEGORY_STATIC (gst_lp_sw_scale_debug);
#define GST_CAT_DEFAULT gst_lp_sw_scale_debug

#define DEFAULT_METHOD GST_LP_SW_SCALE_METHOD_BICUBIC

enum
{
  PROP_0,
  PROP_METHOD,
};

#define FORMATS "{ I420, YV12, NV12, Y42B, Y444, I420_10LE, GRAY8 }"

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (FORMATS)));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (FORMATS)));

struct _GstLpSwScale
{
  GstVideoFilter parent;

  GstLpSwScaleMethod method;    /* under the object lock */

  /* streaming thread only: the context for the negotiated formats */
  struct SwsContext *context;
};

#define gst_lp_sw_scale_parent_class parent_class
G_DEFINE_TYPE (GstLpSwScale, gst_lp_sw_scale, GST_TYPE_VIDEO_FILTER);
GST_ELEMENT_REGISTER_DEFINE (lpswscale, "lpswscale", GST_RANK_NONE,
    GST_TYPE_LP_SW_SCALE);

GType
gst_lp_sw_scale_method_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_LP_SW_SCALE_METHOD_FAST_BILINEAR, "Fast bilinear (fastest, softer)",
        "fast-bilinear"},
    {GST_LP_SW_SCALE_METHOD_BILINEAR, "Bilinear", "bilinear"},
    {GST_LP_SW_SCALE_METHOD_BICUBIC, "Bicubic (FFmpeg's default)", "bicubic"},
    {GST_LP_SW_SCALE_METHOD_LANCZOS, "Lanczos (sharpest, slowest)", "lanczos"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstLpSwScaleMethod", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

static int
method_to_sws_flags (GstLpSwScaleMethod method)
{
  switch (method) {
    case GST_LP_SW_SCALE_METHOD_FAST_BILINEAR:
      return SWS_FAST_BILINEAR;
    case GST_LP_SW_SCALE_METHOD_BILINEAR:
      return SWS_BILINEAR;
    case GST_LP_SW_SCALE_METHOD_LANCZOS:
      return SWS_LANCZOS;
    case GST_LP_SW_SCALE_METHOD_BICUBIC:
    default:
      return SWS_BICUBIC;
  }
}

/* YV12 is I420 with the chroma planes swapped: swscale sees it as I420
 * and the plane pointers are swapped on both sides, which cancels out. */
static enum AVPixelFormat
format_to_av (GstVideoFormat format)
{
  switch (format) {
    case GST_VIDEO_FORMAT_I420:
    case GST_VIDEO_FORMAT_YV12:
      return AV_PIX_FMT_YUV420P;
    case GST_VIDEO_FORMAT_NV12:
      return AV_PIX_FMT_NV12;
    case GST_VIDEO_FORMAT_Y42B:
      return AV_PIX_FMT_YUV422P;
    case GST_VIDEO_FORMAT_Y444:
      return AV_PIX_FMT_YUV444P;
    case GST_VIDEO_FORMAT_I420_10LE:
      return AV_PIX_FMT_YUV420P10LE;
    case GST_VIDEO_FORMAT_GRAY8:
      return AV_PIX_FMT_GRAY8;
    default:
      return AV_PIX_FMT_NONE;
  }
}

static void
gst_lp_sw_scale_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLpSwScale *self = GST_LP_SW_SCALE (object);

  switch (prop_id) {
    case PROP_METHOD:
      GST_OBJECT_LOCK (self);
      self->method = g_value_get_enum (value);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_lp_sw_scale_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstLpSwScale *self = GST_LP_SW_SCALE (object);

  switch (prop_id) {
    case PROP_METHOD:
      GST_OBJECT_LOCK (self);
      g_value_set_enum (value, self->method);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

/* Any size and pixel aspect ratio on the other side; the rest stays. */
static GstCaps *
gst_lp_sw_scale_transform_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter)
{
  GstCaps *result = gst_caps_new_empty ();
  guint i;

  for (i = 0; i < gst_caps_get_size (caps); i++) {
    GstStructure *s = gst_structure_copy (gst_caps_get_structure (caps, i));
    GstCapsFeatures *f = gst_caps_get_features (caps, i);

    /* system memory only */
    if (!gst_caps_features_is_any (f)
        && !gst_caps_features_is_equal (f,
            GST_CAPS_FEATURES_MEMORY_SYSTEM_MEMORY)) {
      gst_structure_free (s);
      continue;
    }
    gst_structure_set (s, "width", GST_TYPE_INT_RANGE, 1, G_MAXINT,
        "height", GST_TYPE_INT_RANGE, 1, G_MAXINT, NULL);
    if (gst_structure_has_field (s, "pixel-aspect-ratio"))
      gst_structure_set (s, "pixel-aspect-ratio", GST_TYPE_FRACTION_RANGE,
          1, G_MAXINT, G_MAXINT, 1, NULL);
    result = gst_caps_merge_structure_full (result, s,
        gst_caps_features_copy (f));
  }

  if (filter != NULL) {
    GstCaps *filtered = gst_caps_intersect_full (filter, result,
        GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref (result);
    result = filtered;
  }
  return result;
}

/* Unconstrained sides keep the input's size and pixel aspect ratio. */
static GstCaps *
gst_lp_sw_scale_fixate_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * othercaps)
{
  GstStructure *in = gst_caps_get_structure (caps, 0);
  GstStructure *out;
  gint width = 0, height = 0, par_n = 1, par_d = 1;

  othercaps = gst_caps_truncate (othercaps);
  othercaps = gst_caps_make_writable (othercaps);
  out = gst_caps_get_structure (othercaps, 0);

  gst_structure_get_int (in, "width", &width);
  gst_structure_get_int (in, "height", &height);
  gst_structure_get_fraction (in, "pixel-aspect-ratio", &par_n, &par_d);
  if (width > 0)
    gst_structure_fixate_field_nearest_int (out, "width", width);
  if (height > 0)
    gst_structure_fixate_field_nearest_int (out, "height", height);
  if (gst_structure_has_field (out, "pixel-aspect-ratio"))
    gst_structure_fixate_field_nearest_fraction (out, "pixel-aspect-ratio",
        par_n, par_d);
  return gst_caps_fixate (othercaps);
}

static gboolean
gst_lp_sw_scale_set_info (GstVideoFilter * filter, GstCaps * incaps,
    GstVideoInfo * in_info, GstCaps * outcaps, GstVideoInfo * out_info)
{
  GstLpSwScale *self = GST_LP_SW_SCALE (filter);
  enum AVPixelFormat format = format_to_av (GST_VIDEO_INFO_FORMAT (in_info));
  GstLpSwScaleMethod method;

  g_clear_pointer (&self->context, sws_freeContext);

  if (GST_VIDEO_INFO_FORMAT (in_info) != GST_VIDEO_INFO_FORMAT (out_info)
      || format == AV_PIX_FMT_NONE) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("lpswscale only scales; convert the format before it."),
        ("in %" GST_PTR_FORMAT ", out %" GST_PTR_FORMAT, incaps, outcaps));
    return FALSE;
  }

  if (GST_VIDEO_INFO_WIDTH (in_info) == GST_VIDEO_INFO_WIDTH (out_info)
      && GST_VIDEO_INFO_HEIGHT (in_info) == GST_VIDEO_INFO_HEIGHT (out_info)) {
    gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (self), TRUE);
    return TRUE;
  }
  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (self), FALSE);

  GST_OBJECT_LOCK (self);
  method = self->method;
  GST_OBJECT_UNLOCK (self);

  self->context = sws_getContext (GST_VIDEO_INFO_WIDTH (in_info),
      GST_VIDEO_INFO_HEIGHT (in_info), format,
      GST_VIDEO_INFO_WIDTH (out_info), GST_VIDEO_INFO_HEIGHT (out_info),
      format, method_to_sws_flags (method), NULL, NULL, NULL);
  if (self->context == NULL) {
    GST_ELEMENT_ERROR (self, LIBRARY, INIT,
        ("libswscale cannot scale %dx%d to %dx%d.",
            GST_VIDEO_INFO_WIDTH (in_info), GST_VIDEO_INFO_HEIGHT (in_info),
            GST_VIDEO_INFO_WIDTH (out_info), GST_VIDEO_INFO_HEIGHT (out_info)),
        (NULL));
    return FALSE;
  }
  GST_DEBUG_OBJECT (self, "scaling %dx%d -> %dx%d",
      GST_VIDEO_INFO_WIDTH (in_info), GST_VIDEO_INFO_HEIGHT (in_info),
      GST_VIDEO_INFO_WIDTH (out_info), GST_VIDEO_INFO_HEIGHT (out_info));
  return TRUE;
}

static GstFlowReturn
gst_lp_sw_scale_transform_frame (GstVideoFilter * filter,
    GstVideoFrame * in_frame, GstVideoFrame * out_frame)
{
  GstLpSwScale *self = GST_LP_SW_SCALE (filter);
  const guint8 *src[GST_VIDEO_MAX_PLANES] = { NULL, };
  guint8 *dst[GST_VIDEO_MAX_PLANES] = { NULL, };
  int src_stride[GST_VIDEO_MAX_PLANES] = { 0, };
  int dst_stride[GST_VIDEO_MAX_PLANES] = { 0, };
  guint i;

  for (i = 0; i < GST_VIDEO_FRAME_N_PLANES (in_frame); i++) {
    src[i] = GST_VIDEO_FRAME_PLANE_DATA (in_frame, i);
    src_stride[i] = GST_VIDEO_FRAME_PLANE_STRIDE (in_frame, i);
    dst[i] = GST_VIDEO_FRAME_PLANE_DATA (out_frame, i);
    dst_stride[i] = GST_VIDEO_FRAME_PLANE_STRIDE (out_frame, i);
  }
  sws_scale (self->context, src, src_stride, 0,
      GST_VIDEO_FRAME_HEIGHT (in_frame), dst, dst_stride);
  return GST_FLOW_OK;
}

static gboolean
gst_lp_sw_scale_stop (GstBaseTransform * trans)
{
  GstLpSwScale *self = GST_LP_SW_SCALE (trans);

  g_clear_pointer (&self->context, sws_freeContext);
  return TRUE;
}

static void
gst_lp_sw_scale_class_init (GstLpSwScaleClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  GstVideoFilterClass *filter_class = GST_VIDEO_FILTER_CLASS (klass);

  gobject_class->set_property = gst_lp_sw_scale_set_property;
  gobject_class->get_property = gst_lp_sw_scale_get_property;

  /**
   * GstLpSwScale:method:
   *
   * The scaling filter; bicubic is FFmpeg's (and Livepeer's) default.
   */
  g_object_class_install_property (gobject_class, PROP_METHOD,
      g_param_spec_enum ("method", "Method",
          "Scaling filter (bicubic is FFmpeg's and Livepeer's default)",
          GST_TYPE_LP_SW_SCALE_METHOD, DEFAULT_METHOD,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Livepeer software scaler", "Filter/Converter/Video/Scaler",
      "Resizes raw YUV video with FFmpeg's libswscale",
      "gst-livepeer contributors");

  trans_class->transform_caps =
      GST_DEBUG_FUNCPTR (gst_lp_sw_scale_transform_caps);
  trans_class->fixate_caps = GST_DEBUG_FUNCPTR (gst_lp_sw_scale_fixate_caps);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_lp_sw_scale_stop);
  filter_class->set_info = GST_DEBUG_FUNCPTR (gst_lp_sw_scale_set_info);
  filter_class->transform_frame =
      GST_DEBUG_FUNCPTR (gst_lp_sw_scale_transform_frame);

  gst_type_mark_as_plugin_api (GST_TYPE_LP_SW_SCALE_METHOD, 0);
  GST_DEBUG_CATEGORY_INIT (gst_lp_sw_scale_debug, "lpswscale", 0,
      "Livepeer software scaler");
}

static void
gst_lp_sw_scale_init (GstLpSwScale * self)
{
  self->method = DEFAULT_METHOD;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The lpswscale element's type, its scaling-method enum and its
 * registration (gstlpswscale.c documents the element).
 */
#pragma once

#include <gst/video/video.h>

G_BEGIN_DECLS

/**
 * GstLpSwScaleMethod:
 * @GST_LP_SW_SCALE_METHOD_FAST_BILINEAR: fast bilinear
 * @GST_LP_SW_SCALE_METHOD_BILINEAR: bilinear
 * @GST_LP_SW_SCALE_METHOD_BICUBIC: bicubic, FFmpeg's default
 * @GST_LP_SW_SCALE_METHOD_LANCZOS: Lanczos
 *
 * The libswscale filter lpswscale resizes with.
 */
typedef enum
{
  GST_LP_SW_SCALE_METHOD_FAST_BILINEAR,
  GST_LP_SW_SCALE_METHOD_BILINEAR,
  GST_LP_SW_SCALE_METHOD_BICUBIC,
  GST_LP_SW_SCALE_METHOD_LANCZOS,
} GstLpSwScaleMethod;

#define GST_TYPE_LP_SW_SCALE_METHOD (gst_lp_sw_scale_method_get_type ())
GType gst_lp_sw_scale_method_get_type (void);

#define GST_TYPE_LP_SW_SCALE (gst_lp_sw_scale_get_type ())
G_DECLARE_FINAL_TYPE (GstLpSwScale, gst_lp_sw_scale, GST, LP_SW_SCALE,
    GstVideoFilter);

GST_ELEMENT_REGISTER_DECLARE (lpswscale);

G_END_DECLS

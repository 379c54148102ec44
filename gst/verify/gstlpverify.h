/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The lpverify element's type, its rendition pad's type and its
 * registration (gstlpverify.c documents the element).
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_LP_VERIFY (gst_lp_verify_get_type ())
G_DECLARE_FINAL_TYPE (GstLpVerify, gst_lp_verify, GST, LP_VERIFY, GstElement);

#define GST_TYPE_LP_VERIFY_PAD (gst_lp_verify_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstLpVerifyPad, gst_lp_verify_pad, GST, LP_VERIFY_PAD,
    GstPad);

GST_ELEMENT_REGISTER_DECLARE (lpverify);

G_END_DECLS

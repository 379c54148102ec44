/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The lptranscodebin element's type, the type of its `src_%u` pads (one
 * per profile) and its registration (gstlptranscodebin.c documents the
 * element).
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_LP_TRANSCODE_BIN (gst_lp_transcode_bin_get_type ())
G_DECLARE_FINAL_TYPE (GstLpTranscodeBin, gst_lp_transcode_bin, GST,
    LP_TRANSCODE_BIN, GstBin);

#define GST_TYPE_LP_TRANSCODE_BIN_PAD (gst_lp_transcode_bin_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstLpTranscodeBinPad, gst_lp_transcode_bin_pad, GST,
    LP_TRANSCODE_BIN_PAD, GstGhostPad);

GST_ELEMENT_REGISTER_DECLARE (lptranscodebin);

G_END_DECLS

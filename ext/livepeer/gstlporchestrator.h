/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The lporchestrator element's type and registration;
 * gstlporchestrator.c documents the element, gstlporchestrator-private.h
 * holds what its files share.
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_LP_ORCHESTRATOR (gst_lp_orchestrator_get_type ())
G_DECLARE_FINAL_TYPE (GstLpOrchestrator, gst_lp_orchestrator, GST,
    LP_ORCHESTRATOR, GstElement);

GST_ELEMENT_REGISTER_DECLARE (lporchestrator);

G_END_DECLS

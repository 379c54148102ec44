/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The `livepeer` plugin: registers lporchestrator and livepeersink.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstlporchestrator.h"
#include "gstlivepeersink.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = FALSE;

  ret |= GST_ELEMENT_REGISTER (lporchestrator, plugin);
  ret |= GST_ELEMENT_REGISTER (livepeersink, plugin);
  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, livepeer,
    "Livepeer network nodes in a pipeline: an orchestrator serving "
    "transcoding for micropayment tickets, and a broadcaster sink paying "
    "for it",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)

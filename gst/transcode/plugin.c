/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The `lptranscode` plugin: registers lptranscodebin and lpswscale.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstlptranscodebin.h"
#include "gstlpswscale.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = FALSE;

  ret |= GST_ELEMENT_REGISTER (lptranscodebin, plugin);
  ret |= GST_ELEMENT_REGISTER (lpswscale, plugin);
  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, lptranscode,
    "Livepeer adaptive-bitrate ladder on the best H.264 encoder present",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)

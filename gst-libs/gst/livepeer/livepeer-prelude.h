/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * GST_LIVEPEER_API marks what libgstlivepeer-1.0 exports: its public
 * functions and variables, and nothing else. The library is built with
 * hidden visibility, so a function without the mark stays internal.
 */
#pragma once

#include <gst/gst.h>

#ifndef GST_LIVEPEER_API
# ifdef BUILDING_GST_LIVEPEER
#  define GST_LIVEPEER_API GST_API_EXPORT
# else
#  define GST_LIVEPEER_API GST_API_IMPORT
# endif
#endif

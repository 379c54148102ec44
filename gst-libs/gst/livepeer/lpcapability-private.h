/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What lpcapability.c shares with the plugins and tests of this tree but
 * does not install: the helpers whose types are json-glib's, which no
 * installed header exposes. Exported (the plugin's job runner uses them),
 * but not API: not installed. No state: safe from any thread.
 */
#pragma once

#include <gst/livepeer/lpcapability.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

GST_LIVEPEER_API
JsonNode *lp_structure_to_json_node (const GstStructure * structure);

G_END_DECLS

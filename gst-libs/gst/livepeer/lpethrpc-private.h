/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lpethrpc's internals shared with lpethsender (not installed): the raw
 * request on JSON nodes, and the redacted URL errors name.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "lpethrpc.h"

G_BEGIN_DECLS

G_GNUC_INTERNAL
JsonNode *lp_eth_rpc_call_method (LpEthRpc * rpc, const gchar * method,
    JsonNode * params, GError ** error);
G_GNUC_INTERNAL
const gchar *lp_eth_rpc_get_display_url (LpEthRpc * rpc);

G_END_DECLS

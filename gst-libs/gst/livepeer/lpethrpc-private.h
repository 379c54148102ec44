/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lpethrpc's internals shared between its files and with lpethsender (not
 * installed): the raw request on JSON nodes, the redacted URL errors name,
 * and the error of a node's JSON-RPC error object.
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
G_GNUC_INTERNAL
GError *lp_eth_rpc_error_from_node (const gchar * display_url,
    const gchar * method, JsonObject * object);

G_END_DECLS

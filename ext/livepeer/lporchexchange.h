/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One HTTP request and its answer, whichever transport carried it: a
 * libsoup message (HTTP/1.1) or an LpH2Request (HTTP/2, TLS or h2c). The
 * orchestrator's segment path (lporchrpc.c) reads and answers requests
 * through it only, so go-livepeer's POST /segment and /payment are served
 * by the same handlers over both, as go-livepeer's broadcaster uses
 * HTTP/1.1 for an http:// orchestrator and HTTP/2 for an https:// one.
 *
 * Used on the server thread ("lporch-http") only; an exchange may be
 * kept (a ref) and answered later, as a segment's is once transcoded.
 */
#pragma once

#include <libsoup/soup.h>
#include <gst/livepeer/lph2server.h>

G_BEGIN_DECLS

typedef struct _LpExchange LpExchange;

LpExchange *lp_exchange_new_soup (SoupServerMessage * msg);
LpExchange *lp_exchange_new_h2 (LpH2Request * request);
LpExchange *lp_exchange_ref (LpExchange * exchange);
void lp_exchange_unref (LpExchange * exchange);

const gchar *lp_exchange_get_method (LpExchange * exchange);
const gchar *lp_exchange_get_path (LpExchange * exchange);
const gchar *lp_exchange_get_header (LpExchange * exchange,
    const gchar * name);
const gchar *lp_exchange_get_content_type (LpExchange * exchange);
GBytes *lp_exchange_get_body (LpExchange * exchange);

void lp_exchange_respond (LpExchange * exchange, guint status,
    const gchar * content_type, GBytes * body);
void lp_exchange_respond_text (LpExchange * exchange, guint status,
    const gchar * format, ...) G_GNUC_PRINTF (3, 4);
void lp_exchange_defer (LpExchange * exchange);
void lp_exchange_respond_head (LpExchange * exchange, guint status,
    const gchar * content_type);
void lp_exchange_respond_body (LpExchange * exchange, GBytes * body);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpExchange, lp_exchange_unref)

G_END_DECLS

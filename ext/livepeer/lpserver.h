/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The connection layer under the orchestrator's HTTP servers: our own
 * accept loop, connection accounting, deadlines and early refusals, with
 * libsoup's SoupServer speaking HTTP/1.1 on each accepted stream.
 */
#pragma once

#include <libsoup/soup.h>
#include <gst/livepeer/lph2server.h>

G_BEGIN_DECLS

/**
 * LpServerLimits:
 * @max_connections: connections open at once; at the cap the one idle
 *     longest is closed for a newcomer, else accepting waits
 * @idle_timeout_ms: how long a connection may wait for a request's whole
 *     header block, go without progress while a body or an answer is
 *     transferred, or stay idle between requests
 * @max_header_size: bytes of one request's header block (431 beyond)
 * @max_header_count: header lines of one request (431 beyond)
 * @max_body_size: bytes of a request body on paths without their own
 *     limit (lp_server_set_body_limit()) (413 beyond)
 *
 * The limits every connection of an #LpServer is held to.
 */
typedef struct
{
  guint max_connections;
  guint idle_timeout_ms;
  gsize max_header_size;
  guint max_header_count;
  guint64 max_body_size;
} LpServerLimits;

/* libsoup 3.2 drops a request whose header block exceeds 64 KiB without
 * an answer; ours must trip first, with room for what libsoup may have
 * read ahead of a request */
#define LP_SERVER_MAX_HEADER_SIZE (60 * 1024)
#define LP_SERVER_MAX_HEADER_COUNT 100

typedef struct _LpServer LpServer;

LpServer *lp_server_new (SoupServer * soup, const LpServerLimits * limits);
void lp_server_set_body_limit (LpServer * server, const gchar * path,
    guint64 limit);
void lp_server_serve_h2 (LpServer * server, LpH2Server * h2,
    GTlsCertificate * certificate);
gboolean lp_server_listen (LpServer * server, GInetAddress * address,
    guint port, guint * bound_port, GError ** error);
guint lp_server_get_n_connections (LpServer * server);
void lp_server_free (LpServer * server);

G_END_DECLS

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Inside the HTTP/2 transport (never installed): LpH2Conn, one connection
 * that moves bytes between a GIOStream and an nghttp2 session on one
 * GMainContext, with non-blocking pollable I/O. The server (lph2server.c)
 * and the client (lph2client.c) own the nghttp2 session and its callbacks;
 * the connection only pumps, sniffs a server connection's first bytes
 * (TLS, HTTP/2 preface or HTTP/1.x), runs the TLS handshake and closes.
 * Everything here runs on the connection's context.
 */
#pragma once

#include <nghttp2/nghttp2.h>

#include "lph2.h"

G_BEGIN_DECLS

typedef struct _LpH2Conn LpH2Conn;

typedef struct
{
  /* the connection is ready for HTTP/2: create conn->session and submit
   * SETTINGS; FALSE (with @error set) closes it */
  gboolean (*ready) (LpH2Conn * conn, gpointer owner, GError ** error);
  /* the connection is closed; @error is NULL for an orderly end */
  void (*closed) (LpH2Conn * conn, const GError * error, gpointer owner);
  /* bytes arrived (for idle timers); may be NULL */
  void (*activity) (LpH2Conn * conn, gpointer owner);
} LpH2ConnCallbacks;

struct _LpH2Conn
{
  gint ref_count;
  GMainContext *context;
  GIOStream *stream;
  GPollableInputStream *input;
  GPollableOutputStream *output;
  GSocket *socket;              /* under the stream, when there is one */
  gboolean tls;
  gchar *peer;                  /* "1.2.3.4:5678", for messages */
  nghttp2_session *session;
  GCancellable *cancellable;
  GSource *read_source;
  GSource *write_source;
  GSource *sniff_source;
  GSource *handshake_timer;
  GByteArray *pending;          /* produced by nghttp2, not yet written */
  gsize pending_offset;
  gboolean closed;
  gboolean io_closed;            /* the stream's close has finished */
  LpH2ConnCallbacks callbacks;
  gpointer owner;
};

G_GNUC_INTERNAL
LpH2Conn *lp_h2_conn_new (GIOStream * stream, GMainContext * context,
    const LpH2ConnCallbacks * callbacks, gpointer owner);
G_GNUC_INTERNAL
LpH2Conn *lp_h2_conn_ref (LpH2Conn * conn);
G_GNUC_INTERNAL
void lp_h2_conn_unref (LpH2Conn * conn);

G_GNUC_INTERNAL
void lp_h2_conn_start_server (LpH2Conn * conn, guint handshake_timeout_ms);
G_GNUC_INTERNAL
void lp_h2_conn_start (LpH2Conn * conn);
G_GNUC_INTERNAL
void lp_h2_conn_flush (LpH2Conn * conn);
G_GNUC_INTERNAL
void lp_h2_conn_close (LpH2Conn * conn, GError * error);

G_GNUC_INTERNAL
void lp_h2_destroy_source (GSource ** source);

G_GNUC_INTERNAL
gchar *lp_h2_describe_peer (GIOStream * stream);
G_GNUC_INTERNAL
const gchar *lp_h2_nv_find (const gchar * const *pairs, const gchar * name);
G_GNUC_INTERNAL
gboolean lp_grpc_is_content_type (const gchar * type);

G_END_DECLS

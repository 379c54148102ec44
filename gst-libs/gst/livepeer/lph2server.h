/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An HTTP/2 server over connections its caller accepts (nghttp2 over GIO):
 * cleartext h2c with prior knowledge, or TLS with ALPN "h2". The caller
 * owns the listener, so it can send a TLS connection that negotiated
 * "http/1.1" elsewhere (soup_server_accept_iostream()) and give only "h2"
 * ones here, as go-livepeer serves gRPC and HTTP on one port. Each complete
 * request (method, path, headers, body within a bound) goes to a handler,
 * which answers at once or later, from any thread. The server is bounded:
 * connections, concurrent streams, header and body sizes, and timeouts for
 * the handshake, for each request to arrive in full, and for idle
 * connections, so a slow or hostile client cannot pin it.
 *
 * The gRPC router turns the server into unary gRPC: it checks the
 * content-type, reads the length-prefixed message, calls the method's
 * handler with the message bytes and answers with grpc-status and
 * grpc-message trailers.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gst/livepeer/lph2.h>

G_BEGIN_DECLS

/**
 * LpH2ServerLimits:
 * @max_connections: open connections at once; more are closed at once
 * @max_concurrent_streams: requests in flight on one connection
 *     (SETTINGS_MAX_CONCURRENT_STREAMS; more are refused by nghttp2)
 * @max_header_list_size: bytes of one request's header names and values
 * @max_body_size: bytes of one request's body; beyond, the handler gets
 *     the request at once with no body (lp_h2_request_is_too_large())
 * @handshake_timeout_ms: time for the first bytes and the TLS handshake
 * @request_timeout_ms: time from a request's first header to its last byte
 * @idle_timeout_ms: time a connection may stay open with no request
 *
 * Set with lp_h2_server_limits_init() first: fields added later keep their
 * defaults.
 */
typedef struct
{
  guint max_connections;
  guint max_concurrent_streams;
  gsize max_header_list_size;
  gsize max_body_size;
  guint handshake_timeout_ms;
  guint request_timeout_ms;
  guint idle_timeout_ms;
} LpH2ServerLimits;

typedef struct _LpH2Server LpH2Server;
typedef struct _LpH2Request LpH2Request;

/**
 * LpH2Handler:
 * @request: a complete request (borrowed: take a reference with
 *     lp_h2_request_ref() to answer later)
 * @user_data: the handler's data
 *
 * Called on the server's context for each request. Must answer, once, with
 * lp_h2_request_respond(), now or later and from any thread.
 */
typedef void (*LpH2Handler) (LpH2Request * request, gpointer user_data);

/**
 * LpH2ConnectionErrorFunc:
 * @error: why a connection was closed (an #LpH2Error: a TLS ClientHello on
 *     the h2c port, HTTP/1.x where HTTP/2 is due, a timeout...)
 * @user_data: the function's data
 *
 * Called on the server's context when a connection ends on an error.
 * Without one, the server writes each such error with g_message().
 */
typedef void (*LpH2ConnectionErrorFunc) (const GError * error,
    gpointer user_data);

GST_LIVEPEER_API
void lp_h2_server_limits_init (LpH2ServerLimits * limits);

GST_LIVEPEER_API
LpH2Server *lp_h2_server_new (GMainContext * context,
    const LpH2ServerLimits * limits, LpH2Handler handler, gpointer user_data,
    GDestroyNotify notify);
GST_LIVEPEER_API
void lp_h2_server_free (LpH2Server * server);

GST_LIVEPEER_API
void lp_h2_server_set_path_limit (LpH2Server * server, const gchar * path,
    gsize max_body_size, guint max_in_flight);

GST_LIVEPEER_API
void lp_h2_server_set_connection_error_func (LpH2Server * server,
    LpH2ConnectionErrorFunc func, gpointer user_data);

GST_LIVEPEER_API
void lp_h2_server_accept (LpH2Server * server, GIOStream * stream);

GST_LIVEPEER_API
guint lp_h2_server_get_n_connections (LpH2Server * server);

GST_LIVEPEER_API
GIOStream *lp_h2_tls_server_wrap (GIOStream * base,
    GTlsCertificate * certificate, GError ** error);

/* A request */

GST_LIVEPEER_API
LpH2Request *lp_h2_request_ref (LpH2Request * request);
GST_LIVEPEER_API
void lp_h2_request_unref (LpH2Request * request);

GST_LIVEPEER_API
const gchar *lp_h2_request_get_method (LpH2Request * request);
GST_LIVEPEER_API
const gchar *lp_h2_request_get_path (LpH2Request * request);
GST_LIVEPEER_API
const gchar *lp_h2_request_get_header (LpH2Request * request,
    const gchar * name);
GST_LIVEPEER_API
const gchar *const *lp_h2_request_get_headers (LpH2Request * request);
GST_LIVEPEER_API
GBytes *lp_h2_request_get_body (LpH2Request * request);
GST_LIVEPEER_API
gboolean lp_h2_request_is_too_large (LpH2Request * request);
GST_LIVEPEER_API
const gchar *lp_h2_request_get_peer (LpH2Request * request);

GST_LIVEPEER_API
void lp_h2_request_respond (LpH2Request * request, guint status,
    const gchar * const *headers, GBytes * body,
    const gchar * const *trailers);
GST_LIVEPEER_API
void lp_h2_request_respond_head (LpH2Request * request, guint status,
    const gchar * const *headers);
GST_LIVEPEER_API
void lp_h2_request_respond_body (LpH2Request * request, GBytes * body);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpH2Request, lp_h2_request_unref)

/* Unary gRPC on the server */

typedef struct _LpGrpcRouter LpGrpcRouter;

/**
 * LpGrpcUnaryFunc:
 * @request: the call (borrowed, as for #LpH2Handler)
 * @message: the request message, unframed (borrowed)
 * @user_data: the method's data
 *
 * A unary method. Answers, once, with lp_grpc_respond() or
 * lp_grpc_respond_error(), now or later and from any thread.
 */
typedef void (*LpGrpcUnaryFunc) (LpH2Request * request, GBytes * message,
    gpointer user_data);

GST_LIVEPEER_API
LpGrpcRouter *lp_grpc_router_new (gsize max_message_size);
GST_LIVEPEER_API
void lp_grpc_router_free (LpGrpcRouter * router);
GST_LIVEPEER_API
void lp_grpc_router_add (LpGrpcRouter * router, const gchar * path,
    LpGrpcUnaryFunc func, gpointer user_data);
GST_LIVEPEER_API
void lp_grpc_router_set_fallback (LpGrpcRouter * router, LpH2Handler handler,
    gpointer user_data);
GST_LIVEPEER_API
void lp_grpc_router_handle (LpH2Request * request, gpointer router);

GST_LIVEPEER_API
void lp_grpc_respond (LpH2Request * request, GBytes * message);
GST_LIVEPEER_API
void lp_grpc_respond_error (LpH2Request * request, LpGrpcStatus status,
    const gchar * message);

G_END_DECLS

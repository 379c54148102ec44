/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An HTTP/2 client (nghttp2 over GIO): one request on a fresh connection,
 * to an https:// URL (TLS with ALPN "h2"; the certificate is not checked
 * unless asked, as go-livepeer's broadcaster trusts orchestrators by their
 * Ethereum signatures, not by certificates) or an http:// URL (cleartext
 * h2c with prior knowledge). The answer comes back whole: status, headers,
 * body within a bound, trailers. On top of it, a unary gRPC call that maps
 * a grpc-status other than OK to an %LP_GRPC_ERROR with the server's
 * grpc-message. Calls are synchronous: each runs on a private main context
 * of its own, so any thread may call at any time.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gst/livepeer/lph2.h>

G_BEGIN_DECLS

/* go-livepeer's broadcaster gives a gRPC call 8 s (GRPCTimeout) */
#define LP_H2_CLIENT_DEFAULT_TIMEOUT_MS 8000

/**
 * LpH2ClientFlags:
 * @LP_H2_CLIENT_NONE: nothing special
 * @LP_H2_CLIENT_VERIFY_CERTIFICATE: check an https:// server's certificate
 *     against the system's trusted authorities and the URL's host
 */
typedef enum
{
  LP_H2_CLIENT_NONE = 0,
  LP_H2_CLIENT_VERIFY_CERTIFICATE = 1 << 0,
} LpH2ClientFlags;

/**
 * LpH2ClientOptions:
 * @timeout_ms: the whole call's deadline: connecting, TLS, the request and
 *     the whole answer (0: %LP_H2_CLIENT_DEFAULT_TIMEOUT_MS)
 * @max_answer_size: the largest answer body (0: gRPC's default message
 *     bound and its prefix)
 * @flags: #LpH2ClientFlags
 */
typedef struct
{
  guint timeout_ms;
  gsize max_answer_size;
  LpH2ClientFlags flags;
} LpH2ClientOptions;

/**
 * LpH2Response:
 * @status: the HTTP status
 * @headers: "name", "value", ..., %NULL; lowercase names, no pseudo-header
 * @body: the body (empty when there was none)
 * @trailers: the trailers, as @headers (empty when there were none)
 */
typedef struct
{
  guint status;
  gchar **headers;
  GBytes *body;
  gchar **trailers;
} LpH2Response;

GST_LIVEPEER_API
void lp_h2_response_free (LpH2Response * response);
GST_LIVEPEER_API
const gchar *lp_h2_response_get_header (const LpH2Response * response,
    const gchar * name);
GST_LIVEPEER_API
const gchar *lp_h2_response_get_trailer (const LpH2Response * response,
    const gchar * name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpH2Response, lp_h2_response_free)

GST_LIVEPEER_API
LpH2Response *lp_h2_client_request (const gchar * url, const gchar * method,
    const gchar * const *headers, GBytes * body,
    const LpH2ClientOptions * options, GCancellable * cancellable,
    GError ** error);

GST_LIVEPEER_API
GBytes *lp_grpc_call (const gchar * base_url, const gchar * method,
    GBytes * message, const LpH2ClientOptions * options,
    GCancellable * cancellable, GError ** error);

G_END_DECLS

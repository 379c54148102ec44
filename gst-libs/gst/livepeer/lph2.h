/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What the HTTP/2 server (lph2server.h) and client (lph2client.h) share:
 * the transport's error domain, gRPC's status codes and their error
 * domain, and gRPC's length-prefixed message framing. Messages are opaque
 * bytes at this layer; lpproto-messages.h gives them meaning. No state:
 * safe from any thread.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* gRPC's default bound on one message (grpc-go and grpcio use the same) */
#define LP_GRPC_DEFAULT_MAX_MESSAGE_SIZE (4 * 1024 * 1024)

/**
 * LP_H2_ERROR:
 *
 * Error domain of the HTTP/2 transport; its codes are #LpH2Error.
 */
#define LP_H2_ERROR (lp_h2_error_quark ())
GST_LIVEPEER_API
GQuark lp_h2_error_quark (void);

/**
 * LpH2Error:
 * @LP_H2_ERROR_CONNECT: the peer cannot be reached (DNS, refused, reset)
 * @LP_H2_ERROR_TLS: the TLS handshake failed, the certificate was refused,
 *     or the peer did not agree to HTTP/2 in ALPN
 * @LP_H2_ERROR_TLS_ON_CLEARTEXT: a TLS ClientHello arrived on a cleartext
 *     (h2c) connection: the peer wants https:// where http:// is served
 * @LP_H2_ERROR_CLEARTEXT_ON_TLS: plain bytes (an h2c preface or an
 *     HTTP/1.x request) arrived where a TLS handshake was due
 * @LP_H2_ERROR_HTTP1: an HTTP/1.x request arrived where HTTP/2 was due
 * @LP_H2_ERROR_PROTOCOL: the peer broke HTTP/2 (bad preface, bad frames,
 *     GOAWAY with an error, a reset stream, a malformed answer)
 * @LP_H2_ERROR_TIMEOUT: a handshake, request, idle or call deadline passed
 * @LP_H2_ERROR_TOO_LARGE: headers or a body beyond the bound
 * @LP_H2_ERROR_CLOSED: the peer closed the connection before the answer
 * @LP_H2_ERROR_REFUSED: beyond the server's connection bound
 * @LP_H2_ERROR_INVALID: a bad argument (an URL that is not http:// or
 *     https://, a header name that is not lowercase)
 */
typedef enum
{
  LP_H2_ERROR_CONNECT,
  LP_H2_ERROR_TLS,
  LP_H2_ERROR_TLS_ON_CLEARTEXT,
  LP_H2_ERROR_CLEARTEXT_ON_TLS,
  LP_H2_ERROR_HTTP1,
  LP_H2_ERROR_PROTOCOL,
  LP_H2_ERROR_TIMEOUT,
  LP_H2_ERROR_TOO_LARGE,
  LP_H2_ERROR_CLOSED,
  LP_H2_ERROR_REFUSED,
  LP_H2_ERROR_INVALID,
} LpH2Error;

/**
 * LP_GRPC_ERROR:
 *
 * Error domain of a gRPC call that reached its server and got a status
 * other than OK; the codes are gRPC's own (#LpGrpcStatus), the message
 * holds the method, the server and its grpc-message.
 */
#define LP_GRPC_ERROR (lp_grpc_error_quark ())
GST_LIVEPEER_API
GQuark lp_grpc_error_quark (void);

/**
 * LpGrpcStatus:
 *
 * gRPC's status codes (grpc/doc/statuscodes.md), same numbers.
 */
typedef enum
{
  LP_GRPC_STATUS_OK = 0,
  LP_GRPC_STATUS_CANCELLED = 1,
  LP_GRPC_STATUS_UNKNOWN = 2,
  LP_GRPC_STATUS_INVALID_ARGUMENT = 3,
  LP_GRPC_STATUS_DEADLINE_EXCEEDED = 4,
  LP_GRPC_STATUS_NOT_FOUND = 5,
  LP_GRPC_STATUS_ALREADY_EXISTS = 6,
  LP_GRPC_STATUS_PERMISSION_DENIED = 7,
  LP_GRPC_STATUS_RESOURCE_EXHAUSTED = 8,
  LP_GRPC_STATUS_FAILED_PRECONDITION = 9,
  LP_GRPC_STATUS_ABORTED = 10,
  LP_GRPC_STATUS_OUT_OF_RANGE = 11,
  LP_GRPC_STATUS_UNIMPLEMENTED = 12,
  LP_GRPC_STATUS_INTERNAL = 13,
  LP_GRPC_STATUS_UNAVAILABLE = 14,
  LP_GRPC_STATUS_DATA_LOSS = 15,
  LP_GRPC_STATUS_UNAUTHENTICATED = 16,
} LpGrpcStatus;

GST_LIVEPEER_API
const gchar *lp_grpc_status_name (LpGrpcStatus status);

GST_LIVEPEER_API
GBytes *lp_grpc_frame (GBytes * message);

GST_LIVEPEER_API
GBytes *lp_grpc_unframe (GBytes * body, gsize max_message_size,
    LpGrpcStatus * status, GError ** error);

GST_LIVEPEER_API
gchar *lp_grpc_message_encode (const gchar * text);

GST_LIVEPEER_API
gchar *lp_grpc_message_decode (const gchar * value);

G_END_DECLS

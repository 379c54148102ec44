/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unary gRPC on the HTTP/2 server (lph2server.h): LpGrpcRouter maps a
 * method path ("/net.Orchestrator/Ping") to its handler, checks what gRPC
 * over HTTP/2 requires of a request (POST, content-type application/grpc
 * or application/grpc+proto, one uncompressed length-prefixed message
 * within the bound) and answers with gRPC's status trailers. Requests that
 * are not gRPC go to a fallback handler (go-livepeer serves POST /segment
 * on the same port), or get 415 as gRPC's spec says.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lph2server.h"
#include "lph2-private.h"

typedef struct
{
  LpGrpcUnaryFunc func;
  gpointer user_data;
} Method;

struct _LpGrpcRouter
{
  gsize max_message_size;
  GHashTable *methods;          /* path -> Method */
  LpH2Handler fallback;
  gpointer fallback_data;
};

/**
 * lp_grpc_router_new:
 * @max_message_size: the largest request message accepted, 0 for gRPC's
 *     default (%LP_GRPC_DEFAULT_MAX_MESSAGE_SIZE); the server's
 *     max_body_size must leave room for it and its 5-byte prefix
 *
 * Returns: (transfer full): a router with no method; give
 *     lp_grpc_router_handle() and the router to lp_h2_server_new()
 */
LpGrpcRouter *
lp_grpc_router_new (gsize max_message_size)
{
  LpGrpcRouter *router = g_new0 (LpGrpcRouter, 1);

  router->max_message_size = max_message_size ? max_message_size
      : LP_GRPC_DEFAULT_MAX_MESSAGE_SIZE;
  router->methods = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  return router;
}

void
lp_grpc_router_free (LpGrpcRouter * router)
{
  g_hash_table_unref (router->methods);
  g_free (router);
}

/**
 * lp_grpc_router_add:
 * @path: "/package.Service/Method"
 * @func: the unary method
 *
 * Adds (or replaces) a method. Add all methods before serving.
 */
void
lp_grpc_router_add (LpGrpcRouter * router, const gchar * path,
    LpGrpcUnaryFunc func, gpointer user_data)
{
  Method *method = g_new0 (Method, 1);

  g_return_if_fail (path != NULL && path[0] == '/');
  method->func = func;
  method->user_data = user_data;
  g_hash_table_replace (router->methods, g_strdup (path), method);
}

/**
 * lp_grpc_router_set_fallback:
 * @handler: (nullable): called with requests that are not gRPC
 *     (content-type not application/grpc...)
 */
void
lp_grpc_router_set_fallback (LpGrpcRouter * router, LpH2Handler handler,
    gpointer user_data)
{
  router->fallback = handler;
  router->fallback_data = user_data;
}

/**
 * lp_grpc_respond_error:
 * @status: not %LP_GRPC_STATUS_OK
 * @message: (nullable): said to the client as grpc-message
 *
 * Ends a call with an error status, in gRPC's Trailers-Only form.
 */
void
lp_grpc_respond_error (LpH2Request * request, LpGrpcStatus status,
    const gchar * message)
{
  gchar code[12];
  gchar *encoded = lp_grpc_message_encode (message ? message : "");
  const gchar *headers[] = { "content-type", "application/grpc", NULL };
  const gchar *trailers[] = { "grpc-status", code, "grpc-message", encoded,
    NULL
  };

  g_snprintf (code, sizeof code, "%d", status);
  if (message == NULL)
    trailers[2] = NULL;
  lp_h2_request_respond (request, 200, headers, NULL, trailers);
  g_free (encoded);
}

/**
 * lp_grpc_respond:
 * @message: the answer message, serialized
 *
 * Ends a call with its answer and status OK.
 */
void
lp_grpc_respond (LpH2Request * request, GBytes * message)
{
  const gchar *headers[] = { "content-type", "application/grpc", NULL };
  const gchar *trailers[] = { "grpc-status", "0", NULL };
  GBytes *framed = lp_grpc_frame (message);

  lp_h2_request_respond (request, 200, headers, framed, trailers);
  g_bytes_unref (framed);
}

/* "application/grpc", "application/grpc+proto" or "application/grpc;..."
 * (also what lph2server.c reads a message prefix of) */
gboolean
lp_grpc_is_content_type (const gchar * type)
{
  return type != NULL && g_str_has_prefix (type, "application/grpc")
      && (type[16] == '\0' || type[16] == '+' || type[16] == ';');
}

static gboolean
is_protobuf_content_type (const gchar * type)
{
  return strcmp (type, "application/grpc") == 0
      || g_str_has_prefix (type, "application/grpc;")
      || g_str_has_prefix (type, "application/grpc+proto");
}

static void
respond_plain (LpH2Request * request, guint status, const gchar * text)
{
  const gchar *headers[] = { "content-type", "text/plain; charset=utf-8",
    NULL
  };
  GBytes *body = g_bytes_new (text, strlen (text));

  lp_h2_request_respond (request, status, headers, body, NULL);
  g_bytes_unref (body);
}

static gboolean
check_grpc_request (LpGrpcRouter * router, LpH2Request * request,
    const gchar * type)
{
  gchar *text;

  if (!is_protobuf_content_type (type)) {
    text = g_strdup_printf ("content-type %s: only protobuf "
        "(application/grpc+proto) is served", type);
    lp_grpc_respond_error (request, LP_GRPC_STATUS_INVALID_ARGUMENT, text);
    g_free (text);
    return FALSE;
  }
  if (g_strcmp0 (lp_h2_request_get_method (request), "POST") != 0) {
    text = g_strdup_printf ("gRPC calls are POST, not %s",
        lp_h2_request_get_method (request));
    respond_plain (request, 405, text);
    g_free (text);
    return FALSE;
  }
  if (lp_h2_request_is_too_large (request)) {
    text = g_strdup_printf ("the request is larger than the limit of %"
        G_GSIZE_FORMAT " bytes", router->max_message_size);
    lp_grpc_respond_error (request, LP_GRPC_STATUS_RESOURCE_EXHAUSTED, text);
    g_free (text);
    return FALSE;
  }
  return TRUE;
}

/**
 * lp_grpc_router_handle:
 * @router: (type LpGrpcRouter): the router
 *
 * An #LpH2Handler: give it to lp_h2_server_new() with the router as its
 * data. Answers UNIMPLEMENTED for a method not added, INVALID_ARGUMENT for
 * a malformed request, RESOURCE_EXHAUSTED for one beyond the bound, HTTP
 * 415 for a request that is not gRPC when there is no fallback.
 */
void
lp_grpc_router_handle (LpH2Request * request, gpointer router_data)
{
  LpGrpcRouter *router = router_data;
  const gchar *type = lp_h2_request_get_header (request, "content-type");
  Method *method;
  GBytes *body, *message;
  LpGrpcStatus status;
  GError *error = NULL;
  gchar *text;

  if (!lp_grpc_is_content_type (type)) {
    if (router->fallback)
      router->fallback (request, router->fallback_data);
    else {
      text = g_strdup_printf ("content-type %s is not gRPC "
          "(application/grpc)", type ? type : "(none)");
      respond_plain (request, 415, text);
      g_free (text);
    }
    return;
  }
  if (!check_grpc_request (router, request, type))
    return;
  method = g_hash_table_lookup (router->methods,
      lp_h2_request_get_path (request));
  if (method == NULL) {
    text = g_strdup_printf ("unknown method %s",
        lp_h2_request_get_path (request));
    lp_grpc_respond_error (request, LP_GRPC_STATUS_UNIMPLEMENTED, text);
    g_free (text);
    return;
  }
  body = lp_h2_request_get_body (request);
  message = lp_grpc_unframe (body, router->max_message_size, &status, &error);
  g_bytes_unref (body);
  if (message == NULL) {
    lp_grpc_respond_error (request, status, error->message);
    g_error_free (error);
    return;
  }
  method->func (request, message, method->user_data);
  g_bytes_unref (message);
}

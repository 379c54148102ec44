/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The HTTP/2 client (lph2client.h): connect (GSocketClient), TLS with ALPN
 * "h2" for https://, nghttp2's client session on LpH2Conn, one request,
 * the whole answer, all on a private GMainContext that the calling thread
 * iterates until the answer, an error or the deadline. Then the unary
 * gRPC call on top.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lph2client.h"
#include "lph2-private.h"

typedef struct
{
  GMainContext *context;
  gchar *url;
  gchar *host;
  gint port;
  gboolean tls;
  gchar *authority;
  gchar *path;
  const gchar *method;
  const gchar *const *headers;
  GBytes *body;
  gsize body_offset;
  LpH2ClientOptions options;
  GCancellable *cancellable;
  gulong cancel_handler;
  GCancellable *caller_cancellable;
  LpH2Conn *conn;
  gint32 stream_id;
  GPtrArray *answer_headers;
  GPtrArray *answer_trailers;
  GByteArray *answer_body;
  guint status;
  gboolean finished;
  gboolean timed_out;
  GError *error;
} Call;

/**
 * lp_h2_response_free:
 */
void
lp_h2_response_free (LpH2Response * response)
{
  if (response == NULL)
    return;
  g_strfreev (response->headers);
  g_strfreev (response->trailers);
  if (response->body)
    g_bytes_unref (response->body);
  g_free (response);
}

/**
 * lp_h2_response_get_header:
 * @name: a header name (case does not matter)
 *
 * Returns: (nullable): the first value of @name among the headers
 */
const gchar *
lp_h2_response_get_header (const LpH2Response * response, const gchar * name)
{
  return lp_h2_nv_find ((const gchar * const *) response->headers, name);
}

/**
 * lp_h2_response_get_trailer:
 * @name: a trailer name (case does not matter)
 *
 * Returns: (nullable): the first value of @name among the trailers
 */
const gchar *
lp_h2_response_get_trailer (const LpH2Response * response,
    const gchar * name)
{
  return lp_h2_nv_find ((const gchar * const *) response->trailers, name);
}

/* the first error wins; the loop stops */
static void
call_fail (Call * call, GError * error)
{
  if (call->error == NULL && !call->finished)
    call->error = error;
  else
    g_error_free (error);
  call->finished = TRUE;
}

static void
pairs_add (GPtrArray * pairs, const uint8_t * name, size_t namelen,
    const uint8_t * value, size_t valuelen)
{
  pairs->pdata[pairs->len - 1] = g_strndup ((const gchar *) name, namelen);
  g_ptr_array_add (pairs, g_strndup ((const gchar *) value, valuelen));
  g_ptr_array_add (pairs, NULL);
}

static int
on_header (nghttp2_session * session, const nghttp2_frame * frame,
    const uint8_t * name, size_t namelen, const uint8_t * value,
    size_t valuelen, uint8_t flags, void *user_data)
{
  Call *call = user_data;

  if (frame->hd.stream_id != call->stream_id)
    return 0;
  if (frame->headers.cat == NGHTTP2_HCAT_RESPONSE) {
    if (namelen == 7 && memcmp (name, ":status", 7) == 0) {
      gchar *text = g_strndup ((const gchar *) value, valuelen);
      call->status = (guint) g_ascii_strtoull (text, NULL, 10);
      g_free (text);
    } else if (namelen > 0 && name[0] != ':') {
      pairs_add (call->answer_headers, name, namelen, value, valuelen);
    }
  } else if (frame->headers.cat == NGHTTP2_HCAT_HEADERS) {
    pairs_add (call->answer_trailers, name, namelen, value, valuelen);
  }
  return 0;
}

static int
on_data_chunk (nghttp2_session * session, uint8_t flags, int32_t stream_id,
    const uint8_t * data, size_t len, void *user_data)
{
  Call *call = user_data;

  if (stream_id != call->stream_id || call->finished)
    return 0;
  if (call->answer_body->len + len > call->options.max_answer_size) {
    call_fail (call, g_error_new (LP_H2_ERROR, LP_H2_ERROR_TOO_LARGE,
            "the answer of %s is larger than the limit of %" G_GSIZE_FORMAT
            " bytes", call->url, call->options.max_answer_size));
    nghttp2_submit_rst_stream (session, NGHTTP2_FLAG_NONE, stream_id,
        NGHTTP2_CANCEL);
    return 0;
  }
  g_byte_array_append (call->answer_body, data, len);
  return 0;
}

static int
on_stream_close (nghttp2_session * session, int32_t stream_id,
    uint32_t error_code, void *user_data)
{
  Call *call = user_data;

  if (stream_id != call->stream_id)
    return 0;
  if (error_code != NGHTTP2_NO_ERROR || call->status == 0)
    call_fail (call, g_error_new (LP_H2_ERROR, LP_H2_ERROR_PROTOCOL,
            "%s reset the stream before a complete answer (HTTP/2 error %s)",
            call->url, nghttp2_http2_strerror (error_code)));
  call->finished = TRUE;
  return 0;
}

static ssize_t
body_read (nghttp2_session * session, int32_t stream_id, uint8_t * buf,
    size_t length, uint32_t * data_flags, nghttp2_data_source * source,
    void *user_data)
{
  Call *call = user_data;
  gsize size;
  const guint8 *data = g_bytes_get_data (call->body, &size);
  gsize n = MIN (length, size - call->body_offset);

  memcpy (buf, data + call->body_offset, n);
  call->body_offset += n;
  if (call->body_offset == size)
    *data_flags |= NGHTTP2_DATA_FLAG_EOF;
  return n;
}

static void
nv_add (GArray * nva, const gchar * name, const gchar * value)
{
  nghttp2_nv nv = { (uint8_t *) name, (uint8_t *) value, strlen (name),
    strlen (value), NGHTTP2_NV_FLAG_NONE
  };
  g_array_append_val (nva, nv);
}

static gboolean
call_submit (Call * call, GError ** error)
{
  GArray *nva = g_array_new (FALSE, FALSE, sizeof (nghttp2_nv));
  nghttp2_data_provider provider = { {.ptr = call}, body_read };
  guint i;

  nv_add (nva, ":method", call->method);
  nv_add (nva, ":scheme", call->tls ? "https" : "http");
  nv_add (nva, ":authority", call->authority);
  nv_add (nva, ":path", call->path);
  for (i = 0; call->headers && call->headers[i] && call->headers[i + 1];
      i += 2)
    nv_add (nva, call->headers[i], call->headers[i + 1]);
  call->stream_id = nghttp2_submit_request (call->conn->session, NULL,
      (nghttp2_nv *) nva->data, nva->len, call->body ? &provider : NULL,
      NULL);
  g_array_unref (nva);
  if (call->stream_id < 0) {
    g_set_error (error, LP_H2_ERROR, LP_H2_ERROR_INVALID,
        "cannot send the request to %s: %s", call->url,
        nghttp2_strerror (call->stream_id));
    return FALSE;
  }
  return TRUE;
}

static gboolean
client_ready (LpH2Conn * conn, gpointer owner, GError ** error)
{
  Call *call = owner;
  nghttp2_session_callbacks *callbacks;

  nghttp2_session_callbacks_new (&callbacks);
  nghttp2_session_callbacks_set_on_header_callback (callbacks, on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback (callbacks,
      on_data_chunk);
  nghttp2_session_callbacks_set_on_stream_close_callback (callbacks,
      on_stream_close);
  nghttp2_session_client_new (&conn->session, callbacks, call);
  nghttp2_session_callbacks_del (callbacks);
  nghttp2_submit_settings (conn->session, NGHTTP2_FLAG_NONE, NULL, 0);
  return call_submit (call, error);
}

static void
client_closed (LpH2Conn * conn, const GError * error, gpointer owner)
{
  Call *call = owner;

  if (call->finished)
    return;
  if (error && !g_error_matches (error, LP_H2_ERROR, LP_H2_ERROR_CLOSED))
    call_fail (call, g_error_copy (error));
  else if (!call->tls && call->status == 0)
    /* what a TLS server does with a cleartext preface */
    call_fail (call, g_error_new (LP_H2_ERROR, LP_H2_ERROR_CLOSED,
            "%s closed the connection before answering (if the port "
            "serves TLS, use https://)", call->url));
  else
    call_fail (call, g_error_new (LP_H2_ERROR, LP_H2_ERROR_CLOSED,
            "%s closed the connection before answering", call->url));
}

static const LpH2ConnCallbacks client_callbacks = {
  client_ready, client_closed, NULL,
};

static void
call_start_session (Call * call, GIOStream * stream)
{
  call->conn = lp_h2_conn_new (stream, call->context, &client_callbacks,
      call);
  lp_h2_conn_start (call->conn);
}

static void
on_handshake (GObject * object, GAsyncResult * result, gpointer data)
{
  Call *call = data;
  GTlsConnection *tls = G_TLS_CONNECTION (object);
  GError *error = NULL;
  const gchar *alpn;

  if (!g_tls_connection_handshake_finish (tls, result, &error)) {
    if (!call->finished)
      call_fail (call, g_error_new (LP_H2_ERROR, LP_H2_ERROR_TLS,
              "TLS handshake with %s failed: %s", call->url,
              error->message));
    g_error_free (error);
  } else if (!call->finished) {
    alpn = g_tls_connection_get_negotiated_protocol (tls);
    if (g_strcmp0 (alpn, "h2") != 0)
      call_fail (call, g_error_new (LP_H2_ERROR, LP_H2_ERROR_TLS,
              "%s did not agree to HTTP/2 in the TLS handshake (ALPN "
              "answer: %s)", call->url, alpn ? alpn : "none"));
    else
      call_start_session (call, G_IO_STREAM (tls));
  }
  g_object_unref (tls);
}

static gboolean
accept_any_certificate (GTlsConnection * tls, GTlsCertificate * peer,
    GTlsCertificateFlags errors, gpointer data)
{
  return TRUE;
}

static void
call_start_tls (Call * call, GSocketConnection * connection)
{
  static const gchar *const protocols[] = { "h2", NULL };
  GSocketConnectable *identity = g_network_address_new (call->host,
      call->port);
  GError *error = NULL;
  GIOStream *tls = g_tls_client_connection_new (G_IO_STREAM (connection),
      identity, &error);

  g_object_unref (identity);
  if (tls == NULL) {
    call_fail (call, g_error_new (LP_H2_ERROR, LP_H2_ERROR_TLS,
            "cannot use TLS for %s: %s", call->url, error->message));
    g_error_free (error);
    return;
  }
  g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (tls),
      protocols);
  if (!(call->options.flags & LP_H2_CLIENT_VERIFY_CERTIFICATE))
    g_signal_connect (tls, "accept-certificate",
        G_CALLBACK (accept_any_certificate), NULL);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls),
      G_PRIORITY_DEFAULT, call->cancellable, on_handshake, call);
}

static void
on_connected (GObject * object, GAsyncResult * result, gpointer data)
{
  Call *call = data;
  GError *error = NULL;
  GSocketConnection *connection =
      g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result,
      &error);

  if (connection == NULL) {
    if (!call->finished)
      call_fail (call, g_error_new (LP_H2_ERROR, LP_H2_ERROR_CONNECT,
              "cannot connect to %s: %s", call->url, error->message));
    g_error_free (error);
    return;
  }
  if (!call->finished) {
    if (call->tls)
      call_start_tls (call, connection);
    else
      call_start_session (call, G_IO_STREAM (connection));
  }
  g_object_unref (connection);
}

static gboolean
on_deadline (gpointer data)
{
  Call *call = data;

  call->timed_out = TRUE;
  call_fail (call, g_error_new (LP_H2_ERROR, LP_H2_ERROR_TIMEOUT,
          "no complete answer from %s within %u ms", call->url,
          call->options.timeout_ms));
  g_cancellable_cancel (call->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled (GCancellable * caller, gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static gboolean
call_parse_url (Call * call, const gchar * url, GError ** error)
{
  GUri *uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  const gchar *scheme = uri ? g_uri_get_scheme (uri) : NULL;
  const gchar *query;

  if (uri == NULL || g_uri_get_host (uri) == NULL || (g_strcmp0 (scheme,
              "http") != 0 && g_strcmp0 (scheme, "https") != 0)) {
    g_set_error (error, LP_H2_ERROR, LP_H2_ERROR_INVALID, "\"%s\" is not an "
        "http:// or https:// URL", url);
    if (uri)
      g_uri_unref (uri);
    return FALSE;
  }
  call->url = g_strdup (url);
  call->tls = g_str_equal (scheme, "https");
  call->host = g_strdup (g_uri_get_host (uri));
  call->port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri)
      : (call->tls ? 443 : 80);
  call->authority = strchr (call->host, ':')
      ? g_strdup_printf ("[%s]:%d", call->host, call->port)
      : g_strdup_printf ("%s:%d", call->host, call->port);
  query = g_uri_get_query (uri);
  call->path = g_strdup_printf ("%s%s%s", g_uri_get_path (uri)[0]
      ? g_uri_get_path (uri) : "/", query ? "?" : "", query ? query : "");
  g_uri_unref (uri);
  return TRUE;
}

static LpH2Response *
call_take_response (Call * call)
{
  LpH2Response *response = g_new0 (LpH2Response, 1);

  response->status = call->status;
  response->headers = (gchar **) g_ptr_array_free (call->answer_headers,
      FALSE);
  response->trailers = (gchar **) g_ptr_array_free (call->answer_trailers,
      FALSE);
  response->body = g_byte_array_free_to_bytes (call->answer_body);
  call->answer_headers = call->answer_trailers = NULL;
  call->answer_body = NULL;
  return response;
}

static void
call_clear (Call * call)
{
  if (call->conn) {
    lp_h2_conn_close (call->conn, NULL);
    /* let the stream's close (a TLS close_notify) finish on our context */
    while (!call->conn->io_closed)
      g_main_context_iteration (call->context, TRUE);
    lp_h2_conn_unref (call->conn);
  }
  /* the cancelled connect or handshake reports on our context */
  while (g_main_context_iteration (call->context, FALSE));
  if (call->caller_cancellable)
    g_cancellable_disconnect (call->caller_cancellable, call->cancel_handler);
  g_object_unref (call->cancellable);
  if (call->answer_headers)
    g_ptr_array_unref (call->answer_headers);
  if (call->answer_trailers)
    g_ptr_array_unref (call->answer_trailers);
  if (call->answer_body)
    g_byte_array_unref (call->answer_body);
  g_free (call->url);
  g_free (call->host);
  g_free (call->authority);
  g_free (call->path);
}

static GPtrArray *
pairs_new (void)
{
  GPtrArray *pairs = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (pairs, NULL);
  return pairs;
}

/**
 * lp_h2_client_request:
 * @url: http:// (h2c with prior knowledge) or https:// (TLS, ALPN h2)
 * @method: "GET", "POST"...
 * @headers: (nullable): "name", "value", ..., %NULL; lowercase names
 * @body: (nullable): the request body
 * @options: (nullable): deadline, answer bound, flags; %NULL: defaults
 *
 * Sends one request on a new connection and waits for the whole answer.
 * Any HTTP status is an answer; errors are the transport's (%LP_H2_ERROR):
 * connecting, TLS, no HTTP/2, the deadline, an answer too large, a reset.
 *
 * Returns: (transfer full): the answer, or %NULL with @error set
 */
LpH2Response *
lp_h2_client_request (const gchar * url, const gchar * method,
    const gchar * const *headers, GBytes * body,
    const LpH2ClientOptions * options, GCancellable * cancellable,
    GError ** error)
{
  Call call = { 0 };
  GSocketClient *client;
  GSocketConnectable *address;
  GSource *deadline;
  LpH2Response *response = NULL;

  if (!call_parse_url (&call, url, error))
    return NULL;
  call.method = method;
  call.headers = headers;
  call.body = body;
  if (options)
    call.options = *options;
  if (call.options.timeout_ms == 0)
    call.options.timeout_ms = LP_H2_CLIENT_DEFAULT_TIMEOUT_MS;
  if (call.options.max_answer_size == 0)
    call.options.max_answer_size = LP_GRPC_DEFAULT_MAX_MESSAGE_SIZE + 5;
  call.answer_headers = pairs_new ();
  call.answer_trailers = pairs_new ();
  call.answer_body = g_byte_array_new ();
  call.cancellable = g_cancellable_new ();
  if (cancellable) {
    call.caller_cancellable = cancellable;
    call.cancel_handler = g_cancellable_connect (cancellable,
        G_CALLBACK (on_caller_cancelled), call.cancellable, NULL);
  }
  call.context = g_main_context_new ();
  g_main_context_push_thread_default (call.context);

  deadline = g_timeout_source_new (call.options.timeout_ms);
  g_source_set_callback (deadline, on_deadline, &call, NULL);
  g_source_attach (deadline, call.context);
  client = g_socket_client_new ();
  address = g_network_address_new (call.host, call.port);
  g_socket_client_connect_async (client, address, call.cancellable,
      on_connected, &call);
  g_object_unref (address);

  while (!call.finished && !g_cancellable_is_cancelled (call.cancellable))
    g_main_context_iteration (call.context, TRUE);
  if (!call.finished)
    call_fail (&call, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
            "the request to %s was cancelled", call.url));
  if (call.error)
    g_propagate_error (error, call.error);
  else
    response = call_take_response (&call);

  g_cancellable_cancel (call.cancellable);
  g_source_destroy (deadline);
  g_source_unref (deadline);
  call_clear (&call);
  g_object_unref (client);
  g_main_context_pop_thread_default (call.context);
  g_main_context_unref (call.context);
  return response;
}

/* gRPC's mapping of an HTTP status with no grpc-status to a gRPC code */
static LpGrpcStatus
grpc_status_from_http (guint status)
{
  switch (status) {
    case 400:
      return LP_GRPC_STATUS_INTERNAL;
    case 401:
      return LP_GRPC_STATUS_UNAUTHENTICATED;
    case 403:
      return LP_GRPC_STATUS_PERMISSION_DENIED;
    case 404:
      return LP_GRPC_STATUS_UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return LP_GRPC_STATUS_UNAVAILABLE;
    default:
      return LP_GRPC_STATUS_UNKNOWN;
  }
}

/* the call's status: trailers, or headers in a Trailers-Only answer */
static GBytes *
grpc_answer_message (const LpH2Response * response, const gchar * method,
    const gchar * url, gsize max_message_size, GError ** error)
{
  const gchar *status_text = lp_h2_response_get_trailer (response,
      "grpc-status");
  const gchar *message_text = lp_h2_response_get_trailer (response,
      "grpc-message");
  guint64 status;
  gchar *message;
  GBytes *answer;
  GError *frame_error = NULL;

  if (status_text == NULL) {
    status_text = lp_h2_response_get_header (response, "grpc-status");
    message_text = lp_h2_response_get_header (response, "grpc-message");
  }
  if (response->status != 200 && status_text == NULL) {
    g_set_error (error, LP_GRPC_ERROR, grpc_status_from_http
        (response->status), "%s at %s: HTTP status %u, not a gRPC answer",
        method, url, response->status);
    return NULL;
  }
  if (status_text == NULL || !g_ascii_string_to_unsigned (status_text, 10,
          0, G_MAXINT, &status, NULL)) {
    g_set_error (error, LP_GRPC_ERROR, LP_GRPC_STATUS_INTERNAL, "%s at %s: "
        "the answer has no valid grpc-status", method, url);
    return NULL;
  }
  if (status != LP_GRPC_STATUS_OK) {
    message = lp_grpc_message_decode (message_text ? message_text : "");
    g_set_error (error, LP_GRPC_ERROR, (gint) status, "%s at %s: %s: %s",
        method, url, lp_grpc_status_name (status), message);
    g_free (message);
    return NULL;
  }
  answer = lp_grpc_unframe (response->body, max_message_size, NULL,
      &frame_error);
  if (answer == NULL) {
    g_set_error (error, LP_GRPC_ERROR, LP_GRPC_STATUS_INTERNAL, "%s at %s: "
        "bad answer: %s", method, url, frame_error->message);
    g_error_free (frame_error);
  }
  return answer;
}

/**
 * lp_grpc_call:
 * @base_url: the server, "https://host:port" or "http://host:port"
 * @method: "/package.Service/Method"
 * @message: the request message, serialized
 * @options: (nullable): deadline (sent as grpc-timeout too), answer
 *     bound, flags; %NULL: defaults
 *
 * A unary gRPC call. Errors: %LP_GRPC_ERROR with the server's status and
 * grpc-message for an answer that is not OK, DEADLINE_EXCEEDED when the
 * deadline passes, INTERNAL for an answer that is not gRPC; %LP_H2_ERROR
 * when no answer came (connecting, TLS, HTTP/2).
 *
 * Returns: (transfer full): the answer message, or %NULL
 */
GBytes *
lp_grpc_call (const gchar * base_url, const gchar * method, GBytes * message,
    const LpH2ClientOptions * options, GCancellable * cancellable,
    GError ** error)
{
  LpH2ClientOptions opts = { 0 };
  gchar *url, *timeout;
  GBytes *framed, *answer;
  LpH2Response *response;
  GError *transport_error = NULL;

  g_return_val_if_fail (method != NULL && method[0] == '/', NULL);
  if (options)
    opts = *options;
  if (opts.timeout_ms == 0)
    opts.timeout_ms = LP_H2_CLIENT_DEFAULT_TIMEOUT_MS;
  if (opts.max_answer_size == 0)
    opts.max_answer_size = LP_GRPC_DEFAULT_MAX_MESSAGE_SIZE + 5;
  url = g_strconcat (base_url, g_str_has_suffix (base_url, "/") ? method + 1
      : method, NULL);
  timeout = g_strdup_printf ("%um", MIN (opts.timeout_ms, 99999999u));
  {
    const gchar *headers[] = { "content-type", "application/grpc+proto",
      "te", "trailers", "grpc-timeout", timeout,
      "user-agent", "gst-livepeer/" PACKAGE_VERSION, NULL
    };
    framed = lp_grpc_frame (message);
    response = lp_h2_client_request (url, "POST", headers, framed, &opts,
        cancellable, &transport_error);
    g_bytes_unref (framed);
  }
  g_free (timeout);
  answer = NULL;
  if (response == NULL) {
    if (g_error_matches (transport_error, LP_H2_ERROR, LP_H2_ERROR_TIMEOUT)) {
      g_set_error (error, LP_GRPC_ERROR, LP_GRPC_STATUS_DEADLINE_EXCEEDED,
          "%s at %s: DEADLINE_EXCEEDED: no answer within %u ms", method,
          base_url, opts.timeout_ms);
      g_error_free (transport_error);
    } else {
      g_propagate_error (error, transport_error);
    }
  } else {
    answer = grpc_answer_message (response, method, base_url,
        opts.max_answer_size - MIN (opts.max_answer_size, 5), error);
    lp_h2_response_free (response);
  }
  g_free (url);
  return answer;
}

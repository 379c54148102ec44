/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The HTTP/2 server (lph2server.h): nghttp2's server session on each
 * accepted connection, requests gathered within bounds and handed to the
 * handler, answers submitted back on the server's context. The gRPC router
 * is in lph2server-grpc.c.
 *
 * Bounds against slow or hostile clients: a connection must finish its
 * handshake in handshake_timeout_ms; each request must arrive in full
 * within request_timeout_ms of its first header, or its stream is reset; a
 * connection with no request answered or in the handler for
 * idle_timeout_ms is closed (so trickling requests one after another does
 * not keep it either); nghttp2 refuses streams beyond
 * max_concurrent_streams; headers and bodies are counted as they arrive.
 * A path with its own limit (lp_h2_server_set_path_limit(), for large
 * bodies such as segments) also caps how many of its requests one
 * connection may have open at once: more are reset with REFUSED_STREAM
 * before any of their body is read.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lph2server.h"
#include "lph2-private.h"

#define DEFAULT_MAX_CONNECTIONS 256
#define DEFAULT_MAX_STREAMS 32
#define DEFAULT_MAX_HEADER_LIST 16384
#define DEFAULT_MAX_BODY (LP_GRPC_DEFAULT_MAX_MESSAGE_SIZE + 5)
#define DEFAULT_HANDSHAKE_MS 5000
#define DEFAULT_REQUEST_MS 10000
#define DEFAULT_IDLE_MS 120000

/* A path's own body bound and cap on requests in flight per connection */
typedef struct
{
  gsize max_body_size;
  guint max_in_flight;
} PathLimit;

struct _LpH2Server
{
  GMainContext *context;
  LpH2ServerLimits limits;
  GHashTable *path_limits;      /* path -> PathLimit */
  LpH2Handler handler;
  gpointer user_data;
  GDestroyNotify notify;
  LpH2ConnectionErrorFunc error_func;
  gpointer error_data;
  GList *connections;           /* ServerConn, touched on the context only */
  gint n_connections;           /* atomic, read from any thread */
};

typedef struct
{
  LpH2Server *server;
  LpH2Conn *conn;
  GHashTable *requests;         /* open streams: LpH2Request, one ref each */
  GSource *idle_timer;
  guint n_in_handler;           /* dispatched, answer not yet sent */
  GHashTable *in_flight;        /* PathLimit -> open streams on its path */
} ServerConn;

struct _LpH2Request
{
  gint ref_count;
  LpH2Conn *conn;
  gint32 stream_id;
  gchar *peer;
  gchar *method;
  gchar *path;
  GPtrArray *headers;           /* name, value, ..., NULL */
  gsize header_bytes;
  GByteArray *body;             /* while it arrives */
  GBytes *whole_body;           /* once complete */
  gsize max_body;
  const PathLimit *limit;       /* counted in its connection's in_flight */
  gboolean too_large;
  gboolean refused;             /* reset with REFUSED_STREAM */
  gboolean complete;            /* the client's END_STREAM arrived */
  gboolean dispatched;
  gboolean responded;
  gboolean head_only;           /* lp_h2_request_respond_head(): body due */
  gboolean body_given;
  gboolean answer_sent;
  GSource *timer;
  /* the answer, while nghttp2 sends it */
  GBytes *answer_body;
  gsize answer_offset;
  gchar **answer_trailers;
};

typedef enum
{
  ANSWER_WHOLE,
  ANSWER_HEAD,                  /* headers now, the body later */
  ANSWER_BODY,                  /* the body after ANSWER_HEAD */
} AnswerKind;

typedef struct
{
  LpH2Request *request;
  AnswerKind kind;
  guint status;
  gchar **headers;
  GBytes *body;
  gchar **trailers;
} Answer;

/**
 * lp_h2_server_limits_init:
 *
 * Sets every limit to its default: 256 connections, 32 streams each,
 * 16 KiB of headers, a body of gRPC's default message bound (4 MiB) plus
 * its prefix, 5 s to handshake, 10 s for a request to arrive, 120 s idle.
 */
void
lp_h2_server_limits_init (LpH2ServerLimits * limits)
{
  limits->max_connections = DEFAULT_MAX_CONNECTIONS;
  limits->max_concurrent_streams = DEFAULT_MAX_STREAMS;
  limits->max_header_list_size = DEFAULT_MAX_HEADER_LIST;
  limits->max_body_size = DEFAULT_MAX_BODY;
  limits->handshake_timeout_ms = DEFAULT_HANDSHAKE_MS;
  limits->request_timeout_ms = DEFAULT_REQUEST_MS;
  limits->idle_timeout_ms = DEFAULT_IDLE_MS;
}

/* ------------------------------------------------------------------------ */
/* Requests */

static LpH2Request *
request_new (LpH2Conn * conn, gint32 stream_id)
{
  LpH2Request *request = g_new0 (LpH2Request, 1);

  request->ref_count = 1;
  request->conn = lp_h2_conn_ref (conn);
  request->stream_id = stream_id;
  request->peer = g_strdup (conn->peer);
  request->headers = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (request->headers, NULL);
  request->body = g_byte_array_new ();
  return request;
}

/**
 * lp_h2_request_ref:
 *
 * Returns: (transfer full): @request
 */
LpH2Request *
lp_h2_request_ref (LpH2Request * request)
{
  g_atomic_int_inc (&request->ref_count);
  return request;
}

/**
 * lp_h2_request_unref:
 *
 * Drops a reference; a request dropped unanswered is never answered (its
 * stream is reset when the connection ends).
 */
void
lp_h2_request_unref (LpH2Request * request)
{
  if (!g_atomic_int_dec_and_test (&request->ref_count))
    return;
  g_assert (request->timer == NULL);
  lp_h2_conn_unref (request->conn);
  g_free (request->peer);
  g_free (request->method);
  g_free (request->path);
  g_ptr_array_unref (request->headers);
  if (request->body)
    g_byte_array_unref (request->body);
  if (request->whole_body)
    g_bytes_unref (request->whole_body);
  if (request->answer_body)
    g_bytes_unref (request->answer_body);
  g_strfreev (request->answer_trailers);
  g_free (request);
}

/** lp_h2_request_get_method: Returns: ":method", "POST" */
const gchar *
lp_h2_request_get_method (LpH2Request * request)
{
  return request->method;
}

/** lp_h2_request_get_path: Returns: ":path", "/net.Orchestrator/Ping" */
const gchar *
lp_h2_request_get_path (LpH2Request * request)
{
  return request->path;
}

/**
 * lp_h2_request_get_header:
 * @name: a header name (case does not matter)
 *
 * Returns: (nullable): the first value of @name
 */
const gchar *
lp_h2_request_get_header (LpH2Request * request, const gchar * name)
{
  return lp_h2_nv_find ((const gchar * const *) request->headers->pdata,
      name);
}

/**
 * lp_h2_request_get_headers:
 *
 * Returns: (transfer none): the regular headers as "name", "value", ...,
 *     %NULL; names lowercase, pseudo-headers not included
 */
const gchar *const *
lp_h2_request_get_headers (LpH2Request * request)
{
  return (const gchar * const *) request->headers->pdata;
}

/**
 * lp_h2_request_get_body:
 *
 * Returns: (transfer full) (nullable): the body, or %NULL when it was
 *     larger than the server's max_body_size
 */
GBytes *
lp_h2_request_get_body (LpH2Request * request)
{
  if (request->too_large)
    return NULL;
  if (request->whole_body)
    return g_bytes_ref (request->whole_body);   /* no copy of a segment */
  return g_bytes_new (request->body->data, request->body->len);
}

/**
 * lp_h2_request_is_too_large:
 *
 * Returns: whether the body went beyond max_body_size: the request reaches
 *     the handler as soon as that is known, without a body, and the rest
 *     of the body is read and dropped
 */
gboolean
lp_h2_request_is_too_large (LpH2Request * request)
{
  return request->too_large;
}

/** lp_h2_request_get_peer: Returns: the client's "address:port" */
const gchar *
lp_h2_request_get_peer (LpH2Request * request)
{
  return request->peer;
}

/* ------------------------------------------------------------------------ */
/* Answers */

static ssize_t
answer_read (nghttp2_session * session, int32_t stream_id, uint8_t * buf,
    size_t length, uint32_t * data_flags, nghttp2_data_source * source,
    void *user_data)
{
  LpH2Request *request = source->ptr;
  gsize size, n;
  const guint8 *data;

  if (request->answer_body == NULL)
    return NGHTTP2_ERR_DEFERRED;        /* resumed by ANSWER_BODY */
  data = g_bytes_get_data (request->answer_body, &size);
  n = MIN (length, size - request->answer_offset);

  memcpy (buf, data + request->answer_offset, n);
  request->answer_offset += n;
  if (request->answer_offset < size)
    return n;
  *data_flags |= NGHTTP2_DATA_FLAG_EOF;
  if (request->answer_trailers && request->answer_trailers[0]) {
    GArray *nva = g_array_new (FALSE, FALSE, sizeof (nghttp2_nv));
    gchar **t;

    for (t = request->answer_trailers; t[0] && t[1]; t += 2) {
      nghttp2_nv nv = { (uint8_t *) t[0], (uint8_t *) t[1], strlen (t[0]),
        strlen (t[1]), NGHTTP2_NV_FLAG_NONE
      };
      g_array_append_val (nva, nv);
    }
    *data_flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
    nghttp2_submit_trailer (session, stream_id, (nghttp2_nv *) nva->data,
        nva->len);
    g_array_unref (nva);
  }
  return n;
}

static void
nv_append (GArray * nva, gchar ** pairs)
{
  guint i;

  for (i = 0; pairs && pairs[i] && pairs[i + 1]; i += 2) {
    nghttp2_nv nv = { (uint8_t *) pairs[i], (uint8_t *) pairs[i + 1],
      strlen (pairs[i]), strlen (pairs[i + 1]), NGHTTP2_NV_FLAG_NONE
    };
    g_array_append_val (nva, nv);
  }
}

/* HTTP/2 header names are lowercase: a caller's "Content-Type" is folded */
static gchar **
pairs_copy_lowercase (const gchar * const *pairs)
{
  guint i, n = pairs ? g_strv_length ((gchar **) pairs) & ~1u : 0;
  gchar **copy = g_new0 (gchar *, n + 1);

  for (i = 0; i < n; i++)
    copy[i] = (i % 2 == 0) ? g_ascii_strdown (pairs[i], -1)
        : g_strdup (pairs[i]);
  return copy;
}

static void
answer_submit (Answer * answer)
{
  LpH2Request *request = answer->request;
  LpH2Conn *conn = request->conn;
  gchar status[8];
  GArray *nva = g_array_new (FALSE, FALSE, sizeof (nghttp2_nv));
  nghttp2_nv status_nv = { (uint8_t *) ":status", (uint8_t *) status, 7, 0,
    NGHTTP2_NV_FLAG_NONE
  };
  nghttp2_data_provider provider = { {.ptr = request}, answer_read };
  gboolean trailers_only = answer->body == NULL
      && answer->kind == ANSWER_WHOLE;

  if (answer->kind == ANSWER_BODY) {
    g_array_unref (nva);
    request->answer_body = g_bytes_ref (answer->body);
    nghttp2_session_resume_data (conn->session, request->stream_id);
    return;
  }
  g_snprintf (status, sizeof status, "%u", answer->status);
  status_nv.valuelen = strlen (status);
  g_array_append_val (nva, status_nv);
  nv_append (nva, answer->headers);
  if (trailers_only)
    nv_append (nva, answer->trailers);  /* gRPC's Trailers-Only answer */
  else if (answer->kind == ANSWER_WHOLE) {
    request->answer_body = g_bytes_ref (answer->body);
    request->answer_trailers = g_strdupv (answer->trailers);
  }
  nghttp2_submit_response (conn->session, request->stream_id,
      (nghttp2_nv *) nva->data, nva->len, trailers_only ? NULL : &provider);
  g_array_unref (nva);
}

static void
answer_free (gpointer data)
{
  Answer *answer = data;

  lp_h2_request_unref (answer->request);
  g_strfreev (answer->headers);
  g_strfreev (answer->trailers);
  if (answer->body)
    g_bytes_unref (answer->body);
  g_free (answer);
}

static Answer *
answer_new (LpH2Request * request, AnswerKind kind)
{
  Answer *answer = g_new0 (Answer, 1);

  answer->request = lp_h2_request_ref (request);
  answer->kind = kind;
  return answer;
}

static gboolean answer_on_context (gpointer data);

/* Sends @answer from the connection's context, in the order posted, and
 * never inside an nghttp2 callback, where sending is not allowed */
static void
answer_post (Answer * answer)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, answer_on_context, answer, answer_free);
  g_source_attach (source, answer->request->conn->context);
  g_source_unref (source);
}

static gboolean
answer_on_context (gpointer data)
{
  Answer *answer = data;
  LpH2Request *request = answer->request;
  LpH2Conn *conn = request->conn;

  /* the connection may have ended, or the client reset the stream */
  if (conn->closed || nghttp2_session_get_stream_user_data (conn->session,
          request->stream_id) != request)
    return G_SOURCE_REMOVE;
  answer_submit (answer);
  lp_h2_conn_flush (conn);
  return G_SOURCE_REMOVE;
}

/**
 * lp_h2_request_respond:
 * @status: the HTTP status
 * @headers: (nullable): "name", "value", ..., %NULL (names are lowercased)
 * @body: (nullable): the body; %NULL with @trailers sends one HEADERS
 *     frame holding @headers and @trailers (gRPC's Trailers-Only answer)
 * @trailers: (nullable): "name", "value", ..., %NULL, sent after @body
 *
 * Answers @request, once. May be called from any thread; the answer is
 * sent from the server's context. An answer to a request whose client has
 * gone is dropped.
 */
void
lp_h2_request_respond (LpH2Request * request, guint status,
    const gchar * const *headers, GBytes * body,
    const gchar * const *trailers)
{
  Answer *answer;

  g_return_if_fail (status >= 100 && status <= 999);
  if (g_atomic_int_exchange (&request->responded, TRUE)) {
    g_critical ("lp_h2_request_respond: %s %s already answered",
        request->method, request->path);
    return;
  }
  answer = answer_new (request, ANSWER_WHOLE);
  answer->status = status;
  answer->headers = pairs_copy_lowercase (headers);
  answer->trailers = pairs_copy_lowercase (trailers);
  answer->body = body ? g_bytes_ref (body) : NULL;
  if (body == NULL && trailers == NULL)
    answer->body = g_bytes_new (NULL, 0);
  answer_post (answer);
}

/**
 * lp_h2_request_respond_head:
 * @status: the HTTP status
 * @headers: (nullable): "name", "value", ..., %NULL (names are lowercased)
 *
 * Answers @request, once, with its status and headers now and its body
 * later (lp_h2_request_respond_body()): a client that counts the headers
 * as "received" (go-livepeer's broadcaster does, for a segment) hears of
 * it before slow work ends. From any thread, as lp_h2_request_respond().
 */
void
lp_h2_request_respond_head (LpH2Request * request, guint status,
    const gchar * const *headers)
{
  Answer *answer;

  g_return_if_fail (status >= 100 && status <= 999);
  if (g_atomic_int_exchange (&request->responded, TRUE)) {
    g_critical ("lp_h2_request_respond_head: %s %s already answered",
        request->method, request->path);
    return;
  }
  request->head_only = TRUE;
  answer = answer_new (request, ANSWER_HEAD);
  answer->status = status;
  answer->headers = pairs_copy_lowercase (headers);
  answer_post (answer);
}

/**
 * lp_h2_request_respond_body:
 * @body: (nullable): the whole body (%NULL: empty)
 *
 * Sends the body of an answer begun with lp_h2_request_respond_head(), and
 * ends the stream. Once, from any thread.
 */
void
lp_h2_request_respond_body (LpH2Request * request, GBytes * body)
{
  Answer *answer;

  g_return_if_fail (request->head_only);
  if (g_atomic_int_exchange (&request->body_given, TRUE)) {
    g_critical ("lp_h2_request_respond_body: %s %s has its body already",
        request->method, request->path);
    return;
  }
  answer = answer_new (request, ANSWER_BODY);
  answer->body = body ? g_bytes_ref (body) : g_bytes_new (NULL, 0);
  answer_post (answer);
}

/* ------------------------------------------------------------------------ */
/* Timers */

static void server_conn_report (ServerConn * sconn, const GError * error);

static gboolean
on_idle_timeout (gpointer data)
{
  ServerConn *sconn = data;
  GError *error;

  g_source_unref (sconn->idle_timer);
  sconn->idle_timer = NULL;
  if (sconn->n_in_handler > 0)
    return G_SOURCE_REMOVE;     /* re-armed when the answer is sent */
  error = g_error_new (LP_H2_ERROR, LP_H2_ERROR_TIMEOUT, "closing the "
      "HTTP/2 connection of %s: no request answered in %u ms",
      sconn->conn->peer, sconn->server->limits.idle_timeout_ms);
  if (g_hash_table_size (sconn->requests) > 0)
    server_conn_report (sconn, error);  /* a request that never finished */
  g_error_free (error);
  nghttp2_session_terminate_session (sconn->conn->session, NGHTTP2_NO_ERROR);
  lp_h2_conn_flush (sconn->conn);
  return G_SOURCE_REMOVE;
}

static void
idle_timer_restart (ServerConn * sconn)
{
  lp_h2_destroy_source (&sconn->idle_timer);
  sconn->idle_timer =
      g_timeout_source_new (sconn->server->limits.idle_timeout_ms);
  g_source_set_callback (sconn->idle_timer, on_idle_timeout, sconn, NULL);
  g_source_attach (sconn->idle_timer, sconn->conn->context);
}

static void
request_timer_stop (LpH2Request * request)
{
  lp_h2_destroy_source (&request->timer);
}

static gboolean
on_request_timeout (gpointer data)
{
  LpH2Request *request = data;
  ServerConn *sconn = request->conn->owner;
  GError *error;

  g_source_unref (request->timer);
  request->timer = NULL;
  error = g_error_new (LP_H2_ERROR, LP_H2_ERROR_TIMEOUT, "%s did not send "
      "its request on stream %d in %u ms: stream reset", request->peer,
      request->stream_id, sconn->server->limits.request_timeout_ms);
  server_conn_report (sconn, error);
  g_error_free (error);
  nghttp2_submit_rst_stream (request->conn->session, NGHTTP2_FLAG_NONE,
      request->stream_id, NGHTTP2_CANCEL);
  lp_h2_conn_flush (request->conn);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------------ */
/* nghttp2 callbacks */

static int
on_begin_headers (nghttp2_session * session, const nghttp2_frame * frame,
    void *user_data)
{
  ServerConn *sconn = user_data;
  LpH2Request *request;

  if (frame->hd.type != NGHTTP2_HEADERS
      || frame->headers.cat != NGHTTP2_HCAT_REQUEST)
    return 0;
  request = request_new (sconn->conn, frame->hd.stream_id);
  request->max_body = sconn->server->limits.max_body_size;
  nghttp2_session_set_stream_user_data (session, frame->hd.stream_id,
      request);
  g_hash_table_add (sconn->requests, request);
  request->timer =
      g_timeout_source_new (sconn->server->limits.request_timeout_ms);
  g_source_set_callback (request->timer, on_request_timeout, request, NULL);
  g_source_attach (request->timer, sconn->conn->context);
  return 0;
}

static int
on_header (nghttp2_session * session, const nghttp2_frame * frame,
    const uint8_t * name, size_t namelen, const uint8_t * value,
    size_t valuelen, uint8_t flags, void *user_data)
{
  ServerConn *sconn = user_data;
  LpH2Request *request = nghttp2_session_get_stream_user_data (session,
      frame->hd.stream_id);
  guint last;

  if (request == NULL || frame->headers.cat != NGHTTP2_HCAT_REQUEST)
    return 0;                   /* trailers of a request: not kept */
  /* RFC 9113's accounting: 32 bytes of overhead per field */
  request->header_bytes += namelen + valuelen + 32;
  if (request->header_bytes > sconn->server->limits.max_header_list_size)
    return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;       /* resets the stream */
  if (namelen == 7 && memcmp (name, ":method", 7) == 0) {
    g_free (request->method);
    request->method = g_strndup ((const gchar *) value, valuelen);
  } else if (namelen == 5 && memcmp (name, ":path", 5) == 0) {
    g_free (request->path);
    request->path = g_strndup ((const gchar *) value, valuelen);
  } else if (namelen > 0 && name[0] != ':') {
    last = request->headers->len - 1;
    request->headers->pdata[last] = g_strndup ((const gchar *) name, namelen);
    g_ptr_array_add (request->headers, g_strndup ((const gchar *) value,
            valuelen));
    g_ptr_array_add (request->headers, NULL);
  }
  return 0;
}

static void
request_dispatch (ServerConn * sconn, LpH2Request * request)
{
  if (request->dispatched || request->refused)
    return;
  request->dispatched = TRUE;
  sconn->n_in_handler++;
  if (request->complete)
    request_timer_stop (request);
  sconn->server->handler (request, sconn->server->user_data);
}

/* The body is over its bound: the handler refuses it now, and the rest is
 * dropped as it comes */
static void
request_too_large (ServerConn * sconn, LpH2Request * request)
{
  request->too_large = TRUE;
  g_byte_array_unref (request->body);
  request->body = NULL;
  request_dispatch (sconn, request);
}

/* Whether the 5-byte prefix of a gRPC message, once in, declares more than
 * the body's bound. A client may announce 16 MiB and then send nothing:
 * grpc-go refuses such a call as soon as it reads the prefix, and so do we,
 * rather than holding the stream until its deadline. */
static gboolean
grpc_prefix_over_bound (LpH2Request * request, gsize previous_length)
{
  const gchar *type = lp_h2_request_get_header (request, "content-type");
  const guint8 *prefix = request->body->data;
  guint64 declared;

  if (previous_length >= 5 || request->body->len < 5
      || !lp_grpc_is_content_type (type))
    return FALSE;
  declared = ((guint64) prefix[1] << 24) | ((guint64) prefix[2] << 16)
      | ((guint64) prefix[3] << 8) | prefix[4];
  return 5 + declared > request->max_body;
}

static int
on_data_chunk (nghttp2_session * session, uint8_t flags, int32_t stream_id,
    const uint8_t * data, size_t len, void *user_data)
{
  ServerConn *sconn = user_data;
  LpH2Request *request = nghttp2_session_get_stream_user_data (session,
      stream_id);
  gsize previous_length;

  if (request == NULL || request->too_large || request->refused)
    return 0;
  if (request->body->len + len > request->max_body) {
    request_too_large (sconn, request);
    return 0;
  }
  previous_length = request->body->len;
  g_byte_array_append (request->body, data, len);
  if (grpc_prefix_over_bound (request, previous_length))
    request_too_large (sconn, request);
  return 0;
}

static const PathLimit *
path_limit_find (LpH2Server * server, const gchar * path)
{
  const gchar *query = path ? strchr (path, '?') : NULL;
  gchar *bare;
  const PathLimit *limit;

  if (path == NULL || server->path_limits == NULL)
    return NULL;
  bare = g_strndup (path, query ? (gsize) (query - path) : strlen (path));
  limit = g_hash_table_lookup (server->path_limits, bare);
  g_free (bare);
  return limit;
}

/* Its headers are in: a request on a path with its own limit is counted
 * against the connection's cap for that path, or refused (REFUSED_STREAM,
 * which a client may retry, as nothing of it was processed); one whose
 * content-length is over its bound goes to the handler at once, before
 * any of its body is read; one within it gets room for its whole body. */
static void
request_admit (ServerConn * sconn, LpH2Request * request)
{
  const PathLimit *limit = path_limit_find (sconn->server, request->path);
  const gchar *value = lp_h2_request_get_header (request, "content-length");
  guint64 length = 0;
  guint n;

  if (limit != NULL) {
    n = GPOINTER_TO_UINT (g_hash_table_lookup (sconn->in_flight, limit));
    if (n >= limit->max_in_flight) {
      GError *error = g_error_new (LP_H2_ERROR, LP_H2_ERROR_REFUSED,
          "refusing stream %d of %s: %u request(s) to %s in flight on its "
          "connection already", request->stream_id, request->peer, n,
          request->path);

      server_conn_report (sconn, error);
      g_error_free (error);
      request->refused = TRUE;
      request_timer_stop (request);
      nghttp2_submit_rst_stream (sconn->conn->session, NGHTTP2_FLAG_NONE,
          request->stream_id, NGHTTP2_REFUSED_STREAM);
      return;
    }
    g_hash_table_insert (sconn->in_flight, (gpointer) limit,
        GUINT_TO_POINTER (n + 1));
    request->limit = limit;
    request->max_body = limit->max_body_size;
  }
  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0,
          G_MAXUINT64, &length, NULL))
    return;                     /* nghttp2 checks it against the DATA */
  if (length > request->max_body)
    request_too_large (sconn, request);
  else if (length > 0 && request->body->len == 0) {
    g_byte_array_unref (request->body);
    request->body = g_byte_array_sized_new (length);
  }
}

static int
on_frame_recv (nghttp2_session * session, const nghttp2_frame * frame,
    void *user_data)
{
  ServerConn *sconn = user_data;
  LpH2Request *request;

  if (frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA)
    return 0;
  request = nghttp2_session_get_stream_user_data (session,
      frame->hd.stream_id);
  if (request == NULL || request->refused)
    return 0;
  if (frame->hd.type == NGHTTP2_HEADERS
      && frame->headers.cat == NGHTTP2_HCAT_REQUEST)
    request_admit (sconn, request);
  if (!(frame->hd.flags & NGHTTP2_FLAG_END_STREAM) || request->refused)
    return 0;
  request->complete = TRUE;
  if (request->body != NULL) {
    request->whole_body = g_byte_array_free_to_bytes (request->body);
    request->body = NULL;
  }
  request_timer_stop (request);
  request_dispatch (sconn, request);
  return 0;
}

static int
on_frame_send (nghttp2_session * session, const nghttp2_frame * frame,
    void *user_data)
{
  ServerConn *sconn = user_data;
  LpH2Request *request;

  if (!(frame->hd.flags & NGHTTP2_FLAG_END_STREAM))
    return 0;
  request = nghttp2_session_get_stream_user_data (session,
      frame->hd.stream_id);
  if (request == NULL || request->answer_sent)
    return 0;
  request->answer_sent = TRUE;
  sconn->n_in_handler--;
  idle_timer_restart (sconn);
  /* answered before the client finished (a body too large): stop it */
  if (!request->complete)
    nghttp2_submit_rst_stream (session, NGHTTP2_FLAG_NONE,
        frame->hd.stream_id, NGHTTP2_NO_ERROR);
  return 0;
}

static int
on_stream_close (nghttp2_session * session, int32_t stream_id,
    uint32_t error_code, void *user_data)
{
  ServerConn *sconn = user_data;
  LpH2Request *request = nghttp2_session_get_stream_user_data (session,
      stream_id);

  if (request == NULL)
    return 0;
  nghttp2_session_set_stream_user_data (session, stream_id, NULL);
  request_timer_stop (request);
  if (request->limit != NULL) {
    guint n = GPOINTER_TO_UINT (g_hash_table_lookup (sconn->in_flight,
            request->limit));

    g_hash_table_insert (sconn->in_flight, (gpointer) request->limit,
        GUINT_TO_POINTER (n - 1));
    request->limit = NULL;
  }
  if (request->dispatched && !request->answer_sent) {
    sconn->n_in_handler--;      /* reset by the client before the answer */
    request->answer_sent = TRUE;
  }
  g_hash_table_remove (sconn->requests, request);
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Connections */

static void
server_conn_report (ServerConn * sconn, const GError * error)
{
  LpH2Server *server = sconn->server;

  if (server && server->error_func)
    server->error_func (error, server->error_data);
  else
    g_message ("%s", error->message);
}

static gboolean
server_conn_ready (LpH2Conn * conn, gpointer owner, GError ** error)
{
  ServerConn *sconn = owner;
  LpH2Server *server = sconn->server;
  nghttp2_session_callbacks *callbacks;
  nghttp2_settings_entry settings[] = {
    {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS,
        server->limits.max_concurrent_streams},
    {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE,
        MIN (server->limits.max_header_list_size, G_MAXUINT32)},
  };
  const gchar *alpn = NULL;

  if (conn->tls)
    alpn = g_tls_connection_get_negotiated_protocol (G_TLS_CONNECTION
        (conn->stream));
  if (conn->tls && alpn && strcmp (alpn, "h2") != 0) {
    g_set_error (error, LP_H2_ERROR, LP_H2_ERROR_TLS, "%s negotiated "
        "\"%s\" in ALPN, not HTTP/2 (\"h2\")", conn->peer, alpn);
    return FALSE;
  }
  nghttp2_session_callbacks_new (&callbacks);
  nghttp2_session_callbacks_set_on_begin_headers_callback (callbacks,
      on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback (callbacks, on_header);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback (callbacks,
      on_data_chunk);
  nghttp2_session_callbacks_set_on_frame_recv_callback (callbacks,
      on_frame_recv);
  nghttp2_session_callbacks_set_on_frame_send_callback (callbacks,
      on_frame_send);
  nghttp2_session_callbacks_set_on_stream_close_callback (callbacks,
      on_stream_close);
  nghttp2_session_server_new (&conn->session, callbacks, sconn);
  nghttp2_session_callbacks_del (callbacks);
  nghttp2_submit_settings (conn->session, NGHTTP2_FLAG_NONE, settings,
      G_N_ELEMENTS (settings));
  idle_timer_restart (sconn);
  return TRUE;
}

static void
server_conn_free (ServerConn * sconn)
{
  lp_h2_destroy_source (&sconn->idle_timer);
  g_hash_table_unref (sconn->requests);
  g_hash_table_unref (sconn->in_flight);
  lp_h2_conn_unref (sconn->conn);
  g_free (sconn);
}

static void
unref_open_request (gpointer data)
{
  LpH2Request *request = data;

  request_timer_stop (request);
  lp_h2_request_unref (request);
}

static void
server_conn_closed (LpH2Conn * conn, const GError * error, gpointer owner)
{
  ServerConn *sconn = owner;
  LpH2Server *server = sconn->server;
  /* a client that hangs up with nothing in flight ends in order (a port
   * probe that connects and leaves is not worth a log line) */
  gboolean orderly = error == NULL
      || (g_error_matches (error, LP_H2_ERROR, LP_H2_ERROR_CLOSED)
      && g_hash_table_size (sconn->requests) == 0);

  if (!orderly)
    server_conn_report (sconn, error);
  conn->owner = NULL;
  if (server) {
    server->connections = g_list_remove (server->connections, sconn);
    g_atomic_int_dec_and_test (&server->n_connections);
  }
  server_conn_free (sconn);
}

static const LpH2ConnCallbacks server_conn_callbacks = {
  server_conn_ready, server_conn_closed, NULL,
};

typedef struct
{
  LpH2Server *server;
  GIOStream *stream;
} Accept;

static gboolean
accept_on_context (gpointer data)
{
  Accept *accept = data;
  LpH2Server *server = accept->server;
  ServerConn *sconn = g_new0 (ServerConn, 1);

  sconn->server = server;
  sconn->requests = g_hash_table_new_full (NULL, NULL, unref_open_request,
      NULL);
  sconn->in_flight = g_hash_table_new (NULL, NULL);
  sconn->conn = lp_h2_conn_new (accept->stream, server->context,
      &server_conn_callbacks, sconn);
  server->connections = g_list_prepend (server->connections, sconn);
  if ((guint) g_atomic_int_add (&server->n_connections, 1) >=
      server->limits.max_connections) {
    lp_h2_conn_close (sconn->conn, g_error_new (LP_H2_ERROR,
            LP_H2_ERROR_REFUSED, "refusing %s: %u HTTP/2 connections are "
            "open already", sconn->conn->peer,
            server->limits.max_connections));
    return G_SOURCE_REMOVE;
  }
  lp_h2_conn_start_server (sconn->conn, server->limits.handshake_timeout_ms);
  return G_SOURCE_REMOVE;
}

static void
accept_free (gpointer data)
{
  Accept *accept = data;

  g_object_unref (accept->stream);
  g_free (accept);
}

/**
 * lp_h2_server_new:
 * @context: (nullable): the context the server runs on (%NULL: the global
 *     default context); someone must iterate it
 * @limits: (nullable): the bounds, %NULL for the defaults
 * @handler: called with each request, on @context
 *
 * Returns: (transfer full): a server with no connection yet
 */
LpH2Server *
lp_h2_server_new (GMainContext * context, const LpH2ServerLimits * limits,
    LpH2Handler handler, gpointer user_data, GDestroyNotify notify)
{
  LpH2Server *server = g_new0 (LpH2Server, 1);

  server->context = context ? g_main_context_ref (context)
      : g_main_context_ref (g_main_context_default ());
  if (limits)
    server->limits = *limits;
  else
    lp_h2_server_limits_init (&server->limits);
  server->handler = handler;
  server->user_data = user_data;
  server->notify = notify;
  server->path_limits = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, g_free);
  return server;
}

/**
 * lp_h2_server_free:
 *
 * Closes every connection (answers still to come are dropped) and frees
 * the server. Call it from the thread that iterates the server's context,
 * or when nothing iterates it.
 */
void
lp_h2_server_free (LpH2Server * server)
{
  g_main_context_push_thread_default (server->context);
  while (server->connections) {
    ServerConn *sconn = server->connections->data;

    lp_h2_conn_close (sconn->conn, NULL);
  }
  g_main_context_pop_thread_default (server->context);
  if (server->notify)
    server->notify (server->user_data);
  g_hash_table_unref (server->path_limits);
  g_main_context_unref (server->context);
  g_free (server);
}

/**
 * lp_h2_server_set_path_limit:
 * @path: a request path ("/segment"; a query after it does not matter)
 * @max_body_size: bytes of one request body on @path, in place of the
 *     server's max_body_size
 * @max_in_flight: requests on @path one connection may have open at once,
 *     from their headers until their stream closes; more are reset with
 *     REFUSED_STREAM before their body is read
 *
 * Gives @path its own bound, for large bodies (segments): the memory its
 * requests can hold is at most @max_in_flight × @max_body_size per
 * connection. A content-length over @max_body_size reaches the handler at
 * once, before any body is read (lp_h2_request_is_too_large()). Set it
 * before the first accept.
 */
void
lp_h2_server_set_path_limit (LpH2Server * server, const gchar * path,
    gsize max_body_size, guint max_in_flight)
{
  PathLimit *limit = g_new0 (PathLimit, 1);

  g_return_if_fail (path != NULL && max_in_flight > 0);
  limit->max_body_size = max_body_size;
  limit->max_in_flight = max_in_flight;
  g_hash_table_replace (server->path_limits, g_strdup (path), limit);
}

/**
 * lp_h2_server_set_connection_error_func:
 *
 * Sets who hears of connections closed on an error (see
 * #LpH2ConnectionErrorFunc). Set it before the first accept.
 */
void
lp_h2_server_set_connection_error_func (LpH2Server * server,
    LpH2ConnectionErrorFunc func, gpointer user_data)
{
  server->error_func = func;
  server->error_data = user_data;
}

/**
 * lp_h2_server_accept:
 * @stream: an accepted connection: a #GSocketConnection for cleartext
 *     HTTP/2 with prior knowledge (h2c), or a #GTlsServerConnection
 *     (lp_h2_tls_server_wrap()), handshaken already or not
 *
 * Serves HTTP/2 on @stream from the server's context; may be called from
 * any thread. On a stream over a socket, the first bytes are looked at
 * before anything else: a TLS ClientHello on a cleartext stream, cleartext
 * on a TLS one, or an HTTP/1.x request close the connection with an error
 * that names the mistake. A TLS stream that negotiated an ALPN protocol
 * other than "h2" is closed too.
 */
void
lp_h2_server_accept (LpH2Server * server, GIOStream * stream)
{
  Accept *accept = g_new0 (Accept, 1);
  GSource *source = g_idle_source_new ();

  g_return_if_fail (G_IS_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream
          (stream)));
  accept->server = server;
  accept->stream = g_object_ref (stream);
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, accept_on_context, accept, accept_free);
  g_source_attach (source, server->context);
  g_source_unref (source);
}

/**
 * lp_h2_server_get_n_connections:
 *
 * Returns: the connections open now (from any thread)
 */
guint
lp_h2_server_get_n_connections (LpH2Server * server)
{
  return g_atomic_int_get (&server->n_connections);
}

/**
 * lp_h2_tls_server_wrap:
 * @base: an accepted connection
 * @certificate: the server's certificate, with its private key
 *     (lp_tls_certificate_load_or_create())
 *
 * Wraps @base in a TLS server connection (GIO's TLS backend) that offers
 * "h2" and "http/1.1" in ALPN, as go-livepeer's orchestrator does. Give it
 * to lp_h2_server_accept(), or handshake it first and route it on
 * g_tls_connection_get_negotiated_protocol().
 *
 * Returns: (transfer full): the TLS connection, or %NULL when GIO has no
 *     TLS backend (glib-networking)
 */
GIOStream *
lp_h2_tls_server_wrap (GIOStream * base, GTlsCertificate * certificate,
    GError ** error)
{
  static const gchar *const protocols[] = { "h2", "http/1.1", NULL };
  GIOStream *tls = g_tls_server_connection_new (base, certificate, error);

  if (tls == NULL)
    return NULL;
  g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (tls),
      protocols);
  return tls;
}

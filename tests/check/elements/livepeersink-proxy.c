/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The livepeersink suite's test double (livepeersink-proxy.h): the proxy's
 * thread, its forwarding (gRPC over h2c, segments over HTTP/1.1), its
 * tampering with protobuf TranscodeResults and the renditions they list,
 * and its hostile answers. What stands above lp_test_proxy_new() runs in the
 * proxy's thread (its main context); lp_test_proxy_new(), _free() and
 * _count() are called from the test's.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "livepeersink-proxy.h"

#include <string.h>

static gboolean
lp_test_proxy_is_double (LpTestProxy * proxy, gboolean claim)
{
  gboolean is;

  g_mutex_lock (&proxy->election->lock);
  if (claim && proxy->election->double_ == NULL
      && proxy->election->mode != LP_TAMPER_NONE)
    proxy->election->double_ = proxy;
  is = proxy->election->double_ == proxy;
  g_mutex_unlock (&proxy->election->lock);
  return is;
}

/* @frames of SMPTE bars at @width x @height, 30 fps, as H.264 in MPEG-TS:
 * nothing like the ball of the source. */
static GBytes *
lp_test_proxy_substitute (LpTestProxy * proxy, GBytes * genuine)
{
  guint frames;
  gint width, height;
  gchar *key;
  GBytes *bytes;

  lp_test_decode (genuine, &frames, &width, &height);
  fail_unless (frames > 0);
  key = g_strdup_printf ("%dx%d@%u", width, height, frames);
  bytes = g_hash_table_lookup (proxy->substitutes, key);
  if (bytes == NULL) {
    gchar *desc = g_strdup_printf ("videotestsrc pattern=smpte "
        "num-buffers=%u ! video/x-raw,format=I420,width=%d,height=%d,"
        "framerate=30/1 ! x264enc speed-preset=ultrafast bframes=0 "
        "key-int-max=%u ! h264parse ! mpegtsmux", frames, width, height,
        frames);

    bytes = lp_test_run_to_bytes (desc);
    g_free (desc);
    g_hash_table_insert (proxy->substitutes, g_strdup (key), bytes);
  }
  g_free (key);
  return g_bytes_ref (bytes);
}

/* The renditions @result lists, fetched from the orchestrator's URLs */
static GPtrArray *
lp_test_proxy_fetch (LpTestProxy * proxy, const LpTranscodeResult * result)
{
  GPtrArray *renditions = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  guint i;

  for (i = 0; i < result->segments->len; i++) {
    const gchar *url = g_array_index (result->segments, LpTranscodedSegment,
        i).url;
    SoupMessage *get = soup_message_new ("GET", url);
    GError *error = NULL;
    GBytes *bytes;

    fail_unless (get != NULL, "rendition URL %s", url);
    bytes = soup_session_send_and_read (proxy->client, get, NULL, &error);
    fail_unless (bytes != NULL && soup_message_get_status (get) == 200,
        "GET %s: %s", url, error ? error->message : "not 200");
    g_ptr_array_add (renditions, bytes);
    g_object_unref (get);
  }
  return renditions;
}

/* Keeps @renditions here and points @result's URLs at them */
static void
lp_test_proxy_store (LpTestProxy * proxy, LpTranscodeResult * result,
    GPtrArray * renditions)
{
  guint i, n = proxy->stored_count++;

  for (i = 0; i < renditions->len; i++) {
    LpTranscodedSegment *s = &g_array_index (result->segments,
        LpTranscodedSegment, i);
    gchar *path = g_strdup_printf ("/stream/tampered/%u/%u.ts", n, i);

    g_free (s->url);
    s->url = g_strdup_printf ("%s%s", proxy->transcoder, path);
    g_hash_table_insert (proxy->stored, path,
        g_bytes_ref (g_ptr_array_index (renditions, i)));
  }
}

/* The protobuf TranscodeResult of a segment (@body), altered as the
 * election's mode says, its renditions (the altered ones) then served
 * from here; NULL when it cannot be (not a result with two renditions). */
static GBytes *
lp_test_proxy_tamper (LpTestProxy * proxy, GBytes * body)
{
  LpProtoTranscodeResult *p;
  GPtrArray *renditions;
  LpTranscodeResult *result;
  GError *error = NULL;
  GBytes *bytes;

  result = lp_wire_transcode_result_from_proto_bytes (body, &error);
  fail_unless (result != NULL, "%s", error ? error->message : "");
  if (result->error != NULL || result->segments->len < 2) {
    lp_transcode_result_free (result);
    return NULL;
  }
  renditions = lp_test_proxy_fetch (proxy, result);
  switch (proxy->election->mode) {
    case LP_TAMPER_PIXELS:
      /* charges one frame more than it made */
      g_array_index (result->segments, LpTranscodedSegment, 0).pixels +=
          256 * 144;
      fail_unless (lp_transcode_result_sign (result, proxy->backend_key,
              (GBytes * const *) renditions->pdata, renditions->len, NULL));
      break;
    case LP_TAMPER_SWAP:{
      LpTranscodedSegment *a = &g_array_index (result->segments,
          LpTranscodedSegment, 0);
      LpTranscodedSegment *b = &g_array_index (result->segments,
          LpTranscodedSegment, 1);
      guint64 pixels = a->pixels;
      gpointer first = renditions->pdata[0];

      /* each rendition's bytes under the other's name, the pixel counts
       * following them: only the signature can tell */
      a->pixels = b->pixels;
      b->pixels = pixels;
      renditions->pdata[0] = renditions->pdata[1];
      renditions->pdata[1] = first;
      break;
    }
    case LP_TAMPER_FOREIGN_KEY:
      fail_unless (lp_transcode_result_sign (result, proxy->foreign_key,
              (GBytes * const *) renditions->pdata, renditions->len, NULL));
      break;
    case LP_TAMPER_CONTENT:{
      GBytes *other = lp_test_proxy_substitute (proxy,
          g_ptr_array_index (renditions, 0));

      g_bytes_unref (renditions->pdata[0]);
      renditions->pdata[0] = other;
      fail_unless (lp_transcode_result_sign (result, proxy->backend_key,
              (GBytes * const *) renditions->pdata, renditions->len, NULL));
      break;
    }
    default:
      g_assert_not_reached ();
  }
  lp_test_proxy_store (proxy, result, renditions);
  p = lp_wire_transcode_result_to_proto (result);
  bytes = lp_proto_transcode_result_encode (p);
  lp_proto_transcode_result_free (p);
  g_ptr_array_unref (renditions);
  lp_transcode_result_free (result);
  return bytes;
}

/* Whether @body is a TranscodeResult with renditions (not an error) */
static gboolean
lp_test_proxy_is_transcoded (GBytes * body)
{
  LpProtoTranscodeResult *p = lp_proto_transcode_result_decode
      (g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL);
  gboolean transcoded = p != NULL && p->result == LP_PROTO_RESULT_DATA
      && p->data != NULL && p->data->segments->len > 0;

  if (p != NULL)
    lp_proto_transcode_result_free (p);
  return transcoded;
}

/* ---- hostile answers ---- */

typedef struct
{
  LpTestProxy *proxy;
  SoupServerMessage *msg;
  gboolean zeros;
  gboolean chunked;
  guint64 appended;
  GSource *timer;
} LpTestHostile;

static const gchar lp_test_zeros[LP_TEST_ZEROS_CHUNK];

static void
lp_test_hostile_wrote (SoupServerMessage * msg, guint size, gpointer data)
{
  LpTestHostile *h = data;

  g_mutex_lock (&h->proxy->lock);
  h->proxy->hostile_bytes += size;
  g_mutex_unlock (&h->proxy->lock);
}

/* zeros: the next piece as soon as one is out, up to LP_TEST_ZEROS_MAX */
static void
lp_test_hostile_append (LpTestHostile * h)
{
  SoupMessageBody *body = soup_server_message_get_response_body (h->msg);

  if (h->appended >= LP_TEST_ZEROS_MAX)
    return;
  soup_message_body_append (body, SOUP_MEMORY_STATIC, lp_test_zeros,
      LP_TEST_ZEROS_CHUNK);
  h->appended += LP_TEST_ZEROS_CHUNK;
  if (h->chunked && h->appended >= LP_TEST_ZEROS_MAX)
    soup_message_body_complete (body);
}

static void
lp_test_hostile_wrote_chunk (SoupServerMessage * msg, gpointer data)
{
  lp_test_hostile_append (data);
}

static gboolean
lp_test_hostile_trickle (gpointer data)
{
  LpTestHostile *h = data;

  soup_message_body_append (soup_server_message_get_response_body (h->msg),
      SOUP_MEMORY_STATIC, "-", 1);
  soup_server_message_unpause (h->msg);
  return G_SOURCE_CONTINUE;
}

/* The answer is over: finished, or the client went away ("disconnected"
 * can come without "finished"). Once: the handlers go first, so neither
 * signal, nor the timer, sees @h again. */
static void
lp_test_hostile_stop (SoupServerMessage * msg, gpointer data)
{
  LpTestHostile *h = data;

  g_signal_handlers_disconnect_by_data (msg, h);
  if (h->timer != NULL) {
    g_source_destroy (h->timer);
    g_source_unref (h->timer);
  }
  g_object_unref (h->msg);
  g_free (h);
}

/* Answers @msg as a hostile peer: a byte at a time (@trickle), or zeros
 * declared as 1 GiB or chunked, in @proxy's context until the client
 * goes away. */
static void
lp_test_hostile_answer (LpTestProxy * proxy, SoupServerMessage * msg,
    LpTamperMode mode, const gchar * content_type)
{
  LpTestHostile *h = g_new0 (LpTestHostile, 1);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  h->proxy = proxy;
  /* the trickle timer may fire after libsoup let go of the message */
  h->msg = g_object_ref (msg);
  h->zeros = mode == LP_TAMPER_ZEROS_LENGTH || mode == LP_TAMPER_ZEROS_CHUNKED;
  h->chunked = mode != LP_TAMPER_ZEROS_LENGTH;
  g_mutex_lock (&proxy->lock);
  proxy->hostile++;
  g_mutex_unlock (&proxy->lock);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type", content_type);
  if (h->chunked)
    soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  else
    soup_message_headers_set_content_length (headers,
        G_GINT64_CONSTANT (1) << 30);
  soup_message_body_set_accumulate (body, FALSE);
  g_signal_connect (msg, "wrote-body-data",
      G_CALLBACK (lp_test_hostile_wrote), h);
  g_signal_connect (msg, "finished", G_CALLBACK (lp_test_hostile_stop), h);
  g_signal_connect (msg, "disconnected", G_CALLBACK (lp_test_hostile_stop),
      h);
  if (h->zeros) {
    g_signal_connect (msg, "wrote-chunk",
        G_CALLBACK (lp_test_hostile_wrote_chunk), h);
    lp_test_hostile_append (h);
    return;
  }
  soup_message_body_append (body, SOUP_MEMORY_STATIC, "-", 1);
  h->timer = g_timeout_source_new (LP_TEST_TRICKLE_INTERVAL_MS);
  g_source_set_callback (h->timer, lp_test_hostile_trickle, h, NULL);
  g_source_attach (h->timer, proxy->context);
}

/* Whether @proxy answers the segment itself, as a hostile peer */
static gboolean
lp_test_proxy_hostile (LpTestProxy * proxy, SoupServerMessage * msg)
{
  LpTamperMode mode = proxy->election->mode;

  if ((mode == LP_TAMPER_TRICKLE || mode == LP_TAMPER_ZEROS_LENGTH
          || mode == LP_TAMPER_ZEROS_CHUNKED)
      && lp_test_proxy_is_double (proxy, TRUE)) {
    lp_test_hostile_answer (proxy, msg, mode, "application/octet-stream");
    return TRUE;
  }
  return FALSE;
}

static void
lp_test_proxy_count_up (LpTestProxy * proxy, guint * field)
{
  g_mutex_lock (&proxy->lock);
  (*field)++;
  g_mutex_unlock (&proxy->lock);
}

/* GET /stream/...: a tampered rendition kept here */
static void
lp_test_proxy_serve_stored (SoupServer * server, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer user_data)
{
  LpTestProxy *proxy = user_data;
  GBytes *bytes = g_hash_table_lookup (proxy->stored, path);

  if (bytes == NULL) {
    soup_server_message_set_status (msg, 404, NULL);
    return;
  }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "video/MP2T", SOUP_MEMORY_COPY,
      g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* POST /segment: forwarded, its protobuf TranscodeResult passed on or
 * tampered with */
static void
lp_test_proxy_handle (SoupServer * server, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer user_data)
{
  static const gchar *forwarded[] = { "Livepeer-Segment", "Livepeer-Payment" };
  LpTestProxy *proxy = user_data;
  SoupMessageHeaders *req_headers =
      soup_server_message_get_request_headers (msg);
  GBytes *body;
  gchar *uri;
  SoupMessage *out;
  const gchar *type = soup_message_headers_get_one (req_headers,
      "Content-Type");
  GBytes *answer, *altered = NULL;
  GError *error = NULL;
  guint status, i;

  if (lp_test_proxy_hostile (proxy, msg))
    return;
  body = soup_message_body_flatten (soup_server_message_get_request_body
      (msg));
  uri = g_strdup_printf ("http://127.0.0.1:%u%s", proxy->backend_port, path);
  out = soup_message_new (soup_server_message_get_method (msg), uri);
  soup_message_set_request_body_from_bytes (out, type ? type :
      "application/octet-stream", body);
  for (i = 0; i < G_N_ELEMENTS (forwarded); i++) {
    const gchar *value = soup_message_headers_get_one (req_headers,
        forwarded[i]);

    if (value != NULL)
      soup_message_headers_replace (soup_message_get_request_headers (out),
          forwarded[i], value);
  }
  answer = soup_session_send_and_read (proxy->client, out, NULL, &error);
  if (answer == NULL) {
    soup_server_message_set_status (msg, 502, NULL);
    soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY,
        error->message, strlen (error->message));
    g_error_free (error);
    goto done;
  }
  status = soup_message_get_status (out);
  type = soup_message_headers_get_one (soup_message_get_response_headers
      (out), "Content-Type");
  if (status == 200 && lp_test_proxy_is_transcoded (answer)) {
    lp_test_proxy_count_up (proxy, &proxy->segments);
    if (lp_test_proxy_is_double (proxy, TRUE)) {
      altered = lp_test_proxy_tamper (proxy, answer);
      if (altered != NULL)
        lp_test_proxy_count_up (proxy, &proxy->tampered);
    }
  }
  soup_server_message_set_status (msg, status, NULL);
  {
    GBytes *sent = altered ? altered : answer;

    soup_server_message_set_response (msg, type ? type : "text/plain",
        SOUP_MEMORY_COPY, g_bytes_get_data (sent, NULL),
        g_bytes_get_size (sent));
  }
  if (altered != NULL)
    g_bytes_unref (altered);
  g_bytes_unref (answer);
done:
  g_object_unref (out);
  g_free (uri);
  g_bytes_unref (body);
}

/* ---- gRPC over h2c ---- */

/* A GOutputStream over a connection's that counts what it writes, for a
 * proxy whose gRPC answers are hostile (lph2conn writes without
 * blocking: it is pollable as the socket's is) */
typedef struct
{
  GOutputStream parent;
  GOutputStream *base;
  LpTestProxy *proxy;
} LpTestCounting;

typedef struct
{
  GOutputStreamClass parent_class;
} LpTestCountingClass;

GType lp_test_counting_get_type (void);
static void lp_test_counting_pollable_init (GPollableOutputStreamInterface *
    iface);

G_DEFINE_TYPE_WITH_CODE (LpTestCounting, lp_test_counting,
    G_TYPE_OUTPUT_STREAM, G_IMPLEMENT_INTERFACE
    (G_TYPE_POLLABLE_OUTPUT_STREAM, lp_test_counting_pollable_init));

static void
lp_test_counting_add (LpTestCounting * self, gssize n)
{
  if (n <= 0)
    return;
  g_mutex_lock (&self->proxy->lock);
  self->proxy->hostile_bytes += n;
  g_mutex_unlock (&self->proxy->lock);
}

static gssize
lp_test_counting_write (GOutputStream * stream, const void *buffer,
    gsize count, GCancellable * cancellable, GError ** error)
{
  LpTestCounting *self = (LpTestCounting *) stream;
  gssize n = g_output_stream_write (self->base, buffer, count, cancellable,
      error);

  lp_test_counting_add (self, n);
  return n;
}

static gboolean
lp_test_counting_close (GOutputStream * stream, GCancellable * cancellable,
    GError ** error)
{
  return g_output_stream_close (((LpTestCounting *) stream)->base,
      cancellable, error);
}

static gboolean
lp_test_counting_is_writable (GPollableOutputStream * stream)
{
  return g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM
      (((LpTestCounting *) stream)->base));
}

static GSource *
lp_test_counting_create_source (GPollableOutputStream * stream,
    GCancellable * cancellable)
{
  GSource *base = g_pollable_output_stream_create_source
      (G_POLLABLE_OUTPUT_STREAM (((LpTestCounting *) stream)->base), NULL);
  GSource *source = g_pollable_source_new_full (stream, base, cancellable);

  g_source_unref (base);
  return source;
}

static gssize
lp_test_counting_write_nonblocking (GPollableOutputStream * stream,
    const void *buffer, gsize count, GError ** error)
{
  LpTestCounting *self = (LpTestCounting *) stream;
  gssize n = g_pollable_output_stream_write_nonblocking
      (G_POLLABLE_OUTPUT_STREAM (self->base), buffer, count, NULL, error);

  lp_test_counting_add (self, n);
  return n;
}

static void
lp_test_counting_finalize (GObject * object)
{
  g_object_unref (((LpTestCounting *) object)->base);
  G_OBJECT_CLASS (lp_test_counting_parent_class)->finalize (object);
}

static void
lp_test_counting_class_init (LpTestCountingClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = lp_test_counting_finalize;
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = lp_test_counting_write;
  G_OUTPUT_STREAM_CLASS (klass)->close_fn = lp_test_counting_close;
}

static void
lp_test_counting_pollable_init (GPollableOutputStreamInterface * iface)
{
  iface->is_writable = lp_test_counting_is_writable;
  iface->create_source = lp_test_counting_create_source;
  iface->write_nonblocking = lp_test_counting_write_nonblocking;
}

static void
lp_test_counting_init (LpTestCounting * self)
{
}

static gboolean
lp_test_proxy_grpc_hostile (LpTestProxy * proxy)
{
  gboolean hostile;

  g_mutex_lock (&proxy->lock);
  hostile = proxy->discovery_answer != LP_TAMPER_NONE
      || proxy->end_session_answer != LP_TAMPER_NONE;
  g_mutex_unlock (&proxy->lock);
  return hostile;
}

static gboolean
lp_test_proxy_incoming (GSocketService * service,
    GSocketConnection * connection, GObject * source, gpointer data)
{
  LpTestProxy *proxy = data;
  GIOStream *counted;
  LpTestCounting *out;

  if (!lp_test_proxy_grpc_hostile (proxy)) {
    lp_h2_server_accept (proxy->h2, G_IO_STREAM (connection));
    return TRUE;
  }
  out = g_object_new (lp_test_counting_get_type (), NULL);
  out->base = g_object_ref (g_io_stream_get_output_stream (G_IO_STREAM
          (connection)));
  out->proxy = proxy;
  counted = g_simple_io_stream_new (g_io_stream_get_input_stream
      (G_IO_STREAM (connection)), G_OUTPUT_STREAM (out));
  /* the socket lives as long as the stream that wraps it */
  g_object_set_data_full (G_OBJECT (counted), "lp-test-connection",
      g_object_ref (connection), g_object_unref);
  lp_h2_server_accept (proxy->h2, counted);
  g_object_unref (counted);
  g_object_unref (out);
  return TRUE;
}

/* A gRPC answer as a hostile peer gives it: TRICKLE, the headers and then
 * nothing until the proxy goes; ZEROS_*, a stream of zeros (at most
 * LP_TEST_ZEROS_MAX) where the message is due */
static void
lp_test_proxy_grpc_hostile_answer (LpTestProxy * proxy,
    LpH2Request * request, LpTamperMode mode)
{
  const gchar *headers[] = { "content-type", "application/grpc", NULL };

  lp_test_proxy_count_up (proxy, &proxy->hostile);
  if (mode == LP_TAMPER_TRICKLE) {
    lp_h2_request_respond_head (request, 200, headers);
    g_ptr_array_add (proxy->held, lp_h2_request_ref (request));
  } else {
    GBytes *zeros = g_bytes_new_take (g_malloc0 (LP_TEST_ZEROS_MAX),
        LP_TEST_ZEROS_MAX);

    lp_h2_request_respond (request, 200, headers, zeros, NULL);
    g_bytes_unref (zeros);
  }
}

/* Forwards a unary call to the orchestrator; NULL after answering its
 * refusal */
static GBytes *
lp_test_proxy_forward_grpc (LpTestProxy * proxy, LpH2Request * request,
    const gchar * method, GBytes * message)
{
  LpH2ClientOptions options = { 10000, 1024 * 1024, LP_H2_CLIENT_NONE };
  gchar *backend = g_strdup_printf ("http://127.0.0.1:%u",
      proxy->backend_port);
  GError *error = NULL;
  GBytes *answer = lp_grpc_call (backend, method, message, &options, NULL,
      &error);

  g_free (backend);
  if (answer == NULL) {
    lp_grpc_respond_error (request, error->domain == LP_GRPC_ERROR ?
        (LpGrpcStatus) error->code : LP_GRPC_STATUS_UNAVAILABLE,
        error->message);
    g_error_free (error);
  }
  return answer;
}

static LpTamperMode
lp_test_proxy_answer_mode (LpTestProxy * proxy, LpTamperMode * field)
{
  LpTamperMode mode;

  g_mutex_lock (&proxy->lock);
  mode = *field;
  g_mutex_unlock (&proxy->lock);
  return mode;
}

/* GetOrchestrator: segments come to our HTTP/1.1 port; ticket parameters
 * and price stay the real orchestrator's, so its payments still work */
static void
lp_test_proxy_get_orchestrator (LpH2Request * request, GBytes * message,
    gpointer data)
{
  LpTestProxy *proxy = data;
  LpTamperMode mode = lp_test_proxy_answer_mode (proxy,
      &proxy->discovery_answer);
  LpProtoOrchestratorInfo *info;
  GBytes *answer, *altered;
  GError *error = NULL;

  if (mode != LP_TAMPER_NONE) {
    lp_test_proxy_grpc_hostile_answer (proxy, request, mode);
    return;
  }
  answer = lp_test_proxy_forward_grpc (proxy, request,
      "/net.Orchestrator/GetOrchestrator", message);
  if (answer == NULL)
    return;
  info = lp_proto_orchestrator_info_decode (g_bytes_get_data (answer, NULL),
      g_bytes_get_size (answer), &error);
  fail_unless (info != NULL, "%s", error ? error->message : "");
  g_free (info->transcoder);
  info->transcoder = g_strdup (proxy->transcoder);
  altered = lp_proto_orchestrator_info_encode (info);
  lp_grpc_respond (request, altered);
  lp_test_proxy_count_up (proxy, &proxy->discoveries);
  lp_proto_orchestrator_info_free (info);
  g_bytes_unref (altered);
  g_bytes_unref (answer);
}

static void
lp_test_proxy_end_session (LpH2Request * request, GBytes * message,
    gpointer data)
{
  LpTestProxy *proxy = data;
  LpTamperMode mode = lp_test_proxy_answer_mode (proxy,
      &proxy->end_session_answer);
  GBytes *answer;

  if (mode != LP_TAMPER_NONE) {
    lp_test_proxy_grpc_hostile_answer (proxy, request, mode);
    return;
  }
  answer = lp_test_proxy_forward_grpc (proxy, request,
      "/net.Orchestrator/EndTranscodingSession", message);
  if (answer == NULL)
    return;
  lp_grpc_respond (request, answer);
  g_bytes_unref (answer);
}

static void
lp_test_proxy_start_h2c (LpTestProxy * proxy)
{
  LpH2ServerLimits limits;
  GError *error = NULL;

  lp_h2_server_limits_init (&limits);
  proxy->router = lp_grpc_router_new (1024 * 1024);
  lp_grpc_router_add (proxy->router, "/net.Orchestrator/GetOrchestrator",
      lp_test_proxy_get_orchestrator, proxy);
  lp_grpc_router_add (proxy->router,
      "/net.Orchestrator/EndTranscodingSession", lp_test_proxy_end_session,
      proxy);
  proxy->h2 = lp_h2_server_new (proxy->context, &limits,
      lp_grpc_router_handle, proxy->router, NULL);
  proxy->h2c = lp_test_listen_loopback (&proxy->port, &error);
  fail_unless (proxy->h2c != NULL, "no free port for the proxy's h2c "
      "listener: %s", error ? error->message : "");
  g_signal_connect (proxy->h2c, "incoming",
      G_CALLBACK (lp_test_proxy_incoming), proxy);
  g_socket_service_start (proxy->h2c);
}

/* What the h2c side holds goes: the unanswered calls answered (their
 * client has long gone), then the server */
static void
lp_test_proxy_stop_h2c (LpTestProxy * proxy)
{
  guint i;

  g_socket_service_stop (proxy->h2c);
  g_socket_listener_close (G_SOCKET_LISTENER (proxy->h2c));
  for (i = 0; i < proxy->held->len; i++)
    lp_h2_request_respond_body (g_ptr_array_index (proxy->held, i), NULL);
  g_ptr_array_set_size (proxy->held, 0);
  while (g_main_context_iteration (proxy->context, FALSE));
  lp_h2_server_free (proxy->h2);
  lp_grpc_router_free (proxy->router);
  g_clear_object (&proxy->h2c);
}

static gpointer
lp_test_proxy_thread (gpointer data)
{
  LpTestProxy *proxy = data;
  GError *error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (proxy->context);
  proxy->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (proxy->server, "/segment", lp_test_proxy_handle,
      proxy, NULL);
  soup_server_add_handler (proxy->server, "/stream/",
      lp_test_proxy_serve_stored, proxy, NULL);
  fail_unless (soup_server_listen_local (proxy->server, 0,
          SOUP_SERVER_LISTEN_IPV4_ONLY, &error), "%s",
      error ? error->message : "");
  uris = soup_server_get_uris (proxy->server);
  fail_unless (uris != NULL);
  /* made in this thread, the only one that uses it */
  proxy->client = soup_session_new_with_options ("timeout", 30, NULL);
  g_mutex_lock (&proxy->lock);
  proxy->transcoder = g_strdup_printf ("http://127.0.0.1:%u",
      g_uri_get_port (uris->data));
  lp_test_proxy_start_h2c (proxy);
  proxy->uri = g_strdup_printf ("http://127.0.0.1:%u", proxy->port);
  proxy->ready = TRUE;
  g_cond_signal (&proxy->cond);
  g_mutex_unlock (&proxy->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (proxy->loop);

  lp_test_proxy_stop_h2c (proxy);
  soup_server_disconnect (proxy->server);
  while (g_main_context_iteration (proxy->context, FALSE));
  g_clear_object (&proxy->server);
  g_clear_object (&proxy->client);
  g_main_context_pop_thread_default (proxy->context);
  return NULL;
}

/* A proxy on 127.0.0.1, port 0, in front of the orchestrator on
 * @backend_port whose key is @backend_key. */
LpTestProxy *
lp_test_proxy_new (LpTamperElection * election, guint backend_port,
    LpPrivateKey * backend_key)
{
  LpTestProxy *proxy = g_new0 (LpTestProxy, 1);

  proxy->election = election;
  proxy->backend_port = backend_port;
  proxy->backend_key = lp_private_key_ref (backend_key);
  proxy->foreign_key = lp_private_key_generate (NULL);
  fail_unless (proxy->foreign_key != NULL);
  proxy->substitutes = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, (GDestroyNotify) g_bytes_unref);
  proxy->stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) g_bytes_unref);
  proxy->held = g_ptr_array_new_with_free_func ((GDestroyNotify)
      lp_h2_request_unref);
  g_mutex_init (&proxy->lock);
  g_cond_init (&proxy->cond);
  proxy->context = g_main_context_new ();
  proxy->loop = g_main_loop_new (proxy->context, FALSE);
  proxy->thread = g_thread_new ("lp-test-proxy", lp_test_proxy_thread, proxy);
  g_mutex_lock (&proxy->lock);
  while (!proxy->ready)
    g_cond_wait (&proxy->cond, &proxy->lock);
  g_mutex_unlock (&proxy->lock);
  return proxy;
}

static gboolean
lp_test_proxy_quit (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
lp_test_proxy_free (LpTestProxy * proxy)
{
  g_main_context_invoke (proxy->context, lp_test_proxy_quit, proxy->loop);
  g_thread_join (proxy->thread);
  g_main_loop_unref (proxy->loop);
  g_main_context_unref (proxy->context);
  lp_private_key_unref (proxy->backend_key);
  lp_private_key_unref (proxy->foreign_key);
  g_hash_table_unref (proxy->substitutes);
  g_hash_table_unref (proxy->stored);
  g_ptr_array_unref (proxy->held);
  g_free (proxy->transcoder);
  g_mutex_clear (&proxy->lock);
  g_cond_clear (&proxy->cond);
  g_free (proxy->uri);
  g_free (proxy);
}

guint
lp_test_proxy_count (LpTestProxy * proxy, const guint * field)
{
  guint value;

  g_mutex_lock (&proxy->lock);
  value = *field;
  g_mutex_unlock (&proxy->lock);
  return value;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The livepeersink suite's test double (livepeersink-proxy.h): the proxy's
 * thread, its forwarding, its tampering with transcoded answers and its
 * hostile answers. What stands above lp_test_proxy_new() runs in the
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

/* The answer to a segment, altered as the election's mode says; NULL when
 * it cannot be (not a transcoded answer). Sets @content_type. */
static GBytes *
lp_test_proxy_tamper (LpTestProxy * proxy, SoupMessageHeaders * headers,
    GBytes * body, SoupMessageHeaders * out_headers)
{
  SoupMultipart *in, *out;
  SoupMessageHeaders *part;
  GBytes *part_body, *result_bytes, *bytes;
  GPtrArray *renditions, *part_headers;
  LpTranscodeResult *result;
  GError *error = NULL;
  gchar *json;
  gsize size;
  const gchar *data;
  gint i;

  in = soup_multipart_new_from_message (headers, body);
  if (in == NULL || soup_multipart_get_length (in) < 3) {
    if (in != NULL)
      soup_multipart_free (in);
    return NULL;
  }
  soup_multipart_get_part (in, 0, &part, &part_body);
  data = g_bytes_get_data (part_body, &size);
  result = lp_wire_transcode_result_from_json (data, size, &error);
  fail_unless (result != NULL, "%s", error ? error->message : "");
  if (result->error != NULL || result->segments->len < 2) {
    lp_transcode_result_free (result);
    soup_multipart_free (in);
    return NULL;
  }
  renditions = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  part_headers = g_ptr_array_new ();
  for (i = 1; i < soup_multipart_get_length (in); i++) {
    soup_multipart_get_part (in, i, &part, &part_body);
    g_ptr_array_add (renditions, g_bytes_ref (part_body));
    g_ptr_array_add (part_headers, part);
  }
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
  out = soup_multipart_new ("multipart/mixed");
  part = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  soup_message_headers_replace (part, "Content-Type", "application/json");
  json = lp_wire_transcode_result_to_json (result);
  result_bytes = g_bytes_new_take (json, strlen (json));
  soup_multipart_append_part (out, part, result_bytes);
  g_bytes_unref (result_bytes);
  soup_message_headers_unref (part);
  for (i = 0; i < (gint) renditions->len; i++)
    soup_multipart_append_part (out, g_ptr_array_index (part_headers, i),
        g_ptr_array_index (renditions, i));
  soup_multipart_to_message (out, out_headers, &bytes);
  soup_multipart_free (out);
  soup_multipart_free (in);
  g_ptr_array_unref (part_headers);
  g_ptr_array_unref (renditions);
  lp_transcode_result_free (result);
  return bytes;
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

/* Whether @proxy answers the request to @path itself, as a hostile peer */
static gboolean
lp_test_proxy_hostile (LpTestProxy * proxy, SoupServerMessage * msg,
    const gchar * path)
{
  LpTamperMode mode = proxy->election->mode, answer = LP_TAMPER_NONE;

  g_mutex_lock (&proxy->lock);
  if (g_str_equal (path, "/getOrchestrator"))
    answer = proxy->discovery_answer;
  else if (g_str_equal (path, "/endSession"))
    answer = proxy->end_session_answer;
  g_mutex_unlock (&proxy->lock);
  if (answer != LP_TAMPER_NONE) {
    lp_test_hostile_answer (proxy, msg, answer, "application/json");
    return TRUE;
  }
  if (g_str_equal (path, "/segment") && (mode == LP_TAMPER_TRICKLE
          || mode == LP_TAMPER_ZEROS_LENGTH || mode == LP_TAMPER_ZEROS_CHUNKED)
      && lp_test_proxy_is_double (proxy, TRUE)) {
    lp_test_hostile_answer (proxy, msg, mode, "multipart/mixed; "
        "boundary=lp");
    return TRUE;
  }
  return FALSE;
}

static void
lp_test_proxy_handle (SoupServer * server, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer user_data)
{
  static const gchar *forwarded[] = { "Livepeer-Segment", "Livepeer-Payment" };
  LpTestProxy *proxy = user_data;
  SoupMessageHeaders *req_headers =
      soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp_headers, *out_headers;
  GBytes *body;
  gchar *uri;
  SoupMessage *out;
  const gchar *type = soup_message_headers_get_one (req_headers,
      "Content-Type");
  GBytes *answer, *altered = NULL;
  GError *error = NULL;
  guint status, i;

  if (lp_test_proxy_hostile (proxy, msg, path))
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
  resp_headers = soup_message_get_response_headers (out);
  type = soup_message_headers_get_one (resp_headers, "Content-Type");
  out_headers = soup_server_message_get_response_headers (msg);
  if (status == 200 && g_str_equal (path, "/getOrchestrator")) {
    /* discovery: segments come to us; ticket parameters and price stay
     * the real orchestrator's, so its payments still work */
    gsize size;
    const gchar *data = g_bytes_get_data (answer, &size);
    LpOrchestratorInfo *info = lp_wire_orchestrator_info_from_json (data,
        size, &error);
    gchar *json;

    fail_unless (info != NULL, "%s", error ? error->message : "");
    g_free (info->transcoder);
    info->transcoder = g_strdup (proxy->uri);
    json = lp_wire_orchestrator_info_to_json (info);
    lp_orchestrator_info_free (info);
    altered = g_bytes_new_take (json, strlen (json));
    type = "application/json";
    g_mutex_lock (&proxy->lock);
    proxy->discoveries++;
    g_mutex_unlock (&proxy->lock);
  } else if (status == 200 && type != NULL
      && g_str_has_prefix (type, "multipart/")) {
    g_mutex_lock (&proxy->lock);
    proxy->segments++;
    g_mutex_unlock (&proxy->lock);
    if (lp_test_proxy_is_double (proxy, TRUE)) {
      altered = lp_test_proxy_tamper (proxy, resp_headers, answer,
          out_headers);
      if (altered != NULL) {
        type = soup_message_headers_get_one (out_headers, "Content-Type");
        g_mutex_lock (&proxy->lock);
        proxy->tampered++;
        g_mutex_unlock (&proxy->lock);
      }
    }
  }
  soup_server_message_set_status (msg, status, NULL);
  {
    gsize size;
    const gchar *data = g_bytes_get_data (altered ? altered : answer, &size);
    gchar *content_type = g_strdup (type ? type : "text/plain");

    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
        data, size);
    g_free (content_type);
  }
  if (altered != NULL)
    g_bytes_unref (altered);
  g_bytes_unref (answer);
done:
  g_object_unref (out);
  g_free (uri);
  g_bytes_unref (body);
}

static gpointer
lp_test_proxy_thread (gpointer data)
{
  LpTestProxy *proxy = data;
  GError *error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (proxy->context);
  proxy->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (proxy->server, "/getOrchestrator",
      lp_test_proxy_handle, proxy, NULL);
  soup_server_add_handler (proxy->server, "/segment", lp_test_proxy_handle,
      proxy, NULL);
  soup_server_add_handler (proxy->server, "/endSession", lp_test_proxy_handle,
      proxy, NULL);
  fail_unless (soup_server_listen_local (proxy->server, 0,
          SOUP_SERVER_LISTEN_IPV4_ONLY, &error), "%s",
      error ? error->message : "");
  uris = soup_server_get_uris (proxy->server);
  fail_unless (uris != NULL);
  /* made in this thread, the only one that uses it */
  proxy->client = soup_session_new_with_options ("timeout", 30, NULL);
  g_mutex_lock (&proxy->lock);
  proxy->port = g_uri_get_port (uris->data);
  proxy->uri = g_strdup_printf ("http://127.0.0.1:%u", proxy->port);
  proxy->ready = TRUE;
  g_cond_signal (&proxy->cond);
  g_mutex_unlock (&proxy->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (proxy->loop);

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

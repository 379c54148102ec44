/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This file: the client itself (settings, its timer thread), the transport
 * (a POST with a deadline, a bounded answer) and the JSON-RPC envelope (the
 * request's body, the answer's result or error). The error domain and the
 * sorting of the node's refusals are in lpethrpc-errors.c; the typed calls
 * and the decoding of their results in lpethrpc-calls.c.
 */

/**
 * SECTION:lpethrpc
 * @title: LpEthRpc
 * @short_description: an Ethereum JSON-RPC client over HTTP(S)
 *
 * #LpEthRpc posts JSON-RPC 2.0 requests to one node with libsoup's
 * synchronous API on a session of its own, so any thread may call it, and
 * several at once. Every request has a deadline (lp_eth_rpc_set_timeout(),
 * %LP_ETH_RPC_DEFAULT_TIMEOUT_MS by default) that covers connecting,
 * waiting and reading: a stopped node fails at once with
 * %LP_ETH_ERROR_TRANSPORT, a slow one with %LP_ETH_ERROR_TIMEOUT, never
 * hangs. Answers larger than lp_eth_rpc_set_max_answer_size() are refused.
 * A request blocks until then; cancel it with the thread's current
 * cancellable (g_cancellable_push_current()).
 *
 * Errors name the method and the node's URL, with its path and user
 * information left out (they often hold an API key). The node's refusals
 * are sorted by the messages geth, anvil and the usual providers give
 * (nonce too low, underpriced, insufficient funds, already known), and a
 * revert carries its data and reason, decoded with lp_abi_decode_revert().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <libsoup/soup.h>

#include "lpethrpc.h"
#include "lpethrpc-private.h"

/* ------------------------------------------------------------------------ */
/* the client */

struct _LpEthRpc
{
  gint refcount;
  gchar *url;
  gchar *display_url;           /* scheme://host:port, for messages */
  GUri *uri;
  SoupSession *session;
  gint next_id;
  gint timeout_ms;
  gsize max_answer_size;
  GMutex lock;                  /* max_answer_size */

  /* Deadlines run on a thread of their own: the requests block in
   * libsoup's sync API, and a timer on this context cancels a request
   * that outlives its deadline. */
  GMainContext *timer_context;
  GMainLoop *timer_loop;
  GThread *timer_thread;
};

G_DEFINE_BOXED_TYPE (LpEthRpc, lp_eth_rpc, lp_eth_rpc_ref, lp_eth_rpc_unref);

static gpointer
timer_thread_main (gpointer data)
{
  LpEthRpc *rpc = data;

  g_main_context_push_thread_default (rpc->timer_context);
  g_main_loop_run (rpc->timer_loop);
  g_main_context_pop_thread_default (rpc->timer_context);
  return NULL;
}

/* The URL as messages show it: no user information and no path, which
 * providers use for API keys. */
static gchar *
make_display_url (GUri * uri)
{
  const gchar *path = g_uri_get_path (uri);
  gboolean has_path = path != NULL && path[0] != '\0' && strcmp (path, "/");
  gint port = g_uri_get_port (uri);
  g_autofree gchar *host = NULL;

  host = port > 0 ? g_strdup_printf ("%s:%d", g_uri_get_host (uri), port) :
      g_strdup (g_uri_get_host (uri));
  return g_strdup_printf ("%s://%s%s", g_uri_get_scheme (uri), host,
      has_path ? "/…" : "");
}

/* "http://host:8545" has an empty path, which libsoup would send as an
 * empty request target; the request goes to "/" then. Takes @uri. */
static GUri *
with_root_path (GUri * uri)
{
  GUri *rooted;

  if (g_uri_get_path (uri)[0] != '\0')
    return uri;
  rooted = g_uri_build (g_uri_get_flags (uri), g_uri_get_scheme (uri),
      g_uri_get_userinfo (uri), g_uri_get_host (uri), g_uri_get_port (uri),
      "/", g_uri_get_query (uri), g_uri_get_fragment (uri));
  g_uri_unref (uri);
  return rooted;
}

/**
 * lp_eth_rpc_new:
 * @url: the node's http:// or https:// URL
 * @error: return location for a #GError, or %NULL
 *
 * Makes a client of the node at @url. Nothing is sent yet.
 *
 * Returns: (transfer full) (nullable): the client, or %NULL with
 *     %G_IO_ERROR_INVALID_ARGUMENT when @url is not an HTTP(S) URL
 */
LpEthRpc *
lp_eth_rpc_new (const gchar * url, GError ** error)
{
  LpEthRpc *rpc;
  GUri *uri;
  const gchar *scheme;

  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || scheme == NULL || (g_ascii_strcasecmp (scheme, "http")
          && g_ascii_strcasecmp (scheme, "https"))
      || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0') {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "'%s' is not the http:// or https:// URL of an Ethereum node", url);
    g_clear_pointer (&uri, g_uri_unref);
    return NULL;
  }

  rpc = g_new0 (LpEthRpc, 1);
  rpc->refcount = 1;
  rpc->url = g_strdup (url);
  rpc->uri = with_root_path (uri);
  rpc->display_url = make_display_url (rpc->uri);
  rpc->timeout_ms = LP_ETH_RPC_DEFAULT_TIMEOUT_MS;
  rpc->max_answer_size = LP_ETH_RPC_DEFAULT_MAX_ANSWER_SIZE;
  g_mutex_init (&rpc->lock);
  /* No I/O timeout of libsoup's own: the deadline covers the request. A
   * few connections per host, so threads do not queue behind one. */
  rpc->session = soup_session_new_with_options ("timeout", 0,
      "max-conns-per-host", 8, "user-agent", "gst-livepeer/" VERSION, NULL);
  rpc->timer_context = g_main_context_new ();
  rpc->timer_loop = g_main_loop_new (rpc->timer_context, FALSE);
  rpc->timer_thread = g_thread_new ("lpethrpc-timer", timer_thread_main, rpc);
  return rpc;
}

/**
 * lp_eth_rpc_ref:
 * @rpc: a client
 *
 * Returns: (transfer full): @rpc
 */
LpEthRpc *
lp_eth_rpc_ref (LpEthRpc * rpc)
{
  g_return_val_if_fail (rpc != NULL, NULL);
  g_atomic_int_inc (&rpc->refcount);
  return rpc;
}

static gboolean
quit_timer_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/**
 * lp_eth_rpc_unref:
 * @rpc: (transfer full) (nullable): a client
 *
 * Drops a reference; the last one closes the client's connections.
 */
void
lp_eth_rpc_unref (LpEthRpc * rpc)
{
  GSource *quit;

  if (rpc == NULL || !g_atomic_int_dec_and_test (&rpc->refcount))
    return;
  /* Quit from within the loop: a g_main_loop_quit() before the timer
   * thread reaches g_main_loop_run() would be lost, and the join hang. */
  quit = g_idle_source_new ();
  g_source_set_callback (quit, quit_timer_loop, rpc->timer_loop, NULL);
  g_source_attach (quit, rpc->timer_context);
  g_source_unref (quit);
  g_thread_join (rpc->timer_thread);
  g_main_loop_unref (rpc->timer_loop);
  g_main_context_unref (rpc->timer_context);
  g_object_unref (rpc->session);
  g_uri_unref (rpc->uri);
  g_free (rpc->display_url);
  g_free (rpc->url);
  g_mutex_clear (&rpc->lock);
  g_free (rpc);
}

/**
 * lp_eth_rpc_get_url:
 * @rpc: a client
 *
 * Returns: (transfer none): the node's URL, as given
 */
const gchar *
lp_eth_rpc_get_url (LpEthRpc * rpc)
{
  g_return_val_if_fail (rpc != NULL, NULL);
  return rpc->url;
}

const gchar *
lp_eth_rpc_get_display_url (LpEthRpc * rpc)
{
  return rpc->display_url;
}

/**
 * lp_eth_rpc_set_timeout:
 * @rpc: a client
 * @timeout_ms: the most milliseconds a request may take, connecting and
 *     reading included; 0 restores the default
 *
 * Requests that start from now on fail with %LP_ETH_ERROR_TIMEOUT when
 * their answer is not complete within @timeout_ms.
 */
void
lp_eth_rpc_set_timeout (LpEthRpc * rpc, guint timeout_ms)
{
  g_return_if_fail (rpc != NULL);
  if (timeout_ms == 0)
    timeout_ms = LP_ETH_RPC_DEFAULT_TIMEOUT_MS;
  g_atomic_int_set (&rpc->timeout_ms, (gint) MIN (timeout_ms, G_MAXINT));
}

/**
 * lp_eth_rpc_get_timeout:
 * @rpc: a client
 *
 * Returns: the request timeout in milliseconds
 */
guint
lp_eth_rpc_get_timeout (LpEthRpc * rpc)
{
  g_return_val_if_fail (rpc != NULL, 0);
  return (guint) g_atomic_int_get (&rpc->timeout_ms);
}

/**
 * lp_eth_rpc_set_max_answer_size:
 * @rpc: a client
 * @max_bytes: the largest answer body accepted; 0 restores the default
 *     (%LP_ETH_RPC_DEFAULT_MAX_ANSWER_SIZE)
 *
 * A larger answer fails its request with %LP_ETH_ERROR_BAD_ANSWER.
 */
void
lp_eth_rpc_set_max_answer_size (LpEthRpc * rpc, gsize max_bytes)
{
  g_return_if_fail (rpc != NULL);
  g_mutex_lock (&rpc->lock);
  rpc->max_answer_size =
      max_bytes ? max_bytes : LP_ETH_RPC_DEFAULT_MAX_ANSWER_SIZE;
  g_mutex_unlock (&rpc->lock);
}

static gsize
get_max_answer_size (LpEthRpc * rpc)
{
  gsize size;

  g_mutex_lock (&rpc->lock);
  size = rpc->max_answer_size;
  g_mutex_unlock (&rpc->lock);
  return size;
}

/* ------------------------------------------------------------------------ */
/* transport */

static gboolean
deadline_passed (gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
  return G_SOURCE_REMOVE;
}

static void
cancel_linked (GCancellable * caller, gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

/* One request's cancellable: cancelled by its deadline on the timer
 * thread, and by the caller's current cancellable, if any. */
typedef struct
{
  GCancellable *cancellable;
  GCancellable *caller;
  gulong caller_handler;
  GSource *timer;
} Deadline;

static void
deadline_start (LpEthRpc * rpc, Deadline * d)
{
  d->cancellable = g_cancellable_new ();
  d->caller = g_cancellable_get_current ();
  if (d->caller != NULL) {
    g_object_ref (d->caller);
    d->caller_handler = g_cancellable_connect (d->caller,
        G_CALLBACK (cancel_linked), g_object_ref (d->cancellable),
        g_object_unref);
  }
  d->timer = g_timeout_source_new (g_atomic_int_get (&rpc->timeout_ms));
  g_source_set_callback (d->timer, deadline_passed,
      g_object_ref (d->cancellable), g_object_unref);
  g_source_attach (d->timer, rpc->timer_context);
}

/* Whether the deadline, not the caller, cancelled the request */
static gboolean
deadline_timed_out (Deadline * d)
{
  return g_cancellable_is_cancelled (d->cancellable) &&
      (d->caller == NULL || !g_cancellable_is_cancelled (d->caller));
}

static void
deadline_stop (Deadline * d)
{
  g_source_destroy (d->timer);
  g_source_unref (d->timer);
  if (d->caller != NULL) {
    g_cancellable_disconnect (d->caller, d->caller_handler);
    g_object_unref (d->caller);
  }
  g_object_unref (d->cancellable);
}

/* Sets the error of a failed exchange: a timeout, the caller's
 * cancellation, or the node out of reach. */
static void
set_transport_error (LpEthRpc * rpc, const gchar * method, Deadline * d,
    GError * cause, GError ** error)
{
  if (deadline_timed_out (d))
    g_set_error (error, LP_ETH_ERROR, LP_ETH_ERROR_TIMEOUT,
        "%s at %s: no answer within %.1f s (the node is slow, overloaded or "
        "stuck)", method, rpc->display_url,
        g_atomic_int_get (&rpc->timeout_ms) / 1000.0);
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
        "%s at %s: cancelled", method, rpc->display_url);
  else
    g_set_error (error, LP_ETH_ERROR, LP_ETH_ERROR_TRANSPORT,
        "%s at %s: cannot reach the Ethereum node: %s", method,
        rpc->display_url, cause ? cause->message : "unknown error");
}

static gboolean
read_answer (LpEthRpc * rpc, const gchar * method, GInputStream * stream,
    Deadline * d, GByteArray * answer, GError ** error)
{
  gsize limit = get_max_answer_size (rpc);
  guint8 chunk[16384];

  for (;;) {
    GError *local = NULL;
    gssize n = g_input_stream_read (stream, chunk, sizeof (chunk),
        d->cancellable, &local);

    if (n < 0) {
      set_transport_error (rpc, method, d, local, error);
      g_error_free (local);
      return FALSE;
    }
    if (n == 0)
      return TRUE;
    if (answer->len + (gsize) n > limit) {
      g_set_error (error, LP_ETH_ERROR, LP_ETH_ERROR_BAD_ANSWER,
          "%s at %s: the answer is larger than %" G_GSIZE_FORMAT " bytes, "
          "the most this client accepts", method, rpc->display_url, limit);
      return FALSE;
    }
    g_byte_array_append (answer, chunk, (guint) n);
  }
}

/* POSTs @body and returns the answer's body, whatever its HTTP status
 * (nodes and proxies put JSON-RPC errors in 4xx and 5xx answers too). */
static GBytes *
post (LpEthRpc * rpc, const gchar * method, GBytes * body, guint * status,
    GError ** error)
{
  SoupMessage *msg = soup_message_new_from_uri (SOUP_METHOD_POST, rpc->uri);
  GByteArray *answer = g_byte_array_new ();
  GInputStream *stream;
  GError *local = NULL;
  Deadline d = { 0 };
  gboolean ok;

  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_message_headers_replace (soup_message_get_request_headers (msg),
      "Accept", "application/json");
  deadline_start (rpc, &d);
  stream = soup_session_send (rpc->session, msg, d.cancellable, &local);
  if (stream == NULL) {
    set_transport_error (rpc, method, &d, local, error);
    g_error_free (local);
    ok = FALSE;
  } else {
    ok = read_answer (rpc, method, stream, &d, answer, error);
    g_input_stream_close (stream, NULL, NULL);
    g_object_unref (stream);
  }
  deadline_stop (&d);
  *status = soup_message_get_status (msg);
  g_object_unref (msg);
  if (!ok) {
    g_byte_array_unref (answer);
    return NULL;
  }
  return g_byte_array_free_to_bytes (answer);
}

/* ------------------------------------------------------------------------ */
/* requests */

/* The request's JSON text; takes @params (the builder owns what it adds) */
static GBytes *
request_body (const gchar * method, gint id, JsonNode * params)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  gsize length;
  gchar *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jsonrpc");
  json_builder_add_string_value (builder, "2.0");
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method);
  json_builder_set_member_name (builder, "params");
  json_builder_add_value (builder, params);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

static GError *
bad_answer (LpEthRpc * rpc, const gchar * method, guint status,
    const gchar * what)
{
  if (status != 0 && !SOUP_STATUS_IS_SUCCESSFUL (status))
    return g_error_new (LP_ETH_ERROR, LP_ETH_ERROR_TRANSPORT,
        "%s at %s: HTTP %u %s (not a JSON-RPC answer: %s)", method,
        rpc->display_url, status, soup_status_get_phrase (status), what);
  return g_error_new (LP_ETH_ERROR, LP_ETH_ERROR_BAD_ANSWER,
      "%s at %s: not a JSON-RPC answer: %s", method, rpc->display_url, what);
}

/* The answer's "result", or the error it carries */
static JsonNode *
parse_answer (LpEthRpc * rpc, const gchar * method, gint id, GBytes * answer,
    guint status, GError ** error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  gsize size;
  const gchar *data = g_bytes_get_data (answer, &size);
  JsonObject *object;
  JsonNode *member;

  /* an empty body has no data at all, which the parser refuses loudly */
  if (size == 0 || !json_parser_load_from_data (parser, data, (gssize) size,
          NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    g_propagate_error (error, bad_answer (rpc, method, status,
            "not a JSON object"));
    return NULL;
  }
  object = json_node_get_object (json_parser_get_root (parser));
  member = json_object_get_member (object, "id");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member)
      && json_node_get_value_type (member) == G_TYPE_INT64
      && json_node_get_int (member) != id) {
    g_propagate_error (error, bad_answer (rpc, method, status,
            "the answer's id is not the request's"));
    return NULL;
  }
  member = json_object_get_member (object, "error");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member)) {
    g_propagate_error (error, lp_eth_rpc_error_from_node (rpc->display_url,
            method, json_node_get_object (member)));
    return NULL;
  }
  member = json_object_get_member (object, "result");
  if (member == NULL || !SOUP_STATUS_IS_SUCCESSFUL (status)) {
    g_propagate_error (error, bad_answer (rpc, method, status,
            "it has neither a result nor an error"));
    return NULL;
  }
  return json_node_copy (member);
}

/* Sends one request; @params (transfer full) is its JSON array. Returns
 * the result (transfer full; a JSON null node when the result is null). */
JsonNode *
lp_eth_rpc_call_method (LpEthRpc * rpc, const gchar * method,
    JsonNode * params, GError ** error)
{
  gint id = g_atomic_int_add (&rpc->next_id, 1) + 1;
  g_autoptr (GBytes) body = request_body (method, id, params);
  g_autoptr (GBytes) answer = NULL;
  guint status = 0;

  answer = post (rpc, method, body, &status, error);
  if (answer == NULL)
    return NULL;
  return parse_answer (rpc, method, id, answer, status, error);
}

/**
 * lp_eth_rpc_request:
 * @rpc: a client
 * @method: the JSON-RPC method ("eth_blockNumber")
 * @params_json: (nullable): the parameters as JSON text, an array
 *     ("[\"0x1b4\", false]"); %NULL is "[]"
 * @result_json: (out) (transfer full) (optional): the result as JSON text
 *     ("null" for a null result)
 * @error: return location for a #GError, or %NULL
 *
 * Sends any JSON-RPC request.
 *
 * Returns: %TRUE with the result; %FALSE with an %LP_ETH_ERROR error (or
 *     %G_IO_ERROR_INVALID_ARGUMENT when @params_json is not a JSON array)
 */
gboolean
lp_eth_rpc_request (LpEthRpc * rpc, const gchar * method,
    const gchar * params_json, gchar ** result_json, GError ** error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *result;

  g_return_val_if_fail (rpc != NULL, FALSE);
  g_return_val_if_fail (method != NULL, FALSE);

  if (!json_parser_load_from_data (parser, params_json ? params_json : "[]",
          -1, NULL) || !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser))) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "the parameters of %s are not a JSON array: %s", method, params_json);
    return FALSE;
  }
  result = lp_eth_rpc_call_method (rpc, method,
      json_node_copy (json_parser_get_root (parser)), error);
  if (result == NULL)
    return FALSE;
  if (result_json != NULL)
    *result_json = json_to_string (result, FALSE);
  json_node_unref (result);
  return TRUE;
}

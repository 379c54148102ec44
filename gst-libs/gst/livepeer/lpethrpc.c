/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
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
#include "lpabi.h"

/* ------------------------------------------------------------------------ */
/* errors */

typedef struct
{
  gint rpc_code;
  GBytes *revert_data;
  gchar *revert_reason;
} LpEthErrorPrivate;

static void
lp_eth_error_private_init (LpEthErrorPrivate * priv)
{
  priv->rpc_code = 0;
  priv->revert_data = NULL;
  priv->revert_reason = NULL;
}

static void
lp_eth_error_private_copy (const LpEthErrorPrivate * src,
    LpEthErrorPrivate * dest)
{
  dest->rpc_code = src->rpc_code;
  dest->revert_data = src->revert_data ? g_bytes_ref (src->revert_data) : NULL;
  dest->revert_reason = g_strdup (src->revert_reason);
}

static void
lp_eth_error_private_clear (LpEthErrorPrivate * priv)
{
  g_clear_pointer (&priv->revert_data, g_bytes_unref);
  g_clear_pointer (&priv->revert_reason, g_free);
}

/* GError's extended domains give the node's error code and the revert
 * data a place beside the message, copied and freed with it. */
G_DEFINE_EXTENDED_ERROR (LpEthError, lp_eth_error);

/**
 * lp_eth_error_get_rpc_code:
 * @error: an error
 *
 * Returns: the JSON-RPC error code the node answered with, when @error is
 *     of %LP_ETH_ERROR and came from such an answer; 0 otherwise
 */
gint
lp_eth_error_get_rpc_code (const GError * error)
{
  if (error == NULL || error->domain != LP_ETH_ERROR)
    return 0;
  return lp_eth_error_get_private (error)->rpc_code;
}

/**
 * lp_eth_error_get_revert_data:
 * @error: an error
 *
 * Returns: (transfer none) (nullable): the revert data of a
 *     %LP_ETH_ERROR_REVERTED error, when the node gave it
 */
GBytes *
lp_eth_error_get_revert_data (const GError * error)
{
  if (error == NULL || error->domain != LP_ETH_ERROR)
    return NULL;
  return lp_eth_error_get_private (error)->revert_data;
}

/**
 * lp_eth_error_get_revert_reason:
 * @error: an error
 *
 * Returns: (transfer none) (nullable): the decoded reason of a
 *     %LP_ETH_ERROR_REVERTED error ("nope" for `Error("nope")`, a panic's
 *     or a custom error's description), when there is one
 */
const gchar *
lp_eth_error_get_revert_reason (const GError * error)
{
  if (error == NULL || error->domain != LP_ETH_ERROR)
    return NULL;
  return lp_eth_error_get_private (error)->revert_reason;
}

/* ------------------------------------------------------------------------ */
/* boxed types */

G_DEFINE_BOXED_TYPE (LpEthLog, lp_eth_log, lp_eth_log_copy, lp_eth_log_free);
G_DEFINE_BOXED_TYPE (LpEthReceipt, lp_eth_receipt, lp_eth_receipt_copy,
    lp_eth_receipt_free);
G_DEFINE_BOXED_TYPE (LpEthTransaction, lp_eth_transaction,
    lp_eth_transaction_copy, lp_eth_transaction_free);

/**
 * lp_eth_log_copy:
 * @log: a log
 *
 * Returns: (transfer full): a copy of @log
 */
LpEthLog *
lp_eth_log_copy (const LpEthLog * log)
{
  LpEthLog *copy;

  g_return_val_if_fail (log != NULL, NULL);
  copy = g_memdup2 (log, sizeof (*log));
  copy->data = g_bytes_ref (log->data);
  return copy;
}

/**
 * lp_eth_log_free:
 * @log: (transfer full) (nullable): a log
 */
void
lp_eth_log_free (LpEthLog * log)
{
  if (log == NULL)
    return;
  g_bytes_unref (log->data);
  g_free (log);
}

static GPtrArray *
new_log_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) lp_eth_log_free);
}

/**
 * lp_eth_receipt_copy:
 * @receipt: a receipt
 *
 * Returns: (transfer full): a copy of @receipt and its logs
 */
LpEthReceipt *
lp_eth_receipt_copy (const LpEthReceipt * receipt)
{
  LpEthReceipt *copy;
  guint i;

  g_return_val_if_fail (receipt != NULL, NULL);
  copy = g_memdup2 (receipt, sizeof (*receipt));
  copy->logs = new_log_array ();
  for (i = 0; i < receipt->logs->len; i++)
    g_ptr_array_add (copy->logs, lp_eth_log_copy (receipt->logs->pdata[i]));
  return copy;
}

/**
 * lp_eth_receipt_free:
 * @receipt: (transfer full) (nullable): a receipt
 */
void
lp_eth_receipt_free (LpEthReceipt * receipt)
{
  if (receipt == NULL)
    return;
  g_ptr_array_unref (receipt->logs);
  g_free (receipt);
}

/**
 * lp_eth_transaction_copy:
 * @tx: a transaction
 *
 * Returns: (transfer full): a copy of @tx
 */
LpEthTransaction *
lp_eth_transaction_copy (const LpEthTransaction * tx)
{
  LpEthTransaction *copy;

  g_return_val_if_fail (tx != NULL, NULL);
  copy = g_memdup2 (tx, sizeof (*tx));
  copy->input = g_bytes_ref (tx->input);
  return copy;
}

/**
 * lp_eth_transaction_free:
 * @tx: (transfer full) (nullable): a transaction
 */
void
lp_eth_transaction_free (LpEthTransaction * tx)
{
  if (tx == NULL)
    return;
  g_bytes_unref (tx->input);
  g_free (tx);
}

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

  /* "http://host:port" has an empty path, which libsoup sends as is
   * ("POST  HTTP/1.1") and nodes answer 400: ask for "/" instead */
  if (g_uri_get_path (uri)[0] == '\0') {
    GUri *rooted = g_uri_build (g_uri_get_flags (uri), scheme,
        g_uri_get_userinfo (uri), g_uri_get_host (uri), g_uri_get_port (uri),
        "/", g_uri_get_query (uri), g_uri_get_fragment (uri));

    g_uri_unref (uri);
    uri = rooted;
  }

  rpc = g_new0 (LpEthRpc, 1);
  rpc->refcount = 1;
  rpc->url = g_strdup (url);
  rpc->uri = uri;
  rpc->display_url = make_display_url (uri);
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

/**
 * lp_eth_rpc_unref:
 * @rpc: (transfer full) (nullable): a client
 *
 * Drops a reference; the last one closes the client's connections.
 */
void
lp_eth_rpc_unref (LpEthRpc * rpc)
{
  if (rpc == NULL || !g_atomic_int_dec_and_test (&rpc->refcount))
    return;
  g_main_loop_quit (rpc->timer_loop);
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
/* the node's errors */

/* The revert data in a JSON-RPC error's "data": a hex string (geth,
 * anvil), or one nested in an object ({"data": ...} of Hardhat, {"<tx
 * hash>": {"return": ...}} of Ganache). */
static GBytes *
find_revert_data (JsonNode * node, guint depth)
{
  static const gchar *const members[] = { "data", "result", "return", NULL };
  JsonObject *object;
  guint i;

  if (node == NULL || depth > 3)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING) {
    const gchar *text = json_node_get_string (node);

    if (!g_str_has_prefix (text, "0x"))
      return NULL;
    return lp_hex_decode_bytes (text, 1024 * 1024, NULL);
  }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  for (i = 0; members[i] != NULL; i++) {
    GBytes *found = find_revert_data (json_object_get_member (object,
            members[i]), depth + 1);
    if (found != NULL)
      return found;
  }
  if (json_object_get_size (object) == 1) {
    g_autoptr (GList) values = json_object_get_values (object);
    return find_revert_data (values->data, depth + 1);
  }
  return NULL;
}

/* A revert's reason: the decoded revert data, else what the node's
 * message says after "execution reverted: ". */
static gchar *
revert_reason (GBytes * data, const gchar * message)
{
  static const gchar *const prefixes[] = {
    "execution reverted: ", "reverted with reason string ", NULL
  };
  guint i;

  if (data != NULL && g_bytes_get_size (data) > 0) {
    gsize size;
    const guint8 *bytes = g_bytes_get_data (data, &size);
    gchar *decoded = lp_abi_decode_revert (bytes, size);

    if (decoded != NULL)
      return decoded;
  }
  for (i = 0; message != NULL && prefixes[i] != NULL; i++) {
    const gchar *at = strstr (message, prefixes[i]);
    if (at != NULL && at[strlen (prefixes[i])] != '\0')
      return g_strdup (at + strlen (prefixes[i]));
  }
  return NULL;
}

static gboolean
contains_any (const gchar * haystack, const gchar * const *needles)
{
  guint i;

  for (i = 0; needles[i] != NULL; i++)
    if (strstr (haystack, needles[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* Sorts a node's refusal by its message: the codes differ between
 * clients (geth answers -32000 for all of these), the texts much less. */
static LpEthError
classify_rpc_error (gint code, const gchar * message)
{
  static const gchar *const nonce_too_low[] = { "nonce too low",
    "nonce is too low", "oldnonce", "nonce has already been used", NULL
  };
  static const gchar *const already_known[] = { "already known",
    "known transaction", "already imported", "alreadyknown", NULL
  };
  static const gchar *const underpriced[] = { "underpriced",
    "fee too low", "less than block base fee", "gas price too low",
    "max fee per gas less than", "feetoolow", NULL
  };
  static const gchar *const insufficient[] = { "insufficient funds",
    "insufficient balance", NULL
  };
  g_autofree gchar *lower = g_ascii_strdown (message ? message : "", -1);

  if (contains_any (lower, nonce_too_low))
    return LP_ETH_ERROR_NONCE_TOO_LOW;
  if (contains_any (lower, already_known))
    return LP_ETH_ERROR_ALREADY_KNOWN;
  if (contains_any (lower, underpriced))
    return LP_ETH_ERROR_UNDERPRICED;
  if (contains_any (lower, insufficient))
    return LP_ETH_ERROR_INSUFFICIENT_FUNDS;
  if (code == 3 || strstr (lower, "revert") != NULL)
    return LP_ETH_ERROR_REVERTED;
  return LP_ETH_ERROR_RPC;
}

static GError *
rpc_error_new (LpEthRpc * rpc, const gchar * method, JsonObject * object)
{
  gint code = (gint) json_object_get_int_member_with_default (object,
      "code", 0);
  const gchar *message = json_object_get_string_member_with_default (object,
      "message", "(no message)");
  LpEthError kind = classify_rpc_error (code, message);
  LpEthErrorPrivate *priv;
  GError *error;

  if (kind == LP_ETH_ERROR_REVERTED) {
    GBytes *data = find_revert_data (json_object_get_member (object, "data"),
        0);
    gchar *reason = revert_reason (data, message);

    error = g_error_new (LP_ETH_ERROR, kind, "%s at %s: the EVM reverted: %s",
        method, rpc->display_url, reason ? reason : "(no reason given)");
    priv = lp_eth_error_get_private (error);
    priv->revert_data = data;
    priv->revert_reason = reason;
  } else {
    error = g_error_new (LP_ETH_ERROR, kind,
        "%s at %s: the node refused it: %s (JSON-RPC error %d)", method,
        rpc->display_url, message, code);
    priv = lp_eth_error_get_private (error);
  }
  priv->rpc_code = code;
  return error;
}

/* ------------------------------------------------------------------------ */
/* requests */

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

  if (data == NULL || size == 0) {
    g_propagate_error (error, bad_answer (rpc, method, status,
            "an empty body"));
    return NULL;
  }
  if (!json_parser_load_from_data (parser, data, (gssize) size, NULL)
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
    g_propagate_error (error, rpc_error_new (rpc, method,
            json_node_get_object (member)));
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

  /* request_body's builder took @params over */
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

/* ------------------------------------------------------------------------ */
/* reading answers: the first failure is kept, later reads do nothing */

typedef struct
{
  LpEthRpc *rpc;
  const gchar *method;
  GError *error;
} Reader;

static gboolean
reader_fail (Reader * r, const gchar * name, const gchar * expected)
{
  if (r->error == NULL)
    r->error = g_error_new (LP_ETH_ERROR, LP_ETH_ERROR_BAD_ANSWER,
        "%s at %s: the answer's %s is not %s", r->method,
        r->rpc->display_url, name, expected);
  return FALSE;
}

static gboolean
reader_finish (Reader * r, GError ** error)
{
  if (r->error == NULL)
    return TRUE;
  g_propagate_error (error, r->error);
  r->error = NULL;
  return FALSE;
}

static const gchar *
node_string (JsonNode * node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
is_null (JsonNode * node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* A QUANTITY: "0x" and 1 to 64 hex digits */
static gboolean
read_u256 (Reader * r, JsonNode * node, const gchar * name, LpUint256 * out)
{
  const gchar *text = node_string (node);
  gsize digits;

  if (r->error != NULL)
    return FALSE;
  if (text == NULL || !g_str_has_prefix (text, "0x"))
    return reader_fail (r, name, "a hex quantity");
  digits = strlen (text + 2);
  if (digits == 0 || digits > 64 || strspn (text + 2,
          "0123456789abcdefABCDEF") != digits
      || !lp_uint256_parse (text, out, NULL))
    return reader_fail (r, name, "a hex quantity");
  return TRUE;
}

static gboolean
read_u64 (Reader * r, JsonNode * node, const gchar * name, guint64 * out)
{
  LpUint256 value;

  if (!read_u256 (r, node, name, &value))
    return FALSE;
  if (!lp_uint256_to_uint64 (&value, out, NULL))
    return reader_fail (r, name, "a quantity below 2^64");
  return TRUE;
}

static gboolean
read_hash (Reader * r, JsonNode * node, const gchar * name,
    guint8 out[LP_KECCAK256_SIZE])
{
  const gchar *text = node_string (node);

  if (r->error != NULL)
    return FALSE;
  if (text == NULL || !g_str_has_prefix (text, "0x")
      || !lp_hex_decode (text, out, LP_KECCAK256_SIZE, NULL))
    return reader_fail (r, name, "a 32-byte hex hash");
  return TRUE;
}

static gboolean
read_address (Reader * r, JsonNode * node, const gchar * name,
    LpAddress * out)
{
  const gchar *text = node_string (node);
  g_autofree gchar *lower = NULL;

  if (r->error != NULL)
    return FALSE;
  /* checksums are the node's business, not ours to refuse */
  lower = text ? g_ascii_strdown (text, -1) : NULL;
  if (lower == NULL || !lp_address_parse (lower, out, NULL))
    return reader_fail (r, name, "an address");
  return TRUE;
}

static GBytes *
read_data (Reader * r, JsonNode * node, const gchar * name)
{
  const gchar *text = node_string (node);
  GBytes *bytes;

  if (r->error != NULL)
    return NULL;
  if (text == NULL || !g_str_has_prefix (text, "0x")
      || (bytes = lp_hex_decode_bytes (text, G_MAXSIZE, NULL)) == NULL) {
    reader_fail (r, name, "hex data");
    return NULL;
  }
  return bytes;
}

static JsonNode *
member (JsonNode * node, const gchar * name)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_get_member (json_node_get_object (node), name);
}

/* ------------------------------------------------------------------------ */
/* building parameters */

static JsonNode *
string_node (const gchar * text)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return node;
}

static JsonNode *
take_string_node (gchar * text)
{
  JsonNode *node = string_node (text);

  g_free (text);
  return node;
}

static JsonNode *
quantity_node (guint64 value)
{
  return take_string_node (g_strdup_printf ("0x%" G_GINT64_MODIFIER "x",
          value));
}

static JsonNode *
block_node (gint64 block)
{
  switch (block) {
    case LP_ETH_BLOCK_LATEST:
      return string_node ("latest");
    case LP_ETH_BLOCK_PENDING:
      return string_node ("pending");
    case LP_ETH_BLOCK_EARLIEST:
      return string_node ("earliest");
    case LP_ETH_BLOCK_SAFE:
      return string_node ("safe");
    case LP_ETH_BLOCK_FINALIZED:
      return string_node ("finalized");
    default:
      return quantity_node ((guint64) block);
  }
}

static JsonNode *
address_node (const LpAddress * address)
{
  return take_string_node (lp_address_to_string (address));
}

static JsonNode *
hash_node (const guint8 hash[LP_KECCAK256_SIZE])
{
  return take_string_node (lp_hex_encode (hash, LP_KECCAK256_SIZE, TRUE));
}

static JsonNode *
bytes_node (GBytes * bytes)
{
  gsize size = 0;
  const guint8 *data = bytes ? g_bytes_get_data (bytes, &size) : NULL;

  return take_string_node (lp_hex_encode (data, size, TRUE));
}

/* A JSON array of the given nodes (transfer full), NULL-terminated */
static JsonNode *
params_new (JsonNode * first, ...)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  va_list args;

  va_start (args, first);
  for (JsonNode * item = first; item != NULL; item = va_arg (args, JsonNode *))
    json_array_add_element (array, item);
  va_end (args);
  json_node_take_array (node, array);
  return node;
}

static gboolean
valid_block (gint64 block)
{
  return block >= LP_ETH_BLOCK_FINALIZED;
}

/* ------------------------------------------------------------------------ */
/* chain and accounts */

static gboolean
call_quantity (LpEthRpc * rpc, const gchar * method, JsonNode * params,
    LpUint256 * out, GError ** error)
{
  Reader r = { rpc, method, NULL };
  g_autoptr (JsonNode) result = lp_eth_rpc_call_method (rpc, method, params,
      error);

  if (result == NULL)
    return FALSE;
  read_u256 (&r, result, "result", out);
  return reader_finish (&r, error);
}

static gboolean
call_u64 (LpEthRpc * rpc, const gchar * method, JsonNode * params,
    guint64 * out, GError ** error)
{
  Reader r = { rpc, method, NULL };
  g_autoptr (JsonNode) result = lp_eth_rpc_call_method (rpc, method, params,
      error);

  if (result == NULL)
    return FALSE;
  read_u64 (&r, result, "result", out);
  return reader_finish (&r, error);
}

/**
 * lp_eth_rpc_chain_id:
 * @rpc: a client
 * @chain_id: (out): the chain id (eth_chainId)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_eth_rpc_chain_id (LpEthRpc * rpc, guint64 * chain_id, GError ** error)
{
  g_return_val_if_fail (rpc != NULL && chain_id != NULL, FALSE);
  return call_u64 (rpc, "eth_chainId", params_new (NULL), chain_id, error);
}

/**
 * lp_eth_rpc_block_number:
 * @rpc: a client
 * @number: (out): the number of the latest block (eth_blockNumber)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_eth_rpc_block_number (LpEthRpc * rpc, guint64 * number, GError ** error)
{
  g_return_val_if_fail (rpc != NULL && number != NULL, FALSE);
  return call_u64 (rpc, "eth_blockNumber", params_new (NULL), number, error);
}

/**
 * lp_eth_rpc_get_block:
 * @rpc: a client
 * @block: a block number or an LP_ETH_BLOCK_ tag
 * @out: (out caller-allocates): the block's header fields
 * @error: return location for a #GError, or %NULL
 *
 * Reads a block's header (eth_getBlockByNumber, without transactions).
 *
 * Returns: %TRUE on success; %FALSE with %LP_ETH_ERROR_NOT_FOUND when the
 *     chain has no such block yet
 */
gboolean
lp_eth_rpc_get_block (LpEthRpc * rpc, gint64 block, LpEthBlock * out,
    GError ** error)
{
  static const gchar method[] = "eth_getBlockByNumber";
  Reader r = { rpc, method, NULL };
  JsonNode *false_node = json_node_new (JSON_NODE_VALUE);
  g_autoptr (JsonNode) result = NULL;
  JsonNode *base_fee;

  g_return_val_if_fail (rpc != NULL && out != NULL, FALSE);
  g_return_val_if_fail (valid_block (block), FALSE);

  json_node_set_boolean (false_node, FALSE);
  result = lp_eth_rpc_call_method (rpc, method,
      params_new (block_node (block), false_node, NULL), error);
  if (result == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (result)) {
    g_set_error (error, LP_ETH_ERROR, LP_ETH_ERROR_NOT_FOUND,
        "%s at %s: the chain has no block %" G_GINT64_FORMAT " yet", method,
        rpc->display_url, block);
    return FALSE;
  }
  memset (out, 0, sizeof (*out));
  read_u64 (&r, member (result, "number"), "number", &out->number);
  read_hash (&r, member (result, "hash"), "hash", out->hash);
  read_hash (&r, member (result, "parentHash"), "parentHash",
      out->parent_hash);
  read_u64 (&r, member (result, "timestamp"), "timestamp", &out->timestamp);
  read_u64 (&r, member (result, "gasLimit"), "gasLimit", &out->gas_limit);
  /* EIP-1559 chains have a base fee in every block, others none */
  base_fee = member (result, "baseFeePerGas");
  out->has_base_fee = !is_null (base_fee);
  if (out->has_base_fee)
    read_u256 (&r, base_fee, "baseFeePerGas", &out->base_fee_per_gas);
  return reader_finish (&r, error);
}

/**
 * lp_eth_rpc_get_block_hash:
 * @rpc: a client
 * @block: a block number or an LP_ETH_BLOCK_ tag
 * @hash: (out caller-allocates): the block's hash
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success; %FALSE with %LP_ETH_ERROR_NOT_FOUND when the
 *     chain has no such block yet
 */
gboolean
lp_eth_rpc_get_block_hash (LpEthRpc * rpc, gint64 block,
    guint8 hash[LP_KECCAK256_SIZE], GError ** error)
{
  LpEthBlock header;

  if (!lp_eth_rpc_get_block (rpc, block, &header, error))
    return FALSE;
  memcpy (hash, header.hash, LP_KECCAK256_SIZE);
  return TRUE;
}

/**
 * lp_eth_rpc_get_balance:
 * @rpc: a client
 * @address: an account
 * @block: a block number or an LP_ETH_BLOCK_ tag
 * @balance: (out caller-allocates): its balance in wei
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_eth_rpc_get_balance (LpEthRpc * rpc, const LpAddress * address,
    gint64 block, LpUint256 * balance, GError ** error)
{
  g_return_val_if_fail (rpc != NULL && address != NULL, FALSE);
  g_return_val_if_fail (balance != NULL && valid_block (block), FALSE);
  return call_quantity (rpc, "eth_getBalance", params_new (address_node
          (address), block_node (block), NULL), balance, error);
}

/**
 * lp_eth_rpc_get_transaction_count:
 * @rpc: a client
 * @address: an account
 * @block: a block number or an LP_ETH_BLOCK_ tag; %LP_ETH_BLOCK_PENDING
 *     counts the transactions in the node's pool too
 * @count: (out): how many transactions the account sent (its next nonce)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_eth_rpc_get_transaction_count (LpEthRpc * rpc, const LpAddress * address,
    gint64 block, guint64 * count, GError ** error)
{
  g_return_val_if_fail (rpc != NULL && address != NULL, FALSE);
  g_return_val_if_fail (count != NULL && valid_block (block), FALSE);
  return call_u64 (rpc, "eth_getTransactionCount", params_new (address_node
          (address), block_node (block), NULL), count, error);
}

/* ------------------------------------------------------------------------ */
/* calls and gas */

static JsonNode *
call_object (const LpEthCall * call)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  if (call->from != NULL)
    json_object_set_member (object, "from", address_node (call->from));
  if (call->to != NULL)
    json_object_set_member (object, "to", address_node (call->to));
  if (call->value != NULL)
    json_object_set_member (object, "value",
        take_string_node (lp_uint256_to_hex (call->value)));
  if (call->gas != 0)
    json_object_set_member (object, "gas", quantity_node (call->gas));
  json_object_set_member (object, "data", bytes_node (call->data));
  json_node_take_object (node, object);
  return node;
}

/**
 * lp_eth_rpc_call:
 * @rpc: a client
 * @call: the message call
 * @block: the state to run it on: a block number or an LP_ETH_BLOCK_ tag
 * @error: return location for a #GError, or %NULL
 *
 * Runs a message call without a transaction (eth_call).
 *
 * Returns: (transfer full) (nullable): the bytes it returned, or %NULL
 *     with an error; %LP_ETH_ERROR_REVERTED when it reverted, with the
 *     reason in the message and in lp_eth_error_get_revert_reason()
 */
GBytes *
lp_eth_rpc_call (LpEthRpc * rpc, const LpEthCall * call, gint64 block,
    GError ** error)
{
  Reader r = { rpc, "eth_call", NULL };
  g_autoptr (JsonNode) result = NULL;
  GBytes *bytes;

  g_return_val_if_fail (rpc != NULL && call != NULL, NULL);
  g_return_val_if_fail (valid_block (block), NULL);

  result = lp_eth_rpc_call_method (rpc, "eth_call",
      params_new (call_object (call), block_node (block), NULL), error);
  if (result == NULL)
    return NULL;
  bytes = read_data (&r, result, "result");
  if (!reader_finish (&r, error))
    return NULL;
  return bytes;
}

/**
 * lp_eth_rpc_estimate_gas:
 * @rpc: a client
 * @call: the transaction, as a message call (@call's from should be set)
 * @gas: (out): the gas it needs, as the node estimates it
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success; %FALSE with %LP_ETH_ERROR_REVERTED (and the
 *     reason) when it would revert, %LP_ETH_ERROR_INSUFFICIENT_FUNDS when
 *     the account cannot pay its value
 */
gboolean
lp_eth_rpc_estimate_gas (LpEthRpc * rpc, const LpEthCall * call,
    guint64 * gas, GError ** error)
{
  g_return_val_if_fail (rpc != NULL && call != NULL && gas != NULL, FALSE);
  return call_u64 (rpc, "eth_estimateGas", params_new (call_object (call),
          NULL), gas, error);
}

/**
 * lp_eth_rpc_gas_price:
 * @rpc: a client
 * @price: (out caller-allocates): the node's gas price for a legacy
 *     transaction (eth_gasPrice)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_eth_rpc_gas_price (LpEthRpc * rpc, LpUint256 * price, GError ** error)
{
  g_return_val_if_fail (rpc != NULL && price != NULL, FALSE);
  return call_quantity (rpc, "eth_gasPrice", params_new (NULL), price, error);
}

/**
 * lp_eth_rpc_max_priority_fee_per_gas:
 * @rpc: a client
 * @fee: (out caller-allocates): the tip the node suggests
 *     (eth_maxPriorityFeePerGas)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success; %FALSE with %LP_ETH_ERROR_RPC where the node
 *     does not know the method (chains without EIP-1559)
 */
gboolean
lp_eth_rpc_max_priority_fee_per_gas (LpEthRpc * rpc, LpUint256 * fee,
    GError ** error)
{
  g_return_val_if_fail (rpc != NULL && fee != NULL, FALSE);
  return call_quantity (rpc, "eth_maxPriorityFeePerGas", params_new (NULL),
      fee, error);
}

/**
 * lp_eth_rpc_base_fee:
 * @rpc: a client
 * @has_base_fee: (out): %FALSE where the chain has no EIP-1559 base fee
 * @base_fee: (out caller-allocates): the latest block's base fee per gas
 *     (0 without one)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_eth_rpc_base_fee (LpEthRpc * rpc, gboolean * has_base_fee,
    LpUint256 * base_fee, GError ** error)
{
  LpEthBlock latest;

  g_return_val_if_fail (has_base_fee != NULL && base_fee != NULL, FALSE);
  if (!lp_eth_rpc_get_block (rpc, LP_ETH_BLOCK_LATEST, &latest, error))
    return FALSE;
  *has_base_fee = latest.has_base_fee;
  *base_fee = latest.base_fee_per_gas;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* transactions, receipts, logs */

/**
 * lp_eth_rpc_send_raw_transaction:
 * @rpc: a client
 * @raw: a signed transaction (lp_eth_tx_sign())
 * @hash: (out caller-allocates) (optional): its hash, as the node gives it
 * @error: return location for a #GError, or %NULL
 *
 * Hands a signed transaction to the node (eth_sendRawTransaction).
 *
 * Returns: %TRUE when the node took it; %FALSE with, among others,
 *     %LP_ETH_ERROR_NONCE_TOO_LOW, %LP_ETH_ERROR_UNDERPRICED,
 *     %LP_ETH_ERROR_INSUFFICIENT_FUNDS or %LP_ETH_ERROR_ALREADY_KNOWN
 */
gboolean
lp_eth_rpc_send_raw_transaction (LpEthRpc * rpc, GBytes * raw,
    guint8 hash[LP_KECCAK256_SIZE], GError ** error)
{
  static const gchar method[] = "eth_sendRawTransaction";
  Reader r = { rpc, method, NULL };
  g_autoptr (JsonNode) result = NULL;
  guint8 ignored[LP_KECCAK256_SIZE];

  g_return_val_if_fail (rpc != NULL && raw != NULL, FALSE);

  result = lp_eth_rpc_call_method (rpc, method,
      params_new (bytes_node (raw), NULL), error);
  if (result == NULL)
    return FALSE;
  read_hash (&r, result, "result", hash ? hash : ignored);
  return reader_finish (&r, error);
}

static LpEthLog *
read_log (Reader * r, JsonNode * node)
{
  LpEthLog *log = g_new0 (LpEthLog, 1);
  JsonNode *topics = member (node, "topics");
  JsonNode *removed = member (node, "removed");
  guint i;

  read_address (r, member (node, "address"), "log's address", &log->address);
  if (topics == NULL || !JSON_NODE_HOLDS_ARRAY (topics)
      || json_array_get_length (json_node_get_array (topics)) > 4)
    reader_fail (r, "log's topics", "an array of up to 4 hashes");
  else {
    JsonArray *array = json_node_get_array (topics);

    log->n_topics = json_array_get_length (array);
    for (i = 0; i < log->n_topics; i++)
      read_hash (r, json_array_get_element (array, i), "log's topic",
          log->topics[i]);
  }
  log->data = read_data (r, member (node, "data"), "log's data");
  read_u64 (r, member (node, "blockNumber"), "log's blockNumber",
      &log->block_number);
  read_hash (r, member (node, "blockHash"), "log's blockHash",
      log->block_hash);
  read_hash (r, member (node, "transactionHash"), "log's transactionHash",
      log->transaction_hash);
  read_u64 (r, member (node, "transactionIndex"), "log's transactionIndex",
      &log->transaction_index);
  read_u64 (r, member (node, "logIndex"), "log's logIndex", &log->log_index);
  log->removed = removed != NULL && JSON_NODE_HOLDS_VALUE (removed)
      && json_node_get_boolean (removed);
  if (log->data == NULL)
    log->data = g_bytes_new (NULL, 0);
  return log;
}

static GPtrArray *
read_logs (Reader * r, JsonNode * node, const gchar * name)
{
  GPtrArray *logs = new_log_array ();
  JsonArray *array;
  guint i;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)) {
    reader_fail (r, name, "an array of logs");
    return logs;
  }
  array = json_node_get_array (node);
  for (i = 0; i < json_array_get_length (array) && r->error == NULL; i++)
    g_ptr_array_add (logs, read_log (r, json_array_get_element (array, i)));
  return logs;
}

/* "to" and "contractAddress" are null where they do not apply */
static gboolean
read_optional_address (Reader * r, JsonNode * node, const gchar * name,
    LpAddress * out)
{
  if (is_null (node))
    return FALSE;
  return read_address (r, node, name, out);
}

static LpEthReceipt *
read_receipt (Reader * r, JsonNode * node)
{
  LpEthReceipt *receipt = g_new0 (LpEthReceipt, 1);
  JsonNode *price = member (node, "effectiveGasPrice");
  guint64 status = 0;

  read_hash (r, member (node, "transactionHash"), "transactionHash",
      receipt->transaction_hash);
  read_u64 (r, member (node, "blockNumber"), "blockNumber",
      &receipt->block_number);
  read_hash (r, member (node, "blockHash"), "blockHash", receipt->block_hash);
  read_u64 (r, member (node, "transactionIndex"), "transactionIndex",
      &receipt->transaction_index);
  read_address (r, member (node, "from"), "from", &receipt->from);
  receipt->has_to = read_optional_address (r, member (node, "to"), "to",
      &receipt->to);
  receipt->has_contract_address = read_optional_address (r, member (node,
          "contractAddress"), "contractAddress", &receipt->contract_address);
  read_u64 (r, member (node, "status"), "status", &status);
  receipt->status = status == 1;
  read_u64 (r, member (node, "gasUsed"), "gasUsed", &receipt->gas_used);
  read_u64 (r, member (node, "cumulativeGasUsed"), "cumulativeGasUsed",
      &receipt->cumulative_gas_used);
  /* older nodes leave it out: the price is then the transaction's own */
  if (!is_null (price))
    read_u256 (r, price, "effectiveGasPrice", &receipt->effective_gas_price);
  receipt->logs = read_logs (r, member (node, "logs"), "logs");
  return receipt;
}

/**
 * lp_eth_rpc_get_transaction_receipt:
 * @rpc: a client
 * @hash: a transaction hash
 * @receipt: (out) (transfer full) (nullable): its receipt, or %NULL while
 *     it is not mined (or unknown to the node)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE when the node answered (with a receipt or not)
 */
gboolean
lp_eth_rpc_get_transaction_receipt (LpEthRpc * rpc,
    const guint8 hash[LP_KECCAK256_SIZE], LpEthReceipt ** receipt,
    GError ** error)
{
  static const gchar method[] = "eth_getTransactionReceipt";
  Reader r = { rpc, method, NULL };
  g_autoptr (JsonNode) result = NULL;
  LpEthReceipt *read;

  g_return_val_if_fail (rpc != NULL && hash != NULL, FALSE);
  g_return_val_if_fail (receipt != NULL, FALSE);

  *receipt = NULL;
  result = lp_eth_rpc_call_method (rpc, method,
      params_new (hash_node (hash), NULL), error);
  if (result == NULL)
    return FALSE;
  /* pending transactions have a receipt with a null block on some nodes */
  if (JSON_NODE_HOLDS_NULL (result) || is_null (member (result,
              "blockNumber")))
    return TRUE;
  read = read_receipt (&r, result);
  if (!reader_finish (&r, error)) {
    lp_eth_receipt_free (read);
    return FALSE;
  }
  *receipt = read;
  return TRUE;
}

static LpEthTransaction *
read_transaction (Reader * r, JsonNode * node)
{
  LpEthTransaction *tx = g_new0 (LpEthTransaction, 1);
  JsonNode *type = member (node, "type");
  JsonNode *block = member (node, "blockNumber");
  guint64 type_number = 0;

  read_hash (r, member (node, "hash"), "hash", tx->hash);
  if (!is_null (type))
    read_u64 (r, type, "type", &type_number);
  tx->type = (guint) MIN (type_number, G_MAXUINT);
  read_u64 (r, member (node, "nonce"), "nonce", &tx->nonce);
  read_address (r, member (node, "from"), "from", &tx->from);
  tx->has_to = read_optional_address (r, member (node, "to"), "to", &tx->to);
  read_u256 (r, member (node, "value"), "value", &tx->value);
  read_u64 (r, member (node, "gas"), "gas", &tx->gas);
  if (!is_null (member (node, "gasPrice")))
    read_u256 (r, member (node, "gasPrice"), "gasPrice", &tx->gas_price);
  if (!is_null (member (node, "maxFeePerGas")))
    read_u256 (r, member (node, "maxFeePerGas"), "maxFeePerGas",
        &tx->max_fee_per_gas);
  if (!is_null (member (node, "maxPriorityFeePerGas")))
    read_u256 (r, member (node, "maxPriorityFeePerGas"),
        "maxPriorityFeePerGas", &tx->max_priority_fee_per_gas);
  tx->input = read_data (r, member (node, "input"), "input");
  if (tx->input == NULL)
    tx->input = g_bytes_new (NULL, 0);
  tx->mined = !is_null (block);
  if (tx->mined)
    read_u64 (r, block, "blockNumber", &tx->block_number);
  return tx;
}

/**
 * lp_eth_rpc_get_transaction:
 * @rpc: a client
 * @hash: a transaction hash
 * @tx: (out) (transfer full) (nullable): the transaction, pending or
 *     mined, or %NULL when the node does not know it (never sent, or
 *     dropped from its pool)
 * @error: return location for a #GError, or %NULL
 *
 * Reads a transaction (eth_getTransactionByHash).
 *
 * Returns: %TRUE when the node answered (with a transaction or not)
 */
gboolean
lp_eth_rpc_get_transaction (LpEthRpc * rpc,
    const guint8 hash[LP_KECCAK256_SIZE], LpEthTransaction ** tx,
    GError ** error)
{
  static const gchar method[] = "eth_getTransactionByHash";
  Reader r = { rpc, method, NULL };
  g_autoptr (JsonNode) result = NULL;
  LpEthTransaction *read;

  g_return_val_if_fail (rpc != NULL && hash != NULL && tx != NULL, FALSE);

  *tx = NULL;
  result = lp_eth_rpc_call_method (rpc, method,
      params_new (hash_node (hash), NULL), error);
  if (result == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (result))
    return TRUE;
  read = read_transaction (&r, result);
  if (!reader_finish (&r, error)) {
    lp_eth_transaction_free (read);
    return FALSE;
  }
  *tx = read;
  return TRUE;
}

static JsonNode *
filter_object (const LpEthLogFilter * filter)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonArray *topics = json_array_new ();
  guint i;

  if (filter->address != NULL)
    json_object_set_member (object, "address",
        address_node (filter->address));
  json_object_set_member (object, "fromBlock",
      block_node (filter->from_block));
  json_object_set_member (object, "toBlock", block_node (filter->to_block));
  for (i = 0; i < filter->n_topics; i++) {
    if (filter->topics[i] != NULL)
      json_array_add_element (topics, hash_node (filter->topics[i]));
    else
      json_array_add_null_element (topics);
  }
  json_object_set_array_member (object, "topics", topics);
  json_node_take_object (node, object);
  return node;
}

/**
 * lp_eth_rpc_get_logs:
 * @rpc: a client
 * @filter: which logs
 * @error: return location for a #GError, or %NULL
 *
 * Reads event logs (eth_getLogs). Nodes limit the range or the number of
 * logs of one request (an %LP_ETH_ERROR_RPC error says so); ask for
 * smaller ranges then.
 *
 * Returns: (transfer full) (element-type LpEthLog) (nullable): the logs in
 *     chain order, or %NULL with an error
 */
GPtrArray *
lp_eth_rpc_get_logs (LpEthRpc * rpc, const LpEthLogFilter * filter,
    GError ** error)
{
  static const gchar method[] = "eth_getLogs";
  Reader r = { rpc, method, NULL };
  g_autoptr (JsonNode) result = NULL;
  GPtrArray *logs;

  g_return_val_if_fail (rpc != NULL && filter != NULL, NULL);
  g_return_val_if_fail (filter->n_topics <= 4, NULL);
  g_return_val_if_fail (valid_block (filter->from_block), NULL);
  g_return_val_if_fail (valid_block (filter->to_block), NULL);

  result = lp_eth_rpc_call_method (rpc, method,
      params_new (filter_object (filter), NULL), error);
  if (result == NULL)
    return NULL;
  logs = read_logs (&r, result, "result");
  if (!reader_finish (&r, error)) {
    g_ptr_array_unref (logs);
    return NULL;
  }
  return logs;
}

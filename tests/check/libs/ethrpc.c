/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of lpethrpc against a scripted JSON-RPC node in this process
 * (a SoupServer on a thread of its own): the request it sends, the node's
 * refusals sorted into LP_ETH_ERROR codes by the messages geth and anvil
 * give (nonce too low, underpriced, insufficient funds, already known, a
 * revert with Error(string) data), malformed and oversize answers, a node
 * that never answers (the request's deadline ends it with a clear error), a
 * refused connection, and the node's URL kept out of messages where it
 * holds secrets. tests/check/chain/ runs the same client against anvil.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <json-glib/json-glib.h>

#include "lpcheck.h"
#include <gst/livepeer/lpethrpc.h>

/* Error("nope") as Solidity encodes it: the selector of Error(string),
 * the offset 0x20, the length 4, "nope" padded to 32 bytes */
#define REVERT_NOPE "0x08c379a0" \
  "0000000000000000000000000000000000000000000000000000000000000020" \
  "0000000000000000000000000000000000000000000000000000000000000004" \
  "6e6f706500000000000000000000000000000000000000000000000000000000"

/* ------------------------------------------------------------------------ */
/* the scripted node */

typedef enum
{
  ANSWER_RESULT,                /* {"jsonrpc", "id": the request's, "result": text} */
  ANSWER_ERROR,                 /* {"jsonrpc", "id": the request's, "error": text} */
  ANSWER_RAW,                   /* text as it is */
} AnswerKind;

typedef struct
{
  guint status;
  AnswerKind kind;
  gchar *text;
} Answer;

typedef struct
{
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  SoupServer *server;
  gchar *url;
  GMutex lock;
  GQueue answers;               /* Answer*, the next first */
  GPtrArray *requests;          /* gchar*, the bodies received */
} FakeNode;

static void
answer_free (Answer * a)
{
  g_free (a->text);
  g_free (a);
}

/* The request's id as JSON text ("null" when it has none) */
static gchar *
request_id (const gchar * body, gsize length)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode *root, *id;

  if (!json_parser_load_from_data (parser, body, (gssize) length, NULL))
    return g_strdup ("null");
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return g_strdup ("null");
  id = json_object_get_member (json_node_get_object (root), "id");
  return id ? json_to_string (id, FALSE) : g_strdup ("null");
}

static void
fake_handler (SoupServer * server, SoupServerMessage * msg, const gchar * path,
    GHashTable * query, gpointer user_data)
{
  FakeNode *node = user_data;
  g_autoptr (GBytes) request =
      soup_message_body_flatten (soup_server_message_get_request_body (msg));
  gsize length;
  const gchar *text = g_bytes_get_data (request, &length);
  g_autofree gchar *id = request_id (text ? text : "", length);
  g_autofree gchar *body = NULL;
  Answer *answer;

  g_mutex_lock (&node->lock);
  g_ptr_array_add (node->requests, g_strndup (text, length));
  answer = g_queue_pop_head (&node->answers);
  g_mutex_unlock (&node->lock);
  if (answer == NULL) {
    soup_server_message_set_status (msg, 500, "no scripted answer left");
    return;
  }
  if (answer->kind == ANSWER_RAW)
    body = g_strdup (answer->text);
  else
    body = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%s,\"%s\":%s}", id,
        answer->kind == ANSWER_RESULT ? "result" : "error", answer->text);
  soup_server_message_set_status (msg, answer->status, NULL);
  soup_server_message_set_response (msg, "application/json",
      SOUP_MEMORY_COPY, body, strlen (body));
  answer_free (answer);
}

static gpointer
fake_thread (gpointer data)
{
  FakeNode *node = data;

  g_main_context_push_thread_default (node->context);
  g_main_loop_run (node->loop);
  g_main_context_pop_thread_default (node->context);
  return NULL;
}

static FakeNode *
fake_node_new (void)
{
  FakeNode *node = g_new0 (FakeNode, 1);
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *address;
  GError *error = NULL;
  guint port = lp_test_free_port ();

  fail_unless (port != 0, "no free port");
  g_mutex_init (&node->lock);
  g_queue_init (&node->answers);
  node->requests = g_ptr_array_new_with_free_func (g_free);
  node->context = g_main_context_new ();
  node->loop = g_main_loop_new (node->context, FALSE);
  g_main_context_push_thread_default (node->context);
  node->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (node->server, NULL, fake_handler, node, NULL);
  address = g_inet_socket_address_new (loopback, port);
  fail_unless (soup_server_listen (node->server, address, 0, &error), "%s",
      error ? error->message : "");
  g_main_context_pop_thread_default (node->context);
  g_object_unref (address);
  g_object_unref (loopback);
  node->url = g_strdup_printf ("http://127.0.0.1:%u", port);
  node->thread = g_thread_new ("fake-node", fake_thread, node);
  return node;
}

static gboolean
fake_quit (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
fake_node_free (FakeNode * node)
{
  /* from within the loop: a quit before the thread runs it would be lost
   * (g_main_context_invoke() would run it here when the thread has not
   * acquired the context yet) */
  GSource *quit = g_idle_source_new ();

  g_source_set_callback (quit, fake_quit, node->loop, NULL);
  g_source_attach (quit, node->context);
  g_source_unref (quit);
  g_thread_join (node->thread);
  soup_server_disconnect (node->server);
  g_object_unref (node->server);
  g_main_loop_unref (node->loop);
  g_main_context_unref (node->context);
  g_queue_clear_full (&node->answers, (GDestroyNotify) answer_free);
  g_ptr_array_unref (node->requests);
  g_mutex_clear (&node->lock);
  g_free (node->url);
  g_free (node);
}

static void
fake_node_script (FakeNode * node, guint status, AnswerKind kind,
    const gchar * text)
{
  Answer *answer = g_new0 (Answer, 1);

  answer->status = status;
  answer->kind = kind;
  answer->text = g_strdup (text);
  g_mutex_lock (&node->lock);
  g_queue_push_tail (&node->answers, answer);
  g_mutex_unlock (&node->lock);
}

static LpEthRpc *
client_of (const gchar * url)
{
  GError *error = NULL;
  LpEthRpc *rpc = lp_eth_rpc_new (url, &error);

  fail_unless (rpc != NULL, "%s", error ? error->message : "");
  return rpc;
}

/* A refusal of eth_sendRawTransaction with this JSON-RPC error object; the
 * error it gave */
static GError *
refused_send (FakeNode * node, LpEthRpc * rpc, const gchar * error_json)
{
  guint8 raw_bytes[] = { 0x02, 0xc0 };
  g_autoptr (GBytes) raw = g_bytes_new (raw_bytes, sizeof (raw_bytes));
  GError *error = NULL;

  fake_node_script (node, 200, ANSWER_ERROR, error_json);
  fail_if (lp_eth_rpc_send_raw_transaction (rpc, raw, NULL, &error));
  fail_unless (error != NULL);
  return error;
}

static void
assert_contains (const gchar * text, const gchar * part)
{
  fail_unless (strstr (text, part) != NULL, "'%s' is not in: %s", part, text);
}

/* ------------------------------------------------------------------------ */

GST_START_TEST (test_request_and_result)
{
  FakeNode *node = fake_node_new ();
  g_autoptr (LpEthRpc) rpc = client_of (node->url);
  g_autoptr (JsonParser) parser = json_parser_new ();
  GError *error = NULL;
  JsonObject *sent;
  guint64 number = 0;
  LpAddress who;
  LpUint256 balance;
  gchar *text;

  fake_node_script (node, 200, ANSWER_RESULT, "\"0x1b4\"");
  fail_unless (lp_eth_rpc_block_number (rpc, &number, &error), "%s",
      error ? error->message : "");
  fail_unless_equals_uint64 (number, 436);

  /* what went out: a JSON-RPC 2.0 request with its parameters */
  fail_unless (json_parser_load_from_data (parser,
          g_ptr_array_index (node->requests, 0), -1, NULL));
  sent = json_node_get_object (json_parser_get_root (parser));
  fail_unless_equals_string (json_object_get_string_member (sent, "jsonrpc"),
      "2.0");
  fail_unless_equals_string (json_object_get_string_member (sent, "method"),
      "eth_blockNumber");
  fail_unless_equals_int (json_array_get_length (json_object_get_array_member
          (sent, "params")), 0);

  memset (who.bytes, 0xab, sizeof (who.bytes));
  fake_node_script (node, 200, ANSWER_RESULT, "\"0xde0b6b3a7640000\"");
  fail_unless (lp_eth_rpc_get_balance (rpc, &who, LP_ETH_BLOCK_PENDING,
          &balance, &error), "%s", error ? error->message : "");
  lp_check_assert_u256 (&balance, "1000000000000000000");
  text = g_ascii_strdown (g_ptr_array_index (node->requests, 1), -1);
  assert_contains (text, "\"eth_getbalance\"");
  assert_contains (text,
      "[\"0xabababababababababababababababababababab\",\"pending\"]");
  g_free (text);

  /* the generic request hands the result back as JSON text */
  fake_node_script (node, 200, ANSWER_RESULT, "{\"a\":[1,2]}");
  fail_unless (lp_eth_rpc_request (rpc, "debug_anything", "[true]", &text,
          &error), "%s", error ? error->message : "");
  fail_unless_equals_string (text, "{\"a\":[1,2]}");
  g_free (text);
  fail_if (lp_eth_rpc_request (rpc, "x", "{\"not\":\"an array\"}", NULL,
          &error));
  fail_unless (g_error_matches (error, G_IO_ERROR,
          G_IO_ERROR_INVALID_ARGUMENT));
  g_clear_error (&error);

  fake_node_free (node);
}

GST_END_TEST;

GST_START_TEST (test_node_errors)
{
  FakeNode *node = fake_node_new ();
  g_autoptr (LpEthRpc) rpc = client_of (node->url);
  GError *error;

  /* geth's and anvil's words, all under -32000 */
  error = refused_send (node, rpc, "{\"code\":-32000,\"message\":"
      "\"nonce too low: next nonce 5, tx nonce 3\"}");
  fail_unless (g_error_matches (error, LP_ETH_ERROR,
          LP_ETH_ERROR_NONCE_TOO_LOW), "%s", error->message);
  fail_unless_equals_int (lp_eth_error_get_rpc_code (error), -32000);
  assert_contains (error->message, "eth_sendRawTransaction");
  assert_contains (error->message, node->url);
  assert_contains (error->message, "next nonce 5, tx nonce 3");
  g_error_free (error);

  error = refused_send (node, rpc, "{\"code\":-32000,\"message\":"
      "\"replacement transaction underpriced\"}");
  fail_unless (g_error_matches (error, LP_ETH_ERROR,
          LP_ETH_ERROR_UNDERPRICED), "%s", error->message);
  g_error_free (error);

  error = refused_send (node, rpc, "{\"code\":-32003,\"message\":"
      "\"max fee per gas less than block base fee: address 0x01, "
      "maxFeePerGas: 1 baseFee: 7\"}");
  fail_unless (g_error_matches (error, LP_ETH_ERROR,
          LP_ETH_ERROR_UNDERPRICED), "%s", error->message);
  fail_unless_equals_int (lp_eth_error_get_rpc_code (error), -32003);
  g_error_free (error);

  error = refused_send (node, rpc, "{\"code\":-32000,\"message\":"
      "\"insufficient funds for gas * price + value: balance 0, "
      "tx cost 21000\"}");
  fail_unless (g_error_matches (error, LP_ETH_ERROR,
          LP_ETH_ERROR_INSUFFICIENT_FUNDS), "%s", error->message);
  g_error_free (error);

  error = refused_send (node, rpc, "{\"code\":-32000,\"message\":"
      "\"already known\"}");
  fail_unless (g_error_matches (error, LP_ETH_ERROR,
          LP_ETH_ERROR_ALREADY_KNOWN), "%s", error->message);
  g_error_free (error);

  /* anything else keeps the node's code and words */
  error = refused_send (node, rpc, "{\"code\":-32601,\"message\":"
      "\"the method eth_sendRawTransaction does not exist\"}");
  fail_unless (g_error_matches (error, LP_ETH_ERROR, LP_ETH_ERROR_RPC), "%s",
      error->message);
  fail_unless_equals_int (lp_eth_error_get_rpc_code (error), -32601);
  assert_contains (error->message, "does not exist");
  assert_contains (error->message, "-32601");
  g_error_free (error);

  fake_node_free (node);
}

GST_END_TEST;

static GError *
reverted_call (FakeNode * node, LpEthRpc * rpc, const gchar * error_json)
{
  LpEthCall call = { 0 };
  LpAddress to;
  GError *error = NULL;

  memset (to.bytes, 0x11, sizeof (to.bytes));
  call.to = &to;
  fake_node_script (node, 200, ANSWER_ERROR, error_json);
  fail_if (lp_eth_rpc_call (rpc, &call, LP_ETH_BLOCK_LATEST, &error));
  fail_unless (g_error_matches (error, LP_ETH_ERROR, LP_ETH_ERROR_REVERTED),
      "%s", error ? error->message : "");
  return error;
}

GST_START_TEST (test_reverts)
{
  FakeNode *node = fake_node_new ();
  g_autoptr (LpEthRpc) rpc = client_of (node->url);
  GError *error;
  GBytes *data;

  /* geth: code 3, the data decoded (the message's words not used) */
  error = reverted_call (node, rpc, "{\"code\":3,\"message\":"
      "\"execution reverted\",\"data\":\"" REVERT_NOPE "\"}");
  fail_unless_equals_string (lp_eth_error_get_revert_reason (error), "nope");
  data = lp_eth_error_get_revert_data (error);
  fail_unless (data != NULL);
  fail_unless_equals_int (g_bytes_get_size (data), 4 + 3 * 32);
  fail_unless_equals_int (lp_eth_error_get_rpc_code (error), 3);
  assert_contains (error->message, "eth_call");
  assert_contains (error->message, "reverted: nope");
  g_error_free (error);

  /* anvil: -32000, the reason in the message too */
  error = reverted_call (node, rpc, "{\"code\":-32000,\"message\":"
      "\"execution reverted: revert: nope\",\"data\":\"" REVERT_NOPE "\"}");
  fail_unless_equals_string (lp_eth_error_get_revert_reason (error), "nope");
  g_error_free (error);

  /* Hardhat nests the data */
  error = reverted_call (node, rpc, "{\"code\":-32603,\"message\":"
      "\"Error: VM Exception while processing transaction: reverted with "
      "reason string 'nope'\",\"data\":{\"message\":\"x\",\"data\":\""
      REVERT_NOPE "\"}}");
  fail_unless_equals_string (lp_eth_error_get_revert_reason (error), "nope");
  g_error_free (error);

  /* no data: the reason is the message's */
  error = reverted_call (node, rpc, "{\"code\":-32000,\"message\":"
      "\"execution reverted: not enough stake\"}");
  fail_unless_equals_string (lp_eth_error_get_revert_reason (error),
      "not enough stake");
  fail_unless (lp_eth_error_get_revert_data (error) == NULL);
  g_error_free (error);

  /* a bare revert: no reason, and the message says so */
  error = reverted_call (node, rpc, "{\"code\":3,\"message\":"
      "\"execution reverted\",\"data\":\"0x\"}");
  fail_unless (lp_eth_error_get_revert_reason (error) == NULL);
  assert_contains (error->message, "no reason given");
  g_error_free (error);

  fake_node_free (node);
}

GST_END_TEST;

static GError *
bad_block_number (FakeNode * node, LpEthRpc * rpc, guint status,
    AnswerKind kind, const gchar * text)
{
  GError *error = NULL;
  guint64 number;

  fake_node_script (node, status, kind, text);
  fail_if (lp_eth_rpc_block_number (rpc, &number, &error),
      "took the answer %s", text);
  fail_unless (error != NULL);
  return error;
}

static void
assert_bad_answer (FakeNode * node, LpEthRpc * rpc, AnswerKind kind,
    const gchar * text, const gchar * said)
{
  GError *error = bad_block_number (node, rpc, 200, kind, text);

  fail_unless (g_error_matches (error, LP_ETH_ERROR,
          LP_ETH_ERROR_BAD_ANSWER), "%s: %s", text, error->message);
  assert_contains (error->message, "eth_blockNumber");
  assert_contains (error->message, said);
  g_error_free (error);
}

GST_START_TEST (test_malformed_answers)
{
  FakeNode *node = fake_node_new ();
  g_autoptr (LpEthRpc) rpc = client_of (node->url);
  GError *error;

  assert_bad_answer (node, rpc, ANSWER_RAW, "<html>hello</html>",
      "not a JSON object");
  assert_bad_answer (node, rpc, ANSWER_RAW, "[1,2,3]", "not a JSON object");
  assert_bad_answer (node, rpc, ANSWER_RAW, "{\"jsonrpc\":\"2.0\",\"id\":1,",
      "not a JSON object");
  assert_bad_answer (node, rpc, ANSWER_RAW,
      "{\"jsonrpc\":\"2.0\",\"id\":987654,\"result\":\"0x1\"}",
      "the answer's id is not the request's");
  assert_bad_answer (node, rpc, ANSWER_RAW, "{\"jsonrpc\":\"2.0\"}",
      "neither a result nor an error");
  /* a QUANTITY is "0x" and 1 to 64 hex digits */
  assert_bad_answer (node, rpc, ANSWER_RESULT, "\"12\"", "a hex quantity");
  assert_bad_answer (node, rpc, ANSWER_RESULT, "\"0x\"", "a hex quantity");
  assert_bad_answer (node, rpc, ANSWER_RESULT, "\"0xg1\"", "a hex quantity");
  assert_bad_answer (node, rpc, ANSWER_RESULT, "12", "a hex quantity");
  assert_bad_answer (node, rpc, ANSWER_RESULT, "null", "a hex quantity");
  assert_bad_answer (node, rpc, ANSWER_RESULT, "\"0x1"
      "0000000000000000000000000000000000000000000000000000000000000000\"",
      "a hex quantity");
  assert_bad_answer (node, rpc, ANSWER_RESULT, "\"0x10000000000000000\"",
      "below 2^64");

  /* an HTTP error without JSON-RPC: a transport error naming the status */
  error = bad_block_number (node, rpc, 502, ANSWER_RAW, "Bad Gateway");
  fail_unless (g_error_matches (error, LP_ETH_ERROR, LP_ETH_ERROR_TRANSPORT),
      "%s", error->message);
  assert_contains (error->message, "HTTP 502");
  g_error_free (error);

  /* a JSON-RPC error in an HTTP error (proxies, rate limits): the node's */
  error = bad_block_number (node, rpc, 429, ANSWER_ERROR,
      "{\"code\":-32005,\"message\":\"rate limit exceeded\"}");
  fail_unless (g_error_matches (error, LP_ETH_ERROR, LP_ETH_ERROR_RPC), "%s",
      error->message);
  assert_contains (error->message, "rate limit exceeded");
  g_error_free (error);

  fake_node_free (node);
}

GST_END_TEST;

GST_START_TEST (test_oversize_answer)
{
  FakeNode *node = fake_node_new ();
  g_autoptr (LpEthRpc) rpc = client_of (node->url);
  g_autofree gchar *big = NULL;
  g_autofree gchar *padding = g_strnfill (100000, ' ');
  GError *error = NULL;
  guint64 number = 0;

  lp_eth_rpc_set_max_answer_size (rpc, 4096);
  /* valid JSON, but 100 kB of it */
  big = g_strdup_printf ("\"0x1\"%s", padding);
  fake_node_script (node, 200, ANSWER_RESULT, big);
  fail_if (lp_eth_rpc_block_number (rpc, &number, &error));
  fail_unless (g_error_matches (error, LP_ETH_ERROR,
          LP_ETH_ERROR_BAD_ANSWER), "%s", error->message);
  assert_contains (error->message, "larger than 4096 bytes");
  g_clear_error (&error);

  /* the same client goes on with answers within the limit */
  fake_node_script (node, 200, ANSWER_RESULT, "\"0x2a\"");
  fail_unless (lp_eth_rpc_block_number (rpc, &number, &error), "%s",
      error ? error->message : "");
  fail_unless_equals_uint64 (number, 42);

  fake_node_free (node);
}

GST_END_TEST;

/* A node that takes connections and never answers: a listening socket
 * nobody accepts on (the kernel completes the handshake and keeps the
 * request) */
static GSocket *
silent_node (gchar ** url)
{
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4,
      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  guint port = lp_test_free_port ();
  GSocketAddress *address = g_inet_socket_address_new (loopback, port);
  GError *error = NULL;

  fail_unless (port != 0 && socket != NULL);
  fail_unless (g_socket_bind (socket, address, TRUE, &error)
      && g_socket_listen (socket, &error), "%s", error ? error->message : "");
  g_object_unref (address);
  g_object_unref (loopback);
  *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  return socket;
}

GST_START_TEST (test_timeout)
{
  g_autofree gchar *url = NULL;
  GSocket *silent = silent_node (&url);
  g_autoptr (LpEthRpc) rpc = client_of (url);
  GError *error = NULL;
  guint64 number;
  gint64 start, elapsed_ms;

  fail_unless_equals_int (lp_eth_rpc_get_timeout (rpc),
      LP_ETH_RPC_DEFAULT_TIMEOUT_MS);
  lp_eth_rpc_set_timeout (rpc, 400);
  fail_unless_equals_int (lp_eth_rpc_get_timeout (rpc), 400);
  start = g_get_monotonic_time ();
  fail_if (lp_eth_rpc_block_number (rpc, &number, &error));
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  fail_unless (g_error_matches (error, LP_ETH_ERROR, LP_ETH_ERROR_TIMEOUT),
      "%s", error->message);
  assert_contains (error->message, "eth_blockNumber");
  assert_contains (error->message, "no answer within 0.4 s");
  assert_contains (error->message, url);
  /* the deadline, not an I/O timeout of libsoup's, ended it */
  fail_unless (elapsed_ms >= 390 && elapsed_ms < 3000, "took %" G_GINT64_FORMAT
      " ms", elapsed_ms);
  g_clear_error (&error);

  /* the caller's cancellable ends a request before its deadline, and it is
   * a cancellation, not a timeout */
  {
    GCancellable *cancellable = g_cancellable_new ();

    lp_eth_rpc_set_timeout (rpc, 60000);
    g_cancellable_cancel (cancellable);
    g_cancellable_push_current (cancellable);
    fail_if (lp_eth_rpc_block_number (rpc, &number, &error));
    g_cancellable_pop_current (cancellable);
    fail_unless (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED),
        "%s", error->message);
    g_clear_error (&error);
    g_object_unref (cancellable);
  }

  g_socket_close (silent, NULL);
  g_object_unref (silent);
}

GST_END_TEST;

GST_START_TEST (test_connection_refused)
{
  guint port = lp_test_free_port ();
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr (LpEthRpc) rpc = client_of (url);
  GError *error = NULL;
  guint64 chain_id;
  gint64 start = g_get_monotonic_time ();

  fail_unless (port != 0);
  fail_if (lp_eth_rpc_chain_id (rpc, &chain_id, &error));
  fail_unless (g_error_matches (error, LP_ETH_ERROR, LP_ETH_ERROR_TRANSPORT),
      "%s", error->message);
  assert_contains (error->message, "eth_chainId");
  assert_contains (error->message, "cannot reach the Ethereum node");
  assert_contains (error->message, url);
  /* at once, not at the deadline */
  fail_unless (g_get_monotonic_time () - start < 2 * G_USEC_PER_SEC);
  g_clear_error (&error);
}

GST_END_TEST;

GST_START_TEST (test_url_secrets)
{
  FakeNode *node = fake_node_new ();
  g_autofree gchar *url = g_strdup_printf ("http://me:secret@%s/v3/KEY123",
      node->url + strlen ("http://"));
  g_autoptr (LpEthRpc) rpc = client_of (url);
  GError *error = NULL;
  guint64 chain_id;

  fail_unless_equals_string (lp_eth_rpc_get_url (rpc), url);
  error = bad_block_number (node, rpc, 200, ANSWER_RAW, "nonsense");
  fail_if (strstr (error->message, "secret") != NULL, "%s", error->message);
  fail_if (strstr (error->message, "KEY123") != NULL, "%s", error->message);
  assert_contains (error->message, node->url + strlen ("http://"));
  g_clear_error (&error);

  /* and the path is where the request goes */
  fake_node_script (node, 200, ANSWER_RESULT, "\"0xa4b1\"");
  fail_unless (lp_eth_rpc_chain_id (rpc, &chain_id, &error), "%s",
      error ? error->message : "");
  fail_unless_equals_uint64 (chain_id, 42161);

  fail_if (lp_eth_rpc_new ("ws://127.0.0.1:8545", &error));
  fail_unless (g_error_matches (error, G_IO_ERROR,
          G_IO_ERROR_INVALID_ARGUMENT));
  g_clear_error (&error);
  fail_if (lp_eth_rpc_new ("localhost:8545", &error));
  g_clear_error (&error);

  fake_node_free (node);
}

GST_END_TEST;

GST_START_TEST (test_receipt_pending_and_mined)
{
  FakeNode *node = fake_node_new ();
  g_autoptr (LpEthRpc) rpc = client_of (node->url);
  g_autoptr (LpEthReceipt) receipt = NULL;
  guint8 hash[LP_KECCAK256_SIZE];
  GError *error = NULL;

  memset (hash, 0x42, sizeof (hash));
  /* not mined yet: no receipt, and no error */
  fake_node_script (node, 200, ANSWER_RESULT, "null");
  fail_unless (lp_eth_rpc_get_transaction_receipt (rpc, hash, &receipt,
          &error), "%s", error ? error->message : "");
  fail_unless (receipt == NULL);

  fake_node_script (node, 200, ANSWER_RESULT, "{"
      "\"transactionHash\":\"0x4242424242424242424242424242424242424242424242"
      "424242424242424242\",\"blockNumber\":\"0x10\",\"blockHash\":\"0x0101010"
      "101010101010101010101010101010101010101010101010101010101\","
      "\"transactionIndex\":\"0x0\",\"from\":\"0xF39FD6E51AAD88F6F4CE6AB8827279"
      "CFFFB92266\",\"to\":null,\"contractAddress\":\"0x5fbdb2315678afecb367f03"
      "2d93f642f64180aa3\",\"status\":\"0x0\",\"gasUsed\":\"0x5208\","
      "\"cumulativeGasUsed\":\"0x5208\",\"effectiveGasPrice\":\"0x3b9aca00\","
      "\"logs\":[]}");
  fail_unless (lp_eth_rpc_get_transaction_receipt (rpc, hash, &receipt,
          &error), "%s", error ? error->message : "");
  fail_unless (receipt != NULL);
  fail_unless_equals_uint64 (receipt->block_number, 16);
  fail_if (receipt->status);
  fail_if (receipt->has_to);
  fail_unless (receipt->has_contract_address);
  fail_unless_equals_uint64 (receipt->gas_used, 21000);
  lp_check_assert_u256 (&receipt->effective_gas_price, "1000000000");

  fake_node_free (node);
}

GST_END_TEST;

/* The client's timer thread may not run yet when the last reference goes:
 * the unref must not hang (it did, on a quit before the loop ran) */
GST_START_TEST (test_new_and_unref_at_once)
{
  guint i;

  for (i = 0; i < 500; i++) {
    LpEthRpc *rpc = client_of ("http://127.0.0.1:9");

    lp_eth_rpc_unref (rpc);
  }
}

GST_END_TEST;

static Suite *
ethrpc_suite (void)
{
  Suite *s = suite_create ("lpethrpc");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_request_and_result);
  tcase_add_test (tc, test_node_errors);
  tcase_add_test (tc, test_reverts);
  tcase_add_test (tc, test_malformed_answers);
  tcase_add_test (tc, test_oversize_answer);
  tcase_add_test (tc, test_timeout);
  tcase_add_test (tc, test_connection_refused);
  tcase_add_test (tc, test_url_secrets);
  tcase_add_test (tc, test_receipt_pending_and_mined);
  tcase_add_test (tc, test_new_and_unref_at_once);

  return s;
}

GST_CHECK_MAIN (ethrpc);

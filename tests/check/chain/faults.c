/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Faults of a real chain, met by lpethsender and lpethrpc against anvil
 * (LP_TEST_ANVIL, set by anvil.sh): the node stopped while a transaction
 * waits and restarted from its saved state, a slow node (a proxy here holds
 * its answers past the request deadline), a transaction dropped from the
 * pool, a nonce taken by another client of the same key, a stuck
 * transaction replaced with higher fees and a replacement the pool refuses
 * as underpriced, reverts with their decoded reason, and an account that
 * cannot pay. Each test checks
 * the chain afterwards: every transfer landed exactly once (the account's
 * nonce and the recipients' balances), and each error says what happened.
 * Plain transfers, and a hand-assembled contract that reverts.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <signal.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "lpcheck.h"
#include <gst/livepeer/lpethrpc.h>
#include <gst/livepeer/lpethsender.h>
#include <gst/livepeer/lpethtx.h>

#define GWEI 1000000000ULL

/* ------------------------------------------------------------------------ */
/* anvil */

typedef struct
{
  gchar *dir;                   /* its saved state, when it has one */
  guint port;
  gchar *url;
  GSubprocess *process;
  LpEthRpc *rpc;                /* the test's own client */
} Anvil;

static void
anvil_start (Anvil * a, gboolean with_state)
{
  const gchar *binary = g_getenv ("LP_TEST_ANVIL");
  g_autofree gchar *port = g_strdup_printf ("%u", a->port);
  g_autofree gchar *state = g_build_filename (a->dir, "state.json", NULL);
  const gchar *argv[] = { binary, "--host", "127.0.0.1", "--port", port,
    "--quiet", with_state ? "--state" : NULL, state, NULL
  };
  GError *error = NULL;
  gint64 give_up = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint64 chain_id;

  fail_unless (binary != NULL, "LP_TEST_ANVIL is not set (run through "
      "tests/check/chain/anvil.sh)");
  a->process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
      &error);
  fail_unless (a->process != NULL, "%s", error ? error->message : "");
  /* ready when it answers */
  while (!lp_eth_rpc_chain_id (a->rpc, &chain_id, NULL)) {
    fail_if (g_subprocess_get_identifier (a->process) == NULL, "anvil exited");
    fail_unless (g_get_monotonic_time () < give_up, "anvil did not start");
    g_usleep (50000);
  }
}

static Anvil *
anvil_new (gboolean with_state)
{
  Anvil *a = g_new0 (Anvil, 1);
  GError *error = NULL;

  a->dir = g_dir_make_tmp ("lp-chain-XXXXXX", &error);
  fail_unless (a->dir != NULL, "%s", error ? error->message : "");
  a->port = lp_test_free_port ();
  fail_unless (a->port != 0, "no free port");
  a->url = g_strdup_printf ("http://127.0.0.1:%u", a->port);
  a->rpc = lp_eth_rpc_new (a->url, &error);
  fail_unless (a->rpc != NULL, "%s", error ? error->message : "");
  lp_eth_rpc_set_timeout (a->rpc, 5000);
  anvil_start (a, with_state);
  return a;
}

/* SIGTERM: anvil saves its state (with --state) and exits */
static void
anvil_stop (Anvil * a)
{
  GError *error = NULL;

  g_subprocess_send_signal (a->process, SIGTERM);
  fail_unless (g_subprocess_wait (a->process, NULL, &error), "%s",
      error ? error->message : "");
  g_clear_object (&a->process);
}

static void
anvil_free (Anvil * a)
{
  if (a->process != NULL)
    anvil_stop (a);
  lp_eth_rpc_unref (a->rpc);
  lp_check_remove_tree (a->dir);
  g_free (a->dir);
  g_free (a->url);
  g_free (a);
}

/* A request that must succeed; its result as JSON text */
static gchar *
node_call (Anvil * a, const gchar * method, const gchar * params)
{
  GError *error = NULL;
  gchar *result = NULL;

  fail_unless (lp_eth_rpc_request (a->rpc, method, params, &result, &error),
      "%s: %s", method, error ? error->message : "");
  return result;
}

static void
node_do (Anvil * a, const gchar * method, const gchar * params)
{
  g_free (node_call (a, method, params));
}

static void
set_automine (Anvil * a, gboolean on)
{
  node_do (a, "evm_setAutomine", on ? "[true]" : "[false]");
}

static LpPrivateKey *
funded_key (Anvil * a)
{
  GError *error = NULL;
  LpPrivateKey *key = lp_private_key_generate (&error);
  g_autofree gchar *address = NULL;
  g_autofree gchar *params = NULL;

  fail_unless (key != NULL, "%s", error ? error->message : "");
  address = lp_address_to_string (lp_private_key_get_address (key));
  /* 100 ETH */
  params = g_strdup_printf ("[\"%s\", \"0x56bc75e2d63100000\"]", address);
  node_do (a, "anvil_setBalance", params);
  return key;
}

static LpAddress
random_address (void)
{
  LpAddress address;
  guint i;

  for (i = 0; i < sizeof (address.bytes); i++)
    address.bytes[i] = g_random_int_range (0, 256);
  return address;
}

static guint64
nonce_at (Anvil * a, const LpAddress * who, gint64 block)
{
  GError *error = NULL;
  guint64 count = 0;

  fail_unless (lp_eth_rpc_get_transaction_count (a->rpc, who, block, &count,
          &error), "%s", error ? error->message : "");
  return count;
}

static void
assert_balance (Anvil * a, const LpAddress * who, guint64 expected)
{
  GError *error = NULL;
  LpUint256 balance;
  g_autofree gchar *text = g_strdup_printf ("%" G_GUINT64_FORMAT, expected);

  fail_unless (lp_eth_rpc_get_balance (a->rpc, who, LP_ETH_BLOCK_LATEST,
          &balance, &error), "%s", error ? error->message : "");
  lp_check_assert_u256 (&balance, text);
}

/* Waits until the node's pool holds @count transactions of @who */
static void
wait_in_pool (Anvil * a, const LpAddress * who, guint64 count)
{
  gint64 give_up = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

  while (nonce_at (a, who, LP_ETH_BLOCK_PENDING) - nonce_at (a, who,
          LP_ETH_BLOCK_LATEST) != count) {
    fail_unless (g_get_monotonic_time () < give_up, "the pool never held %"
        G_GUINT64_FORMAT " transactions", count);
    g_usleep (20000);
  }
}

/* The pool's transaction of @who at @nonce (txpool_content): its hash and
 * fee cap */
static gboolean
pool_tx (Anvil * a, const LpAddress * who, guint64 nonce, gchar ** hash,
    guint64 * max_fee)
{
  g_autofree gchar *content = node_call (a, "txpool_content", "[]");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree gchar *address = lp_address_to_string (who);
  g_autofree gchar *nonce_text = g_strdup_printf ("%" G_GUINT64_FORMAT,
      nonce);
  JsonObject *pending, *txs = NULL, *tx;
  GList *members, *l;
  LpUint256 fee;

  fail_unless (json_parser_load_from_data (parser, content, -1, NULL));
  pending = json_object_get_object_member (json_node_get_object
      (json_parser_get_root (parser)), "pending");
  members = json_object_get_members (pending);
  for (l = members; l != NULL; l = l->next)
    if (g_ascii_strcasecmp (l->data, address) == 0)
      txs = json_object_get_object_member (pending, l->data);
  g_list_free (members);
  if (txs == NULL || !json_object_has_member (txs, nonce_text))
    return FALSE;
  tx = json_object_get_object_member (txs, nonce_text);
  *hash = g_strdup (json_object_get_string_member (tx, "hash"));
  fail_unless (lp_uint256_parse (json_object_get_string_member (tx,
              "maxFeePerGas"), &fee, NULL));
  fail_unless (lp_uint256_to_uint64 (&fee, max_fee, NULL));
  return TRUE;
}

static LpEthSender *
quick_sender (LpEthRpc * rpc, LpPrivateKey * key)
{
  LpEthSender *sender = lp_eth_sender_new (rpc, key);

  lp_eth_sender_set_poll_interval (sender, 50);
  lp_eth_sender_set_receipt_timeout (sender, 30000);
  return sender;
}

static void
transfer_ok (LpEthSender * sender, const LpAddress * to, guint64 wei)
{
  GError *error = NULL;
  LpUint256 value;

  lp_uint256_from_uint64 (wei, &value);
  fail_unless (lp_eth_sender_transact (sender, to, &value, NULL, NULL,
          &error), "%s", error ? error->message : "");
}

static void
assert_contains (const gchar * text, const gchar * part)
{
  fail_unless (strstr (text, part) != NULL, "'%s' is not in: %s", part, text);
}

/* Another program with the same key: a transfer of @wei at @nonce, sent
 * raw, with fees of its own */
static void
send_other (Anvil * a, LpPrivateKey * key, guint64 nonce, const LpAddress * to,
    guint64 wei, guint64 max_fee, guint64 tip)
{
  g_auto (LpEthTx) tx = { 0 };
  g_autoptr (GBytes) raw = NULL;
  GError *error = NULL;

  lp_eth_tx_init (&tx);
  tx.type = LP_ETH_TX_EIP1559;
  fail_unless (lp_eth_rpc_chain_id (a->rpc, &tx.chain_id, &error), "%s",
      error ? error->message : "");
  tx.nonce = nonce;
  tx.gas_limit = 21000;
  tx.has_to = TRUE;
  tx.to = *to;
  lp_uint256_from_uint64 (wei, &tx.value);
  lp_uint256_from_uint64 (max_fee, &tx.max_fee_per_gas);
  lp_uint256_from_uint64 (tip, &tx.max_priority_fee_per_gas);
  raw = lp_eth_tx_sign (&tx, key, NULL, &error);
  fail_unless (raw != NULL, "%s", error ? error->message : "");
  fail_unless (lp_eth_rpc_send_raw_transaction (a->rpc, raw, NULL, &error),
      "%s", error ? error->message : "");
}

/* ------------------------------------------------------------------------ */
/* a transaction on a thread of its own, while the test plays the fault */

typedef struct
{
  LpEthSender *sender;
  LpAddress to;
  LpUint256 value;
  GThread *thread;
  gboolean ok;
  GError *error;
  LpEthReceipt *receipt;
} Job;

static gpointer
job_main (gpointer data)
{
  Job *job = data;
  LpEthTxRequest request = { &job->to, &job->value, NULL, 0 };

  job->ok = lp_eth_sender_transact_full (job->sender, &request, NULL,
      &job->receipt, &job->error);
  return NULL;
}

static Job *
job_start (LpEthSender * sender, const LpAddress * to, guint64 wei)
{
  Job *job = g_new0 (Job, 1);

  job->sender = lp_eth_sender_ref (sender);
  job->to = *to;
  lp_uint256_from_uint64 (wei, &job->value);
  job->thread = g_thread_new ("transact", job_main, job);
  return job;
}

/* Joins the job, which must have succeeded; its receipt */
static LpEthReceipt *
job_finish (Job * job)
{
  LpEthReceipt *receipt;

  g_thread_join (job->thread);
  fail_unless (job->ok, "%s", job->error ? job->error->message : "");
  receipt = job->receipt;
  lp_eth_sender_unref (job->sender);
  g_free (job);
  return receipt;
}

/* ------------------------------------------------------------------------ */
/* (a) the node stopped while a transaction waits, restarted from its
 * saved state */

GST_START_TEST (test_node_stopped_and_restarted)
{
  Anvil *a = anvil_new (TRUE);
  LpPrivateKey *key = funded_key (a);
  g_autoptr (LpEthSender) sender = quick_sender (a->rpc, key);
  const LpAddress *from = lp_private_key_get_address (key);
  LpAddress to = random_address ();
  g_autoptr (LpEthReceipt) receipt = NULL;
  GError *error = NULL;
  LpUint256 value;
  Job *job;

  transfer_ok (sender, &to, 1000);

  /* the second waits in the pool when the node goes */
  set_automine (a, FALSE);
  job = job_start (sender, &to, 2000);
  wait_in_pool (a, from, 1);
  anvil_stop (a);

  /* meanwhile a new transaction fails at once, saying why, and sends
   * nothing */
  lp_uint256_from_uint64 (4000, &value);
  fail_if (lp_eth_sender_transact (sender, &to, &value, NULL, NULL, &error));
  fail_unless (g_error_matches (error, LP_ETH_ERROR, LP_ETH_ERROR_TRANSPORT),
      "%s", error->message);
  assert_contains (error->message, "was not sent");
  assert_contains (error->message, "cannot reach the Ethereum node");
  g_clear_error (&error);
  g_usleep (500000);

  /* back, from the saved chain: the waiting one is mined, once */
  anvil_start (a, TRUE);
  receipt = job_finish (job);
  fail_unless (receipt->status);
  fail_unless_equals_uint64 (nonce_at (a, from, LP_ETH_BLOCK_LATEST), 2);
  fail_unless_equals_uint64 (nonce_at (a, from, LP_ETH_BLOCK_PENDING), 2);
  assert_balance (a, &to, 3000);

  /* and the sender goes on where it was */
  transfer_ok (sender, &to, 5000);
  fail_unless_equals_uint64 (nonce_at (a, from, LP_ETH_BLOCK_LATEST), 3);
  assert_balance (a, &to, 8000);

  lp_private_key_unref (key);
  anvil_free (a);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* (b) a slow node: a TCP proxy that holds the node's answers */

typedef struct
{
  GSocket *listener;
  guint port;
  gchar *url;
  guint upstream_port;
  GThread *acceptor;
  GMutex lock;
  GPtrArray *threads;           /* GThread*, the pumps */
  GPtrArray *sockets;           /* GSocket*, every connection's */
  GPtrArray *pipes;             /* Pipe*, freed with the proxy */
  gboolean stopping;
  guint delay_ms;               /* every answer */
  gchar *delay_method;          /* only the answers to requests with this */
  guint delay_method_ms;
  gint held;                    /* atomic: answers held back so far */
} Proxy;

typedef struct
{
  Proxy *proxy;
  GSocket *client;
  GSocket *upstream;
  gint delay_next_ms;           /* atomic: the held answer's delay */
} Pipe;

static guint
proxy_delay_for (Proxy * p, const gchar * request, gssize length)
{
  guint delay;

  g_mutex_lock (&p->lock);
  delay = p->delay_ms;
  if (p->delay_method != NULL
      && g_strstr_len (request, length, p->delay_method) != NULL)
    delay = MAX (delay, p->delay_method_ms);
  g_mutex_unlock (&p->lock);
  return delay;
}

static gboolean
proxy_stopping (Proxy * p)
{
  gboolean stopping;

  g_mutex_lock (&p->lock);
  stopping = p->stopping;
  g_mutex_unlock (&p->lock);
  return stopping;
}

/* client -> node: notes how long the answer to this request is held */
static gpointer
pump_requests (gpointer data)
{
  Pipe *pipe = data;
  gchar chunk[65536];
  gssize n;

  while ((n = g_socket_receive (pipe->client, chunk, sizeof (chunk), NULL,
              NULL)) > 0) {
    g_atomic_int_set (&pipe->delay_next_ms,
        (gint) proxy_delay_for (pipe->proxy, chunk, n));
    if (g_socket_send (pipe->upstream, chunk, n, NULL, NULL) != n)
      break;
  }
  g_socket_shutdown (pipe->upstream, FALSE, TRUE, NULL);
  return NULL;
}

/* node -> client, after the delay */
static gpointer
pump_answers (gpointer data)
{
  Pipe *pipe = data;
  gchar chunk[65536];
  gssize n;

  while ((n = g_socket_receive (pipe->upstream, chunk, sizeof (chunk), NULL,
              NULL)) > 0) {
    gint64 until = g_get_monotonic_time () +
        (gint64) g_atomic_int_get (&pipe->delay_next_ms) * 1000;

    if (g_get_monotonic_time () < until)
      g_atomic_int_inc (&pipe->proxy->held);
    while (g_get_monotonic_time () < until && !proxy_stopping (pipe->proxy))
      g_usleep (10000);
    if (g_socket_send (pipe->client, chunk, n, NULL, NULL) != n)
      break;
  }
  g_socket_shutdown (pipe->client, FALSE, TRUE, NULL);
  return NULL;
}

static GSocket *
connect_upstream (guint port)
{
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *address = g_inet_socket_address_new (loopback, port);
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
      G_SOCKET_PROTOCOL_TCP, NULL);

  if (!g_socket_connect (socket, address, NULL, NULL))
    g_clear_object (&socket);
  g_object_unref (address);
  g_object_unref (loopback);
  return socket;
}

static gpointer
proxy_accept (gpointer data)
{
  Proxy *p = data;
  GSocket *client;

  while ((client = g_socket_accept (p->listener, NULL, NULL)) != NULL) {
    Pipe *pipe = g_new0 (Pipe, 1);

    pipe->proxy = p;
    pipe->client = client;
    pipe->upstream = connect_upstream (p->upstream_port);
    if (pipe->upstream == NULL) {
      g_object_unref (client);
      g_free (pipe);
      continue;
    }
    g_mutex_lock (&p->lock);
    /* the pipe lives until the proxy goes: its sockets are in the list */
    g_ptr_array_add (p->sockets, pipe->client);
    g_ptr_array_add (p->sockets, pipe->upstream);
    g_ptr_array_add (p->threads, g_thread_new ("pump", pump_requests, pipe));
    g_ptr_array_add (p->threads, g_thread_new ("pump", pump_answers, pipe));
    g_ptr_array_add (p->pipes, pipe);
    g_mutex_unlock (&p->lock);
  }
  return NULL;
}

static Proxy *
proxy_new (guint upstream_port)
{
  Proxy *p = g_new0 (Proxy, 1);
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *address;
  GError *error = NULL;

  p->upstream_port = upstream_port;
  p->port = lp_test_free_port ();
  fail_unless (p->port != 0, "no free port");
  address = g_inet_socket_address_new (loopback, p->port);
  p->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
      G_SOCKET_PROTOCOL_TCP, NULL);
  fail_unless (g_socket_bind (p->listener, address, TRUE, &error)
      && g_socket_listen (p->listener, &error), "%s",
      error ? error->message : "");
  g_object_unref (address);
  g_object_unref (loopback);
  g_mutex_init (&p->lock);
  p->threads = g_ptr_array_new ();
  p->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  p->pipes = g_ptr_array_new_with_free_func (g_free);
  p->url = g_strdup_printf ("http://127.0.0.1:%u", p->port);
  p->acceptor = g_thread_new ("proxy", proxy_accept, p);
  return p;
}

static void
proxy_set_delay (Proxy * p, guint all_ms, const gchar * method, guint method_ms)
{
  g_mutex_lock (&p->lock);
  p->delay_ms = all_ms;
  g_free (p->delay_method);
  p->delay_method = g_strdup (method);
  p->delay_method_ms = method_ms;
  g_mutex_unlock (&p->lock);
}

static void
proxy_free (Proxy * p)
{
  guint i;

  g_mutex_lock (&p->lock);
  p->stopping = TRUE;
  for (i = 0; i < p->sockets->len; i++)
    g_socket_shutdown (p->sockets->pdata[i], TRUE, TRUE, NULL);
  g_mutex_unlock (&p->lock);
  g_socket_shutdown (p->listener, TRUE, TRUE, NULL);
  g_socket_close (p->listener, NULL);
  g_thread_join (p->acceptor);
  /* no new pipes now */
  for (i = 0; i < p->threads->len; i++)
    g_thread_join (p->threads->pdata[i]);
  g_ptr_array_unref (p->threads);
  g_ptr_array_unref (p->sockets);
  g_ptr_array_unref (p->pipes);
  g_object_unref (p->listener);
  g_mutex_clear (&p->lock);
  g_free (p->delay_method);
  g_free (p->url);
  g_free (p);
}

GST_START_TEST (test_slow_node)
{
  Anvil *a = anvil_new (FALSE);
  Proxy *proxy = proxy_new (a->port);
  LpPrivateKey *key = funded_key (a);
  g_autoptr (LpEthRpc) slow = NULL;
  g_autoptr (LpEthSender) sender = NULL;
  const LpAddress *from = lp_private_key_get_address (key);
  LpAddress to = random_address ();
  GError *error = NULL;
  LpUint256 value;
  gint64 start, elapsed_ms;
  gint held;

  slow = lp_eth_rpc_new (proxy->url, &error);
  fail_unless (slow != NULL, "%s", error ? error->message : "");
  lp_eth_rpc_set_timeout (slow, 400);
  sender = quick_sender (slow, key);

  /* every answer 1.5 s late: a timeout past the deadline, nothing sent */
  proxy_set_delay (proxy, 1500, NULL, 0);
  lp_uint256_from_uint64 (1000, &value);
  start = g_get_monotonic_time ();
  fail_if (lp_eth_sender_transact (sender, &to, &value, NULL, NULL, &error));
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  fail_unless (g_error_matches (error, LP_ETH_ERROR, LP_ETH_ERROR_TIMEOUT),
      "%s", error->message);
  assert_contains (error->message, "was not sent");
  assert_contains (error->message, "no answer within 0.4 s");
  fail_unless (elapsed_ms < 1400, "took %" G_GINT64_FORMAT " ms", elapsed_ms);
  g_clear_error (&error);
  fail_unless_equals_uint64 (nonce_at (a, from, LP_ETH_BLOCK_PENDING), 0);

  /* fast again: it goes through */
  proxy_set_delay (proxy, 0, NULL, 0);
  transfer_ok (sender, &to, 1000);
  fail_unless_equals_uint64 (nonce_at (a, from, LP_ETH_BLOCK_LATEST), 1);

  /* only the answer to eth_sendRawTransaction is late: the node took the
   * transaction, the sender does not know; it must neither lose it nor
   * send a second one */
  proxy_set_delay (proxy, 0, "eth_sendRawTransaction", 1500);
  held = g_atomic_int_get (&proxy->held);
  transfer_ok (sender, &to, 2000);
  fail_unless (g_atomic_int_get (&proxy->held) > held,
      "the proxy held no answer back");
  proxy_set_delay (proxy, 0, NULL, 0);
  transfer_ok (sender, &to, 4000);
  fail_unless_equals_uint64 (nonce_at (a, from, LP_ETH_BLOCK_LATEST), 3);
  assert_balance (a, &to, 7000);

  g_clear_pointer (&sender, lp_eth_sender_unref);
  g_clear_pointer (&slow, lp_eth_rpc_unref);
  proxy_free (proxy);
  lp_private_key_unref (key);
  anvil_free (a);
}

GST_END_TEST;

/* A stuck transaction whose replacement the node takes but answers too
 * late: the replacement is mined, and the sender must find its receipt */
GST_START_TEST (test_slow_node_replacement)
{
  Anvil *a = anvil_new (FALSE);
  Proxy *proxy = proxy_new (a->port);
  LpPrivateKey *key = funded_key (a);
  g_autoptr (LpEthRpc) slow = NULL;
  g_autoptr (LpEthSender) sender = NULL;
  g_autoptr (LpEthReceipt) receipt = NULL;
  const LpAddress *from = lp_private_key_get_address (key);
  LpAddress to = random_address ();
  g_autofree gchar *first_hash = NULL;
  g_autofree gchar *mined_hash = NULL;
  gchar *hash = NULL;
  guint64 fee;
  gint64 give_up = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  GError *error = NULL;
  Job *job;

  slow = lp_eth_rpc_new (proxy->url, &error);
  fail_unless (slow != NULL, "%s", error ? error->message : "");
  lp_eth_rpc_set_timeout (slow, 400);
  sender = quick_sender (slow, key);
  lp_eth_sender_set_stuck_after (sender, 300);

  set_automine (a, FALSE);
  proxy_set_delay (proxy, 0, "eth_sendRawTransaction", 1500);
  job = job_start (sender, &to, 1000);
  wait_in_pool (a, from, 1);
  fail_unless (pool_tx (a, from, 0, &first_hash, &fee));
  for (;;) {
    fail_unless (g_get_monotonic_time () < give_up, "never replaced");
    if (pool_tx (a, from, 0, &hash, &fee) && strcmp (hash, first_hash) != 0)
      break;
    g_clear_pointer (&hash, g_free);
    g_usleep (50000);
  }
  g_free (hash);
  node_do (a, "evm_mine", "[]");
  proxy_set_delay (proxy, 0, NULL, 0);
  receipt = job_finish (job);
  fail_unless (receipt->status);
  mined_hash = lp_hex_encode (receipt->transaction_hash, LP_KECCAK256_SIZE,
      TRUE);
  fail_if (g_ascii_strcasecmp (mined_hash, first_hash) == 0);
  fail_unless_equals_uint64 (nonce_at (a, from, LP_ETH_BLOCK_LATEST), 1);
  assert_balance (a, &to, 1000);

  g_clear_pointer (&sender, lp_eth_sender_unref);
  g_clear_pointer (&slow, lp_eth_rpc_unref);
  proxy_free (proxy);
  lp_private_key_unref (key);
  anvil_free (a);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* (c) a transaction dropped from the pool */

GST_START_TEST (test_dropped_from_pool)
{
  Anvil *a = anvil_new (FALSE);
  LpPrivateKey *key = funded_key (a);
  g_autoptr (LpEthSender) sender = quick_sender (a->rpc, key);
  const LpAddress *from = lp_private_key_get_address (key);
  LpAddress to = random_address ();
  g_autoptr (LpEthReceipt) receipt = NULL;
  Job *job;

  set_automine (a, FALSE);
  job = job_start (sender, &to, 1000);
  wait_in_pool (a, from, 1);
  node_do (a, "anvil_dropAllTransactions", "[]");
  fail_unless_equals_uint64 (nonce_at (a, from, LP_ETH_BLOCK_PENDING), 0);
  /* the sender sees it gone and sends it again */
  wait_in_pool (a, from, 1);
  node_do (a, "evm_mine", "[]");
  receipt = job_finish (job);
  fail_unless (receipt->status);
  fail_unless_equals_uint64 (nonce_at (a, from, LP_ETH_BLOCK_LATEST), 1);
  assert_balance (a, &to, 1000);

  lp_private_key_unref (key);
  anvil_free (a);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* (d) nonce too low: another client of the same key used it */

GST_START_TEST (test_nonce_too_low)
{
  Anvil *a = anvil_new (FALSE);
  LpPrivateKey *key = funded_key (a);
  g_autoptr (LpEthSender) sender = quick_sender (a->rpc, key);
  const LpAddress *from = lp_private_key_get_address (key);
  LpAddress to = random_address (), other_to = random_address ();

  transfer_ok (sender, &to, 1000);
  /* the sender's counter says 1; another program mines nonce 1 */
  send_other (a, key, 1, &other_to, 500, 10 * GWEI, GWEI);
  wait_in_pool (a, from, 0);
  fail_unless_equals_uint64 (nonce_at (a, from, LP_ETH_BLOCK_LATEST), 2);
  transfer_ok (sender, &to, 2000);
  fail_unless_equals_uint64 (nonce_at (a, from, LP_ETH_BLOCK_LATEST), 3);
  assert_balance (a, &to, 3000);
  assert_balance (a, &other_to, 500);

  lp_private_key_unref (key);
  anvil_free (a);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* (e) a stuck transaction replaced; a replacement refused as underpriced */

GST_START_TEST (test_stuck_replaced)
{
  Anvil *a = anvil_new (FALSE);
  LpPrivateKey *key = funded_key (a);
  g_autoptr (LpEthSender) sender = quick_sender (a->rpc, key);
  const LpAddress *from = lp_private_key_get_address (key);
  LpAddress to = random_address ();
  g_autoptr (LpEthReceipt) receipt = NULL;
  g_autofree gchar *first_hash = NULL;
  g_autofree gchar *mined_hash = NULL;
  gchar *hash = NULL;
  guint64 first_fee = 0, fee = 0;
  gint64 give_up = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  Job *job;

  set_automine (a, FALSE);
  lp_eth_sender_set_stuck_after (sender, 300);
  job = job_start (sender, &to, 1000);
  wait_in_pool (a, from, 1);
  fail_unless (pool_tx (a, from, 0, &first_hash, &first_fee));
  /* wait for a replacement: same nonce, a new hash, >= 10 % more */
  for (;;) {
    fail_unless (g_get_monotonic_time () < give_up, "never replaced");
    if (pool_tx (a, from, 0, &hash, &fee) && strcmp (hash, first_hash) != 0)
      break;
    g_clear_pointer (&hash, g_free);
    g_usleep (50000);
  }
  fail_unless (fee * 100 >= first_fee * 110, "fee cap %" G_GUINT64_FORMAT
      " after %" G_GUINT64_FORMAT, fee, first_fee);
  g_free (hash);
  node_do (a, "evm_mine", "[]");
  receipt = job_finish (job);
  fail_unless (receipt->status);
  mined_hash = lp_hex_encode (receipt->transaction_hash, LP_KECCAK256_SIZE,
      TRUE);
  fail_if (g_ascii_strcasecmp (mined_hash, first_hash) == 0,
      "the first version was mined, not a replacement");
  fail_unless_equals_uint64 (nonce_at (a, from, LP_ETH_BLOCK_LATEST), 1);
  assert_balance (a, &to, 1000);

  lp_private_key_unref (key);
  anvil_free (a);
}

GST_END_TEST;

GST_START_TEST (test_replacement_underpriced)
{
  Anvil *a = anvil_new (FALSE);
  LpPrivateKey *key = funded_key (a);
  g_autoptr (LpEthSender) sender = quick_sender (a->rpc, key);
  const LpAddress *from = lp_private_key_get_address (key);
  LpAddress to = random_address (), other_to = random_address ();
  g_autoptr (LpEthReceipt) receipt = NULL;
  Job *job;

  transfer_ok (sender, &to, 1000);
  /* another program's transaction holds nonce 1 in the pool, with fees
   * the sender's would not beat by 10 %: the pool refuses the sender's
   * nonce 1 as an underpriced replacement */
  set_automine (a, FALSE);
  send_other (a, key, 1, &other_to, 500, 100 * GWEI, 10 * GWEI);
  job = job_start (sender, &to, 2000);
  wait_in_pool (a, from, 2);
  node_do (a, "evm_mine", "[]");
  receipt = job_finish (job);
  fail_unless (receipt->status);
  fail_unless_equals_uint64 (nonce_at (a, from, LP_ETH_BLOCK_LATEST), 3);
  assert_balance (a, &to, 3000);
  assert_balance (a, &other_to, 500);

  lp_private_key_unref (key);
  anvil_free (a);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* (f) reverts */

/* Init code of a contract whose every call reverts with Error("nope"),
 * assembled by hand. Runtime (0x57 bytes):
 *   PUSH32 0x08c379a0<<224  PUSH1 0  MSTORE    selector of Error(string)
 *   PUSH1 0x20  PUSH1 4  MSTORE                offset of the string
 *   PUSH1 4  PUSH1 0x24  MSTORE                its length
 *   PUSH32 "nope"  PUSH1 0x44  MSTORE          its bytes
 *   PUSH1 0x64  PUSH1 0  REVERT
 * Init: PUSH1 0x57 DUP1 PUSH1 0x0b PUSH1 0 CODECOPY PUSH1 0 RETURN */
#define REVERTER_INIT "6057" "80" "600b" "6000" "39" "6000" "f3" \
  "7f08c379a0" "00000000000000000000000000000000000000000000000000000000" \
  "6000" "52" "6020" "6004" "52" "6004" "6024" "52" \
  "7f6e6f7065" "00000000000000000000000000000000000000000000000000000000" \
  "6044" "52" "6064" "6000" "fd"

GST_START_TEST (test_revert)
{
  Anvil *a = anvil_new (FALSE);
  LpPrivateKey *key = funded_key (a);
  g_autoptr (LpEthSender) sender = quick_sender (a->rpc, key);
  const LpAddress *from = lp_private_key_get_address (key);
  g_autoptr (GBytes) init = lp_hex_decode_bytes (REVERTER_INIT, 1024, NULL);
  g_autoptr (LpEthReceipt) deployed = NULL;
  g_autoptr (LpEthReceipt) receipt = NULL;
  LpEthTxRequest request = { 0 };
  GError *error = NULL;

  fail_unless (init != NULL);
  fail_unless (lp_eth_sender_transact (sender, NULL, NULL, init, &deployed,
          &error), "%s", error ? error->message : "");
  fail_unless (deployed->has_contract_address);
  fail_unless_equals_uint64 (nonce_at (a, from, LP_ETH_BLOCK_LATEST), 1);

  /* the estimate reverts: nothing is sent, the reason is given */
  fail_if (lp_eth_sender_transact (sender, &deployed->contract_address, NULL,
          NULL, NULL, &error));
  fail_unless (g_error_matches (error, LP_ETH_ERROR, LP_ETH_ERROR_REVERTED),
      "%s", error->message);
  fail_unless_equals_string (lp_eth_error_get_revert_reason (error), "nope");
  assert_contains (error->message, "was not sent");
  assert_contains (error->message, "nope");
  g_clear_error (&error);
  fail_unless_equals_uint64 (nonce_at (a, from, LP_ETH_BLOCK_PENDING), 1);

  /* with a gas limit of its own it is mined, and fails: status 0, and the
   * reason replayed */
  request.to = &deployed->contract_address;
  request.gas_limit = 100000;
  fail_if (lp_eth_sender_transact_full (sender, &request, NULL, &receipt,
          &error));
  fail_unless (g_error_matches (error, LP_ETH_ERROR, LP_ETH_ERROR_REVERTED),
      "%s", error->message);
  fail_unless (receipt != NULL && !receipt->status);
  fail_unless_equals_string (lp_eth_error_get_revert_reason (error), "nope");
  assert_contains (error->message, "reverted in block");
  assert_contains (error->message, ": nope");
  g_clear_error (&error);
  fail_unless_equals_uint64 (nonce_at (a, from, LP_ETH_BLOCK_LATEST), 2);

  lp_private_key_unref (key);
  anvil_free (a);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* an account that cannot pay */

GST_START_TEST (test_insufficient_funds)
{
  Anvil *a = anvil_new (FALSE);
  GError *error = NULL;
  LpPrivateKey *key = lp_private_key_generate (&error);
  g_autoptr (LpEthSender) sender = NULL;
  g_autofree gchar *account = NULL;
  LpAddress to = random_address ();
  LpUint256 value;

  fail_unless (key != NULL, "%s", error ? error->message : "");
  sender = quick_sender (a->rpc, key);
  account = lp_address_to_string (lp_private_key_get_address (key));
  lp_uint256_from_uint64 (1000, &value);
  fail_if (lp_eth_sender_transact (sender, &to, &value, NULL, NULL, &error));
  fail_unless (g_error_matches (error, LP_ETH_ERROR,
          LP_ETH_ERROR_INSUFFICIENT_FUNDS), "%s", error->message);
  /* which account, what it has, and what to do */
  assert_contains (error->message, account);
  assert_contains (error->message, "has 0 wei");
  assert_contains (error->message, "fund the account");
  g_clear_error (&error);
  fail_unless_equals_uint64 (nonce_at (a, lp_private_key_get_address (key),
          LP_ETH_BLOCK_PENDING), 0);

  lp_private_key_unref (key);
  anvil_free (a);
}

GST_END_TEST;

static Suite *
faults_suite (void)
{
  Suite *s = suite_create ("chain-faults");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_node_stopped_and_restarted);
  tcase_add_test (tc, test_slow_node);
  tcase_add_test (tc, test_slow_node_replacement);
  tcase_add_test (tc, test_dropped_from_pool);
  tcase_add_test (tc, test_nonce_too_low);
  tcase_add_test (tc, test_stuck_replaced);
  tcase_add_test (tc, test_replacement_underpriced);
  tcase_add_test (tc, test_revert);
  tcase_add_test (tc, test_insufficient_funds);

  return s;
}

GST_CHECK_MAIN (faults);

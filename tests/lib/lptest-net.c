/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lptest's devnet: genesis accounts, a ledger file with a registered,
 * active orchestrator and funded broadcasters, an lporchestrator element
 * over it in a pipeline of its own on port 0, and the removal of a
 * temporary directory, a free port below the ephemeral range, and a
 * bench's exit on a failure. No libcheck:
 * failures come back as GErrors (lpcheck-net.c turns them into test
 * failures, the benches into exits with lp_test_die()).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lptest.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a bench does on a failure: prints "PROGRAM: @what: @error's
 * message" (g_get_prgname(): set it first) and exits 1. */
void
lp_test_die (const gchar * what, const GError * error)
{
  fprintf (stderr, "%s: %s%s%s\n", g_get_prgname (), what, error ? ": " : "",
      error ? error->message : "");
  exit (1);
}

gchar *
lp_test_address (const LpAddress * address)
{
  gchar text[LP_ADDRESS_TEXT_SIZE];

  lp_address_format (address, text);
  return g_strdup (text);
}

/* Adds an account holding @lpt and @eth (wei, as lp_uint256_parse() reads
 * them) to @genesis; FALSE with @error when an amount does not parse. */
gboolean
lp_test_genesis_add (LpLedgerGenesis * genesis, const LpAddress * address,
    const gchar * lpt, const gchar * eth, GError ** error)
{
  LpGenesisAccount account;

  memset (&account, 0, sizeof (account));
  account.address = *address;
  if (!lp_uint256_parse (lpt, &account.lpt, error)
      || !lp_uint256_parse (eth, &account.eth, error))
    return FALSE;
  g_array_append_val (genesis->accounts, account);
  return TRUE;
}

/* A devnet ledger at @path: @orch holds 10000 LPT and bonded 1000 of them
 * to itself, registered and active in the current round; each of the
 * @n_bcast broadcasters holds 100 ETH and @deposit and @reserve (wei) in
 * the TicketBroker (none when both are 0). Returns the connection (the
 * caller's own) or NULL with @error. */
LpLedger *
lp_test_devnet_create (const gchar * path, LpPrivateKey * orch,
    LpPrivateKey * const *bcast, guint n_bcast, const gchar * deposit,
    const gchar * reserve, GError ** error)
{
  GString *json = g_string_new (NULL);
  LpLedgerGenesis *genesis;
  LpLedger *ledger;
  LpUint256 amount, dep, res;
  gchar *text;
  guint i;

  text = lp_test_address (lp_private_key_get_address (orch));
  g_string_printf (json, "{\"params\": {\"block-time-ms\": 0, "
      "\"round-length\": %d}, \"accounts\": [{\"address\": \"%s\", "
      "\"lpt\": \"10000e18\", \"eth\": \"0\"}", LP_TEST_ROUND_LENGTH, text);
  g_free (text);
  for (i = 0; i < n_bcast; i++) {
    text = lp_test_address (lp_private_key_get_address (bcast[i]));
    g_string_append_printf (json, ", {\"address\": \"%s\", \"lpt\": \"0\", "
        "\"eth\": \"100e18\"}", text);
    g_free (text);
  }
  g_string_append (json, "]}");
  genesis = lp_ledger_genesis_from_json (json->str, error);
  g_string_free (json, TRUE);
  if (genesis == NULL)
    return NULL;
  ledger = lp_ledger_create (path, genesis, error);
  lp_ledger_genesis_free (genesis);
  if (ledger == NULL)
    return NULL;

  if (!lp_uint256_parse ("1000e18", &amount, error)
      || !lp_uint256_parse (deposit, &dep, error)
      || !lp_uint256_parse (reserve, &res, error)
      || !lp_ledger_bond (ledger, lp_private_key_get_address (orch),
          lp_private_key_get_address (orch), &amount, error)
      || !lp_ledger_register_orchestrator (ledger,
          lp_private_key_get_address (orch), 100000, 500000,
          "http://127.0.0.1", error))
    goto failed;
  for (i = 0; i < n_bcast; i++)
    if ((!lp_uint256_is_zero (&dep) || !lp_uint256_is_zero (&res))
        && !lp_ledger_fund (ledger, lp_private_key_get_address (bcast[i]),
            &dep, &res, error))
      goto failed;
  /* active from the next round */
  if (!lp_ledger_advance (ledger, LP_TEST_ROUND_LENGTH, error)
      || !lp_ledger_initialize_round (ledger, error))
    goto failed;
  return ledger;

failed:
  g_object_unref (ledger);
  return NULL;
}

/* An lporchestrator on port 0 with the key file @key_path and the ledger
 * @ledger_path and the given properties (NULL-terminated name/value
 * pairs), in a pipeline named @pipeline_name, not started: the pipeline,
 * with @orchestrator set, or NULL when there is no lporchestrator element
 * (the plugin was not found). */
GstElement *
lp_test_orchestrator_new_valist (const gchar * pipeline_name,
    const gchar * key_path, const gchar * ledger_path,
    GstElement ** orchestrator, const gchar * first_property, va_list args)
{
  GstElement *pipeline = gst_pipeline_new (pipeline_name);

  *orchestrator = gst_element_factory_make ("lporchestrator", NULL);
  if (*orchestrator == NULL) {
    gst_object_unref (pipeline);
    return NULL;
  }
  g_object_set (*orchestrator, "port", 0, "key-file", key_path, "ledger",
      ledger_path, NULL);
  if (first_property != NULL)
    g_object_set_valist (G_OBJECT (*orchestrator), first_property, args);
  gst_bin_add (GST_BIN (pipeline), *orchestrator);
  return pipeline;
}

GstElement *
lp_test_orchestrator_new (const gchar * pipeline_name,
    const gchar * key_path, const gchar * ledger_path,
    GstElement ** orchestrator, const gchar * first_property, ...)
{
  GstElement *pipeline;
  va_list args;

  va_start (args, first_property);
  pipeline = lp_test_orchestrator_new_valist (pipeline_name, key_path,
      ledger_path, orchestrator, first_property, args);
  va_end (args);
  return pipeline;
}

/* Sets the pipeline of lp_test_orchestrator_new() to PLAYING; FALSE when
 * that failed. Sets @port to the one the orchestrator listens on (0: none). */
gboolean
lp_test_orchestrator_play (GstElement * pipeline, GstElement * orchestrator,
    guint * port)
{
  *port = 0;
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE)
    return FALSE;
  g_object_get (orchestrator, "current-port", port, NULL);
  return TRUE;
}

/* Removes a temporary directory and everything under it (symbolic links
 * are removed, not followed). With @refuse_suffix, returns the first file
 * found named so (a temporary file a writer left behind), else NULL. */
gchar *
lp_test_remove_tree (const gchar * path, const gchar * refuse_suffix)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const gchar *name;
  gchar *refused = NULL;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    gchar *child = g_build_filename (path, name, NULL);
    gchar *below = NULL;

    if (refused == NULL && refuse_suffix != NULL
        && g_str_has_suffix (name, refuse_suffix))
      refused = g_strdup (child);
    if (g_file_test (child, G_FILE_TEST_IS_DIR)
        && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
      below = lp_test_remove_tree (child, refuse_suffix);
    else
      g_remove (child);
    if (refused == NULL)
      refused = below;
    else
      g_free (below);
    g_free (child);
  }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
  return refused;
}

/* A port that binds on 127.0.0.1 now (0 when none was found), chosen below
 * the kernel's ephemeral range (32768 and up by default). A port from
 * bind(0) is an ephemeral one, which an outgoing connection of a test
 * running beside this one may take before the element binds it. */
guint
lp_test_free_port (void)
{
  GInetAddress *ip = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  guint port = 0, attempt;

  for (attempt = 0; attempt < 100 && port == 0; attempt++) {
    GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4,
        G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
    guint candidate = g_random_int_range (10000, 32768);
    GSocketAddress *address = g_inet_socket_address_new (ip, candidate);

    if (socket != NULL && g_socket_bind (socket, address, TRUE, NULL))
      port = candidate;
    g_object_unref (address);
    g_clear_object (&socket);
  }
  g_object_unref (ip);
  return port;
}

/* A socket service listening on 127.0.0.1 at a port of
 * lp_test_free_port(), its number in @port; %NULL with @error set when 20
 * candidates were all taken */
GSocketService *
lp_test_listen_loopback (guint * port, GError ** error)
{
  guint attempt;

  for (attempt = 0; attempt < 20; attempt++) {
    GSocketService *service = g_socket_service_new ();
    GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    guint candidate = lp_test_free_port ();
    GSocketAddress *address = g_inet_socket_address_new (loopback, candidate);
    gboolean ok = candidate != 0
        && g_socket_listener_add_address (G_SOCKET_LISTENER (service),
        address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, NULL,
        attempt == 19 ? error : NULL);

    g_object_unref (address);
    g_object_unref (loopback);
    if (ok) {
      *port = candidate;
      return service;
    }
    g_object_unref (service);
  }
  return NULL;
}

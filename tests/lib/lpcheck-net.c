/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lpcheck's devnet: LpTestNet, a ledger with a registered, active
 * orchestrator and a funded broadcaster, the orchestrator element over it
 * in a pipeline on port 0, and the test's own HTTP session; LpTestOrch,
 * more orchestrators on the same ledger, each in a pipeline of its own.
 * Over lptest-net.c; every failure fails the test.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpcheck.h"

#include <gst/livepeer/lpbalance.h>

void
lp_test_u256 (LpUint256 * value, const gchar * text)
{
  fail_unless (lp_uint256_parse (text, value, NULL), "%s", text);
}

/* A devnet ledger: the orchestrator bonded 1000 LPT to itself, registered
 * and active in the current round; the broadcaster holds @deposit and
 * @reserve (wei) in the TicketBroker. */
LpTestNet *
lp_test_net_new (const gchar * deposit, const gchar * reserve)
{
  LpTestNet *net = g_new0 (LpTestNet, 1);
  GError *error = NULL;

  net->dir = g_dir_make_tmp ("lp-orch-XXXXXX", NULL);
  fail_unless (net->dir != NULL);
  net->ledger_path = g_build_filename (net->dir, "devnet.db", NULL);
  net->orch_key_path = g_build_filename (net->dir, "orch.key", NULL);
  net->orch = lp_key_file_create (net->orch_key_path, &error);
  fail_unless (net->orch != NULL, "%s", error ? error->message : "");
  net->bcast = lp_private_key_generate (NULL);
  fail_unless (net->bcast != NULL);
  net->ledger = lp_test_devnet_create (net->ledger_path, net->orch,
      &net->bcast, 1, deposit, reserve, &error);
  fail_unless (net->ledger != NULL, "%s", error ? error->message : "");
  net->http = soup_session_new ();
  return net;
}

/* Stops an orchestrator's pipeline (none when NULL) and forgets it. */
static void
lp_test_orchestrator_stop (GstElement ** pipeline, GstElement ** element)
{
  if (*pipeline == NULL)
    return;
  fail_unless_equals_int (gst_element_set_state (*pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (*pipeline);
  *pipeline = NULL;
  *element = NULL;
}

void
lp_test_net_stop (LpTestNet * net)
{
  lp_test_orchestrator_stop (&net->pipeline, &net->orchestrator);
}

void
lp_test_net_free (LpTestNet * net)
{
  lp_test_net_stop (net);
  g_object_unref (net->http);
  g_object_unref (net->ledger);
  lp_private_key_unref (net->orch);
  lp_private_key_unref (net->bcast);
  lp_check_remove_tree (net->dir);
  g_free (net->dir);
  g_free (net->ledger_path);
  g_free (net->orch_key_path);
  g_free (net);
}

/* An lporchestrator over the net's ledger with @key_path, on port 0 with
 * the given properties, in PLAYING in a pipeline of its own: sets
 * @pipeline, @element and @port. */
static void
lp_test_orchestrator_start (LpTestNet * net, const gchar * pipeline_name,
    const gchar * key_path, GstElement ** pipeline, GstElement ** element,
    guint * port, const gchar * first_property, va_list args)
{
  gboolean started;

  *pipeline = lp_test_orchestrator_new_valist (pipeline_name, key_path,
      net->ledger_path, element, first_property, args);
  fail_unless (*element != NULL);
  started = lp_test_orchestrator_play (*pipeline, *element, port);
  fail_if (!started);
  fail_unless (*port != 0);
}

/* Starts an orchestrator on port 0 with the net's key and ledger and the
 * given properties (NULL-terminated name/value pairs), in PLAYING. */
void
lp_test_net_start (LpTestNet * net, const gchar * first_property, ...)
{
  va_list args;

  va_start (args, first_property);
  lp_test_orchestrator_start (net, "orchestrator", net->orch_key_path,
      &net->pipeline, &net->orchestrator, &net->port, first_property, args);
  va_end (args);
}

void
lp_test_net_next_round (LpTestNet * net)
{
  GError *error = NULL;

  fail_unless (lp_ledger_advance (net->ledger, LP_TEST_ROUND_LENGTH, NULL));
  fail_unless (lp_ledger_initialize_round (net->ledger, &error), "%s",
      error ? error->message : "");
}

/* The net's broadcaster key as a key file (mode 0600) in the net's dir. */
gchar *
lp_test_net_bcast_key_file (LpTestNet * net)
{
  gchar *path = g_build_filename (net->dir, "bcast.key", NULL);
  GError *error = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    fail_unless (lp_key_file_write (path, net->bcast, &error), "%s",
        error ? error->message : "");
  return path;
}

/* ------------------------------------------------------------------------ */
/* More orchestrators */

/* The net's own orchestrator key as an LpTestOrch (not started). */
LpTestOrch *
lp_test_orch_from_net (LpTestNet * net)
{
  LpTestOrch *o = g_new0 (LpTestOrch, 1);

  o->key_path = g_strdup (net->orch_key_path);
  o->key = lp_private_key_ref (net->orch);
  return o;
}

/* A second orchestrator on the net's ledger: a new key, @lpt of the first
 * orchestrator's LPT moved to it and bonded to itself, registered. It is
 * active from the next round: call lp_test_net_next_round(). */
LpTestOrch *
lp_test_orch_new_registered (LpTestNet * net, const gchar * name,
    const gchar * lpt)
{
  LpTestOrch *o = g_new0 (LpTestOrch, 1);
  gchar *file = g_strdup_printf ("%s.key", name);
  GError *error = NULL;
  LpUint256 amount;

  o->key_path = g_build_filename (net->dir, file, NULL);
  g_free (file);
  o->key = lp_key_file_create (o->key_path, &error);
  fail_unless (o->key != NULL, "%s", error ? error->message : "");
  lp_test_u256 (&amount, lpt);
  fail_unless (lp_ledger_transfer (net->ledger, lp_private_key_get_address
          (net->orch), lp_private_key_get_address (o->key), &amount, &error),
      "%s", error ? error->message : "");
  fail_unless (lp_ledger_bond (net->ledger, lp_private_key_get_address
          (o->key), lp_private_key_get_address (o->key), &amount, &error),
      "%s", error ? error->message : "");
  fail_unless (lp_ledger_register_orchestrator (net->ledger,
          lp_private_key_get_address (o->key), 100000, 500000,
          "http://127.0.0.1", &error), "%s", error ? error->message : "");
  return o;
}

/* Starts @o on port 0 over the net's ledger, with the given properties
 * (NULL-terminated name/value pairs), in PLAYING. */
void
lp_test_orch_start (LpTestNet * net, LpTestOrch * o,
    const gchar * first_property, ...)
{
  va_list args;

  fail_unless (o->pipeline == NULL);
  va_start (args, first_property);
  lp_test_orchestrator_start (net, NULL, o->key_path, &o->pipeline,
      &o->element, &o->port, first_property, args);
  va_end (args);
  g_free (o->uri);
  o->uri = g_strdup_printf ("http://127.0.0.1:%u", o->port);
}

void
lp_test_orch_stop (LpTestOrch * o)
{
  lp_test_orchestrator_stop (&o->pipeline, &o->element);
}

void
lp_test_orch_free (LpTestOrch * o)
{
  lp_test_orch_stop (o);
  lp_private_key_unref (o->key);
  g_free (o->key_path);
  g_free (o->uri);
  g_free (o);
}

guint64
lp_test_orch_get_stat (LpTestOrch * o, const gchar * field)
{
  return lp_test_orch_stat (o->element, field);
}

/* The lporchestrator-segment messages @o posted so far, waiting up to
 * @timeout until there are @expected of them (they are posted once the
 * answer is sent, so the broadcaster may be done a little before). */
GPtrArray *
lp_test_orch_segments (LpTestOrch * o, guint expected, GstClockTime timeout)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);
  GstBus *bus = gst_element_get_bus (o->pipeline);
  GstClockTime deadline = gst_util_get_timestamp () + timeout;
  GstMessage *msg;

  for (;;) {
    GstClockTime now = gst_util_get_timestamp ();

    msg = gst_bus_timed_pop_filtered (bus, out->len >= expected ? 0 :
        (now < deadline ? deadline - now : 0), GST_MESSAGE_ELEMENT);
    if (msg == NULL)
      break;
    if (gst_message_has_name (msg, "lporchestrator-segment"))
      g_ptr_array_add (out, gst_structure_copy (gst_message_get_structure
              (msg)));
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
  return out;
}

/* One ticket's expected value at @o for the net's broadcaster, from a
 * discovery of our own (face value × winProb / 2^256). */
LpRational *
lp_test_orch_ticket_ev (LpTestNet * net, LpTestOrch * o)
{
  LpOrchestratorInfo *info;
  LpRational *ev;

  net->port = o->port;
  info = lp_test_discover (net, net->bcast);
  net->port = 0;
  fail_unless (info->has_ticket_params);
  ev = lp_rational_new_ticket_ev (&info->ticket_params.face_value,
      &info->ticket_params.win_prob);
  lp_orchestrator_info_free (info);
  return ev;
}

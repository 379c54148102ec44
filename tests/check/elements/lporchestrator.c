/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lporchestrator with a broadcaster built from the core library: discovery,
 * signed segments paid with tickets, renditions decoded and counted, the
 * result signature, winning tickets redeemed on the ledger after their
 * parameters expire, reward once per round, capacity, idle sessions, the
 * metrics endpoint and start-up errors. Bad input has a suite of its own
 * (lporchestrator-badinput.c).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpcheck.h"

#include <gst/livepeer/lph2.h>

#define PROFILES "P144p30fps16x9,P240p30fps16x9"
#define WAIT (20 * GST_SECOND)


static gchar *
stat_string (GstElement * orchestrator, const gchar * field)
{
  GstStructure *stats;
  gchar *value;

  g_object_get (orchestrator, "stats", &stats, NULL);
  value = g_strdup (gst_structure_get_string (stats, field));
  gst_structure_free (stats);
  fail_unless (value != NULL, "%s", field);
  return value;
}

static guint
queued_tickets (LpTestNet * net)
{
  GArray *queued = lp_ledger_list_queued_tickets (net->ledger, NULL, NULL);
  guint n;

  fail_unless (queued != NULL);
  n = queued->len;
  g_array_unref (queued);
  return n;
}

/* Checks a 200's renditions: in profile order, each decodes to the frames
 * and size its pixel count claims, signed by the orchestrator. */
static guint64
check_renditions (LpTestNet * net, LpTestResult * r, guint expected_frames)
{
  static const gint sizes[][2] = { {256, 144}, {426, 240} };
  guint64 total = 0;
  guint i;

  fail_unless (r->result->error == NULL, "%s", r->result->error);
  fail_unless_equals_int (r->result->segments->len, 2);
  fail_unless_equals_int (r->renditions->len, 2);
  fail_unless_equals_string (g_ptr_array_index (r->names, 0),
      "P144p30fps16x9");
  fail_unless_equals_string (g_ptr_array_index (r->names, 1),
      "P240p30fps16x9");
  for (i = 0; i < 2; i++) {
    const LpTranscodedSegment *s = &g_array_index (r->result->segments,
        LpTranscodedSegment, i);
    guint frames;
    gint width, height;

    lp_test_decode (g_ptr_array_index (r->renditions, i), &frames, &width,
        &height);
    fail_unless_equals_uint64 (s->pixels, (guint64) frames * width * height);
    fail_unless_equals_int (frames, expected_frames);
    fail_unless_equals_int (width, sizes[i][0]);
    fail_unless_equals_int (height, sizes[i][1]);
    fail_unless_equals_uint64 (s->pixels, (guint64) frames * width * height);
    total += s->pixels;
  }
  fail_unless (lp_transcode_result_verify (r->result,
          lp_private_key_get_address (net->orch),
          (GBytes * const *) r->renditions->pdata, r->renditions->len, NULL));
  return total;
}

GST_START_TEST (test_transcode_pay_redeem_reward)
{
  LpTestNet *net = lp_test_net_new ("1e18", "1e18");
  LpOrchestratorInfo *info;
  LpTestResult *r = NULL;
  LpSenderInfo before, after;
  GstMessage *msg;
  GBytes *segment;
  gchar *seg_header, *pay_header, *reason = NULL, *fees;
  const GstStructure *s;
  guint64 pixels, round;
  guint redeemed;
  GArray *tickets;

  /* face value = EV, so every ticket wins: winProb = 2^256 - 1 */
  lp_test_net_start (net, "price-per-unit", (guint64) 1,
      "ticket-ev", (guint64) 1000000, "max-face-value", (guint64) 1000000,
      "max-pixel-rate", (guint64) 5000000, "max-segment-duration", 2000,
      NULL);
  /* active in round 1: the element calls reward by itself, once */
  msg = lp_test_wait_message (net, "lporchestrator-reward", WAIT);
  fail_unless (msg != NULL, "no reward in round 1");
  s = gst_message_get_structure (msg);
  fail_unless (gst_structure_get_uint64 (s, "round", &round));
  fail_unless_equals_uint64 (round, 1);
  fail_unless (strcmp (gst_structure_get_string (s, "minted"), "0") != 0);
  gst_message_unref (msg);

  info = lp_test_discover (net, net->bcast);
  fail_unless (info->has_ticket_params);
  fail_unless (lp_address_equal (&info->ticket_params.recipient,
          lp_private_key_get_address (net->orch)));
  fail_unless (lp_address_equal (&info->address,
          lp_private_key_get_address (net->orch)));
  fail_unless_equals_uint64 (info->price_info.price_per_unit, 1);
  fail_unless_equals_int (info->ticket_params.expiration_params.
      creation_round, 1);

  /* segment 1: 10 tickets of 1e6 wei EV for ~8.4 Mpixels at 1 wei each */
  fail_unless (lp_ledger_get_sender_info (net->ledger,
          lp_private_key_get_address (net->bcast), &before, NULL));
  segment = lp_test_make_segment (320, 180, 60, 60);
  seg_header = lp_test_segment_header (info, net->bcast, 1, segment,
      PROFILES);
  pay_header = lp_test_payment_header (info, net->bcast, 1, 10);
  r = lp_test_segment_ok (net, segment, seg_header, pay_header);
  fail_unless_equals_uint64 (r->result->seq, 1);
  pixels = check_renditions (net, r, 60);
  fail_unless_equals_uint64 (pixels, 60 * (256 * 144 + 426 * 240));
  /* fresh ticket parameters with the same session */
  fail_unless (r->result->info != NULL);
  fail_unless (r->result->info->has_ticket_params);
  fail_unless_equals_string (r->result->info->auth_token.session_id,
      info->auth_token.session_id);
  lp_test_result_free (r);
  g_free (reason);
  g_free (seg_header);
  g_free (pay_header);

  msg = lp_test_wait_message (net, "lporchestrator-session-started", WAIT);
  fail_unless (msg != NULL);
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (msg), "session"),
      info->auth_token.session_id);
  gst_message_unref (msg);
  msg = lp_test_wait_message (net, "lporchestrator-segment", WAIT);
  fail_unless (msg != NULL);
  s = gst_message_get_structure (msg);
  fail_unless (gst_structure_get_uint64 (s, "pixels", &pixels));
  fail_unless_equals_uint64 (pixels, 60 * (256 * 144 + 426 * 240));
  fail_unless_equals_string (gst_structure_get_string (s, "fee"),
      "8346240");
  fail_unless_equals_string (gst_structure_get_string (s, "profiles"),
      PROFILES);
  gst_message_unref (msg);
  fail_unless_equals_int (lp_test_orch_stat (net->orchestrator, "tickets-received"),
      10);
  fail_unless_equals_int (lp_test_orch_stat (net->orchestrator, "tickets-won"), 10);
  fail_unless_equals_int (queued_tickets (net), 10);

  /* segment 2 in the same session, paid with the next nonces */
  seg_header = lp_test_segment_header (info, net->bcast, 2, segment,
      PROFILES);
  pay_header = lp_test_payment_header (info, net->bcast, 11, 9);
  r = lp_test_segment_ok (net, segment, seg_header, pay_header);
  check_renditions (net, r, 60);
  lp_test_result_free (r);
  g_free (reason);
  g_free (seg_header);
  g_free (pay_header);
  fail_unless_equals_int (lp_test_orch_stat (net->orchestrator, "segments-ok"), 2);
  fail_unless_equals_int (lp_test_orch_stat (net->orchestrator, "sessions-started"),
      1);
  fail_unless_equals_int (queued_tickets (net), 19);

  /* nothing is redeemed before the parameters expire (40 blocks) */
  g_usleep (500 * G_TIME_SPAN_MILLISECOND);
  fail_unless_equals_int (lp_test_orch_stat (net->orchestrator, "tickets-redeemed"),
      0);
  fail_unless (lp_ledger_advance (net->ledger, 41, NULL));
  for (redeemed = 0; redeemed < 19; redeemed++) {
    gboolean success = FALSE;

    msg = lp_test_wait_message (net, "lporchestrator-ticket-redeemed", WAIT);
    fail_unless (msg != NULL, "%u tickets redeemed of 19", redeemed);
    s = gst_message_get_structure (msg);
    fail_unless (gst_structure_get_boolean (s, "success", &success));
    fail_unless (success, "%s", gst_structure_get_string (s, "reason"));
    fail_unless_equals_string (gst_structure_get_string (s, "paid"),
        "1000000");
    gst_message_unref (msg);
  }
  tickets = lp_ledger_list_redeemed_tickets (net->ledger,
      lp_private_key_get_address (net->orch), NULL);
  fail_unless_equals_int (tickets->len, 19);
  g_array_unref (tickets);
  fail_unless_equals_int (queued_tickets (net), 0);
  fail_unless (lp_ledger_get_sender_info (net->ledger,
          lp_private_key_get_address (net->bcast), &after, NULL));
  {
    LpUint256 paid;

    fail_unless (lp_uint256_sub (&before.deposit, &after.deposit, &paid,
            NULL));
    fees = lp_uint256_to_string (&paid);
    fail_unless_equals_string (fees, "19000000");
    g_free (fees);
  }
  fail_unless_equals_int (lp_test_orch_stat (net->orchestrator, "tickets-redeemed"),
      19);
  fees = stat_string (net->orchestrator, "fees-earned");
  fail_unless_equals_string (fees, "19000000");
  g_free (fees);

  /* the next round: one more reward, and only one */
  fail_unless (lp_ledger_advance (net->ledger, LP_TEST_ROUND_LENGTH, NULL));
  fail_unless (lp_ledger_initialize_round (net->ledger, NULL));
  msg = lp_test_wait_message (net, "lporchestrator-reward", WAIT);
  fail_unless (msg != NULL, "no reward in round 2");
  fail_unless (gst_structure_get_uint64 (gst_message_get_structure (msg),
          "round", &round));
  fail_unless_equals_uint64 (round, 2);
  gst_message_unref (msg);
  msg = lp_test_wait_message (net, "lporchestrator-reward", GST_SECOND);
  fail_unless (msg == NULL, "a second reward in round 2");
  fail_unless_equals_int (lp_test_orch_stat (net->orchestrator, "rewards"), 2);
  {
    LpLedgerOrchestrator o;

    memset (&o, 0, sizeof (o));
    fail_unless (lp_ledger_get_orchestrator (net->ledger,
            lp_private_key_get_address (net->orch), &o, NULL));
    fail_unless_equals_uint64 (o.last_reward_round, 2);
    lp_ledger_orchestrator_clear (&o);
  }
  {
    GString *report = g_string_new (NULL);

    fail_unless (lp_ledger_audit (net->ledger, report, NULL), "%s",
        report->str);
    g_string_free (report, TRUE);
  }

  lp_orchestrator_info_free (info);
  g_bytes_unref (segment);
  lp_test_net_free (net);
}

GST_END_TEST;

/* max-sessions + 1 sessions at once: the extra one is capped */
GST_START_TEST (test_capacity)
{
  LpTestNet *net = lp_test_net_new ("1e18", "1e18");
  LpOrchestratorInfo *infos[3];
  GBytes *segment;
  LpTestResult *r;
  gchar *header, *reason = NULL;
  guint i;

  lp_test_net_start (net, "max-sessions", 2, NULL);
  for (i = 0; i < 3; i++)
    infos[i] = lp_test_discover (net, net->bcast);
  segment = lp_test_make_segment (320, 180, 30, 30);
  for (i = 0; i < 3; i++) {
    guint status;

    r = NULL;
    header = lp_test_segment_header (infos[i], net->bcast, 1, segment,
        "P144p30fps16x9");
    status = lp_test_send_segment (net, segment, header, NULL, &r, &reason);
    if (i < 2) {
      fail_unless_equals_int_with_reason (status, 200, reason);
      fail_unless (r->result->error == NULL, "%s", r->result->error);
      lp_test_result_free (r);
    } else {
      fail_unless_equals_int_with_reason (status, 403, reason);
      fail_unless (strstr (reason, "OrchestratorCapped") != NULL, "%s",
          reason);
    }
    g_free (header);
    g_free (reason);
  }
  /* discovery is capped too (gRPC UNKNOWN, go-livepeer's code for a
   * handler's refusal); an open session still works */
  fail_unless_equals_int (lp_test_discovery_status (net, net->bcast,
          &reason), LP_GRPC_STATUS_UNKNOWN);
  fail_unless (strstr (reason, "OrchestratorCapped") != NULL, "%s", reason);
  g_free (reason);
  header = lp_test_segment_header (infos[1], net->bcast, 2, segment,
      "P144p30fps16x9");
  r = NULL;
  fail_unless_equals_int (lp_test_send_segment (net, segment, header, NULL,
          &r, NULL), 200);
  fail_unless (r->result->error == NULL);
  lp_test_result_free (r);
  g_free (header);
  fail_unless_equals_int (lp_test_orch_stat (net->orchestrator, "sessions-started"),
      2);

  for (i = 0; i < 3; i++)
    lp_orchestrator_info_free (infos[i]);
  g_bytes_unref (segment);
  lp_test_net_free (net);
}

GST_END_TEST;

/* a free orchestrator needs no payment; idle sessions end */
GST_START_TEST (test_free_and_idle)
{
  LpTestNet *net = lp_test_net_new ("0", "0");
  LpOrchestratorInfo *info;
  LpTestResult *r = NULL;
  GstMessage *msg;
  GBytes *segment;
  gchar *header, *reason = NULL;
  guint sessions;
  GstStructure *stats;

  lp_test_net_start (net, "session-timeout", 1, "auto-reward", FALSE, NULL);
  info = lp_test_discover (net, net->bcast);
  fail_if (info->has_ticket_params);
  fail_unless_equals_uint64 (info->price_info.price_per_unit, 0);
  segment = lp_test_make_segment (320, 180, 30, 30);
  header = lp_test_segment_header (info, net->bcast, 5, segment,
      PROFILES);
  r = lp_test_segment_ok (net, segment, header, NULL);
  check_renditions (net, r, 30);
  lp_test_result_free (r);
  g_free (reason);
  g_free (header);

  msg = lp_test_wait_message (net, "lporchestrator-session-ended", WAIT);
  fail_unless (msg != NULL, "the idle session did not end");
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (msg), "reason"), "idle");
  gst_message_unref (msg);
  g_object_get (net->orchestrator, "stats", &stats, NULL);
  fail_unless (gst_structure_get_uint (stats, "sessions", &sessions));
  fail_unless_equals_int (sessions, 0);
  gst_structure_free (stats);
  /* auto-reward off: no reward */
  fail_unless_equals_int (lp_test_orch_stat (net->orchestrator, "rewards"), 0);

  lp_orchestrator_info_free (info);
  g_bytes_unref (segment);
  lp_test_net_free (net);
}

GST_END_TEST;

/* gRPC EndTranscodingSession: a forged token is refused; the session's
 * own token ends it (its capacity is free again) without waiting for the
 * idle timeout */
GST_START_TEST (test_end_session)
{
  LpTestNet *net = lp_test_net_new ("0", "0");
  LpOrchestratorInfo *info, *forged;
  LpTestResult *r;
  GstMessage *msg;
  GBytes *segment;
  gchar *header, *reply;

  lp_test_net_start (net, "session-timeout", 3600, "max-sessions", 1,
      "auto-reward", FALSE, NULL);
  info = lp_test_discover (net, net->bcast);
  segment = lp_test_make_segment (320, 180, 30, 30);
  header = lp_test_segment_header (info, net->bcast, 1, segment,
      "P144p30fps16x9");
  r = lp_test_segment_ok (net, segment, header, NULL);
  lp_test_result_free (r);
  g_free (header);

  /* a token altered by one byte is not ours */
  forged = lp_orchestrator_info_copy (info);
  forged->auth_token.token[0] ^= 1;
  fail_unless_equals_int (lp_test_end_session_status (net,
          &forged->auth_token, &reply), LP_GRPC_STATUS_UNKNOWN);
  fail_unless (strstr (reply, "Invalid auth token") != NULL, "%s", reply);
  g_free (reply);
  lp_orchestrator_info_free (forged);
  /* the session is still open: capacity is taken */
  fail_unless_equals_int (lp_test_discovery_status (net, net->bcast, &reply),
      LP_GRPC_STATUS_UNKNOWN);
  fail_unless (strstr (reply, "OrchestratorCapped") != NULL, "%s", reply);
  g_free (reply);

  fail_unless_equals_int_with_reason (lp_test_end_session_status (net,
          &info->auth_token, &reply), LP_GRPC_STATUS_OK, reply);
  g_free (reply);
  msg = lp_test_wait_message (net, "lporchestrator-session-ended", WAIT);
  fail_unless (msg != NULL, "the ended session did not end");
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (msg), "reason"), "ended by the broadcaster");
  gst_message_unref (msg);
  /* its capacity is free again */
  info->has_ticket_params = FALSE;
  lp_orchestrator_info_free (info);
  info = lp_test_discover (net, net->bcast);

  lp_orchestrator_info_free (info);
  g_bytes_unref (segment);
  lp_test_net_free (net);
}

GST_END_TEST;

GST_START_TEST (test_metrics)
{
  LpTestNet *net = lp_test_net_new ("0", "0");
  guint port = lp_test_free_port ();
  gchar *uri = g_strdup_printf ("http://127.0.0.1:%u/metrics", port);
  SoupMessage *msg;
  GBytes *body;
  gchar *text;

  fail_unless (port != 0, "no free port in 10000-32767");
  lp_test_net_start (net, "metrics-port", port, "auto-reward", FALSE, NULL);
  msg = soup_message_new (SOUP_METHOD_GET, uri);
  body = soup_session_send_and_read (net->http, msg, NULL, NULL);
  fail_unless (body != NULL);
  fail_unless_equals_int (soup_message_get_status (msg), 200);
  text = lp_test_text (body);
  fail_unless (strstr (text, "lporchestrator_segments_ok 0\n") != NULL, "%s",
      text);
  fail_unless (strstr (text, "lporchestrator_fees_earned 0\n") != NULL, "%s",
      text);
  /* Prometheus text format: every metric with its HELP and TYPE */
  {
    gchar **lines = g_strsplit (text, "\n", -1);
    guint i, samples = 0;

    for (i = 0; lines[i] != NULL; i++) {
      gchar *name, *help, *type;

      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      samples++;
      name = g_strndup (lines[i], strcspn (lines[i], " "));
      help = g_strdup_printf ("# HELP %s ", name);
      type = g_strdup_printf ("# TYPE %s %s", name,
          strcmp (name, "lporchestrator_sessions") == 0 ? "gauge" :
          "counter");
      fail_unless (i >= 2 && g_str_has_prefix (lines[i - 2], help)
          && strcmp (lines[i - 1], type) == 0, "%s: no HELP and TYPE before "
          "it in:\n%s", name, text);
      g_free (name);
      g_free (help);
      g_free (type);
    }
    fail_unless_equals_int (samples, 12);
    g_strfreev (lines);
  }
  g_free (text);
  g_bytes_unref (body);
  g_object_unref (msg);
  g_free (uri);
  lp_test_net_free (net);
}

GST_END_TEST;

/* Checks that @element fails NULL->READY posting a GST_RESOURCE_ERROR
 * @code on @bus whose message names @needle. */
static void
assert_ready_fails (GstElement * element, GstBus * bus, gint code,
    const gchar * needle)
{
  GstMessage *msg;
  GError *error = NULL;

  fail_unless_equals_int (gst_element_set_state (element, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &error, NULL);
  fail_unless (g_error_matches (error, GST_RESOURCE_ERROR, code), "%s",
      error->message);
  fail_unless (strstr (error->message, needle) != NULL, "%s",
      error->message);
  g_clear_error (&error);
  gst_message_unref (msg);
}

/* start-up errors fail NULL->READY with an error that says what to do */
GST_START_TEST (test_start_errors)
{
  LpTestNet *net = lp_test_net_new ("0", "0");
  GstElement *second, *bad;
  GstBus *bus;
  gchar *text;

  lp_test_net_start (net, NULL);

  /* the port is taken */
  second = gst_element_factory_make ("lporchestrator", NULL);
  bus = gst_bus_new ();
  gst_element_set_bus (second, bus);
  g_object_set (second, "port", net->port, "key-file", net->orch_key_path,
      "ledger", net->ledger_path, NULL);
  text = g_strdup_printf ("127.0.0.1 port %u", net->port);
  assert_ready_fails (second, bus, GST_RESOURCE_ERROR_OPEN_READ_WRITE, text);
  g_free (text);
  gst_element_set_state (second, GST_STATE_NULL);
  gst_object_unref (second);

  /* no key */
  bad = gst_element_factory_make ("lporchestrator", NULL);
  gst_element_set_bus (bad, bus);
  g_object_set (bad, "port", 0, "ledger", net->ledger_path, NULL);
  assert_ready_fails (bad, bus, GST_RESOURCE_ERROR_SETTINGS, "key-file");

  /* no ledger there */
  text = g_build_filename (net->dir, "missing.db", NULL);
  g_object_set (bad, "key-file", net->orch_key_path, "ledger", text, NULL);
  g_free (text);
  assert_ready_fails (bad, bus, GST_RESOURCE_ERROR_OPEN_READ_WRITE, "ledger");
  gst_element_set_state (bad, GST_STATE_NULL);
  gst_object_unref (bad);
  gst_object_unref (bus);

  lp_test_net_free (net);
}

GST_END_TEST;

static void
count_notify (GObject * object, GParamSpec * pspec, guint * count)
{
  (*count)++;
}

/* every state change, in several orders, with a real key and ledger; the
 * port is bound in READY and released in NULL */
GST_START_TEST (test_states)
{
  static const GstState walk[] = { GST_STATE_READY, GST_STATE_PAUSED,
    GST_STATE_PLAYING, GST_STATE_PAUSED, GST_STATE_READY, GST_STATE_NULL,
    GST_STATE_PLAYING, GST_STATE_NULL, GST_STATE_PAUSED, GST_STATE_READY,
    GST_STATE_PLAYING, GST_STATE_NULL
  };
  LpTestNet *net = lp_test_net_new ("0", "0");
  GstElement *e = gst_element_factory_make ("lporchestrator", NULL);
  guint i, port, notified = 0;

  g_object_set (e, "port", 0, "key-file", net->orch_key_path, "ledger",
      net->ledger_path, NULL);
  g_signal_connect (e, "notify::current-port", G_CALLBACK (count_notify),
      &notified);
  for (i = 0; i < G_N_ELEMENTS (walk); i++) {
    GstStateChangeReturn ret = gst_element_set_state (e, walk[i]);

    fail_if (ret == GST_STATE_CHANGE_FAILURE, "to %s",
        gst_element_state_get_name (walk[i]));
    g_object_get (e, "current-port", &port, NULL);
    if (walk[i] == GST_STATE_NULL) {
      fail_unless_equals_int (port, 0);
    } else {
      fail_unless (port != 0);
    }
  }
  /* bound and released three times */
  fail_unless_equals_int (notified, 6);
  gst_object_unref (e);

  /* an application's EOS (gst-launch-1.0 -e) ends the pipeline */
  lp_test_net_start (net, NULL);
  {
    GstBus *bus = gst_element_get_bus (net->pipeline);
    GstMessage *msg;

    fail_unless (gst_element_send_event (net->pipeline, gst_event_new_eos ()));
    msg = gst_bus_timed_pop_filtered (bus, 5 * GST_SECOND, GST_MESSAGE_EOS |
        GST_MESSAGE_ERROR);
    fail_unless (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS,
        "no EOS");
    gst_message_unref (msg);
    gst_object_unref (bus);
  }
  lp_test_net_free (net);
}

GST_END_TEST;

/* an orchestrator outside the active set takes no payment: go-livepeer's
 * "inactive in round N, cannot process payments" (its winners could not
 * be redeemed) */
GST_START_TEST (test_inactive_takes_no_payment)
{
  LpTestNet *net = lp_test_net_new ("1e18", "1e18");
  gchar *path = g_build_filename (net->dir, "other.key", NULL);
  LpPrivateKey *other = lp_key_file_create (path, NULL);
  gchar *reason;

  fail_unless (other != NULL);
  lp_test_net_start (net, "key-file", path, "price-per-unit", (guint64) 1,
      NULL);
  fail_unless_equals_int (lp_test_discovery_status (net, net->bcast,
          &reason), LP_GRPC_STATUS_UNKNOWN);
  fail_unless (strstr (reason, "inactive in round 1") != NULL, "%s", reason);
  g_free (reason);
  lp_private_key_unref (other);
  g_free (path);
  lp_test_net_free (net);
}

GST_END_TEST;

/* The first warning on @net's bus within @timeout, or NULL. */
static GstMessage *
wait_warning (LpTestNet * net, GstClockTime timeout)
{
  GstBus *bus = gst_element_get_bus (net->pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, timeout,
      GST_MESSAGE_WARNING);

  gst_object_unref (bus);
  return msg;
}

/* register-service-uri: the ledger's URI for the node becomes its
 * advertised one (lporchestrator-service-uri says from what), a restart
 * with the same URI changes nothing, and an address that is not registered
 * gets a warning that says so. */
GST_START_TEST (test_register_service_uri)
{
  LpTestNet *net = lp_test_net_new ("0", "0");
  gchar *path = g_build_filename (net->dir, "other.key", NULL);
  LpPrivateKey *other = lp_key_file_create (path, NULL);
  LpLedgerOrchestrator info;
  const GstStructure *s;
  GstMessage *msg;
  GError *error = NULL;
  gchar *debug = NULL;
  guint port = 0;

  lp_test_net_start (net, "service-uri", "http://orch.test:8935",
      "register-service-uri", TRUE, NULL);
  msg = lp_test_wait_message (net, "lporchestrator-service-uri", WAIT);
  fail_unless (msg != NULL, "no lporchestrator-service-uri");
  s = gst_message_get_structure (msg);
  fail_unless_equals_string (gst_structure_get_string (s, "service-uri"),
      "http://orch.test:8935");
  fail_unless_equals_string (gst_structure_get_string (s, "previous-uri"),
      "http://127.0.0.1");
  gst_message_unref (msg);
  fail_unless (lp_ledger_get_orchestrator (net->ledger,
          lp_private_key_get_address (net->orch), &info, &error), "%s",
      error ? error->message : "");
  fail_unless_equals_string (info.service_uri, "http://orch.test:8935");
  fail_unless_equals_uint64 (info.reward_cut, 100000);
  fail_unless_equals_uint64 (info.fee_share, 500000);
  lp_ledger_orchestrator_clear (&info);

  /* the same URI again: nothing to say */
  lp_test_net_stop (net);
  lp_test_net_start (net, "service-uri", "http://orch.test:8935",
      "register-service-uri", TRUE, NULL);
  msg = lp_test_wait_message (net, "lporchestrator-service-uri",
      2 * GST_SECOND);
  fail_if (msg != NULL, "the unchanged URI was set again");

  /* not registered: a warning with the reason, and the node serves on */
  lp_test_net_stop (net);
  fail_unless (other != NULL);
  lp_test_net_start (net, "key-file", path, "register-service-uri", TRUE,
      NULL);
  msg = wait_warning (net, WAIT);
  fail_unless (msg != NULL, "no warning for an unregistered address");
  gst_message_parse_warning (msg, &error, &debug);
  fail_unless (strstr (error->message, "Could not register the service URI")
      != NULL, "%s", error->message);
  fail_unless (strstr (error->message, "not a registered orchestrator")
      != NULL, "%s", error->message);
  g_clear_error (&error);
  g_free (debug);
  gst_message_unref (msg);
  g_object_get (net->orchestrator, "current-port", &port, NULL);
  fail_unless (port != 0, "the node stopped serving");
  lp_private_key_unref (other);
  g_free (path);
  lp_test_net_free (net);
}

GST_END_TEST;

static Suite *
lporchestrator_suite (void)
{
  Suite *s = suite_create ("lporchestrator");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();
  tcase_set_timeout (tc, 240);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_states);
  tcase_add_test (tc, test_start_errors);
  tcase_add_test (tc, test_transcode_pay_redeem_reward);
  tcase_add_test (tc, test_capacity);
  tcase_add_test (tc, test_inactive_takes_no_payment);
  tcase_add_test (tc, test_free_and_idle);
  tcase_add_test (tc, test_end_session);
  tcase_add_test (tc, test_metrics);
  tcase_add_test (tc, test_register_service_uri);
  return s;
}

GST_CHECK_MAIN (lporchestrator);

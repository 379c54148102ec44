/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of lpsender: every refusal before paying, in go-livepeer's
 * order, nonces (fresh, atomic, capped), the tickets a payment may carry,
 * signed tickets and the fee estimate.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpcheck.h"
#include <gst/livepeer/lpsender.h>
#include <gst/livepeer/lpwire.h>
#include <gst/livepeer/lpwire-proto.h>

static void
u256 (const gchar * text, LpUint256 * value)
{
  fail_unless (lp_uint256_parse (text, value, NULL));
}

/* parameters as an orchestrator issues them at block 1000: EV 8e9 */
static void
good_params (LpTicketParams * p)
{
  LpUint256 ev;

  memset (p, 0, sizeof (*p));
  memset (p->recipient.bytes, 0x11, 20);
  u256 ("1.2e15", &p->face_value);
  u256 ("8e9", &ev);
  fail_unless (lp_ticket_win_prob_for_ev (&ev, &p->face_value, &p->win_prob,
          NULL));
  fail_unless (lp_crypto_random_bytes (p->recipient_rand_hash, 32, NULL));
  fail_unless (lp_crypto_random_bytes (p->seed.be, 32, NULL));
  p->expiration_block = 1040;
  p->expiration_params.creation_round = 3000;
  memset (p->expiration_params.creation_round_block_hash, 0x44, 32);
}

static void
good_info (LpSenderInfo * info)
{
  memset (info, 0, sizeof (*info));
  u256 ("1e18", &info->deposit);
  u256 ("1e18", &info->reserve);
  info->last_initialized_round = 3000;
  info->last_seen_block = 1000;
}

static void
expect_refusal (const LpSenderConfig * config, const LpTicketParams * p,
    const LpSenderInfo * info, guint n, LpPaymentError code,
    const gchar * words)
{
  GError *error = NULL;

  fail_if (lp_sender_validate_ticket_params (config, p, info, n, &error));
  fail_unless (error != NULL);
  fail_unless (g_error_matches (error, LP_PAYMENT_ERROR, code),
      "expected code %d, got %s", code, error->message);
  fail_unless (strstr (error->message, words) != NULL, "%s", error->message);
  g_error_free (error);
}

GST_START_TEST (test_config_defaults)
{
  LpSenderConfig c;
  gchar *t;

  lp_sender_config_init (&c);
  t = lp_uint256_to_string (&c.max_ticket_ev);
  fail_unless_equals_string (t, "3000000000000");
  g_free (t);
  t = lp_uint256_to_string (&c.max_total_ev);
  fail_unless_equals_string (t, "20000000000000");
  g_free (t);
  fail_unless_equals_int (c.deposit_multiplier, 1);
}

GST_END_TEST;

GST_START_TEST (test_refusals)
{
  LpSenderConfig config;
  LpTicketParams p;
  LpSenderInfo info;
  GError *error = NULL;

  lp_sender_config_init (&config);
  good_params (&p);
  good_info (&info);
  fail_unless (lp_sender_validate_ticket_params (&config, &p, &info, 1,
          &error));
  fail_unless (lp_sender_validate_ticket_params (NULL, &p, &info, 1, &error));

  expect_refusal (&config, NULL, &info, 1, LP_PAYMENT_ERROR_MISSING_PARAMS,
      "missing ticket params");
  p.expiration_block = 0;
  expect_refusal (&config, &p, &info, 1, LP_PAYMENT_ERROR_MISSING_PARAMS,
      "no expiration block");

  /* expired once expirationBlock − lastSeenBlock ≤ 1 */
  p.expiration_block = 1002;
  fail_unless (lp_sender_validate_ticket_params (&config, &p, &info, 1,
          &error));
  fail_if (lp_sender_ticket_params_expired (&p, 1000));
  p.expiration_block = 1001;
  fail_unless (lp_sender_ticket_params_expired (&p, 1000));
  expect_refusal (&config, &p, &info, 1, LP_PAYMENT_ERROR_PARAMS_EXPIRED,
      "ticket params expired");
  p.expiration_block = 900;
  expect_refusal (&config, &p, &info, 1, LP_PAYMENT_ERROR_PARAMS_EXPIRED,
      "refresh");
  p.expiration_block = 1040;

  /* EV not below faceValue */
  lp_uint256_set_max (&p.win_prob);
  u256 ("1e12", &p.face_value);
  expect_refusal (&config, &p, &info, 1, LP_PAYMENT_ERROR_FACE_VALUE_TOO_LOW,
      "ticket faceValue too low");

  /* EV above the max ticket EV (3e12) */
  good_params (&p);
  {
    LpUint256 ev;

    u256 ("3000000000001", &ev);
    fail_unless (lp_ticket_win_prob_for_ev (&ev, &p.face_value, &p.win_prob,
            NULL));
    expect_refusal (&config, &p, &info, 1, LP_PAYMENT_ERROR_EV_TOO_HIGH,
        "ticket EV higher than max EV");
    u256 ("3000000000000", &config.max_ticket_ev);
    /* 3e12 + a fraction of a wei is still above 3e12 */
    expect_refusal (&config, &p, &info, 1, LP_PAYMENT_ERROR_EV_TOO_HIGH,
        "max EV");
    /* and so is the configured EV itself: it needs a max one wei higher */
    u256 ("3000000000001", &config.max_ticket_ev);
    expect_refusal (&config, &p, &info, 1, LP_PAYMENT_ERROR_EV_TOO_HIGH,
        "max EV");
    u256 ("3000000000002", &config.max_ticket_ev);
    fail_unless (lp_sender_validate_ticket_params (&config, &p, &info, 1,
            &error));
    lp_sender_config_init (&config);
  }

  /* deposit and reserve unlocking soon */
  good_params (&p);
  info.withdraw_round = 3001;
  expect_refusal (&config, &p, &info, 1, LP_PAYMENT_ERROR_UNLOCK_SOON,
      "deposit and reserve is set to unlock soon");
  info.withdraw_round = 3002;
  fail_unless (lp_sender_validate_ticket_params (&config, &p, &info, 1,
          &error));

  lp_uint256_set_zero (&info.reserve);
  expect_refusal (&config, &p, &info, 1, LP_PAYMENT_ERROR_NO_RESERVE,
      "no sender reserve");
  good_info (&info);
  lp_uint256_set_zero (&info.deposit);
  expect_refusal (&config, &p, &info, 1, LP_PAYMENT_ERROR_NO_DEPOSIT,
      "no sender deposit");
  good_info (&info);

  /* total EV: 2500 × 8e9 = 2e13 (+ fractions) > 2e13 */
  fail_unless (lp_sender_validate_ticket_params (&config, &p, &info, 2499,
          &error));
  expect_refusal (&config, &p, &info, 2500, LP_PAYMENT_ERROR_TOTAL_EV_TOO_HIGH,
      "total ticket EV higher than max total EV");

  /* faceValue above deposit / multiplier */
  u256 ("1.2e15", &info.deposit);
  fail_unless (lp_sender_validate_ticket_params (&config, &p, &info, 1,
          &error));
  config.deposit_multiplier = 2;
  expect_refusal (&config, &p, &info, 1,
      LP_PAYMENT_ERROR_FACE_VALUE_TOO_HIGH,
      "ticket faceValue higher than max faceValue");
  lp_sender_config_init (&config);
  u256 ("1199999999999999", &info.deposit);
  expect_refusal (&config, &p, &info, 1,
      LP_PAYMENT_ERROR_FACE_VALUE_TOO_HIGH, "maxFaceValue=1199999999999999");

  /* an EV of 0 (price 0 parameters) passes every later check */
  lp_uint256_set_zero (&p.face_value);
  lp_uint256_set_zero (&p.win_prob);
  lp_uint256_set_zero (&info.deposit);
  lp_uint256_set_zero (&info.reserve);
  fail_unless (lp_sender_validate_ticket_params (&config, &p, &info, 1,
          &error));
}

GST_END_TEST;

/* first failure wins, in go-livepeer's order */
GST_START_TEST (test_refusal_order)
{
  LpTicketParams p;
  LpSenderInfo info;

  good_params (&p);
  good_info (&info);
  lp_uint256_set_zero (&info.deposit);
  lp_uint256_set_zero (&info.reserve);
  info.withdraw_round = 1;
  u256 ("1", &info.deposit);
  /* expired beats everything */
  p.expiration_block = 1001;
  expect_refusal (NULL, &p, &info, 5000, LP_PAYMENT_ERROR_PARAMS_EXPIRED,
      "expired");
  p.expiration_block = 1040;
  expect_refusal (NULL, &p, &info, 5000, LP_PAYMENT_ERROR_UNLOCK_SOON,
      "unlock");
  info.withdraw_round = 0;
  expect_refusal (NULL, &p, &info, 5000, LP_PAYMENT_ERROR_NO_RESERVE,
      "reserve");
  u256 ("1", &info.reserve);
  lp_uint256_set_zero (&info.deposit);
  expect_refusal (NULL, &p, &info, 5000, LP_PAYMENT_ERROR_NO_DEPOSIT,
      "deposit");
  u256 ("1", &info.deposit);
  expect_refusal (NULL, &p, &info, 5000, LP_PAYMENT_ERROR_TOTAL_EV_TOO_HIGH,
      "total");
  expect_refusal (NULL, &p, &info, 1, LP_PAYMENT_ERROR_FACE_VALUE_TOO_HIGH,
      "max faceValue");
}

GST_END_TEST;

GST_START_TEST (test_payment_tickets)
{
  LpPrivateKey *key = lp_private_key_generate (NULL);
  LpSender *sender = lp_sender_new (key, NULL);
  LpPriceInfo price = { 1200, 1 };
  LpTicketParams p;
  LpSenderInfo info;
  GError *error = NULL;
  LpPayment *pay;
  gchar *id, *id2, *hex;
  guint i;

  good_params (&p);
  good_info (&info);
  id = lp_sender_start_session (sender, &p, &price, &error);
  fail_unless (id != NULL);
  hex = lp_hex_encode (p.recipient_rand_hash, 32, TRUE);
  fail_unless_equals_string (id, hex);
  g_free (hex);
  fail_unless_equals_int (lp_sender_get_last_nonce (sender, id), 0);

  pay = lp_sender_create_payment (sender, id, 3, &info, &error);
  fail_unless (pay != NULL, "%s", error ? error->message : "");
  fail_unless (pay->has_ticket_params);
  fail_unless (lp_address_equal (&pay->sender,
          lp_private_key_get_address (key)));
  fail_unless (lp_price_info_equal (&pay->expected_price, &price));
  fail_unless_equals_int (pay->expiration_params.creation_round, 3000);
  fail_unless_equals_int (pay->tickets->len, 3);
  for (i = 0; i < 3; i++) {
    LpTicketSenderParams *tsp =
        &g_array_index (pay->tickets, LpTicketSenderParams, i);
    LpTicket t;

    fail_unless_equals_int (tsp->sender_nonce, i + 1);
    lp_payment_get_ticket (pay, i, &t);
    fail_unless (lp_ticket_verify (&t, tsp->sig, 65, &error));
  }
  lp_payment_free (pay);

  /* the same params again: same session, nonces go on */
  id2 = lp_sender_start_session (sender, &p, &price, &error);
  fail_unless_equals_string (id, id2);
  g_free (id2);
  pay = lp_sender_create_payment (sender, id, 2, &info, &error);
  fail_unless_equals_int (g_array_index (pay->tickets, LpTicketSenderParams,
          0).sender_nonce, 4);
  lp_payment_free (pay);

  /* a refused payment takes no nonce */
  info.last_seen_block = 1039;
  fail_if (lp_sender_create_payment (sender, id, 1, &info, &error));
  fail_unless (g_error_matches (error, LP_PAYMENT_ERROR,
          LP_PAYMENT_ERROR_PARAMS_EXPIRED));
  g_clear_error (&error);
  fail_unless_equals_int (lp_sender_get_last_nonce (sender, id), 5);
  info.last_seen_block = 1000;

  /* no tickets: sender and price only, no nonce */
  pay = lp_sender_create_payment (sender, id, 0, &info, &error);
  fail_if (pay->has_ticket_params);
  fail_unless_equals_int (pay->tickets->len, 0);
  fail_unless (lp_price_info_equal (&pay->expected_price, &price));
  lp_payment_free (pay);
  fail_unless_equals_int (lp_sender_get_last_nonce (sender, id), 5);

  /* the cap: 600 per parameter set (in payments of at most 200) */
  for (i = 0; i < 2; i++) {
    pay = lp_sender_create_payment (sender, id, 200, &info, &error);
    fail_unless (pay != NULL, "%s", error ? error->message : "");
    lp_payment_free (pay);
  }
  pay = lp_sender_create_payment (sender, id, 196, &info, &error);
  fail_if (pay != NULL);
  fail_unless (g_error_matches (error, LP_PAYMENT_ERROR,
          LP_PAYMENT_ERROR_TOO_MANY_TICKETS));
  g_clear_error (&error);
  pay = lp_sender_create_payment (sender, id, 195, &info, &error);
  fail_unless (pay != NULL);
  fail_unless_equals_int (g_array_index (pay->tickets, LpTicketSenderParams,
          194).sender_nonce, 600);
  lp_payment_free (pay);
  fail_if (lp_sender_create_payment (sender, id, 1, &info, &error));
  fail_unless (g_error_matches (error, LP_PAYMENT_ERROR,
          LP_PAYMENT_ERROR_TOO_MANY_TICKETS));
  fail_unless (strstr (error->message, "refresh") != NULL);
  g_clear_error (&error);

  /* unknown and ended sessions, expiry purge */
  fail_if (lp_sender_create_payment (sender, "0x00", 1, &info, &error));
  fail_unless (g_error_matches (error, LP_PAYMENT_ERROR,
          LP_PAYMENT_ERROR_UNKNOWN_SESSION));
  g_clear_error (&error);
  fail_unless_equals_int (lp_sender_purge_expired (sender, 1038), 0);
  fail_unless_equals_int (lp_sender_purge_expired (sender, 1039), 1);
  fail_if (lp_sender_end_session (sender, id));
  g_free (id);

  /* an invalid price is refused */
  price.pixels_per_unit = 0;
  fail_if (lp_sender_start_session (sender, &p, &price, &error));
  fail_unless (g_error_matches (error, LP_PAYMENT_ERROR,
          LP_PAYMENT_ERROR_INVALID_PRICE));
  g_clear_error (&error);

  lp_sender_free (sender);
  lp_private_key_unref (key);
}

GST_END_TEST;

/* A payment is never built with more tickets than its header can carry:
 * the sender refuses, naming the count and the ticket EV, and takes no
 * nonce; the most it builds is a header an HTTP server takes. */
GST_START_TEST (test_payment_size_cap)
{
  LpPrivateKey *key = lp_private_key_generate (NULL);
  LpSender *sender = lp_sender_new (key, NULL);
  LpPriceInfo price = { 1200, 1 };
  LpTicketParams p;
  LpSenderInfo info;
  GError *error = NULL;
  LpPayment *pay, *back;
  LpRational *ev;
  gchar *id, *words, *ev_text, *header;

  good_params (&p);
  good_info (&info);
  id = lp_sender_start_session (sender, &p, &price, &error);
  fail_unless (id != NULL);
  ev = lp_sender_get_ticket_ev (sender, id, NULL);
  ev_text = lp_rational_to_string (ev);

  pay = lp_sender_create_payment (sender, id,
      LP_WIRE_MAX_TICKETS_PER_PAYMENT + 1, &info, &error);
  fail_unless (pay == NULL);
  fail_unless (g_error_matches (error, LP_PAYMENT_ERROR,
          LP_PAYMENT_ERROR_PAYMENT_TOO_LARGE), "%s", error->message);
  words = g_strdup_printf ("%u tickets at the orchestrator's ticket EV of %s "
      "wei", LP_WIRE_MAX_TICKETS_PER_PAYMENT + 1, ev_text);
  fail_unless (strstr (error->message, words) != NULL, "%s", error->message);
  g_free (words);
  words = g_strdup_printf ("at most %u", LP_WIRE_MAX_TICKETS_PER_PAYMENT);
  fail_unless (strstr (error->message, words) != NULL, "%s", error->message);
  g_free (words);
  g_clear_error (&error);
  fail_unless_equals_int (lp_sender_get_last_nonce (sender, id), 0);

  pay = lp_sender_create_payment (sender, id, LP_WIRE_MAX_TICKETS_PER_PAYMENT,
      &info, &error);
  fail_unless (pay != NULL, "%s", error ? error->message : "");
  /* the wire's Livepeer-Payment value, base64 of protobuf, decodes back */
  header = lp_wire_payment_to_proto_header (pay);
  fail_unless (strlen (header) < LP_WIRE_MAX_HEADER_SIZE);
  {
    g_autoptr (GBytes) bytes = lp_wire_header_decode_bytes (header,
        "Livepeer-Payment", &error);
    g_autoptr (LpProtoPayment) p = NULL;

    fail_unless (bytes != NULL, "%s", error ? error->message : "");
    p = lp_proto_payment_decode (g_bytes_get_data (bytes, NULL),
        g_bytes_get_size (bytes), &error);
    fail_unless (p != NULL, "%s", error ? error->message : "");
    back = lp_wire_payment_from_proto (p, &error);
  }
  fail_unless (back != NULL, "%s", error ? error->message : "");
  fail_unless_equals_int (back->tickets->len,
      LP_WIRE_MAX_TICKETS_PER_PAYMENT);
  lp_payment_free (back);
  lp_payment_free (pay);
  g_free (header);

  lp_rational_free (ev);
  g_free (ev_text);
  g_free (id);
  lp_sender_free (sender);
  lp_private_key_unref (key);
}

GST_END_TEST;

typedef struct
{
  LpSender *sender;
  const gchar *id;
  LpSenderInfo info;
  GMutex lock;
  GArray *nonces;
} ThreadData;

static gpointer
pay_thread (gpointer data)
{
  ThreadData *d = data;
  guint i;

  for (i = 0; i < 25; i++) {
    LpPayment *pay = lp_sender_create_payment (d->sender, d->id, 3, &d->info,
        NULL);
    guint j;

    g_mutex_lock (&d->lock);
    for (j = 0; j < pay->tickets->len; j++)
      g_array_append_val (d->nonces, g_array_index (pay->tickets,
              LpTicketSenderParams, j).sender_nonce);
    g_mutex_unlock (&d->lock);
    lp_payment_free (pay);
  }
  return NULL;
}

/* 8 threads × 25 payments × 3 tickets: 600 distinct nonces 1..600 */
GST_START_TEST (test_nonces_threads)
{
  LpPrivateKey *key = lp_private_key_generate (NULL);
  LpPriceInfo price = { 1, 1 };
  LpTicketParams p;
  GThread *threads[8];
  gboolean seen[601] = { FALSE };
  ThreadData d;
  gchar *id;
  guint i;

  d.sender = lp_sender_new (key, NULL);
  good_params (&p);
  good_info (&d.info);
  id = lp_sender_start_session (d.sender, &p, &price, NULL);
  d.id = id;
  g_mutex_init (&d.lock);
  d.nonces = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("pay", pay_thread, &d);
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  fail_unless_equals_int (d.nonces->len, 600);
  for (i = 0; i < d.nonces->len; i++) {
    guint32 n = g_array_index (d.nonces, guint32, i);

    fail_unless (n >= 1 && n <= 600);
    fail_if (seen[n], "nonce %u reused", n);
    seen[n] = TRUE;
  }
  g_array_unref (d.nonces);
  g_mutex_clear (&d.lock);
  g_free (id);
  lp_sender_free (d.sender);
  lp_private_key_unref (key);
}

GST_END_TEST;

GST_START_TEST (test_fee_estimate)
{
  /* reference §5.3: 2 s at 720p30 + 360p30, 1200 wei/pixel */
  LpFeeRendition r[] = { {1280, 720, 30, 1}, {640, 360, 30, 1} };
  LpFeeRendition pass = { 1, 1, 0, 0 }, ntsc = { 100, 10, 30000, 1001 };
  LpPriceInfo price = { 1200, 1 }, frac = { 606, 5 }, bad = { 1, 0 };
  LpRational *fee, *ev, *zero;
  GError *error = NULL;
  gchar *text;
  guint n;

  fee = lp_sender_estimate_fee (r, 2, 2000, &price, &error);
  text = lp_rational_to_string (fee);
  /* 69 120 000 × 1.02 × 1200 */
  fail_unless_equals_string (text, "84602880000");
  g_free (text);
  ev = lp_rational_new_uint64 (8000000000, 1);
  zero = lp_rational_new ();
  fail_unless (lp_tickets_needed (fee, ev, zero, &n, &error));
  fail_unless_equals_int (n, 11);
  lp_rational_free (fee);

  /* ceil(duration): 2.001 s counts 3 s */
  fee = lp_sender_estimate_fee (r, 2, 2001, &price, &error);
  text = lp_rational_to_string (fee);
  fail_unless_equals_string (text, "126904320000");
  g_free (text);
  lp_rational_free (fee);

  /* source-rate passthrough counts 60 fps; 29.97 counts 30; fractional
   * price stays exact: 1 px × 60 × 1 s × 1.02 × 606/5 */
  fee = lp_sender_estimate_fee (&pass, 1, 1000, &frac, &error);
  text = lp_rational_to_string (fee);
  fail_unless_equals_string (text, "185436/25");
  g_free (text);
  lp_rational_free (fee);
  fee = lp_sender_estimate_fee (&ntsc, 1, 1000, &price, &error);
  text = lp_rational_to_string (fee);
  fail_unless_equals_string (text, "36720000");
  g_free (text);
  lp_rational_free (fee);

  fail_if (lp_sender_estimate_fee (r, 2, 2000, &bad, &error));
  fail_unless (g_error_matches (error, LP_PAYMENT_ERROR,
          LP_PAYMENT_ERROR_INVALID_PRICE));
  g_clear_error (&error);

  lp_rational_free (ev);
  lp_rational_free (zero);
}

GST_END_TEST;

static Suite *
sender_suite (void)
{
  Suite *s = suite_create ("lpsender");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_config_defaults);
  tcase_add_test (tc, test_refusals);
  tcase_add_test (tc, test_refusal_order);
  tcase_add_test (tc, test_payment_tickets);
  tcase_add_test (tc, test_payment_size_cap);
  tcase_add_test (tc, test_nonces_threads);
  tcase_add_test (tc, test_fee_estimate);

  return s;
}

GST_CHECK_MAIN (sender);

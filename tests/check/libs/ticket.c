/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of lpticket: the docs/design/protocol.md §8 ticket vectors through
 * lp_ticket_hash(), signatures, the winning test and its rate, winProb and
 * EV, prices and payments.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "lpcheck.h"
#include <gst/livepeer/lpticket.h>

#define KEY2_HEX \
  "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
#define WIN_PROB_VECTOR \
  "771947261582107969490473233391252719021799897770937093596383896000000000"
#define ORDER_HEX \
  "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"

static void
u256 (const gchar * text, LpUint256 * value)
{
  GError *error = NULL;

  fail_unless (lp_uint256_parse (text, value, &error), "%s",
      error ? error->message : "");
}

/* the §8 ticket */
static void
vector_ticket (LpTicket * t)
{
  memset (t, 0, sizeof (*t));
  memset (t->recipient.bytes, 0x11, LP_ADDRESS_SIZE);
  memset (t->sender.bytes, 0x22, LP_ADDRESS_SIZE);
  u256 ("1.2e15", &t->face_value);
  u256 (WIN_PROB_VECTOR, &t->win_prob);
  t->sender_nonce = 1;
  memset (t->recipient_rand_hash, 0x33, 32);
  t->expiration_params.creation_round = 3000;
  memset (t->expiration_params.creation_round_block_hash, 0x44, 32);
}

GST_START_TEST (test_ticket_hash_vectors)
{
  guint8 hash[LP_TICKET_HASH_SIZE], digest[32], aux[64];
  LpTicket t;

  vector_ticket (&t);
  fail_if (lp_expiration_params_is_empty (&t.expiration_params));
  fail_unless_equals_int (lp_expiration_params_aux_data (&t.expiration_params,
          aux), 64);
  lp_ticket_hash (&t, hash);
  lp_check_assert_hex (hash, 32,
      "6ee25348ca6fa4b7655841bf1599f3da736d4edfc23d44f6118a5565df1c2888");
  lp_personal_digest (hash, digest);
  lp_check_assert_hex (digest, 32,
      "7a42f00e38fc80d9f73a08d5b50527bb1c1d1760293ef6c3fc2925d5adb237a3");

  /* round 0 and zero hash: no auxData */
  t.expiration_params.creation_round = 0;
  memset (t.expiration_params.creation_round_block_hash, 0, 32);
  fail_unless (lp_expiration_params_is_empty (&t.expiration_params));
  fail_unless_equals_int (lp_expiration_params_aux_data (&t.expiration_params,
          aux), 0);
  lp_ticket_hash (&t, hash);
  lp_check_assert_hex (hash, 32,
      "97b6b58f4d547a61425d70de3cacdfbf2ee7a05d916b2aa8cf0764202a2281c6");

  /* round 0 with a non-zero hash, or a round with a zero hash: auxData */
  t.expiration_params.creation_round_block_hash[31] = 1;
  fail_if (lp_expiration_params_is_empty (&t.expiration_params));
  lp_ticket_hash (&t, digest);
  fail_if (memcmp (digest, hash, 32) == 0);
  memset (t.expiration_params.creation_round_block_hash, 0, 32);
  t.expiration_params.creation_round = 1;
  fail_if (lp_expiration_params_is_empty (&t.expiration_params));
  fail_unless_equals_int (lp_expiration_params_aux_data (&t.expiration_params,
          aux), 64);
  fail_unless_equals_int (aux[31], 1);
}

GST_END_TEST;

GST_START_TEST (test_rand_hash_and_win_prob_vectors)
{
  LpUint256 rand, ev, face, win_prob, floor_ev;
  guint8 hash[32];
  GError *error = NULL;
  gboolean exact = TRUE;

  u256 ("123456789", &rand);
  lp_ticket_recipient_rand_hash (&rand, hash);
  lp_check_assert_hex (hash, 32,
      "f395757e0d74803aae4e8adb875451d99622e911b61c64e044e0bd16a16f18cd");

  u256 ("8e9", &ev);
  u256 ("1.2e15", &face);
  fail_unless (lp_ticket_win_prob_for_ev (&ev, &face, &win_prob, &error));
  lp_check_assert_u256 (&win_prob, WIN_PROB_VECTOR);

  /* an even face value never divides 2^256-1: the EV is 8e9 plus a
   * fraction of a wei */
  lp_ticket_expected_value (&face, &win_prob, &floor_ev, &exact);
  lp_check_assert_u256 (&floor_ev, "8000000000");
  fail_if (exact);
}

GST_END_TEST;

GST_START_TEST (test_win_prob_rules)
{
  LpUint256 ev, face, win_prob, max, floor_ev;
  GError *error = NULL;
  gboolean exact = FALSE;

  lp_uint256_set_max (&max);
  u256 ("8e9", &ev);

  /* faceValue 0: winProb 0 */
  lp_uint256_set_zero (&face);
  fail_unless (lp_ticket_win_prob_for_ev (&ev, &face, &win_prob, &error));
  fail_unless (lp_uint256_is_zero (&win_prob));

  /* faceValue = EV: always wins, EV exact */
  fail_unless (lp_ticket_win_prob_for_ev (&ev, &ev, &win_prob, &error));
  fail_unless (lp_uint256_equal (&win_prob, &max));
  lp_ticket_expected_value (&ev, &win_prob, &floor_ev, &exact);
  fail_unless (exact);
  fail_unless (lp_uint256_equal (&floor_ev, &ev));

  /* EV above faceValue: refused */
  u256 ("7999999999", &face);
  fail_if (lp_ticket_win_prob_for_ev (&ev, &face, &win_prob, &error));
  fail_unless (g_error_matches (error, LP_TICKET_ERROR,
          LP_TICKET_ERROR_EV_ABOVE_FACE_VALUE));
  g_clear_error (&error);

  /* a face value dividing 2^256-1 (3 × 5 × 17 × 257) gives an exact EV */
  u256 ("65535", &face);
  u256 ("1000", &ev);
  fail_unless (lp_ticket_win_prob_for_ev (&ev, &face, &win_prob, &error));
  lp_ticket_expected_value (&face, &win_prob, &floor_ev, &exact);
  fail_unless (exact);
  lp_check_assert_u256 (&floor_ev, "1000");

  /* 0 EV: winProb 0 */
  lp_uint256_set_zero (&ev);
  fail_unless (lp_ticket_win_prob_for_ev (&ev, &face, &win_prob, &error));
  fail_unless (lp_uint256_is_zero (&win_prob));

  /* an astronomic face value overflows */
  u256 ("0x8000000000000000000000000000000000000000000000000000000000000001",
      &face);
  u256 ("0x8000000000000000000000000000000000000000000000000000000000000000",
      &ev);
  fail_if (lp_ticket_win_prob_for_ev (&ev, &face, &win_prob, &error));
  fail_unless (g_error_matches (error, LP_UINT256_ERROR,
          LP_UINT256_ERROR_OVERFLOW));
  g_clear_error (&error);
}

GST_END_TEST;

/* "EV equals the configured EV exactly": with winProb = EV × ceil(M /
 * face) (M = 2^256-1), the exact EV is EV × (M + r) / M where r = face ×
 * ceil(M / face) − M < face. So floor(EV) equals the configured EV
 * whenever EV × face < M (every real ticket), and the EV is the configured
 * one exactly (the `exact` flag) iff r = 0, that is iff face divides M —
 * never for an even face value. */
GST_START_TEST (test_expected_value_exactness)
{
  static const struct
  {
    const gchar *ev, *face;
    gboolean exact;
  } cases[] = {
    {"8e9", "1.2e15", FALSE},
    {"8e9", "8e11", FALSE},
    {"1e12", "1.2e17", FALSE},
    {"3", "255", TRUE},
    {"123456", "4294967295", TRUE},     /* 2^32-1 divides 2^256-1 */
    {"1e12", "18446744073709551615", TRUE},     /* 2^64-1 */
    {"1", "1", TRUE},
    {"8e9", "8e9", TRUE},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    LpUint256 ev, face, win_prob, floor_ev;
    gboolean exact;

    u256 (cases[i].ev, &ev);
    u256 (cases[i].face, &face);
    fail_unless (lp_ticket_win_prob_for_ev (&ev, &face, &win_prob, NULL));
    lp_ticket_expected_value (&face, &win_prob, &floor_ev, &exact);
    fail_unless (lp_uint256_equal (&floor_ev, &ev), "case %u", i);
    fail_unless_equals_int (exact, cases[i].exact);
  }
}

GST_END_TEST;

GST_START_TEST (test_sign_verify)
{
  LpPrivateKey *key = lp_check_key_from_hex (KEY2_HEX), *other;
  guint8 sig[LP_SIGNATURE_SIZE], twin[LP_SIGNATURE_SIZE], hash[32];
  LpUint256 n, s;
  LpAddress signer;
  GError *error = NULL;
  LpTicket t;

  vector_ticket (&t);
  t.sender = *lp_private_key_get_address (key);
  fail_unless (lp_ticket_sign (&t, key, sig, &error));
  fail_unless (lp_ticket_verify (&t, sig, sizeof (sig), &error));
  /* the same as a hash signature of lp_ticket_hash() */
  lp_ticket_hash (&t, hash);
  fail_unless (lp_recover_hash (hash, sig, sizeof (sig), &signer, NULL));
  fail_unless (lp_address_equal (&signer, &t.sender));

  /* any field changed: another signer */
  t.sender_nonce = 2;
  fail_if (lp_ticket_verify (&t, sig, sizeof (sig), &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_WRONG_SIGNER));
  g_clear_error (&error);
  t.sender_nonce = 1;

  /* the mirrored high-s twin recovers the same key but is refused */
  u256 ("0x" ORDER_HEX, &n);
  lp_uint256_from_bytes32 (sig + 32, &s);
  fail_unless (lp_uint256_sub (&n, &s, &s, NULL));
  memcpy (twin, sig, 32);
  memcpy (twin + 32, s.be, 32);
  twin[64] = sig[64] == 27 ? 28 : 27;
  fail_if (lp_ticket_verify (&t, twin, sizeof (twin), &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_INVALID_SIGNATURE));
  g_clear_error (&error);

  /* short signature */
  fail_if (lp_ticket_verify (&t, sig, 64, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_INVALID_SIGNATURE));
  g_clear_error (&error);

  /* signed by someone else than the sender */
  other = lp_private_key_generate (NULL);
  fail_unless (lp_ticket_sign (&t, other, sig, &error));
  fail_if (lp_ticket_verify (&t, sig, sizeof (sig), &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_WRONG_SIGNER));
  g_clear_error (&error);

  lp_private_key_unref (other);
  lp_private_key_unref (key);
}

GST_END_TEST;

GST_START_TEST (test_wins_threshold)
{
  guint8 sig[LP_SIGNATURE_SIZE], buf[97];
  LpUint256 rand, value, win_prob, one;
  gboolean carry_ok;

  fail_unless (lp_crypto_random_bytes (sig, sizeof (sig), NULL));
  fail_unless (lp_crypto_random_bytes (rand.be, 32, NULL));
  memcpy (buf, sig, 65);
  memcpy (buf + 65, rand.be, 32);
  lp_keccak256 (buf, sizeof (buf), value.be);

  /* strict: winProb equal to the value loses, one more wins */
  fail_if (lp_ticket_wins (sig, &rand, &value));
  lp_uint256_from_uint64 (1, &one);
  carry_ok = lp_uint256_add (&value, &one, &win_prob, NULL);
  if (carry_ok)
    fail_unless (lp_ticket_wins (sig, &rand, &win_prob));
  lp_uint256_set_zero (&win_prob);
  fail_if (lp_ticket_wins (sig, &rand, &win_prob));
  lp_uint256_set_max (&win_prob);
  fail_unless_equals_int (lp_ticket_wins (sig, &rand, &win_prob),
      !lp_uint256_equal (&value, &win_prob));
}

GST_END_TEST;

/* ≥ 20 000 really signed tickets, each with a fresh random recipientRand,
 * at winProb = (2^256-1)/8: the number of winners is within 4σ of n/8. */
GST_START_TEST (test_win_rate)
{
  const guint n = 20000;
  LpPrivateKey *key = lp_private_key_generate (NULL);
  LpUint256 max, eight, win_prob, rand;
  guint8 sig[LP_SIGNATURE_SIZE];
  gdouble expected, sigma;
  guint i, wins = 0;
  LpTicket t;

  lp_uint256_set_max (&max);
  lp_uint256_from_uint64 (8, &eight);
  fail_unless (lp_uint256_div (&max, &eight, &win_prob, NULL));

  vector_ticket (&t);
  t.sender = *lp_private_key_get_address (key);
  t.win_prob = win_prob;
  for (i = 0; i < n; i++) {
    t.sender_nonce = i + 1;
    fail_unless (lp_crypto_random_bytes (rand.be, 32, NULL));
    lp_ticket_recipient_rand_hash (&rand, t.recipient_rand_hash);
    fail_unless (lp_ticket_sign (&t, key, sig, NULL));
    if (lp_ticket_wins (sig, &rand, &win_prob))
      wins++;
  }
  expected = n / 8.0;
  sigma = sqrt (n * (1.0 / 8) * (7.0 / 8));
  GST_INFO ("%u winners of %u (expected %.0f ± %.1f)", wins, n, expected,
      sigma);
  fail_unless (fabs (wins - expected) <= 4 * sigma,
      "%u winners of %u, expected %.0f ± %.1f", wins, n, expected, 4 * sigma);
  lp_private_key_unref (key);
}

GST_END_TEST;

GST_START_TEST (test_prices)
{
  LpPriceInfo a = { 1200, 1 }, b = { 2400, 2 }, c = { 1212, 10 }, r;
  LpPriceInfo zero = { 0, 7 }, invalid = { 5, 0 };

  fail_unless (lp_price_info_is_valid (&a));
  fail_if (lp_price_info_is_valid (&invalid));
  lp_price_info_reduce (&b, &r);
  fail_unless (r.price_per_unit == 1200 && r.pixels_per_unit == 1);
  lp_price_info_reduce (&c, &r);
  fail_unless (r.price_per_unit == 606 && r.pixels_per_unit == 5);
  lp_price_info_reduce (&zero, &r);
  fail_unless (r.price_per_unit == 0 && r.pixels_per_unit == 1);
  fail_unless (lp_price_info_equal (&a, &b));
  fail_if (lp_price_info_equal (&a, &c));
  fail_if (lp_price_info_equal (&invalid, &invalid));
}

GST_END_TEST;

GST_START_TEST (test_payment)
{
  LpPayment *p = lp_payment_new (), *copy;
  LpTicketSenderParams tsp = { 0 };
  LpTicket t, v;
  guint8 h1[32], h2[32];

  fail_if (p->has_ticket_params);
  fail_unless_equals_int (p->tickets->len, 0);

  vector_ticket (&v);
  p->has_ticket_params = TRUE;
  p->ticket_params.recipient = v.recipient;
  p->ticket_params.face_value = v.face_value;
  p->ticket_params.win_prob = v.win_prob;
  memcpy (p->ticket_params.recipient_rand_hash, v.recipient_rand_hash, 32);
  p->sender = v.sender;
  p->expiration_params = v.expiration_params;
  tsp.sender_nonce = 1;
  g_array_append_val (p->tickets, tsp);
  tsp.sender_nonce = 2;
  g_array_append_val (p->tickets, tsp);

  copy = lp_payment_copy (p);
  fail_unless (copy->tickets != p->tickets);
  fail_unless_equals_int (copy->tickets->len, 2);
  lp_payment_free (p);

  lp_payment_get_ticket (copy, 0, &t);
  lp_ticket_hash (&t, h1);
  lp_ticket_hash (&v, h2);
  fail_unless (memcmp (h1, h2, 32) == 0);
  lp_payment_get_ticket (copy, 1, &t);
  fail_unless_equals_int (t.sender_nonce, 2);
  lp_payment_free (copy);
  lp_payment_free (NULL);
}

GST_END_TEST;

GST_START_TEST (test_unlocking_soon)
{
  LpSenderInfo info = { 0 };

  info.last_initialized_round = 100;
  fail_if (lp_sender_info_unlocking_soon (&info));
  info.withdraw_round = 102;
  fail_if (lp_sender_info_unlocking_soon (&info));
  info.withdraw_round = 101;
  fail_unless (lp_sender_info_unlocking_soon (&info));
  info.withdraw_round = 50;
  fail_unless (lp_sender_info_unlocking_soon (&info));
}

GST_END_TEST;

static Suite *
ticket_suite (void)
{
  Suite *s = suite_create ("lpticket");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_ticket_hash_vectors);
  tcase_add_test (tc, test_rand_hash_and_win_prob_vectors);
  tcase_add_test (tc, test_win_prob_rules);
  tcase_add_test (tc, test_expected_value_exactness);
  tcase_add_test (tc, test_sign_verify);
  tcase_add_test (tc, test_wins_threshold);
  tcase_add_test (tc, test_win_rate);
  tcase_add_test (tc, test_prices);
  tcase_add_test (tc, test_payment);
  tcase_add_test (tc, test_unlocking_soon);

  return s;
}

GST_CHECK_MAIN (ticket);

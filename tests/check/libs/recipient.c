/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of lprecipient: recipientRand derivation, ticket parameter
 * generation, every validation error with fatal/non-fatal crediting,
 * winners handed to the redemption queue, nonces, balances, threads.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpcheck.h"
#include <gst/livepeer/lprecipient.h>
#include <gst/livepeer/lpsender.h>
#include <gst/livepeer/lpwire.h>

#define WIN_PROB_VECTOR \
  "771947261582107969490473233391252719021799897770937093596383896000000000"
#define ORDER_HEX \
  "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"
#define SESSION "session-1"

static void
u256 (const gchar * text, LpUint256 * value)
{
  fail_unless (lp_uint256_parse (text, value, NULL));
}

/* ---- a broadcaster, an orchestrator, and a queue ---- */

typedef struct
{
  GMutex lock;
  GArray *winners;              /* LpWinningTicket */
} Queue;

static void
queue_ticket (const LpWinningTicket * ticket, gpointer user_data)
{
  Queue *q = user_data;

  g_mutex_lock (&q->lock);
  g_array_append_val (q->winners, *ticket);
  g_mutex_unlock (&q->lock);
}

typedef struct
{
  LpPrivateKey *b_key;
  LpSender *sender;
  LpAddress o_address;
  LpRecipient *recipient;
  Queue queue;
  LpPriceInfo price;
  LpTicketParams params;
  LpSenderInfo info;
  gchar *session;               /* the sender's */
} Fixture;

static const LpExpirationParams exp_params = { 3000, {
        0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44,
        0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44,
    0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44}
};

/* @always_wins: face value = EV + 1 wei, so tickets lose with probability
 * 1/(EV + 1) only (face value = EV, certain wins, is refused by senders) */
static void
fixture_init (Fixture * f, gboolean always_wins)
{
  LpRedemptionQueue queue = { LP_REDEMPTION_QUEUE_VERSION, queue_ticket,
    &f->queue, {NULL}
  };
  LpUint256 gas_price, max_float;
  GError *error = NULL;

  memset (f, 0, sizeof (*f));
  g_mutex_init (&f->queue.lock);
  f->queue.winners = g_array_new (FALSE, FALSE, sizeof (LpWinningTicket));
  f->b_key = lp_private_key_generate (NULL);
  f->sender = lp_sender_new (f->b_key, NULL);
  fail_unless (lp_crypto_random_bytes (f->o_address.bytes, 20, NULL));
  f->recipient = lp_recipient_new (&f->o_address, NULL, &queue, &error);
  fail_unless (f->recipient != NULL);
  f->price.price_per_unit = 1200;
  f->price.pixels_per_unit = 1;

  /* 1e7 wei gas: tx cost 1.2e13, face value 1.2e15 */
  u256 (always_wins ? "0" : "1e7", &gas_price);
  u256 ("8000000001", &max_float);
  fail_unless (lp_recipient_ticket_params (f->recipient,
          lp_private_key_get_address (f->b_key), &f->price, &gas_price,
          always_wins ? &max_float : NULL, 1000, &exp_params, &f->params,
          &error), "%s", error ? error->message : "");

  memset (&f->info, 0, sizeof (f->info));
  u256 ("1e18", &f->info.deposit);
  u256 ("1e18", &f->info.reserve);
  f->info.last_initialized_round = 3000;
  f->info.last_seen_block = 1000;
  f->session = lp_sender_start_session (f->sender, &f->params, &f->price,
      &error);
  fail_unless (f->session != NULL);
}

static void
fixture_clear (Fixture * f)
{
  g_free (f->session);
  lp_recipient_free (f->recipient);
  lp_sender_free (f->sender);
  lp_private_key_unref (f->b_key);
  g_array_unref (f->queue.winners);
  g_mutex_clear (&f->queue.lock);
}

static LpPayment *
pay (Fixture * f, guint n)
{
  GError *error = NULL;
  LpPayment *p = lp_sender_create_payment (f->sender, f->session, n, &f->info,
      &error);

  fail_unless (p != NULL, "%s", error ? error->message : "");
  return p;
}

/* receive @p, expect @code (-1: success), @credited tickets credited */
static void
receive (Fixture * f, const LpPayment * p, gint code, guint credited,
    gboolean fatal)
{
  GError *error = NULL;
  guint n_credited = 99, n_winning = 99;
  gboolean ok;

  ok = lp_recipient_receive_payment (f->recipient, p, SESSION, &f->info,
      &n_credited, &n_winning, &error);
  if (code < 0) {
    fail_unless (ok, "%s", error ? error->message : "");
  } else {
    fail_if (ok);
    fail_unless (g_error_matches (error, LP_RECIPIENT_ERROR, code),
        "expected %d, got %s", code, error->message);
    fail_unless_equals_int (lp_recipient_error_is_fatal (error), fatal);
    g_error_free (error);
  }
  fail_unless_equals_int (n_credited, credited);
}

static void
assert_balance_tickets (Fixture * f, const LpAddress * sender, guint n)
{
  LpRational *balance = lp_recipient_get_balance (f->recipient, sender,
      SESSION);
  LpRational *expected = lp_rational_new_ticket_ev (&f->params.face_value,
      &f->params.win_prob);

  lp_rational_mul_uint64 (expected, n);
  fail_unless (lp_rational_equal (balance, expected), "balance %s",
      lp_rational_to_string (balance));
  lp_rational_free (balance);
  lp_rational_free (expected);
}

#define B_ADDR(f) lp_private_key_get_address ((f)->b_key)

/* ---- derivation ---- */

/* recipientRand against an independent HMAC-SHA256 (Python's hmac) of
 * the docs/design/protocol.md §3 message, price reduced */
GST_START_TEST (test_rand_derivation)
{
  guint8 secret[32];
  LpRecipient *r;
  LpAddress recipient, sender;
  LpUint256 seed, face, win, rand, zero = LP_UINT256_INIT;
  LpExpirationParams none = { 0 };
  LpPriceInfo price = { 2400, 2 }, zero_price = { 0, 7 };
  gchar *hex;
  guint i;

  for (i = 0; i < 32; i++)
    secret[i] = i;
  memset (recipient.bytes, 0x11, 20);
  memset (sender.bytes, 0x22, 20);
  r = lp_recipient_new_with_secret (&recipient, secret, 32, NULL, NULL);
  u256 ("0x0102", &seed);
  u256 ("1.2e15", &face);
  u256 (WIN_PROB_VECTOR, &win);

  lp_recipient_rand (r, &seed, &sender, &face, &win, 1040, &price,
      &exp_params, &rand);
  hex = lp_hex_encode (rand.be, 32, FALSE);
  fail_unless_equals_string (hex,
      "b9f62b4afb0fa902f76826bc60160fdfd40a6a6fb1e4b82029de74faf8b716c2");
  g_free (hex);

  /* zero values are empty, the zero price is 0/1, no auxData */
  lp_recipient_rand (r, &seed, &sender, &zero, &zero, 1040, &zero_price,
      &none, &rand);
  hex = lp_hex_encode (rand.be, 32, FALSE);
  fail_unless_equals_string (hex,
      "f558d8391290a036e4e979afd56c92ca75e391d70f1eac1ad4f97940203d9f6b");
  g_free (hex);
  lp_recipient_free (r);
}

GST_END_TEST;

GST_START_TEST (test_ticket_params)
{
  LpRecipientConfig config;
  LpRecipient *r;
  LpAddress o, b;
  LpTicketParams p, p2;
  LpUint256 gas, max_float, ev_floor, rand, configured;
  LpPriceInfo price = { 1200, 1 }, free_price = { 0, 1 }, bad = { 1, 0 };
  LpRational *ev, *diff, *one;
  guint8 hash[32];
  GError *error = NULL;
  gboolean exact;

  memset (o.bytes, 0x11, 20);
  memset (b.bytes, 0x22, 20);
  lp_recipient_config_init (&config);
  lp_check_assert_u256 (&config.ticket_ev, "8000000000");
  fail_unless_equals_int (config.redeem_gas, 1200000);
  r = lp_recipient_new (&o, &config, NULL, &error);

  /* tx cost × 100: gas 1e7 → tx cost 1.2e13 → face 1.2e15 */
  u256 ("1e7", &gas);
  fail_unless (lp_recipient_ticket_params (r, &b, &price, &gas, NULL, 1000,
          &exp_params, &p, &error));
  fail_unless (lp_address_equal (&p.recipient, &o));
  lp_check_assert_u256 (&p.face_value, "1200000000000000");
  lp_check_assert_u256 (&p.win_prob, WIN_PROB_VECTOR);
  fail_unless_equals_int (p.expiration_block, 1040);
  fail_unless_equals_int (p.expiration_params.creation_round, 3000);
  lp_recipient_rand (r, &p.seed, &b, &p.face_value, &p.win_prob, 1040,
      &price, &exp_params, &rand);
  lp_ticket_recipient_rand_hash (&rand, hash);
  fail_unless (memcmp (hash, p.recipient_rand_hash, 32) == 0);

  /* the EV is the configured one: floor equal, the excess below 1 wei (it
   * cannot be exact: 1.2e15 is even and 2^256-1 odd) */
  lp_ticket_expected_value (&p.face_value, &p.win_prob, &ev_floor, &exact);
  lp_check_assert_u256 (&ev_floor, "8000000000");
  fail_if (exact);
  ev = lp_rational_new_ticket_ev (&p.face_value, &p.win_prob);
  diff = lp_rational_copy (ev);
  u256 ("8e9", &configured);
  one = lp_rational_new_uint256 (&configured);
  lp_rational_sub (diff, one);
  lp_rational_free (one);
  one = lp_rational_new_uint64 (1, 1);
  fail_unless_equals_int (lp_rational_sign (diff), 1);
  fail_unless (lp_rational_cmp (diff, one) < 0);
  lp_rational_free (one);
  lp_rational_free (diff);
  lp_rational_free (ev);

  /* fresh seed each time */
  fail_unless (lp_recipient_ticket_params (r, &b, &price, &gas, NULL, 1000,
          &exp_params, &p2, &error));
  fail_if (lp_uint256_equal (&p.seed, &p2.seed));
  fail_if (memcmp (p.recipient_rand_hash, p2.recipient_rand_hash, 32) == 0);

  /* below EV: EV × 100 */
  u256 ("1", &gas);
  fail_unless (lp_recipient_ticket_params (r, &b, &price, &gas, NULL, 1000,
          &exp_params, &p, &error));
  lp_check_assert_u256 (&p.face_value, "800000000000");

  /* max float caps it; face = EV ⇒ winProb 2^256-1, EV exact */
  u256 ("0", &gas);
  u256 ("8e9", &max_float);
  fail_unless (lp_recipient_ticket_params (r, &b, &price, &gas, &max_float,
          1000, &exp_params, &p, &error));
  lp_check_assert_u256 (&p.face_value, "8000000000");
  lp_check_assert_u256 (&p.win_prob,
      "115792089237316195423570985008687907853269984665640564039457584007913129639935");
  lp_ticket_expected_value (&p.face_value, &p.win_prob, &ev_floor, &exact);
  fail_unless (exact);

  /* below the EV: insufficient reserve */
  u256 ("7999999999", &max_float);
  fail_if (lp_recipient_ticket_params (r, &b, &price, &gas, &max_float,
          1000, &exp_params, &p, &error));
  fail_unless (g_error_matches (error, LP_RECIPIENT_ERROR,
          LP_RECIPIENT_ERROR_INSUFFICIENT_RESERVE));
  fail_unless (strstr (error->message, "insufficient sender reserve"));
  g_clear_error (&error);

  /* not worth a redemption: below tx cost and below gas × 3 gwei */
  u256 ("1e9", &gas);
  u256 ("1e12", &max_float);
  fail_if (lp_recipient_ticket_params (r, &b, &price, &gas, &max_float,
          1000, &exp_params, &p, &error));
  fail_unless (g_error_matches (error, LP_RECIPIENT_ERROR,
          LP_RECIPIENT_ERROR_INSUFFICIENT_RESERVE));
  g_clear_error (&error);

  /* price 0: no payment */
  fail_unless (lp_recipient_ticket_params (r, &b, &free_price, &gas, NULL,
          1000, &exp_params, &p, &error));
  fail_unless (lp_uint256_is_zero (&p.face_value));
  fail_unless (lp_uint256_is_zero (&p.win_prob));

  fail_if (lp_recipient_ticket_params (r, &b, &bad, &gas, NULL, 1000,
          &exp_params, &p, &error));
  fail_unless (g_error_matches (error, LP_RECIPIENT_ERROR,
          LP_RECIPIENT_ERROR_INVALID_PRICE));
  g_clear_error (&error);
  lp_recipient_free (r);

  /* a configured face value, and the max face value */
  u256 ("5e15", &config.face_value);
  r = lp_recipient_new (&o, &config, NULL, &error);
  fail_unless (lp_recipient_ticket_params (r, &b, &price, &gas, NULL, 1000,
          &exp_params, &p, &error));
  lp_check_assert_u256 (&p.face_value, "5000000000000000");
  lp_recipient_free (r);
  lp_uint256_set_zero (&config.face_value);
  u256 ("2e15", &config.max_face_value);
  r = lp_recipient_new (&o, &config, NULL, &error);
  fail_unless (lp_recipient_ticket_params (r, &b, &price, &gas, NULL, 1000,
          &exp_params, &p, &error));
  lp_check_assert_u256 (&p.face_value, "2000000000000000");
  lp_recipient_free (r);
}

GST_END_TEST;

/* ---- validation ---- */

GST_START_TEST (test_accept)
{
  Fixture f;
  LpPayment *p;

  fixture_init (&f, FALSE);
  p = pay (&f, 5);
  receive (&f, p, -1, 5, FALSE);
  assert_balance_tickets (&f, B_ADDR (&f), 5);
  lp_payment_free (p);

  /* no tickets: nothing to check or credit */
  p = pay (&f, 0);
  receive (&f, p, -1, 0, FALSE);
  lp_payment_free (p);
  assert_balance_tickets (&f, B_ADDR (&f), 5);
  fixture_clear (&f);
}

GST_END_TEST;

/* fatal: nothing credited, no nonce recorded */
GST_START_TEST (test_fatal_errors)
{
  Fixture f;
  LpPayment *good, *p;
  LpPriceInfo doubled;

  fixture_init (&f, FALSE);
  good = pay (&f, 3);

  /* unlock soon */
  f.info.withdraw_round = 3001;
  receive (&f, good, LP_RECIPIENT_ERROR_UNLOCK_SOON, 0, TRUE);
  f.info.withdraw_round = 0;

  /* not for us */
  p = lp_payment_copy (good);
  p->ticket_params.recipient.bytes[0] ^= 1;
  receive (&f, p, LP_RECIPIENT_ERROR_INVALID_RECIPIENT, 0, TRUE);
  lp_payment_free (p);

  /* zero sender */
  p = lp_payment_copy (good);
  memset (p->sender.bytes, 0, 20);
  receive (&f, p, LP_RECIPIENT_ERROR_INVALID_SENDER, 0, TRUE);
  lp_payment_free (p);

  /* bad rand: another seed */
  p = lp_payment_copy (good);
  p->ticket_params.seed.be[31] ^= 1;
  receive (&f, p, LP_RECIPIENT_ERROR_INVALID_RECIPIENT_RAND, 0, TRUE);
  lp_payment_free (p);

  /* another rand hash */
  p = lp_payment_copy (good);
  p->ticket_params.recipient_rand_hash[0] ^= 1;
  receive (&f, p, LP_RECIPIENT_ERROR_INVALID_RECIPIENT_RAND, 0, TRUE);
  lp_payment_free (p);

  /* altered price: the expected price is not the one the params were
   * generated for; the same price in other terms is fine */
  p = lp_payment_copy (good);
  p->expected_price.price_per_unit = 1000;
  receive (&f, p, LP_RECIPIENT_ERROR_INVALID_RECIPIENT_RAND, 0, TRUE);
  p->expected_price.pixels_per_unit = 0;
  receive (&f, p, LP_RECIPIENT_ERROR_INVALID_PRICE, 0, TRUE);
  lp_payment_free (p);

  /* altered face value (re-signed by the sender: still refused) */
  p = lp_payment_copy (good);
  fail_unless (lp_uint256_parse ("2.4e15", &p->ticket_params.face_value, NULL));
  {
    LpTicketSenderParams *tsp;
    LpTicket t;
    guint i;

    for (i = 0; i < p->tickets->len; i++) {
      tsp = &g_array_index (p->tickets, LpTicketSenderParams, i);
      lp_payment_get_ticket (p, i, &t);
      fail_unless (lp_ticket_sign (&t, f.b_key, tsp->sig, NULL));
    }
  }
  receive (&f, p, LP_RECIPIENT_ERROR_INVALID_RECIPIENT_RAND, 0, TRUE);
  lp_payment_free (p);

  /* altered expiration block / creation round */
  p = lp_payment_copy (good);
  p->ticket_params.expiration_block++;
  receive (&f, p, LP_RECIPIENT_ERROR_INVALID_RECIPIENT_RAND, 0, TRUE);
  lp_payment_free (p);
  p = lp_payment_copy (good);
  p->expiration_params.creation_round++;
  receive (&f, p, LP_RECIPIENT_ERROR_INVALID_RECIPIENT_RAND, 0, TRUE);
  lp_payment_free (p);

  /* tickets without params */
  p = lp_payment_copy (good);
  p->has_ticket_params = FALSE;
  receive (&f, p, LP_RECIPIENT_ERROR_MISSING_PARAMS, 0, TRUE);
  lp_payment_free (p);

  assert_balance_tickets (&f, B_ADDR (&f), 0);
  fail_unless_equals_int (f.queue.winners->len, 0);

  /* nothing was recorded: the honest payment still goes through */
  p = lp_payment_copy (good);
  doubled = p->expected_price;
  doubled.price_per_unit *= 2;
  doubled.pixels_per_unit *= 2;
  p->expected_price = doubled;
  receive (&f, p, -1, 3, FALSE);
  lp_payment_free (p);
  assert_balance_tickets (&f, B_ADDR (&f), 3);

  /* once a parameter set is proven, altered copies are still refused */
  p = pay (&f, 1);
  p->expected_price.price_per_unit = 1201;
  receive (&f, p, LP_RECIPIENT_ERROR_INVALID_RECIPIENT_RAND, 0, TRUE);
  p->expected_price.price_per_unit = 1200;
  p->ticket_params.seed.be[0] ^= 0x80;
  receive (&f, p, LP_RECIPIENT_ERROR_INVALID_RECIPIENT_RAND, 0, TRUE);
  p->ticket_params.seed.be[0] ^= 0x80;
  p->sender.bytes[19] ^= 1;
  receive (&f, p, LP_RECIPIENT_ERROR_INVALID_RECIPIENT_RAND, 0, TRUE);
  p->sender.bytes[19] ^= 1;
  receive (&f, p, -1, 1, FALSE);
  lp_payment_free (p);
  assert_balance_tickets (&f, B_ADDR (&f), 4);
  lp_payment_free (good);
  fixture_clear (&f);
}

GST_END_TEST;

static void
high_s_twin (guint8 sig[LP_SIGNATURE_SIZE])
{
  LpUint256 n, s;

  u256 ("0x" ORDER_HEX, &n);
  lp_uint256_from_bytes32 (sig + 32, &s);
  fail_unless (lp_uint256_sub (&n, &s, &s, NULL));
  memcpy (sig + 32, s.be, 32);
  sig[64] = sig[64] == 27 ? 28 : 27;
}

#define TSP(p, i) (&g_array_index ((p)->tickets, LpTicketSenderParams, (i)))

/* non-fatal: credit up to the first failure, none after */
GST_START_TEST (test_nonfatal_errors)
{
  Fixture f;
  LpPayment *p, *replay;
  guint total = 0;

  fixture_init (&f, FALSE);

  /* bad signature on the 2nd of 4 */
  p = pay (&f, 4);
  TSP (p, 1)->sig[10] ^= 1;
  receive (&f, p, LP_RECIPIENT_ERROR_INVALID_SIGNATURE, 1, FALSE);
  total += 1;
  assert_balance_tickets (&f, B_ADDR (&f), total);
  /* tickets 3 and 4 were still processed: their nonces are taken */
  replay = lp_payment_copy (p);
  g_array_remove_range (replay->tickets, 0, 2);
  receive (&f, replay, LP_RECIPIENT_ERROR_NONCE_SEEN, 0, FALSE);
  lp_payment_free (replay);
  lp_payment_free (p);

  /* high-s twin of a valid signature */
  p = pay (&f, 2);
  high_s_twin (TSP (p, 0)->sig);
  receive (&f, p, LP_RECIPIENT_ERROR_INVALID_SIGNATURE, 0, FALSE);
  lp_payment_free (p);
  assert_balance_tickets (&f, B_ADDR (&f), total);

  /* replayed nonce after good ones */
  p = pay (&f, 3);
  receive (&f, p, -1, 3, FALSE);
  total += 3;
  replay = pay (&f, 2);
  TSP (replay, 1)->sender_nonce = TSP (p, 2)->sender_nonce;
  {
    LpTicket t;

    lp_payment_get_ticket (replay, 1, &t);
    fail_unless (lp_ticket_sign (&t, f.b_key, TSP (replay, 1)->sig, NULL));
  }
  receive (&f, replay, LP_RECIPIENT_ERROR_NONCE_SEEN, 1, FALSE);
  total += 1;
  assert_balance_tickets (&f, B_ADDR (&f), total);
  lp_payment_free (replay);
  /* the whole payment again: all seen */
  receive (&f, p, LP_RECIPIENT_ERROR_NONCE_SEEN, 0, FALSE);
  lp_payment_free (p);

  /* expired: expirationBlock ≤ last seen block */
  p = pay (&f, 2);
  f.info.last_seen_block = 1040;
  receive (&f, p, LP_RECIPIENT_ERROR_PARAMS_EXPIRED, 0, FALSE);
  f.info.last_seen_block = 1039;
  /* its nonces were recorded all the same */
  receive (&f, p, LP_RECIPIENT_ERROR_NONCE_SEEN, 0, FALSE);
  lp_payment_free (p);
  assert_balance_tickets (&f, B_ADDR (&f), total);
  fixture_clear (&f);
}

GST_END_TEST;

/* the 601st distinct nonce of a parameter set is refused */
GST_START_TEST (test_nonce_cap)
{
  Fixture f;
  LpPayment *p = NULL;
  LpTicket t;
  guint i;

  fixture_init (&f, FALSE);
  /* in payments as large as the wire carries */
  for (i = 0; i < LP_TICKET_MAX_NONCES; i += LP_WIRE_MAX_TICKETS_PER_PAYMENT) {
    if (i > 0)
      lp_payment_free (p);
    p = pay (&f, LP_WIRE_MAX_TICKETS_PER_PAYMENT);
    receive (&f, p, -1, LP_WIRE_MAX_TICKETS_PER_PAYMENT, FALSE);
  }
  g_array_set_size (p->tickets, 1);
  TSP (p, 0)->sender_nonce = 601;
  lp_payment_get_ticket (p, 0, &t);
  fail_unless (lp_ticket_sign (&t, f.b_key, TSP (p, 0)->sig, NULL));
  receive (&f, p, LP_RECIPIENT_ERROR_TOO_MANY_NONCES, 0, FALSE);
  lp_payment_free (p);
  assert_balance_tickets (&f, B_ADDR (&f), 600);

  /* nonces are per parameter set: new params start afresh */
  fail_unless (lp_recipient_purge_nonces (f.recipient, 1039) == 0);
  fail_unless (lp_recipient_purge_nonces (f.recipient, 1040) == 1);
  fixture_clear (&f);
}

GST_END_TEST;

/* lp_recipient_reserve() admits work only when the credit covers its
 * estimated fee, and takes it until lp_recipient_refund() */
GST_START_TEST (test_reserve)
{
  Fixture f;
  LpPayment *p;
  LpRational *balance, *ev;
  GError *error = NULL;
  guint64 pixels;

  fixture_init (&f, FALSE);
  p = pay (&f, 2);
  receive (&f, p, -1, 2, FALSE);
  lp_payment_free (p);
  /* the most pixels two tickets pay for at 1200 wei a pixel */
  ev = lp_rational_new_ticket_ev (&f.params.face_value, &f.params.win_prob);
  lp_rational_mul_uint64 (ev, 2);
  for (pixels = 1;; pixels *= 2) {
    LpRational *next = lp_rational_new_price (&f.price, pixels * 2, NULL);
    gboolean over = lp_rational_cmp (next, ev) > 0;

    lp_rational_free (next);
    if (over)
      break;
  }
  fail_if (lp_recipient_reserve (f.recipient, B_ADDR (&f), SESSION,
          pixels * 4, &f.price, &error));
  fail_unless (g_error_matches (error, LP_RECIPIENT_ERROR,
          LP_RECIPIENT_ERROR_INSUFFICIENT_BALANCE));
  fail_unless (strstr (error->message, "estimated fee") != NULL);
  g_clear_error (&error);
  assert_balance_tickets (&f, B_ADDR (&f), 2);
  /* taken at once: the same credit does not admit twice */
  fail_unless (lp_recipient_reserve (f.recipient, B_ADDR (&f), SESSION,
          pixels, &f.price, NULL));
  fail_if (lp_recipient_reserve (f.recipient, B_ADDR (&f), SESSION,
          pixels, &f.price, NULL));
  /* and given back */
  lp_recipient_refund (f.recipient, B_ADDR (&f), SESSION, pixels, &f.price);
  assert_balance_tickets (&f, B_ADDR (&f), 2);
  /* free work needs nothing */
  {
    LpPriceInfo free_price = { 0, 1 };

    fail_unless (lp_recipient_reserve (f.recipient, B_ADDR (&f), "other",
            G_MAXUINT64, &free_price, NULL));
  }
  balance = lp_recipient_get_balance (f.recipient, B_ADDR (&f), "other");
  fail_unless_equals_int (lp_rational_sign (balance), 0);
  lp_rational_free (balance);
  lp_rational_free (ev);
  fixture_clear (&f);
}

GST_END_TEST;

/* winners (every ticket wins here) are queued even after a non-fatal
 * failure, with what redemption needs */
GST_START_TEST (test_winners)
{
  Fixture f;
  LpPayment *p;
  LpWinningTicket *w;
  guint8 hash[32];
  guint n_credited, n_winning;
  GError *error = NULL;

  fixture_init (&f, TRUE);
  p = pay (&f, 3);
  TSP (p, 1)->sig[5] ^= 1;
  fail_if (lp_recipient_receive_payment (f.recipient, p, SESSION, &f.info,
          &n_credited, &n_winning, &error));
  fail_unless (g_error_matches (error, LP_RECIPIENT_ERROR,
          LP_RECIPIENT_ERROR_INVALID_SIGNATURE));
  g_clear_error (&error);
  fail_unless_equals_int (n_credited, 1);
  fail_unless_equals_int (n_winning, 2);
  fail_unless_equals_int (f.queue.winners->len, 2);

  w = &g_array_index (f.queue.winners, LpWinningTicket, 1);
  fail_unless_equals_int (w->ticket.sender_nonce, 3);
  fail_unless (lp_ticket_verify (&w->ticket, w->sig, 65, NULL));
  fail_unless (memcmp (w->sig, TSP (p, 2)->sig, 65) == 0);
  lp_ticket_recipient_rand_hash (&w->recipient_rand, hash);
  fail_unless (memcmp (hash, f.params.recipient_rand_hash, 32) == 0);
  fail_unless (lp_ticket_wins (w->sig, &w->recipient_rand,
          &w->ticket.win_prob));
  fail_unless_equals_int (w->params_expiration_block, 1040);
  fail_unless_equals_int (w->ticket.expiration_params.creation_round, 3000);

  /* a replay is refused but its winners are queued again (the queue is
   * idempotent per ticket hash) */
  TSP (p, 1)->sig[5] ^= 1;
  fail_if (lp_recipient_receive_payment (f.recipient, p, SESSION, &f.info,
          &n_credited, &n_winning, &error));
  fail_unless (g_error_matches (error, LP_RECIPIENT_ERROR,
          LP_RECIPIENT_ERROR_NONCE_SEEN));
  g_clear_error (&error);
  fail_unless_equals_int (n_credited, 0);
  fail_unless_equals_int (n_winning, 3);

  /* a fatal failure queues nothing */
  f.info.withdraw_round = 1;
  fail_if (lp_recipient_receive_payment (f.recipient, p, SESSION, &f.info,
          &n_credited, &n_winning, &error));
  g_clear_error (&error);
  fail_unless_equals_int (n_winning, 0);
  fail_unless_equals_int (f.queue.winners->len, 5);
  lp_payment_free (p);
  fixture_clear (&f);
}

GST_END_TEST;

GST_START_TEST (test_redeemability)
{
  LpWinningTicket w;

  memset (&w, 0, sizeof (w));
  w.ticket.expiration_params.creation_round = 3000;
  w.params_expiration_block = 1040;

  /* not before the parameters expire */
  fail_unless_equals_int (lp_winning_ticket_redeemability (&w, 1039, 3000),
      LP_REDEEMABILITY_WAIT);
  fail_unless_equals_int (lp_winning_ticket_redeemability (&w, 1040, 3000),
      LP_REDEEMABILITY_NOW);
  fail_unless_equals_int (lp_winning_ticket_redeemability (&w, 1040, 3001),
      LP_REDEEMABILITY_NOW);
  /* creationRound + 2 > currentRound, else never */
  fail_unless_equals_int (lp_winning_ticket_redeemability (&w, 1040, 3002),
      LP_REDEEMABILITY_TOO_LATE);
  fail_unless_equals_int (lp_winning_ticket_redeemability (&w, 1000, 3002),
      LP_REDEEMABILITY_TOO_LATE);
  w.ticket.expiration_params.creation_round = 0;
  fail_unless_equals_int (lp_winning_ticket_redeemability (&w, 1040, 1),
      LP_REDEEMABILITY_NOW);
  fail_unless_equals_int (lp_winning_ticket_redeemability (&w, 1040, 2),
      LP_REDEEMABILITY_TOO_LATE);
}

GST_END_TEST;

/* ---- balance ---- */

GST_START_TEST (test_balance_gate)
{
  Fixture f;
  LpPayment *p;
  LpPriceInfo free_price = { 0, 1 }, bad = { 1, 0 };
  LpRational *balance;
  GError *error = NULL;
  gchar *text;

  fixture_init (&f, FALSE);
  fail_if (lp_recipient_check_balance (f.recipient, B_ADDR (&f), SESSION,
          &f.price, &error));
  fail_unless (g_error_matches (error, LP_RECIPIENT_ERROR,
          LP_RECIPIENT_ERROR_INSUFFICIENT_BALANCE));
  fail_unless (strstr (error->message, "insufficient balance") != NULL);
  g_clear_error (&error);
  /* free work needs no credit */
  fail_unless (lp_recipient_check_balance (f.recipient, B_ADDR (&f), SESSION,
          &free_price, &error));
  fail_if (lp_recipient_check_balance (f.recipient, B_ADDR (&f), SESSION,
          &bad, &error));
  g_clear_error (&error);

  p = pay (&f, 1);
  receive (&f, p, -1, 1, FALSE);
  lp_payment_free (p);
  fail_unless (lp_recipient_check_balance (f.recipient, B_ADDR (&f), SESSION,
          &f.price, &error));

  /* 1e6 encoded pixels at 1200 wei: 1.2e9 */
  fail_unless (lp_recipient_debit (f.recipient, B_ADDR (&f), SESSION,
          1000000, &f.price, &error));
  balance = lp_recipient_get_balance (f.recipient, B_ADDR (&f), SESSION);
  text = lp_rational_floor_to_string (balance);
  fail_unless_equals_string (text, "6800000000");
  g_free (text);
  lp_rational_free (balance);
  fail_if (lp_recipient_check_balance (f.recipient, B_ADDR (&f), SESSION,
          &f.price, &error));
  fail_unless (g_error_matches (error, LP_RECIPIENT_ERROR,
          LP_RECIPIENT_ERROR_INSUFFICIENT_BALANCE));
  g_clear_error (&error);

  /* balances of a session vanish after 10 minutes without update */
  fail_unless_equals_int (lp_recipient_purge_balances (f.recipient,
          g_get_monotonic_time () + 9 * G_TIME_SPAN_MINUTE), 0);
  fail_unless_equals_int (lp_recipient_purge_balances (f.recipient,
          g_get_monotonic_time () + 11 * G_TIME_SPAN_MINUTE), 1);
  balance = lp_recipient_get_balance (f.recipient, B_ADDR (&f), SESSION);
  fail_unless_equals_int (lp_rational_sign (balance), 0);
  lp_rational_free (balance);
  fixture_clear (&f);
}

GST_END_TEST;

/* ---- threads ---- */

typedef struct
{
  Fixture *f;
  GMutex lock;
  guint refused;
} Shared;

static gpointer
receive_thread (gpointer data)
{
  Shared *s = data;
  guint i;

  for (i = 0; i < 50; i++) {
    LpPayment *p = pay (s->f, 1);
    GError *error = NULL;

    fail_unless (lp_recipient_receive_payment (s->f->recipient, p, SESSION,
            &s->f->info, NULL, NULL, &error), "%s",
        error ? error->message : "");
    /* the same payment again, racing with the others */
    if (!lp_recipient_receive_payment (s->f->recipient, p, SESSION,
            &s->f->info, NULL, NULL, &error)) {
      fail_unless (g_error_matches (error, LP_RECIPIENT_ERROR,
              LP_RECIPIENT_ERROR_NONCE_SEEN));
      g_clear_error (&error);
      g_mutex_lock (&s->lock);
      s->refused++;
      g_mutex_unlock (&s->lock);
    }
    lp_payment_free (p);
  }
  return NULL;
}

GST_START_TEST (test_threads)
{
  Fixture f;
  Shared s = { &f };
  GThread *threads[8];
  guint i;

  fixture_init (&f, FALSE);
  g_mutex_init (&s.lock);
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("receive", receive_thread, &s);
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  fail_unless_equals_int (s.refused, 400);
  assert_balance_tickets (&f, B_ADDR (&f), 400);
  g_mutex_clear (&s.lock);
  fixture_clear (&f);
}

GST_END_TEST;

static Suite *
recipient_suite (void)
{
  Suite *s = suite_create ("lprecipient");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_rand_derivation);
  tcase_add_test (tc, test_ticket_params);
  tcase_add_test (tc, test_accept);
  tcase_add_test (tc, test_fatal_errors);
  tcase_add_test (tc, test_nonfatal_errors);
  tcase_add_test (tc, test_nonce_cap);
  tcase_add_test (tc, test_reserve);
  tcase_add_test (tc, test_winners);
  tcase_add_test (tc, test_redeemability);
  tcase_add_test (tc, test_balance_gate);
  tcase_add_test (tc, test_threads);

  return s;
}

GST_CHECK_MAIN (recipient);

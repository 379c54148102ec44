/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of lpbalance: exact amounts, balances per (address, session),
 * the ticket count and the broadcaster's three outcomes.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpcheck.h"
#include <gst/livepeer/lpbalance.h>

static void
assert_rational (const LpRational * r, const gchar * expected)
{
  gchar *text = lp_rational_to_string (r);

  fail_unless_equals_string (text, expected);
  g_free (text);
}

static void
assert_floor (const LpRational * r, const gchar * expected)
{
  gchar *text = lp_rational_floor_to_string (r);

  fail_unless_equals_string (text, expected);
  g_free (text);
}

static void
u256 (const gchar * text, LpUint256 * value)
{
  fail_unless (lp_uint256_parse (text, value, NULL));
}

GST_START_TEST (test_rational)
{
  LpRational *a = lp_rational_new_uint64 (6, 4), *b, *c;
  LpUint256 face, win;
  LpPriceInfo price = { 606, 5 }, bad = { 1, 0 };
  GError *error = NULL;

  assert_rational (a, "3/2");
  assert_floor (a, "1");
  fail_if (lp_rational_is_integer (a));
  b = lp_rational_new_uint64 (2, 1);
  lp_rational_sub (a, b);
  assert_rational (a, "-1/2");
  assert_floor (a, "-1");
  fail_unless_equals_int (lp_rational_sign (a), -1);
  lp_rational_mul_uint64 (a, 4);
  assert_rational (a, "-2");
  fail_unless (lp_rational_is_integer (a));
  lp_rational_add (a, b);
  fail_unless_equals_int (lp_rational_sign (a), 0);
  fail_unless (lp_rational_cmp (a, b) < 0);
  c = lp_rational_copy (b);
  fail_unless (lp_rational_equal (b, c));
  lp_rational_free (a);
  lp_rational_free (b);
  lp_rational_free (c);

  /* a ticket's EV: faceValue = EV: EV exactly */
  u256 ("8e9", &face);
  lp_uint256_set_max (&win);
  a = lp_rational_new_ticket_ev (&face, &win);
  assert_rational (a, "8000000000");
  lp_rational_free (a);

  /* the pixels' fee at 606/5 wei per pixel */
  a = lp_rational_new_price (&price, 7, &error);
  assert_rational (a, "4242/5");
  lp_rational_free (a);
  fail_if (lp_rational_new_price (&bad, 7, &error));
  fail_unless (g_error_matches (error, LP_BALANCE_ERROR,
          LP_BALANCE_ERROR_INVALID_PRICE));
  g_clear_error (&error);

  a = lp_rational_new_uint256 (&face);
  assert_rational (a, "8000000000");
  lp_rational_free (a);
}

GST_END_TEST;

GST_START_TEST (test_tickets_needed)
{
  LpRational *ev = lp_rational_new_uint64 (8000000000, 1);
  LpRational *zero = lp_rational_new ();
  LpRational *fee, *balance;
  GError *error = NULL;
  guint n = 99;

  /* reference §5.3: 69 120 000 pixels × 1.02 × 1200 wei, empty balance */
  fee = lp_rational_new_uint64 (69120000ULL * 102 * 1200, 100);
  fail_unless (lp_tickets_needed (fee, ev, zero, &n, &error));
  fail_unless_equals_int (n, 11);

  /* a fee below one EV still buys one ticket */
  lp_rational_free (fee);
  fee = lp_rational_new_uint64 (5, 1);
  fail_unless (lp_tickets_needed (fee, ev, zero, &n, &error));
  fail_unless_equals_int (n, 1);

  /* enough balance: none; just short: one */
  balance = lp_rational_new_uint64 (8000000000, 1);
  fail_unless (lp_tickets_needed (fee, ev, balance, &n, &error));
  fail_unless_equals_int (n, 0);
  lp_rational_free (balance);
  balance = lp_rational_new_uint64 (7999999999, 1);
  fail_unless (lp_tickets_needed (fee, ev, balance, &n, &error));
  fail_unless_equals_int (n, 1);

  /* a negative balance needs more */
  lp_rational_sub (balance, ev);
  lp_rational_sub (balance, ev);
  fail_unless (lp_tickets_needed (fee, ev, balance, &n, &error));
  fail_unless_equals_int (n, 3);

  /* EV 0: refused when tickets are needed */
  fail_if (lp_tickets_needed (fee, zero, zero, &n, &error));
  fail_unless (g_error_matches (error, LP_BALANCE_ERROR,
          LP_BALANCE_ERROR_ZERO_EV));
  g_clear_error (&error);

  lp_rational_free (balance);
  lp_rational_free (fee);
  lp_rational_free (ev);
  lp_rational_free (zero);
}

GST_END_TEST;

GST_START_TEST (test_balances)
{
  LpBalances *b = lp_balances_new ();
  LpAddress a1, a2;
  LpRational *amount = lp_rational_new_uint64 (10, 3), *r;

  memset (a1.bytes, 1, 20);
  memset (a2.bytes, 2, 20);
  r = lp_balances_get (b, &a1, "s");
  fail_unless_equals_int (lp_rational_sign (r), 0);
  lp_rational_free (r);
  fail_unless_equals_int (lp_balances_size (b), 0);

  lp_balances_credit (b, &a1, "s", amount, 1000);
  lp_balances_credit (b, &a1, "s", amount, 1000);
  lp_balances_credit (b, &a2, "s", amount, 1000);
  lp_balances_debit (b, &a1, "t", amount, 1000);
  r = lp_balances_get (b, &a1, "s");
  assert_rational (r, "20/3");
  lp_rational_free (r);
  r = lp_balances_get (b, &a1, "t");
  assert_rational (r, "-10/3");
  lp_rational_free (r);
  fail_unless_equals_int (lp_balances_size (b), 3);

  r = lp_balances_reserve (b, &a1, "s", 2000);
  assert_rational (r, "20/3");
  lp_rational_free (r);
  r = lp_balances_get (b, &a1, "s");
  assert_rational (r, "0");
  lp_rational_free (r);

  /* idle for more than the limit: gone; the reserve counted as update */
  fail_unless_equals_int (lp_balances_purge (b, 1000 + LP_BALANCE_IDLE_TIMEOUT,
          LP_BALANCE_IDLE_TIMEOUT), 0);
  fail_unless_equals_int (lp_balances_purge (b,
          1001 + LP_BALANCE_IDLE_TIMEOUT, LP_BALANCE_IDLE_TIMEOUT), 2);
  fail_unless_equals_int (lp_balances_size (b), 1);
  r = lp_balances_get (b, &a2, "s");
  assert_rational (r, "0");
  lp_rational_free (r);

  lp_rational_free (amount);
  lp_balances_free (b);
}

GST_END_TEST;

/* the three outcomes of reference §4.11 */
GST_START_TEST (test_three_outcomes)
{
  LpBalances *b = lp_balances_new ();
  LpRational *ev = lp_rational_new_uint64 (8000000000, 1);
  LpRational *fee = lp_rational_new_uint64 (20000000000, 1);
  LpRational *start = lp_rational_new_uint64 (5000000000, 1), *r;
  LpPriceInfo price = { 1200, 1 }, bad = { 1, 0 };
  LpBalanceUpdate *u;
  GError *error = NULL;
  LpAddress o;

  memset (o.bytes, 7, 20);

  /* never sent: the balance comes back */
  lp_balances_credit (b, &o, "s", start, 0);
  u = lp_balances_stage_update (b, &o, "s", fee, ev, 0, &error);
  fail_unless (u != NULL);
  /* ceil((2e10 - 5e9) / 8e9) = 2 tickets, 1.6e10 of credit */
  fail_unless_equals_int (lp_balance_update_get_num_tickets (u), 2);
  r = lp_balance_update_get_new_credit (u);
  assert_rational (r, "16000000000");
  lp_rational_free (r);
  r = lp_balance_update_get_existing (u);
  assert_rational (r, "5000000000");
  lp_rational_free (r);
  /* reserved meanwhile */
  r = lp_balances_get (b, &o, "s");
  assert_rational (r, "0");
  lp_rational_free (r);
  fail_unless (lp_balances_complete_update (b, u, LP_BALANCE_UPDATE_STAGED, 0,
          NULL, 0, &error));
  r = lp_balances_get (b, &o, "s");
  assert_rational (r, "5000000000");
  lp_rational_free (r);

  /* sent without a valid result: all spent */
  u = lp_balances_stage_update (b, &o, "s", fee, ev, 0, &error);
  fail_unless (lp_balances_complete_update (b, u,
          LP_BALANCE_UPDATE_CREDIT_SPENT, 0, NULL, 0, &error));
  r = lp_balances_get (b, &o, "s");
  assert_rational (r, "0");
  lp_rational_free (r);

  /* result received: existing + newCredit − pixels × price */
  lp_balances_credit (b, &o, "s", start, 0);
  u = lp_balances_stage_update (b, &o, "s", fee, ev, 0, &error);
  fail_unless (lp_balances_complete_update (b, u,
          LP_BALANCE_UPDATE_RECEIVED_CHANGE, 10000000, &price, 0, &error));
  r = lp_balances_get (b, &o, "s");
  /* 5e9 + 1.6e10 − 1.2e10 */
  assert_rational (r, "9000000000");
  lp_rational_free (r);

  /* enough balance: no tickets, no new credit */
  lp_rational_free (fee);
  fee = lp_rational_new_uint64 (1000, 1);
  u = lp_balances_stage_update (b, &o, "s", fee, ev, 0, &error);
  fail_unless_equals_int (lp_balance_update_get_num_tickets (u), 0);
  fail_unless (lp_balances_complete_update (b, u,
          LP_BALANCE_UPDATE_RECEIVED_CHANGE, 5, &price, 0, &error));
  r = lp_balances_get (b, &o, "s");
  assert_rational (r, "8999994000");
  lp_rational_free (r);

  /* a result with an invalid price counts as no valid result */
  u = lp_balances_stage_update (b, &o, "s", fee, ev, 0, &error);
  fail_if (lp_balances_complete_update (b, u,
          LP_BALANCE_UPDATE_RECEIVED_CHANGE, 5, &bad, 0, &error));
  fail_unless (g_error_matches (error, LP_BALANCE_ERROR,
          LP_BALANCE_ERROR_INVALID_PRICE));
  g_clear_error (&error);
  r = lp_balances_get (b, &o, "s");
  assert_rational (r, "0");
  lp_rational_free (r);

  lp_rational_free (start);
  lp_rational_free (fee);
  lp_rational_free (ev);
  lp_balances_free (b);
}

GST_END_TEST;

typedef struct
{
  LpBalances *balances;
  LpAddress address;
} ThreadData;

static gpointer
credit_thread (gpointer data)
{
  ThreadData *d = data;
  LpRational *third = lp_rational_new_uint64 (1, 3);
  guint i;

  for (i = 0; i < 3000; i++) {
    lp_balances_credit (d->balances, &d->address, "s", third, 0);
    if (i % 3 == 0)
      lp_balances_debit (d->balances, &d->address, "s", third, 0);
  }
  lp_rational_free (third);
  return NULL;
}

GST_START_TEST (test_balances_threads)
{
  ThreadData d;
  GThread *threads[8];
  LpRational *r;
  guint i;

  d.balances = lp_balances_new ();
  memset (d.address.bytes, 9, 20);
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("credit", credit_thread, &d);
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  /* 8 × (3000 − 1000) thirds */
  r = lp_balances_get (d.balances, &d.address, "s");
  assert_rational (r, "16000/3");
  lp_rational_free (r);
  lp_balances_free (d.balances);
}

GST_END_TEST;

static Suite *
balance_suite (void)
{
  Suite *s = suite_create ("lpbalance");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_rational);
  tcase_add_test (tc, test_tickets_needed);
  tcase_add_test (tc, test_balances);
  tcase_add_test (tc, test_three_outcomes);
  tcase_add_test (tc, test_balances_threads);

  return s;
}

GST_CHECK_MAIN (balance);

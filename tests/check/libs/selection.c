/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of lpselection: the exact price cap and doubling rule, and
 * the choice of orchestrator per segment (sticky reuse, lowest latency
 * score, stake-weighted roulette, suspension, exclusion).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpcheck.h"
#include <gst/livepeer/lpselection.h>

static gboolean
within (guint64 pn, guint64 pd, guint64 cn, guint64 cd)
{
  LpPriceInfo price = { pn, pd }, cap = { cn, cd };

  return lp_price_within_cap (&price, &cap);
}

static gboolean
doubled (guint64 in, guint64 id, guint64 cn, guint64 cd)
{
  LpPriceInfo initial = { in, id }, current = { cn, cd };

  return lp_price_more_than_doubled (&initial, &current);
}

static LpSelection *
new_selection (guint64 cap_ppu, guint64 cap_pixels, guint32 seed)
{
  LpSelectionConfig config;

  lp_selection_config_init (&config);
  config.max_price.price_per_unit = cap_ppu;
  config.max_price.pixels_per_unit = cap_pixels;
  config.seed = seed;
  return lp_selection_new (&config);
}

/* Adds @uri with a stake of @stake wei and a price of @ppu / 1 wei per
 * pixel. */
static void
add (LpSelection * sel, const gchar * uri, guint64 stake, guint64 ppu)
{
  LpUint256 s;
  LpPriceInfo price = { ppu, 1 };

  lp_uint256_from_uint64 (stake, &s);
  lp_selection_update (sel, uri, &s, &price);
}

/* Picks, expecting success, and checks the URI. */
static void
assert_pick (LpSelection * sel, const gchar * const *exclude,
    const gchar * expected)
{
  GError *error = NULL;
  gchar *uri = lp_selection_pick (sel, exclude, &error);

  fail_unless (error == NULL, "pick failed: %s",
      error ? error->message : "");
  fail_unless_equals_string (uri, expected);
  g_free (uri);
}

/* Picks, expecting @code, and returns the message. */
static gchar *
pick_error (LpSelection * sel, const gchar * const *exclude, gint code)
{
  GError *error = NULL;
  gchar *uri = lp_selection_pick (sel, exclude, &error);
  gchar *message;

  fail_unless (uri == NULL, "picked %s", uri);
  fail_unless (g_error_matches (error, LP_SELECTION_ERROR, code),
      "unexpected error %s", error ? error->message : "(none)");
  message = g_strdup (error->message);
  g_error_free (error);
  return message;
}

GST_START_TEST (test_config_init)
{
  LpSelectionConfig config;

  memset (&config, 0xab, sizeof (config));
  lp_selection_config_init (&config);
  fail_unless_equals_uint64 (config.max_price.price_per_unit, 0);
  fail_unless_equals_uint64 (config.max_price.pixels_per_unit, 1);
  fail_unless_equals_float (config.stake_weight, 0.7);
  fail_unless_equals_float (config.random_weight, 0.3);
  fail_unless_equals_float (config.latency_threshold, 1.0);
  fail_unless_equals_int (config.suspension_refreshes, 3);
  fail_unless_equals_int (config.seed, 0);
}

GST_END_TEST;

GST_START_TEST (test_price_cap)
{
  const guint64 m = G_MAXUINT64;

  /* no cap: anything, even no price */
  fail_unless (within (1000000, 1, 0, 1));
  fail_unless (within (5, 0, 0, 1));
  fail_unless (within (5, 0, 0, 0));

  fail_unless (within (1200, 1, 1200, 1));
  fail_if (within (1201, 1, 1200, 1));
  fail_unless (within (1199, 1, 1200, 1));
  /* 606/5 = 121.2 */
  fail_if (within (606, 5, 121, 1));
  fail_unless (within (606, 5, 122, 1));
  fail_unless (within (606, 5, 1212, 10));
  fail_if (within (607, 5, 1212, 10));
  fail_unless (within (121, 1, 606, 5));
  /* an invalid price is over any cap */
  fail_if (within (0, 0, 1200, 1));
  fail_if (within (1, 0, 1200, 1));
  /* a cap of 0 pixels per unit counts as 1 */
  fail_unless (within (100, 1, 100, 0));
  fail_if (within (101, 1, 100, 0));

  /* m/(m−1) < (m−1)/(m−2), which the 64-bit products (and doubles) miss */
  fail_unless (within (m, m - 1, m - 1, m - 2));
  fail_if (within (m - 1, m - 2, m, m - 1));
  fail_unless (within (m, m, 1, 1));
  fail_unless (within (m, 1, m, 1));
  fail_if (within (m, 1, m - 1, 1));
  fail_unless (within (m - 1, m, 1, 1));
  fail_if (within (m, m - 1, 1, 1));
}

GST_END_TEST;

GST_START_TEST (test_doubling)
{
  const guint64 m = G_MAXUINT64;

  fail_if (doubled (100, 1, 100, 1));
  fail_if (doubled (100, 1, 200, 1));
  fail_unless (doubled (100, 1, 201, 1));
  /* 401/2 = 200.5 */
  fail_unless (doubled (100, 1, 401, 2));
  fail_if (doubled (100, 1, 400, 2));
  fail_if (doubled (606, 5, 1212, 5));
  fail_unless (doubled (606, 5, 1213, 5));
  fail_if (doubled (606, 5, 2424, 10));
  /* a lower price is never doubled */
  fail_if (doubled (606, 5, 1, 1));

  /* from 0: any positive price */
  fail_if (doubled (0, 1, 0, 1));
  fail_unless (doubled (0, 1, 1, 1000));
  fail_unless (doubled (0, 0, 1, 1));
  /* an invalid current price is refused */
  fail_unless (doubled (100, 1, 100, 0));

  /* near 2^64: exactly twice, then just over */
  fail_if (doubled (m, 2, m, 1));
  fail_unless (doubled (m - 1, 2, m, 1));
  fail_if (doubled (m, m, 2, 1));
  fail_unless (doubled (m - 1, m, 2, 1));
  fail_if (doubled (m, 1, m, 1));
  fail_if (doubled (m, 1, m, 2));
  fail_unless (doubled (1, m, m, m - 1));
  /* cross products near 2^128, whose double needs 129 bits: a 128-bit
   * `now > 2 × before` wraps and says yes */
  fail_if (doubled (m, m, m, m - 1));
}

GST_END_TEST;

GST_START_TEST (test_pick_errors)
{
  LpSelection *sel = new_selection (100, 1, 1);
  LpPriceInfo none = { 0, 0 };
  gchar *message;

  message = pick_error (sel, NULL, LP_SELECTION_ERROR_NO_CANDIDATES);
  fail_unless_equals_string (message, "no orchestrator known");
  g_free (message);

  /* no price at all under a cap */
  lp_selection_update (sel, "http://c", NULL, &none);
  message = pick_error (sel, NULL, LP_SELECTION_ERROR_OVER_PRICE);
  fail_unless (strstr (message, "cap of 100 wei per 1 pixels") != NULL,
      "%s", message);
  fail_unless (strstr (message, "none advertises a price") != NULL,
      "%s", message);
  g_free (message);

  add (sel, "http://b", 1, 1500);
  add (sel, "http://a", 1, 1200);
  message = pick_error (sel, NULL, LP_SELECTION_ERROR_OVER_PRICE);
  fail_unless (strstr (message, "cap of 100 wei per 1 pixels") != NULL,
      "%s", message);
  fail_unless (strstr (message, "cheapest: 1200 wei per 1 pixels at "
          "http://a") != NULL, "%s", message);
  g_free (message);
  fail_unless_equals_int (lp_selection_count (sel, FALSE), 3);
  fail_unless_equals_int (lp_selection_count (sel, TRUE), 0);

  /* at the cap exactly is fine */
  add (sel, "http://d", 1, 100);
  fail_unless_equals_int (lp_selection_count (sel, TRUE), 1);
  assert_pick (sel, NULL, "http://d");
  lp_selection_free (sel);

  /* without a cap, no price is no obstacle */
  sel = new_selection (0, 1, 1);
  lp_selection_update (sel, "http://c", NULL, NULL);
  fail_unless_equals_int (lp_selection_count (sel, TRUE), 1);
  assert_pick (sel, NULL, "http://c");
  lp_selection_free (sel);
}

GST_END_TEST;

GST_START_TEST (test_exhausted)
{
  LpSelection *sel = new_selection (1200, 1, 1);
  const gchar *tried_a[] = { "http://a", NULL };
  const gchar *tried_ab[] = { "http://a", "http://b", NULL };
  const gchar *tried_other[] = { "http://elsewhere", NULL };
  gchar *message;
  guint i;

  add (sel, "http://a", 1, 1000);
  add (sel, "http://b", 1, 1200);
  add (sel, "http://c", 1, 1300);

  for (i = 0; i < 20; i++)
    assert_pick (sel, tried_a, "http://b");
  message = pick_error (sel, tried_ab, LP_SELECTION_ERROR_EXHAUSTED);
  fail_unless (strstr (message, "tried for this segment (2)") != NULL,
      "%s", message);
  g_free (message);

  /* URIs nobody knows exclude nothing */
  for (i = 0; i < 20; i++) {
    gchar *uri = lp_selection_pick (sel, tried_other, NULL);

    fail_unless (g_strcmp0 (uri, "http://a") == 0
        || g_strcmp0 (uri, "http://b") == 0, "picked %s", uri);
    g_free (uri);
  }
  lp_selection_free (sel);
}

GST_END_TEST;

GST_START_TEST (test_sticky)
{
  LpSelection *sel = new_selection (0, 1, 7);
  gchar *first, *other;
  guint i;

  add (sel, "http://a", 1, 1);
  add (sel, "http://b", 1, 1);

  first = lp_selection_pick (sel, NULL, NULL);
  fail_unless (first != NULL);
  other = g_strdup (strcmp (first, "http://a") == 0 ? "http://b" :
      "http://a");

  /* fast: reused every time */
  lp_selection_report_success (sel, first, 0.5);
  for (i = 0; i < 50; i++)
    assert_pick (sel, NULL, first);
  /* the threshold itself still counts */
  lp_selection_report_success (sel, first, 1.0);
  for (i = 0; i < 50; i++)
    assert_pick (sel, NULL, first);
  /* a score of 0 is stored as known */
  lp_selection_report_success (sel, first, 0);
  for (i = 0; i < 50; i++)
    assert_pick (sel, NULL, first);

  /* slow: the one with no score yet gets its chance */
  lp_selection_report_success (sel, first, 1.5);
  for (i = 0; i < 50; i++)
    assert_pick (sel, NULL, other);

  g_free (first);
  g_free (other);
  lp_selection_free (sel);
}

GST_END_TEST;

GST_START_TEST (test_lowest_score)
{
  LpSelection *sel = new_selection (0, 1, 3);
  guint i, n_a = 0;

  add (sel, "http://a", 1, 1);
  add (sel, "http://b", 1, 1);
  add (sel, "http://c", 1, 1);
  lp_selection_report_success (sel, "http://a", 0.9);
  lp_selection_report_success (sel, "http://b", 0.4);
  /* c is sticky but slow: the lowest known score wins over it and over
   * the unknown */
  lp_selection_report_success (sel, "http://c", 2.0);
  assert_pick (sel, NULL, "http://b");

  /* sticky and fast beats a lower score elsewhere */
  lp_selection_report_success (sel, "http://a", 0.9);
  for (i = 0; i < 20; i++)
    assert_pick (sel, NULL, "http://a");
  /* excluded, the next best */
  {
    const gchar *tried[] = { "http://a", NULL };

    assert_pick (sel, tried, "http://b");
  }

  /* all known and slow: the roulette among all of them */
  lp_selection_report_success (sel, "http://a", 1.5);
  lp_selection_report_success (sel, "http://b", 1.2);
  lp_selection_report_success (sel, "http://c", 3.0);
  for (i = 0; i < 300; i++) {
    gchar *uri = lp_selection_pick (sel, NULL, NULL);

    fail_unless (uri != NULL);
    n_a += strcmp (uri, "http://a") == 0;
    g_free (uri);
  }
  fail_unless (n_a > 50 && n_a < 150, "a picked %u times of 300", n_a);
  lp_selection_free (sel);
}

GST_END_TEST;

GST_START_TEST (test_suspension)
{
  LpSelection *sel = new_selection (0, 1, 5);
  const gchar *tried_b[] = { "http://b", NULL };
  guint i;

  add (sel, "http://a", 1, 1);
  add (sel, "http://b", 1, 1);
  fail_if (lp_selection_is_suspended (sel, "http://a"));

  lp_selection_suspend (sel, "http://a");
  fail_unless (lp_selection_is_suspended (sel, "http://a"));
  fail_if (lp_selection_is_suspended (sel, "http://b"));
  fail_unless_equals_int (lp_selection_count (sel, TRUE), 1);
  fail_unless_equals_int (lp_selection_count (sel, FALSE), 2);
  for (i = 0; i < 50; i++)
    assert_pick (sel, NULL, "http://b");
  /* the only one left: used despite the suspension */
  assert_pick (sel, tried_b, "http://a");

  /* 3 refreshes */
  lp_selection_refresh (sel);
  lp_selection_refresh (sel);
  fail_unless (lp_selection_is_suspended (sel, "http://a"));
  for (i = 0; i < 20; i++)
    assert_pick (sel, NULL, "http://b");
  lp_selection_refresh (sel);
  fail_if (lp_selection_is_suspended (sel, "http://a"));
  fail_unless_equals_int (lp_selection_count (sel, TRUE), 2);

  /* all suspended: the one whose suspension ends first */
  lp_selection_suspend (sel, "http://a");
  lp_selection_refresh (sel);
  lp_selection_suspend (sel, "http://b");
  fail_unless_equals_int (lp_selection_count (sel, TRUE), 0);
  for (i = 0; i < 20; i++)
    assert_pick (sel, NULL, "http://a");
  lp_selection_free (sel);
}

GST_END_TEST;

GST_START_TEST (test_suspension_clears_score)
{
  LpSelection *sel = new_selection (0, 1, 5);
  guint i;

  add (sel, "http://a", 1, 1);
  add (sel, "http://b", 1, 1);
  lp_selection_report_success (sel, "http://b", 0.7);
  lp_selection_report_success (sel, "http://a", 0.5);
  assert_pick (sel, NULL, "http://a");

  /* a's score and stickiness go with the suspension: once it ends, b's
   * known 0.7 is the best */
  lp_selection_suspend (sel, "http://a");
  for (i = 0; i < 3; i++)
    lp_selection_refresh (sel);
  fail_if (lp_selection_is_suspended (sel, "http://a"));
  assert_pick (sel, NULL, "http://b");
  lp_selection_free (sel);
}

GST_END_TEST;

/* How often @uri wins @n picks with no latency reports. */
static gdouble
share_of (LpSelection * sel, const gchar * uri, guint n)
{
  guint i, wins = 0;

  for (i = 0; i < n; i++) {
    gchar *picked = lp_selection_pick (sel, NULL, NULL);

    fail_unless (picked != NULL);
    wins += strcmp (picked, uri) == 0;
    g_free (picked);
  }
  return (gdouble) wins / n;
}

GST_START_TEST (test_stake_weighting)
{
  LpSelection *sel = new_selection (0, 1, 42);
  LpSelection *again;
  LpUint256 big;
  LpPriceInfo price = { 1, 1 };
  gdouble share;
  guint i;

  /* 0.7 × 0.9 + 0.3 × 0.5 */
  add (sel, "http://rich", 9000000000000000000ULL, 1);
  add (sel, "http://poor", 1000000000000000000ULL, 1);
  share = share_of (sel, "http://rich", 10000);
  fail_unless (share > 0.75 && share < 0.81, "rich share %f", share);
  lp_selection_free (sel);

  /* stakes beyond 64 bits weigh the same way */
  sel = new_selection (0, 1, 43);
  fail_unless (lp_uint256_parse ("9e40", &big, NULL));
  lp_selection_update (sel, "http://rich", &big, &price);
  fail_unless (lp_uint256_parse ("1e40", &big, NULL));
  lp_selection_update (sel, "http://poor", &big, &price);
  share = share_of (sel, "http://rich", 10000);
  fail_unless (share > 0.75 && share < 0.81, "rich share %f", share);
  lp_selection_free (sel);

  /* no stake at all: uniform */
  sel = new_selection (0, 1, 44);
  add (sel, "http://a", 0, 1);
  add (sel, "http://b", 0, 1);
  share = share_of (sel, "http://a", 10000);
  fail_unless (share > 0.47 && share < 0.53, "a share %f", share);
  lp_selection_free (sel);

  /* a seed repeats its choices */
  sel = new_selection (0, 1, 99);
  again = new_selection (0, 1, 99);
  add (sel, "http://a", 3, 1);
  add (sel, "http://b", 5, 1);
  add (sel, "http://c", 7, 1);
  /* added in another order: the choice must not depend on it */
  add (again, "http://c", 7, 1);
  add (again, "http://a", 3, 1);
  add (again, "http://b", 5, 1);
  for (i = 0; i < 200; i++) {
    gchar *x = lp_selection_pick (sel, NULL, NULL);
    gchar *y = lp_selection_pick (again, NULL, NULL);

    fail_unless_equals_string (x, y);
    g_free (x);
    g_free (y);
  }
  lp_selection_free (sel);
  lp_selection_free (again);
}

GST_END_TEST;

GST_START_TEST (test_update_remove)
{
  LpSelection *sel = new_selection (1000, 1, 11);
  LpPriceInfo expensive = { 2000, 1 };
  guint i;

  add (sel, "http://a", 1, 500);
  add (sel, "http://b", 1, 500);

  /* an update keeps the suspension */
  lp_selection_suspend (sel, "http://a");
  add (sel, "http://a", 100, 400);
  fail_unless (lp_selection_is_suspended (sel, "http://a"));
  for (i = 0; i < 20; i++)
    assert_pick (sel, NULL, "http://b");

  /* and the latency score */
  for (i = 0; i < 3; i++)
    lp_selection_refresh (sel);
  lp_selection_report_success (sel, "http://a", 0.3);
  add (sel, "http://a", 1, 450);
  lp_selection_report_success (sel, "http://b", 2.0);
  /* b is sticky but slow: a's kept 0.3 wins */
  assert_pick (sel, NULL, "http://a");

  /* a new price over the cap takes it out */
  lp_selection_update (sel, "http://a", NULL, &expensive);
  fail_unless_equals_int (lp_selection_count (sel, TRUE), 1);
  for (i = 0; i < 20; i++)
    assert_pick (sel, NULL, "http://b");

  /* removed: gone; unknown: nothing happens */
  lp_selection_remove (sel, "http://b");
  lp_selection_remove (sel, "http://nobody");
  fail_unless_equals_int (lp_selection_count (sel, FALSE), 1);
  g_free (pick_error (sel, NULL, LP_SELECTION_ERROR_OVER_PRICE));
  lp_selection_remove (sel, "http://a");
  fail_unless_equals_int (lp_selection_count (sel, FALSE), 0);
  g_free (pick_error (sel, NULL, LP_SELECTION_ERROR_NO_CANDIDATES));

  /* added back: no score left over, not sticky */
  add (sel, "http://b", 1, 500);
  add (sel, "http://c", 1, 500);
  lp_selection_report_success (sel, "http://c", 1.5);
  for (i = 0; i < 20; i++)
    assert_pick (sel, NULL, "http://b");
  lp_selection_free (sel);
}

GST_END_TEST;

GST_START_TEST (test_suspend_then_rediscover)
{
  LpSelection *sel = new_selection (0, 1, 13);

  /* go-livepeer suspends and drops a failing orchestrator from the pool;
   * when discovery brings it back it is still suspended */
  add (sel, "http://a", 1, 1);
  add (sel, "http://b", 1, 1);
  lp_selection_suspend (sel, "http://a");
  lp_selection_remove (sel, "http://a");
  lp_selection_refresh (sel);
  add (sel, "http://a", 1, 1);
  fail_unless (lp_selection_is_suspended (sel, "http://a"));
  assert_pick (sel, NULL, "http://b");
  lp_selection_refresh (sel);
  lp_selection_refresh (sel);
  fail_if (lp_selection_is_suspended (sel, "http://a"));
  lp_selection_free (sel);
}

GST_END_TEST;

static gpointer
pick_thread (gpointer data)
{
  LpSelection *sel = data;
  guint i;

  for (i = 0; i < 2000; i++) {
    gchar *uri = lp_selection_pick (sel, NULL, NULL);

    fail_unless (uri != NULL);
    if (i % 3 == 0)
      lp_selection_report_success (sel, uri, (i % 7) * 0.3);
    else if (i % 11 == 0)
      lp_selection_suspend (sel, uri);
    if (i % 13 == 0)
      lp_selection_refresh (sel);
    g_free (uri);
  }
  return NULL;
}

GST_START_TEST (test_threads)
{
  LpSelection *sel = new_selection (0, 1, 17);
  GThread *threads[6];
  guint i;

  add (sel, "http://a", 1, 1);
  add (sel, "http://b", 2, 1);
  add (sel, "http://c", 3, 1);
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("pick", pick_thread, sel);
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  fail_unless_equals_int (lp_selection_count (sel, FALSE), 3);
  lp_selection_free (sel);
}

GST_END_TEST;

static Suite *
selection_suite (void)
{
  Suite *s = suite_create ("lpselection");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_config_init);
  tcase_add_test (tc, test_price_cap);
  tcase_add_test (tc, test_doubling);
  tcase_add_test (tc, test_pick_errors);
  tcase_add_test (tc, test_exhausted);
  tcase_add_test (tc, test_sticky);
  tcase_add_test (tc, test_lowest_score);
  tcase_add_test (tc, test_suspension);
  tcase_add_test (tc, test_suspension_clears_score);
  tcase_add_test (tc, test_stake_weighting);
  tcase_add_test (tc, test_update_remove);
  tcase_add_test (tc, test_suspend_then_rediscover);
  tcase_add_test (tc, test_threads);

  return s;
}

GST_CHECK_MAIN (selection);

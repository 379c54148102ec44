/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of lpuint256.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpcheck.h"
#include <gst/livepeer/lpuint256.h>

#define MAX_DEC \
  "115792089237316195423570985008687907853269984665640564039457584007913129639935"
#define MAX_PLUS_ONE_DEC \
  "115792089237316195423570985008687907853269984665640564039457584007913129639936"

static void
parse_ok (const gchar * text, LpUint256 * value)
{
  GError *error = NULL;

  fail_unless (lp_uint256_parse (text, value, &error), "'%s': %s", text,
      error ? error->message : "");
}

static void
assert_dec (const LpUint256 * value, const gchar * expected)
{
  gchar *text = lp_uint256_to_string (value);

  fail_unless_equals_string (text, expected);
  g_free (text);
}

static void
assert_parse (const gchar * text, const gchar * expected_decimal)
{
  LpUint256 value;

  parse_ok (text, &value);

  assert_dec (&value, expected_decimal);
}

static void
assert_parse_error (const gchar * text, gint code)
{
  LpUint256 value, before;
  GError *error = NULL;

  memset (&value, 0x5a, sizeof (value));
  before = value;
  fail_if (lp_uint256_parse (text, &value, &error), "'%s' was accepted", text);
  fail_unless (g_error_matches (error, LP_UINT256_ERROR, code),
      "'%s': expected code %d, got %s", text, code,
      error ? error->message : "no error");
  fail_unless (lp_uint256_equal (&value, &before));
  g_clear_error (&error);
}

GST_START_TEST (test_parse_decimal_hex)
{
  LpUint256 value, max;
  gchar *text;

  assert_parse ("0", "0");
  assert_parse ("000", "0");
  assert_parse ("1", "1");
  assert_parse ("007", "7");
  assert_parse ("18446744073709551616", "18446744073709551616");
  assert_parse (MAX_DEC, MAX_DEC);
  assert_parse ("0x0", "0");
  assert_parse ("0x4438", "17464");
  assert_parse ("0XfF", "255");
  assert_parse ("0x" "ffffffffffffffffffffffffffffffff"
      "ffffffffffffffffffffffffffffffff", MAX_DEC);
  /* leading zeros beyond 64 digits are fine as long as the value fits */
  assert_parse ("0x0000ffffffffffffffffffffffffffffffff"
      "ffffffffffffffffffffffffffffffff", MAX_DEC);

  parse_ok (MAX_DEC, &value);
  lp_uint256_set_max (&max);
  fail_unless (lp_uint256_equal (&value, &max));
  text = lp_uint256_to_hex (&value);
  fail_unless_equals_string (text,
      "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
  g_free (text);
  parse_ok ("4096", &value);
  text = lp_uint256_to_hex (&value);
  fail_unless_equals_string (text, "0x1000");
  g_free (text);
  lp_uint256_set_zero (&value);
  text = lp_uint256_to_hex (&value);
  fail_unless_equals_string (text, "0x0");
  g_free (text);
  fail_unless (lp_uint256_is_zero (&value));
}

GST_END_TEST;

GST_START_TEST (test_parse_scientific)
{
  assert_parse ("1e18", "1000000000000000000");
  assert_parse ("1E18", "1000000000000000000");
  assert_parse ("1e+18", "1000000000000000000");
  assert_parse ("1.2e15", "1200000000000000");
  assert_parse ("8e9", "8000000000");
  assert_parse ("1000e18", "1000000000000000000000");
  assert_parse ("1.5e1", "15");
  assert_parse ("2.50e1", "25");
  assert_parse ("1000e-3", "1");
  assert_parse ("0e99999999999", "0");
  assert_parse ("0.0", "0");
  assert_parse ("3.0", "3");
  assert_parse ("1e0", "1");
  assert_parse ("1e77", "1"
      "00000000000000000000000000000000000000000000000000000000000000000000000000000");
  assert_parse ("1.157920892373161954235709850086879078532699846656405640"
      "39457584007913129639935e77",
      MAX_DEC);

  assert_parse_error ("1.5", LP_UINT256_ERROR_FRACTIONAL);
  assert_parse_error ("1e-1", LP_UINT256_ERROR_FRACTIONAL);
  assert_parse_error ("25e-1", LP_UINT256_ERROR_FRACTIONAL);
  assert_parse_error ("1.23e1", LP_UINT256_ERROR_FRACTIONAL);
  assert_parse_error ("1e-99999999999", LP_UINT256_ERROR_FRACTIONAL);
  assert_parse_error ("1e78", LP_UINT256_ERROR_OVERFLOW);
  assert_parse_error ("2e77", LP_UINT256_ERROR_OVERFLOW);
  assert_parse_error ("1e99999999999", LP_UINT256_ERROR_OVERFLOW);
  assert_parse_error ("1e", LP_UINT256_ERROR_INVALID);
  assert_parse_error ("e18", LP_UINT256_ERROR_INVALID);
  assert_parse_error ("1.e18", LP_UINT256_ERROR_INVALID);
  assert_parse_error (".5e1", LP_UINT256_ERROR_INVALID);
  assert_parse_error ("1e1.5", LP_UINT256_ERROR_INVALID);
  assert_parse_error ("1e+", LP_UINT256_ERROR_INVALID);
  assert_parse_error ("0x1.5", LP_UINT256_ERROR_INVALID);
  assert_parse_error ("0x1e18g", LP_UINT256_ERROR_INVALID);
}

GST_END_TEST;

GST_START_TEST (test_parse_errors)
{
  gchar *long_text;

  assert_parse_error ("", LP_UINT256_ERROR_INVALID);
  assert_parse_error ("0x", LP_UINT256_ERROR_INVALID);
  assert_parse_error ("abc", LP_UINT256_ERROR_INVALID);
  assert_parse_error ("12a", LP_UINT256_ERROR_INVALID);
  assert_parse_error (" 12", LP_UINT256_ERROR_INVALID);
  assert_parse_error ("12 ", LP_UINT256_ERROR_INVALID);
  assert_parse_error ("+12", LP_UINT256_ERROR_INVALID);
  assert_parse_error ("1_000", LP_UINT256_ERROR_INVALID);
  assert_parse_error ("0xg1", LP_UINT256_ERROR_INVALID);
  assert_parse_error ("0x-1", LP_UINT256_ERROR_INVALID);
  assert_parse_error ("0x 1", LP_UINT256_ERROR_INVALID);
  assert_parse_error ("-1", LP_UINT256_ERROR_NEGATIVE);
  assert_parse_error ("-0x1", LP_UINT256_ERROR_NEGATIVE);
  assert_parse_error ("-1e18", LP_UINT256_ERROR_NEGATIVE);
  assert_parse_error (MAX_PLUS_ONE_DEC, LP_UINT256_ERROR_OVERFLOW);
  assert_parse_error ("1" MAX_DEC, LP_UINT256_ERROR_OVERFLOW);
  assert_parse_error ("0x1" "0000000000000000000000000000000000000000000000"
      "000000000000000000", LP_UINT256_ERROR_OVERFLOW);

  long_text = g_strnfill (LP_UINT256_MAX_TEXT_LENGTH + 1, '0');
  assert_parse_error (long_text, LP_UINT256_ERROR_INVALID);
  long_text[LP_UINT256_MAX_TEXT_LENGTH] = '\0';
  assert_parse (long_text, "0");
  g_free (long_text);
}

GST_END_TEST;

static void
assert_op_ok (gboolean (*op) (const LpUint256 *, const LpUint256 *,
        LpUint256 *, GError **), const gchar * a, const gchar * b,
    const gchar * expected)
{
  LpUint256 va, vb, r;
  GError *error = NULL;

  parse_ok (a, &va);
  parse_ok (b, &vb);

  fail_unless (op (&va, &vb, &r, &error), "%s", error ? error->message : "");
  assert_dec (&r, expected);
  /* the result may alias an operand */
  fail_unless (op (&va, &vb, &va, &error));
  assert_dec (&va, expected);
}

static void
assert_op_error (gboolean (*op) (const LpUint256 *, const LpUint256 *,
        LpUint256 *, GError **), const gchar * a, const gchar * b, gint code)
{
  LpUint256 va, vb, r, before;
  GError *error = NULL;

  parse_ok (a, &va);
  parse_ok (b, &vb);

  memset (&r, 0x77, sizeof (r));
  before = r;
  fail_if (op (&va, &vb, &r, &error));
  fail_unless (g_error_matches (error, LP_UINT256_ERROR, code), "%s",
      error ? error->message : "no error");
  fail_unless (lp_uint256_equal (&r, &before));
  g_clear_error (&error);
}

GST_START_TEST (test_arithmetic)
{
  assert_op_ok (lp_uint256_add, "1", "2", "3");
  assert_op_ok (lp_uint256_add, MAX_DEC, "0", MAX_DEC);
  assert_op_ok (lp_uint256_add, "18446744073709551615", "1",
      "18446744073709551616");
  assert_op_error (lp_uint256_add, MAX_DEC, "1", LP_UINT256_ERROR_OVERFLOW);
  assert_op_error (lp_uint256_add, MAX_DEC, MAX_DEC, LP_UINT256_ERROR_OVERFLOW);

  assert_op_ok (lp_uint256_sub, "3", "2", "1");
  assert_op_ok (lp_uint256_sub, "3", "3", "0");
  assert_op_ok (lp_uint256_sub, MAX_DEC, MAX_DEC, "0");
  assert_op_ok (lp_uint256_sub, "18446744073709551616", "1",
      "18446744073709551615");
  assert_op_error (lp_uint256_sub, "2", "3", LP_UINT256_ERROR_UNDERFLOW);
  assert_op_error (lp_uint256_sub, "0", MAX_DEC, LP_UINT256_ERROR_UNDERFLOW);

  assert_op_ok (lp_uint256_mul, "1e18", "1000", "1000000000000000000000");
  assert_op_ok (lp_uint256_mul, MAX_DEC, "1", MAX_DEC);
  assert_op_ok (lp_uint256_mul, MAX_DEC, "0", "0");
  assert_op_ok (lp_uint256_mul, "0x100000000000000000000000000000000",
      "0xffffffffffffffffffffffffffffffff", "115792089237316195423570985008687"
      "907852929702298719625575994209400481361428480");
  assert_op_error (lp_uint256_mul, MAX_DEC, "2", LP_UINT256_ERROR_OVERFLOW);
  assert_op_error (lp_uint256_mul, "0x100000000000000000000000000000000",
      "0x100000000000000000000000000000000", LP_UINT256_ERROR_OVERFLOW);

  assert_op_ok (lp_uint256_div, "7", "2", "3");
  assert_op_ok (lp_uint256_div, "6", "2", "3");
  assert_op_ok (lp_uint256_div, "1", "2", "0");
  assert_op_ok (lp_uint256_div, MAX_DEC, MAX_DEC, "1");
  assert_op_error (lp_uint256_div, "1", "0", LP_UINT256_ERROR_DIVISION_BY_ZERO);

  assert_op_ok (lp_uint256_mod, "7", "2", "1");
  assert_op_ok (lp_uint256_mod, "6", "3", "0");
  assert_op_ok (lp_uint256_mod, MAX_DEC, "1e18", "584007913129639935");
  assert_op_error (lp_uint256_mod, "1", "0", LP_UINT256_ERROR_DIVISION_BY_ZERO);

  assert_op_ok (lp_uint256_ceil_div, "7", "2", "4");
  assert_op_ok (lp_uint256_ceil_div, "6", "2", "3");
  assert_op_ok (lp_uint256_ceil_div, "0", "5", "0");
  assert_op_ok (lp_uint256_ceil_div, "1", MAX_DEC, "1");
  assert_op_ok (lp_uint256_ceil_div, MAX_DEC, "1", MAX_DEC);
  assert_op_error (lp_uint256_ceil_div, "1", "0",
      LP_UINT256_ERROR_DIVISION_BY_ZERO);
}

GST_END_TEST;

GST_START_TEST (test_mul_div_and_win_prob)
{
  LpUint256 ev, face, max, q, wp, r;
  GError *error = NULL;

  parse_ok ("8e9", &ev);
  parse_ok ("1.2e15", &face);

  /* winProb = EV * ceil((2^256 - 1) / faceValue) (docs/design/protocol.md §3, §8) */
  lp_uint256_set_max (&max);
  fail_unless (lp_uint256_ceil_div (&max, &face, &q, &error));
  fail_unless (lp_uint256_mul (&ev, &q, &wp, &error));
  assert_dec (&wp, "771947261582107969490473233391252719021799897770937093"
      "596383896000000000");

  /* and back: faceValue * winProb / (2^256 - 1), at full precision, is
   * the EV again (rounded down, and never less than EV - 1) */
  fail_unless (lp_uint256_mul_div (&face, &wp, &max, &r, &error));
  assert_dec (&r, "8000000000");

  /* faceValue == EV: EV * ceil((2^256 - 1) / EV) is past 2^256 - 1, which
   * is reported, so that the caller clamps to 2^256 - 1 (docs/design/protocol.md §3) */
  fail_unless (lp_uint256_ceil_div (&max, &ev, &q, &error));
  fail_if (lp_uint256_mul (&ev, &q, &wp, &error));
  fail_unless (g_error_matches (error, LP_UINT256_ERROR,
          LP_UINT256_ERROR_OVERFLOW));
  g_clear_error (&error);

  fail_unless (lp_uint256_mul_div (&max, &max, &max, &r, &error));
  fail_unless (lp_uint256_equal (&r, &max));
  fail_if (lp_uint256_mul_div (&max, &max, &ev, &r, &error));
  fail_unless (g_error_matches (error, LP_UINT256_ERROR,
          LP_UINT256_ERROR_OVERFLOW));
  g_clear_error (&error);
  lp_uint256_set_zero (&q);
  fail_if (lp_uint256_mul_div (&ev, &ev, &q, &r, &error));
  fail_unless (g_error_matches (error, LP_UINT256_ERROR,
          LP_UINT256_ERROR_DIVISION_BY_ZERO));
  g_clear_error (&error);
}

GST_END_TEST;

GST_START_TEST (test_compare)
{
  LpUint256 a, b, c, max;

  parse_ok ("5", &a);
  parse_ok ("0x100", &b);
  parse_ok ("256", &c);

  lp_uint256_set_max (&max);
  fail_unless (lp_uint256_cmp (&a, &b) < 0);
  fail_unless (lp_uint256_cmp (&b, &a) > 0);
  fail_unless (lp_uint256_cmp (&b, &c) == 0);
  fail_unless (lp_uint256_equal (&b, &c));
  fail_unless (lp_uint256_cmp (&max, &c) > 0);
  fail_if (lp_uint256_is_zero (&a));
}

GST_END_TEST;

GST_START_TEST (test_bytes)
{
  guint8 buf[32], expected[32];
  LpUint256 value, back;
  GError *error = NULL;
  gsize n;

  /* pad32 */
  parse_ok ("7", &value);
  lp_uint256_pad32 (&value, buf);
  memset (expected, 0, 32);
  expected[31] = 7;
  fail_unless (memcmp (buf, expected, 32) == 0);
  parse_ok ("0x0102030405060708090a0b0c0d0e0f10111213141516171819"
      "1a1b1c1d1e1f20", &value);
  lp_uint256_pad32 (&value, buf);
  for (n = 0; n < 32; n++)
    fail_unless_equals_int (buf[n], n + 1);
  lp_uint256_from_bytes32 (buf, &back);
  fail_unless (lp_uint256_equal (&value, &back));

  /* minbe: zero is empty, no leading zero byte otherwise */
  lp_uint256_set_zero (&value);
  fail_unless_equals_int (lp_uint256_minbe (&value, buf), 0);
  parse_ok ("1", &value);
  n = lp_uint256_minbe (&value, buf);
  fail_unless_equals_int (n, 1);
  fail_unless_equals_int (buf[0], 1);
  parse_ok ("256", &value);
  n = lp_uint256_minbe (&value, buf);
  fail_unless_equals_int (n, 2);
  fail_unless (buf[0] == 1 && buf[1] == 0);
  parse_ok ("1.2e15", &value);  /* 0x44364c5bb0000 */
  n = lp_uint256_minbe (&value, buf);
  fail_unless_equals_int (n, 7);
  fail_unless (memcmp (buf, "\x04\x43\x64\xc5\xbb\x00\x00", 7) == 0);
  lp_uint256_set_max (&value);
  fail_unless_equals_int (lp_uint256_minbe (&value, buf), 32);

  /* from_be reads minbe back */
  fail_unless (lp_uint256_from_be (buf, 0, &back, &error));
  fail_unless (lp_uint256_is_zero (&back));
  fail_unless (lp_uint256_from_be ((const guint8 *) "\x01\x00", 2, &back,
          &error));
  assert_dec (&back, "256");
  memset (buf, 0xff, 32);
  fail_unless (lp_uint256_from_be (buf, 32, &back, &error));
  assert_dec (&back, MAX_DEC);
  {
    guint8 big[33] = { 1, };

    fail_if (lp_uint256_from_be (big, 33, &back, &error));
    fail_unless (g_error_matches (error, LP_UINT256_ERROR,
            LP_UINT256_ERROR_RANGE));
    g_clear_error (&error);
  }
}

GST_END_TEST;

GST_START_TEST (test_uint64)
{
  LpUint256 value;
  GError *error = NULL;
  guint64 n = 42;

  lp_uint256_from_uint64 (0, &value);
  fail_unless (lp_uint256_is_zero (&value));
  lp_uint256_from_uint64 (G_MAXUINT64, &value);
  assert_dec (&value, "18446744073709551615");
  fail_unless (lp_uint256_to_uint64 (&value, &n, &error));
  fail_unless (n == G_MAXUINT64);
  lp_uint256_from_uint64 (1234567890123ULL, &value);
  fail_unless (lp_uint256_to_uint64 (&value, &n, &error));
  fail_unless (n == 1234567890123ULL);

  parse_ok ("18446744073709551616", &value);
  n = 42;
  fail_if (lp_uint256_to_uint64 (&value, &n, &error));
  fail_unless (g_error_matches (error, LP_UINT256_ERROR,
          LP_UINT256_ERROR_RANGE));
  fail_unless (strstr (error->message, "18446744073709551616") != NULL);
  fail_unless (n == 42);
  g_clear_error (&error);
}

GST_END_TEST;

GST_START_TEST (test_boxed)
{
  LpUint256 value, *copy;
  GValue gvalue = G_VALUE_INIT;

  parse_ok ("12345", &value);

  copy = lp_uint256_copy (&value);
  fail_unless (lp_uint256_equal (copy, &value));
  g_value_init (&gvalue, LP_TYPE_UINT256);
  g_value_set_boxed (&gvalue, copy);
  fail_unless (lp_uint256_equal (g_value_get_boxed (&gvalue), &value));
  g_value_unset (&gvalue);
  lp_uint256_free (copy);
}

GST_END_TEST;

static Suite *
uint256_suite (void)
{
  Suite *s = suite_create ("lpuint256");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_parse_decimal_hex);
  tcase_add_test (tc, test_parse_scientific);
  tcase_add_test (tc, test_parse_errors);
  tcase_add_test (tc, test_arithmetic);
  tcase_add_test (tc, test_mul_div_and_win_prob);
  tcase_add_test (tc, test_compare);
  tcase_add_test (tc, test_bytes);
  tcase_add_test (tc, test_uint64);
  tcase_add_test (tc, test_boxed);

  return s;
}

GST_CHECK_MAIN (uint256);

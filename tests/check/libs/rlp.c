/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of lprlp: the examples of the Ethereum wiki's RLP page and
 * of ethereum/tests' rlptest.json, round trips, and hostile input.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpcheck.h"
#include <gst/livepeer/lprlp.h>

static void
assert_array_hex (GByteArray * out, const gchar * expected)
{
  lp_check_assert_hex (out->data, out->len, expected);
  g_byte_array_set_size (out, 0);
}

static void
append_str (GByteArray * out, const gchar * text)
{
  lp_rlp_append_bytes (out, (const guint8 *) text, strlen (text));
}

/* decodes @hex, which must be valid */
static LpRlpItem *
decode_hex (const gchar * hex)
{
  GError *error = NULL;
  GBytes *bytes = lp_hex_decode_bytes (hex, 1 << 20, &error);
  LpRlpItem *item;

  fail_unless (bytes != NULL);
  item = lp_rlp_decode (g_bytes_get_data (bytes, NULL),
      g_bytes_get_size (bytes), &error);
  fail_unless (item != NULL, "%s: %s", hex, error ? error->message : "");
  g_bytes_unref (bytes);
  return item;
}

static void
assert_decode_error (const guint8 * data, gsize length, gint code)
{
  GError *error = NULL;
  LpRlpItem *item = lp_rlp_decode (data, length, &error);

  fail_unless (item == NULL, "hostile input was accepted");
  fail_unless (g_error_matches (error, LP_RLP_ERROR, code),
      "expected code %d, got %s", code, error ? error->message : "none");
  g_error_free (error);
}

static void
assert_hex_decode_error (const gchar * hex, gint code)
{
  GBytes *bytes = lp_hex_decode_bytes (hex, 1 << 20, NULL);

  fail_unless (bytes != NULL);
  assert_decode_error (g_bytes_get_data (bytes, NULL),
      g_bytes_get_size (bytes), code);
  g_bytes_unref (bytes);
}

static void
assert_string_item (const LpRlpItem * item, const gchar * expected)
{
  gsize length;
  const guint8 *data;

  fail_if (lp_rlp_item_is_list (item));
  data = lp_rlp_item_get_bytes (item, &length);
  fail_unless (data != NULL);
  fail_unless_equals_int (length, strlen (expected));
  fail_unless (memcmp (data, expected, length) == 0);
}

#define LOREM "Lorem ipsum dolor sit amet, consectetur adipisicing elit"

GST_START_TEST (test_wiki_examples)
{
  GByteArray *out = g_byte_array_new ();
  GByteArray *items = g_byte_array_new ();
  gsize outer, inner;

  append_str (out, "dog");
  assert_array_hex (out, "83646f67");

  append_str (items, "cat");
  append_str (items, "dog");
  lp_rlp_append_list (out, items->data, items->len);
  assert_array_hex (out, "c88363617483646f67");

  lp_rlp_append_bytes (out, NULL, 0);
  assert_array_hex (out, "80");
  lp_rlp_append_list (out, NULL, 0);
  assert_array_hex (out, "c0");
  lp_rlp_append_uint64 (out, 0);
  assert_array_hex (out, "80");
  lp_rlp_append_bytes (out, (const guint8 *) "\x00", 1);
  assert_array_hex (out, "00");
  lp_rlp_append_uint64 (out, 15);
  assert_array_hex (out, "0f");
  lp_rlp_append_uint64 (out, 1024);
  assert_array_hex (out, "820400");
  lp_rlp_append_uint64 (out, 0x80);
  assert_array_hex (out, "8180");

  /* the set theoretical representation of three: [ [], [[]], [ [], [[]] ] ] */
  outer = lp_rlp_list_begin (out);
  lp_rlp_append_list (out, NULL, 0);
  inner = lp_rlp_list_begin (out);
  lp_rlp_append_list (out, NULL, 0);
  lp_rlp_list_end (out, inner);
  inner = lp_rlp_list_begin (out);
  lp_rlp_append_list (out, NULL, 0);
  lp_rlp_append_list (out, (const guint8 *) "\xc0", 1);
  lp_rlp_list_end (out, inner);
  lp_rlp_list_end (out, outer);
  assert_array_hex (out, "c7c0c1c0c3c0c1c0");

  /* 56 bytes: the first string in long form */
  append_str (out, LOREM);
  fail_unless_equals_int (out->len, 58);
  fail_unless_equals_int (out->data[0], 0xb8);
  fail_unless_equals_int (out->data[1], 0x38);
  fail_unless (memcmp (out->data + 2, LOREM, 56) == 0);
  g_byte_array_set_size (out, 0);

  g_byte_array_unref (items);
  g_byte_array_unref (out);
}

GST_END_TEST;

GST_START_TEST (test_rlptest_vectors)
{
  GByteArray *out = g_byte_array_new ();
  LpUint256 value;
  gsize mark;
  guint i;

  /* rlptest.json: longList1, a list longer than 55 bytes */
  mark = lp_rlp_list_begin (out);
  for (i = 0; i < 4; i++) {
    gsize inner = lp_rlp_list_begin (out);

    append_str (out, "asdf");
    append_str (out, "qwer");
    append_str (out, "zxcv");
    lp_rlp_list_end (out, inner);
  }
  lp_rlp_list_end (out, mark);
  assert_array_hex (out,
      "f840cf84617364668471776572847a786376cf84617364668471776572847a786376"
      "cf84617364668471776572847a786376cf84617364668471776572847a786376");

  /* rlptest.json: mediumint1 (100000), bigint below 2^256 */
  lp_rlp_append_uint64 (out, 100000);
  assert_array_hex (out, "830186a0");
  lp_uint256_from_uint64 (G_MAXUINT64, &value);
  lp_rlp_append_uint256 (out, &value);
  assert_array_hex (out, "88ffffffffffffffff");
  lp_uint256_set_max (&value);
  lp_rlp_append_uint256 (out, &value);
  fail_unless_equals_int (out->len, 33);
  fail_unless_equals_int (out->data[0], 0xa0);
  g_byte_array_set_size (out, 0);
  lp_uint256_set_zero (&value);
  lp_rlp_append_uint256 (out, &value);
  assert_array_hex (out, "80");

  g_byte_array_unref (out);
}

GST_END_TEST;

GST_START_TEST (test_decode)
{
  LpRlpItem *item;
  const LpRlpItem *child;
  guint64 n;
  LpUint256 value;
  GError *error = NULL;

  item = decode_hex ("c88363617483646f67");
  fail_unless (lp_rlp_item_is_list (item));
  fail_unless (lp_rlp_item_get_bytes (item, NULL) == NULL);
  fail_unless_equals_int (lp_rlp_item_n_children (item), 2);
  assert_string_item (lp_rlp_item_get_child (item, 0), "cat");
  assert_string_item (lp_rlp_item_get_child (item, 1), "dog");
  fail_unless (lp_rlp_item_get_child (item, 2) == NULL);
  lp_rlp_item_free (item);

  item = decode_hex ("c7c0c1c0c3c0c1c0");
  fail_unless_equals_int (lp_rlp_item_n_children (item), 3);
  child = lp_rlp_item_get_child (item, 2);
  fail_unless_equals_int (lp_rlp_item_n_children (child), 2);
  child = lp_rlp_item_get_child (child, 1);
  fail_unless_equals_int (lp_rlp_item_n_children (child), 1);
  fail_unless_equals_int (lp_rlp_item_n_children (lp_rlp_item_get_child
          (child, 0)), 0);
  lp_rlp_item_free (item);

  item = decode_hex ("820400");
  fail_unless (lp_rlp_item_get_uint64 (item, &n, &error));
  fail_unless_equals_uint64 (n, 1024);
  fail_unless (lp_rlp_item_get_uint256 (item, &value, &error));
  lp_check_assert_u256 (&value, "1024");
  lp_rlp_item_free (item);

  item = decode_hex ("80");
  fail_unless (lp_rlp_item_get_uint64 (item, &n, &error));
  fail_unless_equals_uint64 (n, 0);
  assert_string_item (item, "");
  lp_rlp_item_free (item);

  item = decode_hex ("0f");
  fail_unless (lp_rlp_item_get_uint64 (item, &n, &error));
  fail_unless_equals_uint64 (n, 15);
  lp_rlp_item_free (item);

  /* a long string and a long list decode to what was encoded */
  item = decode_hex ("b838" "4c6f72656d20697073756d20646f6c6f722073697420616d65"
      "742c20636f6e7365637465747572206164697069736963696e6720656c6974");
  assert_string_item (item, LOREM);
  lp_rlp_item_free (item);
  item = decode_hex
      ("f840cf84617364668471776572847a786376cf84617364668471776572847a786376"
      "cf84617364668471776572847a786376cf84617364668471776572847a786376");
  fail_unless_equals_int (lp_rlp_item_n_children (item), 4);
  assert_string_item (lp_rlp_item_get_child (lp_rlp_item_get_child (item, 3),
          2), "zxcv");
  lp_rlp_item_free (item);
}

GST_END_TEST;

GST_START_TEST (test_integers)
{
  LpRlpItem *item;
  guint64 n;
  LpUint256 value;
  GError *error = NULL;

  /* a leading zero byte is not canonical, even for 0 */
  item = decode_hex ("820001");
  fail_if (lp_rlp_item_get_uint64 (item, &n, &error));
  fail_unless (g_error_matches (error, LP_RLP_ERROR,
          LP_RLP_ERROR_NON_CANONICAL));
  g_clear_error (&error);
  lp_rlp_item_free (item);
  item = decode_hex ("00");
  fail_if (lp_rlp_item_get_uint256 (item, &value, &error));
  fail_unless (g_error_matches (error, LP_RLP_ERROR,
          LP_RLP_ERROR_NON_CANONICAL));
  g_clear_error (&error);
  lp_rlp_item_free (item);

  /* 9 bytes do not fit in 64 bits, 33 not in 256 */
  item = decode_hex ("89010000000000000000");
  fail_if (lp_rlp_item_get_uint64 (item, &n, &error));
  fail_unless (g_error_matches (error, LP_RLP_ERROR, LP_RLP_ERROR_RANGE));
  g_clear_error (&error);
  fail_unless (lp_rlp_item_get_uint256 (item, &value, &error));
  lp_check_assert_u256 (&value, "18446744073709551616");
  lp_rlp_item_free (item);
  item = decode_hex ("a1" "01"
      "0000000000000000000000000000000000000000000000000000000000000000");
  fail_if (lp_rlp_item_get_uint256 (item, &value, &error));
  fail_unless (g_error_matches (error, LP_RLP_ERROR, LP_RLP_ERROR_RANGE));
  g_clear_error (&error);
  lp_rlp_item_free (item);

  item = decode_hex ("c0");
  fail_if (lp_rlp_item_get_uint64 (item, &n, &error));
  fail_unless (g_error_matches (error, LP_RLP_ERROR, LP_RLP_ERROR_WRONG_KIND));
  g_clear_error (&error);
  lp_rlp_item_free (item);
}

GST_END_TEST;

GST_START_TEST (test_hostile)
{
  GByteArray *deep = g_byte_array_new ();
  gsize marks[LP_RLP_MAX_DEPTH + 1];
  guint i;

  assert_decode_error (NULL, 0, LP_RLP_ERROR_TRUNCATED);
  /* lengths past the end, short and long forms, strings and lists */
  assert_hex_decode_error ("83646f", LP_RLP_ERROR_TRUNCATED);
  assert_hex_decode_error ("c88363617483646f", LP_RLP_ERROR_TRUNCATED);
  assert_hex_decode_error ("b8", LP_RLP_ERROR_TRUNCATED);
  assert_hex_decode_error ("b93a", LP_RLP_ERROR_TRUNCATED);
  assert_hex_decode_error ("bfffffffffffffffff00", LP_RLP_ERROR_TRUNCATED);
  assert_hex_decode_error ("fbffffffff00", LP_RLP_ERROR_TRUNCATED);
  /* an item inside a list running past the list's end */
  assert_hex_decode_error ("c2830102030405", LP_RLP_ERROR_TRUNCATED);
  /* non-canonical forms */
  assert_hex_decode_error ("8105", LP_RLP_ERROR_NON_CANONICAL);
  assert_hex_decode_error ("b80380", LP_RLP_ERROR_NON_CANONICAL);
  assert_hex_decode_error ("f803c00000", LP_RLP_ERROR_NON_CANONICAL);
  assert_hex_decode_error ("b9003a"
      "0000000000000000000000000000000000000000000000000000000000000000"
      "00000000000000000000000000000000000000000000000000",
      LP_RLP_ERROR_NON_CANONICAL);
  /* anything after the item */
  assert_hex_decode_error ("8080", LP_RLP_ERROR_TRAILING);
  assert_hex_decode_error ("c000", LP_RLP_ERROR_TRAILING);

  /* one level deeper than allowed, then at the limit */
  for (i = 0; i <= LP_RLP_MAX_DEPTH; i++)
    marks[i] = lp_rlp_list_begin (deep);
  for (i = LP_RLP_MAX_DEPTH + 1; i-- > 0;)
    lp_rlp_list_end (deep, marks[i]);
  assert_decode_error (deep->data, deep->len, LP_RLP_ERROR_TOO_DEEP);
  g_byte_array_set_size (deep, 0);
  for (i = 0; i < LP_RLP_MAX_DEPTH; i++)
    marks[i] = lp_rlp_list_begin (deep);
  for (i = LP_RLP_MAX_DEPTH; i-- > 0;)
    lp_rlp_list_end (deep, marks[i]);
  {
    LpRlpItem *item = lp_rlp_decode (deep->data, deep->len, NULL);

    fail_unless (item != NULL);
    lp_rlp_item_free (item);
  }
  g_byte_array_unref (deep);
}

GST_END_TEST;

/* random trees: decode (encode (x)) has x's shape and leaves */
static void
random_tree (GByteArray * out, GRand * rand, guint depth, GString * shape)
{
  guint n, i;

  if (depth > 4 || g_rand_int_range (rand, 0, 3) == 0) {
    guint8 buf[300];
    gsize length = g_rand_boolean (rand) ? g_rand_int_range (rand, 0, 3) :
        (gsize) g_rand_int_range (rand, 0, sizeof (buf));

    for (i = 0; i < length; i++)
      buf[i] = (guint8) g_rand_int (rand);
    lp_rlp_append_bytes (out, buf, length);
    g_string_append_printf (shape, "s%" G_GSIZE_FORMAT ",", length);
    return;
  }
  n = g_rand_int_range (rand, 0, 6);
  g_string_append_printf (shape, "l%u(", n);
  {
    gsize mark = lp_rlp_list_begin (out);

    for (i = 0; i < n; i++)
      random_tree (out, rand, depth + 1, shape);
    lp_rlp_list_end (out, mark);
  }
  g_string_append (shape, "),");
}

static void
shape_of (const LpRlpItem * item, GString * shape)
{
  guint i;

  if (!lp_rlp_item_is_list (item)) {
    gsize length;

    lp_rlp_item_get_bytes (item, &length);
    g_string_append_printf (shape, "s%" G_GSIZE_FORMAT ",", length);
    return;
  }
  g_string_append_printf (shape, "l%u(", lp_rlp_item_n_children (item));
  for (i = 0; i < lp_rlp_item_n_children (item); i++)
    shape_of (lp_rlp_item_get_child (item, i), shape);
  g_string_append (shape, "),");
}

GST_START_TEST (test_round_trip)
{
  GRand *rand = g_rand_new_with_seed (155);
  guint round;

  for (round = 0; round < 200; round++) {
    GByteArray *out = g_byte_array_new ();
    GString *want = g_string_new (NULL);
    GString *got = g_string_new (NULL);
    GError *error = NULL;
    LpRlpItem *item;

    random_tree (out, rand, 0, want);
    item = lp_rlp_decode (out->data, out->len, &error);
    fail_unless (item != NULL, "%s", error ? error->message : "");
    shape_of (item, got);
    fail_unless_equals_string (got->str, want->str);
    lp_rlp_item_free (item);
    g_string_free (want, TRUE);
    g_string_free (got, TRUE);
    g_byte_array_unref (out);
  }
  g_rand_free (rand);
}

GST_END_TEST;

static Suite *
rlp_suite (void)
{
  Suite *s = suite_create ("lprlp");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_wiki_examples);
  tcase_add_test (tc, test_rlptest_vectors);
  tcase_add_test (tc, test_decode);
  tcase_add_test (tc, test_integers);
  tcase_add_test (tc, test_hostile);
  tcase_add_test (tc, test_round_trip);

  return s;
}

GST_CHECK_MAIN (rlp);

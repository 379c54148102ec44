/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of lpabi: the worked examples of the Solidity ABI
 * specification (selectors and encodings), well-known selectors and
 * topics, range and shape checks, hostile encodings, revert data. The
 * ethers cross-check (ethers/chain.mjs) covers random values.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpcheck.h"
#include <gst/livepeer/lpabi.h>

/* ---- helpers ---- */

static GBytes *
bytes_from_hex (const gchar * hex)
{
  GError *error = NULL;
  GBytes *bytes = lp_hex_decode_bytes (hex, 1 << 20, &error);

  fail_unless (bytes != NULL, "%s", error ? error->message : "");
  return bytes;
}

static void
assert_bytes_hex (GBytes * bytes, const gchar * expected)
{
  lp_check_assert_hex (g_bytes_get_data (bytes, NULL),
      g_bytes_get_size (bytes), expected);
}

static void
assert_selector (const gchar * signature, const gchar * expected)
{
  guint8 selector[LP_ABI_SELECTOR_SIZE];

  fail_unless (lp_abi_selector (signature, selector), "%s", signature);
  lp_check_assert_hex (selector, sizeof (selector), expected);
}

static LpAbiValue *
uint_value (guint64 n)
{
  return lp_abi_value_new_uint64 (n);
}

static LpAbiValue *
array_of (LpAbiValue * first, ...)
{
  GPtrArray *items = g_ptr_array_new ();
  LpAbiValue *item;
  va_list ap;

  va_start (ap, first);
  for (item = first; item != NULL; item = va_arg (ap, LpAbiValue *))
    g_ptr_array_add (items, item);
  va_end (ap);
  return lp_abi_value_new_array (items);
}

static LpAbiValue *
text_bytes (const gchar * text)
{
  return lp_abi_value_new_bytes ((const guint8 *) text, strlen (text));
}

/* encodes a call of @signature with the members of @args (freed) */
static void
assert_call (const gchar * signature, LpAbiValue * args, const gchar * hex)
{
  GError *error = NULL;
  guint n = lp_abi_value_n_children (args);
  LpAbiValue **argv = g_new0 (LpAbiValue *, n + 1);
  GBytes *data;
  guint i;

  for (i = 0; i < n; i++)
    argv[i] = (LpAbiValue *) lp_abi_value_get_child (args, i);
  data = lp_abi_encode_call (signature, argv, n, &error);
  fail_unless (data != NULL, "%s: %s", signature, error ? error->message : "");
  assert_bytes_hex (data, hex);
  g_bytes_unref (data);
  g_free (argv);
  lp_abi_value_free (args);
}

/* decodes @hex as @types and compares the text form */
static void
assert_decodes_to (const gchar * types, const gchar * hex,
    const gchar * expected)
{
  GError *error = NULL;
  GBytes *data = bytes_from_hex (hex);
  LpAbiValue *v = lp_abi_decode (types, g_bytes_get_data (data, NULL),
      g_bytes_get_size (data), &error);
  gchar *text;

  fail_unless (v != NULL, "%s: %s", types, error ? error->message : "");
  text = lp_abi_value_to_string (v);
  fail_unless_equals_string (text, expected);
  g_free (text);
  lp_abi_value_free (v);
  g_bytes_unref (data);
}

static void
assert_decode_error (const gchar * types, const gchar * hex, gint code)
{
  GError *error = NULL;
  GBytes *data = bytes_from_hex (hex);
  LpAbiValue *v = lp_abi_decode (types, g_bytes_get_data (data, NULL),
      g_bytes_get_size (data), &error);

  fail_unless (v == NULL, "%s accepted %s", types, hex);
  fail_unless (g_error_matches (error, LP_ABI_ERROR, code),
      "%s: expected code %d, got %s", types, code,
      error ? error->message : "none");
  g_error_free (error);
  g_bytes_unref (data);
}

#define W0 "0000000000000000000000000000000000000000000000000000000000000000"
#define WORD_OF(tail) \
  "00000000000000000000000000000000000000000000000000000000000000" tail

/* ---- the specification's examples ---- */

#define SAM_HEX "a5643bf2" \
  "0000000000000000000000000000000000000000000000000000000000000060" \
  "0000000000000000000000000000000000000000000000000000000000000001" \
  "00000000000000000000000000000000000000000000000000000000000000a0" \
  "0000000000000000000000000000000000000000000000000000000000000004" \
  "6461766500000000000000000000000000000000000000000000000000000000" \
  "0000000000000000000000000000000000000000000000000000000000000003" \
  "0000000000000000000000000000000000000000000000000000000000000001" \
  "0000000000000000000000000000000000000000000000000000000000000002" \
  "0000000000000000000000000000000000000000000000000000000000000003"

#define F_HEX "8be65246" \
  "0000000000000000000000000000000000000000000000000000000000000123" \
  "0000000000000000000000000000000000000000000000000000000000000080" \
  "3132333435363738393000000000000000000000000000000000000000000000" \
  "00000000000000000000000000000000000000000000000000000000000000e0" \
  "0000000000000000000000000000000000000000000000000000000000000002" \
  "0000000000000000000000000000000000000000000000000000000000000456" \
  "0000000000000000000000000000000000000000000000000000000000000789" \
  "000000000000000000000000000000000000000000000000000000000000000d" \
  "48656c6c6f2c20776f726c642100000000000000000000000000000000000000"

#define G_ARGS_HEX \
  "0000000000000000000000000000000000000000000000000000000000000040" \
  "0000000000000000000000000000000000000000000000000000000000000140" \
  "0000000000000000000000000000000000000000000000000000000000000002" \
  "0000000000000000000000000000000000000000000000000000000000000040" \
  "00000000000000000000000000000000000000000000000000000000000000a0" \
  "0000000000000000000000000000000000000000000000000000000000000002" \
  "0000000000000000000000000000000000000000000000000000000000000001" \
  "0000000000000000000000000000000000000000000000000000000000000002" \
  "0000000000000000000000000000000000000000000000000000000000000001" \
  "0000000000000000000000000000000000000000000000000000000000000003" \
  "0000000000000000000000000000000000000000000000000000000000000003" \
  "0000000000000000000000000000000000000000000000000000000000000060" \
  "00000000000000000000000000000000000000000000000000000000000000a0" \
  "00000000000000000000000000000000000000000000000000000000000000e0" \
  "0000000000000000000000000000000000000000000000000000000000000003" \
  "6f6e650000000000000000000000000000000000000000000000000000000000" \
  "0000000000000000000000000000000000000000000000000000000000000003" \
  "74776f0000000000000000000000000000000000000000000000000000000000" \
  "0000000000000000000000000000000000000000000000000000000000000005" \
  "7468726565000000000000000000000000000000000000000000000000000000"

GST_START_TEST (test_selectors_and_topics)
{
  guint8 topic[LP_KECCAK256_SIZE];

  /* the specification's examples */
  assert_selector ("baz(uint32,bool)", "cdcd77c0");
  assert_selector ("bar(bytes3[2])", "fce353f6");
  assert_selector ("sam(bytes,bool,uint256[])", "a5643bf2");
  assert_selector ("f(uint256,uint32[],bytes10,bytes)", "8be65246");
  assert_selector ("InsufficientBalance(uint256,uint256)", "cf479181");
  /* ERC-20's, and Solidity's own errors */
  assert_selector ("transfer(address,uint256)", "a9059cbb");
  assert_selector ("balanceOf(address)", "70a08231");
  assert_selector ("Error(string)", "08c379a0");
  assert_selector ("Panic(uint256)", "4e487b71");
  fail_unless (lp_abi_event_topic ("Transfer(address,address,uint256)",
          topic));
  lp_check_assert_hex (topic, sizeof (topic),
      "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
}

GST_END_TEST;

GST_START_TEST (test_invalid_types)
{
  static const gchar *const bad_signatures[] = {
    "f(uint)", "f(int)", "f(uint256 )", "f( uint256)", "f(uint7)",
    "f(uint264)", "f(uint0)", "f(uint08)", "f(bytes33)", "f(bytes0)",
    "f(byte)", "f((uint256)", "f(uint256))", "f(uint256,)", "f(,)",
    "f(())", "f(uint256[0])", "f(uint256[01])", "f(uint256[)",
    "f(uint256[-1])", "(uint256)", "f(uint256)x", "f", "", "1f()",
    "f(Uint256)", "f(address payable)", "f(fixed128x18)", "f(function)",
    "f(uint256[99999999999])",
  };
  guint8 out[LP_KECCAK256_SIZE];
  GError *error = NULL;
  GString *deep = g_string_new ("(");
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad_signatures); i++) {
    fail_if (lp_abi_selector (bad_signatures[i], out), "%s",
        bad_signatures[i]);
    fail_if (lp_abi_event_topic (bad_signatures[i], out), "%s",
        bad_signatures[i]);
  }
  assert_selector ("f()", "26121ff0");

  fail_unless (lp_abi_check_types ("()", NULL));
  fail_unless (lp_abi_check_types ("(uint8,int256,(address,bool)[3][],"
          "bytes32,bytes,string,bytes1)", NULL));
  fail_if (lp_abi_check_types ("uint256", &error));
  fail_unless (g_error_matches (error, LP_ABI_ERROR,
          LP_ABI_ERROR_INVALID_TYPE));
  g_clear_error (&error);

  /* tuples nested past the limit, and a static type too large to hold */
  for (i = 0; i < LP_ABI_MAX_DEPTH + 2; i++)
    g_string_append (deep, "(");
  g_string_append (deep, "uint256");
  for (i = 0; i < LP_ABI_MAX_DEPTH + 3; i++)
    g_string_append (deep, ")");
  fail_if (lp_abi_check_types (deep->str, &error));
  fail_unless (strstr (error->message, "deep") != NULL, "%s",
      error->message);
  g_clear_error (&error);
  fail_if (lp_abi_check_types ("(uint256[65536][65536])", &error));
  g_clear_error (&error);
  g_string_free (deep, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_spec_encodings)
{
  GError *error = NULL;
  LpAbiValue *v;
  GBytes *data;
  guint8 f_bytes10[10];

  assert_call ("baz(uint32,bool)", lp_abi_value_new_tuple (uint_value (69),
          lp_abi_value_new_bool (TRUE), NULL),
      "cdcd77c0" WORD_OF ("45") WORD_OF ("01"));

  assert_call ("bar(bytes3[2])", lp_abi_value_new_tuple (array_of
          (lp_abi_value_new_fixed_bytes ((const guint8 *) "abc", 3),
              lp_abi_value_new_fixed_bytes ((const guint8 *) "def", 3),
              NULL), NULL),
      "fce353f6"
      "6162630000000000000000000000000000000000000000000000000000000000"
      "6465660000000000000000000000000000000000000000000000000000000000");

  assert_call ("sam(bytes,bool,uint256[])",
      lp_abi_value_new_tuple (text_bytes ("dave"),
          lp_abi_value_new_bool (TRUE), array_of (uint_value (1),
              uint_value (2), uint_value (3), NULL), NULL), SAM_HEX);

  memcpy (f_bytes10, "1234567890", 10);
  assert_call ("f(uint256,uint32[],bytes10,bytes)",
      lp_abi_value_new_tuple (uint_value (0x123), array_of (uint_value
              (0x456), uint_value (0x789), NULL),
          lp_abi_value_new_fixed_bytes (f_bytes10, 10),
          text_bytes ("Hello, world!"), NULL), F_HEX);

  /* g: the specification's selector was computed over "uint[][]", not
   * the canonical spelling, so only its arguments are compared */
  v = lp_abi_value_new_tuple (array_of (array_of (uint_value (1),
              uint_value (2), NULL), array_of (uint_value (3), NULL), NULL),
      array_of (lp_abi_value_new_string ("one"),
          lp_abi_value_new_string ("two"), lp_abi_value_new_string ("three"),
          NULL), NULL);
  data = lp_abi_encode ("(uint256[][],string[])", v, &error);
  fail_unless (data != NULL, "%s", error ? error->message : "");
  assert_bytes_hex (data, G_ARGS_HEX);
  g_bytes_unref (data);
  lp_abi_value_free (v);
}

GST_END_TEST;

GST_START_TEST (test_spec_decodings)
{
  GBytes *data = bytes_from_hex (SAM_HEX);
  GError *error = NULL;
  LpAbiValue *v;
  const LpAbiValue *child;
  gsize length;
  gboolean flag;
  guint64 n;

  v = lp_abi_decode_call ("sam(bytes,bool,uint256[])",
      g_bytes_get_data (data, NULL), g_bytes_get_size (data), &error);
  fail_unless (v != NULL, "%s", error ? error->message : "");
  fail_unless_equals_int (lp_abi_value_get_kind (v), LP_ABI_KIND_TUPLE);
  fail_unless_equals_int (lp_abi_value_n_children (v), 3);
  child = lp_abi_value_get_child (v, 0);
  fail_unless (memcmp (lp_abi_value_get_bytes (child, &length), "dave",
          4) == 0);
  fail_unless_equals_int (length, 4);
  fail_unless (lp_abi_value_get_bool (lp_abi_value_get_child (v, 1), &flag));
  fail_unless (flag);
  child = lp_abi_value_get_child (v, 2);
  fail_unless_equals_int (lp_abi_value_get_kind (child), LP_ABI_KIND_ARRAY);
  fail_unless (lp_abi_value_get_uint64 (lp_abi_value_get_child (child, 2), &n,
          &error));
  fail_unless_equals_uint64 (n, 3);
  lp_abi_value_free (v);

  /* another function's selector is refused */
  v = lp_abi_decode_call ("sam(bytes,bool,uint256)",
      g_bytes_get_data (data, NULL), g_bytes_get_size (data), &error);
  fail_unless (v == NULL);
  fail_unless (g_error_matches (error, LP_ABI_ERROR,
          LP_ABI_ERROR_INVALID_DATA));
  g_clear_error (&error);
  g_bytes_unref (data);

  assert_decodes_to ("(uint256,uint32[],bytes10,bytes)", F_HEX + 8,
      "(291,[1110,1929],0x31323334353637383930,0x48656c6c6f2c20776f726c6421)");
  assert_decodes_to ("(uint256[][],string[])", G_ARGS_HEX,
      "([[1,2],[3]],[\"one\",\"two\",\"three\"])");
  assert_decodes_to ("(bytes3[2])",
      "6162630000000000000000000000000000000000000000000000000000000000"
      "6465660000000000000000000000000000000000000000000000000000000000",
      "([0x616263,0x646566])");
  /* bytes after the values are ignored, as Solidity does */
  assert_decodes_to ("(uint32,bool)", WORD_OF ("45") WORD_OF ("01") W0,
      "(69,true)");
  assert_decodes_to ("()", "", "()");
}

GST_END_TEST;

GST_START_TEST (test_numbers)
{
  GError *error = NULL;
  LpAbiValue *v;
  GBytes *data;
  LpUint256 u;
  guint64 n;

  /* int8's range, two's complement */
  v = lp_abi_value_new_tuple (lp_abi_value_new_int64 (-128),
      lp_abi_value_new_int64 (127), lp_abi_value_new_int64 (-1), NULL);
  data = lp_abi_encode ("(int8,int8,int256)", v, &error);
  fail_unless (data != NULL, "%s", error ? error->message : "");
  assert_bytes_hex (data,
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff80"
      WORD_OF ("7f")
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
  g_bytes_unref (data);
  lp_abi_value_free (v);
  assert_decodes_to ("(int8,int8,int256)",
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff80"
      WORD_OF ("7f")
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      "(-128,127,-1)");

  v = lp_abi_value_new_tuple (lp_abi_value_new_int64 (-129), NULL);
  fail_if (lp_abi_encode ("(int8)", v, &error));
  fail_unless (g_error_matches (error, LP_ABI_ERROR,
          LP_ABI_ERROR_OUT_OF_RANGE), "%s", error->message);
  g_clear_error (&error);
  lp_abi_value_free (v);
  v = lp_abi_value_new_tuple (lp_abi_value_new_int64 (128), NULL);
  fail_if (lp_abi_encode ("(int8)", v, &error));
  g_clear_error (&error);
  lp_abi_value_free (v);

  /* uint8 stops at 255, uint256 takes anything */
  v = lp_abi_value_new_tuple (uint_value (255), NULL);
  data = lp_abi_encode ("(uint8)", v, &error);
  assert_bytes_hex (data, WORD_OF ("ff"));
  g_bytes_unref (data);
  lp_abi_value_free (v);
  v = lp_abi_value_new_tuple (uint_value (256), NULL);
  fail_if (lp_abi_encode ("(uint8)", v, &error));
  fail_unless (strstr (error->message, "256 does not fit in uint8") != NULL,
      "%s", error->message);
  g_clear_error (&error);
  lp_abi_value_free (v);
  lp_uint256_set_max (&u);
  v = lp_abi_value_new_tuple (lp_abi_value_new_uint256 (&u), NULL);
  data = lp_abi_encode ("(uint256)", v, &error);
  assert_bytes_hex (data,
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
  g_bytes_unref (data);

  /* getters: 64 bits and kinds */
  fail_if (lp_abi_value_get_uint64 (lp_abi_value_get_child (v, 0), &n,
          &error));
  fail_unless (g_error_matches (error, LP_ABI_ERROR,
          LP_ABI_ERROR_OUT_OF_RANGE));
  g_clear_error (&error);
  fail_if (lp_abi_value_get_uint64 (v, &n, &error));
  fail_unless (g_error_matches (error, LP_ABI_ERROR,
          LP_ABI_ERROR_VALUE_MISMATCH));
  g_clear_error (&error);
  fail_if (lp_abi_value_get_int256 (lp_abi_value_get_child (v, 0), &u));
  fail_unless (lp_abi_value_get_string (lp_abi_value_get_child (v, 0)) ==
      NULL);
  fail_unless (lp_abi_value_get_bytes (v, NULL) == NULL);
  lp_abi_value_free (v);
}

GST_END_TEST;

/* the TicketBroker's redeemWinningTicket: a tuple with a dynamic member */
#define TICKET_SIG "redeemWinningTicket((address,address,uint256,uint256," \
  "uint256,bytes32,bytes),bytes,uint256)"

static LpAbiValue *
ticket_value (void)
{
  LpAddress recipient, sender;
  guint8 hash[32];
  guint8 aux[64];

  memset (recipient.bytes, 0x11, sizeof (recipient.bytes));
  memset (sender.bytes, 0x22, sizeof (sender.bytes));
  memset (hash, 0x33, sizeof (hash));
  memset (aux, 0x44, sizeof (aux));
  return lp_abi_value_new_tuple (lp_abi_value_new_address (&recipient),
      lp_abi_value_new_address (&sender), uint_value (1000),
      uint_value (5), uint_value (7), lp_abi_value_new_bytes32 (hash),
      lp_abi_value_new_bytes (aux, sizeof (aux)), NULL);
}

GST_START_TEST (test_shapes)
{
  GError *error = NULL;
  LpAbiValue *args[3];
  LpAbiValue *decoded, *expected;
  GBytes *data;
  guint8 sig[65];
  LpAddress address;
  guint8 b32[32];
  gsize length;

  memset (sig, 0x55, sizeof (sig));
  args[0] = ticket_value ();
  args[1] = lp_abi_value_new_bytes (sig, sizeof (sig));
  args[2] = uint_value (42);
  data = lp_abi_encode_call (TICKET_SIG, args, 3, &error);
  fail_unless (data != NULL, "%s", error ? error->message : "");
  /* selector, 3 head words, the ticket (7 heads, aux length + 2 words),
   * the signature (length + 3 words) */
  fail_unless_equals_int (g_bytes_get_size (data), 4 + 32 * (3 + 10 + 4));
  decoded = lp_abi_decode_call (TICKET_SIG, g_bytes_get_data (data, NULL),
      g_bytes_get_size (data), &error);
  fail_unless (decoded != NULL, "%s", error ? error->message : "");
  /* the tuple takes the arguments over */
  expected = lp_abi_value_new_tuplev (args, 3);
  fail_unless (lp_abi_value_equal (decoded, expected));
  fail_unless (lp_abi_value_get_address (lp_abi_value_get_child
          (lp_abi_value_get_child (decoded, 0), 1), &address));
  fail_unless_equals_int (address.bytes[19], 0x22);
  fail_unless (lp_abi_value_get_bytes32 (lp_abi_value_get_child
          (lp_abi_value_get_child (decoded, 0), 5), b32));
  fail_unless_equals_int (b32[31], 0x33);
  lp_abi_value_get_bytes (lp_abi_value_get_child (decoded, 1), &length);
  fail_unless_equals_int (length, 65);
  lp_abi_value_free (decoded);
  lp_abi_value_free (expected);
  g_bytes_unref (data);

  /* a wrong kind names the argument and the type */
  args[0] = ticket_value ();
  args[1] = lp_abi_value_new_bytes (sig, sizeof (sig));
  args[2] = lp_abi_value_new_bool (TRUE);
  data = lp_abi_encode_call (TICKET_SIG, args, 3, &error);
  fail_unless (data == NULL);
  fail_unless (g_error_matches (error, LP_ABI_ERROR,
          LP_ABI_ERROR_VALUE_MISMATCH));
  fail_unless (strstr (error->message, "argument 2 (uint256)") != NULL,
      "%s", error->message);
  g_clear_error (&error);
  lp_abi_value_free (args[2]);
  /* so does a nested one */
  args[2] = uint_value (1);
  lp_abi_value_free (args[0]);
  args[0] = lp_abi_value_new_tuple (uint_value (1), NULL);
  data = lp_abi_encode_call (TICKET_SIG, args, 3, &error);
  fail_unless (data == NULL);
  fail_unless (strstr (error->message, "argument 0") != NULL &&
      strstr (error->message, "tuple of 1 members") != NULL, "%s",
      error->message);
  g_clear_error (&error);
  /* the wrong number of arguments */
  fail_if (lp_abi_encode_call (TICKET_SIG, args, 2, &error));
  fail_unless (strstr (error->message, "takes 3 arguments, got 2") != NULL,
      "%s", error->message);
  g_clear_error (&error);
  lp_abi_value_free (args[0]);
  lp_abi_value_free (args[1]);
  lp_abi_value_free (args[2]);

  /* bytes<N> must have N bytes; a fixed array k items */
  expected = lp_abi_value_new_tuple (lp_abi_value_new_bytes32 (b32), NULL);
  fail_if (lp_abi_encode ("(bytes10)", expected, &error));
  g_clear_error (&error);
  lp_abi_value_free (expected);
  expected = lp_abi_value_new_tuple (array_of (uint_value (1), NULL), NULL);
  fail_if (lp_abi_encode ("(uint256[2])", expected, &error));
  g_clear_error (&error);
  data = lp_abi_encode ("(uint256[1])", expected, &error);
  assert_bytes_hex (data, WORD_OF ("01"));
  g_bytes_unref (data);
  lp_abi_value_free (expected);
}

GST_END_TEST;

GST_START_TEST (test_hostile)
{
  GString *bomb;
  guint i;

  /* short data */
  assert_decode_error ("(uint256)", "00", LP_ABI_ERROR_TRUNCATED);
  assert_decode_error ("(uint256,uint256)", W0, LP_ABI_ERROR_TRUNCATED);
  /* offsets past the end, and beyond 2^64 */
  assert_decode_error ("(bytes)", WORD_OF ("40") W0, LP_ABI_ERROR_TRUNCATED);
  assert_decode_error ("(bytes)",
      "8000000000000000000000000000000000000000000000000000000000000000",
      LP_ABI_ERROR_TRUNCATED);
  /* lengths past the end, and huge ones */
  assert_decode_error ("(bytes)", WORD_OF ("20") WORD_OF ("21") W0,
      LP_ABI_ERROR_TRUNCATED);
  assert_decode_error ("(bytes)", WORD_OF ("20")
      "000000000000000000000000000000000000000000000000ffffffffffffffff",
      LP_ABI_ERROR_TRUNCATED);
  assert_decode_error ("(string)", WORD_OF ("20")
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
      LP_ABI_ERROR_TRUNCATED);
  /* bytes must be padded to a word */
  assert_decode_error ("(bytes)", WORD_OF ("20") WORD_OF ("01") "61",
      LP_ABI_ERROR_TRUNCATED);
  /* array counts the data cannot hold */
  assert_decode_error ("(uint256[])", WORD_OF ("20")
      "0000000000000000000000000000000000000000000000001000000000000000",
      LP_ABI_ERROR_TRUNCATED);
  assert_decode_error ("(uint256[])", WORD_OF ("20") WORD_OF ("02") W0,
      LP_ABI_ERROR_TRUNCATED);

  /* padding a canonical encoder leaves zero */
  assert_decode_error ("(address)",
      "0000000000000000000000010000000000000000000000000000000000000000",
      LP_ABI_ERROR_INVALID_DATA);
  assert_decode_error ("(bool)", WORD_OF ("02"), LP_ABI_ERROR_INVALID_DATA);
  assert_decode_error ("(bool)",
      "0100000000000000000000000000000000000000000000000000000000000001",
      LP_ABI_ERROR_INVALID_DATA);
  assert_decode_error ("(uint8)",
      "0000000000000000000000000000000000000000000000000000000000000100",
      LP_ABI_ERROR_INVALID_DATA);
  assert_decode_error ("(int8)",
      "00000000000000000000000000000000000000000000000000000000000000ff",
      LP_ABI_ERROR_INVALID_DATA);
  assert_decode_error ("(bytes1)",
      "6162000000000000000000000000000000000000000000000000000000000000",
      LP_ABI_ERROR_INVALID_DATA);
  assert_decode_error ("(bytes)", WORD_OF ("20") WORD_OF ("01")
      "6162000000000000000000000000000000000000000000000000000000000000",
      LP_ABI_ERROR_INVALID_DATA);
  assert_decode_error ("(string)", WORD_OF ("20") WORD_OF ("01")
      "ff00000000000000000000000000000000000000000000000000000000000000",
      LP_ABI_ERROR_INVALID_DATA);

  /* overlapping offsets: 1000 inner arrays all pointing at one array of
   * 1000 items, a million values from 64 kB; refused */
  bomb = g_string_new (WORD_OF ("20"));
  g_string_append (bomb,
      "00000000000000000000000000000000000000000000000000000000000003e8");
  for (i = 0; i < 1000; i++)
    g_string_append (bomb,
        "0000000000000000000000000000000000000000000000000000000000007d00");
  g_string_append (bomb,
      "00000000000000000000000000000000000000000000000000000000000003e8");
  for (i = 0; i < 1000; i++)
    g_string_append (bomb, WORD_OF ("07"));
  assert_decode_error ("(uint256[][])", bomb->str, LP_ABI_ERROR_INVALID_DATA);
  g_string_free (bomb, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_revert)
{
  static const struct
  {
    const gchar *hex;
    const gchar *text;
  } cases[] = {
    {"", "reverted without a reason"},
    /* Solidity docs: revert("Not enough Ether provided.") */
    {"08c379a0" WORD_OF ("20") WORD_OF ("1a")
          "4e6f7420656e6f7567682045746865722070726f76696465642e000000000000",
        "Not enough Ether provided."},
    {"08c379a0" WORD_OF ("20") W0, "reverted with an empty reason"},
    {"08c379a0" WORD_OF ("20") WORD_OF ("01")
          "0a00000000000000000000000000000000000000000000000000000000000000",
        "\\n"},
    {"08c379a0" WORD_OF ("20"),
        "malformed Error(string) revert data (32 bytes after the selector)"},
    {"4e487b71" WORD_OF ("11"), "panic 0x11 (arithmetic overflow or "
          "underflow)"},
    {"4e487b71" WORD_OF ("01"), "panic 0x1 (assertion failed)"},
    {"4e487b71" WORD_OF ("12"), "panic 0x12 (division or modulo by zero)"},
    {"4e487b71" WORD_OF ("32"), "panic 0x32 (array index out of bounds)"},
    {"4e487b71" WORD_OF ("99"), "panic 0x99 (unknown panic code)"},
    {"cf479181" W0 WORD_OF ("05"),
        "custom error 0xcf479181 (64 bytes of arguments)"},
    {"cf4791", "reverted with 3 bytes of data too short for an error "
          "selector (0xcf4791)"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GBytes *data = bytes_from_hex (cases[i].hex);
    gchar *text = lp_abi_decode_revert (g_bytes_get_data (data, NULL),
        g_bytes_get_size (data));

    fail_unless_equals_string (text, cases[i].text);
    g_free (text);
    g_bytes_unref (data);
  }
}

GST_END_TEST;

GST_START_TEST (test_text_form)
{
  LpAddress address;
  LpAbiValue *v;
  gchar *text;

  memset (address.bytes, 0xab, sizeof (address.bytes));
  v = lp_abi_value_new_tuple (lp_abi_value_new_address (&address),
      lp_abi_value_new_string ("a\"b\\c\n"), lp_abi_value_new_bool (FALSE),
      lp_abi_value_new_int64 (G_MININT64), array_of (NULL), NULL);
  text = lp_abi_value_to_string (v);
  fail_unless_equals_string (text,
      "(0xabababababababababababababababababababab,\"a\\\"b\\\\c\\u000a\","
      "false,-9223372036854775808,[])");
  g_free (text);
  lp_abi_value_free (v);
}

GST_END_TEST;

static Suite *
abi_suite (void)
{
  Suite *s = suite_create ("lpabi");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_selectors_and_topics);
  tcase_add_test (tc, test_invalid_types);
  tcase_add_test (tc, test_spec_encodings);
  tcase_add_test (tc, test_spec_decodings);
  tcase_add_test (tc, test_numbers);
  tcase_add_test (tc, test_shapes);
  tcase_add_test (tc, test_hostile);
  tcase_add_test (tc, test_revert);
  tcase_add_test (tc, test_text_form);

  return s;
}

GST_CHECK_MAIN (abi);

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The C side of the chain cross-check (ethers/chain.mjs): transactions,
 * ABI and revert data computed with libgstlivepeer only, for the script to
 * compare with ethers. One request per line on stdin, one JSON object per
 * line on stdout; hex is 0x-prefixed, "0x" being empty data.
 *
 *   sign TYPE CHAINID NONCE GASPRICE TIP MAXFEE GAS TO VALUE DATA KEY
 *        -> {"signing_hash", "raw", "hash", "sender"}: lp_eth_tx_sign, then
 *           lp_eth_tx_decode of its result; TO is "-" for a creation
 *   decodetx RAW -> {"sender"} or {"error"}: lp_eth_tx_decode
 *   encode TYPES VALUE     -> {"data"} or {"error"}: lp_abi_encode
 *   call SIGNATURE VALUE   -> {"data", "selector"} or {"error"}:
 *                             lp_abi_encode_call with VALUE's members
 *   decode TYPES DATA      -> {"text"} or {"error"}: lp_abi_decode, then
 *                             lp_abi_value_to_string
 *   topic SIGNATURE        -> {"topic"}: lp_abi_event_topic
 *   revert DATA            -> {"text"}: lp_abi_decode_revert
 *   rlp TREE               -> {"data"}: lp_rlp_append_* of TREE
 *   unrlp DATA             -> {"text"} (TREE of hex leaves) or {"error"}:
 *                             lp_rlp_decode
 *
 * VALUE is a typed tree without spaces: u:DEC, i:[-]DEC, a:HEX (address),
 * b:1 or b:0, f:HEX (bytes<N>), x:HEX (bytes), s:HEX (a string's UTF-8),
 * (V,V,...) for tuples and [V,V,...] for arrays. TREE is RLP's nesting:
 * HEX (a byte string), u:DEC (an integer, lp_rlp_append_uint256) or
 * [TREE,TREE,...] (a list). Errors are reported as
 * "DOMAIN:CODE: message". A malformed request is fatal (exit 2).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gst/livepeer/lpabi.h>
#include <gst/livepeer/lpethtx.h>
#include <gst/livepeer/lprlp.h>

static const gchar *current_line;

static void
die (const gchar * what)
{
  g_printerr ("chain-crosscheck-helper: %s in request: %s\n", what,
      current_line);
  exit (2);
}

static GBytes *
hex_arg (const gchar * text)
{
  GBytes *bytes = lp_hex_decode_bytes (text, 1 << 24, NULL);

  if (bytes == NULL)
    die ("bad hex");
  return bytes;
}

static void
u256_arg (const gchar * text, LpUint256 * value)
{
  if (!lp_uint256_parse (text, value, NULL))
    die ("bad number");
}

static guint64
u64_arg (const gchar * text)
{
  LpUint256 value;
  guint64 n;

  u256_arg (text, &value);
  if (!lp_uint256_to_uint64 (&value, &n, NULL))
    die ("number above 64 bits");
  return n;
}

/* JSON string syntax */
static void
print_string (const gchar * key, const gchar * text, gboolean last)
{
  const guchar *p;

  printf ("\"%s\":\"", key);
  for (p = (const guchar *) text; *p != '\0'; p++) {
    if (*p == '"' || *p == '\\')
      printf ("\\%c", *p);
    else if (*p < 0x20)
      printf ("\\u%04x", *p);
    else
      putchar (*p);
  }
  printf ("\"%s", last ? "}\n" : ",");
}

static void
print_hex (const gchar * key, const guint8 * data, gsize length, gboolean last)
{
  gchar *text = lp_hex_encode (data, length, TRUE);

  print_string (key, text, last);
  g_free (text);
}

static void
print_error (GError * error)
{
  gchar *text = g_strdup_printf ("%s:%d: %s",
      g_quark_to_string (error->domain), error->code, error->message);

  printf ("{");
  print_string ("error", text, TRUE);
  g_free (text);
  g_error_free (error);
}

/* ---- typed value trees ---- */

static LpAbiValue *parse_value (const gchar ** p);

static gchar *
take_token (const gchar ** p)
{
  const gchar *start = *p;

  while (**p != '\0' && **p != ',' && **p != ')' && **p != ']')
    (*p)++;
  return g_strndup (start, *p - start);
}

static LpAbiValue *
negative (const gchar * magnitude_text)
{
  LpUint256 magnitude, zero = LP_UINT256_INIT, max, twos;

  u256_arg (magnitude_text, &magnitude);
  if (lp_uint256_is_zero (&magnitude))
    return lp_abi_value_new_int256 (&zero);
  /* 2^256 − m = (2^256 − 1) − (m − 1) */
  lp_uint256_set_max (&max);
  lp_uint256_from_uint64 (1, &twos);
  lp_uint256_sub (&magnitude, &twos, &magnitude, NULL);
  lp_uint256_sub (&max, &magnitude, &twos, NULL);
  return lp_abi_value_new_int256 (&twos);
}

static LpAbiValue *
parse_leaf (const gchar ** p)
{
  gchar kind = **p;
  gchar *token;
  LpAbiValue *v = NULL;
  LpUint256 u;
  LpAddress address;
  GBytes *bytes;

  if ((*p)[1] != ':')
    die ("bad value");
  *p += 2;
  token = take_token (p);
  switch (kind) {
    case 'u':
      u256_arg (token, &u);
      v = lp_abi_value_new_uint256 (&u);
      break;
    case 'i':
      if (token[0] == '-') {
        v = negative (token + 1);
      } else {
        u256_arg (token, &u);
        v = lp_abi_value_new_int256 (&u);
      }
      break;
    case 'a':
      if (!lp_address_parse (token, &address, NULL))
        die ("bad address");
      v = lp_abi_value_new_address (&address);
      break;
    case 'b':
      v = lp_abi_value_new_bool (strcmp (token, "1") == 0);
      break;
    case 'f':
    case 'x':
    case 's':
      bytes = hex_arg (token);
      if (kind == 'f')
        v = lp_abi_value_new_fixed_bytes (g_bytes_get_data (bytes, NULL),
            g_bytes_get_size (bytes));
      else if (kind == 'x')
        v = lp_abi_value_new_bytes (g_bytes_get_data (bytes, NULL),
            g_bytes_get_size (bytes));
      else {
        gchar *text = g_strndup (g_bytes_get_data (bytes, NULL),
            g_bytes_get_size (bytes));
        v = lp_abi_value_new_string (text);
        g_free (text);
      }
      g_bytes_unref (bytes);
      break;
    default:
      die ("unknown value kind");
  }
  g_free (token);
  return v;
}

static LpAbiValue *
parse_value (const gchar ** p)
{
  gchar open = **p, close;
  GPtrArray *items;

  if (open != '(' && open != '[')
    return parse_leaf (p);
  close = open == '(' ? ')' : ']';
  items = g_ptr_array_new ();
  (*p)++;
  while (**p != close) {
    g_ptr_array_add (items, parse_value (p));
    if (**p == ',')
      (*p)++;
    else if (**p != close)
      die ("bad value list");
  }
  (*p)++;
  if (open == '[')
    return lp_abi_value_new_array (items);
  {
    LpAbiValue *tuple = lp_abi_value_new_tuplev ((LpAbiValue **) items->pdata,
        items->len);

    g_ptr_array_free (items, TRUE);
    return tuple;
  }
}

static LpAbiValue *
value_arg (const gchar * text)
{
  const gchar *p = text;
  LpAbiValue *v = parse_value (&p);

  if (*p != '\0')
    die ("text after the value");
  return v;
}

/* ---- operations ---- */

static void
do_sign (gchar ** argv)
{
  g_auto (LpEthTx) tx = { 0 };
  g_auto (LpEthTx) back = { 0 };
  GError *error = NULL;
  LpPrivateKey *key;
  guint8 secret[LP_PRIVATE_KEY_SIZE];
  guint8 signing_hash[32], tx_hash[32];
  GBytes *raw;
  LpAddress sender;
  gchar *sender_text;

  lp_eth_tx_init (&tx);
  tx.type = (LpEthTxType) u64_arg (argv[1]);
  tx.chain_id = u64_arg (argv[2]);
  tx.nonce = u64_arg (argv[3]);
  u256_arg (argv[4], &tx.gas_price);
  u256_arg (argv[5], &tx.max_priority_fee_per_gas);
  u256_arg (argv[6], &tx.max_fee_per_gas);
  tx.gas_limit = u64_arg (argv[7]);
  tx.has_to = strcmp (argv[8], "-") != 0;
  if (tx.has_to && !lp_address_parse (argv[8], &tx.to, NULL))
    die ("bad address");
  u256_arg (argv[9], &tx.value);
  tx.data = hex_arg (argv[10]);
  if (!lp_hex_decode (argv[11], secret, sizeof (secret), NULL))
    die ("bad key");
  key = lp_private_key_new_from_bytes (secret, sizeof (secret), NULL);
  if (key == NULL)
    die ("bad key");

  if (!lp_eth_tx_signing_hash (&tx, signing_hash, &error) ||
      (raw = lp_eth_tx_sign (&tx, key, tx_hash, &error)) == NULL) {
    print_error (error);
    lp_private_key_unref (key);
    return;
  }
  if (!lp_eth_tx_decode (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw),
          &back, &sender, &error))
    die (error->message);
  sender_text = lp_address_to_string (&sender);
  printf ("{");
  print_hex ("signing_hash", signing_hash, 32, FALSE);
  print_hex ("raw", g_bytes_get_data (raw, NULL), g_bytes_get_size (raw),
      FALSE);
  print_hex ("hash", tx_hash, 32, FALSE);
  print_string ("sender", sender_text, TRUE);
  g_free (sender_text);
  g_bytes_unref (raw);
  lp_private_key_unref (key);
}

static void
do_decodetx (gchar ** argv)
{
  g_auto (LpEthTx) tx = { 0 };
  GBytes *raw = hex_arg (argv[1]);
  GError *error = NULL;
  LpAddress sender;

  if (lp_eth_tx_decode (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw),
          &tx, &sender, &error)) {
    gchar *text = lp_address_to_string (&sender);

    printf ("{");
    print_string ("sender", text, TRUE);
    g_free (text);
  } else {
    print_error (error);
  }
  g_bytes_unref (raw);
}

static void
print_data_or_error (GBytes * data, GError * error)
{
  if (data == NULL) {
    print_error (error);
    return;
  }
  printf ("{");
  print_hex ("data", g_bytes_get_data (data, NULL), g_bytes_get_size (data),
      TRUE);
  g_bytes_unref (data);
}

static void
do_encode (gchar ** argv)
{
  LpAbiValue *v = value_arg (argv[2]);
  GError *error = NULL;

  print_data_or_error (lp_abi_encode (argv[1], v, &error), error);
  lp_abi_value_free (v);
}

static void
do_call (gchar ** argv)
{
  LpAbiValue *v = value_arg (argv[2]);
  guint n = lp_abi_value_n_children (v), i;
  LpAbiValue **args = g_new0 (LpAbiValue *, n + 1);
  GError *error = NULL;

  for (i = 0; i < n; i++)
    args[i] = (LpAbiValue *) lp_abi_value_get_child (v, i);
  print_data_or_error (lp_abi_encode_call (argv[1], args, n, &error), error);
  g_free (args);
  lp_abi_value_free (v);
}

static void
do_decode (gchar ** argv)
{
  GBytes *data = hex_arg (argv[2]);
  GError *error = NULL;
  LpAbiValue *v = lp_abi_decode (argv[1], g_bytes_get_data (data, NULL),
      g_bytes_get_size (data), &error);

  if (v != NULL) {
    gchar *text = lp_abi_value_to_string (v);

    printf ("{");
    print_string ("text", text, TRUE);
    g_free (text);
    lp_abi_value_free (v);
  } else {
    print_error (error);
  }
  g_bytes_unref (data);
}

static void
do_topic (gchar ** argv)
{
  guint8 topic[32];

  if (!lp_abi_event_topic (argv[1], topic))
    die ("bad signature");
  printf ("{");
  print_hex ("topic", topic, 32, TRUE);
}

static void
do_revert (gchar ** argv)
{
  GBytes *data = hex_arg (argv[1]);
  gchar *text = lp_abi_decode_revert (g_bytes_get_data (data, NULL),
      g_bytes_get_size (data));

  printf ("{");
  print_string ("text", text, TRUE);
  g_free (text);
  g_bytes_unref (data);
}

/* ---- RLP ---- */

static void
append_rlp_tree (GByteArray * out, const gchar ** p)
{
  gchar *token;

  if (**p == '[') {
    gsize mark = lp_rlp_list_begin (out);

    (*p)++;
    while (**p != ']') {
      append_rlp_tree (out, p);
      if (**p == ',')
        (*p)++;
      else if (**p != ']')
        die ("bad RLP list");
    }
    (*p)++;
    lp_rlp_list_end (out, mark);
    return;
  }
  token = take_token (p);
  if (g_str_has_prefix (token, "u:")) {
    LpUint256 value;

    u256_arg (token + 2, &value);
    lp_rlp_append_uint256 (out, &value);
  } else {
    GBytes *bytes = hex_arg (token);

    lp_rlp_append_bytes (out, g_bytes_get_data (bytes, NULL),
        g_bytes_get_size (bytes));
    g_bytes_unref (bytes);
  }
  g_free (token);
}

static void
do_rlp (gchar ** argv)
{
  GByteArray *out = g_byte_array_new ();
  const gchar *p = argv[1];

  append_rlp_tree (out, &p);
  if (*p != '\0')
    die ("text after the RLP tree");
  printf ("{");
  print_hex ("data", out->data, out->len, TRUE);
  g_byte_array_unref (out);
}

static void
append_rlp_text (GString * text, const LpRlpItem * item)
{
  if (lp_rlp_item_is_list (item)) {
    guint i, n = lp_rlp_item_n_children (item);

    g_string_append_c (text, '[');
    for (i = 0; i < n; i++) {
      if (i > 0)
        g_string_append_c (text, ',');
      append_rlp_text (text, lp_rlp_item_get_child (item, i));
    }
    g_string_append_c (text, ']');
  } else {
    gsize length;
    const guint8 *data = lp_rlp_item_get_bytes (item, &length);
    gchar *hex = lp_hex_encode (data, length, TRUE);

    g_string_append (text, hex);
    g_free (hex);
  }
}

static void
do_unrlp (gchar ** argv)
{
  GBytes *data = hex_arg (argv[1]);
  GError *error = NULL;
  LpRlpItem *item = lp_rlp_decode (g_bytes_get_data (data, NULL),
      g_bytes_get_size (data), &error);

  if (item != NULL) {
    GString *text = g_string_new (NULL);

    append_rlp_text (text, item);
    printf ("{");
    print_string ("text", text->str, TRUE);
    g_string_free (text, TRUE);
    lp_rlp_item_free (item);
  } else {
    print_error (error);
  }
  g_bytes_unref (data);
}

int
main (void)
{
  static const struct
  {
    const gchar *name;
    guint n_args;
    void (*run) (gchar ** argv);
  } ops[] = {
    {"sign", 11, do_sign}, {"decodetx", 1, do_decodetx},
    {"encode", 2, do_encode}, {"call", 2, do_call}, {"decode", 2, do_decode},
    {"topic", 1, do_topic}, {"revert", 1, do_revert},
    {"rlp", 1, do_rlp}, {"unrlp", 1, do_unrlp},
  };
  gchar *line = NULL;
  size_t size = 0;

  while (getline (&line, &size, stdin) > 0) {
    gchar **words;
    guint i;

    g_strchomp (line);
    if (line[0] == '\0')
      continue;
    current_line = line;
    words = g_strsplit (line, " ", -1);
    for (i = 0; i < G_N_ELEMENTS (ops); i++)
      if (strcmp (words[0], ops[i].name) == 0)
        break;
    if (i == G_N_ELEMENTS (ops))
      die ("unknown operation");
    if (g_strv_length (words) != ops[i].n_args + 1)
      die ("wrong number of arguments");
    ops[i].run (words);
    fflush (stdout);
    g_strfreev (words);
  }
  free (line);
  return 0;
}

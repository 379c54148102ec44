/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The reading half of the Solidity ABI (lpabi.h): decoding return values,
 * logs and call data, which come from a remote node and so are untrusted
 * (every offset and length checked against the data's end, the values
 * produced bounded by its length, padding required to be zero), and
 * describing a call's revert data (Error(string), Panic(uint256)).
 * Types, values and encoding are in lpabi.c.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>
#include <string.h>

#include "lpabi-private.h"
/* ------------------------------------------------------------------------ */
/* decoding                                                                 */
/* ------------------------------------------------------------------------ */

typedef struct
{
  const guint8 *data;
  gsize length;
  guint64 budget;               /* values it may still produce */
} Reader;

static gboolean
data_error (GError ** error, gint code, const AbiType * t, gsize pos,
    const gchar * format, ...) G_GNUC_PRINTF (5, 6);

static gboolean
data_error (GError ** error, gint code, const AbiType * t, gsize pos,
    const gchar * format, ...)
{
  g_autofree gchar *why = NULL;
  va_list ap;

  va_start (ap, format);
  why = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, LP_ABI_ERROR, code, "%s at byte %" G_GSIZE_FORMAT
      ": %s", t->text, pos, why);
  return FALSE;
}

/* TRUE if the word at @pos exists; sets it */
static gboolean
read_word (Reader * r, const AbiType * t, gsize pos, const guint8 ** word,
    GError ** error)
{
  if (pos > r->length || r->length - pos < WORD)
    return data_error (error, LP_ABI_ERROR_TRUNCATED, t, pos,
        "the data ends at byte %" G_GSIZE_FORMAT, r->length);
  *word = r->data + pos;
  return TRUE;
}

/* A word holding a length or an offset, which must be below 2^64 (else
 * it is surely past the end). */
static gboolean
read_size (Reader * r, const AbiType * t, gsize pos, guint64 * size,
    GError ** error)
{
  const guint8 *word = NULL;
  guint i;

  if (!read_word (r, t, pos, &word, error))
    return FALSE;
  if (!uint_fits (word, 64))
    return data_error (error, LP_ABI_ERROR_TRUNCATED, t, pos,
        "a length or offset of more than 2^64 bytes");
  *size = 0;
  for (i = WORD - 8; i < WORD; i++)
    *size = (*size << 8) | word[i];
  return TRUE;
}

static gboolean
spend (Reader * r, const AbiType * t, gsize pos, GError ** error)
{
  if (r->budget == 0)
    return data_error (error, LP_ABI_ERROR_INVALID_DATA, t, pos,
        "the data decodes into more values than it could hold canonically "
        "(overlapping offsets)");
  r->budget--;
  return TRUE;
}

static gboolean
all_zero (const guint8 * data, gsize length)
{
  gsize i;

  for (i = 0; i < length; i++)
    if (data[i] != 0)
      return FALSE;
  return TRUE;
}

static LpAbiValue *decode_value (Reader * r, const AbiType * t, gsize pos,
    GError ** error);

/* @n children typed by @t (tuple or array) whose encoding starts at
 * @base, offsets being relative to it. */
static LpAbiValue *
decode_sequence (Reader * r, const AbiType * t, guint n, gsize base,
    LpAbiKind kind, GError ** error)
{
  g_autoptr (LpAbiValue) v = value_new_parent (kind, n);
  gsize head = base;
  guint i;

  for (i = 0; i < n; i++) {
    const AbiType *it = item_type (t, i);
    LpAbiValue *child;
    guint64 offset;
    gsize pos = head;

    if (it->dynamic) {
      if (!read_size (r, it, head, &offset, error))
        goto failed;
      if (offset > r->length - base) {
        data_error (error, LP_ABI_ERROR_TRUNCATED, it, head, "offset %"
            G_GUINT64_FORMAT " points past the end", offset);
        goto failed;
      }
      pos = base + offset;
    }
    child = decode_value (r, it, pos, error);
    if (child == NULL)
      goto failed;
    g_ptr_array_add (v->children, child);
    head += it->head;
    continue;

  failed:
    g_prefix_error (error, "%s %u: ", t->kind == T_TUPLE ? "member" : "item",
        i);
    return NULL;
  }
  return g_steal_pointer (&v);
}

static LpAbiValue *
decode_data (Reader * r, const AbiType * t, gsize pos, GError ** error)
{
  guint64 length, padded;
  const guint8 *start;
  LpAbiValue *v;

  if (!read_size (r, t, pos, &length, error))
    return NULL;
  start = r->data + pos + WORD;
  padded = length + (WORD - length % WORD) % WORD;
  if (length > r->length - pos - WORD || padded > r->length - pos - WORD) {
    data_error (error, LP_ABI_ERROR_TRUNCATED, t, pos, "%" G_GUINT64_FORMAT
        " bytes (padded to %" G_GUINT64_FORMAT ") do not fit in the %"
        G_GSIZE_FORMAT " left", length, padded, r->length - pos - WORD);
    return NULL;
  }
  if (!all_zero (start + length, padded - length)) {
    data_error (error, LP_ABI_ERROR_INVALID_DATA, t, pos,
        "non-zero padding after the data");
    return NULL;
  }
  if (t->kind == T_STRING && !g_utf8_validate_len ((const gchar *) start,
          length, NULL)) {
    data_error (error, LP_ABI_ERROR_INVALID_DATA, t, pos,
        "the string is not valid UTF-8");
    return NULL;
  }
  v = value_new_data (t->kind == T_STRING ? LP_ABI_KIND_STRING :
      LP_ABI_KIND_BYTES, start, length);
  return v;
}

/* a leaf word, checked for the padding its type leaves zero */
static LpAbiValue *
decode_word (Reader * r, const AbiType * t, gsize pos, GError ** error)
{
  const guint8 *word = NULL;
  gboolean canonical = TRUE;
  LpAbiValue *v;

  if (!read_word (r, t, pos, &word, error))
    return NULL;
  switch (t->kind) {
    case T_UINT:
      canonical = uint_fits (word, t->size);
      break;
    case T_INT:
      canonical = int_fits (word, t->size);
      break;
    case T_ADDRESS:
      canonical = uint_fits (word, 8 * LP_ADDRESS_SIZE);
      break;
    case T_BOOL:
      canonical = uint_fits (word, 8) && word[WORD - 1] <= 1;
      break;
    case T_FIXED_BYTES:
      canonical = all_zero (word + t->size, WORD - t->size);
      break;
    default:
      g_assert_not_reached ();
  }
  if (!canonical) {
    data_error (error, LP_ABI_ERROR_INVALID_DATA, t, pos,
        "value out of range or non-zero padding");
    return NULL;
  }
  v = value_new (expected_kind (t));
  memcpy (v->word, word, WORD);
  if (t->kind == T_FIXED_BYTES)
    v->fixed_length = t->size;
  return v;
}

static LpAbiValue *
decode_value (Reader * r, const AbiType * t, gsize pos, GError ** error)
{
  guint64 n;

  if (!spend (r, t, pos, error))
    return NULL;
  switch (t->kind) {
    case T_BYTES:
    case T_STRING:
      return decode_data (r, t, pos, error);
    case T_TUPLE:
      return decode_sequence (r, t, t->members->len, pos, LP_ABI_KIND_TUPLE,
          error);
    case T_FIXED_ARRAY:
      return decode_sequence (r, t, t->size, pos, LP_ABI_KIND_ARRAY, error);
    case T_ARRAY:
      if (!read_size (r, t, pos, &n, error))
        return NULL;
      /* every item takes at least one word: refuse counts the data cannot
       * hold before allocating for them */
      if (n > (r->length - pos - WORD) / t->element->head) {
        data_error (error, LP_ABI_ERROR_TRUNCATED, t, pos, "%"
            G_GUINT64_FORMAT " items cannot fit in the %" G_GSIZE_FORMAT
            " bytes left", n, r->length - pos - WORD);
        return NULL;
      }
      return decode_sequence (r, t, (guint) n, pos + WORD, LP_ABI_KIND_ARRAY,
          error);
    default:
      return decode_word (r, t, pos, error);
  }
}

/**
 * lp_abi_decode:
 * @types: a parenthesised list of canonical types,
 *     "(uint256,address,(uint256,uint256),bytes)"
 * @data: (array length=length) (nullable): the encoding, untrusted
 * @length: its size in bytes
 * @error: return location for a #GError, or %NULL
 *
 * Decodes return values, event data or call arguments (without the
 * selector: see lp_abi_decode_call()). Bytes after the last value are
 * ignored.
 *
 * Returns: (transfer full) (nullable): a tuple with one member per type;
 *     %NULL with %LP_ABI_ERROR_INVALID_TYPE, %LP_ABI_ERROR_TRUNCATED or
 *     %LP_ABI_ERROR_INVALID_DATA, the message saying where
 */
LpAbiValue *
lp_abi_decode (const gchar * types, const guint8 * data, gsize length,
    GError ** error)
{
  g_autoptr (AbiType) t = NULL;
  Reader r = { data, length, 0 };

  g_return_val_if_fail (types != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  t = parse_type_list (types, error);
  if (t == NULL)
    return NULL;
  r.budget = (length / WORD + 1) * VALUES_PER_WORD;
  return decode_value (&r, t, 0, error);
}

/**
 * lp_abi_decode_call:
 * @signature: a canonical function signature
 * @data: (array length=length) (nullable): call data, untrusted
 * @length: its size in bytes
 * @error: return location for a #GError, or %NULL
 *
 * Checks that @data starts with @signature's selector and decodes the
 * arguments that follow.
 *
 * Returns: (transfer full) (nullable): a tuple of the arguments; %NULL
 *     with an %LP_ABI_ERROR (%LP_ABI_ERROR_INVALID_DATA for another
 *     selector)
 */
LpAbiValue *
lp_abi_decode_call (const gchar * signature, const guint8 * data,
    gsize length, GError ** error)
{
  g_autoptr (AbiType) t = NULL;
  guint8 selector[LP_ABI_SELECTOR_SIZE];
  const gchar *open;

  g_return_val_if_fail (signature != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  t = parse_signature (signature, error);
  if (t == NULL)
    return NULL;
  lp_abi_selector (signature, selector);
  if (length < LP_ABI_SELECTOR_SIZE ||
      memcmp (data, selector, LP_ABI_SELECTOR_SIZE) != 0) {
    g_set_error (error, LP_ABI_ERROR, LP_ABI_ERROR_INVALID_DATA,
        "call data does not start with the selector of %s", signature);
    return NULL;
  }
  open = strchr (signature, '(');
  return lp_abi_decode (open, data + LP_ABI_SELECTOR_SIZE,
      length - LP_ABI_SELECTOR_SIZE, error);
}

/* ------------------------------------------------------------------------ */
/* revert data                                                              */
/* ------------------------------------------------------------------------ */

/* Solidity's panic codes (Solidity docs, "Panic via assert and Error via
 * require") */
static const gchar *
panic_meaning (const LpUint256 * code)
{
  static const struct
  {
    guint8 code;
    const gchar *meaning;
  } panics[] = {
    {0x00, "generic compiler panic"},
    {0x01, "assertion failed"},
    {0x11, "arithmetic overflow or underflow"},
    {0x12, "division or modulo by zero"},
    {0x21, "conversion to an invalid enum value"},
    {0x22, "incorrectly encoded storage byte array"},
    {0x31, "pop on an empty array"},
    {0x32, "array index out of bounds"},
    {0x41, "out of memory or too large an allocation"},
    {0x51, "call to a zero-initialised internal function"},
  };
  guint64 n;
  guint i;

  if (!lp_uint256_to_uint64 (code, &n, NULL))
    return NULL;
  for (i = 0; i < G_N_ELEMENTS (panics); i++)
    if (panics[i].code == n)
      return panics[i].meaning;
  return NULL;
}

static gchar *
describe_error_string (const guint8 * args, gsize length)
{
  g_autoptr (LpAbiValue) v = lp_abi_decode ("(string)", args, length, NULL);
  const gchar *reason;
  gsize reason_length;

  if (v == NULL)
    return g_strdup_printf ("malformed Error(string) revert data "
        "(%" G_GSIZE_FORMAT " bytes after the selector)", length);
  lp_abi_value_get_bytes (lp_abi_value_get_child (v, 0), &reason_length);
  reason = lp_abi_value_get_string (lp_abi_value_get_child (v, 0));
  if (reason_length == 0)
    return g_strdup ("reverted with an empty reason");
  /* escape control characters: the reason comes from a remote contract
   * and ends up in logs and terminals */
  for (gsize i = 0; i < reason_length; i++)
    if ((guint8) reason[i] < 0x20 || reason[i] == 0x7f)
      return g_strescape (reason, NULL);
  return g_strdup (reason);
}

static gchar *
describe_panic (const guint8 * args, gsize length)
{
  g_autoptr (LpAbiValue) v = lp_abi_decode ("(uint256)", args, length, NULL);
  g_autofree gchar *hex = NULL;
  const gchar *meaning;
  LpUint256 code;

  if (v == NULL)
    return g_strdup_printf ("malformed Panic(uint256) revert data "
        "(%" G_GSIZE_FORMAT " bytes after the selector)", length);
  lp_abi_value_get_uint256 (lp_abi_value_get_child (v, 0), &code);
  hex = lp_uint256_to_hex (&code);
  meaning = panic_meaning (&code);
  if (meaning == NULL)
    return g_strdup_printf ("panic %s (unknown panic code)", hex);
  return g_strdup_printf ("panic %s (%s)", hex, meaning);
}

/**
 * lp_abi_decode_revert:
 * @data: (array length=length) (nullable): the revert data of a failed
 *     call or transaction, untrusted
 * @length: its size in bytes
 *
 * Describes revert data for a person: the reason of `Error(string)`
 * (require and revert with a message), "panic 0x11 (arithmetic overflow
 * or underflow)" for `Panic(uint256)`, "reverted without a reason" for
 * none, and "custom error 0x<selector> (N bytes of arguments)" for the
 * rest.
 *
 * Returns: (transfer full): the description
 */
gchar *
lp_abi_decode_revert (const guint8 * data, gsize length)
{
  static const guint8 error_selector[] = { 0x08, 0xc3, 0x79, 0xa0 };
  static const guint8 panic_selector[] = { 0x4e, 0x48, 0x7b, 0x71 };
  g_autofree gchar *hex = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length == 0)
    return g_strdup ("reverted without a reason");
  if (length < LP_ABI_SELECTOR_SIZE) {
    hex = lp_hex_encode (data, length, TRUE);
    return g_strdup_printf ("reverted with %" G_GSIZE_FORMAT " bytes of "
        "data too short for an error selector (%s)", length, hex);
  }
  if (memcmp (data, error_selector, LP_ABI_SELECTOR_SIZE) == 0)
    return describe_error_string (data + LP_ABI_SELECTOR_SIZE,
        length - LP_ABI_SELECTOR_SIZE);
  if (memcmp (data, panic_selector, LP_ABI_SELECTOR_SIZE) == 0)
    return describe_panic (data + LP_ABI_SELECTOR_SIZE,
        length - LP_ABI_SELECTOR_SIZE);
  hex = lp_hex_encode (data, LP_ABI_SELECTOR_SIZE, TRUE);
  return g_strdup_printf ("custom error %s (%" G_GSIZE_FORMAT
      " bytes of arguments)", hex, length - LP_ABI_SELECTOR_SIZE);
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This file holds the ABI's types (the parser), values, selectors and
 * topics, and encoding; decoding and revert data are in lpabi-decode.c.
 */
/**
 * SECTION:lpabi
 * @title: Solidity ABI
 * @short_description: contract call, return, event and revert encodings
 *
 * The Solidity contract ABI as the specification defines it: every value
 * is a sequence of 32-byte words. Static types (uint<N>, int<N>, address,
 * bool, bytes<N>, and fixed arrays and tuples made only of static types)
 * are encoded in place; dynamic ones (bytes, string, T[], and fixed arrays
 * and tuples holding a dynamic type) leave in the head of their enclosing
 * tuple or array a word holding the offset, from the start of that
 * enclosing encoding, of their own encoding in its tail.
 *
 * Types are given as text, exactly as in a canonical function signature:
 * "uint256", "(address,bytes)[]", "bytes32[3]". A type list is a
 * parenthesised list, "(uint256,address)"; a signature is a name followed
 * by one, "bond(uint256,address)". Non-canonical spellings ("uint",
 * spaces, "byte") are refused, since a selector computed over them would
 * be wrong.
 *
 * Values are trees of #LpAbiValue: leaves built from C values, tuples and
 * arrays holding their children. Encoding checks the tree against the
 * types (shape, kinds, ranges of narrow integers, sizes of bytes<N>).
 *
 * Decoding reads untrusted data (return values and logs from a remote
 * node): every offset and length is checked against the data's end, the
 * number of values it may produce is bounded by its length (so
 * overlapping offsets cannot make a few bytes decode into millions of
 * values), and any padding a canonical encoder would leave zero must be
 * zero. Bytes after the last value are ignored, as Solidity does.
 *
 * All functions are MT safe; values are immutable once built.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpabi-private.h"

#include <stdarg.h>
#include <string.h>

G_DEFINE_QUARK (lp-abi-error-quark, lp_abi_error);

void
abi_type_free (AbiType * t)
{
  if (t == NULL)
    return;
  abi_type_free (t->element);
  if (t->members != NULL)
    g_ptr_array_unref (t->members);
  g_free (t->text);
  g_free (t);
}

typedef struct
{
  const gchar *text;            /* the whole input, for messages */
  const gchar *p;
} Parser;

static gboolean
syntax_error (Parser * ps, GError ** error, const gchar * why)
{
  g_set_error (error, LP_ABI_ERROR, LP_ABI_ERROR_INVALID_TYPE,
      "invalid ABI type text \"%s\" at character %u: %s", ps->text,
      (guint) (ps->p - ps->text), why);
  return FALSE;
}

/* Reads a decimal number without leading zero; FALSE if none or huge. */
static gboolean
read_number (Parser * ps, guint64 * value)
{
  guint64 n = 0;
  const gchar *start = ps->p;

  while (g_ascii_isdigit (*ps->p)) {
    if (n > G_MAXUINT32)
      return FALSE;
    n = n * 10 + (guint64) (*ps->p - '0');
    ps->p++;
  }
  if (ps->p == start || (start[0] == '0' && ps->p - start > 1))
    return FALSE;
  *value = n;
  return TRUE;
}

/* Sets the derived fields once the type's parts are known. */
static gboolean
finish_type (Parser * ps, AbiType * t, const gchar * start, GError ** error)
{
  guint i;

  t->text = g_strndup (start, ps->p - start);
  switch (t->kind) {
    case T_BYTES:
    case T_STRING:
    case T_ARRAY:
      t->dynamic = TRUE;
      break;
    case T_FIXED_ARRAY:
      t->dynamic = t->element->dynamic;
      t->head = t->element->head * t->size;
      break;
    case T_TUPLE:
      for (i = 0; i < t->members->len; i++) {
        AbiType *m = g_ptr_array_index (t->members, i);
        t->dynamic |= m->dynamic;
        t->head += m->head;
      }
      break;
    default:
      t->head = WORD;
      break;
  }
  if (t->dynamic)
    t->head = WORD;
  else if (t->head > MAX_STATIC_SIZE)
    return syntax_error (ps, error, "the type is too large");
  return TRUE;
}

static AbiType *parse_type (Parser * ps, guint depth, GError ** error);

static AbiType *
parse_tuple (Parser * ps, guint depth, gboolean allow_empty, GError ** error)
{
  const gchar *start = ps->p;
  g_autoptr (AbiType) t = g_new0 (AbiType, 1);

  t->kind = T_TUPLE;
  t->members = g_ptr_array_new_with_free_func ((GDestroyNotify)
      abi_type_free);
  if (*ps->p != '(') {
    syntax_error (ps, error, "expected '('");
    return NULL;
  }
  ps->p++;
  if (*ps->p == ')' && !allow_empty) {
    syntax_error (ps, error, "a nested tuple cannot be empty");
    return NULL;
  }
  while (*ps->p != ')') {
    AbiType *m = parse_type (ps, depth + 1, error);

    if (m == NULL)
      return NULL;
    g_ptr_array_add (t->members, m);
    if (*ps->p == ',' && ps->p[1] != ')')
      ps->p++;
    else if (*ps->p != ')') {
      syntax_error (ps, error, "expected ',' or ')'");
      return NULL;
    }
  }
  ps->p++;
  if (!finish_type (ps, t, start, error))
    return NULL;
  return g_steal_pointer (&t);
}

/* uint<N>, int<N>, address, bool, bytes<N>, bytes, string */
static AbiType *
parse_elementary (Parser * ps, GError ** error)
{
  const gchar *start = ps->p;
  g_autoptr (AbiType) t = g_new0 (AbiType, 1);
  guint64 n = 0;
  gsize word_len;

  while (g_ascii_islower (*ps->p))
    ps->p++;
  word_len = ps->p - start;
  if (word_len == 4 && strncmp (start, "uint", 4) == 0)
    t->kind = T_UINT;
  else if (word_len == 3 && strncmp (start, "int", 3) == 0)
    t->kind = T_INT;
  else if (word_len == 7 && strncmp (start, "address", 7) == 0)
    t->kind = T_ADDRESS;
  else if (word_len == 4 && strncmp (start, "bool", 4) == 0)
    t->kind = T_BOOL;
  else if (word_len == 5 && strncmp (start, "bytes", 5) == 0)
    t->kind = g_ascii_isdigit (*ps->p) ? T_FIXED_BYTES : T_BYTES;
  else if (word_len == 6 && strncmp (start, "string", 6) == 0)
    t->kind = T_STRING;
  else {
    ps->p = start;
    syntax_error (ps, error, "unknown type (canonical names only: "
        "uint<N>, int<N>, address, bool, bytes<N>, bytes, string, tuples)");
    return NULL;
  }

  if (t->kind == T_UINT || t->kind == T_INT) {
    if (!read_number (ps, &n) || n == 0 || n > 256 || n % 8 != 0) {
      syntax_error (ps, error, "integer types are uint<N> or int<N> with N "
          "a multiple of 8 from 8 to 256 (uint256, not uint)");
      return NULL;
    }
    t->size = (guint) n;
  } else if (t->kind == T_FIXED_BYTES) {
    if (!read_number (ps, &n) || n == 0 || n > WORD) {
      syntax_error (ps, error, "bytes<N> needs N from 1 to 32");
      return NULL;
    }
    t->size = (guint) n;
  }
  if (!finish_type (ps, t, start, error))
    return NULL;
  return g_steal_pointer (&t);
}

/* One type: a tuple or an elementary type, then any array suffixes. */
static AbiType *
parse_type (Parser * ps, guint depth, GError ** error)
{
  const gchar *start = ps->p;
  AbiType *t;

  if (depth > LP_ABI_MAX_DEPTH) {
    syntax_error (ps, error, "types nest too deeply");
    return NULL;
  }
  t = *ps->p == '(' ? parse_tuple (ps, depth, FALSE, error) :
      parse_elementary (ps, error);

  while (t != NULL && *ps->p == '[') {
    g_autoptr (AbiType) array = g_new0 (AbiType, 1);
    guint64 n;

    array->element = t;
    t = NULL;
    if (++depth > LP_ABI_MAX_DEPTH) {
      syntax_error (ps, error, "types nest too deeply");
      return NULL;
    }
    ps->p++;
    if (*ps->p == ']') {
      array->kind = T_ARRAY;
    } else if (read_number (ps, &n) && n > 0 && n <= MAX_STATIC_SIZE) {
      array->kind = T_FIXED_ARRAY;
      array->size = (guint) n;
    } else {
      syntax_error (ps, error, "array lengths are positive decimals");
      return NULL;
    }
    if (*ps->p != ']') {
      syntax_error (ps, error, "expected ']'");
      return NULL;
    }
    ps->p++;
    if (!finish_type (ps, array, start, error))
      return NULL;
    t = g_steal_pointer (&array);
  }
  return t;
}

/* "(T1,T2,...)", possibly "()", and nothing after it */
AbiType *
parse_type_list (const gchar * text, GError ** error)
{
  Parser ps = { text, text };
  g_autoptr (AbiType) t = parse_tuple (&ps, 0, TRUE, error);

  if (t == NULL)
    return NULL;
  if (*ps.p != '\0') {
    syntax_error (&ps, error, "unexpected text after the type list");
    return NULL;
  }
  return g_steal_pointer (&t);
}

/* "name(T1,T2,...)": returns the argument tuple */
AbiType *
parse_signature (const gchar * text, GError ** error)
{
  Parser ps = { text, text };

  if (!g_ascii_isalpha (*ps.p) && *ps.p != '_' && *ps.p != '$') {
    syntax_error (&ps, error, "a signature starts with a name");
    return NULL;
  }
  while (g_ascii_isalnum (*ps.p) || *ps.p == '_' || *ps.p == '$')
    ps.p++;
  if (*ps.p != '(') {
    syntax_error (&ps, error, "expected '(' after the name");
    return NULL;
  }
  return parse_type_list (ps.p, error);
}

const AbiType *
item_type (const AbiType * t, guint i)
{
  return t->kind == T_TUPLE ? g_ptr_array_index (t->members, i) : t->element;
}

/* ------------------------------------------------------------------------ */
/* values                                                                   */
/* ------------------------------------------------------------------------ */

LpAbiValue *
value_new (LpAbiKind kind)
{
  LpAbiValue *v = g_new0 (LpAbiValue, 1);

  v->kind = kind;
  return v;
}

/**
 * lp_abi_value_new_uint256:
 * @value: a number
 *
 * Returns: (transfer full): a value for any uint<N>
 */
LpAbiValue *
lp_abi_value_new_uint256 (const LpUint256 * value)
{
  LpAbiValue *v;

  g_return_val_if_fail (value != NULL, NULL);

  v = value_new (LP_ABI_KIND_UINT);
  memcpy (v->word, value->be, WORD);
  return v;
}

/**
 * lp_abi_value_new_uint64:
 * @value: a number
 *
 * Returns: (transfer full): a value for any uint<N>
 */
LpAbiValue *
lp_abi_value_new_uint64 (guint64 value)
{
  LpUint256 u;

  lp_uint256_from_uint64 (value, &u);
  return lp_abi_value_new_uint256 (&u);
}

/**
 * lp_abi_value_new_int256:
 * @twos_complement: a signed number as 256-bit two's complement
 *
 * Returns: (transfer full): a value for any int<N>
 */
LpAbiValue *
lp_abi_value_new_int256 (const LpUint256 * twos_complement)
{
  LpAbiValue *v;

  g_return_val_if_fail (twos_complement != NULL, NULL);

  v = value_new (LP_ABI_KIND_INT);
  memcpy (v->word, twos_complement->be, WORD);
  return v;
}

/**
 * lp_abi_value_new_int64:
 * @value: a signed number
 *
 * Returns: (transfer full): a value for any int<N>
 */
LpAbiValue *
lp_abi_value_new_int64 (gint64 value)
{
  LpAbiValue *v = value_new (LP_ABI_KIND_INT);
  guint64 bits = (guint64) value;
  guint i;

  memset (v->word, value < 0 ? 0xff : 0x00, WORD);
  for (i = 0; i < 8; i++)
    v->word[WORD - 1 - i] = (guint8) (bits >> (8 * i));
  return v;
}

/**
 * lp_abi_value_new_address:
 * @address: an address
 *
 * Returns: (transfer full): a value for `address`
 */
LpAbiValue *
lp_abi_value_new_address (const LpAddress * address)
{
  LpAbiValue *v;

  g_return_val_if_fail (address != NULL, NULL);

  v = value_new (LP_ABI_KIND_ADDRESS);
  memcpy (v->word + WORD - LP_ADDRESS_SIZE, address->bytes, LP_ADDRESS_SIZE);
  return v;
}

/**
 * lp_abi_value_new_bool:
 * @value: a truth value
 *
 * Returns: (transfer full): a value for `bool`
 */
LpAbiValue *
lp_abi_value_new_bool (gboolean value)
{
  LpAbiValue *v = value_new (LP_ABI_KIND_BOOL);

  v->word[WORD - 1] = value ? 1 : 0;
  return v;
}

/**
 * lp_abi_value_new_fixed_bytes:
 * @bytes: (array length=length): the bytes
 * @length: their number, 1 to 32: the N of the bytes<N> it is for
 *
 * Returns: (transfer full): a value for `bytes<length>`
 */
LpAbiValue *
lp_abi_value_new_fixed_bytes (const guint8 * bytes, gsize length)
{
  LpAbiValue *v;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (length >= 1 && length <= WORD, NULL);

  v = value_new (LP_ABI_KIND_FIXED_BYTES);
  memcpy (v->word, bytes, length);
  v->fixed_length = (guint) length;
  return v;
}

/**
 * lp_abi_value_new_bytes32:
 * @bytes: (array fixed-size=32): the bytes
 *
 * Returns: (transfer full): a value for `bytes32`
 */
LpAbiValue *
lp_abi_value_new_bytes32 (const guint8 bytes[LP_ABI_WORD_SIZE])
{
  return lp_abi_value_new_fixed_bytes (bytes, WORD);
}

LpAbiValue *
value_new_data (LpAbiKind kind, const guint8 * data, gsize length)
{
  LpAbiValue *v = value_new (kind);

  v->data = g_malloc (length + 1);
  if (length > 0)
    memcpy (v->data, data, length);
  v->data[length] = 0;
  v->length = length;
  return v;
}

/**
 * lp_abi_value_new_bytes:
 * @data: (array length=length) (nullable): the bytes
 * @length: their number
 *
 * Returns: (transfer full): a value for dynamic `bytes`
 */
LpAbiValue *
lp_abi_value_new_bytes (const guint8 * data, gsize length)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  return value_new_data (LP_ABI_KIND_BYTES, data, length);
}

/**
 * lp_abi_value_new_string:
 * @text: UTF-8 text
 *
 * Returns: (transfer full): a value for `string`
 */
LpAbiValue *
lp_abi_value_new_string (const gchar * text)
{
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (text, -1, NULL), NULL);

  return value_new_data (LP_ABI_KIND_STRING, (const guint8 *) text,
      strlen (text));
}

LpAbiValue *
value_new_parent (LpAbiKind kind, guint n_children)
{
  LpAbiValue *v = value_new (kind);

  v->children = g_ptr_array_new_full (n_children, (GDestroyNotify)
      lp_abi_value_free);
  return v;
}

/**
 * lp_abi_value_new_tuple:
 * @first: (transfer full) (nullable): the first member, or %NULL for an
 *     empty tuple
 * @...: (transfer full): the other members, then %NULL
 *
 * Returns: (transfer full): a tuple owning its members
 */
LpAbiValue *
lp_abi_value_new_tuple (LpAbiValue * first, ...)
{
  LpAbiValue *v = value_new_parent (LP_ABI_KIND_TUPLE, 0);
  LpAbiValue *member;
  va_list ap;

  va_start (ap, first);
  for (member = first; member != NULL; member = va_arg (ap, LpAbiValue *))
    g_ptr_array_add (v->children, member);
  va_end (ap);
  return v;
}

/**
 * lp_abi_value_new_tuplev:
 * @items: (array length=n_items) (transfer full): the members; the array
 *     itself stays the caller's
 * @n_items: their number
 *
 * Returns: (transfer full): a tuple owning its members
 */
LpAbiValue *
lp_abi_value_new_tuplev (LpAbiValue ** items, guint n_items)
{
  LpAbiValue *v;
  guint i;

  g_return_val_if_fail (items != NULL || n_items == 0, NULL);

  v = value_new_parent (LP_ABI_KIND_TUPLE, n_items);
  for (i = 0; i < n_items; i++) {
    g_return_val_if_fail (items[i] != NULL, v);
    g_ptr_array_add (v->children, items[i]);
  }
  return v;
}

/**
 * lp_abi_value_new_array:
 * @items: (transfer full) (element-type LpAbiValue): the items; the array
 *     and the items become the value's (its free function is replaced)
 *
 * Returns: (transfer full): an array, for T[] or T[k]
 */
LpAbiValue *
lp_abi_value_new_array (GPtrArray * items)
{
  LpAbiValue *v;

  g_return_val_if_fail (items != NULL, NULL);

  v = value_new (LP_ABI_KIND_ARRAY);
  g_ptr_array_set_free_func (items, (GDestroyNotify) lp_abi_value_free);
  v->children = items;
  return v;
}

/**
 * lp_abi_value_free:
 * @value: (transfer full) (nullable): a value
 *
 * Frees a value and, for a tuple or an array, its children.
 */
void
lp_abi_value_free (LpAbiValue * value)
{
  if (value == NULL)
    return;
  g_free (value->data);
  if (value->children != NULL)
    g_ptr_array_unref (value->children);
  g_free (value);
}

/**
 * lp_abi_value_get_kind:
 * @value: a value
 *
 * Returns: what @value holds
 */
LpAbiKind
lp_abi_value_get_kind (const LpAbiValue * value)
{
  g_return_val_if_fail (value != NULL, LP_ABI_KIND_UINT);

  return value->kind;
}

/**
 * lp_abi_value_get_uint256:
 * @value: a value
 * @out: (out caller-allocates): the number
 *
 * Returns: %TRUE if @value is an unsigned number (uint<N>)
 */
gboolean
lp_abi_value_get_uint256 (const LpAbiValue * value, LpUint256 * out)
{
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (value->kind != LP_ABI_KIND_UINT)
    return FALSE;
  memcpy (out->be, value->word, WORD);
  return TRUE;
}

/**
 * lp_abi_value_get_uint64:
 * @value: a value
 * @out: (out): the number
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE if @value is an unsigned number below 2^64; %FALSE with
 *     %LP_ABI_ERROR_VALUE_MISMATCH for another kind, or
 *     %LP_ABI_ERROR_OUT_OF_RANGE
 */
gboolean
lp_abi_value_get_uint64 (const LpAbiValue * value, guint64 * out,
    GError ** error)
{
  LpUint256 u;

  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!lp_abi_value_get_uint256 (value, &u)) {
    g_set_error_literal (error, LP_ABI_ERROR, LP_ABI_ERROR_VALUE_MISMATCH,
        "ABI value is not an unsigned number");
    return FALSE;
  }
  if (!lp_uint256_to_uint64 (&u, out, NULL)) {
    g_autofree gchar *text = lp_uint256_to_string (&u);

    g_set_error (error, LP_ABI_ERROR, LP_ABI_ERROR_OUT_OF_RANGE,
        "ABI value %s does not fit in 64 bits", text);
    return FALSE;
  }
  return TRUE;
}

/**
 * lp_abi_value_get_int256:
 * @value: a value
 * @twos_complement: (out caller-allocates): the number, as 256-bit two's
 *     complement
 *
 * Returns: %TRUE if @value is a signed number (int<N>)
 */
gboolean
lp_abi_value_get_int256 (const LpAbiValue * value,
    LpUint256 * twos_complement)
{
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (twos_complement != NULL, FALSE);

  if (value->kind != LP_ABI_KIND_INT)
    return FALSE;
  memcpy (twos_complement->be, value->word, WORD);
  return TRUE;
}

/**
 * lp_abi_value_get_address:
 * @value: a value
 * @out: (out caller-allocates): the address
 *
 * Returns: %TRUE if @value is an address
 */
gboolean
lp_abi_value_get_address (const LpAbiValue * value, LpAddress * out)
{
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (value->kind != LP_ABI_KIND_ADDRESS)
    return FALSE;
  memcpy (out->bytes, value->word + WORD - LP_ADDRESS_SIZE, LP_ADDRESS_SIZE);
  return TRUE;
}

/**
 * lp_abi_value_get_bool:
 * @value: a value
 * @out: (out): the truth value
 *
 * Returns: %TRUE if @value is a bool
 */
gboolean
lp_abi_value_get_bool (const LpAbiValue * value, gboolean * out)
{
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (value->kind != LP_ABI_KIND_BOOL)
    return FALSE;
  *out = value->word[WORD - 1] != 0;
  return TRUE;
}

/**
 * lp_abi_value_get_bytes32:
 * @value: a value
 * @out: (out caller-allocates) (array fixed-size=32): the bytes, followed
 *     by zeros up to 32 for a bytes<N> with N < 32
 *
 * Returns: %TRUE if @value is a bytes<N>
 */
gboolean
lp_abi_value_get_bytes32 (const LpAbiValue * value,
    guint8 out[LP_ABI_WORD_SIZE])
{
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (value->kind != LP_ABI_KIND_FIXED_BYTES)
    return FALSE;
  memcpy (out, value->word, WORD);
  return TRUE;
}

/**
 * lp_abi_value_get_bytes:
 * @value: a value
 * @length: (out) (optional): the number of bytes
 *
 * Returns: (transfer none) (nullable) (array length=length): the bytes of
 *     a dynamic bytes, a string (its UTF-8, without the NUL) or a
 *     bytes<N> (N of them), owned by @value; %NULL for another kind
 */
const guint8 *
lp_abi_value_get_bytes (const LpAbiValue * value, gsize * length)
{
  g_return_val_if_fail (value != NULL, NULL);

  if (length != NULL)
    *length = 0;
  switch (value->kind) {
    case LP_ABI_KIND_BYTES:
    case LP_ABI_KIND_STRING:
      if (length != NULL)
        *length = value->length;
      return value->data;
    case LP_ABI_KIND_FIXED_BYTES:
      if (length != NULL)
        *length = value->fixed_length;
      return value->word;
    default:
      return NULL;
  }
}

/**
 * lp_abi_value_get_string:
 * @value: a value
 *
 * Returns: (transfer none) (nullable): the text of a string, owned by
 *     @value (it may hold NUL characters: lp_abi_value_get_bytes() gives
 *     its full length); %NULL for another kind
 */
const gchar *
lp_abi_value_get_string (const LpAbiValue * value)
{
  g_return_val_if_fail (value != NULL, NULL);

  return value->kind == LP_ABI_KIND_STRING ? (const gchar *) value->data :
      NULL;
}

/**
 * lp_abi_value_n_children:
 * @value: a value
 *
 * Returns: the number of members of a tuple or items of an array; 0 for a
 *     leaf
 */
guint
lp_abi_value_n_children (const LpAbiValue * value)
{
  g_return_val_if_fail (value != NULL, 0);

  return value->children != NULL ? value->children->len : 0;
}

/**
 * lp_abi_value_get_child:
 * @value: a tuple or an array
 * @index: below lp_abi_value_n_children()
 *
 * Returns: (transfer none) (nullable): the member or item @index, owned by
 *     @value; %NULL for a leaf or an index out of range
 */
const LpAbiValue *
lp_abi_value_get_child (const LpAbiValue * value, guint index)
{
  g_return_val_if_fail (value != NULL, NULL);

  if (value->children == NULL || index >= value->children->len)
    return NULL;
  return g_ptr_array_index (value->children, index);
}

/**
 * lp_abi_value_equal:
 * @a: a value
 * @b: another value
 *
 * Returns: %TRUE if @a and @b are the same tree: same kinds, same leaves
 */
gboolean
lp_abi_value_equal (const LpAbiValue * a, const LpAbiValue * b)
{
  guint i;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->kind != b->kind || a->fixed_length != b->fixed_length ||
      a->length != b->length || memcmp (a->word, b->word, WORD) != 0)
    return FALSE;
  if (a->length > 0 && memcmp (a->data, b->data, a->length) != 0)
    return FALSE;
  if (lp_abi_value_n_children (a) != lp_abi_value_n_children (b))
    return FALSE;
  for (i = 0; i < lp_abi_value_n_children (a); i++)
    if (!lp_abi_value_equal (lp_abi_value_get_child (a, i),
            lp_abi_value_get_child (b, i)))
      return FALSE;
  return TRUE;
}

static void
append_hex (GString * s, const guint8 * data, gsize length)
{
  g_autofree gchar *hex = lp_hex_encode (data, length, TRUE);

  g_string_append (s, hex);
}

/* JSON string syntax, so that any text reads back unambiguously */
static void
append_quoted (GString * s, const guint8 * text, gsize length)
{
  gsize i;

  g_string_append_c (s, '"');
  for (i = 0; i < length; i++) {
    guint8 c = text[i];

    if (c == '"' || c == '\\')
      g_string_append_printf (s, "\\%c", c);
    else if (c < 0x20 || c == 0x7f)
      g_string_append_printf (s, "\\u%04x", c);
    else
      g_string_append_c (s, (gchar) c);
  }
  g_string_append_c (s, '"');
}

static void
append_signed (GString * s, const guint8 word[WORD])
{
  LpUint256 u;
  g_autofree gchar *text = NULL;
  guint i;
  guint carry = 1;

  memcpy (u.be, word, WORD);
  if (word[0] & 0x80) {
    /* the magnitude of a negative number: invert and add one */
    for (i = WORD; i-- > 0;) {
      guint sum = (guint8) ~word[i] + carry;
      u.be[i] = (guint8) sum;
      carry = sum >> 8;
    }
    g_string_append_c (s, '-');
  }
  text = lp_uint256_to_string (&u);
  g_string_append (s, text);
}

static void
append_value_text (GString * s, const LpAbiValue * v)
{
  LpUint256 u;
  g_autofree gchar *text = NULL;
  guint i;

  switch (v->kind) {
    case LP_ABI_KIND_UINT:
      memcpy (u.be, v->word, WORD);
      text = lp_uint256_to_string (&u);
      g_string_append (s, text);
      break;
    case LP_ABI_KIND_INT:
      append_signed (s, v->word);
      break;
    case LP_ABI_KIND_ADDRESS:
      append_hex (s, v->word + WORD - LP_ADDRESS_SIZE, LP_ADDRESS_SIZE);
      break;
    case LP_ABI_KIND_BOOL:
      g_string_append (s, v->word[WORD - 1] ? "true" : "false");
      break;
    case LP_ABI_KIND_FIXED_BYTES:
      append_hex (s, v->word, v->fixed_length);
      break;
    case LP_ABI_KIND_BYTES:
      append_hex (s, v->data, v->length);
      break;
    case LP_ABI_KIND_STRING:
      append_quoted (s, v->data, v->length);
      break;
    case LP_ABI_KIND_TUPLE:
    case LP_ABI_KIND_ARRAY:
      g_string_append_c (s, v->kind == LP_ABI_KIND_TUPLE ? '(' : '[');
      for (i = 0; i < v->children->len; i++) {
        if (i > 0)
          g_string_append_c (s, ',');
        append_value_text (s, g_ptr_array_index (v->children, i));
      }
      g_string_append_c (s, v->kind == LP_ABI_KIND_TUPLE ? ')' : ']');
      break;
  }
}

/**
 * lp_abi_value_to_string:
 * @value: a value
 *
 * Writes a value as text, for messages and comparisons: numbers in
 * decimal (negative ones with '-'), addresses and bytes as 0x-prefixed
 * lowercase hex, bools as true/false, strings in double quotes with JSON
 * escapes for '"', '\\' and control characters, tuples as `(a,b)` and
 * arrays as `[a,b]`.
 *
 * Returns: (transfer full): the text
 */
gchar *
lp_abi_value_to_string (const LpAbiValue * value)
{
  GString *s;

  g_return_val_if_fail (value != NULL, NULL);

  s = g_string_new (NULL);
  append_value_text (s, value);
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------------ */
/* selectors and topics                                                     */
/* ------------------------------------------------------------------------ */

/**
 * lp_abi_check_types:
 * @types: a parenthesised list of canonical types, "(uint256,bytes)"
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE if @types is well-formed; %FALSE with
 *     %LP_ABI_ERROR_INVALID_TYPE saying where it is not
 */
gboolean
lp_abi_check_types (const gchar * types, GError ** error)
{
  g_autoptr (AbiType) t = NULL;

  g_return_val_if_fail (types != NULL, FALSE);

  t = parse_type_list (types, error);
  return t != NULL;
}

/**
 * lp_abi_event_topic:
 * @event_signature: a canonical event signature,
 *     "Transfer(address,address,uint256)" (no "indexed", no names)
 * @out: (out caller-allocates) (array fixed-size=32): its topic 0, the
 *     Keccak-256 of the signature
 *
 * Returns: %TRUE; %FALSE if the signature is malformed
 */
gboolean
lp_abi_event_topic (const gchar * event_signature,
    guint8 out[LP_KECCAK256_SIZE])
{
  g_autoptr (AbiType) t = NULL;

  g_return_val_if_fail (event_signature != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  t = parse_signature (event_signature, NULL);
  if (t == NULL)
    return FALSE;
  lp_keccak256 ((const guint8 *) event_signature, strlen (event_signature),
      out);
  return TRUE;
}

/**
 * lp_abi_selector:
 * @signature: a canonical function signature, "bond(uint256,address)"
 * @out: (out caller-allocates) (array fixed-size=4): the first four bytes
 *     of its Keccak-256
 *
 * Returns: %TRUE; %FALSE if the signature is malformed
 */
gboolean
lp_abi_selector (const gchar * signature, guint8 out[LP_ABI_SELECTOR_SIZE])
{
  guint8 hash[LP_KECCAK256_SIZE];

  g_return_val_if_fail (out != NULL, FALSE);

  if (!lp_abi_event_topic (signature, hash))
    return FALSE;
  memcpy (out, hash, LP_ABI_SELECTOR_SIZE);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* encoding                                                                 */
/* ------------------------------------------------------------------------ */

static const gchar *
kind_name (LpAbiKind kind)
{
  static const gchar *const names[] = {
    "an unsigned number", "a signed number", "an address", "a bool",
    "fixed-size bytes", "bytes", "a string", "a tuple", "an array",
  };

  return names[kind];
}

LpAbiKind
expected_kind (const AbiType * t)
{
  static const LpAbiKind kinds[] = {
    [T_UINT] = LP_ABI_KIND_UINT,[T_INT] = LP_ABI_KIND_INT,
    [T_ADDRESS] = LP_ABI_KIND_ADDRESS,[T_BOOL] = LP_ABI_KIND_BOOL,
    [T_FIXED_BYTES] = LP_ABI_KIND_FIXED_BYTES,[T_BYTES] = LP_ABI_KIND_BYTES,
    [T_STRING] = LP_ABI_KIND_STRING,[T_TUPLE] = LP_ABI_KIND_TUPLE,
    [T_ARRAY] = LP_ABI_KIND_ARRAY,[T_FIXED_ARRAY] = LP_ABI_KIND_ARRAY,
  };

  return kinds[t->kind];
}

/* TRUE if a uint<bits> holds @word: the bytes above it are zero. */
gboolean
uint_fits (const guint8 word[WORD], guint bits)
{
  guint i;

  for (i = 0; i < WORD - bits / 8; i++)
    if (word[i] != 0)
      return FALSE;
  return TRUE;
}

/* TRUE if an int<bits> holds @word: the bytes above it extend its sign. */
gboolean
int_fits (const guint8 word[WORD], guint bits)
{
  guint top = WORD - bits / 8;
  guint8 fill = (word[top] & 0x80) ? 0xff : 0x00;
  guint i;

  for (i = 0; i < top; i++)
    if (word[i] != fill)
      return FALSE;
  return TRUE;
}

static void
append_uint64_word (GByteArray * out, guint64 n)
{
  guint8 word[WORD] = { 0 };
  guint i;

  for (i = 0; i < 8; i++)
    word[WORD - 1 - i] = (guint8) (n >> (8 * i));
  g_byte_array_append (out, word, WORD);
}

static void
append_padded (GByteArray * out, const guint8 * data, gsize length)
{
  static const guint8 zeros[WORD] = { 0 };

  if (length > 0)
    g_byte_array_append (out, data, length);
  if (length % WORD != 0)
    g_byte_array_append (out, zeros, WORD - length % WORD);
}

static gboolean
mismatch (GError ** error, const AbiType * t, const gchar * format, ...)
    G_GNUC_PRINTF (3, 4);

static gboolean
mismatch (GError ** error, const AbiType * t, const gchar * format, ...)
{
  g_autofree gchar *why = NULL;
  va_list ap;

  va_start (ap, format);
  why = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, LP_ABI_ERROR, LP_ABI_ERROR_VALUE_MISMATCH,
      "expected %s, %s", t->text, why);
  return FALSE;
}

static gboolean encode_value (const AbiType * t, const LpAbiValue * v,
    GByteArray * out, GError ** error);

/* Heads then tails of the children of @v, typed by @t (a tuple or an
 * array); @label names a child in messages ("argument", "member"). */
static gboolean
encode_sequence (const AbiType * t, const LpAbiValue * v, const gchar * label,
    GByteArray * out, GError ** error)
{
  g_autoptr (GByteArray) tails = g_byte_array_new ();
  guint n = v->children->len;
  guint64 heads_size = 0;
  guint i;

  for (i = 0; i < n; i++)
    heads_size += item_type (t, i)->head;

  for (i = 0; i < n; i++) {
    const AbiType *it = item_type (t, i);
    const LpAbiValue *child = g_ptr_array_index (v->children, i);
    gboolean ok;

    if (it->dynamic) {
      append_uint64_word (out, heads_size + tails->len);
      ok = encode_value (it, child, tails, error);
    } else {
      ok = encode_value (it, child, out, error);
    }
    if (!ok) {
      g_prefix_error (error, "%s %u (%s): ", label, i, it->text);
      return FALSE;
    }
  }
  g_byte_array_append (out, tails->data, tails->len);
  return TRUE;
}

static gboolean
encode_value (const AbiType * t, const LpAbiValue * v, GByteArray * out,
    GError ** error)
{
  guint n = lp_abi_value_n_children (v);

  if (v->kind != expected_kind (t))
    return mismatch (error, t, "got %s", kind_name (v->kind));

  switch (t->kind) {
    case T_UINT:
      if (!uint_fits (v->word, t->size))
        goto out_of_range;
      break;
    case T_INT:
      if (!int_fits (v->word, t->size))
        goto out_of_range;
      break;
    case T_FIXED_BYTES:
      if (v->fixed_length != t->size)
        return mismatch (error, t, "got %u bytes", v->fixed_length);
      break;
    case T_BYTES:
    case T_STRING:
      append_uint64_word (out, v->length);
      append_padded (out, v->data, v->length);
      return TRUE;
    case T_TUPLE:
      if (n != t->members->len)
        return mismatch (error, t, "got a tuple of %u members", n);
      return encode_sequence (t, v, "member", out, error);
    case T_FIXED_ARRAY:
      if (n != t->size)
        return mismatch (error, t, "got an array of %u items", n);
      return encode_sequence (t, v, "item", out, error);
    case T_ARRAY:
      append_uint64_word (out, n);
      return encode_sequence (t, v, "item", out, error);
    default:
      break;
  }
  g_byte_array_append (out, v->word, WORD);
  return TRUE;

out_of_range:
  {
    g_autofree gchar *text = lp_abi_value_to_string (v);

    g_set_error (error, LP_ABI_ERROR, LP_ABI_ERROR_OUT_OF_RANGE,
        "%s does not fit in %s", text, t->text);
    return FALSE;
  }
}

/**
 * lp_abi_encode:
 * @types: a parenthesised list of canonical types, "(uint256,bytes)"
 * @tuple: a tuple with one member per type
 * @error: return location for a #GError, or %NULL
 *
 * Encodes values as the arguments of a call (without selector), return
 * values or event data are: `abi.encode(...)`.
 *
 * Returns: (transfer full) (nullable): the encoding; %NULL with
 *     %LP_ABI_ERROR_INVALID_TYPE, %LP_ABI_ERROR_VALUE_MISMATCH or
 *     %LP_ABI_ERROR_OUT_OF_RANGE, the message saying which member
 */
GBytes *
lp_abi_encode (const gchar * types, const LpAbiValue * tuple, GError ** error)
{
  g_autoptr (AbiType) t = NULL;
  g_autoptr (GByteArray) out = NULL;

  g_return_val_if_fail (types != NULL, NULL);
  g_return_val_if_fail (tuple != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  t = parse_type_list (types, error);
  if (t == NULL)
    return NULL;
  out = g_byte_array_new ();
  if (!encode_value (t, tuple, out, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/**
 * lp_abi_encode_call:
 * @signature: a canonical function signature,
 *     "bond(uint256,address)"
 * @args: (array length=n_args): the arguments, stay the caller's
 * @n_args: their number
 * @error: return location for a #GError, or %NULL
 *
 * Encodes a call: the 4-byte selector, then the arguments as a tuple.
 *
 * Returns: (transfer full) (nullable): the call data; %NULL with
 *     %LP_ABI_ERROR_INVALID_TYPE, %LP_ABI_ERROR_VALUE_MISMATCH (the message
 *     naming the argument's index and type) or %LP_ABI_ERROR_OUT_OF_RANGE
 */
GBytes *
lp_abi_encode_call (const gchar * signature, LpAbiValue * const *args,
    guint n_args, GError ** error)
{
  g_autoptr (AbiType) t = NULL;
  g_autoptr (GByteArray) out = NULL;
  g_autoptr (GPtrArray) borrowed = NULL;
  LpAbiValue shell = { LP_ABI_KIND_TUPLE };
  guint8 selector[LP_ABI_SELECTOR_SIZE];
  guint i;

  g_return_val_if_fail (signature != NULL, NULL);
  g_return_val_if_fail (args != NULL || n_args == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  t = parse_signature (signature, error);
  if (t == NULL)
    return NULL;
  if (n_args != t->members->len) {
    g_set_error (error, LP_ABI_ERROR, LP_ABI_ERROR_VALUE_MISMATCH,
        "%s takes %u arguments, got %u", signature, t->members->len, n_args);
    return NULL;
  }
  /* a tuple view of the caller's arguments, owning none of them */
  borrowed = g_ptr_array_new ();
  for (i = 0; i < n_args; i++)
    g_ptr_array_add (borrowed, args[i]);
  shell.children = borrowed;

  lp_abi_selector (signature, selector);
  out = g_byte_array_new ();
  g_byte_array_append (out, selector, sizeof (selector));
  if (!encode_sequence (t, &shell, "argument", out, error)) {
    g_prefix_error (error, "%s: ", signature);
    return NULL;
  }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}


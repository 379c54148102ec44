/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:lprlp
 * @title: RLP
 * @short_description: Ethereum's Recursive Length Prefix encoding
 *
 * RLP (Ethereum yellow paper, appendix B) serialises a tree whose leaves
 * are byte strings. A string of one byte below 0x80 is itself; a string
 * of up to 55 bytes is prefixed by 0x80 + length; a longer one by
 * 0xb7 + the length of its big-endian length, then that length. Lists work
 * the same with 0xc0 and 0xf7 over the concatenation of their encoded
 * items. Integers are strings holding their minimal big-endian bytes
 * (0 is the empty string).
 *
 * Encoders append to a #GByteArray. A list is built either from its
 * already-encoded items (lp_rlp_append_list()) or in place, between
 * lp_rlp_list_begin() and lp_rlp_list_end().
 *
 * The decoder accepts only the canonical encoding, so one value has one
 * accepted form (what consensus clients require of transactions).
 *
 * All functions are MT safe on distinct data.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lprlp.h"

#include <string.h>

#define SHORT_STRING 0x80
#define LONG_STRING 0xb7
#define SHORT_LIST 0xc0
#define LONG_LIST 0xf7
#define SHORT_LIMIT 55

struct _LpRlpItem
{
  gboolean is_list;
  guint8 *data;                 /* a string's bytes */
  gsize length;
  GPtrArray *children;          /* a list's items */
};

G_DEFINE_QUARK (lp-rlp-error-quark, lp_rlp_error);

/* ------------------------------------------------------------------------ */
/* encoding                                                                 */
/* ------------------------------------------------------------------------ */

/* The minimal big-endian bytes of @n into @out; returns their count. */
static guint
length_bytes (guint64 n, guint8 out[8])
{
  guint count = 0;
  guint i;

  for (guint64 rest = n; rest != 0; rest >>= 8)
    count++;
  for (i = 0; i < count; i++)
    out[i] = (guint8) (n >> (8 * (count - 1 - i)));
  return count;
}

/* The prefix of a payload of @length bytes, @short_base being 0x80 for a
 * string or 0xc0 for a list; returns its size (at most 9). */
static guint
make_header (guint8 short_base, guint64 length, guint8 header[9])
{
  guint n;

  if (length <= SHORT_LIMIT) {
    header[0] = (guint8) (short_base + length);
    return 1;
  }
  n = length_bytes (length, header + 1);
  header[0] = (guint8) (short_base + SHORT_LIMIT + n);
  return 1 + n;
}

/**
 * lp_rlp_append_bytes:
 * @out: where the encoding goes
 * @data: (array length=length) (nullable): the string
 * @length: its size in bytes
 *
 * Appends the encoding of a byte string.
 */
void
lp_rlp_append_bytes (GByteArray * out, const guint8 * data, gsize length)
{
  guint8 header[9];
  guint n;

  g_return_if_fail (out != NULL);
  g_return_if_fail (data != NULL || length == 0);

  if (length == 1 && data[0] < SHORT_STRING) {
    g_byte_array_append (out, data, 1);
    return;
  }
  n = make_header (SHORT_STRING, length, header);
  g_byte_array_append (out, header, n);
  if (length > 0)
    g_byte_array_append (out, data, length);
}

/**
 * lp_rlp_append_uint64:
 * @out: where the encoding goes
 * @value: an integer
 *
 * Appends the encoding of an integer: its minimal big-endian bytes as a
 * string, 0 being the empty string (0x80).
 */
void
lp_rlp_append_uint64 (GByteArray * out, guint64 value)
{
  guint8 bytes[8];
  guint n = length_bytes (value, bytes);

  lp_rlp_append_bytes (out, bytes, n);
}

/**
 * lp_rlp_append_uint256:
 * @out: where the encoding goes
 * @value: an integer
 *
 * Appends the encoding of a 256-bit integer, as lp_rlp_append_uint64().
 */
void
lp_rlp_append_uint256 (GByteArray * out, const LpUint256 * value)
{
  guint8 bytes[LP_UINT256_SIZE];
  gsize n;

  g_return_if_fail (value != NULL);

  n = lp_uint256_minbe (value, bytes);
  lp_rlp_append_bytes (out, bytes, n);
}

/**
 * lp_rlp_append_list:
 * @out: where the encoding goes
 * @items: (array length=length) (nullable): the concatenated encodings of
 *     the list's items
 * @length: their size in bytes
 *
 * Appends the encoding of a list whose items are already encoded.
 */
void
lp_rlp_append_list (GByteArray * out, const guint8 * items, gsize length)
{
  guint8 header[9];
  guint n;

  g_return_if_fail (out != NULL);
  g_return_if_fail (items != NULL || length == 0);

  n = make_header (SHORT_LIST, length, header);
  g_byte_array_append (out, header, n);
  if (length > 0)
    g_byte_array_append (out, items, length);
}

/**
 * lp_rlp_list_begin:
 * @out: where the encoding goes
 *
 * Starts a list in place: append its items to @out, then call
 * lp_rlp_list_end() with the mark returned here. Lists may nest.
 *
 * Returns: the mark to pass to lp_rlp_list_end()
 */
gsize
lp_rlp_list_begin (GByteArray * out)
{
  g_return_val_if_fail (out != NULL, 0);

  return out->len;
}

/**
 * lp_rlp_list_end:
 * @out: where the encoding goes
 * @mark: what lp_rlp_list_begin() returned
 *
 * Ends a list started with lp_rlp_list_begin(): everything appended to
 * @out since @mark becomes the list's payload, and the list prefix is
 * inserted before it.
 */
void
lp_rlp_list_end (GByteArray * out, gsize mark)
{
  guint8 header[9];
  gsize payload;
  guint n;

  g_return_if_fail (out != NULL);
  g_return_if_fail (mark <= out->len);

  payload = out->len - mark;
  n = make_header (SHORT_LIST, payload, header);
  g_byte_array_set_size (out, out->len + n);
  memmove (out->data + mark + n, out->data + mark, payload);
  memcpy (out->data + mark, header, n);
}

/* ------------------------------------------------------------------------ */
/* decoding                                                                 */
/* ------------------------------------------------------------------------ */

/**
 * lp_rlp_item_free:
 * @item: (transfer full) (nullable): a tree from lp_rlp_decode()
 *
 * Frees an item and its children.
 */
void
lp_rlp_item_free (LpRlpItem * item)
{
  if (item == NULL)
    return;
  g_free (item->data);
  if (item->children != NULL)
    g_ptr_array_unref (item->children);
  g_free (item);
}

static gboolean
truncated (GError ** error, gsize offset, guint64 want, gsize have)
{
  g_set_error (error, LP_RLP_ERROR, LP_RLP_ERROR_TRUNCATED,
      "RLP item at byte %" G_GSIZE_FORMAT " announces %" G_GUINT64_FORMAT
      " bytes but only %" G_GSIZE_FORMAT " follow", offset, want, have);
  return FALSE;
}

static gboolean
non_canonical (GError ** error, gsize offset, const gchar * why)
{
  g_set_error (error, LP_RLP_ERROR, LP_RLP_ERROR_NON_CANONICAL,
      "RLP item at byte %" G_GSIZE_FORMAT " is not canonical: %s", offset,
      why);
  return FALSE;
}

/* Reads the prefix at data[0] of an item starting at @offset, with @avail
 * bytes from there: sets the header size and the payload size, checked to
 * fit in @avail and to be in canonical form. */
static gboolean
read_header (const guint8 * data, gsize avail, gsize offset,
    gboolean * is_list, gsize * header, gsize * payload, GError ** error)
{
  guint8 b = data[0];
  guint8 base;
  guint64 length = 0;
  guint n, i;

  if (b < SHORT_STRING) {
    *is_list = FALSE;
    *header = 0;
    *payload = 1;
    return TRUE;
  }
  *is_list = b >= SHORT_LIST;
  base = *is_list ? SHORT_LIST : SHORT_STRING;
  if (b <= base + SHORT_LIMIT) {
    length = b - base;
    *header = 1;
    if (length > avail - 1)
      return truncated (error, offset, length, avail - 1);
    if (!*is_list && length == 1 && data[1] < SHORT_STRING)
      return non_canonical (error, offset,
          "a single byte below 0x80 must stand for itself");
    *payload = length;
    return TRUE;
  }

  n = b - base - SHORT_LIMIT;   /* 1 to 8 length bytes */
  if (n > avail - 1)
    return truncated (error, offset, n, avail - 1);
  if (data[1] == 0)
    return non_canonical (error, offset, "its length has a leading zero");
  for (i = 0; i < n; i++)
    length = (length << 8) | data[1 + i];
  if (length <= SHORT_LIMIT)
    return non_canonical (error, offset,
        "a length below 56 must use the short form");
  *header = 1 + n;
  if (length > avail - *header)
    return truncated (error, offset, length, avail - *header);
  *payload = length;
  return TRUE;
}

static LpRlpItem *decode_item (const guint8 * data, gsize avail,
    gsize offset, guint depth, gsize * consumed, GError ** error);

static gboolean
decode_children (LpRlpItem * list, const guint8 * data, gsize length,
    gsize offset, guint depth, GError ** error)
{
  gsize pos = 0;

  while (pos < length) {
    gsize used;
    LpRlpItem *child = decode_item (data + pos, length - pos, offset + pos,
        depth, &used, error);

    if (child == NULL)
      return FALSE;
    g_ptr_array_add (list->children, child);
    pos += used;
  }
  return TRUE;
}

/* Decodes the item at data[0], @avail bytes being available; @offset is
 * its position in the whole input, for messages. */
static LpRlpItem *
decode_item (const guint8 * data, gsize avail, gsize offset, guint depth,
    gsize * consumed, GError ** error)
{
  gboolean is_list;
  gsize header, payload;
  LpRlpItem *item;

  if (!read_header (data, avail, offset, &is_list, &header, &payload, error))
    return NULL;

  item = g_new0 (LpRlpItem, 1);
  item->is_list = is_list;
  *consumed = header + payload;
  if (!is_list) {
    item->data = g_memdup2 (data + header, payload);
    item->length = payload;
    return item;
  }

  if (depth >= LP_RLP_MAX_DEPTH) {
    g_set_error (error, LP_RLP_ERROR, LP_RLP_ERROR_TOO_DEEP,
        "RLP lists nest deeper than %d levels at byte %" G_GSIZE_FORMAT,
        LP_RLP_MAX_DEPTH, offset);
    lp_rlp_item_free (item);
    return NULL;
  }
  item->children = g_ptr_array_new_with_free_func ((GDestroyNotify)
      lp_rlp_item_free);
  if (!decode_children (item, data + header, payload, offset + header,
          depth + 1, error)) {
    lp_rlp_item_free (item);
    return NULL;
  }
  return item;
}

/**
 * lp_rlp_decode:
 * @data: (array length=length): the encoding of exactly one item
 * @length: its size in bytes
 * @error: return location for a #GError, or %NULL
 *
 * Decodes one item (string or list), refusing input that is truncated,
 * non-canonical, nested deeper than %LP_RLP_MAX_DEPTH or followed by
 * anything.
 *
 * Returns: (transfer full) (nullable): the item, to free with
 *     lp_rlp_item_free(); %NULL with an %LP_RLP_ERROR
 */
LpRlpItem *
lp_rlp_decode (const guint8 * data, gsize length, GError ** error)
{
  LpRlpItem *item;
  gsize used;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length == 0) {
    g_set_error_literal (error, LP_RLP_ERROR, LP_RLP_ERROR_TRUNCATED,
        "RLP input is empty");
    return NULL;
  }
  item = decode_item (data, length, 0, 0, &used, error);
  if (item == NULL)
    return NULL;
  if (used != length) {
    g_set_error (error, LP_RLP_ERROR, LP_RLP_ERROR_TRAILING,
        "%" G_GSIZE_FORMAT " bytes follow the RLP item, which ends at byte %"
        G_GSIZE_FORMAT, length - used, used);
    lp_rlp_item_free (item);
    return NULL;
  }
  return item;
}

/**
 * lp_rlp_item_is_list:
 * @item: an item
 *
 * Returns: %TRUE for a list, %FALSE for a byte string
 */
gboolean
lp_rlp_item_is_list (const LpRlpItem * item)
{
  g_return_val_if_fail (item != NULL, FALSE);

  return item->is_list;
}

/**
 * lp_rlp_item_get_bytes:
 * @item: an item
 * @length: (out) (optional): the string's size in bytes
 *
 * Returns: (transfer none) (nullable) (array length=length): a string's
 *     bytes, owned by @item (a non-%NULL pointer even when empty); %NULL
 *     for a list
 */
const guint8 *
lp_rlp_item_get_bytes (const LpRlpItem * item, gsize * length)
{
  g_return_val_if_fail (item != NULL, NULL);

  if (length != NULL)
    *length = item->is_list ? 0 : item->length;
  if (item->is_list)
    return NULL;
  return item->data != NULL ? item->data : (const guint8 *) "";
}

/**
 * lp_rlp_item_n_children:
 * @item: an item
 *
 * Returns: the number of items in a list; 0 for a string
 */
guint
lp_rlp_item_n_children (const LpRlpItem * item)
{
  g_return_val_if_fail (item != NULL, 0);

  return item->is_list ? item->children->len : 0;
}

/**
 * lp_rlp_item_get_child:
 * @item: a list
 * @index: an index below lp_rlp_item_n_children()
 *
 * Returns: (transfer none) (nullable): the list's item @index, owned by
 *     @item; %NULL for a string or an index out of range
 */
const LpRlpItem *
lp_rlp_item_get_child (const LpRlpItem * item, guint index)
{
  g_return_val_if_fail (item != NULL, NULL);

  if (!item->is_list || index >= item->children->len)
    return NULL;
  return g_ptr_array_index (item->children, index);
}

/* The checks shared by the integer getters. */
static gboolean
integer_bytes (const LpRlpItem * item, gsize max, GError ** error)
{
  if (item->is_list) {
    g_set_error_literal (error, LP_RLP_ERROR, LP_RLP_ERROR_WRONG_KIND,
        "expected an RLP integer, found a list");
    return FALSE;
  }
  if (item->length > 0 && item->data[0] == 0) {
    g_set_error_literal (error, LP_RLP_ERROR, LP_RLP_ERROR_NON_CANONICAL,
        "RLP integer has a leading zero byte");
    return FALSE;
  }
  if (item->length > max) {
    g_set_error (error, LP_RLP_ERROR, LP_RLP_ERROR_RANGE,
        "RLP integer of %" G_GSIZE_FORMAT " bytes does not fit in %"
        G_GSIZE_FORMAT, item->length, max);
    return FALSE;
  }
  return TRUE;
}

/**
 * lp_rlp_item_get_uint64:
 * @item: an item
 * @value: (out): the integer
 * @error: return location for a #GError, or %NULL
 *
 * Reads a string as an integer: minimal big-endian bytes, the empty
 * string being 0.
 *
 * Returns: %TRUE on success; %FALSE with %LP_RLP_ERROR_WRONG_KIND for a
 *     list, %LP_RLP_ERROR_NON_CANONICAL for a leading zero byte,
 *     %LP_RLP_ERROR_RANGE above 2^64 − 1
 */
gboolean
lp_rlp_item_get_uint64 (const LpRlpItem * item, guint64 * value,
    GError ** error)
{
  guint64 n = 0;
  gsize i;

  g_return_val_if_fail (item != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!integer_bytes (item, 8, error))
    return FALSE;
  for (i = 0; i < item->length; i++)
    n = (n << 8) | item->data[i];
  *value = n;
  return TRUE;
}

/**
 * lp_rlp_item_get_uint256:
 * @item: an item
 * @value: (out caller-allocates): the integer
 * @error: return location for a #GError, or %NULL
 *
 * As lp_rlp_item_get_uint64(), for integers of up to 32 bytes.
 *
 * Returns: %TRUE on success
 */
gboolean
lp_rlp_item_get_uint256 (const LpRlpItem * item, LpUint256 * value,
    GError ** error)
{
  g_return_val_if_fail (item != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!integer_bytes (item, LP_UINT256_SIZE, error))
    return FALSE;
  return lp_uint256_from_be (item->data, item->length, value, NULL);
}

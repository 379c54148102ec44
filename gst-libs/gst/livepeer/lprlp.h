/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Recursive Length Prefix (RLP), Ethereum's serialisation of nested byte
 * strings (yellow paper, appendix B): what transactions are signed and sent
 * as. The encoder appends to a GByteArray; the decoder builds a tree of
 * items, bounds-checked and refusing every non-canonical form, so that one
 * value has exactly one accepted encoding.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gst/livepeer/lpuint256.h>

G_BEGIN_DECLS

/* Nesting deeper than this is refused by the decoder (hostile input). */
#define LP_RLP_MAX_DEPTH 64

/**
 * LP_RLP_ERROR:
 *
 * Error domain of lprlp (decoding); its codes are #LpRlpError.
 */
#define LP_RLP_ERROR (lp_rlp_error_quark ())
GST_LIVEPEER_API
GQuark lp_rlp_error_quark (void);

/**
 * LpRlpError:
 * @LP_RLP_ERROR_TRUNCATED: a length prefix announces more bytes than there
 *     are
 * @LP_RLP_ERROR_NON_CANONICAL: a valid but non-canonical form: a single
 *     byte below 0x80 wrapped in a string prefix, a long form for a length
 *     below 56, a length with leading zero bytes, or an integer with
 *     leading zero bytes
 * @LP_RLP_ERROR_TRAILING: bytes left after the top-level item
 * @LP_RLP_ERROR_TOO_DEEP: lists nested deeper than %LP_RLP_MAX_DEPTH
 * @LP_RLP_ERROR_WRONG_KIND: a string where a list was expected or the
 *     other way round
 * @LP_RLP_ERROR_RANGE: an integer too large for the requested type
 *
 * Error codes of the %LP_RLP_ERROR domain.
 */
typedef enum
{
  LP_RLP_ERROR_TRUNCATED,
  LP_RLP_ERROR_NON_CANONICAL,
  LP_RLP_ERROR_TRAILING,
  LP_RLP_ERROR_TOO_DEEP,
  LP_RLP_ERROR_WRONG_KIND,
  LP_RLP_ERROR_RANGE,
} LpRlpError;

/* ---- encoding ---- */

GST_LIVEPEER_API
void lp_rlp_append_bytes (GByteArray * out, const guint8 * data, gsize length);
GST_LIVEPEER_API
void lp_rlp_append_uint64 (GByteArray * out, guint64 value);
GST_LIVEPEER_API
void lp_rlp_append_uint256 (GByteArray * out, const LpUint256 * value);
GST_LIVEPEER_API
void lp_rlp_append_list (GByteArray * out, const guint8 * items,
    gsize length);
GST_LIVEPEER_API
gsize lp_rlp_list_begin (GByteArray * out);
GST_LIVEPEER_API
void lp_rlp_list_end (GByteArray * out, gsize mark);

/* ---- decoding ---- */

/**
 * LpRlpItem:
 *
 * One decoded RLP item: a byte string or a list of items. Opaque; the
 * tree returned by lp_rlp_decode() is freed with lp_rlp_item_free() on its
 * root, and its children belong to it.
 */
typedef struct _LpRlpItem LpRlpItem;

GST_LIVEPEER_API
LpRlpItem *lp_rlp_decode (const guint8 * data, gsize length, GError ** error);
GST_LIVEPEER_API
void lp_rlp_item_free (LpRlpItem * item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpRlpItem, lp_rlp_item_free)

GST_LIVEPEER_API
gboolean lp_rlp_item_is_list (const LpRlpItem * item);
GST_LIVEPEER_API
const guint8 *lp_rlp_item_get_bytes (const LpRlpItem * item, gsize * length);
GST_LIVEPEER_API
guint lp_rlp_item_n_children (const LpRlpItem * item);
GST_LIVEPEER_API
const LpRlpItem *lp_rlp_item_get_child (const LpRlpItem * item, guint index);
GST_LIVEPEER_API
gboolean lp_rlp_item_get_uint64 (const LpRlpItem * item, guint64 * value,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_rlp_item_get_uint256 (const LpRlpItem * item, LpUint256 * value,
    GError ** error);

G_END_DECLS

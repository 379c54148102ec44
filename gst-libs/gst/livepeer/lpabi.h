/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Solidity's contract ABI (docs.soliditylang.org, "Contract ABI
 * Specification"): the encoding of call arguments, return values, event
 * data and revert data, for the types Livepeer's contracts use — uint<N>,
 * int<N>, address, bool, bytes<N>, bytes, string, T[], T[k] and nested
 * tuples. Values are trees of #LpAbiValue; types are given as canonical
 * Solidity type text ("uint256", "(address,bytes)[]"), checked for syntax.
 * The decoder treats its input as hostile: every offset and length is
 * bounds-checked and non-canonical padding is refused.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpuint256.h>

G_BEGIN_DECLS

#define LP_ABI_SELECTOR_SIZE 4
#define LP_ABI_WORD_SIZE 32

/* Nesting of tuples and arrays deeper than this is refused, in types and
 * in data (hostile input). */
#define LP_ABI_MAX_DEPTH 32

/**
 * LP_ABI_ERROR:
 *
 * Error domain of lpabi; its codes are #LpAbiError.
 */
#define LP_ABI_ERROR (lp_abi_error_quark ())
GST_LIVEPEER_API
GQuark lp_abi_error_quark (void);

/**
 * LpAbiError:
 * @LP_ABI_ERROR_INVALID_TYPE: type or signature text that is not a
 *     canonical Solidity type list (unknown type, uint7, bytes33, stray
 *     characters, unbalanced parentheses, nested too deep)
 * @LP_ABI_ERROR_VALUE_MISMATCH: a value tree that does not have the shape
 *     of its type (wrong kind, wrong number of tuple members or of fixed
 *     array items, wrong number of arguments)
 * @LP_ABI_ERROR_OUT_OF_RANGE: a number that does not fit its type (uint8
 *     above 255, int16 below −32768), or a getter's C type
 * @LP_ABI_ERROR_TRUNCATED: encoded data shorter than its types need, or
 *     an offset or length pointing past its end
 * @LP_ABI_ERROR_INVALID_DATA: encoded data that no canonical encoder
 *     produces: non-zero padding of an address, bool, uint<N>, bytes<N>,
 *     bytes or string, a bool other than 0 or 1, a string that is not
 *     UTF-8, a selector that does not match
 *
 * Error codes of the %LP_ABI_ERROR domain.
 */
typedef enum
{
  LP_ABI_ERROR_INVALID_TYPE,
  LP_ABI_ERROR_VALUE_MISMATCH,
  LP_ABI_ERROR_OUT_OF_RANGE,
  LP_ABI_ERROR_TRUNCATED,
  LP_ABI_ERROR_INVALID_DATA,
} LpAbiError;

/**
 * LpAbiKind:
 * @LP_ABI_KIND_UINT: an unsigned integer (any uint<N>)
 * @LP_ABI_KIND_INT: a signed integer (any int<N>), as 256-bit two's
 *     complement
 * @LP_ABI_KIND_ADDRESS: an address
 * @LP_ABI_KIND_BOOL: a bool
 * @LP_ABI_KIND_FIXED_BYTES: bytes<N>, 1 ≤ N ≤ 32
 * @LP_ABI_KIND_BYTES: dynamic bytes
 * @LP_ABI_KIND_STRING: a UTF-8 string
 * @LP_ABI_KIND_TUPLE: a tuple (struct, argument list)
 * @LP_ABI_KIND_ARRAY: an array, dynamic (T[]) or fixed (T[k])
 *
 * What an #LpAbiValue holds. The type it is encoded as (uint8 or uint256,
 * T[] or T[3]) comes from the type text, not from the value.
 */
typedef enum
{
  LP_ABI_KIND_UINT,
  LP_ABI_KIND_INT,
  LP_ABI_KIND_ADDRESS,
  LP_ABI_KIND_BOOL,
  LP_ABI_KIND_FIXED_BYTES,
  LP_ABI_KIND_BYTES,
  LP_ABI_KIND_STRING,
  LP_ABI_KIND_TUPLE,
  LP_ABI_KIND_ARRAY,
} LpAbiKind;

/**
 * LpAbiValue:
 *
 * An ABI value: a leaf (number, address, bool, bytes, string) or a tuple
 * or array of values. Opaque and immutable once built; a tuple or array
 * owns its children, which are freed with it.
 */
typedef struct _LpAbiValue LpAbiValue;

/* ---- building values ---- */

GST_LIVEPEER_API
LpAbiValue *lp_abi_value_new_uint256 (const LpUint256 * value);
GST_LIVEPEER_API
LpAbiValue *lp_abi_value_new_uint64 (guint64 value);
GST_LIVEPEER_API
LpAbiValue *lp_abi_value_new_int256 (const LpUint256 * twos_complement);
GST_LIVEPEER_API
LpAbiValue *lp_abi_value_new_int64 (gint64 value);
GST_LIVEPEER_API
LpAbiValue *lp_abi_value_new_address (const LpAddress * address);
GST_LIVEPEER_API
LpAbiValue *lp_abi_value_new_bool (gboolean value);
GST_LIVEPEER_API
LpAbiValue *lp_abi_value_new_bytes32 (const guint8 bytes[LP_ABI_WORD_SIZE]);
GST_LIVEPEER_API
LpAbiValue *lp_abi_value_new_fixed_bytes (const guint8 * bytes, gsize length);
GST_LIVEPEER_API
LpAbiValue *lp_abi_value_new_bytes (const guint8 * data, gsize length);
GST_LIVEPEER_API
LpAbiValue *lp_abi_value_new_string (const gchar * text);
GST_LIVEPEER_API
LpAbiValue *lp_abi_value_new_tuple (LpAbiValue * first, ...)
    G_GNUC_NULL_TERMINATED;
GST_LIVEPEER_API
LpAbiValue *lp_abi_value_new_tuplev (LpAbiValue ** items, guint n_items);
GST_LIVEPEER_API
LpAbiValue *lp_abi_value_new_array (GPtrArray * items);
GST_LIVEPEER_API
void lp_abi_value_free (LpAbiValue * value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpAbiValue, lp_abi_value_free)

/* ---- reading values ---- */

GST_LIVEPEER_API
LpAbiKind lp_abi_value_get_kind (const LpAbiValue * value);
GST_LIVEPEER_API
gboolean lp_abi_value_get_uint256 (const LpAbiValue * value,
    LpUint256 * out);
GST_LIVEPEER_API
gboolean lp_abi_value_get_uint64 (const LpAbiValue * value, guint64 * out,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_abi_value_get_int256 (const LpAbiValue * value,
    LpUint256 * twos_complement);
GST_LIVEPEER_API
gboolean lp_abi_value_get_address (const LpAbiValue * value, LpAddress * out);
GST_LIVEPEER_API
gboolean lp_abi_value_get_bool (const LpAbiValue * value, gboolean * out);
GST_LIVEPEER_API
gboolean lp_abi_value_get_bytes32 (const LpAbiValue * value,
    guint8 out[LP_ABI_WORD_SIZE]);
GST_LIVEPEER_API
const guint8 *lp_abi_value_get_bytes (const LpAbiValue * value,
    gsize * length);
GST_LIVEPEER_API
const gchar *lp_abi_value_get_string (const LpAbiValue * value);
GST_LIVEPEER_API
guint lp_abi_value_n_children (const LpAbiValue * value);
GST_LIVEPEER_API
const LpAbiValue *lp_abi_value_get_child (const LpAbiValue * value,
    guint index);
GST_LIVEPEER_API
gboolean lp_abi_value_equal (const LpAbiValue * a, const LpAbiValue * b);
GST_LIVEPEER_API
gchar *lp_abi_value_to_string (const LpAbiValue * value);

/* ---- signatures, encoding and decoding ---- */

GST_LIVEPEER_API
gboolean lp_abi_selector (const gchar * signature,
    guint8 out[LP_ABI_SELECTOR_SIZE]);
GST_LIVEPEER_API
gboolean lp_abi_event_topic (const gchar * event_signature,
    guint8 out[LP_KECCAK256_SIZE]);
GST_LIVEPEER_API
gboolean lp_abi_check_types (const gchar * types, GError ** error);

GST_LIVEPEER_API
GBytes *lp_abi_encode (const gchar * types, const LpAbiValue * tuple,
    GError ** error);
GST_LIVEPEER_API
GBytes *lp_abi_encode_call (const gchar * signature,
    LpAbiValue * const *args, guint n_args, GError ** error);
GST_LIVEPEER_API
LpAbiValue *lp_abi_decode (const gchar * types, const guint8 * data,
    gsize length, GError ** error);
GST_LIVEPEER_API
LpAbiValue *lp_abi_decode_call (const gchar * signature, const guint8 * data,
    gsize length, GError ** error);

GST_LIVEPEER_API
gchar *lp_abi_decode_revert (const guint8 * data, gsize length);

G_END_DECLS

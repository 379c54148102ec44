/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * LpUint256, the protocol's unsigned 256-bit integers as 32 big-endian
 * bytes, with arithmetic that reports overflow instead of wrapping
 * (lpuint256.c documents the API).
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <glib-object.h>

G_BEGIN_DECLS

#define LP_UINT256_SIZE 32

/**
 * LpUint256:
 * @be: the value as 32 big-endian bytes (`pad32` of it)
 *
 * An unsigned 256-bit integer (Solidity's `uint256`). A plain value type
 * with no heap storage: declare it on the stack, copy it with `=`, pass
 * `const LpUint256 *` to read it. Zero-initialised memory
 * (%LP_UINT256_INIT) is the value 0.
 */
typedef struct
{
  guint8 be[LP_UINT256_SIZE];
} LpUint256;

#define LP_UINT256_INIT { { 0 } }

/* The longest text lp_uint256_parse() looks at. */
#define LP_UINT256_MAX_TEXT_LENGTH 256

/**
 * LP_UINT256_ERROR:
 *
 * Error domain of lpuint256 (parsing and arithmetic); its
 * codes are #LpUint256Error.
 */
#define LP_UINT256_ERROR (lp_uint256_error_quark ())
GST_LIVEPEER_API
GQuark lp_uint256_error_quark (void);

/**
 * LpUint256Error:
 * @LP_UINT256_ERROR_INVALID: text that is not a number (empty, stray
 *     characters, too long)
 * @LP_UINT256_ERROR_NEGATIVE: a negative number
 * @LP_UINT256_ERROR_FRACTIONAL: a number that is not an integer (for
 *     example "1.5" or "1e-3")
 * @LP_UINT256_ERROR_OVERFLOW: a result above 2^256 − 1
 * @LP_UINT256_ERROR_UNDERFLOW: a subtraction below 0
 * @LP_UINT256_ERROR_DIVISION_BY_ZERO: a division, modulo or ceil-division
 *     by 0
 * @LP_UINT256_ERROR_RANGE: a value too large for the requested C type or
 *     byte length
 *
 * Error codes of the %LP_UINT256_ERROR domain.
 */
typedef enum
{
  LP_UINT256_ERROR_INVALID,
  LP_UINT256_ERROR_NEGATIVE,
  LP_UINT256_ERROR_FRACTIONAL,
  LP_UINT256_ERROR_OVERFLOW,
  LP_UINT256_ERROR_UNDERFLOW,
  LP_UINT256_ERROR_DIVISION_BY_ZERO,
  LP_UINT256_ERROR_RANGE,
} LpUint256Error;

#define LP_TYPE_UINT256 (lp_uint256_get_type ())
GST_LIVEPEER_API
GType lp_uint256_get_type (void);

GST_LIVEPEER_API
LpUint256 *lp_uint256_copy (const LpUint256 * value);
GST_LIVEPEER_API
void lp_uint256_free (LpUint256 * value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpUint256, lp_uint256_free)

GST_LIVEPEER_API
gboolean lp_uint256_parse (const gchar * text, LpUint256 * value,
    GError ** error);
GST_LIVEPEER_API
gchar *lp_uint256_to_string (const LpUint256 * value);
GST_LIVEPEER_API
gchar *lp_uint256_to_hex (const LpUint256 * value);

GST_LIVEPEER_API
void lp_uint256_set_zero (LpUint256 * value);
GST_LIVEPEER_API
void lp_uint256_set_max (LpUint256 * value);
GST_LIVEPEER_API
void lp_uint256_from_uint64 (guint64 number, LpUint256 * value);
GST_LIVEPEER_API
gboolean lp_uint256_to_uint64 (const LpUint256 * value, guint64 * number,
    GError ** error);
GST_LIVEPEER_API
void lp_uint256_from_bytes32 (const guint8 bytes[LP_UINT256_SIZE],
    LpUint256 * value);
GST_LIVEPEER_API
gboolean lp_uint256_from_be (const guint8 * bytes, gsize length,
    LpUint256 * value, GError ** error);
GST_LIVEPEER_API
void lp_uint256_pad32 (const LpUint256 * value, guint8 out[LP_UINT256_SIZE]);
GST_LIVEPEER_API
gsize lp_uint256_minbe (const LpUint256 * value, guint8 out[LP_UINT256_SIZE]);

GST_LIVEPEER_API
gint lp_uint256_cmp (const LpUint256 * a, const LpUint256 * b);
GST_LIVEPEER_API
gboolean lp_uint256_equal (const LpUint256 * a, const LpUint256 * b);
GST_LIVEPEER_API
gboolean lp_uint256_is_zero (const LpUint256 * value);

GST_LIVEPEER_API
gboolean lp_uint256_add (const LpUint256 * a, const LpUint256 * b,
    LpUint256 * result, GError ** error);
GST_LIVEPEER_API
gboolean lp_uint256_sub (const LpUint256 * a, const LpUint256 * b,
    LpUint256 * result, GError ** error);
GST_LIVEPEER_API
gboolean lp_uint256_mul (const LpUint256 * a, const LpUint256 * b,
    LpUint256 * result, GError ** error);
GST_LIVEPEER_API
gboolean lp_uint256_div (const LpUint256 * a, const LpUint256 * b,
    LpUint256 * result, GError ** error);
GST_LIVEPEER_API
gboolean lp_uint256_mod (const LpUint256 * a, const LpUint256 * b,
    LpUint256 * result, GError ** error);
GST_LIVEPEER_API
gboolean lp_uint256_ceil_div (const LpUint256 * a, const LpUint256 * b,
    LpUint256 * result, GError ** error);
GST_LIVEPEER_API
gboolean lp_uint256_mul_div (const LpUint256 * a, const LpUint256 * b,
    const LpUint256 * c, LpUint256 * result, GError ** error);

G_END_DECLS

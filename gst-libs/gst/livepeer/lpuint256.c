/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:lpuint256
 * @title: LpUint256
 * @short_description: unsigned 256-bit integers
 *
 * The protocol's `uint256` values (face values, win probabilities, wei
 * amounts) as a small value type, #LpUint256, holding the 32 big-endian
 * bytes that go on the wire and into hashes. Arithmetic goes through GMP
 * internally; every operation that can leave the range [0, 2^256 − 1]
 * reports it with a #GError instead of wrapping around.
 *
 * Text is parsed as decimal ("1200000000000000"), 0x-hexadecimal
 * ("0x4438"), or decimal scientific shorthand with an integer result
 * ("1e18", "1.2e15", "1000e-3"), the forms people type on command lines.
 *
 * All functions are MT safe: they only touch the values passed in.
 * Results may alias operands.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpuint256.h"

#include <string.h>
#include <gmp.h>

/* 10^78 > 2^256 > 10^77: a nonzero mantissa scaled by more overflows */
#define MAX_DECIMAL_EXPONENT 78
/* exponents are saturated here while parsing, far past any valid value */
#define EXPONENT_SATURATION 1000000

G_DEFINE_QUARK (lp-uint256-error-quark, lp_uint256_error);
G_DEFINE_BOXED_TYPE (LpUint256, lp_uint256, lp_uint256_copy, lp_uint256_free);

static void
to_mpz (mpz_t z, const LpUint256 * value)
{
  mpz_import (z, LP_UINT256_SIZE, 1, 1, 1, 0, value->be);
}

/* FALSE if @z is negative or needs more than 256 bits; @value untouched */
static gboolean
from_mpz (const mpz_t z, LpUint256 * value)
{
  LpUint256 tmp = LP_UINT256_INIT;
  size_t count;

  if (mpz_sgn (z) < 0 || mpz_sizeinbase (z, 2) > 256)
    return FALSE;

  if (mpz_sgn (z) > 0) {
    count = (mpz_sizeinbase (z, 2) + 7) / 8;
    mpz_export (tmp.be + LP_UINT256_SIZE - count, NULL, 1, 1, 1, 0, z);
  }
  *value = tmp;

  return TRUE;
}

/**
 * lp_uint256_copy:
 * @value: a value
 *
 * Returns: (transfer full): a heap copy of @value, freed with
 *     lp_uint256_free()
 *
 * MT safe.
 */
LpUint256 *
lp_uint256_copy (const LpUint256 * value)
{
  g_return_val_if_fail (value != NULL, NULL);

  return g_memdup2 (value, sizeof (LpUint256));
}

/**
 * lp_uint256_free:
 * @value: (transfer full) (nullable): a value from lp_uint256_copy()
 *
 * MT safe.
 */
void
lp_uint256_free (LpUint256 * value)
{
  g_free (value);
}

/* ------------------------------------------------------------------------ */
/* text                                                                     */
/* ------------------------------------------------------------------------ */

static gsize
span_digits (const gchar * p)
{
  gsize n = 0;

  while (g_ascii_isdigit (p[n]))
    n++;
  return n;
}

static gboolean
parse_hex (const gchar * text, const gchar * digits, mpz_t z, GError ** error)
{
  gsize i;

  if (digits[0] == '\0')
    goto invalid;
  for (i = 0; digits[i] != '\0'; i++)
    if (!g_ascii_isxdigit (digits[i]))
      goto invalid;

  mpz_set_str (z, digits, 16);
  return TRUE;

invalid:
  g_set_error (error, LP_UINT256_ERROR, LP_UINT256_ERROR_INVALID,
      "'%s' is not a number: 0x must be followed by hexadecimal digits only",
      text);
  return FALSE;
}

/* DIGITS[.DIGITS][(e|E)[+|-]DIGITS] with an integer value */
static gboolean
parse_decimal (const gchar * text, mpz_t z, GError ** error)
{
  const gchar *p = text;
  gsize n_int, n_frac = 0;
  gint64 exponent = 0, scale;
  gboolean negative_exponent = FALSE;
  GString *mantissa;
  mpz_t factor, rem;
  gboolean ret = FALSE;

  n_int = span_digits (p);
  if (n_int == 0)
    goto invalid;
  mantissa = g_string_new_len (p, n_int);
  p += n_int;

  if (*p == '.') {
    p++;
    n_frac = span_digits (p);
    if (n_frac == 0)
      goto invalid_free;
    g_string_append_len (mantissa, p, n_frac);
    p += n_frac;
  }

  if (*p == 'e' || *p == 'E') {
    gsize n_exp;

    p++;
    if (*p == '+' || *p == '-') {
      negative_exponent = (*p == '-');
      p++;
    }
    n_exp = span_digits (p);
    if (n_exp == 0)
      goto invalid_free;
    for (; n_exp > 0; n_exp--, p++)
      exponent = MIN (exponent * 10 + (*p - '0'), EXPONENT_SATURATION);
  }

  if (*p != '\0')
    goto invalid_free;

  mpz_set_str (z, mantissa->str, 10);
  g_string_free (mantissa, TRUE);
  if (mpz_sgn (z) == 0)
    return TRUE;

  scale = (negative_exponent ? -exponent : exponent) - (gint64) n_frac;
  mpz_inits (factor, rem, NULL);
  if (scale > MAX_DECIMAL_EXPONENT) {
    g_set_error (error, LP_UINT256_ERROR, LP_UINT256_ERROR_OVERFLOW,
        "'%s' is larger than 2^256 - 1", text);
    goto done;
  }
  if (scale >= 0) {
    mpz_ui_pow_ui (factor, 10, (gulong) scale);
    mpz_mul (z, z, factor);
    ret = TRUE;
    goto done;
  }
  /* a nonzero mantissa of at most LP_UINT256_MAX_TEXT_LENGTH digits is
   * never a multiple of a larger power of ten */
  if (-scale > LP_UINT256_MAX_TEXT_LENGTH)
    goto fractional;
  mpz_ui_pow_ui (factor, 10, (gulong) - scale);
  mpz_tdiv_qr (z, rem, z, factor);
  if (mpz_sgn (rem) != 0)
    goto fractional;
  ret = TRUE;

done:
  mpz_clears (factor, rem, NULL);
  return ret;

fractional:
  g_set_error (error, LP_UINT256_ERROR, LP_UINT256_ERROR_FRACTIONAL,
      "'%s' is not an integer", text);
  goto done;

invalid_free:
  g_string_free (mantissa, TRUE);
invalid:
  g_set_error (error, LP_UINT256_ERROR, LP_UINT256_ERROR_INVALID,
      "'%s' is not a number (expected decimal digits, 0x and hexadecimal "
      "digits, or a form like 1e18 or 1.2e15)", text);
  return FALSE;
}

/**
 * lp_uint256_parse:
 * @text: the number as text
 * @value: (out caller-allocates): the parsed value; untouched on failure
 * @error: return location for a #GError, or %NULL
 *
 * Parses an unsigned 256-bit integer written as decimal digits, as "0x"
 * (or "0X") followed by hexadecimal digits, or in scientific shorthand
 * `DIGITS[.DIGITS]e[+|-]DIGITS` whose value must be an integer ("1e18",
 * "1.2e15", "25e-1" is refused). Leading zeros are fine; signs, spaces,
 * underscores and anything else are not. Text longer than
 * %LP_UINT256_MAX_TEXT_LENGTH is refused.
 *
 * Returns: %TRUE on success; %FALSE with %LP_UINT256_ERROR_INVALID,
 *     %LP_UINT256_ERROR_NEGATIVE, %LP_UINT256_ERROR_FRACTIONAL or
 *     %LP_UINT256_ERROR_OVERFLOW
 *
 * MT safe.
 */
gboolean
lp_uint256_parse (const gchar * text, LpUint256 * value, GError ** error)
{
  mpz_t z;
  gboolean ok;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text[0] == '\0') {
    g_set_error_literal (error, LP_UINT256_ERROR, LP_UINT256_ERROR_INVALID,
        "An empty text is not a number");
    return FALSE;
  }
  if (strnlen (text, LP_UINT256_MAX_TEXT_LENGTH + 1) >
      LP_UINT256_MAX_TEXT_LENGTH) {
    g_set_error (error, LP_UINT256_ERROR, LP_UINT256_ERROR_INVALID,
        "A number of more than %d characters is refused",
        LP_UINT256_MAX_TEXT_LENGTH);
    return FALSE;
  }
  if (text[0] == '-') {
    g_set_error (error, LP_UINT256_ERROR, LP_UINT256_ERROR_NEGATIVE,
        "'%s' is negative; only unsigned values are allowed", text);
    return FALSE;
  }

  mpz_init (z);
  if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    ok = parse_hex (text, text + 2, z, error);
  else
    ok = parse_decimal (text, z, error);

  if (ok && !from_mpz (z, value)) {
    g_set_error (error, LP_UINT256_ERROR, LP_UINT256_ERROR_OVERFLOW,
        "'%s' is larger than 2^256 - 1", text);
    ok = FALSE;
  }
  mpz_clear (z);

  return ok;
}

/**
 * lp_uint256_to_string:
 * @value: a value
 *
 * Returns: (transfer full): @value in decimal, without leading zeros ("0"
 *     for zero); free with g_free()
 *
 * MT safe.
 */
gchar *
lp_uint256_to_string (const LpUint256 * value)
{
  gchar *text;
  mpz_t z;

  g_return_val_if_fail (value != NULL, NULL);

  mpz_init (z);
  to_mpz (z, value);
  text = g_malloc (mpz_sizeinbase (z, 10) + 2);
  mpz_get_str (text, 10, z);
  mpz_clear (z);

  return text;
}

/**
 * lp_uint256_to_hex:
 * @value: a value
 *
 * Returns: (transfer full): @value as "0x" and lowercase hexadecimal
 *     digits, without leading zeros ("0x0" for zero); free with g_free()
 *
 * MT safe.
 */
gchar *
lp_uint256_to_hex (const LpUint256 * value)
{
  static const gchar digits[] = "0123456789abcdef";
  GString *text;
  gboolean leading = TRUE;
  guint i;

  g_return_val_if_fail (value != NULL, NULL);

  text = g_string_new ("0x");
  for (i = 0; i < 2 * LP_UINT256_SIZE; i++) {
    guint nibble =
        (i % 2 == 0) ? value->be[i / 2] >> 4 : value->be[i / 2] & 0xf;

    if (leading && nibble == 0)
      continue;
    leading = FALSE;
    g_string_append_c (text, digits[nibble]);
  }
  if (leading)
    g_string_append_c (text, '0');

  return g_string_free (text, FALSE);
}

/* ------------------------------------------------------------------------ */
/* conversions                                                              */
/* ------------------------------------------------------------------------ */

/**
 * lp_uint256_set_zero:
 * @value: (out caller-allocates): set to 0
 *
 * MT safe.
 */
void
lp_uint256_set_zero (LpUint256 * value)
{
  g_return_if_fail (value != NULL);

  memset (value->be, 0, LP_UINT256_SIZE);
}

/**
 * lp_uint256_set_max:
 * @value: (out caller-allocates): set to 2^256 − 1
 *
 * MT safe.
 */
void
lp_uint256_set_max (LpUint256 * value)
{
  g_return_if_fail (value != NULL);

  memset (value->be, 0xff, LP_UINT256_SIZE);
}

/**
 * lp_uint256_from_uint64:
 * @number: a 64-bit value
 * @value: (out caller-allocates): the same value as #LpUint256
 *
 * MT safe.
 */
void
lp_uint256_from_uint64 (guint64 number, LpUint256 * value)
{
  guint i;

  g_return_if_fail (value != NULL);

  memset (value->be, 0, LP_UINT256_SIZE);
  for (i = 0; i < 8; i++)
    value->be[LP_UINT256_SIZE - 1 - i] = (guint8) (number >> (8 * i));
}

/**
 * lp_uint256_to_uint64:
 * @value: a value
 * @number: (out): @value as #guint64; untouched on failure
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success; %FALSE with %LP_UINT256_ERROR_RANGE when
 *     @value is above %G_MAXUINT64
 *
 * MT safe.
 */
gboolean
lp_uint256_to_uint64 (const LpUint256 * value, guint64 * number,
    GError ** error)
{
  guint64 n = 0;
  guint i;

  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (number != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (i = 0; i < LP_UINT256_SIZE - 8; i++) {
    if (value->be[i] != 0) {
      gchar *text = lp_uint256_to_string (value);

      g_set_error (error, LP_UINT256_ERROR, LP_UINT256_ERROR_RANGE,
          "%s does not fit in 64 bits", text);
      g_free (text);
      return FALSE;
    }
  }
  for (; i < LP_UINT256_SIZE; i++)
    n = (n << 8) | value->be[i];
  *number = n;

  return TRUE;
}

/**
 * lp_uint256_from_bytes32:
 * @bytes: (array fixed-size=32): 32 big-endian bytes
 * @value: (out caller-allocates): their value
 *
 * Reads a `pad32` encoding; every 32-byte string is a valid value.
 *
 * MT safe.
 */
void
lp_uint256_from_bytes32 (const guint8 bytes[LP_UINT256_SIZE], LpUint256 * value)
{
  g_return_if_fail (bytes != NULL);
  g_return_if_fail (value != NULL);

  memmove (value->be, bytes, LP_UINT256_SIZE);
}

/**
 * lp_uint256_from_be:
 * @bytes: (array length=length) (nullable): big-endian bytes
 * @length: how many, 0 to 32 (0 is the value 0)
 * @value: (out caller-allocates): their value; untouched on failure
 * @error: return location for a #GError, or %NULL
 *
 * Reads a big-endian number of up to 32 bytes, such as a `minbe` encoding.
 *
 * Returns: %TRUE on success; %FALSE with %LP_UINT256_ERROR_RANGE when
 *     @length is above 32
 *
 * MT safe.
 */
gboolean
lp_uint256_from_be (const guint8 * bytes, gsize length, LpUint256 * value,
    GError ** error)
{
  LpUint256 tmp = LP_UINT256_INIT;

  g_return_val_if_fail (bytes != NULL || length == 0, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (length > LP_UINT256_SIZE) {
    g_set_error (error, LP_UINT256_ERROR, LP_UINT256_ERROR_RANGE,
        "A uint256 has at most 32 bytes, not %" G_GSIZE_FORMAT, length);
    return FALSE;
  }
  if (length > 0)
    memcpy (tmp.be + LP_UINT256_SIZE - length, bytes, length);
  *value = tmp;

  return TRUE;
}

/**
 * lp_uint256_pad32:
 * @value: a value
 * @out: (out caller-allocates) (array fixed-size=32): `pad32(value)`, 32
 *     big-endian bytes, left-padded with zeros
 *
 * MT safe.
 */
void
lp_uint256_pad32 (const LpUint256 * value, guint8 out[LP_UINT256_SIZE])
{
  g_return_if_fail (value != NULL);
  g_return_if_fail (out != NULL);

  memmove (out, value->be, LP_UINT256_SIZE);
}

/**
 * lp_uint256_minbe:
 * @value: a value
 * @out: (out caller-allocates) (array fixed-size=32): receives
 *     `minbe(value)` at its start
 *
 * Writes the minimal big-endian encoding of @value: no leading zero byte,
 * and no byte at all for 0.
 *
 * Returns: the number of bytes written to @out (0 to 32)
 *
 * MT safe.
 */
gsize
lp_uint256_minbe (const LpUint256 * value, guint8 out[LP_UINT256_SIZE])
{
  gsize skip = 0;

  g_return_val_if_fail (value != NULL, 0);
  g_return_val_if_fail (out != NULL, 0);

  while (skip < LP_UINT256_SIZE && value->be[skip] == 0)
    skip++;
  memmove (out, value->be + skip, LP_UINT256_SIZE - skip);

  return LP_UINT256_SIZE - skip;
}

/* ------------------------------------------------------------------------ */
/* comparison and arithmetic                                                */
/* ------------------------------------------------------------------------ */

/**
 * lp_uint256_cmp:
 * @a: a value
 * @b: another value
 *
 * Returns: a negative number, 0 or a positive number when @a is below,
 *     equal to or above @b
 *
 * MT safe.
 */
gint
lp_uint256_cmp (const LpUint256 * a, const LpUint256 * b)
{
  gint c;

  g_return_val_if_fail (a != NULL, 0);
  g_return_val_if_fail (b != NULL, 0);

  /* big-endian bytes compare like the numbers they encode */
  c = memcmp (a->be, b->be, LP_UINT256_SIZE);
  return (c > 0) - (c < 0);
}

/**
 * lp_uint256_equal:
 * @a: a value
 * @b: another value
 *
 * Returns: %TRUE if @a equals @b
 *
 * MT safe.
 */
gboolean
lp_uint256_equal (const LpUint256 * a, const LpUint256 * b)
{
  return lp_uint256_cmp (a, b) == 0;
}

/**
 * lp_uint256_is_zero:
 * @value: a value
 *
 * Returns: %TRUE if @value is 0
 *
 * MT safe.
 */
gboolean
lp_uint256_is_zero (const LpUint256 * value)
{
  guint i;

  g_return_val_if_fail (value != NULL, FALSE);

  for (i = 0; i < LP_UINT256_SIZE; i++)
    if (value->be[i] != 0)
      return FALSE;
  return TRUE;
}

typedef enum
{
  OP_ADD,
  OP_SUB,
  OP_MUL,
  OP_DIV,
  OP_MOD,
  OP_CEIL_DIV,
} BinaryOp;

static const gchar *const op_names[] = {
  "+", "-", "*", "/", "%", "ceil/"
};

static gboolean
binary_op (BinaryOp op, const LpUint256 * a, const LpUint256 * b,
    LpUint256 * result, GError ** error)
{
  mpz_t za, zb;
  gboolean ok = FALSE;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  mpz_inits (za, zb, NULL);
  to_mpz (za, a);
  to_mpz (zb, b);

  if ((op == OP_DIV || op == OP_MOD || op == OP_CEIL_DIV)
      && mpz_sgn (zb) == 0) {
    g_set_error (error, LP_UINT256_ERROR, LP_UINT256_ERROR_DIVISION_BY_ZERO,
        "Division by zero (uint256 %s 0)", op_names[op]);
    goto done;
  }

  switch (op) {
    case OP_ADD:
      mpz_add (za, za, zb);
      break;
    case OP_SUB:
      mpz_sub (za, za, zb);
      break;
    case OP_MUL:
      mpz_mul (za, za, zb);
      break;
    case OP_DIV:
      mpz_fdiv_q (za, za, zb);
      break;
    case OP_MOD:
      mpz_fdiv_r (za, za, zb);
      break;
    case OP_CEIL_DIV:
      mpz_cdiv_q (za, za, zb);
      break;
  }

  if (mpz_sgn (za) < 0) {
    gchar *ta = lp_uint256_to_string (a), *tb = lp_uint256_to_string (b);

    g_set_error (error, LP_UINT256_ERROR, LP_UINT256_ERROR_UNDERFLOW,
        "uint256 underflow: %s - %s is below zero", ta, tb);
    g_free (ta);
    g_free (tb);
    goto done;
  }
  if (!from_mpz (za, result)) {
    gchar *ta = lp_uint256_to_string (a), *tb = lp_uint256_to_string (b);

    g_set_error (error, LP_UINT256_ERROR, LP_UINT256_ERROR_OVERFLOW,
        "uint256 overflow: %s %s %s is above 2^256 - 1", ta, op_names[op], tb);
    g_free (ta);
    g_free (tb);
    goto done;
  }
  ok = TRUE;

done:
  mpz_clears (za, zb, NULL);
  return ok;
}

/**
 * lp_uint256_add:
 * @a: a value
 * @b: a value
 * @result: (out caller-allocates): @a + @b; untouched on failure
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success; %FALSE with %LP_UINT256_ERROR_OVERFLOW
 *
 * MT safe.
 */
gboolean
lp_uint256_add (const LpUint256 * a, const LpUint256 * b, LpUint256 * result,
    GError ** error)
{
  return binary_op (OP_ADD, a, b, result, error);
}

/**
 * lp_uint256_sub:
 * @a: a value
 * @b: a value
 * @result: (out caller-allocates): @a − @b; untouched on failure
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success; %FALSE with %LP_UINT256_ERROR_UNDERFLOW when
 *     @b is above @a
 *
 * MT safe.
 */
gboolean
lp_uint256_sub (const LpUint256 * a, const LpUint256 * b, LpUint256 * result,
    GError ** error)
{
  return binary_op (OP_SUB, a, b, result, error);
}

/**
 * lp_uint256_mul:
 * @a: a value
 * @b: a value
 * @result: (out caller-allocates): @a × @b; untouched on failure
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success; %FALSE with %LP_UINT256_ERROR_OVERFLOW
 *
 * MT safe.
 */
gboolean
lp_uint256_mul (const LpUint256 * a, const LpUint256 * b, LpUint256 * result,
    GError ** error)
{
  return binary_op (OP_MUL, a, b, result, error);
}

/**
 * lp_uint256_div:
 * @a: the dividend
 * @b: the divisor
 * @result: (out caller-allocates): ⌊@a / @b⌋; untouched on failure
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success; %FALSE with
 *     %LP_UINT256_ERROR_DIVISION_BY_ZERO
 *
 * MT safe.
 */
gboolean
lp_uint256_div (const LpUint256 * a, const LpUint256 * b, LpUint256 * result,
    GError ** error)
{
  return binary_op (OP_DIV, a, b, result, error);
}

/**
 * lp_uint256_mod:
 * @a: the dividend
 * @b: the divisor
 * @result: (out caller-allocates): @a mod @b; untouched on failure
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success; %FALSE with
 *     %LP_UINT256_ERROR_DIVISION_BY_ZERO
 *
 * MT safe.
 */
gboolean
lp_uint256_mod (const LpUint256 * a, const LpUint256 * b, LpUint256 * result,
    GError ** error)
{
  return binary_op (OP_MOD, a, b, result, error);
}

/**
 * lp_uint256_ceil_div:
 * @a: the dividend
 * @b: the divisor
 * @result: (out caller-allocates): ⌈@a / @b⌉; untouched on failure
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success; %FALSE with
 *     %LP_UINT256_ERROR_DIVISION_BY_ZERO
 *
 * MT safe.
 */
gboolean
lp_uint256_ceil_div (const LpUint256 * a, const LpUint256 * b,
    LpUint256 * result, GError ** error)
{
  return binary_op (OP_CEIL_DIV, a, b, result, error);
}

/**
 * lp_uint256_mul_div:
 * @a: a factor
 * @b: another factor
 * @c: the divisor
 * @result: (out caller-allocates): ⌊@a × @b / @c⌋, the product taken at
 *     full (512-bit) precision; untouched on failure
 * @error: return location for a #GError, or %NULL
 *
 * Scales a value by a ratio without losing the intermediate product, as
 * in `EV = faceValue × winProb / (2^256 − 1)`.
 *
 * Returns: %TRUE on success; %FALSE with
 *     %LP_UINT256_ERROR_DIVISION_BY_ZERO or %LP_UINT256_ERROR_OVERFLOW
 *
 * MT safe.
 */
gboolean
lp_uint256_mul_div (const LpUint256 * a, const LpUint256 * b,
    const LpUint256 * c, LpUint256 * result, GError ** error)
{
  mpz_t za, zb, zc;
  gboolean ok = FALSE;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);
  g_return_val_if_fail (c != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  mpz_inits (za, zb, zc, NULL);
  to_mpz (za, a);
  to_mpz (zb, b);
  to_mpz (zc, c);

  if (mpz_sgn (zc) == 0) {
    g_set_error_literal (error, LP_UINT256_ERROR,
        LP_UINT256_ERROR_DIVISION_BY_ZERO,
        "Division by zero (uint256 a * b / 0)");
    goto done;
  }
  mpz_mul (za, za, zb);
  mpz_fdiv_q (za, za, zc);
  if (!from_mpz (za, result)) {
    g_set_error_literal (error, LP_UINT256_ERROR, LP_UINT256_ERROR_OVERFLOW,
        "uint256 overflow: a * b / c is above 2^256 - 1");
    goto done;
  }
  ok = TRUE;

done:
  mpz_clears (za, zb, zc, NULL);
  return ok;
}

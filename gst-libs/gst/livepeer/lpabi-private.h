/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Private to the Solidity ABI codec: the value and type trees, and the
 * type parser and value constructors that encoding (lpabi.c) and
 * decoding (lpabi-decode.c) share. Not installed.
 */
#ifndef __LP_ABI_PRIVATE_H__
#define __LP_ABI_PRIVATE_H__

#include "lpabi.h"

G_BEGIN_DECLS

#define WORD LP_ABI_WORD_SIZE
/* Static types larger than this (huge fixed arrays) are refused. */
#define MAX_STATIC_SIZE (G_GUINT64_CONSTANT (1) << 24)
/* Values one word of data may decode into: nested single-member tuples
 * are the worst case of canonical data. */
#define VALUES_PER_WORD (LP_ABI_MAX_DEPTH + 2)

struct _LpAbiValue
{
  LpAbiKind kind;
  guint8 word[WORD];            /* numbers, address (right-aligned), bool,
                                 * bytes<N> (left-aligned) */
  guint fixed_length;           /* N of bytes<N> */
  guint8 *data;                 /* bytes and string (NUL-terminated) */
  gsize length;
  GPtrArray *children;          /* tuple and array */
};

/* ------------------------------------------------------------------------ */
/* types                                                                    */
/* ------------------------------------------------------------------------ */

typedef enum
{
  T_UINT,
  T_INT,
  T_ADDRESS,
  T_BOOL,
  T_FIXED_BYTES,
  T_BYTES,
  T_STRING,
  T_TUPLE,
  T_ARRAY,
  T_FIXED_ARRAY,
} TypeKind;

typedef struct _AbiType AbiType;
struct _AbiType
{
  TypeKind kind;
  guint size;                   /* bits of uint<N>/int<N>, N of bytes<N>,
                                 * k of T[k] */
  AbiType *element;             /* T of T[] and T[k] */
  GPtrArray *members;           /* of a tuple */
  gchar *text;                  /* canonical spelling, for messages */
  gboolean dynamic;
  guint64 head;                 /* its size in a head: WORD if dynamic */
};

G_GNUC_INTERNAL
AbiType *parse_type_list (const gchar * text, GError ** error);
G_GNUC_INTERNAL
AbiType *parse_signature (const gchar * text, GError ** error);
G_GNUC_INTERNAL
const AbiType *item_type (const AbiType * t, guint i);
G_GNUC_INTERNAL
LpAbiValue *value_new (LpAbiKind kind);
G_GNUC_INTERNAL
LpAbiValue *value_new_data (LpAbiKind kind, const guint8 * data, gsize length);
G_GNUC_INTERNAL
LpAbiValue *value_new_parent (LpAbiKind kind, guint n_children);
G_GNUC_INTERNAL
LpAbiKind expected_kind (const AbiType * t);
G_GNUC_INTERNAL
gboolean uint_fits (const guint8 word[WORD], guint bits);
G_GNUC_INTERNAL
gboolean int_fits (const guint8 word[WORD], guint bits);

G_GNUC_INTERNAL
void abi_type_free (AbiType * t);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AbiType, abi_type_free)

G_END_DECLS

#endif /* __LP_ABI_PRIVATE_H__ */

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every message type of the protobuf codec (lpproto-messages.h) behind one
 * generic decode/encode/free triple, named as lp_rpc.proto names it. The
 * golden-bytes helper finds a type by name; the protobuf fuzz target picks
 * one by its index in this table, which its seed corpus records, so the
 * order is part of the corpus: append, never reorder.
 */
#pragma once

#include <gst/livepeer/lpproto-messages.h>

G_BEGIN_DECLS

typedef struct
{
  const gchar *name;
  gpointer (*decode) (const guint8 * data, gsize length, GError ** error);
  GBytes *(*encode) (gconstpointer message);
  void (*free_message) (gpointer message);
} LpTestProtoType;

extern const LpTestProtoType lp_test_proto_types[];
extern const guint lp_test_proto_n_types;

const LpTestProtoType *lp_test_proto_type_find (const gchar * name,
    guint * index);

G_END_DECLS

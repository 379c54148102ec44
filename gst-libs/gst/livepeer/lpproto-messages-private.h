/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Private to the message codec: the MessageClass that describes how to
 * make, free, write and read one message, and the field-level writing and
 * reading helpers (lpproto-fields.c) that the message classes
 * (lpproto-messages.c) are built from. Not installed.
 */
#ifndef __LP_PROTO_MESSAGES_PRIVATE_H__
#define __LP_PROTO_MESSAGES_PRIVATE_H__

#include "lpproto-messages.h"

G_BEGIN_DECLS

typedef struct _MessageClass MessageClass;

struct _MessageClass
{
  gpointer (*new_message) (void);
  void (*free_message) (gpointer message);
  void (*write) (GByteArray * out, gconstpointer message);
  /* Reads the value of one field, whose tag was just read. A field the
   * message does not declare: sets *known to FALSE and reads nothing. On
   * failure the error's message starts with the field's path. */
    gboolean (*read_field) (LpProtoReader * reader, guint32 field,
      LpProtoWireType wire_type, gpointer message, gboolean * known,
      GError ** error);
};

/* Map entries: a message {1 key, 2 value} per entry; a member that is
 * missing takes its default, and entry fields other than 1 and 2 are
 * skipped like any unknown field */
typedef gboolean (*EntryMemberReader) (LpProtoReader * reader,
    LpProtoWireType wire_type, gpointer entry, GError ** error);

G_GNUC_INTERNAL
void write_message_field (GByteArray * out, guint32 field,
    const MessageClass * klass, gconstpointer message);
G_GNUC_INTERNAL
void write_gbytes_field (GByteArray * out, guint32 field, GBytes * bytes);
G_GNUC_INTERNAL
void write_repeated_messages (GByteArray * out, guint32 field,
    const MessageClass * klass, const GPtrArray * messages);
G_GNUC_INTERNAL
void write_repeated_strings (GByteArray * out, guint32 field,
    const GPtrArray * strings);
G_GNUC_INTERNAL
void write_packed_array (GByteArray * out, guint32 field,
    const GArray * values);
G_GNUC_INTERNAL
void write_uint_uint_map (GByteArray * out, guint32 field, GHashTable * map);
G_GNUC_INTERNAL
void write_uint_message_map (GByteArray * out, guint32 field, GHashTable * map,
    const MessageClass * klass);
G_GNUC_INTERNAL
void write_string_message_map (GByteArray * out, guint32 field,
    GHashTable * map, const MessageClass * klass);
G_GNUC_INTERNAL
gboolean read_int64 (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, gint64 * value, GError ** error);
G_GNUC_INTERNAL
gboolean read_uint64 (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, guint64 * value, GError ** error);
G_GNUC_INTERNAL
gboolean read_int32 (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, gint32 * value, GError ** error);
G_GNUC_INTERNAL
gboolean read_uint32 (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, guint32 * value, GError ** error);
G_GNUC_INTERNAL
gboolean read_bool (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, gboolean * value, GError ** error);
G_GNUC_INTERNAL
gboolean read_string (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, gchar ** text, GError ** error);
G_GNUC_INTERNAL
gboolean read_bytes (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, GBytes ** bytes, GError ** error);
G_GNUC_INTERNAL
gboolean check_room (guint count, const gchar * name, GError ** error);
G_GNUC_INTERNAL
gboolean read_repeated_string (LpProtoReader * reader,
    LpProtoWireType wire_type, const gchar * name, GPtrArray * strings,
    GError ** error);
G_GNUC_INTERNAL
gboolean read_repeated_uint64 (LpProtoReader * reader,
    LpProtoWireType wire_type, const gchar * name, GArray * values,
    GError ** error);
G_GNUC_INTERNAL
gboolean read_message (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, const MessageClass * klass, gpointer * slot,
    GError ** error);
G_GNUC_INTERNAL
gboolean read_repeated_message (LpProtoReader * reader,
    LpProtoWireType wire_type, const gchar * name, const MessageClass * klass,
    GPtrArray * messages, GError ** error);
G_GNUC_INTERNAL
GBytes *encode_message (const MessageClass * klass, gconstpointer message);
G_GNUC_INTERNAL
gpointer decode_message (const MessageClass * klass, const guint8 * data,
    gsize length, GError ** error);
G_GNUC_INTERNAL
gboolean read_entry (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, EntryMemberReader read_key,
    EntryMemberReader read_value, gpointer entry, GError ** error);

G_END_DECLS

#endif /* __LP_PROTO_MESSAGES_PRIVATE_H__ */

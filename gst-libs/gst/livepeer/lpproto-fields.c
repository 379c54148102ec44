/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The field-level half of go-livepeer's message codec: writing a field,
 * a repeated field or a map in field-number and key order, reading each
 * wire type with its checks, and reading a nested message, a map entry or
 * a whole message through its MessageClass
 * (lpproto-messages-private.h). The messages themselves are in
 * lpproto-messages.c.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "lpproto-messages-private.h"
/* ------------------------------------------------------------------------ */
/* Writing helpers */

void
write_message_field (GByteArray * out, guint32 field,
    const MessageClass * klass, gconstpointer message)
{
  GByteArray *nested;

  if (message == NULL)
    return;
  nested = g_byte_array_new ();
  klass->write (nested, message);
  lp_proto_write_length_delimited (out, field, nested->data, nested->len);
  g_byte_array_unref (nested);
}

void
write_gbytes_field (GByteArray * out, guint32 field, GBytes * bytes)
{
  gsize length = 0;
  const guint8 *data;

  if (bytes == NULL)
    return;
  data = g_bytes_get_data (bytes, &length);
  lp_proto_write_bytes_field (out, field, data, length);
}

void
write_repeated_messages (GByteArray * out, guint32 field,
    const MessageClass * klass, const GPtrArray * messages)
{
  guint i;

  for (i = 0; i < messages->len; i++)
    write_message_field (out, field, klass, g_ptr_array_index (messages, i));
}

/* Every element of a repeated string is written, empty ones too */
void
write_repeated_strings (GByteArray * out, guint32 field,
    const GPtrArray * strings)
{
  guint i;

  for (i = 0; i < strings->len; i++) {
    const gchar *text = g_ptr_array_index (strings, i);

    lp_proto_write_length_delimited (out, field, (const guint8 *) text,
        strlen (text));
  }
}

void
write_packed_array (GByteArray * out, guint32 field, const GArray * values)
{
  lp_proto_write_packed_uint64_field (out, field, (const guint64 *)
      values->data, values->len);
}

/* A map entry is a message {1 key, 2 value}. protobuf's serializer writes
 * both members of every entry, even at their defaults, so these write
 * unconditionally. */
static void
write_entry_varint (GByteArray * out, guint32 field, guint64 value)
{
  lp_proto_write_tag (out, field, LP_PROTO_WIRE_VARINT);
  lp_proto_write_varint (out, value);
}

static gint
compare_uint_keys (gconstpointer a, gconstpointer b)
{
  guint x = GPOINTER_TO_UINT (*(gconstpointer *) a);
  guint y = GPOINTER_TO_UINT (*(gconstpointer *) b);

  return x < y ? -1 : x > y ? 1 : 0;
}

/* strcmp orders UTF-8 by code point, as protobuf orders string keys */
static gint
compare_string_keys (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar * const *) a, *(const gchar * const *) b);
}

/* Deterministic output: map entries in key order */
static GPtrArray *
sorted_keys (GHashTable * map, GCompareFunc compare)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, map);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare);
  return keys;
}

static void
write_entry (GByteArray * out, guint32 field, GByteArray * entry)
{
  lp_proto_write_length_delimited (out, field, entry->data, entry->len);
  g_byte_array_set_size (entry, 0);
}

void
write_uint_uint_map (GByteArray * out, guint32 field, GHashTable * map)
{
  GPtrArray *keys = sorted_keys (map, compare_uint_keys);
  GByteArray *entry = g_byte_array_new ();
  guint i;

  for (i = 0; i < keys->len; i++) {
    gpointer key = g_ptr_array_index (keys, i);

    write_entry_varint (entry, 1, GPOINTER_TO_UINT (key));
    write_entry_varint (entry, 2,
        GPOINTER_TO_UINT (g_hash_table_lookup (map, key)));
    write_entry (out, field, entry);
  }
  g_byte_array_unref (entry);
  g_ptr_array_unref (keys);
}

static void
write_entry_message (GByteArray * out, const MessageClass * klass,
    gconstpointer value)
{
  GByteArray *nested = g_byte_array_new ();

  klass->write (nested, value);
  lp_proto_write_length_delimited (out, 2, nested->data, nested->len);
  g_byte_array_unref (nested);
}

void
write_uint_message_map (GByteArray * out, guint32 field, GHashTable * map,
    const MessageClass * klass)
{
  GPtrArray *keys = sorted_keys (map, compare_uint_keys);
  GByteArray *entry = g_byte_array_new ();
  guint i;

  for (i = 0; i < keys->len; i++) {
    gpointer key = g_ptr_array_index (keys, i);

    write_entry_varint (entry, 1, GPOINTER_TO_UINT (key));
    write_entry_message (entry, klass, g_hash_table_lookup (map, key));
    write_entry (out, field, entry);
  }
  g_byte_array_unref (entry);
  g_ptr_array_unref (keys);
}

void
write_string_message_map (GByteArray * out, guint32 field, GHashTable * map,
    const MessageClass * klass)
{
  GPtrArray *keys = sorted_keys (map, compare_string_keys);
  GByteArray *entry = g_byte_array_new ();
  guint i;

  for (i = 0; i < keys->len; i++) {
    const gchar *key = g_ptr_array_index (keys, i);

    lp_proto_write_length_delimited (entry, 1, (const guint8 *) key,
        strlen (key));
    write_entry_message (entry, klass, g_hash_table_lookup (map, key));
    write_entry (out, field, entry);
  }
  g_byte_array_unref (entry);
  g_ptr_array_unref (keys);
}

/* ------------------------------------------------------------------------ */
/* Reading helpers. Each takes the field's name for its error messages. */

static const gchar *
wire_type_name (LpProtoWireType wire_type)
{
  switch (wire_type) {
    case LP_PROTO_WIRE_VARINT:
      return "varint";
    case LP_PROTO_WIRE_FIXED64:
      return "64-bit";
    case LP_PROTO_WIRE_LENGTH_DELIMITED:
      return "length-delimited";
    case LP_PROTO_WIRE_START_GROUP:
      return "start-group";
    case LP_PROTO_WIRE_END_GROUP:
      return "end-group";
    case LP_PROTO_WIRE_FIXED32:
      return "32-bit";
  }
  return "unknown";
}

static gboolean
expect_wire_type (LpProtoWireType got, LpProtoWireType expected,
    const gchar * name, GError ** error)
{
  if (got == expected)
    return TRUE;
  g_set_error (error, LP_PROTO_ERROR, LP_PROTO_ERROR_WIRE_TYPE,
      "%s: arrives as a %s field, but its type is always %s", name,
      wire_type_name (got), wire_type_name (expected));
  return FALSE;
}

static gboolean
read_varint_field (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, guint64 * value, GError ** error)
{
  if (!expect_wire_type (wire_type, LP_PROTO_WIRE_VARINT, name, error))
    return FALSE;
  if (!lp_proto_reader_read_varint (reader, value, error)) {
    g_prefix_error (error, "%s: ", name);
    return FALSE;
  }
  return TRUE;
}

gboolean
read_int64 (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, gint64 * value, GError ** error)
{
  guint64 raw;

  if (!read_varint_field (reader, wire_type, name, &raw, error))
    return FALSE;
  *value = (gint64) raw;
  return TRUE;
}

gboolean
read_uint64 (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, guint64 * value, GError ** error)
{
  return read_varint_field (reader, wire_type, name, value, error);
}

/* protobuf keeps the low 32 bits of a varint read into a 32-bit field */
gboolean
read_int32 (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, gint32 * value, GError ** error)
{
  guint64 raw;

  if (!read_varint_field (reader, wire_type, name, &raw, error))
    return FALSE;
  *value = (gint32) (guint32) raw;
  return TRUE;
}

gboolean
read_uint32 (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, guint32 * value, GError ** error)
{
  guint64 raw;

  if (!read_varint_field (reader, wire_type, name, &raw, error))
    return FALSE;
  *value = (guint32) raw;
  return TRUE;
}

gboolean
read_bool (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, gboolean * value, GError ** error)
{
  guint64 raw;

  if (!read_varint_field (reader, wire_type, name, &raw, error))
    return FALSE;
  *value = raw != 0;
  return TRUE;
}

static gboolean
read_span (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, const guint8 ** data, gsize * length, GError ** error)
{
  if (!expect_wire_type (wire_type, LP_PROTO_WIRE_LENGTH_DELIMITED, name,
          error))
    return FALSE;
  if (!lp_proto_reader_read_length_delimited (reader, data, length, error)) {
    g_prefix_error (error, "%s: ", name);
    return FALSE;
  }
  return TRUE;
}

/* proto3 strings are UTF-8; a NUL inside one could not be a C string */
static gboolean
dup_text (const guint8 * data, gsize length, const gchar * name,
    gchar ** text, GError ** error)
{
  if (!g_utf8_validate_len ((const gchar *) data, length, NULL)) {
    g_set_error (error, LP_PROTO_ERROR, LP_PROTO_ERROR_INVALID_VALUE,
        "%s: not UTF-8 text without NUL characters", name);
    return FALSE;
  }
  *text = g_strndup ((const gchar *) data, length);
  return TRUE;
}

/* an empty string reads as NULL, the struct's form of the default */
gboolean
read_string (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, gchar ** text, GError ** error)
{
  const guint8 *data;
  gsize length;
  gchar *value = NULL;

  if (!read_span (reader, wire_type, name, &data, &length, error))
    return FALSE;
  if (length > 0 && !dup_text (data, length, name, &value, error))
    return FALSE;
  g_free (*text);
  *text = value;
  return TRUE;
}

gboolean
read_bytes (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, GBytes ** bytes, GError ** error)
{
  const guint8 *data;
  gsize length;

  if (!read_span (reader, wire_type, name, &data, &length, error))
    return FALSE;
  g_clear_pointer (bytes, g_bytes_unref);
  if (length > 0)
    *bytes = g_bytes_new (data, length);
  return TRUE;
}

gboolean
check_room (guint count, const gchar * name, GError ** error)
{
  if (count < LP_PROTO_MAX_REPEATED)
    return TRUE;
  g_set_error (error, LP_PROTO_ERROR, LP_PROTO_ERROR_TOO_LARGE,
      "%s: more than %d elements", name, LP_PROTO_MAX_REPEATED);
  return FALSE;
}

gboolean
read_repeated_string (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, GPtrArray * strings, GError ** error)
{
  const guint8 *data;
  gsize length;
  gchar *text;

  if (!check_room (strings->len, name, error))
    return FALSE;
  if (!read_span (reader, wire_type, name, &data, &length, error))
    return FALSE;
  if (!dup_text (data, length, name, &text, error))
    return FALSE;
  g_ptr_array_add (strings, text);
  return TRUE;
}

/* protobuf parsers take a repeated scalar packed or one value per tag,
 * whichever the writer chose */
gboolean
read_repeated_uint64 (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, GArray * values, GError ** error)
{
  LpProtoReader packed;
  guint64 value;

  if (wire_type == LP_PROTO_WIRE_VARINT) {
    if (!check_room (values->len, name, error)
        || !read_uint64 (reader, wire_type, name, &value, error))
      return FALSE;
    g_array_append_val (values, value);
    return TRUE;
  }
  if (!expect_wire_type (wire_type, LP_PROTO_WIRE_LENGTH_DELIMITED, name,
          error))
    return FALSE;
  if (!lp_proto_reader_enter (reader, &packed, error)) {
    g_prefix_error (error, "%s: ", name);
    return FALSE;
  }
  while (!lp_proto_reader_at_end (&packed)) {
    if (!check_room (values->len, name, error))
      return FALSE;
    if (!lp_proto_reader_read_varint (&packed, &value, error)) {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
    g_array_append_val (values, value);
  }
  return TRUE;
}

static gboolean read_fields (LpProtoReader * reader,
    const MessageClass * klass, gpointer message, gboolean * in_field,
    GError ** error);

/* Errors inside a sub-message name their path from here:
 * "name.field: ..." for one of its fields, "name: ..." for its framing */
static gboolean
read_nested (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, const MessageClass * klass, gpointer message,
    GError ** error)
{
  LpProtoReader nested;
  gboolean in_field = FALSE;

  if (!expect_wire_type (wire_type, LP_PROTO_WIRE_LENGTH_DELIMITED, name,
          error))
    return FALSE;
  if (!lp_proto_reader_enter (reader, &nested, error)) {
    g_prefix_error (error, "%s: ", name);
    return FALSE;
  }
  if (!read_fields (&nested, klass, message, &in_field, error)) {
    g_prefix_error (error, in_field ? "%s." : "%s: ", name);
    return FALSE;
  }
  return TRUE;
}

/* A singular sub-message: made on first sight, merged into after */
gboolean
read_message (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, const MessageClass * klass, gpointer * slot,
    GError ** error)
{
  if (*slot == NULL)
    *slot = klass->new_message ();
  return read_nested (reader, wire_type, name, klass, *slot, error);
}

gboolean
read_repeated_message (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, const MessageClass * klass, GPtrArray * messages,
    GError ** error)
{
  gpointer message;

  if (!check_room (messages->len, name, error))
    return FALSE;
  message = klass->new_message ();
  if (!read_nested (reader, wire_type, name, klass, message, error)) {
    klass->free_message (message);
    return FALSE;
  }
  g_ptr_array_add (messages, message);
  return TRUE;
}

static gboolean
read_fields (LpProtoReader * reader, const MessageClass * klass,
    gpointer message, gboolean * in_field, GError ** error)
{
  while (!lp_proto_reader_at_end (reader)) {
    guint32 field;
    LpProtoWireType wire_type;
    gboolean known = TRUE;

    if (!lp_proto_reader_next (reader, &field, &wire_type, error)) {
      *in_field = FALSE;
      return FALSE;
    }
    if (!klass->read_field (reader, field, wire_type, message, &known, error)) {
      *in_field = TRUE;
      return FALSE;
    }
    if (!known && !lp_proto_reader_skip (reader, field, wire_type, error)) {
      g_prefix_error (error, "field %u: ", field);
      *in_field = TRUE;
      return FALSE;
    }
  }
  return TRUE;
}

GBytes *
encode_message (const MessageClass * klass, gconstpointer message)
{
  GByteArray *out = g_byte_array_new ();

  klass->write (out, message);
  return g_byte_array_free_to_bytes (out);
}

gpointer
decode_message (const MessageClass * klass, const guint8 * data,
    gsize length, GError ** error)
{
  LpProtoReader reader;
  gpointer message;
  gboolean in_field;

  if (!lp_proto_reader_init (&reader, data, length, error))
    return NULL;
  message = klass->new_message ();
  if (!read_fields (&reader, klass, message, &in_field, error)) {
    klass->free_message (message);
    return NULL;
  }
  return message;
}


gboolean
read_entry (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, EntryMemberReader read_key,
    EntryMemberReader read_value, gpointer entry, GError ** error)
{
  LpProtoReader nested;

  if (!expect_wire_type (wire_type, LP_PROTO_WIRE_LENGTH_DELIMITED, name,
          error))
    return FALSE;
  if (!lp_proto_reader_enter (reader, &nested, error)) {
    g_prefix_error (error, "%s: ", name);
    return FALSE;
  }
  while (!lp_proto_reader_at_end (&nested)) {
    guint32 field;
    LpProtoWireType member_type;
    gboolean ok;

    if (!lp_proto_reader_next (&nested, &field, &member_type, error)) {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
    if (field == 1)
      ok = read_key (&nested, member_type, entry, error);
    else if (field == 2)
      ok = read_value (&nested, member_type, entry, error);
    else if (!(ok = lp_proto_reader_skip (&nested, field, member_type, error)))
      g_prefix_error (error, "field %u: ", field);
    if (!ok) {
      g_prefix_error (error, "%s.", name);
      return FALSE;
    }
  }
  return TRUE;
}

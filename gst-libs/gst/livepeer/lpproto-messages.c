/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * go-livepeer's messages over the protobuf codec (see lpproto-messages.h
 * and proto/lp_rpc.proto). Each message has a MessageClass: how to make,
 * free, write and read it. Writing goes field by field in field-number
 * order; reading hands each field to the class, which reads the fields it
 * declares and leaves the rest to be skipped. A field that arrives twice
 * behaves as in protobuf: a scalar keeps the last value, a repeated field
 * or map adds to what it has (a map key keeps its last value), a
 * sub-message merges.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "lpproto-messages.h"

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

/* ------------------------------------------------------------------------ */
/* Writing helpers */

static void
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

static void
write_gbytes_field (GByteArray * out, guint32 field, GBytes * bytes)
{
  gsize length = 0;
  const guint8 *data;

  if (bytes == NULL)
    return;
  data = g_bytes_get_data (bytes, &length);
  lp_proto_write_bytes_field (out, field, data, length);
}

static void
write_repeated_messages (GByteArray * out, guint32 field,
    const MessageClass * klass, const GPtrArray * messages)
{
  guint i;

  for (i = 0; i < messages->len; i++)
    write_message_field (out, field, klass, g_ptr_array_index (messages, i));
}

/* Every element of a repeated string is written, empty ones too */
static void
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

static void
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

static void
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

static void
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

static void
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

static gboolean
read_int64 (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, gint64 * value, GError ** error)
{
  guint64 raw;

  if (!read_varint_field (reader, wire_type, name, &raw, error))
    return FALSE;
  *value = (gint64) raw;
  return TRUE;
}

static gboolean
read_uint64 (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, guint64 * value, GError ** error)
{
  return read_varint_field (reader, wire_type, name, value, error);
}

/* protobuf keeps the low 32 bits of a varint read into a 32-bit field */
static gboolean
read_int32 (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, gint32 * value, GError ** error)
{
  guint64 raw;

  if (!read_varint_field (reader, wire_type, name, &raw, error))
    return FALSE;
  *value = (gint32) (guint32) raw;
  return TRUE;
}

static gboolean
read_uint32 (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, guint32 * value, GError ** error)
{
  guint64 raw;

  if (!read_varint_field (reader, wire_type, name, &raw, error))
    return FALSE;
  *value = (guint32) raw;
  return TRUE;
}

static gboolean
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
static gboolean
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

static gboolean
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

static gboolean
check_room (guint count, const gchar * name, GError ** error)
{
  if (count < LP_PROTO_MAX_REPEATED)
    return TRUE;
  g_set_error (error, LP_PROTO_ERROR, LP_PROTO_ERROR_TOO_LARGE,
      "%s: more than %d elements", name, LP_PROTO_MAX_REPEATED);
  return FALSE;
}

static gboolean
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
static gboolean
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
static gboolean
read_message (LpProtoReader * reader, LpProtoWireType wire_type,
    const gchar * name, const MessageClass * klass, gpointer * slot,
    GError ** error)
{
  if (*slot == NULL)
    *slot = klass->new_message ();
  return read_nested (reader, wire_type, name, klass, *slot, error);
}

static gboolean
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

static GBytes *
encode_message (const MessageClass * klass, gconstpointer message)
{
  GByteArray *out = g_byte_array_new ();

  klass->write (out, message);
  return g_byte_array_free_to_bytes (out);
}

static gpointer
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

/* Map entries: a message {1 key, 2 value} per entry; a member that is
 * missing takes its default, and entry fields other than 1 and 2 are
 * skipped like any unknown field */
typedef gboolean (*EntryMemberReader) (LpProtoReader * reader,
    LpProtoWireType wire_type, gpointer entry, GError ** error);

static gboolean
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

/* ------------------------------------------------------------------------ */
/* Messages, leaves first */

#define MESSAGE_CLASS(prefix) \
  { (gpointer (*) (void)) prefix##_new, \
    (void (*) (gpointer)) prefix##_free, \
    write_##prefix, read_##prefix##_field }

#define DEFINE_CODEC(Type, prefix, klass)                                   \
  GBytes *                                                                  \
  prefix##_encode (const Type * message)                                    \
  {                                                                         \
    g_return_val_if_fail (message != NULL, NULL);                           \
    return encode_message (&klass, message);                                \
  }                                                                         \
                                                                            \
  Type *                                                                    \
  prefix##_decode (const guint8 * data, gsize length, GError ** error)      \
  {                                                                         \
    g_return_val_if_fail (data != NULL || length == 0, NULL);               \
    return decode_message (&klass, data, length, error);                    \
  }

/* PingPong */

LpProtoPingPong *
lp_proto_ping_pong_new (void)
{
  return g_new0 (LpProtoPingPong, 1);
}

void
lp_proto_ping_pong_free (LpProtoPingPong * message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->value, g_bytes_unref);
  g_free (message);
}

static void
write_lp_proto_ping_pong (GByteArray * out, gconstpointer message)
{
  const LpProtoPingPong *m = message;

  write_gbytes_field (out, 1, m->value);
}

static gboolean
read_lp_proto_ping_pong_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoPingPong *m = message;

  if (field == 1)
    return read_bytes (r, wt, "value", &m->value, error);
  *known = FALSE;
  return TRUE;
}

static const MessageClass ping_pong_class = MESSAGE_CLASS (lp_proto_ping_pong);
DEFINE_CODEC (LpProtoPingPong, lp_proto_ping_pong, ping_pong_class);

/* AuthToken */

LpProtoAuthToken *
lp_proto_auth_token_new (void)
{
  return g_new0 (LpProtoAuthToken, 1);
}

void
lp_proto_auth_token_free (LpProtoAuthToken * message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->token, g_bytes_unref);
  g_free (message->session_id);
  g_free (message);
}

static void
write_lp_proto_auth_token (GByteArray * out, gconstpointer message)
{
  const LpProtoAuthToken *m = message;

  write_gbytes_field (out, 1, m->token);
  lp_proto_write_string_field (out, 2, m->session_id);
  lp_proto_write_int64_field (out, 3, m->expiration);
}

static gboolean
read_lp_proto_auth_token_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoAuthToken *m = message;

  switch (field) {
    case 1:
      return read_bytes (r, wt, "token", &m->token, error);
    case 2:
      return read_string (r, wt, "session_id", &m->session_id, error);
    case 3:
      return read_int64 (r, wt, "expiration", &m->expiration, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass auth_token_class =
MESSAGE_CLASS (lp_proto_auth_token);
DEFINE_CODEC (LpProtoAuthToken, lp_proto_auth_token, auth_token_class);

/* EndTranscodingSessionRequest */

LpProtoEndTranscodingSessionRequest *
lp_proto_end_transcoding_session_request_new (void)
{
  return g_new0 (LpProtoEndTranscodingSessionRequest, 1);
}

void lp_proto_end_transcoding_session_request_free
    (LpProtoEndTranscodingSessionRequest * message)
{
  if (message == NULL)
    return;
  lp_proto_auth_token_free (message->auth_token);
  g_free (message);
}

static void
write_lp_proto_end_transcoding_session_request (GByteArray * out,
    gconstpointer message)
{
  const LpProtoEndTranscodingSessionRequest *m = message;

  write_message_field (out, 1, &auth_token_class, m->auth_token);
}

static gboolean
read_lp_proto_end_transcoding_session_request_field (LpProtoReader * r,
    guint32 field, LpProtoWireType wt, gpointer message, gboolean * known,
    GError ** error)
{
  LpProtoEndTranscodingSessionRequest *m = message;

  if (field == 1)
    return read_message (r, wt, "auth_token", &auth_token_class,
        (gpointer *) & m->auth_token, error);
  *known = FALSE;
  return TRUE;
}

static const MessageClass end_transcoding_session_request_class =
MESSAGE_CLASS (lp_proto_end_transcoding_session_request);
DEFINE_CODEC (LpProtoEndTranscodingSessionRequest,
    lp_proto_end_transcoding_session_request,
    end_transcoding_session_request_class);

/* PriceInfo */

LpProtoPriceInfo *
lp_proto_price_info_new (void)
{
  return g_new0 (LpProtoPriceInfo, 1);
}

void
lp_proto_price_info_free (LpProtoPriceInfo * message)
{
  if (message == NULL)
    return;
  g_free (message->constraint);
  g_free (message);
}

static void
write_lp_proto_price_info (GByteArray * out, gconstpointer message)
{
  const LpProtoPriceInfo *m = message;

  lp_proto_write_int64_field (out, 1, m->price_per_unit);
  lp_proto_write_int64_field (out, 2, m->pixels_per_unit);
  lp_proto_write_uint64_field (out, 3, m->capability);
  lp_proto_write_string_field (out, 4, m->constraint);
}

static gboolean
read_lp_proto_price_info_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoPriceInfo *m = message;

  switch (field) {
    case 1:
      return read_int64 (r, wt, "pricePerUnit", &m->price_per_unit, error);
    case 2:
      return read_int64 (r, wt, "pixelsPerUnit", &m->pixels_per_unit, error);
    case 3:
      return read_uint32 (r, wt, "capability", &m->capability, error);
    case 4:
      return read_string (r, wt, "constraint", &m->constraint, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass price_info_class =
MESSAGE_CLASS (lp_proto_price_info);
DEFINE_CODEC (LpProtoPriceInfo, lp_proto_price_info, price_info_class);

/* Capabilities.CapabilityConstraints.ModelConstraint */

LpProtoModelConstraint *
lp_proto_model_constraint_new (void)
{
  return g_new0 (LpProtoModelConstraint, 1);
}

void
lp_proto_model_constraint_free (LpProtoModelConstraint * message)
{
  if (message == NULL)
    return;
  g_free (message->runner_version);
  g_free (message);
}

static void
write_lp_proto_model_constraint (GByteArray * out, gconstpointer message)
{
  const LpProtoModelConstraint *m = message;

  lp_proto_write_bool_field (out, 1, m->warm);
  lp_proto_write_uint64_field (out, 2, m->capacity);
  lp_proto_write_string_field (out, 3, m->runner_version);
  lp_proto_write_uint64_field (out, 4, m->capacity_in_use);
}

static gboolean
read_lp_proto_model_constraint_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoModelConstraint *m = message;

  switch (field) {
    case 1:
      return read_bool (r, wt, "warm", &m->warm, error);
    case 2:
      return read_uint32 (r, wt, "capacity", &m->capacity, error);
    case 3:
      return read_string (r, wt, "runnerVersion", &m->runner_version, error);
    case 4:
      return read_uint32 (r, wt, "capacityInUse", &m->capacity_in_use, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass model_constraint_class =
MESSAGE_CLASS (lp_proto_model_constraint);
DEFINE_CODEC (LpProtoModelConstraint, lp_proto_model_constraint,
    model_constraint_class);

/* Capabilities.CapabilityConstraints */

LpProtoCapabilityConstraints *
lp_proto_capability_constraints_new (void)
{
  LpProtoCapabilityConstraints *message =
      g_new0 (LpProtoCapabilityConstraints, 1);

  message->models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) lp_proto_model_constraint_free);
  return message;
}

void
lp_proto_capability_constraints_free (LpProtoCapabilityConstraints * message)
{
  if (message == NULL)
    return;
  g_hash_table_unref (message->models);
  g_free (message);
}

/**
 * lp_proto_capability_constraints_take_model:
 * @constraints: a capability's constraints
 * @model_id: the model's id
 * @model: (transfer full): its constraint
 *
 * Sets the constraint of @model_id, replacing any it had.
 */
void
lp_proto_capability_constraints_take_model (LpProtoCapabilityConstraints *
    constraints, const gchar * model_id, LpProtoModelConstraint * model)
{
  g_return_if_fail (constraints != NULL && model_id != NULL && model != NULL);
  g_hash_table_replace (constraints->models, g_strdup (model_id), model);
}

static void
write_lp_proto_capability_constraints (GByteArray * out, gconstpointer message)
{
  const LpProtoCapabilityConstraints *m = message;

  write_string_message_map (out, 1, m->models, &model_constraint_class);
}

typedef struct
{
  gchar *key;
  LpProtoModelConstraint *value;
} ModelEntry;

static gboolean
read_model_entry_key (LpProtoReader * r, LpProtoWireType wt, gpointer entry,
    GError ** error)
{
  return read_string (r, wt, "key", &((ModelEntry *) entry)->key, error);
}

static gboolean
read_model_entry_value (LpProtoReader * r, LpProtoWireType wt,
    gpointer entry, GError ** error)
{
  return read_message (r, wt, "value", &model_constraint_class,
      (gpointer *) & ((ModelEntry *) entry)->value, error);
}

static gboolean
read_lp_proto_capability_constraints_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoCapabilityConstraints *m = message;
  ModelEntry entry = { NULL, NULL };

  if (field != 1) {
    *known = FALSE;
    return TRUE;
  }
  if (!check_room (g_hash_table_size (m->models), "models", error)
      || !read_entry (r, wt, "models", read_model_entry_key,
          read_model_entry_value, &entry, error)) {
    g_free (entry.key);
    lp_proto_model_constraint_free (entry.value);
    return FALSE;
  }
  if (entry.value == NULL)
    entry.value = lp_proto_model_constraint_new ();
  g_hash_table_replace (m->models, entry.key ? entry.key : g_strdup (""),
      entry.value);
  return TRUE;
}

static const MessageClass capability_constraints_class =
MESSAGE_CLASS (lp_proto_capability_constraints);
DEFINE_CODEC (LpProtoCapabilityConstraints, lp_proto_capability_constraints,
    capability_constraints_class);

/* Capabilities.Constraints */

LpProtoConstraints *
lp_proto_constraints_new (void)
{
  LpProtoConstraints *message = g_new0 (LpProtoConstraints, 1);

  message->per_capability = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) lp_proto_capability_constraints_free);
  return message;
}

void
lp_proto_constraints_free (LpProtoConstraints * message)
{
  if (message == NULL)
    return;
  g_free (message->min_version);
  g_hash_table_unref (message->per_capability);
  g_free (message);
}

/**
 * lp_proto_constraints_take_capability:
 * @constraints: a node's constraints
 * @capability: a capability id
 * @per_capability: (transfer full): its constraints
 *
 * Sets the constraints of @capability, replacing any it had.
 */
void
lp_proto_constraints_take_capability (LpProtoConstraints * constraints,
    guint32 capability, LpProtoCapabilityConstraints * per_capability)
{
  g_return_if_fail (constraints != NULL && per_capability != NULL);
  g_hash_table_replace (constraints->per_capability,
      GUINT_TO_POINTER (capability), per_capability);
}

static void
write_lp_proto_constraints (GByteArray * out, gconstpointer message)
{
  const LpProtoConstraints *m = message;

  lp_proto_write_string_field (out, 1, m->min_version);
  write_uint_message_map (out, 2, m->per_capability,
      &capability_constraints_class);
}

typedef struct
{
  guint32 key;
  LpProtoCapabilityConstraints *value;
} CapabilityEntry;

static gboolean
read_capability_entry_key (LpProtoReader * r, LpProtoWireType wt,
    gpointer entry, GError ** error)
{
  return read_uint32 (r, wt, "key", &((CapabilityEntry *) entry)->key, error);
}

static gboolean
read_capability_entry_value (LpProtoReader * r, LpProtoWireType wt,
    gpointer entry, GError ** error)
{
  return read_message (r, wt, "value", &capability_constraints_class,
      (gpointer *) & ((CapabilityEntry *) entry)->value, error);
}

static gboolean
read_lp_proto_constraints_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoConstraints *m = message;
  CapabilityEntry entry = { 0, NULL };

  switch (field) {
    case 1:
      return read_string (r, wt, "minVersion", &m->min_version, error);
    case 2:
      if (!check_room (g_hash_table_size (m->per_capability),
              "PerCapability", error)
          || !read_entry (r, wt, "PerCapability", read_capability_entry_key,
              read_capability_entry_value, &entry, error)) {
        lp_proto_capability_constraints_free (entry.value);
        return FALSE;
      }
      if (entry.value == NULL)
        entry.value = lp_proto_capability_constraints_new ();
      lp_proto_constraints_take_capability (m, entry.key, entry.value);
      return TRUE;
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass constraints_class =
MESSAGE_CLASS (lp_proto_constraints);
DEFINE_CODEC (LpProtoConstraints, lp_proto_constraints, constraints_class);

/* Capabilities */

LpProtoCapabilities *
lp_proto_capabilities_new (void)
{
  LpProtoCapabilities *message = g_new0 (LpProtoCapabilities, 1);

  message->bitstring = g_array_new (FALSE, FALSE, sizeof (guint64));
  message->mandatories = g_array_new (FALSE, FALSE, sizeof (guint64));
  message->capacities = g_hash_table_new (NULL, NULL);
  return message;
}

void
lp_proto_capabilities_free (LpProtoCapabilities * message)
{
  if (message == NULL)
    return;
  g_array_unref (message->bitstring);
  g_array_unref (message->mandatories);
  g_hash_table_unref (message->capacities);
  g_free (message->version);
  lp_proto_constraints_free (message->constraints);
  g_free (message);
}

/**
 * lp_proto_capabilities_set_capacity:
 * @caps: capabilities
 * @capability: a capability id
 * @capacity: how many sessions of it the node takes
 *
 * Sets the capacity of @capability, replacing any it had.
 */
void
lp_proto_capabilities_set_capacity (LpProtoCapabilities * caps,
    guint32 capability, guint32 capacity)
{
  g_return_if_fail (caps != NULL);
  g_hash_table_replace (caps->capacities, GUINT_TO_POINTER (capability),
      GUINT_TO_POINTER (capacity));
}

/**
 * lp_proto_capabilities_get_capacity:
 * @caps: capabilities
 * @capability: a capability id
 * @capacity: (out) (optional): its capacity
 *
 * Returns: whether @caps has a capacity for @capability
 */
gboolean
lp_proto_capabilities_get_capacity (const LpProtoCapabilities * caps,
    guint32 capability, guint32 * capacity)
{
  gpointer value;

  g_return_val_if_fail (caps != NULL, FALSE);
  if (!g_hash_table_lookup_extended (caps->capacities,
          GUINT_TO_POINTER (capability), NULL, &value))
    return FALSE;
  if (capacity)
    *capacity = GPOINTER_TO_UINT (value);
  return TRUE;
}

static void
write_lp_proto_capabilities (GByteArray * out, gconstpointer message)
{
  const LpProtoCapabilities *m = message;

  write_packed_array (out, 1, m->bitstring);
  write_packed_array (out, 2, m->mandatories);
  write_uint_uint_map (out, 3, m->capacities);
  lp_proto_write_string_field (out, 4, m->version);
  write_message_field (out, 5, &constraints_class, m->constraints);
}

typedef struct
{
  guint32 key;
  guint32 value;
} CapacityEntry;

static gboolean
read_capacity_entry_key (LpProtoReader * r, LpProtoWireType wt,
    gpointer entry, GError ** error)
{
  return read_uint32 (r, wt, "key", &((CapacityEntry *) entry)->key, error);
}

static gboolean
read_capacity_entry_value (LpProtoReader * r, LpProtoWireType wt,
    gpointer entry, GError ** error)
{
  return read_uint32 (r, wt, "value", &((CapacityEntry *) entry)->value, error);
}

static gboolean
read_lp_proto_capabilities_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoCapabilities *m = message;
  CapacityEntry entry = { 0, 0 };

  switch (field) {
    case 1:
      return read_repeated_uint64 (r, wt, "bitstring", m->bitstring, error);
    case 2:
      return read_repeated_uint64 (r, wt, "mandatories", m->mandatories, error);
    case 3:
      if (!check_room (g_hash_table_size (m->capacities), "capacities", error)
          || !read_entry (r, wt, "capacities", read_capacity_entry_key,
              read_capacity_entry_value, &entry, error))
        return FALSE;
      lp_proto_capabilities_set_capacity (m, entry.key, entry.value);
      return TRUE;
    case 4:
      return read_string (r, wt, "version", &m->version, error);
    case 5:
      return read_message (r, wt, "constraints", &constraints_class,
          (gpointer *) & m->constraints, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass capabilities_class =
MESSAGE_CLASS (lp_proto_capabilities);
DEFINE_CODEC (LpProtoCapabilities, lp_proto_capabilities, capabilities_class);

/* TicketExpirationParams */

LpProtoTicketExpirationParams *
lp_proto_ticket_expiration_params_new (void)
{
  return g_new0 (LpProtoTicketExpirationParams, 1);
}

void
lp_proto_ticket_expiration_params_free (LpProtoTicketExpirationParams * message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->creation_round_block_hash, g_bytes_unref);
  g_free (message);
}

static void
write_lp_proto_ticket_expiration_params (GByteArray * out,
    gconstpointer message)
{
  const LpProtoTicketExpirationParams *m = message;

  lp_proto_write_int64_field (out, 1, m->creation_round);
  write_gbytes_field (out, 2, m->creation_round_block_hash);
}

static gboolean
read_lp_proto_ticket_expiration_params_field (LpProtoReader * r,
    guint32 field, LpProtoWireType wt, gpointer message, gboolean * known,
    GError ** error)
{
  LpProtoTicketExpirationParams *m = message;

  switch (field) {
    case 1:
      return read_int64 (r, wt, "creation_round", &m->creation_round, error);
    case 2:
      return read_bytes (r, wt, "creation_round_block_hash",
          &m->creation_round_block_hash, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass ticket_expiration_params_class =
MESSAGE_CLASS (lp_proto_ticket_expiration_params);
DEFINE_CODEC (LpProtoTicketExpirationParams,
    lp_proto_ticket_expiration_params, ticket_expiration_params_class);

/* TicketParams */

LpProtoTicketParams *
lp_proto_ticket_params_new (void)
{
  return g_new0 (LpProtoTicketParams, 1);
}

void
lp_proto_ticket_params_free (LpProtoTicketParams * message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->recipient, g_bytes_unref);
  g_clear_pointer (&message->face_value, g_bytes_unref);
  g_clear_pointer (&message->win_prob, g_bytes_unref);
  g_clear_pointer (&message->recipient_rand_hash, g_bytes_unref);
  g_clear_pointer (&message->seed, g_bytes_unref);
  g_clear_pointer (&message->expiration_block, g_bytes_unref);
  lp_proto_ticket_expiration_params_free (message->expiration_params);
  g_free (message);
}

static void
write_lp_proto_ticket_params (GByteArray * out, gconstpointer message)
{
  const LpProtoTicketParams *m = message;

  write_gbytes_field (out, 1, m->recipient);
  write_gbytes_field (out, 2, m->face_value);
  write_gbytes_field (out, 3, m->win_prob);
  write_gbytes_field (out, 4, m->recipient_rand_hash);
  write_gbytes_field (out, 5, m->seed);
  write_gbytes_field (out, 6, m->expiration_block);
  write_message_field (out, 7, &ticket_expiration_params_class,
      m->expiration_params);
}

static gboolean
read_lp_proto_ticket_params_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoTicketParams *m = message;

  switch (field) {
    case 1:
      return read_bytes (r, wt, "recipient", &m->recipient, error);
    case 2:
      return read_bytes (r, wt, "face_value", &m->face_value, error);
    case 3:
      return read_bytes (r, wt, "win_prob", &m->win_prob, error);
    case 4:
      return read_bytes (r, wt, "recipient_rand_hash",
          &m->recipient_rand_hash, error);
    case 5:
      return read_bytes (r, wt, "seed", &m->seed, error);
    case 6:
      return read_bytes (r, wt, "expiration_block", &m->expiration_block,
          error);
    case 7:
      return read_message (r, wt, "expiration_params",
          &ticket_expiration_params_class,
          (gpointer *) & m->expiration_params, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass ticket_params_class =
MESSAGE_CLASS (lp_proto_ticket_params);
DEFINE_CODEC (LpProtoTicketParams, lp_proto_ticket_params, ticket_params_class);

/* TicketSenderParams */

LpProtoTicketSenderParams *
lp_proto_ticket_sender_params_new (void)
{
  return g_new0 (LpProtoTicketSenderParams, 1);
}

void
lp_proto_ticket_sender_params_free (LpProtoTicketSenderParams * message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->sig, g_bytes_unref);
  g_free (message);
}

static void
write_lp_proto_ticket_sender_params (GByteArray * out, gconstpointer message)
{
  const LpProtoTicketSenderParams *m = message;

  lp_proto_write_uint64_field (out, 1, m->sender_nonce);
  write_gbytes_field (out, 2, m->sig);
}

static gboolean
read_lp_proto_ticket_sender_params_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoTicketSenderParams *m = message;

  switch (field) {
    case 1:
      return read_uint32 (r, wt, "sender_nonce", &m->sender_nonce, error);
    case 2:
      return read_bytes (r, wt, "sig", &m->sig, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass ticket_sender_params_class =
MESSAGE_CLASS (lp_proto_ticket_sender_params);
DEFINE_CODEC (LpProtoTicketSenderParams, lp_proto_ticket_sender_params,
    ticket_sender_params_class);

/* Payment */

LpProtoPayment *
lp_proto_payment_new (void)
{
  LpProtoPayment *message = g_new0 (LpProtoPayment, 1);

  message->ticket_sender_params = g_ptr_array_new_with_free_func
      ((GDestroyNotify) lp_proto_ticket_sender_params_free);
  return message;
}

void
lp_proto_payment_free (LpProtoPayment * message)
{
  if (message == NULL)
    return;
  lp_proto_ticket_params_free (message->ticket_params);
  g_clear_pointer (&message->sender, g_bytes_unref);
  lp_proto_ticket_expiration_params_free (message->expiration_params);
  g_ptr_array_unref (message->ticket_sender_params);
  lp_proto_price_info_free (message->expected_price);
  g_free (message);
}

static void
write_lp_proto_payment (GByteArray * out, gconstpointer message)
{
  const LpProtoPayment *m = message;

  write_message_field (out, 1, &ticket_params_class, m->ticket_params);
  write_gbytes_field (out, 2, m->sender);
  write_message_field (out, 3, &ticket_expiration_params_class,
      m->expiration_params);
  write_repeated_messages (out, 4, &ticket_sender_params_class,
      m->ticket_sender_params);
  write_message_field (out, 5, &price_info_class, m->expected_price);
}

static gboolean
read_lp_proto_payment_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoPayment *m = message;

  switch (field) {
    case 1:
      return read_message (r, wt, "ticket_params", &ticket_params_class,
          (gpointer *) & m->ticket_params, error);
    case 2:
      return read_bytes (r, wt, "sender", &m->sender, error);
    case 3:
      return read_message (r, wt, "expiration_params",
          &ticket_expiration_params_class,
          (gpointer *) & m->expiration_params, error);
    case 4:
      return read_repeated_message (r, wt, "ticket_sender_params",
          &ticket_sender_params_class, m->ticket_sender_params, error);
    case 5:
      return read_message (r, wt, "expected_price", &price_info_class,
          (gpointer *) & m->expected_price, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass payment_class = MESSAGE_CLASS (lp_proto_payment);
DEFINE_CODEC (LpProtoPayment, lp_proto_payment, payment_class);

/* OrchestratorRequest */

LpProtoOrchestratorRequest *
lp_proto_orchestrator_request_new (void)
{
  return g_new0 (LpProtoOrchestratorRequest, 1);
}

void
lp_proto_orchestrator_request_free (LpProtoOrchestratorRequest * message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->address, g_bytes_unref);
  g_clear_pointer (&message->sig, g_bytes_unref);
  lp_proto_capabilities_free (message->capabilities);
  g_free (message);
}

static void
write_lp_proto_orchestrator_request (GByteArray * out, gconstpointer message)
{
  const LpProtoOrchestratorRequest *m = message;

  write_gbytes_field (out, 1, m->address);
  write_gbytes_field (out, 2, m->sig);
  write_message_field (out, 3, &capabilities_class, m->capabilities);
  lp_proto_write_bool_field (out, 4, m->ignore_capacity_check);
}

static gboolean
read_lp_proto_orchestrator_request_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoOrchestratorRequest *m = message;

  switch (field) {
    case 1:
      return read_bytes (r, wt, "address", &m->address, error);
    case 2:
      return read_bytes (r, wt, "sig", &m->sig, error);
    case 3:
      return read_message (r, wt, "capabilities", &capabilities_class,
          (gpointer *) & m->capabilities, error);
    case 4:
      return read_bool (r, wt, "ignoreCapacityCheck",
          &m->ignore_capacity_check, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass orchestrator_request_class =
MESSAGE_CLASS (lp_proto_orchestrator_request);
DEFINE_CODEC (LpProtoOrchestratorRequest, lp_proto_orchestrator_request,
    orchestrator_request_class);

/* OrchestratorInfo */

LpProtoOrchestratorInfo *
lp_proto_orchestrator_info_new (void)
{
  LpProtoOrchestratorInfo *message = g_new0 (LpProtoOrchestratorInfo, 1);

  message->capabilities_prices = g_ptr_array_new_with_free_func
      ((GDestroyNotify) lp_proto_price_info_free);
  message->nodes = g_ptr_array_new_with_free_func (g_free);
  return message;
}

void
lp_proto_orchestrator_info_free (LpProtoOrchestratorInfo * message)
{
  if (message == NULL)
    return;
  g_free (message->transcoder);
  lp_proto_ticket_params_free (message->ticket_params);
  lp_proto_price_info_free (message->price_info);
  g_clear_pointer (&message->address, g_bytes_unref);
  lp_proto_capabilities_free (message->capabilities);
  lp_proto_auth_token_free (message->auth_token);
  g_ptr_array_unref (message->capabilities_prices);
  g_ptr_array_unref (message->nodes);
  g_free (message);
}

static void
write_lp_proto_orchestrator_info (GByteArray * out, gconstpointer message)
{
  const LpProtoOrchestratorInfo *m = message;

  lp_proto_write_string_field (out, 1, m->transcoder);
  write_message_field (out, 2, &ticket_params_class, m->ticket_params);
  write_message_field (out, 3, &price_info_class, m->price_info);
  write_gbytes_field (out, 4, m->address);
  write_message_field (out, 5, &capabilities_class, m->capabilities);
  write_message_field (out, 6, &auth_token_class, m->auth_token);
  write_repeated_messages (out, 33, &price_info_class, m->capabilities_prices);
  write_repeated_strings (out, 34, m->nodes);
}

static gboolean
read_lp_proto_orchestrator_info_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoOrchestratorInfo *m = message;

  switch (field) {
    case 1:
      return read_string (r, wt, "transcoder", &m->transcoder, error);
    case 2:
      return read_message (r, wt, "ticket_params", &ticket_params_class,
          (gpointer *) & m->ticket_params, error);
    case 3:
      return read_message (r, wt, "price_info", &price_info_class,
          (gpointer *) & m->price_info, error);
    case 4:
      return read_bytes (r, wt, "address", &m->address, error);
    case 5:
      return read_message (r, wt, "capabilities", &capabilities_class,
          (gpointer *) & m->capabilities, error);
    case 6:
      return read_message (r, wt, "auth_token", &auth_token_class,
          (gpointer *) & m->auth_token, error);
    case 33:
      return read_repeated_message (r, wt, "capabilities_prices",
          &price_info_class, m->capabilities_prices, error);
    case 34:
      return read_repeated_string (r, wt, "nodes", m->nodes, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass orchestrator_info_class =
MESSAGE_CLASS (lp_proto_orchestrator_info);
DEFINE_CODEC (LpProtoOrchestratorInfo, lp_proto_orchestrator_info,
    orchestrator_info_class);

/* VideoProfile */

LpProtoVideoProfile *
lp_proto_video_profile_new (void)
{
  return g_new0 (LpProtoVideoProfile, 1);
}

void
lp_proto_video_profile_free (LpProtoVideoProfile * message)
{
  if (message == NULL)
    return;
  g_free (message->name);
  g_free (message);
}

static void
write_lp_proto_video_profile (GByteArray * out, gconstpointer message)
{
  const LpProtoVideoProfile *m = message;

  lp_proto_write_string_field (out, 16, m->name);
  lp_proto_write_int32_field (out, 17, m->width);
  lp_proto_write_int32_field (out, 18, m->height);
  lp_proto_write_int32_field (out, 19, m->bitrate);
  lp_proto_write_uint64_field (out, 20, m->fps);
  lp_proto_write_int32_field (out, 21, m->format);
  lp_proto_write_uint64_field (out, 22, m->fps_den);
  lp_proto_write_int32_field (out, 23, m->profile);
  lp_proto_write_int32_field (out, 24, m->gop);
  lp_proto_write_int32_field (out, 25, m->encoder);
  lp_proto_write_int32_field (out, 26, m->color_depth);
  lp_proto_write_int32_field (out, 27, m->chroma_format);
  lp_proto_write_uint64_field (out, 28, m->quality);
}

static gboolean
read_lp_proto_video_profile_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoVideoProfile *m = message;

  switch (field) {
    case 16:
      return read_string (r, wt, "name", &m->name, error);
    case 17:
      return read_int32 (r, wt, "width", &m->width, error);
    case 18:
      return read_int32 (r, wt, "height", &m->height, error);
    case 19:
      return read_int32 (r, wt, "bitrate", &m->bitrate, error);
    case 20:
      return read_uint32 (r, wt, "fps", &m->fps, error);
    case 21:
      return read_int32 (r, wt, "format", &m->format, error);
    case 22:
      return read_uint32 (r, wt, "fpsDen", &m->fps_den, error);
    case 23:
      return read_int32 (r, wt, "profile", &m->profile, error);
    case 24:
      return read_int32 (r, wt, "gop", &m->gop, error);
    case 25:
      return read_int32 (r, wt, "encoder", &m->encoder, error);
    case 26:
      return read_int32 (r, wt, "colorDepth", &m->color_depth, error);
    case 27:
      return read_int32 (r, wt, "chromaFormat", &m->chroma_format, error);
    case 28:
      return read_uint32 (r, wt, "quality", &m->quality, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass video_profile_class =
MESSAGE_CLASS (lp_proto_video_profile);
DEFINE_CODEC (LpProtoVideoProfile, lp_proto_video_profile, video_profile_class);

/* SegParameters */

LpProtoSegParameters *
lp_proto_seg_parameters_new (void)
{
  return g_new0 (LpProtoSegParameters, 1);
}

void
lp_proto_seg_parameters_free (LpProtoSegParameters * message)
{
  g_free (message);
}

static void
write_lp_proto_seg_parameters (GByteArray * out, gconstpointer message)
{
  const LpProtoSegParameters *m = message;

  lp_proto_write_uint64_field (out, 1, m->from);
  lp_proto_write_uint64_field (out, 2, m->to);
}

static gboolean
read_lp_proto_seg_parameters_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoSegParameters *m = message;

  switch (field) {
    case 1:
      return read_uint64 (r, wt, "from", &m->from, error);
    case 2:
      return read_uint64 (r, wt, "to", &m->to, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass seg_parameters_class =
MESSAGE_CLASS (lp_proto_seg_parameters);
DEFINE_CODEC (LpProtoSegParameters, lp_proto_seg_parameters,
    seg_parameters_class);

/* SegData */

static GPtrArray *
new_profile_list (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)
      lp_proto_video_profile_free);
}

LpProtoSegData *
lp_proto_seg_data_new (void)
{
  LpProtoSegData *message = g_new0 (LpProtoSegData, 1);

  message->full_profiles = new_profile_list ();
  message->full_profiles2 = new_profile_list ();
  message->full_profiles3 = new_profile_list ();
  return message;
}

void
lp_proto_seg_data_free (LpProtoSegData * message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->manifest_id, g_bytes_unref);
  g_clear_pointer (&message->hash, g_bytes_unref);
  g_clear_pointer (&message->profiles, g_bytes_unref);
  g_clear_pointer (&message->sig, g_bytes_unref);
  lp_proto_capabilities_free (message->capabilities);
  lp_proto_auth_token_free (message->auth_token);
  g_ptr_array_unref (message->full_profiles);
  g_ptr_array_unref (message->full_profiles2);
  g_ptr_array_unref (message->full_profiles3);
  lp_proto_seg_parameters_free (message->segment_parameters);
  g_free (message);
}

static void
write_lp_proto_seg_data (GByteArray * out, gconstpointer message)
{
  const LpProtoSegData *m = message;

  write_gbytes_field (out, 1, m->manifest_id);
  lp_proto_write_int64_field (out, 2, m->seq);
  write_gbytes_field (out, 3, m->hash);
  write_gbytes_field (out, 4, m->profiles);
  write_gbytes_field (out, 5, m->sig);
  lp_proto_write_int32_field (out, 6, m->duration);
  write_message_field (out, 7, &capabilities_class, m->capabilities);
  write_message_field (out, 8, &auth_token_class, m->auth_token);
  lp_proto_write_bool_field (out, 10, m->calc_perceptual_hash);
  write_repeated_messages (out, 33, &video_profile_class, m->full_profiles);
  write_repeated_messages (out, 34, &video_profile_class, m->full_profiles2);
  write_repeated_messages (out, 35, &video_profile_class, m->full_profiles3);
  write_message_field (out, 37, &seg_parameters_class, m->segment_parameters);
  lp_proto_write_bool_field (out, 38, m->force_session_reinit);
}

static gboolean
read_lp_proto_seg_data_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoSegData *m = message;

  switch (field) {
    case 1:
      return read_bytes (r, wt, "manifestId", &m->manifest_id, error);
    case 2:
      return read_int64 (r, wt, "seq", &m->seq, error);
    case 3:
      return read_bytes (r, wt, "hash", &m->hash, error);
    case 4:
      return read_bytes (r, wt, "profiles", &m->profiles, error);
    case 5:
      return read_bytes (r, wt, "sig", &m->sig, error);
    case 6:
      return read_int32 (r, wt, "duration", &m->duration, error);
    case 7:
      return read_message (r, wt, "capabilities", &capabilities_class,
          (gpointer *) & m->capabilities, error);
    case 8:
      return read_message (r, wt, "auth_token", &auth_token_class,
          (gpointer *) & m->auth_token, error);
    case 10:
      return read_bool (r, wt, "calc_perceptual_hash",
          &m->calc_perceptual_hash, error);
    case 33:
      return read_repeated_message (r, wt, "fullProfiles",
          &video_profile_class, m->full_profiles, error);
    case 34:
      return read_repeated_message (r, wt, "fullProfiles2",
          &video_profile_class, m->full_profiles2, error);
    case 35:
      return read_repeated_message (r, wt, "fullProfiles3",
          &video_profile_class, m->full_profiles3, error);
    case 37:
      return read_message (r, wt, "segment_parameters",
          &seg_parameters_class, (gpointer *) & m->segment_parameters, error);
    case 38:
      return read_bool (r, wt, "ForceSessionReinit",
          &m->force_session_reinit, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass seg_data_class = MESSAGE_CLASS (lp_proto_seg_data);
DEFINE_CODEC (LpProtoSegData, lp_proto_seg_data, seg_data_class);

/* TranscodedSegmentData */

LpProtoTranscodedSegmentData *
lp_proto_transcoded_segment_data_new (void)
{
  return g_new0 (LpProtoTranscodedSegmentData, 1);
}

void
lp_proto_transcoded_segment_data_free (LpProtoTranscodedSegmentData * message)
{
  if (message == NULL)
    return;
  g_free (message->url);
  g_free (message->perceptual_hash_url);
  g_free (message);
}

static void
write_lp_proto_transcoded_segment_data (GByteArray * out, gconstpointer message)
{
  const LpProtoTranscodedSegmentData *m = message;

  lp_proto_write_string_field (out, 1, m->url);
  lp_proto_write_int64_field (out, 2, m->pixels);
  lp_proto_write_string_field (out, 3, m->perceptual_hash_url);
}

static gboolean
read_lp_proto_transcoded_segment_data_field (LpProtoReader * r,
    guint32 field, LpProtoWireType wt, gpointer message, gboolean * known,
    GError ** error)
{
  LpProtoTranscodedSegmentData *m = message;

  switch (field) {
    case 1:
      return read_string (r, wt, "url", &m->url, error);
    case 2:
      return read_int64 (r, wt, "pixels", &m->pixels, error);
    case 3:
      return read_string (r, wt, "perceptual_hash_url",
          &m->perceptual_hash_url, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass transcoded_segment_data_class =
MESSAGE_CLASS (lp_proto_transcoded_segment_data);
DEFINE_CODEC (LpProtoTranscodedSegmentData, lp_proto_transcoded_segment_data,
    transcoded_segment_data_class);

/* TranscodeData */

LpProtoTranscodeData *
lp_proto_transcode_data_new (void)
{
  LpProtoTranscodeData *message = g_new0 (LpProtoTranscodeData, 1);

  message->segments = g_ptr_array_new_with_free_func ((GDestroyNotify)
      lp_proto_transcoded_segment_data_free);
  return message;
}

void
lp_proto_transcode_data_free (LpProtoTranscodeData * message)
{
  if (message == NULL)
    return;
  g_ptr_array_unref (message->segments);
  g_clear_pointer (&message->sig, g_bytes_unref);
  g_free (message);
}

static void
write_lp_proto_transcode_data (GByteArray * out, gconstpointer message)
{
  const LpProtoTranscodeData *m = message;

  write_repeated_messages (out, 1, &transcoded_segment_data_class, m->segments);
  write_gbytes_field (out, 2, m->sig);
}

static gboolean
read_lp_proto_transcode_data_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoTranscodeData *m = message;

  switch (field) {
    case 1:
      return read_repeated_message (r, wt, "segments",
          &transcoded_segment_data_class, m->segments, error);
    case 2:
      return read_bytes (r, wt, "sig", &m->sig, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass transcode_data_class =
MESSAGE_CLASS (lp_proto_transcode_data);
DEFINE_CODEC (LpProtoTranscodeData, lp_proto_transcode_data,
    transcode_data_class);

/* TranscodeResult */

LpProtoTranscodeResult *
lp_proto_transcode_result_new (void)
{
  return g_new0 (LpProtoTranscodeResult, 1);
}

void
lp_proto_transcode_result_free (LpProtoTranscodeResult * message)
{
  if (message == NULL)
    return;
  g_free (message->error);
  lp_proto_transcode_data_free (message->data);
  lp_proto_orchestrator_info_free (message->info);
  g_free (message);
}

/* A oneof member is written whenever it is the one set, even at its
 * default: an empty error is a tag and a zero length */
static void
write_lp_proto_transcode_result (GByteArray * out, gconstpointer message)
{
  const LpProtoTranscodeResult *m = message;
  const gchar *error = m->error ? m->error : "";

  lp_proto_write_int64_field (out, 1, m->seq);
  if (m->result == LP_PROTO_RESULT_ERROR)
    lp_proto_write_length_delimited (out, 2, (const guint8 *) error,
        strlen (error));
  else if (m->result == LP_PROTO_RESULT_DATA && m->data)
    write_message_field (out, 3, &transcode_data_class, m->data);
  else if (m->result == LP_PROTO_RESULT_DATA)
    lp_proto_write_length_delimited (out, 3, NULL, 0);  /* empty data */
  write_message_field (out, 16, &orchestrator_info_class, m->info);
}

/* Setting one member of the oneof clears the other */
static gboolean
read_lp_proto_transcode_result_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoTranscodeResult *m = message;

  switch (field) {
    case 1:
      return read_int64 (r, wt, "seq", &m->seq, error);
    case 2:
      g_clear_pointer (&m->data, lp_proto_transcode_data_free);
      m->result = LP_PROTO_RESULT_ERROR;
      return read_string (r, wt, "error", &m->error, error);
    case 3:
      g_clear_pointer (&m->error, g_free);
      m->result = LP_PROTO_RESULT_DATA;
      return read_message (r, wt, "data", &transcode_data_class,
          (gpointer *) & m->data, error);
    case 16:
      return read_message (r, wt, "info", &orchestrator_info_class,
          (gpointer *) & m->info, error);
  }
  *known = FALSE;
  return TRUE;
}

static const MessageClass transcode_result_class =
MESSAGE_CLASS (lp_proto_transcode_result);
DEFINE_CODEC (LpProtoTranscodeResult, lp_proto_transcode_result,
    transcode_result_class);

/* PaymentResult */

LpProtoPaymentResult *
lp_proto_payment_result_new (void)
{
  return g_new0 (LpProtoPaymentResult, 1);
}

void
lp_proto_payment_result_free (LpProtoPaymentResult * message)
{
  if (message == NULL)
    return;
  lp_proto_orchestrator_info_free (message->info);
  g_free (message);
}

static void
write_lp_proto_payment_result (GByteArray * out, gconstpointer message)
{
  const LpProtoPaymentResult *m = message;

  write_message_field (out, 16, &orchestrator_info_class, m->info);
}

static gboolean
read_lp_proto_payment_result_field (LpProtoReader * r, guint32 field,
    LpProtoWireType wt, gpointer message, gboolean * known, GError ** error)
{
  LpProtoPaymentResult *m = message;

  if (field == 16)
    return read_message (r, wt, "info", &orchestrator_info_class,
        (gpointer *) & m->info, error);
  *known = FALSE;
  return TRUE;
}

static const MessageClass payment_result_class =
MESSAGE_CLASS (lp_proto_payment_result);
DEFINE_CODEC (LpProtoPaymentResult, lp_proto_payment_result,
    payment_result_class);

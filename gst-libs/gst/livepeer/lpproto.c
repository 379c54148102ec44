/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The protobuf wire format, both ways (see lpproto.h). The writer emits
 * what protobuf's own serializers emit for proto3 (defaults left out,
 * negative int32 sign-extended to ten bytes, packed repeated scalars); the
 * reader checks every length against the bytes it has before it touches
 * them, so no input can make it read outside the message.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpproto.h"

G_DEFINE_QUARK (lp - proto - error - quark, lp_proto_error);

#define VARINT_MAX_BYTES 10

/* ------------------------------------------------------------------------ */
/* Writing */

void
lp_proto_write_varint (GByteArray * out, guint64 value)
{
  guint8 buf[VARINT_MAX_BYTES];
  guint n = 0;

  while (value >= 0x80) {
    buf[n++] = (guint8) (value | 0x80);
    value >>= 7;
  }
  buf[n++] = (guint8) value;
  g_byte_array_append (out, buf, n);
}

static guint
varint_size (guint64 value)
{
  guint n = 1;

  while (value >= 0x80) {
    value >>= 7;
    n++;
  }
  return n;
}

void
lp_proto_write_tag (GByteArray * out, guint32 field, LpProtoWireType wire_type)
{
  g_return_if_fail (field >= 1 && field <= LP_PROTO_MAX_FIELD_NUMBER);
  lp_proto_write_varint (out, ((guint64) field << 3) | wire_type);
}

void
lp_proto_write_uint64_field (GByteArray * out, guint32 field, guint64 value)
{
  if (value == 0)
    return;
  lp_proto_write_tag (out, field, LP_PROTO_WIRE_VARINT);
  lp_proto_write_varint (out, value);
}

/* protobuf writes a negative int64 as its 64-bit two's complement */
void
lp_proto_write_int64_field (GByteArray * out, guint32 field, gint64 value)
{
  lp_proto_write_uint64_field (out, field, (guint64) value);
}

/* ... and a negative int32 sign-extended to 64 bits first, so that an
 * int64 reader sees the same number: always ten bytes */
void
lp_proto_write_int32_field (GByteArray * out, guint32 field, gint32 value)
{
  lp_proto_write_uint64_field (out, field, (guint64) (gint64) value);
}

void
lp_proto_write_bool_field (GByteArray * out, guint32 field, gboolean value)
{
  lp_proto_write_uint64_field (out, field, value ? 1 : 0);
}

void
lp_proto_write_fixed32_field (GByteArray * out, guint32 field, guint32 value)
{
  guint32 le = GUINT32_TO_LE (value);

  if (value == 0)
    return;
  lp_proto_write_tag (out, field, LP_PROTO_WIRE_FIXED32);
  g_byte_array_append (out, (const guint8 *) &le, sizeof le);
}

void
lp_proto_write_fixed64_field (GByteArray * out, guint32 field, guint64 value)
{
  guint64 le = GUINT64_TO_LE (value);

  if (value == 0)
    return;
  lp_proto_write_tag (out, field, LP_PROTO_WIRE_FIXED64);
  g_byte_array_append (out, (const guint8 *) &le, sizeof le);
}

/* Always written, even when empty: for sub-messages (whose presence
 * counts) and the elements of repeated fields */
void
lp_proto_write_length_delimited (GByteArray * out, guint32 field,
    const guint8 * data, gsize length)
{
  lp_proto_write_tag (out, field, LP_PROTO_WIRE_LENGTH_DELIMITED);
  lp_proto_write_varint (out, length);
  if (length > 0)
    g_byte_array_append (out, data, length);
}

void
lp_proto_write_bytes_field (GByteArray * out, guint32 field,
    const guint8 * data, gsize length)
{
  if (length == 0)
    return;
  lp_proto_write_length_delimited (out, field, data, length);
}

void
lp_proto_write_string_field (GByteArray * out, guint32 field,
    const gchar * text)
{
  if (text == NULL)
    return;
  lp_proto_write_bytes_field (out, field, (const guint8 *) text, strlen (text));
}

void
lp_proto_write_packed_uint64_field (GByteArray * out, guint32 field,
    const guint64 * values, guint n_values)
{
  gsize payload = 0;
  guint i;

  if (n_values == 0)
    return;
  for (i = 0; i < n_values; i++)
    payload += varint_size (values[i]);
  lp_proto_write_tag (out, field, LP_PROTO_WIRE_LENGTH_DELIMITED);
  lp_proto_write_varint (out, payload);
  for (i = 0; i < n_values; i++)
    lp_proto_write_varint (out, values[i]);
}

/* ------------------------------------------------------------------------ */
/* Reading */

/* where the cursor is, for error messages: "byte 12 of 40" counts from the
 * start of the outermost message */
static gsize
absolute_pos (const LpProtoReader * reader)
{
  return reader->base + reader->pos;
}

static gsize
remaining (const LpProtoReader * reader)
{
  return reader->length - reader->pos;
}

/**
 * lp_proto_reader_init:
 * @reader: the reader to set up
 * @data: (array length=length): the message
 * @length: its size in bytes
 * @error: return location for a %LP_PROTO_ERROR
 *
 * Points @reader at the start of a whole message. @data must outlive it.
 *
 * Returns: %FALSE (with %LP_PROTO_ERROR_TOO_LARGE) when @length is over
 * %LP_PROTO_MAX_MESSAGE_SIZE
 */
gboolean
lp_proto_reader_init (LpProtoReader * reader, const guint8 * data,
    gsize length, GError ** error)
{
  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  memset (reader, 0, sizeof *reader);
  if (length > LP_PROTO_MAX_MESSAGE_SIZE) {
    g_set_error (error, LP_PROTO_ERROR, LP_PROTO_ERROR_TOO_LARGE,
        "message of %" G_GSIZE_FORMAT " bytes is over the limit of %d bytes",
        length, LP_PROTO_MAX_MESSAGE_SIZE);
    return FALSE;
  }
  reader->data = data;
  reader->length = length;
  reader->total = length;
  return TRUE;
}

gboolean
lp_proto_reader_at_end (const LpProtoReader * reader)
{
  return reader->pos >= reader->length;
}

/* A varint is at most ten bytes, and the tenth may hold only the top bit
 * of a 64-bit number: anything longer or larger is not protobuf */
gboolean
lp_proto_reader_read_varint (LpProtoReader * reader, guint64 * value,
    GError ** error)
{
  gsize start = absolute_pos (reader);
  guint64 result = 0;
  guint i;

  for (i = 0; i < VARINT_MAX_BYTES; i++) {
    guint8 byte;

    if (lp_proto_reader_at_end (reader)) {
      g_set_error (error, LP_PROTO_ERROR, LP_PROTO_ERROR_TRUNCATED,
          "varint at byte %" G_GSIZE_FORMAT " is cut off by the end of "
          "the message (%" G_GSIZE_FORMAT " bytes)", start, reader->total);
      return FALSE;
    }
    byte = reader->data[reader->pos++];
    if (i == VARINT_MAX_BYTES - 1 && byte > 1) {
      g_set_error (error, LP_PROTO_ERROR, LP_PROTO_ERROR_MALFORMED,
          "varint at byte %" G_GSIZE_FORMAT " is longer than 10 bytes or "
          "over 64 bits", start);
      return FALSE;
    }
    result |= (guint64) (byte & 0x7f) << (7 * i);
    if (!(byte & 0x80)) {
      *value = result;
      return TRUE;
    }
  }
  g_assert_not_reached ();
  return FALSE;
}

static gboolean
read_fixed (LpProtoReader * reader, guint8 * out, gsize size, GError ** error)
{
  if (remaining (reader) < size) {
    g_set_error (error, LP_PROTO_ERROR, LP_PROTO_ERROR_TRUNCATED,
        "%" G_GSIZE_FORMAT "-byte value at byte %" G_GSIZE_FORMAT
        " is cut off by the end of the message (%" G_GSIZE_FORMAT " bytes)",
        size, absolute_pos (reader), reader->total);
    return FALSE;
  }
  memcpy (out, reader->data + reader->pos, size);
  reader->pos += size;
  return TRUE;
}

gboolean
lp_proto_reader_read_fixed32 (LpProtoReader * reader, guint32 * value,
    GError ** error)
{
  guint32 le;

  if (!read_fixed (reader, (guint8 *) & le, sizeof le, error))
    return FALSE;
  *value = GUINT32_FROM_LE (le);
  return TRUE;
}

gboolean
lp_proto_reader_read_fixed64 (LpProtoReader * reader, guint64 * value,
    GError ** error)
{
  guint64 le;

  if (!read_fixed (reader, (guint8 *) & le, sizeof le, error))
    return FALSE;
  *value = GUINT64_FROM_LE (le);
  return TRUE;
}

/**
 * lp_proto_reader_read_length_delimited:
 * @reader: a reader just past the tag of a length-delimited field
 * @data: (out) (transfer none): where the field's bytes start, inside the
 *     reader's message
 * @length: (out): how many there are
 * @error: return location for a %LP_PROTO_ERROR
 *
 * Reads a length prefix and steps over the bytes it announces.
 *
 * Returns: %FALSE when the prefix is malformed or announces more bytes
 * than the enclosing message has left
 */
gboolean
lp_proto_reader_read_length_delimited (LpProtoReader * reader,
    const guint8 ** data, gsize * length, GError ** error)
{
  guint64 announced;

  if (!lp_proto_reader_read_varint (reader, &announced, error))
    return FALSE;
  if (announced > remaining (reader)) {
    g_set_error (error, LP_PROTO_ERROR, LP_PROTO_ERROR_TRUNCATED,
        "length %" G_GUINT64_FORMAT " runs past the end of the message "
        "(byte %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT ")", announced,
        absolute_pos (reader), reader->total);
    return FALSE;
  }
  *data = reader->data + reader->pos;
  *length = (gsize) announced;
  reader->pos += (gsize) announced;
  return TRUE;
}

static gboolean
check_depth (const LpProtoReader * reader, GError ** error)
{
  if (reader->depth >= LP_PROTO_MAX_DEPTH) {
    g_set_error (error, LP_PROTO_ERROR, LP_PROTO_ERROR_TOO_DEEP,
        "messages nest deeper than %d levels (byte %" G_GSIZE_FORMAT ")",
        LP_PROTO_MAX_DEPTH, absolute_pos (reader));
    return FALSE;
  }
  return TRUE;
}

/**
 * lp_proto_reader_enter:
 * @reader: a reader just past the tag of a sub-message field
 * @nested: (out caller-allocates): a reader over the sub-message
 * @error: return location for a %LP_PROTO_ERROR
 *
 * Reads a sub-message's length and sets up @nested over its bytes, one
 * level deeper; @reader moves past them.
 *
 * Returns: %FALSE when the length is bad or the nesting is over
 * %LP_PROTO_MAX_DEPTH
 */
gboolean
lp_proto_reader_enter (LpProtoReader * reader, LpProtoReader * nested,
    GError ** error)
{
  const guint8 *data;
  gsize length;
  gsize start;

  if (!check_depth (reader, error))
    return FALSE;
  if (!lp_proto_reader_read_length_delimited (reader, &data, &length, error))
    return FALSE;
  start = absolute_pos (reader) - length;
  memset (nested, 0, sizeof *nested);
  nested->data = data;
  nested->length = length;
  nested->base = start;
  nested->total = reader->total;
  nested->depth = reader->depth + 1;
  return TRUE;
}

static gboolean
read_tag (LpProtoReader * reader, guint32 * field,
    LpProtoWireType * wire_type, GError ** error)
{
  gsize start = absolute_pos (reader);
  guint64 tag;
  guint64 number;

  if (!lp_proto_reader_read_varint (reader, &tag, error))
    return FALSE;
  number = tag >> 3;
  if (number == 0 || number > LP_PROTO_MAX_FIELD_NUMBER) {
    g_set_error (error, LP_PROTO_ERROR, LP_PROTO_ERROR_MALFORMED,
        "field number %" G_GUINT64_FORMAT " at byte %" G_GSIZE_FORMAT
        " is outside 1 to %d", number, start, LP_PROTO_MAX_FIELD_NUMBER);
    return FALSE;
  }
  if ((tag & 7) > LP_PROTO_WIRE_FIXED32) {
    g_set_error (error, LP_PROTO_ERROR, LP_PROTO_ERROR_MALFORMED,
        "field %" G_GUINT64_FORMAT " at byte %" G_GSIZE_FORMAT
        " has wire type %u, which does not exist", number, start,
        (guint) (tag & 7));
    return FALSE;
  }
  *field = (guint32) number;
  *wire_type = (LpProtoWireType) (tag & 7);
  return TRUE;
}

/**
 * lp_proto_reader_next:
 * @reader: a reader that is not at its end
 * @field: (out): the next field's number
 * @wire_type: (out): its wire type
 * @error: return location for a %LP_PROTO_ERROR
 *
 * Reads the next field's tag. The caller then reads the field's value, or
 * steps over it with lp_proto_reader_skip().
 *
 * Returns: %FALSE when the tag is truncated or not a valid tag, or is an
 * end-group outside any group
 */
gboolean
lp_proto_reader_next (LpProtoReader * reader, guint32 * field,
    LpProtoWireType * wire_type, GError ** error)
{
  gsize start = absolute_pos (reader);

  if (!read_tag (reader, field, wire_type, error))
    return FALSE;
  if (*wire_type == LP_PROTO_WIRE_END_GROUP) {
    g_set_error (error, LP_PROTO_ERROR, LP_PROTO_ERROR_MALFORMED,
        "end of group %u at byte %" G_GSIZE_FORMAT " without its start",
        *field, start);
    return FALSE;
  }
  return TRUE;
}

static gboolean skip_value (LpProtoReader * reader, guint32 field,
    LpProtoWireType wire_type, GError ** error);

/* A group runs to the end-group tag of the same field number; groups in
 * it count towards the nesting limit like messages */
static gboolean
skip_group (LpProtoReader * reader, guint32 group_field, GError ** error)
{
  gsize start = absolute_pos (reader);

  if (!check_depth (reader, error))
    return FALSE;
  reader->depth++;
  while (TRUE) {
    guint32 field;
    LpProtoWireType wire_type;

    if (lp_proto_reader_at_end (reader)) {
      g_set_error (error, LP_PROTO_ERROR, LP_PROTO_ERROR_TRUNCATED,
          "group %u starting at byte %" G_GSIZE_FORMAT " has no end",
          group_field, start);
      break;
    }
    if (!read_tag (reader, &field, &wire_type, error))
      break;
    if (wire_type == LP_PROTO_WIRE_END_GROUP) {
      if (field == group_field) {
        reader->depth--;
        return TRUE;
      }
      g_set_error (error, LP_PROTO_ERROR, LP_PROTO_ERROR_MALFORMED,
          "group %u starting at byte %" G_GSIZE_FORMAT " ends as group %u",
          group_field, start, field);
      break;
    }
    if (!skip_value (reader, field, wire_type, error))
      break;
  }
  reader->depth--;
  return FALSE;
}

static gboolean
skip_value (LpProtoReader * reader, guint32 field,
    LpProtoWireType wire_type, GError ** error)
{
  guint64 ignored;
  const guint8 *data;
  gsize length;

  switch (wire_type) {
    case LP_PROTO_WIRE_VARINT:
      return lp_proto_reader_read_varint (reader, &ignored, error);
    case LP_PROTO_WIRE_FIXED64:
      return lp_proto_reader_read_fixed64 (reader, &ignored, error);
    case LP_PROTO_WIRE_FIXED32:{
      guint32 ignored32;
      return lp_proto_reader_read_fixed32 (reader, &ignored32, error);
    }
    case LP_PROTO_WIRE_LENGTH_DELIMITED:
      return lp_proto_reader_read_length_delimited (reader, &data, &length,
          error);
    case LP_PROTO_WIRE_START_GROUP:
      return skip_group (reader, field, error);
    case LP_PROTO_WIRE_END_GROUP:
      break;
  }
  g_set_error (error, LP_PROTO_ERROR, LP_PROTO_ERROR_MALFORMED,
      "end of group %u at byte %" G_GSIZE_FORMAT " without its start",
      field, absolute_pos (reader));
  return FALSE;
}

/**
 * lp_proto_reader_skip:
 * @reader: a reader just past a field's tag
 * @field: the field's number
 * @wire_type: its wire type
 * @error: return location for a %LP_PROTO_ERROR
 *
 * Steps over a field's value without interpreting it, as protobuf does
 * with the fields a message does not declare (groups included).
 *
 * Returns: %FALSE when the value is truncated or malformed
 */
gboolean
lp_proto_reader_skip (LpProtoReader * reader, guint32 field,
    LpProtoWireType wire_type, GError ** error)
{
  return skip_value (reader, field, wire_type, error);
}

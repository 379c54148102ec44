/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A small protocol buffers (proto3) codec: the wire format's varints,
 * fixed-width and length-delimited fields, written in protobuf's canonical
 * order and form, and read by a strict, bounded reader. go-livepeer's
 * messages are built on it in lpproto-messages.h. No I/O, no state: safe
 * from any thread.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>

G_BEGIN_DECLS

/* Limits the reader enforces */
#define LP_PROTO_MAX_MESSAGE_SIZE (1024 * 1024) /* a whole message, bytes */
#define LP_PROTO_MAX_DEPTH 16   /* nested messages (and groups) */
#define LP_PROTO_MAX_FIELD_NUMBER 536870911     /* 2^29 - 1 */

/**
 * LP_PROTO_ERROR:
 *
 * Error domain of the protobuf codec; its codes are #LpProtoError. A
 * message decoder's error starts with the path of the offending field, for
 * example "info.ticket_params.face_value: length 40 runs past the end of
 * the message (byte 71 of 80)".
 */
#define LP_PROTO_ERROR (lp_proto_error_quark ())
GST_LIVEPEER_API
GQuark lp_proto_error_quark (void);

/**
 * LpProtoError:
 * @LP_PROTO_ERROR_TRUNCATED: the input ends inside a tag, a varint, a
 *     fixed-width value or a length-delimited field
 * @LP_PROTO_ERROR_MALFORMED: not the protobuf wire format: a varint longer
 *     than 10 bytes, field number 0 or above %LP_PROTO_MAX_FIELD_NUMBER,
 *     wire type 6 or 7, an end-group with no start
 * @LP_PROTO_ERROR_WIRE_TYPE: a known field arrives with a wire type its
 *     declared type never has
 * @LP_PROTO_ERROR_TOO_LARGE: the message is over
 *     %LP_PROTO_MAX_MESSAGE_SIZE, or a repeated field or map is over its
 *     limit
 * @LP_PROTO_ERROR_TOO_DEEP: messages nest deeper than %LP_PROTO_MAX_DEPTH
 * @LP_PROTO_ERROR_INVALID_VALUE: a string field is not UTF-8 (proto3
 *     requires it)
 *
 * Error codes of the %LP_PROTO_ERROR domain.
 */
typedef enum
{
  LP_PROTO_ERROR_TRUNCATED,
  LP_PROTO_ERROR_MALFORMED,
  LP_PROTO_ERROR_WIRE_TYPE,
  LP_PROTO_ERROR_TOO_LARGE,
  LP_PROTO_ERROR_TOO_DEEP,
  LP_PROTO_ERROR_INVALID_VALUE,
} LpProtoError;

/**
 * LpProtoWireType:
 * @LP_PROTO_WIRE_VARINT: int32, int64, uint32, uint64, bool, enum
 * @LP_PROTO_WIRE_FIXED64: fixed64, sfixed64, double
 * @LP_PROTO_WIRE_LENGTH_DELIMITED: string, bytes, messages, packed
 *     repeated scalars
 * @LP_PROTO_WIRE_START_GROUP: proto2 groups (only ever skipped)
 * @LP_PROTO_WIRE_END_GROUP: the end of a group
 * @LP_PROTO_WIRE_FIXED32: fixed32, sfixed32, float
 *
 * The low three bits of a field's tag.
 */
typedef enum
{
  LP_PROTO_WIRE_VARINT = 0,
  LP_PROTO_WIRE_FIXED64 = 1,
  LP_PROTO_WIRE_LENGTH_DELIMITED = 2,
  LP_PROTO_WIRE_START_GROUP = 3,
  LP_PROTO_WIRE_END_GROUP = 4,
  LP_PROTO_WIRE_FIXED32 = 5,
} LpProtoWireType;

/* ------------------------------------------------------------------------ */
/* Writing. Every lp_proto_write_*_field() follows proto3's canonical form:
 * a singular scalar, string or bytes field equal to its default (0, FALSE,
 * empty) is not written at all; the caller writes fields in field-number
 * order. The out array grows as needed. */

GST_LIVEPEER_API
void lp_proto_write_varint (GByteArray * out, guint64 value);
GST_LIVEPEER_API
void lp_proto_write_tag (GByteArray * out, guint32 field,
    LpProtoWireType wire_type);
GST_LIVEPEER_API
void lp_proto_write_uint64_field (GByteArray * out, guint32 field,
    guint64 value);
GST_LIVEPEER_API
void lp_proto_write_int64_field (GByteArray * out, guint32 field,
    gint64 value);
GST_LIVEPEER_API
void lp_proto_write_int32_field (GByteArray * out, guint32 field,
    gint32 value);
GST_LIVEPEER_API
void lp_proto_write_bool_field (GByteArray * out, guint32 field,
    gboolean value);
GST_LIVEPEER_API
void lp_proto_write_fixed32_field (GByteArray * out, guint32 field,
    guint32 value);
GST_LIVEPEER_API
void lp_proto_write_fixed64_field (GByteArray * out, guint32 field,
    guint64 value);
GST_LIVEPEER_API
void lp_proto_write_bytes_field (GByteArray * out, guint32 field,
    const guint8 * data, gsize length);
GST_LIVEPEER_API
void lp_proto_write_string_field (GByteArray * out, guint32 field,
    const gchar * text);
GST_LIVEPEER_API
void lp_proto_write_packed_uint64_field (GByteArray * out, guint32 field,
    const guint64 * values, guint n_values);
GST_LIVEPEER_API
void lp_proto_write_length_delimited (GByteArray * out, guint32 field,
    const guint8 * data, gsize length);

/* ------------------------------------------------------------------------ */
/* Reading */

/**
 * LpProtoReader:
 *
 * A cursor over one message's bytes, which it does not own. Set it up with
 * lp_proto_reader_init(); its fields are private.
 */
typedef struct
{
  /*< private > */
  const guint8 *data;
  gsize length;
  gsize pos;
  gsize base;                   /* offset of data in the outermost message */
  gsize total;                  /* length of the outermost message */
  guint depth;
} LpProtoReader;

GST_LIVEPEER_API
gboolean lp_proto_reader_init (LpProtoReader * reader, const guint8 * data,
    gsize length, GError ** error);
GST_LIVEPEER_API
gboolean lp_proto_reader_at_end (const LpProtoReader * reader);
GST_LIVEPEER_API
gboolean lp_proto_reader_next (LpProtoReader * reader, guint32 * field,
    LpProtoWireType * wire_type, GError ** error);
GST_LIVEPEER_API
gboolean lp_proto_reader_read_varint (LpProtoReader * reader,
    guint64 * value, GError ** error);
GST_LIVEPEER_API
gboolean lp_proto_reader_read_fixed32 (LpProtoReader * reader,
    guint32 * value, GError ** error);
GST_LIVEPEER_API
gboolean lp_proto_reader_read_fixed64 (LpProtoReader * reader,
    guint64 * value, GError ** error);
GST_LIVEPEER_API
gboolean lp_proto_reader_read_length_delimited (LpProtoReader * reader,
    const guint8 ** data, gsize * length, GError ** error);
GST_LIVEPEER_API
gboolean lp_proto_reader_enter (LpProtoReader * reader,
    LpProtoReader * nested, GError ** error);
GST_LIVEPEER_API
gboolean lp_proto_reader_skip (LpProtoReader * reader, guint32 field,
    LpProtoWireType wire_type, GError ** error);

G_END_DECLS

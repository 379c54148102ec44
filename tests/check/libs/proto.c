/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of the protobuf codec (lpproto, lpproto-messages): the wire
 * format's encodings against the worked examples of the protobuf encoding
 * documentation, round trips, protobuf's reading rules (unknown fields,
 * packed or not, repeated keys, merging, the oneof), and hostile input:
 * each truncation, malformed tag, oversize or overdeep input, wrong wire
 * type and bad string is an LP_PROTO_ERROR naming where it is. The
 * byte-for-byte comparison with python3-protobuf is crosscheck/protobuf.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpcheck.h"
#include <gst/livepeer/lpproto-messages.h>

static GBytes *
hex_bytes (const gchar * hex)
{
  GError *error = NULL;
  GBytes *bytes = lp_hex_decode_bytes (hex, 1 << 20, &error);

  fail_unless (bytes != NULL, "bad test hex %s", hex);
  return bytes;
}

static void
assert_bytes_hex (GBytes * bytes, const gchar * expected)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  lp_check_assert_hex (data, length, expected);
}

static void
assert_array_hex (GByteArray * out, const gchar * expected)
{
  lp_check_assert_hex (out->data, out->len, expected);
  g_byte_array_set_size (out, 0);
}

/* Decodes @hex as @decode's message, expecting failure with @code and an
 * error message that starts with @prefix */
typedef gpointer (*DecodeFunc) (const guint8 * data, gsize length,
    GError ** error);

static void
assert_decode_error (DecodeFunc decode, const gchar * hex, gint code,
    const gchar * prefix)
{
  GBytes *bytes = hex_bytes (hex);
  GError *error = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  gpointer message = decode (data, length, &error);

  fail_unless (message == NULL, "%s decoded, but should not", hex);
  fail_unless (error != NULL);
  fail_unless (g_error_matches (error, LP_PROTO_ERROR, code),
      "%s: error %d (%s), expected %d", hex, error->code, error->message, code);
  fail_unless (g_str_has_prefix (error->message, prefix),
      "%s: \"%s\" does not start with \"%s\"", hex, error->message, prefix);
  g_error_free (error);
  g_bytes_unref (bytes);
}

static gpointer
decode_ok (DecodeFunc decode, const gchar * hex)
{
  GBytes *bytes = hex_bytes (hex);
  GError *error = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  gpointer message = decode (data, length, &error);

  fail_unless (message != NULL, "%s: %s", hex, error ? error->message : "");
  g_bytes_unref (bytes);
  return message;
}

#define DECODE(prefix) ((DecodeFunc) prefix##_decode)

/* ------------------------------------------------------------------------ */

/* The protobuf encoding guide's examples: 1 is 01, 150 is 96 01; a
 * negative int32 or int64 is ten bytes */
GST_START_TEST (test_varints)
{
  GByteArray *out = g_byte_array_new ();

  lp_proto_write_varint (out, 0);
  assert_array_hex (out, "00");
  lp_proto_write_varint (out, 1);
  assert_array_hex (out, "01");
  lp_proto_write_varint (out, 150);
  assert_array_hex (out, "9601");
  lp_proto_write_varint (out, 300);
  assert_array_hex (out, "ac02");
  lp_proto_write_varint (out, G_MAXUINT64);
  assert_array_hex (out, "ffffffffffffffffff01");

  lp_proto_write_uint64_field (out, 1, 150);
  assert_array_hex (out, "089601");
  lp_proto_write_int64_field (out, 2, -1);
  assert_array_hex (out, "10ffffffffffffffffff01");
  lp_proto_write_int32_field (out, 2, -2);
  assert_array_hex (out, "10feffffffffffffffff01");
  lp_proto_write_int32_field (out, 16, G_MAXINT32);
  assert_array_hex (out, "8001ffffffff07");
  lp_proto_write_bool_field (out, 3, TRUE);
  assert_array_hex (out, "1801");
  lp_proto_write_tag (out, LP_PROTO_MAX_FIELD_NUMBER, LP_PROTO_WIRE_VARINT);
  assert_array_hex (out, "f8ffffff0f");

  g_byte_array_unref (out);
}

GST_END_TEST;

/* proto3 writes nothing for a default: 0, FALSE, "" and no bytes */
GST_START_TEST (test_defaults_not_written)
{
  GByteArray *out = g_byte_array_new ();

  lp_proto_write_uint64_field (out, 1, 0);
  lp_proto_write_int64_field (out, 1, 0);
  lp_proto_write_int32_field (out, 1, 0);
  lp_proto_write_bool_field (out, 1, FALSE);
  lp_proto_write_fixed32_field (out, 1, 0);
  lp_proto_write_fixed64_field (out, 1, 0);
  lp_proto_write_bytes_field (out, 1, NULL, 0);
  lp_proto_write_string_field (out, 1, NULL);
  lp_proto_write_string_field (out, 1, "");
  lp_proto_write_packed_uint64_field (out, 1, NULL, 0);
  fail_unless_equals_int (out->len, 0);

  /* ... but a length-delimited value is always written: sub-messages and
   * repeated elements */
  lp_proto_write_length_delimited (out, 5, NULL, 0);
  assert_array_hex (out, "2a00");
  g_byte_array_unref (out);
}

GST_END_TEST;

GST_START_TEST (test_fixed_and_packed)
{
  static const guint64 values[] = { 3, 270, 86942 };
  GByteArray *out = g_byte_array_new ();
  LpProtoReader reader;
  guint32 field, value32;
  guint64 value64;
  LpProtoWireType wire_type;

  /* the guide's packed example: 3, 270, 86942 is 22 06 03 8e 02 9e a7 05 */
  lp_proto_write_packed_uint64_field (out, 4, values, 3);
  assert_array_hex (out, "2206038e029ea705");

  lp_proto_write_fixed32_field (out, 1, 0x01020304);
  lp_proto_write_fixed64_field (out, 2,
      G_GUINT64_CONSTANT (0x1122334455667788));
  lp_check_assert_hex (out->data, out->len, "0d04030201118877665544332211");

  fail_unless (lp_proto_reader_init (&reader, out->data, out->len, NULL));
  fail_unless (lp_proto_reader_next (&reader, &field, &wire_type, NULL));
  fail_unless (field == 1 && wire_type == LP_PROTO_WIRE_FIXED32);
  fail_unless (lp_proto_reader_read_fixed32 (&reader, &value32, NULL));
  fail_unless_equals_int (value32, 0x01020304);
  fail_unless (lp_proto_reader_next (&reader, &field, &wire_type, NULL));
  fail_unless (field == 2 && wire_type == LP_PROTO_WIRE_FIXED64);
  fail_unless (lp_proto_reader_read_fixed64 (&reader, &value64, NULL));
  fail_unless (value64 == G_GUINT64_CONSTANT (0x1122334455667788));
  fail_unless (lp_proto_reader_at_end (&reader));
  g_byte_array_unref (out);
}

GST_END_TEST;

/* Reads one field of @hex: its tag, then a varint */
static void
assert_reader_error (const gchar * hex, gint code, const gchar * fragment)
{
  GBytes *bytes = hex_bytes (hex);
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  LpProtoReader reader;
  guint32 field;
  LpProtoWireType wire_type;
  GError *error = NULL;
  gboolean ok;

  fail_unless (lp_proto_reader_init (&reader, data, length, NULL));
  ok = lp_proto_reader_next (&reader, &field, &wire_type, &error);
  while (ok && !lp_proto_reader_at_end (&reader)) {
    ok = lp_proto_reader_skip (&reader, field, wire_type, &error);
    if (ok && !lp_proto_reader_at_end (&reader))
      ok = lp_proto_reader_next (&reader, &field, &wire_type, &error);
  }
  if (ok && error == NULL)
    ok = lp_proto_reader_skip (&reader, field, wire_type, &error);
  fail_unless (!ok, "%s was read without error", hex);
  fail_unless (g_error_matches (error, LP_PROTO_ERROR, code),
      "%s: error %d (%s), expected %d", hex, error->code, error->message, code);
  fail_unless (strstr (error->message, fragment) != NULL,
      "%s: \"%s\" does not mention \"%s\"", hex, error->message, fragment);
  g_error_free (error);
  g_bytes_unref (bytes);
}

GST_START_TEST (test_reader_hostile)
{
  /* a varint that stops in the middle, at the tag and at the value */
  assert_reader_error ("96", LP_PROTO_ERROR_TRUNCATED, "byte 0");
  assert_reader_error ("0896", LP_PROTO_ERROR_TRUNCATED, "byte 1");
  /* eleven bytes, and ten whose last one overflows 64 bits */
  assert_reader_error ("08ffffffffffffffffffff01", LP_PROTO_ERROR_MALFORMED,
      "longer than 10 bytes");
  assert_reader_error ("08ffffffffffffffffff02", LP_PROTO_ERROR_MALFORMED,
      "over 64 bits");
  /* lengths past the end, a huge one included */
  assert_reader_error ("0a0561", LP_PROTO_ERROR_TRUNCATED,
      "length 5 runs past the end");
  assert_reader_error ("0affffffffffffffff7f", LP_PROTO_ERROR_TRUNCATED,
      "runs past the end");
  /* fixed values cut short */
  assert_reader_error ("0d010203", LP_PROTO_ERROR_TRUNCATED, "4-byte");
  assert_reader_error ("0901020304050607", LP_PROTO_ERROR_TRUNCATED, "8-byte");
  /* tags that are not tags */
  assert_reader_error ("0001", LP_PROTO_ERROR_MALFORMED, "field number 0");
  assert_reader_error ("8080808010", LP_PROTO_ERROR_MALFORMED,
      "field number 536870912");
  assert_reader_error ("0e", LP_PROTO_ERROR_MALFORMED, "wire type 6");
  assert_reader_error ("0f", LP_PROTO_ERROR_MALFORMED, "wire type 7");
  assert_reader_error ("0c", LP_PROTO_ERROR_MALFORMED, "without its start");
  /* groups: no end, the wrong end */
  assert_reader_error ("0b0801", LP_PROTO_ERROR_TRUNCATED, "has no end");
  assert_reader_error ("0b08011400", LP_PROTO_ERROR_MALFORMED,
      "ends as group 2");
}

GST_END_TEST;

GST_START_TEST (test_reader_limits)
{
  guint8 *big = g_malloc0 (LP_PROTO_MAX_MESSAGE_SIZE + 1);
  GByteArray *nested = g_byte_array_new ();
  LpProtoReader readers[LP_PROTO_MAX_DEPTH + 2];
  LpProtoReader reader;
  GError *error = NULL;
  guint32 field;
  LpProtoWireType wire_type;
  guint i;

  fail_if (lp_proto_reader_init (&reader, big, LP_PROTO_MAX_MESSAGE_SIZE + 1,
          &error));
  fail_unless (g_error_matches (error, LP_PROTO_ERROR,
          LP_PROTO_ERROR_TOO_LARGE));
  g_clear_error (&error);
  fail_unless (lp_proto_reader_init (&reader, big, LP_PROTO_MAX_MESSAGE_SIZE,
          NULL));

  /* LP_PROTO_MAX_DEPTH + 1 messages, each the field 1 of the one around it:
   * the reader enters the first LP_PROTO_MAX_DEPTH and refuses the last */
  for (i = 0; i <= LP_PROTO_MAX_DEPTH; i++) {
    GByteArray *outer = g_byte_array_new ();

    lp_proto_write_length_delimited (outer, 1, nested->data, nested->len);
    g_byte_array_unref (nested);
    nested = outer;
  }
  fail_unless (lp_proto_reader_init (&readers[0], nested->data, nested->len,
          NULL));
  for (i = 0; i < LP_PROTO_MAX_DEPTH; i++) {
    fail_unless (lp_proto_reader_next (&readers[i], &field, &wire_type, NULL));
    fail_unless (lp_proto_reader_enter (&readers[i], &readers[i + 1], NULL));
  }
  fail_unless (lp_proto_reader_next (&readers[i], &field, &wire_type, NULL));
  fail_if (lp_proto_reader_enter (&readers[i], &readers[i + 1], &error));
  fail_unless (g_error_matches (error, LP_PROTO_ERROR,
          LP_PROTO_ERROR_TOO_DEEP));
  g_clear_error (&error);

  g_byte_array_unref (nested);
  g_free (big);
}

GST_END_TEST;

/* Unknown groups nest too: 16 levels are skipped, 17 are too deep */
GST_START_TEST (test_deep_groups)
{
  GString *hex = g_string_new ("");
  guint i;
  LpProtoPingPong *ping;

  for (i = 0; i < LP_PROTO_MAX_DEPTH; i++)
    g_string_append (hex, "13");        /* start group 2 */
  for (i = 0; i < LP_PROTO_MAX_DEPTH; i++)
    g_string_append (hex, "14");        /* end group 2 */
  ping = decode_ok (DECODE (lp_proto_ping_pong), hex->str);
  fail_unless (ping->value == NULL);
  lp_proto_ping_pong_free (ping);

  g_string_prepend (hex, "13");
  g_string_append (hex, "14");
  assert_decode_error (DECODE (lp_proto_ping_pong), hex->str,
      LP_PROTO_ERROR_TOO_DEEP, "field 2: messages nest deeper than 16");
  g_string_free (hex, TRUE);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */

static LpProtoPayment *
make_payment (void)
{
  LpProtoPayment *payment = lp_proto_payment_new ();
  LpProtoTicketSenderParams *ticket = lp_proto_ticket_sender_params_new ();

  payment->ticket_params = lp_proto_ticket_params_new ();
  payment->ticket_params->recipient = hex_bytes ("11");
  payment->ticket_params->face_value = hex_bytes ("0de0b6b3a7640000");
  payment->ticket_params->expiration_params =
      lp_proto_ticket_expiration_params_new ();
  payment->ticket_params->expiration_params->creation_round = 7;
  payment->sender = hex_bytes ("22");
  ticket->sender_nonce = 3;
  ticket->sig = hex_bytes ("3333");
  g_ptr_array_add (payment->ticket_sender_params, ticket);
  g_ptr_array_add (payment->ticket_sender_params,
      lp_proto_ticket_sender_params_new ());
  payment->expected_price = lp_proto_price_info_new ();
  payment->expected_price->price_per_unit = -5;
  payment->expected_price->pixels_per_unit = 1;
  return payment;
}

/* Worked out by hand from lp_rpc.proto: Payment {1 ticket_params {1
 * recipient 11, 2 face_value 0de0b6b3a7640000, 7 expiration_params {1
 * creation_round 7}}, 2 sender 22, 4 {1 nonce 3, 2 sig 3333}, 4 {},
 * 5 {1 -5, 2 1}} */
GST_START_TEST (test_payment_round_trip)
{
  LpProtoPayment *payment = make_payment (), *back;
  GBytes *bytes = lp_proto_payment_encode (payment);
  GBytes *again;
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  assert_bytes_hex (bytes, "0a11" "0a0111" "12080de0b6b3a7640000" "3a020807"
      "120122" "2206" "0803" "12023333" "2200" "2a0d"
      "08fbffffffffffffffff01" "1001");

  back = lp_proto_payment_decode (data, length, NULL);
  fail_unless (back != NULL);
  fail_unless (g_bytes_equal (back->ticket_params->face_value,
          payment->ticket_params->face_value));
  fail_unless_equals_int (back->ticket_params->expiration_params->
      creation_round, 7);
  fail_unless (back->ticket_params->win_prob == NULL);
  fail_unless (back->expiration_params == NULL);
  fail_unless_equals_int (back->ticket_sender_params->len, 2);
  fail_unless_equals_int (((LpProtoTicketSenderParams *)
          g_ptr_array_index (back->ticket_sender_params, 0))->sender_nonce, 3);
  fail_unless_equals_int64 (back->expected_price->price_per_unit, -5);
  again = lp_proto_payment_encode (back);
  fail_unless (g_bytes_equal (again, bytes));

  g_bytes_unref (again);
  g_bytes_unref (bytes);
  lp_proto_payment_free (back);
  lp_proto_payment_free (payment);
}

GST_END_TEST;

/* Every strict prefix of a valid message either is a valid message (it
 * ends between fields) or fails cleanly; none crashes or reads past */
GST_START_TEST (test_every_prefix)
{
  LpProtoPayment *payment = make_payment ();
  GBytes *bytes = lp_proto_payment_encode (payment);
  gsize length, n;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  guint refused = 0;

  for (n = 0; n < length; n++) {
    guint8 *copy = g_memdup2 (data, n);
    GError *error = NULL;
    LpProtoPayment *back = lp_proto_payment_decode (copy, n, &error);

    if (back == NULL) {
      fail_unless (error != NULL && error->domain == LP_PROTO_ERROR);
      g_error_free (error);
      refused++;
    }
    lp_proto_payment_free (back);
    g_free (copy);
  }
  /* only the empty prefix and those ending after ticket_params, the
   * sender and each ticket are messages */
  fail_unless_equals_int (refused, length - 5);
  g_bytes_unref (bytes);
  lp_proto_payment_free (payment);
}

GST_END_TEST;

GST_START_TEST (test_error_paths)
{
  /* Payment.ticket_params.face_value, length 5 with 1 byte left */
  assert_decode_error (DECODE (lp_proto_payment), "0a03" "1205aa",
      LP_PROTO_ERROR_TRUNCATED, "ticket_params.face_value: length 5 runs "
      "past the end of the message (byte 4 of 5)");
  /* ticket_params announcing more than there is */
  assert_decode_error (DECODE (lp_proto_payment), "0a09" "1205aa",
      LP_PROTO_ERROR_TRUNCATED, "ticket_params: length 9");
  /* a truncated tag inside a sub-message is the sub-message's fault */
  assert_decode_error (DECODE (lp_proto_transcode_result), "820101" "80",
      LP_PROTO_ERROR_TRUNCATED, "info: varint at byte 3");
  /* three levels down: info.capabilities.constraints.minVersion */
  assert_decode_error (DECODE (lp_proto_payment_result),
      "8201" "06" "2a04" "2a02" "0a7f", LP_PROTO_ERROR_TRUNCATED,
      "info.capabilities.constraints.minVersion: length 127");
  /* a map's value: capacities {1: 2, 2: <LD>} */
  assert_decode_error (DECODE (lp_proto_capabilities), "1a04" "0802" "1200",
      LP_PROTO_ERROR_WIRE_TYPE, "capacities.value: arrives as a "
      "length-delimited field, but its type is always varint");
  /* an unknown field cut short names its number */
  assert_decode_error (DECODE (lp_proto_orchestrator_info),
      "0a0161" "3a05", LP_PROTO_ERROR_TRUNCATED, "field 7: length 5");
}

GST_END_TEST;

GST_START_TEST (test_wrong_wire_types)
{
  /* PriceInfo.pricePerUnit as bytes, AuthToken.token as a varint,
   * SegData.auth_token as a fixed32, VideoProfile.name as a fixed64 */
  assert_decode_error (DECODE (lp_proto_price_info), "0a0101",
      LP_PROTO_ERROR_WIRE_TYPE, "pricePerUnit: arrives as a "
      "length-delimited field");
  assert_decode_error (DECODE (lp_proto_auth_token), "0801",
      LP_PROTO_ERROR_WIRE_TYPE, "token: arrives as a varint field, but its "
      "type is always length-delimited");
  assert_decode_error (DECODE (lp_proto_seg_data), "4501020304",
      LP_PROTO_ERROR_WIRE_TYPE, "auth_token: arrives as a 32-bit field");
  assert_decode_error (DECODE (lp_proto_video_profile),
      "81010102030405060708", LP_PROTO_ERROR_WIRE_TYPE, "name: arrives as a "
      "64-bit field");
  /* a group where a message belongs */
  assert_decode_error (DECODE (lp_proto_transcode_result), "8301" "8401",
      LP_PROTO_ERROR_WIRE_TYPE, "info: arrives as a start-group field");
}

GST_END_TEST;

GST_START_TEST (test_strings)
{
  LpProtoAuthToken *token;

  /* not UTF-8, a lone continuation byte, an overlong form, a NUL */
  assert_decode_error (DECODE (lp_proto_auth_token), "1201ff",
      LP_PROTO_ERROR_INVALID_VALUE, "session_id: not UTF-8");
  assert_decode_error (DECODE (lp_proto_auth_token), "120261" "80",
      LP_PROTO_ERROR_INVALID_VALUE, "session_id: not UTF-8");
  assert_decode_error (DECODE (lp_proto_auth_token), "1202c0af",
      LP_PROTO_ERROR_INVALID_VALUE, "session_id: not UTF-8");
  assert_decode_error (DECODE (lp_proto_auth_token), "1203610062",
      LP_PROTO_ERROR_INVALID_VALUE, "session_id: not UTF-8 text without NUL");
  assert_decode_error (DECODE (lp_proto_orchestrator_info), "92020161"
      "920201fe", LP_PROTO_ERROR_INVALID_VALUE, "nodes: not UTF-8");

  /* bytes fields take anything; an empty string is the default, NULL */
  token = decode_ok (DECODE (lp_proto_auth_token), "0a0200ff" "1200"
      "12045a6fc3ab");
  assert_bytes_hex (token->token, "00ff");
  fail_unless_equals_string (token->session_id, "Zo\xc3\xab");
  lp_proto_auth_token_free (token);
  token = decode_ok (DECODE (lp_proto_auth_token), "120161" "1200");
  fail_unless (token->session_id == NULL);
  lp_proto_auth_token_free (token);
}

GST_END_TEST;

/* What a newer go-livepeer sends and we do not model is skipped: hardware
 * (7) and storage (32) of OrchestratorInfo, a group, a fixed64 */
GST_START_TEST (test_unknown_fields)
{
  LpProtoOrchestratorInfo *info = decode_ok (DECODE
      (lp_proto_orchestrator_info),
      "3a0a" "0a0474657874" "12026964"  /* 7 hardware {pipeline, model} */
      "0a0161"                  /* 1 transcoder "a" */
      "820204" "08011001"       /* 32 storage {1 S3, 2 ...} */
      "ab01" "0801" "ac01"      /* group 21 {1: 1} */
      "f1ffffff0f0102030405060708"      /* field 2^29 - 2, fixed64 */
      "920201" "62");           /* 34 nodes "b" */
  fail_unless_equals_string (info->transcoder, "a");
  fail_unless_equals_int (info->nodes->len, 1);
  fail_unless_equals_string (g_ptr_array_index (info->nodes, 0), "b");
  lp_proto_orchestrator_info_free (info);
}

GST_END_TEST;

GST_START_TEST (test_packed_or_not)
{
  LpProtoCapabilities *caps;

  /* bitstring: packed [5, 6], then 7 on its own, then packed [] */
  caps = decode_ok (DECODE (lp_proto_capabilities), "0a020506" "0807"
      "0a00" "1080808080808080808001");
  fail_unless_equals_int (caps->bitstring->len, 3);
  fail_unless (g_array_index (caps->bitstring, guint64, 2) == 7);
  fail_unless_equals_int (caps->mandatories->len, 1);
  fail_unless (g_array_index (caps->mandatories, guint64, 0) ==
      G_GUINT64_CONSTANT (0x8000000000000000));
  lp_proto_capabilities_free (caps);

  /* a packed run cut inside its last varint */
  assert_decode_error (DECODE (lp_proto_capabilities), "0a02" "0580",
      LP_PROTO_ERROR_TRUNCATED, "bitstring: varint at byte 3");
  /* packed run as a fixed32 */
  assert_decode_error (DECODE (lp_proto_capabilities), "0d01020304",
      LP_PROTO_ERROR_WIRE_TYPE, "bitstring: arrives as a 32-bit field");
}

GST_END_TEST;

/* A repeated map key keeps its last value; a missing member is its
 * default; a field repeated as a whole merges (sub-messages) or keeps the
 * last (scalars), as in protobuf */
GST_START_TEST (test_protobuf_merging)
{
  LpProtoCapabilities *caps;
  LpProtoCapabilityConstraints *per_capability;
  LpProtoModelConstraint *model;
  LpProtoPayment *payment;
  guint32 capacity;

  caps = decode_ok (DECODE (lp_proto_capabilities),
      "1a04" "080c1001" "1a04" "080c1005" "1a02" "0809" "1a00"
      "2a0c" "120a" "081b" "1206" "0a04" "0a026d31"
      "2a0f" "0a0131" "120a" "081b" "1206" "0a04" "0a026d32");
  fail_unless_equals_int (g_hash_table_size (caps->capacities), 3);
  fail_unless (lp_proto_capabilities_get_capacity (caps, 12, &capacity));
  fail_unless_equals_int (capacity, 5);
  fail_unless (lp_proto_capabilities_get_capacity (caps, 9, &capacity));
  fail_unless_equals_int (capacity, 0);
  fail_unless (lp_proto_capabilities_get_capacity (caps, 0, &capacity));
  fail_unless_equals_int (capacity, 0);
  fail_if (lp_proto_capabilities_get_capacity (caps, 1, NULL));
  fail_unless_equals_string (caps->constraints->min_version, "1");
  /* PerCapability {27: models {m1: {}}}, then {27: models {m2: {}}}: the
   * second entry replaces the first */
  per_capability = g_hash_table_lookup (caps->constraints->per_capability,
      GUINT_TO_POINTER (27));
  fail_unless (per_capability != NULL);
  fail_unless_equals_int (g_hash_table_size (per_capability->models), 1);
  model = g_hash_table_lookup (per_capability->models, "m2");
  fail_unless (model != NULL && !model->warm && model->runner_version == NULL);
  lp_proto_capabilities_free (caps);

  /* ticket_params twice: recipient from the first, face value from the
   * second; sender twice: the second */
  payment = decode_ok (DECODE (lp_proto_payment), "0a030a0111" "120122"
      "0a03120101" "120133");
  assert_bytes_hex (payment->ticket_params->recipient, "11");
  assert_bytes_hex (payment->ticket_params->face_value, "01");
  assert_bytes_hex (payment->sender, "33");
  lp_proto_payment_free (payment);
}

GST_END_TEST;

GST_START_TEST (test_oneof)
{
  LpProtoTranscodeResult *result = lp_proto_transcode_result_new ();
  GBytes *bytes;

  result->result = LP_PROTO_RESULT_ERROR;
  bytes = lp_proto_transcode_result_encode (result);
  assert_bytes_hex (bytes, "1200");
  g_bytes_unref (bytes);
  result->result = LP_PROTO_RESULT_DATA;
  bytes = lp_proto_transcode_result_encode (result);
  assert_bytes_hex (bytes, "1a00");
  g_bytes_unref (bytes);
  lp_proto_transcode_result_free (result);

  /* error, then data: data wins, and the other way round */
  result = decode_ok (DECODE (lp_proto_transcode_result),
      "12026f6f" "1a04" "12020102");
  fail_unless_equals_int (result->result, LP_PROTO_RESULT_DATA);
  fail_unless (result->error == NULL);
  assert_bytes_hex (result->data->sig, "0102");
  lp_proto_transcode_result_free (result);
  result = decode_ok (DECODE (lp_proto_transcode_result),
      "1a04" "12020102" "1200");
  fail_unless_equals_int (result->result, LP_PROTO_RESULT_ERROR);
  fail_unless (result->data == NULL && result->error == NULL);
  lp_proto_transcode_result_free (result);
}

GST_END_TEST;

/* 32-bit fields keep the low 32 bits of a wider varint, as protobuf does;
 * enums keep values they do not know */
GST_START_TEST (test_narrow_integers)
{
  LpProtoVideoProfile *profile = decode_ok (DECODE (lp_proto_video_profile),
      "8801" "8580808010" "a001" "ffffffffffffffffff01" "c801" "63");

  fail_unless_equals_int (profile->width, 5);
  fail_unless (profile->fps == G_MAXUINT32);
  fail_unless_equals_int (profile->encoder, 99);
  lp_proto_video_profile_free (profile);
}

GST_END_TEST;

GST_START_TEST (test_repeated_limits)
{
  GByteArray *out = g_byte_array_new ();
  GError *error = NULL;
  LpProtoPayment *payment;
  LpProtoCapabilities *caps;
  guint64 *words = g_new0 (guint64, LP_PROTO_MAX_REPEATED + 1);
  guint i;

  for (i = 0; i < LP_PROTO_MAX_REPEATED; i++)
    lp_proto_write_length_delimited (out, 4, NULL, 0);
  payment = lp_proto_payment_decode (out->data, out->len, NULL);
  fail_unless (payment != NULL);
  fail_unless_equals_int (payment->ticket_sender_params->len,
      LP_PROTO_MAX_REPEATED);
  lp_proto_payment_free (payment);
  lp_proto_write_length_delimited (out, 4, NULL, 0);
  payment = lp_proto_payment_decode (out->data, out->len, &error);
  fail_unless (payment == NULL);
  fail_unless (g_error_matches (error, LP_PROTO_ERROR,
          LP_PROTO_ERROR_TOO_LARGE));
  fail_unless (g_str_has_prefix (error->message, "ticket_sender_params: "
          "more than 1024"), "%s", error->message);
  g_clear_error (&error);

  g_byte_array_set_size (out, 0);
  lp_proto_write_packed_uint64_field (out, 1, words, LP_PROTO_MAX_REPEATED + 1);
  caps = lp_proto_capabilities_decode (out->data, out->len, &error);
  fail_unless (caps == NULL);
  fail_unless (g_error_matches (error, LP_PROTO_ERROR,
          LP_PROTO_ERROR_TOO_LARGE));
  g_clear_error (&error);

  g_free (words);
  g_byte_array_unref (out);
}

GST_END_TEST;

/* Random bytes and random damage to a valid message: every outcome is a
 * message or an LP_PROTO_ERROR, never a crash or a read out of bounds
 * (run it under valgrind or ASan to see the latter) */
GST_START_TEST (test_garbage)
{
  LpProtoPayment *payment = make_payment ();
  GBytes *valid = lp_proto_payment_encode (payment);
  gsize valid_length;
  const guint8 *valid_data = g_bytes_get_data (valid, &valid_length);
  GRand *rand = g_rand_new_with_seed (18);
  guint round;

  for (round = 0; round < 20000; round++) {
    guint8 buffer[96];
    gsize length;
    GError *error = NULL;
    gpointer results[4];
    guint i;

    if (round % 2) {
      length = g_rand_int_range (rand, 0, sizeof buffer);
      for (i = 0; i < length; i++)
        buffer[i] = (guint8) g_rand_int (rand);
    } else {
      length = valid_length;
      memcpy (buffer, valid_data, length);
      buffer[g_rand_int_range (rand, 0, length)] ^=
          (guint8) (1 << g_rand_int_range (rand, 0, 8));
    }
    results[0] = lp_proto_payment_decode (buffer, length, &error);
    fail_unless ((results[0] == NULL) == (error != NULL));
    g_clear_error (&error);
    results[1] = lp_proto_transcode_result_decode (buffer, length, NULL);
    results[2] = lp_proto_seg_data_decode (buffer, length, NULL);
    results[3] = lp_proto_capabilities_decode (buffer, length, NULL);
    lp_proto_payment_free (results[0]);
    lp_proto_transcode_result_free (results[1]);
    lp_proto_seg_data_free (results[2]);
    lp_proto_capabilities_free (results[3]);
  }

  g_rand_free (rand);
  g_bytes_unref (valid);
  lp_proto_payment_free (payment);
}

GST_END_TEST;

static Suite *
proto_suite (void)
{
  Suite *s = suite_create ("lpproto");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_varints);
  tcase_add_test (tc, test_defaults_not_written);
  tcase_add_test (tc, test_fixed_and_packed);
  tcase_add_test (tc, test_reader_hostile);
  tcase_add_test (tc, test_reader_limits);
  tcase_add_test (tc, test_deep_groups);
  tcase_add_test (tc, test_payment_round_trip);
  tcase_add_test (tc, test_every_prefix);
  tcase_add_test (tc, test_error_paths);
  tcase_add_test (tc, test_wrong_wire_types);
  tcase_add_test (tc, test_strings);
  tcase_add_test (tc, test_unknown_fields);
  tcase_add_test (tc, test_packed_or_not);
  tcase_add_test (tc, test_protobuf_merging);
  tcase_add_test (tc, test_oneof);
  tcase_add_test (tc, test_narrow_integers);
  tcase_add_test (tc, test_repeated_limits);
  tcase_add_test (tc, test_garbage);

  return s;
}

GST_CHECK_MAIN (proto);

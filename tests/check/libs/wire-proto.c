/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of lpwire-proto, the segment path in go-livepeer's protobuf
 * wire format: SegData, Payment and TranscodeResult through protobuf and
 * back into lpwire.h's structs (a signed segment still verifies),
 * go-livepeer's profile field order, each refusal with the field it names,
 * and byte vectors written by hand from the protobuf encoding rules.
 * crosscheck/lporchestrator-grpc checks the same path against
 * python3-protobuf.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpcheck.h"
#include <gst/livepeer/lpwire-proto.h>

#define KEY2_HEX \
  "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"

static LpSegData *
make_seg_data (void)
{
  LpSegData *seg = lp_seg_data_new ();
  guint i;

  seg->manifest_id = g_strdup ("stream-1");
  seg->seq = 42;
  seg->duration_ms = 2000;
  for (i = 0; i < LP_KECCAK256_SIZE; i++)
    seg->hash[i] = (guint8) i;
  g_ptr_array_add (seg->profiles, lp_profile_new ("P240p30fps16x9", 426, 240,
          600000, 30, 1, LP_H264_PROFILE_DEFAULT, LP_PROFILE_GOP_DEFAULT));
  g_ptr_array_add (seg->profiles, lp_profile_new ("custom", 640, 360, 900000,
          30000, 1001, LP_H264_PROFILE_MAIN, 1000));
  seg->auth_token.expiration = 1700000000;
  memset (seg->auth_token.token, 0x55, LP_AUTH_TOKEN_SIZE);
  strcpy (seg->auth_token.session_id, "0a1b2c3d");
  return seg;
}

/* @p through its protobuf bytes and back */
static LpProtoSegData *
seg_data_through_bytes (const LpProtoSegData * p)
{
  GBytes *bytes = lp_proto_seg_data_encode (p);
  LpProtoSegData *back = lp_proto_seg_data_decode (g_bytes_get_data (bytes,
          NULL), g_bytes_get_size (bytes), NULL);

  g_bytes_unref (bytes);
  fail_unless (back != NULL);
  return back;
}

GST_START_TEST (test_seg_data_round_trip)
{
  LpPrivateKey *key = lp_check_key_from_hex (KEY2_HEX);
  LpSegData *seg = make_seg_data (), *back;
  LpProtoSegData *p, *decoded;
  const LpProfile *a, *b;
  guint64 bits;

  fail_unless (lp_seg_data_sign (seg, key, NULL));
  p = lp_wire_seg_data_to_proto (seg);
  /* as go-livepeer's broadcaster: fullProfiles3, "invalid" in field 4,
   * the job's capabilities: H264, MPEGTS, fractional rate, Main, GOP,
   * AuthToken */
  fail_unless_equals_int (p->full_profiles3->len, 2);
  fail_unless_equals_int (p->full_profiles->len, 0);
  fail_unless (g_bytes_get_size (p->profiles) == 7
      && memcmp (g_bytes_get_data (p->profiles, NULL), "invalid", 7) == 0);
  bits = g_array_index (p->capabilities->bitstring, guint64, 0);
  fail_unless_equals_uint64 (bits, (1 << 0) | (1 << 1) | (1 << 3) | (1 << 8)
      | (1 << 11) | (1 << 12));

  decoded = seg_data_through_bytes (p);
  back = lp_wire_seg_data_from_proto (decoded, NULL);
  fail_unless (back != NULL);
  fail_unless_equals_string (back->manifest_id, "stream-1");
  fail_unless_equals_uint64 (back->seq, 42);
  fail_unless_equals_int (back->duration_ms, 2000);
  fail_unless (memcmp (back->hash, seg->hash, LP_KECCAK256_SIZE) == 0);
  fail_unless (memcmp (back->sig, seg->sig, LP_SIGNATURE_SIZE) == 0);
  fail_unless (memcmp (&back->auth_token, &seg->auth_token,
          sizeof (LpAuthToken)) == 0);
  fail_unless (back->capabilities == NULL);
  fail_unless_equals_int (back->profiles->len, 2);
  a = g_ptr_array_index (back->profiles, 0);
  b = g_ptr_array_index (back->profiles, 1);
  fail_unless_equals_string (a->name, "P240p30fps16x9");
  fail_unless (a->width == 426 && a->height == 240 && a->bitrate == 600000
      && a->fps_num == 30 && a->fps_den == 1);
  fail_unless_equals_string (b->name, "custom");
  fail_unless (b->fps_num == 30000 && b->fps_den == 1001
      && b->h264_profile == LP_H264_PROFILE_MAIN && b->gop_ms == 1000);
  /* the signed message is the same: it still verifies */
  fail_unless (lp_seg_data_verify (back, lp_private_key_get_address (key),
          NULL));

  lp_seg_data_free (back);
  lp_proto_seg_data_free (decoded);
  lp_proto_seg_data_free (p);
  lp_seg_data_free (seg);
  lp_private_key_unref (key);
}

GST_END_TEST;

static LpProtoVideoProfile *
proto_profile (const gchar * name)
{
  LpProtoVideoProfile *v = lp_proto_video_profile_new ();

  v->name = g_strdup (name);
  v->width = 256;
  v->height = 144;
  v->bitrate = 400000;
  v->fps = 30;
  return v;
}

/* go-livepeer's orchestrator reads fullProfiles3, then 2, then 1 */
GST_START_TEST (test_seg_data_profile_fields)
{
  LpSegData *seg = make_seg_data (), *back;
  LpProtoSegData *p = lp_wire_seg_data_to_proto (seg);

  g_ptr_array_add (p->full_profiles, proto_profile ("from33"));
  back = lp_wire_seg_data_from_proto (p, NULL);
  fail_unless_equals_string (((LpProfile *) g_ptr_array_index
          (back->profiles, 0))->name, "P240p30fps16x9");
  lp_seg_data_free (back);

  g_ptr_array_set_size (p->full_profiles3, 0);
  back = lp_wire_seg_data_from_proto (p, NULL);
  fail_unless_equals_int (back->profiles->len, 1);
  fail_unless_equals_string (((LpProfile *) g_ptr_array_index
          (back->profiles, 0))->name, "from33");
  lp_seg_data_free (back);

  lp_proto_seg_data_free (p);
  lp_seg_data_free (seg);
}

GST_END_TEST;

/* @p refused with @code, the message naming @field */
static void
assert_seg_refused (LpProtoSegData * p, gint code, const gchar * field)
{
  GError *error = NULL;

  fail_unless (lp_wire_seg_data_from_proto (p, &error) == NULL);
  fail_unless (g_error_matches (error, LP_WIRE_ERROR, code),
      "expected code %d for %s, got %s", code, field, error->message);
  fail_unless (strstr (error->message, field) != NULL, "'%s' does not name %s",
      error->message, field);
  g_error_free (error);
}

GST_START_TEST (test_seg_data_refusals)
{
  LpSegData *seg = make_seg_data (), *back;
  LpProtoSegData *p = lp_wire_seg_data_to_proto (seg);
  LpProtoVideoProfile *v = g_ptr_array_index (p->full_profiles3, 0);

  v->format = LP_PROTO_FORMAT_MP4;
  assert_seg_refused (p, LP_WIRE_ERROR_UNSUPPORTED, "format");
  v->format = LP_PROTO_FORMAT_MPEGTS;
  v->encoder = LP_PROTO_CODEC_H265;
  assert_seg_refused (p, LP_WIRE_ERROR_UNSUPPORTED, "encoder");
  v->encoder = LP_PROTO_CODEC_H264;
  v->profile = 9;
  assert_seg_refused (p, LP_WIRE_ERROR_INVALID_VALUE, "profile");
  v->profile = 0;
  v->width = -2;
  assert_seg_refused (p, LP_WIRE_ERROR_INVALID_VALUE, "width");
  v->width = 426;
  g_free (v->name);
  v->name = NULL;
  assert_seg_refused (p, LP_WIRE_ERROR_INVALID_VALUE, "name");
  v->name = g_strdup ("P240p30fps16x9");

  p->duration = -1;
  assert_seg_refused (p, LP_WIRE_ERROR_INVALID_VALUE, "invalid duration");
  p->duration = LP_WIRE_MAX_DURATION_MS + 1;
  assert_seg_refused (p, LP_WIRE_ERROR_INVALID_VALUE, "invalid duration");
  p->duration = 2000;
  p->segment_parameters = lp_proto_seg_parameters_new ();
  assert_seg_refused (p, LP_WIRE_ERROR_UNSUPPORTED, "segment_parameters");
  g_clear_pointer (&p->segment_parameters, lp_proto_seg_parameters_free);
  g_bytes_unref (p->hash);
  p->hash = g_bytes_new ("short", 5);
  assert_seg_refused (p, LP_WIRE_ERROR_INVALID_VALUE, "hash");
  g_bytes_unref (p->hash);
  p->hash = g_bytes_new (seg->hash, LP_KECCAK256_SIZE);
  g_clear_pointer (&p->manifest_id, g_bytes_unref);
  assert_seg_refused (p, LP_WIRE_ERROR_INVALID_VALUE, "manifestId");
  p->manifest_id = g_bytes_new ("m", 1);

  /* a pre-2019 profile list, with no fullProfiles */
  g_ptr_array_set_size (p->full_profiles3, 0);
  g_bytes_unref (p->profiles);
  p->profiles = g_bytes_new ("P720p30fps16x9", 14);
  assert_seg_refused (p, LP_WIRE_ERROR_UNSUPPORTED, "profiles");
  g_ptr_array_add (p->full_profiles, proto_profile ("P144p30fps16x9"));

  /* a signature of the wrong length reads as zeros (its check fails), an
   * absent auth token as zeros (the orchestrator says "missing") */
  g_bytes_unref (p->sig);
  p->sig = g_bytes_new ("short", 5);
  g_clear_pointer (&p->auth_token, lp_proto_auth_token_free);
  back = lp_wire_seg_data_from_proto (p, NULL);
  fail_unless (back != NULL);
  fail_unless (back->sig[0] == 0 && back->sig[64] == 0);
  fail_unless (back->auth_token.session_id[0] == '\0');
  lp_seg_data_free (back);

  lp_proto_seg_data_free (p);
  lp_seg_data_free (seg);
}

GST_END_TEST;

static LpPayment *
make_payment (guint n_tickets)
{
  LpPayment *payment = lp_payment_new ();
  guint i;

  memset (payment->sender.bytes, 0x2c, LP_ADDRESS_SIZE);
  payment->has_ticket_params = TRUE;
  memset (payment->ticket_params.recipient.bytes, 0xdf, LP_ADDRESS_SIZE);
  lp_uint256_from_uint64 (1200000000000000, &payment->ticket_params.face_value);
  lp_uint256_set_max (&payment->ticket_params.win_prob);
  memset (payment->ticket_params.recipient_rand_hash, 0xf3,
      LP_KECCAK256_SIZE);
  lp_uint256_from_uint64 (0x9f1c, &payment->ticket_params.seed);
  payment->ticket_params.expiration_block = 1040;
  payment->expiration_params.creation_round = 3000;
  memset (payment->expiration_params.creation_round_block_hash, 0x44,
      LP_KECCAK256_SIZE);
  payment->ticket_params.expiration_params = payment->expiration_params;
  for (i = 0; i < n_tickets; i++) {
    LpTicketSenderParams t = { i + 1, };

    memset (t.sig, 0x25 + i, LP_SIGNATURE_SIZE);
    g_array_append_val (payment->tickets, t);
  }
  payment->expected_price.price_per_unit = 1200;
  payment->expected_price.pixels_per_unit = 1;
  return payment;
}

GST_START_TEST (test_payment_round_trip)
{
  LpPayment *payment = make_payment (2), *back;
  LpProtoPayment *p = lp_wire_payment_to_proto (payment), *decoded;
  GBytes *bytes;
  guint i;

  /* as go-livepeer's broadcaster: the expiration params once, at the top;
   * big integers minimal big-endian */
  fail_unless (p->ticket_params->expiration_params == NULL);
  fail_unless_equals_int (p->expiration_params->creation_round, 3000);
  fail_unless_equals_int (g_bytes_get_size (p->ticket_params->seed), 2);
  fail_unless_equals_int (g_bytes_get_size (p->ticket_params->face_value), 7);
  fail_unless_equals_int (g_bytes_get_size
      (p->ticket_params->expiration_block), 2);

  bytes = lp_proto_payment_encode (p);
  decoded = lp_proto_payment_decode (g_bytes_get_data (bytes, NULL),
      g_bytes_get_size (bytes), NULL);
  back = lp_wire_payment_from_proto (decoded, NULL);
  fail_unless (back != NULL);
  fail_unless (lp_address_equal (&back->sender, &payment->sender));
  fail_unless (back->has_ticket_params);
  fail_unless (lp_address_equal (&back->ticket_params.recipient,
          &payment->ticket_params.recipient));
  fail_unless (lp_uint256_equal (&back->ticket_params.face_value,
          &payment->ticket_params.face_value));
  fail_unless (lp_uint256_equal (&back->ticket_params.win_prob,
          &payment->ticket_params.win_prob));
  fail_unless (lp_uint256_equal (&back->ticket_params.seed,
          &payment->ticket_params.seed));
  fail_unless (memcmp (back->ticket_params.recipient_rand_hash,
          payment->ticket_params.recipient_rand_hash, LP_KECCAK256_SIZE) == 0);
  fail_unless_equals_uint64 (back->ticket_params.expiration_block, 1040);
  fail_unless (memcmp (&back->expiration_params, &payment->expiration_params,
          sizeof (LpExpirationParams)) == 0);
  fail_unless_equals_int (back->tickets->len, 2);
  for (i = 0; i < 2; i++) {
    const LpTicketSenderParams *x = &g_array_index (back->tickets,
        LpTicketSenderParams, i), *y = &g_array_index (payment->tickets,
        LpTicketSenderParams, i);

    fail_unless (x->sender_nonce == y->sender_nonce
        && memcmp (x->sig, y->sig, LP_SIGNATURE_SIZE) == 0);
  }
  fail_unless_equals_uint64 (back->expected_price.price_per_unit, 1200);
  fail_unless_equals_uint64 (back->expected_price.pixels_per_unit, 1);

  lp_payment_free (back);
  lp_proto_payment_free (decoded);
  g_bytes_unref (bytes);
  lp_proto_payment_free (p);
  lp_payment_free (payment);
}

GST_END_TEST;

static void
assert_payment_refused (LpProtoPayment * p, gint code, const gchar * field)
{
  GError *error = NULL;

  fail_unless (lp_wire_payment_from_proto (p, &error) == NULL);
  fail_unless (g_error_matches (error, LP_WIRE_ERROR, code),
      "expected code %d for %s, got %s", code, field, error->message);
  fail_unless (strstr (error->message, field) != NULL, "'%s' does not name %s",
      error->message, field);
  g_error_free (error);
}

GST_START_TEST (test_payment_refusals)
{
  LpPayment *payment = make_payment (1), *back;
  LpProtoPayment *p = lp_wire_payment_to_proto (payment), *empty;
  guint8 wide[33];
  guint i;

  memset (wide, 1, sizeof (wide));
  g_bytes_unref (p->ticket_params->face_value);
  p->ticket_params->face_value = g_bytes_new (wide, sizeof (wide));
  assert_payment_refused (p, LP_WIRE_ERROR_INVALID_VALUE, "face_value");
  g_bytes_unref (p->ticket_params->face_value);
  p->ticket_params->face_value = g_bytes_new (wide, 8);
  g_bytes_unref (p->ticket_params->expiration_block);
  p->ticket_params->expiration_block = g_bytes_new (wide, 9);
  assert_payment_refused (p, LP_WIRE_ERROR_INVALID_VALUE, "expiration_block");
  g_clear_pointer (&p->ticket_params->expiration_block, g_bytes_unref);
  g_bytes_unref (p->sender);
  p->sender = g_bytes_new (wide, 19);
  assert_payment_refused (p, LP_WIRE_ERROR_INVALID_VALUE, "sender");
  g_bytes_unref (p->sender);
  p->sender = g_bytes_new (wide, 20);
  p->expected_price->price_per_unit = -1;
  assert_payment_refused (p, LP_WIRE_ERROR_INVALID_VALUE, "pricePerUnit");
  p->expected_price->price_per_unit = 1;
  for (i = 0; i < LP_WIRE_MAX_TICKETS_PER_PAYMENT; i++)
    g_ptr_array_add (p->ticket_sender_params,
        lp_proto_ticket_sender_params_new ());
  assert_payment_refused (p, LP_WIRE_ERROR_TOO_LARGE, "ticket_sender_params");
  g_ptr_array_set_size (p->ticket_sender_params, 1);
  g_clear_pointer (&p->ticket_params, lp_proto_ticket_params_free);
  assert_payment_refused (p, LP_WIRE_ERROR_MISSING, "ticket_params");

  /* go-livepeer's "no payment": an empty message, a zero sender */
  empty = lp_proto_payment_new ();
  back = lp_wire_payment_from_proto (empty, NULL);
  fail_unless (back != NULL && !back->has_ticket_params
      && back->tickets->len == 0);
  for (i = 0; i < LP_ADDRESS_SIZE; i++)
    fail_unless (back->sender.bytes[i] == 0);
  lp_payment_free (back);
  lp_proto_payment_free (empty);

  lp_proto_payment_free (p);
  lp_payment_free (payment);
}

GST_END_TEST;

/* Bytes written by hand from the protobuf encoding rules: tag = field
 * number << 3 | wire type */
GST_START_TEST (test_result_vectors)
{
  static const guint8 error_vector[] = { 0x08, 0x07, 0x12, 0x01, 'x' };
  LpTranscodeResult *result = lp_transcode_result_new (), *back;
  LpProtoTranscodeResult *p;
  GBytes *bytes;

  result->seq = 7;
  result->error = g_strdup ("x");
  p = lp_wire_transcode_result_to_proto (result);
  bytes = lp_proto_transcode_result_encode (p);
  fail_unless (g_bytes_get_size (bytes) == sizeof (error_vector)
      && memcmp (g_bytes_get_data (bytes, NULL), error_vector,
          sizeof (error_vector)) == 0);
  back = lp_wire_transcode_result_from_proto (p, NULL);
  fail_unless_equals_string (back->error, "x");
  lp_transcode_result_free (back);
  g_bytes_unref (bytes);
  lp_proto_transcode_result_free (p);
  lp_transcode_result_free (result);

  /* seq 1, data { segments { url "u", pixels 3 }, sig 65 x 0x01 } */
  result = lp_transcode_result_new ();
  result->seq = 1;
  lp_transcode_result_add_segment (result, "u", 3);
  memset (result->sig, 1, LP_SIGNATURE_SIZE);
  p = lp_wire_transcode_result_to_proto (result);
  bytes = lp_proto_transcode_result_encode (p);
  {
    const guint8 *data = g_bytes_get_data (bytes, NULL);
    static const guint8 head[] = { 0x08, 0x01, 0x1a, 0x4a, 0x0a, 0x05, 0x0a,
      0x01, 'u', 0x10, 0x03, 0x12, 0x41
    };
    guint i;

    fail_unless_equals_int (g_bytes_get_size (bytes), sizeof (head) + 65);
    fail_unless (memcmp (data, head, sizeof (head)) == 0);
    for (i = 0; i < 65; i++)
      fail_unless (data[sizeof (head) + i] == 1);
  }
  back = lp_wire_transcode_result_from_proto (p, NULL);
  fail_unless (back->error == NULL && back->segments->len == 1);
  fail_unless_equals_string (g_array_index (back->segments,
          LpTranscodedSegment, 0).url, "u");
  fail_unless_equals_uint64 (g_array_index (back->segments,
          LpTranscodedSegment, 0).pixels, 3);
  fail_unless (memcmp (back->sig, result->sig, LP_SIGNATURE_SIZE) == 0);
  lp_transcode_result_free (back);
  g_bytes_unref (bytes);
  lp_proto_transcode_result_free (p);
  lp_transcode_result_free (result);
}

GST_END_TEST;

GST_START_TEST (test_orchestrator_info)
{
  LpOrchestratorInfo *info = lp_orchestrator_info_new ();
  LpProtoOrchestratorInfo *p;

  info->transcoder = g_strdup ("https://127.0.0.1:8935");
  info->has_price_info = TRUE;
  info->price_info.price_per_unit = 1000;
  info->price_info.pixels_per_unit = 3;
  info->has_ticket_params = TRUE;
  /* a zero face value has no bytes at all (minimal big-endian) */
  lp_uint256_set_zero (&info->ticket_params.face_value);
  lp_uint256_from_uint64 (256, &info->ticket_params.win_prob);
  strcpy (info->auth_token.session_id, "abcd");
  p = lp_wire_orchestrator_info_to_proto (info);
  fail_unless_equals_string (p->transcoder, "https://127.0.0.1:8935");
  fail_unless (p->price_info->price_per_unit == 1000
      && p->price_info->pixels_per_unit == 3);
  fail_unless (p->ticket_params->face_value == NULL);
  fail_unless (g_bytes_get_size (p->ticket_params->win_prob) == 2
      && ((const guint8 *) g_bytes_get_data (p->ticket_params->win_prob,
              NULL))[0] == 1);
  fail_unless_equals_int (g_bytes_get_size
      (p->ticket_params->recipient_rand_hash), 32);
  fail_unless_equals_string (p->auth_token->session_id, "abcd");
  fail_unless (p->capabilities == NULL);
  lp_proto_orchestrator_info_free (p);
  lp_orchestrator_info_free (info);
}

GST_END_TEST;

/* The address of KEY2 as ethers' documentation gives it
 * (0x2c7536E3605D9C16a7a3D7b1898e529396a65c23), and bytes written by hand:
 * address (field 1), sig (2), capabilities (3) whose bitstring (1,
 * packed) is the one word 1 << 12 | 1 << 1 | 1 << 0 = 4099, varint 83 20 */
GST_START_TEST (test_orchestrator_request)
{
  static const guint8 address[] = { 0x2c, 0x75, 0x36, 0xe3, 0x60, 0x5d,
    0x9c, 0x16, 0xa7, 0xa3, 0xd7, 0xb1, 0x89, 0x8e, 0x52, 0x93, 0x96, 0xa6,
    0x5c, 0x23
  };
  static const guint8 tail[] = { 0x1a, 0x04, 0x0a, 0x02, 0x83, 0x20 };
  LpPrivateKey *key = lp_check_key_from_hex (KEY2_HEX);
  LpOrchestratorRequest *request = lp_orchestrator_request_new (), *back;
  LpProtoOrchestratorRequest *p, *decoded;
  gchar text[LP_ADDRESS_TEXT_SIZE];
  const guint8 *data;
  GBytes *bytes;
  GError *error = NULL;

  request->address = *lp_private_key_get_address (key);
  lp_address_format (&request->address, text);
  fail_unless (lp_sign_message (key, (const guint8 *) text, strlen (text),
          request->sig, NULL));
  p = lp_wire_orchestrator_request_to_proto (request);
  bytes = lp_proto_orchestrator_request_encode (p);
  data = g_bytes_get_data (bytes, NULL);
  fail_unless_equals_int (g_bytes_get_size (bytes), 2 + 20 + 2 + 65 + 6);
  fail_unless (data[0] == 0x0a && data[1] == 20);
  fail_unless (memcmp (data + 2, address, 20) == 0);
  fail_unless (data[22] == 0x12 && data[23] == 65);
  fail_unless (memcmp (data + 24, request->sig, 65) == 0);
  fail_unless (memcmp (data + 89, tail, sizeof (tail)) == 0);

  /* back, as the orchestrator reads it: the signature still verifies */
  decoded = lp_proto_orchestrator_request_decode (data,
      g_bytes_get_size (bytes), NULL);
  back = lp_wire_orchestrator_request_from_proto (decoded, NULL);
  fail_unless (back != NULL);
  fail_unless (lp_address_equal (&back->address, &request->address));
  fail_unless (lp_verify_message (&back->address, (const guint8 *) text,
          strlen (text), back->sig, LP_SIGNATURE_SIZE, NULL));
  lp_orchestrator_request_free (back);

  /* a short signature is refused with the field named */
  g_bytes_unref (decoded->sig);
  decoded->sig = g_bytes_new (data + 24, 64);
  fail_unless (lp_wire_orchestrator_request_from_proto (decoded,
          &error) == NULL);
  fail_unless (strstr (error->message, "sig") != NULL);
  g_clear_error (&error);
  lp_proto_orchestrator_request_free (decoded);

  g_bytes_unref (bytes);
  lp_proto_orchestrator_request_free (p);
  lp_orchestrator_request_free (request);
  lp_private_key_unref (key);
}

GST_END_TEST;

static LpOrchestratorInfo *
make_orchestrator_info (void)
{
  LpOrchestratorInfo *info = lp_orchestrator_info_new ();
  guint i;

  info->transcoder = g_strdup ("https://127.0.0.1:8935");
  for (i = 0; i < LP_ADDRESS_SIZE; i++)
    info->address.bytes[i] = (guint8) (0xa0 + i);
  info->has_price_info = TRUE;
  info->price_info.price_per_unit = 1000;
  info->price_info.pixels_per_unit = 3;
  info->has_ticket_params = TRUE;
  info->ticket_params.recipient = info->address;
  lp_uint256_from_uint64 (G_GUINT64_CONSTANT (1000000000000),
      &info->ticket_params.face_value);
  lp_uint256_from_uint64 (G_MAXUINT64, &info->ticket_params.win_prob);
  lp_uint256_from_uint64 (77, &info->ticket_params.seed);
  memset (info->ticket_params.recipient_rand_hash, 0x11, LP_KECCAK256_SIZE);
  info->ticket_params.expiration_block = 1040;
  info->ticket_params.expiration_params.creation_round = 3000;
  memset (info->ticket_params.expiration_params.creation_round_block_hash,
      0x22, LP_KECCAK256_SIZE);
  memset (info->auth_token.token, 0x33, LP_AUTH_TOKEN_SIZE);
  strcpy (info->auth_token.session_id, "abcd");
  info->auth_token.expiration = 1700000000;
  return info;
}

/* @info as an orchestrator writes it, through bytes, read as a
 * broadcaster reads it */
static LpOrchestratorInfo *
orchestrator_info_through_bytes (const LpOrchestratorInfo * info,
    GError ** error)
{
  LpProtoOrchestratorInfo *p = lp_wire_orchestrator_info_to_proto (info),
      *decoded;
  GBytes *bytes = lp_proto_orchestrator_info_encode (p);
  LpOrchestratorInfo *back;

  decoded = lp_proto_orchestrator_info_decode (g_bytes_get_data (bytes, NULL),
      g_bytes_get_size (bytes), NULL);
  fail_unless (decoded != NULL);
  back = lp_wire_orchestrator_info_from_proto (decoded, error);
  lp_proto_orchestrator_info_free (decoded);
  g_bytes_unref (bytes);
  lp_proto_orchestrator_info_free (p);
  return back;
}

GST_START_TEST (test_orchestrator_info_round_trip)
{
  LpOrchestratorInfo *info = make_orchestrator_info (), *back;
  LpProtoOrchestratorInfo *p;
  GError *error = NULL;

  back = orchestrator_info_through_bytes (info, NULL);
  fail_unless (back != NULL);
  fail_unless_equals_string (back->transcoder, info->transcoder);
  fail_unless (lp_address_equal (&back->address, &info->address));
  fail_unless (back->has_price_info && back->price_info.price_per_unit == 1000
      && back->price_info.pixels_per_unit == 3);
  fail_unless (back->has_ticket_params);
  fail_unless (memcmp (&back->ticket_params, &info->ticket_params,
          sizeof (LpTicketParams)) == 0);
  fail_unless (memcmp (&back->auth_token, &info->auth_token,
          sizeof (LpAuthToken)) == 0);
  fail_unless (back->capabilities == NULL);
  lp_orchestrator_info_free (back);

  /* the optional parts stay absent */
  info->has_price_info = FALSE;
  info->has_ticket_params = FALSE;
  back = orchestrator_info_through_bytes (info, NULL);
  fail_unless (back != NULL && !back->has_price_info
      && !back->has_ticket_params);
  lp_orchestrator_info_free (back);

  /* refusals name their field */
  p = lp_wire_orchestrator_info_to_proto (info);
  g_clear_pointer (&p->transcoder, g_free);
  fail_unless (lp_wire_orchestrator_info_from_proto (p, &error) == NULL);
  fail_unless (g_error_matches (error, LP_WIRE_ERROR, LP_WIRE_ERROR_MISSING)
      && strstr (error->message, "transcoder") != NULL);
  g_clear_error (&error);
  p->transcoder = g_strdup ("http://o");
  g_bytes_unref (p->address);
  p->address = g_bytes_new (info->address.bytes, 19);
  fail_unless (lp_wire_orchestrator_info_from_proto (p, &error) == NULL);
  fail_unless (strstr (error->message, "address") != NULL);
  g_clear_error (&error);
  g_bytes_unref (p->address);
  p->address = g_bytes_new (info->address.bytes, LP_ADDRESS_SIZE);
  g_clear_pointer (&p->auth_token, lp_proto_auth_token_free);
  fail_unless (lp_wire_orchestrator_info_from_proto (p, &error) == NULL);
  fail_unless (strstr (error->message, "auth_token") != NULL);
  g_clear_error (&error);
  p->auth_token = lp_wire_auth_token_to_proto (&info->auth_token);
  p->price_info = lp_proto_price_info_new ();
  p->price_info->price_per_unit = -1;
  fail_unless (lp_wire_orchestrator_info_from_proto (p, &error) == NULL);
  fail_unless (strstr (error->message, "pricePerUnit") != NULL);
  g_clear_error (&error);
  lp_proto_orchestrator_info_free (p);
  lp_orchestrator_info_free (info);
}

GST_END_TEST;

/* The header values a broadcaster sends read back as the orchestrator
 * reads them: base64 of protobuf, told apart from JSON, a signed segment
 * still verifying and a payment whole */
GST_START_TEST (test_proto_headers)
{
  LpPrivateKey *key = lp_check_key_from_hex (KEY2_HEX);
  LpSegData *seg = make_seg_data (), *seg_back;
  LpPayment *payment = make_payment (3), *payment_back;
  gchar *seg_header, *payment_header;
  GBytes *bytes;
  LpProtoSegData *seg_p = NULL;
  GError *error = NULL;

  fail_unless (lp_seg_data_sign (seg, key, NULL));
  seg_header = lp_wire_seg_data_to_proto_header (seg);
  bytes = lp_wire_header_decode_bytes (seg_header, "Livepeer-Segment", NULL);
  seg_back = lp_wire_seg_data_from_proto_bytes (bytes, &seg_p, NULL);
  g_bytes_unref (bytes);
  fail_unless (seg_back != NULL);
  /* the message itself, for what LpSegData does not carry */
  fail_unless (seg_p != NULL && seg_p->seq == (gint64) seg_back->seq);
  fail_unless (lp_seg_data_verify (seg_back, lp_private_key_get_address (key),
          NULL));

  payment_header = lp_wire_payment_to_proto_header (payment);
  bytes = lp_wire_header_decode_bytes (payment_header, "Livepeer-Payment",
      NULL);
  payment_back = lp_wire_payment_from_proto_bytes (bytes, NULL);
  g_bytes_unref (bytes);
  fail_unless (payment_back != NULL);
  fail_unless_equals_int (payment_back->tickets->len, 3);
  fail_unless (memcmp (g_array_index (payment_back->tickets,
              LpTicketSenderParams, 2).sig, g_array_index (payment->tickets,
              LpTicketSenderParams, 2).sig, LP_SIGNATURE_SIZE) == 0);
  fail_unless (lp_address_equal (&payment_back->sender, &payment->sender));

  /* bytes that are not the message: NULL, the error, no message */
  bytes = g_bytes_new_static ("\x0a\x05" "ab", 4);   /* truncated */
  lp_proto_seg_data_free (seg_p);
  seg_p = (LpProtoSegData *) 1;
  fail_unless (lp_wire_seg_data_from_proto_bytes (bytes, &seg_p,
          &error) == NULL);
  fail_unless (seg_p == NULL && error != NULL);
  g_clear_error (&error);
  fail_unless (lp_wire_payment_from_proto_bytes (bytes, &error) == NULL);
  fail_unless (error != NULL);
  g_clear_error (&error);
  g_bytes_unref (bytes);

  lp_payment_free (payment_back);
  g_free (payment_header);
  lp_payment_free (payment);
  lp_seg_data_free (seg_back);
  g_free (seg_header);
  lp_seg_data_free (seg);
  lp_private_key_unref (key);
}

GST_END_TEST;

/* A result carries the refreshed info: read back with it, and a bad info
 * fails the result with the path named */
GST_START_TEST (test_result_info)
{
  LpTranscodeResult *result = lp_transcode_result_new (), *back;
  LpProtoTranscodeResult *p;
  GError *error = NULL;

  result->seq = 5;
  lp_transcode_result_add_segment (result, "https://o/stream/a/5.ts", 100);
  lp_transcode_result_add_segment (result, "https://o/stream/b/5.ts", 200);
  memset (result->sig, 7, LP_SIGNATURE_SIZE);
  result->info = make_orchestrator_info ();
  p = lp_wire_transcode_result_to_proto (result);
  back = lp_wire_transcode_result_from_proto (p, NULL);
  fail_unless (back != NULL && back->info != NULL);
  fail_unless_equals_int (back->segments->len, 2);
  fail_unless_equals_string (g_array_index (back->segments,
          LpTranscodedSegment, 1).url, "https://o/stream/b/5.ts");
  fail_unless (memcmp (&back->info->ticket_params,
          &result->info->ticket_params, sizeof (LpTicketParams)) == 0);
  fail_unless_equals_string (back->info->auth_token.session_id, "abcd");
  lp_transcode_result_free (back);

  g_clear_pointer (&p->info->auth_token, lp_proto_auth_token_free);
  fail_unless (lp_wire_transcode_result_from_proto (p, &error) == NULL);
  fail_unless (g_str_has_prefix (error->message, "info: "));
  g_clear_error (&error);
  lp_proto_transcode_result_free (p);
  lp_transcode_result_free (result);
}

GST_END_TEST;

static Suite *
wire_proto_suite (void)
{
  Suite *s = suite_create ("lpwire-proto");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_seg_data_round_trip);
  tcase_add_test (tc, test_seg_data_profile_fields);
  tcase_add_test (tc, test_seg_data_refusals);
  tcase_add_test (tc, test_payment_round_trip);
  tcase_add_test (tc, test_payment_refusals);
  tcase_add_test (tc, test_result_vectors);
  tcase_add_test (tc, test_orchestrator_info);
  tcase_add_test (tc, test_orchestrator_request);
  tcase_add_test (tc, test_orchestrator_info_round_trip);
  tcase_add_test (tc, test_proto_headers);
  tcase_add_test (tc, test_result_info);
  return s;
}

GST_CHECK_MAIN (wire_proto);

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of lpwire: round trips of the readable JSON form (what lpctl
 * prints and reads, what lpverify's transcode-result holds), the segment
 * and result signature vectors of docs/design/protocol.md §8, the §7
 * Payment example, every validation limit and type error (with the field
 * named in the message), the base64 decoding of the header values, and
 * auth tokens.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpcheck.h"
#include <gst/livepeer/lpwire.h>
#include <gst/livepeer/lpwire-proto.h>

#define KEY2_HEX \
  "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
#define KEY2_ADDRESS "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"
#define WIN_PROB \
  "771947261582107969490473233391252719021799897770937093596383896000000000"
#define HASH44 \
  "0x4444444444444444444444444444444444444444444444444444444444444444"
#define SIG65 \
  "0x25535c5db03aa05e8ab66afa054dd4b5d11920371f752e768fdcbe9beb7a2a68" \
  "76b87e3588712b4795207a8ccf4f49b1c896cb8503ee8d60addf53799a88c7731c"
#define TOKEN32 \
  "0x5555555555555555555555555555555555555555555555555555555555555555"

/* The §7 example with its elisions filled in */
static const gchar payment_example[] =
    "{\n"
    "  \"sender\": \"0x2c7536E3605D9C16a7a3D7b1898e529396a65c23\",\n"
    "  \"ticket_params\": {\n"
    "    \"recipient\": \"0xdf4e2Cdd095495eC7A422a0f0866593c668C19EF\",\n"
    "    \"face_value\": \"1200000000000000\",\n"
    "    \"win_prob\": \"" WIN_PROB "\",\n"
    "    \"recipient_rand_hash\": \"0xf395757e0d74803aae4e8adb875451d99622e9"
    "11b61c64e044e0bd16a16f18cd\",\n"
    "    \"seed\": \"0x9f1c0000000000000000000000000000"
    "00000000000000000000000000000001\",\n"
    "    \"expiration_block\": 1040\n"
    "  },\n"
    "  \"expiration_params\": {\n"
    "    \"creation_round\": 3000,\n"
    "    \"creation_round_block_hash\": \"" HASH44 "\"\n"
    "  },\n"
    "  \"ticket_sender_params\": [ { \"sender_nonce\": 1, \"sig\": \"" SIG65
    "\" } ],\n"
    "  \"expected_price\": { \"price_per_unit\": 1200, \"pixels_per_unit\": 1 }\n"
    "}\n";

static const gchar seg_example[] =
    "{\"manifest_id\":\"abcd\",\"seq\":7,"
    "\"hash\":\"0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8\","
    "\"sig\":\"" SIG65 "\",\"duration\":2000,"
    "\"profiles\":[{\"name\":\"P720p30fps16x9\",\"width\":1280,\"height\":720,"
    "\"bitrate\":6000000,\"fps\":30,\"fps_den\":1,\"profile\":0,\"gop\":0},"
    "{\"name\":\"P360p30fps16x9\",\"width\":640,\"height\":360,"
    "\"bitrate\":1200000,\"fps\":30,\"fps_den\":1,\"profile\":2,\"gop\":-1}],"
    "\"capabilities\":{\"bitstring\":[4095],\"version\":\"0.8.0\"},"
    "\"auth_token\":{\"token\":\"" TOKEN32 "\",\"session_id\":\"abcd1234\","
    "\"expiration\":1700000000}}";

static const gchar info_example[] =
    "{\"transcoder\":\"https://127.0.0.1:8935\","
    "\"ticket_params\":{\"recipient\":\"0x1111111111111111111111111111111111111111\","
    "\"face_value\":\"1200000000000000\",\"win_prob\":\"" WIN_PROB "\","
    "\"recipient_rand_hash\":\"" HASH44 "\",\"seed\":\"0x01\","
    "\"expiration_block\":1040,\"expiration_params\":{\"creation_round\":3000,"
    "\"creation_round_block_hash\":\"" HASH44 "\"}},"
    "\"price_info\":{\"price_per_unit\":1200,\"pixels_per_unit\":1},"
    "\"address\":\"0x2c7536e3605d9c16a7a3d7b1898e529396a65c23\","
    "\"auth_token\":{\"token\":\"" TOKEN32 "\",\"session_id\":\"abcd1234\","
    "\"expiration\":1700000000}}";

static const gchar result_example[] =
    "{\"seq\":7,\"data\":{\"segments\":[{\"url\":\"https://o/stream/s/P720p30fps16x9/7.ts\","
    "\"pixels\":27648000},{\"pixels\":6912000}],\"sig\":\"" SIG65 "\"}}";

static void
parse_address (const gchar * text, LpAddress * address)
{
  fail_unless (lp_address_parse (text, address, NULL));
}

static void
parse_uint256 (const gchar * text, LpUint256 * value)
{
  fail_unless (lp_uint256_parse (text, value, NULL));
}

/* base with the first occurrence of @from replaced by @to */
static gchar *
replace (const gchar * base, const gchar * from, const gchar * to)
{
  const gchar *at = strstr (base, from);

  fail_unless (at != NULL, "'%s' not in the base text", from);
  return g_strdup_printf ("%.*s%s%s", (int) (at - base), base, to,
      at + strlen (from));
}

typedef gpointer (*DecodeFunc) (const gchar * data, gssize length,
    GError ** error);
typedef void (*FreeFunc) (gpointer object);

/* Decoding @json must fail with @code and a message starting with
 * @prefix. */
static void
expect_fail (DecodeFunc decode, const gchar * json, gint code,
    const gchar * prefix)
{
  GError *error = NULL;
  gpointer object = decode (json, -1, &error);

  fail_unless (object == NULL, "decoding succeeded, expected '%s'", prefix);
  fail_unless (error != NULL);
  fail_unless (error->domain == LP_WIRE_ERROR, "domain %s: %s",
      g_quark_to_string (error->domain), error->message);
  fail_unless (g_str_has_prefix (error->message, prefix),
      "message '%s' does not start with '%s'", error->message, prefix);
  fail_unless_equals_int (error->code, code);
  g_error_free (error);
}

static void
expect_ok (DecodeFunc decode, FreeFunc free_func, const gchar * json)
{
  GError *error = NULL;
  gpointer object = decode (json, -1, &error);

  fail_unless (object != NULL, "%s", error ? error->message : "");
  free_func (object);
}

#define PAYMENT (DecodeFunc) lp_wire_payment_from_json
#define SEG (DecodeFunc) lp_wire_seg_data_from_json
#define INFO (DecodeFunc) lp_wire_orchestrator_info_from_json
#define RESULT (DecodeFunc) lp_wire_transcode_result_from_json

/* expect_fail on base with @from replaced by @to */
static void
expect_fail_r (DecodeFunc decode, const gchar * base, const gchar * from,
    const gchar * to, gint code, const gchar * prefix)
{
  gchar *json = replace (base, from, to);

  expect_fail (decode, json, code, prefix);
  g_free (json);
}

static void
expect_ok_r (DecodeFunc decode, FreeFunc free_func, const gchar * base,
    const gchar * from, const gchar * to)
{
  gchar *json = replace (base, from, to);

  expect_ok (decode, free_func, json);
  g_free (json);
}

/* One case of a validation table: the base text with its first @from
 * replaced by @to (the text @to alone where @from is WHOLE) must fail to
 * decode with @code and a message starting with @prefix, or decode where
 * the case is ACCEPTED (no prefix). */
typedef struct
{
  const gchar *from;
  const gchar *to;
  gint code;
  const gchar *prefix;
} Mutation;

#define WHOLE NULL
#define ACCEPTED 0, NULL

static void
check_mutations (DecodeFunc decode, FreeFunc free_func, const gchar * base,
    const Mutation * cases, gsize n_cases)
{
  gsize i;

  for (i = 0; i < n_cases; i++) {
    const Mutation *m = &cases[i];
    gchar *json = m->from ? replace (base, m->from, m->to) : g_strdup (m->to);

    if (m->prefix)
      expect_fail (decode, json, m->code, m->prefix);
    else
      expect_ok (decode, free_func, json);
    g_free (json);
  }
}

/* ---- docs/design/protocol.md §8 vectors ---- */

static LpSegData *
vector_segment (void)
{
  LpSegData *seg = lp_seg_data_new ();

  seg->manifest_id = g_strdup ("abcd");
  seg->seq = 7;
  lp_keccak256 ((const guint8 *) "hello", 5, seg->hash);
  g_ptr_array_add (seg->profiles,
      lp_profile_copy (lp_profile_get_preset ("P720p30fps16x9")));
  g_ptr_array_add (seg->profiles,
      lp_profile_copy (lp_profile_get_preset ("P360p30fps16x9")));
  return seg;
}

GST_START_TEST (test_segment_vector)
{
  LpSegData *seg = vector_segment ();
  LpPrivateKey *key = lp_check_key_from_hex (KEY2_HEX);
  guint8 hash[32], digest[32];
  const guint8 *data;
  GError *error = NULL;
  LpAddress signer;
  GBytes *msg;
  gsize n;

  msg = lp_seg_data_signed_message (seg);
  data = g_bytes_get_data (msg, &n);
  fail_unless_equals_int (n, 84);
  fail_unless (memcmp (data, "abcd", 4) == 0);
  fail_unless (memcmp (data + 68, "49d54ea993c717e7", 16) == 0);
  lp_keccak256 (data, n, hash);
  lp_check_assert_hex (hash, 32,
      "eeb0a68f4466ca0c6dd1b1640276c9085f06e25d31abbf8cb62b4e4fee65a770");
  lp_personal_digest (hash, digest);
  lp_check_assert_hex (digest, 32,
      "bf7d48706f6c3a634e44770cf07c8835b3f61b253245e432e0ba49bf9ce59902");
  g_bytes_unref (msg);

  /* sign, recover, verify; the signature is the message signature */
  fail_unless (lp_seg_data_sign (seg, key, &error));
  fail_unless (lp_recover_digest (digest, seg->sig, 65, &signer, NULL));
  fail_unless (lp_address_equal (&signer, lp_private_key_get_address (key)));
  fail_unless (lp_seg_data_recover_signer (seg, &signer, &error));
  fail_unless (lp_address_equal (&signer, lp_private_key_get_address (key)));
  fail_unless (lp_seg_data_verify (seg, lp_private_key_get_address (key),
          &error));

  /* each signed field matters */
  seg->seq = 8;
  fail_if (lp_seg_data_verify (seg, lp_private_key_get_address (key), &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_WRONG_SIGNER));
  g_clear_error (&error);
  seg->seq = 7;
  g_free (((LpProfile *) g_ptr_array_index (seg->profiles, 1))->name);
  ((LpProfile *) g_ptr_array_index (seg->profiles, 1))->name =
      g_strdup ("P240p30fps16x9");
  fail_if (lp_seg_data_verify (seg, lp_private_key_get_address (key), NULL));
  seg->sig[64] = 0;
  fail_if (lp_seg_data_recover_signer (seg, &signer, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_INVALID_SIGNATURE));
  g_clear_error (&error);

  lp_private_key_unref (key);
  lp_seg_data_free (seg);
}

GST_END_TEST;

GST_START_TEST (test_result_vector)
{
  LpPrivateKey *key = lp_check_key_from_hex (KEY2_HEX);
  LpTranscodeResult *result = lp_transcode_result_new ();
  GBytes *r[2];
  guint8 hash[32], digest[32], hashes[64];
  GError *error = NULL;
  LpAddress signer;

  r[0] = g_bytes_new_static ("rendition-one", 13);
  r[1] = g_bytes_new_static ("rendition-two", 13);
  lp_transcode_result_hash (r, 2, hash);
  lp_check_assert_hex (hash, 32,
      "93712e35ddb18ec5abb0b96db85b7e5215883003258936121c54b46d3599d914");
  lp_personal_digest (hash, digest);
  lp_check_assert_hex (digest, 32,
      "66319756f17d75d4d2493893af141afd7622bfd26ed45de7af929172c998ab7a");
  lp_keccak256 ((const guint8 *) "rendition-one", 13, hashes);
  lp_keccak256 ((const guint8 *) "rendition-two", 13, hashes + 32);
  memset (hash, 0, sizeof (hash));
  lp_transcode_result_hash_combine (hashes, 2, hash);
  lp_check_assert_hex (hash, 32,
      "93712e35ddb18ec5abb0b96db85b7e5215883003258936121c54b46d3599d914");

  lp_transcode_result_add_segment (result, NULL, 100);
  lp_transcode_result_add_segment (result, NULL, 200);
  fail_unless (lp_transcode_result_sign (result, key, r, 2, &error));
  /* a hash signature: the digest is personal_digest(H) */
  fail_unless (lp_recover_digest (digest, result->sig, 65, &signer, NULL));
  fail_unless (lp_address_equal (&signer, lp_private_key_get_address (key)));
  fail_unless (lp_transcode_result_verify (result,
          lp_private_key_get_address (key), r, 2, &error));

  /* renditions swapped: refused */
  {
    GBytes *swapped[2] = { r[1], r[0] };

    fail_if (lp_transcode_result_verify (result,
            lp_private_key_get_address (key), swapped, 2, &error));
    fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
            LP_CRYPTO_ERROR_WRONG_SIGNER));
    g_clear_error (&error);
  }
  /* one rendition missing */
  fail_if (lp_transcode_result_verify (result,
          lp_private_key_get_address (key), r, 1, &error));
  fail_unless (g_error_matches (error, LP_WIRE_ERROR,
          LP_WIRE_ERROR_INVALID_VALUE));
  fail_unless (strstr (error->message, "data.segments") != NULL);
  g_clear_error (&error);
  /* an error result carries nothing signed */
  result->error = g_strdup ("OrchestratorBusy");
  fail_if (lp_transcode_result_verify (result,
          lp_private_key_get_address (key), r, 2, &error));
  fail_unless (g_error_matches (error, LP_WIRE_ERROR,
          LP_WIRE_ERROR_INVALID_VALUE));
  g_clear_error (&error);

  g_bytes_unref (r[0]);
  g_bytes_unref (r[1]);
  lp_transcode_result_free (result);
  lp_private_key_unref (key);
}

GST_END_TEST;

/* ---- §7 example and ticket vector through the wire ---- */

GST_START_TEST (test_payment_example)
{
  GError *error = NULL;
  LpPayment *payment = lp_wire_payment_from_json (payment_example, -1,
      &error);
  const LpTicketSenderParams *tsp;
  LpAddress address;
  LpUint256 value;
  gchar *text;

  fail_unless (payment != NULL, "%s", error ? error->message : "");
  parse_address (KEY2_ADDRESS, &address);
  fail_unless (lp_address_equal (&payment->sender, &address));
  fail_unless (payment->has_ticket_params);
  parse_address ("0xdf4e2cdd095495ec7a422a0f0866593c668c19ef", &address);
  fail_unless (lp_address_equal (&payment->ticket_params.recipient, &address));
  parse_uint256 ("1200000000000000", &value);
  fail_unless (lp_uint256_equal (&payment->ticket_params.face_value, &value));
  text = lp_uint256_to_string (&payment->ticket_params.win_prob);
  fail_unless_equals_string (text, WIN_PROB);
  g_free (text);
  lp_check_assert_hex (payment->ticket_params.recipient_rand_hash, 32,
      "f395757e0d74803aae4e8adb875451d99622e911b61c64e044e0bd16a16f18cd");
  text = lp_uint256_to_hex (&payment->ticket_params.seed);
  fail_unless (strstr (text, "9f1c") != NULL, "%s", text);
  g_free (text);
  fail_unless_equals_uint64 (payment->ticket_params.expiration_block, 1040);
  fail_unless (lp_expiration_params_is_empty
      (&payment->ticket_params.expiration_params));
  fail_unless_equals_uint64 (payment->expiration_params.creation_round, 3000);
  lp_check_assert_hex (payment->expiration_params.creation_round_block_hash, 32,
      HASH44 + 2);
  fail_unless_equals_int (payment->tickets->len, 1);
  tsp = &g_array_index (payment->tickets, LpTicketSenderParams, 0);
  fail_unless_equals_int (tsp->sender_nonce, 1);
  lp_check_assert_hex (tsp->sig, 65, SIG65 + 2);
  fail_unless_equals_uint64 (payment->expected_price.price_per_unit, 1200);
  fail_unless_equals_uint64 (payment->expected_price.pixels_per_unit, 1);

  /* re-encoded: EIP-55 addresses, numbers and strings as §7 */
  text = lp_wire_payment_to_json (payment);
  fail_unless (strstr (text,
          "\"recipient\":\"0xdf4e2Cdd095495eC7A422a0f0866593c668C19EF\""));
  fail_unless (strstr (text, "\"face_value\":\"1200000000000000\""));
  fail_unless (strstr (text, "\"expiration_block\":1040"));
  fail_unless (strstr (text, "\"creation_round\":3000"));
  fail_unless (strstr (text, "\"sender_nonce\":1,"));
  fail_unless (strstr (text, "\"price_per_unit\":1200"));
  fail_unless (strstr (text, "\"seed\":\"0x9f1c0000"));
  g_free (text);
  lp_payment_free (payment);
}

GST_END_TEST;

GST_START_TEST (test_payment_ticket_vector)
{
  /* §8's ticket, carried by a payment: the wire maps to the hashed fields */
  static const gchar json[] =
      "{\"sender\":\"0x2222222222222222222222222222222222222222\","
      "\"ticket_params\":{\"recipient\":\"0x1111111111111111111111111111111111111111\","
      "\"face_value\":\"1200000000000000\",\"win_prob\":\"" WIN_PROB "\","
      "\"recipient_rand_hash\":\"0x3333333333333333333333333333333333333333333333333333333333333333\","
      "\"seed\":\"0x\",\"expiration_block\":1040},"
      "\"expiration_params\":{\"creation_round\":3000,"
      "\"creation_round_block_hash\":\"" HASH44 "\"},"
      "\"ticket_sender_params\":[{\"sender_nonce\":1,\"sig\":\"" SIG65 "\"}],"
      "\"expected_price\":{\"price_per_unit\":1200,\"pixels_per_unit\":1}}";
  GError *error = NULL;
  LpPayment *payment = lp_wire_payment_from_json (json, -1, &error);
  LpTicket ticket;
  guint8 hash[32];

  fail_unless (payment != NULL, "%s", error ? error->message : "");
  fail_unless (lp_uint256_is_zero (&payment->ticket_params.seed));
  lp_payment_get_ticket (payment, 0, &ticket);
  lp_ticket_hash (&ticket, hash);
  lp_check_assert_hex (hash, 32,
      "6ee25348ca6fa4b7655841bf1599f3da736d4edfc23d44f6118a5565df1c2888");
  lp_payment_free (payment);
}

GST_END_TEST;

/* ---- round trips ---- */

static LpPayment *
make_payment (guint n_tickets)
{
  LpPayment *payment = lp_payment_new ();
  guint i;

  parse_address (KEY2_ADDRESS, &payment->sender);
  payment->has_ticket_params = TRUE;
  parse_address ("0x1111111111111111111111111111111111111111",
      &payment->ticket_params.recipient);
  parse_uint256 ("1200000000000000", &payment->ticket_params.face_value);
  lp_uint256_set_max (&payment->ticket_params.win_prob);
  memset (payment->ticket_params.recipient_rand_hash, 0x33, 32);
  parse_uint256 ("0x9f1c", &payment->ticket_params.seed);
  payment->ticket_params.expiration_block = G_MAXUINT64;
  payment->expiration_params.creation_round = 3000;
  memset (payment->expiration_params.creation_round_block_hash, 0x44, 32);
  payment->expected_price.price_per_unit = 1200;
  payment->expected_price.pixels_per_unit = 3;
  for (i = 0; i < n_tickets; i++) {
    LpTicketSenderParams tsp;

    tsp.sender_nonce = G_MAXUINT32 - i;
    memset (tsp.sig, (int) i, sizeof (tsp.sig));
    g_array_append_val (payment->tickets, tsp);
  }
  return payment;
}

/* A Livepeer-Payment value (base64 of protobuf) read back as the
 * orchestrator does */
static LpPayment *
payment_from_proto_header (const gchar * header, GError ** error)
{
  g_autoptr (GBytes) bytes = lp_wire_header_decode_bytes (header,
      "Livepeer-Payment", error);
  g_autoptr (LpProtoPayment) p = NULL;

  if (bytes == NULL)
    return NULL;
  p = lp_proto_payment_decode (g_bytes_get_data (bytes, NULL),
      g_bytes_get_size (bytes), error);
  return p != NULL ? lp_wire_payment_from_proto (p, error) : NULL;
}

GST_START_TEST (test_payment_round_trip)
{
  LpPayment *payment = make_payment (3), *back;
  GError *error = NULL;
  gchar *json, *json2;

  json = lp_wire_payment_to_json (payment);
  /* above G_MAXINT64: a decimal string */
  fail_unless (strstr (json,
          "\"expiration_block\":\"18446744073709551615\"") != NULL, "%s", json);
  fail_unless (strstr (json, "\"sender_nonce\":4294967295") != NULL);
  back = lp_wire_payment_from_json (json, -1, &error);
  fail_unless (back != NULL, "%s", error ? error->message : "");
  fail_unless (memcmp (&back->ticket_params, &payment->ticket_params,
          sizeof (LpTicketParams)) == 0);
  fail_unless (lp_address_equal (&back->sender, &payment->sender));
  fail_unless (memcmp (&back->expiration_params, &payment->expiration_params,
          sizeof (LpExpirationParams)) == 0);
  fail_unless (memcmp (&back->expected_price, &payment->expected_price,
          sizeof (LpPriceInfo)) == 0);
  fail_unless_equals_int (back->tickets->len, 3);
  fail_unless (memcmp (back->tickets->data, payment->tickets->data,
          3 * sizeof (LpTicketSenderParams)) == 0);
  json2 = lp_wire_payment_to_json (back);
  fail_unless_equals_string (json2, json);
  lp_payment_free (back);
  g_free (json2);
  g_free (json);

  /* no tickets, no params: only sender and price */
  g_array_set_size (payment->tickets, 0);
  payment->has_ticket_params = FALSE;
  memset (&payment->expiration_params, 0, sizeof (LpExpirationParams));
  json = lp_wire_payment_to_json (payment);
  fail_if (strstr (json, "ticket_params\"") != NULL, "%s", json);
  fail_if (strstr (json, "expiration_params") != NULL, "%s", json);
  back = lp_wire_payment_from_json (json, -1, &error);
  fail_unless (back != NULL, "%s", error ? error->message : "");
  fail_if (back->has_ticket_params);
  fail_unless_equals_int (back->tickets->len, 0);
  lp_payment_free (back);
  g_free (json);
  lp_payment_free (payment);
}

GST_END_TEST;

/* The most tickets a payment carries, every field at its widest, make a
 * Livepeer-Payment header that an HTTP server takes: well under libsoup's
 * 64 KiB for the whole header block, room left for Livepeer-Segment. */
GST_START_TEST (test_payment_header_fits)
{
  LpPayment *payment = make_payment (LP_WIRE_MAX_TICKETS_PER_PAYMENT), *back;
  GError *error = NULL;
  gchar *header, *json;

  lp_uint256_set_max (&payment->ticket_params.face_value);
  lp_uint256_set_max (&payment->ticket_params.seed);
  payment->expiration_params.creation_round = G_MAXUINT64;
  payment->expected_price.price_per_unit = G_MAXUINT64;
  payment->expected_price.pixels_per_unit = G_MAXUINT64;
  header = lp_wire_payment_to_proto_header (payment);
  fail_unless (strlen (header) <= 48 * 1024, "%u tickets make a header of %"
      G_GSIZE_FORMAT " bytes", LP_WIRE_MAX_TICKETS_PER_PAYMENT,
      strlen (header));
  back = payment_from_proto_header (header, &error);
  fail_unless (back != NULL, "%s", error ? error->message : "");
  fail_unless_equals_int (back->tickets->len, LP_WIRE_MAX_TICKETS_PER_PAYMENT);
  lp_payment_free (back);
  g_free (header);

  /* one more is refused by the readable form's decoder, naming the field */
  g_array_set_size (payment->tickets, LP_WIRE_MAX_TICKETS_PER_PAYMENT + 1);
  json = lp_wire_payment_to_json (payment);
  fail_unless (lp_wire_payment_from_json (json, -1, &error) == NULL);
  fail_unless (g_error_matches (error, LP_WIRE_ERROR,
          LP_WIRE_ERROR_TOO_LARGE), "%s", error->message);
  fail_unless (g_str_has_prefix (error->message, "ticket_sender_params: "),
      "%s", error->message);
  g_clear_error (&error);
  g_free (json);
  lp_payment_free (payment);
}

GST_END_TEST;

GST_START_TEST (test_seg_data_round_trip)
{
  GError *error = NULL;
  LpSegData *seg = lp_wire_seg_data_from_json (seg_example, -1, &error);
  LpSegData *copy;
  const LpProfile *p;
  gchar *json, *json2;

  fail_unless (seg != NULL, "%s", error ? error->message : "");
  fail_unless_equals_string (seg->manifest_id, "abcd");
  fail_unless_equals_uint64 (seg->seq, 7);
  fail_unless_equals_int (seg->duration_ms, 2000);
  fail_unless_equals_int (seg->profiles->len, 2);
  p = g_ptr_array_index (seg->profiles, 1);
  fail_unless_equals_string (p->name, "P360p30fps16x9");
  fail_unless_equals_int (p->width, 640);
  fail_unless_equals_int (p->height, 360);
  fail_unless_equals_int (p->bitrate, 1200000);
  fail_unless_equals_int (p->fps_num, 30);
  fail_unless_equals_int (p->fps_den, 1);
  fail_unless_equals_int (p->h264_profile, LP_H264_PROFILE_MAIN);
  fail_unless_equals_int (p->gop_ms, LP_PROFILE_GOP_INTRA);
  fail_unless_equals_string (seg->capabilities,
      "{\"bitstring\":[4095],\"version\":\"0.8.0\"}");
  fail_unless_equals_string (seg->auth_token.session_id, "abcd1234");
  fail_unless_equals_int64 (seg->auth_token.expiration, 1700000000);

  json = lp_wire_seg_data_to_json (seg);
  fail_unless_equals_string (json, seg_example);
  copy = lp_seg_data_copy (seg);
  json2 = lp_wire_seg_data_to_json (copy);
  fail_unless_equals_string (json2, json);
  g_free (json2);
  lp_seg_data_free (copy);
  g_free (json);

  /* fps_den 0 reads as 1; no capabilities is no field */
  g_clear_pointer (&seg->capabilities, g_free);
  json = lp_wire_seg_data_to_json (seg);
  fail_if (strstr (json, "capabilities") != NULL);
  g_free (json);
  lp_seg_data_free (seg);
  json = replace (seg_example, "\"fps_den\":1", "\"fps_den\":0");
  seg = lp_wire_seg_data_from_json (json, -1, &error);
  fail_unless (seg != NULL, "%s", error ? error->message : "");
  fail_unless_equals_int (((LpProfile *) g_ptr_array_index (seg->profiles,
              0))->fps_den, 1);
  lp_seg_data_free (seg);
  g_free (json);
}

GST_END_TEST;

/* Writes @info as the refreshed info of a result in the readable form and
 * reads it back into @back; returns the text */
static gchar *
info_round_trip (const LpOrchestratorInfo * info, LpOrchestratorInfo ** back)
{
  LpTranscodeResult *result = lp_transcode_result_new (), *read;
  GError *error = NULL;
  gchar *json;

  result->seq = 1;
  lp_transcode_result_add_segment (result, NULL, 1);
  result->info = lp_orchestrator_info_copy (info);
  json = lp_wire_transcode_result_to_json (result);
  read = lp_wire_transcode_result_from_json (json, -1, &error);
  fail_unless (read != NULL, "%s", error ? error->message : "");
  fail_unless (read->info != NULL);
  *back = g_steal_pointer (&read->info);
  lp_transcode_result_free (read);
  lp_transcode_result_free (result);
  return json;
}

GST_START_TEST (test_orchestrator_round_trip)
{
  GError *error = NULL;
  LpOrchestratorInfo *info, *back, *back2, *copy;
  LpAddress address;
  gchar *json, *json2;

  info = lp_wire_orchestrator_info_from_json (info_example, -1, &error);
  fail_unless (info != NULL, "%s", error ? error->message : "");
  fail_unless_equals_string (info->transcoder, "https://127.0.0.1:8935");
  fail_unless (info->has_ticket_params && info->has_price_info);
  fail_unless_equals_uint64 (info->ticket_params.
      expiration_params.creation_round, 3000);
  fail_unless_equals_uint64 (info->price_info.price_per_unit, 1200);
  parse_address (KEY2_ADDRESS, &address);
  fail_unless (lp_address_equal (&info->address, &address));
  {
    LpUint256 one;

    lp_uint256_from_uint64 (1, &one);
    fail_unless (lp_uint256_equal (&info->ticket_params.seed, &one));
  }

  /* written back as part of a result (the readable form writes info only
   * there) and read again: same info, EIP-55 although the input was
   * lowercase */
  json = info_round_trip (info, &back);
  fail_unless (strstr (json, KEY2_ADDRESS) != NULL, "%s", json);
  copy = lp_orchestrator_info_copy (back);
  json2 = info_round_trip (copy, &back2);
  fail_unless_equals_string (json2, json);
  g_free (json2);
  lp_orchestrator_info_free (back2);
  lp_orchestrator_info_free (copy);
  lp_orchestrator_info_free (back);
  g_free (json);

  /* off-chain shape: no params, no price */
  info->has_ticket_params = FALSE;
  info->has_price_info = FALSE;
  info->capabilities = g_strdup ("{\"capacities\":{\"1\":10}}");
  json = info_round_trip (info, &back);
  fail_if (strstr (json, "ticket_params") != NULL);
  fail_if (strstr (json, "price_info") != NULL);
  fail_if (back->has_ticket_params || back->has_price_info);
  fail_unless_equals_string (back->capabilities, info->capabilities);
  lp_orchestrator_info_free (back);
  g_free (json);
  lp_orchestrator_info_free (info);
}

GST_END_TEST;

GST_START_TEST (test_result_round_trip)
{
  GError *error = NULL;
  LpTranscodeResult *result, *back, *copy;
  const LpTranscodedSegment *s;
  gchar *json, *json2, *with_info;

  result = lp_wire_transcode_result_from_json (result_example, -1, &error);
  fail_unless (result != NULL, "%s", error ? error->message : "");
  fail_unless_equals_uint64 (result->seq, 7);
  fail_unless (result->error == NULL);
  fail_unless_equals_int (result->segments->len, 2);
  s = &g_array_index (result->segments, LpTranscodedSegment, 0);
  fail_unless_equals_string (s->url, "https://o/stream/s/P720p30fps16x9/7.ts");
  fail_unless_equals_uint64 (s->pixels, 27648000);
  s = &g_array_index (result->segments, LpTranscodedSegment, 1);
  fail_unless (s->url == NULL);
  fail_unless (result->info == NULL);
  json = lp_wire_transcode_result_to_json (result);
  fail_unless_equals_string (json, result_example);
  g_free (json);
  lp_transcode_result_free (result);

  /* with info */
  with_info = g_strdup_printf ("%.*s,\"info\":%s}",
      (int) strlen (result_example) - 1, result_example, info_example);
  result = lp_wire_transcode_result_from_json (with_info, -1, &error);
  fail_unless (result != NULL, "%s", error ? error->message : "");
  fail_unless (result->info != NULL);
  fail_unless_equals_string (result->info->auth_token.session_id, "abcd1234");
  json = lp_wire_transcode_result_to_json (result);
  back = lp_wire_transcode_result_from_json (json, -1, &error);
  fail_unless (back != NULL, "%s", error ? error->message : "");
  copy = lp_transcode_result_copy (back);
  json2 = lp_wire_transcode_result_to_json (copy);
  fail_unless_equals_string (json2, json);
  g_free (json2);
  lp_transcode_result_free (copy);
  lp_transcode_result_free (back);
  g_free (json);
  lp_transcode_result_free (result);
  g_free (with_info);

  /* an error result */
  result = lp_transcode_result_new ();
  result->seq = 9;
  result->error = g_strdup ("OrchestratorBusy");
  json = lp_wire_transcode_result_to_json (result);
  fail_unless_equals_string (json,
      "{\"seq\":9,\"error\":\"OrchestratorBusy\"}");
  back = lp_wire_transcode_result_from_json (json, -1, &error);
  fail_unless (back != NULL, "%s", error ? error->message : "");
  fail_unless_equals_string (back->error, "OrchestratorBusy");
  fail_unless_equals_int (back->segments->len, 0);
  lp_transcode_result_free (back);
  g_free (json);
  lp_transcode_result_free (result);
}

GST_END_TEST;

/* The embedded parts at their widest, through the readable forms that
 * carry them: TicketParams and PriceInfo in a Payment, AuthToken and
 * VideoProfile in a SegData */
GST_START_TEST (test_small_round_trips)
{
  LpTicketParams params, pback;
  LpPriceInfo price = { G_MAXUINT64, 7 };
  LpPayment *payment = make_payment (1), *pay_back;
  LpSegData *seg = lp_seg_data_new (), *seg_back;
  LpProfile *profile;
  GError *error = NULL;
  gchar *json, *json2;

  memset (&params, 0, sizeof (params));
  parse_address ("0x1111111111111111111111111111111111111111",
      &params.recipient);
  parse_uint256 ("1", &params.face_value);
  parse_uint256 (WIN_PROB, &params.win_prob);
  memset (params.recipient_rand_hash, 0xab, 32);
  lp_uint256_set_max (&params.seed);
  params.expiration_block = 1040;
  params.expiration_params.creation_round = 1;
  payment->ticket_params = params;
  payment->expected_price = price;
  json = lp_wire_payment_to_json (payment);
  fail_unless (strstr (json, "\"expected_price\":{\"price_per_unit\":"
          "\"18446744073709551615\",\"pixels_per_unit\":7}") != NULL,
      "%s", json);
  pay_back = lp_wire_payment_from_json (json, -1, &error);
  fail_unless (pay_back != NULL, "%s", error ? error->message : "");
  fail_unless (memcmp (&params, &pay_back->ticket_params,
          sizeof (params)) == 0);
  fail_unless (pay_back->expected_price.price_per_unit == G_MAXUINT64
      && pay_back->expected_price.pixels_per_unit == 7);
  lp_payment_free (pay_back);
  g_free (json);

  /* lpctl's --params: the ticket_params object alone */
  fail_unless (lp_wire_ticket_params_from_json ("{\"recipient\":"
          "\"0x1111111111111111111111111111111111111111\",\"face_value\":\"1\","
          "\"win_prob\":\"" WIN_PROB "\",\"recipient_rand_hash\":\"" HASH44
          "\",\"seed\":\"0x01\",\"expiration_block\":1040}", -1, &pback,
          &error), "%s", error ? error->message : "");
  fail_unless_equals_uint64 (pback.expiration_block, 1040);
  fail_unless (lp_address_equal (&pback.recipient, &params.recipient));
  /* a failed decode leaves the output alone */
  fail_if (lp_wire_ticket_params_from_json ("{\"recipient\":1}", -1, &pback,
          &error));
  fail_unless (g_str_has_prefix (error->message, "recipient: "), "%s",
      error->message);
  g_clear_error (&error);
  fail_unless_equals_uint64 (pback.expiration_block, 1040);

  seg->manifest_id = g_strdup ("m");
  memset (seg->auth_token.token, 0x5a, sizeof (seg->auth_token.token));
  strcpy (seg->auth_token.session_id, "0123abcd");
  seg->auth_token.expiration = G_MAXINT64;
  profile = lp_profile_copy (lp_profile_get_preset ("P720p60fps16x9"));
  profile->h264_profile = LP_H264_PROFILE_CONSTRAINED_HIGH;
  profile->gop_ms = 1500;
  profile->fps_den = 1001;
  profile->fps_num = 60000;
  g_ptr_array_add (seg->profiles, profile);
  json = lp_wire_seg_data_to_json (seg);
  fail_unless (strstr (json, "\"profile\":4") != NULL, "%s", json);
  fail_unless (strstr (json, "\"gop\":1500") != NULL, "%s", json);
  seg_back = lp_wire_seg_data_from_json (json, -1, &error);
  fail_unless (seg_back != NULL, "%s", error ? error->message : "");
  fail_unless (memcmp (&seg->auth_token, &seg_back->auth_token,
          sizeof (LpAuthToken)) == 0);
  json2 = lp_wire_seg_data_to_json (seg_back);
  fail_unless_equals_string (json2, json);
  g_free (json);
  g_free (json2);
  lp_seg_data_free (seg_back);
  lp_seg_data_free (seg);
  lp_payment_free (payment);
}

GST_END_TEST;

/* ---- validation ---- */

static const Mutation payment_cases[] = {
  /* uint256 */
  {"\"1200000000000000\"", "\"12a\"", LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_params.face_value: not a decimal uint256"},
  {"\"1200000000000000\"", "\"0x10\"", LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_params.face_value: not a decimal uint256"},
  {"\"1200000000000000\"", "\"1e15\"", LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_params.face_value: not a decimal uint256"},
  {"\"1200000000000000\"", "\"\"", LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_params.face_value"},
  {"\"1200000000000000\"", "1200000000000000", LP_WIRE_ERROR_TYPE,
      "ticket_params.face_value: expected a string"},
  {"\"" WIN_PROB "\"",
      "\"115792089237316195423570985008687907853269984665640564039457584007913129639936\"",
      LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_params.win_prob: not a decimal uint256 (above 2^256 - 1)"},
  {"\"" WIN_PROB "\"",
      "\"115792089237316195423570985008687907853269984665640564039457584007913129639935\"",
      ACCEPTED},
  /* addresses: any valid case in, bad checksum or length refused */
  {"0xdf4e2Cdd095495eC7A422a0f0866593c668C19EF",
      "0xDF4E2CDD095495EC7A422A0F0866593C668C19EF", ACCEPTED},
  {"0xdf4e2Cdd095495eC7A422a0f0866593c668C19EF",
      "0xdf4e2Cdd095495eC7A422a0f0866593c668C19Ef",
      LP_WIRE_ERROR_INVALID_VALUE, "ticket_params.recipient: not an address"},
  {"0xdf4e2Cdd095495eC7A422a0f0866593c668C19EF",
      "0xdf4e2Cdd095495eC7A422a0f0866593c668C19", LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_params.recipient: not an address"},
  {"\"sender\": \"0x2c7536E3605D9C16a7a3D7b1898e529396a65c23\",", "",
      LP_WIRE_ERROR_MISSING, "sender: missing"},
  {"\"0x2c7536E3605D9C16a7a3D7b1898e529396a65c23\"", "null",
      LP_WIRE_ERROR_TYPE, "sender: expected a string, got null"},
  /* hex lengths */
  {"a16f18cd\"", "a16f18\"", LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_params.recipient_rand_hash: "
      "expected \"0x\" and 32 bytes of hex"},
  {"a16f18cd\"", "a16f18cd00\"", LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_params.recipient_rand_hash"},
  {"\"0xf395757e", "\"f395757e", LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_params.recipient_rand_hash"},
  {"a88c7731c\"", "a88c773\"", LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_sender_params[0].sig: expected \"0x\" and 65 bytes of hex"},
  {"a88c7731c\"", "a88c7731g\"", LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_sender_params[0].sig"},
  {"00000000000001\"", "0000000000000100\"", LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_params.seed"},
  {"\"" HASH44 "\"", "\"0x44\"", LP_WIRE_ERROR_INVALID_VALUE,
      "expiration_params.creation_round_block_hash"},
  /* integers */
  {"\"sender_nonce\": 1", "\"sender_nonce\": \"1\"", LP_WIRE_ERROR_TYPE,
      "ticket_sender_params[0].sender_nonce: expected "
      "an integer, got a string"},
  {"\"sender_nonce\": 1", "\"sender_nonce\": 4294967296",
      LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_sender_params[0].sender_nonce: 4294967296 is out of range"},
  {"\"sender_nonce\": 1", "\"sender_nonce\": 1.0", LP_WIRE_ERROR_SYNTAX,
      "ticket_sender_params[0].sender_nonce: invalid JSON at byte"},
  {"1040", "-1", LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_params.expiration_block: -1 is negative"},
  {"1040", "true", LP_WIRE_ERROR_TYPE,
      "ticket_params.expiration_block: expected an integer or a decimal "
      "string, got a boolean"},
  {"1040", "\"18446744073709551615\"", ACCEPTED},
  {"1040", "\"18446744073709551616\"", LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_params.expiration_block: not a decimal uint64"},
  {"1040", "\"01\"", LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_params.expiration_block: not a decimal uint64"},
  {"1040", "9223372036854775808", LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_params.expiration_block: invalid JSON at byte"},
  {"\"price_per_unit\": 1200", "\"price_per_unit\": {}", LP_WIRE_ERROR_TYPE,
      "expected_price.price_per_unit: expected an integer or a decimal "
      "string, got an object"},
  {", \"pixels_per_unit\": 1", "", LP_WIRE_ERROR_MISSING,
      "expected_price.pixels_per_unit: missing"},
  /* objects and arrays */
  {"\"ticket_sender_params\": [", "\"ticket_sender_params\": [ 1, ",
      LP_WIRE_ERROR_TYPE,
      "ticket_sender_params[0]: expected an object, got a number"},
  {"\"sender_nonce\": 1,", "\"sender_nonce\": 1,,", LP_WIRE_ERROR_SYNTAX,
      "ticket_sender_params[0]: invalid JSON at byte"},
  {WHOLE, "{\"sender\":\"" KEY2_ADDRESS "\",\"ticket_params\":[]}",
      LP_WIRE_ERROR_TYPE, "ticket_params: expected an object, got an array"},
  {"\"ticket_params\": {", "\"ticket_parameters\": {",
      LP_WIRE_ERROR_UNKNOWN_FIELD, "ticket_parameters: unknown field"},
  {"\"expiration_block\": 1040", "\"expiration_block\": 1040, \"bonus\": 1",
      LP_WIRE_ERROR_UNKNOWN_FIELD, "ticket_params.bonus: unknown field"},
  {"\"sig\":", "\"signature\": \"x\", \"sig\":", LP_WIRE_ERROR_UNKNOWN_FIELD,
      "ticket_sender_params[0].signature: unknown field"},
  /* strict JSON */
  {"\"sender\"", "\"expected_price\": {}, \"sender\"", LP_WIRE_ERROR_SYNTAX,
      "expected_price: invalid JSON at byte"},
  {"{", "/* c */ {", LP_WIRE_ERROR_SYNTAX, "Payment: invalid JSON at byte 0"},
  {"\"sender\"", "'sender'", LP_WIRE_ERROR_SYNTAX, "Payment: invalid JSON"},
  {"1040", "0x410", LP_WIRE_ERROR_SYNTAX, "ticket_params: invalid JSON"},
  {"1040", "01040", LP_WIRE_ERROR_SYNTAX,
      "ticket_params.expiration_block: invalid JSON"},
  {"\"pixels_per_unit\": 1 }", "\"pixels_per_unit\": 1, }",
      LP_WIRE_ERROR_SYNTAX, "expected_price: invalid JSON"},
  {"\"1200000000000000\"", "\"12\\u0000\"", LP_WIRE_ERROR_SYNTAX,
      "ticket_params.face_value: invalid JSON"},
  {"\"1200000000000000\"", "\"12\xff\"", LP_WIRE_ERROR_SYNTAX,
      "Payment: the JSON text is not valid UTF-8"},
  {"\"1200000000000000\"", "\"12\\ud800\"", LP_WIRE_ERROR_SYNTAX,
      "ticket_params.face_value: invalid JSON"},
  {"\"1200000000000000\"", "\"12\\q\"", LP_WIRE_ERROR_SYNTAX,
      "ticket_params.face_value: invalid JSON"},
  /* escapes in keys are decoded before the duplicate check */
  {"\"expiration_block\": 1040",
      "\"expiration_block\": 1040, \"expiration_\\u0062lock\": 1040",
      LP_WIRE_ERROR_SYNTAX, "ticket_params.expiration_block: invalid JSON"},
  {WHOLE, "[]", LP_WIRE_ERROR_TYPE, "Payment: expected a JSON object"},
  {WHOLE, "", LP_WIRE_ERROR_SYNTAX, "Payment: invalid JSON"},
  {WHOLE, "   ", LP_WIRE_ERROR_SYNTAX, "Payment: invalid JSON"},
};

GST_START_TEST (test_payment_validation)
{
  const gchar *b = payment_example;
  GString *many;
  gchar *json, *deep;
  guint i;

  check_mutations (PAYMENT, (FreeFunc) lp_payment_free, b, payment_cases,
      G_N_ELEMENTS (payment_cases));
  /* trailing text after the object */
  json = g_strconcat (b, "x", NULL);
  expect_fail (PAYMENT, json, LP_WIRE_ERROR_SYNTAX,
      "Payment: invalid JSON at byte");
  g_free (json);
  json = g_strconcat (b, "{}", NULL);
  expect_fail (PAYMENT, json, LP_WIRE_ERROR_SYNTAX, "Payment: invalid JSON");
  g_free (json);
  /* nesting deeper than the limit */
  deep = g_strnfill (LP_WIRE_MAX_DEPTH + 1, '[');
  json = g_strdup_printf ("{\"sender\": %s}", deep);
  expect_fail (PAYMENT, json, LP_WIRE_ERROR_SYNTAX, "sender");
  g_free (json);
  g_free (deep);
  deep = g_strnfill (100000, '[');
  expect_fail (PAYMENT, deep, LP_WIRE_ERROR_SYNTAX, "[0]");
  g_free (deep);

  /* limits */
  many = g_string_new ("{\"sender\":\"" KEY2_ADDRESS "\",\"ticket_params\":");
  g_string_append (many, strstr (b, "\"ticket_params\": ") + 17);
  g_string_truncate (many, strstr (many->str, "\"expiration_params\"") -
      many->str);
  g_string_append (many, "\"ticket_sender_params\":[");
  /* as many tickets as a header can carry, not one more */
  for (i = 0; i < LP_WIRE_MAX_TICKETS_PER_PAYMENT; i++)
    g_string_append_printf (many, "%s{\"sender_nonce\":%u,\"sig\":\"" SIG65
        "\"}", i ? "," : "", i + 1);
  g_string_append (many, "]}");
  expect_ok (PAYMENT, (FreeFunc) lp_payment_free, many->str);
  g_string_truncate (many, many->len - 2);
  g_string_append_printf (many, ",{\"sender_nonce\":%u,\"sig\":\"" SIG65
      "\"}]}", i + 1);
  json = g_strdup_printf ("ticket_sender_params: %u entries, at most %u are "
      "allowed", LP_WIRE_MAX_TICKETS_PER_PAYMENT + 1,
      LP_WIRE_MAX_TICKETS_PER_PAYMENT);
  expect_fail (PAYMENT, many->str, LP_WIRE_ERROR_TOO_LARGE, json);
  g_free (json);
  g_string_free (many, TRUE);

  json = g_strnfill (LP_WIRE_MAX_JSON_SIZE + 1, ' ');
  json[0] = '{';
  json[LP_WIRE_MAX_JSON_SIZE] = '}';
  expect_fail (PAYMENT, json, LP_WIRE_ERROR_TOO_LARGE,
      "Payment: the JSON text is larger than");
  g_free (json);

  {
    /* tickets without params */
    static const gchar no_params[] =
        "{\"sender\":\"" KEY2_ADDRESS "\",\"ticket_sender_params\":"
        "[{\"sender_nonce\":1,\"sig\":\"" SIG65 "\"}]}";

    expect_fail (PAYMENT, no_params, LP_WIRE_ERROR_MISSING,
        "ticket_params: missing, and the payment has tickets");
  }
}

GST_END_TEST;

/* The header values are canonical padded base64 (of protobuf): anything
 * else is refused before a message decoder sees it */
GST_START_TEST (test_header_validation)
{
  LpPayment *payment = make_payment (1);
  gchar *header = lp_wire_payment_to_proto_header (payment), *bad;
  GError *error = NULL;
  GBytes *bytes;
  gsize n = strlen (header);

#define EXPECT_HEADER_FAIL(text, code, prefix) G_STMT_START { \
    bytes = lp_wire_header_decode_bytes (text, "Livepeer-Payment", &error); \
    fail_unless (bytes == NULL); \
    fail_unless (g_error_matches (error, LP_WIRE_ERROR, code), "%s", \
        error ? error->message : ""); \
    fail_unless (g_str_has_prefix (error->message, prefix), "%s", \
        error->message); \
    g_clear_error (&error); \
  } G_STMT_END

  /* go-livepeer's "no payment": an empty value is no bytes */
  bytes = lp_wire_header_decode_bytes ("", "Livepeer-Payment", &error);
  fail_unless (bytes != NULL && g_bytes_get_size (bytes) == 0);
  g_bytes_unref (bytes);
  bytes = lp_wire_header_decode_bytes (header, "Livepeer-Payment", &error);
  fail_unless (bytes != NULL, "%s", error ? error->message : "");
  g_bytes_unref (bytes);

  bad = g_strdup (header);
  bad[n / 2] = '*';
  EXPECT_HEADER_FAIL (bad, LP_WIRE_ERROR_ENCODING,
      "Livepeer-Payment: not base64");
  bad[n / 2] = ' ';
  EXPECT_HEADER_FAIL (bad, LP_WIRE_ERROR_ENCODING,
      "Livepeer-Payment: not base64");
  g_free (bad);
  /* unpadded, padding in the middle, a trailing newline */
  bad = g_strndup (header, n - 1);
  EXPECT_HEADER_FAIL (bad, LP_WIRE_ERROR_ENCODING,
      "Livepeer-Payment: not padded base64");
  g_free (bad);
  bad = g_strconcat ("ew==", header, NULL);
  EXPECT_HEADER_FAIL (bad, LP_WIRE_ERROR_ENCODING,
      "Livepeer-Payment: not base64");
  g_free (bad);
  bad = g_strconcat (header, "\n", NULL);
  EXPECT_HEADER_FAIL (bad, LP_WIRE_ERROR_ENCODING, "Livepeer-Payment: not");
  g_free (bad);
  /* non-canonical: "e30=" is "{}"; "e31=" and "ex==" have padding bits
   * set */
  bytes = lp_wire_header_decode_bytes ("e30=", "Livepeer-Payment", &error);
  fail_unless (bytes != NULL && g_bytes_get_size (bytes) == 2);
  g_bytes_unref (bytes);
  EXPECT_HEADER_FAIL ("e31=", LP_WIRE_ERROR_ENCODING,
      "Livepeer-Payment: not canonical base64");
  EXPECT_HEADER_FAIL ("ex==", LP_WIRE_ERROR_ENCODING,
      "Livepeer-Payment: not canonical base64");
  /* the size limit applies to the text before any decoding */
  bad = g_strnfill (LP_WIRE_MAX_HEADER_SIZE + 4, 'A');
  EXPECT_HEADER_FAIL (bad, LP_WIRE_ERROR_TOO_LARGE,
      "Livepeer-Payment: the header is larger than 65536 bytes");
  g_free (bad);
  bad = g_strnfill (LP_WIRE_MAX_HEADER_SIZE, 'A');
  bytes = lp_wire_header_decode_bytes (bad, "Livepeer-Payment", &error);
  fail_unless (bytes != NULL, "%s", error ? error->message : "");
  g_bytes_unref (bytes);
  g_free (bad);

  g_free (header);
  lp_payment_free (payment);
#undef EXPECT_HEADER_FAIL
}

GST_END_TEST;

/* the longest profile name allowed (64 bytes) */
#define NAME64 \
  "0123456789012345678901234567890123456789012345678901234567890123"

static const Mutation seg_data_cases[] = {
  {"\"duration\":2000", "\"duration\":300001", LP_WIRE_ERROR_INVALID_VALUE,
      "duration: 300001 is out of range [0, 300000]"},
  {"\"duration\":2000", "\"duration\":-1", LP_WIRE_ERROR_INVALID_VALUE,
      "duration: -1 is out of range"},
  {"\"duration\":2000,", "", ACCEPTED},
  {"\"seq\":7", "\"seq\":-7", LP_WIRE_ERROR_INVALID_VALUE,
      "seq: -7 is out of range"},
  {"\"manifest_id\":\"abcd\"", "\"manifest_id\":\"\"",
      LP_WIRE_ERROR_INVALID_VALUE, "manifest_id: empty"},
  {"\"manifest_id\":\"abcd\"", "\"manifest_id\":5", LP_WIRE_ERROR_TYPE,
      "manifest_id: expected a string, got a number"},
  {"\"hash\":\"0x1c8a", "\"hash\":\"0x1c", LP_WIRE_ERROR_INVALID_VALUE,
      "hash: expected \"0x\" and 32 bytes"},
  {"\"sig\":\"0x", "\"sig\":\"0x00", LP_WIRE_ERROR_INVALID_VALUE,
      "sig: expected \"0x\" and 65 bytes"},
  /* profiles */
  {"\"profile\":2", "\"profile\":5", LP_WIRE_ERROR_INVALID_VALUE,
      "profiles[1].profile: 5 is out of range [0, 4]"},
  {"\"gop\":-1", "\"gop\":-2", LP_WIRE_ERROR_INVALID_VALUE,
      "profiles[1].gop: -2 is out of range"},
  {"\"gop\":0", "\"gop\":0,\"encoder\":1", LP_WIRE_ERROR_UNSUPPORTED,
      "profiles[0].encoder: 1 is not supported"},
  {"\"gop\":0", "\"gop\":0,\"format\":1", LP_WIRE_ERROR_UNSUPPORTED,
      "profiles[0].format: 1 is not supported"},
  {"\"gop\":0", "\"gop\":0,\"format\":0,\"encoder\":0,\"quality\":0",
      ACCEPTED},
  {"\"gop\":0", "\"gop\":0,\"colour\":0", LP_WIRE_ERROR_UNKNOWN_FIELD,
      "profiles[0].colour: unknown field"},
  {"\"width\":640", "\"width\":8193", LP_WIRE_ERROR_INVALID_VALUE,
      "profiles[1].width: 8193 is out of range"},
  {"\"width\":640,", "", LP_WIRE_ERROR_MISSING, "profiles[1].width: missing"},
  {"\"fps\":30,\"fps_den\":1,\"profile\":2",
      "\"fps\":241,\"fps_den\":1,\"profile\":2", LP_WIRE_ERROR_INVALID_VALUE,
      "profiles[1].fps: 241 is out of range"},
  {"\"name\":\"P720p30fps16x9\"", "\"name\":\"../x\"",
      LP_WIRE_ERROR_INVALID_VALUE, "profiles[0].name: must be 1-64"},
  {"\"name\":\"P720p30fps16x9\"", "\"name\":\"\"",
      LP_WIRE_ERROR_INVALID_VALUE, "profiles[0].name"},
  {"\"name\":\"P720p30fps16x9\"", "\"name\":\"" NAME64 "\"", ACCEPTED},
  {"\"name\":\"P720p30fps16x9\"", "\"name\":\"" NAME64 "4\"",
      LP_WIRE_ERROR_TOO_LARGE, "profiles[0].name: 65 bytes, at most 64"},
  {"\"profiles\":[", "\"profiles\":[3,", LP_WIRE_ERROR_TYPE,
      "profiles[0]: expected an object"},
  /* auth token, capabilities, unknown and ignored fields */
  {",\"auth_token\":{\"token\":\"" TOKEN32 "\","
      "\"session_id\":\"abcd1234\",\"expiration\":1700000000}", "",
      LP_WIRE_ERROR_MISSING, "auth_token: missing"},
  {"\"token\":\"0x55", "\"token\":\"0x", LP_WIRE_ERROR_INVALID_VALUE,
      "auth_token.token: expected \"0x\" and 32"},
  {"\"session_id\":\"abcd1234\"", "\"session_id\":\"a b\"",
      LP_WIRE_ERROR_INVALID_VALUE, "auth_token.session_id: must be 1-64"},
  {"\"expiration\":1700000000", "\"expiration\":\"1\"", LP_WIRE_ERROR_TYPE,
      "auth_token.expiration: expected an integer"},
  {"\"capabilities\":{\"bitstring\":[4095],\"version\":\"0.8.0\"}",
      "\"capabilities\":[]", LP_WIRE_ERROR_TYPE,
      "capabilities: expected an object, got an array"},
  {"[4095]", "[1.5]", LP_WIRE_ERROR_SYNTAX,
      "capabilities.bitstring[0]: invalid JSON"},
  {"\"seq\":7", "\"seq\":7,\"segment_parameters\":{}",
      LP_WIRE_ERROR_UNSUPPORTED, "segment_parameters: segment clipping"},
  {"\"seq\":7", "\"seq\":7,\"sequence\":8", LP_WIRE_ERROR_UNKNOWN_FIELD,
      "sequence: unknown field"},
  {"\"seq\":7", "\"seq\":7,\"calc_perceptual_hash\":true,\"storage\":[]",
      ACCEPTED},
  {"\"seq\":7", "\"seq\":7,\"seq\":8", LP_WIRE_ERROR_SYNTAX,
      "seq: invalid JSON"},
};

GST_START_TEST (test_seg_data_validation)
{
  const gchar *b = seg_example;
  GString *many;
  guint i;

  check_mutations (SEG, (FreeFunc) lp_seg_data_free, b, seg_data_cases,
      G_N_ELEMENTS (seg_data_cases));
  /* as many profiles as allowed, then one more */
  many = g_string_new ("\"profiles\":[");
  for (i = 0; i < LP_WIRE_MAX_PROFILES - 1; i++)
    g_string_append_printf (many, "{\"name\":\"p%u\",\"width\":2,\"height\":2,"
        "\"bitrate\":1},", i);
  expect_ok_r (SEG, (FreeFunc) lp_seg_data_free, b, "\"profiles\":[{\"name\":"
      "\"P720p30fps16x9\",\"width\":1280,\"height\":720,\"bitrate\":6000000,"
      "\"fps\":30,\"fps_den\":1,\"profile\":0,\"gop\":0},", many->str);
  g_string_append (many, "{\"name\":\"p32\",\"width\":2,\"height\":2,"
      "\"bitrate\":1},");
  expect_fail_r (SEG, b, "\"profiles\":[{\"name\":"
      "\"P720p30fps16x9\",\"width\":1280,\"height\":720,\"bitrate\":6000000,"
      "\"fps\":30,\"fps_den\":1,\"profile\":0,\"gop\":0},", many->str,
      LP_WIRE_ERROR_TOO_LARGE, "profiles: 33 entries, at most 32");
  g_string_free (many, TRUE);
}

GST_END_TEST;

static const Mutation info_cases[] = {
  {"\"transcoder\":\"https://127.0.0.1:8935\",", "", LP_WIRE_ERROR_MISSING,
      "transcoder: missing"},
  {"\"seed\":\"0x01\"",
      "\"seed\":\"0x"
      "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00\"",
      LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_params.seed: expected \"0x\" and at most 32 bytes"},
  {"\"seed\":\"0x01\"", "\"seed\":\"0x1\"", LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_params.seed"},
  {"\"pixels_per_unit\":1", "\"pixels_per_unit\":\"x\"",
      LP_WIRE_ERROR_INVALID_VALUE,
      "price_info.pixels_per_unit: not a decimal uint64"},
  {"\"creation_round\":3000", "\"creation_round\":-3000",
      LP_WIRE_ERROR_INVALID_VALUE,
      "ticket_params.expiration_params.creation_round: -3000 is negative"},
  {"\"address\":\"0x2c", "\"address\":\"0x2c2c", LP_WIRE_ERROR_INVALID_VALUE,
      "address: not an address"},
  {"\"session_id\":\"abcd1234\"", "\"session_id\":\"\"",
      LP_WIRE_ERROR_INVALID_VALUE, "auth_token.session_id"},
  {"\"transcoder\"",
      "\"hardware\":[{\"pipeline\":\"x\"}],\"nodes\":[],\"transcoder\"",
      ACCEPTED},
  {"\"transcoder\"", "\"orchestrator\":1,\"transcoder\"",
      LP_WIRE_ERROR_UNKNOWN_FIELD, "orchestrator: unknown field"},
};


static const Mutation result_cases[] = {
  {"{\"seq\":7,", "{\"seq\":7,\"error\":\"x\",", LP_WIRE_ERROR_INVALID_VALUE,
      "error: a result has either error or data, not both"},
  {WHOLE, "{\"seq\":7}", LP_WIRE_ERROR_MISSING, "data: missing"},
  {WHOLE, "{\"seq\":7,\"error\":\"\"}", LP_WIRE_ERROR_INVALID_VALUE,
      "error: empty"},
  {WHOLE, "{\"error\":\"x\"}", LP_WIRE_ERROR_MISSING, "seq: missing"},
  {"\"pixels\":6912000", "\"pixels\":-1", LP_WIRE_ERROR_INVALID_VALUE,
      "data.segments[1].pixels: -1 is negative"},
  {"{\"pixels\":6912000}", "{\"pixels\":6912000,\"url\":\"\"}",
      LP_WIRE_ERROR_INVALID_VALUE, "data.segments[1].url: empty"},
  {"{\"pixels\":6912000}",
      "{\"pixels\":6912000,\"perceptual_hash_url\":\"x\"}", ACCEPTED},
  {",\"sig\":", ",\"signature\":1,\"sig\":", LP_WIRE_ERROR_UNKNOWN_FIELD,
      "data.signature: unknown field"},
  {"}}", "},\"info\":{}}", LP_WIRE_ERROR_MISSING, "info.transcoder: missing"},
};

GST_START_TEST (test_info_result_validation)
{
  check_mutations (INFO, (FreeFunc) lp_orchestrator_info_free, info_example,
      info_cases, G_N_ELEMENTS (info_cases));
  check_mutations (RESULT, (FreeFunc) lp_transcode_result_free,
      result_example, result_cases, G_N_ELEMENTS (result_cases));
  {
    GString *many = g_string_new ("{\"seq\":1,\"data\":{\"sig\":\"" SIG65
        "\",\"segments\":[");
    guint i;

    for (i = 0; i <= LP_WIRE_MAX_PROFILES; i++)
      g_string_append_printf (many, "%s{\"pixels\":%u}", i ? "," : "", i);
    g_string_append (many, "]}}");
    expect_fail (RESULT, many->str, LP_WIRE_ERROR_TOO_LARGE,
        "data.segments: 33 entries");
    g_string_free (many, TRUE);
  }
}

GST_END_TEST;

/* `capabilities` is kept as compact text, any object the strict checks
 * pass, nested as deep as go-livepeer's constraints go */
GST_START_TEST (test_capabilities)
{
  const gchar *caps = "{\"bitstring\":[1,2],"
      "\"constraints\":{\"PerCapability\":{\"27\":{\"models\":{\"m\":"
      "{\"warm\":true}}}}}}";
  const gchar *from =
      "\"capabilities\":{\"bitstring\":[4095],\"version\":\"0.8.0\"}";
  gchar *to = g_strconcat ("\"capabilities\":", caps, NULL);
  gchar *json = replace (seg_example, from, to);
  GError *error = NULL;
  LpSegData *seg = lp_wire_seg_data_from_json (json, -1, &error);

  fail_unless (seg != NULL, "%s", error ? error->message : "");
  fail_unless_equals_string (seg->capabilities, caps);
  lp_seg_data_free (seg);
  g_free (json);
  g_free (to);
  expect_fail_r (SEG, seg_example, from,
      "\"capabilities\":{\"a\":1,\"a\":2}", LP_WIRE_ERROR_SYNTAX,
      "capabilities.a: invalid JSON");
}

GST_END_TEST;

/* ---- auth token ---- */

GST_START_TEST (test_auth_token)
{
  guint8 secret[32], other[32];
  LpAuthToken token, t;
  GError *error = NULL;
  gint64 now = 1700000000;
  guint i;

  for (i = 0; i < 32; i++)
    secret[i] = (guint8) i;
  /* HMAC-SHA256(secret, "abcd1234" ‖ minbe(1700000000) = 65 53 f1 00),
   * computed with Python's hmac module */
  fail_unless (lp_auth_token_create (secret, "abcd1234", now, &token, &error));
  lp_check_assert_hex (token.token, 32,
      "ea51236e56511285aef53697874cf80ad30bdca928d75a5c5b032b2314910177");
  fail_unless_equals_string (token.session_id, "abcd1234");
  /* expiration 0 is no bytes */
  fail_unless (lp_auth_token_create (secret, "abcd1234", 0, &t, &error));
  lp_check_assert_hex (t.token, 32,
      "58343675aff69d96efa0b10fd82ac63ef8d2cf1994e70d29129d1e5e244d7172");

  /* valid up to its expiration second, expired after */
  fail_unless (lp_auth_token_verify (secret, &token, now - 1800, &error));
  fail_unless (lp_auth_token_verify (secret, &token, now, &error));
  fail_if (lp_auth_token_verify (secret, &token, now + 1, &error));
  fail_unless (g_error_matches (error, LP_WIRE_ERROR,
          LP_WIRE_ERROR_AUTH_TOKEN_EXPIRED));
  g_clear_error (&error);

  /* tampered: token bytes, session id, expiration, other secret */
  t = token;
  t.token[31] ^= 1;
  fail_if (lp_auth_token_verify (secret, &t, now, &error));
  fail_unless (g_error_matches (error, LP_WIRE_ERROR,
          LP_WIRE_ERROR_AUTH_TOKEN_INVALID));
  g_clear_error (&error);
  t = token;
  t.session_id[0] = 'b';
  fail_if (lp_auth_token_verify (secret, &t, now, &error));
  fail_unless (g_error_matches (error, LP_WIRE_ERROR,
          LP_WIRE_ERROR_AUTH_TOKEN_INVALID));
  g_clear_error (&error);
  t = token;
  t.expiration += 3600;
  fail_if (lp_auth_token_verify (secret, &t, now, &error));
  fail_unless (g_error_matches (error, LP_WIRE_ERROR,
          LP_WIRE_ERROR_AUTH_TOKEN_INVALID));
  g_clear_error (&error);
  memcpy (other, secret, 32);
  other[0] ^= 0x80;
  fail_if (lp_auth_token_verify (other, &token, now, &error));
  fail_unless (g_error_matches (error, LP_WIRE_ERROR,
          LP_WIRE_ERROR_AUTH_TOKEN_INVALID));
  g_clear_error (&error);

  /* new sessions: 8 hex digits, 30 minutes, distinct */
  fail_unless (lp_auth_token_new_session (secret, now, &token, &error));
  fail_unless (lp_auth_token_new_session (secret, now, &t, &error));
  fail_unless_equals_int (strlen (token.session_id), 8);
  for (i = 0; i < 8; i++)
    fail_unless (g_ascii_isxdigit (token.session_id[i]));
  fail_unless_equals_int64 (token.expiration, now + LP_AUTH_TOKEN_VALIDITY_S);
  fail_if (strcmp (token.session_id, t.session_id) == 0
      && memcmp (token.token, t.token, 32) == 0);
  fail_unless (lp_auth_token_verify (secret, &token, now + 1800, &error));
  fail_if (lp_auth_token_verify (secret, &token, now + 1801, NULL));

  /* bad inputs */
  fail_if (lp_auth_token_create (secret, "", now, &t, &error));
  fail_unless (g_error_matches (error, LP_WIRE_ERROR,
          LP_WIRE_ERROR_INVALID_VALUE));
  g_clear_error (&error);
  fail_if (lp_auth_token_create (secret, "abc", -1, &t, &error));
  g_clear_error (&error);

  /* through the wire (protobuf) and back, still valid */
  {
    g_autoptr (LpProtoAuthToken) p = lp_wire_auth_token_to_proto (&token);
    g_autoptr (GBytes) bytes = lp_proto_auth_token_encode (p);
    g_autoptr (LpProtoAuthToken) p_back =
        lp_proto_auth_token_decode (g_bytes_get_data (bytes, NULL),
        g_bytes_get_size (bytes), &error);

    fail_unless (p_back != NULL, "%s", error ? error->message : "");
    fail_unless (lp_wire_auth_token_from_proto (p_back, &t, &error), "%s",
        error ? error->message : "");
    fail_unless (lp_auth_token_verify (secret, &t, now, &error));
  }
}

GST_END_TEST;

static Suite *
wire_suite (void)
{
  Suite *s = suite_create ("lpwire");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_segment_vector);
  tcase_add_test (tc, test_result_vector);
  tcase_add_test (tc, test_payment_example);
  tcase_add_test (tc, test_payment_ticket_vector);
  tcase_add_test (tc, test_payment_round_trip);
  tcase_add_test (tc, test_payment_header_fits);
  tcase_add_test (tc, test_seg_data_round_trip);
  tcase_add_test (tc, test_orchestrator_round_trip);
  tcase_add_test (tc, test_result_round_trip);
  tcase_add_test (tc, test_small_round_trips);
  tcase_add_test (tc, test_payment_validation);
  tcase_add_test (tc, test_header_validation);
  tcase_add_test (tc, test_seg_data_validation);
  tcase_add_test (tc, test_info_result_validation);
  tcase_add_test (tc, test_capabilities);
  tcase_add_test (tc, test_auth_token);

  return s;
}

GST_CHECK_MAIN (wire);

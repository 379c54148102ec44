/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of lpcrypto: Keccak-256, addresses, keys, signatures, and
 * every hash vector of docs/design/protocol.md §8.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpcheck.h"
#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpuint256.h>

/* secp256k1 group order n */
#define ORDER_HEX \
  "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"
/* a well-known test key and its address (web3.js documentation) */
#define KEY2_HEX \
  "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
#define KEY2_ADDRESS "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"

static void
keccak_text (const gchar * text, guint8 digest[LP_KECCAK256_SIZE])
{
  lp_keccak256 ((const guint8 *) text, strlen (text), digest);
}

static void
uint256_from_text (const gchar * text, LpUint256 * value)
{
  GError *error = NULL;

  fail_unless (lp_uint256_parse (text, value, &error), "%s",
      error ? error->message : "");
}

/* ---- Keccak-256 ---- */

GST_START_TEST (test_keccak_vectors)
{
  guint8 digest[LP_KECCAK256_SIZE];
  static const struct
  {
    guint length;
    const gchar *hex;
  } a_runs[] = {
    /* around the 136-byte rate: padding in one byte, in a fresh block, ... */
    {135, "34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446"},
    {136, "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e"},
    {137, "d869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39"},
    {272, "cf7fcd4f705ee749930d19ca84561a9bf62516bd90a471545fa2f49fdc7e63c8"},
    {1000, "b6a4ac1f51884d71f30fa397a5e155de3099e11fc0edef5d08b646e621e19de9"},
  };
  guint i;

  lp_keccak256 (NULL, 0, digest);
  lp_check_assert_hex (digest, sizeof (digest),
      "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  keccak_text ("hello", digest);
  lp_check_assert_hex (digest, sizeof (digest),
      "1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8");

  for (i = 0; i < G_N_ELEMENTS (a_runs); i++) {
    gchar *text = g_strnfill (a_runs[i].length, 'a');

    keccak_text (text, digest);
    lp_check_assert_hex (digest, sizeof (digest), a_runs[i].hex);
    g_free (text);
  }
}

GST_END_TEST;

GST_START_TEST (test_keccak_incremental)
{
  guint8 data[700], one_shot[LP_KECCAK256_SIZE], digest[LP_KECCAK256_SIZE];
  LpKeccak ctx;
  gsize split, i, chunk;

  for (i = 0; i < sizeof (data); i++)
    data[i] = (guint8) (i * 131 + 7);
  lp_keccak256 (data, sizeof (data), one_shot);

  /* every two-piece split */
  for (split = 0; split <= sizeof (data); split++) {
    lp_keccak256_init (&ctx);
    lp_keccak256_update (&ctx, data, split);
    lp_keccak256_update (&ctx, data + split, sizeof (data) - split);
    lp_keccak256_digest (&ctx, digest);
    fail_unless (memcmp (digest, one_shot, sizeof (digest)) == 0,
        "split at %" G_GSIZE_FORMAT " differs", split);
  }

  /* uneven chunks, including empty updates */
  for (chunk = 1; chunk < 20; chunk++) {
    lp_keccak256_init (&ctx);
    for (i = 0; i < sizeof (data); i += chunk) {
      lp_keccak256_update (&ctx, data + i, MIN (chunk, sizeof (data) - i));
      lp_keccak256_update (&ctx, NULL, 0);
    }
    lp_keccak256_digest (&ctx, digest);
    fail_unless (memcmp (digest, one_shot, sizeof (digest)) == 0,
        "chunks of %" G_GSIZE_FORMAT " differ", chunk);
  }

  /* the state is ready for a new message after digest */
  lp_keccak256_update (&ctx, (const guint8 *) "hello", 5);
  lp_keccak256_digest (&ctx, digest);
  lp_check_assert_hex (digest, sizeof (digest),
      "1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8");
}

GST_END_TEST;

/* ---- addresses ---- */

GST_START_TEST (test_eip55)
{
  static const gchar *const vectors[] = {
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
  };
  gchar text[LP_ADDRESS_TEXT_SIZE];
  LpAddress address;
  GError *error = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (vectors); i++) {
    gchar *lower = g_ascii_strdown (vectors[i], -1);
    gchar *upper = g_ascii_strup (vectors[i] + 2, -1);
    gchar *s;

    /* lowercase in, checksummed out */
    fail_unless (lp_address_parse (lower, &address, &error));
    lp_address_format (&address, text);
    fail_unless_equals_string (text, vectors[i]);
    s = lp_address_to_string (&address);
    fail_unless_equals_string (s, vectors[i]);
    g_free (s);

    /* checksummed and all-uppercase (without 0x) are accepted too */
    memset (&address, 0, sizeof (address));
    fail_unless (lp_address_parse (vectors[i], &address, &error));
    lp_address_format (&address, text);
    fail_unless_equals_string (text, vectors[i]);
    memset (&address, 0, sizeof (address));
    fail_unless (lp_address_parse (upper, &address, &error));
    lp_address_format (&address, text);
    fail_unless_equals_string (text, vectors[i]);

    g_free (lower);
    g_free (upper);
  }
}

GST_END_TEST;

GST_START_TEST (test_address_parse_errors)
{
  LpAddress address, before;
  GError *error = NULL;

  memset (&address, 0x5a, sizeof (address));
  before = address;

  /* one letter's case flipped: a mistyped checksum */
  fail_if (lp_address_parse ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
          &address, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_BAD_CHECKSUM));
  fail_unless (strstr (error->message,
          "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed") != NULL);
  g_clear_error (&error);

  fail_if (lp_address_parse ("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae",
          &address, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_INVALID_ADDRESS));
  g_clear_error (&error);
  fail_if (lp_address_parse ("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00",
          &address, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_INVALID_ADDRESS));
  g_clear_error (&error);
  fail_if (lp_address_parse ("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg",
          &address, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_INVALID_ADDRESS));
  g_clear_error (&error);
  fail_if (lp_address_parse ("", &address, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_INVALID_ADDRESS));
  g_clear_error (&error);
  fail_if (lp_address_parse (" 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
          &address, &error));
  g_clear_error (&error);

  /* failures leave the output alone */
  fail_unless (lp_address_equal (&address, &before));

  memset (&address, 0, sizeof (address));
  fail_unless (lp_address_is_zero (&address));
  address.bytes[19] = 1;
  fail_if (lp_address_is_zero (&address));
}

GST_END_TEST;

/* ---- docs/design/protocol.md §8 ---- */

GST_START_TEST (test_discovery_digest)
{
  static const gchar text[] = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
  guint8 digest[LP_KECCAK256_SIZE];

  /* the broadcaster signs its EIP-55 address text as a message */
  fail_unless_equals_int (strlen (text), LP_ADDRESS_TEXT_LENGTH);
  keccak_text (text, digest);
  lp_personal_digest (digest, digest);
  lp_check_assert_hex (digest, sizeof (digest),
      "45fe1a9e243802deeff8792af8a95ae4dc3058fb7b31789416722eb6192cf9d4");
}

GST_END_TEST;

GST_START_TEST (test_profile_ids)
{
  static const struct
  {
    const gchar *name;
    const gchar *id;
  } presets[] = {
    {"P720p30fps16x9", "49d54ea9"},
    {"P360p30fps16x9", "93c717e7"},
    {"P240p30fps16x9", "c0a6517a"},
    {"P720p60fps16x9", "a7ac137a"},
    {"P144p30fps16x9", "fca40bf9"},
  };
  guint8 digest[LP_KECCAK256_SIZE];
  guint i;

  for (i = 0; i < G_N_ELEMENTS (presets); i++) {
    keccak_text (presets[i].name, digest);
    lp_check_assert_hex (digest, 4, presets[i].id);
  }
}

GST_END_TEST;

GST_START_TEST (test_segment_message)
{
  GByteArray *message = g_byte_array_new ();
  guint8 buf[LP_KECCAK256_SIZE];
  LpUint256 seq;
  GString *ids = g_string_new (NULL);
  static const gchar *const profiles[] = { "P720p30fps16x9", "P360p30fps16x9" };
  guint i;

  /* manifestId ‖ pad32(seq) ‖ keccak(data) ‖ hex(first 4 bytes of
   * keccak(profile name), for each profile) */
  g_byte_array_append (message, (const guint8 *) "abcd", 4);
  lp_uint256_from_uint64 (7, &seq);
  lp_uint256_pad32 (&seq, buf);
  g_byte_array_append (message, buf, 32);
  keccak_text ("hello", buf);
  g_byte_array_append (message, buf, 32);
  for (i = 0; i < G_N_ELEMENTS (profiles); i++) {
    gchar *hex;

    keccak_text (profiles[i], buf);
    hex = lp_hex_encode (buf, 4, FALSE);
    g_string_append (ids, hex);
    g_free (hex);
  }
  fail_unless_equals_string (ids->str, "49d54ea993c717e7");
  g_byte_array_append (message, (const guint8 *) ids->str, ids->len);
  fail_unless_equals_int (message->len, 84);

  lp_keccak256 (message->data, message->len, buf);
  lp_check_assert_hex (buf, 32,
      "eeb0a68f4466ca0c6dd1b1640276c9085f06e25d31abbf8cb62b4e4fee65a770");
  lp_personal_digest (buf, buf);
  lp_check_assert_hex (buf, 32,
      "bf7d48706f6c3a634e44770cf07c8835b3f61b253245e432e0ba49bf9ce59902");

  g_string_free (ids, TRUE);
  g_byte_array_unref (message);
}

GST_END_TEST;

static void
append_uint256 (GByteArray * packed, const gchar * text)
{
  guint8 buf[LP_UINT256_SIZE];
  LpUint256 value;

  uint256_from_text (text, &value);
  lp_uint256_pad32 (&value, buf);
  g_byte_array_append (packed, buf, sizeof (buf));
}

static void
append_filled (GByteArray * packed, guint8 byte, guint count)
{
  guint8 buf[32];

  memset (buf, byte, count);
  g_byte_array_append (packed, buf, count);
}

/* Solidity's abi.encodePacked of a ticket, as docs/design/protocol.md §3 */
static GByteArray *
pack_ticket (const gchar * round, guint8 block_hash_byte)
{
  static const gchar win_prob[] =
      "771947261582107969490473233391252719021799897770937093596383896000000000";
  GByteArray *packed = g_byte_array_new ();

  append_filled (packed, 0x11, 20);     /* recipient */
  append_filled (packed, 0x22, 20);     /* sender */
  append_uint256 (packed, "1.2e15");    /* faceValue */
  append_uint256 (packed, win_prob);    /* winProb */
  append_uint256 (packed, "1"); /* senderNonce */
  append_filled (packed, 0x33, 32);     /* recipientRandHash */
  if (round != NULL) {          /* auxData */
    append_uint256 (packed, round);
    append_filled (packed, block_hash_byte, 32);
  }
  return packed;
}

GST_START_TEST (test_ticket_hash)
{
  guint8 hash[LP_KECCAK256_SIZE];
  GByteArray *packed;

  packed = pack_ticket ("3000", 0x44);
  fail_unless_equals_int (packed->len, 232);
  lp_keccak256 (packed->data, packed->len, hash);
  lp_check_assert_hex (hash, sizeof (hash),
      "6ee25348ca6fa4b7655841bf1599f3da736d4edfc23d44f6118a5565df1c2888");
  lp_personal_digest (hash, hash);
  lp_check_assert_hex (hash, sizeof (hash),
      "7a42f00e38fc80d9f73a08d5b50527bb1c1d1760293ef6c3fc2925d5adb237a3");
  g_byte_array_unref (packed);

  /* round 0 and a zero block hash: no auxData at all */
  packed = pack_ticket (NULL, 0);
  fail_unless_equals_int (packed->len, 168);
  lp_keccak256 (packed->data, packed->len, hash);
  lp_check_assert_hex (hash, sizeof (hash),
      "97b6b58f4d547a61425d70de3cacdfbf2ee7a05d916b2aa8cf0764202a2281c6");
  g_byte_array_unref (packed);
}

GST_END_TEST;

GST_START_TEST (test_win_prob_vector)
{
  LpUint256 ev, face, max, quotient, win_prob;
  GError *error = NULL;
  gchar *text;

  uint256_from_text ("8e9", &ev);
  uint256_from_text ("1.2e15", &face);
  lp_uint256_set_max (&max);
  fail_unless (lp_uint256_ceil_div (&max, &face, &quotient, &error));
  fail_unless (lp_uint256_mul (&ev, &quotient, &win_prob, &error));
  text = lp_uint256_to_string (&win_prob);
  fail_unless_equals_string (text,
      "771947261582107969490473233391252719021799897770937093596383896000000000");
  g_free (text);
}

GST_END_TEST;

GST_START_TEST (test_recipient_rand_hash)
{
  guint8 buf[LP_UINT256_SIZE];
  LpUint256 rand;

  uint256_from_text ("123456789", &rand);
  lp_uint256_pad32 (&rand, buf);
  lp_keccak256 (buf, sizeof (buf), buf);
  lp_check_assert_hex (buf, sizeof (buf),
      "f395757e0d74803aae4e8adb875451d99622e911b61c64e044e0bd16a16f18cd");
}

GST_END_TEST;

GST_START_TEST (test_rendition_hash)
{
  guint8 h[LP_KECCAK256_SIZE], buf[LP_KECCAK256_SIZE];
  LpKeccak ctx;

  lp_keccak256_init (&ctx);
  keccak_text ("rendition-one", buf);
  lp_keccak256_update (&ctx, buf, sizeof (buf));
  keccak_text ("rendition-two", buf);
  lp_keccak256_update (&ctx, buf, sizeof (buf));
  lp_keccak256_digest (&ctx, h);
  lp_check_assert_hex (h, sizeof (h),
      "93712e35ddb18ec5abb0b96db85b7e5215883003258936121c54b46d3599d914");
  lp_personal_digest (h, buf);
  lp_check_assert_hex (buf, sizeof (buf),
      "66319756f17d75d4d2493893af141afd7622bfd26ed45de7af929172c998ab7a");
}

GST_END_TEST;

/* ---- keys ---- */

GST_START_TEST (test_key_addresses)
{
  static const struct
  {
    const gchar *key;
    const gchar *address;
  } vectors[] = {
    {"0000000000000000000000000000000000000000000000000000000000000001",
        "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"},
    {KEY2_HEX, KEY2_ADDRESS},
    /* n - 1, the largest valid key */
    {"fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140",
        "0x80C0dbf239224071c59dD8970ab9d542E3414aB2"},
  };
  gchar text[LP_ADDRESS_TEXT_SIZE];
  guint8 secret[LP_PRIVATE_KEY_SIZE], public_key[64];
  LpAddress address;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (vectors); i++) {
    LpPrivateKey *key = lp_check_key_from_hex (vectors[i].key);

    lp_address_format (lp_private_key_get_address (key), text);
    fail_unless_equals_string (text, vectors[i].address);

    lp_private_key_export (key, secret);
    lp_check_assert_hex (secret, sizeof (secret), vectors[i].key);
    lp_private_key_get_public_key (key, public_key);
    lp_address_from_public_key (public_key, &address);
    fail_unless (lp_address_equal (&address, lp_private_key_get_address (key)));

    /* references */
    fail_unless (lp_private_key_ref (key) == key);
    lp_private_key_unref (key);
    lp_private_key_unref (key);
  }
}

GST_END_TEST;

GST_START_TEST (test_key_refusals)
{
  guint8 secret[LP_PRIVATE_KEY_SIZE];
  GError *error = NULL;
  LpUint256 order, value, one;

  memset (secret, 0, sizeof (secret));
  fail_if (lp_private_key_new_from_bytes (secret, 32, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_KEY_ZERO));
  g_clear_error (&error);

  /* n itself and n + 1 are refused, as is 2^256 - 1 */
  uint256_from_text ("0x" ORDER_HEX, &order);
  lp_uint256_pad32 (&order, secret);
  fail_if (lp_private_key_new_from_bytes (secret, 32, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_KEY_OUT_OF_RANGE));
  g_clear_error (&error);
  lp_uint256_from_uint64 (1, &one);
  fail_unless (lp_uint256_add (&order, &one, &value, NULL));
  lp_uint256_pad32 (&value, secret);
  fail_if (lp_private_key_new_from_bytes (secret, 32, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_KEY_OUT_OF_RANGE));
  g_clear_error (&error);
  memset (secret, 0xff, sizeof (secret));
  fail_if (lp_private_key_new_from_bytes (secret, 32, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_KEY_OUT_OF_RANGE));
  g_clear_error (&error);

  /* n - 1 is fine */
  fail_unless (lp_uint256_sub (&order, &one, &value, NULL));
  lp_uint256_pad32 (&value, secret);
  lp_private_key_unref (lp_private_key_new_from_bytes (secret, 32, &error));
  fail_unless (error == NULL);

  secret[0] = 1;
  fail_if (lp_private_key_new_from_bytes (secret, 31, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_KEY_LENGTH));
  g_clear_error (&error);
  fail_if (lp_private_key_new_from_bytes (secret, 33, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_KEY_LENGTH));
  g_clear_error (&error);
}

GST_END_TEST;

GST_START_TEST (test_key_generate)
{
  LpPrivateKey *a, *b;
  guint8 sa[LP_PRIVATE_KEY_SIZE], sb[LP_PRIVATE_KEY_SIZE];
  GError *error = NULL;

  a = lp_private_key_generate (&error);
  b = lp_private_key_generate (&error);
  fail_unless (a != NULL && b != NULL);
  lp_private_key_export (a, sa);
  lp_private_key_export (b, sb);
  fail_if (memcmp (sa, sb, sizeof (sa)) == 0);
  fail_if (lp_address_equal (lp_private_key_get_address (a),
          lp_private_key_get_address (b)));
  lp_private_key_unref (a);
  lp_private_key_unref (b);
}

GST_END_TEST;

/* ---- signatures ---- */

GST_START_TEST (test_sign_vectors)
{
  static const gchar some_data_digest[] =
      "1da44b586eb0729ff70a73c326926f6ed5a25f5b056e7f47fbc6e58d86871655";
  static const gchar hello_sig[] =
      "25535c5db03aa05e8ab66afa054dd4b5d11920371f752e768fdcbe9beb7a2a68"
      "76b87e3588712b4795207a8ccf4f49b1c896cb8503ee8d60addf53799a88c7731c";
  LpPrivateKey *key = lp_check_key_from_hex (KEY2_HEX);
  guint8 digest[32], sig[LP_SIGNATURE_SIZE], hash[32];
  GError *error = NULL;
  LpAddress signer;

  /* web3.js's documented signature of "Some data" (a raw digest here) */
  fail_unless (lp_hex_decode (some_data_digest, digest, 32, NULL));
  fail_unless (lp_private_key_sign_digest (key, digest, sig, &error));
  lp_check_assert_hex (sig, sizeof (sig),
      "b91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd"
      "6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a0291c");
  fail_unless (lp_recover_digest (digest, sig, sizeof (sig), &signer, &error));
  fail_unless (lp_address_equal (&signer, lp_private_key_get_address (key)));

  /* message signature of "hello" == hash signature of keccak("hello"),
   * bytes as ethers computes them */
  fail_unless (lp_sign_message (key, (const guint8 *) "hello", 5, sig, &error));
  lp_check_assert_hex (sig, sizeof (sig), hello_sig);
  keccak_text ("hello", hash);
  memset (sig, 0, sizeof (sig));
  fail_unless (lp_sign_hash (key, hash, sig, &error));
  lp_check_assert_hex (sig, sizeof (sig), hello_sig);

  lp_private_key_unref (key);
}

GST_END_TEST;

GST_START_TEST (test_sign_round_trip)
{
  guint8 message[200], hash[32], sig[LP_SIGNATURE_SIZE], sig2[65];
  GError *error = NULL;
  LpAddress signer;
  guint i;

  for (i = 0; i < 20; i++) {
    LpPrivateKey *key = lp_private_key_generate (&error);
    LpPrivateKey *other = lp_private_key_generate (&error);
    const LpAddress *address = lp_private_key_get_address (key);
    gsize length = (i * 37) % sizeof (message);

    fail_unless (lp_crypto_random_bytes (message, sizeof (message), &error));
    fail_unless (lp_crypto_random_bytes (hash, sizeof (hash), &error));

    /* message signatures */
    fail_unless (lp_sign_message (key, message, length, sig, &error));
    fail_unless (sig[64] == 27 || sig[64] == 28);
    fail_unless (lp_verify_message (address, message, length, sig, 65,
            &error), "%s", error ? error->message : "");
    fail_unless (lp_recover_message (message, length, sig, 65, &signer,
            &error));
    fail_unless (lp_address_equal (&signer, address));
    /* deterministic */
    fail_unless (lp_sign_message (key, message, length, sig2, &error));
    fail_unless (memcmp (sig, sig2, 65) == 0);
    /* another signer */
    fail_if (lp_verify_message (lp_private_key_get_address (other), message,
            length, sig, 65, &error));
    fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
            LP_CRYPTO_ERROR_WRONG_SIGNER));
    g_clear_error (&error);
    /* another message */
    message[length] ^= 1;
    fail_if (lp_verify_message (address, message, length + 1, sig, 65, &error));
    g_clear_error (&error);

    /* hash signatures */
    fail_unless (lp_sign_hash (key, hash, sig, &error));
    fail_unless (lp_verify_hash (address, hash, sig, 65, &error));
    fail_unless (lp_recover_hash (hash, sig, 65, &signer, &error));
    fail_unless (lp_address_equal (&signer, address));
    hash[i % 32] ^= 0x80;
    fail_if (lp_verify_hash (address, hash, sig, 65, &error));
    g_clear_error (&error);
    hash[i % 32] ^= 0x80;

    /* the two paths do not mix: a message signature of 32 bytes is not a
     * hash signature of them, and the other way round */
    fail_unless (lp_sign_message (key, hash, 32, sig, &error));
    fail_if (lp_verify_hash (address, hash, sig, 65, &error));
    g_clear_error (&error);
    fail_unless (lp_sign_hash (key, hash, sig, &error));
    fail_if (lp_verify_message (address, hash, 32, sig, 65, &error));
    g_clear_error (&error);

    lp_private_key_unref (key);
    lp_private_key_unref (other);
  }
}

GST_END_TEST;

static void
assert_invalid_signature (const LpAddress * address, const guint8 hash[32],
    const guint8 * sig, gsize length, const gchar * reason)
{
  GError *error = NULL;
  LpAddress signer;

  fail_if (lp_verify_hash (address, hash, sig, length, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_INVALID_SIGNATURE), "%s",
      error ? error->message : "no error");
  fail_unless (strstr (error->message, reason) != NULL, "'%s' lacks '%s'",
      error->message, reason);
  g_clear_error (&error);
  fail_if (lp_recover_hash (hash, sig, length, &signer, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_INVALID_SIGNATURE));
  g_clear_error (&error);
}

GST_START_TEST (test_signature_refusals)
{
  LpPrivateKey *key = lp_check_key_from_hex (KEY2_HEX);
  const LpAddress *address = lp_private_key_get_address (key);
  guint8 hash[32], sig[LP_SIGNATURE_SIZE], bad[LP_SIGNATURE_SIZE + 1];
  LpUint256 order, s, high_s;
  GError *error = NULL;
  static const guint8 bad_v[] = { 0, 1, 2, 26, 29, 35, 36, 255 };
  guint i;

  keccak_text ("ticket", hash);
  fail_unless (lp_sign_hash (key, hash, sig, &error));
  fail_unless (lp_verify_hash (address, hash, sig, 65, &error));

  /* length */
  assert_invalid_signature (address, hash, sig, 64, "64 bytes");
  memcpy (bad, sig, 65);
  bad[65] = 0;
  assert_invalid_signature (address, hash, bad, 66, "66 bytes");
  assert_invalid_signature (address, hash, NULL, 0, "0 bytes");

  /* v outside {27, 28}, including the raw recovery ids 0 and 1 and
   * EIP-155 values */
  for (i = 0; i < G_N_ELEMENTS (bad_v); i++) {
    memcpy (bad, sig, 65);
    bad[64] = bad_v[i];
    assert_invalid_signature (address, hash, bad, 65, "v is");
  }

  /* high s: (r, n - s, v ^ 1) is the same signature mirrored, which plain
   * ECDSA accepts; the protocol refuses it */
  uint256_from_text ("0x" ORDER_HEX, &order);
  lp_uint256_from_bytes32 (sig + 32, &s);
  fail_unless (lp_uint256_sub (&order, &s, &high_s, &error));
  memcpy (bad, sig, 65);
  lp_uint256_pad32 (&high_s, bad + 32);
  bad[64] = sig[64] == 27 ? 28 : 27;
  assert_invalid_signature (address, hash, bad, 65, "above n/2");

  /* r = 0, and r or s not below n */
  memcpy (bad, sig, 65);
  memset (bad, 0, 32);
  assert_invalid_signature (address, hash, bad, 65, "Invalid signature");
  memcpy (bad, sig, 65);
  lp_uint256_pad32 (&order, bad);
  assert_invalid_signature (address, hash, bad, 65, "group order");
  memcpy (bad, sig, 65);
  memset (bad + 32, 0xff, 32);
  assert_invalid_signature (address, hash, bad, 65, "group order");

  /* the untouched signature still verifies */
  fail_unless (lp_verify_hash (address, hash, sig, 65, &error));
  lp_private_key_unref (key);
}

GST_END_TEST;

typedef struct
{
  LpPrivateKey *key;
  guint8 hash[32];
  guint8 expected[65];
  gint failures;
} ThreadData;

static gpointer
sign_thread (gpointer user_data)
{
  ThreadData *data = user_data;
  guint8 sig[65];
  guint i;

  for (i = 0; i < 200; i++) {
    if (!lp_sign_hash (data->key, data->hash, sig, NULL)
        || memcmp (sig, data->expected, 65) != 0
        || !lp_verify_hash (lp_private_key_get_address (data->key),
            data->hash, sig, 65, NULL))
      g_atomic_int_inc (&data->failures);
  }
  return NULL;
}

GST_START_TEST (test_sign_threads)
{
  ThreadData data = { 0, };
  GThread *threads[4];
  guint i;

  data.key = lp_private_key_generate (NULL);
  keccak_text ("threads", data.hash);
  fail_unless (lp_sign_hash (data.key, data.hash, data.expected, NULL));
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("signer", sign_thread, &data);
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  fail_unless_equals_int (data.failures, 0);
  lp_private_key_unref (data.key);
}

GST_END_TEST;

/* ---- helpers ---- */

GST_START_TEST (test_hex)
{
  guint8 out[4];
  GError *error = NULL;
  GBytes *bytes;
  gchar *text;

  text = lp_hex_encode ((const guint8 *) "\x00\xab\xff", 3, TRUE);
  fail_unless_equals_string (text, "0x00abff");
  g_free (text);
  text = lp_hex_encode (NULL, 0, FALSE);
  fail_unless_equals_string (text, "");
  g_free (text);

  fail_unless (lp_hex_decode ("0xDEADbeef", out, 4, &error));
  fail_unless (memcmp (out, "\xde\xad\xbe\xef", 4) == 0);
  fail_unless (lp_hex_decode ("deadbeef", out, 4, &error));
  fail_if (lp_hex_decode ("deadbee", out, 4, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_INVALID_HEX));
  g_clear_error (&error);
  fail_if (lp_hex_decode ("deadbeefaa", out, 4, &error));
  g_clear_error (&error);
  fail_if (lp_hex_decode ("deadbeeg", out, 4, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_INVALID_HEX));
  g_clear_error (&error);

  bytes = lp_hex_decode_bytes ("0x0102", 16, &error);
  fail_unless (bytes != NULL);
  fail_unless_equals_int (g_bytes_get_size (bytes), 2);
  g_bytes_unref (bytes);
  bytes = lp_hex_decode_bytes ("0x", 16, &error);
  fail_unless_equals_int (g_bytes_get_size (bytes), 0);
  g_bytes_unref (bytes);
  fail_if (lp_hex_decode_bytes ("0x010", 16, &error));
  g_clear_error (&error);
  fail_if (lp_hex_decode_bytes ("010203", 2, &error));
  fail_unless (g_error_matches (error, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_INVALID_HEX));
  g_clear_error (&error);
  fail_if (lp_hex_decode_bytes ("zz", 2, &error));
  g_clear_error (&error);
}

GST_END_TEST;

GST_START_TEST (test_memeq_random)
{
  guint8 a[64], b[64];
  GError *error = NULL;

  fail_unless (lp_crypto_random_bytes (a, sizeof (a), &error));
  fail_unless (lp_crypto_random_bytes (b, sizeof (b), &error));
  fail_if (memcmp (a, b, sizeof (a)) == 0);
  fail_if (lp_crypto_memeq (a, b, sizeof (a)));
  memcpy (b, a, sizeof (a));
  fail_unless (lp_crypto_memeq (a, b, sizeof (a)));
  b[63] ^= 1;
  fail_if (lp_crypto_memeq (a, b, sizeof (a)));
  fail_unless (lp_crypto_memeq (a, b, 63));
  fail_unless (lp_crypto_memeq (NULL, NULL, 0));

  lp_crypto_wipe (a, sizeof (a));
  memset (b, 0, sizeof (b));
  fail_unless (memcmp (a, b, sizeof (a)) == 0);
}

GST_END_TEST;

static Suite *
crypto_suite (void)
{
  Suite *s = suite_create ("lpcrypto");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_keccak_vectors);
  tcase_add_test (tc, test_keccak_incremental);
  tcase_add_test (tc, test_eip55);
  tcase_add_test (tc, test_address_parse_errors);
  tcase_add_test (tc, test_discovery_digest);
  tcase_add_test (tc, test_profile_ids);
  tcase_add_test (tc, test_segment_message);
  tcase_add_test (tc, test_ticket_hash);
  tcase_add_test (tc, test_win_prob_vector);
  tcase_add_test (tc, test_recipient_rand_hash);
  tcase_add_test (tc, test_rendition_hash);
  tcase_add_test (tc, test_key_addresses);
  tcase_add_test (tc, test_key_refusals);
  tcase_add_test (tc, test_key_generate);
  tcase_add_test (tc, test_sign_vectors);
  tcase_add_test (tc, test_sign_round_trip);
  tcase_add_test (tc, test_signature_refusals);
  tcase_add_test (tc, test_sign_threads);
  tcase_add_test (tc, test_hex);
  tcase_add_test (tc, test_memeq_random);

  return s;
}

GST_CHECK_MAIN (crypto);

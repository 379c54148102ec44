/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of lpethtx: EIP-155's worked example (signing data, signing
 * hash, signed transaction), type 2 round trips, and decoding refusals.
 * The ethers cross-check (ethers/chain.mjs) covers random transactions of
 * both types.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpcheck.h"
#include <gst/livepeer/lpethtx.h>

#define KEY_46 \
  "4646464646464646464646464646464646464646464646464646464646464646"
/* EIP-155's example */
#define EIP155_SIGNING_DATA "ec098504a817c800825208943535353535353535353535" \
  "353535353535353535880de0b6b3a764000080018080"
#define EIP155_SIGNING_HASH \
  "daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53"
#define EIP155_SIGNED "f86c098504a817c8008252089435353535353535353535353535" \
  "35353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003" \
  "e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3" \
  "dc64214b297fb1966a3b6d83"

static void
eip155_tx (LpEthTx * tx)
{
  lp_eth_tx_init (tx);
  tx->type = LP_ETH_TX_LEGACY;
  tx->chain_id = 1;
  tx->nonce = 9;
  lp_uint256_from_uint64 (20000000000, &tx->gas_price);
  tx->gas_limit = 21000;
  tx->has_to = TRUE;
  memset (tx->to.bytes, 0x35, sizeof (tx->to.bytes));
  lp_uint256_from_uint64 (1000000000000000000, &tx->value);
}

static void
assert_bytes_hex (GBytes * bytes, const gchar * expected)
{
  lp_check_assert_hex (g_bytes_get_data (bytes, NULL),
      g_bytes_get_size (bytes), expected);
}

GST_START_TEST (test_eip155_example)
{
  g_auto (LpEthTx) tx = { 0 };
  g_auto (LpEthTx) back = { 0 };
  LpPrivateKey *key = lp_check_key_from_hex (KEY_46);
  GError *error = NULL;
  guint8 hash[LP_KECCAK256_SIZE], tx_hash[LP_KECCAK256_SIZE];
  GBytes *payload, *raw;
  LpAddress sender;

  eip155_tx (&tx);
  payload = lp_eth_tx_signing_payload (&tx, &error);
  fail_unless (payload != NULL, "%s", error ? error->message : "");
  assert_bytes_hex (payload, EIP155_SIGNING_DATA);
  g_bytes_unref (payload);
  fail_unless (lp_eth_tx_signing_hash (&tx, hash, &error));
  lp_check_assert_hex (hash, sizeof (hash), EIP155_SIGNING_HASH);

  raw = lp_eth_tx_sign (&tx, key, tx_hash, &error);
  fail_unless (raw != NULL, "%s", error ? error->message : "");
  assert_bytes_hex (raw, EIP155_SIGNED);
  lp_eth_tx_hash (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), hash);
  fail_unless (memcmp (hash, tx_hash, sizeof (hash)) == 0);

  /* decoding gives the fields and the signer back */
  fail_unless (lp_eth_tx_decode (g_bytes_get_data (raw, NULL),
          g_bytes_get_size (raw), &back, &sender, &error), "%s",
      error ? error->message : "");
  fail_unless (lp_address_equal (&sender, lp_private_key_get_address (key)));
  fail_unless_equals_int (back.type, LP_ETH_TX_LEGACY);
  fail_unless_equals_uint64 (back.chain_id, 1);
  fail_unless_equals_uint64 (back.nonce, 9);
  fail_unless_equals_uint64 (back.gas_limit, 21000);
  lp_check_assert_u256 (&back.gas_price, "20000000000");
  lp_check_assert_u256 (&back.value, "1000000000000000000");
  fail_unless (back.has_to && lp_address_equal (&back.to, &tx.to));
  fail_unless (back.data == NULL);

  g_bytes_unref (raw);
  lp_private_key_unref (key);
}

GST_END_TEST;

static void
assert_round_trip (const LpEthTx * tx, const LpPrivateKey * key)
{
  g_auto (LpEthTx) back = { 0 };
  GError *error = NULL;
  GBytes *raw, *again;
  LpAddress sender;
  guint8 tx_hash[LP_KECCAK256_SIZE];

  raw = lp_eth_tx_sign (tx, key, tx_hash, &error);
  fail_unless (raw != NULL, "%s", error ? error->message : "");
  fail_unless (lp_eth_tx_decode (g_bytes_get_data (raw, NULL),
          g_bytes_get_size (raw), &back, &sender, &error), "%s",
      error ? error->message : "");
  fail_unless (lp_address_equal (&sender, lp_private_key_get_address (key)));
  again = lp_eth_tx_sign (&back, key, NULL, &error);
  fail_unless (g_bytes_equal (raw, again));
  g_bytes_unref (again);
  g_bytes_unref (raw);
}

GST_START_TEST (test_type2)
{
  g_auto (LpEthTx) tx = { 0 };
  LpPrivateKey *key = lp_check_key_from_hex (KEY_46);
  GError *error = NULL;
  GBytes *payload, *raw;
  const guint8 *p;
  guint8 call[68];

  lp_eth_tx_init (&tx);
  fail_unless_equals_int (tx.type, LP_ETH_TX_EIP1559);
  tx.chain_id = 42161;
  tx.nonce = 0;
  lp_uint256_from_uint64 (1000000, &tx.max_priority_fee_per_gas);
  lp_uint256_from_uint64 (100000000, &tx.max_fee_per_gas);
  tx.gas_limit = 500000;
  tx.has_to = TRUE;
  memset (tx.to.bytes, 0xab, sizeof (tx.to.bytes));
  memset (call, 0x01, sizeof (call));
  tx.data = g_bytes_new (call, sizeof (call));

  /* 0x02 ‖ rlp([chainId = 42161, nonce = 0, ...]) */
  payload = lp_eth_tx_signing_payload (&tx, &error);
  p = g_bytes_get_data (payload, NULL);
  fail_unless_equals_int (p[0], 0x02);
  fail_unless_equals_int (p[1], 0xf8);  /* a long list */
  fail_unless_equals_int (p[3], 0x82);  /* 42161 in two bytes */
  fail_unless_equals_int (p[4], 0xa4);
  fail_unless_equals_int (p[5], 0xb1);
  fail_unless_equals_int (p[6], 0x80);  /* nonce 0 */
  /* the payload ends with the empty access list */
  fail_unless_equals_int (p[g_bytes_get_size (payload) - 1], 0xc0);
  g_bytes_unref (payload);

  raw = lp_eth_tx_sign (&tx, key, NULL, &error);
  fail_unless (raw != NULL);
  fail_unless_equals_int (((const guint8 *) g_bytes_get_data (raw, NULL))[0],
      0x02);
  g_bytes_unref (raw);

  assert_round_trip (&tx, key);
  /* a contract creation, no data, value and fees over 64 bits */
  tx.has_to = FALSE;
  g_clear_pointer (&tx.data, g_bytes_unref);
  lp_uint256_set_max (&tx.value);
  lp_uint256_set_max (&tx.max_fee_per_gas);
  assert_round_trip (&tx, key);
  tx.type = LP_ETH_TX_LEGACY;
  lp_uint256_set_max (&tx.gas_price);
  assert_round_trip (&tx, key);
  lp_private_key_unref (key);
}

GST_END_TEST;

static void
assert_decode_fails (const guint8 * raw, gsize length, const gchar * why)
{
  g_auto (LpEthTx) tx = { 0 };
  GError *error = NULL;
  LpAddress sender;

  fail_if (lp_eth_tx_decode (raw, length, &tx, &sender, &error), "%s", why);
  fail_unless (error != NULL);
  fail_unless (tx.data == NULL);
  g_error_free (error);
}

GST_START_TEST (test_decode_refusals)
{
  g_auto (LpEthTx) tx = { 0 };
  LpPrivateKey *key = lp_check_key_from_hex (KEY_46);
  GBytes *signed_tx = lp_hex_decode_bytes (EIP155_SIGNED, 1000, NULL);
  GBytes *equal_fees;
  GError *error = NULL;
  guint8 raw[200];
  gsize length = g_bytes_get_size (signed_tx);
  LpAddress sender;
  guint8 pre155[200];

  memcpy (raw, g_bytes_get_data (signed_tx, NULL), length);
  assert_decode_fails (raw, 0, "empty");
  assert_decode_fails (raw, length - 1, "truncated");
  raw[length] = 0;
  assert_decode_fails (raw, length + 1, "trailing byte");

  /* a changed byte of the signature recovers another signer or none */
  raw[length - 1] ^= 1;
  if (lp_eth_tx_decode (raw, length, &tx, &sender, &error)) {
    fail_if (lp_address_equal (&sender, lp_private_key_get_address (key)));
    lp_eth_tx_clear (&tx);
  } else {
    g_clear_error (&error);
  }
  raw[length - 1] ^= 1;

  /* v = 27: no EIP-155 replay protection */
  memcpy (pre155, raw, length);
  pre155[0x2b] = 0x1b;
  fail_unless_equals_int (raw[0x2b], 0x25);
  assert_decode_fails (pre155, length, "pre-EIP-155 v");
  /* EIP-2930 (type 1) and unknown types */
  pre155[0] = 0x01;
  assert_decode_fails (pre155, length, "type 1");
  pre155[0] = 0x03;
  assert_decode_fails (pre155, length, "type 3");

  /* the original still decodes */
  fail_unless (lp_eth_tx_decode (raw, length, &tx, &sender, &error));
  lp_eth_tx_clear (&tx);

  /* chain id 0 and unknown types cannot be signed */
  eip155_tx (&tx);
  tx.chain_id = 0;
  fail_if (lp_eth_tx_sign (&tx, key, NULL, &error));
  fail_unless (g_error_matches (error, LP_ETH_TX_ERROR,
          LP_ETH_TX_ERROR_INVALID));
  g_clear_error (&error);
  tx.chain_id = 1;
  tx.type = 1;
  fail_if (lp_eth_tx_signing_payload (&tx, &error));
  fail_unless (g_error_matches (error, LP_ETH_TX_ERROR,
          LP_ETH_TX_ERROR_INVALID));
  g_clear_error (&error);
  lp_eth_tx_clear (&tx);

  /* a type 2 priority fee above its fee cap is refused before signing
   * (nodes reject it as "max priority fee per gas higher than max fee per
   * gas"); equal fees are valid */
  lp_eth_tx_init (&tx);
  tx.chain_id = 1;
  lp_uint256_from_uint64 (101, &tx.max_priority_fee_per_gas);
  lp_uint256_from_uint64 (100, &tx.max_fee_per_gas);
  fail_if (lp_eth_tx_sign (&tx, key, NULL, &error));
  fail_unless (g_error_matches (error, LP_ETH_TX_ERROR,
          LP_ETH_TX_ERROR_INVALID));
  fail_unless (strstr (error->message, "max_fee_per_gas") != NULL,
      "unexpected message: %s", error->message);
  g_clear_error (&error);
  lp_uint256_from_uint64 (100, &tx.max_priority_fee_per_gas);
  equal_fees = lp_eth_tx_sign (&tx, key, NULL, &error);
  fail_unless (equal_fees != NULL, "%s", error ? error->message : "");
  g_bytes_unref (equal_fees);

  g_bytes_unref (signed_tx);
  lp_private_key_unref (key);
}

GST_END_TEST;

static Suite *
ethtx_suite (void)
{
  Suite *s = suite_create ("lpethtx");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_eip155_example);
  tcase_add_test (tc, test_type2);
  tcase_add_test (tc, test_decode_refusals);

  return s;
}

GST_CHECK_MAIN (ethtx);

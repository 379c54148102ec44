/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:lpethtx
 * @title: Ethereum transactions
 * @short_description: encoding and local signing of transactions
 *
 * Two envelopes, both RLP:
 *
 * - legacy with EIP-155 replay protection: the signer hashes
 *   `rlp([nonce, gasPrice, gasLimit, to, value, data, chainId, 0, 0])`
 *   and the raw transaction is
 *   `rlp([nonce, gasPrice, gasLimit, to, value, data, v, r, s])` with
 *   `v = recoveryId + 35 + 2·chainId`;
 * - EIP-1559 (type 2): the signer hashes `0x02 ‖ rlp([chainId, nonce,
 *   maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data,
 *   accessList])` and the raw transaction appends `yParity, r, s` to that
 *   list. The access list is always empty here.
 *
 * `to` is the 20 address bytes, or the empty string for a contract
 * creation. The transaction hash is the Keccak-256 of the raw bytes.
 *
 * Signatures come from lp_private_key_sign_digest(): deterministic
 * (RFC 6979) and low-s (EIP-2), as every Ethereum node requires.
 *
 * All functions are MT safe on distinct transactions.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpethtx.h"
#include "lprlp.h"

#include <string.h>

#define LEGACY_FIELDS 9         /* signed legacy list */
#define EIP1559_FIELDS 12       /* signed type 2 list */
/* the largest chain id whose EIP-155 v fits in 64 bits */
#define MAX_CHAIN_ID ((G_MAXUINT64 - 36) / 2)

G_DEFINE_QUARK (lp-eth-tx-error-quark, lp_eth_tx_error);

/**
 * lp_eth_tx_init:
 * @tx: (out caller-allocates): a transaction
 *
 * Sets every field to zero and the type to %LP_ETH_TX_EIP1559.
 */
void
lp_eth_tx_init (LpEthTx * tx)
{
  g_return_if_fail (tx != NULL);

  memset (tx, 0, sizeof (*tx));
  tx->type = LP_ETH_TX_EIP1559;
}

/**
 * lp_eth_tx_clear:
 * @tx: a transaction
 *
 * Drops the reference to @tx's data and zeroes it; @tx may be reused
 * after lp_eth_tx_init().
 */
void
lp_eth_tx_clear (LpEthTx * tx)
{
  g_return_if_fail (tx != NULL);

  g_clear_pointer (&tx->data, g_bytes_unref);
  memset (tx, 0, sizeof (*tx));
}

static gboolean
check_tx (const LpEthTx * tx, GError ** error)
{
  if (tx->type != LP_ETH_TX_LEGACY && tx->type != LP_ETH_TX_EIP1559) {
    g_set_error (error, LP_ETH_TX_ERROR, LP_ETH_TX_ERROR_INVALID,
        "unknown transaction type %d (legacy is 0, EIP-1559 is 2)", tx->type);
    return FALSE;
  }
  if (tx->chain_id == 0 || tx->chain_id > MAX_CHAIN_ID) {
    g_set_error (error, LP_ETH_TX_ERROR, LP_ETH_TX_ERROR_INVALID,
        "chain id %" G_GUINT64_FORMAT " cannot be signed for: it must be "
        "from 1 to %" G_GUINT64_FORMAT, tx->chain_id,
        (guint64) MAX_CHAIN_ID);
    return FALSE;
  }
  /* nodes refuse such transactions: say so before signing */
  if (tx->type == LP_ETH_TX_EIP1559 &&
      lp_uint256_cmp (&tx->max_priority_fee_per_gas, &tx->max_fee_per_gas) > 0) {
    g_set_error_literal (error, LP_ETH_TX_ERROR, LP_ETH_TX_ERROR_INVALID,
        "max_priority_fee_per_gas is above max_fee_per_gas");
    return FALSE;
  }
  return TRUE;
}

/* to, value, data: the fields both envelopes share, in this order */
static void
append_call_fields (GByteArray * out, const LpEthTx * tx)
{
  gsize length = 0;
  const guint8 *data = NULL;

  lp_rlp_append_bytes (out, tx->to.bytes, tx->has_to ? LP_ADDRESS_SIZE : 0);
  lp_rlp_append_uint256 (out, &tx->value);
  if (tx->data != NULL)
    data = g_bytes_get_data (tx->data, &length);
  lp_rlp_append_bytes (out, data, length);
}

/* The fields every signature covers, appended inside the open list. */
static void
append_unsigned_fields (GByteArray * out, const LpEthTx * tx)
{
  if (tx->type == LP_ETH_TX_LEGACY) {
    lp_rlp_append_uint64 (out, tx->nonce);
    lp_rlp_append_uint256 (out, &tx->gas_price);
    lp_rlp_append_uint64 (out, tx->gas_limit);
    append_call_fields (out, tx);
    return;
  }
  lp_rlp_append_uint64 (out, tx->chain_id);
  lp_rlp_append_uint64 (out, tx->nonce);
  lp_rlp_append_uint256 (out, &tx->max_priority_fee_per_gas);
  lp_rlp_append_uint256 (out, &tx->max_fee_per_gas);
  lp_rlp_append_uint64 (out, tx->gas_limit);
  append_call_fields (out, tx);
  lp_rlp_append_list (out, NULL, 0);    /* access list */
}

/* With @signature NULL, the signing payload; else the raw transaction
 * carrying @signature (`r ‖ s ‖ recovery id`, 65 bytes). */
static GBytes *
build (const LpEthTx * tx, const guint8 * signature)
{
  GByteArray *out = g_byte_array_new ();
  gsize mark;

  if (tx->type == LP_ETH_TX_EIP1559)
    g_byte_array_append (out, (const guint8 *) "\x02", 1);
  mark = lp_rlp_list_begin (out);
  append_unsigned_fields (out, tx);
  if (signature != NULL) {
    LpUint256 r, s;
    guint recid = signature[64];

    if (tx->type == LP_ETH_TX_LEGACY)
      lp_rlp_append_uint64 (out, recid + 35 + 2 * tx->chain_id);
    else
      lp_rlp_append_uint64 (out, recid);
    lp_uint256_from_bytes32 (signature, &r);
    lp_uint256_from_bytes32 (signature + 32, &s);
    lp_rlp_append_uint256 (out, &r);
    lp_rlp_append_uint256 (out, &s);
  } else if (tx->type == LP_ETH_TX_LEGACY) {
    /* EIP-155: the chain id and two empty fields take v, r and s's place */
    lp_rlp_append_uint64 (out, tx->chain_id);
    lp_rlp_append_uint64 (out, 0);
    lp_rlp_append_uint64 (out, 0);
  }
  lp_rlp_list_end (out, mark);
  return g_byte_array_free_to_bytes (out);
}

/**
 * lp_eth_tx_signing_payload:
 * @tx: a transaction
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full) (nullable): the bytes whose Keccak-256 the
 *     sender signs; %NULL with %LP_ETH_TX_ERROR_INVALID
 */
GBytes *
lp_eth_tx_signing_payload (const LpEthTx * tx, GError ** error)
{
  g_return_val_if_fail (tx != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_tx (tx, error))
    return NULL;
  return build (tx, NULL);
}

/**
 * lp_eth_tx_signing_hash:
 * @tx: a transaction
 * @out: (out caller-allocates) (array fixed-size=32): the Keccak-256 of
 *     lp_eth_tx_signing_payload(), the digest that is signed
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE; %FALSE with %LP_ETH_TX_ERROR_INVALID
 */
gboolean
lp_eth_tx_signing_hash (const LpEthTx * tx, guint8 out[LP_KECCAK256_SIZE],
    GError ** error)
{
  g_autoptr (GBytes) payload = NULL;
  gsize length;
  const guint8 *data;

  g_return_val_if_fail (out != NULL, FALSE);

  payload = lp_eth_tx_signing_payload (tx, error);
  if (payload == NULL)
    return FALSE;
  data = g_bytes_get_data (payload, &length);
  lp_keccak256 (data, length, out);
  return TRUE;
}

/**
 * lp_eth_tx_hash:
 * @raw: (array length=length): a raw signed transaction
 * @length: its size in bytes
 * @out: (out caller-allocates) (array fixed-size=32): the transaction
 *     hash, the Keccak-256 of @raw, by which nodes know it
 */
void
lp_eth_tx_hash (const guint8 * raw, gsize length,
    guint8 out[LP_KECCAK256_SIZE])
{
  g_return_if_fail (raw != NULL || length == 0);
  g_return_if_fail (out != NULL);

  lp_keccak256 (raw, length, out);
}

/**
 * lp_eth_tx_sign:
 * @tx: a transaction
 * @key: the sender's key
 * @tx_hash_out: (out caller-allocates) (optional) (array fixed-size=32):
 *     the transaction hash
 * @error: return location for a #GError, or %NULL
 *
 * Signs @tx with @key.
 *
 * Returns: (transfer full) (nullable): the raw signed transaction, as
 *     eth_sendRawTransaction takes it; %NULL with %LP_ETH_TX_ERROR_INVALID
 *     or %LP_CRYPTO_ERROR
 */
GBytes *
lp_eth_tx_sign (const LpEthTx * tx, const LpPrivateKey * key,
    guint8 tx_hash_out[LP_KECCAK256_SIZE], GError ** error)
{
  guint8 digest[LP_KECCAK256_SIZE];
  guint8 signature[LP_SIGNATURE_SIZE];
  GBytes *raw;

  g_return_val_if_fail (tx != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!lp_eth_tx_signing_hash (tx, digest, error))
    return NULL;
  if (!lp_private_key_sign_digest (key, digest, signature, error))
    return NULL;
  signature[64] -= 27;          /* lpcrypto's v is recovery id + 27 */
  raw = build (tx, signature);
  if (tx_hash_out != NULL)
    lp_eth_tx_hash (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw),
        tx_hash_out);
  return raw;
}

/* ------------------------------------------------------------------------ */
/* decoding                                                                 */
/* ------------------------------------------------------------------------ */

static gboolean
decode_error (GError ** error, const gchar * why)
{
  g_set_error (error, LP_ETH_TX_ERROR, LP_ETH_TX_ERROR_DECODE,
      "not a signed transaction: %s", why);
  return FALSE;
}

/* reads field @i of @list into @tx, in the order of the envelope */
static gboolean
read_u64 (const LpRlpItem * list, guint i, guint64 * out, GError ** error)
{
  if (!lp_rlp_item_get_uint64 (lp_rlp_item_get_child (list, i), out, error)) {
    g_prefix_error (error, "field %u: ", i);
    return FALSE;
  }
  return TRUE;
}

static gboolean
read_u256 (const LpRlpItem * list, guint i, LpUint256 * out, GError ** error)
{
  if (!lp_rlp_item_get_uint256 (lp_rlp_item_get_child (list, i), out,
          error)) {
    g_prefix_error (error, "field %u: ", i);
    return FALSE;
  }
  return TRUE;
}

/* to, value, data from fields @i, @i + 1, @i + 2 */
static gboolean
read_call_fields (const LpRlpItem * list, guint i, LpEthTx * tx,
    GError ** error)
{
  const LpRlpItem *to = lp_rlp_item_get_child (list, i);
  const LpRlpItem *data = lp_rlp_item_get_child (list, i + 2);
  const guint8 *bytes;
  gsize length;

  bytes = lp_rlp_item_get_bytes (to, &length);
  if (bytes == NULL || (length != 0 && length != LP_ADDRESS_SIZE))
    return decode_error (error, "'to' is neither empty nor 20 bytes");
  tx->has_to = length == LP_ADDRESS_SIZE;
  if (tx->has_to)
    memcpy (tx->to.bytes, bytes, LP_ADDRESS_SIZE);
  if (!read_u256 (list, i + 1, &tx->value, error))
    return FALSE;
  bytes = lp_rlp_item_get_bytes (data, &length);
  if (bytes == NULL)
    return decode_error (error, "'data' is a list");
  tx->data = length > 0 ? g_bytes_new (bytes, length) : NULL;
  return TRUE;
}

/* Fills @tx and @signature (r ‖ s ‖ recovery id) from a signed list. */
static gboolean
read_fields (const LpRlpItem * list, LpEthTx * tx, guint8 signature[65],
    GError ** error)
{
  LpUint256 r, s;
  guint64 v;
  guint first_sig;

  if (tx->type == LP_ETH_TX_LEGACY) {
    if (!read_u64 (list, 0, &tx->nonce, error) ||
        !read_u256 (list, 1, &tx->gas_price, error) ||
        !read_u64 (list, 2, &tx->gas_limit, error) ||
        !read_call_fields (list, 3, tx, error) ||
        !read_u64 (list, 6, &v, error))
      return FALSE;
    if (v < 37)
      return decode_error (error, "a legacy transaction without EIP-155 "
          "replay protection (v is not 35 + 2·chainId + 0 or 1)");
    tx->chain_id = (v - 35) / 2;
    signature[64] = (guint8) ((v - 35) % 2);
    first_sig = 7;
  } else {
    const LpRlpItem *access = lp_rlp_item_get_child (list, 8);

    if (!read_u64 (list, 0, &tx->chain_id, error) ||
        !read_u64 (list, 1, &tx->nonce, error) ||
        !read_u256 (list, 2, &tx->max_priority_fee_per_gas, error) ||
        !read_u256 (list, 3, &tx->max_fee_per_gas, error) ||
        !read_u64 (list, 4, &tx->gas_limit, error) ||
        !read_call_fields (list, 5, tx, error))
      return FALSE;
    if (!lp_rlp_item_is_list (access) || lp_rlp_item_n_children (access) > 0)
      return decode_error (error, "only empty access lists are supported");
    if (!read_u64 (list, 9, &v, error))
      return FALSE;
    if (v > 1)
      return decode_error (error, "yParity is neither 0 nor 1");
    signature[64] = (guint8) v;
    first_sig = 10;
  }
  if (!read_u256 (list, first_sig, &r, error) ||
      !read_u256 (list, first_sig + 1, &s, error))
    return FALSE;
  lp_uint256_pad32 (&r, signature);
  lp_uint256_pad32 (&s, signature + 32);
  return TRUE;
}

/**
 * lp_eth_tx_decode:
 * @raw: (array length=length): a raw signed transaction, untrusted
 * @length: its size in bytes
 * @tx: (out caller-allocates): the transaction, to lp_eth_tx_clear()
 *     (left cleared on failure)
 * @sender: (out caller-allocates) (optional): the address that signed it
 * @error: return location for a #GError, or %NULL
 *
 * Decodes a raw signed legacy (EIP-155) or type 2 transaction with an
 * empty access list, and recovers its sender. Only the canonical encoding
 * is accepted: @raw must be exactly what lp_eth_tx_sign() gives for the
 * decoded fields, with a low-s signature.
 *
 * Returns: %TRUE on success; %FALSE with %LP_ETH_TX_ERROR_DECODE,
 *     %LP_RLP_ERROR or %LP_CRYPTO_ERROR
 */
gboolean
lp_eth_tx_decode (const guint8 * raw, gsize length, LpEthTx * tx,
    LpAddress * sender, GError ** error)
{
  g_autoptr (LpRlpItem) list = NULL;
  g_autoptr (GBytes) again = NULL;
  guint8 signature[LP_SIGNATURE_SIZE];
  guint8 digest[LP_KECCAK256_SIZE];
  LpAddress signer;
  gboolean typed;

  g_return_val_if_fail (raw != NULL || length == 0, FALSE);
  g_return_val_if_fail (tx != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  lp_eth_tx_init (tx);
  if (length == 0)
    return decode_error (error, "no bytes");
  typed = raw[0] < 0xc0;
  if (typed && raw[0] != LP_ETH_TX_EIP1559)
    return decode_error (error, "an unsupported transaction type");
  tx->type = typed ? LP_ETH_TX_EIP1559 : LP_ETH_TX_LEGACY;

  list = lp_rlp_decode (raw + typed, length - typed, error);
  if (list == NULL)
    return FALSE;
  if (!lp_rlp_item_is_list (list) || lp_rlp_item_n_children (list) !=
      (typed ? EIP1559_FIELDS : LEGACY_FIELDS))
    return decode_error (error, "the wrong number of fields");
  if (!read_fields (list, tx, signature, error) ||
      !lp_eth_tx_signing_hash (tx, digest, error))
    goto failed;

  /* rebuilding must give the same bytes: catches what the field readers
   * let through, like a legacy chain id whose v would not fit */
  again = build (tx, signature);
  if (g_bytes_get_size (again) != length ||
      memcmp (g_bytes_get_data (again, NULL), raw, length) != 0) {
    decode_error (error, "a non-canonical encoding");
    goto failed;
  }
  signature[64] += 27;
  if (!lp_recover_digest (digest, signature, sizeof (signature), &signer,
          error))
    goto failed;
  if (sender != NULL)
    *sender = signer;
  return TRUE;

failed:
  lp_eth_tx_clear (tx);
  return FALSE;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Ethereum transactions signed locally: legacy transactions with EIP-155
 * replay protection and EIP-1559 (type 2) transactions, encoded with RLP
 * into the raw bytes eth_sendRawTransaction takes. Signing is
 * deterministic (RFC 6979) and low-s (EIP-2), so the same transaction and
 * key always give the same bytes, those of ethers and geth.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpuint256.h>

G_BEGIN_DECLS

/**
 * LP_ETH_TX_ERROR:
 *
 * Error domain of lpethtx; its codes are #LpEthTxError.
 */
#define LP_ETH_TX_ERROR (lp_eth_tx_error_quark ())
GST_LIVEPEER_API
GQuark lp_eth_tx_error_quark (void);

/**
 * LpEthTxError:
 * @LP_ETH_TX_ERROR_INVALID: a transaction that cannot be signed: an
 *     unknown type, a chain id of 0 or too large for EIP-155's v, a type
 *     2 transaction whose priority fee is above its fee cap
 * @LP_ETH_TX_ERROR_DECODE: raw bytes that are not a well-formed signed
 *     legacy (EIP-155) or type 2 transaction
 *
 * Error codes of the %LP_ETH_TX_ERROR domain. Signing failures report
 * %LP_CRYPTO_ERROR.
 */
typedef enum
{
  LP_ETH_TX_ERROR_INVALID,
  LP_ETH_TX_ERROR_DECODE,
} LpEthTxError;

/**
 * LpEthTxType:
 * @LP_ETH_TX_LEGACY: a legacy transaction with EIP-155 replay protection
 *     (gas_price)
 * @LP_ETH_TX_EIP1559: an EIP-1559 dynamic-fee transaction, type 2
 *     (max_priority_fee_per_gas, max_fee_per_gas), empty access list
 *
 * The transaction envelopes lpethtx signs; the values are the EIP-2718
 * type numbers.
 */
typedef enum
{
  LP_ETH_TX_LEGACY = 0,
  LP_ETH_TX_EIP1559 = 2,
} LpEthTxType;

/**
 * LpEthTx:
 * @type: the envelope
 * @chain_id: the chain id (1 for mainnet, 42161 for Arbitrum One); not 0
 * @nonce: the sender's transaction count
 * @gas_price: wei per gas (legacy only)
 * @max_priority_fee_per_gas: tip in wei per gas (type 2 only)
 * @max_fee_per_gas: fee cap in wei per gas (type 2 only)
 * @gas_limit: the gas limit
 * @has_to: %FALSE for a contract creation
 * @to: the recipient, when @has_to
 * @value: wei sent
 * @data: (nullable): call data or init code; %NULL is empty. The struct
 *     owns this reference: lp_eth_tx_clear() drops it.
 *
 * An unsigned transaction. A plain struct: lp_eth_tx_init() it (or
 * `= { 0 }`), fill the fields, lp_eth_tx_clear() it when done
 * (`g_auto (LpEthTx)` does that).
 */
typedef struct
{
  LpEthTxType type;
  guint64 chain_id;
  guint64 nonce;
  LpUint256 gas_price;
  LpUint256 max_priority_fee_per_gas;
  LpUint256 max_fee_per_gas;
  guint64 gas_limit;
  gboolean has_to;
  LpAddress to;
  LpUint256 value;
  GBytes *data;
} LpEthTx;

GST_LIVEPEER_API
void lp_eth_tx_init (LpEthTx * tx);
GST_LIVEPEER_API
void lp_eth_tx_clear (LpEthTx * tx);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LpEthTx, lp_eth_tx_clear)

GST_LIVEPEER_API
GBytes *lp_eth_tx_signing_payload (const LpEthTx * tx, GError ** error);
GST_LIVEPEER_API
gboolean lp_eth_tx_signing_hash (const LpEthTx * tx,
    guint8 out[LP_KECCAK256_SIZE], GError ** error);
GST_LIVEPEER_API
GBytes *lp_eth_tx_sign (const LpEthTx * tx, const LpPrivateKey * key,
    guint8 tx_hash_out[LP_KECCAK256_SIZE], GError ** error);
GST_LIVEPEER_API
void lp_eth_tx_hash (const guint8 * raw, gsize length,
    guint8 out[LP_KECCAK256_SIZE]);
GST_LIVEPEER_API
gboolean lp_eth_tx_decode (const guint8 * raw, gsize length, LpEthTx * tx,
    LpAddress * sender, GError ** error);

G_END_DECLS

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An Ethereum JSON-RPC 2.0 client over HTTP(S): the generic request, the
 * typed calls a ledger on real contracts needs (chain id, blocks, balances,
 * nonces, eth_call, gas estimates, fees, transactions, receipts, logs), and
 * the errors of the %LP_ETH_ERROR domain, which say what went wrong in
 * terms a node operator can act on (the URL and method, the node's own
 * error, a revert's decoded reason). One #LpEthRpc may be used from any
 * number of threads at once.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpuint256.h>

G_BEGIN_DECLS


/* Defaults of the client's settings */
#define LP_ETH_RPC_DEFAULT_TIMEOUT_MS 10000
#define LP_ETH_RPC_DEFAULT_MAX_ANSWER_SIZE (32 * 1024 * 1024)

/**
 * LP_ETH_ERROR:
 *
 * Error domain of lpethrpc and lpethsender; its codes are #LpEthError.
 * Errors of this domain may carry more than their message: the node's
 * JSON-RPC error code (lp_eth_error_get_rpc_code()) and, for a revert, the
 * revert data and its decoded reason (lp_eth_error_get_revert_data(),
 * lp_eth_error_get_revert_reason()).
 */
#define LP_ETH_ERROR (lp_eth_error_quark ())
GST_LIVEPEER_API
GQuark lp_eth_error_quark (void);

/**
 * LpEthError:
 * @LP_ETH_ERROR_TRANSPORT: the node cannot be reached or does not answer
 *     HTTP as a JSON-RPC node does (connection refused, TLS, HTTP status)
 * @LP_ETH_ERROR_TIMEOUT: no complete answer within the request timeout,
 *     or a transaction not mined within the sender's receipt timeout
 * @LP_ETH_ERROR_RPC: the node answered with a JSON-RPC error that none of
 *     the codes below describes (its code and message are in the message)
 * @LP_ETH_ERROR_REVERTED: the EVM reverted: eth_call, eth_estimateGas, or
 *     a mined transaction with status 0
 * @LP_ETH_ERROR_INSUFFICIENT_FUNDS: the account cannot pay value + gas
 * @LP_ETH_ERROR_NONCE_TOO_LOW: the transaction's nonce is already used
 * @LP_ETH_ERROR_UNDERPRICED: the node's pool refused the fee (below its
 *     minimum, below the base fee, or a replacement not paying enough more)
 * @LP_ETH_ERROR_ALREADY_KNOWN: the node already has this very transaction
 * @LP_ETH_ERROR_DROPPED: a sent transaction left the pool and its nonce
 *     was taken by another transaction
 * @LP_ETH_ERROR_BAD_ANSWER: an answer that is not the JSON-RPC or the
 *     value the method returns (malformed, too large, wrong type)
 * @LP_ETH_ERROR_NOT_FOUND: the block asked for does not exist
 * @LP_ETH_ERROR_FEE_CAP: the sender's fee cap is below what the chain
 *     asks now (the base fee)
 *
 * Error codes of the %LP_ETH_ERROR domain.
 */
typedef enum
{
  LP_ETH_ERROR_TRANSPORT,
  LP_ETH_ERROR_TIMEOUT,
  LP_ETH_ERROR_RPC,
  LP_ETH_ERROR_REVERTED,
  LP_ETH_ERROR_INSUFFICIENT_FUNDS,
  LP_ETH_ERROR_NONCE_TOO_LOW,
  LP_ETH_ERROR_UNDERPRICED,
  LP_ETH_ERROR_ALREADY_KNOWN,
  LP_ETH_ERROR_DROPPED,
  LP_ETH_ERROR_BAD_ANSWER,
  LP_ETH_ERROR_NOT_FOUND,
  LP_ETH_ERROR_FEE_CAP,
} LpEthError;

GST_LIVEPEER_API
gint lp_eth_error_get_rpc_code (const GError * error);
GST_LIVEPEER_API
GBytes *lp_eth_error_get_revert_data (const GError * error);
GST_LIVEPEER_API
const gchar *lp_eth_error_get_revert_reason (const GError * error);

/* Block parameters: a block number (>= 0) or one of these tags */
#define LP_ETH_BLOCK_LATEST (-1)
#define LP_ETH_BLOCK_PENDING (-2)
#define LP_ETH_BLOCK_EARLIEST (-3)
#define LP_ETH_BLOCK_SAFE (-4)
#define LP_ETH_BLOCK_FINALIZED (-5)

/**
 * LpEthCall:
 * @from: (nullable): the caller; %NULL lets the node choose (zero address)
 * @to: (nullable): the contract; %NULL for a contract creation (@data is
 *     then the init code)
 * @value: (nullable): wei sent; %NULL is 0
 * @data: (nullable): call data; %NULL is empty
 * @gas: gas limit of the call; 0 leaves it to the node
 *
 * A message call, for lp_eth_rpc_call() and lp_eth_rpc_estimate_gas(). A
 * plain struct of borrowed pointers, usually on the stack.
 */
typedef struct
{
  const LpAddress *from;
  const LpAddress *to;
  const LpUint256 *value;
  GBytes *data;
  guint64 gas;
} LpEthCall;

/**
 * LpEthBlock:
 * @number: the block number
 * @hash: the block hash
 * @parent_hash: the parent's hash
 * @timestamp: seconds since the epoch
 * @gas_limit: the block's gas limit
 * @has_base_fee: %FALSE on a chain without EIP-1559 (before London)
 * @base_fee_per_gas: the base fee, when @has_base_fee
 *
 * The header fields of a block that lpethrpc reads.
 */
typedef struct
{
  guint64 number;
  guint8 hash[LP_KECCAK256_SIZE];
  guint8 parent_hash[LP_KECCAK256_SIZE];
  guint64 timestamp;
  guint64 gas_limit;
  gboolean has_base_fee;
  LpUint256 base_fee_per_gas;
} LpEthBlock;

/**
 * LpEthLog:
 * @address: the contract that emitted it
 * @n_topics: how many of @topics are set (0 to 4)
 * @topics: the indexed topics; topics[0] is the event's signature hash for
 *     a non-anonymous event
 * @data: the non-indexed data (never %NULL; may be empty)
 * @block_number: the block that holds it
 * @block_hash: that block's hash
 * @transaction_hash: the transaction that emitted it
 * @transaction_index: that transaction's index in the block
 * @log_index: its index in the block
 * @removed: %TRUE when a reorganisation removed it
 *
 * An event log. Boxed (#LP_TYPE_ETH_LOG): lp_eth_log_free() frees it and
 * its @data.
 */
typedef struct
{
  LpAddress address;
  guint n_topics;
  guint8 topics[4][LP_KECCAK256_SIZE];
  GBytes *data;
  guint64 block_number;
  guint8 block_hash[LP_KECCAK256_SIZE];
  guint8 transaction_hash[LP_KECCAK256_SIZE];
  guint64 transaction_index;
  guint64 log_index;
  gboolean removed;
} LpEthLog;

#define LP_TYPE_ETH_LOG (lp_eth_log_get_type ())
GST_LIVEPEER_API
GType lp_eth_log_get_type (void);
GST_LIVEPEER_API
LpEthLog *lp_eth_log_copy (const LpEthLog * log);
GST_LIVEPEER_API
void lp_eth_log_free (LpEthLog * log);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpEthLog, lp_eth_log_free)

/**
 * LpEthLogFilter:
 * @address: (nullable): only logs of this contract; %NULL: any
 * @from_block: the first block (a number or an LP_ETH_BLOCK_ tag)
 * @to_block: the last block (a number or an LP_ETH_BLOCK_ tag)
 * @n_topics: how many topic positions are constrained (0 to 4)
 * @topics: per position, the topic it must have, or %NULL for any
 *
 * What lp_eth_rpc_get_logs() asks for. A plain struct of borrowed
 * pointers.
 */
typedef struct
{
  const LpAddress *address;
  gint64 from_block;
  gint64 to_block;
  guint n_topics;
  const guint8 *topics[4];
} LpEthLogFilter;

/**
 * LpEthReceipt:
 * @transaction_hash: the mined transaction
 * @block_number: its block
 * @block_hash: that block's hash
 * @transaction_index: its index in the block
 * @from: its sender
 * @has_to: %FALSE for a contract creation
 * @to: its recipient, when @has_to
 * @has_contract_address: %TRUE when it created a contract
 * @contract_address: the created contract, when @has_contract_address
 * @status: %TRUE when it succeeded, %FALSE when it reverted
 * @gas_used: gas it used
 * @cumulative_gas_used: gas used in the block up to and with it
 * @effective_gas_price: wei per gas it paid
 * @logs: (element-type LpEthLog): its logs, in order
 *
 * A transaction's receipt. Boxed (#LP_TYPE_ETH_RECEIPT):
 * lp_eth_receipt_free() frees it and its logs.
 */
typedef struct
{
  guint8 transaction_hash[LP_KECCAK256_SIZE];
  guint64 block_number;
  guint8 block_hash[LP_KECCAK256_SIZE];
  guint64 transaction_index;
  LpAddress from;
  gboolean has_to;
  LpAddress to;
  gboolean has_contract_address;
  LpAddress contract_address;
  gboolean status;
  guint64 gas_used;
  guint64 cumulative_gas_used;
  LpUint256 effective_gas_price;
  GPtrArray *logs;
} LpEthReceipt;

#define LP_TYPE_ETH_RECEIPT (lp_eth_receipt_get_type ())
GST_LIVEPEER_API
GType lp_eth_receipt_get_type (void);
GST_LIVEPEER_API
LpEthReceipt *lp_eth_receipt_copy (const LpEthReceipt * receipt);
GST_LIVEPEER_API
void lp_eth_receipt_free (LpEthReceipt * receipt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpEthReceipt, lp_eth_receipt_free)

/**
 * LpEthTransaction:
 * @hash: its hash
 * @type: its EIP-2718 type (0 legacy, 1 access list, 2 EIP-1559, ...)
 * @nonce: its nonce
 * @from: its sender
 * @has_to: %FALSE for a contract creation
 * @to: its recipient, when @has_to
 * @value: wei sent
 * @gas: its gas limit
 * @gas_price: the gas price (legacy) or, once mined, the effective one
 * @max_fee_per_gas: its fee cap (type 2; 0 otherwise)
 * @max_priority_fee_per_gas: its tip cap (type 2; 0 otherwise)
 * @input: its call data or init code (never %NULL; may be empty)
 * @mined: %TRUE once in a block
 * @block_number: that block, when @mined
 *
 * A transaction as eth_getTransactionByHash returns it. Boxed
 * (#LP_TYPE_ETH_TRANSACTION).
 */
typedef struct
{
  guint8 hash[LP_KECCAK256_SIZE];
  guint type;
  guint64 nonce;
  LpAddress from;
  gboolean has_to;
  LpAddress to;
  LpUint256 value;
  guint64 gas;
  LpUint256 gas_price;
  LpUint256 max_fee_per_gas;
  LpUint256 max_priority_fee_per_gas;
  GBytes *input;
  gboolean mined;
  guint64 block_number;
} LpEthTransaction;

#define LP_TYPE_ETH_TRANSACTION (lp_eth_transaction_get_type ())
GST_LIVEPEER_API
GType lp_eth_transaction_get_type (void);
GST_LIVEPEER_API
LpEthTransaction *lp_eth_transaction_copy (const LpEthTransaction * tx);
GST_LIVEPEER_API
void lp_eth_transaction_free (LpEthTransaction * tx);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpEthTransaction, lp_eth_transaction_free)

/**
 * LpEthRpc:
 *
 * A JSON-RPC client of one node. Reference counted; every function may be
 * called from any thread, concurrently (settings apply to the requests
 * that start after they change). Opaque.
 */
typedef struct _LpEthRpc LpEthRpc;

#define LP_TYPE_ETH_RPC (lp_eth_rpc_get_type ())
GST_LIVEPEER_API
GType lp_eth_rpc_get_type (void);

GST_LIVEPEER_API
LpEthRpc *lp_eth_rpc_new (const gchar * url, GError ** error);
GST_LIVEPEER_API
LpEthRpc *lp_eth_rpc_ref (LpEthRpc * rpc);
GST_LIVEPEER_API
void lp_eth_rpc_unref (LpEthRpc * rpc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpEthRpc, lp_eth_rpc_unref)

GST_LIVEPEER_API
const gchar *lp_eth_rpc_get_url (LpEthRpc * rpc);
GST_LIVEPEER_API
void lp_eth_rpc_set_timeout (LpEthRpc * rpc, guint timeout_ms);
GST_LIVEPEER_API
guint lp_eth_rpc_get_timeout (LpEthRpc * rpc);
GST_LIVEPEER_API
void lp_eth_rpc_set_max_answer_size (LpEthRpc * rpc, gsize max_bytes);

/* ---- the generic request ---- */

GST_LIVEPEER_API
gboolean lp_eth_rpc_request (LpEthRpc * rpc, const gchar * method,
    const gchar * params_json, gchar ** result_json, GError ** error);

/* ---- chain and accounts ---- */

GST_LIVEPEER_API
gboolean lp_eth_rpc_chain_id (LpEthRpc * rpc, guint64 * chain_id,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_eth_rpc_block_number (LpEthRpc * rpc, guint64 * number,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_eth_rpc_get_block (LpEthRpc * rpc, gint64 block,
    LpEthBlock * out, GError ** error);
GST_LIVEPEER_API
gboolean lp_eth_rpc_get_block_hash (LpEthRpc * rpc, gint64 block,
    guint8 hash[LP_KECCAK256_SIZE], GError ** error);
GST_LIVEPEER_API
gboolean lp_eth_rpc_get_balance (LpEthRpc * rpc, const LpAddress * address,
    gint64 block, LpUint256 * balance, GError ** error);
GST_LIVEPEER_API
gboolean lp_eth_rpc_get_transaction_count (LpEthRpc * rpc,
    const LpAddress * address, gint64 block, guint64 * count,
    GError ** error);

/* ---- calls and gas ---- */

GST_LIVEPEER_API
GBytes *lp_eth_rpc_call (LpEthRpc * rpc, const LpEthCall * call,
    gint64 block, GError ** error);
GST_LIVEPEER_API
gboolean lp_eth_rpc_estimate_gas (LpEthRpc * rpc, const LpEthCall * call,
    guint64 * gas, GError ** error);
GST_LIVEPEER_API
gboolean lp_eth_rpc_gas_price (LpEthRpc * rpc, LpUint256 * price,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_eth_rpc_max_priority_fee_per_gas (LpEthRpc * rpc,
    LpUint256 * fee, GError ** error);
GST_LIVEPEER_API
gboolean lp_eth_rpc_base_fee (LpEthRpc * rpc, gboolean * has_base_fee,
    LpUint256 * base_fee, GError ** error);

/* ---- transactions, receipts, logs ---- */

GST_LIVEPEER_API
gboolean lp_eth_rpc_send_raw_transaction (LpEthRpc * rpc, GBytes * raw,
    guint8 hash[LP_KECCAK256_SIZE], GError ** error);
GST_LIVEPEER_API
gboolean lp_eth_rpc_get_transaction_receipt (LpEthRpc * rpc,
    const guint8 hash[LP_KECCAK256_SIZE], LpEthReceipt ** receipt,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_eth_rpc_get_transaction (LpEthRpc * rpc,
    const guint8 hash[LP_KECCAK256_SIZE], LpEthTransaction ** tx,
    GError ** error);
GST_LIVEPEER_API
GPtrArray *lp_eth_rpc_get_logs (LpEthRpc * rpc,
    const LpEthLogFilter * filter, GError ** error);

G_END_DECLS

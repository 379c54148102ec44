/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lpethrpc's typed calls: the boxed results (logs, receipts,
 * transactions), the JSON parameters they send (quantities, blocks,
 * addresses, call objects, log filters) and the strict reading of their
 * answers (a QUANTITY is "0x" and 1 to 64 hex digits, a hash 32 bytes, ...),
 * over lp_eth_rpc_call_method() of lpethrpc.c.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpethrpc.h"
#include "lpethrpc-private.h"

/* ------------------------------------------------------------------------ */
/* boxed types */

G_DEFINE_BOXED_TYPE (LpEthLog, lp_eth_log, lp_eth_log_copy, lp_eth_log_free);
G_DEFINE_BOXED_TYPE (LpEthReceipt, lp_eth_receipt, lp_eth_receipt_copy,
    lp_eth_receipt_free);
G_DEFINE_BOXED_TYPE (LpEthTransaction, lp_eth_transaction,
    lp_eth_transaction_copy, lp_eth_transaction_free);

/**
 * lp_eth_log_copy:
 * @log: a log
 *
 * Returns: (transfer full): a copy of @log
 */
LpEthLog *
lp_eth_log_copy (const LpEthLog * log)
{
  LpEthLog *copy;

  g_return_val_if_fail (log != NULL, NULL);
  copy = g_memdup2 (log, sizeof (*log));
  copy->data = g_bytes_ref (log->data);
  return copy;
}

/**
 * lp_eth_log_free:
 * @log: (transfer full) (nullable): a log
 */
void
lp_eth_log_free (LpEthLog * log)
{
  if (log == NULL)
    return;
  g_bytes_unref (log->data);
  g_free (log);
}

static GPtrArray *
new_log_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) lp_eth_log_free);
}

/**
 * lp_eth_receipt_copy:
 * @receipt: a receipt
 *
 * Returns: (transfer full): a copy of @receipt and its logs
 */
LpEthReceipt *
lp_eth_receipt_copy (const LpEthReceipt * receipt)
{
  LpEthReceipt *copy;
  guint i;

  g_return_val_if_fail (receipt != NULL, NULL);
  copy = g_memdup2 (receipt, sizeof (*receipt));
  copy->logs = new_log_array ();
  for (i = 0; i < receipt->logs->len; i++)
    g_ptr_array_add (copy->logs, lp_eth_log_copy (receipt->logs->pdata[i]));
  return copy;
}

/**
 * lp_eth_receipt_free:
 * @receipt: (transfer full) (nullable): a receipt
 */
void
lp_eth_receipt_free (LpEthReceipt * receipt)
{
  if (receipt == NULL)
    return;
  g_ptr_array_unref (receipt->logs);
  g_free (receipt);
}

/**
 * lp_eth_transaction_copy:
 * @tx: a transaction
 *
 * Returns: (transfer full): a copy of @tx
 */
LpEthTransaction *
lp_eth_transaction_copy (const LpEthTransaction * tx)
{
  LpEthTransaction *copy;

  g_return_val_if_fail (tx != NULL, NULL);
  copy = g_memdup2 (tx, sizeof (*tx));
  copy->input = g_bytes_ref (tx->input);
  return copy;
}

/**
 * lp_eth_transaction_free:
 * @tx: (transfer full) (nullable): a transaction
 */
void
lp_eth_transaction_free (LpEthTransaction * tx)
{
  if (tx == NULL)
    return;
  g_bytes_unref (tx->input);
  g_free (tx);
}

/* ------------------------------------------------------------------------ */
/* reading answers: the first failure is kept, later reads do nothing */

typedef struct
{
  LpEthRpc *rpc;
  const gchar *method;
  GError *error;
} Reader;

static gboolean
reader_fail (Reader * r, const gchar * name, const gchar * expected)
{
  if (r->error == NULL)
    r->error = g_error_new (LP_ETH_ERROR, LP_ETH_ERROR_BAD_ANSWER,
        "%s at %s: the answer's %s is not %s", r->method,
        lp_eth_rpc_get_display_url (r->rpc), name, expected);
  return FALSE;
}

static gboolean
reader_finish (Reader * r, GError ** error)
{
  if (r->error == NULL)
    return TRUE;
  g_propagate_error (error, r->error);
  r->error = NULL;
  return FALSE;
}

static const gchar *
node_string (JsonNode * node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
is_null (JsonNode * node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* A QUANTITY: "0x" and 1 to 64 hex digits */
static gboolean
read_u256 (Reader * r, JsonNode * node, const gchar * name, LpUint256 * out)
{
  const gchar *text = node_string (node);
  gsize digits;

  if (r->error != NULL)
    return FALSE;
  if (text == NULL || !g_str_has_prefix (text, "0x"))
    return reader_fail (r, name, "a hex quantity");
  digits = strlen (text + 2);
  if (digits == 0 || digits > 64 || strspn (text + 2,
          "0123456789abcdefABCDEF") != digits
      || !lp_uint256_parse (text, out, NULL))
    return reader_fail (r, name, "a hex quantity");
  return TRUE;
}

static gboolean
read_u64 (Reader * r, JsonNode * node, const gchar * name, guint64 * out)
{
  LpUint256 value;

  if (!read_u256 (r, node, name, &value))
    return FALSE;
  if (!lp_uint256_to_uint64 (&value, out, NULL))
    return reader_fail (r, name, "a quantity below 2^64");
  return TRUE;
}

static gboolean
read_hash (Reader * r, JsonNode * node, const gchar * name,
    guint8 out[LP_KECCAK256_SIZE])
{
  const gchar *text = node_string (node);

  if (r->error != NULL)
    return FALSE;
  if (text == NULL || !g_str_has_prefix (text, "0x")
      || !lp_hex_decode (text, out, LP_KECCAK256_SIZE, NULL))
    return reader_fail (r, name, "a 32-byte hex hash");
  return TRUE;
}

static gboolean
read_address (Reader * r, JsonNode * node, const gchar * name,
    LpAddress * out)
{
  const gchar *text = node_string (node);
  g_autofree gchar *lower = NULL;

  if (r->error != NULL)
    return FALSE;
  /* checksums are the node's business, not ours to refuse */
  lower = text ? g_ascii_strdown (text, -1) : NULL;
  if (lower == NULL || !lp_address_parse (lower, out, NULL))
    return reader_fail (r, name, "an address");
  return TRUE;
}

static GBytes *
read_data (Reader * r, JsonNode * node, const gchar * name)
{
  const gchar *text = node_string (node);
  GBytes *bytes;

  if (r->error != NULL)
    return NULL;
  if (text == NULL || !g_str_has_prefix (text, "0x")
      || (bytes = lp_hex_decode_bytes (text, G_MAXSIZE, NULL)) == NULL) {
    reader_fail (r, name, "hex data");
    return NULL;
  }
  return bytes;
}

static JsonNode *
member (JsonNode * node, const gchar * name)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_get_member (json_node_get_object (node), name);
}

/* ------------------------------------------------------------------------ */
/* building parameters */

static JsonNode *
string_node (const gchar * text)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return node;
}

static JsonNode *
take_string_node (gchar * text)
{
  JsonNode *node = string_node (text);

  g_free (text);
  return node;
}

static JsonNode *
quantity_node (guint64 value)
{
  return take_string_node (g_strdup_printf ("0x%" G_GINT64_MODIFIER "x",
          value));
}

static JsonNode *
block_node (gint64 block)
{
  switch (block) {
    case LP_ETH_BLOCK_LATEST:
      return string_node ("latest");
    case LP_ETH_BLOCK_PENDING:
      return string_node ("pending");
    case LP_ETH_BLOCK_EARLIEST:
      return string_node ("earliest");
    case LP_ETH_BLOCK_SAFE:
      return string_node ("safe");
    case LP_ETH_BLOCK_FINALIZED:
      return string_node ("finalized");
    default:
      return quantity_node ((guint64) block);
  }
}

static JsonNode *
address_node (const LpAddress * address)
{
  return take_string_node (lp_address_to_string (address));
}

static JsonNode *
hash_node (const guint8 hash[LP_KECCAK256_SIZE])
{
  return take_string_node (lp_hex_encode (hash, LP_KECCAK256_SIZE, TRUE));
}

static JsonNode *
bytes_node (GBytes * bytes)
{
  gsize size = 0;
  const guint8 *data = bytes ? g_bytes_get_data (bytes, &size) : NULL;

  return take_string_node (lp_hex_encode (data, size, TRUE));
}

/* A JSON array of the given nodes (transfer full), NULL-terminated */
static JsonNode *
params_new (JsonNode * first, ...)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  va_list args;

  va_start (args, first);
  for (JsonNode * item = first; item != NULL; item = va_arg (args, JsonNode *))
    json_array_add_element (array, item);
  va_end (args);
  json_node_take_array (node, array);
  return node;
}

static gboolean
valid_block (gint64 block)
{
  return block >= LP_ETH_BLOCK_FINALIZED;
}

/* ------------------------------------------------------------------------ */
/* chain and accounts */

static gboolean
call_quantity (LpEthRpc * rpc, const gchar * method, JsonNode * params,
    LpUint256 * out, GError ** error)
{
  Reader r = { rpc, method, NULL };
  g_autoptr (JsonNode) result = lp_eth_rpc_call_method (rpc, method, params,
      error);

  if (result == NULL)
    return FALSE;
  read_u256 (&r, result, "result", out);
  return reader_finish (&r, error);
}

static gboolean
call_u64 (LpEthRpc * rpc, const gchar * method, JsonNode * params,
    guint64 * out, GError ** error)
{
  Reader r = { rpc, method, NULL };
  g_autoptr (JsonNode) result = lp_eth_rpc_call_method (rpc, method, params,
      error);

  if (result == NULL)
    return FALSE;
  read_u64 (&r, result, "result", out);
  return reader_finish (&r, error);
}

/**
 * lp_eth_rpc_chain_id:
 * @rpc: a client
 * @chain_id: (out): the chain id (eth_chainId)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_eth_rpc_chain_id (LpEthRpc * rpc, guint64 * chain_id, GError ** error)
{
  g_return_val_if_fail (rpc != NULL && chain_id != NULL, FALSE);
  return call_u64 (rpc, "eth_chainId", params_new (NULL), chain_id, error);
}

/**
 * lp_eth_rpc_block_number:
 * @rpc: a client
 * @number: (out): the number of the latest block (eth_blockNumber)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_eth_rpc_block_number (LpEthRpc * rpc, guint64 * number, GError ** error)
{
  g_return_val_if_fail (rpc != NULL && number != NULL, FALSE);
  return call_u64 (rpc, "eth_blockNumber", params_new (NULL), number, error);
}

/**
 * lp_eth_rpc_get_block:
 * @rpc: a client
 * @block: a block number or an LP_ETH_BLOCK_ tag
 * @out: (out caller-allocates): the block's header fields
 * @error: return location for a #GError, or %NULL
 *
 * Reads a block's header (eth_getBlockByNumber, without transactions).
 *
 * Returns: %TRUE on success; %FALSE with %LP_ETH_ERROR_NOT_FOUND when the
 *     chain has no such block yet
 */
gboolean
lp_eth_rpc_get_block (LpEthRpc * rpc, gint64 block, LpEthBlock * out,
    GError ** error)
{
  static const gchar method[] = "eth_getBlockByNumber";
  Reader r = { rpc, method, NULL };
  JsonNode *false_node = json_node_new (JSON_NODE_VALUE);
  g_autoptr (JsonNode) result = NULL;
  JsonNode *base_fee;

  g_return_val_if_fail (rpc != NULL && out != NULL, FALSE);
  g_return_val_if_fail (valid_block (block), FALSE);

  json_node_set_boolean (false_node, FALSE);
  result = lp_eth_rpc_call_method (rpc, method,
      params_new (block_node (block), false_node, NULL), error);
  if (result == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (result)) {
    g_set_error (error, LP_ETH_ERROR, LP_ETH_ERROR_NOT_FOUND,
        "%s at %s: the chain has no block %" G_GINT64_FORMAT " yet", method,
        lp_eth_rpc_get_display_url (rpc), block);
    return FALSE;
  }
  memset (out, 0, sizeof (*out));
  read_u64 (&r, member (result, "number"), "number", &out->number);
  read_hash (&r, member (result, "hash"), "hash", out->hash);
  read_hash (&r, member (result, "parentHash"), "parentHash",
      out->parent_hash);
  read_u64 (&r, member (result, "timestamp"), "timestamp", &out->timestamp);
  read_u64 (&r, member (result, "gasLimit"), "gasLimit", &out->gas_limit);
  /* EIP-1559 chains have a base fee in every block, others none */
  base_fee = member (result, "baseFeePerGas");
  out->has_base_fee = !is_null (base_fee);
  if (out->has_base_fee)
    read_u256 (&r, base_fee, "baseFeePerGas", &out->base_fee_per_gas);
  return reader_finish (&r, error);
}

/**
 * lp_eth_rpc_get_block_hash:
 * @rpc: a client
 * @block: a block number or an LP_ETH_BLOCK_ tag
 * @hash: (out caller-allocates): the block's hash
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success; %FALSE with %LP_ETH_ERROR_NOT_FOUND when the
 *     chain has no such block yet
 */
gboolean
lp_eth_rpc_get_block_hash (LpEthRpc * rpc, gint64 block,
    guint8 hash[LP_KECCAK256_SIZE], GError ** error)
{
  LpEthBlock header;

  if (!lp_eth_rpc_get_block (rpc, block, &header, error))
    return FALSE;
  memcpy (hash, header.hash, LP_KECCAK256_SIZE);
  return TRUE;
}

/**
 * lp_eth_rpc_get_balance:
 * @rpc: a client
 * @address: an account
 * @block: a block number or an LP_ETH_BLOCK_ tag
 * @balance: (out caller-allocates): its balance in wei
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_eth_rpc_get_balance (LpEthRpc * rpc, const LpAddress * address,
    gint64 block, LpUint256 * balance, GError ** error)
{
  g_return_val_if_fail (rpc != NULL && address != NULL, FALSE);
  g_return_val_if_fail (balance != NULL && valid_block (block), FALSE);
  return call_quantity (rpc, "eth_getBalance", params_new (address_node
          (address), block_node (block), NULL), balance, error);
}

/**
 * lp_eth_rpc_get_transaction_count:
 * @rpc: a client
 * @address: an account
 * @block: a block number or an LP_ETH_BLOCK_ tag; %LP_ETH_BLOCK_PENDING
 *     counts the transactions in the node's pool too
 * @count: (out): how many transactions the account sent (its next nonce)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_eth_rpc_get_transaction_count (LpEthRpc * rpc, const LpAddress * address,
    gint64 block, guint64 * count, GError ** error)
{
  g_return_val_if_fail (rpc != NULL && address != NULL, FALSE);
  g_return_val_if_fail (count != NULL && valid_block (block), FALSE);
  return call_u64 (rpc, "eth_getTransactionCount", params_new (address_node
          (address), block_node (block), NULL), count, error);
}

/* ------------------------------------------------------------------------ */
/* calls and gas */

static JsonNode *
call_object (const LpEthCall * call)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  if (call->from != NULL)
    json_object_set_member (object, "from", address_node (call->from));
  if (call->to != NULL)
    json_object_set_member (object, "to", address_node (call->to));
  if (call->value != NULL)
    json_object_set_member (object, "value",
        take_string_node (lp_uint256_to_hex (call->value)));
  if (call->gas != 0)
    json_object_set_member (object, "gas", quantity_node (call->gas));
  json_object_set_member (object, "data", bytes_node (call->data));
  json_node_take_object (node, object);
  return node;
}

/**
 * lp_eth_rpc_call:
 * @rpc: a client
 * @call: the message call
 * @block: the state to run it on: a block number or an LP_ETH_BLOCK_ tag
 * @error: return location for a #GError, or %NULL
 *
 * Runs a message call without a transaction (eth_call).
 *
 * Returns: (transfer full) (nullable): the bytes it returned, or %NULL
 *     with an error; %LP_ETH_ERROR_REVERTED when it reverted, with the
 *     reason in the message and in lp_eth_error_get_revert_reason()
 */
GBytes *
lp_eth_rpc_call (LpEthRpc * rpc, const LpEthCall * call, gint64 block,
    GError ** error)
{
  Reader r = { rpc, "eth_call", NULL };
  g_autoptr (JsonNode) result = NULL;
  GBytes *bytes;

  g_return_val_if_fail (rpc != NULL && call != NULL, NULL);
  g_return_val_if_fail (valid_block (block), NULL);

  result = lp_eth_rpc_call_method (rpc, "eth_call",
      params_new (call_object (call), block_node (block), NULL), error);
  if (result == NULL)
    return NULL;
  bytes = read_data (&r, result, "result");
  if (!reader_finish (&r, error))
    return NULL;
  return bytes;
}

/**
 * lp_eth_rpc_estimate_gas:
 * @rpc: a client
 * @call: the transaction, as a message call (@call's from should be set)
 * @gas: (out): the gas it needs, as the node estimates it
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success; %FALSE with %LP_ETH_ERROR_REVERTED (and the
 *     reason) when it would revert, %LP_ETH_ERROR_INSUFFICIENT_FUNDS when
 *     the account cannot pay its value
 */
gboolean
lp_eth_rpc_estimate_gas (LpEthRpc * rpc, const LpEthCall * call,
    guint64 * gas, GError ** error)
{
  g_return_val_if_fail (rpc != NULL && call != NULL && gas != NULL, FALSE);
  return call_u64 (rpc, "eth_estimateGas", params_new (call_object (call),
          NULL), gas, error);
}

/**
 * lp_eth_rpc_gas_price:
 * @rpc: a client
 * @price: (out caller-allocates): the node's gas price for a legacy
 *     transaction (eth_gasPrice)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_eth_rpc_gas_price (LpEthRpc * rpc, LpUint256 * price, GError ** error)
{
  g_return_val_if_fail (rpc != NULL && price != NULL, FALSE);
  return call_quantity (rpc, "eth_gasPrice", params_new (NULL), price, error);
}

/**
 * lp_eth_rpc_max_priority_fee_per_gas:
 * @rpc: a client
 * @fee: (out caller-allocates): the tip the node suggests
 *     (eth_maxPriorityFeePerGas)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success; %FALSE with %LP_ETH_ERROR_RPC where the node
 *     does not know the method (chains without EIP-1559)
 */
gboolean
lp_eth_rpc_max_priority_fee_per_gas (LpEthRpc * rpc, LpUint256 * fee,
    GError ** error)
{
  g_return_val_if_fail (rpc != NULL && fee != NULL, FALSE);
  return call_quantity (rpc, "eth_maxPriorityFeePerGas", params_new (NULL),
      fee, error);
}

/**
 * lp_eth_rpc_base_fee:
 * @rpc: a client
 * @has_base_fee: (out): %FALSE where the chain has no EIP-1559 base fee
 * @base_fee: (out caller-allocates): the latest block's base fee per gas
 *     (0 without one)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_eth_rpc_base_fee (LpEthRpc * rpc, gboolean * has_base_fee,
    LpUint256 * base_fee, GError ** error)
{
  LpEthBlock latest;

  g_return_val_if_fail (has_base_fee != NULL && base_fee != NULL, FALSE);
  if (!lp_eth_rpc_get_block (rpc, LP_ETH_BLOCK_LATEST, &latest, error))
    return FALSE;
  *has_base_fee = latest.has_base_fee;
  *base_fee = latest.base_fee_per_gas;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* transactions, receipts, logs */

/**
 * lp_eth_rpc_send_raw_transaction:
 * @rpc: a client
 * @raw: a signed transaction (lp_eth_tx_sign())
 * @hash: (out caller-allocates) (optional): its hash, as the node gives it
 * @error: return location for a #GError, or %NULL
 *
 * Hands a signed transaction to the node (eth_sendRawTransaction).
 *
 * Returns: %TRUE when the node took it; %FALSE with, among others,
 *     %LP_ETH_ERROR_NONCE_TOO_LOW, %LP_ETH_ERROR_UNDERPRICED,
 *     %LP_ETH_ERROR_INSUFFICIENT_FUNDS or %LP_ETH_ERROR_ALREADY_KNOWN
 */
gboolean
lp_eth_rpc_send_raw_transaction (LpEthRpc * rpc, GBytes * raw,
    guint8 hash[LP_KECCAK256_SIZE], GError ** error)
{
  static const gchar method[] = "eth_sendRawTransaction";
  Reader r = { rpc, method, NULL };
  g_autoptr (JsonNode) result = NULL;
  guint8 ignored[LP_KECCAK256_SIZE];

  g_return_val_if_fail (rpc != NULL && raw != NULL, FALSE);

  result = lp_eth_rpc_call_method (rpc, method,
      params_new (bytes_node (raw), NULL), error);
  if (result == NULL)
    return FALSE;
  read_hash (&r, result, "result", hash ? hash : ignored);
  return reader_finish (&r, error);
}

static LpEthLog *
read_log (Reader * r, JsonNode * node)
{
  LpEthLog *log = g_new0 (LpEthLog, 1);
  JsonNode *topics = member (node, "topics");
  JsonNode *removed = member (node, "removed");
  guint i;

  read_address (r, member (node, "address"), "log's address", &log->address);
  if (topics == NULL || !JSON_NODE_HOLDS_ARRAY (topics)
      || json_array_get_length (json_node_get_array (topics)) > 4)
    reader_fail (r, "log's topics", "an array of up to 4 hashes");
  else {
    JsonArray *array = json_node_get_array (topics);

    log->n_topics = json_array_get_length (array);
    for (i = 0; i < log->n_topics; i++)
      read_hash (r, json_array_get_element (array, i), "log's topic",
          log->topics[i]);
  }
  log->data = read_data (r, member (node, "data"), "log's data");
  read_u64 (r, member (node, "blockNumber"), "log's blockNumber",
      &log->block_number);
  read_hash (r, member (node, "blockHash"), "log's blockHash",
      log->block_hash);
  read_hash (r, member (node, "transactionHash"), "log's transactionHash",
      log->transaction_hash);
  read_u64 (r, member (node, "transactionIndex"), "log's transactionIndex",
      &log->transaction_index);
  read_u64 (r, member (node, "logIndex"), "log's logIndex", &log->log_index);
  log->removed = removed != NULL && JSON_NODE_HOLDS_VALUE (removed)
      && json_node_get_boolean (removed);
  if (log->data == NULL)
    log->data = g_bytes_new (NULL, 0);
  return log;
}

static GPtrArray *
read_logs (Reader * r, JsonNode * node, const gchar * name)
{
  GPtrArray *logs = new_log_array ();
  JsonArray *array;
  guint i;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)) {
    reader_fail (r, name, "an array of logs");
    return logs;
  }
  array = json_node_get_array (node);
  for (i = 0; i < json_array_get_length (array) && r->error == NULL; i++)
    g_ptr_array_add (logs, read_log (r, json_array_get_element (array, i)));
  return logs;
}

/* "to" and "contractAddress" are null where they do not apply */
static gboolean
read_optional_address (Reader * r, JsonNode * node, const gchar * name,
    LpAddress * out)
{
  if (is_null (node))
    return FALSE;
  return read_address (r, node, name, out);
}

static LpEthReceipt *
read_receipt (Reader * r, JsonNode * node)
{
  LpEthReceipt *receipt = g_new0 (LpEthReceipt, 1);
  JsonNode *price = member (node, "effectiveGasPrice");
  guint64 status = 0;

  read_hash (r, member (node, "transactionHash"), "transactionHash",
      receipt->transaction_hash);
  read_u64 (r, member (node, "blockNumber"), "blockNumber",
      &receipt->block_number);
  read_hash (r, member (node, "blockHash"), "blockHash", receipt->block_hash);
  read_u64 (r, member (node, "transactionIndex"), "transactionIndex",
      &receipt->transaction_index);
  read_address (r, member (node, "from"), "from", &receipt->from);
  receipt->has_to = read_optional_address (r, member (node, "to"), "to",
      &receipt->to);
  receipt->has_contract_address = read_optional_address (r, member (node,
          "contractAddress"), "contractAddress", &receipt->contract_address);
  read_u64 (r, member (node, "status"), "status", &status);
  receipt->status = status == 1;
  read_u64 (r, member (node, "gasUsed"), "gasUsed", &receipt->gas_used);
  read_u64 (r, member (node, "cumulativeGasUsed"), "cumulativeGasUsed",
      &receipt->cumulative_gas_used);
  /* older nodes leave it out: the price is then the transaction's own */
  if (!is_null (price))
    read_u256 (r, price, "effectiveGasPrice", &receipt->effective_gas_price);
  receipt->logs = read_logs (r, member (node, "logs"), "logs");
  return receipt;
}

/**
 * lp_eth_rpc_get_transaction_receipt:
 * @rpc: a client
 * @hash: a transaction hash
 * @receipt: (out) (transfer full) (nullable): its receipt, or %NULL while
 *     it is not mined (or unknown to the node)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE when the node answered (with a receipt or not)
 */
gboolean
lp_eth_rpc_get_transaction_receipt (LpEthRpc * rpc,
    const guint8 hash[LP_KECCAK256_SIZE], LpEthReceipt ** receipt,
    GError ** error)
{
  static const gchar method[] = "eth_getTransactionReceipt";
  Reader r = { rpc, method, NULL };
  g_autoptr (JsonNode) result = NULL;
  LpEthReceipt *read;

  g_return_val_if_fail (rpc != NULL && hash != NULL, FALSE);
  g_return_val_if_fail (receipt != NULL, FALSE);

  *receipt = NULL;
  result = lp_eth_rpc_call_method (rpc, method,
      params_new (hash_node (hash), NULL), error);
  if (result == NULL)
    return FALSE;
  /* pending transactions have a receipt with a null block on some nodes */
  if (JSON_NODE_HOLDS_NULL (result) || is_null (member (result,
              "blockNumber")))
    return TRUE;
  read = read_receipt (&r, result);
  if (!reader_finish (&r, error)) {
    lp_eth_receipt_free (read);
    return FALSE;
  }
  *receipt = read;
  return TRUE;
}

static LpEthTransaction *
read_transaction (Reader * r, JsonNode * node)
{
  LpEthTransaction *tx = g_new0 (LpEthTransaction, 1);
  JsonNode *type = member (node, "type");
  JsonNode *block = member (node, "blockNumber");
  guint64 type_number = 0;

  read_hash (r, member (node, "hash"), "hash", tx->hash);
  if (!is_null (type))
    read_u64 (r, type, "type", &type_number);
  tx->type = (guint) MIN (type_number, G_MAXUINT);
  read_u64 (r, member (node, "nonce"), "nonce", &tx->nonce);
  read_address (r, member (node, "from"), "from", &tx->from);
  tx->has_to = read_optional_address (r, member (node, "to"), "to", &tx->to);
  read_u256 (r, member (node, "value"), "value", &tx->value);
  read_u64 (r, member (node, "gas"), "gas", &tx->gas);
  if (!is_null (member (node, "gasPrice")))
    read_u256 (r, member (node, "gasPrice"), "gasPrice", &tx->gas_price);
  if (!is_null (member (node, "maxFeePerGas")))
    read_u256 (r, member (node, "maxFeePerGas"), "maxFeePerGas",
        &tx->max_fee_per_gas);
  if (!is_null (member (node, "maxPriorityFeePerGas")))
    read_u256 (r, member (node, "maxPriorityFeePerGas"),
        "maxPriorityFeePerGas", &tx->max_priority_fee_per_gas);
  tx->input = read_data (r, member (node, "input"), "input");
  if (tx->input == NULL)
    tx->input = g_bytes_new (NULL, 0);
  tx->mined = !is_null (block);
  if (tx->mined)
    read_u64 (r, block, "blockNumber", &tx->block_number);
  return tx;
}

/**
 * lp_eth_rpc_get_transaction:
 * @rpc: a client
 * @hash: a transaction hash
 * @tx: (out) (transfer full) (nullable): the transaction, pending or
 *     mined, or %NULL when the node does not know it (never sent, or
 *     dropped from its pool)
 * @error: return location for a #GError, or %NULL
 *
 * Reads a transaction (eth_getTransactionByHash).
 *
 * Returns: %TRUE when the node answered (with a transaction or not)
 */
gboolean
lp_eth_rpc_get_transaction (LpEthRpc * rpc,
    const guint8 hash[LP_KECCAK256_SIZE], LpEthTransaction ** tx,
    GError ** error)
{
  static const gchar method[] = "eth_getTransactionByHash";
  Reader r = { rpc, method, NULL };
  g_autoptr (JsonNode) result = NULL;
  LpEthTransaction *read;

  g_return_val_if_fail (rpc != NULL && hash != NULL && tx != NULL, FALSE);

  *tx = NULL;
  result = lp_eth_rpc_call_method (rpc, method,
      params_new (hash_node (hash), NULL), error);
  if (result == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (result))
    return TRUE;
  read = read_transaction (&r, result);
  if (!reader_finish (&r, error)) {
    lp_eth_transaction_free (read);
    return FALSE;
  }
  *tx = read;
  return TRUE;
}

static JsonNode *
filter_object (const LpEthLogFilter * filter)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonArray *topics = json_array_new ();
  guint i;

  if (filter->address != NULL)
    json_object_set_member (object, "address",
        address_node (filter->address));
  json_object_set_member (object, "fromBlock",
      block_node (filter->from_block));
  json_object_set_member (object, "toBlock", block_node (filter->to_block));
  for (i = 0; i < filter->n_topics; i++) {
    if (filter->topics[i] != NULL)
      json_array_add_element (topics, hash_node (filter->topics[i]));
    else
      json_array_add_null_element (topics);
  }
  json_object_set_array_member (object, "topics", topics);
  json_node_take_object (node, object);
  return node;
}

/**
 * lp_eth_rpc_get_logs:
 * @rpc: a client
 * @filter: which logs
 * @error: return location for a #GError, or %NULL
 *
 * Reads event logs (eth_getLogs). Nodes limit the range or the number of
 * logs of one request (an %LP_ETH_ERROR_RPC error says so); ask for
 * smaller ranges then.
 *
 * Returns: (transfer full) (element-type LpEthLog) (nullable): the logs in
 *     chain order, or %NULL with an error
 */
GPtrArray *
lp_eth_rpc_get_logs (LpEthRpc * rpc, const LpEthLogFilter * filter,
    GError ** error)
{
  static const gchar method[] = "eth_getLogs";
  Reader r = { rpc, method, NULL };
  g_autoptr (JsonNode) result = NULL;
  GPtrArray *logs;

  g_return_val_if_fail (rpc != NULL && filter != NULL, NULL);
  g_return_val_if_fail (filter->n_topics <= 4, NULL);
  g_return_val_if_fail (valid_block (filter->from_block), NULL);
  g_return_val_if_fail (valid_block (filter->to_block), NULL);

  result = lp_eth_rpc_call_method (rpc, method,
      params_new (filter_object (filter), NULL), error);
  if (result == NULL)
    return NULL;
  logs = read_logs (&r, result, "result");
  if (!reader_finish (&r, error)) {
    g_ptr_array_unref (logs);
    return NULL;
  }
  return logs;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * The chain ledger: LpLedger on Livepeer's contracts as deployed on an EVM
 * chain, reached through an Ethereum JSON-RPC node
 * (`http://HOST:PORT?controller=0x…`, docs/design/chain.md). Reads are
 * eth_call views; every change is a transaction signed locally with the
 * key of the account it acts for (lp_ledger_add_signer()) and sent by an
 * LpEthSender (nonces, gas, fees, receipts). The chain is the state: this
 * object keeps only the contract addresses, the signers and, for an
 * orchestrator, a local queue of winning tickets (lpledger-chain-queue.c).
 *
 * This file: the object and its URI, contract resolution through the
 * Controller, views and transactions with their error mapping, signers,
 * the status (RoundsManager, Minter, token), rounds and blocks, the
 * storage check, the audit, and the operations this deployment has no
 * contract for. Bonding and tickets live in lpledger-chain-bonding.c and
 * lpledger-chain-tickets.c.
 */
#include "lpledger-chain-private.h"

#include <stdarg.h>
#include <string.h>

#define DEFAULT_CONFIRMATIONS 1
#define DEFAULT_RECEIPT_TIMEOUT_S 120
#define CONFIRMATION_POLL_MS 250

struct _LpLedgerChain
{
  GObject parent;

  gchar *uri;                   /* as given, for messages */
  LpChainConfig config;
  LpEthRpc *rpc;
  guint64 chain_id;
  LpAddress contracts[LP_CHAIN_N_CONTRACTS];

  GMutex lock;                  /* what follows */
  GPtrArray *signers;           /* LpEthSender, in the order added */
  LpChainQueue *queue;          /* opened on first use */
};

static void lp_ledger_chain_iface_init (LpLedgerInterface * iface);

G_DEFINE_TYPE_WITH_CODE (LpLedgerChain, lp_ledger_chain, G_TYPE_OBJECT,
    G_IMPLEMENT_INTERFACE (LP_TYPE_LEDGER, lp_ledger_chain_iface_init));

static const gchar *const contract_names[LP_CHAIN_N_CONTRACTS] = {
  [LP_CHAIN_TOKEN] = "LivepeerToken",
  [LP_CHAIN_MINTER] = "Minter",
  [LP_CHAIN_BONDING_MANAGER] = "BondingManager",
  [LP_CHAIN_TICKET_BROKER] = "TicketBroker",
  [LP_CHAIN_ROUNDS_MANAGER] = "RoundsManager",
  [LP_CHAIN_SERVICE_REGISTRY] = "ServiceRegistry",
};

static void
lp_ledger_chain_init (LpLedgerChain * self)
{
  g_mutex_init (&self->lock);
  self->signers = g_ptr_array_new_with_free_func ((GDestroyNotify)
      lp_eth_sender_unref);
}

static void
lp_ledger_chain_finalize (GObject * object)
{
  LpLedgerChain *self = LP_LEDGER_CHAIN (object);

  g_ptr_array_unref (self->signers);
  lp_chain_queue_free (self->queue);
  g_clear_pointer (&self->rpc, lp_eth_rpc_unref);
  lp_chain_config_clear (&self->config);
  g_free (self->uri);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (lp_ledger_chain_parent_class)->finalize (object);
}

static void
lp_ledger_chain_class_init (LpLedgerChainClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = lp_ledger_chain_finalize;
}

/* ---- the URI ------------------------------------------------------------- */

void
lp_chain_config_clear (LpChainConfig * config)
{
  g_clear_pointer (&config->queue_path, g_free);
}

static gboolean
uri_error (GError ** error, const gchar * uri, const gchar * format, ...)
    G_GNUC_PRINTF (3, 4);

static gboolean
uri_error (GError ** error, const gchar * uri, const gchar * format, ...)
{
  va_list args;
  g_autofree gchar *what = NULL;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_URI,
      "Ledger %s: %s", uri, what);
  return FALSE;
}

/* "1.5" gwei → 1 500 000 000 wei: at most 9 decimals */
static gboolean
parse_gwei (const gchar * text, LpUint256 * wei)
{
  const gchar *dot = strchr (text, '.');
  g_autofree gchar *whole = g_strndup (text, dot ? (gsize) (dot - text)
      : strlen (text));
  gchar frac[10] = "000000000";
  guint64 w;
  g_autofree gchar *digits = NULL;

  if (dot != NULL) {
    gsize n = strlen (dot + 1);

    if (n == 0 || n > 9 || strspn (dot + 1, "0123456789") != n)
      return FALSE;
    memcpy (frac, dot + 1, n);
  }
  if (*whole == '\0' || strspn (whole, "0123456789") != strlen (whole)
      || !g_ascii_string_to_unsigned (whole, 10, 0, G_MAXUINT64 / 2, &w,
          NULL))
    return FALSE;
  digits = g_strdup_printf ("%" G_GUINT64_FORMAT "%s", w, frac);
  return lp_uint256_parse (digits, wei, NULL);
}

static gboolean
parse_u64_param (const gchar * uri, const gchar * name, const gchar * value,
    guint64 min, guint64 max, guint64 * out, GError ** error)
{
  if (g_ascii_string_to_unsigned (value, 10, min, max, out, NULL))
    return TRUE;
  return uri_error (error, uri, "%s=%s is not an integer from %"
      G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT, name, value, min, max);
}

static gboolean
parse_param (const gchar * uri, const gchar * name, const gchar * value,
    LpChainConfig * config, GError ** error)
{
  guint64 n;

  if (g_str_equal (name, "controller")) {
    if (!lp_address_parse (value, &config->controller, NULL))
      return uri_error (error, uri, "controller=%s is not an address "
          "(0x and 40 hex digits; in mixed case, the EIP-55 checksum must "
          "match: copy it exactly or write it in lower case)", value);
  } else if (g_str_equal (name, "queue")) {
    if (*value == '\0')
      return uri_error (error, uri, "queue= names no file");
    g_free (config->queue_path);
    config->queue_path = g_strdup (value);
  } else if (g_str_equal (name, "from-block")) {
    return parse_u64_param (uri, name, value, 0, G_MAXINT64,
        &config->from_block, error);
  } else if (g_str_equal (name, "confirmations")) {
    return parse_u64_param (uri, name, value, 1, 1000,
        &config->confirmations, error);
  } else if (g_str_equal (name, "max-fee-gwei")) {
    config->has_max_fee = parse_gwei (value, &config->max_fee);
    if (!config->has_max_fee)
      return uri_error (error, uri, "max-fee-gwei=%s is not a number of "
          "gwei (like 2 or 0.1)", value);
  } else if (g_str_equal (name, "priority-fee-gwei")) {
    config->has_priority_fee = parse_gwei (value, &config->priority_fee);
    if (!config->has_priority_fee)
      return uri_error (error, uri, "priority-fee-gwei=%s is not a number "
          "of gwei (like 2 or 0.1)", value);
  } else if (g_str_equal (name, "gas-headroom")) {
    if (!parse_u64_param (uri, name, value, 0, 1000, &n, error))
      return FALSE;
    config->gas_headroom = (guint) n;
  } else if (g_str_equal (name, "fee-mode")) {
    if (g_str_equal (value, "auto"))
      config->fee_mode = LP_ETH_FEE_MODE_AUTO;
    else if (g_str_equal (value, "eip1559"))
      config->fee_mode = LP_ETH_FEE_MODE_EIP1559;
    else if (g_str_equal (value, "legacy"))
      config->fee_mode = LP_ETH_FEE_MODE_LEGACY;
    else
      return uri_error (error, uri, "fee-mode=%s: use auto, eip1559 or "
          "legacy", value);
  } else if (g_str_equal (name, "receipt-timeout")) {
    if (!parse_u64_param (uri, name, value, 1, 86400, &n, error))
      return FALSE;
    config->receipt_timeout_ms = (guint) n *1000;
  } else if (g_str_equal (name, "rpc-timeout")) {
    if (!parse_u64_param (uri, name, value, 1, 3600, &n, error))
      return FALSE;
    config->rpc_timeout_ms = (guint) n *1000;
  } else {
    return uri_error (error, uri, "unknown parameter \"%s\" (known: "
        "controller, queue, from-block, confirmations, max-fee-gwei, "
        "priority-fee-gwei, gas-headroom, fee-mode, receipt-timeout, "
        "rpc-timeout)", name);
  }
  return TRUE;
}

/**
 * lp_chain_config_parse:
 *
 * Splits a chain ledger URI into the node's URL (the URI without its
 * query) and the settings of its query. controller= is required.
 */
gboolean
lp_chain_config_parse (const gchar * uri, gchar ** node_url,
    LpChainConfig * config, GError ** error)
{
  g_autoptr (GUri) parsed = NULL;
  g_autoptr (GHashTable) params = NULL;
  g_autoptr (GError) cause = NULL;
  gboolean has_controller = FALSE;
  GHashTableIter iter;
  gpointer name, value;

  memset (config, 0, sizeof (*config));
  config->confirmations = DEFAULT_CONFIRMATIONS;
  config->gas_headroom = LP_ETH_SENDER_DEFAULT_GAS_HEADROOM_PERCENT;
  config->receipt_timeout_ms = DEFAULT_RECEIPT_TIMEOUT_S * 1000;
  config->rpc_timeout_ms = LP_ETH_RPC_DEFAULT_TIMEOUT_MS;
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, &cause);
  if (parsed == NULL)
    return uri_error (error, uri, "%s", cause->message);
  if (g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0')
    return uri_error (error, uri, "names no host (write "
        "http://HOST:PORT?controller=0x...)");
  if (g_uri_get_query (parsed) != NULL) {
    params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&",
        G_URI_PARAMS_NONE, &cause);
    if (params == NULL)
      return uri_error (error, uri, "%s", cause->message);
    g_hash_table_iter_init (&iter, params);
    while (g_hash_table_iter_next (&iter, &name, &value)) {
      if (!parse_param (uri, name, value, config, error)) {
        lp_chain_config_clear (config);
        return FALSE;
      }
      has_controller |= g_str_equal (name, "controller");
    }
  }
  if (!has_controller) {
    lp_chain_config_clear (config);
    return uri_error (error, uri, "no controller=0x... (the address of "
        "Livepeer's Controller contract on that chain)");
  }
  *node_url = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (parsed),
      g_uri_get_userinfo (parsed), g_uri_get_host (parsed),
      g_uri_get_port (parsed), g_uri_get_path (parsed), NULL,
      g_uri_get_fragment (parsed));
  return TRUE;
}

/* ---- errors -------------------------------------------------------------- */

/* A node's failure in LpLedger's terms: unreachable (transport, timeout),
 * refused (a revert, not enough ETH), or a storage error otherwise. */
void
lp_chain_map_error (LpLedgerChain * self, GError * eth_error,
    const gchar * what, GError ** error)
{
  LpLedgerError code = LP_LEDGER_ERROR_STORAGE;
  const gchar *reason;

  if (eth_error->domain == LP_ETH_ERROR) {
    switch (eth_error->code) {
      case LP_ETH_ERROR_TRANSPORT:
      case LP_ETH_ERROR_TIMEOUT:
        code = LP_LEDGER_ERROR_UNREACHABLE;
        break;
      case LP_ETH_ERROR_REVERTED:
        reason = lp_eth_error_get_revert_reason (eth_error);
        g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_REFUSED,
            "%s refused: %s", what, reason != NULL ? reason :
            eth_error->message);
        return;
      case LP_ETH_ERROR_INSUFFICIENT_FUNDS:
      case LP_ETH_ERROR_FEE_CAP:
        code = LP_LEDGER_ERROR_REFUSED;
        break;
      default:
        break;
    }
  } else if (eth_error->domain == LP_LEDGER_ERROR) {
    code = eth_error->code;
  }
  g_set_error (error, LP_LEDGER_ERROR, code, "%s: %s", what,
      eth_error->message);
}

gboolean
lp_chain_bad_answer (const gchar * what, GError * cause, GError ** error)
{
  g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_STORAGE,
      "%s: unexpected answer from the chain: %s", what, cause != NULL ?
      cause->message : "wrong shape");
  return FALSE;
}

/* "BondingManager.bond" from "bond(uint256,address)" */
static gchar *
call_name (LpChainContract contract, const gchar * signature)
{
  const gchar *paren = strchr (signature, '(');

  return g_strdup_printf ("%s.%.*s", contract_names[contract],
      (int) (paren != NULL ? paren - signature : (long) strlen (signature)),
      signature);
}

/* ---- accessors ----------------------------------------------------------- */

const gchar *
lp_chain_contract_name (LpChainContract contract)
{
  return contract_names[contract];
}

const LpAddress *
lp_chain_contract (LpLedgerChain * self, LpChainContract contract)
{
  return &self->contracts[contract];
}

LpEthRpc *
lp_chain_rpc (LpLedgerChain * self)
{
  return self->rpc;
}

const gchar *
lp_chain_url (LpLedgerChain * self)
{
  return lp_eth_rpc_get_url (self->rpc);
}

guint64
lp_chain_from_block (LpLedgerChain * self)
{
  return self->config.from_block;
}

const gchar *
lp_chain_queue_file (LpLedgerChain * self)
{
  return self->config.queue_path;
}

LpAbiValue *
lp_chain_address_arg (const LpAddress * address)
{
  return lp_abi_value_new_address (address);
}

LpAbiValue *
lp_chain_u256_arg (const LpUint256 * value)
{
  return lp_abi_value_new_uint256 (value);
}

void
lp_chain_value_u256 (const LpAbiValue * tuple, guint index, LpUint256 * out)
{
  const LpAbiValue *v = lp_abi_value_get_child (tuple, index);

  if (v == NULL || !lp_abi_value_get_uint256 (v, out))
    lp_uint256_set_zero (out);
}

guint64
lp_chain_value_round (const LpAbiValue * value)
{
  LpUint256 n;
  guint64 out = 0;

  if (value == NULL || !lp_abi_value_get_uint256 (value, &n))
    return 0;
  if (!lp_uint256_to_uint64 (&n, &out, NULL) || out > G_MAXINT64)
    return G_MAXINT64;
  return out;
}

guint64
lp_chain_value_u64 (const LpAbiValue * tuple, guint index)
{
  return lp_chain_value_round (lp_abi_value_get_child (tuple, index));
}

/* ---- views and transactions ---------------------------------------------- */

/* Encodes a call from its NULL-terminated argument list, freeing the
 * arguments. */
static GBytes *
encode_call (const gchar * signature, va_list args, GError ** error)
{
  g_autoptr (GPtrArray) values =
      g_ptr_array_new_with_free_func ((GDestroyNotify) lp_abi_value_free);
  LpAbiValue *v;

  while ((v = va_arg (args, LpAbiValue *)) != NULL)
    g_ptr_array_add (values, v);
  return lp_abi_encode_call (signature, (LpAbiValue * const *) values->pdata,
      values->len, error);
}

static LpAbiValue *
view_va (LpLedgerChain * self, LpChainContract contract,
    const gchar * signature, const gchar * out_types, GError ** error,
    va_list args)
{
  g_autofree gchar *what = call_name (contract, signature);
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GError) cause = NULL;
  LpEthCall call = { NULL, };
  LpAbiValue *out;

  data = encode_call (signature, args, &cause);
  if (data == NULL) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
        "%s: %s", what, cause->message);
    return NULL;
  }
  call.to = &self->contracts[contract];
  call.data = data;
  answer = lp_eth_rpc_call (self->rpc, &call, LP_ETH_BLOCK_LATEST, &cause);
  if (answer == NULL) {
    lp_chain_map_error (self, cause, what, error);
    return NULL;
  }
  out = lp_abi_decode (out_types, g_bytes_get_data (answer, NULL),
      g_bytes_get_size (answer), &cause);
  if (out == NULL)
    lp_chain_bad_answer (what, cause, error);
  return out;
}

LpAbiValue *
lp_chain_view (LpLedgerChain * self, LpChainContract contract,
    const gchar * signature, const gchar * out_types, GError ** error, ...)
{
  va_list args;
  LpAbiValue *out;

  va_start (args, error);
  out = view_va (self, contract, signature, out_types, error, args);
  va_end (args);
  return out;
}

gboolean
lp_chain_view_u256 (LpLedgerChain * self, LpChainContract contract,
    const gchar * signature, LpUint256 * out, GError ** error, ...)
{
  va_list args;
  g_autoptr (LpAbiValue) v = NULL;

  va_start (args, error);
  v = view_va (self, contract, signature, "(uint256)", error, args);
  va_end (args);
  if (v == NULL)
    return FALSE;
  lp_chain_value_u256 (v, 0, out);
  return TRUE;
}

gboolean
lp_chain_view_u64 (LpLedgerChain * self, LpChainContract contract,
    const gchar * signature, guint64 * out, GError ** error, ...)
{
  va_list args;
  g_autoptr (LpAbiValue) v = NULL;

  va_start (args, error);
  v = view_va (self, contract, signature, "(uint256)", error, args);
  va_end (args);
  if (v == NULL)
    return FALSE;
  *out = lp_chain_value_u64 (v, 0);
  return TRUE;
}

gboolean
lp_chain_view_bool (LpLedgerChain * self, LpChainContract contract,
    const gchar * signature, gboolean * out, GError ** error, ...)
{
  va_list args;
  g_autoptr (LpAbiValue) v = NULL;

  va_start (args, error);
  v = view_va (self, contract, signature, "(bool)", error, args);
  va_end (args);
  if (v == NULL)
    return FALSE;
  return lp_abi_value_get_bool (lp_abi_value_get_child (v, 0), out);
}

/* The sender for @account (a new reference), or NULL. */
static LpEthSender *
find_signer (LpLedgerChain * self, const LpAddress * account)
{
  LpEthSender *found = NULL;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->signers->len && found == NULL; i++) {
    LpEthSender *s = g_ptr_array_index (self->signers, i);

    if (account == NULL || lp_address_equal (lp_eth_sender_get_address (s),
            account))
      found = lp_eth_sender_ref (s);
  }
  g_mutex_unlock (&self->lock);
  return found;
}

static LpEthSender *
signer_for (LpLedgerChain * self, const LpAddress * account, GError ** error)
{
  LpEthSender *sender = find_signer (self, account);
  gchar text[LP_ADDRESS_TEXT_SIZE];

  if (sender != NULL)
    return sender;
  lp_address_format (account, text);
  g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_NO_SIGNER,
      "No key for account %s: a chain needs it to sign the transaction "
      "(give its key with --from)", text);
  return NULL;
}

/* Waits until the receipt's block has the configured confirmations. */
static gboolean
wait_confirmations (LpLedgerChain * self, const LpEthReceipt * receipt,
    const gchar * what, GError ** error)
{
  guint64 head = 0;
  gint64 deadline = g_get_monotonic_time () +
      (gint64) self->config.receipt_timeout_ms * 1000;
  g_autoptr (GError) cause = NULL;

  while (TRUE) {
    if (!lp_eth_rpc_block_number (self->rpc, &head, &cause)) {
      lp_chain_map_error (self, cause, what, error);
      return FALSE;
    }
    if (head + 1 >= receipt->block_number + self->config.confirmations)
      return TRUE;
    if (g_get_monotonic_time () > deadline) {
      g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_UNREACHABLE,
          "%s: mined in block %" G_GUINT64_FORMAT " but not %"
          G_GUINT64_FORMAT " blocks deep within the receipt timeout", what,
          receipt->block_number, self->config.confirmations);
      return FALSE;
    }
    g_usleep (CONFIRMATION_POLL_MS * 1000);
  }
}

/* @gas_limit 0: estimated (a revert fails before anything is sent) */
static gboolean
send_va (LpLedgerChain * self, LpEthSender * sender,
    LpChainContract contract, const LpUint256 * value, guint64 gas_limit,
    LpEthReceipt ** receipt_out, GError ** error, const gchar * signature,
    va_list args)
{
  LpEthTxRequest request = { NULL, };
  g_autofree gchar *what = call_name (contract, signature);
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GError) cause = NULL;
  LpEthReceipt *receipt = NULL;

  data = encode_call (signature, args, &cause);
  if (data == NULL) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
        "%s: %s", what, cause->message);
    return FALSE;
  }
  request.to = &self->contracts[contract];
  request.value = value;
  request.data = data;
  request.gas_limit = gas_limit;
  if (!lp_eth_sender_transact_full (sender, &request, NULL, &receipt,
          &cause)) {
    lp_chain_map_error (self, cause, what, error);
    return FALSE;
  }
  if (self->config.confirmations > 1
      && !wait_confirmations (self, receipt, what, error)) {
    lp_eth_receipt_free (receipt);
    return FALSE;
  }
  if (receipt_out != NULL)
    *receipt_out = receipt;
  else
    lp_eth_receipt_free (receipt);
  return TRUE;
}

gboolean
lp_chain_send (LpLedgerChain * self, const LpAddress * from,
    LpChainContract contract, const LpUint256 * value,
    LpEthReceipt ** receipt, GError ** error, const gchar * signature, ...)
{
  g_autoptr (LpEthSender) sender = signer_for (self, from, error);
  va_list args;
  gboolean ok;

  if (sender == NULL)
    return FALSE;
  va_start (args, signature);
  ok = send_va (self, sender, contract, value, 0, receipt, error, signature,
      args);
  va_end (args);
  return ok;
}

static gboolean
send_any_va (LpLedgerChain * self, const LpAddress * prefer,
    LpChainContract contract, guint64 gas_limit, LpEthReceipt ** receipt,
    GError ** error, const gchar * signature, va_list args)
{
  g_autoptr (LpEthSender) sender = NULL;
  g_autofree gchar *what = NULL;

  if (prefer != NULL)
    sender = find_signer (self, prefer);
  if (sender == NULL)
    sender = find_signer (self, NULL);
  if (sender == NULL) {
    what = call_name (contract, signature);
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_NO_SIGNER,
        "%s is a transaction and the ledger has no key to send it with "
        "(give one with --from)", what);
    return FALSE;
  }
  return send_va (self, sender, contract, NULL, gas_limit, receipt, error,
      signature, args);
}

gboolean
lp_chain_send_any (LpLedgerChain * self, const LpAddress * prefer,
    LpChainContract contract, LpEthReceipt ** receipt, GError ** error,
    const gchar * signature, ...)
{
  va_list args;
  gboolean ok;

  va_start (args, signature);
  ok = send_any_va (self, prefer, contract, 0, receipt, error, signature,
      args);
  va_end (args);
  return ok;
}

gboolean
lp_chain_send_any_gas (LpLedgerChain * self, const LpAddress * prefer,
    LpChainContract contract, guint64 gas_limit, LpEthReceipt ** receipt,
    GError ** error, const gchar * signature, ...)
{
  va_list args;
  gboolean ok;

  va_start (args, signature);
  ok = send_any_va (self, prefer, contract, gas_limit, receipt, error,
      signature, args);
  va_end (args);
  return ok;
}

const LpEthLog *
lp_chain_receipt_find_log (LpLedgerChain * self,
    const LpEthReceipt * receipt, LpChainContract contract,
    const gchar * event_signature)
{
  guint8 topic[LP_KECCAK256_SIZE];

  lp_abi_event_topic (event_signature, topic);
  for (guint i = 0; receipt->logs != NULL && i < receipt->logs->len; i++) {
    const LpEthLog *log = g_ptr_array_index (receipt->logs, i);

    if (lp_address_equal (&log->address, &self->contracts[contract])
        && log->n_topics > 0 && memcmp (log->topics[0], topic,
            sizeof (topic)) == 0)
      return log;
  }
  return NULL;
}

LpAbiValue *
lp_chain_log_data (const LpEthLog * log, const gchar * types,
    GError ** error)
{
  return lp_abi_decode (types, g_bytes_get_data (log->data, NULL),
      g_bytes_get_size (log->data), error);
}

/* ---- small reads --------------------------------------------------------- */

gboolean
lp_chain_block_number (LpLedgerChain * self, guint64 * block,
    GError ** error)
{
  g_autoptr (GError) cause = NULL;

  if (lp_eth_rpc_block_number (self->rpc, block, &cause))
    return TRUE;
  lp_chain_map_error (self, cause, "eth_blockNumber", error);
  return FALSE;
}

gboolean
lp_chain_current_round (LpLedgerChain * self, guint64 * round,
    GError ** error)
{
  return lp_chain_view_u64 (self, LP_CHAIN_ROUNDS_MANAGER, "currentRound()",
      round, error, NULL);
}

gboolean
lp_chain_eth_balance (LpLedgerChain * self, const LpAddress * address,
    LpUint256 * balance, GError ** error)
{
  g_autoptr (GError) cause = NULL;

  if (lp_eth_rpc_get_balance (self->rpc, address, LP_ETH_BLOCK_LATEST,
          balance, &cause))
    return TRUE;
  lp_chain_map_error (self, cause, "eth_getBalance", error);
  return FALSE;
}

/* ---- opening ------------------------------------------------------------- */

static gboolean
resolve_contracts (LpLedgerChain * self, GError ** error)
{
  gchar controller[LP_ADDRESS_TEXT_SIZE];

  lp_address_format (&self->config.controller, controller);
  for (guint i = 0; i < LP_CHAIN_N_CONTRACTS; i++) {
    guint8 id[LP_KECCAK256_SIZE];
    g_autoptr (GBytes) data = NULL;
    g_autoptr (GBytes) answer = NULL;
    g_autoptr (LpAbiValue) v = NULL;
    g_autoptr (GError) cause = NULL;
    g_autofree gchar *what = g_strdup_printf ("Controller %s "
        "getContract(keccak256(\"%s\"))", controller, contract_names[i]);
    LpAbiValue *arg;
    LpEthCall call = { NULL, };

    lp_keccak256 ((const guint8 *) contract_names[i],
        strlen (contract_names[i]), id);
    arg = lp_abi_value_new_bytes32 (id);
    data = lp_abi_encode_call ("getContract(bytes32)", &arg, 1, NULL);
    lp_abi_value_free (arg);
    call.to = &self->config.controller;
    call.data = data;
    answer = lp_eth_rpc_call (self->rpc, &call, LP_ETH_BLOCK_LATEST, &cause);
    if (answer == NULL) {
      lp_chain_map_error (self, cause, what, error);
      return FALSE;
    }
    v = lp_abi_decode ("(address)", g_bytes_get_data (answer, NULL),
        g_bytes_get_size (answer), NULL);
    if (v == NULL || !lp_abi_value_get_address (lp_abi_value_get_child (v,
                0), &self->contracts[i])
        || lp_address_is_zero (&self->contracts[i])) {
      g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_URI,
          "Ledger %s: %s gave no address: is %s Livepeer's Controller on "
          "chain %" G_GUINT64_FORMAT "?", self->uri, what, controller,
          self->chain_id);
      return FALSE;
    }
  }
  return TRUE;
}

static gchar *
default_queue_path (LpLedgerChain * self)
{
  gchar controller[LP_ADDRESS_TEXT_SIZE];
  g_autofree gchar *name = NULL;

  lp_address_format (&self->config.controller, controller);
  name = g_strdup_printf ("chain-%" G_GUINT64_FORMAT "-%s-queue.db",
      self->chain_id, controller);
  return g_build_filename (g_get_user_state_dir (), "gst-livepeer", name,
      NULL);
}

LpLedger *
lp_ledger_chain_open (const gchar * uri, GError ** error)
{
  g_autoptr (LpLedgerChain) self = g_object_new (LP_TYPE_LEDGER_CHAIN, NULL);
  g_autofree gchar *url = NULL;
  g_autoptr (GError) cause = NULL;

  self->uri = g_strdup (uri);
  if (!lp_chain_config_parse (uri, &url, &self->config, error))
    return NULL;
  self->rpc = lp_eth_rpc_new (url, &cause);
  if (self->rpc == NULL) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_URI,
        "Ledger %s: %s", uri, cause->message);
    return NULL;
  }
  lp_eth_rpc_set_timeout (self->rpc, self->config.rpc_timeout_ms);
  if (!lp_eth_rpc_chain_id (self->rpc, &self->chain_id, &cause)) {
    lp_chain_map_error (self, cause, "Ledger node", error);
    return NULL;
  }
  if (!resolve_contracts (self, error))
    return NULL;
  if (self->config.queue_path == NULL)
    self->config.queue_path = default_queue_path (self);
  return LP_LEDGER (g_steal_pointer (&self));
}

LpChainQueue *
lp_chain_get_queue (LpLedgerChain * self, GError ** error)
{
  LpChainQueue *queue;

  g_mutex_lock (&self->lock);
  if (self->queue == NULL)
    self->queue = lp_chain_queue_open (self->config.queue_path, error);
  queue = self->queue;
  g_mutex_unlock (&self->lock);
  return queue;
}

/* ---- signers ------------------------------------------------------------- */

static gboolean
chain_add_signer (LpLedger * ledger, LpPrivateKey * key, GError ** error)
{
  LpLedgerChain *self = LP_LEDGER_CHAIN (ledger);
  g_autoptr (LpEthSender) existing =
      find_signer (self, lp_private_key_get_address (key));
  LpEthSender *sender;

  if (existing != NULL)
    return TRUE;
  sender = lp_eth_sender_new (self->rpc, key);
  lp_eth_sender_set_gas_headroom (sender, self->config.gas_headroom);
  lp_eth_sender_set_fee_mode (sender, self->config.fee_mode);
  lp_eth_sender_set_receipt_timeout (sender,
      self->config.receipt_timeout_ms);
  if (self->config.has_max_fee)
    lp_eth_sender_set_max_fee_per_gas (sender, &self->config.max_fee);
  if (self->config.has_priority_fee)
    lp_eth_sender_set_max_priority_fee_per_gas (sender,
        &self->config.priority_fee);
  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->signers, sender);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* ---- status and rounds --------------------------------------------------- */

typedef struct
{
  LpChainContract contract;
  const gchar *signature;
  gsize offset;                 /* in LpLedgerStatus */
  gboolean u256;
} StatusField;

#define U64_FIELD(c, sig, member) \
  { c, sig, G_STRUCT_OFFSET (LpLedgerStatus, member), FALSE }
#define U256_FIELD(c, sig, member) \
  { c, sig, G_STRUCT_OFFSET (LpLedgerStatus, member), TRUE }

/* Every status field a view answers. Not on this deployment: the treasury
 * (no treasury contract: 0), block time (the chain's own pace: 0),
 * slashing (no Verifier contract: off) and governance's voting
 * parameters (no governor: 0). */
static const StatusField status_fields[] = {
  U64_FIELD (LP_CHAIN_ROUNDS_MANAGER, "currentRound()", round),
  U64_FIELD (LP_CHAIN_ROUNDS_MANAGER, "lastInitializedRound()",
      last_initialized_round),
  U256_FIELD (LP_CHAIN_TOKEN, "totalSupply()", total_supply),
  U256_FIELD (LP_CHAIN_BONDING_MANAGER, "getTotalBonded()", total_bonded),
  U256_FIELD (LP_CHAIN_BONDING_MANAGER, "currentRoundTotalActiveStake()",
      current_round_total_active_stake),
  U256_FIELD (LP_CHAIN_BONDING_MANAGER, "nextRoundTotalActiveStake()",
      next_round_total_active_stake),
  U256_FIELD (LP_CHAIN_MINTER, "currentMintableTokens()", mintable),
  U256_FIELD (LP_CHAIN_MINTER, "currentMintedTokens()", minted),
  U64_FIELD (LP_CHAIN_ROUNDS_MANAGER, "roundLength()", params.round_length),
  U64_FIELD (LP_CHAIN_ROUNDS_MANAGER, "roundLockAmount()",
      params.round_lock_amount),
  U64_FIELD (LP_CHAIN_BONDING_MANAGER, "unbondingPeriod()",
      params.unbonding_period),
  U64_FIELD (LP_CHAIN_BONDING_MANAGER, "getTranscoderPoolMaxSize()",
      params.num_active),
  U64_FIELD (LP_CHAIN_MINTER, "inflation()", params.inflation),
  U64_FIELD (LP_CHAIN_MINTER, "inflationChange()", params.inflation_change),
  U64_FIELD (LP_CHAIN_MINTER, "targetBondingRate()",
      params.target_bonding_rate),
  U64_FIELD (LP_CHAIN_TICKET_BROKER, "ticketValidityPeriod()",
      params.ticket_validity_period),
  U64_FIELD (LP_CHAIN_TICKET_BROKER, "unlockPeriod()", params.unlock_period),
};

static gboolean
chain_get_status (LpLedger * ledger, LpLedgerStatus * status,
    GError ** error)
{
  LpLedgerChain *self = LP_LEDGER_CHAIN (ledger);

  memset (status, 0, sizeof (*status));
  status->params.fee_asset = LP_FEE_ASSET_ETH;
  if (!lp_chain_block_number (self, &status->block, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (status_fields); i++) {
    const StatusField *f = &status_fields[i];
    gpointer where = G_STRUCT_MEMBER_P (status, f->offset);

    if (f->u256 ? !lp_chain_view_u256 (self, f->contract, f->signature,
            where, error, NULL) : !lp_chain_view_u64 (self, f->contract,
            f->signature, where, error, NULL))
      return FALSE;
  }
  return lp_chain_view_bool (self, LP_CHAIN_ROUNDS_MANAGER,
      "currentRoundInitialized()", &status->round_initialized, error, NULL)
      && lp_chain_view_bool (self, LP_CHAIN_ROUNDS_MANAGER,
      "currentRoundLocked()", &status->round_locked, error, NULL);
}

static gboolean
chain_get_block_number (LpLedger * ledger, guint64 * block, GError ** error)
{
  return lp_chain_block_number (LP_LEDGER_CHAIN (ledger), block, error);
}

static gboolean
chain_get_gas_price (LpLedger * ledger, LpUint256 * price, GError ** error)
{
  LpLedgerChain *self = LP_LEDGER_CHAIN (ledger);
  g_autoptr (GError) cause = NULL;

  if (lp_eth_rpc_gas_price (self->rpc, price, &cause))
    return TRUE;
  lp_chain_map_error (self, cause, "eth_gasPrice", error);
  return FALSE;
}

static gboolean
chain_initialize_round (LpLedger * ledger, GError ** error)
{
  return lp_chain_send_any (LP_LEDGER_CHAIN (ledger), NULL,
      LP_CHAIN_ROUNDS_MANAGER, NULL, error, "initializeRound()", NULL);
}

static gboolean
chain_get_round_block_hash (LpLedger * ledger, guint64 round,
    guint8 hash[LP_KECCAK256_SIZE], GError ** error)
{
  LpLedgerChain *self = LP_LEDGER_CHAIN (ledger);
  g_autoptr (LpAbiValue) v = lp_chain_view (self, LP_CHAIN_ROUNDS_MANAGER,
      "blockHashForRound(uint256)", "(bytes32)", error,
      lp_abi_value_new_uint64 (round), NULL);
  static const guint8 zero[LP_KECCAK256_SIZE] = { 0, };

  if (v == NULL)
    return FALSE;
  if (!lp_abi_value_get_bytes32 (lp_abi_value_get_child (v, 0), hash))
    return lp_chain_bad_answer ("RoundsManager.blockHashForRound", NULL,
        error);
  if (memcmp (hash, zero, LP_KECCAK256_SIZE) == 0) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_NOT_FOUND,
        "Round %" G_GUINT64_FORMAT " was never initialized on the chain "
        "(RoundsManager has no block hash for it)", round);
    return FALSE;
  }
  return TRUE;
}

/* Mines @blocks on a development node: anvil_mine (anvil, Hardhat's
 * hardhat_mine) in one request, else evm_mine one block at a time. A
 * real chain has neither. */
static gboolean
chain_advance (LpLedger * ledger, guint64 blocks, GError ** error)
{
  LpLedgerChain *self = LP_LEDGER_CHAIN (ledger);
  g_autofree gchar *params = g_strdup_printf ("[\"0x%" G_GINT64_MODIFIER
      "x\"]", blocks);
  g_autoptr (GError) cause = NULL;
  gchar *result = NULL;

  if (blocks == 0)
    return TRUE;
  if (lp_eth_rpc_request (self->rpc, "anvil_mine", params, &result, &cause)
      || (g_clear_error (&cause), lp_eth_rpc_request (self->rpc,
              "hardhat_mine", params, &result, &cause))) {
    g_free (result);
    return TRUE;
  }
  if (cause->domain == LP_ETH_ERROR && (cause->code == LP_ETH_ERROR_TRANSPORT
          || cause->code == LP_ETH_ERROR_TIMEOUT)) {
    lp_chain_map_error (self, cause, "anvil_mine", error);
    return FALSE;
  }
  for (guint64 i = 0; i < blocks; i++) {
    g_clear_error (&cause);
    if (!lp_eth_rpc_request (self->rpc, "evm_mine", "[]", &result, &cause)) {
      g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_UNSUPPORTED,
          "The node at %s mines no blocks on request (it has no anvil_mine, "
          "hardhat_mine or evm_mine: %s): it is not a development node, "
          "and its blocks come at the chain's own pace", lp_chain_url (self),
          cause->message);
      return FALSE;
    }
    g_free (result);
  }
  return TRUE;
}

/* ---- storage and audit --------------------------------------------------- */

static gboolean
chain_check_storage (LpLedger * ledger, GString * report, GError ** error)
{
  LpLedgerChain *self = LP_LEDGER_CHAIN (ledger);
  guint64 chain_id = 0, block = 0;
  g_autoptr (GError) cause = NULL;
  LpChainQueue *queue;

  if (!lp_eth_rpc_chain_id (self->rpc, &chain_id, &cause)) {
    lp_chain_map_error (self, cause, "eth_chainId", error);
    return FALSE;
  }
  if (chain_id != self->chain_id) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_DAMAGED,
        "The node at %s now serves chain %" G_GUINT64_FORMAT ", not chain %"
        G_GUINT64_FORMAT " it served when the ledger was opened",
        lp_chain_url (self), chain_id, self->chain_id);
    return FALSE;
  }
  if (!lp_chain_block_number (self, &block, error)
      || !resolve_contracts (self, error))
    return FALSE;
  if (report != NULL)
    g_string_append_printf (report, "ok chain: node %s answers (chain %"
        G_GUINT64_FORMAT ", block %" G_GUINT64_FORMAT ") and the "
        "Controller resolves %u contracts\n", lp_chain_url (self), chain_id,
        block, (guint) LP_CHAIN_N_CONTRACTS);
  /* only a queue that exists: checking must not create one */
  if (g_file_test (self->config.queue_path, G_FILE_TEST_EXISTS)) {
    queue = lp_chain_get_queue (self, error);
    if (queue == NULL || !lp_chain_queue_check (queue, report, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
audit_compare (GString * report, gboolean holds, const gchar * name,
    const LpUint256 * left, const gchar * relation, const LpUint256 * right)
{
  g_autofree gchar *a = lp_uint256_to_string (left);
  g_autofree gchar *b = lp_uint256_to_string (right);

  g_string_append_printf (report, "%s %s: %s %s %s\n", holds ? "ok" :
      "FAILED", name, a, relation, b);
  return holds;
}

/* The pool's stake adds up to the next round's total active stake. */
static gboolean
audit_pool (LpLedgerChain * self, GString * report, gboolean * holds,
    GError ** error)
{
  g_autoptr (GArray) pool = lp_chain_pool_addresses (self, error);
  LpUint256 sum, stake, next;

  if (pool == NULL)
    return FALSE;
  lp_uint256_set_zero (&sum);
  for (guint i = 0; i < pool->len; i++) {
    if (!lp_chain_view_u256 (self, LP_CHAIN_BONDING_MANAGER,
            "transcoderTotalStake(address)", &stake, error,
            lp_chain_address_arg (&g_array_index (pool, LpAddress, i)),
            NULL))
      return FALSE;
    lp_uint256_add (&sum, &stake, &sum, NULL);
  }
  if (!lp_chain_view_u256 (self, LP_CHAIN_BONDING_MANAGER,
          "nextRoundTotalActiveStake()", &next, error, NULL))
    return FALSE;
  *holds &= audit_compare (report, lp_uint256_equal (&sum, &next),
      "the pool's stake is the next round's total active stake", &sum,
      lp_uint256_equal (&sum, &next) ? "=" : "!=", &next);
  return TRUE;
}

/* The Minter holds the LPT of the pool's stake and the ETH of every
 * sender's deposit and reserve (both also hold what is not enumerable
 * from views: unbonding locks, unclaimed fees, so only >= is checked). */
static gboolean
audit_minter (LpLedgerChain * self, GString * report, gboolean * holds,
    GError ** error)
{
  g_autoptr (GArray) senders = lp_chain_known_senders (self, error);
  const LpAddress *minter = lp_chain_contract (self, LP_CHAIN_MINTER);
  LpUint256 eth, lpt, funds, next;
  gboolean ok;

  if (senders == NULL)
    return FALSE;
  lp_uint256_set_zero (&funds);
  for (guint i = 0; i < senders->len; i++) {
    LpSenderInfo info;

    if (!lp_chain_get_sender_info (LP_LEDGER (self),
            &g_array_index (senders, LpAddress, i), &info, error))
      return FALSE;
    lp_uint256_add (&funds, &info.deposit, &funds, NULL);
    lp_uint256_add (&funds, &info.reserve, &funds, NULL);
  }
  if (!lp_chain_eth_balance (self, minter, &eth, error)
      || !lp_chain_view_u256 (self, LP_CHAIN_TOKEN, "balanceOf(address)",
          &lpt, error, lp_chain_address_arg (minter), NULL)
      || !lp_chain_view_u256 (self, LP_CHAIN_BONDING_MANAGER,
          "nextRoundTotalActiveStake()", &next, error, NULL))
    return FALSE;
  ok = lp_uint256_cmp (&eth, &funds) >= 0;
  *holds &= audit_compare (report, ok, "the Minter's ETH covers every "
      "sender's deposit and reserve", &eth, ok ? ">=" : "<", &funds);
  ok = lp_uint256_cmp (&lpt, &next) >= 0;
  *holds &= audit_compare (report, ok, "the Minter's LPT covers the pool's "
      "stake", &lpt, ok ? ">=" : "<", &next);
  return TRUE;
}

/* No queued ticket is already used on chain. */
static gboolean
audit_queue (LpLedgerChain * self, GString * report, gboolean * holds,
    GError ** error)
{
  g_autoptr (GArray) queued = NULL;
  guint used = 0;

  if (!g_file_test (self->config.queue_path, G_FILE_TEST_EXISTS)) {
    g_string_append (report, "ok no ticket queue on this machine\n");
    return TRUE;
  }
  queued = lp_chain_list_queued_tickets (LP_LEDGER (self), NULL, error);
  if (queued == NULL)
    return FALSE;
  for (guint i = 0; i < queued->len; i++) {
    guint8 hash[LP_TICKET_HASH_SIZE];
    gboolean is_used;

    lp_ticket_hash (&g_array_index (queued, LpWinningTicket, i).ticket, hash);
    if (!lp_chain_view_bool (self, LP_CHAIN_TICKET_BROKER,
            "usedTickets(bytes32)", &is_used, error,
            lp_abi_value_new_bytes32 (hash), NULL))
      return FALSE;
    used += is_used;
  }
  *holds &= used == 0;
  g_string_append_printf (report, "%s none of the %u queued tickets is "
      "already redeemed (%u are)\n", used == 0 ? "ok" : "FAILED",
      queued->len, used);
  return TRUE;
}

/* What the views allow: the contracts' own books cannot be recomputed
 * from outside (no enumeration of delegators or locks), so the audit
 * checks the sums it can read; docs/design/chain.md lists them. */
static gboolean
chain_audit (LpLedger * ledger, GString * report, GError ** error)
{
  LpLedgerChain *self = LP_LEDGER_CHAIN (ledger);
  gboolean holds = TRUE;

  if (!chain_check_storage (ledger, report, error)
      || !audit_pool (self, report, &holds, error)
      || !audit_minter (self, report, &holds, error)
      || !audit_queue (self, report, &holds, error))
    return FALSE;
  return holds;
}

/* ---- what this deployment has no contract for ----------------------------- */

static gboolean
no_governor (GError ** error)
{
  g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_UNSUPPORTED,
      "Governance is not supported on a chain ledger: this backend does not "
      "speak to a LivepeerGovernor (the devnet's contracts, from before the "
      "treasury, have none and change parameters through the Controller's "
      "owner; on Arbitrum One use Livepeer's own governance tools)");
  return FALSE;
}

static gboolean
chain_submit_evidence (LpLedger * ledger, const LpAddress * finder,
    const LpAddress * orchestrator, const gchar * reason,
    LpUint256 * penalty, GError ** error)
{
  g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_UNSUPPORTED,
      "Evidence cannot be submitted on a chain: BondingManager's "
      "slashTranscoder answers only a Verifier contract, which this backend "
      "does not speak to and the devnet's deployment does not have "
      "(slashing is off)");
  return FALSE;
}

static gboolean
chain_propose (LpLedger * ledger, const LpAddress * proposer,
    const gchar * description, const LpProposalAction * actions,
    guint n_actions, guint64 * proposal_id, GError ** error)
{
  return no_governor (error);
}

static gboolean
chain_vote (LpLedger * ledger, const LpAddress * voter, guint64 proposal_id,
    LpVoteSupport support, GError ** error)
{
  return no_governor (error);
}

static gboolean
chain_get_proposal (LpLedger * ledger, guint64 proposal_id,
    LpProposalInfo * info, GError ** error)
{
  return no_governor (error);
}

static gboolean
chain_execute (LpLedger * ledger, guint64 proposal_id, GError ** error)
{
  return no_governor (error);
}

static void
lp_ledger_chain_iface_init (LpLedgerInterface * iface)
{
  iface->get_status = chain_get_status;
  iface->advance = chain_advance;
  iface->get_block_number = chain_get_block_number;
  iface->get_gas_price = chain_get_gas_price;
  iface->initialize_round = chain_initialize_round;
  iface->get_round_block_hash = chain_get_round_block_hash;
  iface->get_account = lp_chain_get_account;
  iface->get_orchestrator = lp_chain_get_orchestrator;
  iface->list_orchestrators = lp_chain_list_orchestrators;
  iface->transfer = lp_chain_transfer;
  iface->fund = lp_chain_fund;
  iface->unlock = lp_chain_unlock;
  iface->cancel_unlock = lp_chain_cancel_unlock;
  iface->withdraw = lp_chain_withdraw;
  iface->get_sender_info = lp_chain_get_sender_info;
  iface->redeem_winning_ticket = lp_chain_redeem_winning_ticket;
  iface->redeem_winning_tickets = lp_chain_redeem_winning_tickets;
  iface->list_redeemed_tickets = lp_chain_list_redeemed_tickets;
  iface->register_orchestrator = lp_chain_register_orchestrator;
  iface->bond = lp_chain_bond;
  iface->unbond = lp_chain_unbond;
  iface->rebond = lp_chain_rebond;
  iface->withdraw_stake = lp_chain_withdraw_stake;
  iface->withdraw_fees = lp_chain_withdraw_fees;
  iface->claim_earnings = lp_chain_claim_earnings;
  iface->reward = lp_chain_reward;
  iface->submit_evidence = chain_submit_evidence;
  iface->propose = chain_propose;
  iface->vote = chain_vote;
  iface->get_proposal = chain_get_proposal;
  iface->execute = chain_execute;
  iface->audit = chain_audit;
  iface->queue_winning_ticket = lp_chain_queue_winning_ticket;
  iface->list_queued_tickets = lp_chain_list_queued_tickets;
  iface->drop_queued_ticket = lp_chain_drop_queued_ticket;
  iface->check_storage = chain_check_storage;
  iface->add_signer = chain_add_signer;
}

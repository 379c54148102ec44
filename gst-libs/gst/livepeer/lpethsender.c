/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:lpethsender
 * @title: LpEthSender
 * @short_description: transactions from one local key, seen through
 *
 * lp_eth_sender_transact() does what a careful operator would do by hand:
 *
 * 1. estimate the gas (eth_estimateGas from the key's address) and add the
 *    headroom; a revert fails here, with its reason, before anything is
 *    signed;
 * 2. price it: on a chain with EIP-1559 (the latest block has a base fee)
 *    a type 2 transaction with the node's suggested tip and a fee cap of
 *    twice the base fee plus the tip, under the operator's caps; elsewhere
 *    a legacy one at eth_gasPrice;
 * 3. under the sender's lock, take the next nonce from its counter (first
 *    read from the pending transaction count, so the node's pool counts),
 *    sign locally (lp_eth_tx_sign(), chain id from eth_chainId) and send it
 *    with eth_sendRawTransaction. The counter moves only when the node took
 *    the transaction, so threads never share a nonce nor leave a gap. The
 *    node's refusals are handled there: "nonce too low" resynchronises the
 *    counter with the chain and signs again; "underpriced" takes the next
 *    free nonce when another transaction holds this one, else raises the
 *    fees; "insufficient funds" fails with the account, its balance and
 *    what the transaction needs;
 * 4. poll for the receipt. A transaction not mined after the "stuck after"
 *    time is replaced (same nonce, every fee field at least
 *    %LP_ETH_SENDER_FEE_BUMP_PERCENT higher, at most the max replacements);
 *    one the node no longer knows while its nonce is still free is sent
 *    again; one whose nonce another transaction took fails with
 *    %LP_ETH_ERROR_DROPPED. Any version that gets mined ends the wait. A
 *    node out of reach meanwhile (stopped, restarting, too slow) does not:
 *    the transaction is sent, so the wait goes on;
 * 5. a receipt with status 0 is replayed with eth_call on its block to get
 *    the revert reason (%LP_ETH_ERROR_REVERTED); no receipt within the
 *    receipt timeout fails with %LP_ETH_ERROR_TIMEOUT naming the hashes.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpethsender.h"
#include "lpethrpc-private.h"
#include "lpethtx.h"

/* Tries at sending one new transaction before giving up on the node's
 * refusals (nonce too low, underpriced) */
#define SEND_ATTEMPTS 8

typedef struct
{
  guint gas_headroom;
  gboolean has_fee_cap;
  LpUint256 fee_cap;
  gboolean has_tip_cap;
  LpUint256 tip_cap;
  LpEthFeeMode mode;
  guint receipt_timeout_ms;
  guint stuck_ms;
  guint max_replacements;
  guint poll_ms;
} Settings;

struct _LpEthSender
{
  gint refcount;
  LpEthRpc *rpc;
  LpPrivateKey *key;

  GMutex lock;                  /* settings, chain_id */
  Settings settings;
  gboolean have_chain_id;
  guint64 chain_id;

  /* Nonce assignment and the first send of a transaction happen under
   * this lock, one transaction at a time. */
  GMutex send_lock;
  gboolean nonce_known;
  guint64 next_nonce;
};

G_DEFINE_BOXED_TYPE (LpEthSender, lp_eth_sender, lp_eth_sender_ref,
    lp_eth_sender_unref);

/**
 * lp_eth_sender_new:
 * @rpc: the node to send through
 * @key: the key that signs, and whose account pays
 *
 * Returns: (transfer full): a sender with the default settings
 */
LpEthSender *
lp_eth_sender_new (LpEthRpc * rpc, LpPrivateKey * key)
{
  LpEthSender *sender;

  g_return_val_if_fail (rpc != NULL && key != NULL, NULL);

  sender = g_new0 (LpEthSender, 1);
  sender->refcount = 1;
  sender->rpc = lp_eth_rpc_ref (rpc);
  sender->key = lp_private_key_ref (key);
  g_mutex_init (&sender->lock);
  g_mutex_init (&sender->send_lock);
  sender->settings.gas_headroom = LP_ETH_SENDER_DEFAULT_GAS_HEADROOM_PERCENT;
  sender->settings.mode = LP_ETH_FEE_MODE_AUTO;
  sender->settings.receipt_timeout_ms = LP_ETH_SENDER_DEFAULT_RECEIPT_TIMEOUT_MS;
  sender->settings.stuck_ms = LP_ETH_SENDER_DEFAULT_STUCK_AFTER_MS;
  sender->settings.max_replacements = LP_ETH_SENDER_DEFAULT_MAX_REPLACEMENTS;
  sender->settings.poll_ms = LP_ETH_SENDER_DEFAULT_POLL_INTERVAL_MS;
  return sender;
}

/**
 * lp_eth_sender_ref:
 * @sender: a sender
 *
 * Returns: (transfer full): @sender
 */
LpEthSender *
lp_eth_sender_ref (LpEthSender * sender)
{
  g_return_val_if_fail (sender != NULL, NULL);
  g_atomic_int_inc (&sender->refcount);
  return sender;
}

/**
 * lp_eth_sender_unref:
 * @sender: (transfer full) (nullable): a sender
 */
void
lp_eth_sender_unref (LpEthSender * sender)
{
  if (sender == NULL || !g_atomic_int_dec_and_test (&sender->refcount))
    return;
  lp_eth_rpc_unref (sender->rpc);
  lp_private_key_unref (sender->key);
  g_mutex_clear (&sender->lock);
  g_mutex_clear (&sender->send_lock);
  g_free (sender);
}

/**
 * lp_eth_sender_get_address:
 * @sender: a sender
 *
 * Returns: (transfer none): the address of the account it sends from
 */
const LpAddress *
lp_eth_sender_get_address (LpEthSender * sender)
{
  g_return_val_if_fail (sender != NULL, NULL);
  return lp_private_key_get_address (sender->key);
}

/**
 * lp_eth_sender_get_rpc:
 * @sender: a sender
 *
 * Returns: (transfer none): the node it sends through
 */
LpEthRpc *
lp_eth_sender_get_rpc (LpEthSender * sender)
{
  g_return_val_if_fail (sender != NULL, NULL);
  return sender->rpc;
}

/* ------------------------------------------------------------------------ */
/* settings */

#define SET_SETTING(sender, field, value) G_STMT_START { \
  g_return_if_fail (sender != NULL); \
  g_mutex_lock (&sender->lock); \
  sender->settings.field = (value); \
  g_mutex_unlock (&sender->lock); \
} G_STMT_END

/**
 * lp_eth_sender_set_gas_headroom:
 * @sender: a sender
 * @percent: how many percent are added to the node's gas estimate (default
 *     %LP_ETH_SENDER_DEFAULT_GAS_HEADROOM_PERCENT): state may change
 *     between the estimate and the block
 */
void
lp_eth_sender_set_gas_headroom (LpEthSender * sender, guint percent)
{
  SET_SETTING (sender, gas_headroom, MIN (percent, 1000));
}

/**
 * lp_eth_sender_set_max_fee_per_gas:
 * @sender: a sender
 * @cap: (nullable): the most wei per gas a transaction may offer (its max
 *     fee per gas, or its gas price on a legacy chain), replacements
 *     included; %NULL for no cap
 *
 * A transaction whose chain asks a base fee above @cap fails with
 * %LP_ETH_ERROR_FEE_CAP instead of being sent.
 */
void
lp_eth_sender_set_max_fee_per_gas (LpEthSender * sender,
    const LpUint256 * cap)
{
  g_return_if_fail (sender != NULL);
  g_mutex_lock (&sender->lock);
  sender->settings.has_fee_cap = cap != NULL;
  if (cap != NULL)
    sender->settings.fee_cap = *cap;
  g_mutex_unlock (&sender->lock);
}

/**
 * lp_eth_sender_set_max_priority_fee_per_gas:
 * @sender: a sender
 * @cap: (nullable): the most tip per gas offered (EIP-1559), replacements
 *     included; %NULL for no cap (the node's suggestion is taken)
 */
void
lp_eth_sender_set_max_priority_fee_per_gas (LpEthSender * sender,
    const LpUint256 * cap)
{
  g_return_if_fail (sender != NULL);
  g_mutex_lock (&sender->lock);
  sender->settings.has_tip_cap = cap != NULL;
  if (cap != NULL)
    sender->settings.tip_cap = *cap;
  g_mutex_unlock (&sender->lock);
}

/**
 * lp_eth_sender_set_fee_mode:
 * @sender: a sender
 * @mode: how transactions are priced (default %LP_ETH_FEE_MODE_AUTO)
 */
void
lp_eth_sender_set_fee_mode (LpEthSender * sender, LpEthFeeMode mode)
{
  SET_SETTING (sender, mode, mode);
}

/**
 * lp_eth_sender_set_receipt_timeout:
 * @sender: a sender
 * @timeout_ms: how long lp_eth_sender_transact() waits for a receipt
 *     after the first send (default %LP_ETH_SENDER_DEFAULT_RECEIPT_TIMEOUT_MS)
 */
void
lp_eth_sender_set_receipt_timeout (LpEthSender * sender, guint timeout_ms)
{
  SET_SETTING (sender, receipt_timeout_ms, timeout_ms);
}

/**
 * lp_eth_sender_set_stuck_after:
 * @sender: a sender
 * @stuck_ms: how long a transaction may wait in the pool before it is
 *     replaced with higher fees (default
 *     %LP_ETH_SENDER_DEFAULT_STUCK_AFTER_MS)
 */
void
lp_eth_sender_set_stuck_after (LpEthSender * sender, guint stuck_ms)
{
  SET_SETTING (sender, stuck_ms, stuck_ms);
}

/**
 * lp_eth_sender_set_max_replacements:
 * @sender: a sender
 * @replacements: how many times one transaction may be replaced (default
 *     %LP_ETH_SENDER_DEFAULT_MAX_REPLACEMENTS); 0 never replaces
 */
void
lp_eth_sender_set_max_replacements (LpEthSender * sender, guint replacements)
{
  SET_SETTING (sender, max_replacements, replacements);
}

/**
 * lp_eth_sender_set_poll_interval:
 * @sender: a sender
 * @interval_ms: how often the node is asked for a receipt, at most: the
 *     first reads come after 50 ms and back off to this (default
 *     %LP_ETH_SENDER_DEFAULT_POLL_INTERVAL_MS)
 */
void
lp_eth_sender_set_poll_interval (LpEthSender * sender, guint interval_ms)
{
  SET_SETTING (sender, poll_ms, MAX (interval_ms, 10));
}

static Settings
get_settings (LpEthSender * sender)
{
  Settings copy;

  g_mutex_lock (&sender->lock);
  copy = sender->settings;
  g_mutex_unlock (&sender->lock);
  return copy;
}

/* ------------------------------------------------------------------------ */
/* amounts */

static void
u256_mul_small (const LpUint256 * a, guint64 factor, LpUint256 * out)
{
  LpUint256 f;

  lp_uint256_from_uint64 (factor, &f);
  if (!lp_uint256_mul (a, &f, out, NULL))
    lp_uint256_set_max (out);
}

static void
u256_add_sat (const LpUint256 * a, const LpUint256 * b, LpUint256 * out)
{
  if (!lp_uint256_add (a, b, out, NULL))
    lp_uint256_set_max (out);
}

static const LpUint256 *
u256_max (const LpUint256 * a, const LpUint256 * b)
{
  return lp_uint256_cmp (a, b) >= 0 ? a : b;
}

static const LpUint256 *
u256_min (const LpUint256 * a, const LpUint256 * b)
{
  return lp_uint256_cmp (a, b) <= 0 ? a : b;
}

/* a + ceil(a × percent / 100), and at least a + 1 */
static void
bump (const LpUint256 * a, LpUint256 * out)
{
  LpUint256 hundred, extra, one;

  lp_uint256_from_uint64 (100, &hundred);
  lp_uint256_from_uint64 (1, &one);
  u256_mul_small (a, LP_ETH_SENDER_FEE_BUMP_PERCENT, &extra);
  lp_uint256_ceil_div (&extra, &hundred, &extra, NULL);
  u256_add_sat (a, u256_max (&extra, &one), out);
}

/* ------------------------------------------------------------------------ */
/* fees */

typedef struct
{
  gboolean legacy;
  LpUint256 gas_price;          /* legacy */
  LpUint256 max_fee;            /* type 2 */
  LpUint256 tip;                /* type 2 */
} Fees;

/* The tip the node suggests, or where it knows no eth_maxPriorityFeePerGas,
 * what its gas price offers above the base fee. */
static gboolean
suggested_tip (LpEthSender * sender, const LpUint256 * base_fee,
    LpUint256 * tip, GError ** error)
{
  GError *local = NULL;
  LpUint256 price;

  if (lp_eth_rpc_max_priority_fee_per_gas (sender->rpc, tip, &local))
    return TRUE;
  if (!g_error_matches (local, LP_ETH_ERROR, LP_ETH_ERROR_RPC)) {
    g_propagate_error (error, local);
    return FALSE;
  }
  g_clear_error (&local);
  if (!lp_eth_rpc_gas_price (sender->rpc, &price, error))
    return FALSE;
  if (!lp_uint256_sub (&price, base_fee, tip, NULL))
    lp_uint256_set_zero (tip);
  return TRUE;
}

static gboolean
fee_cap_error (const LpUint256 * cap, const LpUint256 * base_fee,
    GError ** error)
{
  g_autofree gchar *cap_text = lp_uint256_to_string (cap);
  g_autofree gchar *base_text = lp_uint256_to_string (base_fee);

  g_set_error (error, LP_ETH_ERROR, LP_ETH_ERROR_FEE_CAP,
      "the fee cap of %s wei per gas is below the chain's base fee of %s "
      "wei per gas, so no block would take the transaction: raise the cap "
      "or wait for lower fees", cap_text, base_text);
  return FALSE;
}

static gboolean
current_fees (LpEthSender * sender, const Settings * s, Fees * fees,
    GError ** error)
{
  gboolean has_base_fee;
  LpUint256 base_fee, doubled;

  memset (fees, 0, sizeof (*fees));
  if (!lp_eth_rpc_base_fee (sender->rpc, &has_base_fee, &base_fee, error))
    return FALSE;
  fees->legacy = s->mode == LP_ETH_FEE_MODE_LEGACY ||
      (s->mode == LP_ETH_FEE_MODE_AUTO && !has_base_fee);

  if (fees->legacy) {
    if (!lp_eth_rpc_gas_price (sender->rpc, &fees->gas_price, error))
      return FALSE;
    if (s->has_fee_cap && has_base_fee
        && lp_uint256_cmp (&s->fee_cap, &base_fee) < 0)
      return fee_cap_error (&s->fee_cap, &base_fee, error);
    if (s->has_fee_cap)
      fees->gas_price = *u256_min (&fees->gas_price, &s->fee_cap);
    return TRUE;
  }

  if (!suggested_tip (sender, &base_fee, &fees->tip, error))
    return FALSE;
  if (s->has_tip_cap)
    fees->tip = *u256_min (&fees->tip, &s->tip_cap);
  /* twice the base fee: room for six full blocks of +12.5 % each */
  u256_mul_small (&base_fee, 2, &doubled);
  u256_add_sat (&doubled, &fees->tip, &fees->max_fee);
  if (s->has_fee_cap) {
    if (lp_uint256_cmp (&s->fee_cap, &base_fee) < 0)
      return fee_cap_error (&s->fee_cap, &base_fee, error);
    fees->max_fee = *u256_min (&fees->max_fee, &s->fee_cap);
  }
  fees->tip = *u256_min (&fees->tip, &fees->max_fee);
  return TRUE;
}

/* Fees for a replacement: every field at least bumped, and no less than
 * what the chain asks now. FALSE when the caps leave no room for that. */
static gboolean
bumped_fees (const Settings * s, const Fees * old, const Fees * now,
    Fees * out)
{
  LpUint256 bumped;

  *out = *old;
  if (old->legacy) {
    bump (&old->gas_price, &bumped);
    if (s->has_fee_cap && lp_uint256_cmp (&bumped, &s->fee_cap) > 0)
      return FALSE;
    out->gas_price = *u256_max (&bumped, &now->gas_price);
    if (s->has_fee_cap)
      out->gas_price = *u256_min (&out->gas_price, &s->fee_cap);
    return TRUE;
  }
  bump (&old->tip, &bumped);
  out->tip = now->legacy ? bumped : *u256_max (&bumped, &now->tip);
  if (s->has_tip_cap && lp_uint256_cmp (&bumped, &s->tip_cap) > 0)
    return FALSE;
  if (s->has_tip_cap)
    out->tip = *u256_min (&out->tip, &s->tip_cap);
  bump (&old->max_fee, &bumped);
  out->max_fee = now->legacy ? bumped : *u256_max (&bumped, &now->max_fee);
  if (s->has_fee_cap && lp_uint256_cmp (&bumped, &s->fee_cap) > 0)
    return FALSE;
  if (s->has_fee_cap)
    out->max_fee = *u256_min (&out->max_fee, &s->fee_cap);
  out->max_fee = *u256_max (&out->max_fee, &out->tip);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* one transaction in flight */

typedef struct
{
  LpEthTx tx;
  Fees fees;
  GBytes *raw;                  /* the version sent last */
  guint8 hash[LP_KECCAK256_SIZE];
  GArray *hashes;               /* every version sent, oldest first */
} Flight;

static void
flight_clear (Flight * f)
{
  lp_eth_tx_clear (&f->tx);
  g_clear_pointer (&f->raw, g_bytes_unref);
  g_clear_pointer (&f->hashes, g_array_unref);
}

static void
apply_fees (Flight * f, const Fees * fees)
{
  f->fees = *fees;
  f->tx.type = fees->legacy ? LP_ETH_TX_LEGACY : LP_ETH_TX_EIP1559;
  f->tx.gas_price = fees->gas_price;
  f->tx.max_fee_per_gas = fees->max_fee;
  f->tx.max_priority_fee_per_gas = fees->tip;
}

static gboolean
flight_sign (LpEthSender * sender, Flight * f, GError ** error)
{
  g_clear_pointer (&f->raw, g_bytes_unref);
  f->raw = lp_eth_tx_sign (&f->tx, sender->key, f->hash, error);
  return f->raw != NULL;
}

static gchar *
hash_text (const guint8 hash[LP_KECCAK256_SIZE])
{
  return lp_hex_encode (hash, LP_KECCAK256_SIZE, TRUE);
}

/* Sends the signed version; the node already having it is success. */
static gboolean
flight_send (LpEthSender * sender, Flight * f, GError ** error)
{
  GError *local = NULL;

  if (!lp_eth_rpc_send_raw_transaction (sender->rpc, f->raw, NULL, &local)
      && !g_error_matches (local, LP_ETH_ERROR, LP_ETH_ERROR_ALREADY_KNOWN)) {
    g_propagate_error (error, local);
    return FALSE;
  }
  g_clear_error (&local);
  g_array_append_val (f->hashes, f->hash);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* errors a person can act on */

static void
insufficient_funds_error (LpEthSender * sender, const LpEthTx * tx,
    gboolean gas_known, GError * cause, GError ** error)
{
  g_autofree gchar *account = lp_address_to_string (lp_eth_sender_get_address
      (sender));
  g_autofree gchar *value = lp_uint256_to_string (&tx->value);
  g_autofree gchar *balance_text = NULL;
  g_autofree gchar *needs = NULL;
  LpUint256 balance;

  if (lp_eth_rpc_get_balance (sender->rpc, lp_eth_sender_get_address (sender),
          LP_ETH_BLOCK_PENDING, &balance, NULL))
    balance_text = lp_uint256_to_string (&balance);
  else
    balance_text = g_strdup ("an unknown number of");

  if (gas_known) {
    LpUint256 price = tx->type == LP_ETH_TX_LEGACY ? tx->gas_price :
        tx->max_fee_per_gas, gas_cost, total;
    g_autofree gchar *price_text = lp_uint256_to_string (&price);
    g_autofree gchar *total_text = NULL;

    u256_mul_small (&price, tx->gas_limit, &gas_cost);
    u256_add_sat (&gas_cost, &tx->value, &total);
    total_text = lp_uint256_to_string (&total);
    needs = g_strdup_printf ("up to %s wei (value %s + gas %" G_GUINT64_FORMAT
        " × %s wei per gas)", total_text, value, tx->gas_limit, price_text);
  } else {
    needs = g_strdup_printf ("%s wei of value plus its gas", value);
  }
  g_set_error (error, LP_ETH_ERROR, LP_ETH_ERROR_INSUFFICIENT_FUNDS,
      "insufficient funds: account %s has %s wei but the transaction needs "
      "%s; fund the account (the node said: %s)", account, balance_text,
      needs, cause->message);
}

/* Replays a mined transaction that failed, as a call on its block, for the
 * reason (the node keeps none for mined transactions). */
static void
reverted_error (LpEthSender * sender, const LpEthTx * tx,
    const LpEthReceipt * receipt, GError ** error)
{
  g_autofree gchar *hash = hash_text (receipt->transaction_hash);
  GError *replay = NULL;
  LpEthCall call = { lp_eth_sender_get_address (sender),
    tx->has_to ? &tx->to : NULL, &tx->value, tx->data, tx->gas_limit
  };
  GBytes *returned;

  returned = lp_eth_rpc_call (sender->rpc, &call,
      (gint64) receipt->block_number, &replay);
  if (returned != NULL) {
    g_bytes_unref (returned);
    g_set_error (error, LP_ETH_ERROR, LP_ETH_ERROR_REVERTED,
        "transaction %s reverted in block %" G_GUINT64_FORMAT " (status 0, "
        "gas used %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT "); replayed "
        "on that block it succeeds, so the reason is unknown (out of gas, or "
        "state changed within the block)", hash, receipt->block_number,
        receipt->gas_used, tx->gas_limit);
    return;
  }
  if (g_error_matches (replay, LP_ETH_ERROR, LP_ETH_ERROR_REVERTED)) {
    const gchar *reason = lp_eth_error_get_revert_reason (replay);

    /* keep the replay's revert data and reason, reword its message */
    g_free (replay->message);
    replay->message = g_strdup_printf ("transaction %s reverted in block %"
        G_GUINT64_FORMAT ": %s", hash, receipt->block_number,
        reason ? reason : "(no reason given)");
    g_propagate_error (error, replay);
    return;
  }
  g_set_error (error, LP_ETH_ERROR, LP_ETH_ERROR_REVERTED,
      "transaction %s reverted in block %" G_GUINT64_FORMAT " (its reason "
      "could not be read: %s)", hash, receipt->block_number, replay->message);
  g_error_free (replay);
}

/* ------------------------------------------------------------------------ */
/* nonces */

/* With send_lock held: the first nonce comes from the pending count, so
 * transactions already in the pool are respected. */
static gboolean
ensure_nonce (LpEthSender * sender, GError ** error)
{
  if (sender->nonce_known)
    return TRUE;
  if (!lp_eth_rpc_get_transaction_count (sender->rpc,
          lp_eth_sender_get_address (sender), LP_ETH_BLOCK_PENDING,
          &sender->next_nonce, error))
    return FALSE;
  sender->nonce_known = TRUE;
  return TRUE;
}

/* With send_lock held: @used is taken (by the chain or the pool); move the
 * counter past it and to the node's pending count. */
static gboolean
resync_nonce (LpEthSender * sender, guint64 used, GError ** error)
{
  guint64 pending;

  if (!lp_eth_rpc_get_transaction_count (sender->rpc,
          lp_eth_sender_get_address (sender), LP_ETH_BLOCK_PENDING, &pending,
          error))
    return FALSE;
  sender->next_nonce = MAX (MAX (pending, used + 1), sender->next_nonce);
  return TRUE;
}

/**
 * lp_eth_sender_resync_nonce:
 * @sender: a sender
 *
 * Forgets the nonce counter: the next transaction reads it again from the
 * node's pending transaction count. For when another program sent from the
 * same key (the sender recovers from that on its own as well, when the node
 * refuses a nonce as too low).
 */
void
lp_eth_sender_resync_nonce (LpEthSender * sender)
{
  g_return_if_fail (sender != NULL);
  g_mutex_lock (&sender->send_lock);
  sender->nonce_known = FALSE;
  g_mutex_unlock (&sender->send_lock);
}

/* ------------------------------------------------------------------------ */
/* sending */

static gboolean
chain_id (LpEthSender * sender, guint64 * id, GError ** error)
{
  gboolean known;

  g_mutex_lock (&sender->lock);
  known = sender->have_chain_id;
  *id = sender->chain_id;
  g_mutex_unlock (&sender->lock);
  if (known)
    return TRUE;
  if (!lp_eth_rpc_chain_id (sender->rpc, id, error))
    return FALSE;
  g_mutex_lock (&sender->lock);
  sender->chain_id = *id;
  sender->have_chain_id = TRUE;
  g_mutex_unlock (&sender->lock);
  return TRUE;
}

static gboolean
estimate_gas (LpEthSender * sender, const Settings * s,
    const LpEthTxRequest * request, LpEthTx * tx, GError ** error)
{
  LpEthCall call = { lp_eth_sender_get_address (sender), request->to,
    request->value, request->data, 0
  };
  GError *local = NULL;
  guint64 estimate;

  if (request->gas_limit != 0) {
    tx->gas_limit = request->gas_limit;
    return TRUE;
  }
  if (!lp_eth_rpc_estimate_gas (sender->rpc, &call, &estimate, &local)) {
    if (g_error_matches (local, LP_ETH_ERROR, LP_ETH_ERROR_INSUFFICIENT_FUNDS)) {
      insufficient_funds_error (sender, tx, FALSE, local, error);
      g_error_free (local);
    } else {
      g_propagate_prefixed_error (error, local,
          "the transaction was not sent: ");
    }
    return FALSE;
  }
  tx->gas_limit = estimate + estimate / 100 * s->gas_headroom +
      (estimate % 100) * s->gas_headroom / 100;
  return TRUE;
}

/* With send_lock held, after the pool refused @f as underpriced: when
 * another transaction of this account holds the nonce (another program
 * sent it), move on to the next free nonce rather than replace that one;
 * else raise the fees to what the pool asks. Takes @refusal. */
static gboolean
handle_underpriced (LpEthSender * sender, const Settings * s, Flight * f,
    GError * refusal, GError ** error)
{
  guint64 pending;
  Fees now, next;

  if (!lp_eth_rpc_get_transaction_count (sender->rpc,
          lp_eth_sender_get_address (sender), LP_ETH_BLOCK_PENDING, &pending,
          error) || !current_fees (sender, s, &now, error)) {
    g_error_free (refusal);
    return FALSE;
  }
  if (pending > f->tx.nonce) {
    g_info ("nonce %" G_GUINT64_FORMAT " is held by another transaction in "
        "the pool (%s), taking nonce %" G_GUINT64_FORMAT, f->tx.nonce,
        refusal->message, MAX (sender->next_nonce, pending));
    sender->next_nonce = MAX (sender->next_nonce, pending);
    g_error_free (refusal);
    return TRUE;
  }
  if (!bumped_fees (s, &f->fees, &now, &next)) {
    g_propagate_prefixed_error (error, refusal, "the fee caps leave no room "
        "for the fees the node asks: ");
    return FALSE;
  }
  g_info ("the pool refused the fees (%s), raising them", refusal->message);
  g_error_free (refusal);
  apply_fees (f, &next);
  return TRUE;
}

/* The first send, under send_lock: take the next nonce, sign, send, and
 * deal with the node's refusals. The counter moves only when the node took
 * the transaction (or may have: a timeout), so no nonce is left unused. */
static gboolean
send_new (LpEthSender * sender, const Settings * s, Flight * f,
    GError ** error)
{
  guint attempt;
  gboolean ok = FALSE;

  g_mutex_lock (&sender->send_lock);
  if (!ensure_nonce (sender, error))
    goto out;
  for (attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
    GError *local = NULL;

    f->tx.nonce = sender->next_nonce;
    if (!flight_sign (sender, f, error))
      goto out;
    if (flight_send (sender, f, &local)) {
      sender->next_nonce++;
      ok = TRUE;
      goto out;
    }
    if (g_error_matches (local, LP_ETH_ERROR, LP_ETH_ERROR_TIMEOUT)) {
      /* The node may have it: count the nonce as used; the wait for the
       * receipt sends it again if the node does not know it. */
      g_array_append_val (f->hashes, f->hash);
      sender->next_nonce++;
      g_clear_error (&local);
      ok = TRUE;
      goto out;
    }
    if (g_error_matches (local, LP_ETH_ERROR, LP_ETH_ERROR_NONCE_TOO_LOW)) {
      g_info ("nonce %" G_GUINT64_FORMAT " is used already, resynchronising",
          f->tx.nonce);
      g_clear_error (&local);
      if (!resync_nonce (sender, f->tx.nonce, error))
        goto out;
      continue;
    }
    if (g_error_matches (local, LP_ETH_ERROR, LP_ETH_ERROR_UNDERPRICED)) {
      if (!handle_underpriced (sender, s, f, local, error))
        goto out;
      continue;
    }
    if (g_error_matches (local, LP_ETH_ERROR, LP_ETH_ERROR_INSUFFICIENT_FUNDS))
      insufficient_funds_error (sender, &f->tx, TRUE, local, error);
    else
      g_propagate_prefixed_error (error, g_error_copy (local),
          "the transaction was not sent: ");
    g_error_free (local);
    goto out;
  }
  g_set_error (error, LP_ETH_ERROR, LP_ETH_ERROR_RPC,
      "the node refused the transaction %u times (nonce too low or "
      "underpriced each time)", SEND_ATTEMPTS);
out:
  g_mutex_unlock (&sender->send_lock);
  return ok;
}

/* ------------------------------------------------------------------------ */
/* waiting for the receipt */

/* Sleeps @ms, or less when the thread's current cancellable fires */
static gboolean
nap (guint ms)
{
  GCancellable *cancellable = g_cancellable_get_current ();
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end) {
    if (g_cancellable_is_cancelled (cancellable))
      return FALSE;
    g_usleep (MIN (20000, end - g_get_monotonic_time ()));
  }
  return !g_cancellable_is_cancelled (cancellable);
}

/* Any sent version's receipt, newest first */
static gboolean
find_receipt (LpEthSender * sender, Flight * f, LpEthReceipt ** receipt,
    GError ** error)
{
  guint i;

  *receipt = NULL;
  for (i = f->hashes->len; i > 0 && *receipt == NULL; i--)
    if (!lp_eth_rpc_get_transaction_receipt (sender->rpc,
            &g_array_index (f->hashes, guint8, (i - 1) * LP_KECCAK256_SIZE),
            receipt, error))
      return FALSE;
  return TRUE;
}

/* Whether the node may hold a version whose send failed: it did not
 * answer (in time), so it may have taken it */
static gboolean
maybe_sent (const GError * error)
{
  return g_error_matches (error, LP_ETH_ERROR, LP_ETH_ERROR_TIMEOUT)
      || g_error_matches (error, LP_ETH_ERROR, LP_ETH_ERROR_TRANSPORT)
      || g_error_matches (error, LP_ETH_ERROR, LP_ETH_ERROR_BAD_ANSWER);
}

/* After a failed replacement: a version the node may have is kept as the
 * last one, its hash among those whose receipt is looked for; a refused
 * one is forgotten, the version in the pool (@old_raw, @old_hash) is the
 * last again. The fees stay raised: the next replacement offers more. */
static void
replacement_failed (Flight * f, GBytes * old_raw,
    const guint8 old_hash[LP_KECCAK256_SIZE], const GError * cause)
{
  if (maybe_sent (cause)) {
    g_array_append_val (f->hashes, f->hash);
    return;
  }
  g_clear_pointer (&f->raw, g_bytes_unref);
  f->raw = g_bytes_ref (old_raw);
  memcpy (f->hash, old_hash, LP_KECCAK256_SIZE);
}

static void
replace (LpEthSender * sender, const Settings * s, Flight * f,
    guint * replacements)
{
  g_autofree gchar *old = hash_text (f->hash);
  g_autoptr (GBytes) old_raw = g_bytes_ref (f->raw);
  guint8 old_hash[LP_KECCAK256_SIZE];
  GError *local = NULL;
  Fees now, next;

  if (!current_fees (sender, s, &now, &local)) {
    /* the node did not answer: try again at the next stuck time */
    g_info ("transaction %s is stuck, and the fees to replace it cannot be "
        "read now: %s", old, local->message);
    g_clear_error (&local);
    return;
  }
  if (!bumped_fees (s, &f->fees, &now, &next)) {
    g_info ("transaction %s is stuck but cannot be replaced: the fee caps "
        "leave no room for higher fees", old);
    *replacements = G_MAXUINT;  /* no use trying again */
    return;
  }
  memcpy (old_hash, f->hash, LP_KECCAK256_SIZE);
  apply_fees (f, &next);
  (*replacements)++;
  if (!flight_sign (sender, f, &local) || !flight_send (sender, f, &local)) {
    /* nonce too low: a version got mined, the next poll finds it;
     * underpriced: the next replacement offers more */
    g_info ("replacing stuck transaction %s failed: %s", old, local->message);
    replacement_failed (f, old_raw, old_hash, local);
    g_clear_error (&local);
    return;
  }
  {
    g_autofree gchar *new_hash = hash_text (f->hash);
    g_info ("transaction %s was stuck, replaced by %s with higher fees", old,
        new_hash);
  }
}

/* The last version is unknown to the node: send it again while its nonce
 * is free; fail when another transaction took the nonce. */
static gboolean
check_dropped (LpEthSender * sender, Flight * f, LpEthReceipt ** receipt,
    GError ** error)
{
  g_autoptr (LpEthTransaction) known = NULL;
  GError *local = NULL;
  guint64 mined_count;

  if (!lp_eth_rpc_get_transaction (sender->rpc, f->hash, &known, error))
    return FALSE;
  if (known != NULL)
    return TRUE;
  if (!lp_eth_rpc_get_transaction_count (sender->rpc,
          lp_eth_sender_get_address (sender), LP_ETH_BLOCK_LATEST,
          &mined_count, error))
    return FALSE;
  if (mined_count <= f->tx.nonce) {
    g_autofree gchar *hash = hash_text (f->hash);

    g_info ("transaction %s left the node's pool, sending it again", hash);
    if (!lp_eth_rpc_send_raw_transaction (sender->rpc, f->raw, NULL, &local))
      g_info ("sending %s again failed: %s", hash, local->message);
    g_clear_error (&local);
    return TRUE;
  }
  /* the nonce is used: by one of ours mined since the last look, or not */
  if (!find_receipt (sender, f, receipt, error))
    return FALSE;
  if (*receipt == NULL) {
    g_autofree gchar *hash = hash_text (f->hash);

    g_set_error (error, LP_ETH_ERROR, LP_ETH_ERROR_DROPPED,
        "transaction %s was dropped: another transaction of this account "
        "took its nonce %" G_GUINT64_FORMAT, hash, f->tx.nonce);
    return FALSE;
  }
  return TRUE;
}

static gchar *
hashes_text (Flight * f)
{
  GString *text = g_string_new (NULL);
  guint i;

  for (i = 0; i < f->hashes->len; i++) {
    g_autofree gchar *one = hash_text (&g_array_index (f->hashes, guint8,
            i * LP_KECCAK256_SIZE));
    g_string_append_printf (text, "%s%s", i ? ", " : "", one);
  }
  return g_string_free (text, FALSE);
}

/* A node out of reach for a while (stopped, restarting, overloaded): the
 * transaction is sent already, so the wait goes on until the receipt
 * timeout; giving up would leave the caller to send it a second time. */
static gboolean
node_unreachable (const GError * error)
{
  return g_error_matches (error, LP_ETH_ERROR, LP_ETH_ERROR_TRANSPORT)
      || g_error_matches (error, LP_ETH_ERROR, LP_ETH_ERROR_TIMEOUT);
}

/* Keeps @local in @unreachable when the node is out of reach (TRUE: wait
 * on), else hands it to @error (FALSE: the wait ends) */
static gboolean
keep_waiting (GError * local, GError ** unreachable, GError ** error)
{
  if (!node_unreachable (local)) {
    g_propagate_error (error, local);
    return FALSE;
  }
  if (*unreachable == NULL)
    g_info ("the node is out of reach, waiting on: %s", local->message);
  g_clear_error (unreachable);
  *unreachable = local;
  return TRUE;
}

static void
not_mined_error (const Settings * s, Flight * f, const GError * unreachable,
    GError ** error)
{
  g_autofree gchar *hashes = hashes_text (f);

  g_set_error (error, LP_ETH_ERROR, LP_ETH_ERROR_TIMEOUT,
      "transaction %s (nonce %" G_GUINT64_FORMAT ") was not mined within "
      "%.1f s%s%s; it may still be: look it up before sending again", hashes,
      f->tx.nonce, s->receipt_timeout_ms / 1000.0,
      unreachable ? ", and the node was out of reach at the last look: " : "",
      unreachable ? unreachable->message : "");
}

static LpEthReceipt *
wait_receipt (LpEthSender * sender, const Settings * s, Flight * f,
    GError ** error)
{
  gint64 start = g_get_monotonic_time ();
  gint64 last_send = start;
  guint replacements = 0;
  /* A development node mines at once and a rollup within a second: the
   * first reads come soon and back off to the poll interval, so that a
   * receipt just missed does not cost a whole interval. */
  guint wait_ms = MIN (50, s->poll_ms);
  LpEthReceipt *receipt = NULL;
  g_autoptr (GError) unreachable = NULL;

  for (;;) {
    GError *local = NULL;
    gint64 now;

    if (!find_receipt (sender, f, &receipt, &local)) {
      if (!keep_waiting (local, &unreachable, error))
        return NULL;
    } else if (receipt != NULL) {
      return receipt;
    } else {
      g_clear_error (&unreachable);
    }
    now = g_get_monotonic_time ();
    if (now - start >= (gint64) s->receipt_timeout_ms * 1000) {
      not_mined_error (s, f, unreachable, error);
      return NULL;
    }
    if (unreachable != NULL) {
      /* nothing to replace or send again through a node out of reach */
    } else if (now - last_send >= (gint64) s->stuck_ms * 1000
        && replacements < s->max_replacements) {
      replace (sender, s, f, &replacements);
      last_send = now;
    } else if (!check_dropped (sender, f, &receipt, &local)) {
      if (!keep_waiting (local, &unreachable, error))
        return NULL;
    } else if (receipt != NULL) {
      return receipt;
    }
    if (!nap (wait_ms)) {
      g_autofree gchar *hash = hash_text (f->hash);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
          "cancelled while waiting for transaction %s's receipt", hash);
      return NULL;
    }
    wait_ms = MIN (wait_ms * 2, s->poll_ms);
  }
}

/* ------------------------------------------------------------------------ */

static gboolean
transact (LpEthSender * sender, const LpEthTxRequest * request,
    LpEthReceipt ** receipt_out, GError ** error)
{
  Settings s = get_settings (sender);
  Flight f = { {0}, };
  LpEthReceipt *receipt = NULL;
  gboolean ok = FALSE;

  lp_eth_tx_init (&f.tx);
  f.hashes = g_array_new (FALSE, FALSE, LP_KECCAK256_SIZE);
  f.tx.has_to = request->to != NULL;
  if (request->to != NULL)
    f.tx.to = *request->to;
  if (request->value != NULL)
    f.tx.value = *request->value;
  f.tx.data = request->data ? g_bytes_ref (request->data) : NULL;

  if (!estimate_gas (sender, &s, request, &f.tx, error)
      || !chain_id (sender, &f.tx.chain_id, error)
      || !current_fees (sender, &s, &f.fees, error))
    goto out;
  apply_fees (&f, &f.fees);
  if (!send_new (sender, &s, &f, error))
    goto out;
  receipt = wait_receipt (sender, &s, &f, error);
  if (receipt == NULL)
    goto out;
  if (!receipt->status)
    reverted_error (sender, &f.tx, receipt, error);
  else
    ok = TRUE;
  if (receipt_out != NULL)
    *receipt_out = g_steal_pointer (&receipt);
out:
  lp_eth_receipt_free (receipt);
  flight_clear (&f);
  return ok;
}

/**
 * lp_eth_sender_transact_full:
 * @sender: a sender
 * @request: the transaction
 * @cancellable: (nullable): cancels the wait (and the request under way)
 * @receipt: (out) (transfer full) (optional): its receipt
 * @error: return location for a #GError, or %NULL
 *
 * Sends a transaction and waits until it is mined; see the section's
 * description for the steps. Any number of threads may call this at once.
 *
 * Returns: %TRUE when it was mined and succeeded. %FALSE with an error
 *     otherwise: %LP_ETH_ERROR_REVERTED (at the estimate, nothing sent;
 *     or mined with status 0, and then @receipt is set all the same),
 *     %LP_ETH_ERROR_INSUFFICIENT_FUNDS, %LP_ETH_ERROR_FEE_CAP,
 *     %LP_ETH_ERROR_DROPPED, %LP_ETH_ERROR_TIMEOUT (no receipt in time; the
 *     transaction may still be mined), %G_IO_ERROR_CANCELLED, or the
 *     node's errors
 */
gboolean
lp_eth_sender_transact_full (LpEthSender * sender,
    const LpEthTxRequest * request, GCancellable * cancellable,
    LpEthReceipt ** receipt, GError ** error)
{
  gboolean ok;

  g_return_val_if_fail (sender != NULL && request != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (receipt != NULL)
    *receipt = NULL;
  if (cancellable != NULL)
    g_cancellable_push_current (cancellable);
  ok = transact (sender, request, receipt, error);
  if (cancellable != NULL)
    g_cancellable_pop_current (cancellable);
  return ok;
}

/**
 * lp_eth_sender_transact:
 * @sender: a sender
 * @to: (nullable): the recipient; %NULL creates a contract with @data as
 *     its init code
 * @value: (nullable): wei sent; %NULL is 0
 * @data: (nullable): call data
 * @receipt: (out) (transfer full) (optional): its receipt
 * @error: return location for a #GError, or %NULL
 *
 * lp_eth_sender_transact_full() with an estimated gas limit and no
 * cancellable.
 *
 * Returns: %TRUE when it was mined and succeeded
 */
gboolean
lp_eth_sender_transact (LpEthSender * sender, const LpAddress * to,
    const LpUint256 * value, GBytes * data, LpEthReceipt ** receipt,
    GError ** error)
{
  LpEthTxRequest request = { to, value, data, 0 };

  return lp_eth_sender_transact_full (sender, &request, NULL, receipt, error);
}

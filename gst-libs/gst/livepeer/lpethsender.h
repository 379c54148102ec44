/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Transactions sent from one local key through an #LpEthRpc, handled so a
 * node operator can trust them: gas estimated first (a revert fails before
 * anything is sent), nonces from one counter shared by every thread, fees
 * from the chain under the operator's caps, signed locally and sent raw,
 * the node's refusals recovered from (nonce too low, underpriced), a stuck
 * transaction replaced with higher fees, a dropped one sent again, and a
 * revert reported with its reason.
 */
#pragma once

#include <gio/gio.h>
#include <gst/livepeer/livepeer-prelude.h>
#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpuint256.h>
#include <gst/livepeer/lpethrpc.h>

G_BEGIN_DECLS

/* Defaults of the sender's settings */
#define LP_ETH_SENDER_DEFAULT_GAS_HEADROOM_PERCENT 20
#define LP_ETH_SENDER_DEFAULT_RECEIPT_TIMEOUT_MS (10 * 60 * 1000)
#define LP_ETH_SENDER_DEFAULT_STUCK_AFTER_MS (2 * 60 * 1000)
#define LP_ETH_SENDER_DEFAULT_MAX_REPLACEMENTS 5
#define LP_ETH_SENDER_DEFAULT_POLL_INTERVAL_MS 1000
/* A replacement pays at least this many percent more on every fee field:
 * nodes ask for 10 % (geth's and anvil's price bump), plus a margin. */
#define LP_ETH_SENDER_FEE_BUMP_PERCENT 13

/**
 * LpEthFeeMode:
 * @LP_ETH_FEE_MODE_AUTO: EIP-1559 (type 2) where the latest block has a
 *     base fee, legacy (EIP-155) elsewhere
 * @LP_ETH_FEE_MODE_EIP1559: always type 2
 * @LP_ETH_FEE_MODE_LEGACY: always legacy, priced with eth_gasPrice
 *
 * How an #LpEthSender prices its transactions.
 */
typedef enum
{
  LP_ETH_FEE_MODE_AUTO,
  LP_ETH_FEE_MODE_EIP1559,
  LP_ETH_FEE_MODE_LEGACY,
} LpEthFeeMode;

/**
 * LpEthTxRequest:
 * @to: (nullable): the recipient; %NULL creates a contract (@data is its
 *     init code)
 * @value: (nullable): wei sent; %NULL is 0
 * @data: (nullable): call data; %NULL is empty
 * @gas_limit: the gas limit; 0 estimates it and adds the sender's headroom
 *
 * A transaction to send with lp_eth_sender_transact_full(). A plain struct
 * of borrowed pointers, usually on the stack.
 */
typedef struct
{
  const LpAddress *to;
  const LpUint256 *value;
  GBytes *data;
  guint64 gas_limit;
} LpEthTxRequest;

/**
 * LpEthSender:
 *
 * Sends transactions from one key. Reference counted; any number of
 * threads may transact at once (they never share a nonce). Settings apply
 * to the transactions that start after they change. Opaque.
 */
typedef struct _LpEthSender LpEthSender;

#define LP_TYPE_ETH_SENDER (lp_eth_sender_get_type ())
GST_LIVEPEER_API
GType lp_eth_sender_get_type (void);

GST_LIVEPEER_API
LpEthSender *lp_eth_sender_new (LpEthRpc * rpc, LpPrivateKey * key);
GST_LIVEPEER_API
LpEthSender *lp_eth_sender_ref (LpEthSender * sender);
GST_LIVEPEER_API
void lp_eth_sender_unref (LpEthSender * sender);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpEthSender, lp_eth_sender_unref)

GST_LIVEPEER_API
const LpAddress *lp_eth_sender_get_address (LpEthSender * sender);
GST_LIVEPEER_API
LpEthRpc *lp_eth_sender_get_rpc (LpEthSender * sender);

/* ---- settings ---- */

GST_LIVEPEER_API
void lp_eth_sender_set_gas_headroom (LpEthSender * sender, guint percent);
GST_LIVEPEER_API
void lp_eth_sender_set_max_fee_per_gas (LpEthSender * sender,
    const LpUint256 * cap);
GST_LIVEPEER_API
void lp_eth_sender_set_max_priority_fee_per_gas (LpEthSender * sender,
    const LpUint256 * cap);
GST_LIVEPEER_API
void lp_eth_sender_set_fee_mode (LpEthSender * sender, LpEthFeeMode mode);
GST_LIVEPEER_API
void lp_eth_sender_set_receipt_timeout (LpEthSender * sender,
    guint timeout_ms);
GST_LIVEPEER_API
void lp_eth_sender_set_stuck_after (LpEthSender * sender, guint stuck_ms);
GST_LIVEPEER_API
void lp_eth_sender_set_max_replacements (LpEthSender * sender,
    guint replacements);
GST_LIVEPEER_API
void lp_eth_sender_set_poll_interval (LpEthSender * sender,
    guint interval_ms);

/* ---- sending ---- */

GST_LIVEPEER_API
gboolean lp_eth_sender_transact (LpEthSender * sender, const LpAddress * to,
    const LpUint256 * value, GBytes * data, LpEthReceipt ** receipt,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_eth_sender_transact_full (LpEthSender * sender,
    const LpEthTxRequest * request, GCancellable * cancellable,
    LpEthReceipt ** receipt, GError ** error);
GST_LIVEPEER_API
void lp_eth_sender_resync_nonce (LpEthSender * sender);

G_END_DECLS

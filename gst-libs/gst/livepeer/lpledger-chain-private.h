/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * What the chain ledger's files share (lpledger-chain.c and
 * lpledger-chain-*.c); not installed and not API: everything here is
 * G_GNUC_INTERNAL. The chain ledger is an LpLedger on Livepeer's deployed
 * contracts, reached through an Ethereum JSON-RPC node (lpethrpc.h) and
 * written to with locally signed transactions (lpethsender.h); see
 * docs/design/chain.md.
 *
 *   lpledger-chain.c           the object, the URI, contract resolution,
 *                              views and transactions with their error
 *                              mapping, signers, status, rounds, blocks,
 *                              the storage check, the audit, and what the
 *                              deployment cannot do
 *   lpledger-chain-bonding.c   BondingManager, LivepeerToken and
 *                              ServiceRegistry: accounts, orchestrators,
 *                              the pool, bonding, rewards, fees
 *   lpledger-chain-tickets.c   TicketBroker: funding, unlock, withdraw,
 *                              redemption, the redeemed-ticket list
 *   lpledger-chain-queue.c     the local durable queue of winning tickets
 *                              (a small SQLite file)
 *
 * Threads: the LpEthRpc and every LpEthSender are thread-safe; self->lock
 * guards the signer table, the queue handle and the round cache, and is
 * never held across a request to the node.
 */
#pragma once

#include "lpledger-private.h"
#include "lpabi.h"
#include "lpethrpc.h"
#include "lpethsender.h"

G_BEGIN_DECLS

#define LP_TYPE_LEDGER_CHAIN (lp_ledger_chain_get_type ())
G_DECLARE_FINAL_TYPE (LpLedgerChain, lp_ledger_chain, LP, LEDGER_CHAIN,
    GObject)

/* The contracts the ledger uses, each resolved through the Controller by
 * the keccak256 of its name. */
typedef enum
{
  LP_CHAIN_TOKEN,
  LP_CHAIN_MINTER,
  LP_CHAIN_BONDING_MANAGER,
  LP_CHAIN_TICKET_BROKER,
  LP_CHAIN_ROUNDS_MANAGER,
  LP_CHAIN_SERVICE_REGISTRY,
  LP_CHAIN_N_CONTRACTS,
} LpChainContract;

/* The ledger URI's query parameters (docs/design/chain.md). */
typedef struct
{
  LpAddress controller;
  gchar *queue_path;            /* NULL: the default in the user state dir */
  guint64 from_block;           /* first block scanned for events */
  guint64 confirmations;        /* blocks a receipt needs, >= 1 */
  gboolean has_max_fee;
  LpUint256 max_fee;            /* wei per gas */
  gboolean has_priority_fee;
  LpUint256 priority_fee;       /* wei per gas */
  guint gas_headroom;           /* percent */
  LpEthFeeMode fee_mode;
  guint receipt_timeout_ms;
  guint rpc_timeout_ms;
} LpChainConfig;

/* ---- lpledger-chain.c ---------------------------------------------------- */

G_GNUC_INTERNAL
gboolean lp_chain_config_parse (const gchar * uri, gchar ** node_url,
    LpChainConfig * config, GError ** error);
G_GNUC_INTERNAL
void lp_chain_config_clear (LpChainConfig * config);

G_GNUC_INTERNAL
const gchar *lp_chain_contract_name (LpChainContract contract);
G_GNUC_INTERNAL
const LpAddress *lp_chain_contract (LpLedgerChain * self,
    LpChainContract contract);
G_GNUC_INTERNAL
LpEthRpc *lp_chain_rpc (LpLedgerChain * self);
G_GNUC_INTERNAL
const gchar *lp_chain_url (LpLedgerChain * self);
/* the first block event scans look at (from-block=) */
G_GNUC_INTERNAL
guint64 lp_chain_from_block (LpLedgerChain * self);
/* the queue's file (queue=, or the default) */
G_GNUC_INTERNAL
const gchar *lp_chain_queue_file (LpLedgerChain * self);

/* A view: calls @signature on @contract with @args (NULL-terminated
 * LpAbiValue pointers, consumed) and decodes the answer as @out_types
 * (a tuple of them). */
G_GNUC_INTERNAL
LpAbiValue *lp_chain_view (LpLedgerChain * self, LpChainContract contract,
    const gchar * signature, const gchar * out_types, GError ** error, ...)
    G_GNUC_NULL_TERMINATED;
G_GNUC_INTERNAL
gboolean lp_chain_view_u256 (LpLedgerChain * self, LpChainContract contract,
    const gchar * signature, LpUint256 * out, GError ** error, ...)
    G_GNUC_NULL_TERMINATED;
G_GNUC_INTERNAL
gboolean lp_chain_view_u64 (LpLedgerChain * self, LpChainContract contract,
    const gchar * signature, guint64 * out, GError ** error, ...)
    G_GNUC_NULL_TERMINATED;
G_GNUC_INTERNAL
gboolean lp_chain_view_bool (LpLedgerChain * self, LpChainContract contract,
    const gchar * signature, gboolean * out, GError ** error, ...)
    G_GNUC_NULL_TERMINATED;

/* A transaction from @from (a signer) to @contract calling @signature
 * with @args (NULL-terminated, consumed), paying @value (NULL: none);
 * waits for its receipt and the configured confirmations. A revert
 * becomes LP_LEDGER_ERROR_REFUSED with its reason. */
G_GNUC_INTERNAL
gboolean lp_chain_send (LpLedgerChain * self, const LpAddress * from,
    LpChainContract contract, const LpUint256 * value,
    LpEthReceipt ** receipt, GError ** error, const gchar * signature, ...)
    G_GNUC_NULL_TERMINATED;
/* the same with the sender chosen as lp_ledger_add_signer() says: @prefer
 * when it is a signer, else the first signer */
G_GNUC_INTERNAL
gboolean lp_chain_send_any (LpLedgerChain * self, const LpAddress * prefer,
    LpChainContract contract, LpEthReceipt ** receipt, GError ** error,
    const gchar * signature, ...) G_GNUC_NULL_TERMINATED;
/* the same with an explicit gas limit, for calls that do not revert when
 * they fail in part (batchRedeemWinningTickets): their estimate can be too
 * low for the parts that fail silently */
G_GNUC_INTERNAL
gboolean lp_chain_send_any_gas (LpLedgerChain * self,
    const LpAddress * prefer, LpChainContract contract, guint64 gas_limit,
    LpEthReceipt ** receipt, GError ** error, const gchar * signature, ...)
    G_GNUC_NULL_TERMINATED;

/* The first log of @receipt emitted by @contract with event @topic, or
 * NULL. */
G_GNUC_INTERNAL
const LpEthLog *lp_chain_receipt_find_log (LpLedgerChain * self,
    const LpEthReceipt * receipt, LpChainContract contract,
    const gchar * event_signature);
/* Decodes a log's data as @types. */
G_GNUC_INTERNAL
LpAbiValue *lp_chain_log_data (const LpEthLog * log, const gchar * types,
    GError ** error);

/* LP_ETH_ERROR → LP_LEDGER_ERROR, with @what (a contract call) named */
G_GNUC_INTERNAL
void lp_chain_map_error (LpLedgerChain * self, GError * eth_error,
    const gchar * what, GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_bad_answer (const gchar * what, GError * cause,
    GError ** error);

G_GNUC_INTERNAL
gboolean lp_chain_block_number (LpLedgerChain * self, guint64 * block,
    GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_current_round (LpLedgerChain * self, guint64 * round,
    GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_eth_balance (LpLedgerChain * self,
    const LpAddress * address, LpUint256 * balance, GError ** error);

/* MAX_FUTURE_ROUND and other huge rounds clamp to G_MAXINT64 */
G_GNUC_INTERNAL
guint64 lp_chain_value_round (const LpAbiValue * value);
G_GNUC_INTERNAL
void lp_chain_value_u256 (const LpAbiValue * tuple, guint index,
    LpUint256 * out);
G_GNUC_INTERNAL
guint64 lp_chain_value_u64 (const LpAbiValue * tuple, guint index);

G_GNUC_INTERNAL
LpAbiValue *lp_chain_address_arg (const LpAddress * address);
G_GNUC_INTERNAL
LpAbiValue *lp_chain_u256_arg (const LpUint256 * value);

/* the queue, opened on first use; NULL with an error */
G_GNUC_INTERNAL
struct _LpChainQueue *lp_chain_get_queue (LpLedgerChain * self,
    GError ** error);

/* ---- lpledger-chain-bonding.c ------------------------------------------- */

G_GNUC_INTERNAL
gboolean lp_chain_get_account (LpLedger * ledger, const LpAddress * address,
    LpAccountInfo * info, GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_get_orchestrator (LpLedger * ledger,
    const LpAddress * address, LpLedgerOrchestrator * info, GError ** error);
G_GNUC_INTERNAL
GArray *lp_chain_list_orchestrators (LpLedger * ledger, gboolean active_only,
    GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_transfer (LpLedger * ledger, const LpAddress * from,
    const LpAddress * to, const LpUint256 * amount, GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_register_orchestrator (LpLedger * ledger,
    const LpAddress * orchestrator, guint64 reward_cut, guint64 fee_share,
    const gchar * service_uri, GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_bond (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * to, const LpUint256 * amount, GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_unbond (LpLedger * ledger, const LpAddress * owner,
    const LpUint256 * amount, guint64 * lock_id, GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_rebond (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * to, guint64 lock_id, GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_withdraw_stake (LpLedger * ledger, const LpAddress * owner,
    guint64 lock_id, GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_withdraw_fees (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * recipient, const LpUint256 * amount, GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_claim_earnings (LpLedger * ledger, const LpAddress * owner,
    GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_reward (LpLedger * ledger, const LpAddress * orchestrator,
    LpUint256 * minted, GError ** error);
/* the next round's pool, in its order (most stake first) */
G_GNUC_INTERNAL
GArray *lp_chain_pool_addresses (LpLedgerChain * self, GError ** error);

/* ---- lpledger-chain-tickets.c ------------------------------------------- */

G_GNUC_INTERNAL
gboolean lp_chain_redeem_winning_tickets (LpLedger * ledger,
    const LpWinningTicket * tickets, guint n_tickets,
    LpRedemptionOutcome * outcomes, GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_fund (LpLedger * ledger, const LpAddress * sender,
    const LpUint256 * deposit, const LpUint256 * reserve, GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_unlock (LpLedger * ledger, const LpAddress * sender,
    GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_cancel_unlock (LpLedger * ledger, const LpAddress * sender,
    GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_withdraw (LpLedger * ledger, const LpAddress * sender,
    GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_get_sender_info (LpLedger * ledger,
    const LpAddress * sender, LpSenderInfo * info, GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_redeem_winning_ticket (LpLedger * ledger,
    const LpWinningTicket * ticket, LpRedemption * redemption,
    GError ** error);
G_GNUC_INTERNAL
GArray *lp_chain_list_redeemed_tickets (LpLedger * ledger,
    const LpAddress * recipient, GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_queue_winning_ticket (LpLedger * ledger,
    const LpWinningTicket * ticket, gboolean * added, GError ** error);
G_GNUC_INTERNAL
GArray *lp_chain_list_queued_tickets (LpLedger * ledger,
    const LpAddress * recipient, GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_drop_queued_ticket (LpLedger * ledger,
    const guint8 ticket_hash[LP_TICKET_HASH_SIZE], GError ** error);
/* the senders that ever funded the TicketBroker (from its events) */
G_GNUC_INTERNAL
GArray *lp_chain_known_senders (LpLedgerChain * self, GError ** error);

/* ---- lpledger-chain-queue.c --------------------------------------------- */

typedef struct _LpChainQueue LpChainQueue;

G_GNUC_INTERNAL
LpChainQueue *lp_chain_queue_open (const gchar * path, GError ** error);
G_GNUC_INTERNAL
void lp_chain_queue_free (LpChainQueue * queue);
G_GNUC_INTERNAL
const gchar *lp_chain_queue_path (LpChainQueue * queue);
G_GNUC_INTERNAL
gboolean lp_chain_queue_add (LpChainQueue * queue,
    const LpWinningTicket * winner, gboolean * added, GError ** error);
G_GNUC_INTERNAL
GArray *lp_chain_queue_list (LpChainQueue * queue,
    const LpAddress * recipient, GError ** error);
/* takes the ticket out of the queue; @done: also remember it as handled
 * (redeemed, or used), so that queueing it again changes nothing */
G_GNUC_INTERNAL
gboolean lp_chain_queue_remove (LpChainQueue * queue,
    const guint8 hash[LP_TICKET_HASH_SIZE], gboolean done, gboolean * removed,
    GError ** error);
G_GNUC_INTERNAL
gboolean lp_chain_queue_check (LpChainQueue * queue, GString * report,
    GError ** error);

G_END_DECLS

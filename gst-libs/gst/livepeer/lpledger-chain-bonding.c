/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * The chain ledger's BondingManager, LivepeerToken and ServiceRegistry:
 * account and orchestrator reads from their views, the pool (the next
 * round's active set, a sorted list the BondingManager walks), and the
 * transactions of bonding, rewards and fees, with the signatures of the
 * deployed ABI (bond(uint256,address), claimEarnings(uint256),
 * withdrawFees(address,uint256), ...).
 */
#include "lpledger-chain-private.h"

#include <string.h>

#define SELF(ledger) LP_LEDGER_CHAIN (ledger)

/* BondingManager.DelegatorStatus */
enum
{
  CHAIN_DELEGATOR_PENDING,
  CHAIN_DELEGATOR_BONDED,
  CHAIN_DELEGATOR_UNBONDED,
};

/* ---- accounts ------------------------------------------------------------- */

static gboolean
read_locks (LpLedgerChain * self, const LpAddress * address, guint64 next_id,
    GArray * locks, GError ** error)
{
  for (guint64 id = 0; id < next_id; id++) {
    g_autoptr (LpAbiValue) v = lp_chain_view (self,
        LP_CHAIN_BONDING_MANAGER, "getDelegatorUnbondingLock(address,uint256)",
        "(uint256,uint256)", error, lp_chain_address_arg (address),
        lp_abi_value_new_uint64 (id), NULL);
    LpUnbondingLock lock = { id, };

    if (v == NULL)
      return FALSE;
    lp_chain_value_u256 (v, 0, &lock.amount);
    lock.withdraw_round = lp_chain_value_u64 (v, 1);
    /* withdrawn and rebonded locks are deleted: amount 0 */
    if (!lp_uint256_is_zero (&lock.amount))
      g_array_append_val (locks, lock);
  }
  return TRUE;
}

static gboolean
read_delegator (LpLedgerChain * self, const LpAddress * address,
    guint64 round, LpAccountInfo * info, GError ** error)
{
  g_autoptr (LpAbiValue) d = lp_chain_view (self, LP_CHAIN_BONDING_MANAGER,
      "getDelegator(address)",
      "(uint256,uint256,address,uint256,uint256,uint256,uint256)", error,
      lp_chain_address_arg (address), NULL);
  guint64 status;

  if (d == NULL)
    return FALSE;
  lp_chain_value_u256 (d, 0, &info->bonded);
  lp_chain_value_u256 (d, 1, &info->fees);
  lp_abi_value_get_address (lp_abi_value_get_child (d, 2), &info->delegate);
  lp_chain_value_u256 (d, 3, &info->delegated);
  info->start_round = lp_chain_value_u64 (d, 4);
  info->last_claim_round = lp_chain_value_u64 (d, 5);
  if (!lp_chain_view_u64 (self, LP_CHAIN_BONDING_MANAGER,
          "delegatorStatus(address)", &status, error,
          lp_chain_address_arg (address), NULL)
      || !lp_chain_view_u256 (self, LP_CHAIN_BONDING_MANAGER,
          "pendingStake(address,uint256)", &info->pending_stake, error,
          lp_chain_address_arg (address), lp_abi_value_new_uint64 (round),
          NULL)
      || !lp_chain_view_u256 (self, LP_CHAIN_BONDING_MANAGER,
          "pendingFees(address,uint256)", &info->pending_fees, error,
          lp_chain_address_arg (address), lp_abi_value_new_uint64 (round),
          NULL))
    return FALSE;
  info->status = status == CHAIN_DELEGATOR_BONDED ? LP_DELEGATOR_BONDED :
      status == CHAIN_DELEGATOR_PENDING ? LP_DELEGATOR_PENDING :
      LP_DELEGATOR_UNBONDED;
  return read_locks (self, address, lp_chain_value_u64 (d, 6), info->locks,
      error);
}

gboolean
lp_chain_get_account (LpLedger * ledger, const LpAddress * address,
    LpAccountInfo * info, GError ** error)
{
  LpLedgerChain *self = SELF (ledger);
  LpSenderInfo sender;
  guint64 round;

  memset (info, 0, sizeof (*info));
  info->address = *address;
  info->locks = g_array_new (FALSE, TRUE, sizeof (LpUnbondingLock));
  if (!lp_chain_current_round (self, &round, error)
      || !lp_chain_view_u256 (self, LP_CHAIN_TOKEN, "balanceOf(address)",
          &info->lpt, error, lp_chain_address_arg (address), NULL)
      || !lp_chain_eth_balance (self, address, &info->eth, error)
      || !read_delegator (self, address, round, info, error)
      || !lp_chain_get_sender_info (ledger, address, &sender, error)) {
    lp_account_info_clear (info);
    return FALSE;
  }
  info->deposit = sender.deposit;
  info->reserve = sender.reserve;
  info->withdraw_round = sender.withdraw_round;
  return TRUE;
}

/* ---- orchestrators -------------------------------------------------------- */

static gboolean
read_service_uri (LpLedgerChain * self, const LpAddress * address,
    gchar ** uri, GError ** error)
{
  g_autoptr (LpAbiValue) v = lp_chain_view (self, LP_CHAIN_SERVICE_REGISTRY,
      "getServiceURI(address)", "(string)", error,
      lp_chain_address_arg (address), NULL);

  if (v == NULL)
    return FALSE;
  *uri = g_strdup (lp_abi_value_get_string (lp_abi_value_get_child (v, 0)));
  return TRUE;
}

gboolean
lp_chain_get_orchestrator (LpLedger * ledger, const LpAddress * address,
    LpLedgerOrchestrator * info, GError ** error)
{
  LpLedgerChain *self = SELF (ledger);
  g_autoptr (LpAbiValue) t = NULL;
  guint64 round;

  memset (info, 0, sizeof (*info));
  info->address = *address;
  t = lp_chain_view (self, LP_CHAIN_BONDING_MANAGER, "getTranscoder(address)",
      "(uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256,"
      "uint256,uint256)", error, lp_chain_address_arg (address), NULL);
  if (t == NULL || !lp_chain_current_round (self, &round, error)
      || !lp_chain_view_bool (self, LP_CHAIN_BONDING_MANAGER,
          "isRegisteredTranscoder(address)", &info->registered, error,
          lp_chain_address_arg (address), NULL)
      || !lp_chain_view_bool (self, LP_CHAIN_BONDING_MANAGER,
          "isActiveTranscoder(address)", &info->active, error,
          lp_chain_address_arg (address), NULL)
      || !lp_chain_view_u256 (self, LP_CHAIN_BONDING_MANAGER,
          "transcoderTotalStake(address)", &info->total_stake, error,
          lp_chain_address_arg (address), NULL)
      || !read_service_uri (self, address, &info->service_uri, error)) {
    lp_ledger_orchestrator_clear (info);
    return FALSE;
  }
  info->last_reward_round = lp_chain_value_u64 (t, 0);
  info->reward_cut = lp_chain_value_u64 (t, 1);
  info->fee_share = lp_chain_value_u64 (t, 2);
  info->activation_round = lp_chain_value_u64 (t, 4);
  info->deactivation_round = (gint64) lp_chain_value_u64 (t, 5);
  lp_chain_value_u256 (t, 7, &info->cumulative_rewards);
  lp_chain_value_u256 (t, 8, &info->cumulative_fees);
  /* the pool is the next round's active set: joining it activates from
   * the next round on, leaving it deactivates from the next round on */
  info->in_pool = info->registered && info->activation_round <= round + 1
      && (guint64) info->deactivation_round > round + 1;
  return TRUE;
}

GArray *
lp_chain_pool_addresses (LpLedgerChain * self, GError ** error)
{
  g_autoptr (GArray) pool = g_array_new (FALSE, TRUE, sizeof (LpAddress));
  g_autoptr (LpAbiValue) v = NULL;
  LpAddress at;
  guint64 size;

  if (!lp_chain_view_u64 (self, LP_CHAIN_BONDING_MANAGER,
          "getTranscoderPoolSize()", &size, error, NULL))
    return NULL;
  v = lp_chain_view (self, LP_CHAIN_BONDING_MANAGER,
      "getFirstTranscoderInPool()", "(address)", error, NULL);
  /* the size bounds the walk: a list that loops cannot hang it */
  while (v != NULL && pool->len < size) {
    lp_abi_value_get_address (lp_abi_value_get_child (v, 0), &at);
    if (lp_address_is_zero (&at))
      break;
    g_array_append_val (pool, at);
    g_clear_pointer (&v, lp_abi_value_free);
    v = lp_chain_view (self, LP_CHAIN_BONDING_MANAGER,
        "getNextTranscoderInPool(address)", "(address)", error,
        lp_chain_address_arg (&at), NULL);
  }
  if (v == NULL && pool->len < size)
    return NULL;
  return g_steal_pointer (&pool);
}

/* Everyone who ever bonded to itself (from the Bond events), beyond the
 * pool: registered orchestrators outside the active set. */
static gboolean
add_self_bonders (LpLedgerChain * self, GArray * out, GError ** error)
{
  guint8 topic[LP_KECCAK256_SIZE];
  LpEthLogFilter filter = { NULL, };
  g_autoptr (GPtrArray) logs = NULL;
  g_autoptr (GError) cause = NULL;

  lp_abi_event_topic ("Bond(address,address,address,uint256,uint256)",
      topic);
  filter.address = lp_chain_contract (self, LP_CHAIN_BONDING_MANAGER);
  filter.from_block = lp_chain_from_block (self);
  filter.to_block = LP_ETH_BLOCK_LATEST;
  filter.n_topics = 1;
  filter.topics[0] = topic;
  logs = lp_eth_rpc_get_logs (lp_chain_rpc (self), &filter, &cause);
  if (logs == NULL) {
    lp_chain_map_error (self, cause, "BondingManager Bond events", error);
    return FALSE;
  }
  for (guint i = 0; i < logs->len; i++) {
    const LpEthLog *log = g_ptr_array_index (logs, i);
    LpAddress delegate;
    gboolean seen = FALSE;

    /* Bond(newDelegate, oldDelegate, delegator): topics 1 and 3 */
    if (log->n_topics < 4 || log->removed
        || memcmp (log->topics[1], log->topics[3], LP_KECCAK256_SIZE) != 0)
      continue;
    memcpy (delegate.bytes, log->topics[1] + 12, LP_ADDRESS_SIZE);
    for (guint j = 0; j < out->len && !seen; j++)
      seen = lp_address_equal (&g_array_index (out, LpAddress, j), &delegate);
    if (!seen)
      g_array_append_val (out, delegate);
  }
  return TRUE;
}

GArray *
lp_chain_list_orchestrators (LpLedger * ledger, gboolean active_only,
    GError ** error)
{
  LpLedgerChain *self = SELF (ledger);
  g_autoptr (GArray) candidates = lp_chain_pool_addresses (self, error);
  GArray *out;

  if (candidates == NULL || !add_self_bonders (self, candidates, error))
    return NULL;
  out = g_array_new (FALSE, TRUE, sizeof (LpLedgerOrchestrator));
  g_array_set_clear_func (out, lp_ledger_orchestrator_clear_func);
  for (guint i = 0; i < candidates->len; i++) {
    LpLedgerOrchestrator o;

    if (!lp_chain_get_orchestrator (ledger, &g_array_index (candidates,
                LpAddress, i), &o, error)) {
      g_array_unref (out);
      return NULL;
    }
    if (o.registered && (!active_only || o.active))
      g_array_append_val (out, o);
    else
      lp_ledger_orchestrator_clear (&o);
  }
  g_array_sort (out, lp_ledger_orchestrator_compare_by_stake);
  return out;
}

/* ---- LivepeerToken ---------------------------------------------------------- */

gboolean
lp_chain_transfer (LpLedger * ledger, const LpAddress * from,
    const LpAddress * to, const LpUint256 * amount, GError ** error)
{
  return lp_chain_send (SELF (ledger), from, LP_CHAIN_TOKEN, NULL, NULL,
      error, "transfer(address,uint256)", lp_chain_address_arg (to),
      lp_chain_u256_arg (amount), NULL);
}

/* The BondingManager takes bonded LPT with transferFrom: approve it first
 * when the allowance falls short (a separate transaction; an allowance
 * left by a bond that then failed only allows the next bond). */
static gboolean
approve_bonding_manager (LpLedgerChain * self, const LpAddress * owner,
    const LpUint256 * amount, GError ** error)
{
  const LpAddress *manager =
      lp_chain_contract (self, LP_CHAIN_BONDING_MANAGER);
  LpUint256 allowance;

  if (lp_uint256_is_zero (amount))
    return TRUE;
  if (!lp_chain_view_u256 (self, LP_CHAIN_TOKEN, "allowance(address,address)",
          &allowance, error, lp_chain_address_arg (owner),
          lp_chain_address_arg (manager), NULL))
    return FALSE;
  if (lp_uint256_cmp (&allowance, amount) >= 0)
    return TRUE;
  return lp_chain_send (self, owner, LP_CHAIN_TOKEN, NULL, NULL, error,
      "approve(address,uint256)", lp_chain_address_arg (manager),
      lp_chain_u256_arg (amount), NULL);
}

/* ---- BondingManager --------------------------------------------------------- */

gboolean
lp_chain_bond (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * to, const LpUint256 * amount, GError ** error)
{
  LpLedgerChain *self = SELF (ledger);

  return approve_bonding_manager (self, owner, amount, error)
      && lp_chain_send (self, owner, LP_CHAIN_BONDING_MANAGER, NULL, NULL,
      error, "bond(uint256,address)", lp_chain_u256_arg (amount),
      lp_chain_address_arg (to), NULL);
}

/* Sets the service URI when it differs from the ServiceRegistry's. */
static gboolean
update_service_uri (LpLedgerChain * self, const LpAddress * orchestrator,
    const gchar * current, const gchar * service_uri, GError ** error)
{
  if (service_uri == NULL || g_strcmp0 (current, service_uri) == 0)
    return TRUE;
  return lp_chain_send (self, orchestrator, LP_CHAIN_SERVICE_REGISTRY, NULL,
      NULL, error, "setServiceURI(string)",
      lp_abi_value_new_string (service_uri), NULL);
}

/* Two transactions: transcoder() (the commission; it checks the self-bond
 * and joins the pool), then setServiceURI(), only when the URI changes.
 * transcoder() is skipped when the orchestrator is in the pool with these
 * rates already, as go-livepeer's orchestrator config skips Transcoder()
 * when the rates are unchanged: it would change nothing, and it reverts
 * in the round's lock period, which would keep a node from updating its
 * URI there. */
gboolean
lp_chain_register_orchestrator (LpLedger * ledger,
    const LpAddress * orchestrator, guint64 reward_cut, guint64 fee_share,
    const gchar * service_uri, GError ** error)
{
  LpLedgerChain *self = SELF (ledger);
  LpLedgerOrchestrator info;
  gboolean unchanged, ok;

  if (!lp_chain_get_orchestrator (ledger, orchestrator, &info, error))
    return FALSE;
  unchanged = info.registered && info.in_pool && info.reward_cut == reward_cut
      && info.fee_share == fee_share;
  ok = (unchanged || lp_chain_send (self, orchestrator,
          LP_CHAIN_BONDING_MANAGER, NULL, NULL, error,
          "transcoder(uint256,uint256)", lp_abi_value_new_uint64 (reward_cut),
          lp_abi_value_new_uint64 (fee_share), NULL))
      && update_service_uri (self, orchestrator, info.service_uri,
      service_uri, error);
  lp_ledger_orchestrator_clear (&info);
  return ok;
}

gboolean
lp_chain_unbond (LpLedger * ledger, const LpAddress * owner,
    const LpUint256 * amount, guint64 * lock_id, GError ** error)
{
  LpLedgerChain *self = SELF (ledger);
  g_autoptr (LpEthReceipt) receipt = NULL;
  g_autoptr (LpAbiValue) data = NULL;
  const LpEthLog *log;

  if (!lp_chain_send (self, owner, LP_CHAIN_BONDING_MANAGER, NULL, &receipt,
          error, "unbond(uint256)", lp_chain_u256_arg (amount), NULL))
    return FALSE;
  if (lock_id == NULL)
    return TRUE;
  /* Unbond(delegate, delegator, unbondingLockId, amount, withdrawRound) */
  log = lp_chain_receipt_find_log (self, receipt, LP_CHAIN_BONDING_MANAGER,
      "Unbond(address,address,uint256,uint256,uint256)");
  data = log != NULL ? lp_chain_log_data (log, "(uint256,uint256,uint256)",
      NULL) : NULL;
  if (data == NULL)
    return lp_chain_bad_answer ("BondingManager.unbond's Unbond event", NULL,
        error);
  *lock_id = lp_chain_value_u64 (data, 0);
  return TRUE;
}

gboolean
lp_chain_rebond (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * to, guint64 lock_id, GError ** error)
{
  if (to == NULL)
    return lp_chain_send (SELF (ledger), owner, LP_CHAIN_BONDING_MANAGER,
        NULL, NULL, error, "rebond(uint256)", lp_abi_value_new_uint64 (lock_id),
        NULL);
  return lp_chain_send (SELF (ledger), owner, LP_CHAIN_BONDING_MANAGER, NULL,
      NULL, error, "rebondFromUnbonded(address,uint256)",
      lp_chain_address_arg (to), lp_abi_value_new_uint64 (lock_id), NULL);
}

gboolean
lp_chain_withdraw_stake (LpLedger * ledger, const LpAddress * owner,
    guint64 lock_id, GError ** error)
{
  return lp_chain_send (SELF (ledger), owner, LP_CHAIN_BONDING_MANAGER, NULL,
      NULL, error, "withdrawStake(uint256)", lp_abi_value_new_uint64 (lock_id),
      NULL);
}

gboolean
lp_chain_withdraw_fees (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * recipient, const LpUint256 * amount, GError ** error)
{
  return lp_chain_send (SELF (ledger), owner, LP_CHAIN_BONDING_MANAGER, NULL,
      NULL, error, "withdrawFees(address,uint256)",
      lp_chain_address_arg (recipient), lp_chain_u256_arg (amount), NULL);
}

gboolean
lp_chain_claim_earnings (LpLedger * ledger, const LpAddress * owner,
    GError ** error)
{
  LpLedgerChain *self = SELF (ledger);
  guint64 round;

  return lp_chain_current_round (self, &round, error)
      && lp_chain_send (self, owner, LP_CHAIN_BONDING_MANAGER, NULL, NULL,
      error, "claimEarnings(uint256)", lp_abi_value_new_uint64 (round), NULL);
}

gboolean
lp_chain_reward (LpLedger * ledger, const LpAddress * orchestrator,
    LpUint256 * minted, GError ** error)
{
  LpLedgerChain *self = SELF (ledger);
  g_autoptr (LpEthReceipt) receipt = NULL;
  g_autoptr (LpAbiValue) data = NULL;
  const LpEthLog *log;

  if (!lp_chain_send (self, orchestrator, LP_CHAIN_BONDING_MANAGER, NULL,
          &receipt, error, "reward()", NULL))
    return FALSE;
  if (minted == NULL)
    return TRUE;
  /* Reward(transcoder, amount): what the Minter minted for it */
  log = lp_chain_receipt_find_log (self, receipt, LP_CHAIN_BONDING_MANAGER,
      "Reward(address,uint256)");
  data = log != NULL ? lp_chain_log_data (log, "(uint256)", NULL) : NULL;
  if (data == NULL)
    return lp_chain_bad_answer ("BondingManager.reward's Reward event", NULL,
        error);
  lp_chain_value_u256 (data, 0, minted);
  return TRUE;
}

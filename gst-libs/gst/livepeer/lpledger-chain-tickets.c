/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * The chain ledger's TicketBroker: funding, unlock, withdraw and sender
 * info; redemption of winning tickets (what each paid comes from the
 * receipt's WinningTicketTransfer and ReserveClaimed events), one at a
 * time or several in a batchRedeemWinningTickets; the list of
 * redeemed tickets from the WinningTicketRedeemed events; and the
 * orchestrator's local queue (lpledger-chain-queue.c), which a ticket
 * leaves when its redemption is confirmed or refused for good.
 */
#include "lpledger-chain-private.h"

#include <string.h>

#define SELF(ledger) LP_LEDGER_CHAIN (ledger)

#define TICKET_TUPLE "(address,address,uint256,uint256,uint256,bytes32,bytes)"
#define REDEEMED_EVENT "WinningTicketRedeemed(address,address,uint256," \
  "uint256,uint256,uint256,bytes)"
#define TRANSFER_EVENT "WinningTicketTransfer(address,address,uint256)"
#define RESERVE_CLAIMED_EVENT "ReserveClaimed(address,address,uint256)"

/* ---- funding ------------------------------------------------------------- */

gboolean
lp_chain_fund (LpLedger * ledger, const LpAddress * sender,
    const LpUint256 * deposit, const LpUint256 * reserve, GError ** error)
{
  LpUint256 total;

  if (!lp_uint256_add (deposit, reserve, &total, NULL)) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
        "Deposit and reserve add up to more than 2^256 wei");
    return FALSE;
  }
  /* funding the deposit cancels an unlock in progress, as the embedded
   * ledger does: fundDepositAndReserve's processDeposit does it */
  return lp_chain_send (SELF (ledger), sender, LP_CHAIN_TICKET_BROKER, &total,
      NULL, error, "fundDepositAndReserve(uint256,uint256)",
      lp_chain_u256_arg (deposit), lp_chain_u256_arg (reserve), NULL);
}

gboolean
lp_chain_unlock (LpLedger * ledger, const LpAddress * sender, GError ** error)
{
  return lp_chain_send (SELF (ledger), sender, LP_CHAIN_TICKET_BROKER, NULL,
      NULL, error, "unlock()", NULL);
}

gboolean
lp_chain_cancel_unlock (LpLedger * ledger, const LpAddress * sender,
    GError ** error)
{
  return lp_chain_send (SELF (ledger), sender, LP_CHAIN_TICKET_BROKER, NULL,
      NULL, error, "cancelUnlock()", NULL);
}

gboolean
lp_chain_withdraw (LpLedger * ledger, const LpAddress * sender,
    GError ** error)
{
  return lp_chain_send (SELF (ledger), sender, LP_CHAIN_TICKET_BROKER, NULL,
      NULL, error, "withdraw()", NULL);
}

gboolean
lp_chain_get_sender_info (LpLedger * ledger, const LpAddress * sender,
    LpSenderInfo * info, GError ** error)
{
  LpLedgerChain *self = SELF (ledger);
  g_autoptr (LpAbiValue) v = NULL;
  const LpAbiValue *deposit, *reserve;

  memset (info, 0, sizeof (*info));
  /* (Sender(deposit, withdrawRound), ReserveInfo(fundsRemaining,
   * claimedInCurrentRound)) */
  v = lp_chain_view (self, LP_CHAIN_TICKET_BROKER, "getSenderInfo(address)",
      "((uint256,uint256),(uint256,uint256))", error,
      lp_chain_address_arg (sender), NULL);
  if (v == NULL)
    return FALSE;
  deposit = lp_abi_value_get_child (v, 0);
  reserve = lp_abi_value_get_child (v, 1);
  lp_chain_value_u256 (deposit, 0, &info->deposit);
  info->withdraw_round = lp_chain_value_u64 (deposit, 1);
  lp_chain_value_u256 (reserve, 0, &info->reserve);
  return lp_chain_view_u64 (self, LP_CHAIN_ROUNDS_MANAGER,
      "lastInitializedRound()", &info->last_initialized_round, error, NULL)
      && lp_chain_block_number (self, &info->last_seen_block, error);
}

/* ---- redemption ---------------------------------------------------------- */

static LpAbiValue *
ticket_value (const LpTicket * t)
{
  guint8 aux[64];
  gsize aux_size = lp_expiration_params_aux_data (&t->expiration_params, aux);

  return lp_abi_value_new_tuple (lp_chain_address_arg (&t->recipient),
      lp_chain_address_arg (&t->sender), lp_chain_u256_arg (&t->face_value),
      lp_chain_u256_arg (&t->win_prob),
      lp_abi_value_new_uint64 (t->sender_nonce),
      lp_abi_value_new_bytes32 (t->recipient_rand_hash),
      lp_abi_value_new_bytes (aux, aux_size), NULL);
}

/* Takes a handled ticket out of the queue, if this machine has one. */
static void
forget_ticket (LpLedgerChain * self, const guint8 hash[LP_TICKET_HASH_SIZE])
{
  LpChainQueue *queue = lp_chain_get_queue (self, NULL);

  if (queue != NULL)
    lp_chain_queue_remove (queue, hash, TRUE, NULL, NULL);
}

/* The amount of the first @event in @receipt, the @index-th member of its
 * data (@types); 0 when it was not emitted. */
static void
log_amount (LpLedgerChain * self, const LpEthReceipt * receipt,
    const gchar * event, const gchar * types, guint index, LpUint256 * amount)
{
  const LpEthLog *log = lp_chain_receipt_find_log (self, receipt,
      LP_CHAIN_TICKET_BROKER, event);
  g_autoptr (LpAbiValue) data = log != NULL ?
      lp_chain_log_data (log, types, NULL) : NULL;

  lp_uint256_set_zero (amount);
  if (data != NULL)
    lp_chain_value_u256 (data, index, amount);
}

gboolean
lp_chain_redeem_winning_ticket (LpLedger * ledger,
    const LpWinningTicket * winner, LpRedemption * redemption,
    GError ** error)
{
  LpLedgerChain *self = SELF (ledger);
  g_autoptr (LpEthReceipt) receipt = NULL;
  g_autoptr (GError) local = NULL;
  guint8 hash[LP_TICKET_HASH_SIZE];
  LpUint256 paid, from_reserve;

  lp_ticket_hash (&winner->ticket, hash);
  /* anyone may send it (the recipient is paid either way): the
   * recipient's key when the ledger has it */
  if (!lp_chain_send_any (self, &winner->ticket.recipient,
          LP_CHAIN_TICKET_BROKER, &receipt, &local,
          "redeemWinningTicket(" TICKET_TUPLE ",bytes,uint256)",
          ticket_value (&winner->ticket),
          lp_abi_value_new_bytes (winner->sig, LP_SIGNATURE_SIZE),
          lp_chain_u256_arg (&winner->recipient_rand), NULL)) {
    /* "ticket is used": final, the ticket leaves the queue */
    if (g_error_matches (local, LP_LEDGER_ERROR, LP_LEDGER_ERROR_REFUSED)
        && strstr (local->message, "is used") != NULL) {
      forget_ticket (self, hash);
      local->code = LP_LEDGER_ERROR_TICKET_USED;
    }
    g_propagate_error (error, g_steal_pointer (&local));
    return FALSE;
  }
  /* confirmed (status 1): out of the queue */
  forget_ticket (self, hash);
  if (redemption == NULL)
    return TRUE;
  memset (redemption, 0, sizeof (*redemption));
  memcpy (redemption->ticket_hash, hash, LP_TICKET_HASH_SIZE);
  /* WinningTicketTransfer(sender, recipient, amount): all it paid;
   * ReserveClaimed(reserveHolder, claimant, amount): the reserve's part */
  log_amount (self, receipt, TRANSFER_EVENT, "(uint256)", 0, &paid);
  log_amount (self, receipt, RESERVE_CLAIMED_EVENT, "(address,uint256)", 1,
      &from_reserve);
  redemption->from_reserve = from_reserve;
  if (!lp_uint256_sub (&paid, &from_reserve, &redemption->from_deposit, NULL))
    lp_uint256_set_zero (&redemption->from_deposit);
  return lp_chain_current_round (self, &redemption->round, error);
}

/* ---- the redeemed tickets, from the events -------------------------------- */

static GPtrArray *
broker_logs (LpLedgerChain * self, const gchar * event,
    const LpAddress * recipient, GError ** error)
{
  guint8 topic[LP_KECCAK256_SIZE], recipient_topic[LP_KECCAK256_SIZE] = { 0, };
  LpEthLogFilter filter = { NULL, };
  g_autoptr (GError) cause = NULL;
  GPtrArray *logs;

  lp_abi_event_topic (event, topic);
  filter.address = lp_chain_contract (self, LP_CHAIN_TICKET_BROKER);
  filter.from_block = lp_chain_from_block (self);
  filter.to_block = LP_ETH_BLOCK_LATEST;
  filter.n_topics = 1;
  filter.topics[0] = topic;
  if (recipient != NULL) {
    memcpy (recipient_topic + 12, recipient->bytes, LP_ADDRESS_SIZE);
    filter.n_topics = 3;
    filter.topics[2] = recipient_topic;
  }
  logs = lp_eth_rpc_get_logs (lp_chain_rpc (self), &filter, &cause);
  if (logs == NULL) {
    g_autofree gchar *what = g_strdup_printf ("TicketBroker %s events",
        event);

    lp_chain_map_error (self, cause, what, error);
  }
  return logs;
}

/* RoundsManager's currentRound() as of @block (valid for blocks since the
 * last round length change). */
typedef struct
{
  guint64 update_round, update_block, length;
} RoundClock;

static gboolean
read_round_clock (LpLedgerChain * self, RoundClock * clock, GError ** error)
{
  return lp_chain_view_u64 (self, LP_CHAIN_ROUNDS_MANAGER,
      "lastRoundLengthUpdateRound()", &clock->update_round, error, NULL)
      && lp_chain_view_u64 (self, LP_CHAIN_ROUNDS_MANAGER,
      "lastRoundLengthUpdateStartBlock()", &clock->update_block, error, NULL)
      && lp_chain_view_u64 (self, LP_CHAIN_ROUNDS_MANAGER, "roundLength()",
      &clock->length, error, NULL);
}

static guint64
round_at (const RoundClock * clock, guint64 block)
{
  if (clock->length == 0 || block < clock->update_block)
    return clock->update_round;
  return clock->update_round + (block - clock->update_block) / clock->length;
}

/* The ticket of a WinningTicketRedeemed event (sender and recipient
 * indexed; faceValue, winProb, senderNonce, recipientRand, auxData). */
static gboolean
redeemed_from_log (const LpEthLog * log, const RoundClock * clock,
    LpRedeemedTicket * out)
{
  g_autoptr (LpAbiValue) data = lp_chain_log_data (log,
      "(uint256,uint256,uint256,uint256,bytes)", NULL);
  LpTicket t;
  LpUint256 rand;
  guint8 rand_word[LP_UINT256_SIZE];
  const guint8 *aux;
  gsize aux_size = 0;

  if (data == NULL || log->n_topics < 3)
    return FALSE;
  memset (&t, 0, sizeof (t));
  memset (out, 0, sizeof (*out));
  memcpy (t.sender.bytes, log->topics[1] + 12, LP_ADDRESS_SIZE);
  memcpy (t.recipient.bytes, log->topics[2] + 12, LP_ADDRESS_SIZE);
  lp_chain_value_u256 (data, 0, &t.face_value);
  lp_chain_value_u256 (data, 1, &t.win_prob);
  t.sender_nonce = (guint32) lp_chain_value_u64 (data, 2);
  lp_chain_value_u256 (data, 3, &rand);
  lp_uint256_pad32 (&rand, rand_word);
  lp_keccak256 (rand_word, sizeof (rand_word), t.recipient_rand_hash);
  aux = lp_abi_value_get_bytes (lp_abi_value_get_child (data, 4), &aux_size);
  if (aux_size == 64) {
    LpUint256 creation_round;

    lp_uint256_from_bytes32 (aux, &creation_round);
    lp_uint256_to_uint64 (&creation_round,
        &t.expiration_params.creation_round, NULL);
    memcpy (t.expiration_params.creation_round_block_hash, aux + 32, 32);
  }
  lp_ticket_hash (&t, out->ticket_hash);
  out->sender = t.sender;
  out->recipient = t.recipient;
  out->face_value = t.face_value;
  out->block = log->block_number;
  out->round = round_at (clock, log->block_number);
  return TRUE;
}

/* What the WinningTicketTransfer just before @redeemed in its transaction
 * paid (none: 0). */
static void
paid_for (GPtrArray * transfers, const LpEthLog * redeemed, LpUint256 * paid)
{
  const LpEthLog *best = NULL;

  lp_uint256_set_zero (paid);
  for (guint i = 0; i < transfers->len; i++) {
    const LpEthLog *t = g_ptr_array_index (transfers, i);

    if (memcmp (t->transaction_hash, redeemed->transaction_hash,
            LP_KECCAK256_SIZE) == 0 && t->log_index < redeemed->log_index
        && memcmp (t->topics[1], redeemed->topics[1], LP_KECCAK256_SIZE) == 0
        && (best == NULL || t->log_index > best->log_index))
      best = t;
  }
  if (best != NULL) {
    g_autoptr (LpAbiValue) data = lp_chain_log_data (best, "(uint256)", NULL);

    if (data != NULL)
      lp_chain_value_u256 (data, 0, paid);
  }
}

GArray *
lp_chain_list_redeemed_tickets (LpLedger * ledger,
    const LpAddress * recipient, GError ** error)
{
  LpLedgerChain *self = SELF (ledger);
  g_autoptr (GPtrArray) redeemed = NULL;
  g_autoptr (GPtrArray) transfers = NULL;
  GArray *out;
  RoundClock clock;

  redeemed = broker_logs (self, REDEEMED_EVENT, recipient, error);
  if (redeemed == NULL)
    return NULL;
  transfers = broker_logs (self, TRANSFER_EVENT, recipient, error);
  if (transfers == NULL || !read_round_clock (self, &clock, error))
    return NULL;
  out = g_array_new (FALSE, TRUE, sizeof (LpRedeemedTicket));
  for (guint i = 0; i < redeemed->len; i++) {
    const LpEthLog *log = g_ptr_array_index (redeemed, i);
    LpRedeemedTicket r;

    if (log->removed || !redeemed_from_log (log, &clock, &r))
      continue;
    paid_for (transfers, log, &r.paid);
    g_array_append_val (out, r);
  }
  return out;
}

GArray *
lp_chain_known_senders (LpLedgerChain * self, GError ** error)
{
  static const gchar *const events[] = {
    "DepositFunded(address,uint256)", "ReserveFunded(address,uint256)",
  };
  GArray *out = g_array_new (FALSE, TRUE, sizeof (LpAddress));

  for (guint e = 0; e < G_N_ELEMENTS (events); e++) {
    g_autoptr (GPtrArray) logs = broker_logs (self, events[e], NULL, error);

    if (logs == NULL) {
      g_array_unref (out);
      return NULL;
    }
    for (guint i = 0; i < logs->len; i++) {
      const LpEthLog *log = g_ptr_array_index (logs, i);
      LpAddress a;
      gboolean seen = FALSE;

      if (log->n_topics < 2 || log->removed)
        continue;
      memcpy (a.bytes, log->topics[1] + 12, LP_ADDRESS_SIZE);
      for (guint j = 0; j < out->len && !seen; j++)
        seen = lp_address_equal (&g_array_index (out, LpAddress, j), &a);
      if (!seen)
        g_array_append_val (out, a);
    }
  }
  return out;
}

/* ---- batch redemption --------------------------------------------------- */

/* batchRedeemWinningTickets skips a ticket that fails instead of reverting,
 * so eth_estimateGas can return a limit at which the last tickets run out
 * of gas unnoticed: the limit is set by hand instead, with room to spare
 * (on the devnet a single redemption used 194k gas, a ticket in a batch of
 * 10 93k; bench/chain.sh). */
#define BATCH_BASE_GAS 100000
#define BATCH_GAS_PER_TICKET 250000
/* keeps a transaction's calldata, and what one stuck transaction holds
 * back, small */
#define BATCH_MAX_TICKETS 32

/* A WinningTicketRedeemed event of a receipt, with what the transfer and
 * reserve events just before it (the same ticket's) paid. */
typedef struct
{
  guint8 ticket_hash[LP_TICKET_HASH_SIZE];
  LpUint256 paid;
  LpUint256 from_reserve;
  gboolean matched;
} ReceiptRedemption;

static gboolean
log_is (const LpEthLog * log, const LpAddress * broker, const gchar * event)
{
  guint8 topic[LP_KECCAK256_SIZE];

  lp_abi_event_topic (event, topic);
  return lp_address_equal (&log->address, broker) && log->n_topics > 0
      && memcmp (log->topics[0], topic, sizeof (topic)) == 0;
}

/* The tickets a batch receipt says were redeemed. Each ticket's
 * WinningTicketTransfer and ReserveClaimed come before its
 * WinningTicketRedeemed, and after the previous ticket's. */
static GArray *
receipt_redemptions (LpLedgerChain * self, const LpEthReceipt * receipt)
{
  const LpAddress *broker = lp_chain_contract (self, LP_CHAIN_TICKET_BROKER);
  GArray *out = g_array_new (FALSE, TRUE, sizeof (ReceiptRedemption));
  ReceiptRedemption current = { {0,}, };
  RoundClock no_clock = { 0, };

  for (guint i = 0; receipt->logs != NULL && i < receipt->logs->len; i++) {
    const LpEthLog *log = g_ptr_array_index (receipt->logs, i);
    g_autoptr (LpAbiValue) data = NULL;
    LpRedeemedTicket redeemed;

    if (log->removed)
      continue;
    if (log_is (log, broker, TRANSFER_EVENT)) {
      data = lp_chain_log_data (log, "(uint256)", NULL);
      if (data != NULL)
        lp_chain_value_u256 (data, 0, &current.paid);
    } else if (log_is (log, broker, RESERVE_CLAIMED_EVENT)) {
      data = lp_chain_log_data (log, "(address,uint256)", NULL);
      if (data != NULL)
        lp_chain_value_u256 (data, 1, &current.from_reserve);
    } else if (log_is (log, broker, REDEEMED_EVENT)) {
      if (redeemed_from_log (log, &no_clock, &redeemed)) {
        memcpy (current.ticket_hash, redeemed.ticket_hash,
            LP_TICKET_HASH_SIZE);
        g_array_append_val (out, current);
      }
      memset (&current, 0, sizeof (current));
    }
  }
  return out;
}

/* The first event of @redemptions not yet matched whose ticket is @hash
 * (a ticket twice in one batch is redeemed once). */
static ReceiptRedemption *
match_redemption (GArray * redemptions, const guint8 hash[LP_TICKET_HASH_SIZE])
{
  for (guint i = 0; i < redemptions->len; i++) {
    ReceiptRedemption *r = &g_array_index (redemptions, ReceiptRedemption, i);

    if (!r->matched
        && memcmp (r->ticket_hash, hash, LP_TICKET_HASH_SIZE) == 0) {
      r->matched = TRUE;
      return r;
    }
  }
  return NULL;
}

static void
set_redeemed (const ReceiptRedemption * r, guint64 round,
    LpRedemption * redemption)
{
  memset (redemption, 0, sizeof (*redemption));
  memcpy (redemption->ticket_hash, r->ticket_hash, LP_TICKET_HASH_SIZE);
  redemption->from_reserve = r->from_reserve;
  if (!lp_uint256_sub (&r->paid, &r->from_reserve, &redemption->from_deposit,
          NULL))
    lp_uint256_set_zero (&redemption->from_deposit);
  redemption->round = round;
}

/* A ticket of the batch without a WinningTicketRedeemed event: used means
 * redeemed before (by anyone), final; otherwise it is sent on its own,
 * which either redeems it (it ran out of the batch's gas) or gives the
 * TicketBroker's reason, and leaves the queue as a single redemption does. */
static void
settle_skipped (LpLedgerChain * self, const LpWinningTicket * winner,
    const guint8 hash[LP_TICKET_HASH_SIZE], LpRedemptionOutcome * outcome)
{
  gboolean used = FALSE;
  g_autofree gchar *text = NULL;

  if (!lp_chain_view_bool (self, LP_CHAIN_TICKET_BROKER,
          "usedTickets(bytes32)", &used, &outcome->error,
          lp_abi_value_new_bytes32 (hash), NULL))
    return;
  if (!used) {
    lp_chain_redeem_winning_ticket (LP_LEDGER (self), winner,
        &outcome->redemption, &outcome->error);
    return;
  }
  forget_ticket (self, hash);
  text = lp_hex_encode (hash, LP_TICKET_HASH_SIZE, TRUE);
  g_set_error (&outcome->error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_TICKET_USED,
      "Ticket %s is used: it was redeemed before (the batch skipped it and "
      "TicketBroker.usedTickets says so)", text);
}

/* One batchRedeemWinningTickets transaction for @n tickets (n >= 2). A
 * failed transaction is every ticket's error, and they stay queued; a
 * missing key fails the call instead (@error). */
static gboolean
redeem_batch (LpLedgerChain * self, const LpWinningTicket * tickets, guint n,
    const RoundClock * clock, LpRedemptionOutcome * outcomes, GError ** error)
{
  g_autoptr (LpEthReceipt) receipt = NULL;
  g_autoptr (GArray) redemptions = NULL;
  g_autoptr (GError) local = NULL;
  GPtrArray *values = g_ptr_array_new (), *sigs = g_ptr_array_new (),
      *rands = g_ptr_array_new ();

  for (guint i = 0; i < n; i++) {
    g_ptr_array_add (values, ticket_value (&tickets[i].ticket));
    g_ptr_array_add (sigs, lp_abi_value_new_bytes (tickets[i].sig,
            LP_SIGNATURE_SIZE));
    g_ptr_array_add (rands, lp_chain_u256_arg (&tickets[i].recipient_rand));
  }
  if (!lp_chain_send_any_gas (self, &tickets[0].ticket.recipient,
          LP_CHAIN_TICKET_BROKER, BATCH_BASE_GAS +
          (guint64) BATCH_GAS_PER_TICKET * n, &receipt, &local,
          "batchRedeemWinningTickets(" TICKET_TUPLE "[],bytes[],uint256[])",
          lp_abi_value_new_array (values), lp_abi_value_new_array (sigs),
          lp_abi_value_new_array (rands), NULL)) {
    if (g_error_matches (local, LP_LEDGER_ERROR, LP_LEDGER_ERROR_NO_SIGNER)) {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
    for (guint i = 0; i < n; i++)
      outcomes[i].error = g_error_copy (local);
    return TRUE;
  }
  redemptions = receipt_redemptions (self, receipt);
  for (guint i = 0; i < n; i++) {
    guint8 hash[LP_TICKET_HASH_SIZE];
    const ReceiptRedemption *r;

    lp_ticket_hash (&tickets[i].ticket, hash);
    r = match_redemption (redemptions, hash);
    if (r != NULL) {
      forget_ticket (self, hash);
      set_redeemed (r, round_at (clock, receipt->block_number),
          &outcomes[i].redemption);
    } else {
      settle_skipped (self, &tickets[i], hash, &outcomes[i]);
    }
  }
  return TRUE;
}

/* How many tickets one batch may hold: what the block gas limit leaves
 * room for at the gas set aside per ticket, at most BATCH_MAX_TICKETS. */
static gboolean
batch_capacity (LpLedgerChain * self, guint * capacity, GError ** error)
{
  LpEthBlock block;
  g_autoptr (GError) cause = NULL;
  guint64 fits = 0;

  if (!lp_eth_rpc_get_block (lp_chain_rpc (self), LP_ETH_BLOCK_LATEST,
          &block, &cause)) {
    lp_chain_map_error (self, cause, "the latest block", error);
    return FALSE;
  }
  if (block.gas_limit > BATCH_BASE_GAS)
    fits = (block.gas_limit - BATCH_BASE_GAS) / BATCH_GAS_PER_TICKET;
  *capacity = (guint) MIN (fits, BATCH_MAX_TICKETS);
  return TRUE;
}

gboolean
lp_chain_redeem_winning_tickets (LpLedger * ledger,
    const LpWinningTicket * tickets, guint n_tickets,
    LpRedemptionOutcome * outcomes, GError ** error)
{
  LpLedgerChain *self = SELF (ledger);
  g_autoptr (GError) local = NULL;
  RoundClock clock;
  guint capacity, done = 0;

  if (!batch_capacity (self, &capacity, error)
      || !read_round_clock (self, &clock, error))
    return FALSE;
  while (done < n_tickets) {
    guint n = MIN (n_tickets - done, MAX (capacity, 1));

    /* a batch of one costs more than the single call */
    if (n == 1)
      lp_chain_redeem_winning_ticket (ledger, &tickets[done],
          &outcomes[done].redemption, &outcomes[done].error);
    else if (!redeem_batch (self, tickets + done, n, &clock, outcomes + done,
            &local)) {
      /* nothing sent yet: the call failed as a whole */
      if (done == 0) {
        g_propagate_error (error, g_steal_pointer (&local));
        return FALSE;
      }
      for (guint i = done; i < n_tickets; i++)
        outcomes[i].error = g_error_copy (local);
      return TRUE;
    }
    done += n;
  }
  return TRUE;
}

/* ---- the queue ------------------------------------------------------------ */

gboolean
lp_chain_queue_winning_ticket (LpLedger * ledger,
    const LpWinningTicket * ticket, gboolean * added, GError ** error)
{
  LpChainQueue *queue = lp_chain_get_queue (SELF (ledger), error);

  *added = FALSE;
  return queue != NULL && lp_chain_queue_add (queue, ticket, added, error);
}

GArray *
lp_chain_list_queued_tickets (LpLedger * ledger, const LpAddress * recipient,
    GError ** error)
{
  LpLedgerChain *self = SELF (ledger);
  LpChainQueue *queue;

  /* listing must not create a queue where there is none */
  if (!g_file_test (lp_chain_queue_file (self), G_FILE_TEST_EXISTS))
    return g_array_new (FALSE, TRUE, sizeof (LpWinningTicket));
  queue = lp_chain_get_queue (self, error);
  return queue != NULL ? lp_chain_queue_list (queue, recipient, error) : NULL;
}

gboolean
lp_chain_drop_queued_ticket (LpLedger * ledger,
    const guint8 ticket_hash[LP_TICKET_HASH_SIZE], GError ** error)
{
  LpChainQueue *queue = lp_chain_get_queue (SELF (ledger), error);
  gboolean removed = FALSE;
  g_autofree gchar *text = NULL;

  if (queue == NULL || !lp_chain_queue_remove (queue, ticket_hash, FALSE,
          &removed, error))
    return FALSE;
  if (removed)
    return TRUE;
  text = lp_hex_encode (ticket_hash, LP_TICKET_HASH_SIZE, TRUE);
  g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_NOT_FOUND,
      "Ticket %s is not queued", text);
  return FALSE;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * The SQLite ledger's TicketBroker (docs/design/ledger.md, "TicketBroker"):
 * senders' deposits and reserves, funding, unlock, cancel unlock and
 * withdraw, winning-ticket checks and redemption with the reserve's
 * allocation, the redeemed-ticket list, an orchestrator's queue of winning
 * tickets waiting for redemption, and the vtable entries for them. The
 * fees a redemption pays enter the recipient's earnings pool through
 * lpledger-sqlite-stake.c.
 *
 * Every function taking a Tx runs inside a transaction, the ledger's lock
 * held (lpledger-sqlite.c); the lp_sqlite_* vtable entries open it.
 */
#include "lpledger-sqlite-private.h"

#include <string.h>

/* ---- TicketBroker ------------------------------------------------------- */

void
lp_sqlite_sender_init (Sender * s)
{
  mpz_inits (s->deposit, s->reserve, NULL);
  s->withdraw_round = 0;
}

void
lp_sqlite_sender_clear (Sender * s)
{
  mpz_clears (s->deposit, s->reserve, NULL);
}

gboolean
lp_sqlite_sender_load (Tx * tx, const LpAddress * address, Sender * s)
{
  sqlite3_stmt *stmt;
  gint rc = lp_sqlite_row_for_address (tx,
      "SELECT deposit, reserve, withdraw_round "
      "FROM senders WHERE address = ?", address, &stmt);

  if (rc < 0)
    return FALSE;
  if (rc == 0) {
    mpz_set_ui (s->deposit, 0);
    mpz_set_ui (s->reserve, 0);
    s->withdraw_round = 0;
    return TRUE;
  }
  lp_sqlite_column_mpz (stmt, 0, s->deposit);
  lp_sqlite_column_mpz (stmt, 1, s->reserve);
  s->withdraw_round = sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

static gboolean
sender_store (Tx * tx, const LpAddress * address, const Sender * s)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx,
      "INSERT OR REPLACE INTO senders (address, "
      "deposit, reserve, withdraw_round) VALUES (?, ?, ?, ?)");

  if (stmt == NULL)
    return FALSE;
  lp_sqlite_bind_address (stmt, 1, address);
  if (!lp_sqlite_bind_mpz (tx, stmt, 2, s->deposit)
      || !lp_sqlite_bind_mpz (tx, stmt, 3, s->reserve))
    return FALSE;
  sqlite3_bind_int64 (stmt, 4, s->withdraw_round);
  return lp_sqlite_step_done (tx, stmt);
}

static gboolean
sender_is_unlocked (Tx * tx, const Sender * s)
{
  return s->withdraw_round > 0 && (gint64) tx->round >= s->withdraw_round;
}

static gboolean
do_fund (Tx * tx, const LpAddress * address, const mpz_t deposit,
    const mpz_t reserve)
{
  Sender s;
  mpz_t total;
  gboolean ok = FALSE;

  lp_sqlite_sender_init (&s);
  mpz_init (total);
  mpz_add (total, deposit, reserve);
  if (mpz_sgn (total) == 0) {
    lp_sqlite_refuse (tx, "Fund: give a deposit, a reserve or both");
    goto done;
  }
  if (!lp_sqlite_balance_debit (tx, address, lp_sqlite_fee_asset (tx), total,
          "deposit")
      || !lp_sqlite_sender_load (tx, address, &s))
    goto done;
  mpz_add (s.deposit, s.deposit, deposit);
  mpz_add (s.reserve, s.reserve, reserve);
  /* funding cancels an unlock in progress, even one already due */
  s.withdraw_round = 0;
  ok = sender_store (tx, address, &s)
      && lp_sqlite_state_add_mpz (tx, "fees-funded", total);
done:
  mpz_clear (total);
  lp_sqlite_sender_clear (&s);
  return ok;
}

static gboolean
do_unlock (Tx * tx, const LpAddress * address)
{
  Sender s;
  gboolean ok = FALSE;

  lp_sqlite_sender_init (&s);
  if (!lp_sqlite_sender_load (tx, address, &s))
    goto done;
  if (mpz_sgn (s.deposit) == 0 && mpz_sgn (s.reserve) == 0) {
    lp_sqlite_refuse (tx, "Unlock: %s has neither deposit nor reserve",
        lp_sqlite_address_text (address).text);
    goto done;
  }
  if (s.withdraw_round > 0) {
    lp_sqlite_refuse (tx, "Unlock: already unlocking (withdrawable from round %"
        G_GINT64_FORMAT ")", s.withdraw_round);
    goto done;
  }
  s.withdraw_round = (gint64) (tx->round + tx->params.unlock_period);
  ok = sender_store (tx, address, &s);
done:
  lp_sqlite_sender_clear (&s);
  return ok;
}

static gboolean
do_cancel_unlock (Tx * tx, const LpAddress * address)
{
  Sender s;
  gboolean ok = FALSE;

  lp_sqlite_sender_init (&s);
  if (!lp_sqlite_sender_load (tx, address, &s))
    goto done;
  if (s.withdraw_round == 0) {
    lp_sqlite_refuse (tx, "Cancel unlock: %s is not unlocking",
        lp_sqlite_address_text (address).text);
    goto done;
  }
  s.withdraw_round = 0;
  ok = sender_store (tx, address, &s);
done:
  lp_sqlite_sender_clear (&s);
  return ok;
}

static gboolean
do_withdraw (Tx * tx, const LpAddress * address)
{
  Sender s;
  mpz_t total;
  gboolean ok = FALSE;

  lp_sqlite_sender_init (&s);
  mpz_init (total);
  if (!lp_sqlite_sender_load (tx, address, &s))
    goto done;
  if (mpz_sgn (s.deposit) == 0 && mpz_sgn (s.reserve) == 0) {
    lp_sqlite_refuse (tx, "Withdraw: %s has neither deposit nor reserve",
        lp_sqlite_address_text (address).text);
    goto done;
  }
  if (!sender_is_unlocked (tx, &s)) {
    if (s.withdraw_round == 0)
      lp_sqlite_refuse (tx, "Withdraw: unlock first (lpctl unlock), then wait %"
          G_GUINT64_FORMAT " rounds", tx->params.unlock_period);
    else
      lp_sqlite_refuse (tx, "Withdraw: the deposit is locked until round %"
          G_GINT64_FORMAT " (now round %" G_GUINT64_FORMAT ")",
          s.withdraw_round, tx->round);
    goto done;
  }
  mpz_add (total, s.deposit, s.reserve);
  mpz_set_ui (s.deposit, 0);
  mpz_set_ui (s.reserve, 0);
  /* TicketBroker.withdraw() leaves withdrawRound set: cancel_unlock stays
   * possible and the next funding cancels the unlock */
  ok = sender_store (tx, address, &s)
      && lp_sqlite_balance_credit (tx, address, lp_sqlite_fee_asset (tx), total)
      && lp_sqlite_state_add_mpz (tx, "fees-withdrawn-by-senders", total);
done:
  mpz_clear (total);
  lp_sqlite_sender_clear (&s);
  return ok;
}

static gboolean
reserve_claimed (Tx * tx, const LpAddress * sender, const LpAddress * claimant,
    mpz_t for_round, mpz_t by_claimant)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx,
      "SELECT claimant, amount FROM reserve_claims "
      "WHERE sender = ? AND round = ?");
  gint rc;
  mpz_t amount;

  if (stmt == NULL)
    return FALSE;
  mpz_set_ui (for_round, 0);
  mpz_set_ui (by_claimant, 0);
  mpz_init (amount);
  lp_sqlite_bind_address (stmt, 1, sender);
  sqlite3_bind_int64 (stmt, 2, (gint64) tx->round);
  while ((rc = lp_sqlite_step (tx, stmt)) == 1) {
    LpAddress who;
    lp_sqlite_column_address (stmt, 0, &who);
    lp_sqlite_column_mpz (stmt, 1, amount);
    mpz_add (for_round, for_round, amount);
    if (lp_address_equal (&who, claimant))
      mpz_set (by_claimant, amount);
  }
  mpz_clear (amount);
  return rc == 0;
}

/* MixinReserve.claimFromReserve(): what @claimant may take from @sender's
 * reserve this round, up to @wanted; updates the reserve in @s. */
static gboolean
claim_from_reserve (Tx * tx, const LpAddress * sender, Sender * s,
    const LpAddress * claimant, const mpz_t wanted, mpz_t claimed)
{
  Transcoder t;
  mpz_t for_round, by_claimant, allocation;
  guint64 size;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  mpz_set_ui (claimed, 0);
  lp_sqlite_transcoder_init (&t);
  mpz_inits (for_round, by_claimant, allocation, NULL);
  if (!lp_sqlite_transcoder_load (tx, claimant, &t)
      || !lp_sqlite_pool_size (tx, &size))
    goto done;
  if (!lp_sqlite_is_active (tx, &t) || size == 0) {
    ok = TRUE;
    goto done;
  }
  if (!reserve_claimed (tx, sender, claimant, for_round, by_claimant))
    goto done;
  mpz_add (allocation, s->reserve, for_round);
  mpz_fdiv_q_ui (allocation, allocation, size);
  mpz_sub (allocation, allocation, by_claimant);
  if (mpz_sgn (allocation) < 0) {
    /* the pool grew since the claimant took its share: the contract's
     * subtraction underflows and the whole redemption reverts (the ticket
     * stays unused) */
    lp_sqlite_refuse (tx,
        "Redeem: %s already took more from %s's reserve this round "
        "than its share now that the active set has %" G_GUINT64_FORMAT
        " members; retry next round", lp_sqlite_address_text (claimant).text,
        lp_sqlite_address_text (sender).text, size);
    goto done;
  }
  mpz_set (claimed, mpz_cmp (wanted, allocation) > 0 ? allocation : wanted);
  if (mpz_sgn (claimed) == 0) {
    ok = TRUE;
    goto done;
  }
  mpz_sub (s->reserve, s->reserve, claimed);
  mpz_add (by_claimant, by_claimant, claimed);
  stmt = lp_sqlite_prep (tx,
      "INSERT OR REPLACE INTO reserve_claims (sender, round, "
      "claimant, amount) VALUES (?, ?, ?, ?)");
  if (stmt == NULL)
    goto done;
  lp_sqlite_bind_address (stmt, 1, sender);
  sqlite3_bind_int64 (stmt, 2, (gint64) tx->round);
  lp_sqlite_bind_address (stmt, 3, claimant);
  ok = lp_sqlite_bind_mpz (tx, stmt, 4, by_claimant)
      && lp_sqlite_step_done (tx, stmt);
done:
  mpz_clears (for_round, by_claimant, allocation, NULL);
  lp_sqlite_transcoder_clear (&t);
  return ok;
}

static gboolean
ticket_is_used (Tx * tx, const guint8 hash[LP_TICKET_HASH_SIZE],
    gboolean * used)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx,
      "SELECT 1 FROM tickets WHERE hash = ?");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, LP_TICKET_HASH_SIZE, SQLITE_TRANSIENT);
  rc = lp_sqlite_step (tx, stmt);
  *used = rc == 1;
  return rc >= 0;
}

/* requireValidWinningTicket(), in the TicketBroker's order */
static gboolean
check_winning_ticket (Tx * tx, const LpWinningTicket * winner,
    const guint8 hash[LP_TICKET_HASH_SIZE])
{
  const LpTicket *ticket = &winner->ticket;
  const LpExpirationParams *aux = &ticket->expiration_params;
  guint8 recorded[LP_KECCAK256_SIZE], rand_hash[LP_KECCAK256_SIZE];
  g_autoptr (GError) sig_error = NULL;
  gboolean found, used;

  if (lp_address_is_zero (&ticket->recipient))
    return lp_sqlite_refuse (tx,
        "Redeem: the ticket recipient is the zero address");
  if (lp_address_is_zero (&ticket->sender))
    return lp_sqlite_refuse (tx,
        "Redeem: the ticket sender is the zero address");
  if (!lp_sqlite_round_block_hash (tx, (gint64) aux->creation_round, recorded,
          &found))
    return FALSE;
  if (!found)
    return lp_sqlite_refuse (tx,
        "Redeem: the ticket's creation round %" G_GUINT64_FORMAT
        " has no block hash (never initialized)", aux->creation_round);
  if (memcmp (recorded, aux->creation_round_block_hash, sizeof (recorded)))
    return lp_sqlite_refuse (tx,
        "Redeem: the ticket's block hash is not round %"
        G_GUINT64_FORMAT "'s", aux->creation_round);
  if (aux->creation_round + tx->params.ticket_validity_period <= tx->round)
    return lp_sqlite_refuse (tx,
        "Redeem: the ticket expired (created in round %"
        G_GUINT64_FORMAT ", valid %" G_GUINT64_FORMAT " rounds, now round %"
        G_GUINT64_FORMAT ")", aux->creation_round,
        tx->params.ticket_validity_period, tx->round);
  lp_ticket_recipient_rand_hash (&winner->recipient_rand, rand_hash);
  if (memcmp (rand_hash, ticket->recipient_rand_hash, sizeof (rand_hash)))
    return lp_sqlite_refuse (tx,
        "Redeem: recipientRand does not match the ticket's "
        "recipientRandHash");
  if (!ticket_is_used (tx, hash, &used))
    return FALSE;
  if (used) {
    /* its own code: a redemption worker drops the ticket for good on it,
     * as go-livepeer does on the contract's "ticket already used" */
    if (tx->error == NULL)
      g_set_error (&tx->error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_TICKET_USED,
          "Redeem: the ticket is already used");
    return FALSE;
  }
  if (!lp_ticket_verify (ticket, winner->sig, sizeof (winner->sig), &sig_error))
    return lp_sqlite_refuse (tx,
        "Redeem: invalid signature over the ticket hash (%s)",
        sig_error->message);
  if (!lp_ticket_wins (winner->sig, &winner->recipient_rand, &ticket->win_prob))
    return lp_sqlite_refuse (tx, "Redeem: the ticket did not win");
  return TRUE;
}

static gboolean
record_ticket (Tx * tx, const LpTicket * ticket,
    const guint8 hash[LP_TICKET_HASH_SIZE], const mpz_t paid)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx, "INSERT INTO tickets (hash, sender, "
      "recipient, face_value, paid, round, block) VALUES (?, ?, ?, ?, ?, ?, ?)");
  mpz_t face_value;
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  mpz_init (face_value);
  lp_sqlite_mpz_from_uint256 (face_value, &ticket->face_value);
  sqlite3_bind_blob (stmt, 1, hash, LP_TICKET_HASH_SIZE, SQLITE_TRANSIENT);
  lp_sqlite_bind_address (stmt, 2, &ticket->sender);
  lp_sqlite_bind_address (stmt, 3, &ticket->recipient);
  ok = lp_sqlite_bind_mpz (tx, stmt, 4, face_value)
      && lp_sqlite_bind_mpz (tx, stmt, 5, paid);
  sqlite3_bind_int64 (stmt, 6, (gint64) tx->round);
  sqlite3_bind_int64 (stmt, 7, (gint64) tx->block);
  ok = ok && lp_sqlite_step_done (tx, stmt);
  mpz_clear (face_value);
  return ok;
}

/* Takes a ticket out of the redemption queue; not being queued is no
 * error here (sqlite3_changes() tells). */
static gboolean
unqueue (Tx * tx, const guint8 hash[LP_TICKET_HASH_SIZE])
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx,
      "DELETE FROM queued_tickets WHERE hash = ?");

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, LP_TICKET_HASH_SIZE, SQLITE_TRANSIENT);
  return lp_sqlite_step_done (tx, stmt);
}

static gboolean
do_redeem (Tx * tx, const LpWinningTicket * winner, LpRedemption * out)
{
  const LpTicket *ticket = &winner->ticket;
  guint8 hash[LP_TICKET_HASH_SIZE];
  Sender s;
  mpz_t face_value, from_deposit, from_reserve, shortfall, paid;
  gboolean ok = FALSE;

  if (!lp_sqlite_require_round_initialized (tx))
    return FALSE;
  lp_ticket_hash (ticket, hash);
  if (!check_winning_ticket (tx, winner, hash))
    return FALSE;
  lp_sqlite_sender_init (&s);
  mpz_inits (face_value, from_deposit, from_reserve, shortfall, paid, NULL);
  if (!lp_sqlite_sender_load (tx, &ticket->sender, &s))
    goto done;
  if (sender_is_unlocked (tx, &s)) {
    lp_sqlite_refuse (tx,
        "Redeem: the sender %s is unlocked (withdrawable since round "
        "%" G_GINT64_FORMAT ")", lp_sqlite_address_text (&ticket->sender).text,
        s.withdraw_round);
    goto done;
  }
  if (mpz_sgn (s.deposit) == 0 && mpz_sgn (s.reserve) == 0) {
    lp_sqlite_refuse (tx, "Redeem: the sender's deposit and reserve are zero");
    goto done;
  }
  lp_sqlite_mpz_from_uint256 (face_value, &ticket->face_value);
  if (mpz_cmp (face_value, s.deposit) > 0) {
    mpz_set (from_deposit, s.deposit);
    mpz_sub (shortfall, face_value, s.deposit);
    mpz_set_ui (s.deposit, 0);
    if (!claim_from_reserve (tx, &ticket->sender, &s, &ticket->recipient,
            shortfall, from_reserve))
      goto done;
  } else {
    mpz_set (from_deposit, face_value);
    mpz_sub (s.deposit, s.deposit, face_value);
  }
  mpz_add (paid, from_deposit, from_reserve);
  /* used now, even when nothing was paid: out of the queue in the same
   * transaction, so that a crash cannot leave it redeemed and queued */
  if (!sender_store (tx, &ticket->sender, &s)
      || !record_ticket (tx, ticket, hash, paid) || !unqueue (tx, hash))
    goto done;
  if (mpz_sgn (paid) > 0
      && (!lp_sqlite_update_transcoder_with_fees (tx, &ticket->recipient, paid)
          || !lp_sqlite_state_add_mpz (tx, "minter-fees", paid)
          || !lp_sqlite_state_add_mpz (tx, "fees-paid", paid)))
    goto done;
  if (out != NULL) {
    memcpy (out->ticket_hash, hash, sizeof (hash));
    lp_sqlite_mpz_to_uint256 (from_deposit, &out->from_deposit);
    lp_sqlite_mpz_to_uint256 (from_reserve, &out->from_reserve);
    out->round = tx->round;
  }
  ok = TRUE;
done:
  mpz_clears (face_value, from_deposit, from_reserve, shortfall, paid, NULL);
  lp_sqlite_sender_clear (&s);
  return ok;
}

/* ---- the redemption queue ----------------------------------------------- */

/* Not the contract's state but the orchestrator's: winners wait here until
 * their parameters expire, as go-livepeer keeps them in its database. */

static void
bind_uint256 (sqlite3_stmt * stmt, gint index, const LpUint256 * value)
{
  sqlite3_bind_blob (stmt, index, value->be, LP_UINT256_SIZE,
      SQLITE_TRANSIENT);
}

static gboolean
do_queue (Tx * tx, const LpWinningTicket * winner, gboolean * added)
{
  const LpTicket *ticket = &winner->ticket;
  const LpExpirationParams *aux = &ticket->expiration_params;
  guint8 hash[LP_TICKET_HASH_SIZE];
  sqlite3_stmt *stmt;
  gboolean used;

  *added = FALSE;
  lp_ticket_hash (ticket, hash);
  if (!ticket_is_used (tx, hash, &used))
    return FALSE;
  /* a winner replayed after its redemption: nothing is left to do */
  if (used)
    return TRUE;
  /* queued already: the first copy stays. The hash leaves out the
   * signature, recipientRand and the expiration block, but the recipient
   * checked every copy before queueing it, so either would do. */
  stmt = lp_sqlite_prep (tx,
      "INSERT INTO queued_tickets (hash, recipient, sender, "
      "face_value, win_prob, sender_nonce, recipient_rand_hash, "
      "creation_round, creation_round_block_hash, sig, recipient_rand, "
      "params_expiration_block) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (hash) DO NOTHING");
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, LP_TICKET_HASH_SIZE, SQLITE_TRANSIENT);
  lp_sqlite_bind_address (stmt, 2, &ticket->recipient);
  lp_sqlite_bind_address (stmt, 3, &ticket->sender);
  bind_uint256 (stmt, 4, &ticket->face_value);
  bind_uint256 (stmt, 5, &ticket->win_prob);
  sqlite3_bind_int64 (stmt, 6, ticket->sender_nonce);
  sqlite3_bind_blob (stmt, 7, ticket->recipient_rand_hash,
      sizeof (ticket->recipient_rand_hash), SQLITE_TRANSIENT);
  /* SQLite integers are signed: the 64 bits go through unchanged */
  sqlite3_bind_int64 (stmt, 8, (gint64) aux->creation_round);
  sqlite3_bind_blob (stmt, 9, aux->creation_round_block_hash,
      sizeof (aux->creation_round_block_hash), SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 10, winner->sig, sizeof (winner->sig),
      SQLITE_TRANSIENT);
  bind_uint256 (stmt, 11, &winner->recipient_rand);
  sqlite3_bind_int64 (stmt, 12, (gint64) winner->params_expiration_block);
  if (!lp_sqlite_step_done (tx, stmt))
    return FALSE;
  *added = sqlite3_changes (tx->db) > 0;
  return TRUE;
}

static gboolean
read_queued_tickets (Tx * tx, const LpAddress * recipient, GArray * out)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx, recipient != NULL ?
      "SELECT recipient, sender, face_value, win_prob, sender_nonce, "
      "recipient_rand_hash, creation_round, creation_round_block_hash, sig, "
      "recipient_rand, params_expiration_block FROM queued_tickets "
      "WHERE recipient = ? ORDER BY seq" :
      "SELECT recipient, sender, face_value, win_prob, sender_nonce, "
      "recipient_rand_hash, creation_round, creation_round_block_hash, sig, "
      "recipient_rand, params_expiration_block FROM queued_tickets "
      "ORDER BY seq");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  if (recipient != NULL)
    lp_sqlite_bind_address (stmt, 1, recipient);
  while ((rc = lp_sqlite_step (tx, stmt)) == 1) {
    LpWinningTicket w;
    LpTicket *t = &w.ticket;

    /* padding too: callers may compare whole structs */
    memset (&w, 0, sizeof (w));
    lp_sqlite_column_address (stmt, 0, &t->recipient);
    lp_sqlite_column_address (stmt, 1, &t->sender);
    lp_sqlite_column_bytes (stmt, 2, t->face_value.be, LP_UINT256_SIZE);
    lp_sqlite_column_bytes (stmt, 3, t->win_prob.be, LP_UINT256_SIZE);
    t->sender_nonce = (guint32) sqlite3_column_int64 (stmt, 4);
    lp_sqlite_column_bytes (stmt, 5, t->recipient_rand_hash,
        sizeof (t->recipient_rand_hash));
    t->expiration_params.creation_round =
        (guint64) sqlite3_column_int64 (stmt, 6);
    lp_sqlite_column_bytes (stmt, 7,
        t->expiration_params.creation_round_block_hash,
        sizeof (t->expiration_params.creation_round_block_hash));
    lp_sqlite_column_bytes (stmt, 8, w.sig, sizeof (w.sig));
    lp_sqlite_column_bytes (stmt, 9, w.recipient_rand.be, LP_UINT256_SIZE);
    w.params_expiration_block = (guint64) sqlite3_column_int64 (stmt, 10);
    g_array_append_val (out, w);
  }
  return rc == 0;
}

static gboolean
do_drop_queued (Tx * tx, const guint8 hash[LP_TICKET_HASH_SIZE])
{
  g_autofree gchar *text = NULL;

  if (!unqueue (tx, hash))
    return FALSE;
  if (sqlite3_changes (tx->db) > 0)
    return TRUE;
  text = lp_hex_encode (hash, LP_TICKET_HASH_SIZE, TRUE);
  g_set_error (&tx->error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_NOT_FOUND,
      "Ticket %s is not queued", text);
  return FALSE;
}

/* ---- reading ------------------------------------------------------------ */

static gboolean
read_tickets (Tx * tx, const LpAddress * recipient, GArray * out)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx, recipient != NULL ?
      "SELECT hash, sender, recipient, face_value, paid, round, block FROM "
      "tickets WHERE recipient = ? ORDER BY seq" :
      "SELECT hash, sender, recipient, face_value, paid, round, block FROM "
      "tickets ORDER BY seq");
  mpz_t value;
  gint rc;

  if (stmt == NULL)
    return FALSE;
  if (recipient != NULL)
    lp_sqlite_bind_address (stmt, 1, recipient);
  mpz_init (value);
  while ((rc = lp_sqlite_step (tx, stmt)) == 1) {
    LpRedeemedTicket ticket;
    memset (&ticket, 0, sizeof (ticket));
    if (sqlite3_column_bytes (stmt, 0) == LP_TICKET_HASH_SIZE)
      memcpy (ticket.ticket_hash, sqlite3_column_blob (stmt, 0),
          LP_TICKET_HASH_SIZE);
    lp_sqlite_column_address (stmt, 1, &ticket.sender);
    lp_sqlite_column_address (stmt, 2, &ticket.recipient);
    lp_sqlite_column_mpz (stmt, 3, value);
    lp_sqlite_set_u256 (&ticket.face_value, value);
    lp_sqlite_column_mpz (stmt, 4, value);
    lp_sqlite_set_u256 (&ticket.paid, value);
    ticket.round = (guint64) sqlite3_column_int64 (stmt, 5);
    ticket.block = (guint64) sqlite3_column_int64 (stmt, 6);
    g_array_append_val (out, ticket);
  }
  mpz_clear (value);
  return rc == 0;
}

/* ---- the interface ------------------------------------------------------ */

gboolean
lp_sqlite_fund (LpLedger * ledger, const LpAddress * sender,
    const LpUint256 * deposit, const LpUint256 * reserve, GError ** error)
{
  mpz_t d, r;
  Tx tx;
  gboolean ok;

  if (!lp_sqlite_tx_begin (SELF (ledger), &tx, TRUE, error))
    return FALSE;
  mpz_inits (d, r, NULL);
  if (deposit != NULL)
    lp_sqlite_mpz_from_uint256 (d, deposit);
  if (reserve != NULL)
    lp_sqlite_mpz_from_uint256 (r, reserve);
  ok = do_fund (&tx, sender, d, r);
  mpz_clears (d, r, NULL);
  return lp_sqlite_tx_end (&tx, ok, error);
}

gboolean
lp_sqlite_unlock (LpLedger * ledger, const LpAddress * sender, GError ** error)
{
  IN_TX (ledger, TRUE, do_unlock (&tx, sender));
}

gboolean
lp_sqlite_cancel_unlock (LpLedger * ledger, const LpAddress * sender,
    GError ** error)
{
  IN_TX (ledger, TRUE, do_cancel_unlock (&tx, sender));
}

gboolean
lp_sqlite_withdraw (LpLedger * ledger, const LpAddress * sender,
    GError ** error)
{
  IN_TX (ledger, TRUE, do_withdraw (&tx, sender));
}

static gboolean
read_sender_info (Tx * tx, const LpAddress * address, LpSenderInfo * info)
{
  Sender s;
  gboolean ok;

  memset (info, 0, sizeof (*info));
  lp_sqlite_sender_init (&s);
  ok = lp_sqlite_sender_load (tx, address, &s);
  lp_sqlite_set_u256 (&info->deposit, s.deposit);
  lp_sqlite_set_u256 (&info->reserve, s.reserve);
  info->withdraw_round = (guint64) s.withdraw_round;
  info->last_initialized_round = tx->last_initialized_round < 0 ? 0 :
      (guint64) tx->last_initialized_round;
  info->last_seen_block = tx->block;
  lp_sqlite_sender_clear (&s);
  return ok;
}

gboolean
lp_sqlite_get_sender_info (LpLedger * ledger, const LpAddress * sender,
    LpSenderInfo * info, GError ** error)
{
  IN_TX (ledger, FALSE, read_sender_info (&tx, sender, info));
}

gboolean
lp_sqlite_redeem_winning_ticket (LpLedger * ledger,
    const LpWinningTicket * ticket, LpRedemption * redemption,
    GError ** error)
{
  IN_TX (ledger, TRUE, do_redeem (&tx, ticket, redemption));
}

GArray *
lp_sqlite_list_redeemed_tickets (LpLedger * ledger, const LpAddress * recipient,
    GError ** error)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (LpRedeemedTicket));
  Tx tx;

  if (!lp_sqlite_tx_begin (SELF (ledger), &tx, FALSE, error)
      || !lp_sqlite_tx_end (&tx, read_tickets (&tx, recipient, out), error)) {
    g_array_unref (out);
    return NULL;
  }
  return out;
}

gboolean
lp_sqlite_queue_winning_ticket (LpLedger * ledger,
    const LpWinningTicket * ticket, gboolean * added, GError ** error)
{
  IN_TX (ledger, TRUE, do_queue (&tx, ticket, added));
}

GArray *
lp_sqlite_list_queued_tickets (LpLedger * ledger, const LpAddress * recipient,
    GError ** error)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (LpWinningTicket));
  Tx tx;

  if (!lp_sqlite_tx_begin (SELF (ledger), &tx, FALSE, error)
      || !lp_sqlite_tx_end (&tx, read_queued_tickets (&tx, recipient, out),
          error)) {
    g_array_unref (out);
    return NULL;
  }
  return out;
}

gboolean
lp_sqlite_drop_queued_ticket (LpLedger * ledger,
    const guint8 ticket_hash[LP_TICKET_HASH_SIZE], GError ** error)
{
  IN_TX (ledger, TRUE, do_drop_queued (&tx, ticket_hash));
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * What the SQLite ledger's files share (lpledger-sqlite.c and
 * lpledger-sqlite-*.c); not installed and not API: every function and
 * variable here is G_GNUC_INTERNAL, hidden outside the library. Grouped by
 * the file that defines them.
 *
 * Locking: a function that takes a Tx runs inside a transaction, between
 * lp_sqlite_tx_begin() and lp_sqlite_tx_end(), with the ledger's lock held;
 * it never takes the lock. The vtable entries (lp_sqlite_* taking an
 * LpLedger) take it, through those two or IN_TX().
 */
#pragma once

#include "lpledger-private.h"

#include <gmp.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define LP_TYPE_LEDGER_SQLITE (lp_ledger_sqlite_get_type ())
G_DECLARE_FINAL_TYPE (LpLedgerSqlite, lp_ledger_sqlite, LP, LEDGER_SQLITE,
    GObject)

/* ---- lpledger-sqlite.c: transactions, storage, arithmetic --------------- */

/* One transaction: the ledger, its connection, the first error, and the
 * parameters, block and round read when it began. */
typedef struct
{
  LpLedgerSqlite *self;
  sqlite3 *db;
  GError *error;
  LpLedgerParams params;
  guint64 block;
  guint64 round;
  gint64 last_initialized_round;        /* -1: none */
} Tx;

typedef enum
{
  ASSET_LPT,
  ASSET_ETH,
} Asset;

typedef struct
{
  gchar text[LP_ADDRESS_TEXT_SIZE];
} AddressText;

static inline AddressText
lp_sqlite_address_text (const LpAddress * address)
{
  AddressText out;

  lp_address_format (address, out.text);
  return out;
}

G_GNUC_INTERNAL
extern mpz_t lp_sqlite_perc_divisor;

G_GNUC_INTERNAL
extern mpz_t lp_sqlite_minter_divisor;

G_GNUC_INTERNAL
extern mpz_t lp_sqlite_precise_divisor;

G_GNUC_INTERNAL
void lp_sqlite_perc_points (mpz_t out, const mpz_t n, const mpz_t d,
    const mpz_t divisor);

G_GNUC_INTERNAL
void lp_sqlite_perc_of (mpz_t out, const mpz_t a, const mpz_t p,
    const mpz_t divisor);

G_GNUC_INTERNAL
void lp_sqlite_perc_of_ui (mpz_t out, const mpz_t a, guint64 p,
    const mpz_t divisor);

G_GNUC_INTERNAL
void lp_sqlite_perc_of_fraction (mpz_t out, const mpz_t a, const mpz_t n,
    const mpz_t d, const mpz_t divisor);

G_GNUC_INTERNAL
void lp_sqlite_mpz_from_uint256 (mpz_t out, const LpUint256 * value);

G_GNUC_INTERNAL
void lp_sqlite_mpz_to_uint256 (const mpz_t value, LpUint256 * out);

G_GNUC_INTERNAL
gboolean lp_sqlite_storage_error (Tx * tx, const gchar * what);

G_GNUC_INTERNAL G_GNUC_PRINTF (2, 3)
gboolean lp_sqlite_refuse (Tx * tx, const gchar * format, ...);

G_GNUC_INTERNAL
sqlite3_stmt *lp_sqlite_prep (Tx * tx, const gchar * sql);

G_GNUC_INTERNAL
gint lp_sqlite_step (Tx * tx, sqlite3_stmt * stmt);

G_GNUC_INTERNAL
gboolean lp_sqlite_step_done (Tx * tx, sqlite3_stmt * stmt);

/* Prepare, bind and step to the first row of a query by address, round or
 * both (bound in that order): 1 with *@stmt on the row, 0 when there is
 * none, -1 on failure (error set) */
G_GNUC_INTERNAL
gint lp_sqlite_row_for_address (Tx * tx, const gchar * sql,
    const LpAddress * address, sqlite3_stmt ** stmt);

G_GNUC_INTERNAL
gint lp_sqlite_row_for_round (Tx * tx, const gchar * sql, gint64 round,
    sqlite3_stmt ** stmt);

G_GNUC_INTERNAL
gint lp_sqlite_row_for_address_round (Tx * tx, const gchar * sql,
    const LpAddress * address, gint64 round, sqlite3_stmt ** stmt);

/* Column 0 of the row a lp_sqlite_row_for_*() answer @rc found, or 0 when
 * it found none; FALSE when it failed */
G_GNUC_INTERNAL
gboolean lp_sqlite_row_mpz (gint rc, sqlite3_stmt * stmt, mpz_t value);

G_GNUC_INTERNAL
void lp_sqlite_bind_address (sqlite3_stmt * stmt, gint index,
    const LpAddress * address);

G_GNUC_INTERNAL
gboolean lp_sqlite_bind_mpz (Tx * tx, sqlite3_stmt * stmt, gint index,
    const mpz_t value);

G_GNUC_INTERNAL
void lp_sqlite_column_mpz (sqlite3_stmt * stmt, gint index, mpz_t out);

G_GNUC_INTERNAL
void lp_sqlite_column_address (sqlite3_stmt * stmt, gint index,
    LpAddress * out);

G_GNUC_INTERNAL
void lp_sqlite_column_bytes (sqlite3_stmt * stmt, gint index, guint8 * out,
    gsize size);

G_GNUC_INTERNAL
gboolean lp_sqlite_state_get_i64 (Tx * tx, const gchar * name, gint64 fallback,
    gint64 * value);

G_GNUC_INTERNAL
gboolean lp_sqlite_state_set_i64 (Tx * tx, const gchar * name, gint64 value);

G_GNUC_INTERNAL
gboolean lp_sqlite_state_get_mpz (Tx * tx, const gchar * name, mpz_t value);

G_GNUC_INTERNAL
gboolean lp_sqlite_state_set_mpz (Tx * tx, const gchar * name,
    const mpz_t value);

G_GNUC_INTERNAL
gboolean lp_sqlite_state_add_mpz (Tx * tx, const gchar * name,
    const mpz_t delta);

G_GNUC_INTERNAL
gboolean lp_sqlite_state_sub_mpz (Tx * tx, const gchar * name,
    const mpz_t delta);

G_GNUC_INTERNAL
gboolean lp_sqlite_params_store (Tx * tx, const LpLedgerParams * params);

G_GNUC_INTERNAL
gboolean lp_sqlite_tx_begin (LpLedgerSqlite * self, Tx * tx, gboolean write,
    GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_tx_end (Tx * tx, gboolean ok, GError ** error);

G_GNUC_INTERNAL
Asset lp_sqlite_fee_asset (Tx * tx);

G_GNUC_INTERNAL
gboolean lp_sqlite_balance_get (Tx * tx, const LpAddress * address, Asset asset,
    mpz_t value);

G_GNUC_INTERNAL
gboolean lp_sqlite_balance_credit (Tx * tx, const LpAddress * address,
    Asset asset, const mpz_t amount);

G_GNUC_INTERNAL
gboolean lp_sqlite_balance_debit (Tx * tx, const LpAddress * address,
    Asset asset, const mpz_t amount, const gchar * purpose);

G_GNUC_INTERNAL
gchar *lp_sqlite_amount_text (const mpz_t value);

G_GNUC_INTERNAL
void lp_sqlite_set_u256 (LpUint256 * out, const mpz_t value);

/* vtable entries: each takes the lock itself */
G_GNUC_INTERNAL
gboolean lp_sqlite_check_storage (LpLedger * ledger, GString * report,
    GError ** error);

#define SELF(ledger) LP_LEDGER_SQLITE (ledger)

/* Runs @body inside a transaction: write or read only. */
#define IN_TX(ledger, write, body) \
  G_STMT_START { \
    Tx tx; \
    gboolean ok_; \
    if (!lp_sqlite_tx_begin (SELF (ledger), &tx, write, error)) \
      return FALSE; \
    ok_ = (body); \
    return lp_sqlite_tx_end (&tx, ok_, error); \
  } G_STMT_END

/* IN_TX (writing) for a rule that works out an amount: @body sees it as
 * the mpz_t `value`, copied to @out (a LpUint256 *, optional) when the
 * rule succeeds */
#define IN_TX_AMOUNT(ledger, out, body) \
  G_STMT_START { \
    Tx tx; \
    mpz_t value; \
    gboolean ok_; \
    if (!lp_sqlite_tx_begin (SELF (ledger), &tx, TRUE, error)) \
      return FALSE; \
    mpz_init (value); \
    ok_ = (body); \
    if (ok_ && (out) != NULL) \
      lp_sqlite_mpz_to_uint256 (value, (out)); \
    mpz_clear (value); \
    return lp_sqlite_tx_end (&tx, ok_, error); \
  } G_STMT_END

/* ---- lpledger-sqlite-rounds.c: RoundsManager and Minter ----------------- */

G_GNUC_INTERNAL
gboolean lp_sqlite_load_time (Tx * tx);

G_GNUC_INTERNAL
guint64 lp_sqlite_current_round_start_block (Tx * tx);

G_GNUC_INTERNAL
gboolean lp_sqlite_current_round_locked (Tx * tx);

G_GNUC_INTERNAL
gboolean lp_sqlite_require_round_initialized (Tx * tx);

G_GNUC_INTERNAL
gboolean lp_sqlite_round_get_mint (Tx * tx, gint64 round, mpz_t mintable,
    mpz_t minted);

G_GNUC_INTERNAL
gboolean lp_sqlite_do_initialize_round (Tx * tx);

G_GNUC_INTERNAL
gboolean lp_sqlite_round_block_hash (Tx * tx, gint64 round,
    guint8 hash[LP_KECCAK256_SIZE], gboolean * found);

/* vtable entries: each takes the lock itself */
G_GNUC_INTERNAL
gboolean lp_sqlite_get_status (LpLedger * ledger, LpLedgerStatus * status,
    GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_advance (LpLedger * ledger, guint64 blocks, GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_initialize_round (LpLedger * ledger, GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_get_round_block_hash (LpLedger * ledger, guint64 round,
    guint8 hash[LP_KECCAK256_SIZE], GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_reward (LpLedger * ledger, const LpAddress * orchestrator,
    LpUint256 * minted, GError ** error);

/* ---- lpledger-sqlite-stake.c: BondingManager's books -------------------- */

typedef struct
{
  LpAddress address;
  mpz_t bonded;
  mpz_t fees;
  LpAddress delegate;
  mpz_t delegated;
  gint64 start_round;
  gint64 last_claim_round;
  gint64 next_lock_id;
} Delegator;

typedef struct
{
  LpAddress address;
  gint64 last_reward_round;
  gint64 reward_cut;
  gint64 fee_share;
  gint64 last_active_stake_update_round;
  gint64 activation_round;
  gint64 deactivation_round;
  gint64 last_fee_round;
  mpz_t active_cumulative_rewards;
  mpz_t cumulative_rewards;
  mpz_t cumulative_fees;
  gboolean in_pool;
  gchar *service_uri;
} Transcoder;

/* An earnings pool. delegator_rewards and delegator_fees (what the round
 * gave the pool's delegators) are not in the contracts: they let the audit
 * recompute every claim round by round, independently of the factors. */
typedef struct
{
  mpz_t total_stake;
  gint64 reward_cut;
  gint64 fee_share;
  mpz_t crf;
  mpz_t cff;
  mpz_t delegator_rewards;
  mpz_t delegator_fees;
} Pool;

G_GNUC_INTERNAL
void lp_sqlite_delegator_init (Delegator * d);

G_GNUC_INTERNAL
void lp_sqlite_delegator_clear (Delegator * d);

G_GNUC_INTERNAL
gboolean lp_sqlite_delegator_load (Tx * tx, const LpAddress * address,
    Delegator * d);

G_GNUC_INTERNAL
gboolean lp_sqlite_delegator_store (Tx * tx, const Delegator * d);

G_GNUC_INTERNAL
LpDelegatorStatus lp_sqlite_delegator_status (Tx * tx, const Delegator * d);

G_GNUC_INTERNAL
gboolean lp_sqlite_is_registered (const Delegator * d);

G_GNUC_INTERNAL
gboolean lp_sqlite_delegated_amount (Tx * tx, const LpAddress * address,
    mpz_t out);

G_GNUC_INTERNAL
gboolean lp_sqlite_checkpoint_address (Tx * tx, const LpAddress * address);

G_GNUC_INTERNAL
void lp_sqlite_transcoder_init (Transcoder * t);

G_GNUC_INTERNAL
void lp_sqlite_transcoder_clear (Transcoder * t);

G_GNUC_INTERNAL
gboolean lp_sqlite_transcoder_load (Tx * tx, const LpAddress * address,
    Transcoder * t);

G_GNUC_INTERNAL
gboolean lp_sqlite_transcoder_store (Tx * tx, const Transcoder * t);

G_GNUC_INTERNAL
gboolean lp_sqlite_is_active (Tx * tx, const Transcoder * t);

G_GNUC_INTERNAL
void lp_sqlite_pool_init (Pool * p);

G_GNUC_INTERNAL
void lp_sqlite_pool_clear (Pool * p);

G_GNUC_INTERNAL
gboolean lp_sqlite_pool_load (Tx * tx, const LpAddress * address, gint64 round,
    Pool * p);

/* The first touch of @round's pool of @t (its reward or its first fees):
 * the orchestrator's current cut and share, and the total stake as of its
 * last active-stake update when that came before @round */
G_GNUC_INTERNAL
gboolean lp_sqlite_pool_open_round (Tx * tx, const Transcoder * t,
    gint64 round, Pool * pool);

G_GNUC_INTERNAL
gboolean lp_sqlite_pool_store (Tx * tx, const LpAddress * address, gint64 round,
    const Pool * p);

G_GNUC_INTERNAL
gboolean lp_sqlite_ensure_initialized_factors (Tx * tx,
    const LpAddress * address, gint64 round);

G_GNUC_INTERNAL
gboolean lp_sqlite_pool_size (Tx * tx, guint64 * size);

G_GNUC_INTERNAL
gboolean lp_sqlite_pool_last (Tx * tx, LpAddress * address, mpz_t stake,
    gboolean * found);

G_GNUC_INTERNAL
gboolean lp_sqlite_set_in_pool (Tx * tx, const LpAddress * address,
    gboolean in_pool, gint64 activation_round, gint64 deactivation_round);

G_GNUC_INTERNAL
gboolean lp_sqlite_try_to_join_active_set (Tx * tx, const LpAddress * address,
    const mpz_t total_stake, gint64 activation_round);

G_GNUC_INTERNAL
gboolean lp_sqlite_resign (Tx * tx, const LpAddress * address);

G_GNUC_INTERNAL
gboolean lp_sqlite_increase_total_stake (Tx * tx, const LpAddress * delegate,
    const mpz_t amount);

G_GNUC_INTERNAL
gboolean lp_sqlite_decrease_total_stake (Tx * tx, const LpAddress * delegate,
    const mpz_t amount);

G_GNUC_INTERNAL
gboolean lp_sqlite_pending_stake_and_fees (Tx * tx, const Delegator * d,
    gint64 end_round, mpz_t stake, mpz_t fees);

G_GNUC_INTERNAL
gboolean lp_sqlite_auto_claim (Tx * tx, const LpAddress * address);

G_GNUC_INTERNAL
gboolean lp_sqlite_update_transcoder_with_rewards (Tx * tx,
    const LpAddress * address, const mpz_t rewards);

G_GNUC_INTERNAL
gboolean lp_sqlite_update_transcoder_with_fees (Tx * tx,
    const LpAddress * address, const mpz_t fees);

/* ---- lpledger-sqlite-bonding.c: BondingManager's operations ------------- */

/* vtable entries: each takes the lock itself */
G_GNUC_INTERNAL
gboolean lp_sqlite_get_account (LpLedger * ledger, const LpAddress * address,
    LpAccountInfo * info, GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_get_orchestrator (LpLedger * ledger,
    const LpAddress * address, LpLedgerOrchestrator * info, GError ** error);

G_GNUC_INTERNAL
GArray *lp_sqlite_list_orchestrators (LpLedger * ledger, gboolean active_only,
    GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_transfer (LpLedger * ledger, const LpAddress * from,
    const LpAddress * to, const LpUint256 * amount, GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_register_orchestrator (LpLedger * ledger,
    const LpAddress * orchestrator, guint64 reward_cut, guint64 fee_share,
    const gchar * service_uri, GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_bond (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * to, const LpUint256 * amount, GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_unbond (LpLedger * ledger, const LpAddress * owner,
    const LpUint256 * amount, guint64 * lock_id, GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_rebond (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * to, guint64 lock_id, GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_withdraw_stake (LpLedger * ledger, const LpAddress * owner,
    guint64 lock_id, GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_withdraw_fees (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * recipient, const LpUint256 * amount, GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_claim_earnings (LpLedger * ledger, const LpAddress * owner,
    GError ** error);

/* ---- lpledger-sqlite-tickets.c: TicketBroker ---------------------------- */

typedef struct
{
  mpz_t deposit;
  mpz_t reserve;
  gint64 withdraw_round;
} Sender;

G_GNUC_INTERNAL
void lp_sqlite_sender_init (Sender * s);

G_GNUC_INTERNAL
void lp_sqlite_sender_clear (Sender * s);

G_GNUC_INTERNAL
gboolean lp_sqlite_sender_load (Tx * tx, const LpAddress * address, Sender * s);

/* vtable entries: each takes the lock itself */
G_GNUC_INTERNAL
gboolean lp_sqlite_fund (LpLedger * ledger, const LpAddress * sender,
    const LpUint256 * deposit, const LpUint256 * reserve, GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_unlock (LpLedger * ledger, const LpAddress * sender,
    GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_cancel_unlock (LpLedger * ledger, const LpAddress * sender,
    GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_withdraw (LpLedger * ledger, const LpAddress * sender,
    GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_get_sender_info (LpLedger * ledger, const LpAddress * sender,
    LpSenderInfo * info, GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_redeem_winning_ticket (LpLedger * ledger,
    const LpWinningTicket * ticket, LpRedemption * redemption, GError ** error);

G_GNUC_INTERNAL
GArray *lp_sqlite_list_redeemed_tickets (LpLedger * ledger,
    const LpAddress * recipient, GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_queue_winning_ticket (LpLedger * ledger,
    const LpWinningTicket * ticket, gboolean * added, GError ** error);

G_GNUC_INTERNAL
GArray *lp_sqlite_list_queued_tickets (LpLedger * ledger,
    const LpAddress * recipient, GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_drop_queued_ticket (LpLedger * ledger,
    const guint8 ticket_hash[LP_TICKET_HASH_SIZE], GError ** error);

/* ---- lpledger-sqlite-governance.c: governance and slashing -------------- */

/* vtable entries: each takes the lock itself */
G_GNUC_INTERNAL
gboolean lp_sqlite_submit_evidence (LpLedger * ledger, const LpAddress * finder,
    const LpAddress * orchestrator, const gchar * reason, LpUint256 * penalty,
    GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_propose (LpLedger * ledger, const LpAddress * proposer,
    const gchar * description, const LpProposalAction * actions,
    guint n_actions, guint64 * proposal_id, GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_vote (LpLedger * ledger, const LpAddress * voter,
    guint64 proposal_id, LpVoteSupport support, GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_get_proposal (LpLedger * ledger, guint64 proposal_id,
    LpProposalInfo * info, GError ** error);

G_GNUC_INTERNAL
gboolean lp_sqlite_execute (LpLedger * ledger, guint64 proposal_id,
    GError ** error);

/* ---- lpledger-sqlite-audit.c: the audit --------------------------------- */

/* vtable entries: each takes the lock itself */
G_GNUC_INTERNAL
gboolean lp_sqlite_audit (LpLedger * ledger, GString * report, GError ** error);

G_END_DECLS

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * The embedded ledger: Livepeer's contract state in one SQLite file.
 *
 * Every operation is one SQLite transaction (WAL, BEGIN IMMEDIATE for
 * writes), so several threads (one connection behind a mutex) and several
 * processes (SQLite's file locks, a long busy timeout) see whole operations
 * only, and a crash leaves each one done or not done.
 *
 * Inside a transaction the rules run on GMP integers loaded from the rows
 * and checked back into 0 ≤ x < 2^256 when stored; the functions mirror the
 * contracts' (BondingManager, EarningsPoolLIP36, Minter, RoundsManager,
 * TicketBroker) so that each truncation happens where theirs does. Amounts
 * are stored as 32-byte big-endian blobs: SQLite orders them as numbers.
 *
 * This file holds the backend itself: the LpLedgerSqlite object and its
 * connection, the schema and its upgrade, opening and creating a ledger
 * (genesis), transactions and the statement and row helpers, the global
 * state and parameters, account balances, the fixed-point arithmetic
 * (docs/design/ledger.md, "Arithmetic"), the storage check and the LpLedger
 * vtable. The rules live beside it, one file per contract:
 *
 *   lpledger-sqlite-rounds.c      RoundsManager and Minter: time, round
 *                                 initialization, minting and reward
 *   lpledger-sqlite-stake.c       BondingManager's books: delegators,
 *                                 orchestrators, earnings pools, the active
 *                                 set, pending stake and fees
 *   lpledger-sqlite-bonding.c     BondingManager's operations: bond, unbond,
 *                                 rebond, withdraw stake and fees, claim,
 *                                 register; transfers; account reads
 *   lpledger-sqlite-tickets.c     TicketBroker: funding, unlock, withdraw,
 *                                 redemption, the reserve; the redemption
 *                                 queue
 *   lpledger-sqlite-governance.c  proposals, votes, execution; evidence and
 *                                 slashing
 *   lpledger-sqlite-audit.c       the audit
 *
 * lpledger-sqlite-private.h declares what they share.
 *
 * Locking: self->lock is held from lp_sqlite_tx_begin() to lp_sqlite_tx_end()
 * (and by the storage check), and only there is self->db used. The vtable
 * entries open and close the transaction; every function that takes a Tx
 * runs with the lock held and never takes it.
 */
#include "lpledger-sqlite-private.h"

#include <string.h>

struct _LpLedgerSqlite
{
  GObject parent;

  gchar *path;
  sqlite3 *db;
  GMutex lock;                  /* one transaction at a time on db */
  GHashTable *statements;       /* SQL text (pointer) -> sqlite3_stmt */
};

static void lp_ledger_sqlite_iface_init (LpLedgerInterface * iface);

G_DEFINE_TYPE_WITH_CODE (LpLedgerSqlite, lp_ledger_sqlite, G_TYPE_OBJECT,
    G_IMPLEMENT_INTERFACE (LP_TYPE_LEDGER, lp_ledger_sqlite_iface_init));

/* 2 added the redemption queue, 3 the order of equal stakes in the pool;
 * an older file is upgraded when opened (see upgrade_schema()) */
#define SCHEMA_VERSION 3
#define BUSY_TIMEOUT_MS 60000

static const gchar schema_sql[] =
    "CREATE TABLE state (name TEXT PRIMARY KEY, value);"
    "CREATE TABLE accounts (address BLOB PRIMARY KEY, lpt BLOB NOT NULL,"
    "  eth BLOB NOT NULL);"
    "CREATE TABLE delegators (address BLOB PRIMARY KEY, bonded BLOB NOT NULL,"
    "  fees BLOB NOT NULL, delegate BLOB NOT NULL, delegated BLOB NOT NULL,"
    "  start_round INTEGER NOT NULL, last_claim_round INTEGER NOT NULL,"
    "  next_lock_id INTEGER NOT NULL);"
    "CREATE TABLE locks (address BLOB NOT NULL, id INTEGER NOT NULL,"
    "  amount BLOB NOT NULL, withdraw_round INTEGER NOT NULL,"
    "  PRIMARY KEY (address, id));"
    "CREATE TABLE transcoders (address BLOB PRIMARY KEY,"
    "  last_reward_round INTEGER NOT NULL, reward_cut INTEGER NOT NULL,"
    "  fee_share INTEGER NOT NULL, last_active_stake_update_round INTEGER"
    "  NOT NULL, activation_round INTEGER NOT NULL, deactivation_round"
    "  INTEGER NOT NULL, last_fee_round INTEGER NOT NULL,"
    "  active_cumulative_rewards BLOB NOT NULL, cumulative_rewards BLOB NOT"
    "  NULL, cumulative_fees BLOB NOT NULL, in_pool INTEGER NOT NULL,"
    "  service_uri TEXT NOT NULL);"
    "CREATE INDEX transcoders_pool ON transcoders (in_pool);"
    "CREATE TABLE pools (address BLOB NOT NULL, round INTEGER NOT NULL,"
    "  total_stake BLOB NOT NULL, reward_cut INTEGER NOT NULL, fee_share"
    "  INTEGER NOT NULL, crf BLOB NOT NULL, cff BLOB NOT NULL,"
    "  delegator_rewards BLOB NOT NULL, delegator_fees BLOB NOT NULL,"
    "  PRIMARY KEY (address, round));"
    "CREATE TABLE rounds (round INTEGER PRIMARY KEY, block_hash BLOB NOT NULL,"
    "  total_active_stake BLOB NOT NULL, inflation INTEGER NOT NULL,"
    "  mintable BLOB NOT NULL, minted BLOB NOT NULL);"
    "CREATE TABLE senders (address BLOB PRIMARY KEY, deposit BLOB NOT NULL,"
    "  reserve BLOB NOT NULL, withdraw_round INTEGER NOT NULL);"
    "CREATE TABLE reserve_claims (sender BLOB NOT NULL, round INTEGER NOT"
    "  NULL, claimant BLOB NOT NULL, amount BLOB NOT NULL,"
    "  PRIMARY KEY (sender, round, claimant));"
    "CREATE TABLE tickets (seq INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE,"
    "  sender BLOB NOT NULL, recipient BLOB NOT NULL, face_value BLOB NOT"
    "  NULL, paid BLOB NOT NULL, round INTEGER NOT NULL, block INTEGER NOT"
    "  NULL);"
    "CREATE TABLE checkpoints (address BLOB NOT NULL, start_round INTEGER NOT"
    "  NULL, bonded BLOB NOT NULL, delegate BLOB NOT NULL, delegated BLOB NOT"
    "  NULL, last_claim_round INTEGER NOT NULL,"
    "  PRIMARY KEY (address, start_round));"
    "CREATE TABLE proposals (id INTEGER PRIMARY KEY, proposer BLOB NOT NULL,"
    "  description TEXT NOT NULL, start_round INTEGER NOT NULL, end_round"
    "  INTEGER NOT NULL, executed INTEGER NOT NULL);"
    "CREATE TABLE proposal_actions (proposal INTEGER NOT NULL, seq INTEGER"
    "  NOT NULL, kind INTEGER NOT NULL, param INTEGER NOT NULL, value BLOB NOT"
    "  NULL, payee BLOB NOT NULL, PRIMARY KEY (proposal, seq));"
    "CREATE TABLE votes (proposal INTEGER NOT NULL, voter BLOB NOT NULL,"
    "  support INTEGER NOT NULL, PRIMARY KEY (proposal, voter));"
    "CREATE TABLE pending_params (param INTEGER PRIMARY KEY, value BLOB NOT"
    "  NULL);"
    "CREATE TABLE evidence (id INTEGER PRIMARY KEY, finder BLOB NOT NULL,"
    "  orchestrator BLOB NOT NULL, reason TEXT NOT NULL, round INTEGER NOT"
    "  NULL, penalty BLOB NOT NULL);";

/* Schema 2: winning tickets waiting for redemption, the whole
 * LpWinningTicket per row; seq keeps the order they came in. */
static const gchar queue_schema_sql[] =
    "CREATE TABLE queued_tickets (seq INTEGER PRIMARY KEY, hash BLOB NOT NULL"
    "  UNIQUE, recipient BLOB NOT NULL, sender BLOB NOT NULL, face_value BLOB"
    "  NOT NULL, win_prob BLOB NOT NULL, sender_nonce INTEGER NOT NULL,"
    "  recipient_rand_hash BLOB NOT NULL, creation_round INTEGER NOT NULL,"
    "  creation_round_block_hash BLOB NOT NULL, sig BLOB NOT NULL,"
    "  recipient_rand BLOB NOT NULL, params_expiration_block INTEGER NOT"
    "  NULL);"
    "CREATE INDEX queued_tickets_recipient ON queued_tickets (recipient);";

/* Schema 3: where each pool member stands among equal stakes, as in the
 * contracts' sorted list (a member inserted or re-keyed goes before the
 * others of its stake): seq grows with each insertion; a member with no
 * row (from an older file) counts as 0. */
static const gchar pool_order_schema_sql[] =
    "CREATE TABLE pool_order (address BLOB PRIMARY KEY, seq INTEGER NOT"
    "  NULL);";

/* ---- fixed-point helpers (docs/design/ledger.md) ------------------------ */

mpz_t lp_sqlite_perc_divisor; /* MathUtils: 1e6 */
mpz_t lp_sqlite_minter_divisor; /* MathUtilsV2: 1e9 */
mpz_t lp_sqlite_precise_divisor; /* PreciseMathUtils: 1e27 */
static mpz_t uint256_limit;     /* 2^256 */

static void
fixed_point_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    mpz_init_set_ui (lp_sqlite_perc_divisor, 1000000);
    mpz_init_set_ui (lp_sqlite_minter_divisor, 1000000000);
    mpz_init_set_str (lp_sqlite_precise_divisor, "1000000000000000000000000000",
        10);
    mpz_init (uint256_limit);
    mpz_setbit (uint256_limit, 256);
    g_once_init_leave (&done, 1);
  }
}

/* percPoints(n, d) = n × P / d */
void
lp_sqlite_perc_points (mpz_t out, const mpz_t n, const mpz_t d,
    const mpz_t divisor)
{
  mpz_mul (out, n, divisor);
  mpz_fdiv_q (out, out, d);
}

/* percOf(a, p) = a × p / P */
void
lp_sqlite_perc_of (mpz_t out, const mpz_t a, const mpz_t p, const mpz_t divisor)
{
  mpz_mul (out, a, p);
  mpz_fdiv_q (out, out, divisor);
}

void
lp_sqlite_perc_of_ui (mpz_t out, const mpz_t a, guint64 p, const mpz_t divisor)
{
  mpz_t pz;

  mpz_init_set_ui (pz, p);
  lp_sqlite_perc_of (out, a, pz, divisor);
  mpz_clear (pz);
}

/* percOf(a, n, d) = a × percPoints(n, d) / P: two truncations */
void
lp_sqlite_perc_of_fraction (mpz_t out, const mpz_t a, const mpz_t n,
    const mpz_t d, const mpz_t divisor)
{
  mpz_t points;

  mpz_init (points);
  lp_sqlite_perc_points (points, n, d, divisor);
  mpz_mul (out, a, points);
  mpz_fdiv_q (out, out, divisor);
  mpz_clear (points);
}

void
lp_sqlite_mpz_from_uint256 (mpz_t out, const LpUint256 * value)
{
  mpz_import (out, LP_UINT256_SIZE, 1, 1, 1, 0, value->be);
}

/* Only for values already known to fit. */
void
lp_sqlite_mpz_to_uint256 (const mpz_t value, LpUint256 * out)
{
  size_t count = 0;
  guint8 buffer[LP_UINT256_SIZE];

  memset (out, 0, sizeof (*out));
  if (mpz_sgn (value) <= 0 || mpz_cmp (value, uint256_limit) >= 0)
    return;
  mpz_export (buffer, &count, 1, 1, 1, 0, value);
  memcpy (out->be + LP_UINT256_SIZE - count, buffer, count);
}

/* ---- transactions ------------------------------------------------------- */

gboolean
lp_sqlite_storage_error (Tx * tx, const gchar * what)
{
  if (tx->error == NULL)
    g_set_error (&tx->error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_STORAGE,
        "Ledger %s: %s failed: %s", tx->self->path, what,
        sqlite3_errmsg (tx->db));
  return FALSE;
}

gboolean
lp_sqlite_refuse (Tx * tx, const gchar * format, ...)
{
  va_list args;

  if (tx->error != NULL)
    return FALSE;
  va_start (args, format);
  tx->error = g_error_new_valist (LP_LEDGER_ERROR, LP_LEDGER_ERROR_REFUSED,
      format, args);
  va_end (args);
  return FALSE;
}

/* A prepared statement for @sql, reset and cleared; cached per ledger. */
sqlite3_stmt *
lp_sqlite_prep (Tx * tx, const gchar * sql)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (tx->self->statements, sql);

  if (stmt == NULL) {
    if (sqlite3_prepare_v3 (tx->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
            &stmt, NULL) != SQLITE_OK) {
      lp_sqlite_storage_error (tx, "preparing a statement");
      return NULL;
    }
    g_hash_table_insert (tx->self->statements, (gpointer) sql, stmt);
  }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

/* SQLITE_ROW: 1, SQLITE_DONE: 0, failure: -1 (error set) */
gint
lp_sqlite_step (Tx * tx, sqlite3_stmt * stmt)
{
  gint rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return 1;
  if (rc == SQLITE_DONE)
    return 0;
  lp_sqlite_storage_error (tx, "a statement");
  return -1;
}

gboolean
lp_sqlite_step_done (Tx * tx, sqlite3_stmt * stmt)
{
  return lp_sqlite_step (tx, stmt) == 0;
}

/* The first row of @sql, its parameters @address (when not NULL) then
 * @round (when @has_round), in that order: 1 with *@stmt on the row, 0
 * when there is none, -1 on failure (error set). */
static gint
first_row (Tx * tx, const gchar * sql, const LpAddress * address,
    gboolean has_round, gint64 round, sqlite3_stmt ** stmt)
{
  gint index = 1;

  *stmt = lp_sqlite_prep (tx, sql);
  if (*stmt == NULL)
    return -1;
  if (address != NULL)
    lp_sqlite_bind_address (*stmt, index++, address);
  if (has_round)
    sqlite3_bind_int64 (*stmt, index, round);
  return lp_sqlite_step (tx, *stmt);
}

gint
lp_sqlite_row_for_address (Tx * tx, const gchar * sql,
    const LpAddress * address, sqlite3_stmt ** stmt)
{
  return first_row (tx, sql, address, FALSE, 0, stmt);
}

gint
lp_sqlite_row_for_round (Tx * tx, const gchar * sql, gint64 round,
    sqlite3_stmt ** stmt)
{
  return first_row (tx, sql, NULL, TRUE, round, stmt);
}

gint
lp_sqlite_row_for_address_round (Tx * tx, const gchar * sql,
    const LpAddress * address, gint64 round, sqlite3_stmt ** stmt)
{
  return first_row (tx, sql, address, TRUE, round, stmt);
}

gboolean
lp_sqlite_row_mpz (gint rc, sqlite3_stmt * stmt, mpz_t value)
{
  if (rc < 0)
    return FALSE;
  if (rc == 0)
    mpz_set_ui (value, 0);
  else
    lp_sqlite_column_mpz (stmt, 0, value);
  return TRUE;
}

void
lp_sqlite_bind_address (sqlite3_stmt * stmt, gint index,
    const LpAddress * address)
{
  sqlite3_bind_blob (stmt, index, address->bytes, LP_ADDRESS_SIZE,
      SQLITE_TRANSIENT);
}

/* Binds an amount; refuses one outside uint256 as the contracts' SafeMath
 * would revert (no rule may get here with one: this is the last guard). */
gboolean
lp_sqlite_bind_mpz (Tx * tx, sqlite3_stmt * stmt, gint index, const mpz_t value)
{
  LpUint256 out;

  if (mpz_sgn (value) < 0)
    return lp_sqlite_refuse (tx,
        "Arithmetic underflow: an amount would go below zero");
  if (mpz_cmp (value, uint256_limit) >= 0)
    return lp_sqlite_refuse (tx,
        "Arithmetic overflow: an amount would pass 2^256");
  lp_sqlite_mpz_to_uint256 (value, &out);
  sqlite3_bind_blob (stmt, index, out.be, LP_UINT256_SIZE, SQLITE_TRANSIENT);
  return TRUE;
}

void
lp_sqlite_column_mpz (sqlite3_stmt * stmt, gint index, mpz_t out)
{
  const void *blob = sqlite3_column_blob (stmt, index);

  if (blob == NULL || sqlite3_column_bytes (stmt, index) != LP_UINT256_SIZE) {
    mpz_set_ui (out, 0);
    return;
  }
  mpz_import (out, LP_UINT256_SIZE, 1, 1, 1, 0, blob);
}

void
lp_sqlite_column_address (sqlite3_stmt * stmt, gint index, LpAddress * out)
{
  const void *blob = sqlite3_column_blob (stmt, index);

  memset (out, 0, sizeof (*out));
  if (blob != NULL && sqlite3_column_bytes (stmt, index) == LP_ADDRESS_SIZE)
    memcpy (out->bytes, blob, LP_ADDRESS_SIZE);
}

/* A fixed-size blob (hash, signature, stored uint256); zeros when the row
 * holds something else. */
void
lp_sqlite_column_bytes (sqlite3_stmt * stmt, gint index, guint8 * out,
    gsize size)
{
  const void *blob = sqlite3_column_blob (stmt, index);

  memset (out, 0, size);
  if (blob != NULL && (gsize) sqlite3_column_bytes (stmt, index) == size)
    memcpy (out, blob, size);
}

/* ---- global state ------------------------------------------------------- */

/* Steps the query for the state row @name into *@stmt: 1 when the row is
 * there (its value in column 0), 0 when it is not, -1 on error. */
static gint
state_lookup (Tx * tx, const gchar * name, sqlite3_stmt ** stmt)
{
  *stmt = lp_sqlite_prep (tx, "SELECT value FROM state WHERE name = ?");
  if (*stmt == NULL)
    return -1;
  sqlite3_bind_text (*stmt, 1, name, -1, SQLITE_STATIC);
  return lp_sqlite_step (tx, *stmt);
}

/* The statement that writes the state row @name, its value still to bind
 * (as parameter 2); NULL on error. */
static sqlite3_stmt *
state_writer (Tx * tx, const gchar * name)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx,
      "INSERT OR REPLACE INTO state (name, value) VALUES (?, ?)");

  if (stmt != NULL)
    sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  return stmt;
}

gboolean
lp_sqlite_state_get_i64 (Tx * tx, const gchar * name, gint64 fallback,
    gint64 * value)
{
  sqlite3_stmt *stmt;
  gint rc = state_lookup (tx, name, &stmt);

  if (rc < 0)
    return FALSE;
  *value = rc == 1 ? sqlite3_column_int64 (stmt, 0) : fallback;
  return TRUE;
}

gboolean
lp_sqlite_state_set_i64 (Tx * tx, const gchar * name, gint64 value)
{
  sqlite3_stmt *stmt = state_writer (tx, name);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 2, value);
  return lp_sqlite_step_done (tx, stmt);
}

gboolean
lp_sqlite_state_get_mpz (Tx * tx, const gchar * name, mpz_t value)
{
  sqlite3_stmt *stmt;
  gint rc = state_lookup (tx, name, &stmt);

  return lp_sqlite_row_mpz (rc, stmt, value);
}

gboolean
lp_sqlite_state_set_mpz (Tx * tx, const gchar * name, const mpz_t value)
{
  sqlite3_stmt *stmt = state_writer (tx, name);

  if (stmt == NULL || !lp_sqlite_bind_mpz (tx, stmt, 2, value))
    return FALSE;
  return lp_sqlite_step_done (tx, stmt);
}

/* state += delta (delta may be negative) */
gboolean
lp_sqlite_state_add_mpz (Tx * tx, const gchar * name, const mpz_t delta)
{
  mpz_t value;
  gboolean ok;

  mpz_init (value);
  ok = lp_sqlite_state_get_mpz (tx, name, value);
  if (ok) {
    mpz_add (value, value, delta);
    ok = lp_sqlite_state_set_mpz (tx, name, value);
  }
  mpz_clear (value);
  return ok;
}

gboolean
lp_sqlite_state_sub_mpz (Tx * tx, const gchar * name, const mpz_t delta)
{
  mpz_t negative;
  gboolean ok;

  mpz_init (negative);
  mpz_neg (negative, delta);
  ok = lp_sqlite_state_add_mpz (tx, name, negative);
  mpz_clear (negative);
  return ok;
}

/* ---- parameters --------------------------------------------------------- */

gboolean
lp_sqlite_params_store (Tx * tx, const LpLedgerParams * params)
{
  gchar key[64];

  for (guint i = 0; lp_ledger_param_fields[i].name != NULL; i++) {
    const LpLedgerParamField *field = &lp_ledger_param_fields[i];
    gconstpointer member = G_STRUCT_MEMBER_P (params, field->offset);
    gboolean ok;

    g_snprintf (key, sizeof (key), "param.%s", field->name);
    if (field->kind == LP_LEDGER_FIELD_U256) {
      mpz_t value;
      mpz_init (value);
      lp_sqlite_mpz_from_uint256 (value, member);
      ok = lp_sqlite_state_set_mpz (tx, key, value);
      mpz_clear (value);
    } else if (field->kind == LP_LEDGER_FIELD_BOOL) {
      ok = lp_sqlite_state_set_i64 (tx, key,
          *(const gboolean *) member ? 1 : 0);
    } else {
      ok = lp_sqlite_state_set_i64 (tx, key,
          (gint64) * (const guint64 *) member);
    }
    if (!ok)
      return FALSE;
  }
  return lp_sqlite_state_set_i64 (tx, "param.fee-asset", params->fee_asset);
}

static gboolean
params_load (Tx * tx, LpLedgerParams * params)
{
  gchar key[64];
  gint64 number;

  memset (params, 0, sizeof (*params));
  for (guint i = 0; lp_ledger_param_fields[i].name != NULL; i++) {
    const LpLedgerParamField *field = &lp_ledger_param_fields[i];
    gpointer member = G_STRUCT_MEMBER_P (params, field->offset);

    g_snprintf (key, sizeof (key), "param.%s", field->name);
    if (field->kind == LP_LEDGER_FIELD_U256) {
      mpz_t value;
      gboolean ok;
      mpz_init (value);
      ok = lp_sqlite_state_get_mpz (tx, key, value);
      lp_sqlite_mpz_to_uint256 (value, member);
      mpz_clear (value);
      if (!ok)
        return FALSE;
    } else {
      if (!lp_sqlite_state_get_i64 (tx, key, 0, &number))
        return FALSE;
      if (field->kind == LP_LEDGER_FIELD_BOOL)
        *(gboolean *) member = number != 0;
      else
        *(guint64 *) member = (guint64) number;
    }
  }
  if (!lp_sqlite_state_get_i64 (tx, "param.fee-asset", 0, &number))
    return FALSE;
  params->fee_asset = number;
  return TRUE;
}

/* ---- beginning and ending a transaction --------------------------------- */

gboolean
lp_sqlite_tx_begin (LpLedgerSqlite * self, Tx * tx, gboolean write,
    GError ** error)
{
  memset (tx, 0, sizeof (*tx));
  tx->self = self;
  tx->db = self->db;
  g_mutex_lock (&self->lock);
  if (sqlite3_exec (self->db, write ? "BEGIN IMMEDIATE" : "BEGIN", NULL, NULL,
          NULL) != SQLITE_OK) {
    lp_sqlite_storage_error (tx, "starting a transaction");
    g_propagate_error (error, tx->error);
    g_mutex_unlock (&self->lock);
    return FALSE;
  }
  if (!params_load (tx, &tx->params) || !lp_sqlite_load_time (tx)) {
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    g_propagate_error (error, tx->error);
    g_mutex_unlock (&self->lock);
    return FALSE;
  }
  return TRUE;
}

/* Commits when @ok, rolls back otherwise; hands the error over. */
gboolean
lp_sqlite_tx_end (Tx * tx, gboolean ok, GError ** error)
{
  sqlite3_stmt *stmt = NULL;

  /* a cached statement left on a row would keep its read snapshot past the
   * commit: this connection would then miss other processes' writes */
  while ((stmt = sqlite3_next_stmt (tx->db, stmt)) != NULL)
    sqlite3_reset (stmt);
  if (ok && tx->error == NULL) {
    if (sqlite3_exec (tx->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
      lp_sqlite_storage_error (tx, "committing");
      ok = FALSE;
    }
  } else {
    ok = FALSE;
  }
  if (!ok) {
    sqlite3_exec (tx->db, "ROLLBACK", NULL, NULL, NULL);
    if (tx->error == NULL)
      g_set_error (&tx->error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_STORAGE,
          "Ledger %s: operation failed", tx->self->path);
    g_propagate_error (error, tx->error);
    tx->error = NULL;
  }
  g_mutex_unlock (&tx->self->lock);
  return ok;
}

/* ---- balances ----------------------------------------------------------- */

Asset
lp_sqlite_fee_asset (Tx * tx)
{
  return tx->params.fee_asset == LP_FEE_ASSET_LPT ? ASSET_LPT : ASSET_ETH;
}

static const gchar *
asset_name (Asset asset)
{
  return asset == ASSET_LPT ? "LPT" : "ETH";
}

gboolean
lp_sqlite_balance_get (Tx * tx, const LpAddress * address, Asset asset,
    mpz_t value)
{
  sqlite3_stmt *stmt;
  gint rc = lp_sqlite_row_for_address (tx, asset == ASSET_LPT ?
      "SELECT lpt FROM accounts WHERE address = ?" :
      "SELECT eth FROM accounts WHERE address = ?", address, &stmt);

  return lp_sqlite_row_mpz (rc, stmt, value);
}

static gboolean
balance_set (Tx * tx, const LpAddress * address, Asset asset,
    const mpz_t value)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx,
      "INSERT INTO accounts (address, lpt, eth) VALUES (?1, zeroblob(32), "
      "zeroblob(32)) ON CONFLICT (address) DO NOTHING");

  if (stmt == NULL)
    return FALSE;
  lp_sqlite_bind_address (stmt, 1, address);
  if (!lp_sqlite_step_done (tx, stmt))
    return FALSE;
  stmt = lp_sqlite_prep (tx, asset == ASSET_LPT ?
      "UPDATE accounts SET lpt = ?2 WHERE address = ?1" :
      "UPDATE accounts SET eth = ?2 WHERE address = ?1");
  if (stmt == NULL)
    return FALSE;
  lp_sqlite_bind_address (stmt, 1, address);
  if (!lp_sqlite_bind_mpz (tx, stmt, 2, value))
    return FALSE;
  return lp_sqlite_step_done (tx, stmt);
}

gboolean
lp_sqlite_balance_credit (Tx * tx, const LpAddress * address, Asset asset,
    const mpz_t amount)
{
  mpz_t value;
  gboolean ok;

  mpz_init (value);
  ok = lp_sqlite_balance_get (tx, address, asset, value);
  if (ok) {
    mpz_add (value, value, amount);
    ok = balance_set (tx, address, asset, value);
  }
  mpz_clear (value);
  return ok;
}

/* Takes @amount from @address's balance, or refuses naming the shortfall. */
gboolean
lp_sqlite_balance_debit (Tx * tx, const LpAddress * address, Asset asset,
    const mpz_t amount, const gchar * purpose)
{
  mpz_t value;
  gboolean ok;

  mpz_init (value);
  ok = lp_sqlite_balance_get (tx, address, asset, value);
  if (ok && mpz_cmp (value, amount) < 0) {
    gchar text[LP_ADDRESS_TEXT_SIZE];
    gchar *have = mpz_get_str (NULL, 10, value);
    gchar *need = mpz_get_str (NULL, 10, amount);
    lp_address_format (address, text);
    ok = lp_sqlite_refuse (tx,
        "%s: insufficient %s balance (%s holds %s wei, %s "
        "needs %s wei)", purpose, asset_name (asset), text, have, purpose,
        need);
    free (have);
    free (need);
  } else if (ok) {
    mpz_sub (value, value, amount);
    ok = balance_set (tx, address, asset, value);
  }
  mpz_clear (value);
  return ok;
}

/* ---- helpers for messages and reads ------------------------------------- */

gchar *
lp_sqlite_amount_text (const mpz_t value)
{
  gchar *raw = mpz_get_str (NULL, 10, value);
  gchar *out = g_strdup (raw);

  free (raw);
  return out;
}

void
lp_sqlite_set_u256 (LpUint256 * out, const mpz_t value)
{
  lp_sqlite_mpz_to_uint256 (value, out);
}

/* ---- the storage check -------------------------------------------------- */

/* SQLite's quick_check: every page and index readable and consistent (not
 * the slower cross-check of index contents against tables that
 * integrity_check adds). One row "ok", or one row per problem. */
gboolean
lp_sqlite_check_storage (LpLedger * ledger, GString * report, GError ** error)
{
  LpLedgerSqlite *self = SELF (ledger);
  sqlite3_stmt *stmt = NULL;
  GString *problems = g_string_new (NULL);
  guint n = 0;
  int rc;

  g_mutex_lock (&self->lock);
  rc = sqlite3_prepare_v2 (self->db, "PRAGMA quick_check(20)", -1, &stmt,
      NULL);
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
      const gchar *line = (const gchar *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        g_string_append_printf (problems, "%s%s", n++ ? "; " : "",
            line ? line : "?");
    }
  }
  if (rc != SQLITE_DONE && n == 0)
    g_string_append_printf (problems, "%s", sqlite3_errmsg (self->db));
  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->lock);

  if (problems->len == 0) {
    if (report != NULL)
      g_string_append (report, "ok storage: SQLite quick_check\n");
    g_string_free (problems, TRUE);
    return TRUE;
  }
  if (report != NULL)
    g_string_append_printf (report, "FAILED storage: SQLite quick_check: "
        "%s\n", problems->str);
  /* a read error without rows says as much about the file as a bad row */
  g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_DAMAGED,
      "The ledger's database is damaged (SQLite quick_check: %s). Restore "
      "it from a backup; its accounts cannot be trusted as they are",
      problems->str);
  g_string_free (problems, TRUE);
  return FALSE;
}

/* ---- the interface ------------------------------------------------------ */

/* The entries live beside their rules, in lpledger-sqlite-*.c. */
static void
lp_ledger_sqlite_iface_init (LpLedgerInterface * iface)
{
  iface->get_status = lp_sqlite_get_status;
  iface->advance = lp_sqlite_advance;
  iface->initialize_round = lp_sqlite_initialize_round;
  iface->get_round_block_hash = lp_sqlite_get_round_block_hash;
  iface->get_account = lp_sqlite_get_account;
  iface->get_orchestrator = lp_sqlite_get_orchestrator;
  iface->list_orchestrators = lp_sqlite_list_orchestrators;
  iface->transfer = lp_sqlite_transfer;
  iface->fund = lp_sqlite_fund;
  iface->unlock = lp_sqlite_unlock;
  iface->cancel_unlock = lp_sqlite_cancel_unlock;
  iface->withdraw = lp_sqlite_withdraw;
  iface->get_sender_info = lp_sqlite_get_sender_info;
  iface->redeem_winning_ticket = lp_sqlite_redeem_winning_ticket;
  iface->list_redeemed_tickets = lp_sqlite_list_redeemed_tickets;
  iface->register_orchestrator = lp_sqlite_register_orchestrator;
  iface->bond = lp_sqlite_bond;
  iface->unbond = lp_sqlite_unbond;
  iface->rebond = lp_sqlite_rebond;
  iface->withdraw_stake = lp_sqlite_withdraw_stake;
  iface->withdraw_fees = lp_sqlite_withdraw_fees;
  iface->claim_earnings = lp_sqlite_claim_earnings;
  iface->reward = lp_sqlite_reward;
  iface->submit_evidence = lp_sqlite_submit_evidence;
  iface->propose = lp_sqlite_propose;
  iface->vote = lp_sqlite_vote;
  iface->get_proposal = lp_sqlite_get_proposal;
  iface->execute = lp_sqlite_execute;
  iface->audit = lp_sqlite_audit;
  iface->check_storage = lp_sqlite_check_storage;
  iface->queue_winning_ticket = lp_sqlite_queue_winning_ticket;
  iface->list_queued_tickets = lp_sqlite_list_queued_tickets;
  iface->drop_queued_ticket = lp_sqlite_drop_queued_ticket;
}

/* ---- lifetime ----------------------------------------------------------- */

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
lp_ledger_sqlite_finalize (GObject * object)
{
  LpLedgerSqlite *self = LP_LEDGER_SQLITE (object);

  g_hash_table_unref (self->statements);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_mutex_clear (&self->lock);
  g_free (self->path);
  G_OBJECT_CLASS (lp_ledger_sqlite_parent_class)->finalize (object);
}

static void
lp_ledger_sqlite_class_init (LpLedgerSqliteClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = lp_ledger_sqlite_finalize;
}

static void
lp_ledger_sqlite_init (LpLedgerSqlite * self)
{
  g_mutex_init (&self->lock);
  self->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal,
      NULL, finalize_statement);
}

static LpLedgerSqlite *
connect (const gchar * path, gboolean create, GError ** error)
{
  g_autoptr (LpLedgerSqlite) self = NULL;
  gint flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX;

  fixed_point_init ();
  if (!create && !g_file_test (path, G_FILE_TEST_EXISTS)) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_NOT_INITIALIZED,
        "No ledger at %s: create one with `lpctl --ledger %s init`", path,
        path);
    return NULL;
  }
  self = g_object_new (LP_TYPE_LEDGER_SQLITE, NULL);
  self->path = g_strdup (path);
  if (create)
    flags |= SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2 (path, &self->db, flags, NULL) != SQLITE_OK) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_STORAGE,
        "Cannot open the ledger %s: %s", path, self->db != NULL ?
        sqlite3_errmsg (self->db) : "out of memory");
    return NULL;
  }
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  /* WAL: readers never block the writer; NORMAL sync keeps every commit
   * through a process crash (a power cut may lose the last ones, never
   * half of one) */
  if (sqlite3_exec (self->db, "PRAGMA journal_mode = WAL; "
          "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;", NULL,
          NULL, NULL) != SQLITE_OK) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_STORAGE,
        "Cannot open the ledger %s: %s", path, sqlite3_errmsg (self->db));
    return NULL;
  }
  return g_steal_pointer (&self);
}

/* The file's schema version; 0 when it holds no ledger. */
static gboolean
schema_version (LpLedgerSqlite * self, gint * version, GError ** error)
{
  sqlite3_stmt *stmt = NULL;
  gint rc;

  *version = 0;
  if (sqlite3_prepare_v2 (self->db, "SELECT value FROM sqlite_master m, state s"
          " WHERE m.name = 'state' AND s.name = 'schema-version'", -1, &stmt,
          NULL) != SQLITE_OK) {
    /* no state table at all */
    return TRUE;
  }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_STORAGE,
        "Cannot read the ledger %s: %s", self->path,
        sqlite3_errmsg (self->db));
    return FALSE;
  }
  return TRUE;
}

/* Schema 1 → 2 only adds the redemption queue, 2 → 3 the pool order, so a
 * ledger made before them keeps its state. One transaction; several processes may open the file at
 * once, hence the version read again inside it. */
static gboolean
upgrade_schema (LpLedgerSqlite * self, GError ** error)
{
  Tx tx;
  gint64 version = 0;
  gboolean ok;

  memset (&tx, 0, sizeof (tx));
  tx.self = self;
  tx.db = self->db;
  g_mutex_lock (&self->lock);
  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL)
      != SQLITE_OK) {
    lp_sqlite_storage_error (&tx, "upgrading the ledger");
    g_mutex_unlock (&self->lock);
    g_propagate_error (error, tx.error);
    return FALSE;
  }
  ok = lp_sqlite_state_get_i64 (&tx, "schema-version", 0, &version);
  if (ok && version == 1)
    ok = sqlite3_exec (self->db, queue_schema_sql, NULL, NULL, NULL)
        == SQLITE_OK || lp_sqlite_storage_error (&tx, "upgrading the ledger");
  if (ok && version >= 1 && version < 3)
    ok = (sqlite3_exec (self->db, pool_order_schema_sql, NULL, NULL, NULL)
        == SQLITE_OK || lp_sqlite_storage_error (&tx, "upgrading the ledger"))
        && lp_sqlite_state_set_i64 (&tx, "schema-version", SCHEMA_VERSION);
  return lp_sqlite_tx_end (&tx, ok, error);
}

LpLedger *
lp_ledger_sqlite_open (const gchar * path, GError ** error)
{
  g_autoptr (LpLedgerSqlite) self = connect (path, FALSE, error);
  gint version;

  if (self == NULL || !schema_version (self, &version, error))
    return NULL;
  if (version >= 1 && version < SCHEMA_VERSION
      && !upgrade_schema (self, error))
    return NULL;
  if (version > SCHEMA_VERSION) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_NOT_INITIALIZED,
        "%s holds a ledger of schema %d, newer than this gst-livepeer's "
        "(%d): use a newer lpctl", path, version, SCHEMA_VERSION);
    return NULL;
  }
  if (version <= 0) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_NOT_INITIALIZED,
        "%s holds no gst-livepeer ledger (schema %d): create one with "
        "`lpctl --ledger %s init`", path, SCHEMA_VERSION, path);
    return NULL;
  }
  return LP_LEDGER (g_steal_pointer (&self));
}

static gboolean
check_genesis (const LpLedgerGenesis * genesis, GError ** error)
{
  const LpLedgerParams *p = &genesis->params;

  if (p->round_length == 0 || p->num_active == 0) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
        "Genesis: round-length and num-active must be at least 1");
    return FALSE;
  }
  if (p->ticket_validity_period == 0) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
        "Genesis: ticket-validity-period must be at least 1");
    return FALSE;
  }
  return TRUE;
}

static gboolean
write_genesis (Tx * tx, const LpLedgerGenesis * genesis)
{
  guint8 seed_input[64], seed[32];
  mpz_t lpt, eth, supply, total_eth, cut;
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  for (guint i = 0; i < sizeof (seed_input); i += 4) {
    guint32 r = g_random_int ();
    memcpy (seed_input + i, &r, 4);
  }
  lp_keccak256 (seed_input, sizeof (seed_input), seed);
  stmt = lp_sqlite_prep (tx,
      "INSERT INTO state (name, value) VALUES ('chain-seed', ?)");
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, seed, sizeof (seed), SQLITE_TRANSIENT);
  if (!lp_sqlite_step_done (tx, stmt))
    return FALSE;

  tx->params = genesis->params;
  mpz_inits (lpt, eth, supply, total_eth, cut, NULL);
  for (guint i = 0; ok && i < genesis->accounts->len; i++) {
    const LpGenesisAccount *account =
        &g_array_index (genesis->accounts, LpGenesisAccount, i);
    lp_sqlite_mpz_from_uint256 (lpt, &account->lpt);
    lp_sqlite_mpz_from_uint256 (eth, &account->eth);
    if (tx->params.fee_asset == LP_FEE_ASSET_LPT)
      mpz_set_ui (eth, 0);
    ok = lp_sqlite_balance_credit (tx, &account->address, ASSET_LPT, lpt)
        && lp_sqlite_balance_credit (tx, &account->address, ASSET_ETH, eth);
    mpz_add (supply, supply, lpt);
    mpz_add (total_eth, total_eth, eth);
  }
  lp_sqlite_mpz_from_uint256 (cut, &genesis->params.treasury_cut);
  ok = ok && lp_sqlite_params_store (tx, &tx->params)
      && lp_sqlite_state_set_i64 (tx, "schema-version", SCHEMA_VERSION)
      && lp_sqlite_state_set_i64 (tx, "genesis-ms", g_get_real_time () / 1000)
      && lp_sqlite_state_set_i64 (tx, "manual-blocks", 0)
      && lp_sqlite_state_set_mpz (tx, "genesis-supply", supply)
      && lp_sqlite_state_set_mpz (tx, "total-supply", supply)
      && lp_sqlite_state_set_mpz (tx, "genesis-eth", total_eth)
      && lp_sqlite_state_set_mpz (tx, "next-treasury-cut", cut);
  mpz_clears (lpt, eth, supply, total_eth, cut, NULL);
  if (!ok)
    return FALSE;
  tx->block = 0;
  tx->round = 0;
  tx->last_initialized_round = -1;
  return lp_sqlite_do_initialize_round (tx);
}

LpLedger *
lp_ledger_sqlite_create (const gchar * path, const LpLedgerGenesis * genesis,
    GError ** error)
{
  g_autoptr (LpLedgerSqlite) self = NULL;
  gint version;
  Tx tx;

  if (!check_genesis (genesis, error))
    return NULL;
  self = connect (path, TRUE, error);
  if (self == NULL || !schema_version (self, &version, error))
    return NULL;
  if (version != 0) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_EXISTS,
        "%s already holds a ledger; remove it first to start a new one", path);
    return NULL;
  }
  memset (&tx, 0, sizeof (tx));
  tx.self = self;
  tx.db = self->db;
  g_mutex_lock (&self->lock);
  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK
      || sqlite3_exec (self->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK
      || sqlite3_exec (self->db, queue_schema_sql, NULL, NULL, NULL)
      != SQLITE_OK
      || sqlite3_exec (self->db, pool_order_schema_sql, NULL, NULL, NULL)
      != SQLITE_OK) {
    lp_sqlite_storage_error (&tx, "creating the ledger");
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    g_mutex_unlock (&self->lock);
    g_propagate_error (error, tx.error);
    return NULL;
  }
  if (!lp_sqlite_tx_end (&tx, write_genesis (&tx, genesis), error))
    return NULL;
  return LP_LEDGER (g_steal_pointer (&self));
}



/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
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
 */
#include "lpledger-private.h"

#include <gmp.h>
#include <sqlite3.h>
#include <string.h>

#define LP_TYPE_LEDGER_SQLITE (lp_ledger_sqlite_get_type ())
G_DECLARE_FINAL_TYPE (LpLedgerSqlite, lp_ledger_sqlite, LP, LEDGER_SQLITE,
    GObject)

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

/* 2 added the redemption queue; a version 1 file is upgraded when opened
 * (see upgrade_schema()) */
#define SCHEMA_VERSION 2
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

/* ---- fixed-point helpers (docs/design/ledger.md) ------------------------ */

static mpz_t perc_divisor;      /* MathUtils: 1e6 */
static mpz_t minter_divisor;    /* MathUtilsV2: 1e9 */
static mpz_t precise_divisor;   /* PreciseMathUtils: 1e27 */
static mpz_t uint256_limit;     /* 2^256 */

static void
fixed_point_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    mpz_init_set_ui (perc_divisor, 1000000);
    mpz_init_set_ui (minter_divisor, 1000000000);
    mpz_init_set_str (precise_divisor, "1000000000000000000000000000", 10);
    mpz_init (uint256_limit);
    mpz_setbit (uint256_limit, 256);
    g_once_init_leave (&done, 1);
  }
}

/* percPoints(n, d) = n × P / d */
static void
perc_points (mpz_t out, const mpz_t n, const mpz_t d, const mpz_t divisor)
{
  mpz_mul (out, n, divisor);
  mpz_fdiv_q (out, out, d);
}

/* percOf(a, p) = a × p / P */
static void
perc_of (mpz_t out, const mpz_t a, const mpz_t p, const mpz_t divisor)
{
  mpz_mul (out, a, p);
  mpz_fdiv_q (out, out, divisor);
}

static void
perc_of_ui (mpz_t out, const mpz_t a, guint64 p, const mpz_t divisor)
{
  mpz_t pz;

  mpz_init_set_ui (pz, p);
  perc_of (out, a, pz, divisor);
  mpz_clear (pz);
}

/* percOf(a, n, d) = a × percPoints(n, d) / P: two truncations */
static void
perc_of_fraction (mpz_t out, const mpz_t a, const mpz_t n, const mpz_t d,
    const mpz_t divisor)
{
  mpz_t points;

  mpz_init (points);
  perc_points (points, n, d, divisor);
  mpz_mul (out, a, points);
  mpz_fdiv_q (out, out, divisor);
  mpz_clear (points);
}

static void
mpz_from_uint256 (mpz_t out, const LpUint256 * value)
{
  mpz_import (out, LP_UINT256_SIZE, 1, 1, 1, 0, value->be);
}

/* Only for values already known to fit. */
static void
mpz_to_uint256 (const mpz_t value, LpUint256 * out)
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

static gboolean
storage_error (Tx * tx, const gchar * what)
{
  if (tx->error == NULL)
    g_set_error (&tx->error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_STORAGE,
        "Ledger %s: %s failed: %s", tx->self->path, what,
        sqlite3_errmsg (tx->db));
  return FALSE;
}

G_GNUC_PRINTF (2, 3)
     static gboolean refuse (Tx * tx, const gchar * format, ...)
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
static sqlite3_stmt *
prep (Tx * tx, const gchar * sql)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (tx->self->statements, sql);

  if (stmt == NULL) {
    if (sqlite3_prepare_v3 (tx->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
            &stmt, NULL) != SQLITE_OK) {
      storage_error (tx, "preparing a statement");
      return NULL;
    }
    g_hash_table_insert (tx->self->statements, (gpointer) sql, stmt);
  }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

/* SQLITE_ROW: 1, SQLITE_DONE: 0, failure: -1 (error set) */
static gint
step (Tx * tx, sqlite3_stmt * stmt)
{
  gint rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return 1;
  if (rc == SQLITE_DONE)
    return 0;
  storage_error (tx, "a statement");
  return -1;
}

static gboolean
step_done (Tx * tx, sqlite3_stmt * stmt)
{
  return step (tx, stmt) == 0;
}

static void
bind_address (sqlite3_stmt * stmt, gint index, const LpAddress * address)
{
  sqlite3_bind_blob (stmt, index, address->bytes, LP_ADDRESS_SIZE,
      SQLITE_TRANSIENT);
}

/* Binds an amount; refuses one outside uint256 as the contracts' SafeMath
 * would revert (no rule may get here with one: this is the last guard). */
static gboolean
bind_mpz (Tx * tx, sqlite3_stmt * stmt, gint index, const mpz_t value)
{
  LpUint256 out;

  if (mpz_sgn (value) < 0)
    return refuse (tx, "Arithmetic underflow: an amount would go below zero");
  if (mpz_cmp (value, uint256_limit) >= 0)
    return refuse (tx, "Arithmetic overflow: an amount would pass 2^256");
  mpz_to_uint256 (value, &out);
  sqlite3_bind_blob (stmt, index, out.be, LP_UINT256_SIZE, SQLITE_TRANSIENT);
  return TRUE;
}

static void
column_mpz (sqlite3_stmt * stmt, gint index, mpz_t out)
{
  const void *blob = sqlite3_column_blob (stmt, index);

  if (blob == NULL || sqlite3_column_bytes (stmt, index) != LP_UINT256_SIZE) {
    mpz_set_ui (out, 0);
    return;
  }
  mpz_import (out, LP_UINT256_SIZE, 1, 1, 1, 0, blob);
}

static void
column_address (sqlite3_stmt * stmt, gint index, LpAddress * out)
{
  const void *blob = sqlite3_column_blob (stmt, index);

  memset (out, 0, sizeof (*out));
  if (blob != NULL && sqlite3_column_bytes (stmt, index) == LP_ADDRESS_SIZE)
    memcpy (out->bytes, blob, LP_ADDRESS_SIZE);
}

/* A fixed-size blob (hash, signature, stored uint256); zeros when the row
 * holds something else. */
static void
column_bytes (sqlite3_stmt * stmt, gint index, guint8 * out, gsize size)
{
  const void *blob = sqlite3_column_blob (stmt, index);

  memset (out, 0, size);
  if (blob != NULL && (gsize) sqlite3_column_bytes (stmt, index) == size)
    memcpy (out, blob, size);
}

/* ---- global state ------------------------------------------------------- */

static gboolean
state_get_i64 (Tx * tx, const gchar * name, gint64 fallback, gint64 * value)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT value FROM state WHERE name = ?");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = step (tx, stmt);
  if (rc < 0)
    return FALSE;
  *value = rc == 1 ? sqlite3_column_int64 (stmt, 0) : fallback;
  return TRUE;
}

static gboolean
state_set_i64 (Tx * tx, const gchar * name, gint64 value)
{
  sqlite3_stmt *stmt =
      prep (tx, "INSERT OR REPLACE INTO state (name, value) VALUES (?, ?)");

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, value);
  return step_done (tx, stmt);
}

static gboolean
state_get_mpz (Tx * tx, const gchar * name, mpz_t value)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT value FROM state WHERE name = ?");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = step (tx, stmt);
  if (rc < 0)
    return FALSE;
  if (rc == 0)
    mpz_set_ui (value, 0);
  else
    column_mpz (stmt, 0, value);
  return TRUE;
}

static gboolean
state_set_mpz (Tx * tx, const gchar * name, const mpz_t value)
{
  sqlite3_stmt *stmt =
      prep (tx, "INSERT OR REPLACE INTO state (name, value) VALUES (?, ?)");

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  if (!bind_mpz (tx, stmt, 2, value))
    return FALSE;
  return step_done (tx, stmt);
}

/* state += delta (delta may be negative) */
static gboolean
state_add_mpz (Tx * tx, const gchar * name, const mpz_t delta)
{
  mpz_t value;
  gboolean ok;

  mpz_init (value);
  ok = state_get_mpz (tx, name, value);
  if (ok) {
    mpz_add (value, value, delta);
    ok = state_set_mpz (tx, name, value);
  }
  mpz_clear (value);
  return ok;
}

static gboolean
state_sub_mpz (Tx * tx, const gchar * name, const mpz_t delta)
{
  mpz_t negative;
  gboolean ok;

  mpz_init (negative);
  mpz_neg (negative, delta);
  ok = state_add_mpz (tx, name, negative);
  mpz_clear (negative);
  return ok;
}

/* ---- parameters --------------------------------------------------------- */

static gboolean
params_store (Tx * tx, const LpLedgerParams * params)
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
      mpz_from_uint256 (value, member);
      ok = state_set_mpz (tx, key, value);
      mpz_clear (value);
    } else if (field->kind == LP_LEDGER_FIELD_BOOL) {
      ok = state_set_i64 (tx, key, *(const gboolean *) member ? 1 : 0);
    } else {
      ok = state_set_i64 (tx, key, (gint64) * (const guint64 *) member);
    }
    if (!ok)
      return FALSE;
  }
  return state_set_i64 (tx, "param.fee-asset", params->fee_asset);
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
      ok = state_get_mpz (tx, key, value);
      mpz_to_uint256 (value, member);
      mpz_clear (value);
      if (!ok)
        return FALSE;
    } else {
      if (!state_get_i64 (tx, key, 0, &number))
        return FALSE;
      if (field->kind == LP_LEDGER_FIELD_BOOL)
        *(gboolean *) member = number != 0;
      else
        *(guint64 *) member = (guint64) number;
    }
  }
  if (!state_get_i64 (tx, "param.fee-asset", 0, &number))
    return FALSE;
  params->fee_asset = number;
  return TRUE;
}

/* ---- time --------------------------------------------------------------- */

/* The block now: blocks advanced by hand plus, with a block time, those
 * the clock has produced since genesis. */
static gboolean
load_time (Tx * tx)
{
  gint64 genesis_ms, manual_blocks, rl_round, rl_block;
  guint64 clock_blocks = 0;

  if (!state_get_i64 (tx, "genesis-ms", 0, &genesis_ms)
      || !state_get_i64 (tx, "manual-blocks", 0, &manual_blocks)
      || !state_get_i64 (tx, "last-initialized-round", -1,
          &tx->last_initialized_round)
      || !state_get_i64 (tx, "round-length-update-round", 0, &rl_round)
      || !state_get_i64 (tx, "round-length-update-block", 0, &rl_block))
    return FALSE;

  if (tx->params.block_time_ms > 0) {
    gint64 now_ms = g_get_real_time () / 1000;
    if (now_ms > genesis_ms)
      clock_blocks = (guint64) (now_ms - genesis_ms) / tx->params.block_time_ms;
  }
  tx->block = (guint64) manual_blocks + clock_blocks;
  /* RoundsManager: rounds count from the last round-length change */
  tx->round = (guint64) rl_round;
  if (tx->block > (guint64) rl_block)
    tx->round += (tx->block - (guint64) rl_block) / tx->params.round_length;
  return TRUE;
}

static guint64
current_round_start_block (Tx * tx)
{
  gint64 rl_round = 0, rl_block = 0;

  state_get_i64 (tx, "round-length-update-round", 0, &rl_round);
  state_get_i64 (tx, "round-length-update-block", 0, &rl_block);
  return (guint64) rl_block + (tx->round - (guint64) rl_round) *
      tx->params.round_length;
}

static gboolean
current_round_locked (Tx * tx)
{
  mpz_t length, locked;
  guint64 locked_blocks;

  mpz_init_set_ui (length, tx->params.round_length);
  mpz_init (locked);
  perc_of_ui (locked, length, tx->params.round_lock_amount, perc_divisor);
  locked_blocks = mpz_get_ui (locked);
  mpz_clears (length, locked, NULL);
  return tx->block >= current_round_start_block (tx) +
      tx->params.round_length - locked_blocks;
}

static gboolean
current_round_initialized (Tx * tx)
{
  return tx->last_initialized_round == (gint64) tx->round;
}

static gboolean
require_round_initialized (Tx * tx)
{
  if (current_round_initialized (tx))
    return TRUE;
  return refuse (tx, "Round %" G_GUINT64_FORMAT " is not initialized "
      "(anyone may initialize it: lpctl round init)", tx->round);
}

static gboolean
tx_begin (LpLedgerSqlite * self, Tx * tx, gboolean write, GError ** error)
{
  memset (tx, 0, sizeof (*tx));
  tx->self = self;
  tx->db = self->db;
  g_mutex_lock (&self->lock);
  if (sqlite3_exec (self->db, write ? "BEGIN IMMEDIATE" : "BEGIN", NULL, NULL,
          NULL) != SQLITE_OK) {
    storage_error (tx, "starting a transaction");
    g_propagate_error (error, tx->error);
    g_mutex_unlock (&self->lock);
    return FALSE;
  }
  if (!params_load (tx, &tx->params) || !load_time (tx)) {
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    g_propagate_error (error, tx->error);
    g_mutex_unlock (&self->lock);
    return FALSE;
  }
  return TRUE;
}

/* Commits when @ok, rolls back otherwise; hands the error over. */
static gboolean
tx_end (Tx * tx, gboolean ok, GError ** error)
{
  sqlite3_stmt *stmt = NULL;

  /* a cached statement left on a row would keep its read snapshot past the
   * commit: this connection would then miss other processes' writes */
  while ((stmt = sqlite3_next_stmt (tx->db, stmt)) != NULL)
    sqlite3_reset (stmt);
  if (ok && tx->error == NULL) {
    if (sqlite3_exec (tx->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
      storage_error (tx, "committing");
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

typedef enum
{
  ASSET_LPT,
  ASSET_ETH,
} Asset;

static Asset
fee_asset (Tx * tx)
{
  return tx->params.fee_asset == LP_FEE_ASSET_LPT ? ASSET_LPT : ASSET_ETH;
}

static const gchar *
asset_name (Asset asset)
{
  return asset == ASSET_LPT ? "LPT" : "ETH";
}

static gboolean
balance_get (Tx * tx, const LpAddress * address, Asset asset, mpz_t value)
{
  sqlite3_stmt *stmt = prep (tx, asset == ASSET_LPT ?
      "SELECT lpt FROM accounts WHERE address = ?" :
      "SELECT eth FROM accounts WHERE address = ?");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, address);
  rc = step (tx, stmt);
  if (rc < 0)
    return FALSE;
  if (rc == 0)
    mpz_set_ui (value, 0);
  else
    column_mpz (stmt, 0, value);
  return TRUE;
}

static gboolean
balance_set (Tx * tx, const LpAddress * address, Asset asset,
    const mpz_t value)
{
  sqlite3_stmt *stmt = prep (tx,
      "INSERT INTO accounts (address, lpt, eth) VALUES (?1, zeroblob(32), "
      "zeroblob(32)) ON CONFLICT (address) DO NOTHING");

  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, address);
  if (!step_done (tx, stmt))
    return FALSE;
  stmt = prep (tx, asset == ASSET_LPT ?
      "UPDATE accounts SET lpt = ?2 WHERE address = ?1" :
      "UPDATE accounts SET eth = ?2 WHERE address = ?1");
  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, address);
  if (!bind_mpz (tx, stmt, 2, value))
    return FALSE;
  return step_done (tx, stmt);
}

static gboolean
balance_credit (Tx * tx, const LpAddress * address, Asset asset,
    const mpz_t amount)
{
  mpz_t value;
  gboolean ok;

  mpz_init (value);
  ok = balance_get (tx, address, asset, value);
  if (ok) {
    mpz_add (value, value, amount);
    ok = balance_set (tx, address, asset, value);
  }
  mpz_clear (value);
  return ok;
}

/* Takes @amount from @address's balance, or refuses naming the shortfall. */
static gboolean
balance_debit (Tx * tx, const LpAddress * address, Asset asset,
    const mpz_t amount, const gchar * purpose)
{
  mpz_t value;
  gboolean ok;

  mpz_init (value);
  ok = balance_get (tx, address, asset, value);
  if (ok && mpz_cmp (value, amount) < 0) {
    gchar text[LP_ADDRESS_TEXT_SIZE];
    gchar *have = mpz_get_str (NULL, 10, value);
    gchar *need = mpz_get_str (NULL, 10, amount);
    lp_address_format (address, text);
    ok = refuse (tx, "%s: insufficient %s balance (%s holds %s wei, %s "
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

/* ---- delegators --------------------------------------------------------- */

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

static void
delegator_init (Delegator * d)
{
  memset (d, 0, sizeof (*d));
  mpz_inits (d->bonded, d->fees, d->delegated, NULL);
}

static void
delegator_clear (Delegator * d)
{
  mpz_clears (d->bonded, d->fees, d->delegated, NULL);
}

static gboolean
delegator_load (Tx * tx, const LpAddress * address, Delegator * d)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT bonded, fees, delegate, delegated, "
      "start_round, last_claim_round, next_lock_id FROM delegators "
      "WHERE address = ?");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  d->address = *address;
  bind_address (stmt, 1, address);
  rc = step (tx, stmt);
  if (rc < 0)
    return FALSE;
  if (rc == 0) {
    mpz_set_ui (d->bonded, 0);
    mpz_set_ui (d->fees, 0);
    mpz_set_ui (d->delegated, 0);
    memset (&d->delegate, 0, sizeof (d->delegate));
    d->start_round = d->last_claim_round = d->next_lock_id = 0;
    return TRUE;
  }
  column_mpz (stmt, 0, d->bonded);
  column_mpz (stmt, 1, d->fees);
  column_address (stmt, 2, &d->delegate);
  column_mpz (stmt, 3, d->delegated);
  d->start_round = sqlite3_column_int64 (stmt, 4);
  d->last_claim_round = sqlite3_column_int64 (stmt, 5);
  d->next_lock_id = sqlite3_column_int64 (stmt, 6);
  return TRUE;
}

static gboolean
delegator_store (Tx * tx, const Delegator * d)
{
  sqlite3_stmt *stmt = prep (tx, "INSERT OR REPLACE INTO delegators "
      "(address, bonded, fees, delegate, delegated, start_round, "
      "last_claim_round, next_lock_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");

  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, &d->address);
  if (!bind_mpz (tx, stmt, 2, d->bonded) || !bind_mpz (tx, stmt, 3, d->fees))
    return FALSE;
  bind_address (stmt, 4, &d->delegate);
  if (!bind_mpz (tx, stmt, 5, d->delegated))
    return FALSE;
  sqlite3_bind_int64 (stmt, 6, d->start_round);
  sqlite3_bind_int64 (stmt, 7, d->last_claim_round);
  sqlite3_bind_int64 (stmt, 8, d->next_lock_id);
  return step_done (tx, stmt);
}

static LpDelegatorStatus
delegator_status (Tx * tx, const Delegator * d)
{
  if (mpz_sgn (d->bonded) == 0)
    return LP_DELEGATOR_UNBONDED;
  if (d->start_round > (gint64) tx->round)
    return LP_DELEGATOR_PENDING;
  return LP_DELEGATOR_BONDED;
}

static gboolean
is_registered (const Delegator * d)
{
  return lp_address_equal (&d->delegate, &d->address)
      && mpz_sgn (d->bonded) > 0;
}

/* The delegator row of @address: its delegated amount is its total stake. */
static gboolean
delegated_amount (Tx * tx, const LpAddress * address, mpz_t out)
{
  Delegator d;
  gboolean ok;

  delegator_init (&d);
  ok = delegator_load (tx, address, &d);
  mpz_set (out, d.delegated);
  delegator_clear (&d);
  return ok;
}

/* BondingVotes: the state a delegator's stake counts with from the next
 * round on. */
static gboolean
checkpoint (Tx * tx, const Delegator * d)
{
  sqlite3_stmt *stmt = prep (tx, "INSERT OR REPLACE INTO checkpoints "
      "(address, start_round, bonded, delegate, delegated, last_claim_round) "
      "VALUES (?, ?, ?, ?, ?, ?)");

  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, &d->address);
  sqlite3_bind_int64 (stmt, 2, (gint64) tx->round + 1);
  if (!bind_mpz (tx, stmt, 3, d->bonded))
    return FALSE;
  bind_address (stmt, 4, &d->delegate);
  if (!bind_mpz (tx, stmt, 5, d->delegated))
    return FALSE;
  sqlite3_bind_int64 (stmt, 6, d->last_claim_round);
  return step_done (tx, stmt);
}

static gboolean
checkpoint_address (Tx * tx, const LpAddress * address)
{
  Delegator d;
  gboolean ok;

  delegator_init (&d);
  ok = delegator_load (tx, address, &d) && checkpoint (tx, &d);
  delegator_clear (&d);
  return ok;
}

/* ---- transcoders and earnings pools ------------------------------------- */

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

static void
transcoder_init (Transcoder * t)
{
  memset (t, 0, sizeof (*t));
  mpz_inits (t->active_cumulative_rewards, t->cumulative_rewards,
      t->cumulative_fees, NULL);
}

static void
transcoder_clear (Transcoder * t)
{
  mpz_clears (t->active_cumulative_rewards, t->cumulative_rewards,
      t->cumulative_fees, NULL);
  g_free (t->service_uri);
}

static gboolean
transcoder_load (Tx * tx, const LpAddress * address, Transcoder * t)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT last_reward_round, reward_cut, "
      "fee_share, last_active_stake_update_round, activation_round, "
      "deactivation_round, last_fee_round, active_cumulative_rewards, "
      "cumulative_rewards, cumulative_fees, in_pool, service_uri "
      "FROM transcoders WHERE address = ?");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  t->address = *address;
  g_clear_pointer (&t->service_uri, g_free);
  bind_address (stmt, 1, address);
  rc = step (tx, stmt);
  if (rc < 0)
    return FALSE;
  if (rc == 0) {
    t->last_reward_round = t->reward_cut = t->fee_share = 0;
    t->last_active_stake_update_round = t->activation_round = 0;
    t->deactivation_round = t->last_fee_round = 0;
    mpz_set_ui (t->active_cumulative_rewards, 0);
    mpz_set_ui (t->cumulative_rewards, 0);
    mpz_set_ui (t->cumulative_fees, 0);
    t->in_pool = FALSE;
    t->service_uri = g_strdup ("");
    return TRUE;
  }
  t->last_reward_round = sqlite3_column_int64 (stmt, 0);
  t->reward_cut = sqlite3_column_int64 (stmt, 1);
  t->fee_share = sqlite3_column_int64 (stmt, 2);
  t->last_active_stake_update_round = sqlite3_column_int64 (stmt, 3);
  t->activation_round = sqlite3_column_int64 (stmt, 4);
  t->deactivation_round = sqlite3_column_int64 (stmt, 5);
  t->last_fee_round = sqlite3_column_int64 (stmt, 6);
  column_mpz (stmt, 7, t->active_cumulative_rewards);
  column_mpz (stmt, 8, t->cumulative_rewards);
  column_mpz (stmt, 9, t->cumulative_fees);
  t->in_pool = sqlite3_column_int (stmt, 10) != 0;
  t->service_uri = g_strdup ((const gchar *) sqlite3_column_text (stmt, 11));
  return TRUE;
}

static gboolean
transcoder_store (Tx * tx, const Transcoder * t)
{
  sqlite3_stmt *stmt = prep (tx, "INSERT OR REPLACE INTO transcoders "
      "(address, last_reward_round, reward_cut, fee_share, "
      "last_active_stake_update_round, activation_round, deactivation_round, "
      "last_fee_round, active_cumulative_rewards, cumulative_rewards, "
      "cumulative_fees, in_pool, service_uri) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, &t->address);
  sqlite3_bind_int64 (stmt, 2, t->last_reward_round);
  sqlite3_bind_int64 (stmt, 3, t->reward_cut);
  sqlite3_bind_int64 (stmt, 4, t->fee_share);
  sqlite3_bind_int64 (stmt, 5, t->last_active_stake_update_round);
  sqlite3_bind_int64 (stmt, 6, t->activation_round);
  sqlite3_bind_int64 (stmt, 7, t->deactivation_round);
  sqlite3_bind_int64 (stmt, 8, t->last_fee_round);
  if (!bind_mpz (tx, stmt, 9, t->active_cumulative_rewards)
      || !bind_mpz (tx, stmt, 10, t->cumulative_rewards)
      || !bind_mpz (tx, stmt, 11, t->cumulative_fees))
    return FALSE;
  sqlite3_bind_int (stmt, 12, t->in_pool ? 1 : 0);
  sqlite3_bind_text (stmt, 13, t->service_uri ? t->service_uri : "", -1,
      SQLITE_TRANSIENT);
  return step_done (tx, stmt);
}

static gboolean
is_active (Tx * tx, const Transcoder * t)
{
  return t->activation_round <= (gint64) tx->round
      && (gint64) tx->round < t->deactivation_round;
}

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

static void
pool_init (Pool * p)
{
  memset (p, 0, sizeof (*p));
  mpz_inits (p->total_stake, p->crf, p->cff, p->delegator_rewards,
      p->delegator_fees, NULL);
}

static void
pool_clear (Pool * p)
{
  mpz_clears (p->total_stake, p->crf, p->cff, p->delegator_rewards,
      p->delegator_fees, NULL);
}

static gboolean
pool_load (Tx * tx, const LpAddress * address, gint64 round, Pool * p)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT total_stake, reward_cut, fee_share, "
      "crf, cff, delegator_rewards, delegator_fees FROM pools "
      "WHERE address = ? AND round = ?");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, address);
  sqlite3_bind_int64 (stmt, 2, round);
  rc = step (tx, stmt);
  if (rc < 0)
    return FALSE;
  if (rc == 0) {
    mpz_set_ui (p->total_stake, 0);
    mpz_set_ui (p->crf, 0);
    mpz_set_ui (p->cff, 0);
    mpz_set_ui (p->delegator_rewards, 0);
    mpz_set_ui (p->delegator_fees, 0);
    p->reward_cut = p->fee_share = 0;
    return TRUE;
  }
  column_mpz (stmt, 0, p->total_stake);
  p->reward_cut = sqlite3_column_int64 (stmt, 1);
  p->fee_share = sqlite3_column_int64 (stmt, 2);
  column_mpz (stmt, 3, p->crf);
  column_mpz (stmt, 4, p->cff);
  column_mpz (stmt, 5, p->delegator_rewards);
  column_mpz (stmt, 6, p->delegator_fees);
  return TRUE;
}

static gboolean
pool_store (Tx * tx, const LpAddress * address, gint64 round, const Pool * p)
{
  sqlite3_stmt *stmt = prep (tx, "INSERT OR REPLACE INTO pools (address, "
      "round, total_stake, reward_cut, fee_share, crf, cff, "
      "delegator_rewards, delegator_fees) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");

  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, address);
  sqlite3_bind_int64 (stmt, 2, round);
  if (!bind_mpz (tx, stmt, 3, p->total_stake))
    return FALSE;
  sqlite3_bind_int64 (stmt, 4, p->reward_cut);
  sqlite3_bind_int64 (stmt, 5, p->fee_share);
  if (!bind_mpz (tx, stmt, 6, p->crf) || !bind_mpz (tx, stmt, 7, p->cff)
      || !bind_mpz (tx, stmt, 8, p->delegator_rewards)
      || !bind_mpz (tx, stmt, 9, p->delegator_fees))
    return FALSE;
  return step_done (tx, stmt);
}

/* EarningsPool.setStake on the pool of @round */
static gboolean
pool_set_stake (Tx * tx, const LpAddress * address, gint64 round,
    const mpz_t stake)
{
  Pool p;
  gboolean ok;

  pool_init (&p);
  ok = pool_load (tx, address, round, &p);
  if (ok) {
    mpz_set (p.total_stake, stake);
    ok = pool_store (tx, address, round, &p);
  }
  pool_clear (&p);
  return ok;
}

/* cumulativeFactorsPool(): the stored factors of @round (zero if none) */
static gboolean
cumulative_factors (Tx * tx, const LpAddress * address, gint64 round,
    mpz_t crf, mpz_t cff)
{
  Pool p;
  gboolean ok;

  pool_init (&p);
  ok = pool_load (tx, address, round, &p);
  mpz_set (crf, p.crf);
  mpz_set (cff, p.cff);
  pool_clear (&p);
  return ok;
}

/* latestCumulativeFactorsPool(): falls back on the last reward and fee
 * rounds when they precede @round */
static gboolean
latest_cumulative_factors (Tx * tx, const Transcoder * t, gint64 round,
    mpz_t crf, mpz_t cff)
{
  mpz_t unused;

  if (!cumulative_factors (tx, &t->address, round, crf, cff))
    return FALSE;
  mpz_init (unused);
  if (mpz_sgn (crf) == 0 && t->last_reward_round < round
      && !cumulative_factors (tx, &t->address, t->last_reward_round, crf,
          unused))
    goto failed;
  if (mpz_sgn (cff) == 0 && t->last_fee_round < round
      && !cumulative_factors (tx, &t->address, t->last_fee_round, unused, cff))
    goto failed;
  mpz_clear (unused);
  return TRUE;
failed:
  mpz_clear (unused);
  return FALSE;
}

/* ensureInitializedCumulativeFactorsPool() */
static gboolean
ensure_initialized_factors (Tx * tx, const LpAddress * address, gint64 round)
{
  Transcoder t;
  Pool p, source;
  gboolean ok, changed = FALSE;

  transcoder_init (&t);
  pool_init (&p);
  pool_init (&source);
  ok = transcoder_load (tx, address, &t) && pool_load (tx, address, round, &p);
  if (ok && mpz_sgn (p.crf) == 0 && t.last_reward_round < round) {
    ok = pool_load (tx, address, t.last_reward_round, &source);
    mpz_set (p.crf, source.crf);
    changed = TRUE;
  }
  if (ok && mpz_sgn (p.cff) == 0 && t.last_fee_round < round) {
    ok = pool_load (tx, address, t.last_fee_round, &source);
    mpz_set (p.cff, source.cff);
    changed = TRUE;
  }
  if (ok && changed)
    ok = pool_store (tx, address, round, &p);
  pool_clear (&source);
  pool_clear (&p);
  transcoder_clear (&t);
  return ok;
}

/* ---- the active set ----------------------------------------------------- */

static gboolean
pool_size (Tx * tx, guint64 * size)
{
  sqlite3_stmt *stmt =
      prep (tx, "SELECT COUNT(*) FROM transcoders WHERE in_pool = 1");

  if (stmt == NULL || step (tx, stmt) != 1)
    return stmt != NULL ? storage_error (tx, "counting the active set") :
        FALSE;
  *size = (guint64) sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* The pool member with the least stake (the contracts' getLast()); ties go
 * to the highest address. */
static gboolean
pool_last (Tx * tx, LpAddress * address, mpz_t stake, gboolean * found)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT d.address, d.delegated FROM "
      "transcoders t JOIN delegators d ON d.address = t.address "
      "WHERE t.in_pool = 1 ORDER BY d.delegated ASC, d.address DESC LIMIT 1");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  rc = step (tx, stmt);
  if (rc < 0)
    return FALSE;
  *found = rc == 1;
  if (rc == 1) {
    column_address (stmt, 0, address);
    column_mpz (stmt, 1, stake);
  }
  return TRUE;
}

static gboolean
set_in_pool (Tx * tx, const LpAddress * address, gboolean in_pool,
    gint64 activation_round, gint64 deactivation_round)
{
  Transcoder t;
  gboolean ok;

  transcoder_init (&t);
  ok = transcoder_load (tx, address, &t);
  if (ok) {
    t.in_pool = in_pool;
    if (activation_round >= 0) {
      t.activation_round = activation_round;
      t.last_active_stake_update_round = activation_round;
    }
    t.deactivation_round = deactivation_round;
    ok = transcoder_store (tx, &t);
  }
  transcoder_clear (&t);
  return ok;
}

/* tryToJoinActiveSet() */
static gboolean
try_to_join_active_set (Tx * tx, const LpAddress * address,
    const mpz_t total_stake, gint64 activation_round)
{
  mpz_t pending, last_stake;
  LpAddress last;
  guint64 size;
  gboolean found, ok = FALSE;

  mpz_inits (pending, last_stake, NULL);
  if (!state_get_mpz (tx, "next-round-total-active-stake", pending)
      || !pool_size (tx, &size))
    goto done;
  if (size >= tx->params.num_active) {
    if (!pool_last (tx, &last, last_stake, &found))
      goto done;
    if (!found || mpz_cmp (total_stake, last_stake) <= 0) {
      ok = TRUE;                /* not enough stake to join: not an error */
      goto done;
    }
    if (!set_in_pool (tx, &last, FALSE, -1, activation_round))
      goto done;
    mpz_sub (pending, pending, last_stake);
  }
  if (!set_in_pool (tx, address, TRUE, activation_round,
          LP_LEDGER_MAX_FUTURE_ROUND)
      || !pool_set_stake (tx, address, activation_round, total_stake))
    goto done;
  mpz_add (pending, pending, total_stake);
  ok = state_set_mpz (tx, "next-round-total-active-stake", pending);
done:
  mpz_clears (pending, last_stake, NULL);
  return ok;
}

/* resignTranscoder() */
static gboolean
resign (Tx * tx, const LpAddress * address)
{
  mpz_t stake;
  gboolean ok;

  mpz_init (stake);
  ok = delegated_amount (tx, address, stake)
      && state_sub_mpz (tx, "next-round-total-active-stake", stake)
      && set_in_pool (tx, address, FALSE, -1, (gint64) tx->round + 1);
  mpz_clear (stake);
  return ok;
}

/* The pool bookkeeping shared by increase and decrease: a transcoder
 * active now or next round gets this round's stake pinned (if not yet) and
 * the next round's set. */
static gboolean
update_stake_pools (Tx * tx, Transcoder * t, const mpz_t current_stake,
    const mpz_t new_stake)
{
  gint64 round = (gint64) tx->round;

  if (t->last_active_stake_update_round < round
      && !pool_set_stake (tx, &t->address, round, current_stake))
    return FALSE;
  if (!pool_set_stake (tx, &t->address, round + 1, new_stake))
    return FALSE;
  t->last_active_stake_update_round = round + 1;
  return transcoder_store (tx, t);
}

/* increaseTotalStake() */
static gboolean
increase_total_stake (Tx * tx, const LpAddress * delegate, const mpz_t amount)
{
  Delegator d;
  Transcoder t;
  mpz_t current_stake, new_stake;
  gboolean active_now, in_pool, ok = FALSE;

  delegator_init (&d);
  transcoder_init (&t);
  mpz_inits (current_stake, new_stake, NULL);
  if (!delegator_load (tx, delegate, &d) || !transcoder_load (tx, delegate, &t))
    goto done;
  mpz_set (current_stake, d.delegated);
  mpz_add (new_stake, current_stake, amount);
  active_now = is_active (tx, &t);
  in_pool = t.in_pool;
  if (in_pool) {
    if (!state_add_mpz (tx, "next-round-total-active-stake", amount))
      goto done;
  } else if (is_registered (&d)) {
    if (!try_to_join_active_set (tx, delegate, new_stake,
            (gint64) tx->round + 1))
      goto done;
  }
  if (active_now || in_pool) {
    /* reload: joining the set may have changed the row */
    if (!transcoder_load (tx, delegate, &t)
        || !update_stake_pools (tx, &t, current_stake, new_stake))
      goto done;
  }
  mpz_set (d.delegated, new_stake);
  ok = delegator_store (tx, &d);
done:
  mpz_clears (current_stake, new_stake, NULL);
  transcoder_clear (&t);
  delegator_clear (&d);
  return ok;
}

/* decreaseTotalStake() */
static gboolean
decrease_total_stake (Tx * tx, const LpAddress * delegate, const mpz_t amount)
{
  Delegator d;
  Transcoder t;
  mpz_t current_stake, new_stake;
  gboolean ok = FALSE;

  delegator_init (&d);
  transcoder_init (&t);
  mpz_inits (current_stake, new_stake, NULL);
  if (!delegator_load (tx, delegate, &d) || !transcoder_load (tx, delegate, &t))
    goto done;
  mpz_set (current_stake, d.delegated);
  mpz_sub (new_stake, current_stake, amount);
  if (mpz_sgn (new_stake) < 0) {
    refuse (tx, "Arithmetic underflow: a delegate's stake would go below "
        "zero");
    goto done;
  }
  if (t.in_pool
      && !state_sub_mpz (tx, "next-round-total-active-stake", amount))
    goto done;
  if ((is_active (tx, &t) || t.in_pool)
      && !update_stake_pools (tx, &t, current_stake, new_stake))
    goto done;
  mpz_set (d.delegated, new_stake);
  ok = delegator_store (tx, &d);
done:
  mpz_clears (current_stake, new_stake, NULL);
  transcoder_clear (&t);
  delegator_clear (&d);
  return ok;
}

/* ---- earnings ----------------------------------------------------------- */

/* pendingStakeAndFees() up to @end_round */
static gboolean
pending_stake_and_fees (Tx * tx, const Delegator * d, gint64 end_round,
    mpz_t stake, mpz_t fees)
{
  Transcoder t;
  mpz_t start_crf, start_cff, end_crf, end_cff, earned;
  gboolean ok = FALSE;

  mpz_set (stake, d->bonded);
  mpz_set (fees, d->fees);
  if (lp_address_is_zero (&d->delegate))
    return TRUE;

  transcoder_init (&t);
  mpz_inits (start_crf, start_cff, end_crf, end_cff, earned, NULL);
  if (!transcoder_load (tx, &d->delegate, &t))
    goto done;
  if (d->last_claim_round + 1 <= end_round) {
    if (!cumulative_factors (tx, &d->delegate, d->last_claim_round,
            start_crf, start_cff)
        || !latest_cumulative_factors (tx, &t, end_round, end_crf, end_cff))
      goto done;
    if (mpz_sgn (start_crf) == 0)
      mpz_set (start_crf, precise_divisor);
    if (mpz_sgn (end_crf) == 0)
      mpz_set (end_crf, precise_divisor);
    perc_of_fraction (stake, d->bonded, end_crf, start_crf, precise_divisor);
    mpz_sub (earned, end_cff, start_cff);
    if (mpz_sgn (earned) < 0) {
      refuse (tx, "Arithmetic underflow in a cumulative fee factor");
      goto done;
    }
    perc_of_fraction (earned, d->bonded, earned, start_crf, precise_divisor);
    mpz_add (fees, d->fees, earned);
  }
  if (lp_address_equal (&d->delegate, &d->address)) {
    mpz_add (stake, stake, t.cumulative_rewards);
    mpz_add (fees, fees, t.cumulative_fees);
  }
  ok = TRUE;
done:
  mpz_clears (start_crf, start_cff, end_crf, end_cff, earned, NULL);
  transcoder_clear (&t);
  return ok;
}

/* updateDelegatorWithEarnings() through the current round; @d is updated
 * and stored. */
static gboolean
claim_into (Tx * tx, Delegator * d)
{
  gint64 round = (gint64) tx->round;

  if (d->last_claim_round >= round)
    return TRUE;
  if (!lp_address_is_zero (&d->delegate)) {
    mpz_t stake, fees;
    gboolean ok;

    mpz_inits (stake, fees, NULL);
    ok = pending_stake_and_fees (tx, d, round, stake, fees)
        && ensure_initialized_factors (tx, &d->delegate, round);
    if (ok && lp_address_equal (&d->delegate, &d->address)) {
      Transcoder t;
      transcoder_init (&t);
      ok = transcoder_load (tx, &d->address, &t);
      mpz_set_ui (t.cumulative_rewards, 0);
      mpz_set_ui (t.cumulative_fees, 0);
      ok = ok && transcoder_store (tx, &t);
      transcoder_clear (&t);
    }
    mpz_set (d->bonded, stake);
    mpz_set (d->fees, fees);
    mpz_clears (stake, fees, NULL);
    if (!ok)
      return FALSE;
  }
  d->last_claim_round = round;
  return delegator_store (tx, d);
}

/* _autoClaimEarnings() for @address */
static gboolean
auto_claim (Tx * tx, const LpAddress * address)
{
  Delegator d;
  gboolean ok;

  delegator_init (&d);
  ok = delegator_load (tx, address, &d) && claim_into (tx, &d);
  delegator_clear (&d);
  return ok;
}

/* _ensurePendingDeactivationTranscoderCalledReward() */
static gboolean
require_reward_if_leaving (Tx * tx, const LpAddress * address)
{
  Transcoder t;
  gboolean ok = TRUE;

  transcoder_init (&t);
  if (!transcoder_load (tx, address, &t))
    ok = FALSE;
  else if (is_active (tx, &t)
      && t.deactivation_round != LP_LEDGER_MAX_FUTURE_ROUND
      && t.last_reward_round != (gint64) tx->round) {
    gchar text[LP_ADDRESS_TEXT_SIZE];
    lp_address_format (address, text);
    ok = refuse (tx, "Orchestrator %s leaves the active set after this round "
        "and has not called reward in round %" G_GUINT64_FORMAT " yet", text,
        tx->round);
  }
  transcoder_clear (&t);
  return ok;
}

/* ---- helpers for messages ----------------------------------------------- */

typedef struct
{
  gchar text[LP_ADDRESS_TEXT_SIZE];
} AddressText;

static AddressText
address_text (const LpAddress * address)
{
  AddressText out;

  lp_address_format (address, out.text);
  return out;
}

static gchar *
amount_text (const mpz_t value)
{
  gchar *raw = mpz_get_str (NULL, 10, value);
  gchar *out = g_strdup (raw);

  free (raw);
  return out;
}

/* ---- unbonding locks ---------------------------------------------------- */

static gboolean
lock_load (Tx * tx, const LpAddress * owner, guint64 id, mpz_t amount,
    gint64 * withdraw_round, gboolean * found)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT amount, withdraw_round FROM locks "
      "WHERE address = ? AND id = ?");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, owner);
  sqlite3_bind_int64 (stmt, 2, (gint64) id);
  rc = step (tx, stmt);
  if (rc < 0)
    return FALSE;
  *found = rc == 1;
  if (rc == 1) {
    column_mpz (stmt, 0, amount);
    *withdraw_round = sqlite3_column_int64 (stmt, 1);
  }
  return TRUE;
}

static gboolean
lock_delete (Tx * tx, const LpAddress * owner, guint64 id)
{
  sqlite3_stmt *stmt =
      prep (tx, "DELETE FROM locks WHERE address = ? AND id = ?");

  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, owner);
  sqlite3_bind_int64 (stmt, 2, (gint64) id);
  return step_done (tx, stmt);
}

static gboolean
lock_insert (Tx * tx, const LpAddress * owner, guint64 id, const mpz_t amount,
    gint64 withdraw_round)
{
  sqlite3_stmt *stmt = prep (tx, "INSERT INTO locks (address, id, amount, "
      "withdraw_round) VALUES (?, ?, ?, ?)");

  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, owner);
  sqlite3_bind_int64 (stmt, 2, (gint64) id);
  if (!bind_mpz (tx, stmt, 3, amount))
    return FALSE;
  sqlite3_bind_int64 (stmt, 4, withdraw_round);
  return step_done (tx, stmt);
}

/* ---- bonding operations ------------------------------------------------- */

/* LivepeerToken.transfer() (an OpenZeppelin ERC20, which refuses the
 * zero address: tokens sent there would be gone without being burnt) */
static gboolean
do_transfer (Tx * tx, const LpAddress * from, const LpAddress * to,
    const mpz_t amount)
{
  if (lp_address_is_zero (to))
    return refuse (tx, "Transfer: the recipient is the zero address (the "
        "token refuses it: the LPT would be lost)");
  if (lp_address_is_zero (from))
    return refuse (tx, "Transfer: the sender is the zero address");
  return balance_debit (tx, from, ASSET_LPT, amount, "transfer")
      && balance_credit (tx, to, ASSET_LPT, amount);
}

/* bondForWithHint() with the owner as caller */
static gboolean
do_bond (Tx * tx, const LpAddress * owner, const LpAddress * to,
    const mpz_t amount)
{
  Delegator d;
  LpAddress current_delegate;
  mpz_t delegation, current_bonded;
  gboolean ok = FALSE;

  if (lp_address_is_zero (to))
    return refuse (tx, "Cannot bond to the zero address");
  if (!require_round_initialized (tx) || !auto_claim (tx, owner))
    return FALSE;

  delegator_init (&d);
  mpz_inits (delegation, current_bonded, NULL);
  if (!delegator_load (tx, owner, &d) || !require_reward_if_leaving (tx, to))
    goto done;
  current_delegate = d.delegate;
  mpz_set (current_bonded, d.bonded);
  mpz_set (delegation, amount);

  if (delegator_status (tx, &d) == LP_DELEGATOR_UNBONDED) {
    d.start_round = (gint64) tx->round + 1;
  } else if (mpz_sgn (current_bonded) > 0
      && !lp_address_equal (&current_delegate, to)) {
    if (is_registered (&d)) {
      refuse (tx, "Registered orchestrators cannot delegate to other "
          "addresses (%s is self-bonded)", address_text (owner).text);
      goto done;
    }
    d.start_round = (gint64) tx->round + 1;
    mpz_add (delegation, delegation, current_bonded);
    if (!decrease_total_stake (tx, &current_delegate, current_bonded)
        || !checkpoint_address (tx, &current_delegate))
      goto done;
  }
  if (!ensure_initialized_factors (tx, to, (gint64) tx->round))
    goto done;
  if (mpz_sgn (delegation) == 0) {
    refuse (tx, "Bond: the amount to delegate must be greater than 0");
    goto done;
  }
  if (mpz_sgn (amount) > 0
      && !balance_debit (tx, owner, ASSET_LPT, amount, "bond"))
    goto done;
  d.delegate = *to;
  mpz_add (d.bonded, current_bonded, amount);
  /* the row is stored first: for a self-bond it is also the delegate's */
  if (!delegator_store (tx, &d) || !increase_total_stake (tx, to, delegation))
    goto done;
  ok = checkpoint_address (tx, owner)
      && (lp_address_equal (owner, to) || checkpoint_address (tx, to));
done:
  mpz_clears (delegation, current_bonded, NULL);
  delegator_clear (&d);
  return ok;
}

static gboolean
do_unbond (Tx * tx, const LpAddress * owner, const mpz_t amount,
    guint64 * lock_id)
{
  Delegator d;
  LpAddress current_delegate;
  Transcoder t;
  gint64 id, withdraw_round;
  gboolean ok = FALSE;

  if (!require_round_initialized (tx) || !auto_claim (tx, owner))
    return FALSE;
  delegator_init (&d);
  transcoder_init (&t);
  if (!delegator_load (tx, owner, &d))
    goto done;
  if (delegator_status (tx, &d) != LP_DELEGATOR_BONDED) {
    if (delegator_status (tx, &d) == LP_DELEGATOR_PENDING)
      refuse (tx, "Unbond: %s is not bonded yet (its bond counts from round "
          "%" G_GINT64_FORMAT ")", address_text (owner).text, d.start_round);
    else
      refuse (tx, "Unbond: %s has nothing bonded", address_text (owner).text);
    goto done;
  }
  if (mpz_sgn (amount) == 0) {
    refuse (tx, "Unbond: the amount must be greater than 0");
    goto done;
  }
  if (mpz_cmp (amount, d.bonded) > 0) {
    g_autofree gchar *bonded = amount_text (d.bonded);
    refuse (tx, "Unbond: the amount is greater than the bonded amount (%s "
        "wei)", bonded);
    goto done;
  }
  current_delegate = d.delegate;
  id = d.next_lock_id;
  withdraw_round = (gint64) (tx->round + tx->params.unbonding_period);
  if (!lock_insert (tx, owner, (guint64) id, amount, withdraw_round))
    goto done;
  d.next_lock_id = id + 1;
  mpz_sub (d.bonded, d.bonded, amount);
  if (mpz_sgn (d.bonded) == 0) {
    memset (&d.delegate, 0, sizeof (d.delegate));
    d.start_round = 0;
  }
  if (!delegator_store (tx, &d) || !transcoder_load (tx, owner, &t))
    goto done;
  if (mpz_sgn (d.bonded) == 0 && t.in_pool && !resign (tx, owner))
    goto done;
  if (!decrease_total_stake (tx, &current_delegate, amount))
    goto done;
  ok = checkpoint_address (tx, owner)
      && (lp_address_equal (owner, &current_delegate)
      || checkpoint_address (tx, &current_delegate));
  if (ok && lock_id != NULL)
    *lock_id = (guint64) id;
done:
  transcoder_clear (&t);
  delegator_clear (&d);
  return ok;
}

/* rebondWithHint() (@to NULL) and rebondFromUnbondedWithHint() */
static gboolean
do_rebond (Tx * tx, const LpAddress * owner, const LpAddress * to,
    guint64 lock_id)
{
  Delegator d;
  LpAddress delegate;
  mpz_t amount;
  gint64 withdraw_round;
  gboolean found, ok = FALSE;

  if (!require_round_initialized (tx) || !auto_claim (tx, owner))
    return FALSE;
  delegator_init (&d);
  mpz_init (amount);
  if (!delegator_load (tx, owner, &d))
    goto done;
  if (to == NULL && delegator_status (tx, &d) == LP_DELEGATOR_UNBONDED) {
    refuse (tx, "Rebond: %s is unbonded; name the orchestrator to rebond to",
        address_text (owner).text);
    goto done;
  }
  if (to != NULL && delegator_status (tx, &d) != LP_DELEGATOR_UNBONDED) {
    refuse (tx, "Rebond: %s is still bonded to %s; rebond without naming "
        "an orchestrator", address_text (owner).text,
        address_text (&d.delegate).text);
    goto done;
  }
  if (to != NULL) {
    if (lp_address_is_zero (to)) {
      refuse (tx, "Cannot rebond to the zero address");
      goto done;
    }
    if (!ensure_initialized_factors (tx, to, (gint64) tx->round))
      goto done;
    d.start_round = (gint64) tx->round + 1;
    d.delegate = *to;
  }
  if (!lock_load (tx, owner, lock_id, amount, &withdraw_round, &found))
    goto done;
  if (!found) {
    refuse (tx, "Rebond: %s has no unbonding lock %" G_GUINT64_FORMAT,
        address_text (owner).text, lock_id);
    goto done;
  }
  mpz_add (d.bonded, d.bonded, amount);
  delegate = d.delegate;
  if (!lock_delete (tx, owner, lock_id) || !delegator_store (tx, &d)
      || !require_reward_if_leaving (tx, &delegate)
      || !increase_total_stake (tx, &delegate, amount))
    goto done;
  ok = checkpoint_address (tx, owner)
      && (lp_address_equal (owner, &delegate)
      || checkpoint_address (tx, &delegate));
done:
  mpz_clear (amount);
  delegator_clear (&d);
  return ok;
}

static gboolean
do_withdraw_stake (Tx * tx, const LpAddress * owner, guint64 lock_id)
{
  mpz_t amount;
  gint64 withdraw_round;
  gboolean found, ok = FALSE;

  if (!require_round_initialized (tx))
    return FALSE;
  mpz_init (amount);
  if (!lock_load (tx, owner, lock_id, amount, &withdraw_round, &found))
    goto done;
  if (!found) {
    refuse (tx, "Withdraw stake: %s has no unbonding lock %" G_GUINT64_FORMAT,
        address_text (owner).text, lock_id);
    goto done;
  }
  if (withdraw_round > (gint64) tx->round) {
    refuse (tx, "Unbonding lock %" G_GUINT64_FORMAT " is not withdrawable "
        "before round %" G_GINT64_FORMAT " (now round %" G_GUINT64_FORMAT ")",
        lock_id, withdraw_round, tx->round);
    goto done;
  }
  ok = lock_delete (tx, owner, lock_id)
      && balance_credit (tx, owner, ASSET_LPT, amount);
done:
  mpz_clear (amount);
  return ok;
}

static gboolean
do_withdraw_fees (Tx * tx, const LpAddress * owner,
    const LpAddress * recipient, const mpz_t amount)
{
  Delegator d;
  gboolean ok = FALSE;

  if (lp_address_is_zero (recipient))
    return refuse (tx, "Withdraw fees: the recipient is the zero address");
  if (!require_round_initialized (tx) || !auto_claim (tx, owner))
    return FALSE;
  delegator_init (&d);
  if (!delegator_load (tx, owner, &d))
    goto done;
  if (mpz_cmp (d.fees, amount) < 0) {
    g_autofree gchar *fees = amount_text (d.fees);
    refuse (tx, "Withdraw fees: %s has only %s wei of fees",
        address_text (owner).text, fees);
    goto done;
  }
  mpz_sub (d.fees, d.fees, amount);
  ok = delegator_store (tx, &d)
      && balance_credit (tx, recipient, fee_asset (tx), amount)
      && state_sub_mpz (tx, "minter-fees", amount)
      && state_add_mpz (tx, "fees-withdrawn", amount)
      && checkpoint_address (tx, owner);
done:
  delegator_clear (&d);
  return ok;
}

static gboolean
do_claim (Tx * tx, const LpAddress * owner)
{
  return require_round_initialized (tx) && auto_claim (tx, owner)
      && checkpoint_address (tx, owner);
}

/* transcoderWithHint() */
static gboolean
do_register (Tx * tx, const LpAddress * address, guint64 reward_cut,
    guint64 fee_share, const gchar * service_uri)
{
  Delegator d;
  Transcoder t;
  gboolean ok = FALSE;

  if (!require_round_initialized (tx))
    return FALSE;
  if (current_round_locked (tx))
    return refuse (tx, "Round %" G_GUINT64_FORMAT " is locked: reward cut and "
        "fee share cannot change in the last part of a round; wait for round %"
        G_GUINT64_FORMAT, tx->round, tx->round + 1);
  if (reward_cut > LP_LEDGER_PERC_DIVISOR || fee_share > LP_LEDGER_PERC_DIVISOR)
    return refuse (tx, "Reward cut and fee share are parts per million (at "
        "most 1000000)");
  delegator_init (&d);
  transcoder_init (&t);
  if (!delegator_load (tx, address, &d) || !transcoder_load (tx, address, &t))
    goto done;
  if (!is_registered (&d)) {
    refuse (tx, "Register: %s must first bond LPT to itself",
        address_text (address).text);
    goto done;
  }
  if (is_active (tx, &t) && t.last_reward_round != (gint64) tx->round) {
    refuse (tx, "Register: an active orchestrator must call reward for round "
        "%" G_GUINT64_FORMAT " before changing its reward cut or fee share",
        tx->round);
    goto done;
  }
  t.reward_cut = (gint64) reward_cut;
  t.fee_share = (gint64) fee_share;
  if (service_uri != NULL) {
    g_free (t.service_uri);
    t.service_uri = g_strdup (service_uri);
  }
  if (!transcoder_store (tx, &t))
    goto done;
  ok = t.in_pool || try_to_join_active_set (tx, address, d.delegated,
      (gint64) tx->round + 1);
done:
  transcoder_clear (&t);
  delegator_clear (&d);
  return ok;
}

/* ---- rewards ------------------------------------------------------------ */

static gboolean
round_get_mint (Tx * tx, gint64 round, mpz_t mintable, mpz_t minted)
{
  sqlite3_stmt *stmt =
      prep (tx, "SELECT mintable, minted FROM rounds WHERE round = ?");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, round);
  rc = step (tx, stmt);
  if (rc < 0)
    return FALSE;
  if (rc == 0) {
    mpz_set_ui (mintable, 0);
    mpz_set_ui (minted, 0);
  } else {
    column_mpz (stmt, 0, mintable);
    column_mpz (stmt, 1, minted);
  }
  return TRUE;
}

static gboolean
round_set_minted (Tx * tx, gint64 round, const mpz_t minted)
{
  sqlite3_stmt *stmt = prep (tx, "UPDATE rounds SET minted = ? WHERE round = ?");

  if (stmt == NULL || !bind_mpz (tx, stmt, 1, minted))
    return FALSE;
  sqlite3_bind_int64 (stmt, 2, round);
  return step_done (tx, stmt);
}

/* Minter.createReward(): mints @reward for a pool's share of the round */
static gboolean
create_reward (Tx * tx, const mpz_t pool_stake, mpz_t reward)
{
  mpz_t mintable, minted, total_active;
  gboolean ok = FALSE;

  mpz_inits (mintable, minted, total_active, NULL);
  if (!round_get_mint (tx, (gint64) tx->round, mintable, minted)
      || !state_get_mpz (tx, "current-round-total-active-stake", total_active))
    goto done;
  if (mpz_sgn (total_active) == 0) {
    refuse (tx, "Reward: round %" G_GUINT64_FORMAT " has no active stake",
        tx->round);
    goto done;
  }
  perc_of_fraction (reward, mintable, pool_stake, total_active,
      minter_divisor);
  mpz_add (minted, minted, reward);
  if (mpz_cmp (minted, mintable) > 0) {
    refuse (tx, "Reward: minted tokens cannot exceed this round's mintable "
        "tokens");
    goto done;
  }
  ok = round_set_minted (tx, (gint64) tx->round, minted)
      && state_add_mpz (tx, "total-supply", reward)
      && state_add_mpz (tx, "minted-total", reward);
done:
  mpz_clears (mintable, minted, total_active, NULL);
  return ok;
}

/* updateTranscoderWithRewards() */
static gboolean
update_transcoder_with_rewards (Tx * tx, const LpAddress * address,
    const mpz_t rewards)
{
  Transcoder t;
  Pool pool;
  mpz_t prev_crf, unused, commission, delegators_rewards, stake_rewards, step;
  gint64 round = (gint64) tx->round;
  gboolean ok = FALSE;

  transcoder_init (&t);
  pool_init (&pool);
  mpz_inits (prev_crf, unused, commission, delegators_rewards, stake_rewards,
      step, NULL);
  if (!transcoder_load (tx, address, &t) || !pool_load (tx, address, round,
          &pool)
      || !cumulative_factors (tx, address, t.last_reward_round, prev_crf,
          unused))
    goto done;
  if (mpz_sgn (pool.total_stake) == 0) {
    refuse (tx, "Reward: the orchestrator has no stake in round %"
        G_GINT64_FORMAT, round);
    goto done;
  }
  mpz_set (t.active_cumulative_rewards, t.cumulative_rewards);
  perc_of_ui (commission, rewards, (guint64) pool.reward_cut, perc_divisor);
  mpz_sub (delegators_rewards, rewards, commission);
  perc_of_fraction (stake_rewards, delegators_rewards,
      t.active_cumulative_rewards, pool.total_stake, precise_divisor);
  mpz_add (t.cumulative_rewards, t.cumulative_rewards, stake_rewards);
  mpz_add (t.cumulative_rewards, t.cumulative_rewards, commission);
  if (mpz_sgn (prev_crf) == 0)
    mpz_set (prev_crf, precise_divisor);
  perc_of_fraction (step, prev_crf, delegators_rewards, pool.total_stake,
      precise_divisor);
  mpz_add (pool.crf, prev_crf, step);
  mpz_set (pool.delegator_rewards, delegators_rewards);
  ok = pool_store (tx, address, round, &pool) && transcoder_store (tx, &t)
      && increase_total_stake (tx, address, rewards);
done:
  mpz_clears (prev_crf, unused, commission, delegators_rewards, stake_rewards,
      step, NULL);
  pool_clear (&pool);
  transcoder_clear (&t);
  return ok;
}

/* The treasury's ceiling: contributions stop (from the next round) once it
 * holds that much. */
static gboolean
check_treasury_ceiling (Tx * tx)
{
  mpz_t treasury, ceiling, next_cut;
  gboolean ok;

  mpz_inits (treasury, ceiling, next_cut, NULL);
  mpz_from_uint256 (ceiling, &tx->params.treasury_ceiling);
  ok = state_get_mpz (tx, "treasury", treasury)
      && state_get_mpz (tx, "next-treasury-cut", next_cut);
  if (ok && mpz_sgn (ceiling) > 0 && mpz_cmp (treasury, ceiling) >= 0
      && mpz_sgn (next_cut) > 0) {
    mpz_set_ui (next_cut, 0);
    ok = state_set_mpz (tx, "next-treasury-cut", next_cut);
  }
  mpz_clears (treasury, ceiling, next_cut, NULL);
  return ok;
}

/* rewardForTranscoderWithHint() */
static gboolean
do_reward (Tx * tx, const LpAddress * address, mpz_t minted)
{
  Transcoder t;
  Pool pool, last_update;
  mpz_t treasury_rewards, treasury_cut, transcoder_rewards;
  gint64 round = (gint64) tx->round;
  gboolean ok = FALSE;

  if (!require_round_initialized (tx))
    return FALSE;
  transcoder_init (&t);
  pool_init (&pool);
  pool_init (&last_update);
  mpz_inits (treasury_rewards, treasury_cut, transcoder_rewards, NULL);
  if (!transcoder_load (tx, address, &t))
    goto done;
  if (!is_active (tx, &t)) {
    refuse (tx, "Reward: %s is not an active orchestrator in round %"
        G_GINT64_FORMAT, address_text (address).text, round);
    goto done;
  }
  if (t.last_reward_round == round) {
    refuse (tx, "Reward: %s has already called reward for round %"
        G_GINT64_FORMAT, address_text (address).text, round);
    goto done;
  }
  if (!pool_load (tx, address, round, &pool))
    goto done;
  pool.reward_cut = t.reward_cut;
  pool.fee_share = t.fee_share;
  if (t.last_active_stake_update_round < round) {
    if (!pool_load (tx, address, t.last_active_stake_update_round,
            &last_update))
      goto done;
    mpz_set (pool.total_stake, last_update.total_stake);
  }
  if (!pool_store (tx, address, round, &pool) || !check_treasury_ceiling (tx)
      || !create_reward (tx, pool.total_stake, minted))
    goto done;
  mpz_from_uint256 (treasury_cut, &tx->params.treasury_cut);
  perc_of (treasury_rewards, minted, treasury_cut, precise_divisor);
  mpz_sub (transcoder_rewards, minted, treasury_rewards);
  if (!state_add_mpz (tx, "treasury", treasury_rewards)
      || !update_transcoder_with_rewards (tx, address, transcoder_rewards)
      || !transcoder_load (tx, address, &t))
    goto done;
  t.last_reward_round = round;
  ok = transcoder_store (tx, &t) && checkpoint_address (tx, address);
done:
  mpz_clears (treasury_rewards, treasury_cut, transcoder_rewards, NULL);
  pool_clear (&last_update);
  pool_clear (&pool);
  transcoder_clear (&t);
  return ok;
}

/* ---- rounds ------------------------------------------------------------- */

static void
block_hash (Tx * tx, const guint8 seed[32], guint64 block,
    guint8 hash[LP_KECCAK256_SIZE])
{
  guint8 input[40];

  memcpy (input, seed, 32);
  for (guint i = 0; i < 8; i++)
    input[32 + i] = (guint8) (block >> (56 - 8 * i));
  lp_keccak256 (input, sizeof (input), hash);
}

static gboolean
chain_seed (Tx * tx, guint8 seed[32])
{
  sqlite3_stmt *stmt =
      prep (tx, "SELECT value FROM state WHERE name = 'chain-seed'");

  if (stmt == NULL || step (tx, stmt) != 1
      || sqlite3_column_bytes (stmt, 0) != 32)
    return stmt != NULL ? storage_error (tx, "reading the chain seed") : FALSE;
  memcpy (seed, sqlite3_column_blob (stmt, 0), 32);
  return TRUE;
}

/* Shrinking the active set takes effect from the next round: the members
 * with least stake leave. */
static gboolean
shrink_active_set (Tx * tx)
{
  guint64 size;

  while (TRUE) {
    LpAddress last;
    mpz_t stake;
    gboolean found, ok;

    if (!pool_size (tx, &size))
      return FALSE;
    if (size <= tx->params.num_active)
      return TRUE;
    mpz_init (stake);
    ok = pool_last (tx, &last, stake, &found) && found
        && state_sub_mpz (tx, "next-round-total-active-stake", stake)
        && set_in_pool (tx, &last, FALSE, -1, (gint64) tx->round + 1);
    mpz_clear (stake);
    if (!ok)
      return FALSE;
  }
}

/* Parameter changes passed by governance wait here for the next round. */
static gboolean
apply_pending_params (Tx * tx)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT param, value FROM pending_params");
  gboolean ok = TRUE;
  gint rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = step (tx, stmt)) == 1) {
    LpLedgerParam param = sqlite3_column_int (stmt, 0);
    mpz_t value;

    mpz_init (value);
    column_mpz (stmt, 1, value);
    switch (param) {
      case LP_LEDGER_PARAM_UNBONDING_PERIOD:
        tx->params.unbonding_period = mpz_get_ui (value);
        break;
      case LP_LEDGER_PARAM_NUM_ACTIVE:
        tx->params.num_active = mpz_get_ui (value);
        break;
      case LP_LEDGER_PARAM_INFLATION_CHANGE:
        tx->params.inflation_change = mpz_get_ui (value);
        break;
      case LP_LEDGER_PARAM_TARGET_BONDING_RATE:
        tx->params.target_bonding_rate = mpz_get_ui (value);
        break;
      case LP_LEDGER_PARAM_SLASHING:
        tx->params.slashing_enabled = mpz_sgn (value) != 0;
        break;
      case LP_LEDGER_PARAM_UNLOCK_PERIOD:
        tx->params.unlock_period = mpz_get_ui (value);
        break;
      default:
        break;
    }
    mpz_clear (value);
  }
  if (rc < 0)
    return FALSE;
  stmt = prep (tx, "DELETE FROM pending_params");
  ok = stmt != NULL && step_done (tx, stmt) && shrink_active_set (tx);
  return ok;
}

/* Minter.setCurrentRewardTokens() */
static gboolean
set_current_reward_tokens (Tx * tx, const mpz_t total_active, mpz_t mintable)
{
  mpz_t supply, bonding_rate;
  guint64 target = tx->params.target_bonding_rate;
  gboolean ok;

  mpz_inits (supply, bonding_rate, NULL);
  ok = state_get_mpz (tx, "total-supply", supply);
  if (ok && mpz_sgn (supply) > 0)
    perc_points (bonding_rate, total_active, supply, minter_divisor);
  if (mpz_cmp_ui (bonding_rate, target) < 0)
    tx->params.inflation += tx->params.inflation_change;
  else if (mpz_cmp_ui (bonding_rate, target) > 0)
    tx->params.inflation -= MIN (tx->params.inflation,
        tx->params.inflation_change);
  perc_of_ui (mintable, supply, tx->params.inflation, minter_divisor);
  mpz_clears (supply, bonding_rate, NULL);
  return ok;
}

/* RoundsManager.initializeRound() */
static gboolean
do_initialize_round (Tx * tx)
{
  guint8 seed[32], hash[LP_KECCAK256_SIZE];
  mpz_t total_active, mintable, zero, next_cut;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  if (current_round_initialized (tx))
    return refuse (tx, "Round %" G_GUINT64_FORMAT " is already initialized",
        tx->round);
  if (!chain_seed (tx, seed))
    return FALSE;
  mpz_inits (total_active, mintable, zero, next_cut, NULL);
  block_hash (tx, seed, tx->block > 0 ? tx->block - 1 : 0, hash);
  tx->last_initialized_round = (gint64) tx->round;
  if (!state_set_i64 (tx, "last-initialized-round", (gint64) tx->round)
      || !apply_pending_params (tx)
      || !state_get_mpz (tx, "next-round-total-active-stake", total_active)
      || !state_set_mpz (tx, "current-round-total-active-stake", total_active)
      || !state_get_mpz (tx, "next-treasury-cut", next_cut))
    goto done;
  mpz_to_uint256 (next_cut, &tx->params.treasury_cut);
  if (!set_current_reward_tokens (tx, total_active, mintable))
    goto done;
  stmt = prep (tx, "INSERT OR REPLACE INTO rounds (round, block_hash, "
      "total_active_stake, inflation, mintable, minted) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (stmt == NULL)
    goto done;
  sqlite3_bind_int64 (stmt, 1, (gint64) tx->round);
  sqlite3_bind_blob (stmt, 2, hash, sizeof (hash), SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, (gint64) tx->params.inflation);
  if (!bind_mpz (tx, stmt, 3, total_active) || !bind_mpz (tx, stmt, 5,
          mintable) || !bind_mpz (tx, stmt, 6, zero) || !step_done (tx, stmt))
    goto done;
  ok = params_store (tx, &tx->params);
done:
  mpz_clears (total_active, mintable, zero, next_cut, NULL);
  return ok;
}

static gboolean
round_block_hash (Tx * tx, gint64 round, guint8 hash[LP_KECCAK256_SIZE],
    gboolean * found)
{
  sqlite3_stmt *stmt =
      prep (tx, "SELECT block_hash FROM rounds WHERE round = ?");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, round);
  rc = step (tx, stmt);
  if (rc < 0)
    return FALSE;
  *found = rc == 1 && sqlite3_column_bytes (stmt, 0) == LP_KECCAK256_SIZE;
  if (*found)
    memcpy (hash, sqlite3_column_blob (stmt, 0), LP_KECCAK256_SIZE);
  return TRUE;
}

/* ---- TicketBroker ------------------------------------------------------- */

typedef struct
{
  mpz_t deposit;
  mpz_t reserve;
  gint64 withdraw_round;
} Sender;

static void
sender_init (Sender * s)
{
  mpz_inits (s->deposit, s->reserve, NULL);
  s->withdraw_round = 0;
}

static void
sender_clear (Sender * s)
{
  mpz_clears (s->deposit, s->reserve, NULL);
}

static gboolean
sender_load (Tx * tx, const LpAddress * address, Sender * s)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT deposit, reserve, withdraw_round "
      "FROM senders WHERE address = ?");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, address);
  rc = step (tx, stmt);
  if (rc < 0)
    return FALSE;
  if (rc == 0) {
    mpz_set_ui (s->deposit, 0);
    mpz_set_ui (s->reserve, 0);
    s->withdraw_round = 0;
    return TRUE;
  }
  column_mpz (stmt, 0, s->deposit);
  column_mpz (stmt, 1, s->reserve);
  s->withdraw_round = sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

static gboolean
sender_store (Tx * tx, const LpAddress * address, const Sender * s)
{
  sqlite3_stmt *stmt = prep (tx, "INSERT OR REPLACE INTO senders (address, "
      "deposit, reserve, withdraw_round) VALUES (?, ?, ?, ?)");

  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, address);
  if (!bind_mpz (tx, stmt, 2, s->deposit) || !bind_mpz (tx, stmt, 3,
          s->reserve))
    return FALSE;
  sqlite3_bind_int64 (stmt, 4, s->withdraw_round);
  return step_done (tx, stmt);
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

  sender_init (&s);
  mpz_init (total);
  mpz_add (total, deposit, reserve);
  if (mpz_sgn (total) == 0) {
    refuse (tx, "Fund: give a deposit, a reserve or both");
    goto done;
  }
  if (!balance_debit (tx, address, fee_asset (tx), total, "deposit")
      || !sender_load (tx, address, &s))
    goto done;
  mpz_add (s.deposit, s.deposit, deposit);
  mpz_add (s.reserve, s.reserve, reserve);
  /* funding cancels an unlock in progress, even one already due */
  s.withdraw_round = 0;
  ok = sender_store (tx, address, &s)
      && state_add_mpz (tx, "fees-funded", total);
done:
  mpz_clear (total);
  sender_clear (&s);
  return ok;
}

static gboolean
do_unlock (Tx * tx, const LpAddress * address)
{
  Sender s;
  gboolean ok = FALSE;

  sender_init (&s);
  if (!sender_load (tx, address, &s))
    goto done;
  if (mpz_sgn (s.deposit) == 0 && mpz_sgn (s.reserve) == 0) {
    refuse (tx, "Unlock: %s has neither deposit nor reserve",
        address_text (address).text);
    goto done;
  }
  if (s.withdraw_round > 0) {
    refuse (tx, "Unlock: already unlocking (withdrawable from round %"
        G_GINT64_FORMAT ")", s.withdraw_round);
    goto done;
  }
  s.withdraw_round = (gint64) (tx->round + tx->params.unlock_period);
  ok = sender_store (tx, address, &s);
done:
  sender_clear (&s);
  return ok;
}

static gboolean
do_cancel_unlock (Tx * tx, const LpAddress * address)
{
  Sender s;
  gboolean ok = FALSE;

  sender_init (&s);
  if (!sender_load (tx, address, &s))
    goto done;
  if (s.withdraw_round == 0) {
    refuse (tx, "Cancel unlock: %s is not unlocking",
        address_text (address).text);
    goto done;
  }
  s.withdraw_round = 0;
  ok = sender_store (tx, address, &s);
done:
  sender_clear (&s);
  return ok;
}

static gboolean
do_withdraw (Tx * tx, const LpAddress * address)
{
  Sender s;
  mpz_t total;
  gboolean ok = FALSE;

  sender_init (&s);
  mpz_init (total);
  if (!sender_load (tx, address, &s))
    goto done;
  if (mpz_sgn (s.deposit) == 0 && mpz_sgn (s.reserve) == 0) {
    refuse (tx, "Withdraw: %s has neither deposit nor reserve",
        address_text (address).text);
    goto done;
  }
  if (!sender_is_unlocked (tx, &s)) {
    if (s.withdraw_round == 0)
      refuse (tx, "Withdraw: unlock first (lpctl unlock), then wait %"
          G_GUINT64_FORMAT " rounds", tx->params.unlock_period);
    else
      refuse (tx, "Withdraw: the deposit is locked until round %"
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
      && balance_credit (tx, address, fee_asset (tx), total)
      && state_add_mpz (tx, "fees-withdrawn-by-senders", total);
done:
  mpz_clear (total);
  sender_clear (&s);
  return ok;
}

static gboolean
reserve_claimed (Tx * tx, const LpAddress * sender, const LpAddress * claimant,
    mpz_t for_round, mpz_t by_claimant)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT claimant, amount FROM reserve_claims "
      "WHERE sender = ? AND round = ?");
  gint rc;
  mpz_t amount;

  if (stmt == NULL)
    return FALSE;
  mpz_set_ui (for_round, 0);
  mpz_set_ui (by_claimant, 0);
  mpz_init (amount);
  bind_address (stmt, 1, sender);
  sqlite3_bind_int64 (stmt, 2, (gint64) tx->round);
  while ((rc = step (tx, stmt)) == 1) {
    LpAddress who;
    column_address (stmt, 0, &who);
    column_mpz (stmt, 1, amount);
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
  transcoder_init (&t);
  mpz_inits (for_round, by_claimant, allocation, NULL);
  if (!transcoder_load (tx, claimant, &t) || !pool_size (tx, &size))
    goto done;
  if (!is_active (tx, &t) || size == 0) {
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
    refuse (tx, "Redeem: %s already took more from %s's reserve this round "
        "than its share now that the active set has %" G_GUINT64_FORMAT
        " members; retry next round", address_text (claimant).text,
        address_text (sender).text, size);
    goto done;
  }
  mpz_set (claimed, mpz_cmp (wanted, allocation) > 0 ? allocation : wanted);
  if (mpz_sgn (claimed) == 0) {
    ok = TRUE;
    goto done;
  }
  mpz_sub (s->reserve, s->reserve, claimed);
  mpz_add (by_claimant, by_claimant, claimed);
  stmt = prep (tx, "INSERT OR REPLACE INTO reserve_claims (sender, round, "
      "claimant, amount) VALUES (?, ?, ?, ?)");
  if (stmt == NULL)
    goto done;
  bind_address (stmt, 1, sender);
  sqlite3_bind_int64 (stmt, 2, (gint64) tx->round);
  bind_address (stmt, 3, claimant);
  ok = bind_mpz (tx, stmt, 4, by_claimant) && step_done (tx, stmt);
done:
  mpz_clears (for_round, by_claimant, allocation, NULL);
  transcoder_clear (&t);
  return ok;
}

/* updateTranscoderWithFees() when the orchestrator called reward() this
 * round but not last round: last round's reward factor was never stored,
 * so it is made up from this round's. The rewards it assumes come from
 * the Minter's mintable PLUS what it has minted so far this round (its
 * mintable never shrinks as it mints), so the estimate counts the rewards
 * of everyone who called reward() earlier in the round and depends on
 * their order; see docs/design/ledger.md. @pool is this round's pool
 * (its factor already includes this round's reward); @prev_crf receives
 * the estimate. */
static gboolean
estimate_previous_crf (Tx * tx, const Pool * pool, mpz_t prev_crf)
{
  mpz_t mintable, minted, total_active, rewards, treasury_cut, part;
  gboolean ok;

  mpz_inits (mintable, minted, total_active, rewards, treasury_cut, part,
      NULL);
  ok = round_get_mint (tx, (gint64) tx->round, mintable, minted)
      && state_get_mpz (tx, "current-round-total-active-stake", total_active);
  /* reward() refuses a round without active stake, so this always holds
   * once reward() was called this round */
  if (ok && mpz_sgn (total_active) > 0) {
    mpz_add (mintable, mintable, minted);
    perc_of_fraction (rewards, mintable, pool->total_stake, total_active,
        precise_divisor);
    mpz_from_uint256 (treasury_cut, &tx->params.treasury_cut);
    perc_of (part, rewards, treasury_cut, precise_divisor);
    mpz_sub (rewards, rewards, part);
    perc_of_ui (part, rewards, (guint64) pool->reward_cut, perc_divisor);
    mpz_sub (rewards, rewards, part);
    mpz_add (rewards, rewards, pool->total_stake);
    perc_of_fraction (prev_crf, pool->crf, pool->total_stake, rewards,
        precise_divisor);
  }
  mpz_clears (mintable, minted, total_active, rewards, treasury_cut, part,
      NULL);
  return ok;
}

/* BondingManager.updateTranscoderWithFees() */
static gboolean
update_transcoder_with_fees (Tx * tx, const LpAddress * address,
    const mpz_t fees)
{
  Transcoder t;
  Pool pool, last_update;
  mpz_t prev_crf, prev_cff, active_rewards, delegators_fees, commission,
      stake_fees, step;
  gint64 round = (gint64) tx->round;
  gboolean ok = FALSE;

  transcoder_init (&t);
  pool_init (&pool);
  pool_init (&last_update);
  mpz_inits (prev_crf, prev_cff, active_rewards, delegators_fees, commission,
      stake_fees, step, NULL);
  if (!transcoder_load (tx, address, &t))
    goto done;
  if (!is_active (tx, &t)) {
    refuse (tx, "Redeem: the recipient %s is not an active orchestrator in "
        "round %" G_GINT64_FORMAT, address_text (address).text, round);
    goto done;
  }
  if (!pool_load (tx, address, round, &pool)
      || !latest_cumulative_factors (tx, &t, round - 1, prev_crf, prev_cff))
    goto done;
  mpz_set (active_rewards, t.active_cumulative_rewards);
  if (round > t.last_reward_round) {
    pool.reward_cut = t.reward_cut;
    pool.fee_share = t.fee_share;
    if (t.last_active_stake_update_round < round) {
      if (!pool_load (tx, address, t.last_active_stake_update_round,
              &last_update))
        goto done;
      mpz_set (pool.total_stake, last_update.total_stake);
    }
    mpz_set (active_rewards, t.cumulative_rewards);
  }
  if (mpz_sgn (pool.total_stake) == 0) {
    refuse (tx, "Redeem: the recipient has no stake in round %"
        G_GINT64_FORMAT, round);
    goto done;
  }
  if (mpz_sgn (prev_crf) == 0 && t.last_reward_round == round
      && !estimate_previous_crf (tx, &pool, prev_crf))
    goto done;
  perc_of_ui (delegators_fees, fees, (guint64) pool.fee_share, perc_divisor);
  mpz_sub (commission, fees, delegators_fees);
  perc_of_fraction (stake_fees, delegators_fees, active_rewards,
      pool.total_stake, precise_divisor);
  mpz_add (t.cumulative_fees, t.cumulative_fees, stake_fees);
  mpz_add (t.cumulative_fees, t.cumulative_fees, commission);
  if (mpz_sgn (prev_crf) == 0)
    mpz_set (prev_crf, precise_divisor);
  perc_of_fraction (step, prev_crf, delegators_fees, pool.total_stake,
      precise_divisor);
  if (mpz_sgn (pool.cff) == 0)
    mpz_add (pool.cff, prev_cff, step);
  else
    mpz_add (pool.cff, pool.cff, step);
  mpz_add (pool.delegator_fees, pool.delegator_fees, delegators_fees);
  t.last_fee_round = round;
  ok = pool_store (tx, address, round, &pool) && transcoder_store (tx, &t)
      && state_add_mpz (tx, "fees-credited", fees);
done:
  mpz_clears (prev_crf, prev_cff, active_rewards, delegators_fees, commission,
      stake_fees, step, NULL);
  pool_clear (&last_update);
  pool_clear (&pool);
  transcoder_clear (&t);
  return ok;
}

static gboolean
ticket_is_used (Tx * tx, const guint8 hash[LP_TICKET_HASH_SIZE],
    gboolean * used)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT 1 FROM tickets WHERE hash = ?");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, LP_TICKET_HASH_SIZE, SQLITE_TRANSIENT);
  rc = step (tx, stmt);
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
    return refuse (tx, "Redeem: the ticket recipient is the zero address");
  if (lp_address_is_zero (&ticket->sender))
    return refuse (tx, "Redeem: the ticket sender is the zero address");
  if (!round_block_hash (tx, (gint64) aux->creation_round, recorded, &found))
    return FALSE;
  if (!found)
    return refuse (tx, "Redeem: the ticket's creation round %" G_GUINT64_FORMAT
        " has no block hash (never initialized)", aux->creation_round);
  if (memcmp (recorded, aux->creation_round_block_hash, sizeof (recorded)))
    return refuse (tx, "Redeem: the ticket's block hash is not round %"
        G_GUINT64_FORMAT "'s", aux->creation_round);
  if (aux->creation_round + tx->params.ticket_validity_period <= tx->round)
    return refuse (tx, "Redeem: the ticket expired (created in round %"
        G_GUINT64_FORMAT ", valid %" G_GUINT64_FORMAT " rounds, now round %"
        G_GUINT64_FORMAT ")", aux->creation_round,
        tx->params.ticket_validity_period, tx->round);
  lp_ticket_recipient_rand_hash (&winner->recipient_rand, rand_hash);
  if (memcmp (rand_hash, ticket->recipient_rand_hash, sizeof (rand_hash)))
    return refuse (tx, "Redeem: recipientRand does not match the ticket's "
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
  if (!lp_ticket_verify (ticket, winner->sig, sizeof (winner->sig),
          &sig_error))
    return refuse (tx, "Redeem: invalid signature over the ticket hash (%s)",
        sig_error->message);
  if (!lp_ticket_wins (winner->sig, &winner->recipient_rand,
          &ticket->win_prob))
    return refuse (tx, "Redeem: the ticket did not win");
  return TRUE;
}

static gboolean
record_ticket (Tx * tx, const LpTicket * ticket,
    const guint8 hash[LP_TICKET_HASH_SIZE], const mpz_t paid)
{
  sqlite3_stmt *stmt = prep (tx, "INSERT INTO tickets (hash, sender, "
      "recipient, face_value, paid, round, block) VALUES (?, ?, ?, ?, ?, ?, ?)");
  mpz_t face_value;
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  mpz_init (face_value);
  mpz_from_uint256 (face_value, &ticket->face_value);
  sqlite3_bind_blob (stmt, 1, hash, LP_TICKET_HASH_SIZE, SQLITE_TRANSIENT);
  bind_address (stmt, 2, &ticket->sender);
  bind_address (stmt, 3, &ticket->recipient);
  ok = bind_mpz (tx, stmt, 4, face_value) && bind_mpz (tx, stmt, 5, paid);
  sqlite3_bind_int64 (stmt, 6, (gint64) tx->round);
  sqlite3_bind_int64 (stmt, 7, (gint64) tx->block);
  ok = ok && step_done (tx, stmt);
  mpz_clear (face_value);
  return ok;
}

/* Takes a ticket out of the redemption queue; not being queued is no
 * error here (sqlite3_changes() tells). */
static gboolean
unqueue (Tx * tx, const guint8 hash[LP_TICKET_HASH_SIZE])
{
  sqlite3_stmt *stmt = prep (tx, "DELETE FROM queued_tickets WHERE hash = ?");

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, LP_TICKET_HASH_SIZE, SQLITE_TRANSIENT);
  return step_done (tx, stmt);
}

static gboolean
do_redeem (Tx * tx, const LpWinningTicket * winner, LpRedemption * out)
{
  const LpTicket *ticket = &winner->ticket;
  guint8 hash[LP_TICKET_HASH_SIZE];
  Sender s;
  mpz_t face_value, from_deposit, from_reserve, shortfall, paid;
  gboolean ok = FALSE;

  if (!require_round_initialized (tx))
    return FALSE;
  lp_ticket_hash (ticket, hash);
  if (!check_winning_ticket (tx, winner, hash))
    return FALSE;
  sender_init (&s);
  mpz_inits (face_value, from_deposit, from_reserve, shortfall, paid, NULL);
  if (!sender_load (tx, &ticket->sender, &s))
    goto done;
  if (sender_is_unlocked (tx, &s)) {
    refuse (tx, "Redeem: the sender %s is unlocked (withdrawable since round "
        "%" G_GINT64_FORMAT ")", address_text (&ticket->sender).text,
        s.withdraw_round);
    goto done;
  }
  if (mpz_sgn (s.deposit) == 0 && mpz_sgn (s.reserve) == 0) {
    refuse (tx, "Redeem: the sender's deposit and reserve are zero");
    goto done;
  }
  mpz_from_uint256 (face_value, &ticket->face_value);
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
      && (!update_transcoder_with_fees (tx, &ticket->recipient, paid)
          || !state_add_mpz (tx, "minter-fees", paid)
          || !state_add_mpz (tx, "fees-paid", paid)))
    goto done;
  if (out != NULL) {
    memcpy (out->ticket_hash, hash, sizeof (hash));
    mpz_to_uint256 (from_deposit, &out->from_deposit);
    mpz_to_uint256 (from_reserve, &out->from_reserve);
    out->round = tx->round;
  }
  ok = TRUE;
done:
  mpz_clears (face_value, from_deposit, from_reserve, shortfall, paid, NULL);
  sender_clear (&s);
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
  stmt = prep (tx, "INSERT INTO queued_tickets (hash, recipient, sender, "
      "face_value, win_prob, sender_nonce, recipient_rand_hash, "
      "creation_round, creation_round_block_hash, sig, recipient_rand, "
      "params_expiration_block) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (hash) DO NOTHING");
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, hash, LP_TICKET_HASH_SIZE, SQLITE_TRANSIENT);
  bind_address (stmt, 2, &ticket->recipient);
  bind_address (stmt, 3, &ticket->sender);
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
  if (!step_done (tx, stmt))
    return FALSE;
  *added = sqlite3_changes (tx->db) > 0;
  return TRUE;
}

static gboolean
read_queued_tickets (Tx * tx, const LpAddress * recipient, GArray * out)
{
  sqlite3_stmt *stmt = prep (tx, recipient != NULL ?
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
    bind_address (stmt, 1, recipient);
  while ((rc = step (tx, stmt)) == 1) {
    LpWinningTicket w;
    LpTicket *t = &w.ticket;

    /* padding too: callers may compare whole structs */
    memset (&w, 0, sizeof (w));
    column_address (stmt, 0, &t->recipient);
    column_address (stmt, 1, &t->sender);
    column_bytes (stmt, 2, t->face_value.be, LP_UINT256_SIZE);
    column_bytes (stmt, 3, t->win_prob.be, LP_UINT256_SIZE);
    t->sender_nonce = (guint32) sqlite3_column_int64 (stmt, 4);
    column_bytes (stmt, 5, t->recipient_rand_hash,
        sizeof (t->recipient_rand_hash));
    t->expiration_params.creation_round =
        (guint64) sqlite3_column_int64 (stmt, 6);
    column_bytes (stmt, 7, t->expiration_params.creation_round_block_hash,
        sizeof (t->expiration_params.creation_round_block_hash));
    column_bytes (stmt, 8, w.sig, sizeof (w.sig));
    column_bytes (stmt, 9, w.recipient_rand.be, LP_UINT256_SIZE);
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

/* ---- governance --------------------------------------------------------- */

/* The latest non-zero cumulative reward factor of @address up to @round
 * (1e27 when there is none). */
static gboolean
reward_factor_at (Tx * tx, const LpAddress * address, gint64 round, mpz_t crf)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT crf FROM pools WHERE address = ? "
      "AND round <= ? AND crf != zeroblob(32) ORDER BY round DESC LIMIT 1");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, address);
  sqlite3_bind_int64 (stmt, 2, round);
  rc = step (tx, stmt);
  if (rc < 0)
    return FALSE;
  if (rc == 1)
    column_mpz (stmt, 0, crf);
  else
    mpz_set (crf, precise_divisor);
  return TRUE;
}

/* BondingVotes: an account's voting power as of @round (its checkpointed
 * stake: an orchestrator's total stake, a delegator's bond with the
 * rewards earned up to @round), and its delegate then. */
static gboolean
voting_power (Tx * tx, const LpAddress * address, gint64 round, mpz_t power,
    LpAddress * delegate)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT bonded, delegate, delegated, "
      "last_claim_round FROM checkpoints WHERE address = ? AND start_round <= ?"
      " ORDER BY start_round DESC LIMIT 1");
  mpz_t bonded, end_crf, start_crf;
  gint64 last_claim_round;
  gint rc;
  gboolean ok = TRUE;

  mpz_set_ui (power, 0);
  memset (delegate, 0, sizeof (*delegate));
  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, address);
  sqlite3_bind_int64 (stmt, 2, round);
  rc = step (tx, stmt);
  if (rc <= 0)
    return rc == 0;
  mpz_inits (bonded, end_crf, start_crf, NULL);
  column_mpz (stmt, 0, bonded);
  column_address (stmt, 1, delegate);
  last_claim_round = sqlite3_column_int64 (stmt, 3);
  if (lp_address_equal (delegate, address) && mpz_sgn (bonded) > 0) {
    column_mpz (stmt, 2, power);
  } else if (!lp_address_is_zero (delegate)) {
    LpAddress owner = *delegate;
    ok = reward_factor_at (tx, &owner, round, end_crf)
        && reward_factor_at (tx, &owner, last_claim_round, start_crf);
    if (ok)
      perc_of_fraction (power, bonded, end_crf, start_crf, precise_divisor);
  }
  mpz_clears (bonded, end_crf, start_crf, NULL);
  return ok;
}

static gboolean
total_active_stake_at (Tx * tx, gint64 round, mpz_t stake)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT total_active_stake FROM rounds "
      "WHERE round <= ? ORDER BY round DESC LIMIT 1");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, round);
  rc = step (tx, stmt);
  if (rc < 0)
    return FALSE;
  if (rc == 0)
    mpz_set_ui (stake, 0);
  else
    column_mpz (stmt, 0, stake);
  return TRUE;
}

typedef struct
{
  LpAddress voter;
  LpAddress delegate;
  LpVoteSupport support;
  mpz_t power;
} Ballot;

static void
ballot_clear (gpointer data)
{
  mpz_clear (((Ballot *) data)->power);
}

/* Counts the votes of a proposal: a delegator that voted takes its stake
 * out of its orchestrator's vote. */
static gboolean
tally (Tx * tx, guint64 id, gint64 start_round, mpz_t votes[3])
{
  sqlite3_stmt *stmt =
      prep (tx, "SELECT voter, support FROM votes WHERE proposal = ?");
  g_autoptr (GArray) ballots = g_array_new (FALSE, TRUE, sizeof (Ballot));
  gint rc;

  g_array_set_clear_func (ballots, ballot_clear);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) id);
  while ((rc = step (tx, stmt)) == 1) {
    Ballot b;
    column_address (stmt, 0, &b.voter);
    b.support = sqlite3_column_int (stmt, 1);
    mpz_init (b.power);
    g_array_append_val (ballots, b);
  }
  if (rc < 0)
    return FALSE;
  for (guint i = 0; i < ballots->len; i++) {
    Ballot *b = &g_array_index (ballots, Ballot, i);
    if (!voting_power (tx, &b->voter, start_round, b->power, &b->delegate))
      return FALSE;
  }
  for (guint i = 0; i < ballots->len; i++) {
    Ballot *d = &g_array_index (ballots, Ballot, i);
    if (lp_address_equal (&d->delegate, &d->voter))
      continue;
    for (guint j = 0; j < ballots->len; j++) {
      Ballot *o = &g_array_index (ballots, Ballot, j);
      if (lp_address_equal (&o->voter, &d->delegate)) {
        mpz_sub (o->power, o->power, d->power);
        if (mpz_sgn (o->power) < 0)
          mpz_set_ui (o->power, 0);
      }
    }
  }
  for (guint k = 0; k < 3; k++)
    mpz_set_ui (votes[k], 0);
  for (guint i = 0; i < ballots->len; i++) {
    Ballot *b = &g_array_index (ballots, Ballot, i);
    if ((guint) b->support < 3)
      mpz_add (votes[b->support], votes[b->support], b->power);
  }
  return TRUE;
}

typedef struct
{
  gboolean found;
  LpAddress proposer;
  gchar *description;
  gint64 start_round;
  gint64 end_round;
  gboolean executed;
} ProposalRow;

static gboolean
proposal_load (Tx * tx, guint64 id, ProposalRow * row)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT proposer, description, start_round, "
      "end_round, executed FROM proposals WHERE id = ?");
  gint rc;

  memset (row, 0, sizeof (*row));
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) id);
  rc = step (tx, stmt);
  if (rc < 0)
    return FALSE;
  row->found = rc == 1;
  if (rc == 1) {
    column_address (stmt, 0, &row->proposer);
    row->description =
        g_strdup ((const gchar *) sqlite3_column_text (stmt, 1));
    row->start_round = sqlite3_column_int64 (stmt, 2);
    row->end_round = sqlite3_column_int64 (stmt, 3);
    row->executed = sqlite3_column_int (stmt, 4) != 0;
  }
  return TRUE;
}

/* The state of a proposal and, once voting started, its tally. */
static gboolean
proposal_state (Tx * tx, guint64 id, const ProposalRow * row,
    LpProposalState * state, mpz_t votes[3], mpz_t quorum, mpz_t total_active)
{
  mpz_t participation, decided, lhs, rhs;
  gboolean passed;

  for (guint k = 0; k < 3; k++)
    mpz_set_ui (votes[k], 0);
  mpz_set_ui (quorum, 0);
  mpz_set_ui (total_active, 0);
  if (row->executed) {
    *state = LP_PROPOSAL_EXECUTED;
  } else if ((gint64) tx->round < row->start_round) {
    *state = LP_PROPOSAL_PENDING;
    return TRUE;
  }
  if (!tally (tx, id, row->start_round, votes)
      || !total_active_stake_at (tx, row->start_round, total_active))
    return FALSE;
  perc_of_ui (quorum, total_active, tx->params.quorum, perc_divisor);
  if (row->executed)
    return TRUE;
  if ((gint64) tx->round <= row->end_round) {
    *state = LP_PROPOSAL_ACTIVE;
    return TRUE;
  }
  mpz_inits (participation, decided, lhs, rhs, NULL);
  mpz_add (decided, votes[LP_VOTE_FOR], votes[LP_VOTE_AGAINST]);
  mpz_add (participation, decided, votes[LP_VOTE_ABSTAIN]);
  /* for / (for + against) > quota, exactly */
  mpz_mul (lhs, votes[LP_VOTE_FOR], perc_divisor);
  mpz_mul_ui (rhs, decided, tx->params.quota);
  passed = mpz_sgn (participation) > 0 && mpz_cmp (participation, quorum) >= 0
      && mpz_sgn (decided) > 0 && mpz_cmp (lhs, rhs) > 0;
  *state = passed ? LP_PROPOSAL_SUCCEEDED : LP_PROPOSAL_DEFEATED;
  mpz_clears (participation, decided, lhs, rhs, NULL);
  return TRUE;
}

static gboolean
check_action (Tx * tx, const LpProposalAction * action)
{
  mpz_t value, limit;
  gboolean ok = TRUE;

  if (action->kind == LP_PROPOSAL_TREASURY_PAYOUT) {
    if (lp_address_is_zero (&action->to) || lp_uint256_is_zero (&action->value))
      return refuse (tx, "Propose: a treasury payout needs a payee and an "
          "amount");
    return TRUE;
  }
  if (action->kind != LP_PROPOSAL_SET_PARAM
      || lp_ledger_param_name (action->param) == NULL)
    return refuse (tx, "Propose: unknown action");
  mpz_inits (value, limit, NULL);
  mpz_from_uint256 (value, &action->value);
  switch (action->param) {
    case LP_LEDGER_PARAM_TREASURY_CUT:
      mpz_set (limit, precise_divisor);
      break;
    case LP_LEDGER_PARAM_SLASHING:
      mpz_set_ui (limit, 1);
      break;
    case LP_LEDGER_PARAM_INFLATION_CHANGE:
    case LP_LEDGER_PARAM_TARGET_BONDING_RATE:
      mpz_set (limit, minter_divisor);
      break;
    case LP_LEDGER_PARAM_NUM_ACTIVE:
      mpz_set_ui (limit, 100000);
      break;
    default:
      mpz_set_ui (limit, G_MAXINT32);
      break;
  }
  if (mpz_cmp (value, limit) > 0) {
    g_autofree gchar *most = amount_text (limit);
    ok = refuse (tx, "Propose: %s is out of range (at most %s)",
        lp_ledger_param_name (action->param), most);
  }
  else if (mpz_sgn (value) == 0 && (action->param ==
          LP_LEDGER_PARAM_ROUND_LENGTH
          || action->param == LP_LEDGER_PARAM_NUM_ACTIVE))
    ok = refuse (tx, "Propose: %s must be at least 1",
        lp_ledger_param_name (action->param));
  mpz_clears (value, limit, NULL);
  return ok;
}

static gboolean
do_propose (Tx * tx, const LpAddress * proposer, const gchar * description,
    const LpProposalAction * actions, guint n_actions, guint64 * id_out)
{
  mpz_t power, threshold;
  LpAddress delegate;
  sqlite3_stmt *stmt;
  gint64 id, start_round;
  gboolean ok = FALSE;

  if (description == NULL || *description == '\0')
    return refuse (tx, "Propose: a proposal needs a description");
  for (guint i = 0; i < n_actions; i++) {
    if (!check_action (tx, &actions[i]))
      return FALSE;
  }
  mpz_inits (power, threshold, NULL);
  mpz_from_uint256 (threshold, &tx->params.proposal_threshold);
  if (!voting_power (tx, proposer, (gint64) tx->round, power, &delegate))
    goto done;
  if (mpz_cmp (power, threshold) < 0) {
    g_autofree gchar *have = amount_text (power);
    g_autofree gchar *need = amount_text (threshold);
    refuse (tx, "Propose: %s has %s wei of voting power in round %"
        G_GUINT64_FORMAT "; proposing takes %s", address_text (proposer).text,
        have, tx->round, need);
    goto done;
  }
  start_round = (gint64) (tx->round + tx->params.voting_delay);
  stmt = prep (tx, "INSERT INTO proposals (proposer, description, "
      "start_round, end_round, executed) VALUES (?, ?, ?, ?, 0)");
  if (stmt == NULL)
    goto done;
  bind_address (stmt, 1, proposer);
  sqlite3_bind_text (stmt, 2, description, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, start_round);
  sqlite3_bind_int64 (stmt, 4, start_round +
      (gint64) MAX (tx->params.voting_period, 1) - 1);
  if (!step_done (tx, stmt))
    goto done;
  id = sqlite3_last_insert_rowid (tx->db);
  for (guint i = 0; i < n_actions; i++) {
    mpz_t value;
    gboolean stored;
    stmt = prep (tx, "INSERT INTO proposal_actions (proposal, seq, kind, "
        "param, value, payee) VALUES (?, ?, ?, ?, ?, ?)");
    if (stmt == NULL)
      goto done;
    mpz_init (value);
    mpz_from_uint256 (value, &actions[i].value);
    sqlite3_bind_int64 (stmt, 1, id);
    sqlite3_bind_int (stmt, 2, (gint) i);
    sqlite3_bind_int (stmt, 3, actions[i].kind);
    sqlite3_bind_int (stmt, 4, actions[i].param);
    stored = bind_mpz (tx, stmt, 5, value);
    mpz_clear (value);
    bind_address (stmt, 6, &actions[i].to);
    if (!stored || !step_done (tx, stmt))
      goto done;
  }
  if (id_out != NULL)
    *id_out = (guint64) id;
  ok = TRUE;
done:
  mpz_clears (power, threshold, NULL);
  return ok;
}

static gboolean
do_vote (Tx * tx, const LpAddress * voter, guint64 id, LpVoteSupport support)
{
  ProposalRow row;
  LpProposalState state;
  mpz_t votes[3], quorum, total, power;
  LpAddress delegate;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  if ((guint) support > LP_VOTE_ABSTAIN)
    return refuse (tx, "Vote: support must be for, against or abstain");
  mpz_inits (votes[0], votes[1], votes[2], quorum, total, power, NULL);
  if (!proposal_load (tx, id, &row))
    goto done;
  if (!row.found) {
    refuse (tx, "Vote: there is no proposal %" G_GUINT64_FORMAT, id);
    goto done;
  }
  if ((gint64) tx->round < row.start_round) {
    refuse (tx, "Vote: voting on proposal %" G_GUINT64_FORMAT " opens in "
        "round %" G_GINT64_FORMAT, id, row.start_round);
    goto done;
  }
  if ((gint64) tx->round > row.end_round) {
    refuse (tx, "Vote: voting on proposal %" G_GUINT64_FORMAT " closed after "
        "round %" G_GINT64_FORMAT, id, row.end_round);
    goto done;
  }
  if (!proposal_state (tx, id, &row, &state, votes, quorum, total)
      || !voting_power (tx, voter, row.start_round, power, &delegate))
    goto done;
  if (mpz_sgn (power) == 0) {
    refuse (tx, "Vote: %s had no stake in round %" G_GINT64_FORMAT,
        address_text (voter).text, row.start_round);
    goto done;
  }
  stmt = prep (tx, "SELECT 1 FROM votes WHERE proposal = ? AND voter = ?");
  if (stmt == NULL)
    goto done;
  sqlite3_bind_int64 (stmt, 1, (gint64) id);
  bind_address (stmt, 2, voter);
  if (step (tx, stmt) != 0) {
    if (tx->error == NULL)
      refuse (tx, "Vote: %s already voted on proposal %" G_GUINT64_FORMAT,
          address_text (voter).text, id);
    goto done;
  }
  stmt = prep (tx, "INSERT INTO votes (proposal, voter, support) "
      "VALUES (?, ?, ?)");
  if (stmt == NULL)
    goto done;
  sqlite3_bind_int64 (stmt, 1, (gint64) id);
  bind_address (stmt, 2, voter);
  sqlite3_bind_int (stmt, 3, support);
  ok = step_done (tx, stmt);
done:
  g_free (row.description);
  mpz_clears (votes[0], votes[1], votes[2], quorum, total, power, NULL);
  return ok;
}

/* RoundsManager.setRoundLength(): the current round keeps its start */
static gboolean
set_round_length (Tx * tx, guint64 length)
{
  guint64 start = current_round_start_block (tx);

  if (!state_set_i64 (tx, "round-length-update-round", (gint64) tx->round)
      || !state_set_i64 (tx, "round-length-update-block", (gint64) start))
    return FALSE;
  tx->params.round_length = length;
  return params_store (tx, &tx->params);
}

static gboolean
execute_action (Tx * tx, sqlite3_stmt * row)
{
  LpProposalActionKind kind = sqlite3_column_int (row, 0);
  LpLedgerParam param = sqlite3_column_int (row, 1);
  mpz_t value, treasury;
  LpAddress payee;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  mpz_inits (value, treasury, NULL);
  column_mpz (row, 2, value);
  column_address (row, 3, &payee);
  if (kind == LP_PROPOSAL_TREASURY_PAYOUT) {
    if (!state_get_mpz (tx, "treasury", treasury))
      goto done;
    if (mpz_cmp (treasury, value) < 0) {
      refuse (tx, "Execute: the treasury cannot pay this proposal's payouts");
      goto done;
    }
    ok = state_sub_mpz (tx, "treasury", value)
        && balance_credit (tx, &payee, ASSET_LPT, value);
  } else if (param == LP_LEDGER_PARAM_ROUND_LENGTH) {
    ok = set_round_length (tx, mpz_get_ui (value));
  } else if (param == LP_LEDGER_PARAM_TREASURY_CUT) {
    ok = state_set_mpz (tx, "next-treasury-cut", value);
  } else {
    stmt = prep (tx, "INSERT OR REPLACE INTO pending_params (param, value) "
        "VALUES (?, ?)");
    if (stmt == NULL)
      goto done;
    sqlite3_bind_int (stmt, 1, param);
    ok = bind_mpz (tx, stmt, 2, value) && step_done (tx, stmt);
  }
done:
  mpz_clears (value, treasury, NULL);
  return ok;
}

static gboolean
do_execute (Tx * tx, guint64 id)
{
  ProposalRow row;
  LpProposalState state;
  mpz_t votes[3], quorum, total;
  sqlite3_stmt *stmt;
  gint rc;
  gboolean ok = FALSE;

  mpz_inits (votes[0], votes[1], votes[2], quorum, total, NULL);
  if (!proposal_load (tx, id, &row))
    goto done;
  if (!row.found) {
    refuse (tx, "Execute: there is no proposal %" G_GUINT64_FORMAT, id);
    goto done;
  }
  if (!proposal_state (tx, id, &row, &state, votes, quorum, total))
    goto done;
  if (state != LP_PROPOSAL_SUCCEEDED) {
    refuse (tx, "Execute: proposal %" G_GUINT64_FORMAT " is %s; only a "
        "succeeded proposal executes", id, lp_proposal_state_name (state));
    goto done;
  }
  /* a separate statement per action: execute_action runs others */
  stmt = prep (tx, "SELECT COUNT(*) FROM proposal_actions WHERE proposal = ?");
  if (stmt == NULL)
    goto done;
  sqlite3_bind_int64 (stmt, 1, (gint64) id);
  if (step (tx, stmt) != 1)
    goto done;
  rc = sqlite3_column_int (stmt, 0);
  for (gint seq = 0; seq < rc; seq++) {
    {
      /* its own statement: execute_action runs cached ones meanwhile */
      sqlite3_stmt *own = NULL;
      if (sqlite3_prepare_v2 (tx->db, "SELECT kind, param, value, payee FROM "
              "proposal_actions WHERE proposal = ? AND seq = ?", -1, &own,
              NULL) != SQLITE_OK) {
        storage_error (tx, "reading a proposal action");
        goto done;
      }
      sqlite3_bind_int64 (own, 1, (gint64) id);
      sqlite3_bind_int (own, 2, seq);
      if (sqlite3_step (own) != SQLITE_ROW || !execute_action (tx, own)) {
        sqlite3_finalize (own);
        if (tx->error == NULL)
          storage_error (tx, "executing a proposal action");
        goto done;
      }
      sqlite3_finalize (own);
    }
  }
  stmt = prep (tx, "UPDATE proposals SET executed = 1 WHERE id = ?");
  if (stmt == NULL)
    goto done;
  sqlite3_bind_int64 (stmt, 1, (gint64) id);
  ok = step_done (tx, stmt);
done:
  g_free (row.description);
  mpz_clears (votes[0], votes[1], votes[2], quorum, total, NULL);
  return ok;
}

/* ---- evidence and slashing ---------------------------------------------- */

static gboolean
slashed_this_round (Tx * tx, const LpAddress * orchestrator, gboolean * yes)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT 1 FROM evidence WHERE orchestrator "
      "= ? AND round = ? AND penalty != zeroblob(32)");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, orchestrator);
  sqlite3_bind_int64 (stmt, 2, (gint64) tx->round);
  rc = step (tx, stmt);
  *yes = rc == 1;
  return rc >= 0;
}

/* BondingManager.slashTranscoder() */
static gboolean
slash (Tx * tx, const LpAddress * orchestrator, const LpAddress * finder,
    mpz_t penalty)
{
  Delegator d;
  Transcoder t;
  mpz_t finder_amount, burned;
  gboolean ok = FALSE;

  if (!auto_claim (tx, orchestrator))
    return FALSE;
  delegator_init (&d);
  transcoder_init (&t);
  mpz_inits (finder_amount, burned, NULL);
  if (!delegator_load (tx, orchestrator, &d)
      || !transcoder_load (tx, orchestrator, &t))
    goto done;
  if (mpz_sgn (d.bonded) == 0) {
    ok = TRUE;
    goto done;
  }
  perc_of_ui (penalty, d.bonded, tx->params.slash_amount, perc_divisor);
  if (t.in_pool && !resign (tx, orchestrator))
    goto done;
  if (!delegator_load (tx, orchestrator, &d))
    goto done;
  mpz_sub (d.bonded, d.bonded, penalty);
  /* the slashed stake leaves its delegate's total in every case (the
   * contract skips this while the bond is pending, which would leave
   * burned LPT counted as stake) */
  if (lp_address_equal (&d.delegate, orchestrator)) {
    mpz_sub (d.delegated, d.delegated, penalty);
    if (!delegator_store (tx, &d))
      goto done;
  } else if (!delegator_store (tx, &d)
      || !decrease_total_stake (tx, &d.delegate, penalty)) {
    goto done;
  }
  perc_of_ui (finder_amount, penalty, tx->params.finder_fee, perc_divisor);
  mpz_sub (burned, penalty, finder_amount);
  ok = balance_credit (tx, finder, ASSET_LPT, finder_amount)
      && state_sub_mpz (tx, "total-supply", burned)
      && state_add_mpz (tx, "burned-total", burned)
      && checkpoint_address (tx, orchestrator);
done:
  mpz_clears (finder_amount, burned, NULL);
  transcoder_clear (&t);
  delegator_clear (&d);
  return ok;
}

static gboolean
do_submit_evidence (Tx * tx, const LpAddress * finder,
    const LpAddress * orchestrator, const gchar * reason, mpz_t penalty)
{
  Transcoder t;
  sqlite3_stmt *stmt;
  gboolean registered, already = FALSE, ok = FALSE;

  mpz_set_ui (penalty, 0);
  if (reason == NULL || *reason == '\0')
    return refuse (tx, "Evidence: say what verification found");
  if (!require_round_initialized (tx))
    return FALSE;
  transcoder_init (&t);
  ok = transcoder_load (tx, orchestrator, &t);
  registered = ok && t.activation_round > 0;
  transcoder_clear (&t);
  if (!ok)
    return FALSE;
  ok = FALSE;
  if (!registered)
    return refuse (tx, "Evidence: %s is not an orchestrator",
        address_text (orchestrator).text);
  if (tx->params.slashing_enabled && !slashed_this_round (tx, orchestrator,
          &already))
    return FALSE;
  if (tx->params.slashing_enabled && !already
      && !slash (tx, orchestrator, finder, penalty))
    return FALSE;
  stmt = prep (tx, "INSERT INTO evidence (finder, orchestrator, reason, "
      "round, penalty) VALUES (?, ?, ?, ?, ?)");
  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, finder);
  bind_address (stmt, 2, orchestrator);
  sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, (gint64) tx->round);
  ok = bind_mpz (tx, stmt, 5, penalty) && step_done (tx, stmt);
  return ok;
}

/* ---- reading ------------------------------------------------------------ */

static void
set_u256 (LpUint256 * out, const mpz_t value)
{
  mpz_to_uint256 (value, out);
}

static gboolean
read_status (Tx * tx, LpLedgerStatus * status)
{
  mpz_t value, minted;
  gboolean ok;

  memset (status, 0, sizeof (*status));
  mpz_inits (value, minted, NULL);
  status->block = tx->block;
  status->round = tx->round;
  status->round_initialized = current_round_initialized (tx);
  status->round_locked = current_round_locked (tx);
  status->last_initialized_round = tx->last_initialized_round < 0 ? 0 :
      (guint64) tx->last_initialized_round;
  status->params = tx->params;
  ok = state_get_mpz (tx, "total-supply", value);
  set_u256 (&status->total_supply, value);
  ok = ok && state_get_mpz (tx, "current-round-total-active-stake", value);
  set_u256 (&status->current_round_total_active_stake, value);
  ok = ok && state_get_mpz (tx, "next-round-total-active-stake", value);
  set_u256 (&status->next_round_total_active_stake, value);
  ok = ok && state_get_mpz (tx, "treasury", value);
  set_u256 (&status->treasury, value);
  ok = ok && round_get_mint (tx, (gint64) tx->round, value, minted);
  set_u256 (&status->mintable, value);
  set_u256 (&status->minted, minted);
  if (ok) {
    sqlite3_stmt *stmt = prep (tx, "SELECT delegated FROM delegators");
    gint rc;
    mpz_t sum;
    mpz_init (sum);
    while (stmt != NULL && (rc = step (tx, stmt)) == 1) {
      column_mpz (stmt, 0, value);
      mpz_add (sum, sum, value);
    }
    set_u256 (&status->total_bonded, sum);
    mpz_clear (sum);
    ok = stmt != NULL && tx->error == NULL;
  }
  mpz_clears (value, minted, NULL);
  return ok;
}

static gboolean
read_locks (Tx * tx, const LpAddress * address, GArray * locks)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT id, amount, withdraw_round FROM "
      "locks WHERE address = ? ORDER BY id");
  mpz_t amount;
  gint rc;

  if (stmt == NULL)
    return FALSE;
  mpz_init (amount);
  bind_address (stmt, 1, address);
  while ((rc = step (tx, stmt)) == 1) {
    LpUnbondingLock lock;
    lock.id = (guint64) sqlite3_column_int64 (stmt, 0);
    column_mpz (stmt, 1, amount);
    set_u256 (&lock.amount, amount);
    lock.withdraw_round = (guint64) sqlite3_column_int64 (stmt, 2);
    g_array_append_val (locks, lock);
  }
  mpz_clear (amount);
  return rc == 0;
}

static gboolean
read_account (Tx * tx, const LpAddress * address, LpAccountInfo * info)
{
  Delegator d;
  Sender s;
  mpz_t value, stake, fees;
  gboolean ok;

  memset (info, 0, sizeof (*info));
  info->address = *address;
  info->locks = g_array_new (FALSE, TRUE, sizeof (LpUnbondingLock));
  delegator_init (&d);
  sender_init (&s);
  mpz_inits (value, stake, fees, NULL);
  ok = balance_get (tx, address, ASSET_LPT, value);
  set_u256 (&info->lpt, value);
  ok = ok && balance_get (tx, address, ASSET_ETH, value);
  set_u256 (&info->eth, value);
  ok = ok && delegator_load (tx, address, &d)
      && pending_stake_and_fees (tx, &d, (gint64) tx->round, stake, fees)
      && read_locks (tx, address, info->locks)
      && sender_load (tx, address, &s);
  if (ok) {
    info->status = delegator_status (tx, &d);
    set_u256 (&info->bonded, d.bonded);
    set_u256 (&info->pending_stake, stake);
    set_u256 (&info->fees, d.fees);
    set_u256 (&info->pending_fees, fees);
    info->delegate = d.delegate;
    set_u256 (&info->delegated, d.delegated);
    info->start_round = (guint64) d.start_round;
    info->last_claim_round = (guint64) d.last_claim_round;
    set_u256 (&info->deposit, s.deposit);
    set_u256 (&info->reserve, s.reserve);
    info->withdraw_round = (guint64) s.withdraw_round;
  }
  mpz_clears (value, stake, fees, NULL);
  sender_clear (&s);
  delegator_clear (&d);
  return ok;
}

static gboolean
read_orchestrator (Tx * tx, const LpAddress * address,
    LpLedgerOrchestrator * info)
{
  Delegator d;
  Transcoder t;
  gboolean ok;

  memset (info, 0, sizeof (*info));
  delegator_init (&d);
  transcoder_init (&t);
  ok = delegator_load (tx, address, &d) && transcoder_load (tx, address, &t);
  if (ok) {
    info->address = *address;
    info->registered = is_registered (&d);
    info->active = is_active (tx, &t);
    info->in_pool = t.in_pool;
    set_u256 (&info->total_stake, d.delegated);
    info->reward_cut = (guint64) t.reward_cut;
    info->fee_share = (guint64) t.fee_share;
    info->service_uri = g_strdup (t.service_uri);
    info->last_reward_round = (guint64) t.last_reward_round;
    info->activation_round = (guint64) t.activation_round;
    info->deactivation_round = t.deactivation_round;
    set_u256 (&info->cumulative_rewards, t.cumulative_rewards);
    set_u256 (&info->cumulative_fees, t.cumulative_fees);
  }
  transcoder_clear (&t);
  delegator_clear (&d);
  return ok;
}

static gint
compare_by_stake (gconstpointer a, gconstpointer b)
{
  const LpLedgerOrchestrator *x = a, *y = b;
  gint order = lp_uint256_cmp (&y->total_stake, &x->total_stake);

  return order != 0 ? order : memcmp (x->address.bytes, y->address.bytes,
      LP_ADDRESS_SIZE);
}

static gboolean
read_orchestrators (Tx * tx, gboolean active_only, GArray * out)
{
  g_autoptr (GArray) addresses = g_array_new (FALSE, FALSE, sizeof (LpAddress));
  sqlite3_stmt *stmt = prep (tx, "SELECT address FROM transcoders");
  gint rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = step (tx, stmt)) == 1) {
    LpAddress address;
    column_address (stmt, 0, &address);
    g_array_append_val (addresses, address);
  }
  if (rc < 0)
    return FALSE;
  for (guint i = 0; i < addresses->len; i++) {
    LpLedgerOrchestrator info;
    if (!read_orchestrator (tx, &g_array_index (addresses, LpAddress, i),
            &info))
      return FALSE;
    if ((active_only && !info.active) || (!active_only && !info.registered
            && !info.active)) {
      lp_ledger_orchestrator_clear (&info);
      continue;
    }
    g_array_append_val (out, info);
  }
  g_array_sort (out, compare_by_stake);
  return TRUE;
}

static gboolean
read_tickets (Tx * tx, const LpAddress * recipient, GArray * out)
{
  sqlite3_stmt *stmt = prep (tx, recipient != NULL ?
      "SELECT hash, sender, recipient, face_value, paid, round, block FROM "
      "tickets WHERE recipient = ? ORDER BY seq" :
      "SELECT hash, sender, recipient, face_value, paid, round, block FROM "
      "tickets ORDER BY seq");
  mpz_t value;
  gint rc;

  if (stmt == NULL)
    return FALSE;
  if (recipient != NULL)
    bind_address (stmt, 1, recipient);
  mpz_init (value);
  while ((rc = step (tx, stmt)) == 1) {
    LpRedeemedTicket ticket;
    memset (&ticket, 0, sizeof (ticket));
    if (sqlite3_column_bytes (stmt, 0) == LP_TICKET_HASH_SIZE)
      memcpy (ticket.ticket_hash, sqlite3_column_blob (stmt, 0),
          LP_TICKET_HASH_SIZE);
    column_address (stmt, 1, &ticket.sender);
    column_address (stmt, 2, &ticket.recipient);
    column_mpz (stmt, 3, value);
    set_u256 (&ticket.face_value, value);
    column_mpz (stmt, 4, value);
    set_u256 (&ticket.paid, value);
    ticket.round = (guint64) sqlite3_column_int64 (stmt, 5);
    ticket.block = (guint64) sqlite3_column_int64 (stmt, 6);
    g_array_append_val (out, ticket);
  }
  mpz_clear (value);
  return rc == 0;
}

static gboolean
read_proposal (Tx * tx, guint64 id, LpProposalInfo * info)
{
  ProposalRow row;
  mpz_t votes[3], quorum, total, value;
  sqlite3_stmt *stmt;
  gint rc;
  gboolean ok = FALSE;

  memset (info, 0, sizeof (*info));
  mpz_inits (votes[0], votes[1], votes[2], quorum, total, value, NULL);
  if (!proposal_load (tx, id, &row))
    goto done;
  if (!row.found) {
    g_set_error (&tx->error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_NOT_FOUND,
        "There is no proposal %" G_GUINT64_FORMAT, id);
    goto done;
  }
  if (!proposal_state (tx, id, &row, &info->state, votes, quorum, total))
    goto done;
  info->id = id;
  info->proposer = row.proposer;
  info->description = g_steal_pointer (&row.description);
  info->start_round = (guint64) row.start_round;
  info->end_round = (guint64) row.end_round;
  set_u256 (&info->votes_for, votes[LP_VOTE_FOR]);
  set_u256 (&info->votes_against, votes[LP_VOTE_AGAINST]);
  set_u256 (&info->votes_abstain, votes[LP_VOTE_ABSTAIN]);
  set_u256 (&info->quorum, quorum);
  set_u256 (&info->total_active_stake, total);
  info->actions = g_array_new (FALSE, TRUE, sizeof (LpProposalAction));
  stmt = prep (tx, "SELECT kind, param, value, payee FROM proposal_actions "
      "WHERE proposal = ? ORDER BY seq");
  if (stmt == NULL)
    goto done;
  sqlite3_bind_int64 (stmt, 1, (gint64) id);
  while ((rc = step (tx, stmt)) == 1) {
    LpProposalAction action;
    memset (&action, 0, sizeof (action));
    action.kind = sqlite3_column_int (stmt, 0);
    action.param = sqlite3_column_int (stmt, 1);
    column_mpz (stmt, 2, value);
    set_u256 (&action.value, value);
    column_address (stmt, 3, &action.to);
    g_array_append_val (info->actions, action);
  }
  ok = rc == 0;
done:
  g_free (row.description);
  mpz_clears (votes[0], votes[1], votes[2], quorum, total, value, NULL);
  return ok;
}

/* ---- audit -------------------------------------------------------------- */

static gboolean
sum_column (Tx * tx, const gchar * sql, mpz_t sum)
{
  sqlite3_stmt *stmt = prep (tx, sql);
  mpz_t value;
  gint rc;

  if (stmt == NULL)
    return FALSE;
  mpz_set_ui (sum, 0);
  mpz_init (value);
  while ((rc = step (tx, stmt)) == 1) {
    column_mpz (stmt, 0, value);
    mpz_add (sum, sum, value);
  }
  mpz_clear (value);
  return rc == 0;
}

static gboolean
audit_line (GString * report, gboolean holds, const gchar * name,
    const mpz_t left, const mpz_t right)
{
  gchar *a = mpz_get_str (NULL, 10, left);
  gchar *b = mpz_get_str (NULL, 10, right);

  g_string_append_printf (report, "%s %s: %s %s %s\n", holds ? "ok" : "FAILED",
      name, a, holds ? "=" : "!=", b);
  free (a);
  free (b);
  return holds;
}

/* The round-by-round recomputation of one delegator's claim, and the room
 * the contracts' arithmetic leaves around it. */
typedef struct
{
  mpq_t stake;
  mpq_t fees;
  guint events;                 /* rounds that gave the pool anything */
  mpq_t fee_room;               /* room for estimated reward factors */
} Naive;

static void
naive_init (Naive * n)
{
  mpq_inits (n->stake, n->fees, n->fee_room, NULL);
  n->events = 0;
}

static void
naive_clear (Naive * n)
{
  mpq_clears (n->stake, n->fees, n->fee_room, NULL);
}

/* @a × @num / @den, exactly */
static void
mpq_scaled (mpq_t out, const mpq_t a, const mpz_t num, const mpz_t den)
{
  mpq_t ratio;

  mpq_init (ratio);
  mpq_set_num (ratio, num);
  mpq_set_den (ratio, den);
  mpq_canonicalize (ratio);
  mpq_mul (out, a, ratio);
  mpq_clear (ratio);
}

/* Fees that reach a pool after its orchestrator called reward() in a round
 * whose previous round has no reward factor are credited with a factor
 * estimated back from this round's rewards (estimate_previous_crf()), not
 * with the real one. Their share of the round's fees is off by the ratio
 * (T + R_real) / (T + R_est), T the pool's stake, R_real and R_est the
 * delegators' real and assumed rewards. The estimate takes mintable +
 * minted-so-far and the Minter never mints past mintable, so both R lie in
 * [0, T × 2 × mintable / totalActive] and the ratio is within 2 ×
 * mintable / totalActive of 1. That is the room granted to the round's
 * fees, and only in rounds where an estimate was possible: the previous
 * round's factor is zero and this round's is not. */
static void
naive_fee_room (Naive * n, const mpq_t fee_share, const mpz_t mintable,
    const mpz_t total_active)
{
  mpq_t room;
  mpz_t twice;

  if (mpz_sgn (total_active) == 0)
    return;
  mpq_init (room);
  mpz_init (twice);
  mpz_mul_2exp (twice, mintable, 1);
  mpq_scaled (room, fee_share, twice, total_active);
  mpq_add (n->fee_room, n->fee_room, room);
  mpz_clear (twice);
  mpq_clear (room);
}

/* Round by round from the delegator's last claim: its fees on the stake it
 * had before the round's reward, then the reward, as exact fractions of
 * each round's pool. */
static gboolean
naive_claim (Tx * tx, const Delegator * d, Naive * n)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT p.total_stake, p.delegator_rewards, "
      "p.delegator_fees, p.crf, q.crf, r.mintable, r.total_active_stake "
      "FROM pools p LEFT JOIN pools q ON q.address = p.address AND "
      "q.round = p.round - 1 LEFT JOIN rounds r ON r.round = p.round "
      "WHERE p.address = ? AND p.round > ? AND p.round <= ? ORDER BY p.round");
  mpz_t total, rewards, pool_fees, crf, prev_crf, mintable, active;
  mpq_t share;
  gint rc;

  if (stmt == NULL)
    return FALSE;
  mpz_inits (total, rewards, pool_fees, crf, prev_crf, mintable, active, NULL);
  mpq_init (share);
  mpq_set_z (n->stake, d->bonded);
  mpq_set_z (n->fees, d->fees);
  bind_address (stmt, 1, &d->delegate);
  sqlite3_bind_int64 (stmt, 2, d->last_claim_round);
  sqlite3_bind_int64 (stmt, 3, (gint64) tx->round);
  while ((rc = step (tx, stmt)) == 1) {
    column_mpz (stmt, 0, total);
    column_mpz (stmt, 1, rewards);
    column_mpz (stmt, 2, pool_fees);
    column_mpz (stmt, 3, crf);
    column_mpz (stmt, 4, prev_crf);
    column_mpz (stmt, 5, mintable);
    column_mpz (stmt, 6, active);
    if (mpz_sgn (total) == 0 || (mpz_sgn (rewards) == 0
            && mpz_sgn (pool_fees) == 0))
      continue;
    n->events++;
    mpq_scaled (share, n->stake, pool_fees, total);
    mpq_add (n->fees, n->fees, share);
    if (mpz_sgn (pool_fees) > 0 && mpz_sgn (prev_crf) == 0
        && mpz_sgn (crf) > 0)
      naive_fee_room (n, share, mintable, active);
    mpq_scaled (share, n->stake, rewards, total);
    mpq_add (n->stake, n->stake, share);
  }
  mpq_clear (share);
  mpz_clears (total, rewards, pool_fees, crf, prev_crf, mintable, active,
      NULL);
  return rc == 0;
}

/* How far the factors' result may be from the exact one: one wei per
 * truncating step, plus the 1e-27 relative error of each factor update,
 * plus @room. */
static void
naive_bound (mpq_t bound, const mpq_t naive, guint events, const mpq_t room)
{
  mpz_t slack;

  mpz_init (slack);
  mpz_fdiv_q (slack, mpq_numref (naive), mpq_denref (naive));
  mpz_mul_ui (slack, slack, 4 * (events + 1));
  mpz_fdiv_q (slack, slack, precise_divisor);
  mpz_add_ui (slack, slack, 2 + 2 * (gulong) events);
  mpq_set_z (bound, slack);
  mpq_add (bound, bound, room);
  mpz_clear (slack);
}

/* Checks one quantity (stake or fees) of a claim against its recomputation
 * and names it when they disagree. */
static void
audit_quantity (GString * report, const LpAddress * owner, const gchar * what,
    const mpz_t computed, const mpq_t naive, guint events, const mpq_t room,
    gboolean * holds)
{
  mpq_t diff, bound;
  mpz_t whole;
  gchar *a, *b, *c;

  mpq_inits (diff, bound, NULL);
  mpq_set_z (diff, computed);
  mpq_sub (diff, diff, naive);
  mpq_abs (diff, diff);
  naive_bound (bound, naive, events, room);
  if (mpq_cmp (diff, bound) > 0) {
    mpz_init (whole);
    a = mpz_get_str (NULL, 10, computed);
    mpz_fdiv_q (whole, mpq_numref (naive), mpq_denref (naive));
    b = mpz_get_str (NULL, 10, whole);
    mpz_fdiv_q (whole, mpq_numref (bound), mpq_denref (bound));
    c = mpz_get_str (NULL, 10, whole);
    g_string_append_printf (report, "FAILED the claim of %s: pending %s %s "
        "(factors) differs from the round-by-round recomputation (%s) by "
        "more than the %s wei that truncation and estimated reward factors "
        "allow\n", address_text (owner).text, what, a, b, c);
    free (a);
    free (b);
    free (c);
    mpz_clear (whole);
    *holds = FALSE;
  }
  mpq_clears (diff, bound, NULL);
}

static gboolean
audit_naive (Tx * tx, const Delegator * d, const mpz_t stake,
    const mpz_t fees, GString * report, gboolean * holds)
{
  Naive n;
  mpq_t none;
  gboolean ok;

  /* an orchestrator's own earnings also come through its cumulative
   * rewards and fees, which this plain recomputation leaves out */
  if (lp_address_equal (&d->delegate, &d->address))
    return TRUE;
  naive_init (&n);
  mpq_init (none);
  ok = naive_claim (tx, d, &n);
  if (ok) {
    /* the estimate changes no reward factor: stake gets no extra room */
    audit_quantity (report, &d->address, "stake", stake, n.stake, n.events,
        none, holds);
    audit_quantity (report, &d->address, "fees", fees, n.fees, n.events,
        n.fee_room, holds);
  }
  mpq_clear (none);
  naive_clear (&n);
  return ok;
}

/* Every delegator's claimable stake and fees from the cumulative factors;
 * per delegate, what its delegators may claim must fit in its stake. */
static gboolean
audit_claims (Tx * tx, GString * report, gboolean * holds)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT address FROM delegators "
      "WHERE delegate != zeroblob(20) ORDER BY delegate");
  g_autoptr (GArray) owners = g_array_new (FALSE, FALSE, sizeof (LpAddress));
  GHashTable *claims = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
      (GDestroyNotify) g_bytes_unref, g_free);
  mpz_t stake, fees, all_fees, minter_fees, held;
  GHashTableIter iter;
  gpointer key, value;
  gint rc;
  gboolean ok = FALSE;

  mpz_inits (stake, fees, all_fees, minter_fees, held, NULL);
  if (stmt == NULL)
    goto done;
  while ((rc = step (tx, stmt)) == 1) {
    LpAddress address;
    column_address (stmt, 0, &address);
    g_array_append_val (owners, address);
  }
  if (rc < 0)
    goto done;
  for (guint i = 0; i < owners->len; i++) {
    Delegator d;
    GBytes *delegate;
    gchar *sum;
    mpz_t total;
    delegator_init (&d);
    if (!delegator_load (tx, &g_array_index (owners, LpAddress, i), &d)
        || !pending_stake_and_fees (tx, &d, (gint64) tx->round, stake, fees)
        || !audit_naive (tx, &d, stake, fees, report, holds)) {
      delegator_clear (&d);
      goto done;
    }
    mpz_add (all_fees, all_fees, fees);
    delegate = g_bytes_new (d.delegate.bytes, LP_ADDRESS_SIZE);
    sum = g_hash_table_lookup (claims, delegate);
    mpz_init_set_str (total, sum != NULL ? sum : "0", 10);
    mpz_add (total, total, stake);
    g_hash_table_replace (claims, delegate, mpz_get_str (NULL, 10, total));
    mpz_clear (total);
    delegator_clear (&d);
  }
  g_hash_table_iter_init (&iter, claims);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    LpAddress delegate;
    mpz_t claimed;
    memcpy (delegate.bytes, g_bytes_get_data (key, NULL), LP_ADDRESS_SIZE);
    if (!delegated_amount (tx, &delegate, held))
      goto done;
    mpz_init_set_str (claimed, value, 10);
    if (mpz_cmp (claimed, held) > 0) {
      g_autofree gchar *text = g_strdup_printf ("stake owed to the "
          "delegators of %s is within its total stake",
          address_text (&delegate).text);
      audit_line (report, FALSE, text, claimed, held);
      *holds = FALSE;
    }
    mpz_clear (claimed);
  }
  g_string_append_printf (report, "%s every delegate holds the stake its %u "
      "delegators may claim, and each claim agrees with its round-by-round "
      "recomputation\n", *holds ? "ok" : "FAILED", owners->len);
  if (!state_get_mpz (tx, "minter-fees", minter_fees))
    goto done;
  if (mpz_cmp (all_fees, minter_fees) > 0) {
    audit_line (report, FALSE, "claimable fees are within the fees held",
        all_fees, minter_fees);
    *holds = FALSE;
  } else {
    g_string_append (report, "ok claimable fees are within the fees held\n");
  }
  ok = TRUE;
done:
  g_hash_table_unref (claims);
  mpz_clears (stake, fees, all_fees, minter_fees, held, NULL);
  return ok;
}

static gboolean
audit_lpt (Tx * tx, GString * report, gboolean * holds)
{
  mpz_t supply, parts, value, genesis, minted, burned, rounds_minted;
  gboolean lpt_fees = tx->params.fee_asset == LP_FEE_ASSET_LPT;
  gboolean ok;

  mpz_inits (supply, parts, value, genesis, minted, burned, rounds_minted,
      NULL);
  ok = state_get_mpz (tx, "total-supply", supply)
      && sum_column (tx, "SELECT lpt FROM accounts", parts)
      && sum_column (tx, "SELECT delegated FROM delegators", value);
  mpz_add (parts, parts, value);
  ok = ok && sum_column (tx, "SELECT amount FROM locks", value);
  mpz_add (parts, parts, value);
  ok = ok && state_get_mpz (tx, "treasury", value);
  mpz_add (parts, parts, value);
  if (lpt_fees) {
    ok = ok && sum_column (tx, "SELECT deposit FROM senders", value);
    mpz_add (parts, parts, value);
    ok = ok && sum_column (tx, "SELECT reserve FROM senders", value);
    mpz_add (parts, parts, value);
    ok = ok && state_get_mpz (tx, "minter-fees", value);
    mpz_add (parts, parts, value);
  }
  if (ok)
    *holds &= audit_line (report, mpz_cmp (parts, supply) == 0, lpt_fees ?
        "LPT: balances + bonded + unbonding + treasury + deposits + reserves "
        "+ unwithdrawn fees = total supply" :
        "LPT: balances + bonded + unbonding + treasury = total supply", parts,
        supply);
  ok = ok && state_get_mpz (tx, "genesis-supply", genesis)
      && state_get_mpz (tx, "minted-total", minted)
      && state_get_mpz (tx, "burned-total", burned)
      && sum_column (tx, "SELECT minted FROM rounds", rounds_minted);
  mpz_add (value, genesis, minted);
  mpz_sub (value, value, burned);
  if (ok) {
    *holds &= audit_line (report, mpz_cmp (value, supply) == 0,
        "LPT: genesis + minted rewards - slashed = total supply", value,
        supply);
    *holds &= audit_line (report, mpz_cmp (minted, rounds_minted) == 0,
        "LPT: minted = sum of every round's rewards", minted, rounds_minted);
  }
  mpz_clears (supply, parts, value, genesis, minted, burned, rounds_minted,
      NULL);
  return ok;
}

static gboolean
audit_fees (Tx * tx, GString * report, gboolean * holds)
{
  mpz_t held, expected, funded, withdrawn, paid, credited, tickets, fees_out,
      minter_fees, value;
  gboolean ok;

  mpz_inits (held, expected, funded, withdrawn, paid, credited, tickets,
      fees_out, minter_fees, value, NULL);
  ok = sum_column (tx, "SELECT deposit FROM senders", held)
      && sum_column (tx, "SELECT reserve FROM senders", value)
      && state_get_mpz (tx, "fees-funded", funded)
      && state_get_mpz (tx, "fees-withdrawn-by-senders", withdrawn)
      && state_get_mpz (tx, "fees-paid", paid)
      && state_get_mpz (tx, "fees-credited", credited)
      && state_get_mpz (tx, "fees-withdrawn", fees_out)
      && state_get_mpz (tx, "minter-fees", minter_fees)
      && sum_column (tx, "SELECT paid FROM tickets", tickets);
  if (!ok)
    goto done;
  mpz_add (held, held, value);
  mpz_sub (expected, funded, withdrawn);
  mpz_sub (expected, expected, paid);
  *holds &= audit_line (report, mpz_cmp (held, expected) == 0,
      "fees: deposits + reserves = funded - withdrawn - paid out", held,
      expected);
  *holds &= audit_line (report, mpz_cmp (paid, credited) == 0,
      "fees: paid out = credited to earnings pools", paid, credited);
  *holds &= audit_line (report, mpz_cmp (paid, tickets) == 0,
      "fees: paid out = sum over redeemed tickets", paid, tickets);
  mpz_sub (value, paid, fees_out);
  *holds &= audit_line (report, mpz_cmp (value, minter_fees) == 0,
      "fees: held for delegators = paid out - withdrawn by delegators", value,
      minter_fees);
  if (tx->params.fee_asset == LP_FEE_ASSET_ETH) {
    /* no ETH is ever made or destroyed */
    if (!sum_column (tx, "SELECT eth FROM accounts", value)
        || !state_get_mpz (tx, "genesis-eth", expected)) {
      ok = FALSE;
      goto done;
    }
    mpz_add (value, value, held);
    mpz_add (value, value, minter_fees);
    *holds &= audit_line (report, mpz_cmp (value, expected) == 0,
        "ETH: balances + deposits + reserves + fees held = genesis ETH",
        value, expected);
  }
done:
  mpz_clears (held, expected, funded, withdrawn, paid, credited, tickets,
      fees_out, minter_fees, value, NULL);
  return ok;
}

static gboolean
audit_structure (Tx * tx, GString * report, gboolean * holds)
{
  sqlite3_stmt *stmt = prep (tx, "SELECT COUNT(*), COUNT(DISTINCT hash) FROM "
      "tickets");
  mpz_t count, distinct, pool_stake, next_active;
  gboolean ok;

  if (stmt == NULL || step (tx, stmt) != 1)
    return FALSE;
  mpz_inits (count, distinct, pool_stake, next_active, NULL);
  mpz_set_si (count, sqlite3_column_int64 (stmt, 0));
  mpz_set_si (distinct, sqlite3_column_int64 (stmt, 1));
  *holds &= audit_line (report, mpz_cmp (count, distinct) == 0,
      "tickets: redeemed tickets = distinct ticket hashes (none twice)", count,
      distinct);
  /* a redemption takes its ticket out of the queue and the queue turns
   * redeemed tickets away: one both queued and redeemed means one of the
   * two broke, and a worker would try to redeem it again */
  stmt = prep (tx, "SELECT COUNT(*) FROM queued_tickets WHERE hash IN "
      "(SELECT hash FROM tickets)");
  ok = stmt != NULL && step (tx, stmt) == 1;
  if (ok) {
    mpz_set_si (count, sqlite3_column_int64 (stmt, 0));
    mpz_set_ui (distinct, 0);
    *holds &= audit_line (report, mpz_sgn (count) == 0,
        "tickets: queued tickets that are also redeemed (none may be)", count,
        distinct);
  }
  ok = ok && sum_column (tx, "SELECT d.delegated FROM transcoders t JOIN "
      "delegators d ON d.address = t.address WHERE t.in_pool = 1", pool_stake)
      && state_get_mpz (tx, "next-round-total-active-stake", next_active);
  if (ok)
    *holds &= audit_line (report, mpz_cmp (pool_stake, next_active) == 0,
        "active set: next round's total active stake = its members' stake",
        pool_stake, next_active);
  mpz_clears (count, distinct, pool_stake, next_active, NULL);
  return ok;
}

static gboolean
do_audit (Tx * tx, GString * report, gboolean * holds)
{
  *holds = TRUE;
  return audit_lpt (tx, report, holds) && audit_fees (tx, report, holds)
      && audit_structure (tx, report, holds)
      && audit_claims (tx, report, holds);
}

/* ---- the interface ------------------------------------------------------ */

#define SELF(ledger) LP_LEDGER_SQLITE (ledger)

/* Runs @body inside a transaction: write or read only. */
#define IN_TX(ledger, write, body) \
  G_STMT_START { \
    Tx tx; \
    gboolean ok_; \
    if (!tx_begin (SELF (ledger), &tx, write, error)) \
      return FALSE; \
    ok_ = (body); \
    return tx_end (&tx, ok_, error); \
  } G_STMT_END

static gboolean
sqlite_get_status (LpLedger * ledger, LpLedgerStatus * status, GError ** error)
{
  IN_TX (ledger, FALSE, read_status (&tx, status));
}

static gboolean
do_advance (Tx * tx, guint64 blocks)
{
  gint64 manual;

  if (blocks > G_MAXINT32)
    return refuse (tx, "Advance: at most %d blocks at a time", G_MAXINT32);
  return state_get_i64 (tx, "manual-blocks", 0, &manual)
      && state_set_i64 (tx, "manual-blocks", manual + (gint64) blocks);
}

static gboolean
sqlite_advance (LpLedger * ledger, guint64 blocks, GError ** error)
{
  IN_TX (ledger, TRUE, do_advance (&tx, blocks));
}

static gboolean
sqlite_initialize_round (LpLedger * ledger, GError ** error)
{
  IN_TX (ledger, TRUE, do_initialize_round (&tx));
}

static gboolean
do_get_block_hash (Tx * tx, guint64 round, guint8 * hash)
{
  gboolean found;

  if (!round_block_hash (tx, (gint64) round, hash, &found))
    return FALSE;
  if (!found)
    g_set_error (&tx->error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_NOT_FOUND,
        "Round %" G_GUINT64_FORMAT " was never initialized", round);
  return found;
}

static gboolean
sqlite_get_round_block_hash (LpLedger * ledger, guint64 round,
    guint8 hash[LP_KECCAK256_SIZE], GError ** error)
{
  IN_TX (ledger, FALSE, do_get_block_hash (&tx, round, hash));
}

static gboolean
sqlite_get_account (LpLedger * ledger, const LpAddress * address,
    LpAccountInfo * info, GError ** error)
{
  Tx tx;
  gboolean ok;

  if (!tx_begin (SELF (ledger), &tx, FALSE, error))
    return FALSE;
  ok = read_account (&tx, address, info);
  if (!ok)
    lp_account_info_clear (info);
  return tx_end (&tx, ok, error);
}

static gboolean
sqlite_get_orchestrator (LpLedger * ledger, const LpAddress * address,
    LpLedgerOrchestrator * info, GError ** error)
{
  IN_TX (ledger, FALSE, read_orchestrator (&tx, address, info));
}

static GArray *
sqlite_list_orchestrators (LpLedger * ledger, gboolean active_only,
    GError ** error)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (LpLedgerOrchestrator));
  Tx tx;

  g_array_set_clear_func (out, lp_ledger_orchestrator_clear_func);
  if (!tx_begin (SELF (ledger), &tx, FALSE, error)) {
    g_array_unref (out);
    return NULL;
  }
  if (!tx_end (&tx, read_orchestrators (&tx, active_only, out), error)) {
    g_array_unref (out);
    return NULL;
  }
  return out;
}

static gboolean
sqlite_transfer (LpLedger * ledger, const LpAddress * from,
    const LpAddress * to, const LpUint256 * amount, GError ** error)
{
  mpz_t value;
  Tx tx;
  gboolean ok;

  if (!tx_begin (SELF (ledger), &tx, TRUE, error))
    return FALSE;
  mpz_init (value);
  mpz_from_uint256 (value, amount);
  ok = do_transfer (&tx, from, to, value);
  mpz_clear (value);
  return tx_end (&tx, ok, error);
}

static gboolean
sqlite_fund (LpLedger * ledger, const LpAddress * sender,
    const LpUint256 * deposit, const LpUint256 * reserve, GError ** error)
{
  mpz_t d, r;
  Tx tx;
  gboolean ok;

  if (!tx_begin (SELF (ledger), &tx, TRUE, error))
    return FALSE;
  mpz_inits (d, r, NULL);
  if (deposit != NULL)
    mpz_from_uint256 (d, deposit);
  if (reserve != NULL)
    mpz_from_uint256 (r, reserve);
  ok = do_fund (&tx, sender, d, r);
  mpz_clears (d, r, NULL);
  return tx_end (&tx, ok, error);
}

static gboolean
sqlite_unlock (LpLedger * ledger, const LpAddress * sender, GError ** error)
{
  IN_TX (ledger, TRUE, do_unlock (&tx, sender));
}

static gboolean
sqlite_cancel_unlock (LpLedger * ledger, const LpAddress * sender,
    GError ** error)
{
  IN_TX (ledger, TRUE, do_cancel_unlock (&tx, sender));
}

static gboolean
sqlite_withdraw (LpLedger * ledger, const LpAddress * sender, GError ** error)
{
  IN_TX (ledger, TRUE, do_withdraw (&tx, sender));
}

static gboolean
read_sender_info (Tx * tx, const LpAddress * address, LpSenderInfo * info)
{
  Sender s;
  gboolean ok;

  memset (info, 0, sizeof (*info));
  sender_init (&s);
  ok = sender_load (tx, address, &s);
  set_u256 (&info->deposit, s.deposit);
  set_u256 (&info->reserve, s.reserve);
  info->withdraw_round = (guint64) s.withdraw_round;
  info->last_initialized_round = tx->last_initialized_round < 0 ? 0 :
      (guint64) tx->last_initialized_round;
  info->last_seen_block = tx->block;
  sender_clear (&s);
  return ok;
}

static gboolean
sqlite_get_sender_info (LpLedger * ledger, const LpAddress * sender,
    LpSenderInfo * info, GError ** error)
{
  IN_TX (ledger, FALSE, read_sender_info (&tx, sender, info));
}

static gboolean
sqlite_redeem_winning_ticket (LpLedger * ledger,
    const LpWinningTicket * ticket, LpRedemption * redemption,
    GError ** error)
{
  IN_TX (ledger, TRUE, do_redeem (&tx, ticket, redemption));
}

static GArray *
sqlite_list_redeemed_tickets (LpLedger * ledger, const LpAddress * recipient,
    GError ** error)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (LpRedeemedTicket));
  Tx tx;

  if (!tx_begin (SELF (ledger), &tx, FALSE, error)
      || !tx_end (&tx, read_tickets (&tx, recipient, out), error)) {
    g_array_unref (out);
    return NULL;
  }
  return out;
}

static gboolean
sqlite_queue_winning_ticket (LpLedger * ledger,
    const LpWinningTicket * ticket, gboolean * added, GError ** error)
{
  IN_TX (ledger, TRUE, do_queue (&tx, ticket, added));
}

static GArray *
sqlite_list_queued_tickets (LpLedger * ledger, const LpAddress * recipient,
    GError ** error)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (LpWinningTicket));
  Tx tx;

  if (!tx_begin (SELF (ledger), &tx, FALSE, error)
      || !tx_end (&tx, read_queued_tickets (&tx, recipient, out), error)) {
    g_array_unref (out);
    return NULL;
  }
  return out;
}

static gboolean
sqlite_drop_queued_ticket (LpLedger * ledger,
    const guint8 ticket_hash[LP_TICKET_HASH_SIZE], GError ** error)
{
  IN_TX (ledger, TRUE, do_drop_queued (&tx, ticket_hash));
}

static gboolean
sqlite_register_orchestrator (LpLedger * ledger,
    const LpAddress * orchestrator, guint64 reward_cut, guint64 fee_share,
    const gchar * service_uri, GError ** error)
{
  IN_TX (ledger, TRUE, do_register (&tx, orchestrator, reward_cut, fee_share,
          service_uri));
}

static gboolean
sqlite_bond (LpLedger * ledger, const LpAddress * owner, const LpAddress * to,
    const LpUint256 * amount, GError ** error)
{
  mpz_t value;
  Tx tx;
  gboolean ok;

  if (!tx_begin (SELF (ledger), &tx, TRUE, error))
    return FALSE;
  mpz_init (value);
  mpz_from_uint256 (value, amount);
  ok = do_bond (&tx, owner, to, value);
  mpz_clear (value);
  return tx_end (&tx, ok, error);
}

static gboolean
sqlite_unbond (LpLedger * ledger, const LpAddress * owner,
    const LpUint256 * amount, guint64 * lock_id, GError ** error)
{
  mpz_t value;
  Tx tx;
  gboolean ok;

  if (!tx_begin (SELF (ledger), &tx, TRUE, error))
    return FALSE;
  mpz_init (value);
  mpz_from_uint256 (value, amount);
  ok = do_unbond (&tx, owner, value, lock_id);
  mpz_clear (value);
  return tx_end (&tx, ok, error);
}

static gboolean
sqlite_rebond (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * to, guint64 lock_id, GError ** error)
{
  IN_TX (ledger, TRUE, do_rebond (&tx, owner, to, lock_id));
}

static gboolean
sqlite_withdraw_stake (LpLedger * ledger, const LpAddress * owner,
    guint64 lock_id, GError ** error)
{
  IN_TX (ledger, TRUE, do_withdraw_stake (&tx, owner, lock_id));
}

static gboolean
sqlite_withdraw_fees (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * recipient, const LpUint256 * amount, GError ** error)
{
  mpz_t value;
  Tx tx;
  gboolean ok;

  if (!tx_begin (SELF (ledger), &tx, TRUE, error))
    return FALSE;
  mpz_init (value);
  mpz_from_uint256 (value, amount);
  ok = do_withdraw_fees (&tx, owner, recipient, value);
  mpz_clear (value);
  return tx_end (&tx, ok, error);
}

static gboolean
sqlite_claim_earnings (LpLedger * ledger, const LpAddress * owner,
    GError ** error)
{
  IN_TX (ledger, TRUE, do_claim (&tx, owner));
}

static gboolean
sqlite_reward (LpLedger * ledger, const LpAddress * orchestrator,
    LpUint256 * minted, GError ** error)
{
  mpz_t value;
  Tx tx;
  gboolean ok;

  if (!tx_begin (SELF (ledger), &tx, TRUE, error))
    return FALSE;
  mpz_init (value);
  ok = do_reward (&tx, orchestrator, value);
  if (ok && minted != NULL)
    mpz_to_uint256 (value, minted);
  mpz_clear (value);
  return tx_end (&tx, ok, error);
}

static gboolean
sqlite_submit_evidence (LpLedger * ledger, const LpAddress * finder,
    const LpAddress * orchestrator, const gchar * reason, LpUint256 * penalty,
    GError ** error)
{
  mpz_t value;
  Tx tx;
  gboolean ok;

  if (!tx_begin (SELF (ledger), &tx, TRUE, error))
    return FALSE;
  mpz_init (value);
  ok = do_submit_evidence (&tx, finder, orchestrator, reason, value);
  if (ok && penalty != NULL)
    mpz_to_uint256 (value, penalty);
  mpz_clear (value);
  return tx_end (&tx, ok, error);
}

static gboolean
sqlite_propose (LpLedger * ledger, const LpAddress * proposer,
    const gchar * description, const LpProposalAction * actions,
    guint n_actions, guint64 * proposal_id, GError ** error)
{
  IN_TX (ledger, TRUE, do_propose (&tx, proposer, description, actions,
          n_actions, proposal_id));
}

static gboolean
sqlite_vote (LpLedger * ledger, const LpAddress * voter, guint64 proposal_id,
    LpVoteSupport support, GError ** error)
{
  IN_TX (ledger, TRUE, do_vote (&tx, voter, proposal_id, support));
}

static gboolean
sqlite_get_proposal (LpLedger * ledger, guint64 proposal_id,
    LpProposalInfo * info, GError ** error)
{
  Tx tx;
  gboolean ok;

  if (!tx_begin (SELF (ledger), &tx, FALSE, error))
    return FALSE;
  ok = read_proposal (&tx, proposal_id, info);
  if (!ok)
    lp_proposal_info_clear (info);
  return tx_end (&tx, ok, error);
}

static gboolean
sqlite_execute (LpLedger * ledger, guint64 proposal_id, GError ** error)
{
  IN_TX (ledger, TRUE, do_execute (&tx, proposal_id));
}

/* SQLite's quick_check: every page and index readable and consistent (not
 * the slower cross-check of index contents against tables that
 * integrity_check adds). One row "ok", or one row per problem. */
static gboolean
sqlite_check_storage (LpLedger * ledger, GString * report, GError ** error)
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

static gboolean
sqlite_audit (LpLedger * ledger, GString * report, GError ** error)
{
  Tx tx;
  gboolean holds = FALSE;

  /* invariants read through a damaged index can hold by accident */
  if (!sqlite_check_storage (ledger, report, error))
    return FALSE;
  if (!tx_begin (SELF (ledger), &tx, FALSE, error))
    return FALSE;
  if (!tx_end (&tx, do_audit (&tx, report, &holds), error))
    return FALSE;
  return holds;
}

static void
lp_ledger_sqlite_iface_init (LpLedgerInterface * iface)
{
  iface->get_status = sqlite_get_status;
  iface->advance = sqlite_advance;
  iface->initialize_round = sqlite_initialize_round;
  iface->get_round_block_hash = sqlite_get_round_block_hash;
  iface->get_account = sqlite_get_account;
  iface->get_orchestrator = sqlite_get_orchestrator;
  iface->list_orchestrators = sqlite_list_orchestrators;
  iface->transfer = sqlite_transfer;
  iface->fund = sqlite_fund;
  iface->unlock = sqlite_unlock;
  iface->cancel_unlock = sqlite_cancel_unlock;
  iface->withdraw = sqlite_withdraw;
  iface->get_sender_info = sqlite_get_sender_info;
  iface->redeem_winning_ticket = sqlite_redeem_winning_ticket;
  iface->list_redeemed_tickets = sqlite_list_redeemed_tickets;
  iface->register_orchestrator = sqlite_register_orchestrator;
  iface->bond = sqlite_bond;
  iface->unbond = sqlite_unbond;
  iface->rebond = sqlite_rebond;
  iface->withdraw_stake = sqlite_withdraw_stake;
  iface->withdraw_fees = sqlite_withdraw_fees;
  iface->claim_earnings = sqlite_claim_earnings;
  iface->reward = sqlite_reward;
  iface->submit_evidence = sqlite_submit_evidence;
  iface->propose = sqlite_propose;
  iface->vote = sqlite_vote;
  iface->get_proposal = sqlite_get_proposal;
  iface->execute = sqlite_execute;
  iface->audit = sqlite_audit;
  iface->check_storage = sqlite_check_storage;
  iface->queue_winning_ticket = sqlite_queue_winning_ticket;
  iface->list_queued_tickets = sqlite_list_queued_tickets;
  iface->drop_queued_ticket = sqlite_drop_queued_ticket;
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

/* Schema 1 → 2 only adds the redemption queue, so a ledger made before it
 * keeps its state. One transaction; several processes may open the file at
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
    storage_error (&tx, "upgrading the ledger");
    g_mutex_unlock (&self->lock);
    g_propagate_error (error, tx.error);
    return FALSE;
  }
  ok = state_get_i64 (&tx, "schema-version", 0, &version);
  if (ok && version == 1) {
    ok = (sqlite3_exec (self->db, queue_schema_sql, NULL, NULL, NULL)
        == SQLITE_OK || storage_error (&tx, "upgrading the ledger"))
        && state_set_i64 (&tx, "schema-version", SCHEMA_VERSION);
  }
  return tx_end (&tx, ok, error);
}

LpLedger *
lp_ledger_sqlite_open (const gchar * path, GError ** error)
{
  g_autoptr (LpLedgerSqlite) self = connect (path, FALSE, error);
  gint version;

  if (self == NULL || !schema_version (self, &version, error))
    return NULL;
  if (version == 1 && !upgrade_schema (self, error))
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
  stmt = prep (tx, "INSERT INTO state (name, value) VALUES ('chain-seed', ?)");
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, seed, sizeof (seed), SQLITE_TRANSIENT);
  if (!step_done (tx, stmt))
    return FALSE;

  tx->params = genesis->params;
  mpz_inits (lpt, eth, supply, total_eth, cut, NULL);
  for (guint i = 0; ok && i < genesis->accounts->len; i++) {
    const LpGenesisAccount *account =
        &g_array_index (genesis->accounts, LpGenesisAccount, i);
    mpz_from_uint256 (lpt, &account->lpt);
    mpz_from_uint256 (eth, &account->eth);
    if (tx->params.fee_asset == LP_FEE_ASSET_LPT)
      mpz_set_ui (eth, 0);
    ok = balance_credit (tx, &account->address, ASSET_LPT, lpt)
        && balance_credit (tx, &account->address, ASSET_ETH, eth);
    mpz_add (supply, supply, lpt);
    mpz_add (total_eth, total_eth, eth);
  }
  mpz_from_uint256 (cut, &genesis->params.treasury_cut);
  ok = ok && params_store (tx, &tx->params)
      && state_set_i64 (tx, "schema-version", SCHEMA_VERSION)
      && state_set_i64 (tx, "genesis-ms", g_get_real_time () / 1000)
      && state_set_i64 (tx, "manual-blocks", 0)
      && state_set_mpz (tx, "genesis-supply", supply)
      && state_set_mpz (tx, "total-supply", supply)
      && state_set_mpz (tx, "genesis-eth", total_eth)
      && state_set_mpz (tx, "next-treasury-cut", cut);
  mpz_clears (lpt, eth, supply, total_eth, cut, NULL);
  if (!ok)
    return FALSE;
  tx->block = 0;
  tx->round = 0;
  tx->last_initialized_round = -1;
  return do_initialize_round (tx);
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
      != SQLITE_OK) {
    storage_error (&tx, "creating the ledger");
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    g_mutex_unlock (&self->lock);
    g_propagate_error (error, tx.error);
    return NULL;
  }
  if (!tx_end (&tx, write_genesis (&tx, genesis), error))
    return NULL;
  return LP_LEDGER (g_steal_pointer (&self));
}

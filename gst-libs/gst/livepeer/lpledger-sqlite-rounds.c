/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * The SQLite ledger's RoundsManager and Minter (docs/design/ledger.md,
 * "Rounds (RoundsManager)" and "Minter"): the block and round every
 * transaction reads (lp_sqlite_load_time()), the round lock, round
 * initialization (block hash, active stake, pending parameters, the
 * Minter's inflation and mintable tokens), minting and BondingManager's
 * reward() with the treasury cut, the ledger's status, and the vtable
 * entries for them.
 *
 * Every function taking a Tx runs inside a transaction, the ledger's lock
 * held (lpledger-sqlite.c); the lp_sqlite_* vtable entries open it.
 */
#include "lpledger-sqlite-private.h"

#include <string.h>

/* ---- time --------------------------------------------------------------- */

/* The block now: blocks advanced by hand plus, with a block time, those
 * the clock has produced since genesis. */
gboolean
lp_sqlite_load_time (Tx * tx)
{
  gint64 genesis_ms, manual_blocks, rl_round, rl_block;
  guint64 clock_blocks = 0;

  if (!lp_sqlite_state_get_i64 (tx, "genesis-ms", 0, &genesis_ms)
      || !lp_sqlite_state_get_i64 (tx, "manual-blocks", 0, &manual_blocks)
      || !lp_sqlite_state_get_i64 (tx, "last-initialized-round", -1,
          &tx->last_initialized_round)
      || !lp_sqlite_state_get_i64 (tx, "round-length-update-round", 0,
          &rl_round)
      || !lp_sqlite_state_get_i64 (tx, "round-length-update-block", 0,
          &rl_block))
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

guint64
lp_sqlite_current_round_start_block (Tx * tx)
{
  gint64 rl_round = 0, rl_block = 0;

  lp_sqlite_state_get_i64 (tx, "round-length-update-round", 0, &rl_round);
  lp_sqlite_state_get_i64 (tx, "round-length-update-block", 0, &rl_block);
  return (guint64) rl_block + (tx->round - (guint64) rl_round) *
      tx->params.round_length;
}

gboolean
lp_sqlite_current_round_locked (Tx * tx)
{
  mpz_t length, locked;
  guint64 locked_blocks;

  mpz_init_set_ui (length, tx->params.round_length);
  mpz_init (locked);
  lp_sqlite_perc_of_ui (locked, length, tx->params.round_lock_amount,
      lp_sqlite_perc_divisor);
  locked_blocks = mpz_get_ui (locked);
  mpz_clears (length, locked, NULL);
  return tx->block >= lp_sqlite_current_round_start_block (tx) +
      tx->params.round_length - locked_blocks;
}

static gboolean
current_round_initialized (Tx * tx)
{
  return tx->last_initialized_round == (gint64) tx->round;
}

gboolean
lp_sqlite_require_round_initialized (Tx * tx)
{
  if (current_round_initialized (tx))
    return TRUE;
  return lp_sqlite_refuse (tx, "Round %" G_GUINT64_FORMAT " is not initialized "
      "(anyone may initialize it: lpctl round init)", tx->round);
}

/* ---- rewards ------------------------------------------------------------ */

gboolean
lp_sqlite_round_get_mint (Tx * tx, gint64 round, mpz_t mintable, mpz_t minted)
{
  sqlite3_stmt *stmt;
  gint rc = lp_sqlite_row_for_round (tx,
      "SELECT mintable, minted FROM rounds WHERE round = ?", round, &stmt);

  if (rc < 0)
    return FALSE;
  if (rc == 0) {
    mpz_set_ui (mintable, 0);
    mpz_set_ui (minted, 0);
  } else {
    lp_sqlite_column_mpz (stmt, 0, mintable);
    lp_sqlite_column_mpz (stmt, 1, minted);
  }
  return TRUE;
}

static gboolean
round_set_minted (Tx * tx, gint64 round, const mpz_t minted)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx,
      "UPDATE rounds SET minted = ? WHERE round = ?");

  if (stmt == NULL || !lp_sqlite_bind_mpz (tx, stmt, 1, minted))
    return FALSE;
  sqlite3_bind_int64 (stmt, 2, round);
  return lp_sqlite_step_done (tx, stmt);
}

/* Minter.createReward(): mints @reward for a pool's share of the round */
static gboolean
create_reward (Tx * tx, const mpz_t pool_stake, mpz_t reward)
{
  mpz_t mintable, minted, total_active;
  gboolean ok = FALSE;

  mpz_inits (mintable, minted, total_active, NULL);
  if (!lp_sqlite_round_get_mint (tx, (gint64) tx->round, mintable, minted)
      || !lp_sqlite_state_get_mpz (tx, "current-round-total-active-stake",
          total_active))
    goto done;
  if (mpz_sgn (total_active) == 0) {
    lp_sqlite_refuse (tx,
        "Reward: round %" G_GUINT64_FORMAT " has no active stake", tx->round);
    goto done;
  }
  lp_sqlite_perc_of_fraction (reward, mintable, pool_stake, total_active,
      lp_sqlite_minter_divisor);
  mpz_add (minted, minted, reward);
  if (mpz_cmp (minted, mintable) > 0) {
    lp_sqlite_refuse (tx,
        "Reward: minted tokens cannot exceed this round's mintable "
        "tokens");
    goto done;
  }
  ok = round_set_minted (tx, (gint64) tx->round, minted)
      && lp_sqlite_state_add_mpz (tx, "total-supply", reward)
      && lp_sqlite_state_add_mpz (tx, "minted-total", reward);
done:
  mpz_clears (mintable, minted, total_active, NULL);
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
  lp_sqlite_mpz_from_uint256 (ceiling, &tx->params.treasury_ceiling);
  ok = lp_sqlite_state_get_mpz (tx, "treasury", treasury)
      && lp_sqlite_state_get_mpz (tx, "next-treasury-cut", next_cut);
  if (ok && mpz_sgn (ceiling) > 0 && mpz_cmp (treasury, ceiling) >= 0
      && mpz_sgn (next_cut) > 0) {
    mpz_set_ui (next_cut, 0);
    ok = lp_sqlite_state_set_mpz (tx, "next-treasury-cut", next_cut);
  }
  mpz_clears (treasury, ceiling, next_cut, NULL);
  return ok;
}

/* rewardForTranscoderWithHint() */
static gboolean
do_reward (Tx * tx, const LpAddress * address, mpz_t minted)
{
  Transcoder t;
  Pool pool;
  mpz_t treasury_rewards, treasury_cut, transcoder_rewards;
  gint64 round = (gint64) tx->round;
  gboolean ok = FALSE;

  if (!lp_sqlite_require_round_initialized (tx))
    return FALSE;
  lp_sqlite_transcoder_init (&t);
  lp_sqlite_pool_init (&pool);
  mpz_inits (treasury_rewards, treasury_cut, transcoder_rewards, NULL);
  if (!lp_sqlite_transcoder_load (tx, address, &t))
    goto done;
  if (!lp_sqlite_is_active (tx, &t)) {
    lp_sqlite_refuse (tx, "Reward: %s is not an active orchestrator in round %"
        G_GINT64_FORMAT, lp_sqlite_address_text (address).text, round);
    goto done;
  }
  if (t.last_reward_round == round) {
    lp_sqlite_refuse (tx, "Reward: %s has already called reward for round %"
        G_GINT64_FORMAT, lp_sqlite_address_text (address).text, round);
    goto done;
  }
  if (!lp_sqlite_pool_load (tx, address, round, &pool))
    goto done;
  if (!lp_sqlite_pool_open_round (tx, &t, round, &pool)
      || !lp_sqlite_pool_store (tx, address, round, &pool)
      || !check_treasury_ceiling (tx)
      || !create_reward (tx, pool.total_stake, minted))
    goto done;
  lp_sqlite_mpz_from_uint256 (treasury_cut, &tx->params.treasury_cut);
  lp_sqlite_perc_of (treasury_rewards, minted, treasury_cut,
      lp_sqlite_precise_divisor);
  mpz_sub (transcoder_rewards, minted, treasury_rewards);
  if (!lp_sqlite_state_add_mpz (tx, "treasury", treasury_rewards)
      || !lp_sqlite_update_transcoder_with_rewards (tx, address,
          transcoder_rewards)
      || !lp_sqlite_transcoder_load (tx, address, &t))
    goto done;
  t.last_reward_round = round;
  ok = lp_sqlite_transcoder_store (tx, &t)
      && lp_sqlite_checkpoint_address (tx, address);
done:
  mpz_clears (treasury_rewards, treasury_cut, transcoder_rewards, NULL);
  lp_sqlite_pool_clear (&pool);
  lp_sqlite_transcoder_clear (&t);
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
      lp_sqlite_prep (tx, "SELECT value FROM state WHERE name = 'chain-seed'");

  if (stmt == NULL || lp_sqlite_step (tx, stmt) != 1
      || sqlite3_column_bytes (stmt, 0) != 32)
    return stmt != NULL ? lp_sqlite_storage_error (tx,
        "reading the chain seed") : FALSE;
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

    if (!lp_sqlite_pool_size (tx, &size))
      return FALSE;
    if (size <= tx->params.num_active)
      return TRUE;
    mpz_init (stake);
    ok = lp_sqlite_pool_last (tx, &last, stake, &found) && found
        && lp_sqlite_state_sub_mpz (tx, "next-round-total-active-stake", stake)
        && lp_sqlite_set_in_pool (tx, &last, FALSE, -1, (gint64) tx->round + 1);
    mpz_clear (stake);
    if (!ok)
      return FALSE;
  }
}

/* Parameter changes passed by governance wait here for the next round. */
static gboolean
apply_pending_params (Tx * tx)
{
  sqlite3_stmt *stmt = lp_sqlite_prep (tx,
      "SELECT param, value FROM pending_params");
  gboolean ok = TRUE;
  gint rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = lp_sqlite_step (tx, stmt)) == 1) {
    LpLedgerParam param = sqlite3_column_int (stmt, 0);
    mpz_t value;

    mpz_init (value);
    lp_sqlite_column_mpz (stmt, 1, value);
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
  stmt = lp_sqlite_prep (tx, "DELETE FROM pending_params");
  ok = stmt != NULL && lp_sqlite_step_done (tx, stmt) && shrink_active_set (tx);
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
  ok = lp_sqlite_state_get_mpz (tx, "total-supply", supply);
  if (ok && mpz_sgn (supply) > 0)
    lp_sqlite_perc_points (bonding_rate, total_active, supply,
        lp_sqlite_minter_divisor);
  if (mpz_cmp_ui (bonding_rate, target) < 0)
    tx->params.inflation += tx->params.inflation_change;
  else if (mpz_cmp_ui (bonding_rate, target) > 0)
    tx->params.inflation -= MIN (tx->params.inflation,
        tx->params.inflation_change);
  lp_sqlite_perc_of_ui (mintable, supply, tx->params.inflation,
      lp_sqlite_minter_divisor);
  mpz_clears (supply, bonding_rate, NULL);
  return ok;
}

/* RoundsManager.initializeRound() */
gboolean
lp_sqlite_do_initialize_round (Tx * tx)
{
  guint8 seed[32], hash[LP_KECCAK256_SIZE];
  mpz_t total_active, mintable, zero, next_cut;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  if (current_round_initialized (tx))
    return lp_sqlite_refuse (tx,
        "Round %" G_GUINT64_FORMAT " is already initialized", tx->round);
  if (!chain_seed (tx, seed))
    return FALSE;
  mpz_inits (total_active, mintable, zero, next_cut, NULL);
  block_hash (tx, seed, tx->block > 0 ? tx->block - 1 : 0, hash);
  tx->last_initialized_round = (gint64) tx->round;
  if (!lp_sqlite_state_set_i64 (tx, "last-initialized-round",
          (gint64) tx->round)
      || !apply_pending_params (tx)
      || !lp_sqlite_state_get_mpz (tx, "next-round-total-active-stake",
          total_active)
      || !lp_sqlite_state_set_mpz (tx, "current-round-total-active-stake",
          total_active)
      || !lp_sqlite_state_get_mpz (tx, "next-treasury-cut", next_cut))
    goto done;
  lp_sqlite_mpz_to_uint256 (next_cut, &tx->params.treasury_cut);
  if (!set_current_reward_tokens (tx, total_active, mintable))
    goto done;
  stmt = lp_sqlite_prep (tx,
      "INSERT OR REPLACE INTO rounds (round, block_hash, "
      "total_active_stake, inflation, mintable, minted) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (stmt == NULL)
    goto done;
  sqlite3_bind_int64 (stmt, 1, (gint64) tx->round);
  sqlite3_bind_blob (stmt, 2, hash, sizeof (hash), SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, (gint64) tx->params.inflation);
  if (!lp_sqlite_bind_mpz (tx, stmt, 3, total_active)
      || !lp_sqlite_bind_mpz (tx, stmt, 5, mintable)
      || !lp_sqlite_bind_mpz (tx, stmt, 6, zero)
      || !lp_sqlite_step_done (tx, stmt))
    goto done;
  ok = lp_sqlite_params_store (tx, &tx->params);
done:
  mpz_clears (total_active, mintable, zero, next_cut, NULL);
  return ok;
}

gboolean
lp_sqlite_round_block_hash (Tx * tx, gint64 round,
    guint8 hash[LP_KECCAK256_SIZE], gboolean * found)
{
  sqlite3_stmt *stmt;
  gint rc = lp_sqlite_row_for_round (tx,
      "SELECT block_hash FROM rounds WHERE round = ?", round, &stmt);

  if (rc < 0)
    return FALSE;
  *found = rc == 1 && sqlite3_column_bytes (stmt, 0) == LP_KECCAK256_SIZE;
  if (*found)
    memcpy (hash, sqlite3_column_blob (stmt, 0), LP_KECCAK256_SIZE);
  return TRUE;
}

/* ---- reading ------------------------------------------------------------ */

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
  status->round_locked = lp_sqlite_current_round_locked (tx);
  status->last_initialized_round = tx->last_initialized_round < 0 ? 0 :
      (guint64) tx->last_initialized_round;
  status->params = tx->params;
  ok = lp_sqlite_state_get_mpz (tx, "total-supply", value);
  lp_sqlite_set_u256 (&status->total_supply, value);
  ok = ok
      && lp_sqlite_state_get_mpz (tx, "current-round-total-active-stake",
      value);
  lp_sqlite_set_u256 (&status->current_round_total_active_stake, value);
  ok = ok
      && lp_sqlite_state_get_mpz (tx, "next-round-total-active-stake", value);
  lp_sqlite_set_u256 (&status->next_round_total_active_stake, value);
  ok = ok && lp_sqlite_state_get_mpz (tx, "treasury", value);
  lp_sqlite_set_u256 (&status->treasury, value);
  /* Minter.currentMintableTokens / currentMintedTokens: what the last
   * initialization set, until the next one (an uninitialized round shows
   * the previous round's) */
  ok = ok && lp_sqlite_round_get_mint (tx, tx->last_initialized_round, value,
      minted);
  lp_sqlite_set_u256 (&status->mintable, value);
  lp_sqlite_set_u256 (&status->minted, minted);
  if (ok) {
    sqlite3_stmt *stmt = lp_sqlite_prep (tx,
        "SELECT delegated FROM delegators");
    gint rc;
    mpz_t sum;
    mpz_init (sum);
    while (stmt != NULL && (rc = lp_sqlite_step (tx, stmt)) == 1) {
      lp_sqlite_column_mpz (stmt, 0, value);
      mpz_add (sum, sum, value);
    }
    lp_sqlite_set_u256 (&status->total_bonded, sum);
    mpz_clear (sum);
    ok = stmt != NULL && tx->error == NULL;
  }
  mpz_clears (value, minted, NULL);
  return ok;
}

/* ---- the interface ------------------------------------------------------ */

gboolean
lp_sqlite_get_status (LpLedger * ledger, LpLedgerStatus * status,
    GError ** error)
{
  IN_TX (ledger, FALSE, read_status (&tx, status));
}

static gboolean
do_advance (Tx * tx, guint64 blocks)
{
  gint64 manual;

  if (blocks > G_MAXINT32)
    return lp_sqlite_refuse (tx,
        "Advance: at most %d blocks at a time", G_MAXINT32);
  return lp_sqlite_state_get_i64 (tx, "manual-blocks", 0, &manual)
      && lp_sqlite_state_set_i64 (tx, "manual-blocks",
      manual + (gint64) blocks);
}

gboolean
lp_sqlite_advance (LpLedger * ledger, guint64 blocks, GError ** error)
{
  IN_TX (ledger, TRUE, do_advance (&tx, blocks));
}

gboolean
lp_sqlite_initialize_round (LpLedger * ledger, GError ** error)
{
  IN_TX (ledger, TRUE, lp_sqlite_do_initialize_round (&tx));
}

static gboolean
do_get_block_hash (Tx * tx, guint64 round, guint8 * hash)
{
  gboolean found;

  if (!lp_sqlite_round_block_hash (tx, (gint64) round, hash, &found))
    return FALSE;
  if (!found)
    g_set_error (&tx->error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_NOT_FOUND,
        "Round %" G_GUINT64_FORMAT " was never initialized", round);
  return found;
}

gboolean
lp_sqlite_get_round_block_hash (LpLedger * ledger, guint64 round,
    guint8 hash[LP_KECCAK256_SIZE], GError ** error)
{
  IN_TX (ledger, FALSE, do_get_block_hash (&tx, round, hash));
}

gboolean
lp_sqlite_reward (LpLedger * ledger, const LpAddress * orchestrator,
    LpUint256 * minted, GError ** error)
{
  IN_TX_AMOUNT (ledger, minted, do_reward (&tx, orchestrator, value));
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * The SQLite ledger's governance (docs/design/ledger.md, "Governance" and,
 * for slashing, "Known differences"): voting power from the checkpoints,
 * proposals, votes and their tally, execution of parameter changes and
 * treasury payouts, evidence and slashing, and the vtable entries for
 * them.
 *
 * Every function taking a Tx runs inside a transaction, the ledger's lock
 * held (lpledger-sqlite.c); the lp_sqlite_* vtable entries open it.
 */
#include "lpledger-sqlite-private.h"

#include <string.h>

/* ---- governance --------------------------------------------------------- */

/* The latest non-zero cumulative reward factor of @address up to @round
 * (1e27 when there is none). */
static gboolean
reward_factor_at (Tx * tx, const LpAddress * address, gint64 round, mpz_t crf)
{
  sqlite3_stmt *stmt;
  gint rc = lp_sqlite_row_for_address_round (tx,
      "SELECT crf FROM pools WHERE address = ? "
      "AND round <= ? AND crf != zeroblob(32) ORDER BY round DESC LIMIT 1",
      address, round, &stmt);

  if (rc < 0)
    return FALSE;
  if (rc == 1)
    lp_sqlite_column_mpz (stmt, 0, crf);
  else
    mpz_set (crf, lp_sqlite_precise_divisor);
  return TRUE;
}

/* BondingVotes: an account's voting power as of @round (its checkpointed
 * stake: an orchestrator's total stake, a delegator's bond with the
 * rewards earned up to @round), and its delegate then. */
static gboolean
voting_power (Tx * tx, const LpAddress * address, gint64 round, mpz_t power,
    LpAddress * delegate)
{
  sqlite3_stmt *stmt;
  mpz_t bonded, end_crf, start_crf;
  gint64 last_claim_round;
  gint rc;
  gboolean ok = TRUE;

  mpz_set_ui (power, 0);
  memset (delegate, 0, sizeof (*delegate));
  rc = lp_sqlite_row_for_address_round (tx, "SELECT bonded, delegate, "
      "delegated, last_claim_round FROM checkpoints WHERE address = ? AND "
      "start_round <= ? ORDER BY start_round DESC LIMIT 1", address, round,
      &stmt);
  if (rc <= 0)
    return rc == 0;
  mpz_inits (bonded, end_crf, start_crf, NULL);
  lp_sqlite_column_mpz (stmt, 0, bonded);
  lp_sqlite_column_address (stmt, 1, delegate);
  last_claim_round = sqlite3_column_int64 (stmt, 3);
  if (lp_address_equal (delegate, address) && mpz_sgn (bonded) > 0) {
    lp_sqlite_column_mpz (stmt, 2, power);
  } else if (!lp_address_is_zero (delegate)) {
    LpAddress owner = *delegate;
    ok = reward_factor_at (tx, &owner, round, end_crf)
        && reward_factor_at (tx, &owner, last_claim_round, start_crf);
    if (ok)
      lp_sqlite_perc_of_fraction (power, bonded, end_crf, start_crf,
          lp_sqlite_precise_divisor);
  }
  mpz_clears (bonded, end_crf, start_crf, NULL);
  return ok;
}

static gboolean
total_active_stake_at (Tx * tx, gint64 round, mpz_t stake)
{
  sqlite3_stmt *stmt;
  gint rc = lp_sqlite_row_for_round (tx, "SELECT total_active_stake FROM "
      "rounds WHERE round <= ? ORDER BY round DESC LIMIT 1", round, &stmt);

  return lp_sqlite_row_mpz (rc, stmt, stake);
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
  sqlite3_stmt *stmt = lp_sqlite_prep (tx,
      "SELECT voter, support FROM votes WHERE proposal = ?");
  g_autoptr (GArray) ballots = g_array_new (FALSE, TRUE, sizeof (Ballot));
  gint rc;

  g_array_set_clear_func (ballots, ballot_clear);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) id);
  while ((rc = lp_sqlite_step (tx, stmt)) == 1) {
    Ballot b;
    lp_sqlite_column_address (stmt, 0, &b.voter);
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
  sqlite3_stmt *stmt = lp_sqlite_prep (tx,
      "SELECT proposer, description, start_round, "
      "end_round, executed FROM proposals WHERE id = ?");
  gint rc;

  memset (row, 0, sizeof (*row));
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) id);
  rc = lp_sqlite_step (tx, stmt);
  if (rc < 0)
    return FALSE;
  row->found = rc == 1;
  if (rc == 1) {
    lp_sqlite_column_address (stmt, 0, &row->proposer);
    row->description = g_strdup ((const gchar *) sqlite3_column_text (stmt, 1));
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
  lp_sqlite_perc_of_ui (quorum, total_active, tx->params.quorum,
      lp_sqlite_perc_divisor);
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
  mpz_mul (lhs, votes[LP_VOTE_FOR], lp_sqlite_perc_divisor);
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
      return lp_sqlite_refuse (tx,
          "Propose: a treasury payout needs a payee and an "
          "amount");
    return TRUE;
  }
  if (action->kind != LP_PROPOSAL_SET_PARAM
      || lp_ledger_param_name (action->param) == NULL)
    return lp_sqlite_refuse (tx, "Propose: unknown action");
  mpz_inits (value, limit, NULL);
  lp_sqlite_mpz_from_uint256 (value, &action->value);
  switch (action->param) {
    case LP_LEDGER_PARAM_TREASURY_CUT:
      mpz_set (limit, lp_sqlite_precise_divisor);
      break;
    case LP_LEDGER_PARAM_SLASHING:
      mpz_set_ui (limit, 1);
      break;
    case LP_LEDGER_PARAM_INFLATION_CHANGE:
    case LP_LEDGER_PARAM_TARGET_BONDING_RATE:
      mpz_set (limit, lp_sqlite_minter_divisor);
      break;
    case LP_LEDGER_PARAM_NUM_ACTIVE:
      mpz_set_ui (limit, 100000);
      break;
    default:
      mpz_set_ui (limit, G_MAXINT32);
      break;
  }
  if (mpz_cmp (value, limit) > 0) {
    g_autofree gchar *most = lp_sqlite_amount_text (limit);
    ok = lp_sqlite_refuse (tx, "Propose: %s is out of range (at most %s)",
        lp_ledger_param_name (action->param), most);
  }
  else if (mpz_sgn (value) == 0 && (action->param ==
          LP_LEDGER_PARAM_ROUND_LENGTH
          || action->param == LP_LEDGER_PARAM_NUM_ACTIVE))
    ok = lp_sqlite_refuse (tx, "Propose: %s must be at least 1",
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
    return lp_sqlite_refuse (tx, "Propose: a proposal needs a description");
  for (guint i = 0; i < n_actions; i++) {
    if (!check_action (tx, &actions[i]))
      return FALSE;
  }
  mpz_inits (power, threshold, NULL);
  lp_sqlite_mpz_from_uint256 (threshold, &tx->params.proposal_threshold);
  if (!voting_power (tx, proposer, (gint64) tx->round, power, &delegate))
    goto done;
  if (mpz_cmp (power, threshold) < 0) {
    g_autofree gchar *have = lp_sqlite_amount_text (power);
    g_autofree gchar *need = lp_sqlite_amount_text (threshold);
    lp_sqlite_refuse (tx, "Propose: %s has %s wei of voting power in round %"
        G_GUINT64_FORMAT "; proposing takes %s",
        lp_sqlite_address_text (proposer).text, have, tx->round, need);
    goto done;
  }
  start_round = (gint64) (tx->round + tx->params.voting_delay);
  stmt = lp_sqlite_prep (tx, "INSERT INTO proposals (proposer, description, "
      "start_round, end_round, executed) VALUES (?, ?, ?, ?, 0)");
  if (stmt == NULL)
    goto done;
  lp_sqlite_bind_address (stmt, 1, proposer);
  sqlite3_bind_text (stmt, 2, description, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, start_round);
  sqlite3_bind_int64 (stmt, 4, start_round +
      (gint64) MAX (tx->params.voting_period, 1) - 1);
  if (!lp_sqlite_step_done (tx, stmt))
    goto done;
  id = sqlite3_last_insert_rowid (tx->db);
  for (guint i = 0; i < n_actions; i++) {
    mpz_t value;
    gboolean stored;
    stmt = lp_sqlite_prep (tx,
        "INSERT INTO proposal_actions (proposal, seq, kind, "
        "param, value, payee) VALUES (?, ?, ?, ?, ?, ?)");
    if (stmt == NULL)
      goto done;
    mpz_init (value);
    lp_sqlite_mpz_from_uint256 (value, &actions[i].value);
    sqlite3_bind_int64 (stmt, 1, id);
    sqlite3_bind_int (stmt, 2, (gint) i);
    sqlite3_bind_int (stmt, 3, actions[i].kind);
    sqlite3_bind_int (stmt, 4, actions[i].param);
    stored = lp_sqlite_bind_mpz (tx, stmt, 5, value);
    mpz_clear (value);
    lp_sqlite_bind_address (stmt, 6, &actions[i].to);
    if (!stored || !lp_sqlite_step_done (tx, stmt))
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
    return lp_sqlite_refuse (tx,
        "Vote: support must be for, against or abstain");
  mpz_inits (votes[0], votes[1], votes[2], quorum, total, power, NULL);
  if (!proposal_load (tx, id, &row))
    goto done;
  if (!row.found) {
    lp_sqlite_refuse (tx, "Vote: there is no proposal %" G_GUINT64_FORMAT, id);
    goto done;
  }
  if ((gint64) tx->round < row.start_round) {
    lp_sqlite_refuse (tx,
        "Vote: voting on proposal %" G_GUINT64_FORMAT " opens in "
        "round %" G_GINT64_FORMAT, id, row.start_round);
    goto done;
  }
  if ((gint64) tx->round > row.end_round) {
    lp_sqlite_refuse (tx,
        "Vote: voting on proposal %" G_GUINT64_FORMAT " closed after "
        "round %" G_GINT64_FORMAT, id, row.end_round);
    goto done;
  }
  if (!proposal_state (tx, id, &row, &state, votes, quorum, total)
      || !voting_power (tx, voter, row.start_round, power, &delegate))
    goto done;
  if (mpz_sgn (power) == 0) {
    lp_sqlite_refuse (tx, "Vote: %s had no stake in round %" G_GINT64_FORMAT,
        lp_sqlite_address_text (voter).text, row.start_round);
    goto done;
  }
  stmt = lp_sqlite_prep (tx,
      "SELECT 1 FROM votes WHERE proposal = ? AND voter = ?");
  if (stmt == NULL)
    goto done;
  sqlite3_bind_int64 (stmt, 1, (gint64) id);
  lp_sqlite_bind_address (stmt, 2, voter);
  if (lp_sqlite_step (tx, stmt) != 0) {
    if (tx->error == NULL)
      lp_sqlite_refuse (tx,
          "Vote: %s already voted on proposal %" G_GUINT64_FORMAT,
          lp_sqlite_address_text (voter).text, id);
    goto done;
  }
  stmt = lp_sqlite_prep (tx, "INSERT INTO votes (proposal, voter, support) "
      "VALUES (?, ?, ?)");
  if (stmt == NULL)
    goto done;
  sqlite3_bind_int64 (stmt, 1, (gint64) id);
  lp_sqlite_bind_address (stmt, 2, voter);
  sqlite3_bind_int (stmt, 3, support);
  ok = lp_sqlite_step_done (tx, stmt);
done:
  g_free (row.description);
  mpz_clears (votes[0], votes[1], votes[2], quorum, total, power, NULL);
  return ok;
}

/* RoundsManager.setRoundLength(): the current round keeps its start */
static gboolean
set_round_length (Tx * tx, guint64 length)
{
  guint64 start = lp_sqlite_current_round_start_block (tx);

  if (!lp_sqlite_state_set_i64 (tx, "round-length-update-round",
          (gint64) tx->round)
      || !lp_sqlite_state_set_i64 (tx, "round-length-update-block",
          (gint64) start))
    return FALSE;
  tx->params.round_length = length;
  return lp_sqlite_params_store (tx, &tx->params);
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
  lp_sqlite_column_mpz (row, 2, value);
  lp_sqlite_column_address (row, 3, &payee);
  if (kind == LP_PROPOSAL_TREASURY_PAYOUT) {
    if (!lp_sqlite_state_get_mpz (tx, "treasury", treasury))
      goto done;
    if (mpz_cmp (treasury, value) < 0) {
      lp_sqlite_refuse (tx,
          "Execute: the treasury cannot pay this proposal's payouts");
      goto done;
    }
    ok = lp_sqlite_state_sub_mpz (tx, "treasury", value)
        && lp_sqlite_balance_credit (tx, &payee, ASSET_LPT, value);
  } else if (param == LP_LEDGER_PARAM_ROUND_LENGTH) {
    ok = set_round_length (tx, mpz_get_ui (value));
  } else if (param == LP_LEDGER_PARAM_TREASURY_CUT) {
    ok = lp_sqlite_state_set_mpz (tx, "next-treasury-cut", value);
  } else {
    stmt = lp_sqlite_prep (tx,
        "INSERT OR REPLACE INTO pending_params (param, value) "
        "VALUES (?, ?)");
    if (stmt == NULL)
      goto done;
    sqlite3_bind_int (stmt, 1, param);
    ok = lp_sqlite_bind_mpz (tx, stmt, 2, value)
        && lp_sqlite_step_done (tx, stmt);
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
    lp_sqlite_refuse (tx,
        "Execute: there is no proposal %" G_GUINT64_FORMAT, id);
    goto done;
  }
  if (!proposal_state (tx, id, &row, &state, votes, quorum, total))
    goto done;
  if (state != LP_PROPOSAL_SUCCEEDED) {
    lp_sqlite_refuse (tx,
        "Execute: proposal %" G_GUINT64_FORMAT " is %s; only a "
        "succeeded proposal executes", id, lp_proposal_state_name (state));
    goto done;
  }
  /* a separate statement per action: execute_action runs others */
  stmt = lp_sqlite_prep (tx,
      "SELECT COUNT(*) FROM proposal_actions WHERE proposal = ?");
  if (stmt == NULL)
    goto done;
  sqlite3_bind_int64 (stmt, 1, (gint64) id);
  if (lp_sqlite_step (tx, stmt) != 1)
    goto done;
  rc = sqlite3_column_int (stmt, 0);
  for (gint seq = 0; seq < rc; seq++) {
    {
      /* its own statement: execute_action runs cached ones meanwhile */
      sqlite3_stmt *own = NULL;
      if (sqlite3_prepare_v2 (tx->db, "SELECT kind, param, value, payee FROM "
              "proposal_actions WHERE proposal = ? AND seq = ?", -1, &own,
              NULL) != SQLITE_OK) {
        lp_sqlite_storage_error (tx, "reading a proposal action");
        goto done;
      }
      sqlite3_bind_int64 (own, 1, (gint64) id);
      sqlite3_bind_int (own, 2, seq);
      if (sqlite3_step (own) != SQLITE_ROW || !execute_action (tx, own)) {
        sqlite3_finalize (own);
        if (tx->error == NULL)
          lp_sqlite_storage_error (tx, "executing a proposal action");
        goto done;
      }
      sqlite3_finalize (own);
    }
  }
  stmt = lp_sqlite_prep (tx, "UPDATE proposals SET executed = 1 WHERE id = ?");
  if (stmt == NULL)
    goto done;
  sqlite3_bind_int64 (stmt, 1, (gint64) id);
  ok = lp_sqlite_step_done (tx, stmt);
done:
  g_free (row.description);
  mpz_clears (votes[0], votes[1], votes[2], quorum, total, NULL);
  return ok;
}

/* ---- evidence and slashing ---------------------------------------------- */

static gboolean
slashed_this_round (Tx * tx, const LpAddress * orchestrator, gboolean * yes)
{
  sqlite3_stmt *stmt;
  gint rc = lp_sqlite_row_for_address_round (tx,
      "SELECT 1 FROM evidence WHERE orchestrator "
      "= ? AND round = ? AND penalty != zeroblob(32)", orchestrator,
      (gint64) tx->round, &stmt);

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

  if (!lp_sqlite_auto_claim (tx, orchestrator))
    return FALSE;
  lp_sqlite_delegator_init (&d);
  lp_sqlite_transcoder_init (&t);
  mpz_inits (finder_amount, burned, NULL);
  if (!lp_sqlite_delegator_load (tx, orchestrator, &d)
      || !lp_sqlite_transcoder_load (tx, orchestrator, &t))
    goto done;
  if (mpz_sgn (d.bonded) == 0) {
    ok = TRUE;
    goto done;
  }
  lp_sqlite_perc_of_ui (penalty, d.bonded, tx->params.slash_amount,
      lp_sqlite_perc_divisor);
  if (t.in_pool && !lp_sqlite_resign (tx, orchestrator))
    goto done;
  if (!lp_sqlite_delegator_load (tx, orchestrator, &d))
    goto done;
  mpz_sub (d.bonded, d.bonded, penalty);
  /* the slashed stake leaves its delegate's total in every case (the
   * contract skips this while the bond is pending, which would leave
   * burned LPT counted as stake) */
  if (lp_address_equal (&d.delegate, orchestrator)) {
    mpz_sub (d.delegated, d.delegated, penalty);
    if (!lp_sqlite_delegator_store (tx, &d))
      goto done;
  } else if (!lp_sqlite_delegator_store (tx, &d)
      || !lp_sqlite_decrease_total_stake (tx, &d.delegate, penalty)) {
    goto done;
  }
  lp_sqlite_perc_of_ui (finder_amount, penalty, tx->params.finder_fee,
      lp_sqlite_perc_divisor);
  mpz_sub (burned, penalty, finder_amount);
  ok = lp_sqlite_balance_credit (tx, finder, ASSET_LPT, finder_amount)
      && lp_sqlite_state_sub_mpz (tx, "total-supply", burned)
      && lp_sqlite_state_add_mpz (tx, "burned-total", burned)
      && lp_sqlite_checkpoint_address (tx, orchestrator);
done:
  mpz_clears (finder_amount, burned, NULL);
  lp_sqlite_transcoder_clear (&t);
  lp_sqlite_delegator_clear (&d);
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
    return lp_sqlite_refuse (tx, "Evidence: say what verification found");
  if (!lp_sqlite_require_round_initialized (tx))
    return FALSE;
  lp_sqlite_transcoder_init (&t);
  ok = lp_sqlite_transcoder_load (tx, orchestrator, &t);
  registered = ok && t.activation_round > 0;
  lp_sqlite_transcoder_clear (&t);
  if (!ok)
    return FALSE;
  ok = FALSE;
  if (!registered)
    return lp_sqlite_refuse (tx, "Evidence: %s is not an orchestrator",
        lp_sqlite_address_text (orchestrator).text);
  if (tx->params.slashing_enabled && !slashed_this_round (tx, orchestrator,
          &already))
    return FALSE;
  if (tx->params.slashing_enabled && !already
      && !slash (tx, orchestrator, finder, penalty))
    return FALSE;
  stmt = lp_sqlite_prep (tx,
      "INSERT INTO evidence (finder, orchestrator, reason, "
      "round, penalty) VALUES (?, ?, ?, ?, ?)");
  if (stmt == NULL)
    return FALSE;
  lp_sqlite_bind_address (stmt, 1, finder);
  lp_sqlite_bind_address (stmt, 2, orchestrator);
  sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, (gint64) tx->round);
  ok = lp_sqlite_bind_mpz (tx, stmt, 5, penalty)
      && lp_sqlite_step_done (tx, stmt);
  return ok;
}

/* ---- reading ------------------------------------------------------------ */

/* Fills @info; on failure leaves it cleared. */
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
  lp_sqlite_set_u256 (&info->votes_for, votes[LP_VOTE_FOR]);
  lp_sqlite_set_u256 (&info->votes_against, votes[LP_VOTE_AGAINST]);
  lp_sqlite_set_u256 (&info->votes_abstain, votes[LP_VOTE_ABSTAIN]);
  lp_sqlite_set_u256 (&info->quorum, quorum);
  lp_sqlite_set_u256 (&info->total_active_stake, total);
  info->actions = g_array_new (FALSE, TRUE, sizeof (LpProposalAction));
  stmt = lp_sqlite_prep (tx,
      "SELECT kind, param, value, payee FROM proposal_actions "
      "WHERE proposal = ? ORDER BY seq");
  if (stmt == NULL)
    goto done;
  sqlite3_bind_int64 (stmt, 1, (gint64) id);
  while ((rc = lp_sqlite_step (tx, stmt)) == 1) {
    LpProposalAction action;
    memset (&action, 0, sizeof (action));
    action.kind = sqlite3_column_int (stmt, 0);
    action.param = sqlite3_column_int (stmt, 1);
    lp_sqlite_column_mpz (stmt, 2, value);
    lp_sqlite_set_u256 (&action.value, value);
    lp_sqlite_column_address (stmt, 3, &action.to);
    g_array_append_val (info->actions, action);
  }
  ok = rc == 0;
done:
  g_free (row.description);
  mpz_clears (votes[0], votes[1], votes[2], quorum, total, value, NULL);
  if (!ok)
    lp_proposal_info_clear (info);
  return ok;
}

/* ---- the interface ------------------------------------------------------ */

gboolean
lp_sqlite_submit_evidence (LpLedger * ledger, const LpAddress * finder,
    const LpAddress * orchestrator, const gchar * reason, LpUint256 * penalty,
    GError ** error)
{
  IN_TX_AMOUNT (ledger, penalty, do_submit_evidence (&tx, finder,
          orchestrator, reason, value));
}

gboolean
lp_sqlite_propose (LpLedger * ledger, const LpAddress * proposer,
    const gchar * description, const LpProposalAction * actions,
    guint n_actions, guint64 * proposal_id, GError ** error)
{
  IN_TX (ledger, TRUE, do_propose (&tx, proposer, description, actions,
          n_actions, proposal_id));
}

gboolean
lp_sqlite_vote (LpLedger * ledger, const LpAddress * voter, guint64 proposal_id,
    LpVoteSupport support, GError ** error)
{
  IN_TX (ledger, TRUE, do_vote (&tx, voter, proposal_id, support));
}

gboolean
lp_sqlite_get_proposal (LpLedger * ledger, guint64 proposal_id,
    LpProposalInfo * info, GError ** error)
{
  IN_TX (ledger, FALSE, read_proposal (&tx, proposal_id, info));
}

gboolean
lp_sqlite_execute (LpLedger * ledger, guint64 proposal_id, GError ** error)
{
  IN_TX (ledger, TRUE, do_execute (&tx, proposal_id));
}

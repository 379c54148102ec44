/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A randomized scenario against the embedded ledger, checked against an
 * independent naive model.
 *
 * Each seed builds a fresh ledger (a file in a temporary directory; blocks
 * move only through lp_ledger_advance(); rounds of ROUND_LENGTH blocks; an
 * active set smaller than the number of orchestrators; a non-zero treasury
 * cut; fees in ETH) and runs OPS_PER_SEED random operations over some 40
 * rounds: transfers, bonds (new, more, change of delegate), unbonds (partial
 * and full), rebonds (bonded and from unbonded), stake withdrawals, claims,
 * reward() calls (sometimes skipped), fee withdrawals, the senders' fund /
 * unlock / cancel_unlock / withdraw, winning tickets (fresh, queued,
 * expired, replayed, forged), commission changes, block advances and round
 * initializations. Each operation is predicted VALID, INVALID or UNKNOWN
 * (a rule docs/design/ledger.md does not settle); a valid one must pass, an
 * invalid one must be refused, and a refusal must change nothing at all
 * (every account, orchestrator and the status are compared before and
 * after).
 *
 * The model is not the ledger's algorithm: it keeps every delegator's stake
 * and fees as exact rationals (GMP mpq) and moves them event by event, round
 * by round, with no cumulative factors: a reward() grows every stake that
 * was in the orchestrator's pool at the start of the round and has not been
 * claimed in that round by delegatorsRewards / totalStake; a ticket's
 * delegator fees go to the same stakes (as they stood at the start of the
 * round) pro rata. The integer quantities the rules define (mintable, the
 * reward, the treasury's cut, the commissions, the fee share, ticket
 * payments, the active set, totals) are computed exactly as the contracts
 * do and compared exactly. After every operation the ledger's pending stake
 * and pending fees of every account must be at most the model's and within
 * a tolerance of 2 wei per truncating event (claims, rewards and fee
 * events the account went through) plus 2; lp_ledger_audit() must pass; LPT
 * and ETH must be conserved.
 *
 * Corners kept out of the random generator (documented in the report):
 *  - a ticket redeemed for an orchestrator in round r after it called
 *    reward() in r without having called it in r - 1: the contracts then
 *    make up a retroactive reward factor from an estimate of the round's
 *    rewards (BondingManager.updateTranscoderWithFees), which no naive model
 *    reproduces;
 *  - orchestrators never unbond all their self-bond (resignation) and
 *    never redeem tickets while inactive (their pool's total stake is then
 *    stale in the contracts);
 *  - a sender's reserve is not drawn again in the round it withdrew.
 *
 * Seeds: 1, 2, 3 (OPS_PER_SEED operations each). LP_LEDGER_SCENARIO_SEED=N
 * replays one seed; LP_LEDGER_SCENARIO_OPS=N changes the operation count;
 * LP_LEDGER_SCENARIO_VERBOSE=1 prints every operation.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmp.h>
#include <glib/gstdio.h>

#include "lpcheck.h"
#include <gst/livepeer/lpledger.h>

#define N_ORCH 6
#define N_DELEG 20
#define N_SEND 3
#define N_ACC (N_ORCH + N_DELEG + N_SEND)
#define FIRST_DELEG N_ORCH
#define FIRST_SEND (N_ORCH + N_DELEG)
#define IS_ORCH(i) ((i) < N_ORCH)
#define IS_SENDER(i) ((i) >= FIRST_SEND)

#define ROUND_LENGTH 10
#define NUM_ACTIVE 4
#define UNBONDING_PERIOD 3
#define UNLOCK_PERIOD 2
#define VALIDITY 2
#define OPS_PER_SEED 1000
#define MAX_ROUNDS 2048
#define MAX_LOCKS 512
#define MAX_QUEUE 64
#define MAX_USED 4096

static const guint default_seeds[] = { 1, 2, 3 };

typedef enum
{
  V_VALID,
  V_INVALID,
  V_UNKNOWN,
} Verdict;

typedef struct
{
  gboolean live;
  LpUint256 amount;
  guint64 withdraw_round;
} MLock;

typedef struct
{
  LpAddress addr;
  LpPrivateKey *key;            /* senders */
  mpz_t lpt, eth;

  /* as a delegator */
  gint delegate;                /* account index, -1: unbonded */
  guint64 start_round, last_claim_round;
  mpq_t stake, fees;            /* own bond (and, for an orchestrator, what it
                                 * folded in by claiming), own fees */
  guint ev_stake, ev_fees;      /* truncating events since exact */
  MLock locks[MAX_LOCKS];
  guint n_locks;

  /* as an orchestrator */
  gboolean registered;
  mpz_t delegated;              /* delegatedAmount, exact */
  mpz_t T;                      /* delegatedAmount at the round's start */
  guint64 reward_cut, fee_share, frozen_share;
  gboolean has_rewarded;
  guint64 last_reward_round;
  guint8 rewarded[MAX_ROUNDS];
  mpq_t crew, cfees, acr, growth;       /* cumulativeRewards, cumulativeFees,
                                         * activeCumulativeRewards, this
                                         * round's reward growth */
  guint ev_crew, ev_cfees;
  gboolean joined, in_pool;
  guint64 activation_round;
  gint64 deactivation_round;

  /* as a sender */
  mpz_t deposit, reserve;
  guint64 withdraw_round;
  guint64 claim_round;
  mpz_t claimed_total, claimed_by[N_ORCH];
  gint64 withdrew_round;
  guint32 nonce;
} Acc;

typedef struct
{
  LpAccountInfo acc[N_ACC];
  LpLedgerOrchestrator orch[N_ORCH];
  gboolean have_orch[N_ORCH];
  LpLedgerStatus st;
} Obs;

typedef struct
{
  LpWinningTicket w;
  gint sender, recipient;
} QTicket;

typedef struct
{
  guint seed;
  GRand *rand;
  gmp_randstate_t gmp_rand;
  gboolean verbose;
  LpLedger *ledger;
  gchar *dir, *path;
  LpLedgerParams params;
  mpz_t treasury_cut;

  Acc acc[N_ACC];
  guint64 block, round;
  gboolean initialized;
  guint64 last_init;
  guint8 block_hash[MAX_ROUNDS][LP_KECCAK256_SIZE];
  gboolean have_hash[MAX_ROUNDS];
  gboolean lazy[N_ORCH];        /* skips reward() this round */

  mpz_t supply, treasury, mintable, minted, cur_active, next_active;
  guint64 inflation;
  mpz_t supply0, eth0, sum_minted, funded, withdrawn, paid_out,
      fees_withdrawn;

  QTicket queue[MAX_QUEUE];
  guint n_queue;
  QTicket used[MAX_USED];
  guint n_used;

  Obs obs[2];
  Obs *prev, *cur;

  guint op;
  gchar desc[256];

  /* statistics */
  guint n_ok, n_refused_expected, n_unknown_ok, n_unknown_refused,
      n_tickets, n_rewards, n_rounds_init, n_findings;
  guint n_evictions, n_reserve_paid, n_zero_paid;
  gdouble max_stake_diff, max_fee_diff;
  GString *findings;
  GHashTable *kinds;            /* operation kind -> guint[4] */
} Sc;

static void sc_fail (Sc * sc, gint line, const gchar * fmt, ...)
    G_GNUC_PRINTF (3, 4);

#define CHECK(sc, cond, ...) G_STMT_START {                    \
    if (G_UNLIKELY (!(cond)))                                   \
      sc_fail ((sc), __LINE__, __VA_ARGS__);                    \
  } G_STMT_END

static void
sc_fail (Sc * sc, gint line, const gchar * fmt, ...)
{
  va_list ap;
  gchar *msg;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_printerr ("ledger-scenario FAILED: seed %u, operation %u [%s] (line %d): "
      "%s\nreplay with LP_LEDGER_SCENARIO_SEED=%u\n", sc->seed, sc->op,
      sc->desc, line, msg, sc->seed);
  ck_abort_msg ("seed %u op %u [%s] (line %d): %s", sc->seed, sc->op,
      sc->desc, line, msg);
}

/* ---- numbers ---------------------------------------------------------- */

static void
z_from_u (mpz_t z, const LpUint256 * u)
{
  mpz_import (z, LP_UINT256_SIZE, 1, 1, 1, 0, u->be);
}

static void
u_from_z (LpUint256 * u, const mpz_t z)
{
  guint8 buf[LP_UINT256_SIZE];
  size_t count = 0;

  g_assert (mpz_sgn (z) >= 0 && mpz_sizeinbase (z, 256) <= LP_UINT256_SIZE);
  memset (u, 0, sizeof (*u));
  if (mpz_sgn (z) == 0)
    return;
  mpz_export (buf, &count, 1, 1, 1, 0, z);
  memcpy (u->be + LP_UINT256_SIZE - count, buf, count);
}

static gchar *
zs (const mpz_t z)
{
  return mpz_get_str (NULL, 10, z);
}

static gchar *
us (const LpUint256 * u)
{
  return lp_uint256_to_string (u);
}

static gchar *
qs (const mpq_t q)
{
  gchar *text = g_strdup_printf ("%.6f", mpq_get_d (q));
  return text;
}

static gboolean
u_eq_z (const LpUint256 * u, const mpz_t z)
{
  mpz_t t;
  gboolean eq;

  mpz_init (t);
  z_from_u (t, u);
  eq = mpz_cmp (t, z) == 0;
  mpz_clear (t);
  return eq;
}

/* a random amount in [lo, hi) wei (hi > lo) */
static void
rand_range (Sc * sc, mpz_t out, const mpz_t lo, const mpz_t hi)
{
  mpz_t span;

  mpz_init (span);
  mpz_sub (span, hi, lo);
  if (mpz_sgn (span) <= 0)
    mpz_set (out, lo);
  else {
    mpz_urandomm (out, sc->gmp_rand, span);
    mpz_add (out, out, lo);
  }
  mpz_clear (span);
}

/* a random amount in [lo_lpt, hi_lpt) LPT with random wei digits */
static void
rand_lpt (Sc * sc, mpz_t out, guint lo_lpt, guint hi_lpt)
{
  mpz_t lo, hi;

  mpz_inits (lo, hi, NULL);
  mpz_ui_pow_ui (lo, 10, 18);
  mpz_mul_ui (hi, lo, hi_lpt);
  mpz_mul_ui (lo, lo, lo_lpt);
  rand_range (sc, out, lo, hi);
  mpz_clears (lo, hi, NULL);
}

/* a random fraction (1/den .. 1) of x, at least 1 when x > 0 */
static void
rand_part (Sc * sc, mpz_t out, const mpz_t x)
{
  mpz_t one, top;

  mpz_inits (one, top, NULL);
  mpz_set_ui (one, 1);
  mpz_add_ui (top, x, 1);
  if (mpz_sgn (x) == 0)
    mpz_set_ui (out, 0);
  else
    rand_range (sc, out, one, top);
  mpz_clears (one, top, NULL);
}

static gint
rint_ (Sc * sc, gint lo, gint hi)
{
  return g_rand_int_range (sc->rand, lo, hi);
}

static gboolean
chance (Sc * sc, gdouble p)
{
  return g_rand_double (sc->rand) < p;
}

/* ---- observation -------------------------------------------------------*/

static void
obs_clear (Obs * o)
{
  gint i;

  for (i = 0; i < N_ACC; i++)
    lp_account_info_clear (&o->acc[i]);
  for (i = 0; i < N_ORCH; i++)
    if (o->have_orch[i])
      lp_ledger_orchestrator_clear (&o->orch[i]);
  memset (o, 0, sizeof (*o));
}

static void
obs_fetch (Sc * sc, Obs * o)
{
  GError *error = NULL;
  gint i;

  obs_clear (o);
  CHECK (sc, lp_ledger_get_status (sc->ledger, &o->st, &error),
      "get_status: %s", error->message);
  for (i = 0; i < N_ACC; i++)
    CHECK (sc, lp_ledger_get_account (sc->ledger, &sc->acc[i].addr,
            &o->acc[i], &error), "get_account %d: %s", i, error->message);
  for (i = 0; i < N_ORCH; i++) {
    if (!sc->acc[i].registered)
      continue;
    CHECK (sc, lp_ledger_get_orchestrator (sc->ledger, &sc->acc[i].addr,
            &o->orch[i], &error), "get_orchestrator %d: %s", i,
        error->message);
    o->have_orch[i] = TRUE;
  }
}

static guint
n_locks (const LpAccountInfo * a)
{
  return a->locks ? a->locks->len : 0;
}

static const LpUnbondingLock *
lock_at (const LpAccountInfo * a, guint k)
{
  return &g_array_index (a->locks, LpUnbondingLock, k);
}

/* everything the API shows must be equal (after a refusal) */
static void
obs_check_unchanged (Sc * sc, const Obs * a, const Obs * b)
{
  const LpLedgerStatus *s = &a->st, *t = &b->st;
  gint i;
  guint k;

  CHECK (sc, s->block == t->block && s->round == t->round
      && s->round_initialized == t->round_initialized
      && s->round_locked == t->round_locked
      && s->last_initialized_round == t->last_initialized_round
      && lp_uint256_equal (&s->total_supply, &t->total_supply)
      && lp_uint256_equal (&s->total_bonded, &t->total_bonded)
      && lp_uint256_equal (&s->current_round_total_active_stake,
          &t->current_round_total_active_stake)
      && lp_uint256_equal (&s->next_round_total_active_stake,
          &t->next_round_total_active_stake)
      && lp_uint256_equal (&s->mintable, &t->mintable)
      && lp_uint256_equal (&s->minted, &t->minted)
      && lp_uint256_equal (&s->treasury, &t->treasury)
      && s->params.inflation == t->params.inflation,
      "a refused operation changed the ledger status");
  for (i = 0; i < N_ACC; i++) {
    const LpAccountInfo *x = &a->acc[i], *y = &b->acc[i];

    CHECK (sc, lp_uint256_equal (&x->lpt, &y->lpt)
        && lp_uint256_equal (&x->eth, &y->eth) && x->status == y->status
        && lp_uint256_equal (&x->bonded, &y->bonded)
        && lp_uint256_equal (&x->pending_stake, &y->pending_stake)
        && lp_uint256_equal (&x->fees, &y->fees)
        && lp_uint256_equal (&x->pending_fees, &y->pending_fees)
        && lp_address_equal (&x->delegate, &y->delegate)
        && lp_uint256_equal (&x->delegated, &y->delegated)
        && x->start_round == y->start_round
        && x->last_claim_round == y->last_claim_round
        && lp_uint256_equal (&x->deposit, &y->deposit)
        && lp_uint256_equal (&x->reserve, &y->reserve)
        && x->withdraw_round == y->withdraw_round
        && n_locks (x) == n_locks (y),
        "a refused operation changed account %d", i);
    for (k = 0; k < n_locks (x); k++)
      CHECK (sc, lock_at (x, k)->id == lock_at (y, k)->id
          && lock_at (x, k)->withdraw_round == lock_at (y, k)->withdraw_round
          && lp_uint256_equal (&lock_at (x, k)->amount,
              &lock_at (y, k)->amount),
          "a refused operation changed a lock of account %d", i);
  }
  for (i = 0; i < N_ORCH; i++) {
    const LpLedgerOrchestrator *x = &a->orch[i], *y = &b->orch[i];

    CHECK (sc, a->have_orch[i] == b->have_orch[i],
        "orchestrator %d appeared", i);
    if (!a->have_orch[i])
      continue;
    CHECK (sc, x->registered == y->registered && x->active == y->active
        && x->in_pool == y->in_pool
        && lp_uint256_equal (&x->total_stake, &y->total_stake)
        && x->reward_cut == y->reward_cut && x->fee_share == y->fee_share
        && x->last_reward_round == y->last_reward_round
        && x->activation_round == y->activation_round
        && x->deactivation_round == y->deactivation_round
        && lp_uint256_equal (&x->cumulative_rewards, &y->cumulative_rewards)
        && lp_uint256_equal (&x->cumulative_fees, &y->cumulative_fees),
        "a refused operation changed orchestrator %d", i);
  }
}

/* ---- the model: the active set ----------------------------------------*/

static gboolean
m_active (Sc * sc, gint o)
{
  Acc *a = &sc->acc[o];

  return a->joined && a->activation_round <= sc->round
      && (gint64) sc->round < a->deactivation_round;
}

static guint
m_pool_size (Sc * sc)
{
  guint n = 0;
  gint o;

  for (o = 0; o < N_ORCH; o++)
    n += sc->acc[o].in_pool;
  return n;
}

/* BondingManager.tryToJoinActiveSet */
static void
m_try_join (Sc * sc, gint o, const mpz_t stake)
{
  Acc *a = &sc->acc[o];
  mpz_t pending;
  gint j, last = -1;

  mpz_init_set (pending, sc->next_active);
  if (m_pool_size (sc) >= NUM_ACTIVE) {
    for (j = 0; j < N_ORCH; j++)
      if (sc->acc[j].in_pool && (last < 0
              || mpz_cmp (sc->acc[j].delegated, sc->acc[last].delegated) < 0))
        last = j;
    if (mpz_cmp (stake, sc->acc[last].delegated) <= 0) {
      mpz_clear (pending);
      return;
    }
    sc->acc[last].in_pool = FALSE;
    sc->acc[last].deactivation_round = sc->round + 1;
    sc->n_evictions++;
    mpz_sub (pending, pending, sc->acc[last].delegated);
  }
  a->in_pool = TRUE;
  a->joined = TRUE;
  mpz_add (pending, pending, stake);
  a->activation_round = sc->round + 1;
  a->deactivation_round = LP_LEDGER_MAX_FUTURE_ROUND;
  mpz_set (sc->next_active, pending);
  mpz_clear (pending);
}

static void
m_increase (Sc * sc, gint o, const mpz_t amount)
{
  Acc *a = &sc->acc[o];
  mpz_t stake;

  mpz_init (stake);
  mpz_add (stake, a->delegated, amount);
  if (a->in_pool)
    mpz_add (sc->next_active, sc->next_active, amount);
  else if (a->registered && a->delegate == o)
    m_try_join (sc, o, stake);
  mpz_set (a->delegated, stake);
  mpz_clear (stake);
}

static void
m_decrease (Sc * sc, gint o, const mpz_t amount)
{
  Acc *a = &sc->acc[o];

  if (a->in_pool)
    mpz_sub (sc->next_active, sc->next_active, amount);
  mpz_sub (a->delegated, a->delegated, amount);
}

/* ---- the model: earnings ----------------------------------------------*/

/* claiming changes no model stake (the model always holds the pending
 * amounts); it only ends the account's share in this round's later events,
 * and an orchestrator folds its cumulative rewards and fees in */
static void
m_claim (Sc * sc, gint i)
{
  Acc *a = &sc->acc[i];

  if (a->last_claim_round >= sc->round)
    return;
  if (a->delegate >= 0) {
    if (a->delegate == i) {
      mpq_add (a->stake, a->stake, a->crew);
      mpq_set_ui (a->crew, 0, 1);
      mpq_add (a->fees, a->fees, a->cfees);
      mpq_set_ui (a->cfees, 0, 1);
      a->ev_stake += a->ev_crew;
      a->ev_fees += a->ev_cfees;
      a->ev_crew = a->ev_cfees = 0;
    }
    a->ev_stake++;
    a->ev_fees++;
  }
  a->last_claim_round = sc->round;
}

static gboolean
m_eligible (Sc * sc, gint i, gint o)
{
  Acc *a = &sc->acc[i];

  return a->delegate == o && a->last_claim_round < sc->round;
}

static gboolean
m_rewarded_now (Sc * sc, gint o)
{
  return sc->acc[o].has_rewarded && sc->acc[o].last_reward_round == sc->round;
}

static void
m_reward (Sc * sc, gint o, const LpUint256 * minted)
{
  Acc *a = &sc->acc[o];
  mpz_t R, tmp, left, tr, rest, com, dR;
  mpq_t growth;
  gint i;

  mpz_inits (R, tmp, left, tr, rest, com, dR, NULL);
  mpq_init (growth);

  /* Minter.createReward: percOf(mintable, T, totalActive), 1e9 */
  mpz_mul_ui (tmp, a->T, LP_LEDGER_MINTER_DIVISOR);
  mpz_fdiv_q (tmp, tmp, sc->cur_active);
  mpz_mul (R, sc->mintable, tmp);
  mpz_fdiv_q_ui (R, R, LP_LEDGER_MINTER_DIVISOR);
  mpz_sub (left, sc->mintable, sc->minted);
  if (mpz_cmp (R, left) > 0)
    mpz_set (R, left);
  if (!u_eq_z (minted, R)) {
    gchar *l = us (minted), *m = zs (R), *t = zs (a->T), *c =
        zs (sc->cur_active), *mi = zs (sc->mintable);
    CHECK (sc, FALSE, "reward() minted %s, the model %s (T %s, total active "
        "%s, mintable %s)", l, m, t, c, mi);
  }
  /* treasury (1e27), commission (1e6) */
  mpz_mul (tr, R, sc->treasury_cut);
  mpz_ui_pow_ui (tmp, 10, 27);
  mpz_fdiv_q (tr, tr, tmp);
  mpz_sub (rest, R, tr);
  mpz_mul_ui (com, rest, a->reward_cut);
  mpz_fdiv_q_ui (com, com, LP_LEDGER_PERC_DIVISOR);
  mpz_sub (dR, rest, com);

  mpz_add (sc->supply, sc->supply, R);
  mpz_add (sc->sum_minted, sc->sum_minted, R);
  mpz_add (sc->treasury, sc->treasury, tr);
  mpz_add (sc->minted, sc->minted, R);

  /* growth = 1 + dR / T */
  mpz_add (tmp, a->T, dR);
  mpq_set_num (growth, tmp);
  mpq_set_den (growth, a->T);
  mpq_canonicalize (growth);

  for (i = 0; i < N_ACC; i++)
    if (m_eligible (sc, i, o)) {
      mpq_mul (sc->acc[i].stake, sc->acc[i].stake, growth);
      sc->acc[i].ev_stake++;
    }
  mpq_set (a->acr, a->crew);
  mpq_mul (a->crew, a->crew, growth);
  mpq_set_z (growth, com);
  mpq_add (a->crew, a->crew, growth);
  a->ev_crew++;
  mpz_add (tmp, a->T, dR);
  mpq_set_num (a->growth, tmp);
  mpq_set_den (a->growth, a->T);
  mpq_canonicalize (a->growth);

  a->has_rewarded = TRUE;
  a->last_reward_round = sc->round;
  a->rewarded[sc->round] = 1;
  a->frozen_share = a->fee_share;
  m_increase (sc, o, rest);
  sc->n_rewards++;

  mpz_clears (R, tmp, left, tr, rest, com, dR, NULL);
  mpq_clear (growth);
}

/* fees F paid to orchestrator o's pool of the current round */
static void
m_fee (Sc * sc, gint o, const mpz_t F)
{
  Acc *a = &sc->acc[o];
  gboolean now = m_rewarded_now (sc, o);
  guint64 share = now ? a->frozen_share : a->fee_share;
  mpz_t dF, keep;
  mpq_t unit, x;
  gint i;

  mpz_inits (dF, keep, NULL);
  mpq_inits (unit, x, NULL);
  mpz_mul_ui (dF, F, share);
  mpz_fdiv_q_ui (dF, dF, LP_LEDGER_PERC_DIVISOR);
  mpz_sub (keep, F, dF);
  /* unit = dF / T, per unit of stake at the round's start */
  mpq_set_num (unit, dF);
  mpq_set_den (unit, a->T);
  mpq_canonicalize (unit);
  for (i = 0; i < N_ACC; i++)
    if (m_eligible (sc, i, o)) {
      mpq_mul (x, sc->acc[i].stake, unit);
      if (now)
        mpq_div (x, x, a->growth);
      mpq_add (sc->acc[i].fees, sc->acc[i].fees, x);
      sc->acc[i].ev_fees++;
    }
  mpq_mul (x, now ? a->acr : a->crew, unit);
  mpq_add (a->cfees, a->cfees, x);
  mpq_set_z (x, keep);
  mpq_add (a->cfees, a->cfees, x);
  a->ev_cfees++;
  mpz_clears (dF, keep, NULL);
  mpq_clears (unit, x, NULL);
}

static void
finding (Sc * sc, const gchar * fmt, ...) G_GNUC_PRINTF (2, 3);

static void
finding (Sc * sc, const gchar * fmt, ...)
{
  va_list ap;
  gchar *msg;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  sc->n_findings++;
  if (sc->n_findings <= 20) {
    g_string_append_printf (sc->findings, "seed %u op %u [%s]: %s\n",
        sc->seed, sc->op, sc->desc, msg);
    g_printerr ("FINDING: seed %u op %u [%s]: %s\n", sc->seed, sc->op,
        sc->desc, msg);
  }
  g_free (msg);
}

static void
m_init_round (Sc * sc)
{
  GError *error = NULL;
  mpz_t rate, tmp;
  gint o;

  mpz_inits (rate, tmp, NULL);
  sc->initialized = TRUE;
  sc->last_init = sc->round;
  mpz_set (sc->cur_active, sc->next_active);
  for (o = 0; o < N_ORCH; o++) {
    mpz_set (sc->acc[o].T, sc->acc[o].delegated);
    sc->lazy[o] = chance (sc, 0.12);
  }
  /* Minter.setInflation / setCurrentRewardTokens */
  mpz_mul_ui (rate, sc->cur_active, LP_LEDGER_MINTER_DIVISOR);
  mpz_fdiv_q (rate, rate, sc->supply);
  if (mpz_cmp_ui (rate, sc->params.target_bonding_rate) < 0)
    sc->inflation += sc->params.inflation_change;
  else if (mpz_cmp_ui (rate, sc->params.target_bonding_rate) > 0)
    sc->inflation = sc->inflation > sc->params.inflation_change ?
        sc->inflation - sc->params.inflation_change : 0;
  mpz_mul_ui (sc->mintable, sc->supply, sc->inflation);
  mpz_fdiv_q_ui (sc->mintable, sc->mintable, LP_LEDGER_MINTER_DIVISOR);
  mpz_set_ui (sc->minted, 0);

  g_assert (sc->round < MAX_ROUNDS);
  CHECK (sc, lp_ledger_get_round_block_hash (sc->ledger, sc->round,
          sc->block_hash[sc->round], &error), "round block hash: %s",
      error->message);
  sc->have_hash[sc->round] = TRUE;
  sc->n_rounds_init++;
  mpz_clears (rate, tmp, NULL);
}

/* ---- checking the ledger against the model ----------------------------*/

static void
check_diff (Sc * sc, const gchar * what, gint i, const mpq_t model,
    const LpUint256 * ledger, guint events, gdouble * max)
{
  mpq_t l, d;
  gdouble dd;

  mpq_inits (l, d, NULL);
  z_from_u (mpq_numref (l), ledger);
  mpq_sub (d, model, l);
  dd = mpq_get_d (d);
  if (dd > *max)
    *max = dd;
  if (mpq_sgn (d) < 0 || dd > 2.0 * events + 2.0) {
    gchar *m = qs (model), *x = us (ledger);
    CHECK (sc, FALSE, "account %d %s: ledger %s, model %s (model - ledger "
        "%.6f, tolerance %u)", i, what, x, m, dd, 2 * events + 2);
  }
  mpq_clears (l, d, NULL);
}

static void
check_u (Sc * sc, const gchar * what, gint i, const LpUint256 * ledger,
    const mpz_t model)
{
  if (!u_eq_z (ledger, model)) {
    gchar *l = us (ledger), *m = zs (model);
    CHECK (sc, FALSE, "account %d %s: ledger %s, model %s", i, what, l, m);
  }
}

static gint
acc_index (Sc * sc, const LpAddress * addr)
{
  gint i;

  if (lp_address_is_zero (addr))
    return -1;
  for (i = 0; i < N_ACC; i++)
    if (lp_address_equal (addr, &sc->acc[i].addr))
      return i;
  return -2;
}

static void
check_redeemed_list (Sc * sc)
{
  GError *error = NULL;
  GHashTable *seen = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
      (GDestroyNotify) g_bytes_unref, NULL);
  mpz_t sum, x;
  guint n = 0, k;
  gint o;

  mpz_inits (sum, x, NULL);
  for (o = 0; o < N_ORCH; o++) {
    GArray *list = lp_ledger_list_redeemed_tickets (sc->ledger,
        &sc->acc[o].addr, &error);

    CHECK (sc, list != NULL, "list_redeemed_tickets: %s",
        error ? error->message : "?");
    for (k = 0; k < list->len; k++) {
      LpRedeemedTicket *t = &g_array_index (list, LpRedeemedTicket, k);
      GBytes *h = g_bytes_new (t->ticket_hash, LP_TICKET_HASH_SIZE);

      CHECK (sc, lp_address_equal (&t->recipient, &sc->acc[o].addr),
          "redeemed ticket listed under another recipient");
      CHECK (sc, !g_hash_table_contains (seen, h), "a ticket was redeemed "
          "twice (listed twice)");
      g_hash_table_add (seen, h);
      z_from_u (x, &t->paid);
      mpz_add (sum, sum, x);
      n++;
    }
    g_array_unref (list);
  }
  CHECK (sc, n == sc->n_tickets, "%u redeemed tickets listed, %u redeemed",
      n, sc->n_tickets);
  if (mpz_cmp (sum, sc->paid_out) != 0) {
    gchar *a = zs (sum), *b = zs (sc->paid_out);
    CHECK (sc, FALSE, "redeemed tickets paid %s in all, redemptions %s", a,
        b);
  }
  g_hash_table_unref (seen);
  mpz_clears (sum, x, NULL);
}

static void
model_check (Sc * sc)
{
  Obs *o = sc->cur;
  LpLedgerStatus *st = &o->st;
  mpz_t sum, x, y, total_bonded;
  mpq_t q, r;
  gint i;
  guint k;
  gboolean locked;

  mpz_inits (sum, x, y, total_bonded, NULL);
  mpq_inits (q, r, NULL);

  /* the status */
  CHECK (sc, st->block == sc->block && st->round == sc->round,
      "block/round %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT ", model %"
      G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT, st->block, st->round,
      sc->block, sc->round);
  CHECK (sc, st->round_initialized == sc->initialized
      && st->last_initialized_round == sc->last_init,
      "round initialization differs (ledger %d, last %" G_GUINT64_FORMAT ")",
      st->round_initialized, st->last_initialized_round);
  locked = sc->block % ROUND_LENGTH >= ROUND_LENGTH -
      ROUND_LENGTH * sc->params.round_lock_amount / LP_LEDGER_PERC_DIVISOR;
  CHECK (sc, st->round_locked == locked, "round_locked %d, model %d",
      st->round_locked, locked);
  if (st->params.inflation != sc->inflation
      || !u_eq_z (&st->mintable, sc->mintable)) {
    gchar *l = us (&st->mintable), *m = zs (sc->mintable);
    finding (sc, "Minter: inflation %" G_GUINT64_FORMAT ", mintable %s; "
        "the model (bonding rate over the current round's total active "
        "stake, as Minter.setInflation with BondingManager.getTotalBonded) "
        "has %" G_GUINT64_FORMAT ", %s", st->params.inflation, l,
        sc->inflation, m);
    g_free (l);
    free (m);
    sc->inflation = st->params.inflation;
    z_from_u (sc->mintable, &st->mintable);
  }
  check_u (sc, "(status) minted", -1, &st->minted, sc->minted);
  check_u (sc, "(status) total supply", -1, &st->total_supply, sc->supply);
  check_u (sc, "(status) treasury", -1, &st->treasury, sc->treasury);
  check_u (sc, "(status) current round total active stake", -1,
      &st->current_round_total_active_stake, sc->cur_active);
  check_u (sc, "(status) next round total active stake", -1,
      &st->next_round_total_active_stake, sc->next_active);
  mpz_add (x, sc->supply0, sc->sum_minted);
  check_u (sc, "(status) total supply = genesis + minted", -1,
      &st->total_supply, x);

  /* every account */
  for (i = 0; i < N_ACC; i++) {
    Acc *a = &sc->acc[i];
    LpAccountInfo *l = &o->acc[i];
    LpDelegatorStatus ds;
    guint live = 0;

    check_u (sc, "lpt", i, &l->lpt, a->lpt);
    check_u (sc, "eth", i, &l->eth, a->eth);
    check_u (sc, "delegated", i, &l->delegated, a->delegated);
    mpz_add (total_bonded, total_bonded, a->delegated);
    CHECK (sc, acc_index (sc, &l->delegate) == a->delegate,
        "account %d delegate: ledger %d, model %d", i,
        acc_index (sc, &l->delegate), a->delegate);
    ds = a->delegate < 0 ? LP_DELEGATOR_UNBONDED :
        a->start_round > sc->round ? LP_DELEGATOR_PENDING :
        LP_DELEGATOR_BONDED;
    CHECK (sc, l->status == ds, "account %d status: ledger %d, model %d", i,
        l->status, ds);
    if (a->delegate >= 0)
      CHECK (sc, l->start_round == a->start_round, "account %d start round: "
          "ledger %" G_GUINT64_FORMAT ", model %" G_GUINT64_FORMAT, i,
          l->start_round, a->start_round);
    CHECK (sc, l->last_claim_round == a->last_claim_round,
        "account %d last claim round: ledger %" G_GUINT64_FORMAT ", model %"
        G_GUINT64_FORMAT, i, l->last_claim_round, a->last_claim_round);

    /* stake and fees, with what an orchestrator has not claimed */
    mpq_set (q, a->stake);
    mpq_set (r, a->fees);
    if (IS_ORCH (i) && a->delegate == i) {
      mpq_add (q, q, a->crew);
      mpq_add (r, r, a->cfees);
    }
    check_diff (sc, "pending stake", i, q, &l->pending_stake,
        a->ev_stake + (IS_ORCH (i) ? a->ev_crew : 0), &sc->max_stake_diff);
    check_diff (sc, "pending fees", i, r, &l->pending_fees,
        a->ev_fees + (IS_ORCH (i) ? a->ev_cfees : 0), &sc->max_fee_diff);
    if (!IS_ORCH (i) && a->last_claim_round == sc->round) {
      CHECK (sc, lp_uint256_equal (&l->bonded, &l->pending_stake)
          && lp_uint256_equal (&l->fees, &l->pending_fees),
          "account %d claimed this round but its pending stake or fees "
          "differ from the stored ones", i);
    }

    /* locks */
    for (k = 0; k < a->n_locks; k++)
      live += a->locks[k].live;
    CHECK (sc, n_locks (l) == live, "account %d: %u locks, model %u", i,
        n_locks (l), live);
    for (k = 0; k < n_locks (l); k++) {
      const LpUnbondingLock *lk = lock_at (l, k);

      CHECK (sc, lk->id < a->n_locks && a->locks[lk->id].live
          && lp_uint256_equal (&lk->amount, &a->locks[lk->id].amount)
          && lk->withdraw_round == a->locks[lk->id].withdraw_round,
          "account %d lock %" G_GUINT64_FORMAT " differs from the model", i,
          lk->id);
      z_from_u (x, &lk->amount);
      mpz_add (sum, sum, x);
    }

    /* broker */
    check_u (sc, "deposit", i, &l->deposit, a->deposit);
    check_u (sc, "reserve", i, &l->reserve, a->reserve);
    if (l->withdraw_round != a->withdraw_round) {
      finding (sc, "sender %d withdraw round %" G_GUINT64_FORMAT ", the "
          "model (TicketBroker) %" G_GUINT64_FORMAT, i, l->withdraw_round,
          a->withdraw_round);
      a->withdraw_round = l->withdraw_round;
    }
    z_from_u (x, &l->lpt);
    mpz_add (sum, sum, x);
    z_from_u (x, &l->delegated);
    mpz_add (sum, sum, x);
  }
  /* LPT: balances + bonded + unbonding + treasury = supply */
  z_from_u (x, &st->treasury);
  mpz_add (sum, sum, x);
  check_u (sc, "(LPT conservation: balances + delegated + locks + "
      "treasury) total supply", -1, &st->total_supply, sum);
  check_u (sc, "(status) total bonded", -1, &st->total_bonded, total_bonded);

  /* ETH: balances + deposits + reserves + fees held = genesis */
  mpz_set_ui (sum, 0);
  mpz_set_ui (y, 0);
  for (i = 0; i < N_ACC; i++) {
    z_from_u (x, &o->acc[i].eth);
    mpz_add (sum, sum, x);
    z_from_u (x, &o->acc[i].deposit);
    mpz_add (y, y, x);
    z_from_u (x, &o->acc[i].reserve);
    mpz_add (y, y, x);
  }
  mpz_sub (x, sc->funded, sc->withdrawn);
  mpz_sub (x, x, sc->paid_out);
  if (mpz_cmp (x, y) != 0) {
    gchar *a = zs (y), *b = zs (x);
    CHECK (sc, FALSE, "deposits + reserves %s, funded - withdrawn - paid "
        "out %s", a, b);
  }
  mpz_add (sum, sum, y);
  mpz_add (sum, sum, sc->paid_out);
  mpz_sub (sum, sum, sc->fees_withdrawn);
  if (mpz_cmp (sum, sc->eth0) != 0) {
    gchar *a = zs (sum), *b = zs (sc->eth0);
    CHECK (sc, FALSE, "ETH not conserved: %s, genesis %s", a, b);
  }
  /* fees owed never exceed fees held */
  mpz_set_ui (sum, 0);
  for (i = 0; i < N_ACC; i++) {
    z_from_u (x, &o->acc[i].pending_fees);
    mpz_add (sum, sum, x);
  }
  mpz_sub (x, sc->paid_out, sc->fees_withdrawn);
  if (mpz_cmp (sum, x) > 0) {
    gchar *a = zs (sum), *b = zs (x);
    CHECK (sc, FALSE, "pending fees %s exceed the fees held %s", a, b);
  }

  /* orchestrators */
  for (i = 0; i < N_ORCH; i++) {
    Acc *a = &sc->acc[i];
    LpLedgerOrchestrator *l = &o->orch[i];
    gint j;

    if (!a->registered)
      continue;
    CHECK (sc, o->have_orch[i] && l->registered, "orchestrator %d not "
        "registered", i);
    check_u (sc, "(orchestrator) total stake", i, &l->total_stake,
        a->delegated);
    CHECK (sc, l->reward_cut == a->reward_cut && l->fee_share == a->fee_share,
        "orchestrator %d commission differs", i);
    CHECK (sc, l->in_pool == a->in_pool, "orchestrator %d in_pool: ledger "
        "%d, model %d", i, l->in_pool, a->in_pool);
    CHECK (sc, l->active == m_active (sc, i), "orchestrator %d active: ledger "
        "%d, model %d", i, l->active, m_active (sc, i));
    if (a->joined)
      CHECK (sc, l->activation_round == a->activation_round
          && l->deactivation_round == a->deactivation_round,
          "orchestrator %d activation/deactivation %" G_GUINT64_FORMAT "/%"
          G_GINT64_FORMAT ", model %" G_GUINT64_FORMAT "/%" G_GINT64_FORMAT,
          i, l->activation_round, l->deactivation_round, a->activation_round,
          a->deactivation_round);
    if (a->has_rewarded)
      CHECK (sc, l->last_reward_round == a->last_reward_round,
          "orchestrator %d last reward round", i);
    check_diff (sc, "cumulative rewards", i, a->crew, &l->cumulative_rewards,
        a->ev_crew, &sc->max_stake_diff);
    check_diff (sc, "cumulative fees", i, a->cfees, &l->cumulative_fees,
        a->ev_cfees, &sc->max_fee_diff);
    /* the model's claimable stakes never exceed the pool (the rest is the
     * dust of truncations and of the shares of those who claimed early) */
    mpq_set (q, a->crew);
    for (j = 0; j < N_ACC; j++)
      if (sc->acc[j].delegate == i)
        mpq_add (q, q, sc->acc[j].stake);
    mpq_set_z (r, a->delegated);
    CHECK (sc, mpq_cmp (q, r) <= 0, "orchestrator %d: the model's stakes "
        "exceed its delegated amount", i);
  }

  mpz_clears (sum, x, y, total_bonded, NULL);
  mpq_clears (q, r, NULL);
}

static void
audit (Sc * sc)
{
  GString *report = g_string_new (NULL);
  GError *error = NULL;
  gboolean ok = lp_ledger_audit (sc->ledger, report, &error);

  CHECK (sc, ok, "audit failed: %s\n%s", error ? error->message : "",
      report->str);
  g_string_free (report, TRUE);
}

/* ---- running one operation --------------------------------------------*/

static const gchar *
vname (Verdict v)
{
  return v == V_VALID ? "valid" : v == V_INVALID ? "invalid" : "unknown";
}

/* TRUE when the ledger did it (the model must follow) */
/* counts per kind of operation (the description without its numbers):
 * valid done, invalid refused, unknown done, unknown refused */
static void
count_kind (Sc * sc, gint slot)
{
  GString *k = g_string_new (NULL);
  const gchar *c;
  guint *n;

  for (c = sc->desc; *c; c++)
    if (!g_ascii_isdigit (*c) && *c != '-' && !(*c == ' ' && c[1] == ' '))
      g_string_append_c (k, *c);
  n = g_hash_table_lookup (sc->kinds, k->str);
  if (n == NULL) {
    n = g_new0 (guint, 4);
    g_hash_table_insert (sc->kinds, g_strdup (k->str), n);
  }
  n[slot]++;
  g_string_free (k, TRUE);
}

static gboolean
outcome (Sc * sc, Verdict v, gboolean ok, GError * error)
{
  count_kind (sc, ok ? (v == V_UNKNOWN ? 2 : 0) : (v == V_UNKNOWN ? 3 : 1));
  if (sc->verbose)
    g_print ("seed %u op %u: %s (%s) -> %s%s\n", sc->seed, sc->op, sc->desc,
        vname (v), ok ? "done" : "refused: ",
        ok ? "" : (error ? error->message : "?"));
  if (ok) {
    CHECK (sc, v != V_INVALID, "the ledger accepted an operation the rules "
        "refuse");
    if (v == V_UNKNOWN)
      sc->n_unknown_ok++;
    else
      sc->n_ok++;
    return TRUE;
  }
  CHECK (sc, error != NULL && error->domain == LP_LEDGER_ERROR
      && (error->code == LP_LEDGER_ERROR_REFUSED
          || error->code == LP_LEDGER_ERROR_TICKET_USED
          || error->code == LP_LEDGER_ERROR_INVALID
          || error->code == LP_LEDGER_ERROR_NOT_FOUND),
      "failed with an unexpected error: %s", error ? error->message : "?");
  CHECK (sc, v != V_VALID, "a valid operation was refused: %s",
      error->message);
  if (v == V_UNKNOWN)
    sc->n_unknown_refused++;
  else
    sc->n_refused_expected++;
  g_clear_error (&error);
  return FALSE;
}

static void
after (Sc * sc, gboolean done)
{
  Obs *t;

  obs_fetch (sc, sc->cur);
  if (!done)
    obs_check_unchanged (sc, sc->prev, sc->cur);
  model_check (sc);
  audit (sc);
  if (sc->op % 97 == 0)
    check_redeemed_list (sc);
  t = sc->prev;
  sc->prev = sc->cur;
  sc->cur = t;
}

/* the bonded amount (fees) an operation works with: what the autoclaim
 * makes of it, or the stored one when the account already claimed this
 * round (an orchestrator's cumulative rewards and fees earned since then
 * are claimed only next round: _autoClaimEarnings) */
static void
bonded_int (Sc * sc, gint i, mpz_t out)
{
  const LpAccountInfo *l = &sc->prev->acc[i];

  z_from_u (out, sc->acc[i].last_claim_round < sc->round ?
      &l->pending_stake : &l->bonded);
}

static void
fees_int (Sc * sc, gint i, mpz_t out)
{
  const LpAccountInfo *l = &sc->prev->acc[i];

  z_from_u (out, sc->acc[i].last_claim_round < sc->round ?
      &l->pending_fees : &l->fees);
}

static gboolean
pending_deactivation (Sc * sc, gint o)
{
  Acc *a = &sc->acc[o];

  return m_active (sc, o)
      && a->deactivation_round != LP_LEDGER_MAX_FUTURE_ROUND
      && !m_rewarded_now (sc, o);
}

static void
do_transfer (Sc * sc, gint from, gint to, const mpz_t amount)
{
  GError *error = NULL;
  LpUint256 u;
  Verdict v;
  gboolean ok;

  v = mpz_cmp (amount, sc->acc[from].lpt) > 0 ? V_INVALID :
      mpz_sgn (amount) == 0 ? V_UNKNOWN : V_VALID;
  u_from_z (&u, amount);
  g_snprintf (sc->desc, sizeof (sc->desc), "transfer %d -> %d %s", from, to,
      "LPT");
  ok = lp_ledger_transfer (sc->ledger, &sc->acc[from].addr,
      &sc->acc[to].addr, &u, &error);
  if (outcome (sc, v, ok, error)) {
    mpz_sub (sc->acc[from].lpt, sc->acc[from].lpt, amount);
    mpz_add (sc->acc[to].lpt, sc->acc[to].lpt, amount);
  }
  after (sc, ok);
}

static void
do_bond (Sc * sc, gint i, gint to, const mpz_t amount)
{
  Acc *a = &sc->acc[i];
  GError *error = NULL;
  LpUint256 u;
  Verdict v = V_VALID;
  gboolean ok, unb = a->delegate < 0;
  mpz_t bonded, deleg;

  mpz_inits (bonded, deleg, NULL);
  bonded_int (sc, i, bonded);
  if (!sc->initialized || mpz_cmp (amount, a->lpt) > 0)
    v = V_INVALID;
  else if (mpz_sgn (amount) == 0 && (unb || a->delegate == to))
    v = V_INVALID;
  else if (!unb && a->delegate != to && IS_ORCH (i) && a->registered)
    v = V_INVALID;
  else if (pending_deactivation (sc, to))
    v = V_UNKNOWN;
  u_from_z (&u, amount);
  g_snprintf (sc->desc, sizeof (sc->desc), "bond %d -> %d (%s, was %d)", i,
      to, mpz_sgn (amount) ? "amount" : "0", a->delegate);
  ok = lp_ledger_bond (sc->ledger, &a->addr, &sc->acc[to].addr, &u, &error);
  if (outcome (sc, v, ok, error)) {
    m_claim (sc, i);
    if (unb) {
      a->start_round = sc->round + 1;
      mpz_set (deleg, amount);
      mpq_set_z (a->stake, amount);
      a->ev_stake = 0;
    } else if (a->delegate != to) {
      a->start_round = sc->round + 1;
      mpz_add (deleg, amount, bonded);
      m_decrease (sc, a->delegate, bonded);
      mpq_set_z (a->stake, deleg);
      a->ev_stake = 0;
    } else {
      mpq_t q;

      mpq_init (q);
      mpq_set_z (q, amount);
      mpq_add (a->stake, a->stake, q);
      mpq_clear (q);
      mpz_set (deleg, amount);
    }
    a->delegate = to;
    mpz_sub (a->lpt, a->lpt, amount);
    /* self-bonded: a registered transcoder (isRegisteredTranscoder) */
    if (to == i)
      a->registered = TRUE;
    m_increase (sc, to, deleg);
  }
  after (sc, ok);
  mpz_clears (bonded, deleg, NULL);
}

static void
do_register (Sc * sc, gint o, guint64 cut, guint64 share)
{
  Acc *a = &sc->acc[o];
  GError *error = NULL;
  Verdict v = V_VALID;
  gboolean ok;

  /* in the pool with these rates already: no transcoder() to call, only
   * the service URI, which no round rule holds back */
  if (a->delegate == o && a->in_pool && cut == a->reward_cut
      && share == a->fee_share)
    v = V_VALID;
  else if (cut > LP_LEDGER_PERC_DIVISOR || share > LP_LEDGER_PERC_DIVISOR)
    v = V_INVALID;
  else if (!sc->initialized)
    v = V_UNKNOWN;
  else if (sc->prev->st.round_locked || a->delegate != o)
    v = V_INVALID;
  else if (m_active (sc, o) && !m_rewarded_now (sc, o))
    v = V_UNKNOWN;
  g_snprintf (sc->desc, sizeof (sc->desc), "register %d cut %"
      G_GUINT64_FORMAT " share %" G_GUINT64_FORMAT, o, cut, share);
  ok = lp_ledger_register_orchestrator (sc->ledger, &a->addr, cut, share,
      "https://127.0.0.1:8935", &error);
  if (outcome (sc, v, ok, error)) {
    a->reward_cut = cut;
    a->fee_share = share;
    a->registered = TRUE;
    if (!a->in_pool)
      m_try_join (sc, o, a->delegated);
  }
  after (sc, ok);
}

static void
do_unbond (Sc * sc, gint i, const mpz_t amount)
{
  Acc *a = &sc->acc[i];
  GError *error = NULL;
  LpUint256 u;
  Verdict v = V_VALID;
  gboolean ok;
  guint64 lock_id = G_MAXUINT64;
  mpz_t bonded;

  mpz_init (bonded);
  bonded_int (sc, i, bonded);
  if (!sc->initialized || a->delegate < 0 || a->start_round > sc->round
      || mpz_sgn (amount) == 0 || mpz_cmp (amount, bonded) > 0)
    v = V_INVALID;
  u_from_z (&u, amount);
  g_snprintf (sc->desc, sizeof (sc->desc), "unbond %d (%s of its bond)", i,
      mpz_cmp (amount, bonded) == 0 ? "all" : mpz_cmp (amount,
          bonded) > 0 ? "more than all" : "part");
  ok = lp_ledger_unbond (sc->ledger, &a->addr, &u, &lock_id, &error);
  if (outcome (sc, v, ok, error)) {
    gint old = a->delegate;
    mpq_t q;

    mpq_init (q);
    m_claim (sc, i);
    mpq_set_z (q, amount);
    mpq_sub (a->stake, a->stake, q);
    if (mpz_cmp (amount, bonded) == 0) {
      g_assert (!(IS_ORCH (i) && a->registered));
      /* what is left is truncation dust (checked before, as pending) */
      mpq_set_ui (a->stake, 0, 1);
      a->delegate = -1;
      a->start_round = 0;
      a->ev_stake = 0;
    }
    g_assert (a->n_locks < MAX_LOCKS);
    CHECK (sc, lock_id == a->n_locks, "unbond returned lock %"
        G_GUINT64_FORMAT ", expected %u", lock_id, a->n_locks);
    a->locks[a->n_locks].live = TRUE;
    u_from_z (&a->locks[a->n_locks].amount, amount);
    a->locks[a->n_locks].withdraw_round = sc->round + UNBONDING_PERIOD;
    a->n_locks++;
    m_decrease (sc, old, amount);
    mpq_clear (q);
  }
  after (sc, ok);
  mpz_clear (bonded);
}

static void
do_rebond (Sc * sc, gint i, gint to, guint64 lock_id)
{
  Acc *a = &sc->acc[i];
  GError *error = NULL;
  Verdict v = V_VALID;
  gboolean ok, unb = a->delegate < 0;
  gint target = unb ? to : a->delegate;

  if (!sc->initialized || lock_id >= a->n_locks || !a->locks[lock_id].live
      || (unb && to < 0))
    v = V_INVALID;
  else if (pending_deactivation (sc, target))
    v = V_UNKNOWN;
  g_snprintf (sc->desc, sizeof (sc->desc), "rebond %d lock %" G_GUINT64_FORMAT
      " %s %d", i, lock_id, unb ? "from unbonded to" : "to its delegate",
      target);
  ok = lp_ledger_rebond (sc->ledger, &a->addr,
      unb && to >= 0 ? &sc->acc[to].addr : NULL, lock_id, &error);
  if (outcome (sc, v, ok, error)) {
    mpz_t amt;
    mpq_t q;

    mpz_init (amt);
    mpq_init (q);
    m_claim (sc, i);
    z_from_u (amt, &a->locks[lock_id].amount);
    if (unb) {
      a->start_round = sc->round + 1;
      a->delegate = to;
      mpq_set_z (a->stake, amt);
      a->ev_stake = 0;
    } else {
      mpq_set_z (q, amt);
      mpq_add (a->stake, a->stake, q);
    }
    a->locks[lock_id].live = FALSE;
    m_increase (sc, a->delegate, amt);
    mpz_clear (amt);
    mpq_clear (q);
  }
  after (sc, ok);
}

static void
do_withdraw_stake (Sc * sc, gint i, guint64 lock_id)
{
  Acc *a = &sc->acc[i];
  GError *error = NULL;
  Verdict v = V_VALID;
  gboolean ok;

  if (lock_id >= a->n_locks || !a->locks[lock_id].live
      || a->locks[lock_id].withdraw_round > sc->round)
    v = V_INVALID;
  else if (!sc->initialized)
    v = V_UNKNOWN;
  g_snprintf (sc->desc, sizeof (sc->desc), "withdraw_stake %d lock %"
      G_GUINT64_FORMAT " (withdraw round %" G_GUINT64_FORMAT ")", i, lock_id,
      lock_id < a->n_locks ? a->locks[lock_id].withdraw_round : 0);
  ok = lp_ledger_withdraw_stake (sc->ledger, &a->addr, lock_id, &error);
  if (outcome (sc, v, ok, error)) {
    mpz_t amt;

    mpz_init (amt);
    z_from_u (amt, &a->locks[lock_id].amount);
    mpz_add (a->lpt, a->lpt, amt);
    a->locks[lock_id].live = FALSE;
    mpz_clear (amt);
  }
  after (sc, ok);
}

static void
do_claim (Sc * sc, gint i)
{
  GError *error = NULL;
  Verdict v = V_VALID;
  gboolean ok;

  if (!sc->initialized || sc->acc[i].delegate < 0)
    v = V_UNKNOWN;
  g_snprintf (sc->desc, sizeof (sc->desc), "claim_earnings %d", i);
  ok = lp_ledger_claim_earnings (sc->ledger, &sc->acc[i].addr, &error);
  if (outcome (sc, v, ok, error))
    m_claim (sc, i);
  after (sc, ok);
}

static void
do_withdraw_fees (Sc * sc, gint i, gint to, const mpz_t amount)
{
  Acc *a = &sc->acc[i];
  GError *error = NULL;
  LpUint256 u;
  Verdict v = V_VALID;
  gboolean ok;
  mpz_t fees;

  mpz_init (fees);
  fees_int (sc, i, fees);
  if (mpz_cmp (amount, fees) > 0)
    v = V_INVALID;
  else if (!sc->initialized || mpz_sgn (amount) == 0)
    v = V_UNKNOWN;
  u_from_z (&u, amount);
  g_snprintf (sc->desc, sizeof (sc->desc), "withdraw_fees %d -> %d (%s)", i,
      to, mpz_cmp (amount, fees) == 0 ? "all" : mpz_cmp (amount,
          fees) > 0 ? "more than all" : "part");
  ok = lp_ledger_withdraw_fees (sc->ledger, &a->addr, &sc->acc[to].addr, &u,
      &error);
  if (outcome (sc, v, ok, error)) {
    mpq_t q;

    mpq_init (q);
    m_claim (sc, i);
    mpq_set_z (q, amount);
    mpq_sub (a->fees, a->fees, q);
    mpz_add (sc->acc[to].eth, sc->acc[to].eth, amount);
    mpz_add (sc->fees_withdrawn, sc->fees_withdrawn, amount);
    mpq_clear (q);
  }
  after (sc, ok);
  mpz_clear (fees);
}

static void
do_reward (Sc * sc, gint o)
{
  GError *error = NULL;
  LpUint256 minted = LP_UINT256_INIT;
  Verdict v = V_VALID;
  gboolean ok;

  if (!sc->initialized || !IS_ORCH (o) || !m_active (sc, o)
      || m_rewarded_now (sc, o))
    v = V_INVALID;
  g_snprintf (sc->desc, sizeof (sc->desc), "reward %d", o);
  ok = lp_ledger_reward (sc->ledger, &sc->acc[o].addr, &minted, &error);
  if (outcome (sc, v, ok, error))
    m_reward (sc, o, &minted);
  after (sc, ok);
}

static void
do_advance (Sc * sc, guint64 blocks)
{
  GError *error = NULL;
  gboolean ok;

  g_snprintf (sc->desc, sizeof (sc->desc), "advance %" G_GUINT64_FORMAT
      " blocks from %" G_GUINT64_FORMAT, blocks, sc->block);
  ok = lp_ledger_advance (sc->ledger, blocks, &error);
  if (outcome (sc, V_VALID, ok, error)) {
    guint64 round;

    sc->block += blocks;
    round = sc->block / ROUND_LENGTH;
    if (round != sc->round) {
      sc->round = round;
      sc->initialized = FALSE;
      /* the status shows the last initialized round's mint, as the
       * Minter does, until this one is initialized */
    }
  }
  after (sc, ok);
}

static void
do_init (Sc * sc)
{
  GError *error = NULL;
  gboolean ok;

  g_snprintf (sc->desc, sizeof (sc->desc), "initialize_round %"
      G_GUINT64_FORMAT, sc->round);
  ok = lp_ledger_initialize_round (sc->ledger, &error);
  if (outcome (sc, sc->initialized ? V_INVALID : V_VALID, ok, error))
    m_init_round (sc);
  after (sc, ok);
}

static void
do_fund (Sc * sc, gint s, const mpz_t dep, const mpz_t res)
{
  Acc *a = &sc->acc[s];
  GError *error = NULL;
  LpUint256 ud, ur;
  Verdict v = V_VALID;
  gboolean ok;
  mpz_t total;

  mpz_init (total);
  mpz_add (total, dep, res);
  if (mpz_cmp (total, a->eth) > 0)
    v = V_INVALID;
  else if (mpz_sgn (total) == 0)
    v = V_UNKNOWN;
  u_from_z (&ud, dep);
  u_from_z (&ur, res);
  g_snprintf (sc->desc, sizeof (sc->desc), "fund %d%s", s,
      v == V_INVALID ? " (more than its ETH)" : "");
  ok = lp_ledger_fund (sc->ledger, &a->addr, &ud, &ur, &error);
  if (outcome (sc, v, ok, error)) {
    mpz_sub (a->eth, a->eth, total);
    mpz_add (a->deposit, a->deposit, dep);
    mpz_add (a->reserve, a->reserve, res);
    mpz_add (sc->funded, sc->funded, total);
    /* funding cancels an unlock in progress (TicketBroker processDeposit /
     * processReserve); the ledger also cancels one already due, where the
     * contracts leave it (a documented choice of
     * lpledger-sqlite-tickets.c) */
    a->withdraw_round = 0;
  }
  after (sc, ok);
  mpz_clear (total);
}

static void
do_unlock (Sc * sc, gint s)
{
  Acc *a = &sc->acc[s];
  GError *error = NULL;
  Verdict v = V_VALID;
  gboolean ok;

  if ((mpz_sgn (a->deposit) == 0 && mpz_sgn (a->reserve) == 0)
      || a->withdraw_round > sc->round)
    v = V_INVALID;
  else if (a->withdraw_round > 0 || !sc->initialized)
    v = V_UNKNOWN;
  g_snprintf (sc->desc, sizeof (sc->desc), "unlock %d", s);
  ok = lp_ledger_unlock (sc->ledger, &a->addr, &error);
  if (outcome (sc, v, ok, error))
    a->withdraw_round = sc->round + UNLOCK_PERIOD;
  after (sc, ok);
}

static void
do_cancel_unlock (Sc * sc, gint s)
{
  Acc *a = &sc->acc[s];
  GError *error = NULL;
  Verdict v = V_VALID;
  gboolean ok;

  if (a->withdraw_round == 0)
    v = V_INVALID;
  else if (a->withdraw_round <= sc->round || !sc->initialized)
    v = V_UNKNOWN;              /* the contracts refuse a due unlock */
  g_snprintf (sc->desc, sizeof (sc->desc), "cancel_unlock %d", s);
  ok = lp_ledger_cancel_unlock (sc->ledger, &a->addr, &error);
  if (outcome (sc, v, ok, error))
    a->withdraw_round = 0;
  after (sc, ok);
}

static void
do_withdraw (Sc * sc, gint s)
{
  Acc *a = &sc->acc[s];
  GError *error = NULL;
  Verdict v = V_VALID;
  gboolean ok;

  if ((mpz_sgn (a->deposit) == 0 && mpz_sgn (a->reserve) == 0)
      || a->withdraw_round == 0 || a->withdraw_round > sc->round)
    v = V_INVALID;
  else if (!sc->initialized)
    v = V_UNKNOWN;
  g_snprintf (sc->desc, sizeof (sc->desc), "withdraw %d", s);
  ok = lp_ledger_withdraw (sc->ledger, &a->addr, &error);
  if (outcome (sc, v, ok, error)) {
    mpz_add (a->eth, a->eth, a->deposit);
    mpz_add (a->eth, a->eth, a->reserve);
    mpz_add (sc->withdrawn, sc->withdrawn, a->deposit);
    mpz_add (sc->withdrawn, sc->withdrawn, a->reserve);
    mpz_set_ui (a->deposit, 0);
    mpz_set_ui (a->reserve, 0);
    a->withdrew_round = sc->round;
    /* TicketBroker.withdraw leaves withdrawRound as it is; a ledger that
     * clears it is as good: take what it says */
    if (sc->prev != NULL) {
      LpAccountInfo info = { 0 };
      GError *e = NULL;

      CHECK (sc, lp_ledger_get_account (sc->ledger, &a->addr, &info, &e),
          "get_account: %s", e ? e->message : "");
      CHECK (sc, info.withdraw_round == 0
          || info.withdraw_round == a->withdraw_round,
          "withdraw set the withdraw round to %" G_GUINT64_FORMAT,
          info.withdraw_round);
      a->withdraw_round = info.withdraw_round;
      lp_account_info_clear (&info);
    }
  }
  after (sc, ok);
}

/* ---- tickets ------------------------------------------------------------*/

static gboolean
is_used (Sc * sc, const LpWinningTicket * w)
{
  guint8 h[LP_TICKET_HASH_SIZE], g[LP_TICKET_HASH_SIZE];
  guint k;

  lp_ticket_hash (&w->ticket, h);
  for (k = 0; k < sc->n_used; k++) {
    lp_ticket_hash (&sc->used[k].w.ticket, g);
    if (memcmp (h, g, sizeof (h)) == 0)
      return TRUE;
  }
  return FALSE;
}

static void
make_ticket (Sc * sc, gint s, gint o, const mpz_t face, QTicket * q)
{
  Acc *a = &sc->acc[s];
  LpWinningTicket *w = &q->w;
  GError *error = NULL;
  guint8 rnd[32];
  gint k;

  memset (q, 0, sizeof (*q));
  q->sender = s;
  q->recipient = o;
  w->ticket.recipient = sc->acc[o].addr;
  w->ticket.sender = a->addr;
  u_from_z (&w->ticket.face_value, face);
  lp_uint256_set_max (&w->ticket.win_prob);
  w->ticket.sender_nonce = ++a->nonce;
  for (k = 0; k < 32; k++)
    rnd[k] = rint_ (sc, 0, 256);
  lp_uint256_from_bytes32 (rnd, &w->recipient_rand);
  lp_ticket_recipient_rand_hash (&w->recipient_rand,
      w->ticket.recipient_rand_hash);
  w->ticket.expiration_params.creation_round = sc->round;
  memcpy (w->ticket.expiration_params.creation_round_block_hash,
      sc->block_hash[sc->round], LP_KECCAK256_SIZE);
  w->params_expiration_block = sc->block;
  CHECK (sc, lp_ticket_sign (&w->ticket, a->key, w->sig, &error), "sign: %s",
      error ? error->message : "");
}

/* no fees for o in the retroactive-factor corner (see the top comment) */
static gboolean
fee_ok (Sc * sc, gint o)
{
  Acc *a = &sc->acc[o];

  if (!m_active (sc, o))
    return FALSE;
  if (m_rewarded_now (sc, o) && (sc->round == 0
          || !a->rewarded[sc->round - 1]))
    return FALSE;
  return TRUE;
}

static void
do_redeem (Sc * sc, const QTicket * q, const gchar * what)
{
  const LpWinningTicket *w = &q->w;
  Acc *a = &sc->acc[q->sender];
  gint o = q->recipient;
  GError *error = NULL;
  LpRedemption red;
  Verdict v = V_VALID;
  gboolean ok, signer_ok, hash_ok;
  guint8 h[LP_KECCAK256_SIZE];
  guint64 cr = w->ticket.expiration_params.creation_round;
  mpz_t face, from_dep, from_res, rem, claimable, tmp, paid;

  mpz_inits (face, from_dep, from_res, rem, claimable, tmp, paid, NULL);
  lp_ticket_recipient_rand_hash (&w->recipient_rand, h);
  signer_ok = lp_ticket_verify (&w->ticket, w->sig, LP_SIGNATURE_SIZE, NULL);
  hash_ok = cr < MAX_ROUNDS && sc->have_hash[cr]
      && memcmp (sc->block_hash[cr],
      w->ticket.expiration_params.creation_round_block_hash,
      LP_KECCAK256_SIZE) == 0;
  if (!sc->initialized || !hash_ok || cr + VALIDITY <= sc->round
      || memcmp (h, w->ticket.recipient_rand_hash, sizeof (h)) != 0
      || is_used (sc, w) || !signer_ok
      || !lp_ticket_wins (w->sig, &w->recipient_rand, &w->ticket.win_prob)
      || (a->withdraw_round > 0 && a->withdraw_round <= sc->round))
    v = V_INVALID;
  else if (mpz_sgn (a->deposit) == 0 && mpz_sgn (a->reserve) == 0)
    v = V_UNKNOWN;

  /* the payment (TicketBroker.redeemWinningTicket, claimFromReserve) */
  z_from_u (face, &w->ticket.face_value);
  if (mpz_cmp (face, a->deposit) <= 0) {
    mpz_set (from_dep, face);
  } else {
    mpz_set (from_dep, a->deposit);
    mpz_sub (rem, face, a->deposit);
    if (mpz_sgn (a->reserve) > 0 && m_active (sc, o) && m_pool_size (sc) > 0) {
      if (a->claim_round != sc->round) {
        gint j;

        a->claim_round = sc->round;
        mpz_set_ui (a->claimed_total, 0);
        for (j = 0; j < N_ORCH; j++)
          mpz_set_ui (a->claimed_by[j], 0);
      }
      mpz_add (tmp, a->reserve, a->claimed_total);
      mpz_fdiv_q_ui (tmp, tmp, m_pool_size (sc));
      if (mpz_cmp (tmp, a->claimed_by[o]) < 0)
        v = V_UNKNOWN;          /* the contracts' subtraction underflows */
      else
        mpz_sub (claimable, tmp, a->claimed_by[o]);
      if (mpz_cmp (rem, claimable) < 0)
        mpz_set (from_res, rem);
      else
        mpz_set (from_res, claimable);
    }
  }
  g_snprintf (sc->desc, sizeof (sc->desc), "redeem %s ticket %d -> %d "
      "(created in round %" G_GUINT64_FORMAT ")", what, q->sender, o, cr);
  ok = lp_ledger_redeem_winning_ticket (sc->ledger, w, &red, &error);
  /* "already used" has its own code, for the model's used tickets only */
  CHECK (sc, ok || !g_error_matches (error, LP_LEDGER_ERROR,
          LP_LEDGER_ERROR_TICKET_USED) || is_used (sc, w),
      "refused as already used, but the model never redeemed it: %s",
      error->message);
  if (outcome (sc, v, ok, error)) {
    if (!u_eq_z (&red.from_deposit, from_dep)) {
      gchar *l = us (&red.from_deposit), *m = zs (from_dep);
      CHECK (sc, FALSE, "paid %s from the deposit, the model %s", l, m);
    }
    if (!u_eq_z (&red.from_reserve, from_res)) {
      gchar *l = us (&red.from_reserve), *m = zs (from_res);
      finding (sc, "paid %s from the reserve, the model (TicketBroker "
          "claimableReserve: (remaining + claimed this round) / pool size - "
          "claimed by the recipient) %s", l, m);
      g_free (l);
      free (m);
      z_from_u (from_res, &red.from_reserve);
    }
    CHECK (sc, red.round == sc->round, "redemption round");
    lp_ticket_hash (&w->ticket, h);
    CHECK (sc, memcmp (h, red.ticket_hash, sizeof (h)) == 0,
        "redemption ticket hash");
    mpz_sub (a->deposit, a->deposit, from_dep);
    if (mpz_sgn (from_res) > 0) {
      mpz_sub (a->reserve, a->reserve, from_res);
      mpz_add (a->claimed_total, a->claimed_total, from_res);
      mpz_add (a->claimed_by[o], a->claimed_by[o], from_res);
    }
    mpz_add (paid, from_dep, from_res);
    mpz_add (sc->paid_out, sc->paid_out, paid);
    sc->n_reserve_paid += mpz_sgn (from_res) > 0;
    sc->n_zero_paid += mpz_sgn (paid) == 0;
    if (mpz_sgn (paid) > 0)
      m_fee (sc, o, paid);
    g_assert (sc->n_used < MAX_USED);
    sc->used[sc->n_used++] = *q;
    sc->n_tickets++;
  }
  after (sc, ok);
  mpz_clears (face, from_dep, from_res, rem, claimable, tmp, paid, NULL);
}

static void
gen_redeem (Sc * sc)
{
  gint cand[N_ORCH], n = 0, o, s, k;
  QTicket q;
  mpz_t face;
  guint r;

  for (o = 0; o < N_ORCH; o++)
    if (fee_ok (sc, o))
      cand[n++] = o;
  s = FIRST_SEND + rint_ (sc, 0, N_SEND);
  if (sc->acc[s].withdrew_round == (gint64) sc->round || !sc->initialized
      || n == 0) {
    /* a ticket for a recipient with no fees allowed is still worth
     * refusing: one from an uninitialized round */
    if (!sc->initialized && sc->n_queue > 0) {
      q = sc->queue[rint_ (sc, 0, sc->n_queue)];
      if (fee_ok (sc, q.recipient))
        do_redeem (sc, &q, "queued (round not initialized)");
    }
    return;
  }
  o = cand[rint_ (sc, 0, n)];
  mpz_init (face);
  if (chance (sc, 0.2)) {
    rand_lpt (sc, face, 1, 9);  /* 1 - 9 ETH: beyond most deposits */
  } else {
    mpz_ui_pow_ui (face, 10, 14);
    mpz_mul_ui (face, face, rint_ (sc, 1, 500));
    mpz_add_ui (face, face, rint_ (sc, 0, 1000000));
  }
  /* now and then queue one for later */
  if (chance (sc, 0.3) && sc->n_queue < MAX_QUEUE) {
    make_ticket (sc, s, o, face, &sc->queue[sc->n_queue++]);
  }
  r = rint_ (sc, 0, 100);
  if (r < 60) {
    make_ticket (sc, s, o, face, &q);
    do_redeem (sc, &q, "fresh");
  } else if (r < 78 && sc->n_queue > 0) {
    k = rint_ (sc, 0, sc->n_queue);
    q = sc->queue[k];
    sc->queue[k] = sc->queue[--sc->n_queue];
    if (fee_ok (sc, q.recipient)
        && sc->acc[q.sender].withdrew_round != (gint64) sc->round)
      do_redeem (sc, &q, "queued");
  } else if (r < 83 && sc->n_used > 0) {
    q = sc->used[rint_ (sc, 0, sc->n_used)];
    do_redeem (sc, &q, "replayed");
  } else if (r < 86) {
    make_ticket (sc, s, o, face, &q);
    q.w.recipient_rand.be[31] ^= 1;
    do_redeem (sc, &q, "wrong recipientRand");
  } else if (r < 89) {
    make_ticket (sc, s, o, face, &q);
    q.w.ticket.expiration_params.creation_round_block_hash[5] ^= 0x40;
    CHECK (sc, lp_ticket_sign (&q.w.ticket, sc->acc[s].key, q.w.sig, NULL),
        "sign");
    do_redeem (sc, &q, "wrong block hash");
  } else if (r < 92) {
    gint other = FIRST_SEND + (s - FIRST_SEND + 1) % N_SEND;

    make_ticket (sc, s, o, face, &q);
    CHECK (sc, lp_ticket_sign (&q.w.ticket, sc->acc[other].key, q.w.sig,
            NULL), "sign");
    do_redeem (sc, &q, "forged");
  } else if (r < 95) {
    make_ticket (sc, s, o, face, &q);
    lp_uint256_set_zero (&q.w.ticket.win_prob);
    CHECK (sc, lp_ticket_sign (&q.w.ticket, sc->acc[s].key, q.w.sig, NULL),
        "sign");
    do_redeem (sc, &q, "losing");
  } else if (sc->round >= 2 && sc->have_hash[sc->round - 2]) {
    make_ticket (sc, s, o, face, &q);
    q.w.ticket.expiration_params.creation_round = sc->round - 2;
    memcpy (q.w.ticket.expiration_params.creation_round_block_hash,
        sc->block_hash[sc->round - 2], LP_KECCAK256_SIZE);
    CHECK (sc, lp_ticket_sign (&q.w.ticket, sc->acc[s].key, q.w.sig, NULL),
        "sign");
    do_redeem (sc, &q, "expired");
  }
  mpz_clear (face);
}

/* ---- the random generator ---------------------------------------------*/

static gint
pick_orch_registered (Sc * sc)
{
  return rint_ (sc, 0, N_ORCH);
}

static gint
pick_deleg (Sc * sc)
{
  return FIRST_DELEG + rint_ (sc, 0, N_DELEG);
}

static gint
pick_staker (Sc * sc)
{
  return chance (sc, 0.2) ? rint_ (sc, 0, N_ORCH) : pick_deleg (sc);
}

static void
gen_bond (Sc * sc)
{
  mpz_t amount, half;
  gint i = pick_staker (sc), to;
  Acc *a = &sc->acc[i];

  mpz_inits (amount, half, NULL);
  if (IS_ORCH (i)) {
    to = chance (sc, 0.85) ? i : (i + 1 + rint_ (sc, 0, N_ORCH - 1)) % N_ORCH;
    mpz_fdiv_q_ui (half, a->lpt, 3);
    rand_part (sc, amount, half);
  } else if (a->delegate < 0) {
    to = pick_orch_registered (sc);
    mpz_fdiv_q_ui (half, a->lpt, 2);
    rand_part (sc, amount, half);
  } else {
    gint r = rint_ (sc, 0, 100);

    if (r < 50) {
      to = a->delegate;
      mpz_fdiv_q_ui (half, a->lpt, 2);
      rand_part (sc, amount, half);
    } else {
      to = (a->delegate + 1 + rint_ (sc, 0, N_ORCH - 1)) % N_ORCH;
      if (r < 75)
        mpz_set_ui (amount, 0);
      else {
        mpz_fdiv_q_ui (half, a->lpt, 4);
        rand_part (sc, amount, half);
      }
    }
  }
  if (chance (sc, 0.04))
    mpz_add_ui (amount, a->lpt, 1);     /* more than it has */
  else if (chance (sc, 0.03))
    mpz_set_ui (amount, 0);
  do_bond (sc, i, to, amount);
  mpz_clears (amount, half, NULL);
}

static void
gen_unbond (Sc * sc)
{
  gint i = pick_staker (sc), r = rint_ (sc, 0, 100), k;

  /* mostly someone with a bond to unbond */
  for (k = 0; k < 4 && sc->acc[i].delegate < 0 && chance (sc, 0.8); k++)
    i = pick_staker (sc);
  mpz_t bonded, amount, cap;

  mpz_inits (bonded, amount, cap, NULL);
  bonded_int (sc, i, bonded);
  if (IS_ORCH (i)) {
    /* an orchestrator keeps at least half its stake: never resigns */
    mpz_fdiv_q_ui (cap, bonded, 2);
    rand_part (sc, amount, cap);
    if (r < 10)
      mpz_add_ui (amount, bonded, 1);
  } else if (r < 45) {
    rand_part (sc, amount, bonded);
  } else if (r < 80) {
    mpz_set (amount, bonded);
  } else if (r < 92) {
    mpz_add_ui (amount, bonded, 1 + rint_ (sc, 0, 1000));
  } else {
    mpz_set_ui (amount, 0);
  }
  if (mpz_sgn (amount) == 0 && mpz_sgn (bonded) == 0)
    mpz_set_ui (amount, 1);
  do_unbond (sc, i, amount);
  mpz_clears (bonded, amount, cap, NULL);
}

static gint
pick_lock (Sc * sc, gint i)
{
  Acc *a = &sc->acc[i];
  guint k, live[MAX_LOCKS], n = 0;

  for (k = 0; k < a->n_locks; k++)
    if (a->locks[k].live)
      live[n++] = k;
  if (n == 0 || chance (sc, 0.08))
    return chance (sc, 0.5) && a->n_locks > 0 ? rint_ (sc, 0, a->n_locks) :
        (gint) a->n_locks + rint_ (sc, 0, 3);
  return live[rint_ (sc, 0, n)];
}

static void
gen_rebond (Sc * sc)
{
  gint i = pick_staker (sc);
  gint to = sc->acc[i].delegate < 0 ? pick_orch_registered (sc) : -1;

  if (IS_ORCH (i))
    to = -1;
  do_rebond (sc, i, to, pick_lock (sc, i));
}

static gint
reward_candidates (Sc * sc, gint cand[N_ORCH])
{
  gint n = 0, o;

  for (o = 0; o < N_ORCH; o++)
    if (sc->initialized && m_active (sc, o) && !m_rewarded_now (sc, o)
        && !sc->lazy[o])
      cand[n++] = o;
  return n;
}

static void
gen_reward (Sc * sc)
{
  gint cand[N_ORCH], n = reward_candidates (sc, cand);

  if (n > 0 && chance (sc, 0.5))
    do_reward (sc, cand[rint_ (sc, 0, n)]);
  else if (chance (sc, 0.8))
    do_reward (sc, rint_ (sc, 0, N_ORCH));
  else
    do_reward (sc, pick_deleg (sc));
}

static void
step (Sc * sc)
{
  gint w, i;
  mpz_t x, y;

  if (!sc->initialized && chance (sc, 0.7)) {
    do_init (sc);
    return;
  }
  /* every active orchestrator usually calls reward() each round (the lazy
   * ones of the round skip it) */
  {
    gint cand[N_ORCH], n = reward_candidates (sc, cand);

    if (n > 0 && chance (sc, 0.3)) {
      do_reward (sc, cand[rint_ (sc, 0, n)]);
      return;
    }
  }
  mpz_inits (x, y, NULL);
  w = rint_ (sc, 0, 1000);
  if (w < 75) {
    do_advance (sc, chance (sc, 0.06) ? rint_ (sc, 10, 36) :
        rint_ (sc, 1, ROUND_LENGTH + 1));
  } else if (w < 85) {
    do_init (sc);
  } else if (w < 125) {
    gen_reward (sc);
  } else if (w < 160) {
    gint from = rint_ (sc, 0, N_ACC), to = rint_ (sc, 0, N_ACC);

    if (chance (sc, 0.08))
      mpz_add_ui (x, sc->acc[from].lpt, 1);
    else {
      mpz_fdiv_q_ui (y, sc->acc[from].lpt, 10);
      rand_part (sc, x, y);
    }
    do_transfer (sc, from, to, x);
  } else if (w < 370) {
    gen_bond (sc);
  } else if (w < 460) {
    gen_unbond (sc);
  } else if (w < 505) {
    gen_rebond (sc);
  } else if (w < 555) {
    i = pick_staker (sc);
    do_withdraw_stake (sc, i, pick_lock (sc, i));
  } else if (w < 610) {
    do_claim (sc, rint_ (sc, 0, N_ACC));
  } else if (w < 650) {
    gint to;

    i = pick_staker (sc);
    to = chance (sc, 0.7) ? i : rint_ (sc, 0, N_ACC);
    fees_int (sc, i, y);
    w = rint_ (sc, 0, 100);
    if (w < 45)
      mpz_set (x, y);
    else if (w < 90)
      rand_part (sc, x, y);
    else
      mpz_add_ui (x, y, 1);
    if (mpz_sgn (x) == 0)
      mpz_set_ui (x, 1);
    do_withdraw_fees (sc, i, to, x);
  } else if (w < 680) {
    i = FIRST_SEND + rint_ (sc, 0, N_SEND);
    rand_lpt (sc, x, 1, 15);
    if (chance (sc, 0.3))
      mpz_set_ui (y, 0);
    else
      rand_lpt (sc, y, 1, 6);
    if (chance (sc, 0.2))
      mpz_set_ui (x, 0);
    if (chance (sc, 0.03))
      mpz_add_ui (x, sc->acc[i].eth, 1);
    do_fund (sc, i, x, y);
  } else if (w < 692) {
    do_unlock (sc, FIRST_SEND + rint_ (sc, 0, N_SEND));
  } else if (w < 704) {
    do_cancel_unlock (sc, FIRST_SEND + rint_ (sc, 0, N_SEND));
  } else if (w < 714) {
    do_withdraw (sc, FIRST_SEND + rint_ (sc, 0, N_SEND));
  } else if (w < 730) {
    i = rint_ (sc, 0, N_ORCH);
    do_register (sc, i, chance (sc, 0.04) ? LP_LEDGER_PERC_DIVISOR + 1 :
        (guint64) rint_ (sc, 0, 500001), (guint64) rint_ (sc, 0, 1000001));
  } else {
    gen_redeem (sc);
  }
  mpz_clears (x, y, NULL);
}

/* ---- setup and the test ----------------------------------------------- */

static void
make_address (guint8 kind, guint32 index, LpAddress * address)
{
  memset (address, 0, sizeof (*address));
  address->bytes[0] = kind;
  address->bytes[1] = 0x5c;
  address->bytes[19] = index;
}

static void
sc_init (Sc * sc, guint seed)
{
  LpLedgerGenesis *genesis;
  GError *error = NULL;
  mpz_t x;
  gint i;

  memset (sc, 0, sizeof (*sc));
  sc->seed = seed;
  sc->rand = g_rand_new_with_seed (seed);
  gmp_randinit_default (sc->gmp_rand);
  gmp_randseed_ui (sc->gmp_rand, seed * 7919 + 13);
  sc->verbose = g_getenv ("LP_LEDGER_SCENARIO_VERBOSE") != NULL;
  sc->findings = g_string_new (NULL);
  sc->kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sc->prev = &sc->obs[0];
  sc->cur = &sc->obs[1];
  mpz_inits (sc->supply, sc->treasury, sc->mintable, sc->minted,
      sc->cur_active, sc->next_active, sc->supply0, sc->eth0, sc->sum_minted,
      sc->funded, sc->withdrawn, sc->paid_out, sc->fees_withdrawn,
      sc->treasury_cut, NULL);
  mpz_init (x);

  genesis = lp_ledger_genesis_new ();
  lp_ledger_params_init_devnet (&genesis->params);
  genesis->params.block_time_ms = 0;
  genesis->params.round_length = ROUND_LENGTH;
  genesis->params.round_lock_amount = 100000;
  genesis->params.unbonding_period = UNBONDING_PERIOD;
  genesis->params.unlock_period = UNLOCK_PERIOD;
  genesis->params.ticket_validity_period = VALIDITY;
  genesis->params.num_active = NUM_ACTIVE;
  genesis->params.fee_asset = LP_FEE_ASSET_ETH;
  genesis->params.inflation = 1000000 + rint_ (sc, 0, 200000);
  genesis->params.inflation_change = 3000 + rint_ (sc, 0, 20000);
  /* about the scenario's bonding rate, so inflation moves both ways */
  genesis->params.target_bonding_rate = 250000000 + rint_ (sc, 0, 150000000);
  /* 12.3456789...% over 1e27, so the treasury's cut truncates */
  mpz_set_str (sc->treasury_cut, "123456789123456789123456789", 10);
  u_from_z (&genesis->params.treasury_cut, sc->treasury_cut);
  lp_uint256_set_zero (&genesis->params.treasury_ceiling);
  genesis->params.slashing_enabled = FALSE;
  sc->params = genesis->params;
  sc->inflation = genesis->params.inflation;

  for (i = 0; i < N_ACC; i++) {
    Acc *a = &sc->acc[i];
    LpGenesisAccount ga;

    mpz_inits (a->lpt, a->eth, a->delegated, a->T, a->deposit, a->reserve,
        a->claimed_total, NULL);
    mpq_inits (a->stake, a->fees, a->crew, a->cfees, a->acr, a->growth, NULL);
    for (gint j = 0; j < N_ORCH; j++)
      mpz_init (a->claimed_by[j]);
    a->delegate = -1;
    a->withdrew_round = -1;
    if (IS_SENDER (i)) {
      guint8 secret[LP_PRIVATE_KEY_SIZE];
      gchar *tag = g_strdup_printf ("ledger-scenario %u sender %d", seed, i);

      lp_keccak256 ((const guint8 *) tag, strlen (tag), secret);
      g_free (tag);
      a->key = lp_private_key_new_from_bytes (secret, sizeof (secret),
          &error);
      CHECK (sc, a->key != NULL, "sender key");
      a->addr = *lp_private_key_get_address (a->key);
      mpz_ui_pow_ui (a->eth, 10, 21);   /* 1000 ETH */
    } else if (IS_ORCH (i)) {
      make_address (0x0a, i, &a->addr);
      rand_lpt (sc, a->lpt, 300000, 1000000);
    } else {
      make_address (0xde, i, &a->addr);
      rand_lpt (sc, a->lpt, 5000, 80000);
    }
    memset (&ga, 0, sizeof (ga));
    ga.address = a->addr;
    u_from_z (&ga.lpt, a->lpt);
    u_from_z (&ga.eth, a->eth);
    g_array_append_val (genesis->accounts, ga);
    mpz_add (sc->supply, sc->supply, a->lpt);
    mpz_add (sc->eth0, sc->eth0, a->eth);
  }
  mpz_set (sc->supply0, sc->supply);

  sc->dir = g_dir_make_tmp ("ledger-scenario-XXXXXX", &error);
  CHECK (sc, sc->dir != NULL, "temporary directory");
  sc->path = g_build_filename (sc->dir, "ledger.db", NULL);
  g_snprintf (sc->desc, sizeof (sc->desc), "genesis");
  sc->ledger = lp_ledger_create (sc->path, genesis, &error);
  CHECK (sc, sc->ledger != NULL, "create: %s", error ? error->message : "");
  lp_ledger_genesis_free (genesis);
  /* genesis initializes round 0 */
  m_init_round (sc);
  after (sc, TRUE);
  mpz_clear (x);
}

static void
sc_setup (Sc * sc)
{
  mpz_t x, y;
  gint i;

  mpz_inits (x, y, NULL);
  do_init (sc);                 /* refused: genesis did it */
  for (i = 0; i < N_ORCH; i++) {
    rand_lpt (sc, x, 40000, 250000);
    do_bond (sc, i, i, x);
    do_register (sc, i, rint_ (sc, 0, 500001), rint_ (sc, 100000, 1000001));
  }
  for (i = FIRST_DELEG; i < FIRST_DELEG + N_DELEG; i += 2) {
    mpz_fdiv_q_ui (y, sc->acc[i].lpt, 2);
    rand_part (sc, x, y);
    do_bond (sc, i, rint_ (sc, 0, N_ORCH), x);
  }
  for (i = FIRST_SEND; i < N_ACC; i++) {
    rand_lpt (sc, x, 5, 20);
    rand_lpt (sc, y, 1, 10);
    do_fund (sc, i, x, y);
  }
  do_advance (sc, ROUND_LENGTH);
  do_init (sc);
  mpz_clears (x, y, NULL);
}

static void
sc_free (Sc * sc)
{
  const gchar *suffix[] = { "", "-wal", "-shm", "-journal" };
  gint i, j;

  obs_clear (&sc->obs[0]);
  obs_clear (&sc->obs[1]);
  g_object_unref (sc->ledger);
  for (i = 0; i < (gint) G_N_ELEMENTS (suffix); i++) {
    gchar *p = g_strconcat (sc->path, suffix[i], NULL);

    g_unlink (p);
    g_free (p);
  }
  g_rmdir (sc->dir);
  g_free (sc->path);
  g_free (sc->dir);
  for (i = 0; i < N_ACC; i++) {
    Acc *a = &sc->acc[i];

    mpz_clears (a->lpt, a->eth, a->delegated, a->T, a->deposit, a->reserve,
        a->claimed_total, NULL);
    mpq_clears (a->stake, a->fees, a->crew, a->cfees, a->acr, a->growth, NULL);
    for (j = 0; j < N_ORCH; j++)
      mpz_clear (a->claimed_by[j]);
    if (a->key)
      lp_private_key_unref (a->key);
  }
  mpz_clears (sc->supply, sc->treasury, sc->mintable, sc->minted,
      sc->cur_active, sc->next_active, sc->supply0, sc->eth0, sc->sum_minted,
      sc->funded, sc->withdrawn, sc->paid_out, sc->fees_withdrawn,
      sc->treasury_cut, NULL);
  gmp_randclear (sc->gmp_rand);
  g_rand_free (sc->rand);
  g_string_free (sc->findings, TRUE);
  g_hash_table_unref (sc->kinds);
}

static guint
n_ops (void)
{
  const gchar *env = g_getenv ("LP_LEDGER_SCENARIO_OPS");

  return env ? (guint) g_ascii_strtoull (env, NULL, 10) : OPS_PER_SEED;
}

static guint
seed_for (gint i)
{
  const gchar *env = g_getenv ("LP_LEDGER_SCENARIO_SEED");

  return env ? (guint) g_ascii_strtoull (env, NULL, 10) : default_seeds[i];
}

GST_START_TEST (test_scenario)
{
  Sc *sc = g_new0 (Sc, 1);
  guint ops = n_ops (), seed = seed_for (__i__);
  gint64 t0 = g_get_monotonic_time ();

  sc_init (sc, seed);
  sc_setup (sc);
  for (sc->op = 1; sc->op <= ops; sc->op++)
    step (sc);
  g_snprintf (sc->desc, sizeof (sc->desc), "end");
  check_redeemed_list (sc);

  g_print ("ledger-scenario seed %u: %u operations (%u done as valid, %u "
      "refused as invalid, %u unknown done, %u unknown refused) over %"
      G_GUINT64_FORMAT " rounds (%u initialized), %u rewards, %u tickets "
      "redeemed; max model - ledger: stake %.6f wei, fees %.6f wei; %.1f s\n",
      seed, ops, sc->n_ok, sc->n_refused_expected, sc->n_unknown_ok,
      sc->n_unknown_refused, sc->round, sc->n_rounds_init, sc->n_rewards,
      sc->n_tickets, sc->max_stake_diff, sc->max_fee_diff,
      (g_get_monotonic_time () - t0) / 1e6);
  g_print ("  %u evictions from the active set, %u redemptions paid from a "
      "reserve, %u paid nothing\n", sc->n_evictions, sc->n_reserve_paid,
      sc->n_zero_paid);
  if (sc->verbose || g_getenv ("LP_LEDGER_SCENARIO_KINDS")) {
    GList *keys = g_list_sort (g_hash_table_get_keys (sc->kinds),
        (GCompareFunc) g_strcmp0), *l;

    g_print ("  operation kind: valid done / invalid refused / unknown done "
        "/ unknown refused\n");
    for (l = keys; l; l = l->next) {
      guint *n = g_hash_table_lookup (sc->kinds, l->data);
      g_print ("  %-60s %5u %5u %5u %5u\n", (gchar *) l->data, n[0], n[1],
          n[2], n[3]);
    }
    g_list_free (keys);
  }
  fail_unless (sc->n_findings == 0, "seed %u: %u findings:\n%s", seed,
      sc->n_findings, sc->findings->str);
  sc_free (sc);
  g_free (sc);
}

GST_END_TEST;

static Suite *
ledger_scenario_suite (void)
{
  Suite *s = suite_create ("lpledger-scenario");
  TCase *tc = tcase_create ("general");
  gint n = g_getenv ("LP_LEDGER_SCENARIO_SEED") ? 1 :
      (gint) G_N_ELEMENTS (default_seeds);

  lp_check_make_our_logs_fatal ();
  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 110);
  tcase_add_loop_test (tc, test_scenario, 0, n);
  return s;
}

GST_CHECK_MAIN (ledger_scenario);

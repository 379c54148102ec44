/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * bench-ledger: the embedded (SQLite) ledger under a network-sized load.
 *
 * Builds a fresh ledger in a temporary directory with ORCHESTRATORS
 * registered orchestrators (all active) and DELEGATORS delegators spread
 * over them (delegator i bonds to orchestrator i mod ORCHESTRATORS), then
 * measures, single-threaded, one ledger operation per call as a client
 * sees it (each is one SQLite transaction):
 *
 *   - setup: bond() per delegator (the stake-changing call's cost);
 *   - redeem: lp_ledger_redeem_winning_ticket() on TICKETS winning tickets
 *     from SENDERS senders to all the orchestrators, signed beforehand,
 *     outside the timing;
 *   - reward: reward() for every orchestrator in one round, for ROUNDS
 *     rounds (with each round's initialize_round());
 *   - claim: claim_earnings() for CLAIMS delegators after those rounds.
 *
 *   bench-ledger [--orchestrators N] [--delegators N] [--tickets N]
 *       [--senders N] [--rounds N] [--claims N] [--keep]
 *
 * Prints a table (operations, total seconds, per call, per second) and a
 * one-line summary.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "lptest.h"

static gint opt_orchestrators = 100;
static gint opt_delegators = 10000;
static gint opt_tickets = 5000;
static gint opt_senders = 4;
static gint opt_rounds = 3;
static gint opt_claims = -1;
static gboolean opt_keep = FALSE;

static GOptionEntry entries[] = {
  {"orchestrators", 'o', 0, G_OPTION_ARG_INT, &opt_orchestrators,
      "Registered orchestrators, all active (default 100)", "N"},
  {"delegators", 'd', 0, G_OPTION_ARG_INT, &opt_delegators,
      "Delegators spread over the orchestrators (default 10000)", "N"},
  {"tickets", 't', 0, G_OPTION_ARG_INT, &opt_tickets,
      "Winning tickets to redeem (default 5000)", "N"},
  {"senders", 's', 0, G_OPTION_ARG_INT, &opt_senders,
      "Senders the tickets come from (default 4)", "N"},
  {"rounds", 'r', 0, G_OPTION_ARG_INT, &opt_rounds,
      "Rounds of reward() by every orchestrator (default 3)", "N"},
  {"claims", 'c', 0, G_OPTION_ARG_INT, &opt_claims,
      "Delegators that claim_earnings() afterwards (default all; 0 skips)",
      "N"},
  {"keep", 'k', 0, G_OPTION_ARG_NONE, &opt_keep,
      "Keep the ledger file and print its path", NULL},
  {NULL}
};

typedef struct
{
  const gchar *name;
  guint64 n;
  gint64 total_us;
  gint64 min_us;
  gint64 max_us;
} Stat;

static void
stat_add (Stat * s, gint64 us)
{
  if (s->n == 0 || us < s->min_us)
    s->min_us = us;
  if (s->n == 0 || us > s->max_us)
    s->max_us = us;
  s->n++;
  s->total_us += us;
}

static void
stat_print (const Stat * s)
{
  if (s->n == 0) {
    printf ("| %-26s | %8s | %9s | %9s | %9s | %9s | %10s |\n", s->name,
        "-", "-", "-", "-", "-", "-");
    return;
  }
  printf ("| %-26s | %8" G_GUINT64_FORMAT " | %9.3f | %9.3f | %9.3f | "
      "%9.3f | %10.1f |\n", s->name, s->n, s->total_us / 1e6,
      s->total_us / 1e3 / s->n, s->min_us / 1e3, s->max_us / 1e3,
      s->n / (s->total_us / 1e6));
}

static gdouble
stat_rate (const Stat * s)
{
  return s->n && s->total_us ? s->n / (s->total_us / 1e6) : 0;
}

static void
make_address (guint8 kind, guint32 index, LpAddress * address)
{
  memset (address, 0, sizeof (*address));
  address->bytes[0] = kind;
  address->bytes[16] = index >> 24;
  address->bytes[17] = index >> 16;
  address->bytes[18] = index >> 8;
  address->bytes[19] = index;
}

static void
u256 (const gchar * text, LpUint256 * value)
{
  GError *error = NULL;

  if (!lp_uint256_parse (text, value, &error))
    lp_test_die (text, error);
}

static void
genesis_add (LpLedgerGenesis * genesis, const LpAddress * address,
    const gchar * lpt, const gchar * eth)
{
  GError *error = NULL;

  if (!lp_test_genesis_add (genesis, address, lpt, eth, &error))
    lp_test_die ("genesis", error);
}

static guint64
current_round (LpLedger * ledger)
{
  LpLedgerStatus status;
  GError *error = NULL;

  if (!lp_ledger_get_status (ledger, &status, &error))
    lp_test_die ("status", error);
  return status.round;
}

static void
next_round (LpLedger * ledger, guint64 round_length, Stat * init)
{
  GError *error = NULL;
  gint64 t;

  if (!lp_ledger_advance (ledger, round_length, &error))
    lp_test_die ("advance", error);
  t = g_get_monotonic_time ();
  if (!lp_ledger_initialize_round (ledger, &error))
    lp_test_die ("initialize_round", error);
  if (init)
    stat_add (init, g_get_monotonic_time () - t);
}

static goffset
file_size (const gchar * path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size : 0;
}

int
main (int argc, char **argv)
{
  GOptionContext *context;
  GError *error = NULL;
  LpLedgerGenesis *genesis;
  LpLedger *ledger;
  LpAddress *orchs, *delegs;
  LpPrivateKey **keys;
  LpWinningTicket *tickets;
  guint8 block_hash[LP_KECCAK256_SIZE];
  LpUint256 self_bond, deleg_bond, face, deposit, reserve, paid_total;
  Stat s_register = { "register (bond+transcoder)" };
  Stat s_bond = { "bond (delegator)" };
  Stat s_redeem = { "redeem winning ticket" };
  Stat s_init = { "initialize_round" };
  Stat s_reward = { "reward" };
  Stat s_claim = { "claim_earnings" };
  gint64 *round_us;
  gchar *dir, *path, *text, *wal;
  guint64 round_length, round;
  gint i, r;
  gint64 t, t_sign;

  g_set_prgname ("bench-ledger");
  context = g_option_context_new ("- benchmark the embedded ledger");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    lp_test_die ("options", error);
  g_option_context_free (context);
  if (opt_orchestrators < 1 || opt_delegators < 0 || opt_tickets < 0
      || opt_senders < 1 || opt_rounds < 1)
    lp_test_die ("need at least one orchestrator, one sender and one round; "
        "counts cannot be negative", NULL);
  if (opt_claims < 0 || opt_claims > opt_delegators)
    opt_claims = opt_delegators;

  dir = g_dir_make_tmp ("bench-ledger-XXXXXX", &error);
  if (dir == NULL)
    lp_test_die ("temporary directory", error);
  path = g_build_filename (dir, "ledger.db", NULL);

  /* genesis: every account funded, blocks only move by hand */
  genesis = lp_ledger_genesis_new ();
  lp_ledger_params_init_devnet (&genesis->params);
  genesis->params.block_time_ms = 0;
  genesis->params.fee_asset = LP_FEE_ASSET_ETH;
  genesis->params.num_active = MAX (opt_orchestrators, 1);
  round_length = genesis->params.round_length;

  orchs = g_new0 (LpAddress, opt_orchestrators);
  delegs = g_new0 (LpAddress, MAX (opt_delegators, 1));
  keys = g_new0 (LpPrivateKey *, opt_senders);
  for (i = 0; i < opt_orchestrators; i++) {
    make_address (0x0a, i + 1, &orchs[i]);
    genesis_add (genesis, &orchs[i], "1000000e18", "0");
  }
  for (i = 0; i < opt_delegators; i++) {
    make_address (0xde, i + 1, &delegs[i]);
    genesis_add (genesis, &delegs[i], "10000e18", "0");
  }
  for (i = 0; i < opt_senders; i++) {
    keys[i] = lp_private_key_generate (&error);
    if (keys[i] == NULL)
      lp_test_die ("sender key", error);
    genesis_add (genesis, lp_private_key_get_address (keys[i]), "0",
        "1000000e18");
  }
  /* enough bonded stake that the Minter has something to mint */
  u256 ("100000e18", &self_bond);
  u256 ("1000e18", &deleg_bond);
  u256 ("1e15", &face);

  printf ("ledger %s: %d orchestrators, %d delegators, %d senders\n", path,
      opt_orchestrators, opt_delegators, opt_senders);
  t = g_get_monotonic_time ();
  ledger = lp_ledger_create (path, genesis, &error);
  if (ledger == NULL)
    lp_test_die ("create", error);
  printf ("genesis (%u accounts): %.3f s\n", genesis->accounts->len,
      (g_get_monotonic_time () - t) / 1e6);
  lp_ledger_genesis_free (genesis);

  /* genesis may already have initialized its round */
  if (!lp_ledger_initialize_round (ledger, &error)) {
    if (!g_error_matches (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_REFUSED))
      lp_test_die ("initialize_round", error);
    g_clear_error (&error);
  }
  for (i = 0; i < opt_orchestrators; i++) {
    t = g_get_monotonic_time ();
    if (!lp_ledger_bond (ledger, &orchs[i], &orchs[i], &self_bond, &error)
        || !lp_ledger_register_orchestrator (ledger, &orchs[i], 100000,
            500000, "https://127.0.0.1:8935", &error))
      lp_test_die ("register", error);
    stat_add (&s_register, g_get_monotonic_time () - t);
  }
  for (i = 0; i < opt_delegators; i++) {
    t = g_get_monotonic_time ();
    if (!lp_ledger_bond (ledger, &delegs[i], &orchs[i % opt_orchestrators],
            &deleg_bond, &error))
      lp_test_die ("bond", error);
    stat_add (&s_bond, g_get_monotonic_time () - t);
  }
  /* the next round: everyone active */
  next_round (ledger, round_length, &s_init);
  round = current_round (ledger);
  if (!lp_ledger_get_round_block_hash (ledger, round, block_hash, &error))
    lp_test_die ("round block hash", error);

  /* (a) redemptions: deposits large enough that every ticket pays in full
   * from the deposit */
  u256 ("100000e18", &deposit);
  u256 ("1000e18", &reserve);
  for (i = 0; i < opt_senders; i++)
    if (!lp_ledger_fund (ledger, lp_private_key_get_address (keys[i]),
            &deposit, &reserve, &error))
      lp_test_die ("fund", error);

  printf ("signing %d tickets...\n", opt_tickets);
  t_sign = g_get_monotonic_time ();
  tickets = g_new0 (LpWinningTicket, MAX (opt_tickets, 1));
  for (i = 0; i < opt_tickets; i++) {
    LpWinningTicket *w = &tickets[i];
    LpPrivateKey *key = keys[i % opt_senders];
    guint8 rand[32];

    w->ticket.recipient = orchs[(i / opt_senders) % opt_orchestrators];
    w->ticket.sender = *lp_private_key_get_address (key);
    w->ticket.face_value = face;
    lp_uint256_set_max (&w->ticket.win_prob);
    w->ticket.sender_nonce = (i / opt_senders) % LP_TICKET_MAX_NONCES + 1;
    if (!lp_crypto_random_bytes (rand, sizeof (rand), &error))
      lp_test_die ("random", error);
    lp_uint256_from_bytes32 (rand, &w->recipient_rand);
    lp_ticket_recipient_rand_hash (&w->recipient_rand,
        w->ticket.recipient_rand_hash);
    w->ticket.expiration_params.creation_round = round;
    memcpy (w->ticket.expiration_params.creation_round_block_hash,
        block_hash, LP_KECCAK256_SIZE);
    w->params_expiration_block = round * round_length;
    if (!lp_ticket_sign (&w->ticket, key, w->sig, &error))
      lp_test_die ("sign", error);
  }
  printf ("signed in %.3f s\n", (g_get_monotonic_time () - t_sign) / 1e6);

  lp_uint256_set_zero (&paid_total);
  for (i = 0; i < opt_tickets; i++) {
    LpRedemption red;
    LpUint256 paid;

    t = g_get_monotonic_time ();
    if (!lp_ledger_redeem_winning_ticket (ledger, &tickets[i], &red, &error))
      lp_test_die ("redeem", error);
    stat_add (&s_redeem, g_get_monotonic_time () - t);
    if (!lp_uint256_add (&red.from_deposit, &red.from_reserve, &paid, &error)
        || !lp_uint256_add (&paid_total, &paid, &paid_total, &error))
      lp_test_die ("sum", error);
    if (!lp_uint256_equal (&paid, &face))
      lp_test_die ("a ticket was not paid its face value in full", NULL);
  }

  /* (b) reward() by every orchestrator, ROUNDS rounds */
  round_us = g_new0 (gint64, opt_rounds);
  for (r = 0; r < opt_rounds; r++) {
    if (r > 0)
      next_round (ledger, round_length, &s_init);
    for (i = 0; i < opt_orchestrators; i++) {
      LpUint256 minted;
      gint64 us;

      t = g_get_monotonic_time ();
      if (!lp_ledger_reward (ledger, &orchs[i], &minted, &error))
        lp_test_die ("reward", error);
      us = g_get_monotonic_time () - t;
      stat_add (&s_reward, us);
      round_us[r] += us;
    }
  }
  /* one more round, so the last rewards are claimable history */
  next_round (ledger, round_length, &s_init);

  /* (c) claim_earnings over the delegators */
  for (i = 0; i < opt_claims; i++) {
    t = g_get_monotonic_time ();
    if (!lp_ledger_claim_earnings (ledger, &delegs[i], &error))
      lp_test_die ("claim_earnings", error);
    stat_add (&s_claim, g_get_monotonic_time () - t);
  }

  /* the books still balance */
  {
    GString *report = g_string_new (NULL);

    t = g_get_monotonic_time ();
    if (!lp_ledger_audit (ledger, report, &error))
      lp_test_die ("audit", error);
    printf ("audit: passed in %.3f s\n", (g_get_monotonic_time () - t) / 1e6);
    g_string_free (report, TRUE);
  }

  printf ("\n| %-26s | %8s | %9s | %9s | %9s | %9s | %10s |\n", "operation",
      "calls", "total s", "ms/call", "min ms", "max ms", "calls/s");
  printf ("| %-26s | %8s | %9s | %9s | %9s | %9s | %10s |\n",
      "--------------------------", "--------", "---------", "---------",
      "---------", "---------", "----------");
  stat_print (&s_register);
  stat_print (&s_bond);
  stat_print (&s_redeem);
  stat_print (&s_init);
  stat_print (&s_reward);
  stat_print (&s_claim);
  printf ("\n");
  for (r = 0; r < opt_rounds; r++)
    printf ("reward() x %d in round %d: %.3f s\n", opt_orchestrators, r + 1,
        round_us[r] / 1e6);
  text = lp_uint256_to_string (&paid_total);
  wal = g_strconcat (path, "-wal", NULL);
  printf ("paid out: %s wei in %d tickets; ledger file %.1f MiB "
      "(+ WAL %.1f MiB)\n", text, opt_tickets,
      file_size (path) / 1048576.0, file_size (wal) / 1048576.0);
  g_free (wal);
  g_free (text);

  printf ("\nsummary: %d orchestrators, %d delegators: %.0f redemptions/s, "
      "reward() for all orchestrators %.3f s per round (%.2f ms per call), "
      "%.0f claim_earnings/s, %.0f bonds/s\n", opt_orchestrators,
      opt_delegators, stat_rate (&s_redeem),
      s_reward.total_us / 1e6 / opt_rounds,
      s_reward.n ? s_reward.total_us / 1e3 / s_reward.n : 0.0,
      stat_rate (&s_claim), stat_rate (&s_bond));

  g_object_unref (ledger);
  if (opt_keep) {
    printf ("kept %s\n", path);
  } else {
    const gchar *suffix[] = { "", "-wal", "-shm", "-journal" };

    for (i = 0; i < (gint) G_N_ELEMENTS (suffix); i++) {
      gchar *p = g_strconcat (path, suffix[i], NULL);

      g_unlink (p);
      g_free (p);
    }
    g_rmdir (dir);
  }
  for (i = 0; i < opt_senders; i++)
    lp_private_key_unref (keys[i]);
  g_free (keys);
  g_free (tickets);
  g_free (round_us);
  g_free (orchs);
  g_free (delegs);
  g_free (path);
  g_free (dir);
  return 0;
}

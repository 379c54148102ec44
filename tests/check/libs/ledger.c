/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of the embedded ledger: docs/design/ledger.md's worked example
 * to the wei, URIs and genesis, the TicketBroker's checks in their order
 * and its reserve, unbonding and withdrawal, the active set, fees (also
 * with an estimated reward factor), governance (override, quorum,
 * execution changing a rule), the treasury and slashing.
 * Every test ends with lp_ledger_audit().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <glib/gstdio.h>
#include <string.h>

#include "lpcheck.h"
#include <gst/livepeer/lpledger.h>
#include <sqlite3.h>

static gchar *tmpdir;

static void
setup (void)
{
  tmpdir = g_dir_make_tmp ("lp-ledger-XXXXXX", NULL);
  fail_unless (tmpdir != NULL);
}

static void
teardown (void)
{
  lp_check_remove_tree (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
}

static void
u256 (LpUint256 * value, const gchar * text)
{
  fail_unless (lp_uint256_parse (text, value, NULL), "%s", text);
}

static void
address_n (LpAddress * address, guint n)
{
  memset (address, 0, sizeof (*address));
  address->bytes[0] = 0xa0;
  address->bytes[19] = (guint8) n;
}

static void
add_account (LpLedgerGenesis * genesis, const LpAddress * address,
    const gchar * lpt, const gchar * eth)
{
  LpGenesisAccount account;

  account.address = *address;
  u256 (&account.lpt, lpt);
  u256 (&account.eth, eth);
  g_array_append_val (genesis->accounts, account);
}

static LpLedger *
create (LpLedgerGenesis * genesis)
{
  gchar *path = g_build_filename (tmpdir, "devnet.db", NULL);
  GError *error = NULL;
  LpLedger *ledger = lp_ledger_create (path, genesis, &error);

  fail_unless (ledger != NULL, "%s", error ? error->message : "");
  g_free (path);
  return ledger;
}

static void
assert_audit (LpLedger * ledger)
{
  GString *report = g_string_new (NULL);
  GError *error = NULL;
  gboolean holds = lp_ledger_audit (ledger, report, &error);

  fail_unless (error == NULL, "%s", error ? error->message : "");
  fail_unless (holds, "audit failed:\n%s", report->str);
  g_string_free (report, TRUE);
}

/* The error goes by address: C evaluates arguments in no fixed order, so
 * the call's result and its error must be read after the call. */
static void
assert_ok (gboolean ok, GError ** error)
{
  fail_unless (ok, "%s", *error ? (*error)->message : "(no error)");
}

/* Refused by a rule whose message contains @words. */
static void
assert_refused (gboolean ok, GError ** error, const gchar * words)
{
  fail_if (ok, "expected a refusal mentioning \"%s\"", words);
  fail_unless (g_error_matches (*error, LP_LEDGER_ERROR,
          LP_LEDGER_ERROR_REFUSED), "%s", *error ? (*error)->message : "");
  fail_unless (strstr ((*error)->message, words) != NULL,
      "\"%s\" does not mention \"%s\"", (*error)->message, words);
  g_clear_error (error);
}

/* A replayed redemption: its own code, which a redemption worker treats as
 * final. */
static void
assert_ticket_used (gboolean ok, GError ** error)
{
  fail_if (ok, "a redeemed ticket was redeemed again");
  fail_unless (g_error_matches (*error, LP_LEDGER_ERROR,
          LP_LEDGER_ERROR_TICKET_USED), "%s", *error ? (*error)->message : "");
  fail_unless (strstr ((*error)->message, "already used") != NULL, "%s",
      (*error)->message);
  g_clear_error (error);
}

static void
next_round (LpLedger * ledger)
{
  LpLedgerStatus status;
  GError *error = NULL;

  assert_ok (lp_ledger_get_status (ledger, &status, &error), &error);
  assert_ok (lp_ledger_advance (ledger, status.params.round_length -
          status.block % status.params.round_length, &error), &error);
  assert_ok (lp_ledger_initialize_round (ledger, &error), &error);
}

static void
bond (LpLedger * ledger, const LpAddress * from, const LpAddress * to,
    const gchar * amount)
{
  LpUint256 value;
  GError *error = NULL;

  u256 (&value, amount);
  assert_ok (lp_ledger_bond (ledger, from, to, &value, &error), &error);
}

static void
self_register (LpLedger * ledger, const LpAddress * orchestrator,
    const gchar * stake, guint64 reward_cut, guint64 fee_share)
{
  GError *error = NULL;

  bond (ledger, orchestrator, orchestrator, stake);
  assert_ok (lp_ledger_register_orchestrator (ledger, orchestrator,
          reward_cut, fee_share, "https://127.0.0.1:8935", &error), &error);
}

/* docs/design/ledger.md's worked example: supply 10 000 000 LPT, 4 000 000
 * active; O: 200 000 self + 800 000 from D, cut 10 %, share 50 %. Genesis
 * sets inflation 999 500 so that round 0's initialization (bonding rate 0)
 * brings it to the example's 1 000 000. @payer, if not NULL, holds 10 ETH
 * from genesis. */
static LpLedger *
worked_example_paying (LpAddress * o, LpAddress * d, LpAddress * other,
    const LpAddress * payer)
{
  LpLedgerGenesis *genesis = lp_ledger_genesis_new ();
  LpLedger *ledger;

  address_n (o, 1);
  address_n (d, 2);
  address_n (other, 3);
  genesis->params.block_time_ms = 0;
  genesis->params.round_length = 10;
  genesis->params.inflation = 999500;
  genesis->params.inflation_change = 500;
  genesis->params.target_bonding_rate = 500000000;
  lp_uint256_set_zero (&genesis->params.treasury_cut);
  add_account (genesis, o, "200000e18", "0");
  add_account (genesis, d, "800000e18", "0");
  add_account (genesis, other, "9000000e18", "0");
  if (payer != NULL)
    add_account (genesis, payer, "0", "10e18");
  ledger = create (genesis);
  lp_ledger_genesis_free (genesis);

  self_register (ledger, o, "200000e18", 100000, 500000);
  self_register (ledger, other, "3000000e18", 0, 0);
  bond (ledger, d, o, "800000e18");
  next_round (ledger);
  return ledger;
}

static LpLedger *
worked_example (LpAddress * o, LpAddress * d, LpAddress * other)
{
  return worked_example_paying (o, d, other, NULL);
}

GST_START_TEST (test_worked_example)
{
  LpAddress o, d, other;
  LpLedger *ledger = worked_example (&o, &d, &other);
  LpLedgerStatus status;
  LpAccountInfo info;
  LpUint256 minted;
  GError *error = NULL;

  assert_ok (lp_ledger_get_status (ledger, &status, &error), &error);
  fail_unless_equals_uint64 (status.round, 1);
  fail_unless_equals_uint64 (status.params.inflation, 1000500);
  lp_check_assert_u256 (&status.current_round_total_active_stake,
      "4000000000000000000000000");
  lp_check_assert_u256 (&status.mintable, "10005000000000000000000");

  assert_ok (lp_ledger_reward (ledger, &o, &minted, &error), &error);
  lp_check_assert_u256 (&minted, "2501250000000000000000");

  assert_ok (lp_ledger_get_account (ledger, &d, &info, &error), &error);
  lp_check_assert_u256 (&info.pending_stake, "801800900000000000000000");
  lp_check_assert_u256 (&info.bonded, "800000000000000000000000");
  lp_account_info_clear (&info);
  assert_ok (lp_ledger_get_account (ledger, &o, &info, &error), &error);
  lp_check_assert_u256 (&info.pending_stake, "200700350000000000000000");
  lp_check_assert_u256 (&info.delegated, "1002501250000000000000000");
  lp_account_info_clear (&info);

  assert_audit (ledger);
  /* claiming moves the pending stake into the bond, exactly */
  assert_ok (lp_ledger_claim_earnings (ledger, &d, &error), &error);
  assert_ok (lp_ledger_get_account (ledger, &d, &info, &error), &error);
  lp_check_assert_u256 (&info.bonded, "801800900000000000000000");
  fail_unless_equals_uint64 (info.last_claim_round, 1);
  lp_account_info_clear (&info);

  /* once per round */
  assert_refused (lp_ledger_reward (ledger, &o, NULL, &error), &error,
      "already called reward");
  assert_audit (ledger);
  g_object_unref (ledger);
}

GST_END_TEST;

GST_START_TEST (test_uris)
{
  GError *error = NULL;
  gchar *path = g_build_filename (tmpdir, "missing.db", NULL);
  gchar *uri;
  LpLedger *ledger;

  /* a chain URI is checked before any request: its controller is
   * required, its parameters known; a chain is never created here */
  fail_if (lp_ledger_open ("http://127.0.0.1:8545", &error));
  fail_unless (g_error_matches (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_URI));
  fail_unless (strstr (error->message, "controller=") != NULL);
  g_clear_error (&error);
  fail_if (lp_ledger_open ("http://127.0.0.1:8545/?controller="
          "0xd8e8328501e9645d16cf49539efc04f734606ee4&max-fee=1", &error));
  fail_unless (g_error_matches (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_URI));
  fail_unless (strstr (error->message, "unknown parameter \"max-fee\"")
      != NULL);
  g_clear_error (&error);
  fail_if (lp_ledger_create ("https://127.0.0.1:8545/?controller="
          "0xd8e8328501e9645d16cf49539efc04f734606ee4", NULL, &error));
  fail_unless (g_error_matches (error, LP_LEDGER_ERROR,
          LP_LEDGER_ERROR_UNSUPPORTED));
  fail_unless (strstr (error->message, "chain-devnet.sh") != NULL);
  g_clear_error (&error);
  fail_if (lp_ledger_open ("ftp://x/y", &error));
  fail_unless (g_error_matches (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_URI));
  g_clear_error (&error);
  fail_if (lp_ledger_open (path, &error));
  fail_unless (g_error_matches (error, LP_LEDGER_ERROR,
          LP_LEDGER_ERROR_NOT_INITIALIZED));
  g_clear_error (&error);

  uri = g_strconcat ("sqlite://", path, NULL);
  ledger = lp_ledger_create (uri, NULL, &error);
  assert_ok (ledger != NULL, &error);
  g_object_unref (ledger);
  fail_if (lp_ledger_create (path, NULL, &error));
  fail_unless (g_error_matches (error, LP_LEDGER_ERROR,
          LP_LEDGER_ERROR_EXISTS));
  g_clear_error (&error);
  ledger = lp_ledger_open (path, &error);
  assert_ok (ledger != NULL, &error);
  assert_audit (ledger);
  g_object_unref (ledger);
  g_free (uri);
  g_free (path);
}

GST_END_TEST;

GST_START_TEST (test_genesis_json)
{
  GError *error = NULL;
  LpLedgerGenesis *genesis = lp_ledger_genesis_from_json ("{\"params\": "
      "{\"round-length\": 5, \"fee-asset\": \"lpt\", \"treasury-cut\": "
      "\"0\", \"slashing\": true}, \"accounts\": [{\"address\": "
      "\"0x00000000000000000000000000000000000000aa\", \"lpt\": "
      "\"1000e18\", \"eth\": 7}]}", &error);

  assert_ok (genesis != NULL, &error);
  fail_unless_equals_uint64 (genesis->params.round_length, 5);
  fail_unless (genesis->params.fee_asset == LP_FEE_ASSET_LPT);
  fail_unless (genesis->params.slashing_enabled);
  fail_unless_equals_int (genesis->accounts->len, 1);
  lp_check_assert_u256 (&g_array_index (genesis->accounts, LpGenesisAccount,
          0).lpt, "1000000000000000000000");
  lp_ledger_genesis_free (genesis);

  fail_if (lp_ledger_genesis_from_json ("{\"params\": {\"round-lenght\": 5}}",
          &error));
  fail_unless (strstr (error->message, "round-lenght") != NULL);
  g_clear_error (&error);
  fail_if (lp_ledger_genesis_from_json ("{\"params\": {\"quorum\": "
          "2000000}}", &error));
  g_clear_error (&error);
  fail_if (lp_ledger_genesis_from_json ("[1]", &error));
  g_clear_error (&error);
}

GST_END_TEST;

/* ---- tickets ------------------------------------------------------------ */

typedef struct
{
  LpLedger *ledger;
  LpPrivateKey *sender_key;
  LpAddress sender;
  LpAddress orchestrator;
  LpAddress other;
  guint32 nonce;
} TicketWorld;

static void
ticket_world_init (TicketWorld * w, guint64 num_active)
{
  LpLedgerGenesis *genesis = lp_ledger_genesis_new ();
  GError *error = NULL;
  LpUint256 deposit, reserve;

  u256 (&deposit, "1e18");
  u256 (&reserve, "3e18");
  w->sender_key = lp_private_key_generate (&error);
  assert_ok (w->sender_key != NULL, &error);
  w->sender = *lp_private_key_get_address (w->sender_key);
  address_n (&w->orchestrator, 10);
  address_n (&w->other, 11);
  w->nonce = 0;
  genesis->params.block_time_ms = 0;
  genesis->params.round_length = 10;
  genesis->params.num_active = num_active;
  add_account (genesis, &w->sender, "0", "10e18");
  add_account (genesis, &w->orchestrator, "1000e18", "0");
  add_account (genesis, &w->other, "1000e18", "0");
  w->ledger = create (genesis);
  lp_ledger_genesis_free (genesis);
  self_register (w->ledger, &w->orchestrator, "500e18", 100000, 250000);
  self_register (w->ledger, &w->other, "400e18", 0, 0);
  next_round (w->ledger);
  assert_ok (lp_ledger_fund (w->ledger, &w->sender, &deposit, &reserve,
          &error), &error);
}

static void
ticket_world_clear (TicketWorld * w)
{
  assert_audit (w->ledger);
  g_object_unref (w->ledger);
  lp_private_key_unref (w->sender_key);
}

static void
make_winner (TicketWorld * w, const LpAddress * recipient,
    const gchar * face_value, LpWinningTicket * winner)
{
  LpLedgerStatus status;
  GError *error = NULL;
  LpTicket *t = &winner->ticket;

  memset (winner, 0, sizeof (*winner));
  assert_ok (lp_ledger_get_status (w->ledger, &status, &error), &error);
  t->recipient = *recipient;
  t->sender = w->sender;
  u256 (&t->face_value, face_value);
  lp_uint256_set_max (&t->win_prob);
  t->sender_nonce = ++w->nonce;
  lp_uint256_from_uint64 (0x5eed0000 + w->nonce, &winner->recipient_rand);
  lp_ticket_recipient_rand_hash (&winner->recipient_rand,
      t->recipient_rand_hash);
  t->expiration_params.creation_round = status.round;
  assert_ok (lp_ledger_get_round_block_hash (w->ledger, status.round,
          t->expiration_params.creation_round_block_hash, &error), &error);
  assert_ok (lp_ticket_sign (t, w->sender_key, winner->sig, &error), &error);
}

static gboolean
redeem (TicketWorld * w, const LpWinningTicket * winner,
    LpRedemption * redemption, GError ** error)
{
  return lp_ledger_redeem_winning_ticket (w->ledger, winner, redemption,
      error);
}

GST_START_TEST (test_ticket_checks_in_order)
{
  TicketWorld w;
  LpWinningTicket winner, bad;
  LpRedemption redemption;
  LpAccountInfo info;
  GError *error = NULL;
  GArray *tickets;

  ticket_world_init (&w, 10);
  make_winner (&w, &w.orchestrator, "4e17", &winner);

  bad = winner;
  memset (&bad.ticket.recipient, 0, sizeof (LpAddress));
  assert_refused (redeem (&w, &bad, NULL, &error), &error,
      "recipient is the zero address");
  bad = winner;
  bad.ticket.expiration_params.creation_round_block_hash[0] ^= 1;
  assert_refused (redeem (&w, &bad, NULL, &error), &error, "block hash");
  bad = winner;
  bad.ticket.expiration_params.creation_round = 99;
  assert_refused (redeem (&w, &bad, NULL, &error), &error, "no block hash");
  bad = winner;
  lp_uint256_from_uint64 (1, &bad.recipient_rand);
  assert_refused (redeem (&w, &bad, NULL, &error), &error, "recipientRand");
  bad = winner;
  bad.sig[10] ^= 0x40;
  assert_refused (redeem (&w, &bad, NULL, &error), &error, "signature");

  assert_ok (redeem (&w, &winner, &redemption, &error), &error);
  lp_check_assert_u256 (&redemption.from_deposit, "400000000000000000");
  lp_check_assert_u256 (&redemption.from_reserve, "0");
  assert_ticket_used (redeem (&w, &winner, NULL, &error), &error);

  tickets = lp_ledger_list_redeemed_tickets (w.ledger, &w.orchestrator,
      &error);
  assert_ok (tickets != NULL, &error);
  fail_unless_equals_int (tickets->len, 1);
  lp_check_assert_u256 (&g_array_index (tickets, LpRedeemedTicket, 0).paid,
      "400000000000000000");
  g_array_unref (tickets);

  /* fees: 25 % fee share of 0.4 ETH to the pool, the rest to O */
  assert_ok (lp_ledger_get_account (w.ledger, &w.orchestrator, &info, &error),
      &error);
  lp_check_assert_u256 (&info.pending_fees, "400000000000000000");
  lp_account_info_clear (&info);

  /* a losing ticket: winProb 0 */
  make_winner (&w, &w.orchestrator, "1e17", &bad);
  lp_uint256_set_zero (&bad.ticket.win_prob);
  assert_ok (lp_ticket_sign (&bad.ticket, w.sender_key, bad.sig, &error),
      &error);
  assert_refused (redeem (&w, &bad, NULL, &error), &error, "did not win");

  /* expired: valid 2 rounds */
  next_round (w.ledger);
  next_round (w.ledger);
  assert_refused (redeem (&w, &bad, NULL, &error), &error, "expired");
  ticket_world_clear (&w);
}

GST_END_TEST;

GST_START_TEST (test_reserve_allocation)
{
  TicketWorld w;
  LpWinningTicket winner;
  LpRedemption redemption;
  LpSenderInfo sender;
  GError *error = NULL;

  ticket_world_init (&w, 10);
  /* 1 ETH deposit, 3 ETH reserve, 2 active orchestrators: 1.5 ETH each */
  make_winner (&w, &w.orchestrator, "2e18", &winner);
  assert_ok (redeem (&w, &winner, &redemption, &error), &error);
  lp_check_assert_u256 (&redemption.from_deposit, "1000000000000000000");
  lp_check_assert_u256 (&redemption.from_reserve, "1000000000000000000");
  make_winner (&w, &w.orchestrator, "2e18", &winner);
  assert_ok (redeem (&w, &winner, &redemption, &error), &error);
  lp_check_assert_u256 (&redemption.from_deposit, "0");
  lp_check_assert_u256 (&redemption.from_reserve, "500000000000000000");
  /* nothing left for it this round, but the ticket is used */
  make_winner (&w, &w.orchestrator, "2e18", &winner);
  assert_ok (redeem (&w, &winner, &redemption, &error), &error);
  lp_check_assert_u256 (&redemption.from_reserve, "0");
  assert_ticket_used (redeem (&w, &winner, NULL, &error), &error);
  /* the other orchestrator still has its 1.5 ETH */
  make_winner (&w, &w.other, "2e18", &winner);
  assert_ok (redeem (&w, &winner, &redemption, &error), &error);
  lp_check_assert_u256 (&redemption.from_reserve, "1500000000000000000");
  assert_ok (lp_ledger_get_sender_info (w.ledger, &w.sender, &sender,
          &error), &error);
  lp_check_assert_u256 (&sender.deposit, "0");
  lp_check_assert_u256 (&sender.reserve, "0");
  ticket_world_clear (&w);
}

GST_END_TEST;

/* claimableReserve() is (remaining + claimed this round) / pool size -
 * claimed by the recipient this round; when the pool grows after the
 * recipient took its share, that subtraction underflows and the contract
 * reverts the whole redemption: the ticket stays unused and can be redeemed
 * next round. */
GST_START_TEST (test_reserve_share_shrinks)
{
  TicketWorld w;
  LpWinningTicket winner;
  LpRedemption redemption;
  LpAddress third;
  LpUint256 amount;
  GError *error = NULL;

  address_n (&third, 31);
  u256 (&amount, "100e18");
  ticket_world_init (&w, 10);
  /* 1 ETH deposit + O's whole share of the 3 ETH reserve (2 in the pool) */
  make_winner (&w, &w.orchestrator, "25e17", &winner);
  assert_ok (redeem (&w, &winner, &redemption, &error), &error);
  lp_check_assert_u256 (&redemption.from_reserve, "1500000000000000000");
  /* a third member: (1.5 + 1.5) / 3 = 1 ETH is less than the 1.5 taken */
  assert_ok (lp_ledger_transfer (w.ledger, &w.other, &third, &amount,
          &error), &error);
  self_register (w.ledger, &third, "100e18", 0, 0);
  make_winner (&w, &w.orchestrator, "1e17", &winner);
  assert_refused (redeem (&w, &winner, NULL, &error), &error,
      "already took more");
  /* not used: next round O's share is 1.5 / 3 = 0.5 ETH */
  next_round (w.ledger);
  assert_ok (redeem (&w, &winner, &redemption, &error), &error);
  lp_check_assert_u256 (&redemption.from_reserve, "100000000000000000");
  ticket_world_clear (&w);
}

GST_END_TEST;

GST_START_TEST (test_unlock_and_withdraw)
{
  TicketWorld w;
  LpWinningTicket winner;
  LpAccountInfo info;
  LpUint256 more;
  GError *error = NULL;

  u256 (&more, "1e17");
  ticket_world_init (&w, 10);
  assert_refused (lp_ledger_withdraw (w.ledger, &w.sender, &error), &error,
      "unlock first");
  assert_ok (lp_ledger_unlock (w.ledger, &w.sender, &error), &error);
  assert_refused (lp_ledger_unlock (w.ledger, &w.sender, &error), &error,
      "already unlocking");
  assert_refused (lp_ledger_withdraw (w.ledger, &w.sender, &error), &error,
      "locked until round 3");
  /* funding cancels the unlock */
  assert_ok (lp_ledger_fund (w.ledger, &w.sender, &more, NULL, &error),
      &error);
  assert_refused (lp_ledger_cancel_unlock (w.ledger, &w.sender, &error),
      &error, "not unlocking");
  assert_ok (lp_ledger_unlock (w.ledger, &w.sender, &error), &error);
  next_round (w.ledger);
  next_round (w.ledger);
  /* unlocked: its tickets are no longer redeemable */
  make_winner (&w, &w.orchestrator, "1e17", &winner);
  assert_refused (redeem (&w, &winner, NULL, &error), &error, "is unlocked");
  assert_ok (lp_ledger_withdraw (w.ledger, &w.sender, &error), &error);
  assert_ok (lp_ledger_get_account (w.ledger, &w.sender, &info, &error),
      &error);
  lp_check_assert_u256 (&info.eth, "10000000000000000000");
  lp_check_assert_u256 (&info.deposit, "0");
  /* TicketBroker.withdraw() leaves the withdraw round as it was, so the
   * unlock can still be cancelled */
  fail_unless_equals_uint64 (info.withdraw_round, 3);
  lp_account_info_clear (&info);
  assert_refused (lp_ledger_withdraw (w.ledger, &w.sender, &error), &error,
      "neither deposit nor reserve");
  assert_ok (lp_ledger_cancel_unlock (w.ledger, &w.sender, &error), &error);
  ticket_world_clear (&w);
}

GST_END_TEST;

/* ---- bonding ------------------------------------------------------------ */

GST_START_TEST (test_unbond_rebond_withdraw)
{
  TicketWorld w;
  LpAddress delegator;
  LpUint256 amount, part;
  LpAccountInfo info;
  guint64 lock = 99;
  GError *error = NULL;

  address_n (&delegator, 20);
  u256 (&amount, "100e18");
  u256 (&part, "40e18");
  ticket_world_init (&w, 10);
  assert_ok (lp_ledger_transfer (w.ledger, &w.other, &delegator, &amount,
          &error), &error);
  bond (w.ledger, &delegator, &w.orchestrator, "100e18");
  assert_refused (lp_ledger_unbond (w.ledger, &delegator, &part, NULL,
          &error), &error, "not bonded yet");
  next_round (w.ledger);
  assert_ok (lp_ledger_unbond (w.ledger, &delegator, &part, &lock, &error),
      &error);
  fail_unless_equals_uint64 (lock, 0);
  assert_refused (lp_ledger_withdraw_stake (w.ledger, &delegator, 0, &error),
      &error, "not withdrawable before round 9");
  assert_refused (lp_ledger_withdraw_stake (w.ledger, &delegator, 5, &error),
      &error, "no unbonding lock 5");
  /* rebond the lock, unbond everything, then rebond from unbonded to the
   * other orchestrator */
  assert_ok (lp_ledger_rebond (w.ledger, &delegator, NULL, 0, &error), &error);
  assert_ok (lp_ledger_unbond (w.ledger, &delegator, &amount, &lock, &error),
      &error);
  fail_unless_equals_uint64 (lock, 1);
  assert_ok (lp_ledger_get_account (w.ledger, &delegator, &info, &error),
      &error);
  fail_unless (info.status == LP_DELEGATOR_UNBONDED);
  fail_unless (lp_address_is_zero (&info.delegate));
  lp_account_info_clear (&info);
  assert_refused (lp_ledger_rebond (w.ledger, &delegator, NULL, 1, &error),
      &error, "name the orchestrator");
  assert_ok (lp_ledger_rebond (w.ledger, &delegator, &w.other, 1, &error),
      &error);
  assert_ok (lp_ledger_get_account (w.ledger, &delegator, &info, &error),
      &error);
  fail_unless (info.status == LP_DELEGATOR_PENDING);
  fail_unless (lp_address_equal (&info.delegate, &w.other));
  lp_account_info_clear (&info);
  next_round (w.ledger);
  assert_ok (lp_ledger_unbond (w.ledger, &delegator, &part, &lock, &error),
      &error);
  for (guint i = 0; i < 7; i++)
    next_round (w.ledger);
  assert_ok (lp_ledger_withdraw_stake (w.ledger, &delegator, lock, &error),
      &error);
  assert_ok (lp_ledger_get_account (w.ledger, &delegator, &info, &error),
      &error);
  lp_check_assert_u256 (&info.lpt, "40000000000000000000");
  lp_account_info_clear (&info);
  /* an orchestrator cannot delegate away its self-bond */
  assert_refused (lp_ledger_bond (w.ledger, &w.orchestrator, &w.other, &part,
          &error), &error, "cannot delegate");
  ticket_world_clear (&w);
}

GST_END_TEST;

GST_START_TEST (test_active_set)
{
  TicketWorld w;
  LpAddress third;
  LpUint256 amount;
  LpLedgerOrchestrator info;
  GArray *active;
  GError *error = NULL;

  address_n (&third, 30);
  u256 (&amount, "600e18");
  /* room for two: a third with more stake evicts the smallest from the
   * next round on */
  ticket_world_init (&w, 2);
  assert_ok (lp_ledger_transfer (w.ledger, &w.other, &third, &amount,
          &error), &error);
  self_register (w.ledger, &third, "450e18", 0, 0);
  assert_ok (lp_ledger_get_orchestrator (w.ledger, &w.other, &info, &error),
      &error);
  fail_unless (info.active);
  fail_if (info.in_pool);
  lp_ledger_orchestrator_clear (&info);
  next_round (w.ledger);
  active = lp_ledger_list_orchestrators (w.ledger, TRUE, &error);
  assert_ok (active != NULL, &error);
  fail_unless_equals_int (active->len, 2);
  fail_unless (lp_address_equal (&g_array_index (active, LpLedgerOrchestrator,
              0).address, &w.orchestrator));
  fail_unless (lp_address_equal (&g_array_index (active, LpLedgerOrchestrator,
              1).address, &third));
  g_array_unref (active);
  assert_refused (lp_ledger_reward (w.ledger, &w.other, NULL, &error), &error,
      "not an active orchestrator");
  ticket_world_clear (&w);
}

GST_END_TEST;

GST_START_TEST (test_round_lock)
{
  TicketWorld w;
  GError *error = NULL;

  ticket_world_init (&w, 10);
  /* round length 10, the last 10 % (1 block) locked */
  assert_ok (lp_ledger_advance (w.ledger, 9, &error), &error);
  assert_refused (lp_ledger_register_orchestrator (w.ledger, &w.other, 5, 5,
          NULL, &error), &error, "is locked");
  assert_ok (lp_ledger_advance (w.ledger, 1, &error), &error);
  assert_refused (lp_ledger_claim_earnings (w.ledger, &w.other, &error),
      &error, "not initialized");
  ticket_world_clear (&w);
}

GST_END_TEST;

/* PRAGMA data_version read on a connection of its own: SQLite's own count
 * of the commits other connections made to the file. */
static gint64
file_data_version (sqlite3 * db)
{
  sqlite3_stmt *stmt = NULL;
  gint64 version;

  fail_unless (sqlite3_prepare_v2 (db, "PRAGMA data_version", -1, &stmt,
          NULL) == SQLITE_OK, "%s", sqlite3_errmsg (db));
  fail_unless (sqlite3_step (stmt) == SQLITE_ROW);
  version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static void
assert_service_uri (LpLedger * ledger, const LpAddress * orchestrator,
    const gchar * uri, guint64 reward_cut, guint64 fee_share)
{
  LpLedgerOrchestrator info;
  GError *error = NULL;

  assert_ok (lp_ledger_get_orchestrator (ledger, orchestrator, &info,
          &error), &error);
  fail_unless_equals_string (info.service_uri, uri);
  fail_unless_equals_uint64 (info.reward_cut, reward_cut);
  fail_unless_equals_uint64 (info.fee_share, fee_share);
  lp_ledger_orchestrator_clear (&info);
}

/* lp_ledger_set_service_uri(): an unchanged URI writes nothing (SQLite's
 * data_version, seen from another connection, does not move), a new one is
 * written with the rates kept, even in the round's lock period (no
 * transcoder() to call), and an address that is not registered is refused
 * with a reason. */
GST_START_TEST (test_set_service_uri)
{
  TicketWorld w;
  LpAddress stranger;
  gchar *path = g_build_filename (tmpdir, "devnet.db", NULL);
  sqlite3 *db = NULL;
  GError *error = NULL;
  gboolean changed = TRUE;
  gint64 version;

  ticket_world_init (&w, 10);
  fail_unless (sqlite3_open (path, &db) == SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  version = file_data_version (db);
  assert_ok (lp_ledger_set_service_uri (w.ledger, &w.orchestrator,
          "https://127.0.0.1:8935", &changed, &error), &error);
  fail_if (changed);
  fail_unless_equals_int64 (file_data_version (db), version);

  /* the last block of the round: locked */
  assert_ok (lp_ledger_advance (w.ledger, 9, &error), &error);
  version = file_data_version (db);
  assert_ok (lp_ledger_set_service_uri (w.ledger, &w.orchestrator,
          "https://orch.example:8936", &changed, &error), &error);
  fail_unless (changed);
  fail_if (file_data_version (db) == version);
  assert_service_uri (w.ledger, &w.orchestrator, "https://orch.example:8936",
      100000, 250000);
  /* the rates themselves still wait for the next round */
  assert_refused (lp_ledger_register_orchestrator (w.ledger, &w.orchestrator,
          5, 5, NULL, &error), &error, "is locked");

  address_n (&stranger, 12);
  version = file_data_version (db);
  fail_if (lp_ledger_set_service_uri (w.ledger, &stranger,
          "https://stranger.example", &changed, &error));
  fail_unless (g_error_matches (error, LP_LEDGER_ERROR,
          LP_LEDGER_ERROR_REFUSED));
  fail_unless (strstr (error->message, "not a registered orchestrator")
      != NULL, "%s", error->message);
  fail_if (changed);
  g_clear_error (&error);
  fail_if (lp_ledger_set_service_uri (w.ledger, &w.orchestrator, "",
          &changed, &error));
  fail_unless (g_error_matches (error, LP_LEDGER_ERROR,
          LP_LEDGER_ERROR_INVALID));
  g_clear_error (&error);
  fail_unless_equals_int64 (file_data_version (db), version);
  sqlite3_close (db);
  g_free (path);
  ticket_world_clear (&w);
}

GST_END_TEST;

/* The head alone and the gas price: the embedded ledger's head is its
 * status's block, and its operations cost no gas. */
GST_START_TEST (test_block_number_and_gas_price)
{
  TicketWorld w;
  LpLedgerStatus status;
  LpUint256 price;
  guint64 block = G_MAXUINT64;
  GError *error = NULL;

  ticket_world_init (&w, 10);
  assert_ok (lp_ledger_advance (w.ledger, 3, &error), &error);
  assert_ok (lp_ledger_get_block_number (w.ledger, &block, &error), &error);
  assert_ok (lp_ledger_get_status (w.ledger, &status, &error), &error);
  fail_unless_equals_uint64 (block, status.block);
  lp_uint256_from_uint64 (7, &price);
  assert_ok (lp_ledger_get_gas_price (w.ledger, &price, &error), &error);
  fail_unless (lp_uint256_is_zero (&price));
  ticket_world_clear (&w);
}

GST_END_TEST;

/* ---- governance --------------------------------------------------------- */

GST_START_TEST (test_governance)
{
  TicketWorld w;
  LpAddress delegator, delegator_none;
  LpUint256 amount;
  LpProposalAction actions[2];
  LpProposalInfo info;
  LpLedgerStatus status;
  LpAccountInfo account;
  guint64 id = 0;
  GError *error = NULL;

  address_n (&delegator, 40);
  address_n (&delegator_none, 99);
  u256 (&amount, "300e18");
  ticket_world_init (&w, 10);
  assert_ok (lp_ledger_transfer (w.ledger, &w.other, &delegator, &amount,
          &error), &error);
  bond (w.ledger, &delegator, &w.orchestrator, "300e18");
  next_round (w.ledger);
  /* orchestrator 500 + 300 delegated = 800, other 400: 1200 active */
  memset (actions, 0, sizeof (actions));
  actions[0].kind = LP_PROPOSAL_SET_PARAM;
  actions[0].param = LP_LEDGER_PARAM_UNBONDING_PERIOD;
  lp_uint256_from_uint64 (3, &actions[0].value);
  actions[1].kind = LP_PROPOSAL_TREASURY_PAYOUT;
  address_n (&actions[1].to, 41);
  u256 (&actions[1].value, "1e18");
  assert_refused (lp_ledger_propose (w.ledger, &delegator_none, "x", actions,
          1, &id, &error), &error, "voting power");
  assert_ok (lp_ledger_propose (w.ledger, &w.other, "Shorter unbonding",
          actions, 1, &id, &error), &error);
  fail_unless_equals_uint64 (id, 1);
  assert_refused (lp_ledger_vote (w.ledger, &w.other, id, LP_VOTE_FOR,
          &error), &error, "opens in round");
  next_round (w.ledger);
  /* the orchestrator votes against with 800; its delegator overrides with
   * its 300 for; other votes for with 400: for 700, against 500 */
  assert_ok (lp_ledger_vote (w.ledger, &w.orchestrator, id, LP_VOTE_AGAINST,
          &error), &error);
  assert_ok (lp_ledger_vote (w.ledger, &delegator, id, LP_VOTE_FOR, &error),
      &error);
  assert_ok (lp_ledger_vote (w.ledger, &w.other, id, LP_VOTE_FOR, &error),
      &error);
  assert_refused (lp_ledger_vote (w.ledger, &w.other, id, LP_VOTE_FOR,
          &error), &error, "already voted");
  assert_ok (lp_ledger_get_proposal (w.ledger, id, &info, &error), &error);
  fail_unless (info.state == LP_PROPOSAL_ACTIVE);
  lp_check_assert_u256 (&info.votes_for, "700000000000000000000");
  lp_check_assert_u256 (&info.votes_against, "500000000000000000000");
  lp_check_assert_u256 (&info.total_active_stake, "1200000000000000000000");
  lp_proposal_info_clear (&info);
  assert_refused (lp_ledger_execute (w.ledger, id, &error), &error,
      "is active");
  for (guint i = 0; i < 10; i++)
    next_round (w.ledger);
  assert_ok (lp_ledger_get_proposal (w.ledger, id, &info, &error), &error);
  fail_unless (info.state == LP_PROPOSAL_SUCCEEDED, "%s",
      lp_proposal_state_name (info.state));
  lp_proposal_info_clear (&info);
  assert_ok (lp_ledger_execute (w.ledger, id, &error), &error);
  assert_refused (lp_ledger_execute (w.ledger, id, &error), &error,
      "is executed");
  /* the change waits for the next round */
  assert_ok (lp_ledger_get_status (w.ledger, &status, &error), &error);
  fail_unless_equals_uint64 (status.params.unbonding_period, 7);
  next_round (w.ledger);
  assert_ok (lp_ledger_get_status (w.ledger, &status, &error), &error);
  fail_unless_equals_uint64 (status.params.unbonding_period, 3);
  /* and governs: an unbond now unlocks after 3 rounds */
  assert_ok (lp_ledger_unbond (w.ledger, &delegator, &amount, NULL, &error),
      &error);
  assert_ok (lp_ledger_get_account (w.ledger, &delegator, &account, &error),
      &error);
  fail_unless_equals_uint64 (g_array_index (account.locks, LpUnbondingLock,
          0).withdraw_round, status.round + 3);
  lp_account_info_clear (&account);

  /* a treasury payout beyond what the treasury holds cannot execute; a
   * proposal without quorum is defeated */
  u256 (&actions[1].value, "1000000e18");
  assert_ok (lp_ledger_propose (w.ledger, &w.other, "Pay out", &actions[1],
          1, &id, &error), &error);
  for (guint i = 0; i < 12; i++)
    next_round (w.ledger);
  assert_ok (lp_ledger_get_proposal (w.ledger, id, &info, &error), &error);
  fail_unless (info.state == LP_PROPOSAL_DEFEATED);
  lp_proposal_info_clear (&info);
  ticket_world_clear (&w);
}

GST_END_TEST;

GST_START_TEST (test_treasury_and_slashing)
{
  LpLedgerGenesis *genesis = lp_ledger_genesis_new ();
  LpAddress o, finder;
  LpLedger *ledger;
  LpLedgerStatus status;
  LpAccountInfo info;
  LpUint256 minted, penalty;
  GError *error = NULL;

  address_n (&o, 50);
  address_n (&finder, 51);
  genesis->params.block_time_ms = 0;
  genesis->params.round_length = 10;
  genesis->params.slashing_enabled = TRUE;
  add_account (genesis, &o, "1000e18", "0");
  ledger = create (genesis);
  lp_ledger_genesis_free (genesis);
  self_register (ledger, &o, "1000e18", 0, 0);
  next_round (ledger);
  assert_ok (lp_ledger_reward (ledger, &o, &minted, &error), &error);
  assert_ok (lp_ledger_get_status (ledger, &status, &error), &error);
  /* 10 % of what was minted goes to the treasury */
  {
    LpUint256 tenth, ten;
    lp_uint256_from_uint64 (10, &ten);
    fail_unless (lp_uint256_div (&minted, &ten, &tenth, NULL));
    fail_unless (lp_uint256_equal (&status.treasury, &tenth));
  }
  /* slashing: 10 % of the bond, half of it to the finder, the rest burned */
  assert_ok (lp_ledger_submit_evidence (ledger, &finder, &o, "PSNR 12 dB",
          &penalty, &error), &error);
  fail_if (lp_uint256_is_zero (&penalty));
  assert_ok (lp_ledger_get_account (ledger, &finder, &info, &error), &error);
  {
    LpUint256 half, two;
    lp_uint256_from_uint64 (2, &two);
    fail_unless (lp_uint256_div (&penalty, &two, &half, NULL));
    fail_unless (lp_uint256_equal (&info.lpt, &half));
  }
  lp_account_info_clear (&info);
  assert_ok (lp_ledger_get_account (ledger, &o, &info, &error), &error);
  fail_unless (info.status == LP_DELEGATOR_BONDED);
  lp_account_info_clear (&info);
  /* once per round */
  assert_ok (lp_ledger_submit_evidence (ledger, &finder, &o, "again",
          &penalty, &error), &error);
  fail_unless (lp_uint256_is_zero (&penalty));
  assert_audit (ledger);
  g_object_unref (ledger);
}

GST_END_TEST;

GST_START_TEST (test_fees_in_lpt)
{
  LpLedgerGenesis *genesis = lp_ledger_genesis_new ();
  LpAddress o;
  LpLedger *ledger;
  LpUint256 deposit;
  LpAccountInfo info;
  GError *error = NULL;

  address_n (&o, 60);
  u256 (&deposit, "10e18");
  genesis->params.block_time_ms = 0;
  genesis->params.fee_asset = LP_FEE_ASSET_LPT;
  add_account (genesis, &o, "1000e18", "5e18");
  ledger = create (genesis);
  lp_ledger_genesis_free (genesis);
  assert_ok (lp_ledger_fund (ledger, &o, &deposit, NULL, &error), &error);
  assert_ok (lp_ledger_get_account (ledger, &o, &info, &error), &error);
  lp_check_assert_u256 (&info.lpt, "990000000000000000000");
  lp_check_assert_u256 (&info.eth, "0");
  lp_account_info_clear (&info);
  assert_audit (ledger);
  g_object_unref (ledger);
}

GST_END_TEST;

/* Edits the file behind the ledger's back; the audit must notice. */
static void
tamper (const gchar * sql)
{
  gchar *path = g_build_filename (tmpdir, "devnet.db", NULL);
  sqlite3 *db = NULL;

  fail_unless (sqlite3_open (path, &db) == SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  fail_unless (sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK, "%s",
      sqlite3_errmsg (db));
  sqlite3_close (db);
  g_free (path);
}

static void
assert_audit_fails (LpLedger * ledger, const gchar * words)
{
  GString *report = g_string_new (NULL);
  GError *error = NULL;

  fail_if (lp_ledger_audit (ledger, report, &error), "%s", report->str);
  fail_unless (error == NULL);
  fail_unless (strstr (report->str, words) != NULL, "%s", report->str);
  g_string_free (report, TRUE);
}

GST_START_TEST (test_audit_detects_tampering)
{
  LpAddress o, d, other;
  LpLedger *ledger = worked_example (&o, &d, &other);
  GError *error = NULL;

  assert_ok (lp_ledger_reward (ledger, &o, NULL, &error), &error);
  assert_audit (ledger);
  /* a round's delegator rewards no longer match the factors */
  tamper ("UPDATE pools SET delegator_rewards = zeroblob(32) "
      "WHERE delegator_rewards != zeroblob(32)");
  assert_audit_fails (ledger, "round-by-round recomputation");
  assert_audit_fails (ledger, "pending stake");
  g_object_unref (ledger);
}

GST_END_TEST;

GST_START_TEST (test_audit_detects_minted_lpt)
{
  LpAddress o, d, other;
  LpLedger *ledger = worked_example (&o, &d, &other);

  tamper ("UPDATE accounts SET lpt = zeroblob(32)");
  assert_audit_fails (ledger, "FAILED LPT: balances");
  g_object_unref (ledger);
}

GST_END_TEST;

/* ---- fees with an estimated reward factor -------------------------------- */

/* The worked example with a sender holding a 1 ETH deposit. In round 1,
 * when @other_first, the other orchestrator calls reward() before O; then O
 * calls reward() and redeems one 0.4 ETH ticket. O never called reward()
 * in round 0, so round 0's reward factor was never stored and the fees use
 * one estimated back from round 1 (BondingManager.updateTranscoderWithFees,
 * docs/design/ledger.md). */
static void
estimate_world_init (TicketWorld * w, LpAddress * d, gboolean other_first)
{
  LpWinningTicket winner;
  LpUint256 deposit;
  GError *error = NULL;

  w->sender_key = lp_private_key_generate (&error);
  assert_ok (w->sender_key != NULL, &error);
  w->sender = *lp_private_key_get_address (w->sender_key);
  w->nonce = 0;
  w->ledger = worked_example_paying (&w->orchestrator, d, &w->other,
      &w->sender);
  u256 (&deposit, "1e18");
  assert_ok (lp_ledger_fund (w->ledger, &w->sender, &deposit, NULL, &error),
      &error);
  if (other_first)
    assert_ok (lp_ledger_reward (w->ledger, &w->other, NULL, &error), &error);
  assert_ok (lp_ledger_reward (w->ledger, &w->orchestrator, NULL, &error),
      &error);
  make_winner (w, &w->orchestrator, "4e17", &winner);
  assert_ok (redeem (w, &winner, NULL, &error), &error);
}

static void
assert_pending_fees (LpLedger * ledger, const LpAddress * who,
    const gchar * expected)
{
  LpAccountInfo info;
  GError *error = NULL;

  assert_ok (lp_ledger_get_account (ledger, who, &info, &error), &error);
  lp_check_assert_u256 (&info.pending_fees, expected);
  lp_account_info_clear (&info);
}

/* The estimate's rewards are percOf(mintable + minted, T, totalActive) at
 * 1e27, less the treasury's (0 here) and O's 10 % cut, with T = 1e24,
 * totalActive = 4e24, mintable = 10 005e18 and round 1's CRF = 1 002 251
 * 125e18 (the worked example). In python3, with P = 10**27,
 * pp(n, d) = n * P // d, pof(a, n, d) = a * pp(n, d) // P:
 *   O alone: minted = O's 2 501.25e18 -> rewards = pof(12 506.25e18, T, 4T)
 *     = 3 126.5625e18, delegators 2 813.90625e18,
 *     CRF_0 = pof(1 002 251 125e18, T, T + 2 813.90625e18)
 *     = 999 438 797 920 040 311 567 029 587;
 *     CFF = pof(CRF_0, 0.2e18, T) = 199 887 759 584 008 062 313;
 *     D (800 000e18 since round 0): 800 000e18 * pp(CFF, P) // P
 *     = 159 910 207 667 206 449; O: 0.2e18 commission + 200 000e18 *
 *     pp(CFF, P) // P = 239 977 551 916 801 612.
 *   other first: minted = 7 503.75e18 + 2 501.25e18 = all of mintable ->
 *     rewards = pof(20 010e18, T, 4T) = 5 002.5e18, delegators
 *     4 502.25e18, CRF_0 = 997 758 964 701 174 138 733 885 364,
 *     CFF = 199 551 792 940 234 827 746; D = 159 641 434 352 187 862;
 *     O = 239 910 358 588 046 965.
 * D's exact share is 0.16 ETH either way; the audit must accept both. */
GST_START_TEST (test_fees_estimate_own_reward)
{
  TicketWorld w;
  LpAddress d;

  estimate_world_init (&w, &d, FALSE);
  assert_pending_fees (w.ledger, &d, "159910207667206449");
  assert_pending_fees (w.ledger, &w.orchestrator, "239977551916801612");
  ticket_world_clear (&w);
}

GST_END_TEST;

GST_START_TEST (test_fees_estimate_after_others)
{
  TicketWorld w;
  LpAddress d;

  estimate_world_init (&w, &d, TRUE);
  assert_pending_fees (w.ledger, &d, "159641434352187862");
  assert_pending_fees (w.ledger, &w.orchestrator, "239910358588046965");
  ticket_world_clear (&w);
}

GST_END_TEST;

/* The room the audit grants an estimated round is 2 × mintable /
 * totalActive = 0.500 25 % of the round's fees: D's 0.16 ETH may be off by
 * 0.000 800 4 ETH. Fees 1 % above what was paid (0.202 instead of 0.2 ETH
 * for the delegators) put D's recomputation at 0.1616 ETH, 0.001 958 ETH
 * from the factors' 0.159 641: the audit must fail and say it was fees. */
GST_START_TEST (test_audit_detects_fee_tampering)
{
  TicketWorld w;
  LpAddress d;

  estimate_world_init (&w, &d, TRUE);
  assert_audit (w.ledger);
  tamper ("UPDATE pools SET delegator_fees = X'"
      "00000000000000000000000000000000000000000000000002cda5ee04a10000' "
      "WHERE delegator_fees != zeroblob(32)");
  assert_audit_fails (w.ledger, "pending fees");
  g_object_unref (w.ledger);
  lp_private_key_unref (w.sender_key);
}

GST_END_TEST;

/* ---- the redemption queue ----------------------------------------------- */

/* Every field, byte for byte: the queue gives back what it was given. */
static void
assert_same_winner (const LpWinningTicket * got,
    const LpWinningTicket * expected)
{
  const LpTicket *a = &got->ticket, *b = &expected->ticket;

  fail_unless (lp_address_equal (&a->recipient, &b->recipient));
  fail_unless (lp_address_equal (&a->sender, &b->sender));
  fail_unless (lp_uint256_equal (&a->face_value, &b->face_value));
  fail_unless (lp_uint256_equal (&a->win_prob, &b->win_prob));
  fail_unless_equals_int (a->sender_nonce, b->sender_nonce);
  fail_unless (memcmp (a->recipient_rand_hash, b->recipient_rand_hash,
          sizeof (a->recipient_rand_hash)) == 0);
  fail_unless_equals_uint64 (a->expiration_params.creation_round,
      b->expiration_params.creation_round);
  fail_unless (memcmp (a->expiration_params.creation_round_block_hash,
          b->expiration_params.creation_round_block_hash,
          sizeof (a->expiration_params.creation_round_block_hash)) == 0);
  fail_unless (memcmp (got->sig, expected->sig, sizeof (got->sig)) == 0);
  fail_unless (lp_uint256_equal (&got->recipient_rand,
          &expected->recipient_rand));
  fail_unless_equals_uint64 (got->params_expiration_block,
      expected->params_expiration_block);
}

/* Queues @winner, which must be new to the queue exactly when @new. */
static void
queue_expect (TicketWorld * w, const LpWinningTicket * winner, gboolean new)
{
  GError *error = NULL;
  gboolean added = !new;

  assert_ok (lp_ledger_queue_winning_ticket (w->ledger, winner, &added,
          &error), &error);
  fail_unless_equals_int (added, new);
}

static void
queue (TicketWorld * w, const LpWinningTicket * winner)
{
  queue_expect (w, winner, TRUE);
}

/* The queue of @recipient (NULL: all) is exactly @expected, in order. */
static void
assert_queue (LpLedger * ledger, const LpAddress * recipient,
    const LpWinningTicket ** expected, guint n_expected)
{
  GError *error = NULL;
  GArray *queued = lp_ledger_list_queued_tickets (ledger, recipient, &error);

  assert_ok (queued != NULL, &error);
  fail_unless_equals_int (queued->len, n_expected);
  for (guint i = 0; i < n_expected; i++)
    assert_same_winner (&g_array_index (queued, LpWinningTicket, i),
        expected[i]);
  g_array_unref (queued);
}

static void
hash_of (const LpWinningTicket * winner, guint8 hash[LP_TICKET_HASH_SIZE])
{
  lp_ticket_hash (&winner->ticket, hash);
}

GST_START_TEST (test_queue_durable)
{
  TicketWorld w;
  LpWinningTicket a, b, c, copy;
  LpAddress nobody;
  GString *report = g_string_new (NULL);
  gchar *path = g_build_filename (tmpdir, "devnet.db", NULL);
  GError *error = NULL;

  ticket_world_init (&w, 10);
  address_n (&nobody, 12);
  make_winner (&w, &w.orchestrator, "4e17", &a);
  a.params_expiration_block = 81;
  make_winner (&w, &w.other, "3e17", &b);
  /* all 64 bits survive SQLite's signed integers */
  b.params_expiration_block = G_MAXUINT64 - 7;
  make_winner (&w, &w.orchestrator, "2e17", &c);
  c.params_expiration_block = 83;
  queue (&w, &a);
  queue (&w, &b);
  queue (&w, &c);
  {
    const LpWinningTicket *all[] = { &a, &b, &c }, *mine[] = { &a, &c },
        *others[] = { &b };
    assert_queue (w.ledger, NULL, all, 3);
    assert_queue (w.ledger, &w.orchestrator, mine, 2);
    assert_queue (w.ledger, &w.other, others, 1);
    assert_queue (w.ledger, &nobody, NULL, 0);

    /* queueing again changes nothing, not even with another signature (the
     * same hash: the first copy stays) */
    queue_expect (&w, &a, FALSE);
    copy = a;
    copy.sig[5] ^= 1;
    queue_expect (&w, &copy, FALSE);
    assert_queue (w.ledger, NULL, all, 3);

    /* durable: another connection to the file, after this one is gone */
    g_object_unref (w.ledger);
    w.ledger = lp_ledger_open (path, &error);
    assert_ok (w.ledger != NULL, &error);
    assert_queue (w.ledger, NULL, all, 3);
  }
  /* nothing was redeemed: the queue holds no redeemed ticket */
  fail_unless (lp_ledger_audit (w.ledger, report, &error), "%s", report->str);
  fail_unless (strstr (report->str, "ok tickets: queued tickets that are "
          "also redeemed") != NULL, "%s", report->str);
  g_string_free (report, TRUE);
  g_free (path);
  ticket_world_clear (&w);
}

GST_END_TEST;

GST_START_TEST (test_queue_redeem_and_drop)
{
  TicketWorld w;
  LpWinningTicket a, b, c, d;
  LpRedemption redemption;
  guint8 hash[LP_TICKET_HASH_SIZE];
  GArray *redeemed;
  GError *error = NULL;

  /* 1 ETH deposit, 3 ETH reserve, 2 active orchestrators: 1.5 ETH of the
   * reserve each; a and c take all of the orchestrator's, d gets nothing */
  ticket_world_init (&w, 10);
  make_winner (&w, &w.orchestrator, "2e18", &a);
  make_winner (&w, &w.other, "1e17", &b);
  make_winner (&w, &w.orchestrator, "2e18", &c);
  make_winner (&w, &w.orchestrator, "2e18", &d);
  queue (&w, &a);
  queue (&w, &b);
  queue (&w, &c);
  queue (&w, &d);

  assert_ok (redeem (&w, &a, &redemption, &error), &error);
  lp_check_assert_u256 (&redemption.from_deposit, "1000000000000000000");
  lp_check_assert_u256 (&redemption.from_reserve, "1000000000000000000");
  {
    const LpWinningTicket *left[] = { &b, &c, &d };
    assert_queue (w.ledger, NULL, left, 3);
  }
  assert_ok (redeem (&w, &c, &redemption, &error), &error);
  lp_check_assert_u256 (&redemption.from_reserve, "500000000000000000");
  /* paid nothing, yet used: out of the queue all the same */
  assert_ok (redeem (&w, &d, &redemption, &error), &error);
  lp_check_assert_u256 (&redemption.from_deposit, "0");
  lp_check_assert_u256 (&redemption.from_reserve, "0");
  {
    const LpWinningTicket *left[] = { &b };
    assert_queue (w.ledger, NULL, left, 1);
    assert_queue (w.ledger, &w.orchestrator, NULL, 0);
  }
  redeemed = lp_ledger_list_redeemed_tickets (w.ledger, NULL, &error);
  assert_ok (redeemed != NULL, &error);
  fail_unless_equals_int (redeemed->len, 3);
  g_array_unref (redeemed);

  /* a replay is final, and a redeemed ticket queued again adds nothing */
  assert_ticket_used (redeem (&w, &a, NULL, &error), &error);
  queue_expect (&w, &a, FALSE);
  queue_expect (&w, &d, FALSE);
  {
    const LpWinningTicket *left[] = { &b };
    assert_queue (w.ledger, NULL, left, 1);
  }
  /* a refused redemption leaves the ticket queued */
  {
    LpWinningTicket bad = b;
    lp_uint256_from_uint64 (1, &bad.recipient_rand);
    assert_refused (redeem (&w, &bad, NULL, &error), &error, "recipientRand");
    {
      const LpWinningTicket *left[] = { &b };
      assert_queue (w.ledger, NULL, left, 1);
    }
  }

  /* dropping: once, then it is not there */
  hash_of (&b, hash);
  assert_ok (lp_ledger_drop_queued_ticket (w.ledger, hash, &error), &error);
  assert_queue (w.ledger, NULL, NULL, 0);
  fail_if (lp_ledger_drop_queued_ticket (w.ledger, hash, &error));
  fail_unless (g_error_matches (error, LP_LEDGER_ERROR,
          LP_LEDGER_ERROR_NOT_FOUND), "%s", error ? error->message : "");
  fail_unless (strstr (error->message, "not queued") != NULL, "%s",
      error->message);
  g_clear_error (&error);
  /* nor is a redeemed one */
  hash_of (&a, hash);
  fail_if (lp_ledger_drop_queued_ticket (w.ledger, hash, &error));
  fail_unless (g_error_matches (error, LP_LEDGER_ERROR,
          LP_LEDGER_ERROR_NOT_FOUND), "%s", error ? error->message : "");
  g_clear_error (&error);
  ticket_world_clear (&w);
}

GST_END_TEST;

/* Several tickets in one call: each has its own outcome, as if redeemed
 * alone in order; a refusal does not stop the others, and the queue keeps
 * only what is left to redeem. */
GST_START_TEST (test_queue_redeem_batch)
{
  TicketWorld w;
  LpWinningTicket a, b, c, d, batch[4];
  LpRedemptionOutcome outcomes[4];
  GError *error = NULL;

  ticket_world_init (&w, 10);
  make_winner (&w, &w.orchestrator, "2e18", &a);
  make_winner (&w, &w.other, "1e17", &b);
  make_winner (&w, &w.orchestrator, "2e18", &c);
  make_winner (&w, &w.orchestrator, "2e18", &d);
  queue (&w, &a);
  queue (&w, &b);
  queue (&w, &c);
  queue (&w, &d);

  /* a, c, a again (used by then), b with the wrong recipientRand */
  batch[0] = a;
  batch[1] = c;
  batch[2] = a;
  batch[3] = b;
  lp_uint256_from_uint64 (1, &batch[3].recipient_rand);
  assert_ok (lp_ledger_redeem_winning_tickets (w.ledger, batch, 4, outcomes,
          &error), &error);
  fail_unless (outcomes[0].error == NULL, "%s", outcomes[0].error->message);
  lp_check_assert_u256 (&outcomes[0].redemption.from_deposit,
      "1000000000000000000");
  lp_check_assert_u256 (&outcomes[0].redemption.from_reserve,
      "1000000000000000000");
  fail_unless (outcomes[1].error == NULL, "%s", outcomes[1].error->message);
  lp_check_assert_u256 (&outcomes[1].redemption.from_reserve,
      "500000000000000000");
  assert_ticket_used (FALSE, &outcomes[2].error);
  assert_refused (FALSE, &outcomes[3].error, "recipientRand");
  {
    const LpWinningTicket *left[] = { &b, &d };
    assert_queue (w.ledger, NULL, left, 2);
  }
  /* nothing to redeem is not an error */
  assert_ok (lp_ledger_redeem_winning_tickets (w.ledger, NULL, 0, NULL,
          &error), &error);
  ticket_world_clear (&w);
}

GST_END_TEST;

/* A ledger of schema 1 (before the queue) or 2 (before the pool order) is
 * upgraded when opened; one of a newer schema is refused. */
GST_START_TEST (test_queue_schema_upgrade)
{
  TicketWorld w;
  LpWinningTicket a;
  gchar *path = g_build_filename (tmpdir, "devnet.db", NULL);
  GError *error = NULL;

  ticket_world_init (&w, 10);
  make_winner (&w, &w.orchestrator, "4e17", &a);
  assert_ok (redeem (&w, &a, NULL, &error), &error);
  g_object_unref (w.ledger);
  tamper ("DROP TABLE queued_tickets; DROP TABLE pool_order; "
      "UPDATE state SET value = 1 WHERE name = 'schema-version'");
  w.ledger = lp_ledger_open (path, &error);
  assert_ok (w.ledger != NULL, &error);
  /* the state is kept: a is still used */
  assert_ticket_used (redeem (&w, &a, NULL, &error), &error);
  make_winner (&w, &w.orchestrator, "4e17", &a);
  queue (&w, &a);
  {
    const LpWinningTicket *all[] = { &a };
    assert_queue (w.ledger, NULL, all, 1);
  }
  assert_audit (w.ledger);
  g_object_unref (w.ledger);

  tamper ("DROP TABLE pool_order; UPDATE state SET value = 2 "
      "WHERE name = 'schema-version'");
  w.ledger = lp_ledger_open (path, &error);
  assert_ok (w.ledger != NULL, &error);
  assert_audit (w.ledger);
  g_object_unref (w.ledger);

  tamper ("UPDATE state SET value = 4 WHERE name = 'schema-version'");
  fail_if (lp_ledger_open (path, &error));
  fail_unless (g_error_matches (error, LP_LEDGER_ERROR,
          LP_LEDGER_ERROR_NOT_INITIALIZED), "%s", error ? error->message : "");
  fail_unless (strstr (error->message, "newer") != NULL, "%s",
      error->message);
  g_clear_error (&error);
  tamper ("UPDATE state SET value = 3 WHERE name = 'schema-version'");
  w.ledger = lp_ledger_open (path, &error);
  assert_ok (w.ledger != NULL, &error);
  g_free (path);
  ticket_world_clear (&w);
}

GST_END_TEST;

GST_START_TEST (test_audit_detects_queued_redeemed)
{
  TicketWorld w;
  LpWinningTicket a;

  ticket_world_init (&w, 10);
  make_winner (&w, &w.orchestrator, "4e17", &a);
  queue (&w, &a);
  assert_audit (w.ledger);
  /* recorded as redeemed (paying nothing, so that the fee books still
   * balance) while it stays queued */
  tamper ("INSERT INTO tickets (hash, sender, recipient, face_value, paid, "
      "round, block) SELECT hash, sender, recipient, face_value, "
      "zeroblob(32), 1, 10 FROM queued_tickets");
  assert_audit_fails (w.ledger, "FAILED tickets: queued tickets that are "
      "also redeemed");
  g_object_unref (w.ledger);
  lp_private_key_unref (w.sender_key);
}

GST_END_TEST;

typedef struct
{
  LpLedger *ledger;
  LpAddress from;
  LpAddress to;
  guint done;
} TransferJob;

static gpointer
transfer_many (gpointer data)
{
  TransferJob *job = data;
  LpUint256 one;

  lp_uint256_from_uint64 (1, &one);
  for (guint i = 0; i < 200; i++) {
    if (lp_ledger_transfer (job->ledger, &job->from, &job->to, &one, NULL))
      job->done++;
  }
  return NULL;
}

/* Four threads on one ledger object: every transfer lands exactly once. */
GST_START_TEST (test_threads)
{
  LpLedgerGenesis *genesis = lp_ledger_genesis_new ();
  TransferJob jobs[4];
  GThread *threads[4];
  LpAccountInfo info;
  LpLedger *ledger;
  GError *error = NULL;
  LpAddress a, b;

  address_n (&a, 70);
  address_n (&b, 71);
  genesis->params.block_time_ms = 0;
  add_account (genesis, &a, "1000", "0");
  add_account (genesis, &b, "1000", "0");
  ledger = create (genesis);
  lp_ledger_genesis_free (genesis);
  for (guint i = 0; i < 4; i++) {
    jobs[i].ledger = ledger;
    jobs[i].from = i % 2 ? a : b;
    jobs[i].to = i % 2 ? b : a;
    jobs[i].done = 0;
    threads[i] = g_thread_new ("transfers", transfer_many, &jobs[i]);
  }
  for (guint i = 0; i < 4; i++) {
    g_thread_join (threads[i]);
    fail_unless_equals_int (jobs[i].done, 200);
  }
  assert_ok (lp_ledger_get_account (ledger, &a, &info, &error), &error);
  lp_check_assert_u256 (&info.lpt, "1000");
  lp_account_info_clear (&info);
  assert_audit (ledger);
  g_object_unref (ledger);
}

GST_END_TEST;

/* Two connections to one file take turns writing: neither may read an old
 * snapshot (which made the second writer fail with "database is locked"). */
GST_START_TEST (test_two_connections)
{
  LpLedgerGenesis *genesis = lp_ledger_genesis_new ();
  gchar *path = g_build_filename (tmpdir, "devnet.db", NULL);
  LpLedger *first, *second;
  LpAccountInfo info;
  LpUint256 one;
  GError *error = NULL;
  LpAddress a, b;

  address_n (&a, 80);
  address_n (&b, 81);
  lp_uint256_from_uint64 (1, &one);
  genesis->params.block_time_ms = 0;
  add_account (genesis, &a, "1000", "0");
  first = create (genesis);
  lp_ledger_genesis_free (genesis);
  second = lp_ledger_open (path, &error);
  assert_ok (second != NULL, &error);
  for (guint i = 0; i < 3; i++) {
    assert_ok (lp_ledger_transfer (first, &a, &b, &one, &error), &error);
    assert_ok (lp_ledger_transfer (second, &a, &b, &one, &error), &error);
  }
  assert_ok (lp_ledger_get_account (first, &b, &info, &error), &error);
  lp_check_assert_u256 (&info.lpt, "6");
  lp_account_info_clear (&info);
  assert_audit (second);
  g_object_unref (second);
  g_object_unref (first);
  g_free (path);
}

GST_END_TEST;

static Suite *
ledger_suite (void)
{
  Suite *s = suite_create ("lpledger");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_worked_example);
  tcase_add_test (tc, test_uris);
  tcase_add_test (tc, test_genesis_json);
  tcase_add_test (tc, test_ticket_checks_in_order);
  tcase_add_test (tc, test_reserve_allocation);
  tcase_add_test (tc, test_reserve_share_shrinks);
  tcase_add_test (tc, test_unlock_and_withdraw);
  tcase_add_test (tc, test_unbond_rebond_withdraw);
  tcase_add_test (tc, test_active_set);
  tcase_add_test (tc, test_round_lock);
  tcase_add_test (tc, test_set_service_uri);
  tcase_add_test (tc, test_block_number_and_gas_price);
  tcase_add_test (tc, test_governance);
  tcase_add_test (tc, test_treasury_and_slashing);
  tcase_add_test (tc, test_fees_in_lpt);
  tcase_add_test (tc, test_threads);
  tcase_add_test (tc, test_two_connections);
  tcase_add_test (tc, test_audit_detects_tampering);
  tcase_add_test (tc, test_audit_detects_minted_lpt);
  tcase_add_test (tc, test_fees_estimate_own_reward);
  tcase_add_test (tc, test_fees_estimate_after_others);
  tcase_add_test (tc, test_audit_detects_fee_tampering);
  tcase_add_test (tc, test_queue_durable);
  tcase_add_test (tc, test_queue_redeem_and_drop);
  tcase_add_test (tc, test_queue_redeem_batch);
  tcase_add_test (tc, test_queue_schema_upgrade);
  tcase_add_test (tc, test_audit_detects_queued_redeemed);
  return s;
}

GST_CHECK_MAIN (ledger);

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * lpctl's ledger commands that create and read a ledger, or move LPT and
 * rounds: init, status, account balance, transfer, round init, advance and
 * audit. The operations of the TicketBroker are in ledger-tickets.c, of
 * the BondingManager in ledger-bonding.c, governance in
 * ledger-governance.c.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpctl.h"

/* ------------------------------------------------------------------------ */
/* parameters and orchestrators                                             */
/* ------------------------------------------------------------------------ */

/* The parameters as JSON, under the genesis file's names. */
static JsonObject *
params_to_json (const LpLedgerParams * p)
{
  JsonObject *obj = json_object_new ();

  set_u64_member (obj, "block-time-ms", p->block_time_ms);
  set_u64_member (obj, "round-length", p->round_length);
  set_u64_member (obj, "round-lock-amount", p->round_lock_amount);
  set_u64_member (obj, "unbonding-period", p->unbonding_period);
  set_u64_member (obj, "num-active", p->num_active);
  set_u64_member (obj, "inflation", p->inflation);
  set_u64_member (obj, "inflation-change", p->inflation_change);
  set_u64_member (obj, "target-bonding-rate", p->target_bonding_rate);
  set_amount_member (obj, "treasury-cut", &p->treasury_cut);
  set_amount_member (obj, "treasury-ceiling", &p->treasury_ceiling);
  set_u64_member (obj, "ticket-validity-period", p->ticket_validity_period);
  set_u64_member (obj, "unlock-period", p->unlock_period);
  json_object_set_boolean_member (obj, "slashing", p->slashing_enabled);
  set_u64_member (obj, "slash-amount", p->slash_amount);
  set_u64_member (obj, "finder-fee", p->finder_fee);
  set_u64_member (obj, "voting-delay", p->voting_delay);
  set_u64_member (obj, "voting-period", p->voting_period);
  set_u64_member (obj, "quorum", p->quorum);
  set_u64_member (obj, "quota", p->quota);
  set_amount_member (obj, "proposal-threshold", &p->proposal_threshold);
  json_object_set_string_member (obj, "fee-asset",
      p->fee_asset == LP_FEE_ASSET_LPT ? "lpt" : "eth");
  return obj;
}

static void
append_params (GString * out, const LpLedgerParams * p)
{
  gchar *a, *b;
  /* a chain reports no block time: its blocks come at its own pace */
  gboolean on_chain = g_str_has_prefix (ledger_uri (), "http://")
      || g_str_has_prefix (ledger_uri (), "https://");

  g_string_append (out, "Parameters:\n");
  append_row (out, "  block-time-ms", "%" G_GUINT64_FORMAT " ms%s",
      p->block_time_ms, p->block_time_ms != 0 ? "" : on_chain ?
      " (the chain's own pace)" : " (blocks move only with 'lpctl advance')");
  append_row (out, "  round-length", "%" G_GUINT64_FORMAT " blocks",
      p->round_length);
  a = format_percent_u64 (p->round_lock_amount, 6);
  append_row (out, "  round-lock-amount", "%s of a round", a);
  g_free (a);
  append_row (out, "  unbonding-period", "%" G_GUINT64_FORMAT " rounds",
      p->unbonding_period);
  append_row (out, "  num-active", "%" G_GUINT64_FORMAT " orchestrators",
      p->num_active);
  a = format_percent_u64 (p->inflation_change, 9);
  append_row (out, "  inflation-change", "%" G_GUINT64_FORMAT " (%s)",
      p->inflation_change, a);
  g_free (a);
  a = format_percent_u64 (p->target_bonding_rate, 9);
  append_row (out, "  target-bonding-rate", "%" G_GUINT64_FORMAT " (%s)",
      p->target_bonding_rate, a);
  g_free (a);
  a = format_percent_u256 (&p->treasury_cut, 27);
  b = lp_uint256_to_string (&p->treasury_cut);
  append_row (out, "  treasury-cut", "%s (%s)", b, a);
  g_free (a);
  g_free (b);
  if (lp_uint256_is_zero (&p->treasury_ceiling))
    append_row (out, "  treasury-ceiling", "none");
  else
    append_token_row (out, "  treasury-ceiling", &p->treasury_ceiling, "LPT");
  append_row (out, "  ticket-validity", "%" G_GUINT64_FORMAT " rounds",
      p->ticket_validity_period);
  append_row (out, "  unlock-period", "%" G_GUINT64_FORMAT " rounds",
      p->unlock_period);
  a = format_percent_u64 (p->slash_amount, 6);
  b = format_percent_u64 (p->finder_fee, 6);
  append_row (out, "  slashing", "%s (slash amount %s, finder fee %s)",
      p->slashing_enabled ? "on" : "off", a, b);
  g_free (a);
  g_free (b);
  append_row (out, "  voting", "delay %" G_GUINT64_FORMAT " rounds, period %"
      G_GUINT64_FORMAT " rounds", p->voting_delay, p->voting_period);
  a = format_percent_u64 (p->quorum, 6);
  b = format_percent_u64 (p->quota, 6);
  append_row (out, "  quorum / quota", "%s / %s", a, b);
  g_free (a);
  g_free (b);
  append_token_row (out, "  proposal-threshold", &p->proposal_threshold,
      "LPT");
  append_row (out, "  fee-asset", "%s",
      p->fee_asset == LP_FEE_ASSET_LPT ? "lpt" : "eth");
}

JsonObject *
orchestrator_to_json (const LpLedgerOrchestrator * o)
{
  JsonObject *obj = json_object_new ();

  set_address_member (obj, "address", &o->address);
  json_object_set_boolean_member (obj, "registered", o->registered);
  json_object_set_boolean_member (obj, "active", o->active);
  json_object_set_boolean_member (obj, "in_pool", o->in_pool);
  set_amount_member (obj, "total_stake", &o->total_stake);
  set_u64_member (obj, "reward_cut", o->reward_cut);
  set_percent_member (obj, "reward_cut_percent", o->reward_cut);
  set_u64_member (obj, "fee_share", o->fee_share);
  set_percent_member (obj, "fee_share_percent", o->fee_share);
  json_object_set_string_member (obj, "service_uri",
      o->service_uri != NULL ? o->service_uri : "");
  set_u64_member (obj, "last_reward_round", o->last_reward_round);
  set_u64_member (obj, "activation_round", o->activation_round);
  json_object_set_int_member (obj, "deactivation_round",
      o->deactivation_round);
  set_amount_member (obj, "cumulative_rewards", &o->cumulative_rewards);
  set_amount_member (obj, "cumulative_fees", &o->cumulative_fees);
  return obj;
}

/* "  0xADDR  1000 LPT (… wei)  reward cut 10%  fee share 50%  URI" */
static void
append_orchestrator_line (GString * out, const LpLedgerOrchestrator * o)
{
  gchar address[LP_ADDRESS_TEXT_SIZE];
  gchar *stake = format_token (&o->total_stake, "LPT");
  gchar *cut = format_percent_u64 (o->reward_cut, 6);
  gchar *share = format_percent_u64 (o->fee_share, 6);

  lp_address_format (&o->address, address);
  g_string_append_printf (out, "  %s  %s  reward cut %s  fee share %s%s%s\n",
      address, stake, cut, share,
      o->service_uri != NULL && o->service_uri[0] != '\0' ? "  " : "",
      o->service_uri != NULL ? o->service_uri : "");
  g_free (stake);
  g_free (cut);
  g_free (share);
}

/* ------------------------------------------------------------------------ */
/* init, status, account balance                                            */
/* ------------------------------------------------------------------------ */

/* "ADDRESS=LPT[:ETH]" into @genesis (replacing the file's entry for
 * ADDRESS, if any). */
static gboolean
add_fund (LpLedgerGenesis * genesis, const gchar * spec, GError ** error)
{
  LpGenesisAccount account;
  const gchar *eq = strchr (spec, '=');
  gchar *address = NULL, **amounts = NULL;
  gboolean ok = FALSE;
  guint i;

  memset (&account, 0, sizeof (account));
  if (eq == NULL)
    goto malformed;
  address = g_strndup (spec, eq - spec);
  amounts = g_strsplit (eq + 1, ":", 3);
  if (amounts[0] == NULL || (amounts[1] != NULL && amounts[2] != NULL))
    goto malformed;
  if (!lp_address_parse (address, &account.address, error)
      || !lp_uint256_parse (amounts[0], &account.lpt, error)
      || (amounts[1] != NULL && !lp_uint256_parse (amounts[1], &account.eth,
              error))) {
    g_prefix_error (error, "--fund %s: ", spec);
    goto done;
  }
  for (i = 0; i < genesis->accounts->len; i++) {
    LpGenesisAccount *a =
        &g_array_index (genesis->accounts, LpGenesisAccount, i);

    if (lp_address_equal (&a->address, &account.address)) {
      *a = account;
      ok = TRUE;
      goto done;
    }
  }
  g_array_append_val (genesis->accounts, account);
  ok = TRUE;
  goto done;

malformed:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
      "--fund: '%s' is not ADDRESS=LPT or ADDRESS=LPT:ETH (amounts in wei, "
      "like 0x…=1000e18:1e18)", spec);
done:
  g_free (address);
  g_strfreev (amounts);
  return ok;
}

int
ledger_init (int argc, char **argv)
{
  static const gchar command[] = "init";
  gchar *genesis_path = NULL, *block_time = NULL, *round_length = NULL;
  gchar **funds = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    {"genesis", 'g', 0, G_OPTION_ARG_FILENAME, &genesis_path,
          "Genesis file: JSON {\"params\": {...}, \"accounts\": [{\"address\": "
          "\"0x…\", \"lpt\": \"1000e18\", \"eth\": \"1e18\"}]} (default: the "
          "devnet defaults and no accounts)", "FILE"},
    {"block-time", 0, 0, G_OPTION_ARG_STRING, &block_time,
          "Milliseconds per block, overriding the genesis (0: blocks move "
          "only with 'lpctl advance')", "MS"},
    {"round-length", 0, 0, G_OPTION_ARG_STRING, &round_length,
        "Blocks per round, overriding the genesis", "N"},
    {"fund", 0, 0, G_OPTION_ARG_STRING_ARRAY, &funds,
          "Give ADDRESS a balance of LPT (and ETH) wei at genesis, replacing "
          "the genesis file's; may be repeated", "ADDRESS=LPT[:ETH]"},
    JSON_ENTRY (as_json),
    {NULL}
  };
  LpLedgerGenesis *genesis = NULL;
  LpLedger *ledger = NULL;
  LpLedgerStatus status;
  GError *error = NULL;
  guint64 value;
  JsonObject *obj;
  GString *human;
  gchar *supply;
  guint i;
  int ret;

  ret = parse_action (command, "",
      "Creates a ledger (the file of --ledger, default " DEFAULT_LEDGER ") "
      "from a genesis:\nprotocol parameters and initial balances. An "
      "existing ledger is never\noverwritten.", entries, &argc, &argv);
  if (ret >= 0)
    goto done;
  if (argc != 1) {
    ret = usage_error (command, "unexpected argument");
    goto done;
  }

  genesis = genesis_path != NULL ?
      lp_ledger_genesis_load (genesis_path, &error) : lp_ledger_genesis_new ();
  if (genesis == NULL) {
    ret = fail (error);
    goto done;
  }
  if (block_time != NULL) {
    ret = parse_u64_option (command, "block-time", "MS", block_time, 0,
        &value);
    if (ret >= 0)
      goto done;
    genesis->params.block_time_ms = value;
  }
  if (round_length != NULL) {
    ret = parse_u64_option (command, "round-length", "N", round_length, 1,
        &value);
    if (ret >= 0)
      goto done;
    genesis->params.round_length = value;
  }
  for (i = 0; funds != NULL && funds[i] != NULL; i++) {
    if (!add_fund (genesis, funds[i], &error)) {
      ret = usage_error (command, error->message);
      g_clear_error (&error);
      goto done;
    }
  }

  ledger = lp_ledger_create (ledger_uri (), genesis, &error);
  if (ledger == NULL) {
    ret = fail (error);
    goto done;
  }
  ret = get_status (ledger, &status);
  if (ret >= 0)
    goto done;

  obj = json_object_new ();
  json_object_set_string_member (obj, "ledger", ledger_uri ());
  set_u64_member (obj, "accounts", genesis->accounts->len);
  set_amount_member (obj, "total_supply", &status.total_supply);
  set_u64_member (obj, "block", status.block);
  set_u64_member (obj, "round", status.round);
  json_object_set_object_member (obj, "params",
      params_to_json (&status.params));
  human = g_string_new (NULL);
  supply = format_token (&status.total_supply, "LPT");
  g_string_append_printf (human, "Created ledger %s: %u account%s, total "
      "supply %s, block %" G_GUINT64_FORMAT ", round %" G_GUINT64_FORMAT
      "\n", ledger_uri (), genesis->accounts->len,
      genesis->accounts->len == 1 ? "" : "s", supply, status.block,
      status.round);
  g_free (supply);
  ret = emit (as_json, obj, human);

done:
  g_clear_object (&ledger);
  g_clear_pointer (&genesis, lp_ledger_genesis_free);
  g_free (genesis_path);
  g_free (block_time);
  g_free (round_length);
  g_strfreev (funds);
  return ret;
}

static GArray *
list_orchestrators (LpLedger * ledger, gboolean active_only, GError ** error)
{
  GArray *list = lp_ledger_list_orchestrators (ledger, active_only, error);

  if (list != NULL)
    g_array_set_clear_func (list, lp_ledger_orchestrator_clear_func);
  return list;
}

int
ledger_status (int argc, char **argv)
{
  static const gchar command[] = "status";
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    JSON_ENTRY (as_json),
    {NULL}
  };
  LpLedger *ledger = NULL;
  LpLedgerStatus status;
  GArray *all = NULL;
  GError *error = NULL;
  JsonObject *obj;
  JsonArray *active, *others;
  GString *human;
  gchar *a;
  guint i, n_active = 0;
  int ret;

  ret = parse_action (command, "",
      "Prints the ledger at a glance: block, round, supply, stake, treasury,\n"
      "inflation, the parameters in force and the orchestrators (the\n"
      "current round's active set first).", entries, &argc, &argv);
  if (ret >= 0)
    return ret;
  if (argc != 1)
    return usage_error (command, "unexpected argument");
  ret = open_ledger (&ledger);
  if (ret >= 0)
    return ret;
  ret = get_status (ledger, &status);
  if (ret >= 0)
    goto done;
  all = list_orchestrators (ledger, FALSE, &error);
  if (all == NULL) {
    ret = fail (error);
    goto done;
  }

  obj = json_object_new ();
  human = g_string_new (NULL);
  json_object_set_string_member (obj, "ledger", ledger_uri ());
  set_u64_member (obj, "block", status.block);
  set_u64_member (obj, "round", status.round);
  json_object_set_boolean_member (obj, "round_initialized",
      status.round_initialized);
  json_object_set_boolean_member (obj, "round_locked", status.round_locked);
  set_u64_member (obj, "last_initialized_round",
      status.last_initialized_round);
  set_amount_member (obj, "total_supply", &status.total_supply);
  set_amount_member (obj, "total_bonded", &status.total_bonded);
  set_amount_member (obj, "treasury", &status.treasury);
  set_u64_member (obj, "inflation", status.params.inflation);
  set_amount_member (obj, "mintable", &status.mintable);
  set_amount_member (obj, "minted", &status.minted);
  set_amount_member (obj, "current_round_total_active_stake",
      &status.current_round_total_active_stake);
  set_amount_member (obj, "next_round_total_active_stake",
      &status.next_round_total_active_stake);
  json_object_set_object_member (obj, "params",
      params_to_json (&status.params));

  append_row (human, "Ledger", "%s", ledger_uri ());
  append_row (human, "Block", "%" G_GUINT64_FORMAT, status.block);
  append_row (human, "Round", "%" G_GUINT64_FORMAT " (%s, %s; last "
      "initialized round %" G_GUINT64_FORMAT ")", status.round,
      status.round_initialized ? "initialized" : "not initialized",
      status.round_locked ? "locked" : "not locked",
      status.last_initialized_round);
  append_token_row (human, "Total supply", &status.total_supply, "LPT");
  append_token_row (human, "Total bonded", &status.total_bonded, "LPT");
  append_token_row (human, "Treasury", &status.treasury, "LPT");
  a = format_percent_u64 (status.params.inflation, 9);
  append_row (human, "Inflation", "%" G_GUINT64_FORMAT " (%s per round)",
      status.params.inflation, a);
  g_free (a);
  append_token_row (human, "Mintable this round", &status.mintable, "LPT");
  append_token_row (human, "Minted this round", &status.minted, "LPT");
  append_token_row (human, "Active stake", &status.current_round_total_active_stake,
      "LPT");
  append_token_row (human, "Active stake next", &status.next_round_total_active_stake,
      "LPT");
  append_params (human, &status.params);

  active = json_array_new ();
  others = json_array_new ();
  for (i = 0; i < all->len; i++) {
    const LpLedgerOrchestrator *o = &g_array_index (all, LpLedgerOrchestrator, i);

    if (o->active)
      n_active++;
    json_array_add_object_element (o->active ? active : others,
        orchestrator_to_json (o));
  }
  json_object_set_array_member (obj, "active_set", active);
  json_object_set_array_member (obj, "other_orchestrators", others);

  g_string_append_printf (human, "Active set (%u of at most %" G_GUINT64_FORMAT
      "):\n", n_active, status.params.num_active);
  for (i = 0; i < all->len; i++) {
    const LpLedgerOrchestrator *o = &g_array_index (all, LpLedgerOrchestrator, i);

    if (o->active)
      append_orchestrator_line (human, o);
  }
  if (n_active == 0)
    g_string_append (human, "  (none)\n");
  if (n_active < all->len) {
    g_string_append (human, "Other orchestrators:\n");
    for (i = 0; i < all->len; i++) {
      const LpLedgerOrchestrator *o =
          &g_array_index (all, LpLedgerOrchestrator, i);

      if (!o->active) {
        append_orchestrator_line (human, o);
        g_string_truncate (human, human->len - 1);
        g_string_append_printf (human, "  (%s)\n", o->in_pool ?
            "active next round" : "not in the active set");
      }
    }
  }
  ret = emit (as_json, obj, human);

done:
  if (all != NULL)
    g_array_unref (all);
  g_object_unref (ledger);
  return ret;
}

/* What the ledger holds for ADDRESS, as JSON (*out) and as text (appended
 * to HUMAN). Returns -1 on success, else the exit status. */
static int
describe_account (LpLedger * ledger, const LpLedgerStatus * status,
    const LpAddress * address, JsonObject ** out, GString * human)
{
  LpAccountInfo info;
  LpLedgerOrchestrator orch;
  gboolean is_orch = FALSE;
  JsonObject *obj;
  JsonArray *locks;
  const gchar *fee_unit;
  gchar text[LP_ADDRESS_TEXT_SIZE];
  guint i;
  int ret;

  memset (&orch, 0, sizeof (orch));
  ret = get_account (ledger, address, &info);
  if (ret >= 0)
    return ret;
  is_orch = lp_ledger_get_orchestrator (ledger, address, &orch, NULL)
      && orch.registered;
  fee_unit = fee_asset_unit (status->params.fee_asset);

  obj = json_object_new ();
  set_address_member (obj, "address", &info.address);
  set_amount_member (obj, "lpt", &info.lpt);
  set_amount_member (obj, "eth", &info.eth);
  json_object_set_string_member (obj, "status",
      delegator_status_name (info.status));
  set_amount_member (obj, "bonded", &info.bonded);
  set_amount_member (obj, "pending_stake", &info.pending_stake);
  set_amount_member (obj, "fees", &info.fees);
  set_amount_member (obj, "pending_fees", &info.pending_fees);
  set_address_member (obj, "delegate", &info.delegate);
  set_amount_member (obj, "delegated", &info.delegated);
  set_u64_member (obj, "start_round", info.start_round);
  set_u64_member (obj, "last_claim_round", info.last_claim_round);
  locks = json_array_new ();
  for (i = 0; info.locks != NULL && i < info.locks->len; i++) {
    const LpUnbondingLock *l = &g_array_index (info.locks, LpUnbondingLock, i);
    JsonObject *lo = json_object_new ();

    set_u64_member (lo, "id", l->id);
    set_amount_member (lo, "amount", &l->amount);
    set_u64_member (lo, "withdraw_round", l->withdraw_round);
    json_array_add_object_element (locks, lo);
  }
  json_object_set_array_member (obj, "unbonding_locks", locks);
  set_amount_member (obj, "deposit", &info.deposit);
  set_amount_member (obj, "reserve", &info.reserve);
  set_u64_member (obj, "withdraw_round", info.withdraw_round);
  json_object_set_string_member (obj, "fee_asset",
      status->params.fee_asset == LP_FEE_ASSET_LPT ? "lpt" : "eth");
  if (is_orch)
    json_object_set_object_member (obj, "orchestrator",
        orchestrator_to_json (&orch));
  else
    json_object_set_null_member (obj, "orchestrator");

  lp_address_format (&info.address, text);
  append_row (human, "Address", "%s", text);
  append_token_row (human, "LPT", &info.lpt, "LPT");
  append_token_row (human, "ETH", &info.eth, "ETH");
  append_row (human, "Delegator status", "%s (since round %" G_GUINT64_FORMAT
      ", earnings claimed to round %" G_GUINT64_FORMAT ")",
      delegator_status_name (info.status), info.start_round,
      info.last_claim_round);
  lp_address_format (&info.delegate, text);
  append_row (human, "Delegate", "%s", lp_address_is_zero (&info.delegate) ?
      "none" : text);
  append_token_row (human, "Bonded", &info.bonded, "LPT");
  append_token_row (human, "Pending stake", &info.pending_stake, "LPT");
  append_token_row (human, "Delegated to it", &info.delegated, "LPT");
  append_token_row (human, "Fees", &info.fees, fee_unit);
  append_token_row (human, "Pending fees", &info.pending_fees, fee_unit);
  if (info.locks == NULL || info.locks->len == 0)
    append_row (human, "Unbonding locks", "none");
  for (i = 0; info.locks != NULL && i < info.locks->len; i++) {
    const LpUnbondingLock *l = &g_array_index (info.locks, LpUnbondingLock, i);
    gchar *amount = format_token (&l->amount, "LPT");
    gchar *label = g_strdup_printf ("Unbonding lock %" G_GUINT64_FORMAT,
        l->id);

    append_row (human, label, "%s, withdrawable from round %" G_GUINT64_FORMAT,
        amount, l->withdraw_round);
    g_free (label);
    g_free (amount);
  }
  append_token_row (human, "Deposit", &info.deposit, fee_unit);
  append_token_row (human, "Reserve", &info.reserve, fee_unit);
  if (info.withdraw_round == 0)
    append_row (human, "Withdraw round", "none (not unlocking)");
  else
    append_row (human, "Withdraw round", "%" G_GUINT64_FORMAT,
        info.withdraw_round);
  if (is_orch) {
    gchar *cut = format_percent_u64 (orch.reward_cut, 6);
    gchar *share = format_percent_u64 (orch.fee_share, 6);

    append_row (human, "Orchestrator", "%s, reward cut %s, fee share %s",
        orch.active ? "active" : orch.in_pool ? "active next round" :
        "not active", cut, share);
    g_free (cut);
    g_free (share);
    append_token_row (human, "  Total stake", &orch.total_stake, "LPT");
    append_row (human, "  Service URI", "%s", orch.service_uri != NULL ?
        orch.service_uri : "");
    append_row (human, "  Last reward round", "%" G_GUINT64_FORMAT,
        orch.last_reward_round);
  }
  *out = obj;
  lp_account_info_clear (&info);
  if (is_orch || orch.service_uri != NULL)
    lp_ledger_orchestrator_clear (&orch);
  return -1;
}

int
account_balance (int argc, char **argv)
{
  static const gchar command[] = "account balance";
  KeyOptions of = { NULL, };
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    KEY_ENTRIES (of, "of",
        "The account of this key file (instead of ADDRESS)"),
    JSON_ENTRY (as_json),
    {NULL}
  };
  LpLedger *ledger = NULL;
  LpLedgerStatus status;
  g_autoptr (GArray) addresses = g_array_new (FALSE, TRUE, sizeof (LpAddress));
  JsonObject *obj = NULL;
  JsonArray *accounts = NULL;
  GString *human = NULL;
  int ret, i;

  ret = parse_action (command, "[ADDRESS...]",
      "Prints what the ledger holds for an account: balances, its stake\n"
      "(delegator status, bonded and pending stake, fees, delegate,\n"
      "unbonding locks), its TicketBroker deposit and reserve, and its\n"
      "orchestrator record if it is one. With several addresses, the JSON\n"
      "output is {\"accounts\": [...]}, one object each, in their order.",
      entries, &argc, &argv);
  if (ret >= 0)
    goto done;
  if ((argc >= 2) == (of.file != NULL)) {
    ret = usage_error (command, "give the account as ADDRESS (one or more) "
        "or as --of KEYFILE");
    goto done;
  }
  g_array_set_size (addresses, of.file != NULL ? 1 : (guint) argc - 1);
  for (i = 1; ret < 0 && i < argc; i++)
    ret = parse_address_option (command, "address", argv[i],
        &g_array_index (addresses, LpAddress, i - 1));
  if (ret < 0 && of.file != NULL)
    ret = load_key_address (command, "of", &of,
        &g_array_index (addresses, LpAddress, 0));
  if (ret >= 0)
    goto done;

  ret = open_ledger (&ledger);
  if (ret >= 0)
    goto done;
  ret = get_status (ledger, &status);
  if (ret >= 0)
    goto done;
  human = g_string_new (NULL);
  if (addresses->len > 1)
    accounts = json_array_new ();
  for (i = 0; ret < 0 && i < (int) addresses->len; i++) {
    JsonObject *one;

    if (i > 0)
      g_string_append_c (human, '\n');
    ret = describe_account (ledger, &status,
        &g_array_index (addresses, LpAddress, i), &one, human);
    if (ret >= 0)
      break;
    if (accounts != NULL)
      json_array_add_object_element (accounts, one);
    else
      obj = one;
  }
  if (ret >= 0)
    goto done;
  if (accounts != NULL) {
    obj = json_object_new ();
    json_object_set_array_member (obj, "accounts", accounts);
    accounts = NULL;
  }
  ret = emit (as_json, obj, human);
  human = NULL;

done:
  if (accounts != NULL)
    json_array_unref (accounts);
  if (human != NULL)
    g_string_free (human, TRUE);
  g_clear_object (&ledger);
  key_options_clear (&of);
  return ret;
}

/* ------------------------------------------------------------------------ */
/* transfer                                                                 */
/* ------------------------------------------------------------------------ */

int
ledger_transfer (int argc, char **argv)
{
  Call c = { "transfer", };
  gchar *to_text = NULL, *amount_text = NULL, *amount;
  GOptionEntry entries[] = {
    FROM_ENTRIES (c, "The sender's key file"),
    {"to", 't', 0, G_OPTION_ARG_STRING, &to_text, "The recipient",
        "ADDRESS"},
    {"amount", 'a', 0, G_OPTION_ARG_STRING, &amount_text,
        "LPT to send, " AMOUNT_HELP, "AMOUNT"},
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  gchar a[LP_ADDRESS_TEXT_SIZE], b[LP_ADDRESS_TEXT_SIZE];
  LpAddress to;
  LpUint256 value;
  GError *error = NULL;
  JsonObject *obj;
  GString *human;
  int ret;

  ret = call_parse (&c, "Sends LPT from the key's account to ADDRESS.",
      entries, &argc, &argv);
  if (ret < 0)
    ret = parse_address_option (c.command, "to", to_text, &to);
  if (ret < 0)
    ret = parse_amount_option (c.command, "amount", amount_text, &value);
  if (ret < 0)
    ret = call_open (&c, TRUE);
  if (ret < 0) {
    if (!lp_ledger_transfer (c.ledger, &c.from, &to, &value, &error)) {
      ret = fail (error);
    } else {
      obj = call_result (&c);
      set_address_member (obj, "to", &to);
      set_amount_member (obj, "amount", &value);
      human = g_string_new (NULL);
      amount = format_token (&value, "LPT");
      g_string_append_printf (human, "Transferred %s from %s to %s\n",
          amount, address_text (&c.from, a), address_text (&to, b));
      g_free (amount);
      ret = emit (c.as_json, obj, human);
    }
  }
  call_clear (&c);
  g_free (to_text);
  g_free (amount_text);
  return ret;
}

/* ------------------------------------------------------------------------ */
/* rounds                                                                   */
/* ------------------------------------------------------------------------ */

/* Adds the round state to @obj and @human. */
static void
append_round_state (JsonObject * obj, GString * human,
    const LpLedgerStatus * status)
{
  set_u64_member (obj, "block", status->block);
  set_u64_member (obj, "round", status->round);
  json_object_set_boolean_member (obj, "round_initialized",
      status->round_initialized);
  json_object_set_boolean_member (obj, "round_locked", status->round_locked);
  append_row (human, "Block", "%" G_GUINT64_FORMAT, status->block);
  append_row (human, "Round", "%" G_GUINT64_FORMAT " (%s%s)", status->round,
      status->round_initialized ? "initialized" : "not initialized",
      status->round_locked ? ", locked" : "");
}

static int
round_init (int argc, char **argv)
{
  Call c = { "round init", };
  GOptionEntry entries[] = {
    FROM_ENTRIES (c, "On a chain: the key file of the account that sends "
        "the transaction"),
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  LpLedgerStatus status;
  guint8 hash[LP_KECCAK256_SIZE];
  GError *error = NULL;
  JsonObject *obj;
  GString *human;
  gchar *a;
  int ret;

  ret = call_start (&c, FALSE,
      "Initializes the current round: sets its active "
      "set and total active\nstake, applies pending parameter changes and "
      "lets the Minter set the\nround's inflation and mintable LPT.",
      entries, &argc, &argv);
  if (ret < 0 && !lp_ledger_initialize_round (c.ledger, &error))
    ret = fail (error);
  if (ret < 0)
    ret = get_status (c.ledger, &status);
  if (ret < 0) {
    obj = json_object_new ();
    human = g_string_new (NULL);
    g_string_append_printf (human, "Initialized round %" G_GUINT64_FORMAT
        "\n", status.round);
    append_round_state (obj, human, &status);
    if (lp_ledger_get_round_block_hash (c.ledger, status.round, hash,
            NULL)) {
      a = lp_hex_encode (hash, sizeof (hash), TRUE);
      json_object_set_string_member (obj, "block_hash", a);
      append_row (human, "Block hash", "%s", a);
      g_free (a);
    }
    set_u64_member (obj, "inflation", status.params.inflation);
    set_amount_member (obj, "mintable", &status.mintable);
    set_amount_member (obj, "total_active_stake",
        &status.current_round_total_active_stake);
    a = format_percent_u64 (status.params.inflation, 9);
    append_row (human, "Inflation", "%" G_GUINT64_FORMAT " (%s per round)",
        status.params.inflation, a);
    g_free (a);
    append_token_row (human, "Mintable", &status.mintable, "LPT");
    append_token_row (human, "Active stake",
        &status.current_round_total_active_stake, "LPT");
    ret = emit (c.as_json, obj, human);
  }
  call_clear (&c);
  return ret;
}

int
ledger_advance (int argc, char **argv)
{
  Call c = { "advance", };
  gchar *blocks_text = NULL, *rounds_text = NULL;
  gboolean init = FALSE;
  GOptionEntry entries[] = {
    {"blocks", 'b', 0, G_OPTION_ARG_STRING, &blocks_text,
        "Mine N blocks", "N"},
    {"rounds", 'r', 0, G_OPTION_ARG_STRING, &rounds_text,
          "Mine N rounds' worth of blocks (N × the round length): the same "
          "point of the round N rounds later", "N"},
    {"init", 'i', 0, G_OPTION_ARG_NONE, &init,
          "Then initialize the round reached (unless it already is)", NULL},
    FROM_ENTRIES (c, "On a chain: the key file of the account that sends "
        "--init's transaction"),
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  LpLedgerStatus status;
  guint64 n = 0, blocks;
  gboolean initialized = FALSE;
  GError *error = NULL;
  JsonObject *obj;
  GString *human;
  int ret;

  ret = call_parse (&c, "Moves the devnet's chain forward by mining empty "
      "blocks (the embedded\nledger only).", entries, &argc, &argv);
  if (ret < 0 && (blocks_text == NULL) == (rounds_text == NULL))
    ret = usage_error (c.command, "give either --blocks N or --rounds N");
  if (ret < 0)
    ret = parse_u64_option (c.command, blocks_text != NULL ? "blocks" :
        "rounds", "N", blocks_text != NULL ? blocks_text : rounds_text, 0, &n);
  if (ret < 0)
    ret = call_open (&c, FALSE);
  if (ret < 0)
    ret = get_status (c.ledger, &status);
  if (ret < 0) {
    blocks = n;
    if (rounds_text != NULL) {
      if (n > G_MAXINT64 / MAX (status.params.round_length, 1)) {
        ret = option_error (c.command, "rounds", "too many rounds");
        goto done;
      }
      blocks = n * status.params.round_length;
    }
    if (!lp_ledger_advance (c.ledger, blocks, &error))
      ret = fail (error);
  }
  if (ret < 0)
    ret = get_status (c.ledger, &status);
  if (ret < 0 && init && !status.round_initialized) {
    if (!lp_ledger_initialize_round (c.ledger, &error))
      ret = fail (error);
    else
      ret = get_status (c.ledger, &status);
    initialized = ret < 0;
  }
  if (ret < 0) {
    obj = json_object_new ();
    human = g_string_new (NULL);
    set_u64_member (obj, "advanced_blocks", blocks);
    json_object_set_boolean_member (obj, "initialized_round", initialized);
    g_string_append_printf (human, "Advanced %" G_GUINT64_FORMAT " block%s%s"
        "\n", blocks, blocks == 1 ? "" : "s", initialized ?
        " and initialized the round" : "");
    append_round_state (obj, human, &status);
    ret = emit (c.as_json, obj, human);
  }
done:
  call_clear (&c);
  g_free (blocks_text);
  g_free (rounds_text);
  return ret;
}

static const Action round_actions[] = {
  {"init", round_init},
};

int
cmd_round (int argc, char **argv)
{
  return run_command ("round", "round ACTION [ARGS…]",
      "Manages rounds.",
      "Actions:\n"
      "  init [--json]\n"
      "      Initialize the current round (see 'lpctl round init --help').\n",
      round_actions, G_N_ELEMENTS (round_actions), "init", argc, argv);
}

/* ------------------------------------------------------------------------ */
/* audit                                                                    */
/* ------------------------------------------------------------------------ */

int
ledger_audit (int argc, char **argv)
{
  Call c = { "audit", };
  GOptionEntry entries[] = {
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  GString *report = g_string_new (NULL);
  GError *error = NULL;
  JsonObject *obj;
  GString *human;
  gboolean ok;
  int ret;

  ret = call_start (&c, FALSE,
      "Checks the ledger's storage (SQLite quick_check) "
      "and its invariants\n(supply, stake and fee accounting) and prints the "
      "report. Exit status 0 when\nevery check holds, 1 otherwise.", entries,
      &argc, &argv);
  if (ret < 0) {
    ok = lp_ledger_audit (c.ledger, report, &error);
    obj = json_object_new ();
    json_object_set_boolean_member (obj, "ok", ok);
    json_object_set_string_member (obj, "report", report->str);
    /* a failed invariant is in the report, with no error: only a ledger
     * that could not be read (or is damaged) sets one */
    if (!ok && error != NULL)
      json_object_set_string_member (obj, "error", error->message);
    human = g_string_new (report->str);
    if (human->len > 0 && human->str[human->len - 1] != '\n')
      g_string_append_c (human, '\n');
    emit (c.as_json, obj, human);
    if (ok)
      ret = EXIT_SUCCESS;
    else if (error != NULL)
      ret = fail (error);
    else
      ret = EXIT_FAILURE;
  }
  g_string_free (report, TRUE);
  call_clear (&c);
  return ret;
}

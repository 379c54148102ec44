/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * lpctl's BondingManager commands: register, bond, unbond, rebond,
 * withdraw-stake, withdraw-fees, claim and reward, and evidence (the
 * slashing of an orchestrator's stake).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpctl.h"

/* ------------------------------------------------------------------------ */
/* orchestrators and delegators                                             */
/* ------------------------------------------------------------------------ */

int
ledger_register (int argc, char **argv)
{
  Call c = { "register", };
  gchar *cut_text = NULL, *share_text = NULL, *service_uri = NULL;
  GOptionEntry entries[] = {
    FROM_ENTRIES (c, "The orchestrator's key file"),
    {"reward-cut", 'r', 0, G_OPTION_ARG_STRING, &cut_text,
          "Share of rewards the orchestrator keeps: a percentage with at "
          "most 4 decimals (10%, 12.5%) or parts per million (100000)",
        "PERCENT"},
    {"fee-share", 'f', 0, G_OPTION_ARG_STRING, &share_text,
          "Share of fees passed to its delegators, as --reward-cut",
        "PERCENT"},
    {"service-uri", 'u', 0, G_OPTION_ARG_STRING, &service_uri,
        "Where it serves, e.g. https://host:8935 (default: the URI it "
          "registered before, else empty)", "URI"},
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  guint64 cut = 0, share = 0;
  LpLedgerOrchestrator orch;
  GError *error = NULL;
  GString *human;
  JsonObject *obj;
  gchar *cut_pct, *share_pct, a[LP_ADDRESS_TEXT_SIZE];
  int ret;

  memset (&orch, 0, sizeof (orch));
  ret = call_parse (&c, "Registers the key's account as an orchestrator "
      "(or changes its reward\ncut, fee share and service URI). It must "
      "have bonded to itself first\n('lpctl bond --from KEY --to ITS_ADDRESS "
      "--amount AMOUNT'); it joins the\nactive set from the next round.",
      entries, &argc, &argv);
  if (ret < 0)
    ret = parse_ppm_option (c.command, "reward-cut", cut_text, &cut);
  if (ret < 0)
    ret = parse_ppm_option (c.command, "fee-share", share_text, &share);
  if (ret < 0)
    ret = call_open (&c, TRUE);
  /* without --service-uri, a registered orchestrator keeps its URI */
  if (ret < 0 && service_uri == NULL
      && lp_ledger_get_orchestrator (c.ledger, &c.from, &orch, NULL)
      && orch.registered)
    service_uri = g_strdup (orch.service_uri);
  lp_ledger_orchestrator_clear (&orch);
  memset (&orch, 0, sizeof (orch));
  if (ret < 0 && !lp_ledger_register_orchestrator (c.ledger, &c.from, cut,
          share, service_uri != NULL ? service_uri : "", &error))
    ret = fail (error);
  if (ret < 0 && !lp_ledger_get_orchestrator (c.ledger, &c.from, &orch,
          &error))
    ret = fail (error);
  if (ret < 0) {
    obj = call_result (&c);
    json_object_set_object_member (obj, "orchestrator",
        orchestrator_to_json (&orch));
    human = g_string_new (NULL);
    cut_pct = format_percent_u64 (orch.reward_cut, 6);
    share_pct = format_percent_u64 (orch.fee_share, 6);
    g_string_append_printf (human, "Registered orchestrator %s: reward cut "
        "%s, fee share %s, service URI '%s', %s\n",
        address_text (&c.from, a), cut_pct, share_pct,
        orch.service_uri != NULL ? orch.service_uri : "",
        orch.active ? "active" : orch.in_pool ? "active from the next round"
        : "not in the active set");
    g_free (cut_pct);
    g_free (share_pct);
    ret = emit (c.as_json, obj, human);
  }
  lp_ledger_orchestrator_clear (&orch);
  call_clear (&c);
  g_free (cut_text);
  g_free (share_text);
  g_free (service_uri);
  return ret;
}

/* Adds the stake of @info to @obj and @human. */
static void
append_stake_state (JsonObject * obj, GString * human,
    const LpAccountInfo * info)
{
  gchar text[LP_ADDRESS_TEXT_SIZE];

  json_object_set_string_member (obj, "status",
      delegator_status_name (info->status));
  set_address_member (obj, "delegate", &info->delegate);
  set_amount_member (obj, "bonded", &info->bonded);
  set_amount_member (obj, "pending_stake", &info->pending_stake);
  set_amount_member (obj, "pending_fees", &info->pending_fees);
  append_row (human, "Status", "%s", delegator_status_name (info->status));
  append_row (human, "Delegate", "%s", lp_address_is_zero (&info->delegate) ?
      "none" : address_text (&info->delegate, text));
  append_token_row (human, "Bonded", &info->bonded, "LPT");
  append_token_row (human, "Pending stake", &info->pending_stake, "LPT");
}

int
ledger_bond (int argc, char **argv)
{
  Call c = { "bond", };
  gchar *to_text = NULL, *amount_text = NULL, *amount;
  GOptionEntry entries[] = {
    FROM_ENTRIES (c, "The delegator's key file"),
    {"to", 't', 0, G_OPTION_ARG_STRING, &to_text,
          "The orchestrator to delegate to (the key's own address to "
          "self-bond)", "ADDRESS"},
    {"amount", 'a', 0, G_OPTION_ARG_STRING, &amount_text,
        "LPT to add to the bond, " AMOUNT_HELP " (0 moves the bond)",
        "AMOUNT"},
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  gchar a[LP_ADDRESS_TEXT_SIZE], b[LP_ADDRESS_TEXT_SIZE];
  LpAddress to;
  LpUint256 value;
  LpAccountInfo info;
  GError *error = NULL;
  JsonObject *obj;
  GString *human;
  int ret;

  memset (&info, 0, sizeof (info));
  ret = call_parse (&c, "Bonds (stakes) LPT of the key's account to an "
      "orchestrator, claiming its\nearnings first. The stake counts from the "
      "next round.", entries, &argc, &argv);
  if (ret < 0)
    ret = parse_address_option (c.command, "to", to_text, &to);
  if (ret < 0)
    ret = parse_amount_option (c.command, "amount", amount_text, &value);
  if (ret < 0)
    ret = call_open (&c, TRUE);
  if (ret < 0 && !lp_ledger_bond (c.ledger, &c.from, &to, &value, &error))
    ret = fail (error);
  if (ret < 0)
    ret = get_account (c.ledger, &c.from, &info);
  if (ret < 0) {
    obj = call_result (&c);
    set_address_member (obj, "to", &to);
    set_amount_member (obj, "amount", &value);
    human = g_string_new (NULL);
    amount = format_token (&value, "LPT");
    g_string_append_printf (human, "Bonded %s from %s to %s\n", amount,
        address_text (&c.from, a), address_text (&to, b));
    g_free (amount);
    append_stake_state (obj, human, &info);
    ret = emit (c.as_json, obj, human);
  }
  lp_account_info_clear (&info);
  call_clear (&c);
  g_free (to_text);
  g_free (amount_text);
  return ret;
}

static const LpUnbondingLock *
find_lock (const LpAccountInfo * info, guint64 id)
{
  guint i;

  for (i = 0; info->locks != NULL && i < info->locks->len; i++) {
    const LpUnbondingLock *l = &g_array_index (info->locks, LpUnbondingLock,
        i);

    if (l->id == id)
      return l;
  }
  return NULL;
}

int
ledger_unbond (int argc, char **argv)
{
  Call c = { "unbond", };
  gchar *amount_text = NULL, *amount;
  GOptionEntry entries[] = {
    FROM_ENTRIES (c, "The delegator's key file"),
    {"amount", 'a', 0, G_OPTION_ARG_STRING, &amount_text,
        "LPT to unbond, " AMOUNT_HELP, "AMOUNT"},
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  LpUint256 value;
  LpAccountInfo info;
  const LpUnbondingLock *lock;
  guint64 lock_id = 0;
  GError *error = NULL;
  JsonObject *obj;
  GString *human;
  int ret;

  memset (&info, 0, sizeof (info));
  ret = call_parse (&c, "Unbonds LPT of the key's account into a new "
      "unbonding lock, withdrawable\n('lpctl withdraw-stake') after the "
      "unbonding period or rebonded ('lpctl\nrebond') before. Prints the "
      "lock's id and withdraw round.", entries, &argc, &argv);
  if (ret < 0)
    ret = parse_amount_option (c.command, "amount", amount_text, &value);
  if (ret < 0)
    ret = call_open (&c, TRUE);
  if (ret < 0 && !lp_ledger_unbond (c.ledger, &c.from, &value, &lock_id,
          &error))
    ret = fail (error);
  if (ret < 0)
    ret = get_account (c.ledger, &c.from, &info);
  if (ret < 0) {
    lock = find_lock (&info, lock_id);
    obj = call_result (&c);
    set_amount_member (obj, "amount", &value);
    set_u64_member (obj, "lock", lock_id);
    set_u64_member (obj, "withdraw_round", lock != NULL ?
        lock->withdraw_round : 0);
    human = g_string_new (NULL);
    amount = format_token (&value, "LPT");
    g_string_append_printf (human, "Unbonded %s into lock %" G_GUINT64_FORMAT
        ", withdrawable from round %" G_GUINT64_FORMAT "\n", amount, lock_id,
        lock != NULL ? lock->withdraw_round : 0);
    g_free (amount);
    append_stake_state (obj, human, &info);
    ret = emit (c.as_json, obj, human);
  }
  lp_account_info_clear (&info);
  call_clear (&c);
  g_free (amount_text);
  return ret;
}

typedef enum
{
  LOCK_REBOND,
  LOCK_WITHDRAW,
} LockOp;

static int
lock_op (LockOp op, int argc, char **argv)
{
  Call c = { op == LOCK_REBOND ? "rebond" : "withdraw-stake", };
  gchar *lock_text = NULL, *to_text = NULL, *amount;
  GOptionEntry rebond_entries[] = {
    FROM_ENTRIES (c, "The delegator's key file"),
    {"lock", 'i', 0, G_OPTION_ARG_STRING, &lock_text,
        "The unbonding lock's id (from 'lpctl unbond')", "ID"},
    {"to", 't', 0, G_OPTION_ARG_STRING, &to_text,
          "The orchestrator to bond to (default: the current delegate; "
          "needed once fully unbonded)", "ADDRESS"},
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  GOptionEntry withdraw_entries[] = {
    FROM_ENTRIES (c, "The delegator's key file"),
    {"lock", 'i', 0, G_OPTION_ARG_STRING, &lock_text,
        "The unbonding lock's id (from 'lpctl unbond')", "ID"},
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  LpAddress to;
  LpAccountInfo before, after;
  const LpUnbondingLock *lock = NULL;
  guint64 lock_id = 0;
  GError *error = NULL;
  JsonObject *obj;
  GString *human;
  gboolean ok;
  int ret;

  memset (&before, 0, sizeof (before));
  memset (&after, 0, sizeof (after));
  ret = call_parse (&c, op == LOCK_REBOND ?
      "Bonds an unbonding lock of the key's account again (to its delegate,\n"
      "or to --to when it has none)." :
      "Takes the LPT of an unbonding lock back into the key's balance once\n"
      "its withdraw round has come.",
      op == LOCK_REBOND ? rebond_entries : withdraw_entries, &argc, &argv);
  if (ret < 0)
    ret = parse_u64_option (c.command, "lock", "ID", lock_text, 0, &lock_id);
  if (ret < 0 && to_text != NULL)
    ret = parse_address_option (c.command, "to", to_text, &to);
  if (ret < 0)
    ret = call_open (&c, TRUE);
  if (ret < 0)
    ret = get_account (c.ledger, &c.from, &before);
  if (ret < 0) {
    lock = find_lock (&before, lock_id);
    ok = op == LOCK_REBOND ? lp_ledger_rebond (c.ledger, &c.from,
        to_text != NULL ? &to : NULL, lock_id, &error) :
        lp_ledger_withdraw_stake (c.ledger, &c.from, lock_id, &error);
    if (!ok)
      ret = fail (error);
  }
  if (ret < 0)
    ret = get_account (c.ledger, &c.from, &after);
  if (ret < 0) {
    LpUint256 zero = LP_UINT256_INIT;
    const LpUint256 *value = lock != NULL ? &lock->amount : &zero;

    obj = call_result (&c);
    set_u64_member (obj, "lock", lock_id);
    set_amount_member (obj, "amount", value);
    human = g_string_new (NULL);
    amount = format_token (value, "LPT");
    if (op == LOCK_REBOND)
      g_string_append_printf (human, "Rebonded lock %" G_GUINT64_FORMAT
          " (%s)\n", lock_id, amount);
    else
      g_string_append_printf (human, "Withdrew lock %" G_GUINT64_FORMAT
          ": %s\n", lock_id, amount);
    g_free (amount);
    append_stake_state (obj, human, &after);
    set_amount_member (obj, "lpt", &after.lpt);
    append_token_row (human, "LPT", &after.lpt, "LPT");
    ret = emit (c.as_json, obj, human);
  }
  lp_account_info_clear (&before);
  lp_account_info_clear (&after);
  call_clear (&c);
  g_free (lock_text);
  g_free (to_text);
  return ret;
}

int
ledger_rebond (int argc, char **argv)
{
  return lock_op (LOCK_REBOND, argc, argv);
}

int
ledger_withdraw_stake (int argc, char **argv)
{
  return lock_op (LOCK_WITHDRAW, argc, argv);
}

int
ledger_withdraw_fees (int argc, char **argv)
{
  Call c = { "withdraw-fees", };
  gchar *to_text = NULL, *amount_text = NULL, *amount;
  GOptionEntry entries[] = {
    FROM_ENTRIES (c, "The delegator's (or orchestrator's) key file"),
    {"to", 't', 0, G_OPTION_ARG_STRING, &to_text,
        "Where to send the fees (default: the key's own account)",
        "ADDRESS"},
    {"amount", 'a', 0, G_OPTION_ARG_STRING, &amount_text,
          "How much, in wei of the fee asset (default: all pending fees)",
        "AMOUNT"},
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  gchar a[LP_ADDRESS_TEXT_SIZE];
  LpLedgerStatus status;
  LpAddress to;
  LpUint256 value;
  LpAccountInfo info;
  GError *error = NULL;
  JsonObject *obj;
  GString *human;
  int ret;

  memset (&info, 0, sizeof (info));
  ret = call_parse (&c, "Withdraws fees the key's account earned (its "
      "pending fees, claimed\nfirst).", entries, &argc, &argv);
  if (ret < 0 && to_text != NULL)
    ret = parse_address_option (c.command, "to", to_text, &to);
  if (ret < 0 && amount_text != NULL)
    ret = parse_amount_option (c.command, "amount", amount_text, &value);
  if (ret < 0)
    ret = call_open (&c, TRUE);
  if (ret < 0)
    ret = get_status (c.ledger, &status);
  if (ret < 0 && amount_text == NULL) {
    ret = get_account (c.ledger, &c.from, &info);
    value = info.pending_fees;
  }
  if (ret < 0) {
    if (to_text == NULL)
      to = c.from;
    if (!lp_ledger_withdraw_fees (c.ledger, &c.from, &to, &value, &error))
      ret = fail (error);
  }
  if (ret < 0) {
    obj = call_result (&c);
    set_address_member (obj, "to", &to);
    set_amount_member (obj, "amount", &value);
    human = g_string_new (NULL);
    amount = format_token (&value, fee_asset_unit (status.params.fee_asset));
    g_string_append_printf (human, "Withdrew fees %s to %s\n", amount,
        address_text (&to, a));
    g_free (amount);
    ret = emit (c.as_json, obj, human);
  }
  lp_account_info_clear (&info);
  call_clear (&c);
  g_free (to_text);
  g_free (amount_text);
  return ret;
}

int
ledger_claim (int argc, char **argv)
{
  Call c = { "claim", };
  LpLedgerStatus status;
  LpAccountInfo info;
  GError *error = NULL;
  JsonObject *obj;
  GString *human;
  int ret;

  memset (&info, 0, sizeof (info));
  ret = call_start_with_key (&c, "The delegator's key file",
      "Claims the key's account's rewards and fees up to "
      "the current round into\nits bond and fees.", &argc, &argv);
  if (ret < 0 && !lp_ledger_claim_earnings (c.ledger, &c.from, &error))
    ret = fail (error);
  if (ret < 0)
    ret = get_status (c.ledger, &status);
  if (ret < 0)
    ret = get_account (c.ledger, &c.from, &info);
  if (ret < 0) {
    obj = call_result (&c);
    human = g_string_new (NULL);
    g_string_append_printf (human, "Claimed earnings up to round %"
        G_GUINT64_FORMAT "\n", info.last_claim_round);
    set_u64_member (obj, "last_claim_round", info.last_claim_round);
    append_stake_state (obj, human, &info);
    set_amount_member (obj, "fees", &info.fees);
    append_token_row (human, "Fees", &info.fees,
        fee_asset_unit (status.params.fee_asset));
    ret = emit (c.as_json, obj, human);
  }
  lp_account_info_clear (&info);
  call_clear (&c);
  return ret;
}

int
ledger_reward (int argc, char **argv)
{
  Call c = { "reward", };
  LpLedgerStatus status;
  LpUint256 minted = LP_UINT256_INIT;
  GError *error = NULL;
  JsonObject *obj;
  GString *human;
  gchar *amount;
  int ret;

  ret = call_start_with_key (&c, "The orchestrator's key file",
      "Calls reward() for the key's orchestrator: mints "
      "its share of the\ncurrent round's inflation (once per round, while "
      "active). Prints the LPT\nminted.", &argc, &argv);
  if (ret < 0 && !lp_ledger_reward (c.ledger, &c.from, &minted, &error))
    ret = fail (error);
  if (ret < 0)
    ret = get_status (c.ledger, &status);
  if (ret < 0) {
    obj = call_result (&c);
    set_amount_member (obj, "minted", &minted);
    set_u64_member (obj, "round", status.round);
    human = g_string_new (NULL);
    amount = format_token (&minted, "LPT");
    g_string_append_printf (human, "Minted %s in round %" G_GUINT64_FORMAT
        "\n", amount, status.round);
    g_free (amount);
    ret = emit (c.as_json, obj, human);
  }
  call_clear (&c);
  return ret;
}

/* ------------------------------------------------------------------------ */
/* slashing                                                                 */
/* ------------------------------------------------------------------------ */

int
ledger_evidence (int argc, char **argv)
{
  Call c = { "evidence", };
  gchar *orch_text = NULL, *reason = NULL, *amount;
  GOptionEntry entries[] = {
    FROM_ENTRIES (c, "The finder's key file (it receives the finder fee)"),
    {"orchestrator", 'o', 0, G_OPTION_ARG_STRING, &orch_text,
        "The orchestrator at fault", "ADDRESS"},
    {"reason", 'r', 0, G_OPTION_ARG_STRING, &reason,
        "What it did (kept with the evidence)", "TEXT"},
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  gchar text[LP_ADDRESS_TEXT_SIZE];
  LpAddress orch;
  LpUint256 penalty = LP_UINT256_INIT;
  GError *error = NULL;
  JsonObject *obj;
  GString *human;
  int ret;

  ret = call_parse (&c, "Submits evidence of an orchestrator's fault. With "
      "slashing on, it loses\nthe slash amount of its self-bond and leaves the "
      "active set; the finder\ngets the finder fee of the penalty. Prints the "
      "penalty.", entries, &argc, &argv);
  if (ret < 0)
    ret = parse_address_option (c.command, "orchestrator", orch_text, &orch);
  if (ret < 0 && reason == NULL)
    ret = missing_option (c.command, "reason", "TEXT");
  if (ret < 0)
    ret = call_open (&c, TRUE);
  if (ret < 0 && !lp_ledger_submit_evidence (c.ledger, &c.from, &orch,
          reason, &penalty, &error))
    ret = fail (error);
  if (ret < 0) {
    obj = call_result (&c);
    set_address_member (obj, "orchestrator", &orch);
    set_amount_member (obj, "penalty", &penalty);
    human = g_string_new (NULL);
    amount = format_token (&penalty, "LPT");
    g_string_append_printf (human, "Penalty for %s: %s\n",
        address_text (&orch, text), amount);
    g_free (amount);
    ret = emit (c.as_json, obj, human);
  }
  call_clear (&c);
  g_free (orch_text);
  g_free (reason);
  return ret;
}

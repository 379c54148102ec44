/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * lpctl's governance commands: propose, vote, proposal show and execute.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpctl.h"

static gchar *
param_names (void)
{
  GString *names = g_string_new (NULL);
  guint i;

  for (i = 0; i < LP_LEDGER_N_PARAMS; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? ", " : "",
        lp_ledger_param_name ((LpLedgerParam) i));
  return g_string_free (names, FALSE);
}

/* "PARAM=VALUE" */
static gboolean
parse_set_action (const gchar * spec, LpProposalAction * action,
    GError ** error)
{
  const gchar *eq = strchr (spec, '=');
  gchar *name, *names;
  gboolean ok;

  memset (action, 0, sizeof (*action));
  action->kind = LP_PROPOSAL_SET_PARAM;
  if (eq == NULL) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--set: '%s' is not PARAM=VALUE", spec);
    return FALSE;
  }
  name = g_strndup (spec, eq - spec);
  ok = lp_ledger_param_from_name (name, &action->param);
  if (!ok) {
    names = param_names ();
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--set: unknown parameter '%s' (expected one of %s)", name, names);
    g_free (names);
  }
  g_free (name);
  if (ok && !lp_uint256_parse (eq + 1, &action->value, error)) {
    g_prefix_error (error, "--set %s: ", spec);
    ok = FALSE;
  }
  return ok;
}

/* "ADDRESS=AMOUNT" */
static gboolean
parse_pay_action (const gchar * spec, LpProposalAction * action,
    GError ** error)
{
  const gchar *eq = strchr (spec, '=');
  gchar *address;
  gboolean ok;

  memset (action, 0, sizeof (*action));
  action->kind = LP_PROPOSAL_TREASURY_PAYOUT;
  if (eq == NULL) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--pay: '%s' is not ADDRESS=AMOUNT", spec);
    return FALSE;
  }
  address = g_strndup (spec, eq - spec);
  ok = lp_address_parse (address, &action->to, error)
      && lp_uint256_parse (eq + 1, &action->value, error);
  if (!ok)
    g_prefix_error (error, "--pay %s: ", spec);
  g_free (address);
  return ok;
}

int
ledger_propose (int argc, char **argv)
{
  Call c = { "propose", };
  gchar *description = NULL, **sets = NULL, **pays = NULL, *names, *help;
  GOptionEntry entries[] = {
    FROM_ENTRIES (c, "The proposer's key file (it needs the proposal "
          "threshold of stake)"),
    {"description", 'd', 0, G_OPTION_ARG_STRING, &description,
        "What the proposal is about", "TEXT"},
    {"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets, NULL, "PARAM=VALUE"},
    {"pay", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &pays,
          "Pay AMOUNT wei of LPT from the treasury to ADDRESS if it passes; "
          "may be repeated", "ADDRESS=AMOUNT"},
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  GArray *actions = g_array_new (FALSE, TRUE, sizeof (LpProposalAction));
  LpProposalInfo info;
  guint64 id = 0;
  GError *error = NULL;
  JsonObject *obj;
  GString *human;
  guint i;
  int ret;

  memset (&info, 0, sizeof (info));
  names = param_names ();
  help = g_strdup_printf ("Set a parameter if the proposal passes (%s); may "
      "be repeated", names);
  for (i = 0; entries[i].long_name != NULL; i++) {
    if (strcmp (entries[i].long_name, "set") == 0)
      entries[i].description = help;
  }
  ret = call_parse (&c, "Makes a governance proposal of parameter changes "
      "and treasury payouts.\nVoting opens after the voting delay and lasts "
      "the voting period. Prints\nthe proposal's id.", entries, &argc, &argv);
  if (ret < 0 && description == NULL)
    ret = missing_option (c.command, "description", "TEXT");
  for (i = 0; ret < 0 && sets != NULL && sets[i] != NULL; i++) {
    LpProposalAction action;

    if (parse_set_action (sets[i], &action, &error))
      g_array_append_val (actions, action);
  }
  for (i = 0; ret < 0 && error == NULL && pays != NULL && pays[i] != NULL;
      i++) {
    LpProposalAction action;

    if (parse_pay_action (pays[i], &action, &error))
      g_array_append_val (actions, action);
  }
  if (ret < 0 && error != NULL) {
    ret = usage_error (c.command, error->message);
    g_clear_error (&error);
  }
  if (ret < 0 && actions->len == 0)
    ret = usage_error (c.command, "give at least one --set PARAM=VALUE or "
        "--pay ADDRESS=AMOUNT");
  if (ret < 0)
    ret = call_open (&c, TRUE);
  if (ret < 0 && !lp_ledger_propose (c.ledger, &c.from, description,
          (const LpProposalAction *) actions->data, actions->len, &id,
          &error))
    ret = fail (error);
  if (ret < 0 && !lp_ledger_get_proposal (c.ledger, id, &info, &error))
    ret = fail (error);
  if (ret < 0) {
    obj = call_result (&c);
    set_u64_member (obj, "proposal", id);
    set_u64_member (obj, "start_round", info.start_round);
    set_u64_member (obj, "end_round", info.end_round);
    human = g_string_new (NULL);
    g_string_append_printf (human, "Proposal %" G_GUINT64_FORMAT ": voting "
        "from round %" G_GUINT64_FORMAT " to round %" G_GUINT64_FORMAT "\n",
        id, info.start_round, info.end_round);
    ret = emit (c.as_json, obj, human);
  }
  lp_proposal_info_clear (&info);
  g_array_unref (actions);
  call_clear (&c);
  g_free (description);
  g_strfreev (sets);
  g_strfreev (pays);
  g_free (names);
  g_free (help);
  return ret;
}

int
ledger_vote (int argc, char **argv)
{
  Call c = { "vote", };
  gchar *proposal_text = NULL, *support_text = NULL;
  GOptionEntry entries[] = {
    FROM_ENTRIES (c, "The voter's key file (an orchestrator or a "
          "delegator)"),
    {"proposal", 'p', 0, G_OPTION_ARG_STRING, &proposal_text,
        "The proposal's id", "ID"},
    {"support", 's', 0, G_OPTION_ARG_STRING, &support_text,
          "The vote: for, against, or abstain (counts toward the quorum "
          "only)", "for|against|abstain"},
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  LpVoteSupport support = LP_VOTE_FOR;
  guint64 id = 0;
  GError *error = NULL;
  JsonObject *obj;
  GString *human;
  int ret;

  ret = call_parse (&c, "Votes on a proposal with the stake the key's "
      "account had at the\nproposal's start round.", entries, &argc, &argv);
  if (ret < 0)
    ret = parse_u64_option (c.command, "proposal", "ID", proposal_text, 1,
        &id);
  if (ret < 0) {
    if (support_text == NULL)
      ret = missing_option (c.command, "support", "for|against|abstain");
    else if (strcmp (support_text, "for") == 0)
      support = LP_VOTE_FOR;
    else if (strcmp (support_text, "against") == 0)
      support = LP_VOTE_AGAINST;
    else if (strcmp (support_text, "abstain") == 0)
      support = LP_VOTE_ABSTAIN;
    else
      ret = option_error (c.command, "support", "expected for, against or "
          "abstain");
  }
  if (ret < 0)
    ret = call_open (&c, TRUE);
  if (ret < 0 && !lp_ledger_vote (c.ledger, &c.from, id, support, &error))
    ret = fail (error);
  if (ret < 0) {
    obj = call_result (&c);
    set_u64_member (obj, "proposal", id);
    json_object_set_string_member (obj, "support", support_text);
    human = g_string_new (NULL);
    g_string_append_printf (human, "Voted %s proposal %" G_GUINT64_FORMAT
        "\n", support_text, id);
    ret = emit (c.as_json, obj, human);
  }
  call_clear (&c);
  g_free (proposal_text);
  g_free (support_text);
  return ret;
}

static int
proposal_show (int argc, char **argv)
{
  static const gchar command[] = "proposal show";
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    JSON_ENTRY (as_json),
    {NULL}
  };
  LpLedger *ledger = NULL;
  LpProposalInfo info;
  guint64 id;
  GError *error = NULL;
  JsonObject *obj;
  JsonArray *actions;
  GString *human;
  gchar text[LP_ADDRESS_TEXT_SIZE], *a;
  guint i;
  int ret;

  memset (&info, 0, sizeof (info));
  ret = parse_action (command, "ID",
      "Prints a proposal: its state, voting rounds, tallies, quorum and\n"
      "actions.", entries, &argc, &argv);
  if (ret >= 0)
    return ret;
  if (argc != 2)
    return usage_error (command, argc < 2 ? "missing the proposal id" :
        "give exactly one proposal id");
  ret = parse_u64_option (command, "proposal", "ID", argv[1], 1, &id);
  if (ret >= 0)
    return ret;
  ret = open_ledger (&ledger);
  if (ret >= 0)
    return ret;
  if (!lp_ledger_get_proposal (ledger, id, &info, &error)) {
    ret = fail (error);
    goto done;
  }

  obj = json_object_new ();
  human = g_string_new (NULL);
  set_u64_member (obj, "id", info.id);
  set_address_member (obj, "proposer", &info.proposer);
  json_object_set_string_member (obj, "description",
      info.description != NULL ? info.description : "");
  json_object_set_string_member (obj, "state",
      lp_proposal_state_name (info.state));
  set_u64_member (obj, "start_round", info.start_round);
  set_u64_member (obj, "end_round", info.end_round);
  set_amount_member (obj, "votes_for", &info.votes_for);
  set_amount_member (obj, "votes_against", &info.votes_against);
  set_amount_member (obj, "votes_abstain", &info.votes_abstain);
  set_amount_member (obj, "quorum", &info.quorum);
  set_amount_member (obj, "total_active_stake", &info.total_active_stake);

  append_row (human, "Proposal", "%" G_GUINT64_FORMAT, info.id);
  append_row (human, "Proposer", "%s", address_text (&info.proposer, text));
  append_row (human, "Description", "%s", info.description != NULL ?
      info.description : "");
  append_row (human, "State", "%s", lp_proposal_state_name (info.state));
  append_row (human, "Voting rounds", "%" G_GUINT64_FORMAT " to %"
      G_GUINT64_FORMAT, info.start_round, info.end_round);
  append_token_row (human, "For", &info.votes_for, "LPT");
  append_token_row (human, "Against", &info.votes_against, "LPT");
  append_token_row (human, "Abstain", &info.votes_abstain, "LPT");
  append_token_row (human, "Quorum", &info.quorum, "LPT");
  append_token_row (human, "Total active stake", &info.total_active_stake,
      "LPT");

  actions = json_array_new ();
  g_string_append (human, "Actions:\n");
  for (i = 0; info.actions != NULL && i < info.actions->len; i++) {
    const LpProposalAction *act =
        &g_array_index (info.actions, LpProposalAction, i);
    JsonObject *ao = json_object_new ();

    if (act->kind == LP_PROPOSAL_SET_PARAM) {
      a = lp_uint256_to_string (&act->value);
      json_object_set_string_member (ao, "kind", "set");
      json_object_set_string_member (ao, "param",
          lp_ledger_param_name (act->param));
      json_object_set_string_member (ao, "value", a);
      g_string_append_printf (human, "  set %s to %s\n",
          lp_ledger_param_name (act->param), a);
    } else {
      a = format_token (&act->value, "LPT");
      json_object_set_string_member (ao, "kind", "pay");
      set_address_member (ao, "to", &act->to);
      set_amount_member (ao, "value", &act->value);
      g_string_append_printf (human, "  pay %s from the treasury to %s\n",
          a, address_text (&act->to, text));
    }
    g_free (a);
    json_array_add_object_element (actions, ao);
  }
  json_object_set_array_member (obj, "actions", actions);
  ret = emit (as_json, obj, human);

done:
  lp_proposal_info_clear (&info);
  g_object_unref (ledger);
  return ret;
}

int
ledger_execute (int argc, char **argv)
{
  static const gchar command[] = "execute";
  gchar *proposal_text = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    {"proposal", 'p', 0, G_OPTION_ARG_STRING, &proposal_text,
        "The proposal's id (or give it as ID)", "ID"},
    JSON_ENTRY (as_json),
    {NULL}
  };
  LpLedger *ledger = NULL;
  guint64 id = 0;
  GError *error = NULL;
  JsonObject *obj;
  GString *human;
  int ret;

  ret = parse_action (command, "[ID]",
      "Executes a proposal that passed: its parameter changes (most take\n"
      "effect at the next round initialization) and treasury payouts.",
      entries, &argc, &argv);
  if (ret >= 0)
    goto done;
  if (argc > 2 || (argc == 2) == (proposal_text != NULL)) {
    ret = usage_error (command, "give the proposal once, as ID or "
        "--proposal ID");
    goto done;
  }
  ret = parse_u64_option (command, "proposal", "ID", argc == 2 ? argv[1] :
      proposal_text, 1, &id);
  if (ret >= 0)
    goto done;
  ret = open_ledger (&ledger);
  if (ret >= 0)
    goto done;
  if (!lp_ledger_execute (ledger, id, &error)) {
    ret = fail (error);
    goto done;
  }
  obj = json_object_new ();
  set_u64_member (obj, "proposal", id);
  json_object_set_string_member (obj, "state",
      lp_proposal_state_name (LP_PROPOSAL_EXECUTED));
  human = g_string_new (NULL);
  g_string_append_printf (human, "Executed proposal %" G_GUINT64_FORMAT "\n",
      id);
  ret = emit (as_json, obj, human);

done:
  g_clear_object (&ledger);
  g_free (proposal_text);
  return ret;
}

static const Action proposal_actions[] = {
  {"show", proposal_show},
};

int
cmd_proposal (int argc, char **argv)
{
  return run_command ("proposal", "proposal ACTION [ARGS…]",
      "Shows governance proposals.",
      "Actions:\n"
      "  show ID [--json]\n"
      "      Print a proposal's state, voting rounds, tallies, quorum and\n"
      "      actions.\n", proposal_actions, G_N_ELEMENTS (proposal_actions),
      "show", argc, argv);
}

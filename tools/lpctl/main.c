/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * lpctl: the command line of gst-livepeer for keys, ledgers and renditions.
 *
 *   lpctl [--ledger URI] COMMAND [ARGS...]
 *   lpctl account new FILE | --out FILE
 *   lpctl account address FILE [--password-file F | --password-env VAR]
 *   lpctl account import --keystore KS --out FILE
 *                        (--password-file F | --password-env VAR)
 *   lpctl account export FILE --out KS (--password-file F | --password-env VAR)
 *                        [--kdf scrypt|pbkdf2] [--light-kdf]
 *   lpctl payment decode [BASE64|JSON|-] [--recipient-rand N]
 *   lpctl payment make --key-file K --params FILE --nonces 1-5
 *                      [--expected-price P/U] [--format protobuf|json]
 *   lpctl segment decode [BASE64|JSON|-]
 *   lpctl account balance ADDRESS... | --of KEYFILE
 *   lpctl init | status | transfer | deposit | unlock | cancel-unlock |
 *         withdraw | register | bond | unbond | rebond | withdraw-stake |
 *         withdraw-fees | claim | reward | round init | advance | propose |
 *         vote | proposal show | execute | evidence | tickets | audit
 *   lpctl verify [--profile N=PROFILE]... [--json] SOURCE RENDITION...
 *   (see global_description; the ledger defaults to devnet.db)
 *
 * Results go to stdout (an address is always the last line), errors to
 * stderr. Exit status: 0 success, 1 failure, 2 usage error.
 *
 * This file holds the global options, the command table and the dispatch
 * (main, run_command, parse_action, usage_error); each command group lives
 * in its own file of tools/lpctl/ (see lpctl.h for the map). lpctl is
 * single-threaded: only verify.c runs a pipeline, whose streaming threads
 * touch nothing but its inputs' flags (see verify.c).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <locale.h>

#include "lpctl.h"

/* ------------------------------------------------------------------------ */
/* global options                                                           */
/* ------------------------------------------------------------------------ */

static gchar *opt_ledger = NULL;
static gboolean opt_version = FALSE;

static GOptionEntry global_entries[] = {
  {"ledger", 'l', 0, G_OPTION_ARG_STRING, &opt_ledger,
        "The ledger: a SQLite file (devnet.db or sqlite:///path) or an "
        "Ethereum node with Livepeer's contracts "
        "(http://host:8545?controller=0x...; docs/design/chain.md). Default: devnet.db in the current "
        "directory. Only the ledger commands and 'account balance' use it",
      "URI"},
  {"version", 0, 0, G_OPTION_ARG_NONE, &opt_version,
      "Print the version and exit", NULL},
  {NULL}
};

static const gchar global_description[] =
    "Keys and messages:\n"
    "  account    create a key, print its address, import or export\n"
    "             keystores, show an account on the ledger ('account balance')\n"
    "  payment    decode or build Livepeer-Payment values (tickets)\n"
    "  segment    decode Livepeer-Segment values (signed segment data)\n"
    "\n"
    "Transcoded video:\n"
    "  verify [--profile N=PROFILE]... [--min-psnr DB] [--min-ssim X]\n"
    "         [--max-block-error X] [--max-added-structure X]\n"
    "         [--max-replaced-structure X] [--min-sharpness X]\n"
    "         [--min-noise-correlation X] [--max-frame-mismatch N]\n"
    "         [--sample-interval N] [--json]\n"
    "         SOURCE RENDITION...\n"
    "             check renditions against their source (frames, size, PSNR,\n"
    "             SSIM; exit status 1 if one fails)\n"
    "\n"
    "The ledger (--ledger URI, default devnet.db in the current directory):\n"
    "  init [--genesis FILE] [--block-time MS] [--round-length N]\n"
    "       [--fund ADDRESS=LPT[:ETH]]...\n"
    "             create a devnet ledger from a genesis\n"
    "  status     block, round, supply, stake, inflation, parameters, the\n"
    "             active set\n"
    "  transfer --from KEY --to ADDRESS --amount AMOUNT\n"
    "  deposit --from KEY [--deposit AMOUNT] [--reserve AMOUNT]\n"
    "  unlock --from KEY | cancel-unlock --from KEY | withdraw --from KEY\n"
    "             a sender's TicketBroker deposit and reserve\n"
    "  register --from KEY --reward-cut PERCENT --fee-share PERCENT\n"
    "           [--service-uri URI]\n"
    "  bond --from KEY --to ADDRESS --amount AMOUNT\n"
    "  unbond --from KEY --amount AMOUNT\n"
    "  rebond --from KEY --lock ID [--to ADDRESS]\n"
    "  withdraw-stake --from KEY --lock ID\n"
    "  withdraw-fees --from KEY [--to ADDRESS] [--amount AMOUNT]\n"
    "  claim --from KEY\n"
    "  reward --from KEY\n"
    "  round init\n"
    "  advance (--blocks N | --rounds N) [--init]\n"
    "  propose --from KEY --description TEXT [--set PARAM=VALUE]...\n"
    "          [--pay ADDRESS=AMOUNT]...\n"
    "  vote --from KEY --proposal ID --support for|against|abstain\n"
    "  proposal show ID\n"
    "  execute ID | --proposal ID\n"
    "  evidence --from KEY --orchestrator ADDRESS --reason TEXT\n"
    "  redeem PAYMENT --recipient-rand N\n"
    "             redeem a payment's winning tickets\n"
    "  tickets [--queued] [--recipient ADDRESS]\n"
    "  audit      check the ledger's invariants (exit status 1 if one fails)\n"
    "\n"
    "See 'lpctl COMMAND --help' for a command's options. Every ledger command\n"
    "takes --json to print one JSON object instead of text. Amounts are in\n"
    "wei (1 LPT = 1e18 wei): 1000e18, a decimal integer or 0x-hex. KEY is a\n"
    "key file (plain or keystore; a keystore needs --password-file FILE or\n"
    "--password-env VARIABLE). PERCENT is 10%, 12.5% (at most 4 decimals) or\n"
    "an integer in parts per million.\n"
    "\n"
    "Global options go before the command. Results are printed on standard\n"
    "output, errors on standard error. Exit status: 0 on success, 1 when the\n"
    "command fails (a ledger rule refused it: nothing changed), 2 on a usage\n"
    "error.\n";

const gchar *
ledger_uri (void)
{
  return opt_ledger != NULL ? opt_ledger : DEFAULT_LEDGER;
}

/* ------------------------------------------------------------------------ */
/* parsing and dispatch                                                     */
/* ------------------------------------------------------------------------ */

int
usage_error (const gchar * command, const gchar * message)
{
  g_printerr ("lpctl %s: %s\nTry 'lpctl %s --help' for usage.\n", command,
      message, command);
  return EXIT_USAGE;
}

/* Parses an action's options (which may come before or after its
 * arguments). Returns -1 on success, else the exit status. */
int
parse_action (const gchar * command, const gchar * parameters,
    const gchar * summary, GOptionEntry * entries, int *argc, char ***argv)
{
  GOptionContext *ctx;
  GError *error = NULL;
  gchar *usage;
  int ret = -1;

  usage = g_strdup_printf ("%s %s", command, parameters);
  ctx = g_option_context_new (usage);
  g_option_context_set_summary (ctx, summary);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, argc, argv, &error)) {
    ret = usage_error (command, error->message);
    g_error_free (error);
  }
  g_option_context_free (ctx);
  g_free (usage);

  return ret;
}

/* Runs ACTION of a command from @actions. */
int
run_command (const gchar * name, const gchar * parameter_string,
    const gchar * summary, const gchar * description, const Action * actions,
    guint n_actions, const gchar * action_names, int argc, char **argv)
{
  GOptionContext *ctx;
  GError *error = NULL;
  gchar *message;
  guint i;
  int ret;

  ctx = g_option_context_new (parameter_string);
  g_option_context_set_summary (ctx, summary);
  g_option_context_set_description (ctx, description);
  g_option_context_set_strict_posix (ctx, TRUE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_option_context_free (ctx);
    usage_error (name, error->message);
    g_error_free (error);
    return EXIT_USAGE;
  }
  g_option_context_free (ctx);

  if (argc < 2) {
    message = g_strdup_printf ("missing the action (%s)", action_names);
    ret = usage_error (name, message);
    g_free (message);
    return ret;
  }
  for (i = 0; i < n_actions; i++) {
    if (strcmp (argv[1], actions[i].name) == 0)
      return actions[i].func (argc - 1, argv + 1);
  }
  message = g_strdup_printf ("unknown action '%s' (expected %s)", argv[1],
      action_names);
  ret = usage_error (name, message);
  g_free (message);
  return ret;
}

/* ------------------------------------------------------------------------ */
/* main                                                                     */
/* ------------------------------------------------------------------------ */

static const Action commands[] = {
  {"account", cmd_account},
  {"payment", cmd_payment},
  {"segment", cmd_segment},
  {"init", ledger_init},
  {"status", ledger_status},
  {"transfer", ledger_transfer},
  {"deposit", ledger_deposit},
  {"unlock", ledger_unlock},
  {"cancel-unlock", ledger_cancel_unlock},
  {"withdraw", ledger_withdraw},
  {"register", ledger_register},
  {"bond", ledger_bond},
  {"unbond", ledger_unbond},
  {"rebond", ledger_rebond},
  {"withdraw-stake", ledger_withdraw_stake},
  {"withdraw-fees", ledger_withdraw_fees},
  {"claim", ledger_claim},
  {"reward", ledger_reward},
  {"round", cmd_round},
  {"advance", ledger_advance},
  {"propose", ledger_propose},
  {"vote", ledger_vote},
  {"proposal", cmd_proposal},
  {"execute", ledger_execute},
  {"evidence", ledger_evidence},
  {"redeem", ledger_redeem},
  {"tickets", ledger_tickets},
  {"audit", ledger_audit},
  {"verify", cmd_verify},
};

int
main (int argc, char **argv)
{
  GOptionContext *ctx;
  GError *error = NULL;
  int ret;

  setlocale (LC_ALL, "");
  g_set_prgname ("lpctl");

  ctx = g_option_context_new ("COMMAND [ARGS…]");
  g_option_context_set_summary (ctx, "Manages gst-livepeer accounts and "
      "ledgers.");
  g_option_context_set_description (ctx, global_description);
  g_option_context_add_main_entries (ctx, global_entries, NULL);
  g_option_context_set_strict_posix (ctx, TRUE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("lpctl: %s\nTry 'lpctl --help' for usage.\n", error->message);
    g_error_free (error);
    g_option_context_free (ctx);
    return EXIT_USAGE;
  }
  g_option_context_free (ctx);

  if (opt_version) {
    g_print ("lpctl %s\n", PACKAGE_VERSION);
    ret = EXIT_SUCCESS;
  } else if (argc < 2) {
    g_printerr ("lpctl: missing the command\nTry 'lpctl --help' for "
        "usage.\n");
    ret = EXIT_USAGE;
  } else {
    guint i;

    for (i = 0; i < G_N_ELEMENTS (commands); i++) {
      if (strcmp (argv[1], commands[i].name) == 0)
        break;
    }
    if (i < G_N_ELEMENTS (commands)) {
      ret = commands[i].func (argc - 1, argv + 1);
    } else {
      g_printerr ("lpctl: unknown command '%s'\nTry 'lpctl --help' for "
          "usage.\n", argv[1]);
      ret = EXIT_USAGE;
    }
  }

  g_free (opt_ledger);
  return ret;
}

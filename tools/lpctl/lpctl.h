/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * lpctl.h: what the files of lpctl share (private to the tool, not
 * installed). lpctl is one program, a file per command group:
 *
 *   main.c                global options, the command table, dispatch
 *   common.c              failures, JSON and text output, the options of
 *                         the ledger commands, the Call of an operation
 *   account.c             account new | address | import | export
 *   payment.c             payment decode | make, segment decode
 *   ledger.c              init, status, account balance, transfer,
 *                         round init, advance, audit
 *   ledger-tickets.c      deposit, unlock, cancel-unlock, withdraw,
 *                         tickets, redeem
 *   ledger-bonding.c      register, bond, unbond, rebond, withdraw-stake,
 *                         withdraw-fees, claim, reward, evidence
 *   ledger-governance.c   propose, vote, proposal show, execute
 *   verify.c              verify
 *
 * A command is an ActionFunc: it parses its own options and returns the
 * exit status (0, 1 on failure, EXIT_USAGE on a usage error). The helpers
 * that parse or check return -1 on success, else the exit status to
 * return. Everything runs on the main thread.
 */
#ifndef __LPCTL_H__
#define __LPCTL_H__

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpkeystore.h>
#include <gst/livepeer/lpwire.h>
#include <gst/livepeer/lpledger.h>
#include <json-glib/json-glib.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define EXIT_USAGE 2
#define DEFAULT_LEDGER "devnet.db"

typedef int (*ActionFunc) (int argc, char **argv);

typedef struct
{
  const gchar *name;
  ActionFunc func;
} Action;

/* The --from option of the commands that act for an account, with the
 * keystore password options. */
typedef struct
{
  gchar *file;
  gchar *password_file;
  gchar *password_env;
} KeyOptions;

/* --password-file and --password-env into a KeyOptions; 'what' names the
 * password in their help ("keystore password"). */
#define PASSWORD_ENTRIES(opts, what) \
  {"password-file", 0, 0, G_OPTION_ARG_FILENAME, &(opts).password_file, \
        "Read the " what " from the first line of FILE", "FILE"}, \
  {"password-env", 0, 0, G_OPTION_ARG_STRING, &(opts).password_env, \
        "Take the " what " from environment variable VARIABLE", "VARIABLE"}

#define KEY_ENTRIES(opts, name, blurb) \
  {name, 0, 0, G_OPTION_ARG_FILENAME, &(opts).file, blurb, "KEYFILE"}, \
  PASSWORD_ENTRIES (opts, "password of a keystore key file")

#define JSON_ENTRY(var) \
  {"json", 0, 0, G_OPTION_ARG_NONE, &(var), \
        "Print the result as one JSON object (amounts as decimal strings " \
        "of wei)", NULL}

/* What every ledger operation has: its name, --from, --json, the ledger. */
typedef struct
{
  const gchar *command;
  KeyOptions key;
  gboolean as_json;
  LpAddress from;
  LpLedger *ledger;
} Call;

#define FROM_ENTRIES(call, blurb) KEY_ENTRIES ((call).key, "from", blurb)
#define AMOUNT_HELP "in wei: 1000e18 is 1000 LPT; decimal or 0x-hex"

/* main.c: parsing and dispatch */
const gchar *ledger_uri (void);
int usage_error (const gchar * command, const gchar * message);
int parse_action (const gchar * command, const gchar * parameters,
    const gchar * summary, GOptionEntry * entries, int *argc, char ***argv);
int run_command (const gchar * name, const gchar * parameter_string,
    const gchar * summary, const gchar * description, const Action * actions,
    guint n_actions, const gchar * action_names, int argc, char **argv);

/* common.c: failures, output, ledger options, the Call */
int fail (GError * error);
int get_password (const gchar * command, const KeyOptions * opts,
    gboolean required, gchar ** password);
int fail_key (GError * error);
void set_hex_member (JsonObject * obj, const gchar * name, const guint8 * data,
    gsize length);
void set_address_member (JsonObject * obj, const gchar * name,
    const LpAddress * address);
void print_json (JsonNode * root);
gchar *format_token (const LpUint256 * wei, const gchar * unit);
gchar *format_percent_u64 (guint64 value, guint digits);
gchar *format_percent_u256 (const LpUint256 * value, guint digits);
const gchar *fee_asset_unit (LpFeeAsset asset);
const gchar *delegator_status_name (LpDelegatorStatus status);
void set_amount_member (JsonObject * obj, const gchar * name,
    const LpUint256 * value);
void set_u64_member (JsonObject * obj, const gchar * name, guint64 value);
void set_percent_member (JsonObject * obj, const gchar * name, guint64 ppm);
void append_row (GString * out, const gchar * label, const gchar * format, ...)
    G_GNUC_PRINTF (3, 4);
void append_token_row (GString * out, const gchar * label,
    const LpUint256 * wei, const gchar * unit);
int emit (gboolean as_json, JsonObject * obj, GString * human);
int open_ledger (LpLedger ** ledger);
void key_options_clear (KeyOptions * opts);
int load_key_address (const gchar * command, const gchar * option,
    KeyOptions * opts, LpAddress * address);
int add_signer_option (LpLedger * ledger, const gchar * command,
    const gchar * option, KeyOptions * opts, LpAddress * address);
int option_error (const gchar * command, const gchar * option,
    const gchar * message);
int missing_option (const gchar * command, const gchar * option,
    const gchar * what);
int parse_amount_option (const gchar * command, const gchar * option,
    const gchar * text, LpUint256 * value);
int parse_address_option (const gchar * command, const gchar * option,
    const gchar * text, LpAddress * address);
int parse_u64_option (const gchar * command, const gchar * option,
    const gchar * what, const gchar * text, guint64 min, guint64 * value);
int parse_ppm_option (const gchar * command, const gchar * option,
    const gchar * text, guint64 * ppm);
int get_status (LpLedger * ledger, LpLedgerStatus * status);
int get_account (LpLedger * ledger, const LpAddress * address,
    LpAccountInfo * info);
int call_parse (Call * c, const gchar * summary, GOptionEntry * entries,
    int *argc, char ***argv);
int call_open (Call * c, gboolean with_key);
int call_start (Call * c, gboolean with_key, const gchar * summary,
    GOptionEntry * entries, int *argc, char ***argv);
void call_clear (Call * c);
JsonObject *call_result (Call * c);
const gchar *address_text (const LpAddress * address,
    gchar text[LP_ADDRESS_TEXT_SIZE]);
int call_start_with_key (Call * c, const gchar * key_blurb,
    const gchar * summary, int *argc, char ***argv);

/* account.c */
int cmd_account (int argc, char **argv);

/* payment.c */
LpPayment *read_payment (const gchar * argument, GError ** error);
int cmd_payment (int argc, char **argv);
int cmd_segment (int argc, char **argv);

/* ledger.c */
JsonObject *orchestrator_to_json (const LpLedgerOrchestrator * o);
int ledger_init (int argc, char **argv);
int ledger_status (int argc, char **argv);
int account_balance (int argc, char **argv);
int ledger_transfer (int argc, char **argv);
int ledger_advance (int argc, char **argv);
int cmd_round (int argc, char **argv);
int ledger_audit (int argc, char **argv);

/* ledger-tickets.c */
int ledger_deposit (int argc, char **argv);
int ledger_unlock (int argc, char **argv);
int ledger_cancel_unlock (int argc, char **argv);
int ledger_withdraw (int argc, char **argv);
int ledger_tickets (int argc, char **argv);
int ledger_redeem (int argc, char **argv);

/* ledger-bonding.c */
int ledger_register (int argc, char **argv);
int ledger_bond (int argc, char **argv);
int ledger_unbond (int argc, char **argv);
int ledger_rebond (int argc, char **argv);
int ledger_withdraw_stake (int argc, char **argv);
int ledger_withdraw_fees (int argc, char **argv);
int ledger_claim (int argc, char **argv);
int ledger_reward (int argc, char **argv);
int ledger_evidence (int argc, char **argv);

/* ledger-governance.c */
int ledger_propose (int argc, char **argv);
int ledger_vote (int argc, char **argv);
int ledger_execute (int argc, char **argv);
int cmd_proposal (int argc, char **argv);

/* verify.c */
int cmd_verify (int argc, char **argv);

G_END_DECLS

#endif /* __LPCTL_H__ */

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
 *                      [--expected-price P/U] [--json]
 *   lpctl segment decode [BASE64|JSON|-]
 *   lpctl account balance ADDRESS | --of KEYFILE
 *   lpctl init | status | transfer | deposit | unlock | cancel-unlock |
 *         withdraw | register | bond | unbond | rebond | withdraw-stake |
 *         withdraw-fees | claim | reward | round init | advance | propose |
 *         vote | proposal show | execute | evidence | tickets | audit
 *   lpctl verify [--profile N=PROFILE]... [--json] SOURCE RENDITION...
 *   (see global_description; the ledger defaults to devnet.db)
 *
 * Results go to stdout (an address is always the last line), errors to
 * stderr. Exit status: 0 success, 1 failure, 2 usage error.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <math.h>

#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpkeystore.h>
#include <gst/livepeer/lpwire.h>
#include <gst/livepeer/lpledger.h>
#include <json-glib/json-glib.h>
#include <gst/gst.h>

#define EXIT_USAGE 2

typedef int (*ActionFunc) (int argc, char **argv);

typedef struct
{
  const gchar *name;
  ActionFunc func;
} Action;

/* ------------------------------------------------------------------------ */
/* global options                                                           */
/* ------------------------------------------------------------------------ */

static gchar *opt_ledger = NULL;
static gboolean opt_version = FALSE;

static GOptionEntry global_entries[] = {
  {"ledger", 'l', 0, G_OPTION_ARG_STRING, &opt_ledger,
        "The ledger: a SQLite file (devnet.db or sqlite:///path) or an "
        "Ethereum node (http://host:8545). Default: devnet.db in the current "
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
    "         [--max-block-error X] [--min-sharpness X]\n"
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

/* ------------------------------------------------------------------------ */
/* helpers                                                                  */
/* ------------------------------------------------------------------------ */

static int
usage_error (const gchar * command, const gchar * message)
{
  g_printerr ("lpctl %s: %s\nTry 'lpctl %s --help' for usage.\n", command,
      message, command);
  return EXIT_USAGE;
}

static int
fail (GError * error)
{
  g_printerr ("lpctl: %s\n", error->message);
  g_error_free (error);
  return EXIT_FAILURE;
}

/* Parses an action's options (which may come before or after its
 * arguments). Returns -1 on success, else the exit status. */
static int
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

/* Gets the password from --password-file or --password-env. With
 * @required, one of them must be given. Returns -1 on success (*password
 * may be NULL when not required), else the exit status. */
static int
get_password (const gchar * command, const gchar * file,
    const gchar * variable, gboolean required, gchar ** password)
{
  GError *error = NULL;

  *password = NULL;
  if (file != NULL && variable != NULL)
    return usage_error (command,
        "give either --password-file or --password-env, not both");
  if (file == NULL && variable == NULL) {
    if (required)
      return usage_error (command,
          "a password is needed: give --password-file FILE or "
          "--password-env VARIABLE");
    return -1;
  }

  if (file != NULL)
    *password = lp_password_read_file (file, &error);
  else
    *password = lp_password_from_env (variable, &error);
  if (*password == NULL)
    return fail (error);

  return -1;
}

static void
print_address (const LpPrivateKey * key)
{
  gchar text[LP_ADDRESS_TEXT_SIZE];

  lp_address_format (lp_private_key_get_address (key), text);
  g_print ("%s\n", text);
}

/* ------------------------------------------------------------------------ */
/* account actions                                                          */
/* ------------------------------------------------------------------------ */

static int
account_new (int argc, char **argv)
{
  static const gchar command[] = "account new";
  gchar *out = NULL;
  GOptionEntry entries[] = {
    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
        "Where to create the key file (same as giving FILE)", "FILE"},
    {NULL}
  };
  const gchar *path;
  LpPrivateKey *key;
  GError *error = NULL;
  int ret;

  ret = parse_action (command, "[FILE]",
      "Creates a new account: a fresh random secp256k1 key written as 64 hex\n"
      "digits to a new file of mode 0600 (an existing file is never\n"
      "overwritten). Prints the account's EIP-55 address.",
      entries, &argc, &argv);
  if (ret >= 0)
    goto done;

  if (argc > 2 || (argc == 2 && out != NULL)) {
    ret = usage_error (command, "give the key file once, as FILE or --out");
    goto done;
  }
  path = out != NULL ? out : (argc == 2 ? argv[1] : NULL);
  if (path == NULL) {
    ret = usage_error (command, "missing the key file to create");
    goto done;
  }

  key = lp_key_file_create (path, &error);
  if (key == NULL) {
    ret = fail (error);
    goto done;
  }
  print_address (key);
  lp_private_key_unref (key);
  ret = EXIT_SUCCESS;

done:
  g_free (out);
  return ret;
}

static int
account_address (int argc, char **argv)
{
  static const gchar command[] = "account address";
  gchar *password_file = NULL, *password_env = NULL, *password = NULL;
  GOptionEntry entries[] = {
    {"password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
        "Read the keystore password from the first line of FILE", "FILE"},
    {"password-env", 0, 0, G_OPTION_ARG_STRING, &password_env,
          "Take the keystore password from environment variable VARIABLE",
        "VARIABLE"},
    {NULL}
  };
  LpPrivateKey *key;
  GError *error = NULL;
  int ret;

  ret = parse_action (command, "FILE",
      "Prints the EIP-55 address of a key file or of a keystore (which needs\n"
      "its password, to check the key really is the address's).",
      entries, &argc, &argv);
  if (ret >= 0)
    goto done;
  if (argc != 2) {
    ret = usage_error (command, argc < 2 ? "missing the key file" :
        "give exactly one key file");
    goto done;
  }
  ret = get_password (command, password_file, password_env, FALSE, &password);
  if (ret >= 0)
    goto done;

  key = lp_key_load (argv[1], password, &error);
  if (key == NULL) {
    g_printerr ("lpctl: %s%s\n", error->message,
        g_error_matches (error, LP_KEYSTORE_ERROR,
            LP_KEYSTORE_ERROR_PASSWORD_REQUIRED) ?
        " (give --password-file FILE or --password-env VARIABLE)" : "");
    g_error_free (error);
    ret = EXIT_FAILURE;
    goto done;
  }
  print_address (key);
  lp_private_key_unref (key);
  ret = EXIT_SUCCESS;

done:
  lp_password_free (password);
  g_free (password_file);
  g_free (password_env);
  return ret;
}

static int
account_import (int argc, char **argv)
{
  static const gchar command[] = "account import";
  gchar *keystore = NULL, *out = NULL;
  gchar *password_file = NULL, *password_env = NULL, *password = NULL;
  GOptionEntry entries[] = {
    {"keystore", 'k', 0, G_OPTION_ARG_FILENAME, &keystore,
        "The Web3 Secret Storage (v3) keystore to import", "KEYSTORE"},
    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
        "Where to create the plain key file (mode 0600)", "FILE"},
    {"password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
        "Read the keystore password from the first line of FILE", "FILE"},
    {"password-env", 0, 0, G_OPTION_ARG_STRING, &password_env,
          "Take the keystore password from environment variable VARIABLE",
        "VARIABLE"},
    {NULL}
  };
  LpPrivateKey *key = NULL;
  GError *error = NULL;
  int ret;

  ret = parse_action (command, "",
      "Decrypts a keystore (from geth, ethers, a wallet, or 'lpctl account\n"
      "export') into a new plain key file of mode 0600. Prints the address.",
      entries, &argc, &argv);
  if (ret >= 0)
    goto done;
  if (argc != 1) {
    ret = usage_error (command, "unexpected argument; use --keystore and "
        "--out");
    goto done;
  }
  if (keystore == NULL || out == NULL) {
    ret = usage_error (command, keystore == NULL ?
        "missing --keystore KEYSTORE" : "missing --out FILE");
    goto done;
  }
  ret = get_password (command, password_file, password_env, TRUE, &password);
  if (ret >= 0)
    goto done;

  key = lp_keystore_read (keystore, password, &error);
  if (key == NULL || !lp_key_file_write (out, key, &error)) {
    ret = fail (error);
    goto done;
  }
  print_address (key);
  ret = EXIT_SUCCESS;

done:
  g_clear_pointer (&key, lp_private_key_unref);
  lp_password_free (password);
  g_free (keystore);
  g_free (out);
  g_free (password_file);
  g_free (password_env);
  return ret;
}

static int
account_export (int argc, char **argv)
{
  static const gchar command[] = "account export";
  gchar *out = NULL, *kdf = NULL;
  gchar *password_file = NULL, *password_env = NULL, *password = NULL;
  gboolean light = FALSE;
  GOptionEntry entries[] = {
    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
        "Where to create the keystore (mode 0600)", "KEYSTORE"},
    {"password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
        "Read the new password from the first line of FILE", "FILE"},
    {"password-env", 0, 0, G_OPTION_ARG_STRING, &password_env,
          "Take the new password from environment variable VARIABLE",
        "VARIABLE"},
    {"kdf", 0, 0, G_OPTION_ARG_STRING, &kdf,
        "Key derivation: scrypt (default; n=262144 r=8 p=1) or pbkdf2 "
          "(hmac-sha256, c=262144)", "scrypt|pbkdf2"},
    {"light-kdf", 0, 0, G_OPTION_ARG_NONE, &light,
          "Use a light KDF cost (scrypt n=4096, pbkdf2 c=4096): fast, for "
          "tests and throwaway keys, much weaker against password guessing",
        NULL},
    {NULL}
  };
  LpKeystoreParams params;
  LpKeystoreKdf kdf_kind = LP_KEYSTORE_KDF_SCRYPT;
  LpPrivateKey *key = NULL;
  GError *error = NULL;
  int ret;

  ret = parse_action (command, "FILE",
      "Encrypts a plain key file into a new Web3 Secret Storage (v3) keystore\n"
      "(aes-128-ctr) that geth, ethers and wallets can import. Prints the\n"
      "address.", entries, &argc, &argv);
  if (ret >= 0)
    goto done;
  if (argc != 2) {
    ret = usage_error (command, argc < 2 ? "missing the key file to export" :
        "give exactly one key file");
    goto done;
  }
  if (out == NULL) {
    ret = usage_error (command, "missing --out KEYSTORE");
    goto done;
  }
  if (kdf != NULL && strcmp (kdf, "pbkdf2") == 0) {
    kdf_kind = LP_KEYSTORE_KDF_PBKDF2;
  } else if (kdf != NULL && strcmp (kdf, "scrypt") != 0) {
    ret = usage_error (command, "--kdf must be scrypt or pbkdf2");
    goto done;
  }
  ret = get_password (command, password_file, password_env, TRUE, &password);
  if (ret >= 0)
    goto done;

  key = lp_key_load (argv[1], NULL, &error);
  if (key == NULL) {
    if (g_error_matches (error, LP_KEYSTORE_ERROR,
            LP_KEYSTORE_ERROR_PASSWORD_REQUIRED)) {
      g_clear_error (&error);
      g_set_error (&error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_PASSWORD_REQUIRED,
          "'%s' is already a keystore; export takes a plain key file", argv[1]);
    }
    ret = fail (error);
    goto done;
  }

  lp_keystore_params_init (&params, kdf_kind, light);
  if (!lp_keystore_write (out, key, password, &params, &error)) {
    ret = fail (error);
    goto done;
  }
  print_address (key);
  ret = EXIT_SUCCESS;

done:
  g_clear_pointer (&key, lp_private_key_unref);
  lp_password_free (password);
  g_free (out);
  g_free (kdf);
  g_free (password_file);
  g_free (password_env);
  return ret;
}

static int account_balance (int argc, char **argv);

static const Action account_actions[] = {
  {"new", account_new},
  {"address", account_address},
  {"import", account_import},
  {"export", account_export},
  {"balance", account_balance},
};

static const gchar account_description[] =
    "Actions:\n"
    "  new FILE | --out FILE\n"
    "      Create a fresh random key in a new file of mode 0600; print its\n"
    "      address.\n"
    "  address FILE [--password-file FILE | --password-env VARIABLE]\n"
    "      Print the EIP-55 address of a plain key file, or of a keystore\n"
    "      given its password. The address is the last line printed.\n"
    "  import --keystore KEYSTORE --out FILE (--password-file FILE |\n"
    "         --password-env VARIABLE)\n"
    "      Decrypt a Web3 Secret Storage (v3) keystore into a new plain key\n"
    "      file of mode 0600.\n"
    "  export FILE --out KEYSTORE (--password-file FILE | --password-env\n"
    "         VARIABLE) [--kdf scrypt|pbkdf2] [--light-kdf]\n"
    "      Encrypt a plain key file into a new v3 keystore of mode 0600.\n"
    "  balance ADDRESS | --of KEYFILE [--json]\n"
    "      Print what the ledger (--ledger, default devnet.db) holds for the\n"
    "      account: LPT and ETH balances, delegator status, bonded and\n"
    "      pending stake, fees, delegate, unbonding locks, TicketBroker\n"
    "      deposit, reserve and withdraw round.\n"
    "\n"
    "A plain key file is 64 hexadecimal digits (optionally after 0x, with a\n"
    "trailing newline) and must be readable by its owner only (chmod 600).\n"
    "A password file's first line is the password. See 'lpctl account\n"
    "ACTION --help' for each action's options.\n";

static int
cmd_account (int argc, char **argv)
{
  GOptionContext *ctx;
  GError *error = NULL;
  guint i;

  ctx = g_option_context_new ("account ACTION [ARGS…]");
  g_option_context_set_summary (ctx, "Manages account keys (plain key files "
      "and Web3 Secret Storage keystores)\nand shows accounts on the "
      "ledger.");
  g_option_context_set_description (ctx, account_description);
  g_option_context_set_strict_posix (ctx, TRUE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_option_context_free (ctx);
    usage_error ("account", error->message);
    g_error_free (error);
    return EXIT_USAGE;
  }
  g_option_context_free (ctx);

  if (argc < 2)
    return usage_error ("account", "missing the action (new, address, "
        "import, export or balance)");

  for (i = 0; i < G_N_ELEMENTS (account_actions); i++) {
    if (strcmp (argv[1], account_actions[i].name) == 0)
      return account_actions[i].func (argc - 1, argv + 1);
  }

  {
    gchar *message = g_strdup_printf ("unknown action '%s' (expected new, "
        "address, import, export or balance)", argv[1]);
    int ret = usage_error ("account", message);

    g_free (message);
    return ret;
  }
}

/* ------------------------------------------------------------------------ */
/* wire helpers                                                             */
/* ------------------------------------------------------------------------ */

#define MAX_INPUT_SIZE (1024 * 1024)

/* Reads a header value or JSON from the argument, or from stdin for "-",
 * without surrounding whitespace. */
static gchar *
read_wire_input (const gchar * argument, GError ** error)
{
  GString *text;

  if (strcmp (argument, "-") != 0) {
    text = g_string_new (argument);
  } else {
    gchar buffer[4096];
    gsize n;

    text = g_string_new (NULL);
    while ((n = fread (buffer, 1, sizeof (buffer), stdin)) > 0) {
      g_string_append_len (text, buffer, n);
      if (text->len > MAX_INPUT_SIZE) {
        g_string_free (text, TRUE);
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
            "The input is larger than %d bytes", MAX_INPUT_SIZE);
        return NULL;
      }
    }
    if (ferror (stdin)) {
      g_string_free (text, TRUE);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
          "Cannot read standard input");
      return NULL;
    }
  }
  if (memchr (text->str, '\0', text->len) != NULL) {
    g_string_free (text, TRUE);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "The input holds a NUL byte");
    return NULL;
  }
  return g_strstrip (g_string_free (text, FALSE));
}

/* A Livepeer-Payment value (base64) or its JSON, from the argument or
 * standard input ("-"). */
static LpPayment *
read_payment (const gchar * argument, GError ** error)
{
  gchar *input = read_wire_input (argument, error);
  LpPayment *payment = NULL;

  if (input != NULL)
    payment = input[0] == '{' ? lp_wire_payment_from_json (input, -1, error)
        : lp_wire_payment_from_header (input, error);
  g_free (input);
  return payment;
}

static void
set_hex_member (JsonObject * obj, const gchar * name, const guint8 * data,
    gsize length)
{
  gchar *hex = lp_hex_encode (data, length, TRUE);

  json_object_set_string_member (obj, name, hex);
  g_free (hex);
}

static void
set_address_member (JsonObject * obj, const gchar * name,
    const LpAddress * address)
{
  gchar text[LP_ADDRESS_TEXT_SIZE];

  lp_address_format (address, text);
  json_object_set_string_member (obj, name, text);
}

/* Prints @root pretty, then frees it. */
static void
print_json (JsonNode * root)
{
  gchar *text = json_to_string (root, TRUE);

  g_print ("%s\n", text);
  g_free (text);
  json_node_unref (root);
}

/* ------------------------------------------------------------------------ */
/* payment actions                                                          */
/* ------------------------------------------------------------------------ */

static int
payment_decode (int argc, char **argv)
{
  static const gchar command[] = "payment decode";
  gchar *rand_text = NULL;
  GOptionEntry entries[] = {
    {"recipient-rand", 'r', 0, G_OPTION_ARG_STRING, &rand_text,
        "The recipient's random number (decimal or 0x-hex), to report "
          "which tickets win", "N"},
    {NULL}
  };
  LpUint256 recipient_rand;
  LpPayment *payment = NULL;
  GError *error = NULL;
  gchar *json;
  JsonNode *root;
  JsonObject *obj;
  JsonArray *tickets;
  guint i;
  int ret;

  ret = parse_action (command, "[BASE64 | JSON | -]",
      "Decodes a Livepeer-Payment header value (base64) or its JSON, from\n"
      "the argument or standard input ('-'), and prints it as JSON with,\n"
      "per ticket, its hash, the address its signature recovers to and\n"
      "whether the signature is the sender's.", entries, &argc, &argv);
  if (ret >= 0)
    goto done;
  if (argc != 2) {
    ret = usage_error (command, argc < 2 ? "missing the payment (give '-' "
        "to read standard input)" : "give exactly one payment");
    goto done;
  }
  if (rand_text != NULL && !lp_uint256_parse (rand_text, &recipient_rand,
          &error)) {
    g_prefix_error (&error, "--recipient-rand: ");
    ret = fail (error);
    goto done;
  }

  payment = read_payment (argv[1], &error);
  if (payment == NULL) {
    ret = fail (error);
    goto done;
  }

  json = lp_wire_payment_to_json (payment);
  root = json_from_string (json, NULL);
  g_free (json);
  obj = json_node_get_object (root);
  json_object_remove_member (obj, "ticket_sender_params");
  if (rand_text != NULL && payment->has_ticket_params) {
    guint8 hash[LP_KECCAK256_SIZE];

    lp_ticket_recipient_rand_hash (&recipient_rand, hash);
    json_object_set_boolean_member (obj, "recipient_rand_matches",
        lp_crypto_memeq (hash, payment->ticket_params.recipient_rand_hash,
            sizeof (hash)));
  }
  tickets = json_array_new ();
  for (i = 0; i < payment->tickets->len; i++) {
    const LpTicketSenderParams *tsp =
        &g_array_index (payment->tickets, LpTicketSenderParams, i);
    JsonObject *t = json_object_new ();
    guint8 hash[LP_TICKET_HASH_SIZE];
    LpTicket ticket;
    LpAddress signer;

    json_object_set_int_member (t, "sender_nonce", tsp->sender_nonce);
    /* tickets without parameters cannot be decoded (the decoder refuses
     * them), so every ticket here has its parameters */
    lp_payment_get_ticket (payment, i, &ticket);
    lp_ticket_hash (&ticket, hash);
    set_hex_member (t, "ticket_hash", hash, sizeof (hash));
    if (lp_recover_hash (hash, tsp->sig, LP_SIGNATURE_SIZE, &signer, NULL))
      set_address_member (t, "signer", &signer);
    else
      json_object_set_null_member (t, "signer");
    json_object_set_boolean_member (t, "signature_valid",
        lp_ticket_verify (&ticket, tsp->sig, LP_SIGNATURE_SIZE, NULL));
    if (rand_text != NULL)
      json_object_set_boolean_member (t, "wins", lp_ticket_wins (tsp->sig,
              &recipient_rand, &payment->ticket_params.win_prob));
    set_hex_member (t, "sig", tsp->sig, LP_SIGNATURE_SIZE);
    json_array_add_object_element (tickets, t);
  }
  json_object_set_array_member (obj, "tickets", tickets);
  print_json (root);
  ret = EXIT_SUCCESS;

done:
  lp_payment_free (payment);
  g_free (rand_text);
  return ret;
}

/* "A-B", "N" or comma-separated lists of them, 1 to 600 nonces. */
static GArray *
parse_nonces (const gchar * spec, GError ** error)
{
  GArray *nonces = g_array_new (FALSE, FALSE, sizeof (guint32));
  gchar **parts = g_strsplit (spec, ",", -1);
  guint i;

  for (i = 0; parts[i] != NULL; i++) {
    gchar **range = g_strsplit (parts[i], "-", 3);
    guint64 first = 0, last = 0;
    gboolean ok = range[0] != NULL && (range[1] == NULL || range[2] == NULL)
        && g_ascii_string_to_unsigned (range[0], 10, 1, G_MAXUINT32, &first,
        NULL)
        && (range[1] == NULL ? (last = first, TRUE) :
        g_ascii_string_to_unsigned (range[1], 10, first, G_MAXUINT32, &last,
            NULL));

    g_strfreev (range);
    if (!ok || last - first >= LP_WIRE_MAX_TICKETS
        || nonces->len + (last - first + 1) > LP_WIRE_MAX_TICKETS) {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
          "--nonces: '%s' is not a nonce list like 1-5 or 1,3,7 (nonces "
          "1-%u, at most %d of them)", spec, G_MAXUINT32, LP_WIRE_MAX_TICKETS);
      g_array_unref (nonces);
      g_strfreev (parts);
      return NULL;
    }
    for (; first <= last; first++) {
      guint32 nonce = (guint32) first;

      g_array_append_val (nonces, nonce);
    }
  }
  g_strfreev (parts);
  return nonces;
}

/* "PRICE/PIXELS" or "PRICE" (per pixel) */
static gboolean
parse_price (const gchar * text, LpPriceInfo * price, GError ** error)
{
  gchar **parts = g_strsplit (text, "/", 3);
  guint64 units = 1;
  gboolean ok = parts[0] != NULL
      && g_ascii_string_to_unsigned (parts[0], 10, 0, G_MAXUINT64,
      &price->price_per_unit, NULL)
      && (parts[1] == NULL || (parts[2] == NULL
          && g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXUINT64, &units,
              NULL)));

  g_strfreev (parts);
  price->pixels_per_unit = units;
  if (!ok)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "--expected-price: '%s' is not PRICE/PIXELS (wei per pixels, for "
        "example 1200/1)", text);
  return ok;
}

/* Reads ticket params JSON, or an OrchestratorInfo holding them (which may
 * also give the price). */
static gboolean
load_ticket_params (const gchar * path, LpTicketParams * params,
    LpPriceInfo * price, gboolean * has_price, GError ** error)
{
  gchar *data = NULL;
  gsize length;
  JsonNode *root;
  gboolean ok;

  *has_price = FALSE;
  if (!g_file_get_contents (path, &data, &length, error))
    return FALSE;
  root = json_from_string (data, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root)
      && json_object_has_member (json_node_get_object (root), "transcoder")) {
    LpOrchestratorInfo *info =
        lp_wire_orchestrator_info_from_json (data, length, error);

    ok = info != NULL;
    if (ok && !info->has_ticket_params) {
      g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_MISSING,
          "ticket_params: missing");
      ok = FALSE;
    }
    if (ok) {
      *params = info->ticket_params;
      *price = info->price_info;
      *has_price = info->has_price_info;
    }
    lp_orchestrator_info_free (info);
  } else {
    ok = lp_wire_ticket_params_from_json (data, length, params, error);
  }
  if (root != NULL)
    json_node_unref (root);
  if (!ok)
    g_prefix_error (error, "%s: ", path);
  g_free (data);
  return ok;
}

static int
payment_make (int argc, char **argv)
{
  static const gchar command[] = "payment make";
  gchar *key_file = NULL, *params_file = NULL, *nonces_text = NULL;
  gchar *price_text = NULL, *password_file = NULL, *password_env = NULL;
  gchar *password = NULL, *out;
  gboolean as_json = FALSE, has_price;
  GOptionEntry entries[] = {
    {"key-file", 'k', 0, G_OPTION_ARG_FILENAME, &key_file,
        "The sender's key file (plain or keystore)", "FILE"},
    {"params", 'p', 0, G_OPTION_ARG_FILENAME, &params_file,
        "Ticket parameters: OrchestratorInfo.ticket_params JSON, or a "
          "whole OrchestratorInfo", "FILE"},
    {"nonces", 'n', 0, G_OPTION_ARG_STRING, &nonces_text,
        "Sender nonces of the tickets: 1-5, 7 or 1,3,5", "LIST"},
    {"expected-price", 'e', 0, G_OPTION_ARG_STRING, &price_text,
        "The price the sender expects, wei per pixels (default: the "
          "OrchestratorInfo's price_info, else 0/1)", "PRICE/PIXELS"},
    {"json", 0, 0, G_OPTION_ARG_NONE, &as_json,
        "Print the payment's JSON instead of the header value", NULL},
    {"password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
        "Read the keystore password from the first line of FILE", "FILE"},
    {"password-env", 0, 0, G_OPTION_ARG_STRING, &password_env,
          "Take the keystore password from environment variable VARIABLE",
        "VARIABLE"},
    {NULL}
  };
  LpPayment *payment = NULL;
  LpPrivateKey *key = NULL;
  GArray *nonces = NULL;
  GError *error = NULL;
  LpPriceInfo price = { 0, 1 };
  guint i;
  int ret;

  ret = parse_action (command, "",
      "Builds a Payment whose tickets the key signs, and prints its\n"
      "Livepeer-Payment header value (base64 of the JSON).", entries, &argc,
      &argv);
  if (ret >= 0)
    goto done;
  if (argc != 1) {
    ret = usage_error (command, "unexpected argument");
    goto done;
  }
  if (key_file == NULL || params_file == NULL || nonces_text == NULL) {
    ret = usage_error (command, key_file == NULL ? "missing --key-file FILE" :
        params_file == NULL ? "missing --params FILE" :
        "missing --nonces LIST");
    goto done;
  }
  nonces = parse_nonces (nonces_text, &error);
  if (nonces == NULL || (price_text != NULL && !parse_price (price_text,
              &price, &error))) {
    ret = usage_error (command, error->message);
    g_clear_error (&error);
    goto done;
  }
  ret = get_password (command, password_file, password_env, FALSE, &password);
  if (ret >= 0)
    goto done;

  payment = lp_payment_new ();
  key = lp_key_load (key_file, password, &error);
  if (key == NULL || !load_ticket_params (params_file,
          &payment->ticket_params, &payment->expected_price, &has_price,
          &error)) {
    ret = fail (error);
    goto done;
  }
  if (price_text != NULL || !has_price)
    payment->expected_price = price;
  payment->has_ticket_params = TRUE;
  payment->sender = *lp_private_key_get_address (key);
  /* as go-livepeer: the expiration parameters travel once, beside the
   * ticket parameters rather than inside them */
  payment->expiration_params = payment->ticket_params.expiration_params;
  memset (&payment->ticket_params.expiration_params, 0,
      sizeof (LpExpirationParams));
  for (i = 0; i < nonces->len; i++) {
    LpTicketSenderParams tsp = { 0, };
    LpTicket ticket;

    tsp.sender_nonce = g_array_index (nonces, guint32, i);
    g_array_append_val (payment->tickets, tsp);
    lp_payment_get_ticket (payment, i, &ticket);
    if (!lp_ticket_sign (&ticket, key, g_array_index (payment->tickets,
                LpTicketSenderParams, i).sig, &error)) {
      ret = fail (error);
      goto done;
    }
  }

  out = as_json ? lp_wire_payment_to_json (payment) :
      lp_wire_payment_to_header (payment);
  g_print ("%s\n", out);
  g_free (out);
  ret = EXIT_SUCCESS;

done:
  lp_payment_free (payment);
  g_clear_pointer (&key, lp_private_key_unref);
  if (nonces != NULL)
    g_array_unref (nonces);
  lp_password_free (password);
  g_free (key_file);
  g_free (params_file);
  g_free (nonces_text);
  g_free (price_text);
  g_free (password_file);
  g_free (password_env);
  return ret;
}

static const Action payment_actions[] = {
  {"decode", payment_decode},
  {"make", payment_make},
};

static const gchar payment_description[] =
    "Actions:\n"
    "  decode [BASE64 | JSON | -] [--recipient-rand N]\n"
    "      Decode a Livepeer-Payment value (or its JSON; '-' reads standard\n"
    "      input) and print it as JSON: the sender, ticket parameters,\n"
    "      expiration parameters, expected price and, per ticket, its\n"
    "      nonce, ticket_hash, the signer its signature recovers to and\n"
    "      signature_valid (the signer is the sender); with\n"
    "      --recipient-rand, also whether each ticket wins.\n"
    "  make --key-file FILE --params FILE --nonces LIST\n"
    "       [--expected-price PRICE/PIXELS] [--json]\n"
    "      Build a payment of tickets signed by the key from ticket\n"
    "      parameters (OrchestratorInfo.ticket_params JSON or a whole\n"
    "      OrchestratorInfo) and print its Livepeer-Payment value.\n"
    "\n"
    "A malformed payment is an error (exit status 1) whose message names\n"
    "the offending field.\n";

/* ------------------------------------------------------------------------ */
/* segment actions                                                          */
/* ------------------------------------------------------------------------ */

static int
segment_decode (int argc, char **argv)
{
  static const gchar command[] = "segment decode";
  GOptionEntry entries[] = {
    {NULL}
  };
  LpSegData *seg = NULL;
  GError *error = NULL;
  gchar *input = NULL, *json;
  guint8 hash[LP_KECCAK256_SIZE];
  JsonNode *root;
  JsonObject *obj;
  LpAddress signer;
  GBytes *message;
  int ret;

  ret = parse_action (command, "[BASE64 | JSON | -]",
      "Decodes a Livepeer-Segment header value (base64) or its JSON, from\n"
      "the argument or standard input ('-'), and prints its fields as JSON\n"
      "with the keccak hash of the message its signature covers\n"
      "(message_hash) and the address the signature recovers to (signer,\n"
      "null when the signature is malformed).", entries, &argc, &argv);
  if (ret >= 0)
    return ret;
  if (argc != 2)
    return usage_error (command, argc < 2 ? "missing the segment data (give "
        "'-' to read standard input)" : "give exactly one segment data");

  input = read_wire_input (argv[1], &error);
  if (input != NULL)
    seg = input[0] == '{' ? lp_wire_seg_data_from_json (input, -1, &error)
        : lp_wire_seg_data_from_header (input, &error);
  g_free (input);
  if (seg == NULL)
    return fail (error);

  json = lp_wire_seg_data_to_json (seg);
  root = json_from_string (json, NULL);
  g_free (json);
  obj = json_node_get_object (root);
  message = lp_seg_data_signed_message (seg);
  lp_keccak256 (g_bytes_get_data (message, NULL), g_bytes_get_size (message),
      hash);
  g_bytes_unref (message);
  set_hex_member (obj, "message_hash", hash, sizeof (hash));
  if (lp_seg_data_recover_signer (seg, &signer, NULL))
    set_address_member (obj, "signer", &signer);
  else
    json_object_set_null_member (obj, "signer");
  print_json (root);
  lp_seg_data_free (seg);
  return EXIT_SUCCESS;
}

static const Action segment_actions[] = {
  {"decode", segment_decode},
};

static const gchar segment_description[] =
    "Actions:\n"
    "  decode [BASE64 | JSON | -]\n"
    "      Decode a Livepeer-Segment value (or its JSON; '-' reads standard\n"
    "      input) and print its fields, the hash of the signed segment\n"
    "      message and the address that signed it.\n";

/* ------------------------------------------------------------------------ */
/* ledger helpers                                                           */
/* ------------------------------------------------------------------------ */

#define DEFAULT_LEDGER "devnet.db"
#define WEI_DIGITS 18

static const gchar *
ledger_uri (void)
{
  return opt_ledger != NULL ? opt_ledger : DEFAULT_LEDGER;
}

/* Opens the ledger of --ledger. Returns -1 on success, else the exit
 * status. */
static int
open_ledger (LpLedger ** ledger)
{
  GError *error = NULL;

  *ledger = lp_ledger_open (ledger_uri (), &error);
  if (*ledger == NULL)
    return fail (error);
  return -1;
}

/* The --from option of the commands that act for an account, with the
 * keystore password options. */
typedef struct
{
  gchar *file;
  gchar *password_file;
  gchar *password_env;
} KeyOptions;

#define KEY_ENTRIES(opts, name, blurb) \
  {name, 0, 0, G_OPTION_ARG_FILENAME, &(opts).file, blurb, "KEYFILE"}, \
  {"password-file", 0, 0, G_OPTION_ARG_FILENAME, &(opts).password_file, \
        "Read the password of a keystore key file from the first line of " \
        "FILE", "FILE"}, \
  {"password-env", 0, 0, G_OPTION_ARG_STRING, &(opts).password_env, \
        "Take the password of a keystore key file from environment " \
        "variable VARIABLE", "VARIABLE"}

#define JSON_ENTRY(var) \
  {"json", 0, 0, G_OPTION_ARG_NONE, &(var), \
        "Print the result as one JSON object (amounts as decimal strings " \
        "of wei)", NULL}

static void
key_options_clear (KeyOptions * opts)
{
  g_free (opts->file);
  g_free (opts->password_file);
  g_free (opts->password_env);
}

/* Prints a key loading error, with a hint when a password is needed. */
static int
fail_key (GError * error)
{
  g_printerr ("lpctl: %s%s\n", error->message,
      g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_PASSWORD_REQUIRED) ?
      " (give --password-file FILE or --password-env VARIABLE)" : "");
  g_error_free (error);
  return EXIT_FAILURE;
}

/* Loads the address of the key file of @opts (option --@option). Returns
 * -1 on success, else the exit status. */
static int
load_key_address (const gchar * command, const gchar * option,
    KeyOptions * opts, LpAddress * address)
{
  gchar *password = NULL;
  LpPrivateKey *key;
  GError *error = NULL;
  int ret;

  if (opts->file == NULL) {
    gchar *message = g_strdup_printf ("missing --%s KEYFILE", option);

    ret = usage_error (command, message);
    g_free (message);
    return ret;
  }
  ret = get_password (command, opts->password_file, opts->password_env,
      FALSE, &password);
  if (ret >= 0)
    return ret;
  key = lp_key_load (opts->file, password, &error);
  lp_password_free (password);
  if (key == NULL)
    return fail_key (error);
  *address = *lp_private_key_get_address (key);
  lp_private_key_unref (key);
  return -1;
}

/* Usage error "--OPTION: MESSAGE" (or "missing --OPTION WHAT" when @text
 * is NULL and @what is given). */
static int
option_error (const gchar * command, const gchar * option,
    const gchar * message)
{
  gchar *text = g_strdup_printf ("--%s: %s", option, message);
  int ret = usage_error (command, text);

  g_free (text);
  return ret;
}

static int
missing_option (const gchar * command, const gchar * option,
    const gchar * what)
{
  gchar *text = g_strdup_printf ("missing --%s %s", option, what);
  int ret = usage_error (command, text);

  g_free (text);
  return ret;
}

/* Parses an amount in wei ("1000e18", decimal, 0x-hex). Returns -1 on
 * success, else the exit status. */
static int
parse_amount_option (const gchar * command, const gchar * option,
    const gchar * text, LpUint256 * value)
{
  GError *error = NULL;
  int ret;

  if (text == NULL)
    return missing_option (command, option, "AMOUNT");
  if (!lp_uint256_parse (text, value, &error)) {
    ret = option_error (command, option, error->message);
    g_error_free (error);
    return ret;
  }
  return -1;
}

static int
parse_address_option (const gchar * command, const gchar * option,
    const gchar * text, LpAddress * address)
{
  GError *error = NULL;
  int ret;

  if (text == NULL)
    return missing_option (command, option, "ADDRESS");
  if (!lp_address_parse (text, address, &error)) {
    ret = option_error (command, option, error->message);
    g_error_free (error);
    return ret;
  }
  return -1;
}

static int
parse_u64_option (const gchar * command, const gchar * option,
    const gchar * what, const gchar * text, guint64 min, guint64 * value)
{
  gchar *message;
  int ret;

  if (text == NULL)
    return missing_option (command, option, what);
  if (g_ascii_string_to_unsigned (text, 10, min, G_MAXINT64, value, NULL))
    return -1;
  message = g_strdup_printf ("'%s' is not an integer from %" G_GUINT64_FORMAT
      " to %" G_GINT64_FORMAT, text, min, G_MAXINT64);
  ret = option_error (command, option, message);
  g_free (message);
  return ret;
}

/* "10%", "12.5%" (at most 4 decimals) or an integer in parts per million.
 * Returns -1 on success, else the exit status. */
static int
parse_ppm_option (const gchar * command, const gchar * option,
    const gchar * text, guint64 * ppm)
{
  gsize len, i = 0;
  guint64 whole = 0, frac = 0;
  guint n_whole = 0, n_frac = 0;
  gboolean ok;

  if (text == NULL)
    return missing_option (command, option, "PERCENT");
  len = strlen (text);
  if (len == 0 || text[len - 1] != '%') {
    ok = g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, ppm, NULL);
  } else {
    for (; i < len - 1 && g_ascii_isdigit (text[i]) && n_whole < 9; i++) {
      whole = whole * 10 + (text[i] - '0');
      n_whole++;
    }
    if (i < len - 1 && text[i] == '.') {
      for (i++; i < len - 1 && g_ascii_isdigit (text[i]) && n_frac < 4; i++) {
        frac = frac * 10 + (text[i] - '0');
        n_frac++;
      }
      ok = n_frac > 0;
    } else {
      ok = TRUE;
    }
    ok = ok && n_whole > 0 && i == len - 1;
    for (; n_frac < 4; n_frac++)
      frac *= 10;
    *ppm = whole * 10000 + frac;
  }
  if (!ok) {
    gchar *message = g_strdup_printf ("'%s' is not a percentage with at most "
        "4 decimals (like 10%% or 12.5%%) or an integer in parts per million "
        "(like 125000)", text);
    int ret = option_error (command, option, message);

    g_free (message);
    return ret;
  }
  return -1;
}

/* @digits (a non-negative integer in decimal) divided by 10^@shift,
 * exactly, without trailing zeros. */
static gchar *
decimal_shift (const gchar * digits, guint shift)
{
  gsize len = strlen (digits);
  GString *s = g_string_new (NULL);
  gsize i;

  if (len <= shift) {
    g_string_append (s, "0.");
    for (i = len; i < shift; i++)
      g_string_append_c (s, '0');
    g_string_append (s, digits);
  } else {
    g_string_append_len (s, digits, len - shift);
    if (shift > 0) {
      g_string_append_c (s, '.');
      g_string_append (s, digits + len - shift);
    }
  }
  if (shift > 0) {
    while (s->str[s->len - 1] == '0')
      g_string_truncate (s, s->len - 1);
    if (s->str[s->len - 1] == '.')
      g_string_truncate (s, s->len - 1);
  }
  return g_string_free (s, FALSE);
}

/* "2501.25 LPT (2501250000000000000000 wei)" */
static gchar *
format_token (const LpUint256 * wei, const gchar * unit)
{
  gchar *digits = lp_uint256_to_string (wei);
  gchar *units = decimal_shift (digits, WEI_DIGITS);
  gchar *text = g_strdup_printf ("%s %s (%s wei)", units, unit, digits);

  g_free (digits);
  g_free (units);
  return text;
}

/* @value over 10^@digits as a percentage: "12.5%" */
static gchar *
format_percent_u64 (guint64 value, guint digits)
{
  gchar *number = g_strdup_printf ("%" G_GUINT64_FORMAT, value);
  gchar *shifted = decimal_shift (number, digits - 2);
  gchar *text = g_strdup_printf ("%s%%", shifted);

  g_free (number);
  g_free (shifted);
  return text;
}

static gchar *
format_percent_u256 (const LpUint256 * value, guint digits)
{
  gchar *number = lp_uint256_to_string (value);
  gchar *shifted = decimal_shift (number, digits - 2);
  gchar *text = g_strdup_printf ("%s%%", shifted);

  g_free (number);
  g_free (shifted);
  return text;
}

static const gchar *
fee_asset_unit (LpFeeAsset asset)
{
  return asset == LP_FEE_ASSET_LPT ? "LPT" : "ETH";
}

static const gchar *
delegator_status_name (LpDelegatorStatus status)
{
  switch (status) {
    case LP_DELEGATOR_PENDING:
      return "pending";
    case LP_DELEGATOR_BONDED:
      return "bonded";
    case LP_DELEGATOR_UNBONDED:
    default:
      return "unbonded";
  }
}

static void
set_amount_member (JsonObject * obj, const gchar * name,
    const LpUint256 * value)
{
  gchar *text = lp_uint256_to_string (value);

  json_object_set_string_member (obj, name, text);
  g_free (text);
}

static void
set_u64_member (JsonObject * obj, const gchar * name, guint64 value)
{
  json_object_set_int_member (obj, name, (gint64) value);
}

static void
set_percent_member (JsonObject * obj, const gchar * name, guint64 ppm)
{
  gchar *text = format_percent_u64 (ppm, 6);

  json_object_set_string_member (obj, name, text);
  g_free (text);
}

/* Appends "  LABEL  VALUE\n" with the label padded. */
static void
append_row (GString * out, const gchar * label, const gchar * format, ...)
    G_GNUC_PRINTF (3, 4);

static void
append_row (GString * out, const gchar * label, const gchar * format, ...)
{
  va_list args;

  g_string_append_printf (out, "%-22s ", label);
  va_start (args, format);
  g_string_append_vprintf (out, format, args);
  va_end (args);
  g_string_append_c (out, '\n');
}

static void
append_token_row (GString * out, const gchar * label, const LpUint256 * wei,
    const gchar * unit)
{
  gchar *text = format_token (wei, unit);

  append_row (out, label, "%s", text);
  g_free (text);
}

/* Prints @obj (with --json) or @human, then frees both. */
static int
emit (gboolean as_json, JsonObject * obj, GString * human)
{
  if (as_json) {
    JsonNode *root = json_node_new (JSON_NODE_OBJECT);

    json_node_take_object (root, obj);
    print_json (root);
  } else {
    g_print ("%s", human->str);
    json_object_unref (obj);
  }
  g_string_free (human, TRUE);
  return EXIT_SUCCESS;
}

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

  g_string_append (out, "Parameters:\n");
  append_row (out, "  block-time-ms", "%" G_GUINT64_FORMAT " ms%s",
      p->block_time_ms, p->block_time_ms == 0 ? " (blocks move only with "
      "'lpctl advance')" : "");
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

static JsonObject *
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

/* Fetches the status (for the fee asset and the round). Returns -1 on
 * success, else the exit status. */
static int
get_status (LpLedger * ledger, LpLedgerStatus * status)
{
  GError *error = NULL;

  memset (status, 0, sizeof (*status));
  if (!lp_ledger_get_status (ledger, status, &error))
    return fail (error);
  return -1;
}

static int
get_account (LpLedger * ledger, const LpAddress * address,
    LpAccountInfo * info)
{
  GError *error = NULL;

  memset (info, 0, sizeof (*info));
  if (!lp_ledger_get_account (ledger, address, info, &error)) {
    memset (info, 0, sizeof (*info));
    return fail (error);
  }
  return -1;
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

static int
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

static int
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

static int
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
  LpAccountInfo info;
  LpLedgerOrchestrator orch;
  gboolean is_orch = FALSE;
  LpAddress address;
  JsonObject *obj;
  JsonArray *locks;
  GString *human;
  const gchar *fee_unit;
  gchar text[LP_ADDRESS_TEXT_SIZE];
  guint i;
  int ret;

  memset (&info, 0, sizeof (info));
  memset (&orch, 0, sizeof (orch));
  ret = parse_action (command, "[ADDRESS]",
      "Prints what the ledger holds for an account: balances, its stake\n"
      "(delegator status, bonded and pending stake, fees, delegate,\n"
      "unbonding locks), its TicketBroker deposit and reserve, and its\n"
      "orchestrator record if it is one.", entries, &argc, &argv);
  if (ret >= 0)
    goto done;
  if (argc > 2 || (argc == 2) == (of.file != NULL)) {
    ret = usage_error (command, "give the account once, as ADDRESS or --of "
        "KEYFILE");
    goto done;
  }
  if (argc == 2)
    ret = parse_address_option (command, "address", argv[1], &address);
  else
    ret = load_key_address (command, "of", &of, &address);
  if (ret >= 0)
    goto done;

  ret = open_ledger (&ledger);
  if (ret >= 0)
    goto done;
  ret = get_status (ledger, &status);
  if (ret >= 0)
    goto done;
  ret = get_account (ledger, &address, &info);
  if (ret >= 0)
    goto done;
  is_orch = lp_ledger_get_orchestrator (ledger, &address, &orch, NULL)
      && orch.registered;
  fee_unit = fee_asset_unit (status.params.fee_asset);

  obj = json_object_new ();
  human = g_string_new (NULL);
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
      status.params.fee_asset == LP_FEE_ASSET_LPT ? "lpt" : "eth");
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
  ret = emit (as_json, obj, human);

done:
  lp_account_info_clear (&info);
  if (is_orch || orch.service_uri != NULL)
    lp_ledger_orchestrator_clear (&orch);
  g_clear_object (&ledger);
  key_options_clear (&of);
  return ret;
}

/* ------------------------------------------------------------------------ */
/* ledger operations                                                        */
/* ------------------------------------------------------------------------ */

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

/* Parses the options of an operation that takes no argument. Returns -1
 * on success, else the exit status. */
static int
call_parse (Call * c, const gchar * summary, GOptionEntry * entries,
    int *argc, char ***argv)
{
  int ret = parse_action (c->command, "", summary, entries, argc, argv);

  if (ret >= 0)
    return ret;
  if (*argc != 1)
    return usage_error (c->command, "unexpected argument");
  return -1;
}

/* Loads --from (with @with_key) and opens the ledger. */
static int
call_open (Call * c, gboolean with_key)
{
  int ret;

  if (with_key) {
    ret = load_key_address (c->command, "from", &c->key, &c->from);
    if (ret >= 0)
      return ret;
  }
  return open_ledger (&c->ledger);
}

static void
call_clear (Call * c)
{
  g_clear_object (&c->ledger);
  key_options_clear (&c->key);
}

/* A result object with "from" set. */
static JsonObject *
call_result (Call * c)
{
  JsonObject *obj = json_object_new ();

  set_address_member (obj, "from", &c->from);
  return obj;
}

static const gchar *
address_text (const LpAddress * address, gchar text[LP_ADDRESS_TEXT_SIZE])
{
  lp_address_format (address, text);
  return text;
}

static int
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

/* Adds the TicketBroker state of @info to @obj and @human. */
static void
append_sender_state (JsonObject * obj, GString * human,
    const LpAccountInfo * info, const LpLedgerStatus * status)
{
  const gchar *unit = fee_asset_unit (status->params.fee_asset);

  set_amount_member (obj, "deposit", &info->deposit);
  set_amount_member (obj, "reserve", &info->reserve);
  set_u64_member (obj, "withdraw_round", info->withdraw_round);
  append_token_row (human, "Deposit", &info->deposit, unit);
  append_token_row (human, "Reserve", &info->reserve, unit);
  if (info->withdraw_round == 0)
    append_row (human, "Withdraw round", "none (not unlocking)");
  else
    append_row (human, "Withdraw round", "%" G_GUINT64_FORMAT,
        info->withdraw_round);
}

static int
ledger_deposit (int argc, char **argv)
{
  Call c = { "deposit", };
  gchar *deposit_text = NULL, *reserve_text = NULL;
  GOptionEntry entries[] = {
    FROM_ENTRIES (c, "The sender's (broadcaster's) key file"),
    {"deposit", 'd', 0, G_OPTION_ARG_STRING, &deposit_text,
        "Amount to add to the deposit, " AMOUNT_HELP, "AMOUNT"},
    {"reserve", 'r', 0, G_OPTION_ARG_STRING, &reserve_text,
        "Amount to add to the reserve, " AMOUNT_HELP, "AMOUNT"},
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  LpUint256 deposit = LP_UINT256_INIT, reserve = LP_UINT256_INIT;
  LpLedgerStatus status;
  LpAccountInfo info;
  GError *error = NULL;
  GString *human;
  JsonObject *obj;
  int ret;

  memset (&info, 0, sizeof (info));
  ret = call_parse (&c, "Funds the TicketBroker deposit and/or reserve of "
      "the key's account (in\nthe fee asset, ETH by default) that pays its "
      "winning tickets.", entries, &argc, &argv);
  if (ret < 0 && deposit_text == NULL && reserve_text == NULL)
    ret = usage_error (c.command, "give --deposit AMOUNT and/or --reserve "
        "AMOUNT");
  if (ret < 0 && deposit_text != NULL)
    ret = parse_amount_option (c.command, "deposit", deposit_text, &deposit);
  if (ret < 0 && reserve_text != NULL)
    ret = parse_amount_option (c.command, "reserve", reserve_text, &reserve);
  if (ret < 0)
    ret = call_open (&c, TRUE);
  if (ret < 0 && !lp_ledger_fund (c.ledger, &c.from, &deposit, &reserve,
          &error))
    ret = fail (error);
  if (ret < 0)
    ret = get_status (c.ledger, &status);
  if (ret < 0)
    ret = get_account (c.ledger, &c.from, &info);
  if (ret < 0) {
    obj = call_result (&c);
    set_amount_member (obj, "added_deposit", &deposit);
    set_amount_member (obj, "added_reserve", &reserve);
    human = g_string_new (NULL);
    append_sender_state (obj, human, &info, &status);
    ret = emit (c.as_json, obj, human);
  }
  lp_account_info_clear (&info);
  call_clear (&c);
  g_free (deposit_text);
  g_free (reserve_text);
  return ret;
}

typedef enum
{
  SENDER_UNLOCK,
  SENDER_CANCEL_UNLOCK,
  SENDER_WITHDRAW,
} SenderOp;

static int
sender_op (SenderOp op, int argc, char **argv)
{
  static const gchar *const names[] = { "unlock", "cancel-unlock",
    "withdraw"
  };
  static const gchar *const summaries[] = {
    "Starts the unlock period of the key's TicketBroker deposit and\n"
        "reserve; 'lpctl withdraw' takes them back once it is over.",
    "Cancels the key's unlock: the deposit and reserve pay tickets again.",
    "Takes the key's deposit and reserve back once the unlock period is\n"
        "over.",
  };
  Call c = { names[op], };
  GOptionEntry entries[] = {
    FROM_ENTRIES (c, "The sender's (broadcaster's) key file"),
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  LpLedgerStatus status;
  LpAccountInfo before, after;
  GError *error = NULL;
  GString *human;
  JsonObject *obj;
  gboolean ok;
  int ret;

  memset (&before, 0, sizeof (before));
  memset (&after, 0, sizeof (after));
  ret = call_parse (&c, summaries[op], entries, &argc, &argv);
  if (ret < 0)
    ret = call_open (&c, TRUE);
  if (ret < 0)
    ret = get_status (c.ledger, &status);
  if (ret < 0)
    ret = get_account (c.ledger, &c.from, &before);
  if (ret < 0) {
    ok = op == SENDER_UNLOCK ? lp_ledger_unlock (c.ledger, &c.from, &error) :
        op == SENDER_CANCEL_UNLOCK ? lp_ledger_cancel_unlock (c.ledger,
        &c.from, &error) : lp_ledger_withdraw (c.ledger, &c.from, &error);
    if (!ok)
      ret = fail (error);
  }
  if (ret < 0)
    ret = get_account (c.ledger, &c.from, &after);
  if (ret < 0) {
    obj = call_result (&c);
    human = g_string_new (NULL);
    if (op == SENDER_WITHDRAW) {
      const gchar *unit = fee_asset_unit (status.params.fee_asset);
      gchar *d = format_token (&before.deposit, unit);
      gchar *r = format_token (&before.reserve, unit);

      set_amount_member (obj, "withdrawn_deposit", &before.deposit);
      set_amount_member (obj, "withdrawn_reserve", &before.reserve);
      g_string_append_printf (human, "Withdrew deposit %s and reserve %s\n",
          d, r);
      g_free (d);
      g_free (r);
    } else if (op == SENDER_UNLOCK) {
      g_string_append_printf (human, "Unlocking: withdraw from round %"
          G_GUINT64_FORMAT "\n", after.withdraw_round);
    } else {
      g_string_append (human, "Unlock cancelled\n");
    }
    append_sender_state (obj, human, &after, &status);
    ret = emit (c.as_json, obj, human);
  }
  lp_account_info_clear (&before);
  lp_account_info_clear (&after);
  call_clear (&c);
  return ret;
}

static int
ledger_unlock (int argc, char **argv)
{
  return sender_op (SENDER_UNLOCK, argc, argv);
}

static int
ledger_cancel_unlock (int argc, char **argv)
{
  return sender_op (SENDER_CANCEL_UNLOCK, argc, argv);
}

static int
ledger_withdraw (int argc, char **argv)
{
  return sender_op (SENDER_WITHDRAW, argc, argv);
}

static int
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

static int
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

static int
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

static int
ledger_rebond (int argc, char **argv)
{
  return lock_op (LOCK_REBOND, argc, argv);
}

static int
ledger_withdraw_stake (int argc, char **argv)
{
  return lock_op (LOCK_WITHDRAW, argc, argv);
}

static int
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

static int
ledger_claim (int argc, char **argv)
{
  Call c = { "claim", };
  GOptionEntry entries[] = {
    FROM_ENTRIES (c, "The delegator's key file"),
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  LpLedgerStatus status;
  LpAccountInfo info;
  GError *error = NULL;
  JsonObject *obj;
  GString *human;
  int ret;

  memset (&info, 0, sizeof (info));
  ret = call_parse (&c, "Claims the key's account's rewards and fees up to "
      "the current round into\nits bond and fees.", entries, &argc, &argv);
  if (ret < 0)
    ret = call_open (&c, TRUE);
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

static int
ledger_reward (int argc, char **argv)
{
  Call c = { "reward", };
  GOptionEntry entries[] = {
    FROM_ENTRIES (c, "The orchestrator's key file"),
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  LpLedgerStatus status;
  LpUint256 minted = LP_UINT256_INIT;
  GError *error = NULL;
  JsonObject *obj;
  GString *human;
  gchar *amount;
  int ret;

  ret = call_parse (&c, "Calls reward() for the key's orchestrator: mints "
      "its share of the\ncurrent round's inflation (once per round, while "
      "active). Prints the LPT\nminted.", entries, &argc, &argv);
  if (ret < 0)
    ret = call_open (&c, TRUE);
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

  ret = call_parse (&c, "Initializes the current round: sets its active "
      "set and total active\nstake, applies pending parameter changes and "
      "lets the Minter set the\nround's inflation and mintable LPT.",
      entries, &argc, &argv);
  if (ret < 0)
    ret = call_open (&c, FALSE);
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

static int
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

/* ------------------------------------------------------------------------ */
/* governance, evidence, tickets, audit                                     */
/* ------------------------------------------------------------------------ */

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

static int
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

static int
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

static int
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

static int
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

/* The winning tickets an orchestrator queued for redemption, not yet
 * redeemed: what its redemption worker has left to do. */
static int
list_queued_tickets (Call * c, const LpAddress * recipient,
    const LpLedgerStatus * status)
{
  const gchar *unit = fee_asset_unit (status->params.fee_asset);
  GError *error = NULL;
  GArray *tickets;
  JsonObject *obj;
  JsonArray *array;
  GString *human;
  guint i;
  int ret;

  tickets = lp_ledger_list_queued_tickets (c->ledger, recipient, &error);
  if (tickets == NULL)
    return fail (error);
  obj = json_object_new ();
  array = json_array_new ();
  human = g_string_new (NULL);
  for (i = 0; i < tickets->len; i++) {
    const LpWinningTicket *w = &g_array_index (tickets, LpWinningTicket, i);
    const LpTicket *t = &w->ticket;
    JsonObject *to = json_object_new ();
    guint8 hash_bytes[LP_TICKET_HASH_SIZE];
    gchar *hash, *face;
    gchar s[LP_ADDRESS_TEXT_SIZE], r[LP_ADDRESS_TEXT_SIZE];

    lp_ticket_hash (t, hash_bytes);
    hash = lp_hex_encode (hash_bytes, sizeof (hash_bytes), TRUE);
    face = format_token (&t->face_value, unit);
    json_object_set_string_member (to, "ticket_hash", hash);
    set_address_member (to, "sender", &t->sender);
    set_address_member (to, "recipient", &t->recipient);
    set_amount_member (to, "face_value", &t->face_value);
    set_u64_member (to, "creation_round", t->expiration_params.creation_round);
    set_u64_member (to, "params_expiration_block", w->params_expiration_block);
    json_array_add_object_element (array, to);
    g_string_append_printf (human, "%s\n  sender %s, recipient %s\n"
        "  face value %s\n  created in round %" G_GUINT64_FORMAT
        ", parameters expire at block %" G_GUINT64_FORMAT "\n", hash,
        address_text (&t->sender, s), address_text (&t->recipient, r), face,
        t->expiration_params.creation_round, w->params_expiration_block);
    g_free (hash);
    g_free (face);
  }
  if (tickets->len == 0)
    g_string_append (human, "No queued tickets\n");
  set_u64_member (obj, "count", tickets->len);
  json_object_set_array_member (obj, "tickets", array);
  ret = emit (c->as_json, obj, human);
  g_array_unref (tickets);
  return ret;
}

static int
ledger_tickets (int argc, char **argv)
{
  Call c = { "tickets", };
  gchar *recipient_text = NULL;
  gboolean queued = FALSE;
  GOptionEntry entries[] = {
    {"queued", 'q', 0, G_OPTION_ARG_NONE, &queued,
        "The tickets queued for redemption instead of the redeemed ones",
        NULL},
    {"recipient", 'r', 0, G_OPTION_ARG_STRING, &recipient_text,
        "Only the tickets paid to this orchestrator", "ADDRESS"},
    JSON_ENTRY (c.as_json),
    {NULL}
  };
  LpLedgerStatus status;
  LpAddress recipient;
  GArray *tickets = NULL;
  GError *error = NULL;
  JsonObject *obj;
  JsonArray *array;
  GString *human;
  const gchar *unit;
  guint i;
  int ret;

  ret = call_parse (&c, "Lists the winning tickets redeemed on the ledger: "
      "hash, sender,\nrecipient, face value, what was paid, round and "
      "block. With --queued,\nthe tickets waiting for redemption instead: "
      "hash, sender, recipient,\nface value, creation round and the block "
      "their parameters expire at.", entries, &argc, &argv);
  if (ret < 0 && recipient_text != NULL)
    ret = parse_address_option (c.command, "recipient", recipient_text,
        &recipient);
  if (ret < 0)
    ret = call_open (&c, FALSE);
  if (ret < 0)
    ret = get_status (c.ledger, &status);
  if (ret < 0 && queued)
    ret = list_queued_tickets (&c, recipient_text != NULL ? &recipient : NULL,
        &status);
  if (ret < 0) {
    tickets = lp_ledger_list_redeemed_tickets (c.ledger,
        recipient_text != NULL ? &recipient : NULL, &error);
    if (tickets == NULL)
      ret = fail (error);
  }
  if (ret < 0) {
    unit = fee_asset_unit (status.params.fee_asset);
    obj = json_object_new ();
    array = json_array_new ();
    human = g_string_new (NULL);
    for (i = 0; i < tickets->len; i++) {
      const LpRedeemedTicket *t =
          &g_array_index (tickets, LpRedeemedTicket, i);
      JsonObject *to = json_object_new ();
      gchar *hash = lp_hex_encode (t->ticket_hash, LP_TICKET_HASH_SIZE, TRUE);
      gchar *face = format_token (&t->face_value, unit);
      gchar *paid = format_token (&t->paid, unit);
      gchar s[LP_ADDRESS_TEXT_SIZE], r[LP_ADDRESS_TEXT_SIZE];

      json_object_set_string_member (to, "ticket_hash", hash);
      set_address_member (to, "sender", &t->sender);
      set_address_member (to, "recipient", &t->recipient);
      set_amount_member (to, "face_value", &t->face_value);
      set_amount_member (to, "paid", &t->paid);
      set_u64_member (to, "round", t->round);
      set_u64_member (to, "block", t->block);
      json_array_add_object_element (array, to);
      g_string_append_printf (human, "%s\n  sender %s, recipient %s\n"
          "  face value %s, paid %s\n  round %" G_GUINT64_FORMAT ", block %"
          G_GUINT64_FORMAT "\n", hash, address_text (&t->sender, s),
          address_text (&t->recipient, r), face, paid, t->round, t->block);
      g_free (hash);
      g_free (face);
      g_free (paid);
    }
    if (tickets->len == 0)
      g_string_append (human, "No redeemed tickets\n");
    set_u64_member (obj, "count", tickets->len);
    json_object_set_array_member (obj, "tickets", array);
    ret = emit (c.as_json, obj, human);
  }
  if (tickets != NULL)
    g_array_unref (tickets);
  call_clear (&c);
  g_free (recipient_text);
  return ret;
}

/* Redeems every ticket of a payment on the ledger, as an orchestrator's
 * redemption queue does with its winners: each one is checked by the
 * TicketBroker's rules in their order and paid from the sender's deposit,
 * then reserve. A refused ticket changes nothing and does not stop the
 * others; the exit status is 1 when any was refused. */
static int
ledger_redeem (int argc, char **argv)
{
  static const gchar command[] = "redeem";
  gchar *rand_text = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    {"recipient-rand", 'r', 0, G_OPTION_ARG_STRING, &rand_text,
        "The recipient's random number (decimal or 0x-hex) whose keccak "
          "is the tickets' recipient_rand_hash", "N"},
    JSON_ENTRY (as_json),
    {NULL}
  };
  LpLedger *ledger = NULL;
  LpLedgerStatus status;
  LpPayment *payment = NULL;
  LpUint256 recipient_rand;
  GError *error = NULL;
  JsonObject *obj;
  JsonArray *array;
  GString *human;
  guint i, refused = 0;
  int ret;

  ret = parse_action (command, "[BASE64 | JSON | -]",
      "Redeems the winning tickets of a Livepeer-Payment value (or its JSON;\n"
      "'-' reads standard input) on the ledger, paying each ticket's\n"
      "recipient from the sender's deposit, then reserve. Every ticket is\n"
      "checked by the TicketBroker's rules; one that is refused is reported\n"
      "with the rule and changes nothing (exit status 1).", entries, &argc,
      &argv);
  if (ret >= 0)
    goto done;
  if (argc != 2) {
    ret = usage_error (command, argc < 2 ? "missing the payment (give '-' "
        "to read standard input)" : "give exactly one payment");
    goto done;
  }
  if (rand_text == NULL) {
    ret = usage_error (command, "missing --recipient-rand N");
    goto done;
  }
  if (!lp_uint256_parse (rand_text, &recipient_rand, &error)) {
    g_prefix_error (&error, "--recipient-rand: ");
    ret = usage_error (command, error->message);
    g_clear_error (&error);
    goto done;
  }
  payment = read_payment (argv[1], &error);
  if (payment == NULL) {
    ret = fail (error);
    goto done;
  }
  ret = open_ledger (&ledger);
  if (ret < 0)
    ret = get_status (ledger, &status);
  if (ret >= 0)
    goto done;

  obj = json_object_new ();
  array = json_array_new ();
  human = g_string_new (NULL);
  for (i = 0; i < payment->tickets->len; i++) {
    const LpTicketSenderParams *tsp =
        &g_array_index (payment->tickets, LpTicketSenderParams, i);
    const gchar *unit = fee_asset_unit (status.params.fee_asset);
    JsonObject *t = json_object_new ();
    LpWinningTicket winner;
    LpRedemption redemption;
    guint8 hash[LP_TICKET_HASH_SIZE];
    gchar *hash_text;

    memset (&winner, 0, sizeof (winner));
    lp_payment_get_ticket (payment, i, &winner.ticket);
    memcpy (winner.sig, tsp->sig, LP_SIGNATURE_SIZE);
    winner.recipient_rand = recipient_rand;
    winner.params_expiration_block = payment->ticket_params.expiration_block;
    lp_ticket_hash (&winner.ticket, hash);
    hash_text = lp_hex_encode (hash, sizeof (hash), TRUE);
    json_object_set_string_member (t, "ticket_hash", hash_text);
    set_u64_member (t, "sender_nonce", tsp->sender_nonce);
    if (lp_ledger_redeem_winning_ticket (ledger, &winner, &redemption,
            &error)) {
      gchar *deposit = format_token (&redemption.from_deposit, unit);
      gchar *reserve = format_token (&redemption.from_reserve, unit);

      json_object_set_boolean_member (t, "redeemed", TRUE);
      set_amount_member (t, "from_deposit", &redemption.from_deposit);
      set_amount_member (t, "from_reserve", &redemption.from_reserve);
      set_u64_member (t, "round", redemption.round);
      g_string_append_printf (human, "Redeemed %s (nonce %u) in round %"
          G_GUINT64_FORMAT ": %s from the deposit, %s from the reserve\n",
          hash_text, tsp->sender_nonce, redemption.round, deposit, reserve);
      g_free (deposit);
      g_free (reserve);
    } else {
      json_object_set_boolean_member (t, "redeemed", FALSE);
      json_object_set_string_member (t, "error", error->message);
      g_printerr ("lpctl: ticket %s (nonce %u) refused: %s\n", hash_text,
          tsp->sender_nonce, error->message);
      g_clear_error (&error);
      refused++;
    }
    g_free (hash_text);
    json_array_add_object_element (array, t);
  }
  set_u64_member (obj, "redeemed", payment->tickets->len - refused);
  set_u64_member (obj, "refused", refused);
  json_object_set_array_member (obj, "tickets", array);
  ret = emit (as_json, obj, human);
  if (refused > 0)
    ret = EXIT_FAILURE;

done:
  g_clear_object (&ledger);
  lp_payment_free (payment);
  g_free (rand_text);
  return ret;
}

static int
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

  ret = call_parse (&c, "Checks the ledger's storage (SQLite quick_check) "
      "and its invariants\n(supply, stake and fee accounting) and prints the "
      "report. Exit status 0 when\nevery check holds, 1 otherwise.", entries,
      &argc, &argv);
  if (ret < 0)
    ret = call_open (&c, FALSE);
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

/* Runs ACTION of a command from @actions. */
static int
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

static int
cmd_payment (int argc, char **argv)
{
  return run_command ("payment", "payment ACTION [ARGS…]",
      "Decodes and builds Livepeer-Payment values (probabilistic "
      "micropayment tickets).", payment_description, payment_actions,
      G_N_ELEMENTS (payment_actions), "decode or make", argc, argv);
}

static int
cmd_segment (int argc, char **argv)
{
  return run_command ("segment", "segment ACTION [ARGS…]",
      "Decodes Livepeer-Segment values (signed segment credentials).",
      segment_description, segment_actions, G_N_ELEMENTS (segment_actions),
      "decode", argc, argv);
}

static const Action round_actions[] = {
  {"init", round_init},
};

static int
cmd_round (int argc, char **argv)
{
  return run_command ("round", "round ACTION [ARGS…]",
      "Manages rounds.",
      "Actions:\n"
      "  init [--json]\n"
      "      Initialize the current round (see 'lpctl round init --help').\n",
      round_actions, G_N_ELEMENTS (round_actions), "init", argc, argv);
}

static const Action proposal_actions[] = {
  {"show", proposal_show},
};

static int
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

/* ------------------------------------------------------------------------ */
/* verify: renditions checked against their source with lpverify            */
/* ------------------------------------------------------------------------ */

typedef struct
{
  const gchar *file;
  gchar *pad;                   /* lpverify's sink pad: reference or sink_N */
  GstElement *queue;
  gboolean linked;
} VerifyInput;

#define VERIFY_INPUT_QUARK (verify_input_quark ())
static GQuark
verify_input_quark (void)
{
  return g_quark_from_static_string ("lpctl-verify-input");
}

/* decodebin's pad-added: links its first raw video pad to the queue */
static void
verify_pad_added (GstElement * decodebin, GstPad * pad, VerifyInput * in)
{
  GstCaps *caps;
  GstPad *sinkpad;
  gboolean video;

  if (in->linked)
    return;
  caps = gst_pad_get_current_caps (pad);
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  video = caps != NULL && gst_caps_get_size (caps) > 0 &&
      g_str_has_prefix (gst_structure_get_name (gst_caps_get_structure (caps,
              0)), "video/x-raw");
  if (caps != NULL)
    gst_caps_unref (caps);
  if (!video)
    return;
  sinkpad = gst_element_get_static_pad (in->queue, "sink");
  if (gst_pad_link (pad, sinkpad) == GST_PAD_LINK_OK)
    in->linked = TRUE;
  gst_object_unref (sinkpad);
}

/* decodebin's no-more-pads: an input without video is an error */
static void
verify_no_more_pads (GstElement * decodebin, VerifyInput * in)
{
  GError *error;

  if (in->linked)
    return;
  error = g_error_new_literal (GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE,
      "it has no video stream");
  gst_element_post_message (decodebin,
      gst_message_new_error (GST_OBJECT (decodebin), error, NULL));
  g_error_free (error);
}

/* The input a message comes from: the nearest of its source's ancestors
 * that is one of an input's elements */
static VerifyInput *
verify_input_of (GstObject * object)
{
  for (; object != NULL; object = GST_OBJECT_PARENT (object)) {
    VerifyInput *in = g_object_get_qdata (G_OBJECT (object),
        VERIFY_INPUT_QUARK);

    if (in != NULL)
      return in;
  }
  return NULL;
}

/* filesrc ! decodebin ! queue ! videoconvert ! lpverify.PAD; FALSE when an
 * element is missing */
static gboolean
verify_add_input (GstElement * pipeline, GstElement * verify, VerifyInput * in)
{
  GstElement *src, *dec, *conv;
  gboolean ok;

  src = gst_element_factory_make ("filesrc", NULL);
  dec = gst_element_factory_make ("decodebin", NULL);
  in->queue = gst_element_factory_make ("queue", NULL);
  conv = gst_element_factory_make ("videoconvert", NULL);
  if (src == NULL || dec == NULL || in->queue == NULL || conv == NULL) {
    g_printerr ("lpctl verify: GStreamer's filesrc, decodebin, queue or "
        "videoconvert element is missing\n");
    gst_clear_object (&src);
    gst_clear_object (&dec);
    gst_clear_object (&in->queue);
    gst_clear_object (&conv);
    return FALSE;
  }
  g_object_set (src, "location", in->file, NULL);
  /* the inputs do not share a thread: a full queue only holds its own
   * input back, so the limit is a memory bound, never a deadlock */
  g_object_set (in->queue, "max-size-buffers", 0, "max-size-bytes", 0,
      "max-size-time", (guint64) 5 * GST_SECOND, NULL);
  g_object_set_qdata (G_OBJECT (src), VERIFY_INPUT_QUARK, in);
  g_object_set_qdata (G_OBJECT (dec), VERIFY_INPUT_QUARK, in);
  g_object_set_qdata (G_OBJECT (in->queue), VERIFY_INPUT_QUARK, in);
  g_object_set_qdata (G_OBJECT (conv), VERIFY_INPUT_QUARK, in);
  gst_bin_add_many (GST_BIN (pipeline), src, dec, in->queue, conv, NULL);
  g_signal_connect (dec, "pad-added", G_CALLBACK (verify_pad_added), in);
  g_signal_connect (dec, "no-more-pads", G_CALLBACK (verify_no_more_pads),
      in);
  ok = gst_element_link (src, dec) && gst_element_link (in->queue, conv) &&
      gst_element_link_pads (conv, "src", verify, in->pad);
  if (!ok)
    g_printerr ("lpctl verify: could not link the pipeline of %s\n",
        in->file);
  return ok;
}

/* a fakesink on lpverify's source pad @name */
static gboolean
verify_add_sink (GstElement * pipeline, GstElement * verify,
    const gchar * name)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  if (sink == NULL) {
    g_printerr ("lpctl verify: GStreamer's fakesink element is missing\n");
    return FALSE;
  }
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (pipeline), sink);
  return gst_element_link_pads (verify, name, sink, "sink");
}

static gdouble
verify_double (const GstStructure * s, const gchar * field)
{
  gdouble d = 0.0;

  gst_structure_get_double (s, field, &d);
  return d;
}

static guint64
verify_uint64 (const GstStructure * s, const gchar * field)
{
  guint64 v = 0;

  gst_structure_get_uint64 (s, field, &v);
  return v;
}

static guint
verify_uint (const GstStructure * s, const gchar * field)
{
  guint v = 0;

  gst_structure_get_uint (s, field, &v);
  return v;
}

static int
cmd_verify (int argc, char **argv)
{
  static const gchar command[] = "verify";
  gchar **profiles = NULL;
  gdouble min_psnr = -1.0, min_ssim = -1.0;
  /* NAN: not given (-1 is a valid noise correlation) */
  gdouble max_block_error = NAN, min_sharpness = NAN, min_noise_corr = NAN;
  gint max_mismatch = -1, sample_interval = -1;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    {"profile", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &profiles,
          "The profile rendition N (0 for the first) must follow: a Livepeer "
          "preset (P144p30fps16x9, P240p30fps16x9, P360p30fps16x9, "
          "P720p30fps16x9, ...) or WIDTHxHEIGHT[@FPS]; repeatable",
        "N=PROFILE"},
    {"min-psnr", 0, 0, G_OPTION_ARG_DOUBLE, &min_psnr,
          "Lowest 5th-percentile PSNR-Y that passes, in dB (default 25; 0 "
          "disables the check)", "DB"},
    {"min-ssim", 0, 0, G_OPTION_ARG_DOUBLE, &min_ssim,
          "Lowest 5th-percentile SSIM-Y that passes, 0..1 (default 0.90; 0 "
          "disables the check)", "X"},
    {"max-block-error", 0, 0, G_OPTION_ARG_DOUBLE, &max_block_error,
          "Highest 95th-percentile difference of 16x16 block means of Y "
          "that passes (default 16; 255 disables the check)", "X"},
    {"min-sharpness", 0, 0, G_OPTION_ARG_DOUBLE, &min_sharpness,
          "Lowest ratio of the rendition's gradient energy to the "
          "reference's that passes (default 0.7; 0 disables the check)", "X"},
    {"min-noise-correlation", 0, 0, G_OPTION_ARG_DOUBLE, &min_noise_corr,
          "For noise-like content: lowest correlation with the reference "
          "that passes (default 0.2; -1 disables the check)", "X"},
    {"max-frame-mismatch", 0, 0, G_OPTION_ARG_INT, &max_mismatch,
          "Frames a rendition may have unmatched, duplicated, dropped or "
          "frozen, in all (default 2)", "N"},
    {"sample-interval", 0, 0, G_OPTION_ARG_INT, &sample_interval,
          "Compare every Nth matched frame for quality (default 10; 1 "
          "compares all)", "N"},
    {"json", 0, 0, G_OPTION_ARG_NONE, &as_json,
        "Print one JSON object instead of a table", NULL},
    {NULL}
  };
  VerifyInput *inputs = NULL;
  guint n_inputs = 0, n_renditions, i;
  GstElement *pipeline = NULL, *verify = NULL;
  GstStructure *result = NULL;
  GstBus *bus = NULL;
  GError *error = NULL;
  gboolean done = FALSE;
  int ret;

  ret = parse_action (command, "SOURCE RENDITION...",
      "Checks renditions against the source they were made from with the\n"
      "lpverify element: any files GStreamer can demux and decode. Each\n"
      "rendition's frames are matched to the source's by time and compared\n"
      "with the source scaled to the rendition's size (PSNR and SSIM of Y);\n"
      "a rendition fails on missing, extra, dropped or frozen frames, on\n"
      "scores below the thresholds, or on a size or frame rate other than\n"
      "its --profile. Prints a row per rendition: its verdict, the failed\n"
      "check, frames, size and the mean and 5th-percentile scores.\n"
      "\n"
      "Exit status: 0 when every rendition passes, 1 when one fails, 2 on a\n"
      "usage error or an input that cannot be read or decoded.",
      entries, &argc, &argv);
  if (ret >= 0)
    goto done;

  if (argc < 3) {
    ret = usage_error (command, argc < 2 ? "give the SOURCE and at least "
        "one RENDITION" : "give at least one RENDITION after the SOURCE");
    goto done;
  }
  n_renditions = argc - 2;
  if (min_psnr != -1.0 && (min_psnr < 0.0 || min_psnr > 100.0)) {
    ret = usage_error (command, "--min-psnr must be between 0 and 100 dB");
    goto done;
  }
  if (min_ssim != -1.0 && (min_ssim < 0.0 || min_ssim > 1.0)) {
    ret = usage_error (command, "--min-ssim must be between 0 and 1");
    goto done;
  }
  if (!isnan (max_block_error) && (max_block_error < 0.0
          || max_block_error > 255.0)) {
    ret = usage_error (command, "--max-block-error must be between 0 and "
        "255");
    goto done;
  }
  if (!isnan (min_sharpness) && min_sharpness < 0.0) {
    ret = usage_error (command, "--min-sharpness must not be negative");
    goto done;
  }
  if (!isnan (min_noise_corr) && (min_noise_corr < -1.0
          || min_noise_corr > 1.0)) {
    ret = usage_error (command, "--min-noise-correlation must be between -1 "
        "and 1");
    goto done;
  }
  if (max_mismatch < -1) {
    ret = usage_error (command, "--max-frame-mismatch must be 0 or more");
    goto done;
  }
  if (sample_interval == 0 || sample_interval < -1) {
    ret = usage_error (command, "--sample-interval must be 1 or more");
    goto done;
  }

  n_inputs = n_renditions + 1;
  inputs = g_new0 (VerifyInput, n_inputs);
  for (i = 0; i < n_inputs; i++) {
    inputs[i].file = argv[i + 1];
    inputs[i].pad = i == 0 ? g_strdup ("reference") :
        g_strdup_printf ("sink_%u", i - 1);
  }

  if (!gst_init_check (NULL, NULL, &error)) {
    g_printerr ("lpctl verify: could not initialize GStreamer: %s\n",
        error->message);
    g_error_free (error);
    ret = EXIT_USAGE;
    goto done;
  }
  verify = gst_element_factory_make ("lpverify", "v");
  if (verify == NULL) {
    g_printerr ("lpctl verify: the lpverify element is not installed "
        "(GST_PLUGIN_PATH?)\n");
    ret = EXIT_USAGE;
    goto done;
  }
  if (min_psnr != -1.0)
    g_object_set (verify, "min-psnr", min_psnr, NULL);
  if (min_ssim != -1.0)
    g_object_set (verify, "min-ssim", min_ssim, NULL);
  if (!isnan (max_block_error))
    g_object_set (verify, "max-block-error", max_block_error, NULL);
  if (!isnan (min_sharpness))
    g_object_set (verify, "min-sharpness", min_sharpness, NULL);
  if (!isnan (min_noise_corr))
    g_object_set (verify, "min-noise-correlation", min_noise_corr, NULL);
  if (max_mismatch >= 0)
    g_object_set (verify, "max-frame-mismatch", (guint) max_mismatch, NULL);
  if (sample_interval > 0)
    g_object_set (verify, "sample-interval", (guint) sample_interval, NULL);

  pipeline = gst_pipeline_new ("lpctl-verify");
  gst_bin_add (GST_BIN (pipeline), verify);
  if (!verify_add_sink (pipeline, verify, "src")) {
    ret = EXIT_USAGE;
    goto done;
  }
  for (i = 1; i < n_inputs; i++) {
    GstPad *pad = gst_element_request_pad_simple (verify, "sink_%u");
    gchar *src_name;

    g_free (inputs[i].pad);
    inputs[i].pad = gst_pad_get_name (pad);
    gst_object_unref (pad);
    src_name = g_strdup_printf ("src_%s", inputs[i].pad + strlen ("sink_"));
    if (!verify_add_sink (pipeline, verify, src_name)) {
      g_free (src_name);
      ret = EXIT_USAGE;
      goto done;
    }
    g_free (src_name);
  }
  for (i = 0; profiles != NULL && profiles[i] != NULL; i++) {
    const gchar *eq = strchr (profiles[i], '=');
    gchar *end = NULL;
    guint64 n = 0;
    GstPad *pad;

    if (eq != NULL && eq != profiles[i] && g_ascii_isdigit (profiles[i][0]))
      n = g_ascii_strtoull (profiles[i], &end, 10);
    if (eq == NULL || end != eq || eq[1] == '\0') {
      ret = usage_error (command, "--profile takes N=PROFILE, N the "
          "rendition's number (0 for the first)");
      goto done;
    }
    if (n >= n_renditions) {
      gchar *message = g_strdup_printf ("--profile %s: there is no "
          "rendition %" G_GUINT64_FORMAT " (the first is 0)", profiles[i], n);

      ret = usage_error (command, message);
      g_free (message);
      goto done;
    }
    pad = gst_element_get_static_pad (verify, inputs[n + 1].pad);
    g_object_set (pad, "profile", eq + 1, NULL);
    gst_object_unref (pad);
  }
  for (i = 0; i < n_inputs; i++) {
    if (!verify_add_input (pipeline, verify, &inputs[i])) {
      ret = EXIT_USAGE;
      goto done;
    }
  }

  bus = gst_element_get_bus (pipeline);
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    /* the reason is an error on the bus, if any */
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 0, GST_MESSAGE_ERROR);

    if (msg != NULL) {
      VerifyInput *in = verify_input_of (GST_MESSAGE_SRC (msg));

      gst_message_parse_error (msg, &error, NULL);
      g_printerr ("lpctl verify: %s%s%s\n", in != NULL ? in->file : "",
          in != NULL ? ": " : "", error->message);
      g_clear_error (&error);
      gst_message_unref (msg);
    } else {
      g_printerr ("lpctl verify: the pipeline did not start\n");
    }
    ret = EXIT_USAGE;
    done = TRUE;
  }
  while (!done) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
        GST_MESSAGE_ERROR | GST_MESSAGE_WARNING | GST_MESSAGE_EOS |
        GST_MESSAGE_ELEMENT);

    switch (GST_MESSAGE_TYPE (msg)) {
      case GST_MESSAGE_ELEMENT:{
        const GstStructure *s = gst_message_get_structure (msg);
        gboolean final = FALSE;

        if (GST_MESSAGE_SRC (msg) == GST_OBJECT (verify) &&
            gst_structure_has_name (s, "lpverify-result") &&
            gst_structure_get_boolean (s, "final", &final) && final) {
          if (result != NULL)
            gst_structure_free (result);
          result = gst_structure_copy (s);
        }
        break;
      }
      case GST_MESSAGE_WARNING:{
        gchar *debug = NULL;

        /* lpverify's failures: "Rendition sink_N failed verification: ..." */
        gst_message_parse_warning (msg, &error, &debug);
        if (GST_MESSAGE_SRC (msg) == GST_OBJECT (verify)) {
          const gchar *text = error->message, *file = NULL;

          for (i = 1; i < n_inputs; i++) {
            gchar *prefix = g_strdup_printf ("Rendition %s failed ",
                inputs[i].pad);

            if (g_str_has_prefix (text, prefix)) {
              file = inputs[i].file;
              text += strlen ("Rendition ") + strlen (inputs[i].pad) + 1;
            }
            g_free (prefix);
            if (file != NULL)
              break;
          }
          if (file != NULL)
            g_printerr ("lpctl verify: %s: %s\n", file, text);
          else
            g_printerr ("lpctl verify: %s\n", text);
        }
        g_clear_error (&error);
        g_free (debug);
        break;
      }
      case GST_MESSAGE_ERROR:{
        VerifyInput *in = verify_input_of (GST_MESSAGE_SRC (msg));
        gchar *debug = NULL;

        gst_message_parse_error (msg, &error, &debug);
        if (in != NULL)
          g_printerr ("lpctl verify: %s: %s\n", in->file, error->message);
        else
          g_printerr ("lpctl verify: %s\n", error->message);
        if (debug != NULL)
          g_debug ("%s", debug);
        g_clear_error (&error);
        g_free (debug);
        ret = EXIT_USAGE;
        done = TRUE;
        break;
      }
      case GST_MESSAGE_EOS:
        done = TRUE;
        break;
      default:
        break;
    }
    gst_message_unref (msg);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (ret >= 0)
    goto done;

  if (result == NULL) {
    g_printerr ("lpctl verify: lpverify posted no result\n");
    ret = EXIT_USAGE;
    goto done;
  }

  {
    const GValue *array = gst_structure_get_value (result, "renditions");
    JsonObject *obj = json_object_new ();
    JsonArray *rows = json_array_new ();
    GString *human = g_string_new (NULL);
    gboolean pass = TRUE;
    guint n = array != NULL ? gst_value_array_get_size (array) : 0;

    g_string_append_printf (human, "%-24s %-7s %-10s %7s %11s %15s %15s\n",
        "RENDITION", "VERDICT", "REASON", "FRAMES", "SIZE",
        "PSNR-Y mean/p5", "SSIM-Y mean/p5");
    for (i = 0; i < n; i++) {
      const GstStructure *r =
          gst_value_get_structure (gst_value_array_get_value (array, i));
      const gchar *pad = gst_structure_get_string (r, "pad");
      const gchar *verdict = gst_structure_get_string (r, "verdict");
      const gchar *reason = gst_structure_get_string (r, "reason");
      const gchar *file = pad;
      JsonObject *row = json_object_new ();
      gchar *size, *psnr, *ssim;
      guint j;

      for (j = 1; j < n_inputs && pad != NULL; j++) {
        if (g_str_equal (inputs[j].pad, pad))
          file = inputs[j].file;
      }
      if (file == NULL)
        file = "?";
      if (verdict == NULL)
        verdict = "fail";
      if (reason == NULL)
        reason = "";
      pass = pass && g_str_equal (verdict, "pass");

      json_object_set_string_member (row, "file", file);
      json_object_set_string_member (row, "verdict", verdict);
      json_object_set_string_member (row, "reason", reason);
      json_object_set_int_member (row, "frames", verify_uint64 (r, "frames"));
      json_object_set_int_member (row, "width", verify_uint (r, "width"));
      json_object_set_int_member (row, "height", verify_uint (r, "height"));
      json_object_set_double_member (row, "psnr_y",
          verify_double (r, "psnr-y-mean"));
      json_object_set_double_member (row, "ssim_y",
          verify_double (r, "ssim-y-mean"));
      json_object_set_double_member (row, "psnr_y_p5",
          verify_double (r, "psnr-y-p5"));
      json_object_set_double_member (row, "ssim_y_p5",
          verify_double (r, "ssim-y-p5"));
      json_object_set_int_member (row, "pixels", verify_uint64 (r, "pixels"));
      json_object_set_int_member (row, "checked",
          verify_uint64 (r, "checked"));
      json_object_set_int_member (row, "mismatched",
          verify_uint64 (r, "mismatched"));
      json_array_add_object_element (rows, row);

      size = g_strdup_printf ("%ux%u", verify_uint (r, "width"),
          verify_uint (r, "height"));
      psnr = g_strdup_printf ("%.2f/%.2f", verify_double (r, "psnr-y-mean"),
          verify_double (r, "psnr-y-p5"));
      ssim = g_strdup_printf ("%.4f/%.4f", verify_double (r, "ssim-y-mean"),
          verify_double (r, "ssim-y-p5"));
      g_string_append_printf (human, "%-24s %-7s %-10s %7" G_GUINT64_FORMAT
          " %11s %15s %15s\n", file, verdict,
          reason[0] != '\0' ? reason : "-", verify_uint64 (r, "frames"), size,
          psnr, ssim);
      g_free (size);
      g_free (psnr);
      g_free (ssim);
    }
    json_object_set_array_member (obj, "renditions", rows);
    if (n != n_renditions)
      pass = FALSE;
    emit (as_json, obj, human);
    ret = pass ? EXIT_SUCCESS : EXIT_FAILURE;
  }

done:
  if (result != NULL)
    gst_structure_free (result);
  if (bus != NULL)
    gst_object_unref (bus);
  if (pipeline != NULL)
    gst_object_unref (pipeline);
  else if (verify != NULL)
    gst_object_unref (verify);
  for (i = 0; i < n_inputs; i++)
    g_free (inputs[i].pad);
  g_free (inputs);
  g_strfreev (profiles);
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

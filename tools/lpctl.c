/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * lpctl: the command line of gst-livepeer for keys and, later, ledgers.
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

#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpkeystore.h>
#include <gst/livepeer/lpwire.h>
#include <json-glib/json-glib.h>

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
        "Ethereum node (http://host:8545); account commands do not need one",
      "URI"},
  {"version", 0, 0, G_OPTION_ARG_NONE, &opt_version,
      "Print the version and exit", NULL},
  {NULL}
};

static const gchar global_description[] =
    "Commands:\n"
    "  account   create a key, print its address, import or export keystores\n"
    "            (see 'lpctl account --help')\n"
    "  payment   decode or build Livepeer-Payment values (tickets)\n"
    "            (see 'lpctl payment --help')\n"
    "  segment   decode Livepeer-Segment values (signed segment data)\n"
    "            (see 'lpctl segment --help')\n"
    "\n"
    "Global options go before the command. Results are printed on standard\n"
    "output, errors on standard error. Exit status: 0 on success, 1 when the\n"
    "command fails, 2 on a usage error.\n";

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

static const Action account_actions[] = {
  {"new", account_new},
  {"address", account_address},
  {"import", account_import},
  {"export", account_export},
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
  g_option_context_set_summary (ctx, "Manages account keys: plain key files "
      "and Web3 Secret Storage keystores.");
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
        "import or export)");

  for (i = 0; i < G_N_ELEMENTS (account_actions); i++) {
    if (strcmp (argv[1], account_actions[i].name) == 0)
      return account_actions[i].func (argc - 1, argv + 1);
  }

  {
    gchar *message = g_strdup_printf ("unknown action '%s' (expected new, "
        "address, import or export)", argv[1]);
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
  gchar *input = NULL, *json;
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

  input = read_wire_input (argv[1], &error);
  if (input != NULL)
    payment = input[0] == '{' ? lp_wire_payment_from_json (input, -1, &error)
        : lp_wire_payment_from_header (input, &error);
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
  g_free (input);
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

/* ------------------------------------------------------------------------ */
/* main                                                                     */
/* ------------------------------------------------------------------------ */

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
  } else if (strcmp (argv[1], "account") == 0) {
    ret = cmd_account (argc - 1, argv + 1);
  } else if (strcmp (argv[1], "payment") == 0) {
    ret = cmd_payment (argc - 1, argv + 1);
  } else if (strcmp (argv[1], "segment") == 0) {
    ret = cmd_segment (argc - 1, argv + 1);
  } else {
    g_printerr ("lpctl: unknown command '%s'\nTry 'lpctl --help' for "
        "usage.\n", argv[1]);
    ret = EXIT_USAGE;
  }

  g_free (opt_ledger);
  return ret;
}

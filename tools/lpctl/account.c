/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * lpctl account: new, address, import and export (key files and Web3
 * Secret Storage keystores), and the 'account' command that dispatches
 * them. 'account balance' reads the ledger and lives in ledger.c.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpctl.h"

/* Prints the address of @key; returns EXIT_SUCCESS. */
static int
print_address (const LpPrivateKey * key)
{
  gchar text[LP_ADDRESS_TEXT_SIZE];

  lp_address_format (lp_private_key_get_address (key), text);
  g_print ("%s\n", text);
  return EXIT_SUCCESS;
}

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
  ret = print_address (key);
  lp_private_key_unref (key);

done:
  g_free (out);
  return ret;
}

static int
account_address (int argc, char **argv)
{
  static const gchar command[] = "account address";
  KeyOptions pw = { NULL, };
  gchar *password = NULL;
  GOptionEntry entries[] = {
    PASSWORD_ENTRIES (pw, "keystore password"),
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
  ret = get_password (command, &pw, FALSE, &password);
  if (ret >= 0)
    goto done;

  key = lp_key_load (argv[1], password, &error);
  if (key == NULL) {
    ret = fail_key (error);
    goto done;
  }
  ret = print_address (key);
  lp_private_key_unref (key);

done:
  lp_password_free (password);
  key_options_clear (&pw);
  return ret;
}

static int
account_import (int argc, char **argv)
{
  static const gchar command[] = "account import";
  gchar *out = NULL;
  KeyOptions pw = { NULL, };
  gchar *password = NULL;
  GOptionEntry entries[] = {
    {"keystore", 'k', 0, G_OPTION_ARG_FILENAME, &pw.file,
        "The Web3 Secret Storage (v3) keystore to import", "KEYSTORE"},
    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
        "Where to create the plain key file (mode 0600)", "FILE"},
    PASSWORD_ENTRIES (pw, "keystore password"),
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
  if (pw.file == NULL || out == NULL) {
    ret = usage_error (command, pw.file == NULL ?
        "missing --keystore KEYSTORE" : "missing --out FILE");
    goto done;
  }
  ret = get_password (command, &pw, TRUE, &password);
  if (ret >= 0)
    goto done;

  key = lp_keystore_read (pw.file, password, &error);
  if (key == NULL || !lp_key_file_write (out, key, &error)) {
    ret = fail (error);
    goto done;
  }
  ret = print_address (key);

done:
  g_clear_pointer (&key, lp_private_key_unref);
  lp_password_free (password);
  g_free (out);
  key_options_clear (&pw);
  return ret;
}

static int
account_export (int argc, char **argv)
{
  static const gchar command[] = "account export";
  gchar *out = NULL, *kdf = NULL;
  KeyOptions pw = { NULL, };
  gchar *password = NULL;
  gboolean light = FALSE;
  GOptionEntry entries[] = {
    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
        "Where to create the keystore (mode 0600)", "KEYSTORE"},
    PASSWORD_ENTRIES (pw, "new password"),
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
  ret = get_password (command, &pw, TRUE, &password);
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
  ret = print_address (key);

done:
  g_clear_pointer (&key, lp_private_key_unref);
  lp_password_free (password);
  g_free (out);
  g_free (kdf);
  key_options_clear (&pw);
  return ret;
}

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

int
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

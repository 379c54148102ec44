/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * The helpers lpctl's commands share: failures (fail, fail_key,
 * get_password), JSON and text output (print_json, emit, the
 * set_*_member and append_*_row helpers, amounts and percentages), the
 * options of the ledger commands (amounts, addresses, integers,
 * percentages, the --from key) and the Call every ledger operation is
 * built on. Declared in lpctl.h.
 *
 * The helpers that parse or check return -1 on success, else the exit
 * status to return (after printing the error).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpctl.h"

/* ------------------------------------------------------------------------ */
/* failures and keys                                                        */
/* ------------------------------------------------------------------------ */

int
fail (GError * error)
{
  g_printerr ("lpctl: %s\n", error->message);
  g_error_free (error);
  return EXIT_FAILURE;
}

/* Gets the password from @opts' --password-file or --password-env. With
 * @required, one of them must be given. Returns -1 on success (*password
 * may be NULL when not required), else the exit status. */
int
get_password (const gchar * command, const KeyOptions * opts,
    gboolean required, gchar ** password)
{
  const gchar *file = opts->password_file, *variable = opts->password_env;
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

/* ------------------------------------------------------------------------ */
/* JSON and text output                                                     */
/* ------------------------------------------------------------------------ */

void
set_hex_member (JsonObject * obj, const gchar * name, const guint8 * data,
    gsize length)
{
  gchar *hex = lp_hex_encode (data, length, TRUE);

  json_object_set_string_member (obj, name, hex);
  g_free (hex);
}

void
set_address_member (JsonObject * obj, const gchar * name,
    const LpAddress * address)
{
  gchar text[LP_ADDRESS_TEXT_SIZE];

  lp_address_format (address, text);
  json_object_set_string_member (obj, name, text);
}

/* Prints @root pretty, then frees it. */
void
print_json (JsonNode * root)
{
  gchar *text = json_to_string (root, TRUE);

  g_print ("%s\n", text);
  g_free (text);
  json_node_unref (root);
}

#define WEI_DIGITS 18

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
gchar *
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
gchar *
format_percent_u64 (guint64 value, guint digits)
{
  gchar *number = g_strdup_printf ("%" G_GUINT64_FORMAT, value);
  gchar *shifted = decimal_shift (number, digits - 2);
  gchar *text = g_strdup_printf ("%s%%", shifted);

  g_free (number);
  g_free (shifted);
  return text;
}

gchar *
format_percent_u256 (const LpUint256 * value, guint digits)
{
  gchar *number = lp_uint256_to_string (value);
  gchar *shifted = decimal_shift (number, digits - 2);
  gchar *text = g_strdup_printf ("%s%%", shifted);

  g_free (number);
  g_free (shifted);
  return text;
}

const gchar *
fee_asset_unit (LpFeeAsset asset)
{
  return asset == LP_FEE_ASSET_LPT ? "LPT" : "ETH";
}

const gchar *
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

void
set_amount_member (JsonObject * obj, const gchar * name,
    const LpUint256 * value)
{
  gchar *text = lp_uint256_to_string (value);

  json_object_set_string_member (obj, name, text);
  g_free (text);
}

void
set_u64_member (JsonObject * obj, const gchar * name, guint64 value)
{
  json_object_set_int_member (obj, name, (gint64) value);
}

void
set_percent_member (JsonObject * obj, const gchar * name, guint64 ppm)
{
  gchar *text = format_percent_u64 (ppm, 6);

  json_object_set_string_member (obj, name, text);
  g_free (text);
}

/* Appends "  LABEL  VALUE\n" with the label padded. */
void
append_row (GString * out, const gchar * label, const gchar * format, ...)
{
  va_list args;

  g_string_append_printf (out, "%-22s ", label);
  va_start (args, format);
  g_string_append_vprintf (out, format, args);
  va_end (args);
  g_string_append_c (out, '\n');
}

void
append_token_row (GString * out, const gchar * label, const LpUint256 * wei,
    const gchar * unit)
{
  gchar *text = format_token (wei, unit);

  append_row (out, label, "%s", text);
  g_free (text);
}

/* Prints @obj (with --json) or @human, then frees both. */
int
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

/* ------------------------------------------------------------------------ */
/* ledger options                                                           */
/* ------------------------------------------------------------------------ */

/* Opens the ledger of --ledger. Returns -1 on success, else the exit
 * status. */
int
open_ledger (LpLedger ** ledger)
{
  GError *error = NULL;

  *ledger = lp_ledger_open (ledger_uri (), &error);
  if (*ledger == NULL)
    return fail (error);
  return -1;
}

void
key_options_clear (KeyOptions * opts)
{
  g_free (opts->file);
  g_free (opts->password_file);
  g_free (opts->password_env);
}

/* Prints a key loading error, with a hint when a password is needed. */
int
fail_key (GError * error)
{
  g_printerr ("lpctl: %s%s\n", error->message,
      g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_PASSWORD_REQUIRED) ?
      " (give --password-file FILE or --password-env VARIABLE)" : "");
  g_error_free (error);
  return EXIT_FAILURE;
}

/* Loads the key file of @opts (option --@option) into @key. Returns -1 on
 * success, else the exit status. */
static int
load_key (const gchar * command, const gchar * option, KeyOptions * opts,
    LpPrivateKey ** key)
{
  gchar *password = NULL;
  GError *error = NULL;
  int ret;

  if (opts->file == NULL) {
    gchar *message = g_strdup_printf ("missing --%s KEYFILE", option);

    ret = usage_error (command, message);
    g_free (message);
    return ret;
  }
  ret = get_password (command, opts, FALSE, &password);
  if (ret >= 0)
    return ret;
  *key = lp_key_load (opts->file, password, &error);
  lp_password_free (password);
  if (*key == NULL)
    return fail_key (error);
  return -1;
}

/* Loads the address of the key file of @opts (option --@option). Returns
 * -1 on success, else the exit status. */
int
load_key_address (const gchar * command, const gchar * option,
    KeyOptions * opts, LpAddress * address)
{
  LpPrivateKey *key = NULL;
  int ret = load_key (command, option, opts, &key);

  if (ret >= 0)
    return ret;
  *address = *lp_private_key_get_address (key);
  lp_private_key_unref (key);
  return -1;
}

/* Gives @ledger the key of --@option (a chain signs with it; the embedded
 * ledger ignores it) and sets @address to its account. Returns -1 on
 * success, else the exit status. */
int
add_signer_option (LpLedger * ledger, const gchar * command,
    const gchar * option, KeyOptions * opts, LpAddress * address)
{
  LpPrivateKey *key = NULL;
  GError *error = NULL;
  int ret = load_key (command, option, opts, &key);

  if (ret >= 0)
    return ret;
  if (address != NULL)
    *address = *lp_private_key_get_address (key);
  if (!lp_ledger_add_signer (ledger, key, &error))
    ret = fail (error);
  lp_private_key_unref (key);
  return ret;
}

/* Usage error "--OPTION: MESSAGE" (or "missing --OPTION WHAT" when @text
 * is NULL and @what is given). */
int
option_error (const gchar * command, const gchar * option,
    const gchar * message)
{
  gchar *text = g_strdup_printf ("--%s: %s", option, message);
  int ret = usage_error (command, text);

  g_free (text);
  return ret;
}

int
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
int
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

int
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

int
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
int
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

/* Fetches the status (for the fee asset and the round). Returns -1 on
 * success, else the exit status. */
int
get_status (LpLedger * ledger, LpLedgerStatus * status)
{
  GError *error = NULL;

  memset (status, 0, sizeof (*status));
  if (!lp_ledger_get_status (ledger, status, &error))
    return fail (error);
  return -1;
}

int
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
/* ledger operations: the Call                                              */
/* ------------------------------------------------------------------------ */

/* Parses the options of an operation that takes no argument. Returns -1
 * on success, else the exit status. */
int
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

/* Loads --from (required with @with_key, else when given) and opens the
 * ledger with its key as a signer (a chain signs with it; the embedded
 * ledger ignores it). */
int
call_open (Call * c, gboolean with_key)
{
  LpPrivateKey *key = NULL;
  GError *error = NULL;
  int ret;

  if (with_key || c->key.file != NULL) {
    ret = load_key (c->command, "from", &c->key, &key);
    if (ret >= 0)
      return ret;
    c->from = *lp_private_key_get_address (key);
  }
  ret = open_ledger (&c->ledger);
  if (ret < 0 && key != NULL && !lp_ledger_add_signer (c->ledger, key,
          &error))
    ret = fail (error);
  if (key != NULL)
    lp_private_key_unref (key);
  return ret;
}

/* call_parse, then call_open: for an operation with no options of its
 * own to check before the ledger opens. */
int
call_start (Call * c, gboolean with_key, const gchar * summary,
    GOptionEntry * entries, int *argc, char ***argv)
{
  int ret = call_parse (c, summary, entries, argc, argv);

  if (ret < 0)
    ret = call_open (c, with_key);
  return ret;
}

void
call_clear (Call * c)
{
  g_clear_object (&c->ledger);
  key_options_clear (&c->key);
}

/* A result object with "from" set. */
JsonObject *
call_result (Call * c)
{
  JsonObject *obj = json_object_new ();

  set_address_member (obj, "from", &c->from);
  return obj;
}

const gchar *
address_text (const LpAddress * address, gchar text[LP_ADDRESS_TEXT_SIZE])
{
  lp_address_format (address, text);
  return text;
}

/* call_start for an operation whose only options are --from (with the
 * password options) and --json; @key_blurb says whose key --from names. */
int
call_start_with_key (Call * c, const gchar * key_blurb, const gchar * summary,
    int *argc, char ***argv)
{
  GOptionEntry entries[] = {
    FROM_ENTRIES (*c, key_blurb),
    JSON_ENTRY (c->as_json),
    {NULL}
  };

  return call_start (c, TRUE, summary, entries, argc, argv);
}

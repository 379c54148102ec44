/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * lpctl payment (decode, make) and segment (decode): the Livepeer-Payment
 * and Livepeer-Segment header values, read from an argument or standard
 * input. read_payment is shared with 'redeem' (ledger-tickets.c).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpctl.h"

#include <gst/livepeer/lpproto-messages.h>
#include <gst/livepeer/lpwire-proto.h>

/* ------------------------------------------------------------------------ */
/* wire input                                                               */
/* ------------------------------------------------------------------------ */

#define MAX_INPUT_SIZE (1024 * 1024)

/* Reads a header value or readable JSON from the argument, or from stdin
 * for "-", without surrounding whitespace. */
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

/* The bytes of a header value: base64 of protobuf. The retired JSON
 * dialect's values (base64 of a JSON object) get an error that says what
 * to do with them rather than a protobuf parse error. */
static GBytes *
header_bytes (const gchar * input, const gchar * header, GError ** error)
{
  GBytes *bytes = lp_wire_header_decode_bytes (input, header, error);

  if (bytes != NULL && g_bytes_get_size (bytes) > 0
      && ((const guint8 *) g_bytes_get_data (bytes, NULL))[0] == '{') {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "%s: this is base64 of JSON, a value of the retired JSON dialect; "
        "give the header value go-livepeer sends (base64 of protobuf), or "
        "the JSON itself ('base64 -d')", header);
    g_clear_pointer (&bytes, g_bytes_unref);
  }
  return bytes;
}

/* go-livepeer's dialect: base64 of protobuf (lpwire-proto.h) */
static LpPayment *
payment_from_protobuf (const gchar * input, GError ** error)
{
  GBytes *bytes = header_bytes (input, "Livepeer-Payment", error);
  LpPayment *payment = NULL;

  if (bytes != NULL) {
    payment = lp_wire_payment_from_proto_bytes (bytes, error);
    g_bytes_unref (bytes);
  }
  return payment;
}

/* A Livepeer-Payment value (base64 of protobuf, go-livepeer's wire) or
 * the readable JSON that 'payment make --format json' prints, from the
 * argument or standard input ("-"). */
LpPayment *
read_payment (const gchar * argument, GError ** error)
{
  gchar *input = read_wire_input (argument, error);
  LpPayment *payment = NULL;

  if (input == NULL)
    return NULL;
  if (input[0] == '{')
    payment = lp_wire_payment_from_json (input, -1, error);
  else
    payment = payment_from_protobuf (input, error);
  g_free (input);
  return payment;
}

/* A Livepeer-Segment value (base64 of protobuf), or its readable JSON */
static LpSegData *
seg_data_from_input (const gchar * input, GError ** error)
{
  GBytes *bytes;
  LpSegData *seg = NULL;

  if (input[0] == '{')
    return lp_wire_seg_data_from_json (input, -1, error);
  bytes = header_bytes (input, "Livepeer-Segment", error);
  if (bytes != NULL) {
    seg = lp_wire_seg_data_from_proto_bytes (bytes, NULL, error);
    g_bytes_unref (bytes);
  }
  return seg;
}

/* parse_action() for an action that decodes the value of the header
 * @header (@what, in its messages) given as its only argument, base64 or
 * JSON, or '-' for standard input; @prints ends the summary. */
static int
parse_decode_action (const gchar * command, const gchar * header,
    const gchar * what, const gchar * prints, GOptionEntry * entries,
    int *argc, char ***argv)
{
  gchar *summary = g_strdup_printf ("Decodes a %s header value (base64 of "
      "protobuf, as\ngo-livepeer sends it) or its readable JSON, from the "
      "argument or\nstandard input ('-'), and prints %s", header, prints);
  gchar *message;
  int ret = parse_action (command, "[BASE64 | JSON | -]", summary, entries,
      argc, argv);

  g_free (summary);
  if (ret >= 0 || *argc == 2)
    return ret;
  message = *argc < 2 ? g_strdup_printf ("missing the %s (give '-' to read "
      "standard input)", what) : g_strdup_printf ("give exactly one %s", what);
  ret = usage_error (command, message);
  g_free (message);
  return ret;
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

  ret = parse_decode_action (command, "Livepeer-Payment", "payment",
      "it as JSON with,\nper ticket, its hash, the address its signature "
      "recovers to and\nwhether the signature is the sender's.", entries,
      &argc, &argv);
  if (ret >= 0)
    goto done;
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

/* An OrchestratorInfo protobuf message, as the gRPC call GetOrchestrator
 * answers it */
static LpOrchestratorInfo *
orchestrator_info_from_protobuf (const gchar * data, gsize length,
    GError ** error)
{
  GBytes *bytes = g_bytes_new_static (data, length);
  LpOrchestratorInfo *info =
      lp_wire_orchestrator_info_from_proto_bytes (bytes, NULL, error);

  g_bytes_unref (bytes);
  if (info == NULL)
    g_prefix_error (error, "not ticket parameters JSON, nor an "
        "OrchestratorInfo (JSON, or protobuf as GetOrchestrator answers): ");
  return info;
}

/* A JSON object opens with '{' after any white space; a protobuf
 * OrchestratorInfo opens with field 1's key (0x0a, a newline) and then the
 * transcoder URL's length, under 123 ('{') for any URL in practice. */
static gboolean
is_json_object (const gchar * data, gsize length)
{
  gsize i = 0;

  while (i < length && g_ascii_isspace (data[i]))
    i++;
  return i < length && data[i] == '{';
}

/* Reads ticket params JSON, or an OrchestratorInfo holding them (which may
 * also give the price): its readable JSON or the protobuf message that
 * go-livepeer's GetOrchestrator answers. */
static gboolean
load_ticket_params (const gchar * path, LpTicketParams * params,
    LpPriceInfo * price, gboolean * has_price, GError ** error)
{
  gchar *data = NULL;
  gsize length;
  JsonNode *root = NULL;
  gboolean json, ok;

  *has_price = FALSE;
  if (!g_file_get_contents (path, &data, &length, error))
    return FALSE;
  json = is_json_object (data, length);
  if (json)
    root = json_from_string (data, NULL);
  if (!json || (root != NULL && JSON_NODE_HOLDS_OBJECT (root)
          && json_object_has_member (json_node_get_object (root),
              "transcoder"))) {
    LpOrchestratorInfo *info = json ?
        lp_wire_orchestrator_info_from_json (data, length, error) :
        orchestrator_info_from_protobuf (data, length, error);

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
  gchar *price_text = NULL, *format = NULL;
  KeyOptions pw = { NULL, };
  gchar *password = NULL, *out;
  gboolean as_json = FALSE, has_price;
  GOptionEntry entries[] = {
    {"key-file", 'k', 0, G_OPTION_ARG_FILENAME, &key_file,
        "The sender's key file (plain or keystore)", "FILE"},
    {"params", 'p', 0, G_OPTION_ARG_FILENAME, &params_file,
        "Ticket parameters: OrchestratorInfo.ticket_params JSON, or a "
          "whole OrchestratorInfo (JSON, or the protobuf message "
          "GetOrchestrator answers)", "FILE"},
    {"nonces", 'n', 0, G_OPTION_ARG_STRING, &nonces_text,
        "Sender nonces of the tickets: 1-5, 7 or 1,3,5", "LIST"},
    {"expected-price", 'e', 0, G_OPTION_ARG_STRING, &price_text,
        "The price the sender expects, wei per pixels (default: the "
          "OrchestratorInfo's price_info, else 0/1)", "PRICE/PIXELS"},
    {"json", 0, 0, G_OPTION_ARG_NONE, &as_json,
        "Print the payment's readable JSON instead of the header value "
          "(--format json)", NULL},
    {"format", 'f', 0, G_OPTION_ARG_STRING, &format,
        "protobuf (the Livepeer-Payment header value: base64 of protobuf, "
          "the default) or json (readable, not a wire value)", "FORMAT"},
    PASSWORD_ENTRIES (pw, "keystore password"),
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
      "Livepeer-Payment header value (base64 of protobuf, as go-livepeer\n"
      "sends it), or its readable JSON with --format json.", entries, &argc,
      &argv);
  if (ret >= 0)
    goto done;
  if (argc != 1) {
    ret = usage_error (command, "unexpected argument");
    goto done;
  }
  if (format != NULL && !g_strv_contains ((const gchar *[]) { "protobuf",
              "json", NULL }, format)) {
    ret = usage_error (command, "--format: give protobuf or json (the JSON "
        "wire format is retired: the header value is base64 of protobuf)");
    goto done;
  }
  if (as_json && format != NULL && strcmp (format, "json") != 0) {
    ret = usage_error (command, "--json and --format disagree");
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
  ret = get_password (command, &pw, FALSE, &password);
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

  if (as_json || g_strcmp0 (format, "json") == 0)
    out = lp_wire_payment_to_json (payment);
  else
    out = lp_wire_payment_to_proto_header (payment);
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
  g_free (format);
  key_options_clear (&pw);
  return ret;
}

static const Action payment_actions[] = {
  {"decode", payment_decode},
  {"make", payment_make},
};

static const gchar payment_description[] =
    "Actions:\n"
    "  decode [BASE64 | JSON | -] [--recipient-rand N]\n"
    "      Decode a Livepeer-Payment value (base64 of protobuf, as\n"
    "      go-livepeer sends it; or the readable JSON that make --format\n"
    "      json prints; '-' reads standard input) and print it as\n"
    "      readable JSON: the sender, ticket parameters,\n"
    "      expiration parameters, expected price and, per ticket, its\n"
    "      nonce, ticket_hash, the signer its signature recovers to and\n"
    "      signature_valid (the signer is the sender); with\n"
    "      --recipient-rand, also whether each ticket wins.\n"
    "  make --key-file FILE --params FILE --nonces LIST\n"
    "       [--expected-price PRICE/PIXELS] [--format FORMAT | --json]\n"
    "      Build a payment of tickets signed by the key from ticket\n"
    "      parameters (OrchestratorInfo.ticket_params JSON, or a whole\n"
    "      OrchestratorInfo: its JSON or the protobuf message that the\n"
    "      gRPC call GetOrchestrator answers) and print its\n"
    "      Livepeer-Payment value, base64 of protobuf as go-livepeer\n"
    "      sends it (--format protobuf, the default), or its readable\n"
    "      JSON (--format json or --json; not a wire value).\n"
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

  ret = parse_decode_action (command, "Livepeer-Segment", "segment data",
      "its fields as JSON\nwith the keccak hash of the message its "
      "signature covers\n(message_hash) and the address the signature "
      "recovers to (signer,\nnull when the signature is malformed).",
      entries, &argc, &argv);
  if (ret >= 0)
    return ret;

  input = read_wire_input (argv[1], &error);
  if (input != NULL)
    seg = seg_data_from_input (input, &error);
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
    "      Decode a Livepeer-Segment value (base64 of protobuf, as\n"
    "      go-livepeer sends it; or its readable JSON; '-' reads standard\n"
    "      input) and print as readable JSON its fields, the hash of the\n"
    "      signed segment message and the address that signed it.\n";

/* ------------------------------------------------------------------------ */
/* commands                                                                 */
/* ------------------------------------------------------------------------ */

int
cmd_payment (int argc, char **argv)
{
  return run_command ("payment", "payment ACTION [ARGS…]",
      "Decodes and builds Livepeer-Payment values (probabilistic "
      "micropayment tickets).", payment_description, payment_actions,
      G_N_ELEMENTS (payment_actions), "decode or make", argc, argv);
}

int
cmd_segment (int argc, char **argv)
{
  return run_command ("segment", "segment ACTION [ARGS…]",
      "Decodes Livepeer-Segment values (signed segment credentials).",
      segment_description, segment_actions, G_N_ELEMENTS (segment_actions),
      "decode", argc, argv);
}

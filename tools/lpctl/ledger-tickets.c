/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * lpctl's TicketBroker commands: a sender's deposit and reserve (deposit,
 * unlock, cancel-unlock, withdraw), the tickets queued or redeemed
 * (tickets) and the redemption of a payment's winning tickets (redeem).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpctl.h"

/* ------------------------------------------------------------------------ */
/* deposit and reserve                                                      */
/* ------------------------------------------------------------------------ */

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

int
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
  LpLedgerStatus status;
  LpAccountInfo before, after;
  GError *error = NULL;
  GString *human;
  JsonObject *obj;
  gboolean ok;
  int ret;

  memset (&before, 0, sizeof (before));
  memset (&after, 0, sizeof (after));
  ret = call_start_with_key (&c, "The sender's (broadcaster's) key file",
      summaries[op], &argc, &argv);
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

int
ledger_unlock (int argc, char **argv)
{
  return sender_op (SENDER_UNLOCK, argc, argv);
}

int
ledger_cancel_unlock (int argc, char **argv)
{
  return sender_op (SENDER_CANCEL_UNLOCK, argc, argv);
}

int
ledger_withdraw (int argc, char **argv)
{
  return sender_op (SENDER_WITHDRAW, argc, argv);
}

/* ------------------------------------------------------------------------ */
/* tickets and redemption                                                   */
/* ------------------------------------------------------------------------ */

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

int
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

/* The winning tickets of @payment, with the recipient's random number. */
static GArray *
payment_winners (LpPayment * payment, const LpUint256 * recipient_rand)
{
  GArray *winners = g_array_new (FALSE, TRUE, sizeof (LpWinningTicket));

  for (guint i = 0; i < payment->tickets->len; i++) {
    const LpTicketSenderParams *tsp =
        &g_array_index (payment->tickets, LpTicketSenderParams, i);
    LpWinningTicket winner;

    memset (&winner, 0, sizeof (winner));
    lp_payment_get_ticket (payment, i, &winner.ticket);
    memcpy (winner.sig, tsp->sig, LP_SIGNATURE_SIZE);
    winner.recipient_rand = *recipient_rand;
    winner.params_expiration_block = payment->ticket_params.expiration_block;
    g_array_append_val (winners, winner);
  }
  return winners;
}

/* Adds a ticket's outcome to the JSON @array and the @human text; FALSE
 * when it was refused. */
static gboolean
report_outcome (const LpWinningTicket * winner,
    const LpRedemptionOutcome * outcome, const LpLedgerStatus * status,
    JsonArray * array, GString * human)
{
  const gchar *unit = fee_asset_unit (status->params.fee_asset);
  const LpRedemption *redemption = &outcome->redemption;
  JsonObject *t = json_object_new ();
  guint8 hash[LP_TICKET_HASH_SIZE];
  guint32 nonce = winner->ticket.sender_nonce;
  gchar *hash_text;

  lp_ticket_hash (&winner->ticket, hash);
  hash_text = lp_hex_encode (hash, sizeof (hash), TRUE);
  json_object_set_string_member (t, "ticket_hash", hash_text);
  set_u64_member (t, "sender_nonce", nonce);
  if (outcome->error == NULL) {
    gchar *deposit = format_token (&redemption->from_deposit, unit);
    gchar *reserve = format_token (&redemption->from_reserve, unit);

    json_object_set_boolean_member (t, "redeemed", TRUE);
    set_amount_member (t, "from_deposit", &redemption->from_deposit);
    set_amount_member (t, "from_reserve", &redemption->from_reserve);
    set_u64_member (t, "round", redemption->round);
    g_string_append_printf (human, "Redeemed %s (nonce %u) in round %"
        G_GUINT64_FORMAT ": %s from the deposit, %s from the reserve\n",
        hash_text, nonce, redemption->round, deposit, reserve);
    g_free (deposit);
    g_free (reserve);
  } else {
    json_object_set_boolean_member (t, "redeemed", FALSE);
    json_object_set_string_member (t, "error", outcome->error->message);
    g_printerr ("lpctl: ticket %s (nonce %u) refused: %s\n", hash_text,
        nonce, outcome->error->message);
  }
  g_free (hash_text);
  json_array_add_object_element (array, t);
  return outcome->error == NULL;
}

/* Redeems every ticket of a payment on the ledger, as an orchestrator's
 * redemption queue does with its winners: each one is checked by the
 * TicketBroker's rules in their order and paid from the sender's deposit,
 * then reserve. A refused ticket changes nothing and does not stop the
 * others; the exit status is 1 when any was refused. */
int
ledger_redeem (int argc, char **argv)
{
  static const gchar command[] = "redeem";
  gchar *rand_text = NULL;
  gboolean as_json = FALSE, batch = FALSE;
  KeyOptions from = { NULL, };
  GOptionEntry entries[] = {
    {"batch", 'b', 0, G_OPTION_ARG_NONE, &batch,
        "Redeem the tickets together: on a chain, in batchRedeemWinningTickets "
          "transactions (about half the gas per ticket); the embedded ledger "
          "redeems them one after the other either way", NULL},
    {"recipient-rand", 'r', 0, G_OPTION_ARG_STRING, &rand_text,
        "The recipient's random number (decimal or 0x-hex) whose keccak "
          "is the tickets' recipient_rand_hash", "N"},
    KEY_ENTRIES (from, "from", "On a chain: the key file of the account "
        "that sends the redemptions (the recipient's, usually)"),
    JSON_ENTRY (as_json),
    {NULL}
  };
  LpLedger *ledger = NULL;
  LpLedgerStatus status;
  LpPayment *payment = NULL;
  LpUint256 recipient_rand;
  GArray *winners = NULL;
  LpRedemptionOutcome *outcomes = NULL;
  GError *error = NULL;
  JsonObject *obj;
  JsonArray *array;
  GString *human;
  guint i, refused = 0;
  int ret;

  ret = parse_action (command, "[BASE64 | JSON | -]",
      "Redeems the winning tickets of a Livepeer-Payment value (base64 of\n"
      "protobuf, as 'payment make' prints it, or its readable JSON; '-'\n"
      "reads standard input) on the ledger, paying each ticket's\n"
      "recipient from the sender's deposit, then reserve. Every ticket is\n"
      "checked by the TicketBroker's rules; one that is refused is reported\n"
      "with the rule and changes nothing (exit status 1). Without --batch\n"
      "each ticket is its own transaction on a chain; with it they go in\n"
      "as few batchRedeemWinningTickets transactions as the block gas limit\n"
      "allows (at most 32 tickets each), each ticket still reported on its\n"
      "own.", entries, &argc,
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
  if (ret < 0 && from.file != NULL)
    ret = add_signer_option (ledger, command, "from", &from, NULL);
  if (ret < 0)
    ret = get_status (ledger, &status);
  if (ret >= 0)
    goto done;

  winners = payment_winners (payment, &recipient_rand);
  outcomes = g_new0 (LpRedemptionOutcome, winners->len);
  if (batch) {
    if (!lp_ledger_redeem_winning_tickets (ledger,
            (const LpWinningTicket *) winners->data, winners->len, outcomes,
            &error)) {
      ret = fail (error);
      goto done;
    }
  } else {
    for (i = 0; i < winners->len; i++)
      lp_ledger_redeem_winning_ticket (ledger,
          &g_array_index (winners, LpWinningTicket, i),
          &outcomes[i].redemption, &outcomes[i].error);
  }

  obj = json_object_new ();
  array = json_array_new ();
  human = g_string_new (NULL);
  for (i = 0; i < winners->len; i++) {
    const LpWinningTicket *winner = &g_array_index (winners, LpWinningTicket,
        i);

    if (!report_outcome (winner, &outcomes[i], &status, array, human))
      refused++;
  }
  set_u64_member (obj, "redeemed", winners->len - refused);
  set_u64_member (obj, "refused", refused);
  json_object_set_array_member (obj, "tickets", array);
  ret = emit (as_json, obj, human);
  if (refused > 0)
    ret = EXIT_FAILURE;

done:
  for (i = 0; outcomes != NULL && i < winners->len; i++)
    g_clear_error (&outcomes[i].error);
  g_free (outcomes);
  if (winners != NULL)
    g_array_unref (winners);
  g_clear_object (&ledger);
  lp_payment_free (payment);
  g_free (rand_text);
  key_options_clear (&from);
  return ret;
}

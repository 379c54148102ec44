/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lporchestrator's side of the ledger: the key, the ledger and the
 * recipient it opens at start (with their checks and warnings), the
 * redemption queue the recipient stores winning tickets in, and the
 * ledger worker ("lporch-ledger"), which registers the node's service
 * URI when asked (register-service-uri), initializes rounds, calls
 * reward, redeems or drops queued tickets, and ends idle and failed
 * sessions (lporchsession.c).
 *
 * queue_winning_ticket() runs in the server thread (and again in
 * "lporch-ledger" for a ticket the ledger refused), the rest of the
 * worker in "lporch-ledger", the start helpers in the state change. The
 * counters and the tickets the ledger refused (@unstored_winners) are
 * under the orchestrator lock; the worker waits on @cond for
 * stop_service() (gstlporchestrator-private.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstlporchestrator-private.h"

/* how often the ledger worker looks at the chain's head (and at idle
 * sessions) */
#define LEDGER_POLL_INTERVAL_US (200 * G_TIME_SPAN_MILLISECOND)
/* the whole status (some twenty requests on a chain) is read when a new
 * block came, at most once a second (an L2 makes several blocks a
 * second), and at least every 5 s: a chain whose blocks come only with
 * transactions (a devnet) still gets its rounds, rewards and retries
 * looked at */
#define LEDGER_FULL_TICK_MIN_US (1 * G_TIME_SPAN_SECOND)
#define LEDGER_FULL_TICK_INTERVAL_US (5 * G_TIME_SPAN_SECOND)

typedef struct
{
  guint64 last_block;           /* the head at the last full tick */
  guint64 last_redeem_block;    /* redemptions were looked at there */
  gint64 last_full;             /* monotonic time of the last full tick */
  gboolean unreachable;         /* the last read failed: warned once */
  gboolean uri_checked;         /* register-service-uri done (or given up) */
} TickState;

/* ------------------------------------------------------------------------ */
/* the ledger worker: rounds, rewards, redemptions, idle sessions           */
/* ------------------------------------------------------------------------ */

/* LpRedemptionQueue: a winning ticket is stored in the ledger before the
 * segment's answer goes out (called from the server thread). */
static void
queue_winning_ticket (const LpWinningTicket * ticket, gpointer user_data)
{
  GstLpOrchestrator *self = user_data;
  guint8 hash[LP_TICKET_HASH_SIZE];
  gchar *hash_text, *sender, *face;
  GError *error = NULL;
  gboolean added;

  lp_ticket_hash (&ticket->ticket, hash);
  hash_text = lp_hex_encode (hash, sizeof (hash), TRUE);
  if (!lp_ledger_queue_winning_ticket (self->ledger, ticket, &added,
          &error)) {
    /* its recipientRand exists nowhere else: keep it and try again on
     * the next block rather than lose the ticket */
    GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
        ("Could not store winning ticket %s for redemption yet: %s",
            hash_text, error->message), ("kept in memory, retried on the "
            "next block"));
    ORCH_LOCK (self);
    g_array_append_val (self->unstored_winners, *ticket);
    ORCH_UNLOCK (self);
    g_error_free (error);
    g_free (hash_text);
    return;
  }
  /* a replayed winner is queued once, and counted once */
  if (!added) {
    GST_DEBUG_OBJECT (self, "winning ticket %s is queued already",
        hash_text);
    g_free (hash_text);
    return;
  }
  ORCH_LOCK (self);
  self->stats.tickets_won++;
  ORCH_UNLOCK (self);
  sender = address_text (&ticket->ticket.sender);
  face = lp_uint256_to_string (&ticket->ticket.face_value);
  GST_INFO_OBJECT (self, "winning ticket %s from %s queued", hash_text,
      sender);
  post_element_message (self, gst_structure_new ("lporchestrator-ticket-won",
          "sender", G_TYPE_STRING, sender,
          "ticket-hash", G_TYPE_STRING, hash_text,
          "face-value", G_TYPE_STRING, face,
          "creation-round", G_TYPE_UINT64,
          ticket->ticket.expiration_params.creation_round, NULL));
  g_free (sender);
  g_free (face);
  g_free (hash_text);
}

/* Retries the winners the ledger could not store when they came. */
void
store_unstored_winners (GstLpOrchestrator * self)
{
  GArray *winners;
  guint i;

  ORCH_LOCK (self);
  winners = self->unstored_winners;
  self->unstored_winners = g_array_new (FALSE, FALSE,
      sizeof (LpWinningTicket));
  ORCH_UNLOCK (self);
  for (i = 0; i < winners->len; i++)
    queue_winning_ticket (&g_array_index (winners, LpWinningTicket, i), self);
  g_array_unref (winners);
}

static void
post_redemption (GstLpOrchestrator * self, const LpWinningTicket * ticket,
    const guint8 hash[LP_TICKET_HASH_SIZE], const LpRedemption * redemption,
    const gchar * reason)
{
  LpUint256 zero = LP_UINT256_INIT, paid = LP_UINT256_INIT;
  gchar *hash_text = lp_hex_encode (hash, LP_TICKET_HASH_SIZE, TRUE);
  gchar *sender = address_text (&ticket->ticket.sender);
  gchar *deposit, *reserve, *paid_text;

  if (redemption != NULL)
    lp_uint256_add (&redemption->from_deposit, &redemption->from_reserve,
        &paid, NULL);
  deposit = lp_uint256_to_string (redemption != NULL ? &redemption->from_deposit :
      &zero);
  reserve = lp_uint256_to_string (redemption != NULL ? &redemption->from_reserve :
      &zero);
  paid_text = lp_uint256_to_string (&paid);
  post_element_message (self, gst_structure_new
      ("lporchestrator-ticket-redeemed", "ticket-hash", G_TYPE_STRING,
          hash_text, "sender", G_TYPE_STRING, sender, "success",
          G_TYPE_BOOLEAN, redemption != NULL, "reason", G_TYPE_STRING,
          reason != NULL ? reason : "", "paid", G_TYPE_STRING, paid_text,
          "from-deposit", G_TYPE_STRING, deposit, "from-reserve",
          G_TYPE_STRING, reserve, "round", G_TYPE_UINT64,
          redemption != NULL ? redemption->round : 0, NULL));
  g_free (hash_text);
  g_free (sender);
  g_free (deposit);
  g_free (reserve);
  g_free (paid_text);
}

/* Takes a ticket that can never be paid out of the queue, and says why. */
static void
drop_ticket (GstLpOrchestrator * self, const LpWinningTicket * ticket,
    const guint8 hash[LP_TICKET_HASH_SIZE], const gchar * reason)
{
  if (!lp_ledger_drop_queued_ticket (self->ledger, hash, NULL))
    return;
  ORCH_LOCK (self);
  self->stats.tickets_failed++;
  ORCH_UNLOCK (self);
  post_redemption (self, ticket, hash, NULL, reason);
}

/* Counts and reports one redemption's outcome: a used ticket is final (as
 * on chain, nothing more to get for it); other refusals (round not
 * initialized, not active) are retried on the next block. */
static void
settle_redemption (GstLpOrchestrator * self, const LpWinningTicket * t,
    const LpRedemption * redemption, const GError * error)
{
  guint8 hash[LP_TICKET_HASH_SIZE];

  lp_ticket_hash (&t->ticket, hash);
  if (error == NULL) {
    ORCH_LOCK (self);
    self->stats.tickets_redeemed++;
    lp_uint256_add (&self->stats.fees_earned, &redemption->from_deposit,
        &self->stats.fees_earned, NULL);
    lp_uint256_add (&self->stats.fees_earned, &redemption->from_reserve,
        &self->stats.fees_earned, NULL);
    ORCH_UNLOCK (self);
    post_redemption (self, t, hash, redemption, NULL);
  } else if (g_error_matches (error, LP_LEDGER_ERROR,
          LP_LEDGER_ERROR_TICKET_USED)) {
    drop_ticket (self, t, hash, error->message);
  } else {
    GST_DEBUG_OBJECT (self, "ticket not redeemed yet: %s", error->message);
  }
}

/* Redeems the tickets that are due: one alone, several in one call, which
 * a chain sends as batchRedeemWinningTickets (about half the gas per
 * ticket). */
static void
redeem_due (GstLpOrchestrator * self, GArray * due)
{
  LpRedemptionOutcome *outcomes;
  GError *error = NULL;
  guint i;

  if (due->len == 0)
    return;
  outcomes = g_new0 (LpRedemptionOutcome, due->len);
  if (due->len == 1) {
    lp_ledger_redeem_winning_ticket (self->ledger,
        &g_array_index (due, LpWinningTicket, 0), &outcomes[0].redemption,
        &outcomes[0].error);
  } else if (!lp_ledger_redeem_winning_tickets (self->ledger,
          (const LpWinningTicket *) due->data, due->len, outcomes, &error)) {
    GST_WARNING_OBJECT (self, "redeeming %u tickets: %s", due->len,
        error->message);
    g_error_free (error);
    g_free (outcomes);
    return;
  }
  for (i = 0; i < due->len; i++) {
    settle_redemption (self, &g_array_index (due, LpWinningTicket, i),
        &outcomes[i].redemption, outcomes[i].error);
    g_clear_error (&outcomes[i].error);
  }
  g_free (outcomes);
}

/* Redeems the queued tickets whose parameters have expired (so their
 * recipientRand can be revealed) and drops those too old to redeem. */
static void
redeem_tickets (GstLpOrchestrator * self, const LpLedgerStatus * status)
{
  GArray *queued, *due;
  GError *error = NULL;
  guint i;

  queued = lp_ledger_list_queued_tickets (self->ledger,
      lp_private_key_get_address (self->key), &error);
  if (queued == NULL) {
    GST_WARNING_OBJECT (self, "redemption queue: %s", error->message);
    g_error_free (error);
    return;
  }
  due = g_array_new (FALSE, TRUE, sizeof (LpWinningTicket));
  for (i = 0; i < queued->len; i++) {
    const LpWinningTicket *t = &g_array_index (queued, LpWinningTicket, i);
    guint8 hash[LP_TICKET_HASH_SIZE];
    gchar *reason;

    switch (lp_winning_ticket_redeemability (t, status->block,
            status->round)) {
      case LP_REDEEMABILITY_WAIT:
        break;
      case LP_REDEEMABILITY_TOO_LATE:
        lp_ticket_hash (&t->ticket, hash);
        reason = g_strdup_printf ("its creation round %" G_GUINT64_FORMAT
            " is too old to redeem in round %" G_GUINT64_FORMAT,
            t->ticket.expiration_params.creation_round, status->round);
        drop_ticket (self, t, hash, reason);
        g_free (reason);
        break;
      case LP_REDEEMABILITY_NOW:
        g_array_append_vals (due, t, 1);
        break;
    }
  }
  redeem_due (self, due);
  g_array_unref (due);
  g_array_unref (queued);
}

static void
maybe_reward (GstLpOrchestrator * self, const LpLedgerStatus * status)
{
  LpLedgerOrchestrator info;
  LpUint256 minted = LP_UINT256_INIT;
  GError *error = NULL;
  gboolean due;
  gchar *text;

  memset (&info, 0, sizeof (info));
  if (!lp_ledger_get_orchestrator (self->ledger,
          lp_private_key_get_address (self->key), &info, NULL))
    return;
  due = info.active && info.last_reward_round < status->round;
  lp_ledger_orchestrator_clear (&info);
  if (!due)
    return;
  if (!lp_ledger_reward (self->ledger, lp_private_key_get_address (self->key),
          &minted, &error)) {
    GST_INFO_OBJECT (self, "reward in round %" G_GUINT64_FORMAT ": %s",
        status->round, error->message);
    g_error_free (error);
    return;
  }
  ORCH_LOCK (self);
  self->stats.rewards++;
  lp_uint256_add (&self->stats.rewards_minted, &minted,
      &self->stats.rewards_minted, NULL);
  ORCH_UNLOCK (self);
  text = lp_uint256_to_string (&minted);
  GST_INFO_OBJECT (self, "reward in round %" G_GUINT64_FORMAT ": %s wei",
      status->round, text);
  post_element_message (self, gst_structure_new ("lporchestrator-reward",
          "round", G_TYPE_UINT64, status->round,
          "minted", G_TYPE_STRING, text, NULL));
  g_free (text);
}

/* The URI the ledger gives broadcasters for this node, read for the
 * message (NULL when it cannot be read). */
static gchar *
registered_service_uri (GstLpOrchestrator * self)
{
  LpLedgerOrchestrator info;
  gchar *uri = NULL;

  memset (&info, 0, sizeof (info));
  if (lp_ledger_get_orchestrator (self->ledger,
          lp_private_key_get_address (self->key), &info, NULL)) {
    uri = info.service_uri;
    info.service_uri = NULL;
  }
  lp_ledger_orchestrator_clear (&info);
  return uri;
}

/* register-service-uri: once per start, here rather than in the state
 * change, since a chain's transaction waits for its receipt. A node that
 * does not answer is tried again on the next tick; a refusal (not
 * registered, no ETH for gas) is said once, and the node serves on. */
static void
register_service_uri (GstLpOrchestrator * self, TickState * tick)
{
  const LpAddress *me = lp_private_key_get_address (self->key);
  const gchar *uri = self->config.props.service_uri;
  g_autofree gchar *address = address_text (me);
  g_autofree gchar *previous = registered_service_uri (self);
  GError *error = NULL;
  gboolean changed;

  if (!lp_ledger_set_service_uri (self->ledger, me, uri, &changed, &error)) {
    if (g_error_matches (error, LP_LEDGER_ERROR,
            LP_LEDGER_ERROR_UNREACHABLE)) {
      GST_DEBUG_OBJECT (self, "service URI, tried again: %s", error->message);
      g_error_free (error);
      return;
    }
    GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
        ("Could not register the service URI %s for %s on the ledger: %s",
            uri, address, error->message),
        ("broadcasters that discover orchestrators from the ledger find "
            "this node at %s", previous != NULL && previous[0] != '\0' ?
            previous : "no URI"));
    g_error_free (error);
  } else if (changed) {
    GST_INFO_OBJECT (self, "service URI of %s on the ledger: %s (was %s)",
        address, uri, previous != NULL ? previous : "");
    post_element_message (self, gst_structure_new
        ("lporchestrator-service-uri", "address", G_TYPE_STRING, address,
            "service-uri", G_TYPE_STRING, uri, "previous-uri", G_TYPE_STRING,
            previous != NULL ? previous : "", NULL));
  } else {
    GST_INFO_OBJECT (self, "service URI of %s on the ledger is %s already",
        address, uri);
  }
  tick->uri_checked = TRUE;
}

/* A ledger that cannot be read (a chain node stopped, slow or restarting)
 * is said once on the bus, not at every tick: segments go on from the view
 * read last, and winning tickets wait in the queue until it answers. */
static void
ledger_read_failed (GstLpOrchestrator * self, TickState * tick,
    GError * error)
{
  if (!tick->unreachable)
    GST_ELEMENT_WARNING (self, RESOURCE, READ,
        ("The ledger cannot be read; the node goes on serving from what it "
            "read last and keeps winning tickets queued until it answers"),
        ("%s", error->message));
  else
    GST_DEBUG_OBJECT (self, "ledger: %s", error->message);
  tick->unreachable = TRUE;
  g_error_free (error);
}

static void
ledger_read_ok (GstLpOrchestrator * self, TickState * tick)
{
  if (tick->unreachable)
    GST_INFO_OBJECT (self, "the ledger answers again");
  tick->unreachable = FALSE;
}

static void
ledger_tick (GstLpOrchestrator * self, TickState * tick)
{
  LpLedgerStatus status;
  GError *error = NULL;
  gint64 now = g_get_monotonic_time ();
  guint64 head;

  reap_failed_sessions (self);
  end_idle_sessions (self);
  /* one request on a chain; the rest only when something may have moved */
  if (!lp_ledger_get_block_number (self->ledger, &head, &error)) {
    ledger_read_failed (self, tick, error);
    return;
  }
  ledger_read_ok (self, tick);
  if (self->config.props.register_service_uri && !tick->uri_checked)
    register_service_uri (self, tick);
  if (now - tick->last_full < (head == tick->last_block ?
          LEDGER_FULL_TICK_INTERVAL_US : LEDGER_FULL_TICK_MIN_US))
    return;
  tick->last_block = head;
  tick->last_full = now;
  if (!lp_ledger_get_status (self->ledger, &status, &error)) {
    ledger_read_failed (self, tick, error);
    return;
  }
  if (!status.round_initialized && self->config.props.auto_initialize_round) {
    if (lp_ledger_initialize_round (self->ledger, &error)) {
      GST_INFO_OBJECT (self, "initialized round %" G_GUINT64_FORMAT,
          status.round);
      lp_ledger_get_status (self->ledger, &status, NULL);
    } else {
      /* somebody else may have been first */
      GST_DEBUG_OBJECT (self, "round init: %s", error->message);
      g_clear_error (&error);
    }
  }
  /* what the request path reads, before anything here sends a
   * transaction (the worker may then wait for its receipt) */
  if (!ledger_view_refresh (self, &status, &error)) {
    GST_WARNING_OBJECT (self, "ledger: %s", error->message);
    g_clear_error (&error);
  }
  if (status.round_initialized && self->config.props.auto_reward)
    maybe_reward (self, &status);
  /* as go-livepeer, redemptions are looked at once per new block, and the
   * nonces of expired parameter sets (their tickets are refused as
   * expired anyway) and idle balances forgotten */
  if (status.block != tick->last_redeem_block) {
    tick->last_redeem_block = status.block;
    store_unstored_winners (self);
    redeem_tickets (self, &status);
    lp_recipient_purge_nonces (self->recipient, status.block);
    lp_recipient_purge_balances (self->recipient, g_get_monotonic_time ());
  }
}

gpointer
ledger_thread (gpointer data)
{
  GstLpOrchestrator *self = data;
  TickState tick = { G_MAXUINT64, G_MAXUINT64, 0, FALSE, FALSE };

  ORCH_LOCK (self);
  while (!self->stopping) {
    ORCH_UNLOCK (self);
    ledger_tick (self, &tick);
    ORCH_LOCK (self);
    if (!self->stopping)
      g_cond_wait_until (&self->cond, &self->lock, g_get_monotonic_time () +
          LEDGER_POLL_INTERVAL_US);
  }
  ORCH_UNLOCK (self);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* the key, the ledger and the recipient (NULL->READY)                      */
/* ------------------------------------------------------------------------ */

/* SQLite's quick check before the node trusts the ledger with winning
 * tickets: a damaged file fails now, not at a redemption. */
static gboolean
check_ledger_storage (GstLpOrchestrator * self)
{
  GString *report = g_string_new (NULL);
  GError *error = NULL;
  gboolean ok = lp_ledger_check_storage (self->ledger, report, &error);

  if (!ok) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
        ("The ledger %s is damaged: %s", self->config.props.ledger_uri,
            error != NULL ? error->message : "its storage check failed"),
        ("%s\nrun 'lpctl --ledger %s audit' to see what is damaged, and "
            "restore the ledger from a copy", report->str,
            self->config.props.ledger_uri));
    g_clear_error (&error);
  }
  g_string_free (report, TRUE);
  return ok;
}

gboolean
load_key_and_ledger (GstLpOrchestrator * self, const gchar * key_file,
    const gchar * password_file)
{
  GError *error = NULL;

  self->key = lp_key_load_with_password_file (key_file, password_file,
      &error);
  if (self->key == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ, ("%s", error->message),
        (NULL));
    g_error_free (error);
    return FALSE;
  }
  self->ledger = lp_ledger_open (self->config.props.ledger_uri, &error);
  /* a chain signs the node's transactions (reward, redemptions) with its
   * key; the embedded ledger ignores it */
  if (self->ledger == NULL
      || !lp_ledger_add_signer (self->ledger, self->key, &error)) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
        ("ledger: %s", error->message), (NULL));
    g_error_free (error);
    return FALSE;
  }
  return check_ledger_storage (self);
}

/* A payment carries at most LP_WIRE_MAX_TICKETS_PER_PAYMENT tickets (its
 * header must stay under libsoup's 64 KiB header block), so the EV of a
 * ticket must be large enough for the most costly segment we admit:
 * max-pixel-rate for max-segment-duration (rounded up to whole seconds,
 * as the broadcaster's estimate does), with the broadcaster's 2 % margin
 * and half the tickets of a payment, which leaves the other half for a
 * debt carried from earlier segments. go-livepeer's broadcaster refuses
 * a ticket EV over its maxTicketEV (3e12 wei): at 250 Mpixel/s for 10 s
 * that is a price of up to 115 000 wei per pixel. Sets @ev. */
static void
effective_ticket_ev (GstLpOrchestrator * self, guint64 ticket_ev,
    LpUint256 * ev)
{
  const Config *c = &self->config;
  LpUint256 fee, factor, den;
  guint64 seconds = (c->props.max_segment_duration + 999) / 1000;

  lp_uint256_from_uint64 (ticket_ev, ev);
  if (c->price.price_per_unit == 0)
    return;
  /* fee = price × rate × seconds × 102, all over ppu × 100 × tickets */
  lp_uint256_from_uint64 (c->price.price_per_unit, &fee);
  lp_uint256_from_uint64 (c->props.max_pixel_rate, &factor);
  lp_uint256_mul (&fee, &factor, &fee, NULL);
  lp_uint256_from_uint64 (seconds * 102, &factor);
  lp_uint256_mul (&fee, &factor, &fee, NULL);
  lp_uint256_from_uint64 (c->price.pixels_per_unit, &den);
  lp_uint256_from_uint64 (100 * (LP_WIRE_MAX_TICKETS_PER_PAYMENT / 2),
      &factor);
  lp_uint256_mul (&den, &factor, &den, NULL);
  lp_uint256_ceil_div (&fee, &den, &fee, NULL);
  if (lp_uint256_cmp (&fee, ev) > 0) {
    gchar *text = lp_uint256_to_string (&fee);

    GST_INFO_OBJECT (self, "ticket EV raised to %s wei so that a segment "
        "within max-pixel-rate and max-segment-duration needs at most %d "
        "tickets", text, LP_WIRE_MAX_TICKETS_PER_PAYMENT / 2);
    g_free (text);
    *ev = fee;
  }
}

gboolean
make_recipient (GstLpOrchestrator * self, guint64 ticket_ev,
    guint64 max_face_value, guint64 redeem_gas)
{
  LpRecipientConfig config;
  LpRedemptionQueue queue = { 0, };
  GError *error = NULL;

  lp_recipient_config_init (&config);
  effective_ticket_ev (self, ticket_ev, &config.ticket_ev);
  lp_uint256_from_uint64 (max_face_value, &config.max_face_value);
  config.redeem_gas = redeem_gas;
  queue.version = LP_REDEMPTION_QUEUE_VERSION;
  queue.queue_ticket = queue_winning_ticket;
  queue.user_data = self;
  self->recipient = lp_recipient_new (lp_private_key_get_address (self->key),
      &config, &queue, &error);
  /* auth tokens are keyed with a secret of this run: a restart ends every
   * session, as go-livepeer's */
  if (self->recipient != NULL && !lp_crypto_random_bytes (self->auth_secret,
          sizeof (self->auth_secret), &error))
    g_clear_pointer (&self->recipient, lp_recipient_free);
  if (self->recipient == NULL) {
    GST_ELEMENT_ERROR (self, LIBRARY, INIT, ("%s", error->message), (NULL));
    g_error_free (error);
    return FALSE;
  }
  return TRUE;
}

void
warn_if_not_registered (GstLpOrchestrator * self)
{
  LpLedgerOrchestrator info;
  gchar address[LP_ADDRESS_TEXT_SIZE];

  memset (&info, 0, sizeof (info));
  lp_address_format (lp_private_key_get_address (self->key), address);
  if (lp_ledger_get_orchestrator (self->ledger,
          lp_private_key_get_address (self->key), &info, NULL)
      && info.registered) {
    lp_ledger_orchestrator_clear (&info);
    return;
  }
  lp_ledger_orchestrator_clear (&info);
  if (self->config.price.price_per_unit > 0)
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("%s is not a registered orchestrator on the ledger: winning tickets "
            "can only be redeemed once it is registered and active", address),
        ("lpctl bond --from KEY --to %s --amount AMOUNT; lpctl register "
            "--from KEY --reward-cut PERCENT --fee-share PERCENT", address));
}

/* Ticket parameters expire LP_TICKET_PARAMS_VALIDITY_BLOCKS after they are
 * made and a winner is redeemed only then, while its creation round is
 * less than LP_TICKET_VALIDITY_ROUNDS old: with rounds this short or
 * shorter, a ticket made late in a round is too old by then. */
void
warn_if_rounds_too_short (GstLpOrchestrator * self)
{
  LpLedgerStatus status;

  if (self->config.price.price_per_unit == 0
      || !lp_ledger_get_status (self->ledger, &status, NULL))
    return;
  if (status.params.round_length * (LP_TICKET_VALIDITY_ROUNDS - 1) <=
      LP_TICKET_PARAMS_VALIDITY_BLOCKS)
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("Rounds of %" G_GUINT64_FORMAT " blocks are too short to redeem "
            "every winning ticket", status.params.round_length),
        ("ticket parameters expire %d blocks after they are made and a "
            "ticket must be redeemed within %d rounds of its creation round; "
            "use rounds longer than %d blocks (lpctl init --round-length "
            "100)", LP_TICKET_PARAMS_VALIDITY_BLOCKS,
            LP_TICKET_VALIDITY_ROUNDS, LP_TICKET_PARAMS_VALIDITY_BLOCKS));
}

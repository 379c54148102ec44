/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lporchestrator's HTTP service: the servers (on lpserver.c's connection
 * layer) and their thread ("lporch-http"), the handlers of go-livepeer's
 * segment path (POST /segment and /payment, GET /stream/...) and of GET
 * /metrics (its text from lporchmetrics.c), discovery and the end of a
 * session whatever the wire (lporchgrpc.c serves them over gRPC), the
 * ticket parameters and OrchestratorInfo an answer carries, and the
 * answers the session workers hand back (complete_job()). Anything else,
 * our former JSON dialect's /getOrchestrator and /endSession included,
 * gets go-livepeer's 404.
 *
 * The handlers read and answer an LpExchange (lporchexchange.h), so the
 * same code serves a request over HTTP/1.1 (libsoup, the handle_*
 * wrappers here) and over HTTP/2 (lporchgrpc.c hands go-livepeer's
 * /segment, /payment and /stream/... over).
 *
 * Everything here but make_orchestrator_info() (which a session worker
 * calls too) runs in the server thread. A segment's checks run in the
 * handler; its work is queued to its session (lporchsession.c) and its
 * exchange kept until complete_job() answers it. The sessions table and
 * each Session's counters are read and written under the orchestrator
 * lock (gstlporchestrator-private.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/livepeer/lpmpegts.h>
#include <gst/livepeer/lpsender.h>

#include "gstlporchestrator-private.h"

/* the body of anything but /segment (a /payment has none) */
#define MAX_SMALL_BODY_SIZE LP_WIRE_MAX_JSON_SIZE

/* segments waiting per session before "OrchestratorBusy" (go-livepeer's
 * channel depth) */
#define MAX_QUEUED_SEGMENTS 4
/* a declared duration may be this much (and a tenth) shorter than the
 * video's PTS span: the broadcaster rounds to milliseconds and may count
 * the last frame differently */
#define DURATION_SLACK_MS 100
/* a segment without a duration is taken as 2 s (docs/design/protocol.md §7) */
#define DEFAULT_DURATION_MS 2000

/* ------------------------------------------------------------------------ */
/* ticket parameters and OrchestratorInfo                                   */
/* ------------------------------------------------------------------------ */

/* The most a ticket of @sender may be worth to us, as go-livepeer's sender
 * monitor reckons it: our share of its reserve (reserve / active set
 * size), less what its queued winners will already claim unless its
 * deposit covers them three times over. */
static void
sender_max_float (GstLpOrchestrator * self, const LpAddress * sender,
    const LpSenderInfo * info, guint n_active, LpUint256 * max_float)
{
  LpUint256 share = LP_UINT256_INIT, pending = LP_UINT256_INIT, n, three;
  GArray *queued;
  guint i;

  if (n_active == 0) {
    lp_uint256_set_zero (max_float);
    return;
  }
  lp_uint256_from_uint64 (n_active, &n);
  lp_uint256_div (&info->reserve, &n, &share, NULL);
  queued = lp_ledger_list_queued_tickets (self->ledger,
      lp_private_key_get_address (self->key), NULL);
  for (i = 0; queued != NULL && i < queued->len; i++) {
    const LpWinningTicket *t = &g_array_index (queued, LpWinningTicket, i);

    if (lp_address_equal (&t->ticket.sender, sender))
      lp_uint256_add (&pending, &t->ticket.face_value, &pending, NULL);
  }
  if (queued != NULL)
    g_array_unref (queued);
  lp_uint256_from_uint64 (3, &three);
  if (!lp_uint256_mul (&pending, &three, &n, NULL))
    lp_uint256_set_max (&n);
  if (lp_uint256_is_zero (&pending) || lp_uint256_cmp (&info->deposit, &n) >= 0)
    *max_float = share;
  else if (!lp_uint256_sub (&share, &pending, max_float, NULL))
    lp_uint256_set_zero (max_float);
}

/* A fresh OrchestratorInfo for @sender: our service URI, address and
 * price, @token, and (when the price is not 0) ticket parameters made for
 * this sender from the ledger's current block and round. */
LpOrchestratorInfo *
make_orchestrator_info (GstLpOrchestrator * self, const LpAddress * sender,
    const LpAuthToken * token, const LpPriceInfo * price, GError ** error)
{
  LpOrchestratorInfo *info = lp_orchestrator_info_new ();
  LpLedgerStatus status;
  LpSenderInfo sender_info;
  LpExpirationParams expiration = { 0, };
  LpUint256 max_float, gas_price;
  guint n_active;

  info->transcoder = g_strdup (self->config.props.service_uri);
  info->address = *lp_private_key_get_address (self->key);
  info->has_price_info = TRUE;
  info->price_info = *price;
  info->auth_token = *token;
  if (price->price_per_unit == 0)
    return info;

  /* on a chain, all from the view the ledger worker keeps (lporchview.c):
   * no request to the node here */
  if (!ledger_view_status (self, &status, error)
      || !ledger_view_require_active (self, &status, error)
      || !ledger_view_sender_info (self, sender, &sender_info, error)
      || !ledger_view_active_count (self, &n_active, error))
    goto failed;
  /* tickets carry the round whose block hash they commit to: the latest
   * initialized one */
  expiration.creation_round = status.last_initialized_round;
  if (!ledger_view_round_block_hash (self, expiration.creation_round,
          expiration.creation_round_block_hash, error))
    goto failed;
  sender_max_float (self, sender, &sender_info, n_active, &max_float);
  /* the face value covers a redemption at this gas price (0 on the
   * embedded ledger) */
  ledger_view_gas_price (self, &gas_price);
  if (!lp_recipient_ticket_params (self->recipient, sender,
          price, &gas_price, &max_float, status.block, &expiration,
          &info->ticket_params, error))
    goto failed;
  info->has_ticket_params = TRUE;
  if (gst_debug_category_get_threshold (GST_CAT_DEFAULT) >= GST_LEVEL_DEBUG) {
    gchar *face = lp_uint256_to_string (&info->ticket_params.face_value);
    gchar *gas = lp_uint256_to_string (&gas_price);
    gchar *max = lp_uint256_to_string (&max_float);

    GST_DEBUG_OBJECT (self, "ticket parameters: face value %s wei (gas "
        "price %s wei, sender's max float %s wei)", face, gas, max);
    g_free (face);
    g_free (gas);
    g_free (max);
  }
  return info;

failed:
  lp_orchestrator_info_free (info);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* HTTP helpers (server thread)                                             */
/* ------------------------------------------------------------------------ */

/* @message (taken), go-livepeer's protobuf answer */
static void
respond_protobuf (LpExchange * exchange, GBytes * message)
{
  lp_exchange_respond (exchange, SOUP_STATUS_OK, "application/octet-stream",
      message);
  g_bytes_unref (message);
}

/* A libsoup handler that serves its message through @serve */
#define SOUP_HANDLER(name, serve) \
static void \
name (SoupServer * server, SoupServerMessage * msg, const char *path, \
    GHashTable * query, gpointer user_data) \
{ \
  LpExchange *exchange = lp_exchange_new_soup (msg); \
  \
  serve (user_data, exchange); \
  lp_exchange_unref (exchange); \
}

/* ------------------------------------------------------------------------ */
/* discovery and the end of a session (gRPC: lporchgrpc.c)                  */
/* ------------------------------------------------------------------------ */

G_DEFINE_QUARK (lp-orchestrator-discovery-error-quark, discovery_error);

/* DISCOVERY_ERROR_CAPPED when the orchestrator has no room for another
 * session; DISCOVERY_ERROR_CAPABILITY_FULL when @capability has none
 * (go-livepeer's AI "insufficient capacity") */
static gboolean
check_room (GstLpOrchestrator * self, const LpCapability * capability,
    const gchar * session_id, const LpAddress * sender, GError ** error)
{
  gboolean full = FALSE;

  if (at_capacity (self, session_id)) {
    g_set_error_literal (error, DISCOVERY_ERROR, DISCOVERY_ERROR_CAPPED,
        "OrchestratorCapped");
    return FALSE;
  }
  if (capability != NULL) {
    ORCH_LOCK (self);
    full = capability_full_locked (self, capability, sender);
    ORCH_UNLOCK (self);
  }
  if (full)
    g_set_error (error, DISCOVERY_ERROR, DISCOVERY_ERROR_CAPABILITY_FULL,
        "insufficient capacity: capability %s runs %u session(s) at a time "
        "here", capability->name, capability->capacity);
  return !full;
}

/* go-livepeer's AI answer to a full capability */
static void
respond_capability_full (LpExchange * exchange,
    const LpCapability * capability)
{
  lp_exchange_respond_text (exchange,
      SOUP_STATUS_SERVICE_UNAVAILABLE, "insufficient "
      "capacity: capability %s runs %u session(s) at a time here",
      capability->name, capability->capacity);
}

/* 503 when @capability has no room for another session (go-livepeer's AI
 * "insufficient capacity"); 403 when the orchestrator has none at all */
static gboolean
refuse_when_full (GstLpOrchestrator * self, LpExchange * exchange,
    const LpCapability * capability, const gchar * session_id,
    const LpAddress * sender)
{
  GError *error = NULL;

  if (check_room (self, capability, session_id, sender, &error))
    return FALSE;
  lp_exchange_respond_text (exchange, g_error_matches (error,
          DISCOVERY_ERROR, DISCOVERY_ERROR_CAPABILITY_FULL) ?
      SOUP_STATUS_SERVICE_UNAVAILABLE : SOUP_STATUS_FORBIDDEN, "%s",
      error->message);
  g_error_free (error);
  return TRUE;
}

/* Discovery: checks @request's signature (the broadcaster signs its own
 * EIP-55 address, docs/design/protocol.md §2) and our room for
 * @capability (the job asked for, NULL for transcoding, which the gRPC
 * handler read from the request's capabilities), and makes a new
 * session's OrchestratorInfo. */
LpOrchestratorInfo *
discover (GstLpOrchestrator * self, const LpOrchestratorRequest * request,
    const LpCapability * capability, GError ** error)
{
  gchar text[LP_ADDRESS_TEXT_SIZE];
  LpOrchestratorInfo *info;
  LpAuthToken token;

  lp_address_format (&request->address, text);
  if (!lp_verify_message (&request->address, (const guint8 *) text,
          strlen (text), request->sig, LP_SIGNATURE_SIZE, NULL)) {
    g_set_error (error, DISCOVERY_ERROR, DISCOVERY_ERROR_SIGNATURE,
        "invalid signature: sig is not %s's signature of its address", text);
    return NULL;
  }
  if (!check_room (self, capability, NULL, &request->address, error)
      || !lp_auth_token_new_session (self->auth_secret,
          g_get_real_time () / G_USEC_PER_SEC, &token, error))
    return NULL;
  info = make_orchestrator_info (self, &request->address, &token,
      price_of (self, capability), error);
  if (info != NULL)
    GST_DEBUG_OBJECT (self, "discovery by %s: session %s", text,
        token.session_id);
  return info;
}

/* Ends the session of @token once its last segment is answered (the
 * ledger worker reaps it, and its capacity is free again): go-livepeer's
 * EndTranscodingSession; a session already gone is no error. DISCOVERY_ERROR_AUTH_TOKEN
 * when @token is not one of ours or has expired. */
gboolean
end_session (GstLpOrchestrator * self, const LpAuthToken * token,
    GError ** error)
{
  GError *own = NULL;
  Session *session;

  if (!lp_auth_token_verify (self->auth_secret, token,
          g_get_real_time () / G_USEC_PER_SEC, &own)) {
    g_set_error_literal (error, DISCOVERY_ERROR, DISCOVERY_ERROR_AUTH_TOKEN,
        own->message);
    g_error_free (own);
    return FALSE;
  }
  ORCH_LOCK (self);
  session = g_hash_table_lookup (self->sessions, token->session_id);
  if (session != NULL)
    session->end_requested = TRUE;
  ORCH_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "session %s ended by its broadcaster%s",
      token->session_id, session ? "" : " (it had not started)");
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* segments: POST /segment                                                  */
/* ------------------------------------------------------------------------ */

/* Refuses a body over max-segment-size as soon as its Content-Length says
 * so, and a chunked one (its size is unknown until libsoup has gathered
 * it all): neither is kept in memory. */
static void
handle_segment_early (SoupServer * server, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer user_data)
{
  GstLpOrchestrator *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr (LpExchange) exchange = lp_exchange_new_soup (msg);
  goffset length;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED) {
    /* a chunked body has no size to check before libsoup gathers it all:
     * broadcasters send the length (go-livepeer's do) */
    soup_message_body_set_accumulate (soup_server_message_get_request_body
        (msg), FALSE);
    lp_exchange_respond_text (exchange, SOUP_STATUS_LENGTH_REQUIRED,
        "send segments with a "
        "Content-Length (at most %" G_GUINT64_FORMAT " bytes), not chunked",
        self->config.props.max_segment_size);
    return;
  }
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    return;
  length = soup_message_headers_get_content_length (headers);
  if (length >= 0 && (guint64) length > self->config.props.max_segment_size) {
    soup_message_body_set_accumulate (soup_server_message_get_request_body
        (msg), FALSE);
    lp_exchange_respond_text (exchange, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
        "segment of %" G_GINT64_FORMAT " bytes is larger than the %"
        G_GUINT64_FORMAT " bytes accepted", (gint64) length,
        self->config.props.max_segment_size);
  }
}

/* Whether a segment may ask for @p under profiles-allowed. Only names are
 * signed, so a preset's name must come with the preset's size and rate
 * and at most its bitrate: an allowed name is not a way to any rendition.
 * A custom name in profiles-allowed allows any geometry under it. */
static gboolean
profile_allowed (GstLpOrchestrator * self, const LpProfile * p,
    LpExchange * exchange)
{
  const LpProfile *preset;

  if (self->config.profiles_allowed == NULL)
    return TRUE;
  if (!g_strv_contains ((const gchar * const *)
          self->config.profiles_allowed, p->name)) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_FORBIDDEN, "profiles: '%s' is not "
        "offered here (profiles-allowed)", p->name);
    return FALSE;
  }
  preset = lp_profile_get_preset (p->name);
  if (preset != NULL && (p->width != preset->width
          || p->height != preset->height || p->bitrate > preset->bitrate
          || (guint64) p->fps_num * preset->fps_den !=
          (guint64) preset->fps_num * p->fps_den)) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_FORBIDDEN, "profiles: '%s' asks for "
        "%ux%u at %u/%u fps and %u bit/s, but the preset is %ux%u at %u/%u "
        "fps and %u bit/s", p->name, p->width, p->height, p->fps_num,
        p->fps_den, p->bitrate, preset->width, preset->height,
        preset->fps_num, preset->fps_den, preset->bitrate);
    return FALSE;
  }
  return TRUE;
}

/* ---- the headers: base64 of protobuf, as go-livepeer's ---- */

/* What a refusal of an undecodable header adds when @bytes are base64 of
 * JSON (they start with '{', a protobuf tag no message has): our former
 * dialect, which livepeersink spoke; the status stays go-livepeer's. */
static const gchar *
json_hint (GBytes * bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  return size > 0 && data[0] == '{' ? " (this is base64 of JSON: the JSON "
      "dialect is gone; send base64 of protobuf, net/lp_rpc.proto, as "
      "go-livepeer does)" : "";
}

/* go-livepeer's getPayment(): 402 with its words when the value is not
 * base64 of a Payment; an absent or empty one is an empty payment (its
 * zero sender then fails the segment's signature check) */
static LpPayment *
read_proto_payment (LpExchange * exchange)
{
  const gchar *value = lp_exchange_get_header (exchange, "Livepeer-Payment");
  LpPayment *payment;
  GError *error = NULL;
  GBytes *bytes;

  bytes = lp_wire_header_decode_bytes (value ? value : "", "Livepeer-Payment",
      &error);
  if (bytes == NULL) {
    lp_exchange_respond_text (exchange, SOUP_STATUS_PAYMENT_REQUIRED,
        "base64 decode error: "
        "%s", error->message);
    g_error_free (error);
    return NULL;
  }
  payment = lp_wire_payment_from_proto_bytes (bytes, &error);
  if (payment == NULL) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_PAYMENT_REQUIRED, "protobuf unmarshal "
        "error: %s%s", error->message, json_hint (bytes));
    g_error_free (error);
  }
  g_bytes_unref (bytes);
  return payment;
}

/* The SegData of the Livepeer-Segment value (403 "ErrorSegEncoding" or
 * the decoding error otherwise); sets @p to the message itself */
static LpSegData *
read_proto_seg_data (LpExchange * exchange, LpProtoSegData ** p)
{
  const gchar *value = lp_exchange_get_header (exchange, "Livepeer-Segment");
  GError *error = NULL;
  LpSegData *seg;
  GBytes *bytes;

  *p = NULL;
  bytes = lp_wire_header_decode_bytes (value ? value : "", "Livepeer-Segment",
      &error);
  if (bytes == NULL) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_FORBIDDEN, "ErrorSegEncoding");
    g_error_free (error);
    return NULL;
  }
  seg = lp_wire_seg_data_from_proto_bytes (bytes, p, &error);
  if (seg == NULL) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_FORBIDDEN, "%s%s", error->message, json_hint (bytes));
    g_error_free (error);
  }
  g_bytes_unref (bytes);
  return seg;
}

/* go-livepeer's verifySegCreds() (403 on failure, with its words): the
 * segment signed by the payment's sender, capabilities compatible with
 * ours (a broadcaster that sends none is a legacy one, which lacks the
 * mandatory AuthToken), our auth token, not expired; then our own checks
 * of the profiles (when @need_profiles) and of capacity. Sets @sender,
 * and @job to the capability job the capabilities ask for (NULL:
 * transcoding). */
static LpSegData *
check_proto_credentials (GstLpOrchestrator * self, LpExchange * exchange,
    const LpPayment * payment, gboolean need_profiles, LpAddress * sender,
    const LpCapability ** job)
{
  g_autoptr (LpProtoSegData) p = NULL;
  GError *error = NULL;
  LpSegData *seg;
  guint i;

  *sender = payment->sender;
  if ((seg = read_proto_seg_data (exchange, &p)) == NULL)
    return NULL;
  if (!lp_seg_data_verify (seg, sender, NULL)) {
    lp_exchange_respond_text (exchange, SOUP_STATUS_FORBIDDEN, "ErrSegSig");
    goto refused;
  }
  if (!proto_capabilities_compatible (self, p->capabilities, job)) {
    lp_exchange_respond_text (exchange, SOUP_STATUS_FORBIDDEN,
        "incompatible capabilities");
    goto refused;
  }
  if (p->auth_token == NULL) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_FORBIDDEN, "missing auth token");
    goto refused;
  }
  if (!lp_auth_token_verify (self->auth_secret, &seg->auth_token,
          g_get_real_time () / G_USEC_PER_SEC, &error)) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_FORBIDDEN, "%s auth token: %s",
        g_error_matches (error, LP_WIRE_ERROR,
            LP_WIRE_ERROR_AUTH_TOKEN_EXPIRED) ? "expired" : "invalid",
        error->message);
    g_error_free (error);
    goto refused;
  }
  if (*job != NULL && seg->profiles->len > 0) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_FORBIDDEN, "a segment asks for "
        "renditions or for a job (%s), not both: send each in its own "
        "session", (*job)->name);
    goto refused;
  }
  if (need_profiles && *job == NULL && seg->profiles->len == 0) {
    lp_exchange_respond_text (exchange, SOUP_STATUS_FORBIDDEN,
        "profiles: no rendition asked for");
    goto refused;
  }
  for (i = 0; i < seg->profiles->len; i++)
    if (!profile_allowed (self, g_ptr_array_index (seg->profiles, i), exchange))
      goto refused;
  if (refuse_when_full (self, exchange, *job, seg->auth_token.session_id,
          sender))
    goto refused;
  return seg;

refused:
  lp_seg_data_free (seg);
  return NULL;
}

/* The body (before any credit): size, the signed hash, MPEG-TS. */
static GBytes *
check_body (GstLpOrchestrator * self, LpExchange * exchange,
    const LpSegData * seg)
{
  const gchar *type = lp_exchange_get_content_type (exchange);
  guint8 hash[LP_KECCAK256_SIZE];
  const guint8 *data;
  GBytes *body;
  gsize size;

  /* NULL: HTTP/2 refused it from its content-length or as it came */
  body = lp_exchange_get_body (exchange);
  if (body == NULL
      || g_bytes_get_size (body) > self->config.props.max_segment_size) {
    lp_exchange_respond_text (exchange, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
        "segment is larger than the %" G_GUINT64_FORMAT " bytes accepted",
        self->config.props.max_segment_size);
    goto refused;
  }
  data = g_bytes_get_data (body, &size);
  lp_keccak256 (data, size, hash);
  if (!lp_crypto_memeq (hash, seg->hash, sizeof (hash))) {
    lp_exchange_respond_text (exchange, SOUP_STATUS_FORBIDDEN,
        "Forbidden: the body's keccak "
        "differs from the signed segment hash");
    goto refused;
  }
  if (type == NULL || g_ascii_strcasecmp (type, "video/MP2T") != 0) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "segments are "
        "MPEG-TS: send Content-Type video/MP2T (got %s)",
        type != NULL ? type : "none");
    goto refused;
  }
  /* MPEG-TS is 188-byte packets starting with 0x47 */
  if (size < 188 || data[0] != 0x47 || data[188 % size] != 0x47) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_BAD_REQUEST, "the body is not MPEG-TS "
        "(no 0x47 sync byte every 188 bytes)");
    goto refused;
  }
  return body;

refused:
  if (body != NULL)
    g_bytes_unref (body);
  return NULL;
}

static guint64
ceil_fps (guint num, guint den)
{
  return den != 0 ? (num + (guint64) den - 1) / den : num;
}

/* The frame rate of a segment's video, from its PTS span, rounded up; 0
 * when unknown. */
static guint64
source_fps (const LpMpegtsSpan * span)
{
  guint64 ticks = (span->end - span->start) & LP_MPEGTS_TIMESTAMP_MASK;

  return ticks > 0 ? ((guint64) span->frames * LP_MPEGTS_CLOCK_RATE +
      ticks - 1) / ticks : 0;
}

/* 403 when @seg's renditions are more than max-renditions or come to more
 * than max-pixel-rate output pixels per second (a rendition keeping the
 * source's rate counts the source's rate, at least the 60 fps a
 * broadcaster's estimate counts). Sets @estimate: the output pixels the
 * fee is estimated at, by the broadcaster's rule (lp_sender_estimate_fee()
 * without its 2 % margin). */
static gboolean
check_renditions (GstLpOrchestrator * self, LpExchange * exchange,
    const LpSegData * seg, guint duration_ms, guint64 fps_of_source,
    guint64 * estimate)
{
  guint64 seconds = (duration_ms + 999) / 1000, rate = 0;
  guint i;

  *estimate = 0;
  if (seg->profiles->len > self->config.props.max_renditions) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_FORBIDDEN, "profiles: %u renditions "
        "asked for, at most %u per segment here (max-renditions)",
        seg->profiles->len, self->config.props.max_renditions);
    return FALSE;
  }
  for (i = 0; i < seg->profiles->len; i++) {
    const LpProfile *p = g_ptr_array_index (seg->profiles, i);
    guint64 frame = (guint64) p->width * p->height;
    guint64 fps = p->fps_num != 0 ? ceil_fps (p->fps_num, p->fps_den) :
        MAX (LP_SENDER_PASSTHROUGH_FPS, fps_of_source);

    /* each term ≤ 8192² × 240 fps; 32 of them fit in 64 bits */
    rate += frame * fps;
    *estimate += frame * (p->fps_num != 0 ? fps : LP_SENDER_PASSTHROUGH_FPS)
        * seconds;
  }
  if (rate > self->config.props.max_pixel_rate) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_FORBIDDEN, "profiles: the renditions "
        "come to %" G_GUINT64_FORMAT " pixels per second, more than the %"
        G_GUINT64_FORMAT " accepted here (max-pixel-rate)", rate,
        self->config.props.max_pixel_rate);
    return FALSE;
  }
  return TRUE;
}

/* The segment's work, bounded before any is done: its declared duration
 * (0: 2 s) is at most max-segment-duration (403) and covers its video's
 * PTS span (400: the fee is estimated on it), and its renditions
 * (check_renditions()). Sets @estimate (0 for a capability job). */
static gboolean
check_workload (GstLpOrchestrator * self, LpExchange * exchange,
    const LpSegData * seg, GBytes * body, guint64 * estimate)
{
  guint duration_ms = seg->duration_ms != 0 ? seg->duration_ms :
      DEFAULT_DURATION_MS;
  gsize size;
  const guint8 *data = g_bytes_get_data (body, &size);
  guint64 fps = 0;
  LpMpegtsSpan span;

  *estimate = 0;
  if (duration_ms > self->config.props.max_segment_duration) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_FORBIDDEN, "duration: %u ms is longer "
        "than the %u ms accepted here (max-segment-duration)", duration_ms,
        self->config.props.max_segment_duration);
    return FALSE;
  }
  if (lp_mpegts_video_span (data, size, &span)) {
    guint64 ticks = (span.end - span.start) & LP_MPEGTS_TIMESTAMP_MASK;
    guint64 span_ms = ticks * 1000 / LP_MPEGTS_CLOCK_RATE;

    if (span_ms > duration_ms + duration_ms / 10 + DURATION_SLACK_MS) {
      lp_exchange_respond_text (exchange,
          SOUP_STATUS_BAD_REQUEST, "duration: %u ms "
          "declared, but the segment's video spans %" G_GUINT64_FORMAT
          " ms", duration_ms, span_ms);
      return FALSE;
    }
    fps = source_fps (&span);
  }
  return check_renditions (self, exchange, seg, duration_ms, fps, estimate);
}

/* Credits the payment's tickets (400 on a rejected payment) and, when we
 * charge, admits the segment only when the sender's credit covers its
 * estimated fee (@estimate pixels), which it takes until the work is
 * debited (400 "insufficient balance"); a capability job (no estimate)
 * needs a ticket's EV, as go-livepeer's. */
static gboolean
receive_tickets (GstLpOrchestrator * self, LpExchange * exchange,
    const LpPayment * payment, const LpAddress * sender)
{
  GError *error = NULL;
  guint credited = 0, won = 0;

  if (payment != NULL && payment->tickets->len > 0) {
    LpLedgerStatus status;
    LpSenderInfo info;
    gboolean ok;

    if (!ledger_view_status (self, &status, &error)
        || !ledger_view_require_active (self, &status, &error)) {
      lp_exchange_respond_text (exchange,
          SOUP_STATUS_BAD_REQUEST, "%s", error->message);
      g_error_free (error);
      return FALSE;
    }
    if (!ledger_view_sender_info (self, sender, &info, &error)) {
      lp_exchange_respond_text (exchange,
          SOUP_STATUS_SERVICE_UNAVAILABLE, "ledger: %s",
          error->message);
      g_error_free (error);
      return FALSE;
    }
    ok = lp_recipient_receive_payment (self->recipient, payment,
        CREDIT_ACCOUNT, &info, &credited, &won, &error);
    ORCH_LOCK (self);
    self->stats.tickets_received += payment->tickets->len;
    ORCH_UNLOCK (self);
    GST_LOG_OBJECT (self, "payment of %u tickets: %u credited, %u won",
        payment->tickets->len, credited, won);
    if (!ok) {
      lp_exchange_respond_text (exchange,
          SOUP_STATUS_BAD_REQUEST, "%s", error->message);
      g_error_free (error);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
check_payment (GstLpOrchestrator * self, LpExchange * exchange,
    const LpPayment * payment, const LpAddress * sender,
    const gchar * session_id, const LpPriceInfo * price, guint64 estimate)
{
  GError *error = NULL;

  if (!receive_tickets (self, exchange, payment, sender))
    return FALSE;
  if (price->price_per_unit > 0 && (estimate > 0 ?
          !lp_recipient_reserve (self->recipient, sender, CREDIT_ACCOUNT,
              estimate, price, &error) :
          !lp_recipient_check_balance (self->recipient, sender,
              CREDIT_ACCOUNT, price, &error))) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_BAD_REQUEST, "%s", error->message);
    g_error_free (error);
    return FALSE;
  }
  return TRUE;
}

/* go-livepeer's orchestrator sends 200 and its headers as soon as the
 * segment is accepted, before transcoding: its broadcaster counts them as
 * "upload done" and gives up when they take longer than max (2 s, half
 * the segment). The TranscodeResult follows as the chunked body, or an
 * error result does. */
static void
answer_headers_now (LpExchange * exchange)
{
  lp_exchange_respond_head (exchange, SOUP_STATUS_OK,
      "application/octet-stream");
}

/* The session for @seg's session id, started when it is new; NULL (with
 * the answer set) when capacity ran out meanwhile or the session belongs
 * to another sender. */
static Session *
get_session (GstLpOrchestrator * self, LpExchange * exchange,
    const LpSegData * seg, const LpAddress * sender,
    const LpCapability * capability)
{
  const gchar *id = seg->auth_token.session_id;
  gboolean started = FALSE, capability_full = FALSE;
  Session *session;

  ORCH_LOCK (self);
  session = g_hash_table_lookup (self->sessions, id);
  if (session == NULL && capability != NULL)
    capability_full = capability_full_locked (self, capability, sender);
  /* capacity goes to those who pay: this segment's fee is reserved, an
   * idle session's place is not */
  if (session == NULL && !self->stopping && !capability_full
      && g_hash_table_size (self->sessions) >= self->config.props.max_sessions)
    evict_idle_session_locked (self);
  if (session == NULL && !self->stopping && !capability_full
      && g_hash_table_size (self->sessions) < self->config.props.max_sessions) {
    session = session_new_locked (self, id, sender, capability);
    started = TRUE;
  }
  if (session != NULL && session->capability != capability) {
    ORCH_UNLOCK (self);
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_FORBIDDEN, "auth token: session %s is "
        "for %s", id, session->capability ? session->capability->name :
        "transcoding");
    return NULL;
  }
  if (session != NULL && !lp_address_equal (&session->sender, sender)) {
    ORCH_UNLOCK (self);
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_FORBIDDEN, "auth token: session %s "
        "belongs to another sender", id);
    return NULL;
  }
  if (session != NULL)
    session_ref (session);
  ORCH_UNLOCK (self);
  if (session == NULL && capability_full) {
    respond_capability_full (exchange, capability);
    return NULL;
  }
  if (session == NULL) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_FORBIDDEN, "OrchestratorCapped");
    return NULL;
  }
  if (started)
    post_session_started (self, session);
  return session;
}

/* An error result, go-livepeer's TranscodeResult with its error set */
static void
respond_result_error (LpExchange * exchange, guint64 seq, const gchar * error)
{
  LpTranscodeResult *result = lp_transcode_result_new ();
  LpProtoTranscodeResult *p;

  result->seq = seq;
  result->error = g_strdup (error);
  p = lp_wire_transcode_result_to_proto (result);
  respond_protobuf (exchange, lp_proto_transcode_result_encode (p));
  lp_proto_transcode_result_free (p);
  lp_transcode_result_free (result);
}

/* go-livepeer's ServeSegment: 1. the payment (402), 2. the segment's
 * credentials (403), 3. the body and the work it asks for, 4. and 5. the
 * tickets and the balance, which takes the estimated fee (400); then 200
 * at once and the TranscodeResult when the session's worker is done. */
void
serve_segment (GstLpOrchestrator * self, LpExchange * exchange)
{
  LpPayment *payment = NULL;
  LpSegData *seg = NULL;
  LpAddress sender;
  Session *session = NULL;
  GBytes *body = NULL;
  const LpCapability *capability = NULL;
  guint64 estimate = 0;
  gboolean busy;
  Job *job;

  if (g_strcmp0 (lp_exchange_get_method (exchange), SOUP_METHOD_POST) != 0) {
    lp_exchange_respond_text (exchange, SOUP_STATUS_METHOD_NOT_ALLOWED,
        "use POST with an MPEG-TS segment");
    return;
  }
  if ((payment = read_proto_payment (exchange)) == NULL
      || (seg = check_proto_credentials (self, exchange, payment, TRUE,
              &sender, &capability)) == NULL
      || (body = check_body (self, exchange, seg)) == NULL
      || !check_workload (self, exchange, seg, body, &estimate)
      || !check_payment (self, exchange, payment, &sender,
          seg->auth_token.session_id, price_of (self, capability), estimate))
    goto done;
  if (price_of (self, capability)->price_per_unit == 0)
    estimate = 0;               /* nothing was taken */
  session = get_session (self, exchange, seg, &sender, capability);
  if (session == NULL) {
    if (estimate > 0)
      lp_recipient_refund (self->recipient, &sender, CREDIT_ACCOUNT,
          estimate, price_of (self, capability));
    goto done;
  }

  job = g_new0 (Job, 1);
  job->session = session_ref (session);
  job->reserved = estimate;
  job->exchange = lp_exchange_ref (exchange);
  /* checked and pushed under one lock: a session that ends meanwhile
   * pushes its quit request after this job, never before it */
  ORCH_LOCK (self);
  busy = session->queued >= MAX_QUEUED_SEGMENTS || session->ended;
  if (!busy) {
    session->queued++;
    session->last_active = g_get_monotonic_time ();
    session->last_duration_ms = seg->duration_ms != 0 ? seg->duration_ms :
        DEFAULT_DURATION_MS;
    job->seg = g_steal_pointer (&seg);
    job->body = g_steal_pointer (&body);
    answer_headers_now (exchange);
    g_async_queue_push (job->session->jobs, job);
  }
  ORCH_UNLOCK (self);
  if (busy) {
    lp_exchange_unref (job->exchange);
    job_release (self, job);
    session_unref (job->session);
    g_free (job);
    respond_result_error (exchange, seg->seq, session->ended ?
        "OrchestratorBusy: the session is ending" : "OrchestratorBusy");
  }

done:
  if (session != NULL)
    session_unref (session);
  if (body != NULL)
    g_bytes_unref (body);
  if (seg != NULL)
    lp_seg_data_free (seg);
  if (payment != NULL)
    lp_payment_free (payment);
}

/* ------------------------------------------------------------------------ */
/* answers (server thread)                                                  */
/* ------------------------------------------------------------------------ */

/* Server thread: sends a job's answer and resumes the message. */
gboolean
complete_job (gpointer data)
{
  Job *job = data;
  GstLpOrchestrator *self = job->session->self;

  /* the headers went out when the segment was accepted; an answer to a
   * client that has gone is dropped */
  lp_exchange_respond_body (job->exchange, job->result_proto);
  ORCH_LOCK (self);
  job->session->queued--;
  job->session->last_active = g_get_monotonic_time ();
  ORCH_UNLOCK (self);
  job_free (job);
  return G_SOURCE_REMOVE;
}

/* ------------------------------------------------------------------------ */
/* go-livepeer's GET /stream/... and POST /payment                          */
/* ------------------------------------------------------------------------ */

/* A rendition of a segment, while the store keeps it;
 * 404 as Go's mux says it otherwise */
void
serve_rendition (GstLpOrchestrator * self, LpExchange * exchange)
{
  const gchar *method = lp_exchange_get_method (exchange);
  GBytes *data;

  if (g_strcmp0 (method, SOUP_METHOD_GET) != 0
      && g_strcmp0 (method, SOUP_METHOD_HEAD) != 0) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_METHOD_NOT_ALLOWED, "renditions are "
        "fetched with GET");
    return;
  }
  data = rendition_store_get (self->renditions,
      lp_exchange_get_path (exchange));
  if (data == NULL) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_NOT_FOUND, "404 page not found\n");
    return;
  }
  lp_exchange_respond (exchange, SOUP_STATUS_OK,
      rendition_content_type (lp_exchange_get_path (exchange)), data);
  g_bytes_unref (data);
}

/* go-livepeer's payment-only top-up: the Livepeer-Payment and
 * Livepeer-Segment (a signed dummy segment carrying the session's auth
 * token) of its dialect, checked as a segment's are (402, 403); the
 * tickets credited (400 when refused); the answer a PaymentResult with
 * fresh OrchestratorInfo, the session's auth token kept. */
void
serve_payment (GstLpOrchestrator * self, LpExchange * exchange)
{
  LpProtoPaymentResult *answer;
  LpOrchestratorInfo *info;
  LpPayment *payment;
  LpSegData *seg = NULL;
  GError *error = NULL;
  LpAddress sender;
  const LpCapability *job = NULL;

  if (g_strcmp0 (lp_exchange_get_method (exchange), SOUP_METHOD_POST) != 0) {
    lp_exchange_respond_text (exchange,
        SOUP_STATUS_METHOD_NOT_ALLOWED, "use POST with "
        "Livepeer-Payment and Livepeer-Segment");
    return;
  }
  if ((payment = read_proto_payment (exchange)) == NULL)
    return;
  if ((seg = check_proto_credentials (self, exchange, payment, FALSE,
              &sender, &job)) == NULL
      || !receive_tickets (self, exchange, payment, &sender))
    goto done;
  info = make_orchestrator_info (self, &sender, &seg->auth_token,
      price_of (self, job), &error);
  if (info == NULL) {
    GST_WARNING_OBJECT (self, "payment: no orchestrator info: %s",
        error->message);
    lp_exchange_respond_text (exchange, SOUP_STATUS_INTERNAL_SERVER_ERROR,
        "Internal Server Error");
    g_error_free (error);
    goto done;
  }
  answer = lp_proto_payment_result_new ();
  answer->info = orchestrator_info_to_proto (self, info);
  respond_protobuf (exchange, lp_proto_payment_result_encode (answer));
  lp_proto_payment_result_free (answer);
  lp_orchestrator_info_free (info);

done:
  lp_seg_data_free (seg);
  lp_payment_free (payment);
}

/* ------------------------------------------------------------------------ */
/* GET /metrics                                                             */
/* ------------------------------------------------------------------------ */

static void
handle_metrics (SoupServer * server, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer user_data)
{
  GstLpOrchestrator *self = user_data;
  gsize length;
  gchar *text = metrics_text (self, &length);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain; version=0.0.4",
      SOUP_MEMORY_TAKE, text, length);
}

/* ------------------------------------------------------------------------ */
/* the servers                                                              */
/* ------------------------------------------------------------------------ */

/* Any other path, our former JSON dialect's /getOrchestrator and
 * /endSession among them: Go's mux answers 404 with these words */
static void
handle_not_found (SoupServer * server, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer user_data)
{
  g_autoptr (LpExchange) exchange = lp_exchange_new_soup (msg);

  lp_exchange_respond_text (exchange, SOUP_STATUS_NOT_FOUND,
      "404 page not found\n");
}

/* HTTP/1.1's ways in to the handlers (HTTP/2's are in lporchgrpc.c) */
SOUP_HANDLER (handle_segment, serve_segment)
SOUP_HANDLER (handle_stream, serve_rendition)
SOUP_HANDLER (handle_payment, serve_payment)

static gpointer
server_thread (gpointer data)
{
  GstLpOrchestrator *self = data;

  g_main_context_push_thread_default (self->context);
  g_main_loop_run (self->loop);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* A server listening on address:port in our context (the caller pushed
 * it), behind our connection layer (lpserver.c: why not libsoup's own
 * listener); sets @connections and @bound_port. */
static SoupServer *
listen_on (GstLpOrchestrator * self, guint port, LpServer ** connections,
    guint * bound_port)
{
  const Settings *props = &self->config.props;
  SoupServer *server = soup_server_new ("server-header", "lporchestrator ",
      NULL);
  GInetAddress *ip = g_inet_address_new_from_string (props->address);
  LpServerLimits limits = {
    .max_connections = props->max_connections,
    .idle_timeout_ms = props->idle_timeout,
    .max_header_size = LP_SERVER_MAX_HEADER_SIZE,
    .max_header_count = LP_SERVER_MAX_HEADER_COUNT,
    .max_body_size = MAX_SMALL_BODY_SIZE,
  };
  GError *error = NULL;

  if (ip == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("address: '%s' is not an IP address", props->address), (NULL));
    g_object_unref (server);
    return NULL;
  }
  *connections = lp_server_new (server, &limits);
  lp_server_set_body_limit (*connections, "/segment",
      props->max_segment_size);
  if (!lp_server_listen (*connections, ip, port, bound_port, &error)) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
        ("Could not listen on %s port %u: %s", self->config.props.address, port,
            error->message), (NULL));
    g_error_free (error);
    g_clear_pointer (connections, lp_server_free);
    g_clear_object (&server);
  }
  g_object_unref (ip);
  return server;
}

gboolean
start_server (GstLpOrchestrator * self)
{
  Settings *props = &self->config.props;
  guint port = 0, metrics_port = 0;

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->renditions = rendition_store_new (props->rendition_lifetime);
  self->sweep = g_timeout_source_new_seconds (1);
  g_source_set_callback (self->sweep, rendition_store_sweep, self->renditions,
      NULL);
  g_source_attach (self->sweep, self->context);
  /* the servers attach their sources to the thread-default context */
  g_main_context_push_thread_default (self->context);
  self->server = listen_on (self, self->config.props.port, &self->connections,
      &port);
  if (self->server != NULL) {
    soup_server_add_early_handler (self->server, "/segment",
        handle_segment_early, self, NULL);
    soup_server_add_handler (self->server, "/segment", handle_segment, self,
        NULL);
    soup_server_add_handler (self->server, NULL, handle_not_found, self, NULL);
    soup_server_add_handler (self->server, "/stream", handle_stream, self,
        NULL);
    soup_server_add_handler (self->server, "/payment", handle_payment, self,
        NULL);
    /* gRPC on the same port (lporchgrpc.c) */
    if (!start_grpc (self, self->connections)) {
      g_clear_pointer (&self->connections, lp_server_free);
      g_clear_object (&self->server);
    }
  }
  if (self->server != NULL && self->config.props.metrics_port != 0) {
    self->metrics_server = listen_on (self, self->config.props.metrics_port,
        &self->metrics_connections, &metrics_port);
    if (self->metrics_server != NULL)
      soup_server_add_handler (self->metrics_server, "/metrics",
          handle_metrics, self, NULL);
  }
  g_main_context_pop_thread_default (self->context);
  if (self->server == NULL || (self->config.props.metrics_port != 0
          && self->metrics_server == NULL))
    return FALSE;

  if (props->service_uri == NULL || props->service_uri[0] == 0) {
    g_free (props->service_uri);
    props->service_uri = g_strdup_printf ("%s://%s:%u",
        props->tls ? "https" : "http", props->address, port);
  }
  self->server_thread = g_thread_new ("lporch-http", server_thread, self);
  GST_OBJECT_LOCK (self);
  self->current_port = port;
  GST_OBJECT_UNLOCK (self);
  g_object_notify (G_OBJECT (self), "current-port");
  GST_INFO_OBJECT (self, "serving on %s", self->config.props.service_uri);
  return TRUE;
}

gboolean
disconnect_servers (gpointer data)
{
  GstLpOrchestrator *self = data;

  g_clear_pointer (&self->connections, lp_server_free);
  g_clear_pointer (&self->metrics_connections, lp_server_free);
  stop_grpc (self);
  soup_server_disconnect (self->server);
  if (self->metrics_server != NULL)
    soup_server_disconnect (self->metrics_server);
  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

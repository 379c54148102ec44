/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * LpBroadcaster (lpbroadcaster.h): each slot's session with each
 * orchestrator, payment, one attempt (pay, send, check) and a segment's
 * failover across orchestrators; the end of the sessions when a stream
 * stops; the broadcaster's life. The orchestrator table, discovery and the
 * sender watcher are in lpbroadcaster-discovery.c, the struct and what
 * the two files share in lpbroadcaster-private.h.
 *
 * Locks: `lock` guards what the struct lists under it. It is held around
 * the updates and reads of the selection (each MT safe, with a mutex of
 * its own taken inside this one), never across HTTP, a ledger read (a
 * request to the node on a chain), the sender, the balances or the
 * listener, and never while taking a lock of the caller. Functions named
 * _locked are called with it held. The sender watcher's lock (a chain's
 * deposit and reserve) is a leaf.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <json-glib/json-glib.h>

#include "lpbroadcaster-private.h"

/* shared with lpbroadcaster-discovery.c (lpbroadcaster-private.h) */
GST_DEBUG_CATEGORY (lp_broadcaster_debug);

/* go-livepeer's SubmitSegment: the whole exchange of a segment (upload,
 * transcoding, answer) within max (common.HTTPTimeout = 8 s, 4 × the
 * segment's duration). Its other limit, 0.5 × the duration until the
 * answer's status, does not fit lporchestrator, which answers once the
 * segment is transcoded. */
#define SEGMENT_TIMEOUT_MIN_MS 8000
#define SEGMENT_TIMEOUT_MULTIPLIER 4
/* all /endSession requests of a stop, together: the stop (PAUSED to
 * READY) waits this long at most for orchestrators to take them */
#define END_SESSION_TIMEOUT_MS 2000
/* a segment's answer, when max-answer-size is 0: each rendition at this
 * many times its profile's bitrate over the segment's whole seconds, plus
 * the slack (container overhead, an encoder's overshoot on a short
 * segment); a rendition without a bitrate (a job's video) this many times
 * the source segment, plus the slack */
#define ANSWER_HEADROOM 8
#define ANSWER_PART_SLACK (1024 * 1024)

static void
orchestrator_free (Orchestrator * orch)
{
  guint i;

  g_free (orch->uri);
  for (i = 0; i < orch->n_infos; i++)
    if (orch->infos[i] != NULL)
      lp_orchestrator_info_free (orch->infos[i]);
  g_free (orch->infos);
  g_free (orch->accepted);
  g_free (orch);
}

/* ------------------------------------------------------------------------ */
/* Outcomes */

/* Forgets what a failed attempt left (the next one starts afresh). */
static void
outcome_reset_attempt (LpBroadcastOutcome * out)
{
  g_clear_pointer (&out->renditions, g_ptr_array_unref);
  g_clear_pointer (&out->infos, g_array_unref);
  g_clear_pointer (&out->fee, lp_rational_free);
  g_clear_pointer (&out->analysis, g_bytes_unref);
  out->pixels = 0;
}

/**
 * lp_broadcast_outcome_clear:
 * @outcome: an outcome
 *
 * Frees what @outcome holds.
 */
void
lp_broadcast_outcome_clear (LpBroadcastOutcome * outcome)
{
  outcome_reset_attempt (outcome);
  g_clear_pointer (&outcome->reason, g_free);
  g_clear_pointer (&outcome->orchestrator, g_free);
}

/* ------------------------------------------------------------------------ */
/* One attempt: pay, send, check */

/* What one attempt leaves behind besides the segment's outcome. */
typedef struct
{
  gboolean fatal;               /* the stream cannot go on (no funds) */
  guint tickets;
} Attempt;

static gchar *
segment_header (LpBroadcaster * self, const LpOrchestratorInfo * info,
    const LpBroadcastSegment * seg, GError ** error)
{
  g_autoptr (LpSegData) data = lp_seg_data_new ();
  gsize size;
  const guint8 *bytes = g_bytes_get_data (seg->data, &size);
  guint i;

  data->manifest_id = g_strdup (self->config.manifest_id);
  data->seq = seg->seq;
  lp_keccak256 (bytes, size, data->hash);
  data->duration_ms = seg->duration_ms;
  /* a job asks for its capability (in the header), no renditions */
  for (i = 0; self->job == NULL && i < self->profiles->len; i++)
    g_ptr_array_add (data->profiles,
        lp_profile_copy (g_ptr_array_index (self->profiles, i)));
  data->auth_token = info->auth_token;
  if (!lp_seg_data_sign (data, self->key, error))
    return NULL;
  return lp_broadcast_seg_data_to_header (data, self->job);
}

static LpRational *
estimate_fee (LpBroadcaster * self, const LpOrchestratorInfo * info,
    const LpBroadcastSegment * seg, GError ** error)
{
  LpFeeRendition *renditions = g_new0 (LpFeeRendition,
      MAX (self->profiles->len, 1));
  LpRational *fee;
  guint i;

  if (self->job != NULL) {
    /* one "rendition" whose pixels are the job's units */
    LpFeeRendition *r = &renditions[0];

    r->fps_num = seg->fps_num > 0 ? seg->fps_num : 30;
    r->fps_den = seg->fps_den > 0 ? seg->fps_den : 1;
    r->width = r->height = 1;
    if (self->job->unit == LP_JOB_UNIT_PIXELS) {
      r->width = MAX (seg->width, 1);
      r->height = MAX (seg->height, 1);
    } else if (self->job->unit == LP_JOB_UNIT_SECONDS) {
      r->width = 1000;          /* milliseconds a second */
      r->fps_num = r->fps_den = 1;
    }
    fee = lp_sender_estimate_fee (renditions, 1, seg->duration_ms,
        &info->price_info, error);
    g_free (renditions);
    return fee;
  }
  for (i = 0; i < self->profiles->len; i++) {
    const LpProfile *p = g_ptr_array_index (self->profiles, i);

    renditions[i].width = p->width;
    renditions[i].height = p->height;
    renditions[i].fps_num = p->fps_num;
    renditions[i].fps_den = p->fps_den;
  }
  fee = lp_sender_estimate_fee (renditions, self->profiles->len,
      seg->duration_ms, &info->price_info, error);
  g_free (renditions);
  return fee;
}

static gboolean
payment_error_is_fatal (const GError * error)
{
  return g_error_matches (error, LP_PAYMENT_ERROR, LP_PAYMENT_ERROR_NO_DEPOSIT)
      || g_error_matches (error, LP_PAYMENT_ERROR, LP_PAYMENT_ERROR_NO_RESERVE)
      || g_error_matches (error, LP_PAYMENT_ERROR,
      LP_PAYMENT_ERROR_UNLOCK_SOON);
}

/* The Livepeer-Payment header for one segment to @info: tickets enough to
 * cover the estimated fee beyond the credit held there. Stages the
 * balance update the answer completes. */
static gchar *
payment_header (LpBroadcaster * self, const LpOrchestratorInfo * info,
    const LpBroadcastSegment * seg, LpBalanceUpdate ** update,
    Attempt * attempt, GError ** error)
{
  g_autoptr (LpRational) fee = NULL, ev = NULL;
  g_autofree gchar *session = NULL;
  LpPayment *payment;
  LpSenderInfo sinfo;
  gchar *header;

  session = lp_sender_start_session (self->sender, &info->ticket_params,
      &info->price_info, error);
  if (session == NULL)
    return NULL;
  fee = estimate_fee (self, info, seg, error);
  if (fee == NULL)
    return NULL;
  ev = lp_sender_get_ticket_ev (self->sender, session, error);
  if (ev == NULL || !sender_info (self, &sinfo, error))
    return NULL;
  *update = lp_balances_stage_update (self->balances,
      &info->ticket_params.recipient, info->auth_token.session_id, fee, ev,
      g_get_monotonic_time (), error);
  if (*update == NULL)
    return NULL;
  payment = lp_sender_create_payment (self->sender, session,
      lp_balance_update_get_num_tickets (*update), &sinfo, error);
  if (payment == NULL) {
    attempt->fatal = payment_error_is_fatal (*error);
    lp_balances_complete_update (self->balances, *update,
        LP_BALANCE_UPDATE_STAGED, 0, &info->price_info,
        g_get_monotonic_time (), NULL);
    *update = NULL;
    return NULL;
  }
  attempt->tickets = payment->tickets->len;
  header = lp_wire_payment_to_proto_header (payment);
  lp_payment_free (payment);
  return header;
}

/* In go-livepeer's dialect the segment's signer is Payment.sender, so a
 * segment to a free orchestrator still carries a Payment: the sender
 * alone, no tickets (lporchestrator, like go-livepeer on a chain, refuses
 * a segment without one with ErrSegSig) */
static gchar *
sender_only_payment_header (LpBroadcaster * self,
    const LpOrchestratorInfo * info)
{
  g_autoptr (LpPayment) payment = lp_payment_new ();

  payment->sender = *lp_private_key_get_address (self->key);
  if (info->has_price_info)
    payment->expected_price = info->price_info;
  return lp_wire_payment_to_proto_header (payment);
}

static gboolean
price_acceptable (LpBroadcaster * self, const gchar * uri,
    const LpOrchestratorInfo * info, GError ** error)
{
  g_autofree gchar *now = NULL, *before = NULL, *cap = NULL;
  Orchestrator *orch;
  gboolean doubled = FALSE;

  if (!info->has_price_info)
    return TRUE;
  if (!lp_price_within_cap (&info->price_info, &self->config.max_price)) {
    now = price_text (&info->price_info);
    cap = price_text (&self->config.max_price);
    g_set_error (error, LP_SELECTION_ERROR, LP_SELECTION_ERROR_OVER_PRICE,
        "%s asks %s, over max-price-per-unit (%s)", uri, now, cap);
    return FALSE;
  }
  LOCK (self);
  orch = get_orchestrator_locked (self, uri);
  if (!orch->has_initial_price) {
    orch->has_initial_price = TRUE;
    orch->initial_price = info->price_info;
  } else {
    doubled = lp_price_more_than_doubled (&orch->initial_price,
        &info->price_info);
    before = price_text (&orch->initial_price);
  }
  UNLOCK (self);
  if (doubled) {
    now = price_text (&info->price_info);
    g_set_error (error, LP_SELECTION_ERROR, LP_SELECTION_ERROR_OVER_PRICE,
        "Orchestrator price has more than doubled: %s asked %s, now %s", uri,
        before, now);
  }
  return !doubled;
}

/* Keeps the fresh ticket parameters and price an answer carries (the
 * auth token stays the one of the session, which the orchestrator has
 * now run). */
static void
refresh_info_from_result (LpBroadcaster * self, LpBroadcasterWorker * worker,
    const gchar * uri, const LpOrchestratorInfo * current,
    const LpTranscodeResult * result)
{
  LpOrchestratorInfo *info;
  Orchestrator *orch;

  if (result->info == NULL)
    return;
  info = lp_orchestrator_info_copy (current);
  info->has_ticket_params = result->info->has_ticket_params;
  info->ticket_params = result->info->ticket_params;
  info->has_price_info = result->info->has_price_info;
  info->price_info = result->info->price_info;
  LOCK (self);
  orch = get_orchestrator_locked (self, uri);
  if (orch->infos[worker->slot] != NULL)
    lp_orchestrator_info_free (orch->infos[worker->slot]);
  orch->infos[worker->slot] = info;
  orch->accepted[worker->slot] = TRUE;
  UNLOCK (self);
}

static const gchar *
verify_nick (LpBroadcastVerify verify)
{
  return verify == LP_BROADCAST_VERIFY_QUALITY ? "quality" :
      verify == LP_BROADCAST_VERIFY_PIXELS ? "pixels" :
      verify == LP_BROADCAST_VERIFY_SIGNATURE ? "signature" : "none";
}

/* lpverify over the segment and its renditions: the first rendition that
 * fails makes the answer fail. */
static gboolean
check_quality (LpBroadcaster * self, LpSegmentResponse * response,
    const LpBroadcastSegment * seg, GError ** error)
{
  GstStructure *result = lp_rendition_check_quality (seg->data,
      (GBytes * const *) response->renditions->pdata,
      response->renditions->len, error);
  const GValue *renditions;
  gboolean pass = TRUE;
  guint i;

  if (result == NULL)
    return FALSE;
  renditions = gst_structure_get_value (result, "renditions");
  for (i = 0; pass && i < gst_value_array_get_size (renditions); i++) {
    const GstStructure *r = gst_value_get_structure
        (gst_value_array_get_value (renditions, i));
    const LpProfile *p = g_ptr_array_index (self->profiles, i);
    gdouble psnr = 0, ssim = 0;

    if (g_strcmp0 (gst_structure_get_string (r, "verdict"), "pass") == 0)
      continue;
    gst_structure_get_double (r, "psnr-y-mean", &psnr);
    gst_structure_get_double (r, "ssim-y-mean", &ssim);
    g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_RENDITION,
        "QualityMismatch: %s fails lpverify's %s check (PSNR-Y %.1f dB, "
        "SSIM-Y %.3f)", p->name, gst_structure_get_string (r, "reason"),
        psnr, ssim);
    pass = FALSE;
  }
  gst_structure_free (result);
  return pass;
}

static guint64 reported_pixels (const LpTranscodeResult * result);

/* A job's answer: its units and its metadata part, which must be a JSON
 * object with a `messages` array */
/* Whether @units, billed for @seg by a job's unit, are what the segment
 * holds: its frames, their pixels, or its duration in ms within a frame */
static gboolean
units_match (LpBroadcaster * self, const LpBroadcastSegment * seg,
    guint64 units, guint64 * expected)
{
  guint64 frame_ms = seg->fps_num > 0 ?
      (guint64) (1000 * seg->fps_den + seg->fps_num - 1) / seg->fps_num : 1000;

  switch (self->job->unit) {
    case LP_JOB_UNIT_FRAMES:
      *expected = seg->frames;
      return units == *expected;
    case LP_JOB_UNIT_PIXELS:
      *expected = (guint64) seg->frames * seg->width * seg->height;
      return units == *expected;
    case LP_JOB_UNIT_SECONDS:
      *expected = seg->duration_ms;
      return units <= *expected + frame_ms && units + frame_ms >= *expected;
  }
  *expected = 0;
  return FALSE;
}

static gboolean
take_analysis (LpBroadcaster * self, LpSegmentResponse * response,
    const LpBroadcastSegment * seg, LpBroadcastOutcome * out, GError ** error)
{
  g_autoptr (JsonParser) parser = NULL;
  GBytes *part;
  JsonNode *root;
  gsize size;
  const gchar *data;
  guint64 expected = 0;

  out->pixels = reported_pixels (response->result);
  if (self->config.verify >= LP_BROADCAST_VERIFY_PIXELS
      && !units_match (self, seg, out->pixels, &expected)) {
    g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_RENDITION,
        "UnitMismatch: %s billed %" G_GUINT64_FORMAT " %s for a segment of %"
        G_GUINT64_FORMAT, self->job->name, out->pixels,
        lp_job_unit_to_string (self->job->unit), expected);
    return FALSE;
  }
  if (!(self->job->outputs & LP_JOB_OUTPUT_METADATA))
    return TRUE;
  part = g_ptr_array_index (response->renditions, self->profiles->len);
  data = g_bytes_get_data (part, &size);
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, size, NULL)
      || (root = json_parser_get_root (parser)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "messages")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member
          (json_node_get_object (root), "messages"))) {
    g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_RENDITION,
        "the %s metadata is not a JSON object with a messages array",
        self->job->name);
    return FALSE;
  }
  out->analysis = g_bytes_ref (part);
  out->analysis_messages = json_array_get_length (json_object_get_array_member
      (json_node_get_object (root), "messages"));
  return TRUE;
}

static gboolean
verify_answer (LpBroadcaster * self, const LpOrchestratorInfo * info,
    LpSegmentResponse * response, const LpBroadcastSegment * seg,
    LpBroadcastOutcome * out, GError ** error)
{
  LpBroadcastVerify verify = self->config.verify;
  guint i, n = response->renditions->len;

  if (verify >= LP_BROADCAST_VERIFY_SIGNATURE
      && !lp_transcode_result_verify (response->result, &info->address,
          (GBytes * const *) response->renditions->pdata, n, error)) {
    g_prefix_error (error, "PM Check Failed: ");
    return FALSE;
  }
  out->infos = g_array_sized_new (FALSE, TRUE, sizeof (LpRenditionInfo), n);
  g_array_set_clear_func (out->infos, (GDestroyNotify)
      lp_rendition_info_clear);
  /* the renditions (a job's video); a job's metadata comes after them */
  for (i = 0; i < self->profiles->len; i++) {
    const LpProfile *p = g_ptr_array_index (self->profiles, i);
    LpTranscodedSegment *reported = &g_array_index
        (response->result->segments, LpTranscodedSegment, i);
    LpRenditionInfo ri;

    if (!lp_rendition_inspect (g_ptr_array_index (response->renditions, i),
            verify >= LP_BROADCAST_VERIFY_PIXELS, &ri, error)) {
      g_prefix_error (error, "%s: ", p->name);
      return FALSE;
    }
    g_array_append_val (out->infos, ri);
    if (self->job != NULL)
      continue;                 /* a job reports units, not pixels */
    if (verify >= LP_BROADCAST_VERIFY_PIXELS && ri.pixels != reported->pixels) {
      g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_RENDITION,
          "PixelMismatch: %s decodes to %" G_GUINT64_FORMAT " pixels "
          "(%u frames of %ux%u), the orchestrator reported %" G_GUINT64_FORMAT,
          p->name, ri.pixels, ri.frames, ri.width, ri.height, reported->pixels);
      return FALSE;
    }
    out->pixels += reported->pixels;
  }
  out->verified = verify_nick (MIN (verify, LP_BROADCAST_VERIFY_PIXELS));
  if (self->job != NULL)
    return take_analysis (self, response, seg, out, error);
  if (verify == LP_BROADCAST_VERIFY_QUALITY
      && g_random_double () < self->config.verify_sample_rate) {
    if (!check_quality (self, response, seg, error))
      return FALSE;
    out->verified = "quality";
  }
  return TRUE;
}

static guint64
reported_pixels (const LpTranscodeResult * result)
{
  guint64 pixels = 0;
  guint i;

  for (i = 0; i < result->segments->len; i++)
    pixels += g_array_index (result->segments, LpTranscodedSegment, i).pixels;
  return pixels;
}

/* The parts of an answer: one per rendition, or a job's outputs */
static guint
expected_parts (LpBroadcaster * self)
{
  if (self->job == NULL)
    return self->profiles->len;
  return self->profiles->len +
      ((self->job->outputs & LP_JOB_OUTPUT_METADATA) ? 1 : 0);
}

/* segment-timeout, or go-livepeer's rule (SEGMENT_TIMEOUT_*) */
static guint
segment_timeout (LpBroadcaster * self, const LpBroadcastSegment * seg)
{
  if (self->config.segment_timeout_ms > 0)
    return self->config.segment_timeout_ms;
  return MAX (SEGMENT_TIMEOUT_MIN_MS, SEGMENT_TIMEOUT_MULTIPLIER *
      seg->duration_ms);
}

/* max-answer-size, or what the renditions asked for can reasonably be
 * (ANSWER_*): the answer is held whole to be checked, so it is capped */
static gsize
answer_limit (LpBroadcaster * self, const LpBroadcastSegment * seg)
{
  guint64 seconds = (seg->duration_ms + 999) / 1000;
  guint64 limit = LP_WIRE_MAX_JSON_SIZE;        /* the TranscodeResult */
  guint i;

  if (self->config.max_answer_size > 0)
    return (gsize) self->config.max_answer_size;
  for (i = 0; i < self->profiles->len; i++) {
    const LpProfile *p = g_ptr_array_index (self->profiles, i);

    limit += ANSWER_PART_SLACK + ANSWER_HEADROOM * (p->bitrate > 0 ?
        (guint64) p->bitrate / 8 * seconds : g_bytes_get_size (seg->data));
  }
  if (self->job != NULL && (self->job->outputs & LP_JOB_OUTPUT_METADATA))
    limit += LP_WIRE_MAX_JSON_SIZE;
  return (gsize) MIN (limit, G_MAXUINT32);
}

static gboolean
attempt_segment (LpBroadcaster * self, LpBroadcasterWorker * worker,
    const gchar * uri, const LpBroadcastSegment * seg, LpBroadcastOutcome * out,
    Attempt * attempt, GError ** error)
{
  g_autoptr (LpOrchestratorInfo) info = NULL;
  g_autoptr (LpSegmentResponse) response = NULL;
  g_autofree gchar *seg_header = NULL, *pay_header = NULL;
  LpBalanceUpdate *update = NULL;
  gboolean paid, retried = FALSE;
  GError *local = NULL;

again:
  info = current_info (self, worker, uri, retried, error);
  if (info == NULL || !price_acceptable (self, uri, info, error))
    return FALSE;
  paid = info->has_ticket_params && info->has_price_info
      && info->price_info.price_per_unit > 0;
  seg_header = segment_header (self, info, seg, error);
  if (seg_header == NULL)
    return FALSE;
  if (paid) {
    pay_header = payment_header (self, info, seg, &update, attempt, &local);
    if (pay_header == NULL) {
      /* used-up or expired parameters: ask for fresh ones, once */
      if (!retried && (g_error_matches (local, LP_PAYMENT_ERROR,
                  LP_PAYMENT_ERROR_PARAMS_EXPIRED)
              || g_error_matches (local, LP_PAYMENT_ERROR,
                  LP_PAYMENT_ERROR_TOO_MANY_TICKETS))) {
        g_clear_error (&local);
        g_clear_pointer (&info, lp_orchestrator_info_free);
        g_clear_pointer (&seg_header, g_free);
        retried = TRUE;
        goto again;
      }
      g_propagate_prefixed_error (error, local, "payment: ");
      return FALSE;
    }
  } else {
    pay_header = sender_only_payment_header (self, info);
  }
  response = lp_broadcast_submit_proto (worker->client, info->transcoder, seg_header, pay_header, seg->data,
      expected_parts (self), segment_timeout (self, seg),
      answer_limit (self, seg), self->cancellable, error);
  if (update != NULL) {
    lp_balances_complete_update (self->balances, update, response ?
        LP_BALANCE_UPDATE_RECEIVED_CHANGE : LP_BALANCE_UPDATE_CREDIT_SPENT,
        response ? reported_pixels (response->result) : 0, &info->price_info,
        g_get_monotonic_time (), NULL);
    update = NULL;
  }
  if (response == NULL)
    return FALSE;
  refresh_info_from_result (self, worker, uri, info, response->result);
  if (!verify_answer (self, info, response, seg, out, error)) {
    outcome_reset_attempt (out);
    return FALSE;
  }
  out->renditions = g_ptr_array_ref (response->renditions);
  out->latency = response->total_us * GST_USECOND;
  out->fee = info->has_price_info ? lp_rational_new_price (&info->price_info,
      out->pixels, NULL) : lp_rational_new ();
  if (out->fee == NULL)
    out->fee = lp_rational_new ();
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Dispatch: failover across orchestrators */

/* A capacity refusal: the orchestrator runs as many sessions as it may,
 * and this thread's is not one of them. The stream may still hold others
 * there (other threads' slots): the segment goes through one of them,
 * which this thread then shares (go-livepeer's broadcaster holds one
 * session per orchestrator for a stream), rather than being lost or moved
 * to another orchestrator. */

/* Copies into @worker's slot the session of another slot at @uri not in
 * @tried: one the orchestrator has run if any, else any held. FALSE when
 * none is left. */
static gboolean
share_held_session (LpBroadcaster * self, LpBroadcasterWorker * worker,
    const gchar * uri, gboolean * tried)
{
  Orchestrator *orch;
  const LpOrchestratorInfo *own;
  gint best = -1;
  guint i;

  LOCK (self);
  orch = g_hash_table_lookup (self->orchs, uri);
  own = orch != NULL ? orch->infos[worker->slot] : NULL;
  for (i = 0; orch != NULL && i < orch->n_infos; i++) {
    if (i == worker->slot || tried[i] || orch->infos[i] == NULL)
      continue;
    /* the very session just refused */
    if (own != NULL && g_str_equal (orch->infos[i]->auth_token.session_id,
            own->auth_token.session_id))
      continue;
    if (best < 0 || (orch->accepted[i] && !orch->accepted[best]))
      best = i;
  }
  if (best >= 0) {
    tried[best] = TRUE;
    if (orch->infos[worker->slot] != NULL)
      lp_orchestrator_info_free (orch->infos[worker->slot]);
    orch->infos[worker->slot] = lp_orchestrator_info_copy (orch->infos[best]);
    orch->accepted[worker->slot] = orch->accepted[best];
  }
  UNLOCK (self);
  return best >= 0;
}

/* Forgets @worker's session at @uri: its next segment there asks for a
 * new one rather than resending one the orchestrator refused. */
static void
forget_session (LpBroadcaster * self, LpBroadcasterWorker * worker,
    const gchar * uri)
{
  Orchestrator *orch;

  LOCK (self);
  orch = g_hash_table_lookup (self->orchs, uri);
  if (orch != NULL) {
    g_clear_pointer (&orch->infos[worker->slot], lp_orchestrator_info_free);
    orch->accepted[worker->slot] = FALSE;
  }
  UNLOCK (self);
}

/* After attempt_segment() failed with @error: a capacity refusal is
 * tried again through each session held at @uri in turn. */
static gboolean
attempt_in_held_session (LpBroadcaster * self, LpBroadcasterWorker * worker,
    const gchar * uri, const LpBroadcastSegment * seg, LpBroadcastOutcome * out,
    Attempt * attempt, GError ** error)
{
  g_autofree gboolean *tried = NULL;
  gboolean ok = FALSE;

  if (!g_error_matches (*error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_CAPPED))
    return FALSE;
  tried = g_new0 (gboolean, MAX (self->config.slots, 1));
  while (!ok && g_error_matches (*error, LP_BROADCAST_ERROR,
          LP_BROADCAST_ERROR_CAPPED)
      && share_held_session (self, worker, uri, tried)) {
    Attempt more = { 0, };

    GST_INFO ("segment %" G_GUINT64_FORMAT ": %s (%s), sent "
        "through a session the stream holds there", seg->seq, uri,
        (*error)->message);
    g_clear_error (error);
    ok = attempt_segment (self, worker, uri, seg, out, &more, error);
    attempt->tickets += more.tickets;
    attempt->fatal |= more.fatal;
  }
  if (!ok && g_error_matches (*error, LP_BROADCAST_ERROR,
          LP_BROADCAST_ERROR_CAPPED))
    forget_session (self, worker, uri);
  return ok;
}

/**
 * lp_broadcaster_transcode:
 * @broadcaster: a started broadcaster
 * @worker: the calling thread's worker
 * @segment: the segment
 * @outcome: (out caller-allocates): zeroed; what became of it
 *
 * Sends @segment to an orchestrator after another (at most max_attempts),
 * paying each as it must, until one answers with renditions that pass the
 * checks. Each failed attempt suspends its orchestrator and is reported
 * to the listener's failover (unless interrupted); a payment that cannot
 * be made for lack of funds ends the tries and is reported to cannot_pay.
 * Blocks for the attempts' deadlines at most.
 *
 * Returns: @outcome->ok
 */
gboolean
lp_broadcaster_transcode (LpBroadcaster * self, LpBroadcasterWorker * worker,
    const LpBroadcastSegment * seg, LpBroadcastOutcome * out)
{
  GPtrArray *tried = g_ptr_array_new_with_free_func (g_free);
  gchar *reason = NULL;
  guint attempt;

  g_ptr_array_add (tried, NULL);
  for (attempt = 1; attempt <= self->config.max_attempts; attempt++) {
    Attempt state = { 0, };
    GError *error = NULL;
    gchar *uri;
    gboolean ok;
    Orchestrator *orch;

    if (g_cancellable_is_cancelled (self->cancellable)) {
      g_free (reason);
      reason = g_strdup ("the element stopped");
      break;
    }
    maybe_refresh_pool (self);
    uri = lp_selection_pick (self->selection,
        (const gchar * const *) tried->pdata, &error);
    if (uri == NULL) {
      if (reason == NULL || attempt == 1) {
        g_free (reason);
        reason = g_strdup (error->message);
      }
      g_error_free (error);
      break;
    }
    out->attempts = attempt;
    ok = attempt_segment (self, worker, uri, seg, out, &state, &error)
        || attempt_in_held_session (self, worker, uri, seg, out, &state,
        &error);
    out->tickets += state.tickets;
    LOCK (self);
    orch = get_orchestrator_locked (self, uri);
    if (ok)
      orch->segments++;
    else
      orch->failures++;
    UNLOCK (self);
    if (ok) {
      lp_selection_report_success (self->selection, uri,
          (gdouble) out->latency / (MAX (1500, seg->duration_ms) *
              GST_MSECOND));
      out->ok = TRUE;
      out->orchestrator = uri;
      g_ptr_array_unref (tried);
      g_free (reason);
      return TRUE;
    }
    g_free (reason);
    reason = g_strdup_printf ("%s: %s", uri, error->message);
    if (!g_cancellable_is_cancelled (self->cancellable)) {
      if (self->listener.failover != NULL)
        self->listener.failover (seg->seq, uri, attempt, error->message,
            self->user_data);
      lp_selection_suspend (self->selection, uri);
    }
    if (state.fatal && self->listener.cannot_pay != NULL)
      self->listener.cannot_pay (error->message, self->user_data);
    g_error_free (error);
    out->failures++;
    g_ptr_array_insert (tried, tried->len - 1, uri);
    if (state.fatal)
      break;
  }
  out->reason = reason;
  g_ptr_array_unref (tried);
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* The end of a stream */

/* The sessions held at one orchestrator, ended by a thread of its own:
 * one that never answers delays no other. */
typedef struct
{
  LpBroadcaster *self;
  gchar *uri;
  GArray *tokens;               /* LpAuthToken */
  gint64 deadline;              /* monotonic, microseconds */
  GThread *thread;
} EndJob;

static gpointer
end_sessions_thread (gpointer data)
{
  EndJob *job = data;
  LpBroadcastClient *client = lp_broadcast_client_new ();
  guint i;

  for (i = 0; i < job->tokens->len; i++) {
    gint64 left = job->deadline - g_get_monotonic_time ();
    GError *error = NULL;

    if (left < 1000) {
      GST_DEBUG ("%s: %u sessions not ended in time",
          job->uri, job->tokens->len - i);
      break;
    }
    if (!lp_broadcast_end_session_grpc (client, job->uri, &g_array_index
            (job->tokens, LpAuthToken, i), left / 1000, &error)) {
      GST_DEBUG ("ending a session: %s", error->message);
      g_error_free (error);
    }
  }
  lp_broadcast_client_free (client);
  return NULL;
}

/* The sessions @orch holds, which it forgets (slots that share one end it
 * once). Called with the lock held. */
static EndJob *
end_job_new_locked (LpBroadcaster * self, Orchestrator * orch, gint64 deadline)
{
  EndJob *job = g_new0 (EndJob, 1);
  guint i, k;

  job->self = self;
  job->uri = g_strdup (orch->uri);
  job->tokens = g_array_new (FALSE, FALSE, sizeof (LpAuthToken));
  job->deadline = deadline;
  for (i = 0; i < orch->n_infos; i++) {
    LpOrchestratorInfo *info = orch->infos[i];

    if (info == NULL)
      continue;
    for (k = 0; k < job->tokens->len; k++)
      if (g_str_equal (g_array_index (job->tokens, LpAuthToken,
                  k).session_id, info->auth_token.session_id))
        break;
    if (k == job->tokens->len)
      g_array_append_val (job->tokens, info->auth_token);
    g_clear_pointer (&orch->infos[i], lp_orchestrator_info_free);
    orch->accepted[i] = FALSE;
  }
  return job;
}

/* Tells every orchestrator that the stream's sessions are over, so that
 * they free their capacity now rather than after their idle timeout;
 * within END_SESSION_TIMEOUT_MS in all, whatever they do (they free the
 * sessions anyway when idle). */
static void
end_sessions (LpBroadcaster * self)
{
  GPtrArray *jobs = g_ptr_array_new ();
  gint64 deadline = g_get_monotonic_time () + END_SESSION_TIMEOUT_MS *
      G_TIME_SPAN_MILLISECOND;
  GHashTableIter iter;
  Orchestrator *orch;
  guint i;

  LOCK (self);
  g_hash_table_iter_init (&iter, self->orchs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) & orch))
    g_ptr_array_add (jobs, end_job_new_locked (self, orch, deadline));
  UNLOCK (self);
  for (i = 0; i < jobs->len; i++) {
    EndJob *job = g_ptr_array_index (jobs, i);

    if (job->tokens->len > 0)
      job->thread = g_thread_new ("lp-end-session", end_sessions_thread, job);
  }
  for (i = 0; i < jobs->len; i++) {
    EndJob *job = g_ptr_array_index (jobs, i);

    if (job->thread != NULL)
      g_thread_join (job->thread);
    g_array_unref (job->tokens);
    g_free (job->uri);
    g_free (job);
  }
  g_ptr_array_unref (jobs);
}


/* ------------------------------------------------------------------------ */
/* The object */

/* The job @config asks for; its video output (when it returns video) is
 * the one rendition of @profiles, named after it */
static LpCapability *
job_new (const LpBroadcasterConfig * config, GPtrArray * profiles)
{
  LpCapability *job = g_new0 (LpCapability, 1);

  job->name = g_strdup (config->job);
  job->model_id = g_strdup (config->model);
  job->outputs = config->job_outputs;
  job->unit = config->job_unit;
  job->id = config->job_id;
  if ((job->outputs & LP_JOB_OUTPUT_VIDEO) && profiles->len == 0) {
    LpProfile *video = g_new0 (LpProfile, 1);

    video->name = g_strdup (job->name);
    g_ptr_array_add (profiles, video);
  }
  return job;
}

/**
 * lp_broadcaster_new:
 * @config: what it is told (copied)
 * @key: (transfer none): the broadcaster's key, which signs segments and
 *     tickets
 * @ledger: (transfer none): the ledger (deposits, stakes, active set)
 * @profiles: (transfer none) (element-type LpProfile): the renditions to
 *     ask for, in order; with a job, empty: the job's video output, if
 *     it has one, is added here. Shared: the caller reads it
 * @listener: (nullable): what it reports, copied
 * @user_data: the listener's data
 *
 * Returns: (transfer full): a broadcaster with no orchestrator known yet
 */
LpBroadcaster *
lp_broadcaster_new (const LpBroadcasterConfig * config, LpPrivateKey * key,
    LpLedger * ledger, GPtrArray * profiles,
    const LpBroadcasterListener * listener, gpointer user_data)
{
  LpBroadcaster *self = g_new0 (LpBroadcaster, 1);
  LpSelectionConfig selection;
  LpSenderConfig sender;

  GST_DEBUG_CATEGORY_INIT (lp_broadcaster_debug, "lpbroadcaster", 0,
      "Livepeer broadcaster");
  self->config = *config;
  self->config.orchestrators = g_strdup (config->orchestrators);
  self->config.job = g_strdup (config->job);
  self->config.model = g_strdup (config->model);
  self->config.manifest_id = g_strdup (config->manifest_id);
  if (config->job != NULL)
    self->job = job_new (config, profiles);
  self->key = lp_private_key_ref (key);
  self->ledger = g_object_ref (ledger);
  self->profiles = g_ptr_array_ref (profiles);
  if (listener != NULL)
    self->listener = *listener;
  self->user_data = user_data;
  lp_sender_config_init (&sender);
  self->sender = lp_sender_new (self->key, &sender);
  self->balances = lp_balances_new ();
  lp_selection_config_init (&selection);
  selection.max_price = config->max_price;
  selection.seed = config->selection_seed;
  self->selection = lp_selection_new (&selection);
  g_mutex_init (&self->lock);
  g_mutex_init (&self->watch.lock);
  g_cond_init (&self->watch.cond);
  self->orchs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
      (GDestroyNotify) orchestrator_free);
  return self;
}

/**
 * lp_broadcaster_free:
 * @broadcaster: (transfer full) (nullable): a stopped broadcaster
 */
void
lp_broadcaster_free (LpBroadcaster * self)
{
  if (self == NULL)
    return;
  sender_watch_stop (self);
  g_hash_table_destroy (self->orchs);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->watch.lock);
  g_cond_clear (&self->watch.cond);
  g_clear_object (&self->cancellable);
  lp_selection_free (self->selection);
  lp_balances_free (self->balances);
  lp_sender_free (self->sender);
  g_clear_pointer (&self->job, lp_capability_free);
  g_ptr_array_unref (self->profiles);
  g_object_unref (self->ledger);
  lp_private_key_unref (self->key);
  g_free ((gchar *) self->config.orchestrators);
  g_free ((gchar *) self->config.job);
  g_free ((gchar *) self->config.model);
  g_free ((gchar *) self->config.manifest_id);
  g_free (self);
}

/**
 * lp_broadcaster_start:
 * @broadcaster: a broadcaster
 * @failures: (out) (optional) (transfer full): what the orchestrators
 *     that did not answer said, "; "-separated
 * @error: (nullable): set when none answered
 *
 * Starts a stream: asks every orchestrator of the pool at once for its
 * info (within discovery_timeout_ms); the slots are handed out afresh.
 *
 * Returns: how many answered
 */
guint
lp_broadcaster_start (LpBroadcaster * self, gchar ** failures, GError ** error)
{
  guint answered;

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  sender_watch_start (self);
  answered = discover_pool (self, failures, error);
  LOCK (self);
  self->workers_started = 0;
  UNLOCK (self);
  return answered;
}

/**
 * lp_broadcaster_has_usable:
 * @broadcaster: a broadcaster
 * @error: (nullable): why there is none, when the selection says
 *
 * Returns: whether some orchestrator may be chosen (under the price cap,
 *     not suspended)
 */
gboolean
lp_broadcaster_has_usable (LpBroadcaster * self, GError ** error)
{
  gchar *uri;

  if (lp_selection_count (self->selection, TRUE) > 0)
    return TRUE;
  uri = lp_selection_pick (self->selection, NULL, error);
  g_free (uri);
  return FALSE;
}

/**
 * lp_broadcaster_must_pay:
 * @broadcaster: a started broadcaster
 *
 * Returns: whether some orchestrator discovered charges (then the
 *     broadcaster needs funds)
 */
gboolean
lp_broadcaster_must_pay (LpBroadcaster * self)
{
  GHashTableIter iter;
  Orchestrator *orch;
  gboolean must_pay = FALSE;

  LOCK (self);
  g_hash_table_iter_init (&iter, self->orchs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) & orch))
    must_pay |= orch->infos[0] != NULL && orch->infos[0]->has_ticket_params
        && orch->infos[0]->price_info.price_per_unit > 0;
  UNLOCK (self);
  return must_pay;
}

/**
 * lp_broadcaster_get_sender_info:
 * @broadcaster: a broadcaster
 * @info: (out caller-allocates): the broadcaster's deposit and reserve
 * @error: (nullable): return location for a #GError
 *
 * Returns: %TRUE when the ledger answered
 */
gboolean
lp_broadcaster_get_sender_info (LpBroadcaster * self, LpSenderInfo * info,
    GError ** error)
{
  return sender_info (self, info, error);
}

/**
 * lp_broadcaster_get_job:
 * @broadcaster: a broadcaster
 *
 * Returns: (transfer none) (nullable): the job its config asks for (name,
 *     model, id, outputs, unit); %NULL when transcoding
 */
const LpCapability *
lp_broadcaster_get_job (LpBroadcaster * self)
{
  return self->job;
}

/**
 * lp_broadcaster_interrupt:
 * @broadcaster: a broadcaster
 *
 * Cancels the requests in flight and ends the transcodes running (their
 * segments lost: "the element stopped"). Any thread.
 */
void
lp_broadcaster_interrupt (LpBroadcaster * self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/**
 * lp_broadcaster_stop:
 * @broadcaster: a broadcaster with no transcode running
 *
 * Ends the stream: tells every orchestrator that its sessions are over
 * (END_SESSION_TIMEOUT_MS in all) and forgets them; the orchestrators,
 * their counts and suspensions stay.
 */
void
lp_broadcaster_stop (LpBroadcaster * self)
{
  end_sessions (self);
  sender_watch_stop (self);
  g_clear_object (&self->cancellable);
}

/**
 * lp_broadcaster_worker_new:
 * @broadcaster: a started broadcaster
 *
 * A dispatch thread's worker: an HTTP client and the next slot (with a
 * job, whose capacity counts streams, every worker shares slot 0).
 *
 * Returns: (transfer full): the worker
 */
LpBroadcasterWorker *
lp_broadcaster_worker_new (LpBroadcaster * self)
{
  LpBroadcasterWorker *worker = g_new0 (LpBroadcasterWorker, 1);

  /* each request has its deadline (segment_timeout ()) */
  worker->client = lp_broadcast_client_new ();
  LOCK (self);
  /* a job's capacity counts sessions, one a stream: its threads share one
   * session with each orchestrator (which runs its segments in order) */
  worker->slot = self->job != NULL ? 0 :
      self->workers_started++ % MAX (self->config.slots, 1);
  UNLOCK (self);
  return worker;
}

/**
 * lp_broadcaster_worker_free:
 * @worker: (transfer full) (nullable): a worker
 */
void
lp_broadcaster_worker_free (LpBroadcasterWorker * worker)
{
  if (worker == NULL)
    return;
  lp_broadcast_client_free (worker->client);
  g_free (worker);
}

/**
 * lp_broadcaster_add_orchestrator_stats:
 * @broadcaster: a broadcaster
 * @array: a %GST_TYPE_ARRAY value
 *
 * Appends one `orchestrator` structure per orchestrator known: `uri`,
 * `segments`, `failures` (guint64) and `suspended` (boolean).
 */
void
lp_broadcaster_add_orchestrator_stats (LpBroadcaster * self, GValue * array)
{
  GValue item = G_VALUE_INIT;
  GHashTableIter iter;
  Orchestrator *orch;

  LOCK (self);
  g_hash_table_iter_init (&iter, self->orchs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) & orch)) {
    g_value_init (&item, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&item, gst_structure_new ("orchestrator",
            "uri", G_TYPE_STRING, orch->uri,
            "segments", G_TYPE_UINT64, orch->segments,
            "failures", G_TYPE_UINT64, orch->failures,
            "suspended", G_TYPE_BOOLEAN,
            lp_selection_is_suspended (self->selection, orch->uri), NULL));
    gst_value_array_append_and_take_value (array, &item);
  }
  UNLOCK (self);
}

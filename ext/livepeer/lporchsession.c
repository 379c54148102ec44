/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lporchestrator's sessions: the table of open sessions, their capacity
 * (max-sessions, a capability's capacity) and the eviction of an idle
 * session for a paying newcomer, and each session's worker thread
 * ("lporch-SESSION"), which transcodes its segments (or runs its
 * capability's jobs), debits their fees and hands each answer to the
 * server thread (complete_job(), lporchrpc.c).
 *
 * The table and the fields of a Session marked so are under the
 * orchestrator lock (gstlporchestrator-private.h); a session's
 * transcoder is its worker's own. A session leaves the table first
 * (session_remove_locked(), or the ledger worker's end_idle_sessions())
 * and is then joined without the lock (session_finish()): by the ledger
 * worker (reap_failed_sessions(), end_idle_sessions()) or by
 * stop_service().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstlporchestrator-private.h"
#include "lpjobrunner.h"

/* a session idle for longer than this many of its last segment's
 * durations is not streaming live: its place goes to a paying newcomer */
#define IDLE_SEGMENTS_BEFORE_EVICTION 2
/* a segment that takes longer than this fails ("timeout") */
#define SEGMENT_DEADLINE (60 * GST_SECOND)

/* ------------------------------------------------------------------------ */
/* sessions                                                                 */
/* ------------------------------------------------------------------------ */

Session *
session_ref (Session * session)
{
  g_atomic_int_inc (&session->refcount);
  return session;
}

void
session_unref (Session * session)
{
  if (!g_atomic_int_dec_and_test (&session->refcount))
    return;
  g_clear_pointer (&session->transcoder, lp_segment_transcoder_free);
  g_free (session->transcoder_profiles);
  g_free (session->end_reason);
  g_async_queue_unref (session->jobs);
  g_object_unref (session->cancellable);
  g_free (session->id);
  g_free (session);
}

/* Gives back what the job's admission took from the credit (its
 * estimated fee): once the work is debited, or when it is not done. */
void
job_release (GstLpOrchestrator * self, Job * job)
{
  if (job->reserved > 0)
    lp_recipient_refund (self->recipient, &job->session->sender,
        CREDIT_ACCOUNT, job->reserved, &job->session->price);
  job->reserved = 0;
}

void
job_free (Job * job)
{
  job_release (job->session->self, job);
  lp_exchange_unref (job->exchange);
  session_unref (job->session);
  lp_seg_data_free (job->seg);
  g_bytes_unref (job->body);
  if (job->result_proto != NULL)
    g_bytes_unref (job->result_proto);
  if (job->renditions != NULL)
    g_ptr_array_unref (job->renditions);
  if (job->part_types != NULL)
    g_ptr_array_unref (job->part_types);
  g_free (job);
}

static gchar *
profile_names (GPtrArray * profiles)
{
  GString *names = g_string_new (NULL);
  guint i;

  for (i = 0; i < profiles->len; i++) {
    const LpProfile *p = g_ptr_array_index (profiles, i);

    if (i > 0)
      g_string_append_c (names, ',');
    g_string_append (names, p->name);
  }
  return g_string_free (names, FALSE);
}

/* The whole description of the profiles: a transcoder is rebuilt when a
 * segment asks for anything else. */
static gchar *
profile_key (GPtrArray * profiles)
{
  GString *key = g_string_new (NULL);
  guint i;

  for (i = 0; i < profiles->len; i++) {
    const LpProfile *p = g_ptr_array_index (profiles, i);

    g_string_append_printf (key, "%s %ux%u %u bit/s %u/%u fps profile %d "
        "gop %d ms\n", p->name, p->width, p->height, p->bitrate, p->fps_num,
        p->fps_den, (gint) p->h264_profile, p->gop_ms);
  }
  return g_string_free (key, FALSE);
}

static gpointer session_thread (gpointer data);

/* What a session of @capability (NULL: transcoding) is priced at */
const LpPriceInfo *
price_of (GstLpOrchestrator * self, const LpCapability * capability)
{
  return capability != NULL ? &capability->price : &self->config.price;
}

/* Starts a session and its worker thread. Called with the orchestrator
 * lock. */
Session *
session_new_locked (GstLpOrchestrator * self, const gchar * id,
    const LpAddress * sender, const LpCapability * capability)
{
  Session *session = g_new0 (Session, 1);
  gchar *name;

  session->refcount = 1;
  session->self = self;
  session->id = g_strdup (id);
  session->sender = *sender;
  session->price = *price_of (self, capability);
  session->capability = capability;
  session->jobs = g_async_queue_new ();
  session->cancellable = g_cancellable_new ();
  session->last_active = g_get_monotonic_time ();
  name = g_strdup_printf ("lporch-%s", id);
  session->thread = g_thread_new (name, session_thread, session_ref (session));
  g_free (name);
  g_hash_table_insert (self->sessions, session->id, session);
  self->stats.sessions_started++;
  return session;
}

void
post_session_started (GstLpOrchestrator * self, Session * session)
{
  gchar *sender = address_text (&session->sender);

  post_element_message (self, gst_structure_new
      ("lporchestrator-session-started", "session", G_TYPE_STRING,
          session->id, "sender", G_TYPE_STRING, sender,
          "price-per-unit", G_TYPE_UINT64, session->price.price_per_unit,
          "pixels-per-unit", G_TYPE_UINT64, session->price.pixels_per_unit,
          "capability", G_TYPE_STRING, session->capability ?
          session->capability->name : NULL, NULL));
  g_free (sender);
}

/* Takes @session out of the table (called with the orchestrator lock);
 * the caller then calls session_finish() without it. */
static void
session_remove_locked (GstLpOrchestrator * self, Session * session)
{
  if (session->ended)
    return;
  session->ended = TRUE;
  g_hash_table_steal (self->sessions, session->id);
}

/* Whether @session may give its place to a newcomer: no segment of its
 * own is waiting, and it has been quiet for longer than a live stream
 * ever is (go-livepeer holds a place until 70 s without segments, so ten
 * one-segment sessions locked a node out for that long). Called with the
 * orchestrator lock. */
static gboolean
session_evictable_locked (Session * session, gint64 now)
{
  gint64 quiet = (gint64) IDLE_SEGMENTS_BEFORE_EVICTION *
      session->last_duration_ms * G_TIME_SPAN_MILLISECOND;

  return session->queued == 0 && !session->ended
      && now - session->last_active > quiet;
}

/* The session idle longest among those that may give their place, or
 * NULL. Called with the orchestrator lock. */
static Session *
find_evictable_locked (GstLpOrchestrator * self)
{
  gint64 now = g_get_monotonic_time ();
  Session *oldest = NULL;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    Session *session = value;

    if (session_evictable_locked (session, now) && (oldest == NULL
            || session->last_active < oldest->last_active))
      oldest = session;
  }
  return oldest;
}

/* Ends the session idle longest for a paying newcomer (the ledger worker
 * joins it); FALSE when none may go. Called with the orchestrator
 * lock. */
gboolean
evict_idle_session_locked (GstLpOrchestrator * self)
{
  Session *session = find_evictable_locked (self);

  if (session == NULL)
    return FALSE;
  GST_INFO_OBJECT (self, "session %s gives its place to a paying newcomer",
      session->id);
  session_remove_locked (self, session);
  session->end_reason = g_strdup ("idle: its place went to a paying "
      "broadcaster");
  g_ptr_array_add (self->failed_sessions, session);
  return TRUE;
}

/* Stops the worker of a session already out of the table, joins it and
 * says so on the bus. Never called with the orchestrator lock, nor from the
 * worker. */
void
session_finish (GstLpOrchestrator * self, Session * session,
    const gchar * reason, gboolean cancel)
{
  guint64 segments;

  if (cancel)
    g_cancellable_cancel (session->cancellable);
  /* the session itself in its queue is the quit request */
  g_async_queue_push (session->jobs, session_ref (session));
  g_thread_join (session->thread);
  session->thread = NULL;
  ORCH_LOCK (self);
  segments = session->segments;
  ORCH_UNLOCK (self);
  GST_INFO_OBJECT (self, "session %s ended: %s", session->id, reason);
  post_element_message (self, gst_structure_new
      ("lporchestrator-session-ended", "session", G_TYPE_STRING, session->id,
          "reason", G_TYPE_STRING, reason, "segments", G_TYPE_UINT64,
          segments, NULL));
  session_unref (session);
}

/* Ends the sessions idle for longer than session-timeout, and those their
 * broadcaster ended once their last segment is answered. */
void
end_idle_sessions (GstLpOrchestrator * self)
{
  GPtrArray *idle = g_ptr_array_new ();
  gint64 limit =
      (gint64) self->config.props.session_timeout * G_TIME_SPAN_SECOND;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer value;
  guint i;

  ORCH_LOCK (self);
  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    Session *session = value;

    if (session->queued == 0 && (session->end_requested
            || now - session->last_active > limit)) {
      session->ended = TRUE;
      g_hash_table_iter_steal (&iter);
      g_ptr_array_add (idle, session);
    }
  }
  ORCH_UNLOCK (self);
  for (i = 0; i < idle->len; i++) {
    Session *session = g_ptr_array_index (idle, i);

    session_finish (self, session, session->end_requested ?
        "ended by the broadcaster" : "idle", FALSE);
  }
  g_ptr_array_free (idle, TRUE);
}

/* ------------------------------------------------------------------------ */
/* capacity                                                                 */
/* ------------------------------------------------------------------------ */

/* Whether max-sessions sessions are open, @session_id (NULL: a new one)
 * is not one of them and none may give its place. Takes the orchestrator
 * lock. */
gboolean
at_capacity (GstLpOrchestrator * self, const gchar * session_id)
{
  gboolean capped;

  ORCH_LOCK (self);
  capped = g_hash_table_size (self->sessions) >= self->config.props.max_sessions
      && (session_id == NULL
      || !g_hash_table_contains (self->sessions, session_id))
      && find_evictable_locked (self) == NULL;
  ORCH_UNLOCK (self);
  return capped;
}

/* Sessions of @capability fill its capacity; @sender's own do not count
 * (a broadcaster that discovers again, for a fresh auth token or ticket
 * parameters, must not be refused by its own stream). Called with the
 * orchestrator lock. */
gboolean
capability_full_locked (GstLpOrchestrator * self,
    const LpCapability * capability, const LpAddress * sender)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    Session *session = value;

    if (session->capability == capability
        && !lp_address_equal (&session->sender, sender))
      n++;
  }
  return n >= capability->capacity;
}

/* Joins the sessions that ended by a failure. */
void
reap_failed_sessions (GstLpOrchestrator * self)
{
  GPtrArray *failed;
  guint i;

  ORCH_LOCK (self);
  failed = self->failed_sessions;
  self->failed_sessions = g_ptr_array_new ();
  ORCH_UNLOCK (self);
  for (i = 0; i < failed->len; i++) {
    Session *session = g_ptr_array_index (failed, i);

    session_finish (self, session, session->end_reason, FALSE);
  }
  g_ptr_array_free (failed, TRUE);
}

/* ------------------------------------------------------------------------ */
/* transcoding (session worker threads)                                     */
/* ------------------------------------------------------------------------ */

/* A failed session leaves the table at once (its next segment starts a new
 * one) and is joined by the ledger worker. */
static void
fail_session (GstLpOrchestrator * self, Session * session,
    const gchar * reason)
{
  gboolean removed = FALSE;

  ORCH_LOCK (self);
  if (!session->ended) {
    session_remove_locked (self, session);
    session->end_reason = g_strdup_printf ("error: %s", reason);
    g_ptr_array_add (self->failed_sessions, session);
    removed = TRUE;
  }
  ORCH_UNLOCK (self);
  if (removed)
    GST_ELEMENT_WARNING (self, STREAM, FAILED,
        ("Session %s failed and ended: %s", session->id, reason),
        ("the broadcaster got the error in its TranscodeResult; other "
            "sessions go on"));
}

/* Lists @parts (LpRendition*) in @result with their pixels, signs it over
 * them, debits @units at the session's price and adds fresh ticket
 * parameters. Returns the fee, wei, as text. */
static gchar *
settle_result (GstLpOrchestrator * self, Session * session, Job * job,
    LpTranscodeResult * result, GPtrArray * parts, guint64 units)
{
  GBytes **datas = g_new (GBytes *, MAX (parts->len, 1));
  GError *error = NULL;
  LpRational *fee;
  gchar *fee_text;
  guint i;

  for (i = 0; i < parts->len; i++) {
    const LpRendition *r = g_ptr_array_index (parts, i);

    lp_transcode_result_add_segment (result, NULL, r->pixels);
    datas[i] = r->data;
  }
  if (!lp_transcode_result_sign (result, self->key, datas, parts->len,
          &error)) {
    GST_ERROR_OBJECT (self, "signing a result: %s", error->message);
    g_clear_error (&error);
  }
  g_free (datas);
  if (session->price.price_per_unit > 0
      && !lp_recipient_debit (self->recipient, &session->sender,
          CREDIT_ACCOUNT, units, &session->price, &error)) {
    GST_WARNING_OBJECT (self, "debit: %s", error->message);
    g_clear_error (&error);
  }
  /* the work is paid: the estimate taken at admission goes back */
  job_release (self, job);
  result->info = make_orchestrator_info (self, &session->sender,
      &job->seg->auth_token, &session->price, &error);
  if (result->info == NULL) {
    /* the broadcaster keeps its parameters and refreshes by discovery */
    GST_INFO_OBJECT (self, "no fresh ticket parameters: %s", error->message);
    g_clear_error (&error);
  }
  fee = lp_rational_new_price (&session->price, units, NULL);
  fee_text = fee != NULL ? lp_rational_to_string (fee) : g_strdup ("0");
  if (fee != NULL)
    lp_rational_free (fee);
  return fee_text;
}

static void
add_part (Job * job, GBytes * data, const gchar * type,
    const LpJobOutput * out, guint64 units)
{
  LpRendition *r = g_new0 (LpRendition, 1);

  r->data = g_bytes_ref (data);
  r->frames = out->frames;
  r->width = out->width;
  r->height = out->height;
  r->pixels = units;
  g_ptr_array_add (job->renditions, r);
  g_ptr_array_add (job->part_types, (gpointer) type);
}

/* Runs @job's segment through the session's capability, debits its units
 * and fills @result: one part per output (the video, then the metadata),
 * the units on the first. A failure ends this job only. */
static void
run_capability_job (GstLpOrchestrator * self, Session * session, Job * job,
    LpTranscodeResult * result)
{
  const LpCapability *c = session->capability;
  GstClockTime start = gst_util_get_timestamp (), elapsed;
  const gchar *encoder = g_strcmp0 (self->config.props.encoder, "auto") == 0 ?
      NULL : self->config.props.encoder;
  g_autofree gchar *fee_text = NULL;
  GError *error = NULL;
  LpJobOutput *out;

  /* as long as a broadcaster waits (go-livepeer's max (8 s, 4 x the
   * segment)): a fragment that never ends holds the session no longer */
  out = lp_job_runner_run (c, encoder, job->body, job->seg->seq,
      MAX (8 * GST_SECOND, 4 * job->seg->duration_ms * GST_MSECOND),
      session->cancellable, &error);
  elapsed = gst_util_get_timestamp () - start;
  if (out == NULL) {
    result->error = g_strdup (error->message);
    ORCH_LOCK (self);
    self->stats.segments_failed++;
    ORCH_UNLOCK (self);
    GST_ELEMENT_WARNING (self, STREAM, FAILED,
        ("Job %s of session %s failed on segment %" G_GUINT64_FORMAT ": %s",
            c->name, session->id, job->seg->seq, error->message),
        ("the broadcaster got the error in its TranscodeResult and was not "
            "charged; the session goes on"));
    g_error_free (error);
    return;
  }

  job->renditions = g_ptr_array_new_with_free_func ((GDestroyNotify)
      lp_rendition_free);
  job->part_types = g_ptr_array_new ();
  if (out->video != NULL)
    add_part (job, out->video, "video/MP2T", out, out->units);
  if (out->metadata != NULL)
    add_part (job, out->metadata, "application/json", out,
        job->renditions->len == 0 ? out->units : 0);
  fee_text = settle_result (self, session, job, result, job->renditions,
      out->units);
  ORCH_LOCK (self);
  self->stats.segments_ok++;
  session->segments++;
  ORCH_UNLOCK (self);
  post_element_message (self, gst_structure_new ("lporchestrator-job",
          "session", G_TYPE_STRING, session->id,
          "seq", G_TYPE_UINT64, job->seg->seq,
          "capability", G_TYPE_STRING, c->name,
          "model-id", G_TYPE_STRING, c->model_id,
          "unit", G_TYPE_STRING, lp_job_unit_to_string (c->unit),
          "units", G_TYPE_UINT64, out->units,
          "frames", G_TYPE_UINT64, out->frames,
          "fee", G_TYPE_STRING, fee_text,
          "job-time", G_TYPE_UINT64, elapsed, NULL));
  lp_job_output_free (out);
}

/* Where part @i of @job goes in the store: a rendition under its
 * profile's name (.ts); a capability job's video and metadata both under
 * the capability's name, as .ts and .json */
static gchar *
store_part (GstLpOrchestrator * self, Session * session, Job * job, guint i)
{
  const LpRendition *r = g_ptr_array_index (job->renditions, i);
  const gchar *name, *extension = "ts";

  if (session->capability != NULL) {
    name = session->capability->name;
    if (g_strcmp0 (g_ptr_array_index (job->part_types, i),
            "application/json") == 0)
      extension = "json";
  } else {
    name = ((const LpProfile *) g_ptr_array_index (job->seg->profiles,
            i))->name;
  }
  return rendition_store_put (self->renditions, session->id, name,
      job->seg->seq, extension, r->data);
}

/* Writes @result as @job's answer: go-livepeer's TranscodeResult, whose
 * URLs name the renditions (or a job's outputs), kept in the store for
 * the broadcaster to fetch. */
static void
write_answer (GstLpOrchestrator * self, Session * session, Job * job,
    LpTranscodeResult * result)
{
  LpProtoTranscodeResult *p;
  guint i;

  for (i = 0; result->error == NULL && job->renditions != NULL
      && i < job->renditions->len && i < result->segments->len; i++) {
    LpTranscodedSegment *s = &g_array_index (result->segments,
        LpTranscodedSegment, i);
    gchar *path = store_part (self, session, job, i);

    g_free (s->url);
    s->url = g_strconcat (self->config.props.service_uri, path, NULL);
    g_free (path);
  }
  p = lp_wire_transcode_result_to_proto (result);
  if (p->info != NULL)
    orchestrator_info_complete_proto (self, p->info);
  job->result_proto = lp_proto_transcode_result_encode (p);
  lp_proto_transcode_result_free (p);
  /* they are in the store: the answer does not carry them */
  g_clear_pointer (&job->renditions, g_ptr_array_unref);
}

/* Transcodes @job->seg's segment, debits the pixels and writes the
 * TranscodeResult. */
static void
process_job (GstLpOrchestrator * self, Session * session, Job * job)
{
  LpTranscodeResult *result = lp_transcode_result_new ();
  GstClockTime start = gst_util_get_timestamp (), elapsed;
  GPtrArray *renditions = NULL;
  GError *error = NULL;
  gchar *key, *names, *fee_text;
  guint64 pixels = 0;
  gboolean failed;
  guint i;

  result->seq = job->seg->seq;
  ORCH_LOCK (self);
  failed = session->ended;
  ORCH_UNLOCK (self);
  if (failed) {
    result->error = g_strdup ("the session ended; ask for a new one");
    goto done;
  }
  if (session->capability != NULL) {
    run_capability_job (self, session, job, result);
    goto done;
  }

  key = profile_key (job->seg->profiles);
  if (session->transcoder == NULL
      || g_strcmp0 (key, session->transcoder_profiles) != 0) {
    g_clear_pointer (&session->transcoder, lp_segment_transcoder_free);
    g_free (session->transcoder_profiles);
    session->transcoder_profiles = g_strdup (key);
    session->transcoder = lp_segment_transcoder_new (job->seg->profiles,
        self->config.props.encoder, &error);
  }
  g_free (key);
  if (session->transcoder != NULL)
    renditions = lp_segment_transcoder_transcode (session->transcoder,
        job->body, SEGMENT_DEADLINE, session->cancellable, &error);
  elapsed = gst_util_get_timestamp () - start;
  if (renditions == NULL) {
    result->error = g_strdup (error->message);
    ORCH_LOCK (self);
    self->stats.segments_failed++;
    ORCH_UNLOCK (self);
    fail_session (self, session, error->message);
    g_clear_error (&error);
    goto done;
  }

  for (i = 0; i < renditions->len; i++)
    pixels += ((const LpRendition *) g_ptr_array_index (renditions,
            i))->pixels;
  fee_text = settle_result (self, session, job, result, renditions, pixels);
  names = profile_names (job->seg->profiles);
  ORCH_LOCK (self);
  self->stats.segments_ok++;
  self->stats.pixels += pixels;
  session->segments++;
  ORCH_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "session %s segment %" G_GUINT64_FORMAT ": %s, %"
      G_GUINT64_FORMAT " pixels in %" GST_TIME_FORMAT, session->id,
      job->seg->seq, names, pixels, GST_TIME_ARGS (elapsed));
  post_element_message (self, gst_structure_new ("lporchestrator-segment",
          "session", G_TYPE_STRING, session->id,
          "seq", G_TYPE_UINT64, job->seg->seq,
          "profiles", G_TYPE_STRING, names,
          "pixels", G_TYPE_UINT64, pixels,
          "fee", G_TYPE_STRING, fee_text,
          "transcode-time", G_TYPE_UINT64, elapsed,
          "encoder", G_TYPE_STRING,
          lp_segment_transcoder_get_encoder (session->transcoder), NULL));
  g_free (names);
  g_free (fee_text);
  job->renditions = g_steal_pointer (&renditions);

done:
  write_answer (self, session, job, result);
  lp_transcode_result_free (result);
}

static gpointer
session_thread (gpointer data)
{
  Session *session = data;
  GstLpOrchestrator *self = session->self;

  for (;;) {
    gpointer item = g_async_queue_pop (session->jobs);

    if (item == session) {
      session_unref (session);  /* the quit request's ref */
      break;
    }
    process_job (self, session, item);
    g_main_context_invoke (self->context, complete_job, item);
  }
  /* nothing should follow the quit request; answer anything that did */
  {
    Job *job;

    while ((job = g_async_queue_try_pop (session->jobs)) != NULL) {
      LpTranscodeResult *result = lp_transcode_result_new ();

      result->seq = job->seg->seq;
      result->error = g_strdup ("the session ended; ask for a new one");
      write_answer (self, session, job, result);
      lp_transcode_result_free (result);
      g_main_context_invoke (self->context, complete_job, job);
    }
  }
  session_unref (session);      /* the thread's own */
  return NULL;
}

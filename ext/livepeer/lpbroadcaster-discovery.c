/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * LpBroadcaster's discovery (lpbroadcaster-private.h): the orchestrator
 * table, asking an orchestrator for its info, discovering the whole pool in parallel and
 * refreshing it, and an orchestrator's current info for a slot, asked
 * again when its ticket parameters or auth token run out. Also the sender
 * watcher, which on a chain keeps a copy of the deposit and reserve so
 * that a segment's payment never waits for the node. Attempts, failover
 * and the stream's life are in lpbroadcaster.c, whose opening comment has
 * the locking rules.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/livepeer/lph2.h>

#include "lpbroadcaster-private.h"

/* whole pool rediscovered at most this often, microseconds */
#define POOL_REFRESH_US (60 * G_USEC_PER_SEC)
/* auth tokens are renewed this long before they expire, seconds */
#define AUTH_TOKEN_MARGIN_S 60
/* on a chain: how often the sender watcher looks at the head, and reads
 * the deposit and reserve at least this often even without a new block */
#define SENDER_WATCH_POLL_US (500 * G_TIME_SPAN_MILLISECOND)
#define SENDER_WATCH_REFRESH_US (5 * G_TIME_SPAN_SECOND)

/* ------------------------------------------------------------------------ */
/* Discovery */

gchar *
price_text (const LpPriceInfo * price)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT " wei per %" G_GUINT64_FORMAT
      " pixels", price->price_per_unit, price->pixels_per_unit);
}

/* The stake that weighs @address in the random choice; an address the
 * ledger does not know has none. A ledger read (requests to the node on
 * a chain): never with the lock held. */
static void
stake_of (LpBroadcaster * self, const LpAddress * address, LpUint256 * stake)
{
  LpLedgerOrchestrator registered = { 0, };

  lp_uint256_set_zero (stake);
  if (lp_ledger_get_orchestrator (self->ledger, address, &registered, NULL)) {
    if (registered.registered)
      *stake = registered.total_stake;
    lp_ledger_orchestrator_clear (&registered);
  }
}

/* Takes @info as what @uri now advertises, with @stake (stake_of()).
 * Called with the lock held. */
static void
set_info_locked (LpBroadcaster * self, Orchestrator * orch, guint slot,
    LpOrchestratorInfo * info, const LpUint256 * stake)
{
  if (orch->infos[slot] != NULL)
    lp_orchestrator_info_free (orch->infos[slot]);
  orch->infos[slot] = info;
  /* a new auth token: a session the orchestrator has not run yet */
  orch->accepted[slot] = FALSE;
  lp_selection_update (self->selection, orch->uri, stake,
      info->has_price_info ? &info->price_info : NULL);
}

/* @uri's entry, made when new. Called with the lock held. */
Orchestrator *
get_orchestrator_locked (LpBroadcaster * self, const gchar * uri)
{
  Orchestrator *orch = g_hash_table_lookup (self->orchs, uri);

  if (orch == NULL) {
    orch = g_new0 (Orchestrator, 1);
    orch->uri = g_strdup (uri);
    orch->n_infos = MAX (self->config.slots, 1);
    orch->infos = g_new0 (LpOrchestratorInfo *, orch->n_infos);
    orch->accepted = g_new0 (gboolean, orch->n_infos);
    g_hash_table_insert (self->orchs, orch->uri, orch);
  }
  return orch;
}

/* A peer that answered, but not in HTTP/2 or without the gRPC method:
 * an HTTP/1.1 server (such as a JSON-only orchestrator) or another
 * service on that port */
static gboolean
peer_does_not_speak_grpc (const GError * error)
{
  return g_error_matches (error, LP_H2_ERROR, LP_H2_ERROR_PROTOCOL)
      || g_error_matches (error, LP_H2_ERROR, LP_H2_ERROR_CLOSED)
      || g_error_matches (error, LP_H2_ERROR, LP_H2_ERROR_HTTP1)
      || g_error_matches (error, LP_GRPC_ERROR, LP_GRPC_STATUS_UNIMPLEMENTED);
}

/* Asks @uri for its info (docs/design/transport.md): go-livepeer's gRPC
 * discovery, `net.Orchestrator/GetOrchestrator`, for transcoding or for
 * the job (by its id and model). An orchestrator that does not answer it
 * is an error that says so. */
static LpOrchestratorInfo *
ask_info (LpBroadcaster * self, LpBroadcasterWorker * worker,
    const gchar * uri, GError ** error)
{
  LpOrchestratorInfo *info;

  info = lp_broadcast_discover_grpc (worker->client, uri, self->key,
      self->job, self->config.discovery_timeout_ms, self->cancellable, error);
  if (info == NULL && error != NULL && *error != NULL
      && peer_does_not_speak_grpc (*error)) {
    gchar *message = (*error)->message;

    (*error)->message = g_strdup_printf ("%s (no answer to go-livepeer's "
        "gRPC discovery, the only one livepeersink speaks: is it a Livepeer "
        "orchestrator?)", message);
    g_free (message);
  }
  return info;
}

/* Asks @uri for its info and records it; returns a copy. */
static LpOrchestratorInfo *
discover (LpBroadcaster * self, LpBroadcasterWorker * worker, const gchar * uri,
    GError ** error)
{
  LpOrchestratorInfo *info = ask_info (self, worker, uri, error);
  LpOrchestratorInfo *copy;
  LpUint256 stake;

  if (info == NULL)
    return NULL;
  if (info->transcoder == NULL || info->transcoder[0] == '\0') {
    g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_BAD_RESPONSE,
        "%s advertises no transcoder URI", uri);
    lp_orchestrator_info_free (info);
    return NULL;
  }
  copy = lp_orchestrator_info_copy (info);
  stake_of (self, &info->address, &stake);
  LOCK (self);
  set_info_locked (self, get_orchestrator_locked (self, uri), worker->slot,
      info, &stake);
  UNLOCK (self);
  return copy;
}

typedef struct
{
  LpBroadcaster *self;
  gchar *uri;
  GError *error;
  gboolean ok;
} DiscoveryJob;

static gpointer
discovery_thread (gpointer data)
{
  DiscoveryJob *job = data;
  LpBroadcasterWorker worker = { lp_broadcast_client_new (), 0 };
  LpOrchestratorInfo *info = discover (job->self, &worker, job->uri,
      &job->error);

  job->ok = info != NULL;
  if (info != NULL)
    lp_orchestrator_info_free (info);
  lp_broadcast_client_free (worker.client);
  return NULL;
}

/* The URIs to ask: the property's list, or the ledger's active set. */
static gchar **
pool_uris (LpBroadcaster * self, GError ** error)
{
  GPtrArray *uris = g_ptr_array_new ();
  GArray *active;
  guint i;

  if (self->config.orchestrators != NULL) {
    gchar **list = g_strsplit (self->config.orchestrators, ",", -1);

    for (i = 0; list[i] != NULL; i++) {
      g_strstrip (list[i]);
      if (list[i][0] != '\0')
        g_ptr_array_add (uris, g_strdup (list[i]));
    }
    g_strfreev (list);
  } else {
    active = lp_ledger_list_orchestrators (self->ledger, TRUE, error);
    if (active == NULL) {
      g_ptr_array_unref (uris);
      return NULL;
    }
    for (i = 0; i < active->len; i++) {
      LpLedgerOrchestrator *o = &g_array_index (active,
          LpLedgerOrchestrator, i);

      if (o->service_uri != NULL && o->service_uri[0] != '\0')
        g_ptr_array_add (uris, g_strdup (o->service_uri));
    }
    g_array_unref (active);
  }
  if (uris->len == 0) {
    g_set_error (error, LP_SELECTION_ERROR, LP_SELECTION_ERROR_NO_CANDIDATES,
        self->config.orchestrators != NULL ? "orchestrators lists no URI" :
        "orchestrators is not set and the ledger has no active orchestrator "
        "with a service URI");
    g_ptr_array_unref (uris);
    return NULL;
  }
  g_ptr_array_add (uris, NULL);
  return (gchar **) g_ptr_array_free (uris, FALSE);
}

/* Asks every orchestrator of the pool at once; returns how many answered
 * and sets @failures to what the others said. */
guint
discover_pool (LpBroadcaster * self, gchar ** failures, GError ** error)
{
  gchar **uris = pool_uris (self, error);
  GString *reasons = g_string_new (NULL);
  DiscoveryJob *jobs;
  GThread **threads;
  guint i, n, answered = 0;

  if (uris == NULL) {
    g_string_free (reasons, TRUE);
    return 0;
  }
  n = g_strv_length (uris);
  jobs = g_new0 (DiscoveryJob, n);
  threads = g_new0 (GThread *, n);
  for (i = 0; i < n; i++) {
    jobs[i].self = self;
    jobs[i].uri = uris[i];
    threads[i] = g_thread_new ("lp-discovery", discovery_thread, &jobs[i]);
  }
  for (i = 0; i < n; i++) {
    g_thread_join (threads[i]);
    if (jobs[i].ok) {
      answered++;
    } else {
      GST_WARNING ("discovery: %s", jobs[i].error->message);
      g_string_append_printf (reasons, "%s%s", reasons->len ? "; " : "",
          jobs[i].error->message);
      g_clear_error (&jobs[i].error);
    }
  }
  LOCK (self);
  self->pool_refreshed_at = g_get_monotonic_time ();
  UNLOCK (self);
  lp_selection_refresh (self->selection);
  if (failures != NULL)
    *failures = g_string_free (reasons, FALSE);
  else
    g_string_free (reasons, TRUE);
  if (answered == 0)
    g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_STATUS,
        "none of the %u orchestrators answered", n);
  g_free (jobs);
  g_free (threads);
  g_strfreev (uris);
  return answered;
}

/* The pool is asked again when nobody usable is left, or once a minute. */
void
maybe_refresh_pool (LpBroadcaster * self)
{
  gboolean due;

  LOCK (self);
  due = g_get_monotonic_time () - self->pool_refreshed_at > POOL_REFRESH_US
      || lp_selection_count (self->selection, TRUE) == 0;
  if (due)
    self->pool_refreshed_at = g_get_monotonic_time ();
  UNLOCK (self);
  if (due)
    discover_pool (self, NULL, NULL);
}

static gboolean
read_sender_info (LpBroadcaster * self, LpSenderInfo * info, GError ** error)
{
  return lp_ledger_get_sender_info (self->ledger,
      lp_private_key_get_address (self->key), info, error);
}

/* The deposit and reserve a payment is made against: on a chain the
 * watcher's copy (a request to the node only before its first read), on
 * the embedded ledger a read. */
gboolean
sender_info (LpBroadcaster * self, LpSenderInfo * info, GError ** error)
{
  SenderWatch *w = &self->watch;
  gboolean valid;

  if (!self->config.ledger_is_chain)
    return read_sender_info (self, info, error);
  g_mutex_lock (&w->lock);
  valid = w->valid;
  if (valid)
    *info = w->info;
  g_mutex_unlock (&w->lock);
  if (valid)
    return TRUE;
  GST_INFO ("sender info read on the segment path (no copy yet)");
  if (!read_sender_info (self, info, error))
    return FALSE;
  g_mutex_lock (&w->lock);
  w->info = *info;
  w->valid = TRUE;
  g_mutex_unlock (&w->lock);
  return TRUE;
}

/* The sender watcher ("lp-sender-watch"): reads the deposit and reserve
 * on each new block (redemptions move them) and every
 * SENDER_WATCH_REFRESH_US, so that segments never wait for the node. */
static gpointer
sender_watch_thread (gpointer data)
{
  LpBroadcaster *self = data;
  SenderWatch *w = &self->watch;
  guint64 last_block = G_MAXUINT64, head;
  gint64 last_read = 0;

  g_mutex_lock (&w->lock);
  while (!w->stopping) {
    LpSenderInfo info;
    GError *error = NULL;
    gint64 now = g_get_monotonic_time ();
    gboolean ok = TRUE;

    memset (&info, 0, sizeof (info));
    g_mutex_unlock (&w->lock);
    if (!lp_ledger_get_block_number (self->ledger, &head, &error))
      ok = FALSE;
    else if (head != last_block || now - last_read >= SENDER_WATCH_REFRESH_US)
      ok = read_sender_info (self, &info, &error);
    else
      head = G_MAXUINT64;       /* nothing read */
    if (!ok) {
      GST_WARNING ("sender info: %s", error->message);
      g_error_free (error);
    }
    g_mutex_lock (&w->lock);
    if (ok && head != G_MAXUINT64) {
      last_block = head;
      last_read = now;
      w->info = info;
      w->valid = TRUE;
    }
    if (!w->stopping)
      g_cond_wait_until (&w->cond, &w->lock, g_get_monotonic_time () +
          SENDER_WATCH_POLL_US);
  }
  g_mutex_unlock (&w->lock);
  return NULL;
}

void
sender_watch_start (LpBroadcaster * self)
{
  SenderWatch *w = &self->watch;
  LpSenderInfo info;

  if (!self->config.ledger_is_chain || w->thread != NULL)
    return;
  /* warm before the first segment; a failure is retried by the thread */
  if (read_sender_info (self, &info, NULL)) {
    g_mutex_lock (&w->lock);
    w->info = info;
    w->valid = TRUE;
    g_mutex_unlock (&w->lock);
  }
  w->stopping = FALSE;
  w->thread = g_thread_new ("lp-sender-watch", sender_watch_thread, self);
}

void
sender_watch_stop (LpBroadcaster * self)
{
  SenderWatch *w = &self->watch;

  if (w->thread == NULL)
    return;
  g_mutex_lock (&w->lock);
  w->stopping = TRUE;
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);
  g_thread_join (w->thread);
  w->thread = NULL;
  /* the next stream reads afresh */
  w->valid = FALSE;
}

/* A copy of @uri's info, asked again when its ticket parameters expire or
 * its auth token is about to. */
LpOrchestratorInfo *
current_info (LpBroadcaster * self, LpBroadcasterWorker * worker,
    const gchar * uri, gboolean force, GError ** error)
{
  LpOrchestratorInfo *info = NULL;
  Orchestrator *orch;
  LpSenderInfo sinfo;
  gboolean stale;

  LOCK (self);
  orch = g_hash_table_lookup (self->orchs, uri);
  if (orch != NULL && orch->infos[worker->slot] != NULL)
    info = lp_orchestrator_info_copy (orch->infos[worker->slot]);
  UNLOCK (self);
  stale = force || info == NULL
      || info->auth_token.expiration - AUTH_TOKEN_MARGIN_S <
      g_get_real_time () / G_USEC_PER_SEC;
  if (!stale && info->has_ticket_params && sender_info (self, &sinfo, NULL))
    stale = lp_sender_ticket_params_expired (&info->ticket_params,
        sinfo.last_seen_block);
  if (!stale)
    return info;
  if (info != NULL)
    lp_orchestrator_info_free (info);
  return discover (self, worker, uri, error);
}


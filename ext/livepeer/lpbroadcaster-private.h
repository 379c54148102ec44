/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Private to LpBroadcaster: its struct, the orchestrator table's entries,
 * the sender watcher's state, the lock macros and debug category, and the
 * functions that lpbroadcaster.c (attempts, failover, the stream's life)
 * and lpbroadcaster-discovery.c (discovery, the sender watcher) call
 * across. The locking rules are in lpbroadcaster.c's opening comment.
 */
#ifndef __LP_BROADCASTER_PRIVATE_H__
#define __LP_BROADCASTER_PRIVATE_H__

#include <gst/livepeer/lpbalance.h>
#include <gst/livepeer/lpprofile.h>
#include <gst/livepeer/lpselection.h>
#include <gst/livepeer/lpwire-proto.h>

#include "lpbroadcaster.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (lp_broadcaster_debug);
#define GST_CAT_DEFAULT lp_broadcaster_debug

/* On a chain, the sender's deposit and reserve as last read by the
 * watcher thread (its own leaf lock: no ledger call with it held). */
typedef struct
{
  GMutex lock;
  GCond cond;
  GThread *thread;
  gboolean stopping;
  gboolean valid;
  LpSenderInfo info;
} SenderWatch;

/* One orchestrator this stream knows. */
typedef struct
{
  gchar *uri;
  /* one session per dispatch thread (its auth token, ticket parameters,
   * price), so that a stream's segments in flight are transcoded side by
   * side rather than queued in one session; NULL until discovered */
  LpOrchestratorInfo **infos;
  /* per slot: the orchestrator answered a segment in that session (it
   * runs it), so another slot may share it when refused capacity */
  gboolean *accepted;
  guint n_infos;
  gboolean has_initial_price;
  LpPriceInfo initial_price;
  guint64 segments;
  guint64 failures;
} Orchestrator;

/* The orchestrators' entries (Orchestrator, their sessions) are under
 * lock, as is what the struct lists after it. */
struct _LpBroadcaster
{
  /* set by lp_broadcaster_new(), read-only after: any thread */
  LpBroadcasterConfig config;   /* its strings owned */
  LpPrivateKey *key;
  LpLedger *ledger;
  LpSender *sender;             /* MT safe */
  LpBalances *balances;         /* MT safe */
  LpSelection *selection;       /* MT safe */
  LpBroadcasterListener listener;
  gpointer user_data;
  /* LpProfile*, shared with the caller; a job's video output is added by
   * lp_broadcaster_new(), read-only after */
  GPtrArray *profiles;

  /* the stream, from lp_broadcaster_start() to lp_broadcaster_stop() (the
   * controlling thread, no transcode running): any thread reads it */
  GCancellable *cancellable;

  GMutex lock;
  /* under lock */
  GHashTable *orchs;            /* uri -> Orchestrator* */
  gint64 pool_refreshed_at;
  guint workers_started;        /* slots handed out */
  /* a chain's sender info (ledger_is_chain), under its own lock */
  SenderWatch watch;
  /* the capability job run instead of transcoding, or NULL: set by
   * lp_broadcaster_new(), read-only after */
  LpCapability *job;
};

/* A dispatch thread: its HTTP client and its slot among the
 * orchestrators' sessions. */
struct _LpBroadcasterWorker
{
  LpBroadcastClient *client;
  guint slot;
};

#define LOCK(b) g_mutex_lock (&(b)->lock)
#define UNLOCK(b) g_mutex_unlock (&(b)->lock)

G_GNUC_INTERNAL
gchar *price_text (const LpPriceInfo * price);
G_GNUC_INTERNAL
Orchestrator *get_orchestrator_locked (LpBroadcaster * self, const gchar * uri);
G_GNUC_INTERNAL
guint discover_pool (LpBroadcaster * self, gchar ** failures, GError ** error);
G_GNUC_INTERNAL
void maybe_refresh_pool (LpBroadcaster * self);
G_GNUC_INTERNAL
gboolean sender_info (LpBroadcaster * self, LpSenderInfo * info,
    GError ** error);
G_GNUC_INTERNAL
void sender_watch_start (LpBroadcaster * self);
G_GNUC_INTERNAL
void sender_watch_stop (LpBroadcaster * self);
G_GNUC_INTERNAL
LpOrchestratorInfo *current_info (LpBroadcaster * self,
    LpBroadcasterWorker * worker, const gchar * uri, gboolean force,
    GError ** error);

G_END_DECLS

#endif /* __LP_BROADCASTER_PRIVATE_H__ */

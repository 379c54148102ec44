/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What the files of lporchestrator share: the instance struct, the
 * session and job structs, and the functions one file calls in another.
 * Not installed.
 *
 * The element is composed of four parts, one file each:
 *
 * * gstlporchestrator.c: the element. Properties, state changes (which
 *   start and stop the service), the `stats` and the bus messages.
 * * lporchrpc.c: the HTTP server and its handlers (/segment, /payment,
 *   /stream/..., /metrics; discovery and the end of a session, which
 *   lporchgrpc.c serves), the ticket parameters an answer carries, and
 *   the answers the session workers hand back. lpserver.c under it owns
 *   the sockets and connections. lporchgrpc.c serves go-livepeer's gRPC
 *   service (net.Orchestrator) on the same port, over HTTP/2, and hands
 *   go-livepeer's /segment, /payment and /stream/... over HTTP/2 to the
 *   handlers of lporchrpc.c, which read an LpExchange (lporchexchange.c)
 *   whichever the transport.
 * * lporchsession.c: the sessions. Their table, capacity and eviction,
 *   and each session's worker thread, which transcodes its segments (or
 *   runs its capability's jobs) and settles their fees.
 * * lporchledger.c: the key, the ledger and the recipient, and the ledger
 *   worker: the redemption queue, redemptions, reward, round
 *   initialization, and the clock that ends idle sessions.
 *
 * Threads:
 *
 * * the application's, in the state changes: start_service() and
 *   stop_service() (gstlporchestrator.c), which start and join the others;
 * * "lporch-http" (lporchrpc.c): runs @context's loop, so every HTTP
 *   handler, complete_job() and queue_winning_ticket() (the recipient
 *   calls it from the payment check; the ledger worker retries what the
 *   ledger refused);
 * * "lporch-SESSION" (lporchsession.c), one a session: process_job(),
 *   which hands each job back to "lporch-http" with complete_job();
 * * "lporch-ledger" (lporchledger.c): ledger_thread(), every
 *   LEDGER_POLL_INTERVAL_US or when woken through @cond.
 *
 * One lock, the orchestrator lock (ORCH_LOCK), guards the state the
 * threads share: the sessions table and the fields of each Session marked
 * so, @stopping, @failed_sessions, @unstored_winners and @stats. It is
 * held for a few field reads and writes only: never across a call into
 * the ledger, the recipient or a transcoder, a bus message or a thread
 * join (it is held to start a session's thread and to queue a job, so
 * that a job and a quit request keep their order). A function named
 * `_locked` is called with it held; the others take it themselves. The
 * object lock guards the properties only and is never taken with it.
 */
#ifndef __GST_LP_ORCHESTRATOR_PRIVATE_H__
#define __GST_LP_ORCHESTRATOR_PRIVATE_H__

#include <libsoup/soup.h>
#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpkeystore.h>
#include <gst/livepeer/lpprofile.h>
#include <gst/livepeer/lprecipient.h>
#include <gst/livepeer/lpticket.h>
#include <gst/livepeer/lpbalance.h>
#include <gst/livepeer/lpwire.h>
#include <gst/livepeer/lpledger.h>
#include <gst/livepeer/lpcapability.h>
#include <gst/livepeer/lpproto-messages.h>
#include <gst/livepeer/lpwire-proto.h>

#include "gstlporchestrator.h"
#include "lpserver.h"
#include "lporchexchange.h"
#include "lpsegmenttranscoder.h"

G_BEGIN_DECLS

/* defined in gstlporchestrator.c; shared with lpserver.c and
 * lpjobrunner.c too */
GST_DEBUG_CATEGORY_EXTERN (gst_lp_orchestrator_debug);
#define GST_CAT_DEFAULT gst_lp_orchestrator_debug

/* The credit account of all of a sender's sessions. go-livepeer keys an
 * orchestrator's balances by sender and manifest id, both the
 * broadcaster's to pick: a broadcaster that opened a new session (or
 * stream) per segment left its debt behind each time. Here credit and
 * debt follow the sender across its sessions. */
#define CREDIT_ACCOUNT "all-sessions"

typedef struct _Session Session;
typedef struct _RenditionStore RenditionStore;

/* lporchview.c: what the request path reads of a chain, refreshed by the
 * ledger worker (under its own leaf lock; @remote is set at start) */
typedef struct
{
  GMutex lock;
  gboolean remote;              /* a chain: read through the view */
  gboolean valid;
  LpLedgerStatus status;
  gboolean active;              /* this node is in the active set */
  guint n_active;
  gboolean has_hash;
  guint64 hash_round;
  guint8 block_hash[LP_KECCAK256_SIZE];
  LpUint256 gas_price;
  gint64 gas_price_at;          /* monotonic; 0: never read */
  GHashTable *senders;          /* LpAddress -> SenderEntry */
  guint64 request_path_reads;   /* reads the request path made itself */
} LedgerView;

/* The counters behind the `stats` property (under the orchestrator
 * lock). */
typedef struct
{
  guint64 sessions_started;
  guint64 segments_ok;
  guint64 segments_failed;
  guint64 pixels;
  guint64 tickets_received;
  guint64 tickets_won;
  guint64 tickets_redeemed;
  guint64 tickets_failed;
  LpUint256 fees_earned;
  guint64 rewards;
  LpUint256 rewards_minted;
} Stats;

/* The properties as set: GstLpOrchestrator.props, under the object lock,
 * and whole in Config.props, the copy a running service reads. */
typedef struct
{
  gchar *address;
  guint port;
  gchar *service_uri;
  gchar *key_file;
  gchar *password_file;
  gchar *ledger_uri;
  guint64 price_per_unit;
  guint64 pixels_per_unit;
  guint64 ticket_ev;
  guint64 max_face_value;
  guint64 redeem_gas;
  guint max_sessions;
  gchar *encoder;               /* NULL: "auto" */
  gchar *profiles_allowed;      /* comma-separated; NULL or "": any */
  gchar *capabilities;          /* the capabilities file */
  guint64 max_segment_size;
  guint session_timeout;
  gboolean auto_reward;
  gboolean auto_initialize_round;
  gboolean register_service_uri;
  guint metrics_port;
  guint64 max_pixel_rate;
  guint max_renditions;
  guint max_segment_duration;
  guint max_connections;
  guint idle_timeout;
  gboolean tls;
  gchar *state_dir;             /* NULL: beside the key file */
  guint rendition_lifetime;
} Settings;

/* What a running service reads: the properties copied at start, so that
 * handler threads never take the object lock, and what is derived from
 * them. */
typedef struct
{
  Settings props;
  LpPriceInfo price;
  gchar **profiles_allowed;     /* NULL: any */
  GPtrArray *capabilities;      /* LpCapability*, NULL: none */
  gchar *state_dir;             /* props.state_dir or the default */
} Config;

struct _GstLpOrchestrator
{
  GstElement parent;

  /* properties, under the object lock (gstlporchestrator.c) */
  Settings props;
  guint current_port;

  /* the running service (set in NULL->READY, cleared in READY->NULL); the
   * pointers are written only by state changes, with no service thread
   * running */
  Config config;
  /* lporchledger.c: load_key_and_ledger(), make_recipient() */
  LpPrivateKey *key;
  LpLedger *ledger;
  LpRecipient *recipient;
  guint8 auth_secret[LP_AUTH_TOKEN_SECRET_SIZE];
  /* lporchrpc.c: start_server(), disconnect_servers() */
  GMainContext *context;
  GMainLoop *loop;
  GThread *server_thread;
  SoupServer *server;
  SoupServer *metrics_server;
  LpServer *connections;        /* server's */
  LpServer *metrics_connections;        /* metrics_server's */
  /* lporchgrpc.c: start_grpc(), stop_grpc() */
  LpH2Server *h2_server;
  LpGrpcRouter *grpc_router;
  GTlsCertificate *certificate; /* NULL: tls off */
  RenditionStore *renditions;   /* the protobuf dialect's (lporchstore.c) */
  GSource *sweep;               /* its sweep, in @context */
  /* lporchledger.c: ledger_thread() */
  GThread *ledger_thread;
  /* lporchview.c (its own lock) */
  LedgerView view;

  /* protects everything below, and the stats */
  GMutex lock;
  GCond cond;                   /* ledger worker wake-ups */
  gboolean stopping;
  /* lporchsession.c */
  GHashTable *sessions;         /* session id -> Session* */
  GPtrArray *failed_sessions;   /* ended by a failure, to be joined */
  /* lporchledger.c */
  GArray *unstored_winners;     /* LpWinningTicket the ledger refused */
  Stats stats;
};

#define ORCH_LOCK(self) g_mutex_lock (&(self)->lock)
#define ORCH_UNLOCK(self) g_mutex_unlock (&(self)->lock)

/* One broadcaster session (an auth token's session id): its price, fixed
 * when it started, and its transcoder, driven by a worker thread of its
 * own so that a slow or failing session never holds up another. */
struct _Session
{
  gint refcount;
  GstLpOrchestrator *self;      /* not a ref: sessions end before the
                                 * service they belong to */
  gchar *id;
  LpAddress sender;
  LpPriceInfo price;
  const LpCapability *capability;       /* NULL: transcoding; else in the
                                         * config, which outlives sessions */
  GThread *thread;
  GAsyncQueue *jobs;            /* Job*, or the session itself to quit */
  GCancellable *cancellable;

  /* under the orchestrator lock */
  guint queued;                 /* jobs pushed and not yet finished */
  gint64 last_active;           /* g_get_monotonic_time() */
  guint last_duration_ms;       /* of its last segment */
  guint64 segments;
  gboolean ended;               /* out of the sessions table */
  gboolean end_requested;       /* EndTranscodingSession: end once idle */
  gchar *end_reason;            /* why a failed session ended */

  /* the worker thread's own */
  LpSegmentTranscoder *transcoder;
  gchar *transcoder_profiles;   /* the profiles it was built for */
};

/* One segment on its way through a session. */
typedef struct
{
  Session *session;             /* a ref */
  LpExchange *exchange;         /* its request, answered once it is done */
  LpSegData *seg;
  GBytes *body;
  guint64 reserved;             /* estimated pixels taken from the credit */
  /* the answer, written by the worker: a TranscodeResult, whose
   * renditions go to @self's store */
  GBytes *result_proto;
  GPtrArray *renditions;        /* LpRendition*, NULL on failure */
  GPtrArray *part_types;        /* a capability job's: its parts' types */
} Job;

/* gstlporchestrator.c: statistics and messages, from any thread;
 * make_stats() takes the orchestrator lock */
gchar *address_text (const LpAddress * address);
GstStructure *make_stats (GstLpOrchestrator * self);
/* lporchmetrics.c: GET /metrics's text */
gchar *metrics_text (GstLpOrchestrator * self, gsize * length);
void post_element_message (GstLpOrchestrator * self, GstStructure * s);

/* lporchsession.c: sessions, capacity and their workers. The `_locked`
 * functions are called with the orchestrator lock; session_finish()
 * without it, and never from the session's own worker. */
Session *session_ref (Session * session);
void session_unref (Session * session);
void job_release (GstLpOrchestrator * self, Job * job);
void job_free (Job * job);
const LpPriceInfo *price_of (GstLpOrchestrator * self,
    const LpCapability * capability);
Session *session_new_locked (GstLpOrchestrator * self, const gchar * id,
    const LpAddress * sender, const LpCapability * capability);
void post_session_started (GstLpOrchestrator * self, Session * session);
gboolean evict_idle_session_locked (GstLpOrchestrator * self);
void session_finish (GstLpOrchestrator * self, Session * session,
    const gchar * reason, gboolean cancel);
void end_idle_sessions (GstLpOrchestrator * self);
gboolean at_capacity (GstLpOrchestrator * self, const gchar * session_id);
gboolean capability_full_locked (GstLpOrchestrator * self,
    const LpCapability * capability, const LpAddress * sender);
void reap_failed_sessions (GstLpOrchestrator * self);

/* lporchrpc.c: the HTTP server ("lporch-http") and what its answers
 * carry. make_orchestrator_info() runs in the server thread or a session
 * worker, complete_job() in the server thread (a worker invokes it in
 * @context), start_server() in NULL->READY, disconnect_servers() in
 * @context at stop. */
LpOrchestratorInfo *make_orchestrator_info (GstLpOrchestrator * self,
    const LpAddress * sender, const LpAuthToken * token,
    const LpPriceInfo * price, GError ** error);
gboolean complete_job (gpointer data);

/* lporchrpc.c: the handlers of go-livepeer's POST /segment, POST /payment
 * and GET /stream/... (its renditions), whichever transport carried the
 * request: libsoup's HTTP/1.1 there, HTTP/2 in lporchgrpc.c; server
 * thread */
void serve_segment (GstLpOrchestrator * self, LpExchange * exchange);
void serve_payment (GstLpOrchestrator * self, LpExchange * exchange);
void serve_rendition (GstLpOrchestrator * self, LpExchange * exchange);

/* lporchrpc.c: discovery and the end of a session (the gRPC handlers in
 * lporchgrpc.c only translate), in the server thread; their refusals are DISCOVERY_ERROR, or another
 * domain's error for a failure of the ledger */
#define DISCOVERY_ERROR (discovery_error_quark ())
GQuark discovery_error_quark (void);
typedef enum
{
  DISCOVERY_ERROR_SIGNATURE,    /* the request's signature is not its sender's */
  DISCOVERY_ERROR_REQUEST,      /* it asks for a capability not offered */
  DISCOVERY_ERROR_CAPPED,       /* no room for another session */
  DISCOVERY_ERROR_CAPABILITY_FULL,      /* none for the capability asked */
  DISCOVERY_ERROR_AUTH_TOKEN,   /* not our auth token, or expired */
} DiscoveryError;
LpOrchestratorInfo *discover (GstLpOrchestrator * self,
    const LpOrchestratorRequest * request, const LpCapability * capability,
    GError ** error);
gboolean end_session (GstLpOrchestrator * self, const LpAuthToken * token,
    GError ** error);

/* lporchgrpc.c: go-livepeer's gRPC service on the port of @connections,
 * started in start_server() (in @context, before it runs) and stopped in
 * disconnect_servers() */
gboolean start_grpc (GstLpOrchestrator * self, LpServer * connections);
LpProtoCapabilities *capabilities_to_proto (GstLpOrchestrator * self);
gboolean requested_job (GstLpOrchestrator * self,
    const LpProtoCapabilities * caps, const LpCapability ** job,
    GError ** error);
gboolean proto_capabilities_compatible (GstLpOrchestrator * self,
    const LpProtoCapabilities * caps, const LpCapability ** job);
void orchestrator_info_complete_proto (GstLpOrchestrator * self,
    LpProtoOrchestratorInfo * p);
LpProtoOrchestratorInfo *orchestrator_info_to_proto (GstLpOrchestrator *
    self, const LpOrchestratorInfo * info);
void stop_grpc (GstLpOrchestrator * self);
gboolean start_server (GstLpOrchestrator * self);
gboolean disconnect_servers (gpointer data);

/* lporchstore.c: the renditions of protobuf-dialect segments, kept for
 * download; MT safe (the store has its own lock) */
RenditionStore *rendition_store_new (guint lifetime_ms);
void rendition_store_free (RenditionStore * store);
gchar *rendition_store_put (RenditionStore * store, const gchar * session,
    const gchar * profile, guint64 seq, const gchar * extension,
    GBytes * data);
const gchar *rendition_content_type (const gchar * path);
GBytes *rendition_store_get (RenditionStore * store, const gchar * path);
gboolean rendition_store_sweep (gpointer data);
guint rendition_store_count (RenditionStore * store);

/* lporchledger.c: the key, the ledger and the recipient (opened in
 * NULL->READY) and the ledger worker ("lporch-ledger", ledger_thread()).
 * store_unstored_winners() runs in the worker, and in stop_service()
 * once the worker is joined. */
gboolean load_key_and_ledger (GstLpOrchestrator * self,
    const gchar * key_file, const gchar * password_file);
gboolean make_recipient (GstLpOrchestrator * self, guint64 ticket_ev,
    guint64 max_face_value, guint64 redeem_gas);
void warn_if_not_registered (GstLpOrchestrator * self);
void warn_if_rounds_too_short (GstLpOrchestrator * self);
void store_unstored_winners (GstLpOrchestrator * self);
gpointer ledger_thread (gpointer data);

/* lporchview.c: the ledger as the request path reads it (a chain's
 * cached copy, refreshed by the ledger worker on each new block; the
 * embedded ledger directly). ledger_view_start() runs in NULL->READY,
 * ledger_view_refresh() in the ledger worker, the rest anywhere. */
void ledger_view_init (LedgerView * view);
void ledger_view_reset (LedgerView * view);
void ledger_view_clear (LedgerView * view);
gboolean ledger_view_start (GstLpOrchestrator * self, GError ** error);
gboolean ledger_view_refresh (GstLpOrchestrator * self,
    const LpLedgerStatus * status, GError ** error);
gboolean ledger_view_status (GstLpOrchestrator * self,
    LpLedgerStatus * status, GError ** error);
gboolean ledger_view_require_active (GstLpOrchestrator * self,
    const LpLedgerStatus * status, GError ** error);
gboolean ledger_view_active_count (GstLpOrchestrator * self,
    guint * n_active, GError ** error);
gboolean ledger_view_round_block_hash (GstLpOrchestrator * self,
    guint64 round, guint8 hash[LP_KECCAK256_SIZE], GError ** error);
gboolean ledger_view_sender_info (GstLpOrchestrator * self,
    const LpAddress * sender, LpSenderInfo * info, GError ** error);
void ledger_view_gas_price (GstLpOrchestrator * self, LpUint256 * price);

G_END_DECLS

#endif /* __GST_LP_ORCHESTRATOR_PRIVATE_H__ */

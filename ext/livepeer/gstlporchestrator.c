/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-lporchestrator
 * @title: lporchestrator
 *
 * A Livepeer orchestrator node inside a pipeline. The element has no pads:
 * in READY and above it serves broadcasters over HTTP, takes their
 * probabilistic micropayment tickets, transcodes their segments into the
 * renditions they ask for on the best H.264 encoder present (through
 * `lptranscodebin`), redeems its winning tickets on the ledger and calls
 * `reward` once per round while it is active.
 *
 * ## The service
 *
 * * `POST /getOrchestrator`: discovery. The body is an `OrchestratorRequest`
 *   as JSON (PROTOCOL.md §7) whose `sig` is the broadcaster's signature of
 *   its own EIP-55 address; the answer is an `OrchestratorInfo` with ticket
 *   parameters made for that sender, the price, the orchestrator's address
 *   and a new session's auth token. 403 for a bad signature or when
 *   `max-sessions` sessions are open and none of them may give its place
 *   ("OrchestratorCapped"; see below).
 * * `POST /segment`: one MPEG-TS segment (`Content-Type: video/MP2T`) with
 *   the `Livepeer-Segment` and `Livepeer-Payment` headers. The checks run
 *   in this order, each with its status and a reason in the body: payment
 *   unparsable (402); segment credentials: encoding, signature, auth
 *   token, profiles, capacity (403); body larger than `max-segment-size`
 *   (413, before anything else and without keeping the body when its
 *   Content-Length announces it; a chunked body is refused with 411);
 *   body hash differs from the signed one (403); body is not
 *   MPEG-TS (415 for another content type, 400 for other bytes); the work
 *   asked for: a declared duration over `max-segment-duration` (403) or
 *   shorter than the video's PTS span (400), more renditions than
 *   `max-renditions` or more output pixels per second than
 *   `max-pixel-rate` (403); payment rejected (400); when the price is not
 *   0, a credit below the segment's estimated fee (400 "insufficient
 *   balance": the renditions' width × height × frame rate, rounded up,
 *   times the declared duration in whole seconds, as a broadcaster
 *   estimates it without its 2 % margin; a capability job needs one
 *   ticket's EV). The estimated fee is taken from the credit until the
 *   work is debited, so two segments never spend the same credit. Credit
 *   and debt are the sender's across all its sessions: a new session per
 *   segment does not leave a debt behind. Body checks come before
 *   the payment is credited so that a bad body never credits anything.
 *   Then the session's transcoder runs and the answer is `200` with a
 *   `multipart/mixed` body: first the `TranscodeResult` JSON
 *   (`application/json`) with the encoded pixels of each rendition, the
 *   result signature (PROTOCOL.md §4) and fresh ticket parameters, then
 *   one `video/MP2T` part per requested profile, in order. A transcoding
 *   failure (a body that is not video, no keyframe, an encoder failure)
 *   is a `200` whose `TranscodeResult` has `error` and no renditions; it
 *   ends that session, posts a warning, and nothing is debited.
 * * `POST /endSession`: the body is the session's `AuthToken` as JSON; the
 *   session ends (its capacity is free again) once its last segment is
 *   answered, as go-livepeer's `EndTranscodingSession`. 403 for a token
 *   that is not ours or expired; `{}` otherwise.
 * * `GET /metrics` on `metrics-port` (when set): the `stats` counters as
 *   Prometheus text, each with its `# HELP` and `# TYPE`.
 *
 * ## Connections, limits and capacity
 *
 * Both ports accept at most `max-connections` connections at once (the
 * one idle longest makes room for a newcomer), survive a failed accept()
 * (EMFILE) by retrying after 5 ms to 1 s, and close a connection whose
 * request header block does not arrive, whose body or answer stalls, or
 * that stays idle, for `idle-timeout` milliseconds (408 when a request
 * was under way). Every request is refused before its body is read when
 * it is over a limit, with a reason and `Connection: close`: 413 for a
 * body over `max-segment-size` on `/segment` or over 256 KiB elsewhere
 * (announced, or counted as chunks come; `Expect: 100-continue` gets the
 * 413 instead of `100 Continue`), 431 for a header block over 60 KiB or
 * over 100 header lines. Every answer says `Connection: close` (libsoup
 * 3.2 closes such connections after each answer).
 *
 * A session holds its place among `max-sessions` while it streams: once
 * it has been quiet for more than twice its last segment's duration, a
 * broadcaster whose segment is paid for takes its place (the session
 * ends with reason "idle: its place went to a paying broadcaster").
 *
 * The ticket EV is raised above `ticket-ev` when needed so that the most
 * costly segment admitted (`max-pixel-rate` for `max-segment-duration`)
 * needs at most half of the %LP_WIRE_MAX_TICKETS_PER_PAYMENT tickets one
 * payment can carry.
 *
 * At start the ledger's storage is checked (SQLite's quick_check); a
 * damaged ledger fails NULL→READY.
 *
 * ## Capabilities: AI and custom video jobs
 *
 * With `capabilities` set to a key file (see `pipelines/capabilities.ini`),
 * the orchestrator also offers jobs: each a GStreamer pipeline fragment
 * that takes raw video (face detection, motion events, a video-to-video
 * effect …), with a model id, outputs (metadata: the element messages its
 * elements post; video: its video encoded to a profile), a unit (pixels,
 * frames or seconds), a price and a capacity. Discovery answers list them
 * in `capabilities` (`{"jobs": [...]}`, prices included). A broadcaster
 * asks for one with `{"job": {"capability", "model_id"}}` in the
 * OrchestratorRequest's `capabilities` (its ticket parameters and price are
 * then the capability's) and in each segment's SegData, without profiles.
 * An unknown capability or another model gets 400 with what is offered; a
 * capability whose `capacity` sessions of other broadcasters are open gets
 * 503 "insufficient capacity" (a broadcaster's own sessions do not count:
 * it may discover again for a fresh token). The segment runs through `appsrc ! tsdemux ! h264parse !
 * avdec_h264 ! FRAGMENT` in a pipeline of its own; the answer carries the
 * video (`video/MP2T`, named after the capability) and then the metadata
 * (`application/json`, `CAPABILITY.json`: `capability`, `model_id`, `seq`,
 * `frames`, `width`, `height`, `duration_ms` and `messages`, each with its
 * `element` factory, `message` name and `fields`). The first part's
 * `pixels` in the TranscodeResult are the units billed, debited at the
 * capability's price; the result is signed as a transcode's. A segment
 * may take max (8 s, 4 × its duration), as long as a broadcaster waits for
 * it. A fragment that fails on a segment (or takes longer) fails that job only (an `error` result and a
 * warning; nothing debited), the session goes on.
 *
 * Each session (the auth token's session id) owns one transcode pipeline,
 * kept across its segments and ended after `session-timeout` seconds
 * without a segment. The output pixels (frames × width × height of every
 * rendition) are debited from the sender's credit at the price fixed when
 * the session started.
 *
 * Winning tickets are stored in the ledger's redemption queue before the
 * answer is sent and redeemed by the element's ledger worker once their
 * parameters have expired (PROTOCOL.md §5); a ticket whose creation round
 * is too old is dropped with a message.
 *
 * ## Messages
 *
 * Element messages (all fields always present unless said otherwise):
 *
 * * `lporchestrator-session-started`: `session` (string), `sender`
 *   (string, EIP-55), `price-per-unit`, `pixels-per-unit` (guint64).
 * * `lporchestrator-session-ended`: `session`, `reason` (string: "idle",
 *   "ended by the broadcaster", "error: …", "shutdown"), `segments`
 *   (guint64).
 * * `lporchestrator-segment`: `session` (string), `seq` (guint64),
 *   `profiles` (string, comma separated), `pixels` (guint64, all
 *   renditions), `fee` (string, wei debited, an exact fraction "n" or
 *   "n/d"), `transcode-time` (GstClockTime), `encoder` (string).
 * * `lporchestrator-ticket-won`: `sender`, `ticket-hash` (string,
 *   0x-hex), `face-value` (string, wei), `creation-round` (guint64):
 *   queued for redemption.
 * * `lporchestrator-ticket-redeemed`: `ticket-hash`, `sender`, `success`
 *   (boolean), `reason` (string, empty on success), `paid`, `from-deposit`,
 *   `from-reserve` (strings, wei), `round` (guint64).
 * * `lporchestrator-reward`: `round` (guint64), `minted` (string, LPT wei).
 * * `lporchestrator-job`: a capability job answered: `session`,
 *   `capability`, `model-id`, `unit` (strings), `seq`, `units`, `frames`
 *   (guint64), `fee` (string, wei), `job-time` (GstClockTime).
 * * `lporchestrator-session-started` also has `capability` (string, NULL
 *   for a transcoding session).
 *
 * ## Example launch line
 *
 * ```
 * lpctl account new --out orch.key
 * lpctl init --fund "$(lpctl account address orch.key | tail -n 1)=1000e18"
 * gst-launch-1.0 lporchestrator port=8935 key-file=orch.key ledger=devnet.db
 * # serves until interrupted
 * ```
 * A free orchestrator on http://127.0.0.1:8935 over a fresh devnet ledger.
 * To charge and earn, set `price-per-unit`, and bond and register the key
 * on the ledger (`lpctl bond`, `lpctl register`).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <sys/socket.h>

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
#include <gst/livepeer/lpmpegts.h>
#include <gst/livepeer/lpsender.h>

#include "gstlporchestrator.h"
#include "lpjobrunner.h"
#include "lpserver.h"
#include "lpsegmenttranscoder.h"

/* shared with lpjobrunner.c, the orchestrator's capability jobs */
GST_DEBUG_CATEGORY (gst_lp_orchestrator_debug);
#define GST_CAT_DEFAULT gst_lp_orchestrator_debug

#define DEFAULT_ADDRESS "127.0.0.1"
#define DEFAULT_PORT 8935
#define DEFAULT_SERVICE_URI NULL
#define DEFAULT_KEY_FILE NULL
#define DEFAULT_PASSWORD_FILE NULL
#define DEFAULT_LEDGER "devnet.db"
#define DEFAULT_PRICE_PER_UNIT 0
#define DEFAULT_PIXELS_PER_UNIT 1
#define DEFAULT_TICKET_EV G_GUINT64_CONSTANT (8000000000)
#define DEFAULT_MAX_FACE_VALUE 0
#define DEFAULT_MAX_SESSIONS 10
#define DEFAULT_ENCODER "auto"
#define DEFAULT_PROFILES_ALLOWED NULL
#define DEFAULT_CAPABILITIES NULL
/* 2 s of 8 Mbit/s is 2 MB; 64 MiB leaves room for long or rich segments
 * while bounding what one request can make us hold in memory
 * (go-livepeer's 300 MB is 300 s of 8 Mbit/s) */
#define DEFAULT_MAX_SEGMENT_SIZE (64 * 1024 * 1024)
#define DEFAULT_SESSION_TIMEOUT 70
#define DEFAULT_AUTO_REWARD TRUE
#define DEFAULT_AUTO_INITIALIZE_ROUND FALSE
#define DEFAULT_METRICS_PORT 0
/* a sane ladder for a 1080p60 source (1080p60, 720p60, 480p30, 360p30,
 * 240p30) is 202 Mpixel/s; 32 renditions of 8192x8192 would be 2 Tpixel/s */
#define DEFAULT_MAX_PIXEL_RATE G_GUINT64_CONSTANT (250000000)
/* the ladders broadcasters ask for have 2 to 5 renditions */
#define DEFAULT_MAX_RENDITIONS 8
/* go-livepeer refuses segments over 5 minutes (lpwire's
 * LP_WIRE_MAX_DURATION_MS); live segments are 2 s (6 s at most in HLS's
 * advice), and the longest segment sizes the ticket EV (see
 * effective_ticket_ev()) */
#define DEFAULT_MAX_SEGMENT_DURATION 10000
/* a broadcaster holds a few connections; the rest of 1024 descriptors is
 * the transcoders' and the ledger's */
#define DEFAULT_MAX_CONNECTIONS 256
/* a header block, a stalled body or answer, or a connection idle between
 * requests (livepeersink sends a segment every 2 s) */
#define DEFAULT_IDLE_TIMEOUT 20000
/* bodies of discovery, endSession and anything but /segment are JSON */
#define MAX_SMALL_BODY_SIZE LP_WIRE_MAX_JSON_SIZE

/* segments waiting per session before "OrchestratorBusy" (go-livepeer's
 * channel depth) */
#define MAX_QUEUED_SEGMENTS 4
/* how often the ledger worker looks at the chain: new blocks, rounds,
 * redeemable tickets, idle sessions */
#define LEDGER_POLL_INTERVAL_US (200 * G_TIME_SPAN_MILLISECOND)
/* The credit account of all of a sender's sessions. go-livepeer keys an
 * orchestrator's balances by sender and manifest id, both the
 * broadcaster's to pick: a broadcaster that opened a new session (or
 * stream) per segment left its debt behind each time. Here credit and
 * debt follow the sender across its sessions. */
#define CREDIT_ACCOUNT "all-sessions"
/* a declared duration may be this much (and a tenth) shorter than the
 * video's PTS span: the broadcaster rounds to milliseconds and may count
 * the last frame differently */
#define DURATION_SLACK_MS 100
/* a segment without a duration is taken as 2 s (PROTOCOL.md §7) */
#define DEFAULT_DURATION_MS 2000
/* a session idle for longer than this many of its last segment's
 * durations is not streaming live: its place goes to a paying newcomer */
#define IDLE_SEGMENTS_BEFORE_EVICTION 2
/* a segment that takes longer than this fails ("timeout") */
#define SEGMENT_DEADLINE (60 * GST_SECOND)

enum
{
  PROP_0,
  PROP_ADDRESS,
  PROP_PORT,
  PROP_CURRENT_PORT,
  PROP_SERVICE_URI,
  PROP_KEY_FILE,
  PROP_PASSWORD_FILE,
  PROP_LEDGER,
  PROP_PRICE_PER_UNIT,
  PROP_PIXELS_PER_UNIT,
  PROP_TICKET_EV,
  PROP_MAX_FACE_VALUE,
  PROP_MAX_SESSIONS,
  PROP_ENCODER,
  PROP_PROFILES_ALLOWED,
  PROP_CAPABILITIES,
  PROP_MAX_SEGMENT_SIZE,
  PROP_SESSION_TIMEOUT,
  PROP_AUTO_REWARD,
  PROP_AUTO_INITIALIZE_ROUND,
  PROP_METRICS_PORT,
  PROP_MAX_PIXEL_RATE,
  PROP_MAX_RENDITIONS,
  PROP_MAX_SEGMENT_DURATION,
  PROP_MAX_CONNECTIONS,
  PROP_IDLE_TIMEOUT,
  PROP_STATS,
};

typedef struct _Session Session;

/* The counters behind the `stats` property (under the element's lock). */
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

/* What a running service needs of the properties, copied at start so that
 * handler threads never take the object lock. */
typedef struct
{
  gchar *address;
  guint port;
  gchar *service_uri;
  gchar *ledger_uri;
  LpPriceInfo price;
  guint max_sessions;
  gchar *encoder;
  gchar **profiles_allowed;     /* NULL: any */
  GPtrArray *capabilities;      /* LpCapability*, NULL: none */
  gchar *capabilities_json;     /* their advertisement */
  guint64 max_segment_size;
  guint session_timeout;
  gboolean auto_reward;
  gboolean auto_initialize_round;
  guint metrics_port;
  guint64 max_pixel_rate;
  guint max_renditions;
  guint max_segment_duration;
  guint max_connections;
  guint idle_timeout;
} Config;

struct _GstLpOrchestrator
{
  GstElement parent;

  /* properties, under the object lock */
  gchar *address;
  guint port;
  guint current_port;
  gchar *service_uri;
  gchar *key_file;
  gchar *password_file;
  gchar *ledger_uri;
  guint64 price_per_unit;
  guint64 pixels_per_unit;
  guint64 ticket_ev;
  guint64 max_face_value;
  guint max_sessions;
  gchar *encoder;
  gchar *profiles_allowed;
  gchar *capabilities;
  guint64 max_segment_size;
  guint session_timeout;
  gboolean auto_reward;
  gboolean auto_initialize_round;
  guint metrics_port;
  guint64 max_pixel_rate;
  guint max_renditions;
  guint max_segment_duration;
  guint max_connections;
  guint idle_timeout;

  /* the running service (set in NULL->READY, cleared in READY->NULL); the
   * pointers are written only by state changes, with no service thread
   * running */
  Config config;
  LpPrivateKey *key;
  LpLedger *ledger;
  LpRecipient *recipient;
  guint8 auth_secret[LP_AUTH_TOKEN_SECRET_SIZE];
  GMainContext *context;
  GMainLoop *loop;
  GThread *server_thread;
  SoupServer *server;
  SoupServer *metrics_server;
  LpServer *connections;        /* server's */
  LpServer *metrics_connections;        /* metrics_server's */
  GThread *ledger_thread;

  /* protects everything below, and the stats */
  GMutex lock;
  GCond cond;                   /* ledger worker wake-ups */
  gboolean stopping;
  GHashTable *sessions;         /* session id -> Session* */
  GPtrArray *failed_sessions;   /* ended by a failure, to be joined */
  GArray *unstored_winners;     /* LpWinningTicket the ledger refused */
  Stats stats;
};

G_DEFINE_TYPE (GstLpOrchestrator, gst_lp_orchestrator, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (lporchestrator, "lporchestrator",
    GST_RANK_NONE, GST_TYPE_LP_ORCHESTRATOR,
    GST_DEBUG_CATEGORY_INIT (gst_lp_orchestrator_debug, "lporchestrator", 0,
        "Livepeer orchestrator"));

#define ORCH_LOCK(self) g_mutex_lock (&(self)->lock)
#define ORCH_UNLOCK(self) g_mutex_unlock (&(self)->lock)

static void gst_lp_orchestrator_finalize (GObject * object);
static void gst_lp_orchestrator_set_property (GObject * object,
    guint prop_id, const GValue * value, GParamSpec * pspec);
static void gst_lp_orchestrator_get_property (GObject * object,
    guint prop_id, GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_lp_orchestrator_change_state (GstElement *
    element, GstStateChange transition);
static gboolean gst_lp_orchestrator_send_event (GstElement * element,
    GstEvent * event);
static gboolean start_service (GstLpOrchestrator * self);
static void stop_service (GstLpOrchestrator * self);

/* ------------------------------------------------------------------------ */
/* class                                                                    */
/* ------------------------------------------------------------------------ */

static void
gst_lp_orchestrator_class_init (GstLpOrchestratorClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  const GParamFlags rw_ready = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;

  gobject_class->finalize = gst_lp_orchestrator_finalize;
  gobject_class->set_property = gst_lp_orchestrator_set_property;
  gobject_class->get_property = gst_lp_orchestrator_get_property;

  /**
   * GstLpOrchestrator:address:
   *
   * The IP address to listen on. 127.0.0.1 keeps the service on this
   * machine; 0.0.0.0 serves every interface.
   */
  g_object_class_install_property (gobject_class, PROP_ADDRESS,
      g_param_spec_string ("address", "Address",
          "The IP address the HTTP service listens on", DEFAULT_ADDRESS,
          rw_ready));
  /**
   * GstLpOrchestrator:port:
   *
   * The TCP port of the service. 0 picks a free port: read
   * #GstLpOrchestrator:current-port once the element is in READY.
   */
  g_object_class_install_property (gobject_class, PROP_PORT,
      g_param_spec_uint ("port", "Port",
          "The TCP port the HTTP service listens on (0: pick a free one; "
          "see current-port)", 0, 65535, DEFAULT_PORT, rw_ready));
  /**
   * GstLpOrchestrator:current-port:
   *
   * The port the service is bound to, set (and notified) in NULL→READY
   * and back to 0 in READY→NULL.
   */
  g_object_class_install_property (gobject_class, PROP_CURRENT_PORT,
      g_param_spec_uint ("current-port", "Current port",
          "The port the service is bound to (0 while not bound); notified "
          "when it binds", 0, 65535, 0,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /**
   * GstLpOrchestrator:service-uri:
   *
   * What discovery advertises as `transcoder`: where broadcasters send
   * their segments. Defaults to http://ADDRESS:CURRENT-PORT; set it when
   * broadcasters reach the node through another name.
   */
  g_object_class_install_property (gobject_class, PROP_SERVICE_URI,
      g_param_spec_string ("service-uri", "Service URI",
          "The URI advertised to broadcasters as the transcoder (NULL: "
          "http://ADDRESS:CURRENT-PORT)", DEFAULT_SERVICE_URI, rw_ready));
  /**
   * GstLpOrchestrator:key-file:
   *
   * The orchestrator's key: ticket recipient, result signatures and its
   * account on the ledger. `lpctl account new --out FILE` makes one.
   */
  g_object_class_install_property (gobject_class, PROP_KEY_FILE,
      g_param_spec_string ("key-file", "Key file",
          "The orchestrator's secp256k1 key: a file of 64 hex digits (mode "
          "0600) or a Web3 keystore (then set password-file)",
          DEFAULT_KEY_FILE, rw_ready));
  /**
   * GstLpOrchestrator:password-file:
   *
   * The keystore password, for a #GstLpOrchestrator:key-file that is a
   * Web3 keystore; its first line is the password.
   */
  g_object_class_install_property (gobject_class, PROP_PASSWORD_FILE,
      g_param_spec_string ("password-file", "Password file",
          "A file whose first line is the keystore's password (NULL: the "
          "key file is not encrypted)", DEFAULT_PASSWORD_FILE, rw_ready));
  /**
   * GstLpOrchestrator:ledger:
   *
   * The ledger the node reads rounds and deposits from and redeems its
   * tickets on.
   */
  g_object_class_install_property (gobject_class, PROP_LEDGER,
      g_param_spec_string ("ledger", "Ledger",
          "The ledger's URI: an embedded ledger file (devnet.db, "
          "sqlite:///path) made by 'lpctl init'", DEFAULT_LEDGER, rw_ready));
  /**
   * GstLpOrchestrator:price-per-unit:
   *
   * With #GstLpOrchestrator:pixels-per-unit, the price of encoded output
   * pixels, fixed for a session when it starts. 0 serves for free and
   * needs no payment.
   */
  g_object_class_install_property (gobject_class, PROP_PRICE_PER_UNIT,
      g_param_spec_uint64 ("price-per-unit", "Price per unit",
          "Price in wei of pixels-per-unit encoded output pixels (0: free, "
          "no payment needed)", 0, G_MAXUINT64, DEFAULT_PRICE_PER_UNIT,
          rw_ready));
  /**
   * GstLpOrchestrator:pixels-per-unit:
   *
   * How many pixels #GstLpOrchestrator:price-per-unit pays for.
   */
  g_object_class_install_property (gobject_class, PROP_PIXELS_PER_UNIT,
      g_param_spec_uint64 ("pixels-per-unit", "Pixels per unit",
          "The number of pixels price-per-unit pays for", 1, G_MAXUINT64,
          DEFAULT_PIXELS_PER_UNIT, rw_ready));
  /**
   * GstLpOrchestrator:ticket-ev:
   *
   * The expected value of one ticket: each accepted ticket credits this
   * much. It is raised when a segment within max-pixel-rate and
   * max-segment-duration would need more than half the tickets one
   * payment can carry (LP_WIRE_MAX_TICKETS_PER_PAYMENT).
   */
  g_object_class_install_property (gobject_class, PROP_TICKET_EV,
      g_param_spec_uint64 ("ticket-ev", "Ticket EV",
          "Expected value of one ticket, in wei (what each ticket credits)",
          1, G_MAXUINT64, DEFAULT_TICKET_EV, rw_ready));
  /**
   * GstLpOrchestrator:max-face-value:
   *
   * An upper bound on the face value of the tickets the node asks for.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_FACE_VALUE,
      g_param_spec_uint64 ("max-face-value", "Maximum face value",
          "Cap on a ticket's face value, in wei (0: none; the sender's "
          "reserve share caps it anyway)", 0, G_MAXUINT64,
          DEFAULT_MAX_FACE_VALUE, rw_ready));
  /**
   * GstLpOrchestrator:max-sessions:
   *
   * How many sessions may transcode at once; discovery and new sessions
   * beyond it get 403 "OrchestratorCapped".
   */
  g_object_class_install_property (gobject_class, PROP_MAX_SESSIONS,
      g_param_spec_uint ("max-sessions", "Maximum sessions",
          "Transcoding sessions served at once; more are refused with 403 "
          "OrchestratorCapped", 1, 1024, DEFAULT_MAX_SESSIONS, rw_ready));
  /**
   * GstLpOrchestrator:encoder:
   *
   * The H.264 encoder of every session, as lptranscodebin's `encoder`.
   */
  g_object_class_install_property (gobject_class, PROP_ENCODER,
      g_param_spec_string ("encoder", "Encoder",
          "'auto' (the best H.264 encoder present, see lptranscodebin) or "
          "an H.264 encoder factory name", DEFAULT_ENCODER, rw_ready));
  /**
   * GstLpOrchestrator:profiles-allowed:
   *
   * Restricts the renditions broadcasters may ask for; a segment asking
   * for another gets 403. A preset name (P360p30fps16x9, …) allows that
   * preset's size and frame rate at up to its bitrate; a custom name
   * allows any rendition under that name.
   */
  g_object_class_install_property (gobject_class, PROP_PROFILES_ALLOWED,
      g_param_spec_string ("profiles-allowed", "Profiles allowed",
          "Comma-separated rendition names broadcasters may ask for "
          "(NULL: any valid profile)", DEFAULT_PROFILES_ALLOWED, rw_ready));
  /**
   * GstLpOrchestrator:capabilities:
   *
   * A file of jobs offered besides transcoding (AI and custom video jobs),
   * one `[NAME]` group each: `model-id`, `pipeline` (a GStreamer fragment
   * taking raw video), `outputs` (`metadata`: the element messages its
   * elements post, as JSON; `video`: its video, encoded to
   * `output-profile`; or both), `unit` (`pixels`, `frames` or `seconds`),
   * `price-per-unit` wei for `units-per-price` units, and `capacity`
   * (sessions at a time). They are advertised in OrchestratorInfo with
   * their prices; a broadcaster asks for one by name and model at
   * discovery and in each segment. Every fragment is built once at start:
   * a missing plugin fails READY→PAUSED. See `pipelines/capabilities.ini`.
   */
  g_object_class_install_property (gobject_class, PROP_CAPABILITIES,
      g_param_spec_string ("capabilities", "Capabilities",
          "Key file of the jobs offered besides transcoding: name, model, "
          "pipeline fragment, outputs, unit, price and capacity of each "
          "(NULL: transcoding only)", DEFAULT_CAPABILITIES, rw_ready));
  /**
   * GstLpOrchestrator:max-segment-size:
   *
   * The largest segment body accepted; a larger one gets 413 without
   * being read when its length is announced.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_SEGMENT_SIZE,
      g_param_spec_uint64 ("max-segment-size", "Maximum segment size",
          "Largest segment body accepted, in bytes (larger: 413)", 1024,
          G_MAXUINT32, DEFAULT_MAX_SEGMENT_SIZE, rw_ready));
  /**
   * GstLpOrchestrator:session-timeout:
   *
   * A session without a segment for this long ends and frees its
   * transcoder and its place (go-livepeer's 70 s).
   */
  g_object_class_install_property (gobject_class, PROP_SESSION_TIMEOUT,
      g_param_spec_uint ("session-timeout", "Session timeout",
          "Seconds without a segment after which a session and its "
          "transcoder end", 1, 3600, DEFAULT_SESSION_TIMEOUT, rw_ready));
  /**
   * GstLpOrchestrator:auto-reward:
   *
   * Whether the node calls `reward` on the ledger once in every round in
   * which it is active, posting `lporchestrator-reward`.
   */
  g_object_class_install_property (gobject_class, PROP_AUTO_REWARD,
      g_param_spec_boolean ("auto-reward", "Auto reward",
          "Call reward once per round while the orchestrator is active",
          DEFAULT_AUTO_REWARD, rw_ready));
  /**
   * GstLpOrchestrator:auto-initialize-round:
   *
   * Whether the node initializes a new round itself when nobody else has
   * (anyone may; a devnet with one node needs somebody to).
   */
  g_object_class_install_property (gobject_class, PROP_AUTO_INITIALIZE_ROUND,
      g_param_spec_boolean ("auto-initialize-round", "Auto initialize round",
          "Initialize each new round on the ledger when nobody else has",
          DEFAULT_AUTO_INITIALIZE_ROUND, rw_ready));
  /**
   * GstLpOrchestrator:metrics-port:
   *
   * A port for `GET /metrics`, the #GstLpOrchestrator:stats counters as
   * Prometheus text. 0 serves none.
   */
  g_object_class_install_property (gobject_class, PROP_METRICS_PORT,
      g_param_spec_uint ("metrics-port", "Metrics port",
          "TCP port of a Prometheus text endpoint (GET /metrics) on "
          "address (0: none)", 0, 65535, DEFAULT_METRICS_PORT, rw_ready));
  /**
   * GstLpOrchestrator:max-pixel-rate:
   *
   * The most output pixels per second of video a segment may ask for, all
   * its renditions together (width × height × frame rate, rounded up; a
   * rendition that keeps the source's rate counts at least 60 fps).
   * Beyond it the segment gets 403 before any work. The default fits a
   * full ladder for a 1080p60 source.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_PIXEL_RATE,
      g_param_spec_uint64 ("max-pixel-rate", "Maximum pixel rate",
          "Output pixels per second of video one segment may ask for, all "
          "renditions together (larger: 403)", 1, G_MAXUINT64,
          DEFAULT_MAX_PIXEL_RATE, rw_ready));
  /**
   * GstLpOrchestrator:max-renditions:
   *
   * The most renditions (encoders) one segment may ask for. A session
   * runs one transcoder at a time, so this bounds a session's encoders
   * too, and max-sessions × max-renditions the node's.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_RENDITIONS,
      g_param_spec_uint ("max-renditions", "Maximum renditions",
          "Renditions (encoders) one segment, and so one session, may ask "
          "for (more: 403)", 1, LP_WIRE_MAX_PROFILES, DEFAULT_MAX_RENDITIONS,
          rw_ready));
  /**
   * GstLpOrchestrator:max-segment-duration:
   *
   * The longest segment accepted, in milliseconds of declared duration
   * (go-livepeer accepts up to 5 minutes). The declared duration must
   * also cover the segment's video: its PTS span. With the pixel rate it
   * bounds one segment's fee, which sizes the ticket EV (see
   * #GstLpOrchestrator:ticket-ev).
   */
  g_object_class_install_property (gobject_class, PROP_MAX_SEGMENT_DURATION,
      g_param_spec_uint ("max-segment-duration", "Maximum segment duration",
          "Longest segment accepted, milliseconds of declared duration "
          "(longer: 403)", 1000, LP_WIRE_MAX_DURATION_MS,
          DEFAULT_MAX_SEGMENT_DURATION, rw_ready));
  /**
   * GstLpOrchestrator:max-connections:
   *
   * Connections open at once on each port. When they are all open, the
   * one idle longest is closed for a newcomer; when all are busy, a
   * newcomer waits in the listen backlog.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_CONNECTIONS,
      g_param_spec_uint ("max-connections", "Maximum connections",
          "HTTP connections open at once on each port", 1, 65535,
          DEFAULT_MAX_CONNECTIONS, rw_ready));
  /**
   * GstLpOrchestrator:idle-timeout:
   *
   * How long, in milliseconds, a connection may take to send a request's
   * whole header block, go without progress while a body or an answer is
   * transferred, or stay idle between requests; then it is closed (408
   * when a request was under way). The time a segment takes to transcode
   * does not count.
   */
  g_object_class_install_property (gobject_class, PROP_IDLE_TIMEOUT,
      g_param_spec_uint ("idle-timeout", "Idle timeout",
          "Milliseconds a connection may wait for a request's headers, stall "
          "a body or answer, or idle between requests", 100, 3600000,
          DEFAULT_IDLE_TIMEOUT, rw_ready));
  /**
   * GstLpOrchestrator:stats:
   *
   * A `lporchestrator-stats` structure: `sessions` (guint, open now),
   * `sessions-started`, `segments-ok`, `segments-failed`, `pixels`,
   * `tickets-received`, `tickets-won`, `tickets-redeemed`,
   * `tickets-failed`, `rewards` (guint64 counters), `fees-earned` (string,
   * wei paid by redeemed tickets) and `rewards-minted` (string, LPT wei).
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Counters of sessions, segments, pixels, tickets, fees and rewards",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_lp_orchestrator_change_state);
  element_class->send_event =
      GST_DEBUG_FUNCPTR (gst_lp_orchestrator_send_event);
  gst_element_class_set_static_metadata (element_class,
      "Livepeer orchestrator", "Network/Video/Transcoder",
      "A Livepeer orchestrator node: an HTTP service that transcodes "
      "broadcasters' segments for probabilistic micropayment tickets and "
      "redeems them on the ledger", "gst-livepeer contributors");
}

static void
gst_lp_orchestrator_init (GstLpOrchestrator * self)
{
  self->address = g_strdup (DEFAULT_ADDRESS);
  self->port = DEFAULT_PORT;
  self->ledger_uri = g_strdup (DEFAULT_LEDGER);
  self->price_per_unit = DEFAULT_PRICE_PER_UNIT;
  self->pixels_per_unit = DEFAULT_PIXELS_PER_UNIT;
  self->ticket_ev = DEFAULT_TICKET_EV;
  self->max_face_value = DEFAULT_MAX_FACE_VALUE;
  self->max_sessions = DEFAULT_MAX_SESSIONS;
  self->encoder = g_strdup (DEFAULT_ENCODER);
  self->max_segment_size = DEFAULT_MAX_SEGMENT_SIZE;
  self->session_timeout = DEFAULT_SESSION_TIMEOUT;
  self->auto_reward = DEFAULT_AUTO_REWARD;
  self->auto_initialize_round = DEFAULT_AUTO_INITIALIZE_ROUND;
  self->metrics_port = DEFAULT_METRICS_PORT;
  self->max_pixel_rate = DEFAULT_MAX_PIXEL_RATE;
  self->max_renditions = DEFAULT_MAX_RENDITIONS;
  self->max_segment_duration = DEFAULT_MAX_SEGMENT_DURATION;
  self->max_connections = DEFAULT_MAX_CONNECTIONS;
  self->idle_timeout = DEFAULT_IDLE_TIMEOUT;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  /* no pads, but the end of a pipeline's stream all the same: an
   * application's (or gst-launch-1.0 -e's) EOS reaches it as a source's
   * would and its EOS message ends the pipeline as a sink's would */
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE | GST_ELEMENT_FLAG_SINK);
}

static void
config_clear (Config * config)
{
  g_free (config->address);
  g_free (config->service_uri);
  g_free (config->ledger_uri);
  g_free (config->encoder);
  g_strfreev (config->profiles_allowed);
  if (config->capabilities != NULL)
    g_ptr_array_unref (config->capabilities);
  g_free (config->capabilities_json);
  memset (config, 0, sizeof (*config));
}

static void
gst_lp_orchestrator_finalize (GObject * object)
{
  GstLpOrchestrator *self = GST_LP_ORCHESTRATOR (object);

  g_free (self->address);
  g_free (self->service_uri);
  g_free (self->key_file);
  g_free (self->password_file);
  g_free (self->ledger_uri);
  g_free (self->encoder);
  g_free (self->profiles_allowed);
  g_free (self->capabilities);
  config_clear (&self->config);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (gst_lp_orchestrator_parent_class)->finalize (object);
}

static void
gst_lp_orchestrator_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLpOrchestrator *self = GST_LP_ORCHESTRATOR (object);

  /* every writable property is GST_PARAM_MUTABLE_READY: the running
   * service works on the copy it took when it started */
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_ADDRESS:
      g_free (self->address);
      self->address = g_value_dup_string (value);
      break;
    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;
    case PROP_SERVICE_URI:
      g_free (self->service_uri);
      self->service_uri = g_value_dup_string (value);
      break;
    case PROP_KEY_FILE:
      g_free (self->key_file);
      self->key_file = g_value_dup_string (value);
      break;
    case PROP_PASSWORD_FILE:
      g_free (self->password_file);
      self->password_file = g_value_dup_string (value);
      break;
    case PROP_LEDGER:
      g_free (self->ledger_uri);
      self->ledger_uri = g_value_dup_string (value);
      break;
    case PROP_PRICE_PER_UNIT:
      self->price_per_unit = g_value_get_uint64 (value);
      break;
    case PROP_PIXELS_PER_UNIT:
      self->pixels_per_unit = g_value_get_uint64 (value);
      break;
    case PROP_TICKET_EV:
      self->ticket_ev = g_value_get_uint64 (value);
      break;
    case PROP_MAX_FACE_VALUE:
      self->max_face_value = g_value_get_uint64 (value);
      break;
    case PROP_MAX_SESSIONS:
      self->max_sessions = g_value_get_uint (value);
      break;
    case PROP_ENCODER:
      g_free (self->encoder);
      self->encoder = g_value_dup_string (value);
      break;
    case PROP_PROFILES_ALLOWED:
      g_free (self->profiles_allowed);
      self->profiles_allowed = g_value_dup_string (value);
      break;
    case PROP_CAPABILITIES:
      g_free (self->capabilities);
      self->capabilities = g_value_dup_string (value);
      break;
    case PROP_MAX_SEGMENT_SIZE:
      self->max_segment_size = g_value_get_uint64 (value);
      break;
    case PROP_SESSION_TIMEOUT:
      self->session_timeout = g_value_get_uint (value);
      break;
    case PROP_AUTO_REWARD:
      self->auto_reward = g_value_get_boolean (value);
      break;
    case PROP_AUTO_INITIALIZE_ROUND:
      self->auto_initialize_round = g_value_get_boolean (value);
      break;
    case PROP_METRICS_PORT:
      self->metrics_port = g_value_get_uint (value);
      break;
    case PROP_MAX_PIXEL_RATE:
      self->max_pixel_rate = g_value_get_uint64 (value);
      break;
    case PROP_MAX_RENDITIONS:
      self->max_renditions = g_value_get_uint (value);
      break;
    case PROP_MAX_SEGMENT_DURATION:
      self->max_segment_duration = g_value_get_uint (value);
      break;
    case PROP_MAX_CONNECTIONS:
      self->max_connections = g_value_get_uint (value);
      break;
    case PROP_IDLE_TIMEOUT:
      self->idle_timeout = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static GstStructure *make_stats (GstLpOrchestrator * self);

static void
gst_lp_orchestrator_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLpOrchestrator *self = GST_LP_ORCHESTRATOR (object);

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, make_stats (self));
    return;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_CURRENT_PORT:
      g_value_set_uint (value, self->current_port);
      break;
    case PROP_SERVICE_URI:
      g_value_set_string (value, self->service_uri);
      break;
    case PROP_KEY_FILE:
      g_value_set_string (value, self->key_file);
      break;
    case PROP_PASSWORD_FILE:
      g_value_set_string (value, self->password_file);
      break;
    case PROP_LEDGER:
      g_value_set_string (value, self->ledger_uri);
      break;
    case PROP_PRICE_PER_UNIT:
      g_value_set_uint64 (value, self->price_per_unit);
      break;
    case PROP_PIXELS_PER_UNIT:
      g_value_set_uint64 (value, self->pixels_per_unit);
      break;
    case PROP_TICKET_EV:
      g_value_set_uint64 (value, self->ticket_ev);
      break;
    case PROP_MAX_FACE_VALUE:
      g_value_set_uint64 (value, self->max_face_value);
      break;
    case PROP_MAX_SESSIONS:
      g_value_set_uint (value, self->max_sessions);
      break;
    case PROP_ENCODER:
      g_value_set_string (value, self->encoder);
      break;
    case PROP_PROFILES_ALLOWED:
      g_value_set_string (value, self->profiles_allowed);
      break;
    case PROP_CAPABILITIES:
      g_value_set_string (value, self->capabilities);
      break;
    case PROP_MAX_SEGMENT_SIZE:
      g_value_set_uint64 (value, self->max_segment_size);
      break;
    case PROP_SESSION_TIMEOUT:
      g_value_set_uint (value, self->session_timeout);
      break;
    case PROP_AUTO_REWARD:
      g_value_set_boolean (value, self->auto_reward);
      break;
    case PROP_AUTO_INITIALIZE_ROUND:
      g_value_set_boolean (value, self->auto_initialize_round);
      break;
    case PROP_METRICS_PORT:
      g_value_set_uint (value, self->metrics_port);
      break;
    case PROP_MAX_PIXEL_RATE:
      g_value_set_uint64 (value, self->max_pixel_rate);
      break;
    case PROP_MAX_RENDITIONS:
      g_value_set_uint (value, self->max_renditions);
      break;
    case PROP_MAX_SEGMENT_DURATION:
      g_value_set_uint (value, self->max_segment_duration);
      break;
    case PROP_MAX_CONNECTIONS:
      g_value_set_uint (value, self->max_connections);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* EOS ends the stream of nothing the element has: it answers with its
 * EOS message at once (and keeps serving until it is stopped). */
static gboolean
gst_lp_orchestrator_send_event (GstElement * element, GstEvent * event)
{
  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS) {
    gst_element_post_message (element,
        gst_message_new_eos (GST_OBJECT_CAST (element)));
    gst_event_unref (event);
    return TRUE;
  }
  return GST_ELEMENT_CLASS (gst_lp_orchestrator_parent_class)->send_event
      (element, event);
}

static GstStateChangeReturn
gst_lp_orchestrator_change_state (GstElement * element,
    GstStateChange transition)
{
  GstLpOrchestrator *self = GST_LP_ORCHESTRATOR (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_NULL_TO_READY && !start_service (self))
    return GST_STATE_CHANGE_FAILURE;

  ret = GST_ELEMENT_CLASS (gst_lp_orchestrator_parent_class)->change_state
      (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE) {
    if (transition == GST_STATE_CHANGE_NULL_TO_READY)
      stop_service (self);
    return ret;
  }

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      /* no data flows through the element: nothing to preroll */
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    case GST_STATE_CHANGE_READY_TO_NULL:
      stop_service (self);
      break;
    default:
      break;
  }
  return ret;
}

/* ------------------------------------------------------------------------ */
/* statistics and messages                                                  */
/* ------------------------------------------------------------------------ */

static gchar *
address_text (const LpAddress * address)
{
  gchar text[LP_ADDRESS_TEXT_SIZE];

  lp_address_format (address, text);
  return g_strdup (text);
}

static GstStructure *
make_stats (GstLpOrchestrator * self)
{
  GstStructure *s;
  gchar *fees, *minted;
  guint sessions;

  ORCH_LOCK (self);
  sessions = self->sessions != NULL ? g_hash_table_size (self->sessions) : 0;
  fees = lp_uint256_to_string (&self->stats.fees_earned);
  minted = lp_uint256_to_string (&self->stats.rewards_minted);
  s = gst_structure_new ("lporchestrator-stats",
      "sessions", G_TYPE_UINT, sessions,
      "sessions-started", G_TYPE_UINT64, self->stats.sessions_started,
      "segments-ok", G_TYPE_UINT64, self->stats.segments_ok,
      "segments-failed", G_TYPE_UINT64, self->stats.segments_failed,
      "pixels", G_TYPE_UINT64, self->stats.pixels,
      "tickets-received", G_TYPE_UINT64, self->stats.tickets_received,
      "tickets-won", G_TYPE_UINT64, self->stats.tickets_won,
      "tickets-redeemed", G_TYPE_UINT64, self->stats.tickets_redeemed,
      "tickets-failed", G_TYPE_UINT64, self->stats.tickets_failed,
      "fees-earned", G_TYPE_STRING, fees,
      "rewards", G_TYPE_UINT64, self->stats.rewards,
      "rewards-minted", G_TYPE_STRING, minted, NULL);
  ORCH_UNLOCK (self);
  g_free (fees);
  g_free (minted);
  return s;
}

static void
post_element_message (GstLpOrchestrator * self, GstStructure * s)
{
  gst_element_post_message (GST_ELEMENT_CAST (self),
      gst_message_new_element (GST_OBJECT_CAST (self), s));
}

/* ------------------------------------------------------------------------ */
/* sessions                                                                 */
/* ------------------------------------------------------------------------ */

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

  /* under the element's lock */
  guint queued;                 /* jobs pushed and not yet finished */
  gint64 last_active;           /* g_get_monotonic_time() */
  guint last_duration_ms;       /* of its last segment */
  guint64 segments;
  gboolean ended;               /* out of the sessions table */
  gboolean end_requested;       /* POST /endSession: end once idle */
  gchar *end_reason;            /* why a failed session ended */

  /* the worker thread's own */
  LpSegmentTranscoder *transcoder;
  gchar *transcoder_profiles;   /* the profiles it was built for */
};

/* One segment on its way through a session. */
typedef struct
{
  Session *session;             /* a ref */
  SoupServerMessage *msg;       /* a ref; paused */
  gulong finished_id;
  gboolean finished;            /* the client went away (server thread) */
  LpSegData *seg;
  GBytes *body;
  guint64 reserved;             /* estimated pixels taken from the credit */
  /* the answer, written by the worker */
  gchar *result_json;
  GPtrArray *renditions;        /* LpRendition*, NULL on failure */
  GPtrArray *part_names;        /* a capability job's: its parts' names */
  GPtrArray *part_types;        /* and content types */
} Job;

static Session *
session_ref (Session * session)
{
  g_atomic_int_inc (&session->refcount);
  return session;
}

static void
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
static void
job_release (GstLpOrchestrator * self, Job * job)
{
  if (job->reserved > 0)
    lp_recipient_refund (self->recipient, &job->session->sender,
        CREDIT_ACCOUNT, job->reserved, &job->session->price);
  job->reserved = 0;
}

static void
job_free (Job * job)
{
  job_release (job->session->self, job);
  if (job->finished_id != 0)
    g_signal_handler_disconnect (job->msg, job->finished_id);
  g_object_unref (job->msg);
  session_unref (job->session);
  lp_seg_data_free (job->seg);
  g_bytes_unref (job->body);
  g_free (job->result_json);
  if (job->renditions != NULL)
    g_ptr_array_unref (job->renditions);
  if (job->part_names != NULL)
    g_ptr_array_unref (job->part_names);
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
    gchar *json = lp_wire_video_profile_to_json (g_ptr_array_index (profiles,
            i));

    g_string_append (key, json);
    g_string_append_c (key, '\n');
    g_free (json);
  }
  return g_string_free (key, FALSE);
}

static gpointer session_thread (gpointer data);

/* What a session of @capability (NULL: transcoding) is priced at */
static const LpPriceInfo *
price_of (GstLpOrchestrator * self, const LpCapability * capability)
{
  return capability != NULL ? &capability->price : &self->config.price;
}

/* Called with the lock. */
static Session *
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

static void
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

/* Takes @session out of the table (called with the lock); the caller then
 * calls session_finish() without it. */
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
 * lock. */
static gboolean
session_evictable_locked (Session * session, gint64 now)
{
  gint64 quiet = (gint64) IDLE_SEGMENTS_BEFORE_EVICTION *
      session->last_duration_ms * G_TIME_SPAN_MILLISECOND;

  return session->queued == 0 && !session->ended
      && now - session->last_active > quiet;
}

/* The session idle longest among those that may give their place, or
 * NULL. Called with the lock. */
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
 * joins it); FALSE when none may go. Called with the lock. */
static gboolean
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
 * says so on the bus. Never called with the lock, nor from the worker. */
static void
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
static void
end_idle_sessions (GstLpOrchestrator * self)
{
  GPtrArray *idle = g_ptr_array_new ();
  gint64 limit = (gint64) self->config.session_timeout * G_TIME_SPAN_SECOND;
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

/* go-livepeer refuses payments (and so ticket parameters) while the
 * orchestrator is not in the round's active set: its winners could not be
 * redeemed. */
static gboolean
require_active (GstLpOrchestrator * self, const LpLedgerStatus * status,
    GError ** error)
{
  LpLedgerOrchestrator info;
  gboolean active;
  gchar address[LP_ADDRESS_TEXT_SIZE];

  memset (&info, 0, sizeof (info));
  if (!lp_ledger_get_orchestrator (self->ledger,
          lp_private_key_get_address (self->key), &info, error))
    return FALSE;
  active = info.active;
  lp_ledger_orchestrator_clear (&info);
  if (!active) {
    lp_address_format (lp_private_key_get_address (self->key), address);
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_REFUSED,
        "orchestrator %s is inactive in round %" G_GUINT64_FORMAT
        ", cannot process payments", address, status->round);
  }
  return active;
}

/* A fresh OrchestratorInfo for @sender: our service URI, address and
 * price, @token, and (when the price is not 0) ticket parameters made for
 * this sender from the ledger's current block and round. */
static LpOrchestratorInfo *
make_orchestrator_info (GstLpOrchestrator * self, const LpAddress * sender,
    const LpAuthToken * token, const LpPriceInfo * price, GError ** error)
{
  LpOrchestratorInfo *info = lp_orchestrator_info_new ();
  LpLedgerStatus status;
  LpSenderInfo sender_info;
  LpExpirationParams expiration = { 0, };
  LpUint256 max_float;
  GArray *active;
  guint n_active;

  info->transcoder = g_strdup (self->config.service_uri);
  info->address = *lp_private_key_get_address (self->key);
  info->has_price_info = TRUE;
  info->price_info = *price;
  info->auth_token = *token;
  info->capabilities = g_strdup (self->config.capabilities_json);
  if (price->price_per_unit == 0)
    return info;

  if (!lp_ledger_get_status (self->ledger, &status, error)
      || !require_active (self, &status, error)
      || !lp_ledger_get_sender_info (self->ledger, sender, &sender_info,
          error))
    goto failed;
  active = lp_ledger_list_orchestrators (self->ledger, TRUE, error);
  if (active == NULL)
    goto failed;
  n_active = active->len;
  g_array_unref (active);
  /* tickets carry the round whose block hash they commit to: the latest
   * initialized one */
  expiration.creation_round = status.last_initialized_round;
  if (!lp_ledger_get_round_block_hash (self->ledger, expiration.creation_round,
          expiration.creation_round_block_hash, error))
    goto failed;
  sender_max_float (self, sender, &sender_info, n_active, &max_float);
  if (!lp_recipient_ticket_params (self->recipient, sender,
          price, NULL, &max_float, status.block, &expiration,
          &info->ticket_params, error))
    goto failed;
  info->has_ticket_params = TRUE;
  return info;

failed:
  lp_orchestrator_info_free (info);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* HTTP helpers (server thread)                                             */
/* ------------------------------------------------------------------------ */

static void
respond_text (SoupServerMessage * msg, guint status, const gchar * format,
    ...) G_GNUC_PRINTF (3, 4);

/* An error answer: the status and a reason a person can read. */
static void
respond_text (SoupServerMessage * msg, guint status, const gchar * format,
    ...)
{
  va_list args;
  gchar *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8",
      SOUP_MEMORY_TAKE, text, strlen (text));
}

static void
respond_json (SoupServerMessage * msg, guint status, gchar * json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json",
      SOUP_MEMORY_TAKE, json, strlen (json));
}

static GBytes *
request_body (SoupServerMessage * msg)
{
  return soup_message_body_flatten (soup_server_message_get_request_body
      (msg));
}

/* ------------------------------------------------------------------------ */
/* discovery: POST /getOrchestrator                                         */
/* ------------------------------------------------------------------------ */

static gboolean
at_capacity (GstLpOrchestrator * self, const gchar * session_id)
{
  gboolean capped;

  ORCH_LOCK (self);
  capped = g_hash_table_size (self->sessions) >= self->config.max_sessions
      && (session_id == NULL
      || !g_hash_table_contains (self->sessions, session_id))
      && find_evictable_locked (self) == NULL;
  ORCH_UNLOCK (self);
  return capped;
}

/* Sessions of @capability fill its capacity; @sender's own do not count
 * (a broadcaster that discovers again, for a fresh auth token or ticket
 * parameters, must not be refused by its own stream). Called with the
 * lock. */
static gboolean
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

/* go-livepeer's AI answer to a full capability */
static void
respond_capability_full (SoupServerMessage * msg,
    const LpCapability * capability)
{
  respond_text (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "insufficient "
      "capacity: capability %s runs %u session(s) at a time here",
      capability->name, capability->capacity);
}

/* 503 when @capability has no room for another session (go-livepeer's AI
 * "insufficient capacity"); 403 when the orchestrator has none at all */
static gboolean
refuse_when_full (GstLpOrchestrator * self, SoupServerMessage * msg,
    const LpCapability * capability, const gchar * session_id,
    const LpAddress * sender)
{
  gboolean full = FALSE;

  if (at_capacity (self, session_id)) {
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "OrchestratorCapped");
    return TRUE;
  }
  if (capability != NULL) {
    ORCH_LOCK (self);
    full = capability_full_locked (self, capability, sender);
    ORCH_UNLOCK (self);
  }
  if (full)
    respond_capability_full (msg, capability);
  return full;
}

/* The capability a `capabilities` object (@text) asks for, NULL for
 * transcoding; FALSE with the answer (400) set when it names a capability
 * or a model not offered here. */
static gboolean
requested_capability (GstLpOrchestrator * self, SoupServerMessage * msg,
    const gchar * text, const LpCapability ** capability)
{
  g_autofree gchar *name = NULL, *model = NULL;
  GError *error = NULL;

  *capability = NULL;
  if (!lp_job_request_from_json (text, &name, &model, &error)) {
    respond_text (msg, SOUP_STATUS_BAD_REQUEST, "%s", error->message);
    g_error_free (error);
    return FALSE;
  }
  if (name == NULL)
    return TRUE;
  *capability = lp_capabilities_find (self->config.capabilities, name, model,
      &error);
  if (*capability == NULL) {
    respond_text (msg, SOUP_STATUS_BAD_REQUEST, "%s", error->message);
    g_error_free (error);
    return FALSE;
  }
  return TRUE;
}

static void
handle_discovery (SoupServer * server, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer user_data)
{
  GstLpOrchestrator *self = user_data;
  LpOrchestratorRequest *request = NULL;
  LpOrchestratorInfo *info = NULL;
  const LpCapability *capability = NULL;
  gchar text[LP_ADDRESS_TEXT_SIZE];
  LpAuthToken token;
  GError *error = NULL;
  GBytes *body;

  if (strcmp (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0) {
    respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
        "use POST with an OrchestratorRequest");
    return;
  }
  body = request_body (msg);
  request = lp_wire_orchestrator_request_from_json (g_bytes_get_data (body,
          NULL), g_bytes_get_size (body), &error);
  g_bytes_unref (body);
  if (request == NULL) {
    respond_text (msg, SOUP_STATUS_BAD_REQUEST, "OrchestratorRequest: %s",
        error->message);
    goto done;
  }
  /* the broadcaster signs its own EIP-55 address (PROTOCOL §2) */
  lp_address_format (&request->address, text);
  if (!lp_verify_message (&request->address, (const guint8 *) text,
          strlen (text), request->sig, LP_SIGNATURE_SIZE, NULL)) {
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "invalid signature: sig is "
        "not %s's signature of its address", text);
    goto done;
  }
  if (!requested_capability (self, msg, request->capabilities, &capability)
      || refuse_when_full (self, msg, capability, NULL, &request->address))
    goto done;
  if (!lp_auth_token_new_session (self->auth_secret,
          g_get_real_time () / G_USEC_PER_SEC, &token, &error)
      || (info = make_orchestrator_info (self, &request->address, &token,
              price_of (self, capability),
              &error)) == NULL) {
    respond_text (msg, SOUP_STATUS_BAD_REQUEST, "%s", error->message);
    goto done;
  }
  GST_DEBUG_OBJECT (self, "discovery by %s: session %s", text,
      token.session_id);
  respond_json (msg, SOUP_STATUS_OK, lp_wire_orchestrator_info_to_json (info));

done:
  g_clear_error (&error);
  if (request != NULL)
    lp_orchestrator_request_free (request);
  if (info != NULL)
    lp_orchestrator_info_free (info);
}

/* POST /endSession: the broadcaster is done with the session of the auth
 * token in the body (go-livepeer's EndTranscodingSession). The session
 * ends, and frees its capacity, once its last segment is answered (the
 * ledger worker reaps it). Answers {} for a session that is already gone. */
static void
handle_end_session (SoupServer * server, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer user_data)
{
  GstLpOrchestrator *self = user_data;
  LpAuthToken token;
  GError *error = NULL;
  Session *session;
  GBytes *body;
  gboolean parsed;

  if (strcmp (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0) {
    respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
        "use POST with the session's AuthToken");
    return;
  }
  body = request_body (msg);
  parsed = lp_wire_auth_token_from_json (g_bytes_get_data (body, NULL),
      g_bytes_get_size (body), &token, &error);
  g_bytes_unref (body);
  if (!parsed) {
    respond_text (msg, SOUP_STATUS_BAD_REQUEST, "AuthToken: %s",
        error->message);
    g_error_free (error);
    return;
  }
  if (!lp_auth_token_verify (self->auth_secret, &token,
          g_get_real_time () / G_USEC_PER_SEC, &error)) {
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "%s", error->message);
    g_error_free (error);
    return;
  }
  ORCH_LOCK (self);
  session = g_hash_table_lookup (self->sessions, token.session_id);
  if (session != NULL)
    session->end_requested = TRUE;
  ORCH_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "session %s ended by its broadcaster%s",
      token.session_id, session ? "" : " (it had not started)");
  respond_json (msg, SOUP_STATUS_OK, g_strdup ("{}"));
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
  goffset length;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED) {
    /* a chunked body has no size to check before libsoup gathers it all:
     * broadcasters send the length (go-livepeer's do) */
    soup_message_body_set_accumulate (soup_server_message_get_request_body
        (msg), FALSE);
    respond_text (msg, SOUP_STATUS_LENGTH_REQUIRED, "send segments with a "
        "Content-Length (at most %" G_GUINT64_FORMAT " bytes), not chunked",
        self->config.max_segment_size);
    return;
  }
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    return;
  length = soup_message_headers_get_content_length (headers);
  if (length >= 0 && (guint64) length > self->config.max_segment_size) {
    soup_message_body_set_accumulate (soup_server_message_get_request_body
        (msg), FALSE);
    respond_text (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
        "segment of %" G_GINT64_FORMAT " bytes is larger than the %"
        G_GUINT64_FORMAT " bytes accepted", (gint64) length,
        self->config.max_segment_size);
  }
}

/* Whether a segment may ask for @p under profiles-allowed. Only names are
 * signed, so a preset's name must come with the preset's size and rate
 * and at most its bitrate: an allowed name is not a way to any rendition.
 * A custom name in profiles-allowed allows any geometry under it. */
static gboolean
profile_allowed (GstLpOrchestrator * self, const LpProfile * p,
    SoupServerMessage * msg)
{
  const LpProfile *preset;

  if (self->config.profiles_allowed == NULL)
    return TRUE;
  if (!g_strv_contains ((const gchar * const *)
          self->config.profiles_allowed, p->name)) {
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "profiles: '%s' is not "
        "offered here (profiles-allowed)", p->name);
    return FALSE;
  }
  preset = lp_profile_get_preset (p->name);
  if (preset != NULL && (p->width != preset->width
          || p->height != preset->height || p->bitrate > preset->bitrate
          || (guint64) p->fps_num * preset->fps_den !=
          (guint64) preset->fps_num * p->fps_den)) {
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "profiles: '%s' asks for "
        "%ux%u at %u/%u fps and %u bit/s, but the preset is %ux%u at %u/%u "
        "fps and %u bit/s", p->name, p->width, p->height, p->fps_num,
        p->fps_den, p->bitrate, preset->width, preset->height,
        preset->fps_num, preset->fps_den, preset->bitrate);
    return FALSE;
  }
  return TRUE;
}

/* The segment credentials (403 on failure): the Livepeer-Segment header,
 * its signature (by the payment's sender when there is a payment), the
 * auth token, the profiles and capacity. Sets @signer. */
static LpSegData *
check_credentials (GstLpOrchestrator * self, SoupServerMessage * msg,
    const LpPayment * payment, LpAddress * signer,
    const LpCapability ** capability)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const gchar *value = soup_message_headers_get_one (headers,
      "Livepeer-Segment");
  gchar a[LP_ADDRESS_TEXT_SIZE], b[LP_ADDRESS_TEXT_SIZE];
  GError *error = NULL;
  LpSegData *seg;
  guint i;

  if (value == NULL) {
    respond_text (msg, SOUP_STATUS_FORBIDDEN,
        "ErrorSegEncoding: no Livepeer-Segment header");
    return NULL;
  }
  seg = lp_wire_seg_data_from_header (value, &error);
  if (seg == NULL) {
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "ErrorSegEncoding: %s",
        error->message);
    g_error_free (error);
    return NULL;
  }
  if (!lp_seg_data_recover_signer (seg, signer, &error)) {
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "ErrSegSig: %s",
        error->message);
    goto refused;
  }
  if (payment != NULL && !lp_address_equal (signer, &payment->sender)) {
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "ErrSegSig: the segment is "
        "signed by %s but the payment is from %s", (lp_address_format (signer,
                a), a), (lp_address_format (&payment->sender, b), b));
    goto refused;
  }
  if (!lp_auth_token_verify (self->auth_secret, &seg->auth_token,
          g_get_real_time () / G_USEC_PER_SEC, &error)) {
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "%s", error->message);
    goto refused;
  }
  if (!requested_capability (self, msg, seg->capabilities, capability))
    goto refused;
  if (*capability != NULL && seg->profiles->len > 0) {
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "a segment asks for "
        "renditions or for a job (%s), not both: send each in its own "
        "session", (*capability)->name);
    goto refused;
  }
  if (*capability == NULL && seg->profiles->len == 0) {
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "profiles: no rendition asked "
        "for");
    goto refused;
  }
  for (i = 0; i < seg->profiles->len; i++) {
    const LpProfile *p = g_ptr_array_index (seg->profiles, i);

    if (!profile_allowed (self, p, msg))
      goto refused;
  }
  if (refuse_when_full (self, msg, *capability, seg->auth_token.session_id,
          signer))
    goto refused;
  return seg;

refused:
  g_clear_error (&error);
  lp_seg_data_free (seg);
  return NULL;
}

/* The body (before any credit): size, the signed hash, MPEG-TS. */
static GBytes *
check_body (GstLpOrchestrator * self, SoupServerMessage * msg,
    const LpSegData * seg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const gchar *type = soup_message_headers_get_content_type (headers, NULL);
  guint8 hash[LP_KECCAK256_SIZE];
  const guint8 *data;
  GBytes *body;
  gsize size;

  body = request_body (msg);
  data = g_bytes_get_data (body, &size);
  if (size > self->config.max_segment_size) {
    respond_text (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
        "segment of %" G_GSIZE_FORMAT " bytes is larger than the %"
        G_GUINT64_FORMAT " bytes accepted", size,
        self->config.max_segment_size);
    goto refused;
  }
  lp_keccak256 (data, size, hash);
  if (!lp_crypto_memeq (hash, seg->hash, sizeof (hash))) {
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "Forbidden: the body's keccak "
        "differs from the signed segment hash");
    goto refused;
  }
  if (type == NULL || g_ascii_strcasecmp (type, "video/MP2T") != 0) {
    respond_text (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "segments are "
        "MPEG-TS: send Content-Type video/MP2T (got %s)",
        type != NULL ? type : "none");
    goto refused;
  }
  /* MPEG-TS is 188-byte packets starting with 0x47 */
  if (size < 188 || data[0] != 0x47 || data[188 % size] != 0x47) {
    respond_text (msg, SOUP_STATUS_BAD_REQUEST, "the body is not MPEG-TS "
        "(no 0x47 sync byte every 188 bytes)");
    goto refused;
  }
  return body;

refused:
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
check_renditions (GstLpOrchestrator * self, SoupServerMessage * msg,
    const LpSegData * seg, guint duration_ms, guint64 fps_of_source,
    guint64 * estimate)
{
  guint64 seconds = (duration_ms + 999) / 1000, rate = 0;
  guint i;

  *estimate = 0;
  if (seg->profiles->len > self->config.max_renditions) {
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "profiles: %u renditions "
        "asked for, at most %u per segment here (max-renditions)",
        seg->profiles->len, self->config.max_renditions);
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
  if (rate > self->config.max_pixel_rate) {
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "profiles: the renditions "
        "come to %" G_GUINT64_FORMAT " pixels per second, more than the %"
        G_GUINT64_FORMAT " accepted here (max-pixel-rate)", rate,
        self->config.max_pixel_rate);
    return FALSE;
  }
  return TRUE;
}

/* The segment's work, bounded before any is done: its declared duration
 * (0: 2 s) is at most max-segment-duration (403) and covers its video's
 * PTS span (400: the fee is estimated on it), and its renditions
 * (check_renditions()). Sets @estimate (0 for a capability job). */
static gboolean
check_workload (GstLpOrchestrator * self, SoupServerMessage * msg,
    const LpSegData * seg, GBytes * body, guint64 * estimate)
{
  guint duration_ms = seg->duration_ms != 0 ? seg->duration_ms :
      DEFAULT_DURATION_MS;
  gsize size;
  const guint8 *data = g_bytes_get_data (body, &size);
  guint64 fps = 0;
  LpMpegtsSpan span;

  *estimate = 0;
  if (duration_ms > self->config.max_segment_duration) {
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "duration: %u ms is longer "
        "than the %u ms accepted here (max-segment-duration)", duration_ms,
        self->config.max_segment_duration);
    return FALSE;
  }
  if (lp_mpegts_video_span (data, size, &span)) {
    guint64 ticks = (span.end - span.start) & LP_MPEGTS_TIMESTAMP_MASK;
    guint64 span_ms = ticks * 1000 / LP_MPEGTS_CLOCK_RATE;

    if (span_ms > duration_ms + duration_ms / 10 + DURATION_SLACK_MS) {
      respond_text (msg, SOUP_STATUS_BAD_REQUEST, "duration: %u ms "
          "declared, but the segment's video spans %" G_GUINT64_FORMAT
          " ms", duration_ms, span_ms);
      return FALSE;
    }
    fps = source_fps (&span);
  }
  return check_renditions (self, msg, seg, duration_ms, fps, estimate);
}

/* Credits the payment's tickets (400 on a rejected payment) and, when we
 * charge, admits the segment only when the sender's credit covers its
 * estimated fee (@estimate pixels), which it takes until the work is
 * debited (400 "insufficient balance"); a capability job (no estimate)
 * needs a ticket's EV, as go-livepeer's. */
static gboolean
check_payment (GstLpOrchestrator * self, SoupServerMessage * msg,
    const LpPayment * payment, const LpAddress * sender,
    const gchar * session_id, const LpPriceInfo * price, guint64 estimate)
{
  GError *error = NULL;
  guint credited = 0, won = 0;

  if (payment != NULL && payment->tickets->len > 0) {
    LpLedgerStatus status;
    LpSenderInfo info;
    gboolean ok;

    if (!lp_ledger_get_status (self->ledger, &status, &error)
        || !require_active (self, &status, &error)) {
      respond_text (msg, SOUP_STATUS_BAD_REQUEST, "%s", error->message);
      g_error_free (error);
      return FALSE;
    }
    if (!lp_ledger_get_sender_info (self->ledger, sender, &info, &error)) {
      respond_text (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "ledger: %s",
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
      respond_text (msg, SOUP_STATUS_BAD_REQUEST, "%s", error->message);
      g_error_free (error);
      return FALSE;
    }
  }
  if (price->price_per_unit > 0 && (estimate > 0 ?
          !lp_recipient_reserve (self->recipient, sender, CREDIT_ACCOUNT,
              estimate, price, &error) :
          !lp_recipient_check_balance (self->recipient, sender,
              CREDIT_ACCOUNT, price, &error))) {
    respond_text (msg, SOUP_STATUS_BAD_REQUEST, "%s", error->message);
    g_error_free (error);
    return FALSE;
  }
  return TRUE;
}

static void
on_message_finished (SoupServerMessage * msg, Job * job)
{
  job->finished = TRUE;
}

/* The session for @seg's session id, started when it is new; NULL (with
 * the answer set) when capacity ran out meanwhile or the session belongs
 * to another sender. */
static Session *
get_session (GstLpOrchestrator * self, SoupServerMessage * msg,
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
      && g_hash_table_size (self->sessions) >= self->config.max_sessions)
    evict_idle_session_locked (self);
  if (session == NULL && !self->stopping && !capability_full
      && g_hash_table_size (self->sessions) < self->config.max_sessions) {
    session = session_new_locked (self, id, sender, capability);
    started = TRUE;
  }
  if (session != NULL && session->capability != capability) {
    ORCH_UNLOCK (self);
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "auth token: session %s is "
        "for %s", id, session->capability ? session->capability->name :
        "transcoding");
    return NULL;
  }
  if (session != NULL && !lp_address_equal (&session->sender, sender)) {
    ORCH_UNLOCK (self);
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "auth token: session %s "
        "belongs to another sender", id);
    return NULL;
  }
  if (session != NULL)
    session_ref (session);
  ORCH_UNLOCK (self);
  if (session == NULL && capability_full) {
    respond_capability_full (msg, capability);
    return NULL;
  }
  if (session == NULL) {
    respond_text (msg, SOUP_STATUS_FORBIDDEN, "OrchestratorCapped");
    return NULL;
  }
  if (started)
    post_session_started (self, session);
  return session;
}

static void
respond_result_error (SoupServerMessage * msg, guint64 seq,
    const gchar * error)
{
  LpTranscodeResult *result = lp_transcode_result_new ();

  result->seq = seq;
  result->error = g_strdup (error);
  respond_json (msg, SOUP_STATUS_OK, lp_wire_transcode_result_to_json
      (result));
  lp_transcode_result_free (result);
}

static void
handle_segment (SoupServer * server, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer user_data)
{
  GstLpOrchestrator *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const gchar *payment_header;
  LpPayment *payment = NULL;
  LpSegData *seg = NULL;
  LpAddress sender;
  Session *session = NULL;
  GError *error = NULL;
  GBytes *body = NULL;
  const LpCapability *capability = NULL;
  guint64 estimate = 0;
  gboolean busy;
  Job *job;

  if (strcmp (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0) {
    respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
        "use POST with an MPEG-TS segment");
    return;
  }
  /* 1. the payment (an empty one is allowed: a free orchestrator) */
  payment_header = soup_message_headers_get_one (headers, "Livepeer-Payment");
  if (payment_header != NULL && payment_header[0] != '\0') {
    payment = lp_wire_payment_from_header (payment_header, &error);
    if (payment == NULL) {
      respond_text (msg, SOUP_STATUS_PAYMENT_REQUIRED, "%s", error->message);
      g_error_free (error);
      return;
    }
  }
  /* 2. credentials, 3. the body and the work it asks for, 4. and 5. the
   * payment and the balance (which takes the estimated fee) */
  if ((seg = check_credentials (self, msg, payment, &sender,
              &capability)) == NULL
      || (body = check_body (self, msg, seg)) == NULL
      || !check_workload (self, msg, seg, body, &estimate)
      || !check_payment (self, msg, payment, &sender,
          seg->auth_token.session_id, price_of (self, capability),
          estimate))
    goto done;
  if (price_of (self, capability)->price_per_unit == 0)
    estimate = 0;               /* nothing was taken */
  if ((session = get_session (self, msg, seg, &sender, capability)) == NULL) {
    if (estimate > 0)
      lp_recipient_refund (self->recipient, &sender, CREDIT_ACCOUNT,
          estimate, price_of (self, capability));
    goto done;
  }

  job = g_new0 (Job, 1);
  job->session = session_ref (session);
  job->reserved = estimate;
  job->msg = g_object_ref (msg);
  job->finished_id = g_signal_connect (msg, "finished",
      G_CALLBACK (on_message_finished), job);
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
    soup_server_message_pause (msg);
    g_async_queue_push (job->session->jobs, job);
  }
  ORCH_UNLOCK (self);
  if (busy) {
    g_signal_handler_disconnect (msg, job->finished_id);
    g_object_unref (job->msg);
    job_release (self, job);
    session_unref (job->session);
    g_free (job);
    respond_result_error (msg, seg->seq, session->ended ?
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
/* transcoding (session worker threads)                                     */
/* ------------------------------------------------------------------------ */

/* The answer to a transcoded segment: the TranscodeResult JSON, then one
 * MPEG-TS part per rendition, in the order of the profiles. */
static void
respond_renditions (Job * job)
{
  SoupMultipart *multipart = soup_multipart_new ("multipart/mixed");
  SoupMessageHeaders *part;
  GBytes *bytes;
  guint i;

  part = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  soup_message_headers_replace (part, "Content-Type", "application/json");
  bytes = g_bytes_new (job->result_json, strlen (job->result_json));
  soup_multipart_append_part (multipart, part, bytes);
  g_bytes_unref (bytes);
  soup_message_headers_unref (part);
  for (i = 0; i < job->renditions->len; i++) {
    const LpRendition *r = g_ptr_array_index (job->renditions, i);
    gchar *pixels = g_strdup_printf ("%" G_GUINT64_FORMAT, r->pixels);
    const gchar *name, *type = "video/MP2T";

    if (job->part_names != NULL) {
      name = g_ptr_array_index (job->part_names, i);
      type = g_ptr_array_index (job->part_types, i);
    } else {
      name = ((const LpProfile *) g_ptr_array_index (job->seg->profiles,
              i))->name;
    }
    part = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
    soup_message_headers_replace (part, "Content-Type", type);
    soup_message_headers_replace (part, "Rendition-Name", name);
    soup_message_headers_replace (part, "Pixels", pixels);
    soup_multipart_append_part (multipart, part, r->data);
    soup_message_headers_unref (part);
    g_free (pixels);
  }
  soup_multipart_to_message (multipart,
      soup_server_message_get_response_headers (job->msg), &bytes);
  soup_message_body_append_bytes (soup_server_message_get_response_body
      (job->msg), bytes);
  g_bytes_unref (bytes);
  soup_multipart_free (multipart);
  soup_server_message_set_status (job->msg, SOUP_STATUS_OK, NULL);
}

/* Server thread: sends a job's answer and resumes the message. */
static gboolean
complete_job (gpointer data)
{
  Job *job = data;
  GstLpOrchestrator *self = job->session->self;

  if (!job->finished) {
    if (job->renditions == NULL)
      respond_json (job->msg, SOUP_STATUS_OK,
          g_steal_pointer (&job->result_json));
    else
      respond_renditions (job);
    soup_server_message_unpause (job->msg);
  }
  ORCH_LOCK (self);
  job->session->queued--;
  job->session->last_active = g_get_monotonic_time ();
  ORCH_UNLOCK (self);
  job_free (job);
  return G_SOURCE_REMOVE;
}

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
add_part (Job * job, GBytes * data, const gchar * name, const gchar * type,
    const LpJobOutput * out, guint64 units)
{
  LpRendition *r = g_new0 (LpRendition, 1);

  r->data = g_bytes_ref (data);
  r->frames = out->frames;
  r->width = out->width;
  r->height = out->height;
  r->pixels = units;
  g_ptr_array_add (job->renditions, r);
  g_ptr_array_add (job->part_names, g_strdup (name));
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
  const gchar *encoder = g_strcmp0 (self->config.encoder, "auto") == 0 ?
      NULL : self->config.encoder;
  g_autofree gchar *metadata_name = g_strdup_printf ("%s.json", c->name);
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
  job->part_names = g_ptr_array_new_with_free_func (g_free);
  job->part_types = g_ptr_array_new ();
  if (out->video != NULL)
    add_part (job, out->video, c->name, "video/MP2T", out, out->units);
  if (out->metadata != NULL)
    add_part (job, out->metadata, metadata_name, "application/json", out,
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
        self->config.encoder, &error);
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
  job->result_json = lp_wire_transcode_result_to_json (result);
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
      job->result_json = lp_wire_transcode_result_to_json (result);
      lp_transcode_result_free (result);
      g_main_context_invoke (self->context, complete_job, job);
    }
  }
  session_unref (session);      /* the thread's own */
  return NULL;
}

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
static void
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

/* Redeems the queued tickets whose parameters have expired (so their
 * recipientRand can be revealed), drops those too old to redeem and those
 * already used; other refusals (round not initialized, not active) are
 * retried on the next block. */
static void
redeem_tickets (GstLpOrchestrator * self, const LpLedgerStatus * status)
{
  GArray *queued;
  GError *error = NULL;
  guint i;

  queued = lp_ledger_list_queued_tickets (self->ledger,
      lp_private_key_get_address (self->key), &error);
  if (queued == NULL) {
    GST_WARNING_OBJECT (self, "redemption queue: %s", error->message);
    g_error_free (error);
    return;
  }
  for (i = 0; i < queued->len; i++) {
    const LpWinningTicket *t = &g_array_index (queued, LpWinningTicket, i);
    guint8 hash[LP_TICKET_HASH_SIZE];
    LpRedemption redemption;
    gchar *reason;

    lp_ticket_hash (&t->ticket, hash);
    switch (lp_winning_ticket_redeemability (t, status->block,
            status->round)) {
      case LP_REDEEMABILITY_WAIT:
        break;
      case LP_REDEEMABILITY_TOO_LATE:
        reason = g_strdup_printf ("its creation round %" G_GUINT64_FORMAT
            " is too old to redeem in round %" G_GUINT64_FORMAT,
            t->ticket.expiration_params.creation_round, status->round);
        drop_ticket (self, t, hash, reason);
        g_free (reason);
        break;
      case LP_REDEEMABILITY_NOW:
        if (lp_ledger_redeem_winning_ticket (self->ledger, t, &redemption,
                &error)) {
          ORCH_LOCK (self);
          self->stats.tickets_redeemed++;
          lp_uint256_add (&self->stats.fees_earned, &redemption.from_deposit,
              &self->stats.fees_earned, NULL);
          lp_uint256_add (&self->stats.fees_earned, &redemption.from_reserve,
              &self->stats.fees_earned, NULL);
          ORCH_UNLOCK (self);
          post_redemption (self, t, hash, &redemption, NULL);
        } else if (g_error_matches (error, LP_LEDGER_ERROR,
                LP_LEDGER_ERROR_TICKET_USED)) {
          /* final, as on chain: nothing more to get for it */
          drop_ticket (self, t, hash, error->message);
        } else {
          GST_DEBUG_OBJECT (self, "ticket not redeemed yet: %s",
              error->message);
        }
        g_clear_error (&error);
        break;
    }
  }
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

/* Joins the sessions that ended by a failure. */
static void
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

static void
ledger_tick (GstLpOrchestrator * self, guint64 * last_block)
{
  LpLedgerStatus status;
  GError *error = NULL;

  reap_failed_sessions (self);
  end_idle_sessions (self);
  if (!lp_ledger_get_status (self->ledger, &status, &error)) {
    GST_WARNING_OBJECT (self, "ledger: %s", error->message);
    g_error_free (error);
    return;
  }
  if (!status.round_initialized && self->config.auto_initialize_round) {
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
  if (status.round_initialized && self->config.auto_reward)
    maybe_reward (self, &status);
  /* as go-livepeer, redemptions are looked at once per new block, and the
   * nonces of expired parameter sets (their tickets are refused as
   * expired anyway) and idle balances forgotten */
  if (status.block != *last_block) {
    *last_block = status.block;
    store_unstored_winners (self);
    redeem_tickets (self, &status);
    lp_recipient_purge_nonces (self->recipient, status.block);
    lp_recipient_purge_balances (self->recipient, g_get_monotonic_time ());
  }
}

static gpointer
ledger_thread (gpointer data)
{
  GstLpOrchestrator *self = data;
  guint64 last_block = G_MAXUINT64;

  ORCH_LOCK (self);
  while (!self->stopping) {
    ORCH_UNLOCK (self);
    ledger_tick (self, &last_block);
    ORCH_LOCK (self);
    if (!self->stopping)
      g_cond_wait_until (&self->cond, &self->lock, g_get_monotonic_time () +
          LEDGER_POLL_INTERVAL_US);
  }
  ORCH_UNLOCK (self);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* GET /metrics                                                             */
/* ------------------------------------------------------------------------ */

/* What each `stats` field counts, for the Prometheus HELP lines: every
 * field is a counter but `sessions`, open now. */
static const struct
{
  const gchar *field;
  const gchar *help;
} metric_help[] = {
  {"sessions", "Sessions open now"},
  {"sessions-started", "Sessions started"},
  {"segments-ok", "Segments transcoded and answered"},
  {"segments-failed", "Segments whose transcoding or job failed"},
  {"pixels", "Output pixels encoded, all renditions"},
  {"tickets-received", "Tickets received in payments"},
  {"tickets-won", "Winning tickets queued for redemption"},
  {"tickets-redeemed", "Winning tickets redeemed"},
  {"tickets-failed", "Winning tickets dropped without payment"},
  {"fees-earned", "Wei paid by redeemed tickets"},
  {"rewards", "Reward calls made"},
  {"rewards-minted", "LPT wei minted by reward calls"},
};

static gboolean
append_metric (GQuark field, const GValue * value, gpointer user_data)
{
  GString *text = user_data;
  const gchar *help = g_quark_to_string (field);
  gchar *name = g_strdup (g_quark_to_string (field));
  gchar *p;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (metric_help); i++)
    if (field == g_quark_try_string (metric_help[i].field))
      help = metric_help[i].help;
  for (p = name; *p != '\0'; p++)
    if (*p == '-')
      *p = '_';
  g_string_append_printf (text, "# HELP lporchestrator_%s %s\n"
      "# TYPE lporchestrator_%s %s\n", name, help, name,
      G_VALUE_HOLDS_UINT (value) ? "gauge" : "counter");
  if (G_VALUE_HOLDS_UINT (value))
    g_string_append_printf (text, "lporchestrator_%s %u\n", name,
        g_value_get_uint (value));
  else if (G_VALUE_HOLDS_UINT64 (value))
    g_string_append_printf (text, "lporchestrator_%s %" G_GUINT64_FORMAT
        "\n", name, g_value_get_uint64 (value));
  else if (G_VALUE_HOLDS_STRING (value))
    /* wei amounts: decimal integers, valid Prometheus numbers */
    g_string_append_printf (text, "lporchestrator_%s %s\n", name,
        g_value_get_string (value));
  g_free (name);
  return TRUE;
}

static void
handle_metrics (SoupServer * server, SoupServerMessage * msg,
    const char *path, GHashTable * query, gpointer user_data)
{
  GstLpOrchestrator *self = user_data;
  GstStructure *stats = make_stats (self);
  GString *text = g_string_new (NULL);
  gsize length;

  gst_structure_foreach (stats, append_metric, text);
  gst_structure_free (stats);
  length = text->len;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain; version=0.0.4",
      SOUP_MEMORY_TAKE, g_string_free (text, FALSE), length);
}

/* ------------------------------------------------------------------------ */
/* starting and stopping                                                    */
/* ------------------------------------------------------------------------ */

static gpointer
server_thread (gpointer data)
{
  GstLpOrchestrator *self = data;

  g_main_context_push_thread_default (self->context);
  g_main_loop_run (self->loop);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* Copies the properties the service runs with; FALSE (with an element
 * error) when one is unusable. */
/* Reads the capabilities file and builds each fragment once: a missing
 * plugin or a typo shows now, not at a broadcaster's first segment. */
static gboolean
load_capabilities (GstLpOrchestrator * self, const gchar * path)
{
  Config *c = &self->config;
  GError *error = NULL;
  guint i;

  c->capabilities = lp_capabilities_load (path, &error);
  if (c->capabilities == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("capabilities: %s", error->message), (NULL));
    g_error_free (error);
    return FALSE;
  }
  for (i = 0; i < c->capabilities->len; i++) {
    const LpCapability *cap = g_ptr_array_index (c->capabilities, i);

    if (!lp_job_runner_check (cap, &error)) {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s: %s", path,
              error->message), ("install the plugin it names, or fix the "
              "fragment; gst-inspect-1.0 lists what is present"));
      g_error_free (error);
      return FALSE;
    }
  }
  c->capabilities_json = lp_capabilities_to_json (c->capabilities);
  GST_INFO_OBJECT (self, "capabilities: %s", c->capabilities_json);
  return TRUE;
}

static gboolean
take_config (GstLpOrchestrator * self, gchar ** key_file,
    gchar ** password_file, guint64 * ticket_ev, guint64 * max_face_value)
{
  Config *c = &self->config;
  g_autofree gchar *capabilities = NULL;
  gboolean ok = TRUE;
  guint i;

  config_clear (c);
  GST_OBJECT_LOCK (self);
  c->address = g_strdup (self->address);
  c->port = self->port;
  c->service_uri = g_strdup (self->service_uri);
  c->ledger_uri = g_strdup (self->ledger_uri);
  c->price.price_per_unit = self->price_per_unit;
  c->price.pixels_per_unit = self->pixels_per_unit;
  c->max_sessions = self->max_sessions;
  c->encoder = g_strdup (self->encoder != NULL ? self->encoder : "auto");
  if (self->profiles_allowed != NULL && self->profiles_allowed[0] != '\0')
    c->profiles_allowed = g_strsplit (self->profiles_allowed, ",", -1);
  c->max_segment_size = self->max_segment_size;
  c->session_timeout = self->session_timeout;
  c->auto_reward = self->auto_reward;
  c->auto_initialize_round = self->auto_initialize_round;
  c->metrics_port = self->metrics_port;
  c->max_pixel_rate = self->max_pixel_rate;
  c->max_renditions = self->max_renditions;
  c->max_segment_duration = self->max_segment_duration;
  c->max_connections = self->max_connections;
  c->idle_timeout = self->idle_timeout;
  capabilities = g_strdup (self->capabilities);
  *key_file = g_strdup (self->key_file);
  *password_file = g_strdup (self->password_file);
  *ticket_ev = self->ticket_ev;
  *max_face_value = self->max_face_value;
  GST_OBJECT_UNLOCK (self);

  for (i = 0; c->profiles_allowed != NULL && c->profiles_allowed[i]; i++) {
    g_strstrip (c->profiles_allowed[i]);
    if (!lp_profile_name_is_valid (c->profiles_allowed[i])) {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          ("profiles-allowed: '%s' is not a rendition name",
              c->profiles_allowed[i]), (NULL));
      ok = FALSE;
    }
  }
  if (capabilities != NULL && capabilities[0] != '\0'
      && !load_capabilities (self, capabilities))
    ok = FALSE;
  if (*key_file == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("key-file is not set: the orchestrator needs a key (make one with "
            "'lpctl account new --out orch.key')"), (NULL));
    ok = FALSE;
  }
  if (c->ledger_uri == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("ledger is not set"),
        (NULL));
    ok = FALSE;
  }
  return ok;
}

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
        ("The ledger %s is damaged: %s", self->config.ledger_uri,
            error != NULL ? error->message : "its storage check failed"),
        ("%s\nrun 'lpctl --ledger %s audit' to see what is damaged, and "
            "restore the ledger from a copy", report->str,
            self->config.ledger_uri));
    g_clear_error (&error);
  }
  g_string_free (report, TRUE);
  return ok;
}

static gboolean
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
  self->ledger = lp_ledger_open (self->config.ledger_uri, &error);
  if (self->ledger == NULL) {
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
  guint64 seconds = (c->max_segment_duration + 999) / 1000;

  lp_uint256_from_uint64 (ticket_ev, ev);
  if (c->price.price_per_unit == 0)
    return;
  /* fee = price × rate × seconds × 102, all over ppu × 100 × tickets */
  lp_uint256_from_uint64 (c->price.price_per_unit, &fee);
  lp_uint256_from_uint64 (c->max_pixel_rate, &factor);
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

static gboolean
make_recipient (GstLpOrchestrator * self, guint64 ticket_ev,
    guint64 max_face_value)
{
  LpRecipientConfig config;
  LpRedemptionQueue queue = { 0, };
  GError *error = NULL;

  lp_recipient_config_init (&config);
  effective_ticket_ev (self, ticket_ev, &config.ticket_ev);
  lp_uint256_from_uint64 (max_face_value, &config.max_face_value);
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

/* A server listening on address:port in our context (the caller pushed
 * it), behind our connection layer (lpserver.c: why not libsoup's own
 * listener); sets @connections and @bound_port. */
static SoupServer *
listen_on (GstLpOrchestrator * self, guint port, LpServer ** connections,
    guint * bound_port)
{
  SoupServer *server = soup_server_new ("server-header", "lporchestrator ",
      NULL);
  GInetAddress *ip = g_inet_address_new_from_string (self->config.address);
  LpServerLimits limits = {
    .max_connections = self->config.max_connections,
    .idle_timeout_ms = self->config.idle_timeout,
    .max_header_size = LP_SERVER_MAX_HEADER_SIZE,
    .max_header_count = LP_SERVER_MAX_HEADER_COUNT,
    .max_body_size = MAX_SMALL_BODY_SIZE,
  };
  GError *error = NULL;

  if (ip == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("address: '%s' is not an IP address", self->config.address), (NULL));
    g_object_unref (server);
    return NULL;
  }
  *connections = lp_server_new (server, &limits);
  lp_server_set_body_limit (*connections, "/segment",
      self->config.max_segment_size);
  if (!lp_server_listen (*connections, ip, port, bound_port, &error)) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
        ("Could not listen on %s port %u: %s", self->config.address, port,
            error->message), (NULL));
    g_error_free (error);
    g_clear_pointer (connections, lp_server_free);
    g_clear_object (&server);
  }
  g_object_unref (ip);
  return server;
}

static gboolean
start_server (GstLpOrchestrator * self)
{
  guint port = 0, metrics_port = 0;

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  /* the servers attach their sources to the thread-default context */
  g_main_context_push_thread_default (self->context);
  self->server = listen_on (self, self->config.port, &self->connections,
      &port);
  if (self->server != NULL) {
    soup_server_add_early_handler (self->server, "/segment",
        handle_segment_early, self, NULL);
    soup_server_add_handler (self->server, "/segment", handle_segment, self,
        NULL);
    soup_server_add_handler (self->server, "/getOrchestrator",
        handle_discovery, self, NULL);
    soup_server_add_handler (self->server, "/endSession",
        handle_end_session, self, NULL);
  }
  if (self->server != NULL && self->config.metrics_port != 0) {
    self->metrics_server = listen_on (self, self->config.metrics_port,
        &self->metrics_connections, &metrics_port);
    if (self->metrics_server != NULL)
      soup_server_add_handler (self->metrics_server, "/metrics",
          handle_metrics, self, NULL);
  }
  g_main_context_pop_thread_default (self->context);
  if (self->server == NULL || (self->config.metrics_port != 0
          && self->metrics_server == NULL))
    return FALSE;

  if (self->config.service_uri == NULL || self->config.service_uri[0] == 0) {
    g_free (self->config.service_uri);
    self->config.service_uri = g_strdup_printf ("http://%s:%u",
        self->config.address, port);
  }
  self->server_thread = g_thread_new ("lporch-http", server_thread, self);
  GST_OBJECT_LOCK (self);
  self->current_port = port;
  GST_OBJECT_UNLOCK (self);
  g_object_notify (G_OBJECT (self), "current-port");
  GST_INFO_OBJECT (self, "serving on %s", self->config.service_uri);
  return TRUE;
}

static void
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
static void
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

static gboolean
start_service (GstLpOrchestrator * self)
{
  gchar *key_file = NULL, *password_file = NULL;
  guint64 ticket_ev, max_face_value;
  gboolean ok;

  ok = take_config (self, &key_file, &password_file, &ticket_ev,
      &max_face_value)
      && load_key_and_ledger (self, key_file, password_file)
      && make_recipient (self, ticket_ev, max_face_value);
  g_free (key_file);
  g_free (password_file);
  if (!ok)
    goto failed;

  ORCH_LOCK (self);
  memset (&self->stats, 0, sizeof (self->stats));
  self->stopping = FALSE;
  self->sessions = g_hash_table_new (g_str_hash, g_str_equal);
  self->failed_sessions = g_ptr_array_new ();
  self->unstored_winners = g_array_new (FALSE, FALSE,
      sizeof (LpWinningTicket));
  ORCH_UNLOCK (self);
  if (!start_server (self))
    goto failed;
  warn_if_not_registered (self);
  warn_if_rounds_too_short (self);
  self->ledger_thread = g_thread_new ("lporch-ledger", ledger_thread, self);
  return TRUE;

failed:
  stop_service (self);
  return FALSE;
}

static gboolean
disconnect_servers (gpointer data)
{
  GstLpOrchestrator *self = data;

  g_clear_pointer (&self->connections, lp_server_free);
  g_clear_pointer (&self->metrics_connections, lp_server_free);
  soup_server_disconnect (self->server);
  if (self->metrics_server != NULL)
    soup_server_disconnect (self->metrics_server);
  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

/* Undoes start_service(), whatever part of it happened. Sessions end
 * first, while the server thread still runs to answer their segments. */
static void
stop_service (GstLpOrchestrator * self)
{
  GPtrArray *sessions = g_ptr_array_new ();
  gboolean had_port;
  guint i, lost;

  ORCH_LOCK (self);
  self->stopping = TRUE;
  g_cond_broadcast (&self->cond);
  ORCH_UNLOCK (self);
  if (self->ledger_thread != NULL) {
    g_thread_join (self->ledger_thread);
    self->ledger_thread = NULL;
  }

  ORCH_LOCK (self);
  if (self->sessions != NULL) {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, self->sessions);
    while (g_hash_table_iter_next (&iter, NULL, &value)) {
      ((Session *) value)->ended = TRUE;
      g_ptr_array_add (sessions, value);
      g_hash_table_iter_steal (&iter);
    }
  }
  ORCH_UNLOCK (self);
  for (i = 0; i < sessions->len; i++)
    session_finish (self, g_ptr_array_index (sessions, i), "shutdown", TRUE);
  g_ptr_array_free (sessions, TRUE);
  if (self->failed_sessions != NULL)
    reap_failed_sessions (self);

  if (self->server_thread != NULL) {
    g_main_context_invoke (self->context, disconnect_servers, self);
    g_thread_join (self->server_thread);
    self->server_thread = NULL;
  }
  /* what the workers handed the server thread after it stopped */
  if (self->context != NULL)
    while (g_main_context_iteration (self->context, FALSE));
  if (self->context != NULL) {
    /* never served (a failed start): no thread freed them */
    g_main_context_push_thread_default (self->context);
    g_clear_pointer (&self->connections, lp_server_free);
    g_clear_pointer (&self->metrics_connections, lp_server_free);
    g_main_context_pop_thread_default (self->context);
  }
  g_clear_object (&self->server);
  g_clear_object (&self->metrics_server);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  /* a winner still not stored is lost with its recipientRand: say so */
  if (self->unstored_winners != NULL && self->ledger != NULL)
    store_unstored_winners (self);
  ORCH_LOCK (self);
  lost = self->unstored_winners != NULL ? self->unstored_winners->len : 0;
  g_clear_pointer (&self->unstored_winners, g_array_unref);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  if (self->failed_sessions != NULL)
    g_ptr_array_free (self->failed_sessions, TRUE);
  self->failed_sessions = NULL;
  ORCH_UNLOCK (self);
  if (lost > 0)
    GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
        ("%u winning tickets could not be stored and are lost", lost),
        (NULL));
  g_clear_pointer (&self->recipient, lp_recipient_free);
  g_clear_object (&self->ledger);
  g_clear_pointer (&self->key, lp_private_key_unref);
  memset (self->auth_secret, 0, sizeof (self->auth_secret));

  GST_OBJECT_LOCK (self);
  had_port = self->current_port != 0;
  self->current_port = 0;
  GST_OBJECT_UNLOCK (self);
  if (had_port)
    g_object_notify (G_OBJECT (self), "current-port");
}

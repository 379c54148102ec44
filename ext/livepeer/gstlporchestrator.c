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
 * ## The service: go-livepeer's dialect
 *
 * The element speaks go-livepeer's wire only (proto/lp_rpc.proto):
 * discovery and the end of a session over gRPC, segments and payments over
 * HTTP with base64-of-protobuf headers, renditions fetched by URL. Our own
 * former JSON dialect is gone (issue 18): `/getOrchestrator` and
 * `/endSession` get Go's mux answer to a path it does not serve (404
 * "404 page not found"), and a JSON `Livepeer-Payment` or
 * `Livepeer-Segment` is refused as go-livepeer refuses one that is not
 * base64 of protobuf (402, 403), the reason saying so.
 *
 * The port serves go-livepeer's `net.Orchestrator` gRPC service over
 * HTTP/2, as go-livepeer's orchestrator does: each connection's first
 * bytes say whether it is TLS, the cleartext HTTP/2 preface (h2c) or
 * HTTP/1.x. With `tls` on, TLS uses a self-signed certificate kept in
 * `state-dir` (made on first start) and ALPN picks HTTP/2 (`h2`) or
 * HTTP/1.1; off, a TLS ClientHello is logged and closed.
 *
 * * `GetOrchestrator`: discovery. The `OrchestratorRequest`'s `sig` must
 *   be the broadcaster's signature of its own EIP-55 address; the answer
 *   is an `OrchestratorInfo` with the transcoder URI, ticket parameters
 *   made for that sender, the price, the orchestrator's address, a new
 *   session's auth token and go-livepeer's capability ids of what a
 *   transcoding session does here (H.264, MPEG-TS, fractional frame rates,
 *   the four H.264 profiles, GOP, auth token). Refusals are as
 *   go-livepeer's: status UNKNOWN with "Invalid orchestrator request
 *   (...)", for a bad signature or when `max-sessions` sessions are open
 *   and none of them may give its place ("OrchestratorCapped"; see below).
 * * `Ping`: answers the orchestrator's signature of the value sent.
 * * `EndTranscodingSession`: the session of the auth token ends (its
 *   capacity is free again) once its last segment is answered; UNKNOWN
 *   "Invalid auth token" for a token that is not ours or expired.
 *
 * A message that is not protobuf gets INTERNAL, one over 256 KiB
 * RESOURCE_EXHAUSTED. HTTP/2 connections count toward `max-connections`
 * and are closed after `idle-timeout` without a request.
 *
 * * `POST /segment` (HTTP/1.1, or HTTP/2 over TLS or h2c): one MPEG-TS
 *   segment (`Content-Type: video/MP2T`) with the `Livepeer-Segment`
 *   (SegData) and `Livepeer-Payment` (Payment) headers. The checks run in
 *   this order, each with its status and a reason in the body: payment
 *   unparsable (402); segment credentials: encoding, signature (by the
 *   payment's sender: a segment without a payment has none),
 *   capabilities, auth token, profiles, capacity (403); body larger than
 *   `max-segment-size` (413, before anything else and without keeping the
 *   body when its Content-Length announces it; a chunked body is refused
 *   with 411); body hash differs from the signed one (403); body is not
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
 *   Then `200` goes out at once (go-livepeer's broadcaster counts it as
 *   "upload done"), the session's transcoder runs, and the body is a
 *   protobuf `TranscodeResult` with each rendition's URL and encoded
 *   pixels, the result signature (docs/design/protocol.md §2) and fresh
 *   ticket parameters. A transcoding failure (a body that is not video,
 *   no keyframe, an encoder failure) is a `TranscodeResult` with `error`
 *   and no renditions; it ends that session, posts a warning, and nothing
 *   is debited.
 * * `GET /stream/SESSION/PROFILE/SEQ.ts`: a rendition, kept for
 *   `rendition-lifetime` milliseconds (at most the last 12 of a session
 *   and profile), then 404.
 * * `POST /payment`: go-livepeer's top-up: the same headers, the segment a
 *   signed dummy carrying the session's auth token; the tickets are
 *   credited and the answer is a `PaymentResult` with fresh
 *   OrchestratorInfo.
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
 * frames or seconds), a price and a capacity. A job is a capability id of
 * a private range, 1024 to 1087: fixed for the shipped ones
 * (face-detection 1024, motion 1025, face-blur 1026, edges 1027), the
 * `capability-id` key for others (a job without one is offered to no one,
 * and a warning says so at start). OrchestratorInfo advertises each as
 * go-livepeer does its AI pipelines: its bit, capacity, model in
 * `constraints.PerCapability[id].models` and price in
 * `capabilities_prices` (constraint = model id). A broadcaster asks for
 * one with the job's bit (and model) in the OrchestratorRequest's
 * capabilities (its ticket parameters and price are then the job's) and
 * in each segment's SegData, without profiles. An unknown id or model
 * gets "incompatible capabilities" (gRPC UNKNOWN at discovery, 403 for a
 * segment); a capability whose `capacity` sessions of other broadcasters
 * are open gets "insufficient capacity" (UNKNOWN at discovery, 503 for a
 * segment; a broadcaster's own sessions do not count: it may discover
 * again for a fresh token). The segment runs through `appsrc ! tsdemux !
 * h264parse ! avdec_h264 ! FRAGMENT` in a pipeline of its own; its
 * TranscodeResult's URLs serve the video (`.../JOB/SEQ.ts`, `video/MP2T`)
 * and then the metadata (`.../JOB/SEQ.json`, `application/json`:
 * `capability`, `model_id`, `seq`, `frames`, `width`, `height`,
 * `duration_ms` and `messages`, each with its `element` factory, `message`
 * name and `fields`). The first output's `pixels` in the TranscodeResult
 * are the units billed, debited at the capability's price; the result is
 * signed as a transcode's. A segment may take max (8 s, 4 × its
 * duration), as long as a broadcaster waits for it. A fragment that fails
 * on a segment (or takes longer) fails that job only (an `error` result
 * and a warning; nothing debited), the session goes on. See
 * docs/design/transport.md.
 *
 * Each session (the auth token's session id) owns one transcode pipeline,
 * kept across its segments and ended after `session-timeout` seconds
 * without a segment. The output pixels (frames × width × height of every
 * rendition) are debited from the sender's credit at the price fixed when
 * the session started.
 *
 * Winning tickets are stored in the ledger's redemption queue before the
 * answer is sent and redeemed by the element's ledger worker once their
 * parameters have expired (docs/design/protocol.md §3); a ticket whose creation round
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

/* The element itself: its properties, its state changes (which start and
 * stop the service), the `stats` and the bus messages. The service is
 * composed of the HTTP server (lporchrpc.c), the sessions and their
 * workers (lporchsession.c) and the ledger worker (lporchledger.c);
 * gstlporchestrator-private.h holds what they share, their threads and
 * their lock. */

#include <string.h>

#include "gstlporchestrator-private.h"
#include "lpjobrunner.h"

/* shared with lpjobrunner.c, the orchestrator's capability jobs */
GST_DEBUG_CATEGORY (gst_lp_orchestrator_debug);

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
/* go-livepeer's gas of one redemption on Arbitrum (L2); 350 000 on L1 */
#define DEFAULT_REDEEM_GAS 1200000
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
#define DEFAULT_REGISTER_SERVICE_URI FALSE
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
#define DEFAULT_TLS FALSE
/* go-livepeer's broadcaster fetches a segment's renditions as soon as it
 * has the result (within 4 x the segment's duration); its orchestrator's
 * memory store keeps the last 12 of each stream and profile, 24 s of 2 s
 * segments */
#define DEFAULT_RENDITION_LIFETIME 30000
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
  PROP_REDEEM_GAS,
  PROP_MAX_SESSIONS,
  PROP_ENCODER,
  PROP_PROFILES_ALLOWED,
  PROP_CAPABILITIES,
  PROP_MAX_SEGMENT_SIZE,
  PROP_SESSION_TIMEOUT,
  PROP_AUTO_REWARD,
  PROP_AUTO_INITIALIZE_ROUND,
  PROP_REGISTER_SERVICE_URI,
  PROP_METRICS_PORT,
  PROP_MAX_PIXEL_RATE,
  PROP_MAX_RENDITIONS,
  PROP_MAX_SEGMENT_DURATION,
  PROP_MAX_CONNECTIONS,
  PROP_IDLE_TIMEOUT,
  PROP_TLS,
  PROP_STATE_DIR,
  PROP_RENDITION_LIFETIME,
  PROP_STATS,
};

G_DEFINE_TYPE (GstLpOrchestrator, gst_lp_orchestrator, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (lporchestrator, "lporchestrator",
    GST_RANK_NONE, GST_TYPE_LP_ORCHESTRATOR,
    GST_DEBUG_CATEGORY_INIT (gst_lp_orchestrator_debug, "lporchestrator", 0,
        "Livepeer orchestrator"));

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
   * their segments. Defaults to http://ADDRESS:CURRENT-PORT (https://
   * with #GstLpOrchestrator:tls); set it when broadcasters reach the node
   * through another name.
   */
  g_object_class_install_property (gobject_class, PROP_SERVICE_URI,
      g_param_spec_string ("service-uri", "Service URI",
          "The URI advertised to broadcasters as the transcoder (NULL: "
          "http://ADDRESS:CURRENT-PORT, https:// with tls)",
          DEFAULT_SERVICE_URI, rw_ready));
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
   * tickets on: an embedded ledger file, or a chain with Livepeer's
   * contracts, `http://HOST:PORT?controller=0x…` (or https://; the other
   * URI parameters are in docs/design/chain.md), where the node's key
   * signs its redemptions, reward calls and round initializations. On a
   * chain the segment path reads a copy of what it needs (rounds, block
   * hash, senders' deposits, the gas price) that a worker refreshes on
   * each new block: no segment waits for the node.
   */
  g_object_class_install_property (gobject_class, PROP_LEDGER,
      g_param_spec_string ("ledger", "Ledger",
          "The ledger's URI: an embedded ledger file (devnet.db, "
          "sqlite:///path) made by 'lpctl init', or a chain with Livepeer's "
          "contracts (http://HOST:PORT?controller=0x...; https:// too)",
          DEFAULT_LEDGER, rw_ready));
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
   *
   * The face value is sized as go-livepeer's: the cost of redeeming a
   * winner, `redeem-gas` × the gas price, times 100; raised to 100 × the
   * ticket EV when below the EV; then capped by the sender's max float
   * (its reserve's share for this node, less what its queued winners will
   * claim unless its deposit covers them) and by this property. Ticket
   * parameters are refused ("insufficient sender reserve") when the
   * result is below the EV, or below both the redemption's cost and
   * `redeem-gas` × 3 gwei. The gas price is the chain node's
   * (`eth_gasPrice`, read at start and every 30 s); on the embedded
   * ledger, whose operations cost no gas, it is 0.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_FACE_VALUE,
      g_param_spec_uint64 ("max-face-value", "Maximum face value",
          "Cap on a ticket's face value, in wei (0: none; the sender's "
          "reserve share caps it anyway)", 0, G_MAXUINT64,
          DEFAULT_MAX_FACE_VALUE, rw_ready));
  /**
   * GstLpOrchestrator:redeem-gas:
   *
   * The gas one ticket redemption is reckoned to take, for the face value
   * (see #GstLpOrchestrator:max-face-value): go-livepeer's 1 200 000 on
   * an L2 such as Arbitrum, 350 000 on Ethereum L1. It matters only on a
   * chain (the embedded ledger's gas price is 0).
   */
  g_object_class_install_property (gobject_class, PROP_REDEEM_GAS,
      g_param_spec_uint64 ("redeem-gas", "Redemption gas",
          "Gas of one ticket redemption: the face value is 100 x this x "
          "the chain's gas price (1200000 on an L2, 350000 on L1)", 1,
          G_MAXUINT64, DEFAULT_REDEEM_GAS, rw_ready));
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
   * GstLpOrchestrator:register-service-uri:
   *
   * Whether the node makes its advertised service URI (the
   * #GstLpOrchestrator:service-uri, or the one it builds) the URI the
   * ledger gives broadcasters for its address: the ServiceRegistry's
   * `setServiceURI()` on a chain. The ledger worker looks once after each
   * start, without holding up the state change; when the registered URI
   * differs it sets it and posts `lporchestrator-service-uri` (`address`,
   * `service-uri`, `previous-uri`), and when it cannot (an address not
   * registered, no ETH for gas) it posts a warning and serves on. Its
   * reward cut and fee share are kept (no `transcoder()` call: the round
   * lock does not hold the URI back). Off by default: go-livepeer only
   * warns about a mismatch, and the URI is the operator's to publish.
   */
  g_object_class_install_property (gobject_class, PROP_REGISTER_SERVICE_URI,
      g_param_spec_boolean ("register-service-uri", "Register service URI",
          "Set the ledger's service URI for this node's address to the one "
          "it advertises when they differ (a transaction on a chain)",
          DEFAULT_REGISTER_SERVICE_URI, rw_ready));
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
   * GstLpOrchestrator:rendition-lifetime:
   *
   * How long, in milliseconds, the renditions of a segment stay at the
   * URLs its TranscodeResult names (`GET /stream/SESSION/PROFILE/SEQ.ts`);
   * then they are deleted. At most the last 12 of each session and
   * profile are kept, as go-livepeer's memory store keeps them.
   */
  g_object_class_install_property (gobject_class, PROP_RENDITION_LIFETIME,
      g_param_spec_uint ("rendition-lifetime", "Rendition lifetime",
          "Milliseconds the renditions of a segment stay downloadable", 100,
          3600000, DEFAULT_RENDITION_LIFETIME, rw_ready));
  /**
   * GstLpOrchestrator:tls:
   *
   * Whether the port also answers TLS, as go-livepeer's orchestrator does:
   * with a self-signed certificate kept in #GstLpOrchestrator:state-dir
   * (made on first start, reused after), ALPN `h2` for gRPC and
   * `http/1.1` for HTTP. The service URI is then `https://` unless
   * #GstLpOrchestrator:service-uri says otherwise. Cleartext HTTP/1.1 and
   * h2c (HTTP/2 with prior knowledge) are served on the same port either
   * way; off, a TLS ClientHello is logged and the connection closed. Off
   * by default, so that existing `http://` service URIs keep working.
   */
  g_object_class_install_property (gobject_class, PROP_TLS,
      g_param_spec_boolean ("tls", "TLS",
          "Answer TLS on the port too (self-signed certificate in state-dir, "
          "ALPN h2 and http/1.1); the default service URI becomes https://",
          DEFAULT_TLS, rw_ready));
  /**
   * GstLpOrchestrator:state-dir:
   *
   * The directory of the node's own files: the TLS certificate and its key
   * (`cert.pem`, `key.pem`, the key readable by its owner only), made
   * (0700) when missing. Unset, a directory `lporchestrator-state` beside
   * #GstLpOrchestrator:key-file.
   */
  g_object_class_install_property (gobject_class, PROP_STATE_DIR,
      g_param_spec_string ("state-dir", "State directory",
          "Directory of the TLS certificate and key (NULL: "
          "lporchestrator-state beside key-file)", NULL, rw_ready));
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
  self->props.address = g_strdup (DEFAULT_ADDRESS);
  self->props.port = DEFAULT_PORT;
  self->props.ledger_uri = g_strdup (DEFAULT_LEDGER);
  self->props.price_per_unit = DEFAULT_PRICE_PER_UNIT;
  self->props.pixels_per_unit = DEFAULT_PIXELS_PER_UNIT;
  self->props.ticket_ev = DEFAULT_TICKET_EV;
  self->props.max_face_value = DEFAULT_MAX_FACE_VALUE;
  self->props.redeem_gas = DEFAULT_REDEEM_GAS;
  self->props.max_sessions = DEFAULT_MAX_SESSIONS;
  self->props.encoder = g_strdup (DEFAULT_ENCODER);
  self->props.max_segment_size = DEFAULT_MAX_SEGMENT_SIZE;
  self->props.session_timeout = DEFAULT_SESSION_TIMEOUT;
  self->props.auto_reward = DEFAULT_AUTO_REWARD;
  self->props.auto_initialize_round = DEFAULT_AUTO_INITIALIZE_ROUND;
  self->props.register_service_uri = DEFAULT_REGISTER_SERVICE_URI;
  self->props.metrics_port = DEFAULT_METRICS_PORT;
  self->props.max_pixel_rate = DEFAULT_MAX_PIXEL_RATE;
  self->props.max_renditions = DEFAULT_MAX_RENDITIONS;
  self->props.max_segment_duration = DEFAULT_MAX_SEGMENT_DURATION;
  self->props.max_connections = DEFAULT_MAX_CONNECTIONS;
  self->props.idle_timeout = DEFAULT_IDLE_TIMEOUT;
  self->props.rendition_lifetime = DEFAULT_RENDITION_LIFETIME;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  ledger_view_init (&self->view);
  /* no pads, but the end of a pipeline's stream all the same: an
   * application's (or gst-launch-1.0 -e's) EOS reaches it as a source's
   * would and its EOS message ends the pipeline as a sink's would */
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SOURCE | GST_ELEMENT_FLAG_SINK);
}

/* lporchestrator-state beside the key file */
static gchar *
default_state_dir (const gchar * key_file)
{
  gchar *dir = g_path_get_dirname (key_file);
  gchar *state_dir = g_build_filename (dir, "lporchestrator-state", NULL);

  g_free (dir);
  return state_dir;
}

/* A deep copy of @src's strings into @dest. */
static void
settings_copy (const Settings * src, Settings * dest)
{
  *dest = *src;
  dest->address = g_strdup (src->address);
  dest->service_uri = g_strdup (src->service_uri);
  dest->key_file = g_strdup (src->key_file);
  dest->password_file = g_strdup (src->password_file);
  dest->ledger_uri = g_strdup (src->ledger_uri);
  dest->encoder = g_strdup (src->encoder);
  dest->profiles_allowed = g_strdup (src->profiles_allowed);
  dest->capabilities = g_strdup (src->capabilities);
  dest->state_dir = g_strdup (src->state_dir);
}

static void
settings_clear (Settings * settings)
{
  g_free (settings->address);
  g_free (settings->service_uri);
  g_free (settings->key_file);
  g_free (settings->password_file);
  g_free (settings->ledger_uri);
  g_free (settings->encoder);
  g_free (settings->profiles_allowed);
  g_free (settings->capabilities);
  g_free (settings->state_dir);
  memset (settings, 0, sizeof (*settings));
}

static void
config_clear (Config * config)
{
  settings_clear (&config->props);
  g_strfreev (config->profiles_allowed);
  if (config->capabilities != NULL)
    g_ptr_array_unref (config->capabilities);
  g_free (config->state_dir);
  memset (config, 0, sizeof (*config));
}

static void
gst_lp_orchestrator_finalize (GObject * object)
{
  GstLpOrchestrator *self = GST_LP_ORCHESTRATOR (object);

  settings_clear (&self->props);
  config_clear (&self->config);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  ledger_view_clear (&self->view);
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
      g_free (self->props.address);
      self->props.address = g_value_dup_string (value);
      break;
    case PROP_PORT:
      self->props.port = g_value_get_uint (value);
      break;
    case PROP_SERVICE_URI:
      g_free (self->props.service_uri);
      self->props.service_uri = g_value_dup_string (value);
      break;
    case PROP_KEY_FILE:
      g_free (self->props.key_file);
      self->props.key_file = g_value_dup_string (value);
      break;
    case PROP_PASSWORD_FILE:
      g_free (self->props.password_file);
      self->props.password_file = g_value_dup_string (value);
      break;
    case PROP_LEDGER:
      g_free (self->props.ledger_uri);
      self->props.ledger_uri = g_value_dup_string (value);
      break;
    case PROP_PRICE_PER_UNIT:
      self->props.price_per_unit = g_value_get_uint64 (value);
      break;
    case PROP_PIXELS_PER_UNIT:
      self->props.pixels_per_unit = g_value_get_uint64 (value);
      break;
    case PROP_TICKET_EV:
      self->props.ticket_ev = g_value_get_uint64 (value);
      break;
    case PROP_MAX_FACE_VALUE:
      self->props.max_face_value = g_value_get_uint64 (value);
      break;
    case PROP_REDEEM_GAS:
      self->props.redeem_gas = g_value_get_uint64 (value);
      break;
    case PROP_MAX_SESSIONS:
      self->props.max_sessions = g_value_get_uint (value);
      break;
    case PROP_ENCODER:
      g_free (self->props.encoder);
      self->props.encoder = g_value_dup_string (value);
      break;
    case PROP_PROFILES_ALLOWED:
      g_free (self->props.profiles_allowed);
      self->props.profiles_allowed = g_value_dup_string (value);
      break;
    case PROP_CAPABILITIES:
      g_free (self->props.capabilities);
      self->props.capabilities = g_value_dup_string (value);
      break;
    case PROP_MAX_SEGMENT_SIZE:
      self->props.max_segment_size = g_value_get_uint64 (value);
      break;
    case PROP_SESSION_TIMEOUT:
      self->props.session_timeout = g_value_get_uint (value);
      break;
    case PROP_AUTO_REWARD:
      self->props.auto_reward = g_value_get_boolean (value);
      break;
    case PROP_AUTO_INITIALIZE_ROUND:
      self->props.auto_initialize_round = g_value_get_boolean (value);
      break;
    case PROP_REGISTER_SERVICE_URI:
      self->props.register_service_uri = g_value_get_boolean (value);
      break;
    case PROP_METRICS_PORT:
      self->props.metrics_port = g_value_get_uint (value);
      break;
    case PROP_MAX_PIXEL_RATE:
      self->props.max_pixel_rate = g_value_get_uint64 (value);
      break;
    case PROP_MAX_RENDITIONS:
      self->props.max_renditions = g_value_get_uint (value);
      break;
    case PROP_MAX_SEGMENT_DURATION:
      self->props.max_segment_duration = g_value_get_uint (value);
      break;
    case PROP_MAX_CONNECTIONS:
      self->props.max_connections = g_value_get_uint (value);
      break;
    case PROP_IDLE_TIMEOUT:
      self->props.idle_timeout = g_value_get_uint (value);
      break;
    case PROP_RENDITION_LIFETIME:
      self->props.rendition_lifetime = g_value_get_uint (value);
      break;
    case PROP_TLS:
      self->props.tls = g_value_get_boolean (value);
      break;
    case PROP_STATE_DIR:
      g_free (self->props.state_dir);
      self->props.state_dir = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

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
      g_value_set_string (value, self->props.address);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->props.port);
      break;
    case PROP_CURRENT_PORT:
      g_value_set_uint (value, self->current_port);
      break;
    case PROP_SERVICE_URI:
      g_value_set_string (value, self->props.service_uri);
      break;
    case PROP_KEY_FILE:
      g_value_set_string (value, self->props.key_file);
      break;
    case PROP_PASSWORD_FILE:
      g_value_set_string (value, self->props.password_file);
      break;
    case PROP_LEDGER:
      g_value_set_string (value, self->props.ledger_uri);
      break;
    case PROP_PRICE_PER_UNIT:
      g_value_set_uint64 (value, self->props.price_per_unit);
      break;
    case PROP_PIXELS_PER_UNIT:
      g_value_set_uint64 (value, self->props.pixels_per_unit);
      break;
    case PROP_TICKET_EV:
      g_value_set_uint64 (value, self->props.ticket_ev);
      break;
    case PROP_MAX_FACE_VALUE:
      g_value_set_uint64 (value, self->props.max_face_value);
      break;
    case PROP_REDEEM_GAS:
      g_value_set_uint64 (value, self->props.redeem_gas);
      break;
    case PROP_MAX_SESSIONS:
      g_value_set_uint (value, self->props.max_sessions);
      break;
    case PROP_ENCODER:
      g_value_set_string (value, self->props.encoder);
      break;
    case PROP_PROFILES_ALLOWED:
      g_value_set_string (value, self->props.profiles_allowed);
      break;
    case PROP_CAPABILITIES:
      g_value_set_string (value, self->props.capabilities);
      break;
    case PROP_MAX_SEGMENT_SIZE:
      g_value_set_uint64 (value, self->props.max_segment_size);
      break;
    case PROP_SESSION_TIMEOUT:
      g_value_set_uint (value, self->props.session_timeout);
      break;
    case PROP_AUTO_REWARD:
      g_value_set_boolean (value, self->props.auto_reward);
      break;
    case PROP_AUTO_INITIALIZE_ROUND:
      g_value_set_boolean (value, self->props.auto_initialize_round);
      break;
    case PROP_REGISTER_SERVICE_URI:
      g_value_set_boolean (value, self->props.register_service_uri);
      break;
    case PROP_METRICS_PORT:
      g_value_set_uint (value, self->props.metrics_port);
      break;
    case PROP_MAX_PIXEL_RATE:
      g_value_set_uint64 (value, self->props.max_pixel_rate);
      break;
    case PROP_MAX_RENDITIONS:
      g_value_set_uint (value, self->props.max_renditions);
      break;
    case PROP_MAX_SEGMENT_DURATION:
      g_value_set_uint (value, self->props.max_segment_duration);
      break;
    case PROP_MAX_CONNECTIONS:
      g_value_set_uint (value, self->props.max_connections);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->props.idle_timeout);
      break;
    case PROP_RENDITION_LIFETIME:
      g_value_set_uint (value, self->props.rendition_lifetime);
      break;
    case PROP_TLS:
      g_value_set_boolean (value, self->props.tls);
      break;
    case PROP_STATE_DIR:
      g_value_set_string (value, self->props.state_dir);
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

gchar *
address_text (const LpAddress * address)
{
  gchar text[LP_ADDRESS_TEXT_SIZE];

  lp_address_format (address, text);
  return g_strdup (text);
}

GstStructure *
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

void
post_element_message (GstLpOrchestrator * self, GstStructure * s)
{
  gst_element_post_message (GST_ELEMENT_CAST (self),
      gst_message_new_element (GST_OBJECT_CAST (self), s));
}

/* ------------------------------------------------------------------------ */
/* starting and stopping                                                    */
/* ------------------------------------------------------------------------ */

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
    /* go-livepeer's dialect names a job by its id: one without is
     * offered to no one */
    if (cap->id == 0)
      GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS, ("%s: capability %s "
              "has no capability-id: no broadcaster can ask for it", path,
              cap->name), ("give it capability-id=N, N from 1028 to 1087 "
              "(docs/design/transport.md, capability jobs)"));
    else
      GST_INFO_OBJECT (self, "capability %s (model %s): id %u", cap->name,
          cap->model_id, cap->id);
  }
  return TRUE;
}

/* Copies the properties the service runs with and derives the rest;
 * FALSE (with an element error) when one is unusable. */
static gboolean
take_config (GstLpOrchestrator * self)
{
  Config *c = &self->config;
  const Settings *props = &c->props;
  gboolean ok = TRUE;
  guint i;

  config_clear (c);
  GST_OBJECT_LOCK (self);
  settings_copy (&self->props, &c->props);
  GST_OBJECT_UNLOCK (self);

  if (c->props.encoder == NULL)
    c->props.encoder = g_strdup ("auto");
  c->price.price_per_unit = props->price_per_unit;
  c->price.pixels_per_unit = props->pixels_per_unit;
  if (props->profiles_allowed != NULL && props->profiles_allowed[0] != '\0')
    c->profiles_allowed = g_strsplit (props->profiles_allowed, ",", -1);
  if (props->state_dir != NULL && props->state_dir[0] != '\0')
    c->state_dir = g_strdup (props->state_dir);
  else if (props->key_file != NULL)
    c->state_dir = default_state_dir (props->key_file);

  for (i = 0; c->profiles_allowed != NULL && c->profiles_allowed[i]; i++) {
    g_strstrip (c->profiles_allowed[i]);
    if (!lp_profile_name_is_valid (c->profiles_allowed[i])) {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          ("profiles-allowed: '%s' is not a rendition name",
              c->profiles_allowed[i]), (NULL));
      ok = FALSE;
    }
  }
  if (props->capabilities != NULL && props->capabilities[0] != '\0'
      && !load_capabilities (self, props->capabilities))
    ok = FALSE;
  if (props->key_file == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("key-file is not set: the orchestrator needs a key (make one with "
            "'lpctl account new --out orch.key')"), (NULL));
    ok = FALSE;
  }
  if (props->ledger_uri == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("ledger is not set"),
        (NULL));
    ok = FALSE;
  }
  return ok;
}

static gboolean
start_service (GstLpOrchestrator * self)
{
  const Settings *props = &self->config.props;
  GError *error = NULL;
  gboolean ok;

  ok = take_config (self)
      && load_key_and_ledger (self, props->key_file, props->password_file)
      && make_recipient (self, props->ticket_ev, props->max_face_value,
      props->redeem_gas);
  if (!ok)
    goto failed;
  /* a chain's view is read before anybody is answered */
  if (!ledger_view_start (self, &error)) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ, ("ledger: %s",
            error->message), (NULL));
    g_error_free (error);
    goto failed;
  }

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
  if (self->sweep != NULL)
    g_source_destroy (self->sweep);
  g_clear_pointer (&self->sweep, g_source_unref);
  g_clear_pointer (&self->renditions, rendition_store_free);
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
  ledger_view_reset (&self->view);
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

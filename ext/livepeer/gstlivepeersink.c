/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-livepeersink
 * @title: livepeersink
 *
 * A Livepeer broadcaster at the end of a pipeline. livepeersink cuts its
 * input into keyframe-aligned MPEG-TS segments, pays orchestrators with
 * probabilistic micropayment tickets to transcode each segment into the
 * renditions of `profiles`, checks what comes back, retries a failed
 * segment elsewhere and writes the ladder as HLS into `location` (or hands
 * each rendition to the application through the `rendition` signal).
 *
 * ## Input
 *
 * Parsed H.264 (`video/x-h264`), MPEG-TS (`video/mpegts`, its first H.264
 * stream is used) or raw video, which livepeersink first encodes into the
 * source rendition with the best encoder present (the table of
 * `lptranscodebin`), a keyframe every `segment-duration`. Segments are cut
 * at the first keyframe after `segment-duration`.
 *
 * Audio (AAC, `audio/mpeg`), on the `audio` request pad or as the AAC
 * stream of an MPEG-TS input, goes into each segment sent, and since the
 * orchestrator's renditions are video only, livepeersink muxes the
 * segment's audio into every rendition it writes (a stream copy, moved
 * onto the rendition's time line), as a go-livepeer orchestrator copies
 * it. Segments are cut and muxed in running time, so audio and video
 * stay in step whatever their inputs' timestamps.
 *
 * ## Orchestrators and payments
 *
 * `orchestrators` lists their base URIs; unset, the active orchestrators
 * of the ledger are used (their service URIs). In READY to PAUSED each is
 * asked for its `OrchestratorInfo` (`POST /getOrchestrator`); the state
 * change fails with a clear error when none answers, when every one asks
 * more than `max-price-per-unit`, or when one must be paid and the
 * broadcaster (`key-file`) has no deposit or reserve on the `ledger`.
 *
 * For each segment an orchestrator is chosen as go-livepeer does: the last
 * one again while its latency score (round trip over segment duration)
 * stays at or under 1, else the fastest known, else a random one weighted
 * 0.7 by stake (from the ledger) and 0.3 uniformly. Tickets are sent when
 * the credit held at that orchestrator is below the segment's estimated
 * fee; an orchestrator whose price more than doubles is not paid any more.
 * A failed attempt (no answer, an HTTP error, a transcoding error, a bad
 * signature, pixel counts that differ from the decoded renditions, with
 * `verify=quality` an `lpverify` verdict of fail on a sampled segment)
 * suspends that orchestrator and the segment goes to another, at most
 * `max-attempts` times. A segment that fails everywhere is reported lost;
 * after `max-consecutive-failures` such segments in a row the element
 * errors (segments dropped by `queue-policy=drop-oldest` do not count).
 *
 * Segments are dispatched from `max-in-flight` threads of the element's
 * own; the streaming thread only waits when `queue-policy` is `block` and
 * that many segments are already waiting. Each thread keeps its own
 * session with an orchestrator (its own auth token, ticket parameters and
 * credit), so segments in flight to one orchestrator are transcoded side
 * by side; a stream uses up to `max-in-flight` of an orchestrator's
 * `max-sessions`. An orchestrator that refuses a thread's session for
 * lack of capacity ("OrchestratorCapped") while the stream holds another
 * session there gets the segment through that one, which the thread then
 * shares; only when the stream holds none does the segment fail over.
 * With `job`, the threads share one session with each orchestrator (a
 * capability's `capacity` counts streams), and at most 4 run, what an
 * orchestrator queues in a session.
 *
 * ## Deadlines and limits
 *
 * Whatever an orchestrator does (answer a byte at a time, never end its
 * answer, send gigabytes), it costs the stream a bounded time and memory:
 *
 * * discovery: the whole exchange within `discovery-timeout`; all
 *   orchestrators are asked at once, so READY to PAUSED waits at most
 *   that long for them. An answer over 256 KiB is refused.
 * * a segment: the whole exchange (upload, transcoding, the answer read
 *   to its end) within `segment-timeout`, by default go-livepeer's
 *   broadcaster rule, 4 times the segment's duration and at least 8 s;
 *   an answer over `max-answer-size` is refused (unread when its
 *   Content-Length says so). Either fails the orchestrator for that
 *   segment, which fails over.
 * * the end of a stream (PAUSED to READY): requests in flight are
 *   cancelled at once, and the `/endSession` requests that free the
 *   orchestrators' capacity take 2 s at most, all of them together.
 * * an error answer: at most 4 KiB of it is read, for its reason.
 *
 * With `queue-policy=block` an EOS waits for the segments in flight, each
 * within `max-attempts` deadlines; setting the element to NULL stops at
 * once.
 *
 * ## Output
 *
 * With `location`: `master.m3u8` (every rendition with BANDWIDTH,
 * RESOLUTION, CODECS, and the source as `source`), one directory per
 * rendition with `index.m3u8` and `<seq>.ts` files, a sliding window of
 * `playlist-length` segments (0: all) and at most `max-files` files
 * (0: all); `#EXT-X-ENDLIST` on EOS and on PAUSED to READY. Renditions
 * are written in sequence order. EOS is posted once every segment is
 * written or reported lost.
 *
 * ## Messages
 *
 * * `livepeersink-segment`: `seq` (guint64), `orchestrator` (string, URI),
 *   `attempts` (guint), `latency` (GstClockTime, the successful attempt's
 *   round trip), `pixels` (guint64, all renditions), `fee` (string, wei,
 *   exact "n" or "n/d"), `tickets` (guint, sent for this segment, all
 *   attempts), `verified` (string: the checks it passed: "none",
 *   "signature", "pixels" or "quality").
 * * `livepeersink-failover`: `seq`, `orchestrator`, `attempt` (guint),
 *   `reason` (string); also posted as a warning.
 * * `livepeersink-segment-lost`: `seq`, `attempts`, `reason`; also a QoS
 *   message.
 * * `livepeersink-analysis` (with `job`): `seq`, `units` (guint64,
 *   billed), `capability`, `model-id`, `orchestrator` (strings),
 *   `messages` (guint, in the document) and `analysis` (string: the job's
 *   JSON document, as `lporchestrator` describes it).
 * * PROGRESS `discovery` while the orchestrators are asked.
 *
 * With `job`, `livepeersink-segment`'s `pixels` are the job's units.
 *
 * The `stats` property holds the totals: `segments-ok`, `segments-lost`,
 * `retries`, `tickets` (guint64), `fees` (string, wei) and `orchestrators`
 * (GstValueArray of structures `orchestrator` with `uri`, `segments`,
 * `failures`, `suspended`).
 *
 * Orchestrators are spoken to in go-livepeer's protobuf dialect (gRPC
 * discovery, protobuf segment headers and results, renditions fetched by
 * URL); one that does not answer gRPC discovery is not used, and the
 * discovery error says so. A capability job is still asked for in JSON
 * (docs/design/transport.md).
 *
 * ## Example launch line
 *
 * ```
 * lpctl account new --out orch.key
 * lpctl account new --out bcast.key
 * lpctl init --fund "$(lpctl account address bcast.key | tail -n 1)=0:10e18"
 * lpctl deposit --from bcast.key --deposit 1e18 --reserve 1e18
 * gst-launch-1.0 lporchestrator port=8935 key-file=orch.key ledger=devnet.db &
 * gst-launch-1.0 -e videotestsrc num-buffers=300 pattern=ball ! \
 *     video/x-raw,width=1280,height=720,framerate=30/1 ! \
 *     livepeersink orchestrators=http://127.0.0.1:8935 key-file=bcast.key \
 *     ledger=devnet.db profiles=P360p30fps16x9,P240p30fps16x9 location=out
 * ```
 * A funded broadcaster sends 10 s of video to a (free) orchestrator on
 * port 8935 and writes `out/master.m3u8`. `pipelines/quickstart.sh` runs a
 * whole paid network: two orchestrators with stake, tickets, rounds.
 */

/*
 * This file holds the element: its properties, states and stats, and the
 * dispatch queue and threads. Its input (the chain, the segmenter, the
 * audio paired with each segment) is in gstlivepeersink-input.c, its
 * writer (renditions in sequence order to HLS and the `rendition` signal,
 * the messages of segments written or lost) in gstlivepeersink-writer.c;
 * the state they share in gstlivepeersink-private.h. The node logic (the
 * orchestrators, their sessions, payment, attempts, failover) is
 * LpBroadcaster's (lpbroadcaster.h): the dispatch threads hand it each
 * segment, and its listener's reports become livepeersink-failover and
 * the "cannot pay" error.
 *
 * Threads: the state thread (state changes); the video streaming thread
 * (the segmenter, the queue; it holds the EOS until every segment is
 * done); the audio streaming thread; max-in-flight dispatch threads (the
 * broadcaster, then the writer for whatever is next in order); any
 * thread for the properties and the stats.
 *
 * Lock order: a thread that holds a lock takes only those below it.
 *   1. release_lock   the inputs: segments awaiting their audio
 *   2. write_lock     the writer: one segment written at a time, in order
 *   3. dispatch_lock  the queue, the done table, the seqs, stopping;
 *                     conditions queue_room, queue_ready, all_done
 *   4. stats_lock     the stats, and the broadcaster for them
 *   5. the broadcaster's own lock, inside its calls (a leaf)
 * The object lock guards the properties and is held with no other.
 *
 * The video streaming thread waits for queue_room holding release_lock,
 * so a full queue holds back the audio input too. write_lock is held
 * while a segment is written: across file I/O, its bus messages and the
 * rendition signal, whose handlers must not change the element's state.
 * The broadcaster's listener runs in a dispatch thread with no lock held.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/livepeer/lpcapability.h>
#include <gst/livepeer/lpprofile.h>

#include "gstlivepeersink-private.h"

GST_DEBUG_CATEGORY (gst_livepeer_sink_debug);
#define GST_CAT_DEFAULT gst_livepeer_sink_debug

#define DEFAULT_ORCHESTRATORS NULL
#define DEFAULT_KEY_FILE NULL
#define DEFAULT_PASSWORD_FILE NULL
#define DEFAULT_LEDGER "devnet.db"
#define DEFAULT_PROFILES "P360p30fps16x9,P240p30fps16x9"
#define DEFAULT_LOCATION NULL
#define DEFAULT_MANIFEST_ID NULL
#define DEFAULT_SEGMENT_DURATION 2000
#define DEFAULT_MAX_PRICE_PER_UNIT 0
#define DEFAULT_PIXELS_PER_UNIT 1
#define DEFAULT_MAX_IN_FLIGHT 2
#define DEFAULT_QUEUE_POLICY GST_LIVEPEER_SINK_QUEUE_BLOCK
#define DEFAULT_VERIFY GST_LIVEPEER_SINK_VERIFY_PIXELS
#define DEFAULT_MAX_ATTEMPTS 3
#define DEFAULT_MAX_CONSECUTIVE_FAILURES 5
#define DEFAULT_PLAYLIST_LENGTH 5
#define DEFAULT_MAX_FILES 10
#define DEFAULT_DISCOVERY_TIMEOUT 2000
#define DEFAULT_SEGMENT_TIMEOUT 0
#define DEFAULT_MAX_ANSWER_SIZE 0
#define DEFAULT_VERIFY_SAMPLE_RATE 0.1


enum
{
  PROP_0,
  PROP_ORCHESTRATORS,
  PROP_JOB,
  PROP_MODEL,
  PROP_JOB_ID,
  PROP_JOB_OUTPUTS,
  PROP_JOB_UNIT,
  PROP_KEY_FILE,
  PROP_PASSWORD_FILE,
  PROP_LEDGER,
  PROP_PROFILES,
  PROP_LOCATION,
  PROP_MANIFEST_ID,
  PROP_SEGMENT_DURATION,
  PROP_MAX_PRICE_PER_UNIT,
  PROP_PIXELS_PER_UNIT,
  PROP_MAX_IN_FLIGHT,
  PROP_QUEUE_POLICY,
  PROP_VERIFY,
  PROP_VERIFY_SAMPLE_RATE,
  PROP_MAX_ATTEMPTS,
  PROP_MAX_CONSECUTIVE_FAILURES,
  PROP_PLAYLIST_LENGTH,
  PROP_MAX_FILES,
  PROP_DISCOVERY_TIMEOUT,
  PROP_SEGMENT_TIMEOUT,
  PROP_MAX_ANSWER_SIZE,
  PROP_STATS,
};

guint gst_livepeer_sink_signals[LAST_SIGNAL];

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("video/x-h264; video/mpegts, systemstream=(boolean)true; "
        "video/x-raw"));

static GstStaticPadTemplate audio_template = GST_STATIC_PAD_TEMPLATE ("audio",
    GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS ("audio/mpeg, mpegversion=(int){ 2, 4 }"));

#define gst_livepeer_sink_parent_class parent_class
G_DEFINE_TYPE (GstLivepeerSink, gst_livepeer_sink, GST_TYPE_BIN);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (livepeersink, "livepeersink",
    GST_RANK_NONE, GST_TYPE_LIVEPEER_SINK,
    GST_DEBUG_CATEGORY_INIT (gst_livepeer_sink_debug, "livepeersink", 0,
        "Livepeer broadcaster sink"));

#define GST_TYPE_LIVEPEER_SINK_VERIFY (gst_livepeer_sink_verify_get_type ())
static GType
gst_livepeer_sink_verify_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_LIVEPEER_SINK_VERIFY_NONE, "Trust the answer", "none"},
    {GST_LIVEPEER_SINK_VERIFY_SIGNATURE, "Check the result signature",
        "signature"},
    {GST_LIVEPEER_SINK_VERIFY_PIXELS, "Check the signature and decode the "
          "renditions to check their pixel counts", "pixels"},
    {GST_LIVEPEER_SINK_VERIFY_QUALITY, "Also check sampled segments against "
          "their source with lpverify", "quality"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("GstLivepeerSinkVerify",
            values));
  return type;
}

#define GST_TYPE_LIVEPEER_SINK_QUEUE_POLICY \
    (gst_livepeer_sink_queue_policy_get_type ())
static GType
gst_livepeer_sink_queue_policy_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_LIVEPEER_SINK_QUEUE_BLOCK, "Hold the stream back", "block"},
    {GST_LIVEPEER_SINK_QUEUE_DROP_OLDEST, "Drop the oldest waiting segment "
          "(reported lost)", "drop-oldest"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type,
        g_enum_register_static ("GstLivepeerSinkQueuePolicy", values));
  return type;
}

static void gst_livepeer_sink_dispose (GObject * object);
static void gst_livepeer_sink_finalize (GObject * object);
static void gst_livepeer_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_livepeer_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_livepeer_sink_change_state (GstElement *
    element, GstStateChange transition);

static void
gst_livepeer_sink_class_init (GstLivepeerSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;

  gobject_class->dispose = gst_livepeer_sink_dispose;
  gobject_class->finalize = gst_livepeer_sink_finalize;
  gobject_class->set_property = gst_livepeer_sink_set_property;
  gobject_class->get_property = gst_livepeer_sink_get_property;

  /**
   * GstLivepeerSink:orchestrators:
   *
   * Comma-separated base URIs of the orchestrators to use
   * (`http://host:port`); unset, the active orchestrators of the ledger.
   */
  g_object_class_install_property (gobject_class, PROP_ORCHESTRATORS,
      g_param_spec_string ("orchestrators", "Orchestrators",
          "Comma-separated orchestrator URIs (NULL: the ledger's active "
          "orchestrators)", DEFAULT_ORCHESTRATORS, flags));
  /**
   * GstLivepeerSink:job:
   *
   * A capability to run on every segment instead of transcoding it (an AI
   * or custom video job an orchestrator offers in its
   * #GstLpOrchestrator:capabilities, such as `face-detection`); NULL
   * transcodes to #GstLivepeerSink:profiles. Only orchestrators offering
   * it with #GstLivepeerSink:model are used, paid by the job's unit at
   * its price under the price cap (wei per unit); with `verify` at
   * `pixels` or above, the units billed must be the segment's own (its
   * frames, their pixels, or its duration within a frame), or the answer
   * fails over as a tampered one would. A job's metadata comes
   * back as a `livepeersink-analysis` message per segment and, with
   * #GstLivepeerSink:location, as `CAPABILITY/SEQ.json` there; its video,
   * if it returns video, is written as a rendition named after it.
   * With a job, #GstLivepeerSink:profiles are ignored: to transcode a
   * stream and run a job on it, put two livepeersinks behind a `tee`, one
   * with `profiles`, one with `job` (each its own HLS `location`).
   */
  g_object_class_install_property (gobject_class, PROP_JOB,
      g_param_spec_string ("job", "Job",
          "Capability to run on each segment instead of transcoding "
          "(NULL: transcode to profiles)", NULL, flags));
  /**
   * GstLivepeerSink:model:
   *
   * The model #GstLivepeerSink:job must run (its `model-id` on the
   * orchestrator). Required with a job.
   */
  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "Model id the job must run (required with job)", NULL, flags));
  /**
   * GstLivepeerSink:job-id:
   *
   * #GstLivepeerSink:job's capability id in go-livepeer's protobuf
   * dialect (1024-1087: its `capability-id` on the orchestrator), which is
   * how the job is asked for. 0: the fixed id of a shipped job
   * (face-detection 1024, motion 1025, face-blur 1026, edges 1027);
   * required for any other job.
   */
  g_object_class_install_property (gobject_class, PROP_JOB_ID,
      g_param_spec_uint ("job-id", "Job id",
          "Capability id of the job in go-livepeer's dialect (0: a shipped "
          "job's own)", 0, LP_CAPABILITY_ID_LAST, 0, flags));
  /**
   * GstLivepeerSink:job-outputs:
   *
   * What #GstLivepeerSink:job returns: `video`, `metadata` or
   * `video,metadata` (its `outputs` on the orchestrator; go-livepeer's
   * OrchestratorInfo does not say). NULL: a shipped job's own
   * (pipelines/capabilities.ini: metadata for face-detection and motion,
   * video for face-blur and edges); required for any other job.
   */
  g_object_class_install_property (gobject_class, PROP_JOB_OUTPUTS,
      g_param_spec_string ("job-outputs", "Job outputs",
          "What the job returns: video, metadata or video,metadata (NULL: a "
          "shipped job's own)", NULL, flags));
  /**
   * GstLivepeerSink:job-unit:
   *
   * What #GstLivepeerSink:job is billed by: `pixels`, `frames` or
   * `seconds` (its `unit` on the orchestrator; go-livepeer's PriceInfo does
   * not say), which sizes its payments and, with `verify` at `pixels` or
   * above, is checked against the units billed. NULL: a shipped job's own
   * (frames for face-detection, seconds for motion, pixels for face-blur
   * and edges); required for any other job.
   */
  g_object_class_install_property (gobject_class, PROP_JOB_UNIT,
      g_param_spec_string ("job-unit", "Job unit",
          "What the job is billed by: pixels, frames or seconds (NULL: a "
          "shipped job's own)", NULL, flags));
  /**
   * GstLivepeerSink:key-file:
   *
   * The broadcaster's key: a raw key file (64 hex digits, mode 0600) or a
   * Web3 keystore (then set #GstLivepeerSink:password-file). It signs
   * discovery requests, segments and tickets.
   */
  g_object_class_install_property (gobject_class, PROP_KEY_FILE,
      g_param_spec_string ("key-file", "Key file",
          "The broadcaster's key file (64 hex digits, mode 0600) or Web3 "
          "keystore", DEFAULT_KEY_FILE, flags));
  /**
   * GstLivepeerSink:password-file:
   *
   * The keystore password (its first line) for a keystore
   * #GstLivepeerSink:key-file.
   */
  g_object_class_install_property (gobject_class, PROP_PASSWORD_FILE,
      g_param_spec_string ("password-file", "Password file",
          "A file whose first line is the keystore's password (NULL: the "
          "key file is not a keystore)", DEFAULT_PASSWORD_FILE, flags));
  /**
   * GstLivepeerSink:ledger:
   *
   * The ledger holding the broadcaster's deposit and the orchestrators'
   * stake: an embedded ledger file (`devnet.db`, `sqlite:///path`), or a
   * chain with Livepeer's contracts, `http://HOST:PORT?controller=0x…`
   * (or https://; docs/design/chain.md), where the active set (when
   * #GstLivepeerSink:orchestrators is not set) and the service URIs come
   * from the BondingManager and the ServiceRegistry. On a chain the
   * deposit and reserve are read on each new block by a thread of the
   * element's, so that no segment waits for the node.
   */
  g_object_class_install_property (gobject_class, PROP_LEDGER,
      g_param_spec_string ("ledger", "Ledger",
          "The ledger's URI: an embedded ledger file (devnet.db, "
          "sqlite:///path), or a chain with Livepeer's contracts "
          "(http://HOST:PORT?controller=0x...; https:// too)",
          DEFAULT_LEDGER, flags));
  /**
   * GstLivepeerSink:profiles:
   *
   * The renditions to ask for, as `lptranscodebin`'s `profiles`: Livepeer
   * presets, `NAME:WIDTHxHEIGHT[@FPS]:BITRATE` entries, JSON or a `.json`
   * file.
   */
  g_object_class_install_property (gobject_class, PROP_PROFILES,
      g_param_spec_string ("profiles", "Profiles",
          "Comma-separated renditions: presets, NAME:WxH[@FPS]:BITRATE, JSON "
          "or a .json file", DEFAULT_PROFILES, flags));
  /**
   * GstLivepeerSink:location:
   *
   * The directory the HLS ladder is written to; unset, renditions are
   * only handed out by the #GstLivepeerSink::rendition signal.
   */
  g_object_class_install_property (gobject_class, PROP_LOCATION,
      g_param_spec_string ("location", "Location",
          "Directory of the HLS output (NULL: renditions go to the "
          "'rendition' signal only)", DEFAULT_LOCATION, flags));
  /**
   * GstLivepeerSink:manifest-id:
   *
   * The stream's manifest id, signed into every segment; unset, a random
   * one.
   */
  g_object_class_install_property (gobject_class, PROP_MANIFEST_ID,
      g_param_spec_string ("manifest-id", "Manifest id",
          "The stream's manifest id (NULL: random)", DEFAULT_MANIFEST_ID,
          flags));
  /**
   * GstLivepeerSink:segment-duration:
   *
   * Segments are cut at the first keyframe at least this long after the
   * last cut.
   */
  g_object_class_install_property (gobject_class, PROP_SEGMENT_DURATION,
      g_param_spec_uint ("segment-duration", "Segment duration",
          "Target segment duration, milliseconds", 250, 60000,
          DEFAULT_SEGMENT_DURATION, flags));
  /**
   * GstLivepeerSink:max-price-per-unit:
   *
   * With #GstLivepeerSink:pixels-per-unit, the highest price paid, in wei
   * per pixels-per-unit output pixels; 0 is no cap.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_PRICE_PER_UNIT,
      g_param_spec_uint64 ("max-price-per-unit", "Max price per unit",
          "Highest price accepted, wei per pixels-per-unit pixels (0: no "
          "cap)", 0, G_MAXUINT64, DEFAULT_MAX_PRICE_PER_UNIT, flags));
  /**
   * GstLivepeerSink:pixels-per-unit:
   *
   * How many pixels #GstLivepeerSink:max-price-per-unit is for.
   */
  g_object_class_install_property (gobject_class, PROP_PIXELS_PER_UNIT,
      g_param_spec_uint64 ("pixels-per-unit", "Pixels per unit",
          "The number of pixels max-price-per-unit is for", 1, G_MAXUINT64,
          DEFAULT_PIXELS_PER_UNIT, flags));
  /**
   * GstLivepeerSink:max-in-flight:
   *
   * How many segments are sent at the same time (the dispatch threads,
   * each with its own orchestrator session), and how many more may wait
   * for one.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_IN_FLIGHT,
      g_param_spec_uint ("max-in-flight", "Max in flight",
          "Segments sent at once, and segments waiting at most", 1, 16,
          DEFAULT_MAX_IN_FLIGHT, flags));
  /**
   * GstLivepeerSink:queue-policy:
   *
   * What a full queue does.
   */
  g_object_class_install_property (gobject_class, PROP_QUEUE_POLICY,
      g_param_spec_enum ("queue-policy", "Queue policy",
          "What a full segment queue does", GST_TYPE_LIVEPEER_SINK_QUEUE_POLICY,
          DEFAULT_QUEUE_POLICY, flags));
  /**
   * GstLivepeerSink:verify:
   *
   * What is checked in each answer before it is written.
   */
  g_object_class_install_property (gobject_class, PROP_VERIFY,
      g_param_spec_enum ("verify", "Verify",
          "What is checked in each answer", GST_TYPE_LIVEPEER_SINK_VERIFY,
          DEFAULT_VERIFY, flags));
  /**
   * GstLivepeerSink:verify-sample-rate:
   *
   * With `verify=quality`, the fraction of segments `lpverify` checks
   * (chosen at random); 1 checks every segment.
   */
  g_object_class_install_property (gobject_class, PROP_VERIFY_SAMPLE_RATE,
      g_param_spec_double ("verify-sample-rate", "Verify sample rate",
          "Fraction of segments checked by lpverify with verify=quality", 0.0,
          1.0, DEFAULT_VERIFY_SAMPLE_RATE, flags));
  /**
   * GstLivepeerSink:max-attempts:
   *
   * Attempts per segment, each on an orchestrator not tried yet for it.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_ATTEMPTS,
      g_param_spec_uint ("max-attempts", "Max attempts",
          "Attempts per segment across orchestrators", 1, 16,
          DEFAULT_MAX_ATTEMPTS, flags));
  /**
   * GstLivepeerSink:max-consecutive-failures:
   *
   * Segments in a row that could not be transcoded anywhere after which
   * the element errors (segments dropped by
   * #GstLivepeerSink:queue-policy do not count).
   */
  g_object_class_install_property (gobject_class,
      PROP_MAX_CONSECUTIVE_FAILURES,
      g_param_spec_uint ("max-consecutive-failures",
          "Max consecutive failures",
          "Lost segments in a row that make an error", 1, G_MAXUINT,
          DEFAULT_MAX_CONSECUTIVE_FAILURES, flags));
  /**
   * GstLivepeerSink:playlist-length:
   *
   * Segments listed in each media playlist; 0 lists all of them.
   */
  g_object_class_install_property (gobject_class, PROP_PLAYLIST_LENGTH,
      g_param_spec_uint ("playlist-length", "Playlist length",
          "Segments listed per media playlist (0: all)", 0, G_MAXUINT,
          DEFAULT_PLAYLIST_LENGTH, flags));
  /**
   * GstLivepeerSink:max-files:
   *
   * Segment files kept per rendition; 0 keeps all. A file still listed
   * in its playlist is never deleted.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_FILES,
      g_param_spec_uint ("max-files", "Max files",
          "Segment files kept per rendition (0: all)", 0, G_MAXUINT,
          DEFAULT_MAX_FILES, flags));
  /**
   * GstLivepeerSink:discovery-timeout:
   *
   * How long an orchestrator may take to answer discovery, the whole
   * exchange (connection, request, the answer read to its end), however
   * it sends its answer: a trickled answer is cut at this deadline. The
   * orchestrators are asked side by side, so READY to PAUSED takes at
   * most this long waiting for them.
   */
  g_object_class_install_property (gobject_class, PROP_DISCOVERY_TIMEOUT,
      g_param_spec_uint ("discovery-timeout", "Discovery timeout",
          "Deadline of a whole discovery exchange, milliseconds", 100, 60000,
          DEFAULT_DISCOVERY_TIMEOUT, flags));
  /**
   * GstLivepeerSink:segment-timeout:
   *
   * The deadline of one segment's whole exchange with an orchestrator:
   * upload, transcoding and the answer read to its end. At the deadline
   * the request is cut and the segment fails over to another
   * orchestrator. 0 follows go-livepeer's broadcaster: 4 times the
   * segment's duration, at least 8 s.
   */
  g_object_class_install_property (gobject_class, PROP_SEGMENT_TIMEOUT,
      g_param_spec_uint ("segment-timeout", "Segment timeout",
          "Deadline of a whole segment exchange, milliseconds (0: 4 times "
          "the segment's duration, at least 8 s)", 0, 600000,
          DEFAULT_SEGMENT_TIMEOUT, flags));
  /**
   * GstLivepeerSink:max-answer-size:
   *
   * The largest answer to a segment accepted, in bytes. A larger one (by
   * its Content-Length, or once that much is read) fails that
   * orchestrator for the segment, which fails over. 0 derives it from
   * what was asked for: each rendition at 8 times its profile's bitrate
   * over the segment plus 1 MiB (a job's video, which has no bitrate, at
   * 8 times the source segment plus 1 MiB), and 256 KiB for the result
   * and for a job's metadata. At most 4 GiB.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_ANSWER_SIZE,
      g_param_spec_uint64 ("max-answer-size", "Max answer size",
          "Largest answer to a segment accepted, bytes (0: derived from the "
          "profiles' bitrates and the segment's duration)", 0, G_MAXUINT32,
          DEFAULT_MAX_ANSWER_SIZE, flags));
  /**
   * GstLivepeerSink:stats:
   *
   * Totals so far (see the element's documentation for the fields).
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Segments, retries, tickets, fees and per-orchestrator counts",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstLivepeerSink::rendition:
   * @sink: the element
   * @profile: the rendition's profile name
   * @seq: the segment's sequence number
   * @buffer: the rendition's MPEG-TS bytes
   *
   * A verified rendition of one segment, emitted in sequence order from a
   * dispatch thread (never the streaming thread), whether or not
   * #GstLivepeerSink:location is set.
   */
  gst_livepeer_sink_signals[SIGNAL_RENDITION] = g_signal_new ("rendition",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT64, GST_TYPE_BUFFER);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &audio_template);
  element_class->request_new_pad = gst_livepeer_sink_request_new_pad;
  element_class->release_pad = gst_livepeer_sink_release_pad;
  gst_element_class_set_static_metadata (element_class, "Livepeer sink",
      "Sink/Network", "Transcodes a stream on the Livepeer network, paying "
      "orchestrators with tickets, and writes the verified ladder as HLS",
      "gst-livepeer contributors");
  element_class->change_state = gst_livepeer_sink_change_state;

  gst_type_mark_as_plugin_api (GST_TYPE_LIVEPEER_SINK_VERIFY, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_LIVEPEER_SINK_QUEUE_POLICY, 0);
}

static void
config_clear (Config * config)
{
  g_clear_pointer (&config->orchestrators, g_free);
  g_clear_pointer (&config->job, g_free);
  g_clear_pointer (&config->model, g_free);
  g_clear_pointer (&config->job_outputs, g_free);
  g_clear_pointer (&config->job_unit, g_free);
  g_clear_pointer (&config->key_file, g_free);
  g_clear_pointer (&config->password_file, g_free);
  g_clear_pointer (&config->ledger_uri, g_free);
  g_clear_pointer (&config->profiles, g_free);
  g_clear_pointer (&config->location, g_free);
  g_clear_pointer (&config->manifest_id, g_free);
}

static void
config_copy (const Config * from, Config * to)
{
  *to = *from;
  to->orchestrators = g_strdup (from->orchestrators);
  to->job = g_strdup (from->job);
  to->model = g_strdup (from->model);
  to->job_outputs = g_strdup (from->job_outputs);
  to->job_unit = g_strdup (from->job_unit);
  to->key_file = g_strdup (from->key_file);
  to->password_file = g_strdup (from->password_file);
  to->ledger_uri = g_strdup (from->ledger_uri);
  to->profiles = g_strdup (from->profiles);
  to->location = g_strdup (from->location);
  to->manifest_id = g_strdup (from->manifest_id);
}


static void
gst_livepeer_sink_init (GstLivepeerSink * self)
{
  g_mutex_init (&self->release_lock);
  g_mutex_init (&self->dispatch_lock);
  g_mutex_init (&self->write_lock);
  g_mutex_init (&self->stats_lock);
  g_cond_init (&self->queue_room);
  g_cond_init (&self->queue_ready);
  g_cond_init (&self->all_done);
  g_queue_init (&self->awaiting);
  self->audio = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  g_queue_init (&self->queue);
  self->props.ledger_uri = g_strdup (DEFAULT_LEDGER);
  self->props.profiles = g_strdup (DEFAULT_PROFILES);
  self->props.segment_duration_ms = DEFAULT_SEGMENT_DURATION;
  self->props.max_price.price_per_unit = DEFAULT_MAX_PRICE_PER_UNIT;
  self->props.max_price.pixels_per_unit = DEFAULT_PIXELS_PER_UNIT;
  self->props.max_in_flight = DEFAULT_MAX_IN_FLIGHT;
  self->props.queue_policy = DEFAULT_QUEUE_POLICY;
  self->props.verify = DEFAULT_VERIFY;
  self->props.verify_sample_rate = DEFAULT_VERIFY_SAMPLE_RATE;
  self->props.max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->props.max_consecutive_failures = DEFAULT_MAX_CONSECUTIVE_FAILURES;
  self->props.playlist_length = DEFAULT_PLAYLIST_LENGTH;
  self->props.max_files = DEFAULT_MAX_FILES;
  self->props.discovery_timeout_ms = DEFAULT_DISCOVERY_TIMEOUT;
  self->props.segment_timeout_ms = DEFAULT_SEGMENT_TIMEOUT;
  self->props.max_answer_size = DEFAULT_MAX_ANSWER_SIZE;
  self->source_variant = -1;

  gst_livepeer_sink_input_init (self,
      gst_static_pad_template_get (&sink_template));
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SINK);
}

static void
gst_livepeer_sink_dispose (GObject * object)
{
  GstLivepeerSink *self = GST_LIVEPEER_SINK (object);

  /* the bin owns the children and drops them now */
  self->parse = self->video_in = self->first = NULL;
  self->audio_parse = self->audio_in = NULL;
  G_OBJECT_CLASS (parent_class)->dispose (object);
}

static void
gst_livepeer_sink_finalize (GObject * object)
{
  GstLivepeerSink *self = GST_LIVEPEER_SINK (object);

  config_clear (&self->props);
  config_clear (&self->config);
  g_mutex_clear (&self->release_lock);
  g_mutex_clear (&self->dispatch_lock);
  g_mutex_clear (&self->write_lock);
  g_mutex_clear (&self->stats_lock);
  g_cond_clear (&self->queue_room);
  g_cond_clear (&self->queue_ready);
  g_cond_clear (&self->all_done);
  g_ptr_array_unref (self->audio);
  gst_clear_caps (&self->audio_caps);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_livepeer_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLivepeerSink *self = GST_LIVEPEER_SINK (object);
  Config *p = &self->props;
  gchar **text = NULL;

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_ORCHESTRATORS:
      text = &p->orchestrators;
      break;
    case PROP_JOB:
      text = &p->job;
      break;
    case PROP_MODEL:
      text = &p->model;
      break;
    case PROP_JOB_ID:
      p->job_id = g_value_get_uint (value);
      break;
    case PROP_JOB_OUTPUTS:
      text = &p->job_outputs;
      break;
    case PROP_JOB_UNIT:
      text = &p->job_unit;
      break;
    case PROP_KEY_FILE:
      text = &p->key_file;
      break;
    case PROP_PASSWORD_FILE:
      text = &p->password_file;
      break;
    case PROP_LEDGER:
      text = &p->ledger_uri;
      break;
    case PROP_PROFILES:
      text = &p->profiles;
      break;
    case PROP_LOCATION:
      text = &p->location;
      break;
    case PROP_MANIFEST_ID:
      text = &p->manifest_id;
      break;
    case PROP_SEGMENT_DURATION:
      p->segment_duration_ms = g_value_get_uint (value);
      break;
    case PROP_MAX_PRICE_PER_UNIT:
      p->max_price.price_per_unit = g_value_get_uint64 (value);
      break;
    case PROP_PIXELS_PER_UNIT:
      p->max_price.pixels_per_unit = g_value_get_uint64 (value);
      break;
    case PROP_MAX_IN_FLIGHT:
      p->max_in_flight = g_value_get_uint (value);
      break;
    case PROP_QUEUE_POLICY:
      p->queue_policy = g_value_get_enum (value);
      break;
    case PROP_VERIFY:
      p->verify = g_value_get_enum (value);
      break;
    case PROP_VERIFY_SAMPLE_RATE:
      p->verify_sample_rate = g_value_get_double (value);
      break;
    case PROP_MAX_ATTEMPTS:
      p->max_attempts = g_value_get_uint (value);
      break;
    case PROP_MAX_CONSECUTIVE_FAILURES:
      p->max_consecutive_failures = g_value_get_uint (value);
      break;
    case PROP_PLAYLIST_LENGTH:
      p->playlist_length = g_value_get_uint (value);
      break;
    case PROP_MAX_FILES:
      p->max_files = g_value_get_uint (value);
      break;
    case PROP_DISCOVERY_TIMEOUT:
      p->discovery_timeout_ms = g_value_get_uint (value);
      break;
    case PROP_SEGMENT_TIMEOUT:
      p->segment_timeout_ms = g_value_get_uint (value);
      break;
    case PROP_MAX_ANSWER_SIZE:
      p->max_answer_size = g_value_get_uint64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  if (text != NULL) {
    g_free (*text);
    *text = g_value_dup_string (value);
  }
  GST_OBJECT_UNLOCK (self);
}


static GstStructure *make_stats (GstLivepeerSink * self);

static void
gst_livepeer_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLivepeerSink *self = GST_LIVEPEER_SINK (object);
  Config *p = &self->props;

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, make_stats (self));
    return;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_ORCHESTRATORS:
      g_value_set_string (value, p->orchestrators);
      break;
    case PROP_JOB:
      g_value_set_string (value, p->job);
      break;
    case PROP_MODEL:
      g_value_set_string (value, p->model);
      break;
    case PROP_JOB_ID:
      g_value_set_uint (value, p->job_id);
      break;
    case PROP_JOB_OUTPUTS:
      g_value_set_string (value, p->job_outputs);
      break;
    case PROP_JOB_UNIT:
      g_value_set_string (value, p->job_unit);
      break;
    case PROP_KEY_FILE:
      g_value_set_string (value, p->key_file);
      break;
    case PROP_PASSWORD_FILE:
      g_value_set_string (value, p->password_file);
      break;
    case PROP_LEDGER:
      g_value_set_string (value, p->ledger_uri);
      break;
    case PROP_PROFILES:
      g_value_set_string (value, p->profiles);
      break;
    case PROP_LOCATION:
      g_value_set_string (value, p->location);
      break;
    case PROP_MANIFEST_ID:
      g_value_set_string (value, p->manifest_id);
      break;
    case PROP_SEGMENT_DURATION:
      g_value_set_uint (value, p->segment_duration_ms);
      break;
    case PROP_MAX_PRICE_PER_UNIT:
      g_value_set_uint64 (value, p->max_price.price_per_unit);
      break;
    case PROP_PIXELS_PER_UNIT:
      g_value_set_uint64 (value, p->max_price.pixels_per_unit);
      break;
    case PROP_MAX_IN_FLIGHT:
      g_value_set_uint (value, p->max_in_flight);
      break;
    case PROP_QUEUE_POLICY:
      g_value_set_enum (value, p->queue_policy);
      break;
    case PROP_VERIFY:
      g_value_set_enum (value, p->verify);
      break;
    case PROP_VERIFY_SAMPLE_RATE:
      g_value_set_double (value, p->verify_sample_rate);
      break;
    case PROP_MAX_ATTEMPTS:
      g_value_set_uint (value, p->max_attempts);
      break;
    case PROP_MAX_CONSECUTIVE_FAILURES:
      g_value_set_uint (value, p->max_consecutive_failures);
      break;
    case PROP_PLAYLIST_LENGTH:
      g_value_set_uint (value, p->playlist_length);
      break;
    case PROP_MAX_FILES:
      g_value_set_uint (value, p->max_files);
      break;
    case PROP_DISCOVERY_TIMEOUT:
      g_value_set_uint (value, p->discovery_timeout_ms);
      break;
    case PROP_SEGMENT_TIMEOUT:
      g_value_set_uint (value, p->segment_timeout_ms);
      break;
    case PROP_MAX_ANSWER_SIZE:
      g_value_set_uint64 (value, p->max_answer_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* ------------------------------------------------------------------------ */
/* Statistics and messages */

static GstStructure *
make_stats (GstLivepeerSink * self)
{
  GValue orchs = G_VALUE_INIT;
  GstStructure *s;
  gchar *fees;

  g_value_init (&orchs, GST_TYPE_ARRAY);
  STATS_LOCK (self);
  fees = self->fees ? lp_rational_to_string (self->fees) : g_strdup ("0");
  s = gst_structure_new ("livepeersink-stats",
      "segments-ok", G_TYPE_UINT64, self->segments_ok,
      "segments-lost", G_TYPE_UINT64, self->segments_lost,
      "retries", G_TYPE_UINT64, self->retries,
      "tickets", G_TYPE_UINT64, self->tickets,
      "fees", G_TYPE_STRING, fees, NULL);
  if (self->broadcaster != NULL)
    lp_broadcaster_add_orchestrator_stats (self->broadcaster, &orchs);
  STATS_UNLOCK (self);
  gst_structure_take_value (s, "orchestrators", &orchs);
  g_free (fees);
  return s;
}

void
gst_livepeer_sink_post (GstLivepeerSink * self, GstStructure * s)
{
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), s));
}

/* ------------------------------------------------------------------------ */
/* Segments */

void
gst_livepeer_sink_segment_free (Segment * seg)
{
  lp_broadcast_outcome_clear (&seg->out);
  if (seg->in.data != NULL)
    g_bytes_unref (seg->in.data);
  lp_segment_data_free (seg->units);
  g_free (seg);
}

/* Streaming thread: a segment cut (with its audio) goes to the queue; a
 * full queue blocks or drops its oldest, as queue-policy says. */
static void
enqueue_segment (GstLivepeerSink * self, Segment * seg)
{
  Segment *dropped = NULL;

  DISPATCH_LOCK (self);
  seg->in.seq = self->next_seq++;
  while (!self->stopping
      && g_queue_get_length (&self->queue) >= self->config.max_in_flight) {
    if (self->config.queue_policy == GST_LIVEPEER_SINK_QUEUE_DROP_OLDEST) {
      dropped = g_queue_pop_head (&self->queue);
      break;
    }
    g_cond_wait (&self->queue_room, &self->dispatch_lock);
  }
  if (self->stopping) {
    DISPATCH_UNLOCK (self);
    seg->out.reason = g_strdup ("the element stopped before it was sent");
    gst_livepeer_sink_finish_segment (self, seg);
    return;
  }
  g_queue_push_tail (&self->queue, seg);
  g_cond_broadcast (&self->queue_ready);
  DISPATCH_UNLOCK (self);
  if (dropped != NULL) {
    dropped->dropped = TRUE;
    dropped->out.reason = g_strdup_printf ("dropped: %u segments were already "
        "waiting (queue-policy=drop-oldest)", self->config.max_in_flight);
    gst_livepeer_sink_finish_segment (self, dropped);
  }
}

/* Streaming thread: a segment the segmenter finished goes to the queue
 * (it is muxed by the dispatch thread that sends it). */
void
gst_livepeer_sink_take_segment (GstLivepeerSink * self, LpSegmentData * units)
{
  Segment *seg;

  if (units == NULL)
    return;
  seg = g_new0 (Segment, 1);
  seg->units = units;
  seg->running_time = units->start;
  seg->in.duration_ms = GST_CLOCK_TIME_IS_VALID (units->start)
      && GST_CLOCK_TIME_IS_VALID (units->end) && units->end > units->start ?
      (guint) ((units->end - units->start + GST_MSECOND / 2) / GST_MSECOND) :
      self->config.segment_duration_ms;
  if (seg->in.duration_ms == 0)
    seg->in.duration_ms = 1;
  seg->in.frames = units->buffers->len; /* access units: frames */
  if (units->caps != NULL) {
    GstStructure *st = gst_caps_get_structure (units->caps, 0);

    gst_structure_get_int (st, "width", &seg->in.width);
    gst_structure_get_int (st, "height", &seg->in.height);
    gst_structure_get_fraction (st, "framerate", &seg->in.fps_num,
        &seg->in.fps_den);
  }
  GST_DEBUG_OBJECT (self, "segment of %u ms, %u access units, first %"
      GST_PTR_FORMAT, seg->in.duration_ms, units->buffers->len,
      g_ptr_array_index (units->buffers, 0));
  enqueue_segment (self, seg);
}

/* The streaming thread, with the EOS: like a base sink that waits for its
 * last buffer to be rendered, the EOS goes on (to the fakesink, which
 * posts it) only once every segment made is written or reported lost, or
 * the element stops. */
gboolean
gst_livepeer_sink_wait_for_segments (GstLivepeerSink * self)
{
  DISPATCH_LOCK (self);
  while (!self->stopping && (g_atomic_int_get (&self->awaiting_len) > 0
          || self->write_seq != self->next_seq))
    g_cond_wait (&self->all_done, &self->dispatch_lock);
  DISPATCH_UNLOCK (self);
  gst_livepeer_sink_end_output (self);
  GST_DEBUG_OBJECT (self, "every segment is done: EOS");
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Dispatch: the broadcaster transcodes, the element reports */

gboolean
gst_livepeer_sink_segment_has_audio (const Segment * seg)
{
  return seg->units != NULL && seg->units->audio != NULL
      && seg->units->audio->len > 0 && seg->units->audio_caps != NULL;
}

/* The broadcaster's listener, in a dispatch thread: an attempt failed */
static void
post_failover (guint64 seq, const gchar * uri, guint attempt,
    const gchar * reason, gpointer user_data)
{
  GstLivepeerSink *self = user_data;

  GST_ELEMENT_WARNING (self, RESOURCE, WRITE, ("Segment %" G_GUINT64_FORMAT
          " failed on %s (attempt %u): %s", seq, uri, attempt, reason),
      (NULL));
  gst_livepeer_sink_post (self, gst_structure_new ("livepeersink-failover",
          "seq", G_TYPE_UINT64, seq,
          "orchestrator", G_TYPE_STRING, uri,
          "attempt", G_TYPE_UINT, attempt,
          "reason", G_TYPE_STRING, reason, NULL));
}

/* The broadcaster's listener, in a dispatch thread: it cannot pay */
static void
fail_stream (const gchar * reason, gpointer user_data)
{
  GstLivepeerSink *self = user_data;

  DISPATCH_LOCK (self);
  if (self->errored) {
    DISPATCH_UNLOCK (self);
    return;
  }
  self->errored = TRUE;
  DISPATCH_UNLOCK (self);
  GST_ELEMENT_ERROR (self, RESOURCE, WRITE, ("The broadcaster cannot pay: "
          "%s", reason), ("fund it on the ledger (lpctl deposit) and restart"));
}

static const LpBroadcasterListener listener = {
  post_failover,
  fail_stream,
};

/* A dispatch thread: @seg muxed, then through the broadcaster */
static void
process_segment (GstLivepeerSink * self, LpBroadcasterWorker * worker,
    Segment * seg)
{
  if (seg->in.data == NULL) {
    GError *error = NULL;

    seg->in.data = lp_segment_data_mux (seg->units, &error);
    /* the access units are kept only for their audio, which goes into
     * every rendition when it is written */
    if (!gst_livepeer_sink_segment_has_audio (seg))
      g_clear_pointer (&seg->units, lp_segment_data_free);
    if (seg->in.data == NULL) {
      seg->out.reason = g_strdup (error->message);
      g_error_free (error);
      return;
    }
  }
  lp_broadcaster_transcode (self->broadcaster, worker, &seg->in, &seg->out);
  STATS_LOCK (self);
  self->tickets += seg->out.tickets;
  self->retries += seg->out.failures;
  STATS_UNLOCK (self);
}

static gpointer
worker_thread (gpointer data)
{
  GstLivepeerSink *self = data;
  LpBroadcasterWorker *worker = lp_broadcaster_worker_new (self->broadcaster);
  Segment *seg;

  DISPATCH_LOCK (self);
  while (!self->stopping) {
    seg = g_queue_pop_head (&self->queue);
    if (seg == NULL) {
      g_cond_wait (&self->queue_ready, &self->dispatch_lock);
      continue;
    }
    g_cond_broadcast (&self->queue_room);
    DISPATCH_UNLOCK (self);
    process_segment (self, worker, seg);
    gst_livepeer_sink_finish_segment (self, seg);
    DISPATCH_LOCK (self);
  }
  DISPATCH_UNLOCK (self);
  lp_broadcaster_worker_free (worker);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Start and stop */

static gchar *
random_manifest_id (void)
{
  guint8 bytes[8];
  guint i;
  GString *id = g_string_new (NULL);

  for (i = 0; i < sizeof (bytes); i++)
    bytes[i] = g_random_int_range (0, 256);
  for (i = 0; i < sizeof (bytes); i++)
    g_string_append_printf (id, "%02x", bytes[i]);
  return g_string_free (id, FALSE);
}

/* NULL to READY: the configuration, the key, the ledger, the output. */

/* The shipped jobs' outputs and units (pipelines/capabilities.ini), which
 * go-livepeer's messages do not carry: with their fixed ids
 * (lp_capability_id_of_name()), what a broadcaster knows of them */
static const struct
{
  const gchar *name;
  LpJobOutputs outputs;
  LpJobUnit unit;
} shipped_jobs[] = {
  {"face-detection", LP_JOB_OUTPUT_METADATA, LP_JOB_UNIT_FRAMES},
  {"motion", LP_JOB_OUTPUT_METADATA, LP_JOB_UNIT_SECONDS},
  {"face-blur", LP_JOB_OUTPUT_VIDEO, LP_JOB_UNIT_PIXELS},
  {"edges", LP_JOB_OUTPUT_VIDEO, LP_JOB_UNIT_PIXELS},
};

static gboolean
parse_job_outputs (const gchar * text, LpJobOutputs * outputs)
{
  g_auto (GStrv) names = g_strsplit (text, ",", -1);
  guint i;

  *outputs = 0;
  for (i = 0; names[i] != NULL; i++) {
    g_strstrip (names[i]);
    if (g_str_equal (names[i], "video"))
      *outputs |= LP_JOB_OUTPUT_VIDEO;
    else if (g_str_equal (names[i], "metadata"))
      *outputs |= LP_JOB_OUTPUT_METADATA;
    else
      return FALSE;
  }
  return *outputs != 0;
}

/* The job's id, outputs and unit (@job): job-id, job-outputs and job-unit,
 * or a shipped job's own */
static gboolean
resolve_job (const Config * config, LpCapability * job, GError ** error)
{
  guint i;

  job->id = config->job_id ? config->job_id :
      lp_capability_id_of_name (config->job);
  job->outputs = 0;
  for (i = 0; i < G_N_ELEMENTS (shipped_jobs); i++)
    if (g_str_equal (shipped_jobs[i].name, config->job)) {
      job->outputs = shipped_jobs[i].outputs;
      job->unit = shipped_jobs[i].unit;
    }
  if (job->id < LP_CAPABILITY_ID_FIRST) {
    g_set_error (error, LP_CAPABILITY_ERROR, LP_CAPABILITY_ERROR_INVALID,
        "job %s: set job-id to its capability id on the orchestrators "
        "(%d-%d; only shipped jobs have one of their own)", config->job,
        LP_CAPABILITY_ID_FIRST, LP_CAPABILITY_ID_LAST);
    return FALSE;
  }
  if (config->job_outputs != NULL
      && !parse_job_outputs (config->job_outputs, &job->outputs)) {
    g_set_error (error, LP_CAPABILITY_ERROR, LP_CAPABILITY_ERROR_INVALID,
        "job-outputs: '%s' is not video, metadata or video,metadata",
        config->job_outputs);
    return FALSE;
  }
  if (config->job_unit != NULL
      && !lp_job_unit_from_string (config->job_unit, &job->unit)) {
    g_set_error (error, LP_CAPABILITY_ERROR, LP_CAPABILITY_ERROR_INVALID,
        "job-unit: '%s' is not pixels, frames or seconds", config->job_unit);
    return FALSE;
  }
  if (job->outputs == 0 || (config->job_unit == NULL
          && lp_capability_id_of_name (config->job) == 0)) {
    g_set_error (error, LP_CAPABILITY_ERROR, LP_CAPABILITY_ERROR_INVALID,
        "job %s is not a shipped job: set job-outputs and job-unit as the "
        "orchestrators define it", config->job);
    return FALSE;
  }
  return TRUE;
}

static gboolean
open_resources (GstLivepeerSink * self)
{
  LpBroadcasterConfig config = { 0, };
  LpCapability job = { 0, };
  GError *error = NULL;

  GST_OBJECT_LOCK (self);
  config_clear (&self->config);
  config_copy (&self->props, &self->config);
  GST_OBJECT_UNLOCK (self);
  if (self->config.manifest_id == NULL)
    self->config.manifest_id = random_manifest_id ();
  if (self->missing != NULL) {
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN, ("livepeersink needs the "
            "GStreamer element '%s'", self->missing), (NULL));
    return FALSE;
  }

  if (self->config.job != NULL) {
    if (self->config.model == NULL) {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("job %s needs a model: "
              "set model to the model id the orchestrators run it with",
              self->config.job), (NULL));
      return FALSE;
    }
    if (!resolve_job (&self->config, &job, &error)) {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s", error->message),
          (NULL));
      goto failed;
    }
    /* the broadcaster adds the job's video output */
    self->profiles = g_ptr_array_new_with_free_func ((GDestroyNotify)
        lp_profile_free);
  } else {
    self->profiles = lp_profile_list_load (self->config.profiles, &error);
  }
  if (self->profiles == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("profiles: %s",
            error->message), (NULL));
    goto failed;
  }
  if (self->config.key_file == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("No key-file set"),
        ("livepeersink signs segments and tickets with the broadcaster's "
            "key; make one with 'lpctl account new --out bcast.key'"));
    return FALSE;
  }
  self->key = lp_key_load_with_password_file (self->config.key_file,
      self->config.password_file, &error);
  if (self->key == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ, ("%s", error->message),
        (NULL));
    goto failed;
  }
  self->ledger = lp_ledger_open (self->config.ledger_uri, &error);
  if (self->ledger == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE, ("ledger: %s",
            error->message), (NULL));
    goto failed;
  }
  config.orchestrators = self->config.orchestrators;
  config.job = self->config.job;
  config.model = self->config.model;
  config.job_id = job.id;
  config.job_outputs = job.outputs;
  config.job_unit = job.unit;
  config.manifest_id = self->config.manifest_id;
  config.max_price = self->config.max_price;
  config.slots = self->config.max_in_flight;
  config.ledger_is_chain = g_str_has_prefix (self->config.ledger_uri,
      "http://") || g_str_has_prefix (self->config.ledger_uri, "https://");
  config.verify = (LpBroadcastVerify) self->config.verify;
  config.verify_sample_rate = self->config.verify_sample_rate;
  config.max_attempts = self->config.max_attempts;
  config.discovery_timeout_ms = self->config.discovery_timeout_ms;
  config.segment_timeout_ms = self->config.segment_timeout_ms;
  config.max_answer_size = self->config.max_answer_size;
  STATS_LOCK (self);
  self->broadcaster = lp_broadcaster_new (&config, self->key, self->ledger,
      self->profiles, &listener, self);
  self->fees = lp_rational_new ();
  STATS_UNLOCK (self);
  /* a job adds at most one rendition, its video */
  self->variants = g_new (gint, MAX (self->profiles->len, 1));
  self->done = g_hash_table_new (g_int64_hash, g_int64_equal);
  return TRUE;

failed:
  g_clear_error (&error);
  return FALSE;
}

static void
close_resources (GstLivepeerSink * self)
{
  STATS_LOCK (self);
  g_clear_pointer (&self->broadcaster, lp_broadcaster_free);
  g_clear_pointer (&self->fees, lp_rational_free);
  STATS_UNLOCK (self);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_pointer (&self->key, lp_private_key_unref);
  g_clear_object (&self->ledger);
  g_clear_pointer (&self->variants, g_free);
  if (self->done != NULL) {
    GHashTableIter iter;
    Segment *seg;

    g_hash_table_iter_init (&iter, self->done);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) & seg))
      gst_livepeer_sink_segment_free (seg);
    g_clear_pointer (&self->done, g_hash_table_destroy);
  }
}

/* Posts an error and returns FALSE when the broadcaster has no deposit or
 * no reserve on the ledger; @why says why that matters. */
static gboolean
broadcaster_funded (GstLivepeerSink * self, const gchar * why)
{
  gchar address[LP_ADDRESS_TEXT_SIZE];
  GError *error = NULL;
  LpSenderInfo info;

  lp_address_format (lp_private_key_get_address (self->key), address);
  if (!lp_broadcaster_get_sender_info (self->broadcaster, &info, &error)) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ, ("ledger: %s",
            error->message), (NULL));
    g_error_free (error);
    return FALSE;
  }
  if (lp_uint256_is_zero (&info.deposit) || lp_uint256_is_zero
      (&info.reserve)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("The broadcaster %s has "
            "no %s on the ledger, %s", address,
            lp_uint256_is_zero (&info.deposit) ? "deposit" : "reserve", why),
        ("fund it first: lpctl deposit --from KEY --deposit 1e18 --reserve "
            "1e18"));
    return FALSE;
  }
  return TRUE;
}

/* Whether some orchestrator must be paid while the broadcaster has no
 * funds: then it cannot start. */
static gboolean
check_funds (GstLivepeerSink * self)
{
  return !lp_broadcaster_must_pay (self->broadcaster)
      || broadcaster_funded (self, "and the orchestrators charge");
}

/* READY to PAUSED: discovery, then the dispatch threads. */
/* max-in-flight; with a job, whose threads share one session per
 * orchestrator, at most what lporchestrator queues in a session (4) */
static guint
dispatch_threads (GstLivepeerSink * self)
{
  if (self->config.job != NULL)
    return MIN (self->config.max_in_flight, 4);
  return self->config.max_in_flight;
}

static gboolean
start_dispatch (GstLivepeerSink * self)
{
  g_autofree gchar *failures = NULL;
  GError *error = NULL;
  guint i;

  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_progress (GST_OBJECT (self), GST_PROGRESS_TYPE_START,
          "discovery", "Asking the orchestrators for their prices and "
          "ticket parameters"));
  if (lp_broadcaster_start (self->broadcaster, &failures, &error) == 0) {
    /* a priced orchestrator refuses discovery to a sender without funds:
     * say that rather than that nobody answered */
    g_autofree gchar *why = g_strdup_printf ("and no orchestrator answered "
        "discovery: %s", failures);

    if (!broadcaster_funded (self, why)) {
      g_clear_error (&error);
      return FALSE;
    }
    gst_element_post_message (GST_ELEMENT (self),
        gst_message_new_progress (GST_OBJECT (self), GST_PROGRESS_TYPE_ERROR,
            "discovery", error->message));
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ, ("No orchestrator "
            "answered discovery: %s", failures && *failures ? failures :
            error->message), (NULL));
    g_error_free (error);
    return FALSE;
  }
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_progress (GST_OBJECT (self), GST_PROGRESS_TYPE_COMPLETE,
          "discovery", "Orchestrators found"));
  if (!lp_broadcaster_has_usable (self->broadcaster, &error)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("No orchestrator to use: "
            "%s", error ? error->message : "all suspended"), (NULL));
    g_clear_error (&error);
    return FALSE;
  }
  if (!check_funds (self) || !gst_livepeer_sink_open_output (self))
    return FALSE;
  DISPATCH_LOCK (self);
  self->stopping = FALSE;
  self->errored = FALSE;
  self->next_seq = self->write_seq = 0;
  DISPATCH_UNLOCK (self);
  self->segmenter = lp_segmenter_new ((GstClockTime)
      self->config.segment_duration_ms * GST_MSECOND);
  gst_livepeer_sink_reset_audio (self);
  self->workers = g_ptr_array_new ();
  for (i = 0; i < dispatch_threads (self); i++)
    g_ptr_array_add (self->workers, g_thread_new ("lp-dispatch",
            worker_thread, self));
  return TRUE;
}

/* Wakes everything that waits (a streaming thread on a full queue, the
 * workers, requests in flight) before the children stop. */
static void
interrupt_dispatch (GstLivepeerSink * self)
{
  DISPATCH_LOCK (self);
  self->stopping = TRUE;
  g_cond_broadcast (&self->queue_room);
  g_cond_broadcast (&self->queue_ready);
  g_cond_broadcast (&self->all_done);
  DISPATCH_UNLOCK (self);
  if (self->broadcaster != NULL)
    lp_broadcaster_interrupt (self->broadcaster);
}

static void
stop_dispatch (GstLivepeerSink * self)
{
  Segment *seg;
  guint i;

  interrupt_dispatch (self);
  for (i = 0; self->workers != NULL && i < self->workers->len; i++)
    g_thread_join (g_ptr_array_index (self->workers, i));
  g_clear_pointer (&self->workers, g_ptr_array_unref);
  /* what never left the queue is reported, not dropped silently */
  while ((seg = g_queue_pop_head (&self->queue)) != NULL) {
    seg->out.reason = g_strdup ("the element stopped before it was sent");
    gst_livepeer_sink_finish_segment (self, seg);
  }
  if (self->broadcaster != NULL)
    lp_broadcaster_stop (self->broadcaster);
  gst_livepeer_sink_close_output (self);
  g_clear_pointer (&self->segmenter, lp_segmenter_free);
}

static GstStateChangeReturn
gst_livepeer_sink_change_state (GstElement * element,
    GstStateChange transition)
{
  GstLivepeerSink *self = GST_LIVEPEER_SINK (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:
      if (!open_resources (self)) {
        close_resources (self);
        return GST_STATE_CHANGE_FAILURE;
      }
      break;
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      if (!start_dispatch (self)) {
        stop_dispatch (self);
        return GST_STATE_CHANGE_FAILURE;
      }
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      interrupt_dispatch (self);
      break;
    default:
      break;
  }
  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      stop_dispatch (self);
      /* the next stream may have other caps */
      gst_livepeer_sink_remove_chain (self);
      break;
    case GST_STATE_CHANGE_READY_TO_NULL:
      close_resources (self);
      break;
    default:
      break;
  }
  return ret;
}

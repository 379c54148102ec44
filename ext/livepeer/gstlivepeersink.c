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
 * This file holds the element: its pads, properties and states, the
 * input chain and the segmenter, the pairing of audio with the video
 * segments, the dispatch queue and threads, the writer (HLS, the
 * `rendition` signal) and the bus messages. The node logic (the
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

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <gst/pbutils/pbutils.h>
#include <gst/livepeer/lpbalance.h>
#include <gst/livepeer/lpcapability.h>
#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lphls.h>
#include <gst/livepeer/lpkeystore.h>
#include <gst/livepeer/lpledger.h>
#include <gst/livepeer/lpmpegts.h>
#include <gst/livepeer/lpprofile.h>
#include <gst/livepeer/lpwire.h>

#include "gstlivepeersink.h"
#include "lpbroadcaster.h"
#include "lpsegmenter.h"

GST_DEBUG_CATEGORY_STATIC (gst_livepeer_sink_debug);
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

/* the source's variant in the master playlist */
#define SOURCE_VARIANT_NAME "source"

enum
{
  PROP_0,
  PROP_ORCHESTRATORS,
  PROP_JOB,
  PROP_MODEL,
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

enum
{
  SIGNAL_RENDITION,
  LAST_SIGNAL,
};

static guint signals[LAST_SIGNAL];

/* What the properties say, copied when the element starts so that the
 * dispatch threads never read the properties. */
typedef struct
{
  gchar *orchestrators;
  gchar *job;
  gchar *model;
  gchar *key_file;
  gchar *password_file;
  gchar *ledger_uri;
  gchar *profiles;
  gchar *location;
  gchar *manifest_id;
  guint segment_duration_ms;
  LpPriceInfo max_price;
  guint max_in_flight;
  GstLivepeerSinkQueuePolicy queue_policy;
  GstLivepeerSinkVerify verify;
  gdouble verify_sample_rate;
  guint max_attempts;
  guint max_consecutive_failures;
  guint playlist_length;
  guint max_files;
  guint discovery_timeout_ms;
  guint segment_timeout_ms;
  guint64 max_answer_size;
} Config;

/* One segment from the segmenter to the writer: what the broadcaster
 * sends, the access units kept for their audio, and what became of it. */
typedef struct
{
  LpBroadcastSegment in;
  LpSegmentData *units;         /* until muxed; then only with audio */
  GstClockTime running_time;
  gboolean dropped;             /* by queue-policy, never sent */
  LpBroadcastOutcome out;
} Segment;

/* The element's state, grouped by owner; the lock order is at the top of
 * the file. */
struct _GstLivepeerSink
{
  GstBin parent;

  /* children and pads: made in init, on caps (the chain, from the input's
   * streaming thread before data flows) and on request (the audio pad);
   * the chain is removed at PAUSED to READY */
  GstPad *sinkpad;
  GstElement *entry;            /* typefind: the chain is built on caps */
  GstElement *first;            /* tsdemux or the source encoder, or NULL */
  GstElement *parse;            /* queue ! h264parse ! capsfilter ! fakesink */
  GstElement *video_in;         /* that queue */
  const gchar *missing;         /* a factory not installed */
  GstElement *audio_parse;      /* queue ! aacparse ! fakesink, once audio comes */
  GstElement *audio_in;         /* that queue */
  GstPad *audio_pad;            /* the request pad, or NULL */
  gboolean chain_built;

  /* properties, under the object lock */
  Config props;

  /* the state thread's: set from NULL to READY (config, profiles, key,
   * ledger) and READY to PAUSED (segmenter, workers), read-only to the
   * other threads in between */
  Config config;
  GPtrArray *profiles;          /* LpProfile*, shared with the broadcaster,
                                 * which adds a job's video output */
  LpPrivateKey *key;
  LpLedger *ledger;
  LpSegmenter *segmenter;       /* fed by the video streaming thread */
  GPtrArray *workers;           /* GThread*, the dispatch threads */

  /* the inputs, under release_lock: video segments wait in awaiting until
   * the audio of their time span has come */
  GMutex release_lock;
  gboolean has_audio;
  gboolean audio_from_demux;    /* fed by tsdemux, not the request pad */
  GQueue awaiting;              /* LpSegmentData* cut, waiting for audio */
  gint awaiting_len;            /* also atomic, for the EOS waiter */
  GPtrArray *audio;             /* GstBuffer* not yet in a segment */
  GstCaps *audio_caps;
  GstClockTime audio_end;
  gboolean audio_eos;
  gboolean video_ended;
  /* each input's segment (its streaming thread only): segments are cut
   * and muxed in running time, the one time line audio and video share */
  GstSegment video_segment;
  GstSegment audio_segment;

  /* dispatch, under dispatch_lock: segments from the video streaming
   * thread to the dispatch threads, and done ones to the writer */
  GMutex dispatch_lock;
  GCond queue_room;             /* queue below max-in-flight, or stopping */
  GCond queue_ready;            /* queue not empty, or stopping */
  GCond all_done;               /* nothing awaiting audio and every seq
                                 * made written, or stopping */
  GQueue queue;                 /* Segment* waiting */
  GHashTable *done;             /* seq -> Segment* finished, not written */
  gboolean stopping;
  gboolean errored;             /* "cannot pay" posted */
  guint64 next_seq;             /* the next seq the segmenter makes */
  guint64 write_seq;            /* the next seq to write */

  /* the writer, under write_lock: one at a time, in seq order. The state
   * thread opens the output before the dispatch threads start and closes
   * it once they are joined */
  GMutex write_lock;
  LpHlsWriter *hls;
  gint source_variant;
  gint *variants;               /* per profile */
  /* where the last source segment written ended (90 kHz ticks), for
   * discontinuities */
  guint64 source_end;
  gboolean has_source_end;

  /* the stats, under stats_lock; they last as long as the element */
  GMutex stats_lock;
  /* the node logic, from NULL to READY on: set and cleared under
   * stats_lock (the stats read it), used without it by the state and
   * dispatch threads, which it outlives */
  LpBroadcaster *broadcaster;
  guint64 segments_ok;
  guint64 segments_lost;
  guint64 retries;
  guint64 tickets;
  LpRational *fees;
  guint consecutive_failures;
};

#define DISPATCH_LOCK(s) g_mutex_lock (&(s)->dispatch_lock)
#define DISPATCH_UNLOCK(s) g_mutex_unlock (&(s)->dispatch_lock)
#define STATS_LOCK(s) g_mutex_lock (&(s)->stats_lock)
#define STATS_UNLOCK(s) g_mutex_unlock (&(s)->stats_lock)

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
static GstPad *gst_livepeer_sink_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps);
static void gst_livepeer_sink_release_pad (GstElement * element,
    GstPad * pad);
static void gst_livepeer_sink_finalize (GObject * object);
static void gst_livepeer_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_livepeer_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_livepeer_sink_change_state (GstElement *
    element, GstStateChange transition);
static GstPadProbeReturn on_input_event (GstPad * pad, GstPadProbeInfo * info,
    gpointer user_data);
static GstPadProbeReturn on_entry_event (GstPad * pad, GstPadProbeInfo * info,
    gpointer user_data);

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
   * stake: a devnet file (`devnet.db`, `sqlite:///path`).
   */
  g_object_class_install_property (gobject_class, PROP_LEDGER,
      g_param_spec_string ("ledger", "Ledger",
          "Ledger URI or devnet file", DEFAULT_LEDGER, flags));
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
  signals[SIGNAL_RENDITION] = g_signal_new ("rendition",
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
  to->key_file = g_strdup (from->key_file);
  to->password_file = g_strdup (from->password_file);
  to->ledger_uri = g_strdup (from->ledger_uri);
  to->profiles = g_strdup (from->profiles);
  to->location = g_strdup (from->location);
  to->manifest_id = g_strdup (from->manifest_id);
}

static GstElement *
make_child (GstLivepeerSink * self, const gchar * factory)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL && self->missing == NULL)
    self->missing = factory;
  return element;
}

static GstPadProbeReturn on_stream_data (GstPad * pad,
    GstPadProbeInfo * info, gpointer user_data);

/* h264parse ! capsfilter ! fakesink, there from the start; the segments
 * are taken from the capsfilter's output by a probe, and the fakesink
 * neither syncs nor prerolls (the element is a network sink: nothing to
 * show, no clock to wait for). A missing factory is an error at NULL to
 * READY. */
static void
add_segmenter (GstLivepeerSink * self)
{
  GstElement *filter = make_child (self, "capsfilter");
  GstElement *sink = make_child (self, "fakesink");
  GstCaps *caps;
  GstPad *pad;

  self->video_in = make_child (self, "queue");
  self->parse = make_child (self, "h264parse");
  if (self->missing != NULL) {
    gst_clear_object (&filter);
    gst_clear_object (&sink);
    gst_clear_object (&self->video_in);
    gst_clear_object (&self->parse);
    return;
  }
  caps = gst_caps_from_string ("video/x-h264, stream-format=byte-stream, "
      "alignment=au");
  g_object_set (filter, "caps", caps, NULL);
  gst_caps_unref (caps);
  g_object_set (self->parse, "config-interval", -1, NULL);
  g_object_set (sink, "sync", FALSE, "async", FALSE, "enable-last-sample",
      FALSE, NULL);
  /* the queue gives the video its own thread: a demuxer's thread also
   * carries the audio, which must get through while the video's EOS
   * waits for the last segments */
  gst_bin_add_many (GST_BIN (self), self->video_in, self->parse, filter,
      sink, NULL);
  gst_element_link_many (self->video_in, self->parse, filter, sink, NULL);
  pad = gst_element_get_static_pad (filter, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      on_stream_data, self, NULL);
  gst_object_unref (pad);
}

static void
gst_livepeer_sink_init (GstLivepeerSink * self)
{
  GstPad *target;

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

  /* the chain behind the entry depends on the caps (H.264, MPEG-TS or
   * raw); it is built when the first caps pass the entry, a typefind so
   * that a plain `filesrc` (no caps) works too */
  self->entry = gst_element_factory_make ("typefind", "entry");
  gst_bin_add (GST_BIN (self), self->entry);
  target = gst_element_get_static_pad (self->entry, "sink");
  self->sinkpad = gst_ghost_pad_new_from_template ("sink", target,
      gst_static_pad_template_get (&sink_template));
  gst_pad_add_probe (target, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      on_input_event, self, NULL);
  gst_object_unref (target);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
  add_segmenter (self);
  target = gst_element_get_static_pad (self->entry, "src");
  gst_pad_add_probe (target, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      on_entry_event, self, NULL);
  gst_object_unref (target);
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

static void
post_element_message (GstLivepeerSink * self, GstStructure * s)
{
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), s));
}

/* ------------------------------------------------------------------------ */
/* The chain: entry ! (per input) ! splitmuxsink */

static GstElement *
make_element (GstLivepeerSink * self, const gchar * factory)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
        ("livepeersink needs the GStreamer element '%s'", factory), (NULL));
  return element;
}

/* Raw input is encoded into the source rendition by lptranscodebin, at
 * the source's size and rate, a keyframe every segment. */
static GstElement *
make_source_encoder (GstLivepeerSink * self, GstStructure * s)
{
  GstElement *bin = make_element (self, "lptranscodebin");
  gint width = 0, height = 0, num = 0, den = 1;
  gchar *json, gop[G_ASCII_DTOSTR_BUF_SIZE];
  guint64 bitrate;

  if (bin == NULL)
    return NULL;
  gst_structure_get_int (s, "width", &width);
  gst_structure_get_int (s, "height", &height);
  if (!gst_structure_get_fraction (s, "framerate", &num, &den) || den == 0) {
    num = 0;
    den = 1;
  }
  /* about 0.1 bit per pixel: what Livepeer's presets give a source */
  bitrate = CLAMP ((guint64) width * height * (num ? num / den : 30) / 10,
      200000, 20000000);
  g_ascii_dtostr (gop, sizeof (gop), self->config.segment_duration_ms /
      1000.0);
  /* fps 0 keeps the source's timing: the frames are the source's, none
   * added or dropped (a frame-rate converter would add one at the end of
   * a live stream) */
  json = g_strdup_printf ("[{\"name\": \"" SOURCE_VARIANT_NAME "\", "
      "\"width\": %d, \"height\": %d, \"bitrate\": %" G_GUINT64_FORMAT ", "
      "\"fps\": 0, \"gop\": \"%s\"}]", width, height, bitrate, gop);
  g_object_set (bin, "profiles", json, NULL);
  g_free (json);
  return bin;
}

static GstPad *audio_input (GstLivepeerSink * self);

static void
on_demux_pad (GstElement * demux, GstPad * pad, GstLivepeerSink * self)
{
  GstPad *sink = gst_element_get_static_pad (self->video_in, "sink");
  GstCaps *caps = gst_pad_query_caps (pad, NULL);
  GstStructure *s = gst_caps_get_size (caps) > 0 ?
      gst_caps_get_structure (caps, 0) : NULL;
  GstPad *audio;

  /* the first H.264 stream and the first AAC one (carried into every
   * rendition); others stay unlinked and tsdemux keeps going as long as
   * one stream is linked */
  if (s != NULL && gst_structure_has_name (s, "video/x-h264")
      && !gst_pad_is_linked (sink)) {
    gst_pad_link (pad, sink);
  } else if (s != NULL && gst_structure_has_name (s, "audio/mpeg")
      && self->audio_pad == NULL && (audio = audio_input (self)) != NULL) {
    if (!gst_pad_is_linked (audio) && gst_pad_link (pad, audio) ==
        GST_PAD_LINK_OK) {
      g_mutex_lock (&self->release_lock);
      self->has_audio = TRUE;
      self->audio_from_demux = TRUE;
      g_mutex_unlock (&self->release_lock);
    }
    gst_object_unref (audio);
  }
  gst_caps_unref (caps);
  gst_object_unref (sink);
}

/* Builds what goes between the entry and the parser for @caps, in the
 * streaming thread that carries the first caps: nothing for H.264,
 * tsdemux for MPEG-TS, the source encoder for raw video. */
static gboolean
build_chain (GstLivepeerSink * self, GstCaps * caps)
{
  GstStructure *s = gst_caps_get_structure (caps, 0);
  GstElement *first = NULL;

  if (gst_structure_has_name (s, "video/x-h264")) {
    if (!gst_element_link (self->entry, self->video_in))
      goto link_failed;
    return TRUE;
  }
  if (gst_structure_has_name (s, "video/x-raw")) {
    first = make_source_encoder (self, s);
  } else if (gst_structure_has_name (s, "video/mpegts")) {
    first = make_element (self, "tsdemux");
    if (first != NULL)
      g_signal_connect (first, "pad-added", G_CALLBACK (on_demux_pad), self);
  }
  if (first == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (self), first);
  self->first = first;
  if (gst_structure_has_name (s, "video/x-raw")
      && !gst_element_link (first, self->video_in))
    goto link_failed;
  if (!gst_element_link (self->entry, first))
    goto link_failed;
  gst_element_sync_state_with_parent (first);
  return TRUE;

link_failed:
  GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("Could not build the "
          "segmenter for %" GST_PTR_FORMAT, caps), (NULL));
  return FALSE;
}

/* The entry's sink pad: a stream that ends before the typefind found
 * its type (no data, or no caps) has nothing to send; its EOS goes past
 * the typefind (which would error) straight to the fakesink. */
static GstPadProbeReturn
on_input_event (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstLivepeerSink *self = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstPad *parse_sink;
  GstSegment segment;

  if (GST_EVENT_TYPE (event) != GST_EVENT_EOS || self->chain_built
      || self->parse == NULL)
    return GST_PAD_PROBE_OK;
  parse_sink = gst_element_get_static_pad (self->video_in, "sink");
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_send_event (parse_sink, gst_event_new_stream_start
      ("livepeersink-empty"));
  gst_pad_send_event (parse_sink, gst_event_new_segment (&segment));
  gst_pad_send_event (parse_sink, gst_event_ref (event));
  gst_object_unref (parse_sink);
  return GST_PAD_PROBE_DROP;
}

static GstPadProbeReturn
on_entry_event (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstLivepeerSink *self = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstCaps *caps;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS || self->chain_built)
    return GST_PAD_PROBE_OK;
  gst_event_parse_caps (event, &caps);
  GST_DEBUG_OBJECT (self, "input %" GST_PTR_FORMAT, caps);
  self->chain_built = build_chain (self, caps);
  if (!self->chain_built) {
    GST_PAD_PROBE_INFO_FLOW_RETURN (info) = GST_FLOW_NOT_NEGOTIATED;
    return GST_PAD_PROBE_DROP;
  }
  return GST_PAD_PROBE_OK;
}

/* ------------------------------------------------------------------------ */
/* Segments */

static void
segment_free (Segment * seg)
{
  lp_broadcast_outcome_clear (&seg->out);
  if (seg->in.data != NULL)
    g_bytes_unref (seg->in.data);
  lp_segment_data_free (seg->units);
  g_free (seg);
}

static void finish_segment (GstLivepeerSink * self, Segment * seg);

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
    finish_segment (self, seg);
    return;
  }
  g_queue_push_tail (&self->queue, seg);
  g_cond_broadcast (&self->queue_ready);
  DISPATCH_UNLOCK (self);
  if (dropped != NULL) {
    dropped->dropped = TRUE;
    dropped->out.reason = g_strdup_printf ("dropped: %u segments were already "
        "waiting (queue-policy=drop-oldest)", self->config.max_in_flight);
    finish_segment (self, dropped);
  }
}

/* Streaming thread: a segment the segmenter finished goes to the queue
 * (it is muxed by the dispatch thread that sends it). */
static void
take_segment (GstLivepeerSink * self, LpSegmentData * units)
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

static gboolean wait_for_segments (GstLivepeerSink * self);

/* Running time plus this is the segments' time line: positive even for
 * the decoding times of a stream's first frames (before its start). */
#define TIME_LINE_OFFSET (3600 * GST_SECOND)

static GstClockTime
time_line (const GstSegment * segment, GstClockTime time)
{
  guint64 running;
  gint sign;

  if (!GST_CLOCK_TIME_IS_VALID (time) || segment->format != GST_FORMAT_TIME)
    return time;
  sign = gst_segment_to_running_time_full (segment, GST_FORMAT_TIME, time,
      &running);
  if (sign > 0)
    return running + TIME_LINE_OFFSET;
  if (sign < 0 && running < TIME_LINE_OFFSET)
    return TIME_LINE_OFFSET - running;
  return sign < 0 ? 0 : GST_CLOCK_TIME_NONE;
}

/* @buffer (not its data) with its times on the segments' time line */
static GstBuffer *
on_time_line (const GstSegment * segment, GstBuffer * buffer)
{
  GstBuffer *copy = gst_buffer_copy (buffer);

  GST_BUFFER_PTS (copy) = time_line (segment, GST_BUFFER_PTS (buffer));
  GST_BUFFER_DTS (copy) = time_line (segment, GST_BUFFER_DTS (buffer));
  return copy;
}

/* The audio frames of @units' time span (all that are left for the last
 * segment) move into it. Called with release_lock held. */
static void
attach_audio_locked (GstLivepeerSink * self, LpSegmentData * units,
    gboolean last)
{
  guint i = 0;

  units->audio = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  units->audio_caps = self->audio_caps ? gst_caps_ref (self->audio_caps) :
      NULL;
  while (i < self->audio->len) {
    GstBuffer *buffer = g_ptr_array_index (self->audio, i);

    if (last || !GST_BUFFER_PTS_IS_VALID (buffer)
        || GST_BUFFER_PTS (buffer) < units->end) {
      g_ptr_array_add (units->audio, gst_buffer_ref (buffer));
      g_ptr_array_remove_index (self->audio, i);
    } else {
      i++;
    }
  }
}

/* Sends every cut segment whose audio is complete: the audio reached its
 * end, or ended. Called with release_lock held (which keeps the sequence
 * order); takes dispatch_lock. */
static void
release_segments_locked (GstLivepeerSink * self, gboolean video_ended)
{
  LpSegmentData *units;

  while ((units = g_queue_peek_head (&self->awaiting)) != NULL) {
    gboolean last = video_ended && g_queue_get_length (&self->awaiting) == 1;

    if (self->has_audio && !self->audio_eos && (last
            || !GST_CLOCK_TIME_IS_VALID (self->audio_end)
            || self->audio_end < units->end))
      break;
    g_queue_pop_head (&self->awaiting);
    if (self->has_audio)
      attach_audio_locked (self, units, last);
    take_segment (self, units);
    g_atomic_int_add (&self->awaiting_len, -1);
  }
  DISPATCH_LOCK (self);
  g_cond_broadcast (&self->all_done);
  DISPATCH_UNLOCK (self);
}

/* The video streaming thread: the segmenter cut @units (NULL: nothing). */
static void
video_segment_done (GstLivepeerSink * self, LpSegmentData * units,
    gboolean video_ended)
{
  g_mutex_lock (&self->release_lock);
  if (units != NULL) {
    g_queue_push_tail (&self->awaiting, units);
    g_atomic_int_add (&self->awaiting_len, 1);
  }
  self->video_ended = video_ended;
  release_segments_locked (self, video_ended);
  g_mutex_unlock (&self->release_lock);
}

static void
take_video (GstLivepeerSink * self, GstBuffer * buffer)
{
  GstBuffer *timed = on_time_line (&self->video_segment, buffer);

  GST_LOG_OBJECT (self, "%" GST_PTR_FORMAT, timed);
  video_segment_done (self, lp_segmenter_push (self->segmenter, timed),
      FALSE);
  gst_buffer_unref (timed);
}

static gboolean
take_buffer (GstBuffer ** buffer, guint idx, gpointer user_data)
{
  take_video (user_data, *buffer);
  return TRUE;
}

/* aacparse's src pad, in the audio streaming thread: frames wait for the
 * video segment whose time span they are in. */
static GstPadProbeReturn
on_audio_data (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstLivepeerSink *self = user_data;

  g_mutex_lock (&self->release_lock);
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = on_time_line (&self->audio_segment,
        GST_PAD_PROBE_INFO_BUFFER (info));

    g_ptr_array_add (self->audio, buffer);
    if (GST_BUFFER_PTS_IS_VALID (buffer))
      self->audio_end = GST_BUFFER_PTS (buffer) +
          (GST_BUFFER_DURATION_IS_VALID (buffer) ?
          GST_BUFFER_DURATION (buffer) : 0);
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_CAPS) {
    GstCaps *caps;

    gst_event_parse_caps (GST_PAD_PROBE_INFO_EVENT (info), &caps);
    gst_caps_replace (&self->audio_caps, caps);
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_SEGMENT) {
    gst_event_copy_segment (GST_PAD_PROBE_INFO_EVENT (info),
        &self->audio_segment);
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_EOS) {
    self->audio_eos = TRUE;
  }
  release_segments_locked (self, self->video_ended);
  g_mutex_unlock (&self->release_lock);
  return GST_PAD_PROBE_OK;
}

/* aacparse ! fakesink for the audio, made when audio first comes: the
 * sink pad to feed (a new reference), NULL when it cannot be made. */
static GstPad *
audio_input (GstLivepeerSink * self)
{
  GstElement *sink;
  GstPad *pad;

  if (self->audio_in == NULL) {
    GstElement *queue = gst_element_factory_make ("queue", NULL);

    self->audio_parse = gst_element_factory_make ("aacparse", NULL);
    sink = gst_element_factory_make ("fakesink", NULL);
    if (queue == NULL || self->audio_parse == NULL || sink == NULL) {
      gst_clear_object (&queue);
      gst_clear_object (&self->audio_parse);
      gst_clear_object (&sink);
      return NULL;
    }
    g_object_set (sink, "sync", FALSE, "async", FALSE, "enable-last-sample",
        FALSE, NULL);
    gst_bin_add_many (GST_BIN (self), queue, self->audio_parse, sink, NULL);
    gst_element_link_many (queue, self->audio_parse, sink, NULL);
    self->audio_in = queue;
    pad = gst_element_get_static_pad (self->audio_parse, "src");
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
        GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, on_audio_data, self, NULL);
    gst_object_unref (pad);
    gst_element_sync_state_with_parent (sink);
    gst_element_sync_state_with_parent (self->audio_parse);
    gst_element_sync_state_with_parent (queue);
  }
  return gst_element_get_static_pad (self->audio_in, "sink");
}

static GstPad *
gst_livepeer_sink_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps)
{
  GstLivepeerSink *self = GST_LIVEPEER_SINK (element);
  GstPad *target, *pad;
  gboolean from_demux;

  g_mutex_lock (&self->release_lock);
  from_demux = self->audio_from_demux;
  g_mutex_unlock (&self->release_lock);
  if (self->audio_pad != NULL || from_demux) {
    GST_WARNING_OBJECT (self, "livepeersink takes one audio stream");
    return NULL;
  }
  target = audio_input (self);
  if (target == NULL) {
    GST_ELEMENT_WARNING (self, CORE, MISSING_PLUGIN, ("livepeersink needs "
            "'aacparse' for audio"), (NULL));
    return NULL;
  }
  pad = gst_ghost_pad_new_from_template ("audio", target, templ);
  gst_object_unref (target);
  gst_pad_set_active (pad, TRUE);
  gst_element_add_pad (element, pad);
  self->audio_pad = pad;
  return pad;
}

static void
gst_livepeer_sink_release_pad (GstElement * element, GstPad * pad)
{
  GstLivepeerSink *self = GST_LIVEPEER_SINK (element);

  if (pad != self->audio_pad)
    return;
  self->audio_pad = NULL;
  gst_element_remove_pad (element, pad);
}

/* The capsfilter's src pad, in the streaming thread: access units into
 * segments; at EOS the last segment, and the EOS waits for every segment
 * to be done. */
static GstPadProbeReturn
on_stream_data (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstLivepeerSink *self = user_data;

  if (self->segmenter == NULL)
    return GST_PAD_PROBE_OK;
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    take_video (self, GST_PAD_PROBE_INFO_BUFFER (info));
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    gst_buffer_list_foreach (GST_PAD_PROBE_INFO_BUFFER_LIST (info),
        take_buffer, self);
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_CAPS) {
    GstCaps *caps;

    gst_event_parse_caps (GST_PAD_PROBE_INFO_EVENT (info), &caps);
    lp_segmenter_set_caps (self->segmenter, caps);
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_SEGMENT) {
    gst_event_copy_segment (GST_PAD_PROBE_INFO_EVENT (info),
        &self->video_segment);
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_EOS) {
    video_segment_done (self, lp_segmenter_flush (self->segmenter), TRUE);
    wait_for_segments (self);
  }
  return GST_PAD_PROBE_OK;
}

/* The streaming thread, with the EOS: like a base sink that waits for its
 * last buffer to be rendered, the EOS goes on (to the fakesink, which
 * posts it) only once every segment made is written or reported lost, or
 * the element stops. */
static gboolean
wait_for_segments (GstLivepeerSink * self)
{
  DISPATCH_LOCK (self);
  while (!self->stopping && (g_atomic_int_get (&self->awaiting_len) > 0
          || self->write_seq != self->next_seq))
    g_cond_wait (&self->all_done, &self->dispatch_lock);
  DISPATCH_UNLOCK (self);
  g_mutex_lock (&self->write_lock);
  if (self->hls != NULL)
    lp_hls_writer_finish (self->hls, NULL);
  g_mutex_unlock (&self->write_lock);
  GST_DEBUG_OBJECT (self, "every segment is done: EOS");
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Dispatch: the broadcaster transcodes, the element reports */

static gboolean
segment_has_audio (const Segment * seg)
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
  post_element_message (self, gst_structure_new ("livepeersink-failover",
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
    if (!segment_has_audio (seg))
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

/* ------------------------------------------------------------------------ */
/* Writing, in sequence order: everything below up to finish_segment()
 * runs with write_lock held, which finish_segment() takes */

/* Rendition @index of @seg with the source's audio muxed in (the
 * orchestrator's renditions are video only); as received when there is
 * no audio or it cannot be added (with a warning). */
static GBytes *
with_audio (GstLivepeerSink * self, Segment * seg, guint index)
{
  GBytes *video = g_ptr_array_index (seg->out.renditions, index);
  GError *error = NULL;
  GBytes *both;

  if (!segment_has_audio (seg))
    return g_bytes_ref (video);
  both = lp_rendition_add_audio (video, seg->units, &error);
  if (both != NULL)
    return both;
  GST_ELEMENT_WARNING (self, STREAM, MUX, ("Could not add the audio to "
          "segment %" G_GUINT64_FORMAT ": %s", seg->in.seq, error->message),
      (NULL));
  g_error_free (error);
  return g_bytes_ref (video);
}

/* The CODECS of a variant: its video's, and the audio's when the stream
 * has audio. */
static gchar *
variant_codecs (const gchar * video, const Segment * seg)
{
  g_autofree gchar *audio = NULL;

  if (segment_has_audio (seg))
    audio = gst_codec_utils_caps_get_mime_codec (seg->units->audio_caps);
  if (audio == NULL)
    return g_strdup (video);
  if (video == NULL)
    return g_steal_pointer (&audio);
  return g_strdup_printf ("%s,%s", video, audio);
}

static gint
variant_for (GstLivepeerSink * self, guint index, const LpRenditionInfo * ri,
    const Segment * seg, GError ** error)
{
  const LpProfile *p = g_ptr_array_index (self->profiles, index);
  LpHlsVariant variant = { 0, };
  g_autofree gchar *codecs = NULL;

  if (self->variants[index] >= 0)
    return self->variants[index];
  codecs = variant_codecs (ri->codecs, seg);
  variant.name = p->name;
  variant.width = ri->width;
  variant.height = ri->height;
  variant.codecs = codecs;
  variant.frame_rate = p->fps_num ? (gdouble) p->fps_num / p->fps_den : 0;
  self->variants[index] = lp_hls_writer_add_variant (self->hls, &variant,
      error);
  return self->variants[index];
}

static gboolean
write_source (GstLivepeerSink * self, Segment * seg, gboolean discont,
    GError ** error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (seg->in.data, &size);

  if (self->source_variant < 0) {
    LpHlsVariant variant = { 0, };
    LpRenditionInfo info;

    /* its size and codec, as the master playlist lists them */
    if (!lp_rendition_inspect (seg->in.data, FALSE, &info, error))
      return FALSE;
    g_autofree gchar *codecs = variant_codecs (info.codecs, seg);

    variant.name = SOURCE_VARIANT_NAME;
    variant.width = info.width;
    variant.height = info.height;
    variant.codecs = codecs;
    self->source_variant = lp_hls_writer_add_variant (self->hls, &variant,
        error);
    lp_rendition_info_clear (&info);
    if (self->source_variant < 0)
      return FALSE;
  }
  return lp_hls_writer_write_segment (self->hls, self->source_variant,
      seg->in.seq, seg->in.duration_ms / 1000.0, discont, data, size, error);
}

/* A source segment that does not start where the last one written ended
 * (beyond half of a 30 fps frame's rounding) starts a discontinuity, in
 * every variant alike; a gap in sequence numbers the HLS writer marks
 * itself. */
#define DISCONTINUITY_TICKS (LP_MPEGTS_CLOCK_RATE / 20)

static gboolean
source_discontinuous (GstLivepeerSink * self, const LpMpegtsSpan * span)
{
  gboolean discont = self->has_source_end
      && ABS (lp_mpegts_diff (span->start, self->source_end)) >
      DISCONTINUITY_TICKS;

  self->source_end = span->end;
  self->has_source_end = TRUE;
  return discont;
}

/* Rendition @index on the source segment's time line. An orchestrator
 * that keeps timestamps (ours, go-livepeer) has put it there already;
 * one that restarts them would make every rendition segment a
 * discontinuity that the source variant does not have. Takes @bytes. */
static GBytes *
on_source_time_line (GstLivepeerSink * self, guint index, GBytes * bytes,
    const LpMpegtsSpan * source)
{
  LpMpegtsSpan span;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  GBytes *aligned;

  if (!lp_mpegts_video_span (data, size, &span)
      || lp_mpegts_diff (span.start, source->start) == 0)
    return bytes;
  GST_INFO_OBJECT (self, "rendition %u starts %" G_GINT64_FORMAT " ticks "
      "off its source segment: moved onto the source's time line", index,
      lp_mpegts_diff (span.start, source->start));
  aligned = lp_mpegts_align (bytes, source->start);
  g_bytes_unref (bytes);
  return aligned;
}

static gboolean
write_renditions (GstLivepeerSink * self, Segment * seg, GError ** error)
{
  gsize source_size;
  const guint8 *source_data = g_bytes_get_data (seg->in.data, &source_size);
  LpMpegtsSpan source;
  gboolean timed = lp_mpegts_video_span (source_data, source_size, &source);
  gboolean discont = timed && source_discontinuous (self, &source);
  guint i;

  if (self->hls != NULL && !write_source (self, seg, discont, error))
    return FALSE;
  for (i = 0; i < self->profiles->len; i++) {
    const LpProfile *p = g_ptr_array_index (self->profiles, i);
    const LpRenditionInfo *ri = &g_array_index (seg->out.infos, LpRenditionInfo,
        i);
    GBytes *bytes = with_audio (self, seg, i);
    GstBuffer *buffer;
    gsize size;
    const guint8 *data;
    gdouble duration = seg->in.duration_ms / 1000.0;

    if (timed)
      bytes = on_source_time_line (self, i, bytes, &source);
    data = g_bytes_get_data (bytes, &size);

    if (self->hls != NULL) {
      gint variant = variant_for (self, i, ri, seg, error);

      if (GST_CLOCK_TIME_IS_VALID (ri->first_pts)
          && GST_CLOCK_TIME_IS_VALID (ri->end_pts)
          && ri->end_pts > ri->first_pts)
        duration = (gdouble) (ri->end_pts - ri->first_pts) / GST_SECOND;
      if (variant < 0 || !lp_hls_writer_write_segment (self->hls, variant,
              seg->in.seq, duration, discont, data, size, error)) {
        g_bytes_unref (bytes);
        return FALSE;
      }
    }
    buffer = gst_buffer_new_wrapped_bytes (bytes);
    g_bytes_unref (bytes);
    g_signal_emit (self, signals[SIGNAL_RENDITION], 0, p->name, seg->in.seq,
        buffer);
    gst_buffer_unref (buffer);
  }
  return TRUE;
}

static void
post_written (GstLivepeerSink * self, Segment * seg)
{
  gchar *fee = lp_rational_to_string (seg->out.fee);

  post_element_message (self, gst_structure_new ("livepeersink-segment",
          "seq", G_TYPE_UINT64, seg->in.seq,
          "orchestrator", G_TYPE_STRING, seg->out.orchestrator,
          "attempts", G_TYPE_UINT, seg->out.attempts,
          "latency", G_TYPE_UINT64, seg->out.latency,
          "pixels", G_TYPE_UINT64, seg->out.pixels,
          "fee", G_TYPE_STRING, fee,
          "tickets", G_TYPE_UINT, seg->out.tickets,
          "verified", G_TYPE_STRING, seg->out.verified, NULL));
  g_free (fee);
}

static void
post_lost (GstLivepeerSink * self, Segment * seg, guint64 ok, guint64 lost)
{
  GstMessage *qos;

  GST_WARNING_OBJECT (self, "segment %" G_GUINT64_FORMAT " lost: %s",
      seg->in.seq, seg->out.reason);
  post_element_message (self, gst_structure_new ("livepeersink-segment-lost",
          "seq", G_TYPE_UINT64, seg->in.seq,
          "attempts", G_TYPE_UINT, seg->out.attempts,
          "reason", G_TYPE_STRING, seg->out.reason, NULL));
  qos = gst_message_new_qos (GST_OBJECT (self), FALSE, seg->running_time,
      GST_CLOCK_TIME_NONE, GST_CLOCK_TIME_NONE,
      (guint64) seg->in.duration_ms * GST_MSECOND);
  gst_message_set_qos_stats (qos, GST_FORMAT_BUFFERS, ok, lost);
  gst_element_post_message (GST_ELEMENT (self), qos);
}

/* A job's metadata: a `livepeersink-analysis` message and, with a
 * location, LOCATION/CAPABILITY/SEQ.json */
static gboolean
write_analysis (GstLivepeerSink * self, Segment * seg, GError ** error)
{
  const LpCapability *job = lp_broadcaster_get_job (self->broadcaster);
  gsize size;
  const gchar *data;
  g_autofree gchar *text = NULL;

  if (seg->out.analysis == NULL)
    return TRUE;
  data = g_bytes_get_data (seg->out.analysis, &size);
  if (self->config.location != NULL) {
    g_autofree gchar *dir = g_build_filename (self->config.location,
        job->name, NULL);
    g_autofree gchar *name = g_strdup_printf ("%" G_GUINT64_FORMAT ".json",
        seg->in.seq);
    g_autofree gchar *path = g_build_filename (dir, name, NULL);

    if (g_mkdir_with_parents (dir, 0755) != 0) {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
          "%s: %s", dir, g_strerror (errno));
      return FALSE;
    }
    if (!g_file_set_contents (path, data, size, error))
      return FALSE;
  }
  text = g_strndup (data, size);
  post_element_message (self, gst_structure_new ("livepeersink-analysis",
          "seq", G_TYPE_UINT64, seg->in.seq,
          "capability", G_TYPE_STRING, job->name,
          "model-id", G_TYPE_STRING, job->model_id,
          "orchestrator", G_TYPE_STRING, seg->out.orchestrator,
          "units", G_TYPE_UINT64, seg->out.pixels,
          "messages", G_TYPE_UINT, seg->out.analysis_messages,
          "analysis", G_TYPE_STRING, text, NULL));
  return TRUE;
}

static void
write_segment (GstLivepeerSink * self, Segment * seg)
{
  GError *error = NULL;
  guint64 ok, lost;
  guint failures;

  if (seg->out.ok && (!write_renditions (self, seg, &error)
          || !write_analysis (self, seg, &error))) {
    GST_ELEMENT_ERROR (self, RESOURCE, WRITE, ("Could not write segment %"
            G_GUINT64_FORMAT ": %s", seg->in.seq, error->message), (NULL));
    g_error_free (error);
    return;
  }
  STATS_LOCK (self);
  if (seg->out.ok) {
    self->segments_ok++;
    lp_rational_add (self->fees, seg->out.fee);
    self->consecutive_failures = 0;
  } else {
    self->segments_lost++;
    /* a segment the queue policy dropped was not tried: it says nothing
     * of the orchestrators */
    if (!seg->dropped)
      self->consecutive_failures++;
  }
  ok = self->segments_ok;
  lost = self->segments_lost;
  failures = self->consecutive_failures;
  STATS_UNLOCK (self);
  if (seg->out.ok) {
    post_written (self, seg);
    return;
  }
  post_lost (self, seg, ok, lost);
  if (!seg->dropped && failures == self->config.max_consecutive_failures)
    GST_ELEMENT_ERROR (self, STREAM, FAILED, ("%u segments in a row could "
            "not be transcoded", failures), ("the last, segment %"
            G_GUINT64_FORMAT ": %s", seg->in.seq, seg->out.reason));
}

/* Any thread: @seg is done (written or lost); writes every segment that
 * is now next in order. */
static void
finish_segment (GstLivepeerSink * self, Segment * seg)
{
  DISPATCH_LOCK (self);
  g_hash_table_insert (self->done, &seg->in.seq, seg);
  DISPATCH_UNLOCK (self);

  g_mutex_lock (&self->write_lock);
  for (;;) {
    Segment *next;

    DISPATCH_LOCK (self);
    next = g_hash_table_lookup (self->done, &self->write_seq);
    if (next != NULL)
      g_hash_table_steal (self->done, &self->write_seq);
    DISPATCH_UNLOCK (self);
    if (next == NULL)
      break;
    write_segment (self, next);
    DISPATCH_LOCK (self);
    self->write_seq++;
    /* wakes the EOS waiting for the last segments */
    g_cond_broadcast (&self->all_done);
    DISPATCH_UNLOCK (self);
    segment_free (next);
  }
  g_mutex_unlock (&self->write_lock);
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
    finish_segment (self, seg);
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
static gboolean
open_resources (GstLivepeerSink * self)
{
  LpBroadcasterConfig config = { 0, };
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
    /* a video output is added once the job is advertised */
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
  config.manifest_id = self->config.manifest_id;
  config.max_price = self->config.max_price;
  config.slots = self->config.max_in_flight;
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
remove_chain (GstLivepeerSink * self)
{
  GstPad *src = gst_element_get_static_pad (self->entry, "src");
  GstPad *peer = gst_pad_get_peer (src);

  if (peer != NULL) {
    gst_pad_unlink (src, peer);
    gst_object_unref (peer);
  }
  gst_object_unref (src);
  if (self->first != NULL) {
    gst_element_set_state (self->first, GST_STATE_NULL);
    gst_bin_remove (GST_BIN (self), self->first);
    self->first = NULL;
  }
  self->chain_built = FALSE;
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
      segment_free (seg);
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

/* Each stream (READY to PAUSED) writes a ladder of its own: the playlists
 * start again, as hlssink2's do. */
static gboolean
open_output (GstLivepeerSink * self)
{
  GError *error = NULL;
  guint i;

  for (i = 0; i < self->profiles->len; i++)
    self->variants[i] = -1;
  self->has_source_end = FALSE;
  self->source_variant = -1;
  if (self->config.location == NULL)
    return TRUE;
  self->hls = lp_hls_writer_new (self->config.location,
      self->config.playlist_length, self->config.max_files, &error);
  if (self->hls == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_WRITE, ("location: %s",
            error->message), (NULL));
    g_error_free (error);
    return FALSE;
  }
  return TRUE;
}

/* A stream starts with no audio seen; it has audio when the request pad
 * is linked (or, for MPEG-TS, when tsdemux finds an AAC stream). */
static void
reset_audio (GstLivepeerSink * self)
{
  LpSegmentData *units;

  g_mutex_lock (&self->release_lock);
  while ((units = g_queue_pop_head (&self->awaiting)) != NULL)
    lp_segment_data_free (units);
  g_atomic_int_set (&self->awaiting_len, 0);
  g_ptr_array_set_size (self->audio, 0);
  gst_clear_caps (&self->audio_caps);
  self->audio_end = GST_CLOCK_TIME_NONE;
  self->audio_eos = FALSE;
  gst_segment_init (&self->video_segment, GST_FORMAT_TIME);
  gst_segment_init (&self->audio_segment, GST_FORMAT_TIME);
  self->video_ended = FALSE;
  self->audio_from_demux = FALSE;
  self->has_audio = self->audio_pad != NULL
      && gst_pad_is_linked (self->audio_pad);
  g_mutex_unlock (&self->release_lock);
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
  if (!check_funds (self) || !open_output (self))
    return FALSE;
  DISPATCH_LOCK (self);
  self->stopping = FALSE;
  self->errored = FALSE;
  self->next_seq = self->write_seq = 0;
  DISPATCH_UNLOCK (self);
  self->segmenter = lp_segmenter_new ((GstClockTime)
      self->config.segment_duration_ms * GST_MSECOND);
  reset_audio (self);
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
    finish_segment (self, seg);
  }
  if (self->broadcaster != NULL)
    lp_broadcaster_stop (self->broadcaster);
  if (self->hls != NULL)
    lp_hls_writer_finish (self->hls, NULL);
  g_clear_pointer (&self->hls, lp_hls_writer_free);
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
      remove_chain (self);
      break;
    case GST_STATE_CHANGE_READY_TO_NULL:
      close_resources (self);
      break;
    default:
      break;
  }
  return ret;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * LpBroadcaster: a Livepeer broadcaster's node logic, without a pipeline.
 * It owns the orchestrators one stream knows (their discovery, the
 * session each dispatch slot holds with each, the price each first
 * asked, their counts), the choice among them (lpselection), payment
 * (lpsender, lpbalance) and a segment's attempts and failover, and turns
 * one MPEG-TS segment into an outcome: its checked renditions, or the
 * reason it was lost after how many attempts. livepeersink composes it
 * and turns what it reports into its bus messages.
 *
 * It lives in ext/ rather than the core because it speaks HTTP through
 * lpbroadcastclient (libsoup) and checks renditions with GStreamer
 * pipelines (appsrc ! tsdemux ! h264parse ..., lpverify), none of which
 * the core links.
 *
 * Threads and locks: one mutex of its own guards the orchestrator table
 * (sessions, initial prices, counts), the pool's refresh time and the
 * slots handed out. It is taken inside the
 * broadcaster's calls only, never across HTTP or the listener and never
 * while taking a lock of the caller's, so a caller may hold its own locks
 * around any quick call (not lp_broadcaster_start(), _stop() or
 * _transcode(), which block on the network).
 * lp_broadcaster_start(), lp_broadcaster_stop() and lp_broadcaster_free()
 * are called from one controlling thread while no
 * lp_broadcaster_transcode() runs; lp_broadcaster_interrupt() from any
 * thread at any time; lp_broadcaster_transcode() from any number of
 * threads at once, each with its own #LpBroadcasterWorker. The listener's
 * callbacks run in the thread of the lp_broadcaster_transcode() call that
 * reports, with no lock of the broadcaster held.
 */
#pragma once

#include <gst/gst.h>
#include <gst/livepeer/lpcapability.h>
#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpledger.h>
#include <gst/livepeer/lpsender.h>
#include <gst/livepeer/lpticket.h>

#include "lpbroadcastclient.h"
#include "lprendition.h"

G_BEGIN_DECLS
/**
 * LpBroadcastVerify:
 * @LP_BROADCAST_VERIFY_NONE: trust the answer
 * @LP_BROADCAST_VERIFY_SIGNATURE: check the result's signature
 * @LP_BROADCAST_VERIFY_PIXELS: also decode every rendition and compare its
 *     pixels with the reported ones (a job's units with the segment's)
 * @LP_BROADCAST_VERIFY_QUALITY: also run lpverify on a sampled fraction
 *
 * How much of each answer is checked; the values of
 * #GstLivepeerSinkVerify.
 */
    typedef enum
{
  LP_BROADCAST_VERIFY_NONE,
  LP_BROADCAST_VERIFY_SIGNATURE,
  LP_BROADCAST_VERIFY_PIXELS,
  LP_BROADCAST_VERIFY_QUALITY,
} LpBroadcastVerify;

/**
 * LpBroadcasterConfig:
 * @orchestrators: (nullable): comma-separated base URIs; %NULL: the
 *     ledger's active orchestrators (their service URIs)
 * @job: (nullable): a capability to run instead of transcoding
 * @model: (nullable): the job's model id
 * @job_id: the job's capability id in go-livepeer's dialect
 *     (%LP_CAPABILITY_ID_FIRST to %LP_CAPABILITY_ID_LAST), with @job
 * @job_outputs: what the job returns, with @job
 * @job_unit: what the job is billed by, with @job
 * @manifest_id: the stream's manifest id
 * @max_price: the price cap (0 per unit: none)
 * @slots: sessions held with each orchestrator, one per dispatch thread
 * @verify: how much of each answer to check
 * @verify_sample_rate: the fraction of segments lpverify checks
 * @max_attempts: orchestrators tried per segment
 * @discovery_timeout_ms: the deadline of one discovery
 * @segment_timeout_ms: the deadline of one segment's exchange; 0:
 *     go-livepeer's rule (4 × its duration, at least 8 s)
 * @max_answer_size: the most bytes an answer may have; 0: from the
 *     profiles' bitrates
 * @selection_seed: the selection's random seed; 0: from the clock
 * @ledger_is_chain: the ledger is a chain: the sender's deposit and
 *     reserve are read on each new block by a thread of the broadcaster's
 *     (from lp_broadcaster_start() to lp_broadcaster_stop()), and segments
 *     read that copy
 *
 * What the broadcaster is told; copied by lp_broadcaster_new().
 */
typedef struct
{
  const gchar *orchestrators;
  const gchar *job;
  const gchar *model;
  guint32 job_id;
  LpJobOutputs job_outputs;
  LpJobUnit job_unit;
  const gchar *manifest_id;
  LpPriceInfo max_price;
  guint slots;
  LpBroadcastVerify verify;
  gdouble verify_sample_rate;
  guint max_attempts;
  guint discovery_timeout_ms;
  guint segment_timeout_ms;
  guint64 max_answer_size;
  guint32 selection_seed;
  gboolean ledger_is_chain;
} LpBroadcasterConfig;

/**
 * LpBroadcasterListener:
 * @failover: an attempt of segment @seq at @uri failed for @reason (not
 *     reported when the broadcaster was interrupted); the segment moves on
 * @cannot_pay: the broadcaster cannot pay (no deposit or reserve, or its
 *     funds unlock soon): the stream cannot go on
 *
 * What the broadcaster reports as it goes; any callback may be %NULL.
 */
typedef struct
{
  void (*failover) (guint64 seq, const gchar * uri, guint attempt,
      const gchar * reason, gpointer user_data);
  void (*cannot_pay) (const gchar * reason, gpointer user_data);
} LpBroadcasterListener;

/**
 * LpBroadcastSegment:
 * @seq: its sequence number in the stream
 * @data: the MPEG-TS to send
 * @duration_ms: its duration (> 0)
 * @width: the video's width (a job billed by pixels), or 0
 * @height: the video's height, or 0
 * @fps_num: the video's frame rate, or 0
 * @fps_den: its denominator
 * @frames: its frames (a job billed by frames)
 *
 * One segment to transcode.
 */
typedef struct
{
  guint64 seq;
  GBytes *data;
  guint duration_ms;
  gint width, height, fps_num, fps_den;
  guint frames;
} LpBroadcastSegment;

/**
 * LpBroadcastOutcome:
 * @ok: the renditions came back and passed the checks
 * @reason: (nullable): why the segment is lost
 * @orchestrator: (nullable): the URI that transcoded it
 * @attempts: orchestrators tried
 * @failures: attempts that failed
 * @tickets: tickets sent for it, all attempts
 * @latency: the successful attempt's round trip
 * @verified: the checks it passed ("none", "signature", "pixels",
 *     "quality")
 * @pixels: pixels of all renditions (a job's units)
 * @fee: (nullable): its fee, wei
 * @renditions: (element-type GBytes) (nullable): in profile order
 * @infos: (element-type LpRenditionInfo) (nullable): in profile order
 * @analysis: (nullable): a job's metadata (JSON)
 * @analysis_messages: the messages of @analysis
 *
 * What became of one segment. Zero it before use; free what it holds
 * with lp_broadcast_outcome_clear().
 */
typedef struct
{
  gboolean ok;
  gchar *reason;
  gchar *orchestrator;
  guint attempts;
  guint failures;
  guint tickets;
  GstClockTime latency;
  const gchar *verified;
  guint64 pixels;
  LpRational *fee;
  GPtrArray *renditions;
  GArray *infos;
  GBytes *analysis;
  guint analysis_messages;
} LpBroadcastOutcome;

void lp_broadcast_outcome_clear (LpBroadcastOutcome * outcome);

/**
 * LpBroadcaster:
 *
 * Opaque; see the thread contract above.
 */
typedef struct _LpBroadcaster LpBroadcaster;

/**
 * LpBroadcasterWorker:
 *
 * A dispatch thread's HTTP client and its slot among the orchestrators'
 * sessions. Opaque; the thread that made it uses it.
 */
typedef struct _LpBroadcasterWorker LpBroadcasterWorker;

LpBroadcaster *lp_broadcaster_new (const LpBroadcasterConfig * config,
    LpPrivateKey * key, LpLedger * ledger, GPtrArray * profiles,
    const LpBroadcasterListener * listener, gpointer user_data);
void lp_broadcaster_free (LpBroadcaster * broadcaster);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpBroadcaster, lp_broadcaster_free)
     guint lp_broadcaster_start (LpBroadcaster * broadcaster, gchar ** failures,
    GError ** error);
     gboolean lp_broadcaster_has_usable (LpBroadcaster * broadcaster,
    GError ** error);
     gboolean lp_broadcaster_must_pay (LpBroadcaster * broadcaster);
     gboolean lp_broadcaster_get_sender_info (LpBroadcaster * broadcaster,
    LpSenderInfo * info, GError ** error);
     const LpCapability *lp_broadcaster_get_job (LpBroadcaster * broadcaster);
     void lp_broadcaster_interrupt (LpBroadcaster * broadcaster);
     void lp_broadcaster_stop (LpBroadcaster * broadcaster);

     LpBroadcasterWorker *lp_broadcaster_worker_new (LpBroadcaster *
    broadcaster);
     void lp_broadcaster_worker_free (LpBroadcasterWorker * worker);

     gboolean lp_broadcaster_transcode (LpBroadcaster * broadcaster,
    LpBroadcasterWorker * worker, const LpBroadcastSegment * segment,
    LpBroadcastOutcome * outcome);

     void lp_broadcaster_add_orchestrator_stats (LpBroadcaster * broadcaster,
    GValue * array);

G_END_DECLS

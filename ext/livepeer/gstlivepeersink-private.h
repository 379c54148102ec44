/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What the files of livepeersink share, not installed: the element's
 * state (grouped by owner, each group under the lock that guards it; the
 * lock order is at the top of gstlivepeersink.c), a segment on its way
 * from the segmenter to the writer, and the functions each file offers
 * the others:
 *   gstlivepeersink.c         the element: properties, states, stats,
 *                             the dispatch queue and threads
 *   gstlivepeersink-input.c   the input chain, the segmenter, the audio
 *                             paired with each video segment
 *   gstlivepeersink-writer.c  the writer: renditions in sequence order
 *                             to HLS and the rendition signal, with the
 *                             messages of segments written or lost
 */
#pragma once

#include <gst/gst.h>
#include <gst/livepeer/lpbalance.h>
#include <gst/livepeer/lphls.h>
#include <gst/livepeer/lpkeystore.h>
#include <gst/livepeer/lpledger.h>

#include "gstlivepeersink.h"
#include "lpbroadcaster.h"
#include "lpsegmenter.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (gst_livepeer_sink_debug);

/* the source's variant: its name in the master playlist and the source
 * encoder's profile */
#define SOURCE_VARIANT_NAME "source"

enum
{
  SIGNAL_RENDITION,
  LAST_SIGNAL,
};

extern guint gst_livepeer_sink_signals[LAST_SIGNAL];

/* What the properties say, copied when the element starts so that the
 * dispatch threads never read the properties. */
typedef struct
{
  gchar *orchestrators;
  gchar *job;
  gchar *model;
  guint job_id;
  gchar *job_outputs;
  gchar *job_unit;
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
 * gstlivepeersink.c. */
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

/* gstlivepeersink.c */
void gst_livepeer_sink_post (GstLivepeerSink * self, GstStructure * s);
void gst_livepeer_sink_segment_free (Segment * seg);
gboolean gst_livepeer_sink_segment_has_audio (const Segment * seg);
void gst_livepeer_sink_take_segment (GstLivepeerSink * self,
    LpSegmentData * units);
gboolean gst_livepeer_sink_wait_for_segments (GstLivepeerSink * self);

/* gstlivepeersink-input.c */
void gst_livepeer_sink_input_init (GstLivepeerSink * self,
    GstPadTemplate * templ);
GstPad *gst_livepeer_sink_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps);
void gst_livepeer_sink_release_pad (GstElement * element, GstPad * pad);
void gst_livepeer_sink_reset_audio (GstLivepeerSink * self);
void gst_livepeer_sink_remove_chain (GstLivepeerSink * self);

/* gstlivepeersink-writer.c */
gboolean gst_livepeer_sink_open_output (GstLivepeerSink * self);
void gst_livepeer_sink_finish_segment (GstLivepeerSink * self, Segment * seg);
void gst_livepeer_sink_end_output (GstLivepeerSink * self);
void gst_livepeer_sink_close_output (GstLivepeerSink * self);

G_END_DECLS

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>
#include <gst/app/gstappsink.h>
#include <gst/livepeer/lpprofile.h>

G_BEGIN_DECLS

#define LP_SEGMENT_TRANSCODER_ERROR (lp_segment_transcoder_error_quark ())
GQuark lp_segment_transcoder_error_quark (void);

/**
 * LpSegmentTranscoderError:
 * @LP_SEGMENT_TRANSCODER_ERROR_INPUT: the segment is not MPEG-TS with H.264
 *     video that decodes (corrupt, not TS, no video, no keyframe)
 * @LP_SEGMENT_TRANSCODER_ERROR_ENCODER: no encoder could be used, or the
 *     pipeline failed while transcoding
 * @LP_SEGMENT_TRANSCODER_ERROR_TIMEOUT: the segment took longer than the
 *     deadline
 * @LP_SEGMENT_TRANSCODER_ERROR_CANCELLED: cancelled by the caller
 */
typedef enum
{
  LP_SEGMENT_TRANSCODER_ERROR_INPUT,
  LP_SEGMENT_TRANSCODER_ERROR_ENCODER,
  LP_SEGMENT_TRANSCODER_ERROR_TIMEOUT,
  LP_SEGMENT_TRANSCODER_ERROR_CANCELLED,
} LpSegmentTranscoderError;

/**
 * LpRendition:
 * @data: the rendition as MPEG-TS
 * @frames: encoded video frames in it
 * @width: its width, pixels
 * @height: its height, pixels
 * @pixels: frames × width × height (what the broadcaster pays for)
 */
typedef struct
{
  GBytes *data;
  guint64 frames;
  guint width;
  guint height;
  guint64 pixels;
} LpRendition;

void lp_rendition_free (LpRendition * rendition);

/**
 * LpSegmentTranscoder:
 *
 * One orchestrator session's transcoder: a GstPipeline `appsrc ! tsdemux !
 * h264parse ! lptranscodebin` (which decodes once itself) and, per profile,
 * `lptranscodebin.src_N ! h264parse ! mpegtsmux ! appsink`, built once and
 * kept across the session's segments (rebuilt after a failed one). Audio
 * and other streams are dropped. Not thread safe: one segment at a time
 * (the session's worker thread).
 */
typedef struct _LpSegmentTranscoder LpSegmentTranscoder;

LpSegmentTranscoder *lp_segment_transcoder_new (GPtrArray * profiles,
    const gchar * encoder, GError ** error);
GPtrArray *lp_segment_transcoder_transcode (LpSegmentTranscoder * transcoder,
    GBytes * segment, GstClockTime timeout, GCancellable * cancellable,
    GError ** error);
const gchar *lp_segment_transcoder_get_encoder (LpSegmentTranscoder *
    transcoder);
GstElement *lp_segment_transcoder_get_pipeline (LpSegmentTranscoder *
    transcoder);
void lp_segment_transcoder_free (LpSegmentTranscoder * transcoder);

gboolean lp_app_sink_append (GstAppSink * sink, GByteArray * data,
    GMutex * lock);

G_END_DECLS

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One orchestrator session's segment transcoder: MPEG-TS in, one
 * #LpRendition (lprendition.h) per profile out. See lpsegmenttranscoder.c
 * for the pipeline and its thread contract.
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>
#include <gst/livepeer/lpprofile.h>

#include "lprendition.h"

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

G_END_DECLS

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * livepeersink's segmenter: parsed H.264 access units are grouped into
 * segments that start on a keyframe and last at least a target duration,
 * and each segment is muxed into MPEG-TS on its own (PAT/PMT first, the
 * stream's timestamps kept, so consecutive segments play as one stream).
 * A rendition's video demuxes back into access units the same way, for
 * lp_rendition_add_audio().
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * LpSegmentData:
 * @buffers: (element-type GstBuffer): the access units, the first a
 *     keyframe (unless the stream did not start with one)
 * @caps: the stream's caps (byte-stream, alignment au)
 * @start: timestamp of the first access unit
 * @end: timestamp + duration of the last one
 * @audio: (element-type GstBuffer) (nullable): the audio frames of the
 *     same time span, parsed
 * @audio_caps: (nullable): their caps
 *
 * One segment's access units before muxing.
 */
typedef struct
{
  GPtrArray *buffers;
  GstCaps *caps;
  GstClockTime start;
  GstClockTime end;
  GPtrArray *audio;
  GstCaps *audio_caps;
} LpSegmentData;

void lp_segment_data_free (LpSegmentData * data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpSegmentData, lp_segment_data_free)

typedef struct _LpSegmenter LpSegmenter;

LpSegmenter *lp_segmenter_new (GstClockTime target);
void lp_segmenter_free (LpSegmenter * segmenter);
void lp_segmenter_set_caps (LpSegmenter * segmenter, GstCaps * caps);
LpSegmentData *lp_segmenter_push (LpSegmenter * segmenter,
    GstBuffer * buffer);
LpSegmentData *lp_segmenter_flush (LpSegmenter * segmenter);

GBytes *lp_segment_data_mux (const LpSegmentData * data, GError ** error);
LpSegmentData *lp_segment_data_demux (GBytes * ts, GError ** error);

G_END_DECLS

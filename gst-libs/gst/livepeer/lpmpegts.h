/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Timestamps inside MPEG-TS bytes (ISO/IEC 13818-1): where a segment's
 * video starts and ends, and moving every timestamp of a segment by the
 * same amount, without demuxing. Renditions keep their source segment's
 * time line this way, as go-livepeer's transcoder keeps it, so that the
 * variants of an HLS ladder line up. No GStreamer objects: bytes in,
 * bytes out. MT safe: no state.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <glib.h>

G_BEGIN_DECLS

/**
 * LP_MPEGTS_CLOCK_RATE:
 *
 * Ticks per second of PTS, DTS and the PCR base (90 kHz).
 */
#define LP_MPEGTS_CLOCK_RATE 90000

/**
 * LP_MPEGTS_TIMESTAMP_MASK:
 *
 * PTS, DTS and the PCR base are 33-bit counters that wrap (every 26.5 h).
 */
#define LP_MPEGTS_TIMESTAMP_MASK ((G_GUINT64_CONSTANT (1) << 33) - 1)

/**
 * LpMpegtsSpan:
 * @start: the earliest PTS of the first video stream, 90 kHz ticks
 * @end: its latest PTS plus one frame (the smallest step between two
 *     PTS), 90 kHz ticks; may have wrapped past @start
 * @frames: video PES packets with a PTS (one frame each for H.264
 *     muxed an access unit per PES, as every muxer here does)
 *
 * The presentation span of a segment's video.
 */
typedef struct
{
  guint64 start;
  guint64 end;
  guint frames;
} LpMpegtsSpan;

GST_LIVEPEER_API
gboolean lp_mpegts_probe (const guint8 * data, gsize size, gsize * offset,
    gsize * packet_size);

GST_LIVEPEER_API
gboolean lp_mpegts_video_span (const guint8 * data, gsize size,
    LpMpegtsSpan * span);

GST_LIVEPEER_API
guint lp_mpegts_shift (guint8 * data, gsize size, gint64 ticks);

GST_LIVEPEER_API
GBytes *lp_mpegts_align (GBytes * segment, guint64 start);

GST_LIVEPEER_API
gint64 lp_mpegts_diff (guint64 a, guint64 b);

G_END_DECLS

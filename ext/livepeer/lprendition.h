/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Renditions, on both sides: what an orchestrator's transcoder made of a
 * segment (#LpRendition: the MPEG-TS bytes and the frames and pixels it
 * encoded), and what a broadcaster learns of one it received
 * (#LpRenditionInfo, by lp_rendition_inspect(); lpverify's verdict, by
 * lp_rendition_check_quality()), and the source's audio muxed into one
 * (lp_rendition_add_audio()). Inspection and the quality check fail in
 * the %LP_BROADCAST_ERROR domain, as %LP_BROADCAST_ERROR_RENDITION.
 *
 * Threads: every call runs a pipeline of its own in the caller's thread
 * and blocks it (livepeersink calls them from its dispatch and writer
 * threads, never from a streaming thread); nothing is shared.
 */
#pragma once

#include <gst/gst.h>

#include "lpsegmenter.h"

G_BEGIN_DECLS

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
 * LpRenditionInfo:
 * @frames: decoded frames
 * @width: decoded width, pixels
 * @height: decoded height, pixels
 * @pixels: Σ over decoded frames of width × height
 * @first_pts: PTS of the first frame (%GST_CLOCK_TIME_NONE when none)
 * @end_pts: PTS + duration of the last frame
 * @codecs: (nullable): the RFC 6381 codecs string (e.g. "avc1.64001f")
 */
typedef struct
{
  guint frames;
  guint width;
  guint height;
  guint64 pixels;
  GstClockTime first_pts;
  GstClockTime end_pts;
  gchar *codecs;
} LpRenditionInfo;

void lp_rendition_info_clear (LpRenditionInfo * info);
gboolean lp_rendition_inspect (GBytes * ts, gboolean decode,
    LpRenditionInfo * info, GError ** error);

GstStructure *lp_rendition_check_quality (GBytes * source,
    GBytes * const *renditions, guint n_renditions, GError ** error);

GBytes *lp_rendition_add_audio (GBytes * rendition,
    const LpSegmentData * source, GError ** error);

G_END_DECLS

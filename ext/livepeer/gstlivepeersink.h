/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The livepeersink element's type (a GstBin; gstlivepeersink.c documents
 * the element) and the enums of its `verify` and `queue-policy`
 * properties.
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_LIVEPEER_SINK (gst_livepeer_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstLivepeerSink, gst_livepeer_sink, GST,
    LIVEPEER_SINK, GstBin);

/**
 * GstLivepeerSinkVerify:
 * @GST_LIVEPEER_SINK_VERIFY_NONE: trust the answer
 * @GST_LIVEPEER_SINK_VERIFY_SIGNATURE: check the result signature by the
 *     orchestrator's advertised address
 * @GST_LIVEPEER_SINK_VERIFY_PIXELS: also decode every rendition and check
 *     that its pixels equal the reported ones
 * @GST_LIVEPEER_SINK_VERIFY_QUALITY: also run `lpverify` (frames, sizes,
 *     PSNR, SSIM against the segment sent) on a
 *     #GstLivepeerSink:verify-sample-rate fraction of the segments
 *
 * How much of each answer livepeersink checks before it writes it.
 */
typedef enum
{
  GST_LIVEPEER_SINK_VERIFY_NONE,
  GST_LIVEPEER_SINK_VERIFY_SIGNATURE,
  GST_LIVEPEER_SINK_VERIFY_PIXELS,
  GST_LIVEPEER_SINK_VERIFY_QUALITY,
} GstLivepeerSinkVerify;

/**
 * GstLivepeerSinkQueuePolicy:
 * @GST_LIVEPEER_SINK_QUEUE_BLOCK: a full queue holds the stream back
 * @GST_LIVEPEER_SINK_QUEUE_DROP_OLDEST: a full queue drops its oldest
 *     segment, reported as lost with a QoS message
 *
 * What livepeersink does when segments arrive faster than they come back.
 */
typedef enum
{
  GST_LIVEPEER_SINK_QUEUE_BLOCK,
  GST_LIVEPEER_SINK_QUEUE_DROP_OLDEST,
} GstLivepeerSinkQueuePolicy;

GST_ELEMENT_REGISTER_DECLARE (livepeersink);

G_END_DECLS

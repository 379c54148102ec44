/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Pipeline utilities for the code that runs a short GStreamer pipeline
 * over one segment: push MPEG-TS bytes into an appsrc, collect what an
 * appsink receives as bytes, and wait on a pipeline's bus until EOS, an
 * error, a deadline or a cancellation. They know no element of ours.
 *
 * Threads: lp_appsrc_push_ts(), lp_app_sink_collect() and
 * lp_pipeline_wait() run in the caller's thread and block it;
 * lp_app_sink_append() is meant for an appsink's `new-sample` callback,
 * on a streaming thread, with the caller's lock around its append.
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>
#include <gst/app/gstappsink.h>
#include <gst/livepeer/livepeer-prelude.h>

G_BEGIN_DECLS

GST_LIVEPEER_API
void lp_appsrc_push_ts (GstElement * appsrc, GBytes * ts);

GST_LIVEPEER_API
gboolean lp_app_sink_append (GstAppSink * sink, GByteArray * data,
    GMutex * lock);

GST_LIVEPEER_API
gboolean lp_app_sink_collect (GstAppSink * sink, GstClockTime timeout,
    GByteArray * data);

/**
 * LpPipelineEnd:
 * @LP_PIPELINE_EOS: the pipeline posted EOS
 * @LP_PIPELINE_ERROR: an element posted an error (its message is given
 *     back)
 * @LP_PIPELINE_TIMEOUT: the deadline passed first
 * @LP_PIPELINE_CANCELLED: the cancellable was cancelled first
 * @LP_PIPELINE_STOPPED: the message function asked to stop
 *
 * How lp_pipeline_wait() ended.
 */
typedef enum
{
  LP_PIPELINE_EOS,
  LP_PIPELINE_ERROR,
  LP_PIPELINE_TIMEOUT,
  LP_PIPELINE_CANCELLED,
  LP_PIPELINE_STOPPED,
} LpPipelineEnd;

/**
 * LpPipelineMessageFunc:
 * @message: a message of the types the caller asked for
 * @user_data: the caller's data
 *
 * Called in the waiting thread for each such message.
 *
 * Returns: %FALSE to end the wait with %LP_PIPELINE_STOPPED
 */
typedef gboolean (*LpPipelineMessageFunc) (GstMessage * message,
    gpointer user_data);

GST_LIVEPEER_API
LpPipelineEnd lp_pipeline_wait (GstBus * bus, GstClockTime timeout,
    GCancellable * cancellable, GstMessageType types,
    LpPipelineMessageFunc func, gpointer user_data, GstMessage ** error);

G_END_DECLS

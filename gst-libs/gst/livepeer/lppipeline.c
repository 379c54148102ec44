/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:lppipeline
 * @title: Pipeline utilities
 * @short_description: feed, drain and wait on a short pipeline
 *
 * What the code that runs one segment through a GStreamer pipeline does
 * every time: push the segment's MPEG-TS bytes into an appsrc
 * (lp_appsrc_push_ts()), collect what an appsink receives as one byte
 * array (lp_app_sink_append(), lp_app_sink_collect()), and wait until the
 * pipeline reaches EOS or fails, with a deadline and a cancellable
 * (lp_pipeline_wait()). Nothing here knows an element of ours.
 *
 * Threads: each call runs in its caller's thread; lp_app_sink_append() is
 * the one meant for a streaming thread (an appsink's `new-sample`).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lppipeline.h"

#include <gst/app/gstappsrc.h>

/* posted on the bus when the cancellable is cancelled, to end the wait */
#define WAKEUP_MESSAGE "lp-pipeline-wakeup"

/**
 * lp_appsrc_push_ts:
 * @appsrc: an appsrc (in bytes format)
 * @ts: (transfer none): MPEG-TS bytes
 *
 * Feeds @ts to @appsrc as one buffer (no copy), then ends the stream.
 * In bytes, not time: tsdemux times the frames from the stream itself
 * (with an upstream time segment it exposes no pad for a short one).
 */
void
lp_appsrc_push_ts (GstElement * appsrc, GBytes * ts)
{
  GstCaps *caps = gst_caps_new_simple ("video/mpegts", "systemstream",
      G_TYPE_BOOLEAN, TRUE, "packetsize", G_TYPE_INT, 188, NULL);

  g_object_set (appsrc, "caps", caps, NULL);
  gst_caps_unref (caps);
  gst_app_src_push_buffer (GST_APP_SRC (appsrc),
      gst_buffer_new_wrapped_bytes (ts));
  gst_app_src_end_of_stream (GST_APP_SRC (appsrc));
}

/* Appends the bytes of @sample's buffer to @data, under @lock if any */
static void
append_sample (GstSample * sample, GByteArray * data, GMutex * lock)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstMapInfo map;

  if (buffer != NULL && gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    if (lock != NULL)
      g_mutex_lock (lock);
    g_byte_array_append (data, map.data, map.size);
    if (lock != NULL)
      g_mutex_unlock (lock);
    gst_buffer_unmap (buffer, &map);
  }
}

/**
 * lp_app_sink_append:
 * @sink: an appsink with a sample to pull
 * @data: where its bytes go
 * @lock: (nullable): held while they are appended
 *
 * Pulls @sink's next sample and appends its buffer's bytes to @data: an
 * appsink's `new-sample` collecting a stream (an MPEG-TS rendition).
 *
 * Returns: %FALSE when @sink had no sample (it is flushing or at EOS)
 */
gboolean
lp_app_sink_append (GstAppSink * sink, GByteArray * data, GMutex * lock)
{
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (sample == NULL)
    return FALSE;
  append_sample (sample, data, lock);
  gst_sample_unref (sample);
  return TRUE;
}

/**
 * lp_app_sink_collect:
 * @sink: an appsink (its pipeline playing)
 * @timeout: the longest wait for each sample
 * @data: where their bytes go
 *
 * Pulls @sink's samples and appends their bytes to @data until none comes
 * within @timeout (the stream ended, failed or stalled).
 *
 * Returns: whether @sink is at EOS: every sample was collected
 */
gboolean
lp_app_sink_collect (GstAppSink * sink, GstClockTime timeout,
    GByteArray * data)
{
  GstSample *sample;

  while ((sample = gst_app_sink_try_pull_sample (sink, timeout)) != NULL) {
    append_sample (sample, data, NULL);
    gst_sample_unref (sample);
  }
  return gst_app_sink_is_eos (sink);
}

static void
wake_on_cancel (GCancellable * cancellable, gpointer user_data)
{
  gst_bus_post (user_data, gst_message_new_application (NULL,
          gst_structure_new_empty (WAKEUP_MESSAGE)));
}

static gboolean
is_wakeup (GstMessage * msg)
{
  const GstStructure *s = gst_message_get_structure (msg);

  return GST_MESSAGE_TYPE (msg) == GST_MESSAGE_APPLICATION && s != NULL
      && gst_structure_has_name (s, WAKEUP_MESSAGE);
}

/**
 * lp_pipeline_wait:
 * @bus: the bus of a pipeline that was set playing
 * @timeout: how long the wait may take, or %GST_CLOCK_TIME_NONE for no
 *     limit
 * @cancellable: (nullable): ends the wait with %LP_PIPELINE_CANCELLED
 * @types: the other messages to hand to @func, besides EOS and errors
 *     (0 for none)
 * @func: (nullable) (scope call): called for each message of @types
 * @user_data: @func's data
 * @error: (out) (optional) (transfer full): the error message, when the
 *     wait ends with %LP_PIPELINE_ERROR
 *
 * Pops @bus's messages until EOS, an error, the deadline, a cancellation
 * or @func's wish to stop, whichever comes first. Cancellation and the
 * deadline are looked at before each message. Messages of other types
 * stay on the bus.
 *
 * Returns: how the wait ended
 */
LpPipelineEnd
lp_pipeline_wait (GstBus * bus, GstClockTime timeout,
    GCancellable * cancellable, GstMessageType types,
    LpPipelineMessageFunc func, gpointer user_data, GstMessage ** error)
{
  gint64 deadline = GST_CLOCK_TIME_IS_VALID (timeout) ?
      g_get_monotonic_time () + (gint64) (timeout / GST_USECOND) : -1;
  GstMessageType filter = GST_MESSAGE_EOS | GST_MESSAGE_ERROR | types;
  LpPipelineEnd end;
  gulong cancel_id = 0;

  g_return_val_if_fail (GST_IS_BUS (bus), LP_PIPELINE_ERROR);

  if (error != NULL)
    *error = NULL;
  if (cancellable != NULL) {
    filter |= GST_MESSAGE_APPLICATION;
    cancel_id = g_cancellable_connect (cancellable,
        G_CALLBACK (wake_on_cancel), gst_object_ref (bus),
        (GDestroyNotify) gst_object_unref);
  }

  while (TRUE) {
    GstClockTime wait = GST_CLOCK_TIME_NONE;
    GstMessage *msg;

    if (g_cancellable_is_cancelled (cancellable)) {
      end = LP_PIPELINE_CANCELLED;
      break;
    }
    if (deadline >= 0) {
      gint64 now = g_get_monotonic_time ();

      if (now >= deadline) {
        end = LP_PIPELINE_TIMEOUT;
        break;
      }
      wait = (deadline - now) * GST_USECOND;
    }
    msg = gst_bus_timed_pop_filtered (bus, wait, filter);
    if (msg == NULL)
      continue;
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
      gst_message_unref (msg);
      end = LP_PIPELINE_EOS;
      break;
    }
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      if (error != NULL)
        *error = msg;
      else
        gst_message_unref (msg);
      end = LP_PIPELINE_ERROR;
      break;
    }
    /* else one of @types, or a wakeup: the checks above tell why */
    if ((GST_MESSAGE_TYPE (msg) & types) && !is_wakeup (msg) && func != NULL
        && !func (msg, user_data)) {
      gst_message_unref (msg);
      end = LP_PIPELINE_STOPPED;
      break;
    }
    gst_message_unref (msg);
  }

  if (cancel_id != 0)
    g_cancellable_disconnect (cancellable, cancel_id);
  return end;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * livepeersink's input (see gstlivepeersink-private.h): the chain built
 * on the first caps (H.264, MPEG-TS through tsdemux, raw video through
 * the source encoder), the segmenter fed by a probe, and the audio (the
 * request pad or tsdemux's AAC stream) paired with each video segment
 * before the segment goes to the dispatch queue.
 *
 * Threads: the input's streaming threads (video and audio), and the
 * application's and the state thread for the request pad, the stream's
 * start and the chain's removal. The pairing state is under
 * release_lock; the video streaming thread waits in
 * gst_livepeer_sink_take_segment() on a full queue with release_lock
 * held, and holds the EOS in gst_livepeer_sink_wait_for_segments().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/pbutils/pbutils.h>
#include <gst/livepeer/lpprofile.h>

#include "gstlivepeersink-private.h"

#define GST_CAT_DEFAULT gst_livepeer_sink_debug

static GstElement *
make_child (GstLivepeerSink * self, const gchar * factory)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL && self->missing == NULL)
    self->missing = factory;
  return element;
}

static GstPadProbeReturn on_stream_data (GstPad * pad,
    GstPadProbeInfo * info, gpointer user_data);

/* h264parse ! capsfilter ! fakesink, there from the start; the segments
 * are taken from the capsfilter's output by a probe, and the fakesink
 * neither syncs nor prerolls (the element is a network sink: nothing to
 * show, no clock to wait for). A missing factory is an error at NULL to
 * READY. */
static void
add_segmenter (GstLivepeerSink * self)
{
  GstElement *filter = make_child (self, "capsfilter");
  GstElement *sink = make_child (self, "fakesink");
  GstCaps *caps;
  GstPad *pad;

  self->video_in = make_child (self, "queue");
  self->parse = make_child (self, "h264parse");
  if (self->missing != NULL) {
    gst_clear_object (&filter);
    gst_clear_object (&sink);
    gst_clear_object (&self->video_in);
    gst_clear_object (&self->parse);
    return;
  }
  caps = gst_caps_from_string ("video/x-h264, stream-format=byte-stream, "
      "alignment=au");
  g_object_set (filter, "caps", caps, NULL);
  gst_caps_unref (caps);
  g_object_set (self->parse, "config-interval", -1, NULL);
  g_object_set (sink, "sync", FALSE, "async", FALSE, "enable-last-sample",
      FALSE, NULL);
  /* the queue gives the video its own thread: a demuxer's thread also
   * carries the audio, which must get through while the video's EOS
   * waits for the last segments */
  gst_bin_add_many (GST_BIN (self), self->video_in, self->parse, filter,
      sink, NULL);
  gst_element_link_many (self->video_in, self->parse, filter, sink, NULL);
  pad = gst_element_get_static_pad (filter, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      on_stream_data, self, NULL);
  gst_object_unref (pad);
}

/* ------------------------------------------------------------------------ */
/* The chain: entry ! (per input) ! splitmuxsink */

static GstElement *
make_element (GstLivepeerSink * self, const gchar * factory)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
        ("livepeersink needs the GStreamer element '%s'", factory), (NULL));
  return element;
}

/* Raw input is encoded into the source rendition by lptranscodebin, at
 * the source's size and rate, a keyframe every segment. */
static GstElement *
make_source_encoder (GstLivepeerSink * self, GstStructure * s)
{
  GstElement *bin = make_element (self, "lptranscodebin");
  gint width = 0, height = 0, num = 0, den = 1;
  LpProfile source = { (gchar *) SOURCE_VARIANT_NAME, };
  g_autoptr (GPtrArray) list = g_ptr_array_new ();
  gchar *json;
  guint64 bitrate;

  if (bin == NULL)
    return NULL;
  gst_structure_get_int (s, "width", &width);
  gst_structure_get_int (s, "height", &height);
  if (!gst_structure_get_fraction (s, "framerate", &num, &den) || den == 0) {
    num = 0;
    den = 1;
  }
  /* about 0.1 bit per pixel: what Livepeer's presets give a source */
  bitrate = CLAMP ((guint64) width * height * (num ? num / den : 30) / 10,
      200000, 20000000);
  source.width = width;
  source.height = height;
  source.bitrate = (guint) bitrate;
  /* fps 0 keeps the source's timing: the frames are the source's, none
   * added or dropped (a frame-rate converter would add one at the end of
   * a live stream) */
  source.fps_num = 0;
  source.fps_den = 1;
  source.gop_ms = self->config.segment_duration_ms;
  g_ptr_array_add (list, &source);
  /* the name is valid: the list is written */
  json = lp_profile_list_to_json (list, NULL);
  g_object_set (bin, "profiles", json, NULL);
  g_free (json);
  return bin;
}

static GstPad *audio_input (GstLivepeerSink * self);

static void
on_demux_pad (GstElement * demux, GstPad * pad, GstLivepeerSink * self)
{
  GstPad *sink = gst_element_get_static_pad (self->video_in, "sink");
  GstCaps *caps = gst_pad_query_caps (pad, NULL);
  GstStructure *s = gst_caps_get_size (caps) > 0 ?
      gst_caps_get_structure (caps, 0) : NULL;
  GstPad *audio;

  /* the first H.264 stream and the first AAC one (carried into every
   * rendition); others stay unlinked and tsdemux keeps going as long as
   * one stream is linked */
  if (s != NULL && gst_structure_has_name (s, "video/x-h264")
      && !gst_pad_is_linked (sink)) {
    gst_pad_link (pad, sink);
  } else if (s != NULL && gst_structure_has_name (s, "audio/mpeg")
      && self->audio_pad == NULL && (audio = audio_input (self)) != NULL) {
    if (!gst_pad_is_linked (audio) && gst_pad_link (pad, audio) ==
        GST_PAD_LINK_OK) {
      g_mutex_lock (&self->release_lock);
      self->has_audio = TRUE;
      self->audio_from_demux = TRUE;
      g_mutex_unlock (&self->release_lock);
    }
    gst_object_unref (audio);
  }
  gst_caps_unref (caps);
  gst_object_unref (sink);
}

/* Builds what goes between the entry and the parser for @caps, in the
 * streaming thread that carries the first caps: nothing for H.264,
 * tsdemux for MPEG-TS, the source encoder for raw video. */
static gboolean
build_chain (GstLivepeerSink * self, GstCaps * caps)
{
  GstStructure *s = gst_caps_get_structure (caps, 0);
  GstElement *first = NULL;

  if (gst_structure_has_name (s, "video/x-h264")) {
    if (!gst_element_link (self->entry, self->video_in))
      goto link_failed;
    return TRUE;
  }
  if (gst_structure_has_name (s, "video/x-raw")) {
    first = make_source_encoder (self, s);
  } else if (gst_structure_has_name (s, "video/mpegts")) {
    first = make_element (self, "tsdemux");
    if (first != NULL)
      g_signal_connect (first, "pad-added", G_CALLBACK (on_demux_pad), self);
  }
  if (first == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (self), first);
  self->first = first;
  if (gst_structure_has_name (s, "video/x-raw")
      && !gst_element_link (first, self->video_in))
    goto link_failed;
  if (!gst_element_link (self->entry, first))
    goto link_failed;
  gst_element_sync_state_with_parent (first);
  return TRUE;

link_failed:
  GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, ("Could not build the "
          "segmenter for %" GST_PTR_FORMAT, caps), (NULL));
  return FALSE;
}

/* The entry's sink pad: a stream that ends before the typefind found
 * its type (no data, or no caps) has nothing to send; its EOS goes past
 * the typefind (which would error) straight to the fakesink. */
static GstPadProbeReturn
on_input_event (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstLivepeerSink *self = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstPad *parse_sink;
  GstSegment segment;

  if (GST_EVENT_TYPE (event) != GST_EVENT_EOS || self->chain_built
      || self->parse == NULL)
    return GST_PAD_PROBE_OK;
  parse_sink = gst_element_get_static_pad (self->video_in, "sink");
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_send_event (parse_sink, gst_event_new_stream_start
      ("livepeersink-empty"));
  gst_pad_send_event (parse_sink, gst_event_new_segment (&segment));
  gst_pad_send_event (parse_sink, gst_event_ref (event));
  gst_object_unref (parse_sink);
  return GST_PAD_PROBE_DROP;
}

static GstPadProbeReturn
on_entry_event (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstLivepeerSink *self = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstCaps *caps;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS || self->chain_built)
    return GST_PAD_PROBE_OK;
  gst_event_parse_caps (event, &caps);
  GST_DEBUG_OBJECT (self, "input %" GST_PTR_FORMAT, caps);
  self->chain_built = build_chain (self, caps);
  if (!self->chain_built) {
    GST_PAD_PROBE_INFO_FLOW_RETURN (info) = GST_FLOW_NOT_NEGOTIATED;
    return GST_PAD_PROBE_DROP;
  }
  return GST_PAD_PROBE_OK;
}

/* ------------------------------------------------------------------------ */
/* Segments and their audio */

/* Running time plus this is the segments' time line: positive even for
 * the decoding times of a stream's first frames (before its start). */
#define TIME_LINE_OFFSET (3600 * GST_SECOND)

static GstClockTime
time_line (const GstSegment * segment, GstClockTime time)
{
  guint64 running;
  gint sign;

  if (!GST_CLOCK_TIME_IS_VALID (time) || segment->format != GST_FORMAT_TIME)
    return time;
  sign = gst_segment_to_running_time_full (segment, GST_FORMAT_TIME, time,
      &running);
  if (sign > 0)
    return running + TIME_LINE_OFFSET;
  if (sign < 0 && running < TIME_LINE_OFFSET)
    return TIME_LINE_OFFSET - running;
  return sign < 0 ? 0 : GST_CLOCK_TIME_NONE;
}

/* @buffer (not its data) with its times on the segments' time line */
static GstBuffer *
on_time_line (const GstSegment * segment, GstBuffer * buffer)
{
  GstBuffer *copy = gst_buffer_copy (buffer);

  GST_BUFFER_PTS (copy) = time_line (segment, GST_BUFFER_PTS (buffer));
  GST_BUFFER_DTS (copy) = time_line (segment, GST_BUFFER_DTS (buffer));
  return copy;
}

/* The audio frames of @units' time span (all that are left for the last
 * segment) move into it. Called with release_lock held. */
static void
attach_audio_locked (GstLivepeerSink * self, LpSegmentData * units,
    gboolean last)
{
  guint i = 0;

  units->audio = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  units->audio_caps = self->audio_caps ? gst_caps_ref (self->audio_caps) :
      NULL;
  while (i < self->audio->len) {
    GstBuffer *buffer = g_ptr_array_index (self->audio, i);

    if (last || !GST_BUFFER_PTS_IS_VALID (buffer)
        || GST_BUFFER_PTS (buffer) < units->end) {
      g_ptr_array_add (units->audio, gst_buffer_ref (buffer));
      g_ptr_array_remove_index (self->audio, i);
    } else {
      i++;
    }
  }
}

/* Sends every cut segment whose audio is complete: the audio reached its
 * end, or ended. Called with release_lock held (which keeps the sequence
 * order); takes dispatch_lock. */
static void
release_segments_locked (GstLivepeerSink * self, gboolean video_ended)
{
  LpSegmentData *units;

  while ((units = g_queue_peek_head (&self->awaiting)) != NULL) {
    gboolean last = video_ended && g_queue_get_length (&self->awaiting) == 1;

    if (self->has_audio && !self->audio_eos && (last
            || !GST_CLOCK_TIME_IS_VALID (self->audio_end)
            || self->audio_end < units->end))
      break;
    g_queue_pop_head (&self->awaiting);
    if (self->has_audio)
      attach_audio_locked (self, units, last);
    gst_livepeer_sink_take_segment (self, units);
    g_atomic_int_add (&self->awaiting_len, -1);
  }
  DISPATCH_LOCK (self);
  g_cond_broadcast (&self->all_done);
  DISPATCH_UNLOCK (self);
}

/* The video streaming thread: the segmenter cut @units (NULL: nothing). */
static void
video_segment_done (GstLivepeerSink * self, LpSegmentData * units,
    gboolean video_ended)
{
  g_mutex_lock (&self->release_lock);
  if (units != NULL) {
    g_queue_push_tail (&self->awaiting, units);
    g_atomic_int_add (&self->awaiting_len, 1);
  }
  self->video_ended = video_ended;
  release_segments_locked (self, video_ended);
  g_mutex_unlock (&self->release_lock);
}

static void
take_video (GstLivepeerSink * self, GstBuffer * buffer)
{
  GstBuffer *timed = on_time_line (&self->video_segment, buffer);

  GST_LOG_OBJECT (self, "%" GST_PTR_FORMAT, timed);
  video_segment_done (self, lp_segmenter_push (self->segmenter, timed),
      FALSE);
  gst_buffer_unref (timed);
}

static gboolean
take_buffer (GstBuffer ** buffer, guint idx, gpointer user_data)
{
  take_video (user_data, *buffer);
  return TRUE;
}

/* aacparse's src pad, in the audio streaming thread: frames wait for the
 * video segment whose time span they are in. */
static GstPadProbeReturn
on_audio_data (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstLivepeerSink *self = user_data;

  g_mutex_lock (&self->release_lock);
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = on_time_line (&self->audio_segment,
        GST_PAD_PROBE_INFO_BUFFER (info));

    g_ptr_array_add (self->audio, buffer);
    if (GST_BUFFER_PTS_IS_VALID (buffer))
      self->audio_end = GST_BUFFER_PTS (buffer) +
          (GST_BUFFER_DURATION_IS_VALID (buffer) ?
          GST_BUFFER_DURATION (buffer) : 0);
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_CAPS) {
    GstCaps *caps;

    gst_event_parse_caps (GST_PAD_PROBE_INFO_EVENT (info), &caps);
    gst_caps_replace (&self->audio_caps, caps);
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_SEGMENT) {
    gst_event_copy_segment (GST_PAD_PROBE_INFO_EVENT (info),
        &self->audio_segment);
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_EOS) {
    self->audio_eos = TRUE;
  }
  release_segments_locked (self, self->video_ended);
  g_mutex_unlock (&self->release_lock);
  return GST_PAD_PROBE_OK;
}

/* aacparse ! fakesink for the audio, made when audio first comes: the
 * sink pad to feed (a new reference), NULL when it cannot be made. */
static GstPad *
audio_input (GstLivepeerSink * self)
{
  GstElement *sink;
  GstPad *pad;

  if (self->audio_in == NULL) {
    GstElement *queue = gst_element_factory_make ("queue", NULL);

    self->audio_parse = gst_element_factory_make ("aacparse", NULL);
    sink = gst_element_factory_make ("fakesink", NULL);
    if (queue == NULL || self->audio_parse == NULL || sink == NULL) {
      gst_clear_object (&queue);
      gst_clear_object (&self->audio_parse);
      gst_clear_object (&sink);
      return NULL;
    }
    g_object_set (sink, "sync", FALSE, "async", FALSE, "enable-last-sample",
        FALSE, NULL);
    gst_bin_add_many (GST_BIN (self), queue, self->audio_parse, sink, NULL);
    gst_element_link_many (queue, self->audio_parse, sink, NULL);
    self->audio_in = queue;
    pad = gst_element_get_static_pad (self->audio_parse, "src");
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
        GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, on_audio_data, self, NULL);
    gst_object_unref (pad);
    gst_element_sync_state_with_parent (sink);
    gst_element_sync_state_with_parent (self->audio_parse);
    gst_element_sync_state_with_parent (queue);
  }
  return gst_element_get_static_pad (self->audio_in, "sink");
}

GstPad *
gst_livepeer_sink_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps)
{
  GstLivepeerSink *self = GST_LIVEPEER_SINK (element);
  GstPad *target, *pad;
  gboolean from_demux;

  g_mutex_lock (&self->release_lock);
  from_demux = self->audio_from_demux;
  g_mutex_unlock (&self->release_lock);
  if (self->audio_pad != NULL || from_demux) {
    GST_WARNING_OBJECT (self, "livepeersink takes one audio stream");
    return NULL;
  }
  target = audio_input (self);
  if (target == NULL) {
    GST_ELEMENT_WARNING (self, CORE, MISSING_PLUGIN, ("livepeersink needs "
            "'aacparse' for audio"), (NULL));
    return NULL;
  }
  pad = gst_ghost_pad_new_from_template ("audio", target, templ);
  gst_object_unref (target);
  gst_pad_set_active (pad, TRUE);
  gst_element_add_pad (element, pad);
  self->audio_pad = pad;
  return pad;
}

void
gst_livepeer_sink_release_pad (GstElement * element, GstPad * pad)
{
  GstLivepeerSink *self = GST_LIVEPEER_SINK (element);

  if (pad != self->audio_pad)
    return;
  self->audio_pad = NULL;
  gst_element_remove_pad (element, pad);
}

/* The capsfilter's src pad, in the streaming thread: access units into
 * segments; at EOS the last segment, and the EOS waits for every segment
 * to be done. */
static GstPadProbeReturn
on_stream_data (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstLivepeerSink *self = user_data;

  if (self->segmenter == NULL)
    return GST_PAD_PROBE_OK;
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    take_video (self, GST_PAD_PROBE_INFO_BUFFER (info));
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    gst_buffer_list_foreach (GST_PAD_PROBE_INFO_BUFFER_LIST (info),
        take_buffer, self);
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_CAPS) {
    GstCaps *caps;

    gst_event_parse_caps (GST_PAD_PROBE_INFO_EVENT (info), &caps);
    lp_segmenter_set_caps (self->segmenter, caps);
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_SEGMENT) {
    gst_event_copy_segment (GST_PAD_PROBE_INFO_EVENT (info),
        &self->video_segment);
  } else if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
      GST_EVENT_EOS) {
    video_segment_done (self, lp_segmenter_flush (self->segmenter), TRUE);
    gst_livepeer_sink_wait_for_segments (self);
  }
  return GST_PAD_PROBE_OK;
}

/* The typefind entry behind the ghost sink pad (from @templ) and the
 * segmenter's chain, from the element's init */
void
gst_livepeer_sink_input_init (GstLivepeerSink * self, GstPadTemplate * templ)
{
  GstPad *target;

  /* the chain behind the entry depends on the caps (H.264, MPEG-TS or
   * raw); it is built when the first caps pass the entry, a typefind so
   * that a plain `filesrc` (no caps) works too */
  self->entry = gst_element_factory_make ("typefind", "entry");
  gst_bin_add (GST_BIN (self), self->entry);
  target = gst_element_get_static_pad (self->entry, "sink");
  self->sinkpad = gst_ghost_pad_new_from_template ("sink", target, templ);
  gst_pad_add_probe (target, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      on_input_event, self, NULL);
  gst_object_unref (target);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
  add_segmenter (self);
  target = gst_element_get_static_pad (self->entry, "src");
  gst_pad_add_probe (target, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      on_entry_event, self, NULL);
  gst_object_unref (target);
}

/* A stream starts with no audio seen; it has audio when the request pad
 * is linked (or, for MPEG-TS, when tsdemux finds an AAC stream). */
void
gst_livepeer_sink_reset_audio (GstLivepeerSink * self)
{
  LpSegmentData *units;

  g_mutex_lock (&self->release_lock);
  while ((units = g_queue_pop_head (&self->awaiting)) != NULL)
    lp_segment_data_free (units);
  g_atomic_int_set (&self->awaiting_len, 0);
  g_ptr_array_set_size (self->audio, 0);
  gst_clear_caps (&self->audio_caps);
  self->audio_end = GST_CLOCK_TIME_NONE;
  self->audio_eos = FALSE;
  gst_segment_init (&self->video_segment, GST_FORMAT_TIME);
  gst_segment_init (&self->audio_segment, GST_FORMAT_TIME);
  self->video_ended = FALSE;
  self->audio_from_demux = FALSE;
  self->has_audio = self->audio_pad != NULL
      && gst_pad_is_linked (self->audio_pad);
  g_mutex_unlock (&self->release_lock);
}

/* PAUSED to READY: the chain behind the entry goes (the next stream may
 * have other caps) */
void
gst_livepeer_sink_remove_chain (GstLivepeerSink * self)
{
  GstPad *src = gst_element_get_static_pad (self->entry, "src");
  GstPad *peer = gst_pad_get_peer (src);

  if (peer != NULL) {
    gst_pad_unlink (src, peer);
    gst_object_unref (peer);
  }
  gst_object_unref (src);
  if (self->first != NULL) {
    gst_element_set_state (self->first, GST_STATE_NULL);
    gst_bin_remove (GST_BIN (self), self->first);
    self->first = NULL;
  }
  self->chain_built = FALSE;
}

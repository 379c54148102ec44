/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:lpsegmenttranscoder
 * @title: LpSegmentTranscoder
 * @short_description: one orchestrator session's segment transcoder
 *
 * An #LpSegmentTranscoder turns MPEG-TS segments with H.264 video into one
 * MPEG-TS rendition per profile and counts the pixels encoded, which is what
 * the broadcaster pays for. It owns one GstPipeline:
 *
 * ```
 * appsrc (video/mpegts) ! tsdemux ! h264parse ! lptranscodebin
 *     lptranscodebin.src_N ! h264parse ! mpegtsmux ! appsink   (per profile)
 * ```
 *
 * lptranscodebin decodes the video once itself (on the GPU where its
 * encoder lives), so the input stays encoded up to it. Only the first H.264
 * stream of the segment is transcoded; audio and any other stream are
 * dropped (each into a fakesink, so that tsdemux never sees "not linked"):
 * Livepeer's renditions are video only.
 *
 * The pipeline is built once and kept across the session's segments: after
 * each good segment it goes back to READY, which resets the muxers and the
 * ladder but keeps their elements (only tsdemux is made anew, see
 * add_demuxer()), and the encoder lptranscodebin
 * chose for the first segment is pinned for the next ones. After a failure
 * (bad input, encoder error, timeout, cancellation) the pipeline is thrown
 * away and rebuilt for the next segment, so that nothing of a broken
 * segment leaks into the next one.
 *
 * Frames are counted on each muxer's sink pad: every buffer there is one
 * encoded access unit (h264parse aligns on access units) that the muxer
 * writes into the rendition, so the count is exactly the frames the
 * broadcaster receives.
 *
 * Threads: not thread safe. One segment at a time, from one thread (the
 * session's worker); lp_segment_transcoder_transcode() blocks until the
 * segment is done, fails, times out or is cancelled.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpsegmenttranscoder.h"

#include <gst/app/app.h>
#include <gst/livepeer/lpmpegts.h>
#include <gst/livepeer/lppipeline.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (lp_segment_transcoder_debug);
#define GST_CAT_DEFAULT lp_segment_transcoder_debug

/* go-livepeer's "ZeroSegments": a rendition smaller than this holds no
 * video, whatever it says */
#define MIN_RENDITION_BYTES 25

#define WAKEUP_MESSAGE "lp-segment-transcoder-wakeup"

/* What one rendition of the current segment came to. Written by the
 * streaming threads under the transcoder's lock, read after EOS. */
typedef struct
{
  LpSegmentTranscoder *self;    /* the owner (no ref) */
  GstPad *mux_pad;              /* the muxer's request pad (ref) */
  GstElement *mux;              /* (ref) */
  GByteArray *data;
  guint64 frames, pixels;
  guint width, height;
} Output;

struct _LpSegmentTranscoder
{
  GPtrArray *profiles;          /* LpProfile, our copies */
  gchar *profiles_json;         /* what lptranscodebin gets */
  gchar *encoder;               /* as asked: "auto" or a factory */
  gchar *selected_encoder;      /* what lptranscodebin chose, or NULL */
  gboolean encoder_pinned;      /* next pipelines use selected_encoder */

  /* the pipeline; NULL between a failure and the next segment */
  GstElement *pipeline;
  GstBus *bus;
  GstElement *src, *demux, *parse, *ladder;
  GPtrArray *outputs;           /* Output, one per profile */

  GMutex lock;
  /* the current segment, under lock: written by streaming threads */
  gboolean video_linked;
  GString *other_streams;       /* media types of the streams dropped */
  GPtrArray *drops;             /* fakesinks of those streams (refs) */
  guint64 video_buffers;        /* access units out of tsdemux/h264parse */
  guint64 skipped_deltas;       /* before the first keyframe */
  gboolean keyframe_seen;
  gboolean decoded;             /* decoded caps reached the ladder */
  GError *stream_error;         /* the first problem a probe found */
};

G_DEFINE_QUARK (lp-segment-transcoder-error-quark, lp_segment_transcoder_error);

static void
init_debug (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (lp_segment_transcoder_debug,
        "lpsegmenttranscoder", 0, "Livepeer orchestrator segment transcoder");
    g_once_init_leave (&done, 1);
  }
}

/* --- profiles ------------------------------------------------------------ */

/* Validate the profiles the way lptranscodebin will read them, so that a
 * bad one fails here with its reason rather than at the first segment. */
static gchar *
make_profiles_json (GPtrArray * profiles, GError ** error)
{
  g_autofree gchar *json = NULL;
  g_autoptr (GPtrArray) parsed = NULL;
  guint i;

  if (profiles->len == 0) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_EMPTY,
        "the profile list is empty");
    return NULL;
  }
  if (!(json = lp_profile_list_to_json (profiles, error)))
    return NULL;
  if (!(parsed = lp_profile_list_from_json (json, -1, error)))
    return NULL;
  for (i = 0; i < profiles->len; i++) {
    const LpProfile *p = g_ptr_array_index (profiles, i);
    if (!lp_profile_equal (p, g_ptr_array_index (parsed, i))) {
      /* a value JSON cannot carry, such as a GOP of more than an hour */
      g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_INVALID_VALUE,
          "profile '%s' (%ux%u, %u bit/s, gop %d ms) is out of range",
          p->name, p->width, p->height, p->bitrate, p->gop_ms);
      return NULL;
    }
  }
  return g_steal_pointer (&json);
}

/* --- errors --------------------------------------------------------------- */

/* Called from streaming threads: remember the first problem and wake the
 * waiting thread. */
static void
fail_segment (LpSegmentTranscoder * self, LpSegmentTranscoderError code,
    const gchar * format, ...) G_GNUC_PRINTF (3, 4);

static void
fail_segment (LpSegmentTranscoder * self, LpSegmentTranscoderError code,
    const gchar * format, ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (LP_SEGMENT_TRANSCODER_ERROR, code, format, args);
  va_end (args);

  GST_INFO ("segment failed: %s", error->message);
  g_mutex_lock (&self->lock);
  if (self->stream_error == NULL) {
    self->stream_error = error;
    error = NULL;
  }
  g_mutex_unlock (&self->lock);
  g_clear_error (&error);

  gst_bus_post (self->bus, gst_message_new_application (NULL,
          gst_structure_new_empty (WAKEUP_MESSAGE)));
}

/* GStreamer's debug strings are "file(line): function (): object:\ndetail":
 * the detail, or NULL */
static const gchar *
debug_detail (const gchar * debug)
{
  const gchar *newline = debug ? strrchr (debug, '\n') : NULL;

  return newline && newline[1] ? newline + 1 : NULL;
}

static gboolean
is_within (GstObject * object, GstObject * ancestor)
{
  return ancestor != NULL && (object == ancestor
      || gst_object_has_as_ancestor (object, ancestor));
}

/* Whose fault an error message is: the segment's (INPUT) when the demuxer,
 * the parser or the decoder inside lptranscodebin rejected the stream,
 * ours (ENCODER) for anything else: encoders, scalers, muxers, missing
 * plugins. */
static void
error_from_message (LpSegmentTranscoder * self, GstMessage * msg,
    GError ** error)
{
  g_autoptr (GError) err = NULL;
  g_autofree gchar *debug = NULL;
  g_autofree gchar *path = NULL;
  g_autoptr (GstElement) decoder = NULL;
  GstObject *src = GST_MESSAGE_SRC (msg);
  const gchar *detail;

  gst_message_parse_error (msg, &err, &debug);
  detail = debug_detail (debug);
  path = src ? gst_object_get_path_string (src) : g_strdup ("?");
  GST_INFO ("error from %s: %s (%s)", path, err->message,
      debug ? debug : "no details");

  /* lptranscodebin names its decodebin "decoder" */
  if (self->ladder != NULL)
    decoder = gst_bin_get_by_name (GST_BIN (self->ladder), "decoder");

  if (g_error_matches (err, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN)) {
    g_set_error (error, LP_SEGMENT_TRANSCODER_ERROR,
        LP_SEGMENT_TRANSCODER_ERROR_ENCODER,
        "A GStreamer plugin is missing on the orchestrator: %s", err->message);
  } else if (src == GST_OBJECT (self->demux)) {
    g_set_error (error, LP_SEGMENT_TRANSCODER_ERROR,
        LP_SEGMENT_TRANSCODER_ERROR_INPUT,
        "The segment is not valid MPEG-TS with a video stream "
        "(the demuxer says: %s)", err->message);
  } else if (src == GST_OBJECT (self->parse)) {
    guint64 frames;

    g_mutex_lock (&self->lock);
    frames = self->video_buffers;
    g_mutex_unlock (&self->lock);
    /* h264parse drops slices until it has SPS and PPS, which come with
     * keyframes: nothing out of it means no keyframe in the segment */
    g_set_error (error, LP_SEGMENT_TRANSCODER_ERROR,
        LP_SEGMENT_TRANSCODER_ERROR_INPUT, frames == 0 ?
        "The segment's H.264 video holds no decodable frame: no keyframe "
        "with its SPS/PPS (the parser says: %s). Cut segments on keyframes." :
        "The segment's H.264 video is corrupt (the parser says: %s)",
        err->message);
  } else if (src != NULL && err->domain == GST_STREAM_ERROR
      && is_within (src, GST_OBJECT (decoder))) {
    g_set_error (error, LP_SEGMENT_TRANSCODER_ERROR,
        LP_SEGMENT_TRANSCODER_ERROR_INPUT,
        "The segment's H.264 video cannot be decoded: it is corrupt or does "
        "not start with a keyframe (the decoder says: %s)", err->message);
  } else {
    /* the appsrc only reports what stopped the flow downstream: the detail
     * (e.g. "reason not-negotiated") is all there is to say */
    g_set_error (error, LP_SEGMENT_TRANSCODER_ERROR,
        LP_SEGMENT_TRANSCODER_ERROR_ENCODER,
        "Transcoding failed in %s: %s%s%s%s",
        src ? GST_OBJECT_NAME (src) : "the pipeline", err->message,
        detail ? " (" : "", detail ? detail : "", detail ? ")" : "");
  }
}

/* --- streaming-thread callbacks ------------------------------------------- */

static GstFlowReturn
appsink_new_sample (GstAppSink * sink, gpointer user_data)
{
  Output *out = user_data;

  return lp_app_sink_append (sink, out->data, &out->self->lock) ?
      GST_FLOW_OK : GST_FLOW_FLUSHING;
}

static gboolean
count_buffer (GstBuffer ** buffer, guint idx, gpointer user_data)
{
  Output *out = user_data;

  out->frames++;
  out->pixels += (guint64) out->width * out->height;
  return TRUE;
}

/* On each muxer's sink pad: every buffer is one encoded access unit that
 * goes into the rendition. Sizes come from the caps there (h264parse puts
 * the coded size in them); pixels add up frame by frame, so a size change
 * inside a segment is still paid exactly. */
static GstPadProbeReturn
count_frames (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Output *out = user_data;
  LpSegmentTranscoder *self = out->self;

  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
    GstCaps *caps;
    const GstStructure *s;
    gint width = 0, height = 0;

    if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
      return GST_PAD_PROBE_OK;
    gst_event_parse_caps (event, &caps);
    s = gst_caps_get_structure (caps, 0);
    gst_structure_get_int (s, "width", &width);
    gst_structure_get_int (s, "height", &height);
    g_mutex_lock (&self->lock);
    out->width = MAX (width, 0);
    out->height = MAX (height, 0);
    g_mutex_unlock (&self->lock);
    return GST_PAD_PROBE_OK;
  }

  g_mutex_lock (&self->lock);
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
    count_buffer (&buffer, 0, out);
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    gst_buffer_list_foreach (GST_PAD_PROBE_INFO_BUFFER_LIST (info),
        count_buffer, out);
  }
  g_mutex_unlock (&self->lock);
  return GST_PAD_PROBE_OK;
}

/* The segment now starts at @start: with the frames before it dropped, a
 * videorate (lptranscodebin has one per rendition) would otherwise fill
 * the gap from the old start with copies of the first frame, and the
 * broadcaster would pay for them. */
static void
restart_segment_at (GstPad * pad, GstClockTime start)
{
  GstEvent *event = gst_pad_get_sticky_event (pad, GST_EVENT_SEGMENT, 0);
  GstSegment segment;

  if (event == NULL)
    return;
  gst_event_copy_segment (event, &segment);
  if (segment.format == GST_FORMAT_TIME && start > segment.start) {
    GstEvent *update;

    GST_DEBUG ("segment restarts at %" GST_TIME_FORMAT, GST_TIME_ARGS (start));
    segment.start = segment.time = segment.position = start;
    update = gst_event_new_segment (&segment);
    gst_event_set_seqnum (update, gst_event_get_seqnum (event));
    gst_pad_push_event (pad, update);
  }
  gst_event_unref (event);
}

/* After the input h264parse: frames before the first keyframe of a segment
 * reference pictures the segment does not have. Decoders differ in what
 * they make of them (libav conceals and outputs grey frames), so they are
 * dropped here, and a segment without any keyframe fails plainly. */
static GstPadProbeReturn
keyframe_gate (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  LpSegmentTranscoder *self = user_data;
  guint64 seen, skipped;
  gboolean keyframe;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
    gboolean drop, first_after_skip = FALSE;

    g_mutex_lock (&self->lock);
    self->video_buffers++;
    if (!self->keyframe_seen
        && !GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT)) {
      self->keyframe_seen = TRUE;
      first_after_skip = self->skipped_deltas > 0;
    }
    drop = !self->keyframe_seen;
    if (drop)
      self->skipped_deltas++;
    g_mutex_unlock (&self->lock);

    if (first_after_skip && GST_BUFFER_PTS_IS_VALID (buffer))
      restart_segment_at (pad, GST_BUFFER_PTS (buffer));
    return drop ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
  }

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_EOS)
    return GST_PAD_PROBE_OK;

  g_mutex_lock (&self->lock);
  seen = self->video_buffers;
  skipped = self->skipped_deltas;
  keyframe = self->keyframe_seen;
  g_mutex_unlock (&self->lock);

  if (seen == 0)
    fail_segment (self, LP_SEGMENT_TRANSCODER_ERROR_INPUT,
        "The segment's H.264 video holds no decodable frame: no keyframe "
        "with its SPS/PPS (or no video data at all). Cut segments on "
        "keyframes.");
  else if (!keyframe)
    fail_segment (self, LP_SEGMENT_TRANSCODER_ERROR_INPUT,
        "The segment's video has no keyframe: its %" G_GUINT64_FORMAT
        " frame(s) cannot be decoded on their own. Cut segments on "
        "keyframes (IDR frames).", skipped);
  else
    return GST_PAD_PROBE_OK;
  /* the ladder would wait for caps that never come */
  return GST_PAD_PROBE_DROP;
}

/* The appsrc's streaming thread, once its EOS push has returned: tsdemux
 * has seen the whole segment, added every pad it was going to add and
 * pushed EOS into them; h264parse and the decoder inside lptranscodebin
 * (same thread, no queue before the ladder's tee) have drained. If no
 * video reached the ladder by now, none will, and lptranscodebin, which
 * only links its encoders once decoded caps arrive, would never pass EOS
 * on: fail now instead of waiting for the deadline. */
static GstPadProbeReturn
input_drained (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  LpSegmentTranscoder *self = user_data;
  g_autofree gchar *others = NULL;
  gboolean video, keyframe, decoded;
  guint64 frames;

  g_mutex_lock (&self->lock);
  video = self->video_linked;
  keyframe = self->keyframe_seen;
  decoded = self->decoded;
  frames = self->video_buffers - self->skipped_deltas;
  others = g_strdup (self->other_streams->str);
  g_mutex_unlock (&self->lock);

  if (!video)
    fail_segment (self, LP_SEGMENT_TRANSCODER_ERROR_INPUT,
        "The segment has no H.264 video stream (it holds: %s).",
        *others ? others : "no program or stream with data");
  else if (keyframe && !decoded)
    fail_segment (self, LP_SEGMENT_TRANSCODER_ERROR_INPUT,
        "No frame of the segment's H.264 video could be decoded (%"
        G_GUINT64_FORMAT " frame(s) from its first keyframe on): it is "
        "corrupt.", frames);
  /* else the keyframe gate has said why, or the segment is fine */
  return GST_PAD_PROBE_REMOVE;
}

/* On tsdemux's sink pad, called from the appsrc's push of EOS (the appsrc
 * pad is busy): an idle probe on the appsrc pad runs once that push, with
 * all tsdemux does for it, has returned. */
static GstPadProbeReturn
input_eos (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  LpSegmentTranscoder *self = user_data;
  GstPad *src_pad;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_EOS)
    return GST_PAD_PROBE_OK;
  src_pad = gst_pad_get_peer (pad);
  if (src_pad != NULL) {
    gst_pad_add_probe (src_pad, GST_PAD_PROBE_TYPE_IDLE, input_drained, self,
        NULL);
    gst_object_unref (src_pad);
  }
  return GST_PAD_PROBE_OK;
}

/* Any thread: lptranscodebin posts its ladder message when decoded caps
 * reach its tee, before they go on to the renditions. */
static GstBusSyncReply
watch_ladder (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  LpSegmentTranscoder *self = user_data;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT
      && gst_message_has_name (msg, "lptranscodebin-ladder")) {
    g_mutex_lock (&self->lock);
    self->decoded = TRUE;
    g_mutex_unlock (&self->lock);
  }
  return GST_BUS_PASS;
}

/* Streaming thread of tsdemux: link the first H.264 stream to the ladder,
 * drop everything else. */
static void
demux_pad_added (GstElement * demux, GstPad * pad, gpointer user_data)
{
  LpSegmentTranscoder *self = user_data;
  g_autoptr (GstCaps) caps = gst_pad_get_current_caps (pad);
  g_autoptr (GstPad) parse_sink = gst_element_get_static_pad (self->parse,
      "sink");
  const gchar *type;
  GstElement *drop;
  GstPad *drop_sink;
  gboolean link_video;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  type = gst_caps_is_empty (caps) ? "unknown" :
      gst_structure_get_name (gst_caps_get_structure (caps, 0));

  g_mutex_lock (&self->lock);
  link_video = !self->video_linked && g_str_equal (type, "video/x-h264");
  if (!link_video)
    g_string_append_printf (self->other_streams, "%s%s",
        self->other_streams->len ? ", " : "", type);
  g_mutex_unlock (&self->lock);

  if (link_video) {
    GstPadLinkReturn ret = gst_pad_link (pad, parse_sink);
    if (GST_PAD_LINK_SUCCESSFUL (ret)) {
      g_mutex_lock (&self->lock);
      self->video_linked = TRUE;
      g_mutex_unlock (&self->lock);
      GST_DEBUG ("linked video stream %s", GST_PAD_NAME (pad));
      return;
    }
    fail_segment (self, LP_SEGMENT_TRANSCODER_ERROR_ENCODER,
        "Cannot link the segment's video to the transcoder: %s",
        gst_pad_link_get_name (ret));
  }

  /* Audio and other streams: not part of a Livepeer rendition. A fakesink
   * takes them so that tsdemux does not stop with "not linked". */
  GST_DEBUG ("dropping stream %s (%s)", GST_PAD_NAME (pad), type);
  drop = gst_element_factory_make ("fakesink", NULL);
  if (drop == NULL) {
    fail_segment (self, LP_SEGMENT_TRANSCODER_ERROR_ENCODER,
        "element 'fakesink' is missing");
    return;
  }
  g_object_set (drop, "sync", FALSE, "async", FALSE, "enable-last-sample",
      FALSE, NULL);
  gst_bin_add (GST_BIN (self->pipeline), drop);
  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->drops, gst_object_ref (drop));
  g_mutex_unlock (&self->lock);
  gst_element_sync_state_with_parent (drop);
  drop_sink = gst_element_get_static_pad (drop, "sink");
  gst_pad_link (pad, drop_sink);
  gst_object_unref (drop_sink);
}

/* --- the pipeline --------------------------------------------------------- */

static void
output_free (Output * out)
{
  if (out->mux != NULL && out->mux_pad != NULL)
    gst_element_release_request_pad (out->mux, out->mux_pad);
  gst_clear_object (&out->mux_pad);
  gst_clear_object (&out->mux);
  if (out->data != NULL)
    g_byte_array_unref (out->data);
  g_free (out);
}

static GstElement *
make (const gchar * factory, const gchar * name, GError ** error)
{
  GstElement *element = gst_element_factory_make (factory, name);

  if (element == NULL)
    g_set_error (error, LP_SEGMENT_TRANSCODER_ERROR,
        LP_SEGMENT_TRANSCODER_ERROR_ENCODER,
        "GStreamer element '%s' is missing on the orchestrator; install the "
        "plugin that provides it", factory);
  return element;
}

static void
teardown (LpSegmentTranscoder * self)
{
  if (self->pipeline == NULL)
    return;
  GST_DEBUG ("tearing the pipeline down");
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  /* the muxers' request pads go with their outputs */
  g_clear_pointer (&self->outputs, g_ptr_array_unref);
  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->drops, 0);
  g_mutex_unlock (&self->lock);
  if (self->demux != NULL)
    g_signal_handlers_disconnect_by_data (self->demux, self);
  gst_bus_set_sync_handler (self->bus, NULL, NULL, NULL);
  self->src = self->demux = self->parse = self->ladder = NULL;
  gst_clear_object (&self->bus);
  gst_clear_object (&self->pipeline);
}

static gboolean
build_output (LpSegmentTranscoder * self, guint index, GError ** error)
{
  g_autofree gchar *pad_name = g_strdup_printf ("src_%u", index);
  g_autofree gchar *parse_name = g_strdup_printf ("r%u-parse", index);
  g_autofree gchar *mux_name = g_strdup_printf ("r%u-mux", index);
  g_autofree gchar *sink_name = g_strdup_printf ("r%u-sink", index);
  GstAppSinkCallbacks callbacks = { NULL, NULL, appsink_new_sample, };
  GstElement *parse, *mux, *sink;
  g_autoptr (GstPad) parse_src = NULL;
  Output *out;

  if (!(parse = make ("h264parse", parse_name, error)))
    return FALSE;
  if (!(mux = make ("mpegtsmux", mux_name, error))) {
    gst_object_unref (gst_object_ref_sink (parse));
    return FALSE;
  }
  if (!(sink = make ("appsink", sink_name, error))) {
    gst_object_unref (gst_object_ref_sink (parse));
    gst_object_unref (gst_object_ref_sink (mux));
    return FALSE;
  }
  gst_bin_add_many (GST_BIN (self->pipeline), parse, mux, sink, NULL);

  out = g_new0 (Output, 1);
  out->self = self;
  out->data = g_byte_array_new ();
  out->mux = gst_object_ref (mux);
  g_ptr_array_add (self->outputs, out);

  /* no clock and no preroll: the segment is pushed as fast as it encodes,
   * and no sink holds the others up waiting for its first buffer */
  g_object_set (sink, "sync", FALSE, "async", FALSE, "enable-last-sample",
      FALSE, "max-buffers", 0, "drop", FALSE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, out, NULL);

  out->mux_pad = gst_element_request_pad_simple (mux, "sink_%d");
  parse_src = gst_element_get_static_pad (parse, "src");
  if (out->mux_pad == NULL
      || !gst_element_link_pads (self->ladder, pad_name, parse, "sink")
      || GST_PAD_LINK_FAILED (gst_pad_link (parse_src, out->mux_pad))
      || !gst_element_link (mux, sink)) {
    g_set_error (error, LP_SEGMENT_TRANSCODER_ERROR,
        LP_SEGMENT_TRANSCODER_ERROR_ENCODER,
        "cannot link the output of rendition %u", index);
    return FALSE;
  }
  gst_pad_add_probe (out->mux_pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      count_frames, out, NULL);
  return TRUE;
}

/* A fresh tsdemux after the appsrc. Every segment gets its own: a demuxer
 * kept across segments maps the timestamps of the next one through the
 * clock references it learnt from the earlier ones (byte offsets restart
 * at 0 with each segment), which from the fourth consecutive segment on
 * times frames up to 2 s late and the ladder's videorate fills the gap
 * with copies. */
static gboolean
add_demuxer (LpSegmentTranscoder * self, GError ** error)
{
  g_autoptr (GstPad) demux_sink = NULL;

  if (!(self->demux = make ("tsdemux", "demux", error)))
    return FALSE;
  gst_bin_add (GST_BIN (self->pipeline), self->demux);
  if (!gst_element_link (self->src, self->demux)) {
    g_set_error (error, LP_SEGMENT_TRANSCODER_ERROR,
        LP_SEGMENT_TRANSCODER_ERROR_ENCODER,
        "cannot link the input of the transcode pipeline");
    return FALSE;
  }
  g_signal_connect (self->demux, "pad-added", G_CALLBACK (demux_pad_added),
      self);
  demux_sink = gst_element_get_static_pad (self->demux, "sink");
  gst_pad_add_probe (demux_sink, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      input_eos, self, NULL);
  return TRUE;
}

static gboolean
build (LpSegmentTranscoder * self, GError ** error)
{
  g_autoptr (GstCaps) caps = NULL;
  g_autoptr (GstPad) parse_src = NULL;
  const gchar *encoder = self->encoder_pinned ? self->selected_encoder :
      self->encoder;
  guint i;

  GST_DEBUG ("building the pipeline for %u profile(s), encoder %s",
      self->profiles->len, encoder);
  self->pipeline = gst_pipeline_new (NULL);
  gst_object_ref_sink (self->pipeline);
  self->bus = gst_element_get_bus (self->pipeline);
  gst_bus_set_sync_handler (self->bus, watch_ladder, self, NULL);
  self->outputs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      output_free);

  if (!(self->src = make ("appsrc", "src", error)))
    goto failed;
  gst_bin_add (GST_BIN (self->pipeline), self->src);
  if (!add_demuxer (self, error))
    goto failed;
  if (!(self->parse = make ("h264parse", "parse", error)))
    goto failed;
  gst_bin_add (GST_BIN (self->pipeline), self->parse);
  if (!(self->ladder = make ("lptranscodebin", "ladder", error)))
    goto failed;
  gst_bin_add (GST_BIN (self->pipeline), self->ladder);

  caps = gst_caps_new_simple ("video/mpegts", "systemstream", G_TYPE_BOOLEAN,
      TRUE, NULL);
  g_object_set (self->src, "caps", caps, "format", GST_FORMAT_BYTES,
      "stream-type", GST_APP_STREAM_TYPE_STREAM, NULL);
  g_object_set (self->ladder, "profiles", self->profiles_json, "encoder",
      encoder, NULL);

  if (!gst_element_link (self->parse, self->ladder)) {
    g_set_error (error, LP_SEGMENT_TRANSCODER_ERROR,
        LP_SEGMENT_TRANSCODER_ERROR_ENCODER,
        "cannot link the input of the transcode pipeline");
    goto failed;
  }
  parse_src = gst_element_get_static_pad (self->parse, "src");
  gst_pad_add_probe (parse_src, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, keyframe_gate, self, NULL);

  for (i = 0; i < self->profiles->len; i++) {
    if (!build_output (self, i, error))
      goto failed;
  }

  /* READY checks lptranscodebin's profiles; the encoder is chosen at the
   * first segment (READY to PAUSED) */
  if (gst_element_set_state (self->pipeline, GST_STATE_READY) ==
      GST_STATE_CHANGE_FAILURE) {
    g_autoptr (GstMessage) msg = gst_bus_pop_filtered (self->bus,
        GST_MESSAGE_ERROR);
    if (msg != NULL)
      error_from_message (self, msg, error);
    else
      g_set_error (error, LP_SEGMENT_TRANSCODER_ERROR,
          LP_SEGMENT_TRANSCODER_ERROR_ENCODER,
          "the transcode pipeline does not start");
    goto failed;
  }
  return TRUE;

failed:
  teardown (self);
  return FALSE;
}

/* Back to READY after a good segment: forgets the stream, keeps the
 * elements. The streams dropped this time had their own fakesinks. */
static void
reset (LpSegmentTranscoder * self)
{
  g_autoptr (GPtrArray) drops = NULL;
  GError *error = NULL;
  guint i;

  if (gst_element_set_state (self->pipeline, GST_STATE_READY) ==
      GST_STATE_CHANGE_FAILURE) {
    GST_INFO ("the pipeline does not go back to READY; rebuilding it for the "
        "next segment");
    teardown (self);
    return;
  }
  g_mutex_lock (&self->lock);
  drops = self->drops;
  self->drops = g_ptr_array_new_with_free_func (gst_object_unref);
  g_mutex_unlock (&self->lock);
  for (i = 0; i < drops->len; i++) {
    GstElement *drop = g_ptr_array_index (drops, i);
    gst_element_set_state (drop, GST_STATE_NULL);
    gst_bin_remove (GST_BIN (self->pipeline), drop);
  }

  g_signal_handlers_disconnect_by_data (self->demux, self);
  gst_element_set_state (self->demux, GST_STATE_NULL);
  gst_bin_remove (GST_BIN (self->pipeline), self->demux);
  self->demux = NULL;
  if (!add_demuxer (self, &error)
      || !gst_element_sync_state_with_parent (self->demux)) {
    GST_INFO ("no new demuxer (%s); rebuilding the pipeline for the next "
        "segment", error != NULL ? error->message : "state");
    g_clear_error (&error);
    teardown (self);
  }
}

static void
start_segment (LpSegmentTranscoder * self)
{
  guint i;

  g_mutex_lock (&self->lock);
  self->video_linked = FALSE;
  g_string_truncate (self->other_streams, 0);
  self->video_buffers = self->skipped_deltas = 0;
  self->keyframe_seen = FALSE;
  self->decoded = FALSE;
  g_clear_error (&self->stream_error);
  for (i = 0; i < self->outputs->len; i++) {
    Output *out = g_ptr_array_index (self->outputs, i);
    g_byte_array_set_size (out->data, 0);
    out->frames = out->pixels = 0;
    out->width = out->height = 0;
  }
  g_mutex_unlock (&self->lock);

  /* messages of an earlier segment (a late wakeup) must not end this one */
  gst_bus_set_flushing (self->bus, TRUE);
  gst_bus_set_flushing (self->bus, FALSE);
}

/* --- API ------------------------------------------------------------------ */

/**
 * lp_segment_transcoder_new:
 * @profiles: (element-type LpProfile) (transfer none): the renditions, in
 *     the order they are returned
 * @encoder: (nullable): "auto" (or %NULL) for lptranscodebin's choice, or
 *     an H.264 encoder factory name
 * @error: %LP_PROFILE_ERROR for an invalid profile,
 *     %LP_SEGMENT_TRANSCODER_ERROR_ENCODER when an element or the encoder is
 *     missing
 *
 * Builds the session's pipeline (in READY: nothing is allocated for video
 * yet; the encoder is chosen at the first segment).
 *
 * Returns: (transfer full) (nullable): the transcoder
 */
LpSegmentTranscoder *
lp_segment_transcoder_new (GPtrArray * profiles, const gchar * encoder,
    GError ** error)
{
  LpSegmentTranscoder *self;
  gchar *json;
  guint i;

  g_return_val_if_fail (profiles != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  init_debug ();
  if (encoder == NULL || *encoder == '\0')
    encoder = "auto";

  if (!(json = make_profiles_json (profiles, error)))
    return NULL;
  if (!g_str_equal (encoder, "auto")) {
    g_autoptr (GstElementFactory) factory = gst_element_factory_find (encoder);
    if (factory == NULL) {
      g_set_error (error, LP_SEGMENT_TRANSCODER_ERROR,
          LP_SEGMENT_TRANSCODER_ERROR_ENCODER,
          "encoder '%s' is not installed (see gst-inspect-1.0 %s)", encoder,
          encoder);
      g_free (json);
      return NULL;
    }
  }

  self = g_new0 (LpSegmentTranscoder, 1);
  g_mutex_init (&self->lock);
  self->profiles = g_ptr_array_new_with_free_func ((GDestroyNotify)
      lp_profile_free);
  for (i = 0; i < profiles->len; i++)
    g_ptr_array_add (self->profiles,
        lp_profile_copy (g_ptr_array_index (profiles, i)));
  self->profiles_json = json;
  self->encoder = g_strdup (encoder);
  self->other_streams = g_string_new (NULL);
  self->drops = g_ptr_array_new_with_free_func (gst_object_unref);

  if (!build (self, error)) {
    lp_segment_transcoder_free (self);
    return NULL;
  }
  GST_INFO ("transcoder for %s", json);
  return self;
}

/**
 * lp_segment_transcoder_free:
 * @transcoder: (nullable) (transfer full): a transcoder
 */
void
lp_segment_transcoder_free (LpSegmentTranscoder * self)
{
  if (self == NULL)
    return;
  teardown (self);
  g_ptr_array_unref (self->profiles);
  g_free (self->profiles_json);
  g_free (self->encoder);
  g_free (self->selected_encoder);
  g_string_free (self->other_streams, TRUE);
  g_ptr_array_unref (self->drops);
  g_clear_error (&self->stream_error);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/**
 * lp_segment_transcoder_get_encoder:
 * @transcoder: a transcoder
 *
 * Returns: (nullable) (transfer none): the encoder factory lptranscodebin
 *     chose (its `selected-encoder`), %NULL before the first segment
 */
const gchar *
lp_segment_transcoder_get_encoder (LpSegmentTranscoder * self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->selected_encoder;
}

/**
 * lp_segment_transcoder_get_pipeline:
 * @transcoder: a transcoder
 *
 * For diagnostics (a dot dump) and tests: the pipeline the next segment
 * goes through. Do not change its state or its elements.
 *
 * Returns: (nullable) (transfer none): the pipeline, %NULL after a failure
 *     until the next segment rebuilds it
 */
GstElement *
lp_segment_transcoder_get_pipeline (LpSegmentTranscoder * self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->pipeline;
}

/* The pipeline times every segment from zero, so the muxer starts each
 * rendition at the same PTS. Renditions keep their source's time line
 * instead (as go-livepeer's transcoder does): their video starts where the
 * segment's starts, and segment N of every variant lines up. The source's
 * span is read once for all of them. */
static void
align_to_source (GPtrArray * renditions, GBytes * segment)
{
  LpMpegtsSpan source;
  gsize size;
  const guint8 *data = g_bytes_get_data (segment, &size);
  guint i;

  if (!lp_mpegts_video_span (data, size, &source))
    return;
  for (i = 0; i < renditions->len; i++) {
    LpRendition *r = g_ptr_array_index (renditions, i);
    GBytes *aligned = lp_mpegts_align (r->data, source.start);

    g_bytes_unref (r->data);
    r->data = aligned;
  }
}

static GPtrArray *
collect_renditions (LpSegmentTranscoder * self, GBytes * segment,
    GError ** error)
{
  g_autoptr (GPtrArray) renditions =
      g_ptr_array_new_with_free_func ((GDestroyNotify) lp_rendition_free);
  guint i;

  g_mutex_lock (&self->lock);
  if (self->skipped_deltas > 0)
    GST_INFO ("skipped %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
        " frame(s) before the segment's first keyframe", self->skipped_deltas,
        self->video_buffers);
  for (i = 0; i < self->outputs->len; i++) {
    Output *out = g_ptr_array_index (self->outputs, i);
    LpRendition *r = g_new0 (LpRendition, 1);

    r->data = g_byte_array_free_to_bytes (out->data);
    out->data = g_byte_array_new ();
    r->frames = out->frames;
    r->width = out->width;
    r->height = out->height;
    r->pixels = out->pixels;
    g_ptr_array_add (renditions, r);
  }
  g_mutex_unlock (&self->lock);
  /* byte work, outside the lock the streaming threads take */
  align_to_source (renditions, segment);

  for (i = 0; i < renditions->len; i++) {
    const LpRendition *r = g_ptr_array_index (renditions, i);
    const LpProfile *p = g_ptr_array_index (self->profiles, i);

    GST_DEBUG ("rendition %s: %" G_GUINT64_FORMAT " frames %ux%u, %"
        G_GSIZE_FORMAT " bytes", p->name, r->frames, r->width, r->height,
        g_bytes_get_size (r->data));
    /* go-livepeer's ZeroSegments */
    if (r->frames == 0 || r->width == 0 || r->height == 0
        || g_bytes_get_size (r->data) < MIN_RENDITION_BYTES) {
      g_set_error (error, LP_SEGMENT_TRANSCODER_ERROR,
          LP_SEGMENT_TRANSCODER_ERROR_INPUT,
          "Rendition '%s' came out empty (%" G_GUINT64_FORMAT " frames, %"
          G_GSIZE_FORMAT " bytes): no frame of the segment's video could be "
          "decoded", p->name, r->frames, g_bytes_get_size (r->data));
      return NULL;
    }
  }
  return g_steal_pointer (&renditions);
}

/* The segment's other messages, in the waiting thread: warnings and
 * lptranscodebin's messages are logged, and any message (a wakeup from
 * fail_segment() among them) ends the wait once a streaming thread has
 * failed the segment. */
static gboolean
on_message (GstMessage * msg, gpointer user_data)
{
  LpSegmentTranscoder *self = user_data;
  gboolean failed;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_WARNING:{
      g_autoptr (GError) err = NULL;
      g_autofree gchar *debug = NULL;
      gst_message_parse_warning (msg, &err, &debug);
      GST_WARNING ("%s: %s (%s)", GST_MESSAGE_SRC_NAME (msg), err->message,
          debug ? debug : "");
      break;
    }
    case GST_MESSAGE_ELEMENT:
      /* tsdemux's section messages hold boxed sections that do not
       * print */
      if (g_str_has_prefix (gst_structure_get_name
              (gst_message_get_structure (msg)), "lptranscodebin-"))
        GST_DEBUG ("%" GST_PTR_FORMAT, gst_message_get_structure (msg));
      break;
    default:
      /* a wakeup: the check below tells why */
      break;
  }
  g_mutex_lock (&self->lock);
  failed = self->stream_error != NULL;
  g_mutex_unlock (&self->lock);
  return !failed;
}

/* Waits for EOS, an error, the deadline or the cancellable. Returns TRUE on
 * EOS. A problem a probe found wins over how the wait ended: the probe's
 * diagnosis is clearer than what the element it saw fail says about it. */
static gboolean
wait_for_eos (LpSegmentTranscoder * self, gint64 deadline,
    GstClockTime timeout, GCancellable * cancellable, GError ** error)
{
  GstClockTime remaining = GST_CLOCK_TIME_NONE;
  g_autoptr (GstMessage) msg = NULL;
  GError *stream_error;
  LpPipelineEnd end;

  if (deadline >= 0)
    remaining = MAX (deadline - g_get_monotonic_time (), 0) * GST_USECOND;
  end = lp_pipeline_wait (self->bus, remaining, cancellable,
      GST_MESSAGE_WARNING | GST_MESSAGE_APPLICATION | GST_MESSAGE_ELEMENT,
      on_message, self, &msg);

  g_mutex_lock (&self->lock);
  stream_error = g_steal_pointer (&self->stream_error);
  g_mutex_unlock (&self->lock);
  if (stream_error != NULL) {
    g_propagate_error (error, stream_error);
    return FALSE;
  }
  switch (end) {
    case LP_PIPELINE_EOS:
      return TRUE;
    case LP_PIPELINE_ERROR:
      error_from_message (self, msg, error);
      return FALSE;
    case LP_PIPELINE_CANCELLED:
      g_set_error (error, LP_SEGMENT_TRANSCODER_ERROR,
          LP_SEGMENT_TRANSCODER_ERROR_CANCELLED, "Transcoding was cancelled");
      return FALSE;
    case LP_PIPELINE_TIMEOUT:
      g_set_error (error, LP_SEGMENT_TRANSCODER_ERROR,
          LP_SEGMENT_TRANSCODER_ERROR_TIMEOUT,
          "The segment took longer than %" GST_TIME_FORMAT " to transcode",
          GST_TIME_ARGS (timeout));
      return FALSE;
    default:
      /* stopped by on_message(): its stream error was taken above */
      g_set_error (error, LP_SEGMENT_TRANSCODER_ERROR,
          LP_SEGMENT_TRANSCODER_ERROR_ENCODER, "Transcoding failed");
      return FALSE;
  }
}

/**
 * lp_segment_transcoder_transcode:
 * @transcoder: a transcoder
 * @segment: (transfer none): one MPEG-TS segment with H.264 video
 * @timeout: how long the segment may take, or %GST_CLOCK_TIME_NONE for no
 *     limit (the caller's @cancellable can still end it)
 * @cancellable: (nullable): ends the call with
 *     %LP_SEGMENT_TRANSCODER_ERROR_CANCELLED
 * @error: a %LP_SEGMENT_TRANSCODER_ERROR
 *
 * Transcodes one segment. Blocks until it is done. A failure concerns this
 * segment only: the next call works again (on a rebuilt pipeline).
 *
 * Returns: (transfer full) (element-type LpRendition) (nullable): one
 *     rendition per profile, in profile order, or %NULL on error
 */
GPtrArray *
lp_segment_transcoder_transcode (LpSegmentTranscoder * self, GBytes * segment,
    GstClockTime timeout, GCancellable * cancellable, GError ** error)
{
  gint64 deadline = -1;
  GPtrArray *renditions = NULL;
  GError *err = NULL;
  GstFlowReturn flow;
  gsize size;
  const guint8 *data;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (segment != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (GST_CLOCK_TIME_IS_VALID (timeout))
    deadline = g_get_monotonic_time () + (gint64) (timeout / GST_USECOND);

  if (g_cancellable_is_cancelled (cancellable)) {
    g_set_error (error, LP_SEGMENT_TRANSCODER_ERROR,
        LP_SEGMENT_TRANSCODER_ERROR_CANCELLED, "Transcoding was cancelled");
    return NULL;
  }

  data = g_bytes_get_data (segment, &size);
  /* a cheap look before any pipeline runs, so that an HTML error page or
   * a truncated upload fails with a plain reason */
  if (size == 0 || !lp_mpegts_probe (data, size, NULL, NULL)) {
    g_set_error (error, LP_SEGMENT_TRANSCODER_ERROR,
        LP_SEGMENT_TRANSCODER_ERROR_INPUT, size == 0 ? "The segment is empty"
        : "The segment is not MPEG-TS: %" G_GSIZE_FORMAT " bytes without "
        "transport-stream sync bytes (0x47 every 188 bytes)", size);
    return NULL;
  }

  if (self->pipeline == NULL && !build (self, error))
    return NULL;
  start_segment (self);

  /* READY to PAUSED chooses the encoder (blocking for a test encode the
   * first time in the process) and builds the ladder */
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    g_autoptr (GstMessage) msg = gst_bus_pop_filtered (self->bus,
        GST_MESSAGE_ERROR);
    if (msg != NULL)
      error_from_message (self, msg, &err);
    else
      g_set_error (&err, LP_SEGMENT_TRANSCODER_ERROR,
          LP_SEGMENT_TRANSCODER_ERROR_ENCODER,
          "the transcode pipeline does not start");
    goto failed;
  }
  if (!self->encoder_pinned) {
    g_free (self->selected_encoder);
    g_object_get (self->ladder, "selected-encoder", &self->selected_encoder,
        NULL);
    GST_INFO ("encoder: %s", GST_STR_NULL (self->selected_encoder));
  }

  /* the whole segment in one buffer (no copy): tsdemux takes any chunking */
  flow = gst_app_src_push_buffer (GST_APP_SRC (self->src),
      gst_buffer_new_wrapped_bytes (segment));
  if (flow == GST_FLOW_OK)
    flow = gst_app_src_end_of_stream (GST_APP_SRC (self->src));
  if (flow != GST_FLOW_OK) {
    g_set_error (&err, LP_SEGMENT_TRANSCODER_ERROR,
        LP_SEGMENT_TRANSCODER_ERROR_ENCODER,
        "cannot push the segment into the pipeline: %s",
        gst_flow_get_name (flow));
    goto failed;
  }

  if (!wait_for_eos (self, deadline, timeout, cancellable, &err))
    goto failed;
  renditions = collect_renditions (self, segment, &err);
  if (renditions == NULL)
    goto failed;

  reset (self);
  if (self->pipeline != NULL && !self->encoder_pinned
      && self->selected_encoder != NULL) {
    /* the encoder chosen for the first segment stays for the session:
     * "auto" would go through the candidates again and warn about every
     * rejected one each time */
    g_object_set (self->ladder, "encoder", self->selected_encoder, NULL);
    self->encoder_pinned = TRUE;
  }
  return renditions;

failed:
  GST_INFO ("segment failed: %s", err->message);
  /* An encoder failure may be the encoder's alone (a GPU out of sessions):
   * let the next pipeline choose again. */
  if (g_error_matches (err, LP_SEGMENT_TRANSCODER_ERROR,
          LP_SEGMENT_TRANSCODER_ERROR_ENCODER))
    self->encoder_pinned = FALSE;
  teardown (self);
  g_propagate_error (error, err);
  return NULL;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * LpSegmentTranscoder, the orchestrator's per-session transcoder: renditions
 * decoded and counted against what it reports, the pipeline kept across
 * segments, bad input (not TS, no video, no keyframe), timeout and
 * cancellation, each followed by a good segment.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpcheck.h"

#include <lpsegmenttranscoder.h>
#include <gst/livepeer/lpmpegts.h>
#include <gst/app/app.h>
#include <gst/video/video.h>
#include <string.h>

#define RUN_TIMEOUT (30 * GST_SECOND)
#define SEGMENT_TIMEOUT (10 * GST_SECOND)

/* the source of every test: 16:9, so that the presets keep their box */
#define SRC_WIDTH 640
#define SRC_HEIGHT 360
#define SEGMENT_FRAMES 60       /* 2 s at 30 fps */

/* --- media ---------------------------------------------------------------- */

/* Every byte the appsink @sink of a playing pipeline gets, to its EOS,
 * which must come with no wait of more than RUN_TIMEOUT for a sample. */
static GBytes *
pull_to_eos (GstElement * sink, const gchar * description)
{
  GByteArray *bytes = g_byte_array_new ();
  GstSample *sample;

  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
              RUN_TIMEOUT)) != NULL) {
    GstBuffer *buffer = gst_sample_get_buffer (sample);
    GstMapInfo map;

    fail_unless (gst_buffer_map (buffer, &map, GST_MAP_READ));
    g_byte_array_append (bytes, map.data, map.size);
    gst_buffer_unmap (buffer, &map);
    gst_sample_unref (sample);
  }
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (sink)),
      "%s did not finish", description);
  return g_byte_array_free_to_bytes (bytes);
}

/* Runs a pipeline that ends in "appsink name=sink" and returns all it got. */
static GBytes *
run_to_bytes (const gchar * description)
{
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &error);
  GstElement *sink;
  GBytes *bytes;

  fail_unless (pipeline != NULL, "%s: %s", description,
      error ? error->message : "?");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PLAYING),
      GST_STATE_CHANGE_ASYNC);
  bytes = pull_to_eos (sink, description);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return bytes;
}

/* Segment number @index of one 30 fps stream: timestamps continue from
 * segment to segment, each starts with a keyframe. */
static GBytes *
make_segment (guint index)
{
  gchar *desc = g_strdup_printf ("videotestsrc pattern=ball num-buffers=%u "
      "timestamp-offset=%" G_GUINT64_FORMAT " ! "
      "video/x-raw,format=I420,width=%u,height=%u,framerate=30/1 ! "
      "x264enc key-int-max=%u speed-preset=ultrafast ! h264parse ! "
      "mpegtsmux ! appsink name=sink sync=false", SEGMENT_FRAMES,
      (guint64) index * 2 * GST_SECOND, SRC_WIDTH, SRC_HEIGHT,
      SEGMENT_FRAMES);
  GBytes *bytes = run_to_bytes (desc);

  g_free (desc);
  return bytes;
}

static guint
ts_pid (const guint8 * packet)
{
  return ((packet[1] & 0x1f) << 8) | packet[2];
}

/* Only the PAT and the PMTs it names: a program whose streams carry no
 * data. */
static GBytes *
only_pat_and_pmt (GBytes * ts)
{
  gsize size, i;
  const guint8 *data = g_bytes_get_data (ts, &size);
  GByteArray *out = g_byte_array_new ();
  guint pmt_pid = G_MAXUINT;

  fail_unless (size % 188 == 0);
  for (i = 0; i < size; i += 188) {
    const guint8 *p = data + i;
    if (ts_pid (p) == 0 && (p[1] & 0x40) && pmt_pid == G_MAXUINT) {
      /* payload start: pointer field, then the section; the first
       * program entry follows 8 bytes of header */
      const guint8 *section = p + 4 + 1 + p[4];
      pmt_pid = ((section[10] & 0x1f) << 8) | section[11];
    }
    if (ts_pid (p) == 0 || ts_pid (p) == pmt_pid)
      g_byte_array_append (out, p, 188);
  }
  fail_unless (pmt_pid != G_MAXUINT);
  fail_unless (out->len > 0 && out->len < size);
  return g_byte_array_free_to_bytes (out);
}

/* On NAL-aligned H.264: drops the first IDR slice, keeps its SPS/PPS. */
static GstPadProbeReturn
drop_first_idr (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  gboolean *dropped = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  guint8 header[5];
  gsize n = gst_buffer_extract (buffer, 0, header, sizeof (header));
  guint type = 0;

  if (n >= 4 && header[2] == 1)
    type = header[3] & 0x1f;
  else if (n >= 5 && header[3] == 1)
    type = header[4] & 0x1f;
  /* x264 makes one slice per picture */
  if (type == 5 && !*dropped) {
    *dropped = TRUE;
    return GST_PAD_PROBE_DROP;
  }
  return GST_PAD_PROBE_OK;
}

/* A segment whose SPS/PPS are there but whose first keyframe is not, as a
 * segmenter that cut one frame too late makes it: with @key_int frames
 * from one keyframe to the next, the first @key_int frames cannot be
 * decoded. */
static GBytes *
make_headless_segment (guint key_int)
{
  gchar *desc = g_strdup_printf ("videotestsrc pattern=ball num-buffers=%u ! "
      "video/x-raw,format=I420,width=%u,height=%u,framerate=30/1 ! "
      "x264enc key-int-max=%u speed-preset=ultrafast ! h264parse ! "
      "video/x-h264,stream-format=byte-stream,alignment=nal ! "
      "identity name=cut ! h264parse ! "
      "video/x-h264,stream-format=byte-stream,alignment=au ! mpegtsmux ! "
      "appsink name=sink sync=false",
      SEGMENT_FRAMES, SRC_WIDTH, SRC_HEIGHT, key_int);
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &error);
  GstElement *cut, *sink;
  gboolean dropped = FALSE;
  GBytes *bytes;
  GstPad *pad;

  fail_unless (pipeline != NULL, "%s: %s", desc, error ? error->message : "?");
  cut = gst_bin_get_by_name (GST_BIN (pipeline), "cut");
  pad = gst_element_get_static_pad (cut, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, drop_first_idr, &dropped,
      NULL);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bytes = pull_to_eos (sink, desc);
  fail_unless (dropped);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pad);
  gst_object_unref (cut);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_free (desc);
  return bytes;
}

/* --- what came out -------------------------------------------------------- */

typedef struct
{
  guint frames;
  guint keyframes;              /* counted before decoding */
  guint parsed;                 /* frames out of the parser */
  guint last_keyframe;          /* index of the last one */
  guint max_gop;                /* most frames from a keyframe to the next */
  gint width, height;
  gchar *profile;               /* H.264 profile from the parser's caps */
} Decoded;

static GstPadProbeReturn
count_keyframes (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Decoded *out = user_data;

  if (!GST_BUFFER_FLAG_IS_SET (GST_PAD_PROBE_INFO_BUFFER (info),
          GST_BUFFER_FLAG_DELTA_UNIT)) {
    if (out->keyframes > 0)
      out->max_gop = MAX (out->max_gop, out->parsed - out->last_keyframe);
    out->last_keyframe = out->parsed;
    out->keyframes++;
  }
  out->parsed++;
  return GST_PAD_PROBE_OK;
}

/* Decodes a rendition the way a player would and counts its frames. */
static void
decode (GBytes * ts, Decoded * out)
{
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch ("appsrc name=src "
      "caps=video/mpegts,systemstream=true ! tsdemux ! h264parse name=p ! "
      "avdec_h264 ! appsink name=sink sync=false", &error);
  GstElement *src, *sink, *parse;
  GstPad *pad;
  GstSample *sample;
  GstCaps *caps;

  fail_unless (pipeline != NULL, "%s", error ? error->message : "?");
  memset (out, 0, sizeof (*out));
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  parse = gst_bin_get_by_name (GST_BIN (pipeline), "p");
  pad = gst_element_get_static_pad (parse, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_keyframes, out,
      NULL);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (src),
          gst_buffer_new_wrapped_bytes (ts)), GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
              RUN_TIMEOUT)) != NULL) {
    GstVideoInfo info;
    if (gst_video_info_from_caps (&info, gst_sample_get_caps (sample))) {
      out->width = GST_VIDEO_INFO_WIDTH (&info);
      out->height = GST_VIDEO_INFO_HEIGHT (&info);
    }
    out->frames++;
    gst_sample_unref (sample);
  }
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (sink)),
      "the rendition did not decode to the end");
  out->max_gop = MAX (out->max_gop, out->parsed - out->last_keyframe);
  caps = gst_pad_get_current_caps (pad);
  fail_unless (caps != NULL);
  out->profile = g_strdup (gst_structure_get_string (gst_caps_get_structure
          (caps, 0), "profile"));
  gst_caps_unref (caps);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pad);
  gst_object_unref (parse);
  gst_object_unref (sink);
  gst_object_unref (src);
  gst_object_unref (pipeline);
}

/* Each rendition decodes to exactly what the transcoder said it holds.
 *
 * @frames is what the rendition's frame rate gives for the segment's
 * duration; one frame less is accepted: MPEG-TS timestamps are in 90 kHz
 * ticks, so 30 fps frames come 33.322 or 33.333 ms apart, and the videorate
 * in lptranscodebin (drop-only, even at the source's own rate) drops a frame
 * of such a segment. Whatever the ladder makes, the count must be what is in
 * the TS. */
static void
assert_rendition (const LpRendition * r, guint width, guint height,
    guint frames)
{
  Decoded d;

  fail_unless (r->data != NULL);
  fail_unless_equals_int (r->width, width);
  fail_unless_equals_int (r->height, height);
  fail_unless (r->frames == frames || r->frames + 1 == frames,
      "%" G_GUINT64_FORMAT " frames, expected %u", r->frames, frames);
  fail_unless_equals_uint64 (r->pixels, r->frames * r->width * r->height);

  decode (r->data, &d);
  fail_unless_equals_int (d.frames, r->frames);
  fail_unless_equals_int (d.width, r->width);
  fail_unless_equals_int (d.height, r->height);
  g_free (d.profile);
}

/* assert_rendition() on rendition @i, then decoded into @d */
static void
decode_rendition (GPtrArray * renditions, guint i, guint width, guint height,
    guint frames, Decoded * d)
{
  const LpRendition *r = g_ptr_array_index (renditions, i);

  assert_rendition (r, width, height, frames);
  decode (r->data, d);
}

static LpSegmentTranscoder *
new_transcoder (void)
{
  GPtrArray *profiles = lp_test_presets ("P240p30fps16x9", "P144p30fps16x9",
      NULL);
  GError *error = NULL;
  LpSegmentTranscoder *t = lp_segment_transcoder_new (profiles, "auto",
      &error);

  fail_unless (t != NULL, "%s", error ? error->message : "?");
  g_ptr_array_unref (profiles);
  return t;
}

/* A rendition keeps its segment's time line: its video starts at the
 * segment's first PTS and spans as long (both read from the MPEG-TS
 * bytes; the muxer rounds each frame's time to a 90 kHz tick) */
static void
assert_same_time_line (const LpRendition * r, GBytes * segment)
{
  LpMpegtsSpan source, span;
  gsize size;
  const guint8 *data = g_bytes_get_data (segment, &size);

  fail_unless (lp_mpegts_video_span (data, size, &source));
  data = g_bytes_get_data (r->data, &size);
  fail_unless (lp_mpegts_video_span (data, size, &span));
  fail_unless_equals_uint64 (span.start, source.start);
  fail_unless (ABS (lp_mpegts_diff (span.end, source.end)) <= SEGMENT_FRAMES,
      "the rendition ends at %" G_GUINT64_FORMAT ", its source at %"
      G_GUINT64_FORMAT, span.end, source.end);
}

/* A good segment through @t: both renditions as the presets say, on the
 * segment's time line. */
static void
assert_good_segment (LpSegmentTranscoder * t, GBytes * segment)
{
  GError *error = NULL;
  GPtrArray *renditions = lp_segment_transcoder_transcode (t, segment,
      SEGMENT_TIMEOUT, NULL, &error);
  guint i;

  fail_unless (renditions != NULL, "%s", error ? error->message : "?");
  fail_unless_equals_int (renditions->len, 2);
  assert_rendition (g_ptr_array_index (renditions, 0), 426, 240,
      SEGMENT_FRAMES);
  assert_rendition (g_ptr_array_index (renditions, 1), 256, 144,
      SEGMENT_FRAMES);
  for (i = 0; i < renditions->len; i++)
    assert_same_time_line (g_ptr_array_index (renditions, i), segment);
  g_ptr_array_unref (renditions);
}

static void
assert_fails (LpSegmentTranscoder * t, GBytes * segment, GstClockTime timeout,
    GCancellable * cancellable, LpSegmentTranscoderError code,
    const gchar * expected_text)
{
  GError *error = NULL;
  GPtrArray *renditions = lp_segment_transcoder_transcode (t, segment,
      timeout, cancellable, &error);

  fail_unless (renditions == NULL, "a bad segment gave renditions");
  fail_unless (error != NULL);
  fail_unless (g_error_matches (error, LP_SEGMENT_TRANSCODER_ERROR, code),
      "expected code %d, got %s:%d %s", code,
      g_quark_to_string (error->domain), error->code, error->message);
  fail_unless (strstr (error->message, expected_text) != NULL,
      "error '%s' does not say '%s'", error->message, expected_text);
  GST_INFO ("as expected: %s", error->message);
  g_error_free (error);
}

/* @bad is refused as input, saying @text, and @t still transcodes @good
 * afterwards. */
static void
assert_input_refused (LpSegmentTranscoder * t, GBytes * bad,
    const gchar * text, GBytes * good)
{
  assert_fails (t, bad, SEGMENT_TIMEOUT, NULL,
      LP_SEGMENT_TRANSCODER_ERROR_INPUT, text);
  assert_good_segment (t, good);
}

/* --- tests ---------------------------------------------------------------- */

GST_START_TEST (test_two_profiles)
{
  LpSegmentTranscoder *t = new_transcoder ();
  GBytes *segment = make_segment (0);
  GstElement *ladder;
  gchar *selected = NULL;

  fail_unless (lp_segment_transcoder_get_encoder (t) == NULL);
  assert_good_segment (t, segment);

  /* the encoder is lptranscodebin's choice */
  fail_unless (lp_segment_transcoder_get_encoder (t) != NULL);
  ladder = gst_bin_get_by_name (GST_BIN (lp_segment_transcoder_get_pipeline
          (t)), "ladder");
  fail_unless (ladder != NULL);
  g_object_get (ladder, "selected-encoder", &selected, NULL);
  fail_unless_equals_string (lp_segment_transcoder_get_encoder (t), selected);
  g_free (selected);
  gst_object_unref (ladder);

  g_bytes_unref (segment);
  lp_segment_transcoder_free (t);
}

GST_END_TEST;

GST_START_TEST (test_segments_reuse_the_pipeline)
{
  LpSegmentTranscoder *t = new_transcoder ();
  GstElement *pipeline = lp_segment_transcoder_get_pipeline (t);
  GstElement *ladder;
  gchar *encoder = NULL, *wanted = NULL;
  guint i;

  fail_unless (pipeline != NULL);
  for (i = 0; i < 6; i++) {
    GBytes *segment = make_segment (i);
    assert_good_segment (t, segment);
    g_bytes_unref (segment);
    /* the same pipeline, in READY, waits for the next segment */
    fail_unless (lp_segment_transcoder_get_pipeline (t) == pipeline);
    fail_unless_equals_int (GST_STATE (pipeline), GST_STATE_READY);
    if (i == 0)
      encoder = g_strdup (lp_segment_transcoder_get_encoder (t));
    else
      fail_unless_equals_string (lp_segment_transcoder_get_encoder (t),
          encoder);
  }

  /* the first choice is pinned, so the next segments do not choose again */
  ladder = gst_bin_get_by_name (GST_BIN (pipeline), "ladder");
  g_object_get (ladder, "encoder", &wanted, NULL);
  fail_unless_equals_string (wanted, encoder);
  g_free (wanted);
  g_free (encoder);
  gst_object_unref (ladder);
  lp_segment_transcoder_free (t);
}

GST_END_TEST;

GST_START_TEST (test_profile_settings_survive)
{
  /* what the preset/custom-entry form cannot say: an H.264 profile, a GOP,
   * a fractional rate */
  LpProfile base = { (gchar *) "base", 320, 180, 250000, 15, 1,
    LP_H264_PROFILE_BASELINE, 1000
  };
  LpProfile intra = { (gchar *) "intra", 160, 90, 100000, 0, 1,
    LP_H264_PROFILE_HIGH, LP_PROFILE_GOP_INTRA
  };
  LpProfile ntsc = { (gchar *) "ntsc", 320, 180, 300000, 30000, 1001,
    LP_H264_PROFILE_MAIN, 1500
  };
  GPtrArray *profiles = g_ptr_array_new ();
  GPtrArray *renditions, *parsed;
  GError *error = NULL;
  LpSegmentTranscoder *t;
  GstElement *ladder;
  GBytes *segment;
  gchar *spec = NULL;
  Decoded d;
  guint i;

  g_ptr_array_add (profiles, &base);
  g_ptr_array_add (profiles, &intra);
  g_ptr_array_add (profiles, &ntsc);
  t = lp_segment_transcoder_new (profiles, NULL, &error);
  fail_unless (t != NULL, "%s", error ? error->message : "?");

  /* lptranscodebin reads back exactly these profiles */
  ladder = gst_bin_get_by_name (GST_BIN (lp_segment_transcoder_get_pipeline
          (t)), "ladder");
  g_object_get (ladder, "profiles", &spec, NULL);
  parsed = lp_profile_list_load (spec, &error);
  fail_unless (parsed != NULL, "%s", error ? error->message : "?");
  fail_unless_equals_int (parsed->len, 3);
  for (i = 0; i < 3; i++) {
    const LpProfile *want = g_ptr_array_index (profiles, i);
    const LpProfile *got = g_ptr_array_index (parsed, i);
    fail_unless_equals_string (got->name, want->name);
    fail_unless_equals_int (got->width, want->width);
    fail_unless_equals_int (got->height, want->height);
    fail_unless_equals_int (got->bitrate, want->bitrate);
    fail_unless_equals_int (got->fps_num, want->fps_num);
    fail_unless_equals_int (got->fps_den, want->fps_den);
    fail_unless_equals_int (got->h264_profile, want->h264_profile);
    fail_unless_equals_int (got->gop_ms, want->gop_ms);
  }
  g_ptr_array_unref (parsed);
  g_free (spec);
  gst_object_unref (ladder);

  /* and the renditions have them */
  segment = make_segment (0);
  renditions = lp_segment_transcoder_transcode (t, segment, SEGMENT_TIMEOUT,
      NULL, &error);
  fail_unless (renditions != NULL, "%s", error ? error->message : "?");
  fail_unless_equals_int (renditions->len, 3);

  /* 15 fps for 2 s, a keyframe at least every second (x264 may add one at
   * a scene cut; the default GOP would give one in 2 s) */
  decode_rendition (renditions, 0, 320, 180, 30, &d);
  fail_unless (d.max_gop <= 15 && d.keyframes >= 2, "%u keyframes, GOP %u",
      d.keyframes, d.max_gop);
  fail_unless_equals_string (d.profile, "constrained-baseline");
  g_free (d.profile);

  /* the source rate, every frame a keyframe */
  decode_rendition (renditions, 1, 160, 90, 60, &d);
  fail_unless_equals_int (d.keyframes, d.frames);
  fail_unless (g_str_has_prefix (d.profile, "high"), "%s", d.profile);
  g_free (d.profile);

  /* 30000/1001 from 30: one frame of 60 dropped; GOP 1.5 s = 45 frames */
  decode_rendition (renditions, 2, 320, 180, 59, &d);
  fail_unless (d.max_gop <= 45 && d.keyframes >= 2, "%u keyframes, GOP %u",
      d.keyframes, d.max_gop);
  fail_unless_equals_string (d.profile, "main");
  g_free (d.profile);

  g_ptr_array_unref (renditions);
  g_bytes_unref (segment);
  g_ptr_array_unref (profiles);
  lp_segment_transcoder_free (t);
}

GST_END_TEST;

GST_START_TEST (test_bad_profiles_and_encoder)
{
  LpProfile bad = { (gchar *) "bad name", 320, 180, 250000, 0, 1, 0, 0 };
  LpProfile tiny = { (gchar *) "tiny", 1, 180, 250000, 0, 1, 0, 0 };
  GPtrArray *profiles = g_ptr_array_new ();
  GError *error = NULL;

  fail_unless (lp_segment_transcoder_new (profiles, NULL, &error) == NULL);
  fail_unless (g_error_matches (error, LP_PROFILE_ERROR,
          LP_PROFILE_ERROR_EMPTY), "%s", error->message);
  g_clear_error (&error);

  g_ptr_array_add (profiles, &bad);
  fail_unless (lp_segment_transcoder_new (profiles, NULL, &error) == NULL);
  fail_unless (g_error_matches (error, LP_PROFILE_ERROR,
          LP_PROFILE_ERROR_INVALID_VALUE), "%s", error->message);
  fail_unless (strstr (error->message, "bad name") != NULL);
  g_clear_error (&error);

  g_ptr_array_index (profiles, 0) = &tiny;
  fail_unless (lp_segment_transcoder_new (profiles, NULL, &error) == NULL);
  fail_unless (error->domain == LP_PROFILE_ERROR, "%s", error->message);
  g_clear_error (&error);
  g_ptr_array_unref (profiles);

  profiles = lp_test_presets ("P144p30fps16x9", NULL);
  fail_unless (lp_segment_transcoder_new (profiles, "nosuchenc", &error) ==
      NULL);
  fail_unless (g_error_matches (error, LP_SEGMENT_TRANSCODER_ERROR,
          LP_SEGMENT_TRANSCODER_ERROR_ENCODER), "%s", error->message);
  fail_unless (strstr (error->message, "nosuchenc") != NULL);
  g_clear_error (&error);
  g_ptr_array_unref (profiles);
}

GST_END_TEST;

GST_START_TEST (test_not_mpegts)
{
  LpSegmentTranscoder *t = new_transcoder ();
  GBytes *good = make_segment (0);
  GByteArray *noise = g_byte_array_new ();
  GBytes *text = g_bytes_new_static ("<html><body>Not Found</body></html>",
      35);
  GBytes *empty = g_bytes_new_static ("", 0);
  GBytes *garbage, *synced;
  GRand *rand = g_rand_new_with_seed (42);
  guint i;

  for (i = 0; i < 100 * 188; i++) {
    guint8 b = g_rand_int_range (rand, 0, 256);
    g_byte_array_append (noise, &b, 1);
  }
  garbage = g_bytes_new (noise->data, noise->len);
  /* sync bytes in place, noise in between: tsdemux finds no table */
  for (i = 0; i < noise->len; i += 188)
    noise->data[i] = 0x47;
  synced = g_byte_array_free_to_bytes (noise);

  assert_fails (t, empty, SEGMENT_TIMEOUT, NULL,
      LP_SEGMENT_TRANSCODER_ERROR_INPUT, "empty");
  assert_fails (t, text, SEGMENT_TIMEOUT, NULL,
      LP_SEGMENT_TRANSCODER_ERROR_INPUT, "not MPEG-TS");
  assert_input_refused (t, garbage, "not MPEG-TS", good);
  assert_input_refused (t, synced, "video", good);

  g_rand_free (rand);
  g_bytes_unref (synced);
  g_bytes_unref (garbage);
  g_bytes_unref (empty);
  g_bytes_unref (text);
  g_bytes_unref (good);
  lp_segment_transcoder_free (t);
}

GST_END_TEST;

GST_START_TEST (test_no_video)
{
  LpSegmentTranscoder *t = new_transcoder ();
  GBytes *good = make_segment (0);
  GBytes *audio = run_to_bytes ("audiotestsrc num-buffers=40 ! avenc_aac ! "
      "aacparse ! mpegtsmux ! appsink name=sink sync=false");
  GBytes *tables = only_pat_and_pmt (good);

  assert_input_refused (t, audio, "no H.264 video stream", good);
  assert_input_refused (t, tables, "video", good);

  g_bytes_unref (tables);
  g_bytes_unref (audio);
  g_bytes_unref (good);
  lp_segment_transcoder_free (t);
}

GST_END_TEST;

GST_START_TEST (test_audio_is_dropped)
{
  LpSegmentTranscoder *t = new_transcoder ();
  GBytes *av = run_to_bytes ("mpegtsmux name=mux ! appsink name=sink "
      "sync=false  videotestsrc pattern=ball num-buffers=60 ! "
      "video/x-raw,format=I420,width=640,height=360,framerate=30/1 ! "
      "x264enc key-int-max=60 speed-preset=ultrafast ! h264parse ! mux. "
      "audiotestsrc num-buffers=86 ! avenc_aac ! aacparse ! mux.");

  /* twice: the audio's fakesink of the first segment is gone for the
   * second */
  assert_good_segment (t, av);
  assert_good_segment (t, av);

  g_bytes_unref (av);
  lp_segment_transcoder_free (t);
}

GST_END_TEST;

GST_START_TEST (test_no_keyframe)
{
  LpSegmentTranscoder *t = new_transcoder ();
  GBytes *good = make_segment (0);
  GBytes *long_gop = run_to_bytes ("videotestsrc pattern=ball num-buffers=120 "
      "! video/x-raw,format=I420,width=640,height=360,framerate=30/1 ! "
      "x264enc key-int-max=300 speed-preset=ultrafast ! h264parse ! "
      "mpegtsmux ! appsink name=sink sync=false");
  gsize packets = g_bytes_get_size (long_gop) / 188;
  /* from 40% to 90% of a stream whose only keyframe is its first frame */
  GBytes *middle = g_bytes_new_from_bytes (long_gop, packets * 2 / 5 * 188,
      packets / 2 * 188);

  assert_input_refused (t, middle, "keyframe", good);

  g_bytes_unref (middle);
  g_bytes_unref (long_gop);
  g_bytes_unref (good);
  lp_segment_transcoder_free (t);
}

GST_END_TEST;

GST_START_TEST (test_frames_before_the_first_keyframe)
{
  LpSegmentTranscoder *t = new_transcoder ();
  GBytes *good = make_segment (0);
  /* every frame a delta of the missing keyframe */
  GBytes *headless = make_headless_segment (300);
  /* a keyframe half-way: the second half is transcoded */
  GBytes *late = make_headless_segment (SEGMENT_FRAMES / 2);
  GError *error = NULL;
  GPtrArray *renditions;

  assert_input_refused (t, headless, "no keyframe", good);

  renditions = lp_segment_transcoder_transcode (t, late, SEGMENT_TIMEOUT,
      NULL, &error);
  fail_unless (renditions != NULL, "%s", error ? error->message : "?");
  assert_rendition (g_ptr_array_index (renditions, 0), 426, 240,
      SEGMENT_FRAMES / 2);
  assert_rendition (g_ptr_array_index (renditions, 1), 256, 144,
      SEGMENT_FRAMES / 2);
  g_ptr_array_unref (renditions);

  g_bytes_unref (late);
  g_bytes_unref (headless);
  g_bytes_unref (good);
  lp_segment_transcoder_free (t);
}

GST_END_TEST;

GST_START_TEST (test_timeout)
{
  LpSegmentTranscoder *t = new_transcoder ();
  GBytes *good = make_segment (0);
  gint64 start = g_get_monotonic_time ();

  assert_fails (t, good, GST_MSECOND, NULL,
      LP_SEGMENT_TRANSCODER_ERROR_TIMEOUT, "longer than");
  /* the deadline ends the call, not the segment's end */
  fail_unless (g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC);
  assert_good_segment (t, good);
  assert_fails (t, good, 0, NULL, LP_SEGMENT_TRANSCODER_ERROR_TIMEOUT,
      "longer than");
  assert_good_segment (t, good);

  g_bytes_unref (good);
  lp_segment_transcoder_free (t);
}

GST_END_TEST;

static GstPadProbeReturn
cancel_on_data (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return GST_PAD_PROBE_REMOVE;
}

GST_START_TEST (test_cancelled)
{
  LpSegmentTranscoder *t = new_transcoder ();
  GBytes *good = make_segment (0);
  GCancellable *cancellable = g_cancellable_new ();
  GstElement *src;
  GstPad *pad;

  g_cancellable_cancel (cancellable);
  assert_fails (t, good, SEGMENT_TIMEOUT, cancellable,
      LP_SEGMENT_TRANSCODER_ERROR_CANCELLED, "cancelled");
  assert_good_segment (t, good);

  /* while it runs: from the streaming thread, once the segment flows */
  g_cancellable_reset (cancellable);
  src = gst_bin_get_by_name (GST_BIN (lp_segment_transcoder_get_pipeline (t)),
      "src");
  pad = gst_element_get_static_pad (src, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, cancel_on_data,
      cancellable, NULL);
  gst_object_unref (pad);
  gst_object_unref (src);
  assert_fails (t, good, SEGMENT_TIMEOUT, cancellable,
      LP_SEGMENT_TRANSCODER_ERROR_CANCELLED, "cancelled");
  fail_unless (g_cancellable_is_cancelled (cancellable));
  /* the next segment runs on a new pipeline */
  g_cancellable_reset (cancellable);
  assert_good_segment (t, good);

  g_object_unref (cancellable);
  g_bytes_unref (good);
  lp_segment_transcoder_free (t);
}

GST_END_TEST;

static Suite *
lpsegmenttranscoder_suite (void)
{
  Suite *s = suite_create ("lpsegmenttranscoder");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();
  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_two_profiles);
  tcase_add_test (tc, test_segments_reuse_the_pipeline);
  tcase_add_test (tc, test_profile_settings_survive);
  tcase_add_test (tc, test_bad_profiles_and_encoder);
  tcase_add_test (tc, test_not_mpegts);
  tcase_add_test (tc, test_no_video);
  tcase_add_test (tc, test_audio_is_dropped);
  tcase_add_test (tc, test_no_keyframe);
  tcase_add_test (tc, test_frames_before_the_first_keyframe);
  tcase_add_test (tc, test_timeout);
  tcase_add_test (tc, test_cancelled);
  return s;
}

GST_CHECK_MAIN (lpsegmenttranscoder);

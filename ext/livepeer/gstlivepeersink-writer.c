/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * livepeersink's writer (see gstlivepeersink-private.h): each segment
 * done (transcoded or lost) is written in sequence order, whatever order
 * the dispatch threads finish in: its renditions (with the source's audio
 * muxed in, on the source's time line) into the HLS ladder and through
 * the `rendition` signal, a job's metadata, and the
 * livepeersink-segment, -segment-lost and -analysis messages; the stats
 * of written and lost segments, and the error after
 * max-consecutive-failures.
 *
 * Threads: any dispatch thread (or the video streaming thread, for a
 * segment dropped or never sent) finishes a segment; one at a time
 * writes, under write_lock, which is held across the file I/O, the
 * messages and the signal.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <glib/gstdio.h>
#include <gst/pbutils/pbutils.h>
#include <gst/livepeer/lpmpegts.h>

#include "gstlivepeersink-private.h"

#define GST_CAT_DEFAULT gst_livepeer_sink_debug

/* Each stream (READY to PAUSED) writes a ladder of its own: the playlists
 * start again, as hlssink2's do. */
gboolean
gst_livepeer_sink_open_output (GstLivepeerSink * self)
{
  GError *error = NULL;
  guint i;

  for (i = 0; i < self->profiles->len; i++)
    self->variants[i] = -1;
  self->has_source_end = FALSE;
  self->source_variant = -1;
  if (self->config.location == NULL)
    return TRUE;
  self->hls = lp_hls_writer_new (self->config.location,
      self->config.playlist_length, self->config.max_files, &error);
  if (self->hls == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_WRITE, ("location: %s",
            error->message), (NULL));
    g_error_free (error);
    return FALSE;
  }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Writing, in sequence order: everything below up to
 * gst_livepeer_sink_finish_segment() runs with write_lock held, which
 * that function takes */

/* Rendition @index of @seg with the source's audio muxed in (the
 * orchestrator's renditions are video only); as received when there is
 * no audio or it cannot be added (with a warning). */
static GBytes *
with_audio (GstLivepeerSink * self, Segment * seg, guint index)
{
  GBytes *video = g_ptr_array_index (seg->out.renditions, index);
  GError *error = NULL;
  GBytes *both;

  if (!gst_livepeer_sink_segment_has_audio (seg))
    return g_bytes_ref (video);
  both = lp_rendition_add_audio (video, seg->units, &error);
  if (both != NULL)
    return both;
  GST_ELEMENT_WARNING (self, STREAM, MUX, ("Could not add the audio to "
          "segment %" G_GUINT64_FORMAT ": %s", seg->in.seq, error->message),
      (NULL));
  g_error_free (error);
  return g_bytes_ref (video);
}

/* The CODECS of a variant: its video's, and the audio's when the stream
 * has audio. */
static gchar *
variant_codecs (const gchar * video, const Segment * seg)
{
  g_autofree gchar *audio = NULL;

  if (gst_livepeer_sink_segment_has_audio (seg))
    audio = gst_codec_utils_caps_get_mime_codec (seg->units->audio_caps);
  if (audio == NULL)
    return g_strdup (video);
  if (video == NULL)
    return g_steal_pointer (&audio);
  return g_strdup_printf ("%s,%s", video, audio);
}

static gint
variant_for (GstLivepeerSink * self, guint index, const LpRenditionInfo * ri,
    const Segment * seg, GError ** error)
{
  const LpProfile *p = g_ptr_array_index (self->profiles, index);
  LpHlsVariant variant = { 0, };
  g_autofree gchar *codecs = NULL;

  if (self->variants[index] >= 0)
    return self->variants[index];
  codecs = variant_codecs (ri->codecs, seg);
  variant.name = p->name;
  variant.width = ri->width;
  variant.height = ri->height;
  variant.codecs = codecs;
  variant.frame_rate = p->fps_num ? (gdouble) p->fps_num / p->fps_den : 0;
  self->variants[index] = lp_hls_writer_add_variant (self->hls, &variant,
      error);
  return self->variants[index];
}

static gboolean
write_source (GstLivepeerSink * self, Segment * seg, gboolean discont,
    GError ** error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (seg->in.data, &size);

  if (self->source_variant < 0) {
    LpHlsVariant variant = { 0, };
    LpRenditionInfo info;

    /* its size and codec, as the master playlist lists them */
    if (!lp_rendition_inspect (seg->in.data, FALSE, &info, error))
      return FALSE;
    g_autofree gchar *codecs = variant_codecs (info.codecs, seg);

    variant.name = SOURCE_VARIANT_NAME;
    variant.width = info.width;
    variant.height = info.height;
    variant.codecs = codecs;
    self->source_variant = lp_hls_writer_add_variant (self->hls, &variant,
        error);
    lp_rendition_info_clear (&info);
    if (self->source_variant < 0)
      return FALSE;
  }
  return lp_hls_writer_write_segment (self->hls, self->source_variant,
      seg->in.seq, seg->in.duration_ms / 1000.0, discont, data, size, error);
}

/* A source segment that does not start where the last one written ended
 * (beyond half of a 30 fps frame's rounding) starts a discontinuity, in
 * every variant alike; a gap in sequence numbers the HLS writer marks
 * itself. */
#define DISCONTINUITY_TICKS (LP_MPEGTS_CLOCK_RATE / 20)

static gboolean
source_discontinuous (GstLivepeerSink * self, const LpMpegtsSpan * span)
{
  gboolean discont = self->has_source_end
      && ABS (lp_mpegts_diff (span->start, self->source_end)) >
      DISCONTINUITY_TICKS;

  self->source_end = span->end;
  self->has_source_end = TRUE;
  return discont;
}

/* Rendition @index on the source segment's time line. An orchestrator
 * that keeps timestamps (ours, go-livepeer) has put it there already;
 * one that restarts them would make every rendition segment a
 * discontinuity that the source variant does not have. Takes @bytes. */
static GBytes *
on_source_time_line (GstLivepeerSink * self, guint index, GBytes * bytes,
    const LpMpegtsSpan * source)
{
  LpMpegtsSpan span;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  GBytes *aligned;

  if (!lp_mpegts_video_span (data, size, &span)
      || lp_mpegts_diff (span.start, source->start) == 0)
    return bytes;
  GST_INFO_OBJECT (self, "rendition %u starts %" G_GINT64_FORMAT " ticks "
      "off its source segment: moved onto the source's time line", index,
      lp_mpegts_diff (span.start, source->start));
  aligned = lp_mpegts_align (bytes, source->start);
  g_bytes_unref (bytes);
  return aligned;
}

static gboolean
write_renditions (GstLivepeerSink * self, Segment * seg, GError ** error)
{
  gsize source_size;
  const guint8 *source_data = g_bytes_get_data (seg->in.data, &source_size);
  LpMpegtsSpan source;
  gboolean timed = lp_mpegts_video_span (source_data, source_size, &source);
  gboolean discont = timed && source_discontinuous (self, &source);
  guint i;

  if (self->hls != NULL && !write_source (self, seg, discont, error))
    return FALSE;
  for (i = 0; i < self->profiles->len; i++) {
    const LpProfile *p = g_ptr_array_index (self->profiles, i);
    const LpRenditionInfo *ri = &g_array_index (seg->out.infos, LpRenditionInfo,
        i);
    GBytes *bytes = with_audio (self, seg, i);
    GstBuffer *buffer;
    gsize size;
    const guint8 *data;
    gdouble duration = seg->in.duration_ms / 1000.0;

    if (timed)
      bytes = on_source_time_line (self, i, bytes, &source);
    data = g_bytes_get_data (bytes, &size);

    if (self->hls != NULL) {
      gint variant = variant_for (self, i, ri, seg, error);

      if (GST_CLOCK_TIME_IS_VALID (ri->first_pts)
          && GST_CLOCK_TIME_IS_VALID (ri->end_pts)
          && ri->end_pts > ri->first_pts)
        duration = (gdouble) (ri->end_pts - ri->first_pts) / GST_SECOND;
      if (variant < 0 || !lp_hls_writer_write_segment (self->hls, variant,
              seg->in.seq, duration, discont, data, size, error)) {
        g_bytes_unref (bytes);
        return FALSE;
      }
    }
    buffer = gst_buffer_new_wrapped_bytes (bytes);
    g_bytes_unref (bytes);
    g_signal_emit (self, gst_livepeer_sink_signals[SIGNAL_RENDITION], 0,
        p->name, seg->in.seq, buffer);
    gst_buffer_unref (buffer);
  }
  return TRUE;
}

static void
post_written (GstLivepeerSink * self, Segment * seg)
{
  gchar *fee = lp_rational_to_string (seg->out.fee);

  gst_livepeer_sink_post (self, gst_structure_new ("livepeersink-segment",
          "seq", G_TYPE_UINT64, seg->in.seq,
          "orchestrator", G_TYPE_STRING, seg->out.orchestrator,
          "attempts", G_TYPE_UINT, seg->out.attempts,
          "latency", G_TYPE_UINT64, seg->out.latency,
          "pixels", G_TYPE_UINT64, seg->out.pixels,
          "fee", G_TYPE_STRING, fee,
          "tickets", G_TYPE_UINT, seg->out.tickets,
          "verified", G_TYPE_STRING, seg->out.verified, NULL));
  g_free (fee);
}

static void
post_lost (GstLivepeerSink * self, Segment * seg, guint64 ok, guint64 lost)
{
  GstMessage *qos;

  GST_WARNING_OBJECT (self, "segment %" G_GUINT64_FORMAT " lost: %s",
      seg->in.seq, seg->out.reason);
  gst_livepeer_sink_post (self, gst_structure_new ("livepeersink-segment-lost",
          "seq", G_TYPE_UINT64, seg->in.seq,
          "attempts", G_TYPE_UINT, seg->out.attempts,
          "reason", G_TYPE_STRING, seg->out.reason, NULL));
  qos = gst_message_new_qos (GST_OBJECT (self), FALSE, seg->running_time,
      GST_CLOCK_TIME_NONE, GST_CLOCK_TIME_NONE,
      (guint64) seg->in.duration_ms * GST_MSECOND);
  gst_message_set_qos_stats (qos, GST_FORMAT_BUFFERS, ok, lost);
  gst_element_post_message (GST_ELEMENT (self), qos);
}

/* A job's metadata: a `livepeersink-analysis` message and, with a
 * location, LOCATION/CAPABILITY/SEQ.json */
static gboolean
write_analysis (GstLivepeerSink * self, Segment * seg, GError ** error)
{
  const LpCapability *job = lp_broadcaster_get_job (self->broadcaster);
  gsize size;
  const gchar *data;
  g_autofree gchar *text = NULL;

  if (seg->out.analysis == NULL)
    return TRUE;
  data = g_bytes_get_data (seg->out.analysis, &size);
  if (self->config.location != NULL) {
    g_autofree gchar *dir = g_build_filename (self->config.location,
        job->name, NULL);
    g_autofree gchar *name = g_strdup_printf ("%" G_GUINT64_FORMAT ".json",
        seg->in.seq);
    g_autofree gchar *path = g_build_filename (dir, name, NULL);

    if (g_mkdir_with_parents (dir, 0755) != 0) {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
          "%s: %s", dir, g_strerror (errno));
      return FALSE;
    }
    if (!g_file_set_contents (path, data, size, error))
      return FALSE;
  }
  text = g_strndup (data, size);
  gst_livepeer_sink_post (self, gst_structure_new ("livepeersink-analysis",
          "seq", G_TYPE_UINT64, seg->in.seq,
          "capability", G_TYPE_STRING, job->name,
          "model-id", G_TYPE_STRING, job->model_id,
          "orchestrator", G_TYPE_STRING, seg->out.orchestrator,
          "units", G_TYPE_UINT64, seg->out.pixels,
          "messages", G_TYPE_UINT, seg->out.analysis_messages,
          "analysis", G_TYPE_STRING, text, NULL));
  return TRUE;
}

static void
write_segment (GstLivepeerSink * self, Segment * seg)
{
  GError *error = NULL;
  guint64 ok, lost;
  guint failures;

  if (seg->out.ok && (!write_renditions (self, seg, &error)
          || !write_analysis (self, seg, &error))) {
    GST_ELEMENT_ERROR (self, RESOURCE, WRITE, ("Could not write segment %"
            G_GUINT64_FORMAT ": %s", seg->in.seq, error->message), (NULL));
    g_error_free (error);
    return;
  }
  STATS_LOCK (self);
  if (seg->out.ok) {
    self->segments_ok++;
    lp_rational_add (self->fees, seg->out.fee);
    self->consecutive_failures = 0;
  } else {
    self->segments_lost++;
    /* a segment the queue policy dropped was not tried: it says nothing
     * of the orchestrators */
    if (!seg->dropped)
      self->consecutive_failures++;
  }
  ok = self->segments_ok;
  lost = self->segments_lost;
  failures = self->consecutive_failures;
  STATS_UNLOCK (self);
  if (seg->out.ok) {
    post_written (self, seg);
    return;
  }
  post_lost (self, seg, ok, lost);
  if (!seg->dropped && failures == self->config.max_consecutive_failures)
    GST_ELEMENT_ERROR (self, STREAM, FAILED, ("%u segments in a row could "
            "not be transcoded", failures), ("the last, segment %"
            G_GUINT64_FORMAT ": %s", seg->in.seq, seg->out.reason));
}

/* Any thread: @seg is done (written or lost); writes every segment that
 * is now next in order. */
void
gst_livepeer_sink_finish_segment (GstLivepeerSink * self, Segment * seg)
{
  DISPATCH_LOCK (self);
  g_hash_table_insert (self->done, &seg->in.seq, seg);
  DISPATCH_UNLOCK (self);

  g_mutex_lock (&self->write_lock);
  for (;;) {
    Segment *next;

    DISPATCH_LOCK (self);
    next = g_hash_table_lookup (self->done, &self->write_seq);
    if (next != NULL)
      g_hash_table_steal (self->done, &self->write_seq);
    DISPATCH_UNLOCK (self);
    if (next == NULL)
      break;
    write_segment (self, next);
    DISPATCH_LOCK (self);
    self->write_seq++;
    /* wakes the EOS waiting for the last segments */
    g_cond_broadcast (&self->all_done);
    DISPATCH_UNLOCK (self);
    gst_livepeer_sink_segment_free (next);
  }
  g_mutex_unlock (&self->write_lock);
}

/* The EOS: the playlists end (#EXT-X-ENDLIST) once every segment is
 * written */
void
gst_livepeer_sink_end_output (GstLivepeerSink * self)
{
  g_mutex_lock (&self->write_lock);
  if (self->hls != NULL)
    lp_hls_writer_finish (self->hls, NULL);
  g_mutex_unlock (&self->write_lock);
}

/* PAUSED to READY, once no thread writes: the playlists end and the
 * output closes */
void
gst_livepeer_sink_close_output (GstLivepeerSink * self)
{
  if (self->hls != NULL)
    lp_hls_writer_finish (self->hls, NULL);
  g_clear_pointer (&self->hls, lp_hls_writer_free);
}

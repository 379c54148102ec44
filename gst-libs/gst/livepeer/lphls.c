/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:lphls
 * @title: LpHlsWriter
 * @short_description: an HLS ladder on disk (RFC 8216)
 *
 * #LpHlsWriter lays out one ladder under a directory, as GStreamer's
 * hlssink2 would:
 *
 * |[
 * <directory>/master.m3u8          the master playlist
 * <directory>/<name>/index.m3u8    one media playlist per variant
 * <directory>/<name>/<seq>.ts      its segments, named by the caller's seq
 * ]|
 *
 * Every file is written as `<file>.tmp` and renamed over the old one, so a
 * player or web server never reads half a playlist or half a segment.
 *
 * The master playlist lists the variants by descending BANDWIDTH (ties in
 * the order they were added). A variant added with bandwidth 0 announces
 * the highest segment bit rate measured so far (1 before the first
 * segment, since BANDWIDTH may not be 0), and the master is rewritten
 * whenever that peak grows.
 *
 * A media playlist lists the last `playlist_length` segments (all of them
 * when 0, then as an EVENT playlist). HLS numbers segments by their
 * position, not by name, so EXT-X-MEDIA-SEQUENCE counts the segments that
 * left the window, whatever the caller's seq; a gap in the caller's seq (a
 * lost segment) is marked with EXT-X-DISCONTINUITY, and
 * EXT-X-DISCONTINUITY-SEQUENCE counts the discontinuities that left the
 * window. With `max_files` > 0, segment files that left the window are
 * deleted, oldest first, while a variant has more than `max_files` on disk;
 * a file still listed is never deleted, so with `playlist_length` above
 * `max_files` a variant keeps `playlist_length` files.
 *
 * Durations are kept in whole milliseconds, which is what EXTINF shows.
 * Numbers are written the same whatever the locale.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "lphls.h"

#define MASTER_NAME "master.m3u8"
#define MEDIA_NAME "index.m3u8"
#define TMP_SUFFIX ".tmp"
/* ~31 years: far above any segment, far below where guint64 milliseconds
 * or the bit rate arithmetic could overflow */
#define MAX_DURATION_S 1e9

G_DEFINE_QUARK (lp-hls-error-quark, lp_hls_error);

typedef struct
{
  guint64 seq;
  guint64 duration_ms;
  gboolean discontinuity;
} Segment;

typedef struct
{
  gchar *name;
  guint width;
  guint height;
  guint bandwidth;
  gchar *codecs;
  gdouble frame_rate;

  /* <directory>/<name> */
  gchar *path;
  /* highest segment bit rate so far, bit/s; 0 before the first segment */
  guint64 measured;
  gboolean has_last;
  guint64 last_seq;
  /* EXT-X-TARGETDURATION may never shrink (RFC 8216 §6.2.1) */
  guint64 target_duration;
  /* segments and discontinuities that left the window */
  guint64 media_sequence;
  guint64 discontinuity_sequence;
  /* Segment *, oldest first */
  GQueue listed;
  /* Segment * that left the window but whose file is still on disk
   * (tracked only when max_files > 0), oldest first */
  GQueue unlisted;
  /* the playlist with EXT-X-ENDLIST is on disk */
  gboolean ended;
} Variant;

struct _LpHlsWriter
{
  GMutex lock;
  gchar *directory;
  guint playlist_length;
  guint max_files;
  /* Variant *, by index */
  GPtrArray *variants;
  /* a measured bandwidth grew since the master was last written */
  gboolean master_stale;
  gboolean finished;
};

static void
set_errno_error (GError ** error, int errsv, const gchar * what,
    const gchar * path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
      "Could not %s '%s': %s", what, path, g_strerror (errsv));
}

/* Writes @path as @path.tmp then renames it, so a reader sees the old
 * file or the new one, never a mix. No fsync: the readers are players
 * polling a live stream, not a recovery after a crash. */
static gboolean
write_atomically (const gchar * path, const gchar * data, gsize size,
    GError ** error)
{
  gchar *tmp = g_strconcat (path, TMP_SUFFIX, NULL);
  gboolean ok;

  ok = g_file_set_contents_full (tmp, data, size, G_FILE_SET_CONTENTS_NONE,
      0666, error);
  if (ok && g_rename (tmp, path) != 0) {
    set_errno_error (error, errno, "rename into place", path);
    ok = FALSE;
  }
  if (!ok)
    g_remove (tmp);
  g_free (tmp);
  return ok;
}

static gboolean
make_directory (const gchar * path, GError ** error)
{
  if (g_mkdir_with_parents (path, 0755) != 0) {
    set_errno_error (error, errno, "create directory", path);
    return FALSE;
  }
  if (g_access (path, W_OK | X_OK) != 0) {
    set_errno_error (error, errno, "write to directory", path);
    return FALSE;
  }
  return TRUE;
}

/* ---- variants ---- */

static void
segment_queue_clear (GQueue * queue)
{
  g_queue_clear_full (queue, g_free);
}

static void
variant_free (gpointer data)
{
  Variant *v = data;

  g_free (v->name);
  g_free (v->codecs);
  g_free (v->path);
  segment_queue_clear (&v->listed);
  segment_queue_clear (&v->unlisted);
  g_free (v);
}

/* A quoted-string attribute may hold neither CR, LF nor '"' (RFC 8216
 * §4.2) */
static gboolean
is_quotable (const gchar * text)
{
  return g_utf8_validate (text, -1, NULL) && strpbrk (text, "\r\n\"") == NULL;
}

/* The name becomes a directory and a URI: one plain path component,
 * printable UTF-8 */
static gboolean
is_plain_name (const gchar * name)
{
  const gchar *p;

  if (name == NULL || *name == '\0' || strcmp (name, ".") == 0
      || strcmp (name, "..") == 0 || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (p = name; *p != '\0'; p++) {
    if (G_IS_DIR_SEPARATOR (*p) || (guchar) * p < 0x20
        || *p == 0x7f)
      return FALSE;
  }
  return TRUE;
}

static gboolean
check_attributes (const LpHlsVariant * variant, GError ** error)
{
  if (variant->codecs != NULL && !is_quotable (variant->codecs)) {
    g_set_error (error, LP_HLS_ERROR, LP_HLS_ERROR_INVALID_VARIANT,
        "Invalid CODECS '%s': it may hold no quote nor line break",
        variant->codecs);
    return FALSE;
  }
  /* !(x >= 0) also refuses NaN */
  if (!(variant->frame_rate >= 0) || variant->frame_rate > 1e6) {
    g_set_error_literal (error, LP_HLS_ERROR, LP_HLS_ERROR_INVALID_VARIANT,
        "Invalid frame rate");
    return FALSE;
  }
  return TRUE;
}

static void
variant_set_attributes (Variant * v, const LpHlsVariant * variant)
{
  v->width = variant->width;
  v->height = variant->height;
  v->bandwidth = variant->bandwidth;
  g_free (v->codecs);
  v->codecs = variant->codecs != NULL && *variant->codecs != '\0' ?
      g_strdup (variant->codecs) : NULL;
  v->frame_rate = variant->frame_rate;
}

/* called with LOCK */
static Variant *
get_variant (LpHlsWriter * writer, gint index, GError ** error)
{
  if (index < 0 || (guint) index >= writer->variants->len) {
    g_set_error (error, LP_HLS_ERROR, LP_HLS_ERROR_INVALID_VARIANT,
        "No variant %d", index);
    return NULL;
  }
  return g_ptr_array_index (writer->variants, index);
}

/* called with LOCK */
static gboolean
name_is_used (LpHlsWriter * writer, const gchar * name)
{
  guint i;

  for (i = 0; i < writer->variants->len; i++) {
    Variant *v = g_ptr_array_index (writer->variants, i);

    if (strcmp (v->name, name) == 0)
      return TRUE;
  }
  return FALSE;
}

static guint64
effective_bandwidth (const Variant * v)
{
  if (v->bandwidth > 0)
    return v->bandwidth;
  return MAX (v->measured, 1);
}

/* ---- playlists ---- */

static void
append_seconds (GString * s, guint64 ms)
{
  g_string_append_printf (s, "%" G_GUINT64_FORMAT ".%03u", ms / 1000,
      (guint) (ms % 1000));
}

static gint
compare_bandwidth (gconstpointer a, gconstpointer b)
{
  guint64 x = effective_bandwidth (*(Variant * const *) a);
  guint64 y = effective_bandwidth (*(Variant * const *) b);

  return x > y ? -1 : x < y ? 1 : 0;
}

static void
append_stream_inf (GString * s, const Variant * v)
{
  gchar *uri;

  g_string_append_printf (s, "#EXT-X-STREAM-INF:BANDWIDTH=%" G_GUINT64_FORMAT,
      effective_bandwidth (v));
  if (v->width > 0 && v->height > 0)
    g_string_append_printf (s, ",RESOLUTION=%ux%u", v->width, v->height);
  if (v->codecs != NULL)
    g_string_append_printf (s, ",CODECS=\"%s\"", v->codecs);
  if (v->frame_rate > 0) {
    gchar rate[G_ASCII_DTOSTR_BUF_SIZE];

    g_string_append_printf (s, ",FRAME-RATE=%s",
        g_ascii_formatd (rate, sizeof (rate), "%.3f", v->frame_rate));
  }
  /* a name may hold characters a URI may not */
  uri = g_uri_escape_string (v->name, NULL, TRUE);
  g_string_append_printf (s, "\n%s/" MEDIA_NAME "\n", uri);
  g_free (uri);
}

/* called with LOCK */
static gboolean
write_master (LpHlsWriter * writer, GError ** error)
{
  GPtrArray *sorted = g_ptr_array_copy (writer->variants, NULL, NULL);
  GString *s = g_string_new ("#EXTM3U\n#EXT-X-VERSION:3\n");
  gchar *path;
  gboolean ok;
  guint i;

  /* the copy inherits the free function: it only borrows the variants */
  g_ptr_array_set_free_func (sorted, NULL);
  /* g_ptr_array_sort() is stable: ties keep the order of addition */
  g_ptr_array_sort (sorted, compare_bandwidth);
  for (i = 0; i < sorted->len; i++)
    append_stream_inf (s, g_ptr_array_index (sorted, i));
  g_ptr_array_unref (sorted);

  path = g_build_filename (writer->directory, MASTER_NAME, NULL);
  ok = write_atomically (path, s->str, s->len, error);
  if (ok)
    writer->master_stale = FALSE;
  g_free (path);
  g_string_free (s, TRUE);
  return ok;
}

/* called with LOCK */
static gboolean
write_media (LpHlsWriter * writer, Variant * v, gboolean end,
    GError ** error)
{
  GString *s = g_string_new ("#EXTM3U\n#EXT-X-VERSION:3\n");
  gchar *path;
  gboolean ok;
  GList *l;

  /* 0 would make players reload without pause */
  g_string_append_printf (s, "#EXT-X-TARGETDURATION:%" G_GUINT64_FORMAT "\n",
      MAX (v->target_duration, 1));
  g_string_append_printf (s, "#EXT-X-MEDIA-SEQUENCE:%" G_GUINT64_FORMAT "\n",
      v->media_sequence);
  if (v->discontinuity_sequence > 0)
    g_string_append_printf (s, "#EXT-X-DISCONTINUITY-SEQUENCE:%"
        G_GUINT64_FORMAT "\n", v->discontinuity_sequence);
  if (writer->playlist_length == 0)
    g_string_append (s, "#EXT-X-PLAYLIST-TYPE:EVENT\n");

  for (l = v->listed.head; l != NULL; l = l->next) {
    const Segment *seg = l->data;

    if (seg->discontinuity)
      g_string_append (s, "#EXT-X-DISCONTINUITY\n");
    g_string_append (s, "#EXTINF:");
    append_seconds (s, seg->duration_ms);
    g_string_append_printf (s, ",\n%" G_GUINT64_FORMAT ".ts\n", seg->seq);
  }
  if (end)
    g_string_append (s, "#EXT-X-ENDLIST\n");

  path = g_build_filename (v->path, MEDIA_NAME, NULL);
  ok = write_atomically (path, s->str, s->len, error);
  g_free (path);
  g_string_free (s, TRUE);
  return ok;
}

/* ---- segments ---- */

static gchar *
segment_path (const Variant * v, guint64 seq)
{
  gchar name[32];

  g_snprintf (name, sizeof (name), "%" G_GUINT64_FORMAT ".ts", seq);
  return g_build_filename (v->path, name, NULL);
}

static gboolean
write_segment_file (const Variant * v, guint64 seq, const guint8 * data,
    gsize size, GError ** error)
{
  gchar *path = segment_path (v, seq);
  gboolean ok;

  ok = write_atomically (path, (const gchar *) data, size, error);
  g_free (path);
  return ok;
}

/* Rounds up, so the announced peak is never below a measured rate */
static guint64
bit_rate (gsize size, guint64 duration_ms)
{
  gdouble rate = (gdouble) size * 8.0 * 1000.0 / (gdouble) duration_ms;
  guint64 r;

  if (rate >= (gdouble) G_MAXUINT64)
    return G_MAXUINT64;
  r = (guint64) rate;
  return (gdouble) r < rate ? r + 1 : r;
}

/* Drops the segments beyond playlist_length off the head of the window */
static void
slide_window (LpHlsWriter * writer, Variant * v)
{
  while (writer->playlist_length > 0
      && v->listed.length > writer->playlist_length) {
    Segment *seg = g_queue_pop_head (&v->listed);

    v->media_sequence++;
    if (seg->discontinuity)
      v->discontinuity_sequence++;
    if (writer->max_files > 0)
      g_queue_push_tail (&v->unlisted, seg);
    else
      g_free (seg);
  }
}

/* Deletes the oldest files no playlist lists any more while the variant
 * has more than max_files on disk. Called only once a playlist without
 * them is in place, so no player is sent to a deleted file. */
static void
delete_old_files (LpHlsWriter * writer, Variant * v)
{
  while (v->unlisted.length > 0
      && v->listed.length + v->unlisted.length > writer->max_files) {
    Segment *seg = g_queue_pop_head (&v->unlisted);
    gchar *path = segment_path (v, seg->seq);

    /* nothing to do about a failure but forget the file: a write must not
     * fail for an old segment */
    if (g_remove (path) != 0 && errno != ENOENT)
      g_debug ("Could not delete '%s': %s", path, g_strerror (errno));
    g_free (path);
    g_free (seg);
  }
}

/* Records a written segment; returns whether the measured peak grew */
static gboolean
append_segment (LpHlsWriter * writer, Variant * v, guint64 seq,
    guint64 duration_ms, gboolean discontinuity, gsize size)
{
  Segment *seg = g_new (Segment, 1);
  gboolean grew = FALSE;

  seg->seq = seq;
  seg->duration_ms = duration_ms;
  /* the position numbering cannot skip a number: a lost segment is a
   * discontinuity for the player */
  seg->discontinuity = discontinuity || (v->has_last && seq != v->last_seq + 1);
  g_queue_push_tail (&v->listed, seg);
  v->has_last = TRUE;
  v->last_seq = seq;
  v->target_duration = MAX (v->target_duration, (duration_ms + 999) / 1000);
  if (duration_ms > 0) {
    guint64 rate = bit_rate (size, duration_ms);

    if (rate > v->measured) {
      v->measured = rate;
      grew = TRUE;
    }
  }
  slide_window (writer, v);
  return grew;
}

/* ---- public ---- */

/**
 * lp_hls_writer_new:
 * @directory: where the ladder goes; created with its parents if needed
 * @playlist_length: how many segments each media playlist lists, 0 for
 *     all (an EVENT playlist)
 * @max_files: how many segment files to keep per variant, 0 for all;
 *     files still listed are kept regardless
 * @error: (nullable): return location for a #GError
 *
 * Writes nothing until the first variant is added.
 *
 * Returns: (transfer full) (nullable): a new writer, free it with
 *     lp_hls_writer_free(); %NULL with a %G_FILE_ERROR when @directory
 *     cannot be created or written to
 */
LpHlsWriter *
lp_hls_writer_new (const gchar * directory, guint playlist_length,
    guint max_files, GError ** error)
{
  LpHlsWriter *writer;

  g_return_val_if_fail (directory != NULL && *directory != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!make_directory (directory, error))
    return NULL;

  writer = g_new0 (LpHlsWriter, 1);
  g_mutex_init (&writer->lock);
  writer->directory = g_strdup (directory);
  writer->playlist_length = playlist_length;
  writer->max_files = max_files;
  writer->variants = g_ptr_array_new_with_free_func (variant_free);
  return writer;
}

/**
 * lp_hls_writer_free:
 * @writer: (transfer full) (nullable): a writer
 *
 * Frees @writer. It does not finish the ladder (see lp_hls_writer_finish())
 * and leaves every file in place. No other thread may use it any more.
 */
void
lp_hls_writer_free (LpHlsWriter * writer)
{
  if (writer == NULL)
    return;
  g_ptr_array_unref (writer->variants);
  g_free (writer->directory);
  g_mutex_clear (&writer->lock);
  g_free (writer);
}

/* called with LOCK */
static gint
add_variant_locked (LpHlsWriter * writer, const LpHlsVariant * variant,
    GError ** error)
{
  Variant *v;

  if (writer->finished) {
    g_set_error_literal (error, LP_HLS_ERROR, LP_HLS_ERROR_FINISHED,
        "The HLS ladder is finished");
    return -1;
  }
  if (!is_plain_name (variant->name)) {
    g_set_error (error, LP_HLS_ERROR, LP_HLS_ERROR_INVALID_VARIANT,
        "Invalid variant name '%s': it must be a plain file name",
        variant->name != NULL ? variant->name : "(null)");
    return -1;
  }
  if (name_is_used (writer, variant->name)) {
    g_set_error (error, LP_HLS_ERROR, LP_HLS_ERROR_INVALID_VARIANT,
        "Variant name '%s' is already used", variant->name);
    return -1;
  }
  if (!check_attributes (variant, error))
    return -1;

  v = g_new0 (Variant, 1);
  v->name = g_strdup (variant->name);
  v->path = g_build_filename (writer->directory, variant->name, NULL);
  variant_set_attributes (v, variant);
  g_queue_init (&v->listed);
  g_queue_init (&v->unlisted);

  /* an empty media playlist right away: a player that reads the master
   * before the first segment gets a live playlist to poll, not a 404 */
  if (!make_directory (v->path, error) || !write_media (writer, v, FALSE,
          error)) {
    variant_free (v);
    return -1;
  }
  g_ptr_array_add (writer->variants, v);
  if (!write_master (writer, error)) {
    g_ptr_array_remove_index (writer->variants, writer->variants->len - 1);
    return -1;
  }
  return writer->variants->len - 1;
}

/**
 * lp_hls_writer_add_variant:
 * @writer: (transfer none): a writer
 * @variant: (transfer none): the new variant; its strings are copied
 * @error: (nullable): return location for a #GError
 *
 * Creates `<directory>/<name>/` with an empty media playlist and rewrites
 * the master playlist. MT safe.
 *
 * Returns: the variant's index (0 for the first, then 1, ...); -1 with
 *     %LP_HLS_ERROR_INVALID_VARIANT (a bad or used name, a CODECS with a
 *     quote or line break, a negative frame rate), %LP_HLS_ERROR_FINISHED
 *     or a %G_FILE_ERROR
 */
gint
lp_hls_writer_add_variant (LpHlsWriter * writer,
    const LpHlsVariant * variant, GError ** error)
{
  gint index;

  g_return_val_if_fail (writer != NULL && variant != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  g_mutex_lock (&writer->lock);
  index = add_variant_locked (writer, variant, error);
  g_mutex_unlock (&writer->lock);
  return index;
}

/**
 * lp_hls_writer_update_variant:
 * @writer: (transfer none): a writer
 * @index: the variant's index
 * @variant: (transfer none): its new attributes; @variant->name must be
 *     %NULL or the variant's name
 * @error: (nullable): return location for a #GError
 *
 * Changes a variant's width, height, bandwidth, codecs and frame rate and
 * rewrites the master playlist; also allowed once the ladder is finished.
 * On a file error the new attributes stay and the next rewrite of the
 * master carries them. MT safe.
 *
 * Returns: %TRUE on success; %FALSE with %LP_HLS_ERROR_INVALID_VARIANT
 *     (an unknown @index, another name, bad attributes) or a
 *     %G_FILE_ERROR
 */
gboolean
lp_hls_writer_update_variant (LpHlsWriter * writer, gint index,
    const LpHlsVariant * variant, GError ** error)
{
  gboolean ok = FALSE;
  Variant *v;

  g_return_val_if_fail (writer != NULL && variant != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&writer->lock);
  v = get_variant (writer, index, error);
  if (v == NULL)
    goto out;
  if (variant->name != NULL && strcmp (variant->name, v->name) != 0) {
    g_set_error (error, LP_HLS_ERROR, LP_HLS_ERROR_INVALID_VARIANT,
        "Variant %d is named '%s', not '%s': a variant cannot be renamed",
        index, v->name, variant->name);
    goto out;
  }
  if (!check_attributes (variant, error))
    goto out;
  variant_set_attributes (v, variant);
  ok = write_master (writer, error);

out:
  g_mutex_unlock (&writer->lock);
  return ok;
}

/* called with LOCK */
static gboolean
write_segment_locked (LpHlsWriter * writer, gint index, guint64 seq,
    guint64 duration_ms, gboolean discontinuity, const guint8 * data,
    gsize size, GError ** error)
{
  Variant *v;

  if (writer->finished) {
    g_set_error_literal (error, LP_HLS_ERROR, LP_HLS_ERROR_FINISHED,
        "The HLS ladder is finished");
    return FALSE;
  }
  v = get_variant (writer, index, error);
  if (v == NULL)
    return FALSE;
  if (v->has_last && seq <= v->last_seq) {
    g_set_error (error, LP_HLS_ERROR, LP_HLS_ERROR_OUT_OF_ORDER,
        "Segment %" G_GUINT64_FORMAT " of variant '%s' comes after segment %"
        G_GUINT64_FORMAT, seq, v->name, v->last_seq);
    return FALSE;
  }
  /* a failed segment changes nothing */
  if (!write_segment_file (v, seq, data, size, error))
    return FALSE;

  /* from here the segment is on disk and counted: if a playlist cannot be
   * written, the next rewrite lists it */
  if (append_segment (writer, v, seq, duration_ms, discontinuity, size)
      && v->bandwidth == 0)
    writer->master_stale = TRUE;
  if (!write_media (writer, v, FALSE, error))
    return FALSE;
  delete_old_files (writer, v);
  if (writer->master_stale)
    return write_master (writer, error);
  return TRUE;
}

/**
 * lp_hls_writer_write_segment:
 * @writer: (transfer none): a writer
 * @index: the variant's index
 * @seq: the segment's sequence number, above the variant's previous one
 *     (any for its first segment); it names the file `<seq>.ts`
 * @duration_s: the segment's duration, seconds (rounded to milliseconds)
 * @discontinuity: whether the segment starts a discontinuity (new
 *     timestamps, encoding parameters); a gap after the previous @seq
 *     makes one anyway
 * @data: (array length=size): the MPEG-TS bytes
 * @size: the number of bytes
 * @error: (nullable): return location for a #GError
 *
 * Writes the segment file, adds it to the variant's media playlist
 * (dropping the oldest beyond `playlist_length`), deletes files beyond
 * `max_files` and rewrites the master when the variant's measured
 * bandwidth grew. When only a playlist cannot be written the segment
 * stays counted and the next rewrite lists it. MT safe.
 *
 * Returns: %TRUE on success; %FALSE with %LP_HLS_ERROR_INVALID_VARIANT
 *     (unknown @index), %LP_HLS_ERROR_OUT_OF_ORDER,
 *     %LP_HLS_ERROR_FINISHED or a %G_FILE_ERROR
 */
gboolean
lp_hls_writer_write_segment (LpHlsWriter * writer, gint index, guint64 seq,
    gdouble duration_s, gboolean discontinuity, const guint8 * data,
    gsize size, GError ** error)
{
  guint64 duration_ms;
  gboolean ok;

  g_return_val_if_fail (writer != NULL, FALSE);
  /* !(x >= 0) also refuses NaN */
  g_return_val_if_fail (duration_s >= 0 && duration_s <= MAX_DURATION_S,
      FALSE);
  g_return_val_if_fail (data != NULL || size == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  duration_ms = (guint64) (duration_s * 1000.0 + 0.5);
  g_mutex_lock (&writer->lock);
  ok = write_segment_locked (writer, index, seq, duration_ms, discontinuity,
      data, size, error);
  g_mutex_unlock (&writer->lock);
  return ok;
}

/**
 * lp_hls_writer_finish:
 * @writer: (transfer none): a writer
 * @error: (nullable): return location for a #GError
 *
 * Ends every media playlist with EXT-X-ENDLIST. Afterwards
 * lp_hls_writer_write_segment() and lp_hls_writer_add_variant() fail with
 * %LP_HLS_ERROR_FINISHED. Calling it again only retries the playlists
 * that could not be written, so after a success it does nothing. MT safe.
 *
 * Returns: %TRUE on success; %FALSE with a %G_FILE_ERROR (about the first
 *     playlist that could not be written; the others are written anyway)
 */
gboolean
lp_hls_writer_finish (LpHlsWriter * writer, GError ** error)
{
  gboolean ok = TRUE;
  guint i;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&writer->lock);
  writer->finished = TRUE;
  for (i = 0; i < writer->variants->len; i++) {
    Variant *v = g_ptr_array_index (writer->variants, i);

    if (v->ended)
      continue;
    if (write_media (writer, v, TRUE, ok ? error : NULL))
      v->ended = TRUE;
    else
      ok = FALSE;
  }
  g_mutex_unlock (&writer->lock);
  return ok;
}

/**
 * lp_hls_writer_get_segment_path:
 * @writer: (transfer none): a writer
 * @index: a variant's index
 * @seq: a sequence number
 *
 * Where segment @seq of a variant is (or would be) written, whether or
 * not it exists. MT safe.
 *
 * Returns: (transfer full) (nullable): `<directory>/<name>/<seq>.ts`, free
 *     it with g_free(); %NULL for an unknown @index
 */
gchar *
lp_hls_writer_get_segment_path (LpHlsWriter * writer, gint index,
    guint64 seq)
{
  gchar *path = NULL;
  Variant *v;

  g_return_val_if_fail (writer != NULL, NULL);

  g_mutex_lock (&writer->lock);
  v = get_variant (writer, index, NULL);
  if (v != NULL)
    path = segment_path (v, seq);
  g_mutex_unlock (&writer->lock);
  return path;
}

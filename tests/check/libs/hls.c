/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of lphls: the exact master and media playlists, the sliding
 * window and file deletion, discontinuities, ordering, finishing, names,
 * file errors and locale independence.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <locale.h>
#include <string.h>

#include "lpcheck.h"
#include <gst/livepeer/lphls.h>

static const guint8 payload[2000] = { 0x47 };

/* ---- helpers ---- */

static gchar *
make_tmp_dir (void)
{
  gchar *dir = g_dir_make_tmp ("lp-hls-XXXXXX", NULL);

  fail_unless (dir != NULL);
  return dir;
}

static gchar *
read_text (const gchar * dir, const gchar * name)
{
  gchar *path = g_build_filename (dir, name, NULL);
  gchar *text = NULL;

  fail_unless (g_file_get_contents (path, &text, NULL, NULL), "no %s", path);
  g_free (path);
  return text;
}

static void
assert_text (const gchar * dir, const gchar * name, const gchar * expected)
{
  gchar *text = read_text (dir, name);

  fail_unless_equals_string (text, expected);
  g_free (text);
}

static gboolean
exists (const gchar * dir, const gchar * name)
{
  gchar *path = g_build_filename (dir, name, NULL);
  gboolean found = g_file_test (path, G_FILE_TEST_EXISTS);

  g_free (path);
  return found;
}

static guint
count_segment_files (const gchar * dir, const gchar * variant)
{
  gchar *path = g_build_filename (dir, variant, NULL);
  GDir *d = g_dir_open (path, 0, NULL);
  const gchar *name;
  guint n = 0;

  fail_unless (d != NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    n += g_str_has_suffix (name, ".ts");
  g_dir_close (d);
  g_free (path);
  return n;
}

static guint
count_lines (const gchar * text, const gchar * line)
{
  gchar **lines = g_strsplit (text, "\n", -1);
  guint i, n = 0;

  for (i = 0; lines[i] != NULL; i++)
    n += strcmp (lines[i], line) == 0;
  g_strfreev (lines);
  return n;
}

static gint
add (LpHlsWriter * w, const gchar * name, guint bandwidth)
{
  LpHlsVariant v = { name, 0, 0, bandwidth, NULL, 0 };
  GError *error = NULL;
  gint index = lp_hls_writer_add_variant (w, &v, &error);

  fail_unless (index >= 0, "%s", error ? error->message : "");
  return index;
}

static void
write_ok (LpHlsWriter * w, gint index, guint64 seq, gdouble duration,
    gboolean discontinuity, gsize size)
{
  GError *error = NULL;

  fail_unless (lp_hls_writer_write_segment (w, index, seq, duration,
          discontinuity, payload, size, &error), "%s",
      error ? error->message : "");
}

/* A writer into @dir with one variant, "v" (1000 bit/s declared) */
static LpHlsWriter *
single_variant_writer (const gchar * dir, guint playlist_length,
    guint max_files)
{
  GError *error = NULL;
  LpHlsWriter *w = lp_hls_writer_new (dir, playlist_length, max_files,
      &error);

  fail_unless (w != NULL, "%s", error ? error->message : "");
  add (w, "v", 1000);
  return w;
}

/* A writer into @dir listing 5 segments, keeping every file, with
 * variants "a" (1000 bit/s) and "b" (@b_bandwidth) and segment @a_seq of
 * "a" written */
static LpHlsWriter *
two_variant_writer (const gchar * dir, guint b_bandwidth, guint64 a_seq)
{
  GError *error = NULL;
  LpHlsWriter *w = lp_hls_writer_new (dir, 5, 0, &error);

  fail_unless (w != NULL, "%s", error ? error->message : "");
  add (w, "a", 1000);
  add (w, "b", b_bandwidth);
  write_ok (w, 0, a_seq, 2.0, FALSE, 10);
  return w;
}

/* Segments @first to @end - 1 of variant 0, each @duration long */
static void
write_run (LpHlsWriter * w, guint64 first, guint64 end, gdouble duration)
{
  guint64 seq;

  for (seq = first; seq < end; seq++)
    write_ok (w, 0, seq, duration, FALSE, 10);
}

/* Frees @w and removes @dir, which must hold no temporary file left */
static void
writer_free_and_clean (LpHlsWriter * w, const gchar * dir)
{
  lp_hls_writer_free (w);
  lp_check_remove_tree_refusing (dir, ".tmp");
}

/* @done is FALSE and @error says @code (of LP_HLS_ERROR); clears it */
static void
assert_hls_error (gboolean done, GError ** error, gint code)
{
  fail_if (done);
  fail_unless (g_error_matches (*error, LP_HLS_ERROR, code), "%s",
      *error ? (*error)->message : "no error");
  g_clear_error (error);
}

/* ---- tests ---- */

/* A media playlist's opening lines, and one segment of it */
#define PLAYLIST_HEAD(target, media_seq) \
  "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:" #target "\n" \
  "#EXT-X-MEDIA-SEQUENCE:" #media_seq "\n"
#define EVENT_TYPE "#EXT-X-PLAYLIST-TYPE:EVENT\n"
#define EXTINF(duration, seq) "#EXTINF:" #duration ",\n" #seq ".ts\n"

/* the master playlist's lines of variants m, b and c, in that order */
#define MASTER_M_B_C \
  "#EXT-X-STREAM-INF:BANDWIDTH=8000\nm/index.m3u8\n" \
  "#EXT-X-STREAM-INF:BANDWIDTH=5000\nb/index.m3u8\n" \
  "#EXT-X-STREAM-INF:BANDWIDTH=5000\nc/index.m3u8\n"

#define MASTER_LADDER \
  "#EXTM3U\n" \
  "#EXT-X-VERSION:3\n" \
  "#EXT-X-STREAM-INF:BANDWIDTH=3000000,RESOLUTION=1280x720," \
  "CODECS=\"avc1.64001f,mp4a.40.2\",FRAME-RATE=30.000\n" \
  "720p/index.m3u8\n" \
  "#EXT-X-STREAM-INF:BANDWIDTH=%s,RESOLUTION=640x360," \
  "CODECS=\"avc1.42c01e\",FRAME-RATE=29.970\n" \
  "360p/index.m3u8\n"

GST_START_TEST (test_ladder)
{
  LpHlsVariant low = { "360p", 640, 360, 0, "avc1.42c01e", 29.97 };
  LpHlsVariant high = { "720p", 1280, 720, 3000000,
    "avc1.64001f,mp4a.40.2", 30
  };
  static const gdouble durations[] = { 2.0, 2.0, 1.5 };
  static const gsize sizes[] = { 1000, 1500, 500 };
  gchar *dir = make_tmp_dir (), *master, *path, *data;
  GError *error = NULL;
  LpHlsWriter *w;
  gsize length;
  guint i;

  w = lp_hls_writer_new (dir, 5, 0, &error);
  fail_unless (w != NULL);
  fail_unless_equals_int (lp_hls_writer_add_variant (w, &low, &error), 0);
  fail_unless_equals_int (lp_hls_writer_add_variant (w, &high, &error), 1);

  /* before any segment: an empty live playlist, a BANDWIDTH of 1 */
  master = g_strdup_printf (MASTER_LADDER, "1");
  assert_text (dir, "master.m3u8", master);
  g_free (master);
  assert_text (dir, "360p/index.m3u8", PLAYLIST_HEAD (1, 0));

  for (i = 0; i < 3; i++) {
    write_ok (w, 0, i, durations[i], FALSE, sizes[i]);
    write_ok (w, 1, i, durations[i], FALSE, 100);
  }

  /* 1500 bytes in 2 s: 6000 bit/s, the peak of 4000, 6000 and 2667 */
  master = g_strdup_printf (MASTER_LADDER, "6000");
  assert_text (dir, "master.m3u8", master);
  g_free (master);
  for (i = 0; i < 2; i++)
    assert_text (dir, i ? "720p/index.m3u8" : "360p/index.m3u8",
        PLAYLIST_HEAD (2, 0) EXTINF (2.000, 0) EXTINF (2.000, 1)
        EXTINF (1.500, 2));

  /* the segment files hold the bytes given */
  path = lp_hls_writer_get_segment_path (w, 0, 1);
  fail_unless (g_str_has_suffix (path, "/360p/1.ts"));
  fail_unless (g_str_has_prefix (path, dir));
  fail_unless (g_file_get_contents (path, &data, &length, NULL));
  fail_unless_equals_int (length, 1500);
  fail_unless (memcmp (data, payload, length) == 0);
  g_free (data);
  g_free (path);
  fail_unless (lp_hls_writer_get_segment_path (w, 2, 1) == NULL);
  fail_unless (lp_hls_writer_get_segment_path (w, -1, 1) == NULL);

  writer_free_and_clean (w, dir);
  g_free (dir);
}

GST_END_TEST;

/* The URIs of the master playlist, in order, joined by spaces */
static gchar *
master_order (const gchar * dir)
{
  gchar *text = read_text (dir, "master.m3u8");
  gchar **lines = g_strsplit (text, "\n", -1);
  GString *order = g_string_new (NULL);
  guint i;

  for (i = 0; lines[i] != NULL; i++) {
    if (g_str_has_suffix (lines[i], "/index.m3u8")) {
      if (order->len > 0)
        g_string_append_c (order, ' ');
      g_string_append_len (order, lines[i], strchr (lines[i], '/') - lines[i]);
    }
  }
  g_strfreev (lines);
  g_free (text);
  return g_string_free (order, FALSE);
}

static void
assert_order (const gchar * dir, const gchar * expected)
{
  gchar *order = master_order (dir);

  fail_unless_equals_string (order, expected);
  g_free (order);
}

GST_START_TEST (test_bandwidth_order)
{
  gchar *dir = make_tmp_dir ();
  LpHlsVariant v = { NULL, 0, 0, 0, NULL, 0 };
  GError *error = NULL;
  LpHlsWriter *w;
  gint measured;

  w = lp_hls_writer_new (dir, 5, 0, &error);
  add (w, "a", 1000);
  add (w, "b", 5000);
  measured = add (w, "m", 0);
  add (w, "c", 5000);
  /* ties keep the order of addition; nothing measured yet: last */
  assert_order (dir, "b c a m");

  /* 1000 bytes in 1 s: 8000 bit/s, now the highest */
  write_ok (w, measured, 0, 1.0, FALSE, 1000);
  assert_order (dir, "m b c a");

  /* update: a new bandwidth reorders; zeros drop their attributes */
  v.bandwidth = 9000;
  fail_unless (lp_hls_writer_update_variant (w, 0, &v, &error));
  assert_order (dir, "a m b c");
  assert_text (dir, "master.m3u8", "#EXTM3U\n#EXT-X-VERSION:3\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=9000\na/index.m3u8\n"
      MASTER_M_B_C);

  /* the same name is accepted, another is not; nor an unknown index */
  v.name = "a";
  v.width = 320;
  v.height = 240;
  v.codecs = "avc1.42c00d";
  v.frame_rate = 25;
  fail_unless (lp_hls_writer_update_variant (w, 0, &v, &error));
  assert_text (dir, "master.m3u8", "#EXTM3U\n#EXT-X-VERSION:3\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=9000,RESOLUTION=320x240,"
      "CODECS=\"avc1.42c00d\",FRAME-RATE=25.000\na/index.m3u8\n"
      MASTER_M_B_C);
  v.name = "b";
  assert_hls_error (lp_hls_writer_update_variant (w, 0, &v, &error), &error,
      LP_HLS_ERROR_INVALID_VARIANT);
  v.name = NULL;
  assert_hls_error (lp_hls_writer_update_variant (w, 4, &v, &error), &error,
      LP_HLS_ERROR_INVALID_VARIANT);
  /* a width without a height is no RESOLUTION */
  v.width = 320;
  v.height = 0;
  v.codecs = NULL;
  v.frame_rate = 0;
  fail_unless (lp_hls_writer_update_variant (w, 0, &v, &error));
  assert_text (dir, "master.m3u8", "#EXTM3U\n#EXT-X-VERSION:3\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=9000\na/index.m3u8\n"
      MASTER_M_B_C);

  writer_free_and_clean (w, dir);
  g_free (dir);
}

GST_END_TEST;

static gboolean
master_has (const gchar * dir, const gchar * attribute)
{
  gchar *text = read_text (dir, "master.m3u8");
  gboolean found = strstr (text, attribute) != NULL;

  g_free (text);
  return found;
}

GST_START_TEST (test_measured_bandwidth)
{
  gchar *dir = make_tmp_dir ();
  GError *error = NULL;
  LpHlsWriter *w;

  w = lp_hls_writer_new (dir, 3, 0, &error);
  add (w, "v", 0);
  fail_unless (master_has (dir, "BANDWIDTH=1\n"));

  /* 1000 bytes in 3 s: 2666.7 bit/s, rounded up */
  write_ok (w, 0, 0, 3.0, FALSE, 1000);
  fail_unless (master_has (dir, "BANDWIDTH=2667\n"));
  /* a higher rate raises it */
  write_ok (w, 0, 1, 1.0, FALSE, 2000);
  fail_unless (master_has (dir, "BANDWIDTH=16000\n"));
  /* a lower one leaves the peak */
  write_ok (w, 0, 2, 2.0, FALSE, 100);
  fail_unless (master_has (dir, "BANDWIDTH=16000\n"));
  /* nor does a segment of no duration measure anything */
  write_ok (w, 0, 3, 0.0, FALSE, 2000);
  fail_unless (master_has (dir, "BANDWIDTH=16000\n"));

  writer_free_and_clean (w, dir);
  g_free (dir);
}

GST_END_TEST;

GST_START_TEST (test_sliding_window)
{
  gchar *dir = make_tmp_dir ();
  LpHlsWriter *w;

  /* 2 listed, 3 files kept */
  w = single_variant_writer (dir, 2, 3);
  write_run (w, 10, 16, 2.0);
  assert_text (dir, "v/index.m3u8",
      PLAYLIST_HEAD (2, 4) EXTINF (2.000, 14) EXTINF (2.000, 15));
  fail_if (exists (dir, "v/10.ts") || exists (dir, "v/11.ts")
      || exists (dir, "v/12.ts"));
  fail_unless (exists (dir, "v/13.ts") && exists (dir, "v/14.ts")
      && exists (dir, "v/15.ts"));
  writer_free_and_clean (w, dir);

  /* 3 listed, 1 file kept: a listed file is never deleted */
  w = single_variant_writer (dir, 3, 1);
  write_run (w, 0, 5, 2.0);
  fail_unless_equals_int (count_segment_files (dir, "v"), 3);
  fail_unless (exists (dir, "v/2.ts") && exists (dir, "v/3.ts")
      && exists (dir, "v/4.ts"));
  writer_free_and_clean (w, dir);

  /* max_files 0 keeps every file; the target duration never shrinks */
  w = single_variant_writer (dir, 2, 0);
  write_run (w, 0, 1, 4.2);
  write_run (w, 1, 6, 2.0);
  fail_unless_equals_int (count_segment_files (dir, "v"), 6);
  assert_text (dir, "v/index.m3u8",
      PLAYLIST_HEAD (5, 4) EXTINF (2.000, 4) EXTINF (2.000, 5));
  writer_free_and_clean (w, dir);
  g_free (dir);
}

GST_END_TEST;

GST_START_TEST (test_event_playlist)
{
#define EVENT_3X6 PLAYLIST_HEAD (6, 0) EVENT_TYPE \
  EXTINF (6.000, 0) EXTINF (6.000, 1) EXTINF (6.000, 2)
  gchar *dir = make_tmp_dir ();
  GError *error = NULL;
  LpHlsWriter *w;

  /* playlist_length 0 lists every segment; max_files cannot delete any */
  w = single_variant_writer (dir, 0, 1);
  write_run (w, 0, 3, 6.0);
  assert_text (dir, "v/index.m3u8", EVENT_3X6);
  fail_unless_equals_int (count_segment_files (dir, "v"), 3);

  fail_unless (lp_hls_writer_finish (w, &error));
  assert_text (dir, "v/index.m3u8", EVENT_3X6 "#EXT-X-ENDLIST\n");

  writer_free_and_clean (w, dir);
  g_free (dir);
#undef EVENT_3X6
}

GST_END_TEST;

GST_START_TEST (test_discontinuities)
{
  gchar *dir = make_tmp_dir ();
  LpHlsWriter *w;

  w = single_variant_writer (dir, 0, 0);
  write_run (w, 1, 3, 2.0);
  /* 3 is lost: 4 is a discontinuity though not flagged */
  write_run (w, 4, 5, 2.0);
  /* flagged */
  write_ok (w, 0, 5, 2.0, TRUE, 10);
  write_run (w, 6, 7, 2.0);
  assert_text (dir, "v/index.m3u8",
      PLAYLIST_HEAD (2, 0) EVENT_TYPE
      EXTINF (2.000, 1) EXTINF (2.000, 2)
      "#EXT-X-DISCONTINUITY\n" EXTINF (2.000, 4)
      "#EXT-X-DISCONTINUITY\n" EXTINF (2.000, 5) EXTINF (2.000, 6));
  fail_if (exists (dir, "v/3.ts"));

  writer_free_and_clean (w, dir);
  g_free (dir);
}

GST_END_TEST;

GST_START_TEST (test_discontinuity_sequence)
{
  gchar *dir = make_tmp_dir ();
  LpHlsWriter *w;

  w = single_variant_writer (dir, 2, 0);
  write_run (w, 0, 1, 2.0);
  write_ok (w, 0, 1, 2.0, TRUE, 10);
  write_run (w, 2, 3, 2.0);
  /* the discontinuity is still listed: no DISCONTINUITY-SEQUENCE yet */
  assert_text (dir, "v/index.m3u8", PLAYLIST_HEAD (2, 1)
      "#EXT-X-DISCONTINUITY\n" EXTINF (2.000, 1) EXTINF (2.000, 2));

  write_run (w, 3, 4, 2.0);
  assert_text (dir, "v/index.m3u8", PLAYLIST_HEAD (2, 2)
      "#EXT-X-DISCONTINUITY-SEQUENCE:1\n" EXTINF (2.000, 2)
      EXTINF (2.000, 3));

  /* a gap counts too once it leaves: 5 follows the lost 4 */
  write_run (w, 5, 8, 2.0);
  assert_text (dir, "v/index.m3u8", PLAYLIST_HEAD (2, 5)
      "#EXT-X-DISCONTINUITY-SEQUENCE:2\n" EXTINF (2.000, 6)
      EXTINF (2.000, 7));

  writer_free_and_clean (w, dir);
  g_free (dir);
}

GST_END_TEST;

GST_START_TEST (test_out_of_order)
{
  gchar *dir = make_tmp_dir (), *before;
  GError *error = NULL;
  LpHlsWriter *w;

  w = two_variant_writer (dir, 1000, 5);
  before = read_text (dir, "a/index.m3u8");

  assert_hls_error (lp_hls_writer_write_segment (w, 0, 5, 2.0, FALSE, payload,
          10, &error), &error, LP_HLS_ERROR_OUT_OF_ORDER);
  assert_hls_error (lp_hls_writer_write_segment (w, 0, 4, 2.0, FALSE, payload,
          10, &error), &error, LP_HLS_ERROR_OUT_OF_ORDER);
  /* nothing changed */
  assert_text (dir, "a/index.m3u8", before);
  fail_if (exists (dir, "a/4.ts"));
  g_free (before);

  /* each variant has its own order; an unknown one is refused */
  write_ok (w, 1, 0, 2.0, FALSE, 10);
  write_ok (w, 0, 6, 2.0, FALSE, 10);
  assert_hls_error (lp_hls_writer_write_segment (w, 2, 7, 2.0, FALSE, payload,
          10, &error), &error, LP_HLS_ERROR_INVALID_VARIANT);

  writer_free_and_clean (w, dir);
  g_free (dir);
}

GST_END_TEST;

GST_START_TEST (test_finish)
{
  gchar *dir = make_tmp_dir (), *text;
  LpHlsVariant v = { "late", 0, 0, 1000, NULL, 0 };
  GError *error = NULL;
  LpHlsWriter *w;

  w = two_variant_writer (dir, 2000, 0);

  fail_unless (lp_hls_writer_finish (w, &error));
  fail_unless (lp_hls_writer_finish (w, &error));
  text = read_text (dir, "a/index.m3u8");
  fail_unless_equals_int (count_lines (text, "#EXT-X-ENDLIST"), 1);
  fail_unless (g_str_has_suffix (text, "0.ts\n#EXT-X-ENDLIST\n"));
  g_free (text);
  /* a variant without segments is ended too */
  assert_text (dir, "b/index.m3u8", PLAYLIST_HEAD (1, 0) "#EXT-X-ENDLIST\n");

  assert_hls_error (lp_hls_writer_write_segment (w, 0, 1, 2.0, FALSE, payload,
          10, &error), &error, LP_HLS_ERROR_FINISHED);
  fail_if (exists (dir, "a/1.ts"));
  fail_unless_equals_int (lp_hls_writer_add_variant (w, &v, &error), -1);
  assert_hls_error (FALSE, &error, LP_HLS_ERROR_FINISHED);
  fail_if (exists (dir, "late"));

  writer_free_and_clean (w, dir);
  g_free (dir);
}

GST_END_TEST;

static void
assert_refused (LpHlsWriter * w, const gchar * name, const gchar * codecs)
{
  LpHlsVariant v = { name, 0, 0, 1000, codecs, 0 };
  GError *error = NULL;

  fail_unless_equals_int (lp_hls_writer_add_variant (w, &v, &error), -1);
  fail_unless (g_error_matches (error, LP_HLS_ERROR,
          LP_HLS_ERROR_INVALID_VARIANT), "'%s' accepted", name);
  g_clear_error (&error);
}

GST_START_TEST (test_bad_names)
{
  gchar *dir = make_tmp_dir (), *text;
  LpHlsVariant bad_rate = { "n", 0, 0, 1000, NULL, -1 };
  GError *error = NULL;
  LpHlsWriter *w;

  w = lp_hls_writer_new (dir, 5, 0, &error);
  assert_refused (w, NULL, NULL);
  assert_refused (w, "", NULL);
  assert_refused (w, ".", NULL);
  assert_refused (w, "..", NULL);
  assert_refused (w, "a/b", NULL);
  assert_refused (w, "../up", NULL);
  assert_refused (w, "/abs", NULL);
  assert_refused (w, "line\nbreak", NULL);
  assert_refused (w, "\xff", NULL);
  assert_refused (w, "q", "avc1\"");
  fail_unless_equals_int (lp_hls_writer_add_variant (w, &bad_rate, &error),
      -1);
  fail_unless (g_error_matches (error, LP_HLS_ERROR,
          LP_HLS_ERROR_INVALID_VARIANT));
  g_clear_error (&error);
  /* nothing was created */
  fail_if (exists (dir, "master.m3u8") || exists (dir, "a")
      || exists (dir, "q"));

  /* the first good one still gets index 0; a name is used once */
  fail_unless_equals_int (add (w, "a.b-1_2", 1000), 0);
  assert_refused (w, "a.b-1_2", NULL);
  /* a name with a space is a directory as is and an escaped URI */
  fail_unless_equals_int (add (w, "my rung", 500), 1);
  fail_unless (exists (dir, "my rung/index.m3u8"));
  text = read_text (dir, "master.m3u8");
  fail_unless (strstr (text, "\nmy%20rung/index.m3u8\n") != NULL);
  g_free (text);

  writer_free_and_clean (w, dir);
  g_free (dir);
}

GST_END_TEST;

GST_START_TEST (test_file_errors)
{
  gchar *dir = make_tmp_dir ();
  gchar *file = g_build_filename (dir, "plain", NULL);
  gchar *under = g_build_filename (file, "hls", NULL);
  gchar *out = g_build_filename (dir, "out", NULL);
  gchar *clash = g_build_filename (out, "clash", NULL);
  GError *error = NULL;
  LpHlsWriter *w;

  /* a directory under a regular file cannot be made */
  fail_unless (g_file_set_contents (file, "x", 1, NULL));
  fail_unless (lp_hls_writer_new (under, 5, 0, &error) == NULL);
  fail_unless (error != NULL && error->domain == G_FILE_ERROR);
  fail_unless (strstr (error->message, under) != NULL, "%s", error->message);
  g_clear_error (&error);

  /* nor a variant's directory where a file is: the index is not used */
  w = lp_hls_writer_new (out, 5, 0, &error);
  fail_unless (w != NULL);
  fail_unless (g_file_set_contents (clash, "x", 1, NULL));
  {
    LpHlsVariant v = { "clash", 0, 0, 1000, NULL, 0 };

    fail_unless_equals_int (lp_hls_writer_add_variant (w, &v, &error), -1);
    fail_unless (error != NULL && error->domain == G_FILE_ERROR);
    fail_unless (strstr (error->message, clash) != NULL, "%s",
        error->message);
    g_clear_error (&error);
  }
  fail_unless_equals_int (add (w, "ok", 1000), 0);
  assert_text (out, "master.m3u8", "#EXTM3U\n#EXT-X-VERSION:3\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=1000\nok/index.m3u8\n");

  writer_free_and_clean (w, dir);
  g_free (clash);
  g_free (out);
  g_free (under);
  g_free (file);
  g_free (dir);
}

GST_END_TEST;

GST_START_TEST (test_locale)
{
  static const gchar *locales[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
    "fr_FR.utf8", "de_DE", "fr_FR"
  };
  LpHlsVariant v = { "v", 0, 0, 1000, NULL, 29.97 };
  gchar *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  gchar *dir, *text;
  GError *error = NULL;
  LpHlsWriter *w;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (locales); i++)
    if (setlocale (LC_NUMERIC, locales[i]) != NULL)
      break;
  if (i == G_N_ELEMENTS (locales)) {
    GST_INFO ("no locale with a decimal comma installed: skipping");
    g_free (saved);
    return;
  }

  dir = make_tmp_dir ();
  w = lp_hls_writer_new (dir, 5, 0, &error);
  fail_unless_equals_int (lp_hls_writer_add_variant (w, &v, &error), 0);
  write_ok (w, 0, 0, 1.5, FALSE, 10);
  text = read_text (dir, "master.m3u8");
  fail_unless (strstr (text, "FRAME-RATE=29.970\n") != NULL, "%s", text);
  g_free (text);
  text = read_text (dir, "v/index.m3u8");
  fail_unless (strstr (text, "#EXTINF:1.500,\n") != NULL, "%s", text);
  g_free (text);
  setlocale (LC_NUMERIC, saved);

  writer_free_and_clean (w, dir);
  g_free (dir);
  g_free (saved);
}

GST_END_TEST;

typedef struct
{
  LpHlsWriter *writer;
  gint index;
} ThreadData;

static gpointer
write_thread (gpointer data)
{
  ThreadData *d = data;
  guint64 seq;

  for (seq = 0; seq < 50; seq++)
    fail_unless (lp_hls_writer_write_segment (d->writer, d->index, seq, 1.0,
            FALSE, payload, 100 + d->index, NULL));
  return NULL;
}

GST_START_TEST (test_threads)
{
  gchar *dir = make_tmp_dir (), *name, *text;
  ThreadData d[4];
  GThread *threads[4];
  GError *error = NULL;
  LpHlsWriter *w;
  guint i;

  w = lp_hls_writer_new (dir, 5, 6, &error);
  for (i = 0; i < G_N_ELEMENTS (d); i++) {
    name = g_strdup_printf ("v%u", i);
    d[i].writer = w;
    d[i].index = add (w, name, 0);
    g_free (name);
  }
  for (i = 0; i < G_N_ELEMENTS (d); i++)
    threads[i] = g_thread_new ("hls", write_thread, &d[i]);
  for (i = 0; i < G_N_ELEMENTS (d); i++)
    g_thread_join (threads[i]);
  fail_unless (lp_hls_writer_finish (w, &error));

  for (i = 0; i < G_N_ELEMENTS (d); i++) {
    name = g_strdup_printf ("v%u", i);
    fail_unless_equals_int (count_segment_files (dir, name), 6);
    g_free (name);
    name = g_strdup_printf ("v%u/index.m3u8", i);
    text = read_text (dir, name);
    fail_unless (strstr (text, "#EXT-X-MEDIA-SEQUENCE:45\n") != NULL);
    fail_unless (g_str_has_suffix (text, "49.ts\n#EXT-X-ENDLIST\n"));
    g_free (text);
    g_free (name);
  }
  /* (100 + i) bytes a second, the highest first */
  assert_text (dir, "master.m3u8", "#EXTM3U\n#EXT-X-VERSION:3\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=824\nv3/index.m3u8\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=816\nv2/index.m3u8\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=808\nv1/index.m3u8\n"
      "#EXT-X-STREAM-INF:BANDWIDTH=800\nv0/index.m3u8\n");

  writer_free_and_clean (w, dir);
  g_free (dir);
}

GST_END_TEST;

static Suite *
hls_suite (void)
{
  Suite *s = suite_create ("lphls");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_ladder);
  tcase_add_test (tc, test_bandwidth_order);
  tcase_add_test (tc, test_measured_bandwidth);
  tcase_add_test (tc, test_sliding_window);
  tcase_add_test (tc, test_event_playlist);
  tcase_add_test (tc, test_discontinuities);
  tcase_add_test (tc, test_discontinuity_sequence);
  tcase_add_test (tc, test_out_of_order);
  tcase_add_test (tc, test_finish);
  tcase_add_test (tc, test_bad_names);
  tcase_add_test (tc, test_file_errors);
  tcase_add_test (tc, test_locale);
  tcase_add_test (tc, test_threads);

  return s;
}

GST_CHECK_MAIN (hls);

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lpprofile: presets, the custom and JSON forms (read and written back),
 * refusals, geometry.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpcheck.h"

#include <gst/livepeer/lpprofile.h>
#include <glib/gstdio.h>

static const LpProfile *
nth (GPtrArray * list, guint i)
{
  return g_ptr_array_index (list, i);
}

GST_START_TEST (test_presets)
{
  /* Livepeer's published ladder: name, box, bit/s, fps */
  static const struct
  {
    const gchar *name;
    guint w, h, bitrate, fps;
  } expected[] = {
    {"P720p60fps16x9", 1280, 720, 6000000, 60},
    {"P720p30fps16x9", 1280, 720, 4000000, 30},
    {"P720p25fps16x9", 1280, 720, 3500000, 25},
    {"P720p30fps4x3", 960, 720, 3500000, 30},
    {"P576p30fps16x9", 1024, 576, 1500000, 30},
    {"P576p25fps16x9", 1024, 576, 1500000, 25},
    {"P360p30fps16x9", 640, 360, 1200000, 30},
    {"P360p25fps16x9", 640, 360, 1000000, 25},
    {"P360p30fps4x3", 480, 360, 1000000, 30},
    {"P240p30fps16x9", 426, 240, 600000, 30},
    {"P240p25fps16x9", 426, 240, 600000, 25},
    {"P240p30fps4x3", 320, 240, 600000, 30},
    {"P144p30fps16x9", 256, 144, 400000, 30},
    {"P144p25fps16x9", 256, 144, 400000, 25},
  };
  const gchar *const *names = lp_profile_get_preset_names ();
  guint i;

  fail_unless_equals_int (g_strv_length ((gchar **) names),
      G_N_ELEMENTS (expected));
  for (i = 0; i < G_N_ELEMENTS (expected); i++) {
    const LpProfile *p = lp_profile_get_preset (expected[i].name);

    fail_unless (p != NULL, "%s missing", expected[i].name);
    fail_unless_equals_string (names[i], expected[i].name);
    fail_unless_equals_int (p->width, expected[i].w);
    fail_unless_equals_int (p->height, expected[i].h);
    fail_unless_equals_int (p->bitrate, expected[i].bitrate);
    fail_unless_equals_int (p->fps_num, expected[i].fps);
    fail_unless_equals_int (p->fps_den, 1);
    fail_unless_equals_int (p->gop_ms, LP_PROFILE_GOP_DEFAULT);
  }
  fail_unless (lp_profile_get_preset ("p720p30fps16x9") == NULL);
}

GST_END_TEST;

GST_START_TEST (test_custom_entries)
{
  GError *error = NULL;
  GPtrArray *list = lp_profile_list_parse (" P360p30fps16x9 , hd:1280x720@30:3000k,"
      "keep:640x360:1M,ntsc:720x480@30000/1001:1500000", &error);
  gchar *text;

  fail_unless (list != NULL, "%s", error ? error->message : "");
  fail_unless_equals_int (list->len, 4);
  fail_unless_equals_string (nth (list, 0)->name, "P360p30fps16x9");
  fail_unless_equals_string (nth (list, 1)->name, "hd");
  fail_unless_equals_int (nth (list, 1)->bitrate, 3000000);
  fail_unless_equals_int (nth (list, 1)->fps_num, 30);
  fail_unless_equals_int (nth (list, 2)->fps_num, 0);   /* keep the source's */
  fail_unless_equals_int (nth (list, 2)->bitrate, 1000000);
  fail_unless_equals_int (nth (list, 3)->fps_num, 30000);
  fail_unless_equals_int (nth (list, 3)->fps_den, 1001);

  /* the custom form reads back what it printed */
  text = lp_profile_to_string (nth (list, 3));
  fail_unless_equals_string (text, "ntsc:720x480@30000/1001:1500000");
  g_free (text);
  g_ptr_array_unref (list);
}

GST_END_TEST;

GST_START_TEST (test_refusals)
{
  static const struct
  {
    const gchar *spec;
    gint code;
  } bad[] = {
    {"", LP_PROFILE_ERROR_EMPTY},
    {"   ", LP_PROFILE_ERROR_EMPTY},
    {"P999p30fps", LP_PROFILE_ERROR_UNKNOWN_PRESET},
    {"P360p30fps16x9,,P240p30fps16x9", LP_PROFILE_ERROR_SYNTAX},
    {"a:640x360", LP_PROFILE_ERROR_SYNTAX},
    {"a:640x360:1k:extra", LP_PROFILE_ERROR_SYNTAX},
    {"a:640x360:0", LP_PROFILE_ERROR_INVALID_VALUE},
    {"a:640x360:-5", LP_PROFILE_ERROR_INVALID_VALUE},
    {"a:640x360:99999999999", LP_PROFILE_ERROR_INVALID_VALUE},
    {"a:640x:1k", LP_PROFILE_ERROR_INVALID_VALUE},
    {"a:1x360:1k", LP_PROFILE_ERROR_INVALID_VALUE},
    {"a:9000x360:1k", LP_PROFILE_ERROR_INVALID_VALUE},
    {"a:640x360@241:1k", LP_PROFILE_ERROR_INVALID_VALUE},
    {"a:640x360@30/0:1k", LP_PROFILE_ERROR_INVALID_VALUE},
    {"a b:640x360:1k", LP_PROFILE_ERROR_INVALID_VALUE},
    {"../x:640x360:1k", LP_PROFILE_ERROR_INVALID_VALUE},
    {"a:640x360:1k,a:320x180:1k", LP_PROFILE_ERROR_DUPLICATE},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    GError *error = NULL;
    GPtrArray *list = lp_profile_list_parse (bad[i].spec, &error);

    fail_unless (list == NULL, "'%s' accepted", bad[i].spec);
    fail_unless (g_error_matches (error, LP_PROFILE_ERROR, bad[i].code),
        "'%s': %s (code %d, expected %d)", bad[i].spec, error->message,
        error->code, bad[i].code);
    g_error_free (error);
  }
}

GST_END_TEST;

GST_START_TEST (test_name_rule)
{
  gchar *longest = g_strnfill (LP_PROFILE_MAX_NAME_LENGTH, 'a');
  gchar *too_long = g_strnfill (LP_PROFILE_MAX_NAME_LENGTH + 1, 'a');

  fail_unless (lp_profile_name_is_valid ("P720p30fps16x9"));
  fail_unless (lp_profile_name_is_valid ("hd_1.v-2"));
  fail_unless (lp_profile_name_is_valid (longest));
  fail_if (lp_profile_name_is_valid (too_long));
  fail_if (lp_profile_name_is_valid (""));
  fail_if (lp_profile_name_is_valid ("."));
  fail_if (lp_profile_name_is_valid (".."));
  fail_if (lp_profile_name_is_valid ("a/b"));
  fail_if (lp_profile_name_is_valid ("a b"));
  fail_if (lp_profile_name_is_valid ("caf\xc3\xa9"));
  g_free (longest);
  g_free (too_long);
}

GST_END_TEST;

GST_START_TEST (test_too_many_profiles)
{
  GString *spec = g_string_new (NULL);
  GError *error = NULL;
  guint i;

  for (i = 0; i < 33; i++)
    g_string_append_printf (spec, "%sr%u:64x64:100k", i ? "," : "", i);
  fail_unless (lp_profile_list_parse (spec->str, &error) == NULL);
  fail_unless (g_error_matches (error, LP_PROFILE_ERROR,
          LP_PROFILE_ERROR_INVALID_VALUE));
  g_error_free (error);
  g_string_free (spec, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_json)
{
  const gchar *json = "[{\"name\":\"a\",\"width\":1280,\"height\":720,"
      "\"bitrate\":3000000,\"fps\":30,\"fpsDen\":0,\"profile\":\"H264High\","
      "\"gop\":\"2.5\"},"
      "{\"width\":640,\"height\":360,\"bitrate\":\"900000\",\"gop\":\"intra\","
      "\"profile\":\"H264ConstrainedHigh\",\"encoder\":\"H.264\"},"
      "{\"name\":\"c\",\"width\":320,\"height\":180,\"bitrate\":300000,"
      "\"gop\":1.5}]";
  GError *error = NULL;
  GPtrArray *list = lp_profile_list_from_json (json, -1, &error);

  fail_unless (list != NULL, "%s", error ? error->message : "");
  fail_unless_equals_int (list->len, 3);
  fail_unless_equals_int (nth (list, 0)->fps_den, 1);   /* 0 means 1 */
  fail_unless_equals_int (nth (list, 0)->h264_profile, LP_H264_PROFILE_HIGH);
  fail_unless_equals_int (nth (list, 0)->gop_ms, 2500);
  /* a nameless profile gets a name: names are signed */
  fail_unless_equals_string (nth (list, 1)->name, "custom_640x360_900000");
  fail_unless_equals_int (nth (list, 1)->gop_ms, LP_PROFILE_GOP_INTRA);
  fail_unless_equals_int (nth (list, 1)->h264_profile,
      LP_H264_PROFILE_CONSTRAINED_HIGH);
  fail_unless_equals_int (nth (list, 2)->gop_ms, 1500);
  g_ptr_array_unref (list);

  /* the webhook form: an object with a profiles array */
  list = lp_profile_list_from_json ("{\"profiles\":[{\"name\":\"x\","
      "\"width\":64,\"height\":64,\"bitrate\":1000}]}", -1, &error);
  fail_unless (list != NULL && list->len == 1);
  g_ptr_array_unref (list);
}

GST_END_TEST;

GST_START_TEST (test_json_refusals)
{
  static const gchar *bad[] = {
    "", "{", "[]", "{}", "[1]", "[{}]",
    "[{\"width\":64,\"height\":64}]",
    "[{\"width\":64,\"height\":64,\"bitrate\":1,\"encoder\":\"VP9\"}]",
    "[{\"width\":64,\"height\":64,\"bitrate\":1,\"quality\":23}]",
    "[{\"width\":64,\"height\":64,\"bitrate\":1,\"profile\":\"H265\"}]",
    "[{\"width\":64,\"height\":64,\"bitrate\":1,\"gop\":\"soon\"}]",
    "[{\"width\":64,\"height\":64,\"bitrate\":1,\"gop\":-3}]",
    "[{\"width\":64.5,\"height\":64,\"bitrate\":1}]",
    "[{\"width\":64,\"height\":64,\"bitrate\":1,\"fps\":-1}]",
    "[{\"name\":\"a/b\",\"width\":64,\"height\":64,\"bitrate\":1}]",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    GError *error = NULL;
    fail_unless (lp_profile_list_from_json (bad[i], -1, &error) == NULL,
        "accepted: %s", bad[i]);
    fail_unless (error != NULL && error->domain == LP_PROFILE_ERROR);
    g_error_free (error);
  }
}

GST_END_TEST;

GST_START_TEST (test_load_dispatch)
{
  gchar *dir = g_dir_make_tmp ("lpprofile-XXXXXX", NULL);
  gchar *path = g_build_filename (dir, "ladder.json", NULL);
  GError *error = NULL;
  GPtrArray *list;

  fail_unless (g_file_set_contents (path, "[{\"name\":\"f\",\"width\":64,"
          "\"height\":64,\"bitrate\":1000}]", -1, NULL));
  list = lp_profile_list_load (path, &error);
  fail_unless (list != NULL && list->len == 1);
  fail_unless_equals_string (nth (list, 0)->name, "f");
  g_ptr_array_unref (list);

  list = lp_profile_list_load (" [{\"name\":\"i\",\"width\":64,\"height\":64,"
      "\"bitrate\":1000}]", &error);
  fail_unless (list != NULL && list->len == 1);
  g_ptr_array_unref (list);

  fail_unless (lp_profile_list_load ("/nonexistent/x.json", &error) == NULL);
  fail_unless (error->domain == G_FILE_ERROR);
  g_clear_error (&error);

  g_unlink (path);
  g_rmdir (dir);
  g_free (path);
  g_free (dir);
}

GST_END_TEST;

GST_START_TEST (test_json_round_trip)
{
  /* every field the JSON form carries, at its bounds */
  static const LpProfile profiles[] = {
    {(gchar *) "a", 1280, 720, 3000000, 30, 1, LP_H264_PROFILE_HIGH, 2500},
    {(gchar *) "keep-rate", 640, 360, 900000, 0, 1,
        LP_H264_PROFILE_CONSTRAINED_HIGH, LP_PROFILE_GOP_INTRA},
    {(gchar *) "ntsc_1.0", 2, 2, 1, 30000, 1001, LP_H264_PROFILE_BASELINE, 1},
    {(gchar *) "max", LP_PROFILE_MAX_DIMENSION, LP_PROFILE_MAX_DIMENSION,
        LP_PROFILE_MAX_BITRATE, LP_PROFILE_MAX_FPS, 1, LP_H264_PROFILE_MAIN,
        3600 * 1000},
    {(gchar *) "defaults", 426, 240, 600000, 25, 1, LP_H264_PROFILE_DEFAULT,
        LP_PROFILE_GOP_DEFAULT},
  };
  g_autoptr (GPtrArray) list = g_ptr_array_new ();
  g_autoptr (GPtrArray) parsed = NULL;
  g_autofree gchar *json = NULL;
  GError *error = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (profiles); i++)
    g_ptr_array_add (list, (gpointer) & profiles[i]);
  json = lp_profile_list_to_json (list, &error);
  fail_unless (json != NULL, "%s", error ? error->message : "");
  parsed = lp_profile_list_from_json (json, -1, &error);
  fail_unless (parsed != NULL, "%s: %s", json, error ? error->message : "");
  fail_unless_equals_int (parsed->len, list->len);
  for (i = 0; i < list->len; i++)
    fail_unless (lp_profile_equal (nth (list, i), nth (parsed, i)),
        "profile %u does not read back from %s", i, json);

  /* the form itself: go-livepeer's field names, no field left implicit
   * but the frame rate (absent: the source's) and the GOP (absent: the
   * default) */
  g_ptr_array_set_size (list, 1);
  g_free (json);
  json = lp_profile_list_to_json (list, NULL);
  fail_unless_equals_string (json, "[{\"name\":\"a\",\"width\":1280,"
      "\"height\":720,\"bitrate\":3000000,\"profile\":\"H264High\","
      "\"fps\":30,\"fpsDen\":1,\"gop\":\"2.500\"}]");
}

GST_END_TEST;

GST_START_TEST (test_json_writer_refusals)
{
  LpProfile bad = { (gchar *) "a/b", 64, 64, 1000, 0, 1, 0, 0 };
  g_autoptr (GPtrArray) list = g_ptr_array_new ();
  GError *error = NULL;

  /* names are written as they are: one that needs escaping is refused */
  g_ptr_array_add (list, &bad);
  fail_unless (lp_profile_list_to_json (list, &error) == NULL);
  fail_unless (g_error_matches (error, LP_PROFILE_ERROR,
          LP_PROFILE_ERROR_INVALID_VALUE));
  g_error_free (error);
}

GST_END_TEST;

GST_START_TEST (test_string_round_trip)
{
  /* the custom-entry form carries name, size, frame rate and bitrate */
  g_autoptr (GPtrArray) list =
      lp_profile_list_parse ("P720p30fps16x9,a:640x360:900k,"
      "b:320x180@30000/1001:300k,c:2x2@1:1", NULL);
  guint i;

  fail_unless (list != NULL);
  for (i = 0; i < list->len; i++) {
    g_autofree gchar *text = lp_profile_to_string (nth (list, i));
    g_autoptr (GPtrArray) again = lp_profile_list_parse (text, NULL);

    fail_unless (again != NULL, "%s does not parse", text);
    fail_unless_equals_int (again->len, 1);
    fail_unless (lp_profile_equal (nth (list, i), nth (again, 0)),
        "%s does not read back", text);
  }
}

GST_END_TEST;

/* lp_profile_new keeps every value it is given, owns its name, and reads
 * a denominator of 0 as 1 */
GST_START_TEST (test_new)
{
  gchar name[] = "ladder-1";
  LpProfile want = { name, 854, 480, 1600000, 30000, 1001,
    LP_H264_PROFILE_HIGH, 1500
  };
  LpProfile *p = lp_profile_new (name, 854, 480, 1600000, 30000, 1001,
      LP_H264_PROFILE_HIGH, 1500);

  fail_unless (lp_profile_equal (p, &want));
  fail_unless_equals_int (p->fps_den, 1001);
  fail_unless_equals_int (p->h264_profile, LP_H264_PROFILE_HIGH);
  fail_unless_equals_int (p->gop_ms, 1500);
  fail_unless (p->name != name);
  name[0] = 'X';
  fail_unless_equals_string (p->name, "ladder-1");
  lp_profile_free (p);

  p = lp_profile_new ("src", 640, 360, 900000, 0, 0, LP_H264_PROFILE_DEFAULT,
      LP_PROFILE_GOP_DEFAULT);
  fail_unless_equals_int (p->fps_num, 0);
  fail_unless_equals_int (p->fps_den, 1);
  lp_profile_free (p);
}

GST_END_TEST;

GST_START_TEST (test_equal)
{
  LpProfile a = { (gchar *) "a", 640, 360, 900000, 0, 1, 0, 0 };
  LpProfile b = a;

  /* without a frame rate the denominator means nothing */
  b.fps_den = 7;
  fail_unless (lp_profile_equal (&a, &b));
  a.fps_num = b.fps_num = 30;
  fail_if (lp_profile_equal (&a, &b));
  b.fps_den = 1;
  fail_unless (lp_profile_equal (&a, &b));
  b.name = (gchar *) "b";
  fail_if (lp_profile_equal (&a, &b));
  b.name = a.name;
  b.gop_ms = LP_PROFILE_GOP_INTRA;
  fail_if (lp_profile_equal (&a, &b));
}

GST_END_TEST;

static void
check_fit (const gchar * preset, guint src_w, guint src_h, gint par_n,
    gint par_d, guint want_w, guint want_h)
{
  const LpProfile *p = lp_profile_get_preset (preset);
  guint w = 0, h = 0;

  lp_profile_fit (p, src_w, src_h, par_n, par_d, &w, &h);
  fail_unless (w == want_w && h == want_h,
      "%s on %ux%u (%d:%d): %ux%u, expected %ux%u", preset, src_w, src_h,
      par_n, par_d, w, h, want_w, want_h);
  fail_unless (w % 2 == 0 && h % 2 == 0 && w <= p->width && h <= p->height);
}

GST_START_TEST (test_fit)
{
  /* 16:9 source: the presets' own sizes */
  check_fit ("P720p30fps16x9", 1920, 1080, 1, 1, 1280, 720);
  check_fit ("P360p30fps16x9", 1920, 1080, 1, 1, 640, 360);
  check_fit ("P240p30fps16x9", 1920, 1080, 1, 1, 426, 240);
  check_fit ("P144p30fps16x9", 1280, 720, 1, 1, 256, 144);
  /* 4:3 source in a 16:9 box: height limits */
  check_fit ("P720p30fps16x9", 640, 480, 1, 1, 960, 720);
  check_fit ("P240p30fps16x9", 640, 480, 1, 1, 320, 240);
  /* portrait source: height limits, width follows */
  check_fit ("P720p30fps16x9", 1080, 1920, 1, 1, 406, 720);
  /* smaller source: scaled up to the box, never beyond it */
  check_fit ("P720p30fps16x9", 320, 180, 1, 1, 1280, 720);
  /* anamorphic DV: 720x480 with 10:11 pixels displays as 4:3-ish */
  check_fit ("P360p30fps4x3", 720, 480, 10, 11, 480, 352);
  /* odd sources still give even sides */
  check_fit ("P360p30fps16x9", 1279, 719, 1, 1, 640, 360);
}

GST_END_TEST;

static Suite *
profile_suite (void)
{
  Suite *s = suite_create ("lpprofile");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_presets);
  tcase_add_test (tc, test_custom_entries);
  tcase_add_test (tc, test_refusals);
  tcase_add_test (tc, test_name_rule);
  tcase_add_test (tc, test_too_many_profiles);
  tcase_add_test (tc, test_json);
  tcase_add_test (tc, test_json_refusals);
  tcase_add_test (tc, test_json_round_trip);
  tcase_add_test (tc, test_json_writer_refusals);
  tcase_add_test (tc, test_string_round_trip);
  tcase_add_test (tc, test_new);
  tcase_add_test (tc, test_equal);
  tcase_add_test (tc, test_load_dispatch);
  tcase_add_test (tc, test_fit);
  return s;
}

GST_CHECK_MAIN (profile);

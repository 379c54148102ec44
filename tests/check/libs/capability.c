/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lpcapability: the capabilities file, its advertisement, job requests,
 * billed units and element messages as JSON.
 */
#include <gst/check/gstcheck.h>
#include <gst/livepeer/lpcapability-private.h>

#define FILE_TEXT \
  "[face-detection]\n" \
  "model-id=opencv-haar\n" \
  "pipeline=videoconvert ! facedetect display=false\n" \
  "unit=frames\n" \
  "price-per-unit=2000\n" \
  "capacity=3\n" \
  "[v2v]\n" \
  "model-id=edges\n" \
  "pipeline=edgetv\n" \
  "outputs=video;metadata\n" \
  "unit=seconds\n" \
  "price-per-unit=5\n" \
  "units-per-price=2\n"

GST_START_TEST (test_parse)
{
  GError *error = NULL;
  GPtrArray *list = lp_capabilities_parse (FILE_TEXT, -1, &error);
  const LpCapability *c;

  fail_unless (list != NULL, "%s", error ? error->message : "");
  fail_unless_equals_int (list->len, 2);
  c = g_ptr_array_index (list, 0);
  fail_unless_equals_string (c->name, "face-detection");
  fail_unless_equals_string (c->model_id, "opencv-haar");
  fail_unless_equals_string (c->pipeline,
      "videoconvert ! facedetect display=false");
  fail_unless_equals_int (c->outputs, LP_JOB_OUTPUT_METADATA);
  fail_unless_equals_int (c->unit, LP_JOB_UNIT_FRAMES);
  fail_unless_equals_uint64 (c->price.price_per_unit, 2000);
  fail_unless_equals_uint64 (c->price.pixels_per_unit, 1);
  fail_unless_equals_int (c->capacity, 3);
  fail_unless_equals_string (c->output_profile, "P720p30fps16x9");
  c = g_ptr_array_index (list, 1);
  fail_unless_equals_int (c->outputs, LP_JOB_OUTPUT_VIDEO |
      LP_JOB_OUTPUT_METADATA);
  /* priced per second, billed in milliseconds: 5 wei per 2 s */
  fail_unless_equals_uint64 (c->price.pixels_per_unit, 2000);
  fail_unless_equals_int (c->capacity, 1);
  g_ptr_array_unref (list);
}

GST_END_TEST;

GST_START_TEST (test_find)
{
  GPtrArray *list = lp_capabilities_parse (FILE_TEXT, -1, NULL);
  GError *error = NULL;

  fail_unless (lp_capabilities_find (list, "v2v", "edges", NULL) != NULL);
  fail_unless (lp_capabilities_find (list, "upscale", "x", &error) == NULL);
  fail_unless (g_error_matches (error, LP_CAPABILITY_ERROR,
          LP_CAPABILITY_ERROR_UNKNOWN));
  fail_unless_equals_string (error->message, "capability upscale is not "
      "offered here (offered: face-detection, v2v)");
  g_clear_error (&error);
  fail_unless (lp_capabilities_find (list, "v2v", "yolo", &error) == NULL);
  fail_unless (g_error_matches (error, LP_CAPABILITY_ERROR,
          LP_CAPABILITY_ERROR_MODEL));
  fail_unless_equals_string (error->message, "capability v2v runs model "
      "edges here, not yolo");
  g_clear_error (&error);
  g_ptr_array_unref (list);
}

GST_END_TEST;

GST_START_TEST (test_bad_files)
{
  static const gchar *const bad[][2] = {
    {"", "no capability"},
    {"not a key file", "not a key file"},
    {"[a b]\nmodel-id=m\npipeline=x\n", "a capability's name"},
    {"[a]\npipeline=x\n", "model-id: required"},
    {"[a]\nmodel-id=m\n", "pipeline: required"},
    {"[a]\nmodel-id=m\npipeline=x\noutputs=audio\n",
        "\"audio\" is neither video nor metadata"},
    {"[a]\nmodel-id=m\npipeline=x\nunit=tokens\n", "unit: \"tokens\""},
    {"[a]\nmodel-id=m\npipeline=x\nprice-per-unit=-1\n", "price-per-unit"},
    {"[a]\nmodel-id=m\npipeline=x\nunits-per-price=0\n", "units-per-price"},
    {"[a]\nmodel-id=m\npipeline=x\ncapacity=1001\n", "capacity"},
    {"[a]\nmodel-id=m\npipeline=x\nspeed=9\n", "unknown key \"speed\""},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    GError *error = NULL;

    fail_unless (lp_capabilities_parse (bad[i][0], -1, &error) == NULL,
        "case %u parsed", i);
    fail_unless (strstr (error->message, bad[i][1]) != NULL, "case %u: %s",
        i, error->message);
    g_error_free (error);
  }
}

GST_END_TEST;

/* Capability ids in go-livepeer's protobuf dialect: the shipped jobs'
 * fixed ones, an explicit capability-id, none for another name; ids in
 * go-livepeer's range (its highest, BYOC, is 37 in core/capabilities.go),
 * outside ours, another shipped job's, or shared are refused */
GST_START_TEST (test_capability_ids)
{
  static const gchar *const bad[][2] = {
    {"[a]\nmodel-id=m\npipeline=x\ncapability-id=37\n",
        "capability-id: \"37\" is not a whole number from 1024 to 1087"},
    {"[a]\nmodel-id=m\npipeline=x\ncapability-id=35\n", "from 1024"},
    {"[a]\nmodel-id=m\npipeline=x\ncapability-id=1088\n", "to 1087"},
    {"[a]\nmodel-id=m\npipeline=x\ncapability-id=1025\n",
        "1025 is the shipped job motion's"},
    {"[edges]\nmodel-id=m\npipeline=x\ncapability-id=1040\n",
        "edges is 1027 on every orchestrator"},
    {"[a]\nmodel-id=m\npipeline=x\ncapability-id=1040\n"
          "[b]\nmodel-id=m\npipeline=x\ncapability-id=1040\n",
        "[b]: capability-id: 1040 is a's already"},
  };
  GPtrArray *list = lp_capabilities_parse ("[face-detection]\nmodel-id=m\n"
      "pipeline=x\n[motion]\nmodel-id=m\npipeline=x\n[face-blur]\n"
      "model-id=m\npipeline=x\n[edges]\nmodel-id=e\npipeline=x\n"
      "capability-id=1027\n[mine]\nmodel-id=m\npipeline=x\n"
      "capability-id=1087\n[json-only]\nmodel-id=m\npipeline=x\n", -1, NULL);
  GError *error = NULL;
  guint i;

  fail_unless (list != NULL);
  fail_unless_equals_int (lp_capability_id_of_name ("face-detection"), 1024);
  fail_unless_equals_int (lp_capability_id_of_name ("other"), 0);
  for (i = 0; i < 6; i++) {
    static const guint32 ids[] = { 1024, 1025, 1026, 1027, 1087, 0 };
    const LpCapability *c = g_ptr_array_index (list, i);
    LpCapability *copy = lp_capability_copy (c);

    fail_unless_equals_int (c->id, ids[i]);
    fail_unless_equals_int (copy->id, ids[i]);
    lp_capability_free (copy);
  }
  fail_unless_equals_string (lp_capabilities_find_id (list, 1027, NULL,
          NULL)->name, "edges");
  fail_unless_equals_string (lp_capabilities_find_id (list, 1087, "m",
          NULL)->name, "mine");
  fail_unless (lp_capabilities_find_id (list, 1027, "other", &error) == NULL);
  fail_unless (g_error_matches (error, LP_CAPABILITY_ERROR,
          LP_CAPABILITY_ERROR_MODEL));
  g_clear_error (&error);
  /* the job without an id cannot be asked for by one */
  fail_unless (lp_capabilities_find_id (list, 0, NULL, &error) == NULL);
  g_clear_error (&error);
  fail_unless (lp_capabilities_find_id (list, 35, NULL, &error) == NULL);
  fail_unless (g_error_matches (error, LP_CAPABILITY_ERROR,
          LP_CAPABILITY_ERROR_UNKNOWN));
  fail_unless_equals_string (error->message,
      "capability 35 is not offered here");
  g_clear_error (&error);
  g_ptr_array_unref (list);

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    fail_unless (lp_capabilities_parse (bad[i][0], -1, &error) == NULL,
        "case %u parsed", i);
    fail_unless (strstr (error->message, bad[i][1]) != NULL, "case %u: %s",
        i, error->message);
    g_clear_error (&error);
  }
}

GST_END_TEST;

GST_START_TEST (test_units)
{
  fail_unless_equals_uint64 (lp_job_units (LP_JOB_UNIT_PIXELS, 60, 640, 360,
          2 * GST_SECOND), 60 * 640 * 360);
  fail_unless_equals_uint64 (lp_job_units (LP_JOB_UNIT_FRAMES, 60, 640, 360,
          2 * GST_SECOND), 60);
  /* milliseconds, rounded up */
  fail_unless_equals_uint64 (lp_job_units (LP_JOB_UNIT_SECONDS, 60, 640, 360,
          2 * GST_SECOND + 1), 2001);
  fail_unless_equals_uint64 (lp_job_units (LP_JOB_UNIT_SECONDS, 60, 640, 360,
          GST_CLOCK_TIME_NONE), 0);
}

GST_END_TEST;

GST_START_TEST (test_structure_to_json)
{
  GstStructure *face = gst_structure_new ("face", "x", G_TYPE_UINT, 10,
      "y", G_TYPE_UINT, 20, NULL);
  GValue faces = G_VALUE_INIT, item = G_VALUE_INIT;
  GstStructure *s;
  JsonGenerator *gen = json_generator_new ();
  JsonNode *node;
  gchar *text;

  gst_value_list_init (&faces, 1);
  g_value_init (&item, GST_TYPE_STRUCTURE);
  gst_value_set_structure (&item, face);
  gst_value_list_append_value (&faces, &item);
  s = gst_structure_new ("facedetect", "timestamp", G_TYPE_UINT64,
      G_GUINT64_CONSTANT (33333333), "big", G_TYPE_UINT64, G_MAXUINT64,
      "ok", G_TYPE_BOOLEAN, TRUE, "score", G_TYPE_DOUBLE, 0.5,
      "rate", GST_TYPE_FRACTION, 30, 1, "name", G_TYPE_STRING, "a\"b", NULL);
  gst_structure_take_value (s, "faces", &faces);
  node = lp_structure_to_json_node (s);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  fail_unless_equals_string (text, "{\"timestamp\":33333333,"
      "\"big\":\"18446744073709551615\",\"ok\":true,\"score\":0.5,"
      "\"rate\":\"30/1\",\"name\":\"a\\\"b\",\"faces\":[{\"x\":10,\"y\":20}]}");
  g_free (text);
  json_node_unref (node);
  g_object_unref (gen);
  gst_structure_free (s);
  g_value_unset (&item);
  gst_structure_free (face);
}

GST_END_TEST;

static Suite *
capability_suite (void)
{
  Suite *s = suite_create ("capability");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_parse);
  tcase_add_test (tc, test_find);
  tcase_add_test (tc, test_bad_files);
  tcase_add_test (tc, test_capability_ids);
  tcase_add_test (tc, test_units);
  tcase_add_test (tc, test_structure_to_json);
  return s;
}

GST_CHECK_MAIN (capability);

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * generic/states: every element of our plugins, with default properties,
 * through the state changes an application makes, in several orders.
 * Cheap, and it catches crashes, criticals and leaks (GST_TRACERS=leaks) in
 * state handling before any element test runs data.
 *
 * Elements are found in the registry by their plugin's source (PACKAGE),
 * so a new element is tested without being listed here. Prefixes in
 * GST_STATE_IGNORE_ELEMENTS (space or comma separated) are skipped.
 * LP_PLUGIN_NAMES (comma separated, set by meson) names the plugins the
 * build made: each must be in the registry with at least one element, so a
 * plugin that fails to load fails this test instead of being skipped.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpcheck.h"

/* How long the pipeline test waits for the element to settle in PLAYING.
 * An element that cannot preroll with default properties (nothing is
 * linked) simply stays in its async change; this is not a failure. */
#define SETTLE_TIMEOUT (2 * GST_SECOND)

static gboolean
is_ignored (const gchar * name)
{
  const gchar *env = g_getenv ("GST_STATE_IGNORE_ELEMENTS");
  gchar **prefixes;
  gboolean ret = FALSE;
  guint i;

  if (env == NULL)
    return FALSE;
  prefixes = g_strsplit_set (env, " ,", -1);
  for (i = 0; prefixes[i] && !ret; i++)
    ret = *prefixes[i] && g_str_has_prefix (name, prefixes[i]);
  g_strfreev (prefixes);
  return ret;
}

static gboolean
plugin_is_ours (const gchar * plugin_name)
{
  GstPlugin *plugin = gst_registry_find_plugin (gst_registry_get (),
      plugin_name);
  gboolean ret;

  if (plugin == NULL)
    return FALSE;
  ret = g_strcmp0 (gst_plugin_get_source (plugin), PACKAGE) == 0;
  gst_object_unref (plugin);
  return ret;
}

/* Names of our element factories, sorted, without the ignored ones.
 * Fails the test if there are none: a test that checks nothing must not
 * pass. */
static GList *
our_elements (void)
{
  GList *factories, *l, *names = NULL;
  guint ignored = 0;

  factories = gst_registry_get_feature_list (gst_registry_get (),
      GST_TYPE_ELEMENT_FACTORY);
  for (l = factories; l; l = l->next) {
    GstPluginFeature *f = l->data;
    const gchar *name = gst_plugin_feature_get_name (f);
    const gchar *plugin_name = gst_plugin_feature_get_plugin_name (f);

    if (plugin_name == NULL || !plugin_is_ours (plugin_name))
      continue;
    if (is_ignored (name)) {
      GST_INFO ("ignoring %s (GST_STATE_IGNORE_ELEMENTS)", name);
      ignored++;
      continue;
    }
    names = g_list_prepend (names, g_strdup (name));
  }
  gst_plugin_feature_list_free (factories);

  fail_if (names == NULL, "no element of a plugin with source \"%s\" is in "
      "the registry (check GST_PLUGIN_PATH_1_0 and the plugins' build; %u "
      "ignored by GST_STATE_IGNORE_ELEMENTS)", PACKAGE, ignored);
  return g_list_sort (names, (GCompareFunc) g_strcmp0);
}

static GstElement *
make_element (const gchar * name)
{
  GstElement *element = gst_element_factory_make (name, NULL);

  fail_unless (element != NULL, "%s: the factory could not create it", name);
  return gst_object_ref_sink (element);
}

static void
check_back_in_null (GstElement * element)
{
  GstState current, pending;

  fail_unless_equals_int (gst_element_set_state (element, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  fail_unless_equals_int (gst_element_get_state (element, &current, &pending,
          0), GST_STATE_CHANGE_SUCCESS);
  fail_unless_equals_int (current, GST_STATE_NULL);
  fail_unless_equals_int (pending, GST_STATE_VOID_PENDING);
}

/* Takes @element through @states in order. Going down, and going up to
 * READY, must not fail. With default properties an element may refuse
 * PAUSED or PLAYING (a sink without its server); the walk then stops.
 * The element must always return to NULL. */
static void
walk_states (GstElement * element, const GstState * states, guint n)
{
  GstState at = GST_STATE_NULL;
  guint i;

  for (i = 0; i < n; i++) {
    GstStateChangeReturn ret = gst_element_set_state (element, states[i]);

    GST_DEBUG_OBJECT (element, "%s -> %s: %s", gst_element_state_get_name
        (at), gst_element_state_get_name (states[i]),
        gst_element_state_change_return_get_name (ret));

    if (ret == GST_STATE_CHANGE_FAILURE) {
      fail_if (states[i] <= GST_STATE_READY || states[i] < at,
          "%s: %s -> %s failed", GST_OBJECT_NAME (element),
          gst_element_state_get_name (at),
          gst_element_state_get_name (states[i]));
      GST_INFO_OBJECT (element, "refused %s with default properties",
          gst_element_state_get_name (states[i]));
      break;
    }
    at = states[i];
  }
  check_back_in_null (element);
}

static void
walk_all (const GstState * states, guint n)
{
  GList *names = our_elements (), *l;

  for (l = names; l; l = l->next) {
    GstElement *element = make_element (l->data);

    GST_INFO ("%s", (gchar *) l->data);
    walk_states (element, states, n);
    gst_object_unref (element);
  }
  g_list_free_full (names, g_free);
}

GST_START_TEST (test_plugins_registered)
{
  const gchar *env = g_getenv ("LP_PLUGIN_NAMES");
  gchar **names;
  GList *elements;
  guint i;

  /* fails by itself when nothing of ours is registered */
  elements = our_elements ();
  g_list_free_full (elements, g_free);

  if (env == NULL)
    return;
  names = g_strsplit (env, ",", -1);
  for (i = 0; names[i]; i++) {
    GList *features;

    if (*names[i] == '\0')
      continue;
    fail_unless (plugin_is_ours (names[i]), "plugin %s is not in the "
        "registry with source \"%s\": it failed to load or is not ours",
        names[i], PACKAGE);
    features = gst_registry_get_feature_list_by_plugin (gst_registry_get (),
        names[i]);
    fail_if (features == NULL, "plugin %s registers no feature", names[i]);
    gst_plugin_feature_list_free (features);
  }
  g_strfreev (names);
}

GST_END_TEST;

GST_START_TEST (test_state_changes_up_and_down_seq)
{
  const GstState states[] = {
    GST_STATE_READY, GST_STATE_PAUSED, GST_STATE_PLAYING, GST_STATE_PAUSED,
    GST_STATE_READY, GST_STATE_NULL,
  };

  walk_all (states, G_N_ELEMENTS (states));
}

GST_END_TEST;

/* A staircase: each level reached, then left again for the one below. */
GST_START_TEST (test_state_changes_up_seq)
{
  const GstState states[] = {
    GST_STATE_READY, GST_STATE_NULL,
    GST_STATE_READY, GST_STATE_PAUSED, GST_STATE_READY,
    GST_STATE_PAUSED, GST_STATE_PLAYING, GST_STATE_PAUSED, GST_STATE_READY,
    GST_STATE_NULL,
  };

  walk_all (states, G_N_ELEMENTS (states));
}

GST_END_TEST;

/* Back and forth near the top, as a player pausing and resuming does. */
GST_START_TEST (test_state_changes_down_seq)
{
  const GstState states[] = {
    GST_STATE_READY, GST_STATE_PAUSED, GST_STATE_PLAYING,
    GST_STATE_PAUSED, GST_STATE_PLAYING, GST_STATE_PAUSED, GST_STATE_READY,
    GST_STATE_PAUSED, GST_STATE_PLAYING, GST_STATE_PAUSED, GST_STATE_READY,
    GST_STATE_NULL,
  };

  walk_all (states, G_N_ELEMENTS (states));
}

GST_END_TEST;

/* gst_element_set_state () walks the intermediate states itself. */
GST_START_TEST (test_state_changes_jumps)
{
  const GstState states[] = {
    GST_STATE_PLAYING, GST_STATE_NULL,
    GST_STATE_PAUSED, GST_STATE_NULL,
    GST_STATE_PLAYING, GST_STATE_READY, GST_STATE_PLAYING, GST_STATE_NULL,
  };

  walk_all (states, G_N_ELEMENTS (states));
}

GST_END_TEST;

/* The same element, reused after going back to NULL several times. */
GST_START_TEST (test_state_changes_reuse)
{
  GList *names = our_elements (), *l;

  for (l = names; l; l = l->next) {
    GstElement *element = make_element (l->data);
    const GstState states[] = { GST_STATE_READY, GST_STATE_PAUSED };
    guint i;

    for (i = 0; i < 3; i++)
      walk_states (element, states, G_N_ELEMENTS (states));
    gst_object_unref (element);
  }
  g_list_free_full (names, g_free);
}

GST_END_TEST;

/* Inside a pipeline, which gives the element a bus, a clock and a base
 * time, as applications run it. */
GST_START_TEST (test_state_changes_in_pipeline)
{
  GList *names = our_elements (), *l;

  for (l = names; l; l = l->next) {
    GstElement *pipeline = gst_pipeline_new (NULL);
    GstElement *element = gst_element_factory_make (l->data, NULL);
    GstStateChangeReturn ret;

    fail_unless (element != NULL, "%s: the factory could not create it",
        (gchar *) l->data);
    fail_unless (gst_bin_add (GST_BIN (pipeline), element));

    fail_if (gst_element_set_state (pipeline, GST_STATE_READY) ==
        GST_STATE_CHANGE_FAILURE, "%s: could not go to READY in a pipeline",
        (gchar *) l->data);
    ret = gst_element_set_state (pipeline, GST_STATE_PLAYING);
    if (ret == GST_STATE_CHANGE_ASYNC)
      ret = gst_element_get_state (pipeline, NULL, NULL, SETTLE_TIMEOUT);
    GST_INFO ("%s in a pipeline, PLAYING: %s", (gchar *) l->data,
        gst_element_state_change_return_get_name (ret));

    check_back_in_null (pipeline);
    gst_object_unref (pipeline);
  }
  g_list_free_full (names, g_free);
}

GST_END_TEST;

static Suite *
states_suite (void)
{
  Suite *s = suite_create ("generic_states");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_plugins_registered);
  tcase_add_test (tc, test_state_changes_up_and_down_seq);
  tcase_add_test (tc, test_state_changes_up_seq);
  tcase_add_test (tc, test_state_changes_down_seq);
  tcase_add_test (tc, test_state_changes_jumps);
  tcase_add_test (tc, test_state_changes_reuse);
  tcase_add_test (tc, test_state_changes_in_pipeline);
  return s;
}

GST_CHECK_MAIN (states);

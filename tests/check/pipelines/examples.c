/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs every example pipeline as written: the files in pipelines/ and every
 * gst-launch-1.0 block in the elements' documentation. Each must reach EOS
 * without an error and leave a non-empty file at every location= it names.
 *
 * A doc block may start with `lpctl` command lines (keys, a devnet ledger):
 * they run first, in the same directory, with the built lpctl. A block with
 * the line "# serves until interrupted" is a service (lporchestrator): it
 * must reach PLAYING and run SERVE_TIME without an error.
 *
 * A block's `gst-launch-1.0 … &` commands (a shell's background job: an
 * orchestrator for a broadcaster) are services for its main example: they
 * are parsed like it, brought to PLAYING before it starts, run while it
 * runs to EOS, must post no error, and are stopped afterwards.
 *
 * A location= that names a directory (livepeersink's HLS output) must hold
 * at least one non-empty file.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpcheck.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#define EXAMPLE_TIMEOUT (120 * GST_SECOND)
#define SERVE_TIME (3 * GST_SECOND)
#define SERVES_MARKER "# serves until interrupted"
#define SERVICE_START_TIMEOUT (10 * GST_SECOND)

typedef struct
{
  gchar *origin;                /* file (and line) it came from */
  gchar *launch;                /* the gst-launch-1.0 line, continuations joined */
  gchar **setup;                /* lpctl lines to run before it */
  gchar **services;             /* `gst-launch-1.0 … &` lines, without the & */
  gboolean serves;              /* runs until stopped instead of to EOS */
} Example;

static GPtrArray *examples;

static void
example_free (Example * e)
{
  g_free (e->origin);
  g_free (e->launch);
  g_strfreev (e->setup);
  g_strfreev (e->services);
  g_free (e);
}

/* One command of a block, its continuation lines joined: an lpctl setup
 * line (before the main launch line), a background service (`… &`) or part
 * of the main launch line. */
static void
add_command (Example * e, GString * joined, GPtrArray * setup,
    GPtrArray * services, GString * command)
{
  gchar *c = g_strstrip (command->str);
  gsize len = strlen (c);

  if (len == 0)
    return;
  if (joined->len == 0 && g_str_has_prefix (c, "lpctl ")) {
    g_ptr_array_add (setup, g_strdup (c));
  } else if (g_str_has_prefix (c, "gst-launch-1.0") && c[len - 1] == '&'
      && (len < 2 || c[len - 2] != '&')) {
    c[len - 1] = '\0';
    g_ptr_array_add (services, g_strdup (g_strstrip (c)));
  } else {
    g_string_append_printf (joined, "%s ", c);
  }
}

static void
add_example (const gchar * origin, const gchar * text)
{
  Example *e = g_new0 (Example, 1);
  GString *joined = g_string_new (NULL);
  GString *command = g_string_new (NULL);
  GPtrArray *setup = g_ptr_array_new ();
  GPtrArray *services = g_ptr_array_new ();
  gchar **lines = g_strsplit (text, "\n", -1);
  guint i;

  for (i = 0; lines[i] != NULL; i++) {
    gchar *line = g_strstrip (lines[i]);
    gsize len = strlen (line);

    if (g_str_has_prefix (line, SERVES_MARKER))
      e->serves = TRUE;
    if (line[0] == '#' || len == 0)
      continue;
    if (line[len - 1] == '\\') {
      line[len - 1] = ' ';
      g_string_append_printf (command, "%s ", line);
      continue;
    }
    g_string_append (command, line);
    add_command (e, joined, setup, services, command);
    g_string_truncate (command, 0);
  }
  /* a block ending in a continuation */
  add_command (e, joined, setup, services, command);
  g_string_free (command, TRUE);
  g_strfreev (lines);
  g_ptr_array_add (setup, NULL);
  g_ptr_array_add (services, NULL);
  e->setup = (gchar **) g_ptr_array_free (setup, FALSE);
  e->services = (gchar **) g_ptr_array_free (services, FALSE);
  e->origin = g_strdup (origin);
  e->launch = g_strstrip (g_string_free (joined, FALSE));
  g_ptr_array_add (examples, e);
}

static void
collect_pipeline_files (const gchar * srcdir)
{
  gchar *dir_path = g_build_filename (srcdir, "pipelines", NULL);
  GDir *dir = g_dir_open (dir_path, 0, NULL);
  const gchar *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    gchar *path, *contents;

    if (!g_str_has_suffix (name, ".txt"))
      continue;
    path = g_build_filename (dir_path, name, NULL);
    if (g_file_get_contents (path, &contents, NULL, NULL)) {
      add_example (path, contents);
      g_free (contents);
    }
    g_free (path);
  }
  if (dir != NULL)
    g_dir_close (dir);
  g_free (dir_path);
}

/* ``` blocks inside doc comments whose first line starts gst-launch-1.0 */
static void
collect_doc_examples_in_file (const gchar * path)
{
  gchar *contents = NULL;
  gchar **lines;
  GString *block = NULL;
  guint i, block_line = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return;
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i] != NULL; i++) {
    const gchar *line = lines[i];

    /* doc comment lines look like " * text" */
    while (*line == ' ')
      line++;
    if (*line != '*')
      continue;
    line++;
    if (*line == ' ')
      line++;

    if (g_str_has_prefix (line, "```")) {
      if (block == NULL) {
        block = g_string_new (NULL);
        block_line = i + 2;
      } else {
        if (g_str_has_prefix (block->str, "gst-launch-1.0")
            || (g_str_has_prefix (block->str, "lpctl ")
                && strstr (block->str, "\ngst-launch-1.0") != NULL)) {
          gchar *origin = g_strdup_printf ("%s:%u", path, block_line);
          add_example (origin, block->str);
          g_free (origin);
        }
        g_string_free (block, TRUE);
        block = NULL;
      }
    } else if (block != NULL) {
      g_string_append_printf (block, "%s\n", line);
    }
  }
  if (block != NULL)
    g_string_free (block, TRUE);
  g_strfreev (lines);
  g_free (contents);
}

static void
collect_doc_examples (const gchar * dir_path)
{
  GDir *dir = g_dir_open (dir_path, 0, NULL);
  const gchar *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    gchar *path = g_build_filename (dir_path, name, NULL);

    if (g_file_test (path, G_FILE_TEST_IS_DIR))
      collect_doc_examples (path);
    else if (g_str_has_suffix (name, ".c"))
      collect_doc_examples_in_file (path);
    g_free (path);
  }
  if (dir != NULL)
    g_dir_close (dir);
}

/* "gst-launch-1.0 -e -q a ! b" -> "a ! b" */
static const gchar *
pipeline_description (const gchar * launch)
{
  const gchar *p = launch;

  fail_unless (g_str_has_prefix (p, "gst-launch-1.0"), "%s", launch);
  p += strlen ("gst-launch-1.0");
  while (TRUE) {
    while (*p == ' ')
      p++;
    if (*p != '-')
      return p;
    while (*p != '\0' && *p != ' ')
      p++;
  }
}

static GPtrArray *
named_locations (const gchar * description)
{
  GPtrArray *locations = g_ptr_array_new_with_free_func (g_free);
  GRegex *re = g_regex_new ("location=([^ !]+)", 0, 0, NULL);
  GMatchInfo *match;

  g_regex_match (re, description, 0, &match);
  while (g_match_info_matches (match)) {
    g_ptr_array_add (locations, g_match_info_fetch (match, 1));
    g_match_info_next (match, NULL);
  }
  g_match_info_free (match);
  g_regex_unref (re);
  return locations;
}

/* The lpctl lines of @e, through the shell, with the built lpctl. */
static void
run_setup (Example * e)
{
  const gchar *builddir = g_getenv ("LP_TEST_BUILDDIR");
  gchar *tools, *path;
  guint i;

  if (e->setup[0] == NULL)
    return;
  fail_unless (builddir != NULL, "LP_TEST_BUILDDIR is not set");
  tools = g_build_filename (builddir, "tools", NULL);
  path = g_strdup_printf ("%s:%s", tools, g_getenv ("PATH"));
  for (i = 0; e->setup[i] != NULL; i++) {
    gchar *argv[] = { (gchar *) "/bin/sh", (gchar *) "-c", e->setup[i], NULL };
    gchar **env = g_environ_setenv (g_get_environ (), "PATH", path, TRUE);
    gchar *err = NULL;
    gint status = -1;

    fail_unless (g_spawn_sync (NULL, argv, env, G_SPAWN_DEFAULT, NULL, NULL,
            NULL, &err, &status, NULL), "%s: cannot run %s", e->origin,
        e->setup[i]);
    fail_unless (g_spawn_check_wait_status (status, NULL), "%s: '%s' failed: "
        "%s", e->origin, e->setup[i], err);
    g_free (err);
    g_strfreev (env);
  }
  g_free (tools);
  g_free (path);
}

/* gst_parse_launch() of a launch line's description, wrapped in a
 * pipeline when it is a lone element (as gst-launch-1.0 does) */
static GstElement *
launch_pipeline (Example * e, const gchar * description)
{
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &error);

  fail_unless (pipeline != NULL, "%s: %s", e->origin,
      error ? error->message : "?");
  g_clear_error (&error);
  /* a lone element is not a pipeline: gst-launch-1.0 wraps it in one */
  if (!GST_IS_PIPELINE (pipeline)) {
    GstElement *element = pipeline;

    pipeline = gst_pipeline_new (NULL);
    gst_bin_add (GST_BIN (pipeline), element);
  }
  return pipeline;
}

/* fails on an ERROR message @bus holds */
static void
fail_on_error (Example * e, GstBus * bus, const gchar * what)
{
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  GError *error = NULL;
  gchar *debug = NULL;

  if (msg == NULL)
    return;
  gst_message_parse_error (msg, &error, &debug);
  fail ("%s: %s: %s (%s)", e->origin, what, error->message, debug);
}

/* a background service of the block (`gst-launch-1.0 … &`), PLAYING */
static GstElement *
start_service (Example * e, const gchar * launch)
{
  GstElement *pipeline = launch_pipeline (e, pipeline_description (launch));
  GstBus *bus = gst_element_get_bus (pipeline);
  GstState state = GST_STATE_VOID_PENDING;

  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE, "%s: service '%s' does not start: %s",
      e->origin, launch, "state change failed");
  fail_unless (gst_element_get_state (pipeline, &state, NULL,
          SERVICE_START_TIMEOUT) == GST_STATE_CHANGE_SUCCESS
      && state == GST_STATE_PLAYING, "%s: service '%s' is not PLAYING",
      e->origin, launch);
  fail_on_error (e, bus, launch);
  gst_object_unref (bus);
  return pipeline;
}

static void
stop_service (Example * e, GstElement * pipeline, const gchar * launch)
{
  GstBus *bus = gst_element_get_bus (pipeline);

  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_EOS) == NULL,
      "%s: service '%s' ended", e->origin, launch);
  fail_on_error (e, bus, launch);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

/* whether @path (a directory) holds a non-empty file, at any depth */
static gboolean
dir_has_content (const gchar * path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const gchar *name;
  gboolean found = FALSE;

  while (!found && dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    gchar *child = g_build_filename (path, name, NULL);
    GStatBuf st;

    if (g_stat (child, &st) == 0)
      found = S_ISDIR (st.st_mode) ? dir_has_content (child) : st.st_size > 0;
    g_free (child);
  }
  if (dir != NULL)
    g_dir_close (dir);
  return found;
}

GST_START_TEST (test_example_runs_as_written)
{
  Example *e = g_ptr_array_index (examples, __i__);
  const gchar *description = pipeline_description (e->launch);
  gchar *workdir = g_dir_make_tmp ("lp-example-XXXXXX", NULL);
  gchar *cwd = g_get_current_dir ();
  GError *error = NULL;
  GstElement *pipeline;
  GPtrArray *services;
  GstBus *bus;
  GstMessage *msg;
  GPtrArray *locations;
  guint i;

  fail_unless (g_chdir (workdir) == 0);
  run_setup (e);
  services = g_ptr_array_new ();
  for (i = 0; e->services[i] != NULL; i++)
    g_ptr_array_add (services, start_service (e, e->services[i]));
  pipeline = launch_pipeline (e, description);
  bus = gst_element_get_bus (pipeline);
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    fail_on_error (e, bus, "does not start");
    fail ("%s does not start", e->origin);
  }
  msg = gst_bus_timed_pop_filtered (bus, e->serves ? SERVE_TIME :
      EXAMPLE_TIMEOUT, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (e->serves) {
    GstState state;

    fail_unless (gst_element_get_state (pipeline, &state, NULL, 0) ==
        GST_STATE_CHANGE_SUCCESS && state == GST_STATE_PLAYING,
        "%s: not PLAYING", e->origin);
    fail_unless (msg == NULL || GST_MESSAGE_TYPE (msg) != GST_MESSAGE_EOS,
        "%s: a service ended", e->origin);
  } else {
    fail_unless (msg != NULL, "%s: no EOS within %" GST_TIME_FORMAT,
        e->origin, GST_TIME_ARGS (EXAMPLE_TIMEOUT));
  }
  if (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gchar *debug = NULL;
    gst_message_parse_error (msg, &error, &debug);
    fail ("%s: %s (%s)", e->origin, error->message, debug);
  }
  if (msg != NULL)
    gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  /* the services ran through the whole example without an error */
  for (i = 0; i < services->len; i++)
    stop_service (e, g_ptr_array_index (services, i), e->services[i]);
  g_ptr_array_free (services, TRUE);

  locations = named_locations (description);
  for (i = 0; i < locations->len; i++) {
    const gchar *file = g_ptr_array_index (locations, i);
    GStatBuf st;

    fail_unless (g_stat (file, &st) == 0, "%s: wrote nothing to %s",
        e->origin, file);
    if (S_ISDIR (st.st_mode)) {
      fail_unless (dir_has_content (file), "%s: wrote nothing into %s/",
          e->origin, file);
    } else {
      fail_unless (st.st_size > 0, "%s: wrote nothing to %s", e->origin, file);
      g_unlink (file);
    }
  }
  g_ptr_array_unref (locations);

  fail_unless (g_chdir (cwd) == 0);
  lp_check_remove_tree (workdir);
  g_free (workdir);
  g_free (cwd);
}

GST_END_TEST;

static Suite *
examples_suite (void)
{
  Suite *s = suite_create ("examples");
  TCase *tc = tcase_create ("general");
  const gchar *srcdir = g_getenv ("LP_TEST_SRCDIR");
  gchar *path;

  lp_check_make_our_logs_fatal ();
  if (srcdir == NULL)
    g_error ("LP_TEST_SRCDIR is not set: run through meson test");

  examples = g_ptr_array_new_with_free_func ((GDestroyNotify) example_free);
  collect_pipeline_files (srcdir);
  path = g_build_filename (srcdir, "gst", NULL);
  collect_doc_examples (path);
  g_free (path);
  path = g_build_filename (srcdir, "ext", NULL);
  collect_doc_examples (path);
  g_free (path);

  /* no examples found means the collection is broken, not that all is well */
  if (examples->len < 3)
    g_error ("found only %u examples under %s", examples->len, srcdir);

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 180);
  tcase_add_loop_test (tc, test_example_runs_as_written, 0, examples->len);
  return s;
}

GST_CHECK_MAIN (examples);

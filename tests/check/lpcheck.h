/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Shared helpers of the check tests.
 */
#pragma once

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>

/* gst_check_init only watches GLib's and GStreamer's own log domains: make
 * criticals and warnings of ours (and of the libraries we drive) abort the
 * test too, so misuse cannot pass silently. Call from the suite function. */
static inline void
lp_check_make_our_logs_fatal (void)
{
  static const gchar *domains[] = { "GstLivepeer", "libsoup", "Json", "lpctl" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (domains); i++)
    g_log_set_fatal_mask (domains[i],
        G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_FATAL_MASK);
}

/* Removes a test's temporary directory and everything under it (symbolic
 * links are removed, not followed); with @refuse_suffix, fails the test on
 * a file named so (a temporary file a writer left behind). */
static inline void
lp_check_remove_tree_refusing (const gchar * path, const gchar * refuse_suffix)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const gchar *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
    gchar *child = g_build_filename (path, name, NULL);

    fail_if (refuse_suffix != NULL && g_str_has_suffix (name, refuse_suffix),
        "left behind: %s", child);
    if (g_file_test (child, G_FILE_TEST_IS_DIR)
        && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
      lp_check_remove_tree_refusing (child, refuse_suffix);
    else
      g_remove (child);
    g_free (child);
  }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

static inline void
lp_check_remove_tree (const gchar * path)
{
  lp_check_remove_tree_refusing (path, NULL);
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lpcheck: what every check test may use: our log domains made fatal, a
 * test's temporary directory removed, bytes and amounts compared as text,
 * and a key made from its hex secret.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpcheck.h"

/* gst_check_init only watches GLib's and GStreamer's own log domains: make
 * criticals and warnings of ours (and of the libraries we drive) abort the
 * test too, so misuse cannot pass silently. Call from the suite function. */
void
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
void
lp_check_remove_tree_refusing (const gchar * path, const gchar * refuse_suffix)
{
  gchar *refused = lp_test_remove_tree (path, refuse_suffix);

  fail_if (refused != NULL, "left behind: %s", refused);
}

void
lp_check_remove_tree (const gchar * path)
{
  lp_check_remove_tree_refusing (path, NULL);
}

/* Fails unless @data is @expected in lower-case hex (no 0x). */
void
lp_check_assert_hex (const guint8 * data, gsize length, const gchar * expected)
{
  gchar *hex = lp_hex_encode (data, length, FALSE);

  fail_unless_equals_string (hex, expected);
  g_free (hex);
}

/* Fails unless @value is @expected in decimal. */
void
lp_check_assert_u256 (const LpUint256 * value, const gchar * expected)
{
  gchar *text = lp_uint256_to_string (value);

  fail_unless_equals_string (text, expected);
  g_free (text);
}

/* The private key whose secret is @hex (64 hex digits). */
LpPrivateKey *
lp_check_key_from_hex (const gchar * hex)
{
  guint8 secret[LP_PRIVATE_KEY_SIZE];
  GError *error = NULL;
  LpPrivateKey *key;

  fail_unless (lp_hex_decode (hex, secret, sizeof (secret), &error));
  key = lp_private_key_new_from_bytes (secret, sizeof (secret), &error);
  fail_unless (key != NULL, "%s", error ? error->message : "");
  return key;
}

/* Takes @element (not in a bin, its properties set) to @state, which must
 * fail with an error on its bus whose message says @text; leaves @element
 * in NULL with no bus. Returns the error's debug text (free it; may be
 * NULL). */
gchar *
lp_check_state_change_fails (GstElement * element, GstState state,
    const gchar * text)
{
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *error = NULL;
  gchar *debug = NULL;

  gst_element_set_bus (element, bus);
  fail_unless_equals_int (gst_element_set_state (element, state),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no error posted (expected one saying '%s')",
      text);
  gst_message_parse_error (msg, &error, &debug);
  fail_unless (strstr (error->message, text) != NULL,
      "the error '%s' does not say '%s'", error->message, text);
  g_error_free (error);
  gst_message_unref (msg);
  gst_element_set_state (element, GST_STATE_NULL);
  gst_element_set_bus (element, NULL);
  gst_object_unref (bus);
  return debug;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Shared checks of the libFuzzer targets: every decoder either succeeds,
 * and then its output survives an encode/decode round trip unchanged, or
 * fails with an LP_WIRE_ERROR that has a message. Criticals and warnings
 * abort, so a g_return_if_fail() reached from input is a finding.
 */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gst/livepeer/lpproto.h>
#include <gst/livepeer/lpwire.h>

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

static inline void
fuzz_init (void)
{
  static gboolean done = FALSE;

  if (!done) {
    g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
    done = TRUE;
  }
}

/* A failed decode must say why, in @domain. */
static inline void
fuzz_check_error_in (gpointer object, GError * error, GQuark domain)
{
  if (object != NULL) {
    if (error != NULL)
      abort ();
    return;
  }
  if (error == NULL || error->domain != domain
      || error->message == NULL || error->message[0] == '\0')
    abort ();
  g_error_free (error);
}

/* A failed wire decode must say why, in the wire's domain. */
static inline void
fuzz_check_error (gpointer object, GError * error)
{
  fuzz_check_error_in (object, error, LP_WIRE_ERROR);
}

/* Two encodings of what should be the same message must be equal. */
static inline void
fuzz_check_same (gchar * a, gchar * b)
{
  if (a == NULL || b == NULL || strcmp (a, b) != 0)
    abort ();
  g_free (a);
  g_free (b);
}

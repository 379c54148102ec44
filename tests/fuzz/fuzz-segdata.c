/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: SegData, as JSON and as a Livepeer-Segment header, and
 * the segment message its signature covers.
 */
#include "fuzz-common.h"

static void
check (LpSegData * seg)
{
  GError *error = NULL;
  gchar *json = lp_wire_seg_data_to_json (seg);
  gchar *header = lp_wire_seg_data_to_header (seg);
  LpSegData *again = lp_wire_seg_data_from_json (json, -1, &error);
  LpSegData *from_header, *copy;
  LpAddress signer;
  GBytes *message;

  if (again == NULL)
    abort ();
  fuzz_check_same (lp_wire_seg_data_to_json (again), g_strdup (json));
  from_header = lp_wire_seg_data_from_header (header, &error);
  if (from_header == NULL)
    abort ();
  copy = lp_seg_data_copy (from_header);
  fuzz_check_same (lp_wire_seg_data_to_json (copy), json);

  /* manifest id + 32 + 32 + 8 per profile */
  message = lp_seg_data_signed_message (seg);
  if (g_bytes_get_size (message) != strlen (seg->manifest_id) + 64 +
      8 * seg->profiles->len)
    abort ();
  g_bytes_unref (message);
  if (lp_seg_data_recover_signer (seg, &signer, &error)) {
    if (!lp_seg_data_verify (seg, &signer, NULL))
      abort ();
  } else {
    g_clear_error (&error);
  }

  lp_seg_data_free (copy);
  lp_seg_data_free (from_header);
  lp_seg_data_free (again);
  g_free (header);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GError *error = NULL;
  LpSegData *seg;
  gchar *text;

  fuzz_init ();

  seg = lp_wire_seg_data_from_json ((const gchar *) data, (gssize) size,
      &error);
  fuzz_check_error (seg, error);
  if (seg != NULL) {
    check (seg);
    lp_seg_data_free (seg);
  }

  error = NULL;
  text = g_strndup ((const gchar *) data, size);
  seg = lp_wire_seg_data_from_header (text, &error);
  fuzz_check_error (seg, error);
  if (seg != NULL) {
    check (seg);
    lp_seg_data_free (seg);
  }
  g_free (text);
  return 0;
}

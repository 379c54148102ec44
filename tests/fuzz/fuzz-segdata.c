/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: SegData in the readable JSON form (what lpctl prints
 * and reads), and the segment message its signature covers.
 */
#include "fuzz-common.h"

static void
check (LpSegData * seg)
{
  GError *error = NULL;
  gchar *json = lp_wire_seg_data_to_json (seg);
  LpSegData *again = lp_wire_seg_data_from_json (json, -1, &error);
  LpSegData *copy;
  LpAddress signer;
  GBytes *message;

  if (again == NULL)
    abort ();
  fuzz_check_same (lp_wire_seg_data_to_json (again), g_strdup (json));
  copy = lp_seg_data_copy (again);
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
  lp_seg_data_free (again);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GError *error = NULL;
  LpSegData *seg;

  fuzz_init ();

  seg = lp_wire_seg_data_from_json ((const gchar *) data, (gssize) size,
      &error);
  fuzz_check_error (seg, error);
  if (seg != NULL) {
    check (seg);
    lp_seg_data_free (seg);
  }
  return 0;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: TranscodeResult (with its nested OrchestratorInfo) in
 * the readable JSON form that lpverify's transcode-result property holds.
 */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GError *error = NULL;
  LpTranscodeResult *result, *again, *copy;

  fuzz_init ();

  result = lp_wire_transcode_result_from_json ((const gchar *) data,
      (gssize) size, &error);
  fuzz_check_error (result, error);
  if (result != NULL) {
    gchar *json = lp_wire_transcode_result_to_json (result);

    /* an error result carries no renditions */
    if (result->error != NULL && result->segments->len != 0)
      abort ();
    error = NULL;
    again = lp_wire_transcode_result_from_json (json, -1, &error);
    if (again == NULL)
      abort ();
    copy = lp_transcode_result_copy (again);
    fuzz_check_same (lp_wire_transcode_result_to_json (copy), json);
    lp_transcode_result_free (copy);
    lp_transcode_result_free (again);
    lp_transcode_result_free (result);
  }
  return 0;
}

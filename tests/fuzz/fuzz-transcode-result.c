/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: TranscodeResult (with its nested OrchestratorInfo),
 * and VideoProfile.
 */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GError *error = NULL;
  LpTranscodeResult *result, *again, *copy;
  LpProfile *profile;

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

  error = NULL;
  profile = lp_wire_video_profile_from_json ((const gchar *) data,
      (gssize) size, &error);
  fuzz_check_error (profile, error);
  if (profile != NULL) {
    gchar *json = lp_wire_video_profile_to_json (profile);
    LpProfile *back = lp_wire_video_profile_from_json (json, -1, NULL);

    if (back == NULL)
      abort ();
    fuzz_check_same (lp_wire_video_profile_to_json (back), json);
    lp_profile_free (back);
    lp_profile_free (profile);
  }
  return 0;
}

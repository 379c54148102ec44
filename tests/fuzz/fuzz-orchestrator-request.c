/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: OrchestratorRequest, and the capabilities check.
 */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GError *error = NULL;
  LpOrchestratorRequest *request, *again, *copy;
  gchar *text;

  fuzz_init ();

  request = lp_wire_orchestrator_request_from_json ((const gchar *) data,
      (gssize) size, &error);
  fuzz_check_error (request, error);
  if (request != NULL) {
    gchar *json = lp_wire_orchestrator_request_to_json (request);

    error = NULL;
    again = lp_wire_orchestrator_request_from_json (json, -1, &error);
    if (again == NULL)
      abort ();
    copy = lp_orchestrator_request_copy (again);
    fuzz_check_same (lp_wire_orchestrator_request_to_json (copy), json);
    if (request->capabilities != NULL
        && !lp_wire_capabilities_check (request->capabilities, NULL))
      abort ();
    lp_orchestrator_request_free (copy);
    lp_orchestrator_request_free (again);
    lp_orchestrator_request_free (request);
  }

  error = NULL;
  text = g_strndup ((const gchar *) data, size);
  if (!lp_wire_capabilities_check (text, &error))
    fuzz_check_error (NULL, error);
  g_free (text);
  return 0;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: OrchestratorInfo and TicketParams in the readable JSON
 * form lpctl reads (orchestrator info; --params). Each is written back
 * through the form that embeds it (a TranscodeResult's info, a Payment's
 * ticket params) and must read back the same.
 */
#include "fuzz-common.h"

/* @info as the refreshed info of a result, in JSON */
static gchar *
info_to_json (const LpOrchestratorInfo * info)
{
  LpTranscodeResult *result = lp_transcode_result_new ();
  gchar *json;

  result->info = lp_orchestrator_info_copy (info);
  json = lp_wire_transcode_result_to_json (result);
  lp_transcode_result_free (result);
  return json;
}

static void
check_info (const LpOrchestratorInfo * info)
{
  gchar *json = info_to_json (info);
  LpTranscodeResult *again = lp_wire_transcode_result_from_json (json, -1,
      NULL);

  if (again == NULL || again->info == NULL)
    abort ();
  fuzz_check_same (info_to_json (again->info), json);
  lp_transcode_result_free (again);
}

static void
check_ticket_params (const LpTicketParams * params)
{
  LpPayment *payment = lp_payment_new (), *again;
  gchar *json;

  payment->has_ticket_params = TRUE;
  payment->ticket_params = *params;
  json = lp_wire_payment_to_json (payment);
  again = lp_wire_payment_from_json (json, -1, NULL);
  if (again == NULL || !again->has_ticket_params
      || memcmp (&again->ticket_params, params, sizeof (*params)) != 0)
    abort ();
  lp_payment_free (again);
  lp_payment_free (payment);
  g_free (json);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GError *error = NULL;
  LpOrchestratorInfo *info;
  LpTicketParams params;

  fuzz_init ();

  info = lp_wire_orchestrator_info_from_json ((const gchar *) data,
      (gssize) size, &error);
  fuzz_check_error (info, error);
  if (info != NULL) {
    check_info (info);
    lp_orchestrator_info_free (info);
  }

  error = NULL;
  if (lp_wire_ticket_params_from_json ((const gchar *) data, (gssize) size,
          &params, &error))
    check_ticket_params (&params);
  else
    fuzz_check_error (NULL, error);
  return 0;
}

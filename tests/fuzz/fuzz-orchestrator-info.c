/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: OrchestratorInfo (and the TicketParams, PriceInfo and
 * AuthToken decoders it contains, also tried on their own).
 */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GError *error = NULL;
  LpOrchestratorInfo *info, *again, *copy;
  LpTicketParams params;
  LpPriceInfo price;
  LpAuthToken token;

  fuzz_init ();

  info = lp_wire_orchestrator_info_from_json ((const gchar *) data,
      (gssize) size, &error);
  fuzz_check_error (info, error);
  if (info != NULL) {
    gchar *json = lp_wire_orchestrator_info_to_json (info);

    error = NULL;
    again = lp_wire_orchestrator_info_from_json (json, -1, &error);
    if (again == NULL)
      abort ();
    copy = lp_orchestrator_info_copy (again);
    fuzz_check_same (lp_wire_orchestrator_info_to_json (copy), json);
    lp_orchestrator_info_free (copy);
    lp_orchestrator_info_free (again);
    lp_orchestrator_info_free (info);
  }

  error = NULL;
  if (lp_wire_ticket_params_from_json ((const gchar *) data, (gssize) size,
          &params, &error)) {
    gchar *json = lp_wire_ticket_params_to_json (&params);
    LpTicketParams back;

    if (!lp_wire_ticket_params_from_json (json, -1, &back, NULL)
        || memcmp (&back, &params, sizeof (params)) != 0)
      abort ();
    g_free (json);
  } else {
    fuzz_check_error (NULL, error);
  }

  error = NULL;
  if (lp_wire_price_info_from_json ((const gchar *) data, (gssize) size,
          &price, &error)) {
    gchar *json = lp_wire_price_info_to_json (&price);
    LpPriceInfo back;

    if (!lp_wire_price_info_from_json (json, -1, &back, NULL)
        || memcmp (&back, &price, sizeof (price)) != 0)
      abort ();
    g_free (json);
  } else {
    fuzz_check_error (NULL, error);
  }

  error = NULL;
  if (lp_wire_auth_token_from_json ((const gchar *) data, (gssize) size,
          &token, &error)) {
    gchar *json = lp_wire_auth_token_to_json (&token);
    LpAuthToken back;

    if (!lp_wire_auth_token_from_json (json, -1, &back, NULL)
        || memcmp (&back, &token, sizeof (token)) != 0)
      abort ();
    g_free (json);
  } else {
    fuzz_check_error (NULL, error);
  }
  return 0;
}

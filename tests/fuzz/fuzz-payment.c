/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: Payment, as JSON and as a Livepeer-Payment header.
 */
#include "fuzz-common.h"

static void
round_trip (const LpPayment * payment)
{
  GError *error = NULL;
  gchar *json = lp_wire_payment_to_json (payment);
  gchar *header = lp_wire_payment_to_header (payment);
  LpPayment *again = lp_wire_payment_from_json (json, -1, &error);
  LpPayment *from_header;

  if (again == NULL)
    abort ();
  fuzz_check_same (lp_wire_payment_to_json (again), g_strdup (json));
  from_header = lp_wire_payment_from_header (header, &error);
  if (from_header == NULL)
    abort ();
  fuzz_check_same (lp_wire_payment_to_json (from_header), json);
  /* the ticket view of every entry must be reachable */
  if (again->has_ticket_params && again->tickets->len > 0) {
    LpTicket ticket;

    lp_payment_get_ticket (again, again->tickets->len - 1, &ticket);
  }
  lp_payment_free (from_header);
  lp_payment_free (again);
  g_free (header);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GError *error = NULL;
  LpPayment *payment;
  gchar *text;

  fuzz_init ();

  payment = lp_wire_payment_from_json ((const gchar *) data, (gssize) size,
      &error);
  fuzz_check_error (payment, error);
  if (payment != NULL) {
    round_trip (payment);
    lp_payment_free (payment);
  }

  error = NULL;
  text = g_strndup ((const gchar *) data, size);
  payment = lp_wire_payment_from_header (text, &error);
  fuzz_check_error (payment, error);
  if (payment != NULL) {
    round_trip (payment);
    lp_payment_free (payment);
  }
  g_free (text);
  return 0;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: Payment in the readable JSON form (what lpctl prints
 * and reads).
 */
#include "fuzz-common.h"

static void
round_trip (const LpPayment * payment)
{
  GError *error = NULL;
  gchar *json = lp_wire_payment_to_json (payment);
  LpPayment *again = lp_wire_payment_from_json (json, -1, &error);
  LpPayment *copy;

  if (again == NULL)
    abort ();
  copy = lp_payment_copy (again);
  fuzz_check_same (lp_wire_payment_to_json (copy), json);
  /* the ticket view of every entry must be reachable */
  if (again->has_ticket_params && again->tickets->len > 0) {
    LpTicket ticket;

    lp_payment_get_ticket (again, again->tickets->len - 1, &ticket);
  }
  lp_payment_free (copy);
  lp_payment_free (again);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GError *error = NULL;
  LpPayment *payment;

  fuzz_init ();

  payment = lp_wire_payment_from_json ((const gchar *) data, (gssize) size,
      &error);
  fuzz_check_error (payment, error);
  if (payment != NULL) {
    round_trip (payment);
    lp_payment_free (payment);
  }
  return 0;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: every protobuf decoder of lpproto-messages.h. The
 * first byte picks the message type (its index in lptest-proto-types.c,
 * modulo their number), the rest is the message. A decode either fails
 * with an LP_PROTO_ERROR that says why, or gives a message whose encoding
 * decodes again to the same encoding: what we accept we can also send.
 */
#include "fuzz-common.h"

#include "lptest-proto-types.h"

static void
check_round_trip (const LpTestProtoType * type, gpointer message)
{
  GError *error = NULL;
  GBytes *first = type->encode (message);
  gsize length;
  const guint8 *data = g_bytes_get_data (first, &length);
  gpointer again = type->decode (data, length, &error);
  GBytes *second;

  if (again == NULL || error != NULL)
    abort ();
  second = type->encode (again);
  if (!g_bytes_equal (first, second))
    abort ();
  g_bytes_unref (second);
  g_bytes_unref (first);
  type->free_message (again);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  const LpTestProtoType *type;
  GError *error = NULL;
  gpointer message;

  fuzz_init ();
  if (size == 0)
    return 0;
  type = &lp_test_proto_types[data[0] % lp_test_proto_n_types];
  message = type->decode (data + 1, size - 1, &error);
  if (message != NULL)
    check_round_trip (type, message);
  fuzz_check_error_in (message, error, LP_PROTO_ERROR);
  if (message != NULL)
    type->free_message (message);
  return 0;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The HTTP/2 transport's shared pieces (lph2.h): error domains, gRPC status
 * names, the 5-byte length prefix of gRPC messages, and the
 * percent-encoding of grpc-message (gRPC's PROTOCOL-HTTP2.md).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lph2.h"

G_DEFINE_QUARK (lp-h2-error-quark, lp_h2_error);
G_DEFINE_QUARK (lp-grpc-error-quark, lp_grpc_error);

/* gRPC frame: compressed flag (1 byte), length (4 bytes, big-endian) */
#define GRPC_PREFIX_SIZE 5

/**
 * lp_grpc_status_name:
 * @status: a gRPC status code
 *
 * Returns: gRPC's name of @status ("UNIMPLEMENTED"), or "UNKNOWN_STATUS"
 *     for a number gRPC does not define
 */
const gchar *
lp_grpc_status_name (LpGrpcStatus status)
{
  static const gchar *const names[] = {
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
    "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
  };

  if ((guint) status < G_N_ELEMENTS (names))
    return names[status];
  return "UNKNOWN_STATUS";
}

/**
 * lp_grpc_frame:
 * @message: one serialized message
 *
 * Returns: (transfer full): @message behind gRPC's 5-byte prefix
 *     (uncompressed, its length big-endian): a unary call's whole body
 */
GBytes *
lp_grpc_frame (GBytes * message)
{
  gsize size = message ? g_bytes_get_size (message) : 0;
  guint8 *framed = g_malloc (GRPC_PREFIX_SIZE + size);

  g_return_val_if_fail (size <= G_MAXUINT32, NULL);
  framed[0] = 0;
  framed[1] = (size >> 24) & 0xff;
  framed[2] = (size >> 16) & 0xff;
  framed[3] = (size >> 8) & 0xff;
  framed[4] = size & 0xff;
  if (size > 0)
    memcpy (framed + GRPC_PREFIX_SIZE, g_bytes_get_data (message, NULL), size);
  return g_bytes_new_take (framed, GRPC_PREFIX_SIZE + size);
}

static GBytes *
unframe_fail (LpGrpcStatus * status_out, LpGrpcStatus status,
    GError ** error, const gchar * format, ...) G_GNUC_PRINTF (4, 5);

static GBytes *
unframe_fail (LpGrpcStatus * status_out, LpGrpcStatus status,
    GError ** error, const gchar * format, ...)
{
  va_list args;
  gchar *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (status_out)
    *status_out = status;
  g_set_error_literal (error, LP_GRPC_ERROR, status, text);
  g_free (text);
  return NULL;
}

/**
 * lp_grpc_unframe:
 * @body: the body of a unary call (request or answer)
 * @max_message_size: the largest message accepted
 * @status: (out) (optional): on failure, the gRPC status a server answers
 *     with (INVALID_ARGUMENT, RESOURCE_EXHAUSTED, UNIMPLEMENTED)
 * @error: where to put the error, in %LP_GRPC_ERROR with that status
 *
 * Reads exactly one uncompressed length-prefixed message. Refuses an empty
 * body, a truncated prefix or message, bytes after the message, the
 * compressed flag (nothing here negotiates a grpc-encoding) and a length
 * beyond @max_message_size, which is checked before anything is copied.
 *
 * Returns: (transfer full): the message (possibly empty), or %NULL
 */
GBytes *
lp_grpc_unframe (GBytes * body, gsize max_message_size,
    LpGrpcStatus * status, GError ** error)
{
  gsize size = 0;
  const guint8 *data = body ? g_bytes_get_data (body, &size) : NULL;
  guint64 length;

  if (size == 0)
    return unframe_fail (status, LP_GRPC_STATUS_INVALID_ARGUMENT, error,
        "the body holds no gRPC message (a unary call carries exactly one)");
  if (size < GRPC_PREFIX_SIZE)
    return unframe_fail (status, LP_GRPC_STATUS_INVALID_ARGUMENT, error,
        "truncated gRPC frame: %" G_GSIZE_FORMAT " bytes, the length prefix "
        "alone is 5", size);
  if (data[0] == 1)
    return unframe_fail (status, LP_GRPC_STATUS_UNIMPLEMENTED, error,
        "compressed gRPC message refused: only the identity encoding is "
        "supported");
  if (data[0] != 0)
    return unframe_fail (status, LP_GRPC_STATUS_INVALID_ARGUMENT, error,
        "bad gRPC frame: compressed flag %u (0 or 1 expected)", data[0]);
  length = ((guint64) data[1] << 24) | ((guint64) data[2] << 16)
      | ((guint64) data[3] << 8) | data[4];
  if (length > max_message_size)
    return unframe_fail (status, LP_GRPC_STATUS_RESOURCE_EXHAUSTED, error,
        "gRPC message of %" G_GUINT64_FORMAT " bytes is larger than the "
        "limit of %" G_GSIZE_FORMAT, length, max_message_size);
  if (length > size - GRPC_PREFIX_SIZE)
    return unframe_fail (status, LP_GRPC_STATUS_INVALID_ARGUMENT, error,
        "truncated gRPC frame: the prefix announces %" G_GUINT64_FORMAT
        " bytes, the body holds %" G_GSIZE_FORMAT, length,
        size - GRPC_PREFIX_SIZE);
  if (length < size - GRPC_PREFIX_SIZE)
    return unframe_fail (status, LP_GRPC_STATUS_INVALID_ARGUMENT, error,
        "%" G_GSIZE_FORMAT " bytes after the gRPC message (a unary call "
        "carries exactly one)", (gsize) (size - GRPC_PREFIX_SIZE - length));
  return g_bytes_new_from_bytes (body, GRPC_PREFIX_SIZE, length);
}

/**
 * lp_grpc_message_encode:
 * @text: a status message, UTF-8
 *
 * Returns: (transfer full): @text as a grpc-message header value: bytes
 *     outside printable ASCII, and '%', percent-encoded
 */
gchar *
lp_grpc_message_encode (const gchar * text)
{
  GString *out = g_string_new (NULL);
  const guchar *p;

  for (p = (const guchar *) text; *p; p++) {
    if (*p >= 0x20 && *p <= 0x7e && *p != '%')
      g_string_append_c (out, *p);
    else
      g_string_append_printf (out, "%%%02X", *p);
  }
  return g_string_free (out, FALSE);
}

/**
 * lp_grpc_message_decode:
 * @value: a grpc-message header value
 *
 * Undoes the percent-encoding; a '%' not followed by two hex digits stays
 * as it is (as gRPC says a receiver must), and bytes that are not UTF-8
 * are replaced, so the result is always valid UTF-8.
 *
 * Returns: (transfer full): the status message
 */
gchar *
lp_grpc_message_decode (const gchar * value)
{
  GString *out = g_string_new (NULL);
  const gchar *p;
  gchar *valid;

  for (p = value; *p; p++) {
    if (p[0] == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2])) {
      g_string_append_c (out, (gchar) ((g_ascii_xdigit_value (p[1]) << 4)
              | g_ascii_xdigit_value (p[2])));
      p += 2;
    } else {
      g_string_append_c (out, *p);
    }
  }
  valid = g_utf8_make_valid (out->str, out->len);
  g_string_free (out, TRUE);
  return valid;
}

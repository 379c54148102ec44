/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of the HTTP/2 and gRPC transport (lph2, lph2server,
 * lph2client) and of the TLS certificate (lptlscert): our client against
 * our server (h2c and TLS), gRPC's framing and status rules, and hostile
 * peers: truncated frames, wrong content-types, oversize messages and
 * bodies, HTTP/1.1 and TLS on the h2c port, h2c on the TLS port, silent
 * and slow clients. Each must be a clear error, never a hang, and leave no
 * connection behind. The same server against Debian's python3-grpcio is
 * crosscheck/grpc.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <sys/stat.h>

#include "lpcheck.h"
#include "h2-fixture.h"
#include <gst/livepeer/lph2client.h>
#include <gst/livepeer/lpproto-messages.h>

static gchar *tmpdir = NULL;

static void
setup_tmpdir (void)
{
  GError *error = NULL;

  tmpdir = g_dir_make_tmp ("lph2-XXXXXX", &error);
  fail_unless (tmpdir != NULL, "%s", error ? error->message : "");
}

static void
teardown_tmpdir (void)
{
  lp_check_remove_tree (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
}

static H2Fixture *
start_fixture (const LpH2ServerLimits * limits, gsize max_message_size)
{
  GError *error = NULL;
  gchar *state = g_build_filename (tmpdir, "state", NULL);
  H2Fixture *fixture = h2_fixture_start (state, limits, max_message_size,
      &error);

  fail_unless (fixture != NULL, "%s", error ? error->message : "");
  g_free (state);
  return fixture;
}

static gchar *
fixture_url (H2Fixture * fixture, gboolean tls)
{
  return g_strdup_printf ("%s://127.0.0.1:%u", tls ? "https" : "http",
      tls ? h2_fixture_tls_port (fixture) : h2_fixture_h2c_port (fixture));
}

static GBytes *
ping_message (const gchar * value)
{
  LpProtoPingPong *ping = lp_proto_ping_pong_new ();
  GBytes *bytes;

  ping->value = g_bytes_new (value, strlen (value));
  bytes = lp_proto_ping_pong_encode (ping);
  lp_proto_ping_pong_free (ping);
  return bytes;
}

/* The Ping answer's value, as text */
static gchar *
pong_value (GBytes * answer)
{
  GError *error = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (answer, &size);
  LpProtoPingPong *pong = lp_proto_ping_pong_decode (data, size, &error);
  gchar *value;

  fail_unless (pong != NULL, "%s", error ? error->message : "");
  value = g_strndup (g_bytes_get_data (pong->value, NULL),
      g_bytes_get_size (pong->value));
  lp_proto_ping_pong_free (pong);
  return value;
}

static void
assert_no_connection_left (H2Fixture * fixture)
{
  fail_unless (h2_fixture_wait_idle (fixture, 3000),
      "%u connections still open", lp_h2_server_get_n_connections
      (h2_fixture_server (fixture)));
}

/* the next connection error the server reported is @code, and says @what */
static void
assert_server_error (H2Fixture * fixture, gint code, const gchar * what)
{
  GError *error = h2_fixture_wait_error (fixture, 3000);

  fail_unless (error != NULL, "the server reported no error (wanted %s)",
      what);
  fail_unless (g_error_matches (error, LP_H2_ERROR, code),
      "wanted error %d (%s), got %d: %s", code, what, error->code,
      error->message);
  fail_unless (strstr (error->message, what) != NULL,
      "\"%s\" does not say \"%s\"", error->message, what);
  g_error_free (error);
}

GST_START_TEST (test_grpc_framing)
{
  GBytes *message = g_bytes_new_static ("\x0a\x02hi", 4);
  GBytes *framed = lp_grpc_frame (message), *back, *body;
  GError *error = NULL;
  LpGrpcStatus status;
  gchar *text;

  lp_check_assert_hex (g_bytes_get_data (framed, NULL),
      g_bytes_get_size (framed), "00000000040a026869");
  back = lp_grpc_unframe (framed, 4, NULL, &error);
  fail_unless (back != NULL && g_bytes_equal (back, message));
  g_bytes_unref (back);
  /* one byte over the bound: RESOURCE_EXHAUSTED before any copy */
  fail_unless (lp_grpc_unframe (framed, 3, &status, &error) == NULL);
  fail_unless (status == LP_GRPC_STATUS_RESOURCE_EXHAUSTED);
  g_clear_error (&error);
  body = g_bytes_new_static ("\x00\x00\x00\x00\x10\xab", 6);
  fail_unless (lp_grpc_unframe (body, 100, &status, &error) == NULL);
  fail_unless (status == LP_GRPC_STATUS_INVALID_ARGUMENT);
  fail_unless (strstr (error->message, "truncated") != NULL, "%s",
      error->message);
  g_clear_error (&error);
  g_bytes_unref (body);
  body = g_bytes_new_static ("\x01\x00\x00\x00\x00", 5);
  fail_unless (lp_grpc_unframe (body, 100, &status, &error) == NULL);
  fail_unless (status == LP_GRPC_STATUS_UNIMPLEMENTED);
  g_clear_error (&error);
  g_bytes_unref (body);
  body = g_bytes_new_static ("\x00\x00\x00", 3);
  fail_unless (lp_grpc_unframe (body, 100, &status, &error) == NULL);
  fail_unless (status == LP_GRPC_STATUS_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_bytes_unref (body);
  /* grpc-message's percent-encoding, both ways */
  text = lp_grpc_message_encode ("50% é\n");
  fail_unless_equals_string (text, "50%25 %C3%A9%0A");
  g_free (text);
  text = lp_grpc_message_decode ("50%25 %C3%A9%0A %zz");
  fail_unless_equals_string (text, "50% é\n %zz");
  g_free (text);
  g_bytes_unref (framed);
  g_bytes_unref (message);
}

GST_END_TEST;

static void
check_ping (H2Fixture * fixture, gboolean tls)
{
  gchar *url = fixture_url (fixture, tls);
  GBytes *message = ping_message (tls ? "over tls" : "over h2c");
  GError *error = NULL;
  GBytes *answer = lp_grpc_call (url, H2_FIXTURE_PING, message, NULL, NULL,
      &error);
  gchar *value;

  fail_unless (answer != NULL, "%s", error ? error->message : "");
  value = pong_value (answer);
  fail_unless_equals_string (value, tls ? "pong:over tls" : "pong:over h2c");
  g_free (value);
  g_bytes_unref (answer);
  g_bytes_unref (message);
  g_free (url);
}

GST_START_TEST (test_unary_ping)
{
  H2Fixture *fixture = start_fixture (NULL, 0);
  gchar *url = fixture_url (fixture, FALSE);
  GBytes *message = ping_message ("x"), *answer;
  GError *error = NULL;

  check_ping (fixture, FALSE);
  check_ping (fixture, TRUE);
  /* an unknown method: UNIMPLEMENTED, with the path in grpc-message */
  answer = lp_grpc_call (url, "/net.Orchestrator/Nope", message, NULL, NULL,
      &error);
  fail_unless (answer == NULL);
  fail_unless (g_error_matches (error, LP_GRPC_ERROR,
          LP_GRPC_STATUS_UNIMPLEMENTED), "%s", error->message);
  fail_unless (strstr (error->message, "unknown method "
          "/net.Orchestrator/Nope") != NULL, "%s", error->message);
  g_clear_error (&error);
  /* a message the handler cannot decode: its INVALID_ARGUMENT */
  g_bytes_unref (message);
  message = g_bytes_new_static ("\x0a\x05hi", 4);
  answer = lp_grpc_call (url, H2_FIXTURE_PING, message, NULL, NULL, &error);
  fail_unless (g_error_matches (error, LP_GRPC_ERROR,
          LP_GRPC_STATUS_INVALID_ARGUMENT), "%s", error->message);
  g_clear_error (&error);
  assert_no_connection_left (fixture);
  fail_if (h2_fixture_wait_error (fixture, 0) != NULL);
  g_bytes_unref (message);
  g_free (url);
  h2_fixture_stop (fixture);
}

GST_END_TEST;

static LpH2Response *
post (const gchar * url, const gchar * content_type, GBytes * body)
{
  const gchar *headers[] = { "content-type", content_type, "te", "trailers",
    NULL
  };
  GError *error = NULL;
  LpH2Response *response = lp_h2_client_request (url, "POST", headers, body,
      NULL, NULL, &error);

  fail_unless (response != NULL, "%s", error ? error->message : "");
  return response;
}

static void
assert_grpc_status (LpH2Response * response, LpGrpcStatus status,
    const gchar * what)
{
  const gchar *code = lp_h2_response_get_header (response, "grpc-status");
  const gchar *message = lp_h2_response_get_header (response,
      "grpc-message");
  gchar *expected = g_strdup_printf ("%d", status);
  gchar *decoded;

  fail_unless_equals_int (response->status, 200);
  fail_unless_equals_string (code, expected);
  fail_unless (message != NULL);
  decoded = lp_grpc_message_decode (message);
  fail_unless (strstr (decoded, what) != NULL, "\"%s\" does not say \"%s\"",
      decoded, what);
  g_free (decoded);
  g_free (expected);
}

GST_START_TEST (test_bad_requests)
{
  LpH2ServerLimits limits;
  H2Fixture *fixture;
  gchar *url, *ping_url;
  GBytes *body, *message, *framed;
  LpH2Response *response;
  GError *error = NULL;
  guint8 *big;

  lp_h2_server_limits_init (&limits);
  limits.max_body_size = 64 * 1024;
  fixture = start_fixture (&limits, 1024);
  url = fixture_url (fixture, FALSE);
  ping_url = g_strconcat (url, H2_FIXTURE_PING, NULL);

  /* a truncated gRPC frame */
  body = g_bytes_new_static ("\x00\x00\x00\x00\x10\xab", 6);
  response = post (ping_url, "application/grpc", body);
  assert_grpc_status (response, LP_GRPC_STATUS_INVALID_ARGUMENT,
      "truncated gRPC frame");
  lp_h2_response_free (response);
  g_bytes_unref (body);
  /* a compressed one */
  body = g_bytes_new_static ("\x01\x00\x00\x00\x00", 5);
  response = post (ping_url, "application/grpc", body);
  assert_grpc_status (response, LP_GRPC_STATUS_UNIMPLEMENTED, "compressed");
  lp_h2_response_free (response);
  g_bytes_unref (body);
  /* not gRPC at all: 415, as gRPC's spec says */
  body = g_bytes_new_static ("hello", 5);
  response = post (ping_url, "text/plain", body);
  fail_unless_equals_int (response->status, 415);
  fail_unless (lp_h2_response_get_header (response, "grpc-status") == NULL);
  lp_h2_response_free (response);
  /* gRPC, but JSON */
  response = post (ping_url, "application/grpc+json", body);
  assert_grpc_status (response, LP_GRPC_STATUS_INVALID_ARGUMENT,
      "only protobuf");
  lp_h2_response_free (response);
  g_bytes_unref (body);
  /* a message over the router's bound, a body over the server's */
  big = g_malloc0 (100 * 1024);
  message = g_bytes_new (big, 2000);
  framed = lp_grpc_frame (message);
  response = post (ping_url, "application/grpc", framed);
  assert_grpc_status (response, LP_GRPC_STATUS_RESOURCE_EXHAUSTED,
      "larger than the limit of 1024");
  lp_h2_response_free (response);
  g_bytes_unref (framed);
  g_bytes_unref (message);
  message = g_bytes_new_take (big, 100 * 1024);
  g_assert_null (lp_grpc_call (url, H2_FIXTURE_PING, message, NULL, NULL,
          &error));
  fail_unless (g_error_matches (error, LP_GRPC_ERROR,
          LP_GRPC_STATUS_RESOURCE_EXHAUSTED), "%s", error->message);
  g_clear_error (&error);
  g_bytes_unref (message);
  /* the server still serves */
  check_ping (fixture, FALSE);
  assert_no_connection_left (fixture);
  fail_if (h2_fixture_wait_error (fixture, 0) != NULL);
  g_free (ping_url);
  g_free (url);
  h2_fixture_stop (fixture);
}

GST_END_TEST;

static gboolean
send_all (GSocket * socket, const guint8 * bytes, gsize size)
{
  while (size > 0) {
    gssize n = g_socket_send (socket, (const gchar *) bytes, size, NULL,
        NULL);

    if (n <= 0)
      return FALSE;
    bytes += n;
    size -= n;
  }
  return TRUE;
}

/* Sends @bytes on a raw connection and reads until the server closes;
 * returns what it sent back, failing after @timeout_ms */
static GByteArray *
raw_exchange (guint port, const guint8 * bytes, gsize size, guint timeout_ms)
{
  GSocketClient *client = g_socket_client_new ();
  GError *error = NULL;
  gchar *host = g_strdup_printf ("127.0.0.1:%u", port);
  GSocketConnection *connection = g_socket_client_connect_to_host (client,
      host, 0, NULL, &error);
  GSocket *socket;
  GByteArray *received = g_byte_array_new ();
  gint64 end = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  fail_unless (connection != NULL, "%s", error ? error->message : "");
  socket = g_socket_connection_get_socket (connection);
  if (size > 0)
    fail_unless (send_all (socket, bytes, size));
  g_socket_set_timeout (socket, 1);
  for (;;) {
    guint8 buffer[4096];
    gssize n = g_socket_receive (socket, (gchar *) buffer, sizeof buffer,
        NULL, &error);

    if (n == 0)
      break;
    if (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
      break;                    /* reset: closed too */
    g_clear_error (&error);
    if (n > 0)
      g_byte_array_append (received, buffer, n);
    fail_if (g_get_monotonic_time () > end, "the server kept the "
        "connection open for %u ms", timeout_ms);
  }
  g_clear_error (&error);
  g_object_unref (connection);
  g_object_unref (client);
  g_free (host);
  return received;
}

GST_START_TEST (test_wrong_protocols)
{
  LpH2ServerLimits limits;
  H2Fixture *fixture;
  gchar *url;
  GBytes *message = ping_message ("x");
  GError *error = NULL;
  GByteArray *received;
  static const gchar http1[] = "GET /net.Orchestrator/Ping HTTP/1.1\r\n"
      "Host: 127.0.0.1\r\n\r\n";

  lp_h2_server_limits_init (&limits);
  limits.handshake_timeout_ms = 2000;
  fixture = start_fixture (&limits, 0);

  /* HTTP/1.1 on the h2c port: closed, nothing answered */
  received = raw_exchange (h2_fixture_h2c_port (fixture),
      (const guint8 *) http1, strlen (http1), 3000);
  fail_unless_equals_int (received->len, 0);
  g_byte_array_unref (received);
  assert_server_error (fixture, LP_H2_ERROR_HTTP1,
      "sent an HTTP/1.x request (\"GET /net.Orchestrator/Ping HTTP/1.1");

  /* a TLS ClientHello on the h2c port */
  url = g_strdup_printf ("https://127.0.0.1:%u",
      h2_fixture_h2c_port (fixture));
  g_assert_null (lp_grpc_call (url, H2_FIXTURE_PING, message, NULL, NULL,
          &error));
  fail_unless (g_error_matches (error, LP_H2_ERROR, LP_H2_ERROR_TLS), "%s",
      error->message);
  g_clear_error (&error);
  g_free (url);
  assert_server_error (fixture, LP_H2_ERROR_TLS_ON_CLEARTEXT,
      "sent a TLS ClientHello to a cleartext HTTP/2 (h2c) port");

  /* the h2c preface on the TLS port */
  url = g_strdup_printf ("http://127.0.0.1:%u",
      h2_fixture_tls_port (fixture));
  g_assert_null (lp_grpc_call (url, H2_FIXTURE_PING, message, NULL, NULL,
          &error));
  fail_unless (error->domain == LP_H2_ERROR, "%s", error->message);
  g_clear_error (&error);
  g_free (url);
  assert_server_error (fixture, LP_H2_ERROR_CLEARTEXT_ON_TLS,
      "sent a cleartext HTTP/2 preface to a TLS port");

  /* HTTP/1.1 on the TLS port */
  received = raw_exchange (h2_fixture_tls_port (fixture),
      (const guint8 *) http1, strlen (http1), 3000);
  g_byte_array_unref (received);
  assert_server_error (fixture, LP_H2_ERROR_CLEARTEXT_ON_TLS,
      "cleartext HTTP/1.x request");

  /* garbage on the h2c port */
  received = raw_exchange (h2_fixture_h2c_port (fixture),
      (const guint8 *) "\x00\x01\x02\x03garbage", 11, 3000);
  g_byte_array_unref (received);
  assert_server_error (fixture, LP_H2_ERROR_PROTOCOL,
      "did not start with the HTTP/2 connection preface");

  /* a client that checks certificates refuses the self-signed one */
  url = fixture_url (fixture, TRUE);
  {
    LpH2ClientOptions options = { 0, 0, LP_H2_CLIENT_VERIFY_CERTIFICATE };

    g_assert_null (lp_grpc_call (url, H2_FIXTURE_PING, message, &options,
            NULL, &error));
    fail_unless (g_error_matches (error, LP_H2_ERROR, LP_H2_ERROR_TLS),
        "%s", error->message);
    g_clear_error (&error);
  }
  /* the server reports the failed handshake */
  assert_server_error (fixture, LP_H2_ERROR_TLS, "TLS handshake");
  g_free (url);

  assert_no_connection_left (fixture);
  check_ping (fixture, TRUE);
  g_bytes_unref (message);
  h2_fixture_stop (fixture);
}

GST_END_TEST;

/* the client preface, an empty SETTINGS, and the HEADERS of a POST on
 * stream 1 (HPACK: :method POST, :scheme http, :path /, :authority "a")
 * without END_STREAM: a request whose body never comes */
static const guint8 endless_request[] =
    "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
    "\x00\x00\x00\x04\x00\x00\x00\x00\x00"
    "\x00\x00\x06\x01\x04\x00\x00\x00\x01" "\x83\x86\x84\x41\x01\x61";

GST_START_TEST (test_slow_clients)
{
  LpH2ServerLimits limits;
  H2Fixture *fixture;
  GByteArray *received;
  gint64 start;
  GSocketClient *client;
  GSocketConnection *silent[3];
  gchar *host;
  guint i;

  lp_h2_server_limits_init (&limits);
  limits.handshake_timeout_ms = 300;
  limits.request_timeout_ms = 300;
  limits.idle_timeout_ms = 600;
  fixture = start_fixture (&limits, 0);

  /* a client that says nothing: closed after the handshake timeout */
  start = g_get_monotonic_time ();
  received = raw_exchange (h2_fixture_h2c_port (fixture), NULL, 0, 3000);
  fail_unless_equals_int (received->len, 0);
  g_byte_array_unref (received);
  fail_unless (g_get_monotonic_time () - start >= 250 * 1000);
  assert_server_error (fixture, LP_H2_ERROR_TIMEOUT,
      "did not complete its HTTP/2 handshake in time");
  /* the same on the TLS port */
  received = raw_exchange (h2_fixture_tls_port (fixture), NULL, 0, 3000);
  g_byte_array_unref (received);
  assert_server_error (fixture, LP_H2_ERROR_TIMEOUT,
      "did not complete its TLS handshake in time");

  /* a request whose body never ends: its stream reset, then the
   * connection closed for want of any answered request */
  start = g_get_monotonic_time ();
  received = raw_exchange (h2_fixture_h2c_port (fixture), endless_request,
      sizeof endless_request - 1, 3000);
  fail_unless (received->len > 0);      /* SETTINGS, RST_STREAM, GOAWAY */
  g_byte_array_unref (received);
  fail_unless (g_get_monotonic_time () - start >= 550 * 1000);
  assert_server_error (fixture, LP_H2_ERROR_TIMEOUT,
      "did not send its request on stream 1 in 300 ms");

  /* several silent clients at once, all let go */
  client = g_socket_client_new ();
  host = g_strdup_printf ("127.0.0.1:%u", h2_fixture_h2c_port (fixture));
  for (i = 0; i < G_N_ELEMENTS (silent); i++)
    silent[i] = g_socket_client_connect_to_host (client, host, 0, NULL, NULL);
  for (i = 0; i < G_N_ELEMENTS (silent); i++)
    assert_server_error (fixture, LP_H2_ERROR_TIMEOUT, "handshake");
  assert_no_connection_left (fixture);
  for (i = 0; i < G_N_ELEMENTS (silent); i++)
    g_clear_object (&silent[i]);
  g_object_unref (client);
  g_free (host);
  check_ping (fixture, FALSE);
  h2_fixture_stop (fixture);
}

GST_END_TEST;

/* The frames of @received (after a server's first bytes: no preface):
 * whether one of @type on @stream_id came, and its first 4 payload bytes
 * as a number (an RST_STREAM's error code) in @code */
static gboolean
find_frame (GByteArray * received, guint8 type, guint32 stream_id,
    guint32 * code)
{
  gsize at = 0;

  while (at + 9 <= received->len) {
    const guint8 *f = received->data + at;
    gsize length = (f[0] << 16) | (f[1] << 8) | f[2];
    guint32 id = GST_READ_UINT32_BE (f + 5) & 0x7fffffff;

    if (f[3] == type && id == stream_id && at + 9 + length <= received->len) {
      if (code != NULL && length >= 4)
        *code = GST_READ_UINT32_BE (f + 9);
      return TRUE;
    }
    at += 9 + length;
  }
  return FALSE;
}

/* whether @text is in @received (which may hold NUL bytes) */
static gboolean
bytes_contain (GByteArray * received, const gchar * text)
{
  gsize i, n = strlen (text);

  for (i = 0; i + n <= received->len; i++)
    if (memcmp (received->data + i, text, n) == 0)
      return TRUE;
  return FALSE;
}

#define FRAME_DATA 0x00
#define FRAME_HEADERS 0x01
#define FRAME_RST_STREAM 0x03
#define REFUSED_STREAM 0x07

/* HEADERS of a POST to /late (HPACK: :method POST, :scheme http, :path
 * "/late" with :path's name, :authority "a"), END_HEADERS, no END_STREAM:
 * its body never comes */
#define LATE_HEADERS(id) \
    "\x00\x00\x0c\x01\x04\x00\x00\x00" id \
    "\x83\x86\x04\x05/late\x41\x01\x61"
#define CLIENT_START "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" \
    "\x00\x00\x00\x04\x00\x00\x00\x00\x00"

/* two requests to /late at once on one connection, its cap 1 */
static const guint8 two_late_requests[] =
    CLIENT_START LATE_HEADERS ("\x01") LATE_HEADERS ("\x03");

/* one, with a content-length (HPACK: its static name, 28) over the bound */
static const guint8 declared_too_large[] =
    CLIENT_START "\x00\x00\x14\x01\x04\x00\x00\x00\x01"
    "\x83\x86\x04\x05/late\x41\x01\x61\x0f\x0d\x05" "99999";

static LpH2Response *
post_late (H2Fixture * fixture, gboolean tls, gsize size)
{
  gchar *url = fixture_url (fixture, tls);
  gchar *late = g_strconcat (url, H2_FIXTURE_LATE, NULL);
  GBytes *body = g_bytes_new_take (g_malloc0 (size), size);
  LpH2Response *response = post (late, "text/plain", body);

  g_bytes_unref (body);
  g_free (late);
  g_free (url);
  return response;
}

GST_START_TEST (test_path_limit_and_late_answers)
{
  LpH2ServerLimits limits;
  H2Fixture *fixture;
  LpH2Response *response;
  GByteArray *received;
  guint32 code = 0;

  lp_h2_server_limits_init (&limits);
  limits.request_timeout_ms = 300;
  limits.idle_timeout_ms = 600;
  fixture = start_fixture (&limits, 0);
  h2_fixture_serve_late (fixture, 4096, 1);

  /* headers now, the body from another thread later; h2c and TLS */
  response = post_late (fixture, FALSE, 4000);
  fail_unless_equals_int (response->status, 200);
  fail_unless_equals_int (g_bytes_get_size (response->body), 9);
  fail_unless (memcmp (g_bytes_get_data (response->body, NULL), "late:4000",
          9) == 0);
  lp_h2_response_free (response);
  response = post_late (fixture, TRUE, 10);
  fail_unless_equals_int (response->status, 200);
  lp_h2_response_free (response);
  /* the path's bound, not the server's (which is larger) */
  response = post_late (fixture, FALSE, 4097);
  fail_unless_equals_int (response->status, 413);
  lp_h2_response_free (response);

  /* a second request in flight on the path: REFUSED_STREAM before its body,
   * the first kept until its own deadline */
  received = raw_exchange (h2_fixture_h2c_port (fixture), two_late_requests,
      sizeof two_late_requests - 1, 3000);
  fail_unless (find_frame (received, FRAME_RST_STREAM, 3, &code),
      "no RST_STREAM on stream 3");
  fail_unless_equals_int (code, REFUSED_STREAM);
  g_byte_array_unref (received);
  assert_server_error (fixture, LP_H2_ERROR_REFUSED, "refusing stream 3 of "
      "127.0.0.1");
  assert_server_error (fixture, LP_H2_ERROR_TIMEOUT,
      "did not send its request on stream 1 in 300 ms");

  /* a content-length over the bound: answered (413) with no body sent */
  received = raw_exchange (h2_fixture_h2c_port (fixture), declared_too_large,
      sizeof declared_too_large - 1, 3000);
  fail_unless (find_frame (received, FRAME_HEADERS, 1, NULL),
      "no answer to a request whose content-length is over the bound");
  /* the fixture's 413 body (HEADERS are HPACK-coded, DATA is not) */
  fail_unless (find_frame (received, FRAME_DATA, 1, NULL)
      && bytes_contain (received, "too large"));
  g_byte_array_unref (received);

  assert_no_connection_left (fixture);
  check_ping (fixture, FALSE);
  h2_fixture_stop (fixture);
}

GST_END_TEST;

/* A gRPC call to Ping whose message prefix announces 16 MiB, and nothing
 * after it (HPACK: :method POST, :scheme http, :path by name, :authority
 * "a", content-type by its static name, 31; then a DATA frame holding only
 * the 5-byte prefix, no END_STREAM) */
static const guint8 grpc_prefix_too_large[] =
    CLIENT_START "\x00\x00\x30\x01\x04\x00\x00\x00\x01"
    "\x83\x86\x04\x16/net.Orchestrator/Ping\x41\x01\x61"
    "\x0f\x10\x10" "application/grpc"
    "\x00\x00\x05\x00\x00\x00\x00\x00\x01" "\x00\x01\x00\x00\x00";

GST_START_TEST (test_grpc_prefix_over_bound)
{
  LpH2ServerLimits limits;
  H2Fixture *fixture;
  GByteArray *received;
  guint32 code = 0;

  lp_h2_server_limits_init (&limits);
  limits.max_body_size = 64 * 1024;
  /* the request's deadline is far: only an answer to the prefix itself
   * comes before the idle timeout closes the connection */
  limits.request_timeout_ms = 10000;
  limits.idle_timeout_ms = 800;
  fixture = start_fixture (&limits, 1024);

  received = raw_exchange (h2_fixture_h2c_port (fixture),
      grpc_prefix_too_large, sizeof grpc_prefix_too_large - 1, 5000);
  fail_unless (find_frame (received, FRAME_HEADERS, 1, NULL),
      "no answer to a gRPC message whose prefix is over the bound");
  /* the answer complete, the unread rest of the body is declined */
  if (find_frame (received, FRAME_RST_STREAM, 1, &code))
    fail_unless_equals_int (code, 0);   /* NO_ERROR */
  g_byte_array_unref (received);

  check_ping (fixture, FALSE);
  h2_fixture_stop (fixture);
}

GST_END_TEST;

GST_START_TEST (test_connection_limit)
{
  LpH2ServerLimits limits;
  H2Fixture *fixture;
  GSocketClient *client = g_socket_client_new ();
  GSocketConnection *held[2];
  gchar *host;
  guint i;

  lp_h2_server_limits_init (&limits);
  limits.max_connections = 2;
  fixture = start_fixture (&limits, 0);
  host = g_strdup_printf ("127.0.0.1:%u", h2_fixture_h2c_port (fixture));
  for (i = 0; i < G_N_ELEMENTS (held); i++)
    held[i] = g_socket_client_connect_to_host (client, host, 0, NULL, NULL);
  while (lp_h2_server_get_n_connections (h2_fixture_server (fixture)) < 2)
    g_usleep (10 * 1000);
  /* a third is refused at once */
  g_byte_array_unref (raw_exchange (h2_fixture_h2c_port (fixture), NULL, 0,
          2000));
  assert_server_error (fixture, LP_H2_ERROR_REFUSED,
      "2 HTTP/2 connections are open already");
  for (i = 0; i < G_N_ELEMENTS (held); i++)
    g_object_unref (held[i]);
  assert_no_connection_left (fixture);
  check_ping (fixture, FALSE);
  g_object_unref (client);
  g_free (host);
  h2_fixture_stop (fixture);
}

GST_END_TEST;

GST_START_TEST (test_client_errors)
{
  GError *error = NULL;
  GBytes *message = ping_message ("x");
  guint port = lp_test_free_port ();
  gchar *url = g_strdup_printf ("http://127.0.0.1:%u", port);

  g_assert_null (lp_grpc_call (url, H2_FIXTURE_PING, message, NULL, NULL,
          &error));
  fail_unless (g_error_matches (error, LP_H2_ERROR, LP_H2_ERROR_CONNECT),
      "%s", error->message);
  g_clear_error (&error);
  g_assert_null (lp_h2_client_request ("ftp://x/", "GET", NULL, NULL, NULL,
          NULL, &error));
  fail_unless (g_error_matches (error, LP_H2_ERROR, LP_H2_ERROR_INVALID));
  g_clear_error (&error);
  g_bytes_unref (message);
  g_free (url);
}

GST_END_TEST;

GST_START_TEST (test_certificate)
{
  static const gchar *const hosts[] = { "orch.example", "127.0.0.1", "::1",
    NULL
  };
  gchar *state = g_build_filename (tmpdir, "certstate", NULL);
  gchar *key_path = g_build_filename (state, LP_TLS_KEY_FILE, NULL);
  gchar *cert_path = g_build_filename (state, LP_TLS_CERTIFICATE_FILE, NULL);
  GTlsCertificate *first, *again;
  gboolean created = FALSE;
  GError *error = NULL;
  GStatBuf st;
  GPtrArray *names;

  first = lp_tls_certificate_load_or_create (state, hosts, 30, &created,
      &error);
  fail_unless (first != NULL, "%s", error ? error->message : "");
  fail_unless (created);
  fail_unless (g_stat (key_path, &st) == 0);
  fail_unless_equals_int (st.st_mode & 0777, 0600);
  /* the names it was made for */
  names = g_tls_certificate_get_dns_names (first);
  fail_unless (names != NULL && names->len == 1);
  fail_unless (g_bytes_get_size (g_ptr_array_index (names, 0)) == 12
      && memcmp (g_bytes_get_data (g_ptr_array_index (names, 0), NULL),
          "orch.example", 12) == 0);
  g_ptr_array_unref (names);
  names = g_tls_certificate_get_ip_addresses (first);
  fail_unless (names != NULL && names->len == 2);
  g_ptr_array_unref (names);
  /* the next start finds the same pair */
  again = lp_tls_certificate_load_or_create (state, hosts, 30, &created,
      &error);
  fail_unless (again != NULL, "%s", error ? error->message : "");
  fail_if (created);
  fail_unless (g_tls_certificate_is_same (first, again));
  g_object_unref (again);
  /* a key without its certificate is not replaced */
  fail_unless (g_remove (cert_path) == 0);
  g_assert_null (lp_tls_certificate_load_or_create (state, hosts, 30, NULL,
          &error));
  fail_unless (strstr (error->message, "is there but") != NULL, "%s",
      error->message);
  g_clear_error (&error);
  /* a broken certificate is an error naming the file */
  fail_unless (g_file_set_contents (cert_path, "not a certificate", -1,
          NULL));
  g_assert_null (lp_tls_certificate_load_or_create (state, hosts, 30, NULL,
          &error));
  fail_unless (strstr (error->message, cert_path) != NULL, "%s",
      error->message);
  g_clear_error (&error);
  g_object_unref (first);
  g_free (state);
  g_free (key_path);
  g_free (cert_path);
}

GST_END_TEST;

static Suite *
h2_suite (void)
{
  Suite *s = suite_create ("lph2");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 60);
  tcase_add_checked_fixture (tc, setup_tmpdir, teardown_tmpdir);
  tcase_add_test (tc, test_grpc_framing);
  tcase_add_test (tc, test_unary_ping);
  tcase_add_test (tc, test_bad_requests);
  tcase_add_test (tc, test_wrong_protocols);
  tcase_add_test (tc, test_slow_clients);
  tcase_add_test (tc, test_connection_limit);
  tcase_add_test (tc, test_grpc_prefix_over_bound);
  tcase_add_test (tc, test_path_limit_and_late_answers);
  tcase_add_test (tc, test_client_errors);
  tcase_add_test (tc, test_certificate);

  return s;
}

GST_CHECK_MAIN (h2);

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The C side of the gRPC interop test (grpc-interop.py drives it against
 * Debian's python3-grpcio):
 *
 *   grpc-interop-helper serve STATE_DIR MAX_MESSAGE
 *       starts the test server of h2-fixture.h (net.Orchestrator/Ping
 *       answers "pong:" + value), prints "ready H2C_PORT TLS_PORT
 *       CERT_PEM", serves until stdin closes, prints each connection error
 *       the server reports as "conn-error CODE MESSAGE"
 *   grpc-interop-helper port
 *       prints a free loopback port (lp_test_free_port())
 *   grpc-interop-helper call URL METHOD HEX TIMEOUT_MS [verify]
 *       one unary call with lp_grpc_call(); prints "ok HEX" (the answer)
 *       or "error DOMAIN CODE MESSAGE"
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h2-fixture.h"
#include "lptest.h"
#include <gst/livepeer/lph2client.h>
#include <gst/livepeer/lpcrypto.h>

static int
serve (const gchar * state_dir, const gchar * max_message)
{
  GError *error = NULL;
  H2Fixture *fixture = h2_fixture_start (state_dir, NULL,
      g_ascii_strtoull (max_message, NULL, 10), &error);
  gchar *cert;
  gchar line[256];

  if (fixture == NULL) {
    fprintf (stderr, "cannot start the server: %s\n", error->message);
    return 1;
  }
  cert = g_build_filename (state_dir, LP_TLS_CERTIFICATE_FILE, NULL);
  printf ("ready %u %u %s\n", h2_fixture_h2c_port (fixture),
      h2_fixture_tls_port (fixture), cert);
  fflush (stdout);
  g_free (cert);
  while (fgets (line, sizeof line, stdin) != NULL) {
    /* "errors": the connection errors reported so far (waiting a little
     * for the first), then "end" */
    guint wait_ms = 2000;

    while ((error = h2_fixture_wait_error (fixture, wait_ms)) != NULL) {
      wait_ms = 0;
      printf ("conn-error %d %s\n", error->code, error->message);
      g_error_free (error);
    }
    printf ("end\n");
    fflush (stdout);
  }
  h2_fixture_stop (fixture);
  return 0;
}

static int
call (const gchar * url, const gchar * method, const gchar * hex,
    const gchar * timeout_ms, gboolean verify)
{
  LpH2ClientOptions options = { 0 };
  GError *error = NULL;
  GBytes *message = lp_hex_decode_bytes (hex, 1 << 24, &error), *answer;
  gchar *answer_hex;

  if (message == NULL) {
    fprintf (stderr, "bad hex: %s\n", error->message);
    return 2;
  }
  options.timeout_ms = (guint) g_ascii_strtoull (timeout_ms, NULL, 10);
  options.flags = verify ? LP_H2_CLIENT_VERIFY_CERTIFICATE : 0;
  answer = lp_grpc_call (url, method, message, &options, NULL, &error);
  if (answer == NULL) {
    printf ("error %s %d %s\n", g_quark_to_string (error->domain),
        error->code, error->message);
    g_error_free (error);
  } else {
    answer_hex = lp_hex_encode (g_bytes_get_data (answer, NULL),
        g_bytes_get_size (answer), FALSE);
    printf ("ok %s\n", answer_hex[0] ? answer_hex : "-");
    g_free (answer_hex);
    g_bytes_unref (answer);
  }
  g_bytes_unref (message);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 4 && strcmp (argv[1], "serve") == 0)
    return serve (argv[2], argv[3]);
  if (argc == 2 && strcmp (argv[1], "port") == 0) {
    printf ("%u\n", lp_test_free_port ());
    return 0;
  }
  if ((argc == 6 || argc == 7) && strcmp (argv[1], "call") == 0)
    return call (argv[2], argv[3], argv[4], argv[5], argc == 7);
  fprintf (stderr, "usage: %s serve STATE_DIR MAX_MESSAGE | port | call URL "
      "METHOD HEX TIMEOUT_MS [verify]\n", argv[0]);
  return 2;
}

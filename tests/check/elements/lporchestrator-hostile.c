/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lporchestrator against hostile peers (issue 15): descriptors, accept
 * failures, slow and oversized requests, work bounded and tied to what is
 * paid, capacity kept for those who pay, ticket EVs one payment can
 * carry, and a damaged ledger refused at start.
 */
#include <sys/resource.h>
#include <sqlite3.h>
#include <gst/livepeer/lpbalance.h>
#include <gst/livepeer/lpsender.h>

#include "lpcheck.h"

#include <gst/livepeer/lph2.h>

/* ------------------------------------------------------------------------ */
/* raw HTTP                                                                 */
/* ------------------------------------------------------------------------ */

static GSocket *
raw_socket (void)
{
  GError *error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
      G_SOCKET_PROTOCOL_TCP, &error);

  fail_unless (socket != NULL, "%s", error ? error->message : "");
  g_socket_set_timeout (socket, 5);
  return socket;
}

static void
raw_socket_connect (GSocket * socket, guint port)
{
  GInetAddress *ip = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *address = g_inet_socket_address_new (ip, port);
  GError *error = NULL;

  fail_unless (g_socket_connect (socket, address, NULL, &error), "%s",
      error ? error->message : "");
  g_object_unref (address);
  g_object_unref (ip);
}

static GSocket *
raw_connect (guint port)
{
  GSocket *socket = raw_socket ();

  raw_socket_connect (socket, port);
  return socket;
}

static void
raw_send (GSocket * socket, const gchar * data, gsize size)
{
  while (size > 0) {
    gssize n = g_socket_send (socket, data, size, NULL, NULL);

    if (n <= 0)
      return;                   /* the server may close first */
    data += n;
    size -= n;
  }
}

/* What comes back within @timeout_ms, until the server closes (or, when
 * @whole_answer, until one whole answer is in); sets @closed. */
static gchar *
raw_read (GSocket * socket, guint timeout_ms, gboolean whole_answer,
    gboolean * closed)
{
  GString *answer = g_string_new (NULL);
  gint64 end = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;
  gchar buffer[4096];

  *closed = FALSE;
  for (;;) {
    gint64 left = end - g_get_monotonic_time ();
    const gchar *body;
    gssize n;

    if (left <= 0 || !g_socket_condition_timed_wait (socket, G_IO_IN, left,
            NULL, NULL))
      break;
    n = g_socket_receive (socket, buffer, sizeof (buffer), NULL, NULL);
    if (n <= 0) {
      *closed = TRUE;
      break;
    }
    g_string_append_len (answer, buffer, n);
    body = strstr (answer->str, "\r\n\r\n");
    if (whole_answer && body != NULL) {
      const gchar *length = strstr (answer->str, "Content-Length: ");

      if (length != NULL && length < body && (gsize) (body + 4 -
              answer->str) + g_ascii_strtoull (length + 16, NULL, 10) <=
          answer->len)
        break;
    }
  }
  return g_string_free (answer, FALSE);
}

/* @request on a new connection; the answer within @timeout_ms */
static gchar *
raw_exchange (guint port, const gchar * request, guint timeout_ms)
{
  GSocket *socket = raw_connect (port);
  gboolean closed;
  gchar *answer;

  raw_send (socket, request, strlen (request));
  answer = raw_read (socket, timeout_ms, TRUE, &closed);
  g_object_unref (socket);
  return answer;
}

#define assert_status(answer, status, what) G_STMT_START { \
  fail_unless (g_str_has_prefix ((answer), "HTTP/1.1 " status " "), \
      "expected %s, got '%.200s'", status, (answer)); \
  fail_unless (strstr ((answer), (what)) != NULL, \
      "'%.300s' does not say '%s'", (answer), (what)); \
} G_STMT_END

static guint
count_fds (void)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  fail_unless (dir != NULL);
  while (g_dir_read_name (dir) != NULL)
    n++;
  g_dir_close (dir);
  return n;
}

/* ------------------------------------------------------------------------ */
/* 1. descriptors, accept failures, slow clients, the connection cap        */
/* ------------------------------------------------------------------------ */

/* a cheap request with an answer: the former JSON dialect's discovery,
 * which gets go-livepeer's 404 */
#define DISCOVERY_REQUEST "POST /getOrchestrator HTTP/1.1\r\nHost: x\r\n" \
  "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
#define DISCOVERY_STATUS "404"
#define DISCOVERY_REASON "404 page not found"

/* Clients that close as soon as they have their answer leave no
 * descriptor behind (libsoup 3.2's listener left each in CLOSE_WAIT). */
GST_START_TEST (test_no_descriptor_left_behind)
{
  LpTestNet *net = lp_test_net_new ("0", "0");
  guint before, after = 0, i;
  gint64 end;

  lp_test_net_start (net, NULL);
  g_free (raw_exchange (net->port, DISCOVERY_REQUEST, 5000));
  before = count_fds ();
  for (i = 0; i < 200; i++) {
    gchar *answer = raw_exchange (net->port, DISCOVERY_REQUEST, 5000);

    assert_status (answer, DISCOVERY_STATUS, DISCOVERY_REASON);
    g_free (answer);
  }
  /* the server's side closes within moments */
  end = g_get_monotonic_time () + 3 * G_TIME_SPAN_SECOND;
  do {
    after = count_fds ();
    if (after <= before)
      break;
    g_usleep (50 * G_TIME_SPAN_MILLISECOND);
  } while (g_get_monotonic_time () < end);
  fail_unless (after <= before, "%u descriptors before 200 requests, %u "
      "after", before, after);
  lp_test_net_free (net);
}

GST_END_TEST;

/* accept() failing with EMFILE does not stop the service */
GST_START_TEST (test_accept_failure_survived)
{
  LpTestNet *net = lp_test_net_new ("0", "0");
  GSocket *waiting[3];
  struct rlimit saved, low;
  guint i;

  lp_test_net_start (net, NULL);
  /* connected (into the backlog) while no descriptor is left to accept
   * them with: accept() fails with EMFILE */
  fail_unless (getrlimit (RLIMIT_NOFILE, &saved) == 0);
  for (i = 0; i < G_N_ELEMENTS (waiting); i++)
    waiting[i] = raw_socket ();
  low = saved;
  low.rlim_cur = count_fds ();
  fail_unless (setrlimit (RLIMIT_NOFILE, &low) == 0);
  for (i = 0; i < G_N_ELEMENTS (waiting); i++)
    raw_socket_connect (waiting[i], net->port);
  g_usleep (300 * G_TIME_SPAN_MILLISECOND);
  fail_unless (setrlimit (RLIMIT_NOFILE, &saved) == 0);

  /* those accepted before and the one left in the backlog are served */
  for (i = 0; i < G_N_ELEMENTS (waiting); i++) {
    gboolean closed;
    gchar *answer;

    raw_send (waiting[i], DISCOVERY_REQUEST, strlen (DISCOVERY_REQUEST));
    answer = raw_read (waiting[i], 5000, TRUE, &closed);
    assert_status (answer, DISCOVERY_STATUS, DISCOVERY_REASON);
    g_free (answer);
    g_object_unref (waiting[i]);
  }
  /* and new connections are accepted */
  for (i = 0; i < 3; i++) {
    gchar *answer = raw_exchange (net->port, DISCOVERY_REQUEST, 3000);

    assert_status (answer, DISCOVERY_STATUS, DISCOVERY_REASON);
    g_free (answer);
  }
  lp_test_net_free (net);
}

GST_END_TEST;

/* A header block trickled a line at a time gets 408 and is closed after
 * idle-timeout; so is a connection that sends nothing. */
GST_START_TEST (test_slow_clients_closed)
{
  LpTestNet *net = lp_test_net_new ("0", "0");
  GSocket *socket;
  gint64 start;
  gboolean closed = FALSE;
  GString *answer = g_string_new (NULL);
  gchar *text;

  lp_test_net_start (net, "idle-timeout", 400, NULL);

  socket = raw_connect (net->port);
  start = g_get_monotonic_time ();
  raw_send (socket, "POST /segment HTTP/1.1\r\n", 24);
  while (!closed && g_get_monotonic_time () - start < 3 * G_TIME_SPAN_SECOND) {
    raw_send (socket, "X-Slow: y\r\n", 11);
    text = raw_read (socket, 100, FALSE, &closed);
    g_string_append (answer, text);
    g_free (text);
  }
  fail_unless (closed, "a trickled header block was still open after 3 s");
  fail_unless (g_get_monotonic_time () - start < 2 * G_TIME_SPAN_SECOND);
  fail_unless (g_str_has_prefix (answer->str, "HTTP/1.1 408 "), "%s",
      answer->str);
  g_object_unref (socket);

  socket = raw_connect (net->port);
  start = g_get_monotonic_time ();
  text = raw_read (socket, 3000, FALSE, &closed);
  fail_unless (closed && text[0] == '\0', "an idle connection: '%s'", text);
  fail_unless (g_get_monotonic_time () - start < 2 * G_TIME_SPAN_SECOND);
  g_free (text);
  g_object_unref (socket);
  g_string_free (answer, TRUE);

  /* an honest client is not hurried */
  lp_orchestrator_info_free (lp_test_discover (net, net->bcast));
  lp_test_net_free (net);
}

GST_END_TEST;

/* At max-connections, the connection idle longest makes room. */
GST_START_TEST (test_connection_cap)
{
  LpTestNet *net = lp_test_net_new ("0", "0");
  GSocket *idle[3];
  gboolean closed;
  guint i, n_closed = 0;
  gchar *answer;

  lp_test_net_start (net, "max-connections", 3, NULL);
  for (i = 0; i < G_N_ELEMENTS (idle); i++)
    idle[i] = raw_connect (net->port);
  g_usleep (100 * G_TIME_SPAN_MILLISECOND);
  answer = raw_exchange (net->port, DISCOVERY_REQUEST, 3000);
  assert_status (answer, DISCOVERY_STATUS, DISCOVERY_REASON);
  g_free (answer);
  for (i = 0; i < G_N_ELEMENTS (idle); i++) {
    answer = raw_read (idle[i], 200, FALSE, &closed);
    n_closed += closed;
    g_free (answer);
    g_object_unref (idle[i]);
  }
  fail_unless (n_closed >= 1, "no idle connection made room");
  lp_test_net_free (net);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* 4. and 8. oversized bodies and header blocks: refused before reading     */
/* ------------------------------------------------------------------------ */

/* A POST to /segment with @n small headers (X-0: y, ...) is answered 431
 * with a reason that says @reason. */
static void
assert_many_headers_refused (guint port, guint n, const gchar * reason)
{
  GString *request = g_string_new ("POST /segment HTTP/1.1\r\nHost: x\r\n");
  gchar *answer;
  guint i;

  for (i = 0; i < n; i++)
    g_string_append_printf (request, "X-%u: y\r\n", i);
  g_string_append (request, "Content-Length: 0\r\n\r\n");
  answer = raw_exchange (port, request->str, 2000);
  assert_status (answer, "431", reason);
  g_free (answer);
  g_string_free (request, TRUE);
}

GST_START_TEST (test_oversized_requests_refused_unread)
{
  LpTestNet *net = lp_test_net_new ("0", "0");
  guint metrics_port, i;
  const gchar *paths[] = { "/payment", "/getOrchestrator", "/nosuch" };
  GString *big;
  gchar *answer, *request;
  gboolean closed;

  metrics_port = lp_test_free_port ();
  fail_unless (metrics_port != 0, "no free port in 10000-32767");
  lp_test_net_start (net, "metrics-port", metrics_port, NULL);

  /* 512 MiB announced, nothing sent: 413 at once */
  for (i = 0; i <= G_N_ELEMENTS (paths); i++) {
    request = g_strdup_printf ("POST %s HTTP/1.1\r\nHost: x\r\n"
        "Content-Length: 536870912\r\n\r\n", i < G_N_ELEMENTS (paths) ?
        paths[i] : "/metrics");
    answer = raw_exchange (i < G_N_ELEMENTS (paths) ? net->port :
        metrics_port, request, 2000);
    assert_status (answer, "413", "larger than");
    g_free (answer);
    g_free (request);
  }
  /* 100-continue with 1 TB: 413, not 100 Continue */
  answer = raw_exchange (net->port, "POST /payment HTTP/1.1\r\n"
      "Host: x\r\nExpect: 100-continue\r\nContent-Length: 1000000000000"
      "\r\n\r\n", 2000);
  assert_status (answer, "413", "larger than");
  g_free (answer);
  /* chunked: counted as it comes */
  {
    GSocket *socket = raw_connect (net->port);
    gchar *chunk = g_strnfill (64 * 1024, 'x');
    gchar *head = g_strdup_printf ("%x\r\n", 64 * 1024);

    const gchar *start = "POST /payment HTTP/1.1\r\nHost: x\r\n"
        "Transfer-Encoding: chunked\r\n\r\n";

    raw_send (socket, start, strlen (start));
    for (i = 0; i < 8; i++) {
      raw_send (socket, head, strlen (head));
      raw_send (socket, chunk, 64 * 1024);
      raw_send (socket, "\r\n", 2);
    }
    answer = raw_read (socket, 2000, TRUE, &closed);
    assert_status (answer, "413", "larger than");
    g_free (answer);
    g_free (head);
    g_free (chunk);
    g_object_unref (socket);
  }

  /* a 70 KB header: 431, not a reset */
  big = g_string_new ("POST /segment HTTP/1.1\r\nHost: x\r\nLivepeer-Payment: ");
  for (i = 0; i < 70000; i++)
    g_string_append_c (big, 'A');
  g_string_append (big, "\r\nContent-Length: 0\r\n\r\n");
  answer = raw_exchange (net->port, big->str, 2000);
  assert_status (answer, "431", "header block");
  g_free (answer);
  g_string_free (big, TRUE);
  /* 10 000 headers: 431 */
  assert_many_headers_refused (net->port, 10000, "Too Large");
  /* a few hundred small ones, under the size: 431 for their number */
  assert_many_headers_refused (net->port, 300, "header lines");

  lp_orchestrator_info_free (lp_test_discover (net, net->bcast));
  lp_test_net_free (net);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* 5. and 6. work bounded, and tied to what is paid                         */
/* ------------------------------------------------------------------------ */

/* Signed credentials for @body asking for @profiles (LpProfile*) with the
 * declared @duration_ms. */
static gchar *
custom_segment_header (const LpOrchestratorInfo * info, LpPrivateKey * key,
    guint64 seq, GBytes * body, GPtrArray * profiles, guint duration_ms)
{
  gchar *header = lp_test_seg_data_header (info, key, "lp-test-stream", seq,
      body, profiles, duration_ms);

  fail_unless (header != NULL);
  return header;
}

static guint
post_custom (LpTestNet * net, const LpOrchestratorInfo * info, guint64 seq,
    GBytes * body, GPtrArray * profiles, guint duration_ms,
    const gchar * payment, gchar ** reason)
{
  gchar *header = custom_segment_header (info, net->bcast, seq, body,
      profiles, duration_ms);
  LpTestResult *result = NULL;
  guint status = lp_test_send_segment (net, body, header, payment, &result,
      reason);

  if (result != NULL)
    lp_test_result_free (result);
  g_free (header);
  return status;
}

/* post_custom() of segment 0 is answered @status, with a reason that says
 * @says where one is given. */
static void
expect_custom (LpTestNet * net, const LpOrchestratorInfo * info,
    GBytes * body, GPtrArray * profiles, guint duration_ms,
    const gchar * payment, guint status, const gchar * says)
{
  gchar *reason = NULL;

  fail_unless_equals_int (post_custom (net, info, 0, body, profiles,
          duration_ms, payment, &reason), status);
  if (says != NULL)
    fail_unless (reason != NULL && strstr (reason, says) != NULL, "%s",
        reason);
  g_free (reason);
}

GST_START_TEST (test_work_bounded)
{
  LpTestNet *net = lp_test_net_new ("0", "0");
  GBytes *segment = lp_test_make_segment (160, 90, 30, 30);
  LpOrchestratorInfo *info;
  GPtrArray *profiles;
  LpProfile *huge;

  lp_test_net_start (net, "max-renditions", 2, NULL);
  info = lp_test_discover (net, net->bcast);

  /* three renditions, two allowed */
  profiles = lp_test_presets ("P144p30fps16x9", "P240p30fps16x9",
      "P360p30fps16x9", NULL);
  expect_custom (net, info, segment, profiles, 1000, NULL,
      403, "max-renditions");
  g_ptr_array_unref (profiles);

  /* one 8192x8192 rendition at 60 fps: 4 Gpixel/s */
  profiles = lp_test_presets ("P144p30fps16x9", NULL);
  huge = g_ptr_array_index (profiles, 0);
  g_free (huge->name);
  huge->name = g_strdup ("huge");
  huge->width = huge->height = 8192;
  huge->fps_num = 60;
  huge->fps_den = 1;
  expect_custom (net, info, segment, profiles, 1000, NULL,
      403, "max-pixel-rate");
  g_ptr_array_unref (profiles);

  /* a 1 s segment said to be 0.5 s; one said to be 12 s */
  profiles = lp_test_presets ("P144p30fps16x9", NULL);
  expect_custom (net, info, segment, profiles, 500, NULL, 400, "spans");
  expect_custom (net, info, segment, profiles, 12000, NULL,
      403, "max-segment-duration");
  /* and the same segment told right is served */
  expect_custom (net, info, segment, profiles, 1000, NULL, 200, NULL);
  g_ptr_array_unref (profiles);

  lp_orchestrator_info_free (info);
  g_bytes_unref (segment);
  lp_test_net_free (net);
}

GST_END_TEST;

/* 1 s of P144p30fps16x9 at 1 wei a pixel: 1 105 920 wei estimated */
#define SMALL_EV G_GUINT64_CONSTANT (1000000)

GST_START_TEST (test_work_tied_to_payment)
{
  LpTestNet *net = lp_test_net_new ("1e18", "1e18");
  GBytes *segment = lp_test_make_segment (160, 90, 30, 30);
  GPtrArray *profiles = lp_test_presets ("P144p30fps16x9", NULL);
  LpOrchestratorInfo *info;
  gchar *payment;

  lp_test_net_start (net, "price-per-unit", (guint64) 1,
      "ticket-ev", SMALL_EV, "max-face-value", SMALL_EV,
      "max-pixel-rate", (guint64) 5000000, "max-segment-duration", 2000,
      NULL);

  /* one ticket's EV does not buy a segment estimated above it */
  info = lp_test_discover (net, net->bcast);
  payment = lp_test_payment_header (info, net->bcast, 1, 1);
  expect_custom (net, info, segment, profiles, 1000, payment,
      400, "estimated fee");
  g_free (payment);
  /* three tickets do, and leave credit... */
  payment = lp_test_payment_header (info, net->bcast, 2, 2);
  expect_custom (net, info, segment, profiles, 1000, payment, 200, NULL);
  g_free (payment);
  lp_orchestrator_info_free (info);

  /* ...that a new session of the same sender keeps: 3e6 - 1 105 920 */
  info = lp_test_discover (net, net->bcast);
  expect_custom (net, info, segment, profiles, 1000, NULL, 200, NULL);
  lp_orchestrator_info_free (info);
  /* and a third session cannot leave its debt behind: 788 160 wei left */
  info = lp_test_discover (net, net->bcast);
  expect_custom (net, info, segment, profiles, 1000, NULL,
      400, "insufficient balance");
  lp_orchestrator_info_free (info);

  g_ptr_array_unref (profiles);
  g_bytes_unref (segment);
  lp_test_net_free (net);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* 7. idle sessions give their places to paying broadcasters                */
/* ------------------------------------------------------------------------ */

GST_START_TEST (test_idle_sessions_give_way)
{
  LpTestNet *net = lp_test_net_new ("1e18", "1e18");
  GBytes *segment = lp_test_make_segment (160, 90, 10, 10);
  GPtrArray *profiles = lp_test_presets ("P144p30fps16x9", NULL);
  guint duration = lp_test_segment_duration_ms (segment), i;
  LpOrchestratorInfo *info;
  gchar *payment, *reply = NULL;

  /* a ticket pays for one segment (1 105 920 wei estimated) */
  lp_test_net_start (net, "price-per-unit", (guint64) 1,
      "ticket-ev", 2 * SMALL_EV, "max-face-value", 2 * SMALL_EV,
      "max-pixel-rate", (guint64) 5000000, "max-segment-duration", 2000,
      "max-sessions", 3, NULL);
  /* three sessions, one ticket and one short segment each, then quiet */
  for (i = 0; i < 3; i++) {
    info = lp_test_discover (net, net->bcast);
    payment = lp_test_payment_header (info, net->bcast, 1, 1);
    fail_unless_equals_int (post_custom (net, info, 0, segment, profiles,
            duration, payment, NULL), 200);
    g_free (payment);
    lp_orchestrator_info_free (info);
  }
  fail_unless_equals_int (lp_test_orch_stat (net->orchestrator,
          "sessions-started"), 3);
  /* quiet for more than two of their segments' durations */
  g_usleep ((3 * duration + 100) * G_TIME_SPAN_MILLISECOND);

  /* a paying broadcaster is served at once */
  fail_unless_equals_int_with_reason (lp_test_discovery_job_status (net,
          net->bcast, 0, NULL, &info, &reply), LP_GRPC_STATUS_OK, reply);
  fail_unless (info != NULL);
  payment = lp_test_payment_header (info, net->bcast, 1, 1);
  fail_unless_equals_int (post_custom (net, info, 0, segment, profiles,
          duration, payment, NULL), 200);
  fail_unless_equals_int (lp_test_orch_stat (net->orchestrator,
          "sessions-started"), 4);
  g_free (payment);
  g_free (reply);
  lp_orchestrator_info_free (info);
  g_ptr_array_unref (profiles);
  g_bytes_unref (segment);
  lp_test_net_free (net);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* 8. the ticket EV: a segment within the limits fits one payment           */
/* ------------------------------------------------------------------------ */

GST_START_TEST (test_ticket_ev_fits_one_payment)
{
  LpTestNet *net = lp_test_net_new ("1e18", "1e18");
  LpOrchestratorInfo *info;
  LpRational *ev, *fee, *zero;
  LpFeeRendition rate = { 0, };
  guint n;
  gint max_duration;

  /* issue 15: 60 000 wei a pixel */
  lp_test_net_start (net, "price-per-unit", (guint64) 60000, NULL);
  info = lp_test_discover (net, net->bcast);
  ev = lp_rational_new_ticket_ev (&info->ticket_params.face_value,
      &info->ticket_params.win_prob);
  /* the most costly segment admitted: max-pixel-rate for
   * max-segment-duration, as the broadcaster estimates it */
  g_object_get (net->orchestrator, "max-segment-duration", &max_duration,
      NULL);
  {
    guint64 pixel_rate;

    g_object_get (net->orchestrator, "max-pixel-rate", &pixel_rate, NULL);
    rate.width = (guint) (pixel_rate / 1000);
    rate.height = 1000;
    rate.fps_num = rate.fps_den = 1;
  }
  fee = lp_sender_estimate_fee (&rate, 1, max_duration, &info->price_info,
      NULL);
  fail_unless (fee != NULL);
  zero = lp_rational_new ();
  fail_unless (lp_tickets_needed (fee, ev, zero, &n, NULL));
  lp_rational_free (zero);
  fail_unless (n <= LP_WIRE_MAX_TICKETS_PER_PAYMENT / 2, "%u tickets", n);
  /* and the broadcaster's own limit on a ticket's EV holds */
  {
    LpRational *max_ev = lp_rational_new_uint64 (3000000000000, 1);

    fail_unless (lp_rational_cmp (ev, max_ev) <= 0);
    lp_rational_free (max_ev);
  }
  lp_rational_free (fee);
  lp_rational_free (ev);
  lp_orchestrator_info_free (info);
  lp_test_net_free (net);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* a damaged ledger fails the start                                         */
/* ------------------------------------------------------------------------ */

/* A copy of @path with the first byte of an index's root page zeroed
 * (SQLite's quick_check then fails). */
static gchar *
damaged_copy (const gchar * path)
{
  gchar *copy = g_strconcat (path, ".damaged", NULL);
  gchar *sql = g_strdup_printf ("VACUUM INTO '%s'", copy);
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 page_size = 0, root = 0;
  FILE *file;

  fail_unless (sqlite3_open (path, &db) == SQLITE_OK);
  fail_unless (sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK, "%s",
      sqlite3_errmsg (db));
  sqlite3_close (db);
  g_free (sql);
  fail_unless (sqlite3_open (copy, &db) == SQLITE_OK);
  fail_unless (sqlite3_prepare_v2 (db, "SELECT rootpage FROM sqlite_master "
          "WHERE type = 'index' ORDER BY rootpage DESC LIMIT 1", -1, &stmt,
          NULL) == SQLITE_OK);
  fail_unless (sqlite3_step (stmt) == SQLITE_ROW, "no index");
  root = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  fail_unless (sqlite3_prepare_v2 (db, "PRAGMA page_size", -1, &stmt,
          NULL) == SQLITE_OK);
  fail_unless (sqlite3_step (stmt) == SQLITE_ROW);
  page_size = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  file = fopen (copy, "r+b");
  fail_unless (file != NULL);
  fail_unless (fseek (file, (root - 1) * page_size, SEEK_SET) == 0);
  fail_unless (fputc (0, file) == 0);
  fclose (file);
  return copy;
}

GST_START_TEST (test_damaged_ledger_refused)
{
  LpTestNet *net = lp_test_net_new ("0", "0");
  gchar *damaged = damaged_copy (net->ledger_path);
  GstElement *orchestrator = gst_element_factory_make ("lporchestrator",
      NULL);
  gchar *debug;

  g_object_set (orchestrator, "port", 0, "key-file", net->orch_key_path,
      "ledger", damaged, NULL);
  debug = lp_check_state_change_fails (orchestrator, GST_STATE_READY,
      "is damaged");
  fail_unless (debug != NULL && strstr (debug, "audit") != NULL, "%s",
      debug);
  g_free (debug);
  gst_object_unref (orchestrator);
  g_unlink (damaged);
  g_free (damaged);
  lp_test_net_free (net);
}

GST_END_TEST;

static Suite *
lporchestrator_hostile_suite (void)
{
  Suite *s = suite_create ("lporchestrator-hostile");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_no_descriptor_left_behind);
  tcase_add_test (tc, test_accept_failure_survived);
  tcase_add_test (tc, test_slow_clients_closed);
  tcase_add_test (tc, test_connection_cap);
  tcase_add_test (tc, test_oversized_requests_refused_unread);
  tcase_add_test (tc, test_work_bounded);
  tcase_add_test (tc, test_work_tied_to_payment);
  tcase_add_test (tc, test_idle_sessions_give_way);
  tcase_add_test (tc, test_ticket_ev_fits_one_payment);
  tcase_add_test (tc, test_damaged_ledger_refused);
  return s;
}

GST_CHECK_MAIN (lporchestrator_hostile);

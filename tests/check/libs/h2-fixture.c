/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The test gRPC server of h2-fixture.h. Ports come from lp_test_free_port().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "h2-fixture.h"
#include "lptest.h"
#include <gst/livepeer/lpproto-messages.h>

struct _H2Fixture
{
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  GSocketService *h2c;
  GSocketService *tls;
  guint h2c_port;
  guint tls_port;
  GTlsCertificate *certificate;
  LpGrpcRouter *router;
  LpH2Server *server;
  GMutex lock;
  GCond changed;
  GQueue errors;                /* GError, oldest first */
};

static void
on_ping (LpH2Request * request, GBytes * message, gpointer data)
{
  GError *error = NULL;
  gsize size;
  const guint8 *bytes = g_bytes_get_data (message, &size);
  LpProtoPingPong *ping = lp_proto_ping_pong_decode (bytes, size, &error);
  LpProtoPingPong *pong;
  GByteArray *value;
  GBytes *answer;

  if (ping == NULL) {
    lp_grpc_respond_error (request, LP_GRPC_STATUS_INVALID_ARGUMENT,
        error->message);
    g_error_free (error);
    return;
  }
  value = g_byte_array_new ();
  g_byte_array_append (value, (const guint8 *) "pong:", 5);
  if (ping->value)
    g_byte_array_append (value, g_bytes_get_data (ping->value, NULL),
        g_bytes_get_size (ping->value));
  pong = lp_proto_ping_pong_new ();
  pong->value = g_byte_array_free_to_bytes (value);
  answer = lp_proto_ping_pong_encode (pong);
  lp_grpc_respond (request, answer);
  g_bytes_unref (answer);
  lp_proto_ping_pong_free (pong);
  lp_proto_ping_pong_free (ping);
}

static void
on_connection_error (const GError * error, gpointer data)
{
  H2Fixture *fixture = data;

  g_mutex_lock (&fixture->lock);
  g_queue_push_tail (&fixture->errors, g_error_copy (error));
  g_cond_broadcast (&fixture->changed);
  g_mutex_unlock (&fixture->lock);
}

static gboolean
on_h2c_incoming (GSocketService * service, GSocketConnection * connection,
    GObject * source, gpointer data)
{
  H2Fixture *fixture = data;

  lp_h2_server_accept (fixture->server, G_IO_STREAM (connection));
  return TRUE;
}

static gboolean
on_tls_incoming (GSocketService * service, GSocketConnection * connection,
    GObject * source, gpointer data)
{
  H2Fixture *fixture = data;
  GError *error = NULL;
  GIOStream *tls = lp_h2_tls_server_wrap (G_IO_STREAM (connection),
      fixture->certificate, &error);

  if (tls == NULL) {
    on_connection_error (error, fixture);
    g_error_free (error);
    return TRUE;
  }
  lp_h2_server_accept (fixture->server, tls);
  g_object_unref (tls);
  return TRUE;
}

static gpointer
run_loop (gpointer data)
{
  H2Fixture *fixture = data;

  g_main_context_push_thread_default (fixture->context);
  g_main_loop_run (fixture->loop);
  g_main_context_pop_thread_default (fixture->context);
  return NULL;
}

/* Starts the server; @limits and @max_message_size may be NULL and 0 */
H2Fixture *
h2_fixture_start (const gchar * state_dir, const LpH2ServerLimits * limits,
    gsize max_message_size, GError ** error)
{
  static const gchar *const hosts[] = { "localhost", "127.0.0.1", NULL };
  H2Fixture *fixture = g_new0 (H2Fixture, 1);

  g_mutex_init (&fixture->lock);
  g_cond_init (&fixture->changed);
  g_queue_init (&fixture->errors);
  fixture->certificate = lp_tls_certificate_load_or_create (state_dir, hosts,
      0, NULL, error);
  if (fixture->certificate == NULL)
    return NULL;
  fixture->context = g_main_context_new ();
  fixture->loop = g_main_loop_new (fixture->context, FALSE);
  fixture->router = lp_grpc_router_new (max_message_size);
  lp_grpc_router_add (fixture->router, H2_FIXTURE_PING, on_ping, fixture);
  fixture->server = lp_h2_server_new (fixture->context, limits,
      lp_grpc_router_handle, fixture->router, NULL);
  lp_h2_server_set_connection_error_func (fixture->server,
      on_connection_error, fixture);
  /* the services accept on the context they were started on */
  g_main_context_push_thread_default (fixture->context);
  fixture->h2c = lp_test_listen_loopback (&fixture->h2c_port, error);
  fixture->tls = fixture->h2c ?
      lp_test_listen_loopback (&fixture->tls_port, error) : NULL;
  if (fixture->tls) {
    g_signal_connect (fixture->h2c, "incoming", G_CALLBACK (on_h2c_incoming),
        fixture);
    g_signal_connect (fixture->tls, "incoming", G_CALLBACK (on_tls_incoming),
        fixture);
    g_socket_service_start (fixture->h2c);
    g_socket_service_start (fixture->tls);
  }
  g_main_context_pop_thread_default (fixture->context);
  if (fixture->tls == NULL)
    return NULL;
  fixture->thread = g_thread_new ("h2-fixture", run_loop, fixture);
  return fixture;
}

static gboolean
stop_on_context (gpointer data)
{
  H2Fixture *fixture = data;

  g_socket_service_stop (fixture->h2c);
  g_socket_service_stop (fixture->tls);
  g_socket_listener_close (G_SOCKET_LISTENER (fixture->h2c));
  g_socket_listener_close (G_SOCKET_LISTENER (fixture->tls));
  lp_h2_server_free (fixture->server);
  fixture->server = NULL;
  g_main_loop_quit (fixture->loop);
  return G_SOURCE_REMOVE;
}

void
h2_fixture_stop (H2Fixture * fixture)
{
  g_main_context_invoke (fixture->context, stop_on_context, fixture);
  g_thread_join (fixture->thread);
  /* the connections' closes finish */
  while (g_main_context_iteration (fixture->context, FALSE));
  g_object_unref (fixture->h2c);
  g_object_unref (fixture->tls);
  lp_grpc_router_free (fixture->router);
  g_object_unref (fixture->certificate);
  g_main_loop_unref (fixture->loop);
  g_main_context_unref (fixture->context);
  g_queue_clear_full (&fixture->errors, (GDestroyNotify) g_error_free);
  g_mutex_clear (&fixture->lock);
  g_cond_clear (&fixture->changed);
  g_free (fixture);
}

guint
h2_fixture_h2c_port (H2Fixture * fixture)
{
  return fixture->h2c_port;
}

guint
h2_fixture_tls_port (H2Fixture * fixture)
{
  return fixture->tls_port;
}

LpH2Server *
h2_fixture_server (H2Fixture * fixture)
{
  return fixture->server;
}

/* A POST to H2_FIXTURE_LATE: 200 and its headers now, then, from another
 * thread, the body "late:" and the size of the request's body */
static gpointer
answer_late (gpointer data)
{
  LpH2Request *request = data;
  GBytes *body = lp_h2_request_get_body (request);
  gchar *text = g_strdup_printf ("late:%" G_GSIZE_FORMAT,
      g_bytes_get_size (body));
  GBytes *answer = g_bytes_new_take (text, strlen (text));

  g_usleep (50 * 1000);
  lp_h2_request_respond_body (request, answer);
  g_bytes_unref (answer);
  g_bytes_unref (body);
  lp_h2_request_unref (request);
  return NULL;
}

static void
on_plain_request (LpH2Request * request, gpointer data)
{
  const gchar *const text[] = { "content-type", "text/plain", NULL };
  GBytes *body;

  if (g_strcmp0 (lp_h2_request_get_path (request), H2_FIXTURE_LATE) != 0) {
    body = g_bytes_new_static ("no such path", 12);
    lp_h2_request_respond (request, 404, text, body, NULL);
  } else if (lp_h2_request_is_too_large (request)) {
    body = g_bytes_new_static ("too large", 9);
    lp_h2_request_respond (request, 413, text, body, NULL);
  } else {
    lp_h2_request_respond_head (request, 200, text);
    g_thread_unref (g_thread_new ("late-answer", answer_late,
            lp_h2_request_ref (request)));
    return;
  }
  g_bytes_unref (body);
}

/* Serves H2_FIXTURE_LATE beside gRPC (other plain requests get 404), with
 * its own body bound and cap on requests in flight per connection. Call
 * before the first connection. */
void
h2_fixture_serve_late (H2Fixture * fixture, gsize max_body_size,
    guint max_in_flight)
{
  lp_grpc_router_set_fallback (fixture->router, on_plain_request, fixture);
  lp_h2_server_set_path_limit (fixture->server, H2_FIXTURE_LATE,
      max_body_size, max_in_flight);
}

/* The oldest connection error not yet taken, waiting up to @timeout_ms */
GError *
h2_fixture_wait_error (H2Fixture * fixture, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;
  GError *error;

  g_mutex_lock (&fixture->lock);
  while (g_queue_is_empty (&fixture->errors)
      && g_cond_wait_until (&fixture->changed, &fixture->lock, end));
  error = g_queue_pop_head (&fixture->errors);
  g_mutex_unlock (&fixture->lock);
  return error;
}

/* Waits until the server holds no connection */
gboolean
h2_fixture_wait_idle (H2Fixture * fixture, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (lp_h2_server_get_n_connections (fixture->server) > 0) {
    if (g_get_monotonic_time () > end)
      return FALSE;
    g_usleep (10 * 1000);
  }
  return TRUE;
}

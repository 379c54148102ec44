/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * LpH2Conn (lph2-private.h): the byte pump between a GIOStream and an
 * nghttp2 session. Reads and writes never block: pollable sources on the
 * connection's context wake it. While nghttp2's output waits for the peer
 * to read, nothing more is read, so a peer that does not read cannot make
 * us buffer without bound. A server connection first peeks at the peer's
 * first bytes to say plainly when a peer speaks TLS to a cleartext port,
 * cleartext to a TLS port, or HTTP/1.x where HTTP/2 is due.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lph2-private.h"

#define READ_CHUNK 16384
#define SNIFF_BYTES 64
#define SNIFF_RETRY_MS 20

static const gchar h2_preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

typedef enum
{
  SNIFF_MORE,
  SNIFF_TLS,
  SNIFF_H2,
  SNIFF_HTTP1,
  SNIFF_OTHER,
} Sniffed;

static void conn_arm_read (LpH2Conn * conn);

/* "address:port" of the socket under @stream: a socket connection, or a
 * stream over one that names it in a "base-io-stream" property, as a TLS
 * connection does (and a caller's own wrapper may, such as
 * lporchestrator's guarded stream, itself over TLS or not) */
gchar *
lp_h2_describe_peer (GIOStream * stream)
{
  GIOStream *base = g_object_ref (stream);
  GSocketAddress *address = NULL;
  gchar *text = NULL;
  guint depth;

  for (depth = 0; depth < 4 && !G_IS_SOCKET_CONNECTION (base)
      && g_object_class_find_property (G_OBJECT_GET_CLASS (base),
          "base-io-stream") != NULL; depth++) {
    GIOStream *below = NULL;

    g_object_get (base, "base-io-stream", &below, NULL);
    g_object_unref (base);
    base = below;
    if (base == NULL)
      return g_strdup ("a peer");
  }
  if (G_IS_SOCKET_CONNECTION (base))
    address = g_socket_connection_get_remote_address (G_SOCKET_CONNECTION
        (base), NULL);
  if (G_IS_INET_SOCKET_ADDRESS (address)) {
    GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (address);
    gchar *ip = g_inet_address_to_string (g_inet_socket_address_get_address
        (inet));
    text = g_strdup_printf ("%s:%u", ip, g_inet_socket_address_get_port
        (inet));
    g_free (ip);
  }
  g_clear_object (&address);
  g_object_unref (base);
  return text ? text : g_strdup ("a peer");
}

/* the value of @name in a NULL-terminated name, value, ... array */
const gchar *
lp_h2_nv_find (const gchar * const *pairs, const gchar * name)
{
  guint i;

  for (i = 0; pairs && pairs[i] && pairs[i + 1]; i += 2)
    if (g_ascii_strcasecmp (pairs[i], name) == 0)
      return pairs[i + 1];
  return NULL;
}

LpH2Conn *
lp_h2_conn_new (GIOStream * stream, GMainContext * context,
    const LpH2ConnCallbacks * callbacks, gpointer owner)
{
  LpH2Conn *conn = g_new0 (LpH2Conn, 1);
  GIOStream *base = stream;

  conn->ref_count = 1;
  conn->context = g_main_context_ref (context);
  conn->stream = g_object_ref (stream);
  conn->input = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream
      (stream));
  conn->output = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream
      (stream));
  conn->tls = G_IS_TLS_CONNECTION (stream);
  if (conn->tls)
    g_object_get (stream, "base-io-stream", &base, NULL);
  else
    g_object_ref (base);
  if (G_IS_SOCKET_CONNECTION (base))
    conn->socket = g_object_ref (g_socket_connection_get_socket
        (G_SOCKET_CONNECTION (base)));
  g_object_unref (base);
  conn->peer = lp_h2_describe_peer (stream);
  conn->cancellable = g_cancellable_new ();
  conn->pending = g_byte_array_new ();
  conn->callbacks = *callbacks;
  conn->owner = owner;
  return conn;
}

LpH2Conn *
lp_h2_conn_ref (LpH2Conn * conn)
{
  g_atomic_int_inc (&conn->ref_count);
  return conn;
}

/* Stops *@source (if any) and drops it: a timer or watch of a connection
 * going away or being rearmed */
void
lp_h2_destroy_source (GSource ** source)
{
  if (*source) {
    g_source_destroy (*source);
    g_source_unref (*source);
    *source = NULL;
  }
}

void
lp_h2_conn_unref (LpH2Conn * conn)
{
  if (!g_atomic_int_dec_and_test (&conn->ref_count))
    return;
  g_assert (conn->read_source == NULL && conn->write_source == NULL);
  if (conn->session)
    nghttp2_session_del (conn->session);
  g_clear_object (&conn->socket);
  g_object_unref (conn->stream);
  g_object_unref (conn->cancellable);
  g_byte_array_unref (conn->pending);
  g_main_context_unref (conn->context);
  g_free (conn->peer);
  g_free (conn);
}

static void
stream_closed (GObject * object, GAsyncResult * result, gpointer data)
{
  LpH2Conn *conn = data;

  g_io_stream_close_finish (G_IO_STREAM (object), result, NULL);
  conn->io_closed = TRUE;
  lp_h2_conn_unref (conn);
}

/**
 * lp_h2_conn_close:
 * @error: (transfer full) (nullable): why, %NULL for an orderly end
 *
 * Stops all I/O, closes the stream (asynchronously; a TLS stream sends its
 * close_notify) and tells the owner once.
 */
void
lp_h2_conn_close (LpH2Conn * conn, GError * error)
{
  if (conn->closed) {
    g_clear_error (&error);
    return;
  }
  conn->closed = TRUE;
  lp_h2_destroy_source (&conn->read_source);
  lp_h2_destroy_source (&conn->write_source);
  lp_h2_destroy_source (&conn->sniff_source);
  lp_h2_destroy_source (&conn->handshake_timer);
  g_cancellable_cancel (conn->cancellable);
  /* the owner hears why before the peer sees the end */
  lp_h2_conn_ref (conn);
  if (conn->callbacks.closed)
    conn->callbacks.closed (conn, error, conn->owner);
  g_clear_error (&error);
  g_main_context_push_thread_default (conn->context);
  g_io_stream_close_async (conn->stream, G_PRIORITY_DEFAULT, NULL,
      stream_closed, conn);
  g_main_context_pop_thread_default (conn->context);
}

static void
conn_fail (LpH2Conn * conn, gint code, const gchar * format, ...)
G_GNUC_PRINTF (3, 4);

static void
conn_fail (LpH2Conn * conn, gint code, const gchar * format, ...)
{
  va_list args;
  GError *error;

  va_start (args, format);
  error = g_error_new_valist (LP_H2_ERROR, code, format, args);
  va_end (args);
  lp_h2_conn_close (conn, error);
}

/* the session has nothing more to say or hear: close in order */
static gboolean
conn_finished (LpH2Conn * conn)
{
  if (conn->session == NULL || conn->pending->len > conn->pending_offset)
    return FALSE;
  if (nghttp2_session_want_read (conn->session)
      || nghttp2_session_want_write (conn->session))
    return FALSE;
  lp_h2_conn_close (conn, NULL);
  return TRUE;
}

static gboolean
on_writable (GObject * stream, gpointer data)
{
  LpH2Conn *conn = data;

  lp_h2_destroy_source (&conn->write_source);
  lp_h2_conn_flush (conn);
  return G_SOURCE_REMOVE;
}

/* writes what is pending; FALSE when the peer must read first */
static gboolean
conn_write_pending (LpH2Conn * conn)
{
  while (conn->pending_offset < conn->pending->len) {
    GError *error = NULL;
    gssize n = g_pollable_output_stream_write_nonblocking (conn->output,
        conn->pending->data + conn->pending_offset,
        conn->pending->len - conn->pending_offset, conn->cancellable, &error);

    if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
      g_error_free (error);
      if (conn->write_source == NULL) {
        conn->write_source =
            g_pollable_output_stream_create_source (conn->output,
            conn->cancellable);
        g_source_set_callback (conn->write_source,
            (GSourceFunc) (void (*)(void)) on_writable, conn, NULL);
        g_source_attach (conn->write_source, conn->context);
      }
      return FALSE;
    }
    if (n < 0) {
      conn_fail (conn, LP_H2_ERROR_CLOSED, "writing to %s failed: %s",
          conn->peer, error->message);
      g_error_free (error);
      return FALSE;
    }
    conn->pending_offset += n;
  }
  g_byte_array_set_size (conn->pending, 0);
  conn->pending_offset = 0;
  return TRUE;
}

/**
 * lp_h2_conn_flush:
 *
 * Writes all nghttp2 has to send, as far as the peer reads; resumes
 * reading once the output is drained; closes when the session is done.
 */
void
lp_h2_conn_flush (LpH2Conn * conn)
{
  if (conn->closed || conn->session == NULL)
    return;
  lp_h2_conn_ref (conn);
  while (!conn->closed && conn_write_pending (conn)) {
    const guint8 *data;
    gssize n = nghttp2_session_mem_send (conn->session, &data);

    if (n < 0) {
      conn_fail (conn, LP_H2_ERROR_PROTOCOL, "HTTP/2 session with %s "
          "failed: %s", conn->peer, nghttp2_strerror ((int) n));
      break;
    }
    if (n == 0)
      break;
    g_byte_array_append (conn->pending, data, n);
  }
  if (!conn->closed && !conn_finished (conn)) {
    if (conn->pending->len == 0)
      conn_arm_read (conn);
    else
      lp_h2_destroy_source (&conn->read_source);
  }
  lp_h2_conn_unref (conn);
}

static void
conn_feed (LpH2Conn * conn, const guint8 * data, gsize size)
{
  gssize n = nghttp2_session_mem_recv (conn->session, data, size);

  if (n < 0) {
    if (n == NGHTTP2_ERR_BAD_CLIENT_MAGIC)
      conn_fail (conn, LP_H2_ERROR_PROTOCOL, "%s did not start with the "
          "HTTP/2 connection preface", conn->peer);
    else
      conn_fail (conn, LP_H2_ERROR_PROTOCOL, "HTTP/2 protocol error from "
          "%s: %s", conn->peer, nghttp2_strerror ((int) n));
    return;
  }
  if (conn->callbacks.activity)
    conn->callbacks.activity (conn, conn->owner);
  lp_h2_conn_flush (conn);
}

static gboolean
on_readable (GObject * stream, gpointer data)
{
  LpH2Conn *conn = data;
  guint8 buffer[READ_CHUNK];
  GError *error = NULL;
  gssize n;

  n = g_pollable_input_stream_read_nonblocking (conn->input, buffer,
      sizeof buffer, conn->cancellable, &error);
  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
    g_error_free (error);
    return G_SOURCE_CONTINUE;
  }
  if (n < 0) {
    conn_fail (conn, LP_H2_ERROR_CLOSED, "reading from %s failed: %s",
        conn->peer, error->message);
    g_error_free (error);
    return G_SOURCE_CONTINUE;   /* closing destroyed the source */
  }
  if (n == 0) {
    conn_fail (conn, LP_H2_ERROR_CLOSED, "%s closed the connection",
        conn->peer);
    return G_SOURCE_CONTINUE;
  }
  lp_h2_conn_ref (conn);
  conn_feed (conn, buffer, n);
  lp_h2_conn_unref (conn);
  return G_SOURCE_CONTINUE;
}

static void
conn_arm_read (LpH2Conn * conn)
{
  if (conn->read_source || conn->closed)
    return;
  conn->read_source = g_pollable_input_stream_create_source (conn->input,
      conn->cancellable);
  g_source_set_callback (conn->read_source,
      (GSourceFunc) (void (*)(void)) on_readable, conn, NULL);
  g_source_attach (conn->read_source, conn->context);
}

/**
 * lp_h2_conn_start:
 *
 * Asks the owner for its session and starts pumping (the client calls this
 * once connected; a server connection gets here after its checks).
 */
void
lp_h2_conn_start (LpH2Conn * conn)
{
  GError *error = NULL;

  lp_h2_destroy_source (&conn->handshake_timer);
  if (!conn->callbacks.ready (conn, conn->owner, &error)) {
    lp_h2_conn_close (conn, error);
    return;
  }
  lp_h2_conn_flush (conn);
}

static void
on_handshake (GObject * object, GAsyncResult * result, gpointer data)
{
  LpH2Conn *conn = data;
  GError *error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result,
          &error)) {
    if (!conn->closed)
      conn_fail (conn, LP_H2_ERROR_TLS, "TLS handshake with %s failed: %s",
          conn->peer, error->message);
  } else if (!conn->closed) {
    lp_h2_conn_start (conn);
  }
  g_clear_error (&error);
  lp_h2_conn_unref (conn);
}

static void
conn_handshake (LpH2Conn * conn)
{
  g_main_context_push_thread_default (conn->context);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (conn->stream),
      G_PRIORITY_DEFAULT, conn->cancellable, on_handshake,
      lp_h2_conn_ref (conn));
  g_main_context_pop_thread_default (conn->context);
}

static Sniffed
sniff_classify (const guint8 * data, gsize size)
{
  gsize i, n = MIN (size, strlen (h2_preface));

  if (size == 0)
    return SNIFF_MORE;
  if (data[0] == 0x16)          /* a TLS handshake record */
    return SNIFF_TLS;
  if (memcmp (data, h2_preface, n) == 0)
    return size >= 4 ? SNIFF_H2 : SNIFF_MORE;
  /* HTTP/1.x: a method token of capitals, then a space */
  for (i = 0; i < MIN (size, 8); i++) {
    if (data[i] == ' ')
      return i >= 3 ? SNIFF_HTTP1 : SNIFF_OTHER;
    if (!g_ascii_isupper (data[i]))
      return SNIFF_OTHER;
  }
  return size < 8 ? SNIFF_MORE : SNIFF_OTHER;
}

/* the request line of an HTTP/1.x request, printable, for the log */
static gchar *
sniff_first_line (const guint8 * data, gsize size)
{
  gsize end = 0;
  gchar *raw, *line;

  while (end < size && end < 80 && data[end] != '\r' && data[end] != '\n')
    end++;
  raw = g_strndup ((const gchar *) data, end);
  line = g_strescape (raw, NULL);
  g_free (raw);
  return line;
}

static void
sniff_verdict (LpH2Conn * conn, Sniffed what, const guint8 * data, gsize n)
{
  gchar *line;

  if (conn->tls && what == SNIFF_TLS) {
    conn_handshake (conn);
    return;
  }
  if (!conn->tls && what == SNIFF_H2) {
    lp_h2_conn_start (conn);
    return;
  }
  switch (what) {
    case SNIFF_TLS:
      conn_fail (conn, LP_H2_ERROR_TLS_ON_CLEARTEXT, "%s sent a TLS "
          "ClientHello to a cleartext HTTP/2 (h2c) port: it wants https:// "
          "where this port serves http://", conn->peer);
      break;
    case SNIFF_H2:
      conn_fail (conn, LP_H2_ERROR_CLEARTEXT_ON_TLS, "%s sent a cleartext "
          "HTTP/2 preface to a TLS port: it wants http:// where this port "
          "serves https://", conn->peer);
      break;
    case SNIFF_HTTP1:
      line = sniff_first_line (data, n);
      if (conn->tls)
        conn_fail (conn, LP_H2_ERROR_CLEARTEXT_ON_TLS, "%s sent a "
            "cleartext HTTP/1.x request (\"%s\") to a TLS port", conn->peer,
            line);
      else
        conn_fail (conn, LP_H2_ERROR_HTTP1, "%s sent an HTTP/1.x request "
            "(\"%s\") where HTTP/2 with prior knowledge is expected",
            conn->peer, line);
      g_free (line);
      break;
    default:
      if (conn->tls)
        conn_fail (conn, LP_H2_ERROR_CLEARTEXT_ON_TLS, "%s sent bytes that "
            "are not a TLS handshake to a TLS port", conn->peer);
      else
        conn_fail (conn, LP_H2_ERROR_PROTOCOL, "%s did not start with the "
            "HTTP/2 connection preface", conn->peer);
      break;
  }
}

static void sniff_arm (LpH2Conn * conn);

static gboolean
sniff_retry (gpointer data)
{
  LpH2Conn *conn = data;

  lp_h2_destroy_source (&conn->sniff_source);
  sniff_arm (conn);
  return G_SOURCE_REMOVE;
}

/* peeks without consuming: the TLS layer or nghttp2 reads the same bytes */
static gboolean
on_sniff_readable (GSocket * socket, GIOCondition condition, gpointer data)
{
  LpH2Conn *conn = data;
  guint8 buffer[SNIFF_BYTES];
  GInputVector vector = { buffer, sizeof buffer };
  gint flags = G_SOCKET_MSG_PEEK;
  GError *error = NULL;
  gssize n;
  Sniffed what;

  n = g_socket_receive_message (socket, NULL, &vector, 1, NULL, NULL,
      &flags, conn->cancellable, &error);
  lp_h2_destroy_source (&conn->sniff_source);
  if (n < 0) {
    conn_fail (conn, LP_H2_ERROR_CLOSED, "reading from %s failed: %s",
        conn->peer, error->message);
    g_error_free (error);
    return G_SOURCE_REMOVE;
  }
  if (n == 0) {
    conn_fail (conn, LP_H2_ERROR_CLOSED, "%s closed the connection before "
        "sending anything", conn->peer);
    return G_SOURCE_REMOVE;
  }
  what = sniff_classify (buffer, n);
  if (what == SNIFF_MORE) {
    /* the socket stays readable: look again a little later */
    conn->sniff_source = g_timeout_source_new (SNIFF_RETRY_MS);
    g_source_set_callback (conn->sniff_source, sniff_retry, conn, NULL);
    g_source_attach (conn->sniff_source, conn->context);
    return G_SOURCE_REMOVE;
  }
  sniff_verdict (conn, what, buffer, n);
  return G_SOURCE_REMOVE;
}

static void
sniff_arm (LpH2Conn * conn)
{
  conn->sniff_source = g_socket_create_source (conn->socket,
      G_IO_IN | G_IO_HUP | G_IO_ERR, conn->cancellable);
  g_source_set_callback (conn->sniff_source,
      (GSourceFunc) (void (*)(void)) on_sniff_readable, conn, NULL);
  g_source_attach (conn->sniff_source, conn->context);
}

static gboolean
on_handshake_timeout (gpointer data)
{
  LpH2Conn *conn = data;

  g_source_unref (conn->handshake_timer);
  conn->handshake_timer = NULL;
  conn_fail (conn, LP_H2_ERROR_TIMEOUT, "%s did not complete its %s "
      "handshake in time", conn->peer, conn->tls ? "TLS" : "HTTP/2");
  return G_SOURCE_REMOVE;
}

/**
 * lp_h2_conn_start_server:
 * @handshake_timeout_ms: the time the peer has to send its first bytes and
 *     finish the TLS handshake (the owner's own timer then takes over)
 *
 * Checks what the peer speaks (when the stream has a socket under it),
 * handshakes TLS when the stream is TLS and not yet handshaken, then
 * starts the session.
 */
void
lp_h2_conn_start_server (LpH2Conn * conn, guint handshake_timeout_ms)
{
  gboolean handshaken = conn->tls && g_tls_connection_get_protocol_version
      (G_TLS_CONNECTION (conn->stream)) != G_TLS_PROTOCOL_VERSION_UNKNOWN;

  if (handshaken) {
    lp_h2_conn_start (conn);
    return;
  }
  conn->handshake_timer = g_timeout_source_new (handshake_timeout_ms);
  g_source_set_callback (conn->handshake_timer, on_handshake_timeout, conn,
      NULL);
  g_source_attach (conn->handshake_timer, conn->context);
  if (conn->socket)
    sniff_arm (conn);
  else if (conn->tls)
    conn_handshake (conn);
  else
    lp_h2_conn_start (conn);
}

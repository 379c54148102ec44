/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The connection layer under the orchestrator's HTTP servers.
 *
 * Why not soup_server_listen(): libsoup 3.2's listener stops accepting
 * for good after one failed accept() (EMFILE), its server connections
 * have no timeout at all, it reads a refused request's whole body before
 * answering, and it resets a request whose header block passes 64 KiB
 * without a status. The CLOSE_WAIT leak of 3.2.x (fixed in 3.3.0) is in
 * its listener's sockets too: a stream handed to
 * soup_server_accept_iostream() is closed when the client closes.
 * Requiring libsoup ≥ 3.3 would fix the leak only, and Debian 12 ships
 * 3.2.3. libsoup 3.2 also closes such a stream after each answer (it
 * cannot tell it is still connected), so every answer says `Connection:
 * close` and a client never sends a second request into a closed
 * connection; keep-alive comes back with a libsoup that keeps these
 * connections, or with our own HTTP/2 server.
 *
 * So we accept on our own socket and own every connection: a cap on how
 * many are open (the one idle longest makes room for a newcomer), a
 * deadline for each phase (a request's whole header block, progress of a
 * body or an answer, idleness between requests), a back-off after a
 * failed accept() (go's net/http rule: 5 ms doubling to 1 s, so EMFILE is
 * survived), and refusals written by us before the body is read: 413 for
 * a body over its path's limit (announced, or counted as chunks come),
 * 431 for a header block over its limit (counted as libsoup reads it,
 * before libsoup's own limit trips), 408 for a request too slow; each
 * with `Connection: close`, a reason, and a short lingering close so the
 * client reads the answer rather than a reset. libsoup only parses
 * HTTP/1.1 on the stream we hand it.
 *
 * These rules sit below the protocol on purpose. With an HTTP/2 server
 * set (lp_server_serve_h2(), for go-livepeer's gRPC wire: libsoup 3.2 has
 * none), each connection's first bytes are peeked: a TLS ClientHello gets
 * TLS (ALPN then picks HTTP/2 or libsoup), the h2c preface goes to the
 * HTTP/2 server, anything else to libsoup. Such connections keep the same
 * cap and back-off, and the same deadline until their protocol is known
 * (TLS handshake included); an HTTP/2 one is then never evicted as idle,
 * and the 431/413 counting and the later deadlines are the HTTP/2
 * server's own (SETTINGS_MAX_HEADER_LIST_SIZE, its body bound, its
 * request and idle timeouts).
 *
 * Everything here runs in the thread-default main context of
 * lp_server_new()'s caller.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <gst/gst.h>
#include <gst/livepeer/lph2server.h>

#include "lpserver.h"

GST_DEBUG_CATEGORY_EXTERN (gst_lp_orchestrator_debug);
#define GST_CAT_DEFAULT gst_lp_orchestrator_debug

/* RFC 6585; libsoup 3.2 has no name for it */
#define STATUS_REQUEST_HEADER_FIELDS_TOO_LARGE 431

/* connections accepted per wake-up of the listening socket */
#define ACCEPT_BATCH 16
/* go's net/http back-off after a failed accept() */
#define ACCEPT_BACKOFF_MIN_MS 5
#define ACCEPT_BACKOFF_MAX_MS 1000
/* how long a refused connection is drained so that its client reads the
 * answer before the close (go's closeWriteAndWait waits 500 ms) */
#define LINGER_US (500 * G_TIME_SPAN_MILLISECOND)
/* the cleartext HTTP/2 connection preface (RFC 9113 §3.4) */
static const gchar h2_preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
/* its first bytes tell it from any HTTP/1.x method ("PRI " is no method) */
#define H2_PREFACE_DECISIVE 4
/* how soon a connection that sent too little to classify is looked at
 * again (its socket stays readable, so no source can wait for more) */
#define SNIFF_RETRY_MS 20
/* the first byte of a TLS record carrying a handshake (a ClientHello) */
#define TLS_HANDSHAKE_RECORD 0x16

/* ------------------------------------------------------------------------ */
/* LpGuardInput: the socket's input, counting each request's header block   */
/* ------------------------------------------------------------------------ */

typedef void (*LpGuardTooLarge) (gpointer data);

#define LP_TYPE_GUARD_INPUT (lp_guard_input_get_type ())
G_DECLARE_FINAL_TYPE (LpGuardInput, lp_guard_input, LP, GUARD_INPUT,
    GInputStream);

struct _LpGuardInput
{
  GInputStream parent;
  GInputStream *base;           /* the socket's (pollable) */
  GCancellable *wake;           /* cancelled to wake libsoup's reader */
  gsize max_header_size;
  gboolean in_headers;          /* before the end of a header block */
  gsize header_bytes;
  guint32 window;               /* the last bytes seen, for CRLFCRLF */
  gboolean refused;             /* the server answered: reads fail */
  LpGuardTooLarge too_large;
  gpointer too_large_data;
};

static void lp_guard_input_pollable_init (GPollableInputStreamInterface *
    iface);

G_DEFINE_TYPE_WITH_CODE (LpGuardInput, lp_guard_input, G_TYPE_INPUT_STREAM,
    G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
        lp_guard_input_pollable_init));

/* Counts @n bytes just read toward the header block; FALSE when it is
 * over its limit. */
static gboolean
guard_count (LpGuardInput * self, const guint8 * data, gsize n)
{
  gsize i;

  for (i = 0; i < n && self->in_headers; i++) {
    self->window = (self->window << 8) | data[i];
    self->header_bytes++;
    if (self->window == 0x0d0a0d0a || (self->window & 0xffff) == 0x0a0a)
      self->in_headers = FALSE;
  }
  return self->header_bytes <= self->max_header_size;
}

static gssize
guard_read (LpGuardInput * self, void *buffer, gsize count,
    gboolean blocking, GCancellable * cancellable, GError ** error)
{
  gssize n;

  if (self->refused) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
        "the server closed the connection");
    return -1;
  }
  if (blocking)
    n = g_input_stream_read (self->base, buffer, count, cancellable, error);
  else
    n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM
        (self->base), buffer, count, cancellable, error);
  if (n > 0 && !guard_count (self, buffer, n)) {
    /* libsoup never sees a byte past our limit, so its own (a bare
     * reset) cannot trip first */
    self->refused = TRUE;
    if (self->too_large != NULL)
      self->too_large (self->too_large_data);
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
        "header block too large");
    return -1;
  }
  return n;
}

static gssize
lp_guard_input_read (GInputStream * stream, void *buffer, gsize count,
    GCancellable * cancellable, GError ** error)
{
  return guard_read (LP_GUARD_INPUT (stream), buffer, count, TRUE,
      cancellable, error);
}

/* The socket stays ours: libsoup closing its stream does not close it. */
static gboolean
lp_guard_input_close (GInputStream * stream, GCancellable * cancellable,
    GError ** error)
{
  return TRUE;
}

static gboolean
lp_guard_input_can_poll (GPollableInputStream * stream)
{
  return TRUE;
}

static gboolean
lp_guard_input_is_readable (GPollableInputStream * stream)
{
  LpGuardInput *self = LP_GUARD_INPUT (stream);

  return self->refused || g_cancellable_is_cancelled (self->wake)
      || g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM
      (self->base));
}

/* The socket's source, and @wake's: a refusal or a close by the server
 * wakes libsoup's reader at once, so it lets go of the connection. */
static GSource *
lp_guard_input_create_source (GPollableInputStream * stream,
    GCancellable * cancellable)
{
  LpGuardInput *self = LP_GUARD_INPUT (stream);
  GSource *base = g_pollable_input_stream_create_source
      (G_POLLABLE_INPUT_STREAM (self->base), NULL);
  GSource *wake = g_cancellable_source_new (self->wake);
  GSource *source = g_pollable_source_new_full (stream, base, cancellable);

  /* a child is dispatched too: it needs a callback, one that does nothing */
  g_source_set_dummy_callback (wake);
  g_source_add_child_source (source, wake);
  g_source_unref (wake);
  g_source_unref (base);
  return source;
}

static gssize
lp_guard_input_read_nonblocking (GPollableInputStream * stream,
    void *buffer, gsize count, GError ** error)
{
  return guard_read (LP_GUARD_INPUT (stream), buffer, count, FALSE, NULL,
      error);
}

static void
lp_guard_input_finalize (GObject * object)
{
  LpGuardInput *self = LP_GUARD_INPUT (object);

  g_object_unref (self->base);
  g_object_unref (self->wake);
  G_OBJECT_CLASS (lp_guard_input_parent_class)->finalize (object);
}

static void
lp_guard_input_class_init (LpGuardInputClass * klass)
{
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = lp_guard_input_finalize;
  input_class->read_fn = lp_guard_input_read;
  input_class->close_fn = lp_guard_input_close;
}

static void
lp_guard_input_pollable_init (GPollableInputStreamInterface * iface)
{
  iface->can_poll = lp_guard_input_can_poll;
  iface->is_readable = lp_guard_input_is_readable;
  iface->create_source = lp_guard_input_create_source;
  iface->read_nonblocking = lp_guard_input_read_nonblocking;
}

static void
lp_guard_input_init (LpGuardInput * self)
{
  self->wake = g_cancellable_new ();
  self->in_headers = TRUE;
}

/* A new request starts: its header block is counted afresh. */
static void
lp_guard_input_new_request (LpGuardInput * self)
{
  self->in_headers = TRUE;
  self->header_bytes = 0;
  self->window = 0;
}

/* Every later read fails, and libsoup's pending reader wakes up to see it */
static void
lp_guard_input_refuse (LpGuardInput * self)
{
  self->refused = TRUE;
  self->too_large = NULL;
  g_cancellable_cancel (self->wake);
}

/* ------------------------------------------------------------------------ */
/* LpConnStream: what libsoup or the HTTP/2 server gets (our input, the     */
/* output of the socket or of the TLS connection over it)                   */
/* ------------------------------------------------------------------------ */

typedef void (*LpConnClosed) (gpointer data);

#define LP_TYPE_CONN_STREAM (lp_conn_stream_get_type ())
G_DECLARE_FINAL_TYPE (LpConnStream, lp_conn_stream, LP, CONN_STREAM,
    GIOStream);

struct _LpConnStream
{
  GIOStream parent;
  GIOStream *base;              /* the socket's connection, or TLS over it */
  LpGuardInput *input;
  LpConnClosed closed;          /* libsoup is done with it */
  gpointer closed_data;
};

G_DEFINE_TYPE (LpConnStream, lp_conn_stream, G_TYPE_IO_STREAM);

enum
{
  PROP_0,
  PROP_BASE_IO_STREAM,
};

/* its base, as a TLS connection names its own: the HTTP/2 server finds
 * the peer's address through it for its log lines */
static void
lp_conn_stream_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  if (prop_id == PROP_BASE_IO_STREAM)
    g_value_set_object (value, LP_CONN_STREAM (object)->base);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static GInputStream *
lp_conn_stream_get_input_stream (GIOStream * stream)
{
  return G_INPUT_STREAM (LP_CONN_STREAM (stream)->input);
}

static GOutputStream *
lp_conn_stream_get_output_stream (GIOStream * stream)
{
  return g_io_stream_get_output_stream (LP_CONN_STREAM (stream)->base);
}

/* libsoup lets go: the connection layer decides when the socket closes
 * (at once, or after a refusal's lingering close). */
static gboolean
lp_conn_stream_close (GIOStream * stream, GCancellable * cancellable,
    GError ** error)
{
  LpConnStream *self = LP_CONN_STREAM (stream);
  LpConnClosed closed = self->closed;

  self->closed = NULL;
  if (closed != NULL)
    closed (self->closed_data);
  return TRUE;
}

/* GIOStream's own close_async runs close_fn in a worker thread; ours must
 * run in the server's thread, as everything of the connection layer. */
static void
lp_conn_stream_close_async (GIOStream * stream, int io_priority,
    GCancellable * cancellable, GAsyncReadyCallback callback,
    gpointer user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  lp_conn_stream_close (stream, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static gboolean
lp_conn_stream_close_finish (GIOStream * stream, GAsyncResult * result,
    GError ** error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lp_conn_stream_finalize (GObject * object)
{
  LpConnStream *self = LP_CONN_STREAM (object);

  g_object_unref (self->input);
  g_object_unref (self->base);
  G_OBJECT_CLASS (lp_conn_stream_parent_class)->finalize (object);
}

static void
lp_conn_stream_class_init (LpConnStreamClass * klass)
{
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = lp_conn_stream_finalize;
  G_OBJECT_CLASS (klass)->get_property = lp_conn_stream_get_property;
  g_object_class_install_property (G_OBJECT_CLASS (klass),
      PROP_BASE_IO_STREAM, g_param_spec_object ("base-io-stream",
          "Base stream", "The stream it reads and writes", G_TYPE_IO_STREAM,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  stream_class->get_input_stream = lp_conn_stream_get_input_stream;
  stream_class->get_output_stream = lp_conn_stream_get_output_stream;
  stream_class->close_fn = lp_conn_stream_close;
  stream_class->close_async = lp_conn_stream_close_async;
  stream_class->close_finish = lp_conn_stream_close_finish;
}

static void
lp_conn_stream_init (LpConnStream * self)
{
}

/* ------------------------------------------------------------------------ */
/* the server                                                               */
/* ------------------------------------------------------------------------ */

typedef struct _Handshake Handshake;

typedef struct
{
  LpServer *server;
  gchar *peer;                  /* "address:port", the table's key */
  GSocketConnection *base;
  GIOStream *io;                /* base, or the TLS connection over it */
  GSource *sniff;               /* looking at the first bytes */
  Handshake *handshake;         /* a TLS handshake under way */
  gboolean h2;                  /* handed to the HTTP/2 server */
  LpConnStream *stream;         /* NULL until its protocol is known */
  gint64 deadline;              /* monotonic µs; 0: a handler has it */
  gint64 idle_since;            /* waiting for a request since; 0: busy */
  gboolean answering;           /* the answer has started going out */
  guint64 body_bytes;           /* of the request being read */
  guint64 body_limit;
  GSource *linger;              /* draining after a refusal */
} Conn;

struct _LpServer
{
  SoupServer *soup;
  LpH2Server *h2;               /* NULL: HTTP/1.1 only, not sniffed */
  GTlsCertificate *certificate; /* NULL: no TLS */
  LpServerLimits limits;
  GMainContext *context;
  GHashTable *body_limits;      /* path -> guint64* */
  GSocket *listener;
  GSource *accept_source;
  GSource *retry_source;
  guint backoff_ms;
  GHashTable *conns;            /* peer -> Conn* */
  GSource *sweep;
  gulong signal_ids[3];
};

static void start_accepting (LpServer * server);

/* A TLS handshake's link to its connection, which may close first */
struct _Handshake
{
  Conn *conn;                   /* NULL once the connection is gone */
  GCancellable *cancellable;
};

static gint64
idle_deadline (LpServer * server)
{
  return g_get_monotonic_time () +
      (gint64) server->limits.idle_timeout_ms * G_TIME_SPAN_MILLISECOND;
}

static gchar *
peer_key (GSocketAddress * address)
{
  GInetSocketAddress *inet;
  gchar *ip, *key;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return NULL;
  inet = G_INET_SOCKET_ADDRESS (address);
  ip = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
  key = g_strdup_printf ("%s:%u", ip, g_inet_socket_address_get_port (inet));
  g_free (ip);
  return key;
}

/* The connection @msg came on (NULL once it is gone) */
static Conn *
conn_of (LpServer * server, SoupServerMessage * msg)
{
  gchar *key = peer_key (soup_server_message_get_remote_address (msg));
  Conn *conn = key != NULL ? g_hash_table_lookup (server->conns, key) : NULL;

  g_free (key);
  return conn;
}

/* Closes the socket and forgets the connection; libsoup, if it still
 * holds the stream, wakes up to a failed read and lets go. */
static void
conn_close (Conn * conn)
{
  LpServer *server = conn->server;

  g_hash_table_steal (server->conns, conn->peer);
  if (conn->linger != NULL) {
    g_source_destroy (conn->linger);
    g_source_unref (conn->linger);
  }
  if (conn->sniff != NULL) {
    g_source_destroy (conn->sniff);
    g_source_unref (conn->sniff);
  }
  if (conn->handshake != NULL) {
    conn->handshake->conn = NULL;
    g_cancellable_cancel (conn->handshake->cancellable);
  }
  if (conn->stream != NULL) {
    conn->stream->closed = NULL;
    lp_guard_input_refuse (conn->stream->input);
    g_object_unref (conn->stream);
  }
  g_io_stream_close (G_IO_STREAM (conn->base), NULL, NULL);
  g_object_unref (conn->io);
  g_object_unref (conn->base);
  GST_LOG ("connection %s closed (%u open)", conn->peer,
      g_hash_table_size (server->conns));
  g_free (conn->peer);
  g_free (conn);
  /* room again for connections waiting in the backlog */
  if (server->listener != NULL && server->accept_source == NULL
      && server->retry_source == NULL)
    start_accepting (server);
}

static void
on_stream_closed (gpointer data)
{
  Conn *conn = data;

  if (conn->linger == NULL)
    conn_close (conn);
}

static gboolean
on_linger_readable (GSocket * socket, GIOCondition condition, gpointer data)
{
  Conn *conn = data;
  gchar sink[16384];
  gssize n;
  guint i;

  /* discard what the client still sends, until it closes */
  for (i = 0; i < 16; i++) {
    GError *error = NULL;

    n = g_socket_receive_with_blocking (socket, sink, sizeof (sink), FALSE,
        NULL, &error);
    if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
      g_error_free (error);
      return G_SOURCE_CONTINUE;
    }
    g_clear_error (&error);
    if (n <= 0)
      break;
  }
  if (n <= 0)
    conn_close (conn);
  return G_SOURCE_CONTINUE;
}

/* Answers @status with @reason ourselves, at once and without reading the
 * body, and closes the connection (after a short drain). */
static void
conn_refuse (Conn * conn, SoupServerMessage * msg, guint status,
    const gchar * reason)
{
  GSocket *socket = g_socket_connection_get_socket (conn->base);
  gchar *answer;

  if (conn->linger != NULL || conn->stream == NULL)
    return;
  GST_INFO ("%s: %u %s", conn->peer, status, reason);
  answer = g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: text/plain; "
      "charset=utf-8\r\nContent-Length: %" G_GSIZE_FORMAT "\r\nConnection: "
      "close\r\n\r\n%s", status, status ==
      STATUS_REQUEST_HEADER_FIELDS_TOO_LARGE ?
      "Request Header Fields Too Large" : soup_status_get_phrase (status),
      strlen (reason), reason);
  /* a few hundred bytes into an empty send buffer: one call (through the
   * TLS connection on one) */
  g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM
      (g_io_stream_get_output_stream (conn->io)), answer, strlen (answer),
      NULL, NULL);
  g_free (answer);
  g_socket_shutdown (socket, FALSE, TRUE, NULL);
  /* and libsoup neither sends 100 Continue nor reads on */
  if (msg != NULL && soup_server_message_get_status (msg) == 0)
    soup_server_message_set_status (msg, status, NULL);
  lp_guard_input_refuse (conn->stream->input);
  conn->idle_since = 0;
  conn->deadline = g_get_monotonic_time () + LINGER_US;
  conn->linger = g_socket_create_source (socket, G_IO_IN | G_IO_HUP |
      G_IO_ERR, NULL);
  g_source_set_callback (conn->linger, (GSourceFunc) on_linger_readable,
      conn, NULL);
  g_source_attach (conn->linger, conn->server->context);
}

static void
on_header_too_large (gpointer data)
{
  Conn *conn = data;
  gchar *reason = g_strdup_printf ("Request Header Fields Too Large: the "
      "header block is over %" G_GSIZE_FORMAT " bytes",
      conn->server->limits.max_header_size);

  conn_refuse (conn, NULL, STATUS_REQUEST_HEADER_FIELDS_TOO_LARGE,
      reason);
  g_free (reason);
}

/* Serves @conn's stream (conn->io) with HTTP/1.1 (libsoup) or HTTP/2 */
static void
conn_serve (Conn * conn, gboolean h2)
{
  LpServer *server = conn->server;
  GSocketAddress *local = g_socket_connection_get_local_address (conn->base,
      NULL);
  GSocketAddress *remote = g_socket_connection_get_remote_address
      (conn->base, NULL);
  GError *error = NULL;
  LpGuardInput *input;

  input = g_object_new (LP_TYPE_GUARD_INPUT, NULL);
  input->base = g_object_ref (g_io_stream_get_input_stream (conn->io));
  conn->stream = g_object_new (LP_TYPE_CONN_STREAM, NULL);
  conn->stream->base = g_object_ref (conn->io);
  conn->stream->input = input;
  conn->stream->closed = on_stream_closed;
  conn->stream->closed_data = conn;
  if (h2) {
    /* HTTP/2 frames are binary: the HTTP/2 server bounds header lists,
     * bodies and time itself; the connection still counts toward the cap
     * and is not evicted as idle, as a busy HTTP/1.1 one */
    input->max_header_size = G_MAXSIZE;
    conn->h2 = TRUE;
    conn->deadline = 0;
    conn->idle_since = 0;
    lp_h2_server_accept (server->h2, G_IO_STREAM (conn->stream));
  } else {
    input->max_header_size = server->limits.max_header_size;
    input->too_large = on_header_too_large;
    input->too_large_data = conn;
    if (!soup_server_accept_iostream (server->soup,
            G_IO_STREAM (conn->stream), local, remote, &error)) {
      GST_WARNING ("%s: %s", conn->peer, error->message);
      g_error_free (error);
      conn_close (conn);
    }
  }
  g_clear_object (&local);
  g_clear_object (&remote);
}

static void
on_handshake (GObject * source, GAsyncResult * result, gpointer data)
{
  Handshake *handshake = data;
  Conn *conn = handshake->conn;
  GError *error = NULL;
  gboolean ok = g_tls_connection_handshake_finish (G_TLS_CONNECTION (source),
      result, &error);
  const gchar *alpn;

  g_object_unref (handshake->cancellable);
  g_free (handshake);
  if (conn == NULL) {
    g_clear_error (&error);
    return;
  }
  conn->handshake = NULL;
  if (!ok) {
    GST_WARNING ("%s: TLS handshake failed, closing: %s", conn->peer,
        error->message);
    g_error_free (error);
    conn_close (conn);
    return;
  }
  alpn = g_tls_connection_get_negotiated_protocol (G_TLS_CONNECTION (source));
  GST_LOG ("%s: TLS with ALPN %s", conn->peer, alpn ? alpn : "(none)");
  conn_serve (conn, g_strcmp0 (alpn, "h2") == 0);
}

/* TLS with our certificate; ALPN then picks HTTP/2 or HTTP/1.1 */
static void
conn_start_tls (Conn * conn)
{
  LpServer *server = conn->server;
  GError *error = NULL;
  GIOStream *tls;

  if (server->certificate == NULL) {
    GST_WARNING ("%s sent a TLS ClientHello, but this port serves cleartext "
        "only (tls is off): the client wants https:// where http:// is "
        "served; closing", conn->peer);
    conn_close (conn);
    return;
  }
  tls = lp_h2_tls_server_wrap (G_IO_STREAM (conn->base), server->certificate,
      &error);
  if (tls == NULL) {
    GST_WARNING ("%s: cannot serve TLS: %s", conn->peer, error->message);
    g_error_free (error);
    conn_close (conn);
    return;
  }
  g_object_unref (conn->io);
  conn->io = tls;
  conn->handshake = g_new0 (Handshake, 1);
  conn->handshake->conn = conn;
  conn->handshake->cancellable = g_cancellable_new ();
  /* the connection's deadline (idle timeout) bounds the handshake */
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls),
      G_PRIORITY_DEFAULT, conn->handshake->cancellable, on_handshake,
      conn->handshake);
}

static void sniff_arm (Conn * conn);

static gboolean
sniff_retry (gpointer data)
{
  Conn *conn = data;

  g_source_unref (conn->sniff);
  conn->sniff = NULL;
  sniff_arm (conn);
  return G_SOURCE_REMOVE;
}

/* Looks at the first bytes without taking them (libsoup, TLS or nghttp2
 * reads them): a TLS ClientHello, the HTTP/2 preface, or else HTTP/1.x,
 * as go-livepeer serves gRPC and HTTP on one port. */
static gboolean
on_sniff_readable (GSocket * socket, GIOCondition condition, gpointer data)
{
  Conn *conn = data;
  guint8 head[sizeof (h2_preface) - 1];
  GInputVector vector = { head, sizeof (head) };
  gint flags = G_SOCKET_MSG_PEEK;
  gssize n;

  g_source_destroy (conn->sniff);
  g_source_unref (conn->sniff);
  conn->sniff = NULL;
  n = g_socket_receive_message (socket, NULL, &vector, 1, NULL, NULL,
      &flags, NULL, NULL);
  if (n <= 0) {
    GST_LOG ("%s closed before sending anything", conn->peer);
    conn_close (conn);
  } else if (head[0] == TLS_HANDSHAKE_RECORD) {
    conn_start_tls (conn);
  } else if (memcmp (head, h2_preface, MIN ((gsize) n,
              H2_PREFACE_DECISIVE)) != 0) {
    conn_serve (conn, FALSE);
  } else if (n >= H2_PREFACE_DECISIVE) {
    conn_serve (conn, TRUE);
  } else {
    conn->sniff = g_timeout_source_new (SNIFF_RETRY_MS);
    g_source_set_callback (conn->sniff, sniff_retry, conn, NULL);
    g_source_attach (conn->sniff, conn->server->context);
  }
  return G_SOURCE_REMOVE;
}

static void
sniff_arm (Conn * conn)
{
  conn->sniff = g_socket_create_source (g_socket_connection_get_socket
      (conn->base), G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (conn->sniff, (GSourceFunc) (void (*)(void))
      on_sniff_readable, conn, NULL);
  g_source_attach (conn->sniff, conn->server->context);
}

static void
conn_new (LpServer * server, GSocket * socket)
{
  GSocketAddress *remote = g_socket_get_remote_address (socket, NULL);
  gchar *peer = remote != NULL ? peer_key (remote) : NULL;
  Conn *conn;

  g_clear_object (&remote);
  if (peer == NULL || g_hash_table_contains (server->conns, peer)) {
    g_socket_close (socket, NULL);
    g_free (peer);
    return;
  }
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  conn = g_new0 (Conn, 1);
  conn->server = server;
  conn->peer = peer;
  conn->base = g_socket_connection_factory_create_connection (socket);
  conn->io = g_object_ref (G_IO_STREAM (conn->base));
  conn->deadline = idle_deadline (server);
  conn->idle_since = g_get_monotonic_time ();
  conn->body_limit = server->limits.max_body_size;
  g_hash_table_insert (server->conns, conn->peer, conn);
  GST_LOG ("connection %s accepted (%u open)", conn->peer,
      g_hash_table_size (server->conns));
  if (server->h2 != NULL)
    sniff_arm (conn);
  else
    conn_serve (conn, FALSE);
}

/* The connection idle longest (waiting for a request, or for its first
 * bytes); NULL when every connection is busy with a request or is an
 * HTTP/2 one. */
static Conn *
idle_longest (LpServer * server)
{
  GHashTableIter iter;
  gpointer value;
  Conn *oldest = NULL;

  g_hash_table_iter_init (&iter, server->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    Conn *conn = value;

    if (conn->idle_since != 0 && conn->linger == NULL
        && (oldest == NULL || conn->idle_since < oldest->idle_since))
      oldest = conn;
  }
  return oldest;
}

static void
stop_accepting (LpServer * server)
{
  if (server->accept_source != NULL) {
    g_source_destroy (server->accept_source);
    g_source_unref (server->accept_source);
    server->accept_source = NULL;
  }
}

static gboolean
retry_accept (gpointer data)
{
  LpServer *server = data;

  g_source_unref (server->retry_source);
  server->retry_source = NULL;
  start_accepting (server);
  return G_SOURCE_REMOVE;
}

/* A failed accept() (EMFILE, ENFILE, ENOBUFS, ...): try again after a
 * growing pause rather than spin or give up. Connections already open
 * are left alone: max-connections keeps the node below its descriptor
 * limit, so EMFILE comes from elsewhere and passes. */
static void
back_off (LpServer * server, const GError * error)
{
  if (server->backoff_ms == 0)
    GST_WARNING ("accept: %s; retrying", error->message);
  server->backoff_ms = CLAMP (server->backoff_ms * 2, ACCEPT_BACKOFF_MIN_MS,
      ACCEPT_BACKOFF_MAX_MS);
  stop_accepting (server);
  if (server->retry_source != NULL)
    return;
  server->retry_source = g_timeout_source_new (server->backoff_ms);
  g_source_set_callback (server->retry_source, retry_accept, server, NULL);
  g_source_attach (server->retry_source, server->context);
}

static gboolean
on_incoming (GSocket * listener, GIOCondition condition, gpointer data)
{
  LpServer *server = data;
  guint i;

  for (i = 0; i < ACCEPT_BATCH; i++) {
    GError *error = NULL;
    GSocket *socket;

    gboolean full = g_hash_table_size (server->conns) >=
        server->limits.max_connections;
    Conn *idle;

    if (full && idle_longest (server) == NULL) {
      /* full of busy connections: newcomers wait in the backlog until
       * one closes (conn_close() starts accepting again) */
      GST_DEBUG ("%u connections open, all busy: not accepting",
          g_hash_table_size (server->conns));
      stop_accepting (server);
      return G_SOURCE_REMOVE;
    }
    socket = g_socket_accept (listener, NULL, &error);
    if (socket == NULL) {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
        g_error_free (error);
        return G_SOURCE_CONTINUE;
      }
      back_off (server, error);
      g_error_free (error);
      return G_SOURCE_REMOVE;
    }
    server->backoff_ms = 0;
    /* only now that a newcomer is there: accept() may have found none */
    if (full && (idle = idle_longest (server)) != NULL) {
      GST_DEBUG ("closing %s, idle longest, for a new connection",
          idle->peer);
      conn_close (idle);
    }
    conn_new (server, socket);
    g_object_unref (socket);
  }
  return G_SOURCE_CONTINUE;
}

static void
start_accepting (LpServer * server)
{
  if (server->accept_source != NULL)
    return;
  server->accept_source = g_socket_create_source (server->listener, G_IO_IN,
      NULL);
  g_source_set_callback (server->accept_source, (GSourceFunc) on_incoming,
      server, NULL);
  g_source_attach (server->accept_source, server->context);
}

/* Closes the connections past their deadline: a refused one done
 * draining; one whose request stalls gets 408 first. */
static gboolean
sweep (gpointer data)
{
  LpServer *server = data;
  gint64 now = g_get_monotonic_time ();
  GPtrArray *late = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  guint i;

  g_hash_table_iter_init (&iter, server->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    Conn *conn = value;

    if (conn->deadline != 0 && now >= conn->deadline)
      g_ptr_array_add (late, conn);
  }
  for (i = 0; i < late->len; i++) {
    Conn *conn = g_ptr_array_index (late, i);
    LpGuardInput *input = conn->stream ? conn->stream->input : NULL;

    if (input == NULL) {
      GST_WARNING ("closing %s: no %s within %u ms", conn->peer,
          conn->handshake ? "TLS handshake" : "request",
          server->limits.idle_timeout_ms);
      conn_close (conn);
      continue;
    }
    /* a stalled request gets 408; a stalled answer can only be cut */
    if (conn->linger == NULL && !conn->answering && (conn->idle_since == 0
            || (input->in_headers && input->header_bytes > 0))) {
      gchar *reason = g_strdup_printf ("Request Timeout: no progress for %u "
          "ms", server->limits.idle_timeout_ms);

      conn_refuse (conn, NULL, SOUP_STATUS_REQUEST_TIMEOUT, reason);
      g_free (reason);
    } else {
      GST_DEBUG ("closing %s: %s", conn->peer, conn->linger != NULL ?
          "refused" : "idle");
      conn_close (conn);
    }
  }
  g_ptr_array_free (late, TRUE);
  return G_SOURCE_CONTINUE;
}

/* ---- following each request ---- */

static void
on_got_headers (SoupServerMessage * msg, LpServer * server)
{
  Conn *conn = conn_of (server, msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeadersIter iter;
  const gchar *name, *value, *path;
  guint status = soup_server_message_get_status (msg), count = 0;
  guint64 *limit;
  gchar *reason = NULL;

  if (conn == NULL || conn->linger != NULL)
    return;
  /* libsoup closes the connection after this answer anyway */
  soup_message_headers_replace (soup_server_message_get_response_headers
      (msg), "Connection", "close");
  conn->idle_since = 0;
  conn->deadline = idle_deadline (server);
  conn->body_bytes = 0;
  path = g_uri_get_path (soup_server_message_get_uri (msg));
  limit = g_hash_table_lookup (server->body_limits, path);
  conn->body_limit = limit != NULL ? *limit : server->limits.max_body_size;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    count++;
  if (status >= 400) {
    /* an early handler refused it: answer now, not after the body */
    GBytes *body = soup_message_body_flatten
        (soup_server_message_get_response_body (msg));

    reason = g_strndup (g_bytes_get_data (body, NULL),
        g_bytes_get_size (body));
    g_bytes_unref (body);
  } else if (count > server->limits.max_header_count) {
    status = STATUS_REQUEST_HEADER_FIELDS_TOO_LARGE;
    reason = g_strdup_printf ("Request Header Fields Too Large: %u header "
        "lines, at most %u", count, server->limits.max_header_count);
  } else if (soup_message_headers_get_encoding (headers) ==
      SOUP_ENCODING_CONTENT_LENGTH
      && (guint64) soup_message_headers_get_content_length (headers) >
      conn->body_limit) {
    status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
    reason = g_strdup_printf ("the body of %" G_GINT64_FORMAT " bytes is "
        "larger than the %" G_GUINT64_FORMAT " bytes %s accepts",
        (gint64) soup_message_headers_get_content_length (headers),
        conn->body_limit, path);
  }
  if (reason != NULL) {
    /* nothing of the body is kept while the answer goes out */
    soup_message_body_set_accumulate (soup_server_message_get_request_body
        (msg), FALSE);
    conn_refuse (conn, msg, status, reason);
    g_free (reason);
  }
}

/* a chunked body has no announced size: a running count */
static void
on_got_chunk (SoupServerMessage * msg, GBytes * chunk, LpServer * server)
{
  Conn *conn = conn_of (server, msg);
  gchar *reason;

  if (conn == NULL || conn->linger != NULL)
    return;
  conn->deadline = idle_deadline (server);
  conn->body_bytes += g_bytes_get_size (chunk);
  if (conn->body_bytes <= conn->body_limit)
    return;
  reason = g_strdup_printf ("the body is larger than the %" G_GUINT64_FORMAT
      " bytes accepted", conn->body_limit);
  soup_message_body_set_accumulate (soup_server_message_get_request_body
      (msg), FALSE);
  conn_refuse (conn, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, reason);
  g_free (reason);
}

/* the handler has the request: its own deadlines apply */
static void
on_got_body (SoupServerMessage * msg, LpServer * server)
{
  Conn *conn = conn_of (server, msg);

  if (conn != NULL && conn->linger == NULL)
    conn->deadline = 0;
}

/* an answer going out must make progress */
static void
on_wrote (SoupServerMessage * msg, LpServer * server)
{
  Conn *conn = conn_of (server, msg);

  if (conn != NULL && conn->linger == NULL) {
    conn->answering = TRUE;
    conn->deadline = idle_deadline (server);
  }
}

static void
on_wrote_data (SoupServerMessage * msg, guint size, LpServer * server)
{
  on_wrote (msg, server);
}

/* Headers sent ahead of a chunked body (lporchestrator answers a
 * go-livepeer segment with 200 before transcoding it): until the body
 * comes the wait is ours, not the client's, and the handler's deadline
 * bounds it; the body's writes must then make progress (on_wrote_data). */
static void
on_wrote_headers (SoupServerMessage * msg, LpServer * server)
{
  Conn *conn = conn_of (server, msg);
  SoupMessageHeaders *headers =
      soup_server_message_get_response_headers (msg);

  on_wrote (msg, server);
  if (conn != NULL && conn->linger == NULL
      && soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    conn->deadline = 0;
}

static void
on_request_started (SoupServer * soup, SoupServerMessage * msg,
    LpServer * server)
{
  Conn *conn = conn_of (server, msg);

  if (conn == NULL || conn->linger != NULL)
    return;
  lp_guard_input_new_request (conn->stream->input);
  conn->answering = FALSE;
  /* the whole header block must arrive within the idle timeout */
  conn->deadline = idle_deadline (server);
  conn->idle_since = g_get_monotonic_time ();
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), server);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), server);
  g_signal_connect (msg, "got-body", G_CALLBACK (on_got_body), server);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_wrote_headers),
      server);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_wrote_data),
      server);
}

static void
on_request_done (SoupServer * soup, SoupServerMessage * msg,
    LpServer * server)
{
  Conn *conn = conn_of (server, msg);

  if (conn == NULL || conn->linger != NULL)
    return;
  conn->deadline = idle_deadline (server);
  conn->idle_since = g_get_monotonic_time ();
}

/**
 * lp_server_new:
 * @soup: (transfer none): the server that speaks HTTP on the connections
 * @limits: (transfer none): the limits of every connection
 *
 * Wraps @soup; call lp_server_listen() to start serving. Runs in the
 * thread-default main context of the caller, as @soup does.
 *
 * Returns: (transfer full): a server; free with lp_server_free() in that
 *     context's thread (or once it runs no more)
 */
LpServer *
lp_server_new (SoupServer * soup, const LpServerLimits * limits)
{
  LpServer *server = g_new0 (LpServer, 1);
  guint period_ms;

  server->soup = g_object_ref (soup);
  server->limits = *limits;
  server->context = g_main_context_ref_thread_default ();
  server->body_limits = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, g_free);
  server->conns = g_hash_table_new (g_str_hash, g_str_equal);
  server->signal_ids[0] = g_signal_connect (soup, "request-started",
      G_CALLBACK (on_request_started), server);
  server->signal_ids[1] = g_signal_connect (soup, "request-finished",
      G_CALLBACK (on_request_done), server);
  server->signal_ids[2] = g_signal_connect (soup, "request-aborted",
      G_CALLBACK (on_request_done), server);
  /* deadlines are kept to within a quarter of the idle timeout */
  period_ms = CLAMP (limits->idle_timeout_ms / 4, 20, 1000);
  server->sweep = g_timeout_source_new (period_ms);
  g_source_set_callback (server->sweep, sweep, server, NULL);
  g_source_attach (server->sweep, server->context);
  return server;
}

/**
 * lp_server_set_body_limit:
 * @server: a server
 * @path: a request path, exactly
 * @limit: the largest body a request to @path may have, bytes
 *
 * A body limit of @path's own instead of the default one.
 */
void
lp_server_set_body_limit (LpServer * server, const gchar * path,
    guint64 limit)
{
  g_hash_table_insert (server->body_limits, g_strdup (path),
      g_memdup2 (&limit, sizeof (limit)));
}

/**
 * lp_server_serve_h2:
 * @server: a server, not listening yet
 * @h2: (transfer none): the HTTP/2 server for HTTP/2 connections; it must
 *     run in @server's context and outlive it
 * @certificate: (transfer none) (nullable): the certificate for TLS; %NULL
 *     serves cleartext only
 *
 * Serves gRPC and HTTP on one port, as go-livepeer does: each connection's
 * first bytes are looked at. A TLS ClientHello gets TLS with @certificate,
 * then ALPN "h2" goes to @h2 and "http/1.1" to libsoup; the cleartext
 * HTTP/2 preface goes to @h2 (h2c); anything else to libsoup. The cap on
 * connections, and the deadline for the first request (or the TLS
 * handshake), hold for all of them.
 */
void
lp_server_serve_h2 (LpServer * server, LpH2Server * h2,
    GTlsCertificate * certificate)
{
  server->h2 = h2;
  g_clear_object (&server->certificate);
  if (certificate != NULL)
    server->certificate = g_object_ref (certificate);
}

/**
 * lp_server_listen:
 * @server: a server
 * @address: the address to listen on
 * @port: the port; 0 picks a free one
 * @bound_port: (out): the port bound
 * @error: (nullable): return location for a #GError
 *
 * Binds and starts accepting, with a deep backlog (SOMAXCONN: a burst of
 * broadcasters connecting at once waits there rather than being reset).
 *
 * Returns: %TRUE on success
 */
gboolean
lp_server_listen (LpServer * server, GInetAddress * address, guint port,
    guint * bound_port, GError ** error)
{
  GSocketAddress *bind_address = g_inet_socket_address_new (address, port);
  GSocketAddress *local = NULL;
  GSocket *socket = g_socket_new (g_inet_address_get_family (address),
      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  gboolean ok = socket != NULL;

  if (ok) {
    g_socket_set_blocking (socket, FALSE);
    g_socket_set_listen_backlog (socket, SOMAXCONN);
    ok = g_socket_bind (socket, bind_address, TRUE, error)
        && g_socket_listen (socket, error)
        && (local = g_socket_get_local_address (socket, error)) != NULL;
  }
  g_object_unref (bind_address);
  if (!ok) {
    g_clear_object (&socket);
    return FALSE;
  }
  *bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS
      (local));
  g_object_unref (local);
  server->listener = socket;
  start_accepting (server);
  return TRUE;
}

/**
 * lp_server_get_n_connections:
 * @server: a server
 *
 * Returns: the connections open now (draining ones included)
 */
guint
lp_server_get_n_connections (LpServer * server)
{
  return g_hash_table_size (server->conns);
}

/**
 * lp_server_free:
 * @server: (transfer full): a server
 *
 * Stops accepting and closes every connection.
 */
void
lp_server_free (LpServer * server)
{
  GList *conns, *l;
  guint i;

  if (server->retry_source != NULL) {
    g_source_destroy (server->retry_source);
    g_source_unref (server->retry_source);
  }
  server->retry_source = NULL;
  stop_accepting (server);
  if (server->listener != NULL) {
    g_socket_close (server->listener, NULL);
    g_clear_object (&server->listener);
  }
  conns = g_hash_table_get_values (server->conns);
  for (l = conns; l != NULL; l = l->next)
    conn_close (l->data);
  g_list_free (conns);
  g_source_destroy (server->sweep);
  g_source_unref (server->sweep);
  for (i = 0; i < G_N_ELEMENTS (server->signal_ids); i++)
    g_signal_handler_disconnect (server->soup, server->signal_ids[i]);
  g_object_unref (server->soup);
  g_clear_object (&server->certificate);
  g_hash_table_unref (server->conns);
  g_hash_table_unref (server->body_limits);
  g_main_context_unref (server->context);
  g_free (server);
}

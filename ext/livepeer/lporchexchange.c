/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * LpExchange (lporchexchange.h): a request and its answer over HTTP/1.1
 * (libsoup) or HTTP/2 (LpH2Request). Each function does the one thing
 * both transports mean by it: the differences (libsoup pauses a message
 * answered later and may lose its client; HTTP/2 drops an answer to a
 * stream its client reset) stay here.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lporchexchange.h"

struct _LpExchange
{
  gint ref_count;
  /* exactly one of the two */
  SoupServerMessage *msg;
  LpH2Request *request;
  gulong finished_id;
  gboolean finished;            /* libsoup is done with @msg: answer nothing */
  gboolean deferred;            /* @msg is paused */
  gchar *content_type;          /* HTTP/2: the media type, parameters cut */
};

static void
on_message_finished (SoupServerMessage * msg, LpExchange * exchange)
{
  exchange->finished = TRUE;
}

/** Returns: (transfer full): an exchange over @msg (a ref is taken) */
LpExchange *
lp_exchange_new_soup (SoupServerMessage * msg)
{
  LpExchange *exchange = g_new0 (LpExchange, 1);

  exchange->ref_count = 1;
  exchange->msg = g_object_ref (msg);
  exchange->finished_id = g_signal_connect (msg, "finished",
      G_CALLBACK (on_message_finished), exchange);
  return exchange;
}

/** Returns: (transfer full): an exchange over @request (a ref is taken) */
LpExchange *
lp_exchange_new_h2 (LpH2Request * request)
{
  LpExchange *exchange = g_new0 (LpExchange, 1);

  exchange->ref_count = 1;
  exchange->request = lp_h2_request_ref (request);
  return exchange;
}

LpExchange *
lp_exchange_ref (LpExchange * exchange)
{
  g_atomic_int_inc (&exchange->ref_count);
  return exchange;
}

void
lp_exchange_unref (LpExchange * exchange)
{
  if (!g_atomic_int_dec_and_test (&exchange->ref_count))
    return;
  if (exchange->msg != NULL) {
    g_signal_handler_disconnect (exchange->msg, exchange->finished_id);
    g_object_unref (exchange->msg);
  }
  if (exchange->request != NULL)
    lp_h2_request_unref (exchange->request);
  g_free (exchange->content_type);
  g_free (exchange);
}

const gchar *
lp_exchange_get_method (LpExchange * exchange)
{
  if (exchange->msg != NULL)
    return soup_server_message_get_method (exchange->msg);
  return lp_h2_request_get_method (exchange->request);
}

/** Returns: the path, without the query */
const gchar *
lp_exchange_get_path (LpExchange * exchange)
{
  if (exchange->msg != NULL)
    return g_uri_get_path (soup_server_message_get_uri (exchange->msg));
  return lp_h2_request_get_path (exchange->request);
}

/** Returns: (nullable): the first value of header @name (any case) */
const gchar *
lp_exchange_get_header (LpExchange * exchange, const gchar * name)
{
  if (exchange->msg != NULL)
    return soup_message_headers_get_one
        (soup_server_message_get_request_headers (exchange->msg), name);
  return lp_h2_request_get_header (exchange->request, name);
}

/** Returns: (nullable): the Content-Type's media type, its parameters cut */
const gchar *
lp_exchange_get_content_type (LpExchange * exchange)
{
  const gchar *value, *end;

  if (exchange->msg != NULL)
    return soup_message_headers_get_content_type
        (soup_server_message_get_request_headers (exchange->msg), NULL);
  value = lp_h2_request_get_header (exchange->request, "content-type");
  if (value == NULL)
    return NULL;
  if (exchange->content_type == NULL) {
    end = strchr (value, ';');
    exchange->content_type = g_strstrip (g_strndup (value,
            end ? (gsize) (end - value) : strlen (value)));
  }
  return exchange->content_type;
}

/**
 * lp_exchange_get_body:
 *
 * Returns: (transfer full) (nullable): the request body; %NULL when it was
 *     over the transport's bound (HTTP/2: the path's limit, the request
 *     handed over before its body was read; HTTP/1.1 refuses those
 *     before any handler, lpserver.c)
 */
GBytes *
lp_exchange_get_body (LpExchange * exchange)
{
  if (exchange->msg != NULL)
    return soup_message_body_flatten (soup_server_message_get_request_body
        (exchange->msg));
  return lp_h2_request_get_body (exchange->request);
}

static void
soup_resume (LpExchange * exchange)
{
  if (exchange->deferred)
    soup_server_message_unpause (exchange->msg);
  exchange->deferred = FALSE;
}

/**
 * lp_exchange_respond:
 * @content_type: the answer's Content-Type
 * @body: (nullable): the answer's body (%NULL: none); not sent to HEAD
 *
 * Answers, once: now, or later after lp_exchange_defer(). An answer to a
 * client that has gone is dropped.
 */
void
lp_exchange_respond (LpExchange * exchange, guint status,
    const gchar * content_type, GBytes * body)
{
  gsize size = body ? g_bytes_get_size (body) : 0;

  if (exchange->msg != NULL) {
    SoupMessageBody *out;

    if (exchange->finished)
      return;
    /* soup_server_message_set_response() without its copy of @body */
    out = soup_server_message_get_response_body (exchange->msg);
    soup_server_message_set_status (exchange->msg, status, NULL);
    soup_message_headers_replace (soup_server_message_get_response_headers
        (exchange->msg), "Content-Type", content_type);
    soup_message_body_truncate (out);
    if (body != NULL)
      soup_message_body_append_bytes (out, body);
    soup_resume (exchange);
  } else {
    gchar *length = g_strdup_printf ("%" G_GSIZE_FORMAT, size);
    const gchar *const headers[] = { "content-type", content_type,
      "content-length", length, NULL
    };
    GBytes *empty = g_bytes_new (NULL, 0);
    gboolean head = g_strcmp0 (lp_h2_request_get_method (exchange->request),
        "HEAD") == 0;

    lp_h2_request_respond (exchange->request, status, headers,
        body != NULL && !head ? body : empty, NULL);
    g_bytes_unref (empty);
    g_free (length);
  }
}

/** An error or a short answer: @status and text a person can read */
void
lp_exchange_respond_text (LpExchange * exchange, guint status,
    const gchar * format, ...)
{
  va_list args;
  gchar *text;
  GBytes *body;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  body = g_bytes_new_take (text, strlen (text));
  lp_exchange_respond (exchange, status, "text/plain; charset=utf-8", body);
  g_bytes_unref (body);
}

/**
 * lp_exchange_defer:
 *
 * The answer comes later (lp_exchange_respond() after the handler
 * returned): libsoup must not send one when the handler returns.
 */
void
lp_exchange_defer (LpExchange * exchange)
{
  if (exchange->msg != NULL && !exchange->finished && !exchange->deferred) {
    soup_server_message_pause (exchange->msg);
    exchange->deferred = TRUE;
  }
}

/**
 * lp_exchange_respond_head:
 *
 * Sends @status and the headers now, the body to follow
 * (lp_exchange_respond_body()): HTTP/1.1 chunked, HTTP/2 DATA frames.
 */
void
lp_exchange_respond_head (LpExchange * exchange, guint status,
    const gchar * content_type)
{
  if (exchange->msg != NULL) {
    SoupMessageHeaders *headers =
        soup_server_message_get_response_headers (exchange->msg);

    if (exchange->finished)
      return;
    soup_server_message_set_status (exchange->msg, status, NULL);
    soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
    soup_message_headers_set_content_type (headers, content_type, NULL);
  } else {
    const gchar *const headers[] = { "content-type", content_type, NULL };

    lp_h2_request_respond_head (exchange->request, status, headers);
  }
}

/** The body after lp_exchange_respond_head(), which ends the answer */
void
lp_exchange_respond_body (LpExchange * exchange, GBytes * body)
{
  if (exchange->msg != NULL) {
    SoupMessageBody *out;

    if (exchange->finished)
      return;
    out = soup_server_message_get_response_body (exchange->msg);
    soup_message_body_append_bytes (out, body);
    soup_message_body_complete (out);
    /* libsoup waits for chunks as for an unpause */
    soup_server_message_unpause (exchange->msg);
    exchange->deferred = FALSE;
  } else {
    lp_h2_request_respond_body (exchange->request, body);
  }
}

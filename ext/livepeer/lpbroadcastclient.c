/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The broadcaster's HTTP client declared in lpbroadcastclient.h, on
 * libsoup 3. Each call runs its exchange in the client's own GMainContext,
 * iterated on the caller's thread, with a deadline and the caller's
 * cancellable both cancelling it, and every answer body read under a size
 * cap.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/livepeer/lph2client.h>
#include <gst/livepeer/lpwire-proto.h>

#include "lpbroadcastclient.h"

/* what one error body may contribute to a message */
#define MAX_REASON_LENGTH 512
/* an answer is read this much at a time */
#define READ_CHUNK_SIZE (64 * 1024)

G_DEFINE_QUARK (lp-broadcast-error-quark, lp_broadcast_error);

struct _LpBroadcastClient
{
  GMainContext *context;
  SoupSession *http;
};

/**
 * lp_broadcast_client_new:
 *
 * Returns: (transfer full): a client for the calling thread's requests;
 *     free it with lp_broadcast_client_free() in the same thread
 */
LpBroadcastClient *
lp_broadcast_client_new (void)
{
  LpBroadcastClient *client = g_new0 (LpBroadcastClient, 1);

  client->context = g_main_context_new ();
  /* the session's I/O runs in the context it was made in: ours, which no
   * other thread iterates. No idle timeout: each call has a deadline of
   * its own, over the whole exchange, which an idle timeout is not (an
   * answer trickled a byte at a time is never idle). */
  g_main_context_push_thread_default (client->context);
  client->http = soup_session_new_with_options ("timeout", 0,
      "user-agent", "gst-livepeer/" PACKAGE_VERSION, NULL);
  g_main_context_pop_thread_default (client->context);
  return client;
}

/**
 * lp_broadcast_client_free:
 * @client: (transfer full) (nullable): a client
 */
void
lp_broadcast_client_free (LpBroadcastClient * client)
{
  if (client == NULL)
    return;
  g_main_context_push_thread_default (client->context);
  g_object_unref (client->http);
  while (g_main_context_iteration (client->context, FALSE));
  g_main_context_pop_thread_default (client->context);
  g_main_context_unref (client->context);
  g_free (client);
}

/* One exchange, run in the client's context: the caller's cancellable
 * and the deadline both cancel ours, so that each step ends at the
 * deadline whatever the peer does. */
typedef struct
{
  LpBroadcastClient *client;
  GCancellable *cancellable;
  GCancellable *outer;
  gulong outer_id;
  GSource *timer;
  guint timeout_ms;
  gboolean timed_out;
  GAsyncResult *result;         /* of the step that just ended */
} Call;

static gboolean
on_deadline (gpointer data)
{
  Call *call = data;

  call->timed_out = TRUE;
  g_cancellable_cancel (call->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_outer_cancelled (GCancellable * outer, gpointer data)
{
  g_cancellable_cancel (data);
}

static void
call_begin (Call * call, LpBroadcastClient * client, guint timeout_ms,
    GCancellable * cancellable)
{
  memset (call, 0, sizeof (*call));
  call->client = client;
  call->timeout_ms = timeout_ms;
  call->cancellable = g_cancellable_new ();
  g_main_context_push_thread_default (client->context);
  call->timer = g_timeout_source_new (timeout_ms);
  g_source_set_callback (call->timer, on_deadline, call, NULL);
  g_source_attach (call->timer, client->context);
  if (cancellable != NULL) {
    call->outer = g_object_ref (cancellable);
    call->outer_id = g_cancellable_connect (cancellable,
        G_CALLBACK (on_outer_cancelled), call->cancellable, NULL);
  }
}

/* Ends @call; a step cut by the deadline turns into a timeout error that
 * says so. */
static void
call_end (Call * call, GError ** error)
{
  g_source_destroy (call->timer);
  g_source_unref (call->timer);
  if (call->outer != NULL) {
    g_cancellable_disconnect (call->outer, call->outer_id);
    g_object_unref (call->outer);
  }
  g_clear_object (&call->result);
  /* what the cancelled I/O left behind (a connection to close) */
  while (g_main_context_iteration (call->client->context, FALSE));
  g_main_context_pop_thread_default (call->client->context);
  g_object_unref (call->cancellable);
  if (call->timed_out && error != NULL && *error != NULL
      && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_clear_error (error);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
        "no complete answer within %u ms", call->timeout_ms);
  }
}

static void
on_step_done (GObject * source, GAsyncResult * result, gpointer data)
{
  Call *call = data;

  call->result = g_object_ref (result);
}

/* Before an asynchronous step whose callback is on_step_done */
static void
step_begin (Call * call)
{
  g_clear_object (&call->result);
}

/* Iterates the client's context until the step ends */
static GAsyncResult *
step_wait (Call * call)
{
  while (call->result == NULL)
    g_main_context_iteration (call->client->context, TRUE);
  return call->result;
}

/* The answer's body, at most @limit bytes. With @truncate, a longer one
 * is cut at @limit (a reason needs no more); otherwise it is an error.
 * Sets @complete when the body was read to its end. */
static GBytes *
read_body (Call * call, SoupMessage * msg, GInputStream * stream, gsize limit,
    gboolean truncate, gboolean * complete, GError ** error)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  GByteArray *buffer;
  goffset declared = -1;

  /* what a GByteArray can hold */
  limit = MIN (limit, G_MAXUINT - READ_CHUNK_SIZE);
  *complete = FALSE;
  if (soup_message_headers_get_encoding (headers) ==
      SOUP_ENCODING_CONTENT_LENGTH)
    declared = soup_message_headers_get_content_length (headers);
  if (!truncate && declared > (goffset) limit) {
    g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_TOO_LARGE,
        "the answer declares %" G_GOFFSET_FORMAT " bytes, more than the %"
        G_GSIZE_FORMAT " accepted", declared, limit);
    return NULL;
  }
  buffer = g_byte_array_sized_new (declared >= 0 ? (guint) MIN (declared,
          (goffset) limit) : (guint) MIN (limit, READ_CHUNK_SIZE));
  for (;;) {
    /* one byte over the limit tells a body that is too long */
    gsize len = buffer->len, want = limit - len < READ_CHUNK_SIZE ?
        limit - len + 1 : READ_CHUNK_SIZE;
    gssize n;

    g_byte_array_set_size (buffer, len + want);
    step_begin (call);
    g_input_stream_read_async (stream, buffer->data + len, want,
        G_PRIORITY_DEFAULT, call->cancellable, on_step_done, call);
    n = g_input_stream_read_finish (stream, step_wait (call), error);
    g_byte_array_set_size (buffer, len + MAX (n, 0));
    if (n < 0) {
      g_byte_array_unref (buffer);
      return NULL;
    }
    if (n == 0) {
      *complete = TRUE;
      break;
    }
    if (buffer->len <= limit)
      continue;
    if (truncate) {
      g_byte_array_set_size (buffer, limit);
      break;
    }
    g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_TOO_LARGE,
        "the answer is larger than the %" G_GSIZE_FORMAT " bytes accepted",
        limit);
    g_byte_array_unref (buffer);
    return NULL;
  }
  return g_byte_array_free_to_bytes (buffer);
}

/* A body not read to its end is not drained (it may never end): the
 * request is cancelled first, which drops its connection. */
static void
close_body (Call * call, GInputStream * stream, gboolean complete)
{
  if (!complete)
    g_cancellable_cancel (call->cancellable);
  step_begin (call);
  g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, call->cancellable,
      on_step_done, call);
  g_input_stream_close_finish (stream, step_wait (call), NULL);
}

/* POSTs @body to @uri and reads the answer: within @timeout_ms in all,
 * at most @max_size bytes of a 200 answer and LP_BROADCAST_MAX_REASON_SIZE
 * of any other. Returns the answer's body and sets @out_msg. */
static GBytes *
exchange (LpBroadcastClient * client, const gchar * method, const gchar * uri,
    const gchar * content_type, GBytes * body, const gchar * segment_header,
    const gchar * payment_header, guint timeout_ms, gsize max_size,
    GCancellable * cancellable, SoupMessage ** out_msg, gint64 * upload_us,
    GError ** error)
{
  SoupMessage *msg = soup_message_new (method, uri);
  SoupMessageHeaders *headers;
  GInputStream *stream;
  GBytes *answer = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean complete = FALSE;
  Call call;

  if (msg == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "%s is not an HTTP URI", uri);
    return NULL;
  }
  headers = soup_message_get_request_headers (msg);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  if (segment_header != NULL)
    soup_message_headers_replace (headers, "Livepeer-Segment",
        segment_header);
  if (payment_header != NULL)
    soup_message_headers_replace (headers, "Livepeer-Payment",
        payment_header);
  call_begin (&call, client, timeout_ms, cancellable);
  step_begin (&call);
  soup_session_send_async (client->http, msg, G_PRIORITY_DEFAULT,
      call.cancellable, on_step_done, &call);
  stream = soup_session_send_finish (client->http, step_wait (&call), error);
  if (stream != NULL) {
    if (upload_us != NULL)
      *upload_us = g_get_monotonic_time () - start;
    if (soup_message_get_status (msg) == SOUP_STATUS_OK)
      answer = read_body (&call, msg, stream, max_size, FALSE, &complete,
          error);
    else
      answer = read_body (&call, msg, stream, LP_BROADCAST_MAX_REASON_SIZE,
          TRUE, &complete, error);
    close_body (&call, stream, complete);
    g_object_unref (stream);
  }
  call_end (&call, error);
  if (answer == NULL) {
    g_prefix_error (error, "%s: ", uri);
    g_object_unref (msg);
    return NULL;
  }
  *out_msg = msg;
  return answer;
}

static GBytes *
post (LpBroadcastClient * client, const gchar * uri,
    const gchar * content_type, GBytes * body, const gchar * segment_header,
    const gchar * payment_header, guint timeout_ms, gsize max_size,
    GCancellable * cancellable, SoupMessage ** out_msg, gint64 * upload_us,
    GError ** error)
{
  return exchange (client, SOUP_METHOD_POST, uri, content_type, body,
      segment_header, payment_header, timeout_ms, max_size, cancellable,
      out_msg, upload_us, error);
}

/* The body of an error answer, trimmed, as a reason a person can read. */
static gchar *
reason_text (GBytes * body)
{
  gsize size = 0;
  const gchar *data = body ? g_bytes_get_data (body, &size) : NULL;
  gchar *text;

  if (data == NULL || size == 0)
    return g_strdup ("(no reason given)");
  text = g_utf8_make_valid (data, MIN (size, MAX_REASON_LENGTH));
  return g_strstrip (text);
}

/* go-livepeer's refusal of a new session at capacity */
static gboolean
is_capacity_refusal (const gchar * reason)
{
  return g_str_has_prefix (reason, "OrchestratorCapped");
}

/* FALSE, with the error as the broadcaster sorts it, when @result carries
 * the orchestrator's error rather than renditions */
static gboolean
check_result_error (const LpTranscodeResult * result, GError ** error)
{
  if (result->error == NULL)
    return TRUE;
  g_set_error (error, LP_BROADCAST_ERROR, is_capacity_refusal (result->error)
      ? LP_BROADCAST_ERROR_CAPPED : LP_BROADCAST_ERROR_TRANSCODE, "%s",
      result->error);
  return FALSE;
}

static gboolean
check_status_code (guint status, const gchar * uri, GBytes * answer,
    GError ** error)
{
  gchar *reason;

  if (status == SOUP_STATUS_OK)
    return TRUE;
  reason = reason_text (answer);
  g_set_error (error, LP_BROADCAST_ERROR, status == SOUP_STATUS_FORBIDDEN
      && is_capacity_refusal (reason) ? LP_BROADCAST_ERROR_CAPPED :
      LP_BROADCAST_ERROR_STATUS, "%s answered %u: %s", uri, status, reason);
  g_free (reason);
  return FALSE;
}

/**
 * lp_segment_response_free:
 * @response: (transfer full) (nullable): a response
 */
void
lp_segment_response_free (LpSegmentResponse * response)
{
  if (response == NULL)
    return;
  if (response->result != NULL)
    lp_transcode_result_free (response->result);
  if (response->renditions != NULL)
    g_ptr_array_unref (response->renditions);
  g_free (response);
}

/* ------------------------------------------------------------------------ */
/* go-livepeer's protobuf dialect (docs/design/transport.md)                */
/* ------------------------------------------------------------------------ */

/* go-livepeer's refusal of a new session at capacity over gRPC: UNKNOWN,
 * "Invalid orchestrator request (OrchestratorCapped)"; made the
 * %LP_BROADCAST_ERROR_CAPPED a 403 OrchestratorCapped gives */
static void
capped_refusal_from_grpc (GError ** error)
{
  if (error != NULL && *error != NULL && (*error)->domain == LP_GRPC_ERROR
      && strstr ((*error)->message, "(OrchestratorCapped)") != NULL) {
    (*error)->domain = LP_BROADCAST_ERROR;
    (*error)->code = LP_BROADCAST_ERROR_CAPPED;
  }
}

/* Asks for @job as go-livepeer's AI gateway asks for a pipeline: its bit
 * in @caps, beside the transcoding bits, and its model in
 * constraints.PerCapability[id].models */
static void
ask_for_job (LpProtoCapabilities * caps, const LpCapability * job)
{
  LpProtoCapabilityConstraints *per = lp_proto_capability_constraints_new ();
  guint64 zero = 0;

  while (caps->bitstring->len <= job->id / 64)
    g_array_append_val (caps->bitstring, zero);
  g_array_index (caps->bitstring, guint64, job->id / 64) |=
      G_GUINT64_CONSTANT (1) << (job->id % 64);
  lp_proto_capability_constraints_take_model (per, job->model_id,
      lp_proto_model_constraint_new ());
  if (caps->constraints == NULL)
    caps->constraints = lp_proto_constraints_new ();
  lp_proto_constraints_take_capability (caps->constraints, job->id, per);
}

/* Whether @p advertises @job: its bit, and its model among the
 * constraints of its id */
static gboolean
advertises_job (const LpProtoOrchestratorInfo * p, const LpCapability * job)
{
  const LpProtoCapabilities *caps = p->capabilities;
  LpProtoCapabilityConstraints *per;

  if (caps == NULL || caps->bitstring->len <= job->id / 64
      || !(g_array_index (caps->bitstring, guint64, job->id / 64)
          >> (job->id % 64) & 1) || caps->constraints == NULL)
    return FALSE;
  per = g_hash_table_lookup (caps->constraints->per_capability,
      GUINT_TO_POINTER (job->id));
  return per != NULL && g_hash_table_contains (per->models, job->model_id);
}

/**
 * lp_broadcast_seg_data_to_header:
 * @seg: (transfer none): the segment's data, signed
 * @job: (nullable): the capability job asked for, %NULL for transcoding
 *
 * The Livepeer-Segment value in go-livepeer's dialect: base64 of the
 * protobuf SegData, which asks for @job as ask_for_job() does.
 *
 * Returns: (transfer full): the header value
 */
gchar *
lp_broadcast_seg_data_to_header (const LpSegData * seg,
    const LpCapability * job)
{
  g_autoptr (LpProtoSegData) p = NULL;
  g_autoptr (GBytes) bytes = NULL;

  if (job == NULL)
    return lp_wire_seg_data_to_proto_header (seg);
  p = lp_wire_seg_data_to_proto (seg);
  ask_for_job (p->capabilities, job);
  bytes = lp_proto_seg_data_encode (p);
  return g_base64_encode (g_bytes_get_data (bytes, NULL),
      g_bytes_get_size (bytes));
}

/**
 * lp_broadcast_discover_grpc:
 * @client: (transfer none): the client to use
 * @uri: the orchestrator's base URI (`https://` for TLS, `http://` for
 *     cleartext h2c)
 * @key: (transfer none): the broadcaster's key, which signs the request
 * @job: (nullable): the capability job asked for (its id and model), %NULL
 *     for transcoding
 * @timeout_ms: the whole call's deadline, milliseconds (> 0)
 * @cancellable: (nullable): cancels the call
 * @error: (nullable): return location for a #GError
 *
 * go-livepeer's discovery: the gRPC call `net.Orchestrator/GetOrchestrator`
 * with a signed OrchestratorRequest for transcoding, or for @job (whose
 * answer must advertise it with its model, and is priced for it); an
 * answer over
 * %LP_BROADCAST_MAX_INFO_SIZE is refused. A refusal by a gRPC server is an
 * %LP_GRPC_ERROR (or %LP_BROADCAST_ERROR_CAPPED for OrchestratorCapped); a
 * peer that does not speak gRPC gives an %LP_H2_ERROR or a transport
 * error.
 *
 * Returns: (transfer full) (nullable): the orchestrator's answer
 */
LpOrchestratorInfo *
lp_broadcast_discover_grpc (LpBroadcastClient * client, const gchar * uri,
    LpPrivateKey * key, const LpCapability * job, guint timeout_ms,
    GCancellable * cancellable, GError ** error)
{
  g_autoptr (LpOrchestratorRequest) request = lp_orchestrator_request_new ();
  g_autoptr (LpProtoOrchestratorRequest) p = NULL;
  g_autoptr (LpProtoOrchestratorInfo) answer_p = NULL;
  g_autoptr (GBytes) message = NULL, answer = NULL;
  LpH2ClientOptions options = { timeout_ms, LP_BROADCAST_MAX_INFO_SIZE,
    LP_H2_CLIENT_NONE
  };
  gchar address[LP_ADDRESS_TEXT_SIZE];
  LpOrchestratorInfo *info;

  (void) client;                /* lp_grpc_call runs on a context of its own */
  request->address = *lp_private_key_get_address (key);
  lp_address_format (&request->address, address);
  if (!lp_sign_message (key, (const guint8 *) address, strlen (address),
          request->sig, error))
    return NULL;
  p = lp_wire_orchestrator_request_to_proto (request);
  if (job != NULL)
    ask_for_job (p->capabilities, job);
  message = lp_proto_orchestrator_request_encode (p);
  answer = lp_grpc_call (uri, "/net.Orchestrator/GetOrchestrator", message,
      &options, cancellable, error);
  if (answer == NULL) {
    capped_refusal_from_grpc (error);
    g_prefix_error (error, "%s: GetOrchestrator: ", uri);
    return NULL;
  }
  answer_p = lp_proto_orchestrator_info_decode (g_bytes_get_data (answer,
          NULL), g_bytes_get_size (answer), error);
  if (answer_p != NULL && job != NULL && !advertises_job (answer_p, job)) {
    g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_BAD_RESPONSE,
        "%s does not advertise capability %s (id %u) with model %s", uri,
        job->name, job->id, job->model_id);
    return NULL;
  }
  info = answer_p != NULL ? lp_wire_orchestrator_info_from_proto (answer_p,
      error) : NULL;
  if (info == NULL) {
    g_prefix_error (error, "%s: OrchestratorInfo: ", uri);
    if (error != NULL && *error != NULL
        && (*error)->domain != LP_BROADCAST_ERROR) {
      /* the answer of a gRPC server that is not what the protocol says */
      (*error)->domain = LP_BROADCAST_ERROR;
      (*error)->code = LP_BROADCAST_ERROR_BAD_RESPONSE;
    }
  }
  return info;
}

/**
 * lp_broadcast_end_session_grpc:
 * @client: (transfer none): the client to use
 * @uri: the orchestrator's base URI
 * @token: the auth token of the session to end
 * @timeout_ms: the whole call's deadline, milliseconds (> 0)
 * @error: (nullable): return location for a #GError
 *
 * go-livepeer's `net.Orchestrator/EndTranscodingSession` with @token: the
 * orchestrator frees the session's capacity.
 *
 * Returns: %TRUE when the orchestrator took it
 */
gboolean
lp_broadcast_end_session_grpc (LpBroadcastClient * client, const gchar * uri,
    const LpAuthToken * token, guint timeout_ms, GError ** error)
{
  g_autoptr (LpProtoEndTranscodingSessionRequest) p =
      lp_proto_end_transcoding_session_request_new ();
  g_autoptr (GBytes) message = NULL, answer = NULL;
  LpH2ClientOptions options = { MAX (timeout_ms, 1),
    LP_BROADCAST_MAX_REASON_SIZE, LP_H2_CLIENT_NONE
  };

  (void) client;                /* lp_grpc_call runs on a context of its own */
  p->auth_token = lp_wire_auth_token_to_proto (token);
  message = lp_proto_end_transcoding_session_request_encode (p);
  answer = lp_grpc_call (uri, "/net.Orchestrator/EndTranscodingSession",
      message, &options, NULL, error);
  if (answer == NULL) {
    g_prefix_error (error, "%s: EndTranscodingSession: ", uri);
    return FALSE;
  }
  return TRUE;
}

/* milliseconds left before @deadline_us (monotonic); 0 when passed */
static guint
ms_left (gint64 deadline_us)
{
  gint64 left = deadline_us - g_get_monotonic_time ();

  return left > 0 ? (guint) MIN ((left + 999) / 1000, G_MAXUINT) : 0;
}

static gboolean
is_https (const gchar * uri)
{
  return g_ascii_strncasecmp (uri, "https://", 8) == 0;
}

/* One request over HTTP/2 (an https:// URI, as go-livepeer's broadcaster
 * does with ForceAttemptHTTP2): the answer's body, its status in
 * @status. Error answers are cut at LP_BROADCAST_MAX_REASON_SIZE by the
 * caller, not here: HTTP/2 reads the body whole within @max_size. */
static GBytes *
h2_request (const gchar * uri, const gchar * method,
    const gchar * const *headers, GBytes * body, guint timeout_ms,
    gsize max_size, GCancellable * cancellable, guint * status,
    GError ** error)
{
  LpH2ClientOptions options = { MAX (timeout_ms, 1), MAX (max_size, 1),
    LP_H2_CLIENT_NONE
  };
  g_autoptr (LpH2Response) response = NULL;

  response = lp_h2_client_request (uri, method, headers, body, &options,
      cancellable, error);
  if (response == NULL) {
    g_prefix_error (error, "%s: ", uri);
    return NULL;
  }
  *status = response->status;
  return g_bytes_ref (response->body);
}

/* One GET of a rendition, within @timeout_ms and @max_size */
static GBytes *
fetch_rendition (LpBroadcastClient * client, const gchar * url,
    guint timeout_ms, gsize max_size, GCancellable * cancellable,
    GError ** error)
{
  g_autoptr (GBytes) answer = NULL;
  SoupMessage *msg = NULL;
  guint status;

  if (is_https (url)) {
    answer = h2_request (url, "GET", NULL, NULL, timeout_ms, max_size,
        cancellable, &status, error);
  } else {
    answer = exchange (client, SOUP_METHOD_GET, url, NULL, NULL, NULL, NULL,
        timeout_ms, max_size, cancellable, &msg, NULL, error);
    status = msg != NULL ? soup_message_get_status (msg) : 0;
    g_clear_object (&msg);
  }
  if (answer == NULL || !check_status_code (status, url, answer, error))
    return NULL;
  return g_steal_pointer (&answer);
}

/* The renditions a protobuf result lists by URL (relative ones resolved
 * against @transcoder), fetched in order before @deadline_us, together
 * at most @max_size bytes */
static gboolean
fetch_renditions (LpBroadcastClient * client, const gchar * transcoder,
    LpSegmentResponse * response, gint64 deadline_us, gsize max_size,
    GCancellable * cancellable, GError ** error)
{
  guint i;

  for (i = 0; i < response->result->segments->len; i++) {
    const LpTranscodedSegment *s = &g_array_index (response->result->segments,
        LpTranscodedSegment, i);
    g_autofree gchar *url = NULL;
    GBytes *rendition;
    guint left = ms_left (deadline_us);

    if (s->url == NULL || s->url[0] == '\0') {
      g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_BAD_RESPONSE,
          "rendition %u of the result has no URL", i);
      return FALSE;
    }
    url = g_uri_resolve_relative (transcoder, s->url, G_URI_FLAGS_NONE,
        error);
    if (url == NULL)
      return FALSE;
    if (left == 0) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
          "the segment's deadline passed before rendition %u was fetched", i);
      return FALSE;
    }
    rendition = fetch_rendition (client, url, left, max_size, cancellable,
        error);
    if (rendition == NULL)
      return FALSE;
    max_size -= MIN (max_size, g_bytes_get_size (rendition));
    g_ptr_array_add (response->renditions, rendition);
  }
  return TRUE;
}

/* The TranscodeResult of a protobuf answer, its error sorted by
 * check_result_error() */
static gboolean
read_proto_result (GBytes * answer, guint n_profiles,
    LpSegmentResponse * response, GError ** error)
{
  response->result = lp_wire_transcode_result_from_proto_bytes (answer,
      error);
  if (response->result == NULL) {
    g_prefix_error (error, "TranscodeResult: ");
    if (error != NULL && *error != NULL) {
      (*error)->domain = LP_BROADCAST_ERROR;
      (*error)->code = LP_BROADCAST_ERROR_BAD_RESPONSE;
    }
    return FALSE;
  }
  if (!check_result_error (response->result, error))
    return FALSE;
  if (response->result->segments->len != n_profiles) {
    g_set_error (error, LP_BROADCAST_ERROR, LP_BROADCAST_ERROR_BAD_RESPONSE,
        "asked for %u renditions, the result lists %u", n_profiles,
        response->result->segments->len);
    return FALSE;
  }
  return TRUE;
}

/* POST /segment in the protobuf dialect: HTTP/2 to https://, HTTP/1.1 to
 * http://; the answer's status in @status */
static GBytes *
post_proto_segment (LpBroadcastClient * client, const gchar * endpoint,
    const gchar * segment_header, const gchar * payment_header,
    GBytes * body, guint timeout_ms, gsize max_size,
    GCancellable * cancellable, guint * status, GError ** error)
{
  const gchar *headers[] = { "content-type", "video/MP2T",
    "livepeer-segment", segment_header, "livepeer-payment", payment_header,
    NULL
  };
  SoupMessage *msg = NULL;
  GBytes *answer;

  if (payment_header == NULL)
    headers[4] = NULL;
  if (is_https (endpoint))
    return h2_request (endpoint, "POST", headers, body, timeout_ms,
        max_size, cancellable, status, error);
  answer = post (client, endpoint, "video/MP2T", body, segment_header,
      payment_header, timeout_ms, max_size, cancellable, &msg, NULL, error);
  *status = msg != NULL ? soup_message_get_status (msg) : 0;
  g_clear_object (&msg);
  return answer;
}

/**
 * lp_broadcast_submit_proto:
 * @client: (transfer none): the client to use
 * @transcoder: the `transcoder` URI of the orchestrator's info
 * @segment_header: the `Livepeer-Segment` value (base64 of protobuf)
 * @payment_header: (nullable): the `Livepeer-Payment` value (base64 of
 *     protobuf), %NULL for a free orchestrator
 * @body: (transfer none): the MPEG-TS segment
 * @n_profiles: how many renditions were asked for
 * @timeout_ms: the whole exchange's deadline (upload, transcoding, the
 *     result and every rendition fetched), milliseconds (> 0)
 * @max_size: the most bytes the result and the renditions may have
 *     together
 * @cancellable: (nullable): cancels the request
 * @error: (nullable): return location for a #GError
 *
 * go-livepeer's segment exchange: `POST {transcoder}/segment` (HTTP/2 to
 * an `https://` transcoder, HTTP/1.1 to an `http://` one), a protobuf
 * TranscodeResult back, then each rendition fetched from the URL it lists.
 * @response->upload_us is the time until the result was read.
 *
 * Returns: (transfer full) (nullable): the result and its renditions (a
 *     job's outputs, in the result's order); %NULL with
 *     %LP_BROADCAST_ERROR or a transport error (%G_IO_ERROR,
 *     %G_RESOLVER_ERROR, %G_TLS_ERROR, %LP_H2_ERROR)
 */
LpSegmentResponse *
lp_broadcast_submit_proto (LpBroadcastClient * client,
    const gchar * transcoder, const gchar * segment_header,
    const gchar * payment_header, GBytes * body, guint n_profiles,
    guint timeout_ms, gsize max_size, GCancellable * cancellable,
    GError ** error)
{
  g_autoptr (LpSegmentResponse) response = g_new0 (LpSegmentResponse, 1);
  g_autofree gchar *endpoint = g_strdup_printf ("%s%ssegment", transcoder,
      g_str_has_suffix (transcoder, "/") ? "" : "/");
  g_autoptr (GBytes) answer = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;

  response->renditions = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  answer = post_proto_segment (client, endpoint, segment_header,
      payment_header, body, timeout_ms, max_size, cancellable,
      &response->status, error);
  if (answer == NULL || !check_status_code (response->status, endpoint,
          answer, error))
    return NULL;
  response->upload_us = g_get_monotonic_time () - start;
  if (!read_proto_result (answer, n_profiles, response, error)) {
    g_prefix_error (error, "%s: ", endpoint);
    return NULL;
  }
  if (!fetch_renditions (client, transcoder, response, deadline,
          max_size - MIN (max_size, g_bytes_get_size (answer)), cancellable,
          error))
    return NULL;
  response->total_us = g_get_monotonic_time () - start;
  return g_steal_pointer (&response);
}

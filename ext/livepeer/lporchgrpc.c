/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lporchestrator's gRPC service: go-livepeer's `net.Orchestrator`
 * (GetOrchestrator, Ping, EndTranscodingSession), unary gRPC over HTTP/2
 * on the port of the HTTP/1.1 service. lpserver.c looks at each
 * connection's first bytes and hands HTTP/2 ones (h2c, or TLS with ALPN
 * "h2") to the HTTP/2 server made here.
 *
 * The handlers only translate: protobuf (lpproto-messages.h) in, the
 * structs discover() and end_session() (lporchrpc.c) work on, protobuf
 * out; so the JSON and the gRPC wire give the same answers. Refusals are
 * gRPC statuses as go-livepeer's: its handlers return plain Go errors,
 * which grpc-go sends as UNKNOWN with the error's text, and a request
 * that is not protobuf gets grpc-go's INTERNAL "error unmarshalling
 * request".
 *
 * Everything here runs in the server thread ("lporch-http").
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/livepeer/lpproto-messages.h>
#include <gst/livepeer/lpwire-proto.h>
#include <gst/livepeer/lptlscert.h>

#include "gstlporchestrator-private.h"

/* go-livepeer's capability ids (core/capabilities.go) of what a
 * transcoding session here does: H.264 in MPEG-TS, fractional frame
 * rates, the four H.264 profiles, GOP and auth tokens. Not offered:
 * MP4 output (2), storage (4-6), scene classification and signatures
 * (13-14), HEVC/VP8/VP9 (15-20), 4:2:2/4:4:4/10-bit input (21-25), and
 * segment slicing (26: SegData.segment_parameters is not honoured). */
static const guint32 transcoding_capabilities[] = {
  0,                            /* H264 */
  1,                            /* MPEGTS */
  3,                            /* FractionalFramerates */
  7, 8, 9, 10,                  /* ProfileH264Baseline, Main, High,
                                 * ConstrainedHigh */
  11,                           /* GOP */
  12,                           /* AuthToken */
};

#define GRPC_SERVICE "/net.Orchestrator/"

/* Segment bodies one HTTP/2 connection may have in flight at once, from
 * their headers until their answer ends: go-livepeer's broadcaster shares
 * one connection between its sessions with this orchestrator, each
 * sending one segment at a time; a session here queues at most 4
 * (MAX_QUEUED_SEGMENTS). More are refused with REFUSED_STREAM, which
 * Go's HTTP/2 client retries. Memory: this × max-segment-size per
 * connection. */
#define H2_MAX_SEGMENTS_IN_FLIGHT 4

/* ------------------------------------------------------------------------ */
/* our structs <-> protobuf                                                 */
/* ------------------------------------------------------------------------ */

/* go-livepeer's only mandatory capability: a broadcaster must say it
 * sends auth tokens (a legacy one, which sends no capabilities, does not:
 * go-livepeer refuses its segments as "incompatible capabilities") */
#define MANDATORY_CAPABILITY 12

static guint64
transcoding_bits (void)
{
  guint64 word = 0;
  guint i;

  /* bit c of word c / 64, as go-livepeer's CapabilityString; all ours are
   * below 64 */
  for (i = 0; i < G_N_ELEMENTS (transcoding_capabilities); i++)
    word |= G_GUINT64_CONSTANT (1) << transcoding_capabilities[i];
  return word;
}

static guint
sessions_of_capability (GstLpOrchestrator * self, const LpCapability * c)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  ORCH_LOCK (self);
  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Session *) value)->capability == c)
      n++;
  ORCH_UNLOCK (self);
  return n;
}

/* Sets bit @id of @bits (word id / 64, as go-livepeer's CapabilityString),
 * growing it as needed */
static void
set_bit (GArray * bits, guint32 id)
{
  guint64 zero = 0;

  while (bits->len <= id / 64)
    g_array_append_val (bits, zero);
  g_array_index (bits, guint64, id / 64) |= G_GUINT64_CONSTANT (1) << (id % 64);
}

/* Our capability jobs that have an id, as go-livepeer advertises its AI
 * pipelines: the bit, the capacity, and constraints.PerCapability[id]
 * .models[model id] with its capacity and sessions in use. Warm: a job's
 * fragment is built per session from models on disk, there is no cold
 * container to wait for. */
static void
add_jobs (GstLpOrchestrator * self, LpProtoCapabilities * p)
{
  GPtrArray *jobs = self->config.capabilities;
  guint i;

  for (i = 0; jobs != NULL && i < jobs->len; i++) {
    const LpCapability *c = g_ptr_array_index (jobs, i);
    LpProtoCapabilityConstraints *per;
    LpProtoModelConstraint *model;

    if (c->id == 0)
      continue;
    set_bit (p->bitstring, c->id);
    lp_proto_capabilities_set_capacity (p, c->id, c->capacity);
    model = lp_proto_model_constraint_new ();
    model->warm = TRUE;
    model->capacity = c->capacity;
    model->capacity_in_use = sessions_of_capability (self, c);
    per = lp_proto_capability_constraints_new ();
    lp_proto_capability_constraints_take_model (per, c->model_id, model);
    if (p->constraints == NULL)
      p->constraints = lp_proto_constraints_new ();
    lp_proto_constraints_take_capability (p->constraints, c->id, per);
  }
}

/* What this orchestrator offers, as go-livepeer advertises it: the bit
 * string of transcoding and of our jobs, the mandatory AuthToken, a
 * capacity of max-sessions for each transcoding capability and a job's
 * own for each job, and our version (what a broadcaster's minVersion
 * constraint is compared with) */
LpProtoCapabilities *
capabilities_to_proto (GstLpOrchestrator * self)
{
  LpProtoCapabilities *p = lp_proto_capabilities_new ();
  guint64 word = transcoding_bits (), mandatory =
      G_GUINT64_CONSTANT (1) << MANDATORY_CAPABILITY;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (transcoding_capabilities); i++)
    lp_proto_capabilities_set_capacity (p, transcoding_capabilities[i],
        self->config.props.max_sessions);
  g_array_append_val (p->bitstring, word);
  g_array_append_val (p->mandatories, mandatory);
  p->version = g_strdup (PACKAGE_VERSION);
  add_jobs (self, p);
  return p;
}

/* The price of each job that has an id, in OrchestratorInfo
 * .capabilities_prices as go-livepeer lists its AI pipelines' (capability
 * id, model id as the constraint) */
static void
add_job_prices (GstLpOrchestrator * self, GPtrArray * prices)
{
  GPtrArray *jobs = self->config.capabilities;
  guint i;

  for (i = 0; jobs != NULL && i < jobs->len; i++) {
    const LpCapability *c = g_ptr_array_index (jobs, i);
    LpProtoPriceInfo *price;

    if (c->id == 0)
      continue;
    price = lp_proto_price_info_new ();
    price->price_per_unit = c->price.price_per_unit;
    price->pixels_per_unit = c->price.pixels_per_unit;
    price->capability = c->id;
    price->constraint = g_strdup (c->model_id);
    g_ptr_array_add (prices, price);
  }
}

/* What the core's translation of an OrchestratorInfo leaves to us: our
 * capabilities and the jobs' prices */
void
orchestrator_info_complete_proto (GstLpOrchestrator * self,
    LpProtoOrchestratorInfo * p)
{
  if (p->capabilities != NULL)
    lp_proto_capabilities_free (p->capabilities);
  p->capabilities = capabilities_to_proto (self);
  add_job_prices (self, p->capabilities_prices);
}

/* The capability job @caps asks for (NULL: none, transcoding): its bit at
 * or above 64, with any model its constraints name. Fails for a bit there
 * that is not one of our jobs, for two jobs (a session runs one), and
 * for a model the job does not run (go-livepeer's broadcaster lists the
 * models it takes in constraints.PerCapability[id].models). */
gboolean
requested_job (GstLpOrchestrator * self, const LpProtoCapabilities * caps,
    const LpCapability ** job, GError ** error)
{
  guint32 id;

  *job = NULL;
  for (id = 64; caps != NULL && id / 64 < caps->bitstring->len; id++) {
    LpProtoCapabilityConstraints *per = NULL;
    const LpCapability *c;
    GHashTableIter iter;
    gpointer model = NULL;

    if (!(g_array_index (caps->bitstring, guint64, id / 64) >> (id % 64) & 1))
      continue;
    if (*job != NULL) {
      g_set_error (error, LP_CAPABILITY_ERROR, LP_CAPABILITY_ERROR_UNKNOWN,
          "capabilities %u and %u asked for together: a session runs one "
          "job", (*job)->id, id);
      return FALSE;
    }
    c = lp_capabilities_find_id (self->config.capabilities, id, NULL, error);
    if (c == NULL)
      return FALSE;
    if (caps->constraints != NULL)
      per = g_hash_table_lookup (caps->constraints->per_capability,
          GUINT_TO_POINTER (id));
    if (per != NULL) {
      g_hash_table_iter_init (&iter, per->models);
      while (g_hash_table_iter_next (&iter, &model, NULL))
        if (lp_capabilities_find_id (self->config.capabilities, id, model,
                error) == NULL)
          return FALSE;
    }
    *job = c;
  }
  return TRUE;
}

/* major.minor.patch of @text, a pre-release or build suffix ignored;
 * FALSE when it is not such a version */
static gboolean
parse_version (const gchar * text, guint64 v[3])
{
  const gchar *p = text != NULL && text[0] == 'v' ? text + 1 : text;
  gchar *end;
  guint i;

  for (i = 0; i < 3; i++) {
    if (p == NULL || !g_ascii_isdigit (*p))
      return FALSE;
    v[i] = g_ascii_strtoull (p, &end, 10);
    p = end;
    if (i < 2 && *p++ != '.')
      return FALSE;
  }
  return *p == '\0' || *p == '-' || *p == '+';
}

/* go-livepeer's compatibility of a job's capabilities (@caps; NULL: a
 * legacy broadcaster's, an empty bit string) with ours, as far as
 * transcoding goes: it has our mandatory bit, asks for no capability
 * below 64 we lack, and any minVersion it sets is at most ours. The bits
 * above are our jobs' (requested_job()). */
static gboolean
transcoding_capabilities_compatible (const LpProtoCapabilities * caps)
{
  guint64 ours = transcoding_bits (), want, min[3], have[3];
  const gchar *min_version;
  guint i;

  if (caps == NULL || caps->bitstring->len == 0)
    return FALSE;
  want = g_array_index (caps->bitstring, guint64, 0);
  if (!(want >> MANDATORY_CAPABILITY & 1) || (want & ~ours) != 0)
    return FALSE;
  min_version = caps->constraints ? caps->constraints->min_version : NULL;
  if (min_version == NULL || min_version[0] == '\0')
    return TRUE;
  if (!parse_version (min_version, min)
      || !parse_version (PACKAGE_VERSION, have))
    return FALSE;
  for (i = 0; i < 3; i++)
    if (have[i] != min[i])
      return have[i] > min[i];
  return TRUE;
}

/* go-livepeer's compatibility of a segment's capabilities (@caps; NULL:
 * a legacy broadcaster's) with ours, and the job it asks for (@job, NULL
 * for transcoding) */
gboolean
proto_capabilities_compatible (GstLpOrchestrator * self,
    const LpProtoCapabilities * caps, const LpCapability ** job)
{
  GError *error = NULL;

  *job = NULL;
  if (!transcoding_capabilities_compatible (caps))
    return FALSE;
  if (requested_job (self, caps, job, &error))
    return TRUE;
  GST_INFO_OBJECT (self, "incompatible capabilities: %s", error->message);
  g_error_free (error);
  return FALSE;
}

LpProtoOrchestratorInfo *
orchestrator_info_to_proto (GstLpOrchestrator * self,
    const LpOrchestratorInfo * info)
{
  LpProtoOrchestratorInfo *p = lp_wire_orchestrator_info_to_proto (info);

  orchestrator_info_complete_proto (self, p);
  return p;
}

/* FALSE when @message's bytes do not fit @size */
static gboolean
copy_fixed (GBytes * bytes, guint8 * out, gsize size)
{
  if (bytes == NULL || g_bytes_get_size (bytes) != size)
    return FALSE;
  memcpy (out, g_bytes_get_data (bytes, NULL), size);
  return TRUE;
}

static gboolean
auth_token_from_proto (const LpProtoAuthToken * p, LpAuthToken * token)
{
  memset (token, 0, sizeof (*token));
  if (p == NULL || p->session_id == NULL
      || strlen (p->session_id) > LP_WIRE_MAX_SESSION_ID_LENGTH
      || !copy_fixed (p->token, token->token, sizeof (token->token)))
    return FALSE;
  g_strlcpy (token->session_id, p->session_id, sizeof (token->session_id));
  token->expiration = p->expiration;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* the methods                                                              */
/* ------------------------------------------------------------------------ */

static void
respond_message (LpH2Request * request, GBytes * message)
{
  lp_grpc_respond (request, message);
  g_bytes_unref (message);
}

/* grpc-go's answer to a request it cannot decode */
static void
respond_undecodable (LpH2Request * request, const GError * error)
{
  gchar *text = g_strdup_printf ("grpc: error unmarshalling request: %s",
      error->message);

  lp_grpc_respond_error (request, LP_GRPC_STATUS_INTERNAL, text);
  g_free (text);
}

/* go-livepeer's words for a refused discovery, with our reason */
static void
respond_discovery_error (LpH2Request * request, const GError * error)
{
  gchar *text;

  if (g_error_matches (error, DISCOVERY_ERROR, DISCOVERY_ERROR_SIGNATURE))
    text = g_strdup_printf ("Invalid orchestrator request (orchestrator req "
        "sig check failed: %s)", error->message);
  else if (g_error_matches (error, DISCOVERY_ERROR, DISCOVERY_ERROR_CAPPED))
    text = g_strdup_printf ("Invalid orchestrator request (%s)",
        error->message);
  else
    text = g_strdup (error->message);
  lp_grpc_respond_error (request, LP_GRPC_STATUS_UNKNOWN, text);
  g_free (text);
}

static void
get_orchestrator (LpH2Request * request, GBytes * message, gpointer data)
{
  GstLpOrchestrator *self = data;
  g_autoptr (LpProtoOrchestratorRequest) p = NULL;
  LpOrchestratorRequest *req;
  LpOrchestratorInfo *info;
  const LpCapability *job = NULL;
  GError *error = NULL, *own = NULL;

  p = lp_proto_orchestrator_request_decode (g_bytes_get_data (message, NULL),
      g_bytes_get_size (message), &error);
  if (p == NULL) {
    respond_undecodable (request, error);
    g_error_free (error);
    return;
  }
  req = lp_orchestrator_request_new ();
  /* go-livepeer reads any length as an address and checks the signature
   * against it; a wrong length can only fail that check */
  if (!copy_fixed (p->address, req->address.bytes, sizeof (req->address.bytes))
      || !copy_fixed (p->sig, req->sig, sizeof (req->sig))) {
    g_set_error (&error, DISCOVERY_ERROR, DISCOVERY_ERROR_SIGNATURE,
        "address must be %u bytes and sig %u, got %" G_GSIZE_FORMAT " and %"
        G_GSIZE_FORMAT, (guint) sizeof (req->address.bytes),
        (guint) sizeof (req->sig), p->address ? g_bytes_get_size (p->address)
        : 0, p->sig ? g_bytes_get_size (p->sig) : 0);
    info = NULL;
  } else if (!requested_job (self, p->capabilities, &job, &own)) {
    g_set_error (&error, DISCOVERY_ERROR, DISCOVERY_ERROR_REQUEST,
        "incompatible capabilities: %s", own->message);
    g_error_free (own);
    info = NULL;
  } else {
    /* discover() prices the ticket parameters for the job and checks its
     * room */
    info = discover (self, req, job, &error);
  }
  if (info != NULL) {
    LpProtoOrchestratorInfo *answer = orchestrator_info_to_proto (self, info);

    respond_message (request, lp_proto_orchestrator_info_encode (answer));
    lp_proto_orchestrator_info_free (answer);
    lp_orchestrator_info_free (info);
  } else {
    GST_INFO_OBJECT (self, "gRPC discovery by %s refused: %s",
        lp_h2_request_get_peer (request), error->message);
    respond_discovery_error (request, error);
    g_error_free (error);
  }
  lp_orchestrator_request_free (req);
}

/* go-livepeer signs the value it is sent, as it signs any message
 * (personal-sign), so that a caller can check who answers */
static void
ping (LpH2Request * request, GBytes * message, gpointer data)
{
  GstLpOrchestrator *self = data;
  g_autoptr (LpProtoPingPong) p = NULL;
  LpProtoPingPong *answer;
  guint8 sig[LP_SIGNATURE_SIZE];
  GError *error = NULL;
  gsize size = 0;
  const guint8 *value;

  p = lp_proto_ping_pong_decode (g_bytes_get_data (message, NULL),
      g_bytes_get_size (message), &error);
  if (p == NULL) {
    respond_undecodable (request, error);
    g_error_free (error);
    return;
  }
  value = p->value ? g_bytes_get_data (p->value, &size) : NULL;
  if (!lp_sign_message (self->key, value ? value : (const guint8 *) "", size,
          sig, &error)) {
    lp_grpc_respond_error (request, LP_GRPC_STATUS_UNKNOWN, error->message);
    g_error_free (error);
    return;
  }
  answer = lp_proto_ping_pong_new ();
  answer->value = g_bytes_new (sig, sizeof (sig));
  respond_message (request, lp_proto_ping_pong_encode (answer));
  lp_proto_ping_pong_free (answer);
}

static void
end_transcoding_session (LpH2Request * request, GBytes * message, gpointer data)
{
  GstLpOrchestrator *self = data;
  g_autoptr (LpProtoEndTranscodingSessionRequest) p = NULL;
  GError *error = NULL;
  LpAuthToken token;

  p = lp_proto_end_transcoding_session_request_decode (g_bytes_get_data
      (message, NULL), g_bytes_get_size (message), &error);
  if (p == NULL) {
    respond_undecodable (request, error);
    g_error_free (error);
    return;
  }
  /* go-livepeer: "Invalid auth token" for one it did not make */
  if (!auth_token_from_proto (p->auth_token, &token)) {
    lp_grpc_respond_error (request, LP_GRPC_STATUS_UNKNOWN,
        "Invalid auth token: not an auth token of this orchestrator");
    return;
  }
  if (!end_session (self, &token, &error)) {
    gchar *text = g_strdup_printf ("Invalid auth token: %s", error->message);

    lp_grpc_respond_error (request, LP_GRPC_STATUS_UNKNOWN, text);
    g_free (text);
    g_error_free (error);
    return;
  }
  /* EndTranscodingSessionResponse has no fields: empty bytes */
  respond_message (request, g_bytes_new (NULL, 0));
}

/* Plain HTTP/2 requests: go-livepeer's segment path, which its
 * broadcaster speaks over HTTP/2 to an https:// orchestrator (POST
 * /segment and /payment, GET /stream/... for the renditions), served by
 * the handlers of HTTP/1.1 (lporchrpc.c); anything else 404, as Go's mux
 * answers. */
static void
serve_plain_request (LpH2Request * request, gpointer data)
{
  GstLpOrchestrator *self = data;
  const gchar *path = lp_h2_request_get_path (request);
  gsize length = path ? strcspn (path, "?") : 0;
  LpExchange *exchange = lp_exchange_new_h2 (request);

  if (length == strlen ("/segment") && strncmp (path, "/segment", length) == 0)
    serve_segment (self, exchange);
  else if (length == strlen ("/payment")
      && strncmp (path, "/payment", length) == 0)
    serve_payment (self, exchange);
  else if (path != NULL && g_str_has_prefix (path, "/stream/"))
    serve_rendition (self, exchange);
  else
    lp_exchange_respond_text (exchange, 404, "404 page not found\n");
  lp_exchange_unref (exchange);
}

/* ------------------------------------------------------------------------ */
/* the server                                                               */
/* ------------------------------------------------------------------------ */

static void
on_connection_error (const GError * error, gpointer data)
{
  GstLpOrchestrator *self = data;

  GST_WARNING_OBJECT (self, "HTTP/2: %s", error->message);
}

/* The certificate in the state directory, made for our address (and
 * localhost) on first start */
static GTlsCertificate *
load_certificate (GstLpOrchestrator * self)
{
  const gchar *hosts[] = { self->config.props.address, "localhost", NULL };
  GTlsCertificate *certificate;
  GError *error = NULL;
  gboolean created = FALSE;

  if (self->config.state_dir == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("tls needs state-dir (or "
            "key-file, beside which it defaults)"), (NULL));
    return NULL;
  }
  certificate = lp_tls_certificate_load_or_create (self->config.state_dir,
      hosts, LP_TLS_DEFAULT_VALIDITY_DAYS, &created, &error);
  if (certificate == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
        ("Could not load or make the TLS certificate in %s: %s",
            self->config.state_dir, error->message), (NULL));
    g_error_free (error);
    return NULL;
  }
  GST_INFO_OBJECT (self, "%s the TLS certificate %s/%s", created ? "made" :
      "loaded", self->config.state_dir, LP_TLS_CERTIFICATE_FILE);
  return certificate;
}

/* The HTTP/2 server behind @connections, with the same cap on connections
 * and the same idle timeout; its requests are gRPC calls, each bounded as
 * the JSON bodies of discovery are. Called in @context (pushed), before
 * the server thread runs it. */
gboolean
start_grpc (GstLpOrchestrator * self, LpServer * connections)
{
  LpH2ServerLimits limits;

  if (self->config.props.tls
      && (self->certificate = load_certificate (self)) == NULL)
    return FALSE;
  lp_h2_server_limits_init (&limits);
  limits.max_connections = self->config.props.max_connections;
  limits.max_header_list_size = LP_SERVER_MAX_HEADER_SIZE;
  limits.max_body_size = LP_WIRE_MAX_JSON_SIZE;
  limits.handshake_timeout_ms = self->config.props.idle_timeout;
  limits.request_timeout_ms = self->config.props.idle_timeout;
  limits.idle_timeout_ms = self->config.props.idle_timeout;
  self->grpc_router = lp_grpc_router_new (LP_WIRE_MAX_JSON_SIZE);
  lp_grpc_router_add (self->grpc_router, GRPC_SERVICE "GetOrchestrator",
      get_orchestrator, self);
  lp_grpc_router_add (self->grpc_router, GRPC_SERVICE "Ping", ping, self);
  lp_grpc_router_add (self->grpc_router, GRPC_SERVICE "EndTranscodingSession",
      end_transcoding_session, self);
  lp_grpc_router_set_fallback (self->grpc_router, serve_plain_request, self);
  self->h2_server = lp_h2_server_new (self->context, &limits,
      lp_grpc_router_handle, self->grpc_router, NULL);
  /* segments: max-segment-size each, a few at once per connection
   * (docs/design/transport.md, "Segments over HTTP/2") */
  lp_h2_server_set_path_limit (self->h2_server, "/segment",
      self->config.props.max_segment_size, H2_MAX_SEGMENTS_IN_FLIGHT);
  lp_h2_server_set_connection_error_func (self->h2_server,
      on_connection_error, self);
  lp_server_serve_h2 (connections, self->h2_server, self->certificate);
  return TRUE;
}

/* After the connection layer is freed: it hands nothing more over */
void
stop_grpc (GstLpOrchestrator * self)
{
  g_clear_pointer (&self->h2_server, lp_h2_server_free);
  g_clear_pointer (&self->grpc_router, lp_grpc_router_free);
  g_clear_object (&self->certificate);
}

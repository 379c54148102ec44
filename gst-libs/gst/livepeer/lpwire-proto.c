/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The segment path on the wire, go-livepeer's protobuf (lpwire-proto.h):
 * the protobuf messages of lpproto-messages.h read into, and written from,
 * the structs of lpwire.h, with the limits lpwire.h sets. Reading follows
 * what go-livepeer's orchestrator accepts (proto/lp_rpc.proto's field comments,
 * docs/design/transport.md): big integers are minimal big-endian bytes,
 * hashes shorter than 32 bytes are left-padded, and a signature of the
 * wrong length is kept as zeros so that its check fails where
 * go-livepeer's does. No state, no locks: MT safe.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpwire-private.h"
#include "lpwire-proto.h"

/* ------------------------------------------------------------------------ */
/* the header form                                                          */
/* ------------------------------------------------------------------------ */

/**
 * lp_wire_header_decode_bytes:
 * @header: a header value
 * @name: the header's name, for the error message
 * @error: return location for a #GError, or %NULL
 *
 * Decodes at most %LP_WIRE_MAX_HEADER_SIZE characters of canonical padded
 * base64 (go-livepeer's standard encoding).
 *
 * Returns: (transfer full) (nullable): the bytes (possibly empty), or
 *     %NULL with %LP_WIRE_ERROR_ENCODING or %LP_WIRE_ERROR_TOO_LARGE
 */
GBytes *
lp_wire_header_decode_bytes (const gchar * header, const gchar * name,
    GError ** error)
{
  guint8 *data;
  gsize n = 0;

  g_return_val_if_fail (header != NULL && name != NULL, NULL);

  if (header[0] == '\0')
    return g_bytes_new (NULL, 0);
  data = lp_wire_header_decode (header, name, &n, error);
  return data != NULL ? g_bytes_new_take (data, n) : NULL;
}

/* ------------------------------------------------------------------------ */
/* field readers                                                            */
/* ------------------------------------------------------------------------ */

static gboolean
read_address (GBytes * bytes, const gchar * path, const gchar * name,
    gboolean required, LpAddress * address, GError ** error)
{
  gsize n = bytes != NULL ? g_bytes_get_size (bytes) : 0;

  memset (address, 0, sizeof (*address));
  if (n == 0 && !required)
    return TRUE;
  if (n != LP_ADDRESS_SIZE)
    return lp_wire_field_error (error, n == 0 ? LP_WIRE_ERROR_MISSING :
        LP_WIRE_ERROR_INVALID_VALUE, path, name, "must be %d bytes, got %"
        G_GSIZE_FORMAT, LP_ADDRESS_SIZE, n);
  memcpy (address->bytes, g_bytes_get_data (bytes, NULL), n);
  return TRUE;
}

static gboolean
read_uint256 (GBytes * bytes, const gchar * path, const gchar * name,
    LpUint256 * value, GError ** error)
{
  gsize n = bytes != NULL ? g_bytes_get_size (bytes) : 0;

  if (n > LP_UINT256_SIZE)
    return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path,
        name, "%" G_GSIZE_FORMAT " bytes is more than a uint256", n);
  if (n == 0) {
    lp_uint256_set_zero (value);
    return TRUE;
  }
  return lp_uint256_from_be (g_bytes_get_data (bytes, NULL), n, value, NULL)
      || lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
      "not a big-endian uint256");
}

static gboolean
read_uint64 (GBytes * bytes, const gchar * path, const gchar * name,
    guint64 * value, GError ** error)
{
  LpUint256 wide;

  return read_uint256 (bytes, path, name, &wide, error)
      && (lp_uint256_to_uint64 (&wide, value, NULL)
      || lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
          "more than 64 bits"));
}

/* go-livepeer's BytesToHash: shorter values are left-padded */
static gboolean
read_hash (GBytes * bytes, const gchar * path, const gchar * name,
    guint8 hash[LP_KECCAK256_SIZE], GError ** error)
{
  gsize n = bytes != NULL ? g_bytes_get_size (bytes) : 0;

  memset (hash, 0, LP_KECCAK256_SIZE);
  if (n > LP_KECCAK256_SIZE)
    return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path,
        name, "%" G_GSIZE_FORMAT " bytes is more than a 32-byte hash", n);
  if (n > 0)
    memcpy (hash + LP_KECCAK256_SIZE - n, g_bytes_get_data (bytes, NULL), n);
  return TRUE;
}

/* A signature of the wrong length stays zeros: its check then fails, as
 * go-livepeer's does, instead of the message being undecodable */
static void
read_signature (GBytes * bytes, guint8 sig[LP_SIGNATURE_SIZE])
{
  memset (sig, 0, LP_SIGNATURE_SIZE);
  if (bytes != NULL && g_bytes_get_size (bytes) == LP_SIGNATURE_SIZE)
    memcpy (sig, g_bytes_get_data (bytes, NULL), LP_SIGNATURE_SIZE);
}

static gboolean
read_expiration_params (const LpProtoTicketExpirationParams * p,
    const gchar * path, LpExpirationParams * params, GError ** error)
{
  memset (params, 0, sizeof (*params));
  if (p == NULL)
    return TRUE;
  if (p->creation_round < 0)
    return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path,
        "creation_round", "negative");
  params->creation_round = (guint64) p->creation_round;
  return read_hash (p->creation_round_block_hash, path,
      "creation_round_block_hash", params->creation_round_block_hash, error);
}

static gboolean
read_ticket_params (const LpProtoTicketParams * p, LpTicketParams * params,
    GError ** error)
{
  const gchar *path = "ticket_params";

  memset (params, 0, sizeof (*params));
  return read_address (p->recipient, path, "recipient", TRUE,
      &params->recipient, error)
      && read_uint256 (p->face_value, path, "face_value", &params->face_value,
      error)
      && read_uint256 (p->win_prob, path, "win_prob", &params->win_prob, error)
      && read_hash (p->recipient_rand_hash, path, "recipient_rand_hash",
      params->recipient_rand_hash, error)
      && read_uint256 (p->seed, path, "seed", &params->seed, error)
      && read_uint64 (p->expiration_block, path, "expiration_block",
      &params->expiration_block, error)
      && read_expiration_params (p->expiration_params,
      "ticket_params.expiration_params", &params->expiration_params, error);
}

static gboolean
read_price (const LpProtoPriceInfo * p, const gchar * path,
    LpPriceInfo * price, GError ** error)
{
  memset (price, 0, sizeof (*price));
  if (p == NULL)
    return TRUE;
  if (p->price_per_unit < 0 || p->pixels_per_unit < 0)
    return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path,
        p->price_per_unit < 0 ? "pricePerUnit" : "pixelsPerUnit", "negative");
  price->price_per_unit = (guint64) p->price_per_unit;
  price->pixels_per_unit = (guint64) p->pixels_per_unit;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* AuthToken                                                                */
/* ------------------------------------------------------------------------ */

/**
 * lp_wire_auth_token_from_proto:
 * @p: (transfer none): an AuthToken message
 * @token: (out caller-allocates): the token
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE, or %FALSE with %LP_WIRE_ERROR when the token is not 32
 *     bytes or the session id is not 1 to %LP_WIRE_MAX_SESSION_ID_LENGTH
 *     printable ASCII characters
 */
gboolean
lp_wire_auth_token_from_proto (const LpProtoAuthToken * p,
    LpAuthToken * token, GError ** error)
{
  gsize n, i;

  g_return_val_if_fail (p != NULL && token != NULL, FALSE);

  memset (token, 0, sizeof (*token));
  if (p->token == NULL || g_bytes_get_size (p->token) != LP_AUTH_TOKEN_SIZE)
    return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE,
        "auth_token", "token", "must be %d bytes", LP_AUTH_TOKEN_SIZE);
  n = p->session_id != NULL ? strlen (p->session_id) : 0;
  for (i = 0; i < n && p->session_id[i] > 0x20 && p->session_id[i] < 0x7f;)
    i++;
  if (n == 0 || n > LP_WIRE_MAX_SESSION_ID_LENGTH || i < n)
    return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE,
        "auth_token", "session_id", "must be 1-%d printable ASCII characters",
        LP_WIRE_MAX_SESSION_ID_LENGTH);
  memcpy (token->token, g_bytes_get_data (p->token, NULL), LP_AUTH_TOKEN_SIZE);
  memcpy (token->session_id, p->session_id, n + 1);
  token->expiration = p->expiration;
  return TRUE;
}

/**
 * lp_wire_auth_token_to_proto:
 * @token: (transfer none): a token
 *
 * Returns: (transfer full): the AuthToken message
 */
LpProtoAuthToken *
lp_wire_auth_token_to_proto (const LpAuthToken * token)
{
  LpProtoAuthToken *p = lp_proto_auth_token_new ();

  g_return_val_if_fail (token != NULL, p);

  p->token = g_bytes_new (token->token, sizeof (token->token));
  p->session_id = g_strdup (token->session_id);
  p->expiration = token->expiration;
  return p;
}

/* ------------------------------------------------------------------------ */
/* SegData                                                                  */
/* ------------------------------------------------------------------------ */

/* One VideoProfile, within the limits of lpwire.h and for the features
 * this implementation has */
static LpProfile *
read_video_profile (const LpProtoVideoProfile * p, const gchar * path,
    GError ** error)
{
  if (p->name == NULL || !lp_profile_name_is_valid (p->name)) {
    lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, "name",
        "must be 1-%d characters of A-Z a-z 0-9 _ - . (names are signed: "
        "send them)", LP_WIRE_MAX_PROFILE_NAME_LENGTH);
    return NULL;
  }
  if (p->width < 0 || p->width > LP_PROFILE_MAX_DIMENSION || p->height < 0
      || p->height > LP_PROFILE_MAX_DIMENSION) {
    lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path,
        "width", "%dx%d is not within 0-%d", p->width, p->height,
        LP_PROFILE_MAX_DIMENSION);
    return NULL;
  }
  if (p->bitrate < 0 || (guint64) p->fps > (guint64) LP_PROFILE_MAX_FPS *
      MAX (p->fps_den, 1) || p->gop < LP_PROFILE_GOP_INTRA) {
    lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path,
        p->bitrate < 0 ? "bitrate" : p->gop < -1 ? "gop" : "fps",
        "out of range");
    return NULL;
  }
  if (p->profile < LP_H264_PROFILE_DEFAULT
      || p->profile > LP_H264_PROFILE_CONSTRAINED_HIGH) {
    lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, "profile",
        "unrecognized encoder profile %d", p->profile);
    return NULL;
  }
  if (p->format != LP_PROTO_FORMAT_MPEGTS || p->encoder != LP_PROTO_CODEC_H264
      || p->color_depth != 0 || p->chroma_format != LP_PROTO_CHROMA_420
      || p->quality != 0) {
    lp_wire_field_error (error, LP_WIRE_ERROR_UNSUPPORTED, path,
        p->format != 0 ? "format" : p->encoder != 0 ? "encoder" :
        p->color_depth != 0 ? "colorDepth" : p->chroma_format != 0 ?
        "chromaFormat" : "quality", "only H.264 in MPEG-TS, 4:2:0 at the "
        "default depth and constant bitrate are made here");
    return NULL;
  }
  return lp_profile_new (p->name, (guint) p->width, (guint) p->height,
      (guint) p->bitrate, p->fps, p->fps_den, (LpH264Profile) p->profile,
      p->gop);
}

/* The capability bits every H.264 MPEG-TS transcoding job of go-livepeer's
 * broadcaster has: H264 (0), MPEGTS (1) and the mandatory AuthToken (12) */
#define TRANSCODING_BITS ((1 << 0) | (1 << 1) | (1 << 12))

/* go-livepeer's orchestrator reads fullProfiles3, then 2, then 1 */
static gboolean
read_profiles (const LpProtoSegData * p, GPtrArray * profiles,
    GError ** error)
{
  const GPtrArray *list = p->full_profiles3;
  const gchar *field = "fullProfiles3";
  guint i;

  if (list->len == 0) {
    list = p->full_profiles2;
    field = "fullProfiles2";
  }
  if (list->len == 0) {
    list = p->full_profiles;
    field = "fullProfiles";
  }
  if (list->len == 0 && p->profiles != NULL && g_bytes_get_size (p->profiles)
      > 0 && memcmp (g_bytes_get_data (p->profiles, NULL), "invalid", 7) != 0)
    return lp_wire_field_error (error, LP_WIRE_ERROR_UNSUPPORTED, "",
        "profiles", "the pre-2019 profile list is not read here: send "
        "fullProfiles");
  if (list->len > LP_WIRE_MAX_PROFILES)
    return lp_wire_field_error (error, LP_WIRE_ERROR_TOO_LARGE, "", field,
        "%u profiles, at most %d", list->len, LP_WIRE_MAX_PROFILES);
  for (i = 0; i < list->len; i++) {
    gchar *path = g_strdup_printf ("%s[%u]", field, i);
    LpProfile *profile = read_video_profile (g_ptr_array_index (list, i),
        path, error);

    g_free (path);
    if (profile == NULL)
      return FALSE;
    g_ptr_array_add (profiles, profile);
  }
  return TRUE;
}

static gboolean
read_manifest_id (GBytes * bytes, gchar ** manifest_id, GError ** error)
{
  gsize n = bytes != NULL ? g_bytes_get_size (bytes) : 0;
  const guint8 *data = bytes != NULL ? g_bytes_get_data (bytes, NULL) : NULL;

  if (n == 0 || n > LP_WIRE_MAX_MANIFEST_ID_LENGTH
      || memchr (data, '\0', n) != NULL)
    return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, "",
        "manifestId", "must be 1-%d bytes of text",
        LP_WIRE_MAX_MANIFEST_ID_LENGTH);
  *manifest_id = g_strndup ((const gchar *) data, n);
  return TRUE;
}

/**
 * lp_wire_seg_data_from_proto:
 * @p: (transfer none): a SegData message
 * @error: return location for a #GError, or %NULL
 *
 * Reads what an orchestrator needs of a SegData into an #LpSegData:
 * manifest id, seq, hash, sig, duration (milliseconds, 0 to
 * %LP_WIRE_MAX_DURATION_MS: go-livepeer's "invalid duration"
 * otherwise), the profiles (fullProfiles3, else fullProfiles2, else
 * fullProfiles) and the auth token. An absent auth token reads as zeros
 * (the caller refuses it as go-livepeer does, after the signature);
 * `capabilities` are the caller's to check (capabilities stays %NULL:
 * transcoding). Not read: storage (renditions are served by the
 * orchestrator itself) and calc_perceptual_hash; segment_parameters
 * (clipping) is refused.
 *
 * Returns: (transfer full) (nullable): the segment data, or %NULL with
 *     %LP_WIRE_ERROR
 */
LpSegData *
lp_wire_seg_data_from_proto (const LpProtoSegData * p, GError ** error)
{
  LpSegData *seg;

  g_return_val_if_fail (p != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  seg = lp_seg_data_new ();
  if (!read_manifest_id (p->manifest_id, &seg->manifest_id, error))
    goto fail;
  if (p->seq < 0) {
    lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, "", "seq",
        "negative");
    goto fail;
  }
  seg->seq = (guint64) p->seq;
  if (p->hash == NULL || g_bytes_get_size (p->hash) != LP_KECCAK256_SIZE) {
    lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, "", "hash",
        "must be the 32-byte keccak of the segment");
    goto fail;
  }
  memcpy (seg->hash, g_bytes_get_data (p->hash, NULL), LP_KECCAK256_SIZE);
  read_signature (p->sig, seg->sig);
  if (p->duration < 0 || p->duration > LP_WIRE_MAX_DURATION_MS) {
    lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, "", "duration",
        "invalid duration: %d ms is not within 0-%d", p->duration,
        LP_WIRE_MAX_DURATION_MS);
    goto fail;
  }
  seg->duration_ms = (guint) p->duration;
  if (p->segment_parameters != NULL) {
    lp_wire_field_error (error, LP_WIRE_ERROR_UNSUPPORTED, "",
        "segment_parameters", "segment clipping is not supported");
    goto fail;
  }
  if (!read_profiles (p, seg->profiles, error))
    goto fail;
  if (p->auth_token != NULL
      && !lp_wire_auth_token_from_proto (p->auth_token, &seg->auth_token,
          error))
    goto fail;
  return seg;

fail:
  lp_seg_data_free (seg);
  return NULL;
}

static LpProtoVideoProfile *
video_profile_to_proto (const LpProfile * profile)
{
  LpProtoVideoProfile *p = lp_proto_video_profile_new ();

  p->name = g_strdup (profile->name);
  p->width = (gint32) profile->width;
  p->height = (gint32) profile->height;
  p->bitrate = (gint32) MIN (profile->bitrate, (guint) G_MAXINT32);
  p->fps = profile->fps_num;
  p->fps_den = profile->fps_den;
  p->profile = profile->h264_profile;
  p->gop = profile->gop_ms;
  return p;
}

/**
 * lp_wire_seg_data_to_proto:
 * @seg: (transfer none): segment data
 *
 * Writes @seg as go-livepeer's broadcaster does: the profiles in
 * fullProfiles3 (which carries fpsDen, the H.264 profile and the GOP) and
 * "invalid" in the legacy profiles field, and the capabilities of an
 * H.264 MPEG-TS job (AuthToken, H264, MPEGTS, and per profile its
 * fractional rate, H.264 profile and GOP bits).
 *
 * Returns: (transfer full): the SegData message
 */
LpProtoSegData *
lp_wire_seg_data_to_proto (const LpSegData * seg)
{
  LpProtoSegData *p = lp_proto_seg_data_new ();
  guint64 bits = TRANSCODING_BITS;
  guint i;

  g_return_val_if_fail (seg != NULL, p);

  if (seg->manifest_id != NULL)
    p->manifest_id = g_bytes_new (seg->manifest_id, strlen (seg->manifest_id));
  p->seq = (gint64) MIN (seg->seq, (guint64) G_MAXINT64);
  p->hash = g_bytes_new (seg->hash, LP_KECCAK256_SIZE);
  p->profiles = g_bytes_new_static ("invalid", 7);
  p->sig = g_bytes_new (seg->sig, LP_SIGNATURE_SIZE);
  p->duration = (gint32) seg->duration_ms;
  p->auth_token = lp_wire_auth_token_to_proto (&seg->auth_token);
  for (i = 0; seg->profiles != NULL && i < seg->profiles->len; i++) {
    const LpProfile *profile = g_ptr_array_index (seg->profiles, i);

    g_ptr_array_add (p->full_profiles3, video_profile_to_proto (profile));
    if (profile->fps_den > 1)
      bits |= 1 << 3;
    if (profile->h264_profile != LP_H264_PROFILE_DEFAULT)
      bits |= G_GUINT64_CONSTANT (1) << (6 + profile->h264_profile);
    if (profile->gop_ms != LP_PROFILE_GOP_DEFAULT)
      bits |= 1 << 11;
  }
  p->capabilities = lp_proto_capabilities_new ();
  g_array_append_val (p->capabilities->bitstring, bits);
  return p;
}

static gchar *
proto_header (GBytes * bytes)
{
  gchar *header = g_base64_encode (g_bytes_get_data (bytes, NULL),
      g_bytes_get_size (bytes));

  g_bytes_unref (bytes);
  return header;
}

/**
 * lp_wire_seg_data_to_proto_header:
 * @seg: (transfer none): segment data, signed
 *
 * The Livepeer-Segment value go-livepeer's broadcaster sends: standard
 * padded base64 of lp_wire_seg_data_to_proto()'s bytes.
 *
 * Returns: (transfer full): the header value
 */
gchar *
lp_wire_seg_data_to_proto_header (const LpSegData * seg)
{
  LpProtoSegData *p;
  gchar *header;

  g_return_val_if_fail (seg != NULL, NULL);

  p = lp_wire_seg_data_to_proto (seg);
  header = proto_header (lp_proto_seg_data_encode (p));
  lp_proto_seg_data_free (p);
  return header;
}

/* ------------------------------------------------------------------------ */
/* Payment                                                                  */
/* ------------------------------------------------------------------------ */

/**
 * lp_wire_payment_from_proto:
 * @p: (transfer none): a Payment message
 * @error: return location for a #GError, or %NULL
 *
 * Reads a Payment as lp_wire_payment_from_json() does, except that an
 * absent sender reads as the zero address (go-livepeer's orchestrator
 * then fails the segment's signature check) and a ticket signature of the
 * wrong length as zeros (it then fails the ticket's check). ticket_params
 * is required when there are tickets, at most
 * %LP_WIRE_MAX_TICKETS_PER_PAYMENT.
 *
 * Returns: (transfer full) (nullable): the payment, or %NULL with
 *     %LP_WIRE_ERROR
 */
LpPayment *
lp_wire_payment_from_proto (const LpProtoPayment * p, GError ** error)
{
  LpPayment *payment;
  guint i;

  g_return_val_if_fail (p != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  payment = lp_payment_new ();
  if (!read_address (p->sender, "", "sender", FALSE, &payment->sender, error)
      || !read_expiration_params (p->expiration_params, "expiration_params",
          &payment->expiration_params, error)
      || !read_price (p->expected_price, "expected_price",
          &payment->expected_price, error))
    goto fail;
  if (p->ticket_params != NULL) {
    if (!read_ticket_params (p->ticket_params, &payment->ticket_params, error))
      goto fail;
    payment->has_ticket_params = TRUE;
  }
  if (p->ticket_sender_params->len > LP_WIRE_MAX_TICKETS_PER_PAYMENT) {
    lp_wire_field_error (error, LP_WIRE_ERROR_TOO_LARGE, "",
        "ticket_sender_params", "%u tickets, at most %d",
        p->ticket_sender_params->len, LP_WIRE_MAX_TICKETS_PER_PAYMENT);
    goto fail;
  }
  if (p->ticket_sender_params->len > 0 && !payment->has_ticket_params) {
    lp_wire_field_error (error, LP_WIRE_ERROR_MISSING, "", "ticket_params",
        "missing, and the payment has tickets");
    goto fail;
  }
  for (i = 0; i < p->ticket_sender_params->len; i++) {
    const LpProtoTicketSenderParams *t =
        g_ptr_array_index (p->ticket_sender_params, i);
    LpTicketSenderParams tsp;

    tsp.sender_nonce = t->sender_nonce;
    read_signature (t->sig, tsp.sig);
    g_array_append_val (payment->tickets, tsp);
  }
  return payment;

fail:
  lp_payment_free (payment);
  return NULL;
}

static GBytes *
uint256_bytes (const LpUint256 * value)
{
  guint8 be[LP_UINT256_SIZE];
  gsize n = lp_uint256_minbe (value, be);

  return n > 0 ? g_bytes_new (be, n) : NULL;
}

static GBytes *
uint64_bytes (guint64 value)
{
  LpUint256 wide;

  lp_uint256_from_uint64 (value, &wide);
  return uint256_bytes (&wide);
}

static LpProtoTicketExpirationParams *
expiration_params_to_proto (const LpExpirationParams * params)
{
  LpProtoTicketExpirationParams *p = lp_proto_ticket_expiration_params_new ();

  p->creation_round = (gint64) MIN (params->creation_round,
      (guint64) G_MAXINT64);
  p->creation_round_block_hash = g_bytes_new
      (params->creation_round_block_hash, LP_KECCAK256_SIZE);
  return p;
}

/**
 * lp_wire_ticket_params_to_proto:
 * @params: (transfer none): ticket parameters
 *
 * Returns: (transfer full): the TicketParams message: big integers as
 *     minimal big-endian bytes, the rand hash all 32 bytes, with its
 *     expiration params (go-livepeer's orchestrator sends both)
 */
LpProtoTicketParams *
lp_wire_ticket_params_to_proto (const LpTicketParams * params)
{
  LpProtoTicketParams *p = lp_proto_ticket_params_new ();

  g_return_val_if_fail (params != NULL, p);

  p->recipient = g_bytes_new (params->recipient.bytes, LP_ADDRESS_SIZE);
  p->face_value = uint256_bytes (&params->face_value);
  p->win_prob = uint256_bytes (&params->win_prob);
  p->recipient_rand_hash = g_bytes_new (params->recipient_rand_hash,
      LP_KECCAK256_SIZE);
  p->seed = uint256_bytes (&params->seed);
  p->expiration_block = uint64_bytes (params->expiration_block);
  p->expiration_params =
      expiration_params_to_proto (&params->expiration_params);
  return p;
}

static LpProtoPriceInfo *
price_to_proto (const LpPriceInfo * price)
{
  LpProtoPriceInfo *p = lp_proto_price_info_new ();

  /* int64 on the wire */
  p->price_per_unit = MIN (price->price_per_unit, (guint64) G_MAXINT64);
  p->pixels_per_unit = MIN (price->pixels_per_unit, (guint64) G_MAXINT64);
  return p;
}

/**
 * lp_wire_payment_to_proto:
 * @payment: (transfer none): a payment
 *
 * Writes @payment as go-livepeer's broadcaster does: the ticket params
 * without their nested expiration params, which travel once, at the top.
 *
 * Returns: (transfer full): the Payment message
 */
LpProtoPayment *
lp_wire_payment_to_proto (const LpPayment * payment)
{
  LpProtoPayment *p = lp_proto_payment_new ();
  guint i;

  g_return_val_if_fail (payment != NULL, p);

  if (payment->has_ticket_params) {
    p->ticket_params = lp_wire_ticket_params_to_proto
        (&payment->ticket_params);
    g_clear_pointer (&p->ticket_params->expiration_params,
        lp_proto_ticket_expiration_params_free);
  }
  p->sender = g_bytes_new (payment->sender.bytes, LP_ADDRESS_SIZE);
  if (!lp_expiration_params_is_empty (&payment->expiration_params))
    p->expiration_params =
        expiration_params_to_proto (&payment->expiration_params);
  for (i = 0; payment->tickets != NULL && i < payment->tickets->len; i++) {
    const LpTicketSenderParams *tsp = &g_array_index (payment->tickets,
        LpTicketSenderParams, i);
    LpProtoTicketSenderParams *t = lp_proto_ticket_sender_params_new ();

    t->sender_nonce = tsp->sender_nonce;
    t->sig = g_bytes_new (tsp->sig, LP_SIGNATURE_SIZE);
    g_ptr_array_add (p->ticket_sender_params, t);
  }
  p->expected_price = price_to_proto (&payment->expected_price);
  return p;
}

/**
 * lp_wire_payment_to_proto_header:
 * @payment: (transfer none): a payment
 *
 * The Livepeer-Payment value go-livepeer's broadcaster sends: standard
 * padded base64 of lp_wire_payment_to_proto()'s bytes.
 *
 * Returns: (transfer full): the header value
 */
gchar *
lp_wire_payment_to_proto_header (const LpPayment * payment)
{
  LpProtoPayment *p;
  gchar *header;

  g_return_val_if_fail (payment != NULL, NULL);

  p = lp_wire_payment_to_proto (payment);
  header = proto_header (lp_proto_payment_encode (p));
  lp_proto_payment_free (p);
  return header;
}

/* ------------------------------------------------------------------------ */
/* OrchestratorRequest                                                      */
/* ------------------------------------------------------------------------ */

/**
 * lp_wire_orchestrator_request_to_proto:
 * @request: (transfer none): a signed request
 *
 * Writes @request as go-livepeer's broadcaster does: the address, the
 * signature (lp_sign_message() of the address's EIP-55 text) and the
 * capabilities of an H.264 MPEG-TS transcoding job. A capability job is
 * asked for by adding its bit and model to the message's Capabilities (as
 * livepeersink does).
 *
 * Returns: (transfer full): the OrchestratorRequest message
 */
LpProtoOrchestratorRequest *
lp_wire_orchestrator_request_to_proto (const LpOrchestratorRequest * request)
{
  LpProtoOrchestratorRequest *p;
  guint64 bits = TRANSCODING_BITS;

  g_return_val_if_fail (request != NULL, NULL);

  p = lp_proto_orchestrator_request_new ();
  p->address = g_bytes_new (request->address.bytes, LP_ADDRESS_SIZE);
  p->sig = g_bytes_new (request->sig, LP_SIGNATURE_SIZE);
  p->capabilities = lp_proto_capabilities_new ();
  g_array_append_val (p->capabilities->bitstring, bits);
  return p;
}

/**
 * lp_wire_orchestrator_request_from_proto:
 * @p: (transfer none): an OrchestratorRequest message
 * @error: return location for a #GError, or %NULL
 *
 * Reads the address and signature (the signature is not checked here).
 * The capabilities are the caller's to read.
 *
 * Returns: (transfer full) (nullable): the request, or %NULL with
 *     %LP_WIRE_ERROR when the address is not 20 bytes or the signature
 *     not 65
 */
LpOrchestratorRequest *
lp_wire_orchestrator_request_from_proto (const LpProtoOrchestratorRequest *
    p, GError ** error)
{
  LpOrchestratorRequest *request;

  g_return_val_if_fail (p != NULL, NULL);

  request = lp_orchestrator_request_new ();
  if (!read_address (p->address, "", "address", TRUE, &request->address,
          error))
    goto fail;
  if (p->sig == NULL || g_bytes_get_size (p->sig) != LP_SIGNATURE_SIZE) {
    lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, "", "sig",
        "must be %d bytes", LP_SIGNATURE_SIZE);
    goto fail;
  }
  memcpy (request->sig, g_bytes_get_data (p->sig, NULL), LP_SIGNATURE_SIZE);
  return request;

fail:
  lp_orchestrator_request_free (request);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* OrchestratorInfo and TranscodeResult                                     */
/* ------------------------------------------------------------------------ */

/**
 * lp_wire_orchestrator_info_from_proto:
 * @p: (transfer none): an OrchestratorInfo message
 * @error: return location for a #GError, or %NULL
 *
 * Reads what a transcoding broadcaster needs, with the limits of
 * lp_wire_orchestrator_info_from_json(): `transcoder` (1 to
 * %LP_WIRE_MAX_URL_LENGTH bytes), `address` and `auth_token` required,
 * `ticket_params` and `price_info` (the transcoding price) optional. The
 * capabilities and capabilities_prices, which name jobs by id only, are
 * not read here: @info->capabilities stays %NULL (a job's broadcaster
 * reads them from the message).
 *
 * Returns: (transfer full) (nullable): the info, or %NULL with
 *     %LP_WIRE_ERROR
 */
LpOrchestratorInfo *
lp_wire_orchestrator_info_from_proto (const LpProtoOrchestratorInfo * p,
    GError ** error)
{
  LpOrchestratorInfo *info;
  gsize n;

  g_return_val_if_fail (p != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = lp_orchestrator_info_new ();
  n = p->transcoder != NULL ? strlen (p->transcoder) : 0;
  if (n == 0 || n > LP_WIRE_MAX_URL_LENGTH) {
    lp_wire_field_error (error, n == 0 ? LP_WIRE_ERROR_MISSING :
        LP_WIRE_ERROR_TOO_LARGE, "", "transcoder", "must be a URI of 1-%d "
        "bytes", LP_WIRE_MAX_URL_LENGTH);
    goto fail;
  }
  info->transcoder = g_strdup (p->transcoder);
  if (!read_address (p->address, "", "address", TRUE, &info->address, error))
    goto fail;
  if (p->ticket_params != NULL) {
    if (!read_ticket_params (p->ticket_params, &info->ticket_params, error))
      goto fail;
    info->has_ticket_params = TRUE;
  }
  if (p->price_info != NULL) {
    if (!read_price (p->price_info, "price_info", &info->price_info, error))
      goto fail;
    info->has_price_info = TRUE;
  }
  if (p->auth_token == NULL) {
    lp_wire_field_error (error, LP_WIRE_ERROR_MISSING, "", "auth_token",
        "missing");
    goto fail;
  }
  if (!lp_wire_auth_token_from_proto (p->auth_token, &info->auth_token,
          error))
    goto fail;
  return info;

fail:
  lp_orchestrator_info_free (info);
  return NULL;
}

/**
 * lp_wire_orchestrator_info_to_proto:
 * @info: (transfer none): orchestrator info
 *
 * Writes everything but the capabilities, whose bit strings the
 * orchestrator adds (@info carries them as JSON for the other dialect).
 *
 * Returns: (transfer full): the OrchestratorInfo message
 */
LpProtoOrchestratorInfo *
lp_wire_orchestrator_info_to_proto (const LpOrchestratorInfo * info)
{
  LpProtoOrchestratorInfo *p = lp_proto_orchestrator_info_new ();

  g_return_val_if_fail (info != NULL, p);

  p->transcoder = g_strdup (info->transcoder);
  if (info->has_ticket_params)
    p->ticket_params = lp_wire_ticket_params_to_proto (&info->ticket_params);
  if (info->has_price_info)
    p->price_info = price_to_proto (&info->price_info);
  p->address = g_bytes_new (info->address.bytes, LP_ADDRESS_SIZE);
  p->auth_token = lp_wire_auth_token_to_proto (&info->auth_token);
  return p;
}

/**
 * lp_wire_transcode_result_to_proto:
 * @result: (transfer none): a result
 *
 * Writes @result as go-livepeer's orchestrator does: the error, or the
 * segments (URL and pixels, in profile order) with the signature; and
 * the info without capabilities (lp_wire_orchestrator_info_to_proto()).
 *
 * Returns: (transfer full): the TranscodeResult message
 */
LpProtoTranscodeResult *
lp_wire_transcode_result_to_proto (const LpTranscodeResult * result)
{
  LpProtoTranscodeResult *p = lp_proto_transcode_result_new ();
  guint i;

  g_return_val_if_fail (result != NULL, p);

  p->seq = (gint64) MIN (result->seq, (guint64) G_MAXINT64);
  if (result->info != NULL)
    p->info = lp_wire_orchestrator_info_to_proto (result->info);
  if (result->error != NULL) {
    p->result = LP_PROTO_RESULT_ERROR;
    p->error = g_strdup (result->error);
    return p;
  }
  p->result = LP_PROTO_RESULT_DATA;
  p->data = lp_proto_transcode_data_new ();
  for (i = 0; i < result->segments->len; i++) {
    const LpTranscodedSegment *s = &g_array_index (result->segments,
        LpTranscodedSegment, i);
    LpProtoTranscodedSegmentData *d = lp_proto_transcoded_segment_data_new ();

    d->url = g_strdup (s->url);
    d->pixels = (gint64) MIN (s->pixels, (guint64) G_MAXINT64);
    g_ptr_array_add (p->data->segments, d);
  }
  p->data->sig = g_bytes_new (result->sig, LP_SIGNATURE_SIZE);
  return p;
}

/**
 * lp_wire_transcode_result_from_proto:
 * @p: (transfer none): a TranscodeResult message
 * @error: return location for a #GError, or %NULL
 *
 * Reads a result's seq, error or segments (URL, pixels; at most
 * %LP_WIRE_MAX_PROFILES), signature and, when present, its refreshed info
 * (lp_wire_orchestrator_info_from_proto()).
 *
 * Returns: (transfer full) (nullable): the result, or %NULL with
 *     %LP_WIRE_ERROR
 */
LpTranscodeResult *
lp_wire_transcode_result_from_proto (const LpProtoTranscodeResult * p,
    GError ** error)
{
  LpTranscodeResult *result;
  guint i;

  g_return_val_if_fail (p != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (p->seq < 0 || p->result == LP_PROTO_RESULT_NONE) {
    lp_wire_field_error (error, p->seq < 0 ? LP_WIRE_ERROR_INVALID_VALUE :
        LP_WIRE_ERROR_MISSING, "", p->seq < 0 ? "seq" : "result",
        p->seq < 0 ? "negative" : "neither error nor data");
    return NULL;
  }
  result = lp_transcode_result_new ();
  result->seq = (guint64) p->seq;
  if (p->info != NULL) {
    result->info = lp_wire_orchestrator_info_from_proto (p->info, error);
    if (result->info == NULL) {
      g_prefix_error (error, "info: ");
      lp_transcode_result_free (result);
      return NULL;
    }
  }
  if (p->result == LP_PROTO_RESULT_ERROR) {
    result->error = g_strdup (p->error != NULL ? p->error : "");
    return result;
  }
  if (p->data != NULL && p->data->segments->len > LP_WIRE_MAX_PROFILES) {
    lp_wire_field_error (error, LP_WIRE_ERROR_TOO_LARGE, "data", "segments",
        "%u segments, at most %d", p->data->segments->len,
        LP_WIRE_MAX_PROFILES);
    lp_transcode_result_free (result);
    return NULL;
  }
  for (i = 0; p->data != NULL && i < p->data->segments->len; i++) {
    const LpProtoTranscodedSegmentData *d =
        g_ptr_array_index (p->data->segments, i);

    if (d->pixels < 0) {
      lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE,
          "data.segments", "pixels", "negative");
      lp_transcode_result_free (result);
      return NULL;
    }
    lp_transcode_result_add_segment (result, d->url, (guint64) d->pixels);
  }
  if (p->data != NULL)
    read_signature (p->data->sig, result->sig);
  return result;
}

/* ------------------------------------------------------------------------ */
/* From the bytes on the wire                                               */
/* ------------------------------------------------------------------------ */

/**
 * lp_wire_payment_from_proto_bytes:
 * @bytes: (transfer none): a serialized Payment (a `Livepeer-Payment`
 *     value after lp_wire_header_decode_bytes())
 * @error: return location for a #GError, or %NULL
 *
 * lp_proto_payment_decode() then lp_wire_payment_from_proto().
 *
 * Returns: (transfer full) (nullable): the payment, or %NULL with
 *     %LP_PROTO_ERROR or %LP_WIRE_ERROR
 */
LpPayment *
lp_wire_payment_from_proto_bytes (GBytes * bytes, GError ** error)
{
  g_autoptr (LpProtoPayment) p = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  p = lp_proto_payment_decode (g_bytes_get_data (bytes, NULL),
      g_bytes_get_size (bytes), error);
  return p != NULL ? lp_wire_payment_from_proto (p, error) : NULL;
}

/**
 * lp_wire_seg_data_from_proto_bytes:
 * @bytes: (transfer none): a serialized SegData (a `Livepeer-Segment`
 *     value after lp_wire_header_decode_bytes())
 * @message: (out) (optional) (nullable): the decoded message, for what
 *     #LpSegData does not carry (its capabilities), %NULL when it did not
 *     decode
 * @error: return location for a #GError, or %NULL
 *
 * lp_proto_seg_data_decode() then lp_wire_seg_data_from_proto().
 *
 * Returns: (transfer full) (nullable): the segment data, or %NULL with
 *     %LP_PROTO_ERROR or %LP_WIRE_ERROR
 */
LpSegData *
lp_wire_seg_data_from_proto_bytes (GBytes * bytes, LpProtoSegData ** message,
    GError ** error)
{
  g_autoptr (LpProtoSegData) p = NULL;
  LpSegData *seg;

  g_return_val_if_fail (bytes != NULL, NULL);

  p = lp_proto_seg_data_decode (g_bytes_get_data (bytes, NULL),
      g_bytes_get_size (bytes), error);
  seg = p != NULL ? lp_wire_seg_data_from_proto (p, error) : NULL;
  if (message != NULL)
    *message = g_steal_pointer (&p);
  return seg;
}

/**
 * lp_wire_orchestrator_info_from_proto_bytes:
 * @bytes: (transfer none): a serialized OrchestratorInfo (a
 *     GetOrchestrator answer)
 * @message: (out) (optional) (nullable): the decoded message, for what
 *     #LpOrchestratorInfo does not carry (capability bits and prices),
 *     %NULL when it did not decode
 * @error: return location for a #GError, or %NULL
 *
 * lp_proto_orchestrator_info_decode() then
 * lp_wire_orchestrator_info_from_proto().
 *
 * Returns: (transfer full) (nullable): the info, or %NULL with
 *     %LP_PROTO_ERROR or %LP_WIRE_ERROR
 */
LpOrchestratorInfo *
lp_wire_orchestrator_info_from_proto_bytes (GBytes * bytes,
    LpProtoOrchestratorInfo ** message, GError ** error)
{
  g_autoptr (LpProtoOrchestratorInfo) p = NULL;
  LpOrchestratorInfo *info;

  g_return_val_if_fail (bytes != NULL, NULL);

  p = lp_proto_orchestrator_info_decode (g_bytes_get_data (bytes, NULL),
      g_bytes_get_size (bytes), error);
  info = p != NULL ? lp_wire_orchestrator_info_from_proto (p, error) : NULL;
  if (message != NULL)
    *message = g_steal_pointer (&p);
  return info;
}

/**
 * lp_wire_transcode_result_from_proto_bytes:
 * @bytes: (transfer none): a serialized TranscodeResult (a segment's
 *     answer)
 * @error: return location for a #GError, or %NULL
 *
 * lp_proto_transcode_result_decode() then
 * lp_wire_transcode_result_from_proto().
 *
 * Returns: (transfer full) (nullable): the result, or %NULL with
 *     %LP_PROTO_ERROR or %LP_WIRE_ERROR
 */
LpTranscodeResult *
lp_wire_transcode_result_from_proto_bytes (GBytes * bytes, GError ** error)
{
  g_autoptr (LpProtoTranscodeResult) p = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  p = lp_proto_transcode_result_decode (g_bytes_get_data (bytes, NULL),
      g_bytes_get_size (bytes), error);
  return p != NULL ? lp_wire_transcode_result_from_proto (p, error) : NULL;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * go-livepeer's wire messages (proto/lp_rpc.proto, package net) as plain C
 * structs, with their protobuf encoders and decoders.
 *
 * Every message type LpProtoX has:
 *   - lp_proto_x_new (): an empty message: numbers 0, strings, bytes and
 *     sub-messages NULL, and every repeated field and map allocated and
 *     empty (never NULL in a message made by _new or _decode);
 *   - lp_proto_x_free (): frees it and everything it points to;
 *   - lp_proto_x_encode (): its canonical protobuf bytes, as protobuf's own
 *     serializers write them with deterministic output (fields in number
 *     order, proto3 defaults left out, map entries sorted by key);
 *   - lp_proto_x_decode (): a strict reading of protobuf bytes: fields it
 *     does not know are skipped as protobuf skips them; anything malformed,
 *     truncated, over a limit or of the wrong wire type is an
 *     %LP_PROTO_ERROR whose message starts with the field's path.
 *
 * Ownership: a message owns everything it points to. Strings are
 * NUL-terminated UTF-8 (NULL for empty), bytes are #GBytes (NULL for
 * empty), a sub-message pointer is NULL when the sub-message is absent.
 * Big integers in TicketParams are minimal big-endian bytes (zero is no
 * bytes); these structs carry them as they are, the wire layer interprets
 * them.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gst/livepeer/lpproto.h>

G_BEGIN_DECLS

/* The most elements one repeated field or map may hold when decoding */
#define LP_PROTO_MAX_REPEATED 1024

/* proto3 enums are open: a field holds any int32, known or not */
typedef enum
{
  LP_PROTO_FORMAT_MPEGTS = 0,
  LP_PROTO_FORMAT_MP4 = 1,
} LpProtoVideoFormat;

typedef enum
{
  LP_PROTO_PROFILE_ENCODER_DEFAULT = 0,
  LP_PROTO_PROFILE_H264_BASELINE = 1,
  LP_PROTO_PROFILE_H264_MAIN = 2,
  LP_PROTO_PROFILE_H264_HIGH = 3,
  LP_PROTO_PROFILE_H264_CONSTRAINED_HIGH = 4,
} LpProtoVideoCodecProfile;

typedef enum
{
  LP_PROTO_CODEC_H264 = 0,
  LP_PROTO_CODEC_H265 = 1,
  LP_PROTO_CODEC_VP8 = 2,
  LP_PROTO_CODEC_VP9 = 3,
} LpProtoVideoCodec;

typedef enum
{
  LP_PROTO_CHROMA_420 = 0,
  LP_PROTO_CHROMA_422 = 1,
  LP_PROTO_CHROMA_444 = 2,
} LpProtoChromaSubsampling;

/* net.PingPong */
typedef struct
{
  GBytes *value;
} LpProtoPingPong;

/* net.AuthToken */
typedef struct
{
  GBytes *token;
  gchar *session_id;
  gint64 expiration;
} LpProtoAuthToken;

/* net.EndTranscodingSessionRequest */
typedef struct
{
  LpProtoAuthToken *auth_token;
} LpProtoEndTranscodingSessionRequest;

/* net.PriceInfo */
typedef struct
{
  gint64 price_per_unit;
  gint64 pixels_per_unit;
  guint32 capability;
  gchar *constraint;
} LpProtoPriceInfo;

/* net.Capabilities.CapabilityConstraints.ModelConstraint */
typedef struct
{
  gboolean warm;
  guint32 capacity;
  gchar *runner_version;
  guint32 capacity_in_use;
} LpProtoModelConstraint;

/* net.Capabilities.CapabilityConstraints; models: model id (gchar *) ->
 * LpProtoModelConstraint * (both owned; insert with
 * lp_proto_capability_constraints_take_model()) */
typedef struct
{
  GHashTable *models;
} LpProtoCapabilityConstraints;

/* net.Capabilities.Constraints; per_capability: capability id
 * (GUINT_TO_POINTER) -> LpProtoCapabilityConstraints * (owned; insert with
 * lp_proto_constraints_take_capability()) */
typedef struct
{
  gchar *min_version;
  GHashTable *per_capability;
} LpProtoConstraints;

/* net.Capabilities; bitstring and mandatories: GArray of guint64;
 * capacities: capability id -> capacity, both GUINT_TO_POINTER (set with
 * lp_proto_capabilities_set_capacity()) */
typedef struct
{
  GArray *bitstring;
  GArray *mandatories;
  GHashTable *capacities;
  gchar *version;
  LpProtoConstraints *constraints;
} LpProtoCapabilities;

/* net.TicketExpirationParams */
typedef struct
{
  gint64 creation_round;
  GBytes *creation_round_block_hash;
} LpProtoTicketExpirationParams;

/* net.TicketParams */
typedef struct
{
  GBytes *recipient;
  GBytes *face_value;
  GBytes *win_prob;
  GBytes *recipient_rand_hash;
  GBytes *seed;
  GBytes *expiration_block;
  LpProtoTicketExpirationParams *expiration_params;
} LpProtoTicketParams;

/* net.TicketSenderParams */
typedef struct
{
  guint32 sender_nonce;
  GBytes *sig;
} LpProtoTicketSenderParams;

/* net.Payment; ticket_sender_params: LpProtoTicketSenderParams * */
typedef struct
{
  LpProtoTicketParams *ticket_params;
  GBytes *sender;
  LpProtoTicketExpirationParams *expiration_params;
  GPtrArray *ticket_sender_params;
  LpProtoPriceInfo *expected_price;
} LpProtoPayment;

/* net.OrchestratorRequest */
typedef struct
{
  GBytes *address;
  GBytes *sig;
  LpProtoCapabilities *capabilities;
  gboolean ignore_capacity_check;
} LpProtoOrchestratorRequest;

/* net.OrchestratorInfo; capabilities_prices: LpProtoPriceInfo *; nodes:
 * gchar * */
typedef struct
{
  gchar *transcoder;
  LpProtoTicketParams *ticket_params;
  LpProtoPriceInfo *price_info;
  GBytes *address;
  LpProtoCapabilities *capabilities;
  LpProtoAuthToken *auth_token;
  GPtrArray *capabilities_prices;
  GPtrArray *nodes;
} LpProtoOrchestratorInfo;

/* net.VideoProfile; the enum fields hold the LpProto* enums above, or any
 * other value a newer peer sends */
typedef struct
{
  gchar *name;
  gint32 width;
  gint32 height;
  gint32 bitrate;
  guint32 fps;
  gint32 format;
  guint32 fps_den;
  gint32 profile;
  gint32 gop;
  gint32 encoder;
  gint32 color_depth;
  gint32 chroma_format;
  guint32 quality;
} LpProtoVideoProfile;

/* net.SegParameters */
typedef struct
{
  guint64 from;
  guint64 to;
} LpProtoSegParameters;

/* net.SegData; full_profiles, full_profiles2, full_profiles3:
 * LpProtoVideoProfile * */
typedef struct
{
  GBytes *manifest_id;
  gint64 seq;
  GBytes *hash;
  GBytes *profiles;
  GBytes *sig;
  gint32 duration;
  LpProtoCapabilities *capabilities;
  LpProtoAuthToken *auth_token;
  gboolean calc_perceptual_hash;
  GPtrArray *full_profiles;
  GPtrArray *full_profiles2;
  GPtrArray *full_profiles3;
  LpProtoSegParameters *segment_parameters;
  gboolean force_session_reinit;
} LpProtoSegData;

/* net.TranscodedSegmentData */
typedef struct
{
  gchar *url;
  gint64 pixels;
  gchar *perceptual_hash_url;
} LpProtoTranscodedSegmentData;

/* net.TranscodeData; segments: LpProtoTranscodedSegmentData * */
typedef struct
{
  GPtrArray *segments;
  GBytes *sig;
} LpProtoTranscodeData;

/**
 * LpProtoResultKind:
 * @LP_PROTO_RESULT_NONE: neither member of the oneof is set
 * @LP_PROTO_RESULT_ERROR: error is set (an empty error still counts)
 * @LP_PROTO_RESULT_DATA: data is set
 *
 * Which member of TranscodeResult's oneof `result` is set.
 */
typedef enum
{
  LP_PROTO_RESULT_NONE,
  LP_PROTO_RESULT_ERROR,
  LP_PROTO_RESULT_DATA,
} LpProtoResultKind;

/* net.TranscodeResult: error is meaningful only with
 * LP_PROTO_RESULT_ERROR (NULL there means an empty error text), data only
 * with LP_PROTO_RESULT_DATA (NULL there means an empty TranscodeData) */
typedef struct
{
  gint64 seq;
  LpProtoResultKind result;
  gchar *error;
  LpProtoTranscodeData *data;
  LpProtoOrchestratorInfo *info;
} LpProtoTranscodeResult;

/* net.PaymentResult */
typedef struct
{
  LpProtoOrchestratorInfo *info;
} LpProtoPaymentResult;

#define LP_PROTO_DECLARE_MESSAGE(Type, prefix)                              \
  GST_LIVEPEER_API Type *prefix##_new (void);                               \
  GST_LIVEPEER_API void prefix##_free (Type * message);                     \
  GST_LIVEPEER_API GBytes *prefix##_encode (const Type * message);          \
  GST_LIVEPEER_API Type *prefix##_decode (const guint8 * data,              \
      gsize length, GError ** error);                                       \
  G_DEFINE_AUTOPTR_CLEANUP_FUNC (Type, prefix##_free)

LP_PROTO_DECLARE_MESSAGE (LpProtoPingPong, lp_proto_ping_pong);
LP_PROTO_DECLARE_MESSAGE (LpProtoAuthToken, lp_proto_auth_token);
LP_PROTO_DECLARE_MESSAGE (LpProtoEndTranscodingSessionRequest,
    lp_proto_end_transcoding_session_request);
LP_PROTO_DECLARE_MESSAGE (LpProtoPriceInfo, lp_proto_price_info);
LP_PROTO_DECLARE_MESSAGE (LpProtoModelConstraint, lp_proto_model_constraint);
LP_PROTO_DECLARE_MESSAGE (LpProtoCapabilityConstraints,
    lp_proto_capability_constraints);
LP_PROTO_DECLARE_MESSAGE (LpProtoConstraints, lp_proto_constraints);
LP_PROTO_DECLARE_MESSAGE (LpProtoCapabilities, lp_proto_capabilities);
LP_PROTO_DECLARE_MESSAGE (LpProtoTicketExpirationParams,
    lp_proto_ticket_expiration_params);
LP_PROTO_DECLARE_MESSAGE (LpProtoTicketParams, lp_proto_ticket_params);
LP_PROTO_DECLARE_MESSAGE (LpProtoTicketSenderParams,
    lp_proto_ticket_sender_params);
LP_PROTO_DECLARE_MESSAGE (LpProtoPayment, lp_proto_payment);
LP_PROTO_DECLARE_MESSAGE (LpProtoOrchestratorRequest,
    lp_proto_orchestrator_request);
LP_PROTO_DECLARE_MESSAGE (LpProtoOrchestratorInfo,
    lp_proto_orchestrator_info);
LP_PROTO_DECLARE_MESSAGE (LpProtoVideoProfile, lp_proto_video_profile);
LP_PROTO_DECLARE_MESSAGE (LpProtoSegParameters, lp_proto_seg_parameters);
LP_PROTO_DECLARE_MESSAGE (LpProtoSegData, lp_proto_seg_data);
LP_PROTO_DECLARE_MESSAGE (LpProtoTranscodedSegmentData,
    lp_proto_transcoded_segment_data);
LP_PROTO_DECLARE_MESSAGE (LpProtoTranscodeData, lp_proto_transcode_data);
LP_PROTO_DECLARE_MESSAGE (LpProtoTranscodeResult, lp_proto_transcode_result);
LP_PROTO_DECLARE_MESSAGE (LpProtoPaymentResult, lp_proto_payment_result);

/* Map insertion helpers: each replaces an existing entry of the same key,
 * as a repeated map key does on the wire (the last one wins) */
GST_LIVEPEER_API
void lp_proto_capabilities_set_capacity (LpProtoCapabilities * caps,
    guint32 capability, guint32 capacity);
GST_LIVEPEER_API
gboolean lp_proto_capabilities_get_capacity (const LpProtoCapabilities *
    caps, guint32 capability, guint32 * capacity);
GST_LIVEPEER_API
void lp_proto_constraints_take_capability (LpProtoConstraints * constraints,
    guint32 capability, LpProtoCapabilityConstraints * per_capability);
GST_LIVEPEER_API
void lp_proto_capability_constraints_take_model (LpProtoCapabilityConstraints
    * constraints, const gchar * model_id, LpProtoModelConstraint * model);

G_END_DECLS

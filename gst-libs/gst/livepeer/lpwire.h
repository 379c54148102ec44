/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The messages of docs/design/protocol.md §7 as structs, their readable
 * JSON form, the segment and transcode-result signatures (§3, §4) and the
 * orchestrator's session auth token. The wire form (base64 of protobuf in
 * the headers, protobuf bodies) is lpwire-proto.h; the JSON form is not a
 * wire format but what people read and write: `lpctl` prints payments,
 * segments and orchestrator info with it and takes --params in it, and
 * lpverify's `transcode-result` property holds a result in it. No I/O, no
 * state: safe from any thread.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpuint256.h>
#include <gst/livepeer/lpprofile.h>
#include <gst/livepeer/lpticket.h>

G_BEGIN_DECLS

/* Limits every decoder enforces */
#define LP_WIRE_MAX_HEADER_SIZE 65536   /* base64 text of a header, bytes */
#define LP_WIRE_MAX_JSON_SIZE (256 * 1024)      /* a JSON body, bytes */
#define LP_WIRE_MAX_DEPTH 16    /* nesting of arrays and objects */
#define LP_WIRE_MAX_TICKETS LP_TICKET_MAX_NONCES        /* per ticket params */
/* The most tickets one Payment may carry on the wire. libsoup refuses a
 * request whose header block exceeds 64 KiB (and resets it without a
 * status), so a Livepeer-Payment header must stay well under that. The
 * bound was set for a JSON header form, where each ticket cost 225 bytes
 * and the rest of a Payment at most 1.3 KiB (46 340 bytes for 200
 * tickets); base64 of protobuf is smaller, leaving more room for the
 * Livepeer-Segment header and the rest of the request. Senders never
 * build more; the orchestrator sizes its ticket EV so that a segment
 * within its admission limits never needs more. */
#define LP_WIRE_MAX_TICKETS_PER_PAYMENT 200
#define LP_WIRE_MAX_PROFILES 32 /* per SegData, segments per result */
#define LP_WIRE_MAX_PROFILE_NAME_LENGTH LP_PROFILE_MAX_NAME_LENGTH
#define LP_WIRE_MAX_MANIFEST_ID_LENGTH 256
#define LP_WIRE_MAX_SESSION_ID_LENGTH 64
#define LP_WIRE_MAX_URL_LENGTH 2048
#define LP_WIRE_MAX_ERROR_LENGTH 4096
#define LP_WIRE_MAX_DURATION_MS 300000  /* go-livepeer: at most 5 minutes */

/* The session auth token (go-livepeer's AuthToken) */
#define LP_AUTH_TOKEN_SIZE 32   /* HMAC-SHA256 */
#define LP_AUTH_TOKEN_SECRET_SIZE 32
#define LP_AUTH_TOKEN_VALIDITY_S (30 * 60)

/**
 * LP_WIRE_ERROR:
 *
 * Error domain of lpwire (message decoding, signatures of segments and
 * results, auth tokens); its codes are #LpWireError. Every decoding error
 * message starts with the path of the offending field, for example
 * "ticket_params.face_value: not a decimal uint256".
 */
#define LP_WIRE_ERROR (lp_wire_error_quark ())
GST_LIVEPEER_API
GQuark lp_wire_error_quark (void);

/**
 * LpWireError:
 * @LP_WIRE_ERROR_TOO_LARGE: the input, a list or a string is over its
 *     limit (LP_WIRE_MAX_*)
 * @LP_WIRE_ERROR_ENCODING: a header is not canonical padded base64
 * @LP_WIRE_ERROR_SYNTAX: the text is not strict JSON (RFC 8259), has
 *     trailing data, nests too deep or repeats a key in an object
 * @LP_WIRE_ERROR_TYPE: a field has the wrong JSON type
 * @LP_WIRE_ERROR_MISSING: a required field is absent
 * @LP_WIRE_ERROR_INVALID_VALUE: a field's value is malformed or out of
 *     range (hex length, address, uint256, enumeration, ...)
 * @LP_WIRE_ERROR_UNKNOWN_FIELD: an object has a field this implementation
 *     does not know
 * @LP_WIRE_ERROR_UNSUPPORTED: a known go-livepeer field asks for a feature
 *     this implementation does not have (an MP4 rendition, HEVC, ...)
 * @LP_WIRE_ERROR_AUTH_TOKEN_INVALID: an auth token was not made with this
 *     secret, or was altered
 * @LP_WIRE_ERROR_AUTH_TOKEN_EXPIRED: an auth token is authentic but
 *     expired
 *
 * Error codes of the %LP_WIRE_ERROR domain. Signature checks report
 * %LP_CRYPTO_ERROR.
 */
typedef enum
{
  LP_WIRE_ERROR_TOO_LARGE,
  LP_WIRE_ERROR_ENCODING,
  LP_WIRE_ERROR_SYNTAX,
  LP_WIRE_ERROR_TYPE,
  LP_WIRE_ERROR_MISSING,
  LP_WIRE_ERROR_INVALID_VALUE,
  LP_WIRE_ERROR_UNKNOWN_FIELD,
  LP_WIRE_ERROR_UNSUPPORTED,
  LP_WIRE_ERROR_AUTH_TOKEN_INVALID,
  LP_WIRE_ERROR_AUTH_TOKEN_EXPIRED,
} LpWireError;

/**
 * LpAuthToken:
 * @token: HMAC-SHA256 over @session_id ‖ minbe(@expiration), keyed with
 *     the orchestrator's secret; opaque to the broadcaster
 * @session_id: the orchestrator's session key, 1 to
 *     %LP_WIRE_MAX_SESSION_ID_LENGTH printable ASCII characters
 * @expiration: when the token expires, Unix seconds
 *
 * go-livepeer's AuthToken. A plain value type: copy it with `=`.
 */
typedef struct
{
  guint8 token[LP_AUTH_TOKEN_SIZE];
  gchar session_id[LP_WIRE_MAX_SESSION_ID_LENGTH + 1];
  gint64 expiration;
} LpAuthToken;

/**
 * LpSegData:
 * @manifest_id: the stream's manifest id (text, 1 to
 *     %LP_WIRE_MAX_MANIFEST_ID_LENGTH bytes); signed
 * @seq: segment sequence number (at most %G_MAXINT64); signed
 * @hash: keccak of the segment bytes; signed
 * @sig: the broadcaster's message signature of the segment message
 * @duration_ms: segment duration in milliseconds, 0 to
 *     %LP_WIRE_MAX_DURATION_MS (0: the orchestrator assumes 2000)
 * @profiles: (element-type LpProfile): the renditions asked for, in order;
 *     their names are signed
 * @capabilities: (nullable): the job's capabilities as the compact text of
 *     a JSON object, or %NULL
 * @auth_token: the token of the orchestrator's OrchestratorInfo
 *
 * What the Livepeer-Segment header carries. Create with lp_seg_data_new(),
 * free with lp_seg_data_free().
 */
typedef struct
{
  gchar *manifest_id;
  guint64 seq;
  guint8 hash[LP_KECCAK256_SIZE];
  guint8 sig[LP_SIGNATURE_SIZE];
  guint duration_ms;
  GPtrArray *profiles;
  gchar *capabilities;
  LpAuthToken auth_token;
} LpSegData;

/**
 * LpOrchestratorRequest:
 * @address: the broadcaster's address
 * @sig: its message signature of its own EIP-55 address text
 *
 * A broadcaster's discovery request (a capability job's bit and model are
 * added to its protobuf form, lp_wire_orchestrator_request_to_proto()).
 * Create with lp_orchestrator_request_new(), free with
 * lp_orchestrator_request_free().
 */
typedef struct
{
  LpAddress address;
  guint8 sig[LP_SIGNATURE_SIZE];
} LpOrchestratorRequest;

/**
 * LpOrchestratorInfo:
 * @transcoder: base URI of the orchestrator's /segment endpoint
 * @has_ticket_params: whether @ticket_params is present
 * @ticket_params: ticket parameters for this broadcaster
 * @has_price_info: whether @price_info is present
 * @price_info: the orchestrator's price for this broadcaster
 * @address: the address that signs transcode results
 * @capabilities: (nullable): JSON object text, or %NULL
 * @auth_token: the session credential
 *
 * An orchestrator's answer to discovery. Create with
 * lp_orchestrator_info_new(), free with lp_orchestrator_info_free().
 */
typedef struct
{
  gchar *transcoder;
  gboolean has_ticket_params;
  LpTicketParams ticket_params;
  gboolean has_price_info;
  LpPriceInfo price_info;
  LpAddress address;
  gchar *capabilities;
  LpAuthToken auth_token;
} LpOrchestratorInfo;

/**
 * LpTranscodedSegment:
 * @url: (nullable): where to download the rendition, or %NULL when the
 *     renditions come inline in the response
 * @pixels: encoded output pixels of the rendition
 *
 * One rendition of a TranscodeResult.
 */
typedef struct
{
  gchar *url;
  guint64 pixels;
} LpTranscodedSegment;

/**
 * LpTranscodeResult:
 * @seq: the segment's sequence number, echoed
 * @error: (nullable): the orchestrator's error text; when set, there are
 *     no @segments and @sig is meaningless
 * @segments: (element-type LpTranscodedSegment): one per requested
 *     profile, in order
 * @sig: the orchestrator's hash signature of the result hash
 *     (lp_transcode_result_hash())
 * @info: (nullable): refreshed orchestrator info
 *
 * An orchestrator's answer to a segment. Create with
 * lp_transcode_result_new(), free with lp_transcode_result_free().
 */
typedef struct
{
  guint64 seq;
  gchar *error;
  GArray *segments;
  guint8 sig[LP_SIGNATURE_SIZE];
  LpOrchestratorInfo *info;
} LpTranscodeResult;

/* ---- object life cycles ---- */

GST_LIVEPEER_API
LpSegData *lp_seg_data_new (void);
GST_LIVEPEER_API
LpSegData *lp_seg_data_copy (const LpSegData * seg);
GST_LIVEPEER_API
void lp_seg_data_free (LpSegData * seg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpSegData, lp_seg_data_free)

GST_LIVEPEER_API
LpOrchestratorRequest *lp_orchestrator_request_new (void);
GST_LIVEPEER_API
LpOrchestratorRequest *lp_orchestrator_request_copy (const
    LpOrchestratorRequest * request);
GST_LIVEPEER_API
void lp_orchestrator_request_free (LpOrchestratorRequest * request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpOrchestratorRequest,
    lp_orchestrator_request_free)

GST_LIVEPEER_API
LpOrchestratorInfo *lp_orchestrator_info_new (void);
GST_LIVEPEER_API
LpOrchestratorInfo *lp_orchestrator_info_copy (const LpOrchestratorInfo *
    info);
GST_LIVEPEER_API
void lp_orchestrator_info_free (LpOrchestratorInfo * info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpOrchestratorInfo, lp_orchestrator_info_free)

GST_LIVEPEER_API
LpTranscodeResult *lp_transcode_result_new (void);
GST_LIVEPEER_API
LpTranscodeResult *lp_transcode_result_copy (const LpTranscodeResult *
    result);
GST_LIVEPEER_API
void lp_transcode_result_free (LpTranscodeResult * result);
GST_LIVEPEER_API
void lp_transcode_result_add_segment (LpTranscodeResult * result,
    const gchar * url, guint64 pixels);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpTranscodeResult, lp_transcode_result_free)

/* ---- readable JSON (lpctl, lpverify; not a wire format) ---- */

GST_LIVEPEER_API
gboolean lp_wire_ticket_params_from_json (const gchar * data, gssize length,
    LpTicketParams * params, GError ** error);
GST_LIVEPEER_API
gchar *lp_wire_payment_to_json (const LpPayment * payment);
GST_LIVEPEER_API
LpPayment *lp_wire_payment_from_json (const gchar * data, gssize length,
    GError ** error);
GST_LIVEPEER_API
gchar *lp_wire_seg_data_to_json (const LpSegData * seg);
GST_LIVEPEER_API
LpSegData *lp_wire_seg_data_from_json (const gchar * data, gssize length,
    GError ** error);
GST_LIVEPEER_API
LpOrchestratorInfo *lp_wire_orchestrator_info_from_json (const gchar * data,
    gssize length, GError ** error);
GST_LIVEPEER_API
gchar *lp_wire_transcode_result_to_json (const LpTranscodeResult * result);
GST_LIVEPEER_API
LpTranscodeResult *lp_wire_transcode_result_from_json (const gchar * data,
    gssize length, GError ** error);

/* ---- segment signature (docs/design/protocol.md §2) ---- */

GST_LIVEPEER_API
GBytes *lp_seg_data_signed_message (const LpSegData * seg);
GST_LIVEPEER_API
gboolean lp_seg_data_sign (LpSegData * seg, const LpPrivateKey * key,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_seg_data_recover_signer (const LpSegData * seg,
    LpAddress * signer, GError ** error);
GST_LIVEPEER_API
gboolean lp_seg_data_verify (const LpSegData * seg, const LpAddress * sender,
    GError ** error);

/* ---- transcode result signature (docs/design/protocol.md §2) ---- */

GST_LIVEPEER_API
void lp_transcode_result_hash_combine (const guint8 * rendition_hashes,
    guint n_renditions, guint8 hash[LP_KECCAK256_SIZE]);
GST_LIVEPEER_API
void lp_transcode_result_hash (GBytes * const *renditions,
    guint n_renditions, guint8 hash[LP_KECCAK256_SIZE]);
GST_LIVEPEER_API
gboolean lp_transcode_result_sign (LpTranscodeResult * result,
    const LpPrivateKey * key, GBytes * const *renditions, guint n_renditions,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_transcode_result_verify (const LpTranscodeResult * result,
    const LpAddress * signer, GBytes * const *renditions, guint n_renditions,
    GError ** error);

/* ---- auth token ---- */

GST_LIVEPEER_API
gboolean lp_auth_token_create (const guint8 secret[LP_AUTH_TOKEN_SECRET_SIZE],
    const gchar * session_id, gint64 expiration, LpAuthToken * token,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_auth_token_new_session (const guint8
    secret[LP_AUTH_TOKEN_SECRET_SIZE], gint64 now, LpAuthToken * token,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_auth_token_verify (const guint8 secret[LP_AUTH_TOKEN_SECRET_SIZE],
    const LpAuthToken * token, gint64 now, GError ** error);

G_END_DECLS

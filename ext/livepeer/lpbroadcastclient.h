/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The broadcaster's client in go-livepeer's dialect (docs/design/transport.md):
 * gRPC discovery of one orchestrator (for transcoding or a capability
 * job), submission of one segment (protobuf headers and result, the
 * renditions fetched by URL) and the end of a session (what
 * comes back is inspected by lprendition.h, whose errors are in this
 * file's %LP_BROADCAST_ERROR domain). Synchronous: each call blocks its caller's thread, so livepeersink
 * makes them from its own dispatch threads, never from a streaming
 * thread. Every request has a whole-request deadline and every answer a
 * size cap, whatever the peer does: an orchestrator that trickles its
 * answer or sends one without end costs at most the deadline and the
 * cap.
 */
#pragma once

#include <libsoup/soup.h>
#include <gst/gst.h>
#include <gst/livepeer/lpcapability.h>
#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpwire.h>

G_BEGIN_DECLS

#define LP_BROADCAST_ERROR (lp_broadcast_error_quark ())
GQuark lp_broadcast_error_quark (void);

/**
 * LpBroadcastError:
 * @LP_BROADCAST_ERROR_STATUS: the orchestrator answered with an HTTP
 *     error status; the message holds the status and its reason text
 * @LP_BROADCAST_ERROR_BAD_RESPONSE: the answer is not what the protocol
 *     says (not protobuf, wrong number of renditions, a job not advertised)
 * @LP_BROADCAST_ERROR_TRANSCODE: the orchestrator reported a transcoding
 *     error in its TranscodeResult
 * @LP_BROADCAST_ERROR_RENDITION: a rendition does not decode
 * @LP_BROADCAST_ERROR_TOO_LARGE: the answer is larger than the cap of the
 *     request (declared so, or read so far)
 * @LP_BROADCAST_ERROR_CAPPED: the orchestrator has no capacity for a new
 *     session ("OrchestratorCapped", as a 403 answer or in the
 *     TranscodeResult); a session it already runs may still be served
 *
 * Besides these, a call fails with %G_IO_ERROR_TIMED_OUT when the whole
 * exchange did not end by its deadline, %G_IO_ERROR_CANCELLED when the
 * caller cancelled it, or another transport error.
 */
typedef enum
{
  LP_BROADCAST_ERROR_STATUS,
  LP_BROADCAST_ERROR_BAD_RESPONSE,
  LP_BROADCAST_ERROR_TRANSCODE,
  LP_BROADCAST_ERROR_RENDITION,
  LP_BROADCAST_ERROR_TOO_LARGE,
  LP_BROADCAST_ERROR_CAPPED,
} LpBroadcastError;

/* the most an OrchestratorInfo answer may be: what the decoder takes */
#define LP_BROADCAST_MAX_INFO_SIZE LP_WIRE_MAX_JSON_SIZE
/* the most read of an error answer (its reason) or an /endSession one */
#define LP_BROADCAST_MAX_REASON_SIZE 4096

/**
 * LpBroadcastClient:
 *
 * An HTTP session with its own main context, which only the calls run:
 * each request is sent and read asynchronously in that context, with a
 * timer there that cancels it at its deadline. Opaque; one thread uses
 * it, the one that made it.
 */
typedef struct _LpBroadcastClient LpBroadcastClient;

LpBroadcastClient *lp_broadcast_client_new (void);
void lp_broadcast_client_free (LpBroadcastClient * client);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpBroadcastClient, lp_broadcast_client_free)

/**
 * LpSegmentResponse:
 * @status: the HTTP status
 * @result: the TranscodeResult (with @result->error unset)
 * @renditions: (element-type GBytes): the renditions, in profile order
 * @upload_us: time until the answer's headers arrived, microseconds
 * @total_us: time until its body was read, microseconds
 */
typedef struct
{
  guint status;
  LpTranscodeResult *result;
  GPtrArray *renditions;
  gint64 upload_us;
  gint64 total_us;
} LpSegmentResponse;

void lp_segment_response_free (LpSegmentResponse * response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpSegmentResponse, lp_segment_response_free)

LpOrchestratorInfo *lp_broadcast_discover_grpc (LpBroadcastClient * client,
    const gchar * uri, LpPrivateKey * key, const LpCapability * job,
    guint timeout_ms, GCancellable * cancellable, GError ** error);
gchar *lp_broadcast_seg_data_to_header (const LpSegData * seg,
    const LpCapability * job);
gboolean lp_broadcast_end_session_grpc (LpBroadcastClient * client,
    const gchar * uri, const LpAuthToken * token, guint timeout_ms,
    GError ** error);

LpSegmentResponse *lp_broadcast_submit_proto (LpBroadcastClient * client,
    const gchar * transcoder, const gchar * segment_header,
    const gchar * payment_header, GBytes * body, guint n_profiles,
    guint timeout_ms, gsize max_size, GCancellable * cancellable,
    GError ** error);

G_END_DECLS

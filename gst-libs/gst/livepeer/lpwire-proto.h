/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The segment path's messages on the wire, go-livepeer's protobuf: SegData
 * and Payment (the Livepeer-Segment and Livepeer-Payment headers, base64 of
 * protobuf), OrchestratorRequest, OrchestratorInfo and TranscodeResult,
 * read into and written from the structs of lpwire.h, for both the
 * orchestrator and the broadcaster. No I/O, no state: MT safe.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gst/livepeer/lpwire.h>
#include <gst/livepeer/lpproto-messages.h>

G_BEGIN_DECLS

GST_LIVEPEER_API
GBytes *lp_wire_header_decode_bytes (const gchar * header,
    const gchar * name, GError ** error);

GST_LIVEPEER_API
LpSegData *lp_wire_seg_data_from_proto (const LpProtoSegData * p,
    GError ** error);
GST_LIVEPEER_API
LpProtoSegData *lp_wire_seg_data_to_proto (const LpSegData * seg);
GST_LIVEPEER_API
gchar *lp_wire_seg_data_to_proto_header (const LpSegData * seg);
GST_LIVEPEER_API
LpPayment *lp_wire_payment_from_proto (const LpProtoPayment * p,
    GError ** error);
GST_LIVEPEER_API
LpProtoPayment *lp_wire_payment_to_proto (const LpPayment * payment);

GST_LIVEPEER_API
gchar *lp_wire_payment_to_proto_header (const LpPayment * payment);

GST_LIVEPEER_API
LpProtoOrchestratorRequest *lp_wire_orchestrator_request_to_proto (const
    LpOrchestratorRequest * request);
GST_LIVEPEER_API
LpOrchestratorRequest *lp_wire_orchestrator_request_from_proto (const
    LpProtoOrchestratorRequest * p, GError ** error);
GST_LIVEPEER_API
LpOrchestratorInfo *lp_wire_orchestrator_info_from_proto (const
    LpProtoOrchestratorInfo * p, GError ** error);

GST_LIVEPEER_API
LpProtoTicketParams *lp_wire_ticket_params_to_proto (const LpTicketParams *
    params);
GST_LIVEPEER_API
LpProtoAuthToken *lp_wire_auth_token_to_proto (const LpAuthToken * token);
GST_LIVEPEER_API
gboolean lp_wire_auth_token_from_proto (const LpProtoAuthToken * p,
    LpAuthToken * token, GError ** error);
GST_LIVEPEER_API
LpProtoOrchestratorInfo *lp_wire_orchestrator_info_to_proto (const
    LpOrchestratorInfo * info);
GST_LIVEPEER_API
LpProtoTranscodeResult *lp_wire_transcode_result_to_proto (const
    LpTranscodeResult * result);
GST_LIVEPEER_API
LpTranscodeResult *lp_wire_transcode_result_from_proto (const
    LpProtoTranscodeResult * p, GError ** error);

GST_LIVEPEER_API
LpPayment *lp_wire_payment_from_proto_bytes (GBytes * bytes,
    GError ** error);
GST_LIVEPEER_API
LpSegData *lp_wire_seg_data_from_proto_bytes (GBytes * bytes,
    LpProtoSegData ** message, GError ** error);
GST_LIVEPEER_API
LpOrchestratorInfo *lp_wire_orchestrator_info_from_proto_bytes (GBytes *
    bytes, LpProtoOrchestratorInfo ** message, GError ** error);
GST_LIVEPEER_API
LpTranscodeResult *lp_wire_transcode_result_from_proto_bytes (GBytes *
    bytes, GError ** error);

G_END_DECLS

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The table of lptest-proto-types.h. Plain C over the core library, with no
 * GStreamer or libcheck, so that the fuzz targets compile it with their
 * sanitizers.
 */
#include "lptest-proto-types.h"

#define TYPE(Name, prefix) \
  { Name, (gpointer (*) (const guint8 *, gsize, GError **)) prefix##_decode, \
    (GBytes * (*) (gconstpointer)) prefix##_encode, \
    (void (*) (gpointer)) prefix##_free }

const LpTestProtoType lp_test_proto_types[] = {
  TYPE ("PingPong", lp_proto_ping_pong),
  TYPE ("AuthToken", lp_proto_auth_token),
  TYPE ("EndTranscodingSessionRequest",
      lp_proto_end_transcoding_session_request),
  TYPE ("PriceInfo", lp_proto_price_info),
  TYPE ("Capabilities.CapabilityConstraints.ModelConstraint",
      lp_proto_model_constraint),
  TYPE ("Capabilities.CapabilityConstraints",
      lp_proto_capability_constraints),
  TYPE ("Capabilities.Constraints", lp_proto_constraints),
  TYPE ("Capabilities", lp_proto_capabilities),
  TYPE ("TicketExpirationParams", lp_proto_ticket_expiration_params),
  TYPE ("TicketParams", lp_proto_ticket_params),
  TYPE ("TicketSenderParams", lp_proto_ticket_sender_params),
  TYPE ("Payment", lp_proto_payment),
  TYPE ("OrchestratorRequest", lp_proto_orchestrator_request),
  TYPE ("OrchestratorInfo", lp_proto_orchestrator_info),
  TYPE ("VideoProfile", lp_proto_video_profile),
  TYPE ("SegParameters", lp_proto_seg_parameters),
  TYPE ("SegData", lp_proto_seg_data),
  TYPE ("TranscodedSegmentData", lp_proto_transcoded_segment_data),
  TYPE ("TranscodeData", lp_proto_transcode_data),
  TYPE ("TranscodeResult", lp_proto_transcode_result),
  TYPE ("PaymentResult", lp_proto_payment_result),
};

const guint lp_test_proto_n_types = G_N_ELEMENTS (lp_test_proto_types);

/* The type named @name (and its index in the table), or %NULL. */
const LpTestProtoType *
lp_test_proto_type_find (const gchar * name, guint * index)
{
  guint i;

  for (i = 0; i < lp_test_proto_n_types; i++) {
    if (g_str_equal (lp_test_proto_types[i].name, name)) {
      if (index != NULL)
        *index = i;
      return &lp_test_proto_types[i];
    }
  }
  return NULL;
}

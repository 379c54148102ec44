/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The C side of the golden-bytes test of the protobuf codec
 * (proto-golden.py builds the same messages with python3-protobuf and
 * compares). Builds each fixture with lpproto-messages.h only:
 *
 *   proto-golden-helper list           -> one "NAME TYPE" per fixture
 *   proto-golden-helper encode NAME    -> the fixture's encoding, in hex
 *   proto-golden-helper index TYPE     -> TYPE's index in
 *        lptest-proto-types.c (the fuzz corpus's first byte)
 *   proto-golden-helper decode TYPE    -> for each line of hex on stdin,
 *        "ok HEX" (the message decoded as TYPE and encoded again; "ok -"
 *        when that is empty) or "error MESSAGE"
 *
 * The fixtures set every field of every message, with the values where
 * encodings differ: zero and absent, negative int32 and int64, the largest
 * uint32 and uint64, empty strings in repeated fields, map keys 0 and "",
 * unknown enum values, empty sub-messages that are present, the oneof.
 * "pattern (n, first)" bytes are first, first + 1, ... (mod 256), the same
 * on both sides.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gst/livepeer/lpproto-messages.h>

#include "lptest-proto-types.h"

typedef LpTestProtoType MessageType;

static const MessageType *
find_type (const gchar * name)
{
  return lp_test_proto_type_find (name, NULL);
}

static GBytes *
pattern (gsize n, guint first)
{
  guint8 *data = g_malloc (n);
  gsize i;

  for (i = 0; i < n; i++)
    data[i] = (guint8) (first + i);
  return g_bytes_new_take (data, n);
}

static GBytes *
text_bytes (const gchar * text)
{
  return g_bytes_new (text, strlen (text));
}

/* ------------------------------------------------------------------------ */
/* Fixtures, built from the leaves up; the Python side mirrors each */

static LpProtoAuthToken *
make_auth_token (void)
{
  LpProtoAuthToken *m = lp_proto_auth_token_new ();

  m->token = pattern (32, 1);
  m->session_id = g_strdup ("a1b2c3d4");
  m->expiration = 1790000000;
  return m;
}

static LpProtoAuthToken *
make_auth_token_odd (void)
{
  LpProtoAuthToken *m = lp_proto_auth_token_new ();

  m->session_id = g_strdup ("s\xc3\xa9ssion-\xe2\x82\xac");
  m->expiration = -1;
  return m;
}

static LpProtoPriceInfo *
make_price_info (void)
{
  LpProtoPriceInfo *m = lp_proto_price_info_new ();

  m->price_per_unit = 1200;
  m->pixels_per_unit = 3;
  m->capability = 27;
  m->constraint = g_strdup ("stabilityai/sd-turbo");
  return m;
}

static LpProtoPriceInfo *
make_price_info_extremes (void)
{
  LpProtoPriceInfo *m = lp_proto_price_info_new ();

  m->price_per_unit = G_MININT64;
  m->pixels_per_unit = G_MAXINT64;
  m->capability = G_MAXUINT32;
  return m;
}

static LpProtoModelConstraint *
make_model_constraint (void)
{
  LpProtoModelConstraint *m = lp_proto_model_constraint_new ();

  m->warm = TRUE;
  m->capacity = 2;
  m->runner_version = g_strdup ("0.14.1");
  m->capacity_in_use = 1;
  return m;
}

static LpProtoCapabilityConstraints *
make_capability_constraints (void)
{
  LpProtoCapabilityConstraints *m = lp_proto_capability_constraints_new ();
  LpProtoModelConstraint *cold = lp_proto_model_constraint_new ();

  cold->capacity = G_MAXUINT32;
  lp_proto_capability_constraints_take_model (m, "stabilityai/sd-turbo",
      make_model_constraint ());
  lp_proto_capability_constraints_take_model (m, "",
      lp_proto_model_constraint_new ());
  lp_proto_capability_constraints_take_model (m, "\xc3\xbc-model", cold);
  lp_proto_capability_constraints_take_model (m, "Zeta", make_model_constraint
      ());
  return m;
}

static LpProtoConstraints *
make_constraints (void)
{
  LpProtoConstraints *m = lp_proto_constraints_new ();

  m->min_version = g_strdup ("0.8.0");
  lp_proto_constraints_take_capability (m, 27, make_capability_constraints ());
  lp_proto_constraints_take_capability (m, 0,
      lp_proto_capability_constraints_new ());
  lp_proto_constraints_take_capability (m, 300, make_capability_constraints ());
  return m;
}

static void
append_words (GArray * array, const guint64 * words, guint n)
{
  g_array_append_vals (array, words, n);
}

static LpProtoCapabilities *
make_capabilities (void)
{
  static const guint64 bitstring[] = {
    G_GUINT64_CONSTANT (0x4000000417ff), G_GUINT64_CONSTANT (0),
    G_MAXUINT64, G_GUINT64_CONSTANT (0x8000000000000001),
  };
  static const guint64 mandatories[] = { G_GUINT64_CONSTANT (4096) };
  LpProtoCapabilities *m = lp_proto_capabilities_new ();

  append_words (m->bitstring, bitstring, G_N_ELEMENTS (bitstring));
  append_words (m->mandatories, mandatories, G_N_ELEMENTS (mandatories));
  lp_proto_capabilities_set_capacity (m, 12, 1);
  lp_proto_capabilities_set_capacity (m, 0, 0);
  lp_proto_capabilities_set_capacity (m, G_MAXUINT32, 7);
  lp_proto_capabilities_set_capacity (m, 27, 4);
  lp_proto_capabilities_set_capacity (m, 200, 0);
  m->version = g_strdup ("0.8.4");
  m->constraints = make_constraints ();
  return m;
}

/* a present but empty sub-message, and one word of bits */
static LpProtoCapabilities *
make_capabilities_small (void)
{
  static const guint64 bitstring[] = { G_GUINT64_CONSTANT (0x4000000417ff) };
  LpProtoCapabilities *m = lp_proto_capabilities_new ();

  append_words (m->bitstring, bitstring, 1);
  m->constraints = lp_proto_constraints_new ();
  return m;
}

static LpProtoTicketExpirationParams *
make_expiration_params (void)
{
  LpProtoTicketExpirationParams *m = lp_proto_ticket_expiration_params_new ();

  m->creation_round = 3521;
  m->creation_round_block_hash = pattern (32, 0xa0);
  return m;
}

static LpProtoTicketParams *
make_ticket_params (void)
{
  static const guint8 one_eth[] = { 0x0d, 0xe0, 0xb6, 0xb3, 0xa7, 0x64,
    0x00, 0x00
  };
  static const guint8 block[] = { 0x01, 0x31, 0x2d, 0x00 };
  LpProtoTicketParams *m = lp_proto_ticket_params_new ();

  m->recipient = pattern (20, 0x10);
  m->face_value = g_bytes_new_static (one_eth, sizeof one_eth);
  m->win_prob = pattern (32, 0xe0);
  m->recipient_rand_hash = pattern (32, 0x40);
  m->seed = pattern (32, 0x60);
  m->expiration_block = g_bytes_new_static (block, sizeof block);
  m->expiration_params = make_expiration_params ();
  return m;
}

static LpProtoTicketSenderParams *
make_sender_params (guint32 nonce, guint first)
{
  LpProtoTicketSenderParams *m = lp_proto_ticket_sender_params_new ();

  m->sender_nonce = nonce;
  m->sig = pattern (65, first);
  return m;
}

static LpProtoPayment *
make_payment (void)
{
  LpProtoPayment *m = lp_proto_payment_new ();

  m->ticket_params = make_ticket_params ();
  m->sender = pattern (20, 0x30);
  m->expiration_params = make_expiration_params ();
  g_ptr_array_add (m->ticket_sender_params, make_sender_params (1, 0x80));
  g_ptr_array_add (m->ticket_sender_params,
      lp_proto_ticket_sender_params_new ());
  g_ptr_array_add (m->ticket_sender_params,
      make_sender_params (G_MAXUINT32, 0x90));
  m->expected_price = make_price_info ();
  return m;
}

/* what go-livepeer sends when nothing is due */
static LpProtoPayment *
make_payment_sender_only (void)
{
  LpProtoPayment *m = lp_proto_payment_new ();

  m->sender = pattern (20, 0x30);
  m->expected_price = lp_proto_price_info_new ();
  m->expected_price->price_per_unit = 1;
  m->expected_price->pixels_per_unit = 1;
  return m;
}

static LpProtoOrchestratorRequest *
make_orchestrator_request (void)
{
  LpProtoOrchestratorRequest *m = lp_proto_orchestrator_request_new ();

  m->address = pattern (20, 0x30);
  m->sig = pattern (65, 0xb0);
  m->capabilities = make_capabilities_small ();
  m->ignore_capacity_check = TRUE;
  return m;
}

static LpProtoOrchestratorInfo *
make_orchestrator_info (void)
{
  LpProtoOrchestratorInfo *m = lp_proto_orchestrator_info_new ();
  LpProtoPriceInfo *free_price = lp_proto_price_info_new ();

  m->transcoder = g_strdup ("https://127.0.0.1:8935");
  m->ticket_params = make_ticket_params ();
  m->price_info = make_price_info ();
  m->address = pattern (20, 0x10);
  m->capabilities = make_capabilities ();
  m->auth_token = make_auth_token ();
  g_ptr_array_add (m->capabilities_prices, make_price_info ());
  g_ptr_array_add (m->capabilities_prices, free_price);
  g_ptr_array_add (m->capabilities_prices, make_price_info_extremes ());
  g_ptr_array_add (m->nodes, g_strdup ("https://node-b.example:8935"));
  g_ptr_array_add (m->nodes, g_strdup (""));
  g_ptr_array_add (m->nodes, g_strdup ("https://\xc3\xbc.example"));
  return m;
}

static LpProtoVideoProfile *
make_video_profile (void)
{
  LpProtoVideoProfile *m = lp_proto_video_profile_new ();

  m->name = g_strdup ("P720p30fps16x9");
  m->width = 1280;
  m->height = 720;
  m->bitrate = 6000000;
  m->fps = 30000;
  m->format = LP_PROTO_FORMAT_MP4;
  m->fps_den = 1001;
  m->profile = LP_PROTO_PROFILE_H264_HIGH;
  m->gop = -1;
  m->encoder = LP_PROTO_CODEC_H265;
  m->color_depth = 10;
  m->chroma_format = LP_PROTO_CHROMA_444;
  m->quality = 23;
  return m;
}

/* values only a newer or a hostile peer sends */
static LpProtoVideoProfile *
make_video_profile_odd (void)
{
  LpProtoVideoProfile *m = lp_proto_video_profile_new ();

  m->width = -5;
  m->height = G_MAXINT32;
  m->bitrate = G_MININT32;
  m->fps = G_MAXUINT32;
  m->format = 7;
  m->profile = -2;
  m->encoder = 99;
  m->chroma_format = G_MAXINT32;
  return m;
}

static LpProtoVideoProfile *
make_video_profile_plain (const gchar * name, gint32 width, gint32 height)
{
  LpProtoVideoProfile *m = lp_proto_video_profile_new ();

  m->name = g_strdup (name);
  m->width = width;
  m->height = height;
  m->bitrate = 600000;
  m->fps = 30;
  return m;
}

static LpProtoSegParameters *
make_seg_parameters (void)
{
  LpProtoSegParameters *m = lp_proto_seg_parameters_new ();

  m->from = 1000;
  m->to = G_MAXUINT64;
  return m;
}

static LpProtoSegData *
make_seg_data (void)
{
  LpProtoSegData *m = lp_proto_seg_data_new ();

  m->manifest_id = text_bytes ("stream-\xc3\xa9");
  m->seq = G_MAXINT64;
  m->hash = pattern (32, 0xc0);
  m->profiles = text_bytes ("invalid");
  m->sig = pattern (65, 0xd0);
  m->duration = 2000;
  m->capabilities = make_capabilities ();
  m->auth_token = make_auth_token ();
  m->calc_perceptual_hash = TRUE;
  g_ptr_array_add (m->full_profiles,
      make_video_profile_plain ("P360p30fps16x9", 640, 360));
  g_ptr_array_add (m->full_profiles, lp_proto_video_profile_new ());
  g_ptr_array_add (m->full_profiles2,
      make_video_profile_plain ("P240p30fps16x9", 426, 240));
  g_ptr_array_add (m->full_profiles3, make_video_profile ());
  g_ptr_array_add (m->full_profiles3, make_video_profile_odd ());
  m->segment_parameters = make_seg_parameters ();
  m->force_session_reinit = TRUE;
  return m;
}

/* go-livepeer's usual segment: no clip, negative seq never happens but
 * duration 0 and a default profile list do */
static LpProtoSegData *
make_seg_data_plain (void)
{
  LpProtoSegData *m = lp_proto_seg_data_new ();

  m->manifest_id = text_bytes ("m");
  m->seq = -3;
  m->hash = pattern (32, 0);
  m->profiles = text_bytes ("invalid");
  m->auth_token = make_auth_token_odd ();
  m->segment_parameters = lp_proto_seg_parameters_new ();
  g_ptr_array_add (m->full_profiles,
      make_video_profile_plain ("P144p30fps16x9", 256, 144));
  return m;
}

static LpProtoTranscodedSegmentData *
make_segment (const gchar * url, gint64 pixels, const gchar * phash)
{
  LpProtoTranscodedSegmentData *m = lp_proto_transcoded_segment_data_new ();

  m->url = g_strdup (url);
  m->pixels = pixels;
  m->perceptual_hash_url = g_strdup (phash);
  return m;
}

static LpProtoTranscodeData *
make_transcode_data (void)
{
  LpProtoTranscodeData *m = lp_proto_transcode_data_new ();

  g_ptr_array_add (m->segments,
      make_segment ("https://127.0.0.1:8935/stream/a1b2c3d4/P360p/7.ts",
          G_GINT64_CONSTANT (1099511627776), NULL));
  g_ptr_array_add (m->segments, lp_proto_transcoded_segment_data_new ());
  g_ptr_array_add (m->segments,
      make_segment ("https://127.0.0.1:8935/stream/a1b2c3d4/P240p/7.ts", -1,
          "https://127.0.0.1:8935/stream/a1b2c3d4/P240p/7.phash"));
  m->sig = pattern (65, 0x20);
  return m;
}

static LpProtoTranscodeResult *
make_transcode_result_data (void)
{
  LpProtoTranscodeResult *m = lp_proto_transcode_result_new ();

  m->seq = 7;
  m->result = LP_PROTO_RESULT_DATA;
  m->data = make_transcode_data ();
  m->info = make_orchestrator_info ();
  return m;
}

static LpProtoTranscodeResult *
make_transcode_result_error (const gchar * text)
{
  LpProtoTranscodeResult *m = lp_proto_transcode_result_new ();

  m->seq = 8;
  m->result = LP_PROTO_RESULT_ERROR;
  m->error = g_strdup (text);
  return m;
}

static LpProtoTranscodeResult *
make_transcode_result_empty_data (void)
{
  LpProtoTranscodeResult *m = lp_proto_transcode_result_new ();

  m->result = LP_PROTO_RESULT_DATA;
  return m;
}

typedef struct
{
  const gchar *name;
  const gchar *type;
    gpointer (*make) (void);
} Fixture;

static gpointer
make_ping_pong (void)
{
  LpProtoPingPong *m = lp_proto_ping_pong_new ();

  m->value = pattern (3, 0xfe);
  return m;
}

static gpointer
make_end_session (void)
{
  LpProtoEndTranscodingSessionRequest *m =
      lp_proto_end_transcoding_session_request_new ();

  m->auth_token = make_auth_token ();
  return m;
}

static gpointer
make_end_session_empty_token (void)
{
  LpProtoEndTranscodingSessionRequest *m =
      lp_proto_end_transcoding_session_request_new ();

  m->auth_token = lp_proto_auth_token_new ();
  return m;
}

static gpointer
make_sender_params_full (void)
{
  return make_sender_params (G_MAXUINT32, 0x70);
}

static gpointer
make_transcode_result_busy (void)
{
  return make_transcode_result_error ("OrchestratorBusy");
}

static gpointer
make_transcode_result_empty_error (void)
{
  return make_transcode_result_error ("");
}

static gpointer
make_payment_result (void)
{
  LpProtoPaymentResult *m = lp_proto_payment_result_new ();

  m->info = make_orchestrator_info ();
  return m;
}

static gpointer
make_transcoded_segment (void)
{
  return make_segment ("https://o/stream/s/P/1.ts", 921600, "https://o/p");
}

#define F(name, type, make) { name, type, (gpointer (*) (void)) make }

static const Fixture fixtures[] = {
  F ("ping_pong", "PingPong", make_ping_pong),
  F ("auth_token", "AuthToken", make_auth_token),
  F ("auth_token_odd", "AuthToken", make_auth_token_odd),
  F ("end_session", "EndTranscodingSessionRequest", make_end_session),
  F ("end_session_empty_token", "EndTranscodingSessionRequest",
      make_end_session_empty_token),
  F ("price_info", "PriceInfo", make_price_info),
  F ("price_info_extremes", "PriceInfo", make_price_info_extremes),
  F ("model_constraint", "Capabilities.CapabilityConstraints.ModelConstraint",
      make_model_constraint),
  F ("capability_constraints", "Capabilities.CapabilityConstraints",
      make_capability_constraints),
  F ("constraints", "Capabilities.Constraints", make_constraints),
  F ("capabilities", "Capabilities", make_capabilities),
  F ("capabilities_small", "Capabilities", make_capabilities_small),
  F ("ticket_expiration_params", "TicketExpirationParams",
      make_expiration_params),
  F ("ticket_params", "TicketParams", make_ticket_params),
  F ("ticket_sender_params", "TicketSenderParams", make_sender_params_full),
  F ("payment", "Payment", make_payment),
  F ("payment_sender_only", "Payment", make_payment_sender_only),
  F ("orchestrator_request", "OrchestratorRequest",
      make_orchestrator_request),
  F ("orchestrator_info", "OrchestratorInfo", make_orchestrator_info),
  F ("video_profile", "VideoProfile", make_video_profile),
  F ("video_profile_odd", "VideoProfile", make_video_profile_odd),
  F ("seg_parameters", "SegParameters", make_seg_parameters),
  F ("seg_data", "SegData", make_seg_data),
  F ("seg_data_plain", "SegData", make_seg_data_plain),
  F ("transcoded_segment_data", "TranscodedSegmentData",
      make_transcoded_segment),
  F ("transcode_data", "TranscodeData", make_transcode_data),
  F ("transcode_result_data", "TranscodeResult", make_transcode_result_data),
  F ("transcode_result_error", "TranscodeResult",
      make_transcode_result_busy),
  F ("transcode_result_empty_error", "TranscodeResult",
      make_transcode_result_empty_error),
  F ("transcode_result_empty_data", "TranscodeResult",
      make_transcode_result_empty_data),
  F ("payment_result", "PaymentResult", make_payment_result),
};

/* ------------------------------------------------------------------------ */

static void
print_hex (GBytes * bytes)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  gsize i;

  if (length == 0)
    fputs ("-", stdout);
  for (i = 0; i < length; i++)
    printf ("%02x", data[i]);
}

static GBytes *
parse_hex (const gchar * hex)
{
  gsize length = strlen (hex);
  guint8 *data;
  gsize i;

  if (g_str_equal (hex, "-"))
    return g_bytes_new (NULL, 0);
  if (length % 2)
    return NULL;
  data = g_malloc (length / 2 + 1);
  for (i = 0; i < length / 2; i++) {
    gint high = g_ascii_xdigit_value (hex[2 * i]);
    gint low = g_ascii_xdigit_value (hex[2 * i + 1]);

    if (high < 0 || low < 0) {
      g_free (data);
      return NULL;
    }
    data[i] = (guint8) (high << 4 | low);
  }
  return g_bytes_new_take (data, length / 2);
}

static int
list_fixtures (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (fixtures); i++)
    printf ("%s %s\n", fixtures[i].name, fixtures[i].type);
  return 0;
}

static int
encode_fixture (const gchar * name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (fixtures); i++) {
    const MessageType *type;
    gpointer message;
    GBytes *bytes;

    if (!g_str_equal (fixtures[i].name, name))
      continue;
    type = find_type (fixtures[i].type);
    g_assert (type != NULL);
    message = fixtures[i].make ();
    bytes = type->encode (message);
    print_hex (bytes);
    putchar ('\n');
    g_bytes_unref (bytes);
    type->free_message (message);
    return 0;
  }
  fprintf (stderr, "no fixture named %s\n", name);
  return 2;
}

static void
decode_line (const MessageType * type, const gchar * line)
{
  GBytes *input = parse_hex (line);
  GError *error = NULL;
  gpointer message;
  GBytes *again;
  gsize length;
  const guint8 *data;

  if (input == NULL) {
    printf ("error the helper got malformed hex\n");
    return;
  }
  data = g_bytes_get_data (input, &length);
  message = type->decode (data, length, &error);
  if (message == NULL) {
    printf ("error %s\n", error->message);
    g_error_free (error);
  } else {
    again = type->encode (message);
    fputs ("ok ", stdout);
    print_hex (again);
    putchar ('\n');
    g_bytes_unref (again);
    type->free_message (message);
  }
  g_bytes_unref (input);
}

static int
decode_lines (const gchar * type_name)
{
  const MessageType *type = find_type (type_name);
  gchar line[1 << 16];

  if (type == NULL) {
    fprintf (stderr, "no message type named %s\n", type_name);
    return 2;
  }
  while (fgets (line, sizeof line, stdin)) {
    g_strchomp (line);
    decode_line (type, line);
    fflush (stdout);
  }
  return 0;
}

static int
print_type_index (const gchar * type_name)
{
  guint index;

  if (lp_test_proto_type_find (type_name, &index) == NULL) {
    fprintf (stderr, "no message type named %s\n", type_name);
    return 2;
  }
  printf ("%u\n", index);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 2 && g_str_equal (argv[1], "list"))
    return list_fixtures ();
  if (argc == 3 && g_str_equal (argv[1], "encode"))
    return encode_fixture (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "decode"))
    return decode_lines (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "index"))
    return print_type_index (argv[2]);
  fprintf (stderr, "usage: %s list | encode NAME | decode TYPE | "
      "index TYPE\n", argv[0]);
  return 2;
}

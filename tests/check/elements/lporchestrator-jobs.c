/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lporchestrator capabilities: AI and custom video jobs, run as pipeline
 * fragments, advertised with their prices, paid with tickets and billed by
 * their unit, in go-livepeer's dialect (a job is its capability id's bit,
 * its outputs are fetched from the URLs of the TranscodeResult).
 */
#include <gst/check/gstcheck.h>
#include <gst/livepeer/lpcapability.h>
#include <gst/livepeer/lph2.h>
#include <gst/livepeer/lpmpegts.h>
#include <json-glib/json-glib.h>
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>

#include "lpcheck.h"

#define WAIT (20 * GST_SECOND)
#define W 320
#define H 240
#define FRAMES 60
#define FACE_FROM 30            /* the face is in frames 30..59 */

/* the ids of go-livepeer's dialect: the shipped names' own, a custom one's
 * from its capability-id, and one nobody offers */
#define FACE_DETECTION_ID 1024
#define EDGES_ID 1027
#define ONLY_320_ID 1030
#define UNKNOWN_ID 1050

#define CAPABILITIES \
  "[face-detection]\n" \
  "model-id=opencv-haar-frontalface\n" \
  "pipeline=videoconvert ! facedetect display=false min-size-width=40 " \
  "min-size-height=40\n" \
  "unit=frames\n" \
  "price-per-unit=1000\n" \
  "capacity=1\n" \
  "\n" \
  "[edges]\n" \
  "model-id=edgetv\n" \
  "pipeline=videoconvert ! edgetv ! videoconvert\n" \
  "outputs=video\n" \
  "output-profile=P240p30fps16x9\n" \
  "\n" \
  "[only-320]\n" \
  "model-id=check\n" \
  "capability-id=" G_STRINGIFY (ONLY_320_ID) "\n" \
  "pipeline=capsfilter caps=video/x-raw,width=320\n"

/* Y of frame @n: a gray background and, from FACE_FROM on, a drawn face
 * (a light oval, dark eyes and brows, a nose ridge and a mouth) that the
 * stock frontal-face Haar cascade finds, centred at (W/2, H/2) */
static void
draw_frame (guint8 * y, guint n)
{
  gint i, j;

  for (j = 0; j < H; j++)
    for (i = 0; i < W; i++) {
      gdouble fx = (i - W / 2) / 60.0, fy = (j - H / 2) / 80.0;
      guint8 v = 90;

#define IN(cx, cy, rx, ry) \
  (((i - (cx)) / (gdouble) (rx)) * ((i - (cx)) / (gdouble) (rx)) + \
   ((j - (cy)) / (gdouble) (ry)) * ((j - (cy)) / (gdouble) (ry)) <= 1.0)
      if (n >= FACE_FROM && fx * fx + fy * fy <= 1.0) {
        if (IN (135, 105, 13, 6) || IN (185, 105, 13, 6))
          v = 40;
        else if (j >= 88 && j <= 93 && ((i >= 120 && i <= 150) ||
                (i >= 170 && i <= 200)))
          v = 60;
        else if (IN (160, 160, 24, 7))
          v = 80;
        else if (IN (160, 135, 8, 14))
          v = 160;
        else
          v = 190;
      }
#undef IN
      y[j * W + i] = v;
    }
}

/* FRAMES frames of the face clip, @width wide, as H.264 in MPEG-TS */
static GBytes *
face_clip (guint width)
{
  gchar *desc = g_strdup_printf ("appsrc name=src format=time caps=video/"
      "x-raw,format=I420,width=%d,height=%d,framerate=30/1 ! videoscale ! "
      "video/x-raw,width=%u,height=%u ! x264enc speed-preset=ultrafast "
      "key-int-max=60 bframes=0 ! h264parse ! mpegtsmux ! appsink name=sink "
      "sync=false", W, H, width, width * H / W);
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  GByteArray *out = g_byte_array_new ();
  guint n;

  g_free (desc);
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  for (n = 0; n < FRAMES; n++) {
    GstBuffer *buf = gst_buffer_new_allocate (NULL, W * H * 3 / 2, NULL);
    GstMapInfo map;

    gst_buffer_map (buf, &map, GST_MAP_WRITE);
    draw_frame (map.data, n);
    memset (map.data + W * H, 128, W * H / 2);
    gst_buffer_unmap (buf, &map);
    GST_BUFFER_PTS (buf) = gst_util_uint64_scale (n, GST_SECOND, 30);
    GST_BUFFER_DURATION (buf) = GST_SECOND / 30;
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (src), buf),
        GST_FLOW_OK);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  lp_test_drain_appsink (sink, out);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return g_byte_array_free_to_bytes (out);
}


static gchar *
write_capabilities (LpTestNet * net, const gchar * text)
{
  gchar *path = g_build_filename (net->dir, "capabilities.ini", NULL);

  fail_unless (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
start_with_capabilities (LpTestNet * net, const gchar * text)
{
  gchar *path = write_capabilities (net, text);

  lp_test_net_start (net, "capabilities", path, "ticket-ev",
      (guint64) 1000000, "max-face-value", (guint64) 1000000, NULL);
  g_free (path);
}

/* The id of job @capability (ours, above) */
static guint32
job_id (const gchar * capability)
{
  if (g_strcmp0 (capability, "only-320") == 0)
    return ONLY_320_ID;
  if (g_strcmp0 (capability, "upscale") == 0)
    return UNKNOWN_ID;
  fail_unless (lp_capability_id_of_name (capability) != 0, "%s", capability);
  return lp_capability_id_of_name (capability);
}

/* gRPC discovery asking for @capability / @model: the gRPC status (0: OK)
 * and the refusal's message; @info when it is OK (may be NULL) */
static guint
discover_job_as (LpTestNet * net, LpPrivateKey * key,
    const gchar * capability, const gchar * model, LpOrchestratorInfo ** info,
    gchar ** reply)
{
  return lp_test_discovery_job_status (net, key, job_id (capability), model,
      info, reply);
}

static guint
discover_job (LpTestNet * net, const gchar * capability, const gchar * model,
    gchar ** reply)
{
  return discover_job_as (net, net->bcast, capability, model, NULL, reply);
}

static LpOrchestratorInfo *
discover_job_ok (LpTestNet * net, const gchar * capability, const gchar * model)
{
  return lp_test_discover_job (net, net->bcast, job_id (capability), model);
}

/* A signed segment header asking for the job (its bit, @model in its
 * constraints; no renditions) */
static gchar *
job_header (const LpOrchestratorInfo * info, LpPrivateKey * key, guint64 seq,
    GBytes * body, const gchar * capability, const gchar * model)
{
  gchar *header = lp_test_seg_data_header_full (info, key, "lp-test-job",
      seq, body, NULL, lp_test_segment_duration_ms (body),
      job_id (capability), model);

  fail_unless (header != NULL);
  return header;
}

/* The OrchestratorInfo of gRPC discovery for transcoding, as it came */
static LpProtoOrchestratorInfo *
discover_proto (LpTestNet * net)
{
  gchar *uri = g_strdup_printf ("http://127.0.0.1:%u", net->port);
  GBytes *request = lp_test_discovery_body (lp_private_key_get_address
      (net->bcast), net->bcast);
  GError *error = NULL;
  LpProtoOrchestratorInfo *info;

  info = lp_test_grpc_discover_proto (uri, request, &error);
  fail_unless (info != NULL, "%s", error ? error->message : "");
  g_bytes_unref (request);
  g_free (uri);
  return info;
}

/* Whether bit @id is set in @caps' bit string */
static gboolean
has_bit (const LpProtoCapabilities * caps, guint32 id)
{
  return id / 64 < caps->bitstring->len
      && (g_array_index (caps->bitstring, guint64, id / 64) >> (id % 64) & 1);
}

/* The capabilities_prices entry of job @id */
static const LpProtoPriceInfo *
job_price (const LpProtoOrchestratorInfo * info, guint32 id)
{
  guint i;

  for (i = 0; i < info->capabilities_prices->len; i++) {
    const LpProtoPriceInfo *p = g_ptr_array_index (info->capabilities_prices,
        i);

    if (p->capability == id)
      return p;
  }
  fail ("no price for capability %u", id);
  return NULL;
}

/* Sends @body as job segment @seq, paid with @tickets tickets from nonce
 * @first; returns the status, *result on 200, *reason otherwise */
static guint
send_job_as (LpTestNet * net, LpPrivateKey * key,
    const LpOrchestratorInfo * info, guint64 seq, GBytes * body,
    const gchar * capability, const gchar * model, guint32 first,
    guint tickets, LpTestResult ** result, gchar ** reason)
{
  gchar *seg = job_header (info, key, seq, body, capability, model);
  gchar *pay = tickets > 0 ? lp_test_payment_header (info, key, first,
      tickets) : lp_test_sender_header (key);
  guint status = lp_test_send_segment (net, body, seg, pay, result, reason);

  g_free (seg);
  g_free (pay);
  return status;
}

static guint
send_job (LpTestNet * net, const LpOrchestratorInfo * info, guint64 seq,
    GBytes * body, const gchar * capability, const gchar * model,
    guint32 first, guint tickets, LpTestResult ** result, gchar ** reason)
{
  return send_job_as (net, net->bcast, info, seq, body, capability, model,
      first, tickets, result, reason);
}

static JsonObject *
parse_json_object (GBytes * bytes, JsonParser ** parser)
{
  gsize size;
  const gchar *data = g_bytes_get_data (bytes, &size);

  *parser = json_parser_new ();
  fail_unless (json_parser_load_from_data (*parser, data, size, NULL));
  fail_unless (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (*parser)));
  return json_node_get_object (json_parser_get_root (*parser));
}

/* The jobs as go-livepeer advertises AI pipelines: their bits, capacities,
 * models in the constraints and prices (capability id, model id) */
GST_START_TEST (test_advertised)
{
  LpTestNet *net = lp_test_net_new ("1e18", "1e18");
  LpProtoOrchestratorInfo *info;
  LpProtoCapabilityConstraints *per;
  LpProtoModelConstraint *model;
  const LpProtoPriceInfo *price;
  guint32 capacity = 0;

  start_with_capabilities (net, CAPABILITIES);
  info = discover_proto (net);
  fail_unless (info->capabilities != NULL);
  fail_unless (has_bit (info->capabilities, FACE_DETECTION_ID));
  fail_unless (has_bit (info->capabilities, EDGES_ID));
  fail_unless (has_bit (info->capabilities, ONLY_320_ID));
  fail_if (has_bit (info->capabilities, UNKNOWN_ID));
  fail_unless (lp_proto_capabilities_get_capacity (info->capabilities,
          FACE_DETECTION_ID, &capacity));
  fail_unless_equals_int (capacity, 1);
  fail_unless (info->capabilities->constraints != NULL);
  per = g_hash_table_lookup (info->capabilities->constraints->per_capability,
      GUINT_TO_POINTER (FACE_DETECTION_ID));
  fail_unless (per != NULL);
  model = g_hash_table_lookup (per->models, "opencv-haar-frontalface");
  fail_unless (model != NULL, "the model is not in the constraints");
  fail_unless_equals_int (model->capacity, 1);
  fail_unless_equals_int (model->capacity_in_use, 0);
  fail_unless_equals_int (info->capabilities_prices->len, 3);
  price = job_price (info, FACE_DETECTION_ID);
  fail_unless_equals_int64 (price->price_per_unit, 1000);
  fail_unless_equals_string (price->constraint, "opencv-haar-frontalface");
  price = job_price (info, EDGES_ID);
  fail_unless_equals_string (price->constraint, "edgetv");
  /* transcoding keeps its own price (free here) */
  fail_unless (info->price_info == NULL
      || info->price_info->price_per_unit == 0);
  lp_proto_orchestrator_info_free (info);
  lp_test_net_free (net);
}

GST_END_TEST;

/* The face is found in the frames it is in, the job is billed per frame at
 * the capability's price, and the result is signed. */
GST_START_TEST (test_face_detection)
{
  LpTestNet *net = lp_test_net_new ("1e18", "1e18");
  LpOrchestratorInfo *info;
  LpTestResult *r = NULL;
  g_autoptr (JsonParser) parser = NULL;
  GBytes *clip = face_clip (W);
  gchar *reason = NULL;
  JsonObject *doc;
  JsonArray *messages;
  GstClockTime first = GST_CLOCK_TIME_NONE;
  guint i, with_face = 0, without_face = 0, detections = 0;
  GstMessage *msg;
  const GstStructure *s;
  guint64 units;

  start_with_capabilities (net, CAPABILITIES);
  info = discover_job_ok (net, "face-detection", "opencv-haar-frontalface");
  fail_unless_equals_uint64 (info->price_info.price_per_unit, 1000);
  fail_unless (info->has_ticket_params);
  /* 1000 wei a frame, 60 frames: 60000 wei; one ticket is 1e6 */
  fail_unless_equals_int_with_reason (send_job (net, info, 1, clip,
          "face-detection", "opencv-haar-frontalface", 1, 1, &r, &reason),
      200, reason);
  fail_unless (r->result->error == NULL, "%s", r->result->error);
  fail_unless_equals_int (r->renditions->len, 1);
  fail_unless_equals_string (g_ptr_array_index (r->names, 0), "face-detection");
  fail_unless_equals_string (g_ptr_array_index (r->types, 0),
      "application/json");
  fail_unless_equals_int (r->result->segments->len, 1);
  fail_unless_equals_uint64 (g_array_index (r->result->segments,
          LpTranscodedSegment, 0).pixels, FRAMES);
  fail_unless (lp_transcode_result_verify (r->result,
          lp_private_key_get_address (net->orch),
          (GBytes * const *) r->renditions->pdata, r->renditions->len, NULL));

  doc = parse_json_object (g_ptr_array_index (r->renditions, 0), &parser);
  fail_unless_equals_string (json_object_get_string_member (doc,
          "capability"), "face-detection");
  fail_unless_equals_int (json_object_get_int_member (doc, "frames"),
      FRAMES);
  fail_unless_equals_int (json_object_get_int_member (doc, "seq"), 1);
  messages = json_object_get_array_member (doc, "messages");
  for (i = 0; i < json_array_get_length (messages); i++) {
    JsonObject *m = json_array_get_object_element (messages, i);
    JsonObject *fields = json_object_get_object_member (m, "fields");
    JsonArray *faces;
    GstClockTime ts;
    guint frame;

    if (g_strcmp0 (json_object_get_string_member (m, "message"),
            "facedetect") != 0)
      continue;
    detections++;
    ts = json_object_get_int_member (fields, "timestamp");
    if (!GST_CLOCK_TIME_IS_VALID (first))
      first = ts;
    frame = (guint) gst_util_uint64_scale_round (ts - first, 30, GST_SECOND);
    faces = json_object_get_array_member (fields, "faces");
    if (frame < FACE_FROM) {
      fail_unless_equals_int (json_array_get_length (faces), 0);
      without_face++;
    } else {
      JsonObject *face;
      gint64 cx, cy;

      fail_unless (json_array_get_length (faces) >= 1, "no face in frame %u",
          frame);
      face = json_array_get_object_element (faces, 0);
      cx = json_object_get_int_member (face, "x") +
          json_object_get_int_member (face, "width") / 2;
      cy = json_object_get_int_member (face, "y") +
          json_object_get_int_member (face, "height") / 2;
      fail_unless (ABS (cx - W / 2) < 20 && ABS (cy - H / 2) < 20,
          "face at (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")", cx, cy);
      with_face++;
    }
  }
  fail_unless_equals_int (detections, FRAMES);
  fail_unless_equals_int (without_face, FACE_FROM);
  fail_unless_equals_int (with_face, FRAMES - FACE_FROM);

  msg = lp_test_wait_message (net, "lporchestrator-job", WAIT);
  fail_unless (msg != NULL);
  s = gst_message_get_structure (msg);
  fail_unless_equals_string (gst_structure_get_string (s, "capability"),
      "face-detection");
  fail_unless (gst_structure_get_uint64 (s, "units", &units));
  fail_unless_equals_uint64 (units, FRAMES);
  fail_unless_equals_string (gst_structure_get_string (s, "fee"), "60000");
  gst_message_unref (msg);

  lp_test_result_free (r);
  g_free (reason);
  g_bytes_unref (clip);
  lp_orchestrator_info_free (info);
  lp_test_net_free (net);
}

GST_END_TEST;

/* @clip (taken) with every timestamp @seconds later */
static GBytes *
later_in_the_stream (GBytes * clip, guint seconds)
{
  LpMpegtsSpan span;
  gsize size;
  const guint8 *data = g_bytes_get_data (clip, &size);
  GBytes *later;

  fail_unless (lp_mpegts_video_span (data, size, &span));
  later = lp_mpegts_align (clip, span.start + seconds * LP_MPEGTS_CLOCK_RATE);
  g_bytes_unref (clip);
  return later;
}

static void
assert_same_start (GBytes * video, GBytes * segment)
{
  LpMpegtsSpan a, b;
  gsize size;
  const guint8 *data = g_bytes_get_data (video, &size);

  fail_unless (lp_mpegts_video_span (data, size, &a));
  data = g_bytes_get_data (segment, &size);
  fail_unless (lp_mpegts_video_span (data, size, &b));
  fail_unless_equals_uint64 (a.start, b.start);
}

/* A video-to-video job: its video comes back encoded to output-profile,
 * on the segment's time line (the clip's timestamps moved 7 s on, as a
 * stream's later segment would have them) */
GST_START_TEST (test_video_output)
{
  LpTestNet *net = lp_test_net_new ("1e18", "1e18");
  LpOrchestratorInfo *info;
  LpTestResult *r = NULL;
  GBytes *clip = later_in_the_stream (face_clip (W), 7);
  gchar *reason = NULL;
  guint frames;
  gint width, height;

  start_with_capabilities (net, CAPABILITIES);
  info = discover_job_ok (net, "edges", "edgetv");
  fail_unless_equals_int_with_reason (send_job (net, info, 1, clip, "edges",
          "edgetv", 1, 0, &r, &reason), 200, reason);
  fail_unless (r->result->error == NULL, "%s", r->result->error);
  fail_unless_equals_int (r->renditions->len, 1);
  fail_unless_equals_string (g_ptr_array_index (r->names, 0), "edges");
  fail_unless_equals_string (g_ptr_array_index (r->types, 0), "video/MP2T");
  assert_same_start (g_ptr_array_index (r->renditions, 0), clip);
  lp_test_decode (g_bytes_ref (g_ptr_array_index (r->renditions, 0)),
      &frames, &width, &height);
  fail_unless_equals_int (frames, FRAMES);
  /* P240p's 426x240 box, fitted to the 4:3 source */
  fail_unless_equals_int (height, 240);
  /* billed in pixels by default: 60 frames of 320x240 */
  fail_unless_equals_uint64 (g_array_index (r->result->segments,
          LpTranscodedSegment, 0).pixels, (guint64) FRAMES * W * H);
  lp_test_result_free (r);
  g_free (reason);
  g_bytes_unref (clip);
  lp_orchestrator_info_free (info);
  lp_test_net_free (net);
}

GST_END_TEST;

GST_START_TEST (test_request_errors)
{
  LpTestNet *net = lp_test_net_new ("1e18", "1e18");
  LpOrchestratorInfo *info, *other;
  LpPrivateKey *stranger;
  LpTestResult *r = NULL;
  guint status;
  GBytes *clip = face_clip (W);
  gchar *reply = NULL;

  start_with_capabilities (net, CAPABILITIES);
  /* gRPC UNKNOWN: grpc-go's code for a handler's plain error */
  fail_unless_equals_int (discover_job (net, "upscale", "x", &reply),
      LP_GRPC_STATUS_UNKNOWN);
  fail_unless (strstr (reply, "incompatible capabilities: capability "
          G_STRINGIFY (UNKNOWN_ID) " is not offered here") != NULL, "%s",
      reply);
  g_free (reply);
  fail_unless_equals_int (discover_job (net, "face-detection", "yolo",
          &reply), LP_GRPC_STATUS_UNKNOWN);
  fail_unless (strstr (reply, "runs model opencv-haar-frontalface here, not "
          "yolo") != NULL, "%s", reply);
  g_free (reply);

  /* capacity 1 (edges is free: a stranger without funds may ask): another
   * broadcaster's session is refused, at discovery and with a token it
   * got before */
  info = discover_job_ok (net, "edges", "edgetv");
  stranger = lp_private_key_generate (NULL);
  status = discover_job_as (net, stranger, "edges", "edgetv", &other, &reply);
  fail_unless_equals_int_with_reason (status, LP_GRPC_STATUS_OK, reply);
  fail_unless (other != NULL);
  g_free (reply);
  status = send_job (net, info, 1, clip, "edges", "edgetv", 1, 0, &r, &reply);
  fail_unless_equals_int_with_reason (status, 200, reply);
  lp_test_result_free (r);
  g_free (reply);
  fail_unless_equals_int (discover_job_as (net, stranger, "edges", "edgetv",
          NULL, &reply), LP_GRPC_STATUS_UNKNOWN);
  fail_unless (strstr (reply, "insufficient capacity: capability edges "
          "runs 1 session(s) at a time") != NULL, "%s", reply);
  g_free (reply);
  fail_unless_equals_int (send_job_as (net, stranger, other, 1, clip,
          "edges", "edgetv", 1, 0, NULL, &reply), 503);
  fail_unless (strstr (reply, "insufficient capacity") != NULL, "%s", reply);
  g_free (reply);
  lp_orchestrator_info_free (other);
  /* its own broadcaster discovers again (a fresh token) and goes on in a
   * new session */
  other = discover_job_ok (net, "edges", "edgetv");
  status = send_job (net, other, 2, clip, "edges", "edgetv", 1, 0, &r,
      &reply);
  fail_unless_equals_int_with_reason (status, 200, reply);
  fail_unless (r->result->error == NULL, "%s", r->result->error);
  lp_test_result_free (r);
  g_free (reply);
  lp_orchestrator_info_free (other);
  lp_private_key_unref (stranger);
  /* a session is for one capability */
  other = discover_job_ok (net, "face-detection", "opencv-haar-frontalface");
  {
    /* edges' auth token, paid with face-detection's ticket parameters */
    gchar *seg = job_header (info, net->bcast, 3, clip, "face-detection",
        "opencv-haar-frontalface");
    gchar *pay = lp_test_payment_header (other, net->bcast, 1, 1);

    fail_unless_equals_int (lp_test_send_segment (net, clip, seg, pay, NULL,
            &reply), 403);
    fail_unless (strstr (reply, "is for edges") != NULL, "%s", reply);
    g_free (reply);
    g_free (seg);
    g_free (pay);
  }
  lp_orchestrator_info_free (other);

  g_bytes_unref (clip);
  lp_orchestrator_info_free (info);
  lp_test_net_free (net);
}

GST_END_TEST;

/* A fragment that fails on a segment ends that job, not the session */
GST_START_TEST (test_failing_job)
{
  LpTestNet *net = lp_test_net_new ("1e18", "1e18");
  LpOrchestratorInfo *info;
  LpTestResult *r = NULL;
  GBytes *wide = face_clip (640), *fits = face_clip (W);
  gchar *reason = NULL;
  GstMessage *msg;

  start_with_capabilities (net, CAPABILITIES);
  info = discover_job_ok (net, "only-320", "check");
  fail_unless_equals_int_with_reason (send_job (net, info, 1, wide,
          "only-320", "check", 1, 0, &r, &reason), 200, reason);
  fail_unless (r->result->error != NULL);
  fail_unless (strstr (r->result->error, "capability only-320 failed") !=
      NULL, "%s", r->result->error);
  lp_test_result_free (r);
  g_free (reason);
  /* the same session goes on */
  fail_unless_equals_int_with_reason (send_job (net, info, 2, fits,
          "only-320", "check", 1, 0, &r, &reason), 200, reason);
  fail_unless (r->result->error == NULL, "%s", r->result->error);
  fail_unless_equals_int (r->renditions->len, 1);
  lp_test_result_free (r);
  g_free (reason);
  msg = lp_test_wait_message (net, "lporchestrator-job", WAIT);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  fail_unless_equals_int (lp_test_orch_stat (net->orchestrator,
          "sessions-started"), 1);

  g_bytes_unref (wide);
  g_bytes_unref (fits);
  lp_orchestrator_info_free (info);
  lp_test_net_free (net);
}

GST_END_TEST;

/* The capabilities shipped in pipelines/capabilities.ini: all build, and
 * motion events come back for a moving ball */
GST_START_TEST (test_shipped_capabilities)
{
  LpTestNet *net = lp_test_net_new ("1e18", "1e18");
  gchar *path = g_build_filename (g_getenv ("LP_TEST_SRCDIR"), "pipelines",
      "capabilities.ini", NULL);
  g_autoptr (JsonParser) parser = NULL;
  LpOrchestratorInfo *info;
  LpTestResult *r = NULL;
  GBytes *ball = lp_test_make_segment (320, 240, 90, 90);
  LpProtoOrchestratorInfo *advertised;
  gchar *reason = NULL;
  JsonObject *doc;
  JsonArray *messages;
  guint i, begins = 0;

  lp_test_net_start (net, "capabilities", path, "ticket-ev",
      (guint64) 1000000, "max-face-value", (guint64) 1000000, NULL);
  advertised = discover_proto (net);
  fail_unless_equals_int (advertised->capabilities_prices->len, 4);
  lp_proto_orchestrator_info_free (advertised);

  info = discover_job_ok (net, "motion", "opencv-motioncells");
  /* 1e6 wei a second, 3 s: 3e6 wei, three tickets of 1e6 */
  fail_unless_equals_int_with_reason (send_job (net, info, 1, ball, "motion",
          "opencv-motioncells", 1, 4, &r, &reason), 200, reason);
  fail_unless (r->result->error == NULL, "%s", r->result->error);
  fail_unless_equals_uint64 (g_array_index (r->result->segments,
          LpTranscodedSegment, 0).pixels, 3000);
  doc = parse_json_object (g_ptr_array_index (r->renditions, 0), &parser);
  messages = json_object_get_array_member (doc, "messages");
  for (i = 0; i < json_array_get_length (messages); i++) {
    JsonObject *m = json_array_get_object_element (messages, i);

    fail_unless_equals_string (json_object_get_string_member (m, "element"),
        "motioncells");
    if (json_object_has_member (json_object_get_object_member (m, "fields"),
            "motion_begin"))
      begins++;
  }
  fail_unless (begins >= 1, "no motion event for a moving ball");

  lp_test_result_free (r);
  g_free (reason);
  g_bytes_unref (ball);
  lp_orchestrator_info_free (info);
  g_free (path);
  lp_test_net_free (net);
}

GST_END_TEST;

/* Bad capability files fail READY->PAUSED with what to fix */
GST_START_TEST (test_bad_files)
{
  static const struct
  {
    const gchar *text;
    const gchar *expected;
  } cases[] = {
    {"[x]\npipeline=identity\n", "model-id: required"},
    {"[x]\nmodel-id=m\n", "pipeline: required"},
    {"[x]\nmodel-id=m\npipeline=identity\nunit=tokens\n",
        "unit: \"tokens\" is not pixels, frames or seconds"},
    {"[x]\nmodel-id=m\npipeline=identity\ncapacity=0\n",
        "capacity: \"0\" is not a whole number"},
    {"[x]\nmodel-id=m\npipeline=identity\ncolour=red\n",
        "unknown key \"colour\""},
    {"[x]\nmodel-id=m\npipeline=nosuchelement\n", "does not build"},
    {"", "no capability"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    LpTestNet *net = lp_test_net_new ("1e18", "1e18");
    gchar *path = write_capabilities (net, cases[i].text);
    GstElement *orch = gst_element_factory_make ("lporchestrator", NULL);

    g_object_set (orch, "capabilities", path, "key-file", net->orch_key_path,
        "ledger", net->ledger_path, "port", 0, NULL);
    g_free (lp_check_state_change_fails (orch, GST_STATE_PAUSED,
            cases[i].expected));
    gst_object_unref (orch);
    g_free (path);
    lp_test_net_free (net);
  }
}

GST_END_TEST;

static Suite *
lporchestrator_jobs_suite (void)
{
  Suite *s = suite_create ("lporchestrator-jobs");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_advertised);
  tcase_add_test (tc, test_face_detection);
  tcase_add_test (tc, test_video_output);
  tcase_add_test (tc, test_request_errors);
  tcase_add_test (tc, test_failing_job);
  tcase_add_test (tc, test_shipped_capabilities);
  tcase_add_test (tc, test_bad_files);
  return s;
}

GST_CHECK_MAIN (lporchestrator_jobs);

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Capabilities: the jobs other than transcoding an orchestrator offers
 * (video analysis, video-to-video effects), each a GStreamer pipeline
 * fragment with a model id, a unit of work, a price per unit and a
 * capacity. Parsing of the operator's capabilities file, their ids in
 * go-livepeer's capability bits, and the billed units. No I/O but reading
 * the file, no state: safe from any thread.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gst/gst.h>
#include <gst/livepeer/lpticket.h>

G_BEGIN_DECLS

#define LP_CAPABILITY_MAX_NAME_LENGTH 64
#define LP_CAPABILITY_MAX_COUNT 32

/* Capability ids of our jobs in go-livepeer's protobuf dialect (the bit in
 * Capabilities.bitstring, PriceInfo.capability): one 64-bit word of the
 * bit string far above go-livepeer's own ids (37 is its highest), see
 * docs/design/transport.md */
#define LP_CAPABILITY_ID_FIRST 1024
#define LP_CAPABILITY_ID_LAST 1087

#define LP_CAPABILITY_ERROR (lp_capability_error_quark ())
GST_LIVEPEER_API
GQuark lp_capability_error_quark (void);

/**
 * LpCapabilityError:
 * @LP_CAPABILITY_ERROR_INVALID: the file or the JSON is malformed, or a
 *     value is out of range (the message names the group and key)
 * @LP_CAPABILITY_ERROR_UNKNOWN: no capability of that name is offered
 * @LP_CAPABILITY_ERROR_MODEL: the capability is offered with another model
 */
typedef enum
{
  LP_CAPABILITY_ERROR_INVALID,
  LP_CAPABILITY_ERROR_UNKNOWN,
  LP_CAPABILITY_ERROR_MODEL,
} LpCapabilityError;

/**
 * LpJobUnit:
 * @LP_JOB_UNIT_PIXELS: input pixels: frames × width × height (go-livepeer's
 *     video pipelines)
 * @LP_JOB_UNIT_FRAMES: input frames
 * @LP_JOB_UNIT_SECONDS: seconds of input video, billed in milliseconds
 *     (the price stays per second)
 *
 * What a job is billed by.
 */
typedef enum
{
  LP_JOB_UNIT_PIXELS,
  LP_JOB_UNIT_FRAMES,
  LP_JOB_UNIT_SECONDS,
} LpJobUnit;

/**
 * LpJobOutputs:
 * @LP_JOB_OUTPUT_VIDEO: the fragment's raw video, encoded, comes back
 * @LP_JOB_OUTPUT_METADATA: the element messages its elements post come
 *     back as JSON
 */
typedef enum
{
  LP_JOB_OUTPUT_VIDEO = 1 << 0,
  LP_JOB_OUTPUT_METADATA = 1 << 1,
} LpJobOutputs;

/**
 * LpCapability:
 * @name: what it does, such as `video-understanding` (the group name)
 * @model_id: the model (a broadcaster must name the same)
 * @pipeline: (nullable): the GStreamer fragment, raw video in; %NULL in a
 *     capability read from an advertisement
 * @outputs: what comes back
 * @output_profile: the profile the video output is encoded to (a preset is
 *     fitted to the source), when @outputs has %LP_JOB_OUTPUT_VIDEO
 * @unit: what it is billed by
 * @price: wei per @price.pixels_per_unit units
 * @capacity: sessions at a time
 * @id: its capability id in go-livepeer's protobuf dialect, from
 *     %LP_CAPABILITY_ID_FIRST to %LP_CAPABILITY_ID_LAST; 0 when it has none
 *     (then no broadcaster can ask for it)
 */
typedef struct
{
  gchar *name;
  gchar *model_id;
  gchar *pipeline;
  LpJobOutputs outputs;
  gchar *output_profile;
  LpJobUnit unit;
  LpPriceInfo price;
  guint capacity;
  guint32 id;
} LpCapability;

GST_LIVEPEER_API
void lp_capability_free (LpCapability * capability);
GST_LIVEPEER_API
LpCapability *lp_capability_copy (const LpCapability * capability);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpCapability, lp_capability_free)

GST_LIVEPEER_API
GPtrArray *lp_capabilities_parse (const gchar * data, gssize length,
    GError ** error);
GST_LIVEPEER_API
GPtrArray *lp_capabilities_load (const gchar * path, GError ** error);
GST_LIVEPEER_API
const LpCapability *lp_capabilities_find (GPtrArray * capabilities,
    const gchar * name, const gchar * model_id, GError ** error);

GST_LIVEPEER_API
guint32 lp_capability_id_of_name (const gchar * name);
GST_LIVEPEER_API
const LpCapability *lp_capabilities_find_id (GPtrArray * capabilities,
    guint32 id, const gchar * model_id, GError ** error);

GST_LIVEPEER_API
const gchar *lp_job_unit_to_string (LpJobUnit unit);
GST_LIVEPEER_API
gboolean lp_job_unit_from_string (const gchar * text, LpJobUnit * unit);
GST_LIVEPEER_API
guint64 lp_job_units (LpJobUnit unit, guint64 frames, guint width,
    guint height, GstClockTime duration);

G_END_DECLS

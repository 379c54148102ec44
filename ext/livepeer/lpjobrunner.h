/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs one segment through a capability's pipeline fragment (video
 * analysis, video-to-video effects): the check of a capability before it
 * is offered, the run, and the outputs and units a run yields.
 * lpjobrunner.c has the pipeline and the metadata document.
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>
#include <gst/livepeer/lpcapability.h>

G_BEGIN_DECLS

#define LP_JOB_RUNNER_ERROR (lp_job_runner_error_quark ())
GQuark lp_job_runner_error_quark (void);

/**
 * LpJobRunnerError:
 * @LP_JOB_RUNNER_ERROR_PIPELINE: the capability's fragment does not parse
 *     or link
 * @LP_JOB_RUNNER_ERROR_INPUT: the segment is not MPEG-TS with H.264 video
 *     that decodes
 * @LP_JOB_RUNNER_ERROR_FAILED: the fragment failed while running
 * @LP_JOB_RUNNER_ERROR_TIMEOUT: the segment took longer than the deadline
 * @LP_JOB_RUNNER_ERROR_CANCELLED: cancelled by the caller
 */
typedef enum
{
  LP_JOB_RUNNER_ERROR_PIPELINE,
  LP_JOB_RUNNER_ERROR_INPUT,
  LP_JOB_RUNNER_ERROR_FAILED,
  LP_JOB_RUNNER_ERROR_TIMEOUT,
  LP_JOB_RUNNER_ERROR_CANCELLED,
} LpJobRunnerError;

/**
 * LpJobOutput:
 * @video: (nullable): the fragment's video, H.264 in MPEG-TS
 * @metadata: (nullable): the JSON document of the element messages
 * @frames: input frames
 * @width: input width
 * @height: input height
 * @duration: input duration
 * @units: the units billed (the capability's unit)
 */
typedef struct
{
  GBytes *video;
  GBytes *metadata;
  guint64 frames;
  guint width;
  guint height;
  GstClockTime duration;
  guint64 units;
} LpJobOutput;

void lp_job_output_free (LpJobOutput * output);

gboolean lp_job_runner_check (const LpCapability * capability,
    GError ** error);
LpJobOutput *lp_job_runner_run (const LpCapability * capability,
    const gchar * encoder, GBytes * segment, guint64 seq,
    GstClockTime timeout, GCancellable * cancellable, GError ** error);

G_END_DECLS

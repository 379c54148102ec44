/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Which H.264 encoder the ladder uses and how it is driven: the quirks
 * of the known encoders, the memory path their frames take, and the
 * choice of one (gstlpencoderchoice.c proves each candidate before it is
 * trusted).
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * LpMemoryPath:
 * @LP_MEMORY_PATH_SYSTEM: frames in system memory (videoconvert, lpswscale)
 * @LP_MEMORY_PATH_CUDA: frames stay in CUDA memory (cudaupload, cudaconvert,
 *     cudascale)
 * @LP_MEMORY_PATH_VA: frames stay in VA surfaces (vapostproc)
 *
 * Where frames live between decode, scale and encode.
 */
typedef enum
{
  LP_MEMORY_PATH_SYSTEM,
  LP_MEMORY_PATH_CUDA,
  LP_MEMORY_PATH_VA,
} LpMemoryPath;

/* What the ladder needs to know to drive one encoder factory. Encoders
 * disagree on property names and units; this is that knowledge as data. */
typedef struct
{
  const gchar *factory;
  gboolean hardware;
  LpMemoryPath path;
  const gchar *bitrate_property;        /* NULL: cannot be set */
  guint bitrate_divisor;        /* bit/s -> the property's unit */
  const gchar *gop_property;    /* keyframe interval in frames */
  const gchar *bframes_property;
  const gchar *low_latency_property;
  const gchar *low_latency_value;
  const gchar *fixed_settings;  /* "prop=value ..." always applied */
} LpEncoderQuirks;

/* The chosen encoder; owned by the caller, free with lp_encoder_choice_free */
typedef struct
{
  LpEncoderQuirks quirks;       /* strings are static or owned by factory_name */
  gchar *factory_name;
} LpEncoderChoice;

void lp_encoder_choice_free (LpEncoderChoice * choice);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpEncoderChoice, lp_encoder_choice_free)

/* Called once per candidate that failed, before the next one is tried. */
typedef void (*LpEncoderRejectedFunc) (const gchar * factory,
    const gchar * reason, gpointer user_data);

LpEncoderChoice *lp_encoder_choose (const gchar * wanted,
    LpEncoderRejectedFunc rejected, gpointer user_data, GError ** error);

gchar **lp_encoder_list_candidates (void);

void lp_encoder_apply_settings (const LpEncoderChoice * choice,
    GstElement * encoder, guint bitrate, gint gop_frames,
    gboolean no_bframes, gboolean low_latency);

const gchar *lp_memory_path_caps_feature (LpMemoryPath path);
const gchar *lp_memory_path_converter (LpMemoryPath path);
const gchar *lp_memory_path_scaler (LpMemoryPath path);

G_END_DECLS

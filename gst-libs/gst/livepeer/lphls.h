/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An HLS ladder on disk (RFC 8216): a master playlist, one media playlist
 * and one directory of MPEG-TS segment files per variant. Every playlist
 * is written to a temporary file and renamed, so a player never reads a
 * half-written one. No GStreamer objects: the caller hands it bytes.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <glib.h>

G_BEGIN_DECLS

/**
 * LP_HLS_ERROR:
 *
 * Error domain of lphls; its codes are #LpHlsError. File system failures
 * are reported in the %G_FILE_ERROR domain with the path in the message.
 */
#define LP_HLS_ERROR (lp_hls_error_quark ())
GST_LIVEPEER_API
GQuark lp_hls_error_quark (void);

/**
 * LpHlsError:
 * @LP_HLS_ERROR_INVALID_VARIANT: a variant name that is empty, not a
 *     plain file name, or already used; or an unknown variant index
 * @LP_HLS_ERROR_OUT_OF_ORDER: a segment whose sequence number is not
 *     above the variant's last one
 * @LP_HLS_ERROR_FINISHED: the ladder has been finished
 */
typedef enum
{
  LP_HLS_ERROR_INVALID_VARIANT,
  LP_HLS_ERROR_OUT_OF_ORDER,
  LP_HLS_ERROR_FINISHED,
} LpHlsError;

/**
 * LpHlsVariant:
 * @name: directory and rendition name, a plain file name
 * @width: picture width, pixels (0: no RESOLUTION attribute)
 * @height: picture height, pixels
 * @bandwidth: peak bit rate for BANDWIDTH, bit/s; 0 measures it from the
 *     segments written (the highest segment bit rate so far)
 * @codecs: (nullable): the CODECS attribute, e.g. "avc1.64001f"
 * @frame_rate: FRAME-RATE attribute, 0 for none
 *
 * One rung of the ladder as the master playlist lists it.
 */
typedef struct
{
  const gchar *name;
  guint width;
  guint height;
  guint bandwidth;
  const gchar *codecs;
  gdouble frame_rate;
} LpHlsVariant;

/**
 * LpHlsWriter:
 *
 * Writes one ladder. Opaque; MT safe (one mutex).
 */
typedef struct _LpHlsWriter LpHlsWriter;

GST_LIVEPEER_API
LpHlsWriter *lp_hls_writer_new (const gchar * directory,
    guint playlist_length, guint max_files, GError ** error);
GST_LIVEPEER_API
void lp_hls_writer_free (LpHlsWriter * writer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpHlsWriter, lp_hls_writer_free)

GST_LIVEPEER_API
gint lp_hls_writer_add_variant (LpHlsWriter * writer,
    const LpHlsVariant * variant, GError ** error);
GST_LIVEPEER_API
gboolean lp_hls_writer_update_variant (LpHlsWriter * writer, gint index,
    const LpHlsVariant * variant, GError ** error);
GST_LIVEPEER_API
gboolean lp_hls_writer_write_segment (LpHlsWriter * writer, gint index,
    guint64 seq, gdouble duration_s, gboolean discontinuity,
    const guint8 * data, gsize size, GError ** error);
GST_LIVEPEER_API
gboolean lp_hls_writer_finish (LpHlsWriter * writer, GError ** error);
GST_LIVEPEER_API
gchar *lp_hls_writer_get_segment_path (LpHlsWriter * writer, gint index,
    guint64 seq);

G_END_DECLS

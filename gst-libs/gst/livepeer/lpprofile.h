/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * LpProfile, a rung of an adaptive-bitrate ladder: Livepeer presets,
 * custom entries and go-livepeer's JSON options, parsed and written back,
 * and the geometry a rendition gets (lpprofile.c documents the API).
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <glib-object.h>

G_BEGIN_DECLS

/**
 * LpH264Profile:
 * @LP_H264_PROFILE_DEFAULT: whatever the encoder picks
 * @LP_H264_PROFILE_BASELINE: constrained baseline (no B-frames)
 * @LP_H264_PROFILE_MAIN: main
 * @LP_H264_PROFILE_HIGH: high
 * @LP_H264_PROFILE_CONSTRAINED_HIGH: high without B-frames
 *
 * The H.264 profiles a rendition may ask for, numbered as go-livepeer's
 * VideoProfile.profile field.
 */
typedef enum
{
  LP_H264_PROFILE_DEFAULT = 0,
  LP_H264_PROFILE_BASELINE = 1,
  LP_H264_PROFILE_MAIN = 2,
  LP_H264_PROFILE_HIGH = 3,
  LP_H264_PROFILE_CONSTRAINED_HIGH = 4,
} LpH264Profile;

/* gop_ms values with a special meaning */
#define LP_PROFILE_GOP_DEFAULT 0        /* a keyframe every LP_PROFILE_DEFAULT_GOP_MS */
#define LP_PROFILE_GOP_INTRA (-1)       /* every frame a keyframe */
#define LP_PROFILE_DEFAULT_GOP_MS 2000  /* lets segments be cut every ~2 s */

/* Upper bounds a profile must stay within (H.264 level 6.2 territory). */
#define LP_PROFILE_MAX_DIMENSION 8192
#define LP_PROFILE_MAX_BITRATE G_MAXINT32       /* bit/s, as go-livepeer's int32 */
#define LP_PROFILE_MAX_FPS 240
#define LP_PROFILE_MAX_NAME_LENGTH 64   /* bytes */

/**
 * LpProfile:
 * @name: rendition name; it enters segment signatures, so it is never empty
 * @width: width of the box the rendition fits in, pixels
 * @height: height of that box, pixels
 * @bitrate: target bitrate, bit/s
 * @fps_num: frame-rate numerator; 0 keeps the source frame rate
 * @fps_den: frame-rate denominator (>= 1)
 * @h264_profile: the H.264 profile to ask the encoder for
 * @gop_ms: keyframe interval in milliseconds, %LP_PROFILE_GOP_DEFAULT or
 *     %LP_PROFILE_GOP_INTRA
 *
 * One rung of an adaptive-bitrate ladder, as Livepeer describes it. A plain
 * struct, copied with lp_profile_copy() and freed with lp_profile_free().
 */
typedef struct
{
  gchar *name;
  guint width;
  guint height;
  guint bitrate;
  guint fps_num;
  guint fps_den;
  LpH264Profile h264_profile;
  gint gop_ms;
} LpProfile;

#define LP_PROFILE_ERROR (lp_profile_error_quark ())
GST_LIVEPEER_API
GQuark lp_profile_error_quark (void);

/**
 * LpProfileError:
 * @LP_PROFILE_ERROR_SYNTAX: an entry does not follow any accepted form
 * @LP_PROFILE_ERROR_UNKNOWN_PRESET: a bare name is not a Livepeer preset
 * @LP_PROFILE_ERROR_INVALID_VALUE: a value is out of range
 * @LP_PROFILE_ERROR_JSON: a JSON profile list is malformed
 * @LP_PROFILE_ERROR_EMPTY: the list holds no profile
 * @LP_PROFILE_ERROR_DUPLICATE: two profiles share a name
 */
typedef enum
{
  LP_PROFILE_ERROR_SYNTAX,
  LP_PROFILE_ERROR_UNKNOWN_PRESET,
  LP_PROFILE_ERROR_INVALID_VALUE,
  LP_PROFILE_ERROR_JSON,
  LP_PROFILE_ERROR_EMPTY,
  LP_PROFILE_ERROR_DUPLICATE,
} LpProfileError;

#define LP_TYPE_PROFILE (lp_profile_get_type ())
GST_LIVEPEER_API
GType lp_profile_get_type (void);

GST_LIVEPEER_API
LpProfile *lp_profile_new (const gchar * name, guint width, guint height,
    guint bitrate, guint fps_num, guint fps_den, LpH264Profile h264_profile,
    gint gop_ms);
GST_LIVEPEER_API
LpProfile *lp_profile_copy (const LpProfile * profile);
GST_LIVEPEER_API
void lp_profile_free (LpProfile * profile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpProfile, lp_profile_free)

GST_LIVEPEER_API
const LpProfile *lp_profile_get_preset (const gchar * name);
GST_LIVEPEER_API
const gchar *const *lp_profile_get_preset_names (void);
GST_LIVEPEER_API
gboolean lp_profile_name_is_valid (const gchar * name);

GST_LIVEPEER_API
GPtrArray *lp_profile_list_parse (const gchar * spec, GError ** error);
GST_LIVEPEER_API
GPtrArray *lp_profile_list_from_json (const gchar * data, gssize length,
    GError ** error);
GST_LIVEPEER_API
GPtrArray *lp_profile_list_load (const gchar * spec, GError ** error);

GST_LIVEPEER_API
gchar *lp_profile_to_string (const LpProfile * profile);
GST_LIVEPEER_API
gchar *lp_profile_list_to_json (GPtrArray * profiles, GError ** error);
GST_LIVEPEER_API
gboolean lp_profile_equal (const LpProfile * a, const LpProfile * b);
GST_LIVEPEER_API
const gchar *lp_h264_profile_to_caps_string (LpH264Profile profile);

GST_LIVEPEER_API
void lp_profile_fit (const LpProfile * profile, guint src_width,
    guint src_height, gint par_n, gint par_d, guint * out_width,
    guint * out_height);
GST_LIVEPEER_API
gint lp_profile_effective_gop_ms (const LpProfile * profile);

G_END_DECLS

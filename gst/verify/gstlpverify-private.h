/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* Private to lpverify, not installed: the element's and the rendition
 * pad's state, the lock and its contract, the thresholds more than one
 * file uses, and what the files of the element call in one another:
 * gstlpverify.c (the element), lpverifyframes.c (streaming: the reference
 * window, frame matching, frozen frames), lpverifyquality.c and
 * lpverifystructure.c (the scores of a checked frame), lpverifyverdict.c
 * (the verdict, the lpverify-result message).
 *
 * Locks:
 * - LOCK (GstLpVerify.lock) protects the reference window and the state
 *   of the reference and of every rendition marked "under the element's
 *   lock", their counters and score arrays; COND (GstLpVerify.cond) is
 *   signalled when the window, an input's state or a link changes. Messages
 *   are built with it held and posted after it is released.
 * - The element's object lock protects its properties, a pad's object lock
 *   that pad's profile and encoded bytes. They are taken inside LOCK
 *   (never LOCK inside them), and nothing else is taken inside them.
 * - Fields marked "streaming thread only" are touched by their pad's
 *   streaming thread alone (and by state changes, when it is stopped), so
 *   the measurements run on them without a lock. */
#pragma once

#include "gstlpverify.h"

#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpwire.h>
#include <gst/video/video.h>
#include <libavutil/pixfmt.h>

struct SwsContext;

GST_DEBUG_CATEGORY_EXTERN (gst_lp_verify_debug);
#define GST_CAT_DEFAULT gst_lp_verify_debug

/* the change grid: Y sampled at fixed fractions of the picture, so that
 * every frame can be checked for a few microseconds; blocks of
 * CHANGE_BLOCK x CHANGE_BLOCK points give its coarse picture */
#define CHANGE_GRID_W 128
#define CHANGE_GRID_H 72
#define CHANGE_SAMPLES (CHANGE_GRID_W * CHANGE_GRID_H)
#define CHANGE_BLOCK 4
/* a reference whose neighbouring Y pixels correlate less than this is
 * noise-like; such a rendition may have this fraction of its frames
 * mismatched (an encoder at a preset bitrate cannot follow every frame of
 * fast noise) */
#define NOISE_AUTOCORR 0.5
#define NOISE_MISMATCH_FRACTION 0.2
/* ... and must keep at least this share of its coarse correlation with
 * such a reference in its detail correlation (honest renditions of snow
 * keep 0.64 and more, at half a preset bitrate too; a 160x90 upscale 0.26
 * and less, a blur 0.04 and less) */
#define NOISE_DETAIL_SHARE 0.4
/* ... and may have this many times `max-block-error` (its block means are
 * noisy too: honest renditions of snow reach 22 at 640x360, a logo 50) */
#define NOISE_BLOCK_ERROR_FACTOR 2.0
/* the structure scores: SSIM's C2 is raised by this many times the noise
 * variance of the reference's structure plane (4 left honest renditions of
 * a dark clip with heavy sensor noise at 0.85; other content, shifted or
 * frozen frames of that clip stay under 0.88 at 12); the sharpness discounts
 * the gradient energy of the reference's noise down to this fraction of
 * its energy */
#define NOISE_SSIM_FACTOR 12.0
#define NOISE_SHARPNESS_FLOOR 0.05
#define PSNR_CAP 100.0

typedef struct
{
  GstBuffer *buffer;
  GstVideoInfo info;
  GstClockTime rt;
  guint64 index;
} RefFrame;

/* Counters of a rendition; a copy taken at a message marks a window */
typedef struct
{
  guint64 frames;
  guint64 pixels;
  guint64 unmatched;
  guint64 duplicated;
  guint64 dropped;
  guint64 frozen;
  guint checked;                /* index into the score arrays */
} Counters;

struct _GstLpVerifyPad
{
  GstPad parent;

  gchar *profile;               /* under the object lock */
  GBytes *encoded;              /* under the object lock */

  /* set once at creation */
  GstPad *srcpad;

  /* under the element's lock */
  GstVideoInfo info;
  gboolean have_info;
  gboolean eos;
  gboolean flushing;
  gboolean got_data;
  GstClockTime last_rt;         /* GST_CLOCK_TIME_NONE before the first frame */
  gint64 first_ref_index;       /* -1 before the first match */
  gint64 last_ref_index;
  guint since_check;
  Counters count;
  Counters window;              /* count at the previous message */
  GArray *psnr_y, *psnr_yuv, *ssim_y;   /* gdouble, one per checked frame */
  GArray *block_error, *sharpness, *ref_autocorr, *coarse_corr, *detail_corr;
  GArray *structure_psnr, *structure_ssim, *noise;
  /* the noise share of the reference's gradient energy; the structure
   * planes' gradient energies: the rendition's, the reference's less its
   * noise's */
  GArray *noise_share, *half_energy, *half_structure;
  /* the local structure scores of the structure planes (lpverifyquality.c) */
  GArray *added_structure, *replaced_structure;

  /* streaming thread only */
  GstSegment segment;
  struct SwsContext *ref_sws, *rend_sws;
  guint8 *ref_i420, *rend_i420;
  gsize i420_size;
  /* the structure planes: Y of both halved (reference, then rendition) */
  guint8 *half;
  /* the change grids of this frame and of the previous one: rendition,
   * reference (CHANGE_SAMPLES each), the reference's of the frame before
   * (its temporal noise needs three), and how many of the earlier two
   * are held */
  guint8 *grid, *prev_grid, *prev2_ref;
  guint grids;
  /* the previous frame's estimates of the reference's temporal noise
   * variance on the grid (GridNoise; -1: none) */
  gdouble noise_median_var, noise_mean_var;
  /* the rendition's change and the reference's structural change of the
   * two frames before (-1: none) and whether the last one may be a
   * repeated frame (repeated_frame) */
  gdouble recent_rend[2], recent_structure[2];
  gboolean recent_candidate;
  /* the previous frame's mean square difference from its own reference
   * frame on the grid (-1: none) and whether it was counted already */
  gdouble recent_own;
  gboolean recent_counted;
};

struct _GstLpVerify
{
  GstElement parent;

  GstPad *refpad, *srcpad;

  /* properties, under the object lock */
  gdouble min_psnr;
  gdouble min_ssim;
  guint max_frame_mismatch;
  gdouble max_block_error;
  gdouble min_sharpness;
  gdouble min_noise_correlation;
  gdouble max_added_structure;
  gdouble max_replaced_structure;
  guint sample_interval;
  guint interval;
  gboolean fail_on_mismatch;
  gchar *transcode_result;
  gchar *orchestrator_address;

  /* LOCK protects what follows; COND is signalled when the reference
   * window, an input's state or a link changes */
  GMutex lock;
  GCond cond;
  GQueue window;                /* RefFrame, oldest first */
  GstVideoInfo ref_info;
  gboolean have_ref_info;
  GstClockTime ref_latest_rt;
  guint64 ref_frames;
  gboolean ref_eos;
  gboolean ref_flushing;
  gboolean flushing;            /* going down to READY */
  gboolean final_posted;
  gboolean src_eos_pending;     /* src's EOS waits for the final result */
  gboolean no_reference_posted;
  GList *renditions;            /* GstLpVerifyPad, ref held */
  guint next_pad_index;
  /* parsed at READY -> PAUSED from the properties; NULL: no signature
   * check */
  LpTranscodeResult *result;
  LpAddress signer;
  gboolean signature_error_posted;

  /* reference streaming thread only */
  GstSegment ref_segment;
};

#define LOCK(s) g_mutex_lock (&(s)->lock)
#define UNLOCK(s) g_mutex_unlock (&(s)->lock)
#define WAIT(s) g_cond_wait (&(s)->cond, &(s)->lock)
#define BROADCAST(s) g_cond_broadcast (&(s)->cond)

/* A failed check, to be posted once the lock is released */
typedef struct
{
  gchar *pad;                   /* NULL: a settings error, not a rendition */
  gchar *detail;
} Failure;

typedef struct
{
  gdouble psnr_y, psnr_yuv, ssim_y;
  gdouble block_error, sharpness, ref_autocorr, coarse_corr, detail_corr;
  gdouble structure_psnr, structure_ssim, noise;
  gdouble noise_share, half_energy, half_structure;
  gdouble added_structure, replaced_structure;
} Scores;

/* ---- gstlpverify.c ---- */

void gst_lp_verify_ref_frame_free (RefFrame * f);
/* Streaming thread of @pad, before its conversion buffers change size, and
 * READY to NULL */
void gst_lp_verify_pad_free_conversion (GstLpVerifyPad * pad);
/* without LOCK */
void gst_lp_verify_post_result (GstLpVerify * self, GstMessage * msg,
    GList * failures);
/* called with LOCK */
gboolean gst_lp_verify_renditions_done (GstLpVerify * self);
/* called with LOCK, which it releases */
void gst_lp_verify_finish_unlock (GstLpVerify * self);

/* ---- lpverifyframes.c: the pads' chain and event functions ---- */

GstFlowReturn gst_lp_verify_reference_chain (GstPad * pad,
    GstObject * parent, GstBuffer * buffer);
gboolean gst_lp_verify_reference_event (GstPad * pad, GstObject * parent,
    GstEvent * event);
GstFlowReturn gst_lp_verify_rendition_chain (GstPad * pad,
    GstObject * parent, GstBuffer * buffer);
gboolean gst_lp_verify_rendition_event (GstPad * pad, GstObject * parent,
    GstEvent * event);

/* ---- lpverifyverdict.c ---- */

/* takes no lock */
gboolean gst_lp_verify_parse_profile (const gchar * spec,
    const GstVideoInfo * ref, guint * width, guint * height, gint * fps_n,
    gint * fps_d);
/* called with LOCK */
GstMessage *gst_lp_verify_build_result (GstLpVerify * self, gboolean final,
    GList ** failures);

/* ---- lpverifyquality.c ---- */

/* AV_PIX_FMT_NONE for a format lpverify cannot read */
enum AVPixelFormat gst_lp_verify_av_format (GstVideoFormat format);
/* streaming thread of @pad, without LOCK */
gboolean gst_lp_verify_compare_frames (GstLpVerify * self,
    GstLpVerifyPad * pad, const GstVideoInfo * info, GstBuffer * buffer,
    const GstVideoInfo * ref_info, GstBuffer * ref_buffer, Scores * out);

/* ---- lpverifystructure.c ---- */

gdouble gst_lp_verify_plane_block_error (const guint8 * a, const guint8 * b,
    gint w, gint h, gint B);
gdouble gst_lp_verify_coarse_correlation (const guint8 * a, const guint8 * b,
    gint w, gint h, gint B);
gdouble gst_lp_verify_gradient_energy (const guint8 * a, gint w, gint h);
gdouble gst_lp_verify_detail_correlation (const guint8 * a, const guint8 * b,
    gint w, gint h);
gdouble gst_lp_verify_structure_energy (gdouble energy, gdouble sigma,
    gdouble * noise_share);
gdouble gst_lp_verify_sharpness (const guint8 * ref, const guint8 * rend,
    gint w, gint h, gdouble sigma, gdouble * noise_share);
gdouble gst_lp_verify_reference_correlation (const guint8 * ref,
    const guint8 * half, gint w, gint h);

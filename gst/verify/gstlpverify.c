/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-lpverify
 * @title: lpverify
 * @short_description: checks renditions against the source they were made from
 *
 * lpverify checks that renditions really come from a source: the source
 * (raw video) enters the `reference` pad, each rendition (raw video, decoded)
 * a requested `sink_%u` pad. Every stream is passed through unchanged: the
 * reference to `src`, each rendition to the `src_%u` pad of the same number,
 * which appears with its sink pad. Linking the outputs is optional.
 *
 * Each rendition frame is matched by running time to the reference frame
 * nearest to it; it matches when they are less than half a reference frame
 * apart. lpverify counts, per rendition:
 * - frames without a match (`unmatched`),
 * - frames that repeat the reference frame of the one before (`duplicated`,
 *   only for a rendition that is not faster than the reference),
 * - reference frames skipped beyond what the frame-rate conversion implies
 *   (`dropped`, including missing frames at the start and the end: 60 to
 *   30 fps drops every other frame and that is expected),
 * - frames that did not change while the reference did (`frozen`), from
 *   one matched frame to the next, whatever `sample-interval`, from the
 *   third on: Y on a grid of 128x72 points (the reference averaged over
 *   2x2 pixels of each rendition pixel's footprint, so it compares as if
 *   scaled). Grain and sensor noise, new every frame, make most of the
 *   change of a slow or dark grainy reference, and encoders drop them, so
 *   lpverify estimates the reference's temporal noise on the grid (from
 *   the median absolute second difference of three consecutive grids,
 *   robust to the points that moved; the lower of this frame's and the
 *   previous one's estimate) and judges the reference's change less twice
 *   that noise variance, its structural change: a frame is frozen when
 *   that is over 0.5 plus a tenth of the noise's change and the
 *   rendition's change (mean square) is under 1/16 of it plus 0.02 times
 *   the noise variance (an encoder refines the grain of a repeated frame
 *   a little). A frame is also frozen when the rendition changed there by
 *   less than a quarter of what it changed on the frame before and on the
 *   one after, while the reference's structural change stayed over half
 *   of theirs and clearly above its noise (decided one frame late): a
 *   frame repeated by a frame-rate conversion reaches the encoder
 *   unchanged, so the rendition's change dips on it alone, however much
 *   grain the encoder refines. A reference whose temporal noise variance
 *   is over 3/4 of its grid's variance is pure noise, whose noise is its
 *   content: there
 *   all of the change counts (frozen: the rendition changed by a mean
 *   square under 0.5 while the reference changed by over 4, or by 16
 *   times less than the reference's while that is over 0.5, and the means
 *   of 4x4 grid points, the coarse picture, did not change either by the
 *   same criteria). This catches a lower frame rate shown at the
 *   rendition's, whose repeated frames a sampled check would not see; on
 *   slow grainy content an encoder may legitimately hold a picture, and
 *   repeated frames there go unseen (docs/verify.md).
 *
 * Every `sample-interval`-th matched frame is checked: the reference frame
 * is scaled to the rendition's size with libswscale (bicubic) and both are
 * compared in I420: PSNR of Y and of Y, U and V together, and SSIM of Y (8x8
 * windows, 4 pixels apart, C1 = (0.01 * 255)^2, C2 = (0.03 * 255)^2). The
 * scores are aggregated as mean, minimum and 5th percentile. These full
 * resolution scores are reported but not judged: film grain and sensor
 * noise, which encoders remove first, pull them down as far as tampering
 * does (an honest 720p rendition of grainy camera content scores SSIM-Y
 * 0.6-0.8). The verdict uses the same scores on the structure planes
 * instead, where grain counts little and structure fully:
 * - the reference's noise: the deviation (levels) of its Y at the
 *   rendition's size, estimated from the mean absolute response to a 3x3
 *   mask that cancels smooth shading and straight edges (Immerkær's
 *   estimator; fine texture counts too). Aggregated as mean.
 * - the structure planes: both Y planes averaged over 2x2 pixels (half the
 *   size: the variance of grain, independent from pixel to pixel, is
 *   quartered, while edges and texture of a few pixels stay). Their PSNR
 *   (`structure-psnr-y`) and their SSIM with C2 raised by 12 times the
 *   noise variance of the reference's structure plane
 *   (`structure-ssim-y`: contrast and structure differences within a few
 *   noise deviations count little, so a rendition without the noise still
 *   scores high where the reference is flat or dark but for its noise),
 *   aggregated as mean and 5th percentile.
 *
 * On the full-resolution pair of Y planes lpverify also measures:
 * - the block error: the largest difference between the means of a 16x16
 *   block of the two (0..255). An encode keeps block means, so honest
 *   renditions stay within a few levels; a logo, changed text or another
 *   picture moves some block by tens of levels, however small the area.
 *   Aggregated as 95th percentile over the checked frames.
 * - the sharpness: the rendition's Y gradient energy (mean of dx² + dy²
 *   of neighbouring pixels) over the scaled reference's less that of the
 *   reference's noise (4 x its variance; at least 5 % of the reference's
 *   energy is kept): a rendition need not keep grain, but must keep edges.
 *   A low-resolution picture scaled up to the rendition size, or a blurred
 *   one, has lost its fine detail and scores well under 1 even when its
 *   PSNR is high. Aggregated as mean. The share of the reference's
 *   gradient energy its noise gives (`noise-share-mean`) and the same
 *   ratio on the structure planes (`structure-sharpness`: the sum over the
 *   checked frames of the rendition's energy over that of the reference's
 *   less its noise): where the noise gives over 55 %, the finest detail
 *   is mostly noise, which an encoder short of bits removes with the weak
 *   structure in it, and the higher of the two sharpness values is
 *   judged.
 * - whether the reference is noise-like: the correlation of horizontally
 *   neighbouring Y pixels of the scaled reference or of its structure
 *   plane, whichever is higher (grain lowers the first, detail finer than
 *   2 pixels the second), mean over the checked frames, below 0.5 (pure
 *   noise is near 0, pictures above 0.75). Such a
 *   reference has no structure an encoder at a preset bitrate can keep:
 *   its PSNR and SSIM look like another source's. For it lpverify uses
 *   instead two correlations with the rendition, each a mean over the
 *   checked frames: of the 8x8 block means (`coarse-corr`, what survives of
 *   the noise's low frequencies) and of the Laplacians (4 x pixel minus its
 *   four neighbours; `detail-corr`, what survives of its fine detail);
 *   another source, shifted or frozen frames, a logo or an upscale of a
 *   lower resolution score under 0.2 in one of them.
 *
 * A rendition fails when it has no frame, when its size or frame rate
 * differs from its pad's `profile`, when more than `max-frame-mismatch`
 * frames are unmatched, duplicated, dropped or frozen (for a noise-like
 * reference: more than that or 20 % of its frames, whichever is more), or,
 * for a reference that is not noise-like, when its 5th percentile
 * structure PSNR-Y or structure SSIM-Y is below `min-psnr` or `min-ssim`,
 * its block error's 95th
 * percentile above `max-block-error` or its mean sharpness (the higher of
 * it and `structure-sharpness` where the noise share is over 55 %) below
 * `min-sharpness`; for a noise-like reference, when its mean coarse or
 * detail correlation is below `min-noise-correlation` or its block error's
 * 95th percentile above twice `max-block-error`. Each
 * failure is posted as a warning naming the rendition and the check, or as
 * an error with `fail-on-mismatch`.
 *
 * Design: each input is handled in its own streaming thread, so lpverify is
 * not a GstAggregator (whose single output thread would block in the
 * preroll of the first of several sinks, and which has a single source pad).
 * The reference thread stores its frames in a window (at most 4 s or 512
 * frames) and passes them on; each rendition thread passes its frame on
 * first, then waits until the reference has reached the frame's running time
 * (or ended) and compares. The reference only waits when the window is full
 * and a linked rendition still needs its oldest frame, so renditions that
 * lag behind their source (encoder latency) are still matched, and a
 * rendition that never links cannot stall the reference. Nothing waits on an
 * EOS: the last input to end posts the final result and the EOS of `src`
 * follows it.
 *
 * ## Messages
 *
 * `lpverify-result`, an element message posted every `interval` reference
 * frames (each rendition's entry then covers its frames since the previous
 * message) and once when every input has ended (covering whole streams):
 * - `final` (boolean): whether this is the summary at the end
 * - `reference-frames` (guint64): reference frames received so far
 * - `verdict` (string): `pass` when every rendition passed, else `fail`
 * - `renditions` (GstValueArray of GstStructure `rendition`), one per
 *   rendition pad, with `pad` (string), `frames` (guint64), `width`,
 *   `height` (guint), `framerate` (fraction), `pixels` (guint64: frames x
 *   width x height), `checked` (guint64: frames compared), `psnr-y-mean`,
 *   `psnr-y-min`, `psnr-y-p5`, `psnr-yuv-mean` (gdouble, dB, capped at 100),
 *   `ssim-y-mean`, `ssim-y-min`, `ssim-y-p5` (gdouble, 0..1; these are
 *   at full resolution and not judged), `structure-psnr-y-mean`,
 *   `structure-psnr-y-p5` (gdouble, dB, capped at 100),
 *   `structure-ssim-y-mean`, `structure-ssim-y-p5` (gdouble, 0..1; the
 *   scores `min-psnr` and `min-ssim` judge), `noise-mean` (gdouble,
 *   levels: the reference's estimated noise deviation),
 *   `block-error-p95` (gdouble, 0..255), `sharpness-mean`,
 *   `structure-sharpness`, `noise-share-mean` (gdouble),
 *   `reference-autocorr-mean` (gdouble, -1..1; the quality fields are 0
 *   when no frame was checked), `coarse-corr-mean`, `detail-corr-mean`
 *   (gdouble, -1..1, means over the checked frames whose reference is
 *   noise-like; absent when there was none: they are measured only there),
 *   `noise-like` (boolean: the reference is noise-like, so the verdict
 *   used the correlations instead of PSNR, SSIM and sharpness, and twice
 *   `max-block-error`), `unmatched`, `duplicated`,
 *   `dropped`, `frozen`, `mismatched` (guint64; `mismatched` is their sum),
 *   `verdict` (string: `pass` or `fail`) and `reason` (string: empty on a
 *   pass, else the failed check: `signature`, `no-frames`, `pixels`,
 *   `resolution`, `frame-rate`, `profile`, `frames`, `noise-correlation`,
 *   `psnr`, `ssim`, `block-error` or `sharpness`, the first that fails in
 *   this order); with a `transcode-result` also
 *   `reported-pixels` (guint64: the pixels the orchestrator reported for
 *   this rendition's segment, 0 when it has none) and `signature-valid`
 *   (boolean: whether the result's signature verifies; the same for every
 *   rendition, as it covers them all)
 *
 * ## Signature and reported pixels
 *
 * An orchestrator answers a segment with a `TranscodeResult` (PROTOCOL §7)
 * that reports each rendition's pixels and signs the hash of the encoded
 * renditions (§4: keccak-256 of the keccak-256 of each, in profile order).
 * Set the result's JSON, as received, in `transcode-result`, the address
 * the orchestrator advertised in `orchestrator-address`, and each encoded
 * rendition (the bytes received, before decoding) in its pad's `encoded`;
 * the result's segment N is the rendition of `sink_N`. lpverify then
 * checks, in every result message, that the signature verifies over the
 * `encoded` bytes of all the renditions (else each rendition fails with
 * reason `signature`) and, in the final one, that the pixels reported for
 * segment N equal the pixels `sink_N` decoded to (frames x width x height;
 * else reason `pixels`, the detail giving both numbers). The two element
 * properties are read at the READY to PAUSED state change. A rendition
 * pad without `encoded` bytes, a segment without a rendition pad or a
 * rendition pad without a segment is an error (RESOURCE/SETTINGS, naming
 * the pad), posted once after the first result message.
 *
 * ## Errors
 *
 * A rendition that arrives while `reference` stays unlinked for 1 s, a
 * reference that ends before its first frame, caps lpverify cannot read, a
 * `profile` it cannot parse, and a `transcode-result` or
 * `orchestrator-address` that does not parse (RESOURCE/SETTINGS, at the
 * READY to PAUSED state change, which then fails) are errors. Inputs must be raw video in system
 * memory (decode and download first).
 *
 * ## Example launch line
 * ```
 * gst-launch-1.0 lpverify name=v ! fakesink \
 *     videotestsrc num-buffers=60 pattern=ball ! \
 *     video/x-raw,width=640,height=360,framerate=30/1 ! tee name=t ! \
 *     queue ! v.reference t. ! queue ! videoscale ! \
 *     video/x-raw,width=320,height=180 ! x264enc ! avdec_h264 ! v.sink_0
 * ```
 * Encodes a test pattern at 320x180, decodes it and checks it against its
 * source; the result is in the `lpverify-result` message at the end.
 *
 * Since: 0.1
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstlpverify.h"

#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpprofile.h>
#include <gst/livepeer/lpwire.h>
#include <gst/video/video.h>
#include <libswscale/swscale.h>
#include <libavutil/pixfmt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_lp_verify_debug);
#define GST_CAT_DEFAULT gst_lp_verify_debug

#define DEFAULT_MIN_PSNR 25.0
#define DEFAULT_MIN_SSIM 0.90
#define DEFAULT_MAX_FRAME_MISMATCH 2
#define DEFAULT_MAX_BLOCK_ERROR 16.0
#define DEFAULT_MIN_SHARPNESS 0.7
#define DEFAULT_MIN_NOISE_CORRELATION 0.2
#define DEFAULT_SAMPLE_INTERVAL 10
#define DEFAULT_INTERVAL 0
#define DEFAULT_FAIL_ON_MISMATCH FALSE
#define DEFAULT_PROFILE NULL

/* the reference window */
#define WINDOW_MAX_TIME (4 * GST_SECOND)
#define WINDOW_MAX_FRAMES 512
/* how long a rendition waits for `reference` to be linked */
#define LINK_GRACE (1 * G_TIME_SPAN_SECOND)
/* frozen: consecutive rendition frames differ by less than FROZEN_MSE
 * (Y MSE on the change grid) while the reference's differ by more than
 * FROZEN_REF_MSE, or by
 * less than 1/FROZEN_RATIO of what the reference's differ while those
 * differ by more than FROZEN_RATIO_REF_MSE. The ratio matters: an encoder
 * keeps refining a still picture for a few frames (small, not zero,
 * differences), while an honest rendition of moving content changes about
 * as much as its reference; and it catches repeated frames of slow content
 * (a zone plate at 20 fps shown at 30 changes by MSE 1-4 a frame). */
#define FROZEN_MSE 0.5
#define FROZEN_RATIO 16.0
#define FROZEN_REF_MSE 4.0
#define FROZEN_RATIO_REF_MSE 0.5
/* ... on a reference with grain or sensor noise, which encoders drop,
 * these apply to its change less what its noise alone gives (twice its
 * temporal noise variance): that structural change must be over
 * FROZEN_RATIO_REF_MSE plus FROZEN_NOISE_MARGIN times the noise's change,
 * and the rendition's change under 1/FROZEN_RATIO of it plus FROZEN_REFINE
 * times the noise variance. A reference whose temporal noise variance is
 * over FROZEN_NOISE_LIKE of its picture's variance is noise through and
 * through (pure noise): its whole change counts, as above. */
#define FROZEN_NOISE_MARGIN 0.1
#define FROZEN_REFINE 0.02
#define FROZEN_NOISE_LIKE 0.75
/* ... and a frame is repeated (a lower frame rate shown at the
 * rendition's) when the rendition changed there by less than
 * 1/REPEAT_RATIO of what it changed on the frame before and on the one
 * after, while the reference's structural change stayed over REPEAT_STEADY
 * of theirs: a repeated frame reaches the encoder unchanged, so whatever
 * grain the encoder refines, the rendition's change dips on that frame
 * alone, while the reference moves on as steadily as before. */
#define REPEAT_RATIO 4.0
#define REPEAT_STEADY 0.5
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
/* ... and may have this many times `max-block-error` (its block means are
 * noisy too: honest renditions of snow reach 22 at 640x360, a logo 50) */
#define NOISE_BLOCK_ERROR_FACTOR 2.0
/* block sizes of the block error and of the coarse correlation */
#define BLOCK_ERROR_SIZE 16
#define COARSE_SIZE 8
/* the structure scores: SSIM's C2 is raised by this many times the noise
 * variance of the reference's structure plane (4 left honest renditions of
 * a dark clip with heavy sensor noise at 0.85; other content, shifted or
 * frozen frames of that clip stay under 0.88 at 12); the sharpness discounts
 * the gradient energy of the reference's noise down to this fraction of
 * its energy */
#define NOISE_SSIM_FACTOR 12.0
#define NOISE_SHARPNESS_FLOOR 0.05
/* where the reference's estimated noise gives over this share of its
 * gradient energy (mean over the checked frames), the finest detail is
 * mostly noise, and an encoder short of bits removes the weak structure
 * there with it (a dark clip with heavy sensor noise at 640x360 and half
 * the preset bitrate keeps 38 % of what is left after the discount, but
 * 86 % on the structure planes): the sharpness is then judged on the
 * structure planes too, the higher of the two counting. Immerkaer's
 * estimate is low for a reference scaled down, whose grain is no longer
 * independent from pixel to pixel (that clip: 59 % estimated, 80 %
 * measured against the clip without noise), so the share errs low. A
 * picture scaled up from a size below the structure planes' keeps them,
 * and only the full-resolution sharpness catches it, so the rule stays off
 * where the noise is weaker (the same clip at 426x240: 51 %) */
#define NOISE_DOMINANT 0.55
#define PSNR_CAP 100.0

enum
{
  PROP_0,
  PROP_MIN_PSNR,
  PROP_MIN_SSIM,
  PROP_MAX_FRAME_MISMATCH,
  PROP_MAX_BLOCK_ERROR,
  PROP_MIN_SHARPNESS,
  PROP_MIN_NOISE_CORRELATION,
  PROP_SAMPLE_INTERVAL,
  PROP_INTERVAL,
  PROP_FAIL_ON_MISMATCH,
  PROP_TRANSCODE_RESULT,
  PROP_ORCHESTRATOR_ADDRESS,
};

enum
{
  PAD_PROP_0,
  PAD_PROP_PROFILE,
  PAD_PROP_ENCODED,
};

#define VERIFY_FORMATS "{ I420, NV12, NV21, Y42B, Y444, YUY2, UYVY, RGB, " \
  "BGR, RGBA, BGRA, ARGB, ABGR, RGBx, BGRx, xRGB, xBGR, GRAY8 }"
#define VERIFY_CAPS GST_VIDEO_CAPS_MAKE (VERIFY_FORMATS)

static GstStaticPadTemplate reference_template =
GST_STATIC_PAD_TEMPLATE ("reference", GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (VERIFY_CAPS));
static GstStaticPadTemplate sink_template =
GST_STATIC_PAD_TEMPLATE ("sink_%u", GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS (VERIFY_CAPS));
static GstStaticPadTemplate src_template =
GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (VERIFY_CAPS));
static GstStaticPadTemplate rendition_src_template =
GST_STATIC_PAD_TEMPLATE ("src_%u", GST_PAD_SRC, GST_PAD_SOMETIMES,
    GST_STATIC_CAPS (VERIFY_CAPS));

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

/* ---- the pad ---- */

G_DEFINE_TYPE (GstLpVerifyPad, gst_lp_verify_pad, GST_TYPE_PAD);

static void
gst_lp_verify_pad_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLpVerifyPad *pad = GST_LP_VERIFY_PAD (object);

  switch (prop_id) {
    case PAD_PROP_PROFILE:
      GST_OBJECT_LOCK (pad);
      g_free (pad->profile);
      pad->profile = g_value_dup_string (value);
      GST_OBJECT_UNLOCK (pad);
      break;
    case PAD_PROP_ENCODED:
      GST_OBJECT_LOCK (pad);
      g_clear_pointer (&pad->encoded, g_bytes_unref);
      pad->encoded = g_value_dup_boxed (value);
      GST_OBJECT_UNLOCK (pad);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_lp_verify_pad_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstLpVerifyPad *pad = GST_LP_VERIFY_PAD (object);

  switch (prop_id) {
    case PAD_PROP_PROFILE:
      GST_OBJECT_LOCK (pad);
      g_value_set_string (value, pad->profile);
      GST_OBJECT_UNLOCK (pad);
      break;
    case PAD_PROP_ENCODED:
      GST_OBJECT_LOCK (pad);
      g_value_set_boxed (value, pad->encoded);
      GST_OBJECT_UNLOCK (pad);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_lp_verify_pad_free_conversion (GstLpVerifyPad * pad)
{
  g_clear_pointer (&pad->ref_sws, sws_freeContext);
  g_clear_pointer (&pad->rend_sws, sws_freeContext);
  g_clear_pointer (&pad->ref_i420, g_free);
  g_clear_pointer (&pad->rend_i420, g_free);
  g_clear_pointer (&pad->half, g_free);
  pad->i420_size = 0;
}

static void
gst_lp_verify_pad_finalize (GObject * object)
{
  GstLpVerifyPad *pad = GST_LP_VERIFY_PAD (object);

  gst_lp_verify_pad_free_conversion (pad);
  g_free (pad->grid);
  g_free (pad->prev_grid);
  g_free (pad->prev2_ref);
  g_array_unref (pad->psnr_y);
  g_array_unref (pad->psnr_yuv);
  g_array_unref (pad->ssim_y);
  g_array_unref (pad->block_error);
  g_array_unref (pad->sharpness);
  g_array_unref (pad->ref_autocorr);
  g_array_unref (pad->coarse_corr);
  g_array_unref (pad->detail_corr);
  g_array_unref (pad->structure_psnr);
  g_array_unref (pad->structure_ssim);
  g_array_unref (pad->noise_share);
  g_array_unref (pad->half_energy);
  g_array_unref (pad->half_structure);
  g_array_unref (pad->noise);
  g_free (pad->profile);
  g_clear_pointer (&pad->encoded, g_bytes_unref);
  G_OBJECT_CLASS (gst_lp_verify_pad_parent_class)->finalize (object);
}

static void
gst_lp_verify_pad_class_init (GstLpVerifyPadClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->set_property = gst_lp_verify_pad_set_property;
  gobject_class->get_property = gst_lp_verify_pad_get_property;
  gobject_class->finalize = gst_lp_verify_pad_finalize;

  /**
   * GstLpVerifyPad:profile:
   *
   * The profile the rendition must follow: a Livepeer preset name (such
   * as `P360p30fps16x9`; its box is fitted to the reference as Livepeer
   * does) or `WIDTHxHEIGHT[@FPS]` for an exact size. A preset that keeps
   * the source frame rate, or a size without FPS, expects the reference's
   * rate. %NULL (the default) checks neither size nor frame rate.
   */
  g_object_class_install_property (gobject_class, PAD_PROP_PROFILE,
      g_param_spec_string ("profile", "Profile",
          "Expected profile of the rendition: a Livepeer preset name or "
          "WIDTHxHEIGHT[@FPS]; NULL checks neither size nor frame rate",
          DEFAULT_PROFILE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstLpVerifyPad:encoded:
   *
   * The encoded rendition exactly as the orchestrator returned it (its
   * MPEG-TS bytes), for the signature check of
   * #GstLpVerify:transcode-result: its keccak-256 enters the result hash
   * (PROTOCOL §4). Needed on every rendition pad when a transcode-result
   * is set; ignored otherwise. It is read when a result is posted, so it
   * may be set in any state before the end of the stream.
   */
  g_object_class_install_property (gobject_class, PAD_PROP_ENCODED,
      g_param_spec_boxed ("encoded", "Encoded rendition",
          "The encoded rendition as the orchestrator returned it, whose hash "
          "the transcode-result signature covers (NULL: none)",
          G_TYPE_BYTES, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
}

static void
gst_lp_verify_pad_reset (GstLpVerifyPad * pad)
{
  gst_video_info_init (&pad->info);
  pad->have_info = FALSE;
  pad->eos = FALSE;
  pad->flushing = FALSE;
  pad->got_data = FALSE;
  pad->last_rt = GST_CLOCK_TIME_NONE;
  pad->first_ref_index = -1;
  pad->last_ref_index = -1;
  pad->since_check = 0;
  memset (&pad->count, 0, sizeof (pad->count));
  memset (&pad->window, 0, sizeof (pad->window));
  g_array_set_size (pad->psnr_y, 0);
  g_array_set_size (pad->psnr_yuv, 0);
  g_array_set_size (pad->ssim_y, 0);
  g_array_set_size (pad->block_error, 0);
  g_array_set_size (pad->sharpness, 0);
  g_array_set_size (pad->ref_autocorr, 0);
  g_array_set_size (pad->coarse_corr, 0);
  g_array_set_size (pad->detail_corr, 0);
  g_array_set_size (pad->structure_psnr, 0);
  g_array_set_size (pad->structure_ssim, 0);
  g_array_set_size (pad->noise_share, 0);
  g_array_set_size (pad->half_energy, 0);
  g_array_set_size (pad->half_structure, 0);
  g_array_set_size (pad->noise, 0);
  gst_segment_init (&pad->segment, GST_FORMAT_TIME);
  pad->grids = 0;
}

static void
gst_lp_verify_pad_init (GstLpVerifyPad * pad)
{
  pad->psnr_y = g_array_new (FALSE, FALSE, sizeof (gdouble));
  pad->psnr_yuv = g_array_new (FALSE, FALSE, sizeof (gdouble));
  pad->ssim_y = g_array_new (FALSE, FALSE, sizeof (gdouble));
  pad->block_error = g_array_new (FALSE, FALSE, sizeof (gdouble));
  pad->sharpness = g_array_new (FALSE, FALSE, sizeof (gdouble));
  pad->ref_autocorr = g_array_new (FALSE, FALSE, sizeof (gdouble));
  pad->coarse_corr = g_array_new (FALSE, FALSE, sizeof (gdouble));
  pad->detail_corr = g_array_new (FALSE, FALSE, sizeof (gdouble));
  pad->structure_psnr = g_array_new (FALSE, FALSE, sizeof (gdouble));
  pad->structure_ssim = g_array_new (FALSE, FALSE, sizeof (gdouble));
  pad->noise_share = g_array_new (FALSE, FALSE, sizeof (gdouble));
  pad->half_energy = g_array_new (FALSE, FALSE, sizeof (gdouble));
  pad->half_structure = g_array_new (FALSE, FALSE, sizeof (gdouble));
  pad->noise = g_array_new (FALSE, FALSE, sizeof (gdouble));
  pad->grid = g_malloc (2 * CHANGE_SAMPLES);
  pad->prev_grid = g_malloc (2 * CHANGE_SAMPLES);
  pad->prev2_ref = g_malloc (CHANGE_SAMPLES);
  gst_lp_verify_pad_reset (pad);
}

/* ---- the element ---- */

static void gst_lp_verify_child_proxy_init (gpointer g_iface,
    gpointer iface_data);

#define gst_lp_verify_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstLpVerify, gst_lp_verify, GST_TYPE_ELEMENT,
    G_IMPLEMENT_INTERFACE (GST_TYPE_CHILD_PROXY,
        gst_lp_verify_child_proxy_init));
GST_ELEMENT_REGISTER_DEFINE (lpverify, "lpverify", GST_RANK_NONE,
    GST_TYPE_LP_VERIFY);

static void gst_lp_verify_finalize (GObject * object);
static void gst_lp_verify_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_lp_verify_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static GstStateChangeReturn gst_lp_verify_change_state (GstElement * element,
    GstStateChange transition);
static GstPad *gst_lp_verify_request_new_pad (GstElement * element,
    GstPadTemplate * templ, const gchar * name, const GstCaps * caps);
static void gst_lp_verify_release_pad (GstElement * element, GstPad * pad);
static GstFlowReturn gst_lp_verify_reference_chain (GstPad * pad,
    GstObject * parent, GstBuffer * buffer);
static gboolean gst_lp_verify_reference_event (GstPad * pad,
    GstObject * parent, GstEvent * event);
static GstFlowReturn gst_lp_verify_rendition_chain (GstPad * pad,
    GstObject * parent, GstBuffer * buffer);
static gboolean gst_lp_verify_rendition_event (GstPad * pad,
    GstObject * parent, GstEvent * event);
static GstIterator *gst_lp_verify_iterate_internal_links (GstPad * pad,
    GstObject * parent);

static void
gst_lp_verify_class_init (GstLpVerifyClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->finalize = gst_lp_verify_finalize;
  gobject_class->set_property = gst_lp_verify_set_property;
  gobject_class->get_property = gst_lp_verify_get_property;

  /**
   * GstLpVerify:min-psnr:
   *
   * The lowest 5th percentile of a rendition's structure PSNR-Y (dB: the
   * PSNR of Y averaged over 2x2 pixels, so that grain the encoder dropped
   * counts little) that passes, for a reference that is not noise-like.
   * On bench/verify-scores.sh (docs/verify.md; x264 at Livepeer's preset
   * bitrates and at half of them) honest renditions score 26.4 dB and
   * more (grainy camera content at 256x144; synthetic content 27.5 dB
   * and more, a zone plate at 256x144, 200 kbit/s, whose fine rings
   * alias), another scene, another source, frozen or shifted frames
   * under 24 dB on most content. A logo or changed text over a few
   * % of the picture can score 26 dB: `max-block-error` catches it, so
   * PSNR only has to catch a picture degraded or replaced as a whole. Pure
   * noise (`pattern=snow`), which x264 at these bitrates keeps at 11-19
   * dB, is judged by `min-noise-correlation` instead.
   */
  g_object_class_install_property (gobject_class, PROP_MIN_PSNR,
      g_param_spec_double ("min-psnr", "Minimum PSNR",
          "Lowest 5th-percentile structure PSNR of Y (Y averaged over 2x2 "
          "pixels) a rendition may have, in dB (0 disables the check)", 0.0,
          PSNR_CAP, DEFAULT_MIN_PSNR, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstLpVerify:min-ssim:
   *
   * The lowest 5th percentile of a rendition's structure SSIM-Y that
   * passes: SSIM of Y averaged over 2x2 pixels, with C2 raised by 12 times
   * the variance of the reference's noise there, so that grain and sensor
   * noise the encoder removed do not count. See docs/verify.md for the
   * scores of honest and tampered renditions on bench/verify-scores.sh
   * (synthetic and grainy camera content; the full-resolution SSIM-Y of
   * honest grainy renditions goes down to 0.4).
   */
  g_object_class_install_property (gobject_class, PROP_MIN_SSIM,
      g_param_spec_double ("min-ssim", "Minimum SSIM",
          "Lowest 5th-percentile structure SSIM of Y (Y averaged over 2x2 "
          "pixels, the reference's noise discounted) a rendition may have, "
          "0..1 (0 disables the check)", 0.0, 1.0, DEFAULT_MIN_SSIM,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstLpVerify:max-frame-mismatch:
   *
   * How many frames of a rendition may be unmatched, duplicated, dropped
   * or frozen, together, before it fails.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_FRAME_MISMATCH,
      g_param_spec_uint ("max-frame-mismatch", "Maximum frame mismatch",
          "Frames a rendition may have unmatched, duplicated, dropped or "
          "frozen, in all (0 allows none)", 0, G_MAXUINT,
          DEFAULT_MAX_FRAME_MISMATCH, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstLpVerify:max-block-error:
   *
   * The highest 95th percentile of a rendition's block error (the largest
   * difference of the means of a 16x16 Y block, 0..255) that passes, for
   * a reference that is not noise-like (twice this for a noise-like one:
   * honest renditions of snow reach 22, a logo on it 50). On
   * bench/verify-scores.sh
   * (docs/verify.md) honest renditions reach 8.1 at most (SMPTE bars at
   * 256x144, 400 kbit/s); a logo over 4 % of the picture scores 21 and
   * more, a clock shifted by 1 s 30 and more. Honest renditions of grainy
   * camera content reach 15 (heavy grain at 640x360).
   */
  g_object_class_install_property (gobject_class, PROP_MAX_BLOCK_ERROR,
      g_param_spec_double ("max-block-error", "Maximum block error",
          "Highest 95th-percentile difference of the 16x16 block means of Y "
          "a rendition may have (255 disables the check)", 0.0, 255.0,
          DEFAULT_MAX_BLOCK_ERROR, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS
          | GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstLpVerify:min-sharpness:
   *
   * The lowest mean sharpness (the rendition's Y gradient energy over the
   * scaled reference's, less the energy of the reference's estimated
   * noise) that passes, for a reference that is not noise-like; where
   * that noise gives over 55 % of the reference's gradient energy, the
   * higher of it and the same ratio on the structure planes
   * (`structure-sharpness`). On bench/verify-scores.sh honest renditions
   * score 0.76 and more (a dark clip with heavy sensor noise at 640x360
   * and 600 kbit/s: 0.38 at full resolution, 0.86 on the structure
   * planes), a Gaussian blur of 2 pixels 0.66 and less, a 160x90 picture
   * scaled up to the rendition size mostly 0.6 and less (see
   * docs/verify.md).
   */
  g_object_class_install_property (gobject_class, PROP_MIN_SHARPNESS,
      g_param_spec_double ("min-sharpness", "Minimum sharpness",
          "Lowest mean ratio of the rendition's Y gradient energy to the "
          "reference's a rendition may have (0 disables the check)", 0.0,
          G_MAXDOUBLE, DEFAULT_MIN_SHARPNESS, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstLpVerify:min-noise-correlation:
   *
   * For a noise-like reference, which PSNR and SSIM cannot judge: the
   * lowest mean correlation of the 8x8 block means and of the Laplacians
   * of Y with the reference that passes. On bench/verify-scores.sh honest
   * renditions of `videotestsrc pattern=snow` score 0.28 and more in both;
   * a logo scores 0.15 and less in the first, a 160x90 upscale 0.11 and
   * less in the second, other content, shifted and frozen frames less.
   */
  g_object_class_install_property (gobject_class, PROP_MIN_NOISE_CORRELATION,
      g_param_spec_double ("min-noise-correlation",
          "Minimum noise correlation", "Lowest mean correlation of the 8x8 "
          "block means and of the Laplacians of Y with a noise-like "
          "reference a rendition may have (-1 disables the check)", -1.0, 1.0,
          DEFAULT_MIN_NOISE_CORRELATION, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstLpVerify:sample-interval:
   *
   * Which matched frames are compared for quality: the first, then every
   * Nth. Timestamps are checked on every frame whatever the value.
   */
  g_object_class_install_property (gobject_class, PROP_SAMPLE_INTERVAL,
      g_param_spec_uint ("sample-interval", "Sample interval",
          "Compare every Nth matched frame of a rendition, in frames "
          "(1 compares all)", 1, G_MAXINT, DEFAULT_SAMPLE_INTERVAL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstLpVerify:interval:
   *
   * Reference frames between two `lpverify-result` messages; the final
   * message at the end comes whatever the value.
   */
  g_object_class_install_property (gobject_class, PROP_INTERVAL,
      g_param_spec_uint ("interval", "Interval",
          "Reference frames per lpverify-result message, in frames (0 posts "
          "only the final one at the end)", 0, G_MAXUINT, DEFAULT_INTERVAL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstLpVerify:fail-on-mismatch:
   *
   * Whether a failed rendition is posted as an error (which stops the
   * pipeline) instead of a warning.
   */
  g_object_class_install_property (gobject_class, PROP_FAIL_ON_MISMATCH,
      g_param_spec_boolean ("fail-on-mismatch", "Fail on mismatch",
          "Post a failed verification as an error instead of a warning "
          "(FALSE: warning)", DEFAULT_FAIL_ON_MISMATCH, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstLpVerify:transcode-result:
   *
   * The orchestrator's `TranscodeResult` for the segment, as JSON exactly
   * as it sent it (PROTOCOL §7: `{seq, data {segments [{url?, pixels}],
   * sig}}`). When set, lpverify checks its signature against
   * #GstLpVerify:orchestrator-address over the #GstLpVerifyPad:encoded
   * bytes of the renditions, and that the pixels it reports for segment N
   * equal the pixels `sink_N` decodes to. %NULL (the default) checks
   * neither. Read at the READY to PAUSED state change, where JSON that
   * does not parse (or an error result) is a RESOURCE/SETTINGS error.
   */
  g_object_class_install_property (gobject_class, PROP_TRANSCODE_RESULT,
      g_param_spec_string ("transcode-result", "Transcode result",
          "The orchestrator's TranscodeResult JSON whose signature and "
          "reported pixels are checked (NULL: no signature check)", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstLpVerify:orchestrator-address:
   *
   * The address (`0x` and 40 hex digits, EIP-55 or all one case) that must
   * have signed #GstLpVerify:transcode-result: the `address` the
   * orchestrator advertised in its OrchestratorInfo. Required with a
   * transcode-result; read at the READY to PAUSED state change, where an
   * address that does not parse is a RESOURCE/SETTINGS error.
   */
  g_object_class_install_property (gobject_class, PROP_ORCHESTRATOR_ADDRESS,
      g_param_spec_string ("orchestrator-address", "Orchestrator address",
          "Address that must have signed the transcode-result, 0x and 40 "
          "hex digits (NULL: none)", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  gst_element_class_add_static_pad_template (element_class,
      &reference_template);
  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &sink_template, GST_TYPE_LP_VERIFY_PAD);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_add_static_pad_template (element_class,
      &rendition_src_template);

  gst_element_class_set_static_metadata (element_class,
      "Livepeer rendition verifier", "Filter/Analyzer/Video",
      "Checks renditions against their source: frame counts and timestamps, "
      "size and frame rate, PSNR and SSIM",
      "gst-livepeer contributors");

  element_class->change_state = GST_DEBUG_FUNCPTR (gst_lp_verify_change_state);
  element_class->request_new_pad =
      GST_DEBUG_FUNCPTR (gst_lp_verify_request_new_pad);
  element_class->release_pad = GST_DEBUG_FUNCPTR (gst_lp_verify_release_pad);

  gst_type_mark_as_plugin_api (GST_TYPE_LP_VERIFY_PAD, 0);

  GST_DEBUG_CATEGORY_INIT (gst_lp_verify_debug, "lpverify", 0,
      "Livepeer rendition verifier");
}

static void
reference_linked (GstPad * pad, GstPad * peer, GstLpVerify * self)
{
  LOCK (self);
  BROADCAST (self);
  UNLOCK (self);
}

static void
gst_lp_verify_init (GstLpVerify * self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->window);

  self->min_psnr = DEFAULT_MIN_PSNR;
  self->min_ssim = DEFAULT_MIN_SSIM;
  self->max_frame_mismatch = DEFAULT_MAX_FRAME_MISMATCH;
  self->max_block_error = DEFAULT_MAX_BLOCK_ERROR;
  self->min_sharpness = DEFAULT_MIN_SHARPNESS;
  self->min_noise_correlation = DEFAULT_MIN_NOISE_CORRELATION;
  self->sample_interval = DEFAULT_SAMPLE_INTERVAL;
  self->interval = DEFAULT_INTERVAL;
  self->fail_on_mismatch = DEFAULT_FAIL_ON_MISMATCH;
  self->ref_latest_rt = GST_CLOCK_TIME_NONE;
  gst_video_info_init (&self->ref_info);
  gst_segment_init (&self->ref_segment, GST_FORMAT_TIME);

  self->refpad = gst_pad_new_from_static_template (&reference_template,
      "reference");
  gst_pad_set_chain_function (self->refpad,
      GST_DEBUG_FUNCPTR (gst_lp_verify_reference_chain));
  gst_pad_set_event_function (self->refpad,
      GST_DEBUG_FUNCPTR (gst_lp_verify_reference_event));
  gst_pad_set_iterate_internal_links_function (self->refpad,
      GST_DEBUG_FUNCPTR (gst_lp_verify_iterate_internal_links));
  GST_PAD_SET_PROXY_CAPS (self->refpad);
  g_signal_connect (self->refpad, "linked", G_CALLBACK (reference_linked),
      self);
  gst_element_add_pad (GST_ELEMENT (self), self->refpad);

  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_set_iterate_internal_links_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_lp_verify_iterate_internal_links));
  GST_PAD_SET_PROXY_CAPS (self->srcpad);
  gst_pad_set_element_private (self->srcpad, self->refpad);
  gst_pad_set_element_private (self->refpad, self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);
}

static void
ref_frame_free (RefFrame * f)
{
  gst_buffer_unref (f->buffer);
  g_free (f);
}

static void
gst_lp_verify_finalize (GObject * object)
{
  GstLpVerify *self = GST_LP_VERIFY (object);

  g_queue_clear_full (&self->window, (GDestroyNotify) ref_frame_free);
  g_list_free_full (self->renditions, gst_object_unref);
  g_clear_pointer (&self->result, lp_transcode_result_free);
  g_free (self->transcode_result);
  g_free (self->orchestrator_address);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_lp_verify_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstLpVerify *self = GST_LP_VERIFY (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MIN_PSNR:
      self->min_psnr = g_value_get_double (value);
      break;
    case PROP_MIN_SSIM:
      self->min_ssim = g_value_get_double (value);
      break;
    case PROP_MAX_FRAME_MISMATCH:
      self->max_frame_mismatch = g_value_get_uint (value);
      break;
    case PROP_MAX_BLOCK_ERROR:
      self->max_block_error = g_value_get_double (value);
      break;
    case PROP_MIN_SHARPNESS:
      self->min_sharpness = g_value_get_double (value);
      break;
    case PROP_MIN_NOISE_CORRELATION:
      self->min_noise_correlation = g_value_get_double (value);
      break;
    case PROP_SAMPLE_INTERVAL:
      self->sample_interval = g_value_get_uint (value);
      break;
    case PROP_INTERVAL:
      self->interval = g_value_get_uint (value);
      break;
    case PROP_FAIL_ON_MISMATCH:
      self->fail_on_mismatch = g_value_get_boolean (value);
      break;
    case PROP_TRANSCODE_RESULT:
      g_free (self->transcode_result);
      self->transcode_result = g_value_dup_string (value);
      break;
    case PROP_ORCHESTRATOR_ADDRESS:
      g_free (self->orchestrator_address);
      self->orchestrator_address = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_lp_verify_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstLpVerify *self = GST_LP_VERIFY (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MIN_PSNR:
      g_value_set_double (value, self->min_psnr);
      break;
    case PROP_MIN_SSIM:
      g_value_set_double (value, self->min_ssim);
      break;
    case PROP_MAX_FRAME_MISMATCH:
      g_value_set_uint (value, self->max_frame_mismatch);
      break;
    case PROP_MAX_BLOCK_ERROR:
      g_value_set_double (value, self->max_block_error);
      break;
    case PROP_MIN_SHARPNESS:
      g_value_set_double (value, self->min_sharpness);
      break;
    case PROP_MIN_NOISE_CORRELATION:
      g_value_set_double (value, self->min_noise_correlation);
      break;
    case PROP_SAMPLE_INTERVAL:
      g_value_set_uint (value, self->sample_interval);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    case PROP_FAIL_ON_MISMATCH:
      g_value_set_boolean (value, self->fail_on_mismatch);
      break;
    case PROP_TRANSCODE_RESULT:
      g_value_set_string (value, self->transcode_result);
      break;
    case PROP_ORCHESTRATOR_ADDRESS:
      g_value_set_string (value, self->orchestrator_address);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static GstIterator *
gst_lp_verify_iterate_internal_links (GstPad * pad, GstObject * parent)
{
  GstPad *other = gst_pad_get_element_private (pad);
  GValue value = G_VALUE_INIT;
  GstIterator *it;

  if (other == NULL)
    return NULL;
  g_value_init (&value, GST_TYPE_PAD);
  g_value_set_object (&value, other);
  it = gst_iterator_new_single (GST_TYPE_PAD, &value);
  g_value_unset (&value);
  return it;
}

/* ---- pads ---- */

/* GstChildProxy: the rendition pads, so `sink_0::profile=...` works in a
 * launch line */
static GObject *
gst_lp_verify_child_proxy_get_child_by_index (GstChildProxy * proxy,
    guint index)
{
  GstLpVerify *self = GST_LP_VERIFY (proxy);
  GObject *obj;

  LOCK (self);
  obj = g_list_nth_data (self->renditions, index);
  if (obj != NULL)
    gst_object_ref (obj);
  UNLOCK (self);
  return obj;
}

static GObject *
gst_lp_verify_child_proxy_get_child_by_name (GstChildProxy * proxy,
    const gchar * name)
{
  GstPad *pad = gst_element_get_static_pad (GST_ELEMENT (proxy), name);

  return pad ? G_OBJECT (pad) : NULL;
}

static guint
gst_lp_verify_child_proxy_get_children_count (GstChildProxy * proxy)
{
  GstLpVerify *self = GST_LP_VERIFY (proxy);
  guint n;

  LOCK (self);
  n = g_list_length (self->renditions);
  UNLOCK (self);
  return n;
}

static void
gst_lp_verify_child_proxy_init (gpointer g_iface, gpointer iface_data)
{
  GstChildProxyInterface *iface = g_iface;

  iface->get_child_by_index = gst_lp_verify_child_proxy_get_child_by_index;
  iface->get_child_by_name = gst_lp_verify_child_proxy_get_child_by_name;
  iface->get_children_count = gst_lp_verify_child_proxy_get_children_count;
}

static GstPad *
gst_lp_verify_request_new_pad (GstElement * element, GstPadTemplate * templ,
    const gchar * name, const GstCaps * caps)
{
  GstLpVerify *self = GST_LP_VERIFY (element);
  GstLpVerifyPad *pad;
  GstPad *srcpad;
  gchar *pad_name, *src_name;
  guint index;

  if (name != NULL && sscanf (name, "sink_%u", &index) == 1) {
    GstPad *existing = gst_element_get_static_pad (element, name);

    if (existing != NULL) {
      gst_object_unref (existing);
      GST_WARNING_OBJECT (self, "pad %s already exists", name);
      return NULL;
    }
    LOCK (self);
    self->next_pad_index = MAX (self->next_pad_index, index + 1);
    UNLOCK (self);
  } else {
    LOCK (self);
    index = self->next_pad_index++;
    UNLOCK (self);
  }

  pad_name = g_strdup_printf ("sink_%u", index);
  src_name = g_strdup_printf ("src_%u", index);
  pad = g_object_new (GST_TYPE_LP_VERIFY_PAD, "name", pad_name,
      "direction", GST_PAD_SINK, "template", templ, NULL);
  srcpad = gst_pad_new_from_static_template (&rendition_src_template,
      src_name);
  g_free (pad_name);
  g_free (src_name);

  pad->srcpad = srcpad;
  gst_pad_set_element_private (GST_PAD (pad), srcpad);
  gst_pad_set_element_private (srcpad, pad);
  gst_pad_set_chain_function (GST_PAD (pad),
      GST_DEBUG_FUNCPTR (gst_lp_verify_rendition_chain));
  gst_pad_set_event_function (GST_PAD (pad),
      GST_DEBUG_FUNCPTR (gst_lp_verify_rendition_event));
  gst_pad_set_iterate_internal_links_function (GST_PAD (pad),
      GST_DEBUG_FUNCPTR (gst_lp_verify_iterate_internal_links));
  gst_pad_set_iterate_internal_links_function (srcpad,
      GST_DEBUG_FUNCPTR (gst_lp_verify_iterate_internal_links));
  GST_PAD_SET_PROXY_CAPS (GST_PAD (pad));
  GST_PAD_SET_PROXY_CAPS (srcpad);
  g_signal_connect (pad, "linked", G_CALLBACK (reference_linked), self);
  g_signal_connect (pad, "unlinked", G_CALLBACK (reference_linked), self);

  LOCK (self);
  self->renditions = g_list_append (self->renditions, gst_object_ref (pad));
  UNLOCK (self);

  if (GST_STATE (element) > GST_STATE_READY ||
      GST_STATE_TARGET (element) > GST_STATE_READY) {
    gst_pad_set_active (srcpad, TRUE);
    gst_pad_set_active (GST_PAD (pad), TRUE);
  }
  gst_element_add_pad (element, srcpad);
  gst_element_add_pad (element, GST_PAD (pad));
  gst_child_proxy_child_added (GST_CHILD_PROXY (self), G_OBJECT (pad),
      GST_OBJECT_NAME (pad));
  return GST_PAD (pad);
}

static void
gst_lp_verify_release_pad (GstElement * element, GstPad * pad)
{
  GstLpVerify *self = GST_LP_VERIFY (element);
  GstLpVerifyPad *vpad = GST_LP_VERIFY_PAD (pad);
  GList *l;

  LOCK (self);
  l = g_list_find (self->renditions, vpad);
  if (l == NULL) {
    UNLOCK (self);
    return;
  }
  self->renditions = g_list_delete_link (self->renditions, l);
  vpad->flushing = TRUE;
  BROADCAST (self);
  UNLOCK (self);

  gst_pad_set_active (vpad->srcpad, FALSE);
  gst_element_remove_pad (element, vpad->srcpad);
  gst_child_proxy_child_removed (GST_CHILD_PROXY (self), G_OBJECT (pad),
      GST_OBJECT_NAME (pad));
  gst_pad_set_active (pad, FALSE);
  gst_element_remove_pad (element, pad);
  gst_object_unref (vpad);
}

/* ---- results ---- */

static gboolean
scores_measured (GArray * a, guint from)
{
  guint i;

  for (i = from; i < a->len; i++)
    if (!isnan (g_array_index (a, gdouble, i)))
      return TRUE;
  return FALSE;
}

static gdouble
scores_mean (GArray * a, guint from)
{
  gdouble sum = 0;
  guint i, n = 0;

  for (i = from; i < a->len; i++) {
    gdouble v = g_array_index (a, gdouble, i);

    if (!isnan (v)) {           /* NAN: not measured on that frame */
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum / n : 0;
}

/* The sum of @num over the sum of @den from index @from (1 when the second
 * is 0): a ratio of energies over frames that differ in energy, which a
 * mean of per-frame ratios would let its weakest frames sway */
static gdouble
scores_ratio (GArray * num, GArray * den, guint from)
{
  gdouble n = 0, d = 0;
  guint i;

  for (i = from; i < num->len && i < den->len; i++) {
    n += g_array_index (num, gdouble, i);
    d += g_array_index (den, gdouble, i);
  }
  return d > 0 ? n / d : 1.0;
}

static gint
compare_doubles (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* minimum and 5th percentile (nearest rank) of a[from..] */
static void
scores_low (GArray * a, guint from, gdouble * min, gdouble * p5)
{
  guint n = a->len > from ? a->len - from : 0;
  gdouble *sorted;

  *min = *p5 = 0;
  if (n == 0)
    return;
  sorted = g_memdup2 (&g_array_index (a, gdouble, from), n * sizeof (gdouble));
  qsort (sorted, n, sizeof (gdouble), compare_doubles);
  *min = sorted[0];
  *p5 = sorted[(guint) floor (0.05 * (n - 1))];
  g_free (sorted);
}

/* 95th percentile (nearest rank) of a[from..], 0 when empty */
static gdouble
scores_p95 (GArray * a, guint from)
{
  guint n = a->len > from ? a->len - from : 0;
  gdouble *sorted, r;

  if (n == 0)
    return 0;
  sorted = g_memdup2 (&g_array_index (a, gdouble, from), n * sizeof (gdouble));
  qsort (sorted, n, sizeof (gdouble), compare_doubles);
  r = sorted[(guint) ceil (0.95 * (n - 1))];
  g_free (sorted);
  return r;
}

/* Expected width, height and frame rate of a profile for the reference.
 * Returns FALSE when @spec is neither a preset nor WIDTHxHEIGHT[@FPS]. */
static gboolean
parse_profile (const gchar * spec, const GstVideoInfo * ref, guint * width,
    guint * height, gint * fps_n, gint * fps_d)
{
  const LpProfile *preset = lp_profile_get_preset (spec);
  guint w = 0, h = 0, fps = 0;
  gchar tail = 0;
  gint n;

  *fps_n = GST_VIDEO_INFO_FPS_N (ref);
  *fps_d = GST_VIDEO_INFO_FPS_D (ref);
  if (preset != NULL) {
    lp_profile_fit (preset, MAX (GST_VIDEO_INFO_WIDTH (ref), 1),
        MAX (GST_VIDEO_INFO_HEIGHT (ref), 1), GST_VIDEO_INFO_PAR_N (ref),
        GST_VIDEO_INFO_PAR_D (ref), width, height);
    if (preset->fps_num > 0) {
      *fps_n = preset->fps_num;
      *fps_d = preset->fps_den;
    }
    return TRUE;
  }
  n = sscanf (spec, "%ux%u@%u%c", &w, &h, &fps, &tail);
  if (n < 2 || n > 3 || w == 0 || h == 0 || w > LP_PROFILE_MAX_DIMENSION ||
      h > LP_PROFILE_MAX_DIMENSION || (n == 3 && (fps == 0 ||
              fps > LP_PROFILE_MAX_FPS)))
    return FALSE;
  if (n == 2 && strchr (spec, '@') != NULL)
    return FALSE;
  if (n == 2) {
    gchar *canon = g_strdup_printf ("%ux%u", w, h);
    gboolean ok = g_str_equal (canon, spec);

    g_free (canon);
    if (!ok)
      return FALSE;
  }
  *width = w;
  *height = h;
  if (n == 3) {
    *fps_n = fps;
    *fps_d = 1;
  }
  return TRUE;
}

/* The signature check of a transcode-result, made for each result */
typedef struct
{
  gboolean active;              /* a transcode-result is set */
  gboolean valid;
  gchar *detail;                /* why it is not valid */
  gchar *problem;               /* a settings problem, posted as an error */
} SignatureCheck;

/* The N of a `sink_N` pad, G_MAXUINT for another name */
static guint
pad_index (GstLpVerifyPad * pad)
{
  guint index;
  gchar tail;

  if (sscanf (GST_OBJECT_NAME (pad), "sink_%u%c", &index, &tail) != 1)
    return G_MAXUINT;
  return index;
}

/* Called with LOCK: checks the transcode-result signature over the
 * renditions' encoded bytes, segment N being sink_N's */
static void
check_signature (GstLpVerify * self, SignatureCheck * sc)
{
  const LpTranscodeResult *result = self->result;
  guint n = result->segments ? result->segments->len : 0, i;
  GBytes **renditions = g_new0 (GBytes *, MAX (n, 1));
  GError *error = NULL;
  GList *l;

  memset (sc, 0, sizeof (*sc));
  sc->active = TRUE;
  for (l = self->renditions; l; l = l->next) {
    GstLpVerifyPad *pad = l->data;
    guint index = pad_index (pad);

    if (index >= n) {
      if (sc->problem == NULL)
        sc->problem = g_strdup_printf ("Rendition %s has no segment in the "
            "transcode-result, which has %u.", GST_OBJECT_NAME (pad), n);
      continue;
    }
    GST_OBJECT_LOCK (pad);
    if (pad->encoded != NULL)
      renditions[index] = g_bytes_ref (pad->encoded);
    GST_OBJECT_UNLOCK (pad);
    if (renditions[index] == NULL && sc->problem == NULL)
      sc->problem = g_strdup_printf ("Rendition %s has no `encoded` bytes: "
          "the transcode-result signature covers every rendition.",
          GST_OBJECT_NAME (pad));
  }
  for (i = 0; i < n && sc->problem == NULL; i++) {
    if (renditions[i] == NULL)
      sc->problem = g_strdup_printf ("The transcode-result has %u segments, "
          "but there is no rendition pad sink_%u with its `encoded` bytes.",
          n, i);
  }

  if (sc->problem != NULL) {
    sc->detail = g_strdup_printf ("its transcode-result signature cannot be "
        "checked: %s", sc->problem);
  } else if (lp_transcode_result_verify (result, &self->signer, renditions,
          n, &error)) {
    sc->valid = TRUE;
  } else {
    gchar *address = lp_address_to_string (&self->signer);

    sc->detail = g_strdup_printf ("the transcode-result signature does not "
        "verify against orchestrator-address %s (%s)", address,
        error->message);
    g_free (address);
    g_clear_error (&error);
  }
  for (i = 0; i < n; i++)
    if (renditions[i] != NULL)
      g_bytes_unref (renditions[i]);
  g_free (renditions);
}

/* Called with LOCK. Builds the entry of @pad for the frames since @since
 * (whole stream when final) and decides its verdict; a failure is added
 * to @failures. */
static gchar *
frames_detail (const Counters * c, guint max_mismatch, gboolean noise_like)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT " frames mismatch (%"
      G_GUINT64_FORMAT " unmatched, %" G_GUINT64_FORMAT " duplicated, %"
      G_GUINT64_FORMAT " dropped, %" G_GUINT64_FORMAT " frozen), "
      "max-frame-mismatch is %u%s", c->unmatched + c->duplicated +
      c->dropped + c->frozen, c->unmatched, c->duplicated, c->dropped,
      c->frozen, max_mismatch,
      noise_like ? " (20 % of the frames for a noise-like reference)" : "");
}

static GstStructure *
rendition_result (GstLpVerify * self, GstLpVerifyPad * pad,
    const Counters * since, gboolean final, const SignatureCheck * sig,
    GList ** failures)
{
  guint64 reported = 0;
  gboolean has_segment = FALSE;
  Counters c = pad->count;
  gdouble min_psnr, min_ssim, psnr_min, psnr_p5, ssim_min, ssim_p5;
  gdouble spsnr_min, spsnr_p5, sssim_min, sssim_p5;
  gdouble max_block_error, min_sharpness, min_noise_corr;
  gdouble block_error, sharpness, autocorr, coarse_corr, detail_corr;
  gdouble noise_share, structure_sharpness, judged_sharpness;
  gboolean checked, noise_like;
  guint64 allowed;
  guint max_mismatch;
  guint64 mismatched, head = 0, tail = 0;
  guint width = 0, height = 0;
  gint fps_n = 0, fps_d = 1;
  const gchar *reason = "";
  gchar *detail = NULL, *profile, *name;
  GstStructure *s;

  GST_OBJECT_LOCK (self);
  min_psnr = self->min_psnr;
  min_ssim = self->min_ssim;
  max_mismatch = self->max_frame_mismatch;
  max_block_error = self->max_block_error;
  min_sharpness = self->min_sharpness;
  min_noise_corr = self->min_noise_correlation;
  GST_OBJECT_UNLOCK (self);
  GST_OBJECT_LOCK (pad);
  profile = g_strdup (pad->profile);
  GST_OBJECT_UNLOCK (pad);

  if (pad->have_info) {
    width = GST_VIDEO_INFO_WIDTH (&pad->info);
    height = GST_VIDEO_INFO_HEIGHT (&pad->info);
    fps_n = GST_VIDEO_INFO_FPS_N (&pad->info);
    fps_d = GST_VIDEO_INFO_FPS_D (&pad->info);
  }

  /* reference frames missing before the first and after the last match */
  if (final && pad->first_ref_index >= 0) {
    gdouble step = 1.0;

    if (fps_n > 0 && GST_VIDEO_INFO_FPS_N (&self->ref_info) > 0)
      step = MAX (1.0, ((gdouble) GST_VIDEO_INFO_FPS_N (&self->ref_info) *
              fps_d) / ((gdouble) GST_VIDEO_INFO_FPS_D (&self->ref_info) *
              fps_n));
    head = (guint64) floor (pad->first_ref_index / step + 1e-9);
    if (self->ref_frames > (guint64) pad->last_ref_index + 1)
      tail = (guint64) floor ((self->ref_frames - 1 - pad->last_ref_index)
          / step + 1e-9);
  }

  if (!final) {
    c.frames -= since->frames;
    c.pixels -= since->pixels;
    c.unmatched -= since->unmatched;
    c.duplicated -= since->duplicated;
    c.dropped -= since->dropped;
    c.frozen -= since->frozen;
  }
  c.dropped += head + tail;
  mismatched = c.unmatched + c.duplicated + c.dropped + c.frozen;
  scores_low (pad->psnr_y, since->checked, &psnr_min, &psnr_p5);
  scores_low (pad->ssim_y, since->checked, &ssim_min, &ssim_p5);
  scores_low (pad->structure_psnr, since->checked, &spsnr_min, &spsnr_p5);
  scores_low (pad->structure_ssim, since->checked, &sssim_min, &sssim_p5);
  block_error = scores_p95 (pad->block_error, since->checked);
  sharpness = scores_mean (pad->sharpness, since->checked);
  noise_share = scores_mean (pad->noise_share, since->checked);
  structure_sharpness = scores_ratio (pad->half_energy, pad->half_structure,
      since->checked);
  judged_sharpness = sharpness;
  if (noise_share > NOISE_DOMINANT)
    judged_sharpness = MAX (sharpness, structure_sharpness);
  autocorr = scores_mean (pad->ref_autocorr, since->checked);
  coarse_corr = scores_mean (pad->coarse_corr, since->checked);
  detail_corr = scores_mean (pad->detail_corr, since->checked);
  checked = pad->psnr_y->len > since->checked;
  noise_like = checked && autocorr < NOISE_AUTOCORR;
  allowed = max_mismatch;
  if (noise_like)
    allowed = MAX (allowed, (guint64) floor (NOISE_MISMATCH_FRACTION *
            c.frames));
  name = gst_pad_get_name (pad);

  if (sig->active) {
    guint index = pad_index (pad);

    if (self->result->segments != NULL &&
        index < self->result->segments->len) {
      has_segment = TRUE;
      reported = g_array_index (self->result->segments, LpTranscodedSegment,
          index).pixels;
    }
  }

  if (sig->active && !sig->valid) {
    reason = "signature";
    detail = g_strdup (sig->detail);
  } else if (final && c.frames == 0) {
    reason = "no-frames";
    detail = g_strdup ("it has no frame");
  } else if (final && has_segment && reported != c.pixels) {
    reason = "pixels";
    detail = g_strdup_printf ("the orchestrator reported %" G_GUINT64_FORMAT
        " pixels, it decodes to %" G_GUINT64_FORMAT, reported, c.pixels);
  } else if (profile != NULL && pad->have_info) {
    guint ew = 0, eh = 0;
    gint efn = 0, efd = 1;

    if (!parse_profile (profile, &self->ref_info, &ew, &eh, &efn, &efd)) {
      reason = "profile";
      detail = g_strdup_printf ("its profile \"%s\" is neither a Livepeer "
          "preset nor WIDTHxHEIGHT[@FPS]", profile);
    } else if (ew != width || eh != height) {
      reason = "resolution";
      detail = g_strdup_printf ("it is %ux%u, its profile %s wants %ux%u",
          width, height, profile, ew, eh);
    } else if (efn > 0 && fps_n > 0 &&
        gst_util_fraction_compare (efn, efd, fps_n, fps_d) != 0) {
      reason = "frame-rate";
      detail = g_strdup_printf ("it runs at %d/%d fps, its profile %s wants "
          "%d/%d", fps_n, fps_d, profile, efn, efd);
    }
  }
  /* frames out of time with the reference fail first; frozen ones after
   * PSNR and SSIM, which name a replaced picture better */
  if (detail == NULL && mismatched - c.frozen > allowed) {
    reason = "frames";
    detail = frames_detail (&c, max_mismatch, noise_like);
  }
  if (detail == NULL && noise_like && MIN (coarse_corr, detail_corr) <
      min_noise_corr) {
    reason = "noise-correlation";
    detail = g_strdup_printf ("its reference is noise-like and its mean "
        "%s correlation is %.3f, min-noise-correlation is %.3f",
        coarse_corr < detail_corr ? "coarse" : "detail",
        MIN (coarse_corr, detail_corr), min_noise_corr);
  }
  if (detail == NULL && checked && !noise_like && spsnr_p5 < min_psnr) {
    reason = "psnr";
    detail = g_strdup_printf ("its 5th-percentile structure PSNR-Y is %.2f "
        "dB, min-psnr is %.2f dB", spsnr_p5, min_psnr);
  }
  if (detail == NULL && checked && !noise_like && sssim_p5 < min_ssim) {
    reason = "ssim";
    detail = g_strdup_printf ("its 5th-percentile structure SSIM-Y is %.4f, "
        "min-ssim is %.4f", sssim_p5, min_ssim);
  }
  if (detail == NULL && mismatched > allowed) {
    reason = "frames";
    detail = frames_detail (&c, max_mismatch, noise_like);
  }
  if (detail == NULL && checked && block_error > max_block_error *
      (noise_like ? NOISE_BLOCK_ERROR_FACTOR : 1.0)) {
    reason = "block-error";
    detail = g_strdup_printf ("its 95th-percentile block error is %.2f, "
        "max-block-error is %.2f%s", block_error, max_block_error,
        noise_like ? " (twice that for a noise-like reference)" : "");
  }
  if (detail == NULL && checked && !noise_like &&
      judged_sharpness < min_sharpness) {
    reason = "sharpness";
    if (noise_share > NOISE_DOMINANT)
      detail = g_strdup_printf ("its mean sharpness is %.3f and %.3f on the "
          "structure planes (its reference's noise gives %.0f %% of its "
          "gradient energy), min-sharpness is %.3f", sharpness,
          structure_sharpness, 100 * noise_share, min_sharpness);
    else
      detail = g_strdup_printf ("its mean sharpness is %.3f, min-sharpness "
          "is %.3f", sharpness, min_sharpness);
  }

  s = gst_structure_new ("rendition",
      "pad", G_TYPE_STRING, name,
      "frames", G_TYPE_UINT64, c.frames,
      "width", G_TYPE_UINT, width,
      "height", G_TYPE_UINT, height,
      "framerate", GST_TYPE_FRACTION, fps_n, fps_d,
      "pixels", G_TYPE_UINT64, c.pixels,
      "checked", G_TYPE_UINT64, (guint64) (pad->psnr_y->len - since->checked),
      "psnr-y-mean", G_TYPE_DOUBLE, scores_mean (pad->psnr_y, since->checked),
      "psnr-y-min", G_TYPE_DOUBLE, psnr_min,
      "psnr-y-p5", G_TYPE_DOUBLE, psnr_p5,
      "psnr-yuv-mean", G_TYPE_DOUBLE,
      scores_mean (pad->psnr_yuv, since->checked),
      "ssim-y-mean", G_TYPE_DOUBLE, scores_mean (pad->ssim_y, since->checked),
      "ssim-y-min", G_TYPE_DOUBLE, ssim_min,
      "ssim-y-p5", G_TYPE_DOUBLE, ssim_p5,
      "structure-psnr-y-mean", G_TYPE_DOUBLE,
      scores_mean (pad->structure_psnr, since->checked),
      "structure-psnr-y-p5", G_TYPE_DOUBLE, spsnr_p5,
      "structure-ssim-y-mean", G_TYPE_DOUBLE,
      scores_mean (pad->structure_ssim, since->checked),
      "structure-ssim-y-p5", G_TYPE_DOUBLE, sssim_p5,
      "noise-mean", G_TYPE_DOUBLE, scores_mean (pad->noise, since->checked),
      "block-error-p95", G_TYPE_DOUBLE, block_error,
      "sharpness-mean", G_TYPE_DOUBLE, sharpness,
      "structure-sharpness", G_TYPE_DOUBLE, structure_sharpness,
      "noise-share-mean", G_TYPE_DOUBLE, noise_share,
      "reference-autocorr-mean", G_TYPE_DOUBLE, autocorr,
      "noise-like", G_TYPE_BOOLEAN, noise_like,
      "unmatched", G_TYPE_UINT64, c.unmatched,
      "duplicated", G_TYPE_UINT64, c.duplicated,
      "dropped", G_TYPE_UINT64, c.dropped,
      "frozen", G_TYPE_UINT64, c.frozen,
      "mismatched", G_TYPE_UINT64, mismatched,
      "verdict", G_TYPE_STRING, detail ? "fail" : "pass",
      "reason", G_TYPE_STRING, reason, NULL);
  if (scores_measured (pad->detail_corr, since->checked))
    gst_structure_set (s, "coarse-corr-mean", G_TYPE_DOUBLE, coarse_corr,
        "detail-corr-mean", G_TYPE_DOUBLE, detail_corr, NULL);
  if (sig->active)
    gst_structure_set (s, "reported-pixels", G_TYPE_UINT64, reported,
        "signature-valid", G_TYPE_BOOLEAN, sig->valid, NULL);

  if (detail != NULL) {
    Failure *f = g_new0 (Failure, 1);

    f->pad = name;
    f->detail = detail;
    *failures = g_list_append (*failures, f);
  } else {
    g_free (name);
  }
  g_free (profile);
  return s;
}

/* Called with LOCK: the lpverify-result message, windows restarted */
static GstMessage *
build_result (GstLpVerify * self, gboolean final, GList ** failures)
{
  GValue renditions = G_VALUE_INIT;
  SignatureCheck sig = { 0, };
  gboolean pass = TRUE;
  GstStructure *s;
  GList *l;

  if (self->result != NULL) {
    check_signature (self, &sig);
    if (sig.problem != NULL && !self->signature_error_posted) {
      Failure *f = g_new0 (Failure, 1);

      self->signature_error_posted = TRUE;
      f->detail = g_strdup (sig.problem);
      *failures = g_list_append (*failures, f);
    }
  }

  g_value_init (&renditions, GST_TYPE_ARRAY);
  for (l = self->renditions; l; l = l->next) {
    GstLpVerifyPad *pad = l->data;
    static const Counters zero = { 0, };
    GValue v = G_VALUE_INIT;
    GstStructure *r;
    const gchar *verdict;

    r = rendition_result (self, pad, final ? &zero : &pad->window, final,
        &sig, failures);
    verdict = gst_structure_get_string (r, "verdict");
    pass = pass && g_str_equal (verdict, "pass");
    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, r);
    gst_value_array_append_and_take_value (&renditions, &v);
    pad->window = pad->count;
    pad->window.checked = pad->psnr_y->len;
  }

  s = gst_structure_new ("lpverify-result",
      "final", G_TYPE_BOOLEAN, final,
      "reference-frames", G_TYPE_UINT64, self->ref_frames,
      "verdict", G_TYPE_STRING, pass ? "pass" : "fail", NULL);
  gst_structure_take_value (s, "renditions", &renditions);
  g_free (sig.detail);
  g_free (sig.problem);
  return gst_message_new_element (GST_OBJECT (self), s);
}

/* Posts @msg and a warning (or error) per failure; without the lock */
static void
post_result (GstLpVerify * self, GstMessage * msg, GList * failures)
{
  gboolean as_error;
  GList *l;

  GST_OBJECT_LOCK (self);
  as_error = self->fail_on_mismatch;
  GST_OBJECT_UNLOCK (self);

  GST_INFO_OBJECT (self, "result: %" GST_PTR_FORMAT,
      gst_message_get_structure (msg));
  gst_element_post_message (GST_ELEMENT (self), msg);
  for (l = failures; l; l = l->next) {
    Failure *f = l->data;

    if (f->pad == NULL)
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s", f->detail),
          ("property encoded of the rendition pads"));
    else if (as_error)
      GST_ELEMENT_ERROR (self, STREAM, FAILED,
          ("Rendition %s failed verification: %s.", f->pad, f->detail),
          ("fail-on-mismatch is set"));
    else
      GST_ELEMENT_WARNING (self, STREAM, FAILED,
          ("Rendition %s failed verification: %s.", f->pad, f->detail),
          (NULL));
    g_free (f->pad);
    g_free (f->detail);
    g_free (f);
  }
  g_list_free (failures);
}

/* Called with LOCK: whether every rendition that takes part has ended */
static gboolean
renditions_done (GstLpVerify * self)
{
  GList *l;

  for (l = self->renditions; l; l = l->next) {
    GstLpVerifyPad *pad = l->data;

    if (pad->eos || pad->flushing)
      continue;
    if (!pad->got_data && !gst_pad_is_linked (GST_PAD (pad)))
      continue;
    return FALSE;
  }
  return TRUE;
}

/* Called with LOCK, which it releases: posts the final result when the
 * reference and every rendition have ended, then src's pending EOS. */
static void
finish_unlock (GstLpVerify * self)
{
  GList *failures = NULL;
  GstMessage *msg;
  gboolean push_eos;

  if (!self->ref_eos || self->final_posted || !renditions_done (self)) {
    UNLOCK (self);
    return;
  }
  self->final_posted = TRUE;
  msg = build_result (self, TRUE, &failures);
  push_eos = self->src_eos_pending;
  self->src_eos_pending = FALSE;
  UNLOCK (self);

  post_result (self, msg, failures);
  if (push_eos)
    gst_pad_push_event (self->srcpad, gst_event_new_eos ());
}

/* ---- the reference ---- */

/* Called with LOCK: drops the frames no rendition can match any more;
 * returns whether the reference must wait before adding one */
static gboolean
window_trim (GstLpVerify * self)
{
  GstClockTime need = GST_CLOCK_TIME_NONE;
  gboolean any_needs = FALSE;
  RefFrame *head, *tail;
  GList *l;

  for (l = self->renditions; l; l = l->next) {
    GstLpVerifyPad *pad = l->data;
    GstClockTime t;

    if (pad->eos || pad->flushing)
      continue;
    if (!pad->got_data && !gst_pad_is_linked (GST_PAD (pad)))
      continue;
    t = GST_CLOCK_TIME_IS_VALID (pad->last_rt) ? pad->last_rt : 0;
    need = GST_CLOCK_TIME_IS_VALID (need) ? MIN (need, t) : t;
    any_needs = TRUE;
  }

  /* the nearest frame to any later time is at least the second one while
   * the second one is not after the time needed */
  while (self->window.length > 1) {
    RefFrame *second = g_queue_peek_nth (&self->window, 1);

    if (any_needs && second->rt > need)
      break;
    if (!any_needs && self->window.length < WINDOW_MAX_FRAMES)
      break;
    ref_frame_free (g_queue_pop_head (&self->window));
  }

  head = g_queue_peek_head (&self->window);
  tail = g_queue_peek_tail (&self->window);
  if (head == NULL)
    return FALSE;
  if (self->window.length >= WINDOW_MAX_FRAMES ||
      tail->rt - head->rt >= WINDOW_MAX_TIME) {
    if (any_needs)
      return TRUE;
    ref_frame_free (g_queue_pop_head (&self->window));
  }
  return FALSE;
}

static GstClockTime
running_time (const GstSegment * segment, GstBuffer * buffer)
{
  GstClockTime ts = GST_BUFFER_PTS (buffer);

  if (!GST_CLOCK_TIME_IS_VALID (ts))
    ts = GST_BUFFER_DTS (buffer);
  if (!GST_CLOCK_TIME_IS_VALID (ts))
    return GST_CLOCK_TIME_NONE;
  return gst_segment_to_running_time (segment, GST_FORMAT_TIME, ts);
}

static GstFlowReturn
gst_lp_verify_reference_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buffer)
{
  GstLpVerify *self = GST_LP_VERIFY (parent);
  GstMessage *msg = NULL;
  GList *failures = NULL;
  GstClockTime rt = running_time (&self->ref_segment, buffer);
  GstFlowReturn ret;
  RefFrame *f;
  guint interval;

  LOCK (self);
  if (!self->have_ref_info) {
    UNLOCK (self);
    gst_buffer_unref (buffer);
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("The reference sent a frame before its caps."), (NULL));
    return GST_FLOW_NOT_NEGOTIATED;
  }
  if (!GST_CLOCK_TIME_IS_VALID (rt)) {
    /* outside the segment or without a timestamp: nothing can match it */
    UNLOCK (self);
    GST_LOG_OBJECT (self, "reference frame without running time");
    goto push;
  }
  while (!self->flushing && !self->ref_flushing && window_trim (self))
    WAIT (self);
  if (self->flushing || self->ref_flushing) {
    UNLOCK (self);
    gst_buffer_unref (buffer);
    return GST_FLOW_FLUSHING;
  }

  f = g_new0 (RefFrame, 1);
  f->buffer = gst_buffer_ref (buffer);
  f->info = self->ref_info;
  f->rt = rt;
  f->index = self->ref_frames++;
  g_queue_push_tail (&self->window, f);
  if (!GST_CLOCK_TIME_IS_VALID (self->ref_latest_rt) ||
      rt > self->ref_latest_rt)
    self->ref_latest_rt = rt;
  BROADCAST (self);

  GST_OBJECT_LOCK (self);
  interval = self->interval;
  GST_OBJECT_UNLOCK (self);
  if (interval > 0 && self->ref_frames % interval == 0)
    msg = build_result (self, FALSE, &failures);
  UNLOCK (self);

  if (msg != NULL)
    post_result (self, msg, failures);

push:
  ret = gst_pad_push (self->srcpad, buffer);
  if (ret == GST_FLOW_NOT_LINKED)
    ret = GST_FLOW_OK;
  return ret;
}

static gboolean
gst_lp_verify_reference_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstLpVerify *self = GST_LP_VERIFY (parent);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:{
      GstCaps *caps;
      GstVideoInfo info;

      gst_event_parse_caps (event, &caps);
      if (!gst_video_info_from_caps (&info, caps)) {
        GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
            ("The reference is not raw video lpverify can read."),
            ("caps %" GST_PTR_FORMAT, caps));
        gst_event_unref (event);
        return FALSE;
      }
      LOCK (self);
      self->ref_info = info;
      self->have_ref_info = TRUE;
      UNLOCK (self);
      break;
    }
    case GST_EVENT_SEGMENT:
      gst_event_copy_segment (event, &self->ref_segment);
      if (self->ref_segment.format != GST_FORMAT_TIME) {
        GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
            ("The reference has no time segment."),
            ("segment %" GST_SEGMENT_FORMAT, &self->ref_segment));
        gst_event_unref (event);
        return FALSE;
      }
      break;
    case GST_EVENT_FLUSH_START:
      LOCK (self);
      self->ref_flushing = TRUE;
      BROADCAST (self);
      UNLOCK (self);
      break;
    case GST_EVENT_FLUSH_STOP:
      LOCK (self);
      self->ref_flushing = FALSE;
      self->ref_eos = FALSE;
      self->final_posted = FALSE;
      self->src_eos_pending = FALSE;
      self->ref_latest_rt = GST_CLOCK_TIME_NONE;
      g_queue_clear_full (&self->window, (GDestroyNotify) ref_frame_free);
      BROADCAST (self);
      UNLOCK (self);
      gst_segment_init (&self->ref_segment, GST_FORMAT_TIME);
      break;
    case GST_EVENT_EOS:{
      guint64 frames;

      LOCK (self);
      self->ref_eos = TRUE;
      frames = self->ref_frames;
      BROADCAST (self);
      if (frames > 0 && !self->final_posted && !renditions_done (self)) {
        /* the last rendition to end posts the result, then this EOS */
        self->src_eos_pending = TRUE;
        UNLOCK (self);
        gst_event_unref (event);
        return TRUE;
      }
      if (frames == 0) {
        self->final_posted = TRUE;
        UNLOCK (self);
        GST_ELEMENT_ERROR (self, STREAM, FAILED,
            ("The reference ended before its first frame: there is nothing "
                "to verify the renditions against."), (NULL));
      } else {
        finish_unlock (self);
      }
      break;
    }
    default:
      break;
  }
  return gst_pad_push_event (self->srcpad, event);
}

/* ---- the renditions ---- */

/* Y, U and V planes of an I420 picture of w x h in one block */
static void
i420_planes (guint8 * data, gint w, gint h, guint8 * planes[3],
    gint strides[3])
{
  gint cw = (w + 1) / 2, ch = (h + 1) / 2;

  planes[0] = data;
  planes[1] = data + (gsize) w * h;
  planes[2] = planes[1] + (gsize) cw * ch;
  strides[0] = w;
  strides[1] = strides[2] = cw;
}

static enum AVPixelFormat
av_format (GstVideoFormat format)
{
  switch (format) {
    case GST_VIDEO_FORMAT_I420:
      return AV_PIX_FMT_YUV420P;
    case GST_VIDEO_FORMAT_NV12:
      return AV_PIX_FMT_NV12;
    case GST_VIDEO_FORMAT_NV21:
      return AV_PIX_FMT_NV21;
    case GST_VIDEO_FORMAT_Y42B:
      return AV_PIX_FMT_YUV422P;
    case GST_VIDEO_FORMAT_Y444:
      return AV_PIX_FMT_YUV444P;
    case GST_VIDEO_FORMAT_YUY2:
      return AV_PIX_FMT_YUYV422;
    case GST_VIDEO_FORMAT_UYVY:
      return AV_PIX_FMT_UYVY422;
    case GST_VIDEO_FORMAT_RGB:
      return AV_PIX_FMT_RGB24;
    case GST_VIDEO_FORMAT_BGR:
      return AV_PIX_FMT_BGR24;
    case GST_VIDEO_FORMAT_RGBA:
      return AV_PIX_FMT_RGBA;
    case GST_VIDEO_FORMAT_BGRA:
      return AV_PIX_FMT_BGRA;
    case GST_VIDEO_FORMAT_ARGB:
      return AV_PIX_FMT_ARGB;
    case GST_VIDEO_FORMAT_ABGR:
      return AV_PIX_FMT_ABGR;
    case GST_VIDEO_FORMAT_RGBx:
      return AV_PIX_FMT_RGB0;
    case GST_VIDEO_FORMAT_BGRx:
      return AV_PIX_FMT_BGR0;
    case GST_VIDEO_FORMAT_xRGB:
      return AV_PIX_FMT_0RGB;
    case GST_VIDEO_FORMAT_xBGR:
      return AV_PIX_FMT_0BGR;
    case GST_VIDEO_FORMAT_GRAY8:
      return AV_PIX_FMT_GRAY8;
    default:
      return AV_PIX_FMT_NONE;
  }
}

/* Converts a mapped frame into I420 of w x h with a cached context */
static gboolean
to_i420 (struct SwsContext **ctx, GstVideoFrame * frame, gint w, gint h,
    guint8 * out)
{
  const guint8 *src[GST_VIDEO_MAX_PLANES] = { NULL, };
  gint src_stride[GST_VIDEO_MAX_PLANES] = { 0, };
  guint8 *dst[3];
  gint dst_stride[3];
  guint i;

  *ctx = sws_getCachedContext (*ctx, GST_VIDEO_FRAME_WIDTH (frame),
      GST_VIDEO_FRAME_HEIGHT (frame),
      av_format (GST_VIDEO_FRAME_FORMAT (frame)), w, h, AV_PIX_FMT_YUV420P,
      SWS_BICUBIC, NULL, NULL, NULL);
  if (*ctx == NULL)
    return FALSE;
  for (i = 0; i < GST_VIDEO_FRAME_N_PLANES (frame); i++) {
    src[i] = GST_VIDEO_FRAME_PLANE_DATA (frame, i);
    src_stride[i] = GST_VIDEO_FRAME_PLANE_STRIDE (frame, i);
  }
  i420_planes (out, w, h, dst, dst_stride);
  sws_scale (*ctx, src, src_stride, 0, GST_VIDEO_FRAME_HEIGHT (frame), dst,
      dst_stride);
  return TRUE;
}

static gdouble
plane_sse (const guint8 * a, const guint8 * b, gsize n)
{
  guint64 sum = 0;
  gsize i;

  for (i = 0; i < n; i++) {
    gint d = (gint) a[i] - (gint) b[i];
    sum += (guint64) (d * d);
  }
  return (gdouble) sum;
}

static gdouble
psnr_of_mse (gdouble mse)
{
  if (mse <= 0)
    return PSNR_CAP;
  return MIN (PSNR_CAP, 10.0 * log10 (255.0 * 255.0 / mse));
}

typedef struct
{
  guint64 s[5];                 /* sum a, sum b, sum a², sum b², sum ab */
} BlockSums;

/* SSIM of two w x h planes: 8x8 windows every 4 pixels, built from the sums
 * of 4x4 blocks. @noise_var (levels²) is added to C2: contrast and
 * structure differences within the reference's own noise count as little
 * as those within C2 (0 gives the standard SSIM) */
static gdouble
plane_ssim (const guint8 * a, const guint8 * b, gint w, gint h,
    gdouble noise_var)
{
  const gdouble c1 = (0.01 * 255) * (0.01 * 255) * 64 * 64;
  const gdouble c2 = ((0.03 * 255) * (0.03 * 255) + noise_var) * 64 * 63;
  gint bw = w / 4, bh = h / 4, x, y, i, j;
  BlockSums *sums;
  gdouble total = 0;
  guint n = 0;

  if (bw < 2 || bh < 2) {
    /* too small for a window: PSNR says it all */
    return plane_sse (a, b, (gsize) w * h) == 0 ? 1.0 : 0.0;
  }

  sums = g_new0 (BlockSums, (gsize) bw * bh);
  for (y = 0; y < bh; y++) {
    for (x = 0; x < bw; x++) {
      guint64 *s = sums[y * bw + x].s;

      for (j = 0; j < 4; j++) {
        const guint8 *pa = a + (gsize) (y * 4 + j) * w + x * 4;
        const guint8 *pb = b + (gsize) (y * 4 + j) * w + x * 4;

        for (i = 0; i < 4; i++) {
          s[0] += pa[i];
          s[1] += pb[i];
          s[2] += pa[i] * pa[i];
          s[3] += pb[i] * pb[i];
          s[4] += pa[i] * pb[i];
        }
      }
    }
  }

  for (y = 0; y < bh - 1; y++) {
    for (x = 0; x < bw - 1; x++) {
      guint64 s[5] = { 0, };
      gdouble sa, sb, saa, sbb, sab, num, den;

      for (i = 0; i < 5; i++)
        s[i] = sums[y * bw + x].s[i] + sums[y * bw + x + 1].s[i] +
            sums[(y + 1) * bw + x].s[i] + sums[(y + 1) * bw + x + 1].s[i];
      /* as FFmpeg's ssim: sums over 64 pixels, constants scaled to match */
      sa = s[0];
      sb = s[1];
      saa = s[2];
      sbb = s[3];
      sab = s[4];
      {
        gdouble fs1 = sa, fs2 = sb, fss = saa + sbb, fs12 = sab;
        gdouble vars = fss * 64 - fs1 * fs1 - fs2 * fs2;
        gdouble covar = fs12 * 64 - fs1 * fs2;

        num = (2 * fs1 * fs2 + c1) * (2 * covar + c2);
        den = (fs1 * fs1 + fs2 * fs2 + c1) * (vars + c2);
      }
      total += num / den;
      n++;
    }
  }
  g_free (sums);
  return total / n;
}

/* Pearson correlation from sums over @n pairs; 1 when both are flat, 0
 * when one is */
static gdouble
correlation (gdouble n, gdouble sa, gdouble sb, gdouble saa, gdouble sbb,
    gdouble sab)
{
  gdouble va, vb;

  if (n <= 0)
    return 1.0;
  va = saa / n - (sa / n) * (sa / n);
  vb = sbb / n - (sb / n) * (sb / n);
  if (va < 1e-6 && vb < 1e-6)
    return 1.0;
  if (va < 1e-6 || vb < 1e-6)
    return 0.0;
  return (sab / n - (sa / n) * (sb / n)) / sqrt (va * vb);
}

/* Means of the B x B blocks of a w x h plane into @out (w / B x h / B) */
static void
block_means (const guint8 * a, gint w, gint h, gint B, gdouble * out)
{
  gint bw = w / B, bh = h / B, x, y, i, j;

  for (y = 0; y < bh; y++)
    for (x = 0; x < bw; x++) {
      guint sum = 0;

      for (j = 0; j < B; j++) {
        const guint8 *p = a + (gsize) (y * B + j) * w + x * B;

        for (i = 0; i < B; i++)
          sum += p[i];
      }
      out[y * bw + x] = (gdouble) sum / (B * B);
    }
}

/* Largest difference of the B x B block means of two planes */
static gdouble
plane_block_error (const guint8 * a, const guint8 * b, gint w, gint h,
    gint B)
{
  gint n = (w / B) * (h / B), i;
  gdouble *ma, *mb, m = 0;

  if (n == 0)
    return 0;
  ma = g_new (gdouble, n);
  mb = g_new (gdouble, n);
  block_means (a, w, h, B, ma);
  block_means (b, w, h, B, mb);
  for (i = 0; i < n; i++)
    m = MAX (m, fabs (ma[i] - mb[i]));
  g_free (ma);
  g_free (mb);
  return m;
}

/* Correlation of the B x B block means of two planes */
static gdouble
coarse_correlation (const guint8 * a, const guint8 * b, gint w, gint h,
    gint B)
{
  gint n = (w / B) * (h / B), i;
  gdouble *ma, *mb, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;

  if (n == 0)
    return 1.0;
  ma = g_new (gdouble, n);
  mb = g_new (gdouble, n);
  block_means (a, w, h, B, ma);
  block_means (b, w, h, B, mb);
  for (i = 0; i < n; i++) {
    sa += ma[i];
    sb += mb[i];
    saa += ma[i] * ma[i];
    sbb += mb[i] * mb[i];
    sab += ma[i] * mb[i];
  }
  g_free (ma);
  g_free (mb);
  return correlation (n, sa, sb, saa, sbb, sab);
}

/* Mean gradient energy (dx² + dy² of neighbouring pixels) of a plane */
static gdouble
gradient_energy (const guint8 * a, gint w, gint h)
{
  guint64 sum = 0;
  gint x, y;

  if (w < 2 || h < 2)
    return 0;
  /* every row: a picture scaled up 4 times has a row structure that a
   * sample of rows would alias */
  for (y = 0; y < h - 1; y++) {
    const guint8 *p = a + (gsize) y * w;

    for (x = 0; x < w - 1; x++) {
      gint dx = (gint) p[x + 1] - p[x], dy = (gint) p[x + w] - p[x];

      sum += (guint64) (dx * dx + dy * dy);
    }
  }
  return (gdouble) sum / ((gdouble) (w - 1) * (h - 1));
}

/* Correlation of horizontally neighbouring pixels of a plane */
static gdouble
neighbour_correlation (const guint8 * a, gint w, gint h)
{
  /* integer sums: exact, as the doubles they become, and faster */
  guint64 sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, n = 0;
  gint x, y;

  /* every 4th row: it only tells noise (near 0) from pictures (over 0.75) */
  for (y = 0; y < h; y += 4) {
    const guint8 *p = a + (gsize) y * w;

    n += w - 1;

    for (x = 0; x < w - 1; x++) {
      guint u = p[x], v = p[x + 1];

      sa += u;
      sb += v;
      saa += u * u;
      sbb += v * v;
      sab += u * v;
    }
  }
  return correlation ((gdouble) n, sa, sb, saa, sbb, sab);
}

/* Correlation of the Laplacians (4 x pixel - its 4 neighbours) of two
 * planes */
static gdouble
detail_correlation (const guint8 * a, const guint8 * b, gint w, gint h)
{
  gint64 sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  gint x, y;

  for (y = 1; y < h - 1; y++) {
    const guint8 *p = a + (gsize) y * w, *q = b + (gsize) y * w;

    for (x = 1; x < w - 1; x++) {
      gint u = 4 * p[x] - p[x - 1] - p[x + 1] - p[x - w] - p[x + w];
      gint v = 4 * q[x] - q[x - 1] - q[x + 1] - q[x - w] - q[x + w];

      sa += u;
      sb += v;
      saa += u * u;
      sbb += v * v;
      sab += u * v;
    }
  }
  return correlation ((gdouble) MAX (w - 2, 0) * MAX (h - 2, 0), sa, sb, saa,
      sbb, sab);
}

/* The structure plane of a w x h plane: the means of its 2x2 pixels (w / 2
 * x h / 2). Film grain and sensor noise, which an encoder removes first,
 * are independent from pixel to pixel, so averaging quarters their
 * variance while edges and texture of a few pixels and more stay. */
static void
half_plane (const guint8 * a, gint w, gint h, guint8 * out)
{
  gint hw = w / 2, hh = h / 2, x, y;

  for (y = 0; y < hh; y++) {
    const guint8 *p = a + (gsize) 2 * y * w;

    for (x = 0; x < hw; x++, p += 2)
      *out++ = (p[0] + p[1] + p[w] + p[w + 1] + 2) / 4;
  }
}

/* Standard deviation of the noise of a plane (levels), estimated from the
 * mean absolute response to a 3x3 mask that cancels every plane of the
 * form a + bx + cy (so smooth shading and edges give little): 1 -2 1,
 * -2 4 -2, 1 -2 1, whose response to white noise of deviation s has a
 * mean absolute value of 6 s sqrt (2 / pi) (Immerkær's estimator). Fine
 * texture counts as noise too, which errs towards tolerance. */
static gdouble
noise_sigma (const guint8 * a, gint w, gint h)
{
  guint64 sum = 0;
  gint x, y;

  if (w < 3 || h < 3)
    return 0;
  for (y = 1; y < h - 1; y++) {
    const guint8 *p = a + (gsize) y * w;

    for (x = 1; x < w - 1; x++) {
      gint v = 4 * p[x] - 2 * (p[x - 1] + p[x + 1] + p[x - w] + p[x + w]) +
          p[x - w - 1] + p[x - w + 1] + p[x + w - 1] + p[x + w + 1];

      sum += ABS (v);
    }
  }
  return sqrt (G_PI / 2) * sum / (6.0 * (w - 2) * (h - 2));
}

/* The gradient energy of a reference less what its noise of deviation
 * @sigma contributes to it (4 sigma² for independent pixels: a rendition
 * need not keep grain), but not below NOISE_SHARPNESS_FLOOR of it; the
 * share of the noise in @noise_share (0..1) */
static gdouble
structure_energy (gdouble energy, gdouble sigma, gdouble * noise_share)
{
  gdouble noise = 4 * sigma * sigma;

  *noise_share = energy > 0 ? MIN (noise / energy, 1.0) : 0;
  return MAX (energy - noise, NOISE_SHARPNESS_FLOOR * energy);
}

/* The rendition's gradient energy over the reference's less its noise's */
static gdouble
sharpness (const guint8 * ref, const guint8 * rend, gint w, gint h,
    gdouble sigma, gdouble * noise_share)
{
  gdouble ref_energy = structure_energy (gradient_energy (ref, w, h), sigma,
      noise_share);

  if (ref_energy <= 0)
    return 1.0;
  return gradient_energy (rend, w, h) / ref_energy;
}

/* Whether a reference is noise-like: the neighbour correlation of its Y
 * @ref (w x h), or of its structure plane @half, whichever is higher.
 * Grain lowers the first (heavy sensor noise in a dark 720p picture: 0.46),
 * not the second, where its variance is quartered (0.86); detail finer than
 * 2 pixels lowers the second (a zone plate at 256x144: 0.33), not the
 * first (0.77). Pure noise has both near 0. */
static gdouble
reference_correlation (const guint8 * ref, const guint8 * half, gint w,
    gint h)
{
  gdouble full = neighbour_correlation (ref, w, h);

  if (w < 4 || h < 2)
    return full;
  return MAX (full, neighbour_correlation (half, w / 2, h / 2));
}

typedef struct
{
  gdouble psnr_y, psnr_yuv, ssim_y;
  gdouble block_error, sharpness, ref_autocorr, coarse_corr, detail_corr;
  gdouble structure_psnr, structure_ssim, noise;
  gdouble noise_share, half_energy, half_structure;
} Scores;

/* PSNR-Y and SSIM-Y of the structure planes of the reference's Y @ref and
 * the rendition's @rend, SSIM with the reference structure plane's noise
 * variance in C2, and their gradient energies (the reference's less its
 * noise's) for the sharpness of a grainy reference; @half holds both
 * structure planes */
static void
structure_scores (guint8 * half, const guint8 * ref, const guint8 * rend,
    gint w, gint h, Scores * out)
{
  gint hw = w / 2, hh = h / 2;
  gsize n = (gsize) hw * hh;
  gdouble sigma, share;

  if (n == 0) {
    out->structure_psnr = out->psnr_y;
    out->structure_ssim = out->ssim_y;
    out->half_energy = out->half_structure = 0;
    return;
  }
  half_plane (ref, w, h, half);
  half_plane (rend, w, h, half + n);
  out->structure_psnr = psnr_of_mse (plane_sse (half, half + n, n) / n);
  sigma = noise_sigma (half, hw, hh);
  out->structure_ssim = plane_ssim (half, half + n, hw, hh,
      NOISE_SSIM_FACTOR * sigma * sigma);
  out->half_energy = gradient_energy (half + n, hw, hh);
  out->half_structure = structure_energy (gradient_energy (half, hw, hh),
      sigma, &share);
}

/* Streaming thread of @pad: compares a rendition frame with its reference */
static gboolean
compare_frames (GstLpVerify * self, GstLpVerifyPad * pad,
    const GstVideoInfo * info, GstBuffer * buffer,
    const GstVideoInfo * ref_info, GstBuffer * ref_buffer, Scores * out)
{
  GstVideoFrame frame, ref_frame;
  gint w = GST_VIDEO_INFO_WIDTH (info), h = GST_VIDEO_INFO_HEIGHT (info);
  gint cw = (w + 1) / 2, ch = (h + 1) / 2;
  gsize ysize = (gsize) w * h, size = ysize + 2 * (gsize) cw * ch;
  guint8 *rp[3], *fp[3];
  gint rs[3], fs[3];
  gdouble sse_y, sse_u, sse_v;
  gboolean ok = TRUE;

  if (size != pad->i420_size) {
    gst_lp_verify_pad_free_conversion (pad);
    pad->ref_i420 = g_malloc (size);
    pad->rend_i420 = g_malloc (size);
    pad->half = g_malloc (2 * (gsize) (w / 2) * (h / 2) + 1);
    pad->i420_size = size;
  }

  if (!gst_video_frame_map (&frame, info, buffer, GST_MAP_READ))
    return FALSE;
  if (!gst_video_frame_map (&ref_frame, ref_info, ref_buffer, GST_MAP_READ)) {
    gst_video_frame_unmap (&frame);
    return FALSE;
  }
  ok = to_i420 (&pad->ref_sws, &ref_frame, w, h, pad->ref_i420) &&
      to_i420 (&pad->rend_sws, &frame, w, h, pad->rend_i420);
  gst_video_frame_unmap (&ref_frame);
  gst_video_frame_unmap (&frame);
  if (!ok)
    return FALSE;

  i420_planes (pad->ref_i420, w, h, rp, rs);
  i420_planes (pad->rend_i420, w, h, fp, fs);
  sse_y = plane_sse (rp[0], fp[0], ysize);
  sse_u = plane_sse (rp[1], fp[1], (gsize) cw * ch);
  sse_v = plane_sse (rp[2], fp[2], (gsize) cw * ch);
  out->psnr_y = psnr_of_mse (sse_y / ysize);
  out->psnr_yuv = psnr_of_mse ((sse_y + sse_u + sse_v) / size);
  out->ssim_y = plane_ssim (rp[0], fp[0], w, h, 0);
  out->block_error = plane_block_error (rp[0], fp[0], w, h,
      BLOCK_ERROR_SIZE);
  out->noise = noise_sigma (rp[0], w, h);
  out->sharpness = sharpness (rp[0], fp[0], w, h, out->noise,
      &out->noise_share);
  structure_scores (pad->half, rp[0], fp[0], w, h, out);
  out->ref_autocorr = reference_correlation (rp[0], pad->half, w, h);
  /* only a noise-like reference's verdict uses them */
  out->coarse_corr = out->detail_corr = NAN;
  if (out->ref_autocorr < NOISE_AUTOCORR) {
    out->coarse_corr = coarse_correlation (rp[0], fp[0], w, h, COARSE_SIZE);
    out->detail_corr = detail_correlation (rp[0], fp[0], w, h);
  }

  return TRUE;
}

/* Reads the luma of a mapped frame of any VERIFY_FORMATS: Y for YUV and
 * gray formats, an integer BT.601 sum for RGB ones */
typedef struct
{
  const guint8 *data[3];
  gint stride[3], pstride[3];
  gboolean rgb;
} LumaReader;

static void
luma_reader_init (LumaReader * r, const GstVideoFrame * frame)
{
  gint c;

  r->rgb = GST_VIDEO_INFO_IS_RGB (&frame->info);
  for (c = 0; c < (r->rgb ? 3 : 1); c++) {
    r->data[c] = GST_VIDEO_FRAME_COMP_DATA (frame, c);
    r->stride[c] = GST_VIDEO_FRAME_COMP_STRIDE (frame, c);
    r->pstride[c] = GST_VIDEO_FRAME_COMP_PSTRIDE (frame, c);
  }
}

/* Luma at column @x (in pixels) of the rows starting at @rows */
static inline guint
luma_at (const LumaReader * r, const guint8 * const rows[3], gint x)
{
  if (!r->rgb)
    return rows[0][x * r->pstride[0]];
  return (77 * rows[0][x * r->pstride[0]] + 150 * rows[1][x * r->pstride[1]]
      + 29 * rows[2][x * r->pstride[2]]) >> 8;
}

static void
luma_rows (const LumaReader * r, gint y, const guint8 * rows[3])
{
  gint c;

  for (c = 0; c < (r->rgb ? 3 : 1); c++)
    rows[c] = r->data[c] + (gsize) y * r->stride[c];
}

/* The pixels of a @frame_size picture that stand for pixel @i of a grid of
 * @points over a @size picture: one, or two at a quarter and three
 * quarters of its footprint when the picture is larger (*a == *b for one) */
static void
footprint (gint i, gint points, gint size, gint frame_size, gint * a,
    gint * b)
{
  gint p = (gint) (((gint64) 2 * i + 1) * size / (2 * points));
  gint lo = (gint) ((gint64) p * frame_size / size);
  gint hi = MIN (frame_size, MAX ((gint) (((gint64) p + 1) * frame_size /
              size), lo + 1));

  *a = lo + (hi - lo) / 4;
  *b = lo + (3 * (hi - lo)) / 4;
}

/* Samples the luma of @frame on the change grid of a @w x @h picture: each
 * grid point is the pixel of that picture at the point's position. A
 * larger frame is averaged over 2 x 2 pixels spread over that pixel's
 * footprint, roughly as a scaler to @w x @h would: its finest detail, which
 * a rendition has lost, must not count as change. */
static void
sample_change_grid (const GstVideoFrame * frame, gint w, gint h, guint8 * out)
{
  gint fw = GST_VIDEO_FRAME_WIDTH (frame), fh = GST_VIDEO_FRAME_HEIGHT (frame);
  gint xa[CHANGE_GRID_W], xb[CHANGE_GRID_W];
  LumaReader r;
  gint i, j, ya, yb;
  gboolean one_x = TRUE;

  luma_reader_init (&r, frame);
  for (i = 0; i < CHANGE_GRID_W; i++) {
    footprint (i, CHANGE_GRID_W, w, fw, &xa[i], &xb[i]);
    one_x &= xa[i] == xb[i];
  }
  for (j = 0; j < CHANGE_GRID_H; j++) {
    const guint8 *ra[3] = { NULL, }, *rb[3] = { NULL, };

    footprint (j, CHANGE_GRID_H, h, fh, &ya, &yb);
    luma_rows (&r, ya, ra);
    /* a frame no larger than the picture (the rendition's own): one pixel
     * per point, the average of four reads of it */
    if (one_x && ya == yb) {
      for (i = 0; i < CHANGE_GRID_W; i++)
        *out++ = luma_at (&r, ra, xa[i]);
      continue;
    }
    luma_rows (&r, yb, rb);
    for (i = 0; i < CHANGE_GRID_W; i++)
      *out++ = (luma_at (&r, ra, xa[i]) + luma_at (&r, ra, xb[i]) +
          luma_at (&r, rb, xa[i]) + luma_at (&r, rb, xb[i]) + 2) / 4;
  }
}

/* Mean square change between two change grids, of the points */
static gdouble
grid_change (const guint8 * a, const guint8 * b)
{
  guint64 sum = 0;
  gint k;

  for (k = 0; k < CHANGE_SAMPLES; k++) {
    gint d = (gint) a[k] - (gint) b[k];

    sum += (guint64) (d * d);
  }
  return (gdouble) sum / CHANGE_SAMPLES;
}

/* ... and of the means of CHANGE_BLOCK x CHANGE_BLOCK points */
static gdouble
grid_coarse_change (const guint8 * a, const guint8 * b)
{
  const gint bw = CHANGE_GRID_W / CHANGE_BLOCK, bh = CHANGE_GRID_H /
      CHANGE_BLOCK, n = CHANGE_BLOCK * CHANGE_BLOCK;
  gdouble sum = 0;
  gint bx, by, i, j;

  for (by = 0; by < bh; by++)
    for (bx = 0; bx < bw; bx++) {
      gint block = 0;

      for (j = 0; j < CHANGE_BLOCK; j++)
        for (i = 0; i < CHANGE_BLOCK; i++) {
          gint k = (by * CHANGE_BLOCK + j) * CHANGE_GRID_W +
              bx * CHANGE_BLOCK + i;

          block += (gint) a[k] - (gint) b[k];
        }
      sum += ((gdouble) block / n) * ((gdouble) block / n);
    }
  return sum / (bw * bh);
}

static gboolean
changed_less (gdouble rendition, gdouble reference)
{
  return (reference > FROZEN_REF_MSE && rendition < FROZEN_MSE) ||
      (reference > FROZEN_RATIO_REF_MSE &&
      rendition * FROZEN_RATIO < reference);
}

/* The reference's temporal noise on the change grid, from three
 * consecutive grids @r0, @r1, @r2: grain and sensor noise, new every frame,
 * give each point's second difference r2 - 2 r1 + r0 a variance of 6 times
 * theirs, while steady motion gives it little. */
typedef struct
{
  gdouble change;               /* the mean square change from @r1 to @r2 */
  gdouble median_var;           /* from the median absolute second
                                 * difference: robust to the points that
                                 * moved, the noise the verdict discounts */
  gdouble mean_var;             /* from the mean square: every point */
  gdouble spatial_var;          /* the variance of the points of @r2 */
} GridNoise;

static void
grid_noise (const guint8 * r0, const guint8 * r1, const guint8 * r2,
    GridNoise * out)
{
  guint hist[4 * 255 + 1] = { 0, };
  guint64 change = 0, sq = 0, sum = 0, sum2 = 0;
  gdouble mean, median = 0;
  guint acc = 0;
  gint k;

  for (k = 0; k < CHANGE_SAMPLES; k++) {
    gint c = (gint) r2[k] - (gint) r1[k];
    gint d = c - (gint) r1[k] + (gint) r0[k];

    change += (guint64) (c * c);
    hist[ABS (d)]++;
    sq += (guint64) (d * d);
    sum += r2[k];
    sum2 += (guint64) r2[k] * r2[k];
  }
  out->change = (gdouble) change / CHANGE_SAMPLES;
  /* the median, interpolated in its bin (bin k holds [k - 1/2, k + 1/2)
   * of a continuous value, bin 0 [0, 1/2)): small noise is a few levels */
  for (k = 0; k < G_N_ELEMENTS (hist); k++) {
    if (2 * (acc + hist[k]) >= CHANGE_SAMPLES) {
      gdouble lo = k == 0 ? 0 : k - 0.5;

      median = lo + (k + 0.5 - lo) * (CHANGE_SAMPLES / 2.0 - acc) / hist[k];
      break;
    }
    acc += hist[k];
  }
  /* the median absolute value of a Gaussian is 0.6745 deviations */
  out->median_var = (median / 0.6745) * (median / 0.6745) / 6;
  out->mean_var = (gdouble) sq / CHANGE_SAMPLES / 6;
  mean = (gdouble) sum / CHANGE_SAMPLES;
  out->spatial_var = (gdouble) sum2 / CHANGE_SAMPLES - mean * mean;
}

/* Whether a rendition whose change grid changed by @rend (mean square)
 * stood still while the reference's changed by @ref, of which 2 x
 * @noise_var is what its temporal noise alone gives: an encoder drops
 * grain, so only the rest, the reference's structural change, counts. It
 * must be clearly above the noise (an encoder may leave a small change in
 * heavy grain for a later frame), and the rendition must have changed by
 * less than 1/FROZEN_RATIO of it plus a little of the noise variance (an
 * encoder refines the grain of a repeated frame a little). */
static gboolean
structure_frozen (gdouble rend, gdouble ref, gdouble noise_var)
{
  gdouble structure = ref - 2 * noise_var;

  return structure > FROZEN_RATIO_REF_MSE + FROZEN_NOISE_MARGIN * 2 *
      noise_var && rend < structure / FROZEN_RATIO +
      FROZEN_REFINE * noise_var;
}

/* Whether the middle one of three consecutive frames was repeated: the
 * rendition's changes @rend and the reference's structural changes
 * @structure of the three (REPEAT_RATIO, REPEAT_STEADY) */
static gboolean
repeated_frame (const gdouble rend[3], const gdouble structure[3])
{
  return structure[1] >= REPEAT_STEADY * MIN (structure[0], structure[2]) &&
      rend[1] * REPEAT_RATIO < MIN (rend[0], rend[2]);
}

/* Called by frame_frozen on a grainy (not pure noise) reference, with
 * this frame's changes and whether it is frozen already: whether the
 * frame before it was repeated. That one is a candidate when its
 * reference moved clearly (as structure_frozen wants) and it was not
 * frozen; the third frame back must be known too. */
static gboolean
previous_repeated (GstLpVerifyPad * pad, gdouble rend, gdouble structure,
    gdouble noise_var, gboolean frozen)
{
  gdouble r[3] = { pad->recent_rend[0], pad->recent_rend[1], rend };
  gdouble st[3] = { pad->recent_structure[0], pad->recent_structure[1],
    structure
  };
  gboolean repeated = pad->recent_candidate && r[0] >= 0 &&
      repeated_frame (r, st);

  pad->recent_rend[0] = pad->recent_rend[1];
  pad->recent_structure[0] = pad->recent_structure[1];
  pad->recent_rend[1] = rend;
  pad->recent_structure[1] = structure;
  pad->recent_candidate = !frozen && structure > FROZEN_RATIO_REF_MSE +
      FROZEN_NOISE_MARGIN * 2 * noise_var;
  return repeated;
}

/* Streaming thread of @pad: how many frames stayed as they were while
 * their reference frames, the next ones matched, changed: this one
 * (decided from the third grid on, once the reference's temporal noise is
 * known) and, one frame late, the one before it if it was repeated
 * (previous_repeated). */
static guint
frame_frozen (GstLpVerifyPad * pad, const GstVideoInfo * info,
    GstBuffer * buffer, const GstVideoInfo * ref_info, GstBuffer * ref_buffer)
{
  gint w = GST_VIDEO_INFO_WIDTH (info), h = GST_VIDEO_INFO_HEIGHT (info);
  GstVideoFrame frame, ref_frame;
  gboolean frozen = FALSE, repeated = FALSE;
  guint8 *swap;

  if (!gst_video_frame_map (&frame, info, buffer, GST_MAP_READ))
    return 0;
  if (!gst_video_frame_map (&ref_frame, ref_info, ref_buffer, GST_MAP_READ)) {
    gst_video_frame_unmap (&frame);
    return 0;
  }
  sample_change_grid (&frame, w, h, pad->grid);
  sample_change_grid (&ref_frame, w, h, pad->grid + CHANGE_SAMPLES);
  gst_video_frame_unmap (&ref_frame);
  gst_video_frame_unmap (&frame);

  if (pad->grids == 0) {
    pad->noise_median_var = pad->noise_mean_var = -1;
    pad->recent_rend[1] = -1;
    pad->recent_candidate = FALSE;
  }
  if (pad->grids > 1) {
    const guint8 *prev_ref = pad->prev_grid + CHANGE_SAMPLES;
    const guint8 *ref_grid = pad->grid + CHANGE_SAMPLES;
    gdouble rend = grid_change (pad->prev_grid, pad->grid);
    gdouble ref, median_var, mean_var;
    GridNoise noise;

    grid_noise (pad->prev2_ref, prev_ref, ref_grid, &noise);
    ref = noise.change;
    /* the lower of this frame's estimate and the previous one's: a scene
     * cut inflates the estimates of the two frames after it, and the one
     * at the cut must still see its change */
    median_var = noise.median_var;
    mean_var = noise.mean_var;
    if (pad->noise_median_var >= 0) {
      median_var = MIN (median_var, pad->noise_median_var);
      mean_var = MIN (mean_var, pad->noise_mean_var);
    }
    pad->noise_median_var = noise.median_var;
    pad->noise_mean_var = noise.mean_var;

    if (mean_var > FROZEN_NOISE_LIKE * noise.spatial_var) {
      /* the noise is the picture (pure noise): all change counts; the
       * coarse pictures only for a candidate, most frames are not */
      if (changed_less (rend, ref)) {
        gdouble rend_coarse = grid_coarse_change (pad->prev_grid, pad->grid);

        frozen = rend_coarse < FROZEN_MSE || rend_coarse * FROZEN_RATIO <
            grid_coarse_change (prev_ref, ref_grid);
      }
      pad->recent_rend[1] = -1;
      pad->recent_candidate = FALSE;
    } else {
      frozen = structure_frozen (rend, ref, median_var);
      repeated = previous_repeated (pad, rend, ref - 2 * median_var,
          median_var, frozen);
    }
    GST_LOG_OBJECT (pad, "change %.3f, reference %.3f, its noise variance "
        "%.3f (mean %.3f, picture %.3f)%s%s", rend, ref, median_var, mean_var,
        noise.spatial_var, frozen ? ": frozen" : "",
        repeated ? ", the frame before repeated" : "");
  }
  if (pad->grids > 0)
    memcpy (pad->prev2_ref, pad->prev_grid + CHANGE_SAMPLES, CHANGE_SAMPLES);
  swap = pad->prev_grid;
  pad->prev_grid = pad->grid;
  pad->grid = swap;
  pad->grids = MIN (pad->grids + 1, 2);
  return (frozen ? 1 : 0) + (repeated ? 1 : 0);
}

/* Waits up to LINK_GRACE for the reference to be linked: a decodebin may
 * link it a little after the renditions start. */
static gboolean
wait_for_reference (GstLpVerify * self, GstLpVerifyPad * pad)
{
  gint64 deadline = g_get_monotonic_time () + LINK_GRACE;
  gboolean linked, post;

  if (gst_pad_is_linked (self->refpad))
    return TRUE;
  LOCK (self);
  while (!(linked = gst_pad_is_linked (self->refpad)) && !self->flushing &&
      !pad->flushing && g_cond_wait_until (&self->cond, &self->lock, deadline));
  linked = gst_pad_is_linked (self->refpad);
  post = !linked && !self->flushing && !pad->flushing &&
      !self->no_reference_posted;
  if (post)
    self->no_reference_posted = TRUE;
  UNLOCK (self);
  if (post)
    GST_ELEMENT_ERROR (self, CORE, PAD,
        ("lpverify has no reference: link its `reference` pad to the source "
            "the renditions were made from."),
        ("%s:%s got data, reference unlinked", GST_DEBUG_PAD_NAME (pad)));
  return linked;
}

static GstFlowReturn
gst_lp_verify_rendition_chain (GstPad * gpad, GstObject * parent,
    GstBuffer * buffer)
{
  GstLpVerify *self = GST_LP_VERIFY (parent);
  GstLpVerifyPad *pad = GST_LP_VERIFY_PAD (gpad);
  GstClockTime rt, half, best_diff = GST_CLOCK_TIME_NONE;
  GstBuffer *ref_buffer = NULL, *change_ref = NULL;
  GstVideoInfo info, ref_info, change_ref_info;
  RefFrame *best = NULL;
  GstFlowReturn ret;
  guint sample_interval;
  gdouble step = 1.0;
  GList *l;

  if (!wait_for_reference (self, pad)) {
    gst_buffer_unref (buffer);
    return GST_FLOW_ERROR;
  }

  /* pass it on first: a sink downstream may hold it in preroll */
  ret = gst_pad_push (pad->srcpad, gst_buffer_ref (buffer));
  if (ret == GST_FLOW_NOT_LINKED)
    ret = GST_FLOW_OK;
  if (ret != GST_FLOW_OK) {
    gst_buffer_unref (buffer);
    return ret;
  }

  rt = running_time (&pad->segment, buffer);
  GST_OBJECT_LOCK (self);
  sample_interval = self->sample_interval;
  GST_OBJECT_UNLOCK (self);

  LOCK (self);
  if (!pad->have_info) {
    UNLOCK (self);
    gst_buffer_unref (buffer);
    return GST_FLOW_NOT_NEGOTIATED;
  }
  info = pad->info;
  pad->got_data = TRUE;
  pad->count.frames++;
  pad->count.pixels += (guint64) GST_VIDEO_INFO_WIDTH (&info) *
      GST_VIDEO_INFO_HEIGHT (&info);

  if (GST_CLOCK_TIME_IS_VALID (rt)) {
    while (!self->ref_eos && !self->flushing && !pad->flushing &&
        (!GST_CLOCK_TIME_IS_VALID (self->ref_latest_rt) ||
            self->ref_latest_rt < rt))
      WAIT (self);
    if (self->flushing || pad->flushing) {
      UNLOCK (self);
      gst_buffer_unref (buffer);
      return GST_FLOW_FLUSHING;
    }
    for (l = self->window.head; l; l = l->next) {
      RefFrame *f = l->data;
      GstClockTime d = f->rt > rt ? f->rt - rt : rt - f->rt;

      if (best == NULL || d < best_diff) {
        best = f;
        best_diff = d;
      }
    }
  }

  if (GST_VIDEO_INFO_FPS_N (&self->ref_info) > 0)
    half = gst_util_uint64_scale_int (GST_SECOND / 2,
        GST_VIDEO_INFO_FPS_D (&self->ref_info),
        GST_VIDEO_INFO_FPS_N (&self->ref_info));
  else
    half = GST_SECOND / 60;
  if (GST_VIDEO_INFO_FPS_N (&info) > 0 &&
      GST_VIDEO_INFO_FPS_N (&self->ref_info) > 0)
    step = ((gdouble) GST_VIDEO_INFO_FPS_N (&self->ref_info) *
        GST_VIDEO_INFO_FPS_D (&info)) /
        ((gdouble) GST_VIDEO_INFO_FPS_D (&self->ref_info) *
        GST_VIDEO_INFO_FPS_N (&info));

  if (GST_CLOCK_TIME_IS_VALID (rt))
    pad->last_rt = rt;

  if (best == NULL || best_diff > half) {
    pad->count.unmatched++;
    GST_LOG_OBJECT (pad, "frame at %" GST_TIME_FORMAT " has no match",
        GST_TIME_ARGS (rt));
  } else {
    gint64 idx = best->index;

    if (pad->last_ref_index < 0) {
      pad->first_ref_index = idx;
    } else if (idx == pad->last_ref_index) {
      if (step >= 1.0 - 1e-9)
        pad->count.duplicated++;
    } else if (idx < pad->last_ref_index) {
      pad->count.unmatched++;
    } else {
      gdouble gap = idx - pad->last_ref_index;
      gdouble allowed = ceil (MAX (step, 1.0) - 1e-9);

      if (gap > allowed)
        pad->count.dropped += (guint64) ceil ((gap - allowed) /
            MAX (step, 1.0) - 1e-9);
    }
    if (idx > pad->last_ref_index) {
      /* the reference moved on: has the rendition? */
      change_ref = gst_buffer_ref (best->buffer);
      change_ref_info = best->info;
    }
    if (idx >= pad->last_ref_index) {
      if (pad->since_check == 0 || pad->since_check >= sample_interval) {
        ref_buffer = gst_buffer_ref (best->buffer);
        ref_info = best->info;
        pad->since_check = 0;
      }
      pad->since_check++;
      pad->last_ref_index = idx;
    }
  }
  BROADCAST (self);
  UNLOCK (self);

  if (change_ref != NULL) {
    guint frozen = frame_frozen (pad, &info, buffer, &change_ref_info,
        change_ref);

    if (frozen > 0) {
      LOCK (self);
      pad->count.frozen += frozen;
      UNLOCK (self);
      GST_LOG_OBJECT (pad, "%" GST_TIME_FORMAT ": %u frozen",
          GST_TIME_ARGS (rt), frozen);
    }
    gst_buffer_unref (change_ref);
  }

  if (ref_buffer != NULL) {
    Scores scores;

    if (compare_frames (self, pad, &info, buffer, &ref_info, ref_buffer,
            &scores)) {
      LOCK (self);
      g_array_append_val (pad->psnr_y, scores.psnr_y);
      g_array_append_val (pad->psnr_yuv, scores.psnr_yuv);
      g_array_append_val (pad->ssim_y, scores.ssim_y);
      g_array_append_val (pad->block_error, scores.block_error);
      g_array_append_val (pad->sharpness, scores.sharpness);
      g_array_append_val (pad->ref_autocorr, scores.ref_autocorr);
      g_array_append_val (pad->coarse_corr, scores.coarse_corr);
      g_array_append_val (pad->detail_corr, scores.detail_corr);
      g_array_append_val (pad->structure_psnr, scores.structure_psnr);
      g_array_append_val (pad->structure_ssim, scores.structure_ssim);
      g_array_append_val (pad->noise_share, scores.noise_share);
      g_array_append_val (pad->half_energy, scores.half_energy);
      g_array_append_val (pad->half_structure, scores.half_structure);
      g_array_append_val (pad->noise, scores.noise);
      UNLOCK (self);
      GST_LOG_OBJECT (pad, "%" GST_TIME_FORMAT ": PSNR-Y %.2f, PSNR-YUV "
          "%.2f, SSIM-Y %.4f", GST_TIME_ARGS (rt), scores.psnr_y,
          scores.psnr_yuv, scores.ssim_y);
    } else {
      GST_WARNING_OBJECT (pad, "could not compare a frame");
    }
    gst_buffer_unref (ref_buffer);
  }

  gst_buffer_unref (buffer);
  return ret;
}

static gboolean
gst_lp_verify_rendition_event (GstPad * gpad, GstObject * parent,
    GstEvent * event)
{
  GstLpVerify *self = GST_LP_VERIFY (parent);
  GstLpVerifyPad *pad = GST_LP_VERIFY_PAD (gpad);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:{
      GstCaps *caps;
      GstVideoInfo info;
      gchar *profile;
      gboolean bad_profile = FALSE;

      gst_event_parse_caps (event, &caps);
      if (!gst_video_info_from_caps (&info, caps) ||
          av_format (GST_VIDEO_INFO_FORMAT (&info)) == AV_PIX_FMT_NONE) {
        GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
            ("Rendition %s is not raw video lpverify can read.",
                GST_PAD_NAME (pad)), ("caps %" GST_PTR_FORMAT, caps));
        gst_event_unref (event);
        return FALSE;
      }
      GST_OBJECT_LOCK (pad);
      profile = g_strdup (pad->profile);
      GST_OBJECT_UNLOCK (pad);
      if (profile != NULL) {
        guint w, h;
        gint n, d;

        bad_profile = !parse_profile (profile, &info, &w, &h, &n, &d);
      }
      if (bad_profile) {
        GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
            ("The profile \"%s\" of rendition %s is neither a Livepeer "
                "preset nor WIDTHxHEIGHT[@FPS].", profile, GST_PAD_NAME (pad)),
            ("property profile of %s:%s", GST_DEBUG_PAD_NAME (pad)));
        g_free (profile);
        gst_event_unref (event);
        return FALSE;
      }
      g_free (profile);
      LOCK (self);
      pad->info = info;
      pad->have_info = TRUE;
      UNLOCK (self);
      break;
    }
    case GST_EVENT_SEGMENT:
      gst_event_copy_segment (event, &pad->segment);
      if (pad->segment.format != GST_FORMAT_TIME) {
        GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
            ("Rendition %s has no time segment.", GST_PAD_NAME (pad)),
            ("segment %" GST_SEGMENT_FORMAT, &pad->segment));
        gst_event_unref (event);
        return FALSE;
      }
      break;
    case GST_EVENT_FLUSH_START:
      LOCK (self);
      pad->flushing = TRUE;
      BROADCAST (self);
      UNLOCK (self);
      break;
    case GST_EVENT_FLUSH_STOP:
      LOCK (self);
      pad->flushing = FALSE;
      pad->eos = FALSE;
      pad->last_rt = GST_CLOCK_TIME_NONE;
      pad->last_ref_index = -1;
      pad->since_check = 0;
      BROADCAST (self);
      UNLOCK (self);
      gst_segment_init (&pad->segment, GST_FORMAT_TIME);
      pad->grids = 0;
      break;
    case GST_EVENT_EOS:
      LOCK (self);
      pad->eos = TRUE;
      BROADCAST (self);
      finish_unlock (self);
      break;
    default:
      break;
  }
  return gst_pad_push_event (pad->srcpad, event);
}

/* ---- state ---- */

static void
gst_lp_verify_reset (GstLpVerify * self)
{
  GList *l;

  LOCK (self);
  g_queue_clear_full (&self->window, (GDestroyNotify) ref_frame_free);
  gst_video_info_init (&self->ref_info);
  self->have_ref_info = FALSE;
  self->ref_latest_rt = GST_CLOCK_TIME_NONE;
  self->ref_frames = 0;
  self->ref_eos = FALSE;
  self->ref_flushing = FALSE;
  self->final_posted = FALSE;
  self->src_eos_pending = FALSE;
  self->no_reference_posted = FALSE;
  self->signature_error_posted = FALSE;
  for (l = self->renditions; l; l = l->next)
    gst_lp_verify_pad_reset (l->data);
  UNLOCK (self);
  gst_segment_init (&self->ref_segment, GST_FORMAT_TIME);
}

/* Parses transcode-result and orchestrator-address; FALSE, with an error
 * posted, when they are not what they should be. *result stays NULL
 * without a transcode-result. */
static gboolean
parse_transcode_result (GstLpVerify * self, LpTranscodeResult ** result,
    LpAddress * signer)
{
  gchar *json, *address;
  GError *error = NULL;
  gboolean ok = FALSE;

  GST_OBJECT_LOCK (self);
  json = g_strdup (self->transcode_result);
  address = g_strdup (self->orchestrator_address);
  GST_OBJECT_UNLOCK (self);

  *result = NULL;
  if (json == NULL) {
    ok = TRUE;
    goto out;
  }
  *result = lp_wire_transcode_result_from_json (json, -1, &error);
  if (*result == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("The transcode-result is not a TranscodeResult: %s.",
            error->message), ("property transcode-result: %s", json));
    g_clear_error (&error);
    goto out;
  }
  if ((*result)->error != NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("The transcode-result is an error result (\"%s\"): it has no "
            "signed renditions to check.", (*result)->error),
        ("property transcode-result"));
    goto out;
  }
  if (address == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("The orchestrator-address is not set: a transcode-result needs "
            "the address that must have signed it."),
        ("property orchestrator-address"));
    goto out;
  }
  if (!lp_address_parse (address, signer, &error)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("The orchestrator-address \"%s\" is not an address: %s.", address,
            error->message), ("property orchestrator-address"));
    g_clear_error (&error);
    goto out;
  }
  ok = TRUE;
out:
  if (!ok)
    g_clear_pointer (result, lp_transcode_result_free);
  g_free (json);
  g_free (address);
  return ok;
}

static GstStateChangeReturn
gst_lp_verify_change_state (GstElement * element, GstStateChange transition)
{
  GstLpVerify *self = GST_LP_VERIFY (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:{
      LpTranscodeResult *result = NULL;
      LpAddress signer = { {0,} };

      if (!parse_transcode_result (self, &result, &signer))
        return GST_STATE_CHANGE_FAILURE;
      gst_lp_verify_reset (self);
      LOCK (self);
      self->flushing = FALSE;
      g_clear_pointer (&self->result, lp_transcode_result_free);
      self->result = result;
      self->signer = signer;
      UNLOCK (self);
      break;
    }
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      LOCK (self);
      self->flushing = TRUE;
      BROADCAST (self);
      UNLOCK (self);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      gst_lp_verify_reset (self);
      LOCK (self);
      g_clear_pointer (&self->result, lp_transcode_result_free);
      UNLOCK (self);
      break;
    case GST_STATE_CHANGE_READY_TO_NULL:{
      GList *l;

      LOCK (self);
      for (l = self->renditions; l; l = l->next)
        gst_lp_verify_pad_free_conversion (l->data);
      UNLOCK (self);
      break;
    }
    default:
      break;
  }
  return ret;
}

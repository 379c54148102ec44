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
 *   grain the encoder refines. And a frame is frozen when it is nearer
 *   the reference frame before its own than its own (late), or the frame
 *   before nearer this one's reference than its own (early), where the
 *   reference's structural change between the two is over 0.5 plus twice
 *   its noise variance (the grain a rendition carries from the frames it
 *   was predicted from cannot turn that), nearer by over half the
 *   reference's change between the two (an honest rendition may lag a
 *   little) and by no more than the structural change plus twice the
 *   noise variance (more is a lost or aliased structure, where nearness
 *   tells nothing): that finds the frames a frame-rate
 *   conversion repeats where the encoder spreads their change over their
 *   neighbours. A reference whose temporal noise variance
 *   is over 3/4 of its grid's variance is pure noise, whose noise is its
 *   content: there
 *   all of the change counts (frozen: the rendition changed by a mean
 *   square under 0.5 while the reference changed by over 4, or by 256
 *   times less than the reference's while that is over 0.5: an encoder
 *   short of bits renews only a part of pure noise each frame, a frame
 *   that reached it unchanged changes only by what it refines; and the
 *   means of 4x4 grid points, the coarse picture, did not change either
 *   (by under 0.5, or 16 times less than the reference's)). This catches a lower frame rate shown at the
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
 * - the local structure, on the structure SSIM's 8x8 windows (16x16
 *   pixels of the rendition), each aggregated as the mean over the checked
 *   frames of the frame's most telling window: the *added structure*, the
 *   rendition's variance less the reference's over the reference's plus
 *   64 (an encoder removes structure and does not add it, while a caption
 *   adds strokes and a border where the reference has grain or fine
 *   texture, which 16x16 block means average away), and the *replaced
 *   structure*, 1 less the correlation of the two with their deviations
 *   raised by 16 levels (a caption over content as busy as itself, where
 *   the variance stays).
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
 * percentile above `max-block-error`, its mean added structure above
 * `max-added-structure`, its mean replaced structure above
 * `max-replaced-structure` or its mean sharpness (the higher of
 * it and `structure-sharpness` where the noise share is over 55 %) below
 * `min-sharpness`; for a noise-like reference, when its mean coarse
 * correlation is below `min-noise-correlation` or its mean detail
 * correlation below 0.4 of the coarse one, its block error's
 * 95th percentile above twice `max-block-error` or its mean added
 * structure above `max-added-structure`. Each
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
 *   `structure-sharpness`, `noise-share-mean`, `added-structure-mean`,
 *   `replaced-structure-mean` (gdouble),
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
 *   `psnr`, `ssim`, `block-error`, `added-structure`,
 *   `replaced-structure` or `sharpness`, the first that fails in
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
/* The element: its pads (reference, src and the requested rendition pads
 * with their properties), its properties, the state changes and the
 * posting of the lpverify-result message with its warnings or errors. Its
 * state, the lock (LOCK) and the lock's contract are in
 * gstlpverify-private.h. What the streaming threads do is in
 * lpverifyframes.c (the reference window, frame matching, frozen frames),
 * lpverifyquality.c and lpverifystructure.c (the scores of a checked
 * frame); the verdict and the message's content in lpverifyverdict.c. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstlpverify-private.h"

#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpwire.h>
#include <libswscale/swscale.h>
#include <stdio.h>
#include <string.h>

GST_DEBUG_CATEGORY (gst_lp_verify_debug);

#define DEFAULT_MIN_PSNR 25.0
#define DEFAULT_MIN_SSIM 0.90
#define DEFAULT_MAX_FRAME_MISMATCH 2
#define DEFAULT_MAX_BLOCK_ERROR 16.0
#define DEFAULT_MIN_SHARPNESS 0.7
#define DEFAULT_MIN_NOISE_CORRELATION 0.1
#define DEFAULT_MAX_ADDED_STRUCTURE 3.5
#define DEFAULT_MAX_REPLACED_STRUCTURE 0.4
#define DEFAULT_SAMPLE_INTERVAL 10
#define DEFAULT_INTERVAL 0
#define DEFAULT_FAIL_ON_MISMATCH FALSE
#define DEFAULT_PROFILE NULL

enum
{
  PROP_0,
  PROP_MIN_PSNR,
  PROP_MIN_SSIM,
  PROP_MAX_FRAME_MISMATCH,
  PROP_MAX_BLOCK_ERROR,
  PROP_MIN_SHARPNESS,
  PROP_MIN_NOISE_CORRELATION,
  PROP_MAX_ADDED_STRUCTURE,
  PROP_MAX_REPLACED_STRUCTURE,
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

void
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
  g_array_unref (pad->added_structure);
  g_array_unref (pad->replaced_structure);
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
  g_array_set_size (pad->added_structure, 0);
  g_array_set_size (pad->replaced_structure, 0);
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
  pad->added_structure = g_array_new (FALSE, FALSE, sizeof (gdouble));
  pad->replaced_structure = g_array_new (FALSE, FALSE, sizeof (gdouble));
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
   * lowest mean correlation of the 8x8 block means of Y with the
   * reference's (the coarse correlation) that passes; the correlation of
   * the Laplacians (the detail correlation) must also be at least 0.4 of
   * it (-1 disables both). On bench/verify-scores.sh honest renditions of
   * `videotestsrc pattern=snow` score 0.17 and more in the first at half
   * the preset bitrate (0.28 and more at the preset bitrate) and keep 0.64
   * of it and more in the second; other content, mirrored or shifted
   * frames score under 0.01 in the first, a 160x90 upscale or a blur
   * keeps 0.26 and less in the second. Frozen frames and a logo, which
   * score 0.13-0.18, fail on frames and block error.
   */
  g_object_class_install_property (gobject_class, PROP_MIN_NOISE_CORRELATION,
      g_param_spec_double ("min-noise-correlation",
          "Minimum noise correlation", "Lowest mean correlation of the 8x8 "
          "block means of Y with a noise-like reference a rendition may "
          "have; that of the Laplacians must be 0.4 of it (-1 disables the "
          "check)", -1.0, 1.0,
          DEFAULT_MIN_NOISE_CORRELATION, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstLpVerify:max-added-structure:
   *
   * The highest mean added structure that passes: per checked frame, the
   * largest ratio, over 8x8 windows of the structure planes (16x16 pixels
   * of the rendition), of the rendition's variance less the reference's
   * over the reference's plus 64 (a deviation of 8 levels), averaged over
   * the checked frames. An encoder removes structure, it does not add it:
   * on bench/verify-scores.sh honest renditions score 2.0 at most (SMPTE
   * bars at 256x144), a caption of a quarter of a small logo's area 5.7
   * and more, also over wood grain or pure noise, where block means stay
   * within a few levels (docs/verify.md).
   */
  g_object_class_install_property (gobject_class, PROP_MAX_ADDED_STRUCTURE,
      g_param_spec_double ("max-added-structure", "Maximum added structure",
          "Highest mean over the checked frames of the largest relative "
          "variance a rendition adds to a 16x16 window of the reference "
          "(G_MAXDOUBLE disables the check)", 0.0, G_MAXDOUBLE,
          DEFAULT_MAX_ADDED_STRUCTURE, G_PARAM_READWRITE |
          G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstLpVerify:max-replaced-structure:
   *
   * The highest mean replaced structure that passes, for a reference that
   * is not noise-like: per checked frame, 1 less the lowest correlation,
   * over 8x8 windows of the structure planes, of the reference and the
   * rendition with their deviations raised by 16 levels (so that windows
   * where either is flat count little), averaged over the checked frames.
   * On bench/verify-scores.sh honest renditions score 0.27 at most (SMPTE
   * bars at 256x144, 200 kbit/s), a caption over a zone plate 0.46 and
   * more (docs/verify.md). A noise-like reference's windows do not
   * correlate with an honest rendition's, so it is not judged there.
   */
  g_object_class_install_property (gobject_class,
      PROP_MAX_REPLACED_STRUCTURE, g_param_spec_double
      ("max-replaced-structure", "Maximum replaced structure",
          "Highest mean over the checked frames of 1 less the lowest "
          "correlation of a 16x16 window with the reference's a rendition "
          "may have (2 disables the check)", 0.0, 2.0,
          DEFAULT_MAX_REPLACED_STRUCTURE, G_PARAM_READWRITE |
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
  self->max_added_structure = DEFAULT_MAX_ADDED_STRUCTURE;
  self->max_replaced_structure = DEFAULT_MAX_REPLACED_STRUCTURE;
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

void
gst_lp_verify_ref_frame_free (RefFrame * f)
{
  gst_buffer_unref (f->buffer);
  g_free (f);
}

static void
gst_lp_verify_finalize (GObject * object)
{
  GstLpVerify *self = GST_LP_VERIFY (object);

  g_queue_clear_full (&self->window,
      (GDestroyNotify) gst_lp_verify_ref_frame_free);
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
    case PROP_MAX_ADDED_STRUCTURE:
      self->max_added_structure = g_value_get_double (value);
      break;
    case PROP_MAX_REPLACED_STRUCTURE:
      self->max_replaced_structure = g_value_get_double (value);
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
    case PROP_MAX_ADDED_STRUCTURE:
      g_value_set_double (value, self->max_added_structure);
      break;
    case PROP_MAX_REPLACED_STRUCTURE:
      g_value_set_double (value, self->max_replaced_structure);
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

/* Posts @msg and a warning (or error) per failure; without the lock */
void
gst_lp_verify_post_result (GstLpVerify * self, GstMessage * msg,
    GList * failures)
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
gboolean
gst_lp_verify_renditions_done (GstLpVerify * self)
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
void
gst_lp_verify_finish_unlock (GstLpVerify * self)
{
  GList *failures = NULL;
  GstMessage *msg;
  gboolean push_eos;

  if (!self->ref_eos || self->final_posted ||
      !gst_lp_verify_renditions_done (self)) {
    UNLOCK (self);
    return;
  }
  self->final_posted = TRUE;
  msg = gst_lp_verify_build_result (self, TRUE, &failures);
  push_eos = self->src_eos_pending;
  self->src_eos_pending = FALSE;
  UNLOCK (self);

  gst_lp_verify_post_result (self, msg, failures);
  if (push_eos)
    gst_pad_push_event (self->srcpad, gst_event_new_eos ());
}

/* ---- state ---- */

static void
gst_lp_verify_reset (GstLpVerify * self)
{
  GList *l;

  LOCK (self);
  g_queue_clear_full (&self->window,
      (GDestroyNotify) gst_lp_verify_ref_frame_free);
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

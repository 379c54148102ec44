/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* The scores of a checked frame (gst_lp_verify_compare_frames): both
 * pictures converted to I420 at the rendition's size, PSNR (Y and YUV),
 * SSIM-Y, the structure scores on the 2x2-averaged planes (PSNR-Y, SSIM-Y
 * with the reference's noise in C2, gradient energies) and the noise
 * estimate (Immerkær); the block error, the sharpness and the correlations
 * come from lpverifystructure.c.
 *
 * Threads and locks: the streaming thread of the rendition pad, without
 * LOCK, on the pad's conversion buffers, which only that thread touches
 * (gstlpverify-private.h). The per-pixel loops are hot: this plugin is
 * built with -O3 (meson.build). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstlpverify-private.h"

#include <libswscale/swscale.h>
#include <libavutil/pixfmt.h>
#include <math.h>
#include <string.h>

/* block sizes of the block error and of the coarse correlation */
#define BLOCK_ERROR_SIZE 16
#define COARSE_SIZE 8

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

enum AVPixelFormat
gst_lp_verify_av_format (GstVideoFormat format)
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
      gst_lp_verify_av_format (GST_VIDEO_FRAME_FORMAT (frame)), w, h,
      AV_PIX_FMT_YUV420P, SWS_BICUBIC, NULL, NULL, NULL);
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

/* The sums of the 4x4 blocks of two w x h planes into @sums (w / 4 x
 * h / 4). The four rows of a row of blocks are summed per column first,
 * in loops as long as a row that the compiler vectorises (a loop per
 * block of 4 x 4 pixels does not), then four columns make a block: the
 * same sums in half the instructions. */
static void
block_sums (const guint8 * a, const guint8 * b, gint w, gint h,
    BlockSums * sums)
{
  gint bw = w / 4, bh = h / 4, cols = bw * 4, x, y, j, k;
  guint32 *col = g_new (guint32, 5 * (gsize) cols);
  guint32 *restrict ca = col, *restrict cb = col + cols;
  guint32 *restrict caa = col + 2 * cols, *restrict cbb = col + 3 * cols;
  guint32 *restrict cab = col + 4 * cols;

  for (y = 0; y < bh; y++) {
    memset (col, 0, 5 * (gsize) cols * sizeof (guint32));
    for (j = 0; j < 4; j++) {
      const guint8 *restrict pa = a + (gsize) (y * 4 + j) * w;
      const guint8 *restrict pb = b + (gsize) (y * 4 + j) * w;

      for (x = 0; x < cols; x++) {
        guint32 u = pa[x], v = pb[x];

        ca[x] += u;
        cb[x] += v;
        caa[x] += u * u;
        cbb[x] += v * v;
        cab[x] += u * v;
      }
    }
    for (x = 0; x < bw; x++) {
      guint64 *s = sums[y * bw + x].s;

      for (k = 0; k < 5; k++) {
        const guint32 *c = col + k * cols + 4 * x;

        s[k] = (guint64) c[0] + c[1] + c[2] + c[3];
      }
    }
  }
  g_free (col);
}

/* What a window of the structure planes says about local tampering
 * (max over the windows of one frame):
 * - added: the rendition's variance over the reference's, less 1, with
 *   ADDED_STRUCTURE_FLOOR added to the reference's: structure the reference
 *   lacks there (a caption over wood grain or noise);
 * - replaced: 1 less the correlation of the two, each deviation raised by
 *   REPLACED_STRUCTURE_FLOOR: structure unrelated to the reference's where
 *   both have some (a caption over a zone plate) */
typedef struct
{
  gdouble added, replaced;
} LocalStructure;

/* per-pixel variances (levels²) of the floors, times 64² as the sums are */
#define ADDED_STRUCTURE_FLOOR (64.0 * 4096)
#define REPLACED_STRUCTURE_FLOOR (256.0 * 4096)

/* SSIM of two w x h planes: 8x8 windows every 4 pixels, built from the sums
 * of 4x4 blocks. @noise_var (levels²) is added to C2: contrast and
 * structure differences within the reference's own noise count as little
 * as those within C2 (0 gives the standard SSIM). With @local, the local
 * structure scores of the windows too. */
static gdouble
plane_ssim (const guint8 * a, const guint8 * b, gint w, gint h,
    gdouble noise_var, LocalStructure * local)
{
  const gdouble c1 = (0.01 * 255) * (0.01 * 255) * 64 * 64;
  const gdouble c2 = ((0.03 * 255) * (0.03 * 255) + noise_var) * 64 * 63;
  gint bw = w / 4, bh = h / 4, x, y, i;
  BlockSums *sums;
  gdouble total = 0, added = 0, min_corr = 1;
  guint n = 0;

  if (local != NULL)
    local->added = local->replaced = 0;
  if (bw < 2 || bh < 2) {
    /* too small for a window: PSNR says it all */
    return plane_sse (a, b, (gsize) w * h) == 0 ? 1.0 : 0.0;
  }

  sums = g_new (BlockSums, (gsize) bw * bh);
  block_sums (a, b, w, h, sums);

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
        /* variances and covariance times 64² */
        gdouble va = saa * 64 - sa * sa, vb = sbb * 64 - sb * sb;
        gdouble covar = sab * 64 - sa * sb;

        num = (2 * sa * sb + c1) * (2 * covar + c2);
        den = (sa * sa + sb * sb + c1) * (va + vb + c2);
        if (local != NULL) {
          gdouble f = ADDED_STRUCTURE_FLOOR, g = REPLACED_STRUCTURE_FLOOR;

          /* compared before dividing: most windows change neither */
          if (vb - va > added * (va + f))
            added = (vb - va) / (va + f);
          if (covar + g < min_corr * (sqrt (MAX (va * vb, 0)) + g))
            min_corr = (covar + g) / (sqrt (MAX (va * vb, 0)) + g);
        }
      }
      total += num / den;
      n++;
    }
  }
  g_free (sums);
  if (local != NULL) {
    local->added = added;
    local->replaced = 1 - min_corr;
  }
  return total / n;
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
  LocalStructure local;

  if (n == 0) {
    out->structure_psnr = out->psnr_y;
    out->structure_ssim = out->ssim_y;
    out->half_energy = out->half_structure = 0;
    out->added_structure = out->replaced_structure = 0;
    return;
  }
  half_plane (ref, w, h, half);
  half_plane (rend, w, h, half + n);
  out->structure_psnr = psnr_of_mse (plane_sse (half, half + n, n) / n);
  sigma = noise_sigma (half, hw, hh);
  out->structure_ssim = plane_ssim (half, half + n, hw, hh,
      NOISE_SSIM_FACTOR * sigma * sigma, &local);
  out->added_structure = local.added;
  out->replaced_structure = local.replaced;
  out->half_energy = gst_lp_verify_gradient_energy (half + n, hw, hh);
  out->half_structure =
      gst_lp_verify_structure_energy (gst_lp_verify_gradient_energy (half, hw,
          hh), sigma, &share);
}

/* Streaming thread of @pad: compares a rendition frame with its reference */
gboolean
gst_lp_verify_compare_frames (GstLpVerify * self, GstLpVerifyPad * pad,
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
  out->ssim_y = plane_ssim (rp[0], fp[0], w, h, 0, NULL);
  out->block_error = gst_lp_verify_plane_block_error (rp[0], fp[0], w, h,
      BLOCK_ERROR_SIZE);
  out->noise = noise_sigma (rp[0], w, h);
  out->sharpness = gst_lp_verify_sharpness (rp[0], fp[0], w, h, out->noise,
      &out->noise_share);
  structure_scores (pad->half, rp[0], fp[0], w, h, out);
  out->ref_autocorr =
      gst_lp_verify_reference_correlation (rp[0], pad->half, w, h);
  /* only a noise-like reference's verdict uses them */
  out->coarse_corr = out->detail_corr = NAN;
  if (out->ref_autocorr < NOISE_AUTOCORR) {
    out->coarse_corr =
        gst_lp_verify_coarse_correlation (rp[0], fp[0], w, h, COARSE_SIZE);
    out->detail_corr = gst_lp_verify_detail_correlation (rp[0], fp[0], w, h);
  }

  return TRUE;
}

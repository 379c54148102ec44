/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* The structure scores of a checked frame's Y planes: the block error
 * (largest difference of 16x16 block means), the sharpness (gradient energy
 * against the reference's less its noise's) and the correlations (Pearson,
 * of neighbouring pixels, of block means, of Laplacians) that tell a
 * noise-like reference and judge its renditions. Pure functions of the
 * planes they are given.
 *
 * Threads and locks: called by gst_lp_verify_compare_frames
 * (lpverifyquality.c) in a rendition pad's streaming thread, without LOCK.
 * The per-pixel loops are hot: this plugin is built with -O3
 * (meson.build). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstlpverify-private.h"

#include <math.h>

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
gdouble
gst_lp_verify_plane_block_error (const guint8 * a, const guint8 * b, gint w,
    gint h, gint B)
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
gdouble
gst_lp_verify_coarse_correlation (const guint8 * a, const guint8 * b,
    gint w, gint h, gint B)
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
gdouble
gst_lp_verify_gradient_energy (const guint8 * a, gint w, gint h)
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
gdouble
gst_lp_verify_detail_correlation (const guint8 * a, const guint8 * b,
    gint w, gint h)
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

/* The gradient energy of a reference less what its noise of deviation
 * @sigma contributes to it (4 sigma² for independent pixels: a rendition
 * need not keep grain), but not below NOISE_SHARPNESS_FLOOR of it; the
 * share of the noise in @noise_share (0..1) */
gdouble
gst_lp_verify_structure_energy (gdouble energy, gdouble sigma,
    gdouble * noise_share)
{
  gdouble noise = 4 * sigma * sigma;

  *noise_share = energy > 0 ? MIN (noise / energy, 1.0) : 0;
  return MAX (energy - noise, NOISE_SHARPNESS_FLOOR * energy);
}

/* The rendition's gradient energy over the reference's less its noise's */
gdouble
gst_lp_verify_sharpness (const guint8 * ref, const guint8 * rend, gint w,
    gint h, gdouble sigma, gdouble * noise_share)
{
  gdouble ref_energy =
      gst_lp_verify_structure_energy (gst_lp_verify_gradient_energy (ref, w,
          h), sigma, noise_share);

  if (ref_energy <= 0)
    return 1.0;
  return gst_lp_verify_gradient_energy (rend, w, h) / ref_energy;
}

/* Whether a reference is noise-like: the neighbour correlation of its Y
 * @ref (w x h), or of its structure plane @half, whichever is higher.
 * Grain lowers the first (heavy sensor noise in a dark 720p picture: 0.46),
 * not the second, where its variance is quartered (0.86); detail finer than
 * 2 pixels lowers the second (a zone plate at 256x144: 0.33), not the
 * first (0.77). Pure noise has both near 0. */
gdouble
gst_lp_verify_reference_correlation (const guint8 * ref,
    const guint8 * half, gint w, gint h)
{
  gdouble full = neighbour_correlation (ref, w, h);

  if (w < 4 || h < 2)
    return full;
  return MAX (full, neighbour_correlation (half, w / 2, h / 2));
}

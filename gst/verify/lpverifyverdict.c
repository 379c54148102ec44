/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* The verdict: the lpverify-result message (gst_lp_verify_build_result),
 * with each rendition's entry (rendition_result: its counts, its scores
 * summed up over the frames checked since the last message, the profile,
 * pixel count and transcode-result signature checks, and its verdict and
 * reason). Failures are returned to the caller, which posts them after
 * releasing the lock (gst_lp_verify_post_result in gstlpverify.c).
 *
 * Threads and locks: gst_lp_verify_build_result and what it calls run with
 * LOCK held (gstlpverify-private.h), in whichever streaming thread posts a
 * result; they take the element's and the pads' object locks inside it for
 * the properties. gst_lp_verify_parse_profile takes no lock. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstlpverify-private.h"

#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpprofile.h>
#include <gst/livepeer/lpwire.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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
gboolean
gst_lp_verify_parse_profile (const gchar * spec, const GstVideoInfo * ref,
    guint * width, guint * height, gint * fps_n, gint * fps_d)
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
  gdouble max_added, max_replaced, added, replaced;
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
  max_added = self->max_added_structure;
  max_replaced = self->max_replaced_structure;
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
  added = scores_mean (pad->added_structure, since->checked);
  replaced = scores_mean (pad->replaced_structure, since->checked);
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

    if (!gst_lp_verify_parse_profile (profile, &self->ref_info, &ew, &eh,
            &efn, &efd)) {
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
  if (detail == NULL && noise_like && coarse_corr < min_noise_corr) {
    reason = "noise-correlation";
    detail = g_strdup_printf ("its reference is noise-like and its mean "
        "coarse correlation is %.3f, min-noise-correlation is %.3f",
        coarse_corr, min_noise_corr);
  }
  /* an encoder short of bits keeps less of the noise's fine detail and of
   * its coarse pattern alike; a blur or an upscale keeps the coarse
   * pattern only */
  if (detail == NULL && noise_like && min_noise_corr > -1 &&
      detail_corr < NOISE_DETAIL_SHARE * coarse_corr) {
    reason = "noise-correlation";
    detail = g_strdup_printf ("its reference is noise-like and its mean "
        "detail correlation is %.3f, under %.2f of its coarse correlation, "
        "%.3f", detail_corr, NOISE_DETAIL_SHARE, coarse_corr);
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
  if (detail == NULL && checked && added > max_added) {
    reason = "added-structure";
    detail = g_strdup_printf ("its mean added structure is %.3f (variance "
        "it adds to some 16x16 window of its reference), "
        "max-added-structure is %.3f", added, max_added);
  }
  if (detail == NULL && checked && !noise_like && replaced > max_replaced) {
    reason = "replaced-structure";
    detail = g_strdup_printf ("its mean replaced structure is %.3f (1 less "
        "the lowest correlation of a 16x16 window with its reference's), "
        "max-replaced-structure is %.3f", replaced, max_replaced);
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
      "added-structure-mean", G_TYPE_DOUBLE, added,
      "replaced-structure-mean", G_TYPE_DOUBLE, replaced,
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
GstMessage *
gst_lp_verify_build_result (GstLpVerify * self, gboolean final,
    GList ** failures)
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

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* The frames: the reference's streaming thread (its window of recent
 * frames, trimmed to what the renditions can still match) and each
 * rendition's (matching each frame by running time to the nearest
 * reference frame, which counts unmatched, duplicated and dropped frames,
 * then the frozen and repeated frames on the change grid, with the
 * grain-aware rules, and the scores of every sample-interval-th frame,
 * lpverifyquality.c).
 *
 * Threads and locks: the chain and event functions run in their pad's
 * streaming thread and take LOCK for the shared state
 * (gstlpverify-private.h); the change grid and the frozen/repeat rules
 * (LumaReader .. frame_frozen) run without it, on the fields of the pad
 * that only its streaming thread touches. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstlpverify-private.h"

#include <libavutil/pixfmt.h>
#include <math.h>
#include <string.h>

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
/* ... for pure noise the rendition's change counts as none under
 * 1/FROZEN_NOISE_RATIO of the reference's: pure noise changes by
 * thousands (its whole variance, twice, on the grid), an encoder short of
 * bits renews only a part of it (honest renditions of snow at half a
 * preset bitrate change by 1/16 of it and less on most frames), while a
 * frame that reached the encoder unchanged changes only by what the
 * encoder refines (frozen snow: under 8, 1/250 of the reference's) */
#define FROZEN_NOISE_RATIO 256.0
/* ... and a frame is repeated (a lower frame rate shown at the
 * rendition's) when the rendition changed there by less than
 * 1/REPEAT_RATIO of what it changed on the frame before and on the one
 * after, while the reference's structural change stayed over REPEAT_STEADY
 * of theirs: a repeated frame reaches the encoder unchanged, so whatever
 * grain the encoder refines, the rendition's change dips on that frame
 * alone, while the reference moves on as steadily as before. */
#define REPEAT_RATIO 4.0
#define REPEAT_STEADY 0.5
/* ... and a frame shows another reference frame (shows_other_frame) when
 * the reference frame matched before it or the next one is nearer to it
 * than its own, on the change grid, where the reference's structural
 * change between the two is over SHOWN_NOISE_FACTOR times its temporal
 * noise variance (plus FROZEN_RATIO_REF_MSE), by no more than that change
 * plus the grain the frame may carry (SHOWN_NOISE_FACTOR times the noise
 * variance, plus FROZEN_RATIO_REF_MSE) */
#define SHOWN_NOISE_FACTOR 2.0
/* ... and nearer it by over SHOWN_NEARER of the reference's change between
 * the two (the rendition over 3/4 of the way there) */
#define SHOWN_NEARER 0.5

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
    gst_lp_verify_ref_frame_free (g_queue_pop_head (&self->window));
  }

  head = g_queue_peek_head (&self->window);
  tail = g_queue_peek_tail (&self->window);
  if (head == NULL)
    return FALSE;
  if (self->window.length >= WINDOW_MAX_FRAMES ||
      tail->rt - head->rt >= WINDOW_MAX_TIME) {
    if (any_needs)
      return TRUE;
    gst_lp_verify_ref_frame_free (g_queue_pop_head (&self->window));
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

GstFlowReturn
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
    msg = gst_lp_verify_build_result (self, FALSE, &failures);
  UNLOCK (self);

  if (msg != NULL)
    gst_lp_verify_post_result (self, msg, failures);

push:
  ret = gst_pad_push (self->srcpad, buffer);
  if (ret == GST_FLOW_NOT_LINKED)
    ret = GST_FLOW_OK;
  return ret;
}

gboolean
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
      g_queue_clear_full (&self->window,
          (GDestroyNotify) gst_lp_verify_ref_frame_free);
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
      if (frames > 0 && !self->final_posted &&
          !gst_lp_verify_renditions_done (self)) {
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
        gst_lp_verify_finish_unlock (self);
      }
      break;
    }
    default:
      break;
  }
  return gst_pad_push_event (self->srcpad, event);
}

/* ---- the change grid: frozen and repeated frames (without LOCK) ---- */

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
changed_less (gdouble rendition, gdouble reference, gdouble ratio)
{
  return (reference > FROZEN_REF_MSE && rendition < FROZEN_MSE) ||
      (reference > FROZEN_RATIO_REF_MSE && rendition * ratio < reference);
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

/* Whether a rendition frame @rend shows a neighbouring reference frame
 * S0 @other_ref (the one matched before it, or the one after) rather than
 * its own S1, whose difference from it on the change grid is @own (mean
 * square); @ref is |S0 - S1|² there, @structure the reference's
 * structural change. With R the rendition, own - other = 2 <S0 - S1, R -
 * S1> - |S0 - S1|² (over the points): a rendition that follows its
 * reference has an error R - S1 that does not lean towards S0, so the
 * difference is about -|S0 - S1|², while one that shows S0 has it about
 * +|S0 - S1|². An honest rendition may lag, where the detail that
 * changes is the detail it loses (a mandelbrot zoom at 256x144 sits up
 * to 0.13 |S0 - S1|² nearer the frame before), so R must be nearer S0 by
 * over SHOWN_NEARER of it, over 3/4 of the way there. Grain moves it: a
 * rendition carries some of the grain of the frames it was predicted
 * from (skipped blocks keep an earlier frame's; a B-frame's a later
 * one's too), which leans R - S1 towards those frames by up to 2 x
 * @noise_var. So the structural change must exceed that (and the margin
 * of structure_frozen) for the frame to be judged at all: then no share
 * of carried grain can turn an honest frame's sign, and a frame that
 * shows S0 without its grain is still nearer it by over half of |S0 -
 * S1|². A frame that shows S0 carries at most all of S0's grain, so it
 * is nearer S0 by at most the structural change plus that: a larger
 * difference means an error that leans along the change more than the
 * change itself, structure the rendition lost or aliased (a zone plate
 * sampled one pixel a grid point at 256x144 leans 10 times the change),
 * where nearness tells nothing. Unlike a dip in the rendition's own
 * change (repeated_frame), this holds where an encoder at a low bitrate
 * spreads a repeated frame's change over its neighbours, and it finds the
 * frames a frame-rate conversion showed early. It needs own over
 * SHOWN_NEARER of |S0 - S1|², which spares the comparison on most
 * frames. */
static gboolean
shows_other_frame (const guint8 * rend, gdouble own, const guint8 * other_ref,
    gdouble ref, gdouble structure, gdouble noise_var)
{
  gdouble carried = FROZEN_RATIO_REF_MSE + SHOWN_NOISE_FACTOR * noise_var;
  gdouble other;

  if (structure <= carried || own <= ref * SHOWN_NEARER)
    return FALSE;
  other = grid_change (rend, other_ref);
  GST_LOG ("from its own %.3f, from the other %.3f: %.3f of the change %.3f "
      "(structural %.3f)", own, other, (own - other) / ref, ref, structure);
  return own - other > ref * SHOWN_NEARER &&
      own - other < structure + carried;
}

/* Called by frame_frozen on a grainy (not pure noise) reference, with
 * this frame's changes and whether it is counted already (frozen or
 * late): whether the frame before it was repeated. That one is a
 * candidate when its reference moved clearly (as structure_frozen wants)
 * and it was not counted; the third frame back must be known too. */
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
  gboolean frozen = FALSE, late = FALSE, early = FALSE, repeated = FALSE;
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
    pad->recent_own = -1;
  }
  if (pad->grids > 1) {
    const guint8 *prev_ref = pad->prev_grid + CHANGE_SAMPLES;
    const guint8 *ref_grid = pad->grid + CHANGE_SAMPLES;
    gdouble rend = grid_change (pad->prev_grid, pad->grid);
    gdouble ref, median_var, mean_var, guard_var;
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
    /* ... and the higher of the two to guard against carried grain */
    guard_var = MAX (noise.median_var, pad->noise_median_var);
    pad->noise_median_var = noise.median_var;
    pad->noise_mean_var = noise.mean_var;

    if (mean_var > FROZEN_NOISE_LIKE * noise.spatial_var) {
      /* the noise is the picture (pure noise): all change counts, against
       * FROZEN_NOISE_RATIO; the coarse pictures only for a candidate, most
       * frames are not */
      if (changed_less (rend, ref, FROZEN_NOISE_RATIO)) {
        gdouble rend_coarse = grid_coarse_change (pad->prev_grid, pad->grid);

        frozen = rend_coarse < FROZEN_MSE || rend_coarse * FROZEN_RATIO <
            grid_coarse_change (prev_ref, ref_grid);
      }
      pad->recent_rend[1] = -1;
      pad->recent_candidate = FALSE;
      pad->recent_own = -1;
    } else {
      gdouble structure = ref - 2 * median_var;
      gdouble own = grid_change (pad->grid, ref_grid);

      frozen = structure_frozen (rend, ref, median_var);
      /* this frame against the reference frame before its own, the frame
       * before against this one's (decided one frame late, as repeated) */
      late = !frozen && shows_other_frame (pad->grid, own, prev_ref, ref,
          structure, guard_var);
      early = pad->recent_own >= 0 && !pad->recent_counted &&
          shows_other_frame (pad->prev_grid, pad->recent_own, ref_grid, ref,
          structure, guard_var);
      repeated = previous_repeated (pad, rend, structure, median_var,
          frozen || late);
      pad->recent_own = own;
      pad->recent_counted = frozen || late;
    }
    GST_LOG_OBJECT (pad, "change %.3f, reference %.3f, its noise variance "
        "%.3f (mean %.3f, picture %.3f), from its reference %.3f%s%s%s",
        rend, ref, median_var, mean_var, noise.spatial_var, pad->recent_own,
        frozen ? ": frozen" : "",
        late ? ": late" : "", repeated || early ? ", the frame before "
        "repeated or early" : "");
  }
  if (pad->grids > 0)
    memcpy (pad->prev2_ref, pad->prev_grid + CHANGE_SAMPLES, CHANGE_SAMPLES);
  swap = pad->prev_grid;
  pad->prev_grid = pad->grid;
  pad->grid = swap;
  pad->grids = MIN (pad->grids + 1, 2);
  return (frozen || late ? 1 : 0) + (repeated || early ? 1 : 0);
}

/* ---- the renditions ---- */

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

GstFlowReturn
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

    if (gst_lp_verify_compare_frames (self, pad, &info, buffer, &ref_info,
            ref_buffer, &scores)) {
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
      g_array_append_val (pad->added_structure, scores.added_structure);
      g_array_append_val (pad->replaced_structure, scores.replaced_structure);
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

gboolean
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
          gst_lp_verify_av_format (GST_VIDEO_INFO_FORMAT (&info)) ==
          AV_PIX_FMT_NONE) {
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

        bad_profile = !gst_lp_verify_parse_profile (profile, &info, &w, &h,
            &n, &d);
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
      gst_lp_verify_finish_unlock (self);
      break;
    default:
      break;
  }
  return gst_pad_push_event (pad->srcpad, event);
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A broadcaster's choice of orchestrator for each segment (go-livepeer's
 * session selection, docs/design/architecture.md): a price cap, sticky
 * reuse of a fast orchestrator, stake-weighted random choice among the
 * others, suspension of failing ones. No I/O: the caller discovers
 * orchestrators and reports how each attempt went.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gst/livepeer/lpticket.h>
#include <gst/livepeer/lpuint256.h>

G_BEGIN_DECLS

/* go-livepeer's defaults */
#define LP_SELECTION_DEFAULT_STAKE_WEIGHT 0.7
#define LP_SELECTION_DEFAULT_RANDOM_WEIGHT 0.3
#define LP_SELECTION_DEFAULT_LATENCY_THRESHOLD 1.0
#define LP_SELECTION_DEFAULT_SUSPENSION_REFRESHES 3

/**
 * LP_SELECTION_ERROR:
 *
 * Error domain of lpselection; its codes are #LpSelectionError.
 */
#define LP_SELECTION_ERROR (lp_selection_error_quark ())
GST_LIVEPEER_API
GQuark lp_selection_error_quark (void);

/**
 * LpSelectionError:
 * @LP_SELECTION_ERROR_NO_CANDIDATES: no orchestrator is known at all
 * @LP_SELECTION_ERROR_OVER_PRICE: every known orchestrator asks more than
 *     the price cap (or advertises no price while a cap is set); the
 *     message gives the cheapest price seen and the cap
 * @LP_SELECTION_ERROR_EXHAUSTED: every orchestrator under the cap was
 *     excluded for this segment (already tried)
 *
 * Why lp_selection_pick() found nobody.
 */
typedef enum
{
  LP_SELECTION_ERROR_NO_CANDIDATES,
  LP_SELECTION_ERROR_OVER_PRICE,
  LP_SELECTION_ERROR_EXHAUSTED,
} LpSelectionError;

/**
 * LpSelectionConfig:
 * @max_price: the cap; a @max_price.price_per_unit of 0 means no cap
 * @stake_weight: weight of stake in the random choice
 * @random_weight: weight of the uniform share in the random choice
 * @latency_threshold: a latency score at or under this keeps an
 *     orchestrator sticky
 * @suspension_refreshes: how many lp_selection_refresh() calls a
 *     suspension lasts
 * @seed: seed of the random choice; 0 seeds from the clock
 *
 * lp_selection_config_init() fills go-livepeer's defaults (no cap).
 */
typedef struct
{
  LpPriceInfo max_price;
  gdouble stake_weight;
  gdouble random_weight;
  gdouble latency_threshold;
  guint suspension_refreshes;
  guint32 seed;
} LpSelectionConfig;

GST_LIVEPEER_API
void lp_selection_config_init (LpSelectionConfig * config);

GST_LIVEPEER_API
gboolean lp_price_within_cap (const LpPriceInfo * price,
    const LpPriceInfo * cap);
GST_LIVEPEER_API
gboolean lp_price_more_than_doubled (const LpPriceInfo * initial,
    const LpPriceInfo * current);

/**
 * LpSelection:
 *
 * The orchestrators one stream may use, keyed by URI. Opaque; MT safe
 * (one mutex).
 */
typedef struct _LpSelection LpSelection;

GST_LIVEPEER_API
LpSelection *lp_selection_new (const LpSelectionConfig * config);
GST_LIVEPEER_API
void lp_selection_free (LpSelection * selection);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpSelection, lp_selection_free)

GST_LIVEPEER_API
void lp_selection_update (LpSelection * selection, const gchar * uri,
    const LpUint256 * stake, const LpPriceInfo * price);
GST_LIVEPEER_API
void lp_selection_remove (LpSelection * selection, const gchar * uri);
GST_LIVEPEER_API
gchar *lp_selection_pick (LpSelection * selection,
    const gchar * const *exclude, GError ** error);
GST_LIVEPEER_API
void lp_selection_report_success (LpSelection * selection, const gchar * uri,
    gdouble latency_score);
GST_LIVEPEER_API
void lp_selection_suspend (LpSelection * selection, const gchar * uri);
GST_LIVEPEER_API
gboolean lp_selection_is_suspended (LpSelection * selection,
    const gchar * uri);
GST_LIVEPEER_API
void lp_selection_refresh (LpSelection * selection);
GST_LIVEPEER_API
guint lp_selection_count (LpSelection * selection, gboolean usable_only);

G_END_DECLS

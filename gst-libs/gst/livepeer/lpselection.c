/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:lpselection
 * @title: LpSelection
 * @short_description: the broadcaster's choice of orchestrator per segment
 *
 * #LpSelection holds the orchestrators one stream may use, keyed by URI,
 * each with its stake, its advertised price and the latency score of its
 * last successful segment. lp_selection_pick() chooses one for a segment
 * the way go-livepeer's session manager does (reference go-livepeer.md
 * §7.3):
 *
 * 1. only orchestrators within the price cap and not yet tried for this
 *    segment are usable; of those, the ones not suspended are available
 *    (suspended ones only fill in when nobody else is left, the soonest
 *    to expire first);
 * 2. the last orchestrator picked is reused ("sticky") while its latency
 *    score is known and at or under the threshold;
 * 3. else the available one with the lowest known score, if that score is
 *    at or under the threshold;
 * 4. else a roulette among those with no score yet:
 *    `p(a) = stakeWeight × stake(a) / Σ stake + randomWeight / n`.
 *
 * Suspensions count discovery refreshes (lp_selection_refresh()), as
 * go-livepeer's suspender does. They are kept apart from the candidates,
 * like go-livepeer's suspender map, so that an orchestrator suspended and
 * removed from the pool is still suspended when the next discovery round
 * adds it back.
 *
 * Every function is MT safe: one mutex guards the state and nothing is
 * called out while it is held.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpselection.h"

G_DEFINE_QUARK (lp-selection-error-quark, lp_selection_error);

/* What a report of a latency score of 0 or less is stored as: a score of
 * exactly 0 means "unknown", and a success must count as known. */
#define TINY_LATENCY_SCORE 1e-9

typedef struct
{
  gchar *uri;
  LpUint256 stake;
  /* pixels_per_unit 0: the orchestrator advertised no price */
  LpPriceInfo price;
  /* 0: unknown (no success reported since it was added or suspended) */
  gdouble latency_score;
} Candidate;

struct _LpSelection
{
  GMutex lock;
  LpSelectionConfig config;
  /* uri → Candidate */
  GHashTable *candidates;
  /* uri → guint64 refresh count the suspension lasts until (exclusive) */
  GHashTable *suspensions;
  guint64 refresh_count;
  /* the URI last returned by pick or reported as a success */
  gchar *sticky;
  GRand *rand;
};

/* ---- prices ---- */

/* Compares pn/pd with qn/qd (pd, qd not 0) exactly: the cross products of
 * two 64-bit numbers need 128 bits. */
static gint
price_cmp (guint64 pn, guint64 pd, guint64 qn, guint64 qd)
{
  unsigned __int128 l = (unsigned __int128) pn * qd;
  unsigned __int128 r = (unsigned __int128) qn * pd;

  return (l > r) - (l < r);
}

/**
 * lp_selection_config_init:
 * @config: (out caller-allocates): a configuration
 *
 * Fills @config with go-livepeer's defaults: no price cap (0 wei per 1
 * pixel), stake weight 0.7, random weight 0.3, latency threshold 1.0,
 * suspensions of 3 refreshes, seeded from the clock.
 */
void
lp_selection_config_init (LpSelectionConfig * config)
{
  g_return_if_fail (config != NULL);

  memset (config, 0, sizeof (*config));
  config->max_price.price_per_unit = 0;
  config->max_price.pixels_per_unit = 1;
  config->stake_weight = LP_SELECTION_DEFAULT_STAKE_WEIGHT;
  config->random_weight = LP_SELECTION_DEFAULT_RANDOM_WEIGHT;
  config->latency_threshold = LP_SELECTION_DEFAULT_LATENCY_THRESHOLD;
  config->suspension_refreshes = LP_SELECTION_DEFAULT_SUSPENSION_REFRESHES;
  config->seed = 0;
}

/**
 * lp_price_within_cap:
 * @price: (transfer none): an orchestrator's price
 * @cap: (transfer none): the broadcaster's cap; a price per unit of 0
 *     means no cap, a pixels per unit of 0 counts as 1
 *
 * go-livepeer's filterByMaxPrice, exactly (no floating point):
 * `pricePerUnit / pixelsPerUnit ≤ cap`.
 *
 * Returns: %TRUE when there is no cap, or when @price is valid and at or
 *     under @cap; %FALSE for an invalid @price (0 pixels per unit) under
 *     a cap
 */
gboolean
lp_price_within_cap (const LpPriceInfo * price, const LpPriceInfo * cap)
{
  g_return_val_if_fail (price != NULL && cap != NULL, FALSE);

  if (cap->price_per_unit == 0)
    return TRUE;
  if (price->pixels_per_unit == 0)
    return FALSE;
  return price_cmp (price->price_per_unit, price->pixels_per_unit,
      cap->price_per_unit, cap->pixels_per_unit ? cap->pixels_per_unit : 1)
      <= 0;
}

/**
 * lp_price_more_than_doubled:
 * @initial: (transfer none): an orchestrator's price when the session
 *     started
 * @current: (transfer none): its price now
 *
 * go-livepeer refuses to pay an orchestrator whose price rose above twice
 * the price its session started with (reference go-livepeer.md §5.2).
 * Compared exactly. An @initial price of 0 (or an invalid one) cannot be
 * doubled, so any @current price above 0 counts as more than doubled. An
 * invalid @current price (0 pixels per unit) counts as more than doubled
 * too: nothing shows it has not risen, and the check exists to refuse.
 *
 * Returns: %TRUE when @current > 2 × @initial
 */
gboolean
lp_price_more_than_doubled (const LpPriceInfo * initial,
    const LpPriceInfo * current)
{
  unsigned __int128 now, before;

  g_return_val_if_fail (initial != NULL && current != NULL, FALSE);

  if (current->pixels_per_unit == 0)
    return TRUE;
  if (initial->pixels_per_unit == 0 || initial->price_per_unit == 0)
    return current->price_per_unit > 0;
  /* current.n / current.d > 2 × initial.n / initial.d, over a common
   * denominator; `now − before > before` because 2 × before may need 129
   * bits */
  now = (unsigned __int128) current->price_per_unit * initial->pixels_per_unit;
  before = (unsigned __int128) initial->price_per_unit *
      current->pixels_per_unit;
  return now > before && now - before > before;
}

/* ---- candidates ---- */

static void
candidate_free (Candidate * c)
{
  g_free (c->uri);
  g_free (c);
}

/* The stake as a double, for the roulette's weights only. */
static gdouble
stake_to_double (const LpUint256 * stake)
{
  gdouble d = 0;
  guint i;

  for (i = 0; i < LP_UINT256_SIZE; i++)
    d = d * 256.0 + stake->be[i];
  return d;
}

/* Called with the lock held. */
static gboolean
is_suspended_locked (LpSelection * selection, const gchar * uri)
{
  guint64 *until = g_hash_table_lookup (selection->suspensions, uri);

  return until != NULL && *until > selection->refresh_count;
}

/* Called with the lock held. */
static gboolean
candidate_within_cap (LpSelection * selection, const Candidate * c)
{
  return lp_price_within_cap (&c->price, &selection->config.max_price);
}

static gint
candidate_cmp_uri (gconstpointer a, gconstpointer b)
{
  const Candidate *ca = *(const Candidate * const *) a;
  const Candidate *cb = *(const Candidate * const *) b;

  return strcmp (ca->uri, cb->uri);
}

/* All candidates, ordered by URI so that a seeded pick does not depend on
 * the hash table's order. Called with the lock held. */
static GPtrArray *
sorted_candidates (LpSelection * selection)
{
  GPtrArray *all = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, selection->candidates);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (all, value);
  g_ptr_array_sort (all, candidate_cmp_uri);
  return all;
}

/**
 * lp_selection_new:
 * @config: (transfer none) (nullable): the configuration, copied; %NULL
 *     for lp_selection_config_init()'s defaults
 *
 * Returns: (transfer full): a new, empty #LpSelection
 */
LpSelection *
lp_selection_new (const LpSelectionConfig * config)
{
  LpSelection *selection;

  g_return_val_if_fail (config == NULL || (config->stake_weight >= 0
          && config->random_weight >= 0), NULL);

  selection = g_new0 (LpSelection, 1);
  g_mutex_init (&selection->lock);
  if (config != NULL)
    selection->config = *config;
  else
    lp_selection_config_init (&selection->config);
  selection->candidates = g_hash_table_new_full (g_str_hash, g_str_equal,
      NULL, (GDestroyNotify) candidate_free);
  selection->suspensions = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, g_free);
  if (selection->config.seed != 0)
    selection->rand = g_rand_new_with_seed (selection->config.seed);
  else
    selection->rand = g_rand_new ();
  return selection;
}

/**
 * lp_selection_free:
 * @selection: (transfer full) (nullable): a selection
 *
 * Frees @selection.
 */
void
lp_selection_free (LpSelection * selection)
{
  if (selection == NULL)
    return;
  g_hash_table_unref (selection->candidates);
  g_hash_table_unref (selection->suspensions);
  g_free (selection->sticky);
  g_rand_free (selection->rand);
  g_mutex_clear (&selection->lock);
  g_free (selection);
}

/**
 * lp_selection_update:
 * @selection: a selection
 * @uri: the orchestrator's URI, copied
 * @stake: (transfer none) (nullable): its stake; %NULL for 0
 * @price: (transfer none) (nullable): its advertised price; %NULL, or 0
 *     pixels per unit, for no price (never within a cap)
 *
 * Adds the orchestrator at @uri, or updates its stake and price. An
 * orchestrator already known keeps its latency score and its suspension.
 */
void
lp_selection_update (LpSelection * selection, const gchar * uri,
    const LpUint256 * stake, const LpPriceInfo * price)
{
  Candidate *c;

  g_return_if_fail (selection != NULL);
  g_return_if_fail (uri != NULL);

  g_mutex_lock (&selection->lock);
  c = g_hash_table_lookup (selection->candidates, uri);
  if (c == NULL) {
    c = g_new0 (Candidate, 1);
    c->uri = g_strdup (uri);
    g_hash_table_insert (selection->candidates, c->uri, c);
  }
  if (stake != NULL)
    c->stake = *stake;
  else
    lp_uint256_set_zero (&c->stake);
  if (price != NULL)
    c->price = *price;
  else
    memset (&c->price, 0, sizeof (c->price));
  g_mutex_unlock (&selection->lock);
}

/**
 * lp_selection_remove:
 * @selection: a selection
 * @uri: an orchestrator's URI
 *
 * Forgets the orchestrator at @uri and its latency score; it is no longer
 * sticky. A suspension stays until it expires, so that the orchestrator
 * is still suspended if discovery adds it back. Nothing happens for an
 * unknown @uri.
 */
void
lp_selection_remove (LpSelection * selection, const gchar * uri)
{
  g_return_if_fail (selection != NULL);
  g_return_if_fail (uri != NULL);

  g_mutex_lock (&selection->lock);
  g_hash_table_remove (selection->candidates, uri);
  if (g_strcmp0 (selection->sticky, uri) == 0)
    g_clear_pointer (&selection->sticky, g_free);
  g_mutex_unlock (&selection->lock);
}

/* ---- picking ---- */

/* Sets the OVER_PRICE error, naming the cap and the cheapest price seen.
 * Called with the lock held. */
static void
set_over_price_error (LpSelection * selection, GPtrArray * all,
    GError ** error)
{
  const LpPriceInfo *cap = &selection->config.max_price;
  const Candidate *cheapest = NULL;
  gchar *detail;
  guint i;

  for (i = 0; i < all->len; i++) {
    const Candidate *c = g_ptr_array_index (all, i);

    if (c->price.pixels_per_unit == 0)
      continue;
    if (cheapest == NULL || price_cmp (c->price.price_per_unit,
            c->price.pixels_per_unit, cheapest->price.price_per_unit,
            cheapest->price.pixels_per_unit) < 0)
      cheapest = c;
  }
  if (cheapest != NULL)
    detail = g_strdup_printf ("cheapest: %" G_GUINT64_FORMAT " wei per %"
        G_GUINT64_FORMAT " pixels at %s", cheapest->price.price_per_unit,
        cheapest->price.pixels_per_unit, cheapest->uri);
  else
    detail = g_strdup ("none advertises a price");
  g_set_error (error, LP_SELECTION_ERROR, LP_SELECTION_ERROR_OVER_PRICE,
      "every orchestrator asks more than the cap of %" G_GUINT64_FORMAT
      " wei per %" G_GUINT64_FORMAT " pixels (%s)", cap->price_per_unit,
      cap->pixels_per_unit ? cap->pixels_per_unit : 1, detail);
  g_free (detail);
}

/* The candidates within the cap and not in @exclude, in URI order; %NULL
 * with @error set when there are none. Called with the lock held. */
static GPtrArray *
usable_candidates (LpSelection * selection, const gchar * const *exclude,
    GError ** error)
{
  GPtrArray *all = sorted_candidates (selection);
  GPtrArray *usable = g_ptr_array_new ();
  guint i, n_within = 0;

  for (i = 0; i < all->len; i++) {
    Candidate *c = g_ptr_array_index (all, i);

    if (!candidate_within_cap (selection, c))
      continue;
    n_within++;
    if (exclude == NULL || !g_strv_contains (exclude, c->uri))
      g_ptr_array_add (usable, c);
  }

  if (all->len == 0) {
    g_set_error_literal (error, LP_SELECTION_ERROR,
        LP_SELECTION_ERROR_NO_CANDIDATES, "no orchestrator known");
  } else if (n_within == 0) {
    set_over_price_error (selection, all, error);
  } else if (usable->len == 0) {
    g_set_error (error, LP_SELECTION_ERROR, LP_SELECTION_ERROR_EXHAUSTED,
        "every orchestrator under the price cap was tried for this segment "
        "(%u)", n_within);
  }
  g_ptr_array_unref (all);
  if (usable->len == 0)
    g_clear_pointer (&usable, g_ptr_array_unref);
  return usable;
}

/* Of @usable (not empty), those not suspended; when all are, the ones
 * whose suspension ends first, as go-livepeer fills a shortfall with the
 * least penalised. Called with the lock held. */
static GPtrArray *
available_candidates (LpSelection * selection, GPtrArray * usable)
{
  GPtrArray *available = g_ptr_array_new ();
  guint64 soonest = G_MAXUINT64;
  guint i;

  for (i = 0; i < usable->len; i++) {
    Candidate *c = g_ptr_array_index (usable, i);

    if (!is_suspended_locked (selection, c->uri))
      g_ptr_array_add (available, c);
  }
  if (available->len > 0)
    return available;

  for (i = 0; i < usable->len; i++) {
    Candidate *c = g_ptr_array_index (usable, i);
    guint64 *until = g_hash_table_lookup (selection->suspensions, c->uri);

    soonest = MIN (soonest, *until);
  }
  for (i = 0; i < usable->len; i++) {
    Candidate *c = g_ptr_array_index (usable, i);
    guint64 *until = g_hash_table_lookup (selection->suspensions, c->uri);

    if (*until == soonest)
      g_ptr_array_add (available, c);
  }
  return available;
}

/* A score that keeps an orchestrator in use: known and at or under the
 * threshold. */
static gboolean
score_is_good (LpSelection * selection, gdouble score)
{
  return score > 0 && score <= selection->config.latency_threshold;
}

/* Sticky reuse: the last one picked, if available and still fast. */
static Candidate *
sticky_candidate (LpSelection * selection, GPtrArray * available)
{
  guint i;

  if (selection->sticky == NULL)
    return NULL;
  for (i = 0; i < available->len; i++) {
    Candidate *c = g_ptr_array_index (available, i);

    if (strcmp (c->uri, selection->sticky) == 0)
      return score_is_good (selection, c->latency_score) ? c : NULL;
  }
  return NULL;
}

/* go-livepeer's MinLSSelector: the lowest known score, if good enough. */
static Candidate *
fastest_candidate (LpSelection * selection, GPtrArray * available)
{
  Candidate *best = NULL;
  guint i;

  for (i = 0; i < available->len; i++) {
    Candidate *c = g_ptr_array_index (available, i);

    if (c->latency_score > 0 && (best == NULL
            || c->latency_score < best->latency_score))
      best = c;
  }
  if (best != NULL && score_is_good (selection, best->latency_score))
    return best;
  return NULL;
}

/* Fills @weights with go-livepeer's selection probabilities of @pool
 * (unnormalised); returns their sum. */
static gdouble
roulette_weights (LpSelection * selection, GPtrArray * pool, gdouble * weights)
{
  gdouble total_stake = 0, sum = 0;
  guint i, n = pool->len;

  for (i = 0; i < n; i++) {
    weights[i] = stake_to_double (&((Candidate *)
            g_ptr_array_index (pool, i))->stake);
    total_stake += weights[i];
  }
  for (i = 0; i < n; i++) {
    if (total_stake > 0)
      weights[i] = selection->config.stake_weight * weights[i] / total_stake
          + selection->config.random_weight / n;
    else
      weights[i] = 1.0 / n;
    sum += weights[i];
  }
  /* both weights 0: nothing to go by but chance */
  if (!(sum > 0)) {
    for (i = 0; i < n; i++)
      weights[i] = 1.0 / n;
    sum = 1.0;
  }
  return sum;
}

/* Stake-weighted roulette among those with no score yet; among all of
 * @available when every one has a (bad) score. */
static Candidate *
roulette_candidate (LpSelection * selection, GPtrArray * available)
{
  GPtrArray *pool = g_ptr_array_new ();
  Candidate *chosen;
  gdouble *weights, sum, r;
  guint i;

  for (i = 0; i < available->len; i++) {
    Candidate *c = g_ptr_array_index (available, i);

    if (c->latency_score == 0)
      g_ptr_array_add (pool, c);
  }
  if (pool->len == 0)
    g_ptr_array_extend (pool, available, NULL, NULL);

  weights = g_new (gdouble, pool->len);
  sum = roulette_weights (selection, pool, weights);
  r = g_rand_double (selection->rand) * sum;
  /* the last one also catches rounding in the cumulative sum */
  chosen = g_ptr_array_index (pool, pool->len - 1);
  for (i = 0; i + 1 < pool->len; i++) {
    if (r < weights[i]) {
      chosen = g_ptr_array_index (pool, i);
      break;
    }
    r -= weights[i];
  }
  g_free (weights);
  g_ptr_array_unref (pool);
  return chosen;
}

/**
 * lp_selection_pick:
 * @selection: a selection
 * @exclude: (array zero-terminated=1) (nullable): the URIs already tried
 *     for this segment
 * @error: (nullable): return location for a #GError
 *
 * Chooses the orchestrator for the next attempt at a segment (see the
 * section's description for the rules) and makes it the sticky one.
 *
 * Returns: (transfer full) (nullable): the chosen orchestrator's URI;
 *     %NULL with %LP_SELECTION_ERROR_NO_CANDIDATES when none is known,
 *     %LP_SELECTION_ERROR_OVER_PRICE when every one is over the cap, or
 *     %LP_SELECTION_ERROR_EXHAUSTED when every one under the cap is in
 *     @exclude
 */
gchar *
lp_selection_pick (LpSelection * selection, const gchar * const *exclude,
    GError ** error)
{
  GPtrArray *usable, *available;
  Candidate *chosen;
  gchar *uri = NULL;

  g_return_val_if_fail (selection != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&selection->lock);
  usable = usable_candidates (selection, exclude, error);
  if (usable != NULL) {
    available = available_candidates (selection, usable);
    chosen = sticky_candidate (selection, available);
    if (chosen == NULL)
      chosen = fastest_candidate (selection, available);
    if (chosen == NULL)
      chosen = roulette_candidate (selection, available);
    uri = g_strdup (chosen->uri);
    g_free (selection->sticky);
    selection->sticky = g_strdup (chosen->uri);
    g_ptr_array_unref (available);
    g_ptr_array_unref (usable);
  }
  g_mutex_unlock (&selection->lock);
  return uri;
}

/* ---- outcomes ---- */

/**
 * lp_selection_report_success:
 * @selection: a selection
 * @uri: the orchestrator that transcoded a segment
 * @latency_score: how long it took over the segment's duration (a score
 *     of 0 or less is stored as a tiny positive one: it is known)
 *
 * Records @uri's latency score and makes it the sticky orchestrator.
 * Nothing happens for an unknown @uri.
 */
void
lp_selection_report_success (LpSelection * selection, const gchar * uri,
    gdouble latency_score)
{
  Candidate *c;

  g_return_if_fail (selection != NULL);
  g_return_if_fail (uri != NULL);

  /* also catches NaN */
  if (!(latency_score > 0))
    latency_score = TINY_LATENCY_SCORE;

  g_mutex_lock (&selection->lock);
  c = g_hash_table_lookup (selection->candidates, uri);
  if (c != NULL) {
    c->latency_score = latency_score;
    g_free (selection->sticky);
    selection->sticky = g_strdup (uri);
  }
  g_mutex_unlock (&selection->lock);
}

/**
 * lp_selection_suspend:
 * @selection: a selection
 * @uri: an orchestrator that failed a segment
 *
 * Suspends @uri for the configured number of refreshes (replacing any
 * suspension it had), forgets its latency score and, if it was sticky,
 * unsets that. A suspended orchestrator is picked only when no other is
 * available. @uri need not be known: the suspension applies when it is
 * added.
 */
void
lp_selection_suspend (LpSelection * selection, const gchar * uri)
{
  Candidate *c;
  guint64 *until;

  g_return_if_fail (selection != NULL);
  g_return_if_fail (uri != NULL);

  g_mutex_lock (&selection->lock);
  until = g_new (guint64, 1);
  *until = selection->refresh_count + selection->config.suspension_refreshes;
  g_hash_table_replace (selection->suspensions, g_strdup (uri), until);
  c = g_hash_table_lookup (selection->candidates, uri);
  if (c != NULL)
    c->latency_score = 0;
  if (g_strcmp0 (selection->sticky, uri) == 0)
    g_clear_pointer (&selection->sticky, g_free);
  g_mutex_unlock (&selection->lock);
}

/**
 * lp_selection_is_suspended:
 * @selection: a selection
 * @uri: an orchestrator's URI
 *
 * Returns: %TRUE while @uri's suspension lasts
 */
gboolean
lp_selection_is_suspended (LpSelection * selection, const gchar * uri)
{
  gboolean suspended;

  g_return_val_if_fail (selection != NULL, FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  g_mutex_lock (&selection->lock);
  suspended = is_suspended_locked (selection, uri);
  g_mutex_unlock (&selection->lock);
  return suspended;
}

static gboolean
suspension_expired (gpointer key, gpointer value, gpointer user_data)
{
  return *(guint64 *) value <= *(guint64 *) user_data;
}

/**
 * lp_selection_refresh:
 * @selection: a selection
 *
 * Counts one discovery refresh: suspensions are measured in these. Call
 * it once per refresh of the orchestrator pool.
 */
void
lp_selection_refresh (LpSelection * selection)
{
  g_return_if_fail (selection != NULL);

  g_mutex_lock (&selection->lock);
  selection->refresh_count++;
  g_hash_table_foreach_remove (selection->suspensions, suspension_expired,
      &selection->refresh_count);
  g_mutex_unlock (&selection->lock);
}

/**
 * lp_selection_count:
 * @selection: a selection
 * @usable_only: count only the orchestrators within the price cap and not
 *     suspended
 *
 * Returns: how many orchestrators @selection knows, or how many of them
 *     are usable
 */
guint
lp_selection_count (LpSelection * selection, gboolean usable_only)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (selection != NULL, 0);

  g_mutex_lock (&selection->lock);
  if (!usable_only) {
    n = g_hash_table_size (selection->candidates);
  } else {
    g_hash_table_iter_init (&iter, selection->candidates);
    while (g_hash_table_iter_next (&iter, NULL, &value)) {
      Candidate *c = value;

      if (candidate_within_cap (selection, c)
          && !is_suspended_locked (selection, c->uri))
        n++;
    }
  }
  g_mutex_unlock (&selection->lock);
  return n;
}

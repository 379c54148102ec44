/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lporchestrator's view of the ledger: what the segment path reads of it
 * (the status, whether this node is active, the active set's size, the
 * block hash of the last initialized round, each sender's deposit and
 * reserve, the gas price).
 *
 * On a chain every read is a round trip to the node (the status alone is
 * some twenty eth_calls), which a segment must not wait for: the view
 * keeps a copy, refreshed by the ledger worker ("lporch-ledger") when a
 * new block comes (at most once a second, at least every 5 s; the active
 * set, fixed for a round, once per round), and the server thread and the
 * session workers read the copy. A sender seen for the first time is
 * read once where it comes (a discovery, as go-livepeer's sender monitor
 * does) and then kept fresh by the worker while it is in use; each such
 * read is logged ("ledger read on the request path"). The gas price is
 * read at start and every GAS_PRICE_REFRESH_US after.
 *
 * The embedded ledger is a local SQLite file that follows the wall
 * clock: it is read directly, as before (the view is a pass-through).
 *
 * The view's lock is a leaf: nothing else is taken under it, and no
 * ledger call is made with it held.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstlporchestrator-private.h"

/* the node's gas price is asked again after this long (go-livepeer's gas
 * price monitor polls on a timer too) */
#define GAS_PRICE_REFRESH_US (30 * G_TIME_SPAN_SECOND)
/* a sender not seen for this long is no longer kept fresh */
#define SENDER_IDLE_US (10 * G_TIME_SPAN_MINUTE)

typedef struct
{
  LpSenderInfo info;
  gint64 used_at;               /* g_get_monotonic_time() */
} SenderEntry;

static guint
address_hash (gconstpointer key)
{
  const LpAddress *a = key;
  guint h;

  memcpy (&h, a->bytes + LP_ADDRESS_SIZE - sizeof (h), sizeof (h));
  return h;
}

static gboolean
address_equal (gconstpointer a, gconstpointer b)
{
  return lp_address_equal (a, b);
}

void
ledger_view_init (LedgerView * view)
{
  memset (view, 0, sizeof (*view));
  g_mutex_init (&view->lock);
  view->senders = g_hash_table_new_full (address_hash, address_equal,
      g_free, g_free);
}

/* At stop: nothing read in this run is trusted in the next. */
void
ledger_view_reset (LedgerView * view)
{
  g_mutex_lock (&view->lock);
  g_hash_table_remove_all (view->senders);
  view->remote = FALSE;
  view->valid = FALSE;
  view->has_hash = FALSE;
  lp_uint256_set_zero (&view->gas_price);
  view->gas_price_at = 0;
  view->request_path_reads = 0;
  g_mutex_unlock (&view->lock);
}

void
ledger_view_clear (LedgerView * view)
{
  g_clear_pointer (&view->senders, g_hash_table_unref);
  g_mutex_clear (&view->lock);
}

/* A chain (http:// or https://) is read through the view; the embedded
 * ledger directly. */
static gboolean
ledger_is_remote (const gchar * uri)
{
  return g_str_has_prefix (uri, "http://") || g_str_has_prefix (uri,
      "https://");
}

/* What the view holds of the chain, read outside its lock. */
typedef struct
{
  LpLedgerStatus status;
  gboolean active;
  guint n_active;
  guint8 block_hash[LP_KECCAK256_SIZE];
  gboolean has_hash;
} Snapshot;

static gboolean
read_active (GstLpOrchestrator * self, Snapshot * snap, GError ** error)
{
  LpLedgerOrchestrator info;
  GArray *active;

  memset (&info, 0, sizeof (info));
  if (!lp_ledger_get_orchestrator (self->ledger,
          lp_private_key_get_address (self->key), &info, error))
    return FALSE;
  snap->active = info.active;
  lp_ledger_orchestrator_clear (&info);
  active = lp_ledger_list_orchestrators (self->ledger, TRUE, error);
  if (active == NULL)
    return FALSE;
  snap->n_active = active->len;
  g_array_unref (active);
  return TRUE;
}

/* The block hash is read again only when the last initialized round
 * moved (it never changes for a round). */
static void
read_block_hash (GstLpOrchestrator * self, Snapshot * snap)
{
  LedgerView *view = &self->view;
  guint64 round = snap->status.last_initialized_round;
  GError *error = NULL;

  g_mutex_lock (&view->lock);
  snap->has_hash = view->has_hash && view->hash_round == round;
  if (snap->has_hash)
    memcpy (snap->block_hash, view->block_hash, LP_KECCAK256_SIZE);
  g_mutex_unlock (&view->lock);
  if (snap->has_hash)
    return;
  snap->has_hash = lp_ledger_get_round_block_hash (self->ledger, round,
      snap->block_hash, &error);
  if (!snap->has_hash) {
    GST_DEBUG_OBJECT (self, "block hash of round %" G_GUINT64_FORMAT ": %s",
        round, error->message);
    g_error_free (error);
  }
}

static void
refresh_gas_price (GstLpOrchestrator * self, gboolean force)
{
  LedgerView *view = &self->view;
  gint64 now = g_get_monotonic_time ();
  LpUint256 price;
  GError *error = NULL;
  gboolean due;

  g_mutex_lock (&view->lock);
  due = force || view->gas_price_at == 0
      || now - view->gas_price_at >= GAS_PRICE_REFRESH_US;
  g_mutex_unlock (&view->lock);
  if (!due)
    return;
  if (!lp_ledger_get_gas_price (self->ledger, &price, &error)) {
    /* the last price stays; asked again on the next refresh */
    GST_WARNING_OBJECT (self, "gas price: %s", error->message);
    g_error_free (error);
    return;
  }
  g_mutex_lock (&view->lock);
  if (view->gas_price_at == 0
      || lp_uint256_cmp (&price, &view->gas_price) != 0) {
    gchar *text = lp_uint256_to_string (&price);

    GST_INFO_OBJECT (self, "gas price %s wei (face values are sized with "
        "it)", text);
    g_free (text);
  }
  view->gas_price = price;
  view->gas_price_at = now;
  g_mutex_unlock (&view->lock);
}

/* Reads every sender in use again; forgets those idle too long. */
static void
refresh_senders (GstLpOrchestrator * self)
{
  LedgerView *view = &self->view;
  gint64 now = g_get_monotonic_time ();
  GArray *senders = g_array_new (FALSE, FALSE, sizeof (LpAddress));
  GHashTableIter iter;
  gpointer key, value;
  guint i;

  g_mutex_lock (&view->lock);
  g_hash_table_iter_init (&iter, view->senders);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    SenderEntry *entry = value;

    if (now - entry->used_at > SENDER_IDLE_US)
      g_hash_table_iter_remove (&iter);
    else
      g_array_append_vals (senders, key, 1);
  }
  g_mutex_unlock (&view->lock);
  for (i = 0; i < senders->len; i++) {
    const LpAddress *sender = &g_array_index (senders, LpAddress, i);
    LpSenderInfo info;
    SenderEntry *entry;
    GError *error = NULL;

    if (!lp_ledger_get_sender_info (self->ledger, sender, &info, &error)) {
      GST_WARNING_OBJECT (self, "sender info: %s", error->message);
      g_error_free (error);
      continue;
    }
    g_mutex_lock (&view->lock);
    entry = g_hash_table_lookup (view->senders, sender);
    if (entry != NULL)
      entry->info = info;
    g_mutex_unlock (&view->lock);
  }
  g_array_unref (senders);
}

/**
 * ledger_view_refresh:
 * @status: the ledger's status, just read by the worker
 *
 * The ledger worker's refresh, when a new block came (at most once a
 * second, at least every 5 s): everything the segment path reads; the
 * active set once per round. Returns FALSE (with @error) when the chain
 * could not be read; the view keeps what it had.
 */
gboolean
ledger_view_refresh (GstLpOrchestrator * self, const LpLedgerStatus * status,
    GError ** error)
{
  LedgerView *view = &self->view;
  Snapshot snap;
  gboolean same_round;

  if (!view->remote)
    return TRUE;
  memset (&snap, 0, sizeof (snap));
  snap.status = *status;
  /* the active set is fixed for a round: read again when the round (or
   * its initialization) moved */
  g_mutex_lock (&view->lock);
  same_round = view->valid && view->status.round == status->round
      && view->status.round_initialized == status->round_initialized
      && view->status.last_initialized_round ==
      status->last_initialized_round;
  snap.active = view->active;
  snap.n_active = view->n_active;
  g_mutex_unlock (&view->lock);
  if (!same_round && !read_active (self, &snap, error))
    return FALSE;
  read_block_hash (self, &snap);
  g_mutex_lock (&view->lock);
  view->status = snap.status;
  view->active = snap.active;
  view->n_active = snap.n_active;
  view->has_hash = snap.has_hash;
  if (snap.has_hash) {
    view->hash_round = snap.status.last_initialized_round;
    memcpy (view->block_hash, snap.block_hash, LP_KECCAK256_SIZE);
  }
  view->valid = TRUE;
  g_mutex_unlock (&view->lock);
  refresh_senders (self);
  refresh_gas_price (self, FALSE);
  return TRUE;
}

/**
 * ledger_view_start:
 *
 * At start (NULL->READY): a chain's view is filled before the server
 * answers anybody, so that the first requests find it warm.
 */
gboolean
ledger_view_start (GstLpOrchestrator * self, GError ** error)
{
  LedgerView *view = &self->view;
  LpLedgerStatus status;

  view->remote = ledger_is_remote (self->config.props.ledger_uri);
  if (!view->remote)
    return TRUE;
  refresh_gas_price (self, TRUE);
  return lp_ledger_get_status (self->ledger, &status, error)
      && ledger_view_refresh (self, &status, error);
}

/* A read the request path had to make itself: logged, so that a test
 * (and an operator) sees that the segment path asks the chain nothing
 * once warm. */
static void
log_request_path_read (GstLpOrchestrator * self, const gchar * what)
{
  LedgerView *view = &self->view;

  g_mutex_lock (&view->lock);
  view->request_path_reads++;
  g_mutex_unlock (&view->lock);
  GST_INFO_OBJECT (self, "ledger read on the request path: %s", what);
}

gboolean
ledger_view_status (GstLpOrchestrator * self, LpLedgerStatus * status,
    GError ** error)
{
  LedgerView *view = &self->view;
  gboolean valid;

  if (!view->remote)
    return lp_ledger_get_status (self->ledger, status, error);
  g_mutex_lock (&view->lock);
  valid = view->valid;
  if (valid)
    *status = view->status;
  g_mutex_unlock (&view->lock);
  if (!valid)
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_UNREACHABLE,
        "the chain has not been read yet (is its node up?)");
  return valid;
}

/* go-livepeer refuses payments (and so ticket parameters) while the
 * orchestrator is not in the round's active set: its winners could not be
 * redeemed. */
gboolean
ledger_view_require_active (GstLpOrchestrator * self,
    const LpLedgerStatus * status, GError ** error)
{
  LedgerView *view = &self->view;
  gboolean active;
  gchar address[LP_ADDRESS_TEXT_SIZE];

  if (view->remote) {
    g_mutex_lock (&view->lock);
    active = view->active;
    g_mutex_unlock (&view->lock);
  } else {
    LpLedgerOrchestrator info;

    memset (&info, 0, sizeof (info));
    if (!lp_ledger_get_orchestrator (self->ledger,
            lp_private_key_get_address (self->key), &info, error))
      return FALSE;
    active = info.active;
    lp_ledger_orchestrator_clear (&info);
  }
  if (!active) {
    lp_address_format (lp_private_key_get_address (self->key), address);
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_REFUSED,
        "orchestrator %s is inactive in round %" G_GUINT64_FORMAT
        ", cannot process payments", address, status->round);
  }
  return active;
}

gboolean
ledger_view_active_count (GstLpOrchestrator * self, guint * n_active,
    GError ** error)
{
  LedgerView *view = &self->view;
  GArray *active;

  if (view->remote) {
    g_mutex_lock (&view->lock);
    *n_active = view->n_active;
    g_mutex_unlock (&view->lock);
    return TRUE;
  }
  active = lp_ledger_list_orchestrators (self->ledger, TRUE, error);
  if (active == NULL)
    return FALSE;
  *n_active = active->len;
  g_array_unref (active);
  return TRUE;
}

gboolean
ledger_view_round_block_hash (GstLpOrchestrator * self, guint64 round,
    guint8 hash[LP_KECCAK256_SIZE], GError ** error)
{
  LedgerView *view = &self->view;
  gboolean cached;
  gchar *what;

  if (view->remote) {
    g_mutex_lock (&view->lock);
    cached = view->has_hash && view->hash_round == round;
    if (cached)
      memcpy (hash, view->block_hash, LP_KECCAK256_SIZE);
    g_mutex_unlock (&view->lock);
    if (cached)
      return TRUE;
    what = g_strdup_printf ("block hash of round %" G_GUINT64_FORMAT, round);
    log_request_path_read (self, what);
    g_free (what);
  }
  return lp_ledger_get_round_block_hash (self->ledger, round, hash, error);
}

gboolean
ledger_view_sender_info (GstLpOrchestrator * self, const LpAddress * sender,
    LpSenderInfo * info, GError ** error)
{
  LedgerView *view = &self->view;
  SenderEntry *entry;
  gchar *what, *text;

  if (!view->remote)
    return lp_ledger_get_sender_info (self->ledger, sender, info, error);
  g_mutex_lock (&view->lock);
  entry = g_hash_table_lookup (view->senders, sender);
  if (entry != NULL) {
    entry->used_at = g_get_monotonic_time ();
    *info = entry->info;
  }
  g_mutex_unlock (&view->lock);
  if (entry != NULL)
    return TRUE;

  /* a new sender: read once here, then kept fresh by the worker */
  text = address_text (sender);
  what = g_strdup_printf ("sender info of %s (first seen)", text);
  log_request_path_read (self, what);
  g_free (what);
  g_free (text);
  if (!lp_ledger_get_sender_info (self->ledger, sender, info, error))
    return FALSE;
  entry = g_new0 (SenderEntry, 1);
  entry->info = *info;
  entry->used_at = g_get_monotonic_time ();
  g_mutex_lock (&view->lock);
  g_hash_table_replace (view->senders, g_memdup2 (sender, sizeof (*sender)),
      entry);
  g_mutex_unlock (&view->lock);
  return TRUE;
}

/* The gas price the face value is sized with: the last one read (0 on the
 * embedded ledger, whose operations cost no gas). */
void
ledger_view_gas_price (GstLpOrchestrator * self, LpUint256 * price)
{
  LedgerView *view = &self->view;

  g_mutex_lock (&view->lock);
  *price = view->gas_price;
  g_mutex_unlock (&view->lock);
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lporchestrator's rendition store: where the renditions of a segment
 * sent in go-livepeer's protobuf dialect wait for the broadcaster to
 * download them (`GET /stream/SESSION/PROFILE/SEQ.ts`, the URL its
 * TranscodeResult names, as go-livepeer's orchestrator serves them). Each
 * is kept rendition-lifetime milliseconds, and at most the last
 * STORE_MAX_PER_DIRECTORY of a session and profile (go-livepeer's memory
 * store keeps 12), so a broadcaster that never downloads cannot make it
 * grow without bound.
 *
 * Session workers put, the server thread gets and sweeps: the store has
 * its own lock, taken for table operations only.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstlporchestrator-private.h"

#define STORE_MAX_PER_DIRECTORY 12

struct _RenditionStore
{
  GMutex lock;
  gint64 lifetime_us;
  GHashTable *items;            /* path -> Item* */
  GHashTable *directories;      /* "/stream/SESSION/PROFILE .EXT" -> GQueue of
                                 * paths (owned by @items' keys), oldest
                                 * first */
};

typedef struct
{
  GBytes *data;
  gint64 expires;               /* monotonic */
  gchar *directory;
} Item;

static void
item_free (Item * item)
{
  g_bytes_unref (item->data);
  g_free (item->directory);
  g_free (item);
}

static void
queue_free (GQueue * queue)
{
  g_queue_free (queue);
}

RenditionStore *
rendition_store_new (guint lifetime_ms)
{
  RenditionStore *store = g_new0 (RenditionStore, 1);

  g_mutex_init (&store->lock);
  store->lifetime_us = (gint64) lifetime_ms * 1000;
  store->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) item_free);
  store->directories = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, (GDestroyNotify) queue_free);
  return store;
}

void
rendition_store_free (RenditionStore * store)
{
  if (store == NULL)
    return;
  g_hash_table_unref (store->directories);
  g_hash_table_unref (store->items);
  g_mutex_clear (&store->lock);
  g_free (store);
}

/* Forgets @path (a key of @items) and its place in its directory */
static void
remove_locked (RenditionStore * store, const gchar * path)
{
  gpointer key, value;
  Item *item;
  GQueue *queue;

  if (!g_hash_table_lookup_extended (store->items, path, &key, &value))
    return;
  item = value;
  queue = g_hash_table_lookup (store->directories, item->directory);
  if (queue != NULL) {
    /* the queue holds the table's own keys */
    g_queue_remove (queue, key);
    if (g_queue_is_empty (queue))
      g_hash_table_remove (store->directories, item->directory);
  }
  g_hash_table_remove (store->items, key);
}

static void
sweep_locked (RenditionStore * store, gint64 now)
{
  GHashTableIter iter;
  gpointer key, value;
  GPtrArray *expired = g_ptr_array_new ();
  guint i;

  g_hash_table_iter_init (&iter, store->items);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((Item *) value)->expires <= now)
      g_ptr_array_add (expired, key);
  for (i = 0; i < expired->len; i++)
    remove_locked (store, g_ptr_array_index (expired, i));
  g_ptr_array_free (expired, TRUE);
}

/* Keeps @data at /stream/@session/@profile/@seq.@extension ("ts" for a
 * rendition or a job's video, "json" for a job's metadata) and returns
 * that path (free it). A rendition already there (the same segment sent
 * again) is replaced. The last STORE_MAX_PER_DIRECTORY of each extension
 * are kept. */
gchar *
rendition_store_put (RenditionStore * store, const gchar * session,
    const gchar * profile, guint64 seq, const gchar * extension, GBytes * data)
{
  gchar *directory = g_strdup_printf ("/stream/%s/%s .%s", session, profile,
      extension);
  gchar *path = g_strdup_printf ("/stream/%s/%s/%" G_GUINT64_FORMAT ".%s",
      session, profile, seq, extension);
  gchar *key = g_strdup (path);
  Item *item = g_new0 (Item, 1);
  GQueue *queue;

  item->data = g_bytes_ref (data);
  item->directory = directory;
  g_mutex_lock (&store->lock);
  item->expires = g_get_monotonic_time () + store->lifetime_us;
  remove_locked (store, path);
  queue = g_hash_table_lookup (store->directories, directory);
  if (queue == NULL) {
    queue = g_queue_new ();
    g_hash_table_insert (store->directories, g_strdup (directory), queue);
  }
  while (g_queue_get_length (queue) >= STORE_MAX_PER_DIRECTORY)
    remove_locked (store, g_queue_peek_head (queue));
  /* the directory may have gone with its last entry */
  queue = g_hash_table_lookup (store->directories, directory);
  if (queue == NULL) {
    queue = g_queue_new ();
    g_hash_table_insert (store->directories, g_strdup (directory), queue);
  }
  g_hash_table_insert (store->items, key, item);
  g_queue_push_tail (queue, key);
  g_mutex_unlock (&store->lock);
  return path;
}

/* The content type of what the store keeps at @path */
const gchar *
rendition_content_type (const gchar * path)
{
  return g_str_has_suffix (path, ".json") ? "application/json" : "video/MP2T";
}

/* The rendition at @path, NULL when there is none or it has expired */
GBytes *
rendition_store_get (RenditionStore * store, const gchar * path)
{
  GBytes *data = NULL;
  Item *item;

  g_mutex_lock (&store->lock);
  item = g_hash_table_lookup (store->items, path);
  if (item != NULL && item->expires > g_get_monotonic_time ())
    data = g_bytes_ref (item->data);
  g_mutex_unlock (&store->lock);
  return data;
}

/* Deletes what has expired; the server thread calls it every second */
gboolean
rendition_store_sweep (gpointer data)
{
  RenditionStore *store = data;

  g_mutex_lock (&store->lock);
  sweep_locked (store, g_get_monotonic_time ());
  g_mutex_unlock (&store->lock);
  return G_SOURCE_CONTINUE;
}

guint
rendition_store_count (RenditionStore * store)
{
  guint n;

  g_mutex_lock (&store->lock);
  n = g_hash_table_size (store->items);
  g_mutex_unlock (&store->lock);
  return n;
}

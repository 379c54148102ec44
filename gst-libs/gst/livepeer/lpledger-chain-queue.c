/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * The chain ledger's durable queue of winning tickets: a small SQLite file
 * of the orchestrator's own (the chain knows nothing of tickets until they
 * are redeemed). A ticket stays queued until its redemption is confirmed
 * (receipt status 1) or definitively refused; handled tickets are
 * remembered by hash so that queueing one again changes nothing, as the
 * embedded ledger does with its redeemed tickets. WAL and a busy timeout
 * let several processes share the file; a mutex serializes this process's
 * threads on the one connection.
 */
#include "lpledger-chain-private.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#define QUEUE_BUSY_TIMEOUT_MS 10000

struct _LpChainQueue
{
  gchar *path;
  sqlite3 *db;
  GMutex lock;
};

/* The whole LpWinningTicket per row, as the embedded ledger keeps it; seq
 * keeps the order tickets came in. */
static const gchar queue_schema_sql[] =
    "CREATE TABLE IF NOT EXISTS queued_tickets (seq INTEGER PRIMARY KEY,"
    "  hash BLOB NOT NULL UNIQUE, recipient BLOB NOT NULL, sender BLOB NOT"
    "  NULL, face_value BLOB NOT NULL, win_prob BLOB NOT NULL, sender_nonce"
    "  INTEGER NOT NULL, recipient_rand_hash BLOB NOT NULL, creation_round"
    "  INTEGER NOT NULL, creation_round_block_hash BLOB NOT NULL, sig BLOB"
    "  NOT NULL, recipient_rand BLOB NOT NULL, params_expiration_block"
    "  INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS queued_tickets_recipient ON queued_tickets"
    "  (recipient);"
    "CREATE TABLE IF NOT EXISTS handled_tickets (hash BLOB PRIMARY KEY);";

static gboolean
queue_error (LpChainQueue * queue, const gchar * what, GError ** error)
{
  g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_STORAGE,
      "Ticket queue %s: %s: %s", queue->path, what,
      queue->db != NULL ? sqlite3_errmsg (queue->db) : "cannot open");
  return FALSE;
}

LpChainQueue *
lp_chain_queue_open (const gchar * path, GError ** error)
{
  LpChainQueue *queue = g_new0 (LpChainQueue, 1);
  g_autofree gchar *dir = g_path_get_dirname (path);

  queue->path = g_strdup (path);
  g_mutex_init (&queue->lock);
  if (g_mkdir_with_parents (dir, 0700) != 0) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_STORAGE,
        "Ticket queue %s: cannot create its folder: %s", path,
        g_strerror (errno));
    lp_chain_queue_free (queue);
    return NULL;
  }
  if (sqlite3_open_v2 (path, &queue->db, SQLITE_OPEN_READWRITE
          | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK
      || (sqlite3_busy_timeout (queue->db, QUEUE_BUSY_TIMEOUT_MS),
          sqlite3_exec (queue->db, "PRAGMA journal_mode = WAL; "
              "PRAGMA synchronous = FULL;", NULL, NULL, NULL) != SQLITE_OK)
      || sqlite3_exec (queue->db, queue_schema_sql, NULL, NULL,
          NULL) != SQLITE_OK) {
    queue_error (queue, "cannot open", error);
    lp_chain_queue_free (queue);
    return NULL;
  }
  return queue;
}

void
lp_chain_queue_free (LpChainQueue * queue)
{
  if (queue == NULL)
    return;
  if (queue->db != NULL)
    sqlite3_close (queue->db);
  g_mutex_clear (&queue->lock);
  g_free (queue->path);
  g_free (queue);
}

const gchar *
lp_chain_queue_path (LpChainQueue * queue)
{
  return queue->path;
}

static void
bind_blob (sqlite3_stmt * stmt, gint index, const guint8 * data, gsize size)
{
  sqlite3_bind_blob (stmt, index, data, (int) size, SQLITE_TRANSIENT);
}

static void
column_blob (sqlite3_stmt * stmt, gint index, guint8 * out, gsize size)
{
  const void *blob = sqlite3_column_blob (stmt, index);

  memset (out, 0, size);
  if (blob != NULL && (gsize) sqlite3_column_bytes (stmt, index) == size)
    memcpy (out, blob, size);
}

/* Runs the write @stmt (bound) and finalizes it */
static gboolean
step_write (LpChainQueue * queue, sqlite3_stmt * stmt, GError ** error)
{
  gint rc = sqlite3_step (stmt);

  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return queue_error (queue, "cannot write", error);
  return TRUE;
}

static gboolean
is_handled (LpChainQueue * queue, const guint8 hash[LP_TICKET_HASH_SIZE],
    gboolean * handled, GError ** error)
{
  sqlite3_stmt *stmt = NULL;
  gint rc;

  if (sqlite3_prepare_v2 (queue->db, "SELECT 1 FROM handled_tickets WHERE "
          "hash = ?", -1, &stmt, NULL) != SQLITE_OK)
    return queue_error (queue, "cannot read", error);
  bind_blob (stmt, 1, hash, LP_TICKET_HASH_SIZE);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return queue_error (queue, "cannot read", error);
  *handled = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
insert_ticket (LpChainQueue * queue, const LpWinningTicket * winner,
    const guint8 hash[LP_TICKET_HASH_SIZE], gboolean * added, GError ** error)
{
  const LpTicket *t = &winner->ticket;
  sqlite3_stmt *stmt = NULL;

  /* queued already: the first copy stays (the recipient checked both) */
  if (sqlite3_prepare_v2 (queue->db, "INSERT INTO queued_tickets (hash, "
          "recipient, sender, face_value, win_prob, sender_nonce, "
          "recipient_rand_hash, creation_round, creation_round_block_hash, "
          "sig, recipient_rand, params_expiration_block) VALUES (?, ?, ?, ?, "
          "?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING", -1, &stmt,
          NULL) != SQLITE_OK)
    return queue_error (queue, "cannot write", error);
  bind_blob (stmt, 1, hash, LP_TICKET_HASH_SIZE);
  bind_blob (stmt, 2, t->recipient.bytes, LP_ADDRESS_SIZE);
  bind_blob (stmt, 3, t->sender.bytes, LP_ADDRESS_SIZE);
  bind_blob (stmt, 4, t->face_value.be, LP_UINT256_SIZE);
  bind_blob (stmt, 5, t->win_prob.be, LP_UINT256_SIZE);
  sqlite3_bind_int64 (stmt, 6, t->sender_nonce);
  bind_blob (stmt, 7, t->recipient_rand_hash, LP_KECCAK256_SIZE);
  /* SQLite integers are signed: the 64 bits go through unchanged */
  sqlite3_bind_int64 (stmt, 8, (gint64) t->expiration_params.creation_round);
  bind_blob (stmt, 9, t->expiration_params.creation_round_block_hash,
      LP_KECCAK256_SIZE);
  bind_blob (stmt, 10, winner->sig, LP_SIGNATURE_SIZE);
  bind_blob (stmt, 11, winner->recipient_rand.be, LP_UINT256_SIZE);
  sqlite3_bind_int64 (stmt, 12, (gint64) winner->params_expiration_block);
  if (!step_write (queue, stmt, error))
    return FALSE;
  *added = sqlite3_changes (queue->db) > 0;
  return TRUE;
}

gboolean
lp_chain_queue_add (LpChainQueue * queue, const LpWinningTicket * winner,
    gboolean * added, GError ** error)
{
  guint8 hash[LP_TICKET_HASH_SIZE];
  gboolean handled = FALSE, ok;

  *added = FALSE;
  lp_ticket_hash (&winner->ticket, hash);
  g_mutex_lock (&queue->lock);
  ok = is_handled (queue, hash, &handled, error);
  if (ok && !handled)
    ok = insert_ticket (queue, winner, hash, added, error);
  g_mutex_unlock (&queue->lock);
  return ok;
}

static void
read_row (sqlite3_stmt * stmt, LpWinningTicket * w)
{
  LpTicket *t = &w->ticket;

  /* padding too: callers may compare whole structs */
  memset (w, 0, sizeof (*w));
  column_blob (stmt, 0, t->recipient.bytes, LP_ADDRESS_SIZE);
  column_blob (stmt, 1, t->sender.bytes, LP_ADDRESS_SIZE);
  column_blob (stmt, 2, t->face_value.be, LP_UINT256_SIZE);
  column_blob (stmt, 3, t->win_prob.be, LP_UINT256_SIZE);
  t->sender_nonce = (guint32) sqlite3_column_int64 (stmt, 4);
  column_blob (stmt, 5, t->recipient_rand_hash, LP_KECCAK256_SIZE);
  t->expiration_params.creation_round =
      (guint64) sqlite3_column_int64 (stmt, 6);
  column_blob (stmt, 7, t->expiration_params.creation_round_block_hash,
      LP_KECCAK256_SIZE);
  column_blob (stmt, 8, w->sig, LP_SIGNATURE_SIZE);
  column_blob (stmt, 9, w->recipient_rand.be, LP_UINT256_SIZE);
  w->params_expiration_block = (guint64) sqlite3_column_int64 (stmt, 10);
}

GArray *
lp_chain_queue_list (LpChainQueue * queue, const LpAddress * recipient,
    GError ** error)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (LpWinningTicket));
  sqlite3_stmt *stmt = NULL;
  gint rc = SQLITE_ERROR;

  g_mutex_lock (&queue->lock);
  if (sqlite3_prepare_v2 (queue->db, "SELECT recipient, sender, face_value, "
          "win_prob, sender_nonce, recipient_rand_hash, creation_round, "
          "creation_round_block_hash, sig, recipient_rand, "
          "params_expiration_block FROM queued_tickets WHERE ?1 IS NULL OR "
          "recipient = ?1 ORDER BY seq", -1, &stmt, NULL) == SQLITE_OK) {
    if (recipient != NULL)
      bind_blob (stmt, 1, recipient->bytes, LP_ADDRESS_SIZE);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
      LpWinningTicket w;

      read_row (stmt, &w);
      g_array_append_val (out, w);
    }
  }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE) {
    queue_error (queue, "cannot read", error);
    g_clear_pointer (&out, g_array_unref);
  }
  g_mutex_unlock (&queue->lock);
  return out;
}

static gboolean
exec_with_hash (LpChainQueue * queue, const gchar * sql,
    const guint8 hash[LP_TICKET_HASH_SIZE], GError ** error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (queue->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return queue_error (queue, "cannot write", error);
  bind_blob (stmt, 1, hash, LP_TICKET_HASH_SIZE);
  return step_write (queue, stmt, error);
}

gboolean
lp_chain_queue_remove (LpChainQueue * queue,
    const guint8 hash[LP_TICKET_HASH_SIZE], gboolean done, gboolean * removed,
    GError ** error)
{
  gboolean ok;

  g_mutex_lock (&queue->lock);
  /* both or neither: a crash cannot leave a handled ticket queued */
  ok = sqlite3_exec (queue->db, "BEGIN IMMEDIATE", NULL, NULL,
      NULL) == SQLITE_OK || queue_error (queue, "cannot write", error);
  ok = ok && exec_with_hash (queue, "DELETE FROM queued_tickets WHERE "
      "hash = ?", hash, error);
  if (ok && removed != NULL)
    *removed = sqlite3_changes (queue->db) > 0;
  if (ok && done)
    ok = exec_with_hash (queue, "INSERT OR IGNORE INTO handled_tickets "
        "(hash) VALUES (?)", hash, error);
  if (ok)
    ok = sqlite3_exec (queue->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK
        || queue_error (queue, "cannot write", error);
  if (!ok)
    sqlite3_exec (queue->db, "ROLLBACK", NULL, NULL, NULL);
  g_mutex_unlock (&queue->lock);
  return ok;
}

static int
collect_check_row (void *data, int n, char **values, char **names)
{
  g_string_append_printf (data, "%s%s", ((GString *) data)->len ? "; " : "",
      n > 0 && values[0] != NULL ? values[0] : "?");
  return 0;
}

gboolean
lp_chain_queue_check (LpChainQueue * queue, GString * report,
    GError ** error)
{
  g_autoptr (GString) result = g_string_new (NULL);
  gboolean ok;

  g_mutex_lock (&queue->lock);
  ok = sqlite3_exec (queue->db, "PRAGMA quick_check", collect_check_row,
      result, NULL) == SQLITE_OK;
  g_mutex_unlock (&queue->lock);
  if (!ok)
    return queue_error (queue, "cannot check", error);
  if (g_strcmp0 (result->str, "ok") != 0) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_DAMAGED,
        "Ticket queue %s is damaged (SQLite quick_check: %s): restore a "
        "backup", queue->path, result->str);
    return FALSE;
  }
  if (report != NULL)
    g_string_append_printf (report, "ok ticket queue: SQLite quick_check "
        "of %s\n", queue->path);
  return TRUE;
}

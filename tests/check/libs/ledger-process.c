/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The embedded ledger across processes (ARCHITECTURE.md §4: "a crash at any
 * point leaves either the whole operation or none"; several processes on
 * one file):
 *
 * - crash safety: a child redeems winning tickets and bonds, unbonds and
 *   rebonds on the ledger file until the test SIGKILLs it after a random
 *   short delay; after every kill the file is reopened, audited, and every
 *   ticket the child was given is redeemed once or not at all, the child's
 *   acknowledged redemptions are all there, a replay is refused without
 *   changing anything, the rest can still be redeemed, and the money adds
 *   up (sender's deposit + reserve down by exactly what was paid; the
 *   delegator's LPT conserved);
 * - concurrency: two processes on one file at once, one redeeming, one
 *   bonding, unbonding, rebonding and claiming; neither sees an error (a
 *   busy database must never surface), and the books add up afterwards.
 *
 * Set LP_TEST_SEED to replay the random kill delays of a failed run.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "lpcheck.h"
#include <gst/livepeer/lpledger.h>

#define CRASH_ITERATIONS 8
#define CRASH_BATCH 1500        /* tickets per child, more than it can do */
#define CRASH_MIN_DELAY_US 3000
#define CRASH_MAX_DELAY_US 200000
#define CRASH_CHILD_MAX_US (5 * G_USEC_PER_SEC)
#define REDEEM_AFTER_CRASH 3    /* redeemed by the parent after each kill */

#define CONCURRENT_TICKETS 3000
#define CONCURRENT_STAKE_STEPS 4500
#define CONCURRENT_DEADLINE_US (25 * G_USEC_PER_SEC)

/* ------------------------------------------------------------------------ */
/* the ledger under test                                                    */
/* ------------------------------------------------------------------------ */

typedef struct
{
  gchar *dir;
  gchar *path;
  LpPrivateKey *sender_key;
  LpAddress sender;
  LpAddress orch;
  LpAddress deleg;
  LpUint256 face;
  LpUint256 stake_step;         /* what each bond / unbond moves */
  LpUint256 funded;             /* deposit + reserve at the start */
  LpUint256 deleg_lpt;          /* the delegator's LPT, all forms */
  guint64 round;
  guint64 round_length;
  guint64 block;
  guint8 block_hash[LP_KECCAK256_SIZE];
} Fixture;

typedef struct
{
  LpWinningTicket ticket;
  guint8 hash[LP_TICKET_HASH_SIZE];
} Ticket;

static void
u256 (const gchar * text, LpUint256 * value)
{
  GError *error = NULL;

  fail_unless (lp_uint256_parse (text, value, &error), "%s: %s", text,
      error ? error->message : "");
}

static gchar *
u256_str (const LpUint256 * value)
{
  return lp_uint256_to_string (value);
}

#define assert_u256_eq(a, b, what) G_STMT_START {                         \
  if (!lp_uint256_equal ((a), (b))) {                                     \
    gchar *sa = u256_str (a), *sb = u256_str (b);                         \
    fail ("%s: %s != %s", what, sa, sb);                                  \
    g_free (sa);                                                          \
    g_free (sb);                                                          \
  }                                                                       \
} G_STMT_END

#define assert_ok(ok, error, what) G_STMT_START {                         \
  if (!(ok))                                                              \
    fail ("%s failed: %s", what, (error) ? (error)->message : "(no error)"); \
} G_STMT_END

static void
add_u256 (LpUint256 * sum, const LpUint256 * value)
{
  fail_unless (lp_uint256_add (sum, value, sum, NULL));
}

static void
genesis_account (LpLedgerGenesis * genesis, const LpAddress * address,
    const gchar * lpt, const gchar * eth)
{
  GError *error = NULL;

  fail_unless (lp_test_genesis_add (genesis, address, lpt, eth, &error),
      "%s", error ? error->message : "");
}

/* A fresh ledger file: orchestrator O registered and active in the
 * current round, delegator D bonded to it, sender S funded. The ledger is
 * closed again before returning, so that children can be forked. */
static void
fixture_init (Fixture * f, const gchar * deposit, const gchar * reserve)
{
  LpLedgerGenesis *genesis;
  LpLedger *ledger;
  LpLedgerStatus status;
  LpUint256 dep, res, self_bond, deleg_bond;
  GError *error = NULL;

  memset (f, 0, sizeof (*f));
  f->dir = g_dir_make_tmp ("ledger-process-XXXXXX", &error);
  assert_ok (f->dir != NULL, error, "temporary directory");
  f->path = g_build_filename (f->dir, "devnet.db", NULL);
  f->sender_key = lp_private_key_generate (&error);
  assert_ok (f->sender_key != NULL, error, "sender key");
  f->sender = *lp_private_key_get_address (f->sender_key);
  memset (f->orch.bytes, 0x0a, LP_ADDRESS_SIZE);
  memset (f->deleg.bytes, 0xde, LP_ADDRESS_SIZE);
  u256 ("1e15", &f->face);
  u256 ("1e18", &f->stake_step);
  u256 ("1000000e18", &f->deleg_lpt);
  u256 ("100000e18", &self_bond);
  u256 ("100000e18", &deleg_bond);
  u256 (deposit, &dep);
  u256 (reserve, &res);
  f->funded = dep;
  add_u256 (&f->funded, &res);

  genesis = lp_ledger_genesis_new ();
  lp_ledger_params_init_devnet (&genesis->params);
  genesis->params.block_time_ms = 0;
  genesis->params.fee_asset = LP_FEE_ASSET_ETH;
  f->round_length = genesis->params.round_length;
  genesis_account (genesis, &f->sender, "0", "1000e18");
  genesis_account (genesis, &f->orch, "1000000e18", "0");
  genesis_account (genesis, &f->deleg, "1000000e18", "0");

  ledger = lp_ledger_create (f->path, genesis, &error);
  assert_ok (ledger != NULL, error, "lp_ledger_create");
  lp_ledger_genesis_free (genesis);

  /* genesis may already have initialized its round */
  assert_ok (lp_ledger_get_status (ledger, &status, &error), error, "status");
  if (!status.round_initialized)
    assert_ok (lp_ledger_initialize_round (ledger, &error), error,
        "initialize_round");
  assert_ok (lp_ledger_bond (ledger, &f->orch, &f->orch, &self_bond, &error),
      error, "self-bond");
  assert_ok (lp_ledger_register_orchestrator (ledger, &f->orch, 100000,
          500000, "https://127.0.0.1:8935", &error), error, "register");
  assert_ok (lp_ledger_bond (ledger, &f->deleg, &f->orch, &deleg_bond,
          &error), error, "delegator bond");
  assert_ok (lp_ledger_advance (ledger, f->round_length, &error), error,
      "advance");
  assert_ok (lp_ledger_initialize_round (ledger, &error), error,
      "initialize_round");
  assert_ok (lp_ledger_fund (ledger, &f->sender, &dep, &res, &error), error,
      "fund");

  assert_ok (lp_ledger_get_status (ledger, &status, &error), error, "status");
  fail_unless (status.round_initialized);
  f->round = status.round;
  f->block = status.block;
  assert_ok (lp_ledger_get_round_block_hash (ledger, f->round, f->block_hash,
          &error), error, "round block hash");
  {
    LpLedgerOrchestrator info;

    memset (&info, 0, sizeof (info));
    assert_ok (lp_ledger_get_orchestrator (ledger, &f->orch, &info, &error),
        error, "get_orchestrator");
    fail_unless (info.registered && info.active,
        "the orchestrator is not active in round %" G_GUINT64_FORMAT,
        f->round);
    lp_ledger_orchestrator_clear (&info);
  }
  g_object_unref (ledger);
}

static void
fixture_clear (Fixture * f)
{
  const gchar *suffix[] = { "", "-wal", "-shm", "-journal" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (suffix); i++) {
    gchar *p = g_strconcat (f->path, suffix[i], NULL);

    g_unlink (p);
    g_free (p);
  }
  g_rmdir (f->dir);
  lp_private_key_unref (f->sender_key);
  g_free (f->path);
  g_free (f->dir);
}

static LpLedger *
fixture_open (Fixture * f)
{
  GError *error = NULL;
  LpLedger *ledger = lp_ledger_open (f->path, &error);

  assert_ok (ledger != NULL, error, "lp_ledger_open");
  return ledger;
}

/* a winning ticket from S to O, valid in the fixture's round */
static void
make_ticket (Fixture * f, guint32 nonce, Ticket * t)
{
  LpWinningTicket *w = &t->ticket;
  guint8 rand[32];
  GError *error = NULL;

  memset (t, 0, sizeof (*t));
  w->ticket.recipient = f->orch;
  w->ticket.sender = f->sender;
  w->ticket.face_value = f->face;
  lp_uint256_set_max (&w->ticket.win_prob);
  w->ticket.sender_nonce = nonce % LP_TICKET_MAX_NONCES + 1;
  assert_ok (lp_crypto_random_bytes (rand, sizeof (rand), &error), error,
      "random");
  lp_uint256_from_bytes32 (rand, &w->recipient_rand);
  lp_ticket_recipient_rand_hash (&w->recipient_rand,
      w->ticket.recipient_rand_hash);
  w->ticket.expiration_params.creation_round = f->round;
  memcpy (w->ticket.expiration_params.creation_round_block_hash,
      f->block_hash, LP_KECCAK256_SIZE);
  w->params_expiration_block = f->block;
  assert_ok (lp_ticket_sign (&w->ticket, f->sender_key, w->sig, &error),
      error, "sign");
  lp_ticket_hash (&w->ticket, t->hash);
}

static guint
hash32_hash (gconstpointer key)
{
  const guint8 *b = key;

  return b[0] | b[1] << 8 | b[2] << 16 | (guint) b[3] << 24;
}

static gboolean
hash32_equal (gconstpointer a, gconstpointer b)
{
  return memcmp (a, b, LP_TICKET_HASH_SIZE) == 0;
}

/* ------------------------------------------------------------------------ */
/* the children: they report through a pipe, never through check           */
/* ------------------------------------------------------------------------ */

typedef enum
{
  REC_OPENED = 1,
  REC_STARTED,
  REC_REDEEMED,
  REC_STAKED,
  REC_REFUSED,
  REC_ERROR,
  REC_DONE,
} RecordKind;

typedef struct
{
  guint32 kind;
  guint32 index;
  gint64 time_us;               /* g_get_monotonic_time (): one clock for all */
} Record;

static void
child_report (int fd, RecordKind kind, guint32 index)
{
  Record r = { kind, index, g_get_monotonic_time () };
  const guint8 *p = (const guint8 *) &r;
  gsize left = sizeof (r);

  while (left > 0) {
    ssize_t n = write (fd, p, left);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      _exit (4);
    p += n;
    left -= n;
  }
}

/* anything but a refusal ends the child with a message on stderr */
static void
child_check (int fd, gboolean ok, GError * error, const gchar * what,
    guint32 index)
{
  if (ok)
    return;
  if (error && g_error_matches (error, LP_LEDGER_ERROR,
          LP_LEDGER_ERROR_REFUSED)) {
    g_printerr ("child %d: %s %u refused: %s\n", (int) getpid (), what,
        index, error->message);
    child_report (fd, REC_REFUSED, index);
    g_error_free (error);
    return;
  }
  g_printerr ("child %d: %s %u failed: %s (%s %d)\n", (int) getpid (), what,
      index, error ? error->message : "no error set",
      error ? g_quark_to_string (error->domain) : "-", error ? error->code : 0);
  child_report (fd, REC_ERROR, index);
  _exit (3);
}

/* one step of D's bond → unbond → rebond cycle; every step should pass */
static void
child_stake_step (LpLedger * ledger, Fixture * f, guint32 step,
    guint64 * lock, int fd)
{
  GError *error = NULL;
  gboolean ok;

  switch (step % 3) {
    case 0:
      ok = lp_ledger_bond (ledger, &f->deleg, &f->orch, &f->stake_step,
          &error);
      child_check (fd, ok, error, "bond", step);
      break;
    case 1:
      ok = lp_ledger_unbond (ledger, &f->deleg, &f->stake_step, lock, &error);
      child_check (fd, ok, error, "unbond", step);
      break;
    default:
      ok = lp_ledger_rebond (ledger, &f->deleg, NULL, *lock, &error);
      child_check (fd, ok, error, "rebond", step);
      break;
  }
  if (ok)
    child_report (fd, REC_STAKED, step);
}

static LpLedger *
child_open (Fixture * f, int fd)
{
  GError *error = NULL;
  LpLedger *ledger = lp_ledger_open (f->path, &error);

  child_check (fd, ledger != NULL, error, "open", 0);
  child_report (fd, REC_OPENED, 0);
  return ledger;
}

static void
child_redeem (LpLedger * ledger, Ticket * t, guint32 index, int fd)
{
  LpRedemption red;
  GError *error = NULL;
  gboolean ok;

  ok = lp_ledger_redeem_winning_ticket (ledger, &t->ticket, &red, &error);
  child_check (fd, ok, error, "redeem", index);
  if (ok)
    child_report (fd, REC_REDEEMED, index);
}

/* redeem the tickets in order, a stake step after every fourth; then stake
 * steps until killed (or CRASH_CHILD_MAX_US) */
static void G_GNUC_NORETURN
crash_child (Fixture * f, Ticket * tickets, guint n, int fd)
{
  LpLedger *ledger = child_open (f, fd);
  gint64 end = g_get_monotonic_time () + CRASH_CHILD_MAX_US;
  guint64 lock = 0;
  guint32 step = 0;
  guint i;

  for (i = 0; i < n; i++) {
    child_redeem (ledger, &tickets[i], i, fd);
    if (i % 4 == 3)
      child_stake_step (ledger, f, step++, &lock, fd);
  }
  while (g_get_monotonic_time () < end)
    child_stake_step (ledger, f, step++, &lock, fd);
  child_report (fd, REC_DONE, 0);
  _exit (0);
}

static void
wait_for_go (int go_fd)
{
  gchar c;

  while (read (go_fd, &c, 1) < 0 && errno == EINTR);
}

static void G_GNUC_NORETURN
redeemer_child (Fixture * f, Ticket * tickets, guint n, int fd, int go_fd)
{
  LpLedger *ledger = child_open (f, fd);
  guint i;

  wait_for_go (go_fd);
  child_report (fd, REC_STARTED, 0);
  for (i = 0; i < n; i++)
    child_redeem (ledger, &tickets[i], i, fd);
  child_report (fd, REC_DONE, 0);
  _exit (0);
}

static void G_GNUC_NORETURN
staker_child (Fixture * f, guint steps, int fd, int go_fd)
{
  LpLedger *ledger = child_open (f, fd);
  guint64 lock = 0;
  guint32 step;

  wait_for_go (go_fd);
  child_report (fd, REC_STARTED, 0);
  for (step = 0; step < steps; step++) {
    child_stake_step (ledger, f, step, &lock, fd);
    if (step % 3 == 2) {
      /* the orchestrator's own claim touches what redemptions touch */
      GError *error = NULL;
      gboolean ok = lp_ledger_claim_earnings (ledger, &f->orch, &error);

      child_check (fd, ok, error, "claim_earnings", step);
    }
  }
  child_report (fd, REC_DONE, 0);
  _exit (0);
}

/* ------------------------------------------------------------------------ */
/* the parent's side                                                        */
/* ------------------------------------------------------------------------ */

typedef struct
{
  int fd;                       /* -1 at EOF */
  GArray *records;
  gsize partial_len;
  guint8 partial[sizeof (Record)];
} Reader;

static void
reader_init (Reader * r, int fd)
{
  r->fd = fd;
  r->records = g_array_new (FALSE, FALSE, sizeof (Record));
  r->partial_len = 0;
}

static void
reader_clear (Reader * r)
{
  if (r->fd >= 0)
    close (r->fd);
  g_array_unref (r->records);
}

static void
reader_read (Reader * r)
{
  guint8 buf[4096];
  ssize_t n = read (r->fd, buf, sizeof (buf));
  ssize_t i;

  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return;
  if (n <= 0) {
    close (r->fd);
    r->fd = -1;
    return;
  }
  for (i = 0; i < n; i++) {
    r->partial[r->partial_len++] = buf[i];
    if (r->partial_len == sizeof (Record)) {
      g_array_append_vals (r->records, r->partial, 1);
      r->partial_len = 0;
    }
  }
}

/* read what the readers' children write until @deadline (monotonic µs;
 * -1: until every pipe is closed) or until @until returns TRUE */
static void
readers_drain (Reader ** readers, guint n, gint64 deadline,
    gboolean (*until) (Reader ** readers, guint n))
{
  for (;;) {
    struct pollfd fds[4];
    guint i, n_fds = 0;
    gint timeout = -1;

    if (until && until (readers, n))
      return;
    for (i = 0; i < n; i++) {
      if (readers[i]->fd < 0)
        continue;
      fds[n_fds].fd = readers[i]->fd;
      fds[n_fds].events = POLLIN;
      fds[n_fds].revents = 0;
      n_fds++;
    }
    if (n_fds == 0)
      return;
    if (deadline >= 0) {
      gint64 left = deadline - g_get_monotonic_time ();

      if (left <= 0)
        return;
      timeout = (gint) ((left + 999) / 1000);
    }
    if (poll (fds, n_fds, timeout) < 0 && errno != EINTR)
      fail ("poll: %s", g_strerror (errno));
    for (i = 0; i < n; i++)
      if (readers[i]->fd >= 0) {
        guint j;

        for (j = 0; j < n_fds; j++)
          if (fds[j].fd == readers[i]->fd && fds[j].revents)
            reader_read (readers[i]);
      }
  }
}

static guint
reader_count (Reader * r, RecordKind kind)
{
  guint i, count = 0;

  for (i = 0; i < r->records->len; i++)
    if (g_array_index (r->records, Record, i).kind == kind)
      count++;
  return count;
}

static const Record *
reader_find (Reader * r, RecordKind kind)
{
  guint i;

  for (i = 0; i < r->records->len; i++)
    if (g_array_index (r->records, Record, i).kind == kind)
      return &g_array_index (r->records, Record, i);
  return NULL;
}

static pid_t
fork_or_fail (void)
{
  pid_t pid = fork ();

  fail_unless (pid >= 0, "fork: %s", g_strerror (errno));
  return pid;
}

/* what the books say */
typedef struct
{
  GHashTable *redeemed;         /* ticket hash → count (GUINT_TO_POINTER) */
  guint n_redeemed;
  LpUint256 paid;
  LpSenderInfo sender;
} Books;

static void
books_clear (Books * b)
{
  g_clear_pointer (&b->redeemed, g_hash_table_unref);
}

static guint
books_count (Books * b, const Ticket * t)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (b->redeemed, t->hash));
}

/* Audits the ledger and checks the totals: every redeemed ticket is one of
 * @known (ticket hash → Ticket), listed once, paid at most its face value;
 * S's deposit + reserve went down by exactly what was paid; D's LPT is all
 * there (balance + bonded + unbonding locks: no rewards were minted); O's
 * total stake is its self-bond plus D's bond. */
static void
check_books (Fixture * f, LpLedger * ledger, GHashTable * known, Books * b)
{
  GString *report = g_string_new (NULL);
  GError *error = NULL;
  GArray *list;
  LpAccountInfo d, o;
  LpUint256 remaining, total;
  guint i;

  memset (b, 0, sizeof (*b));
  if (!lp_ledger_audit (ledger, report, &error))
    fail ("audit failed: %s\n%s", error ? error->message : "(no error)",
        report->str);
  g_string_free (report, TRUE);

  list = lp_ledger_list_redeemed_tickets (ledger, &f->orch, &error);
  assert_ok (list != NULL, error, "list_redeemed_tickets");
  b->redeemed = g_hash_table_new (hash32_hash, hash32_equal);
  lp_uint256_set_zero (&b->paid);
  for (i = 0; i < list->len; i++) {
    LpRedeemedTicket *rt = &g_array_index (list, LpRedeemedTicket, i);
    Ticket *t = g_hash_table_lookup (known, rt->ticket_hash);
    guint count;

    fail_unless (t != NULL, "the ledger lists a ticket nobody made");
    count = books_count (b, t);
    fail_unless (count == 0, "ticket %u (nonce %u) is listed twice", i,
        t->ticket.ticket.sender_nonce);
    g_hash_table_insert (b->redeemed, t->hash, GUINT_TO_POINTER (1));
    fail_unless (lp_address_equal (&rt->sender, &f->sender));
    fail_unless (lp_address_equal (&rt->recipient, &f->orch));
    assert_u256_eq (&rt->face_value, &f->face, "listed face value");
    fail_unless (lp_uint256_cmp (&rt->paid, &f->face) <= 0,
        "a ticket paid more than its face value");
    fail_unless_equals_uint64 (rt->round, f->round);
    add_u256 (&b->paid, &rt->paid);
  }
  b->n_redeemed = list->len;
  g_array_unref (list);

  memset (&b->sender, 0, sizeof (b->sender));
  assert_ok (lp_ledger_get_sender_info (ledger, &f->sender, &b->sender,
          &error), error, "get_sender_info");
  remaining = b->sender.deposit;
  add_u256 (&remaining, &b->sender.reserve);
  total = remaining;
  add_u256 (&total, &b->paid);
  assert_u256_eq (&total, &f->funded,
      "deposit + reserve + paid against what was funded");

  memset (&d, 0, sizeof (d));
  memset (&o, 0, sizeof (o));
  assert_ok (lp_ledger_get_account (ledger, &f->deleg, &d, &error), error,
      "get_account (delegator)");
  assert_ok (lp_ledger_get_account (ledger, &f->orch, &o, &error), error,
      "get_account (orchestrator)");
  total = d.lpt;
  add_u256 (&total, &d.bonded);
  for (i = 0; d.locks && i < d.locks->len; i++)
    add_u256 (&total, &g_array_index (d.locks, LpUnbondingLock, i).amount);
  assert_u256_eq (&total, &f->deleg_lpt,
      "delegator's balance + bonded + unbonding");
  fail_unless (lp_address_equal (&d.delegate, &f->orch));
  total = o.bonded;
  add_u256 (&total, &d.bonded);
  assert_u256_eq (&o.delegated, &total,
      "orchestrator's stake against its self-bond + the delegator's bond");
  lp_account_info_clear (&d);
  lp_account_info_clear (&o);
}

static gboolean
sender_info_equal (const LpSenderInfo * a, const LpSenderInfo * b)
{
  return lp_uint256_equal (&a->deposit, &b->deposit)
      && lp_uint256_equal (&a->reserve, &b->reserve)
      && a->withdraw_round == b->withdraw_round;
}

static GRand *
test_rand (void)
{
  const gchar *env = g_getenv ("LP_TEST_SEED");
  guint32 seed = env ? (guint32) g_ascii_strtoull (env, NULL, 10) :
      (guint32) g_get_real_time ();

  GST_INFO ("LP_TEST_SEED=%u", seed);
  g_printerr ("ledger-process: LP_TEST_SEED=%u\n", seed);
  return g_rand_new_with_seed (seed);
}

/* ------------------------------------------------------------------------ */

GST_START_TEST (test_crash_safety)
{
  Fixture f;
  GRand *rand = test_rand ();
  GHashTable *known = g_hash_table_new (hash32_hash, hash32_equal);
  GPtrArray *batches = g_ptr_array_new_with_free_func (g_free);
  guint expected_redeemed = 0, iter, killed_mid_work = 0;

  fixture_init (&f, "3e18", "20e18");

  for (iter = 0; iter < CRASH_ITERATIONS; iter++) {
    Ticket *batch = g_new0 (Ticket, CRASH_BATCH);
    Reader reader, *readers[1] = { &reader };
    gint64 delay;
    LpLedger *ledger;
    Books books, after;
    LpRedemption red;
    GError *error = NULL;
    gint status, last_ack = -1, first_unredeemed = -1;
    guint i, acked, in_ledger = 0, redeemed_here = 0;
    pid_t pid;
    int p[2];
    const Ticket *replay = NULL;

    for (i = 0; i < CRASH_BATCH; i++) {
      make_ticket (&f, iter * CRASH_BATCH + i, &batch[i]);
      g_hash_table_insert (known, batch[i].hash, &batch[i]);
    }
    g_ptr_array_add (batches, batch);

    fail_unless (pipe (p) == 0);
    pid = fork_or_fail ();
    if (pid == 0) {
      close (p[0]);
      crash_child (&f, batch, CRASH_BATCH, p[1]);
    }
    close (p[1]);
    reader_init (&reader, p[0]);
    delay = g_rand_int_range (rand, CRASH_MIN_DELAY_US, CRASH_MAX_DELAY_US);
    readers_drain (readers, 1, g_get_monotonic_time () + delay, NULL);
    kill (pid, SIGKILL);
    fail_unless (waitpid (pid, &status, 0) == pid);
    readers_drain (readers, 1, -1, NULL);

    fail_unless (reader_count (&reader, REC_ERROR) == 0,
        "the child failed (see its message above)");
    fail_unless (reader_count (&reader, REC_REFUSED) == 0,
        "the child saw a refusal (see its message above)");
    fail_unless ((WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL)
        || (WIFEXITED (status) && WEXITSTATUS (status) == 0),
        "child ended with status 0x%x", status);
    acked = reader_count (&reader, REC_REDEEMED);
    for (i = 0; i < reader.records->len; i++) {
      Record *r = &g_array_index (reader.records, Record, i);

      if (r->kind == REC_REDEEMED) {
        fail_unless_equals_int (r->index, last_ack + 1);
        last_ack = r->index;
      }
    }

    /* reopen after the crash: the books balance, nothing lost, nothing
     * twice */
    ledger = fixture_open (&f);
    check_books (&f, ledger, known, &books);
    for (i = 0; i < CRASH_BATCH; i++) {
      guint count = books_count (&books, &batch[i]);

      if (count == 1) {
        in_ledger++;
        fail_unless (first_unredeemed < 0, "iteration %u: ticket %u is "
            "redeemed but ticket %d before it is not", iter, i,
            first_unredeemed);
      } else if (first_unredeemed < 0) {
        first_unredeemed = i;
      }
    }
    /* every acknowledged redemption is there; at most the one in flight
     * beyond them */
    fail_unless (in_ledger >= acked, "iteration %u: the child saw %u "
        "redemptions commit but the ledger has %u", iter, acked, in_ledger);
    fail_unless (in_ledger <= acked + 1, "iteration %u: %u redeemed, %u "
        "acknowledged", iter, in_ledger, acked);
    expected_redeemed += in_ledger;
    fail_unless_equals_int (books.n_redeemed, expected_redeemed);
    if (in_ledger > 0 && first_unredeemed >= 0)
      killed_mid_work++;
    GST_INFO ("iteration %u: killed after %" G_GINT64_FORMAT " us, %u "
        "redeemed (%u acknowledged), %u stake steps", iter, delay, in_ledger,
        acked, reader_count (&reader, REC_STAKED));

    /* a replay is refused and changes nothing */
    if (in_ledger > 0)
      replay = &batch[in_ledger - 1];
    else if (iter > 0)
      replay = &((Ticket *) g_ptr_array_index (batches, 0))[0];
    if (replay && books_count (&books, replay) == 1) {
      gboolean ok = lp_ledger_redeem_winning_ticket (ledger, &replay->ticket,
          &red, &error);

      fail_if (ok, "a redeemed ticket was redeemed again");
      fail_unless (g_error_matches (error, LP_LEDGER_ERROR,
              LP_LEDGER_ERROR_TICKET_USED), "replay: %s", error->message);
      g_clear_error (&error);
      check_books (&f, ledger, known, &after);
      fail_unless (sender_info_equal (&books.sender, &after.sender),
          "a refused replay changed the sender's funds");
      fail_unless_equals_int (after.n_redeemed, books.n_redeemed);
      assert_u256_eq (&after.paid, &books.paid, "paid after a replay");
      books_clear (&after);
    }

    /* the tickets the child did not get to are still good */
    for (i = in_ledger; i < CRASH_BATCH && redeemed_here < REDEEM_AFTER_CRASH;
        i++, redeemed_here++) {
      LpUint256 paid;

      assert_ok (lp_ledger_redeem_winning_ticket (ledger, &batch[i].ticket,
              &red, &error), error, "redeeming a ticket left by the child");
      fail_unless (memcmp (red.ticket_hash, batch[i].hash,
              LP_TICKET_HASH_SIZE) == 0);
      paid = red.from_deposit;
      add_u256 (&paid, &red.from_reserve);
      fail_unless (lp_uint256_cmp (&paid, &f.face) <= 0);
    }
    expected_redeemed += redeemed_here;
    books_clear (&books);
    check_books (&f, ledger, known, &books);
    fail_unless_equals_int (books.n_redeemed, expected_redeemed);
    books_clear (&books);
    g_object_unref (ledger);
    reader_clear (&reader);
  }
  GST_INFO ("%u of %u kills landed between redemptions", killed_mid_work,
      CRASH_ITERATIONS);
  /* the kills must have hit a working child at least once, or this test
   * tested nothing */
  fail_unless (expected_redeemed > CRASH_ITERATIONS * REDEEM_AFTER_CRASH,
      "no child redeemed anything before it was killed");

  g_hash_table_unref (known);
  g_ptr_array_unref (batches);
  g_rand_free (rand);
  fixture_clear (&f);
}

GST_END_TEST;

static gboolean
all_opened (Reader ** readers, guint n)
{
  guint i;

  for (i = 0; i < n; i++)
    if (!reader_find (readers[i], REC_OPENED)
        && !reader_find (readers[i], REC_ERROR) && readers[i]->fd >= 0)
      return FALSE;
  return TRUE;
}

GST_START_TEST (test_two_processes)
{
  Fixture f;
  GHashTable *known = g_hash_table_new (hash32_hash, hash32_equal);
  Ticket *tickets = g_new0 (Ticket, CONCURRENT_TICKETS);
  Reader ra, rb, *readers[2] = { &ra, &rb };
  const Record *start_a, *end_a, *start_b, *end_b;
  pid_t pids[2];
  gint status[2];
  int pa[2], pb[2], go[2];
  LpLedger *ledger;
  Books books;
  guint i;

  fixture_init (&f, "2e18", "2e18");
  for (i = 0; i < CONCURRENT_TICKETS; i++) {
    make_ticket (&f, i, &tickets[i]);
    g_hash_table_insert (known, tickets[i].hash, &tickets[i]);
  }

  fail_unless (pipe (pa) == 0 && pipe (pb) == 0 && pipe (go) == 0);
  pids[0] = fork_or_fail ();
  if (pids[0] == 0) {
    close (pa[0]);
    close (pb[0]);
    close (pb[1]);
    close (go[1]);
    redeemer_child (&f, tickets, CONCURRENT_TICKETS, pa[1], go[0]);
  }
  pids[1] = fork_or_fail ();
  if (pids[1] == 0) {
    close (pa[0]);
    close (pa[1]);
    close (pb[0]);
    close (go[1]);
    staker_child (&f, CONCURRENT_STAKE_STEPS, pb[1], go[0]);
  }
  close (pa[1]);
  close (pb[1]);
  close (go[0]);
  reader_init (&ra, pa[0]);
  reader_init (&rb, pb[0]);

  /* both open the file, then both start at once */
  readers_drain (readers, 2, g_get_monotonic_time () + 10 * G_USEC_PER_SEC,
      all_opened);
  close (go[1]);
  readers_drain (readers, 2, g_get_monotonic_time () + CONCURRENT_DEADLINE_US,
      NULL);
  if (ra.fd >= 0 || rb.fd >= 0) {
    kill (pids[0], SIGKILL);
    kill (pids[1], SIGKILL);
  }
  for (i = 0; i < 2; i++)
    fail_unless (waitpid (pids[i], &status[i], 0) == pids[i]);
  fail_unless (ra.fd < 0 && rb.fd < 0, "the children did not finish in "
      "%d s (redeemed %u, staked %u)", (int) (CONCURRENT_DEADLINE_US / 1000000),
      reader_count (&ra, REC_REDEEMED), reader_count (&rb, REC_STAKED));

  fail_unless (reader_count (&ra, REC_ERROR) == 0,
      "the redeeming process failed (see its message above)");
  fail_unless (reader_count (&rb, REC_ERROR) == 0,
      "the staking process failed (see its message above)");
  fail_unless (reader_count (&ra, REC_REFUSED) == 0,
      "a fresh ticket was refused (see the message above)");
  fail_unless (reader_count (&rb, REC_REFUSED) == 0,
      "a stake step was refused (see the message above)");
  for (i = 0; i < 2; i++)
    fail_unless (WIFEXITED (status[i]) && WEXITSTATUS (status[i]) == 0,
        "child %u ended with status 0x%x", i, status[i]);
  fail_unless_equals_int (reader_count (&ra, REC_REDEEMED),
      CONCURRENT_TICKETS);
  fail_unless_equals_int (reader_count (&rb, REC_STAKED),
      CONCURRENT_STAKE_STEPS);

  /* they did run at the same time */
  start_a = reader_find (&ra, REC_STARTED);
  end_a = reader_find (&ra, REC_DONE);
  start_b = reader_find (&rb, REC_STARTED);
  end_b = reader_find (&rb, REC_DONE);
  fail_unless (start_a && end_a && start_b && end_b);
  GST_INFO ("redeemer %.3f s, staker %.3f s",
      (end_a->time_us - start_a->time_us) / 1e6,
      (end_b->time_us - start_b->time_us) / 1e6);
  fail_unless (start_a->time_us < end_b->time_us
      && start_b->time_us < end_a->time_us,
      "the two processes did not overlap");

  ledger = fixture_open (&f);
  check_books (&f, ledger, known, &books);
  fail_unless_equals_int (books.n_redeemed, CONCURRENT_TICKETS);
  for (i = 0; i < CONCURRENT_TICKETS; i++)
    fail_unless_equals_int (books_count (&books, &tickets[i]), 1);
  {
    /* every bond → unbond → rebond cycle leaves D with one more LPT
     * bonded */
    LpAccountInfo d;
    LpUint256 expected, step;
    GError *error = NULL;

    memset (&d, 0, sizeof (d));
    assert_ok (lp_ledger_get_account (ledger, &f.deleg, &d, &error), error,
        "get_account");
    u256 ("100000e18", &expected);
    lp_uint256_from_uint64 (CONCURRENT_STAKE_STEPS / 3, &step);
    fail_unless (lp_uint256_mul (&step, &f.stake_step, &step, NULL));
    add_u256 (&expected, &step);
    assert_u256_eq (&d.bonded, &expected, "delegator's bond after the cycles");
    lp_account_info_clear (&d);
  }
  books_clear (&books);
  g_object_unref (ledger);

  reader_clear (&ra);
  reader_clear (&rb);
  g_hash_table_unref (known);
  g_free (tickets);
  fixture_clear (&f);
}

GST_END_TEST;

static Suite *
ledger_process_suite (void)
{
  Suite *s = suite_create ("ledger-process");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();
  /* each test stays under ~30 s on a 2-core machine */
  tcase_set_timeout (tc, 60);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_crash_safety);
  tcase_add_test (tc, test_two_processes);

  return s;
}

GST_CHECK_MAIN (ledger_process);

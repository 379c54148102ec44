/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * bench-tickets: how many tickets an orchestrator validates per second on
 * one core, against the floor of that work, a bare libsecp256k1 public key
 * recovery plus the Keccak-256 of the key, measured in the same run.
 *
 * By default each validated ticket is a one-ticket payment (the worst
 * case: every per-payment cost lands on one ticket) with a fresh nonce,
 * run through lp_recipient_receive_payment() in full: recipientRand derivation
 * (HMAC-SHA256) and its hash, the ticket hash, signature recovery, the
 * winning test, the nonce set, and the credit. The tickets are signed
 * beforehand (600 per parameter set, the protocol's cap), outside the
 * timing. Both loops run alternately ROUNDS times; the best round of each
 * counts.
 *
 *   bench-tickets [TICKETS [PER_PAYMENT]]   (defaults 30000 and 1)
 *
 * PER_PAYMENT tickets go in each payment (a 2 s 720p+360p segment at
 * 1200 wei/pixel takes 11 tickets of 8e9 wei).
 *
 * Prints both rates and their ratio; the target is a ratio >= 0.9.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <gst/livepeer/lprecipient.h>
#include <gst/livepeer/lpsender.h>
#include <gst/livepeer/lpwire.h>

#include "lptest.h"

#define ROUNDS 3

typedef struct
{
  LpRecipient *recipient;
  GPtrArray *payments;          /* per_payment tickets each */
  guint n;                      /* tickets in all */
  LpSenderInfo info;
  /* the same signatures, for the raw loop */
  guint8 (*digests)[32];
  guint8 (*sigs)[65];
} Bench;

/* all the tickets, signed, and a recipient that issued their params */
static void
prepare (Bench * b, guint n, guint per_payment)
{
  LpPrivateKey *key = lp_private_key_generate (NULL);
  LpSender *sender = lp_sender_new (key, NULL);
  LpPriceInfo price = { 1200, 1 };
  LpExpirationParams exp = { 3000, {0x44} };
  LpAddress o;
  LpUint256 gas;
  GError *error = NULL;
  guint made = 0;

  memset (o.bytes, 0x11, sizeof (o.bytes));
  lp_uint256_parse ("1e7", &gas, NULL);
  b->recipient = lp_recipient_new (&o, NULL, NULL, &error);
  if (b->recipient == NULL)
    lp_test_die ("recipient", error);
  memset (&b->info, 0, sizeof (b->info));
  lp_uint256_parse ("1e18", &b->info.deposit, NULL);
  lp_uint256_parse ("1e18", &b->info.reserve, NULL);
  b->info.last_initialized_round = 3000;
  b->info.last_seen_block = 1000;

  b->payments = g_ptr_array_new_with_free_func ((GDestroyNotify)
      lp_payment_free);
  b->digests = g_malloc_n (n, 32);
  b->sigs = g_malloc_n (n, 65);
  while (made < n) {
    guint batch = MIN (n - made, LP_WIRE_MAX_TICKETS_PER_PAYMENT), i;
    LpTicketParams params;
    LpPayment *all;
    gchar *session;

    if (!lp_recipient_ticket_params (b->recipient,
            lp_private_key_get_address (key), &price, &gas, NULL, 1000, &exp,
            &params, &error))
      lp_test_die ("ticket params", error);
    session = lp_sender_start_session (sender, &params, &price, &error);
    if (session == NULL)
      lp_test_die ("session", error);
    all = lp_sender_create_payment (sender, session, batch, &b->info, &error);
    if (all == NULL)
      lp_test_die ("payment", error);
    for (i = 0; i < batch; i++) {
      LpTicketSenderParams *tsp =
          &g_array_index (all->tickets, LpTicketSenderParams, i);
      guint8 hash[32];
      LpTicket t;

      if (i % per_payment == 0) {
        LpPayment *one = lp_payment_new ();
        GArray *tickets = one->tickets;

        *one = *all;
        one->tickets = tickets;
        g_ptr_array_add (b->payments, one);
      }
      g_array_append_val (((LpPayment *) g_ptr_array_index (b->payments,
                  b->payments->len - 1))->tickets, *tsp);

      lp_payment_get_ticket (all, i, &t);
      lp_ticket_hash (&t, hash);
      lp_personal_digest (hash, b->digests[made + i]);
      memcpy (b->sigs[made + i], tsp->sig, 65);
    }
    lp_payment_free (all);
    g_free (session);
    made += batch;
  }
  b->n = n;
  lp_sender_free (sender);
  lp_private_key_unref (key);
}

/* full validation of each ticket; the recipient is fresh each round so
 * every nonce is fresh */
static gdouble
run_validation (Bench * b)
{
  gint64 start, end;
  guint i, credited;
  GError *error = NULL;

  start = g_get_monotonic_time ();
  for (i = 0; i < b->payments->len; i++) {
    LpPayment *p = g_ptr_array_index (b->payments, i);

    if (!lp_recipient_receive_payment (b->recipient, p, "bench", &b->info,
            &credited, NULL, &error) || credited != p->tickets->len)
      lp_test_die ("validation", error);
  }
  end = g_get_monotonic_time ();
  return b->n / ((end - start) / 1e6);
}

/* the floor: recover the public key, hash it to an address */
static gdouble
run_raw (Bench * b, const secp256k1_context * ctx)
{
  gint64 start, end;
  guint i;
  guint8 check = 0;

  start = g_get_monotonic_time ();
  for (i = 0; i < b->n; i++) {
    secp256k1_ecdsa_recoverable_signature sig;
    secp256k1_pubkey pubkey;
    guint8 serialized[65], address[32];
    size_t length = sizeof (serialized);

    if (!secp256k1_ecdsa_recoverable_signature_parse_compact (ctx, &sig,
            b->sigs[i], b->sigs[i][64] - 27)
        || !secp256k1_ecdsa_recover (ctx, &pubkey, &sig, b->digests[i]))
      lp_test_die ("raw recovery", NULL);
    secp256k1_ec_pubkey_serialize (ctx, serialized, &length, &pubkey,
        SECP256K1_EC_UNCOMPRESSED);
    lp_keccak256 (serialized + 1, 64, address);
    check ^= address[31];
  }
  end = g_get_monotonic_time ();
  /* keep the work observable */
  if (check == 0 && b->n == 0)
    printf (" ");
  return b->n / ((end - start) / 1e6);
}

int
main (int argc, char **argv)
{
  secp256k1_context *ctx = secp256k1_context_create (SECP256K1_CONTEXT_NONE);
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 30000;
  guint per_payment = argc > 2 ?
      (guint) g_ascii_strtoull (argv[2], NULL, 10) : 1;
  gdouble best_full = 0, best_raw = 0;
  Bench b;
  guint r;

  g_set_prgname ("bench-tickets");
  if (n == 0 || per_payment == 0
      || per_payment > LP_WIRE_MAX_TICKETS_PER_PAYMENT) {
    fprintf (stderr, "usage: bench-tickets [TICKETS [PER_PAYMENT]]\n");
    return 2;
  }
  printf ("signing %u tickets, %u per payment...\n", n, per_payment);
  prepare (&b, n, per_payment);

  for (r = 0; r < ROUNDS; r++) {
    gdouble full, raw;

    if (r > 0) {
      /* every nonce fresh again */
      guint removed = lp_recipient_purge_nonces (b.recipient, G_MAXUINT64);

      if (removed == 0)
        lp_test_die ("purging nonces", NULL);
    }
    full = run_validation (&b);
    raw = run_raw (&b, ctx);
    printf ("round %u: validated %.0f tickets/s, raw recover+keccak %.0f/s\n",
        r + 1, full, raw);
    best_full = MAX (best_full, full);
    best_raw = MAX (best_raw, raw);
  }
  printf ("tickets validated per second (one core): %.0f\n", best_full);
  printf ("raw libsecp256k1 recover + keccak per second: %.0f\n", best_raw);
  printf ("ratio: %.3f (target >= 0.9: %s)\n", best_full / best_raw,
      best_full / best_raw >= 0.9 ? "met" : "NOT met");

  g_ptr_array_unref (b.payments);
  g_free (b.digests);
  g_free (b.sigs);
  lp_recipient_free (b.recipient);
  secp256k1_context_destroy (ctx);
  return 0;
}

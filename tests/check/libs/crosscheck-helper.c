/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The C side of the ethers cross-check (ethers/crosscheck.mjs): reads one
 * request per line on stdin, answers each with one JSON object per line on
 * stdout, computed with libgstlivepeer only. Hex is always 0x-prefixed.
 *
 *   address KEY                      -> {"address"}
 *   keccak DATA                      -> {"keccak"}
 *   signmsg KEY MESSAGE              -> {"keccak", "digest", "sig"}
 *   signhash KEY HASH                -> {"digest", "sig"}
 *   verifymsg ADDRESS MESSAGE SIG    -> {"ok", "signer", "code"}
 *   verifyhash ADDRESS HASH SIG      -> {"ok", "signer", "code"}
 *   ticket RECIPIENT SENDER FACE WINPROB NONCE RANDHASH ROUND BLOCKHASH
 *                                    -> {"hash", "digest"}
 *   ticketsign KEY RECIPIENT FACE WINPROB NONCE RANDHASH ROUND BLOCKHASH
 *                                    -> {"hash", "sig", "verified"}: via
 *                                       lp_ticket_hash/lp_ticket_sign, the
 *                                       sender being KEY's address
 *   wins SIG RAND WINPROB            -> {"wins"}: lp_ticket_wins
 *   ev FACE WINPROB                  -> {"floor", "exact"}:
 *                                       lp_ticket_expected_value
 *   winprob EV FACE                  -> {"win_prob"}: decimal or
 *                                       "error:CODE" (lp_ticket_win_prob_for_ev)
 *   u256 A B                         -> {"add", "sub", "mul", "div", "mod",
 *                                        "ceil"}: decimal or "error:CODE"
 *   parse TEXT                       -> {"value"}: decimal or "error:CODE"
 *   parseaddr TEXT                   -> {"address"}: EIP-55 or "error:CODE"
 *
 * "-" stands for empty data. A malformed request is fatal (exit 2): the
 * driver only sends well-formed ones.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpuint256.h>
#include <gst/livepeer/lpticket.h>

static void
die (const gchar * what, const gchar * line)
{
  g_printerr ("crosscheck-helper: %s in request: %s\n", what, line);
  exit (2);
}

static GBytes *
hex_arg (const gchar * text, const gchar * line)
{
  GBytes *bytes;

  if (strcmp (text, "-") == 0)
    return g_bytes_new (NULL, 0);
  bytes = lp_hex_decode_bytes (text, 1 << 20, NULL);
  if (bytes == NULL)
    die ("bad hex", line);
  return bytes;
}

static void
fixed_arg (const gchar * text, guint8 * out, gsize length, const gchar * line)
{
  if (!lp_hex_decode (text, out, length, NULL))
    die ("bad fixed-size hex", line);
}

static LpPrivateKey *
key_arg (const gchar * text, const gchar * line)
{
  guint8 secret[LP_PRIVATE_KEY_SIZE];
  LpPrivateKey *key;

  fixed_arg (text, secret, sizeof (secret), line);
  key = lp_private_key_new_from_bytes (secret, sizeof (secret), NULL);
  lp_crypto_wipe (secret, sizeof (secret));
  if (key == NULL)
    die ("invalid key", line);
  return key;
}

static void
uint256_arg (const gchar * text, LpUint256 * value, const gchar * line)
{
  if (!lp_uint256_parse (text, value, NULL))
    die ("bad uint256", line);
}

static gchar *
hex (const guint8 * data, gsize length)
{
  return lp_hex_encode (data, length, TRUE);
}

static void
do_address (gchar ** argv, const gchar * line)
{
  LpPrivateKey *key = key_arg (argv[1], line);
  gchar *address = lp_address_to_string (lp_private_key_get_address (key));

  printf ("{\"address\":\"%s\"}\n", address);
  g_free (address);
  lp_private_key_unref (key);
}

static void
do_keccak (gchar ** argv, const gchar * line)
{
  GBytes *data = hex_arg (argv[1], line);
  guint8 digest[32];
  gsize length;
  const guint8 *p = g_bytes_get_data (data, &length);
  gchar *h;

  lp_keccak256 (p, length, digest);
  h = hex (digest, 32);
  printf ("{\"keccak\":\"%s\"}\n", h);
  g_free (h);
  g_bytes_unref (data);
}

static void
do_signmsg (gchar ** argv, const gchar * line)
{
  LpPrivateKey *key = key_arg (argv[1], line);
  GBytes *data = hex_arg (argv[2], line);
  guint8 k[32], digest[32], sig[65];
  gsize length;
  const guint8 *p = g_bytes_get_data (data, &length);
  gchar *hk, *hd, *hs;

  lp_keccak256 (p, length, k);
  lp_personal_digest (k, digest);
  if (!lp_sign_message (key, p, length, sig, NULL))
    die ("signing failed", line);
  hk = hex (k, 32);
  hd = hex (digest, 32);
  hs = hex (sig, 65);
  printf ("{\"keccak\":\"%s\",\"digest\":\"%s\",\"sig\":\"%s\"}\n", hk, hd, hs);
  g_free (hk);
  g_free (hd);
  g_free (hs);
  g_bytes_unref (data);
  lp_private_key_unref (key);
}

static void
do_signhash (gchar ** argv, const gchar * line)
{
  LpPrivateKey *key = key_arg (argv[1], line);
  guint8 hash[32], digest[32], sig[65];
  gchar *hd, *hs;

  fixed_arg (argv[2], hash, 32, line);
  lp_personal_digest (hash, digest);
  if (!lp_sign_hash (key, hash, sig, NULL))
    die ("signing failed", line);
  hd = hex (digest, 32);
  hs = hex (sig, 65);
  printf ("{\"digest\":\"%s\",\"sig\":\"%s\"}\n", hd, hs);
  g_free (hd);
  g_free (hs);
  lp_private_key_unref (key);
}

static void
do_verify (gchar ** argv, const gchar * line, gboolean message)
{
  GBytes *data = hex_arg (argv[2], line), *sig = hex_arg (argv[3], line);
  GError *error = NULL;
  LpAddress address, signer;
  gsize length, sig_length;
  const guint8 *p = g_bytes_get_data (data, &length);
  const guint8 *s = g_bytes_get_data (sig, &sig_length);
  gboolean ok, recovered;
  gchar *signer_text = NULL;

  if (!lp_address_parse (argv[1], &address, NULL))
    die ("bad address", line);
  if (message) {
    ok = lp_verify_message (&address, p, length, s, sig_length, &error);
    recovered = lp_recover_message (p, length, s, sig_length, &signer, NULL);
  } else {
    if (length != 32)
      die ("hash is not 32 bytes", line);
    ok = lp_verify_hash (&address, p, s, sig_length, &error);
    recovered = lp_recover_hash (p, s, sig_length, &signer, NULL);
  }
  if (recovered)
    signer_text = lp_address_to_string (&signer);
  printf ("{\"ok\":%s,\"signer\":%s%s%s,\"code\":%d}\n",
      ok ? "true" : "false", recovered ? "\"" : "",
      recovered ? signer_text : "null", recovered ? "\"" : "",
      error ? error->code : -1);
  g_clear_error (&error);
  g_free (signer_text);
  g_bytes_unref (data);
  g_bytes_unref (sig);
}

static void
do_ticket (gchar ** argv, const gchar * line)
{
  LpAddress recipient, sender;
  LpUint256 face, win_prob, nonce, round;
  guint8 rand_hash[32], block_hash[32], buf[32], hash[32], digest[32];
  static const guint8 zero[32] = { 0 };
  LpKeccak ctx;
  gchar *hh, *hd;

  if (!lp_address_parse (argv[1], &recipient, NULL)
      || !lp_address_parse (argv[2], &sender, NULL))
    die ("bad address", line);
  uint256_arg (argv[3], &face, line);
  uint256_arg (argv[4], &win_prob, line);
  uint256_arg (argv[5], &nonce, line);
  fixed_arg (argv[6], rand_hash, 32, line);
  uint256_arg (argv[7], &round, line);
  fixed_arg (argv[8], block_hash, 32, line);

  lp_keccak256_init (&ctx);
  lp_keccak256_update (&ctx, recipient.bytes, 20);
  lp_keccak256_update (&ctx, sender.bytes, 20);
  lp_uint256_pad32 (&face, buf);
  lp_keccak256_update (&ctx, buf, 32);
  lp_uint256_pad32 (&win_prob, buf);
  lp_keccak256_update (&ctx, buf, 32);
  lp_uint256_pad32 (&nonce, buf);
  lp_keccak256_update (&ctx, buf, 32);
  lp_keccak256_update (&ctx, rand_hash, 32);
  if (!lp_uint256_is_zero (&round) || memcmp (block_hash, zero, 32) != 0) {
    lp_uint256_pad32 (&round, buf);
    lp_keccak256_update (&ctx, buf, 32);
    lp_keccak256_update (&ctx, block_hash, 32);
  }
  lp_keccak256_digest (&ctx, hash);
  lp_personal_digest (hash, digest);

  hh = hex (hash, 32);
  hd = hex (digest, 32);
  printf ("{\"hash\":\"%s\",\"digest\":\"%s\"}\n", hh, hd);
  g_free (hh);
  g_free (hd);
}

static void
do_ticketsign (gchar ** argv, const gchar * line)
{
  LpPrivateKey *key = key_arg (argv[1], line);
  LpUint256 nonce, round;
  guint64 n, r;
  guint8 hash[32], sig[65];
  gboolean verified;
  LpTicket t;
  gchar *hh, *hs;

  memset (&t, 0, sizeof (t));
  if (!lp_address_parse (argv[2], &t.recipient, NULL))
    die ("bad address", line);
  t.sender = *lp_private_key_get_address (key);
  uint256_arg (argv[3], &t.face_value, line);
  uint256_arg (argv[4], &t.win_prob, line);
  uint256_arg (argv[5], &nonce, line);
  fixed_arg (argv[6], t.recipient_rand_hash, 32, line);
  uint256_arg (argv[7], &round, line);
  fixed_arg (argv[8], t.expiration_params.creation_round_block_hash, 32, line);
  if (!lp_uint256_to_uint64 (&nonce, &n, NULL) || n > G_MAXUINT32
      || !lp_uint256_to_uint64 (&round, &r, NULL))
    die ("nonce or round out of range", line);
  t.sender_nonce = (guint32) n;
  t.expiration_params.creation_round = r;

  lp_ticket_hash (&t, hash);
  if (!lp_ticket_sign (&t, key, sig, NULL))
    die ("signing failed", line);
  verified = lp_ticket_verify (&t, sig, sizeof (sig), NULL);
  hh = hex (hash, 32);
  hs = hex (sig, 65);
  printf ("{\"hash\":\"%s\",\"sig\":\"%s\",\"verified\":%s}\n", hh, hs,
      verified ? "true" : "false");
  g_free (hh);
  g_free (hs);
  lp_private_key_unref (key);
}

static void
do_wins (gchar ** argv, const gchar * line)
{
  guint8 sig[65];
  LpUint256 rand, win_prob;

  fixed_arg (argv[1], sig, 65, line);
  uint256_arg (argv[2], &rand, line);
  uint256_arg (argv[3], &win_prob, line);
  printf ("{\"wins\":%s}\n", lp_ticket_wins (sig, &rand, &win_prob) ?
      "true" : "false");
}

static void
do_ev (gchar ** argv, const gchar * line)
{
  LpUint256 face, win_prob, ev;
  gboolean exact;
  gchar *text;

  uint256_arg (argv[1], &face, line);
  uint256_arg (argv[2], &win_prob, line);
  lp_ticket_expected_value (&face, &win_prob, &ev, &exact);
  text = lp_uint256_to_string (&ev);
  printf ("{\"floor\":\"%s\",\"exact\":%s}\n", text, exact ? "true" : "false");
  g_free (text);
}

static void
do_winprob (gchar ** argv, const gchar * line)
{
  LpUint256 ev, face, win_prob;
  GError *error = NULL;

  uint256_arg (argv[1], &ev, line);
  uint256_arg (argv[2], &face, line);
  if (lp_ticket_win_prob_for_ev (&ev, &face, &win_prob, &error)) {
    gchar *text = lp_uint256_to_string (&win_prob);

    printf ("{\"win_prob\":\"%s\"}\n", text);
    g_free (text);
  } else {
    printf ("{\"win_prob\":\"error:%s\"}\n",
        error->domain == LP_TICKET_ERROR ? "ev-above-face" : "overflow");
    g_error_free (error);
  }
}

static void
print_op (const gchar * name, gboolean (*op) (const LpUint256 *,
        const LpUint256 *, LpUint256 *, GError **), const LpUint256 * a,
    const LpUint256 * b, gboolean last)
{
  GError *error = NULL;
  LpUint256 r;

  if (op (a, b, &r, &error)) {
    gchar *text = lp_uint256_to_string (&r);

    printf ("\"%s\":\"%s\"", name, text);
    g_free (text);
  } else {
    printf ("\"%s\":\"error:%d\"", name, error->code);
    g_error_free (error);
  }
  printf (last ? "}\n" : ",");
}

static void
do_u256 (gchar ** argv, const gchar * line)
{
  LpUint256 a, b;

  uint256_arg (argv[1], &a, line);
  uint256_arg (argv[2], &b, line);
  printf ("{");
  print_op ("add", lp_uint256_add, &a, &b, FALSE);
  print_op ("sub", lp_uint256_sub, &a, &b, FALSE);
  print_op ("mul", lp_uint256_mul, &a, &b, FALSE);
  print_op ("div", lp_uint256_div, &a, &b, FALSE);
  print_op ("mod", lp_uint256_mod, &a, &b, FALSE);
  print_op ("ceil", lp_uint256_ceil_div, &a, &b, TRUE);
}

static void
do_parse (gchar ** argv, const gchar * line)
{
  GError *error = NULL;
  LpUint256 value;

  if (lp_uint256_parse (argv[1], &value, &error)) {
    gchar *text = lp_uint256_to_string (&value);

    printf ("{\"value\":\"%s\"}\n", text);
    g_free (text);
  } else {
    printf ("{\"value\":\"error:%d\"}\n", error->code);
    g_error_free (error);
  }
}

static void
do_parseaddr (gchar ** argv, const gchar * line)
{
  GError *error = NULL;
  LpAddress address;

  if (lp_address_parse (argv[1], &address, &error)) {
    gchar *text = lp_address_to_string (&address);

    printf ("{\"address\":\"%s\"}\n", text);
    g_free (text);
  } else {
    printf ("{\"address\":\"error:%d\"}\n", error->code);
    g_error_free (error);
  }
}

int
main (void)
{
  static const struct
  {
    const gchar *name;
    guint n_args;
  } ops[] = {
    {"address", 1}, {"keccak", 1}, {"signmsg", 2}, {"signhash", 2},
    {"verifymsg", 3}, {"verifyhash", 3}, {"ticket", 8}, {"u256", 2}, {"parse",
        1},
    {"parseaddr", 1}, {"ticketsign", 8}, {"wins", 3}, {"ev", 2},
    {"winprob", 2},
  };
  gchar line[1 << 16];

  while (fgets (line, sizeof (line), stdin) != NULL) {
    gchar **words;
    guint n, i;

    g_strchomp (line);
    if (line[0] == '\0')
      continue;
    words = g_strsplit (line, " ", -1);
    n = g_strv_length (words);
    for (i = 0; i < G_N_ELEMENTS (ops); i++)
      if (strcmp (words[0], ops[i].name) == 0)
        break;
    if (i == G_N_ELEMENTS (ops))
      die ("unknown operation", line);
    if (n != ops[i].n_args + 1)
      die ("wrong number of arguments", line);

    switch (i) {
      case 0:
        do_address (words, line);
        break;
      case 1:
        do_keccak (words, line);
        break;
      case 2:
        do_signmsg (words, line);
        break;
      case 3:
        do_signhash (words, line);
        break;
      case 4:
        do_verify (words, line, TRUE);
        break;
      case 5:
        do_verify (words, line, FALSE);
        break;
      case 6:
        do_ticket (words, line);
        break;
      case 7:
        do_u256 (words, line);
        break;
      case 8:
        do_parse (words, line);
        break;
      case 9:
        do_parseaddr (words, line);
        break;
      case 10:
        do_ticketsign (words, line);
        break;
      case 11:
        do_wins (words, line);
        break;
      case 12:
        do_ev (words, line);
        break;
      case 13:
        do_winprob (words, line);
        break;
    }
    g_strfreev (words);
  }

  return fflush (stdout) == 0 ? 0 : 1;
}

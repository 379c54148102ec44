/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * livepeersink against real lporchestrator elements on loopback (port 0,
 * in this process, over one devnet ledger with two registered, active
 * orchestrators): a paid stream end to end (HLS on disk, played back,
 * fees and tickets against what the orchestrators debited), failover when
 * an orchestrator dies mid-stream, a tampering orchestrator (a proxy test
 * double that lies about pixels, renditions, signatures or content),
 * hostile orchestrators (answers trickled a byte at a time or sent without
 * end, to discovery, segments and /endSession: cut at their deadlines and
 * size caps), an orchestrator out of capacity for a second session, the
 * price cap, bad configurations (each a timely error at the right state
 * change), streams that end before any data, MPEG-TS file input, a second
 * stream through the same element, the rendition signal and state
 * changes. The whole suite takes about 30 s on 2 cores.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "livepeersink-proxy.h"
#include <gst/livepeer/lpmpegts.h>
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>

#define PRICE 1000
/* below one segment's fee, so that every segment buys tickets */
#define TICKET_EV G_GUINT64_CONSTANT (500000000)
/* the ladder: a preset and a custom rung, from a 320x180 source */
#define PROFILES "P144p30fps16x9,lo:160x90@30:100k"
#define PROFILE_NAMES "P144p30fps16x9,lo"
#define FRAME_PIXELS (256 * 144 + 160 * 90)
#define FPS 30
#define STREAM_TIMEOUT (60 * GST_SECOND)

typedef struct
{
  LpTestNet *net;
  LpTestOrch *orch[2];
  gchar *key_file;
  gchar *hls;                   /* NULL unless asked for */
} Fixture;

/* A ledger with two registered, active orchestrators (1000 and 2000 LPT
 * of stake) and a broadcaster with @deposit and @reserve; none started. */
static Fixture *
fixture_new (const gchar * deposit, const gchar * reserve, gboolean hls)
{
  Fixture *f = g_new0 (Fixture, 1);

  f->net = lp_test_net_new (deposit, reserve);
  f->orch[0] = lp_test_orch_from_net (f->net);
  f->orch[1] = lp_test_orch_new_registered (f->net, "orch-b", "2000e18");
  lp_test_net_next_round (f->net);
  f->key_file = lp_test_net_bcast_key_file (f->net);
  if (hls) {
    f->hls = g_dir_make_tmp ("lp-sink-hls-XXXXXX", NULL);
    fail_unless (f->hls != NULL);
  }
  return f;
}

static void
fixture_free (Fixture * f)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (f->orch); i++)
    lp_test_orch_free (f->orch[i]);
  if (f->hls != NULL)
    lp_check_remove_tree (f->hls);
  g_free (f->hls);
  g_free (f->key_file);
  lp_test_net_free (f->net);
  g_free (f);
}

/* The orchestrators raise their ticket EV so that their costliest
 * segment (max-pixel-rate for max-segment-duration) needs at most half a
 * payment's tickets: a pixel rate of 4 Mpixel/s (the ladder here asks
 * for 1.5) keeps TICKET_EV as it is. */
#define MAX_PIXEL_RATE G_GUINT64_CONSTANT (4000000)

static void
fixture_start (Fixture * f, guint i, guint64 price)
{
  lp_test_orch_start (f->net, f->orch[i], "price-per-unit", price,
      "ticket-ev", TICKET_EV, "max-pixel-rate", MAX_PIXEL_RATE, NULL);
}

/* The sink's properties for @orchestrators (gst-launch syntax), the
 * fixture's key and ledger, PROFILES and, with an HLS directory, the
 * whole ladder kept there; then @extra. */
static gchar *
sink_props (Fixture * f, const gchar * orchestrators, const gchar * extra)
{
  gchar *location = f->hls ? g_strdup_printf ("location=\"%s\" "
      "playlist-length=0 max-files=0", f->hls) : g_strdup ("");
  gchar *props = g_strdup_printf ("orchestrators=\"%s\" key-file=\"%s\" "
      "ledger=\"%s\" profiles=\"%s\" %s %s", orchestrators, f->key_file,
      f->net->ledger_path, PROFILES, location, extra ? extra : "");

  g_free (location);
  return props;
}

/* Stops @pipeline (NULL must succeed at once) and drops it. */
static void
stop_pipeline (GstElement * pipeline)
{
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (pipeline);
}

/* The run went through: EOS, no error, nothing lost, @n segments written
 * in sequence order. */
static void
check_run_complete (LpSinkRun * run, guint n)
{
  gchar *what = lp_sink_run_describe (run);
  guint i;

  fail_unless (run->error == NULL, "%s", what);
  fail_unless (run->eos, "%s", what);
  fail_unless (run->lost->len == 0, "%s", what);
  fail_unless (run->discovery_started && run->discovery_complete, "%s",
      what);
  fail_unless_equals_int (run->segments->len, n);
  for (i = 0; i < run->segments->len; i++) {
    const GstStructure *s = g_ptr_array_index (run->segments, i);

    fail_unless_equals_uint64 (lp_sink_field_u64 (s, "seq"), i);
  }
  g_free (what);
}

/* Every variant's playlist lists the @n segments 0.ts .. n-1.ts, all on
 * disk, and is ended; the master playlist lists every variant. */
static void
check_hls (const gchar * location, guint n)
{
  gchar *master_path = g_build_filename (location, "master.m3u8", NULL);
  gchar *master = lp_sink_read_text (master_path);
  gchar **variants = g_strsplit ("source," PROFILE_NAMES, ",", -1);
  guint v, i;

  for (v = 0; variants[v] != NULL; v++) {
    gboolean endlist;
    GPtrArray *files = lp_sink_read_playlist (location, variants[v],
        &endlist);
    gchar *entry = g_strdup_printf ("%s/index.m3u8", variants[v]);

    fail_unless (strstr (master, entry) != NULL, "master.m3u8 lacks %s:\n%s",
        entry, master);
    fail_unless (endlist, "%s/index.m3u8 has no EXT-X-ENDLIST", variants[v]);
    fail_unless_equals_int (files->len, n);
    for (i = 0; i < files->len; i++) {
      gchar *name = g_strdup_printf ("%u.ts", i);

      fail_unless_equals_string (g_ptr_array_index (files, i), name);
      g_free (name);
    }
    g_ptr_array_unref (files);
    g_free (entry);
  }
  g_strfreev (variants);
  g_free (master);
  g_free (master_path);
}

/* The playlist of @variant under @hls plays back (through hlsdemux)
 * @frames frames. */
static void
check_variant_frames (const gchar * hls, const gchar * variant, guint frames)
{
  gchar *uri = g_strdup_printf ("file://%s/%s/index.m3u8", hls, variant);

  fail_unless_equals_int (lp_test_count_frames (uri, 30 * GST_SECOND),
      frames);
  g_free (uri);
}

static LpRational *
price_fee (guint64 price, guint64 pixels)
{
  LpPriceInfo p = { price, 1 };
  LpRational *fee = lp_rational_new_price (&p, pixels, NULL);

  fail_unless (fee != NULL);
  return fee;
}

/* The segments @orchestrator handled (by the sink's messages). */
static guint
segments_of (LpSinkRun * run, const gchar * orchestrator)
{
  guint i, n = 0;

  for (i = 0; i < run->segments->len; i++)
    n += g_str_equal (lp_sink_field_string (g_ptr_array_index (run->segments,
                i), "orchestrator"), orchestrator);
  return n;
}

static const GstStructure *
segment_with_seq (LpSinkRun * run, guint64 seq)
{
  guint i;

  for (i = 0; i < run->segments->len; i++)
    if (lp_sink_field_u64 (g_ptr_array_index (run->segments, i), "seq") ==
        seq)
      return g_ptr_array_index (run->segments, i);
  return NULL;
}

/* Every failover of @run left @liar with a reason that says @reason;
 * segment 0 failed over first and was redone, on its second attempt, on
 * @honest, which handled all @seconds segments. */
static void
assert_failed_over (LpSinkRun * run, LpTestProxy * liar,
    LpTestProxy * honest, const gchar * reason, guint seconds)
{
  const GstStructure *failover0, *redone;
  guint i;

  for (i = 0; i < run->failovers->len; i++) {
    const GstStructure *s = g_ptr_array_index (run->failovers, i);

    fail_unless_equals_string (lp_sink_field_string (s, "orchestrator"),
        liar->uri);
    fail_unless (strstr (lp_sink_field_string (s, "reason"), reason) !=
        NULL, "reason '%s' does not say %s", lp_sink_field_string (s,
            "reason"), reason);
  }
  failover0 = g_ptr_array_index (run->failovers, 0);
  fail_unless_equals_uint64 (lp_sink_field_u64 (failover0, "seq"), 0);
  redone = segment_with_seq (run, 0);
  fail_unless_equals_string (lp_sink_field_string (redone, "orchestrator"),
      honest->uri);
  fail_unless_equals_int (lp_sink_field_uint (redone, "attempts"), 2);
  fail_unless_equals_int (segments_of (run, honest->uri), seconds);
}

/* Both of the fixture's orchestrators started, each behind a proxy; the
 * proxy that carries the first answer becomes the double and lies as its
 * election's mode says. */
typedef struct
{
  LpTamperElection election;
  LpTestProxy *proxy[2];
  gchar *uris;                  /* both proxies, for the sink */
} ProxiedPair;

static void
proxied_pair_start (ProxiedPair * pair, Fixture * f, LpTamperMode mode)
{
  guint k;

  g_mutex_init (&pair->election.lock);
  pair->election.mode = mode;
  pair->election.double_ = NULL;
  for (k = 0; k < 2; k++) {
    fixture_start (f, k, PRICE);
    pair->proxy[k] = lp_test_proxy_new (&pair->election, f->orch[k]->port,
        f->orch[k]->key);
  }
  pair->uris = g_strdup_printf ("%s,%s", pair->proxy[0]->uri,
      pair->proxy[1]->uri);
}

/* The double elected during the run (there must be one), and in @honest
 * the other proxy. */
static LpTestProxy *
proxied_pair_liar (ProxiedPair * pair, const gchar * what,
    LpTestProxy ** honest)
{
  LpTestProxy *liar = pair->election.double_;

  fail_unless (liar != NULL, "no answer went through a proxy: %s", what);
  *honest = liar == pair->proxy[0] ? pair->proxy[1] : pair->proxy[0];
  return liar;
}

static void
proxied_pair_stop (ProxiedPair * pair)
{
  guint k;

  for (k = 0; k < 2; k++)
    lp_test_proxy_free (pair->proxy[k]);
  g_mutex_clear (&pair->election.lock);
  g_free (pair->uris);
}

/* The stats of @uri name it, say whether it is @suspended, and count
 * @segments written for it. */
static const GstStructure *
check_orch_stats (const GstStructure * stats, const gchar * uri,
    gboolean suspended, guint64 segments)
{
  const GstStructure *o = lp_sink_stats_orch (stats, uri);
  gboolean is_suspended = !suspended;

  fail_unless (o != NULL, "no stats for %s", uri);
  fail_unless (gst_structure_get_boolean (o, "suspended", &is_suspended));
  fail_unless (is_suspended == suspended, "%s is%s suspended", uri,
      is_suspended ? "" : " not");
  fail_unless_equals_uint64 (lp_sink_field_u64 (o, "segments"), segments);
  return o;
}

/* ------------------------------------------------------------------------ */

/* 10 s through two paid orchestrators, in go-livepeer's protobuf dialect
 * (gRPC discovery, protobuf headers and results, renditions fetched by
 * URL): the whole ladder on disk and playable, fees exact, the
 * orchestrators' debits and tickets agreeing */
GST_START_TEST (test_end_to_end)
{
  const guint seconds = 10;
  Fixture *f = fixture_new ("1e18", "1e18", TRUE);
  GstElement *pipeline, *sink;
  LpSinkRun *run = lp_sink_run_new ();
  LpRational *fees = lp_rational_new (), *orch_fees[2], *last_fee[2];
  GstStructure *stats;
  gchar *uris, *props, *text;
  guint64 pixels = 0, tickets = 0, received = 0;
  guint i, k, handled[2];
  gchar **variants;

  fixture_start (f, 0, PRICE);
  fixture_start (f, 1, PRICE);
  uris = g_strdup_printf ("%s,%s", f->orch[0]->uri, f->orch[1]->uri);
  /* one segment at a time: the credit bought is then exactly predictable
   * (two in flight each buy as if the other's credit were not there) */
  props = sink_props (f, uris, "max-in-flight=1");
  pipeline = lp_sink_pipeline (seconds, props);
  sink = lp_sink_get_sink (pipeline);
  lp_sink_run_stream (run, pipeline, STREAM_TIMEOUT, NULL, NULL);
  /* 1 s segments, a keyframe every second: one segment per second */
  check_run_complete (run, seconds);
  fail_unless_equals_int (run->failovers->len, 0);

  /* every segment priced exactly: fee = pixels × price */
  for (k = 0; k < 2; k++) {
    orch_fees[k] = lp_rational_new ();
    last_fee[k] = lp_rational_new ();
  }
  for (i = 0; i < run->segments->len; i++) {
    const GstStructure *s = g_ptr_array_index (run->segments, i);
    guint64 p = lp_sink_field_u64 (s, "pixels");
    LpRational *fee = price_fee (PRICE, p);
    const gchar *orchestrator = lp_sink_field_string (s, "orchestrator");

    text = lp_rational_to_string (fee);
    fail_unless_equals_string (lp_sink_field_string (s, "fee"), text);
    g_free (text);
    fail_unless_equals_int (lp_sink_field_uint (s, "attempts"), 1);
    fail_unless_equals_string (lp_sink_field_string (s, "verified"),
        "pixels");
    fail_unless (lp_sink_field_u64 (s, "latency") > 0);
    fail_unless (g_str_equal (orchestrator, f->orch[0]->uri)
        || g_str_equal (orchestrator, f->orch[1]->uri), "%s", orchestrator);
    k = g_str_equal (orchestrator, f->orch[0]->uri) ? 0 : 1;
    lp_rational_add (orch_fees[k], fee);
    lp_rational_free (last_fee[k]);
    last_fee[k] = lp_rational_copy (fee);
    lp_rational_add (fees, fee);
    lp_rational_free (fee);
    pixels += p;
    tickets += lp_sink_field_uint (s, "tickets");
  }
  /* the transcoders keep every frame */
  fail_unless_equals_uint64 (pixels, (guint64) seconds * FPS * FRAME_PIXELS);

  stats = lp_sink_stats (sink);
  fail_unless_equals_uint64 (lp_sink_field_u64 (stats, "segments-ok"),
      seconds);
  fail_unless_equals_uint64 (lp_sink_field_u64 (stats, "segments-lost"), 0);
  fail_unless_equals_uint64 (lp_sink_field_u64 (stats, "retries"), 0);
  fail_unless_equals_uint64 (lp_sink_field_u64 (stats, "tickets"), tickets);
  text = lp_rational_to_string (fees);
  fail_unless_equals_string (lp_sink_field_string (stats, "fees"), text);
  g_free (text);
  for (k = 0; k < 2; k++) {
    const GstStructure *o = lp_sink_stats_orch (stats, f->orch[k]->uri);

    handled[k] = segments_of (run, f->orch[k]->uri);
    fail_unless (o != NULL, "no stats for %s", f->orch[k]->uri);
    fail_unless_equals_uint64 (lp_sink_field_u64 (o, "segments"),
        handled[k]);
    fail_unless_equals_uint64 (lp_sink_field_u64 (o, "failures"), 0);
    /* one dialect: no field says which */
    fail_if (gst_structure_has_field (o, "dialect"));
  }
  gst_structure_free (stats);
  fail_unless (tickets > 0, "no ticket was sent");

  /* what each orchestrator debited is what the sink reports, segment by
   * segment; the tickets it took cover that within one ticket's EV */
  for (k = 0; k < 2; k++) {
    GPtrArray *debits = lp_test_orch_segments (f->orch[k], handled[k],
        5 * GST_SECOND);
    guint64 got = lp_test_orch_get_stat (f->orch[k], "tickets-received");

    fail_unless_equals_int (debits->len, handled[k]);
    for (i = 0; i < debits->len; i++) {
      const GstStructure *d = g_ptr_array_index (debits, i);
      const GstStructure *s = segment_with_seq (run, lp_sink_field_u64 (d,
              "seq"));

      fail_unless (s != NULL);
      fail_unless_equals_string (lp_sink_field_string (s, "orchestrator"),
          f->orch[k]->uri);
      fail_unless_equals_uint64 (lp_sink_field_u64 (d, "pixels"),
          lp_sink_field_u64 (s, "pixels"));
      fail_unless_equals_string (lp_sink_field_string (d, "fee"),
          lp_sink_field_string (s, "fee"));
      fail_unless_equals_string (lp_sink_field_string (d, "profiles"),
          PROFILE_NAMES);
    }
    g_ptr_array_unref (debits);
    fail_unless_equals_uint64 (lp_test_orch_get_stat (f->orch[k],
            "segments-ok"), handled[k]);
    received += got;
    if (handled[k] > 0) {
      LpRational *ev = lp_test_orch_ticket_ev (f->net, f->orch[k]);
      LpRational *credited = lp_rational_copy (ev), *bound;
      gchar *c, *e, *fe;

      GString *per_seg = g_string_new (NULL);

      for (i = 0; i < run->segments->len; i++) {
        const GstStructure *s = g_ptr_array_index (run->segments, i);

        if (g_str_equal (lp_sink_field_string (s, "orchestrator"),
                f->orch[k]->uri))
          g_string_append_printf (per_seg, " %u", lp_sink_field_uint (s,
                  "tickets"));
      }
      lp_rational_mul_uint64 (credited, got);
      c = lp_rational_to_string (credited);
      e = lp_rational_to_string (ev);
      fe = lp_rational_to_string (orch_fees[k]);
      fail_unless (lp_rational_cmp (credited, orch_fees[k]) >= 0,
          "%s: %" G_GUINT64_FORMAT " tickets of EV %s (%s) do not cover the "
          "fees %s", f->orch[k]->uri, got, e, c, fe);
      /* one segment at a time, the credit left is under one EV plus what
       * the last estimate (2 % over a 1 s segment's pixels) overbought */
      bound = lp_rational_new_uint64 ((guint64) FRAME_PIXELS * FPS * PRICE *
          102, 100);
      lp_rational_sub (bound, last_fee[k]);
      lp_rational_add (bound, orch_fees[k]);
      lp_rational_add (bound, ev);
      fail_unless (lp_rational_cmp (credited, bound) < 0,
          "%s: %" G_GUINT64_FORMAT " tickets of EV %s (%s) pay more than one "
          "ticket over the fees %s (tickets per segment:%s)", f->orch[k]->uri,
          got, e, c, fe, per_seg->str);
      g_string_free (per_seg, TRUE);
      g_free (c);
      g_free (e);
      g_free (fe);
      lp_rational_free (bound);
      lp_rational_free (credited);
      lp_rational_free (ev);
    } else {
      fail_unless_equals_uint64 (got, 0);
    }
  }
  fail_unless_equals_uint64 (received, tickets);

  /* the ladder on disk, ended, and played back through hlsdemux */
  check_hls (f->hls, seconds);
  variants = g_strsplit ("source," PROFILE_NAMES, ",", -1);
  for (i = 0; variants[i] != NULL; i++)
    check_variant_frames (f->hls, variants[i], seconds * FPS);
  g_strfreev (variants);

  stop_pipeline (pipeline);
  for (k = 0; k < 2; k++) {
    lp_rational_free (orch_fees[k]);
    lp_rational_free (last_fee[k]);
  }
  lp_rational_free (fees);
  lp_sink_run_free (run);
  g_free (props);
  g_free (uris);
  fixture_free (f);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */

typedef struct
{
  Fixture *f;
  gchar *dead;                  /* the URI stopped */
  guint64 dead_after_seq;       /* the last seq written before */
} Kill;

/* On the first segment written: stops the orchestrator that did it, the
 * one the selection sticks to, so that the next segment goes there. */
static void
kill_on_first_segment (LpSinkRun * run, GstMessage * msg, gpointer data)
{
  Kill *kill = data;
  const GstStructure *s = gst_message_get_structure (msg);
  guint k;

  if (kill->dead != NULL || GST_MESSAGE_TYPE (msg) != GST_MESSAGE_ELEMENT
      || !gst_structure_has_name (s, "livepeersink-segment"))
    return;
  kill->dead = g_strdup (lp_sink_field_string (s, "orchestrator"));
  kill->dead_after_seq = lp_sink_field_u64 (s, "seq");
  for (k = 0; k < 2; k++)
    if (g_str_equal (kill->f->orch[k]->uri, kill->dead))
      lp_test_orch_stop (kill->f->orch[k]);
}

GST_START_TEST (test_failover)
{
  const guint seconds = 8;
  Fixture *f = fixture_new ("1e18", "1e18", TRUE);
  Kill kill = { f, NULL, 0 };
  GstElement *pipeline, *sink;
  LpSinkRun *run = lp_sink_run_new ();
  GstStructure *stats;
  const GstStructure *o;
  gchar *uris, *props, *what;
  const gchar *alive;
  gboolean warned = FALSE;
  guint i;

  fixture_start (f, 0, PRICE);
  fixture_start (f, 1, PRICE);
  uris = g_strdup_printf ("%s,%s", f->orch[0]->uri, f->orch[1]->uri);
  props = sink_props (f, uris, NULL);
  /* in real time: the segments after the kill do not exist yet */
  pipeline = lp_sink_pipeline_full (seconds, TRUE, props);
  sink = lp_sink_get_sink (pipeline);
  lp_sink_run_stream (run, pipeline, STREAM_TIMEOUT, kill_on_first_segment,
      &kill);
  fail_unless (kill.dead != NULL);
  alive = g_str_equal (kill.dead, f->orch[0]->uri) ? f->orch[1]->uri :
      f->orch[0]->uri;
  what = lp_sink_run_describe (run);

  /* nothing lost, every segment written */
  check_run_complete (run, seconds);
  check_hls (f->hls, seconds);
  /* the dead one was tried again (it was the sticky one) and failed over */
  fail_unless (run->failovers->len >= 1, "no failover: %s", what);
  for (i = 0; i < run->failovers->len; i++) {
    const GstStructure *s = g_ptr_array_index (run->failovers, i);
    const GstStructure *done = segment_with_seq (run, lp_sink_field_u64 (s,
            "seq"));

    fail_unless_equals_string (lp_sink_field_string (s, "orchestrator"),
        kill.dead);
    fail_unless (lp_sink_field_u64 (s, "seq") > kill.dead_after_seq, "%s",
        what);
    fail_unless_equals_int (lp_sink_field_uint (s, "attempt"), 1);
    fail_unless (strlen (lp_sink_field_string (s, "reason")) > 0);
    /* ... and was redone on the live one */
    fail_unless (done != NULL);
    fail_unless_equals_string (lp_sink_field_string (done, "orchestrator"),
        alive);
    fail_unless_equals_int (lp_sink_field_uint (done, "attempts"), 2);
  }
  for (i = 0; i < run->warnings->len; i++)
    warned |= strstr (g_ptr_array_index (run->warnings, i), kill.dead) !=
        NULL;
  fail_unless (warned, "no warning names %s: %s", kill.dead, what);
  /* the last segments went to the live one */
  fail_unless_equals_string (lp_sink_field_string (g_ptr_array_index
          (run->segments, seconds - 1), "orchestrator"), alive);

  stats = lp_sink_stats (sink);
  fail_unless_equals_uint64 (lp_sink_field_u64 (stats, "retries"),
      run->failovers->len);
  o = lp_sink_stats_orch (stats, kill.dead);
  fail_unless (o != NULL);
  {
    gboolean suspended = FALSE;

    fail_unless (gst_structure_get_boolean (o, "suspended", &suspended));
    fail_unless (suspended, "%s is not suspended", kill.dead);
  }
  fail_unless_equals_uint64 (lp_sink_field_u64 (o, "failures"),
      run->failovers->len);
  fail_unless_equals_uint64 (lp_sink_field_u64 (o, "segments"),
      segments_of (run, kill.dead));
  gst_structure_free (stats);

  stop_pipeline (pipeline);
  lp_sink_run_free (run);
  g_free (what);
  g_free (kill.dead);
  g_free (props);
  g_free (uris);
  fixture_free (f);
}

GST_END_TEST;

/* The sessions @o has open now */
static guint
open_sessions (LpTestOrch * o)
{
  GstStructure *stats;
  guint sessions = G_MAXUINT;

  g_object_get (o->element, "stats", &stats, NULL);
  fail_unless (gst_structure_get_uint (stats, "sessions", &sessions));
  gst_structure_free (stats);
  return sessions;
}

/* An orchestrator with `tls` on, given as https://: gRPC discovery over
 * TLS (ALPN h2), segments posted over HTTP/2 and renditions fetched over
 * HTTP/2; every segment written, verified, paid and debited as the sink
 * reports it, and the session ended over gRPC at the stop */
GST_START_TEST (test_protobuf_over_tls)
{
  const guint seconds = 3;
  Fixture *f = fixture_new ("1e18", "1e18", FALSE);
  GstElement *pipeline, *sink;
  LpSinkRun *run = lp_sink_run_new ();
  GstStructure *stats;
  GPtrArray *debits;
  gchar *uri, *props, *what;
  guint i;

  lp_test_orch_start (f->net, f->orch[0], "price-per-unit", (guint64) PRICE,
      "ticket-ev", TICKET_EV, "max-pixel-rate", MAX_PIXEL_RATE, "tls", TRUE,
      NULL);
  uri = g_strdup_printf ("https://127.0.0.1:%u", f->orch[0]->port);
  props = sink_props (f, uri, "max-in-flight=1");
  pipeline = lp_sink_pipeline (seconds, props);
  sink = lp_sink_get_sink (pipeline);
  lp_sink_run_stream (run, pipeline, STREAM_TIMEOUT, NULL, NULL);
  what = lp_sink_run_describe (run);
  check_run_complete (run, seconds);
  fail_unless (run->failovers->len == 0, "%s", what);
  for (i = 0; i < run->segments->len; i++)
    fail_unless_equals_string (lp_sink_field_string (g_ptr_array_index
            (run->segments, i), "verified"), "pixels");

  stats = lp_sink_stats (sink);
  check_orch_stats (stats, uri, FALSE, seconds);
  fail_unless (lp_sink_field_u64 (stats, "tickets") > 0);
  gst_structure_free (stats);
  debits = lp_test_orch_segments (f->orch[0], seconds, 5 * GST_SECOND);
  fail_unless_equals_int (debits->len, seconds);
  for (i = 0; i < debits->len; i++) {
    const GstStructure *d = g_ptr_array_index (debits, i);
    const GstStructure *s = segment_with_seq (run, lp_sink_field_u64 (d,
            "seq"));

    fail_unless (s != NULL);
    fail_unless_equals_string (lp_sink_field_string (d, "fee"),
        lp_sink_field_string (s, "fee"));
  }
  g_ptr_array_unref (debits);
  fail_unless (lp_test_orch_get_stat (f->orch[0], "tickets-received") > 0);

  /* stopping ends the session, with gRPC's EndTranscodingSession */
  fail_unless (open_sessions (f->orch[0]) >= 1);
  stop_pipeline (pipeline);
  /* (the orchestrator's ledger worker reaps an ended session: wait) */
  for (i = 0; i < 100 && open_sessions (f->orch[0]) > 0; i++)
    g_usleep (50 * G_TIME_SPAN_MILLISECOND);
  fail_unless_equals_int (open_sessions (f->orch[0]), 0);
  lp_sink_run_free (run);
  g_free (what);
  g_free (props);
  g_free (uri);
  fixture_free (f);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */

/* Two paid orchestrators, each behind a proxy; the first proxy to carry a
 * transcoded answer becomes the double and lies in every answer after
 * (@mode). With @reason, the sink must catch the lie (@reason in the
 * failover), suspend the double and redo the segment on the honest one,
 * losing nothing; with @reason NULL the lie is one @verify cannot see, and
 * the double's answers are written. Written segments say @verified. */
static void
run_tamper (LpTamperMode mode, const gchar * verify, const gchar * reason,
    const gchar * verified)
{
  const guint seconds = 4;
  Fixture *f = fixture_new ("1e18", "1e18", TRUE);
  ProxiedPair pair;
  LpTestProxy *liar, *honest;
  GstElement *pipeline, *sink;
  LpSinkRun *run = lp_sink_run_new ();
  GstStructure *stats;
  const GstStructure *o, *failover0;
  gchar *props, *extra, *what;
  guint i, k, lies;

  proxied_pair_start (&pair, f, mode);
  /* one segment at a time: the double is the one of segment 0 */
  extra = g_strdup_printf ("verify=%s max-in-flight=1", verify);
  props = sink_props (f, pair.uris, extra);
  pipeline = lp_sink_pipeline (seconds, props);
  sink = lp_sink_get_sink (pipeline);
  lp_sink_run_stream (run, pipeline, STREAM_TIMEOUT, NULL, NULL);
  what = lp_sink_run_describe (run);

  liar = proxied_pair_liar (&pair, what, &honest);
  lies = lp_test_proxy_count (liar, &liar->tampered);
  fail_unless (lies >= 1);
  fail_unless_equals_int (lp_test_proxy_count (honest, &honest->tampered),
      0);
  check_run_complete (run, seconds);
  check_hls (f->hls, seconds);
  for (i = 0; i < run->segments->len; i++)
    fail_unless_equals_string (lp_sink_field_string (g_ptr_array_index
            (run->segments, i), "verified"), verified);
  /* behind the proxies the real orchestrators were paid and did the work
   * (the double's backend too: the lies are the proxy's) */
  for (k = 0; k < 2; k++) {
    guint carried = lp_test_proxy_count (pair.proxy[k],
        &pair.proxy[k]->segments);
    /* (posted once the answer is out: wait for them) */
    GPtrArray *done = lp_test_orch_segments (f->orch[k], carried,
        5 * GST_SECOND);

    fail_unless_equals_int (done->len, carried);
    g_ptr_array_unref (done);
    fail_unless_equals_uint64 (lp_test_orch_get_stat (f->orch[k],
            "segments-ok"), carried);
    if (carried > 0)
      fail_unless (lp_test_orch_get_stat (f->orch[k], "tickets-received") > 0);
  }
  stats = lp_sink_stats (sink);

  if (reason == NULL) {
    /* unseen: every lie written as the double's work */
    fail_unless (run->failovers->len == 0, "%s", what);
    fail_unless_equals_int (segments_of (run, liar->uri), lies);
    fail_unless_equals_string (lp_sink_field_string (g_ptr_array_index
            (run->segments, 0), "orchestrator"), liar->uri);
    check_orch_stats (stats, liar->uri, FALSE, lies);
    fail_unless_equals_uint64 (lp_sink_field_u64 (stats, "retries"), 0);
    goto done;
  }

  /* every lie caught, on segment 0 first, and named */
  fail_unless_equals_int (run->failovers->len, lies);
  assert_failed_over (run, liar, honest, reason, seconds);
  failover0 = g_ptr_array_index (run->failovers, 0);
  fail_unless_equals_int (lp_sink_field_uint (failover0, "attempt"), 1);
  /* the double never used again */
  fail_unless_equals_int (lp_test_proxy_count (liar, &liar->segments), 1);

  o = check_orch_stats (stats, liar->uri, TRUE, 0);
  fail_unless_equals_uint64 (lp_sink_field_u64 (o, "failures"), 1);
  check_orch_stats (stats, honest->uri, FALSE, seconds);
  fail_unless_equals_uint64 (lp_sink_field_u64 (stats, "retries"), 1);

done:
  gst_structure_free (stats);
  stop_pipeline (pipeline);
  proxied_pair_stop (&pair);
  lp_sink_run_free (run);
  g_free (what);
  g_free (extra);
  g_free (props);
  fixture_free (f);
}

/* the double reports one frame more than it made, correctly signed */
GST_START_TEST (test_tamper_pixels)
{
  run_tamper (LP_TAMPER_PIXELS, "pixels", "PixelMismatch", "pixels");
}

GST_END_TEST;

/* the double swaps two renditions (and their pixel counts): the signature
 * alone catches it */
GST_START_TEST (test_tamper_swapped_renditions)
{
  run_tamper (LP_TAMPER_SWAP, "signature", "PM Check Failed", "signature");
}

GST_END_TEST;

/* the double signs with a key that is not the orchestrator's */
GST_START_TEST (test_tamper_foreign_signature)
{
  run_tamper (LP_TAMPER_FOREIGN_KEY, "pixels", "PM Check Failed", "pixels");
}

GST_END_TEST;

/* the double sends a rendition of other content, same size, frames and
 * pixels, correctly signed: the pixel check cannot see it ... */
GST_START_TEST (test_tamper_content_unseen_by_pixels)
{
  run_tamper (LP_TAMPER_CONTENT, "pixels", NULL, "pixels");
}

GST_END_TEST;

/* ... lpverify on every segment does */
GST_START_TEST (test_tamper_content_caught_by_quality)
{
  run_tamper (LP_TAMPER_CONTENT, "quality verify-sample-rate=1",
      "QualityMismatch", "quality");
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */
/* Hostile orchestrators: every request has a deadline and a size cap */

static guint64
hostile_bytes (LpTestProxy * proxy)
{
  guint64 bytes;

  g_mutex_lock (&proxy->lock);
  bytes = proxy->hostile_bytes;
  g_mutex_unlock (&proxy->lock);
  return bytes;
}

/* Two paid orchestrators, each behind a proxy; the first proxy a segment
 * comes to becomes the double and answers it as a hostile peer (@mode)
 * rather than forwarding it. The sink cuts that answer at its deadline or
 * its size cap (@reason in the failover) and redoes the segment on the
 * honest one: nothing is lost, and the stream ends in bounded time. */
static void
run_hostile (LpTamperMode mode, const gchar * extra, const gchar * reason)
{
  const guint seconds = 3;
  Fixture *f = fixture_new ("1e18", "1e18", FALSE);
  ProxiedPair pair;
  LpTestProxy *liar, *honest;
  GstElement *pipeline;
  LpSinkRun *run = lp_sink_run_new ();
  gchar *props, *all_extra, *what;
  GstClockTime elapsed;

  proxied_pair_start (&pair, f, mode);
  /* one segment at a time: the double is the one of segment 0 */
  all_extra = g_strdup_printf ("max-in-flight=1 %s", extra ? extra : "");
  props = sink_props (f, pair.uris, all_extra);
  pipeline = lp_sink_pipeline (seconds, props);
  /* (before the deadlines, a trickled answer held the stream forever) */
  lp_sink_run_stream (run, pipeline, 20 * GST_SECOND, NULL, NULL);
  what = lp_sink_run_describe (run);

  liar = proxied_pair_liar (&pair, what, &honest);
  fail_unless (lp_test_proxy_count (liar, &liar->hostile) >= 1);
  check_run_complete (run, seconds);
  fail_unless (run->failovers->len >= 1, "%s", what);
  assert_failed_over (run, liar, honest, reason, seconds);
  if (mode != LP_TAMPER_TRICKLE) {
    /* what the double could write before the sink hung up: the sink's
     * cap (about 3 MiB here) and the sockets' buffers; not its 64 MiB */
    fail_unless (hostile_bytes (liar) <= 32 * 1024 * 1024, "the sink took "
        "%" G_GUINT64_FORMAT " bytes of zeros", hostile_bytes (liar));
  }
  fail_unless_equals_int (lp_sink_set_state_within (pipeline, GST_STATE_NULL,
          10 * GST_SECOND, &elapsed), GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (pipeline);
  proxied_pair_stop (&pair);
  lp_sink_run_free (run);
  g_free (what);
  g_free (all_extra);
  g_free (props);
  fixture_free (f);
}

/* a byte every 250 ms, without end: cut at the segment's deadline */
GST_START_TEST (test_hostile_trickled_segment)
{
  run_hostile (LP_TAMPER_TRICKLE, "segment-timeout=1500",
      "no complete answer within 1500 ms");
}

GST_END_TEST;

/* 1 GiB declared: refused unread */
GST_START_TEST (test_hostile_huge_declared_answer)
{
  run_hostile (LP_TAMPER_ZEROS_LENGTH, NULL,
      "the answer declares 1073741824 bytes, more than the");
}

GST_END_TEST;

/* zeros, chunked: cut once the cap is read */
GST_START_TEST (test_hostile_endless_chunked_answer)
{
  run_hostile (LP_TAMPER_ZEROS_CHUNKED, NULL,
      "the answer is larger than the");
}

GST_END_TEST;

/* One orchestrator trickles its discovery answer, one sends zeros
 * without end instead, the third trickles its answer to /endSession:
 * READY to PAUSED waits for none beyond discovery-timeout nor reads more
 * than 256 KiB of an answer, the stream goes through the third, and NULL
 * comes within the 2 s /endSession deadline. */
GST_START_TEST (test_hostile_discovery_and_end)
{
  const guint seconds = 2;
  Fixture *f = fixture_new ("1e18", "1e18", FALSE);
  LpTamperElection election;
  LpTestProxy *ends, *discovers, *floods;
  GstElement *pipeline;
  LpSinkRun *run = lp_sink_run_new ();
  GstStateChangeReturn ret;
  GstClockTime elapsed;
  gchar *uris, *props, *what;
  guint k;

  g_mutex_init (&election.lock);
  election.mode = LP_TAMPER_NONE;
  election.double_ = NULL;
  for (k = 0; k < 2; k++)
    fixture_start (f, k, PRICE);
  ends = lp_test_proxy_new (&election, f->orch[0]->port, f->orch[0]->key);
  discovers = lp_test_proxy_new (&election, f->orch[1]->port,
      f->orch[1]->key);
  floods = lp_test_proxy_new (&election, f->orch[1]->port, f->orch[1]->key);
  g_mutex_lock (&ends->lock);
  ends->end_session_answer = LP_TAMPER_TRICKLE;
  g_mutex_unlock (&ends->lock);
  g_mutex_lock (&discovers->lock);
  discovers->discovery_answer = LP_TAMPER_TRICKLE;
  g_mutex_unlock (&discovers->lock);
  g_mutex_lock (&floods->lock);
  floods->discovery_answer = LP_TAMPER_ZEROS_CHUNKED;
  g_mutex_unlock (&floods->lock);
  uris = g_strdup_printf ("%s,%s,%s", ends->uri, discovers->uri,
      floods->uri);
  props = sink_props (f, uris, "discovery-timeout=500 max-in-flight=1");
  pipeline = lp_sink_pipeline (seconds, props);

  ret = lp_sink_set_state_within_full (pipeline, GST_STATE_PAUSED, FALSE,
      5 * GST_SECOND, &elapsed);
  fail_if (ret == GST_STATE_CHANGE_FAILURE);
  fail_unless (elapsed < 2 * GST_SECOND, "READY to PAUSED took %"
      GST_TIME_FORMAT, GST_TIME_ARGS (elapsed));
  fail_unless_equals_int (lp_test_proxy_count (discovers,
          &discovers->hostile), 1);
  fail_unless_equals_int (lp_test_proxy_count (floods, &floods->hostile), 1);
  fail_unless (hostile_bytes (floods) <= 32 * 1024 * 1024, "the sink took "
      "%" G_GUINT64_FORMAT " bytes of zeros", hostile_bytes (floods));

  lp_sink_run_stream (run, pipeline, STREAM_TIMEOUT, NULL, NULL);
  what = lp_sink_run_describe (run);
  check_run_complete (run, seconds);
  fail_unless_equals_int (segments_of (run, ends->uri), seconds);

  ret = lp_sink_set_state_within (pipeline, GST_STATE_NULL, 6 * GST_SECOND,
      &elapsed);
  fail_unless_equals_int (ret, GST_STATE_CHANGE_SUCCESS);
  fail_unless (elapsed < 4 * GST_SECOND, "to NULL took %" GST_TIME_FORMAT,
      GST_TIME_ARGS (elapsed));
  fail_unless_equals_int (lp_test_proxy_count (ends, &ends->hostile), 1);

  gst_object_unref (pipeline);
  lp_test_proxy_free (ends);
  lp_test_proxy_free (discovers);
  lp_test_proxy_free (floods);
  g_mutex_clear (&election.lock);
  lp_sink_run_free (run);
  g_free (what);
  g_free (props);
  g_free (uris);
  fixture_free (f);
}

GST_END_TEST;

/* An orchestrator with room for one session and a sink with three
 * dispatch threads: the threads refused capacity ("OrchestratorCapped")
 * send their segments through the session the stream holds there, and
 * nothing is lost. */
GST_START_TEST (test_capped_shares_held_session)
{
  const guint seconds = 4;
  Fixture *f = fixture_new ("1e18", "1e18", FALSE);
  GstElement *pipeline;
  LpSinkRun *run = lp_sink_run_new ();
  gchar *props, *what;

  lp_test_orch_start (f->net, f->orch[0], "price-per-unit", (guint64) PRICE,
      "ticket-ev", TICKET_EV, "max-sessions", 1, NULL);
  props = sink_props (f, f->orch[0]->uri, "max-in-flight=3");
  pipeline = lp_sink_pipeline (seconds, props);
  lp_sink_run_stream (run, pipeline, STREAM_TIMEOUT, NULL, NULL);
  what = lp_sink_run_describe (run);
  check_run_complete (run, seconds);
  fail_unless (run->failovers->len == 0, "%s", what);
  fail_unless_equals_uint64 (lp_test_orch_get_stat (f->orch[0], "segments-ok"),
      seconds);
  stop_pipeline (pipeline);
  lp_sink_run_free (run);
  g_free (what);
  g_free (props);
  fixture_free (f);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */

/* A lone livepeersink with its own bus, for start-up failures. */
static GstElement *
lone_sink (GstBus ** bus)
{
  GstElement *sink = gst_element_factory_make ("livepeersink", NULL);

  fail_unless (sink != NULL);
  *bus = gst_bus_new ();
  gst_element_set_bus (sink, *bus);
  return sink;
}

/* @sink fails the state change to @state (after reaching the one before
 * it) within @limit, with an error whose text (message and debug) holds
 * @expected; returns that text. */
static gchar *
expect_start_error_text (GstElement * sink, GstBus * bus, GstState state,
    const gchar * expected, GstClockTime limit)
{
  GstMessage *msg;
  GError *error = NULL;
  gchar *debug = NULL, *text;
  GstClockTime elapsed;

  if (state == GST_STATE_PAUSED)
    fail_unless_equals_int (lp_sink_set_state_within (sink, GST_STATE_READY,
            10 * GST_SECOND, NULL), GST_STATE_CHANGE_SUCCESS);
  fail_unless_equals_int (lp_sink_set_state_within (sink, state, limit,
          &elapsed), GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no error message (expected '%s')", expected);
  gst_message_parse_error (msg, &error, &debug);
  text = g_strdup_printf ("%s (%s)", error->message, debug ? debug : "");
  fail_unless (strstr (text, expected) != NULL, "'%s' does not say '%s'",
      text, expected);
  GST_INFO ("to %s in %" GST_TIME_FORMAT ": %s",
      gst_element_state_get_name (state), GST_TIME_ARGS (elapsed), text);
  g_free (debug);
  g_error_free (error);
  gst_message_unref (msg);
  fail_unless_equals_int (lp_sink_set_state_within (sink, GST_STATE_NULL,
          10 * GST_SECOND, NULL), GST_STATE_CHANGE_SUCCESS);
  /* drop what else it said */
  gst_bus_set_flushing (bus, TRUE);
  gst_bus_set_flushing (bus, FALSE);
  return text;
}

static void
expect_start_error (GstElement * sink, GstBus * bus, GstState state,
    const gchar * expected, GstClockTime limit)
{
  g_free (expect_start_error_text (sink, bus, state, expected, limit));
}

/* no key, unreadable or malformed keys, bad profiles, no ledger: NULL to
 * READY fails with an error naming the property */
GST_START_TEST (test_bad_settings)
{
  LpTestNet *net = lp_test_net_new ("1e18", "1e18");
  gchar *key_file = lp_test_net_bcast_key_file (net);
  gchar *loose = g_build_filename (net->dir, "loose.key", NULL);
  gchar *garbage = g_build_filename (net->dir, "garbage.key", NULL);
  gchar *missing = g_build_filename (net->dir, "missing.key", NULL);
  gchar *no_ledger = g_build_filename (net->dir, "missing.db", NULL);
  gchar *contents;
  GstElement *sink;
  GstBus *bus;

  /* the key readable by others; then not a key at all */
  fail_unless (g_file_get_contents (key_file, &contents, NULL, NULL));
  fail_unless (g_file_set_contents (loose, contents, -1, NULL));
  fail_unless (g_chmod (loose, 0644) == 0);
  g_free (contents);
  fail_unless (g_file_set_contents (garbage, "not a key\n", -1, NULL));
  fail_unless (g_chmod (garbage, 0600) == 0);

  sink = lone_sink (&bus);
  g_object_set (sink, "ledger", net->ledger_path, "orchestrators",
      "http://127.0.0.1:1", NULL);
  expect_start_error (sink, bus, GST_STATE_READY, "key-file",
      5 * GST_SECOND);
  g_object_set (sink, "key-file", missing, NULL);
  expect_start_error (sink, bus, GST_STATE_READY, "key-file:",
      5 * GST_SECOND);
  g_object_set (sink, "key-file", loose, NULL);
  expect_start_error (sink, bus, GST_STATE_READY, "key-file:",
      5 * GST_SECOND);
  g_object_set (sink, "key-file", garbage, NULL);
  expect_start_error (sink, bus, GST_STATE_READY, "key-file:",
      5 * GST_SECOND);
  g_object_set (sink, "key-file", net->dir, NULL);
  expect_start_error (sink, bus, GST_STATE_READY, "key-file:",
      5 * GST_SECOND);

  g_object_set (sink, "key-file", key_file, "profiles",
      "P144p30fps16x9,nonsense", NULL);
  expect_start_error (sink, bus, GST_STATE_READY, "profiles:",
      5 * GST_SECOND);
  g_object_set (sink, "profiles", "lo:160x90@30:fast", NULL);
  expect_start_error (sink, bus, GST_STATE_READY, "profiles:",
      5 * GST_SECOND);
  g_object_set (sink, "profiles", "", NULL);
  expect_start_error (sink, bus, GST_STATE_READY, "profiles:",
      5 * GST_SECOND);

  g_object_set (sink, "profiles", PROFILES, "ledger", no_ledger, NULL);
  expect_start_error (sink, bus, GST_STATE_READY, "ledger:",
      5 * GST_SECOND);
  gst_object_unref (sink);
  gst_object_unref (bus);

  g_free (no_ledger);
  g_free (missing);
  g_free (garbage);
  g_free (loose);
  g_free (key_file);
  lp_test_net_free (net);
}

GST_END_TEST;

/* A priced orchestrator and a broadcaster with @deposit and @reserve:
 * READY to PAUSED fails and names the deposit */
static void
expect_unfunded_start_error (const gchar * deposit, const gchar * reserve)
{
  LpTestNet *net = lp_test_net_new (deposit, reserve);
  LpTestOrch *o = lp_test_orch_from_net (net);
  gchar *key_file = lp_test_net_bcast_key_file (net);
  GstElement *sink;
  GstBus *bus;

  lp_test_orch_start (net, o, "price-per-unit", (guint64) PRICE, NULL);
  sink = lone_sink (&bus);
  g_object_set (sink, "key-file", key_file, "ledger", net->ledger_path,
      "orchestrators", o->uri, "profiles", PROFILES, NULL);
  expect_start_error (sink, bus, GST_STATE_PAUSED, "deposit",
      10 * GST_SECOND);
  gst_object_unref (sink);
  gst_object_unref (bus);
  lp_test_orch_free (o);
  g_free (key_file);
  lp_test_net_free (net);
}

/* without deposit */
GST_START_TEST (test_no_deposit)
{
  expect_unfunded_start_error ("0", "1e18");
}

GST_END_TEST;

/* neither deposit nor reserve: still an error about the deposit */
GST_START_TEST (test_no_funds)
{
  expect_unfunded_start_error ("0", "0");
}

GST_END_TEST;

/* connection refused: READY to PAUSED fails at once */
GST_START_TEST (test_unreachable)
{
  LpTestNet *net = lp_test_net_new ("1e18", "1e18");
  gchar *key_file = lp_test_net_bcast_key_file (net);
  gchar *text;
  GstElement *sink;
  GstBus *bus;

  sink = lone_sink (&bus);
  g_object_set (sink, "key-file", key_file, "ledger", net->ledger_path,
      "orchestrators", "http://127.0.0.1:1", "profiles", PROFILES, NULL);
  text = expect_start_error_text (sink, bus, GST_STATE_PAUSED,
      "No orchestrator answered discovery: http://127.0.0.1:1: "
      "GetOrchestrator: ", 3 * GST_SECOND);
  fail_unless (strstr (text, "Connection refused") != NULL, "%s", text);
  g_free (text);
  /* every one named, the empty entry skipped */
  g_object_set (sink, "orchestrators", "http://127.0.0.1:1, ,"
      "http://127.0.0.1:2", NULL);
  text = expect_start_error_text (sink, bus, GST_STATE_PAUSED,
      "No orchestrator answered discovery", 3 * GST_SECOND);
  fail_unless (strstr (text, "http://127.0.0.1:1/") != NULL, "%s", text);
  fail_unless (strstr (text, "http://127.0.0.1:2/") != NULL, "%s", text);
  g_free (text);
  gst_object_unref (sink);
  gst_object_unref (bus);
  g_free (key_file);
  lp_test_net_free (net);
}

GST_END_TEST;

/* A peer that answers HTTP/1.1 only (the proxy's segment port, as an
 * orchestrator of our former JSON dialect would) is not used: gRPC
 * discovery is the only one, and the error says so */
GST_START_TEST (test_http1_only_peer)
{
  Fixture *f = fixture_new ("1e18", "1e18", FALSE);
  LpTamperElection election;
  LpTestProxy *proxy;
  GstElement *sink;
  GstBus *bus;
  gchar *text, *expected;

  g_mutex_init (&election.lock);
  election.mode = LP_TAMPER_NONE;
  election.double_ = NULL;
  fixture_start (f, 0, PRICE);
  proxy = lp_test_proxy_new (&election, f->orch[0]->port, f->orch[0]->key);
  sink = lone_sink (&bus);
  g_object_set (sink, "key-file", f->key_file, "ledger",
      f->net->ledger_path, "orchestrators", proxy->transcoder, "profiles",
      PROFILES, NULL);
  expected = g_strdup_printf ("No orchestrator answered discovery: %s: "
      "GetOrchestrator: ", proxy->transcoder);
  text = expect_start_error_text (sink, bus, GST_STATE_PAUSED, expected,
      3 * GST_SECOND);
  fail_unless (strstr (text, "(no answer to go-livepeer's gRPC discovery, "
          "the only one livepeersink speaks: is it a Livepeer "
          "orchestrator?)") != NULL, "%s", text);
  fail_unless_equals_int (lp_test_proxy_count (proxy, &proxy->discoveries),
      0);
  g_free (text);
  g_free (expected);
  gst_object_unref (sink);
  gst_object_unref (bus);
  lp_test_proxy_free (proxy);
  g_mutex_clear (&election.lock);
  fixture_free (f);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */

/* one orchestrator at 1000, one at 100, a cap of 500: only the cheap one;
 * a cap under both: no start */
GST_START_TEST (test_price_cap)
{
  const guint seconds = 4;
  Fixture *f = fixture_new ("1e18", "1e18", FALSE);
  GstElement *pipeline, *sink;
  LpSinkRun *run = lp_sink_run_new ();
  GstStructure *stats;
  const GstStructure *o;
  gchar *uris, *props;
  GstBus *bus;
  guint i;

  fixture_start (f, 0, 1000);
  fixture_start (f, 1, 100);
  uris = g_strdup_printf ("%s,%s", f->orch[0]->uri, f->orch[1]->uri);
  props = sink_props (f, uris, "max-price-per-unit=500");
  pipeline = lp_sink_pipeline (seconds, props);
  sink = lp_sink_get_sink (pipeline);
  lp_sink_run_stream (run, pipeline, STREAM_TIMEOUT, NULL, NULL);
  check_run_complete (run, seconds);
  fail_unless_equals_int (run->failovers->len, 0);
  for (i = 0; i < run->segments->len; i++) {
    const GstStructure *s = g_ptr_array_index (run->segments, i);
    LpRational *fee = price_fee (100, lp_sink_field_u64 (s, "pixels"));
    gchar *text = lp_rational_to_string (fee);

    fail_unless_equals_string (lp_sink_field_string (s, "orchestrator"),
        f->orch[1]->uri);
    fail_unless_equals_string (lp_sink_field_string (s, "fee"), text);
    g_free (text);
    lp_rational_free (fee);
  }
  stats = lp_sink_stats (sink);
  o = lp_sink_stats_orch (stats, f->orch[0]->uri);
  /* the expensive one may be known, never used */
  if (o != NULL) {
    fail_unless_equals_uint64 (lp_sink_field_u64 (o, "segments"), 0);
    fail_unless_equals_uint64 (lp_sink_field_u64 (o, "failures"), 0);
  }
  gst_structure_free (stats);
  fail_unless_equals_uint64 (lp_test_orch_get_stat (f->orch[0], "segments-ok"),
      0);
  fail_unless_equals_uint64 (lp_test_orch_get_stat (f->orch[0],
          "tickets-received"), 0);
  {
    /* (posted once the answer is out: wait for them) */
    GPtrArray *done = lp_test_orch_segments (f->orch[1], seconds,
        5 * GST_SECOND);

    fail_unless_equals_int (done->len, seconds);
    g_ptr_array_unref (done);
  }
  fail_unless_equals_uint64 (lp_test_orch_get_stat (f->orch[1], "segments-ok"),
      seconds);
  stop_pipeline (pipeline);

  /* both over the cap */
  sink = lone_sink (&bus);
  g_object_set (sink, "key-file", f->key_file, "ledger", f->net->ledger_path,
      "orchestrators", uris, "profiles", PROFILES, "max-price-per-unit",
      (guint64) 50, NULL);
  expect_start_error (sink, bus, GST_STATE_PAUSED, "the cap of 50 wei",
      10 * GST_SECOND);
  gst_object_unref (sink);
  gst_object_unref (bus);

  lp_sink_run_free (run);
  g_free (props);
  g_free (uris);
  fixture_free (f);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */

typedef struct
{
  gchar *profile;
  guint64 seq;
  gsize size;
  guint8 first_byte;
  GThread *thread;
} Rendition;

typedef struct
{
  GMutex lock;
  GArray *renditions;
} Renditions;

static void
on_rendition (GstElement * sink, const gchar * profile, guint64 seq,
    GstBuffer * buffer, Renditions * r)
{
  Rendition item = { g_strdup (profile), seq, gst_buffer_get_size (buffer),
    0, g_thread_self ()
  };

  gst_buffer_extract (buffer, 0, &item.first_byte, 1);
  g_mutex_lock (&r->lock);
  g_array_append_val (r->renditions, item);
  g_mutex_unlock (&r->lock);
}

/* no location: every rendition of every segment through the signal, in
 * sequence order, profiles in order, from a thread not the application's */
GST_START_TEST (test_rendition_signal)
{
  const guint seconds = 4;
  Fixture *f = fixture_new ("1e18", "1e18", FALSE);
  Renditions r;
  GstElement *pipeline, *sink;
  LpSinkRun *run = lp_sink_run_new ();
  gchar *props;
  gchar **names = g_strsplit (PROFILE_NAMES, ",", -1);
  guint i, n_profiles = g_strv_length (names);

  g_mutex_init (&r.lock);
  r.renditions = g_array_new (FALSE, FALSE, sizeof (Rendition));
  fixture_start (f, 0, PRICE);
  props = sink_props (f, f->orch[0]->uri, NULL);
  pipeline = lp_sink_pipeline (seconds, props);
  sink = lp_sink_get_sink (pipeline);
  g_signal_connect (sink, "rendition", G_CALLBACK (on_rendition), &r);
  lp_sink_run_stream (run, pipeline, STREAM_TIMEOUT, NULL, NULL);
  check_run_complete (run, seconds);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);

  fail_unless_equals_int (r.renditions->len, seconds * n_profiles);
  for (i = 0; i < r.renditions->len; i++) {
    Rendition *item = &g_array_index (r.renditions, Rendition, i);

    fail_unless_equals_uint64 (item->seq, i / n_profiles);
    fail_unless_equals_string (item->profile, names[i % n_profiles]);
    fail_unless (item->size >= 188 && item->size % 188 == 0,
        "rendition %u of seq %" G_GUINT64_FORMAT ": %" G_GSIZE_FORMAT
        " bytes", i % n_profiles, item->seq, item->size);
    fail_unless_equals_int (item->first_byte, 0x47);
    fail_if (item->thread == g_thread_self ());
    g_free (item->profile);
  }
  g_array_unref (r.renditions);
  g_mutex_clear (&r.lock);
  gst_object_unref (pipeline);
  g_strfreev (names);
  lp_sink_run_free (run);
  g_free (props);
  fixture_free (f);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */

/* A job instead of transcoding: only the orchestrator offering it is used,
 * each segment's metadata comes back as a livepeersink-analysis message
 * and LOCATION/CAPABILITY/SEQ.json, billed per frame at its price. */
#define JOB_PRICE 700
#define JOB_ID 1028

typedef struct
{
  GPtrArray *analyses;          /* GstStructure* */
} Analyses;

static void
keep_analysis (LpSinkRun * run, GstMessage * msg, gpointer data)
{
  Analyses *a = data;
  const GstStructure *s = gst_message_get_structure (msg);

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT
      && gst_structure_has_name (s, "livepeersink-analysis"))
    g_ptr_array_add (a->analyses, gst_structure_copy (s));
}

GST_START_TEST (test_job_analysis)
{
  const guint seconds = 3;
  Fixture *f = fixture_new ("1e18", "1e18", TRUE);
  gchar *caps_path = g_build_filename (f->net->dir, "caps.ini", NULL);
  Analyses a = { g_ptr_array_new_with_free_func ((GDestroyNotify)
        gst_structure_free) };
  LpSinkRun *run = lp_sink_run_new ();
  GstElement *pipeline;
  gchar *uris, *props, *text;
  guint i;

  /* videoanalyse posts one message a frame: no model to download */
  text = g_strdup_printf ("[brightness]\nmodel-id=videoanalyse\n"
      "pipeline=videoconvert ! videoanalyse\nunit=frames\n"
      "price-per-unit=%d\ncapability-id=%d\n", JOB_PRICE, JOB_ID);
  fail_unless (g_file_set_contents (caps_path, text, -1, NULL));
  g_free (text);
  lp_test_orch_start (f->net, f->orch[0], "ticket-ev", TICKET_EV,
      "capabilities", caps_path, NULL);
  fixture_start (f, 1, PRICE);  /* transcoding only */
  uris = g_strdup_printf ("%s,%s", f->orch[0]->uri, f->orch[1]->uri);
  /* not a shipped job: its id, outputs and unit as the orchestrator
   * defines them (go-livepeer's messages carry none but the id) */
  text = g_strdup_printf ("job=brightness model=videoanalyse job-id=%d "
      "job-outputs=metadata job-unit=frames", JOB_ID);
  props = sink_props (f, uris, text);
  g_free (text);
  pipeline = lp_sink_pipeline (seconds, props);
  lp_sink_run_stream (run, pipeline, STREAM_TIMEOUT, keep_analysis, &a);
  check_run_complete (run, seconds);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);

  fail_unless_equals_int (a.analyses->len, seconds);
  for (i = 0; i < seconds; i++) {
    const GstStructure *seg = g_ptr_array_index (run->segments, i);
    const GstStructure *an = g_ptr_array_index (a.analyses, i);
    gchar *name = g_strdup_printf ("%u.json", i);
    gchar *path = g_build_filename (f->hls, "brightness", name, NULL);
    gchar *file = lp_sink_read_text (path);
    gchar *fee = g_strdup_printf ("%d", 30 * JOB_PRICE);

    fail_unless_equals_string (lp_sink_field_string (seg, "orchestrator"),
        f->orch[0]->uri);
    /* 1 s segments of 30 frames, billed per frame */
    fail_unless_equals_uint64 (lp_sink_field_u64 (seg, "pixels"), 30);
    fail_unless_equals_string (lp_sink_field_string (seg, "fee"), fee);
    fail_unless_equals_uint64 (lp_sink_field_u64 (an, "seq"), i);
    fail_unless_equals_uint64 (lp_sink_field_u64 (an, "units"), 30);
    fail_unless_equals_int (lp_sink_field_uint (an, "messages"), 30);
    fail_unless_equals_string (lp_sink_field_string (an, "capability"),
        "brightness");
    fail_unless_equals_string (file, lp_sink_field_string (an, "analysis"));
    fail_unless (strstr (file, "\"element\":\"videoanalyse\"") != NULL,
        "%s", file);
    g_free (fee);
    g_free (file);
    g_free (path);
    g_free (name);
  }
  g_ptr_array_unref (a.analyses);
  gst_object_unref (pipeline);
  lp_sink_run_free (run);
  g_free (props);
  g_free (uris);
  g_free (caps_path);
  fixture_free (f);
}

GST_END_TEST;

/* A job needs its model; no orchestrator offering it is a clear error */
/* A sink on the fixture's first orchestrator with @extra refuses PAUSED
 * with an error that says @text. */
static void
expect_pause_refused (Fixture * f, const gchar * extra, const gchar * text)
{
  gchar *props = sink_props (f, f->orch[0]->uri, extra);
  GstElement *pipeline = lp_sink_pipeline (1, props);
  GstMessage *msg;
  GError *err = NULL;

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (GST_ELEMENT_BUS (pipeline), GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (strstr (err->message, text) != NULL, "%s", err->message);
  g_clear_error (&err);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  g_free (props);
}

GST_START_TEST (test_job_errors)
{
  Fixture *f = fixture_new ("1e18", "1e18", FALSE);

  fixture_start (f, 0, PRICE);
  expect_pause_refused (f, "job=brightness", "job brightness needs a model");
  /* go-livepeer's dialect names a job by id: another than a shipped one
   * needs its id, outputs and unit */
  expect_pause_refused (f, "job=brightness model=m",
      "job brightness: set job-id to its capability id");
  expect_pause_refused (f, "job=brightness model=m job-id=1028",
      "job brightness is not a shipped job: set job-outputs and job-unit");
  expect_pause_refused (f, "job=edges model=m job-unit=bytes",
      "job-unit: 'bytes' is not pixels, frames or seconds");
  /* an orchestrator without it refuses it by id */
  expect_pause_refused (f, "job=face-detection model=m",
      "incompatible capabilities: capability 1024 is not offered here");
  fixture_free (f);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */

/* A stream that ends before any data: EOS, no error, nothing written.
 * @caps: what the appsrc says it will send (NULL: nothing, so the sink
 * never learns its input's type). */
static void
run_eos_before_data (const gchar * caps)
{
  Fixture *f = fixture_new ("1e18", "1e18", TRUE);
  GstElement *pipeline, *src;
  LpSinkRun *run = lp_sink_run_new ();
  gchar *props, *desc, *what, *master;
  GError *error = NULL;

  fixture_start (f, 0, PRICE);
  props = sink_props (f, f->orch[0]->uri, NULL);
  desc = g_strdup_printf ("appsrc name=src format=time %s%s ! livepeersink "
      "name=sink %s", caps ? "caps=" : "", caps ? caps : "", props);
  pipeline = gst_parse_launch (desc, &error);
  fail_unless (pipeline != NULL, "%s", error ? error->message : "");
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  fail_unless_equals_int (gst_app_src_end_of_stream (GST_APP_SRC (src)),
      GST_FLOW_OK);
  lp_sink_run_stream (run, pipeline, 20 * GST_SECOND, NULL, NULL);
  what = lp_sink_run_describe (run);
  fail_unless (run->error == NULL && run->eos, "%s", what);
  fail_unless_equals_int (run->segments->len, 0);
  fail_unless_equals_int (run->lost->len, 0);
  master = g_build_filename (f->hls, "master.m3u8", NULL);
  fail_if (g_file_test (master, G_FILE_TEST_EXISTS), "a ladder of nothing");
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (src);
  gst_object_unref (pipeline);
  lp_sink_run_free (run);
  g_free (master);
  g_free (what);
  g_free (desc);
  g_free (props);
  fixture_free (f);
}

/* (gst-launch-1.0 -e stopped before the first frame) */
GST_START_TEST (test_eos_before_caps)
{
  run_eos_before_data (NULL);
}

GST_END_TEST;

GST_START_TEST (test_eos_after_caps_before_data)
{
  run_eos_before_data ("\"video/x-raw,format=I420,width=320,height=180,"
      "framerate=30/1\"");
}

GST_END_TEST;

/* an MPEG-TS file (H.264, a keyframe a second) straight from filesrc:
 * found by the entry's typefind, cut on its keyframes, not re-encoded */
/* A pipeline that reads an MPEG-TS file of @seconds of 320x180 video
 * (written into the ledger's directory) into a livepeersink on the
 * fixture's first orchestrator, started, with @extra. */
static GstElement *
file_input_pipeline (Fixture * f, guint seconds, const gchar * extra)
{
  GBytes *ts = lp_test_make_segment (320, 180, seconds * FPS, FPS);
  gchar *path = g_build_filename (f->net->dir, "input.ts", NULL);
  GstElement *pipeline;
  GError *error = NULL;
  gchar *props, *desc;

  fail_unless (g_file_set_contents (path, g_bytes_get_data (ts, NULL),
          g_bytes_get_size (ts), NULL));
  fixture_start (f, 0, PRICE);
  props = sink_props (f, f->orch[0]->uri, extra);
  desc = g_strdup_printf ("filesrc location=\"%s\" ! livepeersink name=sink "
      "segment-duration=1000 %s", path, props);
  pipeline = gst_parse_launch (desc, &error);
  fail_unless (pipeline != NULL, "%s", error ? error->message : "");
  g_free (desc);
  g_free (props);
  g_free (path);
  g_bytes_unref (ts);
  return pipeline;
}

GST_START_TEST (test_mpegts_file_input)
{
  const guint seconds = 4;
  Fixture *f = fixture_new ("1e18", "1e18", TRUE);
  GstElement *pipeline = file_input_pipeline (f, seconds, NULL);
  LpSinkRun *run = lp_sink_run_new ();
  guint64 pixels = 0;
  guint i;

  lp_sink_run_stream (run, pipeline, 20 * GST_SECOND, NULL, NULL);
  check_run_complete (run, seconds);
  fail_unless_equals_int (run->failovers->len, 0);
  for (i = 0; i < run->segments->len; i++)
    pixels += lp_sink_field_u64 (g_ptr_array_index (run->segments, i),
        "pixels");
  fail_unless_equals_uint64 (pixels, (guint64) seconds * FPS * FRAME_PIXELS);
  check_hls (f->hls, seconds);
  /* the source variant is the input's own H.264, every frame of it */
  check_variant_frames (f->hls, "source", seconds * FPS);
  stop_pipeline (pipeline);
  lp_sink_run_free (run);
  fixture_free (f);
}

GST_END_TEST;

/* Plays @uri (hlsdemux for a playlist) to its end and counts the decoded
 * buffers of @caps ("video/x-raw" or "audio/x-raw"). */
static guint
count_decoded (const gchar * uri, const gchar * caps)
{
  gchar *desc = g_strdup_printf ("uridecodebin uri=%s caps=%s ! "
      "appsink name=sink sync=false", uri, caps);
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *sink;
  GstSample *sample;
  guint n = 0;

  fail_unless (pipeline != NULL, "%s", desc);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
              10 * GST_SECOND)) != NULL) {
    n++;
    gst_sample_unref (sample);
  }
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (sink)), "%s: no EOS", uri);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_free (desc);
  return n;
}

/* Segment N of every variant starts at the PTS of the source's segment N
 * (within one 30 fps frame), and each variant's segments follow each
 * other; read from the MPEG-TS files written. */
static void
check_time_line (const gchar * hls, const gchar * const *variants,
    guint segments)
{
  const gint64 frame = LP_MPEGTS_CLOCK_RATE / FPS;
  guint64 *source_starts = g_new0 (guint64, segments);
  guint i, n;

  for (i = 0; variants[i] != NULL; i++) {
    guint64 last_end = 0;

    for (n = 0; n < segments; n++) {
      gchar *path = g_strdup_printf ("%s/%s/%u.ts", hls, variants[i], n);
      gchar *data = NULL;
      gsize size;
      LpMpegtsSpan span;

      fail_unless (g_file_get_contents (path, &data, &size, NULL), "%s",
          path);
      fail_unless (lp_mpegts_video_span ((const guint8 *) data, size, &span),
          "%s has no video PTS", path);
      if (i == 0)
        source_starts[n] = span.start;
      fail_unless (ABS (lp_mpegts_diff (span.start, source_starts[n])) <=
          frame, "%s starts at %" G_GUINT64_FORMAT ", the source's segment "
          "at %" G_GUINT64_FORMAT, path, span.start, source_starts[n]);
      fail_unless (n == 0 || ABS (lp_mpegts_diff (span.start, last_end)) <=
          frame, "%s starts at %" G_GUINT64_FORMAT ", the one before ended "
          "at %" G_GUINT64_FORMAT, path, span.start, last_end);
      last_end = span.end;
      g_free (data);
      g_free (path);
    }
  }
  g_free (source_starts);
}

/* audio on the request pad: every rendition (and the source) carries it,
 * in step with the video, and the master playlist names its codec; the
 * variants share the source's time line */
GST_START_TEST (test_audio_carried)
{
  const guint seconds = 4;
  /* AAC frames of 1024 samples at 44.1 kHz for the stream's length */
  const guint audio_frames = seconds * 44100 / 1024;
  const gchar *variants[] = { "source", "P144p30fps16x9", "lo", NULL };
  Fixture *f = fixture_new ("1e18", "1e18", TRUE);
  LpSinkRun *run = lp_sink_run_new ();
  gchar *props, *desc, *master;
  GstElement *pipeline;
  GError *error = NULL;
  guint i;

  GstElementFactory *aac = gst_element_factory_find ("voaacenc");

  if (aac == NULL)
    aac = gst_element_factory_find ("avenc_aac");
  fail_unless (aac != NULL, "no AAC encoder (voaacenc or avenc_aac)");
  fixture_start (f, 0, PRICE);
  props = sink_props (f, f->orch[0]->uri, NULL);
  desc = g_strdup_printf ("videotestsrc num-buffers=%u pattern=ball ! "
      "video/x-raw,format=I420,width=320,height=180,framerate=30/1 ! "
      "livepeersink name=sink segment-duration=1000 %s "
      "audiotestsrc num-buffers=%u samplesperbuffer=1024 ! "
      "audio/x-raw,rate=44100 ! %s ! sink.audio", seconds * FPS,
      props, audio_frames, GST_OBJECT_NAME (aac));
  gst_object_unref (aac);
  pipeline = gst_parse_launch (desc, &error);
  fail_unless (pipeline != NULL, "%s", error ? error->message : "");
  lp_sink_run_stream (run, pipeline, 30 * GST_SECOND, NULL, NULL);
  check_run_complete (run, seconds);
  fail_unless_equals_int (run->failovers->len, 0);
  check_hls (f->hls, seconds);
  check_time_line (f->hls, variants, seconds);
  for (i = 0; variants[i] != NULL; i++) {
    gchar *uri = g_strdup_printf ("file://%s/%s/index.m3u8", f->hls,
        variants[i]);
    guint audio = count_decoded (uri, "audio/x-raw");

    fail_unless_equals_int (count_decoded (uri, "video/x-raw"),
        seconds * FPS);
    /* the encoder may add a frame of priming or flushing */
    fail_unless (audio + 2 >= audio_frames && audio <= audio_frames + 2,
        "%s: %u audio frames, expected about %u", variants[i], audio,
        audio_frames);
    g_free (uri);
  }
  master = g_build_filename (f->hls, "master.m3u8", NULL);
  {
    gchar *text = NULL;

    fail_unless (g_file_get_contents (master, &text, NULL, NULL));
    fail_unless (strstr (text, "mp4a.40") != NULL, "%s", text);
    g_free (text);
  }
  stop_pipeline (pipeline);
  lp_sink_run_free (run);
  g_free (master);
  g_free (desc);
  g_free (props);
  fixture_free (f);
}

GST_END_TEST;

/* no orchestrators property: the ledger's active orchestrators are used,
 * at the service URIs they registered */
GST_START_TEST (test_ledger_discovery)
{
  const guint seconds = 3;
  Fixture *f = fixture_new ("1e18", "1e18", TRUE);
  LpSinkRun *run = lp_sink_run_new ();
  GError *error = NULL;
  GstElement *pipeline;
  gchar *props;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (f->orch); i++) {
    const LpAddress *address = lp_private_key_get_address (f->orch[i]->key);
    LpUint256 minted;

    fixture_start (f, i, PRICE);
    /* an active orchestrator registers again (its real URI) only after its
     * reward of the round; the element's auto-reward may have called it */
    lp_ledger_reward (f->net->ledger, address, &minted, NULL);
    fail_unless (lp_ledger_register_orchestrator (f->net->ledger,
            address, 100000, 500000, f->orch[i]->uri, &error), "%s",
        error ? error->message : "");
  }
  props = g_strdup_printf ("key-file=\"%s\" ledger=\"%s\" profiles=\"%s\" "
      "location=\"%s\" playlist-length=0", f->key_file, f->net->ledger_path,
      PROFILES, f->hls);
  pipeline = lp_sink_pipeline (seconds, props);
  lp_sink_run_stream (run, pipeline, STREAM_TIMEOUT, NULL, NULL);
  check_run_complete (run, seconds);
  for (i = 0; i < run->segments->len; i++) {
    const gchar *used = gst_structure_get_string (g_ptr_array_index
        (run->segments, i), "orchestrator");

    fail_unless (g_strcmp0 (used, f->orch[0]->uri) == 0
        || g_strcmp0 (used, f->orch[1]->uri) == 0, "segment %u went to %s",
        i, used);
  }
  check_hls (f->hls, seconds);
  stop_pipeline (pipeline);
  lp_sink_run_free (run);
  g_free (props);
  fixture_free (f);
}

GST_END_TEST;

/* queue-policy=drop-oldest: a file read far faster than it is transcoded
 * overflows the queue; the dropped segments are reported lost (not an
 * error: they say nothing of the orchestrators), the others written, EOS
 * comes */
GST_START_TEST (test_drop_oldest)
{
  const guint seconds = 10;
  Fixture *f = fixture_new ("1e18", "1e18", TRUE);
  GstElement *pipeline = file_input_pipeline (f, seconds, "max-in-flight=1 "
      "queue-policy=drop-oldest max-consecutive-failures=1");
  LpSinkRun *run = lp_sink_run_new ();
  gchar *playlist, *text = NULL;
  guint i, listed = 0;

  lp_sink_run_stream (run, pipeline, STREAM_TIMEOUT, NULL, NULL);
  fail_unless (run->error == NULL, "%s", lp_sink_run_describe (run));
  fail_unless (run->eos);
  fail_unless (run->lost->len > 0, "nothing dropped");
  fail_unless (run->segments->len > 0, "nothing written");
  fail_unless_equals_int (run->segments->len + run->lost->len, seconds);
  for (i = 0; i < run->lost->len; i++)
    fail_unless (strstr (gst_structure_get_string (g_ptr_array_index
                (run->lost, i), "reason"), "drop-oldest") != NULL);
  /* the playlists list what was written, a gap marked */
  playlist = g_build_filename (f->hls, "P144p30fps16x9", "index.m3u8", NULL);
  fail_unless (g_file_get_contents (playlist, &text, NULL, NULL));
  for (i = 0; text[i] != '\0'; i++)
    listed += g_str_has_prefix (text + i, "#EXTINF:");
  fail_unless_equals_int (listed, run->segments->len);
  fail_unless (strstr (text, "#EXT-X-DISCONTINUITY") != NULL, "%s", text);
  stop_pipeline (pipeline);
  lp_sink_run_free (run);
  g_free (text);
  g_free (playlist);
  fixture_free (f);
}

GST_END_TEST;

/* two streams into one location, READY between them: the second writes a
 * ladder of its own (fresh playlists, seq from 0), not a continuation */
GST_START_TEST (test_second_stream_fresh_playlists)
{
  const guint seconds = 3;
  Fixture *f = fixture_new ("1e18", "1e18", TRUE);
  GstElement *pipeline, *sink;
  gchar *props;
  guint round;

  fixture_start (f, 0, PRICE);
  props = sink_props (f, f->orch[0]->uri, NULL);
  pipeline = lp_sink_pipeline (seconds, props);
  sink = lp_sink_get_sink (pipeline);
  for (round = 0; round < 2; round++) {
    LpSinkRun *run = lp_sink_run_new ();
    GstStructure *stats;

    lp_sink_run_stream (run, pipeline, STREAM_TIMEOUT, NULL, NULL);
    check_run_complete (run, seconds);
    stats = lp_sink_stats (sink);
    fail_unless_equals_uint64 (lp_sink_field_u64 (stats, "segments-lost"), 0);
    gst_structure_free (stats);
    fail_unless_equals_int (lp_sink_set_state_within (pipeline,
            GST_STATE_READY, 10 * GST_SECOND, NULL),
        GST_STATE_CHANGE_SUCCESS);
    /* ended at EOS, and each playlist holds this stream only */
    check_hls (f->hls, seconds);
    lp_sink_run_free (run);
  }
  check_variant_frames (f->hls, "P144p30fps16x9", seconds * FPS);
  stop_pipeline (pipeline);
  g_free (props);
  fixture_free (f);
}

GST_END_TEST;

/* a location that cannot be a directory: READY to PAUSED fails, naming
 * the property */
GST_START_TEST (test_bad_location)
{
  LpTestNet *net = lp_test_net_new ("1e18", "1e18");
  LpTestOrch *o = lp_test_orch_from_net (net);
  gchar *key_file = lp_test_net_bcast_key_file (net);
  gchar *file = g_build_filename (net->dir, "a-file", NULL);
  GstElement *sink;
  GstBus *bus;

  fail_unless (g_file_set_contents (file, "x", -1, NULL));
  lp_test_orch_start (net, o, NULL);
  sink = lone_sink (&bus);
  g_object_set (sink, "key-file", key_file, "ledger", net->ledger_path,
      "orchestrators", o->uri, "profiles", PROFILES, "location", file, NULL);
  expect_start_error (sink, bus, GST_STATE_PAUSED, "location:",
      10 * GST_SECOND);
  gst_object_unref (sink);
  gst_object_unref (bus);
  lp_test_orch_free (o);
  g_free (file);
  g_free (key_file);
  lp_test_net_free (net);
}

GST_END_TEST;

/* ------------------------------------------------------------------------ */

/* NULL → READY → PAUSED → PLAYING → NULL, twice, with no stream: each
 * step quick, discovery each time, no error */
GST_START_TEST (test_states)
{
  static const GstState walk[] = { GST_STATE_READY, GST_STATE_PAUSED,
    GST_STATE_PLAYING, GST_STATE_NULL
  };
  Fixture *f = fixture_new ("1e18", "1e18", TRUE);
  GstElement *sink;
  GstBus *bus;
  GstMessage *msg;
  gchar *location;
  guint cycle, i, started = 0, completed = 0;

  fixture_start (f, 0, PRICE);
  location = g_build_filename (f->hls, "out", NULL);
  sink = lone_sink (&bus);
  g_object_set (sink, "key-file", f->key_file, "ledger", f->net->ledger_path,
      "orchestrators", f->orch[0]->uri, "profiles", PROFILES, "location",
      location, NULL);
  for (cycle = 0; cycle < 2; cycle++) {
    for (i = 0; i < G_N_ELEMENTS (walk); i++) {
      /* a sink with nothing to preroll may stay ASYNC in PAUSED and
       * PLAYING; the call itself must not block, and READY and NULL are
       * reached at once */
      GstStateChangeReturn ret = lp_sink_set_state_within_full (sink,
          walk[i], FALSE, 10 * GST_SECOND, NULL);
      GstState state, pending;

      fail_unless (ret == GST_STATE_CHANGE_SUCCESS
          || (ret == GST_STATE_CHANGE_ASYNC && walk[i] >= GST_STATE_PAUSED),
          "to %s: %s", gst_element_state_get_name (walk[i]),
          gst_element_state_change_return_get_name (ret));
      ret = gst_element_get_state (sink, &state, &pending, 0);
      fail_unless (state == walk[i] || pending == walk[i], "to %s: now %s, "
          "pending %s", gst_element_state_get_name (walk[i]),
          gst_element_state_get_name (state),
          gst_element_state_get_name (pending));
      if (walk[i] == GST_STATE_PLAYING) {
        GstStructure *stats = lp_sink_stats (sink);

        fail_unless_equals_uint64 (lp_sink_field_u64 (stats, "segments-ok"),
            0);
        gst_structure_free (stats);
      }
    }
  }
  while ((msg = gst_bus_pop (bus)) != NULL) {
    fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR, "error");
    fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING, "warning");
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_PROGRESS) {
      GstProgressType type;
      gchar *code, *text;

      gst_message_parse_progress (msg, &type, &code, &text);
      started += type == GST_PROGRESS_TYPE_START;
      completed += type == GST_PROGRESS_TYPE_COMPLETE;
      g_free (code);
      g_free (text);
    }
    gst_message_unref (msg);
  }
  fail_unless_equals_int (started, 2);
  fail_unless_equals_int (completed, 2);
  gst_object_unref (sink);
  gst_object_unref (bus);
  g_free (location);
  fixture_free (f);
}

GST_END_TEST;

static Suite *
livepeersink_suite (void)
{
  Suite *s = suite_create ("livepeersink");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();
  tcase_set_timeout (tc, 120);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_states);
  tcase_add_test (tc, test_bad_settings);
  tcase_add_test (tc, test_unreachable);
  tcase_add_test (tc, test_http1_only_peer);
  tcase_add_test (tc, test_bad_location);
  tcase_add_test (tc, test_eos_before_caps);
  tcase_add_test (tc, test_eos_after_caps_before_data);
  tcase_add_test (tc, test_no_deposit);
  tcase_add_test (tc, test_no_funds);
  tcase_add_test (tc, test_price_cap);
  tcase_add_test (tc, test_rendition_signal);
  tcase_add_test (tc, test_job_analysis);
  tcase_add_test (tc, test_job_errors);
  tcase_add_test (tc, test_end_to_end);
  tcase_add_test (tc, test_mpegts_file_input);
  tcase_add_test (tc, test_second_stream_fresh_playlists);
  tcase_add_test (tc, test_failover);
  tcase_add_test (tc, test_tamper_pixels);
  tcase_add_test (tc, test_tamper_swapped_renditions);
  tcase_add_test (tc, test_tamper_foreign_signature);
  tcase_add_test (tc, test_tamper_content_unseen_by_pixels);
  tcase_add_test (tc, test_tamper_content_caught_by_quality);
  tcase_add_test (tc, test_audio_carried);
  tcase_add_test (tc, test_ledger_discovery);
  tcase_add_test (tc, test_drop_oldest);
  tcase_add_test (tc, test_hostile_trickled_segment);
  tcase_add_test (tc, test_hostile_huge_declared_answer);
  tcase_add_test (tc, test_hostile_endless_chunked_answer);
  tcase_add_test (tc, test_hostile_discovery_and_end);
  tcase_add_test (tc, test_capped_shares_held_session);
  tcase_add_test (tc, test_protobuf_over_tls);
  return s;
}

GST_CHECK_MAIN (livepeersink);

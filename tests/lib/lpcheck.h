/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lptest's check layer: the helpers of the check tests, each of which
 * fails the running test (libcheck) on anything unexpected. Over lptest.h
 * (whose core they wrap), by concern:
 *   - lpcheck.c: fatal logs of our domains, temporary directories, bytes
 *     and amounts compared as text, keys from hex, an element's refused
 *     start;
 *   - lpcheck-net.c: a devnet (LpTestNet) with its orchestrator, and more
 *     orchestrators on its ledger (LpTestOrch);
 *   - lpcheck-client.c: a go-livepeer broadcaster built from the core
 *     library against an orchestrator (gRPC discovery and end of a
 *     session, signed segments, tickets, the answers and their renditions);
 *   - lpcheck-media.c: segments made, renditions decoded, a started
 *     pipeline waited to its end with its messages;
 *   - lpcheck-sink.c: a stream through livepeersink with every message it
 *     posts collected, state changes with a time limit, its HLS output
 *     read back, its stats.
 * Call them from the test's own thread (libcheck's failures end it), except
 * where a function says otherwise.
 */
#pragma once

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>

#include "lptest.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------------------ */
/* lpcheck.c */

void lp_check_make_our_logs_fatal (void);
void lp_check_remove_tree (const gchar * path);
void lp_check_remove_tree_refusing (const gchar * path,
    const gchar * refuse_suffix);
void lp_check_assert_hex (const guint8 * data, gsize length,
    const gchar * expected);
void lp_check_assert_u256 (const LpUint256 * value, const gchar * expected);
LpPrivateKey *lp_check_key_from_hex (const gchar * hex);
gchar *lp_check_state_change_fails (GstElement * element, GstState state,
    const gchar * text);

/* ------------------------------------------------------------------------ */
/* lpcheck-net.c */

typedef struct
{
  gchar *dir;
  gchar *ledger_path;
  gchar *orch_key_path;
  LpPrivateKey *orch;           /* the orchestrator */
  LpPrivateKey *bcast;          /* the broadcaster */
  LpLedger *ledger;             /* the test's own connection */
  GstElement *pipeline;
  GstElement *orchestrator;
  guint port;
  SoupSession *http;
} LpTestNet;

void lp_test_u256 (LpUint256 * value, const gchar * text);
LpTestNet *lp_test_net_new (const gchar * deposit, const gchar * reserve);
void lp_test_net_start (LpTestNet * net, const gchar * first_property, ...);
void lp_test_net_stop (LpTestNet * net);
void lp_test_net_free (LpTestNet * net);
void lp_test_net_next_round (LpTestNet * net);
gchar *lp_test_net_bcast_key_file (LpTestNet * net);

/* An orchestrator of its own on the net's ledger */
typedef struct
{
  gchar *key_path;
  LpPrivateKey *key;
  GstElement *pipeline;         /* NULL once stopped */
  GstElement *element;
  guint port;
  gchar *uri;                   /* http://127.0.0.1:PORT */
} LpTestOrch;

LpTestOrch *lp_test_orch_from_net (LpTestNet * net);
LpTestOrch *lp_test_orch_new_registered (LpTestNet * net, const gchar * name,
    const gchar * lpt);
void lp_test_orch_start (LpTestNet * net, LpTestOrch * o,
    const gchar * first_property, ...);
void lp_test_orch_stop (LpTestOrch * o);
void lp_test_orch_free (LpTestOrch * o);
guint64 lp_test_orch_get_stat (LpTestOrch * o, const gchar * field);
GPtrArray *lp_test_orch_segments (LpTestOrch * o, guint expected,
    GstClockTime timeout);
LpRational *lp_test_orch_ticket_ev (LpTestNet * net, LpTestOrch * o);

/* ------------------------------------------------------------------------ */
/* lpcheck-client.c */

void fail_unless_equals_int_with_reason (gint a, gint b,
    const gchar * reason);
guint lp_test_post (LpTestNet * net, const gchar * path,
    const gchar * content_type, GBytes * body, const gchar * segment_header,
    const gchar * payment_header, GBytes ** response,
    SoupMessageHeaders ** headers);
GBytes *lp_test_discovery_body (const LpAddress * address,
    LpPrivateKey * signer);
guint lp_test_discovery_status (LpTestNet * net, LpPrivateKey * key,
    gchar ** reply);
guint lp_test_discovery_job_status (LpTestNet * net, LpPrivateKey * key,
    guint32 job_id, const gchar * model, LpOrchestratorInfo ** info,
    gchar ** reply);
LpOrchestratorInfo *lp_test_discover (LpTestNet * net, LpPrivateKey * key);
LpOrchestratorInfo *lp_test_discover_job (LpTestNet * net,
    LpPrivateKey * key, guint32 job_id, const gchar * model);
guint lp_test_end_session_status (LpTestNet * net,
    const LpAuthToken * token, gchar ** reply);
guint64 lp_test_orch_stat (GstElement * orchestrator, const gchar * field);
gchar *lp_test_segment_header (const LpOrchestratorInfo * info,
    LpPrivateKey * key, guint64 seq, GBytes * body, const gchar * profiles);
GPtrArray *lp_test_presets (const gchar * first, ...) G_GNUC_NULL_TERMINATED;
gchar *lp_test_payment_header (const LpOrchestratorInfo * info,
    LpPrivateKey * key, guint32 first, guint n);

/* What a segment's 200 carries: the TranscodeResult and, in order, the
 * renditions fetched from its URLs (none when the result is an error). */
typedef struct
{
  LpTranscodeResult *result;
  GPtrArray *renditions;        /* GBytes* */
  GPtrArray *names;             /* gchar*: the name in each URL (profile
                                 * or capability job) */
  GPtrArray *types;             /* gchar*: each one's Content-Type */
} LpTestResult;

void lp_test_result_free (LpTestResult * r);
LpTestResult *lp_test_parse_result (SoupMessageHeaders * headers,
    GBytes * body);
guint lp_test_send_segment (LpTestNet * net, GBytes * body,
    const gchar * segment_header, const gchar * payment_header,
    LpTestResult ** result, gchar ** reason);
LpTestResult *lp_test_segment_ok (LpTestNet * net, GBytes * body,
    const gchar * segment_header, const gchar * payment_header);
GstMessage *lp_test_wait_message (LpTestNet * net, const gchar * name,
    GstClockTime timeout);

/* ------------------------------------------------------------------------ */
/* lpcheck-media.c */

GBytes *lp_test_run_to_bytes (const gchar * desc);
typedef void (*LpCheckElementFunc) (const GstStructure * s,
    gpointer user_data);
GstMessage *lp_check_wait_eos (GstElement * pipeline, GstClockTime timeout,
    GList ** warnings, LpCheckElementFunc on_element, gpointer user_data);
GBytes *lp_test_make_segment (guint width, guint height, guint frames,
    guint gop);
void lp_test_decode (GBytes * ts, guint * frames, gint * width,
    gint * height);
guint lp_test_count_frames (const gchar * uri, GstClockTime timeout);

/* ------------------------------------------------------------------------ */
/* lpcheck-sink.c */

gchar *lp_sink_read_text (const gchar * path);
GPtrArray *lp_sink_read_playlist (const gchar * location,
    const gchar * variant, gboolean * endlist);

GstStateChangeReturn lp_sink_set_state_within_full (GstElement * element,
    GstState state, gboolean wait_async, GstClockTime timeout,
    GstClockTime * elapsed);
GstStateChangeReturn lp_sink_set_state_within (GstElement * element,
    GstState state, GstClockTime timeout, GstClockTime * elapsed);

/* A stream through livepeersink: what it posted */
typedef struct
{
  GPtrArray *segments;          /* GstStructure*: livepeersink-segment */
  GPtrArray *failovers;         /* livepeersink-failover */
  GPtrArray *lost;              /* livepeersink-segment-lost */
  GPtrArray *warnings;          /* gchar*: warning texts of the sink */
  gchar *error;                 /* the first error: message (debug) */
  gboolean eos;
  gboolean discovery_started;
  gboolean discovery_complete;
} LpSinkRun;

/* Called for each message of the stream's bus (before it is recorded). */
typedef void (*LpSinkRunHook) (LpSinkRun * run, GstMessage * msg,
    gpointer user_data);

LpSinkRun *lp_sink_run_new (void);
void lp_sink_run_free (LpSinkRun * run);
gchar *lp_sink_run_describe (LpSinkRun * run);
void lp_sink_run_stream (LpSinkRun * run, GstElement * pipeline,
    GstClockTime timeout, LpSinkRunHook hook, gpointer user_data);

GstElement *lp_sink_pipeline_full (guint seconds, gboolean live,
    const gchar * sink_props);
GstElement *lp_sink_pipeline (guint seconds, const gchar * sink_props);
GstElement *lp_sink_get_sink (GstElement * pipeline);
GstStructure *lp_sink_stats (GstElement * sink);
const GstStructure *lp_sink_stats_orch (const GstStructure * stats,
    const gchar * uri);
guint64 lp_sink_field_u64 (const GstStructure * s, const gchar * field);
guint lp_sink_field_uint (const GstStructure * s, const gchar * field);
const gchar *lp_sink_field_string (const GstStructure * s,
    const gchar * field);

G_END_DECLS

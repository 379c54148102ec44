/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lptest: the helper library of the tests and the benches, its core part.
 * Nothing here needs libcheck: a helper that can fail says so (a NULL,
 * FALSE or 0 return and a GError, or a text), and the caller decides
 * whether that fails a test (lpcheck.h, the check layer over this) or
 * ends a bench. It holds a devnet (ledger, keys and an lporchestrator in
 * a pipeline, lptest-net.c), a go-livepeer broadcaster's side of the
 * orchestrator's API built from the core library (lptest-client.c: gRPC
 * discovery, base64-of-protobuf headers, renditions by URL), and media
 * (lptest-media.c). Every function may be called from any thread; none
 * keeps state between calls.
 */
#pragma once

#include <gst/gst.h>
#include <libsoup/soup.h>

#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpkeystore.h>
#include <gst/livepeer/lpledger.h>
#include <gst/livepeer/lpprofile.h>
#include <gst/livepeer/lpticket.h>
#include <gst/livepeer/lpwire.h>
#include <gst/livepeer/lpproto-messages.h>

G_BEGIN_DECLS

/* ------------------------------------------------------------------------ */
/* A bench's end, and the devnet (lptest-net.c) */

/* the devnet: one round is 100 blocks, blocks move only by hand */
#define LP_TEST_ROUND_LENGTH 100

void lp_test_die (const gchar * what, const GError * error) G_GNUC_NORETURN;

gchar *lp_test_address (const LpAddress * address);

gboolean lp_test_genesis_add (LpLedgerGenesis * genesis,
    const LpAddress * address, const gchar * lpt, const gchar * eth,
    GError ** error);

LpLedger *lp_test_devnet_create (const gchar * path, LpPrivateKey * orch,
    LpPrivateKey * const *bcast, guint n_bcast, const gchar * deposit,
    const gchar * reserve, GError ** error);

GstElement *lp_test_orchestrator_new (const gchar * pipeline_name,
    const gchar * key_path, const gchar * ledger_path,
    GstElement ** orchestrator, const gchar * first_property, ...)
    G_GNUC_NULL_TERMINATED;
GstElement *lp_test_orchestrator_new_valist (const gchar * pipeline_name,
    const gchar * key_path, const gchar * ledger_path,
    GstElement ** orchestrator, const gchar * first_property, va_list args);
gboolean lp_test_orchestrator_play (GstElement * pipeline,
    GstElement * orchestrator, guint * port);

gchar *lp_test_remove_tree (const gchar * path, const gchar * refuse_suffix);

guint lp_test_free_port (void);
GSocketService *lp_test_listen_loopback (guint * port, GError ** error);

/* ------------------------------------------------------------------------ */
/* The orchestrator's API, as a go-livepeer broadcaster (lptest-client.c):
 * gRPC discovery, base64-of-protobuf headers, a protobuf TranscodeResult
 * whose renditions are fetched by URL */

guint lp_test_http_post (SoupSession * http, const gchar * uri,
    const gchar * content_type, GBytes * body, const gchar * segment_header,
    const gchar * payment_header, gboolean keep_alive, GBytes ** response,
    SoupMessageHeaders ** headers, GError ** error);
guint lp_test_http_get (SoupSession * http, const gchar * url,
    GBytes ** response, gchar ** content_type, GError ** error);

gchar *lp_test_text (GBytes * bytes);

GBytes *lp_test_discovery_request (const LpAddress * address,
    LpPrivateKey * signer);
GBytes *lp_test_discovery_request_for_job (const LpAddress * address,
    LpPrivateKey * signer, guint32 job_id, const gchar * model);
LpProtoOrchestratorInfo *lp_test_grpc_discover_proto (const gchar * uri,
    GBytes * request, GError ** error);
LpOrchestratorInfo *lp_test_grpc_discover (const gchar * uri,
    LpPrivateKey * key, GError ** error);
LpOrchestratorInfo *lp_test_grpc_discover_job (const gchar * uri,
    LpPrivateKey * key, guint32 job_id, const gchar * model,
    GError ** error);
gboolean lp_test_grpc_end_session (const gchar * uri,
    const LpAuthToken * token, GError ** error);

gchar *lp_test_seg_data_to_header (const LpSegData * seg, guint32 job_id,
    const gchar * model);
gchar *lp_test_seg_data_header (const LpOrchestratorInfo * info,
    LpPrivateKey * key, const gchar * manifest_id, guint64 seq,
    GBytes * body, GPtrArray * profiles, guint duration_ms);
gchar *lp_test_seg_data_header_full (const LpOrchestratorInfo * info,
    LpPrivateKey * key, const gchar * manifest_id, guint64 seq,
    GBytes * body, GPtrArray * profiles, guint duration_ms, guint32 job_id,
    const gchar * model);

gchar *lp_test_tickets_header (const LpOrchestratorInfo * info,
    LpPrivateKey * key, guint32 first, guint n);
gchar *lp_test_sender_header (LpPrivateKey * key);


/* ------------------------------------------------------------------------ */
/* Media (lptest-media.c) */

gboolean lp_test_run_to_eos (GstElement * pipeline, GError ** error);

void lp_test_drain_appsink (GstElement * sink, GByteArray * out);

guint lp_test_segment_duration_ms (GBytes * body);

G_END_DECLS

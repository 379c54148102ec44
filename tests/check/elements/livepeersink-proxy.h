/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The livepeersink suite's test double: a proxy on loopback in front of a
 * real orchestrator, in go-livepeer's protobuf dialect. Its h2c port (the
 * orchestrator URI given to the sink) forwards gRPC GetOrchestrator, with
 * the info's `transcoder` made the proxy's HTTP/1.1 port, and
 * EndTranscodingSession; the HTTP/1.1 port forwards POST /segment and can
 * tamper with the TranscodeResult and the renditions it lists (fetched
 * here, altered, re-signed or not, and served from here by URL), or answer
 * as a hostile peer would (a byte at a time, or without end). Each proxy
 * runs its servers and its client session in a thread and main context of
 * its own; its counts and answer modes are under its lock, the election's
 * double under the election's.
 */
#pragma once

#include "lpcheck.h"

#include <gst/livepeer/lph2client.h>
#include <gst/livepeer/lph2server.h>
#include <gst/livepeer/lpwire-proto.h>

G_BEGIN_DECLS

typedef enum
{
  LP_TAMPER_NONE,               /* an honest proxy */
  LP_TAMPER_PIXELS,             /* one more frame of pixels reported for the
                                 * first rendition, re-signed with the real key */
  LP_TAMPER_SWAP,               /* the first two renditions (and their pixel
                                 * counts) swapped, the signature kept */
  LP_TAMPER_FOREIGN_KEY,        /* renditions kept, re-signed with another key */
  LP_TAMPER_CONTENT,            /* the first rendition replaced by one of other
                                 * content (same size and frames, so the same
                                 * pixels), re-signed with the real key */
  /* hostile: the double answers segments itself, never forwarding them */
  LP_TAMPER_TRICKLE,            /* 200, then a byte every
                                 * LP_TEST_TRICKLE_INTERVAL_MS, without end */
  LP_TAMPER_ZEROS_LENGTH,       /* 200 declaring 1 GiB, then zeros (up to
                                 * LP_TEST_ZEROS_MAX, then nothing) */
  LP_TAMPER_ZEROS_CHUNKED,      /* 200, chunked zeros (LP_TEST_ZEROS_MAX) */
} LpTamperMode;

/* a trickled answer: far below any idle timeout */
#define LP_TEST_TRICKLE_INTERVAL_MS 250
/* what a zeros answer sends at most, and in what pieces */
#define LP_TEST_ZEROS_MAX (64 * 1024 * 1024)
#define LP_TEST_ZEROS_CHUNK (256 * 1024)

typedef struct _LpTestProxy LpTestProxy;

/* Which of several proxies is the double: the first one to carry a
 * transcoded answer becomes it, and tampers with every answer after. */
typedef struct
{
  GMutex lock;
  LpTamperMode mode;
  LpTestProxy *double_;
} LpTamperElection;

struct _LpTestProxy
{
  LpTamperElection *election;
  GHashTable *substitutes;      /* "WxH@frames" -> GBytes*, proxy thread */
  guint backend_port;
  LpPrivateKey *backend_key;    /* re-signs results */
  LpPrivateKey *foreign_key;
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;           /* HTTP/1.1: /segment, /stream/ */
  SoupSession *client;
  LpH2Server *h2;               /* h2c: gRPC */
  LpGrpcRouter *router;
  GSocketService *h2c;
  GPtrArray *held;              /* LpH2Request* left unanswered (hostile) */
  GHashTable *stored;           /* path -> GBytes*: tampered renditions */
  guint stored_count;
  guint port;                   /* h2c */
  gchar *uri;                   /* h2c: the orchestrator for the sink */
  gchar *transcoder;            /* HTTP/1.1: its `transcoder` */
  GMutex lock;
  GCond cond;
  gboolean ready;
  /* how GetOrchestrator and EndTranscodingSession are answered:
   * forwarded (NONE), or as a hostile peer would (TRICKLE: the headers
   * and then nothing, ZEROS_*: zeros without end); set before use, under
   * lock */
  LpTamperMode discovery_answer;
  LpTamperMode end_session_answer;
  /* counts, under lock */
  guint discoveries;
  guint segments;
  guint tampered;
  guint hostile;                /* hostile answers begun */
  guint64 hostile_bytes;        /* bytes of them written to the socket
                                 * (over h2c: all bytes of a proxy whose
                                 * gRPC answers are hostile) */
};

LpTestProxy *lp_test_proxy_new (LpTamperElection * election,
    guint backend_port, LpPrivateKey * backend_key);
void lp_test_proxy_free (LpTestProxy * proxy);
guint lp_test_proxy_count (LpTestProxy * proxy, const guint * field);

G_END_DECLS

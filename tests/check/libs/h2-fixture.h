/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A test gRPC server built from the core's HTTP/2 transport, shared by the
 * unit tests (h2.c) and the interop helper (grpc-interop-helper.c): two
 * listeners on loopback, cleartext h2c and TLS (ALPN h2, the self-signed
 * certificate of lptlscert in a state directory), one LpH2Server on a
 * thread of its own, and net.Orchestrator/Ping answering a PingPong whose
 * value is "pong:" followed by the request's value. Connection errors the
 * server reports are kept, in order, for the tests to look at. On request
 * (h2_fixture_serve_late()), a plain POST path whose answer comes in two
 * parts, headers at once and the body later from another thread.
 */
#pragma once

#include <gst/livepeer/lph2server.h>
#include <gst/livepeer/lptlscert.h>

G_BEGIN_DECLS

#define H2_FIXTURE_PING "/net.Orchestrator/Ping"
#define H2_FIXTURE_LATE "/late"

typedef struct _H2Fixture H2Fixture;

H2Fixture *h2_fixture_start (const gchar * state_dir,
    const LpH2ServerLimits * limits, gsize max_message_size, GError ** error);
void h2_fixture_stop (H2Fixture * fixture);
guint h2_fixture_h2c_port (H2Fixture * fixture);
guint h2_fixture_tls_port (H2Fixture * fixture);
LpH2Server *h2_fixture_server (H2Fixture * fixture);
void h2_fixture_serve_late (H2Fixture * fixture, gsize max_body_size,
    guint max_in_flight);
GError *h2_fixture_wait_error (H2Fixture * fixture, guint timeout_ms);
gboolean h2_fixture_wait_idle (H2Fixture * fixture, guint timeout_ms);

G_END_DECLS

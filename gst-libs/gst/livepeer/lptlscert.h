/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The orchestrator's self-signed TLS certificate, as go-livepeer keeps
 * one: an ECDSA P-256 key and a certificate for the given host names and
 * IP addresses, made with GnuTLS on first start, kept as PEM in a state
 * directory (the key readable by its owner only), and loaded again on the
 * next start so the node keeps its identity. Clients do not check it
 * (go-livepeer's broadcaster trusts Ethereum signatures, not
 * certificates), but it must be a valid certificate for TLS to work.
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* the names of the files in the state directory */
#define LP_TLS_CERTIFICATE_FILE "cert.pem"
#define LP_TLS_KEY_FILE "key.pem"
/* a new certificate's validity */
#define LP_TLS_DEFAULT_VALIDITY_DAYS 365

GST_LIVEPEER_API
GTlsCertificate *lp_tls_certificate_load_or_create (const gchar * state_dir,
    const gchar * const *hosts, guint validity_days, gboolean * created,
    GError ** error);

G_END_DECLS

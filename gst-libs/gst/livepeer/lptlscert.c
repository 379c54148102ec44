/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The self-signed certificate of lptlscert.h, made with GnuTLS: an ECDSA
 * P-256 key (as go-livepeer's orchestrator makes), a version 3 certificate
 * signed by that key with SHA-256, whose subject alternative names are the
 * host names and IP addresses a client may dial. It is its own authority
 * (CA:TRUE with certificate signing), so a client that wants to pin it can
 * give it as its only trusted root.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/crypto.h>

#include "lptlscert.h"

/* a certificate this close to its end is made again on start */
#define RENEW_BEFORE_SECONDS (24 * 3600)

static gboolean
tls_fail (GError ** error, const gchar * what, int code)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
      "cannot make the TLS certificate: %s: %s", what,
      gnutls_strerror (code));
  return FALSE;
}

static gboolean
add_alt_names (gnutls_x509_crt_t crt, const gchar * const *hosts,
    GError ** error)
{
  guint i;
  int rc;

  for (i = 0; hosts[i]; i++) {
    GInetAddress *ip = g_inet_address_new_from_string (hosts[i]);

    if (ip) {
      rc = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS,
          g_inet_address_to_bytes (ip), g_inet_address_get_native_size (ip),
          GNUTLS_FSAN_APPEND);
      g_object_unref (ip);
    } else {
      rc = gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME,
          hosts[i], strlen (hosts[i]), GNUTLS_FSAN_APPEND);
    }
    if (rc < 0)
      return tls_fail (error, hosts[i], rc);
  }
  return TRUE;
}

static gboolean
fill_certificate (gnutls_x509_crt_t crt, gnutls_x509_privkey_t key,
    const gchar * const *hosts, guint validity_days, GError ** error)
{
  guint8 serial[16];
  time_t now = time (NULL);
  const gchar *organization = "gst-livepeer";
  int rc;

  /* a positive 128-bit random serial, as RFC 5280 asks */
  if ((rc = gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial)) < 0)
    return tls_fail (error, "random serial", rc);
  serial[0] &= 0x7f;
  if ((rc = gnutls_x509_crt_set_version (crt, 3)) < 0
      || (rc = gnutls_x509_crt_set_serial (crt, serial, sizeof serial)) < 0
      || (rc = gnutls_x509_crt_set_activation_time (crt, now - 3600)) < 0
      || (rc = gnutls_x509_crt_set_expiration_time (crt,
                  now + (time_t) validity_days * 86400)) < 0)
    return tls_fail (error, "validity", rc);
  if ((rc = gnutls_x509_crt_set_dn_by_oid (crt,
              GNUTLS_OID_X520_ORGANIZATION_NAME, 0, organization,
              strlen (organization))) < 0
      || (rc = gnutls_x509_crt_set_dn_by_oid (crt,
              GNUTLS_OID_X520_COMMON_NAME, 0, hosts[0],
              strlen (hosts[0]))) < 0)
    return tls_fail (error, "subject", rc);
  if (!add_alt_names (crt, hosts, error))
    return FALSE;
  if ((rc = gnutls_x509_crt_set_key (crt, key)) < 0
      || (rc = gnutls_x509_crt_set_basic_constraints (crt, 1, -1)) < 0
      || (rc = gnutls_x509_crt_set_key_usage (crt,
                  GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_CERT_SIGN)) < 0
      || (rc = gnutls_x509_crt_set_key_purpose_oid (crt,
                  GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0)
    return tls_fail (error, "extensions", rc);
  if ((rc = gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0)) < 0)
    return tls_fail (error, "signature", rc);
  return TRUE;
}

static gboolean
write_pem (const gchar * path, const gnutls_datum_t * pem, int mode,
    GError ** error)
{
  return g_file_set_contents_full (path, (const gchar *) pem->data,
      pem->size, G_FILE_SET_CONTENTS_CONSISTENT, mode, error);
}

static gboolean
create_pair (const gchar * cert_path, const gchar * key_path,
    const gchar * const *hosts, guint validity_days, GError ** error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t cert_pem = { NULL, 0 }, key_pem = {
  NULL, 0};
  gboolean ok = FALSE;
  int rc;

  if ((rc = gnutls_x509_privkey_init (&key)) < 0
      || (rc = gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
              GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0)) < 0) {
    tls_fail (error, "ECDSA P-256 key", rc);
    goto out;
  }
  if ((rc = gnutls_x509_crt_init (&crt)) < 0) {
    tls_fail (error, "certificate", rc);
    goto out;
  }
  if (!fill_certificate (crt, key, hosts, validity_days, error))
    goto out;
  /* PKCS#8, which every PEM reader (GIO's included) knows */
  if ((rc = gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM,
              NULL, GNUTLS_PKCS_PLAIN, &key_pem)) < 0
      || (rc = gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM,
              &cert_pem)) < 0) {
    tls_fail (error, "PEM export", rc);
    goto out;
  }
  ok = write_pem (key_path, &key_pem, 0600, error)
      && write_pem (cert_path, &cert_pem, 0644, error);
out:
  gnutls_free (key_pem.data);
  gnutls_free (cert_pem.data);
  if (crt)
    gnutls_x509_crt_deinit (crt);
  if (key)
    gnutls_x509_privkey_deinit (key);
  return ok;
}

static gboolean
expires_soon (GTlsCertificate * certificate)
{
  GDateTime *not_after = g_tls_certificate_get_not_valid_after (certificate);
  GDateTime *now = g_date_time_new_now_utc ();
  gboolean soon = not_after == NULL
      || g_date_time_difference (not_after, now)
      < (GTimeSpan) RENEW_BEFORE_SECONDS * G_TIME_SPAN_SECOND;

  if (not_after)
    g_date_time_unref (not_after);
  g_date_time_unref (now);
  return soon;
}

static GTlsCertificate *
load_pair (const gchar * cert_path, const gchar * key_path, GError ** error)
{
  GError *local = NULL;
  GTlsCertificate *certificate =
      g_tls_certificate_new_from_files (cert_path, key_path, &local);

  if (certificate == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "cannot load the TLS certificate %s with its key %s: %s (remove "
        "both to make a new pair)", cert_path, key_path, local->message);
    g_error_free (local);
  }
  return certificate;
}

/**
 * lp_tls_certificate_load_or_create:
 * @state_dir: the node's state directory (made, 0700, when missing)
 * @hosts: (array zero-terminated=1): the host names and IP addresses the
 *     certificate names, at least one (the first is also its common name)
 * @validity_days: a new certificate's validity (0:
 *     %LP_TLS_DEFAULT_VALIDITY_DAYS)
 * @created: (out) (optional): whether a new pair was made
 *
 * Loads @state_dir/cert.pem and key.pem when both are there, and makes a
 * new pair when neither is, or when the certificate expires within a day.
 * One without the other is an error: a key is never replaced silently.
 * The key file is written mode 0600. The host names of a pair loaded
 * again are those it was made with.
 *
 * Returns: (transfer full): the certificate with its private key, or
 *     %NULL
 */
GTlsCertificate *
lp_tls_certificate_load_or_create (const gchar * state_dir,
    const gchar * const *hosts, guint validity_days, gboolean * created,
    GError ** error)
{
  gchar *cert_path = g_build_filename (state_dir, LP_TLS_CERTIFICATE_FILE,
      NULL);
  gchar *key_path = g_build_filename (state_dir, LP_TLS_KEY_FILE, NULL);
  gboolean have_cert = g_file_test (cert_path, G_FILE_TEST_EXISTS);
  gboolean have_key = g_file_test (key_path, G_FILE_TEST_EXISTS);
  GTlsCertificate *certificate = NULL;

  g_return_val_if_fail (hosts != NULL && hosts[0] != NULL, NULL);
  if (created)
    *created = FALSE;
  if (have_cert != have_key) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s is there but "
        "%s is not: restore it, or remove both to make a new pair",
        have_cert ? cert_path : key_path, have_cert ? key_path : cert_path);
    goto out;
  }
  if (have_cert) {
    certificate = load_pair (cert_path, key_path, error);
    if (certificate == NULL || !expires_soon (certificate))
      goto out;
    g_message ("the TLS certificate %s expires within a day: making a new "
        "one", cert_path);
    g_clear_object (&certificate);
  }
  if (g_mkdir_with_parents (state_dir, 0700) != 0) {
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
        "cannot make the state directory %s: %s", state_dir,
        g_strerror (errno));
    goto out;
  }
  if (!create_pair (cert_path, key_path, hosts, validity_days ? validity_days
          : LP_TLS_DEFAULT_VALIDITY_DAYS, error))
    goto out;
  certificate = load_pair (cert_path, key_path, error);
  if (certificate && created)
    *created = TRUE;
out:
  g_free (cert_path);
  g_free (key_path);
  return certificate;
}

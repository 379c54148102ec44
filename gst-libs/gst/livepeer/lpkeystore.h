/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Private keys on disk: plain key files and Web3 Secret Storage (v3)
 * keystores, read, written and told apart (lpkeystore.c documents the
 * API).
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <gst/livepeer/lpcrypto.h>

G_BEGIN_DECLS

/* Limits on what is read. Keystore KDF parameters beyond these would take
 * minutes or gigabytes to derive and are refused before any work:
 * - scrypt: n a power of two, 2 <= n <= 2^20; r = 8; 1 <= p <= 16;
 *   memory 128 * n * r <= 1 GiB; work n * r * p <= 2^24 (8 times the
 *   standard n=2^18, r=8, p=1);
 * - pbkdf2: 1 <= c <= 2^22 (16 times the customary 262144);
 * - salt: 1 to 256 bytes; password: at most 4096 bytes. */
#define LP_KEY_FILE_MAX_SIZE 4096
#define LP_KEYSTORE_MAX_SIZE (64 * 1024)
#define LP_KEYSTORE_SCRYPT_MAX_N (1u << 20)
#define LP_KEYSTORE_SCRYPT_MAX_P 16
#define LP_KEYSTORE_SCRYPT_MAX_MEMORY (G_GUINT64_CONSTANT (1) << 30)
#define LP_KEYSTORE_SCRYPT_MAX_WORK (G_GUINT64_CONSTANT (1) << 24)
#define LP_KEYSTORE_PBKDF2_MAX_C (1u << 22)
#define LP_KEYSTORE_MAX_SALT_SIZE 256
#define LP_KEYSTORE_MAX_PASSWORD_SIZE 4096

/* Parameters written by lp_keystore_params_init() */
#define LP_KEYSTORE_SCRYPT_N 262144
#define LP_KEYSTORE_SCRYPT_LIGHT_N 4096
#define LP_KEYSTORE_SCRYPT_R 8
#define LP_KEYSTORE_SCRYPT_P 1
#define LP_KEYSTORE_PBKDF2_C 262144
#define LP_KEYSTORE_PBKDF2_LIGHT_C 4096

/**
 * LP_KEYSTORE_ERROR:
 *
 * Error domain of lpkeystore (key files, keystores and passwords); its
 * codes are #LpKeystoreError.
 */
#define LP_KEYSTORE_ERROR (lp_keystore_error_quark ())
GST_LIVEPEER_API
GQuark lp_keystore_error_quark (void);

/**
 * LpKeystoreError:
 * @LP_KEYSTORE_ERROR_PERMISSIONS: a plain key file is readable or
 *     writable by its group or by others
 * @LP_KEYSTORE_ERROR_NOT_REGULAR: the path is not a regular file
 * @LP_KEYSTORE_ERROR_TOO_LARGE: the file is larger than any valid one
 * @LP_KEYSTORE_ERROR_MALFORMED: a key file holds something else than hex
 *     digits (after an optional 0x) and trailing white space
 * @LP_KEYSTORE_ERROR_LENGTH: a key file holds another number of hex digits
 *     than 64
 * @LP_KEYSTORE_ERROR_ZERO_KEY: the key is zero
 * @LP_KEYSTORE_ERROR_KEY_OUT_OF_RANGE: the key is not below the secp256k1
 *     group order
 * @LP_KEYSTORE_ERROR_EXISTS: refusing to overwrite an existing file
 * @LP_KEYSTORE_ERROR_JSON: a keystore is not JSON, or a field is missing,
 *     of the wrong type or malformed
 * @LP_KEYSTORE_ERROR_UNSUPPORTED: a keystore uses a version, cipher, KDF,
 *     PRF or scrypt r that is not supported
 * @LP_KEYSTORE_ERROR_KDF_LIMITS: KDF parameters beyond the documented
 *     limits
 * @LP_KEYSTORE_ERROR_WRONG_PASSWORD: the MAC does not match: wrong password
 *     or corrupted keystore
 * @LP_KEYSTORE_ERROR_ADDRESS_MISMATCH: the decrypted key does not belong to
 *     the address the keystore names
 * @LP_KEYSTORE_ERROR_PASSWORD_REQUIRED: a keystore was given but no
 *     password
 * @LP_KEYSTORE_ERROR_PASSWORD: a password file or variable is unusable
 * @LP_KEYSTORE_ERROR_FAILED: a cryptographic primitive or the random
 *     source failed
 *
 * Error codes of the %LP_KEYSTORE_ERROR domain. Failures of the file
 * system itself (missing file, permission denied) are in %G_FILE_ERROR.
 */
typedef enum
{
  LP_KEYSTORE_ERROR_PERMISSIONS,
  LP_KEYSTORE_ERROR_NOT_REGULAR,
  LP_KEYSTORE_ERROR_TOO_LARGE,
  LP_KEYSTORE_ERROR_MALFORMED,
  LP_KEYSTORE_ERROR_LENGTH,
  LP_KEYSTORE_ERROR_ZERO_KEY,
  LP_KEYSTORE_ERROR_KEY_OUT_OF_RANGE,
  LP_KEYSTORE_ERROR_EXISTS,
  LP_KEYSTORE_ERROR_JSON,
  LP_KEYSTORE_ERROR_UNSUPPORTED,
  LP_KEYSTORE_ERROR_KDF_LIMITS,
  LP_KEYSTORE_ERROR_WRONG_PASSWORD,
  LP_KEYSTORE_ERROR_ADDRESS_MISMATCH,
  LP_KEYSTORE_ERROR_PASSWORD_REQUIRED,
  LP_KEYSTORE_ERROR_PASSWORD,
  LP_KEYSTORE_ERROR_FAILED,
} LpKeystoreError;

/**
 * LpKeystoreKdf:
 * @LP_KEYSTORE_KDF_SCRYPT: scrypt (the standard choice)
 * @LP_KEYSTORE_KDF_PBKDF2: PBKDF2 with HMAC-SHA256
 *
 * The key derivation function of a Web3 Secret Storage keystore.
 */
typedef enum
{
  LP_KEYSTORE_KDF_SCRYPT,
  LP_KEYSTORE_KDF_PBKDF2,
} LpKeystoreKdf;

/**
 * LpKeystoreParams:
 * @kdf: the key derivation function
 * @scrypt_n: scrypt CPU/memory cost, a power of two
 * @scrypt_r: scrypt block size; only 8 is supported
 * @scrypt_p: scrypt parallelism
 * @pbkdf2_c: PBKDF2 iteration count
 *
 * How lp_keystore_encrypt() derives its key. Fill it with
 * lp_keystore_params_init(); the fields of the other KDF are ignored.
 */
typedef struct
{
  LpKeystoreKdf kdf;
  guint32 scrypt_n;
  guint32 scrypt_r;
  guint32 scrypt_p;
  guint32 pbkdf2_c;
} LpKeystoreParams;

/**
 * LpKeyFileKind:
 * @LP_KEY_FILE_KIND_PLAIN: 64 hex digits, readable by its owner only
 * @LP_KEY_FILE_KIND_KEYSTORE: a Web3 Secret Storage (v3) JSON keystore
 *
 * The two kinds of key file lp_key_load() accepts.
 */
typedef enum
{
  LP_KEY_FILE_KIND_PLAIN,
  LP_KEY_FILE_KIND_KEYSTORE,
} LpKeyFileKind;

GST_LIVEPEER_API
void lp_keystore_params_init (LpKeystoreParams * params, LpKeystoreKdf kdf,
    gboolean light);

GST_LIVEPEER_API
LpPrivateKey *lp_key_file_parse (const gchar * data, gsize length,
    GError ** error);
GST_LIVEPEER_API
LpPrivateKey *lp_key_file_read (const gchar * path, GError ** error);
GST_LIVEPEER_API
gboolean lp_key_file_write (const gchar * path, const LpPrivateKey * key,
    GError ** error);
GST_LIVEPEER_API
LpPrivateKey *lp_key_file_create (const gchar * path, GError ** error);

GST_LIVEPEER_API
gchar *lp_keystore_encrypt (const LpPrivateKey * key, const gchar * password,
    const LpKeystoreParams * params, GError ** error);
GST_LIVEPEER_API
LpPrivateKey *lp_keystore_decrypt (const gchar * json, gssize length,
    const gchar * password, GError ** error);
GST_LIVEPEER_API
gboolean lp_keystore_write (const gchar * path, const LpPrivateKey * key,
    const gchar * password, const LpKeystoreParams * params, GError ** error);
GST_LIVEPEER_API
LpPrivateKey *lp_keystore_read (const gchar * path, const gchar * password,
    GError ** error);

GST_LIVEPEER_API
gboolean lp_key_file_sniff (const gchar * path, LpKeyFileKind * kind,
    GError ** error);
GST_LIVEPEER_API
LpPrivateKey *lp_key_load (const gchar * path, const gchar * password,
    GError ** error);

GST_LIVEPEER_API
gchar *lp_password_read_file (const gchar * path, GError ** error);
GST_LIVEPEER_API
gchar *lp_password_from_env (const gchar * variable, GError ** error);
GST_LIVEPEER_API
void lp_password_free (gchar * password);
GST_LIVEPEER_API
LpPrivateKey *lp_key_load_with_password_file (const gchar * key_file,
    const gchar * password_file, GError ** error);

G_END_DECLS

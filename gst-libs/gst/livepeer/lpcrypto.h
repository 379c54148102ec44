/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Keccak-256, secp256k1 keys, addresses and recoverable signatures, the
 * cryptography every Livepeer message rests on (lpcrypto.c documents the
 * API).
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <glib-object.h>

G_BEGIN_DECLS

/* Sizes of the protocol's fixed-size values, in bytes. */
#define LP_KECCAK256_SIZE 32
#define LP_PRIVATE_KEY_SIZE 32
#define LP_ADDRESS_SIZE 20
#define LP_SIGNATURE_SIZE 65
/* "0x" + 40 hex digits, without and with the terminating NUL */
#define LP_ADDRESS_TEXT_LENGTH 42
#define LP_ADDRESS_TEXT_SIZE 43

/**
 * LP_CRYPTO_ERROR:
 *
 * Error domain of lpcrypto (keys, addresses, signatures and hex); its
 * codes are #LpCryptoError.
 */
#define LP_CRYPTO_ERROR (lp_crypto_error_quark ())
GST_LIVEPEER_API
GQuark lp_crypto_error_quark (void);

/**
 * LpCryptoError:
 * @LP_CRYPTO_ERROR_KEY_LENGTH: a private key is not 32 bytes long
 * @LP_CRYPTO_ERROR_KEY_ZERO: a private key is zero
 * @LP_CRYPTO_ERROR_KEY_OUT_OF_RANGE: a private key is not below the
 *     secp256k1 group order
 * @LP_CRYPTO_ERROR_INVALID_SIGNATURE: a signature is malformed: not 65
 *     bytes, v not 27 or 28, s above n/2, r or s out of range, or no public
 *     key can be recovered from it
 * @LP_CRYPTO_ERROR_WRONG_SIGNER: a well-formed signature recovers to
 *     another address than the expected one
 * @LP_CRYPTO_ERROR_INVALID_ADDRESS: address text is not 40 hex digits
 *     (with an optional 0x)
 * @LP_CRYPTO_ERROR_BAD_CHECKSUM: mixed-case address text whose EIP-55
 *     checksum does not match
 * @LP_CRYPTO_ERROR_INVALID_HEX: hex text is malformed or has the wrong
 *     length
 * @LP_CRYPTO_ERROR_RANDOM: the system's random source failed
 * @LP_CRYPTO_ERROR_FAILED: libsecp256k1 refused an operation
 *
 * Error codes of the %LP_CRYPTO_ERROR domain. Whatever the code, a
 * signature that fails verification is invalid; the codes only say why.
 */
typedef enum
{
  LP_CRYPTO_ERROR_KEY_LENGTH,
  LP_CRYPTO_ERROR_KEY_ZERO,
  LP_CRYPTO_ERROR_KEY_OUT_OF_RANGE,
  LP_CRYPTO_ERROR_INVALID_SIGNATURE,
  LP_CRYPTO_ERROR_WRONG_SIGNER,
  LP_CRYPTO_ERROR_INVALID_ADDRESS,
  LP_CRYPTO_ERROR_BAD_CHECKSUM,
  LP_CRYPTO_ERROR_INVALID_HEX,
  LP_CRYPTO_ERROR_RANDOM,
  LP_CRYPTO_ERROR_FAILED,
} LpCryptoError;

/* ---- Keccak-256 ---- */

/**
 * LpKeccak:
 *
 * Incremental Keccak-256 state (Ethereum's Keccak, with the original 0x01
 * padding, not NIST SHA3-256). A plain struct meant to live on the stack:
 * lp_keccak256_init(), any number of lp_keccak256_update(), then
 * lp_keccak256_digest(). Its fields are private. One state must not be used
 * from two threads at once; distinct states are independent.
 */
typedef struct
{
  /*< private >*/
  guint64 state[25];
  guint pos;
} LpKeccak;

GST_LIVEPEER_API
void lp_keccak256_init (LpKeccak * ctx);
GST_LIVEPEER_API
void lp_keccak256_update (LpKeccak * ctx, const guint8 * data, gsize length);
GST_LIVEPEER_API
void lp_keccak256_digest (LpKeccak * ctx, guint8 digest[LP_KECCAK256_SIZE]);
GST_LIVEPEER_API
void lp_keccak256 (const guint8 * data, gsize length,
    guint8 digest[LP_KECCAK256_SIZE]);
GST_LIVEPEER_API
void lp_personal_digest (const guint8 hash[LP_KECCAK256_SIZE],
    guint8 digest[LP_KECCAK256_SIZE]);

/* ---- addresses ---- */

/**
 * LpAddress:
 * @bytes: the 20 address bytes
 *
 * An Ethereum account address. A plain value type: copy it with `=`.
 */
typedef struct
{
  guint8 bytes[LP_ADDRESS_SIZE];
} LpAddress;

#define LP_TYPE_ADDRESS (lp_address_get_type ())
GST_LIVEPEER_API
GType lp_address_get_type (void);

GST_LIVEPEER_API
LpAddress *lp_address_copy (const LpAddress * address);
GST_LIVEPEER_API
void lp_address_free (LpAddress * address);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpAddress, lp_address_free)

GST_LIVEPEER_API
void lp_address_from_public_key (const guint8 public_key[64],
    LpAddress * address);
GST_LIVEPEER_API
void lp_address_format (const LpAddress * address,
    gchar text[LP_ADDRESS_TEXT_SIZE]);
GST_LIVEPEER_API
gchar *lp_address_to_string (const LpAddress * address);
GST_LIVEPEER_API
gboolean lp_address_parse (const gchar * text, LpAddress * address,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_address_equal (const LpAddress * a, const LpAddress * b);
GST_LIVEPEER_API
gboolean lp_address_is_zero (const LpAddress * address);

/* ---- private keys and signatures ---- */

/**
 * LpPrivateKey:
 *
 * A secp256k1 private key with its address, reference counted and
 * immutable, so one key may be shared by several threads. The secret bytes
 * are wiped when the last reference goes away. Opaque.
 */
typedef struct _LpPrivateKey LpPrivateKey;

#define LP_TYPE_PRIVATE_KEY (lp_private_key_get_type ())
GST_LIVEPEER_API
GType lp_private_key_get_type (void);

GST_LIVEPEER_API
LpPrivateKey *lp_private_key_new_from_bytes (const guint8 * data, gsize length,
    GError ** error);
GST_LIVEPEER_API
LpPrivateKey *lp_private_key_generate (GError ** error);
GST_LIVEPEER_API
LpPrivateKey *lp_private_key_ref (LpPrivateKey * key);
GST_LIVEPEER_API
void lp_private_key_unref (LpPrivateKey * key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpPrivateKey, lp_private_key_unref)

GST_LIVEPEER_API
void lp_private_key_export (const LpPrivateKey * key,
    guint8 out[LP_PRIVATE_KEY_SIZE]);
GST_LIVEPEER_API
const LpAddress *lp_private_key_get_address (const LpPrivateKey * key);
GST_LIVEPEER_API
void lp_private_key_get_public_key (const LpPrivateKey * key,
    guint8 public_key[64]);

GST_LIVEPEER_API
gboolean lp_private_key_sign_digest (const LpPrivateKey * key,
    const guint8 digest[LP_KECCAK256_SIZE],
    guint8 signature[LP_SIGNATURE_SIZE], GError ** error);
GST_LIVEPEER_API
gboolean lp_sign_message (const LpPrivateKey * key, const guint8 * message,
    gsize length, guint8 signature[LP_SIGNATURE_SIZE], GError ** error);
GST_LIVEPEER_API
gboolean lp_sign_hash (const LpPrivateKey * key,
    const guint8 hash[LP_KECCAK256_SIZE], guint8 signature[LP_SIGNATURE_SIZE],
    GError ** error);

GST_LIVEPEER_API
gboolean lp_recover_digest (const guint8 digest[LP_KECCAK256_SIZE],
    const guint8 * signature, gsize signature_length, LpAddress * signer,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_recover_message (const guint8 * message, gsize length,
    const guint8 * signature, gsize signature_length, LpAddress * signer,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_recover_hash (const guint8 hash[LP_KECCAK256_SIZE],
    const guint8 * signature, gsize signature_length, LpAddress * signer,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_verify_message (const LpAddress * signer, const guint8 * message,
    gsize length, const guint8 * signature, gsize signature_length,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_verify_hash (const LpAddress * signer,
    const guint8 hash[LP_KECCAK256_SIZE], const guint8 * signature,
    gsize signature_length, GError ** error);

/* ---- helpers ---- */

GST_LIVEPEER_API
gboolean lp_crypto_random_bytes (guint8 * buffer, gsize length,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_crypto_memeq (gconstpointer a, gconstpointer b, gsize length);
GST_LIVEPEER_API
void lp_crypto_wipe (gpointer data, gsize length);

GST_LIVEPEER_API
gchar *lp_hex_encode (const guint8 * data, gsize length, gboolean prefix);
GST_LIVEPEER_API
gboolean lp_hex_decode (const gchar * text, guint8 * out, gsize length,
    GError ** error);
GST_LIVEPEER_API
GBytes *lp_hex_decode_bytes (const gchar * text, gsize max_length,
    GError ** error);

G_END_DECLS

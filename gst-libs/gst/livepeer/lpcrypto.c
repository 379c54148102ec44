/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:lpcrypto
 * @title: LpCrypto
 * @short_description: Keccak-256, secp256k1 keys, addresses and signatures
 *
 * The cryptography every Livepeer message rests on, byte-identical to
 * Ethereum's:
 *
 * - Keccak-256 with Ethereum's 0x01 padding (rate 136), built on nettle's
 *   Keccak-f[1600] permutation;
 * - secp256k1 private keys, public keys and addresses (the last 20 bytes of
 *   the Keccak-256 of the uncompressed public key without its 0x04 prefix),
 *   with EIP-55 checksummed text;
 * - recoverable ECDSA signatures `r ‖ s ‖ v` (`v` = recovery id + 27),
 *   deterministic (RFC 6979) and low-s, via libsecp256k1;
 * - the two signing paths of the protocol: *message signatures* sign
 *   `personal_digest(keccak(message))`, *hash signatures* sign
 *   `personal_digest(h32)`, where `personal_digest(h32)` is
 *   `keccak("\x19Ethereum Signed Message:\n32" ‖ h32)`.
 *
 * Verification accepts only 65-byte signatures with `v` ∈ {27, 28} and
 * `s` ≤ n/2, recovers the signer and compares addresses.
 *
 * Unless said otherwise every function is MT safe: libsecp256k1's context
 * is created once, randomized, and then only read. Secrets never enter a
 * log line, and key material is wiped when freed.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpcrypto.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>

#include <nettle/sha3.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

/* Keccak-256: capacity 512 bits, so 136 bytes are absorbed per permutation */
#define KECCAK256_RATE 136

#define PERSONAL_PREFIX "\x19" "Ethereum Signed Message:\n32"
#define PERSONAL_PREFIX_LENGTH (sizeof (PERSONAL_PREFIX) - 1)

struct _LpPrivateKey
{
  guint8 secret[LP_PRIVATE_KEY_SIZE];
  guint8 public_key[64];
  LpAddress address;
};

G_DEFINE_QUARK (lp-crypto-error-quark, lp_crypto_error);
G_DEFINE_BOXED_TYPE (LpAddress, lp_address, lp_address_copy, lp_address_free);
G_DEFINE_BOXED_TYPE (LpPrivateKey, lp_private_key, lp_private_key_ref,
    lp_private_key_unref);

/* ------------------------------------------------------------------------ */
/* Keccak-256                                                               */
/* ------------------------------------------------------------------------ */

G_STATIC_ASSERT (sizeof (struct sha3_state) ==
    sizeof (((LpKeccak *) 0)->state));
G_STATIC_ASSERT (KECCAK256_RATE % 8 == 0);

static inline void
keccak_permute (LpKeccak * ctx)
{
  sha3_permute ((struct sha3_state *) ctx->state);
}

/* Lanes hold bytes little-endian (the Keccak convention); going through
 * shifts keeps this right on any host byte order. */
static inline void
keccak_xor_byte (LpKeccak * ctx, guint pos, guint8 byte)
{
  ctx->state[pos >> 3] ^= (guint64) byte << (8 * (pos & 7));
}

/**
 * lp_keccak256_init:
 * @ctx: (out caller-allocates): the state to initialise
 *
 * Starts a new Keccak-256 computation in @ctx.
 *
 * MT safe.
 */
void
lp_keccak256_init (LpKeccak * ctx)
{
  g_return_if_fail (ctx != NULL);

  memset (ctx, 0, sizeof (*ctx));
}

/**
 * lp_keccak256_update:
 * @ctx: a state from lp_keccak256_init()
 * @data: (array length=length) (nullable): bytes to hash
 * @length: number of bytes in @data
 *
 * Absorbs @length bytes into @ctx. May be called any number of times; the
 * digest only depends on the concatenation of all the data.
 *
 * MT safe as long as @ctx is not shared between threads.
 */
void
lp_keccak256_update (LpKeccak * ctx, const guint8 * data, gsize length)
{
  g_return_if_fail (ctx != NULL);
  g_return_if_fail (data != NULL || length == 0);
  g_return_if_fail (ctx->pos < KECCAK256_RATE);

  while (length > 0) {
    if ((ctx->pos & 7) == 0 && length >= 8) {
      /* whole lanes at a time */
      while (length >= 8 && ctx->pos < KECCAK256_RATE) {
        guint64 lane;

        memcpy (&lane, data, 8);
        ctx->state[ctx->pos >> 3] ^= GUINT64_FROM_LE (lane);
        ctx->pos += 8;
        data += 8;
        length -= 8;
      }
    } else {
      keccak_xor_byte (ctx, ctx->pos, *data);
      ctx->pos++;
      data++;
      length--;
    }

    if (ctx->pos == KECCAK256_RATE) {
      keccak_permute (ctx);
      ctx->pos = 0;
    }
  }
}

/**
 * lp_keccak256_digest:
 * @ctx: a state from lp_keccak256_init()
 * @digest: (out caller-allocates) (array fixed-size=32): the Keccak-256
 *     digest of everything absorbed
 *
 * Finishes the computation with Ethereum's padding (0x01 … 0x80) and writes
 * the 32-byte digest. @ctx is then re-initialised, ready for a new message.
 *
 * MT safe as long as @ctx is not shared between threads.
 */
void
lp_keccak256_digest (LpKeccak * ctx, guint8 digest[LP_KECCAK256_SIZE])
{
  guint i;

  g_return_if_fail (ctx != NULL);
  g_return_if_fail (digest != NULL);
  g_return_if_fail (ctx->pos < KECCAK256_RATE);

  keccak_xor_byte (ctx, ctx->pos, 0x01);
  keccak_xor_byte (ctx, KECCAK256_RATE - 1, 0x80);
  keccak_permute (ctx);

  for (i = 0; i < LP_KECCAK256_SIZE; i++)
    digest[i] = (guint8) (ctx->state[i >> 3] >> (8 * (i & 7)));

  lp_keccak256_init (ctx);
}

/**
 * lp_keccak256:
 * @data: (array length=length) (nullable): bytes to hash
 * @length: number of bytes in @data
 * @digest: (out caller-allocates) (array fixed-size=32): Keccak-256 of @data
 *
 * One-shot Keccak-256 (Ethereum's `keccak256`).
 *
 * MT safe.
 */
void
lp_keccak256 (const guint8 * data, gsize length,
    guint8 digest[LP_KECCAK256_SIZE])
{
  LpKeccak ctx;

  g_return_if_fail (data != NULL || length == 0);
  g_return_if_fail (digest != NULL);

  lp_keccak256_init (&ctx);
  lp_keccak256_update (&ctx, data, length);
  lp_keccak256_digest (&ctx, digest);
}

/**
 * lp_personal_digest:
 * @hash: (array fixed-size=32): a 32-byte hash
 * @digest: (out caller-allocates) (array fixed-size=32): the digest that is
 *     actually signed
 *
 * Computes `keccak("\x19Ethereum Signed Message:\n32" ‖ hash)`, Ethereum's
 * `personal_sign` digest of a 32-byte value. @hash and @digest may be the
 * same buffer.
 *
 * MT safe.
 */
void
lp_personal_digest (const guint8 hash[LP_KECCAK256_SIZE],
    guint8 digest[LP_KECCAK256_SIZE])
{
  LpKeccak ctx;

  g_return_if_fail (hash != NULL);
  g_return_if_fail (digest != NULL);

  lp_keccak256_init (&ctx);
  lp_keccak256_update (&ctx, (const guint8 *) PERSONAL_PREFIX,
      PERSONAL_PREFIX_LENGTH);
  lp_keccak256_update (&ctx, hash, LP_KECCAK256_SIZE);
  lp_keccak256_digest (&ctx, digest);
}

/* ------------------------------------------------------------------------ */
/* helpers                                                                  */
/* ------------------------------------------------------------------------ */

static gboolean
read_urandom (guint8 * buffer, gsize length, GError ** error)
{
  int fd;

  fd = open ("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    goto failed;

  while (length > 0) {
    ssize_t n = read (fd, buffer, length);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      close (fd);
      goto failed;
    }
    buffer += n;
    length -= n;
  }
  close (fd);
  return TRUE;

failed:
  g_set_error (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_RANDOM,
      "Could not read the system's random source /dev/urandom: %s",
      g_strerror (errno));
  return FALSE;
}

/**
 * lp_crypto_random_bytes:
 * @buffer: (out caller-allocates) (array length=length): where to write
 * @length: number of bytes wanted
 * @error: return location for a #GError, or %NULL
 *
 * Fills @buffer with bytes from the kernel's cryptographically secure
 * random source (getrandom(2), or /dev/urandom where that system call is
 * missing). Suitable for keys, salts and nonces, unlike g_random_*().
 *
 * Returns: %TRUE on success; %FALSE with @error set
 * (%LP_CRYPTO_ERROR_RANDOM) when no random bytes could be had.
 *
 * MT safe.
 */
gboolean
lp_crypto_random_bytes (guint8 * buffer, gsize length, GError ** error)
{
  g_return_val_if_fail (buffer != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  while (length > 0) {
    ssize_t n = getrandom (buffer, length, 0);

    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno == ENOSYS)
        return read_urandom (buffer, length, error);
      g_set_error (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_RANDOM,
          "getrandom() failed: %s", g_strerror (errno));
      return FALSE;
    }
    buffer += n;
    length -= n;
  }

  return TRUE;
}

/**
 * lp_crypto_memeq:
 * @a: (array length=length): first buffer
 * @b: (array length=length): second buffer
 * @length: number of bytes to compare
 *
 * Compares two buffers in time that depends only on @length, never on
 * their contents; use it for MACs, secrets and anything derived from them.
 *
 * Returns: %TRUE if the buffers are equal
 *
 * MT safe.
 */
gboolean
lp_crypto_memeq (gconstpointer a, gconstpointer b, gsize length)
{
  const volatile guint8 *pa = a;
  const volatile guint8 *pb = b;
  volatile guint8 diff = 0;
  gsize i;

  g_return_val_if_fail (a != NULL || length == 0, FALSE);
  g_return_val_if_fail (b != NULL || length == 0, FALSE);

  for (i = 0; i < length; i++)
    diff |= pa[i] ^ pb[i];

  return diff == 0;
}

/**
 * lp_crypto_wipe:
 * @data: (nullable): memory to clear
 * @length: its size in bytes
 *
 * Overwrites @data with zeroes in a way the compiler may not optimise away.
 * Use it on every buffer that held a secret before it is freed.
 *
 * MT safe.
 */
void
lp_crypto_wipe (gpointer data, gsize length)
{
  if (data != NULL && length > 0)
    explicit_bzero (data, length);
}

/* Constant-time across the whole buffer: a secret's zero bytes do not
 * shorten the loop. */
static gboolean
buffer_is_zero (const guint8 * data, gsize length)
{
  volatile guint8 acc = 0;
  gsize i;

  for (i = 0; i < length; i++)
    acc |= data[i];

  return acc == 0;
}

static const gchar hex_digits[] = "0123456789abcdef";

/**
 * lp_hex_encode:
 * @data: (array length=length) (nullable): bytes to encode
 * @length: number of bytes
 * @prefix: whether to start the text with "0x"
 *
 * Returns: (transfer full): @data as lowercase hexadecimal text; free with
 *     g_free()
 *
 * MT safe.
 */
gchar *
lp_hex_encode (const guint8 * data, gsize length, gboolean prefix)
{
  gchar *text, *p;
  gsize i;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (length < G_MAXSIZE / 2 - 3, NULL);

  text = g_malloc (2 * length + 3);
  p = text;
  if (prefix) {
    *p++ = '0';
    *p++ = 'x';
  }
  for (i = 0; i < length; i++) {
    *p++ = hex_digits[data[i] >> 4];
    *p++ = hex_digits[data[i] & 0xf];
  }
  *p = '\0';

  return text;
}

static const gchar *
skip_hex_prefix (const gchar * text)
{
  if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    return text + 2;
  return text;
}

/* Decodes exactly @n_digits hex digits; FALSE on any non-hex character. */
static gboolean
decode_hex_digits (const gchar * digits, gsize n_digits, guint8 * out)
{
  gsize i;

  for (i = 0; i < n_digits; i += 2) {
    gint hi = g_ascii_xdigit_value (digits[i]);
    gint lo = g_ascii_xdigit_value (digits[i + 1]);

    if (hi < 0 || lo < 0)
      return FALSE;
    out[i / 2] = (guint8) ((hi << 4) | lo);
  }

  return TRUE;
}

/**
 * lp_hex_decode:
 * @text: hexadecimal text, with or without "0x"
 * @out: (out caller-allocates) (array length=length): the decoded bytes
 * @length: the exact number of bytes @text must hold
 * @error: return location for a #GError, or %NULL
 *
 * Decodes hex text of a known size (either letter case). The message of an
 * error never quotes @text, so it is safe on secrets.
 *
 * Returns: %TRUE on success; %FALSE with %LP_CRYPTO_ERROR_INVALID_HEX when
 *     @text has another length or a non-hex character (@out is then
 *     undefined)
 *
 * MT safe.
 */
gboolean
lp_hex_decode (const gchar * text, guint8 * out, gsize length, GError ** error)
{
  const gchar *digits;
  gsize n_digits;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  digits = skip_hex_prefix (text);
  n_digits = strlen (digits);
  if (n_digits != 2 * length) {
    g_set_error (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_INVALID_HEX,
        "Expected %" G_GSIZE_FORMAT " hexadecimal digits (%" G_GSIZE_FORMAT
        " bytes), got %" G_GSIZE_FORMAT, 2 * length, length, n_digits);
    return FALSE;
  }
  if (!decode_hex_digits (digits, n_digits, out)) {
    g_set_error_literal (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_INVALID_HEX,
        "Text holds a character that is not a hexadecimal digit");
    return FALSE;
  }

  return TRUE;
}

/**
 * lp_hex_decode_bytes:
 * @text: hexadecimal text with an even number of digits, with or without
 *     "0x"; "" and "0x" decode to no bytes
 * @max_length: the most bytes accepted
 * @error: return location for a #GError, or %NULL
 *
 * Decodes hex text of variable size.
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL with
 *     %LP_CRYPTO_ERROR_INVALID_HEX set
 *
 * MT safe.
 */
GBytes *
lp_hex_decode_bytes (const gchar * text, gsize max_length, GError ** error)
{
  const gchar *digits;
  gsize n_digits;
  guint8 *data;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  digits = skip_hex_prefix (text);
  n_digits = strlen (digits);
  if (n_digits % 2 != 0) {
    g_set_error_literal (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_INVALID_HEX,
        "Hexadecimal text has an odd number of digits");
    return NULL;
  }
  if (n_digits / 2 > max_length) {
    g_set_error (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_INVALID_HEX,
        "Hexadecimal text holds %" G_GSIZE_FORMAT " bytes, at most %"
        G_GSIZE_FORMAT " are allowed", n_digits / 2, max_length);
    return NULL;
  }

  data = g_malloc (n_digits / 2 + 1);
  if (!decode_hex_digits (digits, n_digits, data)) {
    g_free (data);
    g_set_error_literal (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_INVALID_HEX,
        "Text holds a character that is not a hexadecimal digit");
    return NULL;
  }

  return g_bytes_new_take (data, n_digits / 2);
}

/* ------------------------------------------------------------------------ */
/* addresses                                                                */
/* ------------------------------------------------------------------------ */

/**
 * lp_address_copy:
 * @address: an address
 *
 * Returns: (transfer full): a heap copy of @address, freed with
 *     lp_address_free()
 *
 * MT safe.
 */
LpAddress *
lp_address_copy (const LpAddress * address)
{
  g_return_val_if_fail (address != NULL, NULL);

  return g_memdup2 (address, sizeof (LpAddress));
}

/**
 * lp_address_free:
 * @address: (transfer full) (nullable): an address from lp_address_copy()
 *
 * Frees a heap-allocated address.
 *
 * MT safe.
 */
void
lp_address_free (LpAddress * address)
{
  g_free (address);
}

/**
 * lp_address_from_public_key:
 * @public_key: (array fixed-size=64): uncompressed public key, X ‖ Y,
 *     without the 0x04 prefix
 * @address: (out caller-allocates): the account address
 *
 * Computes the address of a public key: the last 20 bytes of its
 * Keccak-256.
 *
 * MT safe.
 */
void
lp_address_from_public_key (const guint8 public_key[64], LpAddress * address)
{
  guint8 digest[LP_KECCAK256_SIZE];

  g_return_if_fail (public_key != NULL);
  g_return_if_fail (address != NULL);

  lp_keccak256 (public_key, 64, digest);
  memcpy (address->bytes, digest + LP_KECCAK256_SIZE - LP_ADDRESS_SIZE,
      LP_ADDRESS_SIZE);
}

/**
 * lp_address_format:
 * @address: an address
 * @text: (out caller-allocates) (array fixed-size=43): the NUL-terminated
 *     EIP-55 text
 *
 * Writes the 42-character EIP-55 checksummed form of @address ("0x" and 40
 * hex digits whose letters are upper case where the Keccak-256 of the
 * lowercase digits has a nibble >= 8).
 *
 * MT safe.
 */
void
lp_address_format (const LpAddress * address, gchar text[LP_ADDRESS_TEXT_SIZE])
{
  guint8 digest[LP_KECCAK256_SIZE];
  gchar *digits = text + 2;
  guint i;

  g_return_if_fail (address != NULL);
  g_return_if_fail (text != NULL);

  text[0] = '0';
  text[1] = 'x';
  for (i = 0; i < LP_ADDRESS_SIZE; i++) {
    digits[2 * i] = hex_digits[address->bytes[i] >> 4];
    digits[2 * i + 1] = hex_digits[address->bytes[i] & 0xf];
  }
  digits[2 * LP_ADDRESS_SIZE] = '\0';

  lp_keccak256 ((const guint8 *) digits, 2 * LP_ADDRESS_SIZE, digest);
  for (i = 0; i < 2 * LP_ADDRESS_SIZE; i++) {
    guint nibble = (i % 2 == 0) ? digest[i / 2] >> 4 : digest[i / 2] & 0xf;

    if (nibble >= 8)
      digits[i] = g_ascii_toupper (digits[i]);
  }
}

/**
 * lp_address_to_string:
 * @address: an address
 *
 * Returns: (transfer full): the EIP-55 text of @address; free with g_free()
 *
 * MT safe.
 */
gchar *
lp_address_to_string (const LpAddress * address)
{
  gchar text[LP_ADDRESS_TEXT_SIZE];

  g_return_val_if_fail (address != NULL, NULL);

  lp_address_format (address, text);
  return g_strdup (text);
}

/**
 * lp_address_parse:
 * @text: address text: 40 hex digits, with or without "0x"
 * @address: (out caller-allocates): the parsed address
 * @error: return location for a #GError, or %NULL
 *
 * Parses an address. All-lowercase and all-uppercase digits are accepted
 * as they are; mixed case must be a valid EIP-55 checksum, so a mistyped
 * checksummed address is caught.
 *
 * Returns: %TRUE on success; %FALSE with %LP_CRYPTO_ERROR_INVALID_ADDRESS
 *     or %LP_CRYPTO_ERROR_BAD_CHECKSUM
 *
 * MT safe.
 */
gboolean
lp_address_parse (const gchar * text, LpAddress * address, GError ** error)
{
  gchar expected[LP_ADDRESS_TEXT_SIZE];
  const gchar *digits;
  gboolean has_lower = FALSE, has_upper = FALSE;
  LpAddress parsed;
  guint i;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  digits = skip_hex_prefix (text);
  if (strlen (digits) != 2 * LP_ADDRESS_SIZE
      || !decode_hex_digits (digits, 2 * LP_ADDRESS_SIZE, parsed.bytes))
    goto invalid;

  for (i = 0; i < 2 * LP_ADDRESS_SIZE; i++) {
    has_lower |= g_ascii_islower (digits[i]);
    has_upper |= g_ascii_isupper (digits[i]);
  }
  if (has_lower && has_upper) {
    lp_address_format (&parsed, expected);
    if (strcmp (digits, expected + 2) != 0)
      goto bad_checksum;
  }

  *address = parsed;
  return TRUE;

invalid:
  g_set_error (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_INVALID_ADDRESS,
      "'%.64s' is not an address (40 hexadecimal digits, optionally "
      "prefixed with 0x)", text);
  return FALSE;

bad_checksum:
  g_set_error (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_BAD_CHECKSUM,
      "Address '%s' has mixed case but an invalid EIP-55 checksum "
      "(expected %s); it is probably mistyped", text, expected);
  return FALSE;
}

/**
 * lp_address_equal:
 * @a: an address
 * @b: another address
 *
 * Returns: %TRUE if @a and @b are the same address
 *
 * MT safe.
 */
gboolean
lp_address_equal (const LpAddress * a, const LpAddress * b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  return memcmp (a->bytes, b->bytes, LP_ADDRESS_SIZE) == 0;
}

/**
 * lp_address_is_zero:
 * @address: an address
 *
 * Returns: %TRUE if @address is 0x000…0
 *
 * MT safe.
 */
gboolean
lp_address_is_zero (const LpAddress * address)
{
  g_return_val_if_fail (address != NULL, FALSE);

  return buffer_is_zero (address->bytes, LP_ADDRESS_SIZE);
}

/* ------------------------------------------------------------------------ */
/* secp256k1                                                                */
/* ------------------------------------------------------------------------ */

/* One context for the process, created and randomized once, then only
 * read: libsecp256k1 allows concurrent use of a const context. */
static const secp256k1_context *
get_context (void)
{
  static gsize initialized = 0;
  static secp256k1_context *context = NULL;

  if (g_once_init_enter (&initialized)) {
    guint8 seed[32];
    secp256k1_context *ctx = secp256k1_context_create (SECP256K1_CONTEXT_NONE);

    /* Blinding is side-channel hardening only: without entropy the context
     * still signs correctly, so a failure here is not fatal. */
    if (lp_crypto_random_bytes (seed, sizeof (seed), NULL)) {
      if (!secp256k1_context_randomize (ctx, seed))
        g_debug ("libsecp256k1 context randomization failed");
    }
    lp_crypto_wipe (seed, sizeof (seed));
    context = ctx;
    g_once_init_leave (&initialized, 1);
  }

  return context;
}

static void
public_key_to_bytes (const secp256k1_pubkey * pubkey, guint8 out[64])
{
  guint8 serialized[65];
  size_t length = sizeof (serialized);

  secp256k1_ec_pubkey_serialize (get_context (), serialized, &length, pubkey,
      SECP256K1_EC_UNCOMPRESSED);
  g_assert (length == 65 && serialized[0] == 0x04);
  memcpy (out, serialized + 1, 64);
}

static void
private_key_clear (LpPrivateKey * key)
{
  lp_crypto_wipe (key->secret, sizeof (key->secret));
}

/**
 * lp_private_key_new_from_bytes:
 * @data: (array length=length): the 32 secret bytes, big-endian
 * @length: must be 32
 * @error: return location for a #GError, or %NULL
 *
 * Makes a key of 32 secret bytes, refusing values that are no secp256k1
 * private key. The caller keeps ownership of @data (and should wipe it).
 *
 * Returns: (transfer full) (nullable): the key, or %NULL with
 *     %LP_CRYPTO_ERROR_KEY_LENGTH, %LP_CRYPTO_ERROR_KEY_ZERO or
 *     %LP_CRYPTO_ERROR_KEY_OUT_OF_RANGE (not below the group order n)
 *
 * MT safe.
 */
LpPrivateKey *
lp_private_key_new_from_bytes (const guint8 * data, gsize length,
    GError ** error)
{
  const secp256k1_context *ctx = get_context ();
  secp256k1_pubkey pubkey;
  LpPrivateKey *key;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length != LP_PRIVATE_KEY_SIZE) {
    g_set_error (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_KEY_LENGTH,
        "A private key is 32 bytes, not %" G_GSIZE_FORMAT, length);
    return NULL;
  }
  if (buffer_is_zero (data, length)) {
    g_set_error_literal (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_KEY_ZERO,
        "The private key is zero, which is no valid secp256k1 key");
    return NULL;
  }
  if (!secp256k1_ec_seckey_verify (ctx, data)) {
    g_set_error_literal (error, LP_CRYPTO_ERROR,
        LP_CRYPTO_ERROR_KEY_OUT_OF_RANGE,
        "The private key is not below the secp256k1 group order, so it is "
        "no valid key");
    return NULL;
  }

  key = g_atomic_rc_box_new0 (LpPrivateKey);
  memcpy (key->secret, data, LP_PRIVATE_KEY_SIZE);
  if (!secp256k1_ec_pubkey_create (ctx, &pubkey, key->secret)) {
    /* cannot happen for a verified key, but never hand out a broken one */
    lp_private_key_unref (key);
    g_set_error_literal (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_FAILED,
        "libsecp256k1 could not derive the public key");
    return NULL;
  }
  public_key_to_bytes (&pubkey, key->public_key);
  lp_address_from_public_key (key->public_key, &key->address);

  return key;
}

/**
 * lp_private_key_generate:
 * @error: return location for a #GError, or %NULL
 *
 * Makes a fresh key from the kernel's secure random source.
 *
 * Returns: (transfer full) (nullable): a new key, or %NULL with
 *     %LP_CRYPTO_ERROR_RANDOM
 *
 * MT safe.
 */
LpPrivateKey *
lp_private_key_generate (GError ** error)
{
  guint8 secret[LP_PRIVATE_KEY_SIZE];
  LpPrivateKey *key = NULL;
  guint attempt;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A random 32-byte value is not a valid key with probability ~2^-128;
   * retrying a few times makes failure a sign of a broken random source. */
  for (attempt = 0; attempt < 8 && key == NULL; attempt++) {
    if (!lp_crypto_random_bytes (secret, sizeof (secret), error))
      break;
    key = lp_private_key_new_from_bytes (secret, sizeof (secret), NULL);
  }
  lp_crypto_wipe (secret, sizeof (secret));

  if (key == NULL && error != NULL && *error == NULL)
    g_set_error_literal (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_RANDOM,
        "The random source keeps producing invalid keys");

  return key;
}

/**
 * lp_private_key_ref:
 * @key: a key
 *
 * Returns: (transfer full): @key, with one more reference
 *
 * MT safe.
 */
LpPrivateKey *
lp_private_key_ref (LpPrivateKey * key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return g_atomic_rc_box_acquire (key);
}

/**
 * lp_private_key_unref:
 * @key: (transfer full) (nullable): a key
 *
 * Drops a reference; the last one wipes the secret and frees the key.
 *
 * MT safe.
 */
void
lp_private_key_unref (LpPrivateKey * key)
{
  if (key != NULL)
    g_atomic_rc_box_release_full (key, (GDestroyNotify) private_key_clear);
}

/**
 * lp_private_key_export:
 * @key: a key
 * @out: (out caller-allocates) (array fixed-size=32): the secret bytes
 *
 * Copies the secret out, for writing a key file or keystore. The caller
 * must wipe @out with lp_crypto_wipe() when done.
 *
 * MT safe.
 */
void
lp_private_key_export (const LpPrivateKey * key,
    guint8 out[LP_PRIVATE_KEY_SIZE])
{
  g_return_if_fail (key != NULL);
  g_return_if_fail (out != NULL);

  memcpy (out, key->secret, LP_PRIVATE_KEY_SIZE);
}

/**
 * lp_private_key_get_address:
 * @key: a key
 *
 * Returns: (transfer none): the address of @key, valid as long as @key
 *
 * MT safe.
 */
const LpAddress *
lp_private_key_get_address (const LpPrivateKey * key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return &key->address;
}

/**
 * lp_private_key_get_public_key:
 * @key: a key
 * @public_key: (out caller-allocates) (array fixed-size=64): the
 *     uncompressed public key X ‖ Y, without the 0x04 prefix
 *
 * MT safe.
 */
void
lp_private_key_get_public_key (const LpPrivateKey * key, guint8 public_key[64])
{
  g_return_if_fail (key != NULL);
  g_return_if_fail (public_key != NULL);

  memcpy (public_key, key->public_key, 64);
}

/**
 * lp_private_key_sign_digest:
 * @key: the signing key
 * @digest: (array fixed-size=32): the 32-byte digest to sign as it is
 * @signature: (out caller-allocates) (array fixed-size=65): `r ‖ s ‖ v`
 * @error: return location for a #GError, or %NULL
 *
 * Signs a raw digest: deterministic (RFC 6979), low-s, `v` = recovery
 * id + 27. Protocol code uses lp_sign_message() or lp_sign_hash() instead,
 * which apply the personal-message digest first.
 *
 * Returns: %TRUE on success; %FALSE with %LP_CRYPTO_ERROR_FAILED if
 *     libsecp256k1 refuses (practically never)
 *
 * MT safe.
 */
gboolean
lp_private_key_sign_digest (const LpPrivateKey * key,
    const guint8 digest[LP_KECCAK256_SIZE],
    guint8 signature[LP_SIGNATURE_SIZE], GError ** error)
{
  const secp256k1_context *ctx = get_context ();
  secp256k1_ecdsa_recoverable_signature sig;
  int recid = 0;

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (digest != NULL, FALSE);
  g_return_val_if_fail (signature != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!secp256k1_ecdsa_sign_recoverable (ctx, &sig, digest, key->secret,
          NULL, NULL))
    goto failed;
  if (!secp256k1_ecdsa_recoverable_signature_serialize_compact (ctx,
          signature, &recid, &sig))
    goto failed;
  signature[64] = (guint8) (recid + 27);

  return TRUE;

failed:
  g_set_error_literal (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_FAILED,
      "libsecp256k1 could not sign");
  return FALSE;
}

/**
 * lp_sign_message:
 * @key: the signing key
 * @message: (array length=length) (nullable): the message
 * @length: its size in bytes
 * @signature: (out caller-allocates) (array fixed-size=65): `r ‖ s ‖ v`
 * @error: return location for a #GError, or %NULL
 *
 * Makes a *message signature* (discovery, segments): signs
 * `personal_digest(keccak(message))`.
 *
 * Returns: %TRUE on success
 *
 * MT safe.
 */
gboolean
lp_sign_message (const LpPrivateKey * key, const guint8 * message,
    gsize length, guint8 signature[LP_SIGNATURE_SIZE], GError ** error)
{
  guint8 digest[LP_KECCAK256_SIZE];

  g_return_val_if_fail (message != NULL || length == 0, FALSE);

  lp_keccak256 (message, length, digest);
  lp_personal_digest (digest, digest);
  return lp_private_key_sign_digest (key, digest, signature, error);
}

/**
 * lp_sign_hash:
 * @key: the signing key
 * @hash: (array fixed-size=32): a 32-byte hash (ticket hash, result hash)
 * @signature: (out caller-allocates) (array fixed-size=65): `r ‖ s ‖ v`
 * @error: return location for a #GError, or %NULL
 *
 * Makes a *hash signature* (tickets, transcode results): signs
 * `personal_digest(hash)`.
 *
 * Returns: %TRUE on success
 *
 * MT safe.
 */
gboolean
lp_sign_hash (const LpPrivateKey * key, const guint8 hash[LP_KECCAK256_SIZE],
    guint8 signature[LP_SIGNATURE_SIZE], GError ** error)
{
  guint8 digest[LP_KECCAK256_SIZE];

  g_return_val_if_fail (hash != NULL, FALSE);

  lp_personal_digest (hash, digest);
  return lp_private_key_sign_digest (key, digest, signature, error);
}

/**
 * lp_recover_digest:
 * @digest: (array fixed-size=32): the digest that was signed
 * @signature: (array length=signature_length): the signature
 * @signature_length: its size; only 65 is valid
 * @signer: (out caller-allocates): the address that made the signature
 * @error: return location for a #GError, or %NULL
 *
 * Recovers the signer of a raw digest after checking the signature is
 * well-formed: 65 bytes, `v` ∈ {27, 28}, `r` and `s` in range, `s` ≤ n/2.
 *
 * Returns: %TRUE on success; %FALSE with %LP_CRYPTO_ERROR_INVALID_SIGNATURE
 *
 * MT safe.
 */
gboolean
lp_recover_digest (const guint8 digest[LP_KECCAK256_SIZE],
    const guint8 * signature, gsize signature_length, LpAddress * signer,
    GError ** error)
{
  const secp256k1_context *ctx = get_context ();
  secp256k1_ecdsa_recoverable_signature sig;
  secp256k1_ecdsa_signature plain;
  secp256k1_pubkey pubkey;
  guint8 public_key[64];
  const gchar *reason;
  guint v;

  g_return_val_if_fail (digest != NULL, FALSE);
  g_return_val_if_fail (signature != NULL || signature_length == 0, FALSE);
  g_return_val_if_fail (signer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (signature_length != LP_SIGNATURE_SIZE) {
    g_set_error (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_INVALID_SIGNATURE,
        "Invalid signature: %" G_GSIZE_FORMAT " bytes instead of 65",
        signature_length);
    return FALSE;
  }
  v = signature[64];
  if (v != 27 && v != 28) {
    g_set_error (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_INVALID_SIGNATURE,
        "Invalid signature: v is %u, not 27 or 28", v);
    return FALSE;
  }

  reason = "r or s is not below the group order";
  if (!secp256k1_ecdsa_recoverable_signature_parse_compact (ctx, &sig,
          signature, (int) v - 27))
    goto invalid;

  /* normalize() returns 1 when it had to lower s: the input was high-s */
  reason = "s is above n/2 (a malleated signature)";
  secp256k1_ecdsa_recoverable_signature_convert (ctx, &plain, &sig);
  if (secp256k1_ecdsa_signature_normalize (ctx, NULL, &plain))
    goto invalid;

  reason = "no public key can be recovered from it";
  if (!secp256k1_ecdsa_recover (ctx, &pubkey, &sig, digest))
    goto invalid;

  public_key_to_bytes (&pubkey, public_key);
  lp_address_from_public_key (public_key, signer);
  return TRUE;

invalid:
  g_set_error (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_INVALID_SIGNATURE,
      "Invalid signature: %s", reason);
  return FALSE;
}

/**
 * lp_recover_message:
 * @message: (array length=length) (nullable): the signed message
 * @length: its size in bytes
 * @signature: (array length=signature_length): a message signature
 * @signature_length: its size; only 65 is valid
 * @signer: (out caller-allocates): the address that signed @message
 * @error: return location for a #GError, or %NULL
 *
 * Recovers the signer of a *message signature* (see lp_sign_message()).
 *
 * Returns: %TRUE on success; %FALSE with %LP_CRYPTO_ERROR_INVALID_SIGNATURE
 *
 * MT safe.
 */
gboolean
lp_recover_message (const guint8 * message, gsize length,
    const guint8 * signature, gsize signature_length, LpAddress * signer,
    GError ** error)
{
  guint8 digest[LP_KECCAK256_SIZE];

  g_return_val_if_fail (message != NULL || length == 0, FALSE);

  lp_keccak256 (message, length, digest);
  lp_personal_digest (digest, digest);
  return lp_recover_digest (digest, signature, signature_length, signer, error);
}

/**
 * lp_recover_hash:
 * @hash: (array fixed-size=32): the signed 32-byte hash
 * @signature: (array length=signature_length): a hash signature
 * @signature_length: its size; only 65 is valid
 * @signer: (out caller-allocates): the address that signed @hash
 * @error: return location for a #GError, or %NULL
 *
 * Recovers the signer of a *hash signature* (see lp_sign_hash()).
 *
 * Returns: %TRUE on success; %FALSE with %LP_CRYPTO_ERROR_INVALID_SIGNATURE
 *
 * MT safe.
 */
gboolean
lp_recover_hash (const guint8 hash[LP_KECCAK256_SIZE],
    const guint8 * signature, gsize signature_length, LpAddress * signer,
    GError ** error)
{
  guint8 digest[LP_KECCAK256_SIZE];

  g_return_val_if_fail (hash != NULL, FALSE);

  lp_personal_digest (hash, digest);
  return lp_recover_digest (digest, signature, signature_length, signer, error);
}

static gboolean
check_signer (const LpAddress * expected, const LpAddress * actual,
    GError ** error)
{
  gchar want[LP_ADDRESS_TEXT_SIZE], got[LP_ADDRESS_TEXT_SIZE];

  if (lp_address_equal (expected, actual))
    return TRUE;

  lp_address_format (expected, want);
  lp_address_format (actual, got);
  g_set_error (error, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_WRONG_SIGNER,
      "Invalid signature: made by %s, not by %s", got, want);
  return FALSE;
}

/**
 * lp_verify_message:
 * @signer: the expected signer
 * @message: (array length=length) (nullable): the signed message
 * @length: its size in bytes
 * @signature: (array length=signature_length): a message signature
 * @signature_length: its size; only 65 is valid
 * @error: return location for a #GError, or %NULL
 *
 * Checks a *message signature* of @message by @signer.
 *
 * Returns: %TRUE if valid; %FALSE with %LP_CRYPTO_ERROR_INVALID_SIGNATURE
 *     or %LP_CRYPTO_ERROR_WRONG_SIGNER
 *
 * MT safe.
 */
gboolean
lp_verify_message (const LpAddress * signer, const guint8 * message,
    gsize length, const guint8 * signature, gsize signature_length,
    GError ** error)
{
  LpAddress actual;

  g_return_val_if_fail (signer != NULL, FALSE);

  if (!lp_recover_message (message, length, signature, signature_length,
          &actual, error))
    return FALSE;
  return check_signer (signer, &actual, error);
}

/**
 * lp_verify_hash:
 * @signer: the expected signer
 * @hash: (array fixed-size=32): the signed 32-byte hash
 * @signature: (array length=signature_length): a hash signature
 * @signature_length: its size; only 65 is valid
 * @error: return location for a #GError, or %NULL
 *
 * Checks a *hash signature* of @hash by @signer.
 *
 * Returns: %TRUE if valid; %FALSE with %LP_CRYPTO_ERROR_INVALID_SIGNATURE
 *     or %LP_CRYPTO_ERROR_WRONG_SIGNER
 *
 * MT safe.
 */
gboolean
lp_verify_hash (const LpAddress * signer,
    const guint8 hash[LP_KECCAK256_SIZE], const guint8 * signature,
    gsize signature_length, GError ** error)
{
  LpAddress actual;

  g_return_val_if_fail (signer != NULL, FALSE);

  if (!lp_recover_hash (hash, signature, signature_length, &actual, error))
    return FALSE;
  return check_signer (signer, &actual, error);
}

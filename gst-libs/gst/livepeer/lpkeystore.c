/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:lpkeystore
 * @title: LpKeystore
 * @short_description: key files and Web3 Secret Storage keystores
 *
 * Where private keys live on disk. Two forms are understood:
 *
 * - a *plain key file*: 64 hexadecimal digits, optionally prefixed with
 *   0x, optionally followed by white space (a trailing newline), nothing
 *   else. Like ssh, the suite refuses to read one that its group or others
 *   may read or write ("chmod 600 FILE"). New ones are created with mode
 *   0600 and never overwrite an existing file.
 * - a *keystore*: the Web3 Secret Storage (version 3) JSON file that geth,
 *   ethers and most wallets read and write, encrypted with a password
 *   (AES-128-CTR, scrypt or PBKDF2-HMAC-SHA256, Keccak-256 MAC).
 *
 * lp_key_load() takes either, telling them apart by their first
 * non-blank character, so any `key-file=` accepts both.
 *
 * Keystore reading validates every field and refuses key derivation
 * parameters that would take minutes or gigabytes before doing any work
 * (see %LP_KEYSTORE_SCRYPT_MAX_N and the other limits in the header):
 * scrypt n must be a power of two up to 2^20, r must be 8 (the value every
 * known wallet writes, and the only one libgcrypt's scrypt offers), p at
 * most 16, 128·n·r at most 1 GiB of memory and n·r·p at most 2^24;
 * PBKDF2 at most 2^22 iterations. The MAC is checked in constant time
 * before anything is decrypted, and the key must match the address the
 * keystore names.
 *
 * Passwords are used as their bytes, as geth does. (ethers normalizes them
 * to Unicode NFKC first; ASCII and already-normalized passwords are the
 * same either way.)
 *
 * All functions are MT safe. No secret ever appears in an error message,
 * and every buffer that held one is wiped.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpkeystore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <gcrypt.h>
#include <json-glib/json-glib.h>
#include <nettle/aes.h>
#include <nettle/ctr.h>
#include <nettle/pbkdf2.h>

#define KEY_HEX_DIGITS (2 * LP_PRIVATE_KEY_SIZE)
#define DKLEN 32
#define IV_SIZE 16
#define SALT_SIZE 32
#define MAC_SIZE 32
/* a password file may hold more lines; only the first is used */
#define MAX_PASSWORD_FILE_SIZE (64 * 1024)

G_DEFINE_QUARK (lp-keystore-error-quark, lp_keystore_error);

/* ------------------------------------------------------------------------ */
/* files                                                                    */
/* ------------------------------------------------------------------------ */

static void
set_errno_error (GError ** error, int errsv, const gchar * what,
    const gchar * path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
      "Could not %s '%s': %s", what, path, g_strerror (errsv));
}

static void
free_secret (gchar * data, gsize size)
{
  if (data != NULL) {
    lp_crypto_wipe (data, size);
    g_free (data);
  }
}

/* Reads a whole regular file of at most @max bytes into a NUL-terminated
 * buffer of @max + 1 bytes (wipe and free it with free_secret (data,
 * max + 1)). @mode receives the permission bits of the opened file itself,
 * so no other file can be swapped in between the check and the read. */
static gchar *
load_file (const gchar * path, gsize max, mode_t * mode, gsize * length,
    GError ** error)
{
  struct stat st;
  gchar *data;
  gsize total = 0;
  int fd;

  /* O_NONBLOCK: opening a FIFO must not wait for a writer; the
   * regular-file check below refuses it anyway */
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    set_errno_error (error, errno, "open", path);
    return NULL;
  }
  if (fstat (fd, &st) < 0) {
    set_errno_error (error, errno, "stat", path);
    close (fd);
    return NULL;
  }
  if (!S_ISREG (st.st_mode)) {
    g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_NOT_REGULAR,
        "'%s' is not a regular file", path);
    close (fd);
    return NULL;
  }
  if ((guint64) st.st_size > max)
    goto too_large;

  data = g_malloc (max + 1);
  for (;;) {
    ssize_t n = read (fd, data + total, max + 1 - total);

    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int errsv = errno;

      free_secret (data, max + 1);
      set_errno_error (error, errsv, "read", path);
      close (fd);
      return NULL;
    }
    if (n == 0)
      break;
    total += n;
    if (total > max) {
      free_secret (data, max + 1);
      goto too_large;
    }
  }
  close (fd);
  data[total] = '\0';
  *mode = st.st_mode;
  *length = total;

  return data;

too_large:
  g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_TOO_LARGE,
      "'%s' is larger than %" G_GSIZE_FORMAT " bytes, more than any valid "
      "key file or keystore", path, max);
  close (fd);
  return NULL;
}

/* Creates @path with mode 0600, refusing to replace anything there
 * (O_EXCL, no symlink followed), and writes @data to it. */
static gboolean
write_new_file (const gchar * path, const gchar * data, gsize length,
    GError ** error)
{
  int fd, errsv;
  gsize done = 0;

  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
      S_IRUSR | S_IWUSR);
  if (fd < 0) {
    errsv = errno;
    if (errsv == EEXIST)
      g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_EXISTS,
          "Refusing to overwrite '%s', which already exists", path);
    else
      set_errno_error (error, errsv, "create", path);
    return FALSE;
  }
  /* whatever the umask, the owner may read and write, nobody else */
  if (fchmod (fd, S_IRUSR | S_IWUSR) < 0)
    goto failed;

  while (done < length) {
    ssize_t n = write (fd, data + done, length - done);

    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      goto failed;
    done += n;
  }
  if (fsync (fd) < 0)
    goto failed;
  if (close (fd) < 0) {
    fd = -1;
    goto failed;
  }

  return TRUE;

failed:
  errsv = errno;
  if (fd >= 0)
    close (fd);
  unlink (path);
  set_errno_error (error, errsv, "write", path);
  return FALSE;
}

static LpPrivateKey *
key_from_bytes (const guint8 secret[LP_PRIVATE_KEY_SIZE], GError ** error)
{
  GError *err = NULL;
  LpPrivateKey *key;

  key = lp_private_key_new_from_bytes (secret, LP_PRIVATE_KEY_SIZE, &err);
  if (key != NULL)
    return key;

  if (g_error_matches (err, LP_CRYPTO_ERROR, LP_CRYPTO_ERROR_KEY_ZERO))
    g_set_error_literal (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_ZERO_KEY,
        "The key is zero, which is no valid secp256k1 private key");
  else if (g_error_matches (err, LP_CRYPTO_ERROR,
          LP_CRYPTO_ERROR_KEY_OUT_OF_RANGE))
    g_set_error_literal (error, LP_KEYSTORE_ERROR,
        LP_KEYSTORE_ERROR_KEY_OUT_OF_RANGE,
        "The key is not below the secp256k1 group order, so it is no valid "
        "private key");
  else
    g_set_error_literal (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_FAILED,
        err->message);
  g_error_free (err);

  return NULL;
}

/* ------------------------------------------------------------------------ */
/* plain key files                                                          */
/* ------------------------------------------------------------------------ */

/**
 * lp_key_file_parse:
 * @data: (array length=length): the contents of a plain key file
 * @length: their size in bytes
 * @error: return location for a #GError, or %NULL
 *
 * Parses the plain key file format: an optional "0x", exactly 64
 * hexadecimal digits, then nothing but white space. Does not look at file
 * permissions; lp_key_file_read() does.
 *
 * Returns: (transfer full) (nullable): the key, or %NULL with
 *     %LP_KEYSTORE_ERROR_MALFORMED, %LP_KEYSTORE_ERROR_LENGTH,
 *     %LP_KEYSTORE_ERROR_ZERO_KEY or %LP_KEYSTORE_ERROR_KEY_OUT_OF_RANGE
 *
 * MT safe.
 */
LpPrivateKey *
lp_key_file_parse (const gchar * data, gsize length, GError ** error)
{
  guint8 secret[LP_PRIVATE_KEY_SIZE];
  const gchar *p = data, *end = data + length, *digits;
  gsize n_digits;
  LpPrivateKey *key;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
    p += 2;
  digits = p;
  while (p < end && g_ascii_isxdigit (*p))
    p++;
  n_digits = p - digits;
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
    p++;

  if (p != end) {
    g_set_error_literal (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_MALFORMED,
        "Malformed key: a key file holds 64 hexadecimal digits (optionally "
        "prefixed with 0x) and nothing else but trailing white space");
    return NULL;
  }
  if (n_digits != KEY_HEX_DIGITS) {
    g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_LENGTH,
        "Wrong key length: %" G_GSIZE_FORMAT " hexadecimal digits instead "
        "of 64 (32 bytes)", n_digits);
    return NULL;
  }

  for (n_digits = 0; n_digits < KEY_HEX_DIGITS; n_digits += 2)
    secret[n_digits / 2] = (guint8) ((g_ascii_xdigit_value (digits[n_digits])
            << 4) | g_ascii_xdigit_value (digits[n_digits + 1]));
  key = key_from_bytes (secret, error);
  lp_crypto_wipe (secret, sizeof (secret));

  return key;
}

static gboolean
check_key_file_mode (const gchar * path, mode_t mode, GError ** error)
{
  if ((mode & (S_IRWXG | S_IRWXO)) == 0)
    return TRUE;

  g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_PERMISSIONS,
      "Permissions %04o for '%s' are too open; the key file must be "
      "readable by its owner only (chmod 600 %s)",
      (guint) (mode & 07777), path, path);
  return FALSE;
}

static LpPrivateKey *
parse_key_file_contents (const gchar * path, const gchar * data,
    gsize length, mode_t mode, GError ** error)
{
  LpPrivateKey *key;

  if (!check_key_file_mode (path, mode, error))
    return NULL;
  if (length > LP_KEY_FILE_MAX_SIZE) {
    g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_TOO_LARGE,
        "Key file '%s' is larger than %d bytes; it is no key file", path,
        LP_KEY_FILE_MAX_SIZE);
    return NULL;
  }

  key = lp_key_file_parse (data, length, error);
  if (key == NULL)
    g_prefix_error (error, "Key file '%s': ", path);

  return key;
}

/**
 * lp_key_file_read:
 * @path: a plain key file
 * @error: return location for a #GError, or %NULL
 *
 * Reads a plain key file (see lp_key_file_parse()), refusing it when its
 * group or others have any permission on it.
 *
 * Returns: (transfer full) (nullable): the key, or %NULL with a
 *     %G_FILE_ERROR or one of %LP_KEYSTORE_ERROR_PERMISSIONS,
 *     %LP_KEYSTORE_ERROR_NOT_REGULAR, %LP_KEYSTORE_ERROR_TOO_LARGE,
 *     %LP_KEYSTORE_ERROR_MALFORMED, %LP_KEYSTORE_ERROR_LENGTH,
 *     %LP_KEYSTORE_ERROR_ZERO_KEY, %LP_KEYSTORE_ERROR_KEY_OUT_OF_RANGE
 *
 * MT safe.
 */
LpPrivateKey *
lp_key_file_read (const gchar * path, GError ** error)
{
  LpPrivateKey *key;
  gchar *data;
  gsize length;
  mode_t mode;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = load_file (path, LP_KEY_FILE_MAX_SIZE, &mode, &length, error);
  if (data == NULL)
    return NULL;
  key = parse_key_file_contents (path, data, length, mode, error);
  free_secret (data, LP_KEY_FILE_MAX_SIZE + 1);

  return key;
}

/**
 * lp_key_file_write:
 * @path: where to create the key file
 * @key: the key to store
 * @error: return location for a #GError, or %NULL
 *
 * Stores @key as a plain key file (64 lowercase hex digits and a newline)
 * in a new file of mode 0600. An existing file is never replaced.
 *
 * Returns: %TRUE on success; %FALSE with %LP_KEYSTORE_ERROR_EXISTS or a
 *     %G_FILE_ERROR (a partly written file is removed)
 *
 * MT safe.
 */
gboolean
lp_key_file_write (const gchar * path, const LpPrivateKey * key,
    GError ** error)
{
  guint8 secret[LP_PRIVATE_KEY_SIZE];
  gchar line[2 * LP_PRIVATE_KEY_SIZE + 1];
  gchar *text;
  gsize length;
  gboolean ok;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  lp_private_key_export (key, secret);
  text = lp_hex_encode (secret, sizeof (secret), FALSE);
  lp_crypto_wipe (secret, sizeof (secret));
  length = strlen (text);
  /* a file line is the hex and a newline; formatted on the stack rather
   * than by reallocating, which could leave an unwiped copy behind */
  g_assert (length == 2 * LP_PRIVATE_KEY_SIZE);
  memcpy (line, text, length);
  line[length] = '\n';
  free_secret (text, length + 1);

  ok = write_new_file (path, line, length + 1, error);
  lp_crypto_wipe (line, sizeof (line));

  return ok;
}

/**
 * lp_key_file_create:
 * @path: where to create the key file
 * @error: return location for a #GError, or %NULL
 *
 * Makes a fresh key from the kernel's secure random source and stores it
 * with lp_key_file_write().
 *
 * Returns: (transfer full) (nullable): the new key, or %NULL with the
 *     errors of lp_key_file_write() or %LP_KEYSTORE_ERROR_FAILED
 *
 * MT safe.
 */
LpPrivateKey *
lp_key_file_create (const gchar * path, GError ** error)
{
  GError *err = NULL;
  LpPrivateKey *key;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key = lp_private_key_generate (&err);
  if (key == NULL) {
    g_set_error_literal (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_FAILED,
        err->message);
    g_error_free (err);
    return NULL;
  }
  if (!lp_key_file_write (path, key, error)) {
    lp_private_key_unref (key);
    return NULL;
  }

  return key;
}

/* ------------------------------------------------------------------------ */
/* key derivation                                                           */
/* ------------------------------------------------------------------------ */

/**
 * lp_keystore_params_init:
 * @params: (out caller-allocates): the parameters to fill
 * @kdf: the key derivation function
 * @light: %FALSE for the standard cost (scrypt n=262144 r=8 p=1, or PBKDF2
 *     c=262144), %TRUE for a light one (scrypt n=4096, PBKDF2 c=4096) that
 *     suits tests and throwaway keys but protects a password far less
 *
 * MT safe.
 */
void
lp_keystore_params_init (LpKeystoreParams * params, LpKeystoreKdf kdf,
    gboolean light)
{
  g_return_if_fail (params != NULL);

  params->kdf = kdf;
  params->scrypt_n = light ? LP_KEYSTORE_SCRYPT_LIGHT_N : LP_KEYSTORE_SCRYPT_N;
  params->scrypt_r = LP_KEYSTORE_SCRYPT_R;
  params->scrypt_p = LP_KEYSTORE_SCRYPT_P;
  params->pbkdf2_c = light ? LP_KEYSTORE_PBKDF2_LIGHT_C : LP_KEYSTORE_PBKDF2_C;
}

static gboolean
check_scrypt (guint64 n, guint64 r, guint64 p, GError ** error)
{
  if (r != LP_KEYSTORE_SCRYPT_R) {
    g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_UNSUPPORTED,
        "Unsupported scrypt parameter r=%" G_GUINT64_FORMAT
        " (only r=8 is supported)", r);
    return FALSE;
  }
  /* n and p are bounded first, so the products cannot overflow */
  if (n < 2 || (n & (n - 1)) != 0 || n > LP_KEYSTORE_SCRYPT_MAX_N
      || p < 1 || p > LP_KEYSTORE_SCRYPT_MAX_P
      || 128 * n * r > LP_KEYSTORE_SCRYPT_MAX_MEMORY
      || n * r * p > LP_KEYSTORE_SCRYPT_MAX_WORK) {
    g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_KDF_LIMITS,
        "scrypt parameters n=%" G_GUINT64_FORMAT " r=%" G_GUINT64_FORMAT
        " p=%" G_GUINT64_FORMAT " are outside the accepted limits (n a "
        "power of two from 2 to %u, p from 1 to %d, at most 1 GiB of "
        "memory and n*r*p at most 2^24)", n, r, p,
        LP_KEYSTORE_SCRYPT_MAX_N, LP_KEYSTORE_SCRYPT_MAX_P);
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_pbkdf2 (guint64 c, GError ** error)
{
  if (c < 1 || c > LP_KEYSTORE_PBKDF2_MAX_C) {
    g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_KDF_LIMITS,
        "PBKDF2 iteration count c=%" G_GUINT64_FORMAT " is outside the "
        "accepted limits (1 to %u)", c, LP_KEYSTORE_PBKDF2_MAX_C);
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_params (const LpKeystoreParams * params, GError ** error)
{
  switch (params->kdf) {
    case LP_KEYSTORE_KDF_SCRYPT:
      return check_scrypt (params->scrypt_n, params->scrypt_r,
          params->scrypt_p, error);
    case LP_KEYSTORE_KDF_PBKDF2:
      return check_pbkdf2 (params->pbkdf2_c, error);
  }

  g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_UNSUPPORTED,
      "Unknown key derivation function %d", (gint) params->kdf);
  return FALSE;
}

/* libgcrypt wants to be initialised once per process, unless the
 * application already did. We use no secure memory from it. */
static void
ensure_gcrypt (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized)) {
    if (!gcry_control (GCRYCTL_INITIALIZATION_FINISHED_P)) {
      gcry_check_version (NULL);
      gcry_control (GCRYCTL_DISABLE_SECMEM, 0);
      gcry_control (GCRYCTL_INITIALIZATION_FINISHED, 0);
    }
    g_once_init_leave (&initialized, 1);
  }
}

static gboolean
derive_key (const LpKeystoreParams * params, const gchar * password,
    const guint8 * salt, gsize salt_length, guint8 dk[DKLEN], GError ** error)
{
  gsize password_length = strlen (password);
  gcry_error_t err;

  if (password_length > LP_KEYSTORE_MAX_PASSWORD_SIZE) {
    g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_PASSWORD,
        "The password is longer than %d bytes", LP_KEYSTORE_MAX_PASSWORD_SIZE);
    return FALSE;
  }
  if (!check_params (params, error))
    return FALSE;

  switch (params->kdf) {
    case LP_KEYSTORE_KDF_SCRYPT:
      ensure_gcrypt ();
      /* libgcrypt's scrypt: "subalgo" is n, "iterations" is p, r is 8 */
      err = gcry_kdf_derive (password, password_length, GCRY_KDF_SCRYPT,
          (int) params->scrypt_n, salt, salt_length, params->scrypt_p, DKLEN,
          dk);
      if (err != 0) {
        g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_FAILED,
            "scrypt key derivation failed: %s", gcry_strerror (err));
        return FALSE;
      }
      return TRUE;
    case LP_KEYSTORE_KDF_PBKDF2:
      pbkdf2_hmac_sha256 (password_length, (const guint8 *) password,
          params->pbkdf2_c, salt_length, salt, DKLEN, dk);
      return TRUE;
  }

  g_assert_not_reached ();
  return FALSE;
}

static void
aes128_ctr (const guint8 key[16], const guint8 iv[IV_SIZE],
    const guint8 * src, guint8 * dst, gsize length)
{
  struct aes128_ctx ctx;
  guint8 counter[IV_SIZE];

  memcpy (counter, iv, IV_SIZE);
  aes128_set_encrypt_key (&ctx, key);
  ctr_crypt (&ctx, (nettle_cipher_func *) aes128_encrypt, AES_BLOCK_SIZE,
      counter, length, dst, src);
  lp_crypto_wipe (&ctx, sizeof (ctx));
  lp_crypto_wipe (counter, sizeof (counter));
}

static void
compute_mac (const guint8 dk[DKLEN], const guint8 * ciphertext, gsize length,
    guint8 mac[MAC_SIZE])
{
  LpKeccak ctx;

  lp_keccak256_init (&ctx);
  lp_keccak256_update (&ctx, dk + 16, 16);
  lp_keccak256_update (&ctx, ciphertext, length);
  lp_keccak256_digest (&ctx, mac);
}

/* ------------------------------------------------------------------------ */
/* keystore writing                                                         */
/* ------------------------------------------------------------------------ */

static gchar *
random_uuid (GError ** error)
{
  guint8 b[16];

  if (!lp_crypto_random_bytes (b, sizeof (b), error))
    return NULL;
  b[6] = (b[6] & 0x0f) | 0x40;  /* version 4 */
  b[8] = (b[8] & 0x3f) | 0x80;  /* RFC 4122 variant */

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
      "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5], b[6],
      b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static void
add_hex_member (JsonBuilder * builder, const gchar * name,
    const guint8 * data, gsize length)
{
  gchar *hex = lp_hex_encode (data, length, FALSE);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, hex);
  g_free (hex);
}

/**
 * lp_keystore_encrypt:
 * @key: the key to protect
 * @password: the password, used as its UTF-8 bytes
 * @params: how to derive the encryption key; see lp_keystore_params_init()
 * @error: return location for a #GError, or %NULL
 *
 * Encrypts @key into a Web3 Secret Storage version 3 keystore with a
 * fresh random salt (32 bytes), IV and id.
 *
 * Returns: (transfer full) (nullable): the keystore as JSON text, free
 *     with g_free(); %NULL with %LP_KEYSTORE_ERROR_UNSUPPORTED,
 *     %LP_KEYSTORE_ERROR_KDF_LIMITS, %LP_KEYSTORE_ERROR_PASSWORD or
 *     %LP_KEYSTORE_ERROR_FAILED
 *
 * MT safe.
 */
gchar *
lp_keystore_encrypt (const LpPrivateKey * key, const gchar * password,
    const LpKeystoreParams * params, GError ** error)
{
  guint8 secret[LP_PRIVATE_KEY_SIZE], ciphertext[LP_PRIVATE_KEY_SIZE];
  guint8 salt[SALT_SIZE], iv[IV_SIZE], dk[DKLEN], mac[MAC_SIZE];
  GError *err = NULL;
  JsonBuilder *builder = NULL;
  JsonGenerator *generator;
  JsonNode *root;
  gchar *uuid = NULL, *json = NULL;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!lp_crypto_random_bytes (salt, sizeof (salt), &err)
      || !lp_crypto_random_bytes (iv, sizeof (iv), &err)
      || (uuid = random_uuid (&err)) == NULL) {
    g_set_error_literal (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_FAILED,
        err->message);
    g_error_free (err);
    return NULL;
  }
  if (!derive_key (params, password, salt, sizeof (salt), dk, error))
    goto done;

  lp_private_key_export (key, secret);
  aes128_ctr (dk, iv, secret, ciphertext, sizeof (secret));
  lp_crypto_wipe (secret, sizeof (secret));
  compute_mac (dk, ciphertext, sizeof (ciphertext), mac);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_hex_member (builder, "address",
      lp_private_key_get_address (key)->bytes, LP_ADDRESS_SIZE);

  json_builder_set_member_name (builder, "crypto");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cipher");
  json_builder_add_string_value (builder, "aes-128-ctr");
  add_hex_member (builder, "ciphertext", ciphertext, sizeof (ciphertext));
  json_builder_set_member_name (builder, "cipherparams");
  json_builder_begin_object (builder);
  add_hex_member (builder, "iv", iv, sizeof (iv));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "kdf");
  json_builder_add_string_value (builder,
      params->kdf == LP_KEYSTORE_KDF_SCRYPT ? "scrypt" : "pbkdf2");
  json_builder_set_member_name (builder, "kdfparams");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "dklen");
  json_builder_add_int_value (builder, DKLEN);
  if (params->kdf == LP_KEYSTORE_KDF_SCRYPT) {
    json_builder_set_member_name (builder, "n");
    json_builder_add_int_value (builder, params->scrypt_n);
    json_builder_set_member_name (builder, "p");
    json_builder_add_int_value (builder, params->scrypt_p);
    json_builder_set_member_name (builder, "r");
    json_builder_add_int_value (builder, params->scrypt_r);
  } else {
    json_builder_set_member_name (builder, "c");
    json_builder_add_int_value (builder, params->pbkdf2_c);
    json_builder_set_member_name (builder, "prf");
    json_builder_add_string_value (builder, "hmac-sha256");
  }
  add_hex_member (builder, "salt", salt, sizeof (salt));
  json_builder_end_object (builder);
  add_hex_member (builder, "mac", mac, sizeof (mac));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, uuid);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 3);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json = json_generator_to_data (generator, NULL);
  g_object_unref (generator);
  json_node_unref (root);

done:
  lp_crypto_wipe (dk, sizeof (dk));
  g_clear_object (&builder);
  g_free (uuid);

  return json;
}

/**
 * lp_keystore_write:
 * @path: where to create the keystore
 * @key: the key to protect
 * @password: the password
 * @params: how to derive the encryption key
 * @error: return location for a #GError, or %NULL
 *
 * Encrypts @key with lp_keystore_encrypt() and writes the JSON, with a
 * trailing newline, to a new file of mode 0600. An existing file is never
 * replaced.
 *
 * Returns: %TRUE on success; %FALSE with the errors of
 *     lp_keystore_encrypt(), %LP_KEYSTORE_ERROR_EXISTS or a %G_FILE_ERROR
 *
 * MT safe.
 */
gboolean
lp_keystore_write (const gchar * path, const LpPrivateKey * key,
    const gchar * password, const LpKeystoreParams * params, GError ** error)
{
  gchar *json, *text;
  gboolean ok;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  json = lp_keystore_encrypt (key, password, params, error);
  if (json == NULL)
    return FALSE;
  text = g_strconcat (json, "\n", NULL);
  ok = write_new_file (path, text, strlen (text), error);
  g_free (text);
  g_free (json);

  return ok;
}

/* ------------------------------------------------------------------------ */
/* keystore reading                                                         */
/* ------------------------------------------------------------------------ */

static gboolean
json_error (GError ** error, const gchar * field, const gchar * problem)
{
  g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_JSON,
      "Invalid keystore: field '%s' %s", field, problem);
  return FALSE;
}

static JsonNode *
get_member (JsonObject * object, const gchar * name, const gchar * field,
    gboolean required, GError ** error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL && required)
    json_error (error, field, "is missing");
  return node;
}

static JsonObject *
get_object (JsonObject * object, const gchar * name, const gchar * field,
    GError ** error)
{
  JsonNode *node = get_member (object, name, field, TRUE, error);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    json_error (error, field, "must be an object");
    return NULL;
  }
  return json_node_get_object (node);
}

/* @required FALSE: a missing member gives NULL without an error */
static const gchar *
get_string (JsonObject * object, const gchar * name, const gchar * field,
    gboolean required, GError ** error)
{
  JsonNode *node = get_member (object, name, field, required, error);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING) {
    json_error (error, field, "must be a string");
    return NULL;
  }
  return json_node_get_string (node);
}

static gboolean
get_uint (JsonObject * object, const gchar * name, const gchar * field,
    guint64 * value, GError ** error)
{
  JsonNode *node = get_member (object, name, field, TRUE, error);
  gint64 v;

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return json_error (error, field, "must be an integer");
  v = json_node_get_int (node);
  if (v < 0)
    return json_error (error, field, "must not be negative");
  *value = (guint64) v;

  return TRUE;
}

static gboolean
get_hex (JsonObject * object, const gchar * name, const gchar * field,
    guint8 * out, gsize length, GError ** error)
{
  const gchar *text = get_string (object, name, field, TRUE, error);

  if (text == NULL)
    return FALSE;
  if (!lp_hex_decode (text, out, length, NULL)) {
    gchar *problem = g_strdup_printf ("must be %" G_GSIZE_FORMAT
        " bytes of hexadecimal", length);

    json_error (error, field, problem);
    g_free (problem);
    return FALSE;
  }
  return TRUE;
}

static gboolean
check_string_is (const gchar * value, const gchar * expected,
    const gchar * field, GError ** error)
{
  if (g_ascii_strcasecmp (value, expected) == 0)
    return TRUE;

  g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_UNSUPPORTED,
      "Unsupported keystore: %s '%.64s' (only '%s' is supported)", field,
      value, expected);
  return FALSE;
}

/* Reads kdf and kdfparams of the crypto object into @params and @salt */
static gboolean
read_kdf (JsonObject * crypto, LpKeystoreParams * params, GBytes ** salt,
    GError ** error)
{
  JsonObject *kdfparams;
  const gchar *kdf, *salt_hex, *prf;
  guint64 dklen, n, r, p, c;
  GError *err = NULL;

  kdf = get_string (crypto, "kdf", "crypto.kdf", TRUE, error);
  if (kdf == NULL)
    return FALSE;
  kdfparams = get_object (crypto, "kdfparams", "crypto.kdfparams", error);
  if (kdfparams == NULL)
    return FALSE;

  if (!get_uint (kdfparams, "dklen", "crypto.kdfparams.dklen", &dklen, error))
    return FALSE;
  if (dklen != DKLEN) {
    g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_UNSUPPORTED,
        "Unsupported keystore: crypto.kdfparams.dklen is %" G_GUINT64_FORMAT
        " (only 32 is supported)", dklen);
    return FALSE;
  }

  salt_hex = get_string (kdfparams, "salt", "crypto.kdfparams.salt", TRUE,
      error);
  if (salt_hex == NULL)
    return FALSE;
  *salt = lp_hex_decode_bytes (salt_hex, LP_KEYSTORE_MAX_SALT_SIZE, &err);
  if (*salt == NULL || g_bytes_get_size (*salt) == 0) {
    g_clear_error (&err);
    g_clear_pointer (salt, g_bytes_unref);
    return json_error (error, "crypto.kdfparams.salt",
        "must be 1 to 256 bytes of hexadecimal");
  }

  if (g_ascii_strcasecmp (kdf, "scrypt") == 0) {
    if (!get_uint (kdfparams, "n", "crypto.kdfparams.n", &n, error)
        || !get_uint (kdfparams, "r", "crypto.kdfparams.r", &r, error)
        || !get_uint (kdfparams, "p", "crypto.kdfparams.p", &p, error))
      goto failed;
    if (!check_scrypt (n, r, p, error))
      goto failed;
    params->kdf = LP_KEYSTORE_KDF_SCRYPT;
    params->scrypt_n = (guint32) n;
    params->scrypt_r = (guint32) r;
    params->scrypt_p = (guint32) p;
  } else if (g_ascii_strcasecmp (kdf, "pbkdf2") == 0) {
    prf = get_string (kdfparams, "prf", "crypto.kdfparams.prf", TRUE, error);
    if (prf == NULL || !check_string_is (prf, "hmac-sha256", "PRF", error)
        || !get_uint (kdfparams, "c", "crypto.kdfparams.c", &c, error)
        || !check_pbkdf2 (c, error))
      goto failed;
    params->kdf = LP_KEYSTORE_KDF_PBKDF2;
    params->pbkdf2_c = (guint32) c;
  } else {
    g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_UNSUPPORTED,
        "Unsupported keystore: key derivation function '%.64s' (only scrypt "
        "and pbkdf2 are supported)", kdf);
    goto failed;
  }

  return TRUE;

failed:
  g_clear_pointer (salt, g_bytes_unref);
  return FALSE;
}


static gboolean
looks_like_json_object (const gchar * text, gsize length)
{
  gsize i;

  for (i = 0; i < length && g_ascii_isspace (text[i]); i++);
  return i < length && text[i] == '{';
}

/**
 * lp_keystore_decrypt:
 * @json: (array length=length): a Web3 Secret Storage version 3 keystore
 * @length: its size in bytes, or -1 if @json is NUL-terminated
 * @password: the password, used as its UTF-8 bytes
 * @error: return location for a #GError, or %NULL
 *
 * Validates every field of the keystore ("crypto" may also be spelled
 * "Crypto"; "address" is optional, everything else is required), checks
 * the KDF parameters against the documented limits, derives the key,
 * verifies the MAC in constant time and only then decrypts.
 *
 * Returns: (transfer full) (nullable): the key, or %NULL with
 *     %LP_KEYSTORE_ERROR_TOO_LARGE, %LP_KEYSTORE_ERROR_JSON,
 *     %LP_KEYSTORE_ERROR_UNSUPPORTED, %LP_KEYSTORE_ERROR_KDF_LIMITS,
 *     %LP_KEYSTORE_ERROR_WRONG_PASSWORD ("wrong password or corrupted
 *     keystore"), %LP_KEYSTORE_ERROR_ADDRESS_MISMATCH,
 *     %LP_KEYSTORE_ERROR_ZERO_KEY, %LP_KEYSTORE_ERROR_KEY_OUT_OF_RANGE,
 *     %LP_KEYSTORE_ERROR_PASSWORD or %LP_KEYSTORE_ERROR_FAILED
 *
 * MT safe.
 */
LpPrivateKey *
lp_keystore_decrypt (const gchar * json, gssize length,
    const gchar * password, GError ** error)
{
  guint8 iv[IV_SIZE], ciphertext[LP_PRIVATE_KEY_SIZE], mac[MAC_SIZE];
  guint8 dk[DKLEN], expected_mac[MAC_SIZE], secret[LP_PRIVATE_KEY_SIZE];
  LpKeystoreParams params = { 0, };
  JsonParser *parser;
  JsonNode *root, *node;
  JsonObject *top, *crypto, *cipherparams;
  const gchar *text;
  GBytes *salt = NULL;
  LpAddress address;
  gboolean has_address = FALSE;
  GError *err = NULL;
  LpPrivateKey *key = NULL;
  guint64 version;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strnlen (json, LP_KEYSTORE_MAX_SIZE + 1);
  if (length > LP_KEYSTORE_MAX_SIZE) {
    g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_TOO_LARGE,
        "Invalid keystore: larger than %d bytes", LP_KEYSTORE_MAX_SIZE);
    return NULL;
  }

  /* A plain key file given as a keystore must not reach the parser: its
   * error text quotes the token it stopped at, i.e. the secret. */
  if (!looks_like_json_object (json, length)) {
    g_set_error_literal (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_JSON,
        "Invalid keystore: not a JSON object (a plain key file? use it as "
        "a key file instead)");
    return NULL;
  }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, length, &err)) {
    /* position only ("<data>:LINE:COLUMN: ..."): the rest of the
     * parser's message may quote keystore contents */
    guint line = 0, column = 0;
    if (sscanf (err->message, "<data>:%u:%u", &line, &column) == 2)
      g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_JSON,
          "Invalid keystore: not valid JSON (line %u, column %u)", line,
          column);
    else
      g_set_error_literal (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_JSON,
          "Invalid keystore: not valid JSON");
    g_error_free (err);
    goto done;
  }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error_literal (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_JSON,
        "Invalid keystore: not a JSON object");
    goto done;
  }
  top = json_node_get_object (root);

  if (!get_uint (top, "version", "version", &version, error))
    goto done;
  if (version != 3) {
    g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_UNSUPPORTED,
        "Unsupported keystore version %" G_GUINT64_FORMAT " (only version 3 "
        "is supported)", version);
    goto done;
  }
  text = get_string (top, "id", "id", TRUE, error);
  if (text == NULL)
    goto done;
  if (!g_uuid_string_is_valid (text)) {
    json_error (error, "id", "must be a UUID");
    goto done;
  }
  text = get_string (top, "address", "address", FALSE, error);
  if (text == NULL && json_object_has_member (top, "address"))
    goto done;
  if (text != NULL) {
    if (!lp_address_parse (text, &address, NULL)) {
      json_error (error, "address", "must be 40 hexadecimal digits");
      goto done;
    }
    has_address = TRUE;
  }

  node = json_object_get_member (top, "crypto");
  crypto = get_object (top, node != NULL ? "crypto" : "Crypto", "crypto",
      error);
  if (crypto == NULL)
    goto done;

  text = get_string (crypto, "cipher", "crypto.cipher", TRUE, error);
  if (text == NULL || !check_string_is (text, "aes-128-ctr", "cipher", error))
    goto done;
  cipherparams = get_object (crypto, "cipherparams", "crypto.cipherparams",
      error);
  if (cipherparams == NULL
      || !get_hex (cipherparams, "iv", "crypto.cipherparams.iv", iv,
          sizeof (iv), error)
      || !get_hex (crypto, "ciphertext", "crypto.ciphertext", ciphertext,
          sizeof (ciphertext), error)
      || !get_hex (crypto, "mac", "crypto.mac", mac, sizeof (mac), error)
      || !read_kdf (crypto, &params, &salt, error))
    goto done;

  if (!derive_key (&params, password, g_bytes_get_data (salt, NULL),
          g_bytes_get_size (salt), dk, error))
    goto done;

  compute_mac (dk, ciphertext, sizeof (ciphertext), expected_mac);
  if (!lp_crypto_memeq (mac, expected_mac, MAC_SIZE)) {
    g_set_error_literal (error, LP_KEYSTORE_ERROR,
        LP_KEYSTORE_ERROR_WRONG_PASSWORD,
        "Wrong password or corrupted keystore (the MAC does not match)");
    goto done;
  }

  aes128_ctr (dk, iv, ciphertext, secret, sizeof (secret));
  key = key_from_bytes (secret, error);
  lp_crypto_wipe (secret, sizeof (secret));
  if (key == NULL) {
    g_prefix_error (error, "Invalid keystore: ");
    goto done;
  }
  if (has_address
      && !lp_address_equal (&address, lp_private_key_get_address (key))) {
    gchar *named = lp_address_to_string (&address);

    g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_ADDRESS_MISMATCH,
        "Invalid keystore: it names address %s but holds the key of another "
        "address", named);
    g_free (named);
    g_clear_pointer (&key, lp_private_key_unref);
  }

done:
  lp_crypto_wipe (dk, sizeof (dk));
  g_clear_pointer (&salt, g_bytes_unref);
  g_object_unref (parser);

  return key;
}

/**
 * lp_keystore_read:
 * @path: a keystore file
 * @password: its password
 * @error: return location for a #GError, or %NULL
 *
 * Reads and decrypts a keystore file with lp_keystore_decrypt(). Unlike
 * plain key files, keystores are encrypted, so their permissions are not
 * checked.
 *
 * Returns: (transfer full) (nullable): the key, or %NULL with a
 *     %G_FILE_ERROR, %LP_KEYSTORE_ERROR_NOT_REGULAR or the errors of
 *     lp_keystore_decrypt()
 *
 * MT safe.
 */
LpPrivateKey *
lp_keystore_read (const gchar * path, const gchar * password, GError ** error)
{
  LpPrivateKey *key;
  gchar *data;
  gsize length;
  mode_t mode;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = load_file (path, LP_KEYSTORE_MAX_SIZE, &mode, &length, error);
  if (data == NULL)
    return NULL;
  key = lp_keystore_decrypt (data, length, password, error);
  if (key == NULL)
    g_prefix_error (error, "Keystore '%s': ", path);
  free_secret (data, LP_KEYSTORE_MAX_SIZE + 1);

  return key;
}

/* ------------------------------------------------------------------------ */
/* either kind                                                              */
/* ------------------------------------------------------------------------ */

static LpKeyFileKind
sniff (const gchar * data, gsize length)
{
  gsize i = 0;

  while (i < length && g_ascii_isspace (data[i]))
    i++;
  return (i < length && data[i] == '{') ?
      LP_KEY_FILE_KIND_KEYSTORE : LP_KEY_FILE_KIND_PLAIN;
}

/**
 * lp_key_file_sniff:
 * @path: a key file of either kind
 * @kind: (out): what it looks like
 * @error: return location for a #GError, or %NULL
 *
 * Tells whether @path is a keystore (its first non-blank character is
 * "{") or, otherwise, a plain key file. Nothing is validated.
 *
 * Returns: %TRUE on success; %FALSE with a %G_FILE_ERROR,
 *     %LP_KEYSTORE_ERROR_NOT_REGULAR or %LP_KEYSTORE_ERROR_TOO_LARGE
 *
 * MT safe.
 */
gboolean
lp_key_file_sniff (const gchar * path, LpKeyFileKind * kind, GError ** error)
{
  gchar *data;
  gsize length;
  mode_t mode;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = load_file (path, LP_KEYSTORE_MAX_SIZE, &mode, &length, error);
  if (data == NULL)
    return FALSE;
  *kind = sniff (data, length);
  free_secret (data, LP_KEYSTORE_MAX_SIZE + 1);

  return TRUE;
}

/**
 * lp_key_load:
 * @path: a plain key file or a keystore
 * @password: (nullable): the keystore's password; not needed for a plain
 *     key file
 * @error: return location for a #GError, or %NULL
 *
 * Loads a key from either kind of file, telling them apart as
 * lp_key_file_sniff() does; a plain key file gets every check of
 * lp_key_file_read(), a keystore those of lp_keystore_read(). This is
 * what a `key-file` property should use.
 *
 * Returns: (transfer full) (nullable): the key, or %NULL with the errors
 *     of lp_key_file_read() or lp_keystore_read(), or
 *     %LP_KEYSTORE_ERROR_PASSWORD_REQUIRED for a keystore without
 *     @password
 *
 * MT safe.
 */
LpPrivateKey *
lp_key_load (const gchar * path, const gchar * password, GError ** error)
{
  LpPrivateKey *key = NULL;
  gchar *data;
  gsize length;
  mode_t mode;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = load_file (path, LP_KEYSTORE_MAX_SIZE, &mode, &length, error);
  if (data == NULL)
    return NULL;

  switch (sniff (data, length)) {
    case LP_KEY_FILE_KIND_PLAIN:
      key = parse_key_file_contents (path, data, length, mode, error);
      break;
    case LP_KEY_FILE_KIND_KEYSTORE:
      if (password == NULL) {
        g_set_error (error, LP_KEYSTORE_ERROR,
            LP_KEYSTORE_ERROR_PASSWORD_REQUIRED,
            "'%s' is an encrypted keystore; its password is needed", path);
        break;
      }
      key = lp_keystore_decrypt (data, length, password, error);
      if (key == NULL)
        g_prefix_error (error, "Keystore '%s': ", path);
      break;
  }
  free_secret (data, LP_KEYSTORE_MAX_SIZE + 1);

  return key;
}

/* ------------------------------------------------------------------------ */
/* passwords                                                                */
/* ------------------------------------------------------------------------ */

/**
 * lp_password_read_file:
 * @path: a file whose first line is the password
 * @error: return location for a #GError, or %NULL
 *
 * Reads a password: the first line of @path without its line ending
 * ("\n" or "\r\n"). An empty first line is an empty password.
 *
 * Returns: (transfer full) (nullable): the password, to be freed with
 *     lp_password_free(); %NULL with a %G_FILE_ERROR,
 *     %LP_KEYSTORE_ERROR_NOT_REGULAR, %LP_KEYSTORE_ERROR_TOO_LARGE or
 *     %LP_KEYSTORE_ERROR_PASSWORD (a line longer than
 *     %LP_KEYSTORE_MAX_PASSWORD_SIZE or holding a NUL byte)
 *
 * MT safe.
 */
gchar *
lp_password_read_file (const gchar * path, GError ** error)
{
  gchar *data, *password = NULL;
  gsize length, line;
  mode_t mode;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = load_file (path, MAX_PASSWORD_FILE_SIZE, &mode, &length, error);
  if (data == NULL)
    return NULL;

  for (line = 0; line < length && data[line] != '\n'; line++);
  if (memchr (data, '\0', line) != NULL) {
    g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_PASSWORD,
        "Password file '%s' holds a NUL byte", path);
    goto done;
  }
  if (line > 0 && data[line - 1] == '\r')
    line--;
  if (line > LP_KEYSTORE_MAX_PASSWORD_SIZE) {
    g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_PASSWORD,
        "The password in '%s' is longer than %d bytes", path,
        LP_KEYSTORE_MAX_PASSWORD_SIZE);
    goto done;
  }
  password = g_strndup (data, line);

done:
  free_secret (data, MAX_PASSWORD_FILE_SIZE + 1);
  return password;
}

/**
 * lp_password_from_env:
 * @variable: the name of an environment variable
 * @error: return location for a #GError, or %NULL
 *
 * Takes a password from the environment (whole value, nothing stripped).
 *
 * Returns: (transfer full) (nullable): a copy of the password, to be freed
 *     with lp_password_free(); %NULL with %LP_KEYSTORE_ERROR_PASSWORD when
 *     @variable is not set or too long
 *
 * MT safe, as far as reading the environment is (no thread may change it
 * concurrently).
 */
gchar *
lp_password_from_env (const gchar * variable, GError ** error)
{
  const gchar *value;

  g_return_val_if_fail (variable != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  value = g_getenv (variable);
  if (value == NULL) {
    g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_PASSWORD,
        "Environment variable %s, which should hold the password, is not "
        "set", variable);
    return NULL;
  }
  if (strlen (value) > LP_KEYSTORE_MAX_PASSWORD_SIZE) {
    g_set_error (error, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_PASSWORD,
        "The password in %s is longer than %d bytes", variable,
        LP_KEYSTORE_MAX_PASSWORD_SIZE);
    return NULL;
  }

  return g_strdup (value);
}

/**
 * lp_password_free:
 * @password: (transfer full) (nullable): a password
 *
 * Wipes and frees a password from lp_password_read_file() or
 * lp_password_from_env().
 *
 * MT safe.
 */
void
lp_password_free (gchar * password)
{
  if (password != NULL)
    free_secret (password, strlen (password));
}

/**
 * lp_key_load_with_password_file:
 * @key_file: a key file or keystore (lp_key_load())
 * @password_file: (nullable): for a keystore, a file whose first line is
 *     its password (lp_password_read_file()); %NULL for a plain key file
 * @error: (nullable): return location for a #GError
 *
 * What a node configured with a key file and a password file does to get
 * its key; the password is wiped from memory once used.
 *
 * Returns: (transfer full) (nullable): the key; %NULL with an error whose
 *     message starts "password-file: " or "key-file: ", for the file at
 *     fault
 */
LpPrivateKey *
lp_key_load_with_password_file (const gchar * key_file,
    const gchar * password_file, GError ** error)
{
  gchar *password = NULL;
  LpPrivateKey *key;

  g_return_val_if_fail (key_file != NULL, NULL);

  if (password_file != NULL
      && (password = lp_password_read_file (password_file, error)) == NULL) {
    g_prefix_error (error, "password-file: ");
    return NULL;
  }
  key = lp_key_load (key_file, password, error);
  lp_password_free (password);
  if (key == NULL)
    g_prefix_error (error, "key-file: ");
  return key;
}

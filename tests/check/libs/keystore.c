/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Unit tests of lpkeystore: plain key files, Web3 Secret Storage
 * keystores, the loader that takes either, and passwords.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "lpcheck.h"
#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpkeystore.h>

#define KEY2_HEX \
  "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
#define KEY2_ADDRESS "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"
#define ORDER_HEX \
  "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"

/* Written by ethers 6 (encryptKeystoreJsonSync, scrypt N=4096, fixed salt,
 * iv and uuid) for KEY2_HEX with password "testpassword". */
static const gchar ethers_keystore[] =
    "{\"address\":\"2c7536e3605d9c16a7a3d7b1898e529396a65c23\","
    "\"id\":\"07070707-0707-4707-8707-070707070707\",\"version\":3,"
    "\"Crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":"
    "{\"iv\":\"1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f\"},\"ciphertext\":"
    "\"e04c7a3c68d294d666e9f5c2727153e75eeb199e719ade19ec7f2b5c98aa54c8\","
    "\"kdf\":\"scrypt\",\"kdfparams\":{\"salt\":"
    "\"5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a\","
    "\"n\":4096,\"dklen\":32,\"p\":1,\"r\":8},\"mac\":"
    "\"53cdaa8bb20ef433a370a822ddedb223ee3982932c2c4f5ac859c77e369dcef2\"}}";

/* The PBKDF2 test vector of the Web3 Secret Storage definition: password
 * "testpassword", key 7a28b5ba…fe9d. */
static const gchar spec_pbkdf2_keystore[] =
    "{\"crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":"
    "{\"iv\":\"6087dab2f9fdbbfaddc31a909735c1e6\"},\"ciphertext\":"
    "\"5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46\","
    "\"kdf\":\"pbkdf2\",\"kdfparams\":{\"c\":262144,\"dklen\":32,\"prf\":"
    "\"hmac-sha256\",\"salt\":"
    "\"ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd\"},"
    "\"mac\":"
    "\"517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2\"},"
    "\"id\":\"3198bc9c-6672-5ab3-d995-4942343ae5b6\",\"version\":3}";

/* Its scrypt vector uses r=1, which we do not support. */
static const gchar spec_scrypt_r1_keystore[] =
    "{\"crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":"
    "{\"iv\":\"83dbcc02d8ccb40e466191a123791e0e\"},\"ciphertext\":"
    "\"d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c\","
    "\"kdf\":\"scrypt\",\"kdfparams\":{\"dklen\":32,\"n\":262144,\"p\":8,"
    "\"r\":1,\"salt\":"
    "\"ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19\"},"
    "\"mac\":"
    "\"2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097\"},"
    "\"id\":\"3198bc9c-6672-5ab3-d995-4942343ae5b6\",\"version\":3}";

static gchar *tmpdir = NULL;

static void
setup_tmpdir (void)
{
  GError *error = NULL;

  tmpdir = g_dir_make_tmp ("lpkeystore-XXXXXX", &error);
  fail_unless (tmpdir != NULL, "%s", error ? error->message : "");
}

static void
teardown_tmpdir (void)
{
  GDir *dir = g_dir_open (tmpdir, 0, NULL);
  const gchar *name;

  while ((name = g_dir_read_name (dir)) != NULL) {
    gchar *path = g_build_filename (tmpdir, name, NULL);

    if (g_file_test (path, G_FILE_TEST_IS_DIR)
        && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
      g_rmdir (path);
    else
      g_unlink (path);
    g_free (path);
  }
  g_dir_close (dir);
  g_rmdir (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
}

/* Writes @length bytes (-1: a string) to tmpdir/@name with @mode. */
static gchar *
write_file (const gchar * name, const gchar * data, gssize length, guint mode)
{
  gchar *path = g_build_filename (tmpdir, name, NULL);
  GError *error = NULL;

  g_unlink (path);
  fail_unless (g_file_set_contents (path, data, length, &error), "%s",
      error ? error->message : "");
  fail_unless (g_chmod (path, mode) == 0);
  return path;
}

static guint
file_mode (const gchar * path)
{
  GStatBuf st;

  fail_unless (g_stat (path, &st) == 0);
  return st.st_mode & 07777;
}

static void
assert_address (const LpPrivateKey * key, const gchar * expected)
{
  gchar text[LP_ADDRESS_TEXT_SIZE];

  fail_unless (key != NULL);
  lp_address_format (lp_private_key_get_address (key), text);
  fail_unless_equals_string (text, expected);
}

static void
assert_key_file_ok (const gchar * contents, guint mode)
{
  gchar *path = write_file ("ok.key", contents, -1, mode);
  GError *error = NULL;
  LpPrivateKey *key;

  key = lp_key_file_read (path, &error);
  fail_unless (key != NULL, "%s", error ? error->message : "");
  assert_address (key, KEY2_ADDRESS);
  lp_private_key_unref (key);
  /* the loader takes it too */
  key = lp_key_load (path, NULL, &error);
  fail_unless (key != NULL, "%s", error ? error->message : "");
  assert_address (key, KEY2_ADDRESS);
  lp_private_key_unref (key);
  g_free (path);
}

static void
assert_key_file_error (const gchar * contents, gssize length, guint mode,
    GQuark domain, gint code)
{
  gchar *path = write_file ("bad.key", contents, length, mode);
  GError *error = NULL;

  fail_if (lp_key_file_read (path, &error), "accepted: %s", contents);
  fail_unless (g_error_matches (error, domain, code),
      "'%s': expected code %d, got: %s", contents, code,
      error ? error->message : "no error");
  /* every error names the file */
  fail_unless (strstr (error->message, path) != NULL, "%s", error->message);
  g_clear_error (&error);

  fail_if (lp_key_load (path, "password", &error));
  fail_unless (g_error_matches (error, domain, code));
  g_clear_error (&error);
  g_free (path);
}

/* ---- plain key files ---- */

GST_START_TEST (test_key_file_read)
{
  setup_tmpdir ();

  assert_key_file_ok (KEY2_HEX, 0600);
  assert_key_file_ok (KEY2_HEX "\n", 0600);
  assert_key_file_ok ("0x" KEY2_HEX "\n", 0600);
  assert_key_file_ok ("0X" KEY2_HEX "\r\n", 0600);
  assert_key_file_ok (KEY2_HEX "  \t\n\n", 0600);
  assert_key_file_ok ("4C0883A69102937D6231471B5DBB6204FE5129617082792AE468D0"
      "1A3F362318\n", 0400);
  /* the owner's execute bit gives nobody else anything */
  assert_key_file_ok (KEY2_HEX "\n", 0700);

  teardown_tmpdir ();
}

GST_END_TEST;

GST_START_TEST (test_key_file_permissions)
{
  static const guint modes[] = { 0644, 0640, 0604, 0660, 0606, 0610, 0601,
    0620, 0602, 0777
  };
  GError *error = NULL;
  gchar *path, *expected;
  guint i;

  setup_tmpdir ();

  for (i = 0; i < G_N_ELEMENTS (modes); i++)
    assert_key_file_error (KEY2_HEX "\n", -1, modes[i], LP_KEYSTORE_ERROR,
        LP_KEYSTORE_ERROR_PERMISSIONS);

  /* the message says what ssh says */
  path = write_file ("open.key", KEY2_HEX "\n", -1, 0644);
  fail_if (lp_key_file_read (path, &error));
  expected = g_strdup_printf ("Permissions 0644 for '%s' are too open; the "
      "key file must be readable by its owner only (chmod 600 %s)", path, path);
  fail_unless_equals_string (error->message, expected);
  g_clear_error (&error);
  g_free (expected);

  /* chmod 600 fixes it */
  fail_unless (g_chmod (path, 0600) == 0);
  lp_private_key_unref (lp_key_file_read (path, &error));
  fail_unless (error == NULL);
  g_free (path);

  teardown_tmpdir ();
}

GST_END_TEST;

GST_START_TEST (test_key_file_malformed)
{
  gchar *s;

  setup_tmpdir ();

  /* not hex digits and trailing white space */
  assert_key_file_error ("hello\n", -1, 0600, LP_KEYSTORE_ERROR,
      LP_KEYSTORE_ERROR_MALFORMED);
  assert_key_file_error (KEY2_HEX " junk\n", -1, 0600, LP_KEYSTORE_ERROR,
      LP_KEYSTORE_ERROR_MALFORMED);
  assert_key_file_error (KEY2_HEX "\n" KEY2_HEX "\n", -1, 0600,
      LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_MALFORMED);
  assert_key_file_error (" " KEY2_HEX "\n", -1, 0600, LP_KEYSTORE_ERROR,
      LP_KEYSTORE_ERROR_MALFORMED);
  assert_key_file_error ("0x0x" KEY2_HEX "\n", -1, 0600, LP_KEYSTORE_ERROR,
      LP_KEYSTORE_ERROR_MALFORMED);
  assert_key_file_error ("4c0883a69102937d6231471b5dbb6204 "
      "fe5129617082792ae468d01a3f362318\n", -1, 0600, LP_KEYSTORE_ERROR,
      LP_KEYSTORE_ERROR_MALFORMED);
  assert_key_file_error ("4c0883a69102937d6231471b5dbb6204fe5129617082792ae4"
      "68d01a3f36231g\n", -1, 0600, LP_KEYSTORE_ERROR,
      LP_KEYSTORE_ERROR_MALFORMED);
  assert_key_file_error (KEY2_HEX "\0\n", 66, 0600, LP_KEYSTORE_ERROR,
      LP_KEYSTORE_ERROR_MALFORMED);

  /* wrong number of digits */
  assert_key_file_error ("", -1, 0600, LP_KEYSTORE_ERROR,
      LP_KEYSTORE_ERROR_LENGTH);
  assert_key_file_error ("0x\n", -1, 0600, LP_KEYSTORE_ERROR,
      LP_KEYSTORE_ERROR_LENGTH);
  assert_key_file_error ("4c0883a69102937d6231471b5dbb6204fe5129617082792ae4"
      "68d01a3f36231\n", -1, 0600, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_LENGTH);
  assert_key_file_error (KEY2_HEX "0\n", -1, 0600, LP_KEYSTORE_ERROR,
      LP_KEYSTORE_ERROR_LENGTH);
  assert_key_file_error ("2c7536e3605d9c16a7a3d7b1898e529396a65c23\n", -1,
      0600, LP_KEYSTORE_ERROR, LP_KEYSTORE_ERROR_LENGTH);

  /* no secp256k1 key */
  s = g_strnfill (64, '0');
  assert_key_file_error (s, -1, 0600, LP_KEYSTORE_ERROR,
      LP_KEYSTORE_ERROR_ZERO_KEY);
  g_free (s);
  assert_key_file_error (ORDER_HEX "\n", -1, 0600, LP_KEYSTORE_ERROR,
      LP_KEYSTORE_ERROR_KEY_OUT_OF_RANGE);
  s = g_strnfill (64, 'f');
  assert_key_file_error (s, -1, 0600, LP_KEYSTORE_ERROR,
      LP_KEYSTORE_ERROR_KEY_OUT_OF_RANGE);
  g_free (s);

  /* far too large */
  s = g_strnfill (LP_KEY_FILE_MAX_SIZE + 1, '\n');
  assert_key_file_error (s, -1, 0600, LP_KEYSTORE_ERROR,
      LP_KEYSTORE_ERROR_TOO_LARGE);
  g_free (s);

  teardown_tmpdir ();
}

GST_END_TEST;

GST_START_TEST (test_key_file_not_a_file)
{
  GError *error = NULL;
  gchar *path;

  setup_tmpdir ();

  path = g_build_filename (tmpdir, "missing.key", NULL);
  fail_if (lp_key_file_read (path, &error));
  fail_unless (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT));
  fail_unless (strstr (error->message, path) != NULL);
  g_clear_error (&error);
  g_free (path);

  path = g_build_filename (tmpdir, "dir.key", NULL);
  fail_unless (g_mkdir (path, 0700) == 0);
  fail_if (lp_key_file_read (path, &error));
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_NOT_REGULAR));
  g_clear_error (&error);
  g_free (path);

  /* a FIFO is refused at once, not waited on for a writer */
  path = g_build_filename (tmpdir, "fifo.key", NULL);
  fail_unless (mkfifo (path, 0600) == 0);
  fail_if (lp_key_file_read (path, &error));
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_NOT_REGULAR));
  g_clear_error (&error);
  g_free (path);

  teardown_tmpdir ();
}

GST_END_TEST;

GST_START_TEST (test_keystore_errors_never_quote_a_key)
{
  /* a plain key file handed over as a keystore: the error must not carry
   * any of its digits (a JSON parser quotes the token it stops at) */
  static const gchar *key_hex =
      "ea0883a69102937d6231471b5dbb6204fe512961708279f2a3b1c4d5e6f70819";
  const gchar *inputs[3];
  gchar *broken = g_strdup_printf ("{\"version\": 3, \"id\": %s", key_hex);
  guint i, j;

  inputs[0] = key_hex;
  inputs[1] = broken;
  inputs[2] = "  ea0883a69102937d6231471b5dbb6204fe512961708279f2a3b1c4d5e6f70819\n";
  for (i = 0; i < G_N_ELEMENTS (inputs); i++) {
    GError *error = NULL;

    fail_if (lp_keystore_decrypt (inputs[i], -1, "pw", &error));
    fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
            LP_KEYSTORE_ERROR_JSON), "%s", error->message);
    for (j = 0; j + 6 <= strlen (key_hex); j++) {
      gchar *piece = g_strndup (key_hex + j, 6);
      fail_if (strstr (error->message, piece) != NULL,
          "error quotes key digits '%s': %s", piece, error->message);
      g_free (piece);
    }
    g_error_free (error);
  }
  g_free (broken);
}

GST_END_TEST;

GST_START_TEST (test_key_file_create)
{
  GError *error = NULL;
  LpPrivateKey *key, *again, *other;
  guint8 secret[LP_PRIVATE_KEY_SIZE];
  gchar *path, *path2, *contents, *hex;
  gsize length;
  mode_t old_umask;

  setup_tmpdir ();
  path = g_build_filename (tmpdir, "new.key", NULL);
  path2 = g_build_filename (tmpdir, "new2.key", NULL);

  /* mode 0600 whatever the umask */
  old_umask = umask (0);
  key = lp_key_file_create (path, &error);
  umask (old_umask);
  fail_unless (key != NULL, "%s", error ? error->message : "");
  fail_unless_equals_int (file_mode (path), 0600);

  /* 64 lowercase hex digits and a newline */
  fail_unless (g_file_get_contents (path, &contents, &length, NULL));
  lp_private_key_export (key, secret);
  hex = lp_hex_encode (secret, sizeof (secret), FALSE);
  fail_unless_equals_int (length, 65);
  fail_unless (strncmp (contents, hex, 64) == 0);
  fail_unless (contents[64] == '\n');
  g_free (hex);

  again = lp_key_file_read (path, &error);
  fail_unless (again != NULL);
  fail_unless (lp_address_equal (lp_private_key_get_address (key),
          lp_private_key_get_address (again)));
  lp_private_key_unref (again);

  /* never overwrites */
  fail_if (lp_key_file_create (path, &error));
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_EXISTS));
  fail_unless (strstr (error->message, path) != NULL);
  g_clear_error (&error);
  fail_if (lp_key_file_write (path, key, &error));
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_EXISTS));
  g_clear_error (&error);
  {
    gchar *now;

    fail_unless (g_file_get_contents (path, &now, NULL, NULL));
    fail_unless_equals_string (now, contents);
    g_free (now);
  }
  /* not even through a dangling symlink */
  fail_unless (symlink ("elsewhere.key", path2) == 0);
  fail_if (lp_key_file_create (path2, &error));
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_EXISTS));
  g_clear_error (&error);
  g_unlink (path2);

  /* fresh keys differ */
  other = lp_key_file_create (path2, &error);
  fail_unless (other != NULL);
  fail_if (lp_address_equal (lp_private_key_get_address (key),
          lp_private_key_get_address (other)));
  lp_private_key_unref (other);

  /* a directory that does not exist */
  g_free (path2);
  path2 = g_build_filename (tmpdir, "nodir", "x.key", NULL);
  fail_if (lp_key_file_create (path2, &error));
  fail_unless (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT));
  g_clear_error (&error);

  lp_private_key_unref (key);
  g_free (contents);
  g_free (path);
  g_free (path2);
  teardown_tmpdir ();
}

GST_END_TEST;

/* ---- keystores ---- */

static LpPrivateKey *
key2 (void)
{
  guint8 secret[32];
  LpPrivateKey *key;

  fail_unless (lp_hex_decode (KEY2_HEX, secret, 32, NULL));
  key = lp_private_key_new_from_bytes (secret, 32, NULL);
  fail_unless (key != NULL);
  return key;
}

static JsonObject *
parse_object (const gchar * json)
{
  JsonNode *node = json_from_string (json, NULL);
  JsonObject *object;

  fail_unless (node != NULL && JSON_NODE_HOLDS_OBJECT (node));
  object = json_object_ref (json_node_get_object (node));
  json_node_unref (node);
  return object;
}

static void
round_trip (LpKeystoreKdf kdf, gboolean light, const gchar * password)
{
  LpPrivateKey *key = lp_private_key_generate (NULL), *back;
  guint8 a[32], b[32];
  LpKeystoreParams params;
  GError *error = NULL;
  JsonObject *top, *crypto, *kdfparams;
  gchar *json, *address;

  lp_keystore_params_init (&params, kdf, light);
  json = lp_keystore_encrypt (key, password, &params, &error);
  fail_unless (json != NULL, "%s", error ? error->message : "");

  /* the fields the format asks for */
  top = parse_object (json);
  fail_unless_equals_int (json_object_get_int_member (top, "version"), 3);
  fail_unless (g_uuid_string_is_valid (json_object_get_string_member (top,
              "id")));
  address = lp_hex_encode (lp_private_key_get_address (key)->bytes, 20, FALSE);
  fail_unless_equals_string (json_object_get_string_member (top, "address"),
      address);
  g_free (address);
  crypto = json_object_get_object_member (top, "crypto");
  fail_unless_equals_string (json_object_get_string_member (crypto, "cipher"),
      "aes-128-ctr");
  fail_unless_equals_int (strlen (json_object_get_string_member
          (json_object_get_object_member (crypto, "cipherparams"), "iv")), 32);
  fail_unless_equals_int (strlen (json_object_get_string_member (crypto,
              "ciphertext")), 64);
  fail_unless_equals_int (strlen (json_object_get_string_member (crypto,
              "mac")), 64);
  kdfparams = json_object_get_object_member (crypto, "kdfparams");
  fail_unless_equals_int (json_object_get_int_member (kdfparams, "dklen"), 32);
  fail_unless_equals_int (strlen (json_object_get_string_member (kdfparams,
              "salt")), 64);
  if (kdf == LP_KEYSTORE_KDF_SCRYPT) {
    fail_unless_equals_string (json_object_get_string_member (crypto, "kdf"),
        "scrypt");
    fail_unless_equals_int (json_object_get_int_member (kdfparams, "n"),
        light ? 4096 : 262144);
    fail_unless_equals_int (json_object_get_int_member (kdfparams, "r"), 8);
    fail_unless_equals_int (json_object_get_int_member (kdfparams, "p"), 1);
  } else {
    fail_unless_equals_string (json_object_get_string_member (crypto, "kdf"),
        "pbkdf2");
    fail_unless_equals_int (json_object_get_int_member (kdfparams, "c"),
        light ? 4096 : 262144);
    fail_unless_equals_string (json_object_get_string_member (kdfparams,
            "prf"), "hmac-sha256");
  }
  json_object_unref (top);

  back = lp_keystore_decrypt (json, -1, password, &error);
  fail_unless (back != NULL, "%s", error ? error->message : "");
  lp_private_key_export (key, a);
  lp_private_key_export (back, b);
  fail_unless (memcmp (a, b, 32) == 0);
  lp_private_key_unref (back);

  /* the same key encrypts differently each time (salt, iv) */
  {
    gchar *json2 = lp_keystore_encrypt (key, password, &params, &error);

    fail_unless (json2 != NULL);
    fail_if (strcmp (json, json2) == 0);
    g_free (json2);
  }

  g_free (json);
  lp_private_key_unref (key);
}

GST_START_TEST (test_keystore_round_trip_light)
{
  round_trip (LP_KEYSTORE_KDF_SCRYPT, TRUE, "correct horse battery staple");
  round_trip (LP_KEYSTORE_KDF_PBKDF2, TRUE, "correct horse battery staple");
  round_trip (LP_KEYSTORE_KDF_SCRYPT, TRUE, "p\xc3\xa4sswörd");
  round_trip (LP_KEYSTORE_KDF_PBKDF2, TRUE, "");
  round_trip (LP_KEYSTORE_KDF_SCRYPT, TRUE, "");
}

GST_END_TEST;

GST_START_TEST (test_keystore_round_trip_standard)
{
  round_trip (LP_KEYSTORE_KDF_SCRYPT, FALSE, "standard");
  round_trip (LP_KEYSTORE_KDF_PBKDF2, FALSE, "standard");
}

GST_END_TEST;

GST_START_TEST (test_keystore_vectors)
{
  GError *error = NULL;
  LpPrivateKey *key;
  guint8 secret[32];

  /* written by ethers (with "Crypto" capitalised, as ethers does) */
  key = lp_keystore_decrypt (ethers_keystore, -1, "testpassword", &error);
  fail_unless (key != NULL, "%s", error ? error->message : "");
  assert_address (key, KEY2_ADDRESS);
  lp_private_key_unref (key);

  key = lp_keystore_decrypt (spec_pbkdf2_keystore, -1, "testpassword", &error);
  fail_unless (key != NULL, "%s", error ? error->message : "");
  lp_private_key_export (key, secret);
  {
    gchar *hex = lp_hex_encode (secret, 32, FALSE);

    fail_unless_equals_string (hex,
        "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d");
    g_free (hex);
  }
  assert_address (key, "0x008AeEda4D805471dF9b2A5B0f38A0C3bCBA786b");
  lp_private_key_unref (key);

  fail_if (lp_keystore_decrypt (spec_scrypt_r1_keystore, -1, "testpassword",
          &error));
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_UNSUPPORTED));
  fail_unless (strstr (error->message, "r=1") != NULL, "%s", error->message);
  g_clear_error (&error);
}

GST_END_TEST;

GST_START_TEST (test_keystore_wrong_password)
{
  GError *error = NULL;

  fail_if (lp_keystore_decrypt (ethers_keystore, -1, "testpassworD", &error));
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_WRONG_PASSWORD));
  fail_unless (strstr (error->message, "Wrong password or corrupted keystore")
      != NULL);
  g_clear_error (&error);
  fail_if (lp_keystore_decrypt (spec_pbkdf2_keystore, -1, "", &error));
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_WRONG_PASSWORD));
  g_clear_error (&error);
}

GST_END_TEST;

/* Returns @json with @member of the object at @where ("" for the top,
 * "Crypto", "Crypto.kdfparams", ...) set to @value (transfer full), or
 * removed when @value is NULL. */
static gchar *
keystore_with (const gchar * json, const gchar * where, const gchar * member,
    JsonNode * value)
{
  JsonObject *top = parse_object (json), *object = top;
  gchar **parts = g_strsplit (where, ".", -1);
  JsonNode *root;
  gchar *out;
  guint i;

  for (i = 0; parts[i] != NULL && parts[i][0] != '\0'; i++)
    object = json_object_get_object_member (object, parts[i]);
  if (value != NULL)
    json_object_set_member (object, member, value);
  else
    json_object_remove_member (object, member);

  root = json_node_init_object (json_node_alloc (), top);
  out = json_to_string (root, FALSE);
  json_node_unref (root);
  json_object_unref (top);
  g_strfreev (parts);
  return out;
}

static JsonNode *
int_node (gint64 v)
{
  return json_node_init_int (json_node_alloc (), v);
}

static JsonNode *
string_node (const gchar * s)
{
  return json_node_init_string (json_node_alloc (), s);
}

static void
assert_keystore_error (gchar * json, gint code, const gchar * fragment)
{
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();

  fail_if (lp_keystore_decrypt (json, -1, "testpassword", &error),
      "accepted %s", json);
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR, code),
      "%s: expected code %d, got: %s", json, code,
      error ? error->message : "no error");
  if (fragment != NULL)
    fail_unless (strstr (error->message, fragment) != NULL, "'%s' lacks '%s'",
        error->message, fragment);
  /* refusals do no key derivation work */
  if (code != LP_KEYSTORE_ERROR_WRONG_PASSWORD
      && code != LP_KEYSTORE_ERROR_ADDRESS_MISMATCH)
    fail_unless (g_get_monotonic_time () - start < G_USEC_PER_SEC);
  g_clear_error (&error);
  g_free (json);
}

GST_START_TEST (test_keystore_kdf_limits)
{
  const gchar *ks = ethers_keystore;
  const gchar *kp = "Crypto.kdfparams";
  gchar *tmp;

  assert_keystore_error (keystore_with (ks, kp, "n", int_node (1 << 21)),
      LP_KEYSTORE_ERROR_KDF_LIMITS, "n=2097152");
  assert_keystore_error (keystore_with (ks, kp, "n",
          int_node (G_GINT64_CONSTANT (1) << 40)),
      LP_KEYSTORE_ERROR_KDF_LIMITS, "n=1099511627776");
  assert_keystore_error (keystore_with (ks, kp, "n", int_node (4097)),
      LP_KEYSTORE_ERROR_KDF_LIMITS, NULL);
  assert_keystore_error (keystore_with (ks, kp, "n", int_node (1)),
      LP_KEYSTORE_ERROR_KDF_LIMITS, NULL);
  assert_keystore_error (keystore_with (ks, kp, "n", int_node (0)),
      LP_KEYSTORE_ERROR_KDF_LIMITS, NULL);
  assert_keystore_error (keystore_with (ks, kp, "p", int_node (0)),
      LP_KEYSTORE_ERROR_KDF_LIMITS, NULL);
  assert_keystore_error (keystore_with (ks, kp, "p", int_node (17)),
      LP_KEYSTORE_ERROR_KDF_LIMITS, NULL);
  /* n = 2^20, r = 8: 1 GiB, allowed alone, but not times p = 3 */
  tmp = keystore_with (ks, kp, "n", int_node (1 << 20));
  assert_keystore_error (keystore_with (tmp, kp, "p", int_node (3)),
      LP_KEYSTORE_ERROR_KDF_LIMITS, NULL);
  g_free (tmp);
  assert_keystore_error (keystore_with (ks, kp, "r", int_node (1)),
      LP_KEYSTORE_ERROR_UNSUPPORTED, "r=1");
  assert_keystore_error (keystore_with (ks, kp, "r", int_node (1000000)),
      LP_KEYSTORE_ERROR_UNSUPPORTED, NULL);

  tmp = keystore_with (spec_pbkdf2_keystore, "crypto.kdfparams", "c",
      int_node ((1 << 22) + 1));
  assert_keystore_error (tmp, LP_KEYSTORE_ERROR_KDF_LIMITS, "c=4194305");
  tmp = keystore_with (spec_pbkdf2_keystore, "crypto.kdfparams", "c",
      int_node (0));
  assert_keystore_error (tmp, LP_KEYSTORE_ERROR_KDF_LIMITS, NULL);
}

GST_END_TEST;

GST_START_TEST (test_keystore_invalid)
{
  const gchar *ks = ethers_keystore;
  const gchar *kp = "Crypto.kdfparams";

  assert_keystore_error (g_strdup ("not json"), LP_KEYSTORE_ERROR_JSON, NULL);
  assert_keystore_error (g_strdup ("[1, 2]"), LP_KEYSTORE_ERROR_JSON, NULL);
  assert_keystore_error (g_strdup (""), LP_KEYSTORE_ERROR_JSON, NULL);

  /* version */
  assert_keystore_error (keystore_with (ks, "", "version", int_node (2)),
      LP_KEYSTORE_ERROR_UNSUPPORTED, "version 2");
  assert_keystore_error (keystore_with (ks, "", "version", string_node ("3")),
      LP_KEYSTORE_ERROR_JSON, "'version'");
  assert_keystore_error (keystore_with (ks, "", "version", NULL),
      LP_KEYSTORE_ERROR_JSON, "'version' is missing");
  /* id */
  assert_keystore_error (keystore_with (ks, "", "id", NULL),
      LP_KEYSTORE_ERROR_JSON, "'id'");
  assert_keystore_error (keystore_with (ks, "", "id", string_node ("xyz")),
      LP_KEYSTORE_ERROR_JSON, "'id'");
  /* address */
  assert_keystore_error (keystore_with (ks, "", "address",
          string_node ("2c7536e3605d9c16a7a3d7b1898e529396a65c2")),
      LP_KEYSTORE_ERROR_JSON, "'address'");
  assert_keystore_error (keystore_with (ks, "", "address", int_node (5)),
      LP_KEYSTORE_ERROR_JSON, "'address'");
  assert_keystore_error (keystore_with (ks, "", "address",
          string_node ("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")),
      LP_KEYSTORE_ERROR_ADDRESS_MISMATCH,
      "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
  /* crypto */
  assert_keystore_error (keystore_with (ks, "", "Crypto", NULL),
      LP_KEYSTORE_ERROR_JSON, "'crypto' is missing");
  assert_keystore_error (keystore_with (ks, "", "Crypto", int_node (1)),
      LP_KEYSTORE_ERROR_JSON, "'crypto'");
  assert_keystore_error (keystore_with (ks, "Crypto", "cipher",
          string_node ("aes-128-cbc")), LP_KEYSTORE_ERROR_UNSUPPORTED,
      "aes-128-cbc");
  assert_keystore_error (keystore_with (ks, "Crypto", "cipher", NULL),
      LP_KEYSTORE_ERROR_JSON, "'crypto.cipher'");
  assert_keystore_error (keystore_with (ks, "Crypto.cipherparams", "iv",
          string_node ("1f1f")), LP_KEYSTORE_ERROR_JSON,
      "'crypto.cipherparams.iv'");
  assert_keystore_error (keystore_with (ks, "Crypto", "ciphertext",
          string_node ("e04c7a3c68d294d666e9f5c2727153e75eeb199e719ade19ec7f2b"
              "5c98aa54cz")), LP_KEYSTORE_ERROR_JSON, "'crypto.ciphertext'");
  assert_keystore_error (keystore_with (ks, "Crypto", "ciphertext",
          string_node ("e04c7a3c68d294d666e9f5c2727153e75eeb199e719ade19ec7f2b"
              "5c98aa54c8aa")), LP_KEYSTORE_ERROR_JSON, "'crypto.ciphertext'");
  assert_keystore_error (keystore_with (ks, "Crypto", "mac", NULL),
      LP_KEYSTORE_ERROR_JSON, "'crypto.mac'");
  assert_keystore_error (keystore_with (ks, "Crypto", "kdf",
          string_node ("argon2id")), LP_KEYSTORE_ERROR_UNSUPPORTED, "argon2id");
  assert_keystore_error (keystore_with (ks, "Crypto", "kdfparams", NULL),
      LP_KEYSTORE_ERROR_JSON, "'crypto.kdfparams'");
  assert_keystore_error (keystore_with (ks, kp, "dklen", int_node (16)),
      LP_KEYSTORE_ERROR_UNSUPPORTED, "dklen");
  assert_keystore_error (keystore_with (ks, kp, "n", string_node ("4096")),
      LP_KEYSTORE_ERROR_JSON, "'crypto.kdfparams.n' must be an integer");
  assert_keystore_error (keystore_with (ks, kp, "n",
          json_node_init_double (json_node_alloc (), 4096.5)),
      LP_KEYSTORE_ERROR_JSON, "'crypto.kdfparams.n'");
  assert_keystore_error (keystore_with (ks, kp, "n", int_node (-4096)),
      LP_KEYSTORE_ERROR_JSON, "negative");
  assert_keystore_error (keystore_with (ks, kp, "p", NULL),
      LP_KEYSTORE_ERROR_JSON, "'crypto.kdfparams.p' is missing");
  assert_keystore_error (keystore_with (ks, kp, "salt", string_node ("")),
      LP_KEYSTORE_ERROR_JSON, "'crypto.kdfparams.salt'");
  assert_keystore_error (keystore_with (ks, kp, "salt", string_node ("abc")),
      LP_KEYSTORE_ERROR_JSON, "'crypto.kdfparams.salt'");
  assert_keystore_error (keystore_with (spec_pbkdf2_keystore,
          "crypto.kdfparams", "prf", string_node ("hmac-sha512")),
      LP_KEYSTORE_ERROR_UNSUPPORTED, "hmac-sha512");
  assert_keystore_error (keystore_with (spec_pbkdf2_keystore,
          "crypto.kdfparams", "prf", NULL), LP_KEYSTORE_ERROR_JSON,
      "'crypto.kdfparams.prf'");

  /* corrupted ciphertext or MAC: caught by the MAC, before decrypting */
  assert_keystore_error (keystore_with (ks, "Crypto", "ciphertext",
          string_node ("f04c7a3c68d294d666e9f5c2727153e75eeb199e719ade19ec7f2b"
              "5c98aa54c8")), LP_KEYSTORE_ERROR_WRONG_PASSWORD,
      "Wrong password or corrupted keystore");
  assert_keystore_error (keystore_with (ks, "Crypto", "mac",
          string_node ("53cdaa8bb20ef433a370a822ddedb223ee3982932c2c4f5ac859c7"
              "7e369dcef3")), LP_KEYSTORE_ERROR_WRONG_PASSWORD, NULL);
  /* a different salt derives a different key */
  assert_keystore_error (keystore_with (ks, kp, "salt", string_node ("5b5a5a5a"
              "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a")),
      LP_KEYSTORE_ERROR_WRONG_PASSWORD, NULL);

  /* too large */
  {
    gchar *big = g_strnfill (LP_KEYSTORE_MAX_SIZE + 1, ' ');

    assert_keystore_error (big, LP_KEYSTORE_ERROR_TOO_LARGE, NULL);
  }
}

GST_END_TEST;

GST_START_TEST (test_keystore_files_and_loader)
{
  LpPrivateKey *key = key2 (), *back;
  LpKeystoreParams params;
  GError *error = NULL;
  LpKeyFileKind kind;
  gchar *ks_path, *plain_path, *ethers_path;
  mode_t old_umask;

  setup_tmpdir ();
  ks_path = g_build_filename (tmpdir, "key.json", NULL);

  lp_keystore_params_init (&params, LP_KEYSTORE_KDF_SCRYPT, TRUE);
  old_umask = umask (0);
  fail_unless (lp_keystore_write (ks_path, key, "pw", &params, &error));
  umask (old_umask);
  fail_unless_equals_int (file_mode (ks_path), 0600);
  fail_if (lp_keystore_write (ks_path, key, "pw", &params, &error));
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_EXISTS));
  g_clear_error (&error);

  back = lp_keystore_read (ks_path, "pw", &error);
  assert_address (back, KEY2_ADDRESS);
  lp_private_key_unref (back);
  fail_if (lp_keystore_read (ks_path, "wrong", &error));
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_WRONG_PASSWORD));
  fail_unless (strstr (error->message, ks_path) != NULL);
  g_clear_error (&error);

  /* the loader: keystores need a password, plain files do not */
  fail_unless (lp_key_file_sniff (ks_path, &kind, &error));
  fail_unless_equals_int (kind, LP_KEY_FILE_KIND_KEYSTORE);
  back = lp_key_load (ks_path, "pw", &error);
  assert_address (back, KEY2_ADDRESS);
  lp_private_key_unref (back);
  fail_if (lp_key_load (ks_path, NULL, &error));
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_PASSWORD_REQUIRED));
  g_clear_error (&error);
  fail_if (lp_key_load (ks_path, "wrong", &error));
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_WRONG_PASSWORD));
  g_clear_error (&error);
  /* a keystore is not a plain key file */
  fail_if (lp_key_file_read (ks_path, &error));
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_MALFORMED));
  g_clear_error (&error);

  /* an ethers keystore, leading white space, group-readable: encrypted
   * files need no strict permissions */
  {
    gchar *text = g_strconcat ("\n  ", ethers_keystore, "\n", NULL);

    ethers_path = write_file ("ethers.json", text, -1, 0644);
    g_free (text);
  }
  back = lp_key_load (ethers_path, "testpassword", &error);
  assert_address (back, KEY2_ADDRESS);
  lp_private_key_unref (back);

  plain_path = write_file ("plain.key", KEY2_HEX "\n", -1, 0600);
  fail_unless (lp_key_file_sniff (plain_path, &kind, &error));
  fail_unless_equals_int (kind, LP_KEY_FILE_KIND_PLAIN);
  back = lp_key_load (plain_path, "ignored", &error);
  assert_address (back, KEY2_ADDRESS);
  lp_private_key_unref (back);
  fail_unless (g_chmod (plain_path, 0640) == 0);
  fail_if (lp_key_load (plain_path, NULL, &error));
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_PERMISSIONS));
  g_clear_error (&error);

  lp_private_key_unref (key);
  g_free (ks_path);
  g_free (plain_path);
  g_free (ethers_path);
  teardown_tmpdir ();
}

GST_END_TEST;

GST_START_TEST (test_passwords)
{
  GError *error = NULL;
  gchar *path, *pw;

  setup_tmpdir ();

  path = write_file ("pw", "secret\nsecond line\n", -1, 0600);
  pw = lp_password_read_file (path, &error);
  fail_unless_equals_string (pw, "secret");
  lp_password_free (pw);
  g_free (path);

  path = write_file ("pw", "with spaces  \r\n", -1, 0600);
  pw = lp_password_read_file (path, &error);
  fail_unless_equals_string (pw, "with spaces  ");
  lp_password_free (pw);
  g_free (path);

  path = write_file ("pw", "no newline", -1, 0600);
  pw = lp_password_read_file (path, &error);
  fail_unless_equals_string (pw, "no newline");
  lp_password_free (pw);
  g_free (path);

  path = write_file ("pw", "\n", -1, 0600);
  pw = lp_password_read_file (path, &error);
  fail_unless_equals_string (pw, "");
  lp_password_free (pw);
  g_free (path);

  path = write_file ("pw", "a\0b\n", 4, 0600);
  fail_if (lp_password_read_file (path, &error));
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_PASSWORD));
  g_clear_error (&error);
  g_free (path);

  pw = g_strnfill (LP_KEYSTORE_MAX_PASSWORD_SIZE + 1, 'x');
  path = write_file ("pw", pw, -1, 0600);
  g_free (pw);
  fail_if (lp_password_read_file (path, &error));
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_PASSWORD));
  g_clear_error (&error);
  g_free (path);

  path = g_build_filename (tmpdir, "missing", NULL);
  fail_if (lp_password_read_file (path, &error));
  fail_unless (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT));
  g_clear_error (&error);
  g_free (path);

  g_setenv ("LP_TEST_PASSWORD", "from env\n", TRUE);
  pw = lp_password_from_env ("LP_TEST_PASSWORD", &error);
  fail_unless_equals_string (pw, "from env\n");
  lp_password_free (pw);
  g_unsetenv ("LP_TEST_PASSWORD");
  fail_if (lp_password_from_env ("LP_TEST_PASSWORD", &error));
  fail_unless (g_error_matches (error, LP_KEYSTORE_ERROR,
          LP_KEYSTORE_ERROR_PASSWORD));
  fail_unless (strstr (error->message, "LP_TEST_PASSWORD") != NULL);
  g_clear_error (&error);

  teardown_tmpdir ();
}

GST_END_TEST;

static Suite *
keystore_suite (void)
{
  Suite *s = suite_create ("lpkeystore");
  TCase *tc = tcase_create ("general");

  lp_check_make_our_logs_fatal ();

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_key_file_read);
  tcase_add_test (tc, test_key_file_permissions);
  tcase_add_test (tc, test_key_file_malformed);
  tcase_add_test (tc, test_key_file_not_a_file);
  tcase_add_test (tc, test_key_file_create);
  tcase_add_test (tc, test_keystore_round_trip_light);
  tcase_add_test (tc, test_keystore_round_trip_standard);
  tcase_add_test (tc, test_keystore_vectors);
  tcase_add_test (tc, test_keystore_wrong_password);
  tcase_add_test (tc, test_keystore_kdf_limits);
  tcase_add_test (tc, test_keystore_invalid);
  tcase_add_test (tc, test_keystore_errors_never_quote_a_key);
  tcase_add_test (tc, test_keystore_files_and_loader);
  tcase_add_test (tc, test_passwords);

  return s;
}

GST_CHECK_MAIN (keystore);

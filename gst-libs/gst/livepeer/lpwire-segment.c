/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * SegData, what the Livepeer-Segment header carries (docs/design/protocol.md
 * §7): its life cycle, its readable JSON form, the VideoProfile it
 * lists (an LpProfile on the wire), and the segment signature
 * (docs/design/protocol.md §2) a broadcaster makes and an orchestrator
 * checks. No state, no locks: MT safe.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpwire-private.h"

/* ------------------------------------------------------------------------ */
/* life cycles                                                              */
/* ------------------------------------------------------------------------ */

static GPtrArray *
profile_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) lp_profile_free);
}

/**
 * lp_seg_data_new:
 *
 * Returns: (transfer full): an empty #LpSegData (no profiles); free with
 *     lp_seg_data_free()
 */
LpSegData *
lp_seg_data_new (void)
{
  LpSegData *seg = g_new0 (LpSegData, 1);

  seg->profiles = profile_array_new ();
  return seg;
}

/**
 * lp_seg_data_copy:
 * @seg: (transfer none): segment data
 *
 * Returns: (transfer full): a deep copy of @seg
 */
LpSegData *
lp_seg_data_copy (const LpSegData * seg)
{
  LpSegData *copy;
  guint i;

  g_return_val_if_fail (seg != NULL, NULL);

  copy = g_new (LpSegData, 1);
  *copy = *seg;
  copy->manifest_id = g_strdup (seg->manifest_id);
  copy->capabilities = g_strdup (seg->capabilities);
  copy->profiles = profile_array_new ();
  for (i = 0; seg->profiles != NULL && i < seg->profiles->len; i++)
    g_ptr_array_add (copy->profiles,
        lp_profile_copy (g_ptr_array_index (seg->profiles, i)));
  return copy;
}

/**
 * lp_seg_data_free:
 * @seg: (transfer full) (nullable): segment data
 */
void
lp_seg_data_free (LpSegData * seg)
{
  if (seg == NULL)
    return;
  g_free (seg->manifest_id);
  g_free (seg->capabilities);
  if (seg->profiles != NULL)
    g_ptr_array_unref (seg->profiles);
  g_free (seg);
}

/* ------------------------------------------------------------------------ */
/* object decoders                                                          */
/* ------------------------------------------------------------------------ */

static LpProfile *
decode_video_profile (JsonObject * obj, const gchar * path, GError ** error)
{
  static const gchar *const known[] = { "name", "width", "height", "bitrate",
    "fps", "fps_den", "profile", "gop", "format", "encoder", "color_depth",
    "chroma_format", "quality", NULL
  };
  const gchar *name;
  gint64 width = 0, height = 0, bitrate = 0, fps = 0, fps_den = 0;
  gint64 h264 = 0, gop = 0;

  if (!lp_wire_check_fields (obj, path, known, NULL, error)
      || !lp_wire_read_string (obj, path, "name", TRUE,
          LP_WIRE_MAX_PROFILE_NAME_LENGTH, &name, error))
    return NULL;
  if (!lp_profile_name_is_valid (name)) {
    lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, "name",
        "must be 1-%d characters of A-Z a-z 0-9 _ - .",
        LP_WIRE_MAX_PROFILE_NAME_LENGTH);
    return NULL;
  }
  if (!lp_wire_read_int (obj, path, "width", TRUE, 0, LP_PROFILE_MAX_DIMENSION,
          &width, error)
      || !lp_wire_read_int (obj, path, "height", TRUE, 0,
          LP_PROFILE_MAX_DIMENSION, &height, error)
      || !lp_wire_read_int (obj, path, "bitrate", TRUE, 0,
          LP_PROFILE_MAX_BITRATE, &bitrate, error)
      || !lp_wire_read_int (obj, path, "fps_den", FALSE, 0, G_MAXINT32,
          &fps_den, error)
      || !lp_wire_read_int (obj, path, "fps", FALSE, 0,
          (gint64) LP_PROFILE_MAX_FPS * MAX (fps_den, 1), &fps, error)
      || !lp_wire_read_int (obj, path, "profile", FALSE,
          LP_H264_PROFILE_DEFAULT, LP_H264_PROFILE_CONSTRAINED_HIGH, &h264,
          error)
      || !lp_wire_read_int (obj, path, "gop", FALSE, LP_PROFILE_GOP_INTRA,
          G_MAXINT32, &gop, error)
      || !lp_wire_read_zero_only (obj, path, "format", "MPEG-TS", error)
      || !lp_wire_read_zero_only (obj, path, "encoder", "H.264", error)
      || !lp_wire_read_zero_only (obj, path, "color_depth", "the default depth",
          error)
      || !lp_wire_read_zero_only (obj, path, "chroma_format", "4:2:0", error)
      || !lp_wire_read_zero_only (obj, path, "quality", "constant bitrate",
          error))
    return NULL;

  return lp_profile_new (name, (guint) width, (guint) height, (guint) bitrate,
      (guint) fps, (guint) fps_den, (LpH264Profile) h264, (gint) gop);
}

static LpSegData *
decode_seg_data (JsonObject * obj, GError ** error)
{
  static const gchar *const known[] = { "manifest_id", "seq", "hash", "sig",
    "duration", "profiles", "capabilities", "auth_token",
    "segment_parameters", NULL
  };
  static const gchar *const ignored[] = { "calc_perceptual_hash", "storage",
    "force_session_reinit", NULL
  };
  LpSegData *seg = lp_seg_data_new ();
  const gchar *manifest_id;
  gint64 seq = 0, duration = 0;
  JsonArray *profiles;
  JsonObject *sub;
  guint i, n;

  if (!lp_wire_check_fields (obj, "", known, ignored, error))
    goto fail;
  if (json_object_has_member (obj, "segment_parameters")) {
    lp_wire_field_error (error, LP_WIRE_ERROR_UNSUPPORTED, "",
        "segment_parameters", "segment clipping is not supported");
    goto fail;
  }
  if (!lp_wire_read_string (obj, "", "manifest_id", TRUE,
          LP_WIRE_MAX_MANIFEST_ID_LENGTH, &manifest_id, error))
    goto fail;
  if (*manifest_id == '\0') {
    lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, "", "manifest_id",
        "empty");
    goto fail;
  }
  seg->manifest_id = g_strdup (manifest_id);
  if (!lp_wire_read_int (obj, "", "seq", TRUE, 0, G_MAXINT64, &seq, error)
      || !lp_wire_read_hex (obj, "", "hash", TRUE, seg->hash, LP_KECCAK256_SIZE,
          error)
      || !lp_wire_read_hex (obj, "", "sig", TRUE, seg->sig, LP_SIGNATURE_SIZE,
          error)
      || !lp_wire_read_int (obj, "", "duration", FALSE, 0,
          LP_WIRE_MAX_DURATION_MS, &duration, error)
      || !lp_wire_read_capabilities (obj, "", &seg->capabilities, error)
      || !lp_wire_read_object (obj, "", "auth_token", TRUE, &sub, error)
      || !lp_wire_decode_auth_token (sub, "auth_token", &seg->auth_token, error)
      || !lp_wire_read_array (obj, "", "profiles", TRUE, LP_WIRE_MAX_PROFILES,
          &profiles, error))
    goto fail;
  seg->seq = (guint64) seq;
  seg->duration_ms = (guint) duration;

  n = json_array_get_length (profiles);
  for (i = 0; i < n; i++) {
    gchar *path;
    JsonObject *p =
        lp_wire_array_object (profiles, i, "", "profiles", &path, error);
    LpProfile *profile = p ? decode_video_profile (p, path, error) : NULL;

    g_free (path);
    if (profile == NULL)
      goto fail;
    g_ptr_array_add (seg->profiles, profile);
  }
  return seg;

fail:
  lp_seg_data_free (seg);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* object builders                                                          */
/* ------------------------------------------------------------------------ */

static void
build_video_profile (JsonBuilder * b, const LpProfile * profile)
{
  json_builder_begin_object (b);
  lp_wire_add_string (b, "name", profile->name ? profile->name : "");
  lp_wire_add_int (b, "width", profile->width);
  lp_wire_add_int (b, "height", profile->height);
  lp_wire_add_int (b, "bitrate", profile->bitrate);
  lp_wire_add_int (b, "fps", profile->fps_num);
  lp_wire_add_int (b, "fps_den", profile->fps_den);
  lp_wire_add_int (b, "profile", profile->h264_profile);
  lp_wire_add_int (b, "gop", profile->gop_ms);
  json_builder_end_object (b);
}

/* ------------------------------------------------------------------------ */
/* public JSON API                                                          */
/* ------------------------------------------------------------------------ */

/**
 * lp_wire_seg_data_to_json:
 * @seg: (transfer none): segment data
 *
 * Returns: (transfer full): SegData as JSON
 */
gchar *
lp_wire_seg_data_to_json (const LpSegData * seg)
{
  JsonBuilder *b;
  guint i;

  g_return_val_if_fail (seg != NULL, NULL);

  b = json_builder_new ();
  json_builder_begin_object (b);
  lp_wire_add_string (b, "manifest_id",
      seg->manifest_id ? seg->manifest_id : "");
  lp_wire_add_uint64 (b, "seq", seg->seq);
  lp_wire_add_hex (b, "hash", seg->hash, LP_KECCAK256_SIZE);
  lp_wire_add_hex (b, "sig", seg->sig, LP_SIGNATURE_SIZE);
  lp_wire_add_int (b, "duration", seg->duration_ms);
  json_builder_set_member_name (b, "profiles");
  json_builder_begin_array (b);
  for (i = 0; seg->profiles != NULL && i < seg->profiles->len; i++)
    build_video_profile (b, g_ptr_array_index (seg->profiles, i));
  json_builder_end_array (b);
  lp_wire_add_capabilities (b, seg->capabilities);
  json_builder_set_member_name (b, "auth_token");
  lp_wire_build_auth_token (b, &seg->auth_token);
  json_builder_end_object (b);
  return lp_wire_builder_finish (b);
}

/**
 * lp_wire_seg_data_from_json:
 * @data: (array length=length): JSON text
 * @length: length of @data, or -1 when NUL-terminated
 * @error: return location for a #GError, or %NULL
 *
 * Decodes a SegData: `manifest_id`, `seq`, `hash`, `sig`, `profiles` (at
 * most %LP_WIRE_MAX_PROFILES) and `auth_token` are required; `duration`
 * defaults to 0. The signature is not checked here
 * (lp_seg_data_verify()).
 *
 * Returns: (transfer full) (nullable): the segment data, or %NULL with
 *     %LP_WIRE_ERROR
 */
LpSegData *
lp_wire_seg_data_from_json (const gchar * data, gssize length, GError ** error)
{
  JsonNode *root;
  LpSegData *seg;

  root = lp_wire_parse_object (data, length, "SegData", error);
  if (root == NULL)
    return NULL;
  seg = decode_seg_data (json_node_get_object (root), error);
  json_node_unref (root);
  return seg;
}

/* ------------------------------------------------------------------------ */
/* segment signature                                                        */
/* ------------------------------------------------------------------------ */

/**
 * lp_seg_data_signed_message:
 * @seg: (transfer none): segment data
 *
 * Builds the bytes a broadcaster signs for a segment (docs/design/protocol.md §2):
 * manifest id ‖ pad32(seq) ‖ hash ‖ the lowercase hex text of the first 4
 * bytes of keccak(name) of each profile, in order.
 *
 * Returns: (transfer full): the message
 */
GBytes *
lp_seg_data_signed_message (const LpSegData * seg)
{
  GByteArray *msg;
  guint8 seq[32] = { 0, };
  guint i;

  g_return_val_if_fail (seg != NULL, NULL);

  msg = g_byte_array_new ();
  if (seg->manifest_id != NULL)
    g_byte_array_append (msg, (const guint8 *) seg->manifest_id,
        strlen (seg->manifest_id));
  for (i = 0; i < 8; i++)
    seq[31 - i] = (guint8) (seg->seq >> (8 * i));
  g_byte_array_append (msg, seq, sizeof (seq));
  g_byte_array_append (msg, seg->hash, LP_KECCAK256_SIZE);
  for (i = 0; seg->profiles != NULL && i < seg->profiles->len; i++) {
    const LpProfile *profile = g_ptr_array_index (seg->profiles, i);
    const gchar *name = profile->name ? profile->name : "";
    guint8 digest[LP_KECCAK256_SIZE];
    gchar *hex;

    lp_keccak256 ((const guint8 *) name, strlen (name), digest);
    hex = lp_hex_encode (digest, 4, FALSE);
    g_byte_array_append (msg, (const guint8 *) hex, 8);
    g_free (hex);
  }
  return g_byte_array_free_to_bytes (msg);
}

/**
 * lp_seg_data_sign:
 * @seg: (transfer none): segment data; its `sig` is set
 * @key: (transfer none): the broadcaster's key
 * @error: return location for a #GError, or %NULL
 *
 * Signs lp_seg_data_signed_message() as a message signature.
 *
 * Returns: %TRUE on success; %FALSE with %LP_CRYPTO_ERROR
 */
gboolean
lp_seg_data_sign (LpSegData * seg, const LpPrivateKey * key, GError ** error)
{
  GBytes *msg;
  const guint8 *data;
  gsize n;
  gboolean ok;

  g_return_val_if_fail (seg != NULL && key != NULL, FALSE);

  msg = lp_seg_data_signed_message (seg);
  data = g_bytes_get_data (msg, &n);
  ok = lp_sign_message (key, data, n, seg->sig, error);
  g_bytes_unref (msg);
  return ok;
}

/**
 * lp_seg_data_recover_signer:
 * @seg: (transfer none): signed segment data
 * @signer: (out caller-allocates): the address that signed it
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE when `sig` is a valid signature of the segment message;
 *     %FALSE with %LP_CRYPTO_ERROR otherwise
 */
gboolean
lp_seg_data_recover_signer (const LpSegData * seg, LpAddress * signer,
    GError ** error)
{
  GBytes *msg;
  const guint8 *data;
  gsize n;
  gboolean ok;

  g_return_val_if_fail (seg != NULL && signer != NULL, FALSE);

  msg = lp_seg_data_signed_message (seg);
  data = g_bytes_get_data (msg, &n);
  ok = lp_recover_message (data, n, seg->sig, LP_SIGNATURE_SIZE, signer, error);
  g_bytes_unref (msg);
  return ok;
}

/**
 * lp_seg_data_verify:
 * @seg: (transfer none): signed segment data
 * @sender: (transfer none): the address that must have signed it (the
 *     payment's sender)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE when @sender signed the segment; %FALSE with
 *     %LP_CRYPTO_ERROR otherwise
 */
gboolean
lp_seg_data_verify (const LpSegData * seg, const LpAddress * sender,
    GError ** error)
{
  GBytes *msg;
  const guint8 *data;
  gsize n;
  gboolean ok;

  g_return_val_if_fail (seg != NULL && sender != NULL, FALSE);

  msg = lp_seg_data_signed_message (seg);
  data = g_bytes_get_data (msg, &n);
  ok = lp_verify_message (sender, data, n, seg->sig, LP_SIGNATURE_SIZE, error);
  g_bytes_unref (msg);
  return ok;
}

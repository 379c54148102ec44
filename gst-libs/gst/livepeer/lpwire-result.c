/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * TranscodeResult, an orchestrator's answer to a segment
 * (docs/design/protocol.md §7): its life cycle, its readable JSON form (the
 * refreshed OrchestratorInfo it may carry is read and written by
 * lpwire-discovery.c), and the result signature (docs/design/protocol.md
 * §2) over the renditions' hashes. No state, no locks: MT safe.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpwire-private.h"

/* ------------------------------------------------------------------------ */
/* life cycles                                                              */
/* ------------------------------------------------------------------------ */

static void
transcoded_segment_clear (gpointer data)
{
  LpTranscodedSegment *segment = data;

  g_clear_pointer (&segment->url, g_free);
}

static GArray *
segment_array_new (void)
{
  GArray *segments = g_array_new (FALSE, TRUE, sizeof (LpTranscodedSegment));

  g_array_set_clear_func (segments, transcoded_segment_clear);
  return segments;
}

/**
 * lp_transcode_result_new:
 *
 * Returns: (transfer full): an empty result (no error, no segments); free
 *     with lp_transcode_result_free()
 */
LpTranscodeResult *
lp_transcode_result_new (void)
{
  LpTranscodeResult *result = g_new0 (LpTranscodeResult, 1);

  result->segments = segment_array_new ();
  return result;
}

/**
 * lp_transcode_result_add_segment:
 * @result: (transfer none): a result
 * @url: (nullable): the rendition's URL, or %NULL when it comes inline
 * @pixels: its encoded output pixels
 *
 * Appends one rendition to @result.
 */
void
lp_transcode_result_add_segment (LpTranscodeResult * result,
    const gchar * url, guint64 pixels)
{
  LpTranscodedSegment segment;

  g_return_if_fail (result != NULL && result->segments != NULL);

  segment.url = g_strdup (url);
  segment.pixels = pixels;
  g_array_append_val (result->segments, segment);
}

/**
 * lp_transcode_result_copy:
 * @result: (transfer none): a result
 *
 * Returns: (transfer full): a deep copy of @result
 */
LpTranscodeResult *
lp_transcode_result_copy (const LpTranscodeResult * result)
{
  LpTranscodeResult *copy;
  guint i;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_new (LpTranscodeResult, 1);
  *copy = *result;
  copy->error = g_strdup (result->error);
  copy->segments = segment_array_new ();
  for (i = 0; result->segments != NULL && i < result->segments->len; i++) {
    const LpTranscodedSegment *s =
        &g_array_index (result->segments, LpTranscodedSegment, i);

    lp_transcode_result_add_segment (copy, s->url, s->pixels);
  }
  copy->info = result->info ? lp_orchestrator_info_copy (result->info) : NULL;
  return copy;
}

/**
 * lp_transcode_result_free:
 * @result: (transfer full) (nullable): a result
 */
void
lp_transcode_result_free (LpTranscodeResult * result)
{
  if (result == NULL)
    return;
  g_free (result->error);
  if (result->segments != NULL)
    g_array_unref (result->segments);
  lp_orchestrator_info_free (result->info);
  g_free (result);
}

/* ------------------------------------------------------------------------ */
/* object decoder                                                           */
/* ------------------------------------------------------------------------ */

static LpTranscodeResult *
decode_transcode_result (JsonObject * obj, GError ** error)
{
  static const gchar *const known[] = { "seq", "error", "data", "info",
    NULL
  };
  static const gchar *const data_known[] = { "segments", "sig", NULL };
  LpTranscodeResult *result = lp_transcode_result_new ();
  const gchar *text;
  JsonObject *data, *sub;
  JsonArray *segments;
  gint64 seq = 0;
  guint i, n;

  if (!lp_wire_check_fields (obj, "", known, NULL, error)
      || !lp_wire_read_int (obj, "", "seq", TRUE, 0, G_MAXINT64, &seq, error)
      || !lp_wire_read_string (obj, "", "error", FALSE,
          LP_WIRE_MAX_ERROR_LENGTH, &text, error)
      || !lp_wire_read_object (obj, "", "data", FALSE, &data, error))
    goto fail;
  result->seq = (guint64) seq;
  if (text != NULL && data != NULL) {
    lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, "", "error",
        "a result has either error or data, not both");
    goto fail;
  }
  if (text == NULL && data == NULL) {
    lp_wire_field_error (error, LP_WIRE_ERROR_MISSING, "", "data",
        "missing (a result has either error or data)");
    goto fail;
  }
  if (text != NULL) {
    if (*text == '\0') {
      lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, "", "error",
          "empty");
      goto fail;
    }
    result->error = g_strdup (text);
  } else {
    if (!lp_wire_check_fields (data, "data", data_known, NULL, error)
        || !lp_wire_read_hex (data, "data", "sig", TRUE, result->sig,
            LP_SIGNATURE_SIZE, error)
        || !lp_wire_read_array (data, "data", "segments", TRUE,
            LP_WIRE_MAX_PROFILES, &segments, error))
      goto fail;
    n = json_array_get_length (segments);
    for (i = 0; i < n; i++) {
      static const gchar *const seg_known[] = { "url", "pixels", NULL };
      static const gchar *const seg_ignored[] = { "perceptual_hash_url",
        NULL
      };
      gchar *path;
      JsonObject *s =
          lp_wire_array_object (segments, i, "data", "segments", &path,
          error);
      const gchar *url = NULL;
      guint64 pixels = 0;
      gboolean ok = s != NULL
          && lp_wire_check_fields (s, path, seg_known, seg_ignored, error)
          && lp_wire_read_string (s, path, "url", FALSE, LP_WIRE_MAX_URL_LENGTH,
          &url,
          error)
          && lp_wire_read_uint64 (s, path, "pixels", TRUE, &pixels, error);

      if (ok && url != NULL && *url == '\0')
        ok = lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path,
            "url", "empty (leave it out for inline renditions)");
      g_free (path);
      if (!ok)
        goto fail;
      lp_transcode_result_add_segment (result, url, pixels);
    }
  }
  if (!lp_wire_read_object (obj, "", "info", FALSE, &sub, error))
    goto fail;
  if (sub != NULL
      && (result->info =
          lp_wire_decode_orchestrator_info (sub, "info", error)) == NULL)
    goto fail;
  return result;

fail:
  lp_transcode_result_free (result);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* public JSON API                                                          */
/* ------------------------------------------------------------------------ */

/**
 * lp_wire_transcode_result_to_json:
 * @result: (transfer none): a result
 *
 * Returns: (transfer full): TranscodeResult as JSON: `error` when set,
 *     else `data`
 */
gchar *
lp_wire_transcode_result_to_json (const LpTranscodeResult * result)
{
  JsonBuilder *b;
  guint i;

  g_return_val_if_fail (result != NULL, NULL);

  b = json_builder_new ();
  json_builder_begin_object (b);
  lp_wire_add_uint64 (b, "seq", result->seq);
  if (result->error != NULL) {
    lp_wire_add_string (b, "error", result->error);
  } else {
    json_builder_set_member_name (b, "data");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "segments");
    json_builder_begin_array (b);
    for (i = 0; result->segments != NULL && i < result->segments->len; i++) {
      const LpTranscodedSegment *s =
          &g_array_index (result->segments, LpTranscodedSegment, i);

      json_builder_begin_object (b);
      if (s->url != NULL)
        lp_wire_add_string (b, "url", s->url);
      lp_wire_add_uint64 (b, "pixels", s->pixels);
      json_builder_end_object (b);
    }
    json_builder_end_array (b);
    lp_wire_add_hex (b, "sig", result->sig, LP_SIGNATURE_SIZE);
    json_builder_end_object (b);
  }
  if (result->info != NULL) {
    json_builder_set_member_name (b, "info");
    lp_wire_build_orchestrator_info (b, result->info);
  }
  json_builder_end_object (b);
  return lp_wire_builder_finish (b);
}

/**
 * lp_wire_transcode_result_from_json:
 * @data: (array length=length): JSON text
 * @length: length of @data, or -1 when NUL-terminated
 * @error: return location for a #GError, or %NULL
 *
 * Decodes a TranscodeResult: `seq` and exactly one of a non-empty `error`
 * or `data` (`segments`, at most %LP_WIRE_MAX_PROFILES, and `sig`);
 * `info` is optional.
 *
 * Returns: (transfer full) (nullable): the result, or %NULL with
 *     %LP_WIRE_ERROR
 */
LpTranscodeResult *
lp_wire_transcode_result_from_json (const gchar * data, gssize length,
    GError ** error)
{
  JsonNode *root;
  LpTranscodeResult *result;

  root = lp_wire_parse_object (data, length, "TranscodeResult", error);
  if (root == NULL)
    return NULL;
  result = decode_transcode_result (json_node_get_object (root), error);
  json_node_unref (root);
  return result;
}

/* ------------------------------------------------------------------------ */
/* transcode result signature                                               */
/* ------------------------------------------------------------------------ */

/**
 * lp_transcode_result_hash_combine:
 * @rendition_hashes: (array length=n_renditions): keccak of each rendition,
 *     32 bytes each, in profile order
 * @n_renditions: how many
 * @hash: (out caller-allocates): the result hash
 *
 * Computes H = keccak(keccak(r0) ‖ keccak(r1) ‖ …) from the renditions'
 * hashes (docs/design/protocol.md §2).
 */
void
lp_transcode_result_hash_combine (const guint8 * rendition_hashes,
    guint n_renditions, guint8 hash[LP_KECCAK256_SIZE])
{
  g_return_if_fail (rendition_hashes != NULL || n_renditions == 0);

  lp_keccak256 (rendition_hashes, (gsize) n_renditions * LP_KECCAK256_SIZE,
      hash);
}

/**
 * lp_transcode_result_hash:
 * @renditions: (array length=n_renditions): the renditions' bytes, in
 *     profile order
 * @n_renditions: how many
 * @hash: (out caller-allocates): the result hash
 *
 * Computes H = keccak(keccak(r0) ‖ keccak(r1) ‖ …) (docs/design/protocol.md §2).
 */
void
lp_transcode_result_hash (GBytes * const *renditions, guint n_renditions,
    guint8 hash[LP_KECCAK256_SIZE])
{
  LpKeccak outer;
  guint i;

  g_return_if_fail (renditions != NULL || n_renditions == 0);

  lp_keccak256_init (&outer);
  for (i = 0; i < n_renditions; i++) {
    guint8 inner[LP_KECCAK256_SIZE];
    gsize n;
    const guint8 *data = g_bytes_get_data (renditions[i], &n);

    lp_keccak256 (data, n, inner);
    lp_keccak256_update (&outer, inner, sizeof (inner));
  }
  lp_keccak256_digest (&outer, hash);
}

/**
 * lp_transcode_result_sign:
 * @result: (transfer none): a result; its `sig` is set
 * @key: (transfer none): the orchestrator's result-signing key (the
 *     address it advertises in OrchestratorInfo.address)
 * @renditions: (array length=n_renditions): the renditions' bytes
 * @n_renditions: how many
 * @error: return location for a #GError, or %NULL
 *
 * Signs lp_transcode_result_hash() of @renditions as a hash signature.
 *
 * Returns: %TRUE on success; %FALSE with %LP_CRYPTO_ERROR
 */
gboolean
lp_transcode_result_sign (LpTranscodeResult * result,
    const LpPrivateKey * key, GBytes * const *renditions, guint n_renditions,
    GError ** error)
{
  guint8 hash[LP_KECCAK256_SIZE];

  g_return_val_if_fail (result != NULL && key != NULL, FALSE);

  lp_transcode_result_hash (renditions, n_renditions, hash);
  return lp_sign_hash (key, hash, result->sig, error);
}

/**
 * lp_transcode_result_verify:
 * @result: (transfer none): a result with data
 * @signer: (transfer none): the orchestrator's advertised address
 * @renditions: (array length=n_renditions): the renditions downloaded or
 *     received, in profile order
 * @n_renditions: how many; must equal the result's segment count
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE when @signer signed exactly these renditions; %FALSE
 *     with %LP_WIRE_ERROR (an error result, a count mismatch) or
 *     %LP_CRYPTO_ERROR
 */
gboolean
lp_transcode_result_verify (const LpTranscodeResult * result,
    const LpAddress * signer, GBytes * const *renditions, guint n_renditions,
    GError ** error)
{
  guint8 hash[LP_KECCAK256_SIZE];

  g_return_val_if_fail (result != NULL && signer != NULL, FALSE);

  if (result->error != NULL) {
    g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_INVALID_VALUE,
        "error: the result is an error, it has no signed data");
    return FALSE;
  }
  if (result->segments != NULL && n_renditions != result->segments->len) {
    g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_INVALID_VALUE,
        "data.segments: %u renditions for %u segments", n_renditions,
        result->segments->len);
    return FALSE;
  }
  lp_transcode_result_hash (renditions, n_renditions, hash);
  return lp_verify_hash (signer, hash, result->sig, LP_SIGNATURE_SIZE, error);
}

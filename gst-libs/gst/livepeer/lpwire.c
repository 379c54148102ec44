/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:lpwire
 * @title: LpWire
 * @short_description: wire messages, segment and result signatures, auth
 *     tokens
 *
 * The JSON form of go-livepeer's messages (docs/design/protocol.md §7): field names in
 * snake_case, bytes as "0x"-prefixed lowercase hex, uint256 and wei
 * amounts (`face_value`, `win_prob`) as decimal strings, addresses as
 * EIP-55 text (decoders accept any case lp_address_parse() accepts), and
 * integers as JSON numbers. A 64-bit unsigned value above %G_MAXINT64 is
 * written as a decimal string, and decoders accept a decimal string
 * wherever such a value is allowed (`expiration_block`, `creation_round`,
 * `price_per_unit`, `pixels_per_unit`, `pixels`; `seq` stays at most
 * %G_MAXINT64). Ticket `seed`s are written as 32 bytes of hex and read as
 * 0 to 32 bytes (go-livepeer sends minimal big-endian bytes).
 *
 * Capabilities (go-livepeer's Capabilities message) are not interpreted:
 * `capabilities` is kept as the compact text of a JSON object and passed
 * through unchanged, so its schema can evolve with go-livepeer's. Like the
 * rest of the message, it must hold integers only (no fractions or
 * exponents), all within the int64 range.
 *
 * Decoding is strict. Before json-glib sees the text, a scanner checks
 * RFC 8259 syntax (json-glib alone accepts comments, single quotes, hex
 * numbers, "{}{}" and overflowing integers), valid UTF-8, no "\u0000",
 * integers only and within int64, nesting at most %LP_WIRE_MAX_DEPTH, no
 * data after the value, and no key repeated within an object (json-glib
 * would silently keep the last one). The decoders then check every
 * field's JSON type, hex lengths (addresses 20 bytes, hashes 32,
 * signatures 65), uint256 ranges, the limits of lpwire.h, and refuse
 * unknown fields. They tolerate only fields go-livepeer defines that do
 * not change the meaning of a request here, as go-livepeer ignores them
 * too: OrchestratorRequest.ignore_capacity_check, OrchestratorInfo's
 * hardware, storage, capabilities_prices and nodes, SegData's
 * calc_perceptual_hash, storage and force_session_reinit, and a
 * rendition's perceptual_hash_url. A VideoProfile's format, encoder,
 * color_depth, chroma_format and quality are accepted only at their
 * default 0 (MPEG-TS, H.264, 8 bit, 4:2:0, no CRF); SegData's
 * segment_parameters (clipping) is refused as unsupported.
 *
 * A VideoProfile is an #LpProfile: `fps` is its fps_num, `fps_den` (0 read
 * as 1), `profile` the #LpH264Profile number (go-livepeer's
 * ENCODER_DEFAULT 0, H264_BASELINE 1, H264_MAIN 2, H264_HIGH 3,
 * H264_CONSTRAINED_HIGH 4), `gop` in milliseconds (-1 intra-only, 0 the
 * encoder's default).
 *
 * The header forms (the values of Livepeer-Segment and Livepeer-Payment)
 * are the standard padded base64 of the JSON; decoders refuse any other
 * character, whitespace, missing padding and non-zero padding bits.
 *
 * Every decoding error is in %LP_WIRE_ERROR and its message starts with
 * the path of the field at fault ("ticket_sender_params[2].sig: ...").
 * Every function here is MT safe.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "lpwire.h"

G_DEFINE_QUARK (lp-wire-error-quark, lp_wire_error);

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

/**
 * lp_orchestrator_request_new:
 *
 * Returns: (transfer full): an empty request; free with
 *     lp_orchestrator_request_free()
 */
LpOrchestratorRequest *
lp_orchestrator_request_new (void)
{
  return g_new0 (LpOrchestratorRequest, 1);
}

/**
 * lp_orchestrator_request_copy:
 * @request: (transfer none): a request
 *
 * Returns: (transfer full): a deep copy of @request
 */
LpOrchestratorRequest *
lp_orchestrator_request_copy (const LpOrchestratorRequest * request)
{
  LpOrchestratorRequest *copy;

  g_return_val_if_fail (request != NULL, NULL);

  copy = g_new (LpOrchestratorRequest, 1);
  *copy = *request;
  copy->capabilities = g_strdup (request->capabilities);
  return copy;
}

/**
 * lp_orchestrator_request_free:
 * @request: (transfer full) (nullable): a request
 */
void
lp_orchestrator_request_free (LpOrchestratorRequest * request)
{
  if (request == NULL)
    return;
  g_free (request->capabilities);
  g_free (request);
}

/**
 * lp_orchestrator_info_new:
 *
 * Returns: (transfer full): an empty #LpOrchestratorInfo; free with
 *     lp_orchestrator_info_free()
 */
LpOrchestratorInfo *
lp_orchestrator_info_new (void)
{
  return g_new0 (LpOrchestratorInfo, 1);
}

/**
 * lp_orchestrator_info_copy:
 * @info: (transfer none): orchestrator info
 *
 * Returns: (transfer full): a deep copy of @info
 */
LpOrchestratorInfo *
lp_orchestrator_info_copy (const LpOrchestratorInfo * info)
{
  LpOrchestratorInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_new (LpOrchestratorInfo, 1);
  *copy = *info;
  copy->transcoder = g_strdup (info->transcoder);
  copy->capabilities = g_strdup (info->capabilities);
  return copy;
}

/**
 * lp_orchestrator_info_free:
 * @info: (transfer full) (nullable): orchestrator info
 */
void
lp_orchestrator_info_free (LpOrchestratorInfo * info)
{
  if (info == NULL)
    return;
  g_free (info->transcoder);
  g_free (info->capabilities);
  g_free (info);
}

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
/* strict JSON scanner                                                      */
/* ------------------------------------------------------------------------ */

/* Checks what json-glib is lenient about (see the section doc). Recursion
 * is bounded by LP_WIRE_MAX_DEPTH. */
typedef struct
{
  const guchar *start;
  const guchar *p;
  const guchar *end;
  guint depth;
  GString *path;
  const gchar *what;
} Scanner;

static gboolean scan_value (Scanner * s, GError ** error);

static gboolean
scan_fail (Scanner * s, GError ** error, gint code, const gchar * reason)
{
  g_set_error (error, LP_WIRE_ERROR, code,
      "%s: invalid JSON at byte %" G_GSIZE_FORMAT ": %s",
      s->path->len > 0 ? s->path->str : s->what, (gsize) (s->p - s->start),
      reason);
  return FALSE;
}

static void
scan_ws (Scanner * s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n'
          || *s->p == '\r'))
    s->p++;
}

static gint
scan_hex4 (Scanner * s)
{
  gint v = 0, i;

  if (s->end - s->p < 4)
    return -1;
  for (i = 0; i < 4; i++) {
    gint d = g_ascii_xdigit_value (s->p[i]);

    if (d < 0)
      return -1;
    v = (v << 4) | d;
  }
  s->p += 4;
  return v;
}

/* At '"'. Appends the decoded string to @out when not NULL. */
static gboolean
scan_string (Scanner * s, GString * out, GError ** error)
{
  s->p++;
  for (;;) {
    guchar c;

    if (s->p >= s->end)
      return scan_fail (s, error, LP_WIRE_ERROR_SYNTAX, "unterminated string");
    c = *s->p;
    if (c == '"') {
      s->p++;
      return TRUE;
    }
    if (c < 0x20)
      return scan_fail (s, error, LP_WIRE_ERROR_SYNTAX,
          "control character in a string");
    if (c != '\\') {
      if (out != NULL)
        g_string_append_c (out, (gchar) c);
      s->p++;
      continue;
    }
    s->p++;
    if (s->p >= s->end)
      return scan_fail (s, error, LP_WIRE_ERROR_SYNTAX, "unterminated string");
    c = *s->p++;
    switch (c) {
      case '"':
      case '\\':
      case '/':
        if (out != NULL)
          g_string_append_c (out, (gchar) c);
        break;
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        if (out != NULL)
          g_string_append_c (out, c == 'b' ? '\b' : c == 'f' ? '\f' :
              c == 'n' ? '\n' : c == 'r' ? '\r' : '\t');
        break;
      case 'u':{
        gint cp = scan_hex4 (s);

        if (cp < 0)
          return scan_fail (s, error, LP_WIRE_ERROR_SYNTAX,
              "malformed \\u escape");
        if (cp == 0)
          return scan_fail (s, error, LP_WIRE_ERROR_SYNTAX,
              "\\u0000 is not allowed in a string");
        if (cp >= 0xdc00 && cp <= 0xdfff)
          return scan_fail (s, error, LP_WIRE_ERROR_SYNTAX,
              "lone low surrogate in a string");
        if (cp >= 0xd800 && cp <= 0xdbff) {
          gint low;

          if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
            return scan_fail (s, error, LP_WIRE_ERROR_SYNTAX,
                "lone high surrogate in a string");
          s->p += 2;
          low = scan_hex4 (s);
          if (low < 0xdc00 || low > 0xdfff)
            return scan_fail (s, error, LP_WIRE_ERROR_SYNTAX,
                "lone high surrogate in a string");
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        }
        if (out != NULL)
          g_string_append_unichar (out, (gunichar) cp);
        break;
      }
      default:
        s->p--;
        return scan_fail (s, error, LP_WIRE_ERROR_SYNTAX,
            "invalid escape in a string");
    }
  }
}

static gboolean
scan_number (Scanner * s, GError ** error)
{
  static const gchar int64_max[] = "9223372036854775807";
  const guchar *digits;
  gsize n;

  if (*s->p == '-')
    s->p++;
  digits = s->p;
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  n = s->p - digits;
  if (n == 0)
    return scan_fail (s, error, LP_WIRE_ERROR_SYNTAX, "malformed number");
  if (n > 1 && digits[0] == '0') {
    s->p = digits;
    return scan_fail (s, error, LP_WIRE_ERROR_SYNTAX,
        "number with a leading zero");
  }
  if (s->p < s->end && (*s->p == '.' || *s->p == 'e' || *s->p == 'E'))
    return scan_fail (s, error, LP_WIRE_ERROR_SYNTAX,
        "only integers are allowed");
  if (n > 19 || (n == 19 && memcmp (digits, int64_max, 19) > 0)) {
    s->p = digits;
    return scan_fail (s, error, LP_WIRE_ERROR_INVALID_VALUE,
        "integer out of the int64 range (write it as a decimal string)");
  }
  return TRUE;
}

static gboolean
scan_literal (Scanner * s, const gchar * word, GError ** error)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return scan_fail (s, error, LP_WIRE_ERROR_SYNTAX, "unexpected character");
  s->p += n;
  return TRUE;
}

static gboolean
scan_enter (Scanner * s, GError ** error)
{
  if (++s->depth > LP_WIRE_MAX_DEPTH)
    return scan_fail (s, error, LP_WIRE_ERROR_SYNTAX,
        "arrays and objects nest too deep");
  s->p++;
  scan_ws (s);
  return TRUE;
}

static gboolean
scan_object (Scanner * s, GError ** error)
{
  GHashTable *keys = NULL;
  gsize path_len = s->path->len;
  gboolean ok = FALSE;

  if (!scan_enter (s, error))
    return FALSE;
  if (s->p < s->end && *s->p == '}') {
    s->p++;
    s->depth--;
    return TRUE;
  }
  keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (;;) {
    GString *key;

    if (s->p >= s->end || *s->p != '"') {
      scan_fail (s, error, LP_WIRE_ERROR_SYNTAX, "expected a member name");
      goto done;
    }
    key = g_string_new (NULL);
    if (!scan_string (s, key, error)) {
      g_string_free (key, TRUE);
      goto done;
    }
    if (path_len > 0)
      g_string_append_c (s->path, '.');
    g_string_append_len (s->path, key->str, key->len);
    if (g_hash_table_contains (keys, key->str)) {
      g_string_free (key, TRUE);
      scan_fail (s, error, LP_WIRE_ERROR_SYNTAX,
          "the key appears twice in its object");
      goto done;
    }
    g_hash_table_add (keys, g_string_free (key, FALSE));
    scan_ws (s);
    if (s->p >= s->end || *s->p != ':') {
      scan_fail (s, error, LP_WIRE_ERROR_SYNTAX, "expected ':'");
      goto done;
    }
    s->p++;
    if (!scan_value (s, error))
      goto done;
    g_string_truncate (s->path, path_len);
    if (s->p < s->end && *s->p == ',') {
      s->p++;
      scan_ws (s);
      continue;
    }
    if (s->p < s->end && *s->p == '}') {
      s->p++;
      break;
    }
    scan_fail (s, error, LP_WIRE_ERROR_SYNTAX, "expected ',' or '}'");
    goto done;
  }
  s->depth--;
  ok = TRUE;

done:
  g_hash_table_unref (keys);
  return ok;
}

static gboolean
scan_array (Scanner * s, GError ** error)
{
  gsize path_len = s->path->len;
  guint index = 0;

  if (!scan_enter (s, error))
    return FALSE;
  if (s->p < s->end && *s->p == ']') {
    s->p++;
    s->depth--;
    return TRUE;
  }
  for (;;) {
    g_string_append_printf (s->path, "[%u]", index++);
    if (!scan_value (s, error))
      return FALSE;
    g_string_truncate (s->path, path_len);
    if (s->p < s->end && *s->p == ',') {
      s->p++;
      continue;
    }
    if (s->p < s->end && *s->p == ']') {
      s->p++;
      break;
    }
    return scan_fail (s, error, LP_WIRE_ERROR_SYNTAX, "expected ',' or ']'");
  }
  s->depth--;
  return TRUE;
}

/* Scans one value with the whitespace around it. */
static gboolean
scan_value (Scanner * s, GError ** error)
{
  gboolean ok;

  scan_ws (s);
  if (s->p >= s->end)
    return scan_fail (s, error, LP_WIRE_ERROR_SYNTAX, "expected a value");
  switch (*s->p) {
    case '{':
      ok = scan_object (s, error);
      break;
    case '[':
      ok = scan_array (s, error);
      break;
    case '"':
      ok = scan_string (s, NULL, error);
      break;
    case 't':
      ok = scan_literal (s, "true", error);
      break;
    case 'f':
      ok = scan_literal (s, "false", error);
      break;
    case 'n':
      ok = scan_literal (s, "null", error);
      break;
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        ok = scan_number (s, error);
      else
        ok = scan_fail (s, error, LP_WIRE_ERROR_SYNTAX, "unexpected character");
      break;
  }
  if (ok)
    scan_ws (s);
  return ok;
}

/* Checks and parses one JSON text; returns its root, or NULL. */
static JsonNode *
parse_json (const gchar * data, gssize length, const gchar * what,
    GError ** error)
{
  Scanner s;
  JsonParser *parser;
  JsonNode *root = NULL;
  GError *parse_error = NULL;
  gsize size;
  gboolean ok;

  if (length < 0)
    size = strnlen (data, LP_WIRE_MAX_JSON_SIZE + 1);
  else
    size = (gsize) length;
  if (size > LP_WIRE_MAX_JSON_SIZE) {
    g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_TOO_LARGE,
        "%s: the JSON text is larger than %d bytes", what,
        LP_WIRE_MAX_JSON_SIZE);
    return NULL;
  }
  if (!g_utf8_validate_len (data, size, NULL)) {
    g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_SYNTAX,
        "%s: the JSON text is not valid UTF-8 (or holds a NUL byte)", what);
    return NULL;
  }

  s.start = s.p = (const guchar *) data;
  s.end = s.start + size;
  s.depth = 0;
  s.path = g_string_new (NULL);
  s.what = what;
  ok = scan_value (&s, error);
  if (ok && s.p != s.end)
    ok = scan_fail (&s, error, LP_WIRE_ERROR_SYNTAX,
        "data after the end of the JSON value");
  g_string_free (s.path, TRUE);
  if (!ok)
    return NULL;

  parser = json_parser_new_immutable ();
  if (json_parser_load_from_data (parser, data, (gssize) size, &parse_error))
    root = json_parser_steal_root (parser);
  g_object_unref (parser);
  if (root == NULL) {
    g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_SYNTAX,
        "%s: not JSON: %s", what,
        parse_error ? parse_error->message : "empty document");
    g_clear_error (&parse_error);
  }
  return root;
}

/* As parse_json(), and the root must be an object. */
static JsonNode *
parse_object (const gchar * data, gssize length, const gchar * what,
    GError ** error)
{
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_json (data != NULL ? data : "", length, what, error);
  if (root != NULL && !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_TYPE,
        "%s: expected a JSON object", what);
    json_node_unref (root);
    return NULL;
  }
  return root;
}

/* ------------------------------------------------------------------------ */
/* decoding helpers                                                         */
/* ------------------------------------------------------------------------ */

/* *INDENT-OFF* */
static gboolean field_error (GError ** error, gint code, const gchar * path,
    const gchar * name, const gchar * format, ...) G_GNUC_PRINTF (5, 6);
/* *INDENT-ON* */

/* Sets an error whose message starts with "path.name: " */
static gboolean
field_error (GError ** error, gint code, const gchar * path,
    const gchar * name, const gchar * format, ...)
{
  va_list args;
  gchar *reason;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, LP_WIRE_ERROR, code, "%s%s%s: %s", path,
      *path != '\0' && name != NULL ? "." : "", name ? name : "", reason);
  g_free (reason);
  return FALSE;
}

static gchar *
sub_path (const gchar * path, const gchar * name)
{
  if (*path == '\0')
    return g_strdup (name);
  return g_strconcat (path, ".", name, NULL);
}

static const gchar *
node_kind (JsonNode * node)
{
  switch (json_node_get_node_type (node)) {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
  }
  switch (json_node_get_value_type (node)) {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    default:
      return "a number";
  }
}

static gboolean
holds (JsonNode * node, GType type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) ==
      type;
}

/* Refuses fields outside @known and @ignored (NULL-terminated). */
static gboolean
check_fields (JsonObject * obj, const gchar * path,
    const gchar * const *known, const gchar * const *ignored, GError ** error)
{
  /* in document order (json-glib 1.6's iterator is unordered), so the
   * first unknown field is the one reported */
  GList *names = json_object_get_members (obj), *l;
  gboolean ok = TRUE;

  for (l = names; l != NULL; l = l->next) {
    const gchar *name = l->data;

    if (g_strv_contains (known, name))
      continue;
    if (ignored != NULL && g_strv_contains (ignored, name))
      continue;
    ok = field_error (error, LP_WIRE_ERROR_UNKNOWN_FIELD, path, name,
        "unknown field");
    break;
  }
  g_list_free (names);
  return ok;
}

/* *node is NULL when the field is absent and not @required. */
static gboolean
get_member (JsonObject * obj, const gchar * path, const gchar * name,
    gboolean required, JsonNode ** node, GError ** error)
{
  *node = json_object_get_member (obj, name);
  if (*node == NULL && required)
    return field_error (error, LP_WIRE_ERROR_MISSING, path, name, "missing");
  return TRUE;
}

static gboolean
read_string (JsonObject * obj, const gchar * path, const gchar * name,
    gboolean required, gsize max_length, const gchar ** out, GError ** error)
{
  JsonNode *node;
  gsize n;

  *out = NULL;
  if (!get_member (obj, path, name, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!holds (node, G_TYPE_STRING))
    return field_error (error, LP_WIRE_ERROR_TYPE, path, name,
        "expected a string, got %s", node_kind (node));
  *out = json_node_get_string (node);
  n = strlen (*out);
  if (n > max_length) {
    *out = NULL;
    return field_error (error, LP_WIRE_ERROR_TOO_LARGE, path, name,
        "%" G_GSIZE_FORMAT " bytes, at most %" G_GSIZE_FORMAT " are allowed",
        n, max_length);
  }
  return TRUE;
}

/* A JSON integer within [@min, @max]; *out untouched when absent. */
static gboolean
read_int (JsonObject * obj, const gchar * path, const gchar * name,
    gboolean required, gint64 min, gint64 max, gint64 * out, GError ** error)
{
  JsonNode *node;
  gint64 v;

  if (!get_member (obj, path, name, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!holds (node, G_TYPE_INT64))
    return field_error (error, LP_WIRE_ERROR_TYPE, path, name,
        "expected an integer, got %s", node_kind (node));
  v = json_node_get_int (node);
  if (v < min || v > max)
    return field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
        "%" G_GINT64_FORMAT " is out of range [%" G_GINT64_FORMAT ", %"
        G_GINT64_FORMAT "]", v, min, max);
  *out = v;
  return TRUE;
}

/* An unsigned 64-bit value: a JSON integer >= 0, or a decimal string (for
 * values above G_MAXINT64); *out untouched when absent. */
static gboolean
read_uint64 (JsonObject * obj, const gchar * path, const gchar * name,
    gboolean required, guint64 * out, GError ** error)
{
  JsonNode *node;
  const gchar *text, *c;
  guint64 v = 0;

  if (!get_member (obj, path, name, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (holds (node, G_TYPE_INT64)) {
    gint64 i = json_node_get_int (node);

    if (i < 0)
      return field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
          "%" G_GINT64_FORMAT " is negative", i);
    *out = (guint64) i;
    return TRUE;
  }
  if (!holds (node, G_TYPE_STRING))
    return field_error (error, LP_WIRE_ERROR_TYPE, path, name,
        "expected an integer or a decimal string, got %s", node_kind (node));
  text = json_node_get_string (node);
  if (*text == '\0' || strlen (text) > 20 || (text[0] == '0' && text[1]))
    goto invalid;
  for (c = text; *c; c++) {
    guint d = (guint) (*c - '0');

    if (!g_ascii_isdigit (*c) || v > (G_MAXUINT64 - d) / 10)
      goto invalid;
    v = v * 10 + d;
  }
  *out = v;
  return TRUE;

invalid:
  return field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
      "not a decimal uint64");
}

static gboolean
read_address (JsonObject * obj, const gchar * path, const gchar * name,
    gboolean required, LpAddress * out, GError ** error)
{
  const gchar *text;
  GError *inner = NULL;

  if (!read_string (obj, path, name, required, 64, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  if (!lp_address_parse (text, out, &inner)) {
    field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
        "not an address: %s", inner->message);
    g_error_free (inner);
    return FALSE;
  }
  return TRUE;
}

/* "0x" and exactly @length bytes of hex; *out untouched when absent. */
static gboolean
read_hex (JsonObject * obj, const gchar * path, const gchar * name,
    gboolean required, guint8 * out, gsize length, GError ** error)
{
  const gchar *text;

  if (!read_string (obj, path, name, required, 2 * length + 2, &text, error)) {
    if (error != NULL && *error != NULL
        && (*error)->code == LP_WIRE_ERROR_TOO_LARGE) {
      g_clear_error (error);
      return field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
          "expected \"0x\" and %" G_GSIZE_FORMAT " bytes of hex", length);
    }
    return FALSE;
  }
  if (text == NULL)
    return TRUE;
  if (text[0] != '0' || text[1] != 'x' || strlen (text + 2) != 2 * length
      || !lp_hex_decode (text + 2, out, length, NULL))
    return field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
        "expected \"0x\" and %" G_GSIZE_FORMAT " bytes of hex", length);
  return TRUE;
}

static gboolean
read_uint256 (JsonObject * obj, const gchar * path, const gchar * name,
    gboolean required, LpUint256 * out, GError ** error)
{
  const gchar *text, *c;

  if (!read_string (obj, path, name, required, 78, &text, error)) {
    if (error != NULL && *error != NULL
        && (*error)->code == LP_WIRE_ERROR_TOO_LARGE) {
      g_clear_error (error);
      return field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
          "not a decimal uint256 (above 2^256 - 1)");
    }
    return FALSE;
  }
  if (text == NULL)
    return TRUE;
  for (c = text; *c; c++) {
    if (!g_ascii_isdigit (*c))
      break;
  }
  if (*text == '\0' || *c != '\0' || (text[0] == '0' && text[1] != '\0'))
    return field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
        "not a decimal uint256");
  if (!lp_uint256_parse (text, out, NULL))
    return field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
        "not a decimal uint256 (above 2^256 - 1)");
  return TRUE;
}

/* "0x" and 0 to 32 bytes of hex (go-livepeer's minimal big-endian). */
static gboolean
read_seed (JsonObject * obj, const gchar * path, const gchar * name,
    gboolean required, LpUint256 * out, GError ** error)
{
  const gchar *text;
  const guint8 *data;
  GBytes *bytes;
  gsize n;

  if (!read_string (obj, path, name, required, 66, &text, error)) {
    if (error != NULL && *error != NULL
        && (*error)->code == LP_WIRE_ERROR_TOO_LARGE) {
      g_clear_error (error);
      return field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
          "expected \"0x\" and at most 32 bytes of hex");
    }
    return FALSE;
  }
  if (text == NULL)
    return TRUE;
  if (text[0] != '0' || text[1] != 'x'
      || (bytes = lp_hex_decode_bytes (text + 2, LP_UINT256_SIZE,
              NULL)) == NULL)
    return field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
        "expected \"0x\" and at most 32 bytes of hex");
  data = g_bytes_get_data (bytes, &n);
  lp_uint256_from_be (data, n, out, NULL);
  g_bytes_unref (bytes);
  return TRUE;
}

static gboolean
read_object (JsonObject * obj, const gchar * path, const gchar * name,
    gboolean required, JsonObject ** out, GError ** error)
{
  JsonNode *node;

  *out = NULL;
  if (!get_member (obj, path, name, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return field_error (error, LP_WIRE_ERROR_TYPE, path, name,
        "expected an object, got %s", node_kind (node));
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_array (JsonObject * obj, const gchar * path, const gchar * name,
    gboolean required, guint max, JsonArray ** out, GError ** error)
{
  JsonNode *node;
  guint n;

  *out = NULL;
  if (!get_member (obj, path, name, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return field_error (error, LP_WIRE_ERROR_TYPE, path, name,
        "expected an array, got %s", node_kind (node));
  n = json_array_get_length (json_node_get_array (node));
  if (n > max)
    return field_error (error, LP_WIRE_ERROR_TOO_LARGE, path, name,
        "%u entries, at most %u are allowed", n, max);
  *out = json_node_get_array (node);
  return TRUE;
}

/* An array element that must be an object; path is "path.name[i]". */
static JsonObject *
array_object (JsonArray * array, guint i, const gchar * path,
    const gchar * name, gchar ** element_path, GError ** error)
{
  JsonNode *node = json_array_get_element (array, i);
  gchar *base = sub_path (path, name);

  *element_path = g_strdup_printf ("%s[%u]", base, i);
  g_free (base);
  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    field_error (error, LP_WIRE_ERROR_TYPE, *element_path, NULL,
        "expected an object, got %s", node_kind (node));
    return NULL;
  }
  return json_node_get_object (node);
}

static gboolean
read_capabilities (JsonObject * obj, const gchar * path, gchar ** out,
    GError ** error)
{
  JsonNode *node;

  *out = NULL;
  if (!get_member (obj, path, "capabilities", FALSE, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return field_error (error, LP_WIRE_ERROR_TYPE, path, "capabilities",
        "expected an object, got %s", node_kind (node));
  *out = json_to_string (node, FALSE);
  return TRUE;
}

/* A field go-livepeer defines that is accepted only at its default 0. */
static gboolean
read_zero_only (JsonObject * obj, const gchar * path, const gchar * name,
    const gchar * meaning, GError ** error)
{
  gint64 v = 0;

  if (!read_int (obj, path, name, FALSE, G_MININT64, G_MAXINT64, &v, error))
    return FALSE;
  if (v != 0)
    return field_error (error, LP_WIRE_ERROR_UNSUPPORTED, path, name,
        "%" G_GINT64_FORMAT " is not supported (only 0, %s)", v, meaning);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* object decoders                                                          */
/* ------------------------------------------------------------------------ */

static gboolean
decode_expiration_params (JsonObject * obj, const gchar * path,
    LpExpirationParams * params, GError ** error)
{
  static const gchar *const known[] = { "creation_round",
    "creation_round_block_hash", NULL
  };

  memset (params, 0, sizeof (*params));
  return check_fields (obj, path, known, NULL, error)
      && read_uint64 (obj, path, "creation_round", FALSE,
      &params->creation_round, error)
      && read_hex (obj, path, "creation_round_block_hash", FALSE,
      params->creation_round_block_hash, LP_KECCAK256_SIZE, error);
}

static gboolean
decode_ticket_params (JsonObject * obj, const gchar * path,
    LpTicketParams * params, GError ** error)
{
  static const gchar *const known[] = { "recipient", "face_value",
    "win_prob", "recipient_rand_hash", "seed", "expiration_block",
    "expiration_params", NULL
  };
  JsonObject *exp;
  gboolean ok;

  memset (params, 0, sizeof (*params));
  if (!check_fields (obj, path, known, NULL, error)
      || !read_address (obj, path, "recipient", TRUE, &params->recipient, error)
      || !read_uint256 (obj, path, "face_value", TRUE, &params->face_value,
          error)
      || !read_uint256 (obj, path, "win_prob", TRUE, &params->win_prob, error)
      || !read_hex (obj, path, "recipient_rand_hash", TRUE,
          params->recipient_rand_hash, LP_KECCAK256_SIZE, error)
      || !read_seed (obj, path, "seed", TRUE, &params->seed, error)
      || !read_uint64 (obj, path, "expiration_block", TRUE,
          &params->expiration_block, error)
      || !read_object (obj, path, "expiration_params", FALSE, &exp, error))
    return FALSE;
  if (exp != NULL) {
    gchar *sub = sub_path (path, "expiration_params");

    ok = decode_expiration_params (exp, sub, &params->expiration_params, error);
    g_free (sub);
    return ok;
  }
  return TRUE;
}

static gboolean
decode_price_info (JsonObject * obj, const gchar * path, LpPriceInfo * price,
    GError ** error)
{
  static const gchar *const known[] = { "price_per_unit", "pixels_per_unit",
    NULL
  };

  memset (price, 0, sizeof (*price));
  return check_fields (obj, path, known, NULL, error)
      && read_uint64 (obj, path, "price_per_unit", TRUE,
      &price->price_per_unit, error)
      && read_uint64 (obj, path, "pixels_per_unit", TRUE,
      &price->pixels_per_unit, error);
}

static gboolean
session_id_is_valid (const gchar * id, gsize max)
{
  gsize n = strnlen (id, max + 1);
  gsize i;

  if (n == 0 || n > LP_WIRE_MAX_SESSION_ID_LENGTH)
    return FALSE;
  for (i = 0; i < n; i++) {
    if (id[i] <= 0x20 || id[i] >= 0x7f)
      return FALSE;
  }
  return TRUE;
}

static gboolean
decode_auth_token (JsonObject * obj, const gchar * path, LpAuthToken * token,
    GError ** error)
{
  static const gchar *const known[] = { "token", "session_id", "expiration",
    NULL
  };
  const gchar *session_id;

  memset (token, 0, sizeof (*token));
  if (!check_fields (obj, path, known, NULL, error)
      || !read_hex (obj, path, "token", TRUE, token->token,
          LP_AUTH_TOKEN_SIZE, error)
      || !read_string (obj, path, "session_id", TRUE,
          LP_WIRE_MAX_SESSION_ID_LENGTH, &session_id, error)
      || !read_int (obj, path, "expiration", TRUE, 0, G_MAXINT64,
          &token->expiration, error))
    return FALSE;
  if (!session_id_is_valid (session_id, LP_WIRE_MAX_SESSION_ID_LENGTH))
    return field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path,
        "session_id", "must be 1-%d printable ASCII characters",
        LP_WIRE_MAX_SESSION_ID_LENGTH);
  strcpy (token->session_id, session_id);
  return TRUE;
}

static LpProfile *
decode_video_profile (JsonObject * obj, const gchar * path, GError ** error)
{
  static const gchar *const known[] = { "name", "width", "height", "bitrate",
    "fps", "fps_den", "profile", "gop", "format", "encoder", "color_depth",
    "chroma_format", "quality", NULL
  };
  LpProfile profile = { 0, };
  const gchar *name;
  gint64 width = 0, height = 0, bitrate = 0, fps = 0, fps_den = 0;
  gint64 h264 = 0, gop = 0;

  if (!check_fields (obj, path, known, NULL, error)
      || !read_string (obj, path, "name", TRUE,
          LP_WIRE_MAX_PROFILE_NAME_LENGTH, &name, error))
    return NULL;
  if (!lp_profile_name_is_valid (name)) {
    field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, "name",
        "must be 1-%d characters of A-Z a-z 0-9 _ - .",
        LP_WIRE_MAX_PROFILE_NAME_LENGTH);
    return NULL;
  }
  if (!read_int (obj, path, "width", TRUE, 0, LP_PROFILE_MAX_DIMENSION,
          &width, error)
      || !read_int (obj, path, "height", TRUE, 0, LP_PROFILE_MAX_DIMENSION,
          &height, error)
      || !read_int (obj, path, "bitrate", TRUE, 0, LP_PROFILE_MAX_BITRATE,
          &bitrate, error)
      || !read_int (obj, path, "fps_den", FALSE, 0, G_MAXINT32, &fps_den, error)
      || !read_int (obj, path, "fps", FALSE, 0,
          (gint64) LP_PROFILE_MAX_FPS * MAX (fps_den, 1), &fps, error)
      || !read_int (obj, path, "profile", FALSE, LP_H264_PROFILE_DEFAULT,
          LP_H264_PROFILE_CONSTRAINED_HIGH, &h264, error)
      || !read_int (obj, path, "gop", FALSE, LP_PROFILE_GOP_INTRA, G_MAXINT32,
          &gop, error)
      || !read_zero_only (obj, path, "format", "MPEG-TS", error)
      || !read_zero_only (obj, path, "encoder", "H.264", error)
      || !read_zero_only (obj, path, "color_depth", "the default depth", error)
      || !read_zero_only (obj, path, "chroma_format", "4:2:0", error)
      || !read_zero_only (obj, path, "quality", "constant bitrate", error))
    return NULL;

  profile.name = (gchar *) name;
  profile.width = (guint) width;
  profile.height = (guint) height;
  profile.bitrate = (guint) bitrate;
  profile.fps_num = (guint) fps;
  profile.fps_den = fps_den > 0 ? (guint) fps_den : 1;
  profile.h264_profile = (LpH264Profile) h264;
  profile.gop_ms = (gint) gop;
  return lp_profile_copy (&profile);
}

static LpPayment *
decode_payment (JsonObject * obj, GError ** error)
{
  static const gchar *const known[] = { "ticket_params", "sender",
    "expiration_params", "ticket_sender_params", "expected_price", NULL
  };
  LpPayment *payment = lp_payment_new ();
  JsonObject *sub;
  JsonArray *tickets;
  guint i, n;

  if (!check_fields (obj, "", known, NULL, error)
      || !read_address (obj, "", "sender", TRUE, &payment->sender, error)
      || !read_object (obj, "", "ticket_params", FALSE, &sub, error))
    goto fail;
  if (sub != NULL) {
    if (!decode_ticket_params (sub, "ticket_params", &payment->ticket_params,
            error))
      goto fail;
    payment->has_ticket_params = TRUE;
  }
  if (!read_object (obj, "", "expiration_params", FALSE, &sub, error))
    goto fail;
  if (sub != NULL && !decode_expiration_params (sub, "expiration_params",
          &payment->expiration_params, error))
    goto fail;
  if (!read_object (obj, "", "expected_price", FALSE, &sub, error))
    goto fail;
  if (sub != NULL && !decode_price_info (sub, "expected_price",
          &payment->expected_price, error))
    goto fail;

  if (!read_array (obj, "", "ticket_sender_params", FALSE,
          LP_WIRE_MAX_TICKETS_PER_PAYMENT, &tickets, error))
    goto fail;
  n = tickets != NULL ? json_array_get_length (tickets) : 0;
  if (n > 0 && !payment->has_ticket_params) {
    field_error (error, LP_WIRE_ERROR_MISSING, "", "ticket_params",
        "missing, and the payment has tickets");
    goto fail;
  }
  for (i = 0; i < n; i++) {
    static const gchar *const tsp_known[] = { "sender_nonce", "sig", NULL };
    LpTicketSenderParams tsp = { 0, };
    gchar *path;
    JsonObject *t = array_object (tickets, i, "", "ticket_sender_params",
        &path, error);
    gint64 nonce = 0;
    gboolean ok = t != NULL && check_fields (t, path, tsp_known, NULL, error)
        && read_int (t, path, "sender_nonce", TRUE, 0, G_MAXUINT32, &nonce,
        error)
        && read_hex (t, path, "sig", TRUE, tsp.sig, LP_SIGNATURE_SIZE, error);

    g_free (path);
    if (!ok)
      goto fail;
    tsp.sender_nonce = (guint32) nonce;
    g_array_append_val (payment->tickets, tsp);
  }
  return payment;

fail:
  lp_payment_free (payment);
  return NULL;
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

  if (!check_fields (obj, "", known, ignored, error))
    goto fail;
  if (json_object_has_member (obj, "segment_parameters")) {
    field_error (error, LP_WIRE_ERROR_UNSUPPORTED, "", "segment_parameters",
        "segment clipping is not supported");
    goto fail;
  }
  if (!read_string (obj, "", "manifest_id", TRUE,
          LP_WIRE_MAX_MANIFEST_ID_LENGTH, &manifest_id, error))
    goto fail;
  if (*manifest_id == '\0') {
    field_error (error, LP_WIRE_ERROR_INVALID_VALUE, "", "manifest_id",
        "empty");
    goto fail;
  }
  seg->manifest_id = g_strdup (manifest_id);
  if (!read_int (obj, "", "seq", TRUE, 0, G_MAXINT64, &seq, error)
      || !read_hex (obj, "", "hash", TRUE, seg->hash, LP_KECCAK256_SIZE, error)
      || !read_hex (obj, "", "sig", TRUE, seg->sig, LP_SIGNATURE_SIZE, error)
      || !read_int (obj, "", "duration", FALSE, 0, LP_WIRE_MAX_DURATION_MS,
          &duration, error)
      || !read_capabilities (obj, "", &seg->capabilities, error)
      || !read_object (obj, "", "auth_token", TRUE, &sub, error)
      || !decode_auth_token (sub, "auth_token", &seg->auth_token, error)
      || !read_array (obj, "", "profiles", TRUE, LP_WIRE_MAX_PROFILES,
          &profiles, error))
    goto fail;
  seg->seq = (guint64) seq;
  seg->duration_ms = (guint) duration;

  n = json_array_get_length (profiles);
  for (i = 0; i < n; i++) {
    gchar *path;
    JsonObject *p = array_object (profiles, i, "", "profiles", &path, error);
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

static LpOrchestratorRequest *
decode_orchestrator_request (JsonObject * obj, GError ** error)
{
  static const gchar *const known[] = { "address", "sig", "capabilities",
    NULL
  };
  static const gchar *const ignored[] = { "ignore_capacity_check", NULL };
  LpOrchestratorRequest *request = lp_orchestrator_request_new ();

  if (!check_fields (obj, "", known, ignored, error)
      || !read_address (obj, "", "address", TRUE, &request->address, error)
      || !read_hex (obj, "", "sig", TRUE, request->sig, LP_SIGNATURE_SIZE,
          error)
      || !read_capabilities (obj, "", &request->capabilities, error)) {
    lp_orchestrator_request_free (request);
    return NULL;
  }
  return request;
}

static LpOrchestratorInfo *
decode_orchestrator_info (JsonObject * obj, const gchar * path, GError ** error)
{
  static const gchar *const known[] = { "transcoder", "ticket_params",
    "price_info", "address", "capabilities", "auth_token", NULL
  };
  static const gchar *const ignored[] = { "hardware", "storage",
    "capabilities_prices", "nodes", NULL
  };
  LpOrchestratorInfo *info = lp_orchestrator_info_new ();
  const gchar *transcoder;
  JsonObject *sub;
  gchar *sp;
  gboolean ok;

  if (!check_fields (obj, path, known, ignored, error)
      || !read_string (obj, path, "transcoder", TRUE, LP_WIRE_MAX_URL_LENGTH,
          &transcoder, error))
    goto fail;
  if (*transcoder == '\0') {
    field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, "transcoder",
        "empty");
    goto fail;
  }
  info->transcoder = g_strdup (transcoder);
  if (!read_address (obj, path, "address", TRUE, &info->address, error)
      || !read_capabilities (obj, path, &info->capabilities, error)
      || !read_object (obj, path, "ticket_params", FALSE, &sub, error))
    goto fail;
  if (sub != NULL) {
    sp = sub_path (path, "ticket_params");
    ok = decode_ticket_params (sub, sp, &info->ticket_params, error);
    g_free (sp);
    if (!ok)
      goto fail;
    info->has_ticket_params = TRUE;
  }
  if (!read_object (obj, path, "price_info", FALSE, &sub, error))
    goto fail;
  if (sub != NULL) {
    sp = sub_path (path, "price_info");
    ok = decode_price_info (sub, sp, &info->price_info, error);
    g_free (sp);
    if (!ok)
      goto fail;
    info->has_price_info = TRUE;
  }
  if (!read_object (obj, path, "auth_token", TRUE, &sub, error))
    goto fail;
  sp = sub_path (path, "auth_token");
  ok = decode_auth_token (sub, sp, &info->auth_token, error);
  g_free (sp);
  if (!ok)
    goto fail;
  return info;

fail:
  lp_orchestrator_info_free (info);
  return NULL;
}

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

  if (!check_fields (obj, "", known, NULL, error)
      || !read_int (obj, "", "seq", TRUE, 0, G_MAXINT64, &seq, error)
      || !read_string (obj, "", "error", FALSE, LP_WIRE_MAX_ERROR_LENGTH,
          &text, error)
      || !read_object (obj, "", "data", FALSE, &data, error))
    goto fail;
  result->seq = (guint64) seq;
  if (text != NULL && data != NULL) {
    field_error (error, LP_WIRE_ERROR_INVALID_VALUE, "", "error",
        "a result has either error or data, not both");
    goto fail;
  }
  if (text == NULL && data == NULL) {
    field_error (error, LP_WIRE_ERROR_MISSING, "", "data",
        "missing (a result has either error or data)");
    goto fail;
  }
  if (text != NULL) {
    if (*text == '\0') {
      field_error (error, LP_WIRE_ERROR_INVALID_VALUE, "", "error", "empty");
      goto fail;
    }
    result->error = g_strdup (text);
  } else {
    if (!check_fields (data, "data", data_known, NULL, error)
        || !read_hex (data, "data", "sig", TRUE, result->sig,
            LP_SIGNATURE_SIZE, error)
        || !read_array (data, "data", "segments", TRUE, LP_WIRE_MAX_PROFILES,
            &segments, error))
      goto fail;
    n = json_array_get_length (segments);
    for (i = 0; i < n; i++) {
      static const gchar *const seg_known[] = { "url", "pixels", NULL };
      static const gchar *const seg_ignored[] = { "perceptual_hash_url",
        NULL
      };
      gchar *path;
      JsonObject *s = array_object (segments, i, "data", "segments", &path,
          error);
      const gchar *url = NULL;
      guint64 pixels = 0;
      gboolean ok = s != NULL
          && check_fields (s, path, seg_known, seg_ignored, error)
          && read_string (s, path, "url", FALSE, LP_WIRE_MAX_URL_LENGTH, &url,
          error)
          && read_uint64 (s, path, "pixels", TRUE, &pixels, error);

      if (ok && url != NULL && *url == '\0')
        ok = field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, "url",
            "empty (leave it out for inline renditions)");
      g_free (path);
      if (!ok)
        goto fail;
      lp_transcode_result_add_segment (result, url, pixels);
    }
  }
  if (!read_object (obj, "", "info", FALSE, &sub, error))
    goto fail;
  if (sub != NULL
      && (result->info = decode_orchestrator_info (sub, "info", error)) == NULL)
    goto fail;
  return result;

fail:
  lp_transcode_result_free (result);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* encoding helpers                                                         */
/* ------------------------------------------------------------------------ */

static void
add_hex (JsonBuilder * b, const gchar * name, const guint8 * data, gsize n)
{
  gchar *hex = lp_hex_encode (data, n, TRUE);

  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, hex);
  g_free (hex);
}

static void
add_address (JsonBuilder * b, const gchar * name, const LpAddress * address)
{
  gchar text[LP_ADDRESS_TEXT_SIZE];

  lp_address_format (address, text);
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, text);
}

static void
add_int (JsonBuilder * b, const gchar * name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

/* A number when it fits int64, else a decimal string. */
static void
add_uint64 (JsonBuilder * b, const gchar * name, guint64 value)
{
  json_builder_set_member_name (b, name);
  if (value <= G_MAXINT64) {
    json_builder_add_int_value (b, (gint64) value);
  } else {
    gchar text[24];

    g_snprintf (text, sizeof (text), "%" G_GUINT64_FORMAT, value);
    json_builder_add_string_value (b, text);
  }
}

static void
add_uint256 (JsonBuilder * b, const gchar * name, const LpUint256 * value)
{
  gchar *text = lp_uint256_to_string (value);

  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, text);
  g_free (text);
}

static void
add_string (JsonBuilder * b, const gchar * name, const gchar * value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
add_capabilities (JsonBuilder * b, const gchar * text)
{
  JsonNode *node;

  if (text == NULL)
    return;
  node = json_from_string (text, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)) {
    g_critical ("capabilities must be the text of a JSON object; left out");
    if (node != NULL)
      json_node_unref (node);
    return;
  }
  json_builder_set_member_name (b, "capabilities");
  json_builder_add_value (b, node);
}

static gchar *
builder_finish (JsonBuilder * b)
{
  JsonGenerator *gen = json_generator_new ();
  JsonNode *root = json_builder_get_root (b);
  gchar *text;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  json_node_unref (root);
  g_object_unref (gen);
  g_object_unref (b);
  return text;
}

static void
build_expiration_params (JsonBuilder * b, const gchar * name,
    const LpExpirationParams * params)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  add_uint64 (b, "creation_round", params->creation_round);
  add_hex (b, "creation_round_block_hash", params->creation_round_block_hash,
      LP_KECCAK256_SIZE);
  json_builder_end_object (b);
}

static void
build_ticket_params (JsonBuilder * b, const LpTicketParams * params)
{
  guint8 seed[LP_UINT256_SIZE];

  json_builder_begin_object (b);
  add_address (b, "recipient", &params->recipient);
  add_uint256 (b, "face_value", &params->face_value);
  add_uint256 (b, "win_prob", &params->win_prob);
  add_hex (b, "recipient_rand_hash", params->recipient_rand_hash,
      LP_KECCAK256_SIZE);
  lp_uint256_pad32 (&params->seed, seed);
  add_hex (b, "seed", seed, sizeof (seed));
  add_uint64 (b, "expiration_block", params->expiration_block);
  if (!lp_expiration_params_is_empty (&params->expiration_params))
    build_expiration_params (b, "expiration_params",
        &params->expiration_params);
  json_builder_end_object (b);
}

static void
build_price_info (JsonBuilder * b, const LpPriceInfo * price)
{
  json_builder_begin_object (b);
  add_uint64 (b, "price_per_unit", price->price_per_unit);
  add_uint64 (b, "pixels_per_unit", price->pixels_per_unit);
  json_builder_end_object (b);
}

static void
build_auth_token (JsonBuilder * b, const LpAuthToken * token)
{
  gchar session_id[LP_WIRE_MAX_SESSION_ID_LENGTH + 1];

  /* copy: the field need not be NUL-terminated in a corrupt struct */
  memcpy (session_id, token->session_id, LP_WIRE_MAX_SESSION_ID_LENGTH);
  session_id[LP_WIRE_MAX_SESSION_ID_LENGTH] = '\0';
  json_builder_begin_object (b);
  add_hex (b, "token", token->token, LP_AUTH_TOKEN_SIZE);
  add_string (b, "session_id", session_id);
  add_int (b, "expiration", token->expiration);
  json_builder_end_object (b);
}

static void
build_video_profile (JsonBuilder * b, const LpProfile * profile)
{
  json_builder_begin_object (b);
  add_string (b, "name", profile->name ? profile->name : "");
  add_int (b, "width", profile->width);
  add_int (b, "height", profile->height);
  add_int (b, "bitrate", profile->bitrate);
  add_int (b, "fps", profile->fps_num);
  add_int (b, "fps_den", profile->fps_den);
  add_int (b, "profile", profile->h264_profile);
  add_int (b, "gop", profile->gop_ms);
  json_builder_end_object (b);
}

static void
build_orchestrator_info (JsonBuilder * b, const LpOrchestratorInfo * info)
{
  json_builder_begin_object (b);
  add_string (b, "transcoder", info->transcoder ? info->transcoder : "");
  if (info->has_ticket_params) {
    json_builder_set_member_name (b, "ticket_params");
    build_ticket_params (b, &info->ticket_params);
  }
  if (info->has_price_info) {
    json_builder_set_member_name (b, "price_info");
    build_price_info (b, &info->price_info);
  }
  add_address (b, "address", &info->address);
  add_capabilities (b, info->capabilities);
  json_builder_set_member_name (b, "auth_token");
  build_auth_token (b, &info->auth_token);
  json_builder_end_object (b);
}

/* ------------------------------------------------------------------------ */
/* public JSON API                                                          */
/* ------------------------------------------------------------------------ */

/**
 * lp_wire_capabilities_check:
 * @text: text for a `capabilities` field
 * @error: return location for a #GError, or %NULL
 *
 * Checks that @text is what the `capabilities` fields hold: a JSON object
 * that passes the decoders' strict checks.
 *
 * Returns: %TRUE when it is
 */
gboolean
lp_wire_capabilities_check (const gchar * text, GError ** error)
{
  JsonNode *root;

  g_return_val_if_fail (text != NULL, FALSE);

  root = parse_object (text, -1, "capabilities", error);
  if (root == NULL)
    return FALSE;
  json_node_unref (root);
  return TRUE;
}

/**
 * lp_wire_price_info_to_json:
 * @price: (transfer none): a price
 *
 * Returns: (transfer full): `{price_per_unit, pixels_per_unit}` as JSON
 */
gchar *
lp_wire_price_info_to_json (const LpPriceInfo * price)
{
  JsonBuilder *b;

  g_return_val_if_fail (price != NULL, NULL);
  b = json_builder_new ();
  build_price_info (b, price);
  return builder_finish (b);
}

/**
 * lp_wire_price_info_from_json:
 * @data: (array length=length): JSON text
 * @length: length of @data, or -1 when NUL-terminated
 * @price: (out caller-allocates): the price; untouched on failure
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success; %FALSE with %LP_WIRE_ERROR
 */
gboolean
lp_wire_price_info_from_json (const gchar * data, gssize length,
    LpPriceInfo * price, GError ** error)
{
  JsonNode *root;
  LpPriceInfo tmp;
  gboolean ok;

  g_return_val_if_fail (price != NULL, FALSE);
  root = parse_object (data, length, "PriceInfo", error);
  if (root == NULL)
    return FALSE;
  ok = decode_price_info (json_node_get_object (root), "", &tmp, error);
  json_node_unref (root);
  if (ok)
    *price = tmp;
  return ok;
}

/**
 * lp_wire_ticket_params_to_json:
 * @params: (transfer none): ticket parameters
 *
 * Returns: (transfer full): OrchestratorInfo.ticket_params as JSON
 */
gchar *
lp_wire_ticket_params_to_json (const LpTicketParams * params)
{
  JsonBuilder *b;

  g_return_val_if_fail (params != NULL, NULL);
  b = json_builder_new ();
  build_ticket_params (b, params);
  return builder_finish (b);
}

/**
 * lp_wire_ticket_params_from_json:
 * @data: (array length=length): JSON text
 * @length: length of @data, or -1 when NUL-terminated
 * @params: (out caller-allocates): the parameters; untouched on failure
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success; %FALSE with %LP_WIRE_ERROR
 */
gboolean
lp_wire_ticket_params_from_json (const gchar * data, gssize length,
    LpTicketParams * params, GError ** error)
{
  JsonNode *root;
  LpTicketParams tmp;
  gboolean ok;

  g_return_val_if_fail (params != NULL, FALSE);
  root = parse_object (data, length, "TicketParams", error);
  if (root == NULL)
    return FALSE;
  ok = decode_ticket_params (json_node_get_object (root), "", &tmp, error);
  json_node_unref (root);
  if (ok)
    *params = tmp;
  return ok;
}

/**
 * lp_wire_auth_token_to_json:
 * @token: (transfer none): an auth token
 *
 * Returns: (transfer full): `{token, session_id, expiration}` as JSON
 */
gchar *
lp_wire_auth_token_to_json (const LpAuthToken * token)
{
  JsonBuilder *b;

  g_return_val_if_fail (token != NULL, NULL);
  b = json_builder_new ();
  build_auth_token (b, token);
  return builder_finish (b);
}

/**
 * lp_wire_auth_token_from_json:
 * @data: (array length=length): JSON text
 * @length: length of @data, or -1 when NUL-terminated
 * @token: (out caller-allocates): the token; untouched on failure
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success; %FALSE with %LP_WIRE_ERROR
 */
gboolean
lp_wire_auth_token_from_json (const gchar * data, gssize length,
    LpAuthToken * token, GError ** error)
{
  JsonNode *root;
  LpAuthToken tmp;
  gboolean ok;

  g_return_val_if_fail (token != NULL, FALSE);
  root = parse_object (data, length, "AuthToken", error);
  if (root == NULL)
    return FALSE;
  ok = decode_auth_token (json_node_get_object (root), "", &tmp, error);
  json_node_unref (root);
  if (ok)
    *token = tmp;
  return ok;
}

/**
 * lp_wire_video_profile_to_json:
 * @profile: (transfer none): a profile
 *
 * Returns: (transfer full): go-livepeer's VideoProfile as JSON
 */
gchar *
lp_wire_video_profile_to_json (const LpProfile * profile)
{
  JsonBuilder *b;

  g_return_val_if_fail (profile != NULL, NULL);
  b = json_builder_new ();
  build_video_profile (b, profile);
  return builder_finish (b);
}

/**
 * lp_wire_video_profile_from_json:
 * @data: (array length=length): JSON text
 * @length: length of @data, or -1 when NUL-terminated
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full) (nullable): the profile, or %NULL with
 *     %LP_WIRE_ERROR
 */
LpProfile *
lp_wire_video_profile_from_json (const gchar * data, gssize length,
    GError ** error)
{
  JsonNode *root;
  LpProfile *profile;

  root = parse_object (data, length, "VideoProfile", error);
  if (root == NULL)
    return NULL;
  profile = decode_video_profile (json_node_get_object (root), "", error);
  json_node_unref (root);
  return profile;
}

/**
 * lp_wire_payment_to_json:
 * @payment: (transfer none): a payment
 *
 * Encodes @payment as docs/design/protocol.md §7's Payment: `ticket_params` only when
 * present (its nested `expiration_params` only when not empty),
 * `expiration_params` only when not empty.
 *
 * Returns: (transfer full): the JSON text
 */
gchar *
lp_wire_payment_to_json (const LpPayment * payment)
{
  JsonBuilder *b;
  guint i;

  g_return_val_if_fail (payment != NULL, NULL);

  b = json_builder_new ();
  json_builder_begin_object (b);
  add_address (b, "sender", &payment->sender);
  if (payment->has_ticket_params) {
    json_builder_set_member_name (b, "ticket_params");
    build_ticket_params (b, &payment->ticket_params);
  }
  if (!lp_expiration_params_is_empty (&payment->expiration_params))
    build_expiration_params (b, "expiration_params",
        &payment->expiration_params);
  json_builder_set_member_name (b, "ticket_sender_params");
  json_builder_begin_array (b);
  for (i = 0; payment->tickets != NULL && i < payment->tickets->len; i++) {
    const LpTicketSenderParams *tsp =
        &g_array_index (payment->tickets, LpTicketSenderParams, i);

    json_builder_begin_object (b);
    add_int (b, "sender_nonce", tsp->sender_nonce);
    add_hex (b, "sig", tsp->sig, LP_SIGNATURE_SIZE);
    json_builder_end_object (b);
  }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "expected_price");
  build_price_info (b, &payment->expected_price);
  json_builder_end_object (b);
  return builder_finish (b);
}

/**
 * lp_wire_payment_from_json:
 * @data: (array length=length): JSON text
 * @length: length of @data, or -1 when NUL-terminated
 * @error: return location for a #GError, or %NULL
 *
 * Decodes a Payment. `sender` is required; `ticket_params` is required
 * when there are tickets (at most %LP_WIRE_MAX_TICKETS_PER_PAYMENT, the
 * most a header can carry); an absent `expiration_params` or
 * `expected_price` reads as zeros. Whether the tickets and price are
 * acceptable is the recipient's business.
 *
 * Returns: (transfer full) (nullable): the payment, or %NULL with
 *     %LP_WIRE_ERROR
 */
LpPayment *
lp_wire_payment_from_json (const gchar * data, gssize length, GError ** error)
{
  JsonNode *root;
  LpPayment *payment;

  root = parse_object (data, length, "Payment", error);
  if (root == NULL)
    return NULL;
  payment = decode_payment (json_node_get_object (root), error);
  json_node_unref (root);
  return payment;
}

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
  add_string (b, "manifest_id", seg->manifest_id ? seg->manifest_id : "");
  add_uint64 (b, "seq", seg->seq);
  add_hex (b, "hash", seg->hash, LP_KECCAK256_SIZE);
  add_hex (b, "sig", seg->sig, LP_SIGNATURE_SIZE);
  add_int (b, "duration", seg->duration_ms);
  json_builder_set_member_name (b, "profiles");
  json_builder_begin_array (b);
  for (i = 0; seg->profiles != NULL && i < seg->profiles->len; i++)
    build_video_profile (b, g_ptr_array_index (seg->profiles, i));
  json_builder_end_array (b);
  add_capabilities (b, seg->capabilities);
  json_builder_set_member_name (b, "auth_token");
  build_auth_token (b, &seg->auth_token);
  json_builder_end_object (b);
  return builder_finish (b);
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

  root = parse_object (data, length, "SegData", error);
  if (root == NULL)
    return NULL;
  seg = decode_seg_data (json_node_get_object (root), error);
  json_node_unref (root);
  return seg;
}

/**
 * lp_wire_orchestrator_request_to_json:
 * @request: (transfer none): a request
 *
 * Returns: (transfer full): OrchestratorRequest as JSON
 */
gchar *
lp_wire_orchestrator_request_to_json (const LpOrchestratorRequest * request)
{
  JsonBuilder *b;

  g_return_val_if_fail (request != NULL, NULL);

  b = json_builder_new ();
  json_builder_begin_object (b);
  add_address (b, "address", &request->address);
  add_hex (b, "sig", request->sig, LP_SIGNATURE_SIZE);
  add_capabilities (b, request->capabilities);
  json_builder_end_object (b);
  return builder_finish (b);
}

/**
 * lp_wire_orchestrator_request_from_json:
 * @data: (array length=length): JSON text
 * @length: length of @data, or -1 when NUL-terminated
 * @error: return location for a #GError, or %NULL
 *
 * Decodes an OrchestratorRequest (`address` and `sig` required). The
 * signature is not checked here.
 *
 * Returns: (transfer full) (nullable): the request, or %NULL with
 *     %LP_WIRE_ERROR
 */
LpOrchestratorRequest *
lp_wire_orchestrator_request_from_json (const gchar * data, gssize length,
    GError ** error)
{
  JsonNode *root;
  LpOrchestratorRequest *request;

  root = parse_object (data, length, "OrchestratorRequest", error);
  if (root == NULL)
    return NULL;
  request = decode_orchestrator_request (json_node_get_object (root), error);
  json_node_unref (root);
  return request;
}

/**
 * lp_wire_orchestrator_info_to_json:
 * @info: (transfer none): orchestrator info
 *
 * Returns: (transfer full): OrchestratorInfo as JSON
 */
gchar *
lp_wire_orchestrator_info_to_json (const LpOrchestratorInfo * info)
{
  JsonBuilder *b;

  g_return_val_if_fail (info != NULL, NULL);

  b = json_builder_new ();
  build_orchestrator_info (b, info);
  return builder_finish (b);
}

/**
 * lp_wire_orchestrator_info_from_json:
 * @data: (array length=length): JSON text
 * @length: length of @data, or -1 when NUL-terminated
 * @error: return location for a #GError, or %NULL
 *
 * Decodes an OrchestratorInfo: `transcoder`, `address` and `auth_token`
 * are required, `ticket_params` and `price_info` optional (see
 * has_ticket_params and has_price_info).
 *
 * Returns: (transfer full) (nullable): the info, or %NULL with
 *     %LP_WIRE_ERROR
 */
LpOrchestratorInfo *
lp_wire_orchestrator_info_from_json (const gchar * data, gssize length,
    GError ** error)
{
  JsonNode *root;
  LpOrchestratorInfo *info;

  root = parse_object (data, length, "OrchestratorInfo", error);
  if (root == NULL)
    return NULL;
  info = decode_orchestrator_info (json_node_get_object (root), "", error);
  json_node_unref (root);
  return info;
}

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
  add_uint64 (b, "seq", result->seq);
  if (result->error != NULL) {
    add_string (b, "error", result->error);
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
        add_string (b, "url", s->url);
      add_uint64 (b, "pixels", s->pixels);
      json_builder_end_object (b);
    }
    json_builder_end_array (b);
    add_hex (b, "sig", result->sig, LP_SIGNATURE_SIZE);
    json_builder_end_object (b);
  }
  if (result->info != NULL) {
    json_builder_set_member_name (b, "info");
    build_orchestrator_info (b, result->info);
  }
  json_builder_end_object (b);
  return builder_finish (b);
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

  root = parse_object (data, length, "TranscodeResult", error);
  if (root == NULL)
    return NULL;
  result = decode_transcode_result (json_node_get_object (root), error);
  json_node_unref (root);
  return result;
}

/* ------------------------------------------------------------------------ */
/* header forms                                                             */
/* ------------------------------------------------------------------------ */

static gint
base64_value (gchar c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

/* Decodes canonical padded standard base64. */
static guint8 *
header_decode (const gchar * header, const gchar * name, gsize * out_length,
    GError ** error)
{
  gsize n, i, pad = 0;

  n = strnlen (header, LP_WIRE_MAX_HEADER_SIZE + 1);
  if (n > LP_WIRE_MAX_HEADER_SIZE) {
    g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_TOO_LARGE,
        "%s: the header is larger than %d bytes", name,
        LP_WIRE_MAX_HEADER_SIZE);
    return NULL;
  }
  if (n == 0) {
    g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_ENCODING,
        "%s: the header is empty", name);
    return NULL;
  }
  if (n % 4 != 0) {
    g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_ENCODING,
        "%s: not padded base64 (%" G_GSIZE_FORMAT " characters is not a "
        "multiple of 4)", name, n);
    return NULL;
  }
  if (header[n - 1] == '=')
    pad = header[n - 2] == '=' ? 2 : 1;
  for (i = 0; i < n - pad; i++) {
    if (base64_value (header[i]) < 0) {
      g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_ENCODING,
          "%s: not base64 (unexpected character at offset %" G_GSIZE_FORMAT
          ")", name, i);
      return NULL;
    }
  }
  /* the bits the padding leaves over must be zero (canonical form) */
  if ((pad == 1 && (base64_value (header[n - 2]) & 0x3) != 0)
      || (pad == 2 && (base64_value (header[n - 3]) & 0xf) != 0)) {
    g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_ENCODING,
        "%s: not canonical base64 (non-zero padding bits)", name);
    return NULL;
  }

  return g_base64_decode (header, out_length);
}

/**
 * lp_wire_payment_to_header:
 * @payment: (transfer none): a payment
 *
 * Returns: (transfer full): the value of a Livepeer-Payment header:
 *     base64 of lp_wire_payment_to_json()
 */
gchar *
lp_wire_payment_to_header (const LpPayment * payment)
{
  gchar *json, *header;

  g_return_val_if_fail (payment != NULL, NULL);
  json = lp_wire_payment_to_json (payment);
  header = g_base64_encode ((const guchar *) json, strlen (json));
  g_free (json);
  return header;
}

/**
 * lp_wire_payment_from_header:
 * @header: the value of a Livepeer-Payment header
 * @error: return location for a #GError, or %NULL
 *
 * Decodes a Livepeer-Payment value: at most %LP_WIRE_MAX_HEADER_SIZE
 * characters of canonical padded base64, then as
 * lp_wire_payment_from_json(). An empty value (go-livepeer's "no payment")
 * is an error here: the caller decides what no payment means.
 *
 * Returns: (transfer full) (nullable): the payment, or %NULL with
 *     %LP_WIRE_ERROR
 */
LpPayment *
lp_wire_payment_from_header (const gchar * header, GError ** error)
{
  guint8 *json;
  gsize n;
  LpPayment *payment;

  g_return_val_if_fail (header != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  json = header_decode (header, "Livepeer-Payment", &n, error);
  if (json == NULL)
    return NULL;
  payment = lp_wire_payment_from_json ((const gchar *) json, n, error);
  g_free (json);
  return payment;
}

/**
 * lp_wire_seg_data_to_header:
 * @seg: (transfer none): segment data
 *
 * Returns: (transfer full): the value of a Livepeer-Segment header:
 *     base64 of lp_wire_seg_data_to_json()
 */
gchar *
lp_wire_seg_data_to_header (const LpSegData * seg)
{
  gchar *json, *header;

  g_return_val_if_fail (seg != NULL, NULL);
  json = lp_wire_seg_data_to_json (seg);
  header = g_base64_encode ((const guchar *) json, strlen (json));
  g_free (json);
  return header;
}

/**
 * lp_wire_seg_data_from_header:
 * @header: the value of a Livepeer-Segment header
 * @error: return location for a #GError, or %NULL
 *
 * Decodes a Livepeer-Segment value as lp_wire_payment_from_header() does a
 * payment.
 *
 * Returns: (transfer full) (nullable): the segment data, or %NULL with
 *     %LP_WIRE_ERROR
 */
LpSegData *
lp_wire_seg_data_from_header (const gchar * header, GError ** error)
{
  guint8 *json;
  gsize n;
  LpSegData *seg;

  g_return_val_if_fail (header != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  json = header_decode (header, "Livepeer-Segment", &n, error);
  if (json == NULL)
    return NULL;
  seg = lp_wire_seg_data_from_json ((const gchar *) json, n, error);
  g_free (json);
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

/* ------------------------------------------------------------------------ */
/* auth token                                                               */
/* ------------------------------------------------------------------------ */

static void
auth_token_mac (const guint8 secret[LP_AUTH_TOKEN_SECRET_SIZE],
    const gchar * session_id, gint64 expiration, guint8 mac[LP_AUTH_TOKEN_SIZE])
{
  GHmac *hmac = g_hmac_new (G_CHECKSUM_SHA256, secret,
      LP_AUTH_TOKEN_SECRET_SIZE);
  guint8 be[8];
  guint i, skip = 0;
  gsize n = LP_AUTH_TOKEN_SIZE;

  g_hmac_update (hmac, (const guchar *) session_id, strlen (session_id));
  /* minbe(expiration): no leading zeros, 0 is no bytes */
  for (i = 0; i < 8; i++)
    be[i] = (guint8) ((guint64) expiration >> (56 - 8 * i));
  while (skip < 8 && be[skip] == 0)
    skip++;
  g_hmac_update (hmac, be + skip, 8 - skip);
  g_hmac_get_digest (hmac, mac, &n);
  g_hmac_unref (hmac);
}

/**
 * lp_auth_token_create:
 * @secret: (array fixed-size=32): the orchestrator's secret (32 random
 *     bytes, kept for the process's lifetime)
 * @session_id: the session id: 1 to %LP_WIRE_MAX_SESSION_ID_LENGTH
 *     printable ASCII characters
 * @expiration: expiry, Unix seconds (>= 0)
 * @token: (out caller-allocates): the token
 * @error: return location for a #GError, or %NULL
 *
 * Makes go-livepeer's AuthToken: token = HMAC-SHA256(secret, session_id ‖
 * minbe(expiration)).
 *
 * Returns: %TRUE on success; %FALSE with %LP_WIRE_ERROR_INVALID_VALUE
 */
gboolean
lp_auth_token_create (const guint8 secret[LP_AUTH_TOKEN_SECRET_SIZE],
    const gchar * session_id, gint64 expiration, LpAuthToken * token,
    GError ** error)
{
  g_return_val_if_fail (secret != NULL && session_id != NULL, FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  if (!session_id_is_valid (session_id, LP_WIRE_MAX_SESSION_ID_LENGTH)) {
    g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_INVALID_VALUE,
        "auth_token.session_id: must be 1-%d printable ASCII characters",
        LP_WIRE_MAX_SESSION_ID_LENGTH);
    return FALSE;
  }
  if (expiration < 0) {
    g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_INVALID_VALUE,
        "auth_token.expiration: negative");
    return FALSE;
  }
  memset (token, 0, sizeof (*token));
  strcpy (token->session_id, session_id);
  token->expiration = expiration;
  auth_token_mac (secret, session_id, expiration, token->token);
  return TRUE;
}

/**
 * lp_auth_token_new_session:
 * @secret: (array fixed-size=32): the orchestrator's secret
 * @now: the current time, Unix seconds
 * @token: (out caller-allocates): a token for a new session
 * @error: return location for a #GError, or %NULL
 *
 * Makes a token for a new session as go-livepeer does: a session id of 8
 * lowercase hex digits (4 random bytes), valid for
 * %LP_AUTH_TOKEN_VALIDITY_S seconds from @now.
 *
 * Returns: %TRUE on success; %FALSE with %LP_CRYPTO_ERROR_RANDOM or
 *     %LP_WIRE_ERROR_INVALID_VALUE
 */
gboolean
lp_auth_token_new_session (const guint8 secret[LP_AUTH_TOKEN_SECRET_SIZE],
    gint64 now, LpAuthToken * token, GError ** error)
{
  guint8 id[4];
  gchar *hex;
  gboolean ok;

  g_return_val_if_fail (secret != NULL && token != NULL, FALSE);

  if (now < 0 || now > G_MAXINT64 - LP_AUTH_TOKEN_VALIDITY_S) {
    g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_INVALID_VALUE,
        "auth_token.expiration: the time %" G_GINT64_FORMAT " is out of "
        "range", now);
    return FALSE;
  }
  if (!lp_crypto_random_bytes (id, sizeof (id), error))
    return FALSE;
  hex = lp_hex_encode (id, sizeof (id), FALSE);
  ok = lp_auth_token_create (secret, hex, now + LP_AUTH_TOKEN_VALIDITY_S,
      token, error);
  g_free (hex);
  return ok;
}

/**
 * lp_auth_token_verify:
 * @secret: (array fixed-size=32): the orchestrator's secret
 * @token: (transfer none): a token a broadcaster presented
 * @now: the current time, Unix seconds
 * @error: return location for a #GError, or %NULL
 *
 * Recomputes the token's HMAC and compares it in constant time, then
 * checks that it has not expired (it is valid up to and including its
 * expiration second).
 *
 * Returns: %TRUE when the token is ours, unaltered and current; %FALSE
 *     with %LP_WIRE_ERROR_AUTH_TOKEN_INVALID or
 *     %LP_WIRE_ERROR_AUTH_TOKEN_EXPIRED
 */
gboolean
lp_auth_token_verify (const guint8 secret[LP_AUTH_TOKEN_SECRET_SIZE],
    const LpAuthToken * token, gint64 now, GError ** error)
{
  guint8 mac[LP_AUTH_TOKEN_SIZE];
  gboolean equal;

  g_return_val_if_fail (secret != NULL && token != NULL, FALSE);

  if (!session_id_is_valid (token->session_id, LP_WIRE_MAX_SESSION_ID_LENGTH)
      || token->expiration < 0) {
    g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_AUTH_TOKEN_INVALID,
        "auth_token: malformed session id or expiration");
    return FALSE;
  }
  auth_token_mac (secret, token->session_id, token->expiration, mac);
  equal = lp_crypto_memeq (mac, token->token, LP_AUTH_TOKEN_SIZE);
  lp_crypto_wipe (mac, sizeof (mac));
  if (!equal) {
    g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_AUTH_TOKEN_INVALID,
        "auth_token: not issued by this orchestrator, or altered");
    return FALSE;
  }
  if (now > token->expiration) {
    g_set_error (error, LP_WIRE_ERROR, LP_WIRE_ERROR_AUTH_TOKEN_EXPIRED,
        "auth_token: expired %" G_GINT64_FORMAT " s ago",
        now - token->expiration);
    return FALSE;
  }
  return TRUE;
}

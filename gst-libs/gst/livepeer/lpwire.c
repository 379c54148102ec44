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
 * The readable JSON form of go-livepeer's messages (docs/design/protocol.md
 * §7). It is not a wire format: peers exchange protobuf (lpwire-proto.h).
 * It is what `lpctl` prints and reads (payments, segments, orchestrator
 * info, --params) and what lpverify's `transcode-result` property holds.
 * Field names in snake_case, bytes as "0x"-prefixed lowercase hex, uint256
 * and wei amounts (`face_value`, `win_prob`) as decimal strings, addresses
 * as EIP-55 text (decoders accept any case lp_address_parse() accepts),
 * and integers as JSON numbers. A 64-bit unsigned value above %G_MAXINT64 is
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
 * too: OrchestratorInfo's hardware, storage, capabilities_prices and
 * nodes, SegData's calc_perceptual_hash, storage and force_session_reinit,
 * and a rendition's perceptual_hash_url. A VideoProfile's format, encoder,
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
 * The header values (Livepeer-Segment and Livepeer-Payment) are the
 * standard padded base64 of protobuf (lp_wire_header_decode_bytes()); the
 * base64 decoder refuses any other character, whitespace, missing padding
 * and non-zero padding bits.
 *
 * Every decoding error is in %LP_WIRE_ERROR and its message starts with
 * the path of the field at fault ("ticket_sender_params[2].sig: ...").
 * Every function here is MT safe.
 */

/*
 * This file holds what every message family shares: the error domain, the
 * strict JSON scanner and parser, the field readers (decoding) and writers
 * (encoding) that the families' decoders and builders are made of, and the
 * base64 header decoding. The families are in
 * lpwire-discovery.c (OrchestratorInfo, TicketParams,
 * ExpirationParams, PriceInfo, AuthToken and its HMAC),
 * lpwire-segment.c (SegData, VideoProfile, the segment signature),
 * lpwire-payment.c (Payment and its ticket sender params) and
 * lpwire-result.c (TranscodeResult, the result signature); what they share
 * is declared in lpwire-private.h. No state, no locks: every function
 * here works on its arguments only.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdarg.h>
#include <string.h>

#include "lpwire-private.h"

G_DEFINE_QUARK (lp-wire-error-quark, lp_wire_error);

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
JsonNode *
lp_wire_parse_object (const gchar * data, gssize length, const gchar * what,
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

/* Sets an error whose message starts with "path.name: " */
gboolean
lp_wire_field_error (GError ** error, gint code, const gchar * path,
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

gchar *
lp_wire_sub_path (const gchar * path, const gchar * name)
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
gboolean
lp_wire_check_fields (JsonObject * obj, const gchar * path,
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
    ok = lp_wire_field_error (error, LP_WIRE_ERROR_UNKNOWN_FIELD, path, name,
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
    return lp_wire_field_error (error, LP_WIRE_ERROR_MISSING, path, name,
        "missing");
  return TRUE;
}

gboolean
lp_wire_read_string (JsonObject * obj, const gchar * path, const gchar * name,
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
    return lp_wire_field_error (error, LP_WIRE_ERROR_TYPE, path, name,
        "expected a string, got %s", node_kind (node));
  *out = json_node_get_string (node);
  n = strlen (*out);
  if (n > max_length) {
    *out = NULL;
    return lp_wire_field_error (error, LP_WIRE_ERROR_TOO_LARGE, path, name,
        "%" G_GSIZE_FORMAT " bytes, at most %" G_GSIZE_FORMAT " are allowed",
        n, max_length);
  }
  return TRUE;
}

/* A JSON integer within [@min, @max]; *out untouched when absent. */
gboolean
lp_wire_read_int (JsonObject * obj, const gchar * path, const gchar * name,
    gboolean required, gint64 min, gint64 max, gint64 * out, GError ** error)
{
  JsonNode *node;
  gint64 v;

  if (!get_member (obj, path, name, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!holds (node, G_TYPE_INT64))
    return lp_wire_field_error (error, LP_WIRE_ERROR_TYPE, path, name,
        "expected an integer, got %s", node_kind (node));
  v = json_node_get_int (node);
  if (v < min || v > max)
    return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
        "%" G_GINT64_FORMAT " is out of range [%" G_GINT64_FORMAT ", %"
        G_GINT64_FORMAT "]", v, min, max);
  *out = v;
  return TRUE;
}

/* An unsigned 64-bit value: a JSON integer >= 0, or a decimal string (for
 * values above G_MAXINT64); *out untouched when absent. */
gboolean
lp_wire_read_uint64 (JsonObject * obj, const gchar * path, const gchar * name,
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
      return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path,
          name, "%" G_GINT64_FORMAT " is negative", i);
    *out = (guint64) i;
    return TRUE;
  }
  if (!holds (node, G_TYPE_STRING))
    return lp_wire_field_error (error, LP_WIRE_ERROR_TYPE, path, name,
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
  return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
      "not a decimal uint64");
}

gboolean
lp_wire_read_address (JsonObject * obj, const gchar * path, const gchar * name,
    gboolean required, LpAddress * out, GError ** error)
{
  const gchar *text;
  GError *inner = NULL;

  if (!lp_wire_read_string (obj, path, name, required, 64, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  if (!lp_address_parse (text, out, &inner)) {
    lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
        "not an address: %s", inner->message);
    g_error_free (inner);
    return FALSE;
  }
  return TRUE;
}

/* "0x" and exactly @length bytes of hex; *out untouched when absent. */
gboolean
lp_wire_read_hex (JsonObject * obj, const gchar * path, const gchar * name,
    gboolean required, guint8 * out, gsize length, GError ** error)
{
  const gchar *text;

  if (!lp_wire_read_string (obj, path, name, required, 2 * length + 2, &text,
          error)) {
    if (error != NULL && *error != NULL
        && (*error)->code == LP_WIRE_ERROR_TOO_LARGE) {
      g_clear_error (error);
      return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path,
          name, "expected \"0x\" and %" G_GSIZE_FORMAT " bytes of hex", length);
    }
    return FALSE;
  }
  if (text == NULL)
    return TRUE;
  if (text[0] != '0' || text[1] != 'x' || strlen (text + 2) != 2 * length
      || !lp_hex_decode (text + 2, out, length, NULL))
    return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
        "expected \"0x\" and %" G_GSIZE_FORMAT " bytes of hex", length);
  return TRUE;
}

gboolean
lp_wire_read_uint256 (JsonObject * obj, const gchar * path, const gchar * name,
    gboolean required, LpUint256 * out, GError ** error)
{
  const gchar *text, *c;

  if (!lp_wire_read_string (obj, path, name, required, 78, &text, error)) {
    if (error != NULL && *error != NULL
        && (*error)->code == LP_WIRE_ERROR_TOO_LARGE) {
      g_clear_error (error);
      return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path,
          name, "not a decimal uint256 (above 2^256 - 1)");
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
    return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
        "not a decimal uint256");
  if (!lp_uint256_parse (text, out, NULL))
    return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
        "not a decimal uint256 (above 2^256 - 1)");
  return TRUE;
}

/* "0x" and 0 to 32 bytes of hex (go-livepeer's minimal big-endian). */
gboolean
lp_wire_read_seed (JsonObject * obj, const gchar * path, const gchar * name,
    gboolean required, LpUint256 * out, GError ** error)
{
  const gchar *text;
  const guint8 *data;
  GBytes *bytes;
  gsize n;

  if (!lp_wire_read_string (obj, path, name, required, 66, &text, error)) {
    if (error != NULL && *error != NULL
        && (*error)->code == LP_WIRE_ERROR_TOO_LARGE) {
      g_clear_error (error);
      return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path,
          name, "expected \"0x\" and at most 32 bytes of hex");
    }
    return FALSE;
  }
  if (text == NULL)
    return TRUE;
  if (text[0] != '0' || text[1] != 'x'
      || (bytes = lp_hex_decode_bytes (text + 2, LP_UINT256_SIZE,
              NULL)) == NULL)
    return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, name,
        "expected \"0x\" and at most 32 bytes of hex");
  data = g_bytes_get_data (bytes, &n);
  lp_uint256_from_be (data, n, out, NULL);
  g_bytes_unref (bytes);
  return TRUE;
}

gboolean
lp_wire_read_object (JsonObject * obj, const gchar * path, const gchar * name,
    gboolean required, JsonObject ** out, GError ** error)
{
  JsonNode *node;

  *out = NULL;
  if (!get_member (obj, path, name, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return lp_wire_field_error (error, LP_WIRE_ERROR_TYPE, path, name,
        "expected an object, got %s", node_kind (node));
  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
lp_wire_read_array (JsonObject * obj, const gchar * path, const gchar * name,
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
    return lp_wire_field_error (error, LP_WIRE_ERROR_TYPE, path, name,
        "expected an array, got %s", node_kind (node));
  n = json_array_get_length (json_node_get_array (node));
  if (n > max)
    return lp_wire_field_error (error, LP_WIRE_ERROR_TOO_LARGE, path, name,
        "%u entries, at most %u are allowed", n, max);
  *out = json_node_get_array (node);
  return TRUE;
}

/* An array element that must be an object; path is "path.name[i]". */
JsonObject *
lp_wire_array_object (JsonArray * array, guint i, const gchar * path,
    const gchar * name, gchar ** element_path, GError ** error)
{
  JsonNode *node = json_array_get_element (array, i);
  gchar *base = lp_wire_sub_path (path, name);

  *element_path = g_strdup_printf ("%s[%u]", base, i);
  g_free (base);
  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    lp_wire_field_error (error, LP_WIRE_ERROR_TYPE, *element_path, NULL,
        "expected an object, got %s", node_kind (node));
    return NULL;
  }
  return json_node_get_object (node);
}

gboolean
lp_wire_read_capabilities (JsonObject * obj, const gchar * path, gchar ** out,
    GError ** error)
{
  JsonNode *node;

  *out = NULL;
  if (!get_member (obj, path, "capabilities", FALSE, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return lp_wire_field_error (error, LP_WIRE_ERROR_TYPE, path, "capabilities",
        "expected an object, got %s", node_kind (node));
  *out = json_to_string (node, FALSE);
  return TRUE;
}

/* A field go-livepeer defines that is accepted only at its default 0. */
gboolean
lp_wire_read_zero_only (JsonObject * obj, const gchar * path,
    const gchar * name, const gchar * meaning, GError ** error)
{
  gint64 v = 0;

  if (!lp_wire_read_int (obj, path, name, FALSE, G_MININT64, G_MAXINT64, &v,
          error))
    return FALSE;
  if (v != 0)
    return lp_wire_field_error (error, LP_WIRE_ERROR_UNSUPPORTED, path, name,
        "%" G_GINT64_FORMAT " is not supported (only 0, %s)", v, meaning);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* encoding helpers                                                         */
/* ------------------------------------------------------------------------ */

void
lp_wire_add_hex (JsonBuilder * b, const gchar * name, const guint8 * data,
    gsize n)
{
  gchar *hex = lp_hex_encode (data, n, TRUE);

  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, hex);
  g_free (hex);
}

void
lp_wire_add_address (JsonBuilder * b, const gchar * name,
    const LpAddress * address)
{
  gchar text[LP_ADDRESS_TEXT_SIZE];

  lp_address_format (address, text);
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, text);
}

void
lp_wire_add_int (JsonBuilder * b, const gchar * name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

/* A number when it fits int64, else a decimal string. */
void
lp_wire_add_uint64 (JsonBuilder * b, const gchar * name, guint64 value)
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

void
lp_wire_add_uint256 (JsonBuilder * b, const gchar * name,
    const LpUint256 * value)
{
  gchar *text = lp_uint256_to_string (value);

  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, text);
  g_free (text);
}

void
lp_wire_add_string (JsonBuilder * b, const gchar * name, const gchar * value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

void
lp_wire_add_capabilities (JsonBuilder * b, const gchar * text)
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

gchar *
lp_wire_builder_finish (JsonBuilder * b)
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

/* ------------------------------------------------------------------------ */
/* header form                                                              */
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
guint8 *
lp_wire_header_decode (const gchar * header, const gchar * name,
    gsize * out_length, GError ** error)
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

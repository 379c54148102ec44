/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:lpprofile
 * @title: LpProfile
 * @short_description: rungs of an adaptive-bitrate ladder
 *
 * Parses the ways users name renditions: Livepeer preset names
 * (`P720p30fps16x9`), custom entries (`name:WIDTHxHEIGHT[@FPS]:BITRATE`) and
 * go-livepeer's JSON transcoding options; writes the last two back
 * (lp_profile_to_string(), lp_profile_list_to_json()); and computes the
 * geometry a rendition gets for a given source (fit inside the box, keep
 * the aspect ratio, even sides).
 *
 * Everything here is pure computation and safe to call from any thread.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpprofile.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <errno.h>

/* Livepeer's default presets (LPMS videoprofile.go): box, bitrate and fps.
 * Facts, not code: the numbers are the network's published ladder. */
static const LpProfile presets[] = {
  {(gchar *) "P720p60fps16x9", 1280, 720, 6000000, 60, 1, 0, 0},
  {(gchar *) "P720p30fps16x9", 1280, 720, 4000000, 30, 1, 0, 0},
  {(gchar *) "P720p25fps16x9", 1280, 720, 3500000, 25, 1, 0, 0},
  {(gchar *) "P720p30fps4x3", 960, 720, 3500000, 30, 1, 0, 0},
  {(gchar *) "P576p30fps16x9", 1024, 576, 1500000, 30, 1, 0, 0},
  {(gchar *) "P576p25fps16x9", 1024, 576, 1500000, 25, 1, 0, 0},
  {(gchar *) "P360p30fps16x9", 640, 360, 1200000, 30, 1, 0, 0},
  {(gchar *) "P360p25fps16x9", 640, 360, 1000000, 25, 1, 0, 0},
  {(gchar *) "P360p30fps4x3", 480, 360, 1000000, 30, 1, 0, 0},
  {(gchar *) "P240p30fps16x9", 426, 240, 600000, 30, 1, 0, 0},
  {(gchar *) "P240p25fps16x9", 426, 240, 600000, 25, 1, 0, 0},
  {(gchar *) "P240p30fps4x3", 320, 240, 600000, 30, 1, 0, 0},
  {(gchar *) "P144p30fps16x9", 256, 144, 400000, 30, 1, 0, 0},
  {(gchar *) "P144p25fps16x9", 256, 144, 400000, 25, 1, 0, 0},
};

/* A profile list spec larger than this is refused before parsing. */
#define MAX_SPEC_LENGTH (64 * 1024)
#define MAX_PROFILES 32

G_DEFINE_QUARK (lp-profile-error-quark, lp_profile_error);
G_DEFINE_BOXED_TYPE (LpProfile, lp_profile, lp_profile_copy, lp_profile_free);

/**
 * lp_profile_new:
 * @name: the rendition's name (copied)
 * @width: width in pixels
 * @height: height in pixels
 * @bitrate: bit/s
 * @fps_num: frame rate numerator, 0 for the source's rate
 * @fps_den: frame rate denominator; 0 reads as 1
 * @h264_profile: the H.264 profile to ask the encoder for
 * @gop_ms: keyframe interval in milliseconds, %LP_PROFILE_GOP_DEFAULT or
 *     %LP_PROFILE_GOP_INTRA
 *
 * Builds a profile from values its caller has already checked (both the
 * JSON profile list and the wire's VideoProfile end here).
 *
 * Returns: (transfer full): a new profile; free with lp_profile_free()
 */
LpProfile *
lp_profile_new (const gchar * name, guint width, guint height, guint bitrate,
    guint fps_num, guint fps_den, LpH264Profile h264_profile, gint gop_ms)
{
  LpProfile *profile;

  g_return_val_if_fail (name != NULL, NULL);

  profile = g_new (LpProfile, 1);
  profile->name = g_strdup (name);
  profile->width = width;
  profile->height = height;
  profile->bitrate = bitrate;
  profile->fps_num = fps_num;
  profile->fps_den = fps_den > 0 ? fps_den : 1;
  profile->h264_profile = h264_profile;
  profile->gop_ms = gop_ms;
  return profile;
}

/**
 * lp_profile_copy:
 * @profile: (transfer none): a profile
 *
 * Returns: (transfer full): a deep copy of @profile
 */
LpProfile *
lp_profile_copy (const LpProfile * profile)
{
  LpProfile *copy;

  g_return_val_if_fail (profile != NULL, NULL);

  copy = g_new (LpProfile, 1);
  *copy = *profile;
  copy->name = g_strdup (profile->name);
  return copy;
}

/**
 * lp_profile_free:
 * @profile: (transfer full) (nullable): a profile
 */
void
lp_profile_free (LpProfile * profile)
{
  if (profile == NULL)
    return;
  g_free (profile->name);
  g_free (profile);
}

/**
 * lp_profile_get_preset:
 * @name: a preset name such as `P720p30fps16x9`
 *
 * Returns: (transfer none) (nullable): the preset, or %NULL when @name is not
 *     one of Livepeer's presets. MT safe.
 */
const LpProfile *
lp_profile_get_preset (const gchar * name)
{
  guint i;

  g_return_val_if_fail (name != NULL, NULL);

  for (i = 0; i < G_N_ELEMENTS (presets); i++) {
    if (g_str_equal (presets[i].name, name))
      return &presets[i];
  }
  return NULL;
}

/**
 * lp_profile_get_preset_names:
 *
 * Returns: (transfer none): the %NULL-terminated list of preset names, in
 *     the order of the preset table (largest first). MT safe.
 */
const gchar *const *
lp_profile_get_preset_names (void)
{
  static gsize init = 0;
  static const gchar *names[G_N_ELEMENTS (presets) + 1];

  if (g_once_init_enter (&init)) {
    guint i;
    for (i = 0; i < G_N_ELEMENTS (presets); i++)
      names[i] = presets[i].name;
    names[i] = NULL;
    g_once_init_leave (&init, 1);
  }
  return names;
}

/**
 * lp_profile_name_is_valid:
 * @name: a rendition name
 *
 * Names become pad-visible strings, file and directory names of HLS
 * renditions, and signed bytes (docs/design/protocol.md §2), so every module holds them to
 * one portable rule: 1 to %LP_PROFILE_MAX_NAME_LENGTH characters of
 * `A-Z a-z 0-9 _ - .`, and neither `.` nor `..`. MT safe.
 *
 * Returns: whether @name follows it
 */
gboolean
lp_profile_name_is_valid (const gchar * name)
{
  const gchar *c;

  g_return_val_if_fail (name != NULL, FALSE);

  if (*name == '\0' || strlen (name) > LP_PROFILE_MAX_NAME_LENGTH)
    return FALSE;
  for (c = name; *c; c++) {
    if (!g_ascii_isalnum (*c) && *c != '_' && *c != '-' && *c != '.')
      return FALSE;
  }
  return !g_str_equal (name, ".") && !g_str_equal (name, "..");
}

static gboolean
parse_uint (const gchar * text, guint64 max, guint64 * out)
{
  gchar *end = NULL;
  guint64 value;

  if (!g_ascii_isdigit (*text))
    return FALSE;
  errno = 0;
  value = g_ascii_strtoull (text, &end, 10);
  if (errno != 0 || *end != '\0' || value > max)
    return FALSE;
  *out = value;
  return TRUE;
}

/* "3000k", "3M", "3000000": bit/s */
static gboolean
parse_bitrate (const gchar * text, guint * bitrate)
{
  g_autofree gchar *digits = g_strdup (text);
  gsize len = strlen (digits);
  guint64 multiplier = 1, value;

  if (len == 0)
    return FALSE;
  switch (digits[len - 1]) {
    case 'k':
    case 'K':
      multiplier = 1000;
      break;
    case 'm':
    case 'M':
      multiplier = 1000000;
      break;
    default:
      break;
  }
  if (multiplier != 1)
    digits[len - 1] = '\0';
  if (!parse_uint (digits, LP_PROFILE_MAX_BITRATE, &value))
    return FALSE;
  value *= multiplier;
  if (value == 0 || value > LP_PROFILE_MAX_BITRATE)
    return FALSE;
  *bitrate = (guint) value;
  return TRUE;
}

/* "30" or "30000/1001" */
static gboolean
parse_fps (const gchar * text, guint * num, guint * den)
{
  g_auto (GStrv) parts = g_strsplit (text, "/", 2);
  guint64 n, d = 1;

  if (!parse_uint (parts[0], G_MAXUINT16 * 1000ULL, &n))
    return FALSE;
  if (parts[1] != NULL && !parse_uint (parts[1], G_MAXUINT16, &d))
    return FALSE;
  if (n == 0 || d == 0 || n > (guint64) LP_PROFILE_MAX_FPS * d)
    return FALSE;
  *num = (guint) n;
  *den = (guint) d;
  return TRUE;
}

/* "1280x720" */
static gboolean
parse_size (const gchar * text, guint * width, guint * height)
{
  g_auto (GStrv) parts = g_strsplit (text, "x", 2);
  guint64 w, h;

  if (parts[0] == NULL || parts[1] == NULL)
    return FALSE;
  if (!parse_uint (parts[0], LP_PROFILE_MAX_DIMENSION, &w)
      || !parse_uint (parts[1], LP_PROFILE_MAX_DIMENSION, &h))
    return FALSE;
  if (w < 2 || h < 2)
    return FALSE;
  *width = (guint) w;
  *height = (guint) h;
  return TRUE;
}

/* name:WIDTHxHEIGHT[@FPS]:BITRATE */
static LpProfile *
parse_custom_entry (const gchar * entry, GError ** error)
{
  g_auto (GStrv) fields = g_strsplit (entry, ":", -1);
  g_auto (GStrv) geometry = NULL;
  LpProfile profile = { 0, };

  if (g_strv_length (fields) != 3)
    goto syntax;

  if (!lp_profile_name_is_valid (fields[0])) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_INVALID_VALUE,
        "profile '%s': the name must be 1-%d characters of A-Z a-z 0-9 _ - .",
        entry, LP_PROFILE_MAX_NAME_LENGTH);
    return NULL;
  }

  geometry = g_strsplit (fields[1], "@", 2);
  if (!parse_size (geometry[0], &profile.width, &profile.height)) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_INVALID_VALUE,
        "profile '%s': size '%s' is not WIDTHxHEIGHT with both sides "
        "between 2 and %d", entry, geometry[0], LP_PROFILE_MAX_DIMENSION);
    return NULL;
  }
  profile.fps_den = 1;
  if (geometry[1] != NULL
      && !parse_fps (geometry[1], &profile.fps_num, &profile.fps_den)) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_INVALID_VALUE,
        "profile '%s': frame rate '%s' is not N or N/D between 1 and %d",
        entry, geometry[1], LP_PROFILE_MAX_FPS);
    return NULL;
  }
  if (!parse_bitrate (fields[2], &profile.bitrate)) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_INVALID_VALUE,
        "profile '%s': bitrate '%s' is not a positive number of bit/s "
        "(suffix k or M allowed, e.g. 3000k)", entry, fields[2]);
    return NULL;
  }

  profile.name = fields[0];
  return lp_profile_copy (&profile);

syntax:
  g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_SYNTAX,
      "profile '%s' is neither a preset name nor NAME:WIDTHxHEIGHT[@FPS]:BITRATE",
      entry);
  return NULL;
}

static LpProfile *
parse_entry (const gchar * entry, GError ** error)
{
  const LpProfile *preset;

  if (strchr (entry, ':') != NULL)
    return parse_custom_entry (entry, error);

  preset = lp_profile_get_preset (entry);
  if (preset == NULL) {
    g_autofree gchar *known =
        g_strjoinv (", ", (gchar **) lp_profile_get_preset_names ());
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_UNKNOWN_PRESET,
        "profile '%s' is not a Livepeer preset (known: %s) nor a custom "
        "entry NAME:WIDTHxHEIGHT[@FPS]:BITRATE", entry, known);
    return NULL;
  }
  return lp_profile_copy (preset);
}

static gboolean
add_unique (GPtrArray * list, LpProfile * profile, GError ** error)
{
  guint i;

  for (i = 0; i < list->len; i++) {
    const LpProfile *other = g_ptr_array_index (list, i);
    if (g_str_equal (other->name, profile->name)) {
      g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_DUPLICATE,
          "profile name '%s' appears twice; rendition names must be unique",
          profile->name);
      lp_profile_free (profile);
      return FALSE;
    }
  }
  if (list->len >= MAX_PROFILES) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_INVALID_VALUE,
        "more than %d profiles", MAX_PROFILES);
    lp_profile_free (profile);
    return FALSE;
  }
  g_ptr_array_add (list, profile);
  return TRUE;
}

/**
 * lp_profile_list_parse:
 * @spec: a comma-separated list of preset names and custom entries
 *     `name:WIDTHxHEIGHT[@FPS]:BITRATE` (FPS `N` or `N/D`, omitted = keep
 *     the source rate; BITRATE in bit/s with an optional `k` or `M` suffix)
 * @error: return location for a #GError naming the bad entry
 *
 * Returns: (transfer full) (element-type LpProfile): the profiles in order,
 *     or %NULL on error. MT safe.
 */
GPtrArray *
lp_profile_list_parse (const gchar * spec, GError ** error)
{
  g_autoptr (GPtrArray) list = NULL;
  g_auto (GStrv) entries = NULL;
  guint i;

  g_return_val_if_fail (spec != NULL, NULL);

  if (strlen (spec) > MAX_SPEC_LENGTH) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_INVALID_VALUE,
        "profile list longer than %d bytes", MAX_SPEC_LENGTH);
    return NULL;
  }

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_profile_free);
  entries = g_strsplit (spec, ",", -1);
  for (i = 0; entries[i] != NULL; i++) {
    gchar *entry = g_strstrip (entries[i]);
    LpProfile *profile;

    if (*entry == '\0') {
      if (entries[1] == NULL)
        break;                  /* the whole list is empty: reported below */
      g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_SYNTAX,
          "profile list '%s' has an empty entry", spec);
      return NULL;
    }
    profile = parse_entry (entry, error);
    if (profile == NULL || !add_unique (list, profile, error))
      return NULL;
  }

  if (list->len == 0) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_EMPTY,
        "the profile list is empty");
    return NULL;
  }
  return g_steal_pointer (&list);
}

/* gop: "2.5" (seconds), "intra", or a JSON number of seconds */
static gboolean
json_read_gop (JsonNode * node, gint * gop_ms)
{
  gdouble seconds;

  if (JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING) {
    const gchar *text = json_node_get_string (node);
    gchar *end = NULL;

    if (g_ascii_strcasecmp (text, "intra") == 0) {
      *gop_ms = LP_PROFILE_GOP_INTRA;
      return TRUE;
    }
    if (*text == '\0') {
      *gop_ms = LP_PROFILE_GOP_DEFAULT;
      return TRUE;
    }
    seconds = g_ascii_strtod (text, &end);
    if (end == text || (*end != '\0' && !g_str_equal (end, "s")))
      return FALSE;
  } else if (JSON_NODE_HOLDS_VALUE (node)) {
    seconds = json_node_get_double (node);
  } else {
    return FALSE;
  }
  if (!(seconds >= 0.0 && seconds <= 3600.0))
    return FALSE;
  *gop_ms = (gint) (seconds * 1000.0 + 0.5);
  return TRUE;
}

static gboolean
json_read_h264_profile (const gchar * text, LpH264Profile * profile)
{
  static const struct
  {
    const gchar *name;
    LpH264Profile value;
  } names[] = {
    {"", LP_H264_PROFILE_DEFAULT}, {"None", LP_H264_PROFILE_DEFAULT},
    {"H264Baseline", LP_H264_PROFILE_BASELINE},
    {"H264Main", LP_H264_PROFILE_MAIN},
    {"H264High", LP_H264_PROFILE_HIGH},
    {"H264ConstrainedHigh", LP_H264_PROFILE_CONSTRAINED_HIGH},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    if (g_ascii_strcasecmp (names[i].name, text) == 0) {
      *profile = names[i].value;
      return TRUE;
    }
  }
  return FALSE;
}

static gboolean
json_read_int (JsonObject * obj, const gchar * member, gint64 min, gint64 max,
    gint64 fallback, gint64 * out)
{
  JsonNode *node = json_object_get_member (obj, member);
  gint64 value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node)) {
    *out = fallback;
    return fallback >= min;
  }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node)) {
    case G_TYPE_INT64:
      value = json_node_get_int (node);
      break;
    case G_TYPE_STRING:{
      /* go-livepeer accepts numbers sent as strings in webhooks */
      guint64 u;
      if (!parse_uint (json_node_get_string (node), G_MAXINT64, &u))
        return FALSE;
      value = (gint64) u;
      break;
    }
    default:
      return FALSE;
  }
  if (value < min || value > max)
    return FALSE;
  *out = value;
  return TRUE;
}

static LpProfile *
json_read_profile (JsonObject * obj, guint index, GError ** error)
{
  LpProfile profile = { 0, };
  g_autofree gchar *generated_name = NULL;
  const gchar *name = json_object_get_string_member_with_default (obj, "name",
      "");
  const gchar *text;
  gint64 width, height, bitrate, fps, fps_den, quality;
  JsonNode *gop;

  if (!json_read_int (obj, "width", 2, LP_PROFILE_MAX_DIMENSION, -1, &width)
      || !json_read_int (obj, "height", 2, LP_PROFILE_MAX_DIMENSION, -1,
          &height)) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_INVALID_VALUE,
        "JSON profile %u ('%s'): width and height are required, 2-%d",
        index, name, LP_PROFILE_MAX_DIMENSION);
    return NULL;
  }
  if (!json_read_int (obj, "bitrate", 1, LP_PROFILE_MAX_BITRATE, -1, &bitrate)) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_INVALID_VALUE,
        "JSON profile %u ('%s'): bitrate (bit/s) is required and positive",
        index, name);
    return NULL;
  }
  if (!json_read_int (obj, "fps", 0, G_MAXUINT16 * 1000LL, 0, &fps)
      || !json_read_int (obj, "fpsDen", 0, G_MAXUINT16, 0, &fps_den)
      || (fps > 0 && fps > LP_PROFILE_MAX_FPS * MAX (fps_den, 1))) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_INVALID_VALUE,
        "JSON profile %u ('%s'): fps/fpsDen out of range (0 keeps the source "
        "rate, at most %d fps)", index, name, LP_PROFILE_MAX_FPS);
    return NULL;
  }
  if (!json_read_int (obj, "quality", 0, 0, 0, &quality)) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_INVALID_VALUE,
        "JSON profile %u ('%s'): constant-quality encoding ('quality') is "
        "not supported; give a bitrate", index, name);
    return NULL;
  }
  text = json_object_get_string_member_with_default (obj, "encoder", "H.264");
  if (g_ascii_strcasecmp (text, "H.264") != 0
      && g_ascii_strcasecmp (text, "H264") != 0 && *text != '\0') {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_INVALID_VALUE,
        "JSON profile %u ('%s'): encoder '%s' is not supported; only H.264",
        index, name, text);
    return NULL;
  }
  text = json_object_get_string_member_with_default (obj, "profile", "");
  if (!json_read_h264_profile (text, &profile.h264_profile)) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_INVALID_VALUE,
        "JSON profile %u ('%s'): profile '%s' is not one of H264Baseline, "
        "H264Main, H264High, H264ConstrainedHigh, None", index, name, text);
    return NULL;
  }
  gop = json_object_get_member (obj, "gop");
  if (gop != NULL && !json_read_gop (gop, &profile.gop_ms)) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_INVALID_VALUE,
        "JSON profile %u ('%s'): gop must be seconds (\"2.0\") or \"intra\"",
        index, name);
    return NULL;
  }

  if (*name == '\0') {
    /* Names are signed, so every rendition needs one: go-livepeer's rule */
    generated_name = g_strdup_printf ("custom_%" G_GINT64_FORMAT "x%"
        G_GINT64_FORMAT "_%" G_GINT64_FORMAT, width, height, bitrate);
    name = generated_name;
  }
  if (!lp_profile_name_is_valid (name)) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_INVALID_VALUE,
        "JSON profile %u: name '%s' must be 1-%d characters of "
        "A-Z a-z 0-9 _ - .", index, name, LP_PROFILE_MAX_NAME_LENGTH);
    return NULL;
  }

  return lp_profile_new (name, (guint) width, (guint) height, (guint) bitrate,
      (guint) fps, (guint) fps_den, profile.h264_profile, profile.gop_ms);
}

/**
 * lp_profile_list_from_json:
 * @data: JSON text: an array of profiles in go-livepeer's transcoding-options
 *     format (`name`, `width`, `height`, `bitrate` in bit/s, `fps`, `fpsDen`,
 *     `profile`, `gop`), or an object with such an array as `profiles`
 * @length: length of @data, or -1 if NUL-terminated
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type LpProfile): the profiles, or %NULL
 *     on error. MT safe.
 */
GPtrArray *
lp_profile_list_from_json (const gchar * data, gssize length, GError ** error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) json_error = NULL;
  JsonNode *root;
  JsonArray *array = NULL;
  guint i;

  g_return_val_if_fail (data != NULL, NULL);

  if (length < 0)
    length = strlen (data);
  if (length > MAX_SPEC_LENGTH) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_INVALID_VALUE,
        "JSON profile list larger than %d bytes", MAX_SPEC_LENGTH);
    return NULL;
  }
  if (!json_parser_load_from_data (parser, data, length, &json_error)) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_JSON,
        "JSON profile list: %s", json_error->message);
    return NULL;
  }

  root = json_parser_get_root (parser);
  if (root == NULL) {
    /* json-glib accepts an empty document and gives no root */
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_JSON,
        "JSON profile list: the document is empty");
    return NULL;
  }
  if (JSON_NODE_HOLDS_ARRAY (root)) {
    array = json_node_get_array (root);
  } else if (JSON_NODE_HOLDS_OBJECT (root)) {
    JsonNode *member = json_object_get_member (json_node_get_object (root),
        "profiles");
    if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
      array = json_node_get_array (member);
  }
  if (array == NULL) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_JSON,
        "JSON profile list: expected an array of profiles (or an object with "
        "a 'profiles' array)");
    return NULL;
  }

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_profile_free);
  for (i = 0; i < json_array_get_length (array); i++) {
    JsonNode *element = json_array_get_element (array, i);
    LpProfile *profile;

    if (!JSON_NODE_HOLDS_OBJECT (element)) {
      g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_JSON,
          "JSON profile %u is not an object", i);
      return NULL;
    }
    profile = json_read_profile (json_node_get_object (element), i, error);
    if (profile == NULL || !add_unique (list, profile, error))
      return NULL;
  }
  if (list->len == 0) {
    g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_EMPTY,
        "the JSON profile list is empty");
    return NULL;
  }
  return g_steal_pointer (&list);
}

/**
 * lp_profile_list_load:
 * @spec: a comma list (see lp_profile_list_parse()), inline JSON starting
 *     with `[` or `{`, or the path of a JSON file ending in `.json`
 * @error: return location for a #GError
 *
 * The one entry point for user-supplied profile lists.
 *
 * Returns: (transfer full) (element-type LpProfile): the profiles, or %NULL
 *     on error.
 */
GPtrArray *
lp_profile_list_load (const gchar * spec, GError ** error)
{
  g_autofree gchar *trimmed = NULL;
  g_autofree gchar *contents = NULL;
  gsize length;

  g_return_val_if_fail (spec != NULL, NULL);

  trimmed = g_strstrip (g_strdup (spec));
  if (trimmed[0] == '[' || trimmed[0] == '{')
    return lp_profile_list_from_json (trimmed, -1, error);
  if (!g_str_has_suffix (trimmed, ".json"))
    return lp_profile_list_parse (trimmed, error);

  if (!g_file_get_contents (trimmed, &contents, &length, error)) {
    g_prefix_error (error, "profile file: ");
    return NULL;
  }
  return lp_profile_list_from_json (contents, length, error);
}

/**
 * lp_profile_to_string:
 * @profile: a profile
 *
 * Returns: (transfer full): the custom-entry form
 *     `name:WIDTHxHEIGHT[@FPS]:BITRATE` that lp_profile_list_parse() reads
 *     back (H.264 profile and GOP are not part of that form)
 */
gchar *
lp_profile_to_string (const LpProfile * profile)
{
  g_return_val_if_fail (profile != NULL, NULL);

  if (profile->fps_num == 0)
    return g_strdup_printf ("%s:%ux%u:%u", profile->name, profile->width,
        profile->height, profile->bitrate);
  if (profile->fps_den == 1)
    return g_strdup_printf ("%s:%ux%u@%u:%u", profile->name, profile->width,
        profile->height, profile->fps_num, profile->bitrate);
  return g_strdup_printf ("%s:%ux%u@%u/%u:%u", profile->name, profile->width,
      profile->height, profile->fps_num, profile->fps_den, profile->bitrate);
}

static const gchar *
h264_profile_json_name (LpH264Profile profile)
{
  switch (profile) {
    case LP_H264_PROFILE_BASELINE:
      return "H264Baseline";
    case LP_H264_PROFILE_MAIN:
      return "H264Main";
    case LP_H264_PROFILE_HIGH:
      return "H264High";
    case LP_H264_PROFILE_CONSTRAINED_HIGH:
      return "H264ConstrainedHigh";
    case LP_H264_PROFILE_DEFAULT:
    default:
      return "None";
  }
}

/**
 * lp_profile_list_to_json:
 * @profiles: (element-type LpProfile): profiles
 * @error: return location for a #GError: %LP_PROFILE_ERROR_INVALID_VALUE
 *     for a profile without a valid name
 *
 * The writer of lp_profile_list_from_json(): the profiles as go-livepeer's
 * transcoding-options JSON, the one form of lptranscodebin's `profiles`
 * that keeps every field (the custom-entry form of lp_profile_to_string()
 * has no H.264 profile or GOP). What it writes reads back as @profiles
 * (see lp_profile_equal()) as long as each value is within the reader's
 * bounds. Names need no escaping: lp_profile_name_is_valid() allows only
 * A-Z a-z 0-9 _ - . MT safe.
 *
 * Returns: (transfer full) (nullable): a JSON array, or %NULL on error
 */
gchar *
lp_profile_list_to_json (GPtrArray * profiles, GError ** error)
{
  GString *json = g_string_new ("[");
  guint i;

  for (i = 0; i < profiles->len; i++) {
    const LpProfile *p = g_ptr_array_index (profiles, i);

    if (p == NULL || !lp_profile_name_is_valid (p->name)) {
      g_set_error (error, LP_PROFILE_ERROR, LP_PROFILE_ERROR_INVALID_VALUE,
          "profile %u: name '%s' must be 1-%d characters of A-Z a-z 0-9 _ - .",
          i, p && p->name ? p->name : "", LP_PROFILE_MAX_NAME_LENGTH);
      g_string_free (json, TRUE);
      return NULL;
    }
    g_string_append_printf (json, "%s{\"name\":\"%s\",\"width\":%u,"
        "\"height\":%u,\"bitrate\":%u,\"profile\":\"%s\"", i ? "," : "",
        p->name, p->width, p->height, p->bitrate,
        h264_profile_json_name (p->h264_profile));
    /* no fps keeps the source rate */
    if (p->fps_num > 0)
      g_string_append_printf (json, ",\"fps\":%u,\"fpsDen\":%u", p->fps_num,
          MAX (p->fps_den, 1));
    /* no gop is the default GOP; seconds with millisecond precision is
     * exactly what lp_profile_list_from_json() reads back into gop_ms */
    if (p->gop_ms == LP_PROFILE_GOP_INTRA)
      g_string_append (json, ",\"gop\":\"intra\"");
    else if (p->gop_ms > 0)
      g_string_append_printf (json, ",\"gop\":\"%d.%03d\"", p->gop_ms / 1000,
          p->gop_ms % 1000);
    g_string_append_c (json, '}');
  }
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

/**
 * lp_profile_equal:
 * @a: a profile
 * @b: another
 *
 * Whether @a and @b describe the same rendition: every field alike, the
 * frame-rate denominator only when a frame rate is set (0 and 1 alike).
 * MT safe.
 *
 * Returns: %TRUE when they do
 */
gboolean
lp_profile_equal (const LpProfile * a, const LpProfile * b)
{
  return g_str_equal (a->name, b->name) && a->width == b->width
      && a->height == b->height && a->bitrate == b->bitrate
      && a->fps_num == b->fps_num
      && (a->fps_num == 0 || MAX (a->fps_den, 1) == MAX (b->fps_den, 1))
      && a->h264_profile == b->h264_profile && a->gop_ms == b->gop_ms;
}

/**
 * lp_h264_profile_to_caps_string:
 * @profile: an H.264 profile
 *
 * Returns: (nullable): the `profile` field value of `video/x-h264` caps for
 *     @profile, or %NULL for %LP_H264_PROFILE_DEFAULT
 */
const gchar *
lp_h264_profile_to_caps_string (LpH264Profile profile)
{
  switch (profile) {
    case LP_H264_PROFILE_BASELINE:
      return "constrained-baseline";
    case LP_H264_PROFILE_MAIN:
      return "main";
    case LP_H264_PROFILE_HIGH:
    case LP_H264_PROFILE_CONSTRAINED_HIGH:
      /* constrained-high is high without B-frames; the caller turns them off */
      return "high";
    case LP_H264_PROFILE_DEFAULT:
    default:
      return NULL;
  }
}

/* round (num / den) to the nearest even integer */
static guint64
round_to_even (guint64 num, guint64 den)
{
  return 2 * ((num + den) / (2 * den));
}

/**
 * lp_profile_fit:
 * @profile: the rendition
 * @src_width: source width in pixels
 * @src_height: source height in pixels
 * @par_n: source pixel-aspect-ratio numerator (0 or 1 for square pixels)
 * @par_d: source pixel-aspect-ratio denominator
 * @out_width: (out): rendition width
 * @out_height: (out): rendition height
 *
 * Livepeer's geometry: the rendition fits inside the profile's box and keeps
 * the source's display aspect ratio, with square pixels and both sides even.
 * The limiting side takes the box size; the other is rounded to the nearest
 * even number, never beyond the box. A 1280x720 box on a 4:3 source gives
 * 960x720; 426x240 on a 16:9 source gives 426x240. MT safe.
 */
void
lp_profile_fit (const LpProfile * profile, guint src_width, guint src_height,
    gint par_n, gint par_d, guint * out_width, guint * out_height)
{
  guint64 box_w, box_h, disp_w, disp_h, w, h;

  g_return_if_fail (profile != NULL && out_width != NULL && out_height != NULL);
  g_return_if_fail (src_width > 0 && src_height > 0);

  if (par_n <= 0 || par_d <= 0)
    par_n = par_d = 1;
  box_w = profile->width & ~1u;
  box_h = profile->height & ~1u;
  disp_w = (guint64) src_width * par_n;
  disp_h = (guint64) src_height * par_d;

  if (disp_w * box_h >= disp_h * box_w) {
    /* the source is at least as wide as the box: width limits */
    w = box_w;
    h = MIN (round_to_even (disp_h * box_w, disp_w), box_h);
  } else {
    h = box_h;
    w = MIN (round_to_even (disp_w * box_h, disp_h), box_w);
  }
  *out_width = (guint) MAX (w, 2);
  *out_height = (guint) MAX (h, 2);
}

/**
 * lp_profile_effective_gop_ms:
 * @profile: the rendition
 *
 * Returns: the keyframe interval in ms the rendition gets (the default
 *     resolved), or %LP_PROFILE_GOP_INTRA
 */
gint
lp_profile_effective_gop_ms (const LpProfile * profile)
{
  g_return_val_if_fail (profile != NULL, LP_PROFILE_DEFAULT_GOP_MS);

  if (profile->gop_ms == LP_PROFILE_GOP_DEFAULT)
    return LP_PROFILE_DEFAULT_GOP_MS;
  return profile->gop_ms;
}

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:lpcapability
 * @title: LpCapability
 * @short_description: jobs other than transcoding: their file, their
 *     advertisement and their units
 *
 * An orchestrator's capabilities file is a GKeyFile, one group per
 * capability, named after it:
 *
 * |[
 * [face-detection]
 * model-id=opencv-haar-frontalface
 * pipeline=videoconvert ! facedetect display=false
 * outputs=metadata
 * unit=frames
 * price-per-unit=2000
 * units-per-price=1
 * capacity=2
 * ]|
 *
 * - `model-id` (required): the model; a job must name the same one.
 * - `pipeline` (required): a GStreamer fragment (gst-launch syntax) that
 *   takes raw video. With video among its outputs it must give raw video.
 * - `outputs`: `metadata` (the default: the element messages its elements
 *   post, as JSON), `video` (its video, encoded to `output-profile`) or
 *   both, separated by `;` or `,`.
 * - `output-profile`: a Livepeer preset (fitted to the source) or a custom
 *   profile `name:WIDTHxHEIGHT[@FPS]:BITRATE`; default P720p30fps16x9.
 * - `unit`: `pixels` (input frames × width × height, the default, as
 *   go-livepeer bills its video pipelines), `frames` or `seconds` (billed
 *   in milliseconds, priced per second).
 * - `price-per-unit` (default 0: free) wei for every `units-per-price`
 *   (default 1) units.
 * - `capacity` (default 1): sessions of this capability at a time.
 * - `capability-id`: its id in go-livepeer's protobuf dialect, from
 *   %LP_CAPABILITY_ID_FIRST to %LP_CAPABILITY_ID_LAST (1024-1087). The
 *   shipped jobs have fixed ids (lp_capability_id_of_name()): face-detection
 *   1024, motion 1025, face-blur 1026, edges 1027; another name without
 *   this key cannot be asked for (lporchestrator warns at start). An id
 *   outside the range, another shipped job's id, or one two capabilities
 *   share is refused.
 *
 * It is advertised, and asked for, in go-livepeer's dialect: its id's bit
 * in Capabilities, its model in the per-capability constraints, its price
 * in `capabilities_prices` (docs/design/transport.md); the fragment stays
 * private.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "lpcapability-private.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (lp-capability-error-quark, lp_capability_error);

#define DEFAULT_OUTPUT_PROFILE "P720p30fps16x9"

static const gchar *const unit_names[] = { "pixels", "frames", "seconds" };

/* The shipped jobs (pipelines/capabilities.ini) and their ids, fixed so
 * that a gateway finds the same job under the same id on every
 * orchestrator. Only append: an id once given is never reused. */
static const struct
{
  const gchar *name;
  guint32 id;
} shipped_ids[] = {
  {"face-detection", LP_CAPABILITY_ID_FIRST},
  {"motion", LP_CAPABILITY_ID_FIRST + 1},
  {"face-blur", LP_CAPABILITY_ID_FIRST + 2},
  {"edges", LP_CAPABILITY_ID_FIRST + 3},
};

/**
 * lp_capability_id_of_name:
 * @name: a capability's name
 *
 * Returns: the fixed capability id of a shipped job (face-detection,
 *     motion, face-blur, edges), 0 for any other name
 */
guint32
lp_capability_id_of_name (const gchar * name)
{
  guint i;

  for (i = 0; name != NULL && i < G_N_ELEMENTS (shipped_ids); i++)
    if (strcmp (shipped_ids[i].name, name) == 0)
      return shipped_ids[i].id;
  return 0;
}

static const gchar *
shipped_name_of_id (guint32 id)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (shipped_ids); i++)
    if (shipped_ids[i].id == id)
      return shipped_ids[i].name;
  return NULL;
}

void
lp_capability_free (LpCapability * capability)
{
  if (capability == NULL)
    return;
  g_free (capability->name);
  g_free (capability->model_id);
  g_free (capability->pipeline);
  g_free (capability->output_profile);
  g_free (capability);
}

LpCapability *
lp_capability_copy (const LpCapability * capability)
{
  LpCapability *copy = g_memdup2 (capability, sizeof (*capability));

  copy->name = g_strdup (capability->name);
  copy->model_id = g_strdup (capability->model_id);
  copy->pipeline = g_strdup (capability->pipeline);
  copy->output_profile = g_strdup (capability->output_profile);
  return copy;
}

/**
 * lp_job_unit_to_string:
 * @unit: a unit
 *
 * Returns: its name in files and JSON: "pixels", "frames" or "seconds"
 */
const gchar *
lp_job_unit_to_string (LpJobUnit unit)
{
  g_return_val_if_fail (unit <= LP_JOB_UNIT_SECONDS, NULL);
  return unit_names[unit];
}

/**
 * lp_job_unit_from_string:
 * @text: a unit's name
 * @unit: (out): the unit
 *
 * Returns: whether @text names a unit
 */
gboolean
lp_job_unit_from_string (const gchar * text, LpJobUnit * unit)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (unit_names); i++)
    if (g_strcmp0 (text, unit_names[i]) == 0) {
      *unit = i;
      return TRUE;
    }
  return FALSE;
}

/**
 * lp_job_units:
 * @unit: what is billed
 * @frames: input frames
 * @width: input width
 * @height: input height
 * @duration: input duration
 *
 * Returns: the units a job on that input is billed: pixels, frames, or
 *     milliseconds (rounded up)
 */
guint64
lp_job_units (LpJobUnit unit, guint64 frames, guint width, guint height,
    GstClockTime duration)
{
  switch (unit) {
    case LP_JOB_UNIT_PIXELS:
      return frames * width * height;
    case LP_JOB_UNIT_FRAMES:
      return frames;
    case LP_JOB_UNIT_SECONDS:
      if (!GST_CLOCK_TIME_IS_VALID (duration))
        return 0;
      return (duration + GST_MSECOND - 1) / GST_MSECOND;
  }
  g_return_val_if_reached (0);
}

static gboolean
invalid (GError ** error, const gchar * group, const gchar * format, ...)
    G_GNUC_PRINTF (3, 4);

static gboolean
invalid (GError ** error, const gchar * group, const gchar * format, ...)
{
  va_list args;
  gchar *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, LP_CAPABILITY_ERROR, LP_CAPABILITY_ERROR_INVALID,
      "[%s]: %s", group, text);
  g_free (text);
  return FALSE;
}

static gboolean
name_is_valid (const gchar * name)
{
  const gchar *p;

  if (name == NULL || name[0] == '\0'
      || strlen (name) > LP_CAPABILITY_MAX_NAME_LENGTH)
    return FALSE;
  for (p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

/* A key that must be a whole number in [min, max]; @value keeps its
 * default when the key is absent */
static gboolean
read_number (GKeyFile * file, const gchar * group, const gchar * key,
    guint64 min, guint64 max, guint64 * value, GError ** error)
{
  g_autofree gchar *text = g_key_file_get_value (file, group, key, NULL);
  guint64 v;

  if (text == NULL)
    return TRUE;
  g_strstrip (text);
  if (!g_ascii_string_to_unsigned (text, 10, min, max, &v, NULL))
    return invalid (error, group, "%s: \"%s\" is not a whole number from %"
        G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT, key, text, min, max);
  *value = v;
  return TRUE;
}

static gboolean
read_outputs (GKeyFile * file, const gchar * group, LpJobOutputs * outputs,
    GError ** error)
{
  g_auto (GStrv) names = NULL;
  guint i;

  *outputs = LP_JOB_OUTPUT_METADATA;
  if (!g_key_file_has_key (file, group, "outputs", NULL))
    return TRUE;
  names = g_key_file_get_string_list (file, group, "outputs", NULL, NULL);
  *outputs = 0;
  for (i = 0; names != NULL && names[i] != NULL; i++) {
    gchar **parts = g_strsplit (names[i], ",", -1), **p;

    for (p = parts; *p; p++) {
      g_strstrip (*p);
      if (strcmp (*p, "video") == 0)
        *outputs |= LP_JOB_OUTPUT_VIDEO;
      else if (strcmp (*p, "metadata") == 0)
        *outputs |= LP_JOB_OUTPUT_METADATA;
      else if (**p != '\0') {
        invalid (error, group, "outputs: \"%s\" is neither video nor "
            "metadata", *p);
        g_strfreev (parts);
        return FALSE;
      }
    }
    g_strfreev (parts);
  }
  if (*outputs == 0)
    return invalid (error, group, "outputs: name video, metadata or both");
  return TRUE;
}

/* The id of @group in go-livepeer's dialect: its `capability-id`, else
 * its fixed one when it is a shipped job, else 0 (no broadcaster can ask for it).
 * go-livepeer's own ids (0 to 37 today, appended one by one) stay below
 * the range, and a shipped job's id stays its own. */
static gboolean
read_capability_id (GKeyFile * file, const gchar * group, guint32 * id,
    GError ** error)
{
  guint32 fixed = lp_capability_id_of_name (group);
  const gchar *owner;
  guint64 value;

  *id = fixed;
  if (!g_key_file_has_key (file, group, "capability-id", NULL))
    return TRUE;
  if (!read_number (file, group, "capability-id", LP_CAPABILITY_ID_FIRST,
          LP_CAPABILITY_ID_LAST, &value, error))
    return FALSE;
  owner = shipped_name_of_id (value);
  if (fixed != 0 && value != fixed) {
    invalid (error, group, "capability-id: %s is %u on every orchestrator, "
        "not %" G_GUINT64_FORMAT " (leave the key out)", group, fixed, value);
    return FALSE;
  }
  if (owner != NULL && fixed == 0) {
    invalid (error, group, "capability-id: %" G_GUINT64_FORMAT " is the "
        "shipped job %s's; take one from %u to %u", value, owner,
        LP_CAPABILITY_ID_FIRST + (guint) G_N_ELEMENTS (shipped_ids),
        LP_CAPABILITY_ID_LAST);
    return FALSE;
  }
  *id = value;
  return TRUE;
}

/* FALSE when @c's id is one an earlier capability of @list has */
static gboolean
check_id_unique (GPtrArray * list, const LpCapability * c, GError ** error)
{
  guint i;

  for (i = 0; c->id != 0 && i < list->len; i++) {
    const LpCapability *other = g_ptr_array_index (list, i);

    if (other->id == c->id) {
      invalid (error, c->name, "capability-id: %u is %s's already; each "
          "capability needs its own", c->id, other->name);
      return FALSE;
    }
  }
  return TRUE;
}

static LpCapability *
read_capability (GKeyFile * file, const gchar * group, GError ** error)
{
  g_autoptr (LpCapability) c = g_new0 (LpCapability, 1);
  g_autofree gchar *unit = NULL;
  static const gchar *const known[] = { "model-id", "pipeline", "outputs",
    "output-profile", "unit", "price-per-unit", "units-per-price",
    "capacity", "capability-id", NULL
  };
  g_auto (GStrv) keys = g_key_file_get_keys (file, group, NULL, NULL);
  guint64 price = 0, per = 1, capacity = 1;
  guint i;

  for (i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!g_strv_contains (known, keys[i])) {
      invalid (error, group, "unknown key \"%s\" (known: model-id, "
          "pipeline, outputs, output-profile, unit, price-per-unit, "
          "units-per-price, capacity, capability-id)", keys[i]);
      return NULL;
    }
  if (!name_is_valid (group)) {
    invalid (error, group, "a capability's name is 1 to %d letters, digits, "
        "'-', '_' or '.'", LP_CAPABILITY_MAX_NAME_LENGTH);
    return NULL;
  }
  c->name = g_strdup (group);
  c->model_id = g_key_file_get_string (file, group, "model-id", NULL);
  if (c->model_id != NULL)
    g_strstrip (c->model_id);
  if (!name_is_valid (c->model_id)) {
    invalid (error, group, "model-id: required, 1 to %d letters, digits, "
        "'-', '_' or '.'", LP_CAPABILITY_MAX_NAME_LENGTH);
    return NULL;
  }
  c->pipeline = g_key_file_get_string (file, group, "pipeline", NULL);
  if (c->pipeline == NULL || g_strstrip (c->pipeline)[0] == '\0') {
    invalid (error, group, "pipeline: required, a GStreamer fragment that "
        "takes raw video (gst-launch syntax)");
    return NULL;
  }
  if (!read_outputs (file, group, &c->outputs, error))
    return NULL;
  c->output_profile = g_key_file_get_string (file, group, "output-profile",
      NULL);
  if (c->output_profile == NULL)
    c->output_profile = g_strdup (DEFAULT_OUTPUT_PROFILE);
  g_strstrip (c->output_profile);
  unit = g_key_file_get_string (file, group, "unit", NULL);
  if (unit == NULL)
    c->unit = LP_JOB_UNIT_PIXELS;
  else if (!lp_job_unit_from_string (g_strstrip (unit), &c->unit)) {
    invalid (error, group, "unit: \"%s\" is not pixels, frames or seconds",
        unit);
    return NULL;
  }
  if (!read_number (file, group, "price-per-unit", 0, G_MAXINT64, &price,
          error)
      || !read_number (file, group, "units-per-price", 1, G_MAXINT64, &per,
          error)
      || !read_number (file, group, "capacity", 1, 1000, &capacity, error))
    return NULL;
  c->price.price_per_unit = price;
  /* billed in milliseconds, priced per second */
  if (c->unit == LP_JOB_UNIT_SECONDS && per > G_MAXINT64 / 1000) {
    invalid (error, group, "units-per-price: too large for seconds");
    return NULL;
  }
  c->price.pixels_per_unit = c->unit == LP_JOB_UNIT_SECONDS ? per * 1000 :
      per;
  c->capacity = capacity;
  if (!read_capability_id (file, group, &c->id, error))
    return NULL;
  return g_steal_pointer (&c);
}

/**
 * lp_capabilities_parse:
 * @data: a capabilities file's text
 * @length: its length, or -1 when NUL-terminated
 * @error: return location for a #GError naming the group and key
 *
 * Returns: (transfer full) (element-type LpCapability): the capabilities in
 *     the file's order, or %NULL on error. A file with no group is an
 *     error: an orchestrator offering nothing has no capabilities file.
 */
GPtrArray *
lp_capabilities_parse (const gchar * data, gssize length, GError ** error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GPtrArray) list = NULL;
  g_auto (GStrv) groups = NULL;
  GError *local = NULL;
  guint i;

  if (!g_key_file_load_from_data (file, data, length < 0 ? (gsize) - 1 :
          (gsize) length, G_KEY_FILE_NONE, &local)) {
    g_set_error (error, LP_CAPABILITY_ERROR, LP_CAPABILITY_ERROR_INVALID,
        "not a key file: %s", local->message);
    g_error_free (local);
    return NULL;
  }
  groups = g_key_file_get_groups (file, NULL);
  if (groups == NULL || groups[0] == NULL) {
    g_set_error (error, LP_CAPABILITY_ERROR, LP_CAPABILITY_ERROR_INVALID,
        "no capability: add a [NAME] group with model-id and pipeline");
    return NULL;
  }
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) lp_capability_free);
  for (i = 0; groups[i] != NULL; i++) {
    LpCapability *c;

    if (i >= LP_CAPABILITY_MAX_COUNT) {
      g_set_error (error, LP_CAPABILITY_ERROR, LP_CAPABILITY_ERROR_INVALID,
          "more than %d capabilities", LP_CAPABILITY_MAX_COUNT);
      return NULL;
    }
    c = read_capability (file, groups[i], error);
    if (c == NULL)
      return NULL;
    if (!check_id_unique (list, c, error)) {
      lp_capability_free (c);
      return NULL;
    }
    g_ptr_array_add (list, c);
  }
  return g_steal_pointer (&list);
}

/**
 * lp_capabilities_load:
 * @path: a capabilities file
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type LpCapability): as
 *     lp_capabilities_parse(), errors prefixed with @path
 */
GPtrArray *
lp_capabilities_load (const gchar * path, GError ** error)
{
  g_autofree gchar *data = NULL;
  GPtrArray *list;
  GError *local = NULL;
  gsize length;

  if (!g_file_get_contents (path, &data, &length, &local)) {
    g_set_error (error, LP_CAPABILITY_ERROR, LP_CAPABILITY_ERROR_INVALID,
        "%s", local->message);
    g_error_free (local);
    return NULL;
  }
  list = lp_capabilities_parse (data, length, &local);
  if (list == NULL) {
    g_set_error (error, LP_CAPABILITY_ERROR, local->code, "%s: %s", path,
        local->message);
    g_error_free (local);
  }
  return list;
}

/**
 * lp_capabilities_find:
 * @capabilities: (element-type LpCapability): what is offered
 * @name: the capability asked for
 * @model_id: the model asked for
 * @error: return location for a #GError: %LP_CAPABILITY_ERROR_UNKNOWN
 *     (listing what is offered) or %LP_CAPABILITY_ERROR_MODEL (naming the
 *     model offered)
 *
 * Returns: (transfer none) (nullable): the capability
 */
const LpCapability *
lp_capabilities_find (GPtrArray * capabilities, const gchar * name,
    const gchar * model_id, GError ** error)
{
  GString *offered = g_string_new (NULL);
  guint i;

  for (i = 0; capabilities != NULL && i < capabilities->len; i++) {
    const LpCapability *c = g_ptr_array_index (capabilities, i);

    if (g_strcmp0 (c->name, name) != 0) {
      g_string_append_printf (offered, "%s%s", offered->len ? ", " : "",
          c->name);
      continue;
    }
    g_string_free (offered, TRUE);
    if (g_strcmp0 (c->model_id, model_id) == 0)
      return c;
    g_set_error (error, LP_CAPABILITY_ERROR, LP_CAPABILITY_ERROR_MODEL,
        "capability %s runs model %s here, not %s", name, c->model_id,
        model_id ? model_id : "(none)");
    return NULL;
  }
  g_set_error (error, LP_CAPABILITY_ERROR, LP_CAPABILITY_ERROR_UNKNOWN,
      "capability %s is not offered here (offered: %s)", name ? name :
      "(none)", offered->len ? offered->str : "none");
  g_string_free (offered, TRUE);
  return NULL;
}

/**
 * lp_capabilities_find_id:
 * @capabilities: (element-type LpCapability): what is offered
 * @id: the capability id asked for (go-livepeer's protobuf dialect)
 * @model_id: (nullable): the model asked for; %NULL takes the one offered
 * @error: return location for a #GError: %LP_CAPABILITY_ERROR_UNKNOWN or
 *     %LP_CAPABILITY_ERROR_MODEL
 *
 * Returns: (transfer none) (nullable): the capability of that id
 */
const LpCapability *
lp_capabilities_find_id (GPtrArray * capabilities, guint32 id,
    const gchar * model_id, GError ** error)
{
  guint i;

  for (i = 0; id != 0 && capabilities != NULL && i < capabilities->len; i++) {
    const LpCapability *c = g_ptr_array_index (capabilities, i);

    if (c->id == id)
      return lp_capabilities_find (capabilities, c->name, model_id ? model_id
          : c->model_id, error);
  }
  g_set_error (error, LP_CAPABILITY_ERROR, LP_CAPABILITY_ERROR_UNKNOWN,
      "capability %u is not offered here", id);
  return NULL;
}

static JsonNode *value_to_json_node (const GValue * value);

/* JSON integers are signed 64-bit here; larger ones become decimal text */
static JsonNode *
unsigned_node (guint64 v)
{
  JsonNode *node;
  gchar *text;

  if (v <= G_MAXINT64)
    return json_node_init_int (json_node_alloc (), (gint64) v);
  text = g_strdup_printf ("%" G_GUINT64_FORMAT, v);
  node = json_node_init_string (json_node_alloc (), text);
  g_free (text);
  return node;
}

static gboolean
add_field (GQuark field, const GValue * value, gpointer user_data)
{
  JsonNode *node = value_to_json_node (value);

  if (node != NULL)
    json_object_set_member (user_data, g_quark_to_string (field), node);
  return TRUE;
}

static JsonNode *
value_to_json_node (const GValue * value)
{
  GType type = G_VALUE_TYPE (value);
  JsonNode *node;

  switch (G_TYPE_FUNDAMENTAL (type)) {
    case G_TYPE_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (),
          g_value_get_boolean (value));
    case G_TYPE_INT:
      return json_node_init_int (json_node_alloc (), g_value_get_int (value));
    case G_TYPE_UINT:
      return json_node_init_int (json_node_alloc (), g_value_get_uint (value));
    case G_TYPE_LONG:
      return json_node_init_int (json_node_alloc (), g_value_get_long (value));
    case G_TYPE_INT64:
      return json_node_init_int (json_node_alloc (),
          g_value_get_int64 (value));
    case G_TYPE_ULONG:
      return unsigned_node (g_value_get_ulong (value));
    case G_TYPE_UINT64:
      return unsigned_node (g_value_get_uint64 (value));
    case G_TYPE_FLOAT:
    case G_TYPE_DOUBLE:{
      gdouble v = G_VALUE_HOLDS_FLOAT (value) ? g_value_get_float (value) :
          g_value_get_double (value);

      if (!isfinite (v))
        return json_node_init_null (json_node_alloc ());
      return json_node_init_double (json_node_alloc (), v);
    }
    case G_TYPE_STRING:
      if (g_value_get_string (value) == NULL)
        return json_node_init_null (json_node_alloc ());
      return json_node_init_string (json_node_alloc (),
          g_value_get_string (value));
    case G_TYPE_ENUM:{
      /* a ref: no instance may have made the class yet */
      GEnumClass *klass = g_type_class_ref (type);
      GEnumValue *e = g_enum_get_value (klass, g_value_get_enum (value));

      node = e != NULL ? json_node_init_string (json_node_alloc (),
          e->value_nick) : json_node_init_int (json_node_alloc (),
          g_value_get_enum (value));
      g_type_class_unref (klass);
      return node;
    }
    default:
      break;
  }
  if (type == GST_TYPE_STRUCTURE) {
    const GstStructure *s = gst_value_get_structure (value);

    return s != NULL ? lp_structure_to_json_node (s) :
        json_node_init_null (json_node_alloc ());
  }
  if (type == GST_TYPE_LIST || type == GST_TYPE_ARRAY) {
    gboolean list = type == GST_TYPE_LIST;
    guint n = list ? gst_value_list_get_size (value) :
        gst_value_array_get_size (value), i;
    JsonArray *array = json_array_sized_new (n);

    for (i = 0; i < n; i++) {
      JsonNode *item = value_to_json_node (list ?
          gst_value_list_get_value (value, i) :
          gst_value_array_get_value (value, i));

      json_array_add_element (array, item != NULL ? item :
          json_node_init_null (json_node_alloc ()));
    }
    node = json_node_new (JSON_NODE_ARRAY);
    json_node_take_array (node, array);
    return node;
  }
  if (G_TYPE_IS_OBJECT (type) || type == GST_TYPE_BUFFER
      || type == GST_TYPE_SAMPLE || G_TYPE_FUNDAMENTAL (type) == G_TYPE_POINTER)
    return NULL;                /* no data a person reads */
  {
    gchar *text = gst_value_serialize (value);

    if (text == NULL)
      return NULL;
    node = json_node_init_string (json_node_alloc (), text);
    g_free (text);
    return node;
  }
}

/**
 * lp_structure_to_json_node:
 * @structure: a structure, such as an element message's
 *
 * Its fields as a JSON object: numbers, booleans and strings as such, an
 * enumeration as its nick, a nested structure as an object of its fields,
 * a list or an array as an array, any other value that serialises as its
 * GStreamer text (a fraction "30/1"); objects, buffers and pointers are
 * left out.
 *
 * Returns: (transfer full): the object
 */
JsonNode *
lp_structure_to_json_node (const GstStructure * structure)
{
  JsonObject *object = json_object_new ();

  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  gst_structure_foreach (structure, add_field, object);
  json_node_take_object (node, object);
  return node;
}

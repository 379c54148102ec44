/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gst-livepeer-doc-cache: describes our plugins in the format of upstream's
 * gst_plugins_cache.json, checks a committed cache against the build, and
 * lints what the cache describes.
 *
 * Debian ships neither hotdoc nor GStreamer's plugin scanner, so this tool
 * reads the same facts through the public GStreamer and GObject API. Only the
 * plugin files named on the command line are described, so the output does
 * not depend on what else is installed on the machine.
 *
 *   gst-livepeer-doc-cache [--output FILE] PLUGIN...
 *       writes the cache (to stdout without --output; FILE is only rewritten
 *       when its content changes)
 *   gst-livepeer-doc-cache --check FILE [--output FILE2] PLUGIN...
 *       exits 1 with a short diff when FILE differs from what the build
 *       describes, 77 (meson's "skipped") when only "package" and "url"
 *       differ, which packagers' -Dpackage-name/-Dpackage-origin change
 *   gst-livepeer-doc-cache --lint --source-root DIR PLUGIN...
 *       exits 1 when an element, property, signal or type lacks
 *       documentation, listing each problem
 *
 * The output follows upstream's caches field for field, with two
 * deliberate differences: unsigned maxima are printed as unsigned
 * ("4294967295" where upstream's scanner writes "-1"), and "%" is written
 * as is (upstream doubles it: "src_%%u").
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <json-glib/json-glib.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_DLADDR
#include <dlfcn.h>
#endif

/* Lines of each side shown when the committed cache differs. */
#define DIFF_MAX_LINES 40

typedef struct
{
  gchar *filename;              /* as given on the command line */
  gchar *canonical;             /* symlinks resolved, to match dladdr() */
  GstPlugin *plugin;
  GList *elements;              /* GstElementFactory, sorted by name */
  GList *tracers;               /* GstTracerFactory, sorted by name */
  GList *api_types;             /* GType of the types marked plugin API */
} DocPlugin;

typedef struct
{
  const gchar *source_root;
  GPtrArray *sources;           /* SourceFile, every .c/.h under gst/, ext/ */
  guint errors;
} Lint;

typedef struct
{
  gchar *path;
  gchar *contents;
} SourceFile;

/* ------------------------------------------------------------------------ */
/* Output: the layout Python's json.dump (indent=4, sort_keys=True,
 * ensure_ascii=False) writes, which is how upstream's caches look. A
 * reviewer's diff of a regenerated cache then only shows real changes. */

static void write_node (GString * out, JsonNode * node, guint depth);

static void
write_indent (GString * out, guint depth)
{
  guint i;

  for (i = 0; i < depth * 4; i++)
    g_string_append_c (out, ' ');
}

static void
write_string (GString * out, const gchar * str)
{
  const guchar *p;

  g_string_append_c (out, '"');
  for (p = (const guchar *) str; *p; p++) {
    switch (*p) {
      case '"':
        g_string_append (out, "\\\"");
        break;
      case '\\':
        g_string_append (out, "\\\\");
        break;
      case '\n':
        g_string_append (out, "\\n");
        break;
      case '\r':
        g_string_append (out, "\\r");
        break;
      case '\t':
        g_string_append (out, "\\t");
        break;
      case '\b':
        g_string_append (out, "\\b");
        break;
      case '\f':
        g_string_append (out, "\\f");
        break;
      default:
        if (*p < 0x20)
          g_string_append_printf (out, "\\u%04x", *p);
        else
          g_string_append_c (out, *p);
        break;
    }
  }
  g_string_append_c (out, '"');
}

static gint
compare_member_names (gconstpointer a, gconstpointer b)
{
  return strcmp (a, b);
}

static void
write_object (GString * out, JsonObject * object, guint depth)
{
  GList *members, *l;

  members = g_list_sort (json_object_get_members (object),
      compare_member_names);
  if (members == NULL) {
    g_string_append (out, "{}");
    return;
  }

  g_string_append (out, "{\n");
  for (l = members; l; l = l->next) {
    write_indent (out, depth + 1);
    write_string (out, l->data);
    g_string_append (out, ": ");
    write_node (out, json_object_get_member (object, l->data), depth + 1);
    g_string_append (out, l->next ? ",\n" : "\n");
  }
  write_indent (out, depth);
  g_string_append_c (out, '}');
  g_list_free (members);
}

static void
write_array (GString * out, JsonArray * array, guint depth)
{
  guint i, n = json_array_get_length (array);

  if (n == 0) {
    g_string_append (out, "[]");
    return;
  }

  g_string_append (out, "[\n");
  for (i = 0; i < n; i++) {
    write_indent (out, depth + 1);
    write_node (out, json_array_get_element (array, i), depth + 1);
    g_string_append (out, i + 1 < n ? ",\n" : "\n");
  }
  write_indent (out, depth);
  g_string_append_c (out, ']');
}

static void
write_node (GString * out, JsonNode * node, guint depth)
{
  switch (JSON_NODE_TYPE (node)) {
    case JSON_NODE_OBJECT:
      write_object (out, json_node_get_object (node), depth);
      break;
    case JSON_NODE_ARRAY:
      write_array (out, json_node_get_array (node), depth);
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node)) {
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" :
              "false");
          break;
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT,
              json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:{
          gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append (out, g_ascii_dtostr (buf, sizeof (buf),
                  json_node_get_double (node)));
          break;
        }
        default:
          write_string (out, json_node_get_string (node));
          break;
      }
      break;
  }
}

/* ------------------------------------------------------------------------ */
/* Values as upstream's caches print them */

static gchar *
enum_to_doc_string (GType type, gint value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);
  gchar *ret;

  /* upstream prints a value missing from the enum with an empty nick */
  ret = g_strdup_printf ("%s (%d)", v ? v->value_nick : "", value);
  g_type_class_unref (klass);
  return ret;
}

static gchar *
flags_to_doc_string (GType type, guint value)
{
  GFlagsClass *klass = g_type_class_ref (type);
  GString *s = g_string_new (NULL);
  guint i, rest = value;

  /* a value that is itself a named set ("none", "all") reads best by name */
  for (i = 0; i < klass->n_values; i++) {
    if (klass->values[i].value == value) {
      g_string_append (s, klass->values[i].value_nick);
      goto done;
    }
  }

  for (i = 0; i < klass->n_values && rest; i++) {
    guint bits = klass->values[i].value;

    if (bits != 0 && (bits & rest) == bits) {
      if (s->len)
        g_string_append_c (s, '+');
      g_string_append (s, klass->values[i].value_nick);
      rest &= ~bits;
    }
  }
  if (rest) {
    if (s->len)
      g_string_append_c (s, '+');
    g_string_append_printf (s, "0x%08x", rest);
  }
  if (s->len == 0)
    g_string_append (s, "(none)");

done:
  g_type_class_unref (klass);
  return g_string_free (s, FALSE);
}

static gchar *
double_to_doc_string (gdouble value)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* %g as upstream; g_ascii_formatd keeps it independent of the locale */
  return g_strdup (g_ascii_formatd (buf, sizeof (buf), "%g", value));
}

/* Returns NULL where upstream writes no default (objects, NULL boxeds). */
static gchar *
value_to_doc_string (const GValue * value)
{
  GType type = G_VALUE_TYPE (value);

  if (type == GST_TYPE_CAPS) {
    const GstCaps *caps = gst_value_get_caps (value);

    return caps ? gst_caps_to_string (caps) : NULL;
  }
  if (type == GST_TYPE_STRUCTURE) {
    const GstStructure *s = gst_value_get_structure (value);

    return s ? gst_structure_to_string (s) : NULL;
  }
  if (type == GST_TYPE_FRACTION)
    return g_strdup_printf ("%d/%d", gst_value_get_fraction_numerator (value),
        gst_value_get_fraction_denominator (value));

  switch (G_TYPE_FUNDAMENTAL (type)) {
    case G_TYPE_BOOLEAN:
      return g_strdup (g_value_get_boolean (value) ? "true" : "false");
    case G_TYPE_CHAR:
      return g_strdup_printf ("%d", g_value_get_schar (value));
    case G_TYPE_UCHAR:
      return g_strdup_printf ("%u", g_value_get_uchar (value));
    case G_TYPE_INT:
      return g_strdup_printf ("%d", g_value_get_int (value));
    case G_TYPE_UINT:
      return g_strdup_printf ("%u", g_value_get_uint (value));
    case G_TYPE_LONG:
      return g_strdup_printf ("%ld", g_value_get_long (value));
    case G_TYPE_ULONG:
      return g_strdup_printf ("%lu", g_value_get_ulong (value));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (value));
    case G_TYPE_UINT64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, g_value_get_uint64 (value));
    case G_TYPE_FLOAT:
      return double_to_doc_string (g_value_get_float (value));
    case G_TYPE_DOUBLE:
      return double_to_doc_string (g_value_get_double (value));
    case G_TYPE_STRING:
      return g_strdup (g_value_get_string (value) ?
          g_value_get_string (value) : "NULL");
    case G_TYPE_ENUM:
      return enum_to_doc_string (type, g_value_get_enum (value));
    case G_TYPE_FLAGS:
      return flags_to_doc_string (type, g_value_get_flags (value));
    case G_TYPE_BOXED:
      /* other boxed types GStreamer can serialise (GstDateTime, arrays) */
      if (g_value_get_boxed (value) == NULL)
        return NULL;
      return gst_value_serialize (value);
    default:
      return NULL;
  }
}

/* Pad template caps, one structure per line and one field per line, the
 * layout upstream's caches use so a caps change shows as a one-line diff. */
static gchar *
caps_to_doc_string (const GstCaps * caps)
{
  GString *s;
  guint i;

  if (gst_caps_is_any (caps))
    return g_strdup ("ANY");
  if (gst_caps_is_empty (caps))
    return g_strdup ("EMPTY");

  s = g_string_new (NULL);
  for (i = 0; i < gst_caps_get_size (caps); i++) {
    const GstStructure *st = gst_caps_get_structure (caps, i);
    GstCapsFeatures *features = gst_caps_get_features (caps, i);
    guint f, n = gst_structure_n_fields (st);

    g_string_append (s, gst_structure_get_name (st));
    if (features && (gst_caps_features_is_any (features) ||
            !gst_caps_features_is_equal (features,
                GST_CAPS_FEATURES_MEMORY_SYSTEM_MEMORY))) {
      gchar *str = gst_caps_features_to_string (features);

      g_string_append_printf (s, "(%s)", str);
      g_free (str);
    }
    g_string_append (s, ":\n");

    for (f = 0; f < n; f++) {
      const gchar *field = gst_structure_nth_field_name (st, f);
      gchar *str = gst_value_serialize (gst_structure_get_value (st, field));

      g_string_append_printf (s, "%15s: %s\n", field, str ? str : "");
      g_free (str);
    }
  }
  return g_string_free (s, FALSE);
}

static const gchar *
rank_to_doc_string (guint rank, gchar buf[16])
{
  switch (rank) {
    case GST_RANK_NONE:
      return "none";
    case GST_RANK_MARGINAL:
      return "marginal";
    case GST_RANK_SECONDARY:
      return "secondary";
    case GST_RANK_PRIMARY:
      return "primary";
    default:
      g_snprintf (buf, 16, "%u", rank);
      return buf;
  }
}

static const gchar *
mutable_to_doc_string (GParamFlags flags)
{
  if (flags & GST_PARAM_MUTABLE_PLAYING)
    return "playing";
  if (flags & GST_PARAM_MUTABLE_PAUSED)
    return "paused";
  if (flags & GST_PARAM_MUTABLE_READY)
    return "ready";
  return "null";
}

/* The plugin's file name as upstream records it: no directory, no "lib"
 * prefix, no suffix, so the cache is the same on every machine and OS. */
static gchar *
plugin_file_doc_name (const gchar * filename)
{
  gchar *base = g_path_get_basename (filename);
  gchar *dot = strchr (base, '.');
  gchar *ret;

  if (dot)
    *dot = '\0';
  ret = g_strdup (g_str_has_prefix (base, "lib") ? base + 3 : base);
  g_free (base);
  return ret;
}

/* Packagers put versions and distributions in the package string
 * ("gst-livepeer 0.1.0 (Debian)"); the cache keeps only the name. */
static gchar *
package_doc_name (const gchar * package)
{
  gchar *ret = g_strstrip (g_strdup (package ? package : ""));
  gboolean changed = TRUE;

  while (changed && *ret) {
    gsize len = strlen (ret);
    gchar *space = strrchr (ret, ' ');

    changed = FALSE;
    if (ret[len - 1] == ')') {
      gchar *open = strrchr (ret, '(');

      if (open && open > ret) {
        *open = '\0';
        changed = TRUE;
      }
    } else if (space && (g_ascii_isdigit (space[1]) ||
            g_str_equal (space + 1, "git") ||
            g_str_equal (space + 1, "prerelease"))) {
      *space = '\0';
      changed = TRUE;
    }
    g_strstrip (ret);
  }
  return ret;
}

/* ------------------------------------------------------------------------ */
/* Which plugin a type belongs to */

static gchar *
canonical_path (const gchar * path)
{
  char *real = realpath (path, NULL);
  gchar *ret = g_strdup (real ? real : path);

  free (real);
  return ret;
}

/* The file an address lies in, or NULL where that cannot be known. */
static gchar *
file_of_address (gconstpointer address)
{
#ifdef HAVE_DLADDR
  Dl_info info;

  if (address && dladdr (address, &info) && info.dli_fname)
    return canonical_path (info.dli_fname);
#endif
  return NULL;
}

/* An address of code or data the type's own module provided: the value
 * table of an enum or flags type, or a GObject vfunc the class overrides.
 * NULL when there is none to go by. */
static gconstpointer
type_defining_address (GType type)
{
  gconstpointer ret = NULL;

  if (G_TYPE_IS_ENUM (type)) {
    GEnumClass *klass = g_type_class_ref (type);

    ret = klass->values;
    g_type_class_unref (klass);
  } else if (G_TYPE_IS_FLAGS (type)) {
    GFlagsClass *klass = g_type_class_ref (type);

    ret = klass->values;
    g_type_class_unref (klass);
  } else if (G_TYPE_IS_OBJECT (type) && g_type_parent (type)) {
    GObjectClass *klass = g_type_class_ref (type);
    GObjectClass *parent = g_type_class_ref (g_type_parent (type));

    if (klass->set_property != parent->set_property)
      ret = (gconstpointer) klass->set_property;
    else if (klass->get_property != parent->get_property)
      ret = (gconstpointer) klass->get_property;
    else if (klass->finalize != parent->finalize)
      ret = (gconstpointer) klass->finalize;
    else if (klass->dispose != parent->dispose)
      ret = (gconstpointer) klass->dispose;
    else if (klass->constructed != parent->constructed)
      ret = (gconstpointer) klass->constructed;
    g_type_class_unref (parent);
    g_type_class_unref (klass);
  }
  return ret;
}

/* -1: cannot tell, 0: no, 1: the type is defined in the plugin file */
static gint
type_is_defined_in (GType type, const gchar * canonical)
{
  gchar *file = file_of_address (type_defining_address (type));
  gint ret = -1;

  if (file)
    ret = g_str_equal (file, canonical);
  g_free (file);
  return ret;
}

static void
collect_plugin_api_types (GType type, GHashTable * set)
{
  GType *children;
  guint i, n;

  if (gst_type_is_plugin_api (type, NULL))
    g_hash_table_add (set, GSIZE_TO_POINTER (type));

  children = g_type_children (type, &n);
  for (i = 0; i < n; i++)
    collect_plugin_api_types (children[i], set);
  g_free (children);
}

/* GObject cannot list its types directly, so walk every type tree. */
static GHashTable *
all_plugin_api_types (void)
{
  GHashTable *set = g_hash_table_new (NULL, NULL);
  guint i;

  for (i = 1; i <= G_TYPE_FUNDAMENTAL_MAX >> G_TYPE_FUNDAMENTAL_SHIFT; i++) {
    GType type = G_TYPE_MAKE_FUNDAMENTAL (i);

    if (g_type_name (type))
      collect_plugin_api_types (type, set);
  }
  return set;
}

static gint
compare_types_by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (g_type_name (GPOINTER_TO_SIZE (a)),
      g_type_name (GPOINTER_TO_SIZE (b)));
}

/* Types are marked in class_init, which for elements runs when the plugin
 * registers them. A type marked while this plugin loaded is its own unless
 * its code is found in another file (a base class of a library marking its
 * own enum on first use). */
static GList *
plugin_api_types_of (DocPlugin * dp, GHashTable * before, GHashTable * taken)
{
  GHashTable *after = all_plugin_api_types ();
  GHashTableIter iter;
  gpointer key;
  GList *ret = NULL;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, NULL)) {
    GType type = GPOINTER_TO_SIZE (key);
    gint defined_here;

    if (g_hash_table_contains (taken, key))
      continue;
    defined_here = type_is_defined_in (type, dp->canonical);
    if (defined_here == 1 || (defined_here == -1 &&
            !g_hash_table_contains (before, key))) {
      ret = g_list_prepend (ret, key);
      g_hash_table_add (taken, key);
    }
  }
  g_hash_table_unref (after);
  return g_list_sort (ret, compare_types_by_name);
}

/* ------------------------------------------------------------------------ */
/* Description */

static JsonArray *
hierarchy_of (GType type)
{
  JsonArray *array = json_array_new ();

  for (; type; type = g_type_parent (type))
    json_array_add_string_element (array, g_type_name (type));
  return array;
}

static JsonArray *
interfaces_of (GType type)
{
  guint i, n;
  GType *ifaces = g_type_interfaces (type, &n);
  JsonArray *array = NULL;

  if (n > 0) {
    array = json_array_new ();
    for (i = 0; i < n; i++)
      json_array_add_string_element (array, g_type_name (ifaces[i]));
  }
  g_free (ifaces);
  return array;
}

static void
set_range (JsonObject * obj, GParamSpec * pspec)
{
  gchar *min = NULL, *max = NULL;

  if (G_IS_PARAM_SPEC_CHAR (pspec)) {
    min = g_strdup_printf ("%d", G_PARAM_SPEC_CHAR (pspec)->minimum);
    max = g_strdup_printf ("%d", G_PARAM_SPEC_CHAR (pspec)->maximum);
  } else if (G_IS_PARAM_SPEC_UCHAR (pspec)) {
    min = g_strdup_printf ("%u", G_PARAM_SPEC_UCHAR (pspec)->minimum);
    max = g_strdup_printf ("%u", G_PARAM_SPEC_UCHAR (pspec)->maximum);
  } else if (G_IS_PARAM_SPEC_INT (pspec)) {
    min = g_strdup_printf ("%d", G_PARAM_SPEC_INT (pspec)->minimum);
    max = g_strdup_printf ("%d", G_PARAM_SPEC_INT (pspec)->maximum);
  } else if (G_IS_PARAM_SPEC_UINT (pspec)) {
    min = g_strdup_printf ("%u", G_PARAM_SPEC_UINT (pspec)->minimum);
    max = g_strdup_printf ("%u", G_PARAM_SPEC_UINT (pspec)->maximum);
  } else if (G_IS_PARAM_SPEC_LONG (pspec)) {
    min = g_strdup_printf ("%ld", G_PARAM_SPEC_LONG (pspec)->minimum);
    max = g_strdup_printf ("%ld", G_PARAM_SPEC_LONG (pspec)->maximum);
  } else if (G_IS_PARAM_SPEC_ULONG (pspec)) {
    min = g_strdup_printf ("%lu", G_PARAM_SPEC_ULONG (pspec)->minimum);
    max = g_strdup_printf ("%lu", G_PARAM_SPEC_ULONG (pspec)->maximum);
  } else if (G_IS_PARAM_SPEC_INT64 (pspec)) {
    min = g_strdup_printf ("%" G_GINT64_FORMAT,
        G_PARAM_SPEC_INT64 (pspec)->minimum);
    max = g_strdup_printf ("%" G_GINT64_FORMAT,
        G_PARAM_SPEC_INT64 (pspec)->maximum);
  } else if (G_IS_PARAM_SPEC_UINT64 (pspec)) {
    min = g_strdup_printf ("%" G_GUINT64_FORMAT,
        G_PARAM_SPEC_UINT64 (pspec)->minimum);
    max = g_strdup_printf ("%" G_GUINT64_FORMAT,
        G_PARAM_SPEC_UINT64 (pspec)->maximum);
  } else if (G_IS_PARAM_SPEC_FLOAT (pspec)) {
    min = double_to_doc_string (G_PARAM_SPEC_FLOAT (pspec)->minimum);
    max = double_to_doc_string (G_PARAM_SPEC_FLOAT (pspec)->maximum);
  } else if (G_IS_PARAM_SPEC_DOUBLE (pspec)) {
    min = double_to_doc_string (G_PARAM_SPEC_DOUBLE (pspec)->minimum);
    max = double_to_doc_string (G_PARAM_SPEC_DOUBLE (pspec)->maximum);
  } else if (GST_IS_PARAM_SPEC_FRACTION (pspec)) {
    GstParamSpecFraction *f = GST_PARAM_SPEC_FRACTION (pspec);

    min = g_strdup_printf ("%d/%d", f->min_num, f->min_den);
    max = g_strdup_printf ("%d/%d", f->max_num, f->max_den);
  }

  if (min) {
    json_object_set_string_member (obj, "min", min);
    json_object_set_string_member (obj, "max", max);
  }
  g_free (min);
  g_free (max);
}

/* The default a user sees: what a fresh instance holds, unless the element
 * says that value depends on the machine (GST_PARAM_DOC_SHOW_DEFAULT), in
 * which case the documented default is the param spec's. */
static void
get_default_value (GParamSpec * pspec, GObject * instance, GValue * value)
{
  g_value_init (value, pspec->value_type);
  if (instance && (pspec->flags & G_PARAM_READABLE) &&
      !(pspec->flags & GST_PARAM_DOC_SHOW_DEFAULT))
    g_object_get_property (instance, pspec->name, value);
  else
    g_param_value_set_default (pspec, value);
}

static JsonObject *
describe_property (GParamSpec * pspec, GObject * instance)
{
  JsonObject *obj = json_object_new ();
  GValue value = G_VALUE_INIT;
  const gchar *blurb = g_param_spec_get_blurb (pspec);
  gchar *def;

  json_object_set_string_member (obj, "blurb", blurb ? blurb : "");
  json_object_set_boolean_member (obj, "conditionally-available",
      !!(pspec->flags & GST_PARAM_CONDITIONALLY_AVAILABLE));
  json_object_set_boolean_member (obj, "construct",
      !!(pspec->flags & G_PARAM_CONSTRUCT));
  json_object_set_boolean_member (obj, "construct-only",
      !!(pspec->flags & G_PARAM_CONSTRUCT_ONLY));
  json_object_set_boolean_member (obj, "controllable",
      !!(pspec->flags & GST_PARAM_CONTROLLABLE));
  json_object_set_string_member (obj, "mutable",
      mutable_to_doc_string (pspec->flags));
  json_object_set_boolean_member (obj, "readable",
      !!(pspec->flags & G_PARAM_READABLE));
  json_object_set_boolean_member (obj, "writable",
      !!(pspec->flags & G_PARAM_WRITABLE));
  json_object_set_string_member (obj, "type", g_type_name (pspec->value_type));

  get_default_value (pspec, instance, &value);
  def = value_to_doc_string (&value);
  if (def)
    json_object_set_string_member (obj, "default", def);
  g_free (def);
  g_value_unset (&value);

  set_range (obj, pspec);
  return obj;
}

/* Only the properties the type itself installs: inherited ones are
 * documented with the type that owns them. */
static JsonObject *
describe_properties (GType type, GObject * instance)
{
  JsonObject *props = NULL;
  GObjectClass *klass = g_type_class_ref (type);
  GParamSpec **specs;
  guint i, n;

  specs = g_object_class_list_properties (klass, &n);
  for (i = 0; i < n; i++) {
    if (specs[i]->owner_type != type)
      continue;
    if (props == NULL)
      props = json_object_new ();
    json_object_set_object_member (props, specs[i]->name,
        describe_property (specs[i], instance));
  }
  g_free (specs);
  g_type_class_unref (klass);
  return props;
}

static JsonObject *
describe_signals (GType type)
{
  JsonObject *signals = NULL;
  guint *ids, i, n;

  ids = g_signal_list_ids (type, &n);
  for (i = 0; i < n; i++) {
    GSignalQuery q;
    JsonObject *sig = json_object_new ();
    JsonArray *args = json_array_new ();
    guint a;

    g_signal_query (ids[i], &q);
    for (a = 0; a < q.n_params; a++) {
      JsonObject *arg = json_object_new ();
      gchar *name = g_strdup_printf ("arg%u", a);

      json_object_set_string_member (arg, "name", name);
      json_object_set_string_member (arg, "type",
          g_type_name (q.param_types[a] & ~G_SIGNAL_TYPE_STATIC_SCOPE));
      json_array_add_object_element (args, arg);
      g_free (name);
    }
    json_object_set_array_member (sig, "args", args);
    json_object_set_string_member (sig, "return-type",
        g_type_name (q.return_type & ~G_SIGNAL_TYPE_STATIC_SCOPE));
    if (q.signal_flags & G_SIGNAL_RUN_FIRST)
      json_object_set_string_member (sig, "when", "first");
    else if (q.signal_flags & G_SIGNAL_RUN_LAST)
      json_object_set_string_member (sig, "when", "last");
    else if (q.signal_flags & G_SIGNAL_RUN_CLEANUP)
      json_object_set_string_member (sig, "when", "cleanup");
    if (q.signal_flags & G_SIGNAL_ACTION)
      json_object_set_boolean_member (sig, "action", TRUE);
    if (q.signal_flags & G_SIGNAL_DETAILED)
      json_object_set_boolean_member (sig, "detailed", TRUE);
    if (q.signal_flags & G_SIGNAL_NO_RECURSE)
      json_object_set_boolean_member (sig, "no-recurse", TRUE);
    if (q.signal_flags & G_SIGNAL_NO_HOOKS)
      json_object_set_boolean_member (sig, "no-hooks", TRUE);

    if (signals == NULL)
      signals = json_object_new ();
    json_object_set_object_member (signals, q.signal_name, sig);
  }
  g_free (ids);
  return signals;
}

static void
describe_type_members (JsonObject * obj, GType type, GObject * instance)
{
  JsonArray *ifaces = interfaces_of (type);
  JsonObject *props = describe_properties (type, instance);
  JsonObject *signals = describe_signals (type);

  if (ifaces)
    json_object_set_array_member (obj, "interfaces", ifaces);
  if (props)
    json_object_set_object_member (obj, "properties", props);
  if (signals)
    json_object_set_object_member (obj, "signals", signals);
}

static JsonObject *
describe_pad_templates (GstElementClass * klass)
{
  JsonObject *templates = NULL;
  GList *l;

  for (l = gst_element_class_get_pad_template_list (klass); l; l = l->next) {
    GstPadTemplate *templ = l->data;
    JsonObject *obj = json_object_new ();
    GstCaps *caps = gst_pad_template_get_documentation_caps (templ);
    gchar *str = caps_to_doc_string (caps);
    GType gtype = G_TYPE_NONE;

    json_object_set_string_member (obj, "caps", str);
    json_object_set_string_member (obj, "direction",
        GST_PAD_TEMPLATE_DIRECTION (templ) == GST_PAD_SRC ? "src" :
        GST_PAD_TEMPLATE_DIRECTION (templ) == GST_PAD_SINK ? "sink" :
        "unknown");
    json_object_set_string_member (obj, "presence",
        GST_PAD_TEMPLATE_PRESENCE (templ) == GST_PAD_ALWAYS ? "always" :
        GST_PAD_TEMPLATE_PRESENCE (templ) == GST_PAD_SOMETIMES ? "sometimes" :
        "request");
    g_object_get (templ, "gtype", &gtype, NULL);
    if (gtype != G_TYPE_NONE && gtype != GST_TYPE_PAD)
      json_object_set_string_member (obj, "type", g_type_name (gtype));

    if (templates == NULL)
      templates = json_object_new ();
    json_object_set_object_member (templates,
        GST_PAD_TEMPLATE_NAME_TEMPLATE (templ), obj);
    g_free (str);
    gst_caps_unref (caps);
  }
  return templates;
}

/* A fresh instance, or NULL if the factory cannot make one. */
static GstElement *
create_element (GstElementFactory * factory)
{
  GstElement *element = gst_element_factory_create (factory, NULL);

  if (element)
    gst_object_ref_sink (element);
  return element;
}

static JsonObject *
describe_element (GstElementFactory * factory)
{
  JsonObject *obj = json_object_new ();
  GType type = gst_element_factory_get_element_type (factory);
  GstElementClass *klass = g_type_class_ref (type);
  GstElement *element = create_element (factory);
  JsonObject *templates;
  gchar rank[16];
  const gchar *keys[][2] = {
    {"author", GST_ELEMENT_METADATA_AUTHOR},
    {"description", GST_ELEMENT_METADATA_DESCRIPTION},
    {"klass", GST_ELEMENT_METADATA_KLASS},
    {"long-name", GST_ELEMENT_METADATA_LONGNAME},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (keys); i++) {
    const gchar *v = gst_element_factory_get_metadata (factory, keys[i][1]);

    json_object_set_string_member (obj, keys[i][0], v ? v : "");
  }
  json_object_set_array_member (obj, "hierarchy", hierarchy_of (type));
  json_object_set_string_member (obj, "rank",
      rank_to_doc_string (gst_plugin_feature_get_rank (GST_PLUGIN_FEATURE
              (factory)), rank));

  templates = describe_pad_templates (klass);
  if (templates)
    json_object_set_object_member (obj, "pad-templates", templates);
  describe_type_members (obj, type, G_OBJECT (element));

  if (element)
    gst_object_unref (element);
  g_type_class_unref (klass);
  return obj;
}

static JsonObject *
describe_tracer (GstTracerFactory * factory)
{
  JsonObject *obj = json_object_new ();
  GType type = gst_tracer_factory_get_tracer_type (factory);

  /* no instance: creating a tracer hooks it into every pipeline */
  json_object_set_array_member (obj, "hierarchy", hierarchy_of (type));
  describe_type_members (obj, type, NULL);
  return obj;
}

static JsonObject *
describe_enum_or_flags (GType type)
{
  JsonObject *obj = json_object_new ();
  JsonArray *values = json_array_new ();
  gpointer klass = g_type_class_ref (type);
  guint i;

  if (G_TYPE_IS_ENUM (type)) {
    GEnumClass *e = klass;

    json_object_set_string_member (obj, "kind", "enum");
    for (i = 0; i < e->n_values; i++) {
      JsonObject *v = json_object_new ();
      gchar *num = g_strdup_printf ("%d", e->values[i].value);

      json_object_set_string_member (v, "desc", e->values[i].value_name);
      json_object_set_string_member (v, "name", e->values[i].value_nick);
      json_object_set_string_member (v, "value", num);
      json_array_add_object_element (values, v);
      g_free (num);
    }
  } else {
    GFlagsClass *f = klass;

    json_object_set_string_member (obj, "kind", "flags");
    for (i = 0; i < f->n_values; i++) {
      JsonObject *v = json_object_new ();
      gchar *num = g_strdup_printf ("0x%08x", f->values[i].value);

      json_object_set_string_member (v, "desc", f->values[i].value_name);
      json_object_set_string_member (v, "name", f->values[i].value_nick);
      json_object_set_string_member (v, "value", num);
      json_array_add_object_element (values, v);
      g_free (num);
    }
  }
  json_object_set_array_member (obj, "values", values);
  g_type_class_unref (klass);
  return obj;
}

/* The pad template of one of the plugin's elements that makes pads of
 * @type, or NULL. */
static GstPadTemplate *
find_pad_template_of_type (DocPlugin * dp, GType type)
{
  GstPadTemplate *ret = NULL;
  GList *e, *l;

  for (e = dp->elements; e && !ret; e = e->next) {
    GType etype = gst_element_factory_get_element_type (e->data);
    GstElementClass *klass = g_type_class_ref (etype);

    for (l = gst_element_class_get_pad_template_list (klass); l && !ret;
        l = l->next) {
      GType gtype = G_TYPE_NONE;

      g_object_get (l->data, "gtype", &gtype, NULL);
      if (gtype == type)
        ret = gst_object_ref (l->data);
    }
    g_type_class_unref (klass);
  }
  return ret;
}

/* Pads are the objects plugins mark most. A pad made from the template
 * that uses its type, as the element would make it (a ghost pad needs its
 * direction), gives the defaults a user sees. Other objects, and pads no
 * template names, are described from their param specs. */
static GObject *
create_api_object (DocPlugin * dp, GType type)
{
  GstPadTemplate *templ;
  GObject *pad;

  if (!g_type_is_a (type, GST_TYPE_PAD) || G_TYPE_IS_ABSTRACT (type))
    return NULL;
  templ = find_pad_template_of_type (dp, type);
  if (templ == NULL)
    return NULL;
  pad = g_object_new (type, "direction", GST_PAD_TEMPLATE_DIRECTION (templ),
      "template", templ, NULL);
  gst_object_unref (templ);
  return gst_object_ref_sink (pad);
}

static JsonObject *
describe_api_type (DocPlugin * dp, GType type)
{
  JsonObject *obj;

  if (G_TYPE_IS_ENUM (type) || G_TYPE_IS_FLAGS (type))
    return describe_enum_or_flags (type);

  obj = json_object_new ();
  if (G_TYPE_IS_INTERFACE (type)) {
    JsonObject *signals = describe_signals (type);

    json_object_set_string_member (obj, "kind", "interface");
    if (signals)
      json_object_set_object_member (obj, "signals", signals);
  } else if (G_TYPE_IS_OBJECT (type)) {
    GObject *instance = create_api_object (dp, type);

    json_object_set_string_member (obj, "kind", "object");
    json_object_set_array_member (obj, "hierarchy", hierarchy_of (type));
    describe_type_members (obj, type, instance);
    if (instance)
      gst_object_unref (instance);
  } else {
    json_object_set_string_member (obj, "kind", g_type_name
        (G_TYPE_FUNDAMENTAL (type)));
  }
  return obj;
}

static JsonObject *
describe_plugin (DocPlugin * dp)
{
  JsonObject *obj = json_object_new ();
  JsonObject *elements = json_object_new ();
  JsonObject *tracers = json_object_new ();
  JsonObject *others = json_object_new ();
  GstPlugin *p = dp->plugin;
  gchar *filename = plugin_file_doc_name (dp->filename);
  gchar *package = package_doc_name (gst_plugin_get_package (p));
  GList *l;

  for (l = dp->elements; l; l = l->next)
    json_object_set_object_member (elements,
        gst_plugin_feature_get_name (l->data), describe_element (l->data));
  for (l = dp->tracers; l; l = l->next)
    json_object_set_object_member (tracers,
        gst_plugin_feature_get_name (l->data), describe_tracer (l->data));
  for (l = dp->api_types; l; l = l->next)
    json_object_set_object_member (others,
        g_type_name (GPOINTER_TO_SIZE (l->data)),
        describe_api_type (dp, GPOINTER_TO_SIZE (l->data)));

  json_object_set_string_member (obj, "description",
      gst_plugin_get_description (p));
  json_object_set_object_member (obj, "elements", elements);
  json_object_set_string_member (obj, "filename", filename);
  json_object_set_string_member (obj, "license", gst_plugin_get_license (p));
  json_object_set_object_member (obj, "other-types", others);
  json_object_set_string_member (obj, "package", package);
  json_object_set_string_member (obj, "source", gst_plugin_get_source (p));
  json_object_set_object_member (obj, "tracers", tracers);
  json_object_set_string_member (obj, "url", gst_plugin_get_origin (p));

  g_free (filename);
  g_free (package);
  return obj;
}

/* ------------------------------------------------------------------------ */
/* Loading */

static gint
compare_features_by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (gst_plugin_feature_get_name ((GstPluginFeature *) a),
      gst_plugin_feature_get_name ((GstPluginFeature *) b));
}

static void
doc_plugin_free (DocPlugin * dp)
{
  g_free (dp->filename);
  g_free (dp->canonical);
  g_list_free_full (dp->elements, gst_object_unref);
  g_list_free_full (dp->tracers, gst_object_unref);
  g_list_free (dp->api_types);
  if (dp->plugin)
    gst_object_unref (dp->plugin);
  g_free (dp);
}

static DocPlugin *
doc_plugin_load (const gchar * filename, GHashTable * taken, GError ** error)
{
  DocPlugin *dp = g_new0 (DocPlugin, 1);
  GHashTable *before = all_plugin_api_types ();
  GList *features, *l;

  dp->filename = g_strdup (filename);
  dp->canonical = canonical_path (filename);
  dp->plugin = gst_plugin_load_file (filename, error);
  if (dp->plugin == NULL)
    goto failed;

  features = gst_registry_get_feature_list_by_plugin (gst_registry_get (),
      gst_plugin_get_name (dp->plugin));
  for (l = features; l; l = l->next) {
    GstPluginFeature *loaded = gst_plugin_feature_load (l->data);

    if (loaded == NULL) {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED,
          "could not load feature %s of %s",
          gst_plugin_feature_get_name (l->data), filename);
      gst_plugin_feature_list_free (features);
      goto failed;
    }
    if (GST_IS_ELEMENT_FACTORY (loaded))
      dp->elements = g_list_prepend (dp->elements, loaded);
    else if (GST_IS_TRACER_FACTORY (loaded))
      dp->tracers = g_list_prepend (dp->tracers, loaded);
    else
      gst_object_unref (loaded);
  }
  gst_plugin_feature_list_free (features);
  dp->elements = g_list_sort (dp->elements, compare_features_by_name);
  dp->tracers = g_list_sort (dp->tracers, compare_features_by_name);

  /* Instance init may still mark types (pads made in init), so the
   * elements are instantiated once before the marked types are counted. */
  for (l = dp->elements; l; l = l->next) {
    GstElement *element = create_element (l->data);

    if (element)
      gst_object_unref (element);
  }
  dp->api_types = plugin_api_types_of (dp, before, taken);
  g_hash_table_unref (before);
  return dp;

failed:
  g_hash_table_unref (before);
  doc_plugin_free (dp);
  return NULL;
}

static gchar *
describe_all (GPtrArray * plugins)
{
  JsonObject *root = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; i < plugins->len; i++) {
    DocPlugin *dp = g_ptr_array_index (plugins, i);

    json_object_set_object_member (root, gst_plugin_get_name (dp->plugin),
        describe_plugin (dp));
  }
  json_node_take_object (node, root);
  write_node (out, node, 0);
  g_string_append_c (out, '\n');
  json_node_unref (node);
  return g_string_free (out, FALSE);
}

/* ------------------------------------------------------------------------ */
/* --check */

/* Fallback when diff(1) cannot run: the lines between the common head and
 * the common tail of both texts, exact for a single change. */
static void
print_short_diff (const gchar * expected, const gchar * actual)
{
  gchar **a = g_strsplit (expected, "\n", -1);
  gchar **b = g_strsplit (actual, "\n", -1);
  guint na = g_strv_length (a), nb = g_strv_length (b);
  guint head = 0, tail = 0, i;

  while (head < na && head < nb && g_str_equal (a[head], b[head]))
    head++;
  while (tail < na - head && tail < nb - head &&
      g_str_equal (a[na - 1 - tail], b[nb - 1 - tail]))
    tail++;

  fprintf (stderr, "@@ line %u @@\n", head + 1);
  for (i = head; i < na - tail && i < head + DIFF_MAX_LINES; i++)
    fprintf (stderr, "-%s\n", a[i]);
  if (na - tail - head > DIFF_MAX_LINES)
    fprintf (stderr, "-... (%u more lines)\n",
        na - tail - head - DIFF_MAX_LINES);
  for (i = head; i < nb - tail && i < head + DIFF_MAX_LINES; i++)
    fprintf (stderr, "+%s\n", b[i]);
  if (nb - tail - head > DIFF_MAX_LINES)
    fprintf (stderr, "+... (%u more lines)\n",
        nb - tail - head - DIFF_MAX_LINES);

  g_strfreev (a);
  g_strfreev (b);
}

/* diff -u, cut to its first lines: enough to see what changed, and the
 * full patch is one `ninja update-docs-cache` away. */
static gboolean
print_diff_u (const gchar * committed_path, const gchar * generated_path,
    const gchar * name)
{
  gchar *label_a = g_strdup_printf ("%s (committed)", name);
  gchar *label_b = g_strdup_printf ("%s (built)", name);
  const gchar *argv[] = { "diff", "-u", "--label", label_a, "--label",
    label_b, committed_path, generated_path, NULL
  };
  gchar *out = NULL, **lines;
  gint status;
  guint i, n;
  gboolean ok;

  ok = g_spawn_sync (NULL, (gchar **) argv, NULL,
      G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
      NULL, &status, NULL) && out && *out;
  if (ok) {
    lines = g_strsplit (out, "\n", -1);
    n = g_strv_length (lines);
    for (i = 0; i < n && i < 2 * DIFF_MAX_LINES; i++) {
      if (i + 1 < n || *lines[i])
        fprintf (stderr, "%s\n", lines[i]);
    }
    if (n > 2 * DIFF_MAX_LINES + 1)
      fprintf (stderr, "... (%u more lines of diff)\n",
          n - 1 - 2 * DIFF_MAX_LINES);
    g_strfreev (lines);
  }
  g_free (out);
  g_free (label_a);
  g_free (label_b);
  return ok;
}

static const gchar *
relative_to (const gchar * path, const gchar * root)
{
  gsize len = root ? strlen (root) : 0;

  if (len && g_str_has_prefix (path, root) && path[len] == G_DIR_SEPARATOR)
    return path + len + 1;
  return path;
}

/* "package" and "url" come from -Dpackage-name and -Dpackage-origin, which
 * packagers set; the committed cache is written with the defaults. Whether
 * @committed is @generated but for those: then the build is not out of date,
 * it was only configured differently. */
static gboolean
differs_only_in_packaging (const gchar * committed, const gchar * generated)
{
  JsonParser *a = json_parser_new (), *b = json_parser_new ();
  gboolean ret = FALSE;

  if (json_parser_load_from_data (a, committed, -1, NULL) &&
      json_parser_load_from_data (b, generated, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (a)) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (b))) {
    JsonObject *ra = json_node_get_object (json_parser_get_root (a));
    JsonObject *rb = json_node_get_object (json_parser_get_root (b));
    GList *names = json_object_get_members (rb), *l;
    GString *out = g_string_new (NULL);
    const gchar *keys[] = { "package", "url" };
    guint i;

    for (l = names; l; l = l->next) {
      JsonNode *pa = json_object_get_member (ra, l->data);
      JsonNode *pb = json_object_get_member (rb, l->data);

      if (pa == NULL || !JSON_NODE_HOLDS_OBJECT (pa) ||
          !JSON_NODE_HOLDS_OBJECT (pb))
        continue;
      for (i = 0; i < G_N_ELEMENTS (keys); i++) {
        JsonNode *v = json_object_get_member (json_node_get_object (pb),
            keys[i]);

        if (v)
          json_object_set_member (json_node_get_object (pa), keys[i],
              json_node_copy (v));
      }
    }
    g_list_free (names);

    write_node (out, json_parser_get_root (a), 0);
    g_string_append_c (out, '\n');
    ret = g_str_equal (out->str, generated);
    g_string_free (out, TRUE);
  }
  g_object_unref (a);
  g_object_unref (b);
  return ret;
}

/* @generated_path: a file holding @generated, or NULL.
 * Returns the exit status: 0 up to date, 1 out of date, 77 (skipped, to
 * meson) when only the packaging options differ. */
static gint
check_cache (const gchar * committed_path, const gchar * generated,
    const gchar * generated_path, const gchar * source_root,
    const gchar * build_root)
{
  gchar *committed = NULL;
  const gchar *name = relative_to (committed_path, source_root);
  gint ret = 0;

  if (!g_file_get_contents (committed_path, &committed, NULL, NULL))
    fprintf (stderr, "%s cannot be read\n", committed_path);

  if (committed && g_str_equal (committed, generated)) {
    ret = 0;
  } else if (committed && differs_only_in_packaging (committed, generated)) {
    fprintf (stderr, "%s matches the build except for \"package\" and "
        "\"url\": this build sets -Dpackage-name or -Dpackage-origin, the "
        "committed cache is made with the defaults; not checked\n", name);
    ret = 77;
  } else {
    /* stdio, not g_printerr (): the cache is UTF-8 whatever the locale */
    fprintf (stderr, "%s is out of date: run `ninja -C %s update-docs-cache` "
        "and commit the result\n", name, build_root ? build_root : "build");
    if (committed && (!generated_path ||
            !print_diff_u (committed_path, generated_path, name))) {
      fprintf (stderr, "--- %s (committed)\n+++ %s (built)\n", name, name);
      print_short_diff (committed, generated);
    }
    ret = 1;
  }
  g_free (committed);
  return ret;
}

static gboolean
write_if_changed (const gchar * path, const gchar * contents, GError ** error)
{
  gchar *old = NULL;
  gboolean ret = TRUE;

  /* an unchanged file keeps its mtime, so nothing rebuilds needlessly */
  if (!g_file_get_contents (path, &old, NULL, NULL) ||
      !g_str_equal (old, contents))
    ret = g_file_set_contents (path, contents, -1, error);
  g_free (old);
  return ret;
}

/* ------------------------------------------------------------------------ */
/* --lint */

static void
lint_error (Lint * lint, const gchar * format, ...)
{
  va_list args;
  gchar *msg;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("lint: %s\n", msg);
  g_free (msg);
  lint->errors++;
}

static void
source_file_free (SourceFile * f)
{
  g_free (f->path);
  g_free (f->contents);
  g_free (f);
}

static gint
compare_name_pointers (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar * const *) a, *(const gchar * const *) b);
}

static void
collect_sources (GPtrArray * sources, const gchar * dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const gchar *name;
  guint i;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)))
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  /* sorted, so messages come in the same order everywhere */
  g_ptr_array_sort (names, compare_name_pointers);

  for (i = 0; i < names->len; i++) {
    gchar *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);

    if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
      collect_sources (sources, path);
    } else if (g_str_has_suffix (path, ".c") || g_str_has_suffix (path, ".h")) {
      SourceFile *f = g_new0 (SourceFile, 1);

      if (g_file_get_contents (path, &f->contents, NULL, NULL)) {
        f->path = path;
        path = NULL;
        g_ptr_array_add (sources, f);
      } else {
        g_free (f);
      }
    }
    g_free (path);
  }
  g_ptr_array_unref (names);
}

/* Whether @text holds @word with no name character right after it, so
 * "element-foo" does not match "element-foobar". */
static gboolean
contains_word (const gchar * text, const gchar * word)
{
  gsize len = strlen (word);
  const gchar *p = text;

  while ((p = strstr (p, word))) {
    gchar next = p[len];

    if (!g_ascii_isalnum (next) && next != '-' && next != '_')
      return TRUE;
    p += len;
  }
  return FALSE;
}

static SourceFile *
find_source (Lint * lint, const gchar * word)
{
  guint i;

  for (i = 0; i < lint->sources->len; i++) {
    SourceFile *f = g_ptr_array_index (lint->sources, i);

    if (g_str_has_suffix (f->path, ".c") && contains_word (f->contents, word))
      return f;
  }
  return NULL;
}

/* Doc comments of properties and signals may live in any file next to the
 * element's (its header, a pad's file). */
static gboolean
documented_near (Lint * lint, SourceFile * element_source, const gchar * word)
{
  gchar *dir = g_path_get_dirname (element_source->path);
  gboolean found = FALSE;
  guint i;

  for (i = 0; i < lint->sources->len && !found; i++) {
    SourceFile *f = g_ptr_array_index (lint->sources, i);
    gchar *fdir = g_path_get_dirname (f->path);

    found = g_str_equal (dir, fdir) && contains_word (f->contents, word);
    g_free (fdir);
  }
  g_free (dir);
  return found;
}

/* Ours: defined in one of the plugin files, or named as our core library
 * names its types. Library enums (GstFormat, ...) are documented upstream. */
static gboolean
type_is_ours (GType type, GPtrArray * plugins)
{
  const gchar *name = g_type_name (type);
  guint i;

  if (g_str_has_prefix (name, "GstLp") || g_str_has_prefix (name,
          "GstLivepeer") || g_str_has_prefix (name, "Lp"))
    return TRUE;
  for (i = 0; i < plugins->len; i++) {
    DocPlugin *dp = g_ptr_array_index (plugins, i);

    if (type_is_defined_in (type, dp->canonical) == 1)
      return TRUE;
  }
  return FALSE;
}

static void
lint_property (Lint * lint, GPtrArray * plugins, const gchar * what,
    GParamSpec * pspec, GObject * instance, SourceFile * source)
{
  const gchar *blurb = g_param_spec_get_blurb (pspec);
  GValue value = G_VALUE_INIT;
  GType vtype = pspec->value_type;

  if (blurb == NULL || *blurb == '\0' || g_str_equal (blurb, pspec->name))
    lint_error (lint, "%s:%s: the blurb must say what the property does",
        what, pspec->name);

  /* g_param_value_validate () clamps a value outside the spec's range (or
   * an enum value the enum lacks) and says it did */
  get_default_value (pspec, instance, &value);
  if (g_param_value_validate (pspec, &value)) {
    gchar *def;

    g_value_unset (&value);
    get_default_value (pspec, instance, &value);
    def = value_to_doc_string (&value);
    lint_error (lint, "%s:%s: default %s is outside the property's range",
        what, pspec->name, def ? def : "(unprintable)");
    g_free (def);
  }
  g_value_unset (&value);

  if ((G_TYPE_IS_ENUM (vtype) || G_TYPE_IS_FLAGS (vtype)) &&
      type_is_ours (vtype, plugins) && !gst_type_is_plugin_api (vtype, NULL))
    lint_error (lint, "%s:%s: type %s is not marked with "
        "gst_type_mark_as_plugin_api ()", what, pspec->name,
        g_type_name (vtype));

  if (source) {
    gchar *word = g_strdup_printf ("%s:%s:", what, pspec->name);

    if (!documented_near (lint, source, word))
      lint_error (lint, "%s:%s: no doc comment `%s` next to %s", what,
          pspec->name, word, relative_to (source->path, lint->source_root));
    g_free (word);
  }
}

static void
lint_type_members (Lint * lint, GPtrArray * plugins, GType type,
    GObject * instance, SourceFile * source)
{
  GObjectClass *klass = g_type_class_ref (type);
  GParamSpec **specs;
  guint *ids, i, n;

  specs = g_object_class_list_properties (klass, &n);
  for (i = 0; i < n; i++) {
    if (specs[i]->owner_type == type)
      lint_property (lint, plugins, g_type_name (type), specs[i], instance,
          source);
  }
  g_free (specs);
  g_type_class_unref (klass);

  ids = g_signal_list_ids (type, &n);
  for (i = 0; i < n && source; i++) {
    gchar *word = g_strdup_printf ("%s::%s:", g_type_name (type),
        g_signal_name (ids[i]));

    if (!documented_near (lint, source, word))
      lint_error (lint, "%s::%s: no doc comment `%s` next to %s",
          g_type_name (type), g_signal_name (ids[i]), word,
          relative_to (source->path, lint->source_root));
    g_free (word);
  }
  g_free (ids);
}

static void
lint_element (Lint * lint, GPtrArray * plugins, GstElementFactory * factory)
{
  const gchar *name = gst_plugin_feature_get_name (factory);
  GType type = gst_element_factory_get_element_type (factory);
  GstElementClass *klass = g_type_class_ref (type);
  GstElement *element = create_element (factory);
  const gchar *keys[] = {
    GST_ELEMENT_METADATA_LONGNAME, GST_ELEMENT_METADATA_KLASS,
    GST_ELEMENT_METADATA_DESCRIPTION, GST_ELEMENT_METADATA_AUTHOR,
  };
  gchar *section = g_strdup_printf ("SECTION:element-%s", name);
  SourceFile *source = find_source (lint, section);
  GList *l;
  guint i;

  if (element == NULL)
    lint_error (lint, "%s: the factory cannot create an element", name);

  for (i = 0; i < G_N_ELEMENTS (keys); i++) {
    const gchar *v = gst_element_factory_get_metadata (factory, keys[i]);

    if (v == NULL || *v == '\0')
      lint_error (lint, "%s: metadata \"%s\" is empty", name, keys[i]);
  }

  if (source == NULL)
    lint_error (lint, "%s: no source file under gst/ or ext/ has a doc "
        "comment `%s`", name, section);
  else if (!strstr (source->contents, "gst-launch-1.0"))
    lint_error (lint, "%s: %s has no `gst-launch-1.0` example", name,
        relative_to (source->path, lint->source_root));

  lint_type_members (lint, plugins, type, G_OBJECT (element), source);

  for (l = gst_element_class_get_pad_template_list (klass); l; l = l->next) {
    GType gtype = G_TYPE_NONE;

    g_object_get (l->data, "gtype", &gtype, NULL);
    if (gtype != G_TYPE_NONE && gtype != GST_TYPE_PAD &&
        type_is_ours (gtype, plugins) && !gst_type_is_plugin_api (gtype, NULL))
      lint_error (lint, "%s: pad type %s of template %s is not marked with "
          "gst_type_mark_as_plugin_api ()", name, g_type_name (gtype),
          GST_PAD_TEMPLATE_NAME_TEMPLATE (l->data));
  }

  g_free (section);
  if (element)
    gst_object_unref (element);
  g_type_class_unref (klass);
}

static void
lint_api_type (Lint * lint, GPtrArray * plugins, DocPlugin * dp, GType type,
    SourceFile * source)
{
  guint i;

  if (G_TYPE_IS_ENUM (type)) {
    GEnumClass *klass = g_type_class_ref (type);

    for (i = 0; i < klass->n_values; i++) {
      if (!klass->values[i].value_name || !*klass->values[i].value_name)
        lint_error (lint, "%s: value %d has no description",
            g_type_name (type), klass->values[i].value);
    }
    g_type_class_unref (klass);
  } else if (G_TYPE_IS_FLAGS (type)) {
    GFlagsClass *klass = g_type_class_ref (type);

    for (i = 0; i < klass->n_values; i++) {
      if (!klass->values[i].value_name || !*klass->values[i].value_name)
        lint_error (lint, "%s: value 0x%08x has no description",
            g_type_name (type), klass->values[i].value);
    }
    g_type_class_unref (klass);
  } else if (G_TYPE_IS_OBJECT (type)) {
    GObject *instance = create_api_object (dp, type);

    lint_type_members (lint, plugins, type, instance, source);
    if (instance)
      gst_object_unref (instance);
  }
}

/* docs/plugins/index.md and sitemap.txt must name every plugin, or hotdoc
 * would leave its page out. */
static void
lint_doc_pages (Lint * lint, const gchar * plugin_name)
{
  const gchar *pages[] = { "index.md", "sitemap.txt" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (pages); i++) {
    gchar *path = g_build_filename (lint->source_root, "docs", "plugins",
        pages[i], NULL);
    gchar *contents = NULL;

    if (!g_file_get_contents (path, &contents, NULL, NULL))
      lint_error (lint, "docs/plugins/%s is missing", pages[i]);
    else if (!contains_word (contents, plugin_name))
      lint_error (lint, "%s: docs/plugins/%s does not list the plugin",
          plugin_name, pages[i]);
    g_free (contents);
    g_free (path);
  }
}

static guint
lint_plugins (GPtrArray * plugins, const gchar * source_root)
{
  Lint lint = { source_root, NULL, 0 };
  const gchar *dirs[] = { "gst", "ext" };
  guint i;

  lint.sources = g_ptr_array_new_with_free_func ((GDestroyNotify)
      source_file_free);
  for (i = 0; i < G_N_ELEMENTS (dirs); i++) {
    gchar *dir = g_build_filename (source_root, dirs[i], NULL);

    collect_sources (lint.sources, dir);
    g_free (dir);
  }

  for (i = 0; i < plugins->len; i++) {
    DocPlugin *dp = g_ptr_array_index (plugins, i);
    const gchar *pname = gst_plugin_get_name (dp->plugin);
    SourceFile *source = NULL;
    GList *l;

    if (!gst_plugin_get_description (dp->plugin) ||
        !*gst_plugin_get_description (dp->plugin))
      lint_error (&lint, "%s: the plugin has no description", pname);
    if (dp->elements == NULL && dp->tracers == NULL)
      lint_error (&lint, "%s: the plugin registers no element", pname);
    lint_doc_pages (&lint, pname);

    for (l = dp->elements; l; l = l->next) {
      gchar *section = g_strdup_printf ("SECTION:element-%s",
          gst_plugin_feature_get_name (l->data));

      lint_element (&lint, plugins, l->data);
      /* plugin API objects are documented next to the first element */
      if (source == NULL)
        source = find_source (&lint, section);
      g_free (section);
    }
    for (l = dp->api_types; l; l = l->next)
      lint_api_type (&lint, plugins, dp, GPOINTER_TO_SIZE (l->data), source);
  }

  g_ptr_array_unref (lint.sources);
  return lint.errors;
}

/* ------------------------------------------------------------------------ */

int
main (int argc, char **argv)
{
  gchar *output = NULL, *check = NULL, *source_root = NULL, *build_root = NULL;
  gchar **files = NULL;
  gboolean lint = FALSE;
  GOptionEntry entries[] = {
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
        "Write the cache to FILE (rewritten only when it changes)", "FILE"},
    {"check", 'c', 0, G_OPTION_ARG_FILENAME, &check,
        "Fail if FILE differs from the cache the plugins describe", "FILE"},
    {"lint", 'l', 0, G_OPTION_ARG_NONE, &lint,
        "Check that everything the cache describes is documented", NULL},
    {"source-root", 's', 0, G_OPTION_ARG_FILENAME, &source_root,
        "The source tree (for --lint and for messages)", "DIR"},
    {"build-root", 'b', 0, G_OPTION_ARG_FILENAME, &build_root,
        "The build tree (for messages)", "DIR"},
    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL,
        "PLUGIN..."},
    {NULL}
  };
  GOptionContext *ctx;
  GError *error = NULL;
  GPtrArray *plugins;
  GHashTable *taken;
  gchar *json = NULL;
  gint ret = 0;
  guint i;

  ctx = g_option_context_new ("PLUGIN... - describe plugins for the docs");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    g_option_context_free (ctx);
    g_clear_error (&error);
    return 2;
  }
  g_option_context_free (ctx);
  if (files == NULL || files[0] == NULL) {
    g_printerr ("no plugin files given\n");
    return 2;
  }
  if (lint && source_root == NULL) {
    g_printerr ("--lint needs --source-root\n");
    return 2;
  }

  gst_init (NULL, NULL);

  plugins = g_ptr_array_new_with_free_func ((GDestroyNotify) doc_plugin_free);
  taken = g_hash_table_new (NULL, NULL);
  for (i = 0; files[i]; i++) {
    DocPlugin *dp = doc_plugin_load (files[i], taken, &error);

    if (dp == NULL) {
      g_printerr ("cannot load %s: %s\n", files[i], error->message);
      ret = 2;
      goto done;
    }
    g_ptr_array_add (plugins, dp);
  }

  if (output || check || !lint) {
    json = describe_all (plugins);
    if (output && !write_if_changed (output, json, &error)) {
      g_printerr ("%s\n", error->message);
      ret = 2;
      goto done;
    }
    if (check)
      ret = check_cache (check, json, output, source_root, build_root);
    else if (!output)
      /* raw UTF-8: g_print () would convert to the locale's charset */
      fputs (json, stdout);
  }

  if (lint) {
    guint errors = lint_plugins (plugins, source_root);

    if (errors) {
      g_printerr ("%u documentation problem%s\n", errors,
          errors == 1 ? "" : "s");
      ret = 1;
    }
  }

done:
  g_clear_error (&error);
  g_free (json);
  g_hash_table_unref (taken);
  g_ptr_array_unref (plugins);
  g_strfreev (files);
  g_free (output);
  g_free (check);
  g_free (source_root);
  g_free (build_root);
  return ret;
}

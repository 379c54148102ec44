/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lporchestrator's GET /metrics: the `stats` structure (make_stats()) in
 * Prometheus' text format, each field a metric named
 * lporchestrator_FIELD (dashes to underscores) with its HELP and TYPE
 * lines. Served by lporchrpc.c on metrics-port.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstlporchestrator-private.h"

/* What each `stats` field counts, for the Prometheus HELP lines: every
 * field is a counter but `sessions`, open now. */
static const struct
{
  const gchar *field;
  const gchar *help;
} metric_help[] = {
  {"sessions", "Sessions open now"},
  {"sessions-started", "Sessions started"},
  {"segments-ok", "Segments transcoded and answered"},
  {"segments-failed", "Segments whose transcoding or job failed"},
  {"pixels", "Output pixels encoded, all renditions"},
  {"tickets-received", "Tickets received in payments"},
  {"tickets-won", "Winning tickets queued for redemption"},
  {"tickets-redeemed", "Winning tickets redeemed"},
  {"tickets-failed", "Winning tickets dropped without payment"},
  {"fees-earned", "Wei paid by redeemed tickets"},
  {"rewards", "Reward calls made"},
  {"rewards-minted", "LPT wei minted by reward calls"},
};

static gboolean
append_metric (GQuark field, const GValue * value, gpointer user_data)
{
  GString *text = user_data;
  const gchar *help = g_quark_to_string (field);
  gchar *name = g_strdup (g_quark_to_string (field));
  gchar *p;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (metric_help); i++)
    if (field == g_quark_try_string (metric_help[i].field))
      help = metric_help[i].help;
  for (p = name; *p != '\0'; p++)
    if (*p == '-')
      *p = '_';
  g_string_append_printf (text, "# HELP lporchestrator_%s %s\n"
      "# TYPE lporchestrator_%s %s\n", name, help, name,
      G_VALUE_HOLDS_UINT (value) ? "gauge" : "counter");
  if (G_VALUE_HOLDS_UINT (value))
    g_string_append_printf (text, "lporchestrator_%s %u\n", name,
        g_value_get_uint (value));
  else if (G_VALUE_HOLDS_UINT64 (value))
    g_string_append_printf (text, "lporchestrator_%s %" G_GUINT64_FORMAT
        "\n", name, g_value_get_uint64 (value));
  else if (G_VALUE_HOLDS_STRING (value))
    /* wei amounts: decimal integers, valid Prometheus numbers */
    g_string_append_printf (text, "lporchestrator_%s %s\n", name,
        g_value_get_string (value));
  g_free (name);
  return TRUE;
}

/* The Prometheus text of the orchestrator's statistics now; sets @length
 * to its size. Takes the orchestrator lock (make_stats()). */
gchar *
metrics_text (GstLpOrchestrator * self, gsize * length)
{
  GstStructure *stats = make_stats (self);
  GString *text = g_string_new (NULL);

  gst_structure_foreach (stats, append_metric, text);
  gst_structure_free (stats);
  *length = text->len;
  return g_string_free (text, FALSE);
}

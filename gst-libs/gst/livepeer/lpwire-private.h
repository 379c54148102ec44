/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/*
 * What lpwire's files share (lpwire.c and lpwire-*.c); not installed and
 * not API: every function here is G_GNUC_INTERNAL, hidden outside the
 * library, and json-glib, which the public lpwire.h does not expose, is
 * included here only. Grouped by the file that defines them.
 *
 * Decoding: a decoder or reader takes the JsonObject it reads and the path
 * of that object in the message ("" at the root, "ticket_params",
 * "data.segments[2]", ...), and on failure sets an %LP_WIRE_ERROR whose
 * message starts with the path of the field at fault. A reader leaves its
 * output untouched when an optional field is absent (strings, objects,
 * arrays and capabilities read as NULL). Encoding: a builder adds one
 * object to a JsonBuilder (lp_wire_build_expiration_params() also its
 * member name); the adders add one member. No state, no locks: all of it
 * is MT safe.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "lpwire.h"

G_BEGIN_DECLS

/* ---- lpwire.c: parsing ------------------------------------------------- */

G_GNUC_INTERNAL
JsonNode *lp_wire_parse_object (const gchar * data, gssize length,
    const gchar * what, GError ** error);

/* ---- lpwire.c: field readers ------------------------------------------- */

/* *INDENT-OFF* */
G_GNUC_INTERNAL
gboolean lp_wire_field_error (GError ** error, gint code, const gchar * path,
    const gchar * name, const gchar * format, ...) G_GNUC_PRINTF (5, 6);
/* *INDENT-ON* */

G_GNUC_INTERNAL
gchar *lp_wire_sub_path (const gchar * path, const gchar * name);

G_GNUC_INTERNAL
gboolean lp_wire_check_fields (JsonObject * obj, const gchar * path,
    const gchar * const *known, const gchar * const *ignored,
    GError ** error);

G_GNUC_INTERNAL
gboolean lp_wire_read_string (JsonObject * obj, const gchar * path,
    const gchar * name, gboolean required, gsize max_length,
    const gchar ** out, GError ** error);

G_GNUC_INTERNAL
gboolean lp_wire_read_int (JsonObject * obj, const gchar * path,
    const gchar * name, gboolean required, gint64 min, gint64 max,
    gint64 * out, GError ** error);

G_GNUC_INTERNAL
gboolean lp_wire_read_uint64 (JsonObject * obj, const gchar * path,
    const gchar * name, gboolean required, guint64 * out, GError ** error);

G_GNUC_INTERNAL
gboolean lp_wire_read_address (JsonObject * obj, const gchar * path,
    const gchar * name, gboolean required, LpAddress * out, GError ** error);

G_GNUC_INTERNAL
gboolean lp_wire_read_hex (JsonObject * obj, const gchar * path,
    const gchar * name, gboolean required, guint8 * out, gsize length,
    GError ** error);

G_GNUC_INTERNAL
gboolean lp_wire_read_uint256 (JsonObject * obj, const gchar * path,
    const gchar * name, gboolean required, LpUint256 * out, GError ** error);

G_GNUC_INTERNAL
gboolean lp_wire_read_seed (JsonObject * obj, const gchar * path,
    const gchar * name, gboolean required, LpUint256 * out, GError ** error);

G_GNUC_INTERNAL
gboolean lp_wire_read_object (JsonObject * obj, const gchar * path,
    const gchar * name, gboolean required, JsonObject ** out,
    GError ** error);

G_GNUC_INTERNAL
gboolean lp_wire_read_array (JsonObject * obj, const gchar * path,
    const gchar * name, gboolean required, guint max, JsonArray ** out,
    GError ** error);

G_GNUC_INTERNAL
JsonObject *lp_wire_array_object (JsonArray * array, guint i,
    const gchar * path, const gchar * name, gchar ** element_path,
    GError ** error);

G_GNUC_INTERNAL
gboolean lp_wire_read_capabilities (JsonObject * obj, const gchar * path,
    gchar ** out, GError ** error);

G_GNUC_INTERNAL
gboolean lp_wire_read_zero_only (JsonObject * obj, const gchar * path,
    const gchar * name, const gchar * meaning, GError ** error);

/* ---- lpwire.c: field writers ------------------------------------------- */

G_GNUC_INTERNAL
void lp_wire_add_hex (JsonBuilder * b, const gchar * name,
    const guint8 * data, gsize n);

G_GNUC_INTERNAL
void lp_wire_add_address (JsonBuilder * b, const gchar * name,
    const LpAddress * address);

G_GNUC_INTERNAL
void lp_wire_add_int (JsonBuilder * b, const gchar * name, gint64 value);

G_GNUC_INTERNAL
void lp_wire_add_uint64 (JsonBuilder * b, const gchar * name,
    guint64 value);

G_GNUC_INTERNAL
void lp_wire_add_uint256 (JsonBuilder * b, const gchar * name,
    const LpUint256 * value);

G_GNUC_INTERNAL
void lp_wire_add_string (JsonBuilder * b, const gchar * name,
    const gchar * value);

G_GNUC_INTERNAL
void lp_wire_add_capabilities (JsonBuilder * b, const gchar * text);

/* Generates @b's text and unrefs @b. */
G_GNUC_INTERNAL
gchar *lp_wire_builder_finish (JsonBuilder * b);

/* ---- lpwire.c: header form --------------------------------------------- */

G_GNUC_INTERNAL
guint8 *lp_wire_header_decode (const gchar * header, const gchar * name,
    gsize * out_length, GError ** error);

/* ---- lpwire-discovery.c: the parts other messages embed ---------------- */

G_GNUC_INTERNAL
gboolean lp_wire_decode_expiration_params (JsonObject * obj,
    const gchar * path, LpExpirationParams * params, GError ** error);

G_GNUC_INTERNAL
gboolean lp_wire_decode_ticket_params (JsonObject * obj, const gchar * path,
    LpTicketParams * params, GError ** error);

G_GNUC_INTERNAL
gboolean lp_wire_decode_price_info (JsonObject * obj, const gchar * path,
    LpPriceInfo * price, GError ** error);

G_GNUC_INTERNAL
gboolean lp_wire_decode_auth_token (JsonObject * obj, const gchar * path,
    LpAuthToken * token, GError ** error);

G_GNUC_INTERNAL
LpOrchestratorInfo *lp_wire_decode_orchestrator_info (JsonObject * obj,
    const gchar * path, GError ** error);

G_GNUC_INTERNAL
void lp_wire_build_expiration_params (JsonBuilder * b, const gchar * name,
    const LpExpirationParams * params);

G_GNUC_INTERNAL
void lp_wire_build_ticket_params (JsonBuilder * b,
    const LpTicketParams * params);

G_GNUC_INTERNAL
void lp_wire_build_price_info (JsonBuilder * b, const LpPriceInfo * price);

G_GNUC_INTERNAL
void lp_wire_build_auth_token (JsonBuilder * b, const LpAuthToken * token);

G_GNUC_INTERNAL
void lp_wire_build_orchestrator_info (JsonBuilder * b,
    const LpOrchestratorInfo * info);

G_END_DECLS

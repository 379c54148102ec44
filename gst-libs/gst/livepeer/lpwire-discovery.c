/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The discovery messages of docs/design/protocol.md §7 and their parts:
 * OrchestratorRequest (life cycle) and OrchestratorInfo (life cycle,
 * readable JSON), and the pieces other messages embed, TicketParams,
 * ExpirationParams, PriceInfo and AuthToken (their decoders and builders
 * are shared through lpwire-private.h; TicketParams is also read alone,
 * as lpctl's --params), and the orchestrator's session auth token (its
 * HMAC, creation and check). No state, no locks: MT safe.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpwire-private.h"

/* ------------------------------------------------------------------------ */
/* life cycles                                                              */
/* ------------------------------------------------------------------------ */

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

/* ------------------------------------------------------------------------ */
/* object decoders                                                          */
/* ------------------------------------------------------------------------ */

gboolean
lp_wire_decode_expiration_params (JsonObject * obj, const gchar * path,
    LpExpirationParams * params, GError ** error)
{
  static const gchar *const known[] = { "creation_round",
    "creation_round_block_hash", NULL
  };

  memset (params, 0, sizeof (*params));
  return lp_wire_check_fields (obj, path, known, NULL, error)
      && lp_wire_read_uint64 (obj, path, "creation_round", FALSE,
      &params->creation_round, error)
      && lp_wire_read_hex (obj, path, "creation_round_block_hash", FALSE,
      params->creation_round_block_hash, LP_KECCAK256_SIZE, error);
}

gboolean
lp_wire_decode_ticket_params (JsonObject * obj, const gchar * path,
    LpTicketParams * params, GError ** error)
{
  static const gchar *const known[] = { "recipient", "face_value",
    "win_prob", "recipient_rand_hash", "seed", "expiration_block",
    "expiration_params", NULL
  };
  JsonObject *exp;
  gboolean ok;

  memset (params, 0, sizeof (*params));
  if (!lp_wire_check_fields (obj, path, known, NULL, error)
      || !lp_wire_read_address (obj, path, "recipient", TRUE,
          &params->recipient, error)
      || !lp_wire_read_uint256 (obj, path, "face_value", TRUE,
          &params->face_value, error)
      || !lp_wire_read_uint256 (obj, path, "win_prob", TRUE, &params->win_prob,
          error)
      || !lp_wire_read_hex (obj, path, "recipient_rand_hash", TRUE,
          params->recipient_rand_hash, LP_KECCAK256_SIZE, error)
      || !lp_wire_read_seed (obj, path, "seed", TRUE, &params->seed, error)
      || !lp_wire_read_uint64 (obj, path, "expiration_block", TRUE,
          &params->expiration_block, error)
      || !lp_wire_read_object (obj, path, "expiration_params", FALSE, &exp,
          error))
    return FALSE;
  if (exp != NULL) {
    gchar *sub = lp_wire_sub_path (path, "expiration_params");

    ok = lp_wire_decode_expiration_params (exp, sub, &params->expiration_params,
        error);
    g_free (sub);
    return ok;
  }
  return TRUE;
}

gboolean
lp_wire_decode_price_info (JsonObject * obj, const gchar * path,
    LpPriceInfo * price, GError ** error)
{
  static const gchar *const known[] = { "price_per_unit", "pixels_per_unit",
    NULL
  };

  memset (price, 0, sizeof (*price));
  return lp_wire_check_fields (obj, path, known, NULL, error)
      && lp_wire_read_uint64 (obj, path, "price_per_unit", TRUE,
      &price->price_per_unit, error)
      && lp_wire_read_uint64 (obj, path, "pixels_per_unit", TRUE,
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

gboolean
lp_wire_decode_auth_token (JsonObject * obj, const gchar * path,
    LpAuthToken * token, GError ** error)
{
  static const gchar *const known[] = { "token", "session_id", "expiration",
    NULL
  };
  const gchar *session_id;

  memset (token, 0, sizeof (*token));
  if (!lp_wire_check_fields (obj, path, known, NULL, error)
      || !lp_wire_read_hex (obj, path, "token", TRUE, token->token,
          LP_AUTH_TOKEN_SIZE, error)
      || !lp_wire_read_string (obj, path, "session_id", TRUE,
          LP_WIRE_MAX_SESSION_ID_LENGTH, &session_id, error)
      || !lp_wire_read_int (obj, path, "expiration", TRUE, 0, G_MAXINT64,
          &token->expiration, error))
    return FALSE;
  if (!session_id_is_valid (session_id, LP_WIRE_MAX_SESSION_ID_LENGTH))
    return lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path,
        "session_id", "must be 1-%d printable ASCII characters",
        LP_WIRE_MAX_SESSION_ID_LENGTH);
  strcpy (token->session_id, session_id);
  return TRUE;
}

LpOrchestratorInfo *
lp_wire_decode_orchestrator_info (JsonObject * obj, const gchar * path,
    GError ** error)
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

  if (!lp_wire_check_fields (obj, path, known, ignored, error)
      || !lp_wire_read_string (obj, path, "transcoder", TRUE,
          LP_WIRE_MAX_URL_LENGTH, &transcoder, error))
    goto fail;
  if (*transcoder == '\0') {
    lp_wire_field_error (error, LP_WIRE_ERROR_INVALID_VALUE, path, "transcoder",
        "empty");
    goto fail;
  }
  info->transcoder = g_strdup (transcoder);
  if (!lp_wire_read_address (obj, path, "address", TRUE, &info->address, error)
      || !lp_wire_read_capabilities (obj, path, &info->capabilities, error)
      || !lp_wire_read_object (obj, path, "ticket_params", FALSE, &sub, error))
    goto fail;
  if (sub != NULL) {
    sp = lp_wire_sub_path (path, "ticket_params");
    ok = lp_wire_decode_ticket_params (sub, sp, &info->ticket_params, error);
    g_free (sp);
    if (!ok)
      goto fail;
    info->has_ticket_params = TRUE;
  }
  if (!lp_wire_read_object (obj, path, "price_info", FALSE, &sub, error))
    goto fail;
  if (sub != NULL) {
    sp = lp_wire_sub_path (path, "price_info");
    ok = lp_wire_decode_price_info (sub, sp, &info->price_info, error);
    g_free (sp);
    if (!ok)
      goto fail;
    info->has_price_info = TRUE;
  }
  if (!lp_wire_read_object (obj, path, "auth_token", TRUE, &sub, error))
    goto fail;
  sp = lp_wire_sub_path (path, "auth_token");
  ok = lp_wire_decode_auth_token (sub, sp, &info->auth_token, error);
  g_free (sp);
  if (!ok)
    goto fail;
  return info;

fail:
  lp_orchestrator_info_free (info);
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* object builders                                                          */
/* ------------------------------------------------------------------------ */

void
lp_wire_build_expiration_params (JsonBuilder * b, const gchar * name,
    const LpExpirationParams * params)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  lp_wire_add_uint64 (b, "creation_round", params->creation_round);
  lp_wire_add_hex (b, "creation_round_block_hash",
      params->creation_round_block_hash, LP_KECCAK256_SIZE);
  json_builder_end_object (b);
}

void
lp_wire_build_ticket_params (JsonBuilder * b, const LpTicketParams * params)
{
  guint8 seed[LP_UINT256_SIZE];

  json_builder_begin_object (b);
  lp_wire_add_address (b, "recipient", &params->recipient);
  lp_wire_add_uint256 (b, "face_value", &params->face_value);
  lp_wire_add_uint256 (b, "win_prob", &params->win_prob);
  lp_wire_add_hex (b, "recipient_rand_hash", params->recipient_rand_hash,
      LP_KECCAK256_SIZE);
  lp_uint256_pad32 (&params->seed, seed);
  lp_wire_add_hex (b, "seed", seed, sizeof (seed));
  lp_wire_add_uint64 (b, "expiration_block", params->expiration_block);
  if (!lp_expiration_params_is_empty (&params->expiration_params))
    lp_wire_build_expiration_params (b, "expiration_params",
        &params->expiration_params);
  json_builder_end_object (b);
}

void
lp_wire_build_price_info (JsonBuilder * b, const LpPriceInfo * price)
{
  json_builder_begin_object (b);
  lp_wire_add_uint64 (b, "price_per_unit", price->price_per_unit);
  lp_wire_add_uint64 (b, "pixels_per_unit", price->pixels_per_unit);
  json_builder_end_object (b);
}

void
lp_wire_build_auth_token (JsonBuilder * b, const LpAuthToken * token)
{
  gchar session_id[LP_WIRE_MAX_SESSION_ID_LENGTH + 1];

  /* copy: the field need not be NUL-terminated in a corrupt struct */
  memcpy (session_id, token->session_id, LP_WIRE_MAX_SESSION_ID_LENGTH);
  session_id[LP_WIRE_MAX_SESSION_ID_LENGTH] = '\0';
  json_builder_begin_object (b);
  lp_wire_add_hex (b, "token", token->token, LP_AUTH_TOKEN_SIZE);
  lp_wire_add_string (b, "session_id", session_id);
  lp_wire_add_int (b, "expiration", token->expiration);
  json_builder_end_object (b);
}

void
lp_wire_build_orchestrator_info (JsonBuilder * b,
    const LpOrchestratorInfo * info)
{
  json_builder_begin_object (b);
  lp_wire_add_string (b, "transcoder",
      info->transcoder ? info->transcoder : "");
  if (info->has_ticket_params) {
    json_builder_set_member_name (b, "ticket_params");
    lp_wire_build_ticket_params (b, &info->ticket_params);
  }
  if (info->has_price_info) {
    json_builder_set_member_name (b, "price_info");
    lp_wire_build_price_info (b, &info->price_info);
  }
  lp_wire_add_address (b, "address", &info->address);
  lp_wire_add_capabilities (b, info->capabilities);
  json_builder_set_member_name (b, "auth_token");
  lp_wire_build_auth_token (b, &info->auth_token);
  json_builder_end_object (b);
}

/* ------------------------------------------------------------------------ */
/* public JSON API                                                          */
/* ------------------------------------------------------------------------ */

/**
 * lp_wire_ticket_params_from_json:
 * @data: (array length=length): JSON text
 * @length: length of @data, or -1 when NUL-terminated
 * @params: (out caller-allocates): the parameters; untouched on failure
 * @error: return location for a #GError, or %NULL
 *
 * Reads OrchestratorInfo.ticket_params in the readable JSON form (what
 * `lpctl` takes as --params).
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

  root = lp_wire_parse_object (data, length, "TicketParams", error);
  if (root == NULL)
    return FALSE;
  /* decode into a temporary: a failed decode may have written part */
  ok = lp_wire_decode_ticket_params (json_node_get_object (root), "", &tmp,
      error);
  json_node_unref (root);
  if (ok)
    *params = tmp;
  return ok;
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

  root = lp_wire_parse_object (data, length, "OrchestratorInfo", error);
  if (root == NULL)
    return NULL;
  info =
      lp_wire_decode_orchestrator_info (json_node_get_object (root), "", error);
  json_node_unref (root);
  return info;
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

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * lpethrpc's errors: the %LP_ETH_ERROR domain with what its errors carry
 * beside the message (the node's JSON-RPC code, a revert's data and
 * decoded reason), and the sorting of a node's JSON-RPC error into its
 * codes by the messages geth, anvil and the usual providers give.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "lpethrpc.h"
#include "lpethrpc-private.h"
#include "lpabi.h"

/* ------------------------------------------------------------------------ */
/* errors */

typedef struct
{
  gint rpc_code;
  GBytes *revert_data;
  gchar *revert_reason;
} LpEthErrorPrivate;

static void
lp_eth_error_private_init (LpEthErrorPrivate * priv)
{
  priv->rpc_code = 0;
  priv->revert_data = NULL;
  priv->revert_reason = NULL;
}

static void
lp_eth_error_private_copy (const LpEthErrorPrivate * src,
    LpEthErrorPrivate * dest)
{
  dest->rpc_code = src->rpc_code;
  dest->revert_data = src->revert_data ? g_bytes_ref (src->revert_data) : NULL;
  dest->revert_reason = g_strdup (src->revert_reason);
}

static void
lp_eth_error_private_clear (LpEthErrorPrivate * priv)
{
  g_clear_pointer (&priv->revert_data, g_bytes_unref);
  g_clear_pointer (&priv->revert_reason, g_free);
}

/* GError's extended domains give the node's error code and the revert
 * data a place beside the message, copied and freed with it. */
G_DEFINE_EXTENDED_ERROR (LpEthError, lp_eth_error);

/**
 * lp_eth_error_get_rpc_code:
 * @error: an error
 *
 * Returns: the JSON-RPC error code the node answered with, when @error is
 *     of %LP_ETH_ERROR and came from such an answer; 0 otherwise
 */
gint
lp_eth_error_get_rpc_code (const GError * error)
{
  if (error == NULL || error->domain != LP_ETH_ERROR)
    return 0;
  return lp_eth_error_get_private (error)->rpc_code;
}

/**
 * lp_eth_error_get_revert_data:
 * @error: an error
 *
 * Returns: (transfer none) (nullable): the revert data of a
 *     %LP_ETH_ERROR_REVERTED error, when the node gave it
 */
GBytes *
lp_eth_error_get_revert_data (const GError * error)
{
  if (error == NULL || error->domain != LP_ETH_ERROR)
    return NULL;
  return lp_eth_error_get_private (error)->revert_data;
}

/**
 * lp_eth_error_get_revert_reason:
 * @error: an error
 *
 * Returns: (transfer none) (nullable): the decoded reason of a
 *     %LP_ETH_ERROR_REVERTED error ("nope" for `Error("nope")`, a panic's
 *     or a custom error's description), when there is one
 */
const gchar *
lp_eth_error_get_revert_reason (const GError * error)
{
  if (error == NULL || error->domain != LP_ETH_ERROR)
    return NULL;
  return lp_eth_error_get_private (error)->revert_reason;
}

/* ------------------------------------------------------------------------ */
/* the node's errors */

/* The revert data in a JSON-RPC error's "data": a hex string (geth,
 * anvil), or one nested in an object ({"data": ...} of Hardhat, {"<tx
 * hash>": {"return": ...}} of Ganache). */
static GBytes *
find_revert_data (JsonNode * node, guint depth)
{
  static const gchar *const members[] = { "data", "result", "return", NULL };
  JsonObject *object;
  guint i;

  if (node == NULL || depth > 3)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING) {
    const gchar *text = json_node_get_string (node);

    if (!g_str_has_prefix (text, "0x"))
      return NULL;
    return lp_hex_decode_bytes (text, 1024 * 1024, NULL);
  }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  for (i = 0; members[i] != NULL; i++) {
    GBytes *found = find_revert_data (json_object_get_member (object,
            members[i]), depth + 1);
    if (found != NULL)
      return found;
  }
  if (json_object_get_size (object) == 1) {
    g_autoptr (GList) values = json_object_get_values (object);
    return find_revert_data (values->data, depth + 1);
  }
  return NULL;
}

/* A revert's reason: the decoded revert data, else what the node's
 * message says after "execution reverted: ". */
static gchar *
revert_reason (GBytes * data, const gchar * message)
{
  static const gchar *const prefixes[] = {
    "execution reverted: ", "reverted with reason string ", NULL
  };
  guint i;

  if (data != NULL && g_bytes_get_size (data) > 0) {
    gsize size;
    const guint8 *bytes = g_bytes_get_data (data, &size);
    gchar *decoded = lp_abi_decode_revert (bytes, size);

    if (decoded != NULL)
      return decoded;
  }
  for (i = 0; message != NULL && prefixes[i] != NULL; i++) {
    const gchar *at = strstr (message, prefixes[i]);
    if (at != NULL && at[strlen (prefixes[i])] != '\0')
      return g_strdup (at + strlen (prefixes[i]));
  }
  return NULL;
}

static gboolean
contains_any (const gchar * haystack, const gchar * const *needles)
{
  guint i;

  for (i = 0; needles[i] != NULL; i++)
    if (strstr (haystack, needles[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* Sorts a node's refusal by its message: the codes differ between
 * clients (geth answers -32000 for all of these), the texts much less. */
static LpEthError
classify_rpc_error (gint code, const gchar * message)
{
  static const gchar *const nonce_too_low[] = { "nonce too low",
    "nonce is too low", "oldnonce", "nonce has already been used", NULL
  };
  static const gchar *const already_known[] = { "already known",
    "known transaction", "already imported", "alreadyknown", NULL
  };
  static const gchar *const underpriced[] = { "underpriced",
    "fee too low", "less than block base fee", "gas price too low",
    "max fee per gas less than", "feetoolow", NULL
  };
  static const gchar *const insufficient[] = { "insufficient funds",
    "insufficient balance", NULL
  };
  g_autofree gchar *lower = g_ascii_strdown (message ? message : "", -1);

  if (contains_any (lower, nonce_too_low))
    return LP_ETH_ERROR_NONCE_TOO_LOW;
  if (contains_any (lower, already_known))
    return LP_ETH_ERROR_ALREADY_KNOWN;
  if (contains_any (lower, underpriced))
    return LP_ETH_ERROR_UNDERPRICED;
  if (contains_any (lower, insufficient))
    return LP_ETH_ERROR_INSUFFICIENT_FUNDS;
  if (code == 3 || strstr (lower, "revert") != NULL)
    return LP_ETH_ERROR_REVERTED;
  return LP_ETH_ERROR_RPC;
}

/* The error of a JSON-RPC "error" object: sorted, and for a revert with
 * its data and reason. @display_url names the node. */
GError *
lp_eth_rpc_error_from_node (const gchar * display_url, const gchar * method,
    JsonObject * object)
{
  gint code = (gint) json_object_get_int_member_with_default (object,
      "code", 0);
  const gchar *message = json_object_get_string_member_with_default (object,
      "message", "(no message)");
  LpEthError kind = classify_rpc_error (code, message);
  LpEthErrorPrivate *priv;
  GError *error;

  if (kind == LP_ETH_ERROR_REVERTED) {
    GBytes *data = find_revert_data (json_object_get_member (object, "data"),
        0);
    gchar *reason = revert_reason (data, message);

    error = g_error_new (LP_ETH_ERROR, kind, "%s at %s: the EVM reverted: %s",
        method, display_url, reason ? reason : "(no reason given)");
    priv = lp_eth_error_get_private (error);
    priv->revert_data = data;
    priv->revert_reason = reason;
  } else {
    error = g_error_new (LP_ETH_ERROR, kind,
        "%s at %s: the node refused it: %s (JSON-RPC error %d)", method,
        display_url, message, code);
    priv = lp_eth_error_get_private (error);
  }
  priv->rpc_code = code;
  return error;
}

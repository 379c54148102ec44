/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:lpledger
 * @title: LpLedger
 * @short_description: Livepeer's on-chain state behind one interface
 *
 * #LpLedger holds what Livepeer keeps on Ethereum: LPT and fee balances,
 * rounds, TicketBroker deposits and redeemed tickets, stake, delegation,
 * rewards, fees and governance, with the contracts' rules
 * (docs/design/ledger.md). It also keeps an orchestrator's queue of
 * winning tickets waiting to be redeemed (go-livepeer keeps it in the
 * orchestrator's database).
 *
 * lp_ledger_open() picks the backend from a URI: a file name (`devnet.db`)
 * or `sqlite:///path` opens the embedded SQLite ledger; `http://` and
 * `https://` (`http://127.0.0.1:8545?controller=0x…`) open a chain: an
 * Ethereum JSON-RPC node with Livepeer's contracts deployed
 * (docs/design/chain.md).
 */
#include "lpledger.h"
#include "lpledger-private.h"

#include <json-glib/json-glib.h>
#include <string.h>

G_DEFINE_QUARK (lp-ledger-error-quark, lp_ledger_error);
G_DEFINE_INTERFACE (LpLedger, lp_ledger, G_TYPE_OBJECT);

static void
lp_ledger_default_init (LpLedgerInterface * iface)
{
}

static const gchar *const param_names[LP_LEDGER_N_PARAMS] = {
  [LP_LEDGER_PARAM_UNBONDING_PERIOD] = "unbonding-period",
  [LP_LEDGER_PARAM_NUM_ACTIVE] = "num-active",
  [LP_LEDGER_PARAM_INFLATION_CHANGE] = "inflation-change",
  [LP_LEDGER_PARAM_TARGET_BONDING_RATE] = "target-bonding-rate",
  [LP_LEDGER_PARAM_ROUND_LENGTH] = "round-length",
  [LP_LEDGER_PARAM_TREASURY_CUT] = "treasury-cut",
  [LP_LEDGER_PARAM_SLASHING] = "slashing",
  [LP_LEDGER_PARAM_UNLOCK_PERIOD] = "unlock-period",
};

/**
 * lp_ledger_param_name:
 * @param: a parameter
 *
 * Returns: (transfer none): its text name, or %NULL for an unknown value
 */
const gchar *
lp_ledger_param_name (LpLedgerParam param)
{
  if ((guint) param >= LP_LEDGER_N_PARAMS)
    return NULL;
  return param_names[param];
}

/**
 * lp_ledger_param_from_name:
 * @name: a text name such as "num-active"
 * @param: (out): the parameter
 *
 * Returns: %TRUE when @name names a parameter governance can change
 */
gboolean
lp_ledger_param_from_name (const gchar * name, LpLedgerParam * param)
{
  for (guint i = 0; i < LP_LEDGER_N_PARAMS; i++) {
    if (g_strcmp0 (name, param_names[i]) == 0) {
      *param = i;
      return TRUE;
    }
  }
  return FALSE;
}

/**
 * lp_proposal_state_name:
 * @state: a proposal state
 *
 * Returns: (transfer none): "pending", "active", "defeated", "succeeded" or
 *     "executed"
 */
const gchar *
lp_proposal_state_name (LpProposalState state)
{
  static const gchar *const names[] = { "pending", "active", "defeated",
    "succeeded", "executed"
  };
  if ((guint) state >= G_N_ELEMENTS (names))
    return "unknown";
  return names[state];
}

static void
uint256_from_decimal_literal (const gchar * text, LpUint256 * value)
{
  gboolean ok = lp_uint256_parse (text, value, NULL);
  g_assert (ok);
}

/**
 * lp_ledger_params_init_devnet:
 * @params: (out caller-allocates): parameters to fill
 *
 * The devnet defaults (docs/design/ledger.md): 1 s blocks, 60-block
 * rounds (the last 10 % locked), unbonding 7 rounds, 100 active
 * orchestrators, inflation 0.1 % per round moving by 500 (over 1e9) toward
 * a 50 % bonding rate, treasury cut 10 % up to a 750 000 LPT treasury,
 * tickets valid 2 rounds, unlock 2 rounds, slashing off (10 % of the
 * self-bond, half to the finder when on), governance: 1 round delay, 10
 * rounds of voting, quorum 33.33 %, quota 50 %, 100 LPT to propose; fees
 * in ETH.
 */
void
lp_ledger_params_init_devnet (LpLedgerParams * params)
{
  g_return_if_fail (params != NULL);

  memset (params, 0, sizeof (*params));
  params->block_time_ms = 1000;
  params->round_length = 60;
  params->round_lock_amount = 100000;
  params->unbonding_period = 7;
  params->num_active = 100;
  params->inflation = 1000000;
  params->inflation_change = 500;
  params->target_bonding_rate = 500000000;
  uint256_from_decimal_literal ("1e26", &params->treasury_cut);
  uint256_from_decimal_literal ("750000e18", &params->treasury_ceiling);
  params->ticket_validity_period = LP_TICKET_VALIDITY_ROUNDS;
  params->unlock_period = 2;
  params->slashing_enabled = FALSE;
  params->slash_amount = 100000;
  params->finder_fee = 500000;
  params->voting_delay = 1;
  params->voting_period = 10;
  params->quorum = 333300;
  params->quota = 500000;
  uint256_from_decimal_literal ("100e18", &params->proposal_threshold);
  params->fee_asset = LP_FEE_ASSET_ETH;
}

/* ---- genesis ------------------------------------------------------------ */

/**
 * lp_ledger_genesis_new:
 *
 * Returns: (transfer full): devnet parameters and no accounts
 */
LpLedgerGenesis *
lp_ledger_genesis_new (void)
{
  LpLedgerGenesis *genesis = g_new0 (LpLedgerGenesis, 1);

  lp_ledger_params_init_devnet (&genesis->params);
  genesis->accounts = g_array_new (FALSE, TRUE, sizeof (LpGenesisAccount));
  return genesis;
}

void
lp_ledger_genesis_free (LpLedgerGenesis * genesis)
{
  if (genesis == NULL)
    return;
  g_array_unref (genesis->accounts);
  g_free (genesis);
}

#define U64_FIELD(n, f, m) { n, LP_LEDGER_FIELD_U64, G_STRUCT_OFFSET (LpLedgerParams, f), m }
#define U256_FIELD(n, f) { n, LP_LEDGER_FIELD_U256, G_STRUCT_OFFSET (LpLedgerParams, f), 0 }

const LpLedgerParamField lp_ledger_param_fields[] = {
  U64_FIELD ("block-time-ms", block_time_ms, 0),
  U64_FIELD ("round-length", round_length, G_MAXINT32),
  U64_FIELD ("round-lock-amount", round_lock_amount, LP_LEDGER_PERC_DIVISOR),
  U64_FIELD ("unbonding-period", unbonding_period, G_MAXINT32),
  U64_FIELD ("num-active", num_active, 100000),
  U64_FIELD ("inflation", inflation, LP_LEDGER_MINTER_DIVISOR),
  U64_FIELD ("inflation-change", inflation_change, LP_LEDGER_MINTER_DIVISOR),
  U64_FIELD ("target-bonding-rate", target_bonding_rate,
      LP_LEDGER_MINTER_DIVISOR),
  U256_FIELD ("treasury-cut", treasury_cut),
  U256_FIELD ("treasury-ceiling", treasury_ceiling),
  U64_FIELD ("ticket-validity-period", ticket_validity_period, G_MAXINT32),
  U64_FIELD ("unlock-period", unlock_period, G_MAXINT32),
  {"slashing", LP_LEDGER_FIELD_BOOL, G_STRUCT_OFFSET (LpLedgerParams, slashing_enabled),
      0},
  U64_FIELD ("slash-amount", slash_amount, LP_LEDGER_PERC_DIVISOR),
  U64_FIELD ("finder-fee", finder_fee, LP_LEDGER_PERC_DIVISOR),
  U64_FIELD ("voting-delay", voting_delay, G_MAXINT32),
  U64_FIELD ("voting-period", voting_period, G_MAXINT32),
  U64_FIELD ("quorum", quorum, LP_LEDGER_PERC_DIVISOR),
  U64_FIELD ("quota", quota, LP_LEDGER_PERC_DIVISOR),
  U256_FIELD ("proposal-threshold", proposal_threshold),
  {NULL, 0, 0, 0},
};

/* A number in JSON: an integer, or a string lp_uint256_parse() takes. */
static gboolean
json_node_to_uint256 (JsonNode * node, const gchar * what, LpUint256 * value,
    GError ** error)
{
  g_autoptr (GError) parse_error = NULL;

  if (JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_INT64) {
    gint64 number = json_node_get_int (node);
    if (number >= 0) {
      lp_uint256_from_uint64 ((guint64) number, value);
      return TRUE;
    }
  } else if (JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING) {
    if (lp_uint256_parse (json_node_get_string (node), value, &parse_error))
      return TRUE;
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
        "Genesis: %s: %s", what, parse_error->message);
    return FALSE;
  }
  g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
      "Genesis: %s must be a non-negative integer or a string such as "
      "\"1000e18\"", what);
  return FALSE;
}

/* Checks that an amount stays far below 2^256 so that sums never overflow:
 * 2^200 wei is more LPT than could ever exist. */
static gboolean
amount_is_sane (const LpUint256 * value)
{
  for (guint i = 0; i < 7; i++) {
    if (value->be[i] != 0)
      return FALSE;
  }
  return TRUE;
}

static gboolean
genesis_read_param (LpLedgerParams * params, const gchar * name,
    JsonNode * node, GError ** error)
{
  if (g_strcmp0 (name, "fee-asset") == 0) {
    const gchar *asset = JSON_NODE_HOLDS_VALUE (node) ?
        json_node_get_string (node) : NULL;
    if (g_strcmp0 (asset, "eth") == 0)
      params->fee_asset = LP_FEE_ASSET_ETH;
    else if (g_strcmp0 (asset, "lpt") == 0)
      params->fee_asset = LP_FEE_ASSET_LPT;
    else {
      g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
          "Genesis: fee-asset must be \"eth\" or \"lpt\"");
      return FALSE;
    }
    return TRUE;
  }

  for (guint i = 0; lp_ledger_param_fields[i].name != NULL; i++) {
    const LpLedgerParamField *field = &lp_ledger_param_fields[i];
    gpointer member = G_STRUCT_MEMBER_P (params, field->offset);
    LpUint256 value;
    guint64 number;

    if (g_strcmp0 (field->name, name) != 0)
      continue;
    if (field->kind == LP_LEDGER_FIELD_BOOL) {
      if (!JSON_NODE_HOLDS_VALUE (node)
          || json_node_get_value_type (node) != G_TYPE_BOOLEAN) {
        g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
            "Genesis: %s must be true or false", name);
        return FALSE;
      }
      *(gboolean *) member = json_node_get_boolean (node);
      return TRUE;
    }
    if (!json_node_to_uint256 (node, name, &value, error))
      return FALSE;
    if (field->kind == LP_LEDGER_FIELD_U256) {
      if (!amount_is_sane (&value)) {
        g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
            "Genesis: %s is implausibly large", name);
        return FALSE;
      }
      *(LpUint256 *) member = value;
      return TRUE;
    }
    if (!lp_uint256_to_uint64 (&value, &number, NULL)
        || (field->max != 0 && number > field->max)) {
      g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
          "Genesis: %s must be at most %" G_GUINT64_FORMAT, name,
          field->max != 0 ? field->max : G_MAXUINT64);
      return FALSE;
    }
    *(guint64 *) member = number;
    return TRUE;
  }
  g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
      "Genesis: unknown parameter \"%s\"", name);
  return FALSE;
}

static gboolean
genesis_read_account (LpLedgerGenesis * genesis, guint index, JsonNode * node,
    GError ** error)
{
  LpGenesisAccount account = { 0 };
  JsonObject *object;
  g_autoptr (GError) parse_error = NULL;
  g_autofree gchar *what = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
        "Genesis: accounts[%u] must be an object", index);
    return FALSE;
  }
  object = json_node_get_object (node);
  if (!json_object_has_member (object, "address")
      || !lp_address_parse (json_object_get_string_member_with_default (object,
              "address", ""), &account.address, &parse_error)) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
        "Genesis: accounts[%u] needs an \"address\" (0x and 40 hex digits)",
        index);
    return FALSE;
  }
  what = g_strdup_printf ("accounts[%u].lpt", index);
  if (json_object_has_member (object, "lpt")
      && !json_node_to_uint256 (json_object_get_member (object, "lpt"), what,
          &account.lpt, error))
    return FALSE;
  g_free (what);
  what = g_strdup_printf ("accounts[%u].eth", index);
  if (json_object_has_member (object, "eth")
      && !json_node_to_uint256 (json_object_get_member (object, "eth"), what,
          &account.eth, error))
    return FALSE;
  if (!amount_is_sane (&account.lpt) || !amount_is_sane (&account.eth)) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
        "Genesis: accounts[%u] holds an implausibly large amount", index);
    return FALSE;
  }
  g_array_append_val (genesis->accounts, account);
  return TRUE;
}

/**
 * lp_ledger_genesis_from_json:
 * @json: the genesis document (see #LpLedgerGenesis)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full) (nullable): the genesis, or %NULL with
 *     %LP_LEDGER_ERROR_INVALID naming what is wrong
 */
LpLedgerGenesis *
lp_ledger_genesis_from_json (const gchar * json, GError ** error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (LpLedgerGenesis) genesis = lp_ledger_genesis_new ();
  g_autoptr (GError) parse_error = NULL;
  JsonObject *root;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &parse_error)) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
        "Genesis is not valid JSON (%s)", parse_error->message);
    return NULL;
  }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
        "Genesis must be a JSON object with \"params\" and \"accounts\"");
    return NULL;
  }
  root = json_node_get_object (json_parser_get_root (parser));

  if (json_object_has_member (root, "params")) {
    JsonNode *node = json_object_get_member (root, "params");
    g_autoptr (GList) names = NULL;
    if (!JSON_NODE_HOLDS_OBJECT (node)) {
      g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
          "Genesis: \"params\" must be an object");
      return NULL;
    }
    names = json_object_get_members (json_node_get_object (node));
    for (GList * l = names; l != NULL; l = l->next) {
      if (!genesis_read_param (&genesis->params, l->data,
              json_object_get_member (json_node_get_object (node), l->data),
              error))
        return NULL;
    }
  }
  if (json_object_has_member (root, "accounts")) {
    JsonNode *node = json_object_get_member (root, "accounts");
    JsonArray *array;
    if (!JSON_NODE_HOLDS_ARRAY (node)) {
      g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
          "Genesis: \"accounts\" must be an array");
      return NULL;
    }
    array = json_node_get_array (node);
    for (guint i = 0; i < json_array_get_length (array); i++) {
      if (!genesis_read_account (genesis, i, json_array_get_element (array, i),
              error))
        return NULL;
    }
  }
  return g_steal_pointer (&genesis);
}

/**
 * lp_ledger_genesis_load:
 * @path: a genesis JSON file
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full) (nullable): the genesis, or %NULL with an error
 */
LpLedgerGenesis *
lp_ledger_genesis_load (const gchar * path, GError ** error)
{
  g_autofree gchar *contents = NULL;
  g_autoptr (GError) read_error = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &read_error)) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
        "Cannot read the genesis file: %s", read_error->message);
    return NULL;
  }
  return lp_ledger_genesis_from_json (contents, error);
}

/* ---- info structs ------------------------------------------------------- */

void
lp_account_info_clear (LpAccountInfo * info)
{
  g_clear_pointer (&info->locks, g_array_unref);
}

void
lp_ledger_orchestrator_clear (LpLedgerOrchestrator * info)
{
  g_clear_pointer (&info->service_uri, g_free);
}

void
lp_ledger_orchestrator_clear_func (gpointer info)
{
  lp_ledger_orchestrator_clear (info);
}

gint
lp_ledger_orchestrator_compare_by_stake (gconstpointer a, gconstpointer b)
{
  const LpLedgerOrchestrator *x = a, *y = b;
  gint order = lp_uint256_cmp (&y->total_stake, &x->total_stake);

  return order != 0 ? order : memcmp (x->address.bytes, y->address.bytes,
      LP_ADDRESS_SIZE);
}

void
lp_proposal_info_clear (LpProposalInfo * info)
{
  g_clear_pointer (&info->description, g_free);
  g_clear_pointer (&info->actions, g_array_unref);
}

/* ---- opening ------------------------------------------------------------ */

static gboolean
ledger_uri_is_chain (const gchar * uri)
{
  return uri != NULL && (g_str_has_prefix (uri, "http://")
      || g_str_has_prefix (uri, "https://"));
}

/* The file a URI names, or NULL with an error naming what is wrong. */
static gchar *
ledger_uri_to_path (const gchar * uri, GError ** error)
{
  const gchar *scheme_end;

  if (uri == NULL || *uri == '\0') {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_URI,
        "No ledger given: name a file (devnet.db), sqlite:///path or a "
        "chain (http://HOST:PORT?controller=0x...)");
    return NULL;
  }
  if (g_str_has_prefix (uri, "sqlite://")) {
    const gchar *path = uri + strlen ("sqlite://");
    if (*path == '\0') {
      g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_URI,
          "Ledger %s names no file (write sqlite:///absolute/path or "
          "sqlite://relative/path)", uri);
      return NULL;
    }
    return g_strdup (path);
  }
  scheme_end = strstr (uri, "://");
  if (scheme_end != NULL) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_URI,
        "Ledger %s: unknown scheme \"%.*s\" (use a file name, sqlite:///path "
        "or http(s)://HOST:PORT?controller=0x...)", uri,
        (int) (scheme_end - uri), uri);
    return NULL;
  }
  return g_strdup (uri);
}

/**
 * lp_ledger_open:
 * @uri: `devnet.db`, `sqlite:///path`, or a chain:
 *     `http(s)://host:port/path?controller=0x…[&queue=FILE&…]`
 *     (docs/design/chain.md lists the query parameters)
 * @error: return location for a #GError, or %NULL
 *
 * Opens an existing ledger. Opening a chain checks that the node answers
 * and that the controller resolves Livepeer's contracts.
 *
 * Returns: (transfer full) (nullable): the ledger, or %NULL with
 *     %LP_LEDGER_ERROR_URI, %LP_LEDGER_ERROR_STORAGE,
 *     %LP_LEDGER_ERROR_NOT_INITIALIZED or (a chain)
 *     %LP_LEDGER_ERROR_UNREACHABLE
 */
LpLedger *
lp_ledger_open (const gchar * uri, GError ** error)
{
  g_autofree gchar *path = NULL;

  if (ledger_uri_is_chain (uri))
    return lp_ledger_chain_open (uri, error);
  path = ledger_uri_to_path (uri, error);
  if (path == NULL)
    return NULL;
  return lp_ledger_sqlite_open (path, error);
}

/**
 * lp_ledger_create:
 * @uri: where the new ledger goes (see lp_ledger_open())
 * @genesis: (nullable): parameters and initial balances; %NULL for devnet
 *     defaults and no accounts
 * @error: return location for a #GError, or %NULL
 *
 * Creates a ledger from a genesis and initializes its round 0. A chain
 * cannot be created here: its contracts are deployed on it
 * (%LP_LEDGER_ERROR_UNSUPPORTED).
 *
 * Returns: (transfer full) (nullable): the ledger, or %NULL with an error
 *     (%LP_LEDGER_ERROR_EXISTS when the file already holds a ledger)
 */
LpLedger *
lp_ledger_create (const gchar * uri, const LpLedgerGenesis * genesis,
    GError ** error)
{
  g_autofree gchar *path = NULL;
  g_autoptr (LpLedgerGenesis) defaults = NULL;

  if (ledger_uri_is_chain (uri)) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_UNSUPPORTED,
        "Ledger %s is a chain: a genesis cannot be written to it, its state "
        "comes from Livepeer's deployed contracts (for a development chain "
        "with the contracts deployed, run pipelines/chain-devnet.sh)", uri);
    return NULL;
  }
  path = ledger_uri_to_path (uri, error);
  if (path == NULL)
    return NULL;
  if (genesis == NULL)
    genesis = defaults = lp_ledger_genesis_new ();
  return lp_ledger_sqlite_create (path, genesis, error);
}

/* ---- dispatch ----------------------------------------------------------- */

#define LEDGER_CALL(ledger, vfunc, fail, ...) \
  G_STMT_START { \
    LpLedgerInterface *iface; \
    g_return_val_if_fail (LP_IS_LEDGER (ledger), fail); \
    iface = LP_LEDGER_GET_IFACE (ledger); \
    if (iface->vfunc == NULL) { \
      g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_UNSUPPORTED, \
          "This ledger backend cannot %s", #vfunc); \
      return fail; \
    } \
    return iface->vfunc (ledger, __VA_ARGS__); \
  } G_STMT_END

/**
 * lp_ledger_add_signer:
 * @ledger: a ledger
 * @key: the private key of an account the ledger is to act for
 * @error: return location for a #GError, or %NULL
 *
 * Gives the ledger the key of an account its operations name (an owner, a
 * sender, an orchestrator). Backends that submit transactions (a chain)
 * sign each one with the key of the account it acts for and refuse an
 * operation for an account without one (%LP_LEDGER_ERROR_NO_SIGNER);
 * operations that name no account (initializing a round, redeeming a
 * ticket) are sent by the ticket's recipient when it is a signer, else by
 * the first signer given. The embedded ledger has no signatures: it
 * ignores keys and returns %TRUE. Adding a key twice is harmless.
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_add_signer (LpLedger * ledger, LpPrivateKey * key, GError ** error)
{
  LpLedgerInterface *iface;

  g_return_val_if_fail (LP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  iface = LP_LEDGER_GET_IFACE (ledger);
  if (iface->add_signer == NULL)
    return TRUE;
  return iface->add_signer (ledger, key, error);
}

/**
 * lp_ledger_get_status:
 * @ledger: a ledger
 * @status: (out caller-allocates): the ledger at a glance
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_get_status (LpLedger * ledger, LpLedgerStatus * status,
    GError ** error)
{
  LEDGER_CALL (ledger, get_status, FALSE, status, error);
}

/**
 * lp_ledger_get_block_number:
 * @ledger: a ledger
 * @block: (out): the ledger's current block
 * @error: return location for a #GError, or %NULL
 *
 * The current block alone: one request on a chain (eth_blockNumber),
 * where lp_ledger_get_status() reads every view of the status. For a
 * loop that acts when a new block comes.
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_get_block_number (LpLedger * ledger, guint64 * block,
    GError ** error)
{
  LpLedgerInterface *iface;
  LpLedgerStatus status;

  g_return_val_if_fail (LP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (block != NULL, FALSE);
  iface = LP_LEDGER_GET_IFACE (ledger);
  if (iface->get_block_number != NULL)
    return iface->get_block_number (ledger, block, error);
  if (!lp_ledger_get_status (ledger, &status, error))
    return FALSE;
  *block = status.block;
  return TRUE;
}

/**
 * lp_ledger_get_gas_price:
 * @ledger: a ledger
 * @price: (out caller-allocates): wei per unit of gas
 * @error: return location for a #GError, or %NULL
 *
 * What a unit of gas costs now on the ledger: a chain's node's
 * `eth_gasPrice`. The embedded ledger's operations cost no gas: 0. An
 * orchestrator sizes its tickets' face value with it (go-livepeer's
 * `redeemGas × gasPrice × 100`); a request to the node each time, so
 * callers cache it.
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_get_gas_price (LpLedger * ledger, LpUint256 * price,
    GError ** error)
{
  LpLedgerInterface *iface;

  g_return_val_if_fail (LP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (price != NULL, FALSE);
  iface = LP_LEDGER_GET_IFACE (ledger);
  if (iface->get_gas_price == NULL) {
    lp_uint256_set_zero (price);
    return TRUE;
  }
  return iface->get_gas_price (ledger, price, error);
}

/**
 * lp_ledger_advance:
 * @ledger: a ledger
 * @blocks: blocks to move forward
 * @error: return location for a #GError, or %NULL
 *
 * Moves the devnet's clock forward (tests and demos). Real chains refuse.
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_advance (LpLedger * ledger, guint64 blocks, GError ** error)
{
  LEDGER_CALL (ledger, advance, FALSE, blocks, error);
}

/**
 * lp_ledger_initialize_round:
 * @ledger: a ledger
 * @error: return location for a #GError, or %NULL
 *
 * Initializes the current round (anyone may): records its block hash, sets
 * its total active stake, applies pending parameter changes and lets the
 * Minter set inflation and mintable tokens.
 *
 * Returns: %TRUE on success; %LP_LEDGER_ERROR_REFUSED when it already is
 */
gboolean
lp_ledger_initialize_round (LpLedger * ledger, GError ** error)
{
  LEDGER_CALL (ledger, initialize_round, FALSE, error);
}

/**
 * lp_ledger_get_round_block_hash:
 * @ledger: a ledger
 * @round: an initialized round
 * @hash: (out caller-allocates): the block hash recorded when it was
 *     initialized (tickets' auxData carries it)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success; %LP_LEDGER_ERROR_NOT_FOUND when @round was
 *     never initialized
 */
gboolean
lp_ledger_get_round_block_hash (LpLedger * ledger, guint64 round,
    guint8 hash[LP_KECCAK256_SIZE], GError ** error)
{
  LEDGER_CALL (ledger, get_round_block_hash, FALSE, round, hash, error);
}

/**
 * lp_ledger_get_account:
 * @ledger: a ledger
 * @address: an address
 * @info: (out caller-allocates): what the ledger knows of it; clear with
 *     lp_account_info_clear()
 * @error: return location for a #GError, or %NULL
 *
 * Unknown addresses read as all zero.
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_get_account (LpLedger * ledger, const LpAddress * address,
    LpAccountInfo * info, GError ** error)
{
  LEDGER_CALL (ledger, get_account, FALSE, address, info, error);
}

/**
 * lp_ledger_get_orchestrator:
 * @ledger: a ledger
 * @address: an address
 * @info: (out caller-allocates): clear with lp_ledger_orchestrator_clear()
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success (@info->registered tells whether it is one)
 */
gboolean
lp_ledger_get_orchestrator (LpLedger * ledger, const LpAddress * address,
    LpLedgerOrchestrator * info, GError ** error)
{
  LEDGER_CALL (ledger, get_orchestrator, FALSE, address, info, error);
}

/**
 * lp_ledger_list_orchestrators:
 * @ledger: a ledger
 * @active_only: only this round's active set
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full) (element-type LpLedgerOrchestrator) (nullable):
 *     registered orchestrators, most stake first
 */
GArray *
lp_ledger_list_orchestrators (LpLedger * ledger, gboolean active_only,
    GError ** error)
{
  LEDGER_CALL (ledger, list_orchestrators, NULL, active_only, error);
}

/**
 * lp_ledger_transfer:
 * @ledger: a ledger
 * @from: the payer
 * @to: the payee
 * @amount: LPT, in wei
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_transfer (LpLedger * ledger, const LpAddress * from,
    const LpAddress * to, const LpUint256 * amount, GError ** error)
{
  LEDGER_CALL (ledger, transfer, FALSE, from, to, amount, error);
}

/**
 * lp_ledger_fund:
 * @ledger: a ledger
 * @sender: the broadcaster
 * @deposit: added to its deposit (fee asset)
 * @reserve: added to its reserve (fee asset)
 * @error: return location for a #GError, or %NULL
 *
 * Funding cancels an unlock in progress, as the TicketBroker does.
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_fund (LpLedger * ledger, const LpAddress * sender,
    const LpUint256 * deposit, const LpUint256 * reserve, GError ** error)
{
  LEDGER_CALL (ledger, fund, FALSE, sender, deposit, reserve, error);
}

/**
 * lp_ledger_unlock:
 * @ledger: a ledger
 * @sender: the broadcaster
 * @error: return location for a #GError, or %NULL
 *
 * Starts the unlock period of a sender's deposit and reserve.
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_unlock (LpLedger * ledger, const LpAddress * sender,
    GError ** error)
{
  LEDGER_CALL (ledger, unlock, FALSE, sender, error);
}

/**
 * lp_ledger_cancel_unlock:
 * @ledger: a ledger
 * @sender: the broadcaster
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_cancel_unlock (LpLedger * ledger, const LpAddress * sender,
    GError ** error)
{
  LEDGER_CALL (ledger, cancel_unlock, FALSE, sender, error);
}

/**
 * lp_ledger_withdraw:
 * @ledger: a ledger
 * @sender: the broadcaster
 * @error: return location for a #GError, or %NULL
 *
 * Pays out a sender's deposit and remaining reserve once unlocked.
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_withdraw (LpLedger * ledger, const LpAddress * sender,
    GError ** error)
{
  LEDGER_CALL (ledger, withdraw, FALSE, sender, error);
}

/**
 * lp_ledger_get_sender_info:
 * @ledger: a ledger
 * @sender: the broadcaster
 * @info: (out caller-allocates): its deposit, reserve and unlock state
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_get_sender_info (LpLedger * ledger, const LpAddress * sender,
    LpSenderInfo * info, GError ** error)
{
  LEDGER_CALL (ledger, get_sender_info, FALSE, sender, info, error);
}

/**
 * lp_ledger_redeem_winning_ticket:
 * @ledger: a ledger
 * @ticket: a winning ticket with its signature and recipientRand
 * @redemption: (out caller-allocates) (optional): what was paid
 * @error: return location for a #GError, or %NULL
 *
 * The TicketBroker's checks, in its order; the ticket is used afterwards
 * even when the sender could pay nothing. A redeemed ticket leaves the
 * redemption queue (lp_ledger_queue_winning_ticket()) in the same
 * transaction, so that no crash can leave it both redeemed and queued, or
 * neither.
 *
 * Returns: %TRUE when redeemed; %LP_LEDGER_ERROR_TICKET_USED when it
 *     already was (final), %LP_LEDGER_ERROR_REFUSED naming the check that
 *     failed otherwise
 */
gboolean
lp_ledger_redeem_winning_ticket (LpLedger * ledger,
    const LpWinningTicket * ticket, LpRedemption * redemption,
    GError ** error)
{
  LEDGER_CALL (ledger, redeem_winning_ticket, FALSE, ticket, redemption,
      error);
}

/* The default: each ticket on its own, in order. */
static void
redeem_one_by_one (LpLedger * ledger, const LpWinningTicket * tickets,
    guint n_tickets, LpRedemptionOutcome * outcomes)
{
  for (guint i = 0; i < n_tickets; i++)
    lp_ledger_redeem_winning_ticket (ledger, &tickets[i],
        &outcomes[i].redemption, &outcomes[i].error);
}

/**
 * lp_ledger_redeem_winning_tickets:
 * @ledger: a ledger
 * @tickets: (array length=n_tickets): winning tickets with their
 *     signatures and recipientRands
 * @n_tickets: how many
 * @outcomes: (out caller-allocates) (array length=n_tickets): each
 *     ticket's outcome, in the order of @tickets
 * @error: return location for a #GError, or %NULL
 *
 * Redeems several winning tickets, each as lp_ledger_redeem_winning_ticket()
 * would: one refused ticket does not stop the others, and each ticket
 * leaves the redemption queue when it is redeemed or refused for good
 * (%LP_LEDGER_ERROR_TICKET_USED). A chain sends them in as few
 * batchRedeemWinningTickets transactions as its block gas limit allows,
 * which costs about half the gas per ticket of single redemptions; the
 * embedded ledger redeems them one after the other.
 *
 * Returns: %FALSE with @error only when the call failed as a whole before
 *     any ticket was sent (no key to send with, node unreachable), and then
 *     @outcomes say nothing; otherwise %TRUE, and each outcome says whether
 *     its ticket was redeemed (free their errors with g_clear_error())
 */
gboolean
lp_ledger_redeem_winning_tickets (LpLedger * ledger,
    const LpWinningTicket * tickets, guint n_tickets,
    LpRedemptionOutcome * outcomes, GError ** error)
{
  LpLedgerInterface *iface;

  g_return_val_if_fail (LP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (n_tickets == 0 || (tickets != NULL
          && outcomes != NULL), FALSE);
  if (n_tickets == 0)
    return TRUE;
  memset (outcomes, 0, sizeof (*outcomes) * n_tickets);
  iface = LP_LEDGER_GET_IFACE (ledger);
  if (iface->redeem_winning_tickets != NULL)
    return iface->redeem_winning_tickets (ledger, tickets, n_tickets,
        outcomes, error);
  redeem_one_by_one (ledger, tickets, n_tickets, outcomes);
  return TRUE;
}

/**
 * lp_ledger_list_redeemed_tickets:
 * @ledger: a ledger
 * @recipient: (nullable): only those paid to it
 * @error: return location for a #GError, or %NULL
 *
 * Returns: (transfer full) (element-type LpRedeemedTicket) (nullable): the
 *     redeemed tickets, oldest first
 */
GArray *
lp_ledger_list_redeemed_tickets (LpLedger * ledger,
    const LpAddress * recipient, GError ** error)
{
  LEDGER_CALL (ledger, list_redeemed_tickets, NULL, recipient, error);
}

/**
 * lp_ledger_queue_winning_ticket:
 * @ledger: a ledger
 * @ticket: a winning ticket the recipient accepted
 * @added: (out) (optional): set to whether @ticket was new to the queue
 *     (%FALSE when it was queued or redeemed before)
 * @error: return location for a #GError, or %NULL
 *
 * Stores @ticket durably for later redemption: once this returns, the
 * ticket survives a crash (an orchestrator calls it before it answers the
 * payment). Idempotent per ticket hash (lp_ticket_hash()): queueing a
 * ticket already queued (the first copy stays) or already redeemed on
 * this ledger succeeds and changes nothing. Nothing is checked here; the
 * redemption applies the TicketBroker's rules.
 *
 * Returns: %TRUE when the ticket is queued or was already handled
 */
gboolean
lp_ledger_queue_winning_ticket (LpLedger * ledger,
    const LpWinningTicket * ticket, gboolean * added, GError ** error)
{
  gboolean unused;

  g_return_val_if_fail (ticket != NULL, FALSE);

  LEDGER_CALL (ledger, queue_winning_ticket, FALSE, ticket,
      added != NULL ? added : &unused, error);
}

/**
 * lp_ledger_list_queued_tickets:
 * @ledger: a ledger
 * @recipient: (nullable): only the tickets paying it
 * @error: return location for a #GError, or %NULL
 *
 * What a redemption worker goes through: give each ticket to
 * lp_winning_ticket_redeemability(), redeem it with
 * lp_ledger_redeem_winning_ticket() when it says %LP_REDEEMABILITY_NOW,
 * and drop it with lp_ledger_drop_queued_ticket() when it says
 * %LP_REDEEMABILITY_TOO_LATE or the redemption fails for good.
 *
 * Returns: (transfer full) (element-type LpWinningTicket) (nullable): the
 *     queued tickets, oldest first
 */
GArray *
lp_ledger_list_queued_tickets (LpLedger * ledger,
    const LpAddress * recipient, GError ** error)
{
  LEDGER_CALL (ledger, list_queued_tickets, NULL, recipient, error);
}

/**
 * lp_ledger_drop_queued_ticket:
 * @ledger: a ledger
 * @ticket_hash: (array fixed-size=32): the hash of a queued ticket
 * @error: return location for a #GError, or %NULL
 *
 * Removes a ticket from the redemption queue without redeeming it: its
 * redemption failed for good, or it is too old to redeem.
 *
 * Returns: %TRUE when removed; %LP_LEDGER_ERROR_NOT_FOUND when it is not
 *     queued
 */
gboolean
lp_ledger_drop_queued_ticket (LpLedger * ledger,
    const guint8 ticket_hash[LP_TICKET_HASH_SIZE], GError ** error)
{
  g_return_val_if_fail (ticket_hash != NULL, FALSE);

  LEDGER_CALL (ledger, drop_queued_ticket, FALSE, ticket_hash, error);
}

/**
 * lp_ledger_register_orchestrator:
 * @ledger: a ledger
 * @orchestrator: a self-bonded address
 * @reward_cut: share of rewards it keeps, over 1e6
 * @fee_share: share of fees passed to delegators, over 1e6
 * @service_uri: (nullable): where it serves; %NULL keeps the current one
 * @error: return location for a #GError, or %NULL
 *
 * The contracts' `transcoder()`: sets the commission and joins the next
 * round's active set when its stake allows; then the ServiceRegistry's
 * `setServiceURI()` when @service_uri differs from the one registered.
 * An orchestrator already in the active pool with this reward cut and fee
 * share has no `transcoder()` to call (as go-livepeer's orchestrator
 * config skips it), so only its URI changes, which the round lock and the
 * reward rule do not hold back.
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_register_orchestrator (LpLedger * ledger,
    const LpAddress * orchestrator, guint64 reward_cut, guint64 fee_share,
    const gchar * service_uri, GError ** error)
{
  LEDGER_CALL (ledger, register_orchestrator, FALSE, orchestrator, reward_cut,
      fee_share, service_uri, error);
}

/**
 * lp_ledger_set_service_uri:
 * @ledger: a ledger
 * @orchestrator: a registered orchestrator (its key added as a signer on
 *     a chain)
 * @service_uri: where it serves
 * @changed: (out) (optional): whether the ledger's URI was changed
 * @error: return location for a #GError, or %NULL
 *
 * Makes @service_uri the URI broadcasters discover @orchestrator at
 * (`ServiceRegistry.setServiceURI()` on a chain), keeping its reward cut
 * and fee share: nothing is written when it is the registered URI
 * already. An orchestrator that is not registered (self-bonded) is
 * refused with %LP_LEDGER_ERROR_REFUSED; one registered but outside the
 * active pool is registered again with its rates (which joins the pool
 * when its stake allows, and which the round lock refuses).
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_set_service_uri (LpLedger * ledger, const LpAddress * orchestrator,
    const gchar * service_uri, gboolean * changed, GError ** error)
{
  LpLedgerOrchestrator info;
  gchar address[LP_ADDRESS_TEXT_SIZE];
  gboolean ok;

  g_return_val_if_fail (LP_IS_LEDGER (ledger), FALSE);
  g_return_val_if_fail (orchestrator != NULL, FALSE);
  g_return_val_if_fail (service_uri != NULL, FALSE);

  if (changed != NULL)
    *changed = FALSE;
  if (service_uri[0] == '\0') {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_INVALID,
        "The service URI is empty: give the URL broadcasters reach the "
        "orchestrator at");
    return FALSE;
  }
  memset (&info, 0, sizeof (info));
  if (!lp_ledger_get_orchestrator (ledger, orchestrator, &info, error))
    return FALSE;
  lp_address_format (orchestrator, address);
  if (!info.registered) {
    g_set_error (error, LP_LEDGER_ERROR, LP_LEDGER_ERROR_REFUSED,
        "%s is not a registered orchestrator, so its service URI cannot be "
        "set: bond LPT to itself and register it first (lpctl bond --to %s; "
        "lpctl register)", address, address);
    ok = FALSE;
  } else if (g_strcmp0 (info.service_uri, service_uri) == 0) {
    ok = TRUE;
  } else {
    ok = lp_ledger_register_orchestrator (ledger, orchestrator,
        info.reward_cut, info.fee_share, service_uri, error);
    if (ok && changed != NULL)
      *changed = TRUE;
  }
  lp_ledger_orchestrator_clear (&info);
  return ok;
}

/**
 * lp_ledger_bond:
 * @ledger: a ledger
 * @owner: the delegator
 * @to: the delegate (itself to self-bond)
 * @amount: LPT to add (may be 0 to move the current bond)
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_bond (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * to, const LpUint256 * amount, GError ** error)
{
  LEDGER_CALL (ledger, bond, FALSE, owner, to, amount, error);
}

/**
 * lp_ledger_unbond:
 * @ledger: a ledger
 * @owner: the delegator
 * @amount: LPT to unbond
 * @lock_id: (out) (optional): the unbonding lock made
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_unbond (LpLedger * ledger, const LpAddress * owner,
    const LpUint256 * amount, guint64 * lock_id, GError ** error)
{
  LEDGER_CALL (ledger, unbond, FALSE, owner, amount, lock_id, error);
}

/**
 * lp_ledger_rebond:
 * @ledger: a ledger
 * @owner: the delegator
 * @to: (nullable): the delegate when @owner is unbonded; %NULL otherwise
 * @lock_id: the unbonding lock to rebond
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_rebond (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * to, guint64 lock_id, GError ** error)
{
  LEDGER_CALL (ledger, rebond, FALSE, owner, to, lock_id, error);
}

/**
 * lp_ledger_withdraw_stake:
 * @ledger: a ledger
 * @owner: the delegator
 * @lock_id: an unbonding lock past its withdraw round
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_withdraw_stake (LpLedger * ledger, const LpAddress * owner,
    guint64 lock_id, GError ** error)
{
  LEDGER_CALL (ledger, withdraw_stake, FALSE, owner, lock_id, error);
}

/**
 * lp_ledger_withdraw_fees:
 * @ledger: a ledger
 * @owner: the delegator
 * @recipient: who receives them
 * @amount: fee asset, in wei
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_withdraw_fees (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * recipient, const LpUint256 * amount, GError ** error)
{
  LEDGER_CALL (ledger, withdraw_fees, FALSE, owner, recipient, amount, error);
}

/**
 * lp_ledger_claim_earnings:
 * @ledger: a ledger
 * @owner: the delegator
 * @error: return location for a #GError, or %NULL
 *
 * Claims rewards and fees up to the current round.
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_claim_earnings (LpLedger * ledger, const LpAddress * owner,
    GError ** error)
{
  LEDGER_CALL (ledger, claim_earnings, FALSE, owner, error);
}

/**
 * lp_ledger_reward:
 * @ledger: a ledger
 * @orchestrator: an active orchestrator
 * @minted: (out caller-allocates) (optional): LPT minted (treasury share
 *     included)
 * @error: return location for a #GError, or %NULL
 *
 * Once per round per active orchestrator.
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_reward (LpLedger * ledger, const LpAddress * orchestrator,
    LpUint256 * minted, GError ** error)
{
  LEDGER_CALL (ledger, reward, FALSE, orchestrator, minted, error);
}

/**
 * lp_ledger_submit_evidence:
 * @ledger: a ledger
 * @finder: who found the fault
 * @orchestrator: the faulty orchestrator
 * @reason: what verification found
 * @penalty: (out caller-allocates) (optional): LPT slashed (0 while
 *     slashing is off)
 * @error: return location for a #GError, or %NULL
 *
 * Records verification-failure evidence; slashes when the `slashing`
 * parameter is on (at most once per orchestrator and round).
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_submit_evidence (LpLedger * ledger, const LpAddress * finder,
    const LpAddress * orchestrator, const gchar * reason, LpUint256 * penalty,
    GError ** error)
{
  LEDGER_CALL (ledger, submit_evidence, FALSE, finder, orchestrator, reason,
      penalty, error);
}

/**
 * lp_ledger_propose:
 * @ledger: a ledger
 * @proposer: needs the proposal threshold in stake
 * @description: the proposal's text
 * @actions: (array length=n_actions) (nullable): what it does if it passes
 * @n_actions: length of @actions
 * @proposal_id: (out) (optional): its id
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_propose (LpLedger * ledger, const LpAddress * proposer,
    const gchar * description, const LpProposalAction * actions,
    guint n_actions, guint64 * proposal_id, GError ** error)
{
  LEDGER_CALL (ledger, propose, FALSE, proposer, description, actions,
      n_actions, proposal_id, error);
}

/**
 * lp_ledger_vote:
 * @ledger: a ledger
 * @voter: an orchestrator or delegator
 * @proposal_id: an active proposal
 * @support: the vote
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_vote (LpLedger * ledger, const LpAddress * voter,
    guint64 proposal_id, LpVoteSupport support, GError ** error)
{
  LEDGER_CALL (ledger, vote, FALSE, voter, proposal_id, support, error);
}

/**
 * lp_ledger_get_proposal:
 * @ledger: a ledger
 * @proposal_id: a proposal id
 * @info: (out caller-allocates): clear with lp_proposal_info_clear()
 * @error: return location for a #GError, or %NULL
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_get_proposal (LpLedger * ledger, guint64 proposal_id,
    LpProposalInfo * info, GError ** error)
{
  LEDGER_CALL (ledger, get_proposal, FALSE, proposal_id, info, error);
}

/**
 * lp_ledger_execute:
 * @ledger: a ledger
 * @proposal_id: a succeeded proposal
 * @error: return location for a #GError, or %NULL
 *
 * Pays its treasury payouts now; its parameter changes take effect at the
 * next round initialization (a round length change at once, as the
 * RoundsManager does).
 *
 * Returns: %TRUE on success
 */
gboolean
lp_ledger_execute (LpLedger * ledger, guint64 proposal_id, GError ** error)
{
  LEDGER_CALL (ledger, execute, FALSE, proposal_id, error);
}

/**
 * lp_ledger_audit:
 * @ledger: a ledger
 * @report: where to write one line per invariant checked
 * @error: return location for a #GError, or %NULL
 *
 * Checks the storage first (see lp_ledger_check_storage()), then
 * re-checks every invariant: LPT conservation, supply growth only by
 * minted rewards, fee conservation, no ticket redeemed twice, no redeemed
 * ticket still queued, no delegator owed more than its delegate holds.
 *
 * Returns: %TRUE when all hold; %FALSE otherwise, with @error set when
 *     the ledger could not be read or its storage is damaged
 *     (%LP_LEDGER_ERROR_DAMAGED), unset when an invariant failed (the
 *     report's FAILED lines say which)
 */
gboolean
lp_ledger_audit (LpLedger * ledger, GString * report, GError ** error)
{
  LEDGER_CALL (ledger, audit, FALSE, report, error);
}

/**
 * lp_ledger_check_storage:
 * @ledger: a ledger
 * @report: (nullable): where to write what was checked, one line each
 * @error: return location for a #GError, or %NULL
 *
 * Checks the storage under the ledger, quickly enough to run whenever a
 * node opens it: for the embedded ledger, SQLite's `quick_check` (every
 * page and index readable and consistent). A backend with nothing of its
 * own to check passes.
 *
 * Returns: %TRUE when the storage is sound; %FALSE with
 *     %LP_LEDGER_ERROR_DAMAGED (what is broken) or
 *     %LP_LEDGER_ERROR_STORAGE (it could not be read)
 */
gboolean
lp_ledger_check_storage (LpLedger * ledger, GString * report, GError ** error)
{
  LpLedgerInterface *iface;

  g_return_val_if_fail (LP_IS_LEDGER (ledger), FALSE);
  iface = LP_LEDGER_GET_IFACE (ledger);
  if (iface->check_storage == NULL)
    return TRUE;
  return iface->check_storage (ledger, report, error);
}

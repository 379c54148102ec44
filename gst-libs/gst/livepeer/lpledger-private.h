/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/* Shared between the ledger interface and its backends; not installed. */
#pragma once

#include "lpledger.h"

G_BEGIN_DECLS

typedef enum
{
  LP_LEDGER_FIELD_U64,
  LP_LEDGER_FIELD_U256,
  LP_LEDGER_FIELD_BOOL,
} LpLedgerFieldKind;

/* One LpLedgerParams member: its text name (genesis JSON and storage), its
 * kind, where it is and its largest value (U64 only; 0: no limit). The
 * table ends with a NULL name; fee-asset is handled apart. */
typedef struct
{
  const gchar *name;
  LpLedgerFieldKind kind;
  gsize offset;
  guint64 max;
} LpLedgerParamField;

extern const LpLedgerParamField lp_ledger_param_fields[];

LpLedger *lp_ledger_sqlite_open (const gchar * path, GError ** error);
LpLedger *lp_ledger_sqlite_create (const gchar * path,
    const LpLedgerGenesis * genesis, GError ** error);

/* GCompareFunc for LpLedgerOrchestrator: the larger total stake first, then
 * by address, so that both backends list the orchestrators alike */
G_GNUC_INTERNAL
gint lp_ledger_orchestrator_compare_by_stake (gconstpointer a,
    gconstpointer b);

/* lpledger-chain.c: @uri starts with http:// or https:// */
LpLedger *lp_ledger_chain_open (const gchar * uri, GError ** error);

G_END_DECLS

/* gst-livepeer
 * Copyright (C) 2026 gst-livepeer contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * LpLedger, Livepeer's on-chain state behind one interface: its
 * parameters, the types of what it reports, the operations and the
 * LpLedgerInterface a backend implements (lpledger.c documents the API).
 */
#pragma once

#include <gst/livepeer/livepeer-prelude.h>
#include <glib-object.h>
#include <gst/livepeer/lpcrypto.h>
#include <gst/livepeer/lpuint256.h>
#include <gst/livepeer/lpticket.h>
#include <gst/livepeer/lprecipient.h>

G_BEGIN_DECLS

/* Divisors of the contracts' fixed-point fractions (docs/design/ledger.md). */
#define LP_LEDGER_PERC_DIVISOR G_GUINT64_CONSTANT (1000000)
#define LP_LEDGER_MINTER_DIVISOR G_GUINT64_CONSTANT (1000000000)
/* PreciseMathUtils: 1e27, too large for 64 bits; see lp_ledger_precise_divisor() */

/* The "no deactivation planned" round (the contracts' MAX_FUTURE_ROUND). */
#define LP_LEDGER_MAX_FUTURE_ROUND G_MAXINT64

#define LP_LEDGER_ERROR (lp_ledger_error_quark ())
GST_LIVEPEER_API
GQuark lp_ledger_error_quark (void);

/**
 * LpLedgerError:
 * @LP_LEDGER_ERROR_URI: the ledger URI is malformed or names a backend that
 *     does not exist
 * @LP_LEDGER_ERROR_UNSUPPORTED: the backend cannot do this (for example,
 *     advancing blocks by hand on a real chain)
 * @LP_LEDGER_ERROR_STORAGE: the database could not be read or written
 * @LP_LEDGER_ERROR_NOT_INITIALIZED: the file holds no ledger yet (run
 *     `lpctl init`)
 * @LP_LEDGER_ERROR_EXISTS: genesis asked for on a ledger that already has
 *     one
 * @LP_LEDGER_ERROR_INVALID: bad input (genesis file, amount, parameter)
 * @LP_LEDGER_ERROR_REFUSED: a protocol rule refused the operation; the
 *     message names the rule. Nothing was changed.
 * @LP_LEDGER_ERROR_NOT_FOUND: no such proposal, account or ticket
 * @LP_LEDGER_ERROR_TICKET_USED: the winning ticket was already redeemed
 *     (the TicketBroker's "ticket already used"). Final: redeeming it again
 *     can never succeed, so a redemption worker drops it. Nothing was
 *     changed.
 * @LP_LEDGER_ERROR_DAMAGED: the storage itself is damaged (SQLite's
 *     quick_check found a broken page or index): restore a backup; no
 *     invariant can be trusted on it
 * @LP_LEDGER_ERROR_NO_SIGNER: the operation acts for an account whose key
 *     the ledger was not given (lp_ledger_add_signer()); only backends that
 *     submit signed transactions (a chain) need keys. Nothing was sent.
 * @LP_LEDGER_ERROR_UNREACHABLE: the node behind the ledger (a chain's
 *     JSON-RPC endpoint) did not answer; the message names its URL. For a
 *     transaction, nothing is known to have been sent unless it says so.
 *
 * Error codes of the %LP_LEDGER_ERROR domain.
 */
typedef enum
{
  LP_LEDGER_ERROR_URI,
  LP_LEDGER_ERROR_UNSUPPORTED,
  LP_LEDGER_ERROR_STORAGE,
  LP_LEDGER_ERROR_NOT_INITIALIZED,
  LP_LEDGER_ERROR_EXISTS,
  LP_LEDGER_ERROR_INVALID,
  LP_LEDGER_ERROR_REFUSED,
  LP_LEDGER_ERROR_NOT_FOUND,
  LP_LEDGER_ERROR_TICKET_USED,
  LP_LEDGER_ERROR_DAMAGED,
  LP_LEDGER_ERROR_NO_SIGNER,
  LP_LEDGER_ERROR_UNREACHABLE,
} LpLedgerError;

/**
 * LpFeeAsset:
 * @LP_FEE_ASSET_ETH: fees (deposits, reserves, ticket payouts) are in ETH, as
 *     on the live network
 * @LP_FEE_ASSET_LPT: fees are in LPT (the seed's design); deposits then come
 *     out of LPT balances
 *
 * The asset tickets pay in, chosen at genesis.
 */
typedef enum
{
  LP_FEE_ASSET_ETH,
  LP_FEE_ASSET_LPT,
} LpFeeAsset;

/**
 * LpLedgerParam:
 * @LP_LEDGER_PARAM_UNBONDING_PERIOD: rounds between unbond and withdraw
 * @LP_LEDGER_PARAM_NUM_ACTIVE: size of the active set
 * @LP_LEDGER_PARAM_INFLATION_CHANGE: per-round inflation step (over 1e9)
 * @LP_LEDGER_PARAM_TARGET_BONDING_RATE: over 1e9
 * @LP_LEDGER_PARAM_ROUND_LENGTH: blocks per round
 * @LP_LEDGER_PARAM_TREASURY_CUT: treasury reward cut rate (over 1e27)
 * @LP_LEDGER_PARAM_SLASHING: 0 off, 1 on
 * @LP_LEDGER_PARAM_UNLOCK_PERIOD: rounds a sender's unlock takes
 *
 * The parameters governance can change. Their text names (for JSON and the
 * command line) are lp_ledger_param_name(): `unbonding-period`,
 * `num-active`, `inflation-change`, `target-bonding-rate`, `round-length`,
 * `treasury-cut`, `slashing`, `unlock-period`.
 */
typedef enum
{
  LP_LEDGER_PARAM_UNBONDING_PERIOD,
  LP_LEDGER_PARAM_NUM_ACTIVE,
  LP_LEDGER_PARAM_INFLATION_CHANGE,
  LP_LEDGER_PARAM_TARGET_BONDING_RATE,
  LP_LEDGER_PARAM_ROUND_LENGTH,
  LP_LEDGER_PARAM_TREASURY_CUT,
  LP_LEDGER_PARAM_SLASHING,
  LP_LEDGER_PARAM_UNLOCK_PERIOD,
  LP_LEDGER_N_PARAMS,
} LpLedgerParam;

GST_LIVEPEER_API
const gchar *lp_ledger_param_name (LpLedgerParam param);
GST_LIVEPEER_API
gboolean lp_ledger_param_from_name (const gchar * name, LpLedgerParam * param);

/**
 * LpLedgerParams:
 * @block_time_ms: milliseconds per block; 0 means blocks only advance
 *     through lp_ledger_advance()
 * @round_length: blocks per round
 * @round_lock_amount: the locked last fraction of a round, over 1e6
 * @unbonding_period: rounds
 * @num_active: active set size
 * @inflation: current inflation per round, over 1e9
 * @inflation_change: over 1e9
 * @target_bonding_rate: over 1e9
 * @treasury_cut: treasury reward cut rate, over 1e27
 * @treasury_ceiling: treasury contributions stop while its balance is at or
 *     above this (0: no ceiling)
 * @ticket_validity_period: rounds a ticket's creation round stays valid
 * @unlock_period: rounds
 * @slashing_enabled: whether accepted evidence slashes
 * @slash_amount: fraction of the self-bond slashed, over 1e6
 * @finder_fee: fraction of the penalty paid to the evidence finder, over 1e6
 * @voting_delay: rounds between a proposal and its voting start
 * @voting_period: rounds of voting
 * @quorum: participation needed, over 1e6 of total active stake
 * @quota: share of for-votes needed, over 1e6 (strictly more)
 * @proposal_threshold: stake needed to propose
 * @fee_asset: the asset tickets pay in
 *
 * The protocol parameters. lp_ledger_params_init_devnet() fills the
 * devnet defaults of docs/design/ledger.md.
 */
typedef struct
{
  guint64 block_time_ms;
  guint64 round_length;
  guint64 round_lock_amount;
  guint64 unbonding_period;
  guint64 num_active;
  guint64 inflation;
  guint64 inflation_change;
  guint64 target_bonding_rate;
  LpUint256 treasury_cut;
  LpUint256 treasury_ceiling;
  guint64 ticket_validity_period;
  guint64 unlock_period;
  gboolean slashing_enabled;
  guint64 slash_amount;
  guint64 finder_fee;
  guint64 voting_delay;
  guint64 voting_period;
  guint64 quorum;
  guint64 quota;
  LpUint256 proposal_threshold;
  LpFeeAsset fee_asset;
} LpLedgerParams;

GST_LIVEPEER_API
void lp_ledger_params_init_devnet (LpLedgerParams * params);

/**
 * LpGenesisAccount:
 * @address: the account
 * @lpt: its LPT balance, in wei
 * @eth: its ETH balance, in wei (ignored when fees are in LPT)
 */
typedef struct
{
  LpAddress address;
  LpUint256 lpt;
  LpUint256 eth;
} LpGenesisAccount;

/**
 * LpLedgerGenesis:
 * @params: the protocol parameters
 * @accounts: (element-type LpGenesisAccount): initial balances
 *
 * What `lpctl init --genesis FILE` reads. The JSON form:
 * `{"params": {"round-length": 60, "fee-asset": "eth", ...},
 *   "accounts": [{"address": "0x…", "lpt": "1000000e18", "eth": "1e18"}]}`.
 * Every params key is optional (devnet defaults).
 */
typedef struct
{
  LpLedgerParams params;
  GArray *accounts;
} LpLedgerGenesis;

GST_LIVEPEER_API
LpLedgerGenesis *lp_ledger_genesis_new (void);
GST_LIVEPEER_API
void lp_ledger_genesis_free (LpLedgerGenesis * genesis);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpLedgerGenesis, lp_ledger_genesis_free)
GST_LIVEPEER_API
LpLedgerGenesis *lp_ledger_genesis_from_json (const gchar * json,
    GError ** error);
GST_LIVEPEER_API
LpLedgerGenesis *lp_ledger_genesis_load (const gchar * path, GError ** error);

/**
 * LpLedgerStatus:
 * @block: the current block
 * @round: the current round
 * @round_initialized: whether @round is initialized
 * @round_locked: whether @round is in its locked tail
 * @last_initialized_round: the latest initialized round
 * @total_supply: LPT in existence
 * @total_bonded: LPT staked (every delegate's total stake)
 * @current_round_total_active_stake: stake of this round's active set
 * @next_round_total_active_stake: stake of the next round's active set
 * @mintable: LPT mintable in the last initialized round (as the Minter's
 *   currentMintableTokens: an uninitialized round shows the previous one's)
 * @minted: LPT minted in the last initialized round
 * @treasury: the treasury's LPT balance
 * @params: the parameters in force
 *
 * The ledger at a glance.
 */
typedef struct
{
  guint64 block;
  guint64 round;
  gboolean round_initialized;
  gboolean round_locked;
  guint64 last_initialized_round;
  LpUint256 total_supply;
  LpUint256 total_bonded;
  LpUint256 current_round_total_active_stake;
  LpUint256 next_round_total_active_stake;
  LpUint256 mintable;
  LpUint256 minted;
  LpUint256 treasury;
  LpLedgerParams params;
} LpLedgerStatus;

/**
 * LpDelegatorStatus:
 * @LP_DELEGATOR_UNBONDED: nothing bonded
 * @LP_DELEGATOR_PENDING: bonded, counting from a future round
 * @LP_DELEGATOR_BONDED: bonded
 */
typedef enum
{
  LP_DELEGATOR_UNBONDED,
  LP_DELEGATOR_PENDING,
  LP_DELEGATOR_BONDED,
} LpDelegatorStatus;

/**
 * LpUnbondingLock:
 * @id: the lock's id (per delegator, from 0)
 * @amount: LPT locked
 * @withdraw_round: first round it may be withdrawn in
 */
typedef struct
{
  guint64 id;
  LpUint256 amount;
  guint64 withdraw_round;
} LpUnbondingLock;

/**
 * LpAccountInfo:
 * @address: the account
 * @lpt: LPT balance (not staked)
 * @eth: ETH balance
 * @status: delegator status
 * @bonded: bonded amount as stored (at @last_claim_round)
 * @pending_stake: bonded amount with every unclaimed reward up to now
 * @fees: fees as stored
 * @pending_fees: fees with every unclaimed fee up to now
 * @delegate: the delegate (zero when unbonded)
 * @delegated: stake delegated to this address (its total stake when it is
 *     an orchestrator)
 * @start_round: round its bond counts from
 * @last_claim_round: round earnings were last claimed for
 * @locks: (element-type LpUnbondingLock): its unbonding locks
 * @deposit: TicketBroker deposit
 * @reserve: TicketBroker reserve left
 * @withdraw_round: round the deposit and reserve unlock in (0: not
 *     unlocking)
 *
 * Everything the ledger knows about one address. Free with
 * lp_account_info_clear().
 */
typedef struct
{
  LpAddress address;
  LpUint256 lpt;
  LpUint256 eth;
  LpDelegatorStatus status;
  LpUint256 bonded;
  LpUint256 pending_stake;
  LpUint256 fees;
  LpUint256 pending_fees;
  LpAddress delegate;
  LpUint256 delegated;
  guint64 start_round;
  guint64 last_claim_round;
  GArray *locks;
  LpUint256 deposit;
  LpUint256 reserve;
  guint64 withdraw_round;
} LpAccountInfo;

GST_LIVEPEER_API
void lp_account_info_clear (LpAccountInfo * info);

/**
 * LpLedgerOrchestrator:
 * @address: the orchestrator
 * @registered: self-bonded and registered
 * @active: in the current round's active set
 * @in_pool: in the next round's active set
 * @total_stake: its total stake (self and delegated)
 * @reward_cut: share of rewards it keeps, over 1e6
 * @fee_share: share of fees passed to delegators, over 1e6
 * @service_uri: where it serves (may be empty)
 * @last_reward_round: last round it called reward
 * @activation_round: round it became (or becomes) active
 * @deactivation_round: round it stops being active
 *     (%LP_LEDGER_MAX_FUTURE_ROUND when none is planned)
 * @cumulative_rewards: rewards it earned not yet claimed
 * @cumulative_fees: fees it earned not yet claimed
 *
 * A registered orchestrator (a "transcoder" in the contracts).
 */
typedef struct
{
  LpAddress address;
  gboolean registered;
  gboolean active;
  gboolean in_pool;
  LpUint256 total_stake;
  guint64 reward_cut;
  guint64 fee_share;
  gchar *service_uri;
  guint64 last_reward_round;
  guint64 activation_round;
  gint64 deactivation_round;
  LpUint256 cumulative_rewards;
  LpUint256 cumulative_fees;
} LpLedgerOrchestrator;

GST_LIVEPEER_API
void lp_ledger_orchestrator_clear (LpLedgerOrchestrator * info);
/* for a GArray of LpLedgerOrchestrator: g_array_set_clear_func (a, lp_ledger_orchestrator_clear_func) */
GST_LIVEPEER_API
void lp_ledger_orchestrator_clear_func (gpointer info);

/**
 * LpRedemption:
 * @ticket_hash: the ticket's hash
 * @from_deposit: paid from the sender's deposit
 * @from_reserve: paid from the sender's reserve
 * @round: the round it was redeemed in
 *
 * The outcome of a redeemed winning ticket. Paying less than the face value
 * (or nothing) is not an error: the ticket is used either way.
 */
typedef struct
{
  guint8 ticket_hash[LP_TICKET_HASH_SIZE];
  LpUint256 from_deposit;
  LpUint256 from_reserve;
  guint64 round;
} LpRedemption;

/**
 * LpRedemptionOutcome:
 * @redemption: what was paid, when @error is %NULL
 * @error: %NULL when the ticket was redeemed; otherwise why not, as
 *     lp_ledger_redeem_winning_ticket() would say it
 *     (%LP_LEDGER_ERROR_TICKET_USED is final)
 *
 * One ticket's outcome in lp_ledger_redeem_winning_tickets(). Free @error
 * with g_clear_error().
 */
typedef struct
{
  LpRedemption redemption;
  GError *error;
} LpRedemptionOutcome;

/**
 * LpRedeemedTicket:
 * @ticket_hash: the ticket's hash
 * @sender: who paid
 * @recipient: who was paid
 * @face_value: the ticket's face value
 * @paid: what was actually paid
 * @round: round of the redemption
 * @block: block of the redemption
 */
typedef struct
{
  guint8 ticket_hash[LP_TICKET_HASH_SIZE];
  LpAddress sender;
  LpAddress recipient;
  LpUint256 face_value;
  LpUint256 paid;
  guint64 round;
  guint64 block;
} LpRedeemedTicket;

/**
 * LpVoteSupport:
 * @LP_VOTE_AGAINST: against
 * @LP_VOTE_FOR: for
 * @LP_VOTE_ABSTAIN: counts toward quorum only
 */
typedef enum
{
  LP_VOTE_AGAINST = 0,
  LP_VOTE_FOR = 1,
  LP_VOTE_ABSTAIN = 2,
} LpVoteSupport;

/**
 * LpProposalActionKind:
 * @LP_PROPOSAL_SET_PARAM: set @param to @value
 * @LP_PROPOSAL_TREASURY_PAYOUT: pay @value LPT from the treasury to @to
 */
typedef enum
{
  LP_PROPOSAL_SET_PARAM,
  LP_PROPOSAL_TREASURY_PAYOUT,
} LpProposalActionKind;

/**
 * LpProposalAction:
 * @kind: what it does
 * @param: the parameter (for %LP_PROPOSAL_SET_PARAM)
 * @value: the new value, or the payout
 * @to: the payee (for %LP_PROPOSAL_TREASURY_PAYOUT)
 */
typedef struct
{
  LpProposalActionKind kind;
  LpLedgerParam param;
  LpUint256 value;
  LpAddress to;
} LpProposalAction;

/**
 * LpProposalState:
 * @LP_PROPOSAL_PENDING: voting has not started
 * @LP_PROPOSAL_ACTIVE: voting
 * @LP_PROPOSAL_DEFEATED: voting ended without quorum or majority
 * @LP_PROPOSAL_SUCCEEDED: passed, not yet executed
 * @LP_PROPOSAL_EXECUTED: passed and executed
 */
typedef enum
{
  LP_PROPOSAL_PENDING,
  LP_PROPOSAL_ACTIVE,
  LP_PROPOSAL_DEFEATED,
  LP_PROPOSAL_SUCCEEDED,
  LP_PROPOSAL_EXECUTED,
} LpProposalState;

GST_LIVEPEER_API
const gchar *lp_proposal_state_name (LpProposalState state);

/**
 * LpProposalInfo:
 * @id: the proposal id (from 1)
 * @proposer: who proposed it
 * @description: its text
 * @actions: (element-type LpProposalAction): what it does if it passes
 * @start_round: votes count stake as of this round; voting opens in it
 * @end_round: last round of voting
 * @state: where it stands now
 * @votes_for: stake for
 * @votes_against: stake against
 * @votes_abstain: stake abstaining
 * @quorum: participation it needs
 * @total_active_stake: total active stake at @start_round
 *
 * A governance proposal and its tally. Free with lp_proposal_info_clear().
 */
typedef struct
{
  guint64 id;
  LpAddress proposer;
  gchar *description;
  GArray *actions;
  guint64 start_round;
  guint64 end_round;
  LpProposalState state;
  LpUint256 votes_for;
  LpUint256 votes_against;
  LpUint256 votes_abstain;
  LpUint256 quorum;
  LpUint256 total_active_stake;
} LpProposalInfo;

GST_LIVEPEER_API
void lp_proposal_info_clear (LpProposalInfo * info);

#define LP_TYPE_LEDGER (lp_ledger_get_type ())
GST_LIVEPEER_API
G_DECLARE_INTERFACE (LpLedger, lp_ledger, LP, LEDGER, GObject)

/**
 * LpLedgerInterface:
 *
 * The ledger's operations. Each state change is atomic: it happens whole or
 * not at all, and a refusal (%LP_LEDGER_ERROR_REFUSED,
 * %LP_LEDGER_ERROR_TICKET_USED) changes nothing.
 * Implementations are safe to call from several threads; the embedded one
 * also from several processes on one file. The embedded ledger trusts
 * callers to act for the addresses they name (it has no transaction
 * signatures; lpctl asks for the key file); a chain signs each transaction
 * with the key of the account it acts for, given by lp_ledger_add_signer().
 */
struct _LpLedgerInterface
{
  GTypeInterface parent_iface;

  gboolean (*get_status) (LpLedger * ledger, LpLedgerStatus * status,
      GError ** error);
  gboolean (*advance) (LpLedger * ledger, guint64 blocks, GError ** error);
  gboolean (*initialize_round) (LpLedger * ledger, GError ** error);
  gboolean (*get_round_block_hash) (LpLedger * ledger, guint64 round,
      guint8 hash[LP_KECCAK256_SIZE], GError ** error);
  gboolean (*get_account) (LpLedger * ledger, const LpAddress * address,
      LpAccountInfo * info, GError ** error);
  gboolean (*get_orchestrator) (LpLedger * ledger, const LpAddress * address,
      LpLedgerOrchestrator * info, GError ** error);
  GArray *(*list_orchestrators) (LpLedger * ledger, gboolean active_only,
      GError ** error);
  gboolean (*transfer) (LpLedger * ledger, const LpAddress * from,
      const LpAddress * to, const LpUint256 * amount, GError ** error);

  gboolean (*fund) (LpLedger * ledger, const LpAddress * sender,
      const LpUint256 * deposit, const LpUint256 * reserve, GError ** error);
  gboolean (*unlock) (LpLedger * ledger, const LpAddress * sender,
      GError ** error);
  gboolean (*cancel_unlock) (LpLedger * ledger, const LpAddress * sender,
      GError ** error);
  gboolean (*withdraw) (LpLedger * ledger, const LpAddress * sender,
      GError ** error);
  gboolean (*get_sender_info) (LpLedger * ledger, const LpAddress * sender,
      LpSenderInfo * info, GError ** error);
  gboolean (*redeem_winning_ticket) (LpLedger * ledger,
      const LpWinningTicket * ticket, LpRedemption * redemption,
      GError ** error);
  GArray *(*list_redeemed_tickets) (LpLedger * ledger,
      const LpAddress * recipient, GError ** error);

  gboolean (*register_orchestrator) (LpLedger * ledger,
      const LpAddress * orchestrator, guint64 reward_cut, guint64 fee_share,
      const gchar * service_uri, GError ** error);
  gboolean (*bond) (LpLedger * ledger, const LpAddress * owner,
      const LpAddress * to, const LpUint256 * amount, GError ** error);
  gboolean (*unbond) (LpLedger * ledger, const LpAddress * owner,
      const LpUint256 * amount, guint64 * lock_id, GError ** error);
  gboolean (*rebond) (LpLedger * ledger, const LpAddress * owner,
      const LpAddress * to, guint64 lock_id, GError ** error);
  gboolean (*withdraw_stake) (LpLedger * ledger, const LpAddress * owner,
      guint64 lock_id, GError ** error);
  gboolean (*withdraw_fees) (LpLedger * ledger, const LpAddress * owner,
      const LpAddress * recipient, const LpUint256 * amount, GError ** error);
  gboolean (*claim_earnings) (LpLedger * ledger, const LpAddress * owner,
      GError ** error);
  gboolean (*reward) (LpLedger * ledger, const LpAddress * orchestrator,
      LpUint256 * minted, GError ** error);

  gboolean (*submit_evidence) (LpLedger * ledger, const LpAddress * finder,
      const LpAddress * orchestrator, const gchar * reason,
      LpUint256 * penalty, GError ** error);

  gboolean (*propose) (LpLedger * ledger, const LpAddress * proposer,
      const gchar * description, const LpProposalAction * actions,
      guint n_actions, guint64 * proposal_id, GError ** error);
  gboolean (*vote) (LpLedger * ledger, const LpAddress * voter,
      guint64 proposal_id, LpVoteSupport support, GError ** error);
  gboolean (*get_proposal) (LpLedger * ledger, guint64 proposal_id,
      LpProposalInfo * info, GError ** error);
  gboolean (*execute) (LpLedger * ledger, guint64 proposal_id,
      GError ** error);

  gboolean (*audit) (LpLedger * ledger, GString * report, GError ** error);

  /* the orchestrator's redemption queue; taken from _reserved, so that
   * the struct keeps its size */
  gboolean (*queue_winning_ticket) (LpLedger * ledger,
      const LpWinningTicket * ticket, gboolean * added, GError ** error);
  GArray *(*list_queued_tickets) (LpLedger * ledger,
      const LpAddress * recipient, GError ** error);
  gboolean (*drop_queued_ticket) (LpLedger * ledger,
      const guint8 ticket_hash[LP_TICKET_HASH_SIZE], GError ** error);

  /* a check of the storage itself (NULL: nothing to check); taken from
   * _reserved */
  gboolean (*check_storage) (LpLedger * ledger, GString * report,
      GError ** error);

  /* keys of the accounts the ledger acts for (NULL: the backend needs
   * none); taken from _reserved */
  gboolean (*add_signer) (LpLedger * ledger, LpPrivateKey * key,
      GError ** error);

  /* the chain's head alone, without the rest of the status (NULL: taken
   * from get_status); taken from _reserved */
  gboolean (*get_block_number) (LpLedger * ledger, guint64 * block,
      GError ** error);
  /* what a unit of gas costs now (NULL: the ledger's operations cost no
   * gas, 0); taken from _reserved */
  gboolean (*get_gas_price) (LpLedger * ledger, LpUint256 * price,
      GError ** error);

  /* several winning tickets at once (NULL: one after the other with
   * redeem_winning_ticket); taken from _reserved, the last slot */
  gboolean (*redeem_winning_tickets) (LpLedger * ledger,
      const LpWinningTicket * tickets, guint n_tickets,
      LpRedemptionOutcome * outcomes, GError ** error);
};

GST_LIVEPEER_API
LpLedger *lp_ledger_open (const gchar * uri, GError ** error);
GST_LIVEPEER_API
LpLedger *lp_ledger_create (const gchar * uri,
    const LpLedgerGenesis * genesis, GError ** error);

GST_LIVEPEER_API
gboolean lp_ledger_add_signer (LpLedger * ledger, LpPrivateKey * key,
    GError ** error);

GST_LIVEPEER_API
gboolean lp_ledger_get_status (LpLedger * ledger, LpLedgerStatus * status,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_get_block_number (LpLedger * ledger, guint64 * block,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_get_gas_price (LpLedger * ledger, LpUint256 * price,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_advance (LpLedger * ledger, guint64 blocks,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_initialize_round (LpLedger * ledger, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_get_round_block_hash (LpLedger * ledger, guint64 round,
    guint8 hash[LP_KECCAK256_SIZE], GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_get_account (LpLedger * ledger, const LpAddress * address,
    LpAccountInfo * info, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_get_orchestrator (LpLedger * ledger,
    const LpAddress * address, LpLedgerOrchestrator * info, GError ** error);
GST_LIVEPEER_API
GArray *lp_ledger_list_orchestrators (LpLedger * ledger,
    gboolean active_only, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_transfer (LpLedger * ledger, const LpAddress * from,
    const LpAddress * to, const LpUint256 * amount, GError ** error);

GST_LIVEPEER_API
gboolean lp_ledger_fund (LpLedger * ledger, const LpAddress * sender,
    const LpUint256 * deposit, const LpUint256 * reserve, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_unlock (LpLedger * ledger, const LpAddress * sender,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_cancel_unlock (LpLedger * ledger,
    const LpAddress * sender, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_withdraw (LpLedger * ledger, const LpAddress * sender,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_get_sender_info (LpLedger * ledger,
    const LpAddress * sender, LpSenderInfo * info, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_redeem_winning_ticket (LpLedger * ledger,
    const LpWinningTicket * ticket, LpRedemption * redemption,
    GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_redeem_winning_tickets (LpLedger * ledger,
    const LpWinningTicket * tickets, guint n_tickets,
    LpRedemptionOutcome * outcomes, GError ** error);
GST_LIVEPEER_API
GArray *lp_ledger_list_redeemed_tickets (LpLedger * ledger,
    const LpAddress * recipient, GError ** error);

GST_LIVEPEER_API
gboolean lp_ledger_queue_winning_ticket (LpLedger * ledger,
    const LpWinningTicket * ticket, gboolean * added, GError ** error);
GST_LIVEPEER_API
GArray *lp_ledger_list_queued_tickets (LpLedger * ledger,
    const LpAddress * recipient, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_drop_queued_ticket (LpLedger * ledger,
    const guint8 ticket_hash[LP_TICKET_HASH_SIZE], GError ** error);

GST_LIVEPEER_API
gboolean lp_ledger_register_orchestrator (LpLedger * ledger,
    const LpAddress * orchestrator, guint64 reward_cut, guint64 fee_share,
    const gchar * service_uri, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_set_service_uri (LpLedger * ledger,
    const LpAddress * orchestrator, const gchar * service_uri,
    gboolean * changed, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_bond (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * to, const LpUint256 * amount, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_unbond (LpLedger * ledger, const LpAddress * owner,
    const LpUint256 * amount, guint64 * lock_id, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_rebond (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * to, guint64 lock_id, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_withdraw_stake (LpLedger * ledger,
    const LpAddress * owner, guint64 lock_id, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_withdraw_fees (LpLedger * ledger, const LpAddress * owner,
    const LpAddress * recipient, const LpUint256 * amount, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_claim_earnings (LpLedger * ledger,
    const LpAddress * owner, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_reward (LpLedger * ledger,
    const LpAddress * orchestrator, LpUint256 * minted, GError ** error);

GST_LIVEPEER_API
gboolean lp_ledger_submit_evidence (LpLedger * ledger,
    const LpAddress * finder, const LpAddress * orchestrator,
    const gchar * reason, LpUint256 * penalty, GError ** error);

GST_LIVEPEER_API
gboolean lp_ledger_propose (LpLedger * ledger, const LpAddress * proposer,
    const gchar * description, const LpProposalAction * actions,
    guint n_actions, guint64 * proposal_id, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_vote (LpLedger * ledger, const LpAddress * voter,
    guint64 proposal_id, LpVoteSupport support, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_get_proposal (LpLedger * ledger, guint64 proposal_id,
    LpProposalInfo * info, GError ** error);
GST_LIVEPEER_API
gboolean lp_ledger_execute (LpLedger * ledger, guint64 proposal_id,
    GError ** error);

GST_LIVEPEER_API
gboolean lp_ledger_audit (LpLedger * ledger, GString * report,
    GError ** error);

GST_LIVEPEER_API
gboolean lp_ledger_check_storage (LpLedger * ledger, GString * report,
    GError ** error);


G_END_DECLS

// gst-livepeer
// Copyright (C) 2026 gst-livepeer contributors
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The differential test of the embedded ledger against Livepeer's compiled
// contracts. One seeded random scenario (bond, move a bond, unbond, rebond,
// withdraw stake, reward, reward cut changes, deposits and reserves, winning
// tickets, claims, fee withdrawals, unlocks, LPT transfers, blocks and round
// initializations) runs step by step on both:
//   - the contracts, deployed on an EVM node and driven here with ethers@6
//     (transactions signed by each account's key; nothing of our C code);
//   - the embedded SQLite ledger, driven through `lpctl --json`.
// Each step is accepted by both or refused by both, and after every step
// every quantity both can show must be equal to the wei: LPT and ETH
// balances, bonds, delegates, start and last claim rounds, unbonding locks,
// pending stake and fees, claimed fees, orchestrator fields, the pool,
// deposits, reserves and withdraw rounds, block, round, initialized and
// locked, inflation, mintable, minted, total supply and total bonded.
// Where they differ the contracts are right. The first step with a
// difference stops the run and prints every difference of that step.
//
//   node differential.mjs --npm-dir DIR --chain CHAIN.json --lpctl LPCTL
//        --ledger DB --keys DIR [--seed S] [--steps N] [--verbose]
//
// --npm-dir: the npm prefix holding ethers@6 and @livepeer/sdk; --keys: a
// folder for the accounts' lpctl key files.
//
// CHAIN.json: {"rpc", "controller", "accounts": [{"address", "private_key"}]}
// (pipelines/chain-devnet.sh writes it); DB: a ledger created from the same
// genesis (same parameters, balances and block), at the same block as the
// chain's RoundsManager. Exit status 0: equal after every step; 1: a
// difference (printed); 2: a usage or setup error.

import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

// ethers and the contracts' artifacts come from --npm-dir
let require;
let ethers;
const MAX_UINT = (1n << 256n) - 1n;
const ZERO = "0x0000000000000000000000000000000000000000";

// ---- arguments ---------------------------------------------------------------

function parseArgs (argv) {
  const opts = { seed: null, steps: 200, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length)
        usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--chain") opts.chain = value();
    else if (a === "--npm-dir") opts.npmDir = value();
    else if (a === "--lpctl") opts.lpctl = value();
    else if (a === "--ledger") opts.ledger = value();
    else if (a === "--keys") opts.keys = value();
    else if (a === "--seed") opts.seed = BigInt(value());
    else if (a === "--steps") opts.steps = Number(value());
    else if (a === "--verbose") opts.verbose = true;
    else usage(`unknown argument ${a}`);
  }
  for (const k of ["chain", "lpctl", "ledger", "keys", "npmDir"])
    if (!opts[k]) usage(`--${k.replace("npmDir", "npm-dir")} is required`);
  if (opts.seed === null)
    opts.seed = BigInt.asUintN (64, BigInt (Date.now ()) * 2654435761n);
  return opts;
}

function usage (msg) {
  console.error(`differential.mjs: ${msg}\nusage: node differential.mjs --npm-dir DIR --chain CHAIN.json --lpctl LPCTL --ledger DB --keys DIR [--seed S] [--steps N] [--verbose]`);
  process.exit(2);
}

// ---- a seeded generator (SplitMix64) -------------------------------------------

class Rng {
  constructor (seed) { this.state = BigInt.asUintN(64, seed); }
  next64 () {
    this.state = BigInt.asUintN(64, this.state + 0x9e3779b97f4a7c15n);
    let z = this.state;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  }
  int (n) { return Number(this.next64() % BigInt(n)); }       // [0, n)
  chance (p) { return this.int(1000000) < p * 1000000; }
  pick (arr) { return arr[this.int(arr.length)]; }
  // uniform in [0, max]
  big (max) {
    if (max <= 0n) return 0n;
    let r = 0n;
    for (let i = 0; i < 5; i++) r = (r << 64n) | this.next64();
    return r % (max + 1n);
  }
  // an amount in [1, max]: all of it, a round fraction, or any wei amount
  amount (max) {
    if (max <= 0n) return 0n;
    const kind = this.int(10);
    if (kind < 2) return max;
    if (kind < 6) return (max * BigInt(1 + this.int(999))) / 1000n || 1n;
    return 1n + this.big(max - 1n);
  }
  weighted (table) {
    const total = table.reduce((s, [w]) => s + w, 0);
    let r = this.int(total);
    for (const [w, v] of table) {
      if (r < w) return v;
      r -= w;
    }
    return table[table.length - 1][1];
  }
}

// ---- the contracts ---------------------------------------------------------------

function artifact (path) {
  return require(`@livepeer/sdk/abis/${path}.json`).abi;
}

class Chain {
  constructor (conf) {
    // no cache: ethers answers a repeated query from the last 250 ms from
    // memory, which may be from before the last transaction
    this.provider = new ethers.JsonRpcProvider(conf.rpc, undefined,
      { staticNetwork: true, batchMaxCount: 100, batchStallTime: 1, cacheTimeout: -1 });
    this.provider.pollingInterval = 20;
    this.controllerAddress = conf.controller;
    this.gasSpent = new Map();  // address -> wei spent on gas
    this.nonces = new Map();    // address -> its next transaction's nonce
  }

  async resolve () {
    const ctrl = new ethers.Contract(this.controllerAddress,
      artifact("Controller.sol/Controller"), this.provider);
    const at = async (name, abi) => {
      const addr = await ctrl.getContract(ethers.id(name));
      if (addr === ZERO)
        throw new Error(`the Controller at ${this.controllerAddress} has no ${name}`);
      return new ethers.Contract(addr, abi, this.provider);
    };
    this.bonding = await at("BondingManager", artifact("bonding/BondingManager.sol/BondingManager"));
    this.rounds = await at("RoundsManager", artifact("rounds/AdjustableRoundsManager.sol/AdjustableRoundsManager"));
    this.broker = await at("TicketBroker", artifact("pm/TicketBroker.sol/TicketBroker"));
    this.minter = await at("Minter", artifact("token/Minter.sol/Minter"));
    this.token = await at("LivepeerToken", artifact("token/LivepeerToken.sol/LivepeerToken"));
    // AdjustableRoundsManager keeps its own block number (num(),
    // mineBlocks()); a RoundsManager follows the node's blocks and has no
    // num() (the proxy's call to its target reverts)
    try {
      await this.rounds.num();
      this.adjustable = true;
    } catch {
      this.adjustable = false;
    }
    this.roundLength = await this.rounds.roundLength();
  }

  // Sends CONTRACT.METHOD(ARGS) from WALLET; resolves to {ok, error}.
  // A transaction the node would revert is refused at estimation and
  // never sent.
  async send (wallet, contract, method, args, value = 0n) {
    // nonces kept here: the provider may answer a repeated nonce query
    // from its cache, and a refused estimation uses none
    const addr = wallet.address.toLowerCase();
    if (!this.nonces.has(addr))
      this.nonces.set(addr, await this.provider.getTransactionCount(wallet.address, "latest"));
    let tx;
    try {
      // the devnet's base fee is 0: a fee cap of 0 costs no ETH and spares
      // the fee queries
      tx = await contract.connect(wallet)[method](...args, { value, nonce: this.nonces.get(addr),
        maxFeePerGas: 0n, maxPriorityFeePerGas: 0n });
    } catch (e) {
      return { ok: false, error: e.shortMessage || e.message };
    }
    this.nonces.set(addr, this.nonces.get(addr) + 1);
    let receipt = null;
    for (let i = 0; !receipt; i++) {
      receipt = await this.provider.getTransactionReceipt(tx.hash);
      if (!receipt) {
        if (i > 500) throw new Error(`no receipt for ${tx.hash}`);
        await new Promise(r => setTimeout(r, 10));
      }
    }
    this.gasSpent.set(addr, (this.gasSpent.get(addr) || 0n) +
      receipt.gasUsed * receipt.gasPrice);
    if (receipt.status !== 1)
      return { ok: false, error: `reverted in block ${receipt.blockNumber}` };
    return { ok: true };
  }

  async advance (wallet, blocks) {
    if (this.adjustable)
      return this.send(wallet, this.rounds, "mineBlocks", [blocks]);
    await this.provider.send("anvil_mine", [ethers.toQuantity(blocks)]);
    return { ok: true };
  }

  // The block the next transaction runs in: what the ledger's block must be
  async block () {
    if (this.adjustable) return await this.rounds.blockNum();
    return BigInt(await this.provider.getBlockNumber()) + 1n;
  }
}

// ---- the embedded ledger ------------------------------------------------------------

class Ledger {
  constructor (lpctl, db) {
    this.lpctl = lpctl;
    this.db = db;
    this.roundHashes = new Map();   // round -> block hash (from round init)
  }

  // Runs lpctl ARGS --json; {ok, out (parsed JSON or null), error}
  run (args) {
    try {
      const out = execFileSync(this.lpctl, ["--ledger", this.db, ...args, "--json"],
        { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      return { ok: true, out: JSON.parse(out) };
    } catch (e) {
      if (e.status === 1) {
        let out = null;
        try { out = JSON.parse(e.stdout); } catch { /* no JSON */ }
        return { ok: false, out, error: (e.stderr || "").trim() };
      }
      throw new Error(`lpctl ${args.join(" ")} failed (status ${e.status}): ${e.stderr || e.message}`);
    }
  }

  must (args) {
    const r = this.run(args);
    if (!r.ok) throw new Error(`lpctl ${args.join(" ")}: ${r.error}`);
    return r.out;
  }
}

// ---- the participants -----------------------------------------------------------------

function setupAccounts (conf, keysDir, chain) {
  const list = conf.accounts.map((a, i) => {
    const wallet = new ethers.Wallet(a.private_key, chain.provider);
    const keyFile = join(keysDir, `account-${i}.key`);
    writeFileSync(keyFile, wallet.privateKey.slice(2) + "\n", { mode: 0o600 });
    return { wallet, address: wallet.address, keyFile };
  });
  if (list.length < 8)
    throw new Error(`the chain has ${list.length} accounts; the scenario needs 8 (1 driver, 3 orchestrators, 2 delegators, 2 broadcasters)`);
  // account 0 drives the block clock; the rest play a part
  const [driver, o1, o2, o3, d1, d2, b1, b2, ...more] = list;
  const named = (acc, name) => Object.assign(acc, { name });
  named(driver, "driver");
  const orchestrators = [o1, o2, o3].map((a, i) => named(a, `O${i + 1}`));
  const delegators = [d1, d2, ...more.slice(0, 2)].map((a, i) => named(a, `D${i + 1}`));
  const broadcasters = [b1, b2].map((a, i) => named(a, `B${i + 1}`));
  return { driver, orchestrators, delegators, broadcasters,
    all: [...orchestrators, ...delegators, ...broadcasters] };
}

// ---- snapshots of both sides ------------------------------------------------------------

const STATUS = ["pending", "bonded", "unbonded"];
// deactivation round "never": the contract's 2^256 - 1, the ledger's INT64_MAX
const never = (v) => (BigInt(v) >= (1n << 63n) - 1n ? "never" : String(v));

async function chainSnapshot (chain, people) {
  const b = chain.bonding;
  const [round, initialized, locked, block, inflation, mintable, minted, supply,
    totalBonded, currentActive, nextActive, poolSize] = await Promise.all([
    chain.rounds.currentRound(), chain.rounds.currentRoundInitialized(),
    chain.rounds.currentRoundLocked(), chain.block(), chain.minter.inflation(),
    chain.minter.currentMintableTokens(), chain.minter.currentMintedTokens(),
    chain.token.totalSupply(), b.getTotalBonded(), b.currentRoundTotalActiveStake(),
    b.nextRoundTotalActiveStake(), b.getTranscoderPoolSize()]);
  const pool = new Set();
  for (let t = await b.getFirstTranscoderInPool(); t !== ZERO; t = await b.getNextTranscoderInPool(t))
    pool.add(t.toLowerCase());
  const snap = {
    global: {
      block: String(block), round: String(round), round_initialized: String(initialized),
      round_locked: String(locked), inflation: String(inflation), mintable: String(mintable),
      minted: String(minted), total_supply: String(supply),
      // the contract's getTotalBonded() is this round's active stake
      current_round_total_active_stake: String(currentActive),
      get_total_bonded: String(totalBonded),
      next_round_total_active_stake: String(nextActive), pool_size: String(poolSize),
    },
    accounts: {},
  };
  await Promise.all(people.all.map(async (p) => {
    const a = p.address;
    const [lpt, eth, d, status, pstake, pfees, info, registered, t, total, active] =
      await Promise.all([chain.token.balanceOf(a), chain.provider.getBalance(a),
        b.getDelegator(a), b.delegatorStatus(a), b.pendingStake(a, round),
        b.pendingFees(a, round), chain.broker.getSenderInfo(a),
        b.isRegisteredTranscoder(a), b.getTranscoder(a), b.transcoderTotalStake(a),
        b.isActiveTranscoder(a)]);
    const locks = {};
    await Promise.all(Array.from({ length: Number(d.nextUnbondingLockId) }, async (_, id) => {
      const l = await b.getDelegatorUnbondingLock(a, id);
      if (l.amount > 0n || l.withdrawRound > 0n)
        locks[id] = `${l.amount}@${l.withdrawRound}`;
    }));
    const acc = {
      lpt: String(lpt),
      // what the account holds plus what it spent on gas (the ledger has no gas)
      eth: String(eth + (chain.gasSpent.get(a.toLowerCase()) || 0n)),
      status: STATUS[Number(status)], bonded: String(d.bondedAmount), fees: String(d.fees),
      delegate: d.delegateAddress.toLowerCase(), delegated: String(d.delegatedAmount),
      start_round: String(d.startRound), last_claim_round: String(d.lastClaimRound),
      locks: JSON.stringify(locks), pending_stake: String(pstake), pending_fees: String(pfees),
      deposit: String(info.sender.deposit), withdraw_round: String(info.sender.withdrawRound),
      reserve: String(info.reserve.fundsRemaining), registered: String(registered),
    };
    if (registered || t.activationRound > 0n || t.lastRewardRound > 0n) {
      Object.assign(acc, {
        total_stake: String(total), active: String(active), in_pool: String(pool.has(a.toLowerCase())),
        reward_cut: String(t.rewardCut), fee_share: String(t.feeShare),
        last_reward_round: String(t.lastRewardRound), activation_round: String(t.activationRound),
        deactivation_round: never(t.deactivationRound),
        cumulative_rewards: String(t.cumulativeRewards), cumulative_fees: String(t.cumulativeFees),
      });
    }
    snap.accounts[p.name] = acc;
  }));
  // the ledger's total bonded: every delegate's total stake (all the
  // delegates are among the participants)
  snap.global.total_bonded = String(Object.values(snap.accounts)
    .reduce((sum, a) => sum + BigInt(a.delegated), 0n));
  return snap;
}

function ledgerSnapshot (ledger, people) {
  const s = ledger.must(["status"]);
  const pool = [...(s.active_set || []), ...(s.other_orchestrators || [])].filter(o => o.in_pool);
  const snap = {
    global: {
      block: String(s.block), round: String(s.round), round_initialized: String(s.round_initialized),
      round_locked: String(s.round_locked), inflation: String(s.inflation), mintable: String(s.mintable),
      minted: String(s.minted), total_supply: String(s.total_supply), total_bonded: String(s.total_bonded),
      current_round_total_active_stake: String(s.current_round_total_active_stake),
      get_total_bonded: String(s.current_round_total_active_stake),
      next_round_total_active_stake: String(s.next_round_total_active_stake),
      pool_size: String(pool.length),
    },
    accounts: {},
  };
  for (const p of people.all) {
    const a = ledger.must(["account", "balance", p.address]);
    const locks = {};
    for (const l of a.unbonding_locks || [])
      if (BigInt(l.amount) > 0n || l.withdraw_round > 0)
        locks[l.id] = `${l.amount}@${l.withdraw_round}`;
    const o = a.orchestrator;
    const acc = {
      lpt: String(a.lpt), eth: String(a.eth), status: a.status, bonded: String(a.bonded),
      fees: String(a.fees), delegate: (a.delegate || ZERO).toLowerCase(),
      delegated: String(a.delegated), start_round: String(a.start_round),
      last_claim_round: String(a.last_claim_round), locks: JSON.stringify(locks),
      pending_stake: String(a.pending_stake), pending_fees: String(a.pending_fees),
      deposit: String(a.deposit), withdraw_round: String(a.withdraw_round), reserve: String(a.reserve),
      registered: String(!!(o && o.registered)),
    };
    if (o) {
      Object.assign(acc, {
        total_stake: String(o.total_stake), active: String(o.active), in_pool: String(o.in_pool),
        reward_cut: String(o.reward_cut), fee_share: String(o.fee_share),
        last_reward_round: String(o.last_reward_round), activation_round: String(o.activation_round),
        deactivation_round: never(o.deactivation_round),
        cumulative_rewards: String(o.cumulative_rewards), cumulative_fees: String(o.cumulative_fees),
      });
    }
    snap.accounts[p.name] = acc;
  }
  return snap;
}

const ORCHESTRATOR_FIELDS = ["total_stake", "active", "in_pool", "reward_cut", "fee_share",
  "last_reward_round", "activation_round", "deactivation_round", "cumulative_rewards",
  "cumulative_fees"];

// The differences between the two snapshots: [{what, ledger, chain}]
function compare (ledgerSnap, chainSnap, people) {
  const diffs = [];
  for (const [k, v] of Object.entries(chainSnap.global))
    if (ledgerSnap.global[k] !== v)
      diffs.push({ what: k, ledger: ledgerSnap.global[k], chain: v });
  for (const p of people.all) {
    const l = ledgerSnap.accounts[p.name];
    const c = chainSnap.accounts[p.name];
    // orchestrator fields: both sides or neither. lpctl shows them only
    // for a registered orchestrator (bonded to itself); the contracts keep
    // them after it leaves. What a former orchestrator's pool still does
    // shows in its delegators' pending stake and fees.
    const keys = new Set([...Object.keys(c), ...Object.keys(l)]);
    const neither = l.registered === "false" && c.registered === "false";
    for (const k of keys) {
      if (neither && ORCHESTRATOR_FIELDS.includes(k)) continue;
      if (l[k] === c[k]) continue;
      diffs.push({ what: `${k} of ${p.name} (${p.address})`, ledger: l[k] ?? "(none)", chain: c[k] ?? "(none)" });
    }
  }
  return diffs;
}

// ---- the steps ------------------------------------------------------------------------------

const PPM = 1000000n;

class Scenario {
  constructor (rng, chain, ledger, people) {
    this.rng = rng;
    this.chain = chain;
    this.ledger = ledger;
    this.people = people;
    this.snap = null;         // the chain's snapshot after the last step
    this.ticketRand = 1000n;  // recipientRand of the next ticket batch
  }

  acc (p) { return this.snap.accounts[p.name]; }
  round () { return BigInt(this.snap.global.round); }

  // Runs one step on both sides: {name, chain: {ok, error}, ledger: {ok, error}}
  async both (name, chainFn, ledgerArgs) {
    const chainResult = await chainFn();
    const ledgerResult = typeof ledgerArgs === "function" ? ledgerArgs() : this.ledger.run(ledgerArgs);
    return { name, chain: chainResult, ledger: ledgerResult };
  }

  // Keeps the ledger's block on the chain's (the RoundsManager's block
  // number, or the next block of a node whose blocks are the clock)
  async syncBlocks () {
    const chainBlock = await this.chain.block();
    const ledgerBlock = BigInt(this.ledger.must(["status"]).block);
    if (ledgerBlock > chainBlock)
      throw new Error(`the ledger's block ${ledgerBlock} is past the chain's ${chainBlock}`);
    if (ledgerBlock < chainBlock)
      this.ledger.must(["advance", "--blocks", String(chainBlock - ledgerBlock)]);
  }

  // ---- actions (each returns the step's result) ----

  bond (p, to, amount) {
    return this.both(`bond ${p.name} -> ${to.name} ${amount}`,
      async () => {
        if (amount > 0n) {
          const r = await this.chain.send(p.wallet, this.chain.token, "approve",
            [await this.chain.bonding.getAddress(), amount]);
          if (!r.ok) return r;
        }
        return this.chain.send(p.wallet, this.chain.bonding, "bond", [amount, to.address]);
      },
      ["bond", "--from", p.keyFile, "--to", to.address, "--amount", String(amount)]);
  }

  unbond (p, amount) {
    return this.both(`unbond ${p.name} ${amount}`,
      () => this.chain.send(p.wallet, this.chain.bonding, "unbond", [amount]),
      ["unbond", "--from", p.keyFile, "--amount", String(amount)]);
  }

  rebond (p, lock, to) {
    if (to)
      return this.both(`rebond ${p.name} lock ${lock} from unbonded -> ${to.name}`,
        () => this.chain.send(p.wallet, this.chain.bonding, "rebondFromUnbonded", [to.address, lock]),
        ["rebond", "--from", p.keyFile, "--lock", String(lock), "--to", to.address]);
    return this.both(`rebond ${p.name} lock ${lock}`,
      () => this.chain.send(p.wallet, this.chain.bonding, "rebond", [lock]),
      ["rebond", "--from", p.keyFile, "--lock", String(lock)]);
  }

  withdrawStake (p, lock) {
    return this.both(`withdraw-stake ${p.name} lock ${lock}`,
      () => this.chain.send(p.wallet, this.chain.bonding, "withdrawStake", [lock]),
      ["withdraw-stake", "--from", p.keyFile, "--lock", String(lock)]);
  }

  reward (p) {
    return this.both(`reward ${p.name}`,
      () => this.chain.send(p.wallet, this.chain.bonding, "reward", []),
      ["reward", "--from", p.keyFile]);
  }

  transcoder (p, cut, share) {
    return this.both(`transcoder ${p.name} cut ${cut} share ${share}`,
      () => this.chain.send(p.wallet, this.chain.bonding, "transcoder", [cut, share]),
      ["register", "--from", p.keyFile, "--reward-cut", String(cut), "--fee-share", String(share)]);
  }

  claim (p) {
    return this.both(`claim ${p.name}`,
      () => this.chain.send(p.wallet, this.chain.bonding, "claimEarnings", [this.round()]),
      ["claim", "--from", p.keyFile]);
  }

  withdrawFees (p, to, amount) {
    return this.both(`withdraw-fees ${p.name} -> ${to.name} ${amount}`,
      () => this.chain.send(p.wallet, this.chain.bonding, "withdrawFees", [to.address, amount]),
      ["withdraw-fees", "--from", p.keyFile, "--to", to.address, "--amount", String(amount)]);
  }

  fund (p, deposit, reserve) {
    return this.both(`fund ${p.name} deposit ${deposit} reserve ${reserve}`,
      () => this.chain.send(p.wallet, this.chain.broker, "fundDepositAndReserve",
        [deposit, reserve], deposit + reserve),
      ["deposit", "--from", p.keyFile, "--deposit", String(deposit), "--reserve", String(reserve)]);
  }

  brokerCall (p, method, command) {
    return this.both(`${command} ${p.name}`,
      () => this.chain.send(p.wallet, this.chain.broker, method, []),
      [command, "--from", p.keyFile]);
  }

  transfer (p, to, amount) {
    return this.both(`transfer ${p.name} -> ${to.name} ${amount}`,
      () => this.chain.send(p.wallet, this.chain.token, "transfer", [to.address, amount]),
      ["transfer", "--from", p.keyFile, "--to", to.address, "--amount", String(amount)]);
  }

  advance (blocks) {
    return this.both(`advance ${blocks} blocks`,
      () => this.chain.advance(this.people.driver.wallet, blocks),
      ["advance", "--blocks", String(blocks)]);
  }

  async initRound () {
    const r = await this.both("initialize round",
      () => this.chain.send(this.people.driver.wallet, this.chain.rounds, "initializeRound", []),
      ["round", "init"]);
    if (r.ledger.ok)
      this.ledger.roundHashes.set(BigInt(r.ledger.out.round), r.ledger.out.block_hash);
    return r;
  }

  // COUNT winning tickets of FACE each from sender S to recipient O,
  // created in the last initialized round (one signed batch on the ledger,
  // the same tickets one by one on chain)
  async tickets (s, o, count, face) {
    const name = `${count} ticket(s) ${s.name} -> ${o.name} of ${face}`;
    const rand = this.ticketRand++;
    const randHash = ethers.solidityPackedKeccak256(["uint256"], [rand]);
    // the creation round: the chain's last initialized round, which the
    // ledger must have the hash of (the scenario initializes every round)
    const creation = await this.chain.rounds.lastInitializedRound();
    const chainHash = await this.chain.rounds.blockHashForRound(creation);
    const ledgerHash = this.ledger.roundHashes.get(creation) || ethers.ZeroHash;
    const chainResults = [];
    for (let nonce = 1; nonce <= count; nonce++) {
      const ticket = {
        recipient: o.address, sender: s.address, faceValue: face, winProb: MAX_UINT,
        senderNonce: BigInt(nonce), recipientRandHash: randHash,
        auxData: ethers.solidityPacked(["uint256", "bytes32"], [creation, chainHash]),
      };
      const hash = ethers.solidityPackedKeccak256(
        ["address", "address", "uint256", "uint256", "uint256", "bytes32", "bytes"],
        [ticket.recipient, ticket.sender, ticket.faceValue, ticket.winProb,
          ticket.senderNonce, ticket.recipientRandHash, ticket.auxData]);
      const sig = await s.wallet.signMessage(ethers.getBytes(hash));
      chainResults.push(await this.chain.send(o.wallet, this.chain.broker,
        "redeemWinningTicket", [ticket, sig, rand]));
    }
    const params = join(this.ledger.workDir, "ticket-params.json");
    writeFileSync(params, JSON.stringify({
      recipient: o.address, face_value: String(face), win_prob: String(MAX_UINT),
      recipient_rand_hash: randHash, seed: "0x01", expiration_block: 1000000000,
      expiration_params: { creation_round: Number(creation), creation_round_block_hash: ledgerHash },
    }));
    const payment = execFileSync(this.ledger.lpctl, ["payment", "make", "--key-file", s.keyFile,
      "--params", params, "--nonces", `1-${count}`], { encoding: "utf8" }).trim().split("\n").pop();
    const r = this.ledger.run(["redeem", payment, "--recipient-rand", String(rand)]);
    const ledgerResults = r.out && r.out.tickets
      ? r.out.tickets.map(t => ({ ok: t.redeemed, error: t.error || t.reason || r.error }))
      : Array.from({ length: count }, () => ({ ok: false, error: r.error }));
    // the step matches when every ticket has the same fate
    const same = chainResults.every((c, i) => c.ok === ledgerResults[i]?.ok);
    const summary = (rs) => ({
      ok: same ? rs.every(x => x.ok) : rs.map(x => (x.ok ? "redeemed" : "refused")).join(","),
      error: rs.filter(x => !x.ok).map(x => x.error).join("; ") });
    return { name, chain: summary(chainResults), ledger: summary(ledgerResults) };
  }

  // ---- the scenario ----

  // The first steps: orchestrators bond to themselves and register,
  // delegators bond, broadcasters fund, then round 1 (or the next) starts
  *setupSteps () {
    const rng = this.rng;
    for (const o of this.people.orchestrators) {
      yield () => this.bond(o, o, this.lpt(o) / BigInt(2 + rng.int(4)));
      yield () => this.transcoder(o, BigInt(rng.int(1000001)), BigInt(rng.int(1000001)));
    }
    for (const d of this.people.delegators)
      yield () => this.bond(d, rng.pick(this.people.orchestrators), this.lpt(d) / BigInt(2 + rng.int(4)));
    for (const b of this.people.broadcasters)
      yield () => this.fund(b, this.eth(b) / 100n, this.eth(b) / 50n);
    yield () => this.advanceToNextRound();
    yield () => this.initRound();
  }

  lpt (p) { return BigInt(this.acc(p).lpt); }
  eth (p) { return BigInt(this.acc(p).eth) - (this.chain.gasSpent.get(p.address.toLowerCase()) || 0n); }

  advanceToNextRound () {
    const block = BigInt(this.snap.global.block);
    const len = this.chain.roundLength;
    return this.advance(len - (block % len));
  }

  // One random step
  randomStep () {
    const rng = this.rng;
    const P = this.people;
    const stakers = [...P.orchestrators, ...P.delegators];
    const withLocks = stakers.filter(p => this.acc(p).locks !== "{}");
    const action = rng.weighted([
      [this.snap.global.round_initialized === "false" ? 40 : 1, "init"],
      [12, "bond"], [8, "unbond"], [withLocks.length ? 6 : 0, "rebond"],
      [withLocks.length ? 5 : 0, "withdrawStake"], [12, "reward"], [3, "transcoder"],
      [5, "fund"], [12, "tickets"], [5, "claim"], [6, "withdrawFees"], [10, "advance"],
      [2, "unlock"], [1, "cancelUnlock"], [2, "withdraw"], [2, "transfer"],
    ]);
    switch (action) {
      case "init": return this.initRound();
      case "bond": {
        const p = rng.pick(stakers);
        const isO = P.orchestrators.includes(p);
        // an orchestrator bonds to itself (a registered one may not
        // delegate away; now and then it tries); a delegator picks one,
        // and with nothing new moves its bond
        const to = isO && !rng.chance(0.1) ? p : rng.pick(P.orchestrators);
        const amount = rng.chance(0.25) && this.acc(p).bonded !== "0" ? 0n : rng.amount(this.lpt(p) / 4n);
        return this.bond(p, to, amount);
      }
      case "unbond": {
        const p = rng.pick(stakers);
        const bonded = BigInt(this.acc(p).bonded);
        return this.unbond(p, rng.chance(0.05) ? bonded + 1n : rng.amount(bonded));
      }
      case "rebond": {
        const p = rng.pick(withLocks);
        const lock = BigInt(rng.pick(Object.keys(JSON.parse(this.acc(p).locks))));
        const unbonded = this.acc(p).status === "unbonded";
        return this.rebond(p, lock, unbonded ? rng.pick(P.orchestrators) : null);
      }
      case "withdrawStake": {
        const p = rng.pick(withLocks);
        const locks = JSON.parse(this.acc(p).locks);
        const due = Object.keys(locks).filter(id => BigInt(locks[id].split("@")[1]) <= this.round());
        return this.withdrawStake(p, BigInt(due.length && !rng.chance(0.1) ? rng.pick(due) : rng.pick(Object.keys(locks))));
      }
      case "reward": return this.reward(rng.pick(P.orchestrators));
      case "transcoder":
        return this.transcoder(rng.pick(P.orchestrators), BigInt(rng.int(1000001)), BigInt(rng.int(1000001)));
      case "fund": {
        const b = rng.pick(P.broadcasters);
        const what = rng.int(3);
        const d = what === 1 ? 0n : rng.amount(this.eth(b) / 200n);
        const r = what === 0 ? 0n : rng.amount(this.eth(b) / 200n);
        return this.fund(b, d, r);
      }
      case "tickets": {
        const b = rng.pick(P.broadcasters);
        const funds = BigInt(this.acc(b).deposit) + BigInt(this.acc(b).reserve);
        const face = rng.chance(0.8) ? rng.amount(funds / 2n + 1n) : rng.amount(funds * 2n + 1n);
        return this.tickets(b, rng.pick(P.orchestrators), 1 + rng.int(3), face);
      }
      case "claim": return this.claim(rng.pick(stakers));
      case "withdrawFees": {
        const p = rng.pick(stakers);
        const fees = BigInt(this.acc(p).pending_fees);
        const to = rng.chance(0.8) ? p : rng.pick(P.all);
        return this.withdrawFees(p, to, rng.chance(0.05) ? fees + 1n : rng.amount(fees));
      }
      case "advance": {
        const len = Number(this.chain.roundLength);
        const kind = rng.int(4);
        if (kind === 0) return this.advanceToNextRound();
        return this.advance(BigInt(kind === 1 ? 1 : 1 + rng.int(2 * len)));
      }
      case "unlock": return this.brokerCall(rng.pick(P.broadcasters), "unlock", "unlock");
      case "cancelUnlock": return this.brokerCall(rng.pick(P.broadcasters), "cancelUnlock", "cancel-unlock");
      case "withdraw": return this.brokerCall(rng.pick(P.broadcasters), "withdraw", "withdraw");
      case "transfer": {
        const p = rng.pick(P.all);
        return this.transfer(p, rng.pick(P.all), rng.amount(this.lpt(p) / 10n));
      }
    }
    throw new Error(`unknown action ${action}`);
  }
}

// ---- the run ---------------------------------------------------------------------------------

async function main () {
  const opts = parseArgs(process.argv.slice(2));
  require = createRequire(join(resolve(opts.npmDir), "package.json"));
  ({ ethers } = require("ethers"));
  const conf = JSON.parse(readFileSync(opts.chain, "utf8"));
  console.log(`differential: seed ${opts.seed}, ${opts.steps} steps (reproduce with --seed ${opts.seed} --steps ${opts.steps})`);
  const chain = new Chain(conf);
  await adoptAdjustableRounds(conf, chain);
  await chain.resolve();
  const ledger = new Ledger(opts.lpctl, opts.ledger);
  ledger.workDir = opts.keys;
  const people = setupAccounts(conf, opts.keys, chain);
  const scenario = new Scenario(new Rng(opts.seed), chain, ledger, people);
  await scenario.syncBlocks();
  await startInARealRound(scenario);
  const start = await check(scenario, people, 0, { name: "start", chain: { ok: true }, ledger: { ok: true } }, opts);
  if (!start) process.exit(1);

  const setup = scenario.setupSteps();
  const counts = { accepted: 0, refused: 0 };
  for (let step = 1; step <= opts.steps; step++) {
    const next = setup.next();
    // no block sync after a step: both clocks move only by "advance",
    // and the check compares the blocks
    const result = await (next.done ? scenario.randomStep() : next.value());
    if (result.chain.ok === true) counts.accepted++;
    else counts.refused++;
    if (!(await check(scenario, people, step, result, opts)))
      process.exit(1);
  }
  const g = scenario.snap.global;
  console.log(`PASS: ${opts.steps} steps equal to the wei (${counts.accepted} accepted, ${counts.refused} refused by both; ended in round ${g.round}, supply ${g.total_supply}, total bonded ${g.total_bonded}; seed ${opts.seed})`);
}

// The devnet's RoundsManager follows the node's blocks, and every
// transaction is a block: a step of several transactions (approve and bond,
// a batch of tickets) would span blocks where the ledger spends one. So the
// Controller's owner upgrades it, as Livepeer's governance upgrades a
// manager, to Livepeer's AdjustableRoundsManager (the same contract plus a
// block number set by transactions: setBlockNum, mineBlocks), started at
// the node's block. The proxy keeps the rounds' state.
async function adoptAdjustableRounds (conf, chain) {
  if (!conf.owner_private_key)
    throw new Error("chain.json has no owner_private_key (the Controller's owner)");
  const owner = new ethers.Wallet(conf.owner_private_key, chain.provider);
  const art = require("@livepeer/sdk/abis/contracts/rounds/AdjustableRoundsManager.sol/AdjustableRoundsManager.json");
  const factory = new ethers.ContractFactory(art.abi, art.bytecode, owner);
  const target = await factory.deploy(conf.controller, { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n });
  await target.waitForDeployment();
  const ctrl = new ethers.Contract(conf.controller, artifact("Controller.sol/Controller"), chain.provider);
  const must = async (what, r) => {
    if (!r.ok) throw new Error(`${what}: ${r.error}`);
  };
  await must("registering the AdjustableRoundsManager", await chain.send(owner, ctrl,
    "setContractInfo", [ethers.id("RoundsManagerTarget"), await target.getAddress(),
      "0x" + "00".repeat(20)]));
  const rounds = new ethers.Contract(await ctrl.getContract(ethers.id("RoundsManager")),
    art.abi, chain.provider);
  await must("setting its block number", await chain.send(owner, rounds, "setBlockNum",
    [BigInt(await chain.provider.getBlockNumber())]));
}

// A deployment leaves the RoundsManager in round 0 counted as initialized
// without the Minter having run (nothing mintable), where the ledger's
// genesis initializes round 0 as any other round. Both sides therefore
// start at a round the contracts never initialized, initialized by both.
// An AdjustableRoundsManager reads a round's block hash 1 block back and
// refuses (an arithmetic underflow) below block 256, and answers the hash
// it was given (none: tickets would be refused for want of one); so its
// clock first moves to the first round past block 256, and it is given a
// hash (the ledger's rounds have their own: each side's tickets name their
// side's hash).
async function startInARealRound (scenario) {
  if ((await scenario.chain.rounds.lastInitializedRound()) !== 0n)
    return;
  const chain = scenario.chain;
  const steps = [() => scenario.initRound()];
  if (chain.adjustable) {
    const r = await chain.send(scenario.people.driver.wallet, chain.rounds, "setBlockHash",
      [ethers.id("gst-livepeer differential test")]);
    if (!r.ok)
      throw new Error(`AdjustableRoundsManager.setBlockHash: ${r.error}`);
    const block = await chain.block();
    const target = 257n + (chain.roundLength - 257n % chain.roundLength) % chain.roundLength;
    if (block < target)
      steps.unshift(() => scenario.advance(target - block));
  } else if ((await chain.rounds.currentRound()) === 0n) {
    steps.unshift(() => scenario.advanceToNextRound());
  }
  for (const step of steps) {
    scenario.snap = { global: { block: String(await scenario.chain.block()) } };
    const r = await step();
    if (!r.chain.ok || !r.ledger.ok)
      throw new Error(`starting the scenario: ${r.name}: contracts ${r.chain.error || "ok"}, ledger ${r.ledger.error || "ok"}`);
    await scenario.syncBlocks();
  }
}

// "accepted", "refused (why)", or each ticket's fate when a batch differs
function outcome (r) {
  if (r.ok === true) return "accepted";
  const why = r.error ? ` (${r.error})` : "";
  return r.ok === false ? `refused${why}` : `${r.ok}${why}`;
}

// Compares both sides after STEP; prints the differences, true when none
async function check (scenario, people, step, result, opts) {
  const chainSnap = await chainSnapshot(scenario.chain, people);
  const ledgerSnap = ledgerSnapshot(scenario.ledger, people);
  scenario.snap = chainSnap;
  const diffs = [];
  if (result.chain.ok !== result.ledger.ok)
    diffs.push({ what: "outcome", chain: outcome(result.chain), ledger: outcome(result.ledger) });
  diffs.push(...compare(ledgerSnap, chainSnap, people));
  if (opts.verbose || diffs.length)
    console.log(`step ${step} (round ${chainSnap.global.round}, block ${chainSnap.global.block}): ${result.name}: ` +
      (result.chain.ok === true ? "accepted" : `refused by the contracts (${result.chain.error})`));
  if (!diffs.length) return true;
  console.log(`FAIL: step ${step} (${result.name}) differs in ${diffs.length} quantit${diffs.length === 1 ? "y" : "ies"} (seed ${opts.seed}):`);
  for (const d of diffs)
    console.log(`  ${d.what}: ledger ${d.ledger}, contracts ${d.chain}`);
  return false;
}

main().catch((e) => {
  console.error(`differential: ${e.stack || e.message}`);
  process.exit(2);
});

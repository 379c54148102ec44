#!/usr/bin/env node
// gst-livepeer
// Copyright (C) 2026 gst-livepeer contributors
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Deploys a Livepeer network of the real, compiled contracts (npm
// @livepeer/sdk's Hardhat artifacts) to an Ethereum JSON-RPC node (anvil),
// as Livepeer's own deployment does: a Controller; LivepeerToken, Minter
// and the L2 supply cache registered directly; TicketBroker,
// BondingManager (linked to a SortedDoublyLL library), RoundsManager and
// ServiceRegistry each as a <Name>Target implementation behind a
// ManagerProxy; the parameters; LPT minted to the funded accounts before
// the token's minting goes to the Minter; the Controller unpaused.
//
// An ES module (deployLivepeer, genesisOf, ...) and a command line tool
// (node chain-deploy.mjs --help) that pipelines/chain-devnet.sh runs.
// ethers and the artifacts come from an npm prefix (pipelines/lib/
// npm-tools.sh installs them), given as npmDir / --npm-dir.

import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

// What a devnet starts with unless told otherwise. Rates are in the
// contracts' units: round lock over 1e6 (MathUtils), inflation, its change
// and the target bonding rate over 1e9 (the Minter's MathUtilsV2).
export const DEFAULT_PARAMS = Object.freeze({
  roundLength: 50, // blocks; under automine every transaction is a block
  roundLockAmount: 100000, // the last 10 % of a round is locked
  unbondingPeriod: 7, // rounds
  numActiveTranscoders: 100,
  ticketValidityPeriod: 2, // rounds
  unlockPeriod: 2, // rounds
  inflation: 1000000, // 0.1 % of the supply per round
  inflationChange: 500,
  targetBondingRate: 500000000, // 50 %
});

// The managers behind a ManagerProxy: the name they are registered under,
// the artifact of their implementation (registered as <name>Target).
const PROXIED = [
  ["TicketBroker", "TicketBroker"],
  ["BondingManager", "BondingManager"],
  // RoundsManager, not the AdjustableRoundsManager of Livepeer's test
  // networks: that one's initializeRound() reverts below its block 256, and
  // its rounds would not follow the node's blocks
  ["RoundsManager", "RoundsManager"],
  ["ServiceRegistry", "ServiceRegistry"],
];

// Livepeer's L2 Minter reads the LPT still on L1 from an "L2LPTDataCache"
// (l1CirculatingSupply()). Livepeer's development deployments register a
// DummyL2LPTDataCache that answers 0; it is not among the SDK's artifacts,
// so this is the same answer as EVM code: every call returns a 32-byte
// zero word (runtime PUSH1 32 PUSH1 0 RETURN, behind an init code that
// returns it).
const ZERO_ANSWER_INITCODE = "0x" +
  "6460206000f3" + // PUSH5 <runtime: 60 20 60 00 f3>
  "600052" + //       PUSH1 0, MSTORE: the runtime in memory bytes 27..31
  "6005601bf3"; //    RETURN(27, 5)

// git commit hash (bytes20) registered with each contract: Livepeer's
// deployer records the protocol's commit; ours records none.
const NO_COMMIT = "0x" + "00".repeat(20);

/** The ethers module (v6) installed under npmDir. */
export function loadEthers(npmDir) {
  const require = createRequire(path.join(path.resolve(npmDir), "package.json"));
  return require("ethers");
}

/** Where the artifacts are: npmDir/node_modules/@livepeer/sdk/abis. The SDK
 * ships two builds; contracts/ is the one its compile script copies last. */
export function artifactsDir(npmDir) {
  return path.join(path.resolve(npmDir), "node_modules", "@livepeer", "sdk",
    "abis", "contracts");
}

const ARTIFACT_PATHS = {
  Controller: "Controller.sol/Controller.json",
  ManagerProxy: "ManagerProxy.sol/ManagerProxy.json",
  LivepeerToken: "token/LivepeerToken.sol/LivepeerToken.json",
  Minter: "token/Minter.sol/Minter.json",
  SortedDoublyLL: "libraries/SortedDoublyLL.sol/SortedDoublyLL.json",
  BondingManager: "bonding/BondingManager.sol/BondingManager.json",
  TicketBroker: "pm/TicketBroker.sol/TicketBroker.json",
  RoundsManager: "rounds/RoundsManager.sol/RoundsManager.json",
  ServiceRegistry: "ServiceRegistry.sol/ServiceRegistry.json",
};

/** A contract's Hardhat artifact ({abi, bytecode, linkReferences, ...}). */
export function loadArtifact(npmDir, name) {
  const rel = ARTIFACT_PATHS[name];
  if (!rel)
    throw new Error(`no artifact known for ${name}`);
  const file = path.join(artifactsDir(npmDir), rel);
  if (!fs.existsSync(file))
    throw new Error(`${file} is missing: is @livepeer/sdk installed in ${npmDir}? ` +
      "(pipelines/lib/npm-tools.sh: lp_npm_install)");
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** Every ABI by contract name (the proxies answer with their target's). */
export function loadAbis(npmDir) {
  const abis = {};
  for (const name of Object.keys(ARTIFACT_PATHS))
    abis[name] = loadArtifact(npmDir, name).abi;
  return abis;
}

/** The id a contract is registered under: keccak256 of its name. */
export function contractId(ethers, name) {
  return ethers.keccak256(ethers.toUtf8Bytes(name));
}

// The bytecode with each library placeholder replaced by its address.
function linkBytecode(artifact, libraries) {
  let code = artifact.bytecode.slice(2);
  for (const [file, names] of Object.entries(artifact.linkReferences || {})) {
    for (const [name, places] of Object.entries(names)) {
      const address = libraries[name];
      if (!address)
        throw new Error(`${artifact.contractName} needs library ${name} (${file})`);
      for (const { start, length } of places) {
        code = code.slice(0, 2 * start) + address.slice(2).toLowerCase() +
          code.slice(2 * (start + length));
      }
    }
  }
  return "0x" + code;
}

/**
 * Parses an amount in wei: an integer, or a decimal with an exponent that
 * comes out whole ("1000e18", "1.5e18"). Returns a bigint.
 */
export function parseAmount(text) {
  const m = /^([0-9]+)(?:\.([0-9]+))?(?:[eE]([0-9]+))?$/.exec(String(text).trim());
  if (!m)
    throw new Error(`'${text}' is not an amount (wei, e.g. 1000e18)`);
  const frac = m[2] || "";
  const digits = BigInt(m[1] + frac);
  const shift = Number(m[3] || 0) - frac.length;
  if (shift >= 0)
    return digits * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  if (digits % divisor !== 0n)
    throw new Error(`'${text}' is not a whole number of wei`);
  return digits / divisor;
}

function checkParams(params) {
  for (const [key, value] of Object.entries(params)) {
    if (!(key in DEFAULT_PARAMS))
      throw new Error(`unknown parameter '${key}' (known: ${Object.keys(DEFAULT_PARAMS).join(", ")})`);
    if (!Number.isSafeInteger(value) || value < 0)
      throw new Error(`parameter ${key} must be a non-negative integer, not '${value}'`);
  }
  if (params.roundLength < 1)
    throw new Error("roundLength must be at least 1 block");
  if (params.roundLockAmount > 1000000)
    throw new Error("roundLockAmount is over 1e6 (at most 1000000)");
  for (const key of ["inflation", "inflationChange", "targetBondingRate"])
    if (params[key] > 1000000000)
      throw new Error(`${key} is over 1e9 (at most 1000000000)`);
  if (params.numActiveTranscoders < 1)
    throw new Error("numActiveTranscoders must be at least 1");
}

// Sends transactions a phase at a time. Batched (the default, on anvil):
// automine is off while a phase's transactions, with explicit nonces and
// gas, go into the pool, then blocks are mined until all are in; a whole
// deployment takes a few blocks, so it ends inside round 0. Unbatched:
// one transaction (one block under automine) after another.
class Sender {
  constructor(ethers, provider, wallet, batch, log) {
    this.ethers = ethers;
    this.provider = provider;
    this.wallet = wallet;
    this.batch = batch;
    this.log = log;
    this.pending = [];
  }

  async start() {
    this.nonce = await this.provider.getTransactionCount(this.wallet.address, "pending");
    this.fees = await this.provider.getFeeData();
  }

  // Queues a transaction {to?, data, label}; its gas is estimated now, so
  // what it depends on must be mined by an earlier phase.
  async add(tx) {
    const request = { from: this.wallet.address, to: tx.to, data: tx.data, value: tx.value };
    let gas;
    try {
      gas = await this.provider.estimateGas(request);
    } catch (e) {
      throw new Error(`${tx.label}: the node refuses it (${e.shortMessage || e.message})`);
    }
    const full = {
      ...request,
      nonce: this.nonce++,
      gasLimit: gas + gas / 5n,
      chainId: this.chainId,
    };
    if (this.fees.maxFeePerGas != null) {
      full.maxFeePerGas = this.fees.maxFeePerGas;
      full.maxPriorityFeePerGas = this.fees.maxPriorityFeePerGas;
    } else {
      full.gasPrice = this.fees.gasPrice;
    }
    delete full.from;
    if (this.batch) {
      this.pending.push({ label: tx.label, signed: await this.wallet.signTransaction(full) });
      return;
    }
    const sent = await this.wallet.sendTransaction(full);
    await this.check(tx.label, await sent.wait());
  }

  async check(label, receipt) {
    if (!receipt || receipt.status !== 1)
      throw new Error(`${label}: the transaction reverted (${receipt && receipt.hash})`);
    this.log(`  ${label}`);
    return receipt;
  }

  // Mines the queued transactions; every one must succeed.
  async flush() {
    if (!this.batch || this.pending.length === 0)
      return;
    const batch = this.pending;
    this.pending = [];
    await this.provider.send("evm_setAutomine", [false]);
    try {
      const hashes = [];
      for (const tx of batch)
        hashes.push(await this.provider.send("eth_sendRawTransaction", [tx.signed]));
      for (let blocks = 0; ; blocks++) {
        if (blocks > batch.length)
          throw new Error("the node mines no block with the deployment's transactions");
        await this.provider.send("evm_mine", []);
        const left = await this.provider.send("eth_getTransactionCount",
          [this.wallet.address, "latest"]);
        if (BigInt(left) >= BigInt(this.nonce))
          break;
      }
      for (let i = 0; i < batch.length; i++)
        await this.check(batch[i].label, await this.provider.getTransactionReceipt(hashes[i]));
    } finally {
      await this.provider.send("evm_setAutomine", [true]);
    }
  }
}

/**
 * Deploys a Livepeer network.
 *
 * options:
 *   npmDir        npm prefix holding ethers and @livepeer/sdk (required)
 *   rpc           the node's JSON-RPC URL (default http://127.0.0.1:8545)
 *   deployerKey   private key of the deployer, who owns the Controller
 *                 (default: anvil's first development account)
 *   params        parameters, over DEFAULT_PARAMS (same keys)
 *   accounts      [{address, lpt, eth}]: LPT (wei, bigint or text) minted
 *                 to each; ETH (wei) set as its balance with
 *                 anvil_setBalance when given
 *   batch         few blocks, through evm_setAutomine/evm_mine (default
 *                 true); false sends one transaction after another
 *   log           function(line) for progress (default: none)
 *
 * Resolves to {rpc, chain_id, controller, owner, owner_private_key,
 * contracts: {Name: address, NameTarget: address, ...}, block, round,
 * params, accounts: [{address, lpt, eth}]} with amounts as decimal
 * strings.
 */
export async function deployLivepeer(options) {
  const npmDir = options.npmDir;
  if (!npmDir)
    throw new Error("deployLivepeer: npmDir is required");
  const ethers = loadEthers(npmDir);
  const rpc = options.rpc || "http://127.0.0.1:8545";
  const params = { ...DEFAULT_PARAMS, ...(options.params || {}) };
  checkParams(params);
  const log = options.log || (() => {});
  const accounts = (options.accounts || []).map((a) => ({
    address: ethers.getAddress(a.address),
    lpt: a.lpt == null ? 0n : BigInt(typeof a.lpt === "bigint" ? a.lpt : parseAmount(a.lpt)),
    eth: a.eth == null ? null : BigInt(typeof a.eth === "bigint" ? a.eth : parseAmount(a.eth)),
  }));

  const provider = new ethers.JsonRpcProvider(rpc, undefined, { staticNetwork: true,
    cacheTimeout: -1 });
  let network;
  try {
    network = await provider.getNetwork();
  } catch (e) {
    throw new Error(`no Ethereum JSON-RPC node answers at ${rpc} (${e.shortMessage || e.message})`);
  }
  // anvil's first development account (mnemonic "test test ... junk")
  const deployerKey = options.deployerKey ||
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
  const wallet = new ethers.Wallet(deployerKey, provider);
  const sender = new Sender(ethers, provider, wallet, options.batch !== false, log);
  sender.chainId = network.chainId;
  await sender.start();

  const art = (name) => loadArtifact(npmDir, name);
  const id = (name) => contractId(ethers, name);
  // CREATE addresses follow from the deployer's nonce: known before mining
  const nextAddress = () => ethers.getCreateAddress({ from: wallet.address, nonce: sender.nonce });
  const create = async (label, artifact, args = [], libraries = {}) => {
    const address = nextAddress();
    const factory = new ethers.ContractFactory(artifact.abi, linkBytecode(artifact, libraries));
    const tx = await factory.getDeployTransaction(...args);
    await sender.add({ label: `${label} at ${address}`, data: tx.data });
    return address;
  };
  const call = async (label, address, abi, method, args) => {
    const iface = new ethers.Interface(abi);
    await sender.add({ label, to: address, data: iface.encodeFunctionData(method, args) });
  };

  // Phase 1: every contract.
  log(`deploying Livepeer's contracts (@livepeer/sdk) from ${wallet.address} to ${rpc}`);
  const contracts = {};
  const controller = await create("Controller", art("Controller"));
  contracts.Controller = controller;
  contracts.LivepeerToken = await create("LivepeerToken", art("LivepeerToken"));
  contracts.Minter = await create("Minter", art("Minter"), [controller, params.inflation,
    params.inflationChange, params.targetBondingRate]);
  contracts.L2LPTDataCache = nextAddress();
  await sender.add({ label: `L2LPTDataCache (l1CirculatingSupply() = 0) at ${contracts.L2LPTDataCache}`,
    data: ZERO_ANSWER_INITCODE });
  contracts.SortedDoublyLL = await create("SortedDoublyLL", art("SortedDoublyLL"));
  for (const [name, artifactName] of PROXIED) {
    const artifact = art(artifactName);
    contracts[`${name}Target`] = await create(`${name}Target (${artifact.contractName})`, artifact,
      [controller], { SortedDoublyLL: contracts.SortedDoublyLL });
    contracts[name] = await create(`${name} (ManagerProxy)`, art("ManagerProxy"),
      [controller, id(`${name}Target`)]);
  }
  await sender.flush();

  // Phase 2: the Controller's registry. The TicketBroker is registered as
  // "JobsManager" too, as Livepeer does: the Minter takes ETH from and
  // pays it out for the "JobsManager".
  const controllerAbi = art("Controller").abi;
  const register = (name, address) => call(`register ${name}`, controller, controllerAbi,
    "setContractInfo", [id(name), address, NO_COMMIT]);
  await register("LivepeerToken", contracts.LivepeerToken);
  await register("Minter", contracts.Minter);
  await register("L2LPTDataCache", contracts.L2LPTDataCache);
  for (const [name] of PROXIED) {
    await register(`${name}Target`, contracts[`${name}Target`]);
    await register(name, contracts[name]);
  }
  await register("JobsManager", contracts.TicketBroker);
  const tokenAbi = art("LivepeerToken").abi;
  const minterRole = id("MINTER_ROLE");
  const burnerRole = id("BURNER_ROLE");
  await call("LivepeerToken: the deployer may mint the funded accounts' LPT",
    contracts.LivepeerToken, tokenAbi, "grantRole", [minterRole, wallet.address]);
  await sender.flush();

  // Phase 3: parameters (through the proxies), balances, then minting to
  // the Minter only, and the Controller unpaused.
  const bm = art("BondingManager").abi;
  const rm = art("RoundsManager").abi;
  const tb = art("TicketBroker").abi;
  await call(`BondingManager.setUnbondingPeriod(${params.unbondingPeriod})`, contracts.BondingManager,
    bm, "setUnbondingPeriod", [params.unbondingPeriod]);
  await call(`BondingManager.setNumActiveTranscoders(${params.numActiveTranscoders})`,
    contracts.BondingManager, bm, "setNumActiveTranscoders", [params.numActiveTranscoders]);
  await call(`RoundsManager.setRoundLength(${params.roundLength})`, contracts.RoundsManager, rm,
    "setRoundLength", [params.roundLength]);
  await call(`RoundsManager.setRoundLockAmount(${params.roundLockAmount})`, contracts.RoundsManager,
    rm, "setRoundLockAmount", [params.roundLockAmount]);
  await call(`TicketBroker.setUnlockPeriod(${params.unlockPeriod})`, contracts.TicketBroker, tb,
    "setUnlockPeriod", [params.unlockPeriod]);
  await call(`TicketBroker.setTicketValidityPeriod(${params.ticketValidityPeriod})`,
    contracts.TicketBroker, tb, "setTicketValidityPeriod", [params.ticketValidityPeriod]);
  for (const a of accounts) {
    if (a.lpt > 0n)
      await call(`mint ${a.lpt} LPT wei to ${a.address}`, contracts.LivepeerToken, tokenAbi, "mint",
        [a.address, a.lpt]);
  }
  await call("LivepeerToken: the Minter mints", contracts.LivepeerToken, tokenAbi, "grantRole",
    [minterRole, contracts.Minter]);
  await call("LivepeerToken: the Minter burns", contracts.LivepeerToken, tokenAbi, "grantRole",
    [burnerRole, contracts.Minter]);
  await call("LivepeerToken: the deployer no longer mints", contracts.LivepeerToken, tokenAbi,
    "renounceRole", [minterRole, wallet.address]);
  await call("Controller.unpause()", controller, controllerAbi, "unpause", []);
  await sender.flush();
  for (const a of accounts) {
    if (a.eth != null)
      await provider.send("anvil_setBalance", [a.address, ethers.toQuantity(a.eth)]);
  }

  const block = await provider.getBlockNumber();
  const rounds = new ethers.Contract(contracts.RoundsManager, rm, provider);
  const round = Number(await rounds.currentRound());
  log(`deployed: block ${block}, round ${round}${
    (await rounds.currentRoundInitialized()) ? " (initialized)" : ""}`);
  const result = {
    rpc,
    chain_id: Number(network.chainId),
    controller,
    owner: wallet.address,
    owner_private_key: deployerKey,
    contracts,
    block,
    round,
    params,
    accounts: [],
  };
  for (const a of accounts) {
    const eth = await provider.getBalance(a.address);
    result.accounts.push({ address: a.address, lpt: a.lpt.toString(), eth: eth.toString() });
  }
  provider.destroy();
  return result;
}

/**
 * The inflation to give the embedded ledger's genesis so that it holds the
 * Minter's after the deployment. The embedded ledger initializes round 0
 * at genesis as any round, and so moves inflation one step toward the
 * target bonding rate (nothing is bonded yet: up, unless the target is 0);
 * on the chain round 0 counts as initialized without initializeRound(),
 * so the Minter keeps its constructor's inflation. The genesis starts one
 * step lower; both then move alike from round 1 on. (Round 0's mintable
 * LPT still differs, 0 on the chain; nobody is active in round 0 to mint
 * it.)
 */
export function genesisInflation(p) {
  if (p.targetBondingRate === 0)
    return p.inflation;
  if (p.inflation < p.inflationChange)
    throw new Error(`inflation ${p.inflation} below inflationChange ${p.inflationChange}: ` +
      "the embedded ledger cannot start at the same inflation as the Minter");
  return p.inflation - p.inflationChange;
}

/**
 * The embedded ledger's genesis (lpctl init --genesis FILE) with the same
 * parameters and balances as a deployment: blocks advance only when told
 * (block-time-ms 0), no treasury (these contracts predate Livepeer's
 * treasury: treasury-cut 0), no slashing (no Verifier is registered).
 */
export function genesisOf(deployment) {
  const p = deployment.params;
  return {
    params: {
      "block-time-ms": 0,
      "round-length": p.roundLength,
      "round-lock-amount": p.roundLockAmount,
      "unbonding-period": p.unbondingPeriod,
      "num-active": p.numActiveTranscoders,
      "inflation": genesisInflation(p),
      "inflation-change": p.inflationChange,
      "target-bonding-rate": p.targetBondingRate,
      "treasury-cut": 0,
      "treasury-ceiling": 0,
      "ticket-validity-period": p.ticketValidityPeriod,
      "unlock-period": p.unlockPeriod,
      "slashing": false,
      "fee-asset": "eth",
    },
    accounts: deployment.accounts.map((a) => ({ address: a.address, lpt: a.lpt, eth: a.eth })),
  };
}

/* ---- command line ------------------------------------------------------ */

const USAGE = `Usage: node chain-deploy.mjs --npm-dir DIR [options]

Deploys Livepeer's contracts to a JSON-RPC node (anvil) and writes what
was deployed.

  --npm-dir DIR          npm prefix with ethers and @livepeer/sdk (required)
  --rpc URL              the node (default http://127.0.0.1:8545)
  --out FILE             write the deployment (chain.json) there
  --genesis FILE         write the embedded ledger's genesis there
  --keys-dir DIR         create N new accounts with key files DIR/0.key ...
                         (64 hex digits, mode 0600, as 'lpctl account new')
  --accounts N           how many (default 4; with --keys-dir)
  --lpt AMOUNT           LPT minted to each, in wei (default 10000e18)
  --eth AMOUNT           ETH balance of each, in wei (default 1000e18)
  --deployer-key HEX     the Controller's owner (default anvil's first account)
  --no-batch             one transaction per block (any node; slower)
  --round-length N, --round-lock-amount N, --unbonding-period N,
  --num-active-transcoders N, --ticket-validity-period N, --unlock-period N,
  --inflation N, --inflation-change N, --target-bonding-rate N
                         parameters (defaults: ${Object.entries(DEFAULT_PARAMS).map(([k, v]) => `${k} ${v}`).join(", ")})
`;

function camel(flag) {
  return flag.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}

function parseArgs(argv) {
  const o = { params: {}, accounts: 4, lpt: "10000e18", eth: "1000e18" };
  const value = (i) => {
    if (i + 1 >= argv.length)
      throw new Error(`${argv[i]} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const flag = a.replace(/^--/, "");
    if (a === "-h" || a === "--help") {
      o.help = true;
    } else if (a === "--no-batch") {
      o.batch = false;
    } else if (["npm-dir", "rpc", "out", "genesis", "keys-dir", "deployer-key", "lpt", "eth"]
      .includes(flag)) {
      o[camel(flag)] = value(i++);
    } else if (flag === "accounts") {
      o.accounts = Number(value(i++));
      if (!Number.isSafeInteger(o.accounts) || o.accounts < 0)
        throw new Error(`--accounts must be a count, not '${argv[i]}'`);
    } else if (camel(flag) in DEFAULT_PARAMS) {
      const v = value(i++);
      if (!/^[0-9]+$/.test(v))
        throw new Error(`${a} must be a non-negative integer, not '${v}'`);
      o.params[camel(flag)] = Number(v);
    } else {
      throw new Error(`unknown argument '${a}' (see --help)`);
    }
  }
  return o;
}

// New accounts with key files as 'lpctl account new' writes them.
function makeAccounts(ethers, dir, count) {
  fs.mkdirSync(dir, { recursive: true });
  const made = [];
  for (let i = 0; i < count; i++) {
    const wallet = ethers.Wallet.createRandom();
    const file = path.join(dir, `${i}.key`);
    fs.writeFileSync(file, wallet.privateKey.slice(2) + "\n", { mode: 0o600, flag: "wx" });
    made.push({ address: wallet.address, key_file: path.resolve(file),
      private_key: wallet.privateKey });
  }
  return made;
}

async function main(argv) {
  const o = parseArgs(argv);
  if (o.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (!o.npmDir)
    throw new Error("--npm-dir is required (see --help)");
  const ethers = loadEthers(o.npmDir);
  if (o.genesis)
    genesisInflation({ ...DEFAULT_PARAMS, ...o.params }); // refused before deploying
  const lpt = parseAmount(o.lpt);
  const eth = parseAmount(o.eth);
  const keys = o.keysDir ? makeAccounts(ethers, o.keysDir, o.accounts) : [];
  const started = Date.now();
  const deployment = await deployLivepeer({
    npmDir: o.npmDir,
    rpc: o.rpc,
    deployerKey: o.deployerKey,
    params: o.params,
    batch: o.batch,
    accounts: keys.map((k) => ({ address: k.address, lpt, eth })),
    log: (line) => process.stderr.write(line + "\n"),
  });
  deployment.accounts = deployment.accounts.map((a, i) => ({ ...a, ...keys[i] }));
  deployment.deploy_seconds = (Date.now() - started) / 1000;
  const json = JSON.stringify(deployment, null, 2) + "\n";
  if (o.genesis)
    fs.writeFileSync(o.genesis, JSON.stringify(genesisOf(deployment), null, 2) + "\n");
  // last, and whole at once: whoever waits for it finds a finished devnet
  if (o.out) {
    fs.writeFileSync(`${o.out}.part`, json);
    fs.renameSync(`${o.out}.part`, o.out);
  } else {
    process.stdout.write(json);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`chain-deploy: error: ${e.message}\n`);
    process.exit(1);
  });
}

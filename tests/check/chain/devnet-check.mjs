// gst-livepeer
// Copyright (C) 2026 gst-livepeer contributors
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Checks a running chain-devnet (pipelines/chain-devnet.sh) with ethers
// against Livepeer's own contracts: every contract is where the
// Controller says, the parameters read back, the accounts hold what
// chain.json and genesis.json say, and the protocol works end to end:
// approve + bond, register as transcoder, a broadcaster's deposit and
// reserve, the next round initialized after mining to it, reward() minting
// the Minter's mintable LPT, a winning ticket redeemed, the fees withdrawn,
// and part of the stake unbonded and withdrawn after the unbonding period.
//
//   node devnet-check.mjs DEVNET_DIR NPM_DIR LPCTL
//   node devnet-check.mjs --break round-length|registry DEVNET_DIR NPM_DIR
// The second makes the deployment wrong first (as its owner may) and must
// then fail.
// LPCTL makes an embedded ledger of genesis.json, which must start as the
// chain does: parameters, inflation, round, supply, balances.
// Exits 0 when every check passes, 1 with the failed check otherwise.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadEthers, loadAbis, contractId } from "../../../pipelines/lib/chain-deploy.mjs";

const args = process.argv.slice(2);
const breakWhat = args[0] === "--break" ? args.splice(0, 2)[1] : null;
const [dir, npmDir, lpctl] = args;
const ethers = loadEthers(npmDir);
const abis = loadAbis(npmDir);
const chain = JSON.parse(fs.readFileSync(path.join(dir, "chain.json"), "utf8"));
const genesis = JSON.parse(fs.readFileSync(path.join(dir, "genesis.json"), "utf8"));
// no request cache: under automine the chain moves between two calls
const provider = new ethers.JsonRpcProvider(chain.rpc, undefined,
  { staticNetwork: true, cacheTimeout: -1 });
let checks = 0;

function check(ok, what) {
  if (!ok)
    throw new Error(`check failed: ${what}`);
  checks++;
}

function equal(actual, expected, what) {
  check(actual === expected, `${what}: ${actual} (expected ${expected})`);
}

const at = (name, runner = provider) => new ethers.Contract(chain.contracts[name],
  abis[name], runner);

async function checkRegistry() {
  const controller = new ethers.Contract(chain.controller, abis.Controller, provider);
  equal(Number((await provider.getNetwork()).chainId), chain.chain_id, "chain id");
  equal(await controller.paused(), false, "Controller paused");
  equal(await controller.owner(), chain.owner, "Controller owner");
  const registered = ["LivepeerToken", "Minter", "L2LPTDataCache", "TicketBroker",
    "BondingManager", "RoundsManager", "ServiceRegistry"];
  for (const name of registered) {
    equal(await controller.getContract(contractId(ethers, name)), chain.contracts[name],
      `Controller.getContract(keccak256("${name}"))`);
    check((await provider.getCode(chain.contracts[name])).length > 2, `${name} has code`);
  }
  for (const name of ["TicketBroker", "BondingManager", "RoundsManager", "ServiceRegistry"]) {
    equal(await controller.getContract(contractId(ethers, `${name}Target`)),
      chain.contracts[`${name}Target`], `${name}Target registered`);
    const proxy = new ethers.Contract(chain.contracts[name], abis.ManagerProxy, provider);
    equal(await proxy.targetContractId(), contractId(ethers, `${name}Target`),
      `${name} proxy's target id`);
    equal(await proxy.controller(), chain.controller, `${name}'s controller`);
  }
  // the Minter pays out fees for the TicketBroker as "JobsManager"
  equal(await controller.getContract(contractId(ethers, "JobsManager")),
    chain.contracts.TicketBroker, "JobsManager is the TicketBroker");
}

async function checkParams() {
  const p = chain.params;
  const rounds = at("RoundsManager");
  const bonding = at("BondingManager");
  const broker = at("TicketBroker");
  const minter = at("Minter");
  equal(Number(await rounds.roundLength()), p.roundLength, "roundLength");
  equal(Number(await rounds.roundLockAmount()), p.roundLockAmount, "roundLockAmount");
  equal(Number(await bonding.unbondingPeriod()), p.unbondingPeriod, "unbondingPeriod");
  equal(Number(await bonding.getTranscoderPoolMaxSize()), p.numActiveTranscoders,
    "numActiveTranscoders");
  equal(Number(await broker.unlockPeriod()), p.unlockPeriod, "unlockPeriod");
  equal(Number(await broker.ticketValidityPeriod()), p.ticketValidityPeriod,
    "ticketValidityPeriod");
  equal(Number(await minter.inflation()), p.inflation, "inflation");
  equal(Number(await minter.inflationChange()), p.inflationChange, "inflationChange");
  equal(Number(await minter.targetBondingRate()), p.targetBondingRate, "targetBondingRate");
  // the embedded ledger's genesis says the same
  const g = genesis.params;
  equal(g["round-length"], p.roundLength, "genesis round-length");
  equal(g["round-lock-amount"], p.roundLockAmount, "genesis round-lock-amount");
  equal(g["unbonding-period"], p.unbondingPeriod, "genesis unbonding-period");
  equal(g["num-active"], p.numActiveTranscoders, "genesis num-active");
  equal(g["unlock-period"], p.unlockPeriod, "genesis unlock-period");
  equal(g["ticket-validity-period"], p.ticketValidityPeriod, "genesis ticket-validity-period");
  equal(g["inflation-change"], p.inflationChange, "genesis inflation-change");
  equal(g["target-bonding-rate"], p.targetBondingRate, "genesis target-bonding-rate");
  equal(g["treasury-cut"], 0, "genesis treasury-cut (no treasury in these contracts)");
  equal(Number(await rounds.currentRound()), chain.round, "current round");
  equal(await rounds.currentRoundInitialized(), true, "the deployment's round is initialized");
}

async function checkAccounts() {
  const token = at("LivepeerToken");
  let supply = 0n;
  check(chain.accounts.length >= 2, "at least two funded accounts");
  equal(genesis.accounts.length, chain.accounts.length, "genesis accounts");
  for (const [i, a] of chain.accounts.entries()) {
    const key = fs.readFileSync(a.key_file, "utf8");
    check(/^[0-9a-f]{64}\n$/.test(key), `${a.key_file} is 64 hex digits and a newline`);
    equal(fs.statSync(a.key_file).mode & 0o777, 0o600, `${a.key_file} mode`);
    equal(new ethers.Wallet("0x" + key.trim()).address, a.address, `${a.key_file}'s address`);
    equal((await token.balanceOf(a.address)).toString(), a.lpt, `LPT of ${a.address}`);
    equal((await provider.getBalance(a.address)).toString(), a.eth, `ETH of ${a.address}`);
    equal(genesis.accounts[i].address, a.address, `genesis account ${i}`);
    equal(genesis.accounts[i].lpt, a.lpt, `genesis LPT of ${a.address}`);
    equal(genesis.accounts[i].eth, a.eth, `genesis ETH of ${a.address}`);
    supply += BigInt(a.lpt);
  }
  equal(await token.totalSupply(), supply, "LPT supply is the funded accounts' LPT");
}

// The embedded ledger made from genesis.json starts where the chain is.
async function checkEmbeddedGenesis() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "devnet-check-"));
  const ledger = path.join(work, "genesis.db");
  const lp = (...args) => JSON.parse(execFileSync(lpctl, ["--ledger", ledger, ...args],
    { encoding: "utf8" }));
  try {
    lp("init", "--genesis", path.join(dir, "genesis.json"), "--json");
    const status = lp("status", "--json");
    const minter = at("Minter");
    const rounds = at("RoundsManager");
    const bonding = at("BondingManager");
    const broker = at("TicketBroker");
    equal(BigInt(status.inflation), await minter.inflation(), "embedded inflation = Minter's");
    equal(BigInt(status.params["inflation-change"]), await minter.inflationChange(),
      "embedded inflation-change");
    equal(BigInt(status.params["target-bonding-rate"]), await minter.targetBondingRate(),
      "embedded target-bonding-rate");
    equal(BigInt(status.params["round-length"]), await rounds.roundLength(), "embedded round-length");
    equal(BigInt(status.params["round-lock-amount"]), await rounds.roundLockAmount(),
      "embedded round-lock-amount");
    equal(BigInt(status.params["unbonding-period"]), await bonding.unbondingPeriod(),
      "embedded unbonding-period");
    equal(BigInt(status.params["num-active"]), await bonding.getTranscoderPoolMaxSize(),
      "embedded num-active");
    equal(BigInt(status.params["unlock-period"]), await broker.unlockPeriod(),
      "embedded unlock-period");
    equal(BigInt(status.params["ticket-validity-period"]), await broker.ticketValidityPeriod(),
      "embedded ticket-validity-period");
    equal(BigInt(status.round), await rounds.currentRound(), "embedded round");
    equal(status.round_initialized, await rounds.currentRoundInitialized(),
      "embedded round initialized");
    equal(BigInt(status.total_supply), await at("LivepeerToken").totalSupply(),
      "embedded LPT supply");
    equal(BigInt(status.total_bonded), await bonding.getTotalBonded(), "embedded total bonded");
    for (const a of chain.accounts) {
      const b = lp("account", "balance", a.address, "--json");
      equal(b.lpt, (await at("LivepeerToken").balanceOf(a.address)).toString(),
        `embedded LPT of ${a.address}`);
      equal(b.eth, (await provider.getBalance(a.address)).toString(),
        `embedded ETH of ${a.address}`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function send(what, promise) {
  let receipt;
  try {
    receipt = await (await promise).wait();
  } catch (e) {
    throw new Error(`${what}: ${e.shortMessage || e.message}`);
  }
  check(receipt.status === 1, `${what} succeeds`);
  return receipt;
}

async function checkProtocol() {
  const orch = new ethers.Wallet(chain.accounts[0].private_key, provider);
  const bcast = new ethers.Wallet(chain.accounts[1].private_key, provider);
  const token = at("LivepeerToken", orch);
  const bonding = at("BondingManager", orch);
  const rounds = at("RoundsManager", orch);
  const minter = at("Minter");
  const stake = BigInt(chain.accounts[0].lpt) / 10n;

  await send("approve", token.approve(chain.contracts.BondingManager, stake));
  await send("bond to self", bonding.bond(stake, orch.address));
  equal((await bonding.getDelegator(orch.address))[0], stake, "bonded amount");
  await send("transcoder(10 %, 50 %)", bonding.transcoder(100000, 500000));
  equal(await bonding.isRegisteredTranscoder(orch.address), true, "registered transcoder");

  const broker = at("TicketBroker", bcast);
  const deposit = 10n ** 18n;
  const reserve = 10n ** 18n;
  await send("fundDepositAndReserve", broker.fundDepositAndReserve(deposit, reserve,
    { value: deposit + reserve }));
  const [sender, reserveInfo] = await broker.getSenderInfo(bcast.address);
  equal(sender.deposit, deposit, "deposit");
  equal(reserveInfo.fundsRemaining, reserve, "reserve");
  equal(await provider.getBalance(chain.contracts.Minter), deposit + reserve,
    "the Minter holds the broadcaster's ETH");

  // mine to the next round and initialize it
  const round = await rounds.currentRound();
  const next = (await rounds.currentRoundStartBlock()) + (await rounds.roundLength());
  await provider.send("anvil_mine", [ethers.toQuantity(next - BigInt(await provider.getBlockNumber()))]);
  equal(await rounds.currentRound(), round + 1n, "mined to the next round");
  equal(await rounds.currentRoundInitialized(), false, "the next round is not initialized yet");
  await send("initializeRound", rounds.initializeRound());
  equal(await rounds.currentRoundInitialized(), true, "round initialized");
  equal(await bonding.isActiveTranscoder(orch.address), true, "the transcoder is active");

  // The Minter moved inflation toward the target bonding rate (bonded
  // share below it: up) and made that share of the supply mintable.
  const supply = await token.totalSupply();
  const inflation = await minter.inflation();
  equal(inflation, BigInt(chain.params.inflation + chain.params.inflationChange),
    "inflation after a round below the target bonding rate");
  const mintable = await minter.currentMintableTokens();
  equal(mintable, supply * inflation / 1000000000n, "mintable LPT");
  check(mintable > 0n, "something to mint");
  const receipt = await send("reward", bonding.reward());
  equal(await token.totalSupply(), supply + mintable,
    "reward() minted the round's LPT (the only active transcoder)");
  const reward = receipt.logs.map((l) => { try { return bonding.interface.parseLog(l); } catch { return null; } })
    .find((e) => e && e.name === "Reward");
  check(reward && reward.args.amount === mintable, "a Reward event of the minted amount");
  equal(await bonding.transcoderTotalStake(orch.address), stake + mintable,
    "the reward is staked");

  // A winning ticket from the broadcaster, redeemed by the orchestrator.
  const currentRound = await rounds.currentRound();
  const roundHash = await rounds.blockHashForRound(currentRound);
  check(roundHash !== ethers.ZeroHash, "the round has a block hash");
  const recipientRand = 42n;
  const faceValue = deposit / 4n;
  const ticket = {
    recipient: orch.address,
    sender: bcast.address,
    faceValue,
    winProb: ethers.MaxUint256,
    senderNonce: 1n,
    recipientRandHash: ethers.solidityPackedKeccak256(["uint256"], [recipientRand]),
    auxData: ethers.solidityPacked(["uint256", "bytes32"], [currentRound, roundHash]),
  };
  const hash = await broker.getTicketHash(ticket);
  const sig = await bcast.signMessage(ethers.getBytes(hash));
  await send("redeemWinningTicket", at("TicketBroker", orch).redeemWinningTicket(ticket, sig,
    recipientRand));
  equal((await broker.getSenderInfo(bcast.address))[0].deposit, deposit - faceValue,
    "the deposit paid the face value");
  const fees = await bonding.pendingFees(orch.address, currentRound);
  check(fees > 0n && fees <= faceValue, `the orchestrator earned fees (${fees} of ${faceValue})`);
  await checkWithdrawals(orch, fees);
}

// The way out: the orchestrator's fees paid by the Minter to another
// account, and part of its stake unbonded and withdrawn once the unbonding
// period has passed (not before).
async function checkWithdrawals(orch, fees) {
  const token = at("LivepeerToken", orch);
  const bonding = at("BondingManager", orch);
  const rounds = at("RoundsManager", orch);
  const payee = chain.accounts[2].address;
  const payeeBefore = await provider.getBalance(payee);
  const minterBefore = await provider.getBalance(chain.contracts.Minter);
  await send("withdrawFees", bonding.withdrawFees(payee, fees));
  equal(await provider.getBalance(payee), payeeBefore + fees, "the fees reached the payee");
  equal(await provider.getBalance(chain.contracts.Minter), minterBefore - fees,
    "the Minter paid the fees");

  const round = await rounds.currentRound();
  const amount = (await bonding.getDelegator(orch.address))[0] / 2n;
  const receipt = await send("unbond half the stake", bonding.unbond(amount));
  const unbond = receipt.logs.map((l) => { try { return bonding.interface.parseLog(l); } catch { return null; } })
    .find((e) => e && e.name === "Unbond");
  check(unbond && unbond.args.amount === amount, "an Unbond event of the unbonded amount");
  const lock = unbond.args.unbondingLockId;
  const withdrawRound = round + BigInt(chain.params.unbondingPeriod);
  equal(unbond.args.withdrawRound, withdrawRound, "withdraw round = round + unbonding period");
  let early = false;
  try {
    await bonding.withdrawStake.staticCall(lock);
    early = true;
  } catch { /* reverts, as it must */ }
  check(!early, "withdrawStake is refused before the withdraw round");

  while (await rounds.currentRound() < withdrawRound) {
    const next = (await rounds.currentRoundStartBlock()) + (await rounds.roundLength());
    await provider.send("anvil_mine",
      [ethers.toQuantity(next - BigInt(await provider.getBlockNumber()))]);
  }
  equal(await rounds.currentRound(), withdrawRound, "mined to the withdraw round");
  await send("initializeRound (withdraw round)", rounds.initializeRound());
  const lptBefore = await token.balanceOf(orch.address);
  await send("withdrawStake", bonding.withdrawStake(lock));
  equal(await token.balanceOf(orch.address), lptBefore + amount, "the unbonded LPT came back");
  equal(await bonding.isValidUnbondingLock(orch.address, lock), false,
    "the unbonding lock is spent");
}

// Makes the deployment wrong, as the Controller's owner may, so that the
// checks can be seen to fail: "round-length" sets another round length,
// "registry" registers the TicketBroker as the BondingManager.
async function breakDeployment(what) {
  const owner = new ethers.Wallet(chain.owner_private_key, provider);
  if (what === "round-length") {
    await send("setRoundLength", at("RoundsManager", owner)
      .setRoundLength(chain.params.roundLength + 1));
  } else if (what === "registry") {
    const controller = new ethers.Contract(chain.controller, abis.Controller, owner);
    await send("setContractInfo", controller.setContractInfo(contractId(ethers, "BondingManager"),
      chain.contracts.TicketBroker, "0x" + "00".repeat(20)));
  } else {
    throw new Error(`--break: unknown '${what}' (round-length, registry)`);
  }
}

try {
  if (breakWhat)
    await breakDeployment(breakWhat);
  await checkRegistry();
  await checkParams();
  await checkAccounts();
  if (lpctl)
    await checkEmbeddedGenesis();
  await checkProtocol();
  console.log(`devnet-check: ${checks} checks passed`);
} catch (e) {
  console.error(`devnet-check: ${e.message}`);
  process.exitCode = 1;
} finally {
  provider.destroy();
}

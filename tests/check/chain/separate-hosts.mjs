// gst-livepeer
// Copyright (C) 2026 gst-livepeer contributors
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The chain's side of chain/separate-hosts.sh, read with ethers from
// Livepeer's own contracts (not with our C code):
//
//   node separate-hosts.mjs NPM_DIR CHAIN_JSON setup \
//       --orchestrator ADDRESS,STAKE,SERVICE_URI ... \
//       --broadcaster ADDRESS,DEPOSIT,RESERVE
//     checks that each orchestrator is registered, active, with that
//     total stake and service URI, and the broadcaster's deposit and
//     reserve; exits 1 naming every difference.
//   node separate-hosts.mjs NPM_DIR CHAIN_JSON outcome \
//       --orchestrator ADDRESS ... --broadcaster ADDRESS
//     prints one JSON object: the current round, and per orchestrator
//     the WinningTicketRedeemed events from the broadcaster to it (count,
//     face values summed), its Reward events (count, LPT minted), its
//     lastRewardRound and cumulative fees; the broadcaster's deposit and
//     reserve.
// Amounts are wei, written as digits or as MANTISSAeEXPONENT (1000e18).

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const [npmDir, chainJson, mode, ...args] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(npmDir), "node_modules", "x.js"));
const ethers = require("ethers");
const chain = JSON.parse(fs.readFileSync(chainJson, "utf8"));
const provider = new ethers.JsonRpcProvider(chain.rpc, undefined,
  { staticNetwork: true, cacheTimeout: -1 });

const ABI = {
  BondingManager: [
    "function transcoderTotalStake(address) view returns (uint256)",
    "function isRegisteredTranscoder(address) view returns (bool)",
    "function isActiveTranscoder(address) view returns (bool)",
    "function getTranscoder(address) view returns (uint256 lastRewardRound, uint256, uint256, uint256, uint256, uint256, uint256, uint256, uint256 cumulativeFees, uint256)",
    "event Reward(address indexed transcoder, uint256 amount)",
  ],
  TicketBroker: [
    "function getSenderInfo(address) view returns ((uint256 deposit, uint256 withdrawRound) sender, (uint256 fundsRemaining, uint256 claimedInCurrentRound) reserve)",
    "event WinningTicketRedeemed(address indexed sender, address indexed recipient, uint256 faceValue, uint256 winProb, uint256 senderNonce, uint256 recipientRand, bytes auxData)",
  ],
  ServiceRegistry: ["function getServiceURI(address) view returns (string)"],
  RoundsManager: ["function currentRound() view returns (uint256)"],
};

async function contract(name) {
  const controller = new ethers.Contract(chain.controller,
    ["function getContract(bytes32) view returns (address)"], provider);
  return new ethers.Contract(await controller.getContract(ethers.id(name)), ABI[name], provider);
}

function amount(text) {
  const m = /^([0-9]+)(?:e([0-9]+))?$/.exec(text);
  if (!m)
    throw new Error(`'${text}' is not an amount of wei`);
  return BigInt(m[1]) * 10n ** BigInt(m[2] || 0);
}

function parseArgs(list) {
  const o = { orchestrators: [], broadcaster: null };
  for (let i = 0; i < list.length; i += 2) {
    const fields = (list[i + 1] || "").split(",");
    if (list[i] === "--orchestrator")
      o.orchestrators.push(fields);
    else if (list[i] === "--broadcaster")
      o.broadcaster = fields;
    else
      throw new Error(`unknown argument '${list[i]}'`);
  }
  if (!o.broadcaster)
    throw new Error("--broadcaster is required");
  return o;
}

async function setup(o) {
  const bm = await contract("BondingManager");
  const sr = await contract("ServiceRegistry");
  const tb = await contract("TicketBroker");
  const wrong = [];
  const expect = (what, got, want) => {
    if (got !== want)
      wrong.push(`${what} is ${got}, expected ${want}`);
  };
  for (const [address, stake, uri] of o.orchestrators) {
    expect(`isRegisteredTranscoder(${address})`, await bm.isRegisteredTranscoder(address), true);
    expect(`isActiveTranscoder(${address})`, await bm.isActiveTranscoder(address), true);
    expect(`transcoderTotalStake(${address})`, await bm.transcoderTotalStake(address), amount(stake));
    expect(`getServiceURI(${address})`, await sr.getServiceURI(address), uri);
  }
  const [address, deposit, reserve] = o.broadcaster;
  const info = await tb.getSenderInfo(address);
  expect(`the deposit of ${address}`, info.sender.deposit, amount(deposit));
  expect(`the reserve of ${address}`, info.reserve.fundsRemaining, amount(reserve));
  for (const line of wrong)
    console.error(`separate-hosts.mjs: ${line}`);
  return wrong.length === 0;
}

async function outcome(o) {
  const bm = await contract("BondingManager");
  const tb = await contract("TicketBroker");
  const rm = await contract("RoundsManager");
  const sender = o.broadcaster[0];
  const result = { round: Number(await rm.currentRound()), orchestrators: {} };
  for (const [address] of o.orchestrators) {
    const redeemed = await tb.queryFilter(tb.filters.WinningTicketRedeemed(sender, address), 0, "latest");
    const rewards = await bm.queryFilter(bm.filters.Reward(address), 0, "latest");
    const t = await bm.getTranscoder(address);
    result.orchestrators[address.toLowerCase()] = {
      redeemed: redeemed.length,
      redeemed_face_value: redeemed.reduce((s, e) => s + e.args.faceValue, 0n).toString(),
      rewards: rewards.length,
      rewards_minted: rewards.reduce((s, e) => s + e.args.amount, 0n).toString(),
      last_reward_round: Number(t.lastRewardRound),
      cumulative_fees: t.cumulativeFees.toString(),
    };
  }
  const info = await tb.getSenderInfo(sender);
  result.broadcaster = {
    deposit: info.sender.deposit.toString(),
    reserve: info.reserve.fundsRemaining.toString(),
  };
  console.log(JSON.stringify(result, null, 2));
  return true;
}

const modes = { setup, outcome };
if (!modes[mode]) {
  console.error(`separate-hosts.mjs: unknown mode '${mode}' (setup or outcome)`);
  process.exit(2);
}
modes[mode](parseArgs(args)).then((ok) => process.exit(ok ? 0 : 1), (e) => {
  console.error(`separate-hosts.mjs: ${e.message}`);
  process.exit(1);
});

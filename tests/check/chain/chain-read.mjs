// gst-livepeer
// Copyright (C) 2026 gst-livepeer contributors
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Independent reads of a chain for lpctl-chain.sh: ethers (not our C code)
// resolves a contract through the Controller and calls one of its views,
// or reads an account's ETH, or counts a contract's events.
//
//   node chain-read.mjs NPM_DIR CHAIN_JSON eth ADDRESS
//   node chain-read.mjs NPM_DIR CHAIN_JSON view CONTRACT FRAGMENT [ARG...]
//       FRAGMENT: a human-readable ABI fragment,
//       "function getDelegator(address) view returns (uint256,uint256)"
//   node chain-read.mjs NPM_DIR CHAIN_JSON events CONTRACT FRAGMENT
//       FRAGMENT: "event WinningTicketRedeemed(address indexed, ...)"
//   node chain-read.mjs NPM_DIR CHAIN_JSON tickets CONTRACT FRAGMENT
//       FRAGMENT: WinningTicketRedeemed's; the tickets its events redeem
//       (told apart by sender, recipient, senderNonce, recipientRand),
//       then the most events one ticket has
//   node chain-read.mjs NPM_DIR CHAIN_JSON last-tx CONTRACT FRAGMENT
//       the last transaction that emitted the event: how many of them it
//       emitted, then its receipt's gasUsed
//   node chain-read.mjs NPM_DIR CHAIN_JSON serve
//       reads one request a line on stdin (the arguments above after
//       CHAIN_JSON, separated by tabs) and answers each with its lines,
//       then a line "."; a failed read answers "!" and its message. One
//       process for the whole test: node and ethers load once.
// Prints each returned value on its own line (numbers in decimal, tuples
// flattened), or the event count.

import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { createRequire } from "node:module";

const [npmDir, chainJson, what, ...rest] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(npmDir), "node_modules", "x.js"));
const ethers = require("ethers");
const chain = JSON.parse(fs.readFileSync(chainJson, "utf8"));
const provider = new ethers.JsonRpcProvider(chain.rpc, undefined,
  { staticNetwork: true, cacheTimeout: -1 });

async function resolve(name) {
  const controller = new ethers.Contract(chain.controller,
    ["function getContract(bytes32) view returns (address)"], provider);
  return controller.getContract(ethers.id(name));
}

function flatten(value, out) {
  if (Array.isArray(value) || value instanceof ethers.Result) {
    for (const v of value)
      flatten(v, out);
  } else {
    out.push(value.toString());
  }
  return out;
}

// The lines one read answers.
async function read(what, rest) {
  if (what === "eth") {
    return [(await provider.getBalance(rest[0])).toString()];
  } else if (what === "view") {
    const [name, fragment, ...args] = rest;
    const contract = new ethers.Contract(await resolve(name), [fragment], provider);
    const fn = contract.interface.fragments[0];
    const result = await contract.getFunction(fn.name).staticCallResult(...args);
    return flatten(result, []);
  } else if (what === "events") {
    const [name, fragment] = rest;
    const contract = new ethers.Contract(await resolve(name), [fragment], provider);
    const logs = await contract.queryFilter(contract.interface.fragments[0].name, 0, "latest");
    return [String(logs.length)];
  } else if (what === "tickets") {
    // WinningTicketRedeemed: how many tickets, each told apart by its
    // sender, recipient, senderNonce and recipientRand, then the most
    // events one of them has (1: each redeemed once)
    const [name, fragment] = rest;
    const contract = new ethers.Contract(await resolve(name), [fragment], provider);
    const logs = await contract.queryFilter(contract.interface.fragments[0].name, 0, "latest");
    const seen = new Map();
    for (const l of logs) {
      const a = l.args;
      const key = [a.sender, a.recipient, a.senderNonce, a.recipientRand].join("/");
      seen.set(key, (seen.get(key) || 0) + 1);
    }
    return [String(seen.size), String(Math.max(0, ...seen.values()))];
  } else if (what === "last-tx") {
    const [name, fragment] = rest;
    const contract = new ethers.Contract(await resolve(name), [fragment], provider);
    const logs = await contract.queryFilter(contract.interface.fragments[0].name, 0, "latest");
    if (logs.length === 0)
      throw new Error("no such event yet");
    const tx = logs[logs.length - 1].transactionHash;
    const receipt = await provider.getTransactionReceipt(tx);
    return [String(logs.filter((l) => l.transactionHash === tx).length),
      receipt.gasUsed.toString()];
  }
  throw new Error(`unknown read '${what}'`);
}

async function serve() {
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [request, ...args] = line.split("\t");
    let answer;
    try {
      answer = await read(request, args);
    } catch (e) {
      answer = [`!${e.message.split("\n")[0]}`];
    }
    process.stdout.write(answer.concat(".").join("\n") + "\n");
  }
}

async function main() {
  if (what === "serve")
    return serve();
  for (const line of await read(what, rest))
    console.log(line);
}

// exit as soon as the answer is out: the provider's keep-alive sockets
// and timers would hold node for a second or more
main().then(() => process.exit(0), (e) => {
  console.error(`chain-read: ${e.message}`);
  process.exit(1);
});

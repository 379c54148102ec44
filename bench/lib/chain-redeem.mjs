// gst-livepeer
// Copyright (C) 2026 gst-livepeer contributors
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The ethers side of bench/chain.sh: winning tickets built and signed with
// ethers (not our C code), redeemed on the devnet's TicketBroker one at a
// time and in batches, gas read from the receipts; and the gas of the
// redemptions our core sent, read from their receipts.
//
//   node chain-redeem.mjs NPM_DIR CHAIN_JSON params SENDER RECIPIENT FACE RAND
//     prints the ticket parameters JSON (lpctl payment make --params) of
//     always-winning tickets from SENDER to RECIPIENT (account indexes
//     in chain.json) for the current round
//   node chain-redeem.mjs NPM_DIR CHAIN_JSON receipts FROM_BLOCK TO_BLOCK
//     prints one JSON object: the gas used by every redeemWinningTicket
//     transaction mined in those blocks (as our core sent them)
//   node chain-redeem.mjs NPM_DIR CHAIN_JSON ethers SENDER RECIPIENT FACE \
//       SINGLES BATCH_SIZE...
//     redeems SINGLES tickets one by one (each awaited), then one batch of
//     each BATCH_SIZE (batchRedeemWinningTickets), all signed here; prints
//     one JSON object with the gas of each and the singles' rate

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const [npmDir, chainJson, mode, ...args] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(npmDir), "node_modules", "x.js"));
const ethers = require("ethers");
const chain = JSON.parse(fs.readFileSync(chainJson, "utf8"));
const provider = new ethers.JsonRpcProvider(chain.rpc, undefined,
  { staticNetwork: true, cacheTimeout: -1, pollingInterval: 50 });

const TICKET = "(address recipient, address sender, uint256 faceValue, uint256 winProb, uint256 senderNonce, bytes32 recipientRandHash, bytes auxData)";
const BROKER_ABI = [
  `function redeemWinningTicket(${TICKET} _ticket, bytes _sig, uint256 _recipientRand)`,
  `function batchRedeemWinningTickets(${TICKET}[] _tickets, bytes[] _sigs, uint256[] _recipientRands)`,
  "event WinningTicketRedeemed(address indexed sender, address indexed recipient, uint256 faceValue, uint256 winProb, uint256 senderNonce, uint256 recipientRand, bytes auxData)",
];
const WIN_ALWAYS = ethers.MaxUint256;

async function resolve(name) {
  const controller = new ethers.Contract(chain.controller,
    ["function getContract(bytes32) view returns (address)"], provider);
  return controller.getContract(ethers.id(name));
}

async function roundAndHash() {
  const rm = new ethers.Contract(await resolve("RoundsManager"), [
    "function currentRound() view returns (uint256)",
    "function blockHashForRound(uint256) view returns (bytes32)",
  ], provider);
  const round = await rm.currentRound();
  return { round, hash: await rm.blockHashForRound(round) };
}

function account(index) {
  const a = chain.accounts[Number(index)];
  if (!a)
    throw new Error(`chain.json has no account ${index}`);
  return new ethers.Wallet(a.private_key, provider);
}

function amount(text) {
  const m = /^([0-9]+)(?:e([0-9]+))?$/.exec(text);
  if (!m)
    throw new Error(`'${text}' is not an amount of wei`);
  return BigInt(m[1]) * 10n ** BigInt(m[2] || 0);
}

async function params(senderIndex, recipientIndex, face, rand) {
  const recipient = account(recipientIndex);
  const { round, hash } = await roundAndHash();
  console.log(JSON.stringify({
    recipient: recipient.address,
    face_value: amount(face).toString(),
    win_prob: WIN_ALWAYS.toString(),
    recipient_rand_hash: ethers.solidityPackedKeccak256(["uint256"], [BigInt(rand)]),
    seed: "0x01",
    expiration_block: 1000000,
    expiration_params: { creation_round: Number(round), creation_round_block_hash: hash },
  }));
}

async function receipts(fromBlock, toBlock) {
  const broker = new ethers.Interface(BROKER_ABI);
  const selector = broker.getFunction("redeemWinningTicket").selector;
  const gas = [];
  for (let n = Number(fromBlock); n <= Number(toBlock); n++) {
    const block = await provider.getBlock(n, true);
    for (const tx of block.prefetchedTransactions) {
      if (!tx.data.startsWith(selector))
        continue;
      const r = await provider.getTransactionReceipt(tx.hash);
      if (r.status === 1)
        gas.push(Number(r.gasUsed));
    }
  }
  console.log(JSON.stringify({ redemptions: gas.length, gas }));
}

// The tickets, signed as a sender signs them: the ticket hash (packed
// fields), then eth_sign's message prefix.
function signedTickets(sender, recipient, face, round, hash, firstNonce, n, rand) {
  const randHash = ethers.solidityPackedKeccak256(["uint256"], [rand]);
  const aux = ethers.solidityPacked(["uint256", "bytes32"], [round, hash]);
  const out = [];
  for (let i = 0; i < n; i++) {
    const ticket = {
      recipient: recipient.address, sender: sender.address, faceValue: face,
      winProb: WIN_ALWAYS, senderNonce: BigInt(firstNonce + i),
      recipientRandHash: randHash, auxData: aux,
    };
    const digest = ethers.solidityPackedKeccak256(
      ["address", "address", "uint256", "uint256", "uint256", "bytes32", "bytes"],
      [ticket.recipient, ticket.sender, ticket.faceValue, ticket.winProb,
        ticket.senderNonce, ticket.recipientRandHash, ticket.auxData]);
    out.push({ ticket, sig: sender.signingKey.sign(ethers.hashMessage(ethers.getBytes(digest))).serialized });
  }
  return out;
}

async function viaEthers(senderIndex, recipientIndex, face, singles, ...batchSizes) {
  const sender = account(senderIndex);
  const recipient = account(recipientIndex);
  const broker = new ethers.Contract(await resolve("TicketBroker"), BROKER_ABI, recipient);
  const { round, hash } = await roundAndHash();
  // a rand of this run: nonces start past anything lpctl used
  const rand = BigInt(ethers.hexlify(ethers.randomBytes(16)));
  let nonce = 1000000;
  const result = { singles: [], batches: [] };
  const one = signedTickets(sender, recipient, amount(face), round, hash, nonce,
    Number(singles), rand);
  nonce += Number(singles);
  const started = process.hrtime.bigint();
  for (const { ticket, sig } of one) {
    const tx = await broker.redeemWinningTicket(ticket, sig, rand);
    const r = await tx.wait();
    if (r.status !== 1)
      throw new Error(`redeemWinningTicket reverted (${tx.hash})`);
    result.singles.push(Number(r.gasUsed));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  result.singles_per_second = one.length / seconds;
  for (const size of batchSizes.map(Number)) {
    const batch = signedTickets(sender, recipient, amount(face), round, hash, nonce, size, rand);
    nonce += size;
    // the batch absorbs a ticket's failure, so eth_estimateGas finds a
    // limit at which the last tickets run out of gas without a revert:
    // a generous limit instead (the receipt's gasUsed is what was spent)
    const tx = await broker.batchRedeemWinningTickets(batch.map((b) => b.ticket),
      batch.map((b) => b.sig), batch.map(() => rand), { gasLimit: 100000 + 250000 * size });
    const r = await tx.wait();
    const redeemed = r.logs.filter((l) => {
      try {
        return broker.interface.parseLog(l)?.name === "WinningTicketRedeemed";
      } catch {
        return false;
      }
    }).length;
    if (r.status !== 1 || redeemed !== size)
      throw new Error(`batch of ${size}: ${redeemed} tickets redeemed (${tx.hash})`);
    result.batches.push({ size, gas: Number(r.gasUsed), per_ticket: Number(r.gasUsed) / size });
  }
  console.log(JSON.stringify(result));
}

const modes = { params, receipts, ethers: viaEthers };
if (!modes[mode]) {
  console.error(`chain-redeem.mjs: unknown mode '${mode}' (params, receipts or ethers)`);
  process.exit(2);
}
modes[mode](...args).catch((e) => {
  console.error(`chain-redeem.mjs: ${e.message}`);
  process.exit(1);
});

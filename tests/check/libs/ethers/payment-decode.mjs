// gst-livepeer
// Copyright (C) 2026 gst-livepeer contributors
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Cross-checks `lpctl payment decode` against payments built independently
// with `ethers` (v6): random sender keys and ticket parameters, the
// Payment JSON of docs/design/protocol.md §7 written here by hand, tickets hashed with
// solidityPackedKeccak256 and signed with signingKey.sign(hashMessage(hash)).
// Some tickets are signed by another key or have their nonce altered after
// signing. lpctl must report, per ticket, the same ticket hash, recovered
// signer, signature validity and (with --recipient-rand) winning outcome
// as ethers computes. Payments go in as header values (base64 of a
// protobuf Payment, encoded here field by field from proto/lp_rpc.proto,
// big integers as big-endian bytes as go-livepeer's big.Int.Bytes()), as
// an argument and on standard input, and as the readable JSON on standard
// input. Any disagreement fails the test with a diff.
//
// Usage: node payment-decode.mjs --lpctl PATH --npm-dir DIR [--helper PATH]
// (run by crosscheck.sh, which installs ethers into DIR first).
// LP_CROSSCHECK_COUNT sets how many payments (default 48).

import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { setup, pick } from './common.mjs';

const { args, ethers } = setup(['lpctl']);

const COUNT = Number(process.env.LP_CROSSCHECK_COUNT || 48);
const MAX = (1n << 256n) - 1n;
const failures = [];
let checked = 0;

function check(what, input, ours, theirs) {
  checked++;
  if (ours !== theirs)
    failures.push({ what, input, lpctl: ours, ethers: theirs });
}

const randHex = (n) => ethers.hexlify(crypto.randomBytes(n));
const randBig = (bytes) => BigInt(randHex(bytes));
const pad32 = (v) => ethers.zeroPadValue(ethers.toBeHex(v), 32);

function randomUint256() {
  return pick([0n, 1n, MAX, randBig(1), randBig(8), randBig(16), randBig(32)]);
}

// A JSON number when it fits int64 (as docs/design/protocol.md §7), else a decimal string
function u64(v) {
  if (v > 0x7fffffffffffffffn)
    return v.toString();
  if (v > BigInt(Number.MAX_SAFE_INTEGER))
    return { raw: v.toString() };
  return Number(v);
}

// JSON.stringify that keeps big integers exact
function stringify(obj) {
  return JSON.stringify(obj, (k, v) => (v && v.raw !== undefined ? `@@${v.raw}@@` : v))
    .replace(/"@@(\d+)@@"/g, '$1');
}

function ticketHash(t) {
  const aux = t.creationRound === 0n && BigInt(t.blockHash) === 0n ? '0x'
    : ethers.concat([pad32(t.creationRound), t.blockHash]);
  return ethers.solidityPackedKeccak256(
    ['address', 'address', 'uint256', 'uint256', 'uint256', 'bytes32', 'bytes'],
    [t.recipient, t.sender, t.faceValue, t.winProb, t.nonce, t.recipientRandHash, aux]);
}

function makePayment() {
  const wallet = new ethers.Wallet(randHex(32));
  const other = new ethers.Wallet(randHex(32));
  const recipientRand = randBig(pick([4, 32]));
  const noAux = crypto.randomInt(4) === 0;
  const p = {
    recipient: ethers.getAddress(randHex(20)),
    sender: wallet.address,
    faceValue: randomUint256(),
    winProb: randomUint256(),
    recipientRandHash: crypto.randomInt(2) ? ethers.keccak256(pad32(recipientRand)) : randHex(32),
    seed: randHex(32),
    expirationBlock: randBig(crypto.randomInt(1, 9)),
    creationRound: noAux ? 0n : randBig(crypto.randomInt(1, 8)) & 0x7fffffffffffffffn,
    blockHash: noAux ? ethers.ZeroHash : randHex(32),
  };
  const tickets = [];
  const n = crypto.randomInt(1, 6);
  for (let i = 0; i < n; i++) {
    const nonce = pick([1n, BigInt(i + 1), randBig(4)]);
    const signed = { ...p, nonce };
    const hash = ticketHash(signed);
    const kind = pick(['good', 'good', 'good', 'other-key', 'altered-nonce']);
    const key = kind === 'other-key' ? other : wallet;
    const sig = key.signingKey.sign(ethers.hashMessage(ethers.getBytes(hash))).serialized;
    const claimedNonce = kind === 'altered-nonce' ? (nonce + 1n) & 0xffffffffn : nonce;
    const claimedHash = ticketHash({ ...p, nonce: claimedNonce });
    const signer = ethers.recoverAddress(ethers.hashMessage(ethers.getBytes(claimedHash)), sig);
    const win = BigInt(ethers.keccak256(ethers.concat([sig, pad32(recipientRand)]))) < p.winProb;
    tickets.push({ nonce: claimedNonce, sig, hash: claimedHash, signer,
      valid: signer === wallet.address, win, kind });
  }
  const payment = {
    sender: p.sender,
    ticket_params: {
      recipient: pick([p.recipient, p.recipient.toLowerCase()]),
      face_value: p.faceValue.toString(),
      win_prob: p.winProb.toString(),
      recipient_rand_hash: p.recipientRandHash,
      seed: p.seed,
      expiration_block: u64(p.expirationBlock),
    },
    ticket_sender_params: tickets.map((t) => ({ sender_nonce: Number(t.nonce), sig: t.sig })),
    expected_price: { price_per_unit: crypto.randomInt(1, 1e6), pixels_per_unit: crypto.randomInt(1, 1000) },
  };
  if (!noAux)
    payment.expiration_params = { creation_round: u64(p.creationRound), creation_round_block_hash: p.blockHash };
  return { payment, tickets, p, recipientRand };
}

// protobuf encoding (wire types 0 and 2 are all a Payment needs)
function pbVarint(v) {
  const out = [];
  let n = BigInt(v);
  while (n >= 0x80n) {
    out.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  out.push(Number(n));
  return Buffer.from(out);
}
const pbKey = (field, wireType) => pbVarint((field << 3) | wireType);
const pbInt = (field, v) => (BigInt(v) === 0n ? Buffer.alloc(0)
  : Buffer.concat([pbKey(field, 0), pbVarint(v)]));
function pbBytes(field, bytes) {
  const b = Buffer.from(bytes);
  return b.length === 0 ? b : Buffer.concat([pbKey(field, 2), pbVarint(b.length), b]);
}
const hexBytes = (hex) => Buffer.from(ethers.getBytes(hex));
// big.Int.Bytes(): minimal big-endian, empty for 0
const bigBytes = (v) => (BigInt(v) === 0n ? Buffer.alloc(0) : hexBytes(ethers.toBeHex(BigInt(v))));
const bigOf = (v) => BigInt(typeof v === 'object' ? v.raw : v);

function paymentProtobuf(payment) {
  const tp = payment.ticket_params;
  const ticketParams = Buffer.concat([pbBytes(1, hexBytes(tp.recipient)),
    pbBytes(2, bigBytes(tp.face_value)), pbBytes(3, bigBytes(tp.win_prob)),
    pbBytes(4, hexBytes(tp.recipient_rand_hash)), pbBytes(5, hexBytes(tp.seed)),
    pbBytes(6, bigBytes(bigOf(tp.expiration_block)))]);
  const parts = [pbKey(1, 2), pbVarint(ticketParams.length), ticketParams,
    pbBytes(2, hexBytes(payment.sender))];
  if (payment.expiration_params) {
    const ep = payment.expiration_params;
    const exp = Buffer.concat([pbInt(1, bigOf(ep.creation_round)),
      pbBytes(2, hexBytes(ep.creation_round_block_hash))]);
    parts.push(pbKey(3, 2), pbVarint(exp.length), exp);
  }
  for (const t of payment.ticket_sender_params) {
    const tsp = Buffer.concat([pbInt(1, t.sender_nonce), pbBytes(2, hexBytes(t.sig))]);
    parts.push(pbKey(4, 2), pbVarint(tsp.length), tsp);
  }
  parts.push(pbBytes(5, Buffer.concat([pbInt(1, payment.expected_price.price_per_unit),
    pbInt(2, payment.expected_price.pixels_per_unit)])));
  return Buffer.concat(parts).toString('base64');
}

// @how: 0 the header value as the argument, 1 on standard input, 2 the
// readable JSON on standard input
function lpctlDecode(payment, json, how, recipientRand) {
  const argv = ['payment', 'decode'];
  let input;
  if (how === 0) {
    argv.push(paymentProtobuf(payment));
  } else {
    argv.push('-');
    input = how === 1 ? paymentProtobuf(payment) : json;
  }
  argv.push('--recipient-rand', pick(['', '0x']) === '' ? recipientRand.toString()
    : '0x' + recipientRand.toString(16));
  const r = spawnSync(args.lpctl, argv, { input, encoding: 'utf8' });
  if (r.status !== 0)
    return { error: `exit ${r.status}: ${r.stderr}` };
  return JSON.parse(r.stdout);
}

for (let i = 0; i < COUNT; i++) {
  const { payment, tickets, p, recipientRand } = makePayment();
  const json = stringify(payment);
  const out = lpctlDecode(payment, json, i % 3, recipientRand);
  if (out.error) {
    failures.push({ what: 'decode', input: json, lpctl: out.error, ethers: 'a decoded payment' });
    continue;
  }
  check('sender', json, out.sender, p.sender);
  check('recipient (EIP-55)', json, out.ticket_params.recipient, p.recipient);
  check('face_value', json, out.ticket_params.face_value, p.faceValue.toString());
  check('win_prob', json, out.ticket_params.win_prob, p.winProb.toString());
  check('recipient_rand_matches', json, out.recipient_rand_matches,
    p.recipientRandHash === ethers.keccak256(pad32(recipientRand)));
  check('ticket count', json, out.tickets.length, tickets.length);
  out.tickets.forEach((t, j) => {
    const e = tickets[j];
    if (!e)
      return;
    const label = `ticket ${j} (${e.kind})`;
    check(`${label} sender_nonce`, json, BigInt(t.sender_nonce), e.nonce);
    check(`${label} ticket_hash`, json, t.ticket_hash, e.hash);
    check(`${label} signer`, json, t.signer, e.signer);
    check(`${label} signature_valid`, json, t.signature_valid, e.valid);
    check(`${label} wins`, json, t.wins, e.win);
  });
}

if (failures.length > 0) {
  for (const f of failures.slice(0, 20)) {
    console.log(`FAIL ${f.what}\n  input:  ${f.input}\n  lpctl:  ${f.lpctl}\n  ethers: ${f.ethers}`);
  }
  console.log(`${failures.length} of ${checked} checks disagree`);
  process.exit(1);
}
console.log(`lpctl payment decode agrees with ethers ${ethers.version} on ${COUNT} payments (${checked} checks)`);

// gst-livepeer
// Copyright (C) 2026 gst-livepeer contributors
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Cross-checks libgstlivepeer's chain encodings against the independent
// `ethers` (v6) implementation on fresh random inputs: signed legacy
// (EIP-155) and type 2 transactions byte for byte (signing hash, raw
// bytes, hash, sender), random nested ABI values encoded both ways and
// decoded by us from ethers' bytes, Livepeer's contract calls
// (Interface.encodeFunctionData), event topics, revert data, and RLP
// (random trees encoded both ways, ethers' bytes and damaged copies of
// them decoded by us: our strict decoder must accept exactly the canonical
// encodings, those that ethers decodes and re-encodes unchanged). Any
// disagreement fails the test with a diff.
//
// Usage: node chain.mjs --helper PATH --lpctl PATH --npm-dir DIR (run by
// crosscheck.sh, which installs ethers into DIR first; --lpctl is unused).
// LP_CROSSCHECK_COUNT sets how many random inputs of each kind (default 64).

import crypto from 'node:crypto';
import { setup, Tally, HelperBatch, hex, randomHex, randomInt, pick, randomKey } from './common.mjs';

const { args, ethers } = setup(['helper']);

const COUNT = Number(process.env.LP_CROSSCHECK_COUNT || 64);
const coder = ethers.AbiCoder.defaultAbiCoder();

const tally = new Tally();
const check = tally.check.bind(tally);

// an unsigned number of at most `bits` bits, of random length, so that
// small values and the extremes both occur
function randomBits(bits) {
  const choice = randomInt(8);
  if (choice === 0) return 0n;
  if (choice === 1) return (1n << BigInt(bits)) - 1n;
  const b = 1 + randomInt(bits);
  return BigInt(randomHex(Math.ceil(b / 8))) >> BigInt(Math.ceil(b / 8) * 8 - b);
}

function randomSigned(bits) {
  const choice = randomInt(8);
  if (choice === 0) return -(1n << BigInt(bits - 1));
  if (choice === 1) return (1n << BigInt(bits - 1)) - 1n;
  const magnitude = randomBits(bits - 1);
  return randomInt(2) ? -magnitude : magnitude;
}

const STRING_PIECES = ['a', 'Z', ' ', '0', '"', '\\', '\n', '\t', '\u007f', 'é', '日本', '🎉', 'Livepeer'];
function randomString() {
  let s = '';
  for (let n = randomInt(12); n > 0; n--) s += pick(STRING_PIECES);
  return s;
}

const randomAddress = () => randomHex(20);
const randomBytes = () => randomHex(pick([0, 1, 31, 32, 33, 64, randomInt(100)]));

// ---- types: {kind, size, elem, members, text} ----

function elementary(text) {
  let m;
  if ((m = /^uint(\d+)$/.exec(text))) return { kind: 'uint', size: Number(m[1]), text };
  if ((m = /^int(\d+)$/.exec(text))) return { kind: 'int', size: Number(m[1]), text };
  if ((m = /^bytes(\d+)$/.exec(text))) return { kind: 'fixed', size: Number(m[1]), text };
  if (['address', 'bool', 'bytes', 'string'].includes(text)) return { kind: text, text };
  throw new Error(`unexpected type ${text}`);
}

const tupleType = (members) => ({ kind: 'tuple', members, text: `(${members.map((m) => m.text).join(',')})` });
const arrayType = (elem) => ({ kind: 'array', elem, text: `${elem.text}[]` });
const fixedArrayType = (elem, size) => ({ kind: 'fixedarray', elem, size, text: `${elem.text}[${size}]` });

function randomType(depth) {
  const r = randomInt(depth >= 3 ? 9 : 13);
  const size = 8 * (1 + randomInt(32));
  switch (r) {
    case 0: return elementary(`uint${size}`);
    case 1: return elementary(`int${size}`);
    case 2: return elementary('address');
    case 3: return elementary('bool');
    case 4: return elementary(`bytes${1 + randomInt(32)}`);
    case 5: return elementary('bytes');
    case 6: return elementary('string');
    case 7: return elementary('uint256');
    case 8: return elementary('bytes32');
    case 9:
    case 10: {
      const members = [];
      for (let n = 1 + randomInt(4); n > 0; n--) members.push(randomType(depth + 1));
      return tupleType(members);
    }
    case 11: return arrayType(randomType(depth + 1));
    default: return fixedArrayType(randomType(depth + 1), 1 + randomInt(3));
  }
}

// ethers' ParamType as one of ours
function fromParamType(p) {
  if (p.baseType === 'tuple') return tupleType(p.components.map(fromParamType));
  if (p.baseType === 'array')
    return p.arrayLength === -1 ? arrayType(fromParamType(p.arrayChildren))
      : fixedArrayType(fromParamType(p.arrayChildren), p.arrayLength);
  return elementary(p.type);
}

function randomValue(t) {
  switch (t.kind) {
    case 'uint': return randomBits(t.size);
    case 'int': return randomSigned(t.size);
    case 'address': return randomAddress();
    case 'bool': return randomInt(2) === 1;
    case 'fixed': return randomHex(t.size);
    case 'bytes': return randomBytes();
    case 'string': return randomString();
    case 'tuple': return t.members.map(randomValue);
    case 'array': return Array.from({ length: randomInt(4) }, () => randomValue(t.elem));
    case 'fixedarray': return Array.from({ length: t.size }, () => randomValue(t.elem));
  }
  throw new Error(t.kind);
}

// the helper's typed notation of a value
function notation(t, v) {
  switch (t.kind) {
    case 'uint': return `u:${v}`;
    case 'int': return `i:${v}`;
    case 'address': return `a:${v.toLowerCase()}`;
    case 'bool': return `b:${v ? 1 : 0}`;
    case 'fixed': return `f:${v}`;
    case 'bytes': return `x:${v}`;
    case 'string': return `s:${hex(Buffer.from(v, 'utf8'))}`;
    case 'tuple': return `(${t.members.map((m, i) => notation(m, v[i])).join(',')})`;
    default: return `[${v.map((x) => notation(t.elem, x)).join(',')}]`;
  }
}

// lp_abi_value_to_string's text of a value, from ethers' decoded Result
function quote(s) {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0);
    if (c === '"' || c === '\\') out += '\\' + c;
    else if (code < 0x20 || code === 0x7f) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += c;
  }
  return out + '"';
}

function text(t, v) {
  switch (t.kind) {
    case 'uint':
    case 'int': return BigInt(v).toString();
    case 'address': return v.toLowerCase();
    case 'bool': return v ? 'true' : 'false';
    case 'fixed':
    case 'bytes': return v.toLowerCase();
    case 'string': return quote(v);
    case 'tuple': return `(${t.members.map((m, i) => text(m, v[i])).join(',')})`;
    default: return `[${Array.from(v).map((x) => text(t.elem, x)).join(',')}]`;
  }
}

// ---- requests to the C helper ----

const batch = new HelperBatch();
const request = batch.request.bind(batch);

// ABI: random type lists, encoded by both, ethers' bytes decoded by us
function checkAbi(kind, types) {
  const list = tupleType(types);
  const values = types.map(randomValue);
  const ethersData = coder.encode(types.map((t) => t.text), values);
  const value = notation(list, values);
  request(`encode ${list.text} ${value}`, (r) =>
    check(`${kind}: encode`, `${list.text} ${value}`, r.data || r.error, ethersData));
  const decoded = coder.decode(types.map((t) => t.text), ethersData);
  request(`decode ${list.text} ${ethersData}`, (r) =>
    check(`${kind}: decode`, `${list.text} ${ethersData}`, r.text || r.error, text(list, decoded)));
}

for (let i = 0; i < 4 * COUNT; i++) {
  const types = [];
  for (let n = 1 + randomInt(4); n > 0; n--) types.push(randomType(0));
  checkAbi('abi random', types);
}

const TICKET = '(address,address,uint256,uint256,uint256,bytes32,bytes)';
for (let i = 0; i < COUNT; i++) {
  checkAbi('abi ticket', [elementary('bytes'), fromParamType(ethers.ParamType.from(TICKET)),
    fromParamType(ethers.ParamType.from(`${TICKET}[]`))]);
}

// calls: Livepeer's functions and random ones, against Interface
const LIVEPEER_FUNCTIONS = [
  'function redeemWinningTicket((address recipient, address sender, uint256 faceValue, uint256 winProb, uint256 senderNonce, bytes32 recipientRandHash, bytes auxData) _ticket, bytes _sig, uint256 _recipientRand)',
  `function batchRedeemWinningTickets(${TICKET}[] _tickets, bytes[] _sigs, uint256[] _recipientRands)`,
  'function bond(uint256 _amount, address _to)',
  'function fundDepositAndReserve(uint256 _depositAmount, uint256 _reserveAmount)',
  'function fundDeposit()',
  'function unlock()',
  'function withdraw()',
  'function unbond(uint256 _amount)',
  'function transcoder(uint256 _rewardCut, uint256 _feeShare)',
  'function reward()',
  'function withdrawFees(address _recipient, uint256 _amount)',
  'function initializeRound()',
  'function getSenderInfo(address _sender)',
  'function setCurrentRoundTotalActiveStake()',
];

function checkCall(kind, fragmentText) {
  const iface = new ethers.Interface([fragmentText]);
  const fragment = iface.fragments[0];
  const signature = fragment.format('sighash');
  const types = fragment.inputs.map(fromParamType);
  const values = types.map(randomValue);
  const value = notation(tupleType(types), values);
  const ethersData = iface.encodeFunctionData(fragment, values);
  request(`call ${signature} ${value}`, (r) =>
    check(`${kind}: encodeFunctionData`, `${signature} ${value}`, r.data || r.error, ethersData));
}

for (let i = 0; i < COUNT; i++)
  for (const f of LIVEPEER_FUNCTIONS) checkCall('livepeer call', f);
for (let i = 0; i < COUNT; i++) {
  const types = [];
  for (let n = randomInt(5); n > 0; n--) types.push(randomType(0).text);
  checkCall('random call', `function f${randomInt(1000)}_x(${types.join(',')})`);
}

// event topics
const EVENTS = [
  'Transfer(address,address,uint256)',
  'WinningTicketRedeemed(address,address,uint256,uint256,uint256,uint256,bytes)',
  'WinningTicketTransfer(address,address,uint256)',
  'Bond(address,address,address,uint256,uint256)',
  'Unbond(address,address,uint256,uint256,uint256)',
  'NewRound(uint256,bytes32)',
  'Reward(address,uint256)',
  'DepositFunded(address,uint256)',
  'ReserveFunded(address,uint256)',
];
for (let i = 0; i < COUNT; i++) EVENTS.push(`E${i}(${randomType(0).text},${randomType(1).text})`);
for (const e of EVENTS)
  request(`topic ${e}`, (r) => check('event topic', e, r.topic, ethers.id(e)));

// revert data: Error(string), Panic(uint256), custom errors
const PANICS = { 0x01: 'assertion failed', 0x11: 'arithmetic overflow or underflow', 0x12: 'division or modulo by zero', 0x32: 'array index out of bounds' };
for (let i = 0; i < COUNT; i++) {
  const reason = randomString().replace(/[\u0000-\u001f\u007f]/g, '') || 'x';
  const data = ethers.concat(['0x08c379a0', coder.encode(['string'], [reason])]);
  request(`revert ${data}`, (r) => check('revert Error(string)', data, r.text, reason));
  const code = BigInt(pick(Object.keys(PANICS)));
  const panic = ethers.concat(['0x4e487b71', coder.encode(['uint256'], [code])]);
  request(`revert ${panic}`, (r) => check('revert Panic(uint256)', panic, r.text,
    `panic 0x${code.toString(16)} (${PANICS[Number(code)]})`));
  const selector = ethers.id(`E${i}(uint256,bytes)`).slice(0, 10);
  const custom = ethers.concat([selector, coder.encode(['uint256', 'bytes'], [randomBits(256), randomBytes()])]);
  request(`revert ${custom}`, (r) => check('revert custom error', custom, r.text,
    `custom error ${selector} (${ethers.dataLength(custom) - 4} bytes of arguments)`));
}

// RLP: random trees around the length boundaries (55/56 bytes, one and
// two length bytes), encoded by both; ethers' bytes and damaged copies
// decoded by us
function randomRlpTree(depth) {
  const r = randomInt(depth >= 4 ? 3 : 5);
  if (r === 0) return { uint: randomBits(256) };
  if (r <= 2) {
    const length = pick([0, 1, 1, 2, 55, 56, 255, 256, randomInt(70), randomInt(1100)]);
    const bytes = crypto.randomBytes(length);
    if (length === 1 && randomInt(2)) bytes[0] &= 0x7f;
    return hex(bytes);
  }
  return Array.from({ length: pick([0, 1, 2, 3, 7, randomInt(20)]) }, () => randomRlpTree(depth + 1));
}

const rlpNotation = (t) => Array.isArray(t) ? `[${t.map(rlpNotation).join(',')}]`
  : typeof t === 'string' ? t : `u:${t.uint}`;
const ethersRlpTree = (t) => Array.isArray(t) ? t.map(ethersRlpTree)
  : typeof t === 'string' ? t : hex(ethers.toBeArray(t.uint));
const rlpText = (t) => Array.isArray(t) ? `[${t.map(rlpText).join(',')}]` : t;

// what our strict decoder must say of DATA: ethers' tree when DATA is the
// canonical encoding of what ethers decodes, else a refusal
function expectedRlp(data) {
  let tree;
  try {
    tree = ethers.decodeRlp(data);
  } catch (e) {
    return 'refused';
  }
  return ethers.encodeRlp(tree) === data ? rlpText(tree) : 'refused';
}

function damage(data) {
  const bytes = Array.from(ethers.getBytes(data));
  const at = randomInt(bytes.length);
  switch (randomInt(4)) {
    case 0: bytes[at] = randomInt(256); break;
    case 1: bytes.length = at; break;
    case 2: bytes.splice(at, 0, randomInt(256)); break;
    default: bytes.splice(at, 1); break;
  }
  return hex(bytes);
}

for (let i = 0; i < 4 * COUNT; i++) {
  const tree = i % 8 === 0 ? Array.from({ length: 60 }, () => randomRlpTree(3)) : randomRlpTree(0);
  const ethersData = ethers.encodeRlp(ethersRlpTree(tree));
  const value = rlpNotation(tree);
  request(`rlp ${value}`, (r) => check('rlp: encode', value, r.data, ethersData));
  request(`unrlp ${ethersData}`, (r) =>
    check('rlp: decode', ethersData, r.text || r.error, rlpText(ethers.decodeRlp(ethersData))));
  for (let n = 0; n < 4; n++) {
    const damaged = damage(ethersData);
    const expected = expectedRlp(damaged);
    const kind = expected === 'refused' ? 'refuse' : 'accept';
    request(`unrlp ${damaged}`, (r) =>
      check(`rlp: damaged, ${kind}`, `${damaged} (ours: ${r.error || 'accepted'})`,
        r.text || 'refused', expected));
  }
}

// transactions, both types, byte for byte
const CHAIN_IDS = [1n, 42161n, 421614n, 31337n, 1337n];
function randomChainId() {
  const r = randomInt(4);
  if (r === 0) return BigInt(randomHex(4)) + 1n;
  if (r === 1) return (BigInt(randomHex(8)) >> 2n) + 1n;
  return pick(CHAIN_IDS);
}

function randomCallData() {
  if (randomInt(3) === 0) return randomHex(randomInt(600));
  const iface = new ethers.Interface([pick(LIVEPEER_FUNCTIONS)]);
  const fragment = iface.fragments[0];
  return iface.encodeFunctionData(fragment, fragment.inputs.map((p) => randomValue(fromParamType(p))));
}

for (let i = 0; i < 2 * COUNT; i++) {
  const wallet = new ethers.Wallet(randomKey());
  const type = i % 2 === 0 ? 0 : 2;
  const fields = {
    type,
    chainId: randomChainId(),
    nonce: pick([0, 1, 127, 128, randomInt(1 << 30), Number.MAX_SAFE_INTEGER - randomInt(1000)]),
    gasLimit: pick([21000n, 0n, randomBits(64)]),
    to: randomInt(5) === 0 ? null : randomAddress(),
    value: pick([0n, 10n ** 18n, randomBits(256)]),
    data: randomInt(4) === 0 ? '0x' : randomCallData(),
  };
  let fees = { gasPrice: randomBits(256) };
  if (type === 2) {
    const maxFeePerGas = randomBits(256);
    const tip = randomBits(256);
    fees = { maxPriorityFeePerGas: tip > maxFeePerGas ? maxFeePerGas : tip, maxFeePerGas, accessList: [] };
  }
  const tx = ethers.Transaction.from({ ...fields, ...fees });
  const unsignedHash = tx.unsignedHash;
  tx.signature = wallet.signingKey.sign(unsignedHash);
  const serialized = tx.serialized;
  const line = ['sign', type, fields.chainId, fields.nonce, fees.gasPrice || 0n,
    fees.maxPriorityFeePerGas || 0n, fees.maxFeePerGas || 0n, fields.gasLimit,
    fields.to || '-', fields.value, fields.data, wallet.privateKey].join(' ');
  const kind = type === 0 ? 'tx legacy' : 'tx type 2';
  request(line, (r) => {
    check(`${kind}: signing hash`, line, r.signing_hash || r.error, unsignedHash);
    check(`${kind}: raw`, line, r.raw, serialized);
    check(`${kind}: hash`, line, r.hash, tx.hash);
    check(`${kind}: our decoded sender`, line, r.sender, wallet.address);
    let from;
    try {
      from = ethers.Transaction.from(r.raw).from;
    } catch (e) {
      from = `ethers cannot parse ours: ${e.message}`;
    }
    check(`${kind}: ethers recovers our sender`, line, from, wallet.address);
  });
  // ours decoding ethers' bytes, and one changed byte that must not
  // decode to the same sender
  request(`decodetx ${serialized}`, (r) => check(`${kind}: decode ethers' tx`, serialized, r.sender || r.error, wallet.address));
  const bytes = ethers.getBytes(serialized);
  bytes[bytes.length - 1 - randomInt(64)] ^= 1 << randomInt(8);
  const broken = hex(bytes);
  request(`decodetx ${broken}`, (r) =>
    check(`${kind}: a changed signature byte changes the sender`, broken, r.sender === wallet.address, false));
}

batch.run(args.helper, 256 << 20);

// ---- report ----

tally.report(ethers.version, 5);

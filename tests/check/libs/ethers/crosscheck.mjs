// gst-livepeer
// Copyright (C) 2026 gst-livepeer contributors
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Cross-checks libgstlivepeer's crypto and lpctl against the independent
// `ethers` (v6) implementation on fresh random inputs: addresses (EIP-55),
// Keccak-256, message and hash signatures (byte for byte: both sides sign
// deterministically, RFC 6979), signature verification, ticket hashes (by
// hand and through the lpticket API, signed), the winning test, winProb and
// EV, uint256 arithmetic and parsing, `lpctl account` on key files, and
// keystores in both directions. Any disagreement fails the test with a diff.
//
// Usage: node crosscheck.mjs --helper PATH --lpctl PATH --npm-dir DIR
// (run by crosscheck.sh, which installs ethers into DIR first).
// LP_CROSSCHECK_COUNT sets how many random inputs of each kind (default 64).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setup, Tally, HelperBatch, N, randomHex, randomInt, randomKey } from './common.mjs';

const { args, ethers } = setup(['helper', 'lpctl']);

const COUNT = Number(process.env.LP_CROSSCHECK_COUNT || 64);
const MAX = (1n << 256n) - 1n;
const ZERO32 = '0x' + '00'.repeat(32);
const U256_ERROR = { OVERFLOW: 3, UNDERFLOW: 4, DIVISION_BY_ZERO: 5, FRACTIONAL: 2 };

const tally = new Tally();
const check = tally.check.bind(tally);

// ---- random inputs ----

// a uint256 of random bit length, so small and huge values both occur
function randomU256() {
  const bits = randomInt(257);
  if (bits === 0) return 0n;
  return BigInt(randomHex(32)) >> BigInt(256 - bits);
}

// A ticket's expiration params by case i % 4: none (no auxData), a block
// hash only, a round only, both (the round drawn by lastRound)
function randomExpiration(i, lastRound) {
  switch (i % 4) {
    case 0: return { round: 0n, blockHash: ZERO32 };
    case 1: return { round: 0n, blockHash: randomHex(32) };
    case 2: return { round: BigInt(1 + randomInt(2 ** 40 - 1)), blockHash: ZERO32 };
    default: return { round: lastRound(), blockHash: randomHex(32) };
  }
}

// The ticket hash as the TicketBroker computes it: auxData is empty when
// neither the round nor the block hash is set
function ticketHash(recipient, sender, face, winProb, nonce, randHash, round, blockHash) {
  const aux = round === 0n && blockHash === ZERO32 ? '0x'
    : ethers.solidityPacked(['uint256', 'bytes32'], [round, blockHash]);
  return ethers.solidityPackedKeccak256(
    ['address', 'address', 'uint256', 'uint256', 'uint256', 'bytes32', 'bytes'],
    [recipient, sender, face, winProb, nonce, randHash, aux]);
}

const u256Text = (v) => (randomInt(2) ? v.toString() : '0x' + v.toString(16));

const keys = [
  ethers.toBeHex(1n, 32),
  ethers.toBeHex(N - 1n, 32),
  '0x0000' + randomHex(30).slice(2), // leading zero bytes
];
while (keys.length < COUNT) keys.push(randomKey());

const messageLengths = [0, 1, 31, 32, 33, 135, 136, 137, 271, 272, 273];
while (messageLengths.length < COUNT) messageLengths.push(randomInt(700));
const messages = messageLengths.map((n) => randomHex(n));

const hashes = [ZERO32, '0x' + 'ff'.repeat(32)];
while (hashes.length < COUNT) hashes.push(randomHex(32));

const wallets = keys.map((k) => new ethers.Wallet(k));
const pickWallet = (i) => wallets[i % wallets.length];
const arg = (h) => (h === '0x' ? '-' : h);

// ---- requests to the C helper ----

const batch = new HelperBatch();
const request = batch.request.bind(batch);

// addresses are handed to the helper in lower or upper case, so that its
// input parsing never depends on our own checksum code; parsing checksummed
// text is compared separately below
const plain = (a) => (randomInt(2) ? a.toLowerCase() : '0x' + a.slice(2).toUpperCase());

for (const w of wallets)
  request(`address ${w.privateKey}`, (r) => check('address', w.privateKey, r.address, w.address));

// EIP-55 parsing: ethers' checksummed text is accepted, a case flip refused
const BAD_CHECKSUM = 6;
wallets.forEach((w, i) => {
  request(`parseaddr ${w.address}`, (r) => check('address parse (checksummed)', w.address, r.address, w.address));
  const letters = [...w.address.slice(2)].map((c, j) => (/[a-fA-F]/.test(c) ? j : -1)).filter((j) => j >= 0);
  if (letters.length < 2) return; // all-digit or single-letter: no mixed case possible
  const j = letters[i % letters.length] + 2;
  const flipped = w.address.slice(0, j)
    + (w.address[j] === w.address[j].toLowerCase() ? w.address[j].toUpperCase() : w.address[j].toLowerCase())
    + w.address.slice(j + 1);
  let theirs;
  try {
    theirs = ethers.getAddress(flipped);
  } catch (e) {
    theirs = `error:${BAD_CHECKSUM}`;
  }
  request(`parseaddr ${flipped}`, (r) => check('address parse (bad checksum)', flipped, r.address, theirs));
});

messages.forEach((m, i) => {
  const w = pickWallet(i + 1);
  const k = ethers.keccak256(m);
  const digest = ethers.hashMessage(ethers.getBytes(k));
  const sig = w.signingKey.sign(digest).serialized;
  // ethers' own two ways agree
  check('ethers signMessage == sign(hashMessage)', m, w.signMessageSync(ethers.getBytes(k)), sig);

  request(`keccak ${arg(m)}`, (r) => check('keccak', m, r.keccak, k));
  request(`signmsg ${w.privateKey} ${arg(m)}`, (r) => {
    check('message keccak', m, r.keccak, k);
    check('message digest', m, r.digest, digest);
    check('message signature', `${w.address} ${m}`, r.sig, sig);
  });
  // our verification of ethers' signature
  request(`verifymsg ${plain(w.address)} ${arg(m)} ${sig}`, (r) => {
    check('verify message (ethers sig)', `${w.address} ${m} ${sig}`, `${r.ok} ${r.signer}`, `true ${w.address}`);
  });
  // by someone else: refused as a wrong signer, still recovering the real one
  const other = pickWallet(i + 2);
  request(`verifymsg ${other.address.toLowerCase()} ${arg(m)} ${sig}`, (r) => {
    check('verify message, wrong signer', `${other.address} ${m} ${sig}`, `${r.ok} ${r.signer} ${r.code}`, `false ${w.address} 4`);
  });
});

hashes.forEach((h, i) => {
  const w = pickWallet(i + 3);
  const digest = ethers.hashMessage(ethers.getBytes(h));
  const sig = w.signingKey.sign(digest);
  request(`signhash ${w.privateKey} ${h}`, (r) => {
    check('hash digest', h, r.digest, digest);
    check('hash signature', `${w.address} ${h}`, r.sig, sig.serialized);
  });
  request(`verifyhash ${plain(w.address)} ${h} ${sig.serialized}`, (r) => {
    check('verify hash (ethers sig)', `${w.address} ${h} ${sig.serialized}`, `${r.ok} ${r.signer}`, `true ${w.address}`);
  });
  // the mirrored high-s twin of a valid signature is refused
  const highS = ethers.toBeHex(N - BigInt(sig.s), 32);
  const twin = ethers.concat([sig.r, highS, sig.v === 27 ? '0x1c' : '0x1b']);
  request(`verifyhash ${plain(w.address)} ${h} ${twin}`, (r) => {
    check('verify hash, high-s twin refused', `${w.address} ${h} ${twin}`, `${r.ok} ${r.code}`, 'false 3');
  });
});

for (let i = 0; i < COUNT; i++) {
  const recipient = ethers.getAddress(randomHex(20));
  const sender = ethers.getAddress(randomHex(20));
  const face = randomU256();
  const winProb = randomU256();
  const nonce = BigInt(randomInt(2 ** 32 - 1) + 1);
  const randHash = randomHex(32);
  const { round, blockHash } = randomExpiration(i, randomU256);
  const hash = ticketHash(recipient, sender, face, winProb, nonce, randHash, round, blockHash);
  const digest = ethers.hashMessage(ethers.getBytes(hash));
  const input = [plain(recipient), plain(sender), u256Text(face),
    u256Text(winProb), u256Text(nonce), randHash, u256Text(round), blockHash].join(' ');
  request(`ticket ${input}`, (r) => {
    check('ticket hash', input, r.hash, hash);
    check('ticket digest', input, r.digest, digest);
  });
}

for (let i = 0; i < COUNT; i++) {
  const a = i === 0 ? MAX : randomU256();
  const b = i === 1 ? 0n : i === 2 ? MAX : randomU256();
  const ok = (v) => (v < 0n ? `error:${U256_ERROR.UNDERFLOW}` : v > MAX ? `error:${U256_ERROR.OVERFLOW}` : v.toString());
  const div0 = `error:${U256_ERROR.DIVISION_BY_ZERO}`;
  const expected = {
    add: ok(a + b), sub: ok(a - b), mul: ok(a * b),
    div: b === 0n ? div0 : ok(a / b),
    mod: b === 0n ? div0 : ok(a % b),
    ceil: b === 0n ? div0 : ok((a + b - 1n) / b),
  };
  const input = `${u256Text(a)} ${u256Text(b)}`;
  request(`u256 ${input}`, (r) => {
    for (const op of Object.keys(expected)) check(`uint256 ${op}`, input, r[op], expected[op]);
  });
}

// scientific shorthand: M[.F]eE, integer results only
for (let i = 0; i < COUNT; i++) {
  const int = (randomInt(9) + 1).toString() + randomHex(randomInt(6)).slice(2).replace(/[a-f]/g, '7');
  const frac = randomInt(2) ? '' : Array.from({ length: randomInt(1, 6) }, () => randomInt(10)).join('');
  const exp = randomInt(80);
  const text = `${int}${frac ? '.' + frac : ''}e${exp}`;
  const mantissa = BigInt(int + frac);
  const scale = exp - frac.length;
  let expected;
  if (scale >= 0) {
    const v = mantissa * 10n ** BigInt(scale);
    expected = v > MAX ? `error:${U256_ERROR.OVERFLOW}` : v.toString();
  } else {
    const d = 10n ** BigInt(-scale);
    expected = mantissa % d !== 0n ? `error:${U256_ERROR.FRACTIONAL}` : (mantissa / d).toString();
  }
  request(`parse ${text}`, (r) => check('uint256 parse', text, r.value, expected));
}

// tickets through the lpticket API (lp_ticket_hash, lp_ticket_sign,
// lp_ticket_verify): hash and signature byte for byte
for (let i = 0; i < COUNT; i++) {
  const w = pickWallet(i + 5);
  const recipient = ethers.getAddress(randomHex(20));
  const face = randomU256();
  const winProb = randomU256();
  const nonce = BigInt(i === 0 ? 2 ** 32 - 1 : randomInt(1, 2 ** 32 - 1));
  const randHash = randomHex(32);
  // any uint64 as the round of the last case
  const { round, blockHash } = randomExpiration(i, () => BigInt(randomHex(8)));
  const hash = ticketHash(recipient, w.address, face, winProb, nonce, randHash, round, blockHash);
  const sig = w.signingKey.sign(ethers.hashMessage(ethers.getBytes(hash))).serialized;
  const input = [w.privateKey, plain(recipient), u256Text(face), u256Text(winProb),
    u256Text(nonce), randHash, u256Text(round), blockHash].join(' ');
  request(`ticketsign ${input}`, (r) => {
    check('lp_ticket_hash', input, r.hash, hash);
    check('lp_ticket_sign', input, r.sig, sig);
    check('lp_ticket_verify', input, r.verified, true);
  });
}

// the winning test against BigInt: keccak(sig ‖ pad32(rand)) < winProb
for (let i = 0; i < 4 * COUNT; i++) {
  const sig = randomHex(65);
  const rand = randomU256();
  const value = BigInt(ethers.keccak256(ethers.concat([sig, ethers.toBeHex(rand, 32)])));
  let winProb;
  switch (i % 4) {
    case 0: winProb = value; break; // strict: loses
    case 1: winProb = value < MAX ? value + 1n : MAX; break;
    case 2: winProb = MAX >> BigInt(randomInt(4)); break;
    default: winProb = randomU256(); break;
  }
  const input = `${sig} ${u256Text(rand)} ${u256Text(winProb)}`;
  request(`wins ${input}`, (r) => check('ticket wins', input, r.wins, value < winProb));
}

// winProb for an EV, and the EV of a ticket, against BigInt
const divisorsOfMax = [3n, 255n, 65535n, (1n << 32n) - 1n, (1n << 64n) - 1n, (1n << 128n) + 1n];
for (let i = 0; i < 2 * COUNT; i++) {
  let face;
  if (i % 4 === 0) face = divisorsOfMax[randomInt(divisorsOfMax.length)];
  else if (i === 1) face = 0n;
  else face = randomU256();
  let ev;
  switch (i % 5) {
    case 0: ev = face; break;
    case 1: ev = face + 1n; break;
    case 2: ev = face > 0n ? BigInt(randomInt(1, 2 ** 40)) % face : 0n; break;
    default: ev = face > 0n ? randomU256() % face : 0n; break;
  }
  if (ev > MAX) ev = MAX;
  let expected;
  if (face === 0n) expected = 0n;
  else if (ev > face) expected = 'error:ev-above-face';
  else if (ev === face) expected = MAX;
  else {
    const w = ev * ((MAX + face - 1n) / face);
    expected = w > MAX ? 'error:overflow' : w;
  }
  const input = `${u256Text(ev)} ${u256Text(face)}`;
  request(`winprob ${input}`, (r) => check('winProb for EV', input, r.win_prob, expected.toString()));
  if (typeof expected === 'bigint') {
    const evInput = `${u256Text(face)} ${u256Text(expected)}`;
    const product = face * expected;
    request(`ev ${evInput}`, (r) => {
      check('ticket EV floor', evInput, r.floor, (product / MAX).toString());
      check('ticket EV exact', evInput, r.exact, product % MAX === 0n);
    });
  }
  // and a random winProb
  const wp = randomU256();
  const evInput2 = `${u256Text(face)} ${u256Text(wp)}`;
  request(`ev ${evInput2}`, (r) => {
    check('ticket EV floor', evInput2, r.floor, (face * wp / MAX).toString());
    check('ticket EV exact', evInput2, r.exact, (face * wp) % MAX === 0n);
  });
}

batch.run(args.helper, 64 << 20);

// ---- lpctl ----

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-crosscheck-'));

function lpctl(argv, env = {}) {
  const r = spawnSync(args.lpctl, argv, { encoding: 'utf8', env: { ...process.env, ...env } });
  const lines = r.stdout.trim().split('\n');
  return { status: r.status, last: lines[lines.length - 1], stdout: r.stdout, stderr: r.stderr };
}

function lpctlOk(kind, argv, env) {
  const r = lpctl(argv, env);
  if (r.status !== 0)
    tally.failures.push({ kind, input: argv.join(' '), ours: `exit ${r.status}: ${r.stderr.trim()}`, ethers: 'exit 0' });
  return r;
}

const mode = (file) => (fs.statSync(file).mode & 0o777).toString(8);
const writeSecret = (file, text) => fs.writeFileSync(file, text, { mode: 0o600 });

// `lpctl account address` on plain key files in each accepted spelling
wallets.forEach((w, i) => {
  const file = path.join(work, `k${i}.key`);
  const digits = w.privateKey.slice(2);
  writeSecret(file, [`0x${digits}\n`, `${digits}\n`, digits, `${digits.toUpperCase()}\r\n`][i % 4]);
  const r = lpctlOk('lpctl account address', ['account', 'address', file]);
  check('lpctl account address', w.privateKey, r.last, w.address);
});

// `lpctl account new`: the printed address is the stored key's
for (let i = 0; i < 4; i++) {
  const file = path.join(work, `new${i}.key`);
  const r = lpctlOk('lpctl account new', ['--ledger', 'devnet.db', 'account', 'new', ...(i % 2 ? ['--out', file] : [file])]);
  const stored = fs.readFileSync(file, 'utf8');
  check('lpctl account new: file format', file, /^[0-9a-f]{64}\n$/.test(stored), true);
  check('lpctl account new: mode', file, mode(file), '600');
  check('lpctl account new: address', file, r.last, new ethers.Wallet('0x' + stored.trim()).address);
}

const passwords = ['correct horse battery staple', 'p\u00e4ssw\u00f6rd \u2713', ' spaced  ', 'x'];
while (passwords.length < 10) passwords.push(randomHex(randomInt(1, 24)).slice(2));

// ethers writes, lpctl reads (light scrypt, and ethers' default cost once)
for (let i = 0; i < 10; i++) {
  const w = pickWallet(i * 7 + 1);
  const pw = passwords[i];
  const opts = i === 0 ? {} : { scrypt: { N: 4096 } };
  const ks = path.join(work, `ethers${i}.json`);
  const pwFile = path.join(work, `ethers${i}.pw`);
  fs.writeFileSync(ks, ethers.encryptKeystoreJsonSync({ address: w.address, privateKey: w.privateKey }, pw, opts));
  writeSecret(pwFile, pw + '\n');

  let r = lpctlOk('lpctl account address (ethers keystore)', ['account', 'address', ks, '--password-file', pwFile]);
  check('lpctl account address (ethers keystore)', ks, r.last, w.address);

  const out = path.join(work, `imported${i}.key`);
  r = lpctlOk('lpctl account import (ethers keystore)', ['account', 'import', '--keystore', ks, '--password-env', 'LP_XC_PW', '--out', out], { LP_XC_PW: pw });
  check('lpctl account import: address', ks, r.last, w.address);
  check('lpctl account import: key', ks, fs.existsSync(out) ? '0x' + fs.readFileSync(out, 'utf8').trim() : 'missing', w.privateKey);
  if (fs.existsSync(out)) check('lpctl account import: mode', out, mode(out), '600');

  if (i < 3) {
    r = lpctl(['account', 'address', ks, '--password-env', 'LP_XC_PW'], { LP_XC_PW: pw + '!' });
    check('lpctl refuses a wrong password', ks, `${r.status} ${/Wrong password/.test(r.stderr)}`, '1 true');
  }
}

// lpctl writes, ethers reads
const exports = [
  ['--light-kdf'], ['--light-kdf'], ['--light-kdf'], ['--light-kdf'], ['--light-kdf'],
  ['--kdf', 'pbkdf2', '--light-kdf'], ['--kdf', 'pbkdf2', '--light-kdf'], ['--kdf', 'pbkdf2', '--light-kdf'],
  [], ['--kdf', 'pbkdf2'],
];
exports.forEach((extra, i) => {
  const w = pickWallet(i * 5 + 2);
  const pw = passwords[passwords.length - 1 - i];
  const keyFile = path.join(work, `k${wallets.indexOf(w)}.key`);
  const ks = path.join(work, `lpctl${i}.json`);
  const pwFile = path.join(work, `lpctl${i}.pw`);
  writeSecret(pwFile, pw + '\n');
  const r = lpctlOk('lpctl account export', ['account', 'export', keyFile, '--out', ks, '--password-file', pwFile, ...extra]);
  check('lpctl account export: address', `${keyFile} ${extra.join(' ')}`, r.last, w.address);
  if (!fs.existsSync(ks)) return;
  check('lpctl account export: mode', ks, mode(ks), '600');
  const json = fs.readFileSync(ks, 'utf8');
  check('lpctl keystore address field', ks, JSON.parse(json).address, w.address.slice(2).toLowerCase());
  let account;
  try {
    account = ethers.decryptKeystoreJsonSync(json, pw);
  } catch (e) {
    account = { privateKey: `ethers failed: ${e.message}`, address: '' };
  }
  check('ethers decrypts lpctl keystore: key', `${ks} ${extra.join(' ')}`, account.privateKey, w.privateKey);
  check('ethers decrypts lpctl keystore: address', ks, account.address, w.address);
});

fs.rmSync(work, { recursive: true, force: true });

// ---- report ----

tally.report(ethers.version, 4);

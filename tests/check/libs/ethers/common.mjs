// gst-livepeer
// Copyright (C) 2026 gst-livepeer contributors
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// What the ethers cross-check scripts (crosscheck.mjs, chain.mjs,
// payment-decode.mjs) share: their command line and the ethers@6 that
// crosscheck.sh installed, random inputs, the tally of comparisons with its
// report, and the batch of requests answered by the C helper
// (crosscheck-helper, one JSON reply a line).

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import path from 'node:path';

// `--name value` pairs of the command line; each of `required` must be set
function parseArgs(argv, required) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length)
      throw new Error(`bad argument ${argv[i]}`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  for (const need of required)
    if (!out[need]) throw new Error(`missing --${need}`);
  return out;
}

// The script's arguments and the ethers module installed under --npm-dir
// (exits when it is not version 6)
export function setup(required) {
  const args = parseArgs(process.argv.slice(2), [...required, 'npm-dir']);
  const require = createRequire(path.join(path.resolve(args['npm-dir']), 'package.json'));
  const { ethers } = require('ethers');
  if (!ethers.version.startsWith('6.')) {
    console.error(`expected ethers 6, found ${ethers.version}`);
    process.exit(1);
  }
  return { args, ethers };
}

// ---- random inputs ----

// the order of secp256k1
export const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export const hex = (buf) => '0x' + Buffer.from(buf).toString('hex');
export const randomHex = (n) => hex(crypto.randomBytes(n));
export const randomInt = (n) => crypto.randomInt(n);
export const pick = (list) => list[randomInt(list.length)];

// a valid private key (0 < k < N), as 32 bytes of hex
export function randomKey() {
  for (;;) {
    const k = BigInt(randomHex(32));
    if (k > 0n && k < N) return '0x' + k.toString(16).padStart(64, '0');
  }
}

// ---- comparisons ----

// Counts comparisons by kind and keeps those where our side and ethers'
// disagree.
export class Tally {
  constructor() {
    this.failures = [];
    this.counts = {};
  }

  check(kind, input, ours, theirs) {
    this.counts[kind] = (this.counts[kind] || 0) + 1;
    if (ours !== theirs)
      this.failures.push({ kind, input, ours, ethers: theirs });
  }

  // Prints the count of each kind (in a column `width` wide) and every kind
  // of disagreement with its first few cases; exits 1 when there is one.
  report(ethersVersion, width) {
    const total = Object.values(this.counts).reduce((a, b) => a + b, 0);
    for (const [kind, n] of Object.entries(this.counts)) console.log(`  ${n.toString().padStart(width)}  ${kind}`);
    console.log(`ethers ${ethersVersion}: ${total} comparisons, ${this.failures.length} disagreements`);
    if (this.failures.length === 0)
      return;
    const byKind = new Map();
    for (const f of this.failures) {
      if (!byKind.has(f.kind)) byKind.set(f.kind, []);
      byKind.get(f.kind).push(f);
    }
    for (const [kind, list] of byKind) {
      console.log(`\nDISAGREEMENT ${kind}: ${list.length} case(s)`);
      for (const f of list.slice(0, 3))
        console.log(`  input:  ${f.input}\n  ours:   ${f.ours}\n  ethers: ${f.ethers}\n`);
    }
    process.exit(1);
  }
}

// ---- the C helper ----

// Requests to the C helper, each a line, and what to do with its reply.
export class HelperBatch {
  constructor() {
    this.requests = [];
  }

  request(line, compare) {
    this.requests.push({ line, compare });
  }

  // Runs the helper at `helperPath` on every request at once and hands each
  // reply (parsed JSON) to its request's compare; exits 1 when the helper
  // fails or leaves a request unanswered.
  run(helperPath, maxBuffer) {
    const helper = spawnSync(helperPath, [], {
      input: this.requests.map((r) => r.line).join('\n') + '\n',
      encoding: 'utf8',
      maxBuffer,
    });
    if (helper.status !== 0) {
      console.error(`helper failed (status ${helper.status}): ${helper.stderr}`);
      process.exit(1);
    }
    const replies = helper.stdout.split('\n').filter((l) => l.length > 0);
    if (replies.length !== this.requests.length) {
      console.error(`helper answered ${replies.length} of ${this.requests.length} requests`);
      process.exit(1);
    }
    this.requests.forEach((req, i) => req.compare(JSON.parse(replies[i])));
  }
}

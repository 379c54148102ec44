#!/usr/bin/env python3
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Summaries of the pipelines/*.sh runs, read from what the run produced:
the `gst-launch-1.0 -m` logs of the broadcaster (livepeersink-segment
messages) and orchestrators (lporchestrator-* messages), the HLS
playlists, and `lpctl ... --json` dumps of the ledger.

  summary.py broadcast LOG HLS_DIR [--label TEXT]
  summary.py orchestrator LOG
  summary.py quickstart WORKDIR --seconds N --show-hls PATH
      [--orchestrator NAME,URI,PRICE,LOG]...
  summary.py ai-jobs WORKDIR

Nothing is assumed: a number that is not in the outputs is not printed.
"""
import argparse
import json
import os
import re
import sys
from decimal import Decimal
from fractions import Fraction

MSG_RE = re.compile(r'^Got message #\d+ from element "([^"]*)" \(element\): (.*)$')
# A line that is a message's structure alone: what is left of a message
# whose "Got message ...: " head was cut by a library writing to stderr
# (OpenCV does) into the same log at that moment.
STRUCTURE_RE = re.compile(r'^()((?:lporchestrator|livepeersink)-[a-z-]+, .*;)$')
FIELD_RE = re.compile(r'([A-Za-z][\w-]*)=\((\w+)\)("(?:[^"\\]|\\.)*"|[^,;]*)')


def parse_structure(text):
    name, _, rest = text.partition(',')
    fields = {}
    for key, typ, value in FIELD_RE.findall(rest):
        if value.startswith('"'):
            value = re.sub(r'\\(.)', r'\1', value[1:-1])
        if typ in ('guint64', 'uint', 'int', 'gint64', 'guint', 'gint'):
            value = int(value)
        elif typ == 'boolean':
            value = value in ('true', '1', 'TRUE')
        fields[key] = value
    return name.strip().rstrip(';'), fields


def messages(log, prefix=None):
    """The element messages a gst-launch-1.0 -m log shows, in order."""
    out = []
    if not os.path.exists(log):
        return out
    with open(log, errors='replace') as f:
        for line in f:
            m = (MSG_RE.match(line.rstrip('\n'))
                 or STRUCTURE_RE.match(line.rstrip('\n')))
            if not m:
                continue
            name, fields = parse_structure(m.group(2))
            if prefix is None or name.startswith(prefix):
                out.append((name, fields))
    return out


def fraction(text):
    return Fraction(str(text))


def eth(wei, unit='ETH'):
    """1500000000000000000 -> '1.5 ETH'"""
    value = Decimal(int(wei)) / Decimal(10) ** 18
    text = format(value.normalize(), 'f') if value != 0 else '0'
    return f'{text} {unit}'


def amount(wei, unit='ETH'):
    """an amount of wei, exact (an exact fraction is shown rounded, '~')"""
    wei = Fraction(wei)
    if wei.denominator == 1:
        return f'{eth(wei.numerator, unit)} ({wei.numerator} wei)'
    rounded = round(wei)
    return f'~{eth(rounded, unit)} (~{rounded} wei)'


def playlist(path):
    """(segments, seconds, ended) of a media playlist"""
    segments, seconds, ended = 0, Fraction(0), False
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith('#EXTINF:'):
                seconds += Fraction(line[8:].split(',')[0])
            elif line == '#EXT-X-ENDLIST':
                ended = True
            elif line and not line.startswith('#'):
                segments += 1
    return segments, seconds, ended


def renditions(hls):
    """[(name, resolution, segments, seconds, ended)] in master.m3u8 order"""
    out = []
    resolution = '?'
    with open(os.path.join(hls, 'master.m3u8')) as f:
        for line in f:
            line = line.strip()
            if line.startswith('#EXT-X-STREAM-INF:'):
                m = re.search(r'RESOLUTION=(\d+x\d+)', line)
                resolution = m.group(1) if m else '?'
            elif line and not line.startswith('#'):
                segments, seconds, ended = playlist(os.path.join(hls, line))
                out.append((os.path.dirname(line) or line, resolution,
                            segments, seconds, ended))
    return out


def broadcast_totals(log):
    segs = messages(log, 'livepeersink-')
    ok = [f for n, f in segs if n == 'livepeersink-segment']
    lost = [f for n, f in segs if n == 'livepeersink-segment-lost']
    failovers = [f for n, f in segs if n == 'livepeersink-failover']
    per_orch = {}
    for f in ok:
        per_orch[f['orchestrator']] = per_orch.get(f['orchestrator'], 0) + 1
    return {
        'segments': len(ok),
        'lost': len(lost),
        'failovers': len(failovers),
        'tickets': sum(f.get('tickets', 0) for f in ok),
        'fees': sum((fraction(f['fee']) for f in ok), Fraction(0)),
        'pixels': sum(f.get('pixels', 0) for f in ok),
        'per_orchestrator': per_orch,
    }


def segments_line(hls):
    rends = renditions(hls)
    parts = [f'{name} {segments}' for name, _, segments, _, _ in rends]
    ended = all(e for _, _, _, _, e in rends)
    return rends, ', '.join(parts) + (
        ' (every playlist ends with #EXT-X-ENDLIST)' if ended
        else ' (a playlist has no #EXT-X-ENDLIST)')


def row(label, text):
    print(f'  {label:<13} {text}')


def cmd_broadcast(args):
    t = broadcast_totals(args.log)
    rends, seg_text = segments_line(args.hls)
    print(f'{args.name}: summary')
    if args.label:
        row('stream', args.label)
    row('segments', f'{seg_text}, {t["lost"]} lost, {t["failovers"]} failovers')
    row('orchestrators', '; '.join(f'{uri}: {n} segments' for uri, n in
                                   sorted(t['per_orchestrator'].items())) or 'none')
    row('tickets', f'{t["tickets"]} sent')
    row('fees', f'{amount(t["fees"])} charged for {t["pixels"]} pixels')
    row('play', f'gst-play-1.0 {args.show_hls}/master.m3u8')
    return 0


def cmd_orchestrator(args):
    msgs = messages(args.log, 'lporchestrator-')
    by = {}
    for n, f in msgs:
        by.setdefault(n, []).append(f)
    segs = by.get('lporchestrator-segment', [])
    red = by.get('lporchestrator-ticket-redeemed', [])
    rewards = by.get('lporchestrator-reward', [])
    fees = sum((fraction(f['fee']) for f in segs), Fraction(0))
    print(f'{args.name}: summary')
    row('sessions', f'{len(by.get("lporchestrator-session-started", []))} started')
    row('segments', f'{len(segs)} transcoded, '
        f'{sum(f.get("pixels", 0) for f in segs)} output pixels, '
        f'{amount(fees)} of fees debited')
    row('tickets', f'{len(by.get("lporchestrator-ticket-won", []))} won, '
        f'{sum(1 for f in red if f.get("success"))} redeemed, '
        f'{sum(1 for f in red if not f.get("success"))} refused')
    row('rewards', f'{eth(sum(int(f["minted"]) for f in rewards), "LPT")} '
        f'minted by {len(rewards)} reward calls')
    return 0


def load_json(path):
    with open(path) as f:
        return json.load(f)


def cmd_quickstart(args):
    work = args.workdir
    t = broadcast_totals(os.path.join(work, 'broadcaster.log'))
    rends, seg_text = segments_line(os.path.join(work, 'hls'))
    status0 = load_json(os.path.join(work, 'status-start.json'))
    status1 = load_json(os.path.join(work, 'status-end.json'))
    redeemed = load_json(os.path.join(work, 'tickets.json'))
    queued = load_json(os.path.join(work, 'tickets-queued.json'))
    bcast0 = load_json(os.path.join(work, 'broadcaster-start.json'))
    bcast1 = load_json(os.path.join(work, 'broadcaster-end.json'))
    elapsed = ''
    if os.path.exists(os.path.join(work, 'broadcast-seconds')):
        with open(os.path.join(work, 'broadcast-seconds')) as f:
            elapsed = f' in {f.read().strip()} s'

    orchs = []
    for spec in args.orchestrator:
        name, uri, price, log = spec.split(',', 3)
        msgs = messages(log, 'lporchestrator-')
        won = [f for n, f in msgs if n == 'lporchestrator-ticket-won']
        red = [f for n, f in msgs if n == 'lporchestrator-ticket-redeemed']
        rewards = [f for n, f in msgs if n == 'lporchestrator-reward']
        acct = load_json(os.path.join(work, f'{name}-end.json'))
        orchs.append({
            'name': name, 'uri': uri, 'price': price, 'won': won,
            'redeemed_ok': [f for f in red if f.get('success')],
            'redeemed_failed': [f for f in red if not f.get('success')],
            'rewards': rewards, 'account': acct,
            'address': acct['address'],
        })

    frames = args.seconds * 30
    print('quickstart: summary')
    row('stream', f'{args.seconds} s of 1280x720@30 ({frames} frames, '
        f'videotestsrc pattern=ball) through livepeersink{elapsed}'
        + (' (interrupted: ended early)' if args.interrupted else ''))
    row('segments', f'{seg_text}; {t["segments"]} transcoded, '
        f'{t["lost"]} lost, {t["failovers"]} failovers')
    stakes = {o['address']: o['total_stake'] for o in status0['active_set']}
    row('orchestrators', '; '.join(
        f'{o["name"]} {o["uri"]} ({o["price"]} wei/pixel, stake '
        f'{eth(stakes.get(o["address"], 0), "LPT")}): '
        f'{t["per_orchestrator"].get(o["uri"], 0)} segments'
        for o in orchs))
    n_won = sum(len(o['won']) for o in orchs)
    n_ok = sum(len(o['redeemed_ok']) for o in orchs)
    n_failed = sum(len(o['redeemed_failed']) for o in orchs)
    face = sorted({w['face-value'] for o in orchs for w in o['won']})
    row('tickets', f'{t["tickets"]} sent by the broadcaster; {n_won} won, '
        f'{n_ok} redeemed on the ledger (lpctl tickets: {redeemed["count"]}), '
        f'{n_failed} refused, {queued["count"]} still queued'
        + (f'; face value {", ".join(face)} wei' if face else ''))
    paid = sum(int(x['paid']) for x in redeemed['tickets'])
    spent = (int(bcast0['deposit']) + int(bcast0['reserve'])
             - int(bcast1['deposit']) - int(bcast1['reserve']))
    row('fees', f'{amount(t["fees"])} charged for {t["pixels"]} output pixels; '
        f'{amount(paid)} paid by the winning tickets '
        f'(broadcaster deposit+reserve down by {spent} wei)')
    for o in orchs:
        rec = o['account'].get('orchestrator') or {}
        got = [x for x in redeemed['tickets']
               if x['recipient'].lower() == o['address'].lower()]
        fees = sum(int(x['paid']) for x in got)
        minted_o = sum(int(f['minted']) for f in o['rewards'])
        row(f'earned {o["name"]}',
            f'{amount(fees)} from {len(got)} redeemed tickets, '
            f'{eth(minted_o, "LPT")} of rewards minted; its own cut unclaimed: '
            f'{rec.get("cumulative_fees", "?")} wei of fees, '
            f'{eth(rec.get("cumulative_rewards", 0), "LPT")}')
    delegator = os.path.join(work, 'delegator-end.json')
    if os.path.exists(delegator):
        d = load_json(delegator)
        row('delegator', f'bonded {eth(d["bonded"], "LPT")} to '
            f'{next((o["name"] for o in orchs if o["address"].lower() == d["delegate"].lower()), d["delegate"])}: '
            f'pending stake {eth(d["pending_stake"], "LPT")}, pending fees '
            f'{d["pending_fees"]} wei')
    calls = [(o['name'], f['round'], int(f['minted'])) for o in orchs
             for f in o['rewards']]
    minted = sum(m for _, _, m in calls)
    rounds = sorted({r for _, r, _ in calls})
    supply0, supply1 = int(status0['total_supply']), int(status1['total_supply'])
    row('rewards', f'{eth(minted, "LPT")} minted by {len(calls)} reward calls'
        + (f' in rounds {rounds[0]}-{rounds[-1]}' if len(rounds) > 1
           else f' in round {rounds[0]}' if rounds else '')
        + f'; total supply {eth(supply0, "LPT")} -> {eth(supply1, "LPT")}, '
        f'round {status0["round"]} -> {status1["round"]}, '
        f'block {status0["block"]} -> {status1["block"]}')
    row('play', f'gst-play-1.0 {args.show_hls}/master.m3u8')
    return 0


def face_frames(analysis_dir):
    """(frames analysed, [times in s of the frames with a face]) from the
    face-detection documents livepeersink wrote (CAPABILITY/SEQ.json);
    each segment is analysed on its own, so a frame's time is the duration
    of the segments before it plus its time in its segment"""
    frames, with_face, offset = 0, [], Fraction(0)
    names = sorted((n for n in os.listdir(analysis_dir) if n.endswith('.json')),
                   key=lambda n: int(n.split('.')[0]))
    for name in names:
        with open(os.path.join(analysis_dir, name)) as f:
            doc = json.load(f)
        found = [m['fields'] for m in doc['messages']
                 if m['message'] == 'facedetect']
        first = min((f['timestamp'] for f in found), default=0)
        for f in found:
            frames += 1
            if f.get('faces'):
                with_face.append(offset + Fraction(f['timestamp'] - first, 10**9))
        offset += Fraction(doc['duration_ms'], 1000)
    return frames, sorted(with_face)


def cmd_ai_jobs(args):
    d = args.workdir
    detect = broadcast_totals(os.path.join(d, 'detect.log'))
    blur = broadcast_totals(os.path.join(d, 'blur.log'))
    frames, faces = face_frames(os.path.join(d, 'detect', 'face-detection'))
    jobs = {}
    for n, f in messages(os.path.join(d, 'o1.log'), 'lporchestrator-job'):
        jobs[f['capability']] = jobs.get(f['capability'], Fraction(0)) + \
            fraction(f['fee'])

    def debits(capability, t):
        charged = jobs.get(capability, Fraction(0))
        return ('= the orchestrator\'s debits' if charged == t['fees'] else
                f'!= the orchestrator\'s debits ({charged} wei)')

    print(f'{args.name}: summary')
    row('detection', f'{detect["segments"]} segments, {detect["lost"]} lost: '
        f'{frames} frames analysed, a face in {len(faces)}' +
        (f' (from {float(faces[0]):.2f} s to {float(faces[-1]):.2f} s)'
         if faces else ''))
    row('', f'{amount(detect["fees"])} for {detect["pixels"]} frames '
        f'{debits("face-detection", detect)} ({detect["tickets"]} tickets)')
    row('', f'JSON per segment in {os.path.join(d, "detect", "face-detection")}')
    rends, seg_text = segments_line(os.path.join(d, 'blur'))
    row('face-blur', f'{blur["segments"]} segments, {blur["lost"]} lost; HLS: '
        f'{seg_text}')
    row('', f'{amount(blur["fees"])} for {blur["pixels"]} input pixels '
        f'{debits("face-blur", blur)} ({blur["tickets"]} tickets)')
    row('play', f'gst-play-1.0 {os.path.join(d, "blur", "master.m3u8")}')
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='command', required=True)
    b = sub.add_parser('broadcast')
    b.add_argument('log')
    b.add_argument('hls')
    b.add_argument('--name', default='broadcast')
    b.add_argument('--label', default='')
    b.add_argument('--show-hls', default=None)
    o = sub.add_parser('orchestrator')
    o.add_argument('log')
    o.add_argument('--name', default='orchestrator')
    q = sub.add_parser('quickstart')
    q.add_argument('workdir')
    q.add_argument('--seconds', type=int, required=True)
    q.add_argument('--show-hls', required=True)
    q.add_argument('--orchestrator', action='append', default=[])
    q.add_argument('--interrupted', action='store_true')
    a = sub.add_parser('ai-jobs')
    a.add_argument('workdir')
    a.add_argument('--name', default='ai-jobs')
    args = p.parse_args()
    if args.command == 'ai-jobs':
        return cmd_ai_jobs(args)
    if args.command == 'orchestrator':
        return cmd_orchestrator(args)
    if args.command == 'broadcast':
        args.show_hls = args.show_hls or args.hls
        return cmd_broadcast(args)
    return cmd_quickstart(args)


if __name__ == '__main__':
    sys.exit(main())

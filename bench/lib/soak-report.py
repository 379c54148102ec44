#!/usr/bin/env python3
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The verdict of a soak run (bench/soak.sh) from its output directory.

Usage: soak-report.py DIR STREAMS SECONDS AUDIT

DIR holds s1.log..sN.log (gst-launch-1.0 -m of each livepeersink), o1.log
and o2.log (each lporchestrator), monitor.tsv (seconds, process, open
descriptors, RSS in KiB every 10 s), tickets.json and tickets-queued.json
(lpctl tickets --json) and hostile.log. AUDIT is "ok" or "FAILED" (lpctl
audit). Exit status 1 when a check fails (see bench/soak.sh).
"""
import collections
import json
import os
import re
import sys


def segments(d, streams, seconds, failed):
    written = lost = 0
    for i in range(1, streams + 1):
        log = open(os.path.join(d, f"s{i}.log"), errors="replace").read()
        written += len(re.findall(r"livepeersink-segment, ", log))
        lost += len(re.findall(r"livepeersink-segment-lost", log))
        if "ERROR:" in log:
            failed.append(f"stream {i} posted an error")
    print(f"segments      {written} written, {lost} lost, over {streams} "
          f"streams (about {seconds // 2} each expected)")
    if lost:
        failed.append(f"{lost} segments lost")
    if written < streams * (seconds // 2) * 0.9:
        failed.append("fewer segments written than 90 % of the stream time")


def at(samples, t):
    """The first sample at or after t seconds (the last one if none)."""
    return next((s for s in samples if s[0] >= t), samples[-1])


def resources(d, seconds, failed):
    rows = collections.defaultdict(list)
    with open(os.path.join(d, "monitor.tsv")) as f:
        for line in f.read().splitlines()[1:]:
            t, name, fds, rss = line.split("\t")
            rows[name].append((int(t), int(fds), int(rss) / 1024))
    print("process       descriptors at 60 s / half / end / max   "
          "RSS MiB at 60 s / half / end / max")
    for name, samples in rows.items():
        early, half, end = at(samples, 60), at(samples, seconds // 2), samples[-1]
        # after the first minute; a soak shorter than that has all of it
        later = [s for s in samples if s[0] >= 60] or samples
        fmax = max(s[1] for s in later)
        rmax = max(s[2] for s in later)
        print(f"{name:13s} {early[1]:5d} {half[1]:5d} {end[1]:5d} {fmax:5d}"
              f"                  {early[2]:7.1f} {half[2]:7.1f} "
              f"{end[2]:7.1f} {rmax:7.1f}")
        if end[1] > half[1] + 16:
            failed.append(f"{name}: descriptors grew from {half[1]} to "
                          f"{end[1]} in the second half")
        if end[2] > half[2] * 1.10 + 16:
            failed.append(f"{name}: RSS grew from {half[2]:.1f} to "
                          f"{end[2]:.1f} MiB in the second half")


def tickets(d, failed):
    won = sum(open(os.path.join(d, f"o{o}.log"), errors="replace").read()
              .count("lporchestrator-ticket-won") for o in (1, 2))
    with open(os.path.join(d, "tickets.json")) as f:
        redeemed = json.load(f)["count"]
    with open(os.path.join(d, "tickets-queued.json")) as f:
        queued = json.load(f)["count"]
    print(f"tickets       {won} won, {redeemed} redeemed, {queued} still queued")
    if won != redeemed or queued:
        failed.append("winning tickets and redemptions differ")


def main():
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    d, streams, seconds, audit = (sys.argv[1], int(sys.argv[2]),
                                  int(sys.argv[3]), sys.argv[4])
    failed = []
    segments(d, streams, seconds, failed)
    resources(d, seconds, failed)
    tickets(d, failed)
    print(f"audit         {audit} (lpctl audit: {d}/audit.txt)")
    if audit != "ok":
        failed.append("the ledger audit failed")
    with open(os.path.join(d, "hostile.log")) as f:
        print(f.read().rstrip())
    print("verdict       " + ("PASS" if not failed else
                              "FAIL: " + "; ".join(failed)))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Checks that the variants of an HLS ladder share one time line.

Usage: hls-timeline.py MASTER_PLAYLIST

ffprobe (FFmpeg's, not ours) reads the video PTS of every segment of every
variant listed in the master playlist. It fails (exit 1, with the reason)
unless:
  - no media playlist has #EXT-X-DISCONTINUITY (the ladders checked here
    come from one continuous source with no lost segment);
  - within each variant, every segment starts where the one before it ended
    (its last PTS plus one frame), within one frame;
  - segment N of every variant starts at the same PTS as segment N of the
    first variant (the source), within one frame.
Timestamps are 90 kHz ticks; a 33-bit wrap between segments is allowed.
"""
import json
import os
import subprocess
import sys

WRAP = 1 << 33


def diff(a, b):
    """a - b the short way round the 33-bit circle."""
    d = (a - b) % WRAP
    return d - WRAP if d > WRAP // 2 else d


def video_pts(path):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0",
         "-show_entries", "packet=pts", "-of", "json", path],
        check=True, capture_output=True, text=True).stdout
    pts = sorted(int(p["pts"]) for p in json.loads(out).get("packets", [])
                 if p.get("pts") not in (None, "N/A"))
    if not pts:
        raise SystemExit(f"FAIL: {path}: no video PTS")
    return pts


def segment_span(path):
    """(start, end, frame) of a segment's video: end = last PTS + one frame."""
    pts = video_pts(path)
    steps = [b - a for a, b in zip(pts, pts[1:]) if b > a]
    frame = min(steps) if steps else 3000
    return pts[0], pts[-1] + frame, frame


def variants(master):
    base = os.path.dirname(master)
    with open(master) as f:
        return [os.path.join(base, line.strip()) for line in f
                if line.strip() and not line.startswith("#")]


def segments(playlist):
    base = os.path.dirname(playlist)
    with open(playlist) as f:
        lines = [line.strip() for line in f]
    if "#EXT-X-DISCONTINUITY" in lines:
        raise SystemExit(f"FAIL: {playlist} marks a discontinuity:\n"
                         + "\n".join(lines))
    return [os.path.join(base, line) for line in lines
            if line and not line.startswith("#")]


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    spans = {}
    for playlist in variants(sys.argv[1]):
        name = os.path.basename(os.path.dirname(playlist))
        spans[name] = [segment_span(s) for s in segments(playlist)]
        for n in range(1, len(spans[name])):
            start, _, frame = spans[name][n]
            end = spans[name][n - 1][1]
            if abs(diff(start, end)) > frame:
                raise SystemExit(
                    f"FAIL: {name} segment {n} starts at PTS {start}, "
                    f"{diff(start, end)} ticks from where segment {n - 1} "
                    f"ended ({end})")
    names = list(spans)
    first = names[0]
    for name in names[1:]:
        if len(spans[name]) != len(spans[first]):
            raise SystemExit(f"FAIL: {name} has {len(spans[name])} segments, "
                             f"{first} {len(spans[first])}")
        for n, (a, b) in enumerate(zip(spans[first], spans[name])):
            frame = max(a[2], b[2])
            if abs(diff(b[0], a[0])) > frame:
                raise SystemExit(
                    f"FAIL: segment {n} starts at PTS {b[0]} in {name}, "
                    f"at {a[0]} in {first} ({diff(b[0], a[0])} ticks apart)")
    print(f"   timeline: {len(names)} variants x {len(spans[first])} "
          f"segments, continuous and aligned (first PTS "
          f"{spans[first][0][0]})")


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Ticket validation throughput on one core against bare libsecp256k1
# recovery + Keccak-256, in the same run (bench/tickets.c): first with one
# ticket per payment (worst case), then 11 per payment (a 2 s 720p+360p
# segment at 1200 wei/pixel, EV 8e9). Target: ratio >= 0.9.
#
# Usage: bench/tickets.sh [TICKETS]   (default 30000; builds ./build first)
set -euo pipefail
cd "$(dirname "$0")/.."
tickets=${1:-30000}
bash scripts/build.sh >/dev/null
ninja -C build bench/bench-tickets >/dev/null
# one core: pin the process so the comparison is single-threaded on both
# sides
for per in 1 11; do
  echo "== $per ticket(s) per payment"
  taskset -c 0 build/bench/bench-tickets "$tickets" "$per"
done

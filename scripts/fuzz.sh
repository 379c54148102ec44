#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Builds the libFuzzer targets of the decoders (protobuf and the readable
# JSON lpctl and lpverify take) with clang and runs each for SECONDS
# (default 180), new inputs going to bench/out/fuzz-corpus/.
# Usage (as root on Debian 12): bash scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-180}

bash scripts/setup-debian.sh
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null; }
done

[ -f build-fuzz/build.ninja ] ||
  CC=clang meson setup build-fuzz -Dfuzz=enabled -Dtests=disabled >/dev/null
ninja -C build-fuzz >/dev/null
meson test -C build-fuzz --suite fuzz --print-errorlogs   # the seeds replay

for target in payment segdata orchestrator-info transcode-result proto; do
  corpus=bench/out/fuzz-corpus/$target
  mkdir -p "$corpus"
  echo "== $target: ${seconds}s"
  dict=-dict=tests/fuzz/wire.dict   # JSON words; protobuf needs none
  [ "$target" != proto ] || dict=
  build-fuzz/tests/fuzz/fuzz-$target -max_total_time="$seconds" \
    $dict "$corpus" "tests/fuzz/corpus/$target" 2>&1 |
    grep -E "^(#[0-9]+ +DONE|Done|==[0-9]+==|SUMMARY)" || true
done

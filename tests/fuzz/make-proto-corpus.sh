#!/bin/sh
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Writes the seed corpus of fuzz-proto: one file per golden-bytes fixture
# (tests/check/libs/proto-golden-helper.c, whose encodings crosscheck/protobuf
# proves byte-identical to python3-protobuf's), its first byte the
# message type's index in tests/lib/lptest-proto-types.c.
#
#   tests/fuzz/make-proto-corpus.sh build/tests/check/libs/lp-proto-golden-helper \
#       tests/fuzz/corpus/proto
set -eu
helper=$1 out=$2
mkdir -p "$out"
"$helper" list | while read -r name type; do
  index=$("$helper" index "$type")
  { printf "\\$(printf '%03o' "$index")"
    "$helper" encode "$name" | python3 -c "import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read().strip()))"; } >"$out/$name.bin"
done

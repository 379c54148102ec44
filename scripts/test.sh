#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Installs what is needed, builds, and runs the whole test suite.
# Usage (as root on Debian 12): bash scripts/test.sh [meson test args...]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-debian.sh
bash scripts/build.sh

status=0
meson test -C build --print-errorlogs --num-processes "$(nproc)" "$@" || status=$?

# One closing line any CI reads: N passed, N failed, N skipped.
python3 - build/meson-logs/testlog.json <<'PY'
import json, sys
counts = {"OK": 0, "FAIL": 0, "SKIP": 0}
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    result = json.loads(line).get("result", "FAIL")
    key = result if result in counts else ("OK" if result == "EXPECTEDFAIL" else "FAIL")
    counts[key] += 1
print(f"meson: {counts['OK']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped")
PY
exit $status

#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Installs what is needed, builds, and runs the main demo
# (pipelines/quickstart.sh): a local Livepeer network (embedded devnet
# ledger, two paid orchestrators, a broadcaster) streaming a moving test
# pattern into HLS in out/quickstart/hls/, then a summary of segments,
# tickets, fees and rewards. The older local-only ladder demo (no network)
# is pipelines/local-ladder.sh.
# Usage (as root on Debian 12): bash scripts/demo.sh [quickstart.sh options]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-debian.sh
bash scripts/build.sh >/dev/null

LP_BUILD_DIR=$PWD/build exec bash pipelines/quickstart.sh "$@"

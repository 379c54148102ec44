#!/bin/sh
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Driver of the golden-bytes test of the protobuf codec (meson test
# crosscheck/protobuf).
#   proto-golden.sh HELPER PROTO SCRIPT OUT_DIR
# Compiles PROTO (proto/lp_rpc.proto) with Debian's protoc --python_out
# into OUT_DIR, then runs SCRIPT (proto-golden.py) with the python3 that
# has Debian's python3-protobuf. When protoc or python3-protobuf is missing
# it installs them with apt-get (scripts/setup-debian.sh lists them too), as
# root only; it skips (77) only when apt cannot reach its archive. Any other
# failure fails.
set -u

packages="protobuf-compiler python3-protobuf"
python_modules="google.protobuf"
extra_commands=
# shellcheck source=tests/lib/python-peer.sh
. "$(dirname "$0")/../../lib/python-peer.sh"
lp_python_peer_run --helper "$1" "$2" "$3" "$4"

#!/bin/sh
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Driver of the gRPC interop test (meson test crosscheck/grpc).
#   grpc-interop.sh HELPER PROTO SCRIPT OUT_DIR
# Compiles PROTO (proto/lp_rpc.proto) with Debian's protoc --python_out
# into OUT_DIR, then runs SCRIPT (grpc-interop.py) with the python3 that
# has Debian's python3-grpcio and python3-protobuf. When one of those,
# protoc or openssl is missing it installs them with apt-get
# (scripts/setup-debian.sh lists them too), as root only; it skips (77)
# only when apt cannot reach its archive. Any other failure fails.
set -u

packages="protobuf-compiler python3-protobuf python3-grpcio openssl"
python_modules="grpc, google.protobuf"
extra_commands=openssl
# shellcheck source=tests/lib/python-peer.sh
. "$(dirname "$0")/../../lib/python-peer.sh"
lp_python_peer_run --helper "$1" "$2" "$3" "$4" --work-dir

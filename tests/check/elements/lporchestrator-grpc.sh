#!/bin/sh
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Driver of the lporchestrator gRPC test (meson test
# crosscheck/lporchestrator-grpc).
#   lporchestrator-grpc.sh LPCTL PROTO SCRIPT OUT_DIR
# Compiles PROTO (proto/lp_rpc.proto) with Debian's protoc --python_out
# into OUT_DIR, then runs SCRIPT (lporchestrator-grpc.py or -jobs.py, their
# common code in lpgateway.py), a Python gateway built on Debian's
# python3-grpcio, python3-protobuf, python3-ecdsa and python3-pycryptodome
# (its signatures and hashes are not ours), on
# python3-h2 for the segment path over HTTP/2 (lph2peer.py), and on
# ffprobe (Debian's ffmpeg) and curl for the renditions. When one
# of them or protoc is missing it installs them with apt-get
# (scripts/setup-debian.sh lists them too), as root only; it skips (77)
# only when apt cannot reach its archive. Any other failure fails.
set -u

packages="protobuf-compiler python3-protobuf python3-grpcio python3-ecdsa python3-pycryptodome python3-h2 ffmpeg curl"
python_modules="grpc, google.protobuf, ecdsa, Cryptodome, h2"
# ffprobe checks the renditions of go-livepeer's segment path, curl fetches
# one over HTTP/2
extra_commands="ffprobe curl"
# shellcheck source=tests/lib/python-peer.sh
. "$(dirname "$0")/../../lib/python-peer.sh"
lp_python_peer_run --lpctl "$1" "$2" "$3" "$4" --work-dir

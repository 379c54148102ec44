#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Installs every Debian package gst-livepeer needs to build, test, demo and benchmark.
# Idempotent; run as root on Debian 12. Skips apt when everything is already present.
set -euo pipefail

PACKAGES=(
  build-essential pkg-config meson ninja-build
  libglib2.0-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  libgstreamer-plugins-bad1.0-dev
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav
  libsoup-3.0-dev libjson-glib-dev libsecp256k1-dev nettle-dev libgmp-dev
  libsqlite3-dev libgcrypt20-dev libswscale-dev libavutil-dev
  # HTTP/2 and gRPC (nghttp2), the TLS certificate (GnuTLS), GIO's TLS
  libnghttp2-dev libgnutls28-dev glib-networking
  ffmpeg python3 time
  # an RTSP server for the pipelines/scripts test of broadcast-rtsp.sh
  python3-gi gir1.2-gst-rtsp-server-1.0
  # the shipped AI capabilities (facedetect, faceblur, motioncells) and the
  # Haar cascades they load
  gstreamer1.0-opencv opencv-data
  # the golden-bytes test of the protobuf codec (crosscheck/protobuf)
  protobuf-compiler python3-protobuf
  # the gRPC interop tests (crosscheck/grpc): an independent gRPC peer
  python3-grpcio openssl
  # lporchestrator's gRPC service against a Python gateway
  # (crosscheck/lporchestrator-grpc): secp256k1 signatures and keccak, and
  # curl to fetch a rendition over HTTP/2, python3-h2 for segments over it
  python3-ecdsa python3-pycryptodome curl python3-h2
  # bench/verify.sh --instructions
  valgrind
  # chain/separate-hosts: network namespaces and veth pairs (ip netns)
  iproute2
)

# node and npm are used only by the ethers cross-check test and the local
# chain (pipelines/chain-devnet.sh); a machine that
# already has them (from any source) keeps its own, others get Debian's.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: all build, test and demo packages present"

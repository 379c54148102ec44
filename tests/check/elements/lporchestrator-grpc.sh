#!/bin/sh
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Driver of the lporchestrator gRPC test (meson test
# crosscheck/lporchestrator-grpc).
#   lporchestrator-grpc.sh LPCTL PROTO SCRIPT OUT_DIR
# Compiles PROTO (proto/lp_rpc.proto) with Debian's protoc --python_out
# into OUT_DIR, then runs SCRIPT (lporchestrator-grpc.py), a Python gateway
# built on Debian's python3-grpcio, python3-protobuf, python3-ecdsa and
# python3-pycryptodome (its signatures and hashes are not ours). When one
# of them or protoc is missing it installs them with apt-get
# (scripts/setup-debian.sh lists them too), as root only; it skips (77)
# only when apt cannot reach its archive. Any other failure fails.
set -u

lpctl=$1
proto=$2
script=$3
out_dir=$4
packages="protobuf-compiler python3-protobuf python3-grpcio python3-ecdsa python3-pycryptodome"

absolute () {
  case $1 in
    /*) echo "$1" ;;
    *) echo "$(pwd)/$1" ;;
  esac
}
lpctl=$(absolute "$lpctl")
proto=$(absolute "$proto")
script=$(absolute "$script")
out_dir=$(absolute "$out_dir")

skip () {
  echo "SKIP: $*"
  exit 77
}

fail () {
  echo "FAIL: $*"
  exit 1
}

# Debian's python3 first: a python3 earlier on PATH (pyenv, a venv) may
# lack the system's site-packages
find_python () {
  for candidate in /usr/bin/python3 python3; do
    if "$candidate" -c 'import grpc, google.protobuf, ecdsa, Cryptodome' \
        2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

have_tools () {
  command -v protoc >/dev/null 2>&1 && find_python >/dev/null
}

install_tools () {
  [ "$(id -u)" = 0 ] || fail "one of $packages is missing; run \
scripts/setup-debian.sh as root (apt-get install $packages)"
  command -v apt-get >/dev/null 2>&1 || fail "one of $packages is missing \
and this system has no apt-get"
  log="$out_dir/apt.log"
  echo "installing $packages"
  # shellcheck disable=SC2086
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends $packages >"$log" 2>&1; then
    apt-get update -qq >>"$log" 2>&1
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends $packages >>"$log" 2>&1
  fi
  if ! have_tools; then
    tail -n 15 "$log"
    if grep -q -E 'Temporary failure resolving|Could not resolve|Failed to fetch|Unable to connect|Network is unreachable|Connection timed out' "$log"; then
      skip "the Debian archive cannot be reached, so $packages cannot be installed"
    fi
    fail "apt-get could not install $packages (see above)"
  fi
}

mkdir -p "$out_dir" || exit 1
have_tools || install_tools
python=$(find_python)

# a fresh module and fresh state each run
rm -rf "$out_dir/lp_rpc_pb2.py" "$out_dir/work"
mkdir -p "$out_dir/work" || exit 1
protoc --proto_path="$(dirname "$proto")" --python_out="$out_dir" "$proto" \
  || fail "protoc could not compile $proto"

exec "$python" "$script" --lpctl "$lpctl" --pb-dir "$out_dir" \
  --work-dir "$out_dir/work"

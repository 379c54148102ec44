# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Sourced (POSIX sh) by the drivers of the tests whose independent peer is
# Python on Debian's packages (protobuf, grpcio, ...): finds the python3
# that has them, installs what is missing with apt-get (as root only;
# SKIP (77) only when the archive cannot be reached, any other failure
# fails), and compiles proto/lp_rpc.proto with protoc --python_out.
# The peers read the arguments it passes with python_peer.py (beside
# this file), which also keeps their checks.
# shellcheck disable=SC2154  # the driver sets these before sourcing:
# The driver sets, before calling lp_python_peer_prepare or _run:
#   out_dir          where the apt log and the generated module go (_run
#                    sets it from its arguments)
#   packages         the Debian packages the peer needs
#   python_modules   what its python3 must import, comma-separated
#   extra_commands   other programs it runs (may be empty)

lp_absolute () {
  case $1 in
    /*) echo "$1" ;;
    *) echo "$(pwd)/$1" ;;
  esac
}

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
lp_find_python () {
  for candidate in /usr/bin/python3 python3; do
    if "$candidate" -c "import $python_modules" 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

lp_have_peer_tools () {
  command -v protoc >/dev/null 2>&1 || return 1
  for command in $extra_commands; do
    command -v "$command" >/dev/null 2>&1 || return 1
  done
  lp_find_python >/dev/null
}

lp_install_peer_tools () {
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
  if ! lp_have_peer_tools; then
    tail -n 15 "$log"
    if grep -q -E 'Temporary failure resolving|Could not resolve|Failed to fetch|Unable to connect|Network is unreachable|Connection timed out' "$log"; then
      skip "the Debian archive cannot be reached, so $packages cannot be installed"
    fi
    fail "apt-get could not install $packages (see above)"
  fi
}

# lp_python_peer_prepare PROTO: the tools in place, $python set, and a
# fresh lp_rpc_pb2.py from PROTO in $out_dir (the .proto may have changed)
lp_python_peer_prepare () {
  mkdir -p "$out_dir" || exit 1
  lp_have_peer_tools || lp_install_peer_tools
  # shellcheck disable=SC2034  # the driver runs $python
  python=$(lp_find_python)
  rm -f "$out_dir/lp_rpc_pb2.py"
  protoc --proto_path="$(dirname "$1")" --python_out="$out_dir" "$1" \
    || fail "protoc could not compile $1"
}

# lp_python_peer_run OPTION PROGRAM PROTO SCRIPT OUT_DIR [--work-dir]: the
# whole driver. Prepares the peer (lp_python_peer_prepare, OUT_DIR becomes
# $out_dir), then replaces the shell with SCRIPT, given our PROGRAM under
# test as OPTION and the generated module's --pb-dir; with --work-dir also
# a fresh OUT_DIR/work (state of a previous run removed).
lp_python_peer_run () {
  option=$1
  program=$(lp_absolute "$2")
  proto=$(lp_absolute "$3")
  script=$(lp_absolute "$4")
  out_dir=$(lp_absolute "$5")
  lp_python_peer_prepare "$proto"
  if [ "${6:-}" != --work-dir ]; then
    exec "$python" "$script" "$option" "$program" --pb-dir "$out_dir"
  fi
  rm -rf "$out_dir/work"
  mkdir -p "$out_dir/work" || exit 1
  exec "$python" "$script" "$option" "$program" --pb-dir "$out_dir" \
    --work-dir "$out_dir/work"
}

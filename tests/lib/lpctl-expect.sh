# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Sourced (POSIX sh) by the tests that drive lpctl and check what it
# prints: run it, expect an exit status, read a member of its JSON, expect
# a line on stdout or stderr. Output goes to ./out and ./err of the current
# directory (the test's work directory).
# The driver calls lp_expect_begin first, and defines:
#   lpctl_run ARGS...   runs lpctl with the driver's fixed arguments
#                       (the ledger, a command group)

# lp_expect_begin LPCTL NAME: $LPCTL set (absolute: meson passes build
# paths relative to the build directory), and a fresh work directory
# $work, removed at exit, made the current one
lp_expect_begin () {
  case $1 in
    /*) LPCTL=$1 ;;
    *) LPCTL=$(pwd)/$1 ;;
  esac
  work=$(mktemp -d "${TMPDIR:-/tmp}/$2-XXXXXX")
  trap 'rm -rf "$work"' EXIT
  cd "$work" || exit 1
}

# die MESSAGE: fails the test
die () {
  echo "FAIL: $*" >&2
  exit 1
}

# lp ARGS...: runs lpctl; output in out, errors in err; any failure fails
# the test
lp () {
  if ! lpctl_run "$@" >out 2>err; then
    die "lpctl $* failed: $(cat err)"
  fi
}

# lp_status EXPECTED ARGS...: lpctl must exit with EXPECTED
lp_status () {
  expected=$1
  shift
  status=0
  lpctl_run "$@" >out 2>err || status=$?
  [ "$status" -eq "$expected" ] ||
    die "lpctl $* exited $status, expected $expected; stdout: $(cat out); stderr: $(cat err)"
}

# jget KEY: the first JSON member KEY of out (a string's contents, or a
# number or boolean), from json-glib's pretty printing ("KEY" : VALUE)
jget () {
  sed -n "s/^ *\"$1\" : \"\\{0,1\\}\\([^\",]*\\)\"\\{0,1\\},\\{0,1\\}\$/\\1/p" out | head -n 1
}

# expect_json KEY VALUE WHAT
expect_json () {
  got=$(jget "$1")
  [ "$got" = "$2" ] || die "$3: $1 is '$got', expected '$2' (output: $(cat out))"
}

# expect_out PATTERN WHAT: out has a line matching the basic regexp
expect_out () {
  grep -q -e "$1" out || die "$2: expected '$1' in: $(cat out)"
}

# expect_err PATTERN WHAT: err has a line matching the basic regexp
expect_err () {
  grep -q -e "$1" err || die "$2: expected '$1' on stderr, got: $(cat err)"
}

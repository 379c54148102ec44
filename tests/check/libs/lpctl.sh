#!/bin/sh
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Tests of `lpctl account` as a user runs it: outputs, files, modes,
# messages and exit codes (0 success, 1 failure, 2 usage error).
#   lpctl.sh LPCTL
set -u

LPCTL=$1
case $LPCTL in
  /*) ;;
  *) LPCTL=$(pwd)/$LPCTL ;;
esac
work=$(mktemp -d "${TMPDIR:-/tmp}/lpctl-test-XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
umask 022

failures=0
n=0

fail () {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# run EXPECTED_STATUS ARGS...: runs lpctl, keeps stdout/stderr in out/err
run () {
  expected=$1
  shift
  n=$((n + 1))
  "$LPCTL" "$@" >out 2>err
  status=$?
  if [ "$status" -ne "$expected" ]; then
    fail "lpctl $* exited $status, expected $expected; stderr: $(cat err)"
  fi
}

# expect FILE PATTERN: FILE has a line matching the basic regexp PATTERN
expect () {
  grep -q -e "$2" "$1" || fail "expected '$2' in $1 of the last command, got: $(cat "$1")"
}

last_line () {
  tail -n 1 out
}

mode_of () {
  stat -c %a "$1"
}

# ---- help and usage ----
run 0 --help
expect out "account"
expect out "--ledger"
expect out "Exit status"
run 0 account --help
expect out "new FILE | --out FILE"
expect out "address FILE"
expect out "import --keystore KEYSTORE --out FILE"
expect out "export FILE --out KEYSTORE"
run 0 account export --help
expect out "--light-kdf"
expect out "--kdf"
run 0 --version
expect out "^lpctl "

run 2
expect err "missing the command"
run 2 frobnicate
expect err "unknown command 'frobnicate'"
run 2 --frobnicate
run 2 account
expect err "missing the action"
run 2 account frob
expect err "unknown action 'frob'"
run 2 account new
expect err "missing the key file"
run 2 account new a.key --out b.key
run 2 account new --bogus x.key
run 2 account address
run 2 account address a b
run 2 account import --keystore x.json --out y.key
expect err "a password is needed"
run 2 account import --keystore x.json --out y.key --password-file p --password-env P
expect err "not both"
run 2 account export x.key --out y.json --password-env P --kdf md5
expect err "scrypt or pbkdf2"
run 2 account export x.key --password-env P
expect err "missing --out"
[ ! -e a.key ] && [ ! -e b.key ] && [ ! -e x.key ] || fail "a usage error created a file"

# ---- new / address ----
run 0 --ledger devnet.db account new --out bcast.key
addr=$(last_line)
echo "$addr" | grep -q '^0x[0-9a-fA-F]\{40\}$' || fail "account new printed '$addr'"
[ "$(mode_of bcast.key)" = 600 ] || fail "bcast.key has mode $(mode_of bcast.key)"
grep -q '^[0-9a-f]\{64\}$' bcast.key || fail "bcast.key is not 64 hex digits"
[ "$(wc -c <bcast.key)" -eq 65 ] || fail "bcast.key is not 64 digits and a newline"
run 0 account address bcast.key
[ "$(last_line)" = "$addr" ] || fail "account address printed $(last_line), account new $addr"
run 0 account new second.key
[ "$(last_line)" != "$addr" ] || fail "two new keys have the same address"

cp bcast.key before.key
run 1 account new bcast.key
expect err "Refusing to overwrite 'bcast.key'"
cmp -s bcast.key before.key || fail "account new changed an existing file"

printf '4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318\n' >known.key
chmod 600 known.key
run 0 account address known.key
[ "$(last_line)" = 0x2c7536E3605D9C16a7a3D7b1898e529396a65c23 ] || fail "known.key: $(last_line)"

chmod 644 known.key
run 1 account address known.key
expect err "Permissions 0644 for 'known.key' are too open; the key file must be readable by its owner only (chmod 600 known.key)"
[ ! -s out ] || fail "a refused key file printed: $(cat out)"
chmod 600 known.key

printf 'not a key\n' >bad.key
chmod 600 bad.key
run 1 account address bad.key
expect err "Malformed key"
printf '4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f3623\n' >short.key
chmod 600 short.key
run 1 account address short.key
expect err "62 hexadecimal digits instead of 64"
printf '0000000000000000000000000000000000000000000000000000000000000000\n' >zero.key
chmod 600 zero.key
run 1 account address zero.key
expect err "zero"
printf 'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141\n' >order.key
chmod 600 order.key
run 1 account address order.key
expect err "group order"
run 1 account address missing.key
expect err "missing.key"

# ---- export / import ----
printf 'hunter2 with spaces\nignored second line\n' >pw
run 0 account export known.key --out known.json --password-file pw --light-kdf
[ "$(last_line)" = 0x2c7536E3605D9C16a7a3D7b1898e529396a65c23 ] || fail "export printed $(last_line)"
[ "$(mode_of known.json)" = 600 ] || fail "known.json has mode $(mode_of known.json)"
expect known.json '"address" *: *"2c7536e3605d9c16a7a3d7b1898e529396a65c23"'
expect known.json '"n" *: *4096'
run 1 account export known.key --out known.json --password-file pw --light-kdf
expect err "Refusing to overwrite"

run 1 account address known.json
expect err "password"
run 0 account address known.json --password-file pw
[ "$(last_line)" = 0x2c7536E3605D9C16a7a3D7b1898e529396a65c23 ] || fail "keystore address $(last_line)"
LP_PW='hunter2 with spaces' run 0 account address known.json --password-env LP_PW
LP_PW='hunter2' run 1 account address known.json --password-env LP_PW
expect err "Wrong password or corrupted keystore"
run 1 account address known.json --password-env LP_UNSET_VARIABLE
expect err "LP_UNSET_VARIABLE"

run 0 account import --keystore known.json --password-file pw --out imported.key
[ "$(last_line)" = 0x2c7536E3605D9C16a7a3D7b1898e529396a65c23 ] || fail "import printed $(last_line)"
cmp -s imported.key known.key || fail "imported key differs: $(cat imported.key)"
[ "$(mode_of imported.key)" = 600 ] || fail "imported.key has mode $(mode_of imported.key)"
run 1 account import --keystore known.json --password-file pw --out imported.key
expect err "Refusing to overwrite"

run 0 account export known.key --out known-pbkdf2.json --password-file pw --kdf pbkdf2 --light-kdf
expect known-pbkdf2.json '"prf" *: *"hmac-sha256"'
run 0 account import --keystore known-pbkdf2.json --password-file pw --out imported2.key
cmp -s imported2.key known.key || fail "pbkdf2 round trip differs"

run 1 account export known.json --out again.json --password-file pw
expect err "already a keystore"
[ ! -e again.json ] || fail "a failed export left again.json"

echo "$n lpctl runs, $failures failures"
[ "$failures" -eq 0 ]

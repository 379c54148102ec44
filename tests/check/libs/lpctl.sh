#!/bin/sh
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Tests of `lpctl account`, `payment` and `segment` as a user runs them: outputs, files, modes,
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

# ---- payment / segment ----
# protobuf messages written here field by field from proto/lp_rpc.proto
# (pb_* print hex; zero fields are left out, as proto3 does)
pb_varint () {
  v=$1
  while [ "$v" -ge 128 ]; do
    printf '%02x' $(((v & 127) | 128))
    v=$((v >> 7))
  done
  printf '%02x' "$v"
}
pb_int () { pb_varint $(($1 << 3)); pb_varint "$2"; }
pb_bytes () { pb_varint $((($1 << 3) | 2)); pb_varint $((${#2} / 2)); printf '%s' "$2"; }
pb_text () { pb_bytes "$1" "$(printf '%s' "$2" | od -An -v -tx1 | tr -d ' \n')"; }
pb_profile () { # NAME WIDTH HEIGHT BITRATE FPS FPS_DEN
  pb_bytes 33 "$(pb_text 16 "$1"; pb_int 17 "$2"; pb_int 18 "$3"; pb_int 19 "$4"
    pb_int 20 "$5"; pb_int 22 "$6")"
}
run 0 payment --help
expect out "decode \[BASE64 | JSON | -\]"
expect out "make --key-file FILE --params FILE --nonces LIST"
run 0 segment --help
expect out "decode \[BASE64 | JSON | -\]"
run 2 payment
expect err "missing the action (decode or make)"
run 2 payment frob
expect err "unknown action 'frob'"
run 2 payment decode
expect err "missing the payment"
run 2 segment decode
expect err "missing the segment data"
run 2 payment make --params p.json --nonces 1
expect err "missing --key-file"
run 2 payment make --key-file known.key --params p.json --nonces 0-3
expect err "\-\-nonces: '0-3' is not a nonce list"
run 2 payment make --key-file known.key --params p.json --nonces 1-601
expect err "at most 600"
run 2 payment make --key-file known.key --params p.json --nonces 1 --expected-price 12/0
expect err "\-\-expected-price"
run 2 payment make --key-file known.key --params p.json --nonces 1 --format header
expect err "\-\-format: give protobuf or json"

# ticket parameters as OrchestratorInfo.ticket_params carries them
cat >params.json <<'EOT'
{
  "recipient": "0xdf4e2cdd095495ec7a422a0f0866593c668c19ef",
  "face_value": "1200000000000000",
  "win_prob": "115792089237316195423570985008687907853269984665640564039457584007913129639935",
  "recipient_rand_hash": "0xf395757e0d74803aae4e8adb875451d99622e911b61c64e044e0bd16a16f18cd",
  "seed": "0x9f1c",
  "expiration_block": 1040,
  "expiration_params": {
    "creation_round": 3000,
    "creation_round_block_hash": "0x4444444444444444444444444444444444444444444444444444444444444444"
  }
}
EOT
run 0 payment make --key-file known.key --params params.json --nonces 1-3 --expected-price 1200/1
last_line >payment.b64
grep -q '^[A-Za-z0-9+/]*=*$' payment.b64 || fail "payment make printed $(cat payment.b64)"
# the header value is go-livepeer's: base64 of a protobuf Payment, whose
# field 1 (ticket_params, length-delimited) comes first
base64 -d payment.b64 | od -An -tx1 -N1 | grep -q '^ *0a$' ||
  fail "payment make's value is not a protobuf Payment: $(cat payment.b64)"
run 0 payment make --key-file known.key --params params.json --nonces 1-3 --expected-price 1200/1 --format protobuf
# (signatures are deterministic, RFC 6979: the same payment again)
last_line | cmp -s - payment.b64 || fail "--format protobuf is not the default"
run 0 payment decode "$(cat payment.b64)" --recipient-rand 123456789
expect out '"sender" : "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"'
expect out '"recipient" : "0xdf4e2Cdd095495eC7A422a0f0866593c668C19EF"'
expect out '"creation_round" : 3000'
expect out '"price_per_unit" : 1200'
expect out '"recipient_rand_matches" : true'
expect out '"sender_nonce" : 3'
[ "$(grep -c '"signature_valid" : true' out)" -eq 3 ] || fail "3 valid tickets expected: $(cat out)"
[ "$(grep -c '"signer" : "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"' out)" -eq 3 ] || fail "3 signers expected"
[ "$(grep -c '"ticket_hash" : "0x[0-9a-f]\{64\}"' out)" -eq 3 ] || fail "3 ticket hashes expected"
# win_prob is 2^256 - 1: every ticket wins
[ "$(grep -c '"wins" : true' out)" -eq 3 ] || fail "3 winning tickets expected: $(cat out)"
cp out decoded.txt
run 0 payment decode - <payment.b64
cmp -s out decoded.txt && fail "stdin decode should lack the wins fields"
grep -q '"wins"' out && fail "wins reported without --recipient-rand"
[ "$(grep -c '"signature_valid" : true' out)" -eq 3 ] || fail "stdin decode: $(cat out)"
run 0 payment decode "$(cat payment.b64)" --recipient-rand 5
expect out '"recipient_rand_matches" : false'
run 1 payment decode "$(cat payment.b64)" --recipient-rand x
expect err "\-\-recipient-rand"

# JSON form; a ticket whose nonce was altered no longer matches its signature
run 0 payment make --key-file known.key --params params.json --nonces 7 --json
last_line >payment.json
expect payment.json '"sender_nonce":7,'
run 0 payment decode "$(cat payment.json)"
expect out '"signature_valid" : true'
sed 's/"sender_nonce":7,/"sender_nonce":8,/' payment.json >tampered.json
run 0 payment decode - <tampered.json
expect out '"signature_valid" : false'
grep -q '"signer" : "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"' out && fail "tampered ticket still recovers to the sender"
# an OrchestratorInfo gives the params and the price
printf '{"transcoder":"https://127.0.0.1:8935","ticket_params":%s,"price_info":{"price_per_unit":7,"pixels_per_unit":3},"address":"0x2c7536E3605D9C16a7a3D7b1898e529396a65c23","auth_token":{"token":"0x5555555555555555555555555555555555555555555555555555555555555555","session_id":"abcd1234","expiration":1700000000}}' \
  "$(tr -d '\n' <params.json)" >info.json
run 0 payment make --key-file known.key --params info.json --nonces 1,4 --json
expect out '"price_per_unit":7,"pixels_per_unit":3'
expect out '"sender_nonce":4,'
cp out from-json-info.txt
# the same OrchestratorInfo as GetOrchestrator answers it: protobuf
info_hex=$(pb_text 1 https://127.0.0.1:8935
  pb_bytes 2 "$(pb_bytes 1 df4e2cdd095495ec7a422a0f0866593c668c19ef
    pb_bytes 2 044364c5bb0000
    pb_bytes 3 ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
    pb_bytes 4 f395757e0d74803aae4e8adb875451d99622e911b61c64e044e0bd16a16f18cd
    pb_bytes 5 9f1c; pb_bytes 6 0410
    pb_bytes 7 "$(pb_int 1 3000
      pb_bytes 2 4444444444444444444444444444444444444444444444444444444444444444)")"
  pb_bytes 3 "$(pb_int 1 7; pb_int 2 3)"
  pb_bytes 4 2c7536e3605d9c16a7a3d7b1898e529396a65c23
  pb_bytes 6 "$(pb_bytes 1 5555555555555555555555555555555555555555555555555555555555555555
    pb_text 2 abcd1234; pb_int 3 1700000000)")
printf '%s' "$info_hex" | xxd -r -p >info.pb
run 0 payment make --key-file known.key --params info.pb --nonces 1,4 --json
# (signatures are deterministic: the same payment)
cmp -s out from-json-info.txt || fail "a protobuf OrchestratorInfo gives another payment: $(cat out)"
printf 'not json' >junk.pb
run 1 payment make --key-file known.key --params junk.pb --nonces 1
expect err "junk.pb: not ticket parameters JSON, nor an OrchestratorInfo"

# garbage and malformed payments: a clear error, exit 1
run 1 payment decode 'not base64!'
expect err "^lpctl: Livepeer-Payment: not"
[ ! -s out ] || fail "a failed decode printed: $(cat out)"
# a value of the retired JSON dialect (base64 of '{}') is refused
run 1 payment decode 'e30='
expect err "^lpctl: Livepeer-Payment: this is base64 of JSON"
run 1 payment decode "$(base64 -w0 payment.json)"
expect err "retired JSON dialect"
run 1 payment decode '{}'
expect err "^lpctl: sender: missing"
printf '{"sender": 1}' >bad.json
run 1 payment decode - <bad.json
expect err "^lpctl: sender: expected a string, got a number"
sed 's/"1200000000000000"/"12e14x"/' payment.json >bad.json
run 1 payment decode - <bad.json
expect err "^lpctl: ticket_params.face_value: not a decimal uint256"
printf '{"recipient": "0x00"}' >badparams.json
run 1 payment make --key-file known.key --params badparams.json --nonces 1
expect err "badparams.json: recipient: not an address"
run 1 payment make --key-file missing.key --params params.json --nonces 1
expect err "missing.key"

# segment decode: docs/design/protocol.md §8's segment signed by known.key,
# in its readable JSON
cat >segment.json <<'EOT'
{"manifest_id":"abcd","seq":7,"hash":"0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8","sig":"0x22c33b993a9837033b9c32234cb2ce6d0f2c282f16a51f8b7288705819324709600db32930d26254032f071be31e38583e4c3ea35a5bb2de4b53976143a4b0851c","duration":2000,"profiles":[{"name":"P720p30fps16x9","width":1280,"height":720,"bitrate":4000000,"fps":30,"fps_den":1,"profile":0,"gop":0},{"name":"P360p30fps16x9","width":640,"height":360,"bitrate":1200000,"fps":30,"fps_den":1,"profile":0,"gop":0}],"auth_token":{"token":"0x5555555555555555555555555555555555555555555555555555555555555555","session_id":"abcd1234","expiration":1700000000}}
EOT
run 0 segment decode - <segment.json
expect out '"message_hash" : "0xeeb0a68f4466ca0c6dd1b1640276c9085f06e25d31abbf8cb62b4e4fee65a770"'
expect out '"signer" : "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"'
expect out '"manifest_id" : "abcd"'
expect out '"duration" : 2000'
# the same segment as go-livepeer sends it: a protobuf SegData, written
# here field by field from proto/lp_rpc.proto (fullProfiles, 33)
seg_hex=$(pb_text 1 abcd; pb_int 2 7
  pb_bytes 3 1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8
  pb_bytes 5 22c33b993a9837033b9c32234cb2ce6d0f2c282f16a51f8b7288705819324709600db32930d26254032f071be31e38583e4c3ea35a5bb2de4b53976143a4b0851c
  pb_int 6 2000
  pb_bytes 8 "$(pb_bytes 1 5555555555555555555555555555555555555555555555555555555555555555
    pb_text 2 abcd1234; pb_int 3 1700000000)"
  pb_profile P720p30fps16x9 1280 720 4000000 30 1
  pb_profile P360p30fps16x9 640 360 1200000 30 1)
printf '%s' "$seg_hex" | xxd -r -p | base64 -w0 >segment.b64
run 0 segment decode "$(cat segment.b64)"
expect out '"message_hash" : "0xeeb0a68f4466ca0c6dd1b1640276c9085f06e25d31abbf8cb62b4e4fee65a770"'
expect out '"signer" : "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"'
expect out '"name" : "P360p30fps16x9"'
expect out '"session_id" : "abcd1234"'
run 0 segment decode - <segment.b64
expect out '"signer" : "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"'
run 1 segment decode "$(base64 -w0 segment.json)"
expect err "^lpctl: Livepeer-Segment: this is base64 of JSON"
sed 's/"seq":7/"seq":8/' segment.json >segment8.json
run 0 segment decode - <segment8.json
grep -q '"signer" : "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"' out && fail "seq 8 still recovers to the signer"
sed 's/"profile":0,"gop":0}]/"profile":9,"gop":0}]/' segment.json >bad.json
run 1 segment decode - <bad.json
expect err "^lpctl: profiles\[1\].profile: 9 is out of range"
run 1 segment decode '%%%%'
expect err "^lpctl: Livepeer-Segment: not base64"

echo "$n lpctl runs, $failures failures"
[ "$failures" -eq 0 ]

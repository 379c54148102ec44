#!/bin/sh
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# `lpctl verify` on files made with gst-launch-1.0: a 2 s source, an honest
# rendition of it, a tampered one; verdicts, JSON, profiles and exit codes
# (0 every rendition passes, 1 one fails, 2 usage error or unreadable input).
#   lpctl-verify.sh LPCTL
# Needs GST_PLUGIN_PATH with the build's lpverify (meson sets it). SKIP (77)
# without gst-launch-1.0, x264enc, mpegtsmux or an H.264 decoder.
set -eu

# shellcheck source=tests/lib/lpctl-expect.sh
. "$(dirname "$0")/../../lib/lpctl-expect.sh"
lp_expect_begin "$1" lpctl-verify

launch=$(command -v gst-launch-1.0) || {
  echo "SKIP: no gst-launch-1.0" >&2
  exit 77
}

# make WHAT PIPELINE...: runs gst-launch-1.0; SKIP when an element is missing
make () {
  what=$1
  shift
  if ! "$launch" -q "$@" >launch.out 2>&1; then
    if grep -q 'no element' launch.out; then
      echo "SKIP: $(cat launch.out)" >&2
      exit 77
    fi
    die "making $what: $(cat launch.out)"
  fi
}

# lpctl_run ARGS...: lpctl verify (tests/lib/lpctl-expect.sh)
lpctl_run () {
  "$LPCTL" verify "$@"
}

# ---- the media ----------------------------------------------------------------
# the source: 2 s of moving SMPTE bars at 320x180, 30 fps
make source videotestsrc num-buffers=60 pattern=smpte horizontal-speed=4 ! \
  video/x-raw,width=320,height=180,framerate=30/1 ! x264enc ! mpegtsmux ! \
  filesink location=src.ts
# honest: the source decoded, scaled to 256x144 and encoded at P144p30fps16x9's
# 400 kbit/s
make honest filesrc location=src.ts ! decodebin ! videoconvert ! videoscale ! \
  video/x-raw,width=256,height=144 ! x264enc bitrate=400 ! mpegtsmux ! \
  filesink location=honest.ts
# tampered: same size, rate and length, other content
make tampered videotestsrc num-buffers=60 pattern=ball ! \
  video/x-raw,width=256,height=144,framerate=30/1 ! x264enc bitrate=400 ! \
  mpegtsmux ! filesink location=tampered.ts
echo "not a video" >bad.ts

# ---- help and usage errors ----------------------------------------------------
lp_status 0 --help
expect_out "SOURCE RENDITION" "verify --help"
expect_out "--profile" "verify --help"
expect_out "--json" "verify --help"
status=0
"$LPCTL" --help >out 2>err || status=$?
[ "$status" -eq 0 ] || die "lpctl --help exited $status"
expect_out "verify \[--profile N=PROFILE\]" "lpctl --help lists verify"
lp_status 2 src.ts
expect_err "RENDITION" "verify without a rendition"
lp_status 2
lp_status 2 --profile 1=P144p30fps16x9 src.ts honest.ts
expect_err "no rendition 1" "a profile for a rendition that is not there"
lp_status 2 --profile P144p30fps16x9 src.ts honest.ts
lp_status 2 --sample-interval 0 src.ts honest.ts
lp_status 2 --min-ssim 2 src.ts honest.ts

# ---- unreadable input ------------------------------------------------------------
lp_status 2 src.ts missing.ts
expect_err "^lpctl verify: missing.ts: " "a missing rendition"
[ ! -s out ] || die "a missing rendition printed: $(cat out)"
lp_status 2 missing.ts honest.ts
expect_err "^lpctl verify: missing.ts: " "a missing source"
lp_status 2 src.ts bad.ts
expect_err "^lpctl verify: bad.ts: " "a rendition that is not media"

# ---- verdicts -------------------------------------------------------------------------
lp_status 0 --json src.ts honest.ts
expect_json file honest.ts "honest"
expect_json verdict pass "honest"
expect_json reason "" "honest"
expect_json frames 60 "honest"
expect_json width 256 "honest"
expect_json height 144 "honest"
psnr=$(jget psnr_y)
ssim=$(jget ssim_y)
awk "BEGIN { exit !($psnr >= 30) }" || die "honest PSNR-Y $psnr under 30 dB"
awk "BEGIN { exit !($ssim >= 0.95) }" || die "honest SSIM-Y $ssim under 0.95"

lp_status 1 --json src.ts tampered.ts
expect_json file tampered.ts "tampered"
expect_json verdict fail "tampered"
reason=$(jget reason)
[ -n "$reason" ] || die "tampered failed without a reason: $(cat out)"
expect_err "tampered.ts: failed verification" "tampered's detail"

# both at once: one fails, so 1; a row each
lp_status 1 src.ts honest.ts tampered.ts
expect_out "^honest.ts  *pass  *-  *60  *256x144 " "table row of honest"
expect_out "^tampered.ts  *fail  *$reason  *60  *256x144 " "table row of tampered"
expect_out "PSNR-Y" "table header"

# ---- profiles and thresholds ---------------------------------------------------------------
lp_status 0 --profile 0=P144p30fps16x9 --json src.ts honest.ts
expect_json verdict pass "honest with its profile"
lp_status 1 --profile 0=P240p30fps16x9 --json src.ts honest.ts
expect_json reason resolution "honest against another profile"
lp_status 1 --profile 1=P144p30fps16x9 src.ts honest.ts tampered.ts
# (the ball stands still against moving bars: frozen frames, so the frame
# check goes too)
lp_status 0 --min-psnr 0 --min-ssim 0 --max-frame-mismatch 1000 \
  --max-block-error 255 --max-added-structure 1e308 \
  --max-replaced-structure 2 --min-sharpness 0 --min-noise-correlation -1 \
  --sample-interval 1 --json src.ts tampered.ts
expect_json verdict pass "tampered with the quality checks off"

echo "PASS"

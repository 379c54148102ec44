#!/usr/bin/env bash
# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Score distributions of lpverify on honest and tampered renditions.
#
#   bash bench/verify-scores.sh                # both sets
#   SET=synthetic bash bench/verify-scores.sh  # 640x360 generators
#   SET=camera bash bench/verify-scores.sh     # 1280x720 photographs
#   SET=synthetic SRC=1280x720 bash bench/verify-scores.sh  # synthetic + P720p
#   SUMMARY_ONLY=1 [SET=...] bash bench/verify-scores.sh  # tables of $OUT_TSV
#   ONLY_CONTENTS='wood.*|lowlight' KINDS='honest.*|text' bash bench/verify-scores.sh
#       # only the contents and kinds these extended regular expressions
#       # match whole (a partial run: its summary covers those cases only)
# (runtimes on a shared 2-core VM: docs/verify.md)
#
# Builds test sets of 30 fps raw sources (2 s synthetic, 1 s camera) and
# encodes each at the
# Livepeer preset sizes and bitrates with x264enc speed-preset=veryfast,
# honestly (at the preset bitrate and at half of it) and tampered. The
# synthetic set: videotestsrc patterns and ffmpeg lavfi sources (when
# ffmpeg is installed) at $SRC (640x360). The camera set (needs ffmpeg and
# the photographs of Debian's mate-backgrounds): 1280x720 pans, zooms and a
# scene cut over real photographs, with film grain or sensor noise of
# several strengths and a low-light clip, with P720p among the renditions.
# lpverify runs with sample-interval=1 and every threshold off,
# so every frame is scored and nothing fails. One line per case; the verdict
# column is what the DEFAULT thresholds (min-psnr 25 and min-ssim 0.90 on
# the structure scores,
# max-frame-mismatch 2, max-block-error 16, max-added-structure 3.5,
# max-replaced-structure 0.4, min-sharpness 0.7 (on the
# higher of the full-resolution and structure-plane sharpness where the
# reference's noise gives over 55 % of its gradient energy),
# min-noise-correlation 0.1; for a noise-like reference the coarse
# correlation, the detail correlation against 0.4 of the coarse one,
# twice max-block-error, the added structure and 20 % of the frames as
# mismatch allowance)
# would say, computed from the scores. SAMPLE_INTERVAL=N scores every Nth
# frame instead (lpverify's default is 10). A summary per set and kind
# (min/median/max), the false positives and negatives per content and the
# thinnest margins follow. The table is also written to
# bench/out/verify-scores.tsv (or $OUT_TSV).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
SET=${SET:-all}
SRC=${SRC:-640x360}
PHOTOS=${PHOTOS:-/usr/share/backgrounds/mate/nature}
OUT_TSV=${OUT_TSV:-$ROOT/bench/out/verify-scores.tsv}
MIN_PSNR=25
MIN_SSIM=0.90
MAX_MISMATCH=2
SAMPLE_INTERVAL=${SAMPLE_INTERVAL:-1}
MAX_BLOCK_ERROR=16
MIN_SHARPNESS=0.7
MIN_NOISE_CORR=0.1
NOISE_DETAIL_SHARE=0.4
MAX_ADDED=3.5
MAX_REPLACED=0.4
NOISE_DOMINANT=0.55

[ -f "$BUILD/gst/verify/libgstlpverify.so" ] || ninja -C "$BUILD" >&2
export GST_PLUGIN_PATH=$BUILD/gst/verify${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}
gst-inspect-1.0 lpverify >/dev/null

WORK=$(mktemp -d /tmp/verify-scores.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$(dirname "$OUT_TSV")"

HAVE_FFMPEG=0
command -v ffmpeg >/dev/null && HAVE_FFMPEG=1
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
[ -f "$FONT" ] && FONTOPT="fontfile=$FONT:" || FONTOPT=""
Q="queue max-size-buffers=0 max-size-bytes=0 max-size-time=0"

# set_size WxH: the source size of the set being built (SW, SH, FS) and
# its renditions: name width height kbit/s (P720p only from a 720p source)
set_size () {
  SW=${1%x*}
  SH=${1#*x}
  FS=$((SW * SH * 3 / 2))          # bytes per I420 frame
  RENDITIONS=()
  [ "$SH" -ge 720 ] && RENDITIONS+=("P720p 1280 720 4000")
  RENDITIONS+=("P360p 640 360 1200" "P240p 426 240 600" "P144p 256 144 400")
}

# --- sources: N + 30 frames each (N = 60 for the synthetic set, 30 for the
# camera set, whose 720p cases cost the most), so a 1 s shift has frames
# to take
gst_src () {    # name, videotestsrc arguments
  gst-launch-1.0 -q videotestsrc num-buffers=$((N + 30)) $2 ! \
      video/x-raw,format=I420,width=$SW,height=$SH,framerate=30/1 ! \
      filesink location="$WORK/$1.src"
}
ff_src () {     # name, lavfi graph
  ffmpeg -loglevel error -y -f lavfi -i "$2" -frames:v $((N + 30)) -pix_fmt yuv420p \
      -f rawvideo "$WORK/$1.src"
}
# photo_src name photo frames filter: a photograph panned or zoomed by the
# filter (which gets it looped at 30 fps and must give SW x SH), then grain
photo_src () {
  ffmpeg -loglevel error -y -loop 1 -framerate 30 -i "$PHOTOS/$2.jpg" \
      -vf "$4,format=yuv420p" -frames:v "$3" -f rawvideo "$1"
}
# pan photo x0 y0 dx dy: crop SW x SH from the photo scaled to 1.25 SW
# wide, moving dx, dy pixels a second
pan () {
  echo "scale=$((SW * 5 / 4)):-2,crop=$SW:$SH:x='$2+t*$4':y='$3+t*$5'"
}

# derived files: .ref frames 0..N-1 (the source), .shift frames 30..N+29
# (1 s later, stamped from 0), .frozen the first half of .ref then its
# last frame repeated (N/2 frozen frames), .logo
# the source with a 'logo' (box + text, ~4 % of the picture) in a corner,
# .text a caption (a time of day, white with a black border, no box:
# ~14 % of the width, 8 % of the height, a quarter of the logo box's area),
# .hflip the source mirrored
derive () {
  local c
  for c in "${CONTENTS[@]}"; do
    head -c $((N * FS)) "$WORK/$c.src" > "$WORK/$c.ref"
    tail -c $((N * FS)) "$WORK/$c.src" > "$WORK/$c.shift"
    { head -c $((N / 2 * FS)) "$WORK/$c.src"
      for _ in $(seq $((N / 2))); do
        dd if="$WORK/$c.src" bs=$FS skip=$((N / 2 - 1)) count=1 status=none
      done; } > "$WORK/$c.frozen"
    rm -f "$WORK/$c.src"
    [ $HAVE_FFMPEG = 1 ] || continue
    ff_filter "$c" logo "drawbox=x=iw/40:y=ih/20:w=iw/4:h=ih/6:color=black@0.6:t=fill,drawtext=${FONTOPT}text='LOGO':fontsize=$((SH / 10)):fontcolor=yellow:x=w/40+w/30:y=h/20+h/60"
    ff_filter "$c" text "drawtext=${FONTOPT}text='21\:07':fontsize=$((SH / 12)):fontcolor=white:borderw=2:bordercolor=black:x=w-tw-w/30:y=h-th-h/20"
    ff_filter "$c" hflip hflip
  done
}
ff_filter () {  # content, suffix, filter: $c.ref through the filter
  ffmpeg -loglevel error -y -f rawvideo -pix_fmt yuv420p -s ${SW}x${SH} \
      -r 30 -i "$WORK/$1.ref" -vf "$3" -f rawvideo "$WORK/$1.$2"
}

raw () {        # file -> raw video source fragment
  echo "filesrc location=$1 ! rawvideoparse width=$SW height=$SH format=i420 framerate=30/1"
}

field () {      # field name, normalised message line ("nan" when absent:
                # lpverify measures the correlations for noise-like
                # references only)
  local v
  v=$(echo "$2" | grep -o " $1=([a-z0-9]*)[^,;]*" | head -1 | sed 's/.*)//') || true
  echo "${v:-nan}"
}

# run_lpverify rendition-file pre-filter w h kbit/s post-filter: the final
# lpverify-result line, backslashes removed (empty on a failed run)
run_lpverify () {
  gst-launch-1.0 -m lpverify name=v sample-interval=$SAMPLE_INTERVAL min-psnr=0 \
      min-ssim=0 max-frame-mismatch=1000000 max-block-error=255 \
      min-sharpness=0 min-noise-correlation=-1 max-added-structure=1e300 \
      max-replaced-structure=2 ! fakesink \
      $(raw "$WORK/$c.ref") ! $Q ! v.reference \
      $(raw "$1") ! $Q ! $2 videoscale ! \
      video/x-raw,width=$3,height=$4 ! $6 \
      x264enc bitrate=$5 speed-preset=veryfast ! avdec_h264 ! v.sink_0 \
      2>&1 | grep -a 'lpverify-result' | grep -a 'final=(boolean)true' \
      | tail -1 | tr -d '\\' || true
}

# run_case set content rendition kind rendition-file [filter before the
# scaler] [bitrate divisor] [filter after the scaler]
run_case () {
  local set=$1 c=$2 rname=$3 kind=$4 file=$5 filter=${6:-} div=${7:-1} post=${8:-}
  local w h kb line
  [[ $kind =~ ^(${KINDS:-.*})$ ]] || return 0
  read -r _ w h kb <<< "$(printf '%s\n' "${RENDITIONS[@]}" | grep "^$rname ")"
  kb=$((kb / div))
  line=$(run_lpverify "$file" "$filter" "$w" "$h" "$kb" "$post")
  # a gst-launch that found the registry being rewritten by another: once more
  [ -n "$line" ] || line=$(run_lpverify "$file" "$filter" "$w" "$h" "$kb" "$post")
  if [ -z "$line" ]; then
    printf '%s\t%s\t%s\t-\t-\t-\t-\t-\t-\t-\t-\t-\terror\t-\t-\t-\t-\t-\t-\t%s\t-\t-\t-\t-\n' \
        "$c" "$rname" "$kind" "$set" | tee -a "$OUT_TSV"
    return
  fi
  local pm pp sm sp un du dr fr mi verdict be sh ac cc dc nl spp ssm ssp ns
  pm=$(field psnr-y-mean "$line"); pp=$(field psnr-y-p5 "$line")
  sm=$(field ssim-y-mean "$line"); sp=$(field ssim-y-p5 "$line")
  un=$(field unmatched "$line"); du=$(field duplicated "$line")
  dr=$(field dropped "$line"); fr=$(field frozen "$line")
  mi=$(field mismatched "$line")
  be=$(field block-error-p95 "$line"); sh=$(field sharpness-mean "$line")
  ac=$(field reference-autocorr-mean "$line")
  cc=$(field coarse-corr-mean "$line"); dc=$(field detail-corr-mean "$line")
  nl=$(echo "$line" | grep -o ' noise-like=(boolean)[a-z]*' | head -1 | sed 's/.*)//')
  spp=$(field structure-psnr-y-p5 "$line")
  ssm=$(field structure-ssim-y-mean "$line"); ssp=$(field structure-ssim-y-p5 "$line")
  ns=$(field noise-mean "$line")
  local ad rp
  ad=$(field added-structure-mean "$line")
  rp=$(field replaced-structure-mean "$line")
  local ssh nsh jsh
  ssh=$(field structure-sharpness "$line"); nsh=$(field noise-share-mean "$line")
  # the sharpness the verdict judges
  jsh=$(awk -v a="$sh" -v b="$ssh" -v s="$nsh" -v d=$NOISE_DOMINANT \
      'BEGIN { print (s > d && b > a) ? b : a }')
  verdict=$(awk -v pp="$spp" -v sp="$ssp" -v mi="$mi" -v a=$MIN_PSNR \
      -v b=$MIN_SSIM -v m=$MAX_MISMATCH -v be="$be" -v sh="$jsh" -v cc="$cc" \
      -v dc="$dc" -v nl="$nl" -v mbe=$MAX_BLOCK_ERROR -v msh=$MIN_SHARPNESS \
      -v mnc=$MIN_NOISE_CORR -v nds=$NOISE_DETAIL_SHARE -v n=$N -v ad="$ad" -v rp="$rp" \
      -v mad=$MAX_ADDED -v mrp=$MAX_REPLACED 'BEGIN {
        r = "";
        if (nl == "true") {
          if (mi > (m > int(0.2 * n) ? m : int(0.2 * n))) r = r "frames,";
          if (cc < mnc || dc < nds * cc) r = r "noise-correlation,";
          if (be > 2 * mbe) r = r "block-error,";
          if (ad > mad) r = r "added-structure,";
        } else {
          if (mi > m) r = r "frames,";
          if (pp < a) r = r "psnr,"; if (sp < b) r = r "ssim,";
          if (be > mbe) r = r "block-error,";
          if (ad > mad) r = r "added-structure,";
          if (rp > mrp) r = r "replaced-structure,";
          if (sh < msh) r = r "sharpness,";
        }
        if (r == "") print "pass"; else print "fail(" substr(r, 1, length(r) - 1) ")" }')
  printf '%s\t%s\t%s\t%.2f\t%.2f\t%.4f\t%.4f\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f\t%.3f\t%.3f\t%.3f\t%.3f\t%s\t%s\t%.2f\t%.4f\t%.4f\t%.2f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\n' \
      "$c" "$rname@${w}x${h}/${kb}k" "$kind" "$pm" "$pp" "$sm" "$sp" \
      "$mi" "$un" "$du" "$dr" "$fr" "$verdict" "$be" "$sh" "$ac" "$cc" "$dc" \
      "$nl" "$set" "$spp" "$ssm" "$ssp" "$ns" "$ssh" "$nsh" "$jsh" "$ad" "$rp" >> "$OUT_TSV"
  printf '%-12s %-22s %-13s %7.2f %7.2f %7.4f %7.4f %5s (%s/%s/%s/%s) %6.2f %6.3f %6.3f %6.3f %6.3f %7.2f %7.4f %5.2f %s\n' \
      "$c" "$rname@${w}x${h}/${kb}k" "$kind" "$pm" "$pp" "$sm" "$sp" \
      "$mi" "$un" "$du" "$dr" "$fr" "$be" "$sh" "$ac" "$cc" "$dc" "$spp" \
      "$ssp" "$ns" "$verdict"
}

pick_other () {  # another content of the same set
  local c=$1 i
  case $2 in
    pattern)
      case $c in smpte) echo ball ;; ball) echo zoneplate ;;
        zoneplate) echo snow ;; *) echo smpte ;; esac ;;
    source)
      if [ $HAVE_FFMPEG = 1 ]; then
        [ "$c" = testsrc2 ] && echo mandelbrot || echo testsrc2
      else
        [ "$c" = ball ] && echo smpte || echo ball
      fi ;;
    camera)   # the next one in the list
      for i in "${!CONTENTS[@]}"; do
        if [ "${CONTENTS[$i]}" = "$c" ]; then
          echo "${CONTENTS[$(((i + 1) % ${#CONTENTS[@]}))]}"
        fi
      done ;;
  esac
}

# run_set name: every kind for every content and rendition of the set
run_set () {
  local set=$1 c r rn other
  for c in "${CONTENTS[@]}"; do
    [[ $c =~ ^(${ONLY_CONTENTS:-.*})$ ]] || continue
    for r in "${RENDITIONS[@]}"; do
      rn=${r%% *}
      read -r _ w h _ <<< "$r"
      run_case $set "$c" "$rn" honest "$WORK/$c.ref"
      run_case $set "$c" "$rn" honest-half "$WORK/$c.ref" "" 2
      if [ $HAVE_FFMPEG = 1 ]; then
        run_case $set "$c" "$rn" logo "$WORK/$c.logo"
        run_case $set "$c" "$rn" text "$WORK/$c.text"
        run_case $set "$c" "$rn" hflip "$WORK/$c.hflip"
      fi
      if [ $set = synthetic ]; then
        run_case $set "$c" "$rn" other-pattern "$WORK/$(pick_other "$c" pattern).ref"
        other=$(pick_other "$c" source)
      else
        other=$(pick_other "$c" camera)
      fi
      run_case $set "$c" "$rn" other-source "$WORK/$other.ref"
      run_case $set "$c" "$rn" frozen-half "$WORK/$c.frozen"
      run_case $set "$c" "$rn" shift-1s "$WORK/$c.shift"
      run_case $set "$c" "$rn" drop-20fps "$WORK/$c.ref" \
          "videorate ! video/x-raw,framerate=20/1 ! videorate ! video/x-raw,framerate=30/1 !"
      run_case $set "$c" "$rn" lowres-160x90 "$WORK/$c.ref" \
          "videoscale ! video/x-raw,width=160,height=90 ! videoscale ! video/x-raw,width=$SW,height=$SH !"
      # blur: a Gaussian of sigma 2 rendition pixels, after the scaler
      run_case $set "$c" "$rn" blur "$WORK/$c.ref" "" 1 \
          "videoconvert ! gaussianblur sigma=2 ! videoconvert ! video/x-raw,format=I420 !"
    done
  done
}

if [ -n "${SUMMARY_ONLY:-}" ]; then :; else
printf 'content\trendition\tkind\tpsnr_y_mean\tpsnr_y_p5\tssim_y_mean\tssim_y_p5\tmismatched\tunmatched\tduplicated\tdropped\tfrozen\tdefault_verdict\tblock_error_p95\tsharpness_mean\tref_autocorr_mean\tcoarse_corr_mean\tdetail_corr_mean\tnoise_like\tset\tstructure_psnr_y_p5\tstructure_ssim_y_mean\tstructure_ssim_y_p5\tnoise_mean\tstructure_sharpness\tnoise_share_mean\tjudged_sharpness\tadded_structure_mean\treplaced_structure_mean\n' > "$OUT_TSV"
printf '%-12s %-22s %-13s %7s %7s %7s %7s %5s %-11s %6s %6s %6s %6s %6s %7s %7s %5s %s\n' content rendition kind \
    psnrY psnrYp5 ssimY ssimYp5 mism "(un/du/dr/fr)" blkp95 sharp acorr ccorr dcorr sPSNRp5 sSSIMp5 noise "default verdict"
T0=$(date +%s)

# --- the synthetic set ---------------------------------------------------
if [ "$SET" != camera ]; then
  set_size "$SRC"
  N=60
  CONTENTS=(smpte ball zoneplate snow)
  echo "# generating synthetic sources (${SW}x${SH}, $((N + 30)) frames each) in $WORK" >&2
  gst_src smpte "pattern=smpte horizontal-speed=4"
  gst_src ball "pattern=ball"
  gst_src zoneplate "pattern=zone-plate kx2=20 ky2=20 kt=1"
  gst_src snow "pattern=snow"
  if [ $HAVE_FFMPEG = 1 ]; then
    CONTENTS+=(clock testsrc2 mandelbrot)
    ff_src clock "color=c=0x203060:size=${SW}x${SH}:rate=30,drawtext=${FONTOPT}text='%{pts\:hms}':fontsize=$((SH / 6)):fontcolor=white:x=(w-tw)/2:y=(h-th)/2"
    ff_src testsrc2 "testsrc2=size=${SW}x${SH}:rate=30"
    ff_src mandelbrot "mandelbrot=size=${SW}x${SH}:rate=30"
  else
    echo "# ffmpeg not found: no clock, testsrc2, mandelbrot contents, no logo, text, hflip case" >&2
  fi
  derive
  run_set synthetic
  rm -f "$WORK"/*
fi

# --- the camera set: photographs, 1280x720 -------------------------------
if [ "$SET" != synthetic ]; then
  # the photographs come from Debian's mate-backgrounds: installed here
  # when missing (as root), not by scripts/setup-debian.sh (no test
  # needs them)
  if [ ! -f "$PHOTOS/Dune.jpg" ] && [ "$PHOTOS" = /usr/share/backgrounds/mate/nature ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "# installing mate-backgrounds (the camera set's photographs)" >&2
      apt-get install -y mate-backgrounds >&2 || { apt-get update >&2 && apt-get install -y mate-backgrounds >&2; }
    else
      echo "error: the camera set needs the Debian package mate-backgrounds" \
          "(apt-get install mate-backgrounds, as root), or PHOTOS=DIR with its" \
          "nature photographs; SET=synthetic runs without it" >&2
      exit 1
    fi
  fi
  [ -f "$PHOTOS/Dune.jpg" ] || { echo "error: no $PHOTOS/Dune.jpg" >&2; exit 1; }
  if [ $HAVE_FFMPEG = 0 ]; then
    echo "# no ffmpeg: no camera set" >&2
  else
    set_size 1280x720
    N=30
    echo "# generating camera sources (${SW}x${SH}, $((N + 30)) frames each) in $WORK" >&2
    # grain: ffmpeg noise, Gaussian, new every frame; alls=4/8/12 give a
    # standard deviation of about 2.5/5/7.5 levels on Y, U and V; c0s on
    # Y only (sensor noise), c0s=10 about 6, c0s=16 about 10 levels
    photo_src "$WORK/dune-g4.src" Dune $((N + 30)) "$(pan Dune 0 40 90 10),noise=alls=4:allf=t"
    photo_src "$WORK/wood-zoom-g8.src" Wood $((N + 30)) \
        "scale=1920:-2,zoompan=z='1+0.003*on':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=1:s=${SW}x${SH}:fps=30,noise=alls=8:allf=t"
    photo_src "$WORK/garden-g12.src" Garden $((N + 30)) "$(pan Garden 300 150 -80 -40),noise=alls=12:allf=t"
    photo_src "$WORK/drops-luma10.src" RainDrops $((N + 30)) "$(pan RainDrops 0 0 60 30),noise=c0s=10:c0f=t"
    # a scene cut at frame 20 of the reference (frames 0-29); the 1 s
    # shift (frames 30-59) is all of the second scene
    photo_src "$WORK/cut-a" Storm 20 "$(pan Storm 0 60 50 0),noise=alls=8:allf=t"
    photo_src "$WORK/cut-b" Blinds 40 "$(pan Blinds 100 50 -60 20),noise=alls=8:allf=t"
    cat "$WORK/cut-a" "$WORK/cut-b" > "$WORK/cut-g8.src"
    rm -f "$WORK/cut-a" "$WORK/cut-b"
    # low light: a third of the brightness, high-ISO luma and chroma noise
    photo_src "$WORK/lowlight.src" Dune $((N + 30)) \
        "$(pan Dune 200 0 -70 20),lutyuv=y='16+(val-16)*0.33',noise=c0s=16:c1s=6:c2s=6:allf=t"
    CONTENTS=(dune-g4 wood-zoom-g8 garden-g12 drops-luma10 cut-g8 lowlight)
    derive
    run_set camera
  fi
fi
echo "# $(($(date +%s) - T0)) s for the cases; table in $OUT_TSV" >&2
fi

# --- summary: per set and kind, min / median / max of each score ---------
# sel: awk condition on a TSV row for set $2, kind $3 (honest* for both
# honest kinds) and content filter $4 ("" any, "x" only x, "!x" all but x)
sel () {
  echo "NR > 1 && \$20 == \"$1\" && (\"$2\" == \"honest*\" ? \$3 ~ /^honest/ : \$3 == \"$2\") && (\"$3\" == \"\" || (substr(\"$3\", 1, 1) == \"!\" ? \$1 != substr(\"$3\", 2) : \$1 == \"$3\"))"
}
stat3 () {      # column, set, kind, content filter: min / median / max
  awk -F'\t' "$(sel "$2" "$3" "$4") && \$4 != \"-\" && \$$1 != \"nan\" { print \$$1 }" \
      "$OUT_TSV" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "-"; exit }
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
        printf "%g / %g / %g\n", v[1], m, v[NR] }'
}
summary_row () {  # label set kind [content filter]
  local n fails c
  n=$(awk -F'\t' "$(sel "$2" "$3" "${4:-}")" "$OUT_TSV" | wc -l)
  [ "$n" -gt 0 ] || return 0
  fails=$(awk -F'\t' "$(sel "$2" "$3" "${4:-}") && \$13 != \"pass\"" "$OUT_TSV" | wc -l)
  printf '| %s' "$1"
  for c in 21 23 7 8 14 28 29 27 26 24; do printf ' | %s' "$(stat3 $c "$2" "$3" "${4:-}")"; done
  printf ' | %s/%s |\n' "$fails" "$n"
}
summary_set () {  # set
  local k
  [ "$(awk -F'\t' -v s="$1" 'NR > 1 && $20 == s' "$OUT_TSV" | wc -l)" -gt 0 ] || return 0
  echo
  echo "Set $1 (min / median / max over contents x renditions; fails = default thresholds)"
  echo
  echo "| kind | structure PSNR-Y p5 dB | structure SSIM-Y p5 | SSIM-Y p5 (full res.) | mismatched | block error p95 | added structure | replaced structure | sharpness (judged) | noise share | noise | fails |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  summary_row "honest, preset bitrate" "$1" honest
  summary_row "honest, half bitrate" "$1" honest-half
  if [ "$1" = synthetic ]; then
    summary_row "honest (both), without snow" "$1" "honest*" '!snow'
    summary_row "honest (both), snow" "$1" "honest*" snow
  else
    for c in $(awk -F'\t' -v s="$1" 'NR > 1 && $20 == s { print $1 }' "$OUT_TSV" | uniq); do
      summary_row "honest (both), $c" "$1" "honest*" "$c"
    done
  fi
  for k in logo text hflip other-pattern other-source frozen-half shift-1s \
      drop-20fps lowres-160x90 blur; do
    summary_row "$k" "$1" "$k"
  done
  echo
  echo "False positives (honest failed) / false negatives (tampered passed) per content:"
  echo
  echo "| content | honest failed | tampered passed |"
  echo "| --- | --- | --- |"
  awk -F'\t' -v s="$1" 'NR > 1 && $20 == s {
      if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
      if ($3 ~ /^honest/) { h[$1]++; if ($13 != "pass") hf[$1]++ }
      else { t[$1]++; if ($13 == "pass") tp[$1]++ } }
      END { for (i = 1; i <= n; i++) { c = order[i];
        printf "| %s | %d/%d | %d/%d |\n", c, hf[c], h[c], tp[c], t[c] } }' "$OUT_TSV"
  echo
  echo "Thinnest honest margins (the worst honest case of each judged score):"
  awk -F'\t' -v s="$1" 'NR > 1 && $20 == s && $3 ~ /^honest/ && $4 != "-" && $19 != "true" {
      id = $1 " " $2 " " $3
      if (!np || $21 < mp) { mp = $21; ip = id; np = 1 }
      if (!ns || $23 < ms) { ms = $23; is = id; ns = 1 }
      if (!nb || $14 > mb) { mb = $14; ib = id; nb = 1 }
      if (!nh || $27 < mh) { mh = $27; ih = id; nh = 1 }
      if (!nm || $8 > mm) { mm = $8; im = id; nm = 1 }
      if (!na || $28 > ma) { ma = $28; ia = id; na = 1 }
      if (!nr || $29 > mr) { mr = $29; ir = id; nr = 1 } }
      END { printf "  structure PSNR-Y p5 %s (%s)\n  structure SSIM-Y p5 %s (%s)\n  block error p95 %s (%s)\n  added structure %s (%s)\n  replaced structure %s (%s)\n  sharpness %s (%s)\n  mismatched %s (%s)\n", mp, ip, ms, is, mb, ib, ma, ia, mr, ir, mh, ih, mm, im }' "$OUT_TSV"
  echo "Tampered cases closest to passing, per kind (by the score that fails them):"
  awk -F'\t' -v s="$1" 'NR > 1 && $20 == s && $3 !~ /^honest/ && $4 != "-" {
      print $3 "\t" $1 " " $2 "\t" $13 }' "$OUT_TSV" | sort | awk -F'\t' '{
      n = split($3, r, ","); if (!($1 in best) || n < bn[$1]) { best[$1] = $2 " " $3; bn[$1] = n } }
      END { for (k in best) printf "  %s: %s\n", k, best[k] }' | sort
}
if [ "$SET" != camera ]; then summary_set synthetic; fi
if [ "$SET" != synthetic ]; then summary_set camera; fi

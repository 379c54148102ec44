#!/usr/bin/env bash
# Score distributions of lpverify on honest and tampered renditions.
#
#   bash bench/verify-scores.sh            # 640x360 source, ~2 min on 2 cores
#   SRC=1280x720 bash bench/verify-scores.sh   # adds P720p; ~15 min
#
# Builds a test set of 2 s, 30 fps raw sources (videotestsrc patterns, and
# ffmpeg lavfi sources when ffmpeg is installed), encodes each at the Livepeer
# preset sizes and bitrates with x264enc speed-preset=veryfast, honestly and
# tampered, and runs lpverify with sample-interval=1 and every threshold off,
# so every frame is scored and nothing fails. One line per case; the verdict
# column is what the DEFAULT thresholds (min-psnr 25, min-ssim 0.90,
# max-frame-mismatch 2, max-block-error 16, min-sharpness 0.7,
# min-noise-correlation 0.2; for a noise-like reference the correlations,
# twice max-block-error and 20 % of the frames as mismatch allowance)
# would say, computed from the scores. SAMPLE_INTERVAL=N scores every Nth
# frame instead (lpverify's default is 10). A summary per
# kind (min/median/max) follows. The table is also written to
# bench/out/verify-scores.tsv (or $OUT_TSV).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
SRC=${SRC:-640x360}
SW=${SRC%x*}
SH=${SRC#*x}
OUT_TSV=${OUT_TSV:-$ROOT/bench/out/verify-scores.tsv}
MIN_PSNR=25
MIN_SSIM=0.90
MAX_MISMATCH=2
SAMPLE_INTERVAL=${SAMPLE_INTERVAL:-1}
MAX_BLOCK_ERROR=16
MIN_SHARPNESS=0.7
MIN_NOISE_CORR=0.2

[ -f "$BUILD/gst/verify/libgstlpverify.so" ] || ninja -C "$BUILD" >&2
export GST_PLUGIN_PATH=$BUILD/gst/verify${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}
gst-inspect-1.0 lpverify >/dev/null

WORK=$(mktemp -d /tmp/verify-scores.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$(dirname "$OUT_TSV")"

FS=$((SW * SH * 3 / 2))          # bytes per I420 frame
HAVE_FFMPEG=0
command -v ffmpeg >/dev/null && HAVE_FFMPEG=1
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
[ -f "$FONT" ] && FONTOPT="fontfile=$FONT:" || FONTOPT=""

# Renditions: name width height kbit/s (P720p only from a 720p or larger source)
RENDITIONS=()
[ "$SH" -ge 720 ] && RENDITIONS+=("P720p 1280 720 4000")
RENDITIONS+=("P360p 640 360 1200" "P240p 426 240 600" "P144p 256 144 400")

# --- sources: 3 s (90 frames) each, so a 1 s shift has frames to take ----
gst_src () {    # name, videotestsrc arguments
  gst-launch-1.0 -q videotestsrc num-buffers=90 $2 ! \
      video/x-raw,format=I420,width=$SW,height=$SH,framerate=30/1 ! \
      filesink location="$WORK/$1.src"
}
ff_src () {     # name, lavfi graph
  ffmpeg -loglevel error -y -f lavfi -i "$2" -frames:v 90 -pix_fmt yuv420p \
      -f rawvideo "$WORK/$1.src"
}

CONTENTS=(smpte ball zoneplate snow)
echo "# generating sources (${SW}x${SH}, 90 frames each) in $WORK" >&2
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
  echo "# ffmpeg not found: no clock, testsrc2, mandelbrot contents, no logo case" >&2
fi

# derived files: .ref frames 0-59 (the source), .shift frames 30-89 (1 s
# later, stamped from 0), .frozen frames 0-29 then frame 29 30 times, .logo
# the source with a 'logo' (box + text, ~4 % of the picture) in a corner
for c in "${CONTENTS[@]}"; do
  head -c $((60 * FS)) "$WORK/$c.src" > "$WORK/$c.ref"
  tail -c $((60 * FS)) "$WORK/$c.src" > "$WORK/$c.shift"
  { head -c $((30 * FS)) "$WORK/$c.src"
    for _ in $(seq 30); do
      dd if="$WORK/$c.src" bs=$FS skip=29 count=1 status=none
    done; } > "$WORK/$c.frozen"
  rm -f "$WORK/$c.src"
  if [ $HAVE_FFMPEG = 1 ]; then
    ffmpeg -loglevel error -y -f rawvideo -pix_fmt yuv420p -s ${SW}x${SH} \
        -r 30 -i "$WORK/$c.ref" -vf "drawbox=x=iw/40:y=ih/20:w=iw/4:h=ih/6:color=black@0.6:t=fill,drawtext=${FONTOPT}text='LOGO':fontsize=$((SH / 10)):fontcolor=yellow:x=w/40+w/30:y=h/20+h/60" \
        -f rawvideo "$WORK/$c.logo"
  fi
done

raw () {        # file -> raw video source fragment
  echo "filesrc location=$1 ! rawvideoparse width=$SW height=$SH format=i420 framerate=30/1"
}
Q="queue max-size-buffers=0 max-size-bytes=0 max-size-time=0"

field () {      # field name, normalised message line ("nan" when absent:
                # lpverify measures the correlations for noise-like
                # references only)
  local v
  v=$(echo "$2" | grep -o " $1=([a-z0-9]*)[^,;]*" | head -1 | sed 's/.*)//') || true
  echo "${v:-nan}"
}

# run_case content rendition kind rendition-file [filter before the scaler]
run_case () {
  local c=$1 rname=$2 kind=$3 file=$4 filter=${5:-}
  local w h kb line
  read -r _ w h kb <<< "$(printf '%s\n' "${RENDITIONS[@]}" | grep "^$rname ")"
  line=$(gst-launch-1.0 -m lpverify name=v sample-interval=$SAMPLE_INTERVAL min-psnr=0 \
      min-ssim=0 max-frame-mismatch=1000000 max-block-error=255 \
      min-sharpness=0 min-noise-correlation=-1 ! fakesink \
      $(raw "$WORK/$c.ref") ! $Q ! v.reference \
      $(raw "$file") ! $Q ! $filter videoscale ! \
      video/x-raw,width=$w,height=$h ! \
      x264enc bitrate=$kb speed-preset=veryfast ! avdec_h264 ! v.sink_0 \
      2>&1 | grep -a 'lpverify-result' | grep -a 'final=(boolean)true' \
      | tail -1 | tr -d '\\') || true
  if [ -z "$line" ]; then
    printf '%s\t%s\t%s\t-\t-\t-\t-\t-\t-\t-\t-\t-\terror\t-\t-\t-\t-\t-\t-\n' \
        "$c" "$rname" "$kind" | tee -a "$OUT_TSV"
    return
  fi
  local pm pp sm sp un du dr fr mi verdict be sh ac cc dc nl
  pm=$(field psnr-y-mean "$line"); pp=$(field psnr-y-p5 "$line")
  sm=$(field ssim-y-mean "$line"); sp=$(field ssim-y-p5 "$line")
  un=$(field unmatched "$line"); du=$(field duplicated "$line")
  dr=$(field dropped "$line"); fr=$(field frozen "$line")
  mi=$(field mismatched "$line")
  be=$(field block-error-p95 "$line"); sh=$(field sharpness-mean "$line")
  ac=$(field reference-autocorr-mean "$line")
  cc=$(field coarse-corr-mean "$line"); dc=$(field detail-corr-mean "$line")
  nl=$(echo "$line" | grep -o ' noise-like=(boolean)[a-z]*' | head -1 | sed 's/.*)//')
  verdict=$(awk -v pp="$pp" -v sp="$sp" -v mi="$mi" -v a=$MIN_PSNR \
      -v b=$MIN_SSIM -v m=$MAX_MISMATCH -v be="$be" -v sh="$sh" -v cc="$cc" \
      -v dc="$dc" -v nl="$nl" -v mbe=$MAX_BLOCK_ERROR -v msh=$MIN_SHARPNESS \
      -v mnc=$MIN_NOISE_CORR -v n=60 'BEGIN {
        r = "";
        if (nl == "true") {
          if (mi > (m > int(0.2 * n) ? m : int(0.2 * n))) r = r "frames,";
          if (cc < mnc || dc < mnc) r = r "noise-correlation,";
          if (be > 2 * mbe) r = r "block-error,";
        } else {
          if (mi > m) r = r "frames,";
          if (pp < a) r = r "psnr,"; if (sp < b) r = r "ssim,";
          if (be > mbe) r = r "block-error,"; if (sh < msh) r = r "sharpness,";
        }
        if (r == "") print "pass"; else print "fail(" substr(r, 1, length(r) - 1) ")" }')
  printf '%s\t%s\t%s\t%.2f\t%.2f\t%.4f\t%.4f\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f\t%.3f\t%.3f\t%.3f\t%.3f\t%s\n' \
      "$c" "$rname@${w}x${h}/${kb}k" "$kind" "$pm" "$pp" "$sm" "$sp" \
      "$mi" "$un" "$du" "$dr" "$fr" "$verdict" "$be" "$sh" "$ac" "$cc" "$dc" \
      "$nl" >> "$OUT_TSV"
  printf '%-10s %-22s %-13s %7.2f %7.2f %7.4f %7.4f %5s (%s/%s/%s/%s) %6.2f %6.3f %6.3f %6.3f %6.3f %s\n' \
      "$c" "$rname@${w}x${h}/${kb}k" "$kind" "$pm" "$pp" "$sm" "$sp" \
      "$mi" "$un" "$du" "$dr" "$fr" "$be" "$sh" "$ac" "$cc" "$dc" "$verdict"
}

pick_other () {  # another videotestsrc content / another generator's content
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
  esac
}

printf 'content\trendition\tkind\tpsnr_y_mean\tpsnr_y_p5\tssim_y_mean\tssim_y_p5\tmismatched\tunmatched\tduplicated\tdropped\tfrozen\tdefault_verdict\tblock_error_p95\tsharpness_mean\tref_autocorr_mean\tcoarse_corr_mean\tdetail_corr_mean\tnoise_like\n' > "$OUT_TSV"
printf '%-10s %-22s %-13s %7s %7s %7s %7s %5s %-11s %6s %6s %6s %6s %6s %s\n' content rendition kind \
    psnrY psnrYp5 ssimY ssimYp5 mism "(un/du/dr/fr)" blkp95 sharp acorr ccorr dcorr "default verdict"
T0=$(date +%s)
for c in "${CONTENTS[@]}"; do
  for r in "${RENDITIONS[@]}"; do
    rn=${r%% *}
    run_case "$c" "$rn" honest "$WORK/$c.ref"
    [ $HAVE_FFMPEG = 1 ] && run_case "$c" "$rn" logo "$WORK/$c.logo"
    run_case "$c" "$rn" other-pattern "$WORK/$(pick_other "$c" pattern).ref"
    run_case "$c" "$rn" other-source "$WORK/$(pick_other "$c" source).ref"
    run_case "$c" "$rn" frozen-half "$WORK/$c.frozen"
    run_case "$c" "$rn" shift-1s "$WORK/$c.shift"
    run_case "$c" "$rn" drop-20fps "$WORK/$c.ref" \
        "videorate ! video/x-raw,framerate=20/1 ! videorate ! video/x-raw,framerate=30/1 !"
    run_case "$c" "$rn" lowres-160x90 "$WORK/$c.ref" \
        "videoscale ! video/x-raw,width=160,height=90 ! videoscale ! video/x-raw,width=$SW,height=$SH !"
  done
done
echo "# $(($(date +%s) - T0)) s for the cases; table in $OUT_TSV" >&2

# --- summary: per kind, min / median / max of each score ---------------
stat3 () {      # column number, kind [, content filter]: min/median/max
  awk -F'\t' -v k="$2" -v col="$1" -v cf="${3:-}" -v neg="${4:-}" \
      'NR > 1 && $3 == k && $4 != "-" && $col != "nan" && (cf == "" || (neg == "" ? $1 == cf : $1 != cf)) { print $col }' \
      "$OUT_TSV" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "-"; exit }
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
        printf "%g / %g / %g\n", v[1], m, v[NR] }'
}
summary_row () {  # label kind [content [neg]]
  local n fails
  n=$(awk -F'\t' -v k="$2" -v cf="${3:-}" -v neg="${4:-}" 'NR > 1 && $3 == k && (cf == "" || (neg == "" ? $1 == cf : $1 != cf))' "$OUT_TSV" | wc -l)
  fails=$(awk -F'\t' -v k="$2" -v cf="${3:-}" -v neg="${4:-}" 'NR > 1 && $3 == k && (cf == "" || (neg == "" ? $1 == cf : $1 != cf)) && $13 != "pass"' "$OUT_TSV" | wc -l)
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s/%s |\n' "$1" \
      "$(stat3 5 "$2" "${3:-}" "${4:-}")" "$(stat3 4 "$2" "${3:-}" "${4:-}")" \
      "$(stat3 7 "$2" "${3:-}" "${4:-}")" "$(stat3 6 "$2" "${3:-}" "${4:-}")" \
      "$(stat3 8 "$2" "${3:-}" "${4:-}")" "$(stat3 14 "$2" "${3:-}" "${4:-}")" \
      "$(stat3 15 "$2" "${3:-}" "${4:-}")" "$(stat3 17 "$2" "${3:-}" "${4:-}")" \
      "$(stat3 18 "$2" "${3:-}" "${4:-}")" "$fails" "$n"
}
echo
echo "Summary (min / median / max over contents x renditions; fails = default thresholds)"
echo
echo "| kind | PSNR-Y p5 dB | PSNR-Y mean dB | SSIM-Y p5 | SSIM-Y mean | mismatched | block error p95 | sharpness | coarse corr | detail corr | fails |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
summary_row "honest (all)" honest
summary_row "honest, without snow" honest snow neg
summary_row "honest, snow" honest snow
for k in logo other-pattern other-source frozen-half shift-1s drop-20fps lowres-160x90; do
  summary_row "$k" "$k"
done

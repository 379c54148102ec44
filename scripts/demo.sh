#!/usr/bin/env bash
# Installs what is needed, builds, and runs the main demo: a 10 s moving
# test pattern through lptranscodebin into an ABR ladder of MPEG-TS files
# in out/demo/, then one line saying what was produced.
# Usage (as root on Debian 12): bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-debian.sh
bash scripts/build.sh >/dev/null

out="$PWD/out/demo"   # absolute: meson devenv runs in the build dir
rm -rf "$out" && mkdir -p "$out"
profiles=(P720p30fps16x9 P360p30fps16x9 P240p30fps16x9)

launch=(gst-launch-1.0 -m -e
  videotestsrc num-buffers=600 pattern=ball is-live=false
  '!' video/x-raw,width=1280,height=720,framerate=60/1
  '!' lptranscodebin name=t "profiles=$(IFS=,; echo "${profiles[*]}")")
for i in "${!profiles[@]}"; do
  launch+=(t.src_$i '!' h264parse '!' mpegtsmux '!' filesink "location=$out/${profiles[$i]}.ts")
done

log=$(meson devenv -C build "${launch[@]}" 2>&1) || { echo "$log" >&2; exit 1; }
encoder=$(sed -n 's/.*lptranscodebin-encoder, encoder=(string)\([^,]*\),.*/\1/p' <<<"$log" | head -1)

summary=()
for p in "${profiles[@]}"; do
  f="$out/$p.ts"
  info=$(ffprobe -v error -select_streams v:0 -count_frames \
    -show_entries stream=width,height,nb_read_frames,r_frame_rate -of csv=p=0 "$f")
  IFS=, read -r w h rate frames <<<"$info"
  summary+=("$p ${w}x${h} ${rate%/1}fps ${frames} frames $(du -k "$f" | cut -f1) KiB")
done
echo "demo: 10 s of 1280x720@60 -> out/demo/ on ${encoder:-?}: $(IFS=';'; echo "${summary[*]}" | sed 's/;/; /g')"

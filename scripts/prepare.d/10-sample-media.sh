#!/usr/bin/env bash
# Sample media for samples/composer/dubdesk.toml, generated with ffmpeg's lavfi
# test sources into samples/media/ (gitignored): a 60 s 320x180 H.264 video with
# its original AAC audio, and two dub audio files (kk, ru) as .m4a.
# The video is five shots (test patterns) cut at frames 208, 375, 635 and 1090
# (8.32, 15.00, 25.40, 43.60 s); the dubs "speak" (a tone at about -23 LUFS) in
# their language's cue windows. Planted (PLANTED.toml): ru/kk cue 3 starts 8 frames
# before the cut at 8.32 s, cue 7 ends 10 frames before the cut at 25.40 s and cue 8
# starts 2.5 frames after it; the Kazakh dub is silent where cue 12 is.
# Idempotent: files that exist and probe as complete are kept. Takes ~2 s.
set -euo pipefail
cd "$(dirname "$0")/../.."

out=samples/media
mkdir -p "$out"
FFMPEG=${DUBDESK_FFMPEG:-ffmpeg}
FFPROBE=${DUBDESK_FFPROBE:-ffprobe}
SECONDS_LONG=60

# media made by an earlier version of this script (one shot, continuous tones) are replaced
stamp="$out/.sample-media-v2"
if [ ! -f "$stamp" ]; then
  rm -f "$out/composer.mp4" "$out/composer.dub.kk.m4a" "$out/composer.dub.ru.m4a"
fi

ok() {  # a file that exists and lasts the full length
  [ -s "$1" ] || return 1
  local d
  d=$("$FFPROBE" -v error -show_entries format=duration -of csv=p=0 "file:$1" 2>/dev/null || echo 0)
  awk -v d="$d" -v want="$SECONDS_LONG" 'BEGIN { exit !(d + 0 >= want - 0.5) }'
}

make() {  # make OUTPUT ffmpeg-args...: write to a temporary name, then rename (never a half file)
  local target=$1; shift
  if ok "$target"; then return 0; fi
  local tmp="$out/.partial-$(basename "$target")"
  "$FFMPEG" -hide_banner -nostdin -loglevel error -y "$@" "$tmp"
  mv -f "$tmp" "$target"
  echo "  made $target" >&2
}

# The episode: five shots of test patterns, 440 Hz "original dialogue".
v="size=320x180:rate=25"
make "$out/composer.mp4" \
  -f lavfi -i "testsrc2=$v:duration=8.32" -f lavfi -i "smptehdbars=$v:duration=6.68" \
  -f lavfi -i "testsrc=$v:duration=10.4" -f lavfi -i "smptebars=$v:duration=18.2" \
  -f lavfi -i "testsrc2=$v:duration=16.4,negate" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$SECONDS_LONG" \
  -filter_complex "[0:v][1:v][2:v][3:v][4:v]concat=n=5:v=1:a=0,format=yuv420p[v]" -map "[v]" -map 5:a \
  -c:v libx264 -preset veryfast -crf 30 -g 50 -pix_fmt yuv420p \
  -c:a aac -b:a 64k -ac 1 \
  -metadata:s:a:0 language=chi -metadata:s:a:0 handler_name="Original" \
  -movflags +faststart -f mp4

# Dub audio: a tone (different per language, told apart by ear and by hash) in each cue's
# window of that language's draft, at about -23 LUFS (amplitude 0.112, mono).
speech() {  # speech FREQUENCY "start,end start,end ...": an aevalsrc source speaking in those windows
  local gate="" w
  for w in $2; do gate="$gate${gate:+ + }between(t\,${w%,*}\,${w#*,})"; done
  echo "aevalsrc=0.112*sin(2*PI*$1*t)*($gate):s=48000:d=$SECONDS_LONG"
}
ru_cues="1,4 4.5,7.5 8,11 11.5,12.1 15,18 18.5,21.5 22,25 25.5,29.3 29,32 32.5,35.5 36,39 39.5,42.5 43,46 46.5,49.5"
kk_cues="1,4 4.5,7.5 8,11 11.5,14.5 15,18 18.5,21.96 22,25 25.5,28.5 29,32 32.5,35.5 36,39 43,46 46.5,54"  # no cue 12
make "$out/composer.dub.kk.m4a" -f lavfi -i "$(speech 523 "$kk_cues")" -c:a aac -b:a 64k -ac 1 -f ipod
make "$out/composer.dub.ru.m4a" -f lavfi -i "$(speech 587 "$ru_cues")" -c:a aac -b:a 64k -ac 1 -f ipod
touch "$stamp"

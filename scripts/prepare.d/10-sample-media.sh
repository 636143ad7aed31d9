#!/usr/bin/env bash
# Sample media for samples/composer/dubdesk.toml, generated with ffmpeg's lavfi
# test sources into samples/media/ (gitignored): a 60 s 320x180 H.264 video with
# its original AAC audio, and two dub audio files (kk, ru) as .m4a.
# Idempotent: files that exist and probe as complete are kept. Takes ~2 s.
set -euo pipefail
cd "$(dirname "$0")/../.."

out=samples/media
mkdir -p "$out"
FFMPEG=${DUBDESK_FFMPEG:-ffmpeg}
FFPROBE=${DUBDESK_FFPROBE:-ffprobe}
SECONDS_LONG=60

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

# The episode: test pattern with a running timestamp, 440 Hz "original dialogue".
make "$out/composer.mp4" \
  -f lavfi -i "testsrc2=size=320x180:rate=25:duration=$SECONDS_LONG" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$SECONDS_LONG" \
  -c:v libx264 -preset veryfast -crf 30 -g 50 -pix_fmt yuv420p \
  -c:a aac -b:a 64k -ac 1 \
  -metadata:s:a:0 language=chi -metadata:s:a:0 handler_name="Original" \
  -movflags +faststart -f mp4

# Dub audio: different tones so the tracks are told apart by ear and by hash.
make "$out/composer.dub.kk.m4a" \
  -f lavfi -i "sine=frequency=523:sample_rate=48000:duration=$SECONDS_LONG" \
  -c:a aac -b:a 64k -ac 1 -f ipod
make "$out/composer.dub.ru.m4a" \
  -f lavfi -i "sine=frequency=587:sample_rate=48000:duration=$SECONDS_LONG" \
  -c:a aac -b:a 64k -ac 1 -f ipod

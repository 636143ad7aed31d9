#!/usr/bin/env bash
# dubdesk set-up: installs everything the project needs (ffmpeg, Chromium for
# the HTML-report test, a virtual environment with dubdesk and its dev tools),
# prepares the samples (sample video and dub audio, a demo translation model),
# then runs the main job: `dubdesk build` on the samples' episode manifest.
#
#   ./setup.sh                 install, prepare, build the sample delivery
#   ./setup.sh --install-only  install and prepare, build nothing (used by run-tests.sh)
set -euo pipefail
cd "$(dirname "$0")"

run_job=1
[ "${1:-}" = "--install-only" ] && run_job=0

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# 1. System packages: ffmpeg/ffprobe (muxing, probing) and Chromium (HTML report test).
need=()
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  say "installing system packages: ${need[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# 2. Python environment.
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.dubdesk-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  say "installing dubdesk, its static ffprobe (the media extra) and its dev tools into .venv"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/python -m pip install -q -e '.[dev,media]'
  touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"

# 3. Prepare the samples (each step is idempotent).
for step in scripts/prepare.d/*.sh; do
  [ -e "$step" ] || continue
  say "prepare: $(basename "$step")"
  bash "$step"
done

# 4. The main job.
if [ "$run_job" = 1 ]; then
  say "dubdesk build samples/composer/dubdesk.toml"
  dubdesk build samples/composer/dubdesk.toml
fi

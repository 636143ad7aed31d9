#!/usr/bin/env bash
# Demo translation models for the samples (idempotent; the venv's python is on PATH).
#
# Builds small word-for-word CTranslate2 packages (dubdesk.testing.toymodel) from the
# hand-written word lists in samples/models-src/demo_lexicon.toml into samples/models/
# (gitignored) and installs them with `dubdesk models install`. They are DEMO models,
# not real translations: see docs/translate-models.md for installing real ones.
# zh-Hans→kk has no direct demo model on purpose: it goes through the English pivot.
set -euo pipefail
cd "$(dirname "$0")/../.."

lexicon=samples/models-src/demo_lexicon.toml
out=samples/models
mkdir -p "$out"

python - "$lexicon" "$out" <<'PY'
import sys, tomllib
from pathlib import Path
from dubdesk.testing import toymodel

lexicon_path, out = Path(sys.argv[1]), Path(sys.argv[2])
data = tomllib.loads(lexicon_path.read_text("utf-8"))
description = data["meta"]["description"]
for pair in data["meta"]["pairs"]:
    source, target = pair.split(">")
    name = f"demo-{source.split('-')[0]}-{target.split('-')[0]}"
    dest = out / f"{name}.argosmodel"
    if dest.exists() and dest.stat().st_mtime >= lexicon_path.stat().st_mtime:
        continue
    toymodel.build_argos_package(
        dest, source, target, data[source][target],
        description=f"{description} ({source}→{target})",
        # "demo" in metadata.json: `models list` marks it DEMO, routes rank it last
        extra_metadata={"name": name, "demo": True},
    )
    print(f"built {dest}")
PY

home=$(python -c 'from dubdesk.translate.models import models_dir; print(models_dir())')
for pkg in "$out"/demo-*.argosmodel; do
  name=$(basename "$pkg" .argosmodel)
  # the stamp lives in the installed model, so each DUBDESK_HOME is checked on its own
  stamp="$home/$name/.demo-package.sha256"
  sum=$(sha256sum "$pkg" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    continue
  fi
  dubdesk models install --force "$pkg" >/dev/null
  echo "$sum" > "$stamp"
  echo "installed $name (DEMO model)"
done

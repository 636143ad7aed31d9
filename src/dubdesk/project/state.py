"""What each output of a build was made from: file fingerprints and the small state file
(``<output folder>/.dubdesk-state.json``) a build writes and :func:`~dubdesk.project.status` reads."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

from ..files import atomic_write_bytes
from .manifest import Manifest

STATE_VERSION = 1
#: media over this size are fingerprinted by size and mtime: hashing them would be slow
HASH_LIMIT = 64 * 1024 * 1024


def fingerprint(path: Path | None) -> str | None:
    """sha256 of a file (size and mtime for media over 64 MB, which would be slow to hash); None if absent."""
    if path is None or not path.is_file():
        return None
    st = path.stat()
    if st.st_size > HASH_LIMIT:
        return f"size:{st.st_size}:mtime:{st.st_mtime_ns}"
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return "sha256:" + h.hexdigest()


def read_state(manifest: Manifest) -> dict[str, Any]:
    """The state the last build recorded; empty when there is none (or of another version)."""
    try:
        data = json.loads(manifest.state_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == STATE_VERSION else {}


def write_state(manifest: Manifest, state: dict[str, Any]) -> None:
    data = json.dumps(state, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    atomic_write_bytes(manifest.state_path, data)


def built_state(manifest: Manifest, source_fp: str | None, glossary_fp: str | None) -> dict[str, Any]:
    """The state of a delivery just built: every input's and output's fingerprint, per language."""
    m = manifest
    state: dict[str, Any] = {
        "version": STATE_VERSION,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "source": {"path": str(m.source.subtitles), "fp": source_fp},
        "glossary": glossary_fp,
        "video": fingerprint(m.video),
        "languages": {},
        "delivery": {"path": str(m.output), "fp": fingerprint(m.output)},
    }
    for spec in m.languages:
        state["languages"][spec.language] = {
            "how": "source" if spec.is_source else ("translated" if spec.translate else "file"),
            "input": None if spec.subtitles is None else str(spec.subtitles),
            "input_fp": fingerprint(spec.subtitles),
            "audio": None if spec.audio is None else str(spec.audio),
            "audio_fp": fingerprint(spec.audio),
            "source": source_fp,
            "glossary": glossary_fp,
            "output": str(m.subtitle_output(spec)),
            "output_fp": fingerprint(m.subtitle_output(spec)),
        }
    return state

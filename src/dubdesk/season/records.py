"""What each finished job was made from, so a re-run does only what is missing or stale.

A language's record (``<episode output>/.dubdesk-jobs/<language>.json``) holds the
fingerprints of everything its translation and QA read (its subtitles or the source, the
glossary, the video, the episode's effective settings), the fingerprint of the delivered
subtitle file it wrote and the result it reported. One file per language, written atomically
by the coordinator, so concurrent jobs never write the same file. The episode's delivery is
current when :func:`dubdesk.project.status` says so (the mux step records its own state).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..files import atomic_write_bytes
from ..project import LanguageSpec, Manifest, fingerprint

RECORDS_DIR = ".dubdesk-jobs"
RECORD_VERSION = 1


def record_path(m: Manifest, language: str) -> Path:
    return m.output_folder / RECORDS_DIR / f"{language}.json"


def settings_fingerprint(m: Manifest, fail_on: str | None, fix: bool | None) -> str:
    """The episode's effective settings (season defaults applied) and the build's overrides."""
    data = json.dumps([m.to_dict(), m.qa_fix, fail_on, fix], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def language_inputs(m: Manifest, spec: LanguageSpec, settings: str) -> dict[str, Any]:
    profile = m.qa_profile
    return {
        "settings": settings,
        "subtitles": None if spec.translate else fingerprint(spec.subtitles),
        "source": fingerprint(m.source.subtitles) if spec.translate else None,
        "glossary": fingerprint(m.glossary),
        "video": fingerprint(m.video),
        "profile": fingerprint(Path(profile)) if profile and profile.endswith(".toml") else profile,
    }


def read_record(m: Manifest, language: str) -> dict[str, Any] | None:
    try:
        data = json.loads(record_path(m, language).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == RECORD_VERSION else None


def is_current(m: Manifest, spec: LanguageSpec, settings: str, record: dict[str, Any] | None = None) -> bool:
    """Whether ``spec``'s delivered subtitles are what its inputs would give again."""
    record = read_record(m, spec.language) if record is None else record
    if not record or record.get("inputs") != language_inputs(m, spec, settings):
        return False
    out = m.subtitle_output(spec)
    return record.get("output_fp") is not None and record.get("output_fp") == fingerprint(out)


def write_record(
    m: Manifest, spec: LanguageSpec, settings: str, result: dict[str, Any], *, stop: list[str] | None = None
) -> None:
    """Record a finished language: its inputs, its delivered file, its result and its QA stops."""
    data = {
        "version": RECORD_VERSION,
        "inputs": language_inputs(m, spec, settings),
        "output": str(m.subtitle_output(spec)),
        "output_fp": fingerprint(m.subtitle_output(spec)),
        "result": result,
        "stop": list(stop or []),
    }
    record_path(m, spec.language).parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(record_path(m, spec.language), json.dumps(data, ensure_ascii=False, indent=2).encode())

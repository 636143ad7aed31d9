"""What a manifest's delivery is made of right now: per language, what exists, what is missing
and what is stale, and whether the last build is still up to date."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from .manifest import LanguageSpec, Manifest, load_manifest
from .state import fingerprint, read_state

#: a language's part in the delivery
Role = Literal["source", "target"]


class SubtitleStatus(StrEnum):
    OK = "ok"
    MISSING = "missing"
    TO_TRANSLATE = "to translate"
    TRANSLATED = "translated"
    STALE = "stale"


class FileStatus(StrEnum):
    """A video or dub audio file: there, not there, or not asked for."""

    OK = "ok"
    MISSING = "missing"
    NONE = "none"


class DeliveryStatus(StrEnum):
    UP_TO_DATE = "up to date"
    OUTDATED = "outdated"
    NOT_BUILT = "not built"


@dataclass
class LanguageStatus:
    language: str
    role: Role
    subtitles: SubtitleStatus
    audio: FileStatus
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"language": self.language, "role": self.role, "subtitles": str(self.subtitles),
                "audio": str(self.audio), "detail": self.detail}  # fmt: skip


@dataclass
class Status:
    manifest: str
    video: FileStatus  #: ok, missing
    delivery: DeliveryStatus
    output: str
    languages: list[LanguageStatus]
    reasons: list[str] = field(default_factory=list)  #: why the delivery is outdated

    def to_dict(self) -> dict[str, Any]:
        return {
            "manifest": self.manifest,
            "video": str(self.video),
            "delivery": str(self.delivery),
            "output": self.output,
            "reasons": self.reasons,
            "languages": [s.to_dict() for s in self.languages],
        }


def _show(path: Path | None) -> str:
    """A path as people read it: relative to the current folder when inside it."""
    if path is None:
        return "—"
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _file_status(path: Path | None) -> FileStatus:
    if path is None:
        return FileStatus.NONE
    return FileStatus.OK if path.is_file() else FileStatus.MISSING


def _subtitles(
    m: Manifest, spec: LanguageSpec, earlier: dict[str, Any], source_fp: str | None, glossary_fp: str | None
) -> tuple[SubtitleStatus, str]:
    """One language's subtitles and the detail a person reads beside them."""
    if spec.translate:
        out = m.subtitle_output(spec)
        if not earlier or fingerprint(out) is None:
            return SubtitleStatus.TO_TRANSLATE, f"will be translated from {m.source.language}"
        if earlier.get("source") != source_fp or earlier.get("glossary") != glossary_fp:
            return SubtitleStatus.STALE, "source or glossary changed since it was translated"
        return SubtitleStatus.TRANSLATED, _show(out)
    if spec.subtitles is None or not spec.subtitles.is_file():
        return SubtitleStatus.MISSING, _show(spec.subtitles)
    if not spec.is_source and earlier and earlier.get("source") not in (None, source_fp):
        return SubtitleStatus.STALE, f"{m.source.language} source changed since this draft was last built"
    return SubtitleStatus.OK, _show(spec.subtitles)


def _changed_inputs(spec: LanguageSpec, earlier: dict[str, Any]) -> list[str]:
    if not earlier:
        return [f"{spec.language} not in the last build"]
    reasons = []
    if spec.subtitles is not None and earlier.get("input_fp") != fingerprint(spec.subtitles):
        reasons.append(f"{spec.language} subtitles changed")
    if earlier.get("audio_fp") != fingerprint(spec.audio):
        reasons.append(f"{spec.language} dub audio changed")
    return reasons


def status(manifest: Manifest | str | os.PathLike[str] = "dubdesk.toml") -> Status:
    """Per language: what exists, what is missing, what is stale (source changed since it was made)."""
    m = manifest if isinstance(manifest, Manifest) else load_manifest(manifest)
    state = read_state(m)
    langs_state: dict[str, Any] = state.get("languages") or {}
    source_fp = fingerprint(m.source.subtitles)
    glossary_fp = fingerprint(m.glossary)
    rows: list[LanguageStatus] = []
    reasons: list[str] = []
    for spec in m.languages:
        earlier = langs_state.get(spec.language) or {}
        subs, detail = _subtitles(m, spec, earlier, source_fp, glossary_fp)
        role: Role = "source" if spec.is_source else "target"
        rows.append(LanguageStatus(spec.language, role, subs, _file_status(spec.audio), detail))
        reasons += _changed_inputs(spec, earlier)
    if not state or not m.output.is_file():
        delivery = DeliveryStatus.NOT_BUILT
    else:
        for changed, reason in (
            ((state.get("delivery") or {}).get("fp") != fingerprint(m.output), "the delivery file changed since it was built"),
            (state.get("video") != fingerprint(m.video), "video changed"),
            ((state.get("source") or {}).get("fp") != source_fp, "source subtitles changed"),
            (state.get("glossary") != glossary_fp, "glossary changed"),
        ):
            if changed:
                reasons.append(reason)
        delivery = DeliveryStatus.OUTDATED if reasons else DeliveryStatus.UP_TO_DATE
    return Status(
        manifest=str(m.path),
        video=_file_status(m.video),
        delivery=delivery,
        output=str(m.output),
        languages=rows,
        reasons=reasons if delivery != DeliveryStatus.NOT_BUILT else [],
    )

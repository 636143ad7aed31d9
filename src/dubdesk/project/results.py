"""What a build reports: per language (:class:`LanguageResult`, also what a season's jobs pass
on to each other) and for the whole delivery (:class:`BuildResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..media import SubtitleFacts

#: where a language's delivered subtitles came from
SubtitlesFrom = Literal["file", "translated", "reused translation"]


@dataclass
class LanguageResult:
    """What the build did for one language."""

    language: str
    role: Literal["source", "target"]
    subtitles_from: SubtitlesFrom
    subtitles: str | None = None  #: delivered subtitle file
    audio: str | None = None
    glossary_changes: int = 0
    translation: dict[str, Any] | None = None
    qa_fixes: list[str] = field(default_factory=list)  #: "too-short #4", ...
    qa_counts: dict[str, int] = field(default_factory=dict)  #: remaining findings by severity
    qa_findings: list[str] = field(default_factory=list)  #: remaining, "#12 reading-speed (warning)"
    audio_qa: dict[str, Any] | None = None  #: dub audio QA: counts, findings, measurements
    warnings: list[str] = field(default_factory=list)  #: near-miss spellings the glossary step saw
    #: the delivered file's format and length, so the mux plan does not load it again
    delivered: SubtitleFacts | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "role": self.role,
            "subtitles_from": self.subtitles_from,
            "subtitles": self.subtitles,
            "audio": self.audio,
            "glossary_changes": self.glossary_changes,
            "translation": self.translation,
            "qa_fixes": self.qa_fixes,
            "qa_counts": self.qa_counts,
            "qa_findings": self.qa_findings,
            "audio_qa": self.audio_qa,
        }


@dataclass
class BuildResult:
    manifest: str
    output: str
    languages: list[LanguageResult]
    streams: list[dict[str, Any]]
    warnings: list[str]
    elapsed_s: float
    verified: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "manifest": self.manifest,
            "output": self.output,
            "verified": self.verified,
            "elapsed_s": round(self.elapsed_s, 3),
            "languages": [lr.to_dict() for lr in self.languages],
            "streams": self.streams,
            "warnings": self.warnings,
        }

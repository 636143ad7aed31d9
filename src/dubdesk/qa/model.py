"""QA results as data: severities, findings, reports, fix changes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from ..errors import UsageError

#: version of the JSON report schema (docs/qa.md); bump on incompatible changes
SCHEMA = "dubdesk.qa.report"
SCHEMA_VERSION = 1


class Severity(enum.IntEnum):
    """Ordered: ``error > warning > info``."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        if isinstance(value, Severity):
            return value
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise UsageError(f"unknown severity {value!r}", hint="use error, warning or info") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(slots=True)
class Finding:
    """One problem: which rule, how bad, where (cue number as people see it), what to do."""

    rule: str
    severity: Severity
    message: str
    cue: int | None = None  #: 1-based cue number among displayed cues (ASS comments not counted)
    index: int | None = None  #: 0-based index into ``track.events`` (comments counted)
    start_ms: int | None = None
    end_ms: int | None = None
    fixable: bool = False
    data: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def key(self) -> tuple[str, int | None]:
        return (self.rule, self.cue)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "cue": self.cue,
            "index": self.index,
            "start_ms": self.start_ms,
            "end_ms": self.end_ms,
            "message": self.message,
            "fixable": self.fixable,
            "data": self.data,
        }


@dataclass
class Report:
    """Findings for one track against one profile."""

    findings: list[Finding]
    profile: str
    language: str | None = None
    path: str | None = None
    fps: float | None = None  #: the fps given (None: default fps used only for gaps)
    gap_fps: float = 25.0  #: fps used to turn "2 frames" into ms
    against: str | None = None
    video_duration_ms: int | None = None
    cue_count: int = 0
    duration_ms: int = 0
    rules: list[str] = field(default_factory=list)
    #: the checked cues (:class:`~dubdesk.qa.context.Cue`), for the HTML timeline and chart
    cue_facts: list[Any] = field(default_factory=list, repr=False)
    max_cps: float = 0.0
    shot_changes_ms: list[int] | None = None  #: the shot changes checked against (None: not checked)
    #: what was measured (dub audio QA: loudness, durations); None for subtitle QA
    measurements: dict[str, Any] | None = None

    def counts(self) -> dict[str, int]:
        out = {str(s): 0 for s in sorted(Severity, reverse=True)}
        for f in self.findings:
            out[str(f.severity)] += 1
        return out

    def at_or_above(self, level: str | Severity) -> list[Finding]:
        threshold = Severity.parse(level)
        return [f for f in self.findings if f.severity >= threshold]

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON form (schema ``dubdesk.qa.report`` version 1, see docs/qa.md)."""
        return {
            "schema": SCHEMA,
            "schema_version": SCHEMA_VERSION,
            "file": self.path,
            "language": self.language,
            "profile": self.profile,
            "fps": self.fps,
            "gap_fps": self.gap_fps,
            "against": self.against,
            "video_duration_ms": self.video_duration_ms,
            "shot_changes_ms": self.shot_changes_ms,
            "measurements": self.measurements,
            "cue_count": self.cue_count,
            "duration_ms": self.duration_ms,
            "rules": list(self.rules),
            "counts": self.counts(),
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class Change:
    """One edit made by ``fix``: which cue, what before, what after, why."""

    action: str  #: the rule it fixes (``too-short``) or ``shift`` / ``fps-convert``
    cue: int
    index: int
    before_start_ms: int
    before_end_ms: int
    after_start_ms: int
    after_end_ms: int
    reason: str
    before_text: str | None = None  #: only when the text was re-broken
    after_text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "action": self.action,
            "cue": self.cue,
            "index": self.index,
            "before": {"start_ms": self.before_start_ms, "end_ms": self.before_end_ms},
            "after": {"start_ms": self.after_start_ms, "end_ms": self.after_end_ms},
            "reason": self.reason,
        }
        if self.before_text is not None:
            data["before"]["text"] = self.before_text
            data["after"]["text"] = self.after_text
        return data

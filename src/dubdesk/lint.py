"""Structural checks of a subtitle file, with line numbers.

Where :func:`dubdesk.load` is tolerant, ``lint`` says what it tolerated: a
malformed SRT block (the exact offset, from the ``srt`` library's strict
parser), unparsable timestamps, negative times, end before start, empty cues,
out-of-order cues, missing indexes, mixed encodings, a damaged header.
Timing *readability* (reading speed, gaps…) is QA's job, not lint's.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import srt

from . import markup
from .encodings import mixed_lines, normalize_newlines
from .errors import DubdeskError
from .formats import srt as srt_fmt
from .subtitles import load
from .track import Track


@dataclass(frozen=True)
class LintIssue:
    code: str  #: stable id: malformed-block, bad-timing, negative-time, end-before-start, empty-cue, …
    severity: str  #: "error" or "warning"
    message: str
    line: int | None = None  #: 1-based line in the file, when known
    cue: int | None = None  #: 1-based cue number, when known

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class LintReport:
    path: str
    issues: list[LintIssue]
    format: str | None = None
    encoding: str | None = None

    @property
    def errors(self) -> list[LintIssue]:
        return [i for i in self.issues if i.severity == "error"]

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "format": self.format,
            "encoding": self.encoding,
            "errors": len(self.errors),
            "warnings": len(self.issues) - len(self.errors),
            "issues": [i.to_dict() for i in self.issues],
        }


def lint_file(
    path: str | os.PathLike[str], *, language: str | None = None, encoding: str | None = None, fmt: str | None = None
) -> LintReport:
    """Lint one file. Raises only when the file cannot be read at all."""
    spath = str(path)
    issues: list[LintIssue] = []
    data = Path(path).read_bytes() if spath != "-" else b""
    if data and encoding is None and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        utf8, other = mixed_lines(data)
        if utf8 and other:
            issues.append(LintIssue(
                "mixed-encodings", "error",
                f"lines {utf8[0]} and {other[0]} are in different encodings (UTF-8 and a legacy codepage)",
                line=other[0],
            ))
    try:
        track = load(path, language=language, encoding=encoding, fmt=fmt)
    except DubdeskError as exc:
        issues.append(LintIssue("unreadable", "error", exc.message + (f" ({exc.hint})" if exc.hint else ""), line=exc.line))
        return LintReport(spath, issues)
    issues.extend(lint_track(track))
    if track.source.format == "srt" and data:
        issues.extend(_srt_structure(track, data))
    return LintReport(spath, sorted(issues, key=lambda i: (i.line or 0, i.cue or 0)), track.source.format, track.source.encoding)


#: reader warnings that are lint warnings, not errors (the rest are errors)
_WARNING_CODES = frozenset({"skipped-text", "fps-assumed", "fps-declared", "reader", "end-assumed", "skipped-style"})
#: reader codes renamed for lint's stable ids
_LINT_CODES = {"skipped-cue": "bad-timing", "bad-timestamp": "bad-timing", "no-cues": "no-cues"}


def lint_track(track: Track) -> list[LintIssue]:
    """Checks on the parsed cues and the reader's warnings."""
    issues: list[LintIssue] = []
    for warning in track.source.warnings:
        severity = "warning" if warning.code in _WARNING_CODES else "error"
        issues.append(LintIssue(_LINT_CODES.get(warning.code, warning.code), severity, warning.message, line=warning.line))
    previous_start: int | None = None
    reader_saw_negative = any(w.code == "negative-time" for w in track.source.warnings)
    for number, event in enumerate(track.cues, 1):
        if (event.start < 0 or event.end < 0) and not reader_saw_negative:
            issues.append(LintIssue("negative-time", "error", f"starts at {min(event.start, event.end) / 1000:.3f} s, "
                                    "before zero (dubdesk fix moves it to 0 or later)", cue=number))
        if event.end < event.start:
            issues.append(LintIssue("end-before-start", "error", f"ends {event.start - event.end} ms before it starts", cue=number))
        if not markup.visible(event.text).strip() and not markup.has_drawing(event.text):
            issues.append(LintIssue("empty-cue", "warning", "cue has no text", cue=number))
        if previous_start is not None and event.start < previous_start:
            issues.append(LintIssue("out-of-order", "warning", "starts before the previous cue", cue=number))
        previous_start = event.start
    return issues


_NEG_SIGN_RE = re.compile(r"(^[ \t]*|-->[ \t]*)-(?=\d)", re.M)


def _srt_structure(track: Track, data: bytes) -> list[LintIssue]:
    """Exact offsets of malformed blocks from the strict ``srt`` parser, and missing indexes."""
    issues: list[LintIssue] = []
    text = normalize_newlines(data.decode(track.source.encoding, errors="replace"))
    if text.startswith("\ufeff"):
        text = text[1:]
    parsed = srt_fmt.parse(text)
    for number, cue in enumerate(parsed.cues, 1):
        if cue.index is None:
            issues.append(LintIssue("missing-index", "warning", "cue has no index line", line=cue.line, cue=number))
    # negative times are reported as negative-time; the strict parser would call their block malformed
    strict_text = _NEG_SIGN_RE.sub(r"\1", text) if "-" in text else text
    try:
        for _ in srt.parse(strict_text, ignore_errors=False):
            pass
    except srt.SRTParseError as exc:
        line = text.count("\n", 0, exc.expected_start) + 1
        snippet = exc.unmatched_content.strip().splitlines()[0][:60] if exc.unmatched_content.strip() else ""
        issues.append(LintIssue(
            "malformed-block", "error",
            f"malformed SRT block at offset {exc.expected_start}: {snippet!r}", line=line,
        ))
    except Exception as exc:  # srt raises ValueError subclasses on bad timestamps
        issues.append(LintIssue("malformed-block", "error", f"strict SRT parse failed: {exc}"))
    return issues


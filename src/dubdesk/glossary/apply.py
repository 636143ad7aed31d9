"""Applying a glossary to a track: each finding that has an approved form is replaced in place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .check import TermFinding, as_glossary, check_glossary
from .edits import edit_raw
from .model import CueNumbered, Glossary

if TYPE_CHECKING:
    from ..track import Track


@dataclass
class TermChange(CueNumbered):
    """One replacement made by ``apply_glossary``."""

    cue: int
    entry: str
    kind: str
    before: str
    after: str
    start: int  #: visible span in the original cue
    end: int


def apply_glossary(
    track: Track, glossary: Glossary | str | os.PathLike[str], language: str | None = None, *,
    fix_near_misses: bool = False,
) -> tuple[Track, list[TermChange]]:
    """Replace variants and forbidden forms with the approved form; timing, tags and cue count untouched.
    Near-misses (spellings nobody listed) are replaced only with ``fix_near_misses``, keeping the ending.

    Returns a new track (the input is not modified) and the list of changes.
    """
    glossary = as_glossary(glossary)
    report = check_glossary(track, glossary, language, near_misses=fix_near_misses)
    fixable = ("variant", "forbidden", "near-miss") if fix_near_misses else ("variant", "forbidden")
    out = track.copy()
    cues = out.cues
    by_cue: dict[int, list[TermFinding]] = {}
    for f in report.findings:
        if f.approved is not None and f.kind in fixable:
            by_cue.setdefault(f.cue, []).append(f)
    changes: list[TermChange] = []
    for i, findings in by_cue.items():
        cues[i].text = edit_raw(cues[i].text, [(f.start, f.end, f.approved or "") for f in findings])
        for f in findings:
            changes.append(TermChange(cue=i, entry=f.entry, kind=f.kind, before=f.found, after=f.approved or "", start=f.start, end=f.end))
    changes.sort(key=lambda c: (c.cue, c.start))
    return out, changes

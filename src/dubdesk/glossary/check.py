"""Checking a track against a glossary: variants, forbidden forms, missing approved forms,
inconsistent spellings and near-miss names, cue by cue."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from .. import languages, markup
from ..errors import UsageError
from ..runtime import gc_paused
from .edits import replacement
from .loading import load_glossary
from .matcher import Match
from .model import CueNumbered, Glossary, norm
from .nearmiss import KIND, find_near_misses
from .nearmiss import index as nearmiss_index

if TYPE_CHECKING:
    from ..track import Track


KINDS = ("variant", "forbidden", "missing-approved", "inconsistent", "near-miss")


@dataclass
class TermFinding(CueNumbered):
    """One glossary problem in one cue."""

    cue: int  #: 0-based index among the track's cues (comments excluded)
    kind: str  #: variant, forbidden, missing-approved, inconsistent
    entry: str
    found: str  #: the visible text found, ending included
    approved: str | None  #: what to write instead (ending and case kept), None when unknown
    start: int  #: visible span in the cue
    end: int
    raw_start: int  #: span in the cue's raw text (tags inside included)
    raw_end: int
    form_language: str  #: language the found form belongs to
    message: str = ""
    distance: int | None = None  #: edit distance to the approved form (near-misses only)


@dataclass
class GlossaryReport:
    """Everything ``check_glossary`` found in one track."""

    language: str
    cues: int
    findings: list[TermFinding] = field(default_factory=list)
    path: str | None = None
    glossary: str | None = None

    @property
    def ok(self) -> bool:
        return not self.findings

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(KINDS, 0)
        for f in self.findings:
            out[f.kind] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "glossary": self.glossary,
            "language": self.language,
            "cues": self.cues,
            "ok": self.ok,
            "counts": self.counts(),
            "findings": [f.to_dict() for f in self.findings],
        }

    def lines(self) -> list[str]:
        where = self.path or "<track>"
        out = []
        for f in self.findings:
            if f.kind == "near-miss":
                out.append(f"{where}: cue {f.number} [{f.start}:{f.end}]: near-miss: {f.found!r}: {f.message} ({f.entry}, distance {f.distance})")
                continue
            use = f"use {f.approved!r}" if f.approved else "no approved form"
            out.append(f"{where}: cue {f.number} [{f.start}:{f.end}]: {f.kind}: {f.found!r}: {use} ({f.entry}){' — ' + f.message if f.message else ''}")
        return out


def track_language(track: Track, language: str | None) -> str:

    lang = language or track.language
    if not lang:
        raise UsageError("the track's language is unknown", path=track.source.path, hint="pass language=LANG")
    return languages.normalize(lang)


def as_glossary(glossary: Glossary | str | os.PathLike[str]) -> Glossary:
    """A glossary, or the glossary at a path."""
    if isinstance(glossary, Glossary):
        return glossary
    return load_glossary(os.fspath(glossary))


def prepare_glossary(glossary: Glossary, lang: str) -> None:
    """Build now what the first check of a ``lang`` text would build: the matcher (every
    script) and the near-miss index. A session that checks many files pays for them once."""
    glossary.matcher(lang).compile()
    nearmiss_index(glossary, lang).build()


def check_glossary(
    track: Track, glossary: Glossary | str | os.PathLike[str], language: str | None = None, *, near_misses: bool = True
) -> GlossaryReport:
    """Every variant, forbidden form, inconsistency and missing approved form in a track, and
    (unless ``near_misses=False``) every near-miss spelling of an approved form (``glossary.nearmiss``).

    ``glossary`` is a :class:`Glossary` or the path of one (as in ``translate_track``).
    """
    glossary = as_glossary(glossary)
    with gc_paused():
        return _check(track, glossary, language, near_misses)


def _check(track: Track, glossary: Glossary, language: str | None, near_misses: bool = True) -> GlossaryReport:
    lang = track_language(track, language)
    cues = track.cues
    texts = markup.visible_many([c.text for c in cues])
    found = glossary.matcher(lang).find_sparse(texts)
    report = GlossaryReport(language=lang, cues=len(cues), path=track.source.path, glossary=glossary.path or glossary.name)
    unapproved: dict[str, list[tuple[int, Match]]] = {}
    pending: list[tuple[int, Match, str, str | None]] = []
    for i, matches in sorted(found.items()):
        for m in matches:
            lf = m.entry.langs.get(lang)
            if lf is None or not lf.approved_forms:
                unapproved.setdefault(m.entry.id, []).append((i, m))
                continue
            if m.pattern.ok:
                continue
            kind = "forbidden" if m.pattern.status == "forbidden" else "variant"
            rep = replacement(m, texts[i], lf)
            if rep is None:
                continue
            a, b, new = rep
            after = texts[i][m.start : a] + new + texts[i][b : m.end]
            pending.append((i, m, kind, after))
    for occurrences in unapproved.values():
        first = norm(texts[occurrences[0][0]][occurrences[0][1].start : occurrences[0][1].end])
        for n, (i, m) in enumerate(occurrences):
            surface = norm(texts[i][m.start : m.end])
            if n == 0:
                pending.append((i, m, "missing-approved", None))
            elif surface != first:
                pending.append((i, m, "inconsistent", None))
    pending.sort(key=lambda x: (x[0], x[1].start))
    maps: dict[int, list[int]] = {}
    for i, m, kind, use in pending:
        raw = cues[i].text
        if i not in maps:
            maps[i] = markup.visible_map(raw)[1]
        ra, rb = markup.raw_span(raw, maps[i], m.start, m.end)
        p = m.pattern
        if kind == "missing-approved":
            msg = f"no approved {lang} form for {m.entry.id!r}"
        elif kind == "inconsistent":
            msg = f"spelled differently from its first use in this file (no approved {lang} form)"
        elif p.status == "foreign":
            msg = f"{p.lang} spelling in a {lang} text"
        elif p.status == "forbidden":
            msg = "forbidden form"
        else:
            msg = "known variant"
        report.findings.append(
            TermFinding(cue=i, kind=kind, entry=m.entry.id, found=texts[i][m.start : m.end], approved=use,
                    start=m.start, end=m.end, raw_start=ra, raw_end=rb, form_language=p.lang, message=msg)
        )
    if near_misses:
        _add_near_misses(report, cues, texts, glossary, lang, found, maps)
    return report


def _add_near_misses(
    report: GlossaryReport, cues: Any, texts: list[str], glossary: Glossary, lang: str,
    found: dict[int, list[Match]], maps: dict[int, list[int]],
) -> None:
    near = find_near_misses(glossary, lang, texts, found)
    findings = report.findings
    for i, items in near.items():
        raw = cues[i].text
        if markup.has_markup(raw):
            if i not in maps:
                maps[i] = markup.visible_map(raw)[1]
            for nm in items:
                ra, rb = markup.raw_span(raw, maps[i], nm.start, nm.end)
                findings.append(TermFinding(i, KIND, nm.entry.id, nm.found, nm.suggestion, nm.start, nm.end, ra, rb, lang, nm.message, nm.distance))
        else:  # raw and visible text are the same
            findings.extend([
                TermFinding(i, KIND, nm.entry.id, nm.found, nm.suggestion, nm.start, nm.end, nm.start, nm.end, lang, nm.message, nm.distance)
                for nm in items
            ])  # fmt: skip
    if near:
        findings.sort(key=attrgetter("cue", "start"))

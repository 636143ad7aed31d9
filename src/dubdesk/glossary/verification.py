"""Verifying a translation against its source: every term of the source has its approved
target form (:func:`verify`, :func:`verify_text`); :func:`substitute` fixes the forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import languages, markup
from .check import track_language
from .edits import edit_raw, replacement
from .matcher import Match
from .model import CueNumbered, Glossary

if TYPE_CHECKING:
    from ..track import Track


@dataclass
class Miss(CueNumbered):
    """A glossary failure in a translated cue."""

    cue: int
    kind: str  #: missing, variant, forbidden, missing-approved, cue-count
    entry: str
    source: str  #: the term as found in the source cue
    expected: str | None  #: the approved target form
    found: str | None = None  #: the wrong form found in the target cue


    def __str__(self) -> str:
        if self.kind == "missing":
            return f"cue {self.number}: {self.source!r} ({self.entry}) has no {self.expected!r} in the translation"
        if self.kind == "missing-approved":
            return f"cue {self.number}: {self.source!r} ({self.entry}) has no approved form in the target language"
        if self.kind == "cue-count":
            return f"cue count differs: {self.source}, {self.expected}"
        return f"cue {self.number}: {self.kind} {self.found!r} in the translation, use {self.expected!r} ({self.entry})"


@dataclass
class VerifyReport:
    """Per-cue result of ``verify``."""

    source_language: str
    target_language: str
    cues: int
    misses: list[Miss] = field(default_factory=list)
    terms: int = 0  #: source terms checked

    @property
    def ok(self) -> bool:
        return not self.misses

    def failed_cues(self) -> list[int]:
        return sorted({m.cue for m in self.misses})

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_language": self.source_language,
            "target_language": self.target_language,
            "cues": self.cues,
            "terms": self.terms,
            "ok": self.ok,
            "failed_cues": self.failed_cues(),
            "misses": [m.to_dict() for m in self.misses],
        }


def _verify_matches(
    cue: int, src_vis: str, src_ms: list[Match], tgt_vis: str, tgt_ms: list[Match], tgt: str
) -> tuple[list[Miss], int]:
    misses: list[Miss] = []
    present = {m.entry.id for m in tgt_ms if m.pattern.ok}
    seen: dict[str, Match] = {}
    for m in src_ms:
        seen.setdefault(m.entry.id, m)
    for eid, m in seen.items():
        lf = m.entry.langs.get(tgt)
        surface = src_vis[m.start : m.end]
        if lf is None or not lf.approved_forms:
            misses.append(Miss(cue, "missing-approved", eid, surface, None))
        elif eid not in present:
            misses.append(Miss(cue, "missing", eid, surface, lf.approved))
    for m in tgt_ms:
        if m.pattern.ok:
            continue
        lf = m.entry.langs.get(tgt)
        if lf is None or not lf.approved_forms:
            continue
        kind = "forbidden" if m.pattern.status == "forbidden" else "variant"
        src_surface = src_vis[seen[m.entry.id].start : seen[m.entry.id].end] if m.entry.id in seen else ""
        misses.append(Miss(cue, kind, m.entry.id, src_surface, lf.approved, tgt_vis[m.start : m.end]))
    return misses, len(seen)


def verify_text(src_text: str, tgt_text: str, glossary: Glossary, src: str, tgt: str) -> list[Miss]:
    """Glossary misses for one translated cue (``cue`` is 0 in the result)."""
    sv, tv = markup.visible(src_text), markup.visible(tgt_text)
    return _verify_matches(0, sv, glossary.matcher(src).find(sv), tv, glossary.matcher(tgt).find(tv), tgt)[0]


def verify(
    source_track: Track, target_track: Track, glossary: Glossary, src: str | None = None, tgt: str | None = None
) -> VerifyReport:
    """For each cue pair: every source term has its approved target form, and no wrong form is there."""
    s_lang, t_lang = track_language(source_track, src), track_language(target_track, tgt)
    s_cues, t_cues = source_track.cues, target_track.cues
    n = min(len(s_cues), len(t_cues))
    sv = markup.visible_many([c.text for c in s_cues[:n]])
    tv = markup.visible_many([c.text for c in t_cues[:n]])
    sm = glossary.matcher(s_lang).find_sparse(sv)
    tm = glossary.matcher(t_lang).find_sparse(tv)
    report = VerifyReport(source_language=s_lang, target_language=t_lang, cues=n)
    for i in sorted(set(sm) | set(tm)):
        misses, terms = _verify_matches(i, sv[i], sm.get(i, []), tv[i], tm.get(i, []), t_lang)
        report.misses += misses
        report.terms += terms
    if len(s_cues) != len(t_cues):
        report.misses.append(Miss(n, "cue-count", "", f"{len(s_cues)} source cues", f"{len(t_cues)} target cues"))
    return report


def substitute(source: str, translated: str, glossary: Glossary, src: str, tgt: str) -> tuple[str, int]:
    """Fix a translation made without placeholders: every wrong form (variant,
    forbidden, another language's spelling the model copied) of a term that
    is in ``source`` becomes the approved target form. Returns the text and
    the number of replacements; ``verify_text`` tells whether anything is still missing.
    """

    src, tgt = languages.normalize(src), languages.normalize(tgt)
    in_source = {m.entry.id for m in glossary.matcher(src).find(markup.visible(source))}
    vis = markup.visible(translated)
    edits: list[tuple[int, int, str]] = []
    for m in glossary.matcher(tgt).find(vis):
        lf = m.entry.langs.get(tgt)
        if m.pattern.ok or lf is None or m.entry.id not in in_source:
            continue
        rep = replacement(m, vis, lf)
        if rep is not None:
            edits.append(rep)
    return edit_raw(translated, edits), len(edits)

"""Glossary operations on tracks: check, apply, verify."""

from __future__ import annotations

import difflib
import os
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from .. import languages, markup
from ..errors import UsageError
from ..runtime import gc_paused
from .inflect import RULES, case_like, map_ending
from .loading import load_glossary
from .matcher import WORD_RE, Match, split_form
from .model import Glossary, LangForms, is_cjk_form, norm
from .nearmiss import KIND, find_near_misses

if TYPE_CHECKING:
    from ..track import Track


# --- replacements ------------------------------------------------------------------------------


def replacement(m: Match, visible: str, target: LangForms) -> tuple[int, int, str] | None:
    """``(start, end, new text)`` replacing match ``m`` in ``visible`` with the approved form.

    Keeps the case of the text, the ending a declined name carries (mapped to
    the same Kazakh case when harmony differs), the line breaks between the
    words of a name, and the quotation marks the text uses around a title.
    """
    approved = target.best_approved(visible[m.start : m.end])
    if approved is None:
        return None
    p = m.pattern
    if p.cjk or is_cjk_form(approved):
        return m.start, m.end, approved
    rule = target.rule
    split = split_form(approved, rule)
    if split is None:
        return m.start, m.end, approved
    lead, trail, words, _gaps = split
    if (lead, trail) != (p.lead, p.trail):
        return m.start, m.end, approved
    fn = RULES[rule]
    new: list[str] = []
    if len(words) == len(m.parts):
        for k, ((a, b, c), (cased, _stem, _end)) in enumerate(zip(m.parts, words, strict=True)):
            if k:
                new.append(visible[m.parts[k - 1][2] : a])
            text_word = visible[a:c]
            tstem, tendings = _stem_endings(fn, approved, cased)
            new.append(case_like(text_word, tstem) + map_ending(visible[b:c], visible[a:b], rule, tstem, tendings))
        return m.core[0], m.core[1], "".join(new)
    toks = list(WORD_RE.finditer(norm(approved)))
    core = approved[toks[0].start() : toks[-1].end()]
    a, b, c = m.parts[-1]
    tail = visible[b:c]
    last_stem, last_endings = _stem_endings(fn, approved, words[-1][0])
    if tail and norm(tail) in last_endings:
        core = core[: len(core) - (len(toks[-1].group()) - len(last_stem))] + tail
    return m.core[0], m.core[1], case_like(visible[m.core[0] : m.core[1]], core)


def _stem_endings(fn: Any, approved: str, cased_stem: str) -> tuple[str, tuple[str, ...]]:
    """The cased stem and ordered endings of one word of an approved form."""
    for t in WORD_RE.finditer(norm(approved)):
        stem, endings = fn(t.group())
        if approved[t.start() : t.start() + len(stem)] == cased_stem:
            return cased_stem, tuple(endings)
    return cased_stem, ("",)


def edit_raw(raw: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply visible-text edits to raw cue text, keeping tags and ``\\N`` breaks.

    Each edit is diffed character by character against the visible text, so
    only the letters that change are touched and tags between them stay.
    """
    if not edits:
        return raw
    vis, offsets = markup.visible_map(raw)
    for vstart, vend, new in sorted(edits, reverse=True):
        old = vis[vstart:vend]
        ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
        for tag, i1, i2, j1, j2 in reversed(ops):
            if tag == "equal":
                continue
            a, b = vstart + i1, vstart + i2
            if a < b:
                ra, rb = markup.raw_span(raw, offsets, a, b)
            elif a > vstart:
                ra = rb = markup.raw_span(raw, offsets, a - 1, a)[1]
            else:
                ra = rb = offsets[a]
            text = new[j1:j2].replace("\n", "\\N").replace("\u00a0", "\\h")
            raw = raw[:ra] + text + raw[rb:]
    return raw


# --- check -------------------------------------------------------------------------------------

KINDS = ("variant", "forbidden", "missing-approved", "inconsistent", "near-miss")


@dataclass
class Finding:
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

    @property
    def number(self) -> int:
        """1-based cue number, as people count."""
        return self.cue + 1

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["number"] = self.number
        return d


@dataclass
class GlossaryReport:
    """Everything ``check_glossary`` found in one track."""

    language: str
    cues: int
    findings: list[Finding] = field(default_factory=list)
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


def _language(track: Track, language: str | None) -> str:

    lang = language or track.language
    if not lang:
        raise UsageError("the track's language is unknown", path=track.source.path, hint="pass language=LANG")
    return languages.normalize(lang)


def check_glossary(
    track: Track, glossary: Glossary | str | os.PathLike[str], language: str | None = None, *, near_misses: bool = True
) -> GlossaryReport:
    """Every variant, forbidden form, inconsistency and missing approved form in a track, and
    (unless ``near_misses=False``) every near-miss spelling of an approved form (``glossary.nearmiss``).

    ``glossary`` is a :class:`Glossary` or the path of one (as in ``translate_track``).
    """
    glossary = _glossary(glossary)
    with gc_paused():
        return _check(track, glossary, language, near_misses)


def _check(track: Track, glossary: Glossary, language: str | None, near_misses: bool = True) -> GlossaryReport:
    lang = _language(track, language)
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
            Finding(cue=i, kind=kind, entry=m.entry.id, found=texts[i][m.start : m.end], approved=use,
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
    for i, items in near.items():
        raw = cues[i].text
        plain = not markup.has_markup(raw)  # raw and visible text are the same
        if i not in maps and not plain:
            maps[i] = markup.visible_map(raw)[1]
        for nm in items:
            ra, rb = (nm.start, nm.end) if plain else markup.raw_span(raw, maps[i], nm.start, nm.end)
            report.findings.append(
                Finding(cue=i, kind=KIND, entry=nm.entry.id, found=nm.found, approved=nm.suggestion, start=nm.start,
                        end=nm.end, raw_start=ra, raw_end=rb, form_language=lang, message=nm.message, distance=nm.distance)
            )
    if near:
        report.findings.sort(key=lambda f: (f.cue, f.start))


# --- apply -------------------------------------------------------------------------------------


@dataclass
class Change:
    """One replacement made by ``apply_glossary``."""

    cue: int
    entry: str
    kind: str
    before: str
    after: str
    start: int  #: visible span in the original cue
    end: int

    @property
    def number(self) -> int:
        return self.cue + 1

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["number"] = self.number
        return d


def _glossary(glossary: Glossary | str | os.PathLike[str]) -> Glossary:
    if isinstance(glossary, Glossary):
        return glossary
    return load_glossary(os.fspath(glossary))


def apply_glossary(
    track: Track, glossary: Glossary | str | os.PathLike[str], language: str | None = None, *,
    fix_near_misses: bool = False,
) -> tuple[Track, list[Change]]:
    """Replace variants and forbidden forms with the approved form; timing, tags and cue count untouched.
    Near-misses (spellings nobody listed) are replaced only with ``fix_near_misses``, keeping the ending.

    Returns a new track (the input is not modified) and the list of changes.
    """
    glossary = _glossary(glossary)
    report = check_glossary(track, glossary, language, near_misses=fix_near_misses)
    fixable = ("variant", "forbidden", "near-miss") if fix_near_misses else ("variant", "forbidden")
    out = track.copy()
    cues = out.cues
    by_cue: dict[int, list[Finding]] = {}
    for f in report.findings:
        if f.approved is not None and f.kind in fixable:
            by_cue.setdefault(f.cue, []).append(f)
    changes: list[Change] = []
    for i, findings in by_cue.items():
        cues[i].text = edit_raw(cues[i].text, [(f.start, f.end, f.approved or "") for f in findings])
        for f in findings:
            changes.append(Change(cue=i, entry=f.entry, kind=f.kind, before=f.found, after=f.approved or "", start=f.start, end=f.end))
    changes.sort(key=lambda c: (c.cue, c.start))
    return out, changes


# --- verify ------------------------------------------------------------------------------------


@dataclass
class Miss:
    """A glossary failure in a translated cue."""

    cue: int
    kind: str  #: missing, variant, forbidden, missing-approved, cue-count
    entry: str
    source: str  #: the term as found in the source cue
    expected: str | None  #: the approved target form
    found: str | None = None  #: the wrong form found in the target cue

    @property
    def number(self) -> int:
        return self.cue + 1

    def __str__(self) -> str:
        if self.kind == "missing":
            return f"cue {self.number}: {self.source!r} ({self.entry}) has no {self.expected!r} in the translation"
        if self.kind == "missing-approved":
            return f"cue {self.number}: {self.source!r} ({self.entry}) has no approved form in the target language"
        if self.kind == "cue-count":
            return f"cue count differs: {self.source}, {self.expected}"
        return f"cue {self.number}: {self.kind} {self.found!r} in the translation, use {self.expected!r} ({self.entry})"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["number"] = self.number
        return d


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
    s_lang, t_lang = _language(source_track, src), _language(target_track, tgt)
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

"""Replacing a matched term by its approved form in raw cue text: the case and inflected ending
of what was found kept, tags and line breaks left where they were."""

from __future__ import annotations

import difflib
from typing import Any

from .. import markup
from .inflect import INFLECTIONS, case_like, map_ending
from .matcher import WORD_RE, Match, split_form
from .model import LangForms, is_cjk_form, norm


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
    fn = INFLECTIONS[rule]
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

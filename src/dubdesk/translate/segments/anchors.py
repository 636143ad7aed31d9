"""Inline tags put back: where the span each tag wrapped went in the translation."""

from __future__ import annotations

from .units import Unit

_EDGE_PUNCT = ".,!?;:…。，！？、；：\"'«»“”()（）《》—– "


def _fold(s: str) -> str:
    """Case-folded, one character for one: offsets in the folded text are offsets in ``s``.

    (``str.casefold`` turns ``ß`` into ``ss`` and ``İ`` into two characters,
    which would shift every position after them.)
    """
    out = []
    for ch in s:
        low = ch.casefold()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)


def locate(
    needle: str, haystack: str, expected: int, *, by_end: bool = False, minimum: int = 0
) -> tuple[int, int] | None:
    """Where a span's own translation occurs in the full translation.

    Matching ignores case and the punctuation at the needle's edges (a span
    translated alone often gains or loses a final stop); where the haystack
    has that punctuation too, it is included. Of several occurrences starting
    at ``minimum`` or later, the one whose start (``by_end``: end) is nearest
    ``expected`` wins.
    """
    core = needle.strip(_EDGE_PUNCT)
    if not core:
        return None
    lead = needle[: needle.find(core)].lstrip()
    tail = needle[needle.find(core) + len(core) :].rstrip()
    hay, n = _fold(haystack), _fold(core)
    found: list[tuple[int, int]] = []
    at = hay.find(n, minimum)
    while at != -1:
        start, end = at, at + len(n)
        if tail and hay.startswith(_fold(tail), end):
            end += len(tail)
        if lead and start - len(lead) >= minimum and hay.startswith(_fold(lead), start - len(lead)):
            start -= len(lead)
        found.append((start, end))
        at = hay.find(n, at + 1)
    if not found:
        return None
    return min(found, key=lambda hit: abs((hit[1] if by_end else hit[0]) - expected))


def _snap(text: str, pos: int, *, word_start: bool, cjk: bool) -> int:
    """Move ``pos`` off the middle of a word (no-op for CJK, which has no spaces)."""
    pos = max(0, min(pos, len(text)))
    if cjk:
        return pos
    if 0 < pos < len(text) and not text[pos - 1].isspace() and not text[pos].isspace():
        # inside a word: go to the nearer edge
        left = pos
        while left > 0 and not text[left - 1].isspace():
            left -= 1
        right = pos
        while right < len(text) and not text[right].isspace():
            right += 1
        pos = left if pos - left <= right - pos else right
    if word_start:
        while pos < len(text) and text[pos].isspace():
            pos += 1
    else:
        while pos > 0 and text[pos - 1].isspace():
            pos -= 1
    return pos


def place_anchors(
    unit: Unit,
    translated: str,
    span_translations: dict[tuple[int, int], str],
    *,
    cjk_target: bool,
) -> list[int]:
    """Offsets in ``translated`` for each of the unit's inline anchors.

    A closing run (``{\\i0}``, ``</i>``) ends the span before it, so it goes
    where that span's own translation ends in the full translation; an
    opening run goes where the span after it starts. Failing that, a closer
    goes just before where the next span starts (an opener just after where
    the previous one ends), and failing that it keeps its relative position,
    moved to a word edge. Whitespace never ends up inside the tags
    (``<i>x </i>`` is ``<i>x</i> ``) and offsets never decrease.
    """
    src = unit.text
    edges = sorted({0, len(src), *(a.offset for a in unit.anchors)})
    positions: list[int] = []
    prev = 0
    for anchor in unit.anchors:
        off = anchor.offset
        k = edges.index(off)
        before = span_translations.get((edges[k - 1], off)) if k > 0 else None
        after = span_translations.get((off, edges[k + 1])) if k + 1 < len(edges) else None
        expected = round(len(translated) * off / len(src)) if src else 0
        closing = anchor.closing
        pos = _edge_of(before, after, translated, expected, prev, closing=closing)
        if pos is None:
            pos = _snap(translated, expected, word_start=not closing, cjk=cjk_target)
        pos = max(pos, prev)
        # the tag touches the word it belongs to: spaces go outside it
        if closing:
            while pos > prev and translated[pos - 1].isspace():
                pos -= 1
        else:
            while pos < len(translated) and translated[pos].isspace():
                pos += 1
        positions.append(pos)
        prev = pos
    return positions


def _edge_of(
    before: str | None, after: str | None, translated: str, expected: int, prev: int, *, closing: bool
) -> int | None:
    """Where a tag run goes by the spans' own translations (None: neither found)."""
    end_of_before = locate(before, translated, expected, by_end=True, minimum=prev) if before else None
    start_of_after = locate(after, translated, expected, minimum=prev) if after else None
    if closing:
        if end_of_before is not None:
            return end_of_before[1]
        return start_of_after[0] if start_of_after is not None else None
    if start_of_after is not None:
        return start_of_after[0]
    return end_of_before[1] if end_of_before is not None else None

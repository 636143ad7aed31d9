r"""Cue text <-> translation units: what the model sees and how tags come back.

A cue's raw text (pysubs2's internal form: ``{\i1}``, ``<font>``, ``\N``) is
decoded with the shared tokenizer (:mod:`dubdesk.markup`) into *units*:

- ``lead``: tags before the first visible character (whole-line formatting,
  ``{\an8}``, ``{\i1}`` of an all-italic line) — put back at the start;
- ``trail``: tags after the last visible character — put back at the end;
- ``text``: the visible text, line breaks turned into a space (or nothing
  between two CJK characters), ``\h`` into a space; this is all the model sees;
- ``anchors``: inline tag runs with their offset in ``text``; after
  translation each is placed where the span it wrapped went (see
  :func:`place_anchors`).

A dialogue cue (every line starts with a dash) becomes one unit per line: the
speakers' lines are translated separately and stay on their own lines.

Cues that continue one sentence across a cue boundary are grouped
(:func:`group_continuations`), translated as one text and split back in
proportion (:func:`split_proportionally`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..markup import Kind, Token, is_closing_tag, is_halfwidth, tokenize

#: a line that starts a speaker's turn: hyphen, en/em dash, Chinese double dash
_DIALOGUE_RE = re.compile(r"^\s*(?:——|―|[-–—])")
#: sentence-final punctuation (after closing quotes/brackets are stripped)
_FINAL = set(".!?…。！？‼⁇;；")
_CLOSERS = set("\"'»”’)]）】」』》〉")
_ELLIPSIS_RE = re.compile(r"^(?:\.\.\.|…)\s*")
#: punctuation a cut prefers to follow
_SOFT_BREAK = set(",;:，；：、—–")
_EDGE_PUNCT = ".,!?;:…。，！？、；：\"'«»“”()（）《》—– "


@dataclass
class Anchor:
    """An inline tag run at ``offset`` in the unit's visible text.

    A run is either all closing tags (``{\\i0}``, ``</b>``: they end the span
    before them) or starts with an opening one (``{\\i1}``, ``<font>``: the
    span after them); :func:`place_anchors` puts each kind at its own edge.
    """

    offset: int
    raw: str
    #: the source had whitespace before this run (kept for comment blocks: ``Он {note}играл``)
    space_before: bool = False

    @property
    def closing(self) -> bool:
        return all(is_closing_tag(t.raw) for t in tokenize(self.raw))

    @property
    def hard_space(self) -> bool:
        """An ASS hard space ``\\h``: it takes the place of one space of the translation."""
        return self.raw == "\\h"

    @property
    def comment(self) -> bool:
        return all(t.raw.startswith("{") and "\\" not in t.raw for t in tokenize(self.raw))


@dataclass
class Unit:
    """One piece of a cue that is translated as one text."""

    text: str
    lead: str = ""
    trail: str = ""
    anchors: list[Anchor] = field(default_factory=list)
    #: a dialogue line's leading dash (with its space), kept out of ``text``
    dash: str = ""

    def spans(self) -> list[tuple[int, int]]:
        """Spans of ``text`` between consecutive anchors (only when there are anchors)."""
        if not self.anchors:
            return []
        bounds = [0, *(a.offset for a in self.anchors), len(self.text)]
        return [(a, b) for a, b in itertools.pairwise(bounds) if self.text[a:b].strip()]

    def rebuild(self, translated: str, positions: Sequence[int]) -> str:
        """Raw text: lead + translated text with the anchors at ``positions`` + trail."""
        out = [self.lead, self.dash]
        prev = 0
        for anchor, pos in zip(self.anchors, positions, strict=False):
            piece = translated[prev:pos]
            if anchor.hard_space:  # the hard space replaces the plain space next to it
                if piece.endswith(" "):
                    piece = piece[:-1]
                elif translated[pos : pos + 1] == " ":
                    pos += 1
            elif anchor.comment and anchor.space_before and piece and not piece[-1].isspace():
                piece += " "  # a comment is invisible: the space the source had before it stays
            out.append(piece)
            out.append(anchor.raw)
            prev = pos
        out.append(translated[prev:])
        out.append(self.trail)
        return "".join(out)


@dataclass
class CueText:
    """A cue's text decoded into units; ``dialogue`` units are separate lines."""

    units: list[Unit]
    dialogue: bool = False

    @property
    def visible(self) -> str:
        return " ".join(u.text for u in self.units if u.text)


def is_cjk_char(ch: str) -> bool:
    """Wide (CJK, full-width punctuation) characters: no spaces between them."""
    return not is_halfwidth(ch)


def _joiner(left: str, right: str) -> str:
    """What a line break becomes: nothing between two CJK characters, else a space."""
    if not left or not right:
        return ""
    if left[-1].isspace() or right[0].isspace():
        return ""
    if is_cjk_char(left[-1]) and is_cjk_char(right[0]):
        return ""
    return " "


def join_texts(parts: Sequence[str]) -> str:
    """Join texts with a space, or nothing between two CJK characters."""
    return join_with_offsets(parts)[0]


def join_with_offsets(parts: Sequence[str]) -> tuple[str, list[int]]:
    """:func:`join_texts` and where each (stripped) part starts in the result."""
    out = ""
    starts: list[int] = []
    for part in parts:
        part = part.strip()
        if part:
            out += _joiner(out, part)
        starts.append(len(out))
        out += part
    return out, starts


def _unit_from_tokens(tokens: Sequence[Token], *, dialogue: bool = False) -> Unit:
    visible_idx = [i for i, t in enumerate(tokens) if t.kind in (Kind.TEXT, Kind.SPACE) and t.visible.strip()]
    if not visible_idx:
        # nothing to translate (tags, a drawing): keep all of it, drop only the breaks
        return Unit(text="", lead="".join(t.raw for t in tokens if t.hidden))
    first, last = visible_idx[0], visible_idx[-1]
    lead = "".join(t.raw for t in tokens[:first] if t.hidden or t.kind is Kind.SPACE)
    trail = "".join(t.raw for t in tokens[last + 1 :] if t.hidden or t.kind is Kind.SPACE)
    text = ""
    anchors: list[Anchor] = []
    pending_break = False
    for tok in tokens[first : last + 1]:
        if tok.hidden:  # tags, drawings and ruby readings are anchors, kept where they are
            # closers then openers at one offset (``{\i0}{\b1}``) are two anchors:
            # in the translation the span before and the span after may not touch
            run = anchors[-1] if anchors else None
            if (run is not None and run.offset == len(text) and not run.hard_space
                    and not (run.closing and not is_closing_tag(tok.raw))):  # fmt: skip
                run.raw += tok.raw
            else:
                anchors.append(Anchor(len(text), tok.raw, space_before=text.endswith(" ")))
            continue
        if tok.kind is Kind.SPACE:  # a hard space: an anchor in the place of a plain space
            anchors.append(Anchor(len(text), tok.raw))
            if not text.endswith(" "):
                text += " "
            continue
        if tok.kind is Kind.BREAK:
            pending_break = True
            continue
        piece = re.sub(r"\s+", " ", tok.raw)
        if pending_break:
            piece_start = piece.lstrip()
            if piece_start:
                text = text.rstrip() if text.endswith(" ") and not _anchor_at(anchors, len(text)) else text
                text += _joiner(text, piece_start)
                piece = piece_start
                pending_break = False
        if text.endswith(" ") and piece.startswith(" "):
            piece = piece[1:]
        text += piece
    # a break at the very end of the span or a trailing space: keep anchors inside the text
    stripped = text.rstrip()
    dash = ""
    if dialogue:
        m = re.match(r"\s*(?:——|―|[-–—])\s*", stripped)
        if m:
            dash, stripped = m.group(0), stripped[m.end() :]
    for a in anchors:
        a.offset = max(0, min(a.offset - len(dash), len(stripped)))
    return Unit(text=stripped, lead=lead, trail=trail, anchors=anchors, dash=dash)


def _anchor_at(anchors: list[Anchor], offset: int) -> bool:
    return any(a.offset == offset for a in anchors)


def _split_lines(tokens: list[Token]) -> list[list[Token]]:
    lines: list[list[Token]] = [[]]
    for tok in tokens:
        if tok.kind is Kind.BREAK:
            lines.append([])
        else:
            lines[-1].append(tok)
    return lines


def decode(raw: str) -> CueText:
    """Decode a cue's raw text into translation units."""
    tokens = tokenize(raw)
    lines = _split_lines(tokens)
    if len(lines) >= 2:
        texts = ["".join(t.visible for t in line).strip() for line in lines]
        if all(texts) and all(_DIALOGUE_RE.match(t) for t in texts):
            return CueText([_unit_from_tokens(line, dialogue=True) for line in lines], dialogue=True)
    return CueText([_unit_from_tokens(tokens)])


# --------------------------------------------------------------------------- context


def target_dash(dash: str, *, cjk_target: bool) -> str:
    """A dialogue dash in the target's convention: ``——`` for Chinese, ``— `` otherwise."""
    if not dash:
        return ""
    if cjk_target:
        return "——"
    if dash.strip() in ("——", "―"):
        return "— "
    return dash if dash.endswith(" ") else dash + " "


def ends_sentence(text: str) -> bool:
    """Does ``text`` end with sentence-final punctuation (closing quotes ignored)?"""
    t = text.rstrip()
    while t and t[-1] in _CLOSERS:
        t = t[:-1].rstrip()
    return bool(t) and t[-1] in _FINAL and not t.endswith(("...", "…"))


def continues(prev: str, nxt: str, *, cjk_source: bool) -> bool:
    """Does ``nxt`` continue the sentence ``prev`` left open?"""
    prev, nxt = prev.strip(), nxt.strip()
    if not prev or not nxt:
        return False
    ellipsis_end = prev.endswith(("...", "…"))
    if ends_sentence(prev):
        return False
    if _DIALOGUE_RE.match(nxt):
        return False
    body = _ELLIPSIS_RE.sub("", nxt)
    if not body:
        return False
    first = body[0]
    if cjk_source:
        # no letter case in Chinese: an open sentence (comma or no final stop) continues
        return not ellipsis_end or nxt != body
    if ellipsis_end and nxt == body:
        return False  # "I thought..." / "Yes." — a trailing-off, not a continuation
    return first.islower() or (nxt != body and first.isalpha())


def group_continuations(
    texts: Sequence[str | None],
    starts: Sequence[int],
    ends: Sequence[int],
    keys: Sequence[object],
    *,
    cjk_source: bool,
    max_gap_ms: int = 1000,
    max_cues: int = 4,
    max_chars: int = 400,
) -> list[list[int]]:
    """Group indices of cues that continue one sentence.

    ``texts[i]`` is None for a cue that cannot be grouped (dialogue, empty).
    Cues join a group only when the gap is at most ``max_gap_ms`` and their
    ``keys`` (style, speaker) are equal.
    """
    groups: list[list[int]] = []
    for i, text in enumerate(texts):
        if groups and text is not None:
            g = groups[-1]
            j = g[-1]
            prev = texts[j]
            if (
                j == i - 1
                and prev is not None
                and len(g) < max_cues
                and sum(len(texts[k] or "") for k in g) + len(text) <= max_chars
                and 0 <= starts[i] - ends[j] <= max_gap_ms
                and keys[i] == keys[j]
                and continues(prev, text, cjk_source=cjk_source)
            ):
                g.append(i)
                continue
        groups.append([i])
    return groups


def _units_of(text: str, cjk: bool) -> int:
    if cjk:
        return sum(1 for ch in text if not ch.isspace() and not _is_punct(ch)) or 1
    return len(text.split()) or 1


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P")


def split_proportionally(
    text: str,
    weights: Sequence[str],
    *,
    cjk_source: bool,
    cjk_target: bool,
    keep_together: Sequence[tuple[int, int]] = (),
) -> list[str]:
    """Split a translation into ``len(weights)`` parts in proportion to the source parts.

    Proportions are measured in words (characters for CJK) of the source parts
    and applied to the words (characters) of ``text``; a cut prefers a nearby
    comma or dash, never falls inside a ``keep_together`` span (a restored
    glossary term) and never leaves a part empty when it can be avoided.
    """
    n = len(weights)
    if n <= 1:
        return [text.strip()]
    sizes = [_units_of(w, cjk_source) for w in weights]
    total = sum(sizes)
    # candidate cut positions (offsets in text) and the unit count before each
    cuts: list[int] = []
    if cjk_target:
        cuts = [i for i in range(1, len(text)) if not text[i].isspace() and not _is_punct(text[i])]
    else:
        cuts = [m.start() for m in re.finditer(r"(?<=\s)\S", text)]
    cuts = [c for c in cuts if not any(a < c < b for a, b in keep_together)]
    if not cuts:
        return [text.strip()] + [""] * (n - 1)
    units = len(cuts) + 1
    chosen: list[int] = []
    acc = 0
    lo = 0  # index into cuts
    for k in range(n - 1):
        acc += sizes[k]
        ideal = acc / total * units  # units before the cut
        remaining = n - 1 - k - 1  # cuts still needed after this one
        hi = len(cuts) - 1 - remaining
        best = min(max(round(ideal) - 1, lo), hi) if hi >= lo else lo
        # prefer a cut right after soft punctuation within one unit
        for delta in (0, -1, 1):
            c = best + delta
            if lo <= c <= hi and c < len(cuts):
                before = text[: cuts[c]].rstrip()
                if before and before[-1] in _SOFT_BREAK:
                    best = c
                    break
        best = min(max(best, lo), len(cuts) - 1)
        chosen.append(cuts[best])
        lo = best + 1
        if lo >= len(cuts):
            break
    parts: list[str] = []
    prev = 0
    for c in chosen:
        parts.append(text[prev:c].strip())
        prev = c
    parts.append(text[prev:].strip())
    while len(parts) < n:
        parts.append("")
    return parts


# --------------------------------------------------------------------------- anchors


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

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

from ..markup import Kind, Token, is_halfwidth, tokenize

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
    """An inline tag run at ``offset`` in the unit's visible text."""

    offset: int
    raw: str


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
            out.append(translated[prev:pos])
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
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        out += _joiner(out, part) + part
    return out


def _unit_from_tokens(tokens: Sequence[Token], *, dialogue: bool = False) -> Unit:
    visible_idx = [i for i, t in enumerate(tokens) if t.kind in (Kind.TEXT, Kind.SPACE) and t.visible.strip()]
    if not visible_idx:
        # nothing to translate: keep every tag, drop only the breaks
        return Unit(text="", lead="".join(t.raw for t in tokens if t.kind is Kind.TAG))
    first, last = visible_idx[0], visible_idx[-1]
    lead = "".join(t.raw for t in tokens[:first] if t.kind is Kind.TAG)
    trail = "".join(t.raw for t in tokens[last + 1 :] if t.kind is Kind.TAG)
    text = ""
    anchors: list[Anchor] = []
    pending_break = False
    for tok in tokens[first : last + 1]:
        if tok.kind is Kind.TAG:
            if anchors and anchors[-1].offset == len(text):
                anchors[-1].raw += tok.raw
            else:
                anchors.append(Anchor(len(text), tok.raw))
            continue
        if tok.kind is Kind.BREAK:
            pending_break = True
            continue
        piece = " " if tok.kind is Kind.SPACE else re.sub(r"\s+", " ", tok.raw)
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


def _norm(s: str) -> str:
    return s.strip(_EDGE_PUNCT).casefold()


def locate(needle: str, haystack: str, expected: int) -> tuple[int, int] | None:
    """Where a span's own translation occurs in the full translation (nearest ``expected``)."""
    n = _norm(needle)
    if not n:
        return None
    hay = haystack.casefold()
    found: list[int] = []
    start = hay.find(n)
    while start != -1:
        found.append(start)
        start = hay.find(n, start + 1)
    if not found:
        return None
    best = min(found, key=lambda s: abs(s - expected))
    return best, best + len(n)


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

    An anchor goes where the span it touches went: the span's own translation
    is looked up in the full translation (the wrapped span first: the one the
    anchor touches without a space between). Otherwise it keeps its relative
    position, moved to a word edge. Offsets never decrease.
    """
    src = unit.text
    positions: list[int] = []
    prev = 0
    bounds = [0, *(a.offset for a in unit.anchors), len(src)]
    for k, anchor in enumerate(unit.anchors):
        off = anchor.offset
        expected = round(len(translated) * off / len(src)) if src else 0
        word_start = off >= len(src) or not src[off].isspace()
        left_span = (bounds[k], bounds[k + 1])
        right_span = (bounds[k + 1], bounds[k + 2])
        candidates: list[int] = []
        order = [("right", right_span), ("left", left_span)] if word_start else [
            ("left", left_span),
            ("right", right_span),
        ]
        for side, span in order:
            tr = span_translations.get(span)
            if tr is None:
                continue
            hit = locate(tr, translated, expected)
            if hit is None:
                continue
            candidates.append(hit[0] if side == "right" else hit[1])
        pos = next((c for c in candidates if c >= prev), None)
        if pos is None:
            pos = max(_snap(translated, expected, word_start=word_start, cjk=cjk_target), prev)
        positions.append(pos)
        prev = pos
    return positions

"""A cue's raw text as translation units (see :mod:`dubdesk.translate.segments`)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...markup import Kind, Token, is_closing_tag, is_halfwidth, tokenize

#: a line that starts a speaker's turn: hyphen, en/em dash, Chinese double dash
DIALOGUE_RE = re.compile(r"^\s*(?:——|―|[-–—])")


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
        if all(texts) and all(DIALOGUE_RE.match(t) for t in texts):
            return CueText([_unit_from_tokens(line, dialogue=True) for line in lines], dialogue=True)
    return CueText([_unit_from_tokens(tokens)])

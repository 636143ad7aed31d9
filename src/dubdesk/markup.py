r"""Subtitle markup as tokens: one tokenizer shared by glossary matching,
translation, QA counting and reflow.

Cue text is pysubs2's internal form. A token is one of:

- ``TAG``: an ASS override block ``{\i1}`` or an HTML-style tag ``<font color="red">``,
  ``</i>`` (kept from SRT/WebVTT); never visible, never translated;
- ``BREAK``: a line break ``\N`` or ``\n`` (visible as ``"\n"``);
- ``SPACE``: a hard space ``\h`` (visible as U+00A0);
- ``TEXT``: everything else, visible.

Decode to tokens, work on the visible text, encode back: the raw offsets in
each token make that exact (``join(tokenize(t)) == t`` for every string).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class Kind(enum.Enum):
    TEXT = "text"
    TAG = "tag"
    BREAK = "break"
    SPACE = "space"


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    raw: str
    start: int  #: offset of ``raw`` in the tokenized string

    @property
    def end(self) -> int:
        return self.start + len(self.raw)

    @property
    def visible(self) -> str:
        if self.kind is Kind.TEXT:
            return self.raw
        if self.kind is Kind.BREAK:
            return "\n"
        if self.kind is Kind.SPACE:
            return "\u00a0"
        return ""


# An override block never contains "}" ; an HTML-ish tag starts with a letter or "/" after "<".
_TOKEN_RE = re.compile(r"(\{[^{}]*\})|(\\[Nn])|(\\h)|(<\s*/?\s*[A-Za-z][^<>]*>)")
_QUICK_RE = re.compile(r"[{\\<]")


def tokenize(text: str) -> list[Token]:
    """Split cue text into tokens; ``"".join(t.raw for t in tokens) == text``."""
    tokens: list[Token] = []
    pos = 0
    for m in _TOKEN_RE.finditer(text):
        if m.start() > pos:
            tokens.append(Token(Kind.TEXT, text[pos : m.start()], pos))
        if m.group(1) is not None or m.group(4) is not None:
            kind = Kind.TAG
        elif m.group(2) is not None:
            kind = Kind.BREAK
        else:
            kind = Kind.SPACE
        tokens.append(Token(kind, m.group(0), m.start()))
        pos = m.end()
    if pos < len(text):
        tokens.append(Token(Kind.TEXT, text[pos:], pos))
    return tokens


def join(tokens: list[Token]) -> str:
    return "".join(t.raw for t in tokens)


def has_markup(text: str) -> bool:
    """Cheap test: could ``text`` contain any tag, break or hard space?"""
    return _QUICK_RE.search(text) is not None


def visible(text: str) -> str:
    """The text a viewer sees: tags removed, ``\\N`` as ``"\\n"``, ``\\h`` as U+00A0."""
    if not has_markup(text):
        return text
    return "".join(t.visible for t in tokenize(text))


def visible_map(text: str) -> tuple[str, list[int]]:
    """Visible text plus, for each visible character, its offset in ``text``.

    The map has one extra entry at the end, ``len(text)``, so a visible span
    ``[a, b)`` maps to raw ``[m[a], m[b-1] + width)``; use :func:`raw_span`.
    """
    out: list[str] = []
    offsets: list[int] = []
    for tok in tokenize(text):
        if tok.kind is Kind.TEXT:
            out.append(tok.raw)
            offsets.extend(range(tok.start, tok.end))
        elif tok.kind in (Kind.BREAK, Kind.SPACE):
            out.append(tok.visible)
            offsets.append(tok.start)
    offsets.append(len(text))
    return "".join(out), offsets


def raw_span(text: str, offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """Raw ``[start, end)`` in ``text`` for a visible span from :func:`visible_map`.

    The raw span starts at the first visible character and ends after the last
    one (a break token counts its whole two characters), so tags *inside* the
    span are included and tags around it are not.
    """
    if end <= start:
        return offsets[start], offsets[start]
    last = offsets[end - 1]
    width = 2 if text.startswith(("\\N", "\\n", "\\h"), last) else 1
    return offsets[start], last + width


def lines(text: str) -> list[str]:
    """Visible lines of a cue (split at ``\\N``/``\\n``)."""
    return visible(text).split("\n")


def strip_tags(text: str) -> str:
    """Raw text without tags, line breaks kept as ``\\N``."""
    if not has_markup(text):
        return text
    return "".join(t.raw for t in tokenize(text) if t.kind is not Kind.TAG)


#: one override inside an ASS block: name (``i``, ``fs``, ``1c``, ``pos``…) and argument;
#: a parenthesised argument may hold backslashes of its own (``\t(0,500,\fs20)``)
_OVERRIDE_RE = re.compile(r"\\(\d?[a-z]+)(\([^()]*\)|[^\\]*)")
#: overrides switched off by a 0 argument: ``\i0``/``\b0``/``\u0``/``\s0``
_OFF_NAMES = frozenset("ibus")


def overrides(block: str) -> list[tuple[str, str]]:
    r"""The overrides of an ASS block (``{\i1\pos(10,20)}`` → ``[("i", "1"), ("pos", "(10,20)")]``).

    ``block`` may include its braces. A block without a backslash is a
    comment and has no overrides.
    """
    if block.startswith("{") and block.endswith("}"):
        block = block[1:-1]
    return [(m.group(1), m.group(2)) for m in _OVERRIDE_RE.finditer(block)]


def is_closing_tag(raw: str) -> bool:
    r"""Does this tag end formatting rather than start it?

    ``</i>``, ``</font>``, ``{\i0}``, ``{\b0\u0}``, ``{\r}`` and overrides
    without an argument (``{\c}``, ``{\fs}``: back to the style's value)
    close; ``<i>``, ``{\i1}``, ``{\fs20}``, ``{\an8}`` and comment blocks
    apply to what follows. A closing tag belongs to the text before it,
    the others to the text after it: reflow and translation keep them there.
    """
    raw = raw.strip()
    if raw.startswith("<"):
        return raw[1:].lstrip().startswith("/")
    found = overrides(raw)
    return bool(found) and all(
        name.startswith("r") or not arg.strip() or (name in _OFF_NAMES and arg.strip() == "0") for name, arg in found
    )


def is_halfwidth(ch: str) -> bool:
    """Half-width for the CJK reading-speed rule: ASCII and half-width forms count 0.5."""
    o = ord(ch)
    return o < 0x1100 or 0xFF61 <= o <= 0xFFDC or 0xFFE8 <= o <= 0xFFEE

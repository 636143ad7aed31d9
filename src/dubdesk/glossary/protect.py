"""Protect glossary terms through machine translation.

``protect`` replaces each source-language term with a placeholder; the
translation pipeline translates the protected text; ``restore`` puts the
approved target form where the placeholder came back.

The placeholder is ``ZXQ<n>Q`` (n = 0, 1, 2 …): plain ASCII capitals and
digits, no punctuation, no spaces. ``style="alternate"`` writes the index as
letters (``ZXQ<A-J…>Q``: ZXQAQ, ZXQBQ, ZXQBCQ for 12) for a retry with a model
that mangles digits. SentencePiece splits it into single
letters and digits that every model has in its vocabulary, a copy or
word-for-word model copies them, and no language's dictionary translates
``ZXQ``. ``restore`` accepts the placeholder as models return it: in any
case, with spaces inside (``zxq 0 q``, ``Z X Q 0 Q``), the closing Q lost
(``ZXQ0``), in full-width letters or digits (``ＺＸＱ０Ｑ``, which Chinese
models write), and glued to the word before or after it (``andZXQ1Q``,
``ZXQ1Qare``): see :func:`find_placeholders`. A placeholder that does not
come back is never dropped silently: :func:`restore` raises,
:func:`restore_report` and :meth:`Protected.missing` name the lost terms so
the pipeline can retry.

The restored term gets the spacing of the target language: into Chinese or
Japanese, spaces a model put around it next to CJK characters are removed;
into a spaced language, a term glued to a word gets its space back.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .. import languages, markup
from ..errors import GlossaryError
from ..languages.scripts import CJK_RUN_RE
from .edits import edit_raw, replacement
from .model import Glossary, is_cjk_form

#: a placeholder as it may come back from a model (after :func:`_ascii_folded`): any case, spaces
#: inside, the closing Q lost, glued to a neighbouring word; group 1 is the index, in digits or
#: (alternate style) in letters A–J. A spaced closing Q must not start the next Latin word.
PLACEHOLDER_RE = re.compile(
    r"Z\s?X\s?Q\s?(\d(?:\s?\d){0,3}|[A-J](?:\s?[A-J]){0,3}(?=\s?Q))(?:Q|\s+Q(?![A-Za-z]))?", re.IGNORECASE
)
_LETTERS = "ABCDEFGHIJ"
log = logging.getLogger(__name__)
#: full-width ASCII (U+FF01–U+FF5E) and the ideographic space, one character each: offsets stay the same
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _ascii_folded(text: str) -> str:
    return text.translate(_FOLD)


def find_placeholders(text: str) -> list[tuple[int, int, int]]:
    """Every placeholder in ``text`` as it came back from a model: ``(start, end, index)``."""
    return [(m.start(), m.end(), placeholder_index(re.sub(r"\s", "", m.group(1))))
            for m in PLACEHOLDER_RE.finditer(_ascii_folded(text))]


def placeholder(index: int, style: str = "default") -> str:
    """The placeholder for term ``index``: ``ZXQ0Q``, ``ZXQ1Q`` … (alternate: ``ZXQAQ``, ``ZXQBQ`` …)."""
    if style == "alternate":
        return "ZXQ" + "".join(_LETTERS[int(d)] for d in str(index)) + "Q"
    if style != "default":
        raise ValueError(f"unknown placeholder style {style!r}")
    return f"ZXQ{index}Q"


def placeholder_index(text: str) -> int:
    """The index a placeholder's group 1 stands for (digits or letters)."""
    if text.isdigit():
        return int(text)
    return int("".join(str(_LETTERS.index(ch)) for ch in text.upper()))


@dataclass
class ProtectedTerm:
    index: int
    entry: str
    source: str  #: the term as it was in the source text (raw, tags inside kept)
    target: str  #: what restore writes
    style: str = "default"

    @property
    def placeholder(self) -> str:
        return placeholder(self.index, self.style)


@dataclass
class Restored:
    text: str
    missing: list[ProtectedTerm] = field(default_factory=list)  #: placeholders that did not come back
    unknown: list[str] = field(default_factory=list)  #: placeholder-like text with no term behind it

    @property
    def ok(self) -> bool:
        return not self.missing and not self.unknown


@dataclass
class Protected:
    """A text with its terms replaced by placeholders, and what to put back."""

    text: str
    original: str
    src: str
    tgt: str
    terms: list[ProtectedTerm] = field(default_factory=list)
    #: terms found in the source that have no approved target form (left in place, not protected)
    unprotected: list[str] = field(default_factory=list)

    def missing(self, translated: str) -> list[ProtectedTerm]:
        """Terms whose placeholder is not in ``translated``."""
        present = {index for _, _, index in find_placeholders(translated)}
        return [t for t in self.terms if t.index not in present]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "original": self.original,
            "src": self.src,
            "tgt": self.tgt,
            "terms": [asdict(t) for t in self.terms],
            "unprotected": list(self.unprotected),
        }


def protect(text: str, glossary: Glossary, src: str, tgt: str, *, style: str = "default") -> Protected:
    """Replace every ``src`` term in ``text`` (raw cue text or plain) with a placeholder.

    Each placeholder's target is the approved ``tgt`` base form; when
    ``src == tgt`` it is the approved form with the text's ending and case,
    so ``restore(protect(t).text)`` gives ``t`` back for a correct text.
    """

    src, tgt = languages.normalize(src), languages.normalize(tgt)
    vis, offsets = markup.visible_map(text)
    matches = glossary.matcher(src).find(vis)
    edits: list[tuple[int, int, str]] = []
    terms: list[ProtectedTerm] = []
    unprotected: list[str] = []
    for m in matches:
        ra, rb = markup.raw_span(text, offsets, m.start, m.end)
        lf = m.entry.langs.get(tgt)
        surface = vis[m.start : m.end]
        if lf is None or not lf.approved_forms:
            unprotected.append(m.entry.id)
            continue
        if src == tgt:
            if m.pattern.ok:
                target = text[ra:rb]
            else:
                rep = replacement(m, vis, lf)
                if rep is None:
                    unprotected.append(m.entry.id)
                    continue
                a, b, new = rep
                target = edit_raw(text[ra:rb], [(a - m.start, b - m.start, new)])
        else:
            target = lf.best_approved(surface) or ""
        terms.append(ProtectedTerm(len(terms), m.entry.id, text[ra:rb], target, style))
        edits.append((ra, rb, placeholder(len(terms) - 1, style)))
    out = text
    for ra, rb, ph in reversed(edits):
        out = out[:ra] + ph + out[rb:]
    return Protected(out, text, src, tgt, terms, unprotected)


def _is_cjk_side(ch: str) -> bool:
    return ch == "" or bool(CJK_RUN_RE.match(ch))


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() and not _is_cjk_side(ch)


def restore_report(translated: str, protected: Protected) -> Restored:
    """Put the target forms back; report lost and unknown placeholders instead of raising."""
    by_index = {t.index: t for t in protected.terms}
    unknown: list[str] = []
    seen: set[int] = set()
    unspaced = protected.tgt.startswith(("zh", "ja"))
    out: list[str] = []
    pos = 0
    for start, end, index in find_placeholders(translated):
        term = by_index.get(index)
        if term is None:
            unknown.append(translated[start:end].strip())
            continue
        seen.add(index)
        before_text = translated[pos:start]
        after = translated[end] if end < len(translated) else ""
        target = term.target
        if unspaced or is_cjk_form(target):
            # no spaces between a CJK term and CJK text
            if _is_cjk_side(before_text.rstrip(" \t")[-1:]):
                before_text = before_text.rstrip(" \t")
            trail = ""
            rest = translated[end:]
            if rest[: len(rest) - len(rest.lstrip(" \t"))] and _is_cjk_side(rest.lstrip(" \t")[:1]):
                end += len(rest) - len(rest.lstrip(" \t"))
        else:
            # glued to a word by the model: the target language wants the space back
            if before_text and _is_word_char(before_text[-1]):
                before_text += " "
            trail = " " if _is_word_char(after) else ""
        out.append(before_text + target + trail)
        pos = end
    out.append(translated[pos:])
    missing = [t for t in protected.terms if t.index not in seen]
    return Restored("".join(out), missing, unknown)


def restore(translated: str, protected: Protected, *, strict: bool = False) -> str:
    """The translated text with each placeholder replaced by its approved target form.

    A placeholder the model lost is never dropped silently: it is logged,
    :meth:`Protected.missing` names it, ``verify_text`` reports the term as
    missing (so the pipeline retries or flags the cue), and with
    ``strict=True`` restore raises :class:`GlossaryError` naming the terms.
    :func:`restore_report` returns the text and the lost terms together.
    """
    result = restore_report(translated, protected)
    if not result.ok:
        log.warning(
            "placeholders not restored: lost %s, unknown %s",
            [t.placeholder for t in result.missing],
            result.unknown,
        )
    if strict and not result.ok:
        lost = ", ".join(f"{t.placeholder}={t.entry}" for t in result.missing)
        extra = ", ".join(result.unknown)
        detail = "; ".join(x for x in (f"lost: {lost}" if lost else "", f"unknown: {extra}" if extra else "") if x)
        raise GlossaryError(f"glossary placeholders not restored ({detail})", hint="retry the cue or flag it")
    return result.text

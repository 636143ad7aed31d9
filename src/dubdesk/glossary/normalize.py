"""Matching keys for glossary forms: case, quotes, spaces and scripts folded, offsets kept.

The model (reading a glossary) and the matcher (finding its terms) both need
these; they live here so neither imports the other for them.
"""

from __future__ import annotations

import re

from ..languages.scripts import CJK_CHAR_RE

#: one character in, one character out: matching is case- and quote-insensitive without moving offsets
_NORM_PAIRS = (
    ("ё", "е"),
    ("’", "'"), ("ʼ", "'"), ("‘", "'"), ("`", "'"), ("´", "'"),
    ("«", '"'), ("»", '"'), ("„", '"'), ("“", '"'), ("”", '"'), ("‟", '"'), ("‹", '"'), ("›", '"'),
    ("\u00a0", " "), ("\u202f", " "), ("\u2009", " "), ("\n", " "), ("\t", " "), ("\r", " "),
    ("‐", "-"), ("‑", "-"), ("‒", "-"),
)  # fmt: skip
_NORM_SPECIAL = re.compile("[" + "".join(re.escape(a) for a, _ in _NORM_PAIRS) + "]")
_LETTER = re.compile(r"[^\W\d_]")


def norm(text: str) -> str:
    """Matching key: lower case, ё→е, one kind of quote/apostrophe/space; same length as ``text``."""
    out = text.lower()
    if len(out) != len(text):  # a few letters (İ) lower-case to two characters: keep offsets
        out = "".join(low if len(low) == 1 else ch for ch, low in ((c, c.lower()) for c in text))
    if _NORM_SPECIAL.search(out) is not None:
        for a, b in _NORM_PAIRS:
            if a in out:
                out = out.replace(a, b)
    return out


def is_cjk_form(form: str) -> bool:
    """A form matched without word boundaries (Chinese): CJK characters, no other letters."""
    return bool(CJK_CHAR_RE.search(form)) and not any(
        _LETTER.match(ch) and not CJK_CHAR_RE.match(ch) for ch in form
    )


def is_mixed_form(form: str) -> bool:
    return bool(CJK_CHAR_RE.search(form)) and not is_cjk_form(form)

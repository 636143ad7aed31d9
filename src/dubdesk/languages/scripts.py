"""Facts about writing systems, defined once: CJK ranges, script letters, Kazakh letters, widths.

Every module that asks "is this CJK", "which script is this letter", "is this
Kazakh" or "how wide is this line" imports the answer from here; a test
(tests/test_layout.py) fails if a Unicode range or the Kazakh letters appear
as literals anywhere else in ``src/``.
"""

from __future__ import annotations

import re

#: letters Kazakh has and Russian lacks (KZ-1048 can write them, CP1251 cannot)
KAZAKH_LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"

#: ISO 15924 codes of the scripts written without spaces between words and counted by width
CJK_SCRIPTS = frozenset({"Hans", "Hant", "Jpan", "Kore"})

#: code point ranges of "wide" CJK text: radicals, kana, ideographs, compatibility forms,
#: full-width and half-width forms, and the supplementary ideograph planes
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x2FFFF),
)


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    """Ranges as the inside of a regex character class (``\\u2e80-\\u9fff…``)."""
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


#: :data:`CJK_RANGES` for a regex character class: ``re.compile(f"[{CJK_CLASS}]")``
CJK_CLASS = _char_class(CJK_RANGES)
CJK_CHAR_RE = re.compile(f"[{CJK_CLASS}]")
CJK_RUN_RE = re.compile(f"[{CJK_CLASS}]+")

#: Cyrillic and the Cyrillic Supplement (Russian, Kazakh, Ukrainian…)
CYRILLIC = (0x0400, 0x052F)

#: hiragana and katakana (full-width)
KANA = (0x3040, 0x30FF)
#: the precomposed Hangul syllables (the 2,350 of KS X 1001 lie inside)
HANGUL_SYLLABLES = (0xAC00, 0xD7A3)

#: letters of each script, for the wrong-script rule (regex class contents)
SCRIPT_CLASSES: dict[str, str] = {
    "Cyrl": _char_class((CYRILLIC,)),
    "Latn": "A-Za-z" + _char_class(((0x00C0, 0x024F),)),
    "Han": _char_class(((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))),
    "Kana": _char_class((KANA,)),
    "Hang": _char_class(((0xAC00, 0xD7AF), (0x1100, 0x11FF))),
    "Arab": _char_class(((0x0600, 0x06FF),)),
}

#: below this code point everything is half-width (Latin, Cyrillic, Greek…); Hangul Jamo starts here
_WIDE_FROM = 0x1100
#: half-width katakana and Hangul, half-width symbols inside the full-width block
HALFWIDTH_RANGES: tuple[tuple[int, int], ...] = ((0xFF61, 0xFFDC), (0xFFE8, 0xFFEE))


def is_cjk_char(ch: str) -> bool:
    """Is ``ch`` CJK text (ideograph, kana, full-width form, CJK punctuation)?"""
    o = ord(ch)
    # unrolled CJK_RANGES: this runs once per character in reflow
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF
        or (0x20000 <= o <= 0x2FFFF)
    )


def is_halfwidth(ch: str) -> bool:
    """Half-width for the CJK reading-speed rule: ASCII and half-width forms count 0.5."""
    o = ord(ch)
    # unrolled HALFWIDTH_RANGES: this runs once per character in QA and reflow
    return o < _WIDE_FROM or 0xFF61 <= o <= 0xFFDC or 0xFFE8 <= o <= 0xFFEE


def width(text: str, halfwidth_weight: float = 1.0) -> float:
    """Visible width of ``text``: each character 1, half-width ones ``halfwidth_weight``.

    The one line-length measure shared by QA (line length, reading speed) and reflow.
    """
    if halfwidth_weight == 1.0:
        return float(len(text))
    half = sum(1 for ch in text if is_halfwidth(ch))
    return len(text) - half + half * halfwidth_weight


def is_cyrillic(ch: str) -> bool:
    """A Cyrillic letter (Russian, Kazakh and the Cyrillic Supplement)."""
    return CYRILLIC[0] <= ord(ch) <= CYRILLIC[1]


def is_kana(ch: str) -> bool:
    return KANA[0] <= ord(ch) <= KANA[1]


def is_hangul_syllable(ch: str) -> bool:
    return HANGUL_SYLLABLES[0] <= ord(ch) <= HANGUL_SYLLABLES[1]

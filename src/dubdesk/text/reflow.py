r"""Re-break a cue's lines to a line length and line count (numbers from a QA profile; this module never imports qa).

>>> reflow("Спустя годы о них сняли фильм, его смотрели и в Китае, и в Казахстане.", "ru")
'Спустя годы о них сняли фильм,\\Nего смотрели и в Китае, и в Казахстане.'
>>> reflow("他没有家，也没有工作，只有音乐，还有一架旧钢琴。", "zh-Hans")
'他没有家，也没有工作，\\N只有音乐，还有一架旧钢琴。'

Rules (Netflix line treatment): keep the text on one line when it fits; else
break into at most ``max_lines`` lines, the lower line longer (bottom-heavy
pyramid); break after punctuation where possible, never leave a one-letter
Russian/Kazakh preposition or conjunction at the end of a line. Chinese breaks
between characters, preferring after ，。！？、；：, never before closing or after
opening punctuation, never inside a Latin word or a number; half-width
characters count 0.5. Lines are chosen on the visible text; tags
(``{\i1}``, ``<font ...>``) are kept, in order, and stick to the word they
touch: at a break, closing tags (``{\i0}``, ``</i>``) end the line above and
opening ones start the line below, so no line starts with a closing tag or
ends with an opening one. Two-speaker dialogue (lines starting with a dash)
keeps its breaks. When the text cannot fit, the best-effort layout is
returned: text is never dropped.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .. import languages, markup
from ..errors import UnknownLanguageError
from ..languages.scripts import is_cjk_char, is_halfwidth, width
from ..markup import Kind

__all__ = ["line_width", "reflow"]

_CJK_BREAK_AFTER = set("，。！？、；：,.!?;:…")
_NO_LINE_START = set("，。！？、；：,.!?;:…）》」』”’〉】〕)]}%·")
_NO_LINE_END = set("（《「『“‘〈【〔([{")
#: one-letter words that must not end a line (Russian/Kazakh prepositions, conjunctions)
_CLINGING = {"в", "с", "к", "у", "о", "и", "а", "я", "—", "-", "–", "В", "С", "К", "У", "О", "И", "А", "Я"}
#: words a line may start with after a break (before conjunctions and prepositions, Netflix)
_BREAK_BEFORE = {
    "и", "а", "но", "или", "что", "чтобы", "когда", "если", "потому", "в", "на", "с", "к", "по", "для", "до",
    "из", "от", "о", "об", "при", "через", "және", "мен", "бірақ", "немесе", "and", "but", "or", "that",
    "when", "because", "if", "to", "in", "on", "at", "with", "for", "of", "from",
}
_DIALOGUE_RE = re.compile(r"^\s*(?:[-–—]|——)")


@dataclass(slots=True)
class _Unit:
    raw: str  #: raw text of this unit (a visible char, or a tag)
    char: str  #: visible character ("" for a tag)
    width: float
    from_break: bool = False  #: a space that was a line break in the input

    @property
    def closing(self) -> bool:
        return not self.char and markup.is_closing_tag(self.raw)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() and not is_cjk_char(ch)


#: line length and half-width weight when the caller gives none: the common subtitle limits
#: (Netflix: 42 characters; 16 for Chinese, where half-width characters count half)
DEFAULT_MAX_CHARS = 42.0
DEFAULT_MAX_CHARS_CJK = 16.0
DEFAULT_HALFWIDTH_WEIGHT_CJK = 0.5


@functools.lru_cache(maxsize=32)
def _is_cjk_language(language: str) -> bool:
    try:
        return languages.is_cjk(language)
    except UnknownLanguageError:
        return False


#: visible width of one line (each character 1, half-width ones ``halfwidth_weight``)
line_width = width


def _units(text: str, cjk: bool, weight: float) -> list[_Unit]:
    """Flatten ``text`` into units; existing breaks become a space (or nothing in CJK)."""
    units: list[_Unit] = []
    for tok in markup.tokenize(text):
        if tok.hidden:  # a tag, a drawing path or a ruby reading: kept whole, never broken inside
            units.append(_Unit(tok.raw, "", 0.0))
        elif tok.kind is Kind.SPACE:
            units.append(_Unit(tok.raw, "\u00a0", 1.0 if weight == 1.0 else weight))
        elif tok.kind is Kind.BREAK:
            # CJK: decided below, once the next character is known
            units.append(_Unit(" ", "\x00" if cjk else " ", weight if cjk else 1.0, from_break=True))
        else:
            for ch in tok.raw:
                w = 1.0 if weight == 1.0 or not is_halfwidth(ch) else weight
                units.append(_Unit(ch, ch, w))
    if cjk:
        # an old break between two non-CJK characters was a space; between CJK characters, nothing
        for i, u in enumerate(units):
            if u.char == "\x00":
                prev = next((x.char for x in reversed(units[:i]) if x.char and x.char != "\x00"), "")
                nxt = next((x.char for x in units[i + 1 :] if x.char and x.char != "\x00"), "")
                keep = bool(prev and nxt and not is_cjk_char(prev) and not is_cjk_char(nxt))
                units[i] = _Unit(" ", " ", weight, from_break=True) if keep else _Unit("", "", 0.0)
        units = [u for u in units if u.raw]
    # collapse runs of spaces, drop spaces at both ends (tags stay)
    out: list[_Unit] = []
    for u in units:
        if u.char == " " and (not out or next((x.char for x in reversed(out) if x.char), " ") == " "):
            continue
        out.append(u)
    while True:
        idx = next((i for i in range(len(out) - 1, -1, -1) if out[i].char), None)
        if idx is not None and out[idx].char == " ":
            del out[idx]
            continue
        break
    # a joined line break sits where the tags around it split (``x</i> <b>y``), not inside them
    for i, u in enumerate(out):
        if u.from_break:
            lo, hi = _tag_run(out, i)
            others = [x for x in out[lo:hi] if x is not u]
            split = _closers_prefix(others)
            out[lo:hi] = [*others[:split], u, *others[split:]]
    return out


def _tag_run(units: list[_Unit], i: int) -> tuple[int, int]:
    """``[lo, hi)``: the unit at ``i`` with the tags (and spaces) around it, up to the visible characters."""
    lo = i
    while lo > 0 and units[lo - 1].char in ("", " "):
        lo -= 1
    hi = i + 1
    while hi < len(units) and units[hi].char in ("", " "):
        hi += 1
    return lo, hi


def _closers_prefix(units: list[_Unit]) -> int:
    """How many leading units are closing tags (spaces skipped): they stay on the line before a break."""
    n = 0
    for k, u in enumerate(units):
        if u.closing:
            n = k + 1
        elif u.char != " ":
            break
    return n


@dataclass(slots=True)
class _Cand:
    pos: int  #: units[:pos] | units[pos:]
    drop: int  #: index of the space the break replaces (-1: none, a CJK break)
    penalty: float


def _candidates(units: list[_Unit], cjk: bool) -> list[_Cand]:
    """Every place a line may break, with a penalty (lower is better)."""
    cands: list[_Cand] = []
    chars = [(i, u.char) for i, u in enumerate(units) if u.char]
    for n, (i, ch) in enumerate(chars):
        prev = chars[n - 1][1] if n > 0 else ""
        nxt = chars[n + 1][1] if n + 1 < len(chars) else ""
        if not prev or not nxt:
            continue
        if ch == " ":
            penalty = 3.0
            if prev in ",.;:!?…»)，。！？、；：":
                penalty = 0.0
            else:
                k = n + 1
                nxt_word = []
                while k < len(chars) and chars[k][1] != " ":
                    nxt_word.append(chars[k][1])
                    k += 1
                if "".join(nxt_word).lower() in _BREAK_BEFORE:
                    penalty = 1.5
            # word before the space
            j = n - 1
            word = []
            while j >= 0 and chars[j][1] not in (" ",):
                word.append(chars[j][1])
                j -= 1
            if "".join(reversed(word)) in _CLINGING:
                penalty = 50.0
            cands.append(_Cand(_break_at(units, chars[n - 1][0], chars[n + 1][0]), i, penalty))
        elif cjk:
            # break *before* char ch (between prev and ch)
            if prev == " " or ch in _NO_LINE_START or prev in _NO_LINE_END:
                continue
            if _is_word_char(prev) and _is_word_char(ch):
                continue  # inside a Latin word or a number
            if prev in _CJK_BREAK_AFTER or (prev in "”’」』》）" and n > 1 and chars[n - 2][1] in _CJK_BREAK_AFTER):
                penalty = 0.0
            else:
                penalty = 3.0
            cands.append(_Cand(_break_at(units, chars[n - 1][0], i), -1, penalty))
    return cands


def _break_at(units: list[_Unit], left: int, right: int) -> int:
    """Where the break goes between the visible characters at ``left`` and ``right``.

    The tags between them keep their order; the break goes after the
    closing ones that follow ``left`` (they end the line above), so the
    opening ones start the line below.
    """
    return left + 1 + _closers_prefix(units[left + 1 : right])


def _width(units: list[_Unit], start: int, end: int, cuts: list[_Cand]) -> float:
    dropped = {c.drop for c in cuts}
    return sum(u.width for k, u in enumerate(units[start:end], start) if k not in dropped)


def _widths(units: list[_Unit], cuts: list[_Cand]) -> list[float]:
    bounds = [0, *[c.pos for c in cuts], len(units)]
    return [_width(units, bounds[n], bounds[n + 1], cuts) for n in range(len(bounds) - 1)]


def _cost(widths: list[float], penalties: float, limit: float) -> float:
    over = sum(max(0.0, w - limit) for w in widths)
    cost = over * 1000.0 + penalties * 2.0
    if len(widths) == 2:
        top, bottom = widths
        cost += abs(bottom - top) * 0.5
        if top > bottom:
            cost += (top - bottom) * 1.5 + 2.0  # bottom-heavy preferred
    elif len(widths) > 2:
        mean = sum(widths) / len(widths)
        cost += sum(abs(w - mean) for w in widths) * 0.5
    return cost


def _render(units: list[_Unit], cuts: list[_Cand]) -> str:
    out: list[str] = []
    cut_at = {c.pos for c in cuts}
    dropped = {c.drop for c in cuts}
    for i, u in enumerate(units):
        if i in cut_at:
            out.append("\\N")
        if i not in dropped:
            out.append(u.raw)
    return "".join(out)


def reflow(
    text: str,
    language: str,
    max_chars: float | None = None,
    max_lines: int = 2,
    *,
    halfwidth_weight: float | None = None,
) -> str:
    r"""Re-break ``text`` (pysubs2 internal form) for ``language``.

    The limits are numbers the caller takes from its QA profile; without them
    the common ones apply (16 characters with half-width counting 0.5 for
    CJK languages, 42 otherwise). ``language`` decides how to break (between
    characters for CJK, between words otherwise). Returns the text with ``\N``
    breaks; visible characters other than the spaces at breaks are unchanged.
    """
    cjk = _is_cjk_language(language)
    limit = float(max_chars) if max_chars is not None else DEFAULT_MAX_CHARS_CJK if cjk else DEFAULT_MAX_CHARS
    if halfwidth_weight is not None:
        weight = float(halfwidth_weight)
    else:
        weight = DEFAULT_HALFWIDTH_WEIGHT_CJK if cjk else 1.0
    max_lines = max(1, int(max_lines))
    vis_lines = markup.lines(text)
    if len(vis_lines) > 1 and sum(1 for ln in vis_lines if _DIALOGUE_RE.match(ln)) >= 2:
        return text  # two speakers: one line each, breaks are meaningful
    units = _units(text, cjk, weight)
    total = sum(u.width for u in units)
    if total <= limit or max_lines == 1:
        return _render(units, [])
    cands = _candidates(units, cjk)
    if not cands:
        return _render(units, [])
    best: tuple[float, list[_Cand]] = (_cost([total], 0.0, limit), [])
    for n_lines in range(2, max_lines + 1):
        found = _best_split(units, cands, n_lines, limit)
        if found is None:
            continue
        cost, cuts = found
        fits = all(w <= limit for w in _widths(units, cuts))
        if cost < best[0]:
            best = (cost, cuts)
        if fits:
            return _render(units, cuts)
    return _render(units, best[1])


def _best_split(units: list[_Unit], cands: list[_Cand], n_lines: int, limit: float) -> tuple[float, list[_Cand]] | None:
    if len(cands) < n_lines - 1:
        return None
    if n_lines == 2:
        scored = ((_cost(_widths(units, [c]), c.penalty, limit), idx) for idx, c in enumerate(cands))
        cost, idx = min(scored)
        return cost, [cands[idx]]
    # more lines: greedy fill then local choice; subtitles rarely need more than 2
    target = sum(u.width for u in units) / n_lines
    cuts: list[_Cand] = []
    start = 0
    acc = 0.0
    for c in cands:
        acc = _width(units, start, c.pos, [*cuts, c])
        if acc >= target * 0.9 and len(cuts) < n_lines - 1:
            cuts.append(c)
            start = c.pos
    if not cuts:
        return None
    return _cost(_widths(units, cuts), sum(c.penalty for c in cuts), limit), cuts

"""Sentences across cues: which cues continue one sentence, and cutting a joint translation
back in proportion."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from .units import DIALOGUE_RE

#: sentence-final punctuation (after closing quotes/brackets are stripped)
_FINAL = set(".!?…。！？‼⁇;；")
_CLOSERS = set("\"'»”’)]）】」』》〉")
_ELLIPSIS_RE = re.compile(r"^(?:\.\.\.|…)\s*")
#: punctuation a cut prefers to follow
_SOFT_BREAK = set(",;:，；：、—–")


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
    if DIALOGUE_RE.match(nxt):
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

"""Near-misses of Chinese terms: a window of the text that differs from an approved form in exactly
one character, found through indexes of the forms' character pairs and compared with numpy."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from itertools import accumulate
from typing import TYPE_CHECKING

from ..languages.scripts import CJK_RUN_RE
from .cjk_pairs import codes_of, pair, pair_hits
from .spelling import NearMiss

if TYPE_CHECKING:
    from .model import Entry


class HanIndex:
    """The Chinese forms of one language, indexed by their first two and last two characters."""

    def __init__(self, min_chars: int) -> None:
        self.min_chars = min_chars
        #: character pair (as one integer, see ``pair``) -> (form, offset of the pair in the form)
        self.first: dict[int, list[tuple[str, int]]] = {}
        self.skip: dict[int, list[tuple[str, int]]] = {}
        self.entry: dict[str, Entry] = {}

    def __bool__(self) -> bool:
        return bool(self.entry)

    def add(self, e: Entry, form: str) -> None:
        """Index an approved or accepted Chinese form of ``e``."""
        letters = sum(1 for ch in form if ch.isalpha())
        if letters < self.min_chars or form in self.entry:
            return
        self.entry[form] = e
        n = len(form)
        self.first.setdefault(pair(form[0], form[1]), []).append((form, 0))
        self.first.setdefault(pair(form[-2], form[-1]), []).append((form, n - 2))
        if n == 3:  # the middle character: only the outer two are left to anchor on
            self.skip.setdefault(pair(form[0], form[2]), []).append((form, 0))

    def find(
        self, texts: list[str], common: frozenset[str], ignored: set[str]
    ) -> Iterable[tuple[int, NearMiss]]:
        """Near-misses in ``texts``: windows one character off a form, not common words, not ignored."""
        s = "\x00".join(texts)
        if CJK_RUN_RE.search(s) is None:
            return
        starts = [0, *accumulate(map((1).__add__, map(len, texts)))]
        found: list[tuple[int, str, str]] = []  # (start, window, form)
        for st, form, j in one_off_windows(s, self.first, self.skip):
            q = st + j  # the one character that differs: every other one is the form's own
            if not form[j].isalpha() or not s[q].isalpha() or CJK_RUN_RE.match(s, q) is None:
                continue
            window = s[st : st + len(form)]
            if window in ignored:
                continue
            if s[q] in common or in_common_word(s, q, common) or crosses_common_word(s, st, st + len(form), common):
                continue
            found.append((st, window, form))
        for st, window, form in longest_unambiguous(found):
            i = bisect.bisect_right(starts, st) - 1
            base = starts[i]
            yield i, NearMiss(st - base, st - base + len(form), window, form, self.entry[form], form, 1)


def one_off_windows(
    s: str, first: dict[int, list[tuple[str, int]]], skip: dict[int, list[tuple[str, int]]]
) -> list[tuple[int, str, int]]:
    """``(start, form, j)`` for every window of ``s`` that differs from a form in exactly one
    character, at ``j``, sorted by start. The windows come from the pair indexes (the form's first
    two and last two characters; first and third of a three-character form) and are compared
    with numpy, position by position, over the code points: a Python pass over two million
    characters would take as long as loading the file."""
    import numpy as np

    codes = codes_of(s)
    forms: dict[str, int] = {}
    rows: list[tuple[np.ndarray, np.ndarray]] = []  # (window starts, form numbers)
    for gap, index in ((1, first), (2, skip)):
        if not index or len(codes) <= gap:
            continue
        keys = list(index)
        number = {k: n for n, k in enumerate(keys)}
        ptr = [0]
        ent_form: list[int] = []
        ent_off: list[int] = []
        for k in keys:
            for form, off in index[k]:
                ent_form.append(forms.setdefault(form, len(forms)))
                ent_off.append(off)
            ptr.append(len(ent_form))
        pos, anchor = pair_hits(codes, gap, {k: number[k] for k in keys})
        if not len(pos):
            continue
        lo = np.asarray(ptr, dtype=np.int64)[anchor]
        cnt = np.asarray(ptr, dtype=np.int64)[anchor + 1] - lo
        total = int(cnt.sum())
        first_of = np.repeat(np.cumsum(cnt) - cnt, cnt)
        entry = np.repeat(lo, cnt) + (np.arange(total, dtype=np.int64) - first_of)
        rows.append((np.repeat(pos, cnt) - np.asarray(ent_off, dtype=np.int64)[entry], np.asarray(ent_form, dtype=np.int64)[entry]))
    if not rows:
        return []
    st = np.concatenate([r[0] for r in rows])
    fid = np.concatenate([r[1] for r in rows])
    names = list(forms)
    lengths = np.array([len(f) for f in names], dtype=np.int64)
    longest = int(lengths.max())
    table = np.array([[ord(c) for c in f] + [-1] * (longest - len(f)) for f in names], dtype=np.int64)
    key = np.unique(st * len(names) + fid)  # a window found by two anchors once
    st, fid = key // len(names), key % len(names)
    out: list[tuple[int, str, int]] = []
    for n in np.unique(lengths[fid]).tolist():
        sel = (lengths[fid] == n) & (st >= 0) & (st + n <= len(codes))
        if not sel.any():
            continue
        s_n, f_n = st[sel], fid[sel]
        differs = codes[s_n[:, None] + np.arange(n)] != table[f_n, :n]
        one = differs.sum(axis=1) == 1
        where = differs.argmax(axis=1)
        for a, f, j in zip(s_n[one].tolist(), f_n[one].tolist(), where[one].tolist(), strict=True):
            out.append((a, names[f], j))
    out.sort()
    return out


#: (offset from q, size) of every 2–4 character window that covers position q
_COVERING = tuple((d, size) for size in (2, 3, 4) for d in range(1 - size, 1))
#: (offset from a, size) of the 3–4 character windows that start before ``a`` and end two or more inside
_ACROSS_START = tuple((d, size) for size in (3, 4) for d in range(2 - size, 0))
#: (offset from b, size) of those that start two or more before ``b`` and end after it
_ACROSS_END = tuple((d, size) for size in (3, 4) for d in range(1 - size, -1))


def in_common_word(s: str, q: int, common: frozenset[str]) -> bool:
    """Whether a common word of 2–4 characters covers position ``q`` (人民币 is money, not a slip of 人民网)."""
    n = len(s)
    for d, size in _COVERING:
        lo = q + d
        if lo >= 0 and lo + size <= n and s[lo : lo + size] in common:
            return True
    return False


def crosses_common_word(s: str, a: int, b: int, common: frozenset[str]) -> bool:
    """Whether a common word of 3–4 characters runs across an edge of ``[a, b)`` with two or more of
    its characters inside: the window is then part of ordinary text (从来不|谈 is not a slip of a
    term 来不赫). One character shared is chance: a name's last character and the next word's first
    often make a word (…沙|拉了: 沙拉)."""
    for d, size in _ACROSS_START:  # starts before a, ends two or more inside
        lo = a + d
        if lo >= 0 and s[lo : lo + size] in common:
            return True
    for d, size in _ACROSS_END:  # starts two or more before b, ends after it
        lo = b + d
        if lo >= a and s[lo : lo + size] in common:
            return True
    return False


def longest_unambiguous(found: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """Overlapping Chinese candidates: the longest window wins (a slipped five-character name is not
    also a three-character one inside it); one window near two terms, or two equally long
    overlapping windows, is ambiguous and dropped. ``found`` is sorted by start."""
    out: list[tuple[int, str, str]] = []
    longest = max((len(w) for _s, w, _f in found), default=0)
    starts = [st for st, _w, _f in found]
    for k, (st, window, form) in enumerate(found):
        end = st + len(window)
        lo = bisect.bisect_left(starts, st - longest + 1)
        hi = bisect.bisect_left(starts, end)
        if hi - lo == 1 or not any(  # only itself in reach: the common case, no generator
            j != k and starts[j] + len(found[j][1]) > st and len(found[j][1]) >= len(window) for j in range(lo, hi)
        ):
            out.append((st, window, form))
    return out

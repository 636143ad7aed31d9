"""Near-misses of Chinese terms: a window of the text that differs from an approved form in exactly
one character, found through indexes of the forms' character pairs and compared with numpy."""

from __future__ import annotations

import functools
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from ..languages.scripts import CJK_RANGES, CJK_RUN_RE
from .cjk_pairs import PairTable, codes_of, pair
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
        self._windows: Windows | None = None

    def __bool__(self) -> bool:
        return bool(self.entry)

    def add(self, e: Entry, form: str) -> None:
        """Index an approved or accepted Chinese form of ``e``."""
        letters = sum(1 for ch in form if ch.isalpha())
        if letters < self.min_chars or form in self.entry:
            return
        self.entry[form] = e
        self._windows = None
        n = len(form)
        self.first.setdefault(pair(form[0], form[1]), []).append((form, 0))
        self.first.setdefault(pair(form[-2], form[-1]), []).append((form, n - 2))
        if n == 3:  # the middle character: only the outer two are left to anchor on
            self.skip.setdefault(pair(form[0], form[2]), []).append((form, 0))

    def prepare(self, common: frozenset[str]) -> Windows:
        """Build now what every text's search needs: the pair tables, the forms' code points, the
        common-word table (``prepare_glossary``; else on the first Chinese text)."""
        if self._windows is None:
            self._windows = Windows(self.first, self.skip)
        _common_table(common)
        _cjk_letters()
        return self._windows

    def find(self, texts: list[str], common: frozenset[str], ignored: set[str]) -> dict[int, list[NearMiss]]:
        """Near-misses in ``texts`` by text, left to right: windows one character off a form, not
        common words, not ignored.

        Every test runs over numpy arrays of all candidate windows at once: a Python pass per
        window costs more than loading the file when a text has tens of thousands of them.
        """
        out: dict[int, list[NearMiss]] = {}
        s = "\x00".join(texts)
        if CJK_RUN_RE.search(s) is None:
            return out
        import numpy as np

        windows = self.prepare(common)
        codes = codes_of(s)
        st, fid, j = windows.one_off(codes)
        q = st + j
        letters = _cjk_letters()
        words = _common_table(common)
        # the one character that differs is a Chinese letter in the text and in the form, and
        # no common word of its own; cheapest tests first, each on what the last one kept
        keep = np.flatnonzero(letters[codes[q]] & letters[windows.table[fid, j]] & ~words.single[codes[q]])
        st, fid, q = st[keep], fid[keep], q[keep]
        ids = words.ids_of(codes)
        keep = np.flatnonzero(~words.covers(ids, q))
        st, fid = st[keep], fid[keep]
        lengths = windows.lengths[fid]
        keep = np.flatnonzero(~words.crosses(ids, st, st + lengths))
        st, fid, lengths = st[keep], fid[keep], lengths[keep]
        keep = np.flatnonzero(_longest_unambiguous(st, lengths))
        st, fid = st[keep], fid[keep]
        starts = np.fromiter(accumulate(map((1).__add__, map(len, texts)), initial=0), dtype=np.int64, count=len(texts) + 1)
        cue = np.searchsorted(starts, st, side="right") - 1
        names, entry = windows.names, self.entry
        for a, f, i, at in zip(st.tolist(), fid.tolist(), cue.tolist(), (st - starts[cue]).tolist(), strict=True):
            form = names[f]
            n = len(form)
            window = s[a : a + n]
            if ignored and window in ignored:
                continue
            nm = NearMiss(at, at + n, window, form, entry[form], form, 1)
            have = out.get(i)
            if have is None:
                out[i] = [nm]
            else:
                have.append(nm)
        return out


class Windows:
    """The Chinese forms prepared for finding every window of a text one character off one of them."""

    def __init__(self, first: dict[int, list[tuple[str, int]]], skip: dict[int, list[tuple[str, int]]]) -> None:
        import numpy as np

        forms: dict[str, int] = {}
        #: per anchor kind: (gap, pair table, first entry per pair, offsets of the pair, form numbers)
        self.anchors: list[tuple[int, PairTable, Any, Any, Any]] = []
        for gap, index in ((1, first), (2, skip)):
            if not index:
                continue
            ptr = [0]
            ent_form: list[int] = []
            ent_off: list[int] = []
            for key in index:
                for form, off in index[key]:
                    ent_form.append(forms.setdefault(form, len(forms)))
                    ent_off.append(off)
                ptr.append(len(ent_form))
            table = PairTable({k: n for n, k in enumerate(index)})
            self.anchors.append((gap, table, np.asarray(ptr, dtype=np.int64), np.asarray(ent_off, dtype=np.int64), np.asarray(ent_form, dtype=np.int64)))
        self.names = list(forms)
        self.lengths = np.array([len(f) for f in self.names], dtype=np.int64)
        longest = int(self.lengths.max()) if self.names else 1
        #: the forms' code points, a row per form (-1 after its end)
        self.table = np.array([[ord(c) for c in f] + [-1] * (longest - len(f)) for f in self.names], dtype=np.int64).reshape(len(self.names), longest)

    def one_off(self, codes: Any) -> tuple[Any, Any, Any]:
        """Every window of a text (``codes``: its code points) that differs from a form in exactly
        one character: ``(starts, form numbers, j)`` sorted by start, ``j`` where each differs.
        The windows come from the pair tables (the form's first two and last two characters;
        first and third of a three-character form) and are compared with numpy, position by
        position: a Python pass over two million characters would take as long as loading the file."""
        import numpy as np

        rows: list[tuple[np.ndarray, np.ndarray]] = []  # (window starts, form numbers)
        for gap, pairs, ptr, ent_off, ent_form in self.anchors:
            if len(codes) <= gap:
                continue
            pos, anchor = pairs.hits(codes, gap)
            if not len(pos):
                continue
            lo = ptr[anchor]
            cnt = ptr[anchor + 1] - lo
            total = int(cnt.sum())
            first_of = np.repeat(np.cumsum(cnt) - cnt, cnt)
            entry = np.repeat(lo, cnt) + (np.arange(total, dtype=np.int64) - first_of)
            rows.append((np.repeat(pos, cnt) - ent_off[entry], ent_form[entry]))
        empty = np.zeros(0, dtype=np.int64)
        if not rows:
            return empty, empty, empty
        st = np.concatenate([r[0] for r in rows])
        fid = np.concatenate([r[1] for r in rows])
        count = len(self.names)
        key = np.unique(st * count + fid)  # a window found by two anchors once; sorted by start
        st, fid = key // count, key % count
        lengths = self.lengths[fid]
        parts: list[tuple[np.ndarray, np.ndarray]] = []
        for n in np.unique(lengths).tolist():
            sel = np.flatnonzero((lengths == n) & (st >= 0) & (st + n <= len(codes)))
            if not len(sel):
                continue
            differs = codes[st[sel][:, None] + np.arange(n)] != self.table[fid[sel], :n]
            one = differs.sum(axis=1) == 1
            parts.append((sel[one], differs[one].argmax(axis=1)))
        if not parts:
            return empty, empty, empty
        sel = np.concatenate([p[0] for p in parts])
        j = np.concatenate([p[1] for p in parts])
        order = np.argsort(sel, kind="stable")
        sel, j = sel[order], j[order]
        return st[sel], fid[sel], j


#: (offset from q, size) of every 2–4 character window that covers position q
_COVERING = tuple((d, size) for size in (2, 3, 4) for d in range(1 - size, 1))
#: (offset from a, size) of the 3–4 character windows that start before ``a`` and end two or more inside
_ACROSS_START = tuple((d, size) for size in (3, 4) for d in range(2 - size, 0))
#: (offset from b, size) of those that start two or more before ``b`` and end after it
_ACROSS_END = tuple((d, size) for size in (3, 4) for d in range(1 - size, -1))
#: flag in the pair table of :class:`CommonTable`: "is a word" (size 2) or "begins a word" (3, 4)
_WORD_BIT = {2: 1, 3: 2, 4: 4}
_PAD = 4  #: zeros around a text's character numbers: a window past either end is no word


class CommonTable:
    """A language's common words of one to four characters as numpy look-ups: each character that
    occurs in them gets a small number, a table over pairs of numbers says which pairs are a word
    or begin one, and a longer word is its numbers packed into one integer (exact: at most 15 bits
    a character), so whether a window of a text is a common word is two array look-ups (and a
    binary search for the rare window whose first two characters begin a word) over all windows
    at once."""

    def __init__(self, common: frozenset[str]) -> None:
        import numpy as np

        short = [w for w in common if 1 <= len(w) <= 4]
        chars = sorted({c for w in short if len(w) > 1 for c in w})
        self.bits = max(1, len(chars).bit_length())
        if 4 * self.bits > 62:  # pragma: no cover - the shipped lists have a few thousand characters
            raise ValueError("too many characters in the common-word list for one integer per word")
        self._number = np.zeros(0x110000, dtype=np.int64)
        self._number[[ord(c) for c in chars]] = np.arange(1, len(chars) + 1, dtype=np.int64)
        self.single = np.zeros(0x110000, dtype=bool)
        self.single[[ord(w) for w in short if len(w) == 1]] = True
        self._width = len(chars) + 1
        self._pairs = np.zeros(self._width * self._width, dtype=np.uint8)
        for w in short:
            if len(w) > 1:
                self._pairs[self._number[ord(w[0])] * self._width + self._number[ord(w[1])]] |= _WORD_BIT[len(w)]
        self._keys = {size: np.array(sorted(self._pack([self._number[ord(c)] for c in w]) for w in short if len(w) == size), dtype=np.int64) for size in (3, 4)}

    def _pack(self, numbers: Any) -> Any:
        key = 0
        for n in numbers:
            key = key << self.bits | n
        return key

    def ids_of(self, codes: Any) -> Any:
        """The characters' numbers (0: in no common word; NUL is in none), padded with zeros."""
        import numpy as np

        pad = np.zeros(_PAD, dtype=np.int64)
        return np.concatenate([pad, self._number[codes], pad])

    def _is_word(self, ids: Any, lo: Any, size: int) -> Any:
        """Whether the window of ``size`` characters at each ``lo`` (text offsets) is a common word."""
        import numpy as np

        at = np.clip(lo + _PAD, 0, len(ids) - size)
        hit = (lo + _PAD >= 0) & (lo + _PAD + size <= len(ids))
        hit &= (self._pairs[ids[at] * self._width + ids[at + 1]] & _WORD_BIT[size]) != 0
        if size == 2:
            return hit
        maybe = np.flatnonzero(hit)  # the first two characters begin a word of this size
        if len(maybe):
            cols = ids[at[maybe][:, None] + np.arange(size)]
            packed = self._pack(cols.T)
            keys = self._keys[size]
            found = keys[np.minimum(np.searchsorted(keys, packed), len(keys) - 1)] == packed
            hit[maybe] = found & (cols > 0).all(axis=1)
        return hit

    def covers(self, ids: Any, q: Any) -> Any:
        """Whether a common word of 2–4 characters covers position ``q`` (人民币 is money, not a slip of 人民网)."""
        import numpy as np

        out = np.zeros(len(q), dtype=bool)
        for d, size in _COVERING:
            out |= self._is_word(ids, q + d, size)
        return out

    def crosses(self, ids: Any, a: Any, b: Any) -> Any:
        """Whether a common word of 3–4 characters runs across an edge of ``[a, b)`` with two or more
        of its characters inside: the window is then part of ordinary text (从来不|谈 is not a slip
        of a term 来不赫). One character shared is chance: a name's last character and the next
        word's first often make a word (…沙|拉了: 沙拉)."""
        import numpy as np

        out = np.zeros(len(a), dtype=bool)
        for d, size in _ACROSS_START:  # starts before a, ends two or more inside
            out |= self._is_word(ids, a + d, size)
        for d, size in _ACROSS_END:  # starts two or more before b, ends after it
            out |= (b + d >= a) & self._is_word(ids, b + d, size)
        return out


@functools.cache
def _common_table(common: frozenset[str]) -> CommonTable:
    """The table of a common-word list (built once per list; a frozenset keeps its hash)."""
    return CommonTable(common)


@functools.cache
def _cjk_letters() -> Any:
    """Per code point: a Chinese (CJK) letter?"""
    import numpy as np

    out = np.zeros(0x110000, dtype=bool)
    for lo, hi in CJK_RANGES:
        out[lo : hi + 1] = [chr(c).isalpha() for c in range(lo, hi + 1)]
    return out


def _longest_unambiguous(st: Any, lengths: Any) -> Any:
    """Which overlapping candidates stay (``st`` sorted): the longest window wins (a slipped
    five-character name is not also a three-character one inside it); one window near two
    terms, or two equally long overlapping windows, is ambiguous and dropped. Pairs are compared
    k places apart in start order, k = 1, 2, … until no pair that far apart overlaps."""
    import numpy as np

    keep = np.ones(len(st), dtype=bool)
    k = 1
    while k < len(st):
        a, b = slice(0, len(st) - k), slice(k, len(st))
        overlap = st[b] < st[a] + lengths[a]
        if not overlap.any():
            break
        keep[a] &= ~(overlap & (lengths[b] >= lengths[a]))
        keep[b] &= ~(overlap & (lengths[a] >= lengths[b]))
        k += 1
    return keep

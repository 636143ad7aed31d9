"""How far a spelling may be from a term and still be a slip of it: the thresholds and common-word
lists (``data/``), the banded Damerau distance, deletion neighbourhoods, and :class:`NearMiss`,
what the near-miss search (:mod:`.nearmiss`, :mod:`.han_nearmiss`) finds."""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING

from .matcher import WORD_RE
from .model import norm

if TYPE_CHECKING:
    from .model import Entry


@dataclass(frozen=True)
class Thresholds:
    """How far a spelling may be from a term to be a near-miss (``data/nearmiss.toml``)."""

    #: script (ISO 15924) -> ((letters, largest distance), ...) ascending
    words: dict[str, tuple[tuple[int, int], ...]]
    han_min_chars: int

    def distance(self, script: str, letters: int) -> int:
        """Largest distance for a term word of ``letters`` letters (0: never checked)."""
        best = 0
        for n, d in self.words.get(script) or self.words["default"]:
            if letters >= n:
                best = d
        return best

    def shortest(self) -> int:
        return min(steps[0][0] for steps in self.words.values() if steps)


@functools.cache
def thresholds() -> Thresholds:
    raw = tomllib.loads(resources.files(__package__).joinpath("data/nearmiss.toml").read_text("utf-8"))
    words = {script: tuple((int(n), int(d)) for n, d in table["steps"]) for script, table in raw["words"].items()}
    return Thresholds(words=words, han_min_chars=int(raw["han"]["min_chars"]))


@functools.cache
def common_words(lang: str) -> frozenset[str]:
    """The language's common words (folded), empty when dubdesk ships no list for it."""
    path = resources.files(__package__).joinpath(f"data/words/{lang}.txt")
    if not path.is_file():
        return frozenset()
    lines = path.read_text("utf-8").splitlines()
    return frozenset(w for line in lines if not line.startswith("#") for w in norm(line).split())


def script_of(word: str) -> str:
    """ISO 15924 code of a word's first letter, as far as the thresholds table cares."""
    name = unicodedata.name(word[0], "")
    if name.startswith("LATIN"):
        return "Latn"
    if name.startswith("CYRILLIC"):
        return "Cyrl"
    return "default"


def osa_distance(a: str, b: str, limit: int) -> int:
    """Damerau distance (optimal string alignment: a swap of neighbours costs 1), capped at ``limit + 1``.

    Limits 1 and 2 (every term word) need no table: :func:`_edits`. Above that only the band of
    cells within ``limit`` of the diagonal is computed (cells outside it cost more than
    ``limit`` anyway), so a check is O(n · limit), not O(n²).
    """
    n, m = len(a), len(b)
    cap = limit + 1
    if abs(n - m) > limit:
        return cap
    if a == b:
        return 0
    if limit <= 2:  # every term word: string comparisons at C speed, no table
        return _edits(a, b, n, m, limit)
    if not n or not m:
        return min(n + m, cap)
    prev2: list[int] = []
    prev = [j if j <= limit else cap for j in range(m + 1)]
    for i in range(1, n + 1):
        cur = [cap] * (m + 1)
        if i <= limit:
            cur[0] = i
        lo, hi = max(1, i - limit), min(m, i + limit)
        ai = a[i - 1]
        for j in range(lo, hi + 1):
            v = prev[j - 1] + (ai != b[j - 1])
            if prev[j] + 1 < v:
                v = prev[j] + 1
            if cur[j - 1] + 1 < v:
                v = cur[j - 1] + 1
            if i > 1 and j > 1 and ai == b[j - 2] and a[i - 2] == b[j - 1] and prev2[j - 2] + 1 < v:
                v = prev2[j - 2] + 1
            cur[j] = v if v < cap else cap
        if min(cur[lo : hi + 1]) >= cap:
            return cap
        prev2, prev = prev, cur
    return min(prev[m], cap)


@functools.cache
def frozen_endings(endings: tuple[str, ...]) -> frozenset[str]:
    return frozenset(endings)


@functools.cache
def capitalised() -> re.Pattern[str]:
    """A word (``WORD_RE``) that starts with an upper-case letter. The letters come from
    ``str.isupper`` over the Basic Multilingual Plane, once per process (about 2 ms)."""
    upper = "".join(c for c in map(chr, range(0x10000)) if c.isupper())
    return re.compile(f"[{re.escape(upper)}](?:{WORD_RE.pattern})?")


def _edits(a: str, b: str, n: int, m: int, limit: int) -> int:
    """OSA distance of two different strings of lengths ``n``, ``m``, capped at ``limit + 1``, for
    ``limit`` 1 or 2. After their common start, some edit takes the first letter of one of them: a
    substitution, a deletion, an insertion or a swap, and the rest is one edit less away (the
    table's own recursion, read from the front)."""
    i = 0
    while i < n and i < m and a[i] == b[i]:
        i += 1
    a, b, n, m = a[i:], b[i:], n - i, m - i
    # (letters of a, letters of b) the edit takes: substitution, deletion, insertion, swap
    steps = [(x, y) for x, y in ((1, 1), (1, 0), (0, 1)) if x <= n and y <= m]
    if n > 1 and m > 1 and a[0] == b[1] and a[1] == b[0]:
        steps.append((2, 2))
    for x, y in steps:
        if a[x:] == b[y:]:
            return 1
    if limit > 1:
        for x, y in steps:
            if abs((n - x) - (m - y)) <= 1 and _edits(a[x:], b[y:], n - x, m - y, 1) == 1:
                return 2
    return limit + 1


def deletions(word: str) -> set[str]:
    """The word and every string one deletion from it (the SymSpell neighbourhood)."""
    return {word, *[word[:i] + word[i + 1 :] for i in range(len(word))]}


@dataclass(frozen=True, slots=True)
class NearMiss:
    """A spelling close to an approved form: ``text[start:end]`` is ``found``."""

    start: int
    end: int
    found: str
    suggestion: str  #: the approved spelling with the text's ending and case
    entry: Entry = field(repr=False)
    form: str  #: the approved or accepted form it is near
    distance: int

    @property
    def message(self) -> str:
        return f"did you mean {self.suggestion!r}?"

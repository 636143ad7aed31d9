"""Character pairs of Chinese text found at C speed (numpy): where a text has a pair of
characters that some glossary form has (the near-miss index's first filter)."""

from __future__ import annotations

from typing import Any


def pair(a: str, b: str) -> int:
    """Two characters as one integer (a key of the pair indexes)."""
    return ord(a) << 21 | ord(b)


class PairTable:
    """Pair keys (``pair``) with a number each, prepared once for :meth:`hits` over many texts: the
    characters of the keys get small numbers, so a pair is one cell of a small table (a binary
    search among the keys when the table would be large)."""

    def __init__(self, index: dict[int, int]) -> None:
        import numpy as np

        chars = sorted({k >> 21 for k in index} | {k & 0x1FFFFF for k in index})
        self.width = len(chars) + 1  # 0: a character no key has
        keys = np.fromiter(index, dtype=np.int64, count=len(index))
        values = np.fromiter(index.values(), dtype=np.int64, count=len(index))
        if self.width > 4096:  # a table over 64 MB: binary search among the keys instead
            order = np.argsort(keys)
            self.wanted, self.numbers = keys[order], values[order]
            self.table = None
            return
        # 32-bit cells: half the memory the look-ups of every character of a text walk through
        self.number = np.zeros(0x110000, dtype=np.int32)
        self.number[np.array(chars, dtype=np.int64)] = np.arange(1, self.width, dtype=np.int32)
        self.table = np.zeros(self.width * self.width, dtype=np.int32)  # key number + 1; 0: no key
        self.table[self.number[keys >> 21].astype(np.int64) * self.width + self.number[keys & 0x1FFFFF]] = values + 1

    def hits(self, codes: Any, gap: int) -> tuple[Any, Any]:
        """Positions p where the pair ``(codes[p], codes[p + gap])`` is a key, and the key's number."""
        import numpy as np

        if self.table is None:
            pairs = codes[:-gap] << 21 | codes[gap:]
            at = np.minimum(np.searchsorted(self.wanted, pairs), len(self.wanted) - 1)
            pos = np.flatnonzero(self.wanted[at] == pairs)
            return pos, self.numbers[at[pos]]
        ids = self.number[codes]  # int32: width * width < 2**24
        cells = self.table[ids[:-gap] * self.width + ids[gap:]]
        pos = np.flatnonzero(cells)
        return pos, cells[pos].astype(np.int64) - 1


def codes_of(s: str) -> Any:
    """The code points of ``s`` as a numpy int64 array (one per character, lone surrogates too)."""
    import numpy as np

    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.int64)

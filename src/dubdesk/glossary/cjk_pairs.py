"""Character pairs of Chinese text found at C speed (numpy): where a text has a pair of
characters that some glossary form has (the matcher's and the near-miss index's first filter)."""

from __future__ import annotations

from typing import Any


def pair(a: str, b: str) -> int:
    """Two characters as one integer (a key of the pair indexes)."""
    return ord(a) << 21 | ord(b)


def pair_hits(codes: Any, gap: int, index: dict[int, int]) -> tuple[Any, Any]:
    """Positions p where the pair ``(codes[p], codes[p + gap])`` is a key of ``index``, and the
    key's number. The characters of the keys get small numbers, so a pair is one cell of a small
    table (a binary search among the keys when the table would be large)."""
    import numpy as np

    pairs_lo = {k >> 21 for k in index} | {k & 0x1FFFFF for k in index}
    width = len(pairs_lo) + 1  # 0: a character no key has
    if width > 4096:  # a table over 64 MB: binary search among the keys instead
        pairs = codes[:-gap] << 21 | codes[gap:]
        wanted = np.array(sorted(index), dtype=np.int64)
        at = np.minimum(np.searchsorted(wanted, pairs), len(wanted) - 1)
        pos = np.flatnonzero(wanted[at] == pairs)
        numbers = np.array([index[k] for k in wanted.tolist()], dtype=np.int64)
        return pos, numbers[at[pos]]
    chars = np.array(sorted(pairs_lo), dtype=np.int64)
    number = np.zeros(0x110000, dtype=np.int32)
    number[chars] = np.arange(1, width, dtype=np.int32)
    keys = np.fromiter(index, dtype=np.int64, count=len(index))
    table = np.zeros(width * width, dtype=np.int64)  # key number + 1; 0: no key
    table[number[keys >> 21].astype(np.int64) * width + number[keys & 0x1FFFFF]] = (
        np.fromiter(index.values(), dtype=np.int64, count=len(index)) + 1
    )
    ids = number[codes].astype(np.int64)
    cells = table[ids[:-gap] * width + ids[gap:]]
    pos = np.flatnonzero(cells)
    return pos, cells[pos] - 1


def codes_of(s: str) -> Any:
    """The code points of ``s`` as a numpy int64 array (one per character, lone surrogates too)."""
    import numpy as np

    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.int64)

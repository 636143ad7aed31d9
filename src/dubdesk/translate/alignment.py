"""Word alignment from a model's attention, and where a joined translation is cut back into cues.

A sentence that runs over several cues is translated as one text; its
translation must then be cut so that every word lands in the cue its source
word came from. The standard way (Garg et al. 2019, "Jointly Learning to
Align and Translate"; the argmax alignment of Marian and OpenNMT) is to link
each target piece to the source piece its cross-attention peaks on.
CTranslate2 returns that attention (``return_attention=True``: one row per
target piece, averaged over the alignment heads).

- :func:`links_from_attention` turns attention rows into :class:`Link` s
  between character spans of the target text and of the source text; a row
  that is flat (its peak not clearly above uniform) gives no link;
- :func:`cut_points` chooses the cuts: each target character votes for the
  cue its linked source position lies in, and the monotone segmentation that
  agrees with the most votes wins (the vote is the smoothing: a stray link
  does not move a cut). A boundary next to a cue nothing links to is None
  (the caller cuts it in proportion); the whole answer is None when the
  alignment is flat (fewer than half the characters linked, or fewer than two
  cues linked): the caller falls back to the proportional split.

Everything here is pure; engines compute links, the pipeline cuts.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..markup import is_halfwidth

__all__ = ["Aligned", "Link", "compose", "cut_points", "links_from_attention", "piece_spans", "shift"]

#: a row is a link when its peak is at least this many times the uniform weight
PEAK_OVER_UNIFORM = 2.0
#: at least this fraction of the target's characters must be linked to trust the cut
MIN_LINKED = 0.5


@dataclass(frozen=True)
class Link:
    """Target characters ``[t0, t1)`` come from source characters ``[s0, s1)``."""

    t0: int
    t1: int
    s0: int
    s1: int


@dataclass
class Aligned:
    """A translation with its links to the source text it was made from."""

    text: str
    links: list[Link] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "links": [[k.t0, k.t1, k.s0, k.s1] for k in self.links]}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Aligned:
        raw = data.get("links") or []
        assert isinstance(raw, list)
        return cls(str(data.get("text", "")), [Link(*map(int, k)) for k in raw])


def piece_spans(pieces_text: Sequence[str], text: str) -> list[tuple[int, int]]:
    """Character spans in ``text`` of pieces whose cumulative decodings are ``pieces_text``.

    ``pieces_text[k]`` is the detokenised text of the first ``k + 1`` pieces;
    the decodings are mapped onto ``text`` (which may differ by normalisation:
    NFKC, spaces) by a character diff, so spans always index ``text``.
    Whitespace at a span's edges is left out.
    """
    full = pieces_text[-1] if pieces_text else ""
    to_text = _offset_map(full, text)
    spans: list[tuple[int, int]] = []
    prev = 0
    for decoded in pieces_text:
        end = max(prev, min(len(decoded), len(full)))
        a, b = to_text[prev], to_text[end]
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        spans.append((a, b))
        prev = end
    return spans


def _offset_map(a: str, b: str) -> list[int]:
    """For every offset 0..len(a) in ``a``, the corresponding offset in ``b``."""
    if a == b:
        return list(range(len(a) + 1))
    out = [0] * (len(a) + 1)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for i in range(i1, i2 + 1):
            out[i] = j1 + (round((i - i1) * (j2 - j1) / (i2 - i1)) if i2 > i1 else 0)
        if tag == "equal":
            for i in range(i1, i2 + 1):
                out[i] = j1 + (i - i1)
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1])
    return out


def links_from_attention(
    attention: Sequence[Sequence[float]],
    target_spans: Sequence[tuple[int, int]],
    source_spans: Sequence[tuple[int, int]],
    *,
    source_offset: int = 0,
) -> list[Link]:
    """A link per target piece whose attention peaks clearly on one source piece.

    ``attention[t][source_offset + s]`` is the weight of source piece ``s``
    for target piece ``t`` (``source_offset`` skips a language token; columns
    past the pieces, such as ``</s>``, are ignored).
    """
    links: list[Link] = []
    m = len(source_spans)
    if not m:
        return links
    threshold = min(0.9, PEAK_OVER_UNIFORM / m)
    for row, (t0, t1) in zip(attention, target_spans, strict=False):
        if t0 >= t1:
            continue
        weights = list(row[source_offset : source_offset + m])
        if not weights:
            continue
        best = max(range(len(weights)), key=weights.__getitem__)
        if weights[best] < threshold:
            continue
        s0, s1 = source_spans[best]
        if s0 < s1:
            links.append(Link(t0, t1, s0, s1))
    return links


def shift(links: Sequence[Link], target_by: int, source_by: int) -> list[Link]:
    """Links of a part moved to where the part sits in the joined texts."""
    return [Link(k.t0 + target_by, k.t1 + target_by, k.s0 + source_by, k.s1 + source_by) for k in links]


def compose(second: Sequence[Link], first: Sequence[Link]) -> list[Link]:
    """target→source links through a pivot: ``second`` (target→pivot) after ``first`` (pivot→source)."""
    starts = [k.t0 for k in first]
    out: list[Link] = []
    for k in second:
        middle = (k.s0 + k.s1 - 1) // 2
        i = bisect.bisect_right(starts, middle) - 1
        if i >= 0 and first[i].t0 <= middle < first[i].t1:
            out.append(Link(k.t0, k.t1, first[i].s0, first[i].s1))
    return out


def _cue_of_chars(text: str, links: Sequence[Link], bounds: Sequence[int]) -> list[int]:
    """For each character of ``text``: the cue its linked source position is in, -1 if none."""
    cues = [-1] * len(text)
    for k in links:
        width = k.t1 - k.t0
        for c in range(max(0, k.t0), min(len(text), k.t1)):
            if text[c].isspace():
                continue
            src = k.s0 + (c - k.t0) * (k.s1 - k.s0) / width
            cues[c] = bisect.bisect_right(bounds, src)
    return cues


def _can_cut(text: str, p: int) -> bool:
    """A cut before ``text[p]``: at a word start, or anywhere next to a wide (CJK) character."""
    if p <= 0 or p >= len(text):
        return True
    left, right = text[p - 1], text[p]
    if right.isspace():
        return False
    if left.isspace():
        return True
    return not is_halfwidth(left) or not is_halfwidth(right)


def cut_points(
    text: str,
    links: Sequence[Link],
    bounds: Sequence[int],
    *,
    keep_together: Sequence[tuple[int, int]] = (),
    source_length: int | None = None,
) -> list[int | None] | None:
    """Offsets in ``text`` where the translation of source cue k ends, for each boundary.

    ``bounds`` are the offsets in the source where cues 2, 3, … start. The
    cuts are the monotone segmentation that puts the most linked characters
    in the cue their source lies in (ties, such as a stretch of unlinked
    words: the cut nearest the place proportional to the source cues'
    lengths; ``source_length`` defaults to the end of the last link). A cue no character links to cannot be placed: the boundaries on
    either side of it are None (the caller cuts there in proportion). None
    when the alignment is too flat to decide anything.
    """
    n = len(bounds) + 1
    cues = _cue_of_chars(text, links, bounds)
    solid = sum(1 for ch in text if not ch.isspace())
    linked = sum(1 for c in cues if c >= 0)
    voted = set(cues) - {-1}
    if not solid or linked < MIN_LINKED * solid or len(voted) < 2:
        return None
    # cues nothing votes for join the voted cue before them (or the first one)
    group: list[int] = []
    g = -1
    for k in range(n):
        g += k in voted
        group.append(max(g, 0))
    groups = g + 1
    votes = [group[c] if c >= 0 else -1 for c in cues]
    allowed = [p for p in range(len(text) + 1) if _can_cut(text, p) and not any(a < p < b for a, b in keep_together)]
    ends = [*bounds, max(source_length or 0, max(k.s1 for k in links))]
    size = [0.0] * groups
    for k in range(n):
        size[group[k]] += max(0, ends[k] - (bounds[k - 1] if k else 0))
    total = sum(size) or 1.0
    ideal = [len(text) * sum(size[: k + 1]) / total for k in range(groups - 1)]
    cuts = _segment(text, votes, groups, allowed, ideal)
    return [cuts[group[k]] if group[k] != group[k + 1] else None for k in range(n - 1)]


def _segment(text: str, votes: Sequence[int], n: int, allowed: Sequence[int], ideal: Sequence[float]) -> list[int]:
    """The ``n - 1`` monotone cuts (from ``allowed``) that agree with the most ``votes``."""
    # prefix[k][p]: characters voting for group k before p
    prefix = [[0] * (len(text) + 1) for _ in range(n)]
    for k in range(n):
        row = prefix[k]
        for c, vote in enumerate(votes):
            row[c + 1] = row[c] + (vote == k)
    scale = (len(text) + 1) * n
    neg = float("-inf")
    # best[k][i]: best score with cut k at allowed[i] (votes * scale - distance to the ideal places)
    best = [[neg] * len(allowed) for _ in range(n - 1)]
    back = [[0] * len(allowed) for _ in range(n - 1)]
    for k in range(n - 1):
        run, run_at = neg, 0
        for i, p in enumerate(allowed):
            if k == 0:
                score, at = float(prefix[0][p] * scale), -1
            else:
                # the best cut k-1 at or before p, less group k's votes before it
                cand = best[k - 1][i] - prefix[k][p] * scale
                if cand > run:
                    run, run_at = cand, i
                score, at = run + prefix[k][p] * scale, run_at
            best[k][i] = score - abs(p - ideal[k])
            back[k][i] = at
    last = n - 1
    final = [best[n - 2][i] + (prefix[last][len(text)] - prefix[last][p]) * scale for i, p in enumerate(allowed)]
    i = max(range(len(allowed)), key=final.__getitem__)
    cuts: list[int] = []
    for k in range(n - 2, -1, -1):
        cuts.append(allowed[i])
        i = back[k][i]
    return cuts[::-1]

"""Cutting a joined translation back into its cues: where the model's alignment crosses each cue
boundary (:func:`split_aligned`), in proportion where it cannot say."""

from __future__ import annotations

import itertools

from ..glossary import PLACEHOLDER_RE, Protected
from . import alignment, segments
from .jobs import Cue, Job, restore_text, sentence_case


def split_aligned(
    job: Job, members: list[tuple[Cue, int]], *, cjk_src: bool, cjk_tgt: bool
) -> tuple[list[str], set[int]] | None:
    """The parts of a joined translation, cut where its alignment crosses the cue boundaries, and
    the members cut in proportion (a cue nothing aligns to, and its neighbours).

    None when there is no alignment to use (engine, retry) or it is flat. The
    cut is made in the model's output (placeholders never cut), and each part's
    glossary terms are restored on their own.
    """
    raw = job.aligned
    if raw is None or not raw.links or job.result != job.first:
        return None
    sources = [m.decoded.units[0].text for m, _ in members]
    _, starts = segments.join_with_offsets(sources)
    bounds = [protected_offset(job.protected, job.source, s) for s in starts[1:]]
    keep: list[tuple[int, int]] = []
    if job.protected is not None:
        keep = [m.span() for m in PLACEHOLDER_RE.finditer(raw.text)]
    found = alignment.cut_points(raw.text, raw.links, bounds, keep_together=keep, source_length=len(job.sent))
    if found is None:
        return None
    cuts, proportional = fill_cuts(raw.text, found, sources, keep, cjk_src=cjk_src, cjk_tgt=cjk_tgt)
    edges = [0, *cuts, len(raw.text)]
    parts = [restore_text(raw.text[a:b], job.protected)[0].strip() for a, b in itertools.pairwise(edges)]
    parts[0] = sentence_case(job.source, parts[0], cjk_src=cjk_src)
    return parts, proportional


def fill_cuts(
    text: str,
    cuts: list[int | None],
    sources: list[str],
    keep: list[tuple[int, int]],
    *,
    cjk_src: bool,
    cjk_tgt: bool,
) -> tuple[list[int], set[int]]:
    """Cuts the alignment left undecided (None), placed in proportion between the decided ones."""
    out: list[int] = []
    proportional: set[int] = set()
    k = 0
    while k < len(cuts):
        decided = cuts[k]
        if decided is not None:
            out.append(max(decided, out[-1] if out else 0))
            k += 1
            continue
        end = k
        while end < len(cuts) and cuts[end] is None:
            end += 1
        left = out[-1] if out else 0
        right = cuts[end] if end < len(cuts) else len(text)
        right = max(left, right if right is not None else len(text))
        sub = text[left:right]
        parts = segments.split_proportionally(
            sub, sources[k : end + 1], cjk_source=cjk_src, cjk_target=cjk_tgt,
            keep_together=[(a - left, b - left) for a, b in keep],
        )
        at = 0
        for part, nxt in itertools.pairwise(parts):
            at = sub.find(part, at) + len(part) if part else at
            start = sub.find(nxt, at) if nxt else -1
            out.append(left + (start if start >= 0 else at))
        proportional.update(range(k, end + 1))
        k = end
    return out, proportional


def protected_offset(protected: Protected | None, original: str, offset: int) -> int:
    """Where offset ``offset`` of ``original`` is in the protected text (terms are placeholders there)."""
    if protected is None:
        return offset
    i = j = 0  # cursors in the original and in the protected text
    for term in protected.terms:
        a, b = original.find(term.source, i), protected.text.find(term.placeholder, j)
        if a < 0 or b < 0 or offset <= a:
            break
        if offset < a + len(term.source):
            return b
        i, j = a + len(term.source), b + len(term.placeholder)
    return j + offset - i


def term_spans(text: str, protected: Protected | None) -> list[tuple[int, int]]:
    """Where restored multi-word terms sit in ``text`` (a group split must not cut them)."""
    if protected is None:
        return []
    spans: list[tuple[int, int]] = []
    for term in protected.terms:
        form = term.target
        start = text.find(form)
        while start != -1:
            spans.append((start, start + len(form)))
            start = text.find(form, start + 1)
    return spans

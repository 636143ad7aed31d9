"""Bilingual review tracks: the translation with its source line below, italic (and smaller in ASS/SSA)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..markup import visible

if TYPE_CHECKING:
    import pysubs2

    from ..track import Track

#: the source line's share of its style's font size in ASS/SSA
BILINGUAL_SCALE = 0.75


def with_source_line(raw: str, source_event: pysubs2.SSAEvent, track: Track, *, smaller: bool) -> str:
    r"""``target\N{\i1\fsN}source{\i0}``: the source line below, italic.

    In SRT/WebVTT this is ``<i>source</i>`` on its own line; in ASS/SSA the
    source line is also 75 % of its style's font size (``\fs``).
    """
    source_text = " ".join(visible(source_event.text).split())
    if not source_text:
        return raw
    if not smaller:
        return f"{raw}\\N{{\\i1}}{source_text}{{\\i0}}"
    style = track.subs.styles.get(source_event.style)
    size = round((style.fontsize if style is not None else 20) * BILINGUAL_SCALE)
    return f"{raw}\\N{{\\i1\\fs{size}}}{source_text}{{\\i0}}"


def mark_bilingual(out: Track) -> None:
    """Say so in the title (players and reviewers see it)."""
    out.subs.info["Title"] = (out.subs.info.get("Title", "") + " (bilingual review)").strip()

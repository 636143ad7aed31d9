"""Writers for the line-based formats: MicroDVD, MPL2 and TMP (one cue a line, ``|`` between lines).

They write from the neutral form of :mod:`dubdesk.formats.markup_map`, so a
tag from another format never reaches them as text, and what they can show
is written their way: MicroDVD ``{y:i}``/``{y:b}``/``{y:u}``/``{y:s}`` and
``{c:$BBGGRR}`` for a whole line, MPL2 ``/`` before an italic line. Their
timing is coarser than milliseconds; :func:`rounding_note` says by how much.
"""

from __future__ import annotations

from .markup_encode import plain_lines
from .markup_map import Cue, Notes, Run


def _line_text(runs: list[Run]) -> str:
    return "".join(r.text for r in runs).replace("|", "\u00a6")  # "|" is the line separator in all three


def _whole(runs: list[Run], key: str) -> bool:
    texts = [r for r in runs if r.text.strip()]
    return bool(texts) and all(getattr(r.style, key) for r in texts)


def _note_partial(cue: Cue, keys: tuple[str, ...], notes: Notes | None) -> None:
    """Count styling on part of a line: these formats style whole lines, so it is dropped."""
    if notes is None:
        return
    lines = plain_lines(cue)
    for key in keys:
        if any(any(getattr(r.style, key) for r in runs if r.text.strip()) and not _whole(runs, key) for runs in lines):
            notes.dropped[f"part-line {key}"] += 1
    if "colour" in keys and any(_line_colour(runs) is None and any(r.style.colour for r in runs) for runs in lines):
        notes.dropped["part-line colour"] += 1


def _line_colour(runs: list[Run]) -> str | None:
    colours = {r.style.colour for r in runs if r.text.strip()}
    return next(iter(colours)) if len(colours) == 1 else None


def _frame(ms: int, fps: float) -> int:
    return round(ms * fps / 1000)


def compose_microdvd(cues: list[tuple[int, int, Cue]], fps: float, notes: Notes | None = None) -> str:
    """``{1}{1}FPS`` (the frame-rate line VLC and pysubs2 read) then ``{start}{end}text|text``."""
    out = [f"{{1}}{{1}}{fps:g}"]
    for start, end, cue in cues:
        _note_partial(cue, ("italic", "bold", "underline", "strike", "colour"), notes)
        parts = []
        for runs in plain_lines(cue):
            codes = [f"{{y:{c}}}" for key, c in (("italic", "i"), ("bold", "b"), ("underline", "u"), ("strike", "s"))
                     if _whole(runs, key)]  # fmt: skip
            colour = _line_colour(runs)
            if colour is not None:
                rgb = colour.lstrip("#")
                codes.append(f"{{c:${rgb[4:6]}{rgb[2:4]}{rgb[0:2]}}}".upper().replace("{C:", "{c:"))
            parts.append("".join(codes) + _line_text(runs))
        out.append(f"{{{_frame(start, fps)}}}{{{_frame(end, fps)}}}" + "|".join(parts))
    return "\n".join(out) + "\n"


def compose_mpl2(cues: list[tuple[int, int, Cue]], notes: Notes | None = None) -> str:
    """``[start][end]`` in tenths of a second; ``/`` starts an italic line."""
    out = []
    for start, end, cue in cues:
        _note_partial(cue, ("italic",), notes)
        parts = [("/" if _whole(runs, "italic") else "") + _line_text(runs) for runs in plain_lines(cue)]
        out.append(f"[{round(start / 100)}][{round(end / 100)}]" + "|".join(parts))
    return "\n".join(out) + "\n"


def compose_tmp(cues: list[tuple[int, int, Cue]]) -> str:
    """``HH:MM:SS:text|text``: whole seconds, no end time, no styling."""
    out = []
    for start, _end, cue in cues:
        h, rest = divmod(start // 1000, 3600)
        m, s = divmod(rest, 60)
        out.append(f"{h:02d}:{m:02d}:{s:02d}:" + "|".join(_line_text(runs) for runs in plain_lines(cue)))
    return "\n".join(out) + "\n"


def rounding_note(fmt: str, times: list[tuple[int, int]], fps: float | None = None) -> str | None:
    """One line saying how the format's timing changes these cue times, or None if it does not."""
    if not times:
        return None
    if fmt == "tmp":
        return (f"TMP has no end times and whole seconds: {len(times)} cues shown until the next one "
                "(end times are lost; a reader guesses them)")  # fmt: skip
    if fmt == "mpl2":
        n = sum(1 for a, b in times if a % 100 or b % 100)
        return f"MPL2 stores tenths of a second: {n} cues rounded to 100 ms" if n else None
    if fmt == "microdvd" and fps:
        n = sum(1 for a, b in times if round(_frame(a, fps) * 1000 / fps) != a or round(_frame(b, fps) * 1000 / fps) != b)
        return f"MicroDVD stores frames: {n} cues rounded to frames at {fps:g} fps" if n else None
    return None

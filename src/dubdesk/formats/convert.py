"""Writers that carry markup across formats: one per target, each ``(track, fps) -> text``.

Every writer takes a :class:`~dubdesk.track.Track` from any source format and
writes the target's own markup (see :mod:`dubdesk.formats.markup_map` and
docs/formats.md). :func:`render` also returns the summary of what the target
could not keep; :data:`WRITERS` has the plain ``(track, fps) -> str`` shape a
format registry expects, and :func:`conversion_notes` gives the summary on its own.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from ..track import Track
from . import ass as ass_fmt
from . import lines as lines_fmt
from . import markup_encode, markup_map
from . import srt as srt_fmt
from . import ttml as ttml_fmt
from . import vtt as vtt_fmt

#: MicroDVD's frame rate when neither the caller nor the track says
DEFAULT_MICRODVD_FPS = 23.976


def render(track: Track, fmt: str, fps: float | None = None) -> tuple[str, list[str]]:
    """``track`` as ``fmt`` text, and one line per thing the format could not keep."""
    source = track.source.format
    convert = not markup_encode.same_family(source, fmt)
    notes = markup_map.Notes()
    subs = track.subs
    cues = [e for e in subs.events if not e.is_comment]

    def neutral(e: Any) -> tuple[str, markup_map.Cue]:
        style = subs.styles.get(e.style)
        base = markup_map.Style(italic=bool(style.italic), bold=bool(style.bold)) if (
            style is not None and e.style != "Default" and source in ("ass", "ssa")) else None  # fmt: skip
        return markup_encode.convert_text(
            e.text, source=source or "ass", target=fmt, notes=notes, start_ms=e.start, end_ms=e.end, name=e.name,
            settings=e.effect if source == "vtt" else "", base=base,
        )  # fmt: skip

    if fmt == "srt":
        # override blocks in an SRT file were put there by its author: kept; from elsewhere they are converted
        srt_cues = []
        for e in cues:
            style = subs.styles.get(e.style)
            italic = bool(style.italic) if style is not None and e.style != "Default" else False
            if convert and source not in ("ass", "ssa"):
                text, _ = neutral(e)
                srt_cues.append((e.start, e.end, srt_fmt.text_to_srt(text, False)))
            elif convert:  # the SRT writer maps ASS overrides itself; drawings would be text there
                neutral(e)
                text = markup_encode.without_drawings(e.text)
                srt_cues.append((e.start, e.end, srt_fmt.text_to_srt(text, italic)))
            else:
                srt_cues.append((e.start, e.end, srt_fmt.text_to_srt(e.text, italic, keep_overrides=source == "srt")))
        return srt_fmt.compose(srt_cues), notes.warnings(fmt)
    if fmt == "vtt":
        header = markup_encode.vtt_language_header(track.extras.get("vtt_header", ""), track.language)
        blocks = track.extras.get("vtt_blocks", [])
        vcues = []
        for e in cues:
            if not convert:
                keep = source == "vtt"  # cue identifiers and settings are WebVTT's own
                vcues.append((e.start, e.end, vtt_fmt.text_to_vtt(e.text), e.name if keep else "", e.effect if keep else ""))
                continue
            text, cue = neutral(e)
            body = vtt_fmt.text_to_vtt(text)
            if cue.voice:
                body = f"<v {cue.voice}>{body}"
            vcues.append((e.start, e.end, body, "", markup_map.vtt_settings(cue.position)))
        return vtt_fmt.compose(header, blocks, vcues), notes.warnings(fmt)
    if fmt in ("ass", "ssa"):
        if convert:
            subs = copy.copy(subs)
            subs.events = []
            for e in track.subs.events:
                new = e.copy()
                if not e.is_comment:
                    new.text, cue = neutral(e)
                    new.name, new.effect = cue.voice or "", ""
                subs.events.append(new)
        text = subs.to_string(fmt)
        preserved = track.extras.get("ass_preserved")
        return (ass_fmt.postpass(text, preserved) if preserved is not None else text), notes.warnings(fmt)
    neutral_cues = [(e.start, e.end, neutral(e)[1]) for e in cues]
    times = [(e.start, e.end) for e in cues]
    if fmt == "ttml":
        return ttml_fmt.compose(neutral_cues, track.language), notes.warnings(fmt)
    rate = (fps or subs.fps or DEFAULT_MICRODVD_FPS) if fmt == "microdvd" else None
    note = lines_fmt.rounding_note(fmt, times, rate)
    if note:
        notes.lossy.append(note)
    if fmt == "microdvd":
        return lines_fmt.compose_microdvd(neutral_cues, float(rate or DEFAULT_MICRODVD_FPS), notes), notes.warnings(fmt)
    if fmt == "mpl2":
        return lines_fmt.compose_mpl2(neutral_cues, notes), notes.warnings(fmt)
    if fmt == "tmp":
        return lines_fmt.compose_tmp(neutral_cues), notes.warnings(fmt)
    return str(subs.to_string(fmt)), notes.warnings(fmt)


def conversion_notes(track: Track, fmt: str, fps: float | None = None) -> list[str]:
    """What writing ``track`` as ``fmt`` cannot keep (the lines :func:`render` returns)."""
    return render(track, fmt, fps)[1]


def _writer(fmt: str) -> Callable[[Track, float | None], str]:
    def write(track: Track, fps: float | None) -> str:
        return render(track, fmt, fps)[0]

    write.__name__ = f"write_{fmt}"
    return write


#: format id -> ``(track, fps) -> text``: the shape of a format registry's writer
WRITERS: dict[str, Callable[[Track, float | None], str]] = {
    fmt: _writer(fmt) for fmt in ("srt", "vtt", "ass", "ssa", "ttml", "microdvd", "mpl2", "tmp")
}

"""The neutral cue form (:class:`~dubdesk.formats.markup_map.Cue`) written in each target format's
tags, and whole cue texts converted from one format to another (:func:`convert_text`)."""

from __future__ import annotations

import re

from .. import markup
from ..frames import clock
from .markup_map import DROPPED, KEPT, MAPPED, SUPPORT, Cue, Notes, Run, Style, decode


def _ass_colour(colour: str) -> str:
    rgb = colour.lstrip("#")
    return f"&H{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}&".upper()


def to_internal(cue: Cue, target: str) -> str:
    """The neutral cue as internal (ASS-override) text for ``target``'s writer.

    ASS/SSA get every override they have; SRT and WebVTT get ``\\i``/``\\b``/
    ``\\u``/``\\s``/``\\c``/``\\an``, which their writers turn into tags
    (WebVTT voice and position travel separately, see :func:`encode_vtt`).
    """
    table = SUPPORT.get(target, {})
    out: list[str] = []
    if cue.position is not None and cue.position != 2 and table.get("position") in (KEPT, MAPPED) and target != "vtt":
        out.append(f"{{\\an{cue.position}}}")
    current = Style()
    drawing = False
    karaoke: list[int] = [r.ms for r in cue.runs if r.kind == "karaoke"]
    k_index = 0
    for run in cue.runs:
        if run.kind == "karaoke":
            if target == "vtt":
                out.append("<" + clock(run.ms) + ">")
            elif target in ("ass", "ssa"):
                nxt = karaoke[k_index + 1] if k_index + 1 < len(karaoke) else cue.end_ms
                if nxt is not None:
                    out.append(f"{{\\k{max(0, round((nxt - run.ms) / 10))}}}")
                k_index += 1
            continue
        if run.kind in ("ass", "comment"):
            if target in ("ass", "ssa"):
                out.append(run.text if run.kind == "comment" else "{" + run.text + "}")
            continue
        if run.kind == "drawing":
            if target in ("ass", "ssa"):
                out.append(("{\\p1}" if not drawing else "") + run.text)
                drawing = True
            continue
        if drawing:
            out.append("{\\p0}")
            drawing = False
        changes = _style_changes(current, run.style, target)
        if changes:
            out.append("{" + changes + "}")
        current = run.style
        if run.kind == "break":
            out.append("\\N")
        else:
            text = run.text.replace("\u00a0", "\\h")
            if target == "vtt":
                text = text.replace("<", "&lt;").replace(">", "&gt;")
            elif target == "srt" and "<" in text:  # a "<word>" that is text, not a tag, as players decode it
                text = "".join(
                    "&lt;" + t.raw[1:-1] + "&gt;" if t.kind is markup.Kind.TAG and t.raw.startswith("<") else t.raw
                    for t in markup.tokenize(text)
                )
            out.append(text)
    if drawing:
        out.append("{\\p0}")
    closing = _style_changes(current, Style(), target)
    if closing and target not in ("ass", "ssa"):
        out.append("{" + closing + "}")
    return "".join(out)


def _style_changes(old: Style, new: Style, target: str) -> str:
    table = SUPPORT.get(target, {})
    parts = []
    for key, name in (("italic", "i"), ("bold", "b"), ("underline", "u"), ("strike", "s")):
        if getattr(old, key) != getattr(new, key) and table.get(key) != DROPPED:
            parts.append(f"\\{name}{int(getattr(new, key))}")
    if old.colour != new.colour and table.get("colour") != DROPPED:
        parts.append(f"\\c{_ass_colour(new.colour)}" if new.colour else "\\c")
    return "".join(parts)


def plain_lines(cue: Cue) -> list[list[Run]]:
    """The cue's text runs split into lines (markers dropped), for line-based formats."""
    lines: list[list[Run]] = [[]]
    for run in cue.runs:
        if run.kind == "break":
            lines.append([])
        elif run.kind == "text" and run.text:
            lines[-1].append(run)
    return lines


def convert_text(text: str, *, source: str, target: str, notes: Notes, start_ms: int = 0, end_ms: int | None = None,
                 name: str = "", settings: str = "", base: Style | None = None) -> tuple[str, Cue]:  # fmt: skip
    """Internal text read from ``source`` as internal text for ``target``'s writer; ``notes`` counts losses."""
    cue = decode(text, source=source, start_ms=start_ms, end_ms=end_ms, settings=settings, name=name, base=base)
    notes.count(cue, target)
    return to_internal(cue, target), cue


def same_family(source: str | None, target: str) -> bool:
    """A text written back to its own format needs no conversion (SSA and ASS share overrides).

    A track made in memory (no source format) holds the internal form, which
    every writer takes as it is.
    """
    families = {"ssa": "ass"}
    return source is None or families.get(source, source) == families.get(target, target)


def without_drawings(text: str) -> str:
    """ASS text with drawing commands (between ``\\p1`` and ``\\p0``) removed: elsewhere they would be text."""
    if "\\p" not in text:
        return text
    out: list[str] = []
    drawing = False
    for tok in markup.tokenize(text):
        if tok.kind is markup.Kind.TAG and tok.raw.startswith("{"):
            for name, arg in markup.overrides(tok.raw):
                if name == "p":
                    drawing = arg.strip() not in ("", "0")
            out.append(tok.raw)
        elif not drawing or tok.kind is markup.Kind.BREAK or tok.raw.startswith("{"):
            out.append(tok.raw)
    return "".join(out)


def vtt_language_header(header: str, language: str | None) -> str:
    """A WebVTT header whose ``Language:`` line names ``language`` (a translated file is in the target's)."""
    if not language or "Language:" not in header:
        return header
    return re.sub(r"(?m)^Language:[ \t]*\S*", f"Language: {language}", header)

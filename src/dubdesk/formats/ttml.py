"""TTML (W3C Timed Text, DFXP): a writer that validates and a reader that keeps styling.

Writing: ``xml:lang`` on ``<tt>`` (TTML1 requires it; empty when the language
is unknown, as the spec allows), UTF-8 characters as they are (only ``<``,
``&`` and ``>`` escaped), italic/bold/underline/strike/colour as ``tts:``
attributes on ``<span>``, the position as one of nine regions. Reading:
``<p>`` times (clock ``HH:MM:SS.mmm``, ``HH:MM:SS:FF`` frames, offsets ``1.5s``
``1500ms`` ``30f`` ``t`` ticks), ``<br/>``, nested ``<span>`` styling (inline
``tts:`` attributes and ``style`` references) into the internal form.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from ..frames import clock
from .markup_map import Cue, Style

TT = "http://www.w3.org/ns/ttml"
TTS = "http://www.w3.org/ns/ttml#styling"
TTP = "http://www.w3.org/ns/ttml#parameter"
XML = "http://www.w3.org/XML/1998/namespace"

#: numpad position -> (region id, tts:displayAlign, tts:textAlign)
_REGIONS = {
    1: ("bottomLeft", "after", "left"), 2: ("bottom", "after", "center"), 3: ("bottomRight", "after", "right"),
    4: ("middleLeft", "center", "left"), 5: ("middle", "center", "center"), 6: ("middleRight", "center", "right"),
    7: ("topLeft", "before", "left"), 8: ("top", "before", "center"), 9: ("topRight", "before", "right"),
}  # fmt: skip




def _span_attrs(style: Style) -> str:
    attrs = []
    if style.italic:
        attrs.append('tts:fontStyle="italic"')
    if style.bold:
        attrs.append('tts:fontWeight="bold"')
    decoration = [d for d, on in (("underline", style.underline), ("lineThrough", style.strike)) if on]
    if decoration:
        attrs.append(f'tts:textDecoration="{" ".join(decoration)}"')
    if style.colour:
        attrs.append(f'tts:color="{style.colour}"')
    return " ".join(attrs)


def compose(cues: list[tuple[int, int, Cue]], language: str | None) -> str:
    used = sorted({cue.position for _, _, cue in cues if cue.position not in (None, 2)} | {2})
    regions = "\n".join(
        f'      <region xml:id="{_REGIONS[p][0]}" tts:origin="10% 10%" tts:extent="80% 80%" '
        f'tts:displayAlign="{_REGIONS[p][1]}" tts:textAlign="{_REGIONS[p][2]}"/>'
        for p in used
    )
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<tt xmlns="{TT}" xmlns:tts="{TTS}" xml:lang={quoteattr(language or "")}>',
        "  <head>",
        "    <layout>",
        regions,
        "    </layout>",
        "  </head>",
        '  <body region="bottom">',
        "    <div>",
    ]
    for start, end, cue in cues:
        parts: list[str] = []
        for run in cue.runs:
            if run.kind == "break":
                parts.append("<br/>")
            elif run.kind == "text" and run.text:
                text = escape(run.text)
                attrs = _span_attrs(run.style)
                parts.append(f"<span {attrs}>{text}</span>" if attrs else text)
        region = "" if cue.position in (None, 2) else f' region="{_REGIONS[cue.position or 2][0]}"'
        out.append(f'      <p begin="{clock(start)}" end="{clock(end)}"{region}>{"".join(parts)}</p>')
    out += ["    </div>", "  </body>", "</tt>", ""]
    return "\n".join(out)


# ---------------------------------------------------------------- reading


@dataclass
class TtmlCue:
    start: int
    end: int
    text: str  #: internal form


@dataclass
class TtmlParse:
    cues: list[TtmlCue] = field(default_factory=list)
    language: str | None = None
    warnings: list[tuple[int, str]] = field(default_factory=list)


_CLOCK_RE = re.compile(r"^(\d+):(\d{2}):(\d{2})(?:\.(\d+))?(?::(\d+)(?:\.\d+)?)?$")
_OFFSET_RE = re.compile(r"^(\d+(?:\.\d+)?)(h|m|s|ms|f|t)$")


def parse_time(value: str, fps: float = 30.0, tick_rate: float = 1.0) -> int | None:
    value = value.strip()
    m = _CLOCK_RE.match(value)
    if m is not None:
        h, mi, s, frac, frames = m.groups()
        ms = (int(h) * 3600 + int(mi) * 60 + int(s)) * 1000
        if frac:
            ms += round(float("0." + frac) * 1000)
        if frames:
            ms += round(int(frames) * 1000 / fps)
        return ms
    m = _OFFSET_RE.match(value)
    if m is not None:
        n, unit = float(m.group(1)), m.group(2)
        scale = {"h": 3_600_000, "m": 60_000, "s": 1000, "ms": 1, "f": 1000 / fps, "t": 1000 / tick_rate}[unit]
        return round(n * scale)
    return None


def _style_of(attrs: dict[str, str], styles: dict[str, dict[str, str]]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for ref in attrs.get("style", "").split():
        merged.update(styles.get(ref, {}))
    merged.update({k: v for k, v in attrs.items() if k.startswith(f"{{{TTS}}}")})
    return merged


def _overrides(old: dict[str, str], new: dict[str, str]) -> str:
    def flag(d: dict[str, str], key: str, on: str) -> bool:
        return on in d.get(f"{{{TTS}}}{key}", "")

    parts = []
    for key, on, tag in (("fontStyle", "italic", "i"), ("fontWeight", "bold", "b"),
                         ("textDecoration", "underline", "u"), ("textDecoration", "lineThrough", "s")):  # fmt: skip
        if flag(old, key, on) != flag(new, key, on):
            parts.append(f"\\{tag}{int(flag(new, key, on))}")
    old_c, new_c = old.get(f"{{{TTS}}}color"), new.get(f"{{{TTS}}}color")
    if old_c != new_c:
        rgb = (new_c or "").lstrip("#")
        ok = re.fullmatch(r"[0-9A-Fa-f]{6}", rgb) is not None
        parts.append("\\c&H" + f"{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}".upper() + "&" if ok else "\\c")
    return "{" + "".join(parts) + "}" if parts else ""


def parse(text: str) -> TtmlParse:
    """TTML text into cues with internal-form text (``{\\i1}``, ``\\N``)."""
    result = TtmlParse()
    text = text.lstrip()
    root = ET.fromstring(text.encode("utf-8") if text.startswith("<?xml") else text)
    result.language = root.get(f"{{{XML}}}lang") or None
    fps = float(root.get(f"{{{TTP}}}frameRate", "30") or 30)
    tick_rate = float(root.get(f"{{{TTP}}}tickRate", "1") or 1)
    styles: dict[str, dict[str, str]] = {}
    for st in root.iter(f"{{{TT}}}style"):
        sid = st.get(f"{{{XML}}}id")
        if sid:
            styles[sid] = _style_of(dict(st.attrib), styles)
    positions: dict[str, int] = {}  # region id -> numpad position, from its alignment
    for region in root.iter(f"{{{TT}}}region"):
        rid = region.get(f"{{{XML}}}id")
        attrs = {**_style_of(dict(region.attrib), styles)}
        row = {"before": 2, "center": 1}.get(attrs.get(f"{{{TTS}}}displayAlign", ""), 0)
        col = {"left": 0, "start": 0, "right": 2, "end": 2}.get(attrs.get(f"{{{TTS}}}textAlign", ""), 1)
        if rid:
            positions[rid] = 1 + col + 3 * row

    def walk(elem: ET.Element, offset: int, inherited: dict[str, str]) -> None:
        begin = parse_time(elem.get("begin", ""), fps, tick_rate)
        start = offset + (begin or 0)
        if elem.tag == f"{{{TT}}}p":
            end_attr, dur_attr = elem.get("end"), elem.get("dur")
            end = parse_time(end_attr, fps, tick_rate) if end_attr else None
            if end is not None:
                end += offset
            elif dur_attr and (dur := parse_time(dur_attr, fps, tick_rate)) is not None:
                end = start + dur
            if begin is None or end is None:
                result.warnings.append((0, "a <p> without begin/end times skipped"))
                return
            pieces: list[str] = []
            position = positions.get(elem.get("region") or inherited.get("region", ""), 2)
            if position != 2:
                pieces.append(f"{{\\an{position}}}")
            state = _style_of(dict(elem.attrib), styles) | {}
            base = {**inherited, **state}
            opening = _overrides({}, base)
            if opening:
                pieces.append(opening)
            _inline(elem, base, styles, pieces, top=True)
            cue_text = "".join(pieces).strip()
            result.cues.append(TtmlCue(start, end, cue_text))
            return
        style = {**inherited, **_style_of(dict(elem.attrib), styles)}
        if elem.get("region"):
            style["region"] = elem.get("region", "")
        for child in elem:
            walk(child, start if elem.tag != f"{{{TT}}}tt" else 0, style)

    body = root.find(f"{{{TT}}}body")
    if body is not None:
        walk(body, 0, {})
    return result


def _inline(elem: ET.Element, state: dict[str, str], styles: dict[str, dict[str, str]], out: list[str], *,
            top: bool = False) -> None:  # fmt: skip
    if elem.text:
        out.append(_text(elem.text))
    for child in elem:
        if child.tag == f"{{{TT}}}br":
            out.append("\\N")
        elif child.tag == f"{{{TT}}}span":
            inner = {**state, **_style_of(dict(child.attrib), styles)}
            out.append(_overrides(state, inner))
            _inline(child, inner, styles, out)
            out.append(_overrides(inner, state))
        else:
            _inline(child, state, styles, out)
        if child.tail:
            out.append(_text(child.tail))


def _text(value: str) -> str:
    # XML whitespace inside <p> collapses (xml:space="default"); line breaks come from <br/>.
    # "<" and ">" stay escaped, as the WebVTT reader leaves them, so text is never taken for a tag.
    return re.sub(r"\s+", " ", value).replace("<", "&lt;").replace(">", "&gt;")

r"""WebVTT: the WHATWG parsing algorithm for blocks and timestamps, a strict writer.

Reading follows the spec (https://www.w3.org/TR/webvtt1/#file-parsing) rather
than SRT-style leniency, because the web-platform-tests and vtt.js agree on it:
a malformed timing line drops that cue and parsing goes on; a timing line
directly under the header is a cue; NUL becomes U+FFFD.

In a Track, a cue's identifier is kept in ``event.name`` and its settings
(``align:start line:0``) in ``event.effect``; ``<i>``/``<b>``/``<u>`` become
override tags like SRT's, other spans (``<v Roger>``, ``<c.yellow>``,
``<00:00:01.000>``) are kept verbatim, ``&amp;`` and ``&nbsp;`` are decoded,
``&lt;``/``&gt;`` stay encoded so they are never mistaken for tags.
NOTE, STYLE and REGION blocks and the header line are kept for the round trip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import markup
from ..frames import clock
from ..track import ReadWarning

_WS = " \t\f"


@dataclass
class VttCue:
    start: int
    end: int
    text: str
    ident: str
    settings: str
    line: int


@dataclass
class VttParse:
    is_webvtt: bool = True
    header: str = ""  #: text after "WEBVTT" on the first line plus header lines
    blocks: list[str] = field(default_factory=list)  #: NOTE/STYLE/REGION blocks, verbatim
    cues: list[VttCue] = field(default_factory=list)
    warnings: list[ReadWarning] = field(default_factory=list)


def _digits(s: str, pos: int) -> tuple[str, int]:
    end = pos
    while end < len(s) and "0" <= s[end] <= "9":
        end += 1
    return s[pos:end], end


def parse_timestamp(s: str, pos: int) -> tuple[int, int] | None:
    """The spec's "collect a WebVTT timestamp": (milliseconds, new position) or None."""
    hours_first = False
    if pos >= len(s) or not s[pos].isdigit():
        return None
    d1, pos = _digits(s, pos)
    v1 = int(d1)
    if len(d1) != 2 or v1 > 59:
        hours_first = True
    if pos >= len(s) or s[pos] != ":":
        return None
    d2, pos = _digits(s, pos + 1)
    if len(d2) != 2:
        return None
    v2 = int(d2)
    if hours_first or (pos < len(s) and s[pos] == ":"):
        if pos >= len(s) or s[pos] != ":":
            return None
        d3, pos = _digits(s, pos + 1)
        if len(d3) != 2:
            return None
        v3 = int(d3)
    else:
        v1, v2, v3 = 0, v1, v2
    if pos >= len(s) or s[pos] != ".":
        return None
    d4, pos = _digits(s, pos + 1)
    if len(d4) != 3:
        return None
    if v2 > 59 or v3 > 59:
        return None
    return ((v1 * 60 + v2) * 60 + v3) * 1000 + int(d4), pos


def parse_timing_line(line: str) -> tuple[int, int, str] | None:
    pos = 0
    while pos < len(line) and line[pos] in _WS:
        pos += 1
    first = parse_timestamp(line, pos)
    if first is None:
        return None
    start, pos = first
    while pos < len(line) and line[pos] in _WS:
        pos += 1
    if line[pos : pos + 3] != "-->":
        return None
    pos += 3
    while pos < len(line) and line[pos] in _WS:
        pos += 1
    second = parse_timestamp(line, pos)
    if second is None:
        return None
    end, pos = second
    return start, end, line[pos:].strip(_WS)


def cue_text_to_internal(text: str) -> str:
    text = text.replace("&amp;", "&").replace("&nbsp;", "\\h").replace("&lrm;", "\u200e").replace("&rlm;", "\u200f")
    text = markup.html_to_overrides(text, "ibu")
    return text.replace("\n", "\\N")


def parse(text: str) -> VttParse:
    """Parse WebVTT text whose newlines are normalised to ``\\n``."""
    result = VttParse()
    text = text.replace("\x00", "\ufffd")
    if not text.startswith("WEBVTT") or (len(text) > 6 and text[6] not in " \t\n"):
        result.is_webvtt = False
        return result
    lines = text.split("\n")
    n = len(lines)
    header = [lines[0][6:]]
    i = 1
    # Header block: lines up to a blank line or a line with "-->" (which starts a cue).
    while i < n and lines[i] and "-->" not in lines[i]:
        header.append(lines[i])
        i += 1
    result.header = "\n".join(header)
    while i < n:
        while i < n and lines[i] == "":
            i += 1
        if i >= n:
            break
        block_start = i
        buffer: list[str] = []
        cue: VttCue | None = None
        seen_arrow = False
        line_count = 0
        while i < n:
            line = lines[i]
            line_count += 1
            if "-->" in line:
                if line_count == 1 or (line_count == 2 and not seen_arrow):
                    seen_arrow = True
                    timing = parse_timing_line(line)
                    if timing is None:
                        result.warnings.append(ReadWarning(i + 1, "skipped-cue", f"malformed timing line {line.strip()!r}; cue dropped"))
                        cue = None
                    else:
                        cue = VttCue(timing[0], timing[1], "", "\n".join(buffer), timing[2], i + 1)
                        buffer = []
                    i += 1
                    continue
                break  # an arrow later in a block starts the next block
            if line == "":
                break
            buffer.append(line)
            i += 1
        if cue is not None:
            cue.text = cue_text_to_internal("\n".join(buffer))
            result.cues.append(cue)
        elif not seen_arrow and buffer:
            first = buffer[0]
            if first.startswith(("NOTE", "STYLE", "REGION")) and (len(first) in (4, 5, 6) or first[len(first.split()[0])] in _WS):
                result.blocks.append("\n".join(buffer))
            else:
                result.warnings.append(ReadWarning(block_start + 1, "skipped-text", "text outside any cue ignored"))
    return result


# ---------------------------------------------------------------- writing

_OVR_BLOCK_RE = markup.OVERRIDE_BLOCK_RE
_OVR_RE = re.compile(r"\\([ibu])(\d*)(?=\\|$)")


def text_to_vtt(text: str) -> str:
    def block(m: re.Match[str]) -> str:
        out: list[str] = []

        def take(o: re.Match[str]) -> str:
            out.append(f"</{o.group(1)}>" if o.group(2) in ("", "0") else f"<{o.group(1)}>")
            return ""

        _OVR_RE.sub(take, m.group(1))
        return "".join(out)  # other ASS overrides have no WebVTT meaning

    if "{" in text:
        text = _OVR_BLOCK_RE.sub(block, text)
    text = text.replace("&", "&amp;").replace("&amp;lt;", "&lt;").replace("&amp;gt;", "&gt;")
    text = text.replace("\\h", "&nbsp;").replace("\\N", "\n").replace("\\n", "\n")
    text = text.replace("-->", "--&gt;")
    return re.sub(r"\n{2,}", "\n", text.strip("\n"))




def compose(header: str, blocks: list[str], cues: list[tuple[int, int, str, str, str]]) -> str:
    """cues: (start, end, text, ident, settings)."""
    out = ["WEBVTT" + header.split("\n")[0] if header.startswith((" ", "\t")) else "WEBVTT"]
    rest = header.split("\n")[1:]
    out.extend(line for line in rest if "-->" not in line)
    out.append("")
    for b in blocks:
        out.append(b)
        out.append("")
    for start, end, text, ident, settings in cues:
        if ident and "-->" not in ident and "\n" not in ident:
            out.append(ident)
        timing = f"{clock(start)} --> {clock(end)}"
        out.append(timing + (" " + settings if settings else ""))
        out.append(text)
        out.append("")
    return "\n".join(out)

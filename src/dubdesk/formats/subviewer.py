r"""SubViewer 1 and 2: read and write.

SubViewer 2 (``.sub``; Subtitle Edit, Gaupol, Aegisub read it)::

    [INFORMATION]
    [TITLE]…
    [END INFORMATION]
    [SUBTITLE]
    [COLF]&HFFFFFF,[STYLE]bd,[SIZE]18,[FONT]Arial
    00:00:41.00,00:00:44.40
    The Age of Gods was closing.[br]Eternity had come to an end.

Times are centiseconds, ``[br]`` breaks a line. SubViewer 1 gives whole
seconds, a start line ``[00:00:41]``, the text (``|`` breaks a line) and an end
line ``[00:00:44]``. The ``[INFORMATION]`` header is kept for the round trip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..track import ReadWarning

SUBVIEWER2_RE = re.compile(r"^\s*(\d{1,2}):(\d{2}):(\d{2})\.(\d{1,3})\s*,\s*(\d{1,2}):(\d{2}):(\d{2})\.(\d{1,3})\s*$")
SUBVIEWER1_RE = re.compile(r"^\s*\[(\d{1,2}):(\d{2}):(\d{2})\]\s*$")
SNIFF2 = re.compile(r"^\s*\d{1,2}:\d{2}:\d{2}\.\d{1,3}\s*,\s*\d{1,2}:\d{2}:\d{2}\.\d{1,3}\s*$", re.M)
SNIFF1 = re.compile(r"^\s*\[\d{1,2}:\d{2}:\d{2}\]\s*$", re.M)
_BR_RE = re.compile(r"\[br\]", re.I)
_HEADER_RE = re.compile(r"^\s*\[[A-Za-z][A-Za-z ]*\]")
MAX_MS = 100 * 3_600_000 - 10


@dataclass
class SubViewerParse:
    cues: list[tuple[int, int, str]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    warnings: list[ReadWarning] = field(default_factory=list)


def _frac_ms(frac: str) -> int:
    return int(frac) * int(10 ** (3 - len(frac)))


def _hms(h: str, m: str, s: str) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000


def _check(lineno: int, groups: tuple[str, ...], warnings: list[ReadWarning]) -> None:
    if any(int(v) > 59 for v in groups[1:3]) or (len(groups) > 5 and any(int(v) > 59 for v in groups[5:7])):
        warnings.append(ReadWarning(lineno, "bad-timestamp", "minutes or seconds over 59; read as written"))


def _is_timing(line: str) -> bool:
    return bool(SUBVIEWER2_RE.match(line) or SUBVIEWER1_RE.match(line))


def parse(text: str) -> SubViewerParse:
    """Parse SubViewer 1 or 2 text (newlines normalised)."""
    result = SubViewerParse()
    lines = text.split("\n")
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        stripped = line.strip()
        if not result.cues and (_HEADER_RE.match(line) or (result.header and not _is_timing(line))):
            # before the first cue: [TITLE] lines and the values under them (SubViewer 1 puts them there)
            result.header.append(line)
            i += 1
            continue
        m2 = SUBVIEWER2_RE.match(line)
        if m2 is not None:
            g = m2.groups()
            _check(i + 1, g, result.warnings)
            start = _hms(g[0], g[1], g[2]) + _frac_ms(g[3])
            end = _hms(g[4], g[5], g[6]) + _frac_ms(g[7])
            body: list[str] = []
            i += 1
            while i < n and lines[i].strip() and not SUBVIEWER2_RE.match(lines[i]):
                body.append(lines[i].strip())
                i += 1
            result.cues.append((start, end, _BR_RE.sub("\\\\N", "\\N".join(body))))
            continue
        m1 = SUBVIEWER1_RE.match(line)
        if m1 is not None:
            _check(i + 1, m1.groups(), result.warnings)
            start = _hms(*m1.groups())
            body = []
            j = i + 1
            while j < n and not SUBVIEWER1_RE.match(lines[j]):
                if lines[j].strip():
                    body.append(lines[j].strip())
                j += 1
            if body:
                if j < n:
                    end_m = SUBVIEWER1_RE.match(lines[j])
                    assert end_m is not None
                    end = _hms(*end_m.groups())
                    # the end line of one cue may be the start line of the next (no blank end marker)
                    nxt = j + 1
                    while nxt < n and not lines[nxt].strip():
                        nxt += 1
                    ends_here = nxt >= n or bool(SUBVIEWER1_RE.match(lines[nxt]))
                    i = j + 1 if ends_here else j
                else:
                    end = start + 2000
                    result.warnings.append(ReadWarning(i + 1, "end-assumed", "last cue has no end time; shown for 2 s"))
                    i = j
                result.cues.append((start, end, "\\N".join(body).replace("|", "\\N")))
            else:
                i = j  # a bare time line clears the screen
            continue
        if stripped:
            result.warnings.append(ReadWarning(i + 1, "skipped-text", f"text outside any cue ignored: {stripped[:40]!r}"))
        i += 1
    return result


def _ts2(ms: int) -> str:
    cs = (ms + 5) // 10
    h, cs = divmod(cs, 360_000)
    m, cs = divmod(cs, 6000)
    s, cs = divmod(cs, 100)
    return f"{h:02d}:{m:02d}:{s:02d}.{cs:02d}"


def _ts1(ms: int) -> str:
    s = (ms + 500) // 1000
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return f"[{h:02d}:{m:02d}:{s:02d}]"


_DEFAULT_HEADER = [
    "[INFORMATION]", "[TITLE]", "[AUTHOR]", "[SOURCE]", "[PRG]", "[FILEPATH]", "[DELAY]0", "[CD TRACK]0",
    "[COMMENT]", "[END INFORMATION]", "[SUBTITLE]", "[COLF]&HFFFFFF,[STYLE]no,[SIZE]18,[FONT]Arial",
]


def compose2(cues: list[tuple[int, int, str]], header: list[str] | None = None) -> str:
    """SubViewer 2; cue text has plain lines joined by ``\\n``."""
    out = list(header or _DEFAULT_HEADER)
    for start, end, text in cues:
        out.append(f"{_ts2(start)},{_ts2(end)}")
        out.append(text.replace("\n", "[br]"))
        out.append("")
    return "\n".join(out)


def compose1(cues: list[tuple[int, int, str]], header: list[str] | None = None) -> str:
    """SubViewer 1; whole seconds (the format has no finer unit)."""
    out = list(header or ["[TITLE]", "[AUTHOR]", "[SOURCE]", "[PRG]", "[FILEPATH]", "[DELAY]0", "[CD TRACK]0",
                          "[COMMENT]", "[END INFORMATION]", "[SUBTITLE]"])
    for start, end, text in cues:
        out.append(_ts1(start))
        out.append(text.replace("\n", "|"))
        out.append(_ts1(end))
        out.append("")
    return "\n".join(out)

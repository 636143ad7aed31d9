r"""SubRip: a tolerant reader with line numbers and a strict writer.

Tolerances, each needed by a real file (see tests/test_subtitles_tolerance.py):

- CRLF, lone CR, missing final newline — newlines are normalised before parsing;
- a missing blank line between blocks (mixed-language files stripped with sed,
  cdown/srt's comment) — a timing line always starts a new cue;
- a missing index line (ExoPlayer typical_missing_sequence.srt keeps it here: the
  cue has a valid timing, dropping it would lose text);
- 1- to 4-digit fractions read as decimal fractions (",5" = 500 ms, ",1234" = 123 ms),
  "." or ":" as the fraction separator, omitted hours ("00:01,234") and omitted
  fractions ("00:00:02");
- stray whitespace around indexes, timings and text lines;
- <i>/<b>/<u>/<s> with stray spaces ("< /  i >", pysubs2 srt_bad_tags.srt).

Negative times are kept (pysubs2, aeidon and Subtitle Edit keep them; a sync tool
shifted the first cues of ExoPlayer typical_negative_timestamps.srt before zero):
they are reported, and ``dubdesk fix`` moves them to zero or later. Minutes or
seconds over 59 (``99:99:99,999``) are read arithmetically and reported with
the line; a fraction of 4 digits keeps its first three (``,1234`` = 123 ms).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import markup
from ..frames import clock
from ..track import ReadWarning

_TS = r"(-?)(?:(\d{1,3}):)?(\d{1,3}):(\d{2,3})(?:[,.:](\d{1,4}))?"
TIMING_RE = re.compile(r"^\s*" + _TS + r"\s*-{1,2}>\s*" + _TS + r"(?:\s+(.*?))?\s*$")
_INDEX_RE = re.compile(r"^\s*\d+\s*$")
#: a line that was meant as a timing line but is broken (``00:00:03,000 -- 00:00:04.000``)
_TIMINGISH_RE = re.compile(r"^\s*-?(?:\d+:)?\d+:\d+(?:[,.:]\d+)?\s*\S{1,4}\s*-?(?:\d+:)?\d+:\d+")
#: the largest time SRT can hold: 99:59:59,999
MAX_MS = 360_000_000 - 1


@dataclass(slots=True)
class SrtCue:
    start: int
    end: int
    text: str  #: pysubs2 internal form
    line: int  #: 1-based line of the timing line
    index: int | None = None


@dataclass
class SrtParse:
    cues: list[SrtCue] = field(default_factory=list)
    warnings: list[ReadWarning] = field(default_factory=list)


def _ms(sign: str, h: str | None, m: str, s: str, frac: str | None) -> int:
    ms = 0
    if frac:
        ms = int(frac) * 10 ** (3 - len(frac)) if len(frac) <= 3 else int(frac) // 10 ** (len(frac) - 3)
    value = ((int(h or 0) * 60 + int(m)) * 60 + int(s)) * 1000 + ms
    return -value if sign else value


def _range_problem(g: tuple[str | None, ...]) -> str | None:
    """What is out of range in one timestamp's groups (sign, h, m, s, frac), or None."""
    _, h, m, s, _ = g
    if int(s or 0) > 59:
        return f"seconds {s} over 59"
    if h is not None and int(m or 0) > 59:
        return f"minutes {m} over 59"
    return None


def parse_timing(line: str) -> tuple[int, int] | None:
    m = TIMING_RE.match(line)
    if m is None:
        return None
    g = m.groups()
    return _ms(g[0] or "", g[1], g[2] or "0", g[3] or "0", g[4]), _ms(g[5] or "", g[6], g[7] or "0", g[8] or "0", g[9])


_SIMPLE_TAGS = tuple((f"<{t}>", f"{{\\{t}1}}") for t in "ibus") + tuple((f"</{t}>", f"{{\\{t}0}}") for t in "ibus")


def _tags_to_ass(text: str) -> str:
    # the exact common forms by str.replace (fast), then the tolerant tokenizer for the rest ("< /  i >", <I>)
    for html, ass in _SIMPLE_TAGS:
        if html in text:
            text = text.replace(html, ass)
    return markup.html_to_overrides(text, "ibus") if "<" in text else text


def text_from_srt(lines: list[str]) -> str:
    """SRT text lines -> pysubs2 internal text."""
    text = "\\N".join(lines)
    return _tags_to_ass(text) if "<" in text else text


_INT2 = {f"{i:02d}": i for i in range(100)}
_INT3 = {f"{i:03d}": i for i in range(1000)}
#: the timing line of a file written by a strict SRT writer (the fast path)
_STRICT_TIMING_RE = re.compile(r"(\d\d):([0-5]\d):([0-5]\d),(\d{3}) --> (\d\d):([0-5]\d):([0-5]\d),(\d{3})$")


def _parse_strict(text: str) -> SrtParse | None:
    """The fast path: a file in strict SRT shape (index, timing, text lines, one blank line).

    Returns None at the first block that is not in that shape; then the tolerant
    parser reads the whole file, so every tolerance holds. Both give the same
    result on a strict file (tests/test_subtitles_io.py checks it).
    """
    if not text or text[0] in "\n \t" or "\t" in text or "\n\n\n" in text or " \n" in text or "\n " in text:
        return None
    result = SrtParse()
    cues = result.cues
    append = cues.append
    match = _STRICT_TIMING_RE.match
    n2, n3 = _INT2, _INT3
    line = 1
    for block in text.rstrip("\n").split("\n\n"):
        first = block.find("\n")
        second = block.find("\n", first + 1)
        index = block[:first]
        if first <= 0 or not index.isdigit():
            return None
        if second < 0:
            m = match(block, first + 1)
            body = ""
            rows = 2
        else:
            m = match(block[first + 1 : second])
            body = block[second + 1 :]
            rows = 3
        if m is None or "-->" in body or body.endswith(" "):
            return None
        if "\n" in body:
            rows += body.count("\n")
            body = body.replace("\n", "\\N")
        if "<" in body:
            body = _tags_to_ass(body)
        a, b, c, d, e, f, g, h = m.groups()
        append(SrtCue(n2[a] * 3_600_000 + n2[b] * 60_000 + n2[c] * 1000 + n3[d],
                      n2[e] * 3_600_000 + n2[f] * 60_000 + n2[g] * 1000 + n3[h], body, line + 1, int(index)))
        line += rows + 1
    return result


def parse(text: str) -> SrtParse:
    """Parse SRT text whose newlines are already normalised to ``\\n``."""
    fast = _parse_strict(text)
    if fast is not None:
        return fast
    return parse_tolerant(text)


def parse_tolerant(text: str) -> SrtParse:
    """Parse any SRT text (normalised newlines) with every tolerance of the module docstring."""
    result = SrtParse()
    warn = result.warnings.append
    lines = text.split("\n")
    n = len(lines)
    timing_rows: list[int] = []
    timings: list[tuple[int, int]] = []
    match = TIMING_RE.match
    bad_rows: set[int] = set()
    for i, line in enumerate(lines):
        if ">" in line and ("-->" in line or "->" in line):
            m = match(line)
            if m is not None:
                g = m.groups()
                start = _ms(g[0], g[1], g[2], g[3], g[4])
                end = _ms(g[5], g[6], g[7], g[8], g[9])
                timing_rows.append(i)
                timings.append((start, end))
                problem = _range_problem(g[0:5]) or _range_problem(g[5:10])
                if problem is not None:
                    warn(ReadWarning(i + 1, "bad-timestamp", f"{problem} in {line.strip()!r}; read as written"))
                elif end > MAX_MS:
                    warn(ReadWarning(i + 1, "bad-timestamp", f"time past 99:59:59,999 in {line.strip()!r}"))
                if start < 0 or end < 0:
                    warn(ReadWarning(i + 1, "negative-time", f"negative time in {line.strip()!r}; kept (dubdesk fix moves it)"))
            elif "-->" in line:
                bad_rows.add(i)
                warn(ReadWarning(i + 1, "skipped-cue", f"unparsable timing line {line.strip()!r}; cue skipped"))
        elif ":" in line and _TIMINGISH_RE.match(line):
            bad_rows.add(i)
            warn(ReadWarning(i + 1, "skipped-cue", f"unparsable timing line {line.strip()!r}; cue skipped"))
    timing_set = set(timing_rows)
    last = len(timing_rows) - 1
    for k, row in enumerate(timing_rows):
        stop = timing_rows[k + 1] if k < last else n
        # The next cue's index line, when present, belongs to the next cue.
        body_end = stop
        if k < last and stop - 1 > row and _INDEX_RE.match(lines[stop - 1]):
            body_end = stop - 1
        body = [ln.strip() for ln in lines[row + 1 : body_end]]
        # A blank line ends the cue text (ExoPlayer typical_missing_timecode.srt): what
        # follows it up to the next timing line is a broken block or a dangling index.
        if "" in body:
            blank = body.index("")
            junk = [j for j, ln in enumerate(body[blank:], row + 2 + blank) if ln]
            if junk and not any(row + 1 + j in bad_rows for j in range(blank, len(body))):
                warn(ReadWarning(junk[0], "skipped-text", "text outside any cue (missing or broken timing line?) ignored"))
            body = body[:blank]
        index = None
        if row > 0 and (row - 1) not in timing_set and _INDEX_RE.match(lines[row - 1]):
            index = int(lines[row - 1])
        start, end = timings[k]
        result.cues.append(SrtCue(start, end, text_from_srt(body), row + 1, index))
    result.warnings.sort(key=lambda w: w.line or 0)
    return result


# ---------------------------------------------------------------- writing

_BLOCK_RE = markup.OVERRIDE_BLOCK_RE
_OVERRIDE_RE = re.compile(r"\\(i|b|u|s)(\d*)(?=\\|$)")
#: SSA's legacy \a alignment (1-3 bottom, +4 top, +8 middle) as ASS \an (numpad)
_LEGACY_ALIGNMENT = {"1": "1", "2": "2", "3": "3", "5": "7", "6": "8", "7": "9", "9": "4", "10": "5", "11": "6"}


def _block_to_html(m: re.Match[str]) -> str:
    body = m.group(1)
    if "\\" not in body:
        return m.group(0)  # a comment block: keep verbatim
    html: list[str] = []

    def take(o: re.Match[str]) -> str:
        tag, val = o.group(1), o.group(2)
        if val in ("", "0"):
            html.append(f"</{tag}>")
        else:
            html.append(f"<{tag}>")
        return ""

    rest = _OVERRIDE_RE.sub(take, body)
    return "".join(html) + (f"{{{rest}}}" if rest else "")


def _html_colour(arg: str) -> str | None:
    """``&HBBGGRR&`` (ASS: blue first, leading zeros optional, maybe alpha in front) as ``#rrggbb``."""
    m = re.fullmatch(r"\s*&?[Hh]([0-9A-Fa-f]{1,8})&?\s*", arg)
    if m is None:
        return None
    bgr = m.group(1).zfill(6)[-6:].lower()
    return f"#{bgr[4:6]}{bgr[2:4]}{bgr[0:2]}"


def _is_bold(arg: str) -> bool:
    """``\\b1`` or a weight (``\\b700``) from semi-bold up; ``\\b0``, ``\\b`` and light weights are not."""
    arg = arg.strip()
    return arg.isdigit() and (int(arg) == 1 or int(arg) >= 600)


class _OverridesToSrt:
    """ASS override blocks of one cue as SRT tags, in the order they switch formatting.

    ASS formatting is state: ``{\\i1}`` twice is still italic once, ``{\\i0}``
    when nothing is italic does nothing, ``{\\r}`` resets everything and a
    tag left on ends with the line. So tags are opened once, closed only when
    open, and closed at the end of the cue.
    """

    def __init__(self, base: tuple[str, ...] = ()) -> None:
        self.base = base  #: what the style itself switches on (``("i",)`` for an italic style)
        self.open: list[str] = list(base)
        self.aligned = False

    def block(self, m: re.Match[str]) -> str:
        out: list[str] = []
        for name, arg in markup.overrides(m.group(1)):
            value = arg.strip()
            if name in ("i", "u", "s"):
                self._switch(name, value not in ("", "0"), out)
            elif name == "b":
                self._switch("b", _is_bold(value), out)
            elif name.startswith("r"):  # \r, \rStyle: back to the style (italic again if it is)
                out.append(self.close_all())
                out.extend(f"<{tag}>" for tag in self.base)
                self.open.extend(self.base)
            elif name in ("c", "1c"):  # primary colour; \2c-\4c colour what SRT does not draw
                self._switch("font", False, out)
                colour = _html_colour(value)
                if colour is not None:
                    out.append(f'<font color="{colour}">')
                    self.open.append("font")
            elif name in ("an", "a") and not self.aligned:
                # the one override SRT players agree on; ASS uses the first of a line
                position = value if name == "an" else _LEGACY_ALIGNMENT.get(value, "")
                if position in set("123456789") and position:
                    out.append(f"{{\\an{position}}}")
                    self.aligned = True
            # everything else (\fs, \pos, \fad, \t, \bord…) has no SRT form: dropped
        return "".join(out)

    def _switch(self, tag: str, on: bool, out: list[str]) -> None:
        if on and tag not in self.open:
            out.append(f"<{tag}>")
            self.open.append(tag)
        elif not on and tag in self.open:
            out.append(f"</{tag}>")
            self.open.remove(tag)

    def close_all(self) -> str:
        closing = "".join(f"</{tag}>" for tag in reversed(self.open))
        self.open.clear()
        return closing


def text_to_srt(text: str, italic_style: bool = False, *, keep_overrides: bool = False) -> str:
    """pysubs2 internal text -> SRT cue text.

    ``\\i``/``\\b``/``\\u``/``\\s`` overrides become ``<i>``/``<b>``/``<u>``/``<s>``,
    ``\\N`` a new line, ``\\h`` a no-break space. Other override blocks: with
    ``keep_overrides`` (the text was read from SRT, whose author put them
    there: a round trip loses nothing) they are kept verbatim. Otherwise (ASS,
    SSA and the rest) they are converted where SRT has a form — ``\\c`` as
    ``<font color>``, ``\\an``/``\\a`` as ``{\\anN}`` — and dropped where it has
    none (``\\fs``, ``\\pos``, comment blocks…) instead of showing as text;
    tags still open at the end of the cue are closed there. With
    ``italic_style`` the cue starts italic, so its own ``\\i0`` ends that and
    ``\\r`` brings it back, as in the ASS renderer.
    """
    wrap_italic = italic_style  # whole-cue <i> for an italic style, unless the override state carries it
    if "{" in text:
        if keep_overrides:
            for html, ass in _SIMPLE_TAGS:
                if ass in text:
                    text = text.replace(ass, html)
            if "{" in text:
                text = _BLOCK_RE.sub(_block_to_html, text)
        else:
            # an italic style is italic state from the start: {\i0} inside ends it, {\i1} resumes
            base = ("i",) if italic_style else ()
            state = _OverridesToSrt(base)
            text = "".join(f"<{tag}>" for tag in base) + _BLOCK_RE.sub(state.block, text) + state.close_all()
            text = re.sub(r"^<i>(\{\\an\d\})", r"\1<i>", text).replace("<i></i>", "").replace("</i><i>", "")
            wrap_italic = False
    if "\\" in text:
        text = text.replace("\\N", "\n").replace("\\n", "\n").replace("\\h", "\u00a0")
    if "\n" in text:
        text = text.strip("\n")
        if "\n\n" in text:
            text = _BLANK_LINES_RE.sub("\n", text)
    if wrap_italic and text and "<i>" not in text:
        # after a leading {\anN}: the position stays first, where SRT files put it
        position = re.match(r"\{\\an\d\}", text)
        cut = position.end() if position else 0
        text = f"{text[:cut]}<i>{text[cut:]}</i>"
    return text


_BLANK_LINES_RE = re.compile(r"\n{2,}")
_TWO = [f"{i:02d}" for i in range(100)]
_THREE = [f"{i:03d}" for i in range(1000)]


def ms_to_timestamp(ms: int) -> str:
    """``HH:MM:SS,mmm``; callers check the range first (see :func:`dubdesk.formats.check_range`)."""
    return clock(min(ms, MAX_MS), ",")


def compose(cues: list[tuple[int, int, str]]) -> str:
    """Strict SRT: 1-based indexes, ``HH:MM:SS,mmm``, one blank line between cues, LF."""
    two, three = _TWO, _THREE
    parts: list[str] = []
    append = parts.append
    for i, (start, end, text) in enumerate(cues, 1):
        if 0 <= start < 360_000_000 and 0 <= end < 360_000_000:
            h, r = divmod(start, 3_600_000)
            m, r = divmod(r, 60_000)
            sec, r = divmod(r, 1000)
            h2, r2 = divmod(end, 3_600_000)
            m2, r2 = divmod(r2, 60_000)
            sec2, r2 = divmod(r2, 1000)
            append(f"{i}\n{two[h]}:{two[m]}:{two[sec]},{three[r]} --> {two[h2]}:{two[m2]}:{two[sec2]},{three[r2]}\n{text}\n")
        else:
            append(f"{i}\n{ms_to_timestamp(start)} --> {ms_to_timestamp(end)}\n{text}\n")
    return "\n".join(parts)

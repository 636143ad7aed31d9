r"""LRC lyrics: line timing and enhanced (word) timing, read and write.

A line is one or more time tags and its text: ``[00:12.00]Line`` or
``[00:12.00][00:45.50]Chorus`` (the same text at two times). Tags like
``[ar:Artist]``, ``[ti:Title]``, ``[length: 03:20]`` are kept for the round trip;
``[offset:+500]`` shifts every time as players do. LRC has no end times: a
line ends where the next line starts, as Gaupol reads it; an empty timed line
(``[00:20.00]``) ends the previous line without a new one; the last line
lasts :data:`LAST_LINE_MS` (or to ``[length:]`` when that is later).

Enhanced LRC times words: ``[00:12.00]<00:12.00>When <00:12.50>the moon``.
Word times become ASS karaoke durations (``{\k50}When {\k40}the moon``), the
in-memory form pysubs2 and the markup tokenizer already know, and go back to
``<mm:ss.xx>`` on save.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..track import ReadWarning

_TIME = r"(\d{1,3}):(\d{1,2})(?:[.:](\d{1,3}))?"
TIME_TAG_RE = re.compile(r"\[" + _TIME + r"\]")
_LINE_RE = re.compile(r"^\s*((?:\[" + _TIME + r"\]\s*)+)(.*)$")
_META_RE = re.compile(r"^\s*\[([A-Za-z#]+):(.*)\]\s*$")
_WORD_RE = re.compile(r"<" + _TIME + r">")
_KARAOKE_RE = re.compile(r"\{\\[kK][fo]?(\d+)\}")
SNIFF = re.compile(r"^\s*\[\d{1,3}:\d{2}(?:[.:]\d{1,3})?\]", re.M)
LAST_LINE_MS = 3000
#: mm can go past 59 in LRC; the largest time written is 999:59.99
MAX_MS = 999 * 60_000 + 59_990


@dataclass
class LrcParse:
    cues: list[tuple[int, int, str]] = field(default_factory=list)
    metadata: list[str] = field(default_factory=list)  #: ``[ar:…]`` lines, verbatim
    warnings: list[ReadWarning] = field(default_factory=list)


def _ms(m: str, s: str, frac: str | None) -> int:
    return (int(m) * 60 + int(s)) * 1000 + (int(frac) * 10 ** (3 - len(frac)) if frac else 0)


def _words_to_karaoke(start: int, text: str, end: int) -> str:
    """``<t1>w1 <t2>w2`` -> ``{\\k..}w1 {\\k..}w2`` (centisecond durations; the last runs to ``end``)."""
    marks = list(_WORD_RE.finditer(text))
    if not marks:
        return text
    out = [text[: marks[0].start()]]
    times = [_ms(*m.groups()) for m in marks] + [max(end, _ms(*marks[-1].groups()))]
    if times[0] > start:
        out.append(f"{{\\k{(times[0] - start + 5) // 10}}}")
    for k, m in enumerate(marks):
        word = text[m.end() : marks[k + 1].start()] if k + 1 < len(marks) else text[m.end() :]
        out.append(f"{{\\k{max(0, times[k + 1] - times[k] + 5) // 10}}}{word}")
    return "".join(out)


def parse(text: str) -> LrcParse:
    result = LrcParse()
    offset = 0
    timed: list[tuple[int, int, str]] = []  #: (time, line number, text)
    length = 0
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        m = _LINE_RE.match(line)
        if m is not None:
            body = m.group(5).strip()
            for tag in TIME_TAG_RE.finditer(m.group(1)):
                if int(tag.group(2)) > 59:
                    result.warnings.append(ReadWarning(lineno, "bad-timestamp", f"seconds {tag.group(2)} over 59"))
                timed.append((_ms(*tag.groups()), lineno, body))
            continue
        meta = _META_RE.match(line)
        if meta is not None:
            result.metadata.append(line.strip())
            key, value = meta.group(1).lower(), meta.group(2).strip()
            if key == "offset" and re.fullmatch(r"[+-]?\d+", value):
                offset = int(value)  # positive: lyrics earlier (shift times back)
            elif key == "length":
                lm = re.fullmatch(r"(\d+):(\d{1,2})(?:[.:](\d{1,3}))?", value)
                if lm is not None:
                    length = _ms(*lm.groups())
            continue
        result.warnings.append(ReadWarning(lineno, "skipped-text", f"line without a time tag ignored: {line.strip()[:40]!r}"))
    timed.sort(key=lambda x: (x[0], x[1]))
    for k, (t, _lineno, body) in enumerate(timed):
        if not body:
            continue  # an empty timed line only ends the previous one
        end = timed[k + 1][0] if k + 1 < len(timed) else max(t + LAST_LINE_MS, length)
        start = t - offset
        end -= offset
        if end <= start:
            end = start + LAST_LINE_MS if k + 1 >= len(timed) else end
        result.cues.append((start, end, _words_to_karaoke(start, body, end)))
    return result


def _tag(ms: int) -> str:
    cs = (max(ms, 0) + 5) // 10
    m, cs = divmod(cs, 6000)
    s, cs = divmod(cs, 100)
    return f"{m:02d}:{s:02d}.{cs:02d}"


def _karaoke_to_words(start: int, text: str) -> str:
    if "{\\k" not in text and "{\\K" not in text:
        return text
    out: list[str] = []
    t = start
    pos = 0
    first = True
    for m in _KARAOKE_RE.finditer(text):
        out.append(text[pos : m.start()])
        # a leading karaoke block with no word after it only delays the first word
        nxt = _KARAOKE_RE.search(text, m.end())
        word_end = nxt.start() if nxt else len(text)
        if first and m.end() == word_end and nxt is not None:
            t += int(m.group(1)) * 10
            pos = m.end()
            first = False
            continue
        out.append(f"<{_tag(t)}>")
        t += int(m.group(1)) * 10
        pos = m.end()
        first = False
    out.append(text[pos:])
    return "".join(out)


def compose(cues: list[tuple[int, int, str]], metadata: list[str] | None = None) -> str:
    """LRC with an empty timed line wherever a cue ends before the next starts (and after the last).

    Cue text is one line (``\\N`` becomes a space: LRC has no line breaks); ASS
    karaoke durations become enhanced-LRC word times.
    """
    out = [m for m in (metadata or []) if not m.lower().startswith("[offset:")]
    for k, (start, end, text) in enumerate(cues):
        out.append(f"[{_tag(start)}]{_karaoke_to_words(start, text)}")
        nxt = cues[k + 1][0] if k + 1 < len(cues) else None
        if nxt is None or (end + 5) // 10 != (nxt + 5) // 10:
            out.append(f"[{_tag(end)}]")
    return "\n".join(out) + "\n"

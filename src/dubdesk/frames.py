"""Frame rates, frame grids, timecodes (drop-frame aware) and time offsets.

Times are integer milliseconds; frames appear only here, at the edge.

>>> parse_fps("23.976")
Fraction(24000, 1001)
>>> timecode(3_600_000, parse_fps("29.97"))
'01:00:00;00'
>>> parse_shift("+1.5s"), parse_shift("-250ms"), parse_shift("00:00:01,200")
(1500, -250, 1200)
"""

from __future__ import annotations

import re
from fractions import Fraction

from .errors import UsageError

#: rates people write rounded, mapped to the exact NTSC fraction
_NTSC = {
    "23.976": Fraction(24000, 1001), "23.98": Fraction(24000, 1001),
    "29.97": Fraction(30000, 1001), "59.94": Fraction(60000, 1001), "47.952": Fraction(48000, 1001),
    "119.88": Fraction(120000, 1001),
}  # fmt: skip


def parse_fps(value: str | float | Fraction) -> Fraction:
    """``"23.976"`` / ``"24000/1001"`` / ``25`` -> exact rate; a usage error otherwise."""
    if isinstance(value, Fraction):
        fps = value
    else:
        text = str(value).strip().lower().removesuffix("fps").strip()
        if text in _NTSC:
            return _NTSC[text]
        try:
            if "/" in text:
                num, den = text.split("/", 1)
                fps = Fraction(int(num), int(den))
            else:
                fps = Fraction(text).limit_denominator(1001)
        except (ValueError, ZeroDivisionError):
            raise UsageError(f"bad frame rate {value!r}", hint="use e.g. 23.976, 24, 25, 29.97, 30") from None
        for exact in _NTSC.values():
            if abs(float(fps) - float(exact)) < 0.0015:
                return exact
    if not 1 <= fps <= 240:
        raise UsageError(f"bad frame rate {value!r}", hint="use e.g. 23.976, 24, 25, 29.97, 30")
    return fps


def parse_fps_conversion(value: str) -> tuple[Fraction, Fraction]:
    """``"23.976:25"`` -> (from, to)."""
    src, sep, dst = value.partition(":")
    if not sep:
        raise UsageError(f"bad frame-rate conversion {value!r}", hint="use FROM:TO, e.g. 23.976:25")
    return parse_fps(src), parse_fps(dst)


def frame_ms(fps: Fraction | float) -> float:
    return 1000.0 / float(fps)


def nearest_frame(ms: int, fps: Fraction) -> int:
    """Frame number whose start is nearest to ``ms``."""
    return int((Fraction(ms) * fps / 1000 + Fraction(1, 2)) // 1)


def frame_start_ms(frame: int, fps: Fraction) -> int:
    """Millisecond of a frame's start, rounded to the nearest ms."""
    return int((Fraction(frame * 1000) / fps + Fraction(1, 2)) // 1)


def snap(ms: int, fps: Fraction) -> int:
    return frame_start_ms(nearest_frame(ms, fps), fps)


def is_drop_frame(fps: Fraction) -> bool:
    """29.97 and 59.94 use drop-frame timecode."""
    return fps.denominator == 1001 and fps.numerator in (30000, 60000)


def clock(ms: int, separator: str = ".") -> str:
    """``HH:MM:SS.mmm`` (WebVTT, TTML), or ``HH:MM:SS,mmm`` with ``separator=","`` (SRT); a
    negative time is written as 0."""
    h, ms = divmod(max(ms, 0), 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{separator}{ms:03d}"


def timecode(ms: int, fps: Fraction | None) -> str:
    """``HH:MM:SS:FF`` (``;FF`` drop-frame at 29.97/59.94), or ``HH:MM:SS,mmm`` without fps."""
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    if fps is None:
        h, rest = divmod(ms, 3_600_000)
        m, rest = divmod(rest, 60_000)
        s, milli = divmod(rest, 1000)
        return f"{sign}{h:02d}:{m:02d}:{s:02d},{milli:03d}"
    frame = int(ms * float(fps) / 1000.0 + 0.5)  # float is exact enough for a label, and fast
    nominal = round(float(fps))
    sep = ":"
    if is_drop_frame(fps):
        # SMPTE drop-frame: skip frame numbers 0 and 1 (0-3 at 59.94) each minute except every tenth
        drop = 2 if nominal == 30 else 4
        per_10min = nominal * 600 - drop * 9
        per_min = nominal * 60 - drop
        tens, rem = divmod(frame, per_10min)
        frame += drop * 9 * tens + (drop * ((rem - drop) // per_min) if rem > drop else 0)
        sep = ";"
    ff = frame % nominal
    total_s = frame // nominal
    h, rest = divmod(total_s, 3600)
    m, s = divmod(rest, 60)
    return f"{sign}{h:02d}:{m:02d}:{s:02d}{sep}{ff:02d}"


_SHIFT_UNIT_RE = re.compile(r"^([+-]?)(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?$")
_SHIFT_TC_RE = re.compile(r"^([+-]?)(?:(\d+):)?(\d+):(\d+)(?:[.,](\d{1,3}))?$")


def parse_shift(value: str | int | float) -> int:
    """``"+1.5s"``, ``"-500ms"``, ``"2"`` (seconds), ``"-0:00:01,5"`` -> milliseconds."""
    if isinstance(value, int | float):
        return round(float(value))
    text = value.strip().lower().replace(" ", "")
    m = _SHIFT_UNIT_RE.match(text)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        number = float(m.group(2))
        scale = {"ms": 1, "s": 1000, None: 1000, "m": 60_000, "min": 60_000, "h": 3_600_000}[m.group(3)]
        return sign * round(number * scale)
    m = _SHIFT_TC_RE.match(text)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        h = int(m.group(2) or 0)
        frac = (m.group(5) or "0").ljust(3, "0")
        total = ((h * 60 + int(m.group(3))) * 60 + int(m.group(4))) * 1000 + int(frac)
        return sign * total
    raise UsageError(f"bad time offset {value!r}", hint="use e.g. +1.5s, -500ms or -00:00:01,500")


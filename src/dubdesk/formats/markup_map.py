r"""One markup model across formats: what each format shows, and cue text carried from one to another.

Cue text in a :class:`~dubdesk.track.Track` is pysubs2's internal form plus
the tags its source format had (SRT ``<font color>``, WebVTT ``<v Name>``,
``<c.class>``, ``<ruby>``, timestamps and entities, ASS overrides and
drawings). Writing to *another* format goes through a neutral form
(:class:`Cue`: runs of text with italic/bold/underline/strike/colour state,
plus position, voice, karaoke times, drawings): one decoder, one encoder per
target, so N formats need 2N converters, not N² (aeidon's MarkupConverter).

Each feature a target cannot show is dropped and counted; :class:`Notes`
gathers one summary per conversion ("colour dropped in 3 cues") instead of
one warning per cue. :data:`SUPPORT` is the table in docs/formats.md.

A text written back to its own format is not converted at all: a round trip
keeps every tag its author wrote.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from .. import markup

FEATURES = (
    "italic", "bold", "underline", "strike", "colour", "position", "voice", "class", "ruby", "karaoke", "drawing",
)  # fmt: skip
KEPT, MAPPED, DROPPED = "kept", "mapped", "dropped"

#: format -> feature -> how a cue's feature arrives in that format (see docs/formats.md)
SUPPORT: dict[str, dict[str, str]] = {
    "srt": {"italic": KEPT, "bold": KEPT, "underline": KEPT, "strike": KEPT, "colour": KEPT, "position": MAPPED,
            "voice": DROPPED, "class": DROPPED, "ruby": MAPPED, "karaoke": DROPPED, "drawing": DROPPED},
    "ass": {"italic": KEPT, "bold": KEPT, "underline": KEPT, "strike": KEPT, "colour": MAPPED, "position": KEPT,
            "voice": MAPPED, "class": DROPPED, "ruby": MAPPED, "karaoke": MAPPED, "drawing": KEPT},
    "vtt": {"italic": KEPT, "bold": KEPT, "underline": KEPT, "strike": DROPPED, "colour": DROPPED, "position": MAPPED,
            "voice": KEPT, "class": KEPT, "ruby": KEPT, "karaoke": KEPT, "drawing": DROPPED},
    "ttml": {"italic": MAPPED, "bold": MAPPED, "underline": MAPPED, "strike": MAPPED, "colour": MAPPED,
             "position": MAPPED, "voice": DROPPED, "class": DROPPED, "ruby": MAPPED, "karaoke": DROPPED,
             "drawing": DROPPED},
    "microdvd": {"italic": MAPPED, "bold": MAPPED, "underline": MAPPED, "strike": MAPPED, "colour": MAPPED,
                 "position": DROPPED, "voice": DROPPED, "class": DROPPED, "ruby": MAPPED, "karaoke": DROPPED,
                 "drawing": DROPPED},
    "mpl2": {"italic": MAPPED, "bold": DROPPED, "underline": DROPPED, "strike": DROPPED, "colour": DROPPED,
             "position": DROPPED, "voice": DROPPED, "class": DROPPED, "ruby": MAPPED, "karaoke": DROPPED,
             "drawing": DROPPED},
    "tmp": {"italic": DROPPED, "bold": DROPPED, "underline": DROPPED, "strike": DROPPED, "colour": DROPPED,
            "position": DROPPED, "voice": DROPPED, "class": DROPPED, "ruby": MAPPED, "karaoke": DROPPED,
            "drawing": DROPPED},
}  # fmt: skip
SUPPORT["ssa"] = SUPPORT["ass"]

#: what a format's writer does to times, said once per file when it matters
LOSSY_TIMES = {
    "tmp": "TMP has no end times: a player shows each cue until the next one",
    "mpl2": "MPL2 stores tenths of a second",
    "microdvd": "MicroDVD stores frames",
}

_NAMED_COLOURS = {
    "white": "#ffffff", "black": "#000000", "red": "#ff0000", "lime": "#00ff00", "green": "#008000",
    "blue": "#0000ff", "yellow": "#ffff00", "cyan": "#00ffff", "aqua": "#00ffff", "magenta": "#ff00ff",
    "fuchsia": "#ff00ff", "silver": "#c0c0c0", "gray": "#808080", "grey": "#808080", "maroon": "#800000",
    "olive": "#808000", "purple": "#800080", "teal": "#008080", "navy": "#000080", "orange": "#ffa500",
}  # fmt: skip
_FONT_COLOUR_RE = re.compile(r"""color\s*=\s*["']?\s*(#?[0-9A-Za-z]+)""", re.I)
#: a WebVTT timestamp tag (the tokenizer takes it for text today; markup.is_timestamp_tag once it has one)
_LEGACY_ALIGNMENT = {"1": 1, "2": 2, "3": 3, "5": 7, "6": 8, "7": 9, "9": 4, "10": 5, "11": 6}


@dataclass(frozen=True)
class Style:
    italic: bool = False
    bold: bool = False
    underline: bool = False
    strike: bool = False
    colour: str | None = None  #: ``#rrggbb``


@dataclass
class Run:
    """A piece of a cue: visible text with one style, a line break, or a karaoke/drawing marker."""

    text: str
    style: Style = Style()
    kind: str = "text"  #: text, break, karaoke (``ms`` from the cue start), drawing
    ms: int = 0


@dataclass
class Cue:
    runs: list[Run] = field(default_factory=list)
    position: int | None = None  #: numpad alignment 1-9 (``\an``)
    voice: str | None = None
    end_ms: int | None = None  #: the cue's end, for the last karaoke syllable
    features: set[str] = field(default_factory=set)  #: every feature this cue uses


@dataclass
class Notes:
    """What a conversion changed, summed over a file: one line per feature, not one per cue."""

    dropped: Counter[str] = field(default_factory=Counter)  #: feature -> cues
    mapped: Counter[str] = field(default_factory=Counter)
    lossy: list[str] = field(default_factory=list)

    def count(self, cue: Cue, target: str) -> None:
        table = SUPPORT.get(target, {})
        for feature in cue.features:
            how = table.get(feature, DROPPED)
            if how == DROPPED:
                self.dropped[feature] += 1
            elif how == MAPPED:
                self.mapped[feature] += 1

    def warnings(self, target: str) -> list[str]:
        out = []
        if self.dropped:
            what = ", ".join(f"{f} ({n} cue{'s' if n != 1 else ''})" for f, n in sorted(self.dropped.items()))
            out.append(f"{target.upper()} cannot show {what}: dropped")
        out.extend(self.lossy)
        return out


# ---------------------------------------------------------------- decoding


def _switch(style: Style, key: str, on: bool) -> Style:
    if key == "italic":
        return replace(style, italic=on)
    if key == "bold":
        return replace(style, bold=on)
    if key == "underline":
        return replace(style, underline=on)
    return replace(style, strike=on)


def _colour(value: str) -> str | None:
    """``#rgb``/``#rrggbb``/a named colour (SRT) or ``&HBBGGRR&`` (ASS) as ``#rrggbb``."""
    value = value.strip()
    m = re.fullmatch(r"&?[Hh]([0-9A-Fa-f]{1,8})&?", value)
    if m is not None:
        bgr = m.group(1).zfill(6)[-6:].lower()
        return f"#{bgr[4:6]}{bgr[2:4]}{bgr[0:2]}"
    if re.fullmatch(r"#?[0-9A-Fa-f]{6}", value):
        return "#" + value.lstrip("#").lower()
    if re.fullmatch(r"#[0-9A-Fa-f]{3}", value):
        return "#" + "".join(c * 2 for c in value[1:].lower())
    return _NAMED_COLOURS.get(value.lower())


def _vtt_ms(stamp: str) -> int:
    parts = stamp.split(":")
    sec = float(parts[-1])
    minutes = int(parts[-2])
    hours = int(parts[-3]) if len(parts) == 3 else 0
    return round(((hours * 60 + minutes) * 60 + sec) * 1000)


def decode(
    text: str,
    *,
    source: str,
    start_ms: int = 0,
    end_ms: int | None = None,
    settings: str = "",
    name: str = "",
    base: Style | None = None,
) -> Cue:
    """Internal cue text (as read from ``source``) into the neutral form; ``base`` is the ASS style's state."""
    cue = Cue(end_ms=end_ms)
    style = base or Style()
    colours: list[str | None] = []
    drawing = False
    karaoke_ms = 0
    for tok in markup.tokenize(text):
        if tok.kind is markup.Kind.BREAK:
            cue.runs.append(Run("\n", style, "break"))
            continue
        if tok.kind is markup.Kind.SPACE:
            cue.runs.append(Run("\u00a0", style))
            continue
        raw = tok.raw
        if tok.kind is markup.Kind.TEXT or not raw.startswith(("{", "<")):
            # TEXT, or a kind the tokenizer may add for drawing commands: text unless \p is on
            _decode_text(raw, cue, style, source=source, drawing=drawing)
            continue
        if markup.is_timestamp_tag(raw):  # WebVTT karaoke: <00:17.500> starts the words after it
            cue.runs.append(Run("", style, "karaoke", _vtt_ms(raw[1:-1])))
            cue.features.add("karaoke")
            continue
        if raw.startswith("{"):
            found = markup.overrides(raw)
            if not found:  # a comment block: kept for ASS, never shown anywhere
                cue.runs.append(Run(raw, style, "comment"))
                continue
            other: list[str] = []
            for ovr, arg in found:
                value = arg.strip()
                if ovr in ("i", "u", "s"):
                    style = _switch(style, {"i": "italic", "u": "underline", "s": "strike"}[ovr], value not in ("", "0"))
                elif ovr == "b":
                    style = replace(style, bold=value.isdigit() and (int(value) == 1 or int(value) >= 600))
                elif ovr in ("c", "1c"):
                    style = replace(style, colour=_colour(value) if value else None)
                elif ovr == "an" and cue.position is None and value.isdigit():
                    cue.position = int(value)
                elif ovr == "a" and cue.position is None:
                    cue.position = _LEGACY_ALIGNMENT.get(value)
                elif ovr in ("k", "kf", "ko", "K") and value.isdigit():
                    cue.runs.append(Run("", style, "karaoke", start_ms + karaoke_ms))
                    karaoke_ms += int(value) * 10
                    cue.features.add("karaoke")
                elif ovr == "p":
                    drawing = value not in ("", "0")
                elif ovr.startswith("r"):
                    style = base or Style()
                else:  # \fs, \pos, \fad, \bord…: ASS's own, carried to ASS as they are
                    other.append(f"\\{ovr}{arg}")
            if other:
                cue.runs.append(Run("".join(other), style, "ass"))
            continue
        body = raw[1:-1].strip()
        closing = body.startswith("/")
        tag = body.lstrip("/").strip()
        head = re.split(r"[\s.]", tag, maxsplit=1)[0].lower()
        if head == "font":
            if closing:
                style = replace(style, colour=colours.pop() if colours else None)
            else:
                colours.append(style.colour)
                m = _FONT_COLOUR_RE.search(tag)
                if m is not None:
                    style = replace(style, colour=_colour(m.group(1)))
        elif head in ("i", "b", "u", "s"):
            key = {"i": "italic", "b": "bold", "u": "underline", "s": "strike"}[head]
            style = _switch(style, key, not closing)
        elif head == "v" and not closing:
            voice = tag[1:].strip()
            voice = voice.split(None, 1)[-1] if voice.startswith(".") else voice
            if cue.voice is None and voice:
                cue.voice = html.unescape(voice)
                cue.features.add("voice")
        elif head == "c":
            cue.features.add("class")
        elif head in ("ruby", "rt"):
            cue.features.add("ruby")
            if head == "rt":
                cue.runs.append(Run(")" if closing else "(", style))
    for run in cue.runs:
        _note_style(cue, run.style)
    if cue.position is None and settings:
        cue.position = _position_from_vtt(settings)
    if cue.position not in (None, 2):
        cue.features.add("position")
    if name and cue.voice is None and source in ("ass", "ssa"):
        cue.voice = name
        cue.features.add("voice")
    return cue


def _decode_text(raw: str, cue: Cue, style: Style, *, source: str, drawing: bool) -> None:
    if drawing:
        cue.runs.append(Run(raw, style, "drawing"))
        cue.features.add("drawing")
        return
    if raw:
        cue.runs.append(Run(_unescape(raw, source), style))


def _unescape(text: str, source: str) -> str:
    # the WebVTT and TTML readers decode &amp; and &nbsp;; &lt; and &gt; stay escaped so "<" is never
    # taken for a tag. SRT has no escapes in its spec, but players (VLC, mpv) decode these three.
    if source in ("vtt", "ttml", "srt") and "&" in text:
        text = text.replace("&lt;", "<").replace("&gt;", ">")
        if source == "srt":
            text = text.replace("&amp;", "&")
    return text


def _note_style(cue: Cue, style: Style) -> None:
    for key in ("italic", "bold", "underline", "strike"):
        if getattr(style, key):
            cue.features.add(key)
    if style.colour is not None:
        cue.features.add("colour")


def _position_from_vtt(settings: str) -> int | None:
    """WebVTT ``line:``/``align:`` settings as a numpad position (2, bottom centre, is the default)."""
    values = dict(item.split(":", 1) for item in settings.split() if ":" in item)
    line = values.get("line", "").split(",")[0]
    row = 0  # bottom
    if line.endswith("%"):
        try:
            pct = float(line[:-1])
        except ValueError:
            pct = 100.0
        row = 2 if pct < 34 else 1 if pct < 67 else 0
    elif line.lstrip("-").isdigit():
        row = 2 if int(line) >= 0 else 0  # line:0 is the top line; negative counts from the bottom
    col = {"start": 0, "left": 0, "end": 2, "right": 2}.get(values.get("align", ""), 1)
    position = 1 + col + 3 * row
    return None if position == 2 else position




def vtt_settings(position: int | None) -> str:
    """A numpad position as WebVTT cue settings (``{\\an8}`` -> ``line:0``)."""
    if position is None or position == 2:
        return ""
    row, col = divmod(position - 1, 3)
    parts = []
    if row == 2:
        parts.append("line:0")
    elif row == 1:
        parts.append("line:50%")
    if col != 1:
        parts.append("align:" + ("start" if col == 0 else "end"))
    return " ".join(parts)

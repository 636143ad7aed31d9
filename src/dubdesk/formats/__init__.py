"""Subtitle formats: a plain registry of id -> reader, writer, sniffer (as pysubs2's ``formats``).

pysubs2 is the in-memory model and handles several formats itself; dubdesk
brings its own readers/writers for SRT and WebVTT (tolerant reading with line
numbers, strict writing, speed), SubViewer 1/2 and LRC (pysubs2 reads neither),
and a pre-pass for ASS/SSA that keeps what pysubs2 drops. Every reader returns
structured :class:`~dubdesk.track.ReadWarning` s, never text to parse back.

A :class:`Format` says what a format can hold (``max_ms``, ``negative``);
:func:`check_range` refuses to write a time it cannot, naming ``dubdesk fix``.
"""

from __future__ import annotations

import re
import warnings as warnings_module
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pysubs2

from .. import markup
from ..errors import ParseError, SubtitleError, UsageError
from ..track import ReadWarning
from . import ass as ass_fmt
from . import convert as convert_fmt
from . import lrc as lrc_fmt
from . import srt as srt_fmt
from . import subviewer as subviewer_fmt
from . import ttml as ttml_fmt
from . import vtt as vtt_fmt

if TYPE_CHECKING:
    from ..track import Track

#: MicroDVD frame rate assumed when neither the file nor the caller gives one (pysubs2, Subtitle Edit)
DEFAULT_MICRODVD_FPS = convert_fmt.DEFAULT_MICRODVD_FPS


@dataclass
class Parsed:
    """What a reader returns: pysubs2 events/styles, warnings, and what a round trip must keep."""

    subs: pysubs2.SSAFile
    warnings: list[ReadWarning] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)


Reader = Callable[[str, "ReadOptions"], Parsed]
#: a writer returns the text and one line per thing the format could not keep
Writer = Callable[["Track", "float | None"], tuple[str, list[str]]]


@dataclass(frozen=True)
class ReadOptions:
    path: str | None = None
    fps: float | None = None


@dataclass(frozen=True)
class Format:
    id: str
    name: str
    extensions: tuple[str, ...]
    read: Reader
    write: Writer | None
    #: a content pattern; ``strong`` patterns (a header) beat the file extension
    sniff: re.Pattern[str] | None = None
    strong: bool = False
    max_ms: int = 360_000_000 - 1  #: the largest time the format can write
    negative: bool = False  #: can it hold a time before zero?
    unit_ms: int = 1  #: the format's time resolution


# ---------------------------------------------------------------- readers


def _events(cues: list[tuple[int, int, str]]) -> pysubs2.SSAFile:
    subs = pysubs2.SSAFile()
    make = pysubs2.SSAEvent
    subs.events = [make(start=s, end=e, text=t) for s, e, t in cues]
    return subs


def _read_srt(text: str, opts: ReadOptions) -> Parsed:
    parsed = srt_fmt.parse(text)
    subs = pysubs2.SSAFile()
    make = pysubs2.SSAEvent
    subs.events = [make(start=c.start, end=c.end, text=c.text) for c in parsed.cues]
    return Parsed(subs, parsed.warnings)


def _read_vtt(text: str, opts: ReadOptions) -> Parsed:
    vparsed = vtt_fmt.parse(text)
    if not vparsed.is_webvtt:
        # The spec's parser stops here with no cues (vtt.js and the WPT agree).
        vparsed.warnings.insert(0, ReadWarning(1, "not-webvtt", "not a WebVTT file: the first line must be WEBVTT"))
    subs = pysubs2.SSAFile()
    subs.events = [
        pysubs2.SSAEvent(start=c.start, end=c.end, text=c.text, name=c.ident, effect=c.settings) for c in vparsed.cues
    ]
    return Parsed(subs, vparsed.warnings, {"vtt_header": vparsed.header, "vtt_blocks": vparsed.blocks})


def _read_ass(fmt: str) -> Reader:
    def read(text: str, opts: ReadOptions) -> Parsed:
        pre = ass_fmt.prepass(text)
        try:
            with warnings_module.catch_warnings(record=True) as caught:
                warnings_module.simplefilter("always")
                subs = pysubs2.SSAFile.from_string(pre.text, format_=fmt)
            pre.warnings.extend(ReadWarning(None, "reader", str(w.message)) for w in caught)
        except Exception as exc:  # pysubs2 raises ValueError/KeyError and friends on malformed files
            raise ParseError(f"malformed {fmt.upper()} file: {exc}", path=opts.path, hint="run dubdesk lint on it") from exc
        return Parsed(subs, pre.warnings, {"ass_preserved": pre.preserved})

    return read


def _read_subviewer(text: str, opts: ReadOptions) -> Parsed:
    parsed = subviewer_fmt.parse(text)
    return Parsed(_events(parsed.cues), parsed.warnings, {"subviewer_header": parsed.header})


def _read_ttml(text: str, opts: ReadOptions) -> Parsed:
    try:
        parsed = ttml_fmt.parse(text)
    except Exception as exc:  # ElementTree's ParseError and friends on malformed XML
        raise ParseError(f"malformed TTML file: {exc}", path=opts.path, hint="run dubdesk lint on it") from exc
    extras = {"ttml_language": parsed.language} if parsed.language else {}
    warnings = [ReadWarning(line, "reader", message) for line, message in parsed.warnings]
    return Parsed(_events([(c.start, c.end, c.text) for c in parsed.cues]), warnings, extras)


def _read_lrc(text: str, opts: ReadOptions) -> Parsed:
    parsed = lrc_fmt.parse(text)
    return Parsed(_events(parsed.cues), parsed.warnings, {"lrc_metadata": parsed.metadata})


_FPS_LINE_RE = re.compile(r"\s*\{\s*\d+\s*\}\s*\{\s*\d+\s*\}\s*\d+(\.\d+)?\s*$")
_DECLARED_FPS_RE = re.compile(r"\s*\{\s*[01]\s*\}\s*\{\s*[01]\s*\}\s*\d+(\.\d+)?\s*$")


def _read_pysubs2(fmt: str) -> Reader:
    def read(text: str, opts: ReadOptions) -> Parsed:
        kwargs: dict[str, Any] = {}
        warnings: list[ReadWarning] = []
        if fmt == "microdvd" and not _DECLARED_FPS_RE.match(text.split("\n", 1)[0]):
            kwargs["fps"] = opts.fps  # a declared frame rate ({1}{1}23.976) wins over the caller's
        try:
            with warnings_module.catch_warnings(record=True) as caught:
                warnings_module.simplefilter("always")
                try:
                    subs = pysubs2.SSAFile.from_string(text, format_=fmt, **kwargs)
                except pysubs2.exceptions.UnknownFPSError:
                    if _FPS_LINE_RE.match(text.split("\n", 1)[0]):
                        # {10}{20}1000.0: a frame-rate line with odd frame numbers (pysubs2 issue 71)
                        subs = pysubs2.SSAFile.from_string(text, format_=fmt, strict_fps_inference=False)
                        warnings.append(ReadWarning(1, "fps-declared", f"frame rate {subs.fps} read from the first line"))
                        return _microdvd_checked(subs, warnings, opts)
                    # no frame rate anywhere: 23.976 as pysubs2's CLI and Subtitle Edit assume, and said
                    subs = pysubs2.SSAFile.from_string(text, format_=fmt, fps=DEFAULT_MICRODVD_FPS)
                    warnings.append(ReadWarning(1, "fps-assumed", f"MicroDVD file does not declare its frame rate; "
                                                f"{DEFAULT_MICRODVD_FPS} assumed (pass --fps to choose)"))
            warnings.extend(ReadWarning(None, "reader", str(w.message)) for w in caught)
        except Exception as exc:
            raise ParseError(f"malformed {fmt} file: {exc}", path=opts.path, hint="run dubdesk lint on it") from exc
        if fmt == "sami":
            # A SAMI <SYNC> holding only &nbsp; clears the screen; it is not a cue.
            subs.events = [e for e in subs.events if e.plaintext.replace("\xa0", " ").strip()]
        if fmt == "microdvd":
            return _microdvd_checked(subs, warnings, opts)
        return Parsed(subs, warnings)

    return read


def _microdvd_checked(subs: pysubs2.SSAFile, warnings: list[ReadWarning], opts: ReadOptions) -> Parsed:
    if subs.fps is not None and subs.fps <= 0:
        raise ParseError(f"MicroDVD file declares an invalid frame rate {subs.fps}", path=opts.path, line=1,
                         hint="pass --fps")
    return Parsed(subs, warnings)


# ---------------------------------------------------------------- writers


def _write_converted(fmt: str) -> Writer:
    """The formats whose markup :mod:`dubdesk.formats.convert` maps (SRT, WebVTT, ASS/SSA, TTML, line formats)."""

    def write(track: Track, fps: float | None) -> tuple[str, list[str]]:
        return convert_fmt.render(track, fmt, fps)

    return write


def _dropped_markup(track: Track, name: str) -> list[str]:
    """The one summary line for a format that shows plain text only."""
    styled = sum(1 for e in track.subs.events if not e.is_comment and markup.tags(e.text))
    return _dropped_note(name, styled)


def _dropped_note(name: str, cues: int) -> list[str]:
    return [f"{name} shows plain text: markup dropped in {cues} cue(s)"] if cues else []


#: an override block holding one karaoke timing ({\k50}, {\kf50}, {\K50}): what LRC's word timing keeps
_KARAOKE_BLOCK_RE = re.compile(r"\{\\[kK][fo]?\d+\}")


def _plain_lines(track: Track) -> list[tuple[int, int, str]]:
    """Cues as their visible text, lines joined by ``\\n`` (tags, drawings and timestamps dropped)."""
    return [(e.start, e.end, markup.visible(e.text)) for e in track.subs.events if not e.is_comment]


def _write_subviewer(version: int) -> Writer:
    def write(track: Track, fps: float | None) -> tuple[str, list[str]]:
        header = track.extras.get("subviewer_header") if track.source.format == f"subviewer{version}" else None
        compose = subviewer_fmt.compose2 if version == 2 else subviewer_fmt.compose1
        return compose(_plain_lines(track), header), _dropped_markup(track, f"SubViewer {version}")

    return write


def _write_lrc(track: Track, fps: float | None) -> tuple[str, list[str]]:
    """One line per cue: visible text and karaoke timings; every other tag, drawing or ruby dropped (and counted)."""
    cues = []
    styled = 0
    for e in track.subs.events:
        if e.is_comment:
            continue
        parts = []
        dropped = False
        for tok in markup.tokenize(e.text):
            if tok.kind is markup.Kind.TEXT or (tok.kind is markup.Kind.TAG and _KARAOKE_BLOCK_RE.fullmatch(tok.raw)):
                parts.append(tok.raw)
            elif tok.kind in (markup.Kind.BREAK, markup.Kind.SPACE):
                parts.append(" ")
            else:
                dropped = True
        styled += dropped
        cues.append((e.start, e.end, "".join(parts)))
    metadata = track.extras.get("lrc_metadata") if track.source.format == "lrc" else None
    return lrc_fmt.compose(cues, metadata), _dropped_note("LRC", styled)


def _write_json(track: Track, fps: float | None) -> tuple[str, list[str]]:
    return str(track.subs.to_string("json")), []


# ---------------------------------------------------------------- the registry

_ASS_MAX = 10 * 3_600_000 - 10  #: H:MM:SS.cc, one hour digit

FORMATS: dict[str, Format] = {
    f.id: f
    for f in (
        Format("srt", "SubRip", (".srt",), _read_srt, _write_converted("srt"),
               re.compile(r"^\s*-?(\d+:)?\d+:\d+([,.:]\d+)?\s*-->", re.M), max_ms=srt_fmt.MAX_MS),
        Format("ass", "Advanced SubStation Alpha", (".ass",), _read_ass("ass"), _write_converted("ass"),
               re.compile(r"^\s*\[(Script Info|V4\+ Styles|Events)\]", re.M | re.I), strong=True, max_ms=_ASS_MAX,
               unit_ms=10),
        Format("ssa", "SubStation Alpha", (".ssa",), _read_ass("ssa"), _write_converted("ssa"),
               re.compile(r"^\s*\[V4 Styles\]", re.M | re.I), strong=True, max_ms=_ASS_MAX, unit_ms=10),
        Format("vtt", "WebVTT", (".vtt", ".webvtt"), _read_vtt, _write_converted("vtt"), re.compile(r"\AWEBVTT"), strong=True,
               max_ms=10**12),
        Format("ttml", "TTML", (".ttml", ".dfxp", ".xml"), _read_ttml, _write_converted("ttml"),
               re.compile(r"<tt[\s>]|http://www\.w3\.org/ns/ttml"), strong=True, max_ms=10**12),
        Format("sami", "SAMI", (".smi", ".sami"), _read_pysubs2("sami"), None, re.compile(r"<sami", re.I), strong=True),
        Format("subviewer2", "SubViewer 2", (".sub",), _read_subviewer, _write_subviewer(2), subviewer_fmt.SNIFF2,
               max_ms=subviewer_fmt.MAX_MS, unit_ms=10),
        Format("subviewer1", "SubViewer 1", (".sub",), _read_subviewer, _write_subviewer(1), subviewer_fmt.SNIFF1,
               max_ms=subviewer_fmt.MAX_MS, unit_ms=1000),
        Format("microdvd", "MicroDVD", (".sub",), _read_pysubs2("microdvd"), _write_converted("microdvd"),
               re.compile(r"^\s*\{\s*\d+\s*\}\s*\{\s*\d*\s*\}", re.M), max_ms=10**12),
        Format("mpl2", "MPL2", (".mpl", ".txt"), _read_pysubs2("mpl2"), _write_converted("mpl2"),
               re.compile(r"^\s*\[\d+\]\s*\[\d*\]", re.M), max_ms=10**12, unit_ms=100),
        Format("lrc", "LRC lyrics", (".lrc",), _read_lrc, _write_lrc, lrc_fmt.SNIFF, max_ms=lrc_fmt.MAX_MS, unit_ms=10),
        Format("tmp", "TMPlayer", (".tmp", ".txt"), _read_pysubs2("tmp"), _write_converted("tmp"),
               re.compile(r"^\s*\d{1,2}:\d{2}:\d{2}:", re.M), max_ms=100 * 3_600_000 - 1000, unit_ms=1000),
        Format("json", "pysubs2 JSON", (".json",), _read_pysubs2("json"), _write_json, None,
               max_ms=10**15, negative=True),
    )
}

ALIASES = {"webvtt": "vtt", "subrip": "srt", "sub": "microdvd", "mdvd": "microdvd", "dfxp": "ttml", "smi": "sami",
           "subviewer": "subviewer2", "sbv": "subviewer2", "lyrics": "lrc"}
#: the order content is sniffed in when the extension does not decide
SNIFF_ORDER = ("ass", "vtt", "ttml", "sami", "srt", "subviewer2", "subviewer1", "microdvd", "mpl2", "lrc", "tmp")
#: extension -> format when the content does not say (``.sub`` is MicroDVD unless it looks like SubViewer)
BY_EXTENSION = {ext: f.id for f in reversed(FORMATS.values()) for ext in f.extensions}
BY_EXTENSION[".sub"] = "microdvd"
del BY_EXTENSION[".txt"]  # MPL2, TMPlayer or notes: only the content can say


def get(fmt: str) -> Format:
    """The :class:`Format` for an id or alias; a usage error naming the known ones otherwise."""
    f = fmt.lower().lstrip(".")
    f = ALIASES.get(f, f)
    spec = FORMATS.get(f)
    if spec is None:
        raise UsageError(f"unknown subtitle format {fmt!r}", hint="use one of " + ", ".join(FORMATS))
    return spec


def check_range(track: Track, spec: Format, path: str | None) -> None:
    """Refuse a time the format cannot hold (before zero, past its largest) instead of clamping it."""
    events = track.subs.events
    if not events:
        return
    low = min(min(e.start for e in events), min(e.end for e in events))
    high = max(max(e.start for e in events), max(e.end for e in events))
    if (low >= 0 or spec.negative) and high <= spec.max_ms:
        return
    number = 0
    for event in events:
        if event.is_comment:
            continue
        number += 1
        low = min(event.start, event.end)
        if low < 0 and not spec.negative:
            raise SubtitleError(
                f"cue {number} starts at {low / 1000:.3f} s: {spec.name} cannot hold times before zero",
                path=path, hint="run dubdesk fix: it moves them to 0 or later; fix --shift moves the whole track",
            )
        high = max(event.start, event.end)
        if high > spec.max_ms:
            raise SubtitleError(
                f"cue {number} ends at {_clock(high)}, past the largest {spec.name} time ({_clock(spec.max_ms)})",
                path=path, hint="check the cue's timing (dubdesk lint shows its line)",
            )


def _clock(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, rest = divmod(rest, 1000)
    return f"{h}:{m:02d}:{s:02d}.{rest:03d}"


def read(spec: Format, text: str, opts: ReadOptions) -> Parsed:
    return spec.read(text, opts)


def write(spec: Format, track: Track, fps: float | None = None, path: str | None = None) -> tuple[str, list[str]]:
    """The track as ``spec`` text, and one line per thing the format could not keep."""
    if spec.write is None:
        raise UsageError(f"writing {spec.name} is not supported (reading is)", hint="choose srt, ass, vtt or ttml")
    check_range(track, spec, path)
    return spec.write(track, fps)

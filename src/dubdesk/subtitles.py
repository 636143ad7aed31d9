"""Load and save subtitle tracks in every common format and encoding.

``load`` decodes the bytes (see :mod:`dubdesk.encodings`), detects the format
from the content as well as the extension, and parses: SRT and WebVTT with
dubdesk's own readers (:mod:`dubdesk.formats`), ASS/SSA through a pre-pass and
pysubs2, MicroDVD, MPL2, TMP, TTML and SAMI through pysubs2. ``save`` writes
strict, standard output atomically and never overwrites the track's own input
unless ``in_place=True``.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import warnings as warnings_module
from pathlib import Path
from typing import Any

import pysubs2

from . import languages
from .encodings import decode, line_endings, normalize_newlines
from .errors import (
    EncodingDetectionError,
    FormatDetectionError,
    ParseError,
    SubtitleError,
    UsageError,
)
from .files import atomic_write_bytes, refuse_overwrite
from .formats import ass as ass_fmt
from .formats import convert as convert_fmt
from .formats import srt as srt_fmt
from .formats import ttml as ttml_fmt
from .formats import vtt as vtt_fmt
from .track import Source, Track

#: format id -> file extension used when saving
EXTENSIONS = {
    "srt": ".srt", "ass": ".ass", "ssa": ".ssa", "vtt": ".vtt", "microdvd": ".sub", "mpl2": ".txt",
    "tmp": ".txt", "ttml": ".ttml", "sami": ".smi", "json": ".json",
}
_EXT_TO_FORMAT = {
    ".srt": "srt", ".ass": "ass", ".ssa": "ssa", ".vtt": "vtt", ".webvtt": "vtt", ".sub": "microdvd",
    ".ttml": "ttml", ".dfxp": "ttml", ".xml": "ttml", ".smi": "sami", ".sami": "sami", ".mpl": "mpl2",
    ".tmp": "tmp",
}
FORMATS = tuple(EXTENSIONS)
_ALIASES = {"webvtt": "vtt", "subrip": "srt", "sub": "microdvd", "mdvd": "microdvd", "dfxp": "ttml", "smi": "sami"}

_SIGNATURES: dict[str, re.Pattern[str]] = {
    "ass": re.compile(r"^\s*\[(Script Info|V4\+ Styles|Events)\]", re.M | re.I),
    "vtt": re.compile(r"\AWEBVTT"),
    "ttml": re.compile(r"<tt[\s>]|http://www\.w3\.org/ns/ttml"),
    "sami": re.compile(r"<sami", re.I),
    "srt": re.compile(r"^\s*(\d+:)?\d+:\d+([,.:]\d+)?\s*-->", re.M),
    "microdvd": re.compile(r"^\s*\{\s*\d+\s*\}\s*\{\s*\d*\s*\}", re.M),
    "mpl2": re.compile(r"^\s*\[\d+\]\s*\[\d*\]", re.M),
    "tmp": re.compile(r"^\s*\d{1,2}:\d{2}:\d{2}:", re.M),
}
log = logging.getLogger(__name__)
_LANG_IN_NAME_RE = re.compile(r"\.([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)$")


def normalize_format(fmt: str) -> str:
    f = fmt.lower().lstrip(".")
    f = _ALIASES.get(f, f)
    if f not in EXTENSIONS:
        raise UsageError(f"unknown subtitle format {fmt!r}", hint="use one of " + ", ".join(FORMATS))
    return f


def format_from_extension(path: str | os.PathLike[str]) -> str | None:
    return _EXT_TO_FORMAT.get(Path(path).suffix.lower())


def language_from_name(path: str | os.PathLike[str]) -> str | None:
    """``episode.kk.srt`` -> ``kk``; ``ep1.zh-Hans.ass`` -> ``zh-Hans``; None if no known tag."""
    stem = Path(path).stem
    m = _LANG_IN_NAME_RE.search(stem)
    if not m:
        return None
    lang = languages.from_container(m.group(1))
    return None if lang is None else lang.tag


def detect_format(text: str, path: str | os.PathLike[str] | None = None) -> str:
    """The format of ``text``: the extension's format if the content fits it, else the content's."""
    head = text[:20000]
    by_ext = format_from_extension(path) if path else None
    if by_ext == "ssa":
        by_ext = "ass"
    for strong in ("vtt", "ass", "ttml", "sami"):  # unmistakable headers beat the extension
        if _SIGNATURES[strong].search(head):
            return _ass_or_ssa(head) if strong == "ass" else strong
    if by_ext and _SIGNATURES[by_ext].search(head):
        return by_ext
    if by_ext == "vtt" and "WEBVTT" in head[:200].upper():
        return "vtt"  # a damaged WebVTT header: read as WebVTT so the damage is reported
    for fmt in ("ass", "vtt", "ttml", "sami", "srt", "microdvd", "mpl2", "tmp"):
        if _SIGNATURES[fmt].search(head):
            return _ass_or_ssa(head) if fmt == "ass" else fmt
    if by_ext:
        return by_ext
    raise FormatDetectionError(
        "cannot tell the subtitle format from the name or the content",
        path=None if path is None else str(path),
        hint="pass --from-format (srt, ass, vtt, …) if this is a subtitle file",
    )


def _ass_or_ssa(head: str) -> str:
    return "ssa" if re.search(r"^\s*\[V4 Styles\]", head, re.M | re.I) else "ass"


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    if sample.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return False
    if sample.count(0) * 3 > len(sample):  # UTF-16 without BOM
        return False
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > len(sample) // 20 + 2


def load(
    path: str | os.PathLike[str],
    language: str | None = None,
    encoding: str | None = None,
    fmt: str | None = None,
    *,
    fps: float | None = None,
) -> Track:
    """Load a subtitle file into a :class:`Track` (``"-"`` reads stdin)."""
    spath = str(path)
    if spath == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError as exc:
            raise SubtitleError("no such file", path=spath, hint="check the path") from exc
        except IsADirectoryError as exc:
            raise SubtitleError("is a folder, not a subtitle file", path=spath) from exc
        except OSError as exc:
            raise SubtitleError(f"cannot read: {exc.strerror}", path=spath) from exc
    return loads(data, fmt=fmt, language=language, encoding=encoding, path=None if spath == "-" else spath, fps=fps)


def loads(
    data: str | bytes,
    fmt: str | None = None,
    language: str | None = None,
    encoding: str | None = None,
    path: str | None = None,
    *,
    fps: float | None = None,
) -> Track:
    """Parse subtitle text or bytes into a :class:`Track`."""
    lang = languages.normalize(language) if language else (language_from_name(path) if path else None)
    if isinstance(data, bytes):
        if not data.strip(b" \t\r\n\x00") or data in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
            return _empty(path, lang, fmt)
        if encoding is None and _looks_binary(data):
            raise ParseError("binary data, not a subtitle file", path=path, hint="check you have the right file")
        decoded = decode(data, encoding=encoding, language=lang, path=path)
        text, source = decoded.text, Source(
            path=path, encoding=decoded.encoding, confidence=decoded.confidence,
            encoding_method=decoded.method, bom=decoded.bom,
        )
    else:
        text, source = data, Source(path=path, encoding="utf-8", encoding_method="given")
        if text.startswith("\ufeff"):
            text, source.bom = text[1:], True
    if not text.strip():
        return _empty(path, lang, fmt)
    source.line_endings = line_endings(text)
    text = normalize_newlines(text)
    fmt = normalize_format(fmt) if fmt else detect_format(text, path)
    source.format = fmt
    extras: dict[str, Any] = {}
    subs, warnings = _parse(text, fmt, path, fps, extras)
    source.warnings = [f"line {ln}: {msg}" for ln, msg in warnings]
    return Track(subs=subs, language=lang, source=source, extras=extras)


def _empty(path: str | None, lang: str | None, fmt: str | None) -> Track:
    """An empty file is a valid, empty document for the library (ExoPlayer, vtt.js and
    pysubs2 agree); the CLI refuses it, see :func:`require_cues`."""
    fmt = normalize_format(fmt) if fmt else (format_from_extension(path) if path else None) or "srt"
    return Track(subs=pysubs2.SSAFile(), language=lang, source=Source(path=path, format=fmt, warnings=["line 1: file is empty"]))


def require_cues(track: Track) -> Track:
    """Raise :class:`ParseError` when nothing was read (empty file, no valid cue)."""
    if not track.events:
        why = track.source.warnings[0].split(": ", 1)[-1] if track.source.warnings else "no subtitle cues found"
        raise ParseError(f"no subtitle cues: {why}", path=track.source.path, line=1,
                         hint="check you have the right file, or run dubdesk lint on it")
    return track


def _parse(
    text: str, fmt: str, path: str | None, fps: float | None, extras: dict[str, Any]
) -> tuple[Any, list[tuple[int, str]]]:
    if fmt == "srt":
        parsed = srt_fmt.parse(text)
        subs = pysubs2.SSAFile()
        make = pysubs2.SSAEvent
        subs.events = [make(start=c.start, end=c.end, text=c.text) for c in parsed.cues]
        if not parsed.cues:
            parsed.warnings.insert(0, (1, "no SRT timing line found"))
        return subs, parsed.warnings
    if fmt == "vtt":
        vparsed = vtt_fmt.parse(text)
        if not vparsed.is_webvtt:
            # The spec's parser stops here with no cues (vtt.js and the WPT agree).
            vparsed.warnings.insert(0, (1, "not a WebVTT file: the first line must be WEBVTT"))
        subs = pysubs2.SSAFile()
        subs.events = [
            pysubs2.SSAEvent(start=c.start, end=c.end, text=c.text, name=c.ident, effect=c.settings) for c in vparsed.cues
        ]
        extras["vtt_header"] = vparsed.header
        extras["vtt_blocks"] = vparsed.blocks
        return subs, vparsed.warnings
    if fmt in ("ass", "ssa"):
        pre = ass_fmt.prepass(text)
        try:
            with warnings_module.catch_warnings(record=True) as caught:
                warnings_module.simplefilter("always")
                subs = pysubs2.SSAFile.from_string(pre.text, format_=fmt)
            pre.warnings.extend((0, str(w.message)) for w in caught)
        except Exception as exc:  # pysubs2 raises ValueError/KeyError and friends on malformed files
            raise ParseError(f"malformed {fmt.upper()} file: {exc}", path=path, hint="run dubdesk lint on it") from exc
        extras["ass_preserved"] = pre.preserved
        return subs, pre.warnings
    if fmt == "ttml":
        try:
            tparsed = ttml_fmt.parse(text)
        except Exception as exc:  # ElementTree's ParseError and friends on malformed XML
            raise ParseError(f"malformed TTML file: {exc}", path=path, hint="run dubdesk lint on it") from exc
        subs = pysubs2.SSAFile()
        subs.events = [pysubs2.SSAEvent(start=c.start, end=c.end, text=c.text) for c in tparsed.cues]
        if tparsed.language:
            extras["ttml_language"] = tparsed.language
        return subs, tparsed.warnings
    kwargs: dict[str, Any] = {}
    if fmt == "microdvd" and not re.match(r"\s*\{\s*[01]\s*\}\s*\{\s*[01]\s*\}\s*\d+(\.\d+)?\s*$", text.split("\n", 1)[0]):
        kwargs["fps"] = fps  # a declared frame rate ({1}{1}23.976) wins over the caller's
    try:
        subs = pysubs2.SSAFile.from_string(text, format_=fmt, **kwargs)
    except pysubs2.exceptions.UnknownFPSError as exc:
        raise ParseError(
            "MicroDVD file does not declare its frame rate", path=path, line=1, hint="pass --fps (e.g. --fps 23.976)"
        ) from exc
    except Exception as exc:
        raise ParseError(f"malformed {fmt} file: {exc}", path=path, hint="run dubdesk lint on it") from exc
    if fmt == "sami":
        # A SAMI <SYNC> holding only &nbsp; clears the screen; it is not a cue.
        subs.events = [e for e in subs.events if e.plaintext.replace("\xa0", " ").strip()]
    if fmt == "microdvd" and subs.fps is not None and subs.fps <= 0:
        raise ParseError(f"MicroDVD file declares an invalid frame rate {subs.fps}", path=path, line=1, hint="pass --fps")
    return subs, []


# ---------------------------------------------------------------- saving


def dumps(track: Track, fmt: str | None = None, *, fps: float | None = None) -> str:
    """The track as text in ``fmt`` (default: its own format)."""
    return dumps_with_notes(track, fmt, fps=fps)[0]


def dumps_with_notes(track: Track, fmt: str | None = None, *, fps: float | None = None) -> tuple[str, list[str]]:
    """The track as text in ``fmt``, and one line for each thing the format could not keep.

    Markup written to another format is carried by
    :mod:`dubdesk.formats.convert` (SRT ``<font color>`` becomes ASS ``\\c``,
    WebVTT ``<v Name>`` the ASS actor, ``{\\an8}`` WebVTT ``line:0``…); what
    the target cannot show is dropped and summed up.
    """
    fmt = normalize_format(fmt or track.source.format or "srt")
    if fmt == "sami":
        raise UsageError("writing SAMI is not supported (reading is)", hint="choose srt, ass, vtt or ttml")
    return convert_fmt.render(track, fmt, fps)


def save(
    track: Track,
    path: str | os.PathLike[str],
    fmt: str | None = None,
    encoding: str = "utf-8",
    in_place: bool = False,
    *,
    newline: str | None = None,
    bom: bool | None = None,
    fps: float | None = None,
) -> list[str]:
    """Write ``track`` to ``path`` (``"-"``: stdout) atomically; returns what the format could not keep.

    The format comes from ``fmt``, else the extension, else the track's own
    format. Refuses to overwrite the track's input unless ``in_place``.
    ``newline`` and ``bom`` default to the source file's when the output has
    the source's format (a fixed, translated or in-place file keeps CRLF and
    its BOM), else LF and no BOM. Permissions and owner of a replaced file are
    kept, special files are written directly (see :mod:`dubdesk.files`).
    """
    spath = str(path)
    if fmt is None:
        fmt = (format_from_extension(spath) if spath != "-" else None) or track.source.format or "srt"
    fmt = normalize_format(fmt)
    if track.source.path:
        refuse_overwrite(spath, [track.source.path], in_place=in_place)
    same_format = track.source.format is not None and normalize_format(track.source.format) == fmt
    if newline is None:
        newline = "\r\n" if same_format and track.source.line_endings == "CRLF" else "\n"
    if bom is None:
        bom = same_format and track.source.bom
    text, notes = dumps_with_notes(track, fmt, fps=fps)
    data = encode(text, encoding, newline=newline, bom=bom, path=spath)
    if spath == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        atomic_write_bytes(spath, data)
    for note in notes:
        log.warning("%s: %s", "stdout" if spath == "-" else spath, note)
    return notes


def encode(text: str, encoding: str, *, newline: str = "\n", bom: bool = False, path: str | None = None) -> bytes:
    if newline != "\n":
        text = text.replace("\n", newline)
    try:
        data = text.encode(encoding)
    except LookupError as exc:
        raise UsageError(f"unknown encoding {encoding!r}", hint="use e.g. utf-8, gb18030, cp1251, big5") from exc
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        raise EncodingDetectionError(
            f"cannot write {text[exc.start]!r} in {encoding}",
            path=path,
            line=line,
            hint="choose an encoding that has it (utf-8 has everything)",
        ) from exc
    if bom and encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        data = b"\xef\xbb\xbf" + data
    return data

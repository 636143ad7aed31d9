"""Load and save subtitle tracks in every common format and encoding.

``load`` decodes the bytes (see :mod:`dubdesk.encodings`), detects the format
from the content as well as the extension, and parses: SRT and WebVTT with
dubdesk's own readers (:mod:`dubdesk.formats`), ASS/SSA through a pre-pass and
pysubs2, MicroDVD, MPL2, TMP, TTML and SAMI through pysubs2. ``save`` writes
strict, standard output atomically and never overwrites the track's own input
unless ``in_place=True``.
"""

from __future__ import annotations

import bisect
import logging
import os
import re
import sys
from pathlib import Path

import pysubs2

from . import formats, languages
from .encodings import MixedEncodingError, decode, line_endings, normalize_newlines, wide_unicode
from .errors import (
    DubdeskError,
    EncodeError,
    EncodingDetectionError,
    FormatDetectionError,
    ParseError,
    SubtitleError,
    UsageError,
)
from .files import atomic_write_bytes, refuse_overwrite
from .runtime import gc_paused
from .track import ReadWarning, Source, Track

#: format id -> file extension used when saving
EXTENSIONS = {fid: spec.extensions[0] for fid, spec in formats.FORMATS.items()}
FORMATS = tuple(formats.FORMATS)
log = logging.getLogger(__name__)
_LANG_IN_NAME_RE = re.compile(r"\.([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)$")


def normalize_format(fmt: str) -> str:
    return formats.get(fmt).id


def format_from_extension(path: str | os.PathLike[str]) -> str | None:
    return formats.BY_EXTENSION.get(Path(path).suffix.lower())


def language_from_name(path: str | os.PathLike[str]) -> str | None:
    """``episode.kk.srt`` -> ``kk``; ``ep1.zh-Hans.ass`` -> ``zh-Hans``; None if no known tag."""
    stem = Path(path).stem
    m = _LANG_IN_NAME_RE.search(stem)
    if not m:
        return None
    lang = languages.from_container(m.group(1))
    return None if lang is None else lang.tag


def detect_format(text: str, path: str | os.PathLike[str] | None = None) -> str:
    """The format of ``text``: the extension's format if the content fits it, else the content's.

    Content that no reader recognises is an error naming the file, never an empty track.
    """
    head = text[:20000]
    by_ext = format_from_extension(path) if path else None
    if by_ext == "ssa":
        by_ext = "ass"
    for spec in formats.FORMATS.values():  # unmistakable headers beat the extension
        if spec.strong and spec.sniff is not None and spec.sniff.search(head):
            return _ass_or_ssa(head) if spec.id in ("ass", "ssa") else spec.id
    if by_ext:
        sniff = formats.FORMATS[by_ext].sniff
        if sniff is not None and sniff.search(head):
            return by_ext
    if by_ext == "vtt" and "WEBVTT" in head[:200].upper():
        return "vtt"  # a damaged WebVTT header: read as WebVTT so the damage is reported
    for fid in formats.SNIFF_ORDER:
        sniff = formats.FORMATS[fid].sniff
        if sniff is not None and sniff.search(head):
            return _ass_or_ssa(head) if fid == "ass" else fid
    if by_ext == "vtt":
        return by_ext  # the WebVTT parser reports "not a WebVTT file" (vtt.js and the WPT read 0 cues)
    raise FormatDetectionError(
        "not a subtitle format dubdesk reads"
        + (f" (the name says {formats.FORMATS[by_ext].name}, the content does not)" if by_ext else ""),
        path=None if path is None else str(path),
        hint="formats read: " + ", ".join(formats.FORMATS) + "; pass --from-format if this is one of them",
    )


def _ass_or_ssa(head: str) -> str:
    return "ssa" if re.search(r"^\s*\[V4 Styles\]", head, re.M | re.I) else "ass"


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    if sample.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
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
    strict: bool = False,
    errors: str = "strict",
) -> Track:
    """Load a subtitle file into a :class:`Track` (``"-"`` reads stdin).

    Nothing is dropped silently: a cue the reader cannot take is a
    :class:`~dubdesk.track.ReadWarning` counted in ``track.source.skipped``;
    with ``strict=True`` any such skip raises :class:`ParseError` instead.
    ``errors="surrogateescape"`` with an ``encoding`` passes undecodable bytes
    through unchanged (they are written back as they were), as pysubs2 allows.
    """
    spath = str(path)
    if spath == "-":
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise _too_large(None, len(data))
    else:
        try:
            size = os.stat(path).st_size
            if size > MAX_FILE_BYTES:
                raise _too_large(spath, size)
            data = Path(path).read_bytes()
        except FileNotFoundError as exc:
            raise SubtitleError("no such file", path=spath, hint="check the path") from exc
        except IsADirectoryError as exc:
            raise SubtitleError("is a folder, not a subtitle file", path=spath) from exc
        except OSError as exc:
            raise SubtitleError(f"cannot read: {exc.strerror}", path=spath) from exc
    return loads(data, fmt=fmt, language=language, encoding=encoding, path=None if spath == "-" else spath, fps=fps,
                 strict=strict, errors=errors)


def loads(
    data: str | bytes,
    fmt: str | None = None,
    language: str | None = None,
    encoding: str | None = None,
    path: str | None = None,
    *,
    fps: float | None = None,
    strict: bool = False,
    errors: str = "strict",
) -> Track:
    """Parse subtitle text or bytes into a :class:`Track` (see :func:`load`)."""
    lang = languages.normalize(language) if language else (language_from_name(path) if path else None)
    if errors != "strict" and encoding is None:
        raise UsageError(f"errors={errors!r} needs an explicit encoding", hint="pass encoding= as well")
    if isinstance(data, bytes):
        if not data.strip(b" \t\r\n\x00") or data in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
            return _empty(path, lang, fmt)
        if encoding is None and not data.startswith(_BOM_MARKS) and wide_unicode(data) is None and _looks_binary(data):
            raise ParseError("binary data, not a subtitle file", path=path, hint="check you have the right file")
        try:
            decoded = decode(data, encoding=encoding, language=lang, path=path, errors=errors)
        except MixedEncodingError as exc:
            raise _with_cue_numbers(exc, data, fmt, path) from exc
        truncated = decoded.truncated
        text, source = decoded.text, Source(
            path=path, encoding=decoded.encoding, confidence=decoded.confidence,
            encoding_method=decoded.method, bom=decoded.bom, errors=errors,
        )
    else:
        truncated = False
        text, source = data, Source(path=path, encoding="utf-8", encoding_method="given")
        if text.startswith("\ufeff"):
            text, source.bom = text[1:], True
    if not text.strip():
        return _empty(path, lang, fmt)
    source.line_endings = line_endings(text)
    text = normalize_newlines(text)
    fmt = normalize_format(fmt) if fmt else detect_format(text, path)
    source.format = fmt
    with gc_paused():
        parsed = formats.read(formats.FORMATS[fmt], text, formats.ReadOptions(path=path, fps=fps))
    if not parsed.subs.events and not any(w.code == "not-webvtt" for w in parsed.warnings):
        parsed.warnings.insert(0, ReadWarning(1, "no-cues", f"no {formats.FORMATS[fmt].name} cue found"))
    if truncated:
        parsed.warnings.append(ReadWarning(text.count("\n") + 1, "truncated",
                                           "the file ends inside a character: it was cut short (the last cue may be incomplete)"))
    source.warnings = parsed.warnings
    if strict and source.skipped:
        first = next(w for w in parsed.warnings if w.skips)
        raise ParseError(
            f"{source.skipped} cue(s) could not be read: {first.message}", path=path, line=first.line,
            hint="run dubdesk lint on it, or load without strict to keep the rest",
        )
    return Track(subs=parsed.subs, language=lang, source=source, extras=parsed.extras)


#: the largest input read: a 24-hour SDH track in UTF-16 is under 20 MB; a larger "subtitle" file is
#: something else, and reading it whole would take gigabytes of memory for nothing
MAX_FILE_BYTES = 100 * 2**20


def _too_large(path: str | None, size: int) -> SubtitleError:
    return SubtitleError(
        f"{size / 2**20:.0f} MB is larger than any subtitle file (limit {MAX_FILE_BYTES // 2**20} MB)",
        path=path or "-", hint="check you have the right file",
    )


_BOM_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _with_cue_numbers(exc: MixedEncodingError, data: bytes, fmt: str | None, path: str | None) -> EncodingDetectionError:
    """Name the cues whose lines are not in the file's UTF-8 (lint lists the lines)."""
    text = normalize_newlines(data.decode("utf-8", "replace"))
    try:
        spec = formats.FORMATS[normalize_format(fmt) if fmt else detect_format(text, path)]
    except DubdeskError:
        spec = None
    if spec is None or spec.sniff is None:
        where = "lines " + ", ".join(map(str, exc.lines[:10])) + " are"
    else:
        starts = [no for no, line in enumerate(text.split("\n"), 1) if spec.sniff.match(line)]
        cues = sorted({bisect.bisect_right(starts, line) for line in exc.lines} - {0})
        where = ("cue " if len(cues) == 1 else "cues ") + ", ".join(map(str, cues[:10])) + ("…" if len(cues) > 10 else "")
        where += " is" if len(cues) == 1 else " are"
    return EncodingDetectionError(
        f"mixed encodings: {where} not in UTF-8 like the rest of the file; no single decoding is right",
        path=path, line=exc.line, hint="re-save the file in one encoding; dubdesk lint lists the lines",
    )


def _empty(path: str | None, lang: str | None, fmt: str | None) -> Track:
    """An empty file is a valid, empty document for the library (ExoPlayer, vtt.js and
    pysubs2 agree); the CLI refuses it, see :func:`require_cues`."""
    fmt = normalize_format(fmt) if fmt else (format_from_extension(path) if path else None) or "srt"
    warning = ReadWarning(1, "empty-file", "file is empty")
    return Track(subs=pysubs2.SSAFile(), language=lang, source=Source(path=path, format=fmt, warnings=[warning]))


def load_cues(path: str | os.PathLike[str], language: str | None = None, encoding: str | None = None,
              fmt: str | None = None, *, fps: float | None = None, strict: bool = False) -> Track:
    """:func:`load`, refusing input with no cues (what every command does)."""
    return require_cues(load(path, language, encoding, fmt, fps=fps, strict=strict))


def require_cues(track: Track) -> Track:
    """Raise :class:`ParseError` when nothing was read (empty file, no valid cue): every command
    refuses such input, the library keeps it as an empty document."""
    if not track.cues:
        why = track.source.warnings[0].message if track.source.warnings else "no subtitle cues found"
        raise ParseError(f"no subtitle cues: {why}", path=track.source.path, line=1,
                         hint="check you have the right file, or run dubdesk lint on it")
    return track


# ---------------------------------------------------------------- saving


def dumps(track: Track, fmt: str | None = None, *, fps: float | None = None) -> str:
    """The track as text in ``fmt`` (default: its own format)."""
    return dumps_with_notes(track, fmt, fps=fps)[0]


def dumps_with_notes(track: Track, fmt: str | None = None, *, fps: float | None = None) -> tuple[str, list[str]]:
    """The track as text in ``fmt``, and one line for each thing the format could not keep.

    Markup written to another format is carried by
    :mod:`dubdesk.formats.convert` (SRT ``<font color>`` becomes ASS ``\\c``,
    WebVTT ``<v Name>`` the ASS actor, ``{\\an8}`` WebVTT ``line:0``…); what
    the target cannot show is dropped and summed up. A time the format cannot
    hold (before zero, past its range) is an error, never clamped.
    """
    spec = formats.get(fmt or track.source.format or "srt")
    return formats.write(spec, track, fps, track.source.path)


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
    spec = formats.get(fmt)
    with gc_paused():
        text, notes = formats.write(spec, track, fps, None if spath == "-" else spath)
    data = encode(text, encoding, newline=newline, bom=bom, path=spath, errors=track.source.errors)
    if spath == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        atomic_write_bytes(spath, data)
    for note in notes:
        log.warning("%s: %s", "stdout" if spath == "-" else spath, note)
    return notes


def encode(
    text: str, encoding: str, *, newline: str = "\n", bom: bool = False, path: str | None = None, errors: str = "strict"
) -> bytes:
    if newline != "\n":
        text = text.replace("\n", newline)
    try:
        data = text.encode(encoding, errors)
    except LookupError as exc:
        raise UsageError(f"unknown encoding {encoding!r}", hint="use e.g. utf-8, gb18030, cp1251, big5") from exc
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        raise EncodeError(
            f"cannot write {text[exc.start]!r} in {encoding}",
            path=path,
            line=line,
            hint="choose an encoding that has it (utf-8 has everything)",
        ) from exc
    if bom and encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        data = b"\xef\xbb\xbf" + data
    return data

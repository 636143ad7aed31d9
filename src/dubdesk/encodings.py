"""Decoding subtitle bytes: BOM, UTF-16/32 without BOM, strict UTF-8, then a plausibility detector.

pysubs2 assumes UTF-8 (its detection request, #43, is open since 2021). Real
files come as UTF-8 with or without BOM, UTF-16/32 with or without BOM, and in
the legacy codepages of :data:`LEGACY`. The order here:

1. a byte-order mark (UTF-32, UTF-8, UTF-16);
2. UTF-32 or UTF-16 without BOM: NUL bytes at one parity (or three of four) and
   a strict decode to printable text (Cyrillic in UTF-16 has no NUL in its
   letters, but the timestamps and newlines of a subtitle file do);
3. strict UTF-8;
4. a file whose non-ASCII lines are partly UTF-8 and partly not is refused
   (:class:`MixedEncodingError`, the cue numbers are added by the loader):
   no single decoding of it is right;
5. every candidate codepage (narrowed by the track's language when known) that
   decodes the bytes strictly is scored for plausibility (:func:`dubdesk.codepages.plausibility`):
   letters of one language's alphabet, no control characters, few rare symbols,
   words of one script with sane case. The best is accepted when it is
   plausible and clearly ahead of the best candidate that reads the bytes as
   *different* text (candidates that read them the same cannot be wrong);
   otherwise the error names ``--encoding`` and the two closest candidates.

The alphabets, common characters and codepage languages are facts about
languages: they live in :mod:`dubdesk.languages.alphabets`.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from .codepages import category, detect
from .errors import EncodingDetectionError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

@dataclass
class Decoded:
    text: str
    encoding: str
    confidence: float
    method: str  #: "bom", "utf-8", "utf-16-nul", "utf-32-nul", "detected", "given"
    bom: bool
    truncated: bool = False  #: the bytes end inside a UTF-8 character (a cut-short download); the rest is read


class MixedEncodingError(EncodingDetectionError):
    """Some lines are UTF-8 and others are not: no single decoding is right."""

    def __init__(self, message: str, *, lines: list[int], path: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, path=path, line=lines[0] if lines else None, hint=hint)
        self.lines = lines


def _python_name(enc: str) -> str:
    try:
        return codecs.lookup(enc).name
    except LookupError as exc:
        raise EncodingDetectionError(f"unknown encoding {enc!r}", hint="use a Python codec name such as utf-8, gb18030, cp1251") from exc


def _where(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def decode(
    data: bytes, *, encoding: str | None = None, language: str | None = None, path: str | None = None,
    errors: str = "strict",
) -> Decoded:
    """Decode subtitle bytes, reporting how (see module docstring).

    ``errors`` (with an explicit ``encoding`` only) is Python's: ``"surrogateescape"``
    passes undecodable bytes through to be written back unchanged, as pysubs2 allows.
    """
    if encoding is not None:
        return _given(data, encoding, path, errors)
    for mark, enc in _BOMS:
        if data.startswith(mark):
            try:
                return Decoded(data[len(mark) :].decode(enc), enc, 1.0, "bom", True)
            except UnicodeDecodeError as exc:
                raise EncodingDetectionError(
                    f"file starts with a {enc} byte-order mark but is not valid {enc}",
                    path=path,
                    hint="pass --encoding",
                ) from exc
    wide = wide_unicode(data)
    if wide is not None:
        return wide
    try:
        return Decoded(data.decode("utf-8"), "utf-8", 1.0, "utf-8", False)
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            try:  # a file cut short inside its last character: everything before it is valid UTF-8
                return Decoded(data[: exc.start].decode("utf-8"), "utf-8", 1.0, "utf-8", False, truncated=True)
            except UnicodeDecodeError:
                pass
    utf8_lines, other_lines = mixed_lines(data)
    if utf8_lines and other_lines:
        raise MixedEncodingError(
            f"mixed encodings: line {other_lines[0]} is not UTF-8 while line {utf8_lines[0]} is",
            lines=other_lines, path=path,
            hint="re-save the file in one encoding; dubdesk lint lists the lines",
        )
    encoding, confidence = detect(data, language=language, path=path)
    return Decoded(data.decode(encoding), encoding, confidence, "detected", False)


def _given(data: bytes, encoding: str, path: str | None, errors: str) -> Decoded:
    name = _python_name(encoding)
    bom = False
    for mark, enc in _BOMS:
        if data.startswith(mark) and codecs.lookup(enc).name.replace("-le", "").replace("-be", "") in name:
            data, bom = data[len(mark) :], True
            break
    if not name.startswith("utf") and not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise EncodingDetectionError(
                f"the file is valid UTF-8, not {encoding}", path=path,
                hint="leave out --encoding (or pass --encoding utf-8)",
            )
    try:
        return Decoded(data.decode(name, errors), name, 1.0, "given", bom)
    except UnicodeDecodeError as exc:
        raise EncodingDetectionError(
            f"cannot decode as {encoding}: invalid byte 0x{data[exc.start]:02x} at offset {exc.start}",
            path=path,
            line=_where(data, exc.start),
            hint="check --encoding, or leave it out to detect the encoding",
        ) from exc


def wide_unicode(data: bytes) -> Decoded | None:
    """UTF-32 or UTF-16 without a BOM, told by where the NUL bytes fall; None if it is neither.

    Any script: the letters of Cyrillic or Chinese in UTF-16 have no NUL byte, but a
    subtitle file's digits, spaces, arrows and newlines do, always at the same parity.
    """
    sample = data[:8192]
    if len(sample) < 8 or len(data) % 2 or sample.count(0) * 12 < len(sample):
        return None
    cut = len(sample) - len(sample) % 4
    for enc, zero_at in (("utf-32-le", (2, 3)), ("utf-32-be", (0, 1))):
        if len(data) % 4 == 0 and all(not any(sample[k:cut:4]) for k in zero_at):
            text = _printable_decode(data, enc)
            if text is not None:
                return Decoded(text, enc, 1.0, "utf-32-nul", False)
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) < 9 * min(even, odd) + 4:
        return None  # NULs at both parities: binary data, not UTF-16
    enc = "utf-16-le" if odd > even else "utf-16-be"
    text = _printable_decode(data, enc)
    return None if text is None else Decoded(text, enc, 1.0, "utf-16-nul", False)


def _printable_decode(data: bytes, enc: str) -> str | None:
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    head = text[:4000]
    bad = sum(1 for ch in set(head) if category(ch) in ("Cc", "Cn", "Co", "Cs") and ch not in "\t\n\r\f")
    return text if bad == 0 and ("\n" in head or "\r" in head) else None


def mixed_lines(data: bytes) -> tuple[list[int], list[int]]:
    """Lines that are UTF-8 with non-ASCII text, and lines that are not UTF-8 at all.

    A legacy line that happens to be valid UTF-8 (CP1251 ``ВСЁ`` is two UTF-8
    sequences) must not make a whole legacy file "mixed": UTF-8 lines count
    only when, together, they hold at least two multi-byte characters.
    """
    utf8: list[int] = []
    other: list[int] = []
    multibyte = 0
    for no, raw in enumerate(data.split(b"\n"), 1):
        if raw.isascii():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            other.append(no)
            continue
        utf8.append(no)
        multibyte += sum(1 for ch in text if ord(ch) > 0x7F)
    if multibyte < 2:
        utf8 = []
    return utf8, other


def line_endings(text: str) -> str:
    """LF, CRLF, CR, mixed or none — of the decoded text."""
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [k for k, n in (("CRLF", crlf), ("CR", cr), ("LF", lf)) if n]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


def normalize_newlines(text: str) -> str:
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")

"""Decoding subtitle bytes: BOM, then strict UTF-8, then detection hinted by language.

pysubs2 assumes UTF-8 (its detection request, #43, is open since 2021). Real
files come as UTF-8 with or without BOM, UTF-16, GB18030/GBK/GB2312, Big5,
CP1251, KOI8-R, KZ-1048… The order here is: BOM (UTF-32, UTF-8, UTF-16) →
UTF-16 without BOM (NUL pattern) → strict UTF-8 → charset-normalizer limited to
the codepages of the track's language. A guess below :data:`MIN_CONFIDENCE` is
an error that names ``--encoding``.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from .errors import EncodingDetectionError
from .languages.scripts import KAZAKH_LETTERS

MIN_CONFIDENCE = 0.6

#: Candidate legacy codepages by language (script); GB18030 covers GBK and GB2312.
CANDIDATES: dict[str, tuple[str, ...]] = {
    "zh-Hans": ("gb18030", "big5"),
    "zh-Hant": ("big5", "gb18030"),
    "ru": ("cp1251", "koi8_r", "cp866", "mac_cyrillic", "iso8859_5"),
    "kk": ("kz1048", "cp1251", "koi8_r"),
    "uk": ("cp1251", "koi8_u"),
    "ja": ("shift_jis", "euc_jp", "cp932"),
    "ko": ("euc_kr", "cp949"),
}
DEFAULT_CANDIDATES = (
    "gb18030", "big5", "cp1251", "koi8_r", "cp1250", "cp1252", "shift_jis", "euc_kr", "cp1253",
    "cp1254", "cp1255", "cp1256", "cp1257", "iso8859_2", "kz1048",
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_KAZAKH = set(KAZAKH_LETTERS)


@dataclass
class Decoded:
    text: str
    encoding: str
    confidence: float
    method: str  #: "bom", "utf-8", "utf-16-nul", "detected", "given"
    bom: bool


def _python_name(enc: str) -> str:
    try:
        return codecs.lookup(enc).name
    except LookupError as exc:
        raise EncodingDetectionError(f"unknown encoding {enc!r}", hint="use a Python codec name such as utf-8, gb18030, cp1251") from exc


def _where(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def decode(data: bytes, *, encoding: str | None = None, language: str | None = None, path: str | None = None) -> Decoded:
    """Decode subtitle bytes, reporting how (see module docstring)."""
    if encoding is not None:
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
            return Decoded(data.decode(name), name, 1.0, "given", bom)
        except UnicodeDecodeError as exc:
            raise EncodingDetectionError(
                f"cannot decode as {encoding}: invalid byte 0x{data[exc.start]:02x} at offset {exc.start}",
                path=path,
                line=_where(data, exc.start),
                hint="check --encoding, or leave it out to detect the encoding",
            ) from exc
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
    sample = data[:4000]
    if len(sample) >= 4 and sample.count(0) * 3 > len(sample):
        # UTF-16 without BOM: every other byte NUL for Latin/Cyrillic-heavy text.
        enc = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        try:
            return Decoded(data.decode(enc), enc, 0.9, "utf-16-nul", False)
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(data.decode("utf-8"), "utf-8", 1.0, "utf-8", False)
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    return _detect(data, language, path, first_bad)


def _detect(data: bytes, language: str | None, path: str | None, first_bad: int) -> Decoded:
    from charset_normalizer import from_bytes

    candidates = CANDIDATES.get(language or "", DEFAULT_CANDIDATES)
    results = from_bytes(data, cp_isolation=list(candidates), threshold=0.5, explain=False)
    best = results.best()
    if best is None:
        raise EncodingDetectionError(
            "not valid UTF-8 and no known encoding fits"
            + (f" (first invalid byte at offset {first_bad})" if first_bad >= 0 else ""),
            path=path,
            line=_where(data, first_bad),
            hint="pass --encoding (e.g. gb18030, big5, cp1251, kz1048)",
        )
    enc = codecs.lookup(best.encoding).name
    text = str(best)
    confidence = max(0.0, 1.0 - float(best.chaos))
    if language == "kk" and enc != "kz1048":
        # Kazakh letters cannot be written in CP1251; prefer KZ-1048 when it yields them.
        try:
            alt = data.decode("kz1048")
            if any(ch in _KAZAKH for ch in alt):
                text, enc = alt, "kz1048"
        except UnicodeDecodeError:
            pass
    if len(results) > 1 and enc not in ("kz1048",):
        # Two encodings that read the bytes equally well: the guess is weak.
        second = list(results)[1]
        if abs(float(second.chaos) - float(best.chaos)) < 0.01 and codecs.lookup(second.encoding).name != enc:
            if {enc, codecs.lookup(second.encoding).name} <= {"gb18030", "gbk", "gb2312"}:
                pass
            else:
                confidence = min(confidence, 0.55)
    if confidence < MIN_CONFIDENCE:
        raise EncodingDetectionError(
            f"encoding guess {enc} has low confidence ({confidence:.2f})",
            path=path,
            hint=f"pass --encoding (e.g. --encoding {enc}) or --lang to narrow the guess",
        )
    return Decoded(text, enc, round(confidence, 3), "detected", False)


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

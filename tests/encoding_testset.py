"""A labelled encoding test set: real sentences of many languages, encoded into their codepages.

The sentences (``tests/data/encodings/sentences.json``) are translations taken
from Debian's gettext catalogues (coreutils, glib, gtk…); each file is an SRT
of ``cues`` cues made of them, encoded into a codepage real subtitles of that
language come in, or into UTF-16/32 without a byte-order mark. Built at test
time, never committed: ``make_testset()`` is deterministic for a seed.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

SENTENCES = Path(__file__).parent / "data" / "encodings" / "sentences.json"

_LATIN1 = ("cp1252", "iso8859_15")
#: language (catalogue name) -> codepages its subtitles come in
CODEPAGES: dict[str, tuple[str, ...]] = {
    **{lang: _LATIN1 for lang in ("en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "ca", "is")},
    **{lang: ("cp1250", "iso8859_2") for lang in ("pl", "cs", "sk", "hu", "hr", "sl", "ro")},
    "tr": ("cp1254", "iso8859_9"), "lt": ("cp1257",), "lv": ("cp1257",), "et": ("cp1257", "iso8859_15"),
    "ru": ("cp1251", "koi8_r", "iso8859_5"), "bg": ("cp1251", "iso8859_5"), "sr": ("cp1251",), "mk": ("cp1251",),
    "be": ("cp1251",), "uk": ("cp1251", "koi8_u"), "kk": ("kz1048",), "el": ("cp1253", "iso8859_7"),
    "zh_CN": ("gb18030",), "zh_TW": ("big5",), "ja": ("shift_jis",), "ko": ("euc_kr",),
}
#: files in UTF-16/32 without a BOM, any script
WIDE: dict[str, tuple[str, ...]] = {
    "ru": ("utf-16-le", "utf-16-be"), "zh_CN": ("utf-16-le", "utf-32-le"), "en": ("utf-16-le",),
    "el": ("utf-16-be",), "ja": ("utf-16-le",), "kk": ("utf-16-le", "utf-32-be"), "ko": ("utf-16-le",),
}
LENGTHS = (3, 5, 10, 25, 50, 100, 300, 1000)
#: length bands for the accuracy table
BANDS = ((3, 9), (10, 49), (50, 199), (200, 1000))


@dataclass(frozen=True)
class Sample:
    language: str
    encoding: str
    cues: int
    text: str  #: the SRT as text
    data: bytes  #: the SRT encoded


def _ts(ms: int) -> str:
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def make_srt(sentences: list[str], cues: int, rng: random.Random) -> str:
    out = []
    t = rng.randint(0, 5000)
    for i in range(1, cues + 1):
        dur = rng.randint(900, 5000)
        lines = rng.sample(sentences, min(len(sentences), rng.choice((1, 1, 2))))
        out.append(f"{i}\n{_ts(t)} --> {_ts(t + dur)}\n" + "\n".join(lines) + "\n")
        t += dur + rng.randint(80, 2000)
    text = "\n".join(out)
    return text.replace("\n", "\r\n") if rng.random() < 0.4 else text


def make_testset(seed: int = 10, lengths: tuple[int, ...] = LENGTHS) -> list[Sample]:
    """Several hundred labelled files (each language x codepage x length)."""
    corpus: dict[str, list[str]] = json.loads(SENTENCES.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    samples = []
    for lang, encodings in sorted(CODEPAGES.items()):
        for enc in (*encodings, *WIDE.get(lang, ())):
            usable = [s for s in corpus[lang] if _encodable(s, enc)]
            if len(usable) < 10:
                continue
            for cues in lengths:
                text = make_srt(usable, cues, rng)
                samples.append(Sample(lang, enc, cues, text, text.encode(enc)))
    return samples


def _encodable(text: str, enc: str) -> bool:
    try:
        text.encode(enc)
    except UnicodeEncodeError:
        return False
    return True

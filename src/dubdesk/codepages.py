"""Which legacy codepage a file is in: every candidate that decodes the bytes strictly is scored
for plausibility (:func:`plausibility`) and the best is accepted only when it is clearly ahead of
the best candidate that reads the bytes as different text (:func:`detect`).

The letters and codepages of languages are data in :mod:`dubdesk.languages.alphabets`; the
thresholds of the detector are here, each with the reason it has its value.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from importlib.resources import files

from .errors import EncodingDetectionError
from .languages.alphabets import (
    ALPHABETS,
    CODEPAGE_LANGUAGES,
    COMMON_HANGUL,
    COMMON_HANZI,
    FREQUENT,
    LANGUAGE_CODEPAGES,
)
from .languages.scripts import KAZAKH_LETTERS, is_cjk_char, is_hangul_syllable, is_kana

#: accept a guess at least this plausible (0..1) …
MIN_PLAUSIBILITY = 0.6
#: … below this, only with a wide margin
SURE_PLAUSIBILITY = 0.9
WIDE_MARGIN = 0.3
#: … and at least this far ahead of the best candidate that reads the bytes differently
MIN_MARGIN = 0.12
#: kept for callers that compare confidences
MIN_CONFIDENCE = 0.6

#: the legacy codepages tried without a hint, in the order ties (identical text) are reported
LEGACY = (
    "cp1252", "cp1251", "gb18030", "big5", "shift_jis", "euc_kr", "cp1250", "cp1253", "cp1254", "cp1257",
    "koi8_r", "iso8859_15", "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_9", "koi8_u", "kz1048",
)

#: the share of letters the ten frequent ones cover in real text is about 0.5-0.6; below this it is suspect
FREQUENT_SHARE = 0.48
#: statistics (letter frequency, case, trigrams, common hanzi) count only from this many characters on
MIN_EVIDENCE = 15
#: real text has at least this share of its non-ASCII trigrams among the trained ones
TRIGRAM_SHARE = 0.75
#: a CJK decoding needs this share of its characters among the common ones above
COMMON_SHARE = {"gb18030": 0.5, "big5": 0.4, "euc_kr": 0.35, "cp949": 0.35}
_COMMON_HANZI = frozenset(COMMON_HANZI)
_COMMON_HANGUL = frozenset(COMMON_HANGUL)

#: punctuation and spaces real subtitles use: neither evidence for nor against a codepage
_NEUTRAL = set("\u00a0«»„“”‘’‚‹›–—…•·¡¿°€№©®™†\u200b\u200e\u200f\u2009\u202f′″") | set(
    chr(c) for c in range(0x3000, 0x3040)) | set(chr(c) for c in range(0xFF01, 0xFF5F))
_KAZAKH = set(KAZAKH_LETTERS)
_OPENING_QUOTE_RE = re.compile(r"(?<![^\W\d_])’(?=[^\W\d_])")
_WORD_RE = re.compile(r"[^\W\d_]*[^\x00-\x7f][^\W\d_]*")


@functools.lru_cache(maxsize=4096)
def category(ch: str) -> str:
    return unicodedata.category(ch)


@functools.lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    """LATIN, CYRILLIC, GREEK, CJK… from the character's name (first word)."""
    try:
        return unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return "?"


_LETTER_SETS: dict[str, frozenset[str]] = {
    lang: frozenset(letters) | frozenset(ch.upper() for ch in letters if len(ch.upper()) == 1) | ({"İ"} if lang == "tr" else set())
    for lang, letters in ALPHABETS.items()
}


@functools.lru_cache(maxsize=65536)
def _cjk_common(ch: str, enc: str) -> bool:
    """Is ``ch`` in the common tier of a CJK codepage (the level its designers gave frequent characters)?

    GB2312 level 1 (3,755 hanzi) covers about 99.5% of simplified text, Big5 level 1
    (5,401) about 99% of traditional; kana and JIS level 1 for Japanese; the 2,350
    Hangul syllables of KS X 1001 for Korean. Text decoded with the wrong CJK
    codepage falls there far less often.
    """
    if enc == "gb18030":
        try:
            b = ch.encode("gb2312")
        except UnicodeEncodeError:
            return False
        return len(b) == 2 and (0xB0 <= b[0] <= 0xD7 or b[0] in (0xA1, 0xA3))
    if enc in ("big5",):
        b = ch.encode("big5")
        return len(b) == 2 and (0xA4 <= b[0] <= 0xC6 or 0xA1 <= b[0] <= 0xA3)
    if enc in ("shift_jis", "cp932", "euc_jp"):
        if is_kana(ch):
            return True  # hiragana and full-width katakana
        try:
            b = ch.encode("shift_jis")
        except UnicodeEncodeError:
            return False
        return len(b) == 2 and 0x88 <= b[0] <= 0x98
    if enc in ("euc_kr", "cp949"):
        return is_hangul_syllable(ch) and len(ch.encode("euc_kr", "ignore")) == 2
    return False


def plausibility(text: str, enc: str, languages: tuple[str, ...] | None = None) -> float:
    """See :func:`plausibility_of`; the score alone."""
    return plausibility_of(text, enc, languages)[0]


def plausibility_of(text: str, enc: str, languages: tuple[str, ...] | None = None) -> tuple[float, str | None]:
    """How plausible ``text`` is as subtitles written in ``enc`` (0..1).

    The share of non-ASCII characters (punctuation aside) that are letters of
    one of the codepage's languages — or, for CJK codepages, characters of the
    codepage's common tier — times the share of non-ASCII words that are
    well formed (one script, no lower-then-upper case inside). A control,
    private-use or unassigned character makes it 0.
    """
    counts = Counter(ch for ch in text if ord(ch) > 0x7F) if not text.isascii() else Counter[str]()
    for ch in counts:
        if category(ch) in ("Cc", "Cn", "Co", "Cs") or ch == "\ufffd":
            return 0.0, None
    considered = {ch: n for ch, n in counts.items() if ch not in _NEUTRAL}
    # a closing quote opening a word ("’λλο") is a letter of another codepage
    odd_quotes = len(_OPENING_QUOTE_RE.findall(text)) if "’" in counts else 0
    total = sum(considered.values()) + odd_quotes
    if total == 0:
        return 1.0, None
    langs = languages or CODEPAGE_LANGUAGES.get(enc, ())
    if enc in _CJK_CODEPAGES:
        cjk = {ch: n for ch, n in considered.items() if _is_cjk_char(ch)}
        cjk_total = sum(cjk.values())
        score = sum(n for ch, n in cjk.items() if _cjk_common(ch, enc)) / cjk_total if cjk_total else 1.0
        share = COMMON_SHARE.get(enc)
        if share is not None and cjk_total >= MIN_EVIDENCE:
            common_set = _COMMON_HANGUL if enc in ("euc_kr", "cp949") else _COMMON_HANZI
            seen = sum(n for ch, n in cjk.items() if ch in common_set)
            score *= min(1.0, seen / cjk_total / share)
        other_total = total - cjk_total
        if other_total:
            # Cyrillic or Greek the codepage also holds (a bilingual file): judged as such text
            others = "".join(" " if _is_cjk_char(ch) else ch for ch in text)
            other_score, _ = plausibility_of(others, "", tuple(ALPHABETS))
            other_score *= _word_shape(text)
            score = (score * cjk_total + other_score * other_total) / total
        return score, CODEPAGE_LANGUAGES.get(enc, (None,))[0]
    best, best_lang = 0.0, None
    trigrams: Counter[str] | None = None
    for lang in langs:
        letters = _LETTER_SETS.get(lang)
        if letters is None:
            continue
        fit = sum(n for ch, n in considered.items() if ch in letters) / total
        trained = _trigrams().get(lang)
        if trained and fit > best:
            if trigrams is None:
                trigrams = _text_trigrams(text)
            seen = sum(trigrams.values())
            if seen >= MIN_EVIDENCE:
                share = sum(n for t, n in trigrams.items() if t in trained) / seen
                fit *= min(1.0, share / TRIGRAM_SHARE) ** 2
        frequent_letters = FREQUENT.get(lang)
        if frequent_letters is not None and fit > best and total >= MIN_EVIDENCE:
            lower = Counter[str]()
            upper = 0
            for ch, n in considered.items():
                lower[ch.lower()] += n
                upper += n if ch.isupper() else 0
            letters_n = max(1, sum(lower.values()))
            share = sum(lower[ch] for ch in frequent_letters) / letters_n
            fit *= min(1.0, share / FREQUENT_SHARE) ** 2
            # subtitles are mostly lower case; a codepage that swaps case (KOI8-R read as CP1251) is not
            fit *= min(1.0, 2.0 * (1.0 - upper / letters_n))
        if fit > best:
            best, best_lang = fit, lang
    return best * _word_shape(text), best_lang


@functools.lru_cache(maxsize=1)
def _trigrams() -> dict[str, frozenset[str]]:
    """Letter trigrams real text of each language has (benchmarks/train_codepage_trigrams.py)."""
    raw = json.loads(files("dubdesk").joinpath("data/codepage_trigrams.json").read_text(encoding="utf-8"))
    return {lang: frozenset(packed[i : i + 3] for i in range(0, len(packed), 3)) for lang, packed in raw.items()}


def _text_trigrams(text: str) -> Counter[str]:
    """Trigrams centred on a non-ASCII letter, word edges as spaces (as the trained data)."""
    out: Counter[str] = Counter()
    for word, n in Counter(_WORD_RE.findall(text.lower())).items():
        padded = f" {word} "
        for i in range(1, len(padded) - 1):
            if ord(padded[i]) > 127:
                out[padded[i - 1 : i + 2]] += n
    return out


_CJK_CODEPAGES = frozenset({"gb18030", "big5", "shift_jis", "euc_kr", "cp932", "euc_jp", "cp949"})


def _is_cjk_char(ch: str) -> bool:
    """Wide CJK text, Hangul syllables included (a CJK codepage's own letters)."""
    return is_cjk_char(ch) or is_hangul_syllable(ch)


def _word_shape(text: str) -> float:
    """Share of words with non-ASCII letters that are of one script and sane case."""
    words = _WORD_RE.findall(text)
    if not words:
        return 1.0
    bad = 0
    seen: dict[str, bool] = {}
    for word in words:
        verdict = seen.get(word)
        if verdict is None:
            verdict = _bad_word(word)
            seen[word] = verdict
        bad += verdict
    return 1.0 - bad / len(words)


def _bad_word(word: str) -> bool:
    scripts = {_script(ch) for ch in word if ch.isalpha()}
    if len(scripts) > 1:
        return True
    # lower case then upper case inside a word: "оПХБЕР" is KOI8-R read as CP1251
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(word))


@dataclass(frozen=True)
class Candidate:
    encoding: str
    score: float
    text: str  #: the lines with non-ASCII bytes, decoded (what the score is about)
    language: str | None = None  #: the language the text fits best


def candidates(data: bytes, language: str | None = None) -> list[Candidate]:
    """Every candidate codepage that decodes ``data`` strictly, best first (ties: :data:`LEGACY` order)."""
    names = LANGUAGE_CODEPAGES.get(language or "", LEGACY)
    langs = (language,) if language in ALPHABETS else None
    # ASCII reads the same in every candidate: only lines with other bytes are evidence
    # (and the first 3,000 of them are plenty)
    evidence = b"\n".join([line for line in data.split(b"\n") if not line.isascii()][:3000])
    out = []
    for rank, enc in enumerate(names):
        try:
            data.decode(enc)
            text = evidence.decode(enc)
        except UnicodeDecodeError:
            continue
        score, lang = plausibility_of(text, enc, langs if enc in LANGUAGE_CODEPAGES.get(language or "", ()) else None)
        out.append((score, -rank, enc, text, lang))
    out.sort(key=lambda c: (c[0], c[1]), reverse=True)
    return [Candidate(enc, round(score, 4), text, lang) for score, _, enc, text, lang in out]


def _diff_fit(mine: Candidate, other: Candidate) -> tuple[float, int]:
    """Where two single-byte readings of the same bytes differ: the share of ``mine``'s characters
    there that are letters of its language (or punctuation between words), and how many differ."""
    letters = _LETTER_SETS.get(mine.language or "", frozenset())
    text = mine.text
    good = n = 0
    for i, (a, b) in enumerate(zip(text, other.text, strict=True)):
        if a == b:
            continue
        n += 1
        if a in letters:
            good += 1
        elif a in _NEUTRAL and a not in "’‘":
            # punctuation glued inside a word ("»a" for "ťa") is a letter of another codepage
            inside = 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()
            good += not inside
    return (good / n if n else 1.0), n


def _beats(best: Candidate, rival: Candidate) -> bool:
    """Is ``best`` clearly the right reading rather than ``rival``?"""
    if best.score < SURE_PLAUSIBILITY:
        return best.score - rival.score >= WIDE_MARGIN
    if best.score - rival.score >= MIN_MARGIN:
        return True
    if len(best.text) != len(rival.text) or best.language is None:
        return False  # multi-byte codepages: only the overall margin tells
    fit, n = _diff_fit(best, rival)
    rival_fit, _ = _diff_fit(rival, best) if rival.language else (0.0, n)
    # one differing character decides only when it is a letter in one reading and none in the other
    return (n >= 2 and fit >= 0.9 and fit - rival_fit >= 0.5) or (n >= 1 and fit == 1.0 and rival_fit == 0.0)


def detect(data: bytes, *, language: str | None = None, path: str | None = None) -> tuple[str, float]:
    """The legacy codepage of ``data`` and the confidence, or refuse naming ``--encoding`` and the closest two."""
    found = candidates(data, language)
    if not found:
        raise EncodingDetectionError(
            "not valid UTF-8 and no known encoding fits", path=path,
            hint="pass --encoding (e.g. gb18030, big5, cp1251, kz1048)",
        )
    # the best candidate must beat every plausible one that reads the bytes differently;
    # the top few take turns, since the diff can favour the second on overall score
    rival: Candidate | None = None
    best = found[0]
    for best in found[:3]:
        if best.score < MIN_PLAUSIBILITY:
            break
        rivals = [c for c in found if c.text != best.text and c.score >= best.score - WIDE_MARGIN]
        rival = rivals[0] if rivals else None
        if all(_beats(best, r) for r in rivals):
            margin = best.score - (rival.score if rival else 0.0)
            confidence = round(min(best.score, 0.5 + margin) if rival else best.score, 3)
            return best.encoding, max(confidence, 0.6)
    best = found[0]
    rival = next((c for c in found[1:] if c.text != best.text), None)
    names = f"{best.encoding} ({best.score:.2f})" + (f" or {rival.encoding} ({rival.score:.2f})" if rival else "")
    raise EncodingDetectionError(
        f"cannot tell the encoding for sure: closest are {names}",
        path=path,
        hint=f"pass --encoding {best.encoding}" + (f" or --encoding {rival.encoding}" if rival else "")
        + ("" if language else ", or --lang to narrow the guess"),
    )

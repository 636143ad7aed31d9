"""Languages: BCP 47 tags in the API, mapped to container and engine codes.

dubdesk speaks BCP 47 (``zh-Hans``, ``ru``, ``kk``) everywhere. Containers want
ISO 639-2/B (Matroska's legacy field: ``chi``, never ``zho``); engines want
their own codes (Argos ``zh``, M2M100 ``__kk__``, NLLB ``kaz_Cyrl``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UnknownLanguageError
from .scripts import CJK_SCRIPTS, KAZAKH_LETTERS


@dataclass(frozen=True)
class Language:
    tag: str  #: canonical BCP 47 tag
    name: str  #: English name
    native: str  #: the language's own name, the default track title
    iso639_1: str
    iso639_2b: str  #: container tag (bibliographic)
    script: str  #: ISO 15924 script code of the usual writing
    argos: str  #: code in Argos package metadata
    m2m100: str  #: M2M100 target token
    nllb: str  #: NLLB-200 code
    #: letters that only this language uses among its script neighbours (for the wrong-script rule)
    distinctive: str = ""


_LANGUAGES: tuple[Language, ...] = (
    Language("zh-Hans", "Chinese (Simplified)", "中文（简体）", "zh", "chi", "Hans", "zh", "__zh__", "zho_Hans"),
    Language("zh-Hant", "Chinese (Traditional)", "中文（繁體）", "zh", "chi", "Hant", "zt", "__zh__", "zho_Hant"),
    Language("ru", "Russian", "Русский", "ru", "rus", "Cyrl", "ru", "__ru__", "rus_Cyrl"),
    Language("kk", "Kazakh", "Қазақша", "kk", "kaz", "Cyrl", "kk", "__kk__", "kaz_Cyrl", KAZAKH_LETTERS),
    Language("en", "English", "English", "en", "eng", "Latn", "en", "__en__", "eng_Latn"),
    Language("uk", "Ukrainian", "Українська", "uk", "ukr", "Cyrl", "uk", "__uk__", "ukr_Cyrl", "єїґЄЇҐ"),
    Language("ky", "Kyrgyz", "Кыргызча", "ky", "kir", "Cyrl", "ky", "__ky__", "kir_Cyrl", "ңөүҢӨҮ"),
    Language("uz", "Uzbek", "Oʻzbekcha", "uz", "uzb", "Latn", "uz", "__uz__", "uzn_Latn"),
    Language("mn", "Mongolian", "Монгол", "mn", "mon", "Cyrl", "mn", "__mn__", "khk_Cyrl", "өүӨҮ"),
    Language("tr", "Turkish", "Türkçe", "tr", "tur", "Latn", "tr", "__tr__", "tur_Latn"),
    Language("de", "German", "Deutsch", "de", "ger", "Latn", "de", "__de__", "deu_Latn"),
    Language("fr", "French", "Français", "fr", "fre", "Latn", "fr", "__fr__", "fra_Latn"),
    Language("es", "Spanish", "Español", "es", "spa", "Latn", "es", "__es__", "spa_Latn"),
    Language("ja", "Japanese", "日本語", "ja", "jpn", "Jpan", "ja", "__ja__", "jpn_Jpan"),
    Language("ko", "Korean", "한국어", "ko", "kor", "Kore", "ko", "__ko__", "kor_Hang"),
    Language("ar", "Arabic", "العربية", "ar", "ara", "Arab", "ar", "__ar__", "arb_Arab"),
)

_BY_TAG = {lang.tag.lower(): lang for lang in _LANGUAGES}

#: Other spellings people and tools use, folded to the canonical tag.
_ALIASES = {
    "zh": "zh-Hans", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-hans-cn": "zh-Hans", "zho": "zh-Hans",
    "chi": "zh-Hans", "chs": "zh-Hans", "cmn": "zh-Hans", "cmn-hans": "zh-Hans", "zh-chs": "zh-Hans",
    "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant", "zh-hant-tw": "zh-Hant", "cht": "zh-Hant",
    "zt": "zh-Hant", "zh-cht": "zh-Hant",
    "ru-ru": "ru", "rus": "ru", "kk-kz": "kk", "kk-cyrl": "kk", "kk-cyrl-kz": "kk", "kaz": "kk",
    "en-us": "en", "en-gb": "en", "eng": "en", "uk-ua": "uk", "ukr": "uk", "ky-kg": "ky", "kir": "ky",
    "uzb": "uz", "mon": "mn", "tur": "tr", "ger": "de", "deu": "de", "fre": "fr", "fra": "fr", "spa": "es",
    "jpn": "ja", "kor": "ko", "ara": "ar",
}


def get(tag: str) -> Language:
    """Return the :class:`Language` for a BCP 47 tag or a common alias.

    Raises :class:`UnknownLanguageError` naming the known tags.
    """
    key = tag.strip().replace("_", "-").lower()
    key = _ALIASES.get(key, key)
    lang = _BY_TAG.get(key.lower())
    if lang is None:
        raise UnknownLanguageError(
            f"unknown language {tag!r}",
            hint="use a BCP 47 tag such as " + ", ".join(lg.tag for lg in _LANGUAGES[:5]),
        )
    return lang


def normalize(tag: str) -> str:
    """Canonical BCP 47 tag for ``tag`` (``zh-CN`` → ``zh-Hans``, ``KK`` → ``kk``)."""
    return get(tag).tag


def known() -> list[Language]:
    """Every language dubdesk knows, in a stable order."""
    return list(_LANGUAGES)


def is_cjk(tag: str) -> bool:
    return get(tag).script in CJK_SCRIPTS


def from_container(code: str) -> Language | None:
    """The language for an ISO 639-2 code found in a container, or None."""
    try:
        return get(code)
    except UnknownLanguageError:
        return None

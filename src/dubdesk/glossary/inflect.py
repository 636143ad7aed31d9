"""Inflection rules: which endings a declined name may carry, per language.

Russian and Kazakh decline names. Rather than list every form of every name,
a glossary declares ``inflect = "ru"`` / ``"kk"`` (the default for those
languages) and the matcher accepts ``stem + ending`` for the endings these
rules give. Listed ``forms`` are still accepted on top (for irregular words).

Each rule returns ``(stem, endings)`` for a word (already lower-cased): the
word is ``stem + e`` for one of the endings, ``""`` among them when the bare
stem is itself a form.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from ..languages.scripts import is_cyrillic
from .normalize import norm

# -- Russian ---------------------------------------------------------------
# Masculine in -й (Синхай: Синхая, Синхаю, Синхаем, Синхае).
_RU_J = ("й", "я", "ю", "ем", "ём", "е")
# -ь, masculine and feminine (Сиань: Сианя, Сианю, Сианем, Сиане; Сибирь: Сибири, Сибирью).
_RU_SOFT = ("ь", "я", "ю", "ем", "ём", "е", "и", "ью")
# -а (Астана: Астаны, Астане, Астану, Астаной, Астаною).
_RU_A = ("а", "ы", "и", "е", "у", "ой", "ою", "ей", "ею")
# -я (Азия: Азии, Азию, Азией).
_RU_JA = ("я", "и", "е", "ю", "ей", "ею")
# Surnames in -ов/-ев/-ин/-ын (Байкадамов: Байкадамова, -у, -ым, -е; feminine -ой; plural -ы, -ых, -ыми).
_RU_SURNAME = ("", "а", "у", "ым", "е", "ой", "ы", "ых", "ыми")
# Other consonant-final nouns (Казахстан: -а, -у, -ом, -е; plural -ы, -ов, -ам, -ами, -ах).
_RU_CONS = ("", "а", "у", "ом", "ем", "е", "ы", "и", "ов", "ев", "ам", "ами", "ах")
_RU_VOWELS = set("аеёиоуыэюя")


def ru_endings(word: str) -> tuple[str, tuple[str, ...]]:
    """Stem and case endings of a Russian noun or name (indeclinable words: no endings)."""
    if len(word) < 2 or not _is_cyrillic(word):
        return word, ("",)
    last = word[-1]
    if last == "й":
        return word[:-1], _RU_J
    if last == "ь":
        return word[:-1], _RU_SOFT
    if last == "а":
        return word[:-1], _RU_A
    if last == "я":
        return word[:-1], _RU_JA
    if last in _RU_VOWELS:  # Алматы, Токио, Баку: not declined
        return word, ("",)
    if word.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return word, _RU_SURNAME
    return word, _RU_CONS


# -- Kazakh ----------------------------------------------------------------
# The ending depends on the last sound of the stem and on vowel harmony (the
# last vowel: back а о ұ ы у я / front ә е ө ү і э ю). Word-final б в г д in
# loanwords sound voiceless, so they take the voiceless endings: Байқадамовқа,
# Байқадамовтың (as the sample's planted cue 9 spells it).
_KK_BACK = set("аоұыуя")
_KK_FRONT = set("әеөүіэю")
_KK_VOWELS = _KK_BACK | _KK_FRONT | set("ёи")
_KK_VOICELESS = set("пфкқтсшщхһцчбвгд")
_KK_NASAL = set("мнң")
_KK_SONORANT = set("лрйу")  # у here is the consonant ў as in Мәскеу


def _consonant_u(word: str, i: int) -> bool:
    """у after a vowel is the consonant ў (Мәскеу, тау), not a vowel."""
    return word[i] == "у" and i > 0 and word[i - 1] in _KK_VOWELS


def _kk_back(word: str) -> bool:
    for i in range(len(word) - 1, -1, -1):
        ch = word[i]
        if _consonant_u(word, i):
            continue
        if ch in _KK_BACK:
            return True
        if ch in _KK_FRONT:
            return False
        if ch == "и":  # и is front in native words; loanwords vary, take it as front
            return False
    return True


def kk_case_endings(word: str) -> dict[str, str]:
    """The six case endings (and locative + -ғы) for a Kazakh stem, by harmony and final sound."""
    back = _kk_back(word)
    last = word[-1] if word else "а"
    if last in ("ь", "ъ") and len(word) > 1:
        last = word[-2]
    vowel = last in _KK_VOWELS and not _consonant_u(word, len(word) - 1)
    return dict(_kk_table(back, "V" if vowel else last))


@functools.cache
def _kk_table(back: bool, last: str) -> tuple[tuple[str, str], ...]:

    def h(b: str, f: str) -> str:
        return b if back else f

    vowel = last == "V"
    voiceless = last in _KK_VOICELESS
    nasal = last in _KK_NASAL
    if vowel:
        gen, acc, dat, loc, abl, ins = h("ның", "нің"), h("ны", "ні"), h("ға", "ге"), h("да", "де"), h("дан", "ден"), "мен"
    elif voiceless:
        gen, acc, dat, loc, abl, ins = h("тың", "тің"), h("ты", "ті"), h("қа", "ке"), h("та", "те"), h("тан", "тен"), "пен"
    elif nasal:
        gen, acc, dat, loc, abl, ins = h("ның", "нің"), h("ды", "ді"), h("ға", "ге"), h("да", "де"), h("нан", "нен"), "мен"
    elif last in "жз":
        gen, acc, dat, loc, abl, ins = h("дың", "дің"), h("ды", "ді"), h("ға", "ге"), h("да", "де"), h("дан", "ден"), "бен"
    else:  # л р й у
        gen, acc, dat, loc, abl, ins = h("дың", "дің"), h("ды", "ді"), h("ға", "ге"), h("да", "де"), h("дан", "ден"), "мен"
    return (
        ("nom", ""),
        ("gen", gen),
        ("acc", acc),
        ("dat", dat),
        ("loc", loc),
        ("abl", abl),
        ("ins", ins),
        ("loc-attr", loc + h("ғы", "гі")),  # Алматыдағы "the one in Almaty"
    )


def kk_endings(word: str) -> tuple[str, tuple[str, ...]]:
    """Stem and endings of a Kazakh noun or name (the stem is the whole word)."""
    if not word or not _is_cyrillic(word):
        return word, ("",)
    return word, _kk_unique(tuple(kk_case_endings(word).values()))


@functools.cache
def _kk_unique(endings: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(endings))


def no_endings(word: str) -> tuple[str, tuple[str, ...]]:
    return word, ("",)


def _is_cyrillic(word: str) -> bool:
    """Whether a word ends in a Cyrillic letter (the ending rules are for Cyrillic words only)."""
    return is_cyrillic(word[-1])


INFLECTIONS: dict[str, Callable[[str], tuple[str, tuple[str, ...]]]] = {
    "ru": ru_endings,
    "kk": kk_endings,
    "none": no_endings,
}

#: rule used when a language table does not say ``inflect``
DEFAULT_RULE = {"ru": "ru", "kk": "kk"}

#: every ending a rule can produce, per rule (the matcher strips only these)
ALL_ENDINGS: dict[str, frozenset[str]] = {
    "ru": frozenset(_RU_J + _RU_SOFT + _RU_A + _RU_JA + _RU_SURNAME + _RU_CONS) - {""},
    "kk": frozenset(
        e
        for probe in ("ата", "әке", "қап", "кеп", "адам", "ерен", "аз", "ез", "ал", "ел", "ав", "тау", "ай")
        for e in kk_case_endings(probe).values()
        if e
    ),
    "none": frozenset(),
}


def inflected_forms(word: str, rule: str) -> list[str]:
    """Every form a rule generates for a word (for ``glossary show`` and exports)."""
    stem, endings = INFLECTIONS[rule](word)
    return [stem + e for e in endings]


def case_like(src: str, tgt: str) -> str:
    """``tgt`` in the case of ``src``: ALL CAPS stays caps, a capital first letter stays capital."""
    if len(src) > 1 and src.isupper() and any(ch.isalpha() for ch in src):
        return tgt.upper()
    if src[:1].isupper() and tgt[:1].islower():
        return tgt[:1].upper() + tgt[1:]
    return tgt


def map_ending(tail: str, text_stem: str, rule: str, target_stem: str, target_endings: tuple[str, ...]) -> str:
    """The ending ``tail`` (after ``text_stem``) carried onto ``target_stem``: the same Kazakh case in
    the target's harmony, the same ending where the target has it, else the target's first."""
    if rule == "kk" and tail:
        # same case, in the target stem's harmony and final sound
        for case, ending in kk_case_endings(norm(text_stem)).items():
            if ending == norm(tail):
                mapped = kk_case_endings(norm(target_stem))[case]
                return mapped.upper() if tail.isupper() else mapped
    if norm(tail) in target_endings:
        return tail
    return target_endings[0] if target_endings else ""

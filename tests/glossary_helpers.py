"""Shared fixtures for the glossary tests: paths and the annotated test set."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "composer"
COMPOSER = ROOT / "glossaries" / "composer.toml"
SAMPLE_FILES = {"ru": "composer.ru.srt", "kk": "composer.kk.ass", "zh": "composer.zh-Hans.srt"}


def glossary():  # type: ignore[no-untyped-def]
    from dubdesk.glossary import load_glossary

    return load_glossary(COMPOSER)


# Surfaces per language: (entry id, the term as written, with endings and case).
SURFACES: dict[str, list[tuple[str, str]]] = {
    "ru": [
        ("xian-xinghai", "Сянь Синхай"), ("xian-xinghai", "Сянь Синхая"), ("xian-xinghai", "Сянь Синхаю"),
        ("xian-xinghai", "Сянь Синхаем"), ("xian-xinghai", "Сянь Синхае"), ("xian-xinghai", "СЯНЬ СИНХАЙ"),
        ("baikadamov", "Байкадамов"), ("baikadamov", "Байкадамова"), ("baikadamov", "Байкадамову"),
        ("baikadamov", "Байкадамовым"), ("baikadamov", "Байкадамове"), ("baikadamov", "Бахытжан Байкадамов"),
        ("baikadamov", "Бахытжана Байкадамова"), ("baikadamov", "БАЙКАДАМОВ"),
        ("almaty", "Алматы"), ("astana", "Астана"), ("astana", "Астаны"), ("astana", "Астане"),
        ("astana", "Астану"), ("astana", "Астаной"), ("xian", "Сиань"), ("xian", "Сианя"), ("xian", "Сиане"),
        ("altay", "Алтай"), ("altay", "Алтая"), ("altay", "Алтаю"), ("altay", "Алтаем"), ("altay", "Алтае"),
        ("the-composer", "«Композитор»"), ("the-composer", "«Композитора»"), ("to-the-wonder", "«Мой Алтай»"),
        ("boonie-bears", "«Медведи Буни»"), ("three-body", "«Задача трёх тел»"), ("three-body", "«Задача трех тел»"),
        ("peoples-daily-online", "«Жэньминь Жибао» онлайн"),
    ],
    "kk": [
        ("xian-xinghai", "Сянь Синхай"), ("xian-xinghai", "Сянь Синхайдың"), ("xian-xinghai", "Сянь Синхайға"),
        ("xian-xinghai", "Сянь Синхаймен"), ("xian-xinghai", "Сянь Синхайды"), ("xian-xinghai", "Сянь Синхайдан"),
        ("baikadamov", "Байқадамов"), ("baikadamov", "Байқадамовтың"), ("baikadamov", "Байқадамовқа"),
        ("baikadamov", "Байқадамовпен"), ("baikadamov", "Байқадамовты"), ("baikadamov", "Бақытжан Байқадамов"),
        ("baikadamov", "Бақытжан Байқадамовтың"), ("almaty", "Алматы"), ("almaty", "Алматыда"),
        ("almaty", "Алматыдағы"), ("almaty", "Алматыға"), ("almaty", "Алматыдан"), ("almaty", "Алматының"),
        ("astana", "Астана"), ("astana", "Астанаға"), ("astana", "Астанада"), ("astana", "Астананың"),
        ("altay", "Алтай"), ("altay", "Алтайда"), ("altay", "Алтайдың"), ("xian", "Сиань"),
        ("the-composer", "«Композитор»"), ("to-the-wonder", "«Менің Алтайым»"), ("almaty", "АЛМАТЫДА"),
    ],
    "zh-Hans": [
        ("xian-xinghai", "冼星海"), ("baikadamov", "拜卡达莫夫"), ("almaty", "阿拉木图"), ("astana", "阿斯塔纳"),
        ("xian", "西安"), ("altay", "阿勒泰"), ("the-composer", "《作曲家》"), ("to-the-wonder", "《我的阿勒泰》"),
        ("boonie-bears", "《熊出没》"), ("three-body", "《三体》"), ("thirty-only", "《三十而已》"),
        ("go-where-the-wind-is", "《去有风的地方》"), ("peoples-daily-online", "人民网"),
    ],
    "en": [
        ("xian-xinghai", "Xian Xinghai"), ("baikadamov", "Bakhytzhan Baikadamov"), ("baikadamov", "Baikadamov"),
        ("almaty", "Almaty"), ("almaty", "ALMATY"), ("almaty", "almaty"), ("astana", "Astana"), ("xian", "Xi'an"),
        ("xian", "Xi’an"), ("altay", "Altay"), ("the-composer", "The Composer"), ("to-the-wonder", "To the Wonder"),
        ("boonie-bears", "Boonie Bears"), ("three-body", "The Three-Body Problem"), ("thirty-only", "Thirty Only"),
        ("go-where-the-wind-is", "Go Where the Wind Is"), ("bawrsak-theater", "Bawrsak Theater"),
        ("peoples-daily-online", "People's Daily Online"),
    ],
}

# Templates: {} is the term; the other words are near misses that must NOT match
# (the common noun композитор, Алтайский, 星海 without 冼, "the composer" in lower case).
TEMPLATES: dict[str, list[str]] = {
    "ru": [
        "{} — вот о ком этот композитор писал.",
        "Вчера в Алтайском крае говорили: {}",
        "Снова и снова {}, и никто не спорил.",
    ],
    "kk": [
        "{} туралы композитор айтты.",
        "Кеше бәрі {} деп сөйледі.",
        "Алтайлық жігіт айтты: {}",
    ],
    "zh-Hans": [
        "{}是我们的故事。",
        "星海广场的作曲家都知道{}。",
        "他们说：{}",
        "在{}和阿拉木",
    ],
    "en": [
        "{} is what the composer meant.",
        "Yesterday we talked about {} again.",
        "They said: {}",
    ],
}


@dataclass
class Sentence:
    lang: str
    text: str  #: raw cue text (tags, \\N)
    expected: list[tuple[str, str]]  #: (entry id, visible surface with line breaks as spaces)


def _wrap(surface: str, style: int) -> str:
    if style == 1:
        return "{\\i1}" + surface + "{\\i0}"
    if style == 2:
        return '<font color="#ffff00">' + surface + "</font>"
    if style == 3:  # a tag inside the term
        cut = 2 if len(surface) > 3 else 1
        return surface[:cut] + "{\\b1}" + surface[cut:] + "{\\b0}"
    if style == 4 and " " in surface:  # a line break inside the term
        return surface.replace(" ", "\\N", 1)
    return surface


def build_test_set() -> list[Sentence]:
    """At least 200 annotated sentences across zh/ru/kk/en: terms in cases, positions and tags."""
    out: list[Sentence] = []
    n = 0
    for lang, surfaces in SURFACES.items():
        templates = TEMPLATES[lang]
        for k, (entry, surface) in enumerate(surfaces):
            for t in range(2):
                template = templates[(k + t) % len(templates)]
                style = n % 5
                n += 1
                text = template.replace("{}", _wrap(surface, style))
                out.append(Sentence(lang, text, [(entry, surface)]))
        # two terms in one sentence
        for k in range(0, len(surfaces) - 1, 3):
            (e1, s1), (e2, s2) = surfaces[k], surfaces[k + 1]
            sep = "、" if lang == "zh-Hans" else " и " if lang == "ru" else " мен " if lang == "kk" else " and "
            text = templates[k % len(templates)].replace("{}", _wrap(s1, k % 3) + sep + _wrap(s2, (k + 1) % 5))
            out.append(Sentence(lang, text, [(e1, s1), (e2, s2)]))
    return out


def visible_surface(text: str) -> str:
    return re.sub(r"\s+", " ", text)

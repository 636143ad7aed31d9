"""``prepare_glossary``: the matcher and near-miss index built up front give the same findings."""

from __future__ import annotations

import dubdesk
from dubdesk.glossary import check_glossary, load_glossary, prepare_glossary
from glossary_helpers import COMPOSER

TEXTS = {
    "en": "Baikadamow met Xian Xinhai in Almaty.",
    "ru": "Байкадомов пришёл. Сиань Синхаем восхищались.",
    "zh-Hans": "冼星梅来到了阿拉木图。",
}


def srt(text: str) -> str:
    return f"1\n00:00:00,000 --> 00:00:01,000\n{text}\n"


def test_a_prepared_glossary_finds_what_a_fresh_one_finds() -> None:
    for lang, text in TEXTS.items():
        track = dubdesk.loads(srt(text), language=lang)
        fresh = check_glossary(track, load_glossary(COMPOSER))
        g = load_glossary(COMPOSER)
        prepare_glossary(g, lang)
        assert lang in g._matchers and lang in g._nearmiss  # built before any check
        prepared = check_glossary(track, g)
        assert fresh.counts()["near-miss"] >= 1
        assert [f.to_dict() for f in prepared.findings] == [f.to_dict() for f in fresh.findings]

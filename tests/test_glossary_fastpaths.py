"""The speed paths of glossary checks find exactly what the plain paths find: a glossary prepared
up front (``prepare_glossary``), Chinese candidates found with numpy in long texts."""

from __future__ import annotations

import pytest

import dubdesk
from dubdesk.glossary import check_glossary, load_glossary, prepare_glossary
from dubdesk.glossary import matcher as matcher_module
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


def test_numpy_chinese_candidates_match_the_plain_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    g = load_glossary(COMPOSER)
    m = g.matcher("zh-Hans")
    texts = ["冼星海来到了阿拉木图。", "他说冼星海的音乐很好", "没有名字", "冼星海冼星海", "<b>冼星海</b>"] * 3
    plain = m.find_all(texts)
    assert m._cjk_pairs is None  # short texts: the plain scan
    assert sum(map(len, plain)) >= 15
    monkeypatch.setattr(matcher_module, "NUMPY_FROM", 0)
    fast = m.find_all(texts)
    assert m._cjk_pairs is not None  # the numpy path ran
    assert [[(x.start, x.end, x.pattern.form) for x in ms] for ms in fast] == [
        [(x.start, x.end, x.pattern.form) for x in ms] for ms in plain
    ]

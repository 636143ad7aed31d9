"""The speed paths of glossary checks find exactly what the plain paths find: a glossary prepared
up front (``prepare_glossary``), and the Aho-Corasick automata that pick the places the matcher looks at."""

from __future__ import annotations

import pytest

import dubdesk
from dubdesk.glossary import check_glossary, load_glossary, loads_toml, prepare_glossary
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


def _every_word(m: matcher_module.Matcher, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """The trie walked from *every* word of the texts and every Chinese position tried (no automaton)."""
    out = []
    for text in texts:
        s = matcher_module.norm(text)
        found: list[tuple[int, int, str]] = []
        last = -1
        for w in matcher_module.WORD_RE.finditer(s):
            if w.start() < last:
                continue
            best = None
            for stem, tail in m._cands(w.group()):
                child = m._root.children.get(("", stem))
                if child is not None and tail in child.tails:
                    best = m._walk(s, text, child, [(w.start(), w.start() + len(stem), w.end())], tail, best)
            if best is not None:
                found.append((best.start, best.end, best.pattern.form))
                last = best.end
        i = 0
        while i < len(s):  # Chinese: the longest form at each position, then on after it
            hit = max((k for k in m._cjk if s.startswith(k, i)), key=len, default=None)
            if hit is not None and all(not (a <= i < b) for a, b, _f in found):
                found.append((i, i + len(hit), m._cjk[hit].form))
                i += len(hit)
            else:
                i += 1
        out.append(sorted(found))
    return out


@pytest.mark.parametrize("lang", ["ru", "kk", "en", "zh-Hans"])
def test_the_automaton_finds_what_walking_every_word_finds(lang: str) -> None:
    g = load_glossary(COMPOSER)
    m = g.matcher(lang)
    m.compile()
    texts = [
        "Байкадамовым восхищались, а Байкадамовтың әні — Сянь Синхаем?",
        "Xian Xinghai met Baikadamov; Baykadamova, Xian Xinghaiʼs friend, and «Композитор».",
        "Обайкадамов и байкадамовский не термины, Бакытжан Байкадамов — да.",
        "冼星海来到了阿拉木图。冼星海冼星海<b>冼星海</b>，星海，拜卡达莫夫说",
        "Almaty, Алматы, Алматыда; Xinhai Xian. XianXinghai",
    ]
    got = [sorted((x.start, x.end, x.pattern.form) for x in ms) for ms in m.find_all(texts)]
    assert got == _every_word(m, texts)
    assert sum(map(len, got)) >= 12  # the texts are full of terms: a matcher finding nothing fails


def test_cues_with_emoji_astral_characters_and_a_stray_nul() -> None:
    # offsets stay right past characters of four UTF-8 bytes, and a NUL inside a cue (a damaged
    # file) does not shift the near-misses of the cues after it
    g = load_glossary(COMPOSER)
    texts = ["😀😀 Baikadamow met 🎵 Xian Xinhai in Almaty.", "a\x00 𝔘 Baykadamov came.", "Baikadamow here"]
    track = dubdesk.loads("".join(srt(t).replace("1\n", f"{i + 1}\n", 1) + "\n" for i, t in enumerate(texts)), language="en")
    got = [(f.cue, f.kind, f.found, track.cues[f.cue].text[f.raw_start : f.raw_end]) for f in check_glossary(track, g).findings]
    assert got == [
        (0, "near-miss", "Baikadamow", "Baikadamow"),
        (0, "near-miss", "Xian Xinhai", "Xian Xinhai"),
        (1, "variant", "Baykadamov", "Baykadamov"),
        (2, "near-miss", "Baikadamow", "Baikadamow"),
    ]


def test_a_chinese_form_with_a_digit_gets_its_own_automaton() -> None:
    # 3号楼 holds a word character: in one automaton with the word stems it could hide the start
    # of a word (3号 | 3rd…), so it gets a second one, and both kinds are still found
    g = loads_toml(
        '[glossary]\nname = "t"\n[[term]]\nid = "b3"\nkind = "place"\n[term.zh-Hans]\napproved = "3号楼"\n'
        '[[term]]\nid = "z"\nkind = "person"\n[term.zh-Hans]\napproved = "张三"\n[term.en]\napproved = "Zhang San"\n'
    )
    m = g.matcher("zh-Hans")
    m.compile()
    assert len(m._automata) == 2
    found = m.find_all(["他住在3号楼，Zhang San来了。", "张三和Zhang San"])
    assert [[(x.start, x.end, x.pattern.form) for x in ms] for ms in found] == [
        [(3, 6, "3号楼"), (7, 16, "Zhang San")],
        [(0, 2, "张三"), (3, 12, "Zhang San")],
    ]

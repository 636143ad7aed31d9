"""Matching details: Chinese longest match, endings, tags and breaks, case, placeholders, verify."""

from __future__ import annotations

from dubdesk.glossary import (
    PLACEHOLDER_RE,
    apply_glossary,
    loads_toml,
    protect,
    restore,
    restore_report,
    verify_text,
)
from dubdesk.glossary.inflect import kk_case_endings
from dubdesk.track import Track
from glossary_helpers import glossary

XINGHAI = loads_toml("""
[[term]]
id = "xian-xinghai"
[term.zh-Hans]
approved = "冼星海"

[[term]]
id = "xinghai-square"
[term.zh-Hans]
approved = "星海"
""")


def _found(g, lang: str, text: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(m.entry.id, text[m.start : m.end]) for m in g.matcher(lang).find(text)]


def test_chinese_longest_match_no_inner_term() -> None:
    assert _found(XINGHAI, "zh-Hans", "他说冼星海在星海广场") == [("xian-xinghai", "冼星海"), ("xinghai-square", "星海")]
    assert _found(XINGHAI, "zh-Hans", "冼星海星海") == [("xian-xinghai", "冼星海"), ("xinghai-square", "星海")]


def test_title_wins_over_place_inside_it() -> None:
    assert _found(glossary(), "zh-Hans", "《我的阿勒泰》拍在阿勒泰") == [("to-the-wonder", "《我的阿勒泰》"), ("altay", "阿勒泰")]


def test_word_boundaries_and_near_misses() -> None:
    g = glossary()
    assert _found(g, "ru", "Алтайский край и композитор") == []
    assert _found(g, "en", "the composer from Almatyville") == []
    assert _found(g, "en", "Baikadamov's song") == [("baikadamov", "Baikadamov")]


def test_kazakh_harmony_and_voiceless_finals() -> None:
    assert kk_case_endings("байқадамов")["dat"] == "қа"  # final в sounds voiceless
    assert kk_case_endings("алматы")["gen"] == "ның"
    assert kk_case_endings("мәскеу")["abl"] == "ден"  # у after a vowel is a consonant, front harmony
    assert kk_case_endings("синхай")["ins"] == "мен"
    assert kk_case_endings("қазақстан")["abl"] == "нан"


def test_apply_keeps_case_endings_tags_and_breaks() -> None:
    import pysubs2

    subs = pysubs2.SSAFile()
    for text in ["БАЙКАДАМОВҚА сәлем", "{\\i1}Сиань{\\i0}\\NСинхаймен", "Бай{\\b1}када{\\b0}мовтың әні"]:
        subs.append(pysubs2.SSAEvent(start=0, end=1000, text=text))
    fixed, changes = apply_glossary(Track(subs, "kk"), glossary())
    assert [e.text for e in fixed.events] == ["БАЙҚАДАМОВҚА сәлем", "{\\i1}Сянь{\\i0}\\NСинхаймен", "Бай{\\b1}қада{\\b0}мовтың әні"]
    assert len(changes) == 3


def test_placeholder_tolerates_case_and_spacing() -> None:
    g = glossary()
    p = protect("Сянь Синхай писал для Байкадамова в Алматы.", g, "ru", "zh-Hans")
    assert p.text == "ZXQ0Q писал для ZXQ1Q в ZXQ2Q."
    assert PLACEHOLDER_RE.fullmatch("zxq 1 q") and PLACEHOLDER_RE.fullmatch("ZXQ12")
    assert restore("ZXQ0Q 是为 zxq 1 q 在 Zxq2Q 写的。", p) == "冼星海是为拜卡达莫夫在阿拉木图写的。"
    alt = protect("Сянь Синхай и Байкадамов", g, "ru", "en", style="alternate")
    assert alt.text == "ZXQAQ и ZXQBQ"
    assert restore("ZXQAQ and zxqbq", alt) == "Xian Xinghai and Baikadamov"


def test_lost_placeholder_is_reported_not_dropped() -> None:
    g = glossary()
    p = protect("Сянь Синхай писал для Байкадамова.", g, "ru", "en")
    out = restore_report("ZXQ0Q wrote it for him.", p)
    assert [t.entry for t in out.missing] == ["baikadamov"]
    assert [t.entry for t in p.missing("ZXQ0Q wrote it for him.")] == ["baikadamov"]
    import pytest

    from dubdesk.errors import GlossaryError

    with pytest.raises(GlossaryError, match="ZXQ1Q=baikadamov"):
        restore("ZXQ0Q wrote it for him.", p, strict=True)
    misses = verify_text(p.original, restore("ZXQ0Q wrote it for him.", p), g, "ru", "en")
    assert [(m.kind, m.entry) for m in misses] == [("missing", "baikadamov")]


def test_verify_text_flags_variants_and_missing() -> None:
    g = glossary()
    assert verify_text("Сянь Синхай в Алматы", "冼星海在阿拉木图", g, "ru", "zh-Hans") == []
    misses = verify_text("Сянь Синхай в Алматы", "洗星海在Alma-Ata", g, "ru", "zh-Hans")
    assert sorted((m.kind, m.entry, m.found) for m in misses) == [
        ("forbidden", "almaty", "Alma-Ata"),
        ("missing", "almaty", None),
        ("missing", "xian-xinghai", None),
        ("variant", "xian-xinghai", "洗星海"),
    ]


def test_missing_approved_and_inconsistent() -> None:
    import pysubs2

    from dubdesk.glossary import check_glossary

    subs = pysubs2.SSAFile()
    for text in ["Bawrsak Theater", "ничего", "Bawrsak Theatre"]:
        subs.append(pysubs2.SSAEvent(start=0, end=1000, text=text))
    report = check_glossary(Track(subs, "ru"), glossary())
    assert [(f.cue, f.kind) for f in report.findings] == [(0, "missing-approved"), (2, "inconsistent")]


def test_bulk_visible_text_equals_markup_visible() -> None:
    from dubdesk import markup, subtitles
    from glossary_helpers import SAMPLE_FILES, SAMPLES, build_test_set

    raw = [s.text for s in build_test_set()]
    for f in SAMPLE_FILES.values():
        raw += [e.text for e in subtitles.load(SAMPLES / f).events]
    raw += ["a\\hb{\\i1}c\\Nd<i>e</i>\\n", "{\\N}x", '<font face="a\\Nb">y</font>', "\\\\N", ""]
    assert markup.visible_many(raw) == [markup.visible(t) for t in raw]

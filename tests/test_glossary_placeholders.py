"""Glossary placeholders survive what models do to them: glued, re-cased, spaced, full-width."""

from __future__ import annotations

from pathlib import Path

import pytest

from dubdesk.glossary import protect, restore_report
from dubdesk.glossary.protect import find_placeholders
from glossary_helpers import glossary

SOURCE = "Сянь Синхай и Байкадамов дружили."


@pytest.mark.parametrize(
    ("model_output", "expected"),
    [
        ("ZXQ0Q and ZXQ1Q were friends.", "Xian Xinghai and Baikadamov were friends."),
        # glued after a word (real models do this next to Chinese) and before one
        ("ZXQ0Q andZXQ1Q were friends.", "Xian Xinghai and Baikadamov were friends."),
        ("ZXQ0Qand ZXQ1Q were friends.", "Xian Xinghai and Baikadamov were friends."),
        ("ZXQ0Q and ZXQ1Qwere friends.", "Xian Xinghai and Baikadamov were friends."),
        # case changed, spaces inserted, closing Q lost
        ("zxq0q and Zxq1Q were friends.", "Xian Xinghai and Baikadamov were friends."),
        ("ZXQ 0 Q and Z X Q 1 Q were friends.", "Xian Xinghai and Baikadamov were friends."),
        ("ZXQ0 and ZXQ1 were friends.", "Xian Xinghai and Baikadamov were friends."),
        # full-width letters and digits, also glued
        ("ＺＸＱ０Ｑ andＺＸＱ１Ｑ were friends.", "Xian Xinghai and Baikadamov were friends."),
        ("ｚｘｑ０ｑ and ZXQ１Q were friends.", "Xian Xinghai and Baikadamov were friends."),
    ],
)
def test_placeholders_come_back_into_a_spaced_language(model_output: str, expected: str) -> None:
    p = protect(SOURCE, glossary(), "ru", "en")
    assert p.text == "ZXQ0Q и ZXQ1Q дружили."
    result = restore_report(model_output, p)
    assert result.ok and result.text == expected
    assert p.missing(model_output) == []


@pytest.mark.parametrize(
    "model_output",
    ["ZXQ0Q和ZXQ1Q是朋友。", "ZXQ0Q 和 ZXQ1Q 是朋友。", "ＺＸＱ０Ｑ和ＺＸＱ１Ｑ是朋友。", "zxq0q 和ZXQ 1 Q是朋友。"],
)
def test_placeholders_come_back_into_chinese_without_spaces(model_output: str) -> None:
    p = protect(SOURCE, glossary(), "ru", "zh-Hans")
    result = restore_report(model_output, p)
    assert result.ok and result.text == "冼星海和拜卡达莫夫是朋友。"


def test_a_spaced_q_starting_the_next_word_is_not_eaten() -> None:
    assert find_placeholders("ZXQ0 Quelle") == [(0, 4, 0)]
    assert find_placeholders("ZXQ0Q Quelle") == [(0, 5, 0)]
    assert find_placeholders("zxqa q and ZXQBCQ") == [(0, 6, 0), (11, 17, 12)]


def test_a_model_that_glues_the_placeholder_is_restored_end_to_end(tmp_path: Path) -> None:
    """A constructed CTranslate2 model writes the second placeholder in full-width letters with no
    space before it (``andＺＸＱ１Ｑ``), as models trained on Chinese do; the term still comes back."""
    pytest.importorskip("ctranslate2")
    import dubdesk
    from dubdesk.translate import toymodel
    from dubdesk.translate.argos import ArgosEngine

    word_map = {"и": "and", "ZXQ1Q": "ＺＸＱ１Ｑ", "ZXQ0Q": "zxq0q", "дружили": "were", "друзьями": "friends"}
    package = toymodel.build_argos_package(tmp_path / "ru_en_glue.argosmodel", "ru", "en", word_map)
    engine = ArgosEngine(package)
    assert engine.translate_batch(["ZXQ0Q и ZXQ1Q дружили."], "ru", "en") == ["zxq0q andＺＸＱ１Ｑ were."]
    srt = tmp_path / "friends.ru.srt"
    srt.write_text(f"1\n00:00:01,000 --> 00:00:03,000\n{SOURCE}\n", encoding="utf-8")
    result = dubdesk.translate_track(dubdesk.load(srt), "en", engine=engine, glossary=glossary(), memory=False)
    assert [e.text for e in result.track.cues] == ["Xian Xinghai and Baikadamov were."]
    assert result.report.flagged == [] and result.report.retried == 0

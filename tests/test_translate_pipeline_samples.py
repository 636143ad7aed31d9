"""The samples end to end, with packages built from the demo word lists (same as the demo models):
zh-Hans→kk (pivot through English), ru→kk, kk→ru, zh-Hans→ru."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import dubdesk
from dubdesk import markup
from dubdesk.profiles import load_profile
from dubdesk.testing import toymodel
from dubdesk.text.reflow import line_width
from translate_helpers import isolate_model_dirs
from translate_pipeline_helpers import GLOSSARY, SAMPLES, install_package, lexicon

PAIRS = [("zh-Hans", "en"), ("en", "kk"), ("ru", "kk"), ("kk", "ru"), ("zh-Hans", "ru")]
FILES = {"zh-Hans": "composer.zh-Hans.srt", "ru": "composer.ru.srt", "kk": "composer.kk.ass"}


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("demo-packages")
    words = lexicon()
    return {
        (s, t): toymodel.build_argos_package(out / f"{s}_{t}.argosmodel", s, t, words[s][t], extra_metadata={"demo": True})
        for s, t in PAIRS
    }


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, packages: dict[tuple[str, str], Path]) -> Path:
    models = isolate_model_dirs(monkeypatch, tmp_path)
    for (s, t), pkg in packages.items():
        install_package(models, pkg, f"demo-{s.split('-')[0]}-{t}")
    return tmp_path


def tags(text: str) -> list[str]:
    return [t.raw for t in markup.tokenize(text) if t.kind is markup.Kind.TAG]


@pytest.mark.parametrize(
    ("src", "tgt", "ext", "route"),
    [
        ("zh-Hans", "kk", "srt", "zh-Hans→en→kk via demo-zh-en, demo-en-kk"),
        ("ru", "kk", "ass", "ru→kk via demo-ru-kk"),
        ("kk", "ru", "srt", "kk→ru via demo-kk-ru"),
        ("zh-Hans", "ru", "srt", "zh-Hans→ru via demo-zh-ru"),
    ],
)
def test_sample_translates_with_everything_intact(home: Path, src: str, tgt: str, ext: str, route: str) -> None:
    glossary = dubdesk.load_glossary(GLOSSARY)
    source = dubdesk.load(SAMPLES / FILES[src])
    result = dubdesk.translate_track(source, tgt, glossary=glossary, memory=home / "tm.sqlite")
    assert result.report.route.startswith(route)
    assert result.report.flagged == []
    out = home / f"composer.{tgt}.{ext}"
    dubdesk.save(result.track, out)
    target = dubdesk.load(out, language=tgt)

    # same cues, same timings, styles and actors; comments kept where the format holds them
    if ext == "ass":
        assert [e.is_comment for e in source.events] == [e.is_comment for e in target.events]
    pairs: list[tuple[Any, Any]] = list(zip(source.cues, target.cues, strict=True))
    for s, t in pairs:
        assert (s.start, s.end, s.is_comment) == (t.start, t.end, t.is_comment)
        if ext == "ass" and source.source.format == "ass":
            assert (s.style, s.name) == (t.style, t.name)
    # every tag preserved, in order (in the translated track: writing ASS styles to SRT adds <i> for italic styles)
    for s, t in zip(source.events, result.track.events, strict=True):
        assert tags(s.text) == tags(t.text), (s.text, t.text)
    # every glossary term in its approved target form
    check = dubdesk.verify(source, target, glossary)
    assert check.misses == [] and check.terms > 0
    # lines within the target profile (a two-speaker cue keeps its two lines)
    profile = load_profile(tgt)
    for t in target.cues:
        lines = markup.lines(t.text)
        assert len(lines) <= profile.max_lines, t.text
        widths = [line_width(line, profile.halfwidth_weight) for line in lines]
        if sum(widths) > profile.max_lines * profile.max_chars_per_line:
            continue  # no break fits (Cyrillic lines are 39 wide): QA reports line-too-long for this cue
        assert all(w <= profile.max_chars_per_line for w in widths), t.text
    # nothing untranslated leaks a placeholder or the source's script into a Cyrillic target
    for t in target.cues:
        assert "ZXQ" not in t.text.upper()
        if src.startswith("zh"):
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in markup.visible(t.text)), t.text
    # a second run is all memory
    again = dubdesk.translate_track(source, tgt, glossary=glossary, memory=home / "tm.sqlite")
    assert again.report.translated == 0 and again.report.cache_hits == again.report.texts


def test_kazakh_sample_keeps_its_ass_structure(home: Path) -> None:
    source = dubdesk.load(SAMPLES / "composer.kk.ass")
    result = dubdesk.translate_track(source, "ru", glossary=dubdesk.load_glossary(GLOSSARY), memory=False)
    events = result.track.events
    assert events[0].is_comment and events[0].text == source.events[0].text
    assert events[1].text.startswith("{\\an8}") and events[1].style == "Sign"
    assert events[5].text.startswith("{\\i1}Бахытжан Байкадамов{\\i0}")
    assert events[8].text.count("\\N") == 1 and all(line.startswith("— ") for line in events[8].text.split("\\N"))
    assert set(result.track.subs.styles) == set(source.subs.styles)


def test_inline_italics_wrap_the_translated_span_zh_to_kk(home: Path) -> None:
    """Cue 5 of the Chinese sample through the English pivot: ``</i>`` ends right after the name,
    outside the space, whether or not reflow breaks the line there."""
    glossary = dubdesk.load_glossary(GLOSSARY)
    source = dubdesk.load(SAMPLES / FILES["zh-Hans"])
    assert source.events[4].text == "{\\i1}作曲家拜卡达莫夫{\\i0}\\N在剧院里认识了他。"
    one_line = dubdesk.translate_track(source, "kk", glossary=glossary, memory=False, profile=60)
    assert one_line.track.events[4].text == "{\\i1}Композитор Байқадамов{\\i0} онымен театрда танысты."
    result = dubdesk.translate_track(source, "kk", glossary=glossary, memory=False)
    assert result.track.events[4].text == "{\\i1}Композитор Байқадамов{\\i0}\\Nонымен театрда танысты."
    out = home / "composer.kk.srt"
    dubdesk.save(result.track, out)
    assert "\n<i>Композитор Байқадамов</i>\nонымен театрда танысты.\n" in out.read_text("utf-8")

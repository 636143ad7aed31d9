"""translate_track end to end with a real (toy) CTranslate2 model: package → install → route →
translate → glossary restore → reflow → save, exact strings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import dubdesk
from dubdesk.cli import cli
from dubdesk.testing import toymodel
from dubdesk.translate import pipeline
from dubdesk.translate.argos import ArgosEngine
from dubdesk.translate.engines import supports_alternatives
from dubdesk.translate.routes import get_engine, plan_route
from translate_helpers import isolate_model_dirs
from translate_pipeline_helpers import (
    GLOSSARY,
    RU_KK,
    DropsPlaceholders,
    FailsAfter,
    Recording,
    RecordingAlternatives,
    install_package,
)

SRT = """1
00:00:01,000 --> 00:00:02,000
<i>Он пришёл домой.</i>

2
00:00:03,000 --> 00:00:04,000
Он <i>пришёл</i> домой.

3
00:00:05,000 --> 00:00:06,000
<font color="#ffff00">Музыка играла.</font>

4
00:00:07,000 --> 00:00:08,000
Он пришёл
домой.

5
00:00:09,000 --> 00:00:10,000
Байкадамов пришёл домой.

6
00:00:11,000 --> 00:00:12,000
Он пришёл домой

7
00:00:12,200 --> 00:00:13,000
и музыка играла.

8
00:00:14,000 --> 00:00:15,000
Кто он?
"""

EXPECTED = [
    r"{\i1}Ол келді үйге.{\i0}",
    r"Ол {\i1}келді{\i0} үйге.",
    '<font color="#ffff00">Музыка ойнады.</font>',
    "Ол келді үйге.",
    "Байқадамов келді үйге.",
    "Ол келді үйге",
    "және музыка ойнады.",
    "Кім ол?",
]


@pytest.fixture(scope="module")
def ru_kk_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pkg")
    return toymodel.build_argos_package(out / "ru_kk.argosmodel", "ru", "kk", RU_KK)


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ru_kk_package: Path) -> Path:
    models = isolate_model_dirs(monkeypatch, tmp_path)
    install_package(models, ru_kk_package, "toy-ru-kk")
    return tmp_path


@pytest.fixture()
def source(tmp_path: Path) -> Path:
    path = tmp_path / "scene.ru.srt"
    path.write_text(SRT, "utf-8")
    return path


def ass_document(style: str) -> str:
    """An ASS header with one style, up to the events' Format line; the caller appends events."""
    return (
        "[Script Info]\nScriptType: v4.00+\n\n[V4+ Styles]\n"
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic,"
        " Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL,"
        f" MarginR, MarginV, Encoding\nStyle: {style}\n\n"
        "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    )


def texts(track: Any) -> list[str]:
    return [e.text for e in track.events]


def test_translates_exactly_keeping_tags_timings_and_terms(home: Path, source: Path) -> None:
    track = dubdesk.load(source)
    glossary = dubdesk.load_glossary(GLOSSARY)
    result = dubdesk.translate_track(track, "kk", glossary=glossary, memory=False)
    assert texts(result.track) == EXPECTED
    assert [(e.start, e.end) for e in result.track.events] == [(e.start, e.end) for e in track.events]
    assert result.track.language == "kk"
    report = result.report
    assert report.route == "ru→kk via toy-ru-kk"
    assert (report.cues, report.merged, report.glossary_fixes, report.flagged) == (8, 2, 1, [])
    assert dubdesk.verify(track, result.track, glossary).misses == []
    # save → SRT on disk has the tags back in SRT form
    out = home / "scene.kk.srt"
    dubdesk.save(result.track, out)
    written = out.read_text("utf-8")
    assert "<i>Ол келді үйге.</i>" in written and "Ол <i>келді</i> үйге." in written
    assert '<font color="#ffff00">Музыка ойнады.</font>' in written


def test_all_cues_go_in_batches_and_continuations_together(home: Path, source: Path) -> None:
    engine = Recording(get_engine(plan_route("ru", "kk")))
    result = dubdesk.translate_track(dubdesk.load(source), "kk", engine=engine, memory=False)
    assert (result.report.aligned, result.report.fallback) == (2, [])
    # one call for the joined sentences (with attention), one for all the rest
    assert [len(b) for b in engine.batches] == [1, 7]
    assert "Он пришёл домой и музыка играла." in engine.texts  # cues 6+7: one sentence
    assert "Он пришёл домой" not in engine.texts
    # the inline-tagged span is translated on its own too, to find where it went
    assert "пришёл" in engine.texts
    # no tag or line break reaches the model
    assert not any(ch in t for t in engine.texts for ch in "{}<>\\")


def test_long_lines_are_rebroken_for_the_target_profile(home: Path, tmp_path: Path) -> None:
    long = " ".join(["Он пришёл домой"] * 4) + "."
    path = tmp_path / "long.ru.srt"
    path.write_text(f"1\n00:00:01,000 --> 00:00:05,000\n{long}\n", "utf-8")
    result = dubdesk.translate_track(dubdesk.load(path), "kk", memory=False)
    (text,) = texts(result.track)
    lines = text.split("\\N")
    assert len(lines) == 2 and all(len(line) <= 42 for line in lines)
    assert " ".join(lines) == " ".join(["Ол келді үйге"] * 4) + "."
    narrow = dubdesk.translate_track(dubdesk.load(path), "kk", memory=False, profile=20)
    assert all(len(line) <= 30 for line in texts(narrow.track)[0].split("\\N"))


def test_lost_placeholder_is_retried_and_fixed(home: Path, source: Path) -> None:
    engine = DropsPlaceholders(get_engine(plan_route("ru", "kk")))
    glossary = dubdesk.load_glossary(GLOSSARY)
    result = dubdesk.translate_track(dubdesk.load(source), "kk", engine=engine, glossary=glossary, memory=False)
    assert texts(result.track)[4] == "Байқадамов келді үйге."
    assert result.report.retried == 1 and result.report.flagged == []
    # retries: the alternate placeholder form, then the unprotected text
    assert "ZXQAQ пришёл домой." in engine.texts and "Байкадамов пришёл домой." in engine.texts


def test_term_that_cannot_be_verified_is_flagged_never_silent(home: Path, source: Path) -> None:
    engine = DropsPlaceholders(get_engine(plan_route("ru", "kk")), also="Байк")
    glossary = dubdesk.load_glossary(GLOSSARY)
    result = dubdesk.translate_track(dubdesk.load(source), "kk", engine=engine, glossary=glossary, memory=False)
    (flag,) = result.report.flagged
    assert flag.cue == 5 and flag.reasons and "Байкадамов" in flag.source
    assert dubdesk.verify(dubdesk.load(source), result.track, glossary).failed_cues() == [4]


def test_term_that_cannot_be_verified_is_flagged_never_silent_without_alternatives(home: Path, source: Path) -> None:
    engine = DropsPlaceholders(get_engine(plan_route("ru", "kk")), also="Байк")
    assert not supports_alternatives(engine)
    result = dubdesk.translate_track(
        dubdesk.load(source), "kk", engine=engine, glossary=dubdesk.load_glossary(GLOSSARY), memory=False
    )
    assert result.report.retried == 0 and [f.cue for f in result.report.flagged] == [5]
    assert result.report.summary().endswith(", 0 glossary fixes, 1 flagged")


@pytest.fixture(scope="module")
def mangling_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real ru→kk model whose best hypothesis mangles the glossary placeholder (ZXQ0Q → ZXQ)
    and whose second keeps it, as real models sometimes do."""
    out = tmp_path_factory.mktemp("pkg")
    return toymodel.build_argos_package(
        out / "ru_kk_mangling.argosmodel", "ru", "kk", {**RU_KK, "ZXQ0Q": "ZXQ"}, alternatives={"ZXQ0Q": ["ZXQ0Q"]}
    )


def test_failed_term_is_retried_with_the_models_alternatives(home: Path, source: Path, mangling_package: Path) -> None:
    engine = RecordingAlternatives(ArgosEngine(mangling_package))
    glossary = dubdesk.load_glossary(GLOSSARY)
    assert engine.inner.translate_batch(["ZXQ0Q пришёл домой."], "ru", "kk") == ["ZXQ келді үйге."]
    result = dubdesk.translate_track(dubdesk.load(source), "kk", engine=engine, glossary=glossary, memory=False)
    assert texts(result.track) == EXPECTED
    assert (result.report.retried, result.report.flagged) == (1, [])
    assert "1 glossary fixes, 1 retried, 0 flagged" in result.report.summary()
    # one request for alternatives, for the failing text only; the n-best list was enough
    assert engine.alternative_batches == [["ZXQ0Q пришёл домой."]]
    assert not any("ZXQAQ" in t for t in engine.texts)


def test_same_model_without_alternatives_falls_back_to_the_other_placeholder(
    home: Path, source: Path, mangling_package: Path
) -> None:
    engine = Recording(ArgosEngine(mangling_package))
    result = dubdesk.translate_track(
        dubdesk.load(source), "kk", engine=engine, glossary=dubdesk.load_glossary(GLOSSARY), memory=False
    )
    assert texts(result.track) == EXPECTED and (result.report.retried, result.report.flagged) == (1, [])
    assert "ZXQAQ пришёл домой." in engine.texts


class ScriptedAlternatives:
    """Isolates the choice among alternatives: the best translation loses the name, the n-best list is given."""

    id = "scripted"

    def __init__(self, alternatives: list[str]) -> None:
        self.alternatives = alternatives
        self.asked: list[tuple[list[str], int]] = []

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        return ["ол келді үйге." for _ in texts]

    def translate_alternatives(self, texts: list[str], source: str, target: str, n: int) -> list[list[str]]:
        self.asked.append((list(texts), n))
        return [list(self.alternatives) for _ in texts]


ONE_CUE = "1\n00:00:01,000 --> 00:00:02,000\nБайкадамов пришёл домой.\n"


@pytest.mark.parametrize(
    ("alternatives", "expected", "retried"),
    [
        # the first that passes verification wins, not the best-scored nor a later one
        (["ол келді.", "ZXQ0Q келді үйге.", "ZXQ0Q келді."], "Байқадамов келді үйге.", 1),
        # the Russian spelling is a variant in Kazakh: it fails verification like a missing term
        (["Байкадамов келді.", "ZXQ0Q келді."], "Байқадамов келді.", 1),
        # none passes: the first translation is kept, and flagged
        (["ол келді.", "ZXQ келді."], "Ол келді үйге.", 0),
    ],
)
def test_first_alternative_that_passes_verification_is_used(
    alternatives: list[str], expected: str, retried: int
) -> None:
    engine = ScriptedAlternatives(alternatives)
    track = dubdesk.loads(ONE_CUE.encode(), fmt="srt")
    result = dubdesk.translate_track(
        track, "kk", source="ru", engine=engine, glossary=dubdesk.load_glossary(GLOSSARY), memory=False
    )
    assert texts(result.track) == [expected]
    assert engine.asked == [(["ZXQ0Q пришёл домой."], pipeline.ALTERNATIVES)]
    assert result.report.retried == retried
    assert [f.cue for f in result.report.flagged] == ([] if retried else [1])


def test_memory_rerun_translates_only_edited_cues(home: Path, source: Path) -> None:
    memory = home / "tm.sqlite"
    first = dubdesk.translate_track(dubdesk.load(source), "kk", memory=memory)
    assert first.report.cache_hits == 0 and first.report.translated == first.report.texts > 0
    again = dubdesk.translate_track(dubdesk.load(source), "kk", memory=memory)
    assert again.report.translated == 0 and again.report.cache_hits == first.report.texts
    assert texts(again.track) == texts(first.track)
    edited = dubdesk.load(source)
    edited.events[7].text = "Кто он такой?"
    engine = Recording(get_engine(plan_route("ru", "kk")))
    third = dubdesk.translate_track(edited, "kk", memory=memory, engine=engine)
    assert third.report.translated == 1 and engine.texts == ["Кто он такой?"]
    assert texts(third.track)[7] == "Кім ол такой?"


def test_interrupted_run_resumes_where_it_stopped(
    home: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 3)
    memory = home / "tm.sqlite"
    failing = FailsAfter(get_engine(plan_route("ru", "kk")), 3, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        dubdesk.translate_track(dubdesk.load(source), "kk", engine=failing, memory=memory)
    # two batches done (and committed) before the interruption: the joined sentence, then 3 texts
    assert [len(b) for b in failing.batches] == [1, 3]
    resumed = dubdesk.translate_track(dubdesk.load(source), "kk", memory=memory)
    assert resumed.report.cache_hits == 4
    assert resumed.report.translated == resumed.report.texts - 4
    assert texts(resumed.track) == [*EXPECTED[:4], "Байкадамов келді үйге.", *EXPECTED[5:]]


def test_bilingual_review_lines(home: Path, source: Path) -> None:
    track = dubdesk.load(source)
    srt = dubdesk.translate_track(track, "kk", memory=False, bilingual=True)
    assert texts(srt.track)[3] == r"Ол келді үйге.\N{\i1}Он пришёл домой.{\i0}"
    ass = dubdesk.translate_track(track, "kk", memory=False, bilingual=True, output_format="ass")
    assert texts(ass.track)[3] == r"Ол келді үйге.\N{\i1\fs15}Он пришёл домой.{\i0}"


def test_styles_actors_and_comments_are_kept(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "scene.ru.ass"
    path.write_text(
        ass_document("Sign,Arial,56,&H00FFFFFF,&H000000FF,&H00000000,&H80000000,1,0,0,0,100,100,0,0,1,2,0,8,60,60,40,1")
        + "Comment: 0,0:00:00.00,0:00:01.00,Sign,,0,0,0,,Не переводить.\n"
        "Dialogue: 0,0:00:01.00,0:00:02.00,Sign,Рассказчик,0,0,0,,{\\an8}Кто он?\n",
        "utf-8",
    )
    result = dubdesk.translate_track(dubdesk.load(path), "kk", memory=False)
    comment, cue = result.track.events
    assert comment.is_comment and comment.text == "Не переводить."
    assert (cue.style, cue.name, cue.text) == ("Sign", "Рассказчик", r"{\an8}Кім ол?")
    assert "Sign" in result.track.subs.styles


# ----------------------------------------------------------------------------- CLI


def run(args: list[str]) -> Any:
    return CliRunner().invoke(cli, args)


def test_cli_translates_and_reports(home: Path, source: Path) -> None:
    out = home / "scene.kk.srt"
    result = run(["translate", str(source), "--to", "kk", "-o", str(out), "--glossary", str(GLOSSARY),
                  "--memory", str(home / "tm.sqlite")])
    assert result.exit_code == 0, result.output
    assert "route: ru→kk via toy-ru-kk" in result.output
    assert "8 cues in" in result.output and "1 glossary fixes, 0 flagged" in result.output
    assert [e.text for e in dubdesk.load(out).events] == EXPECTED
    again = run(["translate", str(source), "--to", "kk", "-o", str(out), "--json", "--memory", str(home / "tm.sqlite"),
                 "--glossary", str(GLOSSARY)])
    assert again.exit_code == 0, again.output
    data = json.loads(again.output)
    assert data["translated"] == 0 and data["cache_hits"] == data["texts"] and data["cues"] == 8
    assert data["route"] == "ru→kk via toy-ru-kk" and data["output"] == str(out)


def test_cli_bilingual_srt_from_ass_has_no_override_blocks_as_text(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "scene.ru.ass"
    path.write_text(
        ass_document("Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H80000000,0,0,0,0,100,100,0,0,1,2,0,2,10,10,10,1")
        + "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\pos(10,20)}{\\fs15}Кто он?\n"
        "Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,{\\an8}Он {\\c&H00FFFF&}пришёл{\\c} домой.\n",
        "utf-8",
    )
    out = tmp_path / "scene.kk.srt"
    result = run(["translate", str(path), "--to", "kk", "-o", str(out), "--bilingual", "--no-memory"])
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8") == (
        "1\n00:00:01,000 --> 00:00:02,000\nКім ол?\n<i>Кто он?</i>\n\n"
        '2\n00:00:03,000 --> 00:00:04,000\n{\\an8}Ол <font color="#ffff00">келді</font> үйге.\n<i>Он пришёл домой.</i>\n'
    )


def test_cli_flagged_cues_exit_3_with_the_file_written(
    home: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dubdesk.translate import routes

    real = routes.get_engine
    monkeypatch.setattr(routes, "get_engine", lambda route, **kw: DropsPlaceholders(real(route, **kw), also="Байк"))
    out = home / "scene.kk.srt"
    result = run(["translate", str(source), "--to", "kk", "-o", str(out), "--glossary", str(GLOSSARY), "--no-memory"])
    assert result.exit_code == 3, result.output
    assert "flagged cue 5:" in result.output
    assert out.exists()


def test_cli_failure_leaves_no_output(home: Path, source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dubdesk.translate import routes

    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 3)
    real = routes.get_engine
    monkeypatch.setattr(routes, "get_engine", lambda route, **kw: FailsAfter(real(route, **kw), 2, KeyboardInterrupt()))
    out = home / "out" / "scene.kk.srt"
    out.parent.mkdir()
    result = run(["translate", str(source), "--to", "kk", "-o", str(out), "--memory", str(home / "tm.sqlite")])
    assert result.exit_code == 130
    assert "dubdesk: error: interrupted" in result.output
    assert list(out.parent.iterdir()) == []


def test_rerun_sends_edits_from_every_chunk_in_one_call(home: Path, tmp_path: Path) -> None:
    """Memory answers first, so edits spread over a long file reach the model together, not per chunk."""
    from dubdesk.translate.pipeline import CHUNK_SIZE

    n = CHUNK_SIZE + 50
    path = tmp_path / "long.ru.srt"
    path.write_text("\n".join(f"{i + 1}\n00:00:{i // 10:02d},{i % 10}00 --> 00:00:{i // 10:02d},{i % 10}90\n"
                              f"Он пришёл {i}.\n" for i in range(n)), "utf-8")  # fmt: skip
    memory = home / "tm.sqlite"
    first = dubdesk.translate_track(dubdesk.load(path), "kk", memory=memory)
    assert first.report.translated == n
    edited = dubdesk.load(path)
    # the longest text sorts into the first chunk, the shortest into the last
    edits = {0: "Кто он такой и откуда он пришёл домой?", n // 2: "Кто он?", n - 1: "Кто?"}
    for i, text in edits.items():
        edited.events[i].text = text
    engine = Recording(get_engine(plan_route("ru", "kk")))
    again = dubdesk.translate_track(edited, "kk", memory=memory, engine=engine)
    assert len(engine.batches) == 1 and sorted(engine.texts) == sorted(edits.values())
    assert (again.report.translated, again.report.cache_hits) == (3, n - 3)
    assert texts(again.track)[1:5] == texts(first.track)[1:5]

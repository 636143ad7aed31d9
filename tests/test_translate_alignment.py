"""Every word stays in its cue: joined sentences cut by the model's alignment, long inputs, engine failures.

Copy models (real CTranslate2 models whose output equals their input) make the right answer exact:
each cue must get its own text back. A model whose decoder step t attends to a known source
position pi(t) checks that words land in the cue their source word came from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import dubdesk
from dubdesk.errors import TranslationError
from dubdesk.markup import Kind, tokenize
from dubdesk.testing import toymodel
from dubdesk.translate import alignment, segments
from dubdesk.translate.argos import ArgosEngine

SRT_FR = """1
00:00:01,000 --> 00:00:03,000
Je vais écraser ta gueule contre un pare-brise

2
00:00:03,200 --> 00:00:05,000
puis, j'emmènerai ta mère manger des moules

3
00:00:06,000 --> 00:00:08,000
- Tu rigoles ?
- Non.

4
00:00:09,000 --> 00:00:10,000
Il marchait lentement,

5
00:00:10,100 --> 00:00:11,000
très lentement, vers la mer

6
00:00:11,100 --> 00:00:12,000
qui <i>brillait</i> sous
la lune

7
00:00:12,100 --> 00:00:13,000
comme un miroir.
"""

VTT_EN = """WEBVTT

00:00:01.000 --> 00:00:04.000
At the top of it you can find the buttons to save or open a file, ...

00:00:04.100 --> 00:00:06.000
...undo or redo last action... and so on.

00:00:07.000 --> 00:00:08.000
<b>Click</b> here to open

00:00:08.100 --> 00:00:09.000
the settings of the project.

00:00:10.000 --> 00:00:11.000
I thought...

00:00:11.100 --> 00:00:12.000
Yes.
"""

ASS_RU = r"""[Script Info]
ScriptType: v4.00+
PlayResX: 1280
PlayResY: 720

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,40,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,1,2,10,10,30,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:01.00,0:00:02.50,Default,Анна,0,0,0,,{\an8}Композитор приехал в Алматы
Dialogue: 0,0:00:02.60,0:00:04.00,Default,Анна,0,0,0,,зимой 1942 года,\Nкогда шла война,
Dialogue: 0,0:00:04.10,0:00:05.50,Default,Анна,0,0,0,,и у него {\i1}не было{\i0} ни дома,
Dialogue: 0,0:00:05.60,0:00:07.00,Default,Анна,0,0,0,,ни работы.
Dialogue: 0,0:00:08.00,0:00:09.00,Default,Борис,0,0,0,,Кто он?
Comment: 0,0:00:09.00,0:00:10.00,Default,,0,0,0,,заметка переводчику
"""

SRT_ZH = """1
00:00:01,000 --> 00:00:02,000
他没有家，

2
00:00:02,100 --> 00:00:03,000
也没有工作，

3
00:00:03,100 --> 00:00:04,500
只有音乐。

4
00:00:05,000 --> 00:00:06,000
<i>这首曲子</i>叫什么？
"""

CASES = [
    ("fr.srt", SRT_FR, "fr", "en", 2 + 4),
    ("en.vtt", VTT_EN, "en", "ru", 2 + 2),
    ("ru.ass", ASS_RU, "ru", "kk", 4),
    ("zh-Hans.srt", SRT_ZH, "zh-Hans", "zh-Hant", 3),
]


@pytest.fixture(scope="module")
def copy_models(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], ArgosEngine]:
    out = tmp_path_factory.mktemp("copy")
    return {
        (s, t): ArgosEngine(toymodel.build_argos_package(out / f"{s}_{t}", s, t, extracted=True))
        for _, _, s, t, _ in CASES
    }


def visible_and_tags(raw: str) -> tuple[str, list[str]]:
    """What the model sees of a cue (line breaks as a space, or nothing between CJK) and its tags, in order."""
    return segments.decode(raw).visible, [t.raw for t in tokenize(raw) if t.kind is Kind.TAG]


@pytest.mark.parametrize(("name", "text", "source", "target", "joined"), CASES, ids=[c[0] for c in CASES])
def test_copy_model_gives_every_cue_exactly_its_own_text(
    tmp_path: Path, copy_models: dict[tuple[str, str], ArgosEngine], name: str, text: str, source: str,
    target: str, joined: int,
) -> None:
    path = tmp_path / f"scene.{name}"
    path.write_text(text, "utf-8")
    track = dubdesk.load(path)
    result = dubdesk.translate_track(track, target, source=source, engine=copy_models[(source, target)], memory=False)
    report = result.report
    assert (report.context, report.merged, report.aligned, report.fallback, report.flagged) == (
        "sentence", joined, joined, [], []
    )
    src, out = track.events, result.track.events
    assert len(out) == len(src)
    for before, after in zip(src, out, strict=True):
        assert (after.start, after.end, after.style, after.name, after.is_comment) == (
            before.start, before.end, before.style, before.name, before.is_comment
        )
        assert visible_and_tags(after.text) == visible_and_tags(before.text), before.text
    # and through the file format: written and read back, the same
    written = tmp_path / f"out.{name}"
    dubdesk.save(result.track, written)
    again = dubdesk.load(written)
    assert [visible_and_tags(e.text) for e in again.events] == [visible_and_tags(e.text) for e in src]


def test_the_issue_examples_keep_their_words(tmp_path: Path, copy_models: dict[tuple[str, str], ArgosEngine]) -> None:
    vtt = tmp_path / "a.en.vtt"
    vtt.write_text(VTT_EN, "utf-8")
    out = dubdesk.translate_track(dubdesk.load(vtt), "ru", engine=copy_models[("en", "ru")], memory=False)
    first, second = (visible_and_tags(e.text)[0] for e in out.track.events[:2])
    assert first.endswith("open a file, ...") and second == "...undo or redo last action... and so on."
    srt = tmp_path / "b.fr.srt"
    srt.write_text(SRT_FR, "utf-8")
    out = dubdesk.translate_track(dubdesk.load(srt), "en", engine=copy_models[("fr", "en")], memory=False)
    assert visible_and_tags(out.track.events[1].text)[0] == "puis, j'emmènerai ta mère manger des moules"


PERMUTED = """1
00:00:01,000 --> 00:00:02,000
Alpha beta gamma

2
00:00:02,100 --> 00:00:03,000
delta epsilon.
"""


def test_words_land_in_the_cue_their_source_word_came_from(tmp_path: Path) -> None:
    # "alpha" becomes three words, and the model reverses the words of each cue:
    # step t attends to source piece attend[t] (pieces: Alpha beta gamma delta epsilon . </s>)
    words = {"Alpha": "one two three", "beta": "b", "gamma": "g", "delta": "d", "epsilon": "e"}
    package = toymodel.build_argos_package(
        tmp_path / "perm", "en", "ru", words, extracted=True, attend=[2, 1, 0, 4, 3, 5, 6]
    )
    engine = ArgosEngine(package)
    assert engine.tokenize(["Alpha beta gamma delta epsilon."]) == [
        ["▁Alpha", "▁beta", "▁gamma", "▁delta", "▁epsilon", "."]
    ]
    assert engine.translate_batch(["Alpha beta gamma delta epsilon."], "en", "ru") == ["g b one two three e d."]
    path = tmp_path / "p.en.srt"
    path.write_text(PERMUTED, "utf-8")
    result = dubdesk.translate_track(dubdesk.load(path), "ru", engine=engine, memory=False)
    assert [e.text for e in result.track.events] == ["G b one two three", "e d."]
    assert (result.report.aligned, result.report.fallback) == (2, [])
    # the proportional split (3 : 2 source words) would have moved "three" into cue 2
    assert segments.split_proportionally(
        "G b one two three e d.", ["Alpha beta gamma", "delta epsilon."], cjk_source=False, cjk_target=False
    ) != ["G b one two three", "e d."]
    # cue by cue: no joining, each cue translated alone
    alone = dubdesk.translate_track(dubdesk.load(path), "ru", engine=engine, memory=False, context="cue")
    assert (alone.report.merged, alone.report.context) == (0, "cue")


def test_aligned_cuts_survive_the_translation_memory(tmp_path: Path) -> None:
    words = {"Alpha": "one two three", "beta": "b", "gamma": "g", "delta": "d", "epsilon": "e"}
    engine = ArgosEngine(
        toymodel.build_argos_package(tmp_path / "perm", "en", "ru", words, extracted=True, attend=[2, 1, 0, 4, 3, 5, 6])
    )
    path = tmp_path / "p.en.srt"
    path.write_text(PERMUTED, "utf-8")
    memory = tmp_path / "tm.sqlite"
    first = dubdesk.translate_track(dubdesk.load(path), "ru", engine=engine, memory=memory)
    again = dubdesk.translate_track(dubdesk.load(path), "ru", engine=engine, memory=memory)
    assert again.report.translated == 0 and again.report.cache_hits == first.report.texts
    assert [e.text for e in again.track.events] == ["G b one two three", "e d."]
    assert again.report.aligned == 2


class Flat:
    """Wraps an aligning engine and drops every link: a flat alignment."""

    def __init__(self, inner: ArgosEngine) -> None:
        self.inner = inner
        self.id = inner.id

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        return self.inner.translate_batch(texts, source, target)

    def translate_aligned(self, texts: list[str], source: str, target: str) -> list[alignment.Aligned]:
        return [alignment.Aligned(a.text) for a in self.inner.translate_aligned(texts, source, target)]


def test_flat_alignment_falls_back_to_proportion_and_says_so(
    tmp_path: Path, copy_models: dict[tuple[str, str], ArgosEngine]
) -> None:
    path = tmp_path / "s.ru.ass"
    path.write_text(ASS_RU, "utf-8")
    result = dubdesk.translate_track(dubdesk.load(path), "kk", engine=Flat(copy_models[("ru", "kk")]), memory=False)
    assert result.report.fallback == [1, 2, 3, 4] and result.report.aligned == 0
    assert "4 cut by proportion (cues 1, 2, 3, 4)" in result.report.summary()
    assert result.report.to_dict()["fallback"] == [1, 2, 3, 4]


def test_cut_points_vote_and_stay_monotone() -> None:
    text = "aa bb cc dd"
    links = [alignment.Link(0, 2, 0, 1), alignment.Link(3, 5, 2, 3), alignment.Link(6, 8, 10, 11),
             alignment.Link(9, 11, 12, 13)]
    assert alignment.cut_points(text, links, [5]) == [6]
    # a stray link (bb into cue 2) is outvoted: the cut stays where most words say
    words = "aa bb cc dd ee ff"
    sources = [0, 12, 2, 4, 14, 16]  # source offsets; cue 2 starts at 10
    votes = [alignment.Link(3 * i, 3 * i + 2, s, s + 1) for i, s in enumerate(sources)]
    assert alignment.cut_points(words, votes, [10]) == [12]
    # too few links: flat
    assert alignment.cut_points(text, links[:1], [5]) is None


# --------------------------------------------------------------------------- long inputs


LONG_WORDS = ("Композитор приехал в Алматы зимой, и музыка звучала до утра. " * 40).strip()


@pytest.mark.parametrize("stated", [True, False], ids=["limit-in-config", "limit-learnt"])
def test_a_2000_character_cue_is_translated_in_parts(tmp_path: Path, stated: bool) -> None:
    package = toymodel.build_argos_package(
        tmp_path / "short", "ru", "kk", extracted=True, max_positions=256, state_limit=stated
    )
    engine = ArgosEngine(package)
    assert engine.position_limit == (256 if stated else None)
    text = LONG_WORDS[:2000].rsplit(" ", 1)[0]
    assert len(text) > 1900 and len(engine.tokenize([text])[0]) > 256
    path = tmp_path / "long.ru.srt"
    path.write_text(f"1\n00:00:01,000 --> 00:00:09,000\n{text}\n\n2\n00:00:10,000 --> 00:00:11,000\nКонец.\n", "utf-8")
    result = dubdesk.translate_track(dubdesk.load(path), "kk", engine=engine, memory=False, profile=5000)
    assert [segments.decode(e.text).visible for e in result.track.events] == [text, "Конец."]
    assert engine.position_limit == 256 and result.report.flagged == []


class FailsOn:
    """An engine that fails (as CTranslate2 does) on any call that contains ``bad``."""

    id = "fails-on"

    def __init__(self, bad: str | None) -> None:
        self.bad = bad

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        if self.bad is None or self.bad in texts:
            raise RuntimeError("No position encodings are defined for positions >= 256, but got position 300")
        return [t.upper() for t in texts]


def test_a_cue_the_engine_fails_on_is_flagged_and_the_rest_translated(tmp_path: Path) -> None:
    path = tmp_path / "f.ru.srt"
    path.write_text("".join(f"{i}\n00:00:0{i},000 --> 00:00:0{i},500\nреплика {i}.\n\n" for i in range(1, 6)), "utf-8")
    result = dubdesk.translate_track(dubdesk.load(path), "kk", engine=FailsOn("реплика 3."), memory=False)
    assert [e.text for e in result.track.events] == ["РЕПЛИКА 1.", "РЕПЛИКА 2.", "реплика 3.", "РЕПЛИКА 4.", "РЕПЛИКА 5."]
    (flag,) = result.report.flagged
    assert flag.cue == 3 and flag.reasons == [
        "not translated: No position encodings are defined for positions >= 256, but got position 300"
    ]


def test_an_engine_that_fails_on_everything_is_one_error_naming_model_and_cue(tmp_path: Path) -> None:
    path = tmp_path / "f.ru.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nОдин.\n\n2\n00:00:03,000 --> 00:00:04,000\nДва.\n", "utf-8")
    with pytest.raises(TranslationError, match=r"fails-on failed on cue 1: No position encodings"):
        dubdesk.translate_track(dubdesk.load(path), "kk", engine=FailsOn(None), memory=False)


def test_engine_errors_name_the_model(tmp_path: Path, monkeypatch: Any) -> None:
    engine = ArgosEngine(toymodel.build_argos_package(tmp_path / "m", "ru", "kk", extracted=True))

    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("out of memory")

    monkeypatch.setattr(engine, "translator", type("T", (), {"translate_batch": staticmethod(broken)})())
    with pytest.raises(TranslationError, match=r"^model m failed: out of memory$"):
        engine.translate_batch(["Привет."], "ru", "kk")


def test_split_to_fit_prefers_sentences_then_clauses_then_words() -> None:
    from dubdesk.translate.limits import split_to_fit

    text = "One two three. Four five, six seven eight. Nine"
    words = lambda s: len(s.split())  # noqa: E731
    assert split_to_fit(text, words, 5) == ["One two three. ", "Four five, six seven eight. ", "Nine"]
    assert split_to_fit(text, words, 3) == ["One two three. ", "Four five, ", "six seven eight. ", "Nine"]
    assert split_to_fit("a b c d e", words, 2) == ["a b ", "c d ", "e"]
    for budget in (1, 2, 4, 9):
        assert "".join(split_to_fit(text, words, budget)) == text


def test_a_cue_without_visible_text_never_reaches_the_model(tmp_path: Path) -> None:
    sent: list[str] = []

    class Upper:
        id = "upper"

        def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
            sent.extend(texts)
            return [t.upper() for t in texts]

    events = ASS_RU.split("[Events]")[0] + "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    events += "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\an8}{\\fad(200,200)}\n"
    events += "Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,{\\an8}Кто он?\n"
    path = tmp_path / "t.ru.ass"
    path.write_text(events, "utf-8")
    result = dubdesk.translate_track(dubdesk.load(path), "kk", engine=Upper(), memory=False)
    assert sent == ["Кто он?"]
    assert [e.text for e in result.track.events] == ["{\\an8}{\\fad(200,200)}", "{\\an8}КТО ОН?"]


def test_pivot_and_multilingual_engines_align_too(tmp_path: Path) -> None:
    from dubdesk.translate.engines import PivotEngine, supports_alignment
    from dubdesk.translate.multilingual import MultilingualEngine

    first = ArgosEngine(toymodel.build_argos_package(tmp_path / "zh_en", "zh-Hans", "en", extracted=True))
    second = ArgosEngine(toymodel.build_argos_package(tmp_path / "en_kk", "en", "kk", extracted=True))
    multi = MultilingualEngine(toymodel.build_multilingual_model(tmp_path / "m2m", ["zh-Hans", "ru", "kk"]))
    for engine, target in ((PivotEngine(first, second), "kk"), (multi, "kk")):
        assert supports_alignment(engine)
        for name, text, source in (("zh-Hans.srt", SRT_ZH, "zh-Hans"), ("ru.ass", ASS_RU, "ru")):
            if source == "ru" and engine is not multi:
                continue
            path = tmp_path / f"x.{name}"
            path.write_text(text, "utf-8")
            track = dubdesk.load(path)
            result = dubdesk.translate_track(track, target, engine=engine, memory=False)
            assert result.report.fallback == [] and result.report.aligned > 0, (engine, name)
            assert [visible_and_tags(e.text) for e in result.track.events] == [
                visible_and_tags(e.text) for e in track.events
            ]


def test_cli_reports_context_and_alignment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from click.testing import CliRunner

    from dubdesk.cli import cli
    from dubdesk.translate import models
    from translate_helpers import isolate_model_dirs

    isolate_model_dirs(monkeypatch, tmp_path)
    models.install(toymodel.build_argos_package(tmp_path / "fr_en.argosmodel", "fr", "en"))
    path = tmp_path / "scene.fr.srt"
    path.write_text(SRT_FR, "utf-8")
    out = tmp_path / "scene.en.srt"
    run = CliRunner().invoke(cli, ["translate", str(path), "--to", "en", "-o", str(out), "--no-memory", "--json"])
    assert run.exit_code == 0, run.output
    data = json.loads(run.output)
    assert (data["context"], data["merged"], data["aligned"], data["fallback"]) == ("sentence", 6, 6, [])
    run = CliRunner().invoke(
        cli, ["translate", str(path), "--to", "en", "-o", str(out), "--no-memory", "--json", "--context", "cue"]
    )
    assert run.exit_code == 0, run.output
    assert (json.loads(run.output)["context"], json.loads(run.output)["merged"]) == ("cue", 0)
    assert out.read_text("utf-8").count("puis, j'emmènerai") == 1


def test_piece_spans_map_a_normalised_decoding_onto_the_text() -> None:
    # a tokenizer that normalises (NFKC: full-width comma -> ",") and drops a double space
    text = "他没有家，  也没有"
    decodings = ["他", "他没有", "他没有家,", "他没有家, 也", "他没有家, 也没有"]
    assert alignment.piece_spans(decodings, text) == [(0, 1), (1, 3), (3, 5), (7, 8), (8, 10)]
    assert alignment.piece_spans(["a", "a b"], "a b") == [(0, 1), (2, 3)]


class BlindTo:
    """Wraps an aligning engine and drops the links into source characters ``[start, end)`` of each text."""

    def __init__(self, inner: ArgosEngine, needle: str) -> None:
        self.inner, self.needle, self.id = inner, needle, inner.id

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        return self.inner.translate_batch(texts, source, target)

    def translate_aligned(self, texts: list[str], source: str, target: str) -> list[alignment.Aligned]:
        out = []
        for text, aligned in zip(texts, self.inner.translate_aligned(texts, source, target), strict=True):
            start = text.find(self.needle)
            end = start + len(self.needle) if start >= 0 else -1
            out.append(alignment.Aligned(aligned.text, [k for k in aligned.links if not start <= k.s0 < end]))
        return out


def test_only_the_cues_nothing_aligns_to_are_cut_in_proportion(
    tmp_path: Path, copy_models: dict[tuple[str, str], ArgosEngine]
) -> None:
    path = tmp_path / "s.fr.srt"
    path.write_text(SRT_FR, "utf-8")
    track = dubdesk.load(path)
    engine = BlindTo(copy_models[("fr", "en")], "très lentement, vers la mer")
    result = dubdesk.translate_track(track, "en", engine=engine, memory=False)
    # cue 5 has no link: it joins cue 4 and the boundary between them is cut in proportion; where
    # cue 6 starts is still known from the alignment
    assert result.report.fallback == [4, 5] and result.report.aligned == 4
    assert [visible_and_tags(e.text) for e in result.track.events] == [visible_and_tags(e.text) for e in track.events]
    links = [alignment.Link(0, 2, 0, 2), alignment.Link(6, 8, 20, 22)]
    assert alignment.cut_points("aa bb cc", links, [5, 15]) == [None, 6]
    assert alignment.cut_points("aa bb cc dd", [*links, alignment.Link(9, 11, 30, 31)], [5, 15, 25]) == [None, 6, 9]

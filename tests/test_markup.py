"""Markup is markup everywhere: WebVTT timestamps, classes, voices, ruby and ASS drawings are
invisible to QA counting, glossary matching, reflow and translation, and survive a round trip."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import dubdesk
from dubdesk import markup
from dubdesk.glossary import apply_glossary, check_glossary
from dubdesk.markup import Kind
from dubdesk.qa import fix_track, run_qa
from dubdesk.text.reflow import reflow
from glossary_helpers import glossary
from qa_helpers import make_track

DATA = Path(__file__).parent / "data" / "markup"
YOUTUBE = DATA / "youtube-autocaptions.en.vtt"
DRAWING = DATA / "typesetting-drawing.ru.ass"


class Upper:
    """An engine that upper-cases and remembers what it was asked to translate."""

    id = "upper"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        self.seen.extend(texts)
        return [t.upper() for t in texts]


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind.value, t.raw) for t in markup.tokenize(text)]


# --- the tokenizer -------------------------------------------------------------------------------


def test_webvtt_timestamp_and_class_tags_are_tags() -> None:
    text = "when<00:00:00.520><c> the</c><00:17.500><c.red.caps> moon</c>"
    assert kinds(text) == [
        ("text", "when"), ("tag", "<00:00:00.520>"), ("tag", "<c>"), ("text", " the"), ("tag", "</c>"),
        ("tag", "<00:17.500>"), ("tag", "<c.red.caps>"), ("text", " moon"), ("tag", "</c>"),
    ]  # fmt: skip
    assert markup.visible(text) == "when the moon"
    assert markup.is_timestamp_tag("<00:17.500>") and markup.is_timestamp_tag("<123:00:01.234>")
    assert not markup.is_timestamp_tag("<00:61.500>")  # not a time: left as text
    assert markup.visible("a <00:61.500> b") == "a <00:61.500> b"
    assert markup.html_tag("<c.red.caps>") == ("c", False, False)
    assert markup.html_tag("<v Roger Bingham>") == ("v", False, False)
    assert markup.html_tag("<00:17.500>") is None


def test_ass_drawing_path_is_hidden_until_p0() -> None:
    text = r"{\an7\pos(812,402)\p1}m 0 0 l 296 0 296 84 0 84{\p0}Театр{\pos(1,1)}"
    assert kinds(text) == [
        ("tag", r"{\an7\pos(812,402)\p1}"), ("drawing", "m 0 0 l 296 0 296 84 0 84"), ("tag", r"{\p0}"),
        ("text", "Театр"), ("tag", r"{\pos(1,1)}"),
    ]  # fmt: skip
    assert markup.visible(text) == "Театр"
    # no \p0: the drawing runs to the end of the cue; \pos and \pbo are not \p
    assert kinds(r"{\p1}m 0 0 l 10 0") == [("tag", r"{\p1}"), ("drawing", "m 0 0 l 10 0")]
    assert markup.visible(r"{\pos(1,2)\pbo3}text") == "text"
    assert markup.has_drawing(r"{\p1}m 0 0 l 10 0") and not markup.has_drawing(r"{\pos(1,2)}x")


def test_ruby_reading_is_not_visible_text() -> None:
    text = "<ruby>漢<rt>かん</rt>字<rt>じ</ruby>を読む"  # the second <rt> is closed by </ruby> (WebVTT)
    assert [k for k, _ in kinds(text)].count("ruby") == 2
    assert markup.visible(text) == "漢字を読む"


def test_hidden_tokens_are_kept_verbatim() -> None:
    for text in (YOUTUBE.read_text(), DRAWING.read_text()):
        assert markup.join(markup.tokenize(text)) == text
    assert {t.kind for t in markup.tokenize(r"{\p1}m 0 0{\p0}<rt>x</rt>") if t.hidden} == {
        Kind.TAG, Kind.DRAWING, Kind.RUBY,
    }  # fmt: skip


_PIECES = st.sampled_from([
    "a", "Б", "字", " ", "\\N", "\\n", "\\h", "{\\i1}", "{\\i0}", "{\\p1}", "{\\p0}", "m 0 0 l 1 1", "<i>", "</i>",
    "<c.red>", "</c>", "<v Roger>", "</v>", "<ruby>", "<rt>", "</rt>", "</ruby>", "<00:00:01.234>", "<00:17.500>",
    "<", ">", "{", "}", "\\", "p1", "<rt", "\x00", "i>", "N", "h", "\t", "\n", "{x}", "/", "\u00a0",
])  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=12).map("".join), max_size=6))
def test_visible_forms_agree_with_the_tokens(texts: list[str]) -> None:
    by_tokens = ["".join(t.visible for t in markup.tokenize(x)) for x in texts]
    assert [markup.visible(x) for x in texts] == by_tokens
    assert markup.visible_many(texts) == by_tokens
    for x in texts:
        assert markup.join(markup.tokenize(x)) == x
        # the visible map (its fast path for tag-only cues included) agrees with the tokens too
        shown, offsets = markup.visible_map(x)
        assert shown == by_tokens[texts.index(x)]
        assert len(offsets) == len(shown) + 1 and offsets[-1] == len(x)
        expected = []
        for t in markup.tokenize(x):
            if t.kind is Kind.TEXT:
                expected += range(t.start, t.end)
            elif t.kind in (Kind.BREAK, Kind.SPACE):
                expected.append(t.start)
        assert offsets[:-1] == expected


# --- QA ------------------------------------------------------------------------------------------


def test_youtube_autocaptions_count_words_not_timestamps() -> None:
    track = dubdesk.load(YOUTUBE)
    report = run_qa(track)
    assert not [f for f in report.findings if f.rule in ("line-too-long", "unbalanced-tags")]
    cue = track.events[2].text  # "when the moon hits your eye\Nlike<00:00:02.880><c> a</c>…"
    assert markup.lines(cue) == ["when the moon hits your eye", "like a big pizza pie"]


def test_timestamp_tags_do_not_make_a_line_too_long() -> None:
    line = "When the moon <00:17.500>hits your eye"  # 24 visible characters, 35 raw
    text = "<00:00:01.000>" + line.replace(" ", "<00:00:01.100><c> ", 1) + "</c>"
    assert len(text) > 42
    track = make_track([(0, 3000, text)], language="en", fmt="vtt")
    assert not [f for f in run_qa(track).findings if f.rule in ("line-too-long", "reading-speed")]
    assert [f.rule for f in run_qa(make_track([(0, 3000, text.replace("<", "(").replace(">", ")"))], "en", "vtt"))
            .findings if f.rule == "line-too-long"] == ["line-too-long"]  # fmt: skip


def test_voice_without_end_tag_is_no_qa_error() -> None:
    track = make_track(
        [(0, 2000, "<v Roger>Hi there"), (3000, 5000, "<v.loud Anna>Hello</v>"), (6000, 8000, "<i>open")],
        language="en", fmt="vtt",
    )  # fmt: skip
    bad = [(f.cue, f.data["problems"]) for f in run_qa(track).findings if f.rule == "unbalanced-tags"]
    assert bad == [(3, ["<i> not closed"])]


def test_drawing_is_not_counted_and_a_drawing_cue_is_not_empty() -> None:
    track = dubdesk.load(DRAWING)
    findings = {(f.cue, f.rule) for f in run_qa(track).findings}
    assert (2, "empty") not in findings and (5, "empty") not in findings
    assert not {
        rule for cue, rule in findings if cue in (2, 5)
    }  # a shape has no reading speed or line length
    assert (4, "line-too-long") in findings  # the text after the drawing is measured, 60 characters
    long_line = next(f for f in run_qa(track).findings if (f.cue, f.rule) == (4, "line-too-long"))
    assert long_line.data["chars"] == 60


def test_fix_never_breaks_inside_a_drawing() -> None:
    track = dubdesk.load(DRAWING)
    before = [e.text for e in track.events]
    fixed, _ = fix_track(track, only=["line-too-long"])
    text = fixed.events[3].text
    drawing = [t.raw for t in markup.tokenize(before[3]) if t.kind is Kind.DRAWING]
    assert [t.raw for t in markup.tokenize(text) if t.kind is Kind.DRAWING] == drawing
    assert text.count("\\N") == 1 and text.index("\\N") > text.index("{\\p0}")
    assert all(len(line) <= 42 for line in markup.lines(text))
    assert [e.text for i, e in enumerate(fixed.events) if i != 3] == [
        t for i, t in enumerate(before) if i != 3
    ]


def test_reflow_keeps_timestamp_tags_whole() -> None:
    text = "when<00:00:00.520><c> the</c><00:00:00.680><c> moon</c><00:00:01.040><c> hits</c> your eye like a big pie"
    out = reflow(text, "en", max_chars=24)
    assert [t.raw for t in markup.tokenize(out) if t.hidden] == [
        t.raw for t in markup.tokenize(text) if t.hidden
    ]
    assert len(markup.lines(out)) == 2 and all(len(line) <= 24 for line in markup.lines(out))


# --- round trips ---------------------------------------------------------------------------------


def test_same_format_round_trips_are_exact() -> None:
    for path in (YOUTUBE, DRAWING):
        assert dubdesk.dumps(dubdesk.load(path)) == path.read_text(encoding="utf-8")


# --- glossary ------------------------------------------------------------------------------------


def test_glossary_variant_split_by_a_timestamp_tag_is_caught() -> None:
    g = glossary()
    plain = make_track([(0, 2000, "Он встретился с Сиань Синхаем.")], language="ru", fmt="vtt")
    tagged = make_track([(0, 2000, "Он встретился с Сиань<00:00:01.500> Синхаем.")], language="ru", fmt="vtt")
    found_plain = [(f.kind, f.entry) for f in check_glossary(plain, g).findings]
    assert found_plain and found_plain == [(f.kind, f.entry) for f in check_glossary(tagged, g).findings]
    fixed, _ = apply_glossary(tagged, g)  # the approved form goes in, the timestamp stays where it was
    assert fixed.events[0].text == "Он встретился с Сянь<00:00:01.500> Синхаем."
    drawn = make_track([(0, 2000, r"{\p1}m 0 0 l 10 0{\p0}Сиань Синхаем")], language="ru", fmt="ass")
    assert apply_glossary(drawn, g)[0].events[0].text == r"{\p1}m 0 0 l 10 0{\p0}Сянь Синхаем"


# --- translation ---------------------------------------------------------------------------------


def test_drawing_cue_never_reaches_the_model_and_tags_stay_in_place() -> None:
    track = dubdesk.load(DRAWING)
    engine = Upper()
    out = dubdesk.translate_track(track, "en", source="ru", engine=engine, memory=False).track
    assert not any("m 0 0" in t for t in engine.seen)  # no drawing path sent, alone or inside a sentence
    assert out.events[1].text == track.events[1].text  # a cue that is only a drawing: untouched
    assert out.events[4].text == track.events[4].text
    drawing_cue = out.events[3].text
    assert drawing_cue.startswith(track.events[3].text.split("{\\fs48}")[0] + "{\\fs48}")
    assert "КОМПОЗИТОР" in drawing_cue


def test_youtube_timestamps_are_kept_in_place_not_translated() -> None:
    track = dubdesk.load(YOUTUBE)
    engine = Upper()
    out = dubdesk.translate_track(track, "ru", source="en", engine=engine, memory=False).track
    assert not any("<" in t or "00:00" in t for t in engine.seen)
    for before, after in zip(track.events, out.events, strict=True):
        tags = [t.raw for t in markup.tokenize(before.text) if t.hidden]
        assert [t.raw for t in markup.tokenize(after.text) if t.hidden] == tags
        assert (
            markup.visible(after.text).replace("\n", " ").split()
            == markup.visible(before.text).upper().split()
        )


def test_lint_sees_the_same_visible_text(tmp_path: Path) -> None:
    assert dubdesk.lint_file(DRAWING).issues == []  # a drawing-only cue is not an empty cue
    path = tmp_path / "karaoke.vtt"
    path.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\n<00:00.500><c></c>\n\n00:01.000 --> 00:02.000\nok\n")
    assert [(i.code, i.cue) for i in dubdesk.lint_file(path).issues] == [("empty-cue", 1)]


def test_convert_dedupe_rolling_makes_plain_cues(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from dubdesk.cli import cli

    out = tmp_path / "plain.srt"
    result = CliRunner().invoke(cli, ["convert", str(YOUTUBE), "-o", str(out), "--dedupe-rolling"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == (
        "1\n00:00:00,000 --> 00:00:02,350\nwhen the moon hits your eye\n\n"
        "2\n00:00:02,360 --> 00:00:05,110\nlike a big pizza pie\n\n"
        "3\n00:00:05,120 --> 00:00:07,500\nthat is amore\n"
    )
    plain = tmp_path / "rolling.srt"  # without the flag: five cues, every line shown two or three times
    assert CliRunner().invoke(cli, ["convert", str(YOUTUBE), "-o", str(plain)]).exit_code == 0
    assert len(dubdesk.load(plain).events) == 5


def test_dedupe_rolling_leaves_ordinary_cues_alone() -> None:
    from dubdesk.rolling import dedupe_rolling

    track = dubdesk.load(DRAWING)  # a drawing-only cue is not a repeat; ASS overrides stay
    assert [e.text for e in dedupe_rolling(track).events] == [e.text for e in track.events]
    repeated = make_track(
        [(0, 1000, "<i>Кто он?</i>"), (1000, 2000, "Кто он?\\NКомпозитор."), (2000, 2010, "Композитор.")]
    )
    assert [e.text for e in dedupe_rolling(repeated).events] == ["<i>Кто он?</i>", "Композитор."]


def test_ruby_and_voices_in_a_real_shaped_webvtt_file() -> None:
    path = DATA / "ruby-voices.zh-Hans.vtt"
    track = dubdesk.load(path)
    assert dubdesk.dumps(track) == path.read_text(encoding="utf-8")
    first = track.events[0].text
    assert (
        markup.visible(first) == "一九四二年，冼星海来到阿拉木图。"
    )  # 16 characters: the zh-Hans limit, rubies aside
    assert run_qa(track).findings == []  # no line-too-long from the pinyin, no unclosed <v>
    found = glossary().matcher("zh-Hans").find(markup.visible(first))
    assert [m.entry.id for m in found] == ["xian-xinghai", "almaty"]

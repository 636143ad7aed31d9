"""Loading and saving: round trips, golden files, encodings, tolerances, bad input."""

from __future__ import annotations

import codecs
from pathlib import Path

import pysubs2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dubdesk
from dubdesk.errors import (
    DubdeskError,
    EncodeError,
    EncodingDetectionError,
    OutputExistsError,
    ParseError,
    SubtitleError,
)
from dubdesk.subtitles import detect_format, dumps, load, loads, require_cues, save

SRT = "1\n00:00:01,000 --> 00:00:02,500\nПривет, <i>мир</i>!\n\n2\n00:00:03,000 --> 00:00:04,000\n冼星海\n第二行\n"


def _cues(track: dubdesk.Track) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.text) for e in track.cues]


# ------------------------------------------------------------------ round trips (legal subset)

_word = st.text(alphabet="abcxyzАБВабвәғқңөұүһі冼星海拜卡达莫夫0123456789,.!?«»—", min_size=1, max_size=8)
_line = st.lists(_word, min_size=1, max_size=5).map(" ".join)


@st.composite
def _cue_text(draw: st.DrawFn) -> str:
    lines = draw(st.lists(_line, min_size=1, max_size=2))
    if draw(st.booleans()):
        lines[0] = "{\\i1}" + lines[0] + "{\\i0}"
    if draw(st.booleans()):
        lines[-1] = "{\\b1}" + lines[-1] + "{\\b0}"
    return "\\N".join(lines)


@st.composite
def _tracks(draw: st.DrawFn) -> list[tuple[int, int, str]]:
    n = draw(st.integers(1, 12))
    t = 0
    out = []
    for _ in range(n):
        t += draw(st.integers(0, 5000))
        dur = draw(st.integers(1, 8000))
        out.append((t, t + dur, draw(_cue_text())))
        t += dur
    return out


def _make(cues: list[tuple[int, int, str]]) -> dubdesk.Track:
    subs = pysubs2.SSAFile()
    subs.events = [pysubs2.SSAEvent(start=s, end=e, text=t) for s, e, t in cues]
    return dubdesk.Track(subs=subs)


@pytest.mark.parametrize("fmt", ["srt", "vtt", "ass", "ssa"])
@settings(max_examples=60, deadline=None)
@given(cues=_tracks())
def test_round_trip_keeps_times_text_and_tags(fmt: str, cues: list[tuple[int, int, str]]) -> None:
    if fmt in ("ass", "ssa"):  # the legal subset of ASS times: centiseconds
        cues = [(s // 10 * 10, max(e // 10 * 10, s // 10 * 10 + 10), t) for s, e, t in cues]
    back = loads(dumps(_make(cues), fmt), fmt=fmt)
    assert _cues(back) == cues


@settings(max_examples=40, deadline=None)
@given(cues=_tracks(), enc=st.sampled_from(["utf-8", "utf-16", "gb18030"]))
def test_round_trip_through_bytes_in_unicode_encodings(cues: list[tuple[int, int, str]], enc: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    out = tmp_path_factory.mktemp("rt") / "x.srt"
    save(_make(cues), out, encoding=enc)
    # legacy codepages are detected on real text (test_encodings); arbitrary short text needs the name
    assert _cues(load(out, encoding=None if enc.startswith("utf") else enc)) == cues


def test_ass_round_trip_keeps_styles_actors_comments_unknown_sections(tmp_path: Path, samples: Path) -> None:
    src = samples / "composer.kk.ass"
    extra = src.read_text(encoding="utf-8-sig") + "\n[Custom Studio Notes]\nreviewer: Айгүл\nstatus: draft\n"
    path = tmp_path / "in.ass"
    path.write_text(extra, encoding="utf-8")
    track = load(path)
    out = tmp_path / "out.ass"
    save(track, out)
    written = out.read_text(encoding="utf-8")
    assert '; Kazakh draft of "The Composer" scene, dubdesk sample' in written
    assert "[Custom Studio Notes]\nreviewer: Айгүл\nstatus: draft" in written
    again = load(out)
    assert [(e.start, e.end, e.text, e.name, e.style, e.type) for e in again.events] == [
        (e.start, e.end, e.text, e.name, e.style, e.type) for e in track.events
    ]
    assert again.subs.styles.keys() == track.subs.styles.keys()
    assert again.subs.styles["Narrator"].italic and again.subs.styles["Sign"].bold
    assert again.events[0].is_comment


def test_unknown_html_and_ass_tags_survive_srt_round_trip(tmp_path: Path) -> None:
    text = '1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<font color="#ffff00">Музыка</font> <b>звучала</b>\n'
    track = loads(text.encode(), fmt="srt")
    assert track.events[0].text == '{\\an8}<font color="#ffff00">Музыка</font> {\\b1}звучала{\\b0}'
    assert dumps(track, "srt") == text


def test_ass_overrides_become_srt_tags_or_are_dropped() -> None:
    track = _make([(0, 1000, r"{\fs15}{\pos(10,20)}Кто{\c&HFF&} он{\1c&H80FFFFFF&}?{\i1}\N{Note}жоқ")])
    track.source.format = "ass"
    assert dumps(track, "srt") == (
        '1\n00:00:00,000 --> 00:00:01,000\nКто<font color="#ff0000"> он</font><font color="#ffffff">?<i>\n'
        "жоқ</i></font>\n"
    )


def test_italic_style_stays_italic_in_srt_around_its_own_italic_overrides() -> None:
    """An italic style (a narrator) is italic state from the start: a bilingual review line's own
    {\\i1}…{\\i0} must not cost the target line its italics, and {\\i0} inside still ends them."""
    track = _make([(0, 1000, r"Ол келді.\N{\i1\fs15}Он пришёл.{\i0}"), (1000, 2000, r"{\an8}{\i0}Кто{\i1} он?"),
                   (2000, 3000, r"курсив {\r}снова"), (3000, 4000, r"Ол келді.\N{\i1\fs15}Он пришёл.{\i0}")])  # fmt: skip
    track.subs.styles["Narrator"] = pysubs2.SSAStyle(italic=True)
    for event in track.events[:3]:
        event.style = "Narrator"
    track.source.format = "ass"
    assert [block.split("\n", 2)[2] for block in dumps(track, "srt").strip().split("\n\n")] == [
        "<i>Ол келді.\nОн пришёл.</i>",
        "{\\an8}Кто<i> он?</i>",
        "<i>курсив снова</i>",
        "Ол келді.\n<i>Он пришёл.</i>",  # the Default style is not italic
    ]


def test_override_blocks_written_in_an_srt_file_survive_its_round_trip() -> None:
    # the file's author put them there (some players draw ASS tags in SRT): kept verbatim
    text = "1\n00:00:01,000 --> 00:00:02,000\n{\\pos(10,20)}Музыка {Note}<i>звучала</i>\n"
    track = loads(text.encode(), fmt="srt")
    assert dumps(track, "srt") == text
    track.source.format = "ass"  # the same text from an ASS file: what SRT cannot say is dropped
    assert dumps(track, "srt") == "1\n00:00:01,000 --> 00:00:02,000\nМузыка <i>звучала</i>\n"


# ------------------------------------------------------------------ normalisation of illegal input


def test_lone_cr_does_not_survive_srt_and_that_is_correct() -> None:
    track = loads(b"1\r00:00:01,000 --> 00:00:02,000\rline one\rline two\r", fmt="srt")
    assert track.events[0].text == "line one\\Nline two"
    assert track.source.line_endings == "CR"
    assert "\r" not in dumps(track, "srt")


def test_blank_lines_inside_cue_text_collapse_on_write() -> None:
    track = _make([(0, 1000, "a\\N\\Nb")])
    assert dumps(track, "srt") == "1\n00:00:00,000 --> 00:00:01,000\na\nb\n"


def test_negative_times_are_refused_on_write_naming_fix() -> None:
    with pytest.raises(SubtitleError, match=r"cue 1 starts at -0\.500 s.*dubdesk fix"):
        dumps(_make([(-500, 1000, "x")]), "srt")


# ------------------------------------------------------------------ tolerances, each from a file that needs it

TOLERANT = {
    "crlf": b"1\r\n00:00:01,000 --> 00:00:02,000\r\nhello\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\nworld\r\n",
    "lone-cr": b"1\r00:00:01,000 --> 00:00:02,000\rhello\r\r2\r00:00:03,000 --> 00:00:04,000\rworld\r",
    "no-final-newline": b"1\n00:00:01,000 --> 00:00:02,000\nhello\n\n2\n00:00:03,000 --> 00:00:04,000\nworld",
    "no-blank-between-blocks": b"1\n00:00:01,000 --> 00:00:02,000\nhello\n2\n00:00:03,000 --> 00:00:04,000\nworld\n",
    "bom": b"\xef\xbb\xbf1\n00:00:01,000 --> 00:00:02,000\nhello\n\n2\n00:00:03,000 --> 00:00:04,000\nworld\n",
    "stray-whitespace": b"  1  \n 00:00:01,000  -->  00:00:02,000 \n  hello   \n \n\n2\n00:00:03,000 --> 00:00:04,000\t\nworld  \n\n\n",
    "4-digit-ms": b"1\n00:00:01,0000 --> 00:00:02,0000\nhello\n\n2\n00:00:03,0004 --> 00:00:04,0009\nworld\n",
    "1-digit-ms": b"1\n00:00:01,0 --> 00:00:02,0\nhello\n\n2\n00:00:03,0 --> 00:00:04,0\nworld\n",
}


@pytest.mark.parametrize("case", sorted(TOLERANT))
def test_tolerated_srt_mess(case: str, tmp_path: Path) -> None:
    path = tmp_path / f"{case}.srt"
    path.write_bytes(TOLERANT[case])
    track = load(path)
    assert _cues(track) == [(1000, 2000, "hello"), (3000, 4000, "world")]


def test_fraction_digits_are_decimal_fractions() -> None:
    track = loads(b"1\n00:00:01,5 --> 00:00:02,25\nx\n\n2\n00:00:03,1234 --> 00:00:04,999\ny\n", fmt="srt")
    assert [(e.start, e.end) for e in track.events] == [(1500, 2250), (3123, 4999)]


def test_line_endings_and_bom_are_reported(samples: Path) -> None:
    ru = load(samples / "composer.ru.srt")
    kk = load(samples / "composer.kk.ass")
    assert (ru.source.line_endings, ru.source.bom) == ("CRLF", False)
    assert (kk.source.line_endings, kk.source.bom, kk.source.encoding_method) == ("LF", True, "bom")


# ------------------------------------------------------------------ encodings, each from a generated real file

ENCODED = [
    ("utf-8-sig", "ru", "Сянь Синхай приехал в Алматы", "utf-8", "bom"),
    ("utf-16-le", "kk", "Бақытжан Байқадамов мұнда", "utf-16-le", "bom"),
    ("utf-16-be", "kk", "Бақытжан Байқадамов мұнда", "utf-16-be", "bom"),
    ("gb18030", "zh-Hans", "冼星海从遥远的莫斯科来到阿拉木图。他没有家，也没有工作，只有音乐。", "gb18030", "detected"),
    ("big5", "zh-Hant", "冼星海從遙遠的莫斯科來到阿拉木圖。他沒有家，也沒有工作，只有音樂。", "big5", "detected"),
    ("cp1251", "ru", "Сянь Синхай приехал сюда из далёкой Москвы. У него не было ни дома, ни работы.", "cp1251", "detected"),
]


@pytest.mark.parametrize(("codec", "lang", "text", "expected", "method"), ENCODED)
def test_encodings(codec: str, lang: str, text: str, expected: str, method: str, tmp_path: Path) -> None:
    srt = f"1\n00:00:01,000 --> 00:00:04,000\n{text}\n\n2\n00:00:05,000 --> 00:00:08,000\n{text[::-1]}\n"
    data = srt.encode(codec)
    if codec == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path = tmp_path / f"ep1.{lang}.srt"
    path.write_bytes(data)
    track = load(path)
    assert track.language == lang
    assert codecs.lookup(track.source.encoding).name == codecs.lookup(expected).name
    assert track.source.encoding_method == method
    assert track.events[0].text == text


def test_sample_in_gb18030_is_detected(samples: Path) -> None:
    track = load(samples / "composer.zh-Hans.srt")
    assert track.source.encoding == "gb18030"
    assert track.events[1].text == "冼星海从遥远的莫斯科\\N来到这里。"


def test_save_in_legacy_encoding_on_request(tmp_path: Path, samples: Path) -> None:
    out = tmp_path / "zh.srt"
    save(load(samples / "composer.zh-Hans.srt"), out, encoding="gb18030")
    assert out.read_bytes() == (samples / "composer.zh-Hans.srt").read_bytes()


def test_unencodable_character_is_a_clear_error_and_nothing_written(tmp_path: Path, samples: Path) -> None:
    out = tmp_path / "kk.srt"
    with pytest.raises(EncodeError, match="cannot write"):
        save(load(samples / "composer.kk.ass"), out, encoding="cp1251")
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_wrong_given_encoding_is_refused(samples: Path) -> None:
    with pytest.raises(EncodingDetectionError, match="valid UTF-8"):
        load(samples / "composer.ru.srt", encoding="cp1251")
    with pytest.raises(EncodingDetectionError, match="cannot decode as utf-8") as exc:
        load(samples / "composer.zh-Hans.srt", encoding="utf-8")
    assert exc.value.line == 3


def test_low_confidence_guess_names_the_encoding_option(tmp_path: Path) -> None:
    path = tmp_path / "x.srt"
    path.write_bytes(b"1\n00:00:01,000 --> 00:00:02,000\n\xc1\xe0\n")  # two bytes: anything fits
    with pytest.raises(EncodingDetectionError) as exc:
        load(path)
    assert "--encoding" in exc.value.one_line()


# ------------------------------------------------------------------ formats and detection


@pytest.mark.parametrize(
    ("content", "name", "fmt"),
    [
        (SRT, "x.txt", "srt"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n", "x.srt", "vtt"),
        ("[Script Info]\nScriptType: v4.00+\n", "x.txt", "ass"),
        ("{10}{20}Hello!\n", "x.txt", "microdvd"),
        ("[10][20]Hello!\n", "x.txt", "mpl2"),
    ],
)
def test_format_detected_from_content(content: str, name: str, fmt: str) -> None:
    assert detect_format(content, name) == fmt


def test_every_pysubs2_format_loads_and_saves(tmp_path: Path) -> None:
    base = loads(SRT.encode(), fmt="srt")
    sami = tmp_path / "x.smi"
    sami.write_text(
        "<SAMI><BODY><SYNC Start=1000><P Class=RUCC>Привет, мир!<SYNC Start=2500><P Class=RUCC>&nbsp;"
        "<SYNC Start=3000><P Class=RUCC>冼星海<br>第二行<SYNC Start=4000><P Class=RUCC>&nbsp;</BODY></SAMI>",
        encoding="utf-8",
    )
    assert [e.start for e in load(sami).cues] == [1000, 3000]
    with pytest.raises(DubdeskError, match="SAMI"):
        save(base, tmp_path / "out.smi")
    for fmt in ("srt", "ass", "ssa", "vtt", "microdvd", "mpl2", "tmp", "ttml"):
        out = tmp_path / f"x.{fmt}"
        save(base, out, fmt=fmt, fps=25)
        back = load(out, fmt=fmt, fps=25)
        assert len(back.cues) == 2, fmt
        assert "мир" in back.events[0].text and "冼星海" in back.events[1].text, fmt


# ------------------------------------------------------------------ bad input and safety


def test_empty_file_is_empty_for_the_library_and_refused_for_people(tmp_path: Path) -> None:
    path = tmp_path / "e.srt"
    path.write_bytes(b"")
    track = load(path)
    assert track.events == [] and track.source.warnings[0].code == "empty-file"
    with pytest.raises(ParseError, match="file is empty"):
        require_cues(track)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.srt"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(ParseError, match="binary"):
        load(path)


def test_unknown_extension_and_content(tmp_path: Path) -> None:
    path = tmp_path / "notes.xyz"
    path.write_text("just some notes\nnothing timed\n", encoding="utf-8")
    with pytest.raises(DubdeskError, match=r"notes\.xyz: not a subtitle format dubdesk reads"):
        load(path)


def test_save_refuses_to_overwrite_its_input_unless_in_place(tmp_path: Path) -> None:
    path = tmp_path / "a.srt"
    path.write_text(SRT, encoding="utf-8")
    before = path.read_bytes()
    track = load(path)
    track.events[0].text = "changed"
    with pytest.raises(OutputExistsError):
        save(track, path)
    assert path.read_bytes() == before
    save(track, path, in_place=True)
    assert "changed" in path.read_text(encoding="utf-8")


def test_failed_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.srt"
    out.write_text("old", encoding="utf-8")
    import os

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(DubdeskError, match="No space left"):
        save(loads(SRT.encode(), fmt="srt"), out)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.srt"]


def test_errors_are_picklable() -> None:
    import pickle

    err = ParseError("bad", path="x.srt", line=3, hint="fix it")
    back = pickle.loads(pickle.dumps(err))
    assert (type(back), back.path, back.line, back.hint, str(back)) == (ParseError, "x.srt", 3, "fix it", "x.srt:3: bad (fix it)")


# ------------------------------------------------------------------ golden files: input beside expected output

GOLDEN = Path(__file__).parent / "data" / "golden"


@pytest.mark.parametrize("case", sorted(p.name for p in GOLDEN.iterdir()))
def test_golden(case: str) -> None:
    folder = GOLDEN / case
    source = next(folder.glob("input*"))
    expected = next(folder.glob("expected.*"))
    assert dumps(load(source), expected.suffix[1:]) == expected.read_text(encoding="utf-8")

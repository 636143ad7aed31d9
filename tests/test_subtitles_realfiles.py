"""Files from the wild: nothing dropped on load, unknown input refused, more formats, timestamps validated.

Each case is built from a file shaped like the real one that needed it.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import click.testing
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import dubdesk
from dubdesk.cli import cli
from dubdesk.errors import FormatDetectionError, ParseError, SubtitleError
from dubdesk.lint import lint_file
from dubdesk.qa import run_qa
from dubdesk.qa.fixes import fix_track
from dubdesk.subtitles import dumps, load, loads, save

# A sync tool shifted the first cues of a film before zero: one wholly negative, one straddling zero.
NEGATIVE_SRT = b"""1
-00:00:06,843 --> -00:00:02,850
Previously on...

2
-00:00:01,200 --> 00:00:01,500
Two cues fewer, and no one would say.

3
00:00:04,000 --> 00:00:06,500
The third cue.
"""


def _run(*args: str, input: bytes | None = None) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), input=input)


def _cues(track: dubdesk.Track) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.text) for e in track.cues]


# ------------------------------------------------------------------ negative times


def test_negative_times_are_kept_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "shifted.en.srt"
    path.write_bytes(NEGATIVE_SRT)
    track = load(path)
    assert [(s, e) for s, e, _ in _cues(track)] == [(-6843, -2850), (-1200, 1500), (4000, 6500)]
    assert track.source.skipped == 0
    assert [(w.line, w.code) for w in track.source.warnings] == [(2, "negative-time"), (6, "negative-time")]
    report = lint_file(path)
    assert [(i.code, i.line) for i in report.issues] == [("negative-time", 2), ("negative-time", 6)]  # no malformed-block
    qa = run_qa(track)
    assert [(f.rule, f.cue) for f in qa.findings if f.rule == "negative-time"] == [("negative-time", 1), ("negative-time", 2)]


def test_fix_moves_negative_cues_to_zero_or_later_without_losing_one(tmp_path: Path) -> None:
    track = loads(NEGATIVE_SRT, path="shifted.en.srt")
    fixed, changes = fix_track(track, only=["negative-time"])
    cues = _cues(fixed)
    assert len(cues) == 3 and [t for _, _, t in cues] == [t for _, _, t in _cues(track)]
    assert all(0 <= s < e for s, e, _ in cues)
    assert cues[0][1] <= cues[1][0] and cues[1][1] <= cues[2][0]  # in order, no overlap made
    assert cues[2][:2] == (4000, 6500)  # the rest of the track does not move
    assert [c.cue for c in changes] == [1, 2]
    # and through the CLI, the whole file
    src = tmp_path / "shifted.en.srt"
    src.write_bytes(NEGATIVE_SRT)
    result = _run("fix", str(src), "-o", str(tmp_path / "out.srt"))
    assert result.exit_code == 0, result.output
    assert len(load(tmp_path / "out.srt").cues) == 3


def test_writing_negative_times_is_an_error_naming_fix(tmp_path: Path) -> None:
    src = tmp_path / "shifted.srt"
    src.write_bytes(NEGATIVE_SRT)
    result = _run("convert", str(src), "-o", str(tmp_path / "out.vtt"))
    assert result.exit_code == 1
    assert "cannot hold times before zero" in result.output and "dubdesk fix" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out.vtt").exists()
    with pytest.raises(SubtitleError, match="dubdesk fix"):
        dumps(load(src), "ass")


# ------------------------------------------------------------------ skipped cues counted, strict load


# An SRT edited by hand: one timing line lost its comma and arrow.
DAMAGED_SRT = b"""1
00:00:01,000 --> 00:00:02,000
First.

2
00:00:03,000 -- 00:00:04.000
Damaged.

3
00:00:05,000 --> 00:00:06,000
Third.
"""


def test_a_cue_the_reader_cannot_take_is_warned_counted_and_strict_refuses(tmp_path: Path) -> None:
    path = tmp_path / "damaged.srt"
    path.write_bytes(DAMAGED_SRT)
    track = load(path)
    assert len(track.cues) == 2 and track.source.skipped == 1
    warning = next(w for w in track.source.warnings if w.skips)
    assert (warning.line, warning.code) == (6, "skipped-cue")  # the broken timing line
    data = json.loads(_run("info", "--json", str(path)).output)
    assert data["skipped"] == 1 and data["warnings"][0]["code"] == "skipped-cue"
    with pytest.raises(ParseError, match=r"damaged.srt:6: 1 cue\(s\) could not be read"):
        load(path, strict=True)
    assert len(load(tmp_path / "damaged.srt", strict=False).cues) == 2


def test_strict_load_of_a_clean_file_succeeds(tmp_path: Path) -> None:
    path = tmp_path / "clean.srt"
    path.write_bytes(NEGATIVE_SRT)
    assert len(load(path, strict=True).cues) == 3


# ------------------------------------------------------------------ unknown input and empty input


def test_unknown_content_is_an_error_in_the_library_naming_file_and_format(tmp_path: Path) -> None:
    notes = tmp_path / "episode.srt"
    notes.write_text("Translator's notes\nCall the studio about reel 3.\n", encoding="utf-8")
    with pytest.raises(FormatDetectionError, match=r"episode.srt: not a subtitle format dubdesk reads \(the name says SubRip"):
        load(notes)


def test_an_empty_file_stays_an_empty_document_for_the_library(tmp_path: Path) -> None:
    path = tmp_path / "empty.srt"
    path.write_bytes(b"")
    assert load(path).cues == []


@pytest.mark.parametrize("command", [
    ["info"], ["convert", "-o", "{out}.vtt"], ["lint"], ["qa", "--lang", "en"], ["fix", "--lang", "en", "-o", "{out}.srt"],
    ["translate", "--from", "en", "--to", "ru", "-o", "{out}.srt"],
    ["glossary", "check", "--glossary", "glossaries/composer.toml"],
    ["glossary", "apply", "--glossary", "glossaries/composer.toml", "-o", "{out}.srt"],
])
@pytest.mark.parametrize("content", [b"", b"\n\n", b"WEBVTT\n\nNOTE only a note\n"])
def test_every_command_refuses_input_with_no_cues(command: list[str], content: bytes, tmp_path: Path) -> None:
    name = "empty.vtt" if content.startswith(b"WEBVTT") else "empty.srt"
    path = tmp_path / name
    path.write_bytes(content)
    root = Path(__file__).resolve().parents[1]
    args = [a.replace("{out}", str(tmp_path / "out")).replace("glossaries/", str(root / "glossaries") + "/") for a in command]
    result = _run(*args[:2] if args[0] == "glossary" else args[:1], str(path), *(args[2:] if args[0] == "glossary" else args[1:]))
    assert result.exit_code in (1, 3), result.output
    assert "no subtitle cues" in result.output or "no-cues" in result.output or "empty" in result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.glob("out*"))


# ------------------------------------------------------------------ timestamps validated

IMPOSSIBLE_SRT = b"""1
00:00:01,000 --> 00:00:02,000
Fine.

2
99:99:99,999 --> 99:99:99,999
Impossible.
"""


def test_impossible_timestamps_are_lint_errors_with_the_line_and_never_written(tmp_path: Path) -> None:
    path = tmp_path / "bad.srt"
    path.write_bytes(IMPOSSIBLE_SRT)
    report = lint_file(path)
    assert ("bad-timing", 6) in [(i.code, i.line) for i in report.errors]
    assert "minutes 99 over 59" in report.errors[0].message or "seconds 99 over 59" in report.errors[0].message
    assert _run("lint", str(path)).exit_code == 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no raw pysubs2 RuntimeWarning
        result = _run("convert", str(path), "-o", str(tmp_path / "out.ass"))
    assert result.exit_code == 1 and "past the largest" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out.ass").exists()


def test_four_digit_fractions_follow_the_documented_rule() -> None:
    track = loads(b"1\n00:00:01,2345 --> 00:00:02,9999\nx\n", fmt="srt")
    assert _cues(track)[0][:2] == (1234, 2999)


# ------------------------------------------------------------------ SubViewer 1 and 2, LRC, MicroDVD without fps

SUBVIEWER2 = b"""[INFORMATION]
[TITLE]Record of Lodoss War
[AUTHOR]
[SOURCE]
[PRG]
[FILEPATH]
[DELAY]0
[CD TRACK]0
[COMMENT]
[END INFORMATION]
[SUBTITLE]
[COLF]&HFFFFFF,[STYLE]bd,[SIZE]18,[FONT]Arial
00:00:41.00,00:00:44.40
The Age of Gods was closing.[br]Eternity had come to an end.

00:00:55.00,00:00:58.40
The heavens shook as the armies of Falis, God of Light...
"""

SUBVIEWER1 = b"""[TITLE]
Record of Lodoss War
[AUTHOR]
Someone
[SOURCE]
[PRG]
[FILEPATH]
[DELAY]
0
[CD TRACK]
0
[BEGIN]
******** START SCRIPT ********
[00:00:41]
The Age of Gods was closing.|Eternity had come to an end.
[00:00:44]

[00:00:55]
The heavens shook.
[00:00:58]
"""

LRC = b"""[ar:Dean Martin]
[ti:That's Amore]
[length: 03:05]
[00:17.50]When the moon hits your eye
[00:21.00]<00:21.00>Like a <00:22.10>big pizza <00:23.40>pie
[00:25.00]
[00:26.00][01:10.00]That's amore
"""


def test_subviewer2_is_read_with_its_header_kept(tmp_path: Path) -> None:
    track = loads(SUBVIEWER2, path="lodoss.sub")
    assert track.source.format == "subviewer2"
    assert _cues(track) == [(41000, 44400, "The Age of Gods was closing.\\NEternity had come to an end."),
                            (55000, 58400, "The heavens shook as the armies of Falis, God of Light...")]
    assert dumps(track).encode().startswith(SUBVIEWER2.split(b"00:00:41")[0])
    assert _cues(loads(dumps(track), path="again.sub")) == _cues(track)


def test_subviewer1_is_read() -> None:
    track = loads(SUBVIEWER1, path="lodoss.sub")
    assert track.source.format == "subviewer1" and track.source.skipped == 0
    assert _cues(track) == [(41000, 44000, "The Age of Gods was closing.\\NEternity had come to an end."),
                            (55000, 58000, "The heavens shook.")]


def test_lrc_line_and_word_timing_with_end_times_from_the_next_line() -> None:
    track = loads(LRC, path="amore.lrc")
    assert track.source.format == "lrc"
    assert _cues(track) == [
        (17500, 21000, "When the moon hits your eye"),
        (21000, 25000, "{\\k110}Like a {\\k130}big pizza {\\k160}pie"),  # word times as karaoke; ends at the blank line
        (26000, 70000, "That's amore"),
        (70000, 185000, "That's amore"),  # the last line runs to [length:]
    ]
    assert dubdesk.markup.visible(track.cues[1].text) == "Like a big pizza pie"
    again = loads(dumps(track), path="again.lrc")
    assert _cues(again) == _cues(track)
    assert "[00:21.00]<00:21.00>Like a <00:22.10>big pizza <00:23.40>pie" in dumps(track)


def test_microdvd_without_a_frame_rate_assumes_23_976_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "film.sub"
    path.write_bytes(b"{0}{25}Hello!\n{50}{100}Second line|two\n")
    track = load(path)
    assert _cues(track)[0][:2] == (0, 1043)
    assert [w.code for w in track.source.warnings] == ["fps-assumed"] and "--fps" in track.source.warnings[0].message
    assert _cues(load(path, fps=25))[0][:2] == (0, 1000)


_text = st.text(alphabet="abcxyz АБВабвәғқ冼星海0123456789,.!?", min_size=1, max_size=20).map(str.strip).filter(bool)


@st.composite
def _timed(draw: st.DrawFn, unit: int, gaps: bool = True) -> list[tuple[int, int, str]]:
    n = draw(st.integers(1, 8))
    t = draw(st.integers(0, 100)) * unit
    cues = []
    for _ in range(n):
        start = t
        end = start + draw(st.integers(1, 500)) * unit
        cues.append((start, end, draw(_text)))
        t = end + (draw(st.integers(0, 50)) * unit if gaps else 0)
    return cues


def _track(cues: list[tuple[int, int, str]]) -> dubdesk.Track:
    import pysubs2

    subs = pysubs2.SSAFile()
    subs.events = [pysubs2.SSAEvent(start=s, end=e, text=t) for s, e, t in cues]
    return dubdesk.Track(subs=subs)


@pytest.mark.parametrize(("fmt", "unit"), [("subviewer2", 10), ("subviewer1", 1000), ("lrc", 10)])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_new_formats_round_trip(fmt: str, unit: int, data: st.DataObject) -> None:
    cues = data.draw(_timed(unit))
    text = dumps(_track(cues), fmt)
    back = loads(text, fmt=fmt)
    assert _cues(back) == cues
    assert back.source.skipped == 0


@settings(max_examples=40, deadline=None)
@given(cues=_timed(1000))
def test_microdvd_round_trip_at_the_assumed_frame_rate(cues: list[tuple[int, int, str]]) -> None:
    text = dumps(_track(cues), "microdvd", fps=25)
    assert [(s, e) for s, e, _ in _cues(loads(text, fmt="microdvd"))] == [(s, e) for s, e, _ in cues]


def test_sub_files_are_told_apart_by_content(tmp_path: Path) -> None:
    for name, data, fmt in (("a.sub", SUBVIEWER2, "subviewer2"), ("b.sub", SUBVIEWER1, "subviewer1"),
                            ("c.sub", b"{1}{1}25\n{0}{25}Hi\n", "microdvd")):
        path = tmp_path / name
        path.write_bytes(data)
        assert load(path).source.format == fmt
        save(load(path), tmp_path / f"{name}.srt")


# ------------------------------------------------------------------ the SRT fast path


@settings(max_examples=80, deadline=None)
@given(cues=_timed(1), tags=st.booleans(), crlf_like=st.sampled_from(["", "\n"]))
def test_srt_fast_path_reads_exactly_what_the_tolerant_parser_reads(
    cues: list[tuple[int, int, str]], tags: bool, crlf_like: str
) -> None:
    from dubdesk.formats import srt as srt_fmt

    texts = [(s, e, f"<i>{t}</i>\\N{t}" if tags else t) for s, e, t in cues]
    text = srt_fmt.compose([(s, e, srt_fmt.text_to_srt(t)) for s, e, t in texts]) + crlf_like
    fast = srt_fmt._parse_strict(text)
    assert fast is not None
    slow = srt_fmt.parse_tolerant(text)
    assert [(c.start, c.end, c.text, c.line, c.index) for c in fast.cues] == [
        (c.start, c.end, c.text, c.line, c.index) for c in slow.cues]
    assert fast.warnings == slow.warnings == []


@pytest.mark.parametrize("messy", [b"1\n00:00:01,000 --> 00:00:02,000\n  padded  \n", b"1\n00:00:01,000 --> 00:00:02,000 X1:40\nx\n",
                                   b"1\n00:00:01,000 --> 00:00:02,000\nx\n2\n00:00:03,000 --> 00:00:04,000\ny\n"])
def test_srt_fast_path_leaves_messy_files_to_the_tolerant_parser(messy: bytes) -> None:
    from dubdesk.formats import srt as srt_fmt

    assert srt_fmt._parse_strict(messy.decode()) is None
    assert len(loads(messy, fmt="srt").cues) >= 1


def test_translate_refuses_negative_times_before_translating(tmp_path: Path) -> None:
    src = tmp_path / "shifted.ru.srt"
    src.write_bytes(NEGATIVE_SRT)
    result = _run("translate", str(src), "--from", "ru", "--to", "kk", "-o", str(tmp_path / "out.kk.srt"))
    assert result.exit_code == 1 and "dubdesk fix" in result.output and "Traceback" not in result.output
    assert "route:" not in result.output  # refused before any model was looked for


def test_commands_say_what_the_reader_assumed_or_skipped(tmp_path: Path) -> None:
    sub = tmp_path / "film.sub"
    sub.write_bytes(b"{0}{25}Hello!\n{50}{100}Second\n")
    result = _run("convert", str(sub), "-o", str(tmp_path / "film.srt"))
    assert result.exit_code == 0 and "23.976 assumed (pass --fps to choose)" in result.output
    damaged = tmp_path / "damaged.en.srt"
    damaged.write_bytes(DAMAGED_SRT)
    result = _run("qa", str(damaged))
    assert "1 cue(s) skipped (dubdesk lint shows why)" in result.output

"""Media analysis and the QA built on it, on generated media with known answers (ffmpeg lavfi sources)."""

from __future__ import annotations

import json
import re
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

import dubdesk
from dubdesk.cli import cli
from dubdesk.errors import MediaError, ShotListError
from dubdesk.frames import nearest_frame
from dubdesk.media.analysis import (
    SilenceSpec,
    analysis_args,
    analyze,
    cache_dir,
    parse_loudness,
    parse_shot_changes,
    parse_speech,
    shot_changes,
)
from dubdesk.media.shotlist import format_shot_list, parse_shot_list
from dubdesk.qa import fix_track, run_qa
from dubdesk.qa.audio import AudioFacts, check_audio, estimate_offset, load_delivery, run_audio_qa
from dubdesk.qa.reports import render
from media_helpers import needs_ffmpeg, run_ffmpeg

# --------------------------------------------------------------------------- pure: the graph and its output


def test_analysis_args_exact() -> None:
    args = analysis_args("-odd name.mkv", shots=7.5, loudness=True, silence=SilenceSpec(-45, 250))
    assert args == [
        "ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-i", "file:-odd name.mkv", "-filter_complex",
        "[0:v]settb=AVTB[s0];[s0]scdet=sc_pass=1:threshold=7.5[s1];[s1]metadata=file=-:mode=print[s2];"
        "[0:a]ebur128=framelog=verbose:peak=true[s3];[s3]silencedetect=d=0.25:noise=-45dB[s4]",
        "-map", "[s2]", "-map", "[s4]", "-f", "null", "-",
    ]  # fmt: skip
    assert analysis_args("v.mp4", shots=10, ffmpeg="/x/ffmpeg") == [
        "/x/ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-i", "file:v.mp4", "-filter_complex",
        "[0:v]settb=AVTB[s0];[s0]scdet=sc_pass=1:threshold=10[s1];[s1]metadata=file=-:mode=print[s2]",
        "-map", "[s2]", "-f", "null", "-",
    ]  # fmt: skip
    assert analysis_args("a.wav", loudness=True)[-7:] == [
        "-filter_complex", "[0:a]ebur128=framelog=verbose:peak=true[s0]", "-map", "[s0]", "-f", "null", "-",
    ]  # fmt: skip
    with pytest.raises(ValueError):
        analysis_args("a.wav")


def test_parsers_on_captured_output() -> None:
    stdout = ("frame:0    pts:2000000   pts_time:2\nlavfi.scd.mafd=15.625\nlavfi.scd.score=15.625\n"
              "frame:1    pts:3200000   pts_time:3.2\nlavfi.scd.score=12.5\n")  # fmt: skip
    assert parse_shot_changes(stdout) == [2000, 3200]
    stderr = """[Parsed_ebur128_0 @ 0x1] Summary:

  Integrated loudness:
    I:         -20.0 LUFS
    Threshold: -30.0 LUFS

  Loudness range:
    LRA:         3.4 LU
    Threshold: -40.0 LUFS
    LRA low:   -20.0 LUFS
    LRA high:  -20.0 LUFS

  True peak:
    Peak:      -19.9 dBFS
[silencedetect @ 0x2] silence_start: 0
[silencedetect @ 0x2] silence_end: 1.002 | silence_duration: 1.002
[silencedetect @ 0x2] silence_start: 2.5
"""
    lo = parse_loudness(stderr)
    assert lo is not None and (lo.integrated_lufs, lo.range_lu, lo.true_peak_dbtp) == (-20.0, 3.4, -19.9)
    # speech is what is not silence; a silence running to the end has no end line
    assert parse_speech(stderr, 4000) == [(1002, 2500)]
    assert parse_speech("", 4000) == [(0, 4000)]


def test_shot_list_round_trip_and_garbage(tmp_path: Path) -> None:
    assert format_shot_list([2000, 41, 3200]) == "0.041\n2.000\n3.200\n"
    assert parse_shot_list("0.041\n2\n\n# comment\n3.2\n2.000\n") == [41, 2000, 3200]
    assert parse_shot_list("12,52\n") == [12520]  # a decimal comma from a spreadsheet export
    with pytest.raises(ShotListError) as exc:
        parse_shot_list("1.0\nabc\n2.0\n00:00:03\n", path="cuts.txt")
    assert exc.value.one_line() == (
        "cuts.txt:2: not a time in seconds: 'abc' (and 1 more bad lines) (a shot list has one time in seconds a "
        "line, e.g. 12.520)"
    )


def test_offset_estimate_pure() -> None:
    cues = [(1000, 2500), (4000, 5500), (7000, 8500)]
    assert estimate_offset(cues, cues, 2000)[0] == 0
    late = [(s + 400, e + 400) for s, e in cues]
    offset, best, zero = estimate_offset(late, cues, 2000)
    assert offset == 400 and best == 1.0 and zero < 0.8
    # speech shorter than the cues (pauses, lead-in): the plateau contains 0, so no offset
    inner = [(s + 100, e - 100) for s, e in cues]
    assert estimate_offset(inner, cues, 2000)[0] == 0


def test_delivery_profiles_are_data_with_sources() -> None:
    for name, target, tol, peak in (("ebu-r128", -23, 1, -1), ("atsc-a85", -24, 2, -2), ("streaming", -24, 2, -2)):
        d = load_delivery(name)
        assert (d.target_lufs, d.tolerance_lu, d.max_true_peak_dbtp) == (target, tol, peak)
        assert all(s.source and s.date and "DESIGN" not in s.source for s in d.sources.values())
    with pytest.raises(dubdesk.DubdeskError) as exc:
        load_delivery("loud")
    assert "ebu-r128, atsc-a85, streaming" in exc.value.one_line() and exc.value.exit_code == 2


# --------------------------------------------------------------------------- generated media

FPS = 25
#: colour shots of these many frames: cuts at frames 37, 87, 100 (1.48, 3.48, 4.00 s)
SHOTS = [("red", 37), ("blue", 50), ("green", 13), ("white", 40)]


def make_cuts(path: Path, shots: list[tuple[str, int]] = SHOTS, rate: str = str(FPS), *, audio: bool = False) -> Path:
    inputs: list[str] = []
    for colour, frames in shots:
        inputs += ["-f", "lavfi", "-i", f"color=c={colour}:s=96x64:r={rate},trim=end_frame={frames}"]
    chain = "".join(f"[{n}:v]" for n in range(len(shots))) + f"concat=n={len(shots)}:v=1:a=0,format=yuv420p[v]"
    extra: list[str] = []
    if audio:
        total = sum(f for _, f in shots) / float(Fraction(rate))
        extra = ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={total}", "-map", f"{len(shots)}:a",
                 "-c:a", "aac"]  # fmt: skip
    run_ffmpeg(*inputs, *extra[:6], "-filter_complex", chain, "-map", "[v]", *extra[6:], "-c:v", "libx264",
               "-preset", "ultrafast", str(path))  # fmt: skip
    return path


def expected_cut_frames(shots: list[tuple[str, int]]) -> list[int]:
    out, at = [], 0
    for _, frames in shots[:-1]:
        at += frames
        out.append(at)
    return out


@needs_ffmpeg
@pytest.mark.parametrize("rate", ["25", "24000/1001"])
def test_every_cut_found_at_its_exact_frame(tmp_path: Path, rate: str) -> None:
    video = make_cuts(tmp_path / "cuts.mp4", rate=rate)
    found = shot_changes(video)
    fps = Fraction(rate)
    assert [nearest_frame(t, fps) for t in found] == expected_cut_frames(SHOTS)  # all of them, and no others
    # cached by content: a second call decodes nothing and a copy of the file hits the same entry
    copy = tmp_path / "copy.mp4"
    copy.write_bytes(video.read_bytes())
    again = analyze(copy, shots=10)
    assert again.shot_changes_ms == found and again.cached == ["shots"]
    assert list(cache_dir().glob("*.shots-t10.json")) and str(cache_dir()).startswith(str(tmp_path.parent.parent))


def _srt(cues: list[tuple[int, int]], language_text: str = "Реплика") -> str:
    def tc(ms: int) -> str:
        return f"00:{ms // 60000:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"

    return "".join(f"{n}\n{tc(a)} --> {tc(b)}\n{language_text} {n}.\n\n" for n, (a, b) in enumerate(cues, 1))


@needs_ffmpeg
def test_cues_3_8_15_frames_from_a_cut(tmp_path: Path) -> None:
    shots = [("red", 50), ("blue", 100), ("green", 100), ("white", 100)]  # cuts at 2 s, 6 s, 10 s
    video = make_cuts(tmp_path / "v.mp4", shots)
    frame = 1000 // FPS
    cues = [(2000 + 3 * frame, 3800), (6000 + 8 * frame, 7800), (10000 + 15 * frame, 11800)]
    subs = tmp_path / "ep.ru.srt"
    subs.write_text(_srt(cues), encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(cli, ["qa", str(subs), "--video", str(video), "--json"])
    data = json.loads(res.output)
    assert data["shot_changes_ms"] == [2000, 6000, 10000]
    assert [(f["cue"], f["rule"], f["data"]["frames"]) for f in data["findings"]] == [
        (1, "shot-change-in", 3), (2, "shot-change-in", 8)
    ]
    # fix snaps the first two onto the change; the third (15 frames away) stays
    out = tmp_path / "fixed.ru.srt"
    res = runner.invoke(cli, ["fix", str(subs), "--video", str(video), "-o", str(out)])
    assert res.exit_code == 0, res.output
    fixed = dubdesk.load(out)
    assert [(e.start, e.end) for e in fixed.events] == [(2000, 3800), (6000, 7800), cues[2]]
    # an imported shot list does the same as the detected one
    listed = tmp_path / "cuts.txt"
    runner.invoke(cli, ["shots", str(video), "-o", str(listed)])
    assert listed.read_text() == "2.000\n6.000\n10.000\n"
    res = runner.invoke(cli, ["qa", str(subs), "--shot-changes", str(listed), "--json"])
    assert [(f["cue"], f["rule"]) for f in json.loads(res.output)["findings"]] == [(1, "shot-change-in"),
                                                                                 (2, "shot-change-in")]


def test_shot_rules_out_and_crossing_and_fix_keeps_other_rules() -> None:
    from qa_helpers import make_track

    frame = 40
    # cue 1 ends 5 frames before the cut at 4 s; cue 2 starts 4 frames before the cut at 5 s (crosses it);
    # cue 3 ends 3 frames after the cut at 9 s; cue 4 ends exactly 2 frames before the cut at 12 s (fine)
    cuts = [4000, 5000, 9000, 12000]
    t = make_track([(1000, 4000 - 5 * frame, "Первая."), (5000 - 4 * frame, 6500, "Вторая."),
                    (7000, 9000 + 3 * frame, "Третья."), (10000, 12000 - 2 * frame, "Четвёртая.")])  # fmt: skip
    report = run_qa(t, "ru", shot_changes=cuts, video_fps=25)
    got = [(f.cue, f.rule, f.data["edge"], f.data["snap_to_ms"]) for f in report.findings]
    assert got == [(1, "shot-change-out", "end", 3920), (2, "shot-change-crossing", "start", 5000),
                   (3, "shot-change-crossing", "end", 8920)]  # fmt: skip
    fixed, changes = fix_track(t, "ru", shot_changes=cuts, video_fps=25)
    assert [(e.start, e.end) for e in fixed.events] == [(1000, 3920), (5000, 6500), (7000, 8920), (10000, 11920)]
    assert not run_qa(fixed, "ru", shot_changes=cuts, video_fps=25).findings
    # a snap that would make a cue too short is not made (the finding stays for a person to decide)
    short = make_track([(4000 - 4 * frame, 4000 + 740, "Да.")])
    fixed, changes = fix_track(short, "ru", shot_changes=[4000], video_fps=25)
    assert changes == [] and fixed.events[0].start == 4000 - 4 * frame


def tone(path: Path, seconds: float, *, level_db: float = -20.0, windows: list[tuple[float, float]] | None = None,
         delay: float = 0.0, channels: int = 2) -> Path:  # fmt: skip
    """A 1 kHz sine at ``level_db`` dBFS peak, sounding in ``windows`` (moved by ``delay`` s) or throughout."""
    amp = 10 ** (level_db / 20)
    gate = "1"
    if windows is not None:
        gate = "+".join(f"between(t\\,{a + delay}\\,{b + delay})" for a, b in windows)
    expr = f"{amp:.6f}*sin(2*PI*1000*t)*({gate})"
    run_ffmpeg("-f", "lavfi", "-i", f"aevalsrc={'|'.join([expr] * channels)}:s=48000:d={seconds}",
               "-c:a", "pcm_s16le", str(path))  # fmt: skip
    return path


def ffmpeg_prints_integrated(path: Path) -> float:
    proc = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128=peak=true",
                           "-f", "null", "-"], capture_output=True, text=True, check=True)  # fmt: skip
    return float(re.findall(r"I:\s+(-?[\d.]+) LUFS", proc.stderr)[-1])


@needs_ffmpeg
@pytest.mark.parametrize(("level", "verdicts"), [
    (-20.0, {"ebu-r128": False, "atsc-a85": False, "streaming": False}),
    (-25.5, {"ebu-r128": False, "atsc-a85": True, "streaming": True}),
    (-23.0, {"ebu-r128": True, "atsc-a85": True, "streaming": True}),
])  # fmt: skip
def test_sine_loudness_and_verdict_per_profile(tmp_path: Path, level: float, verdicts: dict[str, bool]) -> None:
    wav = tone(tmp_path / "sine.wav", 6, level_db=level)
    measured = analyze(wav, loudness=True, use_cache=False).loudness
    assert measured is not None
    assert abs(measured.integrated_lufs - ffmpeg_prints_integrated(wav)) <= 0.5
    assert abs(measured.integrated_lufs - level) <= 0.5  # a stereo 1 kHz sine at L dBFS reads about L LUFS
    assert abs(measured.true_peak_dbtp - level) <= 0.5
    for name, ok in verdicts.items():
        report = run_audio_qa(wav, delivery=name)
        assert ("loudness-integrated" not in {f.rule for f in report.findings}) is ok, (name, report.findings)
        assert "loudness-true-peak" not in {f.rule for f in report.findings}


CUE_WINDOWS = [(1.0, 2.5), (4.0, 5.5), (7.0, 8.5), (10.0, 11.5), (13.0, 14.5)]
DUB_SECONDS = 16


@pytest.fixture
def picture(tmp_path: Path) -> tuple[Path, Path]:
    """A 16 s video (with its original audio) and the cues of its dub."""
    video = make_cuts(tmp_path / "picture.mp4", [("red", 200), ("blue", 200)], audio=True)
    cues = tmp_path / "ep.ru.srt"
    cues.write_text(_srt([(round(a * 1000), round(b * 1000)) for a, b in CUE_WINDOWS]), encoding="utf-8")
    return video, cues


def _rules(report: dubdesk.qa.Report) -> list[tuple[int | None, str]]:
    return [(f.cue, f.rule) for f in report.findings if not f.rule.startswith("loudness")]


@needs_ffmpeg
def test_a_dub_that_matches_has_no_findings(tmp_path: Path, picture: tuple[Path, Path]) -> None:
    video, cues = picture
    dub = tone(tmp_path / "dub.wav", DUB_SECONDS, level_db=-20, windows=CUE_WINDOWS)
    report = run_audio_qa(dub, video=video, cues=cues)
    assert _rules(report) == []
    assert report.measurements is not None and report.measurements["dub_duration_ms"] == 16000


@needs_ffmpeg
def test_dub_two_seconds_short(tmp_path: Path, picture: tuple[Path, Path]) -> None:
    video, cues = picture
    dub = tone(tmp_path / "short.wav", DUB_SECONDS - 2, windows=CUE_WINDOWS)
    report = run_audio_qa(dub, video=video, cues=cues)
    found = {f.rule: f for f in report.findings}
    assert found["duration-picture"].data["difference_ms"] == -2000
    assert found["duration-original"].data["difference_ms"] == -2000
    assert {r for _, r in _rules(report)} == {"duration-picture", "duration-original"}


@needs_ffmpeg
def test_dub_silent_where_three_cues_are(tmp_path: Path, picture: tuple[Path, Path]) -> None:
    video, cues = picture
    dub = tone(tmp_path / "holes.wav", DUB_SECONDS, windows=[CUE_WINDOWS[0], CUE_WINDOWS[3]])
    report = run_audio_qa(dub, video=video, cues=cues)
    assert _rules(report) == [(2, "dub-silent-cue"), (3, "dub-silent-cue"), (5, "dub-silent-cue")]


@needs_ffmpeg
def test_dub_delayed_400_ms_is_one_offset_finding(tmp_path: Path, picture: tuple[Path, Path]) -> None:
    video, cues = picture
    dub = tone(tmp_path / "late.wav", DUB_SECONDS, windows=CUE_WINDOWS, delay=0.4)
    report = run_audio_qa(dub, video=video, cues=cues)
    assert _rules(report) == [(None, "dub-offset")]
    assert abs(report.findings[-1].data["offset_ms"] - 400) <= 40
    # in every report format, with its rule id
    assert '"rule": "dub-offset"' in render(report, "json")
    assert "dub-offset" in render(report, "csv")
    junit = render(report, "junit", "warning")
    assert 'classname="dubdesk.qa.dub-offset"' in junit and "consistent offset" in junit
    page = render(report, "html")
    assert "dub-offset" in page and '<ul id="measurements">' in page


def test_uncued_speech_is_flagged() -> None:
    facts = AudioFacts("dub.wav", 20000, speech_ms=[(1000, 2500), (5000, 9000)])
    from qa_helpers import make_track

    report = check_audio(facts, load_delivery("ebu-r128"), make_track([(1000, 2500, "Реплика.")]))
    assert [(f.rule, f.start_ms, f.end_ms) for f in report.findings] == [("dub-uncued-speech", 5000, 9000)]


# --------------------------------------------------------------------------- bad input: one line each


@needs_ffmpeg
def test_bad_input_is_one_clear_line(tmp_path: Path) -> None:
    runner = CliRunner()
    audio_only = tone(tmp_path / "audio.wav", 1)
    res = runner.invoke(cli, ["shots", str(audio_only)])
    assert res.exit_code == 1
    assert res.output.strip() == f"dubdesk: error: {audio_only}: has no video stream: shot changes need a video"

    garbage = tmp_path / "dub.wav"
    garbage.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(range(256)) * 8)
    res = runner.invoke(cli, ["qa-audio", str(garbage)])
    assert res.exit_code == 1 and len(res.output.strip().splitlines()) == 1
    assert res.output.startswith(f"dubdesk: error: {garbage}: ")
    with pytest.raises(MediaError):
        analyze(garbage, loudness=True)

    res = runner.invoke(cli, ["shots", str(audio_only), "--threshold", "150"])
    assert res.exit_code == 2 and "outside 0-100" in res.output

    bad_list = tmp_path / "cuts.txt"
    bad_list.write_text("1.000\n2.5 s\n", encoding="utf-8")
    subs = tmp_path / "ep.ru.srt"
    subs.write_text(_srt([(1000, 2000)]), encoding="utf-8")
    res = runner.invoke(cli, ["qa", str(subs), "--shot-changes", str(bad_list)])
    assert res.exit_code == 1
    assert res.output.strip() == (f"dubdesk: error: {bad_list}:2: not a time in seconds: '2.5 s' "
                                  "(a shot list has one time in seconds a line, e.g. 12.520)")  # fmt: skip


def test_manifest_rejects_an_unknown_delivery(tmp_path: Path) -> None:
    from dubdesk.project import load_manifest

    m = tmp_path / "dubdesk.toml"
    m.write_text('[episode]\nvideo = "v.mp4"\n[source]\nlanguage = "ru"\nsubtitles = "a.srt"\n'
                 '[qa]\ndelivery = "loud"\n', encoding="utf-8")  # fmt: skip
    with pytest.raises(dubdesk.DubdeskError) as exc:
        load_manifest(m)
    assert "[qa] delivery = 'loud'" in exc.value.one_line() and "ebu-r128" in exc.value.one_line()


def test_html_timeline_draws_shot_changes() -> None:
    from qa_helpers import make_track

    report = run_qa(make_track([(1000, 3000, "Реплика.")]), "ru", shot_changes=[1500, 2500], video_fps=25)
    page = render(report, "html")
    assert page.count('class="shot-change"') == 2 and "shot change (2)" in page


@needs_ffmpeg
def test_build_stops_on_dub_audio_errors(tmp_path: Path) -> None:
    from dubdesk.errors import BuildStoppedError
    from dubdesk.project import build, load_manifest
    from media_helpers import make_video

    video = make_video(tmp_path / "ep.mp4", 3)
    dub = tone(tmp_path / "dub.ru.wav", 1, level_db=-23, channels=2)  # 2 s shorter than the picture
    (tmp_path / "ep.ru.srt").write_text(_srt([(500, 1400)]), encoding="utf-8")
    (tmp_path / "dubdesk.toml").write_text(
        '[episode]\nvideo = "ep.mp4"\n[source]\nlanguage = "ru"\nsubtitles = "ep.ru.srt"\naudio = "dub.ru.wav"\n'
        '[qa]\ndelivery = "ebu-r128"\n[output]\nfolder = "out"\n', encoding="utf-8",
    )  # fmt: skip
    steps: list[str] = []
    with pytest.raises(BuildStoppedError) as exc:
        build(load_manifest(tmp_path / "dubdesk.toml"), progress=lambda step, detail: steps.append(step))
    assert "ru audio duration-picture" in exc.value.one_line() and exc.value.exit_code == 3
    assert "qa-audio" in steps and not (tmp_path / "out" / "ep.mkv").exists()
    assert video.exists() and dub.exists()  # inputs untouched

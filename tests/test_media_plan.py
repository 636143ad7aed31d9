"""The mux plan -> ffmpeg argument list, argument by argument (pure: no ffmpeg runs)."""

from __future__ import annotations

import pytest

from dubdesk.errors import UsageError
from dubdesk.media.args import plan_to_args
from dubdesk.media.containers import container_for
from dubdesk.media.inputs import MuxInput
from dubdesk.media.plan import MuxPlan, PlannedStream, _choose_default


def _plan(container: str, output: str) -> MuxPlan:
    return MuxPlan(
        inputs=[
            MuxInput("-episode.mp4", "video"),
            MuxInput("dub.kk.m4a", "audio"),
            MuxInput("ep.kk.ass", "subtitle"),
            MuxInput("ep.zh.srt", "subtitle", read_path="/tmp/utf8/input3.srt", convert="srt", language="zh-Hans"),
        ],
        streams=[
            PlannedStream("video", 0, 0, "h264", None, None, None, None, ("default",), 3000, "video"),
            PlannedStream("audio", 0, 1, "aac", None, "ru", "rus", "Русский", ("original",), 3000, "original"),
            PlannedStream("audio", 1, 0, "aac", None, "kk", "kaz", "Қазақша", ("default", "dub"), 3000, "dub"),
            PlannedStream("subtitle", 2, 0, "ass", None if container == "mkv" else "mov_text", "kk", "kaz", "Қазақша",
                          ("default",), 2600, "subtitles"),
            PlannedStream("subtitle", 3, 0, "subrip", None if container == "mkv" else "mov_text", "zh-Hans", "chi",
                          "中文（简体）", ("forced", "hearing_impaired"), 2600, "subtitles"),
        ],
        container=container,
        output=output,
        video_duration_ms=3000,
    )


def test_mkv_args_exact() -> None:
    assert plan_to_args(_plan("mkv", "out.mkv"), "/o/.out.partial-1.mkv") == [
        "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-i", "file:-episode.mp4",
        "-i", "file:dub.kk.m4a",
        "-i", "file:ep.kk.ass",
        "-i", "file:/tmp/utf8/input3.srt",
        "-map", "0:0", "-map", "0:1", "-map", "1:0", "-map", "2:0", "-map", "3:0",
        "-c", "copy",
        "-disposition:v:0", "default",
        "-metadata:s:a:0", "language=rus", "-metadata:s:a:0", "BCP47=ru", "-metadata:s:a:0", "title=Русский",
        "-disposition:a:0", "original",
        "-metadata:s:a:1", "language=kaz", "-metadata:s:a:1", "BCP47=kk", "-metadata:s:a:1", "title=Қазақша",
        "-disposition:a:1", "default+dub",
        "-metadata:s:s:0", "language=kaz", "-metadata:s:s:0", "BCP47=kk", "-metadata:s:s:0", "title=Қазақша",
        "-disposition:s:0", "default",
        "-metadata:s:s:1", "language=chi", "-metadata:s:s:1", "BCP47=zh-Hans", "-metadata:s:s:1", "title=中文（简体）",
        "-disposition:s:1", "forced+hearing_impaired",
        "-default_mode", "passthrough",
        "-f", "matroska", "file:/o/.out.partial-1.mkv",
    ]  # fmt: skip


def test_mp4_args_exact() -> None:
    assert plan_to_args(_plan("mp4", "out.mp4"), ffmpeg="/usr/bin/ffmpeg") == [
        "/usr/bin/ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-i", "file:-episode.mp4",
        "-i", "file:dub.kk.m4a",
        "-i", "file:ep.kk.ass",
        "-i", "file:/tmp/utf8/input3.srt",
        "-map", "0:0", "-map", "0:1", "-map", "1:0", "-map", "2:0", "-map", "3:0",
        "-c", "copy", "-c:s:0", "mov_text", "-c:s:1", "mov_text",
        "-disposition:v:0", "default",
        "-metadata:s:a:0", "language=rus", "-metadata:s:a:0", "handler_name=Русский",
        "-disposition:a:0", "0",  # MP4 has no "original" flag
        "-metadata:s:a:1", "language=kaz", "-metadata:s:a:1", "handler_name=Қазақша",
        "-disposition:a:1", "default+dub",
        "-metadata:s:s:0", "language=kaz", "-metadata:s:s:0", "handler_name=Қазақша",
        "-disposition:s:0", "default",
        "-metadata:s:s:1", "language=chi", "-metadata:s:s:1", "handler_name=中文（简体）",
        "-disposition:s:1", "forced+hearing_impaired",
        "-f", "mp4", "file:out.mp4",
    ]  # fmt: skip


def test_codec_out_names_what_ffprobe_reports() -> None:
    s = PlannedStream("subtitle", 1, 0, "webvtt", "srt", "ru", "rus", "Русский", (), None, "subtitles")
    assert s.codec_out == "subrip"
    assert _plan("mp4", "o.mp4").streams[3].codec_out == "mov_text"


def test_exactly_one_default_per_type() -> None:
    streams = _plan("mkv", "o.mkv").streams
    chosen = _choose_default(streams, "audio", "ru", "--default-audio")
    assert [s.dispositions for s in chosen if s.kind == "audio"] == [("default", "original"), ("dub",)]
    chosen = _choose_default(streams, "subtitle", "zh", "--default-subs")
    assert [s.dispositions for s in chosen if s.kind == "subtitle"] == [(), ("default", "forced", "hearing_impaired")]
    first = _choose_default(streams, "subtitle", None, "--default-subs")
    assert [("default" in s.dispositions) for s in first if s.kind == "subtitle"] == [True, False]
    with pytest.raises(UsageError, match="no audio track in that language"):
        _choose_default(streams, "audio", "en", "--default-audio")


def test_container_from_extension_or_option() -> None:
    assert container_for("a.MKV").muxer == "matroska"
    assert container_for("a.mp4").muxer == "mp4"
    assert container_for("a.bin", "webm").muxer == "webm"
    with pytest.raises(UsageError, match="cannot tell the container"):
        container_for("a.avi")
    with pytest.raises(UsageError, match="unknown container"):
        container_for("a.mkv", "avi")


def test_plan_to_dict_round_trips_through_json() -> None:
    import json

    data = json.loads(json.dumps(_plan("mkv", "o.mkv").to_dict(), ensure_ascii=False))
    assert data["streams"][4]["dispositions"] == ["forced", "hearing_impaired"]
    assert data["streams"][3]["codec_out"] == "ass"

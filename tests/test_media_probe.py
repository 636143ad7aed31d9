from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dubdesk.cli import cli
from dubdesk.errors import FFmpegNotFoundError, MediaError
from dubdesk.media import probe
from dubdesk.media.probe import _clock_ms, parse_ffprobe
from media_helpers import MediaSet, media, needs_ffmpeg

__all__ = ["media"]

pytestmark = needs_ffmpeg


def test_probe_lists_streams(media: MediaSet) -> None:
    result = probe(media.video)
    assert [s.type for s in result.streams] == ["video", "audio"]
    video, audio = result.streams
    assert video.codec == "h264" and video.details["width"] == 160
    assert audio.codec == "aac" and audio.language == "rus" and audio.language_bcp47 == "ru"
    assert "default" in audio.dispositions
    assert abs(result.duration_ms - 3000) < 50
    assert abs((audio.duration_ms or 0) - 3000) < 50
    data = result.to_dict()
    assert data["streams"][1]["language"] == "rus"


def test_probe_reads_matroska_duration_tag(media: MediaSet) -> None:
    result = probe(media.video_mkv)
    assert result.format.startswith("matroska")
    for s in result.streams:
        assert s.duration_ms is not None and abs(s.duration_ms - 3000) < 80


def test_probe_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(MediaError) as err:
        probe(tmp_path / "nope.mkv")
    assert "nope.mkv" in str(err.value) and "no such file" in str(err.value)


def test_probe_corrupt_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mkv"
    bad.write_bytes(b"\x1aE\xdf\xa3 this is not really matroska" * 10)
    with pytest.raises(MediaError) as err:
        probe(bad)
    assert "bad.mkv" in str(err.value) and "not a readable media file" in str(err.value)


def test_probe_dash_file_name_is_not_an_option(media: MediaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("-weird.mp4").write_bytes(media.video.read_bytes())
    assert len(probe("-weird.mp4").streams) == 2


def test_missing_ffprobe_is_one_line_with_install_hint(media: MediaSet, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUBDESK_FFPROBE", "/nonexistent/ffprobe")
    with pytest.raises(FFmpegNotFoundError) as err:
        probe(media.video)
    assert "apt-get install ffmpeg" in str(err.value) and "\n" not in str(err.value)
    monkeypatch.delenv("DUBDESK_FFPROBE")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(FFmpegNotFoundError, match="not found on PATH"):
        probe(media.video)


def test_parse_ffprobe_without_stream_durations() -> None:
    data = {
        "format": {"format_name": "matroska,webm", "duration": "2.5"},
        "streams": [
            {"index": 0, "codec_type": "subtitle", "codec_name": "ass", "tags": {"language": "kaz", "title": "Қазақша"},
             "disposition": {"default": 1, "forced": 1}},
        ],
    }
    r = parse_ffprobe(data, "x.mkv")
    s = r.streams[0]
    assert (s.language, s.language_bcp47, s.title, s.dispositions, s.duration_ms) == (
        "kaz", "kk", "Қазақша", ["default", "forced"], None
    )
    assert _clock_ms("00:01:00.021000000") == 60021


def test_cli_probe_json_and_text(media: MediaSet) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["probe", str(media.video), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["streams"][1]["language"] == "rus"
    res = runner.invoke(cli, ["probe", str(media.video)])
    assert res.exit_code == 0 and "h264" in res.output and "rus" in res.output
    res = runner.invoke(cli, ["probe", "/nonexistent.mkv"])
    assert res.exit_code == 1 and "no such file" in res.output

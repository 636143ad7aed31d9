from __future__ import annotations

import json
import platform
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dubdesk.cli import cli
from dubdesk.errors import FFmpegNotFoundError, MediaError
from dubdesk.media import probe, tools
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
    monkeypatch.setattr(tools, "bundled_tool", lambda name: None)
    with pytest.raises(FFmpegNotFoundError, match="not found on PATH"):
        probe(media.video)


def test_bundled_static_ffprobe_is_installed_and_preferred(monkeypatch: pytest.MonkeyPatch) -> None:
    # setup installs the media extra; on x86-64 Linux (CI) its static ffprobe must be there and chosen
    os_ffprobe = str(Path(shutil.which("ffprobe") or "ffprobe").resolve())
    if sys.platform == "linux" and platform.machine() == "x86_64":
        bundled = tools.bundled_tool("ffprobe")
        assert bundled is not None and Path(bundled).parent.name == "binaries"
        assert tools.locate_tool("ffprobe") == (bundled, "bundled")
        # ffmpeg stays the OS one (faster at writing); the bundled one is the fallback
        assert tools.locate_tool("ffmpeg") == (shutil.which("ffmpeg"), "PATH")
        monkeypatch.setenv("PATH", "/nonexistent")
        assert tools.locate_tool("ffmpeg") == (tools.bundled_tool("ffmpeg"), "bundled")
    monkeypatch.setenv("DUBDESK_FFPROBE", os_ffprobe)
    assert tools.locate_tool("ffprobe") == (os_ffprobe, "env")


def test_os_and_bundled_ffprobe_read_a_mux_the_same(media: MediaSet, monkeypatch: pytest.MonkeyPatch) -> None:
    """Verification must not depend on which ffprobe is found: both agree field by field."""
    from dubdesk.media import mux

    out = media.folder / "both-probes.mkv"
    mux(media.video, out, audio=[("kk", media.dub_kk)], subtitles=[("kk", media.subs_kk), ("zh-Hans", media.subs_zh)],
        forced=["zh-Hans"])  # fmt: skip
    os_ffprobe = shutil.which("ffprobe") or "ffprobe"
    readers = {os_ffprobe, tools.bundled_tool("ffprobe") or os_ffprobe}
    seen = []
    for reader in sorted(readers):
        monkeypatch.setenv("DUBDESK_FFPROBE", reader)
        seen.append(probe(out).to_dict()["streams"])
        # what the mux verification compares, read headers-only
        quick = probe(out, headers_only=True).streams
        assert [(s["codec"], s["language"], s["title"], s["dispositions"], s["duration_ms"]) for s in seen[-1]] == [
            (s.codec, s.language, s.title, s.dispositions, s.duration_ms) for s in quick
        ]
    assert len(readers) == 2 or not (sys.platform == "linux" and platform.machine() == "x86_64")
    assert all(streams == seen[0] for streams in seen)
    assert [s["language"] for s in seen[0]] == [None, "rus", "kaz", "kaz", "chi"]


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


def test_doctor_reports_tools_and_models(monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(cli, ["doctor", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] is True
    assert report["tools"]["ffmpeg"]["version"] and report["tools"]["ffprobe"]["path"]
    assert report["models"] == [] and any("translation models" in m for m in report["missing"])
    monkeypatch.setenv("DUBDESK_FFMPEG", "/nonexistent/ffmpeg")
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert "✗ ffmpeg" in result.output and "DUBDESK_FFMPEG points to" in result.output

"""Muxing with real ffmpeg on generated media: plan, exact args, ffprobe verification, bit-identical streams."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dubdesk.errors import MuxError
from dubdesk.media import mux, plan_mux, probe
from media_helpers import MediaSet, media, needs_ffmpeg

__all__ = ["media"]

pytestmark = needs_ffmpeg


def stream_hashes(path: Path, spec: str) -> list[str]:
    """ffmpeg's per-stream packet hashes (``-f streamhash``, stream copy) for streams matching ``spec``."""
    out = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-i", str(path), "-map", f"0:{spec}",
         "-c", "copy", "-f", "streamhash", "-hash", "md5", "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return [line.split(",", 2)[2] for line in out.splitlines() if line and not line.startswith("#")]


def delivery(media: MediaSet, out: Path, **extra: object) -> object:
    options: dict[str, object] = {
        "audio": [("kk", media.dub_kk), ("en", media.dub_en)],
        "subtitles": [("ru", media.subs_ru), ("kk", media.subs_kk), ("zh-Hans", media.subs_zh)],
        "default_audio": "kk",
        "default_subtitles": "kk",
        "forced": ["zh-Hans"],
        "sdh": ["ru"],
    }
    options.update(extra)
    return mux(media.video, out, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def mkv(media: MediaSet, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("mkv") / "episode.mkv"
    delivery(media, out)
    return out


def test_mkv_streams_languages_titles_dispositions(mkv: Path) -> None:
    r = probe(mkv)
    got = [(s.type, s.codec, s.language, s.language_bcp47, s.title, s.dispositions) for s in r.streams]
    assert got == [
        ("video", "h264", None, None, None, ["default"]),
        ("audio", "aac", "rus", "ru", "Русский", ["original"]),
        ("audio", "aac", "kaz", "kk", "Қазақша", ["default", "dub"]),
        ("audio", "aac", "eng", "en", "English", ["dub"]),
        ("subtitle", "subrip", "rus", "ru", "Русский", ["hearing_impaired"]),
        ("subtitle", "ass", "kaz", "kk", "Қазақша", ["default"]),
        ("subtitle", "subrip", "chi", "zh-Hans", "中文（简体）", ["forced"]),
    ]
    # video language stays as the source had it (ffmpeg's mp4 writes "und", Matroska then omits it)


def test_mkv_video_and_audio_packets_bit_identical(media: MediaSet, mkv: Path) -> None:
    assert stream_hashes(mkv, "v") == stream_hashes(media.video, "v")
    assert stream_hashes(mkv, "a") == [
        *stream_hashes(media.video, "a"), *stream_hashes(media.dub_kk, "a"), *stream_hashes(media.dub_en, "a")
    ]


def test_mkv_legacy_encoded_subtitles_arrive_as_utf8(mkv: Path, tmp_path: Path) -> None:
    out = tmp_path / "zh.srt"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-i", str(mkv), "-map", "0:s:2", str(out)], check=True)
    text = out.read_text(encoding="utf-8")
    assert "你好，世界。" in text and "第二条字幕。" in text


def test_mkv_keeps_ass_styles(mkv: Path, tmp_path: Path) -> None:
    out = tmp_path / "kk.ass"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-i", str(mkv), "-map", "0:s:1", "-c", "copy", str(out)], check=True)
    text = out.read_text(encoding="utf-8")
    assert "Style: Default,Arial,20" in text and "{\\i1}Екінші{\\i0}" in text


def test_mp4_mov_text(media: MediaSet, tmp_path: Path) -> None:
    out = tmp_path / "episode.mp4"
    result = delivery(media, out)
    assert any("ASS styling" in w for w in result.warnings)  # type: ignore[attr-defined]
    assert any("cannot store the original" in w for w in result.warnings)  # type: ignore[attr-defined]
    r = probe(out)
    assert [s.codec for s in r.subtitles] == ["mov_text"] * 3
    assert [(s.language, s.title) for s in r.streams[1:]] == [
        ("rus", "Русский"), ("kaz", "Қазақша"), ("eng", "English"),
        ("rus", "Русский"), ("kaz", "Қазақша"), ("chi", "中文（简体）"),
    ]  # fmt: skip
    assert [s.is_default for s in r.audio] == [False, True, False]
    assert [s.is_default for s in r.subtitles] == [False, True, False]
    assert "forced" in r.subtitles[2].dispositions and "hearing_impaired" in r.subtitles[0].dispositions
    assert "dub" in r.audio[1].dispositions
    assert stream_hashes(out, "v") == stream_hashes(media.video, "v")
    assert stream_hashes(out, "a:1") == stream_hashes(media.dub_kk, "a")


def test_drop_original_audio_and_titles(media: MediaSet, tmp_path: Path) -> None:
    out = tmp_path / "x.mkv"
    mux(media.video, out, audio=[("kk", media.dub_kk)], subtitles=[("ru", media.subs_ru)],
        drop_original_audio=True, titles={"kk": "Қазақ дубляжы", "subs:ru": "Русские субтитры"})  # fmt: skip
    r = probe(out)
    assert [(s.type, s.title, s.dispositions) for s in r.streams[1:]] == [
        ("audio", "Қазақ дубляжы", ["default", "dub"]),
        ("subtitle", "Русские субтитры", ["default"]),
    ]


def test_verification_failure_leaves_no_output(media: MediaSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "x.mkv"
    plan = plan_mux(media.video, out, audio=[("kk", media.dub_kk)])
    # sabotage: plan a title ffmpeg will not be told to write
    import dataclasses

    from dubdesk.media import plan as plan_module

    real = plan_module.plan_to_args

    def wrong_title(p: object, output: str | None = None, *, ffmpeg: str = "ffmpeg") -> list[str]:
        args = real(p, output, ffmpeg=ffmpeg)  # type: ignore[arg-type]
        return [a.replace("title=Қазақша", "title=Wrong") for a in args]

    monkeypatch.setattr(plan_module, "plan_to_args", wrong_title)
    with pytest.raises(MuxError) as err:
        mux(plan)
    assert "title 'Wrong', planned 'Қазақша'" in str(err.value)
    assert list(tmp_path.iterdir()) == []
    assert dataclasses.is_dataclass(plan)


def test_subtitles_past_the_end_and_short_dub_are_warned(media: MediaSet, tmp_path: Path) -> None:
    late = tmp_path / "late.ru.srt"
    late.write_text("1\n00:00:01,000 --> 00:00:09,000\nпоздно\n", encoding="utf-8")
    from media_helpers import make_audio

    short = make_audio(tmp_path / "short.m4a", seconds=1)
    plan = plan_mux(media.video, tmp_path / "o.mkv", audio=[("kk", short)], subtitles=[("ru", late)])
    assert any("past the end of the video" in w and "6.0 s" in w for w in plan.warnings)
    assert any("shorter than the video" in w for w in plan.warnings)


def test_webm_webvtt_and_refuses_h264(media: MediaSet, tmp_path: Path) -> None:
    from dubdesk.errors import MediaError
    from media_helpers import run_ffmpeg

    video = tmp_path / "v.webm"
    run_ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x90:rate=25:duration=3", "-f", "lavfi", "-i", "sine=duration=3",
               "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-c:a", "libopus", str(video))  # fmt: skip
    out = tmp_path / "o.webm"
    result = mux(video, out, subtitles=[("kk", media.subs_kk), ("zh", media.subs_zh)], forced=["zh"])
    assert any("cannot store the original" in w for w in result.warnings)
    r = probe(out)
    assert [(s.codec, s.language, s.dispositions) for s in r.subtitles] == [
        ("webvtt", "kaz", ["default"]), ("webvtt", "chi", ["forced"])
    ]
    assert stream_hashes(out, "v") == stream_hashes(video, "v")
    with pytest.raises(MediaError, match="WEBM cannot hold h264 video"):
        mux(media.video, tmp_path / "x.webm")


def _verified_fields(path: Path, *, headers_only: bool) -> list[tuple[object, ...]]:
    r = probe(path, headers_only=headers_only)
    return [(s.type, s.codec, s.language, s.title, s.dispositions, s.duration_ms) for s in r.streams]


@pytest.mark.parametrize("suffix", [".mkv", ".mp4"])
def test_headers_only_probe_sees_everything_verification_compares(media: MediaSet, tmp_path: Path, suffix: str) -> None:
    """The mux verifies with a headers-only ffprobe (5 ms, not 20): it must read what a full probe reads."""
    out = tmp_path / f"episode{suffix}"
    delivery(media, out)
    quick = _verified_fields(out, headers_only=True)
    assert quick == _verified_fields(out, headers_only=False)
    assert len(quick) == 7 and all(duration for *_, duration in quick)

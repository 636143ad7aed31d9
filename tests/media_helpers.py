"""Shared fixtures for the media tests: small real media made with ffmpeg's lavfi sources."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

#: the fixture lives in conftest.py: a machine without ffmpeg fails these tests instead of skipping them
needs_ffmpeg = pytest.mark.usefixtures("ffmpeg_installed")

SECONDS = 3


def run_ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args], check=True)


def make_video(path: Path, seconds: float = SECONDS, *, audio_language: str | None = "rus", size: str = "160x90") -> Path:
    """H.264 test pattern + AAC sine (the "original" audio) in ``path``'s container."""
    args = [
        "-f", "lavfi", "-i", f"testsrc=size={size}:rate=25:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k",
    ]  # fmt: skip
    if audio_language:
        args += ["-metadata:s:a:0", f"language={audio_language}"]
    run_ffmpeg(*args, str(path))
    return path


def make_audio(path: Path, seconds: float = SECONDS, frequency: int = 660) -> Path:
    """An AAC dub-audio file (.m4a)."""
    run_ffmpeg(
        "-f", "lavfi", "-i", f"sine=frequency={frequency}:sample_rate=48000:duration={seconds}",
        "-c:a", "aac", "-b:a", "64k", str(path),
    )  # fmt: skip
    return path


SRT_RU = """1
00:00:00,500 --> 00:00:01,500
Привет, мир.

2
00:00:01,800 --> 00:00:02,600
<i>Второй</i> титр.
"""

SRT_ZH = """1
00:00:00,500 --> 00:00:01,500
你好，世界。

2
00:00:01,800 --> 00:00:02,600
第二条字幕。
"""

ASS_KK = """[Script Info]
ScriptType: v4.00+
PlayResX: 640
PlayResY: 360

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,0,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:00.50,0:00:01.50,Default,,0,0,0,,Сәлем, әлем.
Dialogue: 0,0:00:01.80,0:00:02.60,Default,,0,0,0,,{\\i1}Екінші{\\i0} титр.
"""


@dataclass
class MediaSet:
    folder: Path
    video: Path  # MP4: h264 + aac (rus)
    video_mkv: Path
    dub_kk: Path
    dub_en: Path
    subs_ru: Path
    subs_kk: Path
    subs_zh: Path  # GB18030


def make_media_set(folder: Path) -> MediaSet:
    folder.mkdir(parents=True, exist_ok=True)
    video = make_video(folder / "episode.mp4")
    video_mkv = folder / "episode.mkv"
    run_ffmpeg("-i", str(video), "-map", "0", "-c", "copy", str(video_mkv))
    subs_ru = folder / "ep.ru.srt"
    subs_ru.write_text(SRT_RU, encoding="utf-8")
    subs_kk = folder / "ep.kk.ass"
    subs_kk.write_text(ASS_KK, encoding="utf-8-sig")
    subs_zh = folder / "ep.zh-Hans.srt"
    subs_zh.write_bytes(SRT_ZH.encode("gb18030"))
    return MediaSet(
        folder=folder,
        video=video,
        video_mkv=video_mkv,
        dub_kk=make_audio(folder / "dub.kk.m4a", frequency=550),
        dub_en=make_audio(folder / "dub.en.m4a", frequency=770),
        subs_ru=subs_ru,
        subs_kk=subs_kk,
        subs_zh=subs_zh,
    )


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory, ffmpeg_installed: None) -> MediaSet:
    return make_media_set(tmp_path_factory.mktemp("media"))

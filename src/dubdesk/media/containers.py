"""What each output container can hold: subtitle codecs, dispositions, the title and language tags."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError

PathLike = str | os.PathLike[str]

#: dispositions dubdesk sets and verifies; others found in an input are left alone
MANAGED_DISPOSITIONS = ("default", "original", "dub", "forced", "hearing_impaired")

TEXT_SUBTITLES = {"subrip", "ass", "ssa", "webvtt", "mov_text", "text"}
BITMAP_SUBTITLES = {"hdmv_pgs_subtitle", "dvd_subtitle", "dvb_subtitle", "xsub"}
#: ffmpeg encoder name -> codec name ffprobe reports for the result
ENCODER_CODEC = {"srt": "subrip", "ass": "ass", "mov_text": "mov_text", "webvtt": "webvtt"}


@dataclass(frozen=True)
class ContainerSpec:
    """What a container holds and how ffmpeg writes it."""

    name: str  #: mkv, mp4, webm
    muxer: str  #: ffmpeg ``-f`` value
    extensions: tuple[str, ...]
    #: source subtitle codec -> ffmpeg encoder, or None to copy; a codec not listed cannot go in
    subtitle_codecs: Mapping[str, str | None]
    #: dispositions the container can store (ffmpeg's mp4 muxer has no ``original``)
    dispositions: frozenset[str]
    #: stream tag that carries the title (ffmpeg's mp4 muxer drops ``title``, players read the handler name)
    title_tag: str
    #: whether dubdesk writes a ``BCP47`` stream tag beside the ISO 639-2/B language
    bcp47_tag: bool
    video_codecs: frozenset[str] | None = None  #: None: anything
    audio_codecs: frozenset[str] | None = None


CONTAINERS: dict[str, ContainerSpec] = {
    "mkv": ContainerSpec(
        name="mkv",
        muxer="matroska",
        extensions=(".mkv", ".mka", ".mks"),
        subtitle_codecs={
            "subrip": None, "ass": None, "ssa": None, "webvtt": "srt", "mov_text": "srt", "text": "srt",
            "hdmv_pgs_subtitle": None, "dvd_subtitle": None, "dvb_subtitle": None,
        },
        dispositions=frozenset(MANAGED_DISPOSITIONS),
        title_tag="title",
        bcp47_tag=True,
    ),
    "mp4": ContainerSpec(
        name="mp4",
        muxer="mp4",
        extensions=(".mp4", ".m4v"),
        subtitle_codecs={"subrip": "mov_text", "ass": "mov_text", "ssa": "mov_text", "webvtt": "mov_text",
                         "text": "mov_text", "mov_text": None},
        dispositions=frozenset({"default", "dub", "forced", "hearing_impaired"}),
        title_tag="handler_name",
        bcp47_tag=False,
    ),
    "webm": ContainerSpec(
        name="webm",
        muxer="webm",
        extensions=(".webm",),
        subtitle_codecs={"subrip": "webvtt", "ass": "webvtt", "ssa": "webvtt", "mov_text": "webvtt",
                         "text": "webvtt", "webvtt": None},
        # the WebM subset of Matroska has no FlagOriginal / FlagHearingImpaired; ffmpeg drops dub too
        dispositions=frozenset({"default", "forced"}),
        title_tag="title",
        bcp47_tag=True,
        video_codecs=frozenset({"vp8", "vp9", "av1"}),
        audio_codecs=frozenset({"opus", "vorbis"}),
    ),
}


def container_for(output: PathLike, container: str | None = None) -> ContainerSpec:
    """The container named, or the one the output's extension implies."""
    if container is not None:
        spec = CONTAINERS.get(container.lower().lstrip("."))
        if spec is None:
            raise UsageError(f"unknown container {container!r}", hint="use mkv, mp4 or webm")
        return spec
    suffix = Path(output).suffix.lower()
    for spec in CONTAINERS.values():
        if suffix in spec.extensions:
            return spec
    raise UsageError(
        f"cannot tell the container from the output name {os.fspath(output)!r}",
        hint="name it .mkv, .mp4 or .webm, or choose the container",
    )

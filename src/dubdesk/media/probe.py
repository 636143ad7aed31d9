"""``probe``: the streams of a media file, read with ffprobe.

Durations are integer milliseconds. Matroska stores per-stream durations only
as a ``DURATION`` tag (``00:01:00.021000000``); MP4 has a ``duration`` field;
both are read; a stream without either has ``duration_ms`` None.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import processes
from ..errors import MediaError
from ..languages import from_container
from .tools import ffprobe_path, safe_input

#: dispositions dubdesk reports (ffprobe lists more; these are the ones players use for track choice)
DISPOSITIONS = (
    "default",
    "dub",
    "original",
    "comment",
    "forced",
    "hearing_impaired",
    "visual_impaired",
    "captions",
    "descriptions",
    "attached_pic",
)


@dataclass
class StreamInfo:
    """One stream of a media file."""

    index: int  #: absolute stream index in the file
    type: str  #: video, audio, subtitle, data, attachment
    codec: str  #: ffprobe codec_name (h264, aac, subrip, ass, mov_text, webvtt, ...)
    language: str | None = None  #: container language tag as stored (ISO 639-2/B, e.g. ``kaz``)
    language_bcp47: str | None = None  #: BCP 47 tag when the container stores one or it maps unambiguously
    title: str | None = None
    dispositions: list[str] = field(default_factory=list)  #: set flags, e.g. ``["default", "original"]``
    duration_ms: int | None = None  #: None when the container gives no per-stream duration
    type_index: int = 0  #: position among streams of the same type (the ``a:1`` in ``-map 0:a:1``)
    details: dict[str, Any] = field(default_factory=dict)  #: width/height/fps or channels/sample rate

    @property
    def is_default(self) -> bool:
        return "default" in self.dispositions

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "type": self.type,
            "codec": self.codec,
            "language": self.language,
            "language_bcp47": self.language_bcp47,
            "title": self.title,
            "dispositions": list(self.dispositions),
            "duration_ms": self.duration_ms,
            "type_index": self.type_index,
            **({"details": self.details} if self.details else {}),
        }


@dataclass
class ProbeResult:
    """What ffprobe found in a file."""

    path: str
    format: str  #: ffprobe format_name (``matroska,webm``, ``mov,mp4,m4a,3gp,3g2,mj2``)
    duration_ms: int
    streams: list[StreamInfo]
    size: int = 0
    tags: dict[str, str] = field(default_factory=dict)

    def of_type(self, kind: str) -> list[StreamInfo]:
        """Streams of one type (``video``, ``audio``, ``subtitle``) in file order."""
        return [s for s in self.streams if s.type == kind]

    @property
    def video(self) -> list[StreamInfo]:
        return self.of_type("video")

    @property
    def audio(self) -> list[StreamInfo]:
        return self.of_type("audio")

    @property
    def subtitles(self) -> list[StreamInfo]:
        return self.of_type("subtitle")

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "duration_ms": self.duration_ms,
            "size": self.size,
            "tags": dict(self.tags),
            "streams": [s.to_dict() for s in self.streams],
        }


def _seconds_ms(value: Any) -> int | None:
    try:
        return round(float(value) * 1000)
    except (TypeError, ValueError):
        return None


def _clock_ms(value: str | None) -> int | None:
    """``HH:MM:SS.fffffffff`` (Matroska DURATION tag) to milliseconds."""
    if not value:
        return None
    try:
        h, m, s = value.strip().split(":")
        return round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)
    except ValueError:
        return None


def _tag(tags: dict[str, str], name: str) -> str | None:
    for key, value in tags.items():
        if key.lower() == name:
            return value
    return None


#: handler names ffmpeg and other muxers write by default: not titles
_DEFAULT_HANDLERS = {
    "videohandler", "soundhandler", "subtitlehandler", "texthandler", "core media video", "core media audio",
    "core media text", "apple video media handler", "apple sound media handler", "apple text media handler",
    "gpac isomedia handler", "l-smash video handler", "l-smash audio handler", "mp4 video", "mp4 audio",
}


def _title(tags: dict[str, str], format_name: str) -> str | None:
    """The stream title; MP4 keeps it in ``handler_name`` (ffmpeg's mp4 muxer drops ``title``)."""
    title = _tag(tags, "title")
    if title is None and format_name.startswith("mov"):
        handler = _tag(tags, "handler_name")
        if handler and handler.strip().lower() not in _DEFAULT_HANDLERS:
            return handler
    return title


def _bcp47(language: str | None, tags: dict[str, str]) -> str | None:
    ietf = _tag(tags, "bcp47") or _tag(tags, "language-ietf") or _tag(tags, "language_ietf")
    if ietf:
        return ietf
    if not language or language == "und":
        return None

    lang = from_container(language)
    return lang.tag if lang is not None else None


def _details(raw: dict[str, Any]) -> dict[str, Any]:
    kind = raw.get("codec_type")
    if kind == "video":
        out: dict[str, Any] = {"width": raw.get("width"), "height": raw.get("height")}
        rate = raw.get("avg_frame_rate") or raw.get("r_frame_rate")
        if rate and rate != "0/0":
            num, _, den = str(rate).partition("/")
            with contextlib.suppress(ValueError, ZeroDivisionError):
                out["fps"] = round(int(num) / int(den or 1), 3)
        return out
    if kind == "audio":
        return {
            "channels": raw.get("channels"),
            "sample_rate": int(raw["sample_rate"]) if raw.get("sample_rate") else None,
            "channel_layout": raw.get("channel_layout"),
        }
    return {}


def parse_ffprobe(data: dict[str, Any], path: str) -> ProbeResult:
    """Turn ffprobe's ``-show_format -show_streams -of json`` output into a :class:`ProbeResult`."""
    fmt = data.get("format") or {}
    file_ms = _seconds_ms(fmt.get("duration")) or 0
    counters: dict[str, int] = {}
    streams: list[StreamInfo] = []
    for raw in data.get("streams") or []:
        kind = str(raw.get("codec_type") or "unknown")
        tags = {str(k): str(v) for k, v in (raw.get("tags") or {}).items()}
        language = _tag(tags, "language")
        disp = raw.get("disposition") or {}
        # the Matroska tag first: ffprobe fills a subtitle stream's "duration" with the file's
        duration = _clock_ms(_tag(tags, "duration"))
        if duration is None:
            duration = _seconds_ms(raw.get("duration"))
        streams.append(
            StreamInfo(
                index=int(raw.get("index", len(streams))),
                type=kind,
                codec=str(raw.get("codec_name") or "unknown"),
                language=language,
                language_bcp47=_bcp47(language, tags),
                title=_title(tags, str(fmt.get("format_name") or "")),
                dispositions=[d for d in DISPOSITIONS if disp.get(d)],
                duration_ms=duration,
                type_index=counters.get(kind, 0),
                details=_details(raw),
            )
        )
        counters[kind] = counters.get(kind, 0) + 1
    if not file_ms:
        file_ms = max((s.duration_ms or 0 for s in streams), default=0)
    return ProbeResult(
        path=path,
        format=str(fmt.get("format_name") or "unknown"),
        duration_ms=file_ms,
        streams=streams,
        size=int(fmt.get("size") or 0),
        tags={str(k): str(v) for k, v in (fmt.get("tags") or {}).items()},
    )


#: ffprobe options that read the container's headers and nothing else: no packets are decoded to
#: fill in codec details (frame rate, profile). Stream types, codec names, languages, titles,
#: dispositions and Matroska/MP4 durations all live in the headers; reading a 220 MB Matroska
#: file's takes 5 ms instead of 20 ms.
HEADERS_ONLY = ("-probesize", "32", "-analyzeduration", "1")


def probe(path: str | os.PathLike[str], *, headers_only: bool = False) -> ProbeResult:
    """Streams, languages, titles, dispositions and durations of a media file.

    ``headers_only`` skips decoding packets for codec details (``details`` may
    then lack the frame rate); what a mux verification compares is all there.

    Raises :class:`~dubdesk.errors.MediaError` naming the file when it is
    missing or not a media file ffprobe can read, and
    :class:`~dubdesk.errors.FFmpegNotFoundError` when ffprobe is absent.
    """
    name = os.fspath(path)
    p = Path(name)
    if not p.exists():
        raise MediaError("no such file", path=name)
    if p.is_dir():
        raise MediaError("is a folder, not a media file", path=name)
    cmd = [
        ffprobe_path(),
        "-v", "error",
        *(HEADERS_ONLY if headers_only else ()),
        "-show_format",
        "-show_streams",
        "-of", "json",
        safe_input(name),
    ]  # fmt: skip
    try:
        proc = processes.run(cmd, timeout=120)
    except OSError as exc:
        raise MediaError(f"cannot run ffprobe: {exc.strerror or exc}", path=name) from exc
    except subprocess.TimeoutExpired as exc:
        raise MediaError("ffprobe took longer than 120 s", path=name) from exc
    err = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        reason = err.splitlines()[-1] if err else f"ffprobe exited with {proc.returncode}"
        reason = reason.replace(safe_input(name) + ": ", "").replace(name + ": ", "")
        raise MediaError(f"not a readable media file: {reason}", path=name)
    try:
        data = json.loads(proc.stdout.decode("utf-8", "replace"))
    except json.JSONDecodeError as exc:
        raise MediaError("ffprobe printed something that is not JSON", path=name) from exc
    result = parse_ffprobe(data, name)
    if not result.streams:
        raise MediaError("no audio, video or subtitle streams found", path=name)
    return result

"""``extract``: pull one subtitle or audio track back out of a video, chosen by language."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import languages, processes
from ..errors import DubdeskError, MediaError, MuxError, UsageError
from ..files import atomic_path, refuse_overwrite
from .containers import PathLike
from .probe import ProbeResult, StreamInfo, probe
from .tools import ffmpeg_path, safe_input

log = logging.getLogger(__name__)

#: output extension -> (ffmpeg encoder, ffmpeg muxer) for subtitles
_SUBTITLE_OUTPUTS = {".srt": ("srt", "srt"), ".ass": ("ass", "ass"), ".ssa": ("ass", "ass"), ".vtt": ("webvtt", "webvtt")}
#: output extension -> ffmpeg muxer for audio (stream copy)
_AUDIO_OUTPUTS = {".m4a": "ipod", ".mp4": "mp4", ".mka": "matroska", ".aac": "adts", ".ogg": "ogg",
                  ".opus": "opus", ".ac3": "ac3", ".eac3": "eac3", ".flac": "flac", ".wav": "wav", ".mp3": "mp3"}  # fmt: skip


@dataclass
class ExtractResult:
    output: str
    stream: StreamInfo
    kind: str
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"output": self.output, "kind": self.kind, "stream": self.stream.to_dict(), "warnings": self.warnings}


def _matches(stream: StreamInfo, lang: languages.Language) -> int:
    """2: exact BCP 47 match, 1: same ISO 639-2 code, 0: no match."""
    if stream.language_bcp47 and languages.from_container(stream.language_bcp47) == lang:
        return 2
    found = languages.from_container(stream.language or "")
    return 1 if found is not None and found.iso639_2b == lang.iso639_2b else 0


def find_stream(info: ProbeResult, kind: str, language: str | None = None, index: int | None = None) -> StreamInfo:
    """The one ``kind`` stream in ``language`` (or with absolute ``index``); a clear error otherwise."""
    pool = info.of_type(kind)
    if index is not None:
        for s in pool:
            if s.index == index:
                return s
        raise UsageError(f"stream #{index} is not a {kind} stream", path=info.path)
    if language is None:
        raise UsageError(f"say which {kind} track: a language or --index")
    lang = languages.get(language)
    scored = [(m, s) for s in pool if (m := _matches(s, lang))]
    if not scored:
        have = ", ".join(f"#{s.index} {s.language_bcp47 or s.language or 'und'}" for s in pool) or "none"
        raise MediaError(f"no {kind} track in {lang.tag} (the file has: {have})", path=info.path)
    best = max(m for m, _ in scored)
    chosen = [s for m, s in scored if m == best]
    if len(chosen) > 1:
        # an audio language with both the original and a dub: the dub is what people extract
        dubs = [s for s in chosen if "dub" in s.dispositions]
        if len(dubs) == 1:
            return dubs[0]
        raise MediaError(
            f"{len(chosen)} {kind} tracks in {lang.tag}: " + ", ".join(f"#{s.index}" for s in chosen),
            path=info.path,
            hint="choose one with --index",
        )
    return chosen[0]


def extract(
    video: PathLike,
    output: PathLike,
    *,
    kind: str = "subtitle",
    language: str | None = None,
    index: int | None = None,
) -> ExtractResult:
    """Write the ``kind`` (``subtitle`` or ``audio``) track in ``language`` of ``video`` to ``output``.

    Subtitles are converted to the output's format (``.srt``, ``.ass``,
    ``.vtt``); audio is stream-copied into the container the extension names
    (``.m4a``, ``.mka``, ...). Written atomically; never overwrites the input.
    """
    video_s, output_s = os.fspath(video), os.fspath(output)
    kind = {"subs": "subtitle", "subtitles": "subtitle", "sub": "subtitle"}.get(kind, kind)
    if kind not in {"subtitle", "audio"}:
        raise UsageError(f"cannot extract {kind!r}: use subtitle or audio")
    refuse_overwrite(output_s, [video_s], hint="write to another path")
    suffix = Path(output_s).suffix.lower()
    info = probe(video_s)
    stream = find_stream(info, kind, language, index)
    warnings: list[str] = []
    args = [ffmpeg_path(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", safe_input(video_s),
            "-map", f"0:{stream.index}"]  # fmt: skip
    if kind == "subtitle":
        if suffix not in _SUBTITLE_OUTPUTS:
            raise UsageError(f"cannot write subtitles as {suffix or 'no extension'}", hint="name the output .srt, .ass or .vtt")
        if stream.codec in {"hdmv_pgs_subtitle", "dvd_subtitle", "dvb_subtitle"}:
            raise MediaError(f"stream #{stream.index} is a bitmap subtitle ({stream.codec}); it cannot become text", path=video_s)
        encoder, muxer = _SUBTITLE_OUTPUTS[suffix]
        if stream.codec == "ass" and encoder != "ass":
            warnings.append(f"ASS styling is lost in {suffix}")
        args += ["-c:s", encoder, "-f", muxer]
    else:
        if suffix not in _AUDIO_OUTPUTS:
            raise UsageError(f"cannot write audio as {suffix or 'no extension'}", hint="name the output .m4a or .mka")
        args += ["-c:a", "copy", "-f", _AUDIO_OUTPUTS[suffix]]
    try:
        with atomic_path(output_s) as tmp:
            proc = processes.run([*args, safe_input(str(tmp))])
            if proc.returncode != 0 or proc.stderr.strip():  # ffmpeg may exit 0 after a failed write
                lines = [ln for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
                reason = "; ".join(lines[-2:]) or f"exit code {proc.returncode}"
                raise MuxError(f"ffmpeg failed: {reason.replace(str(tmp), output_s)}", path=output_s,
                               hint="nothing was written")  # fmt: skip
    except DubdeskError:
        raise
    except OSError as exc:
        raise MuxError(f"cannot write output: {exc.strerror or exc}", path=output_s) from exc
    for w in warnings:
        log.warning("%s", w)
    return ExtractResult(output=output_s, stream=stream, kind=kind, warnings=warnings)

"""One input of a mux (:class:`MuxInput`) and what a subtitle file brings to a plan: its format,
encoding and length (:class:`SubtitleFacts`, loaded here or passed in by a caller that knows them),
turned into the input ffmpeg reads and the codec it reads it as."""

from __future__ import annotations

from dataclasses import dataclass

from ..subtitles import load
from ..track import Track


@dataclass(frozen=True)
class MuxInput:
    """One ``-i`` of the ffmpeg command."""

    path: str  #: the file the user named
    kind: str  #: video, audio, subtitle
    #: what ffmpeg reads: ``path``, or a UTF-8 copy written at mux time (see ``convert``)
    read_path: str | None = None
    #: subtitle format of a UTF-8 copy to write before muxing (legacy encoding, or a format ffmpeg cannot read)
    convert: str | None = None
    language: str | None = None  #: BCP 47, for subtitle copies

    @property
    def ffmpeg_path(self) -> str:
        return self.read_path or self.path


@dataclass(frozen=True)
class SubtitleFacts:
    """What a plan needs to know of a subtitle file; a caller that has just written the file passes
    them to :func:`plan_mux`, which then does not load it again."""

    format: str  #: pysubs2 format id (srt, ass, ssa, vtt, ...)
    encoding: str
    duration_ms: int  #: end of the last cue

    @classmethod
    def of(cls, track: Track, fmt: str, encoding: str = "utf-8") -> SubtitleFacts:
        """The facts of ``track`` as written in ``fmt`` and ``encoding``."""
        return cls(fmt, encoding, track.duration_ms)


#: pysubs2 format ids ffmpeg's own demuxers read; anything else is converted to SRT first
_FFMPEG_READS = {"srt": "subrip", "ass": "ass", "ssa": "ass", "vtt": "webvtt"}


#: what a subtitle file brings to a plan: its input, codec, end of the last cue, warnings
LoadedSubtitles = tuple[MuxInput, str, int, list[str]]


def load_facts(path: str, language: str) -> SubtitleFacts:
    """Load a subtitle file to learn its facts (what a caller that has the track passes instead)."""
    track = load(path, language=language)
    return SubtitleFacts.of(track, track.source.format or "srt", track.source.encoding)


def subtitle_input(path: str, language: str, facts: SubtitleFacts) -> LoadedSubtitles:
    """A subtitle file's input, codec as ffmpeg will read it, end time, notes."""
    fmt = facts.format.lower()
    utf8 = facts.encoding.replace("_", "-").lower() in {"utf-8", "utf-8-sig", "utf8", "ascii"}
    notes: list[str] = []
    convert: str | None = None
    if fmt not in _FFMPEG_READS:
        convert = "srt"
        notes.append(f"{path}: {fmt} is converted to SRT for ffmpeg")
    elif not utf8:
        convert = "ass" if fmt in {"ass", "ssa"} else ("vtt" if fmt == "vtt" else "srt")
    codec = _FFMPEG_READS.get(convert or fmt, "subrip")
    inp = MuxInput(path=path, kind="subtitle", convert=convert, language=language)
    return inp, codec, facts.duration_ms, notes

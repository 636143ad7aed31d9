"""The mux plan: what goes into a delivery, as plain data, and the exact ffmpeg arguments for it.

:func:`plan_mux` looks at the inputs (ffprobe, subtitle loading; what the caller already
knows, it passes in: ``probes``, ``subtitle_facts``) and returns a :class:`MuxPlan`; :func:`plan_to_args` is a pure function from a plan to the
argument list ffmpeg runs. Streams are mapped by absolute index and copied
(``-c copy``); only subtitles the container cannot hold are converted
(ASS/SRT stay as they are in Matroska, MP4 gets ``mov_text``, WebM
``webvtt``). ffmpeg-python is not used here: it cannot repeat an option, and
a mux needs ``-map``, ``-metadata:s:…`` and ``-disposition:…`` many times.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .. import languages
from ..errors import MediaError, UsageError
from ..files import refuse_overwrite
from .args import plan_to_args
from .containers import (
    CONTAINERS,
    ENCODER_CODEC,
    ContainerSpec,
    PathLike,
    container_for,
)
from .inputs import LoadedSubtitles, MuxInput, SubtitleFacts, load_facts, subtitle_input
from .probe import ProbeResult, StreamInfo, probe


@dataclass(frozen=True)
class PlannedStream:
    """One stream of the output, in output order."""

    kind: str  #: video, audio, subtitle, attachment
    input_index: int  #: which ``-i``
    source_stream: int  #: absolute stream index inside that input
    codec_in: str  #: codec as read
    encoder: str | None  #: None: stream copy; else the ffmpeg encoder (subtitles only)
    language: str | None  #: BCP 47 tag, None when unknown
    container_language: str | None  #: ISO 639-2/B written to the container; None: leave as is
    title: str | None
    dispositions: tuple[str, ...]  #: managed dispositions to set, e.g. ("default", "original")
    duration_ms: int | None  #: expected duration (source stream, or end of the last cue)
    role: str  #: video, original, dub, subtitles, attachment

    @property
    def codec_out(self) -> str:
        """The codec ffprobe should report in the output."""
        return self.codec_in if self.encoder is None else ENCODER_CODEC.get(self.encoder, self.encoder)


@dataclass
class MuxPlan:
    """Everything a mux needs, as data: inputs, output streams in order, container, output."""

    inputs: list[MuxInput]
    streams: list[PlannedStream]
    container: str
    output: str
    video_duration_ms: int
    warnings: list[str] = field(default_factory=list)

    @property
    def spec(self) -> ContainerSpec:
        return CONTAINERS[self.container]

    def of_kind(self, kind: str) -> list[PlannedStream]:
        return [s for s in self.streams if s.kind == kind]

    def with_read_paths(self, read_paths: Mapping[int, str]) -> MuxPlan:
        """A copy whose inputs ``i`` are read from ``read_paths[i]`` (UTF-8 subtitle copies)."""
        inputs = [replace(inp, read_path=read_paths.get(i, inp.read_path)) for i, inp in enumerate(self.inputs)]
        return replace(self, inputs=inputs)

    def to_args(self, output: str | None = None, *, ffmpeg: str = "ffmpeg") -> list[str]:
        return plan_to_args(self, output, ffmpeg=ffmpeg)

    def to_dict(self) -> dict[str, Any]:
        return {
            "container": self.container,
            "output": self.output,
            "video_duration_ms": self.video_duration_ms,
            "inputs": [asdict(i) for i in self.inputs],
            "streams": [{**asdict(s), "codec_out": s.codec_out} for s in self.streams],
            "warnings": list(self.warnings),
        }

    @classmethod
    def create(cls, video: PathLike, output: PathLike, **options: Any) -> MuxPlan:
        """Same as :func:`plan_mux`."""
        return plan_mux(video, output, **options)


# ---------------------------------------------------------------------------- planning


def _lang(tag: str) -> languages.Language:
    return languages.get(tag)


def _title_for(lang: languages.Language | None, fallback: str) -> str:
    return lang.native if lang is not None else fallback


def _split_title_key(key: str) -> tuple[str | None, str]:
    kind, sep, rest = key.partition(":")
    if sep and kind in {"audio", "a", "subs", "s", "subtitle", "subtitles"}:
        return ("audio" if kind in {"audio", "a"} else "subtitle"), rest
    return None, key


def plan_mux(
    video: PathLike,
    output: PathLike,
    *,
    audio: Sequence[tuple[str, PathLike]] = (),
    subtitles: Sequence[tuple[str, PathLike]] = (),
    drop_original_audio: bool = False,
    original_language: str | None = None,
    default_audio: str | None = None,
    default_subtitles: str | None = None,
    forced: Iterable[str] = (),
    sdh: Iterable[str] = (),
    titles: Mapping[str, str] | None = None,
    container: str | None = None,
    probes: Mapping[str, ProbeResult] | None = None,
    subtitle_facts: Mapping[str, SubtitleFacts] | None = None,
) -> MuxPlan:
    """Plan a delivery: ``video`` plus dub ``audio`` and ``subtitles`` (``(language, path)`` pairs).

    The video's own audio is kept (marked ``original``) unless
    ``drop_original_audio``. Titles default to each language's own name
    (``titles`` overrides per language; ``audio:kk`` / ``subs:kk`` keys target
    one kind). Exactly one audio and one subtitle track are default: the ones
    named, else the first of each. ``forced``/``sdh`` name subtitle languages.
    ``probes`` (by path) and ``subtitle_facts`` (by path) are what the caller
    already knows; anything else is probed or loaded here.
    Raises :class:`~dubdesk.errors.UsageError` for unknown languages or
    options that name no track, :class:`~dubdesk.errors.MediaError` for
    unreadable or wrong-kind inputs.
    """
    video_s, output_s = os.fspath(video), os.fspath(output)
    spec = container_for(output_s, container)
    audio_pairs = [(_lang(lg).tag, os.fspath(p)) for lg, p in audio]
    sub_pairs = [(_lang(lg).tag, os.fspath(p)) for lg, p in subtitles]
    forced_set = {_lang(x).tag for x in forced}
    sdh_set = {_lang(x).tag for x in sdh}
    title_map: dict[tuple[str | None, str], str] = {}
    for key, text in (titles or {}).items():
        kind, lg = _split_title_key(key)
        title_map[(kind, _lang(lg).tag)] = text
    orig_lang = _lang(original_language) if original_language else None
    refuse_overwrite(
        output_s, [video_s, *(p for _, p in audio_pairs), *(p for _, p in sub_pairs)], hint="write to another path"
    )
    cache, loaded = _read_inputs(video_s, audio_pairs, sub_pairs, probes, subtitle_facts or {})
    plan = _Planner(spec, title_map, video_s, cache)
    if not drop_original_audio:
        plan.add_original_audio(orig_lang)
    for lg, path in audio_pairs:
        plan.add_dub(lg, path)
    plan.add_video_subtitles()
    for lg, path in sub_pairs:
        flags = (("forced", lg in forced_set), ("hearing_impaired", lg in sdh_set))
        plan.add_subtitles(lg, path, loaded[(lg, path)], tuple(d for d, on in flags if on))
    plan.add_attachments()
    for opt, wanted in (("forced", forced_set), ("sdh", sdh_set)):
        missing = wanted - {s.language for s in plan.streams if s.kind == "subtitle"}
        if missing:
            raise UsageError(f"{opt}={', '.join(sorted(missing))}: no subtitle track in that language")
    streams = _choose_default(plan.streams, "audio", default_audio, "default_audio")
    streams = _choose_default(streams, "subtitle", default_subtitles, "default_subtitles")
    lost = sorted({d for s in streams for d in s.dispositions} - spec.dispositions)
    if lost:
        plan.warnings.append(
            f"{spec.name.upper()} cannot store the {', '.join(lost)} flag(s) (ffmpeg's {spec.muxer} muxer has none)"
        )
    return MuxPlan(inputs=plan.inputs, streams=streams, container=spec.name, output=output_s,
                   video_duration_ms=plan.video_ms, warnings=plan.warnings)  # fmt: skip


def _read_inputs(
    video: str,
    audio: list[tuple[str, str]],
    subtitles: list[tuple[str, str]],
    probes: Mapping[str, ProbeResult] | None,
    facts: Mapping[str, SubtitleFacts],
) -> tuple[dict[str, ProbeResult], dict[tuple[str, str], LoadedSubtitles]]:
    """Probe every media input the caller has not probed and load every subtitle file whose facts
    it did not pass, at once: ffprobe is mostly process start-up (50-100 ms), so one after the
    other would add up."""
    cache = dict(probes or {})
    to_probe = [p for p in dict.fromkeys([video, *(p for _, p in audio)]) if p not in cache]
    loaded: dict[tuple[str, str], LoadedSubtitles] = {}
    with ThreadPoolExecutor(max_workers=max(1, min(8, len(to_probe) + len(subtitles)))) as pool:
        probe_jobs = {p: pool.submit(probe, p) for p in to_probe}
        sub_jobs = {(lg, p): pool.submit(load_facts, p, lg) for lg, p in subtitles if p not in facts}
        for media_path, probe_job in probe_jobs.items():  # in order: the first failure reported is the first input's
            cache[media_path] = probe_job.result()
        for lg, p in subtitles:
            known = facts.get(p)
            loaded[(lg, p)] = subtitle_input(p, lg, known if known is not None else sub_jobs[(lg, p)].result())
    return cache, loaded


class _Planner:
    """The streams of a plan, added kind by kind in output order, with the warnings they raise."""

    def __init__(
        self, spec: ContainerSpec, titles: dict[tuple[str | None, str], str], video: str, probes: dict[str, ProbeResult]
    ) -> None:
        self.spec, self.titles, self.video, self.probes = spec, titles, video, probes
        self.warnings: list[str] = []
        self.inputs: list[MuxInput] = [MuxInput(path=video, kind="video")]
        self.streams: list[PlannedStream] = []
        self.vinfo = self.probed(video)
        videos = [s for s in self.vinfo.video if "attached_pic" not in s.dispositions]
        if not videos:
            raise MediaError("no video stream", path=video, hint="the first argument must be the episode video")
        self.video_ms = max((s.duration_ms or 0) for s in videos) or self.vinfo.duration_ms
        for n, s in enumerate(videos):
            if spec.video_codecs is not None and s.codec not in spec.video_codecs:
                raise MediaError(
                    f"{spec.name.upper()} cannot hold {s.codec} video and dubdesk never re-encodes",
                    path=video,
                    hint="choose the mkv container",
                )
            self.streams.append(
                PlannedStream("video", 0, s.index, s.codec, None, None, None, None,
                              ("default",) if n == 0 else (), s.duration_ms, "video")
            )  # fmt: skip

    def probed(self, path: str) -> ProbeResult:
        if path not in self.probes:
            self.probes[path] = probe(path)
        return self.probes[path]

    def title_of(self, kind: str, lang: languages.Language | None, fallback: str) -> str:
        if lang is not None:
            for key in ((kind, lang.tag), (None, lang.tag)):
                if key in self.titles:
                    return self.titles[key]
        return _title_for(lang, fallback)

    def check_audio_codec(self, s: StreamInfo, path: str) -> None:
        if self.spec.audio_codecs is not None and s.codec not in self.spec.audio_codecs:
            raise MediaError(
                f"{self.spec.name.upper()} cannot hold {s.codec} audio and dubdesk never re-encodes",
                path=path,
                hint="choose the mkv container, or give Opus/Vorbis audio",
            )

    def add_original_audio(self, orig_lang: languages.Language | None) -> None:
        """The video's own audio: the first is the ``original``, the others keep their flags."""
        for n, s in enumerate(self.vinfo.audio):
            self.check_audio_codec(s, self.video)
            lang = orig_lang if (orig_lang is not None and n == 0) else languages.from_container(s.language or "")
            if s.language_bcp47 and lang is not None and s.language_bcp47 != lang.tag and n > 0:
                lang = languages.from_container(s.language_bcp47) or lang
            disp: tuple[str, ...] = ("original",) if n == 0 else tuple(
                d for d in s.dispositions if d in {"original", "dub"}
            )
            self.streams.append(
                PlannedStream("audio", 0, s.index, s.codec, None, lang.tag if lang else None,
                              lang.iso639_2b if lang else (s.language or "und"),
                              self.title_of("audio", lang, "Original" if n == 0 else (s.title or f"Audio {n + 1}")),
                              disp, s.duration_ms, "original" if n == 0 else "audio")
            )  # fmt: skip

    def add_dub(self, lg: str, path: str) -> None:
        """A dub audio file (its first audio stream), warned about when its length is not the video's."""
        info = self.probed(path)
        if not info.audio:
            raise MediaError("not an audio file: no audio stream found", path=path, hint=f"the {lg} dub must be an audio file")
        s = info.audio[0]
        self.check_audio_codec(s, path)
        lang = _lang(lg)
        self.inputs.append(MuxInput(path=path, kind="audio"))
        dur = s.duration_ms or info.duration_ms
        self.streams.append(
            PlannedStream("audio", len(self.inputs) - 1, s.index, s.codec, None, lang.tag, lang.iso639_2b,
                          self.title_of("audio", lang, lang.native), ("dub",), dur, "dub")
        )  # fmt: skip
        video_ms = self.video_ms
        if video_ms and dur and abs(dur - video_ms) > max(1000, video_ms // 50):
            longer = "longer" if dur > video_ms else "shorter"
            self.warnings.append(
                f"{path}: {lang.tag} dub audio is {abs(dur - video_ms) / 1000:.1f} s {longer} than the video "
                f"({dur / 1000:.1f} s vs {video_ms / 1000:.1f} s)"
            )

    def add_video_subtitles(self) -> None:
        """Subtitle streams already in the video are kept (converted if the container needs it)."""
        spec = self.spec
        for s in self.vinfo.subtitles:
            if s.codec not in spec.subtitle_codecs:
                raise MediaError(
                    f"the video's subtitle stream #{s.index} ({s.codec}) cannot go into {spec.name.upper()}",
                    path=self.video,
                    hint="choose the mkv container",
                )
            lang = languages.from_container(s.language_bcp47 or s.language or "")
            self.streams.append(
                PlannedStream("subtitle", 0, s.index, s.codec, spec.subtitle_codecs[s.codec],
                              lang.tag if lang else None, lang.iso639_2b if lang else (s.language or "und"),
                              s.title or self.title_of("subtitle", lang, "Subtitles"),
                              tuple(d for d in s.dispositions if d in {"forced", "hearing_impaired"}),
                              s.duration_ms, "subtitles")
            )  # fmt: skip

    def add_subtitles(self, lg: str, path: str, loaded: LoadedSubtitles, dispositions: tuple[str, ...]) -> None:
        """A subtitle file, converted to what the container holds (styling lost is a warning)."""
        spec = self.spec
        lang = _lang(lg)
        inp, codec, end_ms, notes = loaded
        self.warnings.extend(notes)
        self.inputs.append(inp)
        encoder = spec.subtitle_codecs.get(codec)
        if codec in {"ass", "ssa"} and encoder in {"mov_text", "webvtt"}:
            self.warnings.append(f"{path}: ASS styling (fonts, colours, positions) is lost in {spec.name.upper()} ({encoder})")
        self.streams.append(
            PlannedStream("subtitle", len(self.inputs) - 1, 0, codec, encoder, lang.tag, lang.iso639_2b,
                          self.title_of("subtitle", lang, lang.native), dispositions, end_ms, "subtitles")
        )  # fmt: skip
        if self.video_ms and end_ms > self.video_ms + 100:
            self.warnings.append(
                f"{path}: {lang.tag} subtitles run {(end_ms - self.video_ms) / 1000:.1f} s past the end of the video"
            )

    def add_attachments(self) -> None:
        """Fonts attached for ASS (Matroska only); data streams are dropped, with a warning."""
        if self.spec.name == "mkv":
            for s in self.vinfo.streams:
                if s.type == "attachment":
                    self.streams.append(PlannedStream("attachment", 0, s.index, s.codec, None, None, None, None, (),
                                                      None, "attachment"))  # fmt: skip
        dropped = [s for s in self.vinfo.streams if s.type in {"data", "unknown"}]
        if dropped:
            self.warnings.append(f"{self.video}: {len(dropped)} data stream(s) are not carried over")


def _choose_default(streams: list[PlannedStream], kind: str, language: str | None, option: str) -> list[PlannedStream]:
    """Exactly one default among streams of ``kind``: the first in ``language``, else the first."""
    of_kind = [i for i, s in enumerate(streams) if s.kind == kind]
    if not of_kind:
        if language is not None:
            raise UsageError(f"{option}={language}: there is no {kind} track")
        return streams
    chosen = of_kind[0]
    if language is not None:
        tag = _lang(language).tag
        matches = [i for i in of_kind if streams[i].language == tag]
        if not matches:
            raise UsageError(f"{option}={language}: no {kind} track in that language")
        # a dub beats the original when both are in the language asked for
        dubs = [i for i in matches if streams[i].role == "dub"]
        chosen = (dubs or matches)[0]
    out = list(streams)
    for i in of_kind:
        rest = tuple(d for d in out[i].dispositions if d != "default")
        out[i] = replace(out[i], dispositions=(("default", *rest) if i == chosen else rest))
    return out

"""Media analysis with ffmpeg's own filters: shot changes, loudness, speech.

One decode pass runs every analysis asked for on one file: ``scdet`` on the
first video stream (shot changes, exact frame times), ``ebur128`` with
``peak=true`` on the first audio stream (ITU-R BS.1770 integrated loudness,
loudness range, true peak — program loudness: ffmpeg has no dialogue gating)
and ``silencedetect`` on the same audio (speech is what is not silence).

The filter graph is built with ffmpeg-python and turned into an exact
argument list by :func:`analysis_args` (pure, tested argument for argument);
:func:`run_analysis` runs it and :func:`parse_output` reads what ffmpeg
printed (pure as well). ffmpeg-python 0.2.0 writes a list-valued option as
the literal text ``['a', 'b']``, so every filter option here is a scalar, and
the global options are put in front by hand (it appends them after the output).

Results are cached by the file's content hash (sha256) under
``$DUBDESK_HOME/cache/media`` (else the platform's user cache folder), one
JSON file per analysis and parameters, so a re-run of QA on the same video
decodes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import platformdirs

from .. import processes
from ..errors import MediaError, UsageError
from ..files import atomic_write_bytes
from ..frames import parse_fps
from .probe import ProbeResult, probe
from .tools import ffmpeg_path, safe_input

#: bump when the parsing or the graph changes what a cached result means
CACHE_VERSION = 1
#: scdet's default threshold (its score is the mean absolute frame difference in percent)
DEFAULT_SHOT_THRESHOLD = 10.0


@dataclass(frozen=True)
class SilenceSpec:
    """silencedetect parameters: below ``noise_db`` dBFS for at least ``min_silence_ms`` is silence."""

    noise_db: float = -45.0
    min_silence_ms: int = 250

    def key(self) -> str:
        return f"n{self.noise_db:g}-d{self.min_silence_ms}"


@dataclass(frozen=True)
class Loudness:
    """EBU R128 / ITU-R BS.1770 figures of a whole programme, as ffmpeg's ``ebur128`` prints them."""

    integrated_lufs: float
    range_lu: float
    true_peak_dbtp: float

    def to_dict(self) -> dict[str, float]:
        return {"integrated_lufs": self.integrated_lufs, "range_lu": self.range_lu, "true_peak_dbtp": self.true_peak_dbtp}


@dataclass
class Analysis:
    """What one pass found; a part not asked for is None."""

    path: str
    duration_ms: int = 0  #: the file's duration (ffprobe)
    shot_changes_ms: list[int] | None = None
    loudness: Loudness | None = None
    speech_ms: list[tuple[int, int]] | None = None  #: (start, end) of non-silent stretches
    cached: list[str] = field(default_factory=list)  #: which parts came from the cache

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "duration_ms": self.duration_ms,
            "shot_changes_ms": self.shot_changes_ms,
            "loudness": None if self.loudness is None else self.loudness.to_dict(),
            "speech_ms": None if self.speech_ms is None else [list(s) for s in self.speech_ms],
            "cached": list(self.cached),
        }


# ---------------------------------------------------------------------------- the graph (pure)


def analysis_args(
    path: str | os.PathLike[str],
    *,
    shots: float | None = None,
    loudness: bool = False,
    silence: SilenceSpec | None = None,
    ffmpeg: str = "ffmpeg",
) -> list[str]:
    """The exact ffmpeg command for one analysis pass over ``path``.

    ``shots`` is the scdet threshold (None: no shot detection). The video chain
    moves to microsecond timestamps (``settb=AVTB``) so the printed ``pts`` is
    exact, passes only scene-change frames and prints their metadata to
    stdout; the audio chain logs its summary (ebur128) and silence edges
    (silencedetect) to stderr at the default info level. Nothing is written.
    """
    import ffmpeg as ffmpeg_python

    if shots is None and not loudness and silence is None:
        raise ValueError("nothing to analyse")
    source = ffmpeg_python.input(safe_input(path))
    streams: list[Any] = []
    if shots is not None:
        streams.append(
            source.video.filter("settb", "AVTB")
            .filter("scdet", threshold=f"{shots:g}", sc_pass=1)
            .filter("metadata", mode="print", file="-")
        )
    if loudness or silence is not None:
        audio = source.audio
        if loudness:
            # framelog=verbose: the per-100 ms lines stay out of the info log; the summary stays in
            audio = audio.filter("ebur128", peak="true", framelog="verbose")
        if silence is not None:
            audio = audio.filter("silencedetect", noise=f"{silence.noise_db:g}dB", d=f"{silence.min_silence_ms / 1000:g}")
        streams.append(audio)
    graph = ffmpeg_python.output(*streams, "-", f="null")
    return [ffmpeg, "-hide_banner", "-nostdin", "-nostats", *graph.get_args()]


# ---------------------------------------------------------------------------- reading the output (pure)

_PTS_RE = re.compile(r"^frame:\d+\s+pts:(-?\d+)\s+pts_time:\S+", re.M)
_SUMMARY_RE = re.compile(
    r"Integrated loudness:\s*I:\s*(-?[\d.]+|-inf|nan) LUFS.*?Loudness range:\s*LRA:\s*(-?[\d.]+|nan) LU"
    r".*?True peak:\s*Peak:\s*(-?[\d.]+|-inf|nan) dBFS",
    re.S,
)
_SILENCE_START_RE = re.compile(r"silence_start: (-?[\d.]+)")
_SILENCE_END_RE = re.compile(r"silence_end: (-?[\d.]+)")


def _db(text: str) -> float:
    return float("-inf") if text == "-inf" else float(text)


def parse_shot_changes(stdout: str) -> list[int]:
    """Shot-change times in ms from the metadata filter's print (pts in microseconds)."""
    return sorted({round(int(m.group(1)) / 1000) for m in _PTS_RE.finditer(stdout) if int(m.group(1)) > 0})


def parse_loudness(stderr: str) -> Loudness | None:
    """The ``ebur128`` summary block (the last one ffmpeg printed)."""
    found = list(_SUMMARY_RE.finditer(stderr))
    if not found:
        return None
    i, lra, peak = found[-1].groups()
    return Loudness(_db(i), _db(lra), _db(peak))


def parse_speech(stderr: str, duration_ms: int) -> list[tuple[int, int]]:
    """Non-silent stretches: the complement of silencedetect's silences within ``[0, duration_ms]``."""
    starts = [round(float(x) * 1000) for x in _SILENCE_START_RE.findall(stderr)]
    ends = [round(float(x) * 1000) for x in _SILENCE_END_RE.findall(stderr)]
    silences = []
    for n, start in enumerate(starts):
        end = ends[n] if n < len(ends) else duration_ms  # silence running to the end has no end line
        silences.append((max(0, start), min(duration_ms, end)))
    speech: list[tuple[int, int]] = []
    at = 0
    for start, end in sorted(silences):
        if start > at:
            speech.append((at, start))
        at = max(at, end)
    if at < duration_ms:
        speech.append((at, duration_ms))
    return speech


def parse_output(
    stdout: str, stderr: str, *, shots: bool, loudness: bool, silence: bool, duration_ms: int, path: str
) -> Analysis:
    """Turn one pass's output into an :class:`Analysis`; a missing loudness summary is a MediaError."""
    result = Analysis(path=path)
    if shots:
        result.shot_changes_ms = parse_shot_changes(stdout)
    if loudness:
        result.loudness = parse_loudness(stderr)
        if result.loudness is None:
            raise MediaError("ffmpeg printed no loudness summary (no decodable audio?)", path=path)
    if silence:
        result.speech_ms = parse_speech(stderr, duration_ms)
    return result


# ---------------------------------------------------------------------------- cache


def cache_dir() -> Path:
    """``$DUBDESK_HOME/cache/media``, else the platform's user cache folder for dubdesk (not created here)."""
    home = os.environ.get("DUBDESK_HOME")
    if home:
        return Path(home).expanduser() / "cache" / "media"
    return Path(platformdirs.user_cache_dir("dubdesk", appauthor=False)) / "media"


def content_hash(path: str | os.PathLike[str]) -> str:
    """sha256 of the file's bytes (about 1 GB/s: a small share of any decode)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _cache_file(digest: str, part: str) -> Path:
    return cache_dir() / f"{digest}.v{CACHE_VERSION}.{part}.json"


def _cache_read(digest: str, part: str) -> Any:
    try:
        return json.loads(_cache_file(digest, part).read_text("utf-8"))["value"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _cache_write(digest: str, part: str, value: Any) -> None:
    target = _cache_file(digest, part)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, json.dumps({"value": value}).encode("utf-8"))
    except OSError:
        pass  # a cache that cannot be written only costs time


# ---------------------------------------------------------------------------- running


def _media_facts(path: str) -> tuple[int, bool, bool, Fraction | None]:
    """(duration ms, has video, has audio, video fps) from ffprobe; MediaError for an unreadable file."""
    info = probe(path)
    return info.duration_ms, bool(info.video), bool(info.audio), fps_of(info)


def fps_of(info: ProbeResult) -> Fraction | None:
    """The frame rate of a probed file's first video stream (None if it has none)."""
    raw = info.video[0].details.get("fps") if info.video else None
    return parse_fps(str(raw)) if raw else None


def video_fps(path: str | os.PathLike[str]) -> Fraction | None:
    """The frame rate of the first video stream (None if it has none)."""
    return fps_of(probe(os.fspath(path)))


def analyze(
    path: str | os.PathLike[str],
    *,
    shots: float | None = None,
    loudness: bool = False,
    silence: SilenceSpec | None = None,
    use_cache: bool = True,
) -> Analysis:
    """Run the analyses asked for on ``path`` in one ffmpeg pass (cached parts are not recomputed).

    Raises :class:`~dubdesk.errors.MediaError` with one readable line when the
    file is missing, has no video stream (for ``shots``) or no audio stream
    (for ``loudness``/``silence``), or ffmpeg cannot decode it.
    """
    name = os.fspath(path)
    if shots is not None and not 0 <= shots <= 100:
        raise UsageError(f"shot-change threshold {shots:g} is outside 0-100", hint="scdet's default is 10")
    duration_ms, has_video, has_audio, _ = _media_facts(name)
    if shots is not None and not has_video:
        raise MediaError("has no video stream: shot changes need a video", path=name)
    if (loudness or silence is not None) and not has_audio:
        raise MediaError("has no audio stream to measure", path=name)
    parts = {
        "shots": None if shots is None else f"shots-t{shots:g}",
        "loudness": "loudness" if loudness else None,
        "speech": None if silence is None else f"speech-{silence.key()}",
    }
    digest = content_hash(name) if use_cache else ""
    result = Analysis(path=name, duration_ms=duration_ms)
    if use_cache:
        for kind, part in parts.items():
            if part is None:
                continue
            value = _cache_read(digest, part)
            if value is None:
                continue
            if kind == "shots":
                result.shot_changes_ms = [int(v) for v in value]
            elif kind == "loudness":
                result.loudness = Loudness(*(float(v) for v in value))
            else:
                result.speech_ms = [(int(a), int(b)) for a, b in value]
            result.cached.append(kind)
    need_shots = shots is not None and result.shot_changes_ms is None
    need_loud = loudness and result.loudness is None
    need_silence = silence is not None and result.speech_ms is None
    if not (need_shots or need_loud or need_silence):
        return result
    args = analysis_args(
        name, shots=shots if need_shots else None, loudness=need_loud, silence=silence if need_silence else None,
        ffmpeg=ffmpeg_path(),
    )  # fmt: skip
    stdout, stderr = _run(args, name)
    fresh = parse_output(stdout, stderr, shots=need_shots, loudness=need_loud, silence=need_silence,
                         duration_ms=duration_ms, path=name)  # fmt: skip
    if need_shots:
        result.shot_changes_ms = fresh.shot_changes_ms
        if use_cache and parts["shots"]:
            _cache_write(digest, parts["shots"], fresh.shot_changes_ms)
    if need_loud and fresh.loudness is not None:
        result.loudness = fresh.loudness
        if use_cache:
            lo = fresh.loudness
            _cache_write(digest, "loudness", [lo.integrated_lufs, lo.range_lu, lo.true_peak_dbtp])
    if need_silence:
        result.speech_ms = fresh.speech_ms
        if use_cache and parts["speech"]:
            _cache_write(digest, parts["speech"], fresh.speech_ms)
    return result


def _run(args: list[str], name: str) -> tuple[str, str]:
    try:
        proc = processes.run(args)  # dies with dubdesk, stopped on a signal
    except OSError as exc:
        raise MediaError(f"cannot run ffmpeg: {exc.strerror or exc}", path=name) from exc
    stdout = proc.stdout.decode("utf-8", "replace")
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
        reason = lines[-1] if lines else f"ffmpeg exited with {proc.returncode}"
        reason = reason.replace(safe_input(name) + ": ", "").replace(name + ": ", "")
        raise MediaError(f"ffmpeg cannot decode it: {reason}", path=name)
    return stdout, stderr


def shot_changes(
    path: str | os.PathLike[str], *, threshold: float = DEFAULT_SHOT_THRESHOLD, use_cache: bool = True
) -> list[int]:
    """Shot-change times (ms, each the start of the first frame of a new shot) of a video."""
    found = analyze(path, shots=threshold, use_cache=use_cache).shot_changes_ms
    return list(found or [])

"""Dub audio QA: loudness against a delivery profile, duration against the picture, speech against the cues.

Facts in, findings out: :func:`check_audio` takes what the analysis measured
(:class:`~dubdesk.media.analysis.Analysis`, durations, cues) and returns a
:class:`~dubdesk.qa.model.Report` in the same shape as subtitle QA, so every
renderer (text, JSON, CSV, JUnit, HTML) works on it. :func:`run_audio_qa` does
the I/O: ffprobe, one ffmpeg pass over the dub (ebur128 + silencedetect), and
the cue file.

Rule ids: ``loudness-integrated``, ``loudness-true-peak``, ``duration-picture``,
``duration-original``, ``dub-silent-cue``, ``dub-uncued-speech``, ``dub-offset``.
"""

from __future__ import annotations

import functools
import os
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import MediaError, UnknownProfileError
from ..frames import parse_fps
from ..media.analysis import SilenceSpec, analyze
from ..media.probe import probe
from ..profiles import ValueSource, values_with_sources
from ..subtitles import load
from ..track import Track
from .context import Cue, cues_of, make
from .model import Finding, Report, Severity

DELIVERIES_FILE = Path(__file__).with_name("deliveries.toml")

#: rule id -> (severity, summary), in report order
AUDIO_RULES: dict[str, tuple[Severity, str]] = {
    "loudness-integrated": (Severity.ERROR, "Integrated loudness outside the delivery profile's target ± tolerance."),
    "loudness-true-peak": (Severity.ERROR, "True peak above the delivery profile's maximum."),
    "duration-picture": (Severity.ERROR, "The dub is longer or shorter than the picture by more than a frame."),
    "duration-original": (Severity.WARNING, "The dub is longer or shorter than the original audio by more than a frame."),
    "dub-silent-cue": (Severity.WARNING, "The dub is silent (or nearly) in a cue's window."),
    "dub-uncued-speech": (Severity.WARNING, "A long stretch of dub speech with no cue."),
    "dub-offset": (Severity.WARNING, "Dub speech and cues line up best at a consistent offset (a sync error)."),
}

#: delivery profile value -> type
DELIVERY_VALUES: dict[str, type] = {
    "target_lufs": float,
    "tolerance_lu": float,
    "max_true_peak_dbtp": float,
    "duration_tolerance_frames": float,
    "silence_db": float,
    "min_silence_ms": int,
    "silent_cue_max_speech": float,
    "uncued_speech_ms": int,
    "max_offset_search_ms": int,
    "max_sync_late_ms": int,
    "max_sync_early_ms": int,
}


@dataclass(frozen=True)
class DeliveryProfile:
    """Loudness targets and dub checks for one kind of delivery."""

    name: str
    description: str
    target_lufs: float
    tolerance_lu: float
    max_true_peak_dbtp: float
    duration_tolerance_frames: float = 1.0
    silence_db: float = -45.0
    min_silence_ms: int = 250
    silent_cue_max_speech: float = 0.2
    uncued_speech_ms: int = 1500
    max_offset_search_ms: int = 2000
    max_sync_late_ms: int = 125
    max_sync_early_ms: int = 45
    derived: bool = False
    sources: dict[str, ValueSource] = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "derived": self.derived,
            "values": {k: getattr(self, k) for k in DELIVERY_VALUES},
            "sources": {k: {"source": v.source, "date": v.date} for k, v in sorted(self.sources.items())},
        }


@functools.lru_cache(maxsize=1)
def _deliveries() -> dict[str, Any]:
    with open(DELIVERIES_FILE, "rb") as fh:
        return tomllib.load(fh)


def delivery_profiles() -> list[str]:
    """Names of the shipped delivery profiles."""
    return [k for k in _deliveries() if k != "common"]


def load_delivery(name: str | DeliveryProfile = "ebu-r128") -> DeliveryProfile:
    """A shipped delivery profile by name; an unknown name is a usage error listing the known ones."""
    if isinstance(name, DeliveryProfile):
        return name
    data = _deliveries()
    key = str(name).strip().lower()
    if key == "common" or key not in data:
        raise UnknownProfileError(f"unknown delivery profile {name!r}", hint="use one of " + ", ".join(delivery_profiles()))
    values: dict[str, Any] = {}
    sources: dict[str, ValueSource] = {}
    for table in (data["common"], data[key]):
        read = values_with_sources(table.get("values"), str(DELIVERIES_FILE), "values", lambda k, v: DELIVERY_VALUES[k](v))
        for k, (value, source) in read.items():
            values[k], sources[k] = value, source
    return DeliveryProfile(
        name=key, description=str(data[key].get("description", "")), derived=bool(data[key].get("derived", False)),
        sources=sources, **values,
    )  # fmt: skip


# ---------------------------------------------------------------------------- speech and cues (pure)


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]], shift: int = 0) -> int:
    """Total ms where intervals ``a`` (moved by ``shift``) and ``b`` overlap; both sorted, disjoint within each."""
    total = i = j = 0
    while i < len(a) and j < len(b):
        s1, e1 = a[i][0] + shift, a[i][1] + shift
        s2, e2 = b[j]
        lo, hi = max(s1, s2), min(e1, e2)
        if hi > lo:
            total += hi - lo
        if e1 < e2:
            i += 1
        else:
            j += 1
    return total


def _merged(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(intervals):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def estimate_offset(speech: list[tuple[int, int]], cues: list[tuple[int, int]], search_ms: int,
                    step_ms: int = 10) -> tuple[int, float, float]:  # fmt: skip
    """(offset ms, overlap share at that offset, overlap share at 0) aligning speech to cues.

    The offset is how much later the speech is than the cues (positive: the dub
    is late). Overlap as a function of the offset has a plateau where speech
    sits inside the cues; the middle of the best plateau nearest 0 is taken.
    """
    speech, cues = _merged(speech), _merged(cues)
    cue_total = sum(e - s for s, e in cues) or 1
    scores = {o: _overlap(speech, cues, -o) for o in range(-search_ms, search_ms + 1, step_ms)}
    best = max(scores.values())
    if best <= 0:
        return 0, 0.0, 0.0
    near_best = sorted(o for o, v in scores.items() if v >= best * 0.995)
    runs: list[list[int]] = []
    for o in near_best:
        if runs and o - runs[-1][-1] == step_ms:
            runs[-1].append(o)
        else:
            runs.append([o])
    run = min(runs, key=lambda r: min(abs(r[0]), abs(r[-1])) if r[0] > 0 or r[-1] < 0 else 0)
    offset = (run[0] + run[-1]) // 2
    if run[0] <= 0 <= run[-1]:
        offset = 0  # zero is as good as any other: no evidence of an offset
    return offset, scores[offset] / cue_total if offset in scores else best / cue_total, scores[0] / cue_total


# ---------------------------------------------------------------------------- the checks (pure)


@dataclass
class AudioFacts:
    """Everything the audio rules look at, measured beforehand."""

    dub_path: str
    dub_duration_ms: int
    integrated_lufs: float | None = None
    range_lu: float | None = None
    true_peak_dbtp: float | None = None
    speech_ms: list[tuple[int, int]] | None = None
    video_duration_ms: int | None = None
    video_fps: Fraction | None = None
    original_audio_ms: int | None = None


def _cue_finding(rule: str, cue: Cue | None, message: str, **data: Any) -> Finding:
    severity = AUDIO_RULES[rule][0]
    return make(rule, severity, cue, message, **data)


def check_audio(facts: AudioFacts, delivery: DeliveryProfile, cues: Track | None = None) -> Report:
    """The audio rules over measured facts; a rule whose facts are missing does not run."""
    d = delivery
    findings: list[Finding] = []
    ran: list[str] = []
    if facts.integrated_lufs is not None:
        ran.append("loudness-integrated")
        i = facts.integrated_lufs
        if not abs(i - d.target_lufs) <= d.tolerance_lu + 1e-9:
            findings.append(_cue_finding(
                "loudness-integrated", None,
                f"integrated loudness {i:.1f} LUFS, target {d.target_lufs:g} ± {d.tolerance_lu:g} LU ({d.name}): "
                f"change the gain by {d.target_lufs - i:+.1f} dB",
                integrated_lufs=i, target_lufs=d.target_lufs, tolerance_lu=d.tolerance_lu,
            ))  # fmt: skip
    if facts.true_peak_dbtp is not None:
        ran.append("loudness-true-peak")
        tp = facts.true_peak_dbtp
        if tp > d.max_true_peak_dbtp + 1e-9:
            findings.append(_cue_finding(
                "loudness-true-peak", None,
                f"true peak {tp:.1f} dBTP, maximum {d.max_true_peak_dbtp:g} dBTP ({d.name}): limit the peaks",
                true_peak_dbtp=tp, max_true_peak_dbtp=d.max_true_peak_dbtp,
            ))  # fmt: skip
    fps = float(facts.video_fps) if facts.video_fps else 25.0
    tolerance = d.duration_tolerance_frames * 1000.0 / fps
    for rule, other, what in (("duration-picture", facts.video_duration_ms, "the picture"),
                              ("duration-original", facts.original_audio_ms, "the original audio")):  # fmt: skip
        if other is None:
            continue
        ran.append(rule)
        diff = facts.dub_duration_ms - other
        if abs(diff) > tolerance + 0.5:
            word = "longer" if diff > 0 else "shorter"
            findings.append(_cue_finding(
                rule, None,
                f"the dub lasts {facts.dub_duration_ms / 1000:.3f} s, {abs(diff) / 1000:.3f} s {word} than {what} "
                f"({other / 1000:.3f} s; tolerance {d.duration_tolerance_frames:g} frame at {fps:g} fps): "
                f"conform the dub to the picture",
                dub_ms=facts.dub_duration_ms, other_ms=other, difference_ms=diff,
            ))  # fmt: skip
    cue_facts: list[Cue] = []
    if cues is not None and facts.speech_ms is not None:
        cue_facts = cues_of(cues, 1.0)
        findings += _speech_findings(facts.speech_ms, cue_facts, d)
        ran += ["dub-silent-cue", "dub-uncued-speech", "dub-offset"]
    order = {rid: n for n, rid in enumerate(AUDIO_RULES)}
    findings.sort(key=lambda f: (f.cue if f.cue is not None else 0, order[f.rule]))
    return Report(
        findings=findings,
        profile=d.name,
        language=None if cues is None else cues.language,
        path=facts.dub_path,
        fps=None if facts.video_fps is None else round(float(facts.video_fps), 3),
        gap_fps=fps,
        video_duration_ms=facts.video_duration_ms,
        cue_count=len(cue_facts),
        duration_ms=facts.dub_duration_ms,
        rules=ran,
        cue_facts=cue_facts,
        measurements={
            "integrated_lufs": facts.integrated_lufs, "loudness_range_lu": facts.range_lu,
            "true_peak_dbtp": facts.true_peak_dbtp, "dub_duration_ms": facts.dub_duration_ms,
            "video_duration_ms": facts.video_duration_ms, "original_audio_ms": facts.original_audio_ms,
            "speech_ms": None if facts.speech_ms is None else sum(e - s for s, e in facts.speech_ms),
        },
    )  # fmt: skip


def _speech_findings(speech: list[tuple[int, int]], cues: list[Cue], d: DeliveryProfile) -> list[Finding]:
    out: list[Finding] = []
    windows = [(c.start, c.end) for c in cues if c.end > c.start and c.visible.strip()]
    offset, at_best, at_zero = estimate_offset(speech, windows, d.max_offset_search_ms)
    late, early = offset > d.max_sync_late_ms, -offset > d.max_sync_early_ms
    # a real sync error moves most speech into the cues; a plateau hardly better than 0 is noise
    shift = offset if (late or early) and at_best >= at_zero + 0.05 else 0
    if shift:
        out.append(_cue_finding(
            "dub-offset", None,
            f"dub speech lines up best with the cues {abs(shift)} ms {'later' if shift > 0 else 'earlier'} "
            f"({at_best:.0%} of cue time has speech, {at_zero:.0%} as is): "
            f"{'advance' if shift > 0 else 'delay'} the dub by {abs(shift)} ms",
            offset_ms=shift, overlap_at_offset=round(at_best, 3), overlap_as_is=round(at_zero, 3),
        ))  # fmt: skip
    merged = _merged(speech)
    for c in cues:
        if c.end <= c.start or not c.visible.strip():
            continue
        covered = _overlap(merged, [(c.start, c.end)], -shift)
        share = covered / (c.end - c.start)
        if share < d.silent_cue_max_speech:
            out.append(_cue_finding(
                "dub-silent-cue", c,
                f"the dub has speech in {share:.0%} of this cue's {c.duration / 1000:.3f} s: "
                "check the dub for a missing line (or the cue for a wrong time)",
                speech_share=round(share, 3),
            ))  # fmt: skip
    cue_windows = _merged(windows)
    for s, e in merged:
        if e - s < d.uncued_speech_ms:
            continue
        if _overlap([(s - shift, e - shift)], cue_windows) == 0:
            out.append(_cue_finding(
                "dub-uncued-speech", None,
                f"{(e - s) / 1000:.1f} s of dub speech from {s / 1000:.3f} s with no cue: add a cue "
                "(or check the dub for an extra line)",
                start_ms=s, end_ms=e,
            ))  # fmt: skip
            out[-1].start_ms, out[-1].end_ms = s, e
    return out


# ---------------------------------------------------------------------------- running (I/O)


def run_audio_qa(
    dub: str | os.PathLike[str],
    *,
    video: str | os.PathLike[str] | None = None,
    cues: Track | str | os.PathLike[str] | None = None,
    delivery: str | DeliveryProfile = "ebu-r128",
    use_cache: bool = True,
) -> Report:
    """Measure the dub (one ffmpeg pass, cached by content hash) and check it.

    ``video`` adds the duration checks (against its video stream and its
    first audio stream, the original); ``cues`` (a subtitle file or track)
    adds the speech-against-cues checks. Raises
    :class:`~dubdesk.errors.MediaError` for a file ffprobe or ffmpeg cannot read.
    """
    prof = load_delivery(delivery)
    track: Track | None
    track = cues if cues is None or isinstance(cues, Track) else load(cues)
    result = analyze(
        dub, loudness=True, silence=SilenceSpec(prof.silence_db, prof.min_silence_ms) if track is not None else None,
        use_cache=use_cache,
    )  # fmt: skip
    dub_info = probe(dub)
    dub_ms = max((s.duration_ms or 0 for s in dub_info.audio), default=0) or result.duration_ms
    facts = AudioFacts(dub_path=os.fspath(dub), dub_duration_ms=dub_ms, speech_ms=result.speech_ms)
    if result.loudness is not None:
        facts.integrated_lufs = result.loudness.integrated_lufs
        facts.range_lu = result.loudness.range_lu
        facts.true_peak_dbtp = result.loudness.true_peak_dbtp
    if video is not None:
        info = probe(video)
        if not info.video:
            raise MediaError("has no video stream to check the dub's duration against", path=os.fspath(video))
        stream = info.video[0]
        facts.video_duration_ms = stream.duration_ms or info.duration_ms
        raw_fps = stream.details.get("fps")
        facts.video_fps = parse_fps(str(raw_fps)) if raw_fps else None
        if info.audio:
            facts.original_audio_ms = info.audio[0].duration_ms or info.duration_ms
    return check_audio(facts, prof, track)

"""Building an episode's delivery: load → glossary apply → translate missing targets → QA (safe
fixes, stop on findings at ``fail_on``) → mux → verify, one public function per step so that a
season build (:mod:`dubdesk.season`) runs each language of each episode as its own job."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from ..errors import BuildStoppedError, ManifestError, UsageError
from ..files import atomic_write_bytes
from ..glossary import Glossary, apply_glossary, check_glossary, load_glossary
from ..media import ProbeResult, SubtitleFacts, plan_mux, probe, run_plan
from ..media.analysis import fps_of, shot_changes
from ..media.shotlist import read_shot_list
from ..qa.audio import run_audio_qa
from ..qa.check import run_qa
from ..qa.fixes import fix_track
from ..qa.model import Severity
from ..qa.reports import render
from ..subtitles import load, save
from ..track import Track
from ..translate import translate_track
from ..translate.engines import Engine
from ..translate.memory import TranslationMemory
from .manifest import FAIL_ON, LanguageSpec, Manifest, load_manifest
from .results import BuildResult, LanguageResult
from .state import built_state, fingerprint, read_state, write_state

#: progress(step, detail): step is one of load, glossary, translate, shots, qa, qa-audio, mux, verify, done
Progress = Callable[[str, str], None]
#: what a build keeps of a translation report
_TRANSLATION_KEYS = ("route", "cues", "seconds", "glossary_fixes", "flagged")


@dataclass
class Episode:
    """What every step of an episode's build needs: the manifest, the probed video, the glossary,
    the policy and the fingerprints of the shared inputs."""

    manifest: Manifest
    video_info: ProbeResult
    video_ms: int
    glossary: Glossary | None
    policy: str  #: fail_on, one of :data:`~dubdesk.project.manifest.FAIL_ON`
    fix: bool
    source_fp: str | None
    glossary_fp: str | None
    state: dict[str, Any]
    #: the picture's shot changes (ms) and the video's frame rate, found by the first QA step that asks
    _shots: tuple[list[int] | None, Fraction | None] | None = field(default=None, repr=False)

    def shot_facts(self, progress: Progress | None = None) -> tuple[list[int] | None, Fraction | None]:
        """The shot changes for QA (``[qa] shot_changes``: detected, cached by content, or read from a
        list) and the video's frame rate; (None, None) when the manifest does not ask for them.
        Only QA needs them: a translation or mux job never decodes the video."""
        if self._shots is None:
            self._shots = _shot_changes(self.manifest, fps_of(self.video_info), progress or _noop)
        return self._shots


def _noop(step: str, detail: str) -> None:
    pass


def _require(path: Path | None, what: str, manifest: Manifest) -> Path:
    if path is None or not path.is_file():
        raise ManifestError(f"{what} not found: {path}", path=str(manifest.path), hint="fix the path in the manifest")
    return path


def build(
    manifest: Manifest | str | os.PathLike[str] = "dubdesk.toml",
    *,
    progress: Progress | None = None,
    fail_on: str | None = None,
    fix: bool | None = None,
    force_translate: bool = False,
) -> BuildResult:
    """Build the delivery a manifest describes; returns what was built.

    Steps: load every subtitle file → apply the glossary (variants and
    forbidden forms become the approved form) → translate targets without a
    file (a translation made earlier from the same source and glossary is
    reused unless ``force_translate``) → QA each track against its language
    profile, applying the safe fixes first when ``fix`` (manifest ``[qa] fix``,
    default true) → stop with :class:`~dubdesk.errors.BuildStoppedError`
    (exit 3) when findings at or above ``fail_on`` (manifest ``[qa] fail_on``,
    default ``error``) remain → mux with the dub audio → ffprobe verification.
    Input files are never modified; delivered subtitles go to
    ``<output folder>/subtitles/``.

    The steps are also public one by one (:func:`open_episode`,
    :func:`load_language`, :func:`translate_target`, :func:`check_language`,
    :func:`stop_if_failed`, :func:`mux_episode`), so a season build
    (:mod:`dubdesk.season`) runs each language of each episode as its own job.
    """
    started = time.perf_counter()
    m = manifest if isinstance(manifest, Manifest) else load_manifest(manifest)
    say = progress or _noop
    ep = open_episode(m, progress=say, fail_on=fail_on, fix=fix)

    tracks: dict[str, Track] = {}
    results: dict[str, LanguageResult] = {}
    for spec in m.languages:
        results[spec.language] = LanguageResult(spec.language, "source" if spec.is_source else "target", "file")
        if spec.subtitles is not None:
            tracks[spec.language] = load_language(ep, spec, results[spec.language], progress=say)
    for spec in m.targets:
        if spec.translate:
            tracks[spec.language] = translate_target(
                ep, spec, tracks[m.source.language], results[spec.language], force=force_translate, progress=say
            )
    stop: list[str] = []
    for spec in m.languages:
        stop += check_language(ep, spec, tracks[spec.language], results[spec.language], progress=say)
    stop_if_failed(ep, stop)
    return mux_episode(ep, [results[s.language] for s in m.languages], progress=say, started=started)


def open_episode(
    manifest: Manifest,
    *,
    progress: Progress | None = None,
    fail_on: str | None = None,
    fix: bool | None = None,
    glossary: bool = True,
    video_info: ProbeResult | None = None,
) -> Episode:
    """Check that every input exists, probe the video (unless the caller passes its ``video_info``:
    a season worker probes each video once for all its jobs) and load the glossary (unless
    ``glossary`` is false: a job that does not need it)."""
    m = manifest
    say = progress or _noop
    policy = (fail_on or m.fail_on).lower()
    if policy not in FAIL_ON:
        raise UsageError(f"--fail-on {policy!r}", hint="use " + ", ".join(FAIL_ON))
    say("load", f"{m.path}")
    _require(m.video, "episode video", m)
    for spec in m.languages:
        if spec.subtitles is not None:
            _require(spec.subtitles, f"{spec.language} subtitles", m)
        if spec.audio is not None:
            _require(spec.audio, f"{spec.language} dub audio", m)
    if video_info is None:
        video_info = probe(m.video)
    video_ms = max((s.duration_ms or 0 for s in video_info.video), default=0) or video_info.duration_ms
    glossary_obj: Glossary | None = None
    if m.glossary is not None and glossary:
        say("glossary", str(_require(m.glossary, "glossary", m)))
        glossary_obj = load_glossary(m.glossary)
    return Episode(
        manifest=m,
        video_info=video_info,
        video_ms=video_ms,
        glossary=glossary_obj,
        policy=policy,
        fix=m.qa_fix if fix is None else fix,
        source_fp=fingerprint(m.source.subtitles),
        glossary_fp=fingerprint(m.glossary),
        state=read_state(m),
    )


def _shot_changes(m: Manifest, fps: Fraction | None, say: Progress) -> tuple[list[int] | None, Fraction | None]:
    if m.qa_shots is False:
        return None, None
    if isinstance(m.qa_shots, Path):
        say("shots", f"reading {m.qa_shots}")
        return read_shot_list(m.qa_shots), fps
    say("shots", f"detecting shot changes in {m.video.name} (cached by content)")
    return shot_changes(m.video), fps


def load_language(
    ep: Episode, spec: LanguageSpec, result: LanguageResult, *, progress: Progress | None = None
) -> Track:
    """Load ``spec``'s subtitle file and apply the glossary to it (counted in ``result``)."""
    assert spec.subtitles is not None
    track = load(spec.subtitles, language=spec.language)
    if ep.glossary is not None:
        track, changes = apply_glossary(track, ep.glossary, spec.language)
        result.glossary_changes = len(changes)
        # unlisted spellings close to an approved form: reported, never changed
        near = [f for f in check_glossary(track, ep.glossary, spec.language).findings if f.kind == "near-miss"]
        result.warnings = [f"{spec.language}: cue {f.number}: near-miss {f.found!r}: {f.message}" for f in near]
        for w in result.warnings:
            (progress or _noop)("warning", w)
    return track


def translate_target(
    ep: Episode,
    spec: LanguageSpec,
    source_track: Track,
    result: LanguageResult,
    *,
    force: bool = False,
    progress: Progress | None = None,
    engine: Engine | str | None = None,
    memory: TranslationMemory | str | os.PathLike[str] | Literal[False] | None = None,
) -> Track:
    """Translate ``source_track`` (glossary applied) into ``spec``'s language, or reuse the
    translation an earlier build made from the same source and glossary (unless ``force``).
    ``engine`` and ``memory`` go to :func:`dubdesk.translate.translate_track`."""
    m = ep.manifest
    say = progress or _noop
    out_path = m.subtitle_output(spec)
    if not force and _reusable(ep, spec, out_path):
        say("translate", f"{spec.language}: reusing {out_path.name} (same source and glossary)")
        result.subtitles_from = "reused translation"
        return load(out_path, language=spec.language)
    say("translate", f"{m.source.language} → {spec.language}")

    def cues_done(done: int, total: int, lang: str = spec.language) -> None:
        say("translate", f"{lang}: {done}/{total} cues")

    translated = translate_track(
        source_track, spec.language, glossary=ep.glossary, progress=cues_done, engine=engine, memory=memory
    )
    result.subtitles_from = "translated"
    report = translated.report.to_dict()
    result.translation = {k: report[k] for k in _TRANSLATION_KEYS if k in report}
    return translated.track


def _reusable(ep: Episode, spec: LanguageSpec, out_path: Path) -> bool:
    """Whether the delivered translation of an earlier build was made from this source and glossary."""
    earlier = (ep.state.get("languages") or {}).get(spec.language) or {}
    return (
        earlier.get("how") == "translated"
        and earlier.get("source") == ep.source_fp
        and earlier.get("glossary") == ep.glossary_fp
        and earlier.get("output_fp") is not None
        and earlier.get("output_fp") == fingerprint(out_path)
    )


def check_language(
    ep: Episode,
    spec: LanguageSpec,
    track: Track,
    result: LanguageResult,
    *,
    progress: Progress | None = None,
    html: Path | None = None,
) -> list[str]:
    """QA one track (safe fixes first when the episode fixes), write its delivered copy to
    ``<output folder>/subtitles/`` (also when QA stops the build: it is what QA looked at) and
    return the findings at or above the policy ("kk #4 overlap"). ``html``: also write the QA
    report there as HTML."""
    m = ep.manifest
    lang = spec.language
    shots, shot_fps = ep.shot_facts(progress)
    (progress or _noop)("qa", lang)
    profile = m.qa_profile
    if ep.fix:
        track, qa_changes = fix_track(track, profile, shot_changes=shots, video_fps=shot_fps)
        result.qa_fixes = [f"{c.action} #{c.cue}" for c in qa_changes]
    report = run_qa(track, profile, video_duration_ms=ep.video_ms or None, shot_changes=shots,
                    video_fps=shot_fps)  # fmt: skip
    result.qa_counts = dict(report.counts())
    result.qa_findings = [f"#{f.cue} {f.rule} ({f.severity})" for f in report.findings]
    stop: list[str] = []
    if ep.policy != "never":
        stop = [f"{lang} #{f.cue} {f.rule}" for f in report.at_or_above(Severity.parse(ep.policy))]
    stop += _dub_audio_qa(ep, spec, track, result, progress or _noop)
    if html is not None:
        html.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(html, render(report, "html", "error" if ep.policy == "never" else ep.policy).encode())
    out_path = m.subtitle_output(spec)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fmt = out_path.suffix.lstrip(".")
    # in_place: the previous build's copy (a reused translation is read from it) is ours to replace
    save(track, out_path, fmt=fmt, in_place=True)
    result.subtitles = str(out_path)
    result.delivered = SubtitleFacts.of(track, fmt)
    return stop


def _dub_audio_qa(ep: Episode, spec: LanguageSpec, track: Track, result: LanguageResult, say: Progress) -> list[str]:
    """Dub audio QA of ``spec``'s dub track against ``[qa] delivery``; returns the findings that stop the build."""
    m = ep.manifest
    if m.qa_delivery is None or spec.audio is None:
        return []
    say("qa-audio", f"{spec.language}: {spec.audio.name} ({m.qa_delivery})")
    report = run_audio_qa(spec.audio, video=m.video, cues=track, delivery=m.qa_delivery)
    result.audio_qa = {
        "delivery": m.qa_delivery,
        "counts": dict(report.counts()),
        "findings": [f"{'#' + str(f.cue) + ' ' if f.cue is not None else ''}{f.rule} ({f.severity})"
                     for f in report.findings],
        "measurements": report.measurements,
    }  # fmt: skip
    if ep.policy == "never":
        return []
    return [f"{spec.language} audio {f.rule}" for f in report.at_or_above(Severity.parse(ep.policy))]


def stop_if_failed(ep: Episode, stop: list[str]) -> None:
    """Raise :class:`~dubdesk.errors.BuildStoppedError` when QA left findings at or above the policy."""
    if stop:
        raise BuildStoppedError(
            f"QA found {len(stop)} finding(s) at or above {ep.policy}: " + ", ".join(stop[:6])
            + (" …" if len(stop) > 6 else ""),
            path=str(ep.manifest.path),
            hint="fix the drafts, set [qa] fail_on, or pass --fail-on never",
        )  # fmt: skip


def mux_episode(
    ep: Episode, results: list[LanguageResult], *, progress: Progress | None = None, started: float | None = None
) -> BuildResult:
    """Mux the delivered subtitles (already written by :func:`check_language`) with the video and
    dub audio, verify with ffprobe, record the state; ``results`` in manifest language order."""
    started = time.perf_counter() if started is None else started
    m = ep.manifest
    say = progress or _noop
    by_lang = {r.language: r for r in results}
    say("mux", str(m.output))
    for s in m.languages:
        if s.audio is not None:
            by_lang[s.language].audio = str(s.audio)
    subtitles = [(s.language, m.subtitle_output(s)) for s in m.languages]
    # what check_language wrote, it knows: the planner need not load those files again
    facts = {str(path): by_lang[lg].delivered for lg, path in subtitles if lg in by_lang}
    try:
        plan = plan_mux(
            m.video,
            m.output,
            audio=[(s.language, s.audio) for s in m.languages if s.audio is not None],
            subtitles=subtitles,
            drop_original_audio=not m.keep_original_audio,
            original_language=m.original_language,
            default_audio=m.default_audio,
            default_subtitles=m.default_subtitles,
            forced=[s.language for s in m.languages if s.forced],
            sdh=[s.language for s in m.languages if s.sdh],
            titles={f"subs:{s.language}": s.title for s in m.languages if s.title},
            container=m.container,
            probes={str(m.video): ep.video_info},
            subtitle_facts={p: f for p, f in facts.items() if f is not None},
        )
    except UsageError as exc:  # the library names its parameter, which is the manifest's key
        raise ManifestError(exc.message, path=str(m.path), hint=exc.hint) from exc
    for w in plan.warnings:
        say("warning", w)
    say("verify", "ffprobe against the plan")
    muxed = run_plan(plan)
    write_state(m, built_state(m, ep.source_fp, ep.glossary_fp))
    say("done", str(m.output))
    return BuildResult(
        manifest=str(m.path),
        output=str(m.output),
        languages=[by_lang[s.language] for s in m.languages],
        streams=[s.to_dict() for s in muxed.probe.streams],
        warnings=[w for r in results for w in r.warnings] + list(plan.warnings),
        elapsed_s=time.perf_counter() - started,
    )

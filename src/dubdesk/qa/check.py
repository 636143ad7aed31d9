"""``run_qa``: run the rule registry over a track and collect a report."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..frames import parse_fps
from ..profiles import Profile, load_profile
from ..runtime import gc_paused
from ..subtitles import load
from ..track import Track
from .context import Context
from .model import Finding, Report
from .rules import RULES

ProfileLike = Profile | str | os.PathLike[str] | None


def resolve_profile(track: Track, profile: ProfileLike, overrides: dict[str, Any] | None = None) -> Profile:
    """The profile to use: the one given, else the track language's."""
    if isinstance(profile, Profile):
        return profile.with_overrides(overrides or {})
    if profile is None:
        return load_profile(None, language=track.language, overrides=overrides)
    return load_profile(str(profile), overrides=overrides)


def select_rules(rules: Iterable[str] | None) -> list[str]:
    """Rule ids to run, in registry order; unknown ids are a usage error."""
    if rules is None:
        return list(RULES)
    wanted = [r.strip() for item in rules for r in str(item).split(",") if r.strip()]
    unknown = [r for r in wanted if r not in RULES]
    if unknown:
        raise UsageError(f"unknown QA rule {unknown[0]!r}", hint="rules: " + ", ".join(RULES))
    return [r for r in RULES if r in wanted]


def run_qa(
    track: Track,
    profile: ProfileLike = None,
    *,
    fps: float | str | Fraction | None = None,
    video_duration_ms: int | None = None,
    against: Track | str | os.PathLike[str] | None = None,
    rules: Iterable[str] | None = None,
    overrides: dict[str, Any] | None = None,
    shot_changes: Sequence[int] | None = None,
    video_fps: float | str | Fraction | None = None,
) -> Report:
    """Check ``track`` against a language profile; return a :class:`Report`.

    ``profile`` is a :class:`Profile`, a profile name or file, or None for the
    track language's profile. ``fps`` (exact or e.g. ``"23.976"``) turns on
    frame alignment and sets the frame length of the minimum gap (else the
    profile's ``default_fps``). ``video_duration_ms`` turns on after-video-end;
    ``against`` (the source track) turns on the comparison rules. ``rules``
    limits the run to some rule ids. ``shot_changes`` (ms, from
    :func:`dubdesk.media.analysis.shot_changes` or a shot list) turns on the
    shot-change rules, counting frames at ``video_fps`` (else ``fps``, else the
    profile's default).
    """
    prof = resolve_profile(track, profile, overrides)
    exact_fps = None if fps is None else parse_fps(fps)
    source: Track | None = None
    source_profile: Profile | None = None
    if against is not None:
        source = against if isinstance(against, Track) else load(against)
        try:
            source_profile = load_profile(None, language=source.language) if source.language else prof
        except Exception:
            source_profile = prof
    shots = None if shot_changes is None else [int(t) for t in shot_changes]
    shot_fps = float(parse_fps(video_fps)) if video_fps is not None else None
    with gc_paused():
        return _run(track, prof, exact_fps, video_duration_ms, source, source_profile, rules, shots, shot_fps)


def _run(
    track: Track,
    prof: Profile,
    exact_fps: Fraction | None,
    video_duration_ms: int | None,
    source: Track | None,
    source_profile: Profile | None,
    rules: Iterable[str] | None,
    shots: list[int] | None = None,
    shot_fps: float | None = None,
) -> Report:
    ctx = Context.build(
        track, prof, fps=exact_fps, video_duration_ms=video_duration_ms, against=source,
        against_profile=source_profile, shot_changes=shots, shot_fps=shot_fps,
    )  # fmt: skip
    ran: list[str] = []
    findings: list[Finding] = []
    for rule_id in select_rules(rules):
        spec = RULES[rule_id]
        if spec.needs == "fps" and exact_fps is None:
            continue
        if spec.needs == "video" and video_duration_ms is None:
            continue
        if spec.needs == "against" and source is None:
            continue
        if spec.needs == "shots" and shots is None:
            continue
        ran.append(rule_id)
        findings.extend(spec.func(ctx))
    order = {rid: n for n, rid in enumerate(RULES)}
    findings.sort(key=lambda f: (f.cue if f.cue is not None else 0, order[f.rule]))
    report = Report(
        findings=findings,
        profile=prof.name,
        language=prof.language or track.language,
        path=track.source.path,
        fps=None if exact_fps is None else round(float(exact_fps), 3),
        gap_fps=ctx.gap_fps,
        against=None if source is None else (source.source.path or "<track>"),
        video_duration_ms=video_duration_ms,
        cue_count=len(ctx.cues),
        duration_ms=max((c.end for c in ctx.cues), default=0),
        rules=ran,
        max_cps=prof.max_cps,
        cue_facts=ctx.cues,
        shot_changes_ms=ctx.shot_changes,
    )
    return report


def display_name(path: str | None) -> str:
    return Path(path).name if path else "<track>"

"""Safe automatic fixes: timing edits and line re-breaking, each one listed.

Order: convert frame rate, shift (both asked for explicitly and applied to
every cue), then snap to frames, trim overlaps, enforce the minimum gap, extend
short cues into free space, close chainable gaps, re-break over-long lines.

A fix never creates a new finding: every candidate edit is checked against the
rules on the cues around it (same screen lane and file-order neighbours) and
kept only if no finding appears there that was not there before. Text is never
changed except by re-breaking lines (:func:`dubdesk.text.reflow.reflow`).
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from ..errors import UsageError
from ..frames import parse_fps
from ..track import Track
from .check import ProfileLike, resolve_profile
from .fixers import FIXES, Fixer, fix_negative
from .model import Change

#: rules ``fix`` can repair, in the order fixes run
FIXABLE = ("negative-time", "frame-alignment", "overlap", "shot-change-in", "shot-change-out", "shot-change-crossing",
           "gap-too-small", "too-short", "gap-chainable", "line-too-long", "too-many-lines")  # fmt: skip
def fix_track(
    track: Track,
    profile: ProfileLike = None,
    *,
    only: Iterable[str] | None = None,
    fps: float | str | Fraction | None = None,
    shift_ms: int = 0,
    fps_convert: tuple[float | str | Fraction, float | str | Fraction] | None = None,
    overrides: dict[str, Any] | None = None,
    shot_changes: list[int] | None = None,
    video_fps: float | str | Fraction | None = None,
) -> tuple[Track, list[Change]]:
    """Return a fixed copy of ``track`` and the list of changes made.

    ``only`` limits the fixes to some rule ids (of :data:`FIXABLE`); ``fps``
    turns on frame snapping; ``fps_convert=(from, to)`` rescales every time
    (then snaps to ``to``); ``shift_ms`` moves every cue; ``shot_changes`` (ms)
    snaps cue edges a few frames from a shot change onto it (frames counted at
    ``video_fps``) where duration, gap and reading speed stay within the
    profile. The input track is not modified.
    """
    prof = resolve_profile(track, profile, overrides)
    wanted = list(FIXABLE)
    if only is not None:
        asked = [r.strip() for item in only for r in str(item).split(",") if r.strip()]
        bad = [r for r in asked if r not in FIXABLE]
        if bad:
            raise UsageError(f"rule {bad[0]!r} cannot be fixed automatically", hint="fixable: " + ", ".join(FIXABLE))
        wanted = [r for r in FIXABLE if r in asked]
    out = track.copy()
    changes: list[Change] = []
    exact_fps = None if fps is None else parse_fps(fps)
    events = out.subs.events
    numbers = {}
    n = 0
    for i, ev in enumerate(events):
        if not ev.is_comment:
            n += 1
            numbers[i] = n

    if fps_convert is not None:
        src, dst = parse_fps(fps_convert[0]), parse_fps(fps_convert[1])
        ratio = src / dst
        for i, ev in enumerate(events):
            b = (ev.start, ev.end)
            ev.start = int((ev.start * ratio + Fraction(1, 2)) // 1)
            ev.end = int((ev.end * ratio + Fraction(1, 2)) // 1)
            if i in numbers and (ev.start, ev.end) != b:
                changes.append(Change("fps-convert", numbers[i], i, *b, ev.start, ev.end,
                                      f"frame rate {float(src):.3f} → {float(dst):.3f} fps"))  # fmt: skip
        if exact_fps is None:
            exact_fps = dst
    if shift_ms:
        for i, ev in enumerate(events):
            if ev.end + shift_ms <= 0 and i in numbers:
                raise UsageError(
                    f"shifting by {shift_ms} ms moves cue {numbers[i]} before 0:00:00", hint="use a smaller shift"
                )
        for i, ev in enumerate(events):
            b = (ev.start, ev.end)
            ev.start = max(0, ev.start + shift_ms)
            ev.end = ev.end + shift_ms
            if i in numbers:
                changes.append(Change("shift", numbers[i], i, *b, ev.start, ev.end, f"shift {shift_ms:+d} ms"))

    if "negative-time" in wanted:
        changes.extend(fix_negative(events, numbers))
    shot_fps = None if video_fps is None else float(parse_fps(video_fps))
    fixer = Fixer(out, prof, exact_fps, None if shot_changes is None else sorted(set(shot_changes)), shot_fps)
    for rule in wanted:
        if rule != "negative-time":
            FIXES[rule](fixer)
    changes.extend(fixer.changes)
    return out, changes

"""Rules against shot changes (the video's detected changes or an imported list)."""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from ..context import Context, Cue, make
from ..model import Finding, Severity
from .registry import rule, seconds


def _nearest_change(changes: list[int], t: int) -> int:
    """The shot change nearest to ``t`` (``changes`` sorted, not empty)."""
    i = bisect.bisect_left(changes, t)
    near = [changes[j] for j in (i - 1, i) if 0 <= j < len(changes)]
    return min(near, key=lambda c: abs(c - t))


def _frames(ms: float, frame_ms: float) -> int:
    return round(ms / frame_ms)


def shot_edges(ctx: Context, c: Cue) -> Iterator[tuple[str, str, int, int, int]]:
    """(rule, edge, frames from the change, change ms, snap target ms) for each edge of ``c`` that should snap.

    In-cue: on the change or at least ``shot_change_snap_frames`` away; out-cue:
    ``shot_change_out_frames`` before the change or at least that far away. A
    start shortly before a change or an end shortly after one crosses the cut.
    """
    changes = ctx.shot_changes
    if not changes:
        return
    p = ctx.profile
    frame = 1000.0 / ctx.shot_fps
    near = p.shot_change_snap_frames
    out = round(p.shot_change_out_frames)
    change = _nearest_change(changes, c.start)
    after = _frames(c.start - change, frame)  # frames the start lies after the change (negative: before)
    if after != 0 and abs(after) < near:
        rule = "shot-change-in" if after > 0 else "shot-change-crossing"
        yield rule, "start", after, change, change
    change = _nearest_change(changes, c.end)
    before = _frames(change - c.end, frame)  # frames the end lies before the change (negative: after)
    if before != out and -near < before < near:
        target = change - round(out * frame)
        rule = "shot-change-out" if before >= 0 else "shot-change-crossing"
        yield rule, "end", before, change, target


def _shot_findings(ctx: Context, wanted: str) -> Iterator[Finding]:
    p = ctx.profile
    for c in ctx.cues:
        if c.end <= c.start:
            continue
        for rule_id, edge, frames, change, target in shot_edges(ctx, c):
            if rule_id != wanted:
                continue
            at = seconds(change)
            if edge == "start" and frames > 0:
                what = f"starts {frames} frames after the shot change at {at}: start on the change"
            elif edge == "start":
                what = f"starts {-frames} frames before the shot change at {at} and crosses it: start on the change"
            elif frames >= 0:
                what = (f"ends {frames} frames before the shot change at {at}: end {p.shot_change_out_frames:g} frames "
                        f"before it")  # fmt: skip
            else:
                what = (f"ends {-frames} frames after the shot change at {at} and crosses it: end "
                        f"{p.shot_change_out_frames:g} frames before the change")  # fmt: skip
            yield make(
                rule_id, Severity.WARNING, c,
                f"{what} or at least {p.shot_change_snap_frames:g} frames away (dubdesk fix snaps it)",
                fixable=True, edge=edge, frames=frames, shot_change_ms=change, snap_to_ms=target,
            )  # fmt: skip


@rule("shot-change-in", Severity.WARNING, "A cue starts a few frames after a shot change instead of on it.",
      fixable=True, needs="shots")  # fmt: skip
def check_shot_in(ctx: Context) -> Iterator[Finding]:
    return _shot_findings(ctx, "shot-change-in")


@rule("shot-change-out", Severity.WARNING, "A cue ends a few frames before a shot change, not 2 frames before it.",
      fixable=True, needs="shots")  # fmt: skip
def check_shot_out(ctx: Context) -> Iterator[Finding]:
    return _shot_findings(ctx, "shot-change-out")


@rule("shot-change-crossing", Severity.WARNING, "A cue crosses a shot change by only a few frames.",
      fixable=True, needs="shots")  # fmt: skip
def check_shot_crossing(ctx: Context) -> Iterator[Finding]:
    return _shot_findings(ctx, "shot-change-crossing")

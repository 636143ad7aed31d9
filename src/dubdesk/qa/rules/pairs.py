"""Rules on neighbouring cues, per screen lane (a top sign may overlap bottom dialogue)."""

from __future__ import annotations

from collections.abc import Iterator

from ..context import Context, Cue, make
from ..model import Finding, Severity
from .registry import rule, seconds


def _pairs(ctx: Context) -> list[tuple[Cue, Cue, int]]:
    return ctx.pairs()


@rule("overlap", Severity.ERROR, "A cue is still on screen when the next one (same position) starts.", fixable=True)
def check_overlap(ctx: Context) -> Iterator[Finding]:
    for a, b, gap in _pairs(ctx):
        if gap < 0:
            yield make(
                "overlap", Severity.ERROR, a,
                f"overlaps cue {b.number} by {-gap} ms: end it before {seconds(b.start)} (dubdesk fix trims it)",
                fixable=True, next_cue=b.number, overlap_ms=-gap,
            )  # fmt: skip


@rule("gap-too-small", Severity.WARNING, "Less than the minimum gap (2 frames) before the next cue.", fixable=True)
def check_gap_small(ctx: Context) -> Iterator[Finding]:
    min_gap = ctx.min_gap_ms
    floor = min_gap - max(1.0, ctx.precision_ms / 2 + 0.5)
    for a, b, gap in _pairs(ctx):
        if 0 <= gap < floor:
            yield make(
                "gap-too-small", Severity.WARNING, a,
                f"{gap} ms before cue {b.number}, minimum {min_gap:.0f} ms ({ctx.profile.min_gap_frames:g} frames "
                f"at {ctx.gap_fps:g} fps): end this cue earlier (dubdesk fix)",
                fixable=True, next_cue=b.number, gap_ms=gap, min_gap_ms=round(min_gap, 1),
            )  # fmt: skip


@rule("gap-chainable", Severity.INFO, "A gap under 0.5 s that should be closed to the minimum gap.", fixable=True)
def check_gap_chain(ctx: Context) -> Iterator[Finding]:
    min_gap = ctx.min_gap_ms
    low = min_gap + ctx.frame_ms / 2
    high = ctx.profile.chain_gap_ms
    for a, b, gap in _pairs(ctx):
        if low <= gap < high:
            yield make(
                "gap-chainable", Severity.INFO, a,
                f"{gap} ms before cue {b.number}: close the gap to {min_gap:.0f} ms by extending this cue (dubdesk fix)",
                fixable=True, next_cue=b.number, gap_ms=gap,
            )  # fmt: skip

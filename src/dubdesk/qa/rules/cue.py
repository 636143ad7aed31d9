"""Rules on one cue at a time: presence, times, duration, reading speed, line length and count, frames."""

from __future__ import annotations

from collections.abc import Iterator

from ... import markup
from ...frames import timecode
from ...languages import scripts
from ..context import Context, Cue, make
from ..model import Finding, Severity
from .registry import rule, seconds


@rule("empty", Severity.ERROR, "A cue with no visible text.")
def check_empty(ctx: Context) -> Iterator[Finding]:
    for c in ctx.cues:
        if not c.visible.strip() and not markup.has_drawing(c.text):  # a drawing shows a shape
            yield make("empty", Severity.ERROR, c, "cue shows no text: delete it or fill it in")


@rule("negative-time", Severity.ERROR, "A cue starts (or ends) before zero.", fixable=True)
def check_negative(ctx: Context) -> Iterator[Finding]:
    for c in ctx.cues:
        if c.start < 0 or c.end < 0:
            yield make(
                "negative-time", Severity.ERROR, c,
                f"starts at {seconds(min(c.start, c.end))}, before zero: no player shows it and no format but JSON can "
                "hold it; dubdesk fix moves it to 0 or later", fixable=True,
            )  # fmt: skip


@rule("duration-nonpositive", Severity.ERROR, "End time at or before start time.")
def check_duration(ctx: Context) -> Iterator[Finding]:
    for c in ctx.cues:
        if c.end <= c.start:
            yield make(
                "duration-nonpositive", Severity.ERROR, c,
                f"ends at or before it starts ({c.end - c.start} ms): set the end time after the start",
                duration_ms=c.end - c.start,
            )  # fmt: skip


@rule("too-short", Severity.WARNING, "Shorter than the profile's minimum duration.", fixable=True)
def check_too_short(ctx: Context) -> Iterator[Finding]:
    limit = ctx.profile.min_duration_ms
    floor = limit - (ctx.precision_ms - 1)
    for c in ctx.cues:
        d = c.end - c.start
        if 0 < d < floor:
            yield make(
                "too-short", Severity.WARNING, c,
                f"on screen {d} ms, minimum {limit} ms: extend the end time (dubdesk fix extends into free space)",
                fixable=True, duration_ms=d, limit_ms=limit,
            )  # fmt: skip


@rule("too-long", Severity.WARNING, "Longer than the profile's maximum duration.")
def check_too_long(ctx: Context) -> Iterator[Finding]:
    limit = ctx.profile.max_duration_ms
    for c in ctx.cues:
        d = c.end - c.start
        if d > limit + (ctx.precision_ms - 1):
            yield make(
                "too-long", Severity.WARNING, c,
                f"on screen {seconds(d)}, maximum {seconds(limit)}: split the cue or shorten it",
                duration_ms=d, limit_ms=limit,
            )  # fmt: skip


def _words(text: str) -> int:
    return len(text.split())


@rule("reading-speed", Severity.WARNING, "Characters per second (or words per minute) over the limit.")
def check_reading_speed(ctx: Context) -> Iterator[Finding]:
    p = ctx.profile
    max_cps = p.max_cps
    max_wpm = p.max_wpm
    for c in ctx.cues:
        d = c.end - c.start
        if d <= 0 or not c.chars:
            continue
        cps = c.chars * 1000.0 / d
        over_cps = cps > max_cps + 1e-9
        wpm = None
        if max_wpm:
            wpm = _words(" ".join(c.lines)) * 60_000.0 / d
        over_wpm = wpm is not None and max_wpm is not None and wpm > max_wpm + 1e-9
        if not (over_cps or over_wpm):
            continue
        need_ms = int(c.chars * 1000.0 / max_cps + 0.999)
        what = f"{cps:.1f} characters/s, limit {max_cps:g}"
        if wpm is not None:
            what += f" ({wpm:.0f} words/min, limit {max_wpm:g})"
        yield make(
            "reading-speed", Severity.WARNING, c,
            f"{what}: shorten the text or give it at least {need_ms} ms",
            cps=round(cps, 2), limit_cps=max_cps, chars=c.chars, wpm=None if wpm is None else round(wpm, 1),
            needed_ms=need_ms,
        )  # fmt: skip


@rule("line-too-long", Severity.ERROR, "A line longer than the profile allows.", fixable=True)
def check_line_length(ctx: Context) -> Iterator[Finding]:
    limit = ctx.profile.max_chars_per_line
    weight = ctx.profile.halfwidth_weight
    for c in ctx.cues:
        for n, line in enumerate(c.lines, 1):
            width = float(len(line)) if weight == 1.0 else scripts.width(line, weight)
            if width > limit:
                yield make(
                    "line-too-long", Severity.ERROR, c,
                    f"line {n} has {width:g} characters, limit {limit:g}: re-break or shorten it (dubdesk fix re-breaks)",
                    fixable=True, line=n, chars=width, limit=limit,
                )  # fmt: skip
                break


@rule("too-many-lines", Severity.ERROR, "More lines than the profile allows.", fixable=True)
def check_line_count(ctx: Context) -> Iterator[Finding]:
    limit = ctx.profile.max_lines
    for c in ctx.cues:
        if len(c.lines) > limit:
            yield make(
                "too-many-lines", Severity.ERROR, c,
                f"{len(c.lines)} lines, limit {limit}: re-break into {limit} lines or split the cue (dubdesk fix re-breaks)",
                fixable=True, lines=len(c.lines), limit=limit,
            )  # fmt: skip


@rule("out-of-order", Severity.WARNING, "A cue starts before the one listed before it (not checked for ASS/SSA).")
def check_order(ctx: Context) -> Iterator[Finding]:
    if (ctx.track.source.format or "").lower() in ("ass", "ssa"):
        return  # ASS renderers order events themselves; file order carries no meaning
    prev: Cue | None = None
    for c in ctx.cues:
        if prev is not None and c.start < prev.start:
            yield make(
                "out-of-order", Severity.WARNING, c,
                f"starts before cue {prev.number} ({seconds(c.start)} < {seconds(prev.start)}): sort the cues by start time",
                previous=prev.number,
            )  # fmt: skip
        prev = c


@rule("after-video-end", Severity.ERROR, "A cue ends after the video does (needs --video).", needs="video")
def check_video_end(ctx: Context) -> Iterator[Finding]:
    limit = ctx.video_duration_ms
    if limit is None:
        return
    for c in ctx.cues:
        if c.end > limit:
            where = "starts" if c.start >= limit else "ends"
            yield make(
                "after-video-end", Severity.ERROR, c,
                f"{where} after the video ends at {seconds(limit)}: retime or remove it",
                video_duration_ms=limit,
            )  # fmt: skip


@rule("frame-alignment", Severity.WARNING, "Times not on the frame grid of the given --fps.", fixable=True, needs="fps")
def check_frames(ctx: Context) -> Iterator[Finding]:
    if ctx.fps is None:
        return

    fps = float(ctx.fps)
    step = 1000.0 / fps
    tol = 1.0 if ctx.precision_ms == 1 else ctx.precision_ms / 2 + 0.5
    for c in ctx.cues:
        bad = []
        for name, t in (("start", c.start), ("end", c.end)):
            off = abs(t - round(t / step) * step)
            if off > tol:
                bad.append(f"{name} {off:.0f} ms off (nearest frame {timecode(t, ctx.fps)})")
        if bad:
            yield make(
                "frame-alignment", Severity.WARNING, c,
                f"{'; '.join(bad)} at {fps:.3f} fps: snap to frames (dubdesk fix --fps {_fps_text(ctx.fps)})",
                fixable=True,
            )  # fmt: skip


def _fps_text(fps: object) -> str:
    value = float(fps)  # type: ignore[arg-type]
    return f"{value:.3f}".rstrip("0").rstrip(".")

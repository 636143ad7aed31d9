"""The fix of each rule (:data:`FIXES`) and what they share (:class:`Fixer`): a candidate edit is
kept only if no finding appears around it that was not there before."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import Any

import pysubs2

from ..frames import frame_start_ms, nearest_frame, snap
from ..profiles import Profile
from ..text.reflow import reflow
from ..track import Track
from .check import run_qa
from .context import cues_of
from .model import Change
from .rules import RULES

#: the rules an edit is validated against (text-independent comparison rules are not affected)
_LOCAL_RULES = [r for r, spec in RULES.items() if spec.needs in (None, "fps")]


class Fixer:
    def __init__(
        self, track: Track, profile: Profile, fps: Fraction | None, shot_changes: list[int] | None = None,
        shot_fps: float | None = None,
    ) -> None:
        self.track = track
        self.shot_changes = shot_changes
        self.shot_fps = shot_fps
        self.profile = profile
        self.fps = fps
        self.gap_fps = float(fps) if fps is not None else profile.default_fps
        self.min_gap_ms = math.ceil(profile.min_gap_frames * 1000.0 / self.gap_fps - 1e-9)
        self.changes: list[Change] = []
        self.events = track.subs.events
        self.numbers: dict[int, int] = {}
        number = 0
        for i, ev in enumerate(self.events):
            if not ev.is_comment:
                number += 1
                self.numbers[i] = number

    # --- neighbourhood ------------------------------------------------------------------------

    def _lanes(self) -> dict[int, tuple[Any, list[int]]]:
        """event index -> (lane, time-sorted indices of that lane)."""
        cues = cues_of(self.track, self.profile.halfwidth_weight)
        lanes: dict[Any, list[tuple[int, int, int]]] = {}
        for c in cues:
            lanes.setdefault(c.lane, []).append((c.start, c.end, c.index))
        out: dict[int, tuple[Any, list[int]]] = {}
        for lane, items in lanes.items():
            order = [i for _, _, i in sorted(items)]
            for i in order:
                out[i] = (lane, order)
        return out

    def _window(self, index: int) -> list[int]:
        lane_info = self._lanes().get(index)
        picked = {index}
        if lane_info is not None:
            order = lane_info[1]
            pos = order.index(index)
            picked.update(order[max(0, pos - 2) : pos + 3])
        displayed = [i for i in range(len(self.events)) if not self.events[i].is_comment]
        fpos = displayed.index(index) if index in displayed else -1
        if fpos >= 0:
            picked.update(displayed[max(0, fpos - 1) : fpos + 2])
        return sorted(picked)

    def _keys(self, window: list[int]) -> set[tuple[str, int]]:
        mini = pysubs2.SSAFile()
        mini.styles = self.track.subs.styles
        mini.events = [self.events[i] for i in window]
        sub = Track(subs=mini, language=self.track.language, source=self.track.source)
        report = run_qa(sub, self.profile, fps=self.fps, rules=_LOCAL_RULES)
        return {(f.rule, window[f.index]) for f in report.findings if f.index is not None}

    def attempt(self, index: int, rule: str, reason: str, edit: Callable[[], None]) -> bool:
        """Apply ``edit`` to event ``index``; keep it only if no new finding appears nearby."""
        ev = self.events[index]
        before = (ev.start, ev.end, ev.text)
        window = self._window(index)
        keys_before = self._keys(window)
        edit()
        if (ev.start, ev.end, ev.text) == before:
            return False
        window_after = sorted(set(window) | set(self._window(index)))
        keys_after = self._keys(window_after)
        if window_after != window:
            keys_before = keys_before | {k for k in self._keys_restored(window_after, index, before)}
        if not keys_after <= keys_before or (keys_after == keys_before and (rule, index) in keys_after):
            ev.start, ev.end, ev.text = before
            return False
        text_changed = ev.text != before[2]
        self.changes.append(
            Change(
                rule, self.numbers[index], index, before[0], before[1], ev.start, ev.end, reason,
                before_text=before[2] if text_changed else None, after_text=ev.text if text_changed else None,
            )
        )  # fmt: skip
        return True

    def _keys_restored(self, window: list[int], index: int, before: tuple[int, int, str]) -> set[tuple[str, int]]:
        ev = self.events[index]
        now = (ev.start, ev.end, ev.text)
        ev.start, ev.end, ev.text = before
        try:
            return self._keys(window)
        finally:
            ev.start, ev.end, ev.text = now

    # --- helpers ---------------------------------------------------------------------------------

    def end_before(self, next_start: int) -> int:
        """The latest end leaving the minimum gap before ``next_start``."""
        if self.fps is not None:
            frames = round(self.profile.min_gap_frames)
            return frame_start_ms(nearest_frame(next_start, self.fps) - frames, self.fps)
        return next_start - self.min_gap_ms

    def findings(self, rules: Iterable[str]) -> list[tuple[str, int, dict[str, Any]]]:
        wanted = [r for r in rules if RULES[r].needs != "shots" or self.shot_changes is not None]
        if not wanted:
            return []
        report = run_qa(self.track, self.profile, fps=self.fps, rules=wanted, shot_changes=self.shot_changes,
                        video_fps=self.shot_fps)  # fmt: skip
        return [(f.rule, f.index, f.data) for f in report.findings if f.index is not None]

    def prev_in_lane(self, index: int) -> int | None:
        info = self._lanes().get(index)
        if info is None:
            return None
        order = info[1]
        pos = order.index(index)
        return order[pos - 1] if pos > 0 else None

    def next_in_lane(self, index: int) -> int | None:
        info = self._lanes().get(index)
        if info is None:
            return None
        order = info[1]
        pos = order.index(index)
        return order[pos + 1] if pos + 1 < len(order) else None


def fix_negative(events: list[Any], numbers: dict[int, int]) -> list[Change]:
    """Move cues that start before zero to zero or later, in their order, losing none.

    They are laid one after another from 0, each keeping its duration while that
    fits before the first cue that was already at or after zero; if it does not,
    their durations shrink in proportion (a cue that straddles zero keeps its end
    when the cues before it fit). Overlaps this cannot avoid are left to the
    overlap rule. The rest of the track does not move (``--shift`` moves all).
    """
    movers = sorted((i for i, ev in enumerate(events) if min(ev.start, ev.end) < 0 and i in numbers),
                    key=lambda i: (events[i].start, i))
    if not movers:
        return []
    later = [ev.start for i, ev in enumerate(events) if i in numbers and i not in set(movers)]
    limit = min(later) if later else None
    durations = [max(1, events[i].end - events[i].start) for i in movers]
    room = sum(durations) if limit is None or limit <= 0 else limit
    scale = min(1.0, room / sum(durations))
    changes: list[Change] = []
    t = 0
    for i, duration in zip(movers, durations, strict=True):
        ev = events[i]
        before = (ev.start, ev.end)
        ev.start = t
        ev.end = t + max(1, int(duration * scale))
        if before[1] > ev.end and (limit is None or before[1] <= limit):
            ev.end = before[1]  # a straddling cue keeps its end
        t = ev.end
        changes.append(Change("negative-time", numbers[i], i, *before, ev.start, ev.end, "moved from before zero"))
    return changes


def _fix_frames(fx: Fixer) -> None:
    """Snap every cue at once (one cue at a time would open sub-0.5 s gaps between
    a snapped and an unsnapped neighbour), then undo the snapping of any cue
    next to a finding that was not there before."""
    if fx.fps is None:
        return
    fps = fx.fps
    targets = [index for _, index, _ in fx.findings(["frame-alignment"])]
    if not targets:
        return
    local = [r for r in _LOCAL_RULES]
    before_keys = {(r, i) for r, i, _ in fx.findings(local)}
    original = {i: (fx.events[i].start, fx.events[i].end) for i in targets}
    for i in targets:
        ev = fx.events[i]
        ev.start, ev.end = snap(ev.start, fps), snap(ev.end, fps)
    for _ in range(len(targets) + 1):
        new = {(r, i) for r, i, _ in fx.findings(local)} - before_keys
        if not new:
            break
        culprits = set()
        for _, i in new:
            culprits.add(i)
            nxt = fx.next_in_lane(i)
            if nxt is not None:
                culprits.add(nxt)
        reverted = False
        for i in culprits:
            if i in original and (fx.events[i].start, fx.events[i].end) != original[i]:
                fx.events[i].start, fx.events[i].end = original[i]
                reverted = True
        if not reverted:  # cannot attribute: give up snapping altogether
            for i, (a, b) in original.items():
                fx.events[i].start, fx.events[i].end = a, b
            break
    for i, (a, b) in original.items():
        ev = fx.events[i]
        if (ev.start, ev.end) != (a, b):
            fx.changes.append(
                Change("frame-alignment", fx.numbers[i], i, a, b, ev.start, ev.end,
                       f"snapped to the {float(fps):.3f} fps frame grid")
            )  # fmt: skip


def _fix_overlap(fx: Fixer) -> None:
    for rule, index, data in fx.findings(["overlap"]):
        ev = fx.events[index]
        nxt_index = fx.next_in_lane(index)
        if nxt_index is None:
            continue
        nxt = fx.events[nxt_index]
        new_end = fx.end_before(nxt.start)

        def trim(ev: Any = ev, new_end: int = new_end) -> None:
            ev.end = new_end

        if fx.attempt(index, rule, f"trimmed to end {fx.min_gap_ms} ms before cue {data.get('next_cue')}", trim):
            continue
        # trimming would make this cue too short or too fast: start the next one later instead
        later = ev.end + fx.min_gap_ms if fx.fps is None else frame_start_ms(
            nearest_frame(ev.end, fx.fps) + round(fx.profile.min_gap_frames), fx.fps
        )

        def push(nxt: Any = nxt, later: int = later) -> None:
            nxt.start = later

        fx.attempt(nxt_index, rule, f"started {fx.min_gap_ms} ms after the cue before it ended", push)


def _fix_shots(rule_id: str) -> Callable[[Fixer], None]:
    def fix(fx: Fixer) -> None:
        if fx.shot_changes is None:
            return
        for rule, index, data in fx.findings([rule_id]):
            ev = fx.events[index]
            edge, target = data["edge"], int(data["snap_to_ms"])

            def edit(ev: Any = ev, edge: str = edge, target: int = target) -> None:
                setattr(ev, edge, target)

            where = f"the shot change at {data['shot_change_ms'] / 1000:.3f} s"
            out_reason = f"end moved to {fx.profile.shot_change_out_frames:g} frames before {where}"
            reason = f"start moved onto {where}" if edge == "start" else out_reason
            # a start snapped onto a change usually needs the cue before it (ending a few frames
            # before the same change) snapped too: one without the other opens a sub-0.5 s gap
            prev = fx.prev_in_lane(index) if edge == "start" else None
            moved_prev = None
            if prev is not None:
                pe = fx.events[prev]
                frame_ms = 1000.0 / (fx.shot_fps or fx.gap_fps)
                prev_target = target - round(fx.profile.shot_change_out_frames * frame_ms)
                near = fx.profile.shot_change_snap_frames * frame_ms
                if (0 < target - pe.end < near and pe.end != prev_target and pe.start < prev_target
                        and prev_target - pe.start <= fx.profile.max_duration_ms):
                    moved_prev = (prev, pe.start, pe.end)
                    pe.end = prev_target
            if fx.attempt(index, rule, reason, edit):
                if moved_prev is not None:
                    i, a, b = moved_prev
                    fx.changes.append(Change("shot-change-out", fx.numbers[i], i, a, b, a, fx.events[i].end, out_reason))
            elif moved_prev is not None:
                fx.events[moved_prev[0]].end = moved_prev[2]

    return fix


def _fix_gap(rule_id: str) -> Callable[[Fixer], None]:
    def fix(fx: Fixer) -> None:
        for rule, index, data in fx.findings([rule_id]):
            ev = fx.events[index]
            nxt_index = fx.next_in_lane(index)
            if nxt_index is None:
                continue
            new_end = fx.end_before(fx.events[nxt_index].start)

            def edit(ev: Any = ev, new_end: int = new_end) -> None:
                ev.end = new_end

            verb = "extended" if new_end > ev.end else "ended earlier"
            fx.attempt(index, rule, f"{verb} to leave {fx.min_gap_ms} ms before cue {data.get('next_cue')}", edit)

    return fix


def _fix_short(fx: Fixer) -> None:
    for rule, index, _ in fx.findings(["too-short"]):
        ev = fx.events[index]
        want = ev.start + fx.profile.min_duration_ms
        if fx.fps is not None:
            frame = math.ceil(float(Fraction(want) * fx.fps / 1000) - 1e-9)
            want = frame_start_ms(frame, fx.fps)
        nxt_index = fx.next_in_lane(index)
        if nxt_index is not None:
            want = min(want, fx.end_before(fx.events[nxt_index].start))
        if want <= ev.end:
            continue

        def edit(ev: Any = ev, want: int = want) -> None:
            ev.end = want

        fx.attempt(index, rule, f"extended to {want - ev.start} ms into free space", edit)


def _fix_lines(rule_id: str) -> Callable[[Fixer], None]:
    def fix(fx: Fixer) -> None:
        language = fx.profile.language or fx.track.language or "en"
        for rule, index, _ in fx.findings([rule_id]):
            ev = fx.events[index]

            def edit(ev: Any = ev) -> None:
                ev.text = reflow(
                    ev.text, language, fx.profile.max_chars_per_line, fx.profile.max_lines,
                    halfwidth_weight=fx.profile.halfwidth_weight,
                )  # fmt: skip

            fx.attempt(index, rule, "re-broken for the profile's line length", edit)

    return fix


FIXES: dict[str, Callable[[Fixer], None]] = {
    "frame-alignment": _fix_frames,
    "overlap": _fix_overlap,
    "shot-change-in": _fix_shots("shot-change-in"),
    "shot-change-out": _fix_shots("shot-change-out"),
    "shot-change-crossing": _fix_shots("shot-change-crossing"),
    "gap-too-small": _fix_gap("gap-too-small"),
    "too-short": _fix_short,
    "gap-chainable": _fix_gap("gap-chainable"),
    "line-too-long": _fix_lines("line-too-long"),
    "too-many-lines": _fix_lines("too-many-lines"),
}

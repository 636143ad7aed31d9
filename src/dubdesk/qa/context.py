"""What every rule needs, computed once per run: cue facts, limits in ms, lanes."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .. import markup
from ..languages import scripts
from ..profiles import Profile
from ..track import Track
from .model import Finding, Severity

_POS_RE = re.compile(r"\\(?:pos|move)\s*\(")
_AN_RE = re.compile(r"\\an([1-9])")
_A_RE = re.compile(r"\\a(\d{1,2})(?!\d)")
#: legacy SSA \a values -> numpad alignment
_SSA_ALIGN = {1: 1, 2: 2, 3: 3, 5: 7, 6: 8, 7: 9, 9: 4, 10: 5, 11: 6}


@dataclass(slots=True)
class Cue:
    """One displayed cue with the facts rules look at."""

    number: int  #: 1-based among displayed cues
    index: int  #: index into track.events
    start: int
    end: int
    text: str  #: raw internal text
    visible: str  #: tags removed, breaks as "\n"
    lines: list[str]
    chars: float  #: weighted visible characters, breaks not counted
    lane: Any  #: where it shows on screen; cues in different lanes may overlap

    @property
    def duration(self) -> int:
        return self.end - self.start

    @property
    def cps(self) -> float:
        d = self.end - self.start
        return self.chars * 1000.0 / d if d > 0 else 0.0


def _style_alignment(track: Track) -> dict[str, int]:
    out: dict[str, int] = {}
    styles = getattr(track.subs, "styles", {}) or {}
    for name, style in styles.items():
        try:
            out[name] = int(style.alignment)
        except (TypeError, ValueError, AttributeError):
            out[name] = 2
    return out


@dataclass
class Context:
    track: Track
    profile: Profile
    fps: Fraction | None  #: given by the user; frame-alignment runs only then
    gap_fps: float  #: fps used for "2 frames" (given, else the profile default)
    video_duration_ms: int | None = None
    against: Track | None = None
    against_profile: Profile | None = None
    cues: list[Cue] = field(default_factory=list)
    precision_ms: int = 1  #: the format's time resolution (10 ms for ASS/SSA centiseconds)
    #: shot-change times (ms, sorted) from the video or an imported list; None: shot rules do not run
    shot_changes: list[int] | None = None
    shot_fps: float = 25.0  #: frame rate the shot-change distances are counted in (the video's)
    findings: list[Finding] = field(default_factory=list)
    _pairs: list[tuple[Cue, Cue, int]] | None = None

    def pairs(self) -> list[tuple[Cue, Cue, int]]:
        """(cue on screen longest so far, next cue, gap ms) per screen lane; gap < 0 is an overlap.

        Only pairs closer than the chain threshold are kept (no gap rule looks
        at wider gaps); computed once and shared by the overlap and gap rules.
        """
        if self._pairs is None:
            lanes: dict[object, list[Cue]] = {}
            for c in self.cues:
                lanes.setdefault(c.lane, []).append(c)
            out: list[tuple[Cue, Cue, int]] = []
            for cues in lanes.values():
                if any(a.start > b.start for a, b in itertools.pairwise(cues)):
                    cues = sorted(cues, key=lambda c: (c.start, c.end))
                near = self.profile.chain_gap_ms
                last = cues[0]
                last_end = last.end
                for c in cues[1:]:
                    start, end = c.start, c.end
                    if end <= start:
                        continue  # duration-nonpositive reports it
                    if start - last_end < near:
                        out.append((last, c, start - last_end))
                    if end > last_end:
                        last, last_end = c, end
            self._pairs = out
        return self._pairs

    @property
    def min_gap_ms(self) -> float:
        return self.profile.min_gap_frames * 1000.0 / self.gap_fps

    @property
    def frame_ms(self) -> float:
        return 1000.0 / self.gap_fps

    @classmethod
    def build(
        cls,
        track: Track,
        profile: Profile,
        *,
        fps: Fraction | None,
        video_duration_ms: int | None = None,
        against: Track | None = None,
        against_profile: Profile | None = None,
        shot_changes: list[int] | None = None,
        shot_fps: float | None = None,
    ) -> Context:
        fmt = (track.source.format or "").lower()
        ctx = cls(
            track=track,
            profile=profile,
            fps=fps,
            gap_fps=float(fps) if fps is not None else profile.default_fps,
            video_duration_ms=video_duration_ms,
            against=against,
            against_profile=against_profile,
            precision_ms=10 if fmt in ("ass", "ssa") else 1,
            shot_changes=None if shot_changes is None else sorted(set(shot_changes)),
            shot_fps=shot_fps or (float(fps) if fps is not None else profile.default_fps),
        )
        ctx.cues = cues_of(track, profile.halfwidth_weight)
        return ctx


def cues_of(track: Track, halfwidth_weight: float) -> list[Cue]:
    """Displayed cues of a track (ASS ``Comment:`` lines skipped), numbered from 1."""
    aligns: dict[str, int] | None = None
    out: list[Cue] = []
    number = 0
    has_markup = markup.has_markup
    events = track.subs.events
    visibles = markup.visible_many([ev.text for ev in events])  # the batch form: one pass over the track
    for index, ev in enumerate(events):
        if ev.is_comment:
            continue
        number += 1
        text = ev.text
        if has_markup(text):
            vis = visibles[index]
            lines = [ln.strip() for ln in vis.split("\n")]
            lane: Any = None
            if "\\" in text and "{" in text:
                if _POS_RE.search(text):
                    lane = ("pos", index)
                else:
                    m = _AN_RE.search(text)
                    if m:
                        lane = (int(m.group(1)) - 1) // 3
                    else:
                        m = _A_RE.search(text)
                        if m:
                            lane = (_SSA_ALIGN.get(int(m.group(1)), 2) - 1) // 3
            if lane is None:
                lane = 0
                if ev.style != "Default":
                    if aligns is None:
                        aligns = _style_alignment(track)
                    lane = (aligns.get(ev.style, 2) - 1) // 3
        else:
            vis = text
            lines = [text.strip()]
            lane = 0
            if ev.style != "Default":
                if aligns is None:
                    aligns = _style_alignment(track)
                lane = (aligns.get(ev.style, 2) - 1) // 3
        joined = "".join(lines)
        chars = float(len(joined)) if halfwidth_weight == 1.0 else scripts.width(joined, halfwidth_weight)
        out.append(Cue(number, index, ev.start, ev.end, text, vis, lines, chars, lane))
    return out


def make(
    rule: str,
    severity: Severity,
    cue: Cue | None,
    message: str,
    *,
    fixable: bool = False,
    **data: Any,
) -> Finding:
    if cue is None:
        return Finding(rule, severity, message, fixable=fixable, data=data)
    return Finding(rule, severity, message, cue.number, cue.index, cue.start, cue.end, fixable, data)

"""A fix never creates a new finding: qa(fix(track)) is never worse than qa(track)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dubdesk import markup
from dubdesk.qa import fix_track, run_qa
from qa_helpers import keys, make_track

TEXTS = [
    "Кто он?",
    "Сянь Синхай приехал сюда\\Nиз далёкой Москвы.",
    "Музыка бүкіл Алматы көшелерінде естіліп тұрды, және барлығы тыңдады.",
    "{\\i1}Конец.{\\i0}",
    "Они играли\\Nвместе\\Nдо утра.",
    "Спустя годы о них сняли «Композитор», его смотрели и в Китае, и в Казахстане.",
    "Да.",
]


@st.composite
def tracks(draw: st.DrawFn) -> list[tuple[int, int, str]]:
    n = draw(st.integers(min_value=1, max_value=8))
    t = draw(st.integers(min_value=0, max_value=2000))
    cues = []
    for _ in range(n):
        t += draw(st.integers(min_value=-400, max_value=1500))  # negative: overlaps
        t = max(t, 0)
        dur = draw(st.integers(min_value=100, max_value=8000))
        cues.append((t, t + dur, draw(st.sampled_from(TEXTS))))
        t += dur
    return cues


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tracks(), st.sampled_from([None, "25", "23.976", "29.97"]))
def test_fix_then_check_is_never_worse(cues: list[tuple[int, int, str]], fps: str | None) -> None:
    track = make_track(cues, "ru")
    before = keys(run_qa(track, fps=fps))
    fixed, changes = fix_track(track, fps=fps)
    after = keys(run_qa(fixed, fps=fps))
    assert after <= before, f"new findings: {after - before}"
    for old, new in zip(track.events, fixed.events, strict=True):
        assert "".join(markup.visible(old.text).split()) == "".join(markup.visible(new.text).split())
    assert len(changes) >= 0 if after == before else changes
    assert [e.start for e in track.events] == [c[0] for c in cues]  # input untouched


@settings(max_examples=40, deadline=None)
@given(tracks())
def test_each_fix_alone_is_never_worse(cues: list[tuple[int, int, str]]) -> None:
    track = make_track(cues, "ru")
    before = keys(run_qa(track))
    for rule in ("overlap", "gap-too-small", "too-short", "gap-chainable", "line-too-long", "too-many-lines"):
        fixed, _ = fix_track(track, only=[rule])
        assert keys(run_qa(fixed)) <= before

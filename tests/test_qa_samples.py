"""The samples: every planted timing problem found with the right rule id, nothing else; fix cleans them."""

from __future__ import annotations

import pytest

import dubdesk
from dubdesk import markup
from dubdesk.qa import RULES, fix_track, run_qa
from dubdesk.qa.fixes import FIXABLE
from qa_helpers import keys, planted, planted_timing, sample_path

FILES = ["ru", "kk", "zh"]


@pytest.mark.parametrize("key", FILES)
def test_every_planted_problem_found_and_nothing_else(key: str) -> None:
    track = dubdesk.load(sample_path(key))
    assert track.language == planted()["files"][key]["language"]
    report = run_qa(track)  # the file's language profile, default fps
    assert keys(report) == planted_timing(key)
    for f in report.findings:
        assert f.severity == RULES[f.rule].severity
        assert f.start_ms is not None and f.end_ms is not None and f.message


def test_planted_rule_ids_exist() -> None:
    assert {p["rule"] for p in planted()["timing"]} <= set(RULES)


def test_kazakh_name_in_russian_cue_is_not_wrong_script() -> None:
    report = run_qa(dubdesk.load(sample_path("ru")), rules=["wrong-script"])
    assert report.findings == []


@pytest.mark.parametrize("key", FILES)
def test_fix_cleans_fixable_rules_and_keeps_text(key: str) -> None:
    track = dubdesk.load(sample_path(key))
    fixed, changes = fix_track(track)
    after = run_qa(fixed)
    assert not [f for f in after.findings if f.rule in FIXABLE]
    # what remains is exactly the planted problems fix cannot touch
    assert keys(after) == {(c, r) for c, r in planted_timing(key) if r not in FIXABLE}
    fixable_planted = {(c, r) for c, r in planted_timing(key) if r in FIXABLE}
    assert {(ch.cue, ch.action) for ch in changes} == fixable_planted
    for old, new in zip(track.events, fixed.events, strict=True):
        # text unchanged except line breaks
        assert "".join(markup.visible(old.text).split()) == "".join(markup.visible(new.text).split())
    assert track.events[0].text == dubdesk.load(sample_path(key)).events[0].text  # input untouched


def test_fix_snaps_to_frames_at_23976_and_is_then_aligned() -> None:
    track = dubdesk.load(sample_path("ru"))
    before = keys(run_qa(track, fps="23.976"))
    assert any(r == "frame-alignment" for _, r in before)
    fixed, changes = fix_track(track, fps="23.976")
    after = keys(run_qa(fixed, fps="23.976"))
    assert after <= before
    assert not any(r == "frame-alignment" for _, r in after)
    assert any(ch.action == "frame-alignment" for ch in changes)


def test_against_source_compares_count_timing_and_dub() -> None:
    kk = dubdesk.load(sample_path("kk"))
    ru = dubdesk.load(sample_path("ru"))
    report = run_qa(kk, against=ru, rules=["cue-count-mismatch", "timing-mismatch"])
    # kk cue 4 ends 14.5 (ru 12.1), 6 ends 21.96 (21.5), 8 ends 28.5 (29.3), 14 ends 54.0 (49.5)
    assert keys(report) == {(4, "timing-mismatch"), (6, "timing-mismatch"), (8, "timing-mismatch"),
                            (14, "timing-mismatch")}  # fmt: skip
    shorter = dubdesk.load(sample_path("ru"))
    del shorter.subs.events[-1]
    report = run_qa(kk, against=shorter, rules=["cue-count-mismatch"])
    assert [(f.cue, f.rule) for f in report.findings] == [(None, "cue-count-mismatch")]


def test_dub_overrun_and_reading_speed_increase_on_the_samples() -> None:
    ru = dubdesk.load(sample_path("ru"))
    zh = dubdesk.load(sample_path("zh"))
    # Russian dub of the Chinese source: ru cue 4 ("Кто он?") is fine, ru cue 12 (76 chars) cannot be spoken in 3 s
    report = run_qa(ru, against=zh, rules=["dub-overrun", "reading-speed-increase"])
    found = keys(report)
    assert (12, "dub-overrun") in found and (4, "dub-overrun") not in found
    assert (12, "reading-speed-increase") in found
    # the same track against itself: nothing grows, nothing overruns its own slot by much
    assert keys(run_qa(zh, against=zh, rules=["reading-speed-increase", "timing-mismatch"])) == set()

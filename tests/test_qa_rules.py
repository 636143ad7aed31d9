"""Each rule on a small constructed track: fires when it should, stays quiet when it should not."""

from __future__ import annotations

from dubdesk.frames import parse_fps, parse_shift, timecode
from dubdesk.qa import run_qa
from qa_helpers import keys, make_track


def only(track, rule, **kw):  # type: ignore[no-untyped-def]
    return keys(run_qa(track, rules=[rule], **kw))


def test_gaps_overlap_and_chain() -> None:
    t = make_track([(0, 2000, "Раз."), (2040, 4000, "Два."), (4080, 6000, "Три."), (6300, 8000, "Четыре."),
                    (8500, 10000, "Пять."), (9900, 12000, "Шесть.")])  # fmt: skip
    assert only(t, "gap-too-small") == {(1, "gap-too-small")}  # 40 ms < 80
    assert only(t, "gap-chainable") == {(3, "gap-chainable")}  # 300 ms; 80 ms and exactly 500 ms are fine
    assert only(t, "overlap") == {(5, "overlap")}
    # at 23.976 fps two frames are 83.4 ms: the 80 ms gap is now too small
    assert only(t, "gap-too-small", fps="23.976") == {(1, "gap-too-small"), (2, "gap-too-small")}


def test_signs_at_the_top_may_overlap_dialogue() -> None:
    t = make_track([(0, 5000, "{\\an8}АЛМАТЫ, 1942"), (1000, 3000, "Кто он?")])
    assert only(t, "overlap") == set()


def test_durations_and_empty_and_order() -> None:
    t = make_track([(0, 500, "Да."), (1000, 1000, "Нет."), (2000, 9500, "Долго."), (12000, 14000, "{\\i1}{\\i0}"),
                    (11000, 11900, "Раньше.")])  # fmt: skip
    assert only(t, "too-short") == {(1, "too-short")}
    assert only(t, "duration-nonpositive") == {(2, "duration-nonpositive")}
    assert only(t, "too-long") == {(3, "too-long")}
    assert only(t, "empty") == {(4, "empty")}
    assert only(t, "out-of-order") == {(5, "out-of-order")}


def test_reading_speed_counts_visible_characters_and_halfwidth() -> None:
    # 34 visible characters in 2 s = 17.0 cps: at the limit, not over; tags and \N not counted
    ok = make_track([(0, 2000, "{\\i1}Они играли вместе\\Nдо самого утра.{\\i0}")])
    assert len("Они играли вместе" + "до самого утра.") == 32
    assert only(ok, "reading-speed") == set()
    fast = make_track([(0, 1000, "Они играли вместе до утра.")])
    assert only(fast, "reading-speed") == {(1, "reading-speed")}
    # Chinese: 16 Latin letters count 8, plus 1 Han: 9 in 1 s = at the 9 cps limit
    zh = make_track([(0, 1000, "ABCDEFGHIJKLMNOP好")], "zh-Hans")
    assert only(zh, "reading-speed") == set()
    zh2 = make_track([(0, 1000, "音乐传遍了阿拉木图的大")], "zh-Hans")
    assert only(zh2, "reading-speed") == {(1, "reading-speed")}


def test_english_words_per_minute() -> None:
    # 8 short words in 2 s = 240 wpm > 200, but only 31 characters = 15.5 cps
    t = make_track([(0, 2000, "I am, so I go; we do it as is.")], "en")
    report = run_qa(t, rules=["reading-speed"])
    assert keys(report) == {(1, "reading-speed")} and "words/min" in report.findings[0].message


def test_lines() -> None:
    t = make_track([(0, 3000, "Сорок три символа в строке, это уже слишком."), (4000, 7000, "а\\Nб\\Nв")])
    assert only(t, "line-too-long") == {(1, "line-too-long")}
    assert only(t, "too-many-lines") == {(2, "too-many-lines")}


def test_unbalanced_tags() -> None:
    t = make_track([(0, 3000, "{\\i1}Курсив без конца"), (4000, 7000, '<font color="red">Красный'),
                    (8000, 9000, "{\\i1}Норм{\\i0}"), (10000, 11000, "Скобка { лишняя")])  # fmt: skip
    assert only(t, "unbalanced-tags") == {(1, "unbalanced-tags"), (2, "unbalanced-tags"), (4, "unbalanced-tags")}
    ass = make_track([(0, 3000, "{\\i1}Курсив до конца события")], fmt="ass")
    assert only(ass, "unbalanced-tags") == set()  # ASS resets overrides at the end of an event


def test_wrong_script() -> None:
    kk = make_track([(0, 3000, "Она встретила его в театре."), (4000, 7000, "Ол оны театрда кездестірді."),
                     (8000, 9000, "Да.")], "kk")  # fmt: skip
    assert only(kk, "wrong-script") == {(1, "wrong-script")}
    ru = make_track([(0, 3000, "Бахытжан Байқадамов встретил его в театре."),
                     (4000, 7000, "Ол оны театрда кездестірді, бұл рас.")], "ru")  # fmt: skip
    assert only(ru, "wrong-script") == {(2, "wrong-script")}
    zh = make_track([(0, 3000, "他是谁？"), (4000, 7000, "Who is he?"), (8000, 9000, "OK")], "zh-Hans")
    assert only(zh, "wrong-script") == {(2, "wrong-script")}
    en = make_track([(0, 3000, "Кто он такой?")], "en")
    assert only(en, "wrong-script") == {(1, "wrong-script")}


def test_video_end_and_frames() -> None:
    t = make_track([(0, 1000, "Раз."), (59000, 61000, "Два."), (62000, 63000, "Три.")])
    assert only(t, "after-video-end", video_duration_ms=60000) == {(2, "after-video-end"), (3, "after-video-end")}
    assert only(t, "after-video-end") == set()  # no video: rule not run
    f = make_track([(1001, 2002, "Раз."), (3000, 4000, "Два.")])
    assert only(f, "frame-alignment", fps="23.976") == {(2, "frame-alignment")}
    assert only(f, "frame-alignment") == set()  # no --fps: not checked


def test_timing_helpers() -> None:
    assert parse_fps("29.97") == parse_fps("30000/1001")
    assert timecode(60_060, parse_fps("29.97")) == "00:01:00;02"  # drop-frame skips ;00 and ;01
    assert timecode(600_000, parse_fps("29.97")) == "00:10:00;00"  # 17982 frames: no drop at minute 10
    assert timecode(60_000, parse_fps("25")) == "00:01:00:00"
    assert parse_shift("-1.5s") == -1500 and parse_shift("+250ms") == 250 and parse_shift("-00:00:01,200") == -1200

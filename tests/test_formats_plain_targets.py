"""Formats that show plain text (LRC, SubViewer) never print another format's markup, and say what they dropped."""

from __future__ import annotations

from dubdesk import markup
from dubdesk.subtitles import dumps_with_notes, loads

SRT = (
    "1\n00:00:01,000 --> 00:00:03,000\n<font color=\"#ffff00\">Музыка звучала</font> <i>везде</i>\n\n"
    "2\n00:00:04,000 --> 00:00:05,000\n{\\an8}Плакат\n\n"
    "3\n00:00:06,000 --> 00:00:07,000\nбез разметки\n"
)


def test_lrc_and_subviewer_drop_markup_with_one_note() -> None:
    track = loads(SRT.encode("utf-8"), fmt="srt")
    for fmt, name in (("lrc", "LRC"), ("subviewer2", "SubViewer 2"), ("subviewer1", "SubViewer 1")):
        text, notes = dumps_with_notes(track, fmt)
        assert "<" not in text and "{" not in text, (fmt, text)
        assert "Музыка звучала везде" in text and "Плакат" in text, (fmt, text)
        assert notes == [f"{name} shows plain text: markup dropped in 2 cue(s)"], (fmt, notes)


def test_lrc_keeps_karaoke_word_timing() -> None:
    track = loads(b"[00:01.00]<00:01.00>one <00:01.50>two\n[00:03.00]three\n", fmt="lrc")
    text, notes = dumps_with_notes(track, "lrc")
    again = loads(text.encode("utf-8"), fmt="lrc")
    assert [e.text for e in again.subs.events] == [e.text for e in track.subs.events]
    assert "{\\k" in track.subs.events[0].text and notes == []
    assert markup.visible(again.subs.events[0].text).split() == ["one", "two"]

"""ASS markup that must survive translation: hard spaces ``\\h`` and the space before an inline comment."""

from __future__ import annotations

from pathlib import Path

import pytest

from dubdesk.subtitles import dumps, loads
from dubdesk.translate.engines import CopyEngine
from dubdesk.translate.pipeline import translate_track
from project_helpers import install_toy_model

ASS_HEAD = (Path(__file__).resolve().parent.parent / "samples" / "composer" / "composer.kk.ass").read_text(
    encoding="utf-8"
)


def _track(texts: list[str]) -> object:
    track = loads(ASS_HEAD, fmt="ass", language="ru")
    for event, text in zip(track.events, texts, strict=False):
        event.text = text
    track.subs.events = track.subs.events[: len(texts)]
    return track


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Алматы,\\hзима", "Алматы,\\hзима"),
        ("a\\h\\hb", "a\\h\\hb"),
        ("\\hОн играл", "\\hОн играл"),
        ("1942\\hгода {\\i1}x{\\i0}\\hy", "1942\\hгода {\\i1}x{\\i0}\\hy"),
        ("Он играл {note}музыку", "Он играл {note}музыку"),
        ("Он играл {note}", "Он играл {note}"),
    ],
)
def test_copy_translation_keeps_hard_spaces_and_comment_spacing(source: str, expected: str) -> None:
    result = translate_track(_track([source]), "kk", source="ru", engine=CopyEngine(), memory=False)  # type: ignore[arg-type]
    assert result.track.events[0].text == expected


def test_real_model_keeps_hard_space_and_comment(tmp_path: Path) -> None:
    install_toy_model(tmp_path)  # a real CTranslate2 ru→en package (word for word)
    track = _track(["Алматы,\\hзима 1942 {note}года.", "Он играл {note}музыку."])
    out = translate_track(track, "en", memory=False)  # type: ignore[arg-type]
    first, second = (e.text for e in out.track.events)
    assert "\\h" in first and "{note}" in first and " {note}" in first
    assert " {note}" in second
    assert "\\h" in dumps(out.track, "ass")

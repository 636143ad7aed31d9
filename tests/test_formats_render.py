"""Rendering: an ASS made from the samples' Russian SRT shows no tag text when libass draws it.

OCR-free check. The cue ``<font color="#ffff00">Музыка звучала по всему Алматы.</font>``
is converted to ASS by dubdesk, and the same cue without the tag is converted
too. ffmpeg's ``subtitles`` filter (libass) draws each on a black frame at the
cue's time. If the tag were drawn as text, the lit pixels would cover more
ground (``<font color="#ffff00">`` is longer than the sentence). So:

* the set of lit pixels (glyphs and their outline) of the two renders is the
  same: the tag changed nothing but colour;
* inside the glyphs the tagged render is yellow (red and green high, blue low)
  and the tag-free one white: the colour did change;
* a control render of the tag as literal text (what dubdesk wrote before)
  differs a lot by the same measure, so the measure can see a leak.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from dubdesk.subtitles import dumps, load, loads
from media_helpers import needs_ffmpeg

pytestmark = needs_ffmpeg

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "composer" / "composer.ru.srt"
W, H = 640, 360


def render(ass: Path, at_s: float) -> np.ndarray:
    """One RGB frame: a black picture with ``ass`` drawn by libass at ``at_s`` seconds."""
    graph = f"color=c=black:s={W}x{H}:r=1:d=1,setpts=PTS+{at_s}/TB,subtitles=filename='{ass}'"
    proc = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi", "-i", graph,
         "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    return np.frombuffer(proc.stdout, dtype=np.uint8).reshape(H, W, 3)


def lit(frame: np.ndarray) -> np.ndarray:
    return np.asarray(frame.max(axis=2) > 40)


def test_srt_font_colour_renders_as_colour_not_text(tmp_path: Path) -> None:
    source = load(SAMPLE)
    cue = next(e for e in source.events if "<font" in e.text)
    assert cue.text.startswith('<font color="#ffff00">')
    at = (cue.start + cue.end) / 2000

    tagged = tmp_path / "tagged.ass"
    tagged.write_text(dumps(source, "ass"), encoding="utf-8")
    plain_text = SAMPLE.read_text(encoding="utf-8").replace('<font color="#ffff00">', "").replace("</font>", "")
    plain = tmp_path / "plain.ass"
    plain.write_text(dumps(loads(plain_text, fmt="srt"), "ass"), encoding="utf-8")
    leaked = tmp_path / "leaked.ass"  # the tag as text, as libass would draw an unconverted file
    leaked.write_text(
        tagged.read_text(encoding="utf-8").replace("{\\c&H00FFFF&}", '<font color="#ffff00">').replace("{\\c}", "</font>"),
        encoding="utf-8",
    )
    assert "<font" not in tagged.read_text(encoding="utf-8")

    a, b, c = render(tagged, at), render(plain, at), render(leaked, at)
    mask_a, mask_b, mask_c = lit(a), lit(b), lit(c)
    assert mask_b.sum() > 500, "libass drew nothing: no fonts?"

    def iou(x: np.ndarray, y: np.ndarray) -> float:
        return float((x & y).sum() / (x | y).sum())

    assert iou(mask_a, mask_b) > 0.97  # same glyphs in the same places: no extra text
    assert iou(mask_c, mask_b) < 0.8  # the measure sees a leaked tag

    # the difference is the colour of the glyphs, nothing else
    core = (b.min(axis=2) > 200) & (a.max(axis=2) > 200)  # glyph interiors: white in the plain render
    assert core.sum() > 200
    r, g, bl = (a[core][:, i].astype(int) for i in range(3))
    assert r.mean() > 200 and g.mean() > 200 and bl.mean() < 60  # yellow
    # every pixel that differs lies on the plain render's glyphs (grown by 2 px for anti-aliasing)
    differs = np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 40
    grown = mask_b.copy()
    for dy in range(-2, 3):
        for dx in range(-2, 3):
            grown |= np.roll(np.roll(mask_b, dy, axis=0), dx, axis=1)
    assert differs.sum() > 200 and not (differs & ~grown).any()


@pytest.mark.parametrize("fmt", ["ass", "ssa"])
def test_no_tag_text_reaches_ass_from_the_sample(fmt: str) -> None:
    out = dumps(load(SAMPLE), fmt)
    assert "<font" not in out and "</font>" not in out and "{\\c&H00FFFF&}Музыка" in out

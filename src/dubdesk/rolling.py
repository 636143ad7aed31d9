r"""Rolling auto-captions to plain cues (``dubdesk convert --dedupe-rolling``).

YouTube's automatic captions roll: each cue shows the previous line again above
the new one, the new line carries word timings (``like<00:00:02.880><c> a</c>``),
and a 10 ms cue in between repeats the new line alone::

    00:00:00.000 --> 00:00:02.350          (empty line, then)  when<00:00:00.520><c> the</c>…
    00:00:02.350 --> 00:00:02.360          when the moon hits your eye
    00:00:02.360 --> 00:00:05.110          when the moon hits your eye / like<00:00:02.880><c> a</c>…

Read as plain subtitles every line is shown two or three times. Here each line
is kept once, as visible text (word timings and their ``<c>`` spans dropped),
in the cue where it first appears, with that cue's times; a cue that only
repeats lines already on screen is dropped. Cues that neither repeat a line nor
carry word timings are left as they are, markup included. A rewritten cue drops
the WebVTT settings that placed the roll-up (``align:start position:0%``): a plain
cue sits where the player puts subtitles.
"""

from __future__ import annotations

from . import markup
from .track import Track


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in markup.visible(text).split("\n") if line.strip()]


def _repeated(before: list[str], lines: list[str]) -> int:
    """How many leading ``lines`` repeat the last lines of ``before`` (what is still on screen)."""
    for k in range(min(len(before), len(lines)), 0, -1):
        if before[-k:] == lines[:k]:
            return k
    return 0


def dedupe_rolling(track: Track) -> Track:
    """A copy of ``track`` with rolling captions turned into plain cues, each line once."""
    out = track.copy()
    kept = []
    on_screen: list[str] = []
    for event in out.events:
        if event.is_comment:
            kept.append(event)
            continue
        lines = _lines(event.text)
        if not lines:  # nothing to read (a drawing, a blank cue): not a repeat, kept as it is
            kept.append(event)
            continue
        repeated = _repeated(on_screen, lines)
        on_screen = lines
        if repeated == len(lines):
            continue
        if repeated or any(markup.is_timestamp_tag(tag) for tag in markup.tags(event.text)):
            event.text = "\\N".join(lines[repeated:]).replace("\u00a0", "\\h")
            event.effect = ""  # the roll-up's layout (align:start position:0%) belongs to the rolling display
        kept.append(event)  # a cue that neither repeats nor has word timings keeps its markup
    out.subs.events = kept
    return out

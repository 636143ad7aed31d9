"""The in-memory model: a :class:`Track` is a pysubs2 ``SSAFile`` plus its
language and the facts about where it came from.

Times are integer milliseconds everywhere (``event.start``, ``event.end``).
Cue text is kept in pysubs2's internal form: ASS override blocks ``{\\i1}``,
``\\N`` line breaks; SRT ``<i>``/``<b>``/``<u>``/``<s>`` become override tags
on load and go back on save, other HTML tags (``<font>``) are kept verbatim.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pysubs2


#: reader warning codes that mean a cue (or text that may be one) was not loaded
SKIP_CODES = frozenset({"skipped-cue", "skipped-text"})


@dataclass(frozen=True)
class ReadWarning:
    """Something a reader tolerated or could not take, with the line it is on.

    ``code`` is stable (``skipped-cue``, ``skipped-text``, ``bad-timestamp``,
    ``negative-time``, ``fps-assumed``, ``empty-file``, ``not-webvtt``, ``no-cues``…);
    a warning whose code is in :data:`SKIP_CODES` counts as a skipped cue.
    """

    line: int | None  #: 1-based line in the decoded file, when known
    code: str
    message: str

    @property
    def skips(self) -> bool:
        return self.code in SKIP_CODES

    def __str__(self) -> str:
        return (f"line {self.line}: " if self.line else "") + self.message

    def to_dict(self) -> dict[str, object]:
        return {"line": self.line, "code": self.code, "message": self.message}


@dataclass
class Source:
    """Where a track came from and how its bytes were decoded."""

    path: str | None = None
    format: str | None = None  #: pysubs2 format id: srt, ass, ssa, vtt, microdvd, mpl2, tmp, ttml, sami
    encoding: str = "utf-8"  #: Python codec name used to decode
    confidence: float = 1.0  #: 1.0 for a BOM, a user's --encoding or valid UTF-8
    encoding_method: str = "utf-8"  #: "bom", "utf-8", "detected", "given"
    line_endings: str = "LF"  #: LF, CRLF, CR, mixed or none
    bom: bool = False
    errors: str = "strict"  #: "surrogateescape" when undecodable bytes were passed through (written back as read)
    warnings: list[ReadWarning] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        """How many cues (or blocks of text that may be cues) the reader could not take."""
        return sum(1 for w in self.warnings if w.skips)


@dataclass
class Track:
    """A subtitle track: cues, styles and headers (``subs``), its language, its source."""

    subs: pysubs2.SSAFile
    language: str | None = None  #: canonical BCP 47 tag, or None when unknown
    source: Source = field(default_factory=Source)
    #: format-specific data kept for a lossless round trip (ASS comments and unknown
    #: sections, WebVTT header and NOTE/STYLE/REGION blocks)
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def events(self) -> list[pysubs2.SSAEvent]:
        """Every event, comments included, in file order."""
        return self.subs.events

    @property
    def cues(self) -> list[pysubs2.SSAEvent]:
        """Displayable events (ASS ``Comment:`` lines excluded)."""
        return [e for e in self.subs.events if e.type != "Comment"]  # is_comment, without a property call per event

    def __len__(self) -> int:
        return len(self.subs.events)

    def __iter__(self) -> Iterator[pysubs2.SSAEvent]:
        return iter(self.subs.events)

    @property
    def duration_ms(self) -> int:
        """End of the last cue (0 for an empty track)."""
        return max((e.end for e in self.subs.events), default=0)

    def copy(self, *, language: str | None = None) -> Track:
        """A deep copy, optionally re-labelled with another language."""
        return Track(
            subs=copy.deepcopy(self.subs),
            language=self.language if language is None else language,
            source=copy.deepcopy(self.source),
            extras=copy.deepcopy(self.extras),
        )

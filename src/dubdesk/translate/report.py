"""What :func:`~dubdesk.translate.pipeline.translate_track` returns: the new track and a report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..track import Track


@dataclass
class FlaggedCue:
    """A cue whose translation could not be verified: shipped, but listed here."""

    cue: int  #: 1-based cue number (comments not counted)
    reasons: list[str]
    source: str
    target: str


@dataclass
class TranslationReport:
    source: str
    target: str
    route: str
    cues: int = 0
    texts: int = 0  #: distinct texts sent through the engine (memory included)
    translated: int = 0  #: texts the model actually translated (memory misses)
    cache_hits: int = 0
    seconds: float = 0.0
    glossary_fixes: int = 0  #: term occurrences put back in their approved target form
    retried: int = 0  #: texts that failed verification and passed when translated again
    merged: int = 0  #: cues translated together with a neighbour (one sentence)
    flagged: list[FlaggedCue] = field(default_factory=list)
    context: str = "sentence"  #: "sentence" (continuing cues joined) or "cue"
    aligned: int = 0  #: joined cues cut back where the model's alignment crosses the cue boundary
    #: numbers of joined cues cut in proportion instead (flat alignment, or an engine that cannot align)
    fallback: list[int] = field(default_factory=list)

    @property
    def cues_per_second(self) -> float:
        return self.cues / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["cues_per_second"] = round(self.cues_per_second, 1)
        data["seconds"] = round(self.seconds, 3)
        return data

    def summary(self) -> str:
        return (
            f"{self.cues} cues in {self.seconds:.2f} s ({self.cues_per_second:.0f} cues/s), "
            f"{self.cache_hits} from memory, {self.translated} translated, "
            f"{self.glossary_fixes} glossary fixes, "
            + (f"{self.retried} retried, " if self.retried else "")
            + (f"{len(self.fallback)} cut by proportion (cues {_numbers(self.fallback)}), " if self.fallback else "")
            + f"{len(self.flagged)} flagged"
        )


def _numbers(cues: Sequence[int]) -> str:
    shown = ", ".join(map(str, cues[:8]))
    return shown + (f" and {len(cues) - 8} more" if len(cues) > 8 else "")


@dataclass
class TranslationResult:
    track: Track
    report: TranslationReport

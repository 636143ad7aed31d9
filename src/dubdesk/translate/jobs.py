"""What the pipeline sends to the engine (:class:`Job`) and keeps per cue (:class:`Cue`), and the
glossary adapters every step uses: protect a text, restore its terms, capitalise a sentence."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..glossary import Glossary, Protected, protect, restore_report
from .alignment import Aligned
from .segments import CueText


@dataclass
class Job:
    """One text sent to the engine: a group of cues, a dialogue line, or a tagged span."""

    source: str
    cues: list[int]  #: event indices (for reports)
    protected: Protected | None = None
    sent: str = ""
    result: str = ""
    fixes: int = 0
    reasons: list[str] = field(default_factory=list)
    #: the model's aligned translation of ``sent`` (joined cues, engines that align)
    aligned: Aligned | None = None
    #: the result made from ``aligned`` (a retry replaces it: then the split is proportional)
    first: str = ""
    failed: bool = False  #: the engine could not translate it: the source is kept, the cue flagged


@dataclass
class Cue:
    index: int  #: event index
    number: int  #: 1-based cue number
    decoded: CueText
    #: unit index -> translated text of that unit
    texts: dict[int, str] = field(default_factory=dict)


def protect_text(text: str, gloss: Glossary | None, src: str, tgt: str) -> tuple[Protected | None, str]:
    """The text with glossary terms as placeholders (unchanged without a glossary)."""
    if gloss is None:
        return None, text
    protected = protect(text, gloss, src, tgt)
    return protected, str(protected.text)


def restore_text(translated: str, protected: Protected | None) -> tuple[str, int]:
    """Put approved target forms back; returns the text and how many terms came back."""
    if protected is None:
        return translated, 0
    restored = restore_report(translated, protected)
    return str(restored.text), len(protected.terms) - len(restored.missing)


def sentence_case(source: str, translated: str, *, cjk_src: bool) -> str:
    """Capitalise a translation whose source starts a sentence (word-for-word models lowercase it)."""
    first_src = next((ch for ch in source if ch.isalpha()), "")
    if not first_src or not (cjk_src or first_src.isupper()):
        return translated
    for i, ch in enumerate(translated):
        if ch.isalpha():
            return translated[:i] + ch.upper() + translated[i + 1 :] if ch.islower() else translated
    return translated


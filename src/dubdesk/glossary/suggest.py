"""A near-miss spelled out: the term words found near a text word (:class:`Hit`), the whole form
the text spells around it, and the suggestion with the text's endings and case (:func:`near_miss`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .inflect import INFLECTIONS, case_like, map_ending
from .model import norm
from .spelling import NearMiss

if TYPE_CHECKING:
    from .model import Entry


@dataclass(eq=False, slots=True)
class Form:
    entry: Entry
    form: str
    rule: str
    case_sensitive: bool
    lead: str
    trail: str
    words: list[Word]
    gaps: list[str]


@dataclass(eq=False, slots=True)
class Word:
    form: Form
    k: int  #: index of the word in its form
    cased: str  #: stem as written in the glossary
    stem: str  #: folded stem
    base: str  #: folded word as the glossary writes it (stem + the base form's ending: Синхай)
    cased_base: str
    endings: frozenset[str]
    limit: int  #: largest distance for this word (0: only matched exactly, as part of a name)


@dataclass(frozen=True, slots=True)
class Hit:
    words: tuple[Word, ...]  #: the closest term words, all of one entry, longest form first
    distance: int
    tail: int  #: length of the ending the text word carries
    whole: bool = False  #: the text word is near the word as written (Даумараа ~ Даумарай), not stem + ending


def near_miss(text: str, tokens: list[re.Match[str]], idx: int, hit: Hit) -> NearMiss | None:
    """The longest form of the hit that the text spells out around word ``idx``, else the word alone."""
    for n, w in enumerate(hit.words):
        nm = _near_miss_of(text, tokens, idx, hit, w, alone=n == len(hit.words) - 1)
        if nm is not None:
            return nm
    return None

def _near_miss_of(
    text: str, tokens: list[re.Match[str]], idx: int, hit: Hit, w: Word, *, alone: bool
) -> NearMiss | None:
    f = w.form
    first = idx - w.k
    last = first + len(f.words) - 1
    whole = first >= 0 and last < len(tokens)
    tails: list[int] = []
    if whole:
        for k, fw in enumerate(f.words):
            j = first + k
            if k:
                gap = re.sub(" {2,}", " ", norm(text[tokens[j - 1].end() : tokens[j].start()]))
                if gap != f.gaps[k - 1]:
                    whole = False
                    break
            if j == idx:
                tails.append(hit.tail)
                continue
            tail = _exact_tail(norm(tokens[j].group()), fw)
            if tail is None or (f.case_sensitive and not tokens[j].group().startswith(fw.cased)):
                whole = False
                break
            tails.append(tail)
    if whole and (f.lead or f.trail):
        a, b = tokens[first].start(), tokens[last].end()
        whole = norm(text[a - len(f.lead) : a]) == f.lead and norm(text[b : b + len(f.trail)]) == f.trail
    if not whole:
        if not alone or f.lead or f.trail or f.case_sensitive:
            return None  # a title's word alone is an ordinary word
        first = last = idx
        words = [(w, hit.tail)]
    else:
        words = list(zip(f.words, tails, strict=True))
    parts: list[str] = []
    for n, (fw, tail) in enumerate(words):
        tok = tokens[first + n]
        if n:
            parts.append(text[tokens[first + n - 1].end() : tok.start()])
        surface = tok.group()
        if fw is w and hit.whole:
            parts.append(case_like(surface, fw.cased_base))
            continue
        stem_text, tail_text = surface[: len(surface) - tail], surface[len(surface) - tail :]
        ordered = tuple(INFLECTIONS[f.rule](fw.base)[1])  # endings in the rule's order
        ending = map_ending(tail_text, stem_text, f.rule, fw.cased, ordered) if tail else ""
        parts.append(case_like(surface, fw.cased) + ending)
    start, end = tokens[first].start(), tokens[last].end()
    suggestion = "".join(parts)
    if suggestion == text[start:end]:
        return None
    return NearMiss(start, end, text[start:end], suggestion, f.entry, f.form, hit.distance)


def _exact_tail(word: str, fw: Word) -> int | None:
    """Length of the ending when a folded text word is exactly ``fw`` with an allowed ending."""
    if word.startswith(fw.stem) and word[len(fw.stem) :] in fw.endings:
        return len(word) - len(fw.stem)
    return None

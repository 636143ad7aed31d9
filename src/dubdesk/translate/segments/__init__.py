r"""Cue text <-> translation units: what the model sees and how tags come back.

A cue's raw text (pysubs2's internal form: ``{\i1}``, ``<font>``, ``\N``) is
decoded with the shared tokenizer (:mod:`dubdesk.markup`) into *units*:

- ``lead``: tags before the first visible character (whole-line formatting,
  ``{\an8}``, ``{\i1}`` of an all-italic line) — put back at the start;
- ``trail``: tags after the last visible character — put back at the end;
- ``text``: the visible text, line breaks turned into a space (or nothing
  between two CJK characters), ``\h`` into a space; this is all the model sees;
- ``anchors``: inline tag runs with their offset in ``text``; after
  translation each is placed where the span it wrapped went (see
  :func:`place_anchors`).

A dialogue cue (every line starts with a dash) becomes one unit per line: the
speakers' lines are translated separately and stay on their own lines.

Cues that continue one sentence across a cue boundary are grouped
(:func:`group_continuations`), translated as one text and split back in
proportion (:func:`split_proportionally`).
"""

from __future__ import annotations

from ...markup import Kind, Token, tokenize
from .anchors import locate, place_anchors
from .sentences import continues, ends_sentence, group_continuations, split_proportionally, target_dash
from .units import Anchor, CueText, Unit, decode, is_cjk_char, join_texts, join_with_offsets

__all__ = [
    "Anchor",
    "CueText",
    "Kind",
    "Token",
    "Unit",
    "continues",
    "decode",
    "ends_sentence",
    "group_continuations",
    "is_cjk_char",
    "join_texts",
    "join_with_offsets",
    "locate",
    "place_anchors",
    "split_proportionally",
    "target_dash",
    "tokenize",
]

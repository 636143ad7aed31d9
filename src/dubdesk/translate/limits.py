"""No input too long for a model: position limits and splitting long texts.

A Transformer with learned position embeddings has a fixed number of them
(CTranslate2: "No position encodings are defined for positions >= 256"). A
long typesetting line in an ASS file can exceed it. :func:`position_limit`
reads the limit where a model states it; otherwise the engine learns it from
the first failure (:func:`limit_from_error`) and remembers it. Texts longer
than the limit are cut by :func:`split_to_fit` at sentence ends, then clause
ends, then spaces, then anywhere, translated in parts and rejoined.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path

__all__ = ["limit_from_error", "position_limit", "split_to_fit"]

_LIMIT_RE = re.compile(r"position encodings are defined for positions >= (\d+)")
#: keys of a model's config that state its position limit (Hugging Face, OpenNMT, Marian, ours)
_LIMIT_KEYS = ("max_position_embeddings", "max_source_positions", "max_length", "max_positions", "max-length")

#: where a text may be cut, best first: after a sentence end, after a clause mark, at a space
_LEVELS = (
    re.compile(r"(?<=[.!?…。！？])[\"'»”’)\]）」』]*\s*"),
    re.compile(r"(?<=[,;:，；：、—–])\s*"),
    re.compile(r"\s+"),
)


def limit_from_error(message: str) -> int | None:
    """The position limit a CTranslate2 error names, if it is that error."""
    m = _LIMIT_RE.search(message)
    return int(m.group(1)) if m else None


def position_limit(configs: Iterable[Path | dict[str, object]]) -> int | None:
    """The smallest position limit stated in the given config files (or dicts); None if none says."""
    found: list[int] = []
    for config in configs:
        data: object = config
        if isinstance(config, Path):
            try:
                data = json.loads(config.read_text("utf-8"))
            except (OSError, ValueError):
                continue
        if not isinstance(data, dict):
            continue
        for key in _LIMIT_KEYS:
            value = data.get(key)
            if isinstance(value, int) and value > 0:
                found.append(value)
    return min(found) if found else None


def split_to_fit(text: str, size: Callable[[str], int], budget: int) -> list[str]:
    """``text`` cut into consecutive parts of at most ``budget`` (by ``size``); ``"".join`` gives it back.

    Parts are as few as possible at the best level that fits: sentences, then
    clauses, then words, then characters.
    """
    if size(text) <= budget or len(text) <= 1:
        return [text]
    return _split(text, size, budget, 0)


def _units(text: str, level: int) -> list[str]:
    if level >= len(_LEVELS):
        return list(text)
    units: list[str] = []
    start = 0
    for m in _LEVELS[level].finditer(text):
        if m.end() > start and m.end() < len(text):
            units.append(text[start : m.end()])
            start = m.end()
    units.append(text[start:])
    return [u for u in units if u]


def _split(text: str, size: Callable[[str], int], budget: int, level: int) -> list[str]:
    units = _units(text, level)
    if len(units) <= 1 and level < len(_LEVELS):
        return _split(text, size, budget, level + 1)
    parts: list[str] = []
    current = ""
    for unit in units:
        if current and size(current + unit) <= budget:
            current += unit
            continue
        if current:
            parts.append(current)
        if size(unit) <= budget or level >= len(_LEVELS):
            current = unit
        else:
            pieces = _split(unit, size, budget, level + 1)
            parts.extend(pieces[:-1])
            current = pieces[-1]
    if current:
        parts.append(current)
    return parts

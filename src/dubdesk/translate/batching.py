"""Every distinct text of a file through the engine in a few large calls (:func:`translate_all`);
an engine failure is isolated to the texts that cause it (:func:`isolating`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from ..errors import TranslationError
from .alignment import Aligned
from .engines import AlignedEngine, CachedEngine, Engine

T = TypeVar("T")

#: ``progress(done_cues, total_cues)`` (a project build reports per file: ``dubdesk.project.Progress``)
CueProgress = Callable[[int, int], None]


class CacheCounter:
    """Cache statistics of a :class:`CachedEngine` (if the engine is one) over one run."""

    def __init__(self, eng: Engine) -> None:
        self.eng = eng if isinstance(eng, CachedEngine) else None
        self.before = self._read()

    def _read(self) -> tuple[int, int]:
        if self.eng is None:
            return (0, 0)
        return self.eng.stats.hits, self.eng.stats.misses

    def finish(self, texts: int) -> tuple[int, int, int]:
        """(texts, memory hits, texts translated) since this counter started."""
        if self.eng is None:
            return texts, 0, texts
        hits, misses = self._read()
        return texts, hits - self.before[0], misses - self.before[1]


@dataclass
class Translated:
    texts: dict[str, str] = field(default_factory=dict)
    aligned: dict[str, Aligned] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  #: text -> the engine's error, one line


def translate_all(
    eng: Engine,
    texts: Sequence[str],
    aligned: Sequence[str],
    src: str,
    tgt: str,
    *,
    progress: CueProgress | None,
    total_cues: int,
    cue_of: dict[str, int],
    chunk_size: int,
) -> Translated:
    """Translate each distinct text once; longest first in chunks of ``chunk_size``.

    ``aligned`` texts (joined cues) are translated with their alignment (``eng``
    must then be an :class:`AlignedEngine`). What the translation memory knows
    is taken first, so the texts left (a re-run's few edited cues) go to the
    model in one call, not one per chunk. A text the engine fails on is
    isolated (the chunk is halved until it is found) and listed in ``failed``;
    if every text fails, a :class:`TranslationError` names the model and the
    first cue.
    """
    out = Translated()
    # in first-seen order before the (stable) sort by length, not a set's: a set's order of texts
    # of one length changes with the process's hash seed, and with it which texts share a
    # CTranslate2 batch, which can tip a near tie in beam search (the same season built twice
    # gave different subtitles for a random-weight model; every pool worker has its own seed)
    unique = sorted(dict.fromkeys(t for t in texts if t.strip()), key=len, reverse=True)
    out.texts.update({t: t for t in texts if not t.strip()})
    if isinstance(eng, CachedEngine) and unique:
        out.texts.update(eng.known(unique, src, tgt))
        unique = [t for t in unique if t not in out.texts]
    with_links = sorted(dict.fromkeys(aligned), key=len, reverse=True)
    total = len(unique) + len(with_links)
    done = 0

    def run(items: list[str], call: Callable[[list[str], str, str], Sequence[T]], into: dict[str, T]) -> None:
        nonlocal done
        for start in range(0, len(items), chunk_size):
            chunk = items[start : start + chunk_size]
            into.update(isolating(call, chunk, src, tgt, out.failed))
            done += len(chunk)
            if progress is not None:
                progress(round(total_cues * done / total), total_cues)

    if progress is not None:
        progress(0, total_cues)
    if with_links:
        assert isinstance(eng, AlignedEngine), "aligned texts need an engine that aligns"
        run(with_links, eng.translate_aligned, out.aligned)
    run(unique, eng.translate_batch, out.texts)
    if progress is not None and total:
        progress(total_cues, total_cues)
    if total and len(out.failed) == total:
        first = min(out.failed, key=lambda t: cue_of.get(t, 0))
        raise TranslationError(f"{eng.id} failed on cue {cue_of.get(first, '?')}: {out.failed[first]}")
    return out


def isolating(
    call: Callable[[list[str], str, str], Sequence[T]], chunk: list[str], src: str, tgt: str, failed: dict[str, str]
) -> dict[str, T]:
    """``call(chunk)`` as a dict; a failing chunk is halved until the failing texts are found."""
    try:
        result = list(call(chunk, src, tgt))
    except Exception as exc:  # any engine's failure on a text: isolated and flagged (Ctrl-C passes)
        if len(chunk) == 1:
            failed[chunk[0]] = " ".join(str(exc).split()) or type(exc).__name__
            return {}
        half = len(chunk) // 2
        return {**isolating(call, chunk[:half], src, tgt, failed), **isolating(call, chunk[half:], src, tgt, failed)}
    if len(result) != len(chunk):
        raise TranslationError(f"engine returned {len(result)} translations for {len(chunk)} texts")
    return dict(zip(chunk, result, strict=True))

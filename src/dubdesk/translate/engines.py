"""The engine protocol, the engine registry and the wrappers that compose engines.

An engine turns a list of texts into a list of translations::

    engine.translate_batch(["Кто он?", "Конец."], "ru", "kk") -> ["Ол кім?", "Соңы."]

Engines take *all* texts of a call at once (CTranslate2 batches them), use
BCP 47 tags, and have a stable :attr:`Engine.id` naming model, version and a
fingerprint of the weights: the translation memory keys on it.

An engine *may* also give several translations of each text, best first
(:class:`AlternativesEngine`: CTranslate2's n-best list); the pipeline tries
them when a glossary term fails verification. :func:`supports_alternatives`
tells whether an engine (wrapped or not) can.

Wrappers compose (argos-translate's ``CachedTranslation`` and
``CompositeTranslation`` idea): :class:`CachedEngine` puts a translation
memory in front of any engine, :class:`PivotEngine` chains two engines through
a pivot language (zh-Hans→en→kk). Engines are looked up by name in
:data:`ENGINES` and imported only when built: importing this module imports
neither ctranslate2 nor sentencepiece.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from ..errors import TranslationError, UsageError
from .alignment import Aligned, compose
from .memory import TranslationMemory

__all__ = [
    "ENGINES",
    "AlignedEngine",
    "AlternativesEngine",
    "CacheStats",
    "CachedEngine",
    "CopyEngine",
    "Engine",
    "PivotEngine",
    "distinct",
    "engine_class",
    "supports_alignment",
    "supports_alternatives",
]


@runtime_checkable
class Engine(Protocol):
    """What every translation engine provides."""

    @property
    def id(self) -> str:
        """Stable identifier of model + version + weights: the translation-memory key."""
        ...

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        """Translate ``texts`` from ``source`` to ``target`` (BCP 47); same length, same order."""
        ...


@runtime_checkable
class AlternativesEngine(Engine, Protocol):
    """An engine that can also give several translations of a text (optional capability)."""

    def translate_alternatives(self, texts: list[str], source: str, target: str, n: int) -> list[list[str]]:
        """Up to ``n`` distinct translations of each text, best first; one list per text, same order."""
        ...


@runtime_checkable
class AlignedEngine(Engine, Protocol):
    """An engine that can say which source characters each part of a translation came from
    (optional capability: CTranslate2's attention). The pipeline cuts joined sentences with it."""

    def translate_aligned(self, texts: list[str], source: str, target: str) -> list[Aligned]:
        """The translation of each text with links from its characters to the text's."""
        ...


def supports_alignment(engine: object) -> bool:
    """Can ``engine`` align? Wrappers answer for what they wrap (``supports_alignment``)."""
    declared = getattr(engine, "supports_alignment", None)
    if isinstance(declared, bool):
        return declared
    return callable(getattr(engine, "translate_aligned", None))


def supports_alternatives(engine: object) -> bool:
    """Can ``engine`` give alternatives? Wrappers answer for what they wrap (``supports_alternatives``)."""
    declared = getattr(engine, "supports_alternatives", None)
    if isinstance(declared, bool):
        return declared
    return callable(getattr(engine, "translate_alternatives", None))


def distinct(texts: Iterable[str]) -> list[str]:
    """``texts`` without repeats, in order (two hypotheses can detokenise to one string)."""
    return list(dict.fromkeys(texts))


#: engine name -> "module:class", imported on first use
ENGINES: dict[str, str] = {
    "argos": "dubdesk.translate.argos:ArgosEngine",
    "multilingual": "dubdesk.translate.multilingual:MultilingualEngine",
    "argostranslate": "dubdesk.translate.argos:ArgosTranslateEngine",
    "copy": "dubdesk.translate.engines:CopyEngine",
}


def engine_class(name: str) -> type[Any]:
    """The class registered under ``name`` (imported now)."""
    target = ENGINES.get(name)
    if target is None:
        raise UsageError(f"unknown engine {name!r}", hint="choose one of: " + ", ".join(ENGINES))
    module_name, attr = target.split(":")
    cls: type[Any] = getattr(importlib.import_module(module_name), attr)
    return cls


class CopyEngine:
    """Returns every text unchanged (dry runs, pipeline tests)."""

    id = "copy"

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        return list(texts)


#: memory context suffix under which aligned translations (JSON) are kept apart from plain ones
_ALIGNED = "\x1faligned"


@dataclass
class CacheStats:
    hits: int = 0  #: texts answered from memory
    misses: int = 0  #: texts the wrapped engine translated


class CachedEngine:
    """An engine with a translation memory in front.

    Each call looks every distinct text up, sends only the misses to the
    wrapped engine *in one call* (so CTranslate2 still batches them) and
    commits their translations before returning. ``glossary_version`` (or any
    ``context`` string) is part of the key.
    """

    def __init__(
        self,
        engine: Engine,
        memory: TranslationMemory | None = None,
        *,
        glossary_version: str = "",
        context: str | None = None,
    ) -> None:
        self.engine = engine
        self.memory = memory if memory is not None else TranslationMemory()
        self.context = glossary_version if context is None else context
        self.stats = CacheStats()

    @property
    def id(self) -> str:
        return str(self.engine.id)

    def known(self, texts: list[str], source: str, target: str) -> dict[str, str]:
        """The memory's translations of ``texts`` (counted as hits); nothing is translated."""
        found = self.memory.get_many(self.id, source, target, list(texts), self.context)
        self.stats.hits += len(found)
        return found

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        texts = list(texts)
        unique = list(dict.fromkeys(texts))
        known = self.known(unique, source, target)
        missing = [t for t in unique if t not in known]
        if missing:
            translated = list(self.engine.translate_batch(missing, source, target))
            if len(translated) != len(missing):
                raise RuntimeError(f"{self.id} returned {len(translated)} translations for {len(missing)} texts")
            fresh = dict(zip(missing, translated, strict=True))
            self.memory.put_many(self.id, source, target, fresh, self.context)
            self.stats.misses += len(missing)
            known.update(fresh)
        return [known[t] for t in texts]

    @property
    def supports_alignment(self) -> bool:
        return supports_alignment(self.engine)

    def translate_aligned(self, texts: list[str], source: str, target: str) -> list[Aligned]:
        """Aligned translations, remembered with their links (a re-run cuts its sentences the same way)."""
        unique = list(dict.fromkeys(texts))
        context = self.context + _ALIGNED
        found = self.memory.get_many(self.id, source, target, unique, context)
        known: dict[str, Aligned] = {}
        for text, raw in found.items():
            try:
                known[text] = Aligned.from_dict(json.loads(raw))
            except (ValueError, TypeError, AssertionError):
                continue
        self.stats.hits += len(known)
        missing = [t for t in unique if t not in known]
        if missing:
            fresh = list(self.engine.translate_aligned(missing, source, target))  # type: ignore[attr-defined]
            if len(fresh) != len(missing):
                raise TranslationError(f"{self.id} returned {len(fresh)} translations for {len(missing)} texts")
            self.memory.put_many(
                self.id, source, target,
                {t: json.dumps(a.to_dict(), ensure_ascii=False) for t, a in zip(missing, fresh, strict=True)},
                context,
            )
            self.stats.misses += len(missing)
            known.update(zip(missing, fresh, strict=True))
        return [known[t] for t in texts]

    @property
    def supports_alternatives(self) -> bool:
        return supports_alternatives(self.engine)

    def translate_alternatives(self, texts: list[str], source: str, target: str, n: int) -> list[list[str]]:
        """The wrapped engine's alternatives, not cached: the memory holds one translation per
        text, and alternatives are only asked for the few texts that failed verification."""
        if not supports_alternatives(self.engine):
            raise TranslationError(f"engine {self.id} gives no alternatives")
        return _alternatives(self.engine, texts, source, target, n)


class PivotEngine:
    """Translate through a pivot language: ``first`` source→pivot, ``second`` pivot→target."""

    def __init__(self, first: Engine, second: Engine, pivot: str = "en") -> None:
        self.first = first
        self.second = second
        self.pivot = pivot

    @property
    def id(self) -> str:
        return f"pivot:{self.pivot}({self.first.id}|{self.second.id})"

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        middle = list(self.first.translate_batch(list(texts), source, self.pivot))
        return list(self.second.translate_batch(middle, self.pivot, target))

    @property
    def supports_alignment(self) -> bool:
        return supports_alignment(self.first) and supports_alignment(self.second)

    def translate_aligned(self, texts: list[str], source: str, target: str) -> list[Aligned]:
        """Both legs aligned; target→pivot links composed with pivot→source links."""
        first: list[Aligned] = self.first.translate_aligned(list(texts), source, self.pivot)  # type: ignore[attr-defined]
        second: list[Aligned] = self.second.translate_aligned([a.text for a in first], self.pivot, target)  # type: ignore[attr-defined]
        return [Aligned(b.text, compose(b.links, a.links)) for a, b in zip(first, second, strict=True)]

    @property
    def supports_alternatives(self) -> bool:
        return supports_alternatives(self.second)

    def translate_alternatives(self, texts: list[str], source: str, target: str, n: int) -> list[list[str]]:
        """Alternatives of the last leg over the first leg's best (n translations, not n²)."""
        if not supports_alternatives(self.second):
            raise TranslationError(f"engine {self.second.id} gives no alternatives")
        middle = list(self.first.translate_batch(list(texts), source, self.pivot))
        return _alternatives(self.second, middle, self.pivot, target, n)


def _alternatives(engine: Any, texts: list[str], source: str, target: str, n: int) -> list[list[str]]:
    out = [list(alts) for alts in engine.translate_alternatives(list(texts), source, target, n)]
    if len(out) != len(texts):
        raise TranslationError(f"{engine.id} returned alternatives for {len(out)} of {len(texts)} texts")
    return out


"""The engine protocol, the engine registry and the wrappers that compose engines.

An engine turns a list of texts into a list of translations::

    engine.translate_batch(["Кто он?", "Конец."], "ru", "kk") -> ["Ол кім?", "Соңы."]

Engines take *all* texts of a call at once (CTranslate2 batches them), use
BCP 47 tags, and have a stable :attr:`Engine.id` naming model, version and a
fingerprint of the weights: the translation memory keys on it.

Wrappers compose (argos-translate's ``CachedTranslation`` and
``CompositeTranslation`` idea): :class:`CachedEngine` puts a translation
memory in front of any engine, :class:`PivotEngine` chains two engines through
a pivot language (zh-Hans→en→kk). Engines are looked up by name in
:data:`ENGINES` and imported only when built: importing this module imports
neither ctranslate2 nor sentencepiece.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from ..errors import UsageError
from .memory import TranslationMemory

__all__ = [
    "ENGINES",
    "CacheStats",
    "CachedEngine",
    "CopyEngine",
    "Engine",
    "PivotEngine",
    "engine_class",
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

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        texts = list(texts)
        known = self.memory.get_many(self.id, source, target, texts, self.context)
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        self.stats.hits += sum(1 for t in dict.fromkeys(texts) if t in known)
        if missing:
            translated = list(self.engine.translate_batch(missing, source, target))
            if len(translated) != len(missing):
                raise RuntimeError(f"{self.id} returned {len(translated)} translations for {len(missing)} texts")
            fresh = dict(zip(missing, translated, strict=True))
            self.memory.put_many(self.id, source, target, fresh, self.context)
            self.stats.misses += len(missing)
            known.update(fresh)
        return [known[t] for t in texts]


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


def chunked(items: Sequence[str], size: int) -> list[list[str]]:
    """Split ``items`` into lists of at most ``size``."""
    return [list(items[i : i + size]) for i in range(0, len(items), size)]

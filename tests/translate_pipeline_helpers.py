"""Helpers for the translation-pipeline tests: toy packages, installed into a tmp home, and engine wrappers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "composer"
GLOSSARY = ROOT / "glossaries" / "composer.toml"
LEXICON = ROOT / "samples" / "models-src" / "demo_lexicon.toml"

#: a word-for-word ru→kk model: every test string below is exact
RU_KK = {
    "Он": "Ол",
    "он": "ол",
    "пришёл": "келді",
    "домой": "үйге",
    "Музыка": "Музыка",
    "музыка": "музыка",
    "играла": "ойнады",
    "и": "және",
    "Кто": "Кім",
    "Конец": "Соңы",
}


def install_package(home_models: Path, package: Path, name: str) -> None:
    from dubdesk.translate import models

    models.install(package, name=name, root=home_models, force=True)


def lexicon() -> dict[str, Any]:
    import tomllib  # Python 3.11+ (the test environment)

    data: dict[str, Any] = tomllib.loads(LEXICON.read_text("utf-8"))
    return data


class Recording:
    """Wraps an engine and records every batch it is given."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.batches: list[list[str]] = []

    @property
    def id(self) -> str:
        return str(self.inner.id)

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        self.batches.append(list(texts))
        return list(self.inner.translate_batch(texts, source, target))

    @property
    def supports_alignment(self) -> bool:
        from dubdesk.translate.engines import supports_alignment

        return supports_alignment(self.inner)

    def translate_aligned(self, texts: list[str], source: str, target: str) -> list[Any]:
        self.batches.append(list(texts))
        return list(self.inner.translate_aligned(texts, source, target))

    @property
    def texts(self) -> list[str]:
        return [t for b in self.batches for t in b]


class RecordingAlternatives(Recording):
    """A :class:`Recording` that also passes (and records) requests for alternatives."""

    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.alternative_batches: list[list[str]] = []

    def translate_alternatives(self, texts: list[str], source: str, target: str, n: int) -> list[list[str]]:
        self.alternative_batches.append(list(texts))
        return [list(a) for a in self.inner.translate_alternatives(texts, source, target, n)]


_PLACEHOLDER = re.compile(r"ZXQ ?[0-9A-J]+ ?Q", re.IGNORECASE)


class DropsPlaceholders(Recording):
    """A model that loses glossary placeholders (and, with ``also``, a word) in its output."""

    def __init__(self, inner: Any, also: str | None = None) -> None:
        super().__init__(inner)
        self.also = also

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        out = super().translate_batch(texts, source, target)
        out = [" ".join(_PLACEHOLDER.sub("", t).split()) for t in out]
        if self.also:
            out = [" ".join(w for w in t.split() if not w.startswith(self.also)) for t in out]
        return out


class FailsAfter(Recording):
    """Raises ``exc`` on batch number ``n`` (1-based): an interrupted run."""

    def __init__(self, inner: Any, n: int, exc: BaseException) -> None:
        super().__init__(inner)
        self.n = n
        self.exc = exc

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        if len(self.batches) + 1 >= self.n:
            raise self.exc
        return super().translate_batch(texts, source, target)

    def translate_aligned(self, texts: list[str], source: str, target: str) -> list[Any]:
        if len(self.batches) + 1 >= self.n:
            raise self.exc
        return super().translate_aligned(texts, source, target)

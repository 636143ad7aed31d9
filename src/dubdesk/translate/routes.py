"""Route planning: which installed model(s) translate a language pair.

Order of preference (:func:`plan_route`):

1. a *direct* model for the pair (an Argos package);
2. a *multilingual* model that has both languages (M2M100, NLLB);
3. a *pivot* through English: source→en then en→target, each leg by 1. or 2.

Within each step real models come before demo models, dubdesk's own before
argostranslate's, then by name. ``engine=`` restricts the kind of engine,
``model=`` names one installed model (or a package path) explicitly.
:func:`get_engine` builds (and caches) the engine for a route.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import languages
from ..errors import ModelError, RouteError, UsageError
from .engines import ENGINES, Engine, PivotEngine, engine_class
from .models import InstalledModel, _describe, find_model, list_models

__all__ = ["PIVOT", "Route", "Step", "get_engine", "plan_route"]

#: the pivot language: every Argos language has a model to and from English
PIVOT = "en"


@dataclass(frozen=True)
class Step:
    source: str
    target: str
    model: InstalledModel | None  #: None for engines without a model (copy, argostranslate)
    engine: str  #: engine name in :data:`dubdesk.translate.engines.ENGINES`


@dataclass(frozen=True)
class Route:
    source: str
    target: str
    kind: str  #: "direct", "multilingual", "pivot" or "engine"
    steps: tuple[Step, ...]

    @property
    def models(self) -> list[InstalledModel]:
        return [s.model for s in self.steps if s.model is not None]

    @property
    def demo(self) -> bool:
        return any(m.demo for m in self.models)

    def describe(self) -> str:
        """``zh-Hans→en→kk via demo-zh-en, demo-en-kk`` — the line the CLI prints."""
        chain = "→".join([self.steps[0].source, *(s.target for s in self.steps)])
        names = [s.model.name if s.model is not None else s.engine for s in self.steps]
        text = f"{chain} via {', '.join(names)}"
        if self.kind == "multilingual":
            text += " (multilingual)"
        if self.demo:
            text += " [demo model: word for word, not a real translation]"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "kind": self.kind,
            "description": self.describe(),
            "steps": [
                {"source": s.source, "target": s.target, "engine": s.engine, "model": s.model.name if s.model else None}
                for s in self.steps
            ],
        }


def _rank(model: InstalledModel) -> tuple[int, int, str]:
    return (int(model.demo), int(model.origin != "dubdesk"), model.name)


def _leg(source: str, target: str, models: list[InstalledModel], engine: str | None) -> Step | None:
    """The best single-model step for a pair, or None."""
    direct = sorted((m for m in models if m.kind == "argos" and m.translates(source, target)), key=_rank)
    multi = sorted((m for m in models if m.kind == "multilingual" and m.translates(source, target)), key=_rank)
    if engine in (None, "argos") and direct:
        return Step(source, target, direct[0], "argos")
    if engine in (None, "multilingual") and multi:
        return Step(source, target, multi[0], "multilingual")
    return None


def _missing(source: str, target: str) -> RouteError:
    src_code, tgt_code = languages.get(source).argos, languages.get(target).argos
    # a pivot through English only exists when neither end is English
    via = PIVOT not in (src_code, tgt_code)
    return RouteError(
        f"no installed model translates {source}→{target} (directly, with a multilingual model"
        + (f", or through {PIVOT})" if via else ")"),
        hint=f"install one with `dubdesk models install PATH`: an Argos package {src_code}→{tgt_code}"
        + (f" (or {src_code}→{PIVOT} and {PIVOT}→{tgt_code})" if via else "")
        + ", or an M2M100/NLLB model converted with"
        " ct2-transformers-converter; `dubdesk models routes` lists what is available",
    )


def _model_from(model: str) -> InstalledModel:
    path = Path(model)
    if path.exists() and (path.suffix == ".argosmodel" or path.is_dir()):
        try:
            return _describe(path, path.stem if path.is_file() else path.name, "path")
        except ModelError:
            pass
    return find_model(model)


def plan_route(
    source: str,
    target: str,
    engine: str | None = None,
    model: str | None = None,
    *,
    models: list[InstalledModel] | None = None,
) -> Route:
    """Choose how to translate ``source``→``target`` (BCP 47 tags or aliases).

    Raises :class:`UnknownLanguageError` for an unknown tag, :class:`RouteError`
    when nothing installed can do it (the message names the pair and how to
    install a model).
    """
    src, tgt = languages.normalize(source), languages.normalize(target)
    if src == tgt:
        raise UsageError(f"source and target are both {src}")
    if engine is not None and engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}", hint="choose one of: " + ", ".join(ENGINES))
    if engine in ("copy", "argostranslate") and model is None:
        return Route(src, tgt, "engine", (Step(src, tgt, None, engine),))

    if model is not None:
        chosen = _model_from(model)
        if not chosen.translates(src, tgt):
            pairs = ", ".join(f"{s}→{t}" for s, t in chosen.pairs[:6]) + (" …" if len(chosen.pairs) > 6 else "")
            raise RouteError(
                f"model {chosen.name} does not translate {src}→{tgt} (it translates {pairs})",
                hint="omit --model to let dubdesk plan a route",
            )
        kind = engine or ("argos" if chosen.kind == "argos" else "multilingual")
        return Route(src, tgt, "direct" if chosen.kind == "argos" else "multilingual", (Step(src, tgt, chosen, kind),))

    available = list_models() if models is None else models
    step = _leg(src, tgt, available, engine)
    if step is not None:
        return Route(src, tgt, "direct" if step.engine == "argos" else "multilingual", (step,))
    if PIVOT not in (src, tgt):
        first = _leg(src, PIVOT, available, engine)
        second = _leg(PIVOT, tgt, available, engine)
        if first is not None and second is not None:
            return Route(src, tgt, "pivot", (first, second))
    raise _missing(src, tgt)


#: loaded engines, by (engine name, model path): a process translating many files loads a model once
_ENGINE_CACHE: dict[tuple[str, str], Any] = {}


def _step_engine(step: Step, options: dict[str, Any]) -> Engine:
    key = (step.engine, str(step.model.path) if step.model else "", repr(sorted(options.items())))
    cached = _ENGINE_CACHE.get(key[:2]) if not options else None
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    cls = engine_class(step.engine)
    eng: Engine = cls(step.model.path, **options) if step.model is not None else cls(**options)
    if not options:
        _ENGINE_CACHE[key[:2]] = eng
    return eng


def get_engine(route: Route, **options: Any) -> Engine:
    """The engine that runs ``route`` (a :class:`PivotEngine` for a pivot route).

    ``options`` go to each engine (``beam_size``, ``inter_threads``…); engines
    built without options are cached for the life of the process.
    """
    engines = [_step_engine(step, options) for step in route.steps]
    if len(engines) == 1:
        return engines[0]
    return PivotEngine(engines[0], engines[1], pivot=route.steps[0].target)


def clear_engine_cache() -> None:
    _ENGINE_CACHE.clear()

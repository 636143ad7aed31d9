"""Offline translation: engines, model packages, routes, translation memory and
the subtitle pipeline.

Importing this package is light: nothing here imports ctranslate2 or
sentencepiece until an engine is actually built. :func:`translate_track` and
:class:`TranslationResult` load :mod:`dubdesk.translate.pipeline` on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..runtime import lazy_attributes

_LAZY: dict[str, str] = {
    "translate_track": "dubdesk.translate.pipeline",
    "TranslationResult": "dubdesk.translate.pipeline",
    "TranslationReport": "dubdesk.translate.pipeline",
    "FlaggedCue": "dubdesk.translate.pipeline",
}

__all__ = list(_LAZY)


__getattr__, __dir__ = lazy_attributes("dubdesk.translate", _LAZY, globals(), __all__)


if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import FlaggedCue as FlaggedCue
    from .pipeline import TranslationReport as TranslationReport
    from .pipeline import TranslationResult as TranslationResult
    from .pipeline import translate_track as translate_track

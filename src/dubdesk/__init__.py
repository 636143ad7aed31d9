"""dubdesk: subtitles, glossaries, offline translation, timing QA and muxing
for film and TV localisation.

The public API is re-exported here lazily: ``import dubdesk`` imports neither
ctranslate2 nor ffmpeg; each name loads its module on first use.

>>> import dubdesk
>>> track = dubdesk.load("samples/composer/composer.ru.srt")     # doctest: +SKIP
>>> dubdesk.save(track, "out.vtt")                               # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import DubdeskError
from .runtime import lazy_attributes
from .track import ReadWarning, Source, Track

__version__ = "0.1.0"

#: public name -> module that defines it
_LAZY: dict[str, str] = {
    # subtitles (foundation)
    "load": "dubdesk.subtitles",
    "loads": "dubdesk.subtitles",
    "save": "dubdesk.subtitles",
    "dumps": "dubdesk.subtitles",
    "lint_file": "dubdesk.lint",
    # glossaries
    "Glossary": "dubdesk.glossary",
    "load_glossary": "dubdesk.glossary",
    "check_glossary": "dubdesk.glossary",
    "apply_glossary": "dubdesk.glossary",
    "protect": "dubdesk.glossary",
    "restore": "dubdesk.glossary",
    "verify": "dubdesk.glossary",
    # translation
    "translate_track": "dubdesk.translate",
    # QA
    "run_qa": "dubdesk.qa",
    "fix_track": "dubdesk.qa",
    "load_profile": "dubdesk.qa",
    # media
    "probe": "dubdesk.media",
    "MuxPlan": "dubdesk.media",
    "mux": "dubdesk.media",
    "extract": "dubdesk.media",
    # picture and dub QA
    "shot_changes": "dubdesk.media.analysis",
    "run_audio_qa": "dubdesk.qa.audio",
    # episode manifests
    "load_manifest": "dubdesk.project",
    "build": "dubdesk.project",
    # seasons
    "load_season": "dubdesk.season",
    "build_season": "dubdesk.season",
}

__all__ = ["DubdeskError", "ReadWarning", "Source", "Track", "__version__", *_LAZY]


__getattr__, __dir__ = lazy_attributes("dubdesk", _LAZY, globals(), __all__)


if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from .subtitles import dumps as dumps
    from .subtitles import load as load
    from .subtitles import loads as loads
    from .subtitles import save as save

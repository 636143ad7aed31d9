"""Episode manifests (``dubdesk.toml``): what goes into one delivery, and building it.

A manifest names the episode video, the source subtitles and their language,
the target languages (each with an existing subtitle file or none, meaning
"translate it", and optionally dub audio), a glossary, the QA policy and the
output. :func:`build` runs load → glossary apply → translate missing targets
→ QA (safe fixes, stop on findings at ``fail_on``) → mux → verify, and records
what each output was made from in a small state file beside the outputs, so
:func:`status` can tell what exists, what is missing and what is stale.

The package: :mod:`.manifest` (schema and reading), :mod:`.state` (fingerprints,
the state file), :mod:`.build` (the build, one public function per step),
:mod:`.results` (what a build reports), :mod:`.status`. Paths in a manifest are relative to the manifest's folder. See docs/media.md.
"""

from __future__ import annotations

from ..errors import DubdeskError
from .build import (
    Episode,
    Progress,
    build,
    check_language,
    load_language,
    mux_episode,
    open_episode,
    stop_if_failed,
    translate_target,
)
from .manifest import FAIL_ON, STATE_FILE, LanguageSpec, Manifest, load_manifest
from .results import BuildResult, LanguageResult, SubtitlesFrom
from .state import STATE_VERSION, fingerprint, read_state
from .status import DeliveryStatus, FileStatus, LanguageStatus, Status, SubtitleStatus, status

__all__ = [
    "FAIL_ON",
    "STATE_FILE",
    "STATE_VERSION",
    "BuildResult",
    "DeliveryStatus",
    "DubdeskError",
    "Episode",
    "FileStatus",
    "LanguageResult",
    "LanguageSpec",
    "LanguageStatus",
    "Manifest",
    "Progress",
    "Status",
    "SubtitleStatus",
    "SubtitlesFrom",
    "build",
    "check_language",
    "fingerprint",
    "load_language",
    "load_manifest",
    "mux_episode",
    "open_episode",
    "read_state",
    "status",
    "stop_if_failed",
    "translate_target",
]

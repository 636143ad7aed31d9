"""Term glossaries: approved names and titles across Chinese, Russian, Kazakh
and English — find, apply, protect, verify.

>>> g = load_glossary("glossaries/composer.toml")                 # doctest: +SKIP
>>> report = check_glossary(track, g)                             # doctest: +SKIP
>>> fixed, changes = apply_glossary(track, g)                     # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from ..errors import GlossaryError
from .matcher import Match, Matcher, Pattern
from .model import Entry, Glossary, LangForms, dumps_toml, load_toml, loads_toml
from .ops import (
    Change,
    Finding,
    GlossaryReport,
    Miss,
    VerifyReport,
    apply_glossary,
    check_glossary,
    substitute,
    verify,
    verify_text,
)
from .protect import PLACEHOLDER_RE, Protected, ProtectedTerm, Restored, protect, restore, restore_report
from .tbx import load_tbx

__all__ = [
    "PLACEHOLDER_RE",
    "Change",
    "Entry",
    "Finding",
    "Glossary",
    "GlossaryReport",
    "LangForms",
    "Match",
    "Matcher",
    "Miss",
    "Pattern",
    "Protected",
    "ProtectedTerm",
    "Restored",
    "VerifyReport",
    "apply_glossary",
    "check_glossary",
    "dumps_toml",
    "load_glossary",
    "loads_toml",
    "protect",
    "restore",
    "restore_report",
    "substitute",
    "verify",
    "verify_text",
]


def load_glossary(path: str | Path) -> Glossary:
    """Read a glossary: dubdesk TOML (``.toml``) or TBX (``.tbx``, TBX-Basic/martif).

    Raises :class:`~dubdesk.errors.GlossaryInvalidError` (one problem per bad
    row, each with file and line) or :class:`~dubdesk.errors.GlossaryError`.
    """
    p = Path(path)
    if not p.is_file():
        raise GlossaryError("glossary file not found", path=str(p))
    suffix = p.suffix.lower()
    if suffix in (".tbx", ".xml"):
        return load_tbx(p)
    if suffix == ".toml":
        return load_toml(p)
    raise GlossaryError(f"unknown glossary format {suffix!r}", path=str(p), hint="use .toml or .tbx")

"""Term glossaries: approved names and titles across Chinese, Russian, Kazakh
and English — find, apply, protect, verify.

>>> g = load_glossary("glossaries/composer.toml")                 # doctest: +SKIP
>>> report = check_glossary(track, g)                             # doctest: +SKIP
>>> fixed, changes = apply_glossary(track, g)                     # doctest: +SKIP
"""

from __future__ import annotations

from .apply import TermChange, apply_glossary
from .check import GlossaryReport, TermFinding, check_glossary, prepare_glossary
from .loading import load_glossary
from .matcher import Match, Matcher, Pattern
from .model import Entry, Glossary, LangForms
from .protect import PLACEHOLDER_RE, Protected, ProtectedTerm, Restored, protect, restore, restore_report
from .toml_read import loads_toml
from .toml_write import dumps_toml
from .verification import Miss, VerifyReport, substitute, verify, verify_text

__all__ = [
    "PLACEHOLDER_RE",
    "Entry",
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
    "TermChange",
    "TermFinding",
    "VerifyReport",
    "apply_glossary",
    "check_glossary",
    "dumps_toml",
    "load_glossary",
    "loads_toml",
    "prepare_glossary",
    "protect",
    "restore",
    "restore_report",
    "substitute",
    "verify",
    "verify_text",
]

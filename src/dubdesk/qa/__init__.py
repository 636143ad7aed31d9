"""Timing and readability QA: language profiles, rules, fixes and reports.

>>> import dubdesk
>>> track = dubdesk.load("samples/composer/composer.ru.srt")       # doctest: +SKIP
>>> report = dubdesk.run_qa(track)                                   # doctest: +SKIP
>>> [(f.cue, f.rule) for f in report.findings]                       # doctest: +SKIP
[(4, 'too-short'), (8, 'overlap'), (12, 'reading-speed')]
"""

from __future__ import annotations

from ..profiles import Profile, load_profile, shipped_profiles
from .check import run_qa
from .fixes import FIXABLE, fix_track
from .model import SCHEMA, SCHEMA_VERSION, Change, Finding, Report, Severity
from .rules import RULES

__all__ = [
    "FIXABLE",
    "RULES",
    "SCHEMA",
    "SCHEMA_VERSION",
    "Change",
    "Finding",
    "Profile",
    "Report",
    "Severity",
    "fix_track",
    "load_profile",
    "run_qa",
    "shipped_profiles",
]


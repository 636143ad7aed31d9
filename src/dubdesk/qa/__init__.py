"""Timing and readability QA: language profiles, rules, fixes and reports.

>>> import dubdesk
>>> track = dubdesk.load("samples/composer/composer.ru.srt")       # doctest: +SKIP
>>> report = dubdesk.run_qa(track)                                   # doctest: +SKIP
>>> [(f.cue, f.rule) for f in report.findings]                       # doctest: +SKIP
[(4, 'too-short'), (8, 'overlap'), (12, 'reading-speed')]
"""

from __future__ import annotations

from .profile import Profile, load_profile

__all__ = ["Profile", "load_profile"]

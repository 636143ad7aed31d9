"""The QA rules: one small function each, in a registry.

A rule takes the :class:`~dubdesk.qa.context.Context` and yields findings.
Every finding names its rule id, severity, the cue (1-based number as people
see it), its times and a message that says what to do. The modules register
their rules on import, in the order they run and are documented.
"""

from __future__ import annotations

# importing a module registers its rules: this is the order they run and are documented
# isort: off
from . import cue, shots, tags, pairs, script, compare  # noqa: F401
# isort: on

from .compare import speech_units
from .registry import RULES, Rule, RuleFunc, rule, seconds
from .shots import shot_edges

__all__ = ["RULES", "Rule", "RuleFunc", "rule", "seconds", "shot_edges", "speech_units"]

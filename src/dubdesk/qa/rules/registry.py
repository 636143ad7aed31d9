"""The rule registry: :data:`RULES` and the :func:`rule` decorator every rule module uses."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..context import Context
from ..model import Finding, Severity

RuleFunc = Callable[[Context], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    fixable: bool
    summary: str
    needs: str | None  #: "fps", "video", "against", "shots" or None (always runs)
    func: RuleFunc


#: rule id -> Rule, in the order they run and are documented
RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, severity: Severity, summary: str, *, fixable: bool = False, needs: str | None = None
) -> Callable[[RuleFunc], RuleFunc]:
    def register(func: RuleFunc) -> RuleFunc:
        RULES[rule_id] = Rule(rule_id, severity, fixable, summary, needs, func)
        return func

    return register


def seconds(ms: float) -> str:
    """``1.234 s``: how findings write a time."""
    return f"{ms / 1000:.3f} s"


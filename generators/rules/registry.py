"""The list of rules: each rule module registers its functions here, at its end (see rules/__init__.py)."""
from __future__ import annotations

from typing import Callable, Iterable

from ..source.diagnostics import Diagnostic
from ..source.model import Procedure

Rule = Callable[[Procedure], Iterable[Diagnostic]]
RULES: list[Rule] = []
DATED_RULES: set = set()  # rules called as rule(proc, today)


def rule(*funcs: Rule) -> None:
    """Register rules, in order: ``rule(a, b)`` at the end of their module."""
    RULES.extend(funcs)


def dated_rule(*funcs) -> None:
    """Register rules that depend on today's date: each is called as ``func(proc, today)``
    with the run's date (never the calendar read inside the rule)."""
    DATED_RULES.update(funcs)
    RULES.extend(funcs)

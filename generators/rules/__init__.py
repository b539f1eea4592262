"""Validation rules. Each rule is a small function that yields diagnostics for one procedure.

Register rules with ``rule(a, b, ...)`` at the end of their module, never as a decorator: mutation
testing (``make mutants``) skips decorated functions, so a decorated rule would go unchecked
(a test in tests/test_mutants.py refuses one). ``check_procedure`` runs them all, so every problem is
reported at once. Rules never raise on odd input: the model already holds only
well-typed values, with gaps as ``None`` or empty.
"""
from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable

from .. import clock
from ..diagnostics import Diagnostic
from ..model import Procedure

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


def check_procedure(proc: Procedure, today: dt.date | str | None = None) -> list[Diagnostic]:
    """Run every registered rule on one procedure; ``today`` defaults as in ``clock.resolve``."""
    day = clock.resolve(today)
    return [d for r in RULES for d in (r(proc, day) if r in DATED_RULES else r(proc))]


# Importing the modules registers their rules.
from . import header, approvals, revisions, references, flow, forms, reserved, gaps, limits, texts  # noqa: E402,F401

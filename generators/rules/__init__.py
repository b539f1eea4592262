"""Validation rules. Each rule is a small function that yields diagnostics for one procedure.

Register a rule with ``@rule``; ``check_procedure`` runs them all, so every problem is
reported at once. Rules never raise on odd input: the model already holds only
well-typed values, with gaps as ``None`` or empty.
"""
from __future__ import annotations

from typing import Callable, Iterable

from ..diagnostics import Diagnostic
from ..model import Procedure

Rule = Callable[[Procedure], Iterable[Diagnostic]]
RULES: list[Rule] = []


def rule(func: Rule) -> Rule:
    RULES.append(func)
    return func


def check_procedure(proc: Procedure) -> list[Diagnostic]:
    """Run every registered rule on one procedure."""
    return [d for r in RULES for d in r(proc)]


# Importing the modules registers their rules.
from . import header, approvals, revisions, references, flow, forms  # noqa: E402,F401

"""Validation rules. Each rule is a small function that yields diagnostics for one procedure.

Register rules with ``rule(a, b, ...)`` at the end of their module, never as a decorator: mutation
testing (``make mutants``) skips decorated functions, so a decorated rule would go unchecked
(a test in tests/test_mutants.py refuses one). ``check_procedure`` runs them all, so every problem is
reported at once. Rules never raise on odd input: the model already holds only
well-typed values, with gaps as ``None`` or empty.
"""
from __future__ import annotations

import datetime as dt

from ..source import clock
from ..source.diagnostics import Diagnostic
from ..source.model import Procedure
from . import registry
from .registry import dated_rule, rule  # noqa: F401  (the package's interface)


def check_procedure(proc: Procedure, today: dt.date | str | None = None) -> list[Diagnostic]:
    """Run every registered rule on one procedure; ``today`` defaults as in ``clock.resolve``."""
    day = clock.resolve(today)
    return [d for r in registry.RULES for d in (r(proc, day) if r in registry.DATED_RULES else r(proc))]


# Importing the modules registers their rules.
from . import header, approvals, revisions, references, flow, forms, reserved, gaps, limits, texts, holes  # noqa: E402,F401
from . import records, distribution, modals  # noqa: E402,F401

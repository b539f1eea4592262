"""How `check` reports: every diagnostic (``-v``, and whenever the output is not a terminal, so
CI logs and editors' problem matchers see every ``path:line:col`` line), or grouped for a person
at a terminal: errors first, each in full, then the warnings by kind with counts, the known and
accepted kinds in one line each."""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from .diagnostics import Diagnostic, Severity, summary

# Warnings that are expected and accepted as they are: one line each, never a list to wade through.
ACCEPTED = {
    "gap": "marked gaps where the source is silent, published as 待定 / To be determined "
           "(accepted by design: a revision resolves one and says how)",
}
# Warnings about commits already made: history is never rewritten (a deviation record acknowledges
# a breach; see the QA manager's guide), so they are the same on every run.
RECORDED = re.compile(r"commit [0-9a-f]{7,40}\b")
SHOWN_PER_KIND = 5  # warnings a person needs to act on are listed in full, up to this many of a kind


def _accepted(diag: Diagnostic) -> str | None:
    if diag.rule in ACCEPTED:
        return ACCEPTED[diag.rule]
    if RECORDED.match(diag.message):
        return "about commits already on main, which never change (history is not rewritten)"
    return None


def full(diagnostics: list[Diagnostic], files: int) -> list[str]:
    """Every diagnostic in file order, then the summary line."""
    return [d.format() for d in diagnostics] + [summary(diagnostics, files)]


def grouped(diagnostics: list[Diagnostic], files: int, verbose_flag: str = "check -v") -> list[str]:
    """Errors in full, then warnings by kind (accepted kinds one line each), then the summary line."""
    lines = [d.format() for d in diagnostics if d.severity is Severity.ERROR]
    warnings = [d for d in diagnostics if d.severity is Severity.WARNING]
    accepted: dict[tuple[str, str], list[Diagnostic]] = defaultdict(list)
    to_act: dict[str, list[Diagnostic]] = defaultdict(list)
    for diag in warnings:
        reason = _accepted(diag)
        if reason is None:
            to_act[diag.rule].append(diag)
        else:
            accepted[(diag.rule, reason)].append(diag)
    for rule, diags in sorted(to_act.items(), key=lambda item: (-len(item[1]), item[0])):
        lines += [d.format() for d in diags[:SHOWN_PER_KIND]]
        if len(diags) > SHOWN_PER_KIND:
            lines.append(f"... and {len(diags) - SHOWN_PER_KIND} more [{rule}] warning(s)")
    if warnings:
        counts = Counter(d.rule for d in warnings)
        kinds = ", ".join(f"{n} [{rule}]" for rule, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
        lines.append(f"warnings by kind: {kinds}")
        for (rule, reason), diags in sorted(accepted.items(), key=lambda item: (-len(item[1]), item[0])):
            where = len({d.pos.path for d in diags})
            noun = "file" if where == 1 else "files"
            lines.append(f"  {len(diags)} [{rule}] in {where} {noun}: {reason}")
        if accepted or any(len(d) > SHOWN_PER_KIND for d in to_act.values()):
            lines.append(f"  every warning with its place: {verbose_flag}")
    return lines + [summary(diagnostics, files)]

"""The publication gate: only approved content is published as such; anything else is a draft preview.

A build publishes the procedures as approved only when what it reads is what main approved: the
procedure folder has no uncommitted change, HEAD is on main (no commit that main lacks), and change
control over main's history holds (``check --history``: findings without a recorded deviation are
errors). Otherwise every way of building (``build``, ``site``, ``watch``, ``make serve``) still builds,
but as a preview: every page and PDF stamped 草稿 / DRAFT, the procedure pages showing the revision
being edited, and no publication ledger written. ``reasons`` says why, in words an editor acts on.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

MAIN_ENV = "PROCEDURES_MAIN"  # the branch that holds approved content (default: origin/main, main, master)


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60)


def main_ref(cwd: Path) -> str | None:
    """The ref of main: $PROCEDURES_MAIN, else the first of origin/main, main, master that exists."""
    for ref in filter(None, (os.environ.get(MAIN_ENV), "origin/main", "main", "master")):
        if _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], cwd).returncode == 0:
            return ref
    return None


def working_tree_reasons(folders: list[Path]) -> list[str]:
    """Why the procedure folders are not main's approved state (empty: they are, or git cannot tell)."""
    reasons: list[str] = []
    for folder in folders:
        folder = folder.resolve()
        if not folder.is_dir() or _git(["rev-parse", "--is-inside-work-tree"], folder).returncode != 0:
            continue
        dirty = _git(["status", "--porcelain", "--untracked-files=all", "--", "."], folder).stdout.decode("utf-8", "replace")
        if dirty.strip():
            reasons.append(f"{folder.name}/ has changes that are not committed ({len(dirty.splitlines())} file(s))")
        ref = main_ref(folder)
        if ref and _git(["merge-base", "--is-ancestor", "HEAD", ref], folder).returncode != 0:
            reasons.append(f"HEAD has commits that are not on {ref} (an unmerged branch)")
    return list(dict.fromkeys(reasons))


def history_reasons(histories: dict) -> list[str]:
    """Change-control violations in main's history that no deviation covers (gitlog.History by slug)."""
    from ..source.diagnostics import Severity

    open_findings = {(f.number, f.version, f.rule) for h in histories.values() for f in h.findings
                     if f.severity is Severity.ERROR and f.deviation is None}
    return [f"change control fails for {number} {version} ({rule}): run make site (it checks change control over main's history first)"
            for number, version, rule in sorted(open_findings)]

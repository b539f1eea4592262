"""`make check`'s base: the commit where this branch left main, so a local check runs the change
control CI runs on a pull request (`check --base origin/main`) and says which commit it used."""
from __future__ import annotations

import subprocess
from pathlib import Path

MAINS = ("origin/main", "main", "origin/master", "master")


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):  # no git at all: nothing to compare with
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def find_base(cwd: Path) -> tuple[str | None, str]:
    """(the merge base of HEAD with main, or None; a line saying what change control was checked against)."""
    for main in MAINS:
        if _git(["rev-parse", "--verify", "--quiet", f"{main}^{{commit}}"], cwd) is None:
            continue
        base = _git(["merge-base", "HEAD", main], cwd)
        if base is None:
            continue
        base, short = base[:12], base[:7]  # (the short form in messages: "changed since <base>")
        head = _git(["rev-parse", "HEAD"], cwd)
        where = (f"the tip of {main} (your uncommitted edits are what is checked)" if head == base
                 else f"where this branch left {main}")
        return base, f"change control: checked against commit {short}, {where}, as CI checks a pull request"
    return None, ("change control: not checked here (no main branch shares history with this one); "
                  "CI checks it against the pull request's target branch")

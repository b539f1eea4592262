"""Read a procedure's past revisions from git: git is the record of what was approved."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .loader import SHARED_FILE, load_bytes, shared_from_bytes
from .model import NO_SHARED, Procedure


@dataclass(frozen=True)
class ArchivedRevision:
    """The content of one version as it stood in git, and the commit that holds it."""

    version: str
    commit: str
    date: str
    author: str
    procedure: Procedure


@dataclass(frozen=True)
class History:
    revisions: tuple[ArchivedRevision, ...]  # oldest first, one per version
    shallow: bool  # the clone lacks history: older revisions may be missing
    available: bool  # False outside a git work tree

    @property
    def warning(self) -> str | None:
        if not self.available:
            return "not a git repository: no revision history"
        if self.shallow:
            return "shallow git clone: older revisions are missing (fetch with --unshallow or fetch-depth: 0)"
        return None


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60)


def is_shallow(cwd: Path) -> bool:
    result = _git(["rev-parse", "--is-shallow-repository"], cwd)
    return result.returncode == 0 and result.stdout.strip() == b"true"


def revision_exists(revision: str, cwd: Path) -> bool:
    return _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], cwd).returncode == 0


def file_at(revision: str, path: Path) -> bytes | None:
    """The file's bytes at a commit (None when it did not exist there or git cannot tell)."""
    path = path.resolve()
    top = _git(["rev-parse", "--show-toplevel"], path.parent)
    if top.returncode != 0:
        return None
    rel = path.relative_to(Path(top.stdout.decode().strip()).resolve()).as_posix()
    shown = _git(["show", f"{revision}:{rel}"], path.parent)
    return shown.stdout if shown.returncode == 0 else None


def history(path: Path) -> History:
    """Every version of the file found in its git history, each at the last commit that held it."""
    path = path.resolve()
    inside = _git(["rev-parse", "--is-inside-work-tree"], path.parent)
    if inside.returncode != 0:
        return History((), False, False)
    log = _git(["log", "--follow", "--format=%H%x09%ad%x09%an", "--date=short", "--", path.name], path.parent)
    found: dict[str, ArchivedRevision] = {}
    for line in reversed(log.stdout.decode("utf-8", "replace").splitlines()):  # oldest first
        commit, date, author = (line.split("\t") + ["", ""])[:3]
        data = _git(["show", f"{commit}:./{path.name}"], path.parent)
        if data.returncode != 0:
            continue
        shared_data = _git(["show", f"{commit}:./{SHARED_FILE}"], path.parent)
        shared = shared_from_bytes(SHARED_FILE, shared_data.stdout)[0] if shared_data.returncode == 0 else NO_SHARED
        proc, _ = load_bytes(f"{path.name}@{commit[:10]}", data.stdout, path.stem, shared)
        if proc is None or not proc.version:
            continue
        found.pop(proc.version, None)  # keep insertion order by the last commit of each version
        found[proc.version] = ArchivedRevision(proc.version, commit, date, author, proc)
    return History(tuple(found.values()), is_shallow(path.parent), True)

"""Read a procedure's past revisions from git: git is the record of what was approved."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..source.model import Procedure


@dataclass(frozen=True)
class ArchivedRevision:
    """One version from main's history: bound to its approval commit (the first step of main that
    held it) and the fingerprint of the content approved there; ``procedure`` is the content as last
    published under that version (differing from the approved content only after a modification)."""

    version: str
    commit: str  # the approval commit
    date: str
    author: str  # who recorded it in git ("recorded by"), not who approved it
    procedure: Procedure
    fingerprint: str = ""  # SHA-256 of the content approved
    modifications: tuple = ()  # control.approvals.Snapshot: later steps that changed the content, same version


@dataclass(frozen=True)
class History:
    revisions: tuple[ArchivedRevision, ...]  # oldest first, one per version
    shallow: bool  # the clone lacks history: older revisions may be missing
    available: bool  # False outside a git work tree
    findings: tuple = ()  # control.history_check.Finding of this procedure, oldest first
    former_names: tuple[str, ...] = ()  # earlier file names (renames), oldest first
    deleted: object = None  # control.approvals.Commit that deleted the file (a withdrawn procedure)

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


def toplevel(folder: Path) -> Path | None:
    """The root of the git work tree ``folder`` is in (None outside one). Only git's line end is cut:
    strip() would also cut a checkout folder's trailing space."""
    top = _git(["rev-parse", "--show-toplevel"], folder)
    return Path(top.stdout.decode().removesuffix("\n")).resolve() if top.returncode == 0 else None


def revision_exists(revision: str, cwd: Path) -> bool:
    return _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], cwd).returncode == 0


def file_at(revision: str, path: Path) -> bytes | None:
    """The file's bytes at a commit (None when it did not exist there or git cannot tell)."""
    # The file's name in git, never where a link in the working tree points: a pull request's
    # procedure/_shared.yaml -> /elsewhere must neither read another repository nor crash.
    path = path.parent.resolve() / path.name
    if not path.parent.is_dir():
        return None
    root = toplevel(path.parent)
    if root is None:
        return None
    rel = path.relative_to(root).as_posix()
    shown = _git(["show", f"{revision}:{rel}"], path.parent)
    return shown.stdout if shown.returncode == 0 else None


def files_at(revision: str, folder: Path) -> list[str]:
    """Names of the files directly in ``folder`` at a commit (empty when git cannot tell)."""
    folder = folder.resolve()
    if not folder.is_dir():
        return []
    root = toplevel(folder)
    if root is None:
        return []
    rel = folder.relative_to(root).as_posix()
    listed = _git(["ls-tree", "--name-only", "-z", revision, "--", f"{rel}/"], root)
    return [Path(p).name for p in listed.stdout.decode("utf-8", "replace").split("\0") if p] if listed.returncode == 0 else []

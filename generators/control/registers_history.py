"""The registers are append-only once on main: an entry of ``_approvers.yaml``, ``_deviations.yaml`` or
``_withdrawn.yaml`` is never edited or removed after it reached main. A re-dated withdrawal would bring
a deleted procedure back as current, an edited deviation would waive what nobody accepted, and an
edited register entry would rewrite who could sign. A change is a new entry (register.APPEND_ONLY names
what identifies one). ``check --history`` walks every step of main; ``check --base`` compares a pull
request with its base."""
from __future__ import annotations

import subprocess
from pathlib import Path

from ..source.diagnostics import Diagnostic, Position, error, warning
from ..source.yamltree import MAX_FILE_BYTES
from . import gitlog
from .register import APPEND_ONLY, entry_digests

RULE = "register-rewritten"
HINT = "register entries are append-only once on main: restore the entry and record the change as a new entry"


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120)


def _blob(root: Path, commit: str, path: str) -> bytes | None:
    """The file at a commit, read only when git says it is within the size limit."""
    size = _git(["cat-file", "-s", f"{commit}:{path}"], root)
    if size.returncode != 0 or int(size.stdout.strip() or 0) > MAX_FILE_BYTES:
        return None
    shown = _git(["cat-file", "blob", f"{commit}:{path}"], root)
    return shown.stdout if shown.returncode == 0 else None


def _is_ancestor(root: Path, older: str, newer: str) -> bool:
    return _git(["merge-base", "--is-ancestor", older, newer], root).returncode == 0


def _changes(before: dict[str, str], after: dict[str, str]) -> list[tuple[str, str]]:
    return [(key, "removed" if key not in after else "changed") for key, value in before.items() if after.get(key) != value]


def history_diagnostics(folder: Path, ref: str = "HEAD") -> list[Diagnostic]:
    """Every step of main's first-parent history that changed or removed an entry of a register: an
    error from the step that added the approver register (when the registers became append-only),
    a warning, for the record, before it."""
    root = gitlog.toplevel(folder) if folder.is_dir() else None
    if root is None:
        return []
    rel = folder.resolve().relative_to(root).as_posix()
    register_path = f"{rel}/{APPEND_ONLY[0][1]}" if rel != "." else APPEND_ONLY[0][1]
    added = _git(["log", "--first-parent", "--reverse", "--diff-filter=A", "--format=%H", "--end-of-options", ref, "--",
                  register_path], root).stdout.decode().split()
    enforced_from = added[0] if added else None
    out = []
    for kind, name, list_key, fields in APPEND_ONLY:
        path = f"{rel}/{name}" if rel != "." else name
        log = _git(["log", "--first-parent", "--reverse", "--format=%H %cs", "--end-of-options", ref, "--", path], root)
        previous: dict[str, str] = {}
        for line in log.stdout.decode().split("\n"):
            if not line.strip():
                continue
            sha, day = line.split(" ", 1)
            now = entry_digests(list_key, fields, name, _blob(root, sha, path))
            enforced = enforced_from is not None and _is_ancestor(root, enforced_from, sha)
            for key, how in _changes(previous, now):
                message = f"commit {sha[:7]} ({day}): {kind} entry {key} was {how} after it was on main"
                out.append(error(Position((folder / name).as_posix()), RULE, message, HINT) if enforced else
                           warning(Position((folder / name).as_posix()), RULE, message + " (before the registers were "
                                   "append-only: kept on record)", "nothing to do: history is never rewritten"))
            previous = now
    return out


def base_diagnostics(folder: Path, base: str) -> list[Diagnostic]:
    """Entries a pull request changes or removes, compared with ``base``."""
    out = []
    for kind, name, list_key, fields in APPEND_ONLY:
        path = folder / name
        before = entry_digests(list_key, fields, name, gitlog.file_at(base, path))
        data = path.read_bytes() if path.is_file() and not path.is_symlink() and path.stat().st_size <= MAX_FILE_BYTES else None
        for key, how in _changes(before, entry_digests(list_key, fields, name, data)):
            out.append(error(Position(path.as_posix()), RULE, f"{kind} entry {key} is {how} (it is on {base})", HINT))
    return out


def keys_at_adoption(folder: Path, ref: str = "HEAD") -> dict[str, set[str]] | None:
    """kind -> the register entries already on main when the approver register was added (they are
    accepted as recorded then, unsigned); None when there is no register (nothing is signed)."""
    root = gitlog.toplevel(folder) if folder.is_dir() else None
    if root is None:
        return None
    rel = folder.resolve().relative_to(root).as_posix()
    prefix = f"{rel}/" if rel != "." else ""
    added = _git(["log", "--first-parent", "--reverse", "--diff-filter=A", "--format=%H", "--end-of-options", ref, "--",
                  prefix + APPEND_ONLY[0][1]], root).stdout.decode().split()
    if not added:
        return None
    parent = _git(["rev-parse", "--verify", "--quiet", f"{added[0]}^1"], root).stdout.decode().strip()
    return {kind: set(entry_digests(list_key, fields, name, _blob(root, parent, prefix + name) if parent else None))
            for kind, name, list_key, fields in APPEND_ONLY}

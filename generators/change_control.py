"""Change control for pull requests: compare each procedure with its state at a base revision.

Rules (ISO 9001 7.5.3.2 c, ISO 13485 4.2.4): a change to content needs a new version and a
new revision-log entry; versions go up one step at a time; the log's earlier entries are
never rewritten; a new version with no change in content is suspicious (a warning).
"""
from __future__ import annotations

from pathlib import Path

from . import gitlog
from .diagnostics import Diagnostic, error, warning
from .loader import SHARED_FILE, load_bytes, load_tree, shared_from_bytes
from .model import NO_SHARED
from .model import Procedure
from .rules.revisions import version_key
from .yamltree import to_python

# Header fields a revision itself updates; everything else is content.
ADMIN_KEYS = {"version", "revisions", "effective_date", "review_due", "approval"}


class BaseNotFound(Exception):
    pass


def _content(data: bytes, name: str):
    tree, _ = load_tree(name, data)
    if tree is None:
        return None
    return {k: v for k, v in to_python(tree).items() if k not in ADMIN_KEYS}


def next_versions(version: str) -> set[str]:
    """The versions that may follow: the next amendment, or the next edition at amendment 0."""
    key = version_key(version)
    if key is None:
        return set()
    edition, amendment = key
    following = {f"{chr(ord('A') + edition)}/{amendment + 1}"}
    if edition < 25:
        following.add(f"{chr(ord('A') + edition + 1)}/0")
    return following


def check_against_base(procedures: list[Procedure], base: str) -> list[Diagnostic]:
    """Diagnostics for every procedure changed since ``base`` (a commit, branch or tag)."""
    if not gitlog.revision_exists(base, Path.cwd()):
        raise BaseNotFound(base)
    diags: list[Diagnostic] = []
    for proc in procedures:
        path = Path(proc.path)
        before = gitlog.file_at(base, path)
        if before is None:
            continue  # a new procedure: the ordinary rules apply
        shared_before = gitlog.file_at(base, path.parent / SHARED_FILE)
        shared = shared_from_bytes(SHARED_FILE, shared_before)[0] if shared_before else NO_SHARED
        old, _ = load_bytes(f"{proc.path}@{base}", before, proc.slug, shared)
        if old is None:
            continue
        diags += _compare(proc, old, _content(before, "base") != _content(path.read_bytes(), proc.path), base)
    return diags


def _entry(rev) -> tuple:
    """A revision-log entry's content, without its position in the file."""
    return (rev.date, tuple((c.zh, c.en) for c in rev.changes), rev.changed_by, rev.reviewed_by, rev.approved_by)


def _compare(new: Procedure, old: Procedure, content_changed: bool, base: str) -> list[Diagnostic]:
    at = new.key_pos.get("version", new.pos)
    old_key, new_key = version_key(old.version), version_key(new.version)
    if old_key is None or new_key is None:
        return []
    out = []
    bumped = new_key != old_key
    if new_key < old_key:
        out.append(error(at, "version-backwards", f"version goes backwards: {old.version} at {base}, {new.version} now",
                         "versions only go up; a retired version is never reused"))
    elif bumped and new.version not in next_versions(old.version):
        out.append(error(at, "version-skip", f"version skips from {old.version} to {new.version}",
                         "next is " + " or ".join(sorted(next_versions(old.version)))))
    if content_changed and not bumped:
        out.append(error(at, "change-no-bump", f"content changed since {base} but the version is still {new.version}",
                         "issue a new revision: python -m generators new-revision " + new.path))
    old_versions = {r.version for r in old.revisions}
    added = [r for r in new.revisions if r.version not in old_versions]
    if (content_changed or bumped) and not any(r.version == new.version for r in added):
        out.append(error(at, "change-no-revision", f"no new revision-log entry for version {new.version}",
                         "add a revisions: entry saying what changed, who changed, reviewed and approved it"))
    if bumped and not content_changed:
        out.append(warning(at, "bump-no-change", f"version bumped to {new.version} but the content is unchanged since {base}",
                           "a new version should carry a change; revert the bump if none was intended"))
    kept = {r.version: r for r in new.revisions}
    for entry in old.revisions:
        now = kept.get(entry.version)
        if now is None or _entry(now) != _entry(entry):
            out.append(error(now.pos if now else at, "revision-log-rewritten",
                             f"revision-log entry {entry.version} was changed or removed since {base}",
                             "earlier entries are the audit trail: add a new entry instead"))
    return out

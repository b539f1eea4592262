"""Change control for pull requests: compare each procedure with its state at a base revision.

Rules (ISO 9001 7.5.3.2 c, ISO 13485 4.2.4): a change to content needs a new version and a
new revision-log entry; versions go up one step at a time; the log's earlier entries are
never rewritten; a new version with no change in content is suspicious (a warning).
"""
from __future__ import annotations

from pathlib import Path

from . import gitlog
from . import fingerprint
from ..source.diagnostics import Diagnostic, Position, error, warning
from ..source.loader import SHARED_FILE, load_bytes, load_tree
from ..source.model import Procedure
from ..source.versions import version_key
from ..source.safefs import read_source
from ..source.yamltree import MAX_FILE_BYTES, to_python

ADMIN_KEYS = fingerprint.ADMIN_KEYS  # header fields a revision itself updates; everything else is content


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
    """Diagnostics for every procedure changed since ``base`` (a commit, branch or tag).

    Content is compared with the shared declarations resolved on both sides, so a change to a
    shared role or form in _shared.yaml is a change of each procedure that uses it.
    """
    if not gitlog.revision_exists(base, Path.cwd()):
        raise BaseNotFound(base)
    diags: list[Diagnostic] = []
    for proc in procedures:
        path = Path(proc.path)
        before = gitlog.file_at(base, path)
        if before is None:
            continue  # a new procedure: the ordinary rules apply
        # The base's model serves only for its version and revision log (compare_revisions), which shared
        # declarations do not touch; the content comparison below resolves them on both sides.
        old, _ = load_bytes(f"{proc.path}@{base}", before, proc.slug)
        if old is None:
            continue
        now = path.read_bytes()
        shared_before = gitlog.file_at(base, path.parent / SHARED_FILE)
        shared_now, _ = read_source(path.parent / SHARED_FILE, MAX_FILE_BYTES)  # never through a link (check reports it)
        old_content = fingerprint.resolved_content(before, fingerprint.shared_declarations(shared_before))
        new_content = fingerprint.resolved_content(now, fingerprint.shared_declarations(shared_now))
        changed = old_content != new_content
        diags += compare_revisions(proc, old, changed, base)
        if changed and old.version == proc.version and _content(before, "base") == _content(now, proc.path):
            diags.append(_via_shared(proc, old_content, new_content, base))
        diags += _form_bumps(proc, old_content or {}, new_content or {}, base)
    return diags + _deletions(procedures, base)


def _via_shared(proc: Procedure, old: dict, new: dict, base: str) -> Diagnostic:
    """Which shared declarations changed the procedure's content (it names each one)."""
    changed = []
    for kind in fingerprint.SHARED_KINDS:
        before = _by_id(old.get(kind))
        for name, item in _by_id(new.get(kind)).items():
            if before.get(name) not in (None, item):
                changed.append(f"{kind[:-1]} '{name}'")
    return error(proc.key_pos.get("version", proc.pos), "shared-change-no-bump",
                 f"procedure {proc.number} uses {', '.join(changed) or 'shared declarations'} changed in _shared.yaml since {base}: "
                 f"its content changed, so it needs a new version and a revision entry",
                 "issue a new revision of each procedure that uses the changed declaration: python -m generators new-revision " + proc.path)


def _by_id(items) -> dict[str, dict]:
    """id -> item of the mappings with a text id in a list of plain data (anything else is the
    loader's to report: an id written as a list or mapping must not stop the comparison)."""
    return {item["id"]: item for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)} \
        if isinstance(items, list) else {}


def _form_bumps(proc: Procedure, old: dict, new: dict, base: str) -> list[Diagnostic]:
    """A form whose content changed keeps its number but needs a new form version."""
    before = _by_id(old.get("forms"))
    out = []
    for form_id, form in _by_id(new.get("forms")).items():
        was = before.get(form_id)
        if was is None:
            continue
        if was.get("version") == form.get("version") and {k: v for k, v in was.items() if k != "version"} != {
                k: v for k, v in form.items() if k != "version"}:
            model = proc.form(form_id)
            out.append(error(model.pos if model else proc.pos, "form-change-no-bump",
                             f"form {form.get('number') or form_id} changed since {base} but its version is still {form.get('version')}",
                             "a form is a controlled document: give it a new version (e.g. A/0 -> A/1) with the change"))
    return out


def _deletions(procedures: list[Procedure], base: str) -> list[Diagnostic]:
    """A procedure at ``base`` that is gone now (not renamed) needs a withdrawal record."""
    from . import withdrawal

    out = []
    for folder in dict.fromkeys(Path(p.path).parent for p in procedures):
        present = {Path(p.path).name for p in procedures if Path(p.path).parent == folder}
        numbers = {p.number for p in procedures if Path(p.path).parent == folder}
        withdrawn = {w.number for w in withdrawal.load(folder)[0]}
        for name in gitlog.files_at(base, folder):
            if name in present or name.startswith("_") or not name.endswith(".yaml"):
                continue
            data = gitlog.file_at(base, folder / name)
            tree, _ = load_tree(name, data or b"")
            number = str(to_python(tree).get("number") or "") if tree is not None else ""
            if number in numbers or number in withdrawn and number:
                continue  # renamed (same number, new file), or withdrawn by record
            out.append(error(Position((folder / name).as_posix()), "deleted-without-withdrawal",
                             f"{name} ({number or 'no number'}) existed at {base} and is deleted without a withdrawal record",
                             "add a withdrawal record (number, file, date, reason, approved_by) to "
                             f"{(folder / withdrawal.FILE).as_posix()}, or restore the file"))
    return out


def entry_record(rev) -> tuple:
    """A revision-log entry's content, without its position in the file."""
    return (rev.date, tuple((c.zh, c.en) for c in rev.changes), rev.changed_by, rev.reviewed_by, rev.approved_by)


def compare_revisions(new: Procedure, old: Procedure, content_changed: bool, base: str) -> list[Diagnostic]:
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
        if now is None or entry_record(now) != entry_record(entry):
            out.append(error(now.pos if now else at, "revision-log-rewritten",
                             f"revision-log entry {entry.version} was changed or removed since {base}",
                             "earlier entries are the audit trail: add a new entry instead"))
    return out

"""``check --history``: every step of main's first-parent history of procedure/ obeyed change control.

Each change of a procedure's content (including through ``_shared.yaml``) came with a new version
and a complete revision-log entry; versions go up one step; earlier entries are never rewritten; a
form whose fields changed got a new form version; a deleted procedure has a withdrawal record; a
number is never reused. A violation that cannot be undone is acknowledged by a recorded deviation
(``deviations.py``); any other violation is an error. A shallow clone cannot be checked: a warning.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .change_control import compare_revisions, entry_record
from ..source.diagnostics import Diagnostic, Position, Severity, error, warning
from ..source.model import Procedure
from .approvals import Commit, LibraryHistory, Lineage, Snapshot
from .deviations import Deviation
from .withdrawal import Withdrawal


@dataclass(frozen=True)
class Finding:
    """One violation at one step of main, and the deviation record that acknowledges it (if any)."""

    slug: str
    number: str
    version: str
    commit: Commit
    rule: str
    message: str
    severity: Severity = Severity.ERROR
    deviation: Deviation | None = None
    hint: str = ""  # for warnings: the rule's own hint


def _entry_complete(proc: Procedure, version: str) -> bool:
    entry = next((r for r in proc.revisions if r.version == version), None)
    return bool(entry and entry.changes and entry.changed_by and entry.reviewed_by and entry.approved_by)


def _step_findings(lineage: Lineage, prev: Snapshot, snap: Snapshot) -> list[tuple]:
    """(rule, message, severity[, hint]) for one step of one procedure."""
    out = []
    content_changed = snap.fingerprint != prev.fingerprint
    if snap.version == prev.version:
        kept = {r.version: r for r in snap.procedure.revisions}
        for entry in prev.procedure.revisions:  # a bump compares the logs in compare_revisions
            if entry.version not in kept or entry_record(kept[entry.version]) != entry_record(entry):
                out.append(("revision-log-rewritten", f"revision-log entry {entry.version} was changed or removed "
                            "after it was published", Severity.ERROR))
        if content_changed:
            how = "through procedure/_shared.yaml (a shared role or form it uses)" if snap.shared_only else "in the file"
            out.append(("modified-after-approval",
                        f"content of {snap.version} changed {how} after its approval, without a new version", Severity.ERROR))
    else:
        for diag in compare_revisions(snap.procedure, prev.procedure, content_changed, prev.commit.short):
            out.append((diag.rule, diag.message, diag.severity, diag.hint))
        if not _entry_complete(snap.procedure, snap.version) and any(r.version == snap.version for r in snap.procedure.revisions):
            out.append(("revision-incomplete", f"the revision-log entry of {snap.version} is incomplete "
                        "(changes, changed_by, reviewed_by and approved_by are required)", Severity.ERROR))
    for form_id, (number, version, body) in snap.forms.items():
        before = prev.forms.get(form_id)
        if before and before[1] == version and before[2] != body:
            out.append(("form-change-no-bump", f"form {number or form_id} changed but its version is still {version}",
                        Severity.ERROR))
    return out


def findings(history: LibraryHistory, withdrawals: list[Withdrawal] = (), deviations: list[Deviation] = ()) -> list[Finding]:
    """Every violation in the history, oldest first, each with the deviation that covers it."""
    found: list[Finding] = []
    withdrawn = {w.number for w in withdrawals}
    numbers_seen: dict[str, Lineage] = {}
    steps = sorted(((s.commit, index, lineage, s) for lineage in history.lineages for index, s in enumerate(lineage.snapshots)),
                   key=lambda item: (item[0].index, item[2].slug))

    def add(lineage: Lineage, snap: Snapshot, commit: Commit, rule: str, message: str, severity=Severity.ERROR, hint=""):
        number = lineage.number or snap.number
        cover = next((d for d in deviations if d.covers(number, commit.sha)), None) if severity is Severity.ERROR else None
        found.append(Finding(lineage.slug, number, snap.version, commit, rule, message, severity, cover, hint))

    for commit, index, lineage, snap in steps:
        if index == 0:
            if not any(r.version == snap.version for r in snap.procedure.revisions):
                add(lineage, snap, commit, "change-no-revision", f"first issue {snap.version} published without a revision-log entry")
            elif not _entry_complete(snap.procedure, snap.version):
                add(lineage, snap, commit, "revision-incomplete", f"first issue {snap.version} published with an incomplete revision-log entry")
            owner = numbers_seen.get(snap.number)
            if snap.number and owner is not None and owner is not lineage:
                add(lineage, snap, commit, "number-reused",
                    f"document number {snap.number} was already used by {owner.slugs[-1]}: a number is never reused")
        else:
            for rule, message, severity, *hint in _step_findings(lineage, lineage.snapshots[index - 1], snap):
                add(lineage, snap, commit, rule, message, severity, *hint)
        if snap.number:
            numbers_seen.setdefault(snap.number, lineage)
    for lineage in history.lineages:
        if lineage.deleted is not None and lineage.number not in withdrawn:
            add(lineage, lineage.snapshots[-1], lineage.deleted, "deleted-without-withdrawal",
                f"{PurePosixPath(lineage.snapshots[-1].path).stem} ({lineage.number or 'no number'}) was deleted "
                "without a withdrawal record")
    return found


def diagnostics(history: LibraryHistory, found: list[Finding], procedures: list[Procedure], folder: str,
                deviations: list[Deviation] = ()) -> list[Diagnostic]:
    """Unacknowledged findings as errors, at the current file's version (or where the deleted file was)."""
    if not history.available:
        return [warning(Position(folder), "history-unavailable", "not a git repository: change control over the history cannot be checked",
                        "run in a git clone of the repository")]
    out = []
    if history.shallow:
        out.append(warning(Position(folder), "history-shallow",
                           "shallow git clone: the history is incomplete, so change control over it is NOT verified",
                           "fetch the whole history (git fetch --unshallow; in GitHub Actions, actions/checkout with fetch-depth: 0)"))
    by_slug = {p.slug: p for p in procedures}
    for finding in found:
        if finding.deviation is not None:
            continue
        proc = by_slug.get(finding.slug)
        pos = proc.key_pos.get("version", proc.pos) if proc else Position(f"{folder}/{finding.slug}.yaml")
        at = f"commit {finding.commit.short} ({finding.commit.date})" + (f", {finding.version}" if finding.version else "")
        message = f"{at}: {finding.message}"
        hint = ("history is never rewritten: record a deviation in procedure/_deviations.yaml (commit, what happened, "
                "who accepted it, when) and fix it forward with a new revision")
        if finding.severity is not Severity.ERROR:
            hint = finding.hint
        elif finding.rule == "deleted-without-withdrawal":
            hint = "add a withdrawal record (number, file, date, reason, approved_by) to procedure/_withdrawn.yaml, or restore the file"
        make = error if finding.severity is Severity.ERROR else warning
        out.append(make(pos, finding.rule, message, hint))
    used = {f.deviation.id for f in found if f.deviation is not None}
    if not history.shallow:
        for deviation in deviations:
            if deviation.id not in used:
                out.append(warning(deviation.pos, "deviation-unused",
                                   f"deviation {deviation.id} names commit {deviation.commit} of {deviation.procedure}, where no violation was found",
                                   "check the commit and the document number"))
    return out


def check_folder(folder: Path, procedures: list[Procedure], ref: str = "HEAD") -> list[Diagnostic]:
    """``check --history`` for one procedure folder: walk main's history, apply the registers."""
    from . import approvals, deviations as deviation_register, withdrawal

    records, _ = withdrawal.load(folder)
    recorded, _ = deviation_register.load(folder)
    history = approvals.walk(folder, ref)
    return diagnostics(history, findings(history, records, recorded), procedures, folder.as_posix(), recorded)

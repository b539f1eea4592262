"""``check --history``: every step of main's first-parent history of procedure/ obeyed change control.

Each change of a procedure's content (including through ``_shared.yaml``) came with a new version
and a complete revision-log entry; versions go up one step; earlier entries are never rewritten; a
form whose fields changed got a new form version; a deleted procedure has a withdrawal record; a
number is never reused. A violation that cannot be undone is acknowledged by a recorded deviation
(``deviations.py``); any other violation is an error. A shallow clone cannot be checked: a warning.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .change_control import compare_revisions, entry_record, next_versions
from ..source.diagnostics import Diagnostic, Position, Severity, error, warning
from ..source.model import Procedure
from .approvals import Commit, LibraryHistory, Lineage, Snapshot
from .deviations import Deviation
from .withdrawal import Withdrawal
from . import lifecycle, registers_history
from ..source import clock


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
            how = "through procedure/_shared.yaml (a shared role, form or outside party it uses)" if snap.shared_only else "in the file"
            out.append(("modified-after-approval",
                        f"content of {snap.version} changed {how} after its approval, without a new version", Severity.ERROR))
        elif snap.sealed != prev.sealed:
            out.append(("modified-after-approval",
                        f"the effective date, review date or approval block of {snap.version} changed after its approval, "
                        "without a new version", Severity.ERROR))
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
        elif before and before[1] != version and version not in next_versions(before[1]):
            out.append(("form-version-skip", f"form {number or form_id} went from version {before[1]} to {version}: "
                        f"the next version is one of {', '.join(sorted(next_versions(before[1]))) or 'none'}", Severity.ERROR))
    return out


def findings(history: LibraryHistory, withdrawals: list[Withdrawal] = (), deviations: list[Deviation] = (),
             sign_offs: dict | None = None, today: str | None = None, records: dict | None = None) -> list[Finding]:
    """Every violation in the history, oldest first, each with the deviation that covers it.
    ``sign_offs``: slug -> version -> control.signoff.SignOff (signed approvals, when the library has an
    approver register); ``today``: the day whose current and pending revisions must be signed;
    ``records``: signoff.record_sign_offs, a deviation or withdrawal whose approval does not count is as if absent."""
    found: list[Finding] = []
    records = records or {}
    withdrawals = [w for w in withdrawals if not records.get(("withdrawal", w.number))]
    deviations = [d for d in deviations if not records.get(("deviation", d.id))]
    withdrawn = {w.number for w in withdrawals}
    numbers_seen: dict[str, Lineage] = {}
    steps = sorted(((s.commit, index, lineage, s) for lineage in history.lineages for index, s in enumerate(lineage.snapshots)),
                   key=lambda item: (item[0].index, item[2].slug))

    merged: dict[str, tuple[str, ...]] = {}  # step -> the commits it brought into main (asked of git when needed)

    def covering(number: str, commit: Commit, rule: str) -> Deviation | None:
        cover = next((d for d in deviations if d.covers(number, commit.sha, rule)), None)
        # A record written in the pull request names the commit that made the change: main's step
        # is the merge, which does not exist yet when the record is written and signed.
        named = [d for d in deviations if d.covers(number, d.commit, rule)] if cover is None else []
        if named and commit.sha not in merged:
            merged[commit.sha] = _brought_in(history.root, commit.sha)
        return cover or next((d for d in named if any(d.covers(number, sha, rule) for sha in merged[commit.sha])), None)

    def add(lineage: Lineage, snap: Snapshot, commit: Commit, rule: str, message: str, severity=Severity.ERROR, hint=""):
        number = lineage.number or snap.number
        cover = covering(number, commit, rule) if severity is Severity.ERROR else None
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
            owner = numbers_seen.get(snap.number)
            if snap.number != lineage.snapshots[index - 1].number and owner is not None and owner is not lineage:
                add(lineage, snap, commit, "number-reused",
                    f"renumbered to {snap.number}, a number already used by {owner.slugs[-1]}: a number is never reused")
        if snap.number:
            numbers_seen.setdefault(snap.number, lineage)
    for lineage in history.lineages:
        for record, rule, message in _sign_off_findings(lineage, (sign_offs or {}).get(lineage.slug, {}), today,
                                                        {w.number: w.date for w in withdrawals}):
            add(lineage, record.approval, record.approval.commit, rule, message)
    for lineage in history.lineages:
        if lineage.deleted is not None and lineage.number not in withdrawn:
            add(lineage, lineage.snapshots[-1], lineage.deleted, "deleted-without-withdrawal",
                f"{PurePosixPath(lineage.snapshots[-1].path).stem} ({lineage.number or 'no number'}) was deleted "
                "without a withdrawal record")
    return found


def _brought_in(root: Path | None, sha: str) -> tuple[str, ...]:
    """The commits step ``sha`` of main brought in: a merged pull request's own commits; none known without git."""
    if root is None:
        return ()
    listed = subprocess.run(["git", "rev-list", "--end-of-options", f"{sha}^1..{sha}"], cwd=root, capture_output=True, timeout=60)
    return tuple(listed.stdout.decode("ascii", "replace").split()) if listed.returncode == 0 else ()


def _sign_off_findings(lineage: Lineage, signed: dict, today: str | None, withdrawn_on: dict) -> list[tuple]:
    """(version record, rule, message) for each version whose required signatures are missing or wrong,
    and for dates a signed approval cannot have."""
    if not signed:
        return []
    records = [r for r in lineage.versions() if r.version in signed]
    in_force: set[str] = set()
    if today and lineage.deleted is None:
        status = lifecycle.status_of_records(records, today, withdrawn_on.get(lineage.number))
        in_force = {v for v, s in status.states if s in (lifecycle.State.CURRENT, lifecycle.State.PENDING)}
    out = []
    for record in records:
        sign = signed[record.version]
        if not sign.required or sign.signed:
            pass
        elif not sign.legacy:
            out.append((record, "approval-signature", f"{record.version} is not approved by signature: "
                        + "; ".join(sign.problems)))
        elif record.version in in_force:
            out.append((record, "approval-signature", f"{record.version} is in force or pending, but was approved before "
                        "signatures were required and has not been re-approved by signature: " + "; ".join(sign.problems)))
        if sign.required and not sign.legacy:
            proc, merged = record.approval.procedure, record.approval.commit.date
            if proc.effective_date and merged and proc.effective_date < merged:
                out.append((record, "effective-before-approval",
                            f"{record.version} takes effect on {proc.effective_date}, before it was approved on main ({merged})"))
            for key, line in (proc.approval.lines() if proc.approval else ()):
                if line and line.date and merged and line.date > merged:
                    out.append((record, "approval-after-merge",
                                f"{record.version}: the approval block's {key.replace('_', ' ')} date {line.date} is after "
                                f"the version was merged into main ({merged})"))
    return out


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


def check_folder(folder: Path, procedures: list[Procedure], ref: str = "HEAD", today=None) -> list[Diagnostic]:
    """``check --history`` for one procedure folder: walk main's history, apply the registers."""
    from . import approvals, deviations as deviation_register, withdrawal
    from .signoff import library_sign_offs, record_sign_offs

    records, _ = withdrawal.load(folder)
    recorded, _ = deviation_register.load(folder)
    history = approvals.walk(folder, ref)
    signed = library_sign_offs(history, folder, ref)
    unsigned = record_sign_offs(folder, history, ref, recorded, records)
    found = findings(history, records, recorded, signed, clock.resolve(today).isoformat(), unsigned)
    return (diagnostics(history, found, procedures, folder.as_posix(), recorded)
            + registers_history.history_diagnostics(folder, ref) + record_diagnostics(unsigned, recorded, records))


def record_diagnostics(unsigned: dict, deviation_records, withdrawal_records) -> list[Diagnostic]:
    """An error at each deviation or withdrawal record whose approval does not count (signoff.record_sign_offs)."""
    out = []
    for kind, items, key in (("deviation", deviation_records, "id"), ("withdrawal", withdrawal_records, "number")):
        for record in items:
            problem = unsigned.get((kind, getattr(record, key)))
            if problem:
                out.append(error(record.pos, "record-unsigned", f"{kind} {getattr(record, key)} does not count: {problem}",
                                 "a record added since signatures are required is approved by signature: "
                                 "make approve RECORD=" + getattr(record, key)))
    return out

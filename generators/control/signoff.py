"""Each version's sign-off: who signed its review and its approval, verified against the register.

From the step of main that added the approver register (``LibraryHistory.register_since``), a version
is approved only by a verified signature of the approver its revision entry names (signatures.py);
without one it stays a draft, whatever its entry says. Versions approved before that step are shown
as "unsigned (before signatures were required)"; one that is current or pending still needs a
signature (the adoption step re-approves them), which ``history_check`` requires.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..source.names import same_person
from . import people, signatures
from .people import Register
from .signatures import Signed, Statement, assess


@dataclass(frozen=True)
class SignOff:
    version: str
    legacy: bool  # approved before signatures were required
    review: Signed | None  # None: signatures not required (no register)
    approve: Signed | None
    problems: tuple[str, ...] = ()  # what keeps a required sign-off from counting

    @property
    def required(self) -> bool:
        return self.review is not None

    @property
    def signed(self) -> bool:
        """The approval (and the review) carry verified signatures."""
        return bool(self.approve and self.approve.verified and self.review and self.review.verified) and not self.problems

    @property
    def approves(self) -> bool:
        """Whether this sign-off lets the version take effect."""
        return not self.required or self.legacy or self.signed


def sign_off(record, number: str, department: str | None, statements: list[Statement], reg: Register,
             register_since: int | None) -> SignOff:
    """The sign-off of one version (a control.approvals.VersionRecord) of procedure ``number``."""
    if not reg.present or register_since is None:
        return SignOff(record.version, True, None, None)
    legacy = record.approval.commit.index < register_since
    entry = next((r for r in record.last.procedure.revisions if r.version == record.version), None)
    reviewer, approver = (entry.reviewed_by, entry.approved_by) if entry else (None, None)
    fingerprint = record.last.sealed
    review = assess("review", number, record.version, fingerprint, reviewer, department, statements, reg)
    approve = assess("approve", number, record.version, fingerprint, approver, department, statements, reg)
    problems = [s.problem for s in (review, approve) if s.problem]
    if entry is not None:
        names = (("author", entry.changed_by), ("reviewer", reviewer), ("approver", approver))
        for i, (first, a) in enumerate(names):
            for second, b in names[i + 1:]:
                if same_person(a, b):
                    problems.append(f"the {first} and the {second} are the same person ({b})")
    if review.verified and approve.verified and review.person.id == approve.person.id:
        problems.append(f"the review and the approval were signed by the same person ({approve.person.name.zh})")
    return SignOff(record.version, legacy, review, approve, tuple(problems))


def library_sign_offs(walked, folder, ref: str = "HEAD") -> dict[str, dict[str, SignOff]]:
    """slug -> version -> SignOff for every lineage of a walk (control.approvals.LibraryHistory) of ``folder``."""
    reg, _ = people.load(folder)
    if not walked.available or not reg.present:
        return {}
    statements = signatures.statements(walked.root, ref, reg)
    out = {}
    for lineage in walked.lineages:
        last = lineage.snapshots[-1].procedure
        out[lineage.slug] = {record.version: sign_off(record, lineage.number, last.department, statements, reg,
                                                      walked.register_since)
                             for record in lineage.versions() if record.version}
    return out


def record_sign_offs(folder, walked, ref: str, deviation_records, withdrawal_records) -> dict[tuple[str, str], str]:
    """("deviation", id) or ("withdrawal", number) -> why the record does not count ("" when it does).

    Records already on main when the approver register was added count as recorded then. A later one
    counts when a signature verified against the register approves exactly its content, by a person
    with authority to approve the procedure concerned, who did not make the commit it excuses; a
    deviation must also name the findings it accepts and a corrective action."""
    from .registers_history import keys_at_adoption

    reg, _ = people.load(folder)
    legacy = keys_at_adoption(folder, ref)
    if not reg.present or legacy is None or not walked.available:
        return {}
    found = signatures.statements(walked.root, ref, reg)
    numbers = {l.number: l for l in walked.lineages}
    out = {}
    for kind, records in (("deviation", deviation_records), ("withdrawal", withdrawal_records)):
        for record in records:
            key = record.id if kind == "deviation" else record.number
            if key in legacy.get("deviations" if kind == "deviation" else "withdrawals", set()):
                continue
            number = record.procedure if kind == "deviation" else record.number
            lineage = numbers.get(number)
            department = lineage.snapshots[-1].procedure.department if lineage else None
            problems = []
            if kind == "deviation" and not record.accepts:
                problems.append("it names no findings it accepts (accepts: [{rule, procedure}])")
            if kind == "deviation" and record.corrective_action is None:
                problems.append("it has no corrective_action")
            violator = _author(walked.root, record.commit) if kind == "deviation" else ""
            signed = [s for s in found if s.kind == kind and s.subject == key]
            verdict = "no signed approval of it (make approve RECORD=<id>)"
            for statement in reversed(signed):
                person = reg.entry(statement.signer, statement.date) if statement.signer else None
                if person is None:
                    verdict = f"commit {statement.commit[:7]}: {statement.problem or 'signer not in the register'}"
                elif statement.fingerprint != record.digest:
                    verdict = f"commit {statement.commit[:7]}: the signed record is not the record as it stands"
                elif not person.may("approve", number, department):
                    verdict = f"commit {statement.commit[:7]}: {person.name.zh} may not approve for {number}"
                elif violator and person.is_named(violator):
                    verdict = f"commit {statement.commit[:7]}: {person.name.zh} made the commit this record excuses"
                else:
                    verdict = ""
                    break
            out[(kind, key)] = "; ".join(problems + ([verdict] if verdict else []))
    return out


def _author(root, commit: str) -> str:
    import subprocess

    shown = subprocess.run(["git", "log", "-1", "--format=%an", "--end-of-options", commit], cwd=root,
                           capture_output=True, timeout=60)
    return shown.stdout.decode("utf-8", "replace").strip() if shown.returncode == 0 else ""

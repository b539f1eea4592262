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

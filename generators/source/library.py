"""The library: every procedure together, with the cross-procedure views derived from it."""
from __future__ import annotations

from dataclasses import dataclass, field

from .model import ControlPoint, Document, External, Form, Procedure, Responsibility, Role, Step


@dataclass(frozen=True)
class RoleDuties:
    """What one role does in one procedure."""

    procedure: Procedure
    role: Role
    steps: tuple[Step, ...]
    produces: tuple[Document, ...]
    receives: tuple[Document, ...]
    keeps: tuple[Form, ...]
    takes_part: tuple[tuple[Step, str], ...] = ()  # (step, part) where the role is a participant
    responsibilities: tuple[Responsibility, ...] = ()

    @property
    def outputs(self) -> tuple[str, ...]:
        """Ids of the documents and forms the role's steps produce, in flow order, once each."""
        return tuple(dict.fromkeys(o for s in self.steps for o in s.outputs))

    @property
    def control_points(self) -> tuple[ControlPoint, ...]:
        """Control points that apply to a step the role owns or performs or approves."""
        involved = {s.id for s in self.steps} | {s.id for s, part in self.takes_part if part in ("performs", "approves")}
        return tuple(c for c in self.procedure.control_points if involved & set(c.steps))

    @property
    def is_empty(self) -> bool:
        return not (self.steps or self.produces or self.receives or self.keeps or self.takes_part
                    or self.responsibilities)


@dataclass
class Library:
    procedures: list[Procedure]
    roles: dict[str, Role] = field(default_factory=dict)  # role id -> first declaration
    externals: dict[str, External] = field(default_factory=dict)  # outside parties: no page, no checklist

    def __post_init__(self) -> None:
        self.procedures = sorted(self.procedures, key=lambda p: (p.number, p.slug))
        self._declaring: dict[str, list[Procedure]] = {}  # role id -> procedures declaring it, in order
        self._duties: dict[str, list[RoleDuties]] = {}
        for proc in self.procedures:
            for role in proc.roles:
                self.roles.setdefault(role.id, role)
                self._declaring.setdefault(role.id, []).append(proc)
            for party in proc.externals:
                self.externals.setdefault(party.id, party)

    def duties(self, role_id: str) -> list[RoleDuties]:
        """The role's part in each procedure that declares it (computed once per role: every role
        page, role index and checklist asks, and scanning every procedure each time is quadratic)."""
        if role_id not in self._duties:
            self._duties[role_id] = self._compute_duties(role_id)
        return self._duties[role_id]

    def _compute_duties(self, role_id: str) -> list[RoleDuties]:
        out = []
        for proc in self._declaring.get(role_id, []):
            role = proc.role(role_id)
            if role is None:
                continue
            out.append(RoleDuties(
                procedure=proc, role=role,
                steps=tuple(s for s in proc.steps if s.owner == role_id),
                produces=tuple(d for d in proc.documents if d.producer == role_id),
                receives=tuple(d for d in proc.documents if role_id in d.recipients),
                keeps=tuple(f for f in proc.forms if f.owner == role_id),
                takes_part=tuple((s, p.part) for s in proc.steps for p in s.participants if p.role == role_id),
                responsibilities=tuple(r for r in proc.responsibilities if role_id in r.roles)))
        return out

    def forms(self) -> list[tuple[Procedure, Form]]:
        """Every form once (a shared form under the first procedure that uses it)."""
        seen: set[str] = set()
        out = []
        for proc in self.procedures:
            for form in proc.forms:
                if form.id not in seen:
                    seen.add(form.id)
                    out.append((proc, form))
        return out

    def records(self) -> list[tuple[Procedure, object]]:
        """Records a procedure names in its records section without a form of its own."""
        return [(proc, record) for proc in self.procedures for record in proc.records if not record.form]

    def published(self, reference) -> Procedure | None:
        """The library's procedure a reference names (by number, else by Chinese title), if any."""
        for proc in self.procedures:
            if (reference.number and proc.number == reference.number) or (
                    not reference.number and proc.title.zh == reference.title.zh):
                return proc
        return None

    def unpublished_references(self) -> list[tuple[Procedure, object]]:
        """References to procedures not in the library: "referenced, not published"."""
        return [(p, r) for p in self.procedures for r in p.references if self.published(r) is None]

    def flows(self) -> list[tuple[Procedure, Document, str]]:
        """Every (procedure, document, recipient role id), in library and document order."""
        return [(proc, doc, recipient) for proc in self.procedures for doc in proc.documents for recipient in doc.recipients]

    def flow_matrix(self) -> tuple[list[str], list[str], dict]:
        """Producer role ids, recipient role ids, and (producer, recipient) -> [(procedure, document)]."""
        cells: dict[tuple[str, str], list] = {}
        for proc in self.procedures:
            for doc in proc.documents:
                for recipient in doc.recipients:
                    cells.setdefault((doc.producer, recipient), []).append((proc, doc))
        order = list(self.roles) + list(self.externals)
        producers = sorted({p for p, _ in cells if p}, key=lambda r: order.index(r) if r in order else 0)
        recipients = sorted({r for _, r in cells}, key=lambda r: order.index(r) if r in order else 0)
        return producers, recipients, cells


def producing_steps(proc: Procedure, output_id: str) -> list[Step]:
    """Steps that list ``output_id`` (a document or form) among their outputs."""
    return [s for s in proc.steps if output_id in s.outputs]

"""The procedure model: frozen dataclasses whose items carry their source position.

Optional fields are ``None`` (or empty) when the source leaves them out; the rules
in ``generators.rules`` decide which gaps are errors. Renderers only read this model.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import Position

LANGUAGES = ("zh", "en")
END = "end"  # the flow target that ends the procedure


@dataclass(frozen=True)
class Text:
    """A bilingual text; Chinese governs, English is the translation."""

    zh: str
    en: str
    pos: Position

    def __getitem__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def __str__(self) -> str:
        return self.zh


@dataclass(frozen=True)
class Signature:
    """One line of the approval block: a name and a date, either possibly blank."""

    name: str | None
    date: str | None
    pos: Position


@dataclass(frozen=True)
class Approval:
    drafted_by: Signature | None
    reviewed_by: Signature | None
    approved_by: Signature | None
    pos: Position

    def lines(self) -> list[tuple[str, Signature | None]]:
        return [("drafted_by", self.drafted_by), ("reviewed_by", self.reviewed_by),
                ("approved_by", self.approved_by)]


@dataclass(frozen=True)
class Revision:
    version: str
    date: str
    changes: tuple[Text, ...]
    changed_by: str | None
    reviewed_by: str | None
    approved_by: str | None
    pos: Position
    key_pos: dict = field(default_factory=dict, compare=False, hash=False)  # key -> position of its key


@dataclass(frozen=True)
class Role:
    id: str
    name: Text
    department: Text | None
    duties: Text | None
    pos: Position
    shared: bool = False  # declared once in _shared.yaml and referenced here
    missing: bool = False  # referenced with {ref: id}, but _shared.yaml declares no such role


@dataclass(frozen=True)
class ControlPoint:
    id: str
    text: Text
    steps: tuple[str, ...]
    pos: Position


@dataclass(frozen=True)
class FlowLink:
    target: str
    when: Text | None
    pos: Position


@dataclass(frozen=True)
class Step:
    id: str
    number: int  # 1-based position in the steps list, as printed ("4. 营销分析")
    title: Text
    description: Text | None
    substeps: tuple[Text, ...]
    owner: str | None
    owner_pos: Position
    outputs: tuple[str, ...]
    outputs_pos: Position
    decision: Text | None
    next: tuple[FlowLink, ...]
    pos: Position
    parallel: bool = False  # the next steps run in parallel (a fork), rather than one being chosen


@dataclass(frozen=True)
class Document:
    id: str
    title: Text | None
    producer: str | None
    content: Text | None
    recipients: tuple[str, ...]
    deadline: Text | None
    form: str | None
    pos: Position
    key_pos: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class FormField:
    id: str
    label: Text
    type: str
    width: int
    options: tuple[Text, ...]
    pos: Position


@dataclass(frozen=True)
class Form:
    id: str
    number: str
    version: str
    title: Text
    owner: str
    retention: Text | None
    storage: Text | None
    rows: int | None
    fields: tuple[FormField, ...]
    pos: Position
    shared: bool = False
    missing: bool = False

    @property
    def is_table(self) -> bool:
        return bool(self.rows)


OBJECTIVE_ASPECTS = ("A", "Q", "C", "T", "R")


@dataclass(frozen=True)
class Objectives:
    statement: Text | None
    aspects: dict  # aspect letter -> Text | None (None: present but blank)
    pos: Position


@dataclass(frozen=True)
class Reference:
    """Another procedure this one relies on, by number (when known) and title."""

    number: str | None
    title: Text
    pos: Position


@dataclass(frozen=True)
class Shared:
    """Roles and forms declared once, in _shared.yaml, for every procedure of a folder."""

    roles: dict
    forms: dict


NO_SHARED = Shared({}, {})


@dataclass(frozen=True)
class Procedure:
    """One controlled procedure, as read from one YAML file."""

    path: str
    slug: str  # file stem, used for page and output names
    number: str
    version: str
    title: Text
    department: Text | None
    effective_date: str | None
    review_due: str | None
    approval: Approval | None
    revisions: tuple[Revision, ...]
    scope: Text | None
    objectives: Objectives | None
    roles: tuple[Role, ...]
    control_points: tuple[ControlPoint, ...]
    steps: tuple[Step, ...]
    documents: tuple[Document, ...]
    forms: tuple[Form, ...]
    pos: Position
    key_pos: dict = field(default_factory=dict, compare=False, hash=False)
    references: tuple[Reference, ...] = ()
    self_approval_reason: Text | None = None  # set: the author of a change may also approve it, for this reason

    def role(self, role_id: str | None) -> Role | None:
        return next((r for r in self.roles if r.id == role_id), None)

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.id == doc_id), None)

    def form(self, form_id: str) -> Form | None:
        return next((f for f in self.forms if f.id == form_id), None)

    def successors(self, step: Step) -> tuple[FlowLink, ...]:
        """The step's flow links; a step without ``next`` falls through to the one after it."""
        if step.next:
            return step.next
        index = step.number  # number is 1-based, so this is the following step's index
        target = self.steps[index].id if index < len(self.steps) else END
        return (FlowLink(target, None, step.pos),)

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


GAP_MARK = {"zh": "待定", "en": "To be determined"}


class GapText(str):
    """The text of a gap in one language ("待定：…"), knowing its parts so a page can mark it up."""

    mark: str
    note: str

    def __new__(cls, mark: str, note: str, lang: str):
        text = super().__new__(cls, f"{mark}：{note}" if lang == "zh" else f"{mark}: {note}")
        text.mark, text.note = mark, note
        return text


@dataclass(frozen=True)
class Gap(Text):
    """A marked gap: the source is silent or unclear here (``gap:``), or a decision is pending (``tbd:``).

    It reads as a text, "待定：<note>" / "To be determined: <note>", so every page and PDF that prints
    the field prints the mark; rules warn about it and never take it for data.
    """

    note: Text = None  # type: ignore[assignment]
    kind: str = "gap"  # "gap" or "tbd"

    @classmethod
    def of(cls, note: Text, kind: str = "gap", pos: Position | None = None) -> "Gap":
        return cls(f"{GAP_MARK['zh']}：{note.zh}", f"{GAP_MARK['en']}: {note.en}", pos or note.pos, note, kind)

    def __getitem__(self, lang: str) -> GapText:
        return GapText(GAP_MARK[lang], self.note[lang], lang)


def is_gap(value) -> bool:
    return isinstance(value, Gap)


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
class External:
    """A party outside the company: customer, authority or supplier. It produces and receives
    documents and appears at the chart's edge, but has no checklist, role page or lane."""

    id: str
    name: Text
    kind: str  # customer | authority | supplier | other
    pos: Position
    shared: bool = False
    missing: bool = False


PARTS = ("performs", "approves", "consulted", "informed")


@dataclass(frozen=True)
class Participant:
    """A role taking part in a step besides its owner, with its part."""

    role: str
    part: str  # one of PARTS
    pos: Position


@dataclass(frozen=True)
class Substep:
    """A sub-step: its text, the source's own number (if given), and nested sub-steps."""

    text: Text
    number: str | None
    substeps: tuple["Substep", ...]
    pos: Position

    def __getitem__(self, lang: str) -> str:
        return self.text[lang]

    @property
    def zh(self) -> str:
        return self.text.zh

    @property
    def en(self) -> str:
        return self.text.en


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
    substeps: tuple[Substep, ...]
    owner: str | None
    owner_pos: Position
    outputs: tuple[str, ...]  # document and form ids
    outputs_pos: Position
    decision: Text | None
    next: tuple[FlowLink, ...]
    pos: Position
    parallel: bool = False  # the next steps run in parallel (a fork), rather than one being chosen
    join: bool = False  # waits for every parallel branch that leads to it
    clause: str | None = None  # the source's clause number, shown beside the step
    participants: tuple[Participant, ...] = ()
    inputs: tuple[str, ...] = ()  # document and form ids
    input_texts: tuple[Text, ...] = ()  # inputs the source names in words only
    output_texts: tuple[Text, ...] = ()  # outputs the source names in words only
    gaps: dict = field(default_factory=dict, compare=False, hash=False)  # field name -> Gap (id fields)
    key_pos: dict = field(default_factory=dict, compare=False, hash=False)

    def part_of(self, role_id: str) -> str | None:
        """The role's part in this step: "owner", a participant's part, or None."""
        if self.owner == role_id:
            return "owner"
        return next((p.part for p in self.participants if p.role == role_id), None)


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
    gaps: dict = field(default_factory=dict, compare=False, hash=False)  # "producer"/"recipient" -> Gap


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
    columns: tuple[FormField, ...] = ()  # with header fields: the table's columns
    footer: tuple[FormField, ...] = ()  # fields printed below the table
    disposal: Text | None = None
    gaps: dict = field(default_factory=dict, compare=False, hash=False)  # "owner" -> Gap

    @property
    def is_table(self) -> bool:
        return bool(self.rows)

    @property
    def table_columns(self) -> tuple[FormField, ...]:
        """The ruled table's columns: ``columns``, or (the older shape) every field when ``rows`` is set."""
        if self.columns:
            return self.columns
        return self.fields if self.rows else ()

    @property
    def header_fields(self) -> tuple[FormField, ...]:
        """Fields printed as boxes (above the table, when there is one)."""
        return self.fields if (self.columns or not self.rows) else ()

    @property
    def all_fields(self) -> tuple[FormField, ...]:
        return self.fields + self.columns + self.footer


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
class Start:
    """A start of the flow: a named trigger, who triggers it, and the step it leads to."""

    id: str
    trigger: Text
    by: str | None  # role or external id
    to: str  # step id
    pos: Position


END_KINDS = ("completed", "terminated", "hand-off")


@dataclass(frozen=True)
class End:
    """A typed end, named in ``next:`` by its id. ``END`` ("end") is the implicit completed end."""

    id: str
    kind: str  # one of END_KINDS
    title: Text | None
    procedure: Reference | None  # hand-off: the procedure that takes over
    pos: Position


@dataclass(frozen=True)
class Clause:
    """A numbered clause with nested items. ``number`` is the source's own, or None (numbered in order)."""

    id: str | None
    number: str | None
    title: Text | None
    text: Text | None
    items: tuple["Clause", ...]
    pos: Position


@dataclass(frozen=True)
class Responsibility:
    number: str | None
    roles: tuple[str, ...]
    text: Text | None
    items: tuple[Clause, ...]
    pos: Position
    gap: Gap | None = None  # the source names no role


@dataclass(frozen=True)
class Definition:
    number: str | None
    term: Text
    definition: Text | None
    pos: Position


RELATED_KINDS = ("procedure", "document", "standard", "regulation", "external")


@dataclass(frozen=True)
class RelatedDocument:
    kind: str  # one of RELATED_KINDS
    number: str | None
    title: Text
    edition: str | Text | None
    issuer: Text | None
    pos: Position

    @property
    def internal(self) -> bool:
        return self.kind == "procedure"


@dataclass(frozen=True)
class Record:
    """A record kept: a form of this procedure, or a record named by title."""

    number: str | None
    form: str | None
    title: Text | None
    keeper: str | None
    retention: Text | None
    storage: Text | None
    disposal: Text | None
    pos: Position
    gaps: dict = field(default_factory=dict, compare=False, hash=False)  # "keeper" -> Gap


@dataclass(frozen=True)
class Section:
    """An optional list section (``items``), or a gap standing for the whole section."""

    items: tuple
    gap: Gap | None
    pos: Position

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items) or self.gap is not None


EMPTY_SECTION = Section((), None, Position(""))


@dataclass(frozen=True)
class Shared:
    """Roles, forms and outside parties declared once, in _shared.yaml, for every procedure of a folder."""

    roles: dict
    forms: dict
    externals: dict = field(default_factory=dict)


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
    purpose: Text | None = None
    responsibilities: Section = EMPTY_SECTION  # of Responsibility
    definitions: Section = EMPTY_SECTION  # of Definition
    clauses: Section = EMPTY_SECTION  # of Clause
    clauses_title: Text | None = None  # the source's own heading for its clauses (控制要求, 内容和办法)
    related_documents: Section = EMPTY_SECTION  # of RelatedDocument
    records: Section = EMPTY_SECTION  # of Record
    externals: tuple[External, ...] = ()
    starts: tuple[Start, ...] = ()  # as written; see flow_starts()
    ends: tuple[End, ...] = ()
    self_approval_reason: Text | None = None  # set: the author of a change may also approve it, for this reason

    def role(self, role_id: str | None) -> Role | None:
        return next((r for r in self.roles if r.id == role_id), None)

    def external(self, external_id: str | None) -> External | None:
        return next((x for x in self.externals if x.id == external_id), None)

    def party(self, party_id: str | None) -> Role | External | None:
        """A role or an outside party, by id."""
        return self.role(party_id) or self.external(party_id)

    def end(self, end_id: str) -> End | None:
        """The end a flow target names: a declared end, or the implicit completed ``end``."""
        found = next((e for e in self.ends if e.id == end_id), None)
        if found is None and end_id == END:
            return End(END, "completed", None, None, self.pos)
        return found

    def is_end(self, target: str) -> bool:
        return target == END or any(e.id == target for e in self.ends)

    def flow_starts(self) -> tuple[Start, ...]:
        """The starts of the flow: as declared, or one unnamed start before the first step."""
        if self.starts:
            return self.starts
        if not self.steps:
            return ()
        return (Start("start", None, None, self.steps[0].id, self.pos),)  # type: ignore[arg-type]

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

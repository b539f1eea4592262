"""What a pending revision changes for one role: the steps it owns or takes part in, the documents it
hands over or receives, the records it keeps and its written responsibilities, each added or no longer
there, with the date the revision takes effect. Pure: two models of one procedure in, plain facts out;
the role page words them (``role.md.j2``).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..source.library import Library
from ..source.model import Procedure


@dataclass(frozen=True)
class Change:
    kind: str      # owns, takes_part, produces, receives, keeps, responsibilities
    added: bool    # True: the role gains it; False: the role no longer has it
    title: object  # a Text ({zh, en}) naming it


@dataclass(frozen=True)
class PendingForRole:
    version: str
    effective_date: str | None
    link: str       # the pending revision's page, relative to the role page
    changes: tuple[Change, ...]


def _duty(library: Library, role_id: str, proc: Procedure):
    return next((d for d in library.duties(role_id) if d.procedure is proc), None)


def _items(duty, kind: str) -> dict:
    if duty is None:
        return {}
    if kind == "owns":
        return {s.id: s.title for s in duty.steps}
    if kind == "takes_part":
        return {(s.id, part): s.title for s, part in duty.takes_part}
    if kind in ("produces", "receives"):
        return {d.id: d.title for d in getattr(duty, kind) if d.title}
    if kind == "keeps":
        return {f.id: f.title for f in duty.keeps}
    return {str(r.text.zh if r.text else r.number): r.text for r in duty.responsibilities if r.text}


KINDS = ("owns", "takes_part", "produces", "receives", "keeps", "responsibilities")


def changes_for_role(role_id: str, shown: Procedure, shown_library: Library, pending: Procedure) -> tuple[Change, ...]:
    """What ``pending`` changes for ``role_id`` against ``shown`` (the revision its page shows)."""
    before = _duty(shown_library, role_id, shown)
    after = _duty(Library([pending]), role_id, pending)
    out = []
    for kind in KINDS:
        old, new = _items(before, kind), _items(after, kind)
        out += [Change(kind, True, title) for key, title in new.items() if key not in old]
        out += [Change(kind, False, title) for key, title in old.items() if key not in new]
    return tuple(out)

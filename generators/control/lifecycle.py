"""The state of each revision of a procedure on a given day: draft, pending, current, superseded, withdrawn.

A revision is *approved* when it is on main's first-parent history (merged after review);
until then it is a draft, whatever its dates say. An approved revision takes effect on its
effective date: the newest approved revision whose date has come is current, older ones are
superseded, newer ones are pending (the current one stays in force until their date). A
withdrawal record ends the procedure on its date: from then on no revision is current.

``today`` is always an argument (an ISO date string): statuses change on their dates, and a
test never depends on the clock.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterable

from ..source.versions import version_key


class State(str, Enum):
    DRAFT = "draft"            # 草稿: not approved; never published as in force
    PENDING = "pending"        # 待生效: approved, effective date still ahead
    CURRENT = "current"        # 现行: the revision readers use today
    SUPERSEDED = "superseded"  # 作废: replaced by a later revision (or never took effect before one)
    WITHDRAWN = "withdrawn"    # 废止: retired without a successor, by a withdrawal record


@dataclass(frozen=True)
class RevisionFacts:
    """What the lifecycle needs to know about one revision."""

    version: str
    effective_date: str | None  # ISO date; None: not stated (then effective from its approval)
    approved: bool  # on main's first-parent history, with an approver in its revision entry
    approved_on: str | None = None  # ISO date of the approval (the approval commit's date)

    @property
    def effective_from(self) -> str:
        return self.effective_date or self.approved_on or ""


@dataclass(frozen=True)
class Status:
    """Every revision's state on ``today``, and the ones a reader needs: current and pending."""

    today: str
    states: tuple[tuple[str, State], ...]  # (version, state), oldest first
    current: str | None  # the revision in force today (None: none yet, or withdrawn)
    pending: tuple[str, ...]  # approved, not yet effective, oldest first
    withdrawn_on: str | None = None  # the withdrawal date, when it has come

    def of(self, version: str) -> State | None:
        return dict(self.states).get(version)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None


def _sorted(revisions: Iterable[RevisionFacts]) -> list[RevisionFacts]:
    unique = {r.version: r for r in revisions if version_key(r.version) is not None}
    return sorted(unique.values(), key=lambda r: version_key(r.version))


def status(revisions: Iterable[RevisionFacts], today: str, withdrawn_on: str | None = None) -> Status:
    """The state of each revision on ``today`` (``withdrawn_on``: the date of a withdrawal record)."""
    ordered = _sorted(revisions)
    withdrawn = withdrawn_on if withdrawn_on and withdrawn_on <= today else None
    in_effect = [r for r in ordered if r.approved and r.effective_from <= (withdrawn or today)]
    last_effective = in_effect[-1].version if in_effect else None
    states = []
    for index, rev in enumerate(ordered):
        older = last_effective is not None and version_key(rev.version) < version_key(last_effective)
        # A later approved revision taking effect on or before this one's date: this one never will.
        overtaken = any(r.approved and r.effective_from <= rev.effective_from for r in ordered[index + 1:])
        if not rev.approved:
            state = State.DRAFT
        elif older or overtaken:
            state = State.SUPERSEDED
        elif withdrawn:  # the revision in force at withdrawal, and any that never took effect
            state = State.WITHDRAWN
        elif rev.version == last_effective:
            state = State.CURRENT
        else:
            state = State.PENDING
        states.append((rev.version, state))
    current = None if withdrawn else last_effective
    pending = tuple(v for v, s in states if s is State.PENDING)
    return Status(today, tuple(states), current, pending, withdrawn)


def has_approver(model, version: str) -> bool:
    """The revision's own entry in its revision log names who approved it."""
    return any(r.version == version and r.approved_by for r in getattr(model, "revisions", ()))


def facts(models: dict, approvals: dict | None) -> list[RevisionFacts]:
    """Facts from each version's content (version -> model with ``effective_date`` and ``revisions``).

    ``approvals``: version -> date of the commit on main that first held it; None when there is no git
    record to ask (then the revision entries and dates alone decide; the build says history is missing).
    A version counts as approved when it is on main and its revision entry names an approver.
    """
    out = []
    for version, model in models.items():
        merged = approvals is None or version in approvals
        out.append(RevisionFacts(version, getattr(model, "effective_date", None),
                                 merged and has_approver(model, version), (approvals or {}).get(version)))
    return out

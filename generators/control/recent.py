"""What changed: the revisions that took effect recently or will take effect, as readers are told.

One list feeds both the "recent changes" page and the Atom feed of each language. A revision is
listed when it is approved and pending, or when it took effect (was in force, if only for a day)
within the last ``days`` days of ``today``. Drafts are never listed. States, effective dates and
approval dates come from the lifecycle (``generators.control.lifecycle``); nothing here reads the
clock: ``today`` is an argument.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from .lifecycle import RevisionFacts, State, Status
from ..source.model import Procedure, Revision
from ..source.versions import version_key

WINDOW_DAYS = 365


@dataclass(frozen=True)
class RevisionNotice:
    """One revision, as the recent-changes page and the feed announce it."""

    procedure: Procedure  # the revision's own content (its number and title as they stood)
    slug: str  # the procedure's folder: links go to its pages
    version: str
    state: State  # pending, or the state today of a revision that took effect
    effective_from: str  # ISO date
    approved_on: str | None  # ISO date the revision reached main (None: no git record)
    entry: Revision | None  # the revision's entry in its own revision log (its changes and approver)
    previous: str | None = None  # the version before it (what it is compared with), if any

    @property
    def pending(self) -> bool:
        return self.state is State.PENDING


def took_effect(facts: list[RevisionFacts], version: str, today: str) -> bool:
    """The revision was in force on some day up to ``today``: approved, its date has come, and no
    later approved revision took effect on or before that date (which would have replaced it unseen)."""
    ordered = sorted((f for f in facts if version_key(f.version)), key=lambda f: version_key(f.version))
    mine = next((f for f in ordered if f.version == version), None)
    if mine is None or not mine.approved or not mine.effective_from or mine.effective_from > today:
        return False
    later = [f for f in ordered if f.approved and version_key(f.version) > version_key(version)]
    return all(not f.effective_from or f.effective_from > mine.effective_from for f in later)


def recent_changes(procedures: Iterable[tuple[str, dict[str, Procedure], Status, list[RevisionFacts]]],
                   today: str, days: int = WINDOW_DAYS) -> list[RevisionNotice]:
    """Pending revisions (soonest first), then those that took effect since ``today`` - ``days`` (newest first).

    ``procedures``: for each procedure its slug, its versions' content (version -> model), its
    status on ``today`` and the lifecycle facts of its versions.
    """
    since = (dt.date.fromisoformat(today) - dt.timedelta(days=days)).isoformat()
    pending: list[RevisionNotice] = []
    past: list[RevisionNotice] = []
    for slug, models, status, facts in procedures:
        by_version = {f.version: f for f in facts}
        ordered = sorted(models, key=version_key)
        for version, model in models.items():
            state, fact = status.of(version), by_version.get(version)
            index = ordered.index(version)
            if fact is None or state is None or state is State.DRAFT:
                continue
            entry = next((r for r in model.revisions if r.version == version), None)
            notice = RevisionNotice(model, slug, version, state, fact.effective_from, fact.approved_on, entry,
                                    ordered[index - 1] if index else None)
            if state is State.PENDING:
                pending.append(notice)
            elif took_effect(facts, version, today) and fact.effective_from >= since:
                past.append(notice)
    pending.sort(key=lambda n: (n.effective_from, n.procedure.number, version_key(n.version)))
    past.sort(key=lambda n: (n.procedure.number, version_key(n.version)))
    past.sort(key=lambda n: n.effective_from, reverse=True)  # stable: the same day stays in number order
    return pending + past

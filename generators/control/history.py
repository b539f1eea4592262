"""Each procedure's revisions as the site shows them: its versions from main's history (each bound
to its approval commit), their states on a day, and what changed between them."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


from ..source import paths
from ..source.model import Procedure
from ..source.versions import version_key
from . import approvals, deviations, history_check, lifecycle, withdrawal
from .changes import compare
from .gitlog import ArchivedRevision, History
from .lifecycle import State, Status


def from_lineage(lineage, library_history, found=()) -> History:
    """A procedure's History from its lineage in a walk of main's history (control.approvals)."""
    revisions = tuple(ArchivedRevision(record.version, record.approval.commit.sha, record.approval.commit.date,
                                       record.approval.commit.author, record.last.procedure,
                                       record.approval.fingerprint, record.modifications)
                      for record in lineage.versions() if record.version)
    return History(revisions, library_history.shallow, True, tuple(f for f in found if f.slug == lineage.slug),
                   lineage.slugs[:-1], lineage.deleted)


def histories(folder: Path, ref: str = "HEAD") -> tuple[dict[str, History], object]:
    """History of every procedure of ``folder`` (live and deleted, by file name) in one walk of main's
    history, and the walk itself (control.approvals.LibraryHistory)."""

    walked = approvals.walk(folder, ref)
    if not walked.available:
        return {}, walked
    found = history_check.findings(walked, withdrawal.load(folder)[0], deviations.load(folder)[0])
    out: dict[str, History] = {}
    for lineage in walked.lineages:  # deleted ones first: a live file of the same name wins
        out[lineage.slug] = from_lineage(lineage, walked, found)
    return out, walked


def history(path: Path, ref: str = "HEAD") -> History:
    """Every version of the procedure file in main's first-parent history, each bound to its approval commit."""
    path = path.resolve()
    found, walked = histories(path.parent, ref)
    if not walked.available:
        return History((), False, False)
    return found.get(path.stem) or History((), walked.shallow, True)


@dataclass(frozen=True)
class ProcedureRevisions:
    """One procedure's revisions as the site shows them: each version's content, its state today,
    and the revision the procedure page shows (the one in force; without one, the newest)."""

    source: Procedure  # the working tree's file, as checked
    history: History
    models: dict  # version -> Procedure, oldest first (the newest from the working tree)
    status: Status
    withdrawal: object = None  # control.withdrawal.Withdrawal of a withdrawn procedure
    facts: tuple = ()  # lifecycle.RevisionFacts of each version (effective and approval dates)

    @property
    def shown(self) -> Procedure:
        """The revision in force; before any is, the next to take effect; else the newest."""
        for version in (self.status.current, *self.status.pending):
            if version in self.models:
                return self.models[version]
        return self.source

    @property
    def slug(self) -> str:
        return self.source.slug


def procedure_revisions(proc: Procedure, history: History, today: str, withdrawal=None) -> ProcedureRevisions:
    """Every version of ``proc`` with its state on ``today`` (an ISO date); ``withdrawal``: its
    control.withdrawal.Withdrawal record, for a procedure withdrawn (deleted by record)."""
    newest = version_key(proc.version)
    models = {r.version: r.procedure for r in history.revisions
              if version_key(r.version) and newest and version_key(r.version) < newest}
    models[proc.version] = proc
    approvals = {r.version: r.date for r in history.revisions} if history.available else None
    facts = lifecycle.facts(models, approvals)
    status = lifecycle.status(facts, today, withdrawal.date if withdrawal else None)
    return ProcedureRevisions(proc, history, models, status, withdrawal, tuple(facts))


def withdrawn_revisions(folder: Path, walked, found: dict, live: set, today: str) -> dict[str, ProcedureRevisions]:
    """Procedures of ``folder`` deleted with a withdrawal record, by their last file name."""

    records = {w.number: w for w in withdrawal.load(folder)[0]}
    out = {}
    for lineage in walked.lineages:
        record = records.get(lineage.number)
        if lineage.deleted is None or record is None or lineage.slug in live:
            continue
        out[lineage.slug] = procedure_revisions(lineage.snapshots[-1].procedure, found[lineage.slug], today, record)
    return out


def form_versions(rev: ProcedureRevisions) -> dict[str, list[dict]]:
    """form id -> each version of the form in the procedure's revisions, oldest first: version, form
    (as last carried), procedure (that revision's model), revisions (the procedure versions carrying it)."""
    out: dict[str, list[dict]] = {}
    for version, model in rev.models.items():
        if rev.status.of(version) is State.DRAFT:
            continue  # a draft is not published as a form to use
        for form in model.forms:
            versions = out.setdefault(form.id, [])
            if versions and versions[-1]["version"] == form.version:
                versions[-1].update(form=form, procedure=model)
                versions[-1]["revisions"].append(version)
            else:
                versions.append({"version": form.version, "form": form, "procedure": model, "revisions": [version]})
    return out


def revisions_of(proc: Procedure, revisions: dict[str, ProcedureRevisions], today: str) -> ProcedureRevisions:
    return revisions.get(proc.slug) or procedure_revisions(proc, History((), False, False), today or "9999-12-31")


def shown_state(proc: Procedure, revisions: dict[str, ProcedureRevisions], today: str) -> str:
    """The state on ``today`` of the revision a procedure's page shows (a ``lifecycle.State`` value)."""
    state = revisions_of(proc, revisions, today).status.of(proc.version)
    return state.value if state else State.CURRENT.value


def history_entries(revisions: ProcedureRevisions) -> list[dict]:
    """Each version (oldest first) with its state, what changed to the next one and its own page."""
    by_version = {r.version: r for r in revisions.history.revisions}
    versions = list(revisions.models)
    entries = []
    for index, version in enumerate(versions):
        following = versions[index + 1] if index + 1 < len(versions) else None
        model = revisions.models[version]
        revision = by_version.get(version)
        findings = [f for f in revisions.history.findings if f.version == version]
        entries.append({
            "version": version, "procedure": model, "revision": revision,
            "findings": findings,
            "modifications": [{"snapshot": m, "finding": next((f for f in findings if f.commit.sha == m.commit.sha), None)}
                              for m in (revision.modifications if revision else ())],
            "state": revisions.status.of(version), "anchor": paths.version_slug(version),
            "next_version": following,
            "changes": compare(model, revisions.models[following]) if following else [],
            "page": paths.archive_page(revisions.slug, version),
        })
    return entries


def library_histories(procedures: list[Procedure], today: str) -> tuple[dict[str, History], dict[str, ProcedureRevisions]]:
    """Each procedure's git history (by slug) and the procedures withdrawn by record, from main's history."""
    by_slug, withdrawn = {}, {}
    for folder in dict.fromkeys(Path(p.path).parent for p in procedures):
        found, walked = histories(folder)
        live = {p.slug for p in procedures if Path(p.path).parent == folder}
        for slug in live:
            by_slug[slug] = found.get(slug) or History((), walked.shallow, walked.available)
        withdrawn.update(withdrawn_revisions(folder, walked, found, live, today))
    return by_slug, withdrawn

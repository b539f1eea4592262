"""Marked gaps: each ``{gap: …}`` / ``{tbd: …}`` in a source is a warning, published as 待定 / To be determined.

A faithful transcription never invents what its source lacks; it marks the gap, and the
warning stays until a revision resolves it (the revision entry says how).
"""
from __future__ import annotations

import dataclasses

from ..source.diagnostics import error, warning
from ..source.model import Gap, Procedure, Section, StepDeadline, Text
from .registry import rule

# Dataclass fields that are bookkeeping, not content.
_SKIP = {"pos", "owner_pos", "outputs_pos", "key_pos", "note", "shared", "missing"}


def item_name(item) -> str:
    """A reader's name for a model item: "document 'quote'", "step 'sell'", "clause 4.1"."""
    kind = type(item).__name__.lower()
    kind = {"relateddocument": "related document", "formfield": "field", "controlpoint": "control point"}.get(kind, kind)
    if kind == "revision":
        return f"revision {item.version}"
    ident = getattr(item, "id", None) or getattr(item, "form", None)
    if ident:
        return f"{kind} '{ident}'"
    if getattr(item, "number", None):
        return f"{kind} {item.number}"
    title = getattr(item, "title", None) or getattr(item, "term", None)
    if isinstance(title, Text) and not isinstance(title, Gap):
        return f"{kind} '{title.zh}'"
    return kind


def walk_gaps(value, where: str = "", field: str = ""):
    """Every gap in a model value, with where it is ("document 'quote'") and its field ("deadline")."""
    if isinstance(value, Gap):
        yield value, where, field
    elif isinstance(value, Section):
        if value.gap is not None:
            yield value.gap, where, field
        for item in value.items:
            yield from walk_gaps(item, where, field)
    elif isinstance(value, Text):
        return
    elif isinstance(value, StepDeadline):  # part of its step: "step 'reply': within"
        yield from walk_gaps(value.text, where, field)
    elif dataclasses.is_dataclass(value):
        inner = where if isinstance(value, Procedure) else (item_name(value) if not where or is_item(value) else where)
        for f in dataclasses.fields(value):
            if f.name in _SKIP:
                continue
            child = getattr(value, f.name)
            if f.name == "gaps":
                for key, gap in child.items():
                    yield gap, inner, key
            else:
                yield from walk_gaps(child, inner, f.name if not is_item(child) else field)
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from walk_gaps(item, where, field)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk_gaps(item, where, str(key))


def is_item(value) -> bool:
    return (dataclasses.is_dataclass(value) and hasattr(value, "pos")
            and not isinstance(value, (Text, Section, StepDeadline)))


def transcription(proc: Procedure) -> bool:
    """Revision A/0 (or none yet): the transcription of the paper original, whose gaps nobody owns yet."""
    return proc.version in ("", "A/0")


# Since when a published revision must say who settles each of its gaps by when (issue 29): revisions
# approved before then were approved without the requirement; each names its gaps' owners in the next.
GAP_OWNERS_REQUIRED_FROM = "2026-12-08"


def approved_on(proc: Procedure) -> str | None:
    """The day the revision was approved (its approval block's 批准 date), None while it is a draft."""
    line = proc.approval.approved_by if proc.approval else None
    return line.date if line is not None and line.name and line.date else None


def owners_required(proc: Procedure) -> bool:
    """A published revision after A/0, approved since the requirement: each of its gaps names who settles it by when."""
    day = approved_on(proc)
    return not transcription(proc) and day is not None and day >= GAP_OWNERS_REQUIRED_FROM


def marked_gaps(proc: Procedure):
    required = owners_required(proc)
    for gap, where, field in walk_gaps(proc):
        label = "to be determined" if gap.kind == "tbd" else "a gap in the source"
        place = ": ".join(p for p in (where, field.replace("_", " ")) if p)
        hint = "published as 待定 / To be determined; resolve it in a revision and say how in the entry"
        if not transcription(proc) and not (gap.owner and gap.due) and not required:
            hint = ("published as 待定 / To be determined with nobody named to settle it: add 'owner: <role id>' and "
                    "'due: YYYY-MM-DD' beside 'gap:', then resolve it in a revision and say how in the entry")
        yield warning(gap.pos, "gap", f"{place}: {label}: {gap.note.zh}", hint)


def gaps_assigned(proc: Procedure):
    """In a published revision after A/0 every gap says who settles it (owner:) and by when (due:)."""
    if not owners_required(proc):
        return
    for gap, where, field in walk_gaps(proc):
        missing = [what for what, value in (("who settles it (owner:)", gap.owner), ("by when (due:)", gap.due))
                   if not value]
        if not missing:
            continue
        place = ": ".join(p for p in (where, field.replace("_", " ")) if p)
        yield error(gap.pos, "gap-unassigned",
                    f"{place}: the gap (待定) does not say {' or '.join(missing)}, in revision {proc.version} "
                    f"approved on {approved_on(proc)}",
                    f"beside '{gap.kind}:' add " + " and ".join(
                        text for text, value in (("'owner: <role id>' (the role who settles it)", gap.owner),
                                                 ("'due: YYYY-MM-DD' (by when)", gap.due)) if not value)
                    + f"; a revision approved since {GAP_OWNERS_REQUIRED_FROM} says who settles each gap by when, "
                      "and readers see 待定：…（由<role>于<date>前确定）")


def gap_owners(proc: Procedure):
    """A gap's owner is a role of this procedure: the one who settles it."""
    roles = {r.id for r in proc.roles}
    for gap, where, field in walk_gaps(proc):
        if gap.owner and gap.owner not in roles:
            place = ": ".join(p for p in (where, field.replace("_", " ")) if p)
            yield error(gap.pos, "gap-owner", f"{place}: the gap's owner '{gap.owner}' is not a declared role",
                        "name the role who settles it, from roles:")


# Registered here rather than with @rule: mutation testing (make mutants) cannot mutate a decorated function.
rule(marked_gaps, gap_owners, gaps_assigned)

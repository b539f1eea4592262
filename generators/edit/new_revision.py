"""Start a new revision of a procedure file, keeping its comments, key order and layout."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..source.versions import version_key
from ..source import clock
from ..source.writer import atomic_write
from .roundtrip import EditError, load_for_editing


class NewRevisionError(EditError):
    """The file cannot be edited (see roundtrip.EditError)."""


def bumped(version: str, edition: bool) -> str:
    """A/3 -> A/4; with ``edition``: A/3 -> B/0."""
    key = version_key(version)
    if key is None:
        raise NewRevisionError(f"version '{version}' is not of the form A/0")
    letter, amendment = key
    if edition:
        if letter >= 25:
            raise NewRevisionError("no edition letter after Z")
        return f"{chr(ord('A') + letter + 1)}/0"
    return f"{chr(ord('A') + letter)}/{amendment + 1}"


def _flow(mapping: dict) -> CommentedMap:
    node = CommentedMap(mapping)
    node.fa.set_flow_style()
    return node


APPROVAL_LINES = ("drafted_by", "reviewed_by", "approved_by")


def _clear_approval(data: CommentedMap) -> None:
    """Blank the header approval block: the previous revision's signatures do not approve the new one.

    ``check`` then reports each blank line until the new revision's drafter, reviewer and approver
    are filled in (the same people as the new revisions: entry)."""
    approval = data.get("approval")
    if not isinstance(approval, CommentedMap):
        approval = CommentedMap()
        data["approval"] = approval
    for key in APPROVAL_LINES:
        approval[key] = _flow({"name": None, "date": None})


def new_revision(path: Path, edition: bool = False, today: dt.date | None = None,
                 notes: list[str] | None = None) -> str:
    """Bump the version, date the header, clear the approval block and append an empty revision entry.

    ``notes`` (a list) receives warnings: a new effective date before the one of the revision it
    follows, which is still pending (that revision would then never take effect)."""
    yaml, data = load_for_editing(path, NewRevisionError)
    if not isinstance(data, CommentedMap) or "version" not in data:
        raise NewRevisionError("not a procedure file (no version:)")
    previous = str(data["version"])
    version = bumped(previous, edition)
    date = clock.resolve(today)  # a date object: written unquoted, like the others
    pending = data.get("effective_date")
    if notes is not None and isinstance(pending, dt.date) and pending > date:
        notes.append(f"effective_date is now {date.isoformat()}, before {pending.isoformat()}, when {previous} takes "
                     f"effect: {previous} is still pending, and a revision that replaces it earlier means it never "
                     f"takes effect. Set effective_date to the day {version} is to take effect: after "
                     f"{pending.isoformat()} to let {previous} apply first, or {pending.isoformat()} itself for "
                     f"{version} to replace {previous} on its announced day (then {previous} never takes effect "
                     f"alone); say why in the entry")
    data["version"] = version
    data["effective_date"] = dt.date.fromordinal(date.toordinal())  # a distinct object: no YAML anchor
    _clear_approval(data)
    revisions = data.get("revisions")
    if not isinstance(revisions, CommentedSeq):
        revisions = CommentedSeq()
        data["revisions"] = revisions
    revisions.append(CommentedMap([
        ("version", version), ("date", date),
        ("changes", CommentedSeq([_flow({"zh": "", "en": ""})])),
        ("changed_by", ""), ("reviewed_by", ""), ("approved_by", ""),
    ]))
    out = io.StringIO()
    yaml.dump(data, out)
    atomic_write(path, out.getvalue().encode("utf-8"))
    return version

"""Start a new revision of a procedure file, keeping its comments, key order and layout."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from ..source.versions import version_key
from ..source import clock
from ..source.writer import atomic_write


class NewRevisionError(Exception):
    pass


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


def new_revision(path: Path, edition: bool = False, today: dt.date | None = None) -> str:
    """Bump the version, date the header, clear the approval block and append an empty revision entry."""
    yaml = YAML()  # round-trip: comments, order and quoting survive
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise NewRevisionError(f"cannot read the file: {exc}") from exc
    if not isinstance(data, CommentedMap) or "version" not in data:
        raise NewRevisionError("not a procedure file (no version:)")
    version = bumped(str(data["version"]), edition)
    date = clock.resolve(today)  # a date object: written unquoted, like the others
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

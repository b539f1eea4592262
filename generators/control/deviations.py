"""Recorded deviations: a past change-control violation that cannot be undone (git history is the
audit record, never rewritten) is acknowledged here, assessed and accepted by a named person, and
fixed forward by a new revision. ``check --history`` fails on every violation without a record.

``procedure/_deviations.yaml``::

    deviations:
      - id: DEV-2026-001
        procedure: QP-XS-01          # document number
        commit: af07872              # the step on main that broke the rule (7+ hex digits)
        what: {zh: …, en: …}         # what happened
        assessment: {zh: …, en: …}   # why it was accepted as it is
        accepted_by: 王强
        accepted_on: 2026-11-27
        fixed_by: A/3                # the revision that fixes it forward
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..source.diagnostics import Diagnostic, Position, error
from ..source.model import Text
from . import register

FILE = "_deviations.yaml"
RULE = "deviation-record"
COMMIT = re.compile(r"^[0-9a-f]{7,40}$")


@dataclass(frozen=True)
class Deviation:
    id: str
    procedure: str  # document number
    commit: str  # abbreviated or full hash
    what: Text
    assessment: Text
    accepted_by: str
    accepted_on: str
    fixed_by: str | None
    pos: Position

    def covers(self, number: str, sha: str) -> bool:
        return self.procedure == number and sha.startswith(self.commit)


def load(folder: Path) -> tuple[list[Deviation], list[Diagnostic]]:
    """Every complete record in ``folder/_deviations.yaml``; each incomplete one is an error."""
    nodes, diags = register.entries(folder / FILE, "deviations", RULE)
    found = []
    for node in nodes:
        values = {key: register.text(node, key) for key in ("id", "procedure", "commit", "accepted_by", "accepted_on", "fixed_by")}
        what, assessment = register.bilingual(node, "what"), register.bilingual(node, "assessment")
        name = f"deviation {values['id'] or '(no id)'}"
        problems = register.require(node, RULE, name, {
            "id": (values["id"], "give each deviation an id, e.g. DEV-2026-001"),
            "procedure": (values["procedure"], "the document number of the procedure concerned"),
            "commit": (values["commit"], "the commit on main that broke the rule (git log --first-parent)"),
            "what": (what, "what happened, {zh: …, en: …}"),
            "assessment": (assessment, "why it was accepted as it is, {zh: …, en: …}"),
            "accepted_by": (values["accepted_by"], "who assessed and accepted it"),
            "accepted_on": (values["accepted_on"], "when, YYYY-MM-DD"),
        }) + register.date_errors(node, "accepted_on", RULE, name)
        if values["commit"] and not COMMIT.match(values["commit"].lower()):
            problems.append(error(register.position(node, "commit"), RULE,
                                  f"{name}: commit '{values['commit']}' is not a commit hash (7 to 40 hex digits)",
                                  "copy the hash of the step on main from 'git log --first-parent main'"))
        diags += problems
        if not problems:
            found.append(Deviation(values["id"], values["procedure"], values["commit"].lower(), what, assessment,
                                   values["accepted_by"], values["accepted_on"], values["fixed_by"], node.pos))
    return found, diags

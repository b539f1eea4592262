"""Recorded deviations: a past change-control violation that cannot be undone (git history is the
audit record, never rewritten) is acknowledged here, assessed and accepted by a named person, and
fixed forward by a new revision. ``check --history`` fails on every violation without a record.

``procedure/_deviations.yaml``::

    deviations:
      - id: DEV-2026-001
        procedure: QP-XS-01          # document number
        commit: af07872              # the step on main that broke the rule (7+ hex digits), or the
                                     # commit of a merged pull request that made the change
        what: {zh: …, en: …}         # what happened
        assessment: {zh: …, en: …}   # why it was accepted as it is
        accepted_by: 王强
        accepted_on: 2026-11-27
        fixed_by: A/3                # the revision that fixes it forward
        accepts:                     # exactly the findings it accepts (required since signatures are)
          - {rule: modified-after-approval, procedure: QP-XS-01}
        corrective_action: {zh: …, en: …}

Since the approver register exists, a new record counts only when approved by signature
(``make approve RECORD=DEV-…``) by a person the register gives authority to
approve the procedure, who did not make the violating commit (control/signoff.py ``record_sign_offs``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..source.diagnostics import Diagnostic, Position, error
from ..source.model import Text
from ..source.yamltree import to_python
from . import register
from .fingerprint import digest

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
    accepts: tuple[tuple[str, str], ...] = ()  # (rule, document number) of each finding accepted
    corrective_action: Text | None = None
    digest: str = field(default="", compare=False)  # of the entry's plain data: what an approval signs (derived)

    def covers(self, number: str, sha: str, rule: str = "") -> bool:
        """The finding ``rule`` of procedure ``number`` at commit ``sha`` is one this record accepts (a
        record naming its findings accepts only those; an older one, every finding of its commit)."""
        named = not self.accepts or (rule, number) in self.accepts
        return self.procedure == number and sha.startswith(self.commit) and named


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
        accepts = tuple((str(a.get("rule", "")), str(a.get("procedure", ""))) for a in (to_python(node).get("accepts") or [])
                        if isinstance(a, dict))
        if not problems:
            found.append(Deviation(values["id"], values["procedure"], values["commit"].lower(), what, assessment,
                                   values["accepted_by"], values["accepted_on"], values["fixed_by"], node.pos, accepts,
                                   register.bilingual(node, "corrective_action"), digest(to_python(node))))
    return found, diags

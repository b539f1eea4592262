"""The withdrawal register: a procedure is retired without a successor only by an approved record.

``procedure/_withdrawn.yaml``::

    withdrawn:
      - number: QP-XS-09             # the document number (never used again)
        file: old-procedure          # its file name (without .yaml) when it was deleted
        date: 2026-12-01             # effective date of the withdrawal
        reason: {zh: …, en: …}
        approved_by: 王强

The procedure's file is then deleted; its revisions stay in git and on the site (stamped 废止 /
WITHDRAWN, listed in the master list), and its forms stay in the records register with their retention.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..source.diagnostics import Diagnostic, Position, error
from ..source.model import Procedure, Text
from ..source.yamltree import to_python
from . import register
from .fingerprint import digest

FILE = "_withdrawn.yaml"
RULE = "withdrawal-record"


@dataclass(frozen=True)
class Withdrawal:
    number: str
    file: str
    date: str
    reason: Text
    approved_by: str
    pos: Position
    digest: str = field(default="", compare=False)  # of the entry's plain data: what an approval signs (derived)


def load(folder: Path) -> tuple[list[Withdrawal], list[Diagnostic]]:
    nodes, diags = register.entries(folder / FILE, "withdrawn", RULE)
    found = []
    for node in nodes:
        values = {key: register.text(node, key) for key in ("number", "file", "date", "approved_by")}
        reason = register.bilingual(node, "reason")
        name = f"withdrawal of {values['number'] or '(no number)'}"
        problems = register.require(node, RULE, name, {
            "number": (values["number"], "the document number of the withdrawn procedure"),
            "file": (values["file"], "its file name without .yaml, as it was when deleted"),
            "date": (values["date"], "the date the withdrawal takes effect, YYYY-MM-DD"),
            "reason": (reason, "why it is withdrawn, {zh: …, en: …}"),
            "approved_by": (values["approved_by"], "who approved the withdrawal"),
        }) + register.date_errors(node, "date", RULE, name)
        diags += problems
        if not problems:
            found.append(Withdrawal(values["number"], values["file"], values["date"], reason, values["approved_by"], node.pos,
                                    digest(to_python(node))))
    return found, diags


def rules(procedures: list[Procedure], withdrawals: list[Withdrawal]) -> list[Diagnostic]:
    """A withdrawn number is never used again (no git needed: the register says so)."""
    gone = {w.number: w for w in withdrawals}
    return [error(proc.key_pos.get("number", proc.pos), "number-reused",
                  f"document number {proc.number} belongs to a withdrawn procedure ({gone[proc.number].file}, withdrawn {gone[proc.number].date})",
                  "a retired number is never reused: give this procedure a new number")
            for proc in procedures if proc.number in gone]

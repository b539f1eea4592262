"""The page outline of a procedure: which sections it has, their numbers, and nested items flattened.

Pure functions of the model. Sections print in the order of a controlled copy; a section the
procedure does not have is left out and the rest are numbered on, so a standard-layout
procedure (目的, 范围, 职责, 术语和定义, …) keeps its source's section numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..source.model import Clause, Procedure, Substep, Text

# Every section the page can have, in the order of a controlled copy.
SECTIONS = ("purpose", "scope", "responsibilities", "definitions", "objectives", "roles", "control_points",
            "clauses", "flowchart", "steps", "documents", "forms", "references", "records")


def outline(proc: Procedure) -> dict[str, int | bool | None]:
    """Section key -> its number on the page (None: the procedure does not have it), and "numbered":
    whether the page prints the numbers."""
    present = {
        "purpose": proc.purpose is not None,
        "scope": proc.scope is not None,
        "responsibilities": bool(proc.responsibilities),
        "definitions": bool(proc.definitions),
        "objectives": proc.objectives is not None,
        # Responsibilities name each role with its duties: a separate roles list would repeat them.
        "roles": bool(proc.roles) and not proc.responsibilities,
        "control_points": bool(proc.control_points),
        "clauses": bool(proc.clauses),
        "flowchart": bool(proc.steps),  # every flow is drawn
        "steps": bool(proc.steps),
        "documents": bool(proc.documents),
        "forms": bool(proc.forms),
        "references": bool(proc.references) or bool(proc.related_documents),
        "records": bool(proc.records),
    }
    numbers: dict[str, int | bool | None] = dict.fromkeys(SECTIONS)
    count = 0
    for key in SECTIONS:
        if present[key]:
            count += 1
            numbers[key] = count
    # A procedure that keeps its source's numbers (4.1, 4.1.1) is read by those: where the page's own
    # section numbers would contradict them (a 术语和定义 the source lacks pushes its 4 to 5), the
    # sections go unnumbered.
    numbers["numbered"] = _agrees(numbers, proc)  # templates print the numbers only when True
    return numbers


def _agrees(numbers: dict, proc: Procedure) -> bool:
    for key, items in (("clauses", proc.clauses), ("responsibilities", proc.responsibilities),
                       ("definitions", proc.definitions)):
        for item in items:
            head = (item.number or "").split(".")[0]
            # isdecimal, not isdigit: int() refuses '²'; and it refuses a text of over 4,300 digits
            if head.isdecimal() and (len(head) > 9 or int(head) != numbers[key]):
                return False
    return True


@dataclass(frozen=True)
class Item:
    """One nested item (a clause or a sub-step), flattened for printing at its depth."""

    depth: int
    number: str
    title: Text | None
    text: Text | None
    anchor: str


_ANCHOR_SAFE = re.compile(r"[^a-z0-9]+")


def _anchor(prefix: str, number: str, ident: str | None) -> str:
    if ident:
        return f"{prefix}-{ident}"
    slug = _ANCHOR_SAFE.sub("-", number.lower()).strip("-")
    return f"{prefix}-{slug}" if slug else ""


def _child_number(parent: str, index: int) -> str:
    return f"{parent}.{index}" if parent else str(index)


def clauses(items, parent: str = "", depth: int = 0) -> list[Item]:
    """Clauses in reading order with their depth; a clause without its own number gets parent.index,
    unless its siblings carry the source's numbers (then it has none: a number is never invented)."""
    out: list[Item] = []
    sourced = any(c.number for c in items)
    for index, clause in enumerate(items, start=1):
        number = clause.number or ("" if sourced else _child_number(parent, index))
        # An anchor is unique on the page: "a)" under 4.2.1 is clause-4-2-1-a, not clause-a.
        full = number if not parent or number.startswith(parent) else f"{parent}.{number}"
        out.append(Item(depth, number, clause.title, clause.text, _anchor("clause", full if number else "", clause.id)))
        out += clauses(clause.items, full if number else parent, depth + 1)
    return out


def substeps(items: tuple[Substep, ...], parent: str, depth: int = 0) -> list[Item]:
    """Sub-steps in reading order: the source's own number when given, else step.index (2.1, 2.1.1)."""
    out: list[Item] = []
    sourced = any(s.number for s in items)
    for index, sub in enumerate(items, start=1):
        number = sub.number or ("" if sourced else _child_number(parent, index))
        out.append(Item(depth, number, None, sub.text, ""))
        out += substeps(sub.substeps, number, depth + 1)
    return out


def clause_items(items: tuple[Clause, ...], parent: str = "") -> list[Item]:
    """Nested items of a responsibility: numbered like clauses."""
    return clauses(items, parent)

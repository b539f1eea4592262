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
        # A committee's members are said nowhere else: with responsibilities, the list holds the committees.
        "roles": bool(proc.roles) and (not proc.responsibilities or any(r.members for r in proc.roles)),
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
    step: str | None = None  # the step this clause is: its details print here


_ANCHOR_SAFE = re.compile(r"[^a-z0-9]+")


def _anchor(prefix: str, number: str, ident: str | None) -> str:
    if ident:
        return f"{prefix}-{ident}"
    slug = _ANCHOR_SAFE.sub("-", number.lower()).strip("-")
    return f"{prefix}-{slug}" if slug else ""


def _child_number(parent: str, index: int) -> str:
    return f"{parent}.{index}" if parent else str(index)


def clauses(items, parent: str = "", depth: int = 0) -> list[Item]:
    """Clauses in reading order with their depth and the source's own number, never one of ours: a
    clause the source leaves unnumbered prints unnumbered (an invented 1.2.1 beside the source's 1.2,
    or 3.一、.1 under its 一、, would read as the source's). An item with nothing to print (no number,
    title or text: a group of unnumbered items) is left out, its items kept at its depth.
    ``parent``: the number an anchor of an unnumbered parent's items starts with (the page section)."""
    out: list[Item] = []
    for clause in items:
        number = clause.number or ""
        # An anchor is unique on the page: "a)" under 4.2.1 is clause-4-2-1-a, not clause-a.
        full = number if not parent or number.startswith(parent) else f"{parent}.{number}"
        if number or clause.title or clause.text or clause.id or clause.step:
            out.append(Item(depth, number, clause.title, clause.text, _anchor("clause", full if number else "", clause.id),
                            clause.step))
            out += clauses(clause.items, full if number else parent, depth + 1)
        else:
            out += clauses(clause.items, parent, depth)
    return out


def clause_anchors(items, parent: str = "") -> dict[str, str]:
    """Clause number as written (5.3.1) -> its anchor on the page, for a step's clause label to link to."""
    out: dict[str, str] = {}
    for item in clauses(items, parent):
        if item.number and item.anchor:
            out.setdefault(item.number.rstrip("."), item.anchor)
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


# --- a source's number on an English page --------------------------------------------------------
# The source numbers in Chinese (一、, （二）, 第三条, 第一章); an English page shows the same number in
# the English way (1., (2), Article 3, Chapter 1): the number stays the source's, only its script is
# translated, as the text beside it is. A Chinese page shows it exactly as the source writes it.

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = re.compile(r"[〇零一二两三四五六七八九十百千]+")
_ORDINAL = re.compile(r"第([〇零一二两三四五六七八九十百千\d]+)([章节条款部分篇]+)")
_ORDINAL_WORDS = {"章": "Chapter", "节": "Section", "条": "Article", "款": "Paragraph", "部分": "Part", "篇": "Part"}


def chinese_numeral(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105."""
    total, digit = 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
    return total + (digit or 0)


def shown_number(number: str | None, lang: str) -> str:
    """A source's number as a page in ``lang`` shows it: as written on a Chinese page, in the English
    way on an English one (一、 → 1., （二） → (2), 第三条 → Article 3, 一、3. → 1.3.)."""
    if not number or lang == "zh":
        return number or ""
    text = _ORDINAL.sub(lambda m: f"{_ORDINAL_WORDS.get(m[2], m[2])} {m[1] if m[1].isdecimal() else chinese_numeral(m[1])}",
                        number)
    text = _NUMERAL.sub(lambda m: str(chinese_numeral(m[0])), text)
    return text.replace("、", ".").replace("（", "(").replace("）", ")").replace("．", ".")

"""Header rules: document number, dates, control objectives (the approval block: ``approvals``)."""
from __future__ import annotations

import datetime as dt
import re

from ..source.diagnostics import error, warning
from ..source.model import OBJECTIVE_ASPECTS, Procedure
from .registry import dated_rule, rule

NUMBER_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9][A-Z0-9.]*){1,3}$")  # parts may hold clause numbers: QP7.5.1
ASPECT_NAMES = {"A": "A (数量 quantity)", "Q": "Q (质量 quality)", "C": "C (成本 cost)",
                "T": "T (时效 timeliness)", "R": "R (风险 risk)"}


def parse_date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def file_name(proc: Procedure):
    # The file name becomes the page's URL and output folder: keep it to a safe alphabet.
    if not SLUG_PATTERN.match(proc.slug):
        yield error(proc.pos, "file-name", f"file name '{proc.slug}.yaml' is not a valid procedure id",
                    "name procedure files with lower-case letters, digits and '-', e.g. sales-process-control.yaml")


def document_number(proc: Procedure):
    pos = proc.key_pos.get("number", proc.pos)
    if not proc.number:
        yield error(pos, "header-number", "the document number (编号) is blank",
                    "write the number the master list (受控文件清单) assigns to this procedure")
    elif not NUMBER_PATTERN.match(proc.number):
        yield error(pos, "header-number", f"document number '{proc.number}' does not follow the pattern PREFIX-PART[-PART]",
                    "upper-case letters and digits in two to four parts joined by '-' (PREFIX-PART-NN)")


def effective_date(proc: Procedure):
    if not proc.effective_date:
        yield error(proc.pos, "header-effective-date", "the effective date (生效日期) is missing",
                    "add 'effective_date: YYYY-MM-DD'")


def dates_are_real(proc: Procedure):
    candidates = [("effective_date", proc.effective_date, proc.key_pos.get("effective_date")),
                  ("review_due", proc.review_due, proc.key_pos.get("review_due"))]
    if proc.approval:
        candidates += [(k, s.date, s.pos) for k, s in proc.approval.lines() if s]
    candidates += [(f"revision {r.version}", r.date, r.pos) for r in proc.revisions]
    for name, text, pos in candidates:
        if text and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) and parse_date(text) is None:
            yield error(pos or proc.pos, "date-invalid", f"{name}: '{text}' is not a calendar date")


def control_objectives(proc: Procedure):
    objectives = proc.objectives
    if objectives is None and proc.purpose is not None:
        return  # a standard-layout procedure states its purpose (目的) instead of A/Q/C/T/R objectives
    if objectives is None:
        yield error(proc.pos, "objectives-incomplete", "control objectives (控制目标) are missing",
                    "add objectives: with statement and A, Q, C, T, R (a gap where the source states none), "
                    "or purpose: for a standard-layout procedure")
        return
    for aspect in OBJECTIVE_ASPECTS:
        if objectives.aspects.get(aspect) is None:
            yield error(objectives.pos, "objectives-incomplete", f"control objective {ASPECT_NAMES[aspect]} is blank",
                        "state the measurable objective for this aspect")


def periodic_review(proc: Procedure, today: dt.date):
    due = parse_date(proc.review_due)
    if proc.review_due is None:
        yield warning(proc.pos, "review-due", "no periodic review date (review_due) is set",
                      "add 'review_due: YYYY-MM-DD', usually a year after the effective date")
    elif due and due < today:
        yield warning(proc.key_pos.get("review_due", proc.pos), "review-overdue",
                      f"periodic review was due on {proc.review_due}",
                      "review the procedure, then issue a new revision or extend review_due")


# Registered here rather than with @rule: mutation testing (make mutants) cannot mutate a decorated function.
rule(file_name, document_number, effective_date, dates_are_real, control_objectives)
dated_rule(periodic_review)

"""Approval rules: one source for who approved the revision in force, and when.

The header approval block (编制 / 审核 / 批准, each a name and a date) is what a printed copy
shows; the newest revision-log entry is the record of the same approval. Both are written
in the source (the header reads like the paper form a QA manager knows), and these rules
require them to agree: drafted by = changed by, reviewed by = reviewed by, approved by =
approved by, and the entry's date = the approval date. Dates run drafted ≤ reviewed ≤
approved ≤ effective. Names must be names, not placeholders, and the person who made a
change may not approve it unless the procedure states why (``self_approval_reason``).

Only the header and the newest entry are checked for placeholders and self-approval:
older entries are the published record and are never rewritten; a past lapse is fixed
forward by a new revision.
"""
from __future__ import annotations

import re

from ..source.diagnostics import Position, error
from ..source.model import Procedure, Revision, Signature
from .registry import rule
from .header import parse_date

APPROVAL_NAMES = {"drafted_by": "drafted by (编制)", "reviewed_by": "reviewed by (审核)",
                  "approved_by": "approved by (批准)"}
# The entry field that records the same person as each header line.
ENTRY_FIELD = {"drafted_by": "changed_by", "reviewed_by": "reviewed_by", "approved_by": "approved_by"}
ENTRY_NAMES = {"changed_by": "changed by (修改人)", "reviewed_by": "reviewed by (审核人)",
               "approved_by": "approved by (批准人)"}

# Stand-ins for a name that is not known yet or not recorded. Matched against the whole name,
# ignoring case, spaces and surrounding brackets; a real name never matches.
PLACEHOLDER = re.compile(
    r"""(?ix)^(
        tb[dac] | to\ be\ (determined|decided|confirmed|announced) | n/?a | none | null | nil | unknown | anonymous
      | not\ (recorded|known|assigned|applicable) | name | someone | somebody | (first|last|full)\ ?name | todo | fixme
      | x+ | [-‐‑–—―_.·…?？*/\\=~]+ | 0+
      | 待定 | 待填 | 待补 | 待补充 | 待确认 | 待签 | 待批 | 未定 | 暂定 | 未知 | 不详 | 无 | 空 | 略 | 某某 | 某人 | 某 | 姓名
      | 未记载 | 未记录 | 未填 | 未填写 | 张三 | 李四 | 王五 | 赵六
    )$""")
_BRACKETS = "()（）[]【】<>《》{}\"'“”‘’"


def is_placeholder(name: str) -> bool:
    """True when ``name`` stands in for a person rather than naming one (TBD, 待定, -, ?, xxx, ...)."""
    core = re.sub(r"\s+", " ", name.strip(_BRACKETS + " \t")).strip()
    if not core:
        return True
    # "未记载 (not recorded)": each part on its own is a placeholder.
    parts = [p.strip(_BRACKETS + " ") for p in re.split(r"[()（）\[\]【】/、,，;；]", core)]
    parts = [p for p in parts if p]
    return bool(PLACEHOLDER.match(core)) or bool(parts) and all(PLACEHOLDER.match(p) for p in parts)


def _same_person(a: str | None, b: str | None) -> bool:
    return bool(a and b) and re.sub(r"\s+", "", a).casefold() == re.sub(r"\s+", "", b).casefold()


def _entry_pos(rev: Revision, key: str) -> Position:
    return rev.key_pos.get(key, rev.pos)


def approval_block(proc: Procedure):
    approval = proc.approval
    for key, label in APPROVAL_NAMES.items():
        sig = getattr(approval, key) if approval else None
        pos = sig.pos if sig else (approval.pos if approval else proc.pos)
        if sig is None or not sig.name or not sig.date:
            missing = " and ".join(w for w, v in (("name", sig and sig.name), ("date", sig and sig.date)) if not v)
            yield error(pos, "approval-block", f"approval block: {label} has no {missing}",
                        f"fill in approval: {key}: {{name: ..., date: YYYY-MM-DD}}")


def approval_dates_in_order(proc: Procedure):
    """drafted ≤ reviewed ≤ approved ≤ effective: nobody signs what is not yet written."""
    approval = proc.approval
    if approval is None:
        return
    signed: list[tuple[str, str, Signature]] = [(k, APPROVAL_NAMES[k], s) for k, s in approval.lines()
                                                if s and parse_date(s.date)]
    for (_, before_label, before), (_, label, sig) in zip(signed, signed[1:]):
        if parse_date(sig.date) < parse_date(before.date):
            yield error(sig.pos, "approval-date",
                        f"approval block: {label} is dated {sig.date}, before {before_label}, dated {before.date}",
                        "approval dates run drafted ≤ reviewed ≤ approved: correct the date that is wrong")
    effective = parse_date(proc.effective_date)
    for _, label, sig in signed:
        if effective and parse_date(sig.date) > effective:
            yield error(sig.pos, "approval-date",
                        f"approval block: {label} is dated {sig.date}, after the effective date {proc.effective_date}",
                        "a procedure must be approved before it takes effect")


def header_matches_newest_entry(proc: Procedure):
    """The header block and the newest entry record one approval: same people, same date."""
    if proc.approval is None or not proc.revisions:
        return
    newest = proc.revisions[-1]
    if newest.version != proc.version:
        return  # revision-version reports it; comparing with another version's entry would mislead
    for key, sig in proc.approval.lines():
        field = ENTRY_FIELD[key]
        entry_name = getattr(newest, field)
        if sig is None or not sig.name or not entry_name or is_placeholder(sig.name) or is_placeholder(entry_name):
            continue  # approval-block, revision-incomplete or approval-placeholder reports it
        if not _same_person(sig.name, entry_name):
            yield error(sig.pos, "approval-mismatch",
                        f"approval block: {APPROVAL_NAMES[key]} is '{sig.name}', but the newest revision entry "
                        f"({newest.version}, line {newest.pos.line}) has {ENTRY_NAMES[field]} '{entry_name}'",
                        "the header and the newest entry record the same approval: "
                        "correct whichever is wrong so both name the same person")
    approved = proc.approval.approved_by
    if approved and approved.date and newest.date and parse_date(approved.date) and parse_date(newest.date) \
            and approved.date != newest.date:
        yield error(_entry_pos(newest, "date"), "approval-mismatch",
                    f"revision {newest.version} is dated {newest.date}, but the approval block says it was approved "
                    f"on {approved.date} (line {approved.pos.line})",
                    "a revision's date is the day it was approved: make both dates the same")


def approval_names_are_names(proc: Procedure):
    if proc.approval:
        for key, sig in proc.approval.lines():
            if sig and sig.name and is_placeholder(sig.name):
                yield error(sig.pos, "approval-placeholder",
                            f"approval block: {APPROVAL_NAMES[key]} '{sig.name}' is a placeholder, not a name",
                            "a published revision names the people who drafted, reviewed and approved it; "
                            "until they have signed, the revision is a draft")
    if proc.revisions:
        newest = proc.revisions[-1]
        for field, label in ENTRY_NAMES.items():
            name = getattr(newest, field)
            if name and is_placeholder(name):
                yield error(_entry_pos(newest, field), "approval-placeholder",
                            f"revision {newest.version}: {label} '{name}' is a placeholder, not a name",
                            "record the person's name as signed on the approval")


def no_self_approval(proc: Procedure):
    if proc.self_approval_reason is not None:
        return
    hint = ("the person who made a change may not approve it: name another approver, or, where one person "
            "must do both, state why in self_approval_reason: {zh: ..., en: ...}")
    approval = proc.approval
    if approval and approval.drafted_by and approval.approved_by \
            and _same_person(approval.drafted_by.name, approval.approved_by.name) \
            and not is_placeholder(approval.approved_by.name):
        yield error(approval.approved_by.pos, "self-approval",
                    f"approval block: '{approval.approved_by.name}' both drafted and approved this revision", hint)
    if proc.revisions:
        newest = proc.revisions[-1]
        if _same_person(newest.changed_by, newest.approved_by) and not is_placeholder(newest.approved_by):
            yield error(_entry_pos(newest, "approved_by"), "self-approval",
                        f"revision {newest.version}: '{newest.approved_by}' both made and approved the change", hint)


# Registered here rather than with @rule: mutation testing (make mutants) cannot mutate a decorated function.
rule(approval_block, approval_dates_in_order, header_matches_newest_entry, approval_names_are_names, no_self_approval)

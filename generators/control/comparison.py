"""Comparing any two revisions for an auditor: the changes in procedure terms (``changes.compare``)
and a redline of the text, line by line, in one language."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..model import Procedure


@dataclass(frozen=True)
class RedlineLine:
    kind: str  # "same", "removed", "added"
    text: str


def _t(text, lang: str) -> str:
    return text[lang] if text else ""


def outline(proc: Procedure, lang: str) -> list[str]:
    """The revision as plain text lines, in the order of the printed procedure (one fact a line)."""
    role = lambda role_id: proc.role(role_id).name[lang] if proc.role(role_id) else (role_id or "—")

    def output(item_id: str) -> str:
        item = proc.document(item_id) or proc.form(item_id)
        return _t(item.title, lang) if item is not None and item.title else item_id

    def target(step_id: str) -> str:
        step = proc.step(step_id)
        return f"{step.number}. {_t(step.title, lang)}" if step else ("end" if lang == "en" else "结束")

    lines = [f"{proc.number} {_t(proc.title, lang)}", f"scope: {_t(proc.scope, lang)}"]
    if proc.objectives:
        lines.append(f"objectives: {_t(proc.objectives.statement, lang)}")
        lines += [f"  {a}: {_t(t, lang)}" for a, t in proc.objectives.aspects.items()]
    lines += [f"role: {r.name[lang]} — {_t(r.duties, lang)}" for r in proc.roles]
    lines += [f"control point: {_t(c.text, lang)}" for c in proc.control_points]
    for step in proc.steps:
        lines.append(f"step {step.number}. {_t(step.title, lang)} — {role(step.owner)}")
        if step.description:
            lines.append(f"  {_t(step.description, lang)}")
        lines += [f"  {step.number}.{i} {_t(s, lang)}" for i, s in enumerate(step.substeps, 1)]
        if step.outputs:
            lines.append(f"  outputs: {', '.join(output(o) for o in step.outputs)}")
        if step.decision:
            lines.append(f"  decision: {_t(step.decision, lang)}")
        lines += [f"  next: {target(link.target)}" + (f" ({_t(link.when, lang)})" if link.when else "") for link in step.next]
    for doc in proc.documents:
        lines.append(f"document: {_t(doc.title, lang) or doc.id} — {role(doc.producer)} → "
                     f"{', '.join(role(r) for r in doc.recipients)}; {_t(doc.deadline, lang)}; {_t(doc.content, lang)}")
    for form in proc.forms:
        lines.append(f"form: {form.number} {form.version} {_t(form.title, lang)} — {role(form.owner)}; "
                     f"{_t(form.retention, lang)}; {_t(form.storage, lang)}")
        lines += [f"  field: {f.label[lang]} ({f.type})" for f in form.fields]
    return lines


def redline(old: list[str], new: list[str]) -> list[RedlineLine]:
    """Every line of both texts, marked unchanged, removed or added (changed lines: removed, then added)."""
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            out += [RedlineLine("same", line) for line in old[i1:i2]]
        else:
            out += [RedlineLine("removed", line) for line in old[i1:i2]]
            out += [RedlineLine("added", line) for line in new[j1:j2]]
    return out

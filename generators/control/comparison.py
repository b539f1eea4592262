"""Comparing any two revisions for an auditor: the changes in procedure terms (``changes.compare``)
and a redline of the text, line by line, in one language."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from .changes import document_name
from ..source.labels import label
from ..source.model import Procedure


@dataclass(frozen=True)
class RedlineLine:
    kind: str  # "same", "removed", "added"
    text: str


def _t(text, lang: str) -> str:
    return text[lang] if text else ""


def outline(proc: Procedure, lang: str) -> list[str]:
    """The revision as plain text lines, in the order of the printed procedure (one fact a line),
    labelled in ``lang`` from the one labels table (full-width punctuation in Chinese)."""
    # An owner the revision's roles list never declared (a gap of its time) is said so, not shown by id.
    def role(role_id: str | None) -> str:
        party = proc.role(role_id) or proc.external(role_id) if role_id else None
        return party.name[lang] if party else str(label("undeclared_role", lang)) if role_id else "—"
    colon, semicolon = label("colon", lang), label("semicolon", lang)
    listed = "、" if lang == "zh" else ", "

    def named(key: str, value: str) -> str:
        return f"{label(key, lang)}{colon}{value}"

    def output(item_id: str) -> str:
        item = proc.document(item_id) or proc.form(item_id)
        return _t(item.title, lang) if item is not None and item.title else item_id

    def target(step_id: str) -> str:
        step = proc.step(step_id)
        return f"{step.number}. {_t(step.title, lang)}" if step else str(label("end", lang))

    lines = [f"{proc.number} {_t(proc.title, lang)}", named("scope", _t(proc.scope, lang))]
    if proc.objectives:
        lines.append(named("objectives", _t(proc.objectives.statement, lang)))
        lines += [f"  {named(f'aspect_{a}', _t(t, lang))}" for a, t in proc.objectives.aspects.items()]
    lines += [named("role", f"{r.name[lang]} — {_t(r.duties, lang)}") for r in proc.roles]
    lines += [named("control_point", _t(c.text, lang)) for c in proc.control_points]
    for step in proc.steps:
        lines.append(f"{label('step', lang)} {step.number}. {_t(step.title, lang)} — {role(step.owner)}")
        if step.description:
            lines.append(f"  {_t(step.description, lang)}")
        lines += [f"  {step.number}.{i} {_t(s, lang)}" for i, s in enumerate(step.substeps, 1)]
        if step.outputs:
            lines.append(f"  {named('outputs', listed.join(output(o) for o in step.outputs))}")
        if step.decision:
            lines.append(f"  {named('decision', _t(step.decision, lang))}")
        lines += [f"  {named('next', target(link.target))}"
                  + (f"{label('lparen', lang)}{_t(link.when, lang)}{label('rparen', lang)}" if link.when else "")
                  for link in step.next]
    for doc in proc.documents:
        lines.append(named("document_short", f"{document_name(doc, lang)} — {role(doc.producer)} → "
                           f"{listed.join(role(r) for r in doc.recipients)}{semicolon}{_t(doc.deadline, lang)}"
                           f"{semicolon}{_t(doc.content, lang)}"))
    for form in proc.forms:
        lines.append(named("form", f"{form.number} {form.version} {_t(form.title, lang)} — {role(form.owner)}"
                           f"{semicolon}{_t(form.retention, lang)}{semicolon}{_t(form.storage, lang)}"))
        lines += [f"  {named('field', f.label[lang])}{label('lparen', lang)}{label('type_' + f.type, lang)}{label('rparen', lang)}"
                  for f in form.fields]
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

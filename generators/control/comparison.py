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
    depth: int = 0  # how deep the line sits in the outline (a clause's item, a step's detail): its indent


def _t(text, lang: str) -> str:
    return text[lang] if text else ""


def outline(proc: Procedure, lang: str) -> list[str]:
    """The revision as plain text lines, in the order of the printed procedure (one fact a line), every
    section, labelled in ``lang`` from the one labels table (full-width punctuation in Chinese)."""
    # An owner the revision's roles list never declared (a gap of its time) is said so, not shown by id.
    def role(role_id: str | None, gap=None) -> str:
        if not role_id:
            return _t(gap, lang) or "—"
        party = proc.role(role_id) or proc.external(role_id)
        return party.name[lang] if party else str(label("undeclared_role", lang))
    colon, semicolon = label("colon", lang), label("semicolon", lang)
    listed = "、" if lang == "zh" else ", "

    def named(key: str, value: str) -> str:
        return f"{label(key, lang)}{colon}{value}"

    def bracketed(text: str) -> str:
        return f"{label('lparen', lang)}{text}{label('rparen', lang)}" if text else ""

    def output(item_id: str) -> str:
        document = proc.document(item_id)
        if document:
            return document_name(document, lang)  # an untitled document by its content
        form = proc.form(item_id)
        return _t(form.title, lang) if form and form.title else item_id

    def target(step_id: str) -> str:
        step = proc.step(step_id)
        if step:
            return f"{step.number}. {_t(step.title, lang)}"
        end = proc.end(step_id)
        return _t(end.title, lang) if end and end.title else str(label("end", lang))

    def parts(*pairs) -> str:
        """Labelled facts of one line ("保存期限：3年；存放地点：档案室"), those the revision gives."""
        return "".join(f"{semicolon}{named(key, value)}" for key, value in pairs if value)

    def gap(key: str, section) -> list[str]:
        return [named(key, _t(section.gap, lang))] if section.gap else []

    def nested(items, depth: int) -> list[str]:
        """Clauses and sub-steps at every depth: the source's own number, title and text, indented."""
        lines = []
        for item in items:
            title = getattr(item, "title", None)
            own = " ".join(p for p in (item.number, _t(title, lang), _t(item.text, lang)) if p)
            lines.append("  " * depth + own)
            lines += nested(item.items if hasattr(item, "items") else item.substeps, depth + 1)
        return lines

    lines = [f"{proc.number} {_t(proc.title, lang)}"]
    lines += [named(key, getattr(proc, key)) for key in ("effective_date", "review_due") if getattr(proc, key)]
    if proc.department:
        lines.append(named("department", _t(proc.department, lang)))
    if proc.purpose:
        lines.append(named("purpose", _t(proc.purpose, lang)))
    if proc.scope:
        lines.append(named("scope", _t(proc.scope, lang)))
    lines += gap("responsibilities", proc.responsibilities)
    for duty in proc.responsibilities:
        who = listed.join(role(r) for r in duty.roles) or role(None, duty.gap)
        lines.append(named("responsibilities", " ".join(p for p in (duty.number, who) if p)
                           + (f" — {_t(duty.text, lang)}" if duty.text else "")))
        lines += nested(duty.items, 1)
    lines += gap("definitions", proc.definitions)
    lines += [named("term", " ".join(p for p in (d.number, _t(d.term, lang)) if p)
                    + (f" — {_t(d.definition, lang)}" if d.definition else "")) for d in proc.definitions]
    if proc.objectives:
        lines.append(named("objectives", _t(proc.objectives.statement, lang)))
        lines += [f"  {named(f'aspect_{a}', _t(t, lang))}" for a, t in proc.objectives.aspects.items()]
    lines += [named("role", f"{r.name[lang]}{bracketed(_t(r.department, lang))}" + (f" — {_t(r.duties, lang)}" if r.duties else ""))
              for r in proc.roles]
    lines += [named("externals", f"{x.name[lang]}{bracketed(str(label('external_' + x.kind, lang)))}") for x in proc.externals]
    for point in proc.control_points:
        lines.append(named("control_point", _t(point.text, lang)))
        if point.steps:
            lines.append(f"  {named('applies_to', listed.join(target(s) for s in point.steps))}")
    if proc.clauses_title:  # the source's own heading for its clauses (控制要求)
        lines.append(_t(proc.clauses_title, lang))
    lines += gap("clauses", proc.clauses)
    lines += nested(proc.clauses, 0)
    lines += [named("start", f"{_t(s.trigger, lang)}{bracketed(role(s.by) if s.by else '')} → {target(s.to)}")
              for s in proc.starts]
    for step in proc.steps:
        clause = bracketed(f"{label('clause_no', lang)} {step.clause}") if step.clause else ""
        lines.append(f"{label('step', lang)} {step.number}. {_t(step.title, lang)}{clause} — {role(step.owner, step.gaps.get('owner'))}")
        if step.participants:
            taking_part = listed.join(role(p.role) + bracketed(str(label("part_" + p.part, lang))) for p in step.participants)
            lines.append(f"  {named('participants', taking_part)}")
        if step.description:
            lines.append(f"  {_t(step.description, lang)}")
        lines += nested(step.substeps, 1)
        for key, ids, texts in (("inputs", step.inputs, step.input_texts), ("outputs", step.outputs, step.output_texts)):
            if ids or texts:
                lines.append(f"  {named(key, listed.join([output(i) for i in ids] + [_t(t, lang) for t in texts]))}")
        if step.decision:
            lines.append(f"  {named('decision', _t(step.decision, lang))}")
        lines += [f"  {named('next', target(link.target))}" + bracketed(_t(link.when, lang)) for link in step.next]
        if step.parallel:
            lines.append(f"  {label('in_parallel', lang)}")
        if step.join:
            lines.append(f"  {label('joins', lang)}")
    for end in proc.ends:
        taking_over = end.procedure and " ".join(p for p in (end.procedure.number, _t(end.procedure.title, lang)) if p)
        handed = f" → {taking_over}" if taking_over else ""
        lines.append(named("end", f"{_t(end.title, lang) or label('end_' + end.kind, lang)}"
                                  f"{bracketed(str(label('end_' + end.kind, lang)))}{handed}"))
    for doc in proc.documents:
        recipients = listed.join(role(r) for r in doc.recipients) or role(None, doc.gaps.get("recipient"))
        lines.append(named("document_short", f"{document_name(doc, lang)} — {role(doc.producer, doc.gaps.get('producer'))} → "
                           f"{recipients}" + parts(("deadline", _t(doc.deadline, lang)), ("content", _t(doc.content, lang)),
                                                   ("form", output(doc.form) if doc.form else ""))))
    for form in proc.forms:
        lines.append(named("form", f"{form.number} {form.version} {_t(form.title, lang)} — {role(form.owner, form.gaps.get('owner'))}"
                           + parts(("retention", _t(form.retention, lang)), ("storage", _t(form.storage, lang)),
                                   ("disposal", _t(form.disposal, lang)), ("rows", str(form.rows or "")))))
        for key, fields in (("field", form.fields), ("columns", form.columns), ("footer_fields", form.footer)):
            lines += [f"  {named(key, f.label[lang])}{bracketed(str(label('type_' + f.type, lang)))}"
                      + (f"{colon}{listed.join(o[lang] for o in f.options)}" if f.options else "") for f in fields]
    lines += [named("references", " ".join(p for p in (r.number, _t(r.title, lang)) if p)) for r in proc.references]
    lines += gap("related_documents", proc.related_documents)
    for doc in proc.related_documents:
        edition = doc.edition if isinstance(doc.edition, str) else _t(doc.edition, lang)
        lines.append(named("related_documents", " ".join(p for p in (doc.number, _t(doc.title, lang)) if p)
                           + bracketed(listed.join(p for p in (str(label("related_" + doc.kind, lang)), edition,
                                                                _t(doc.issuer, lang)) if p))))
    lines += gap("records", proc.records)
    for record in proc.records:
        form = proc.form(record.form) if record.form else None
        name = _t(form.title if form else record.title, lang) or record.form or ""
        lines.append(named("records", " ".join(p for p in (record.number, name) if p)
                           + f" — {role(record.keeper, record.gaps.get('keeper'))}"
                           + parts(("retention", _t(record.retention, lang)), ("storage", _t(record.storage, lang)),
                                   ("disposal", _t(record.disposal, lang)))))
    return lines


def redline(old: list[str], new: list[str]) -> list[RedlineLine]:
    """Every line of both texts, marked unchanged, removed or added (changed lines: removed, then added)."""
    def marked(kind: str, line: str) -> RedlineLine:
        return RedlineLine(kind, line, (len(line) - len(line.lstrip(" "))) // 2)

    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            out += [marked("same", line) for line in old[i1:i2]]
        else:
            out += [marked("removed", line) for line in old[i1:i2]]
            out += [marked("added", line) for line in new[j1:j2]]
    return out

"""What changed between two revisions of a procedure, in the procedure's own terms."""
from __future__ import annotations

from dataclasses import dataclass

from ..source.labels import label
from ..source.model import Procedure, Text


@dataclass(frozen=True)
class Change:
    """One change: a bilingual summary line, and the old and new text where a text changed."""

    summary: dict  # lang -> text, e.g. "step 4 owner: 项目策划主管 → 市场营销部经理"
    old: str | None = None
    new: str | None = None


def _both(zh: str, en: str) -> dict:
    return {"zh": zh, "en": en}


def _role(proc: Procedure, role_id: str, lang: str) -> str:
    party = proc.role(role_id) or proc.external(role_id)  # an outside party may produce or receive
    return party.name[lang] if party else str(label("undeclared_role", lang))


def _role_change(label_zh: str, label_en: str, old: Procedure, new: Procedure,
                 before: tuple[str, ...], after: tuple[str, ...]) -> list[Change]:
    """A change of the role(s) in charge of something, named as the roles were then and are now."""
    if before == after:
        return []

    def names(proc: Procedure, ids: tuple[str, ...], lang: str) -> str:
        return ("、" if lang == "zh" else ", ").join(_role(proc, r, lang) for r in ids) or "—"

    return [Change(_both(f"{label_zh}：{names(old, before, 'zh')} → {names(new, after, 'zh')}",
                         f"{label_en}: {names(old, before, 'en')} → {names(new, after, 'en')}"))]


def _text_change(label_zh: str, label_en: str, old: Text | None, new: Text | None) -> list[Change]:
    if (old.zh if old else None, old.en if old else None) == (new.zh if new else None, new.en if new else None):
        return []
    if old is None:
        return [Change(_both(f"{label_zh}新增：{new.zh}", f"{label_en} added: {new.en}"), None, new.zh)]
    if new is None:
        return [Change(_both(f"{label_zh}删除", f"{label_en} removed"), old.zh, None)]
    if old.zh == new.zh:
        return [Change(_both(f"{label_zh}（英文译文）修改", f"{label_en}: English translation changed"), old.en, new.en)]
    return [Change(_both(f"{label_zh}修改", f"{label_en} changed"), old.zh, new.zh)]


def compare(old: Procedure, new: Procedure) -> list[Change]:
    """The changes from ``old`` to ``new``: header, roles, steps, documents, forms."""
    out: list[Change] = []
    for key, zh, en in (("number", "编号", "number"), ("effective_date", "生效日期", "effective date"),
                        ("review_due", "复审日期", "review due")):
        before, after = getattr(old, key), getattr(new, key)
        if before != after:
            out.append(Change(_both(f"{zh}：{before or '—'} → {after or '—'}", f"{en}: {before or '—'} → {after or '—'}")))
    out += _text_change("标题", "title", old.title, new.title)
    out += _text_change("范围", "scope", old.scope, new.scope)
    for aspect in "AQCTR":
        out += _text_change(f"控制目标 {aspect}", f"control objective {aspect}",
                            old.objectives.aspects.get(aspect) if old.objectives else None,
                            new.objectives.aspects.get(aspect) if new.objectives else None)
    out += _roles(old, new) + _steps(old, new) + _documents(old, new) + _forms(old, new)
    return out


def _added_removed(kind_zh: str, kind_en: str, old_items, new_items, name) -> list[Change]:
    old_ids, new_ids = {i.id for i in old_items}, {i.id for i in new_items}
    out = []
    for item in new_items:
        if item.id not in old_ids:
            out.append(Change(_both(f"{kind_zh}新增：{name(item, 'zh')}", f"{kind_en} added: {name(item, 'en')}")))
    for item in old_items:
        if item.id not in new_ids:
            out.append(Change(_both(f"{kind_zh}删除：{name(item, 'zh')}", f"{kind_en} removed: {name(item, 'en')}")))
    return out


def _roles(old: Procedure, new: Procedure) -> list[Change]:
    out = _added_removed("岗位", "role", old.roles, new.roles, lambda r, lang: r.name[lang])
    for role in new.roles:
        before = old.role(role.id)
        if before:
            out += _text_change(f"岗位 {before.name.zh} 名称", f"role {before.name.en} name", before.name, role.name)
    return out


def _step_name(step, lang: str) -> str:
    return f"{step.number} {step.title[lang]}" if lang == "zh" else f"{step.number} ({step.title[lang]})"


def _outputs(proc: Procedure, ids: tuple[str, ...], lang: str, other: Procedure | None = None) -> str:
    """Outputs named as readers know them: the title this revision gives, else the one the other
    revision gives (an earlier revision may list outputs it never declared); the id only where neither has one."""
    def name(output_id: str) -> str:
        for source in (proc, other):
            document = source and source.document(output_id)
            if document:
                return document_name(document, lang)  # an untitled document by its content, never its id
            form = source and source.form(output_id)
            title = form.title[lang] if form else ""  # a missing title loads as empty text
            if title:
                return title
        return output_id
    return ("、" if lang == "zh" else ", ").join(name(i) for i in ids) or "—"


def _targets(proc: Procedure, ids: list[str], lang: str) -> str:
    """Flow targets named as printed: "3 Title" (or "end")."""
    def name(step_id: str) -> str:
        step = proc.step(step_id)
        return _step_name(step, lang) if step else ("结束" if lang == "zh" else "end") if step_id == "end" else step_id
    # never empty: a step without next: falls through to the following step, the last one to the end
    return ("、" if lang == "zh" else ", ").join(name(i) for i in ids)


def _steps(old: Procedure, new: Procedure) -> list[Change]:
    out = _added_removed("步骤", "step", old.steps, new.steps, _step_name)
    for step in new.steps:
        before = old.step(step.id)
        if before is None:
            continue
        zh, en = f"步骤{_step_name(step, 'zh')}", f"step {_step_name(step, 'en')}"
        out += _role_change(f"{zh} 负责人", f"{en} owner", old, new, (before.owner,) if before.owner else (),
                            (step.owner,) if step.owner else ())
        out += _text_change(f"{zh} 标题", f"{en} title", before.title, step.title)
        out += _text_change(f"{zh} 说明", f"{en} description", before.description, step.description)
        if [s.zh for s in before.substeps] != [s.zh for s in step.substeps] or [s.en for s in before.substeps] != [s.en for s in step.substeps]:
            out.append(Change(_both(f"{zh} 子步骤修改", f"{en} sub-steps changed"),
                              "\n".join(s.zh for s in before.substeps), "\n".join(s.zh for s in step.substeps)))
        if before.outputs != step.outputs:
            out.append(Change(_both(f"{zh} 输出：{_outputs(old, before.outputs, 'zh', new)} → {_outputs(new, step.outputs, 'zh', old)}",
                                    f"{en} outputs: {_outputs(old, before.outputs, 'en', new)} → {_outputs(new, step.outputs, 'en', old)}")))
        flow_before = [l.target for l in old.successors(before)]
        flow_after = [l.target for l in new.successors(step)]
        # Implicit fall-through follows list order: a step added or removed says it already.
        if (before.next or step.next) and flow_before != flow_after:
            out.append(Change(_both(f"{zh} 下一步：{_targets(old, flow_before, 'zh')} → {_targets(new, flow_after, 'zh')}",
                                    f"{en} next: {_targets(old, flow_before, 'en')} → {_targets(new, flow_after, 'en')}")))
    return out


def document_name(doc, lang: str) -> str:
    """A document as readers know it: its title; one without a title by its content, never its id."""
    if doc.title:
        return doc.title[lang]
    if doc.content:
        return f"{label('untitled_document', lang)}{label('lparen', lang)}{doc.content[lang]}{label('rparen', lang)}"
    return str(label("untitled_document", lang))


def _documents(old: Procedure, new: Procedure) -> list[Change]:
    out = _added_removed("文档", "document", old.documents, new.documents, document_name)
    for doc in new.documents:
        before = old.document(doc.id)
        if before is None:
            continue
        zh, en = f"文档 {document_name(doc, 'zh')}", f"document {document_name(doc, 'en')}"
        out += _role_change(f"{zh} 编制", f"{en} producer", old, new, (before.producer,) if before.producer else (),
                            (doc.producer,) if doc.producer else ())
        out += _role_change(f"{zh} 提交对象", f"{en} recipient", old, new, before.recipients, doc.recipients)
        if before.deadline is None and doc.deadline is not None:
            out.append(Change(_both(f"{zh} 提交时限新增：{doc.deadline.zh}", f"{en} deadline added: {doc.deadline.en}")))
        else:
            out += _text_change(f"{zh} 提交时限", f"{en} deadline", before.deadline, doc.deadline)
        out += _text_change(f"{zh} 名称", f"{en} title", before.title, doc.title)
        out += _text_change(f"{zh} 主要内容", f"{en} content", before.content, doc.content)
    return out


def _forms(old: Procedure, new: Procedure) -> list[Change]:
    out = _added_removed("表单", "form", old.forms, new.forms, lambda f, lang: f.title[lang])
    for form in new.forms:
        before = old.form(form.id)
        if before is None:
            continue
        zh, en = f"表单 {form.title.zh}", f"form {form.title.en}"
        if (before.number, before.version) != (form.number, form.version):
            out.append(Change(_both(f"{zh} 编号/版号：{before.number} {before.version} → {form.number} {form.version}",
                                    f"{en} number/version: {before.number} {before.version} → {form.number} {form.version}")))
        out += _text_change(f"{zh} 保存期限", f"{en} retention", before.retention, form.retention)
        if [(f.id, f.label.zh, f.type) for f in before.fields] != [(f.id, f.label.zh, f.type) for f in form.fields]:
            out.append(Change(_both(f"{zh} 栏目修改", f"{en} fields changed"),
                              "、".join(f.label.zh for f in before.fields), "、".join(f.label.zh for f in form.fields)))
    return out

"""Form rules: every named form is defined, every defined form is used, forms are well-formed."""
from __future__ import annotations

from ..source.diagnostics import error
from ..source.model import Procedure
from .registry import rule


def document_forms_exist(proc: Procedure):
    forms = {f.id for f in proc.forms}
    for doc in proc.documents:
        if doc.form and doc.form not in forms:
            yield error(doc.key_pos.get("form", doc.pos), "unknown-form",
                        f"document '{doc.id}': form '{doc.form}' is not defined", "define it under forms:")


def no_orphan_forms(proc: Procedure):
    named = {o for s in proc.steps for o in s.outputs} | {d.form for d in proc.documents}
    for form in proc.forms:
        if form.id not in named:
            yield error(form.pos, "form-orphan", f"form '{form.id}' ({form.title.zh}) is named by no step or document",
                        "list it in a step's outputs: or a document's form:, or remove it")


def form_details(proc: Procedure):
    roles = {r.id for r in proc.roles}
    for form in proc.forms:
        if form.missing:
            continue  # an unresolved {ref:}: shared_refs reports it
        if form.owner and form.owner not in roles:
            yield error(form.pos, "form-owner", f"form '{form.id}': owner '{form.owner}' is not a declared role")
        if form.retention is None:
            yield error(form.pos, "form-retention", f"form '{form.id}' has no retention period (保存期限)")
        for field in form.fields:
            if field.type == "choice" and not field.options:
                yield error(field.pos, "form-field", f"form '{form.id}': choice field '{field.id}' has no options",
                            "add options: [{zh: ..., en: ...}, ...]")


# Registered here rather than with @rule: mutation testing (make mutants) cannot mutate a decorated function.
rule(document_forms_exist, no_orphan_forms, form_details)

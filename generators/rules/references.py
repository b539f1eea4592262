"""Reference rules: unique ids, owners, producers, recipients and deadlines, declared roles."""
from __future__ import annotations

import difflib

from ..diagnostics import error, warning
from ..model import Procedure
from . import rule


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    if close:
        return f"did you mean '{close[0]}'?"
    return "declared roles: " + (", ".join(known) if known else "(none)")


def role_ids(proc: Procedure) -> list[str]:
    return [r.id for r in proc.roles]


@rule
def unique_ids(proc: Procedure):
    kinds = {"role": proc.roles, "step": proc.steps, "document": proc.documents, "form": proc.forms,
             "control point": proc.control_points}
    for kind, items in kinds.items():
        first: dict[str, int] = {}
        for item in items:
            if not item.id:
                continue
            if item.id in first:
                yield error(item.pos, "duplicate-id", f"{kind} id '{item.id}' is used twice",
                            f"the first {kind} '{item.id}' is at line {first[item.id]}; give each {kind} its own id")
            first.setdefault(item.id, item.pos.line)
    for form in proc.forms:
        seen: set[str] = set()
        for f in form.fields:
            if f.id in seen:
                yield error(f.pos, "duplicate-id", f"form '{form.id}': field id '{f.id}' is used twice")
            seen.add(f.id)
    # Steps, documents and forms share one namespace in outputs and page anchors.
    shared: dict[str, str] = {}
    for kind, items in (("document", proc.documents), ("form", proc.forms)):
        for item in items:
            if item.id in shared and shared[item.id] != kind:
                yield error(item.pos, "duplicate-id", f"{kind} id '{item.id}' is also a {shared[item.id]} id",
                            "documents and forms are both named in outputs, so their ids must differ")
            shared.setdefault(item.id, kind)


@rule
def step_owner(proc: Procedure):
    known = role_ids(proc)
    for step in proc.steps:
        if not step.owner:
            yield error(step.pos, "step-owner", f"step '{step.id}' ({step.title.zh}) has no owner (负责人)",
                        "add 'owner: <role id>' naming the role responsible for this step")
        elif step.owner not in known:
            yield error(step.owner_pos, "step-owner", f"step '{step.id}': owner '{step.owner}' is not a declared role",
                        _suggest(step.owner, known))


@rule
def document_flow(proc: Procedure):
    known = role_ids(proc)
    for doc in proc.documents:
        name = f"document '{doc.id}'"
        if doc.title is None:
            yield error(doc.pos, "document-title", f"{name} has no title (文档名称)", "add 'title: {zh: ..., en: ...}'")
        if not doc.producer:
            yield error(doc.pos, "document-producer", f"{name} has no producer (编制部门/人员)",
                        "add 'producer: <role id>'")
        elif doc.producer not in known:
            yield error(doc.key_pos.get("producer", doc.pos), "document-producer",
                        f"{name}: producer '{doc.producer}' is not a declared role", _suggest(doc.producer, known))
        if not doc.recipients:
            yield error(doc.pos, "document-recipient", f"{name} has no recipient (提交部门/人员)",
                        "add 'recipient: <role id>'")
        for recipient in doc.recipients:
            if recipient not in known:
                yield error(doc.key_pos.get("recipient", doc.pos), "document-recipient",
                            f"{name}: recipient '{recipient}' is not a declared role", _suggest(recipient, known))
        if doc.deadline is None:
            yield error(doc.pos, "document-deadline", f"{name} has no deadline or frequency (提交时限/频率)",
                        "add 'deadline: {zh: 每月5日前, en: By the 5th of each month}'")


@rule
def step_outputs(proc: Procedure):
    known = {d.id for d in proc.documents} | {f.id for f in proc.forms}
    for step in proc.steps:
        for output in step.outputs:
            if output not in known:
                close = difflib.get_close_matches(output, sorted(known), n=1, cutoff=0.6)
                yield error(step.outputs_pos, "unknown-output",
                            f"step '{step.id}': output '{output}' is not a declared document or form",
                            f"did you mean '{close[0]}'?" if close else "declare it under documents: or forms:")


@rule
def control_point_steps(proc: Procedure):
    steps = {s.id for s in proc.steps}
    for point in proc.control_points:
        for step_id in point.steps:
            if step_id not in steps:
                yield error(point.pos, "unknown-step", f"control point '{point.id}': step '{step_id}' does not exist")


@rule
def roles_used(proc: Procedure):
    used = {s.owner for s in proc.steps} | {d.producer for d in proc.documents} | {f.owner for f in proc.forms}
    used |= {r for d in proc.documents for r in d.recipients}
    for role in proc.roles:
        if role.id and role.id not in used:
            yield warning(role.pos, "role-unused",
                          f"role '{role.id}' ({role.name.zh}) owns no step, document or form and receives nothing",
                          "remove it from roles: or give it its part in the procedure")


@rule
def shared_refs(proc: Procedure):
    for item in list(proc.roles) + list(proc.forms):
        if item.missing:
            kind = "role" if item in proc.roles else "form"
            yield error(item.pos, "unknown-shared", f"{kind} reference '{item.id}' is not declared in _shared.yaml",
                        f"declare the {kind} in procedure/_shared.yaml, or declare it in this procedure")

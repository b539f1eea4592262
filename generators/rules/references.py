"""Reference rules: unique ids, owners, producers, recipients and deadlines, declared roles."""
from __future__ import annotations

import difflib

from ..source.diagnostics import error, warning
from ..source.model import Procedure
from .registry import rule


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    if close:
        return f"did you mean '{close[0]}'?"
    return "declared roles: " + (", ".join(known) if known else "(none)")


def role_ids(proc: Procedure) -> list[str]:
    return [r.id for r in proc.roles]


def party_ids(proc: Procedure) -> list[str]:
    """Roles and outside parties: who may produce or receive a document."""
    return [r.id for r in proc.roles] + [x.id for x in proc.externals]


def unique_ids(proc: Procedure):
    kinds = {"role": proc.roles, "step": proc.steps, "document": proc.documents, "form": proc.forms,
             "control point": proc.control_points, "end": proc.ends,
             "start": [s for s in proc.starts if s.id]}
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
        for f in form.all_fields:
            if f.id in seen:
                yield error(f.pos, "duplicate-id", f"form '{form.id}': field id '{f.id}' is used twice",
                            "give each field of the form its own id")
            seen.add(f.id)
    # Steps, documents and forms share one namespace in outputs and page anchors.
    shared: dict[str, str] = {}
    for kind, items in (("document", proc.documents), ("form", proc.forms)):
        for item in items:
            if item.id in shared and shared[item.id] != kind:
                yield error(item.pos, "duplicate-id", f"{kind} id '{item.id}' is also a {shared[item.id]} id",
                            "documents and forms are both named in outputs, so their ids must differ")
            shared.setdefault(item.id, kind)
    # Roles and outside parties share one namespace in producer:, recipient: and participants:.
    roles = {r.id for r in proc.roles}
    for party in proc.externals:
        if party.id in roles:
            yield error(party.pos, "duplicate-id", f"external party id '{party.id}' is also a role id",
                        "an outside party is not a role: give it its own id")
    # Steps and ends share one namespace in next:.
    steps = {s.id for s in proc.steps}
    for end in proc.ends:
        if end.id in steps or end.id == "end":
            yield error(end.pos, "duplicate-id", f"end id '{end.id}' is also "
                        + ("a step id" if end.id in steps else "the built-in end"),
                        "next: names steps and ends alike, so their ids must differ")


def step_owner(proc: Procedure):
    known = role_ids(proc)
    for step in proc.steps:
        if not step.owner and "owner" in step.gaps:
            continue  # a marked gap: the gap rule warns
        if not step.owner:
            yield error(step.pos, "step-owner", f"step '{step.id}' ({step.title.zh}) has no owner (负责人)",
                        "add 'owner: <role id>' naming the role responsible for this step")
        elif step.owner not in known:
            yield error(step.owner_pos, "step-owner", f"step '{step.id}': owner '{step.owner}' is not a declared role",
                        _suggest(step.owner, known))


def step_participants(proc: Procedure):
    known = party_ids(proc)
    for step in proc.steps:
        seen: set[str] = set()
        for participant in step.participants:
            if participant.role not in known:
                yield error(participant.pos, "step-participant",
                            f"step '{step.id}': participant '{participant.role}' is not a declared role or external party",
                            _suggest(participant.role, known))
            elif participant.role == step.owner:
                yield error(participant.pos, "step-participant",
                            f"step '{step.id}': '{participant.role}' is the step's owner and also a participant",
                            "the owner is accountable for the step; list only the other roles under participants:")
            elif participant.role in seen:
                yield error(participant.pos, "step-participant",
                            f"step '{step.id}': participant '{participant.role}' is listed twice",
                            "give each role one part in a step")
            seen.add(participant.role)


def document_flow(proc: Procedure):
    known = party_ids(proc)
    for doc in proc.documents:
        name = f"document '{doc.id}'"
        if doc.title is None:
            yield error(doc.pos, "document-title", f"{name} has no title (文档名称)", "add 'title: {zh: ..., en: ...}'")
        if "producer" in doc.gaps:
            pass  # a marked gap: the gap rule warns
        elif not doc.producer:
            yield error(doc.pos, "document-producer", f"{name} has no producer (编制部门/人员)",
                        "add 'producer: <role id>'")
        elif doc.producer not in known:
            yield error(doc.key_pos.get("producer", doc.pos), "document-producer",
                        f"{name}: producer '{doc.producer}' is not a declared role or external party",
                        _suggest(doc.producer, known))
        if not doc.recipients and "recipient" not in doc.gaps:
            yield error(doc.pos, "document-recipient", f"{name} has no recipient (提交部门/人员)",
                        "add 'recipient: <role id>'")
        for recipient in doc.recipients:
            if recipient not in known:
                yield error(doc.key_pos.get("recipient", doc.pos), "document-recipient",
                            f"{name}: recipient '{recipient}' is not a declared role or external party",
                            _suggest(recipient, known))
        if doc.deadline is None:
            yield error(doc.pos, "document-deadline", f"{name} has no deadline or frequency (提交时限/频率)",
                        "add 'deadline: {zh: …, en: …}' as the source states it, "
                        "or 'deadline: {gap: {zh: …, en: …}}' saying that the source gives none")


def step_outputs(proc: Procedure):
    known = {d.id for d in proc.documents} | {f.id for f in proc.forms}
    for step in proc.steps:
        for kind, ids, pos in (("output", step.outputs, step.outputs_pos),
                               ("input", step.inputs, step.key_pos.get("inputs", step.pos))):
            for item in ids:
                if item not in known:
                    close = difflib.get_close_matches(item, sorted(known), n=1, cutoff=0.6)
                    yield error(pos, "unknown-output",
                                f"step '{step.id}': {kind} '{item}' is not a declared document or form",
                                f"did you mean '{close[0]}'?" if close else
                                "declare it under documents: or forms:, or write the source's words as {zh: …, en: …}")


def control_point_steps(proc: Procedure):
    steps = {s.id for s in proc.steps}
    for point in proc.control_points:
        for step_id in point.steps:
            if step_id not in steps:
                yield error(point.pos, "unknown-step", f"control point '{point.id}': step '{step_id}' does not exist")


def roles_used(proc: Procedure):
    used = {s.owner for s in proc.steps} | {d.producer for d in proc.documents} | {f.owner for f in proc.forms}
    used |= {r for d in proc.documents for r in d.recipients}
    used |= {p.role for s in proc.steps for p in s.participants}
    used |= {r for item in proc.responsibilities for r in item.roles}
    used |= {r.keeper for r in proc.records} | {s.by for s in proc.starts}
    for role in proc.roles:
        if role.id and role.id not in used:
            yield warning(role.pos, "role-unused",
                          f"role '{role.id}' ({role.name.zh}) owns no step, document or form and receives nothing",
                          "remove it from roles: or give it its part in the procedure")


def shared_refs(proc: Procedure):
    for item in list(proc.roles) + list(proc.forms) + list(proc.externals):
        if item.missing:
            kind = "role" if item in proc.roles else "form" if item in proc.forms else "external party"
            yield error(item.pos, "unknown-shared", f"{kind} reference '{item.id}' is not declared in _shared.yaml",
                        f"declare the {kind} in procedure/_shared.yaml, or declare it in this procedure")


def documents_produced_by_a_step(proc: Procedure):
    """Every document comes out of some step (itself, or the form it is written on, among the step's
    outputs), unless an outside party supplies it."""
    if not proc.steps:
        return  # a procedure of clauses alone has no flow to produce documents in
    outputs = {o for s in proc.steps for o in s.outputs}
    known = {d.id for d in proc.documents} | {f.id for f in proc.forms}
    if outputs - known:
        return  # an output names no document: unknown-output reports it, this would only echo it
    external = {x.id for x in proc.externals}
    for doc in proc.documents:
        # Written on a form a step outputs, the document comes out of that step.
        if doc.id and doc.id not in outputs and doc.form not in outputs and doc.producer not in external:
            yield error(doc.pos, "document-not-output", f"document '{doc.id}' is the output of no step",
                        "list it in the outputs: of the step that produces it")


# Registered here rather than with @rule: mutation testing (make mutants) cannot mutate a decorated function.
rule(unique_ids, step_owner, step_participants, document_flow, step_outputs, control_point_steps, roles_used, shared_refs,
     documents_produced_by_a_step)

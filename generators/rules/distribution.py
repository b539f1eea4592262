"""Distribution (ISO 9001 7.5.3.1 a, 7.5.3.2 a): every procedure says who receives it.

After its A/0 transcription a procedure lists its distribution (发放范围): departments, roles and
outside parties that hold a controlled copy. A role that owns a step or a responsibility and is on
the list neither itself nor through its department is a warning: it is asked to follow a procedure
it is not given.
"""
from __future__ import annotations

from ..source.diagnostics import error, warning
from ..source.model import Procedure
from .records import after_transcription, decided
from .registry import rule


def distribution_listed(proc: Procedure):
    if not after_transcription(proc):
        return
    pos = proc.key_pos.get("distribution", proc.pos)
    if proc.distribution.gap is not None:
        if "distribution" not in decided(proc).get(None, set()):
            yield error(proc.distribution.gap.pos, "distribution-missing",
                        "the distribution list (发放范围) is 待定 with no recorded decision",
                        "list who receives this procedure, or record the decision to leave it open under the "
                        "entry's decisions: {fields: [distribution], source, decision, decided_by}")
    elif not proc.distribution.items:
        yield error(pos, "distribution-missing", "no distribution list (发放范围): who receives this procedure?",
                    "add distribution: [{department: {zh: …, en: …}}, {role: <role id>}, {external: <party id>}]")


def distribution_entries(proc: Procedure):
    roles, externals = {r.id for r in proc.roles}, {x.id for x in proc.externals}
    for entry in proc.distribution:
        if entry.role and entry.role not in roles:
            hint = "it is an outside party: write external:" if entry.role in externals else "declare it under roles:"
            yield error(entry.pos, "distribution-unknown", f"distribution: role '{entry.role}' is not a declared role", hint)
        if entry.external and entry.external not in externals:
            yield error(entry.pos, "distribution-unknown",
                        f"distribution: outside party '{entry.external}' is not declared under externals:")
        if sum(x is not None for x in (entry.department, entry.role, entry.external)) != 1:
            yield error(entry.pos, "distribution-unknown",
                        "distribution: each entry names one department, role or outside party")


def distribution_covers_owners(proc: Procedure):
    if not proc.distribution.items:
        return
    listed_roles = {e.role for e in proc.distribution if e.role}
    listed_departments = {e.department.zh for e in proc.distribution if e.department is not None}
    owners = [(s.owner, s.owner_pos, f"step '{s.id}'") for s in proc.steps if s.owner]
    owners += [(role, r.pos, "a responsibility") for r in proc.responsibilities for role in r.roles]
    warned: set[str] = set()
    for role_id, pos, what in owners:
        role = proc.role(role_id)
        if role is None or role_id in listed_roles or role_id in warned:
            continue
        if role.department is not None and role.department.zh in listed_departments:
            continue
        warned.add(role_id)
        yield warning(pos, "distribution-incomplete",
                      f"role '{role_id}' ({role.name.zh}) owns {what} but is not on the distribution list",
                      "add {role: " + role_id + "} or its department to distribution:")


# Registered here rather than with @rule: mutation testing (make mutants) cannot mutate a decorated function.
rule(distribution_listed, distribution_entries, distribution_covers_owners)

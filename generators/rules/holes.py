"""Rules that close holes a QA manager found by writing real procedures (issue 29): a record naming a
form that does not exist, an unknown role in a trigger or in 职责, a record and its form keeping the
same record for different periods, parallel branches that meet without a join (or a join no fork leads
to), a step pointing at a clause the procedure does not have; and the checks of what the issue added:
step time limits (``within``) and committees (``members``, ``chair``).
"""
from __future__ import annotations

import difflib

from ..source.deadlines import parse_duration
from ..source.diagnostics import error
from ..source.model import Clause, Gap, Procedure
from .registry import rule
from .references import outside_party_hint, party_ids


def _close(name: str, known) -> str | None:
    found = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.5)
    return f"did you mean '{found[0]}'?" if found else None


def record_forms(proc: Procedure):
    """A record names a form of this procedure (the register prints its number and title from it)."""
    forms = {f.id for f in proc.forms}
    for number, record in enumerate(proc.records, start=1):
        if record.form and record.form not in forms:
            yield error(record.pos, "record-form", f"record {record.number or number}: form '{record.form}' is not "
                        "declared under forms:",
                        _close(record.form, forms) or "declare the form under forms:, or name the record with "
                        "title: {zh: …, en: …} instead of form:")


def known_roles(proc: Procedure):
    """A start's ``by`` and a responsibility's roles name declared roles (or outside parties)."""
    parties = party_ids(proc)
    for start in proc.starts:
        if start.by and start.by not in parties:
            yield error(start.pos, "unknown-role",
                        f"start '{start.id or start.trigger.zh}': 'by: {start.by}' is not a declared role or external party",
                        _close(start.by, parties) or "declare it under roles: (inside the company) or externals:")
    roles = [r.id for r in proc.roles]
    for number, item in enumerate(proc.responsibilities, start=1):
        for role in item.roles:
            if role in roles:
                continue
            hint = outside_party_hint(proc, role, "hold a responsibility on a checklist") or _close(role, roles) \
                or "declared roles: " + (", ".join(roles) or "(none)")
            yield error(item.pos, "unknown-role",
                        f"responsibility {item.number or number}: role '{role}' is not a declared role", hint)
    for number, record in enumerate(proc.records, start=1):
        if record.keeper and record.keeper not in roles:
            hint = outside_party_hint(proc, record.keeper, "keep records") or _close(record.keeper, roles) \
                or "declared roles: " + (", ".join(roles) or "(none)")
            yield error(record.pos, "unknown-role",
                        f"record {record.number or number}: keeper '{record.keeper}' is not a declared role", hint)


def _same_text(a, b) -> bool:
    return "".join(a.zh.split()) == "".join(b.zh.split())


def record_retention(proc: Procedure):
    """A record kept on a form keeps it for the form's retention period: two periods for one record is a
    contradiction the reader cannot resolve."""
    for number, record in enumerate(proc.records, start=1):
        form = proc.form(record.form) if record.form else None
        if form is None or form.retention is None or record.retention is None:
            continue
        if isinstance(form.retention, Gap) or isinstance(record.retention, Gap):
            continue
        if not _same_text(form.retention, record.retention):
            yield error(record.retention.pos, "retention-mismatch",
                        f"record {record.number or number}: retention '{record.retention.zh}' differs from its "
                        f"form '{form.id}''s retention '{form.retention.zh}'",
                        "one record has one retention period: write the same period in both places "
                        "(or leave it out of the record, which then shows the form's)")


def choice_options(proc: Procedure):
    """A choice field prints tick boxes: in a table's columns and the footer as much as above it."""
    for form in proc.forms:
        if form.missing:
            continue
        for field in tuple(f for s in form.sections for f in s.fields) + form.columns + form.footer:
            if field.type == "choice" and not field.options:
                yield error(field.pos, "form-field", f"form '{form.id}': choice field '{field.id}' has no options",
                            "add options: [{zh: ..., en: ...}, ...]")


def _forks(proc: Procedure) -> list:
    return [s for s in proc.steps if s.parallel and len(proc.successors(s)) > 1]


def parallel_joins(proc: Procedure):
    """Parallel branches meet at a join; a join has a fork before it.

    From each branch of a fork, the steps it reaches before a join: a step two branches reach (other
    than the fork itself, which a rework loop may lead back to) is where they meet, and it must wait
    for both (``join: true``). A join that no fork leads to waits for nothing.
    """
    steps = {s.id: s for s in proc.steps}
    for fork in _forks(proc):
        reached_by: dict[str, set[int]] = {}
        for branch, link in enumerate(proc.successors(fork)):
            todo, seen = [link.target], set()
            while todo:
                current = todo.pop()
                if current in seen or current not in steps or current == fork.id:
                    continue
                seen.add(current)
                reached_by.setdefault(current, set()).add(branch)
                if steps[current].join:
                    continue  # the branch ends at its join
                todo.extend(l.target for l in proc.successors(steps[current]))
        meeting = [s for s in proc.steps if len(reached_by.get(s.id, ())) > 1 and not s.join]
        # Only the first meeting point matters: after it the branches are one flow.
        first = [s for s in meeting if not any(
            s.id != m.id and s.id in _downstream(proc, m.id, steps) for m in meeting)]
        for step in first[:1]:
            yield error(step.pos, "flow-parallel",
                        f"step '{step.id}' is where the parallel branches of step '{fork.id}' meet, but it is not a join",
                        f"add 'join: true' to step '{step.id}' so it waits for every branch, or make step "
                        f"'{fork.id}' a decision if only one branch runs")
    ancestors_with_fork = _after_a_fork(proc, steps)
    for step in proc.steps:
        if step.join and step.id not in ancestors_with_fork:
            yield error(step.key_pos.get("join", step.pos), "flow-parallel",
                        f"step '{step.id}' is a join but no parallel fork comes before it",
                        "a join waits for the branches of a step with 'parallel: true': add the fork, or remove 'join: true'")


def _downstream(proc: Procedure, start: str, steps: dict) -> set[str]:
    seen, todo = set(), [l.target for l in proc.successors(steps[start])]
    while todo:
        current = todo.pop()
        if current in seen or current not in steps:
            continue
        seen.add(current)
        todo.extend(l.target for l in proc.successors(steps[current]))
    return seen


def _after_a_fork(proc: Procedure, steps: dict) -> set[str]:
    out: set[str] = set()
    for fork in _forks(proc):
        out |= _downstream(proc, fork.id, steps)
    return out


def clause_numbers(clauses) -> set[str]:
    out: set[str] = set()
    for item in clauses:
        if isinstance(item, Clause):
            if item.number:
                out.add(item.number.rstrip("."))
            out |= clause_numbers(item.items)
    return out


def walk_clauses(clauses):
    for item in clauses:
        if isinstance(item, Clause):
            yield item
            yield from walk_clauses(item.items)


def step_clauses(proc: Procedure):
    """A step's ``clause:`` names a clause of this procedure once the procedure links its clauses and
    steps (a clause with ``step:``): then the clauses are written in full, and a number none of them
    has is a mistake. Without such a link a step may itself be the source's clause (its text lives in
    the step), so its number is the source's and there is nothing to check it against.
    """
    linked = [c for c in walk_clauses(proc.clauses) if c.step]
    steps = {s.id: s for s in proc.steps}
    for clause in linked:
        step = steps.get(clause.step)
        if step is None:
            yield error(clause.pos, "unknown-clause", f"clause {clause.number or ''}: step '{clause.step}' does not exist".replace(" :", ":"),
                        _close(clause.step, steps) or "name a step id from steps:")
        elif step.clause and clause.number and step.clause.rstrip(".") != clause.number.rstrip("."):
            yield error(step.key_pos.get("clause", step.pos), "unknown-clause",
                        f"step '{step.id}' says it is clause {step.clause}, but clause {clause.number} names it",
                        f"write 'clause: {clause.number}' on the step, or name the step from clause {step.clause}")
    if not linked:
        return
    numbers = clause_numbers(proc.clauses)
    named = {c.step for c in linked}
    for step in proc.steps:
        if step.clause and step.clause.rstrip(".") not in numbers and step.id not in named:
            close = difflib.get_close_matches(step.clause, sorted(numbers), n=1, cutoff=0.6)
            yield error(step.key_pos.get("clause", step.pos), "unknown-clause",
                        f"step '{step.id}': clause {step.clause} does not exist in this procedure",
                        f"did you mean {close[0]}?" if close else
                        "clause numbers: " + ", ".join(sorted(numbers, key=_clause_order)))


def _clause_order(number: str):
    return [int(p) if p.isdigit() else 0 for p in number.replace(")", "").split(".")]


def step_deadlines(proc: Procedure):
    """A step's ``within``: a duration written as a number and a unit, and a trigger that exists."""
    triggers = [s.id for s in proc.steps] + [s.id for s in proc.starts if s.id]
    for step in proc.steps:
        within = step.within
        if within is None or isinstance(within.text, Gap):
            continue
        pos = step.key_pos.get("within", within.pos)
        if within.duration is not None and parse_duration(within.duration) is None:
            yield error(pos, "step-deadline", f"step '{step.id}': time limit '{within.duration}' is not a duration",
                        "write a number and a unit: 24h (hours), 3d (days), 15wd (working days), 2w (weeks), "
                        "1mo (months); or the source's words as text: {zh: …, en: …}")
        elif within.duration is None and within.text is None:
            yield error(pos, "step-deadline", f"step '{step.id}': the time limit says from when but not how long",
                        "add 'duration: 24h' (or 'text: {zh: …, en: …}' with the source's words)")
        if within.after is None:
            continue
        if within.after == step.id:
            yield error(pos, "step-deadline", f"step '{step.id}': the time limit is counted from the step itself",
                        "name what starts the clock: an earlier step or a start; omit 'after:' to count from the step's start")
        elif within.after not in triggers:
            yield error(pos, "step-deadline",
                        f"step '{step.id}': the time limit is counted from '{within.after}', which is no step or start",
                        _close(within.after, triggers) or "name a step id or a start id of this procedure")


def committees(proc: Procedure):
    """A committee is made of declared roles of this procedure, and its chair is one of them."""
    roles = {r.id: r for r in proc.roles}
    for committee in proc.roles:
        if committee.chair and not committee.members:
            yield error(committee.pos, "committee", f"role '{committee.id}' has a chair but no members",
                        "list the roles it is made of under members:, or remove chair:")
        for member in committee.members:
            if member == committee.id:
                yield error(committee.pos, "committee", f"committee '{committee.id}' lists itself as a member",
                            "list the roles it is made of")
            elif member not in roles:
                yield error(committee.pos, "committee", f"committee '{committee.id}': member '{member}' is not a declared role",
                            outside_party_hint(proc, member, "be on a committee's checklist") or _close(member, roles)
                            or "declare the member under roles:")
            elif roles[member].members:
                yield error(committee.pos, "committee",
                            f"committee '{committee.id}': member '{member}' is itself a committee",
                            "list the roles of both committees, so each member's checklist is plain")
        if committee.chair and committee.members and committee.chair not in committee.members:
            yield error(committee.pos, "committee",
                        f"committee '{committee.id}': its chair '{committee.chair}' is not one of its members",
                        f"add '{committee.chair}' to members:, or name a member as chair")


# Registered here rather than with @rule: mutation testing (make mutants) cannot mutate a decorated function.
rule(record_forms, known_roles, record_retention, choice_options, parallel_joins, step_clauses, step_deadlines,
     committees)

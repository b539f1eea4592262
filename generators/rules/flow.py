"""Flow rules: links name existing steps or ends, every step is reachable from a start, and the flow can end."""
from __future__ import annotations

from ..source.diagnostics import error
from ..source.model import END, Procedure
from .registry import rule


def graph(proc: Procedure) -> dict[str, list[str]]:
    """Step id -> ids it leads to (ends included), with fall-through applied."""
    return {s.id: [l.target for l in proc.successors(s)] for s in proc.steps}


def _reach(starts, edges: dict[str, list[str]]) -> set[str]:
    seen = set(starts)
    todo = list(seen)
    while todo:
        for nxt in edges.get(todo.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _targets_hint(proc: Procedure) -> str:
    ends = ", ".join(f"'{e.id}'" for e in proc.ends)
    if not ends:
        return "name a step id from steps:, or 'end'"
    return f"name a step id from steps:, 'end', or an end: {ends}"


def flow_targets(proc: Procedure):
    steps = {s.id for s in proc.steps}
    for step in proc.steps:
        for link in step.next:
            if link.target not in steps and not proc.is_end(link.target):
                yield error(link.pos, "flow-target", f"step '{step.id}': next step '{link.target}' does not exist",
                            _targets_hint(proc))
        if len(step.next) > 1 and step.decision is None and not step.parallel:
            yield error(step.pos, "flow-decision", f"step '{step.id}' branches to {len(step.next)} steps but asks no decision",
                        "add 'decision: {zh: ..., en: ...}' and a 'when:' label on each next link, "
                        "or 'parallel: true' when the next steps all start")
        if step.parallel and step.decision is not None:
            yield error(step.pos, "flow-decision", f"step '{step.id}' is both a decision and a parallel fork",
                        "keep one: a decision chooses one next step, parallel starts them all")
    for start in proc.starts:
        if start.to and start.to not in steps:
            yield error(start.pos, "flow-target", f"start '{start.id or start.trigger.zh}': step '{start.to}' does not exist",
                        "name the first step of this start with 'to: <step id>'")


def _reached(proc: Procedure, edges) -> set[str]:
    return _reach([s.to for s in proc.flow_starts()], edges)


def flow_reachable(proc: Procedure):
    if not proc.steps:
        if not proc.clauses:
            yield error(proc.pos, "flow-empty", "the procedure has no steps and no clauses",
                        "add steps: (a flow) or clauses: (numbered requirements), or both")
        return
    edges = graph(proc)
    known = set(edges) | {END} | {e.id for e in proc.ends}
    if any(t not in known for targets in edges.values() for t in targets) or any(
            s.to not in edges for s in proc.flow_starts()):
        return  # flow-target already reports the broken link; reachability would only echo it
    reached = _reached(proc, edges)
    for step in proc.steps:
        if step.id not in reached:
            origin = "a start" if proc.starts else "the first step"
            yield error(step.pos, "flow-unreachable", f"step '{step.id}' cannot be reached from {origin}",
                        "link to it from an earlier step's next:" + (", or add a start leading to it" if proc.starts else ""))
    reverse: dict[str, list[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            reverse.setdefault(target, []).append(source)
    can_end = _reach([t for t in known if proc.is_end(t)], reverse)
    stuck = [s.id for s in proc.steps if s.id in reached and s.id not in can_end]
    yield from _loops_without_exit(proc, edges, stuck)


def _loops_without_exit(proc: Procedure, edges, stuck: list[str]):
    """One error per loop the flow cannot leave, at the ``next:`` that closes it.

    Steps that only lead into such a loop are not reported again: giving the loop an exit fixes them.
    """
    stuck_set = set(stuck)
    components = _strongly_connected(stuck, {s: [t for t in edges[s] if t in stuck_set] for s in stuck})
    component_of = {step: i for i, comp in enumerate(components) for step in comp}
    order = {s.id: i for i, s in enumerate(proc.steps)}
    for index, comp in enumerate(components):
        leaves = any(component_of.get(t) != index for s in comp for t in edges[s] if t in stuck_set)
        if leaves:
            continue  # it leads into another trapped loop, which is reported there
        members = sorted(comp, key=order.get)
        closer = proc.step(members[-1])  # the last step in list order: its next: leads back
        loop = " → ".join(f"'{m}'" for m in members)
        pos = closer.key_pos.get("next", closer.pos)
        if len(members) == 1 and members[0] not in edges[members[0]]:
            message = f"from step '{closer.id}' the flow never reaches an end"
        else:
            message = f"the loop {loop} has no exit: the flow never reaches an end"
        yield error(pos, "flow-no-end", message,
                    f"give step '{closer.id}' an exit: a next link to 'end' or to a step after the loop")


def _strongly_connected(nodes: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (a long flow must not hit the recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    comp.append(member)
                    if member == node:
                        break
                out.append(comp)
    return out


def decision_branches(proc: Procedure):
    """A decision chooses between at least two labelled branches; a plain link carries no answer."""
    for step in proc.steps:
        if step.decision is not None:
            links = proc.successors(step)
            if len(links) < 2:
                yield error(step.key_pos.get("decision", step.pos), "decision-branches",
                            f"step '{step.id}': the decision '{step.decision.zh}' has {len(links)} branch; a decision needs at least two",
                            "list each answer under next: as {to: <step>, when: {zh: …, en: …}}, or remove decision:")
            else:
                for link in links:
                    if link.when is None:
                        yield error(link.pos, "decision-branches",
                                    f"step '{step.id}': the branch to '{link.target}' has no 'when:' answer to the decision '{step.decision.zh}'",
                                    "write the source's answer that leads there: {to: …, when: {zh: …, en: …}}")
        else:
            for link in step.next:
                if link.when is not None:
                    yield error(link.pos, "when-without-decision",
                                f"step '{step.id}': the link to '{link.target}' has a 'when:' but the step asks no decision",
                                "add 'decision: {zh: …, en: …}' to the step, or remove 'when:'")


def joins_and_ends(proc: Procedure):
    incoming: dict[str, set[str]] = {}
    for step in proc.steps:
        for link in proc.successors(step):
            incoming.setdefault(link.target, set()).add(step.id)
    for step in proc.steps:
        if step.join and len(incoming.get(step.id, ())) < 2:
            yield error(step.key_pos.get("join", step.pos), "flow-join",
                        f"step '{step.id}' is a join but {len(incoming.get(step.id, ()))} step(s) lead to it",
                        "a join waits for two or more parallel branches: link each branch's last step to it, or remove 'join: true'")
    for end in proc.ends:
        if end.kind == "hand-off" and end.procedure is None:
            yield error(end.pos, "end-hand-off", f"end '{end.id}' hands off but names no procedure",
                        "add 'procedure: {number: …, title: {zh: …, en: …}}' naming the procedure that takes over")
        elif end.kind != "hand-off" and end.procedure is not None:
            yield error(end.pos, "end-hand-off", f"end '{end.id}' names a procedure but is not a hand-off",
                        "set 'kind: hand-off', or remove 'procedure:'")
        if end.id not in incoming:
            yield error(end.pos, "end-unused", f"end '{end.id}' is named by no step's next:",
                        "link to it from the step that ends the flow this way, or remove it")


# Registered here rather than with @rule: mutation testing (make mutants) cannot mutate a decorated function.
rule(flow_targets, flow_reachable, decision_branches, joins_and_ends)

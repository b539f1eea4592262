"""Flow rules: links name existing steps, every step is reachable, and the flow can end."""
from __future__ import annotations

from ..diagnostics import error
from ..model import END, Procedure
from . import rule


def graph(proc: Procedure) -> dict[str, list[str]]:
    """Step id -> ids it leads to (``END`` included), with fall-through applied."""
    return {s.id: [l.target for l in proc.successors(s)] for s in proc.steps}


def _reach(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in edges.get(todo.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


@rule
def flow_targets(proc: Procedure):
    steps = {s.id for s in proc.steps}
    for step in proc.steps:
        for link in step.next:
            if link.target != END and link.target not in steps:
                yield error(link.pos, "flow-target", f"step '{step.id}': next step '{link.target}' does not exist",
                            "name a step id from steps:, or 'end'")
        if len(step.next) > 1 and step.decision is None and not step.parallel:
            yield error(step.pos, "flow-decision", f"step '{step.id}' branches to {len(step.next)} steps but asks no decision",
                        "add 'decision: {zh: ..., en: ...}' and a 'when:' label on each next link, "
                        "or 'parallel: true' when the next steps all start")
        if step.parallel and step.decision is not None:
            yield error(step.pos, "flow-decision", f"step '{step.id}' is both a decision and a parallel fork",
                        "keep one: a decision chooses one next step, parallel starts them all")


@rule
def flow_reachable(proc: Procedure):
    if not proc.steps:
        yield error(proc.pos, "flow-empty", "the procedure has no steps")
        return
    edges = graph(proc)
    known = set(edges) | {END}
    if any(t not in known for targets in edges.values() for t in targets):
        return  # flow-target already reports the broken link; reachability would only echo it
    reached = _reach(proc.steps[0].id, edges)
    for step in proc.steps[1:]:
        if step.id not in reached:
            yield error(step.pos, "flow-unreachable", f"step '{step.id}' cannot be reached from the first step",
                        "link to it from an earlier step's next:")
    reverse: dict[str, list[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            reverse.setdefault(target, []).append(source)
    can_end = _reach(END, reverse)
    for step in proc.steps:
        if step.id in reached and step.id not in can_end:
            yield error(step.pos, "flow-no-end", f"from step '{step.id}' the flow never reaches the end",
                        "give the loop an exit: a next link to 'end' or to a step that ends")

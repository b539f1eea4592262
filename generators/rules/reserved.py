"""Names the generator uses itself: a procedure file, role or step must not take them, or its
page would silently replace (or be replaced by) a page of the site, or its step end the flow."""
from __future__ import annotations

from ..source.diagnostics import Position, error
from ..source.model import END, Procedure
from ..source import paths
from .registry import rule


def reserved_names(proc: Procedure):
    if proc.slug in paths.reserved_slugs():
        yield error(Position(proc.path), "reserved-name",
                    f"file name '{proc.slug}.yaml' is taken by a page of the site (library/{proc.slug})",
                    f"rename the file, e.g. {proc.slug}-procedure.yaml; reserved: "
                    + ", ".join(sorted(s for s in paths.reserved_slugs() if not s.startswith("_"))))
    for role in proc.roles:
        if role.id in paths.reserved_role_ids() and not role.missing:
            yield error(role.pos, "reserved-name", f"role id '{role.id}' is taken by a page of the site (the role index)",
                        f"choose another id, e.g. '{role.id}-role'")
    for step in proc.steps:
        if step.id == END:
            yield error(step.pos, "reserved-name", f"step id '{END}' is reserved: 'next: [{END}]' ends the flow",
                        "choose another id, e.g. 'close' or 'finish'")


# Registered here rather than with @rule: mutation testing (make mutants) cannot mutate a decorated function.
rule(reserved_names)

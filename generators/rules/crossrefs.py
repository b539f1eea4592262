"""Rules across the library that close issue 29's holes: a procedure cited by number under the wrong title,
and one role id declared with other duties in two procedures (two companies' roles would merge)."""
from __future__ import annotations

from ..source.diagnostics import Diagnostic, error
from ..source.model import Procedure


def _plain(text: str) -> str:
    return "".join(text.split()).strip("《》")


def reference_titles(procedures: list[Procedure]) -> list[Diagnostic]:
    """A procedure cited by its number is cited under its title: a number and a title that name two
    different procedures leave the reader unsure which one is meant."""
    by_number = {p.number: p for p in procedures if p.number}
    diags = []
    for proc in procedures:
        cited = list(proc.references) + [d for d in proc.related_documents if d.internal]
        for ref in cited:
            target = by_number.get(ref.number or "")
            if target is None or target is proc or _plain(ref.title.zh) == _plain(target.title.zh):
                continue
            if _plain(target.title.zh) in _plain(ref.title.zh):
                continue  # the source cites it with a qualifier (《XX程序》(现行版)): same procedure
            diags.append(error(ref.pos, "reference-title",
                               f"{ref.number} is {target.title.zh} ({target.path}), but it is cited here as {ref.title.zh}",
                               f"correct the number or the title: {ref.number} is titled '{target.title.zh}'"))
    return diags


def role_duties(procedures: list[Procedure]) -> list[Diagnostic]:
    """The same role id with the same name but other duties in two procedures: role-conflict covers names."""
    first: dict[str, tuple[Procedure, object]] = {}
    diags = []
    for proc in procedures:
        for role in proc.roles:
            if role.missing or role.shared or not role.id:
                continue
            if role.duties is None:
                continue
            other_proc, other = first.setdefault(role.id, (proc, role))  # the first declaration with duties
            if other_proc is proc or other.name.zh != role.name.zh:
                continue  # role-conflict reports a name that differs
            if _plain(role.duties.zh) != _plain(other.duties.zh):
                diags.append(error(role.pos, "role-conflict",
                                   f"role '{role.id}' ({role.name.zh}) has other duties here than in {other_proc.path}",
                                   "one id names one role: if both procedures mean the same position, declare it once in "
                                   "_shared.yaml and use {ref: id}; if not (another company's), give it its own id"))
    return diags


def check(procedures: list[Procedure]) -> list[Diagnostic]:
    return reference_titles(procedures) + role_duties(procedures)

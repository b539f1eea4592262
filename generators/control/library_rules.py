"""Document-control rules over the whole library that need no git: the registers are well formed,
a withdrawn number is not used again, and no two different forms share a form number."""
from __future__ import annotations

from pathlib import Path

from ..source.diagnostics import Diagnostic, error
from ..source.model import Procedure
from . import deviations, document_register, people, withdrawal


def check(folders: list[Path], procedures: list[Procedure]) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for folder in folders:
        records, problems = withdrawal.load(folder)
        diags += problems + deviations.load(folder)[1]
        here = [p for p in procedures if Path(p.path).parent == folder]
        diags += withdrawal.rules(here, records)
        reg, problems = people.load(folder)
        diags += problems + registered_signers(here, reg)
        documents, problems = document_register.load(folder)
        diags += problems + document_register.check(here, documents)
    return diags + duplicate_form_numbers(procedures)


def registered_signers(procedures: list[Procedure], reg: people.Register) -> list[Diagnostic]:
    """With an approver register, the newest revision's reviewer and approver are people in it, with
    authority for the procedure: a typed name is not a person ("Mickey Mouse" reviews nothing)."""
    if not reg.present:
        return []
    diags = []
    for proc in procedures:
        if not proc.revisions or proc.revisions[-1].version != proc.version:
            continue
        entry = proc.revisions[-1]
        for field, part in (("reviewed_by", "review"), ("approved_by", "approve")):
            name = getattr(entry, field)
            if not name:
                continue
            pos = entry.key_pos.get(field, entry.pos)
            person = reg.named(name)
            if person is None:
                diags.append(error(pos, "unknown-signer", f"revision {entry.version}: {field.replace('_', ' ')} '{name}' "
                                   f"is not in the approver register ({people.FILE})",
                                   "name a person of the register as written there, or add them to it (a new entry)"))
            elif not person.may(part, proc.number, proc.department):
                diags.append(error(pos, "no-authority", f"revision {entry.version}: {person.name.zh} ({person.name.en}) "
                                   f"may not {part} {proc.number} (register: may_{part})",
                                   "name a person the register gives that authority, or extend theirs in the register"))
    return diags


def duplicate_form_numbers(procedures: list[Procedure]) -> list[Diagnostic]:
    """A form number names one form: the same shared form used by several procedures is one form;
    two different forms (other id, or a local form) with one number are an error."""
    first: dict[str, tuple[Procedure, object]] = {}
    diags = []
    for proc in procedures:
        for form in proc.forms:
            if not form.number or form.missing:
                continue
            seen = first.get(form.number)
            if seen is None:
                first[form.number] = (proc, form)
            elif not (seen[1].id == form.id and seen[1].shared and form.shared) and (seen[0], seen[1].id) != (proc, form.id):
                diags.append(error(form.pos, "duplicate-form-number",
                                   f"form number {form.number} is also used by form '{seen[1].id}' in {seen[0].path}",
                                   "each controlled form has its own number; share one form through _shared.yaml instead"))
    return diags

"""Document-control rules over the whole library that need no git: the registers are well formed,
a withdrawn number is not used again, and no two different forms share a form number."""
from __future__ import annotations

from pathlib import Path

from ..source.diagnostics import Diagnostic, error
from ..source.model import Procedure
from . import deviations, withdrawal


def check(folders: list[Path], procedures: list[Procedure]) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for folder in folders:
        records, problems = withdrawal.load(folder)
        diags += problems + deviations.load(folder)[1]
        diags += withdrawal.rules([p for p in procedures if Path(p.path).parent == folder], records)
    return diags + duplicate_form_numbers(procedures)


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

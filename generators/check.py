"""The check phase: load every source, run every rule, collect all diagnostics."""
from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import Diagnostic, Severity, error, sort_key
from .loader import find_sources, load_file
from .model import Procedure
from .rules import check_procedure


@dataclass
class CheckResult:
    procedures: list[Procedure] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def check_paths(paths: list[str]) -> CheckResult:
    """Check files and folders; the result holds every procedure that could be read."""
    files, diags = find_sources(paths)
    result = CheckResult(files=len(files))
    for path in files:
        proc, file_diags = load_file(path)
        diags += file_diags
        if proc is not None:
            diags += check_procedure(proc)
            result.procedures.append(proc)
    diags += _library_rules(result.procedures)
    result.diagnostics = sorted(set(diags), key=sort_key)
    return result


def _library_rules(procedures: list[Procedure]) -> list[Diagnostic]:
    """Rules across procedures: numbers and page names are unique in the library."""
    diags = []
    seen: dict[str, Procedure] = {}
    for proc in procedures:
        if proc.number and proc.number in seen:
            diags.append(error(proc.key_pos.get("number", proc.pos), "duplicate-number",
                               f"document number {proc.number} is also used by {seen[proc.number].path}",
                               "each controlled document has its own number; a retired number is never reused"))
        seen.setdefault(proc.number, proc)
    return diags

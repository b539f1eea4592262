"""One diagnostic type and its one formatter."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .characters import SUSPECT


@dataclass(frozen=True, order=True)
class Position:
    """Where something is in a source file (1-based line and column)."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in a source file, with the rule that found it and a hint to fix it."""

    pos: Position
    severity: Severity
    message: str
    rule: str
    hint: str = ""

    def format(self) -> str:
        """Compiler-style text: ``path:line:col: error: message [rule]`` and a hint line.

        Each part is made one line (``one_line``) before the parts are joined: a value or a file name
        holding a newline must not start a line of its own in a CI log, where GitHub Actions runs a
        line beginning ``::`` as a workflow command (``::error``, ``::add-mask::``)."""
        where = one_line(str(self.pos))
        if where.lstrip().startswith(":"):  # a file named ":x" would begin the line "::x:3:4": "./:x" is that file
            where = "./" + where
        text = f"{where}: {self.severity.value}: {one_line(self.message)} [{one_line(self.rule)}]"
        if self.hint:
            text += f"\n    hint: {one_line(self.hint)}"
        return text


def one_line(text: str) -> str:
    """``text`` safe to print as (part of) one line of a terminal or CI log: a line feed is shown as
    ``\\n``, and control characters (escape sequences, a carriage return) and bidirectional overrides
    quoted from a source as ``\\uXXXX``."""
    return SUSPECT.sub(lambda m: f"\\u{ord(m[0]):04x}", text.replace("\n", "\\n"))


def error(pos: Position, rule: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(pos, Severity.ERROR, message, rule, hint)


def warning(pos: Position, rule: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(pos, Severity.WARNING, message, rule, hint)


def sort_key(diag: Diagnostic):
    return (diag.pos.path, diag.pos.line, diag.pos.col, diag.rule, diag.message)


def summary(diagnostics: list[Diagnostic], files: int) -> str:
    """The one-line summary printed after the diagnostics."""
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    noun = "procedure" if files == 1 else "procedures"
    if errors:
        return f"FAILED: {errors} error(s), {warnings} warning(s) in {files} {noun}"
    return f"OK: {files} {noun} checked, {warnings} warning(s)"

"""The serve worker's memory: after an edit, check and render only what the edit touches.

`make serve` runs ``python -m generators watch`` beside MkDocs (see mkdocs_hooks.on_serve). The
worker builds the library once and keeps what it built. When procedure files change, it
re-checks only the changed files (the rules across the library still run over all of them) and
renders only:

* the changed procedures' pages, charts and PDFs;
* the procedures that share a role or an outside party with them, or refer to them by number or
  title: their pages name those roles and procedures;
* the pages of the changed procedures' roles, and the library's own pages (master list,
  registers, role index, flow matrix, recent changes).

Every other file in docs/library/ is left as the last build wrote it. Anything else (a file added,
removed or renamed, a shared declaration or register file, git's HEAD, the date) rebuilds the whole
library (with the unchanged files' check results kept). tests/test_incremental.py proves, for each
kind of edit, that the focused result is byte for byte what a full build writes.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path

from .source import clock
from .build import source_folders
from .control import gate
from .publish.generate import BuiltLibrary, BuildStats, build_library
from .render.site import Focus
from .control.history import library_histories, procedure_revisions
from .check import CheckResult, check_paths
from .source.diagnostics import Position
from .source.loader import find_sources
from .source.model import Procedure
from .publish.stamp import content_key, git_head


@dataclass(frozen=True)
class Inputs:
    """What the worker compares between two polls: each procedure file's content, and everything
    else that, when it changes, calls for a whole build."""

    procedures: dict[str, str]  # path -> digest of its content
    rest: str  # digest of the date, git's HEAD, and the folders' other YAML files (shared, registers)


def read_inputs(paths: list[str], today: dt.date) -> Inputs:
    files, _ = find_sources(paths)
    procedures = {str(path): hashlib.sha256(content_key(path)).hexdigest() for path in files}
    rest = hashlib.sha256(today.isoformat().encode())
    for folder in sorted({path.parent for path in files} | {Path(p) for p in paths if Path(p).is_dir()}):
        rest.update(git_head(folder).encode())
        for other in sorted(folder.glob("_*.yaml")):
            rest.update(str(other).encode() + b"\0" + content_key(other))
    return Inputs(procedures, rest.hexdigest())


def focus_of(before: list[Procedure], after: list[Procedure], library: list[Procedure]) -> Focus:
    """The procedures (by slug) and roles an edit touches.

    ``before`` and ``after``: every model of the changed procedures before and after the edit (the
    working files, and the revisions the library showed); ``library``: the procedures the library shows.

    Another procedure's pages name a role by its first declaration in the library (Library.roles),
    and another procedure by its number and title: it is redone when the edit changed the declaration
    of a role it declares too, or the number or title of a procedure it refers to."""
    edited = [*before, *after]
    slugs = {p.slug for p in edited}
    roles = {r.id for p in edited for r in (*p.roles, *p.externals)}
    declarations = [{(r.id, _content(r)) for p in models for r in (*p.roles, *p.externals)} for models in (before, after)]
    redeclared = {role_id for role_id, _ in declarations[0] ^ declarations[1]}
    # A procedure names another by number, or (without one) by its Chinese title.
    names = {p.number for p in edited if p.number} | {p.title.zh for p in edited}
    for proc in library:
        parties = {r.id for r in (*proc.roles, *proc.externals)}
        mentioned = {ref.number or ref.title.zh for ref in proc.references}
        mentioned |= {e.procedure.number or e.procedure.title.zh for e in proc.ends if e.procedure is not None}
        mentioned |= {d.number or d.title.zh for d in proc.related_documents if d.internal}
        if parties & redeclared or mentioned & names:
            slugs.add(proc.slug)
    return Focus(frozenset(slugs), frozenset(roles))


def _content(value):
    """``value`` without its source positions (an edit above a declaration moves it, changing nothing)."""
    if isinstance(value, Position):
        return None
    if is_dataclass(value):
        return (type(value).__name__, *(_content(getattr(value, f.name)) for f in fields(value)))
    if isinstance(value, (tuple, list)):
        return tuple(_content(item) for item in value)
    return value


class Session:
    """One library under `make serve`: ``update()`` after each change of its files."""

    def __init__(self, paths: list[str], docs_dir: Path, pdf: bool = True, today=None, preview: bool = False,
                 site_url: str = "", pages_first: bool = False, pages_written=None):
        self.paths, self.docs_dir, self.pdf, self.preview, self.site_url = paths, docs_dir, pdf, preview, site_url
        self.pages_first = pages_first  # an edit's pages written before its PDFs (build_library)
        self.pages_written = pages_written  # called when they are (build_library)
        self._today = today
        self._check_cache: dict = {}
        self._inputs: Inputs | None = None
        self._histories: tuple | None = None
        self._built: BuiltLibrary | None = None
        self._checked: list[Procedure] = []  # the working files, as last checked

    def update(self) -> tuple[CheckResult, BuildStats | None, Focus | None]:
        """Check, and when the check passes, write what changed since the last update. Returns the
        check, the build's figures (None when the check failed) and the focus (None: a whole build)."""
        today = clock.resolve(self._today)
        inputs = read_inputs(self.paths, today)
        result = check_paths(self.paths, parallel=False, today=today, cache=self._check_cache)
        if not result.ok:
            return result, None, None  # the last good build stays, and so does what it was built from
        focus = None
        if (self._built is not None and self._inputs is not None and inputs.rest == self._inputs.rest
                and inputs.procedures.keys() == self._inputs.procedures.keys()):
            changed = {path for path, digest in inputs.procedures.items() if self._inputs.procedures[path] != digest}
            slugs = {p.slug for p in [*self._checked, *result.procedures] if str(p.path) in changed}
            before = [p for p in [*self._checked, *self._built.library.procedures] if p.slug in slugs]
            after = [p for p in result.procedures if p.slug in slugs]
            history = self._histories[0]
            after += [procedure_revisions(p, history[p.slug], today.isoformat()).shown for p in after]
            focus = focus_of(before, after, self._built.library.procedures)
        else:
            self._histories = library_histories(result.procedures, today.isoformat())
        stats, self._built = build_library(result.procedures, self.docs_dir, self.pdf, today=today,
                                           preview=self.preview, site_url=self.site_url,
                                           histories=self._histories, focus=focus, previous=self._built,
                                           draft_reasons=gate.working_tree_reasons(source_folders(result.procedures)),
                                           pages_first=self.pages_first, pages_written=self.pages_written)
        self._inputs, self._checked = inputs, result.procedures
        return result, stats, focus

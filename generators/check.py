"""The check phase: load every source, run every rule, collect all diagnostics."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from .source.diagnostics import Diagnostic, Severity, error, sort_key
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .source import clock
from .control import library_rules as control_rules
from .source.loader import find_sources, load_file, load_shared
from .source.model import Procedure
from .rules import check_procedure, terminology


@dataclass
class CheckResult:
    procedures: list[Procedure] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def check_paths(paths: list[str], parallel: bool = True, today: dt.date | str | None = None,
                cache: dict | None = None) -> CheckResult:
    """Check files and folders; the result holds every procedure that could be read.

    ``today``: the date date-dependent rules (review overdue) compare with; default as in
    ``clock.resolve`` (PROCEDURES_TODAY, else the calendar).

    ``parallel``: large libraries are checked in forked worker processes; pass False from a
    multi-threaded host, where forking is unsafe.

    ``cache``: a dict kept between calls (the serve worker, generators/incremental.py): a file whose
    content, shared declarations and date are unchanged keeps its result; the rules across the
    library run every time.
    """
    day = clock.resolve(today)
    files, diags = find_sources(paths)
    result = CheckResult(files=len(files))
    shared_by_folder: dict[Path, object] = {}
    for folder in dict.fromkeys(path.parent for path in files):
        shared_by_folder[folder], shared_diags = load_shared(folder)
        diags += shared_diags
    jobs = [(path, shared_by_folder[path.parent], day) for path in files]
    if cache is None:
        checked = _map(_check_one, jobs) if parallel else map(_check_one, jobs)
    else:
        keys = [_cache_key(job) for job in jobs]
        todo = [(job, key) for job, key in zip(jobs, keys) if key not in cache]
        todo_jobs = [job for job, _ in todo]
        done = dict(zip([key for _, key in todo], _map(_check_one, todo_jobs) if parallel else map(_check_one, todo_jobs)))
        checked = [done[key] if key in done else cache[key] for key in keys]
        cache.clear()  # only the files of this call: the cache never outgrows the library
        cache.update(zip(keys, checked))
    for proc, file_diags in checked:
        diags += file_diags
        if proc is not None:
            result.procedures.append(proc)
    diags += _library_rules(result.procedures)
    diags += control_rules.check(list(shared_by_folder), result.procedures)
    result.diagnostics = sorted(set(diags), key=sort_key)
    return result


PARALLEL_FROM = 64  # below this, starting worker processes costs more than it saves


def _check_one(job):
    """Load and check one file (in a worker process for large libraries)."""
    path, shared, today = job
    proc, diags = load_file(path, shared)
    if proc is not None:
        diags += check_procedure(proc, today)
    return proc, diags


def _cache_key(job) -> tuple:
    """A file's content (a link's text: never followed), its folder's shared declarations and the date."""
    from .publish.stamp import content_key

    path, shared, today = job
    return (str(path), hashlib.sha256(content_key(path)).hexdigest(), repr(shared), today)


def _map(func, jobs):
    workers = os.cpu_count() or 1
    if len(jobs) < PARALLEL_FROM or workers < 2:
        return map(func, jobs)
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(func, jobs, chunksize=max(1, len(jobs) // (4 * workers))))


def _library_rules(procedures: list[Procedure]) -> list[Diagnostic]:
    """Rules across procedures: numbers are unique; a role id names one role everywhere;
    references to other procedures resolve."""
    diags = _role_conflicts(procedures) + _references(procedures) + terminology.check(procedures)
    seen: dict[str, Procedure] = {}
    for proc in procedures:
        if proc.number and proc.number in seen:
            diags.append(error(proc.key_pos.get("number", proc.pos), "duplicate-number",
                               f"document number {proc.number} is also used by {seen[proc.number].path}",
                               "each controlled document has its own number; a retired number is never reused"))
        seen.setdefault(proc.number, proc)
    return diags


def _role_conflicts(procedures: list[Procedure]) -> list[Diagnostic]:
    first: dict[str, tuple[Procedure, object]] = {}
    diags = []
    for proc in procedures:
        for role in proc.roles:
            if role.missing or not role.id:
                continue
            if role.id in first and (first[role.id][1].name.zh, first[role.id][1].name.en) != (role.name.zh, role.name.en):
                other = first[role.id][0]
                before = first[role.id][1].name
                if before.zh != role.name.zh:
                    differs = f"as {role.name.zh} here but as {before.zh} in {other.path}"
                else:  # only the English differs: say so, or the message reads "as X here but as X there"
                    differs = (f"with the English name '{role.name.en}' here but '{before.en}' in {other.path} "
                               f"(the Chinese name {role.name.zh} is the same)")
                diags.append(error(role.pos, "role-conflict", f"role '{role.id}' is declared {differs}",
                                   "declare a role used by several procedures once, in _shared.yaml, and use {ref: id}"))
            first.setdefault(role.id, (proc, role))
    return diags


def _references(procedures: list[Procedure]) -> list[Diagnostic]:
    numbers = {p.number for p in procedures}
    diags = []
    for proc in procedures:
        for ref in proc.references:
            if ref.number and ref.number not in numbers:
                diags.append(error(ref.pos, "unknown-reference", f"reference to {ref.number} ({ref.title.zh}): no procedure has that number",
                                   "correct the number, or leave it out: a procedure not yet in the library is listed as not published"))
    return diags

"""Revision-log rules: the header version is the newest entry; entries ascend and are complete."""
from __future__ import annotations

from ..source.diagnostics import error
from ..source.model import Procedure
from ..source.versions import version_key
from .registry import rule

def header_matches_log(proc: Procedure):
    pos = proc.key_pos.get("version", proc.pos)
    if not proc.revisions:
        yield error(pos, "revision-version", f"version {proc.version} has no entry in the revision log (修订记录)",
                    "add a revisions: entry for this version")
    elif proc.revisions[-1].version != proc.version:
        yield error(pos, "revision-version",
                    f"header version {proc.version} is not the newest revision-log entry ({proc.revisions[-1].version})",
                    "bump the header version and the revision log together (python -m generators new-revision)")


def log_ascends(proc: Procedure):
    seen: dict[str, int] = {}
    previous = None
    for rev in proc.revisions:
        key = version_key(rev.version)
        if rev.version in seen:
            yield error(rev.pos, "revision-order", f"revision {rev.version} appears twice in the log",
                        f"it first appears at line {seen[rev.version]}")
        elif previous and key and previous[0] and key <= previous[0]:
            yield error(rev.pos, "revision-order", f"revision {rev.version} comes after {previous[1].version}; versions must ascend",
                        "list revisions oldest first")
        elif previous and rev.date and previous[1].date and rev.date < previous[1].date:
            yield error(rev.pos, "revision-order", f"revision {rev.version} is dated {rev.date}, before {previous[1].version} ({previous[1].date})",
                        "revision dates must not go backwards")
        seen.setdefault(rev.version, rev.pos.line)
        previous = (key, rev)


def entries_complete(proc: Procedure):
    for rev in proc.revisions:
        missing = [label for label, value in (("change description (changes)", rev.changes),
                                              ("changed by", rev.changed_by), ("reviewed by", rev.reviewed_by),
                                              ("approved by", rev.approved_by)) if not value]
        if missing:
            yield error(rev.pos, "revision-incomplete", f"revision {rev.version}: no {', no '.join(missing)}",
                        "each entry records what changed, who changed it, who reviewed and who approved it")


# Registered here rather than with @rule: mutation testing (make mutants) cannot mutate a decorated function.
rule(header_matches_log, log_ascends, entries_complete)

"""The publication ledger: what each published site claimed was approved, chained so that nobody
can rewrite it alone.

Every published site carries ``library/ledger.json``: for each version of each procedure on main,
its approval commit, the fingerprint of what was approved, the signatures that approved it, and the
date a ledger first saw it; a digest of every register entry (approvers, deviations, withdrawals);
main's commit; and the SHA-256 of the previous ledger (a hash chain). Publishing reads the last
published ledger (``site/library/ledger.json`` of the last build, or ``LEDGER=`` a path or URL such as
the live site's) and refuses a history that drops or changes an entry, or whose main does not
descend from the last published commit: a squash, a reset or a force-push of main cannot be
published without the ledger showing it. A commit back-dated by its author is shown with the date
the ledger first saw it.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ..source.diagnostics import Diagnostic, Position, error, warning
from ..source.yamltree import MAX_FILE_BYTES
from .register import APPEND_ONLY, entry_digests

FILE = "ledger.json"  # in docs/library/, published as library/ledger.json
DEFAULT_SITE = Path("site")  # where `make site` puts the last build (publish/sitebuild.py SITE)
ENV = "LEDGER"
RULE = "ledger"
FORMAT = 1
MAX_LEDGER_BYTES = 16 * MAX_FILE_BYTES


@dataclass(frozen=True)
class Previous:
    data: dict | None  # the last published ledger (None: none yet)
    sha256: str | None  # of its bytes, for the chain
    source: str  # where it was read from (for messages)


def _key(entry: dict) -> str:
    return f"{entry.get('number')} {entry.get('version')}"


def entries(walked, sign_offs: dict, first_seen: dict, today: str) -> list[dict]:
    """One entry per version of every procedure in a walk of main (control.approvals.LibraryHistory)."""
    out = []
    for lineage in walked.lineages:
        signed = sign_offs.get(lineage.slug, {})
        for record in lineage.versions():
            if not record.version:
                continue
            sign = signed.get(record.version)
            signatures = [{"part": s.part, "signer": s.person.id, "commit": s.statement.commit, "key": s.statement.key}
                          for s in ((sign.review, sign.approve) if sign and sign.required else ()) if s and s.verified]
            entry = {"number": lineage.number, "version": record.version,
                     "approval_commit": record.approval.commit.sha, "approved_on": record.approval.commit.date,
                     "fingerprint": record.last.sealed, "signatures": signatures,
                     "legacy": bool(sign and sign.legacy)}
            entry["first_seen"] = first_seen.get(_key(entry), today)
            out.append(entry)
    return sorted(out, key=_key)


def register_digests(folder: Path) -> dict[str, dict[str, str]]:
    """kind -> entry key -> digest of every register entry of ``folder``."""
    out = {}
    for kind, name, list_key, fields in APPEND_ONLY:
        path = folder / name
        if path.is_file() and not path.is_symlink() and path.stat().st_size <= MAX_FILE_BYTES:
            out[kind] = entry_digests(list_key, fields, name, path.read_bytes())
    return out


def read_previous(source: str | None, default: Path) -> tuple[Previous, list[Diagnostic]]:
    """The last published ledger: from ``source`` (a path or an http(s) URL), else ``default`` if present."""
    where = source or str(default)
    try:
        if source and source.startswith(("http://", "https://")):
            with urllib.request.urlopen(source, timeout=30) as response:  # noqa: S310 (an address the publisher sets)
                data = response.read(MAX_LEDGER_BYTES + 1)
        elif source or default.is_file():
            path = Path(where)
            if path.is_symlink() or path.stat().st_size > MAX_LEDGER_BYTES:
                return Previous(None, None, where), [error(Position(where), RULE, "the last ledger is a link or too large",
                                                           "point LEDGER= at the published ledger file")]
            data = path.read_bytes()
        else:
            return Previous(None, None, where), []
    except urllib.error.HTTPError as exc:
        if exc.code == 404:  # nothing published there yet: this publication starts the chain (a warning says so)
            return Previous(None, None, where), []
        return Previous(None, None, where), [error(Position(where), RULE, f"cannot read the last published ledger: {exc}",
                                                   "publishing needs it to prove nothing was dropped")]
    except OSError as exc:
        return Previous(None, None, where), [error(Position(where), RULE, f"cannot read the last published ledger: {exc}",
                                                   "publishing needs it to prove nothing was dropped; "
                                                   "LEDGER=path-or-URL names it, LEDGER=none for the very first publication")]
    if len(data) > MAX_LEDGER_BYTES:
        return Previous(None, None, where), [error(Position(where), RULE, "the last ledger is too large", "check LEDGER=")]
    try:
        ledger = json.loads(data.decode("utf-8"))
        if not isinstance(ledger, dict) or not isinstance(ledger.get("entries"), list):
            raise ValueError("no entries")
    except ValueError as exc:
        return Previous(None, None, where), [error(Position(where), RULE, f"the last published ledger is not a ledger ({exc})",
                                                   "LEDGER= must name a library/ledger.json of a published site")]
    return Previous(ledger, hashlib.sha256(data).hexdigest(), where), []


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60)


def compare(previous: Previous, current: list[dict], registers: dict, root: Path, head: str) -> list[Diagnostic]:
    """What publishing ``current`` would drop or change of the last published ledger."""
    if previous.data is None:
        return []
    pos = Position(previous.source)
    diags = []
    last_main = str(previous.data.get("main") or "")
    if last_main:
        known = _git(["cat-file", "-e", f"{last_main}^{{commit}}"], root).returncode == 0
        if not known or _git(["merge-base", "--is-ancestor", last_main, head], root).returncode != 0:
            diags.append(error(pos, "ledger-history-rewritten",
                               f"main ({head[:12]}) does not descend from the last published commit {last_main[:12]}: "
                               "main's history was rewritten (a squash, a reset or a force-push)",
                               "history is never rewritten: restore main from the last published commit and fix forward"))
    now = {_key(e): e for e in current}
    for entry in previous.data.get("entries", []):
        if not isinstance(entry, dict):
            continue
        mine = now.get(_key(entry))
        if mine is None:
            diags.append(error(pos, "ledger-entry-dropped", f"{_key(entry)} was published (first seen "
                               f"{entry.get('first_seen')}) and is no longer in main's history",
                               "a published revision stays on record: restore the history that held it"))
        elif (mine["approval_commit"], mine["fingerprint"]) != (entry.get("approval_commit"), entry.get("fingerprint")):
            diags.append(error(pos, "ledger-entry-changed", f"{_key(entry)}: its approval commit or approved content "
                               "differs from what was published", "the record of a published approval is never changed"))
    for kind, items in (previous.data.get("registers") or {}).items():
        for key, value in (items or {}).items():
            if (registers.get(kind) or {}).get(key) != value:
                diags.append(error(pos, "ledger-register-changed", f"{kind} entry {key} was changed or removed after it "
                                   "was published", "register entries are append-only: add a new entry instead"))
    return diags


def ledger(previous: Previous, current: list[dict], registers: dict, head: str, today: str) -> dict:
    """The ledger to publish with this build, chained to ``previous``."""
    return {"format": FORMAT, "published_on": today, "main": head, "previous": previous.sha256,
            "entries": current, "registers": registers}


def first_seen(previous: Previous) -> dict[str, str]:
    """"NUMBER VERSION" -> the date the ledger chain first saw it."""
    if previous.data is None:
        return {}
    return {_key(e): str(e.get("first_seen")) for e in previous.data.get("entries", []) if isinstance(e, dict) and e.get("first_seen")}


def unseen_warning(previous: Previous) -> list[Diagnostic]:
    if previous.data is None:
        return [warning(Position(previous.source), "ledger-first", "no published ledger found: this publication starts "
                        "the chain", "set LEDGER= to the live site's library/ledger.json so that publishing checks against it")]
    return []


def for_folder(folder: Path, today: str, previous: Previous) -> tuple[dict | None, list[Diagnostic]]:
    """The ledger of ``folder``'s history as published today, and what it would drop or change of ``previous``."""
    from . import approvals
    from .signoff import library_sign_offs

    walked = approvals.walk(folder)
    if not walked.available:
        return None, []
    head = _git(["rev-parse", "HEAD"], walked.root).stdout.decode().strip()
    current = entries(walked, library_sign_offs(walked, folder), first_seen(previous), today)
    registers = register_digests(folder)
    return ledger(previous, current, registers, head, today), compare(previous, current, registers, walked.root, head)


def previous_for(site: Path) -> tuple[Previous, list[Diagnostic]]:
    """The last published ledger: $LEDGER (a path or URL; "none": there is none), else the built site's."""
    import os

    source = os.environ.get(ENV, "").strip()
    if source.lower() == "none":
        return Previous(None, None, "LEDGER=none"), []
    return read_previous(source or None, site / "library" / FILE)

"""Signed approvals: commits signed with git's own SSH signing, each stating what its signer approves.

``python -m generators approve FILE`` (edit/approve.py) makes an empty commit, signed with the
approver's key, whose message carries one trailer per statement::

    Approves: QP-XS-01 A/5 sha256:<fingerprint of everything approved>
    Reviews: QP-XS-01 A/5 sha256:<…>
    Approves-Deviation: DEV-2026-009 sha256:<fingerprint of the record>
    Approves-Withdrawal: QP-XS-07 sha256:<fingerprint of the record>

The commit travels with the pull request into main (merge it with a merge commit: a squash or a
rebase on the server re-creates commits and drops their signatures). ``statements`` finds every
such commit reachable from main and has git verify it against the allowed-signers file generated
from the approver register (people.py), so a signature counts only when the register gives that key
to that person on the commit's date. What a statement is worth for one version is decided in
``assess``: the signer must be the person the revision entry names, with authority for the
procedure, and the fingerprint must be the published one.
"""
from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .people import Register, allowed_signers

TRAILER = re.compile(r"^(Approves|Reviews|Approves-Deviation|Approves-Withdrawal): (\S+)(?: (\S+))? sha256:([0-9a-f]{64})\s*$",
                     re.M)
KIND = {"Approves": "approve", "Reviews": "review", "Approves-Deviation": "deviation",
        "Approves-Withdrawal": "withdrawal"}
GOOD = re.compile(r'Good "git" signature for (\S+) with (\S+) key (SHA256:\S+)')


@dataclass(frozen=True)
class Statement:
    """One trailer of a signed commit: ``kind`` (approve, review, deviation, withdrawal) of ``subject``
    (a document number or a record id) at ``version``, covering ``fingerprint``."""

    kind: str
    subject: str
    version: str
    fingerprint: str
    commit: str
    date: str  # the signed commit's committer date, YYYY-MM-DD
    signer: str | None  # the register id git verified the signature for; None: not verified
    key: str = ""  # the key's SHA256 fingerprint
    problem: str = ""  # why it did not verify


def _git(args: list[str], cwd: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120, **kw)


def statements(root: Path, ref: str, reg: Register) -> list[Statement]:
    """Every statement in a commit reachable from ``ref``, verified against the register's keys."""
    if not reg.present:
        return []
    log = _git(["log", "--format=%H%x1f%cs%x1f%B%x1e", "-E", "--grep=^(Approves|Reviews|Approves-Deviation|"
                "Approves-Withdrawal): ", "--end-of-options", ref, "--"], root)
    if log.returncode != 0:
        return []
    out: list[Statement] = []
    with tempfile.TemporaryDirectory(prefix="signers-") as tmp:
        signers = Path(tmp) / "allowed_signers"
        signers.write_text(allowed_signers(reg), encoding="utf-8")
        for record in log.stdout.decode("utf-8", "replace").split("\x1e"):
            parts = record.strip("\n").split("\x1f")
            if len(parts) != 3:
                continue
            sha, date, body = parts
            found = TRAILER.findall(body)
            if not found:
                continue
            signer, key, problem = verify(root, sha, signers)
            out += [Statement(KIND[kind], subject, version or "", fingerprint, sha, date, signer, key, problem)
                    for kind, subject, version, fingerprint in found]
    return out


def verify(root: Path, sha: str, signers: Path) -> tuple[str | None, str, str]:
    """(register id, key fingerprint, "") when git verifies ``sha``'s signature against ``signers``;
    else (None, "", why)."""
    result = _git(["-c", "gpg.format=ssh", "-c", f"gpg.ssh.allowedSignersFile={signers}", "verify-commit", "--end-of-options", sha],
                  root)
    text = result.stderr.decode("utf-8", "replace") + result.stdout.decode("utf-8", "replace")
    good = GOOD.search(text)
    if result.returncode == 0 and good:
        return good[1], good[3], ""
    if "no signature" in text.lower() or not text.strip():
        return None, "", "the commit is not signed"
    if "no principal matched" in text.lower() or "not allowed" in text.lower():
        return None, "", "signed with a key the register does not give to anyone at that date"
    return None, "", "the signature does not verify"


@dataclass(frozen=True)
class Signed:
    """Who signed one part (review or approval) of one version: the verified statement, or why none counts."""

    part: str  # "review" or "approve"
    statement: Statement | None  # the statement that counts
    person: object = None  # people.Person of the signer
    problem: str = ""  # empty when a statement counts

    @property
    def verified(self) -> bool:
        return self.statement is not None


def assess(part: str, number: str, version: str, fingerprint: str, named: str | None, department: str | None,
           found: list[Statement], reg: Register) -> Signed:
    """The ``part`` ("review" or "approve") of ``number`` ``version``: a statement counts when git
    verified it for the register's person that the revision entry ``named``, that person may do that
    part for this procedure on the signing date, and its fingerprint is the published ``fingerprint``."""
    mine = [s for s in found if s.kind == part and s.subject == number and s.version == version]
    if not mine:
        return Signed(part, None, None, f"no signed {'approval' if part == 'approve' else 'review'} of {number} {version}")
    problems = []
    for statement in reversed(mine):  # the newest first
        if statement.signer is None:
            problems.append(f"commit {statement.commit[:7]}: {statement.problem}")
            continue
        person = reg.entry(statement.signer, statement.date)
        if person is None:
            problems.append(f"commit {statement.commit[:7]}: signer {statement.signer} has no register entry valid on {statement.date}")
        elif not person.is_named(named):
            problems.append(f"commit {statement.commit[:7]}: signed by {person.name.zh} ({person.id}), "
                            f"but the revision entry names '{named or '—'}'")
        elif not person.may(part, number, department):
            problems.append(f"commit {statement.commit[:7]}: {person.name.zh} may not {part} {number} "
                            f"(register: may_{'review' if part == 'review' else 'approve'})")
        elif statement.fingerprint != fingerprint:
            problems.append(f"commit {statement.commit[:7]}: the signed content (sha256:{statement.fingerprint[:12]}…) "
                            f"is not the published content (sha256:{fingerprint[:12]}…)")
        else:
            return Signed(part, statement, person)
    return Signed(part, None, None, "; ".join(problems))

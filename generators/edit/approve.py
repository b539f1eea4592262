"""``python -m generators approve FILE…`` and ``review FILE…``: sign what you approve, with git's SSH signing.

For each procedure file (committed, unchanged in the working tree) it computes the fingerprint of
everything an approval covers (control/fingerprint.py ``sealed_content``: content, shared
declarations, version, effective date, review date, approval block) as the file stands at HEAD, and
makes one empty commit signed with your key (``git commit -S``, ``gpg.format ssh``) whose message
states it: ``Approves: QP-XS-01 A/5 sha256:…`` (``Reviews:`` for a review). Before signing it checks
what ``check --history`` will check, so a signature that could never count is refused here: the key
belongs to a person in the approver register, on today's date; the revision entry names that person
as approver (reviewer); the register gives them authority for the procedure.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..control import gitlog, people
from ..control.fingerprint import digest, sealed_content, shared_declarations
from ..source.loader import SHARED_FILE, load_bytes, shared_from_bytes
from ..source.model import NO_SHARED
from ..source.names import same_person


class ApproveError(Exception):
    """A reason not to sign, said to the person at the keyboard."""


@dataclass(frozen=True)
class Signed:
    commit: str
    signer: str  # the register's printed name
    lines: tuple[str, ...]  # the statements made


def _git(args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120)
    if check and result.returncode != 0:
        raise ApproveError(f"git {args[0]} failed: {result.stderr.decode('utf-8', 'replace').strip()}")
    return result


def public_key(key: Path) -> str:
    """'type base64' of a signing key: the .pub beside it, or derived from the private key."""
    pub = key if key.suffix == ".pub" else key.with_name(key.name + ".pub")
    if pub.is_file():
        text = pub.read_text(encoding="utf-8", errors="replace")
    else:
        result = subprocess.run(["ssh-keygen", "-y", "-f", str(key)], capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise ApproveError(f"cannot read the public part of {key}: {result.stderr.strip()}")
        text = result.stdout
    return " ".join(text.split()[:2])


def signing_key(root: Path, given: str | None) -> Path:
    key = given or _git(["config", "--get", "user.signingkey"], root, check=False).stdout.decode().strip()
    if not key:
        raise ApproveError("no signing key: pass --key ~/.ssh/id_ed25519, or run "
                           "git config --global user.signingkey ~/.ssh/id_ed25519 (see the guide: Signing)")
    path = Path(key).expanduser()
    if not path.is_file():
        raise ApproveError(f"signing key {path} not found")
    return path


def _may_sign(file: Path, proc, part: str, signer) -> None:
    """Refuse a signature ``check --history`` would not count: the entry must name the signer, who has authority."""
    entry = next((r for r in proc.revisions if r.version == proc.version), None)
    named = (entry.approved_by if part == "approve" else entry.reviewed_by) if entry else None
    role = "approver (approved_by)" if part == "approve" else "reviewer (reviewed_by)"
    if not signer.is_named(named):
        raise ApproveError(f"{file}: the revision entry of {proc.version} names '{named or '—'}' as {role}, "
                           f"not {signer.name.zh} ({signer.name.en})")
    if entry and part == "approve" and same_person(entry.changed_by, named):
        raise ApproveError(f"{file}: {named} made this change and may not approve it")
    if not signer.may(part, proc.number, proc.department):
        raise ApproveError(f"{file}: the register does not give {signer.name.zh} authority to {part} "
                           f"{proc.number} (may_{'review' if part == 'review' else 'approve'})")


def _in_force(folder: Path, file: Path, today: str) -> list[tuple]:
    """(model, published fingerprint) of each version of ``file`` on main that is current or pending on ``today``."""
    from ..control import approvals, lifecycle

    walked = approvals.walk(folder)
    lineage = next((l for l in walked.lineages if l.slug == file.stem and l.deleted is None), None)
    if lineage is None:
        return []
    records = [r for r in lineage.versions() if r.version]
    status = lifecycle.status_of_records(records, today)
    keep = {v for v, s in status.states if s in (lifecycle.State.CURRENT, lifecycle.State.PENDING)}
    return [(r.last.procedure, r.last.sealed) for r in records if r.version in keep]


def sign(files: list[Path], part: str, key: str | None = None, today: str = "", in_force: bool = False) -> Signed:
    """Make one signed commit stating ``part`` ("approve" or "review") of each file's revision (with
    ``in_force``: of each revision of the file that is current or pending on ``today``, from main's
    history: the re-approval of revisions approved before signatures were required)."""
    if not files:
        raise ApproveError("name the procedure file(s) to sign")
    folder = files[0].resolve().parent
    root, reg, signer, key_path = _signer(folder, key, today)
    shared_bytes = gitlog.file_at("HEAD", folder / SHARED_FILE)
    shared_model = shared_from_bytes(SHARED_FILE, shared_bytes)[0] if shared_bytes else NO_SHARED
    statements = []
    for file in files:
        data = gitlog.file_at("HEAD", file)
        if data is None:
            raise ApproveError(f"{file} is not committed: commit it first")
        proc, _ = load_bytes(str(file), data, file.stem, shared_model)
        if proc is None:
            raise ApproveError(f"{file} does not load; run make check")
        if in_force:
            targets = _in_force(folder, file, today)
            if not targets:
                raise ApproveError(f"{file}: no revision of it is in force or pending on {today}")
        else:
            targets = [(proc, digest(sealed_content(data, shared_declarations(shared_bytes))))]
        for model, fingerprint in targets:
            _may_sign(file, model, part, signer)
            statements.append(f"{'Approves' if part == 'approve' else 'Reviews'}: {model.number} {model.version} sha256:{fingerprint}")
    verb = {"approve": "批准 / Approve", "review": "审核 / Review"}[part]
    subject = f"{verb}: " + ", ".join(s.split()[1] + " " + s.split()[2] for s in statements)
    message = subject + "\n\n" + f"Signed by {signer.name.zh} ({signer.name.en}), {signer.id}.\n\n" + "\n".join(statements) + "\n"
    return Signed(_signed_commit(root, key_path, message), f"{signer.name.zh} ({signer.name.en})", tuple(statements))


def sign_record(folder: Path, record_id: str, key: str | None = None, today: str = "") -> Signed:
    """One signed commit approving a deviation (by id) or a withdrawal (by document number) as it stands."""
    from ..control import deviations, withdrawal

    root, reg, signer, key_path = _signer(folder, key, today)
    found = [("deviation", d, d.procedure) for d in deviations.load(folder)[0] if d.id == record_id]
    found += [("withdrawal", w, w.number) for w in withdrawal.load(folder)[0] if w.number == record_id]
    if not found:
        raise ApproveError(f"no deviation or withdrawal record {record_id} in {folder}")
    kind, record, number = found[0]
    if not signer.may("approve", number, None):
        raise ApproveError(f"the register does not give {signer.name.zh} authority to approve for {number}")
    if kind == "deviation":
        author = _git(["log", "-1", "--format=%an", "--end-of-options", record.commit], root, check=False).stdout.decode().strip()
        if author and signer.is_named(author):
            raise ApproveError(f"{signer.name.zh} made commit {record.commit}: the person who caused a finding never accepts it")
    trailer = f"{'Approves-Deviation' if kind == 'deviation' else 'Approves-Withdrawal'}: {record_id} sha256:{record.digest}"
    message = (f"批准 / Approve {kind} {record_id}\n\nSigned by {signer.name.zh} ({signer.name.en}), {signer.id}.\n\n"
               f"{trailer}\n")
    return Signed(_signed_commit(root, key_path, message), f"{signer.name.zh} ({signer.name.en})", (trailer,))


def _signer(folder: Path, key: str | None, today: str):
    """(repository root, register, the register's person holding the signing key today, the key's path),
    or the reason there is none. What is signed must be committed: procedure/ may have no uncommitted change."""
    root = gitlog.toplevel(folder)
    if root is None:
        raise ApproveError("not in a git repository")
    reg, problems = people.load(folder)
    if not reg.present:
        raise ApproveError(f"no approver register: create {folder / people.FILE} first (see the guide: Signing)")
    if problems:
        raise ApproveError(f"the approver register has errors; run make check ({problems[0].message})")
    if _git(["status", "--porcelain", "--", str(folder)], root).stdout.decode().strip():
        raise ApproveError("procedure/ has changes that are not committed: commit them first, "
                           "so that what you sign is what is merged")
    key_path = signing_key(root, key)
    pub = public_key(key_path)
    signer = next((p for p in reg.people if pub in p.keys and p.valid_on(today)), None)
    if signer is None:
        raise ApproveError(f"the key {key_path} belongs to nobody in the approver register on {today}: "
                           "ask the register's owner to add your public key (a new entry)")
    return root, reg, signer, key_path


def _signed_commit(root: Path, key_path: Path, message: str) -> str:
    result = subprocess.run(["git", "-c", "gpg.format=ssh", "-c", f"user.signingkey={key_path}", "commit", "--allow-empty",
                             "--no-verify", "-S", "-F", "-"], cwd=root, input=message.encode("utf-8"),
                            capture_output=True, timeout=120)
    if result.returncode != 0:
        raise ApproveError("git commit -S failed: " + result.stderr.decode("utf-8", "replace").strip())
    return _git(["rev-parse", "HEAD"], root).stdout.decode().strip()

"""Each version's approval, from main's first-parent history of the procedure folder.

A merged pull request is one step of main's first-parent history, whatever commits it held. A
version's *approval commit* is the first step in which that version appears: the content approved
is the content of that commit (its fingerprint). A later step that changes the content under the
same version is a modification after approval. A file that vanishes is a deletion, unless a file
with the same document number appears in the same step (a rename: the history continues).
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import gitlog
from ..source.loader import SHARED_FILE, load_bytes, shared_from_bytes
from ..source.model import NO_SHARED, Procedure
from .fingerprint import digest, resolved_content, shared_declarations


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # committer's date of the step on main, YYYY-MM-DD
    author: str  # who recorded it in git (not who approved it)
    index: int = 0  # position in main's first-parent history (oldest step 0)

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True)
class Snapshot:
    """A procedure file as one step of main left it."""

    commit: Commit
    path: str  # relative to the repository's top
    number: str
    version: str
    fingerprint: str
    forms: dict  # form id -> (number, version, fingerprint of everything but the version)
    procedure: Procedure = field(compare=False, repr=False)
    shared_only: bool = False  # the content changed through _shared.yaml, not through the file
    log: str = ""  # fingerprint of the revision log (a rewritten entry is a change of the record)

    @property
    def slug(self) -> str:
        return site_slug(PurePosixPath(self.path).stem)


def site_slug(stem: str) -> str:
    """The name a file from main's history goes by on the site: its stem, unless that is no valid
    procedure id or a name the site's own pages take (check refuses both in the working tree, but
    history is never checked): a withdrawn '..yaml' wrote its pages over library/index, a 'roles.yaml'
    over the role index. Such a name is replaced by its digest."""
    from ..source.paths import reserved_slugs
    from ..rules.header import SLUG_PATTERN

    if SLUG_PATTERN.match(stem) and stem not in reserved_slugs():
        return stem
    return "x-" + digest(stem)[:12]


@dataclass(frozen=True)
class VersionRecord:
    version: str
    approval: Snapshot  # the first step that held this version
    modifications: tuple[Snapshot, ...]  # later steps that changed its content without a new version

    @property
    def last(self) -> Snapshot:
        return self.modifications[-1] if self.modifications else self.approval


@dataclass(frozen=True)
class Lineage:
    """One controlled document through time, across renames, until it was deleted (if it was)."""

    snapshots: tuple[Snapshot, ...]  # one per step that changed its content, path or version
    deleted: Commit | None = None

    @property
    def slug(self) -> str:
        return self.snapshots[-1].slug

    @property
    def number(self) -> str:
        return self.snapshots[-1].number

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.slug for s in self.snapshots))

    def versions(self) -> list[VersionRecord]:
        records: dict[str, VersionRecord] = {}
        previous = None
        for snap in self.snapshots:
            record = records.get(snap.version)
            if record is None:
                records[snap.version] = VersionRecord(snap.version, snap, ())
            elif previous is not None and snap.fingerprint != previous.fingerprint and previous.version == snap.version:
                records[snap.version] = VersionRecord(snap.version, record.approval, record.modifications + (snap,))
            previous = snap
        return list(records.values())


@dataclass(frozen=True)
class LibraryHistory:
    lineages: tuple[Lineage, ...]
    shallow: bool  # the clone lacks history: early steps are missing
    available: bool  # False outside a git work tree
    ref: str = "HEAD"


UNAVAILABLE = LibraryHistory((), False, False)


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120)


class _Blobs:
    """Reads blobs through one `git cat-file --batch` process."""

    def __init__(self, cwd: Path):
        self.process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=cwd, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE)
        self.cache: dict[str, bytes] = {}

    def read(self, sha: str) -> bytes:
        if sha not in self.cache:
            self.process.stdin.write(sha.encode() + b"\n")
            self.process.stdin.flush()
            header = self.process.stdout.readline().split()
            data = b""
            if len(header) == 3:  # "<sha> <type> <size>", then the content and a newline
                data = self.process.stdout.read(int(header[2]))
                self.process.stdout.read(1)
            # else "<sha> missing" and nothing after it: reading the newline there waited forever
            self.cache[sha] = data
        return self.cache[sha]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _tree(commit: str, folder: str, cwd: Path) -> dict[str, str]:
    """path -> blob id of the folder's files at a commit (not recursive)."""
    listing = _git(["ls-tree", "-z", commit, "--", f"{folder}/"], cwd).stdout.decode("utf-8", "replace")
    out = {}
    for entry in filter(None, listing.split("\0")):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob":
            out[path] = parts[2]
    return out


def _is_procedure(path: str) -> bool:
    name = PurePosixPath(path).name
    return name.endswith(".yaml") and not name.startswith("_")


def walk(folder: Path, ref: str = "HEAD") -> LibraryHistory:
    """Every procedure of ``folder`` through main's first-parent history up to ``ref``."""
    # Git is asked from the nearest real folder: the procedure folder may be gone (a pull request
    # that deletes it still has a history to check) or be a link, which is never followed.
    folder = folder.absolute().parent.resolve() / folder.absolute().name
    anchor = next((p for p in (folder, *folder.parents) if p.is_dir() and not p.is_symlink()), None)
    root = gitlog.toplevel(anchor) if anchor else None
    if root is None:
        return UNAVAILABLE
    if folder != root and root not in folder.parents:
        return UNAVAILABLE
    rel = folder.relative_to(root).as_posix() if folder != root else "."
    shallow = _git(["rev-parse", "--is-shallow-repository"], root).stdout.strip() == b"true"
    # --end-of-options: a ref such as --output=FILE is a revision to git, never an option (it wrote a file)
    log = _git(["log", "--first-parent", "--reverse", "--format=%H%x09%cd%x09%an", "--date=short", "--end-of-options", ref, "--",
                f"{rel}/"], root)
    if log.returncode != 0:
        return LibraryHistory((), shallow, True, ref)
    blobs = _Blobs(root)
    try:
        return LibraryHistory(tuple(_lineages(log.stdout.decode("utf-8", "replace"), rel, root, blobs)), shallow, True, ref)
    finally:
        blobs.close()


def _lineages(log: str, rel: str, root: Path, blobs: _Blobs) -> list[Lineage]:
    live: dict[str, list] = {}  # path -> [snapshots, blob id]
    done: list[Lineage] = []
    shared_blob = None
    shared_cache: dict = {}
    for index, line in enumerate(log.splitlines()):
        sha, date, author = (line.split("\t") + ["", ""])[:3]
        commit = Commit(sha, date, author, index)
        tree = _tree(sha, rel, root)
        new_shared_blob = tree.get(str(PurePosixPath(rel, SHARED_FILE)))  # git lists "_shared.yaml" at the top, not "./_shared.yaml"
        shared_changed = new_shared_blob != shared_blob
        shared_blob = new_shared_blob
        if shared_blob not in shared_cache:
            data = blobs.read(shared_blob) if shared_blob else None
            shared_cache[shared_blob] = (shared_from_bytes(SHARED_FILE, data)[0] if data else NO_SHARED,
                                         shared_declarations(data))
        shared_model, declared = shared_cache[shared_blob]
        files = {p: b for p, b in tree.items() if _is_procedure(p)}
        snaps = {}
        for path, blob in files.items():
            if path in live and live[path][1] == blob and not shared_changed:
                continue
            snap = _snapshot(commit, path, blobs.read(blob), shared_model, declared)
            if snap is not None:
                snaps[path] = snap
        vanished = [p for p in live if p not in files]
        added = [p for p in files if p not in live]
        for old in vanished:
            number = live[old][0][-1].number
            renamed = next((p for p in added if p in snaps and number and snaps[p].number == number), None)
            if renamed:
                live[renamed] = live.pop(old)
                added.remove(renamed)
            else:
                done.append(Lineage(tuple(live.pop(old)[0]), deleted=commit))
        for path, snap in snaps.items():
            if path not in live:
                live[path] = [[snap], files[path]]
                continue
            history, _ = live[path]
            last = history[-1]
            if (snap.fingerprint, snap.version, snap.path, snap.log) != (last.fingerprint, last.version, last.path, last.log):
                shared_only = last.path == snap.path and live[path][1] == files[path]
                history.append(_with(snap, shared_only=shared_only))
        for path in files:  # after the renames above: the blob each live file has now, for the next step's skip
            if path in live:
                live[path][1] = files[path]
    return done + [Lineage(tuple(h)) for h, _ in live.values()]


def _with(snap: Snapshot, **changes) -> Snapshot:
    from dataclasses import replace

    return replace(snap, **changes)


def _snapshot(commit: Commit, path: str, data: bytes, shared_model, declared) -> Snapshot | None:
    slug = site_slug(PurePosixPath(path).stem)
    proc, _ = load_bytes(f"{path}@{commit.short}", data, slug, shared_model)
    content = resolved_content(data, declared)
    if proc is None or content is None:
        return None
    forms = {}
    for form in content.get("forms") or []:
        if isinstance(form, dict) and form.get("id"):
            rest = {k: v for k, v in form.items() if k != "version"}
            forms[str(form["id"])] = (str(form.get("number") or ""), str(form.get("version") or ""), digest(rest))
    log = digest([[r.version, r.date, [[c.zh, c.en] for c in r.changes], r.changed_by, r.reviewed_by, r.approved_by]
                  for r in proc.revisions])
    return Snapshot(commit, path, proc.number, proc.version, digest(content), forms, proc, log=log)

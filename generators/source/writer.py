"""Writes generated files: atomically, only when their content changed, never over hand-written files.

A manifest in the output folder lists what the generator wrote last time; only those
files are ever replaced or removed. Anything else found in the way is reported.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".manifest.json"


class WriteConflict(Exception):
    """A generated file would replace a file the generator did not write."""

    def __init__(self, paths: list[Path]):
        self.paths = paths
        super().__init__(", ".join(map(str, paths)))


@dataclass
class WriteStats:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def atomic_write(path: Path, data: bytes) -> None:
    """Write through a temporary file and rename, so readers never see half a file."""
    tmp = _stage(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def mark_used(path: Path) -> None:
    """A cache entry read is given the time of reading: CI keeps only the entries its build used
    (.github/workflows/procedures.yml removes the others before saving the cache)."""
    try:
        os.utime(path)
    except OSError:
        pass


def _read_manifest(out_dir: Path) -> set[str]:
    try:
        return set(json.loads((out_dir / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return set()


def sync(out_dir: Path, outputs: dict[str, bytes], kept: set[str] = frozenset()) -> WriteStats:
    """Make ``out_dir`` hold exactly ``outputs`` (relative path -> bytes) of the generator's files,
    and ``kept``: files the last run wrote that the caller knows are still right (a focused build
    after an edit, generators/incremental.py), neither read nor written again.

    All changed files are first written beside their targets as temporary files, then renamed
    into place together: a build interrupted while rendering or writing leaves the previous
    output whole (leftover temporary files are removed by the next run).
    """
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    for leftover in out_dir.rglob(".*.tmp"):
        leftover.unlink()
    previous = _read_manifest(out_dir)
    stats = WriteStats()
    conflicts = []
    changed: dict[Path, bytes] = {}
    for rel, data in sorted(outputs.items()):
        target = out_dir / rel
        if not target.resolve().is_relative_to(out_dir):
            raise ValueError(f"refusing to write outside {out_dir}: {rel}")
        try:
            current = target.read_bytes()
        except OSError:
            current = None
        if current == data:
            stats.unchanged += 1
            continue
        if current is not None and rel not in previous:
            conflicts.append(target)
        changed[target] = data
    if conflicts:
        raise WriteConflict(conflicts)
    staged = []
    staging = _staging_dir(out_dir)
    try:
        for target, data in changed.items():
            staged.append((_stage(target, data, staging), target))
    except BaseException:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)
        raise
    # Pages last: a `mkdocs serve` rebuild that starts mid-burst then finds every file a new page
    # links to (a PDF, a chart) already in place, and warns of no missing target.
    for temporary, target in sorted(staged, key=lambda item: item[1].suffix == ".md"):
        os.replace(temporary, target)
        stats.written.append(target.relative_to(out_dir).as_posix())
    kept = {rel for rel in kept if rel in previous and rel not in outputs}
    stats.unchanged += len(kept)
    for rel in sorted(previous - set(outputs) - kept):
        stale = out_dir / rel
        if stale.resolve().is_relative_to(out_dir) and stale.is_file():
            stale.unlink()
            stats.removed.append(rel)
    manifest = json.dumps(sorted({*outputs, *kept}), indent=0).encode()
    if not (out_dir / MANIFEST).exists() or (out_dir / MANIFEST).read_bytes() != manifest:
        atomic_write(out_dir / MANIFEST, manifest)
    return stats


STAGING = Path(".cache/staging")


def _staging_dir(out_dir: Path) -> Path | None:
    """Where to stage files: outside docs/ (so a watching `mkdocs serve` sees only the final
    renames, in one burst), on the same filesystem (so a rename is atomic). None: stage beside."""
    try:
        STAGING.mkdir(parents=True, exist_ok=True)
        if STAGING.stat().st_dev == out_dir.stat().st_dev:
            return STAGING.resolve()
    except OSError:
        pass
    return None


def _stage(path: Path, data: bytes, staging: Path | None = None) -> str:
    """Write ``data`` to a temporary file (in ``staging``, or beside ``path``); return its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=staging or path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o644)  # mkstemp creates 0600; generated files are published as they are
    return tmp

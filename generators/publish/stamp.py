"""Build stamp: one hash of everything a build reads, so an unchanged build can stop at once.

Inputs: the procedure sources, the generator's own code, templates and print styles, the
git commit (history pages come from it), and the date (review banners and print dates).
Kept light: no heavy imports, so the no-change path costs little more than start-up.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # generators/
PRINT_CSS = PACKAGE.parent / "overrides" / "assets" / "stylesheets" / "pdf.css"
STAMP_FILE = Path(".cache") / "build-stamp"  # outside docs/: writing it must not wake `mkdocs serve`


def git_head(cwd: Path) -> str:
    try:
        result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.decode().strip() if result.returncode == 0 else ""


STAMP_READ_LIMIT = 4 << 20  # larger than any file check accepts (2 MiB)


def content_key(path: Path) -> bytes:
    """What stands for a file in the stamp. A symlink is never followed (check refuses it): its
    link text stands for it; a file too large for check is never read whole: its size and time."""
    if path.is_symlink():
        return os.readlink(path).encode()
    if not path.is_file():
        return b""
    info = path.stat()
    if info.st_size > STAMP_READ_LIMIT:
        return f"{info.st_size} {info.st_mtime_ns}".encode()
    return path.read_bytes()


def build_stamp(sources: list[Path], options: str, today: dt.date) -> str:
    """``today``: the run's date (see clock), hashed so a new day rebuilds banners and print dates;
    never the calendar read here, so a run crossing midnight stamps the date it built with."""
    digest = hashlib.sha256(options.encode())
    digest.update(today.isoformat().encode())
    inputs = sorted(sources) + sorted(PACKAGE.rglob("*.py")) + sorted((PACKAGE / "templates").glob("*"))
    inputs += sorted((PACKAGE / "schema").glob("*.json")) + [PRINT_CSS]
    for path in inputs:
        digest.update(str(path).encode())
        digest.update(content_key(path))
    digest.update(git_head(Path(sources[0]).parent if sources else Path.cwd()).encode())
    return digest.hexdigest()


def is_current(out_dir: Path, stamp: str) -> bool:
    """True when the last build wrote ``stamp`` and every file it listed is still there."""
    try:
        if STAMP_FILE.read_text() != stamp:
            return False
        import json

        return all((out_dir / rel).is_file() for rel in json.loads((out_dir / ".manifest.json").read_text()))
    except (OSError, ValueError):
        return False


def record(out_dir: Path, stamp: str) -> None:
    path = STAMP_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text() != stamp:  # an unchanged file is not rewritten
        path.write_text(stamp)

"""`python -m generators site`: MkDocs builds the site into a fresh folder, which then replaces
``site/`` in one atomic exchange.

MkDocs empties its site folder first and then writes page by page: a build killed halfway
(kill -9, a CI timeout) would leave a third of a site and no index.html. Building next to it
and exchanging the two folders leaves either the previous site or the new one, whole.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SITE = Path("site")
WORK = Path(".cache")  # same file system as site/ (both in the project), so renames are atomic
NEXT_PREFIX, OLD_PREFIX = "site-next-", "site-old-"


def remove_leftovers(work: Path = WORK) -> None:
    """Folders of builds that were killed before their swap (never symlinks: rmtree refuses them)."""
    if not work.is_dir():
        return
    for leftover in work.iterdir():
        if leftover.name.startswith((NEXT_PREFIX, OLD_PREFIX)) and leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    return False


def swap_in(built: Path, site: Path = SITE, work: Path = WORK) -> None:
    """Make ``built`` the site: exchanged with the previous one in one step, which is then removed."""
    if not site.exists():
        os.rename(built, site)
        return
    if _exchange(built, site):
        shutil.rmtree(built)  # now the previous site
        return
    old = Path(tempfile.mkdtemp(dir=work, prefix=OLD_PREFIX))  # fallback: two renames, a moment without site/
    os.rename(site, old / "site")
    os.rename(built, site)
    shutil.rmtree(old)


def build(site: Path = SITE, work: Path = WORK, mkdocs_args: list[str] | None = None) -> int:
    """Run ``mkdocs build --strict`` into a new folder and swap it in; MkDocs' exit status."""
    work.mkdir(parents=True, exist_ok=True)
    remove_leftovers(work)
    target = Path(tempfile.mkdtemp(dir=work, prefix=NEXT_PREFIX))
    print(f"building the site with MkDocs into {target} (swapped in for {site}/ when complete)", flush=True)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target.resolve()),
                             *(mkdocs_args or [])])
    if result.returncode != 0:
        shutil.rmtree(target, ignore_errors=True)
        print(f"mkdocs build failed: {site}/ left as it was", file=sys.stderr)
        return result.returncode
    swap_in(target, site, work)
    print(f"site built: {site}/")
    return 0

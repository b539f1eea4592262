"""The file system as a pull request can shape it: sources read without following symlinks,
output folders refused when they are symlinks or lie outside the project.

A pull request controls every byte of the repository, symlinks included: ``procedure/x.yaml ->
/etc/passwd`` must not be read (nor its content echoed in an error), and ``docs/library``,
``site`` or ``.cache`` committed as symlinks must not make the build write or delete outside
the project.
"""
from __future__ import annotations

import errno
import os
import stat
import subprocess
from pathlib import Path

from .diagnostics import Diagnostic, Position, error


class UnsafeFolder(Exception):
    """An output folder that must not be written: its message says which and why."""


def read_source(path: Path, limit: int) -> tuple[bytes | None, Diagnostic | None]:
    """The bytes of a source file, or a located error: the file is opened without following a
    symlink, must be a regular file, and its size is checked before anything is read."""
    name = str(path)
    if path.is_symlink():
        return None, symlink_error(name)
    try:
        # O_NOFOLLOW: a symlink swapped in after the check above is refused, not followed.
        # O_NONBLOCK: opening a FIFO must not hang the check.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, symlink_error(name)
        return None, error(Position(name), "file-unreadable", f"cannot read file: {exc.strerror}")
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):  # before fdopen, which raises IsADirectoryError for a folder
        os.close(fd)
        return None, error(Position(name), "file-unreadable", "not a regular file",
                           "a procedure is a plain text file in procedure/")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limit:
            return None, too_large(name, info.st_size, limit)
        data = handle.read(limit + 1)  # the file may grow after the stat: never read past the limit
    if len(data) > limit:
        return None, too_large(name, len(data), limit)
    return data, None


def too_large(name: str, size: int, limit: int) -> Diagnostic:
    return error(Position(name), "file-too-large", f"file is {size:,} bytes, over the {limit:,}-byte limit",
                 "split the procedure or remove pasted binary content")


def symlink_error(name: str) -> Diagnostic:
    return error(Position(name), "file-symlink", "the file is a symbolic link: sources are never read through links",
                 "replace the link by the file itself (links could make the build read files outside the repository)")


def is_symlink_free(path: Path, root: Path) -> bool:
    """True when neither ``path`` nor any folder between ``root`` and it is a symlink."""
    try:
        relative = path.absolute().relative_to(root.absolute())
    except ValueError:
        return False
    current = root.absolute()
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            return False
    return True


def check_output_folder(path: Path, root: Path, what: str) -> None:
    """Raise ``UnsafeFolder`` unless ``path`` (which may not exist yet) lies inside ``root``
    with no symlink on the way: the build writes and deletes only there."""
    root = root.resolve()
    absolute = path if path.is_absolute() else Path.cwd() / path
    if not is_symlink_free(absolute, root):
        link = next((p for p in [absolute, *absolute.parents] if p.is_symlink()), absolute)
        raise UnsafeFolder(f"{what} '{path}' is or lies under a symbolic link ('{link}' -> '{os.readlink(link)}')"
                           if link.is_symlink() else f"{what} '{path}' lies outside the project folder {root}")
    if not absolute.resolve().is_relative_to(root):
        raise UnsafeFolder(f"{what} '{path}' lies outside the project folder {root}")


def committed_files(paths: list[Path], root: Path) -> list[str]:
    """Files git tracks under generated folders (a committed cache or output could be served as
    if the generator had made it); empty when ``root`` is not a git work tree."""
    try:
        result = subprocess.run(["git", "ls-files", "-z", "--", *(str(p) for p in paths)], cwd=root,
                                capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return []
    if result.returncode != 0:
        return []
    return [name for name in result.stdout.decode("utf-8", "replace").split("\0") if name]


# Folders the build writes or deletes, relative to the project folder.
GENERATED_FOLDERS = ("docs/library", ".cache", "site")


def check_generated_folders(root: Path, folders: list[Path]) -> list[str]:
    """Every reason not to build into ``folders``: symlinks, folders outside the project, and
    files a commit put there. Empty: safe."""
    problems = []
    for folder in folders:
        try:
            check_output_folder(folder, root, "generated folder")
        except UnsafeFolder as exc:
            problems.append(str(exc))
    committed = committed_files([f for f in folders if not f.is_symlink()], root) if not problems else []
    if committed:
        problems.append(f"generated folders hold committed files ({', '.join(committed[:5])}"
                        f"{', ...' if len(committed) > 5 else ''}): remove them from git (git rm -r --cached)")
    return problems


def links_leaving(root: Path, folders: list[Path]) -> list[str]:
    """Symlinks under ``folders`` that point outside the project: MkDocs would follow them and
    publish what they point at (a key file, another checkout's secrets)."""
    root = root.resolve()
    found = []
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):  # os.walk does not descend into linked folders
            for name in dirnames + filenames:
                entry = Path(dirpath) / name
                if entry.is_symlink() and not entry.resolve().is_relative_to(root):
                    found.append(f"'{entry}' is a symbolic link out of the project (-> '{os.readlink(entry)}')")
    return found

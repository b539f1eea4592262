"""Build the HTML site: one ``mkdocs build`` process per language, in parallel, assembled into a
fresh folder that then replaces ``site/`` in one atomic exchange.

``python -m generators site`` (what ``make site`` runs) generates docs/library/, then calls
``build`` here; ``python -m generators.publish.sitebuild`` runs this step alone.

MkDocs empties its site folder first and then writes page by page: a build killed halfway
(kill -9, a CI timeout) would leave a third of a site and no index.html. Building next to it
(in .cache/site-next-*) and exchanging the two folders leaves either the previous site or the
new one, whole.

Why one process per language: mkdocs-static-i18n builds every language in one process and then
merges their search indexes with a de-duplication that grows with the square of the index (a
quarter of the build at 50 procedures). Built alone (its ``build_only_locale``, set here through
the PROCEDURES_SITE_LOCALE variable that mkdocs.yml reads), each language gets its own search index,
the two builds run on two cores, and each process holds only half the pages. The Chinese build
becomes the site's root and the English one its en/ folder: the layout static-i18n gives.

When nothing the site is made of changed since the last successful build (every file in docs/,
the config, the theme overrides, the hooks and generators, the generator's build stamp, which
holds the sources, git HEAD and today's date), MkDocs is not run at all.

Nothing here imports MkDocs: it runs ``mkdocs build`` as a subprocess, as a user would.
"""
from __future__ import annotations

import argparse
import ctypes
import hashlib
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .sitemap import merge_language_sitemaps

SITE = Path("site")
WORK = Path(".cache")  # same file system as site/ (both in the project), so renames are atomic
NEXT_PREFIX, OLD_PREFIX = "site-next-", "site-old-"

LANGUAGES = ("zh", "en")  # as in mkdocs.yml: the first is served at /, the others at /<locale>/
LOCALE_ENV = "PROCEDURES_SITE_LOCALE"  # read by mkdocs.yml: plugins.i18n.build_only_locale
STAMP_FILE = Path(".cache") / "site-stamp"
GENERATOR_STAMP = Path(".cache") / "build-stamp"
CODE_INPUTS = ("mkdocs.yml", "requirements.txt", "overrides", "generators")
ENVIRONMENT_INPUTS = ("SITE_URL", "PREVIEW", "PROCEDURES_TODAY")  # read by mkdocs.yml, the hook or the generator


def _walk(folder: Path):
    """Every file under ``folder``, sorted, without following symlinks out of it."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            yield Path(dirpath) / name


def inputs_digest(root: Path, docs_dir: Path, options: str) -> str:
    """One hash of everything the HTML build reads. docs/ holds thousands of generated files written
    only when their content changes (generators/source/writer.py), so their size and modification time
    stand for their content; the few code and config files are hashed whole."""
    digest = hashlib.sha256(options.encode())
    for path in _walk(docs_dir):
        stat = path.lstat()
        digest.update(f"{path.relative_to(docs_dir)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    for name in CODE_INPUTS:
        part = root / name
        for path in (_walk(part) if part.is_dir() else [part]):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            digest.update(f"{path.relative_to(root)}\0".encode())
            digest.update(path.read_bytes())
    stamp = root / GENERATOR_STAMP
    digest.update(stamp.read_bytes() if stamp.is_file() else b"no generator stamp")
    digest.update(sys.version.encode())
    return digest.hexdigest()


def _site_marker(site_dir: Path) -> str:
    """What the last build left: the home pages of every language (their modification times)."""
    parts = []
    for index, locale in enumerate(LANGUAGES):
        page = site_dir / ("" if index == 0 else locale) / "index.html"
        try:
            parts.append(f"{locale}:{page.stat().st_mtime_ns}")
        except OSError:
            return ""
    return " ".join(parts)


def is_current(root: Path, digest: str, site_dir: Path) -> bool:
    marker = _site_marker(site_dir)
    try:
        return bool(marker) and (root / STAMP_FILE).read_text() == f"{digest} {marker}"
    except OSError:
        return False


def record(root: Path, digest: str, site_dir: Path) -> None:
    path = root / STAMP_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{digest} {_site_marker(site_dir)}")


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
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


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


_RELATIVE_HREF = re.compile(r'xlink:href="(?![a-z][a-z0-9+.-]*:|/|#)([^"#]*)(#[^"]*)?"')


def rebase_copied_charts(site: Path, folder: str) -> int:
    """Every language's build copies docs/'s other files (charts, PDFs) into its own folder. A chart's
    links were written for its place in the site's root folder (a downloaded English chart opens the
    English pages under en/, generators/render/site.py): in the copy under ``folder`` ("en/") they are made
    relative to the copy's place, so both open the same pages. Returns the number of charts rebased."""
    rebased = 0
    for copy in sorted((site / folder).rglob("*.svg")):
        inner = copy.relative_to(site / folder).as_posix()
        original = site / inner
        if not original.is_file() or original.read_bytes() != copy.read_bytes():
            continue
        written_for, now_in = posixpath.dirname(inner), posixpath.join(folder.strip("/"), posixpath.dirname(inner))

        def rebased_href(match: re.Match) -> str:
            path, fragment = match[1], match[2] or ""
            target = posixpath.normpath(posixpath.join(written_for, path or "."))
            href = posixpath.relpath(target, now_in)
            href = "./" if href == "." and (path.endswith("/") or not path) else href
            if path.endswith("/") and not href.endswith("/"):
                href += "/"
            return f'xlink:href="{href}{fragment}"'

        text = copy.read_text(encoding="utf-8")
        new = _RELATIVE_HREF.sub(rebased_href, text)
        if new != text:
            copy.write_text(new, encoding="utf-8")
            rebased += 1
    return rebased


def _mkdocs_command(site_dir: Path, strict: bool, extra: list[str]) -> list[str]:
    command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site_dir.resolve()), *extra]
    return command + (["--strict"] if strict else [])


def build_languages(root: Path, staging: Path, strict: bool = True, jobs: int = 2, verbose: bool = False,
                    extra: list[str] = ()) -> bool:
    """Run one ``mkdocs build`` per language into ``staging/<locale>``, ``jobs`` at a time."""
    pending = list(LANGUAGES)
    running: list[tuple[str, subprocess.Popen, Path, float]] = []
    ok = True
    while pending or running:
        while pending and len(running) < max(1, jobs):
            locale = pending.pop(0)
            log = staging / f"{locale}.log"
            env = dict(os.environ, **{LOCALE_ENV: locale, "NO_MKDOCS_2_WARNING": "1"})
            with open(log, "wb") as out:
                process = subprocess.Popen(_mkdocs_command(staging / locale, strict, list(extra)), cwd=root, env=env,
                                           stdout=out, stderr=subprocess.STDOUT)
            running.append((locale, process, log, time.monotonic()))
        time.sleep(0.05)
        for entry in list(running):
            locale, process, log, started = entry
            if process.poll() is None:
                continue
            running.remove(entry)
            text = log.read_text(encoding="utf-8", errors="replace")
            failed = process.returncode != 0
            ok = ok and not failed
            for line in text.splitlines():
                if verbose or failed or not line.startswith("INFO"):
                    print(f"[{locale}] {line}", file=sys.stderr if failed else sys.stdout)
            print(f"[{locale}] {'FAILED' if failed else 'built'} in {time.monotonic() - started:.1f} s", flush=True)
    return ok


def build(site: Path = SITE, work: Path = WORK, mkdocs_args: list[str] | None = None, *, docs_dir: Path = Path("docs"),
          strict: bool = True, jobs: int | None = None, force: bool = False, verbose: bool = False) -> int:
    """Build every language into a new folder under ``work`` and swap it in for ``site``; 0 when built
    (or already up to date), else 1. ``mkdocs_args`` are passed on to each ``mkdocs build``."""
    root = Path.cwd()
    jobs = jobs or min(len(LANGUAGES), os.cpu_count() or 1)
    environment = " ".join(f"{name}={os.environ.get(name, '')}" for name in ENVIRONMENT_INPUTS)
    options = f"strict={strict} languages={','.join(LANGUAGES)} args={mkdocs_args or []} {environment}"
    digest = inputs_digest(root, docs_dir, options)
    if not force and is_current(root, digest, site):
        print(f"site up to date: nothing in docs/, the config, theme or code changed since the last build "
              f"({site}/ kept, MkDocs not run)")
        return 0
    work.mkdir(parents=True, exist_ok=True)
    remove_leftovers(work)
    target = Path(tempfile.mkdtemp(dir=work, prefix=NEXT_PREFIX))
    started = time.monotonic()
    print(f"building the site with MkDocs into {target}, {' and '.join(LANGUAGES)} in {min(jobs, len(LANGUAGES))} "
          f"parallel process(es) (swapped in for {site}/ when complete)", flush=True)
    try:
        if not build_languages(root, target, strict=strict, jobs=jobs, verbose=verbose, extra=mkdocs_args or []):
            print(f"mkdocs build failed: {site}/ left as it was", file=sys.stderr)
            return 1
        home = target / LANGUAGES[0]
        for locale in LANGUAGES[1:]:
            os.rename(target / locale, home / locale)
        for locale in LANGUAGES[1:]:
            rebase_copied_charts(home, f"{locale}/")
        # Each build wrote the sitemap of its own language: the root one lists the whole site.
        merge_language_sitemaps(home, [f"{locale}/" for locale in LANGUAGES[1:]])
        swap_in(home, site, work)
    finally:
        shutil.rmtree(target, ignore_errors=True)
    record(root, digest, site)
    print(f"site built in {time.monotonic() - started:.1f} s: {site}/")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generators.publish.sitebuild", description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", default="site", help="output folder (default: site)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="languages built at the same time (default: one per core, at most one per language)")
    parser.add_argument("--force", action="store_true", help="build even when nothing changed")
    parser.add_argument("--no-strict", dest="strict", action="store_false", help="do not stop on MkDocs warnings")
    parser.add_argument("--verbose", action="store_true", help="show MkDocs' INFO lines too")
    args = parser.parse_args(argv)
    return build(site=Path(args.site_dir), strict=args.strict, jobs=args.jobs, force=args.force, verbose=args.verbose)


if __name__ == "__main__":
    sys.exit(main())

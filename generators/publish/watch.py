"""`make serve`: a worker process beside MkDocs regenerates docs/library/ when procedure files change.

``start_worker`` (called by mkdocs_hooks.on_serve) runs ``python -m generators watch`` and passes
its output to MkDocs' log. The worker (``watch``) keeps the last build in memory
(generators/incremental.py), so an edit re-checks and re-renders only what it touches, and writes
its pages in one burst, then says so: MkDocs rebuilds at once, and once (``MkDocsRebuilds``). The edit's
PDFs (its procedure's copy: a few seconds of WeasyPrint) are written after its pages; MkDocs does not
rebuild for a PDF, so the worker copies them into the served site itself (``serve_pdfs``).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

POLL_SECONDS = 0.1  # an lstat of each procedure file: under a millisecond for a library of 100


def snapshot(folders: list[Path]) -> dict[str, tuple[int, int]]:
    """Modification time and size of every YAML file in ``folders`` (links too, never followed)."""
    out = {}
    for folder in folders:
        for path in folder.glob("*.yaml"):
            try:
                info = path.lstat()
            except OSError:
                continue
            out[str(path)] = (info.st_mtime_ns, info.st_size)
    return out


def watch(update, folders: list[Path], report, parent: int | None = None) -> None:
    """Call ``update()`` (incremental.Session.update) now and after every change of the folders'
    YAML files, and ``report`` with what it returns. Returns when process ``parent`` is gone."""
    seen = None
    while parent is None or os.getppid() == parent:
        now = snapshot(folders)
        if now != seen:
            seen = now
            report(*update())
        time.sleep(POLL_SECONDS)


# The worker's line when an edit's pages are written (its PDFs follow): MkDocs may rebuild at once.
PAGES_WRITTEN = "pages written; their PDFs follow"


class MkDocsRebuilds:
    """MkDocs' watcher of ``docs_dir``, told what the worker does (``follow_the_worker``).

    * A PDF asks for no rebuild: the worker writes an edit's PDFs after its pages and serves them itself
      (``serve_pdfs``), so an edit reloads the browser once.
    * When the worker says an edit's pages are written (``pages_written``), MkDocs rebuilds at once,
      not when its polling next passes over docs/ (every 0.5 s, a scan of each of its files: thousands
      in a large library). A file of the worker's output (docs/library/) that the poll then finds
      changed or removed, but no later than that word, is in that rebuild already and asks for no second
      one; a file changed after it does. (MkDocs' own polling stays: it finds everything else, such as
      a hand-written page, whatever its time.)
    """

    def __init__(self, rebuild, docs_dir: str):
        self.rebuild, self.docs_dir = rebuild, docs_dir
        self.library = os.path.join(docs_dir, "library", "")  # the worker's output: nothing else is its word's
        self.announced_ns = 0

    def on_any_event(self, event) -> None:
        path = str(getattr(event, "src_path", ""))
        if path.endswith(".pdf"):
            return
        if self.announced_ns and path.startswith(self.library) and self._before_the_word(event.event_type, path):
            return
        self.rebuild(event)

    def _before_the_word(self, kind: str, path: str) -> bool:
        """Whether the poll's event is for a change the worker made before its last word. The worker
        replaces a file whole (a new file renamed over it): the poll reports that as the file removed
        and created again, so what counts is the file there now (stat, as the poll looks at it); a file
        gone was removed before the word if its folder has not changed since."""
        if kind not in ("created", "modified", "deleted"):
            return False
        try:
            return os.stat(path).st_mtime_ns <= self.announced_ns
        except OSError:
            pass
        try:
            return kind == "deleted" and os.stat(os.path.dirname(path)).st_mtime_ns <= self.announced_ns
        except OSError:
            return False

    def pages_written(self) -> None:
        from watchdog.events import FileModifiedEvent

        self.announced_ns = time.time_ns()
        self.rebuild(FileModifiedEvent(os.path.join(self.docs_dir, "library")))  # (MkDocs passes over a folder's event)


def follow_the_worker(server, docs_dir: str) -> MkDocsRebuilds | None:
    """Put a ``MkDocsRebuilds`` in MkDocs' watcher of ``docs_dir``. MkDocs 1.6 has no public way to filter
    its watcher: this wraps the handler ``LiveReloadServer.watch`` scheduled (watchdog's observer keeps it
    by watch). Returns None where that is not found (another MkDocs): PDFs then bring a rebuild of their
    own, and MkDocs finds each edit by its polling, as before."""
    docs_dir = os.path.abspath(docs_dir)
    watch_ref = getattr(server, "_watch_refs", {}).get(docs_dir)
    handlers = getattr(getattr(server, "observer", None), "_handlers", {}).get(watch_ref) if watch_ref else None
    if not handlers or len(handlers) != 1:
        return None
    (handler,) = handlers
    rebuilds = MkDocsRebuilds(handler.on_any_event, docs_dir)
    handler.on_any_event = rebuilds.on_any_event
    return rebuilds


def serve_pdfs(written: list[str], docs_out: Path, site_dir: Path, language_folders) -> int:
    """Copy the PDFs a build wrote to ``docs_out`` (docs/library/; ``written``: their paths in it) into
    the served site, beside the pages of each language folder that has them. Returns how many."""
    copied = 0
    for rel in written:
        if not rel.endswith(".pdf"):
            continue
        for folder in language_folders:
            target = site_dir / folder / docs_out.name / rel
            if target.parent.is_dir():
                temporary = target.with_name(f".{target.name}.tmp")
                shutil.copyfile(docs_out / rel, temporary)
                os.replace(temporary, target)
                copied += 1
    return copied


def start_worker(sources: Path, docs_dir: Path, log, rebuilds: MkDocsRebuilds | None = None,
                 site_dir: Path | None = None) -> subprocess.Popen:
    """Run the worker for ``sources`` into ``docs_dir``; its lines go to ``log`` (errors as errors).
    ``rebuilds`` (with ``site_dir``, the folder MkDocs serves): the worker writes an edit's pages first,
    says so (MkDocs rebuilds), then puts its PDFs in the served site itself."""
    served = ["--served-site", str(site_dir)] if rebuilds is not None and site_dir is not None else []
    worker = subprocess.Popen([sys.executable, "-m", "generators", "watch", str(sources), "--docs", str(docs_dir),
                               "--with-parent", *served],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)

    def relay():
        for line in worker.stdout:
            line = line.rstrip("\n")
            if line == PAGES_WRITTEN and rebuilds is not None:
                rebuilds.pages_written()
                continue
            (log.error if ": error:" in line or line.startswith(("error", "build stopped")) else log.info)(line)

    threading.Thread(target=relay, name="procedure-worker-log", daemon=True).start()
    return worker

"""`make serve`: a worker process beside MkDocs regenerates docs/library/ when procedure files change.

``start_worker`` (called by mkdocs_hooks.on_serve) runs ``python -m generators watch`` and passes
its output to MkDocs' log. The worker (``watch``) keeps the last build in memory
(generators/incremental.py), so an edit re-checks and re-renders only what it touches, and writes
its pages in one burst: MkDocs sees one change and rebuilds once. The edit's PDFs (its procedure's
copy: a few seconds of WeasyPrint) are written after its pages; MkDocs does not rebuild for a PDF
(``ignore_pdf_changes``), so the worker copies them into the served site itself (``serve_pdfs``).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

POLL_SECONDS = 0.3


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


def ignore_pdf_changes(server, docs_dir: str) -> bool:
    """Make MkDocs' watcher of ``docs_dir`` pass over PDFs: a page that changes brings a rebuild and a
    reload, a PDF written after it does not (the worker serves it, ``serve_pdfs``), so an edit still
    reloads the browser once. MkDocs 1.6 has no public way to filter its watcher: this wraps the handler
    ``LiveReloadServer.watch`` scheduled (watchdog's observer keeps it by watch). Returns False where
    that is not found (another MkDocs): PDFs then bring a rebuild of their own, as before."""
    watch_ref = getattr(server, "_watch_refs", {}).get(os.path.abspath(docs_dir))
    handlers = getattr(getattr(server, "observer", None), "_handlers", {}).get(watch_ref) if watch_ref else None
    if not handlers:
        return False
    for handler in handlers:
        rebuild = handler.on_any_event

        def on_any_event(event, rebuild=rebuild):
            if not str(getattr(event, "src_path", "")).endswith(".pdf"):
                rebuild(event)
        handler.on_any_event = on_any_event
    return True


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


def start_worker(sources: Path, docs_dir: Path, log, site_dir: Path | None = None) -> subprocess.Popen:
    """Run the worker for ``sources`` into ``docs_dir``; its lines go to ``log`` (errors as errors).
    ``site_dir``: the folder MkDocs serves, where the worker puts the PDFs it writes after an edit's pages."""
    served = ["--served-site", str(site_dir)] if site_dir is not None else []
    worker = subprocess.Popen([sys.executable, "-m", "generators", "watch", str(sources), "--docs", str(docs_dir),
                               "--with-parent", *served],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)

    def relay():
        for line in worker.stdout:
            line = line.rstrip("\n")
            (log.error if ": error:" in line or line.startswith(("error", "build stopped")) else log.info)(line)

    threading.Thread(target=relay, name="procedure-worker-log", daemon=True).start()
    return worker

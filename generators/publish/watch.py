"""`make serve`: a worker process beside MkDocs regenerates docs/library/ when procedure files change.

``start_worker`` (called by mkdocs_hooks.on_serve) runs ``python -m generators watch`` and passes
its output to MkDocs' log. The worker (``watch``) keeps the last build in memory
(generators/incremental.py), so an edit re-checks and re-renders only what it touches, and writes
its files in one burst: MkDocs sees one change and rebuilds once.
"""
from __future__ import annotations

import os
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


def start_worker(sources: Path, docs_dir: Path, log) -> subprocess.Popen:
    """Run the worker for ``sources`` into ``docs_dir``; its lines go to ``log`` (errors as errors)."""
    worker = subprocess.Popen([sys.executable, "-m", "generators", "watch", str(sources), "--docs", str(docs_dir),
                               "--with-parent"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)

    def relay():
        for line in worker.stdout:
            line = line.rstrip("\n")
            (log.error if ": error:" in line or line.startswith(("error", "build stopped")) else log.info)(line)

    threading.Thread(target=relay, name="procedure-worker-log", daemon=True).start()
    return worker

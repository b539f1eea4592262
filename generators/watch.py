"""Regenerate docs/library/ when a procedure source changes (used by ``make serve``)."""
from __future__ import annotations

import threading
import time
from pathlib import Path

from .build import build_site
from .check import check_paths
from .writer import WriteConflict

POLL_SECONDS = 0.3


def _snapshot(folder: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime_ns for p in folder.glob("*.yaml") if p.is_file()}


def regenerate(sources: Path, docs_dir: Path, log) -> None:
    result = check_paths([str(sources)], parallel=False)
    if not result.ok:
        for diag in result.diagnostics:
            log.error(diag.format())
        log.error("procedure check failed: pages not regenerated")
        return
    try:
        stats = build_site(result.procedures, docs_dir=docs_dir)
    except WriteConflict as conflict:
        log.error(f"not regenerated, hand-written files in the way: {conflict}")
        return
    log.info(stats.describe())


def start_watcher(sources: Path, docs_dir: Path, log) -> threading.Thread:
    """Poll ``sources`` and regenerate on change, in a daemon thread."""

    def loop():
        seen = _snapshot(sources)
        while True:
            time.sleep(POLL_SECONDS)
            now = _snapshot(sources)
            if now != seen:
                seen = now
                regenerate(sources, docs_dir, log)

    thread = threading.Thread(target=loop, name="procedure-watcher", daemon=True)
    thread.start()
    return thread

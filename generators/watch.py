"""Regenerate docs/library/ when a procedure source changes (used by ``make serve``)."""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

POLL_SECONDS = 0.3


def _snapshot(folder: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime_ns for p in folder.glob("*.yaml") if p.is_file()}


def regenerate(sources: Path, docs_dir: Path, log) -> None:
    """Run `python -m generators build` in its own process: it writes its files in one quick
    burst (no contention with the server's threads), so MkDocs sees one change and rebuilds once."""
    result = subprocess.run([sys.executable, "-m", "generators", "build", str(sources), "--docs", str(docs_dir)],
                            capture_output=True, text=True)
    for line in (result.stdout + result.stderr).splitlines():
        (log.info if result.returncode == 0 else log.error)(line)
    if result.returncode != 0:
        log.error("procedure check or generation failed: pages not regenerated")


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

"""The one place that runs WeasyPrint. PDFs are cached by the content of their HTML and
rendered in parallel worker processes (WeasyPrint is CPU-bound Python)."""
from __future__ import annotations

import hashlib
import os
import resource
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from .writer import atomic_write

CACHE_DIR = Path(".cache/pdf")

# WeasyPrint always runs in worker processes, under limits: address space, and CPU seconds per
# document (a form or checklist within check's limits takes about a second).
PDF_CPU_SECONDS = 120
PDF_MEMORY_BYTES = 3 << 30


class PdfError(Exception):
    """A PDF that WeasyPrint could not render within its limits."""


def _limit_worker() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (PDF_MEMORY_BYTES, PDF_MEMORY_BYTES))


@dataclass
class PdfStats:
    rendered: int = 0
    cached: int = 0


def _render_one(html: str) -> bytes:
    import weasyprint  # imported in the worker: keeps start-up of the CLI fast

    used = resource.getrusage(resource.RUSAGE_SELF)  # the CPU limit counts from this document on
    resource.setrlimit(resource.RLIMIT_CPU, (int(used.ru_utime + used.ru_stime) + PDF_CPU_SECONDS, resource.RLIM_INFINITY))
    return weasyprint.HTML(string=html).write_pdf()


@dataclass
class PdfRenderer:
    cache_dir: Path = CACHE_DIR
    stats: PdfStats = field(default_factory=PdfStats)

    def _cache_path(self, html: str) -> Path:
        return self.cache_dir / (hashlib.sha256(html.encode("utf-8")).hexdigest() + ".pdf")

    def render_many(self, documents: list[str], workers: int | None = None) -> list[bytes]:
        """PDF bytes for each HTML document; only those not cached are rendered, across all cores."""
        results: list[bytes | None] = []
        missing: list[int] = []
        for index, html in enumerate(documents):
            cached = self._cache_path(html)
            if cached.exists():
                results.append(cached.read_bytes())
                self.stats.cached += 1
            else:
                results.append(None)
                missing.append(index)
        if missing:
            todo = [documents[i] for i in missing]
            try:  # never in this process: the limits apply to the workers only
                with ProcessPoolExecutor(max_workers=min(workers or os.cpu_count() or 1, len(todo)),
                                         initializer=_limit_worker) as pool:
                    rendered = list(pool.map(_render_one, todo, chunksize=max(1, len(todo) // 16)))
            except (BrokenProcessPool, Exception) as exc:  # noqa: BLE001 - short of memory, anything can fail
                raise PdfError(f"WeasyPrint stopped, within its limits of {PDF_CPU_SECONDS} CPU seconds per document "
                               f"and {PDF_MEMORY_BYTES >> 20} MiB: {type(exc).__name__}: {exc}") from None
            for index, pdf in zip(missing, rendered):
                atomic_write(self._cache_path(documents[index]), pdf)
                results[index] = pdf
            self.stats.rendered += len(todo)
        return results  # type: ignore[return-value]

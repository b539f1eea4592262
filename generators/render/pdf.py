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

from ..source.writer import atomic_write

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
        return self.start(documents, workers).result()

    def start(self, documents: list[str], workers: int | None = None) -> "Rendering":
        """Start rendering ``documents`` (those not cached) in worker processes and return at once:
        the caller goes on with other work; ``result()`` waits for the PDF bytes of each."""
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
        pool = future = None
        if missing:
            todo = [documents[i] for i in missing]
            # never in this process: the limits apply to the workers only
            pool = ProcessPoolExecutor(max_workers=min(workers or os.cpu_count() or 1, len(todo)), initializer=_limit_worker)
            future = [pool.submit(_render_chunk, todo[i:i + CHUNK]) for i in range(0, len(todo), CHUNK)]
        return Rendering(self, documents, results, missing, pool, future)


CHUNK = 8  # documents per task: few tasks for thousands of forms, and both cores busy for a few


def _render_chunk(documents: list[str]) -> list[bytes]:
    return [_render_one(html) for html in documents]


@dataclass
class Rendering:
    """PDFs being rendered (PdfRenderer.start)."""

    renderer: PdfRenderer
    documents: list[str]
    results: list
    missing: list[int]
    pool: ProcessPoolExecutor | None
    tasks: list | None

    def result(self) -> list[bytes]:
        if self.pool is None:
            return self.results
        try:
            rendered = [pdf for task in self.tasks for pdf in task.result()]
        except (BrokenProcessPool, Exception) as exc:  # noqa: BLE001 - short of memory, anything can fail
            raise PdfError(f"WeasyPrint stopped, within its limits of {PDF_CPU_SECONDS} CPU seconds per document "
                           f"and {PDF_MEMORY_BYTES >> 20} MiB: {type(exc).__name__}: {exc}") from None
        finally:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
        for index, pdf in zip(self.missing, rendered):
            atomic_write(self.renderer._cache_path(self.documents[index]), pdf)
            self.results[index] = pdf
        self.renderer.stats.rendered += len(self.missing)
        return self.results
